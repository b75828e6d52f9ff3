//! Check-in and the figures of a date: those who run an event tick attendees off a list
//! (during or after the date), or attendees type the date's code themselves (from 15 minutes
//! before the start until an hour after the end); going, waitlisted, interested, attended and
//! no-show figures; the attendee list as CSV (written by the `csv` crate, each cell guarded
//! against spreadsheet formulas).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::rsvp::pick;
use super::service::{hosts, runs, visible};
use crate::accounts::model::UserId;
use crate::db::schema::{event_occurrences, event_rsvps, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::policy::Actor;
use crate::util::now;

/// Self check-in opens this long before the start and closes this long after the end.
const CHECK_IN_BEFORE_MINUTES: i64 = 15;
const CHECK_IN_AFTER_MINUTES: i64 = 60;

/// Whether attendees may check themselves in to `date` at `at`.
pub fn check_in_open(date: &Occurrence, at: NaiveDateTime) -> bool {
    at >= date.starts_at - Duration::minutes(CHECK_IN_BEFORE_MINUTES)
        && at <= date.ends_at + Duration::minutes(CHECK_IN_AFTER_MINUTES)
}

/// A new date's check-in code: six letters and digits, without look-alikes.
pub fn new_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::thread_rng();
    (0..6)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

/// One member who answered for a date.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Attendee {
    pub username: String,
    pub display_name: String,
    /// `going`, `waitlisted`, `interested` or `not_going`.
    pub status: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub answered_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub checked_in_at: Option<NaiveDateTime>,
}

/// A date's attendance, for those who run the event.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Attendance {
    pub occurrence: i64,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub starts_at: NaiveDateTime,
    pub going: i64,
    pub waitlisted: i64,
    pub interested: i64,
    pub attended: i64,
    /// Going but not checked in, once the date has ended (none before).
    pub no_show: Option<i64>,
    /// What attendees type to check themselves in.
    pub code: String,
    /// Going first, then the waitlist in its order, then the interested.
    pub attendees: Vec<Attendee>,
}

/// The event and one of its dates (the next when `choice` is none), for those who run it.
fn managed(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    choice: Option<i64>,
) -> AppResult<(Event, Occurrence)> {
    actor.require_user()?;
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    crate::policy::require(runs(actor, &event, &hosts))?;
    let date = match choice {
        Some(_) => pick(conn, &event, choice)?,
        // The next date, else the last one (after the event, for the figures).
        None => match pick(conn, &event, None) {
            Ok(date) => date,
            Err(_) => event_occurrences::table
                .filter(event_occurrences::event_id.eq(id))
                .order(event_occurrences::starts_at.desc())
                .select(Occurrence::as_select())
                .first(conn)?,
        },
    };
    Ok((event, date))
}

/// The attendance of a date.
pub fn attendance(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    choice: Option<i64>,
) -> AppResult<Attendance> {
    let (_, date) = managed(conn, actor, id, choice)?;
    let code = match &date.check_in_code {
        Some(code) => code.clone(),
        None => {
            let code = new_code();
            diesel::update(event_occurrences::table.find(date.id))
                .set(event_occurrences::check_in_code.eq(&code))
                .execute(conn)?;
            code
        }
    };
    let rows: Vec<(
        String,
        String,
        RsvpStatus,
        i64,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )> = event_rsvps::table
        .inner_join(users::table)
        .filter(event_rsvps::occurrence_id.eq(date.id))
        .select((
            users::username,
            users::display_name,
            event_rsvps::status,
            event_rsvps::ticket,
            event_rsvps::created_at,
            event_rsvps::checked_in_at,
        ))
        .load(conn)?;
    let mut rows = rows;
    let rank = |s: RsvpStatus| match s {
        RsvpStatus::Going => 0,
        RsvpStatus::Waitlisted => 1,
        RsvpStatus::Interested => 2,
        RsvpStatus::NotGoing => 3,
    };
    rows.sort_by(|a, b| (rank(a.2), a.3, &a.0).cmp(&(rank(b.2), b.3, &b.0)));
    let count = |s: RsvpStatus| rows.iter().filter(|r| r.2 == s).count() as i64;
    let (going, waitlisted, interested) = (
        count(RsvpStatus::Going),
        count(RsvpStatus::Waitlisted),
        count(RsvpStatus::Interested),
    );
    let attended = rows.iter().filter(|r| r.5.is_some()).count() as i64;
    let no_show = (date.ends_at <= now()).then(|| {
        rows.iter()
            .filter(|r| r.2 == RsvpStatus::Going && r.5.is_none())
            .count() as i64
    });
    Ok(Attendance {
        occurrence: date.id.0,
        starts_at: date.starts_at,
        going,
        waitlisted,
        interested,
        attended,
        no_show,
        code,
        attendees: rows
            .into_iter()
            .map(
                |(username, display_name, status, _, answered_at, checked_in_at)| Attendee {
                    username,
                    display_name,
                    status: status.as_str().to_string(),
                    answered_at,
                    checked_in_at,
                },
            )
            .collect(),
    })
}

