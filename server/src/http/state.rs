//! What every request handler can reach: the application context plus HTTP-only parts
//! (rate limits). Services never see this type; they take `&AppContext`.

use std::ops::Deref;
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
}
