//! Creating events and reading them: who may host (`can_host`), the form's checks, the dates
//! a recurrence gives, the list of upcoming dates and one event's page, each limited to the
//! categories the reader may see.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::model::*;
use super::schedule;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{event_hosts, event_occurrences, event_rsvps, events, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::forum::model::Category;
use crate::policy::Actor;
use crate::util::now;

/// The online link shows this long before a date starts (to those going, and hosts).
pub const LINK_REVEAL_MINUTES: i64 = 15;
const MAX_TITLE: usize = 200;
const MAX_TEXT: usize = 500;
const MAX_CAPACITY: i64 = 100_000;
/// The longest an event's date may last.
const MAX_MINUTES: i64 = 7 * 24 * 60;

/// Who may create events in any category and run any event: the community manager and
/// admins (members may be allowed in one category: `organizers`).
pub fn can_host(actor: &Actor) -> bool {
    crate::policy::can_host_events(actor)
}

/// What was created: its id and page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Created {
    pub id: i64,
    pub url: String,
}

pub fn url(id: EventId) -> String {
    format!("/events/{}", id.0)
}

fn field(name: &str, key: &str) -> AppError {
    AppError::invalid_field(name, key)
}

/// Creates an event and its dates.
pub fn create(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    form: &EventForm,
) -> AppResult<Created> {
    let user = actor.require_user()?.id;
    crate::policy::may_write(actor, now())?;
    let hostable = super::organizers::hostable(conn, actor)?;
    crate::policy::require(!hostable.is_empty())?;
    let category = hostable
        .into_iter()
        .find(|c| c.slug == form.category.trim())
        .ok_or_else(|| field("category", "error-event-category"))?;
    text(&form.title, &form.body)?;
    let title = form.title.trim();
    let tz =
        schedule::zone(&form.time_zone).ok_or_else(|| field("time_zone", "error-event-zone"))?;
    let starts = schedule::parse_local(&form.starts_at, tz)
        .ok_or_else(|| field("starts_at", "error-event-time"))?;
    let ends = schedule::parse_local(&form.ends_at, tz)
        .ok_or_else(|| field("ends_at", "error-event-time"))?;
    let minutes = (ends - starts).num_minutes();
    if minutes <= 0 || minutes > MAX_MINUTES {
        return Err(field("ends_at", "error-event-end"));
    }
    let (online_url, location) = place(&form.online_url, &form.location)?;
    let capacity = capacity(form.capacity)?;
    let rule = schedule::rule_for(form.recurrence.as_deref().unwrap_or(""), starts, tz)
        .map_err(|_| field("recurrence", "error-event-recurrence"))?;
    let count = match form.occurrences {
        None => schedule::DEFAULT_DATES,
        Some(n) if (1..=i64::from(schedule::MAX_DATES)).contains(&n) => n as u16,
        Some(_) => return Err(field("occurrences", "error-event-occurrences")),
    };
    let dates = schedule::dates(starts, tz, rule.as_deref(), count)
        .map_err(|_| field("recurrence", "error-event-recurrence"))?;
    let closes = match optional_text(&form.rsvp_deadline) {
        None => None,
        Some(text) => {
            let deadline = schedule::parse_local(&text, tz)
                .ok_or_else(|| field("rsvp_deadline", "error-event-time"))?;
            let before = (starts - deadline).num_minutes();
            if before < 0 {
                return Err(field("rsvp_deadline", "error-event-deadline"));
            }
            Some(before as i32)
        }
    };
    let hosts = host_ids(conn, form.hosts.as_deref().unwrap_or(""), user)?;
    let cooked = crate::forum::service::posting::cook(
        conn,
        &form.body,
        &ctx.config.allowed_image_hosts,
        true,
    )?;
    let at = now();
    crate::db::write_transaction(conn, |conn| {
        let id: EventId = diesel::insert_into(events::table)
            .values((
                events::category_id.eq(category.id),
                events::author_id.eq(user),
                events::title.eq(title),
                events::raw.eq(&form.body),
                events::cooked.eq(&cooked),
                events::time_zone.eq(tz.name()),
                events::starts_local.eq(starts),
                events::minutes.eq(minutes as i32),
                events::recurrence.eq(&rule),
                events::online_url.eq(&online_url),
                events::location.eq(&location),
                events::capacity.eq(capacity),
                events::rsvp_closes_minutes.eq(closes),
                events::state.eq(EventState::Scheduled),
                events::created_at.eq(at),
                events::updated_at.eq(at),
            ))
            .returning(events::id)
            .get_result(conn)?;
        crate::search::events::index_event(conn, id.0)?;
        for host in &hosts {
            diesel::insert_into(event_hosts::table)
                .values((event_hosts::event_id.eq(id), event_hosts::user_id.eq(host)))
                .execute(conn)?;
        }
        for start in &dates {
            diesel::insert_into(event_occurrences::table)
                .values((
                    event_occurrences::event_id.eq(id),
                    event_occurrences::starts_at.eq(start),
                    event_occurrences::ends_at.eq(*start + Duration::minutes(minutes)),
                    event_occurrences::original_starts_at.eq(start),
                    event_occurrences::check_in_code.eq(super::attendance::new_code()),
                ))
                .execute(conn)?;
        }
        Ok(Created {
            id: id.0,
            url: url(id),
        })
    })
}

