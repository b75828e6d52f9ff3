//! Changing an event after members answered: moving one date, cancelling one date, or
//! cancelling the whole event. Only those who run it (its hosts, its author, a community
//! manager) may. Each change raises the date's SEQUENCE (calendar clients replace their copy)
//! and tells everyone who answered going, waiting or interested once, in the same transaction,
//! with the new time on their own clock (their profile's zone, else the event's, labelled).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::schedule;
use super::service::{hosts, runs, url, visible};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{event_occurrences, event_rsvps, events, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::Actor;
use crate::util::now;

/// A date's new start and end, on the event's clock (`2026-12-10T19:00`).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct MoveForm {
    pub starts_at: String,
    pub ends_at: String,
}

/// What a change did: the dates it touched and how many members were told.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Changed {
    pub dates: Vec<i64>,
    pub notified: usize,
}

/// The event and one of its dates, if `actor` runs the event (else forbidden; not found for
/// an event they cannot see or a date of another event).
fn runnable(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    date: Option<i64>,
) -> AppResult<(Event, Option<Occurrence>)> {
    actor.require_user()?;
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    crate::policy::require(runs(actor, &event, &hosts))?;
    let date = match date {
        None => None,
        Some(d) => Some(
            event_occurrences::table
                .filter(event_occurrences::event_id.eq(id))
                .filter(event_occurrences::id.eq(d))
                .select(Occurrence::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid_field("occurrence", "error-event-occurrence"))?,
        ),
    };
    if event.state == EventState::Cancelled
        || date
            .as_ref()
            .is_some_and(|d| d.state == EventState::Cancelled)
    {
        return Err(AppError::bad_request(ErrorCode::EventCancelled));
    }
    Ok((event, date))
}

/// Moves one date; those who answered for it are told its new time.
pub fn move_date(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    date: i64,
    form: &MoveForm,
) -> AppResult<Changed> {
    let (event, date) = runnable(conn, actor, id, Some(date))?;
    let date =
        date.ok_or_else(|| AppError::invalid_field("occurrence", "error-event-occurrence"))?;
    let tz = schedule::zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
    let starts = schedule::parse_local(&form.starts_at, tz)
        .ok_or_else(|| AppError::invalid_field("starts_at", "error-event-time"))?;
    let ends = schedule::parse_local(&form.ends_at, tz)
        .ok_or_else(|| AppError::invalid_field("ends_at", "error-event-time"))?;
    let minutes = (ends - starts).num_minutes();
    if minutes <= 0 || minutes > 7 * 24 * 60 {
        return Err(AppError::invalid_field("ends_at", "error-event-end"));
    }
    let (starts, ends) = (schedule::to_utc(starts, tz), schedule::to_utc(ends, tz));
    crate::db::write_transaction(conn, |conn| {
        diesel::update(event_occurrences::table.find(date.id))
            .set((
                event_occurrences::starts_at.eq(starts),
                event_occurrences::ends_at.eq(ends),
                event_occurrences::sequence.eq(event_occurrences::sequence + 1),
            ))
            .execute(conn)?;
        touch(conn, id)?;
        let notified = tell(conn, ctx, &event, &[(date.id, starts)], Kind::EventMoved)?;
        Ok(Changed {
            dates: vec![date.id.0],
            notified,
        })
    })
}

/// Cancels one date (`Some`) or the whole event (`None`: every date not yet ended).
pub fn cancel(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    date: Option<i64>,
) -> AppResult<Changed> {
    let (event, date) = runnable(conn, actor, id, date)?;
    crate::db::write_transaction(conn, |conn| {
        let dates: Vec<(OccurrenceId, NaiveDateTime)> = match &date {
            Some(d) => vec![(d.id, d.starts_at)],
            None => event_occurrences::table
                .filter(event_occurrences::event_id.eq(id))
                .filter(event_occurrences::ends_at.gt(now()))
                .filter(event_occurrences::state.eq(EventState::Scheduled))
                .select((event_occurrences::id, event_occurrences::starts_at))
                .load(conn)?,
        };
        let ids: Vec<OccurrenceId> = dates.iter().map(|(d, _)| *d).collect();
        diesel::update(event_occurrences::table.filter(event_occurrences::id.eq_any(&ids)))
            .set((
                event_occurrences::state.eq(EventState::Cancelled),
                event_occurrences::sequence.eq(event_occurrences::sequence + 1),
            ))
            .execute(conn)?;
        if date.is_none() {
            diesel::update(events::table.find(id))
                .set(events::state.eq(EventState::Cancelled))
                .execute(conn)?;
        }
        touch(conn, id)?;
        let notified = tell(conn, ctx, &event, &dates, Kind::EventCancelled)?;
        Ok(Changed {
            dates: ids.iter().map(|d| d.0).collect(),
            notified,
        })
    })
}