/// Marks one member as attended (or not), by those who run the event.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct MarkForm {
    pub username: String,
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    pub attended: bool,
}

pub fn mark(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    date: i64,
    form: &MarkForm,
) -> AppResult<()> {
    let (_, date) = managed(conn, actor, id, Some(date))?;
    if date.starts_at - Duration::minutes(CHECK_IN_BEFORE_MINUTES) > now() {
        return Err(AppError::invalid_field("attended", "error-check-in-early"));
    }
    let user: UserId = users::table
        .filter(users::username_normalized.eq(form.username.trim().to_lowercase()))
        .select(users::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::invalid_field("username", "error-check-in-member"))?;
    crate::db::write_transaction(conn, |conn| {
        let changed = diesel::update(
            event_rsvps::table
                .filter(event_rsvps::occurrence_id.eq(date.id))
                .filter(event_rsvps::user_id.eq(user))
                .filter(event_rsvps::status.ne(RsvpStatus::NotGoing)),
        )
        .set(event_rsvps::checked_in_at.eq(form.attended.then(now)))
        .execute(conn)?;
        if changed == 0 {
            return Err(AppError::invalid_field("username", "error-check-in-member"));
        }
        attendance_marked(conn, date.id, user)
    })
}

/// An attendee's own check-in with the date's code.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct CheckInForm {
    pub code: String,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub occurrence: Option<i64>,
}

pub fn check_in(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    form: &CheckInForm,
) -> AppResult<()> {
    let user = actor.require_user()?.id;
    let (event, _) = visible(conn, actor, id)?;
    let date = pick(conn, &event, form.occurrence)?;
    if !check_in_open(&date, now()) || date.state == EventState::Cancelled {
        return Err(AppError::invalid_field("code", "error-check-in-closed"));
    }
    let matches = date
        .check_in_code
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case(form.code.trim()));
    if !matches {
        return Err(AppError::invalid_field("code", "error-check-in-code"));
    }
    crate::db::write_transaction(conn, |conn| {
        let changed = diesel::update(
            event_rsvps::table
                .filter(event_rsvps::occurrence_id.eq(date.id))
                .filter(event_rsvps::user_id.eq(user))
                .filter(event_rsvps::status.eq(RsvpStatus::Going)),
        )
        .set(event_rsvps::checked_in_at.eq(Some(now())))
        .execute(conn)?;
        if changed == 0 {
            return Err(AppError::invalid_field("code", "error-check-in-not-going"));
        }
        attendance_marked(conn, date.id, user)
    })
}

/// Tells the domains that care (badges) that a member's attendance changed.
fn attendance_marked(conn: &mut DbConnection, date: OccurrenceId, user: UserId) -> AppResult<()> {
    crate::events::publish(
        conn,
        &crate::events::DomainEvent::AttendanceMarked {
            occurrence_id: date.0,
            user_id: user,
        },
    )
}

/// A spreadsheet would run a cell starting with one of these as a formula.
pub(crate) fn guarded(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The attendees of a date as CSV.
pub fn csv(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
    choice: Option<i64>,
) -> AppResult<String> {
    let attendance = attendance(conn, actor, id, choice)?;
    let mut out = csv::Writer::from_writer(vec![]);
    let fail = |e: csv::Error| AppError::internal(e);
    out.write_record([
        "username",
        "display_name",
        "status",
        "answered_at",
        "checked_in_at",
    ])
    .map_err(fail)?;
    for a in &attendance.attendees {
        out.write_record([
            guarded(&a.username),
            guarded(&a.display_name),
            a.status.clone(),
            a.answered_at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            a.checked_in_at
                .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
                .unwrap_or_default(),
        ])
        .map_err(fail)?;
    }
    let bytes = out
        .into_inner()
        .map_err(|e| AppError::internal(e.to_string()))?;
    String::from_utf8(bytes).map_err(AppError::internal)
}
