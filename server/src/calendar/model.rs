//! The records of events: an event (what is common to its dates), its dates (occurrences, each
//! with its own RSVPs and counts) and the members' answers, and the forms that create them.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{event_occurrences, event_rsvps, events};
use crate::forum::model::CategoryId;
use crate::newtypes::{small_enum, typed_id, Choice};

typed_id!(EventId);
typed_id!(OccurrenceId);

small_enum!(
    /// Whether an event, or one of its dates, still takes place.
    EventState {
        Scheduled = 0 => "scheduled",
        Cancelled = 1 => "cancelled",
    }
);

small_enum!(
    /// A member's answer for one date. `Waitlisted` is never asked for: it is what `going`
    /// becomes while the date is full.
    RsvpStatus {
        Going = 0 => "going",
        Interested = 1 => "interested",
        NotGoing = 2 => "not_going",
        Waitlisted = 3 => "waitlisted",
    }
);

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: EventId,
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub title: String,
    pub raw: String,
    pub cooked: String,
    pub time_zone: String,
    /// The first date's start, on the clock of `time_zone`.
    pub starts_local: NaiveDateTime,
    pub minutes: i32,
    /// An RRULE in `time_zone` (`FREQ=WEEKLY;COUNT=8`), or none for a single date.
    pub recurrence: Option<String>,
    #[serde(skip)]
    pub online_url: Option<String>,
    pub location: Option<String>,
    pub capacity: Option<i32>,
    pub rsvp_closes_minutes: Option<i32>,
    pub state: EventState,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The hosts' follow-up after the event (recording, slides), Markdown and rendered.
    pub follow_up: Option<String>,
    pub follow_up_cooked: Option<String>,
    pub follow_up_at: Option<NaiveDateTime>,
    /// The forum thread made from the answered questions.
    pub thread_id: Option<crate::forum::model::ThreadId>,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable, Serialize)]
#[diesel(table_name = event_occurrences)]
pub struct Occurrence {
    pub id: OccurrenceId,
    pub event_id: EventId,
    /// UTC.
    pub starts_at: NaiveDateTime,
    pub ends_at: NaiveDateTime,
    /// The date the rule gave, when this one was moved (UTC).
    pub original_starts_at: NaiveDateTime,
    pub state: EventState,
    pub sequence: i32,
    pub going: i32,
    pub waitlisted: i32,
    pub tickets: i64,
    /// What attendees type to check themselves in (made when the date is first managed).
    #[serde(skip)]
    pub check_in_code: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = event_rsvps)]
pub struct Rsvp {
    pub id: i64,
    pub occurrence_id: OccurrenceId,
    pub user_id: UserId,
    pub status: RsvpStatus,
    pub ticket: i64,
    pub checked_in_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A new event, from the page's form or the API. Times are on the clock of `time_zone`
/// (`2026-12-10T19:00`); a time with an offset (`…Z`, `…+01:00`) is converted to it.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EventForm {
    /// The category's slug.
    pub category: String,
    pub title: String,
    /// Markdown.
    #[serde(default)]
    pub body: String,
    pub starts_at: String,
    pub ends_at: String,
    /// An IANA time zone, e.g. `Europe/Madrid`.
    pub time_zone: String,
    /// Places per date; none for no limit.
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub capacity: Option<i64>,
    /// The meeting link of an online event (shown to attendees from 15 minutes before).
    #[serde(default)]
    pub online_url: Option<String>,
    /// The place and address of an event in person.
    #[serde(default)]
    pub location: Option<String>,
    /// `weekly`, `biweekly`, `monthly` (on the same weekday of the month) or an RRULE
    /// (`FREQ=WEEKLY;BYDAY=TU,TH;COUNT=10`); none or empty for a single date.
    #[serde(default)]
    pub recurrence: Option<String>,
    /// How many dates a recurrence without COUNT or UNTIL has (1–52; default 12).
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub occurrences: Option<i64>,
    /// RSVPs close at this time before the (first) start, on the same clock.
    #[serde(default)]
    pub rsvp_deadline: Option<String>,
    /// Usernames of the hosts, separated by commas or spaces (the author when empty).
    #[serde(default)]
    pub hosts: Option<String>,
}

/// An RSVP: `going`, `interested` or `not_going`, for one date (`occurrence`; the next one
/// when omitted).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct RsvpForm {
    #[schema(value_type = RsvpStatus)]
    pub status: Choice<RsvpStatus>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub occurrence: Option<i64>,
}

/// Which date an action is about (the next one when omitted).
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct OccurrenceChoice {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub occurrence: Option<i64>,
}