/// The online link and the place of a form, checked: at least one, the link http(s).
pub(super) fn place(
    online_url: &Option<String>,
    location: &Option<String>,
) -> AppResult<(Option<String>, Option<String>)> {
    let online_url = optional_text(online_url);
    let location = optional_text(location);
    if let Some(link) = &online_url {
        if !(link.starts_with("https://") || link.starts_with("http://"))
            || link.chars().count() > MAX_TEXT
            || link.chars().any(char::is_whitespace)
        {
            return Err(field("online_url", "error-event-link"));
        }
    }
    if location
        .as_ref()
        .is_some_and(|l| l.chars().count() > MAX_TEXT)
    {
        return Err(field("location", "error-event-location"));
    }
    if online_url.is_none() && location.is_none() {
        return Err(field("location", "error-event-where"));
    }
    Ok((online_url, location))
}

/// A form's capacity, checked: 1 to 100,000 places, or none for no limit.
pub(super) fn capacity(capacity: Option<i64>) -> AppResult<Option<i32>> {
    match capacity {
        None => Ok(None),
        Some(c) if (1..=MAX_CAPACITY).contains(&c) => Ok(Some(c as i32)),
        Some(_) => Err(field("capacity", "error-event-capacity")),
    }
}

/// A form's title and description, checked.
pub(super) fn text(title: &str, body: &str) -> AppResult<()> {
    let length = title.trim().chars().count();
    if !(3..=MAX_TITLE).contains(&length) {
        return Err(field("title", "error-event-title"));
    }
    if body.chars().count() > crate::forum::markdown::MAX_LENGTH {
        return Err(field("body", "error-body-long"));
    }
    Ok(())
}

fn optional_text(text: &Option<String>) -> Option<String> {
    text.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// The hosts named in the form (the author when none is).
pub(super) fn host_ids(
    conn: &mut DbConnection,
    names: &str,
    author: UserId,
) -> AppResult<Vec<UserId>> {
    let found = crate::accounts::service::members_named(conn, names, 10)?
        .ok_or_else(|| field("hosts", "error-event-hosts"))?;
    if found.is_empty() {
        return Ok(vec![author]);
    }
    Ok(found.into_iter().map(|(id, _)| id).collect())
}

/// The event `id` if `actor` may see its category (else not found, like one that does not
/// exist), with the category.
pub fn visible(
    conn: &mut DbConnection,
    actor: &Actor,
    id: EventId,
) -> AppResult<(Event, Category)> {
    let event: Event = events::table
        .find(id)
        .select(Event::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    let category = crate::policy::visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.id == event.category_id)
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    Ok((event, category))
}

/// The hosts of an event, by username.
pub fn hosts(conn: &mut DbConnection, id: EventId) -> AppResult<Vec<(UserId, String)>> {
    Ok(event_hosts::table
        .inner_join(users::table)
        .filter(event_hosts::event_id.eq(id))
        .order(users::username.asc())
        .select((users::id, users::username))
        .load(conn)?)
}

/// Whether `actor` runs the event: a host, its author, or a community manager.
pub fn runs(actor: &Actor, event: &Event, hosts: &[(UserId, String)]) -> bool {
    actor
        .user_id()
        .is_some_and(|u| u == event.author_id || hosts.iter().any(|(h, _)| *h == u))
        || can_host(actor)
}

/// The zone a reader's times are shown in: their profile's, else none (the event's, which the
/// page's script turns into the browser's).
pub fn viewer_zone(conn: &mut DbConnection, actor: &Actor) -> AppResult<Option<chrono_tz::Tz>> {
    let Some(user) = actor.user_id() else {
        return Ok(None);
    };
    let zone: Option<String> = users::table
        .find(user)
        .select(users::time_zone)
        .first(conn)?;
    Ok(zone.as_deref().and_then(schedule::zone))
}

/// One date as a reader sees it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DateView {
    pub id: i64,
    /// UTC.
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub ends_at: NaiveDateTime,
    /// On the reader's clock (their profile's zone) or else the event's, e.g.
    /// `2026-12-10 19:00`; `shown_zone` names it.
    pub local_start: String,
    pub local_end: String,
    pub shown_zone: String,
    pub cancelled: bool,
    /// This date was moved from the one its recurrence gave.
    pub moved: bool,
    pub past: bool,
    pub going: i32,
    pub waitlisted: i32,
    /// Places left, when the event has a capacity.
    pub places_left: Option<i32>,
    /// RSVPs still open (not past, not cancelled, before the deadline).
    pub open: bool,
    /// The reader's answer (`going`, `interested`, `not_going`, `waitlisted`).
    pub my_rsvp: Option<String>,
    /// The reader's place in the waitlist (1 is next).
    pub waitlist_position: Option<i64>,
    /// The meeting link: only to those going (and hosts), from 15 minutes before the start.
    pub online_url: Option<String>,
    pub checked_in: bool,
    /// Attendees may check themselves in with the code now.
    pub check_in_open: bool,
}

