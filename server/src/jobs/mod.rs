//! Durable background work. A job is a row written in the same transaction as what causes it
//! (a reply, a registration…), so an acknowledged action never loses its follow-up work. Workers
//! claim a due job with a lease (`locked_until`): the claim is one `UPDATE … WHERE` that only
//! one worker can win, so two server instances never run the same job at once, and a job whose
//! worker died is claimed again when its lease ends. Failures retry with exponential backoff
//! until `max_attempts`, then stay visible as failed in the admin page with a retry button.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use crate::context::AppContext;
use crate::db::schema::jobs;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::util::now;

/// How long a claimed job stays reserved for its worker.
pub const LEASE_SECONDS: i64 = 120;

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub payload: String,
    pub run_at: NaiveDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    pub done_at: Option<NaiveDateTime>,
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
}

/// Queues a job to run at `run_at` (now when `None`); call inside the causing transaction.
pub fn enqueue(
    conn: &mut DbConnection,
    kind: &str,
    payload: &impl Serialize,
    run_at: Option<NaiveDateTime>,
    max_attempts: i32,
) -> AppResult<i64> {
    let payload = serde_json::to_string(payload).map_err(AppError::internal)?;
    let now = now();
    Ok(diesel::insert_into(jobs::table)
        .values((
            jobs::kind.eq(kind),
            jobs::payload.eq(payload),
            jobs::run_at.eq(run_at.unwrap_or(now)),
            jobs::max_attempts.eq(max_attempts),
            jobs::created_at.eq(now),
        ))
        .returning(jobs::id)
        .get_result(conn)?)
}

/// Claims the next due job for `worker`, or `None`. The `UPDATE` re-checks the lease in its
/// `WHERE`, so when two workers race for the same row only one update takes effect.
pub fn claim(conn: &mut DbConnection, worker: &str) -> AppResult<Option<Job>> {
    let now = now();
    let free = jobs::locked_until.is_null().or(jobs::locked_until.lt(now));
    let candidates: Vec<i64> = jobs::table
        .filter(jobs::done_at.is_null())
        .filter(jobs::failed_at.is_null())
        .filter(jobs::run_at.le(now))
        .filter(free)
        .order((jobs::run_at.asc(), jobs::id.asc()))
        .limit(5)
        .select(jobs::id)
        .load(conn)?;
    for id in candidates {
        let won = diesel::update(
            jobs::table
                .find(id)
                .filter(jobs::done_at.is_null())
                .filter(jobs::failed_at.is_null())
                .filter(jobs::locked_until.is_null().or(jobs::locked_until.lt(now))),
        )
        .set((
            jobs::locked_until.eq(now + Duration::seconds(LEASE_SECONDS)),
            jobs::locked_by.eq(worker),
            jobs::attempts.eq(jobs::attempts + 1),
        ))
        .execute(conn)?;
        if won == 1 {
            return Ok(Some(
                jobs::table.find(id).select(Job::as_select()).first(conn)?,
            ));
        }
    }
    Ok(None)
}

