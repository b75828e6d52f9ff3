//! RSVPs, capacity and the waitlist. Every answer for a date runs under that date's row lock
//! (an UPDATE of the row first: PostgreSQL queues the others behind it; SQLite's write lock
//! already does), so the counts are read and written by one answer at a time: with capacity
//! 200 and 500 members answering at once, exactly 200 are going and 300 wait, in the order
//! they arrived (`ticket`). A place that frees up goes to the first in the waitlist at once,
//! in the same transaction, and they are told (in-app and by e-mail).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::*;
use super::service::{url, visible};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{event_occurrences, event_rsvps};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::{Actor, Restriction};
use crate::util::now;

/// Whether a date still takes answers at `at`: neither it nor its event cancelled, not ended,
/// and before the event's RSVP deadline.
pub fn open_at(event: &Event, date: &Occurrence, at: NaiveDateTime) -> bool {
    event.state == EventState::Scheduled
        && date.state == EventState::Scheduled
        && at < date.ends_at
        && event
            .rsvp_closes_minutes
            .is_none_or(|m| at < date.starts_at - Duration::minutes(i64::from(m)))
}

/// What an answer came to.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Answered {
    pub occurrence: i64,
    /// `going`, `waitlisted` (going was asked, the date is full), `interested`, `not_going`,
    /// or none after a withdrawal.
    pub status: Option<String>,
    /// The place in the waitlist (1 is next).
    pub waitlist_position: Option<i64>,
    pub going: i32,
    pub waitlisted: i32,
}

/// The date an action is about: `choice` (one of the event's), else the next that has not
/// ended.
pub fn pick(conn: &mut DbConnection, event: &Event, choice: Option<i64>) -> AppResult<Occurrence> {
    let mut dates = event_occurrences::table
        .filter(event_occurrences::event_id.eq(event.id))
        .into_boxed();
    match choice {
        Some(id) => dates = dates.filter(event_occurrences::id.eq(id)),
        None => dates = dates.filter(event_occurrences::ends_at.gt(now())),
    }
    dates
        .order(event_occurrences::starts_at.asc())
        .select(Occurrence::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| match choice {
            Some(_) => AppError::invalid_field("occurrence", "error-event-occurrence"),
            None => AppError::bad_request(ErrorCode::RsvpClosed),
        })
}

/// Answers for one date of event `id`: going (or the waitlist when full), interested, not going.
pub fn answer(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    form: &RsvpForm,
) -> AppResult<Answered> {
    let wanted = form
        .status
        .known()
        .filter(|s| *s != RsvpStatus::Waitlisted)
        .ok_or_else(|| AppError::invalid_field("status", "error-rsvp-status"))?;
    change(conn, ctx, actor, id, form.occurrence, Some(wanted))
}

/// Takes back one's answer for a date (a place or a waitlist spot is given up).
pub fn withdraw(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    occurrence: Option<i64>,
) -> AppResult<Answered> {
    change(conn, ctx, actor, id, occurrence, None)
}