fn touch(conn: &mut DbConnection, id: EventId) -> AppResult<()> {
    diesel::update(events::table.find(id))
        .set(events::updated_at.eq(now()))
        .execute(conn)?;
    Ok(())
}

/// Tells each member who answered for `dates` (going, waiting or interested) once, about the
/// earliest of their dates, on their own clock.
fn tell(
    conn: &mut DbConnection,
    ctx: &AppContext,
    event: &Event,
    dates: &[(OccurrenceId, NaiveDateTime)],
    kind: Kind,
) -> AppResult<usize> {
    let ids: Vec<OccurrenceId> = dates.iter().map(|(d, _)| *d).collect();
    let answered: Vec<(UserId, OccurrenceId, Option<String>)> = event_rsvps::table
        .inner_join(users::table)
        .filter(event_rsvps::occurrence_id.eq_any(&ids))
        .filter(event_rsvps::status.ne(RsvpStatus::NotGoing))
        .select((
            event_rsvps::user_id,
            event_rsvps::occurrence_id,
            users::time_zone,
        ))
        .load(conn)?;
    let mut first: BTreeMap<UserId, (NaiveDateTime, Option<String>)> = BTreeMap::new();
    for (user, date, zone) in answered {
        let at = dates
            .iter()
            .find(|(d, _)| *d == date)
            .map(|(_, at)| *at)
            .unwrap_or_default();
        let entry = first.entry(user).or_insert((at, zone.clone()));
        if at < entry.0 {
            *entry = (at, zone);
        }
    }
    for (user, (at, zone)) in &first {
        let notice = Notice::new(
            Subject::new(SubjectKind::Event, event.id.0),
            url(event.id),
            format!(
                "{} ({})",
                event.title,
                local_label(at, zone.as_deref(), &event.time_zone)
            ),
        );
        crate::notify::fan_out::notify_subject(ctx, conn, *user, kind, &notice)?;
    }
    Ok(first.len())
}

/// `at` (UTC) on the member's clock, else the event's, with the zone named:
/// `2026-12-10 13:00 America/Bogota`.
pub fn local_label(at: &NaiveDateTime, member_zone: Option<&str>, event_zone: &str) -> String {
    let tz = member_zone
        .and_then(schedule::zone)
        .or_else(|| schedule::zone(event_zone))
        .unwrap_or(chrono_tz::UTC);
    format!(
        "{} {}",
        schedule::to_local(*at, tz).format("%Y-%m-%d %H:%M"),
        tz.name()
    )
}

/// What may change without moving a date: the text, the place or link, the capacity, the RSVP
/// deadline (minutes before each start) and the hosts. Every field is sent (the page's form).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct EditForm {
    pub title: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub online_url: Option<String>,
    #[serde(default)]
    pub location: Option<String>,
    /// Places per date; none for no limit. A larger capacity gives the new places to the
    /// waitlist at once; a smaller one takes no place away.
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub capacity: Option<i64>,
    #[serde(default)]
    pub hosts: Option<String>,
}

