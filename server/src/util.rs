//! Small helpers every layer uses: the clock and random tokens. Nothing here knows a domain.

use base64::Engine as _;
use chrono::{NaiveDateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Current time, naive UTC, truncated to microseconds so both databases store the same value:
/// the clock of the app whose work runs on this thread (`Clock::enter`), else the system's.
pub fn now() -> NaiveDateTime {
    let offset = CURRENT_CLOCK.with(|current| current.borrow().as_ref().map(Clock::offset));
    let now = Utc::now().naive_utc() + chrono::Duration::microseconds(offset.unwrap_or(0));
    let micros = now.and_utc().timestamp_micros();
    chrono::DateTime::from_timestamp_micros(micros)
        .map(|t| t.naive_utc())
        .unwrap_or(now)
}

thread_local! {
    /// The clock of the app whose work runs on this thread (`None`: the system's).
    static CURRENT_CLOCK: std::cell::RefCell<Option<Clock>> = const { std::cell::RefCell::new(None) };
}

/// An app's time (`AppContext::clock`): the system's, moved forward by what tests ask for, so
/// a test reaches a deadline (a reminder, an expiry, a response time) by moving the app's time
/// instead of editing stored times. Every database hop of a request (`AppState::db`) and the
/// jobs worker read `now()` from their app's clock; clones share one offset.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_micros: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    fn offset(&self) -> i64 {
        self.offset_micros.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Moves this app's time forward by `by`, up to a century in all (tests; nothing in the app
    /// calls it; a negative `by` does nothing).
    pub fn advance(&self, by: chrono::Duration) {
        // Bounded to a century: a date past chrono's range would panic in `now()`.
        let century = 100 * 365 * 24 * 3_600 * 1_000_000_i64;
        let micros = by.num_microseconds().unwrap_or(century).clamp(0, century);
        let _ = self.offset_micros.fetch_update(
            std::sync::atomic::Ordering::SeqCst,
            std::sync::atomic::Ordering::SeqCst,
            |offset| Some(offset.saturating_add(micros).min(century)),
        );
    }

    /// Makes this the clock `now()` reads on this thread until the guard drops (then the one
    /// before it again).
    pub fn enter(&self) -> ClockGuard {
        let previous = CURRENT_CLOCK.with(|current| current.replace(Some(self.clone())));
        ClockGuard { previous }
    }
}

/// While it lives, `now()` on this thread reads the clock that made it (`Clock::enter`).
pub struct ClockGuard {
    previous: Option<Clock>,
}

impl Drop for ClockGuard {
    fn drop(&mut self) {
        let previous = self.previous.take();
        CURRENT_CLOCK.with(|current| *current.borrow_mut() = previous);
    }
}

/// 32 random bytes, URL-safe base64, after `prefix` (sessions, API tokens, CSRF, message ids).
pub fn new_token(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "{prefix}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// What the database stores of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    digest(token)
}

/// The SHA-256 of a text, hex (the digests of evidence, statements and decisions).
pub fn digest(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// HMAC-SHA256 of `message` under `key`, URL-safe base64 (43 characters).
pub fn sign(key: &str, message: &str) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = match Hmac::<Sha256>::new_from_slice(key.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(message.as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Compares two signatures in time that does not depend on where they differ (an empty
/// expected value never matches).
pub fn constant_time_eq(expected: &[u8], given: &[u8]) -> bool {
    !expected.is_empty()
        && expected.len() == given.len()
        && expected
            .iter()
            .zip(given)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// Serializes the naive UTC times the database holds as RFC 3339 with `Z`
/// (`2026-11-30T15:30:13.501889Z`): what the OpenAPI `date-time` format requires, and what a
/// browser's `Date` reads as UTC rather than local time. Use with
/// `#[serde(serialize_with = "crate::util::utc::serialize")]` (or `utc::option`).
pub mod utc {
    use chrono::{NaiveDateTime, SecondsFormat};
    use serde::Serializer;

    // chrono's RFC 3339 writer, not a strftime pattern: pages serialize many times per render.
    fn text(time: &NaiveDateTime) -> String {
        time.and_utc().to_rfc3339_opts(SecondsFormat::Micros, true)
    }

    pub fn serialize<S: Serializer>(time: &NaiveDateTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&text(time))
    }

    pub fn option<S: Serializer>(time: &Option<NaiveDateTime>, s: S) -> Result<S::Ok, S::Error> {
        match time {
            Some(time) => s.serialize_str(&text(time)),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_apps_clock_moves_only_its_own_work() {
        let clock = Clock::default();
        clock.advance(chrono::Duration::hours(2));
        let system = now();
        let moved = {
            let _at = clock.enter();
            let inner = Clock::default();
            // A nested app's work sees its own time, then the outer one's again.
            {
                let _inner = inner.enter();
                assert!(now() - system < chrono::Duration::minutes(1));
            }
            now()
        };
        assert!(
            moved - system >= chrono::Duration::hours(2),
            "{moved} vs {system}"
        );
        assert!(
            now() - system < chrono::Duration::minutes(1),
            "the guard restores it"
        );
        // Clones share the offset: what a test moves, the app sees.
        clock.clone().advance(chrono::Duration::hours(1));
        {
            let _at = clock.enter();
            assert!(now() - system >= chrono::Duration::hours(3));
        }
        // Bounded: no date past what chrono can hold, however far a test asks to go.
        clock.advance(chrono::Duration::MAX);
        clock.advance(chrono::Duration::MAX);
        let _at = clock.enter();
        assert!(now() - system <= chrono::Duration::days(100 * 365 + 1));
    }
}
