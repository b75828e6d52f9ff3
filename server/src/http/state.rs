//! What every request handler can reach: the application context plus HTTP-only parts
//! (rate limits). Services never see this type; they take `&AppContext`.

use std::ops::Deref;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use actix_web::web;

use super::ratelimit::RateLimiter;
use crate::accounts::service::PasswordHasher;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::policy::Actor;

pub struct AppState {
    pub ctx: Arc<AppContext>,
    pub limiter: RateLimiter,
    /// Password hashes computed at once (argon2 takes tens of milliseconds of CPU and
    /// `argon2_memory_kib` of memory each); more requests wait for a slot, holding nothing.
    hash_slots: tokio::sync::Semaphore,
}

pub type State = web::Data<AppState>;

/// Blocking hops taken since the process started (tests compare a page's hops with its
/// refused form's).
static HOPS: AtomicU64 = AtomicU64::new(0);

/// How many blocking hops (`AppState::db`) have run in this process.
pub fn hops() -> u64 {
    HOPS.load(Ordering::Relaxed)
}

/// A service call on the thing `I` names, with a form `F`, as page forms and their API twins
/// both make it: `step(conn, ctx, actor, id, &form)`.
pub type Step<I, F, T> = fn(&mut DbConnection, &AppContext, &Actor, I, &F) -> AppResult<T>;

/// What a form's submission came to: done, or refused for its input, with what the page needs to
/// show the form again (read in the same hop).
pub enum Submitted<T, P> {
    Done(T),
    Refused(AppError, P),
}

impl Deref for AppState {
    type Target = AppContext;
    fn deref(&self) -> &AppContext {
        &self.ctx
    }
}

impl AppState {
    pub fn new(ctx: Arc<AppContext>) -> AppState {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        AppState {
            ctx,
            limiter: Default::default(),
            hash_slots: tokio::sync::Semaphore::new(cores),
        }
    }

    /// Counts an attempt against a rate limit, or refuses it with `RateLimited` (and the
    /// seconds to wait) when `key` already had `limit` attempts inside `window`.
    pub fn limit(&self, key: &str, limit: u32, window: std::time::Duration) -> AppResult<()> {
        self.limiter
            .acquire(key, limit, window)
            .map_err(|retry_after| AppError::new(ErrorKind::RateLimited { retry_after }))
    }

    /// Password hashing and checking, off the async workers and without a database connection,
    /// at most one per core at a time: a burst of logins cannot starve the pool that every
    /// page needs.
    pub async fn hashing<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&PasswordHasher) -> T + Send + 'static,
    {
        let _slot = self
            .hash_slots
            .acquire()
            .await
            .map_err(AppError::internal)?;
        let ctx = Arc::clone(&self.ctx);
        web::block(move || work(&ctx.hasher))
            .await
            .map_err(AppError::from)
    }

    /// Runs database work on the blocking thread pool with a pooled connection, so the async
    /// workers never wait on SQLite or PostgreSQL. One hop per handler: the closure builds
    /// everything the response needs.
    pub async fn db<T, F>(&self, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &AppContext) -> AppResult<T> + Send + 'static,
    {
        let ctx = Arc::clone(&self.ctx);
        HOPS.fetch_add(1, Ordering::Relaxed);
        web::block(move || {
            let _clock = ctx.clock.enter();
            let mut conn = ctx.pool.get()?;
            let result = work(&mut conn, &ctx);
            if result.is_err() {
                conn.suspect();
            }
            result
        })
        .await
        .map_err(AppError::from)?
    }

    /// `db` on behalf of the request's actor (from the `Actor` extractor).
    pub async fn db_as<T, F>(&self, actor: Actor, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &Actor, &AppContext) -> AppResult<T> + Send + 'static,
    {
        self.db(move |conn, ctx| work(conn, &actor, ctx)).await
    }

    /// `step` on `id` with `form`, as the actor, in one hop.
    pub async fn step<I, F, T>(
        &self,
        actor: Actor,
        id: I,
        form: F,
        step: Step<I, F, T>,
    ) -> AppResult<T>
    where
        I: Send + 'static,
        F: Send + 'static,
        T: Send + 'static,
    {
        self.db_as(actor, move |conn, actor, ctx| {
            step(conn, ctx, actor, id, &form)
        })
        .await
    }

    /// A form's write, and when it is refused for its input (`AppError::is_about_input`), the
    /// page to show it again (`again`), in one hop: a refused form costs what its page costs.
    /// Any other error, of the write or of `again`, is the error page's.
    pub async fn submit<T, P, W, A>(&self, work: W, again: A) -> AppResult<Submitted<T, P>>
    where
        T: Send + 'static,
        P: Send + 'static,
        W: FnOnce(&mut DbConnection, &AppContext) -> AppResult<T> + Send + 'static,
        A: FnOnce(&mut DbConnection, &AppContext) -> AppResult<P> + Send + 'static,
    {
        self.db(move |conn, ctx| match work(conn, ctx) {
            Ok(done) => Ok(Submitted::Done(done)),
            Err(error) if error.is_about_input() => {
                Ok(Submitted::Refused(error, again(conn, ctx)?))
            }
            Err(error) => Err(error),
        })
        .await
    }

    /// `submit` on behalf of the request's actor.
    pub async fn submit_as<T, P, W, A>(
        &self,
        actor: Actor,
        work: W,
        again: A,
    ) -> AppResult<Submitted<T, P>>
    where
        T: Send + 'static,
        P: Send + 'static,
        W: FnOnce(&mut DbConnection, &Actor, &AppContext) -> AppResult<T> + Send + 'static,
        A: FnOnce(&mut DbConnection, &Actor, &AppContext) -> AppResult<P> + Send + 'static,
    {
        let (first, second) = (actor.clone(), actor);
        self.submit(
            move |conn, ctx| work(conn, &first, ctx),
            move |conn, ctx| again(conn, &second, ctx),
        )
        .await
    }
}
