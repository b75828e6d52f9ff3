//! In-memory rate limits (per process): a sliding log of attempts per key. Behind several app
//! servers each keeps its own log, so a limit is at most multiplied by the number of servers.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Default)]
pub struct RateLimiter {
    attempts: Mutex<HashMap<String, VecDeque<Instant>>>,
}

impl RateLimiter {
    /// `Err(seconds)` when `key` already has `limit` attempts inside `window`.
    pub fn check(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        let Some(log) = attempts.get_mut(key) else {
            return Ok(());
        };
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() >= limit as usize {
            let oldest = log.front().copied().unwrap_or(now);
            let wait = window.saturating_sub(now.duration_since(oldest));
            return Err(wait.as_secs().max(1));
        }
        Ok(())
    }

    /// Records an attempt against `key`.
    pub fn hit(&self, key: &str, window: Duration) {
        let now = Instant::now();
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        if attempts.len() > 100_000 {
            // Forget keys whose attempts have all aged out, so memory stays bounded.
            attempts.retain(|_, log| log.back().is_some_and(|t| now.duration_since(*t) < window));
        }
        attempts.entry(key.to_string()).or_default().push_back(now);
    }

    /// Forgets the attempts of `key` (after a successful login).
    pub fn clear(&self, key: &str) {
        let mut attempts = self.attempts.lock().unwrap_or_else(|e| e.into_inner());
        attempts.remove(key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_applies_within_window() {
        let limiter = RateLimiter::default();
        let window = Duration::from_secs(60);
        for _ in 0..3 {
            assert!(limiter.check("k", 3, window).is_ok());
            limiter.hit("k", window);
        }
        let wait = limiter.check("k", 3, window).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.check("other", 3, window).is_ok());
        limiter.clear("k");
        assert!(limiter.check("k", 3, window).is_ok());
    }
}
