//! Reminders before a date: by default one day and 15 minutes before, to everyone going or
//! interested, each member choosing their own offsets (`users.event_reminders`: minutes,
//! comma-separated; empty for none). A sweep job runs every minute; each reminder is a row of
//! `event_reminders` (date, member, offset) written in the transaction that notifies, under a
//! primary key, so it is sent exactly once, whichever worker runs the sweep, even after a
//! restart. A member who answers late gets only the nearest reminder still due (answering 10
//! minutes before the start brings the 15-minute one, not yesterday's).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service::url;
use crate::accounts::model::{User, UserId};
use crate::context::AppContext;
use crate::db::schema::{event_occurrences, event_reminders, event_rsvps, events, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::Actor;
use crate::util::now;

pub const JOB_REMINDERS: &str = "calendar.reminders";
/// How often the sweep runs.
const SWEEP_SECONDS: i64 = 60;
/// The offsets of a member who has not chosen: one day and 15 minutes before.
pub const DEFAULT_MINUTES: &[i32] = &[1440, 15];
/// The furthest ahead a reminder may be (two weeks), and how many a member may have.
const MAX_MINUTES: i32 = 14 * 24 * 60;
const MAX_OFFSETS: usize = 5;

/// A member's offsets from their setting (`None`: the defaults).
pub fn offsets(setting: Option<&str>) -> Vec<i32> {
    match setting {
        None => DEFAULT_MINUTES.to_vec(),
        Some(text) => text
            .split(',')
            .filter_map(|m| m.trim().parse::<i32>().ok())
            .collect(),
    }
}

/// Your reminder offsets, in minutes before a date starts (empty for no reminders). The
/// page's form sends them as one text (`1440, 15`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ReminderSettings {
    #[serde(deserialize_with = "minutes_list")]
    pub minutes: Vec<i32>,
}

fn minutes_list<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Vec<i32>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        List(Vec<i32>),
        Text(String),
    }
    match Value::deserialize(deserializer)? {
        Value::List(list) => Ok(list),
        Value::Text(text) => text
            .split(|c: char| c == ',' || c.is_whitespace())
            .filter(|m| !m.is_empty())
            .map(|m| m.parse::<i32>().map_err(serde::de::Error::custom))
            .collect(),
    }
}

pub fn settings(conn: &mut DbConnection, actor: &Actor) -> AppResult<ReminderSettings> {
    let user = actor.require_user()?.id;
    let setting: Option<String> = users::table
        .find(user)
        .select(users::event_reminders)
        .first(conn)?;
    Ok(ReminderSettings {
        minutes: offsets(setting.as_deref()),
    })
}

/// Sets your offsets: up to 5, each from 1 minute to 14 days.
pub fn set(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &ReminderSettings,
) -> AppResult<ReminderSettings> {
    let user = actor.require_user()?.id;
    let mut minutes = form.minutes.clone();
    minutes.sort_unstable_by(|a, b| b.cmp(a));
    minutes.dedup();
    if minutes.len() > MAX_OFFSETS || minutes.iter().any(|m| !(1..=MAX_MINUTES).contains(m)) {
        return Err(AppError::invalid_field("minutes", "error-reminders"));
    }
    let text = minutes
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(",");
    diesel::update(users::table.find(user))
        .set(users::event_reminders.eq(Some(text)))
        .execute(conn)?;
    Ok(ReminderSettings { minutes })
}