/// Edits an event (those who run it).
pub fn edit(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    form: &EditForm,
) -> AppResult<()> {
    let (event, _) = runnable(conn, actor, id, None)?;
    super::service::text(&form.title, &form.body)?;
    let title = form.title.trim();
    let (online_url, location) = super::service::place(&form.online_url, &form.location)?;
    let capacity = super::service::capacity(form.capacity)?;
    let hosts =
        super::service::host_ids(conn, form.hosts.as_deref().unwrap_or(""), event.author_id)?;
    let cooked = crate::forum::service::posting::cook(
        conn,
        &form.body,
        &ctx.config.allowed_image_hosts,
        true,
    )?;
    let grew = match (event.capacity, capacity) {
        (Some(_), None) => true,
        (Some(old), Some(new)) => new > old,
        _ => false,
    };
    crate::db::write_transaction(conn, |conn| {
        diesel::update(events::table.find(id))
            .set((
                events::title.eq(title),
                events::raw.eq(&form.body),
                events::cooked.eq(&cooked),
                events::online_url.eq(&online_url),
                events::location.eq(&location),
                events::capacity.eq(capacity),
                events::updated_at.eq(now()),
            ))
            .execute(conn)?;
        crate::search::events::index_event(conn, id.0)?;
        diesel::delete(
            crate::db::schema::event_hosts::table
                .filter(crate::db::schema::event_hosts::event_id.eq(id)),
        )
        .execute(conn)?;
        for host in &hosts {
            diesel::insert_into(crate::db::schema::event_hosts::table)
                .values((
                    crate::db::schema::event_hosts::event_id.eq(id),
                    crate::db::schema::event_hosts::user_id.eq(host),
                ))
                .execute(conn)?;
        }
        // Calendar clients see the new text.
        diesel::update(event_occurrences::table.filter(event_occurrences::event_id.eq(id)))
            .set(event_occurrences::sequence.eq(event_occurrences::sequence + 1))
            .execute(conn)?;
        if grew {
            let updated = Event {
                capacity,
                ..event.clone()
            };
            super::rsvp::promote_all(conn, ctx, &updated)?;
        }
        AppResult::Ok(())
    })
}

/// The event's editable fields as they are (for the edit form; those who run it).
pub fn current(conn: &mut DbConnection, actor: &Actor, id: EventId) -> AppResult<EditForm> {
    let (event, _) = runnable(conn, actor, id, None)?;
    let hosts = hosts(conn, id)?;
    Ok(EditForm {
        title: event.title,
        body: event.raw,
        online_url: event.online_url,
        location: event.location,
        capacity: event.capacity.map(i64::from),
        hosts: Some(
            hosts
                .into_iter()
                .map(|(_, name)| name)
                .collect::<Vec<_>>()
                .join(", "),
        ),
    })
}

/// A new time of day for every coming date of a recurring event, on the event's clock
/// (`20:00`, `21:30`; an end before the start ends the next day).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ScheduleForm {
    pub start_time: String,
    pub end_time: String,
}

/// Moves every date not yet begun (and not moved on its own or cancelled) to a new time of
/// day; everyone who answered for any of them is told once.
pub fn reschedule(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    form: &ScheduleForm,
) -> AppResult<Changed> {
    let (event, _) = runnable(conn, actor, id, None)?;
    let time = |text: &str, name: &str| {
        chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
            .map_err(|_| AppError::invalid_field(name, "error-event-time-of-day"))
    };
    let (start, end) = (
        time(&form.start_time, "start_time")?,
        time(&form.end_time, "end_time")?,
    );
    let mut minutes = (end - start).num_minutes();
    if minutes <= 0 {
        minutes += 24 * 60;
    }
    let tz = schedule::zone(&event.time_zone).unwrap_or(chrono_tz::UTC);
    let coming: Vec<Occurrence> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(id))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .filter(event_occurrences::starts_at.gt(now()))
        .select(Occurrence::as_select())
        .load(conn)?;
    let coming: Vec<Occurrence> = coming
        .into_iter()
        .filter(|d| d.starts_at == d.original_starts_at)
        .collect();
    crate::db::write_transaction(conn, |conn| {
        let mut moved = vec![];
        for date in &coming {
            let day = schedule::to_local(date.starts_at, tz).date();
            let starts = schedule::to_utc(day.and_time(start), tz);
            let ends = starts + chrono::Duration::minutes(minutes);
            diesel::update(event_occurrences::table.find(date.id))
                .set((
                    event_occurrences::starts_at.eq(starts),
                    event_occurrences::ends_at.eq(ends),
                    event_occurrences::original_starts_at.eq(starts),
                    event_occurrences::sequence.eq(event_occurrences::sequence + 1),
                ))
                .execute(conn)?;
            moved.push((date.id, starts));
        }
        diesel::update(events::table.find(id))
            .set((
                events::starts_local.eq(event.starts_local.date().and_time(start)),
                events::minutes.eq(minutes as i32),
                events::updated_at.eq(now()),
            ))
            .execute(conn)?;
        let notified = tell(conn, ctx, &event, &moved, Kind::EventMoved)?;
        Ok(Changed {
            dates: moved.iter().map(|(d, _)| d.0).collect(),
            notified,
        })
    })
}