/// An event's page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: i64,
    pub url: String,
    pub title: String,
    /// The description, rendered.
    pub body_html: String,
    pub category: String,
    pub category_slug: String,
    pub time_zone: String,
    pub online: bool,
    pub location: Option<String>,
    pub capacity: Option<i32>,
    pub recurrence: Option<String>,
    pub cancelled: bool,
    pub hosts: Vec<String>,
    /// Upcoming dates first in time, then the past ones (most recent first).
    pub dates: Vec<DateView>,
    /// The next date that has not ended (or the last one), which RSVPs default to.
    pub next: Option<DateView>,
    /// Going to the next date.
    pub going: i32,
    pub waitlisted: i32,
    pub my_rsvp: Option<String>,
    /// The reader runs this event (hosts, author, community manager).
    pub runs: bool,
    /// Times are on the reader's own clock (their profile's zone); otherwise on the event's,
    /// which the page's script shows on the browser's.
    pub own_zone: bool,
    /// The hosts' follow-up (recording, slides), rendered; its Markdown for those who run it.
    pub follow_up_html: Option<String>,
    pub follow_up_raw: Option<String>,
    /// The forum thread of the answered questions.
    pub thread_url: Option<String>,
    /// A date has begun (the follow-up may be published).
    pub started: bool,
}

/// The page of event `id`.
pub fn view(conn: &mut DbConnection, actor: &Actor, id: EventId) -> AppResult<EventView> {
    let (event, category) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    let runs = runs(actor, &event, &hosts);
    let dates: Vec<Occurrence> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(id))
        .order(event_occurrences::starts_at.asc())
        .select(Occurrence::as_select())
        .load(conn)?;
    let mine: HashMap<OccurrenceId, (RsvpStatus, i64, bool)> = match actor.user_id() {
        None => HashMap::new(),
        Some(user) => event_rsvps::table
            .inner_join(event_occurrences::table)
            .filter(event_occurrences::event_id.eq(id))
            .filter(event_rsvps::user_id.eq(user))
            .select((
                event_rsvps::occurrence_id,
                event_rsvps::status,
                event_rsvps::ticket,
                event_rsvps::checked_in_at.is_not_null(),
            ))
            .load::<(OccurrenceId, RsvpStatus, i64, bool)>(conn)?
            .into_iter()
            .map(|(o, s, t, c)| (o, (s, t, c)))
            .collect(),
    };
    let at = now();
    let own = viewer_zone(conn, actor)?;
    let tz = own.unwrap_or_else(|| schedule::zone(&event.time_zone).unwrap_or(chrono_tz::UTC));
    let mut views = vec![];
    for date in &dates {
        let (status, ticket, checked_in) = match mine.get(&date.id) {
            Some((s, t, c)) => (Some(*s), Some(*t), *c),
            None => (None, None, false),
        };
        let position = match (status, ticket) {
            (Some(RsvpStatus::Waitlisted), Some(ticket)) => Some(
                event_rsvps::table
                    .filter(event_rsvps::occurrence_id.eq(date.id))
                    .filter(event_rsvps::status.eq(RsvpStatus::Waitlisted))
                    .filter(event_rsvps::ticket.le(ticket))
                    .count()
                    .get_result::<i64>(conn)?,
            ),
            _ => None,
        };
        views.push(date_view(
            &event, date, tz, at, status, position, checked_in, runs,
        ));
    }
    let next_index = views
        .iter()
        .position(|d| !d.past)
        .or_else(|| views.len().checked_sub(1));
    // Upcoming first (soonest first), then the past (most recent first).
    let (mut past, upcoming): (Vec<DateView>, Vec<DateView>) =
        views.into_iter().partition(|d| d.past);
    past.reverse();
    let next_id = next_index.map(|i| dates[i].id.0);
    let mut all: Vec<DateView> = upcoming;
    all.extend(past);
    let next = next_id
        .and_then(|n| all.iter().find(|d| d.id == n))
        .map(clone_date);
    Ok(EventView {
        id: event.id.0,
        url: url(event.id),
        title: event.title.clone(),
        body_html: event.cooked.clone(),
        category: category.name,
        category_slug: category.slug,
        time_zone: event.time_zone.clone(),
        online: event.online_url.is_some(),
        location: event.location.clone(),
        capacity: event.capacity,
        recurrence: event.recurrence.clone(),
        cancelled: event.state == EventState::Cancelled,
        hosts: hosts.into_iter().map(|(_, n)| n).collect(),
        going: next.as_ref().map_or(0, |d| d.going),
        waitlisted: next.as_ref().map_or(0, |d| d.waitlisted),
        my_rsvp: next.as_ref().and_then(|d| d.my_rsvp.clone()),
        next,
        dates: all,
        own_zone: own.is_some(),
        follow_up_html: event.follow_up_cooked.clone(),
        follow_up_raw: event.follow_up.clone().filter(|_| runs),
        thread_url: match event.thread_id {
            None => None,
            Some(thread) => crate::db::schema::threads::table
                .find(thread)
                .select(crate::forum::model::Thread::as_select())
                .first(conn)
                .optional()?
                .map(|t| crate::forum::service::post_url(&t, 1)),
        },
        started: dates
            .iter()
            .any(|d| d.starts_at <= at && d.state == EventState::Scheduled),
        runs,
    })
}

