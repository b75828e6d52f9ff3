//! iCalendar files (RFC 5545, written by the `icalendar` crate): one VEVENT per date, in UTC
//! (every calendar client shows UTC times in its own zone; the event's zone is named in
//! `X-WR-TIMEZONE`), with a UID that stays the same for the date's whole life, a SEQUENCE that
//! rises with every change (a move, a cancellation) and `STATUS:CANCELLED` once cancelled, so a
//! client that subscribed updates its copy. A date is its own VEVENT (not one recurring VEVENT
//! with exceptions): a moved or cancelled date is the same VEVENT with a higher SEQUENCE, and clients
//! without RRULE support show the same dates. The meeting link is written only where the
//! reader would see it on the page (going or hosting, from 15 minutes before).

use chrono::{NaiveDateTime, TimeZone, Utc};
use icalendar::{Calendar, Component, EventLike, EventStatus};

use super::model::{Event, EventState, Occurrence};

/// One date to write, with the meeting link when the reader may see it.
pub struct Entry<'a> {
    pub event: &'a Event,
    pub date: &'a Occurrence,
    pub link: Option<&'a str>,
}

fn utc(at: NaiveDateTime) -> chrono::DateTime<Utc> {
    Utc.from_utc_datetime(&at)
}

/// The host part of the forum's URL, for UIDs (`event-7-12@forum.example.com`).
fn host(base_url: &str) -> &str {
    let rest = base_url.split("://").nth(1).unwrap_or(base_url);
    rest.split('/').next().unwrap_or(rest)
}

/// A calendar named `name` holding `entries`.
pub fn calendar(name: &str, base_url: &str, entries: &[Entry<'_>]) -> String {
    let mut calendar = Calendar::new();
    calendar.name(name);
    if let Some(first) = entries.first() {
        calendar.timezone(&first.event.time_zone);
    }
    let host = host(base_url);
    for entry in entries {
        let (event, date) = (entry.event, entry.date);
        let cancelled = event.state == EventState::Cancelled || date.state == EventState::Cancelled;
        let page = format!("{base_url}{}", super::service::url(event.id));
        let mut description = event.raw.clone();
        if let Some(link) = entry.link {
            description = format!("{link}\n\n{description}");
        }
        description.push_str(&format!("\n\n{page}"));
        let mut vevent = icalendar::Event::new();
        vevent
            .uid(&format!("event-{}-{}@{host}", event.id.0, date.id.0))
            .timestamp(utc(event.updated_at))
            .sequence(date.sequence.max(0) as u32)
            .summary(&event.title)
            .description(&description)
            .starts(utc(date.starts_at))
            .ends(utc(date.ends_at))
            .url(&page)
            .status(if cancelled {
                EventStatus::Cancelled
            } else {
                EventStatus::Confirmed
            });
        match (&event.location, entry.link) {
            (Some(place), _) => {
                vevent.location(place);
            }
            (None, Some(link)) => {
                vevent.location(link);
            }
            (None, None) => {}
        }
        calendar.push(vevent.done());
    }
    calendar.done().to_string()
}
