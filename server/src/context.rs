//! The application context: what services, jobs and commands need, with no HTTP in it.
//! `http::state::AppState` wraps it for handlers; the jobs worker and the CLI use it directly.

use std::time::Duration;

use crate::accounts::service::PasswordHasher;
use crate::config::{BackendKind, Config, Secret};
use crate::db::Pool;
use crate::mailer::Mailer;
use crate::view::i18n::I18n;
use crate::view::templates::Templates;

pub struct AppContext {
    pub config: Config,
    pub pool: Pool,
    pub backend: BackendKind,
    pub templates: Templates,
    pub hasher: PasswordHasher,
    /// The active theme: stylesheet, logo and template folders.
    pub theme: crate::view::theme::Theme,
    /// Thread views waiting to be written.
    pub views: crate::forum::views::ViewCounter,
    /// Signs values that leave the server (unsubscribe links, later SSO hand-offs).
    pub secret_key: Secret,
    pub mailer: Mailer,
    /// The search engines (the database's index; Meilisearch when configured) and
    /// Meilisearch's health.
    pub search: crate::search::engine::Engines,
    /// Topics watchers are told about when they change (live pages).
    pub live: crate::live::Hub,
    /// The categories and their groups, kept between requests (see `policy::catalog`).
    pub catalog: std::sync::Arc<crate::policy::CatalogCache>,
    /// The app's time: what `util::now()` reads in this app's database hops and jobs.
    pub clock: crate::util::Clock,
}

impl AppContext {
    pub fn i18n(&self) -> &I18n {
        self.templates.i18n()
    }

    pub fn forum_settings(&self) -> crate::forum::service::ForumSettings {
        crate::forum::service::ForumSettings {
            image_hosts: self.config.allowed_image_hosts.clone(),
            require_verified_email: self.config.require_verified_email,
            posting_limits: self.config.posting_limits,
        }
    }

    pub fn login_window(&self) -> Duration {
        Duration::from_secs(self.config.login_window_seconds)
    }
}
