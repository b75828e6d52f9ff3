//! In-memory rate limits (per process): a sliding log of attempts per key. Behind several app
//! servers each keeps its own log, so a limit is at most multiplied by the number of servers.
//!
//! Home-made on purpose: the limits here need "count the attempt now, take it back when it
//! turned out fine" (a successful login forgets the failures of its account) and a retry-after
//! in seconds; `governor`, the maintained crate, has neither a per-key reset nor a sliding log.
//!
//! Memory is bounded: a key is stored as a 64-bit keyed hash (never the text a client sent),
//! a log holds at most `limit` instants, and each of the 16 shards holds at most
//! `MAX_KEYS / 16` keys. A full shard first drops the keys whose attempts have aged out, then
//! the key below its limit that was quiet longest (a lockout in force is kept); that scan
//! touches one shard, under that shard's lock only.

use std::collections::hash_map::RandomState;
use std::collections::{HashMap, VecDeque};
use std::hash::BuildHasher;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SHARDS: usize = 16;
const MAX_KEYS: usize = 100_000;

/// The attempts of one key inside its window.
struct Log {
    window: Duration,
    limit: u32,
    attempts: VecDeque<Instant>,
}

impl Log {
    fn forget_old(&mut self, now: Instant) {
        while self
            .attempts
            .front()
            .is_some_and(|t| now.duration_since(*t) >= self.window)
        {
            self.attempts.pop_front();
        }
    }

    fn last(&self) -> Option<Instant> {
        self.attempts.back().copied()
    }
}

pub struct RateLimiter {
    shards: Vec<Mutex<HashMap<u64, Log>>>,
    hasher: RandomState,
    keys_per_shard: usize,
}

impl Default for RateLimiter {
    fn default() -> Self {
        RateLimiter::with_capacity(MAX_KEYS)
    }
}

impl RateLimiter {
    /// A limiter that remembers at most about `max_keys` keys.
    pub fn with_capacity(max_keys: usize) -> Self {
        RateLimiter {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            keys_per_shard: (max_keys / SHARDS).max(1),
        }
    }

    fn shard(&self, key: &str) -> (std::sync::MutexGuard<'_, HashMap<u64, Log>>, u64) {
        let hash = self.hasher.hash_one(key);
        let shard = &self.shards[(hash % SHARDS as u64) as usize];
        (shard.lock().unwrap_or_else(|e| e.into_inner()), hash)
    }

    /// Counts an attempt against `key`, unless it already has `limit` attempts inside `window`:
    /// then `Err(seconds to wait)` and nothing is counted. Checking and counting are one step
    /// under one lock, so concurrent attempts cannot all pass the check.
    pub fn acquire(&self, key: &str, limit: u32, window: Duration) -> Result<(), u64> {
        let now = Instant::now();
        let (mut logs, hash) = self.shard(key);
        if let Some(log) = logs.get_mut(&hash) {
            log.window = window;
            log.limit = limit;
            log.forget_old(now);
            if log.attempts.len() >= limit as usize {
                let oldest = log.attempts.front().copied().unwrap_or(now);
                let wait = window.saturating_sub(now.duration_since(oldest));
                return Err(wait.as_secs().max(1));
            }
            log.attempts.push_back(now);
            return Ok(());
        }
        if limit == 0 {
            return Err(window.as_secs().max(1));
        }
        if logs.len() >= self.keys_per_shard {
            logs.retain(|_, log| {
                log.last()
                    .is_some_and(|t| now.duration_since(t) < log.window)
            });
            if logs.len() >= self.keys_per_shard {
                // A key at its limit is a lockout in force: forget the quietest of the others
                // (only when every key is at its limit, the quietest of all).
                let quietest = logs
                    .iter()
                    .min_by_key(|(_, log)| (log.attempts.len() >= log.limit as usize, log.last()))
                    .map(|(hash, _)| *hash);
                if let Some(quietest) = quietest {
                    logs.remove(&quietest);
                }
            }
        }
        logs.insert(
            hash,
            Log {
                window,
                limit,
                attempts: VecDeque::from([now]),
            },
        );
        Ok(())
    }

    /// Takes back one attempt of `key` (one that turned out not to count, such as a login that
    /// succeeded, against the per-address limit).
    pub fn release(&self, key: &str) {
        let (mut logs, hash) = self.shard(key);
        if let Some(log) = logs.get_mut(&hash) {
            log.attempts.pop_back();
        }
    }

    /// Forgets every attempt of `key` (after a successful login, for its account).
    pub fn clear(&self, key: &str) {
        let (mut logs, hash) = self.shard(key);
        logs.remove(&hash);
    }

    /// How many keys are remembered.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(|e| e.into_inner()).len())
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
            assert!(limiter.acquire("k", 3, window).is_ok());
        }
        let wait = limiter.acquire("k", 3, window).unwrap_err();
        assert!((1..=60).contains(&wait));
        assert!(limiter.acquire("other", 3, window).is_ok());
        limiter.release("k");
        assert!(limiter.acquire("k", 3, window).is_ok());
        assert!(limiter.acquire("k", 3, window).is_err());
        limiter.clear("k");
        assert!(limiter.acquire("k", 3, window).is_ok());
    }

    #[test]
    fn concurrent_attempts_cannot_all_pass() {
        let limiter = RateLimiter::default();
        let window = Duration::from_secs(60);
        let passed = std::sync::atomic::AtomicU32::new(0);
        std::thread::scope(|scope| {
            for _ in 0..8 {
                scope.spawn(|| {
                    for _ in 0..50 {
                        if limiter.acquire("account", 5, window).is_ok() {
                            passed.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                        }
                    }
                });
            }
        });
        assert_eq!(passed.into_inner(), 5);
    }

    #[test]
    fn memory_stays_bounded_whatever_the_keys() {
        let limiter = RateLimiter::with_capacity(1_600);
        let window = Duration::from_secs(60);
        let long_key = "x".repeat(100_000);
        for n in 0..20_000 {
            let _ = limiter.acquire(&format!("{long_key}{n}"), 5, window);
        }
        assert!(limiter.len() <= 1_600, "{} keys", limiter.len());
        // Each log holds at most `limit` attempts.
        for _ in 0..100 {
            let _ = limiter.acquire("busy", 5, window);
        }
        let (logs, hash) = limiter.shard("busy");
        assert_eq!(logs[&hash].attempts.len(), 5);
    }
}
