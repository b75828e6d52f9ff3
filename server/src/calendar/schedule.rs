//! Time zones and recurrence: an event's times are wall-clock times in its IANA zone
//! (`chrono-tz`), its dates come from its RRULE expanded in that zone (`rrule`), so a weekly
//! 19:00 in Madrid stays 19:00 there across daylight-saving changes; dates are stored in UTC.

use chrono::{DateTime, Datelike, Duration, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The most dates one event may have.
pub const MAX_DATES: u16 = 52;
/// How many dates a rule without COUNT or UNTIL gives, unless the form says.
pub const DEFAULT_DATES: u16 = 12;

/// An IANA time zone by name (`Europe/Madrid`).
pub fn zone(name: &str) -> Option<Tz> {
    name.trim().parse::<Tz>().ok()
}

/// A form's time on the clock of `tz`: `2026-12-10T19:00` (seconds, or a space instead of
/// the `T`, also do), or a time with an offset (`…Z`, `…+01:00`), converted to `tz`.
pub fn parse_local(text: &str, tz: Tz) -> Option<NaiveDateTime> {
    let text = text.trim();
    let parsed = match DateTime::parse_from_rfc3339(text) {
        Ok(at) => Some(at.with_timezone(&tz).naive_local()),
        Err(_) => [
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok()),
    };
    parsed.filter(|at| YEARS.contains(&at.year()))
}

/// The years an event, or a list's dates, may fall in (far enough from chrono's limits that
/// adding a length or a week never overflows).
pub const YEARS: std::ops::RangeInclusive<i32> = 1970..=2200;

/// The UTC instant of a wall-clock time in `tz`. A time a daylight-saving change skips is
/// taken an hour later; one it repeats, the first time.
pub fn to_utc(local: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    tz.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(local + Duration::hours(1)))
                .earliest()
        })
        .map(|at| at.naive_utc())
        .unwrap_or(local)
}

/// A UTC instant on the clock of `tz`.
pub fn to_local(utc: NaiveDateTime, tz: Tz) -> NaiveDateTime {
    Utc.from_utc_datetime(&utc).with_timezone(&tz).naive_local()
}

/// The RRULE for a form's recurrence: a preset (`weekly`, `biweekly`, `monthly`: the same
/// weekday of the month as the first date, e.g. the second Tuesday) or an RRULE of its own.
/// `None` for a single date; `Err` with the reason for a rule that does not parse.
pub fn rule_for(recurrence: &str, first: NaiveDateTime, tz: Tz) -> Result<Option<String>, String> {
    let recurrence = recurrence.trim();
    let weekday =
        ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][first.weekday().num_days_from_monday() as usize];
    let rule = match recurrence.to_ascii_lowercase().as_str() {
        "" | "none" => return Ok(None),
        "weekly" => "FREQ=WEEKLY".to_string(),
        "biweekly" => "FREQ=WEEKLY;INTERVAL=2".to_string(),
        "monthly" => {
            let nth = (first.day() as i32 - 1) / 7 + 1;
            // The fifth weekday does not exist in every month: the last one does.
            let nth = if nth == 5 { -1 } else { nth };
            format!("FREQ=MONTHLY;BYDAY={nth:+}{weekday}")
        }
        _ => {
            let rule = recurrence
                .trim_start_matches("RRULE:")
                .trim()
                .to_ascii_uppercase();
            if rule.contains("DTSTART") || rule.contains('\n') || rule.len() > 300 {
                return Err("a single RRULE line, without DTSTART".into());
            }
            rule
        }
    };
    dates(first, tz, Some(&rule), DEFAULT_DATES)?;
    Ok(Some(rule))
}

/// The UTC starts of an event's dates: its first start, or its rule's dates (at most
/// `MAX_DATES`; `default_count` of them when the rule has neither COUNT nor UNTIL).
pub fn dates(
    first: NaiveDateTime,
    tz: Tz,
    rule: Option<&str>,
    default_count: u16,
) -> Result<Vec<NaiveDateTime>, String> {
    let Some(rule) = rule else {
        return Ok(vec![to_utc(first, tz)]);
    };
    let bounded = rule.contains("COUNT=") || rule.contains("UNTIL=");
    let rule = if bounded {
        rule.to_string()
    } else {
        format!("{rule};COUNT={}", default_count.clamp(1, MAX_DATES))
    };
    let text = format!(
        "DTSTART;TZID={}:{}\nRRULE:{rule}",
        tz.name(),
        first.format("%Y%m%dT%H%M%S")
    );
    let set: rrule::RRuleSet = text.parse().map_err(|e: rrule::RRuleError| e.to_string())?;
    let found = set.all(MAX_DATES);
    if found.dates.is_empty() {
        return Err("the rule gives no date".into());
    }
    Ok(found.dates.iter().map(|d| d.naive_utc()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_weekly_date_keeps_its_wall_clock_across_daylight_saving() {
        let madrid = zone("Europe/Madrid").unwrap();
        // 19:00 in Madrid: 18:00 UTC in winter (CET), 17:00 UTC in summer (CEST, from 29 March).
        let dates = dates(
            at("2026-03-19 19:00"),
            madrid,
            Some("FREQ=WEEKLY;COUNT=3"),
            12,
        )
        .unwrap();
        assert_eq!(
            dates,
            vec![
                at("2026-03-19 18:00"),
                at("2026-03-26 18:00"),
                at("2026-04-02 17:00")
            ]
        );
        for d in &dates {
            assert_eq!(to_local(*d, madrid).format("%H:%M").to_string(), "19:00");
        }
        let bogota = zone("America/Bogota").unwrap();
        assert_eq!(
            to_local(dates[0], bogota).format("%H:%M").to_string(),
            "13:00"
        );
    }

    #[test]
    fn presets_become_rules_and_bad_rules_are_refused() {
        let madrid = zone("Europe/Madrid").unwrap();
        // 2026-12-08 is the second Tuesday of December.
        assert_eq!(
            rule_for("monthly", at("2026-12-08 18:00"), madrid)
                .unwrap()
                .as_deref(),
            Some("FREQ=MONTHLY;BYDAY=+2TU")
        );
        assert_eq!(rule_for("", at("2026-12-08 18:00"), madrid).unwrap(), None);
        assert!(rule_for("FREQ=SOMETIMES", at("2026-12-08 18:00"), madrid).is_err());
        assert!(zone("Mars/Olympus").is_none());
        let monthly = dates(
            at("2026-12-08 18:00"),
            madrid,
            Some("FREQ=MONTHLY;BYDAY=+2TU"),
            2,
        )
        .unwrap();
        assert_eq!(monthly[1], at("2027-01-12 17:00"));
    }
}
