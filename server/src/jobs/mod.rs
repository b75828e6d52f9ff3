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
use crate::newtypes::typed_id;
use crate::util::now;

/// How long a claimed job stays reserved for its worker, unless configured
/// (`job_lease_seconds`).
pub const LEASE_SECONDS: i64 = 120;

typed_id!(
    /// A row of `jobs`.
    JobId
);

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = jobs)]
pub struct Job {
    pub id: JobId,
    pub kind: String,
    pub payload: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub run_at: NaiveDateTime,
    pub attempts: i32,
    pub max_attempts: i32,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub locked_until: Option<NaiveDateTime>,
    pub locked_by: Option<String>,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub done_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub failed_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// For timers (a job that queues its own next run): queues a run of `kind` at `at` unless one
/// is pending. From inside the running job (`from_job`), only a run still ahead counts (the
/// running one is not done yet); when a worker starts, any pending run counts.
pub fn schedule_once(
    conn: &mut DbConnection,
    kind: &str,
    at: NaiveDateTime,
    from_job: bool,
) -> AppResult<()> {
    let mut pending = jobs::table
        .filter(jobs::kind.eq(kind))
        .filter(jobs::done_at.is_null())
        .filter(jobs::failed_at.is_null())
        .into_boxed();
    if from_job {
        pending = pending.filter(jobs::run_at.gt(now()));
    }
    let pending: i64 = pending.count().get_result(conn)?;
    if pending == 0 {
        enqueue(conn, kind, &(), Some(at), 3)?;
    }
    Ok(())
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

/// Queues one job of each of `kinds` with the same payload, due now, in one statement.
pub fn enqueue_all(
    conn: &mut DbConnection,
    kinds: &[String],
    payload: &impl Serialize,
    max_attempts: i32,
) -> AppResult<()> {
    if kinds.is_empty() {
        return Ok(());
    }
    let payload = serde_json::to_string(payload).map_err(AppError::internal)?;
    let now = now();
    let rows: Vec<_> = kinds
        .iter()
        .map(|kind| {
            (
                jobs::kind.eq(kind),
                jobs::payload.eq(&payload),
                jobs::run_at.eq(now),
                jobs::max_attempts.eq(max_attempts),
                jobs::created_at.eq(now),
            )
        })
        .collect();
    // One multi-row INSERT (diesel writes those per backend, not through the multi-backend
    // connection).
    match conn {
        DbConnection::Sqlite(c) => diesel::insert_into(jobs::table).values(rows).execute(c)?,
        DbConnection::Postgresql(c) => diesel::insert_into(jobs::table).values(rows).execute(c)?,
    };
    Ok(())
}

/// Claims the next due job for `worker`, or `None`. The `UPDATE` re-checks the lease in its
/// `WHERE`, so when two workers race for the same row only one update takes effect.
pub fn claim(conn: &mut DbConnection, worker: &str) -> AppResult<Option<Job>> {
    claim_for(conn, worker, LEASE_SECONDS)
}

/// `claim` with a lease of `lease_seconds`.
pub fn claim_for(
    conn: &mut DbConnection,
    worker: &str,
    lease_seconds: i64,
) -> AppResult<Option<Job>> {
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
            jobs::locked_until.eq(now + Duration::seconds(lease_seconds.max(1))),
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

/// After a failure: retry later (base × 2^(attempt-1), at most an hour) or give up.
pub fn fail(
    conn: &mut DbConnection,
    job: &Job,
    worker: &str,
    error: &str,
    base_seconds: i64,
) -> AppResult<()> {
    let now = now();
    let error: String = error.chars().take(1000).collect();
    // Only while this worker holds the job: one that lost its lease changes nothing.
    let held = jobs::table
        .find(job.id)
        .filter(jobs::locked_by.eq(worker))
        .filter(jobs::done_at.is_null());
    if job.attempts >= job.max_attempts {
        diesel::update(held)
            .set((
                jobs::failed_at.eq(now),
                jobs::last_error.eq(&error),
                jobs::locked_until.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
    } else {
        let exponent = (job.attempts - 1).clamp(0, 16) as u32;
        let delay = (base_seconds.max(1) * 2i64.pow(exponent)).min(3600);
        diesel::update(held)
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

/// Why a job did not finish.
enum JobError {
    /// The handler failed: retry later (or give up after the last attempt).
    Failed(String),
    /// Another worker holds the job now (this one's lease ran out): leave it alone.
    LeaseLost,
}

impl From<diesel::result::Error> for JobError {
    fn from(error: diesel::result::Error) -> Self {
        JobError::Failed(error.to_string())
    }
}

impl From<AppError> for JobError {
    fn from(error: AppError) -> Self {
        JobError::Failed(format!("{error:?}"))
    }
}

/// Marks the job done if this worker still holds it; otherwise `LeaseLost` (which, inside a
/// transaction, rolls back the handler's work).
fn finish(conn: &mut DbConnection, job: &Job, worker: &str) -> Result<(), JobError> {
    let done = diesel::update(
        jobs::table
            .find(job.id)
            .filter(jobs::locked_by.eq(worker))
            .filter(jobs::done_at.is_null()),
    )
    .set((
        jobs::done_at.eq(now()),
        jobs::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    if done == 1 {
        Ok(())
    } else {
        Err(JobError::LeaseLost)
    }
}

/// Runs one job by the handler the domains registered for its kind.
fn dispatch(
    ctx: &AppContext,
    conn: &mut DbConnection,
    job: &Job,
    worker: &str,
) -> Result<(), JobError> {
    if let Some(name) = job.kind.strip_prefix(crate::events::JOB_PREFIX) {
        let subscriber = crate::DOMAINS
            .iter()
            .flat_map(|d| d.subscribers.iter())
            .find(|s| s.name == name)
            .ok_or_else(|| JobError::Failed(format!("no subscriber named {name:?}")))?;
        return crate::db::write_transaction(conn, |conn| {
            let event = crate::events::decode(&job.payload)?;
            (subscriber.handle)(ctx, conn, &event)?;
            finish(conn, job, worker)
        });
    }
    let handler = crate::DOMAINS
        .iter()
        .flat_map(|d| d.jobs.iter())
        .find(|h| h.kind == job.kind)
        .ok_or_else(|| JobError::Failed(format!("unknown job kind {:?}", job.kind)))?;
    if handler.transactional {
        crate::db::write_transaction(conn, |conn| {
            (handler.run)(ctx, conn, &job.payload).map_err(JobError::Failed)?;
            finish(conn, job, worker)
        })
    } else {
        (handler.run)(ctx, conn, &job.payload).map_err(JobError::Failed)?;
        finish(conn, job, worker)
    }
}

/// What became of a claimed job.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// It failed; it will be retried, or it gave up after its last attempt.
    Failed,
    /// Another worker claimed it after this one's lease ran out; whatever this run wrote in its
    /// transaction was rolled back.
    LeaseLost,
}

/// Claims and runs one due job; returns whether there was one.
pub fn run_one(ctx: &AppContext, worker: &str) -> AppResult<bool> {
    let mut conn = ctx.pool.get()?;
    let Some(job) = claim_for(&mut conn, worker, ctx.config.job_lease_seconds)? else {
        return Ok(false);
    };
    run_claimed(ctx, &mut conn, &job, worker)?;
    Ok(true)
}

/// Keeps `worker`'s lease on `job` while `work` runs: on PostgreSQL a second connection renews
/// it every third of the lease (the job's own transaction is invisible until it commits), so a
/// long job is not claimed again by another worker. SQLite gets none: a transactional job's
/// write transaction holds the database's write lock, so no other worker can claim anything
/// before it ends (and a renewal could not be written either); a non-transactional job (the
/// mail sender) may be claimed again after its lease and guards itself (`sent_at`).
fn with_renewed_lease<T>(
    ctx: &AppContext,
    postgres: bool,
    job: &Job,
    worker: &str,
    work: impl FnOnce() -> T,
) -> T {
    if !postgres {
        return work();
    }
    let lease = ctx.config.job_lease_seconds.max(1);
    let period = StdDuration::from_millis((lease as u64 * 1000 / 3).max(100));
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(period)
            {
                let renewed = ctx.pool.get().map_err(AppError::from).and_then(|mut conn| {
                    diesel::update(
                        jobs::table
                            .find(job.id)
                            .filter(jobs::locked_by.eq(worker))
                            .filter(jobs::done_at.is_null()),
                    )
                    .set(jobs::locked_until.eq(now() + Duration::seconds(lease)))
                    .execute(&mut **conn)
                    .map_err(AppError::from)
                });
                match renewed {
                    Ok(1) => {}
                    Ok(_) => break, // Lost or finished: nothing left to keep.
                    Err(error) => {
                        tracing::warn!(job = job.id.0, ?error, "could not renew a job's lease")
                    }
                }
            }
        });
        let result = work();
        let _ = stop.send(());
        result
    })
}

/// Runs a job that `worker` claimed and records the outcome.
pub fn run_claimed(
    ctx: &AppContext,
    conn: &mut DbConnection,
    job: &Job,
    worker: &str,
) -> AppResult<Outcome> {
    let postgres = matches!(conn, DbConnection::Postgresql(_));
    let outcome = with_renewed_lease(ctx, postgres, job, worker, || {
        dispatch(ctx, conn, job, worker)
    });
    match outcome {
        Ok(()) => Ok(Outcome::Done),
        Err(JobError::LeaseLost) => {
            tracing::warn!(job = job.id.0, kind = %job.kind, "job lease lost to another worker; its work was undone");
            Ok(Outcome::LeaseLost)
        }
        Err(JobError::Failed(error)) => {
            tracing::warn!(job = job.id.0, kind = %job.kind, attempt = job.attempts, %error, "job failed");
            fail(conn, job, worker, &error, ctx.config.retry_base_seconds)?;
            Ok(Outcome::Failed)
        }
    }
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

/// Starts the worker loop on its own thread: each domain's turn (outboxes), due jobs, then sleep
/// `poll` when neither had more to do.
pub fn spawn(ctx: Arc<AppContext>) -> WorkerHandle {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    let worker = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
    let poll = StdDuration::from_millis(ctx.config.worker_poll_ms.max(10));
    let thread = std::thread::spawn(move || {
        let _clock = ctx.clock.enter();
        for domain in crate::DOMAINS {
            if let Some(start) = domain.on_worker_start {
                start(&ctx);
            }
        }
        while !flag.load(Ordering::SeqCst) {
            let mut busy = false;
            for domain in crate::DOMAINS {
                if let Some(turn) = domain.on_worker_turn {
                    busy |= turn(&ctx);
                }
            }
            match run_one(&ctx, &worker) {
                Ok(true) => continue,
                Ok(false) => {}
                Err(error) => tracing::error!(?error, "job worker could not reach the database"),
            }
            if busy {
                continue;
            }
            std::thread::sleep(poll);
        }
    });
    WorkerHandle {
        stop,
        thread: Some(thread),
    }
}
