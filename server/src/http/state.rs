//! What every request handler can reach: configuration, the pool, templates and limits.

use std::sync::Arc;
use std::time::Duration;

use actix_web::web;

use super::i18n::I18n;
use super::ratelimit::RateLimiter;
use super::render::Templates;
use crate::accounts::service::PasswordHasher;
use crate::config::{Config, Secret};
use crate::db::{BackendKind, DbConnection, Pool};
use crate::error::{AppError, AppResult};

pub struct AppState {
    pub config: Config,
    pub pool: Pool,
    pub backend: BackendKind,
    pub templates: Templates,
    pub limiter: RateLimiter,
    pub hasher: PasswordHasher,
    /// The active theme: stylesheet, logo and template folders.
    pub theme: super::theme::Theme,
    /// Thread views waiting to be written.
    pub views: crate::forum::views::ViewCounter,
    /// Signs values that leave the server (later: unsubscribe links, SSO hand-offs).
    pub secret_key: Secret,
}

pub type State = web::Data<AppState>;

impl AppState {
    pub fn i18n(&self) -> &I18n {
        self.templates.i18n()
    }

    pub fn forum_settings(&self) -> crate::forum::service::ForumSettings {
        crate::forum::service::ForumSettings {
            image_hosts: self.config.allowed_image_hosts.clone(),
            require_verified_email: self.config.require_verified_email,
        }
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.config.login_window_seconds)
    }

    /// Runs database work on the blocking thread pool with a pooled connection, so the async
    /// workers never wait on SQLite or PostgreSQL.
    pub async fn db<T, F>(self: &Arc<Self>, work: F) -> AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut DbConnection, &AppState) -> AppResult<T> + Send + 'static,
    {
        let state = Arc::clone(self);
        web::block(move || {
            let mut conn = state.pool.get()?;
            work(&mut conn, &state)
        })
        .await
        .map_err(AppError::from)?
    }
}