fn clone_date(d: &DateView) -> DateView {
    DateView {
        local_start: d.local_start.clone(),
        local_end: d.local_end.clone(),
        shown_zone: d.shown_zone.clone(),
        my_rsvp: d.my_rsvp.clone(),
        online_url: d.online_url.clone(),
        ..*d
    }
}

/// Whether the meeting link of `date` shows at `at` to someone who is going (or runs the
/// event): `entitled`. Only from 15 minutes before the start, never for a cancelled date.
pub fn revealed(event: &Event, date: &Occurrence, at: NaiveDateTime, entitled: bool) -> bool {
    entitled
        && event.online_url.is_some()
        && event.state == EventState::Scheduled
        && date.state == EventState::Scheduled
        && at >= date.starts_at - Duration::minutes(LINK_REVEAL_MINUTES)
}

#[allow(clippy::too_many_arguments)]
fn date_view(
    event: &Event,
    date: &Occurrence,
    tz: chrono_tz::Tz,
    at: NaiveDateTime,
    status: Option<RsvpStatus>,
    position: Option<i64>,
    checked_in: bool,
    runs: bool,
) -> DateView {
    let cancelled = event.state == EventState::Cancelled || date.state == EventState::Cancelled;
    let past = date.ends_at <= at;
    let revealed = revealed(event, date, at, runs || status == Some(RsvpStatus::Going));
    DateView {
        id: date.id.0,
        starts_at: date.starts_at,
        ends_at: date.ends_at,
        local_start: schedule::to_local(date.starts_at, tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        local_end: schedule::to_local(date.ends_at, tz)
            .format("%Y-%m-%d %H:%M")
            .to_string(),
        shown_zone: tz.name().to_string(),
        cancelled,
        moved: date.starts_at != date.original_starts_at,
        past,
        going: date.going,
        waitlisted: date.waitlisted,
        places_left: event.capacity.map(|c| (c - date.going).max(0)),
        open: super::rsvp::open_at(event, date, at),
        my_rsvp: status.map(|s| s.as_str().to_string()),
        waitlist_position: position,
        online_url: if revealed {
            event.online_url.clone()
        } else {
            None
        },
        checked_in,
        check_in_open: !cancelled && super::attendance::check_in_open(date, at),
    }
}

/// Which events to list: from a day on (`from`, default today), until `to`, in one category
/// (`category`, a slug), online or in person only (`format`).
#[derive(Clone, Debug, Default, serde::Deserialize, Serialize, utoipa::IntoParams)]
pub struct ListQuery {
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub category: Option<String>,
    /// `online` or `in_person`.
    #[serde(default)]
    pub format: Option<String>,
    /// One month, `YYYY-MM` (instead of `from` and `to`).
    #[serde(default)]
    pub month: Option<String>,
}

/// The first day of `YYYY-MM`.
pub fn month_start(text: &str) -> Option<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(&format!("{}-01", text.trim()), "%Y-%m-%d")
        .ok()
        .filter(|d| schedule::YEARS.contains(&d.year()))
}

