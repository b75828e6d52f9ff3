//! What every request handler can reach: the application context plus HTTP-only parts
//! (rate limits). Services never see this type; they take `&AppContext`.

use std::ops::Deref;
use std::sync::Arc;

use actix_web::web;

use super::ratelimit::RateLimiter;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::policy::Actor;

pub struct AppState {
    pub ctx: Arc<AppContext>,
    pub limiter: RateLimiter,
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
        AppState {
            ctx,
            limiter: Default::default(),
        }
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
            let mut conn = ctx.pool.get()?;
            work(&mut conn, &ctx)
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