/// Marks a claimed job done (only if this worker still holds it).
pub fn complete(conn: &mut DbConnection, job: &Job, worker: &str) -> AppResult<()> {
    diesel::update(jobs::table.find(job.id).filter(jobs::locked_by.eq(worker)))
        .set((
            jobs::done_at.eq(now()),
            jobs::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// After a failure: retry later (base × 2^(attempt-1), at most an hour) or give up.
pub fn fail(conn: &mut DbConnection, job: &Job, error: &str, base_seconds: i64) -> AppResult<()> {
    let now = now();
    let error: String = error.chars().take(1000).collect();
    if job.attempts >= job.max_attempts {
        diesel::update(jobs::table.find(job.id))
            .set((
                jobs::failed_at.eq(now),
                jobs::last_error.eq(&error),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    } else {
        let exponent = (job.attempts - 1).clamp(0, 16) as u32;
        let delay = (base_seconds.max(1) * 2i64.pow(exponent)).min(3600);
        diesel::update(jobs::table.find(job.id))
            .set((
                jobs::run_at.eq(now + Duration::seconds(delay)),
                jobs::last_error.eq(&error),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The admin's retry button: a failed job gets a fresh set of attempts now.
pub fn retry(conn: &mut DbConnection, id: i64) -> AppResult<()> {
    let updated = diesel::update(jobs::table.find(id).filter(jobs::failed_at.is_not_null()))
        .set((
            jobs::failed_at.eq(None::<NaiveDateTime>),
            jobs::attempts.eq(0),
            jobs::run_at.eq(now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        return Err(AppError::new(crate::error::ErrorKind::NotFound));
    }
    Ok(())
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct JobStats {
    /// Waiting to run (including retries scheduled later).
    pub pending: i64,
    /// Claimed by a worker right now.
    pub running: i64,
    /// Gave up after their attempts; they can be retried.
    pub failed: i64,
    /// Done so far.
    pub done: i64,
}

pub fn stats(conn: &mut DbConnection) -> AppResult<JobStats> {
    let now = now();
    let open = jobs::table
        .filter(jobs::done_at.is_null())
        .filter(jobs::failed_at.is_null());
    let running: i64 = open
        .filter(jobs::locked_until.gt(now))
        .count()
        .get_result(conn)?;
    let all_open: i64 = open.count().get_result(conn)?;
    Ok(JobStats {
        pending: all_open - running,
        running,
        failed: jobs::table
            .filter(jobs::failed_at.is_not_null())
            .count()
            .get_result(conn)?,
        done: jobs::table
            .filter(jobs::done_at.is_not_null())
            .count()
            .get_result(conn)?,
    })
}

/// The most recent failed jobs, for the admin page.
pub fn failed(conn: &mut DbConnection) -> AppResult<Vec<Job>> {
    Ok(jobs::table
        .filter(jobs::failed_at.is_not_null())
        .order(jobs::id.desc())
        .limit(50)
        .select(Job::as_select())
        .load(conn)?)
}

/// Runs one job of whatever kind it is.
fn dispatch(ctx: &AppContext, conn: &mut DbConnection, job: &Job) -> Result<(), String> {
    match job.kind.as_str() {
        crate::notify::service::JOB_FAN_OUT => {
            crate::notify::service::run_fan_out(ctx, conn, &job.payload)
        }
        crate::notify::mail::JOB_SEND_MAIL => {
            crate::notify::mail::run_send(ctx, conn, &job.payload)
        }
        crate::notify::service::JOB_DIGEST => {
            crate::notify::digest::run_digest(ctx, conn, &job.payload)
        }
        other => Err(format!("unknown job kind {other:?}")),
    }
}

/// Claims and runs one due job; returns whether there was one.
pub fn run_one(ctx: &AppContext, worker: &str) -> AppResult<bool> {
    let mut conn = ctx.pool.get()?;
    let Some(job) = claim(&mut conn, worker)? else {
        return Ok(false);
    };
    match dispatch(ctx, &mut conn, &job) {
        Ok(()) => complete(&mut conn, &job, worker)?,
        Err(error) => {
            tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, %error, "job failed");
            fail(&mut conn, &job, &error, ctx.config.retry_base_seconds)?;
        }
    }
    Ok(true)
}

/// A worker thread; stops when the handle is dropped.
pub struct WorkerHandle {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for WorkerHandle {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Starts the worker loop on its own thread: drain due jobs, then sleep `poll`.
pub fn spawn(ctx: Arc<AppContext>) -> WorkerHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let poll = StdDuration::from_millis(ctx.config.worker_poll_ms.max(10));
    let thread = std::thread::spawn(move || {
        crate::notify::digest::schedule_digests(&ctx);
        while !flag.load(Ordering::SeqCst) {
            match run_one(&ctx, &worker) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => tracing::error!(?error, "job worker could not reach the database"),
            }
            std::thread::sleep(poll);
        }
    });
    WorkerHandle {
        stop,
        thread: Some(thread),
    }
}