/// One date in the list of events.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Listed {
    pub event_id: i64,
    pub occurrence_id: i64,
    pub url: String,
    pub title: String,
    pub category: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub starts_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub ends_at: NaiveDateTime,
    /// On the reader's clock (their profile's zone) or else the event's (`shown_zone`).
    pub local_start: String,
    pub shown_zone: String,
    /// The event's own zone.
    pub time_zone: String,
    pub online: bool,
    pub location: Option<String>,
    pub capacity: Option<i32>,
    pub going: i32,
    pub waitlisted: i32,
    pub cancelled: bool,
}

/// At most this many dates per list.
const LIST_LIMIT: i64 = 200;

/// The dates of the events `actor` may see, soonest first.
pub fn list(conn: &mut DbConnection, actor: &Actor, query: &ListQuery) -> AppResult<Vec<Listed>> {
    let day = |text: &Option<String>, name: &str| -> AppResult<Option<NaiveDateTime>> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d")
                .ok()
                .filter(|d| schedule::YEARS.contains(&d.year()))
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(Some)
                .ok_or_else(|| field(name, "error-event-day")),
        }
    };
    let (from, to) = match query
        .month
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        Some(month) => {
            let first = month_start(month).ok_or_else(|| field("month", "error-event-month"))?;
            let next = first
                .checked_add_months(chrono::Months::new(1))
                .ok_or_else(|| field("month", "error-event-month"))?;
            // A day either side, for dates that fall in the month on the reader's clock.
            (
                first.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::days(1),
                Some(next.and_hms_opt(0, 0, 0).unwrap_or_default() + Duration::days(1)),
            )
        }
        None => (
            day(&query.from, "from")?
                .unwrap_or_else(|| now().date().and_hms_opt(0, 0, 0).unwrap_or_default()),
            day(&query.to, "to")?.map(|t| t + Duration::days(1)),
        ),
    };
    let visible = crate::policy::visible_categories(conn, actor)?;
    let mut allowed: Vec<_> = visible.iter().map(|c| c.id).collect();
    if let Some(slug) = query
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let chosen = visible
            .iter()
            .find(|c| c.slug == slug)
            .ok_or_else(|| field("category", "error-event-category"))?;
        allowed = vec![chosen.id];
    }
    let mut rows = event_occurrences::table
        .inner_join(events::table)
        .filter(events::category_id.eq_any(&allowed))
        .filter(event_occurrences::ends_at.gt(from))
        .into_boxed();
    if let Some(to) = to {
        rows = rows.filter(event_occurrences::starts_at.lt(to));
    }
    match query.format.as_deref().map(str::trim) {
        None | Some("") => {}
        Some("online") => rows = rows.filter(events::online_url.is_not_null()),
        Some("in_person") => rows = rows.filter(events::online_url.is_null()),
        Some(_) => return Err(field("format", "error-event-format")),
    }
    let found: Vec<(Occurrence, Event)> = rows
        .order((
            event_occurrences::starts_at.asc(),
            event_occurrences::id.asc(),
        ))
        .limit(LIST_LIMIT)
        .select((Occurrence::as_select(), Event::as_select()))
        .load(conn)?;
    let names: HashMap<_, _> = visible.into_iter().map(|c| (c.id, c.name)).collect();
    let own = viewer_zone(conn, actor)?;
    Ok(found
        .into_iter()
        .map(|(date, event)| {
            let tz =
                own.unwrap_or_else(|| schedule::zone(&event.time_zone).unwrap_or(chrono_tz::UTC));
            Listed {
                event_id: event.id.0,
                occurrence_id: date.id.0,
                url: url(event.id),
                title: event.title,
                category: names.get(&event.category_id).cloned().unwrap_or_default(),
                starts_at: date.starts_at,
                ends_at: date.ends_at,
                local_start: schedule::to_local(date.starts_at, tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string(),
                shown_zone: tz.name().to_string(),
                time_zone: event.time_zone,
                online: event.online_url.is_some(),
                location: event.location,
                capacity: event.capacity,
                going: date.going,
                waitlisted: date.waitlisted,
                cancelled: event.state == EventState::Cancelled
                    || date.state == EventState::Cancelled,
            }
        })
        .collect())
}