/// Sends every reminder due now; returns how many.
pub fn sweep(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    let at = now();
    let horizon = at + Duration::minutes(i64::from(MAX_MINUTES));
    // Dates about to start, with the members who answered going or interested.
    let due: Vec<(Occurrence, Event, User)> = event_occurrences::table
        .inner_join(events::table)
        .inner_join(event_rsvps::table.on(event_rsvps::occurrence_id.eq(event_occurrences::id)))
        .inner_join(users::table.on(users::id.eq(event_rsvps::user_id)))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .filter(events::state.eq(EventState::Scheduled))
        .filter(event_occurrences::starts_at.gt(at))
        .filter(event_occurrences::starts_at.le(horizon))
        .filter(event_rsvps::status.eq_any([RsvpStatus::Going, RsvpStatus::Interested]))
        .select((
            Occurrence::as_select(),
            Event::as_select(),
            User::as_select(),
        ))
        .load(conn)?;
    // What was sent already, to skip it without a transaction.
    let dates: Vec<OccurrenceId> = due.iter().map(|(d, _, _)| d.id).collect();
    let done: std::collections::HashSet<(OccurrenceId, UserId, i32)> = event_reminders::table
        .filter(event_reminders::occurrence_id.eq_any(&dates))
        .select((
            event_reminders::occurrence_id,
            event_reminders::user_id,
            event_reminders::minutes,
        ))
        .load(conn)?
        .into_iter()
        .collect();
    let mut sent = 0;
    for (date, event, user) in due {
        let until = date.starts_at - at;
        // The nearest offset that is due: the reminder for now. Larger ones are past.
        let mut wanted: Vec<i32> = offsets(user.event_reminders.as_deref())
            .into_iter()
            .filter(|m| Duration::minutes(i64::from(*m)) >= until)
            .collect();
        wanted.sort_unstable();
        let Some(nearest) = wanted.first().copied() else {
            continue;
        };
        if done.contains(&(date.id, user.id, nearest)) {
            continue;
        }
        let delivered = crate::db::write_transaction(conn, |conn| {
            let written = match conn {
                DbConnection::Sqlite(c) => diesel::insert_or_ignore_into(event_reminders::table)
                    .values(row(date.id, user.id, nearest, at))
                    .execute(c)?,
                DbConnection::Postgresql(c) => diesel::insert_into(event_reminders::table)
                    .values(row(date.id, user.id, nearest, at))
                    .on_conflict_do_nothing()
                    .execute(c)?,
            };
            if written == 0 {
                return AppResult::Ok(false);
            }
            // Already sent a nearer one (or this one): nothing more for this date.
            let nearer: i64 = event_reminders::table
                .filter(event_reminders::occurrence_id.eq(date.id))
                .filter(event_reminders::user_id.eq(user.id))
                .filter(event_reminders::minutes.lt(nearest))
                .count()
                .get_result(conn)?;
            if nearer > 0 {
                return Ok(false);
            }
            // The member must still see the event's category.
            let category = crate::policy::all_categories(conn)?
                .into_iter()
                .find(|c| c.id == event.category_id);
            let Some(category) = category else {
                return Ok(false);
            };
            if !crate::policy::who_can_view(conn, &category, &[user.id])?.contains(&user.id) {
                return Ok(false);
            }
            let when = super::changes::local_label(
                &date.starts_at,
                user.time_zone.as_deref(),
                &event.time_zone,
            );
            let notice = Notice::new(
                Subject::new(SubjectKind::Event, event.id.0),
                url(event.id),
                format!("{} ({when})", event.title),
            );
            crate::notify::fan_out::notify_subject(
                ctx,
                conn,
                user.id,
                Kind::EventReminder,
                &notice,
            )?;
            Ok(true)
        })?;
        sent += usize::from(delivered);
    }
    Ok(sent)
}

/// A row of `event_reminders`, as `values` takes it.
type ReminderRow = (
    diesel::dsl::Eq<event_reminders::occurrence_id, OccurrenceId>,
    diesel::dsl::Eq<event_reminders::user_id, UserId>,
    diesel::dsl::Eq<event_reminders::minutes, i32>,
    diesel::dsl::Eq<event_reminders::sent_at, NaiveDateTime>,
);

fn row(date: OccurrenceId, user: UserId, minutes: i32, at: NaiveDateTime) -> ReminderRow {
    (
        event_reminders::occurrence_id.eq(date),
        event_reminders::user_id.eq(user),
        event_reminders::minutes.eq(minutes),
        event_reminders::sent_at.eq(at),
    )
}

/// The job: one sweep, then the next in a minute.
pub fn run(ctx: &AppContext, conn: &mut DbConnection, _payload: &str) -> Result<(), String> {
    sweep(conn, ctx).map_err(|e| format!("{e:?}"))?;
    crate::jobs::schedule_once(
        conn,
        JOB_REMINDERS,
        now() + Duration::seconds(SWEEP_SECONDS),
        true,
    )
    .map_err(|e| format!("{e:?}"))
}

/// Makes sure a sweep is scheduled (called when a worker starts).
pub fn schedule(ctx: &AppContext) {
    let result =
        ctx.pool.get().map_err(AppError::from).and_then(|mut conn| {
            crate::jobs::schedule_once(&mut conn, JOB_REMINDERS, now(), false)
        });
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule the event reminders");
    }
}
