//! The month calendar of `/events?view=month&month=YYYY-MM`: weeks from Monday to Sunday, each
//! day with the dates that start on it on the reader's clock.

use chrono::{Datelike, Duration, NaiveDate};
use serde::Serialize;

use super::service::Listed;

#[derive(Debug, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub date: String,
    pub day: u32,
    /// Part of the month shown (not the days before or after that fill its weeks).
    pub in_month: bool,
    pub today: bool,
    /// (title, URL, time `HH:MM`, cancelled)
    pub events: Vec<(String, String, String, bool)>,
}

#[derive(Debug, Serialize)]
pub struct Month {
    /// `YYYY-MM` of this month, the previous and the next.
    pub month: String,
    pub previous: String,
    pub next: String,
    pub weeks: Vec<Vec<Day>>,
}

pub fn build(first: NaiveDate, today: NaiveDate, dates: &[Listed]) -> Month {
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let next_month = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let previous = first
        .checked_sub_months(chrono::Months::new(1))
        .unwrap_or(first);
    let mut weeks = vec![];
    let mut day = start;
    while day < next_month || weeks.is_empty() {
        let mut week = vec![];
        for _ in 0..7 {
            let key = day.format("%Y-%m-%d").to_string();
            week.push(Day {
                events: dates
                    .iter()
                    .filter(|d| d.local_start.starts_with(&key))
                    .map(|d| {
                        (
                            d.title.clone(),
                            format!("{}#date-{}", d.url, d.occurrence_id),
                            d.local_start.get(11..16).unwrap_or("").to_string(),
                            d.cancelled,
                        )
                    })
                    .collect(),
                date: key,
                day: day.day(),
                in_month: day.month() == first.month(),
                today: day == today,
            });
            day += Duration::days(1);
        }
        weeks.push(week);
    }
    Month {
        month: first.format("%Y-%m").to_string(),
        previous: previous.format("%Y-%m").to_string(),
        next: next_month.format("%Y-%m").to_string(),
        weeks,
    }
}
