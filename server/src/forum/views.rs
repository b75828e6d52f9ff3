//! Thread views are counted in memory and written in batches: a page view then costs no write,
//! so readers never queue behind SQLite's single writer. At most `FLUSH_EVERY` of counts can be
//! lost if the process dies, which a view counter can afford (posts never go this way).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::prelude::*;

use crate::db::schema::threads;
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::ThreadId;

pub const FLUSH_EVERY: Duration = Duration::from_secs(5);

pub struct ViewCounter {
    pending: Mutex<(HashMap<ThreadId, i32>, Instant)>,
}

impl Default for ViewCounter {
    fn default() -> Self {
        ViewCounter {
            pending: Mutex::new((HashMap::new(), Instant::now())),
        }
    }
}

impl ViewCounter {
    /// Counts a view; returns the batch to write when it is time to flush.
    pub fn record(&self, thread: ThreadId) -> Option<HashMap<ThreadId, i32>> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        *pending.0.entry(thread).or_insert(0) += 1;
        if pending.1.elapsed() >= FLUSH_EVERY {
            pending.1 = Instant::now();
            return Some(std::mem::take(&mut pending.0));
        }
        None
    }

    /// Everything counted so far (at shutdown, or when a test wants exact numbers).
    pub fn take(&self) -> HashMap<ThreadId, i32> {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.1 = Instant::now();
        std::mem::take(&mut pending.0)
    }
}

/// Adds a batch of views to the threads.
pub fn flush(conn: &mut DbConnection, batch: HashMap<ThreadId, i32>) -> AppResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    crate::db::write_transaction(conn, |conn| {
        for (thread, views) in batch {
            diesel::update(threads::table.find(thread))
                .set(threads::views.eq(threads::views + views))
                .execute(conn)?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_are_batched() {
        let counter = ViewCounter::default();
        assert!(
            counter.record(ThreadId(7)).is_none(),
            "no write on every view"
        );
        assert!(counter.record(ThreadId(7)).is_none());
        assert!(counter.record(ThreadId(9)).is_none());
        let batch = counter.take();
        assert_eq!(batch.get(&ThreadId(7)), Some(&2));
        assert_eq!(batch.get(&ThreadId(9)), Some(&1));
        assert!(counter.take().is_empty());
    }
}