fn change(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    occurrence: Option<i64>,
    wanted: Option<RsvpStatus>,
) -> AppResult<Answered> {
    let user = actor.require_user()?.id;
    if let Some(Restriction::Suspended(_)) = actor.restriction(now()) {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::Suspended,
        }));
    }
    let (event, _) = visible(conn, actor, id)?;
    let chosen = pick(conn, &event, occurrence)?;
    crate::db::write_transaction(conn, |conn| {
        // The date's lock: every answer for it waits here for the one before.
        diesel::update(event_occurrences::table.find(chosen.id))
            .set(event_occurrences::sequence.eq(event_occurrences::sequence))
            .execute(conn)?;
        let mut date: Occurrence = event_occurrences::table
            .find(chosen.id)
            .select(Occurrence::as_select())
            .first(conn)?;
        if !open_at(&event, &date, now()) {
            return Err(AppError::bad_request(ErrorCode::RsvpClosed));
        }
        let previous: Option<Rsvp> = event_rsvps::table
            .filter(event_rsvps::occurrence_id.eq(date.id))
            .filter(event_rsvps::user_id.eq(user))
            .select(Rsvp::as_select())
            .first(conn)
            .optional()?;
        let before = previous.as_ref().map(|r| r.status);
        let after = match wanted {
            // Going again keeps one's place (or one's turn in the waitlist).
            Some(RsvpStatus::Going)
                if matches!(before, Some(RsvpStatus::Going | RsvpStatus::Waitlisted)) =>
            {
                before
            }
            Some(RsvpStatus::Going) if event.capacity.is_some_and(|c| date.going >= c) => {
                Some(RsvpStatus::Waitlisted)
            }
            other => other,
        };
        let at = now();
        if before == Some(RsvpStatus::Going) {
            date.going -= 1;
        }
        if before == Some(RsvpStatus::Waitlisted) {
            date.waitlisted -= 1;
        }
        let ticket = if after == Some(RsvpStatus::Waitlisted) && before != after {
            date.tickets += 1;
            date.tickets
        } else {
            previous.as_ref().map_or(0, |r| r.ticket)
        };
        match after {
            Some(RsvpStatus::Going) => date.going += 1,
            Some(RsvpStatus::Waitlisted) => date.waitlisted += 1,
            _ => {}
        }
        match (after, &previous) {
            (None, Some(_)) => {
                diesel::delete(
                    event_rsvps::table
                        .filter(event_rsvps::occurrence_id.eq(date.id))
                        .filter(event_rsvps::user_id.eq(user)),
                )
                .execute(conn)?;
            }
            (None, None) => {}
            (Some(status), Some(_)) => {
                diesel::update(
                    event_rsvps::table
                        .filter(event_rsvps::occurrence_id.eq(date.id))
                        .filter(event_rsvps::user_id.eq(user)),
                )
                .set((
                    event_rsvps::status.eq(status),
                    event_rsvps::ticket.eq(ticket),
                    event_rsvps::updated_at.eq(at),
                ))
                .execute(conn)?;
            }
            (Some(status), None) => {
                diesel::insert_into(event_rsvps::table)
                    .values((
                        event_rsvps::occurrence_id.eq(date.id),
                        event_rsvps::user_id.eq(user),
                        event_rsvps::status.eq(status),
                        event_rsvps::ticket.eq(ticket),
                        event_rsvps::created_at.eq(at),
                        event_rsvps::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
        }
        promote(conn, ctx, &event, &mut date)?;
        diesel::update(event_occurrences::table.find(date.id))
            .set((
                event_occurrences::going.eq(date.going),
                event_occurrences::waitlisted.eq(date.waitlisted),
                event_occurrences::tickets.eq(date.tickets),
            ))
            .execute(conn)?;
        let status: Option<RsvpStatus> = event_rsvps::table
            .filter(event_rsvps::occurrence_id.eq(date.id))
            .filter(event_rsvps::user_id.eq(user))
            .select(event_rsvps::status)
            .first(conn)
            .optional()?;
        let position = match status {
            Some(RsvpStatus::Waitlisted) => Some(position(conn, date.id, ticket)?),
            _ => None,
        };
        Ok(Answered {
            occurrence: date.id.0,
            status: status.map(|s| s.as_str().to_string()),
            waitlist_position: position,
            going: date.going,
            waitlisted: date.waitlisted,
        })
    })
}

/// A waitlisted ticket's place in the queue (1 is next).
pub fn position(conn: &mut DbConnection, date: OccurrenceId, ticket: i64) -> AppResult<i64> {
    Ok(event_rsvps::table
        .filter(event_rsvps::occurrence_id.eq(date))
        .filter(event_rsvps::status.eq(RsvpStatus::Waitlisted))
        .filter(event_rsvps::ticket.le(ticket))
        .count()
        .get_result(conn)?)
}

/// After the capacity grew (or was removed): every date not yet ended gives its new places to
/// its waitlist, each under its lock. Call inside the transaction that changed the capacity.
pub fn promote_all(conn: &mut DbConnection, ctx: &AppContext, event: &Event) -> AppResult<()> {
    let dates: Vec<OccurrenceId> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(event.id))
        .filter(event_occurrences::ends_at.gt(now()))
        .filter(event_occurrences::waitlisted.gt(0))
        .select(event_occurrences::id)
        .load(conn)?;
    for id in dates {
        diesel::update(event_occurrences::table.find(id))
            .set(event_occurrences::sequence.eq(event_occurrences::sequence))
            .execute(conn)?;
        let mut date: Occurrence = event_occurrences::table
            .find(id)
            .select(Occurrence::as_select())
            .first(conn)?;
        promote(conn, ctx, event, &mut date)?;
        diesel::update(event_occurrences::table.find(id))
            .set((
                event_occurrences::going.eq(date.going),
                event_occurrences::waitlisted.eq(date.waitlisted),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Gives free places to the waitlist, first come first served, and tells each member promoted.
/// Runs under the date's lock; `date`'s counts are updated (the caller writes them).
fn promote(
    conn: &mut DbConnection,
    ctx: &AppContext,
    event: &Event,
    date: &mut Occurrence,
) -> AppResult<()> {
    let free = match event.capacity {
        None => i64::from(date.waitlisted),
        Some(c) => i64::from(c - date.going),
    };
    if free <= 0 || date.waitlisted == 0 {
        return Ok(());
    }
    let next: Vec<(UserId, Option<String>)> = event_rsvps::table
        .inner_join(crate::db::schema::users::table)
        .filter(event_rsvps::occurrence_id.eq(date.id))
        .filter(event_rsvps::status.eq(RsvpStatus::Waitlisted))
        .order(event_rsvps::ticket.asc())
        .limit(free)
        .select((event_rsvps::user_id, crate::db::schema::users::time_zone))
        .load(conn)?;
    let at = now();
    for (user, zone) in next {
        diesel::update(
            event_rsvps::table
                .filter(event_rsvps::occurrence_id.eq(date.id))
                .filter(event_rsvps::user_id.eq(user)),
        )
        .set((
            event_rsvps::status.eq(RsvpStatus::Going),
            event_rsvps::updated_at.eq(at),
        ))
        .execute(conn)?;
        date.going += 1;
        date.waitlisted -= 1;
        let when = super::changes::local_label(&date.starts_at, zone.as_deref(), &event.time_zone);
        let notice = Notice::new(
            Subject::new(SubjectKind::Event, event.id.0),
            url(event.id),
            format!("{} ({when})", event.title),
        );
        crate::notify::fan_out::notify_subject(ctx, conn, user, Kind::EventPlace, &notice)?;
    }
    Ok(())
}
