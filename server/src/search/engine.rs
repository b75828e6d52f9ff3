//! One contract, two engines. `Search` is what the service asks of an engine: the matching
//! posts a reader may see (a page of ids, the total and the facet counts), threads like a
//! title, and matching events. `Database` (the default, always kept: it indexes in the write's transaction) and
//! Meilisearch (`meili`, when configured) answer it alike; `Engines` picks Meilisearch while it
//! answers and falls back to the database while it does not, telling staff.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::analyzer::Term;
use super::index::{Filter, Found};
use super::meili::Meili;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};

/// What every engine answers.
pub trait Search: Send + Sync {
    /// `database` or `meilisearch`, as the API's `engine` says.
    fn name(&self) -> &'static str;
    /// The matching posts `filter` allows (the reader's categories included), best first:
    /// `limit` from `offset`, with the total and facet counts over every match.
    fn matching(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        filter: &Filter,
        limit: i64,
        offset: i64,
    ) -> AppResult<Found>;
    /// Threads' first posts whose titles share words with `groups` in `categories`, solved
    /// first, at most `limit`.
    fn similar(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>>;
    /// The events in `categories` whose title or description match `groups`: the cancelled
    /// last, title matches first, at most `limit` ids.
    fn events(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>>;
}

/// The database's own full-text index (SQLite FTS5 or PostgreSQL), in `index`.
pub struct Database;

impl Search for Database {
    fn name(&self) -> &'static str {
        "database"
    }

    fn matching(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        filter: &Filter,
        limit: i64,
        offset: i64,
    ) -> AppResult<Found> {
        super::index::matching(conn, groups, filter, limit, offset)
    }

    fn similar(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>> {
        super::index::similar_threads(conn, groups, categories, limit)
    }

    fn events(
        &self,
        conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>> {
        super::events::matching(conn, groups, categories, limit)
    }
}

impl Search for Meili {
    fn name(&self) -> &'static str {
        "meilisearch"
    }

    fn matching(
        &self,
        _conn: &mut DbConnection,
        groups: &[Vec<Term>],
        filter: &Filter,
        limit: i64,
        offset: i64,
    ) -> AppResult<Found> {
        Meili::matching(self, groups, filter, limit, offset).map_err(AppError::internal)
    }

    fn similar(
        &self,
        _conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>> {
        Meili::similar(self, groups, categories, limit).map_err(AppError::internal)
    }

    fn events(
        &self,
        _conn: &mut DbConnection,
        groups: &[Vec<Term>],
        categories: &[i64],
        limit: i64,
    ) -> AppResult<Vec<i64>> {
        Meili::events(self, groups, categories, limit).map_err(AppError::internal)
    }
}

/// After a failure, searches use the database for this long before Meilisearch is tried again
/// (the outbox worker keeps trying meanwhile and clears the failure when it gets through).
const QUIET: Duration = Duration::from_secs(15);

/// Meilisearch's state as this server last saw it.
#[derive(Clone, Debug, Default)]
pub struct Health {
    /// The last failure (cleared by the next success), and when it happened.
    pub failure: Option<(String, Instant)>,
    /// Consecutive failures of the outbox worker (its retry delay grows with them).
    pub failures: u32,
    /// Whether the index has been created and its settings applied since the server started.
    pub configured: bool,
}

/// The engines of this server: the database always, Meilisearch when configured.
pub struct Engines {
    pub meili: Option<Meili>,
    health: Mutex<Health>,
}

/// The engine for one search, and why it is not the configured one (a fallback).
pub struct Choice<'a> {
    pub engine: &'a dyn Search,
    pub fallback: Option<String>,
}

impl Engines {
    /// From the configuration; an unreadable synonyms file is a start-up error.
    pub fn new(config: &crate::config::Config) -> Result<Engines, String> {
        let meili = match &config.search_url {
            None => None,
            Some(url) => {
                let synonyms = match &config.search_synonyms {
                    None => None,
                    Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                        format!("search_synonyms: cannot read {}: {e}", path.display())
                    })?),
                };
                Some(Meili::new(
                    url,
                    config.search_key.as_ref().map(|k| k.expose()),
                    &config.search_index,
                    synonyms.as_deref(),
                )?)
            }
        };
        Ok(Engines {
            meili,
            health: Mutex::new(Health::default()),
        })
    }

    pub fn health(&self) -> Health {
        self.health.lock().map(|h| h.clone()).unwrap_or_default()
    }

    /// Records a failure to reach Meilisearch.
    pub fn failed(&self, error: &str) {
        tracing::warn!(%error, "Meilisearch failed; searching the database meanwhile");
        if let Ok(mut health) = self.health.lock() {
            health.failure = Some((error.to_string(), Instant::now()));
            health.failures = health.failures.saturating_add(1);
        }
    }

    /// Records that Meilisearch answered.
    pub fn succeeded(&self) {
        if let Ok(mut health) = self.health.lock() {
            if health.failure.is_some() {
                tracing::info!("Meilisearch answers again");
            }
            health.failure = None;
            health.failures = 0;
        }
    }

    /// Records that the index exists with its settings.
    pub fn set_configured(&self) {
        if let Ok(mut health) = self.health.lock() {
            health.configured = true;
        }
    }

    /// The engine to search with now: Meilisearch when configured and not failing lately.
    pub fn choose(&self) -> Choice<'_> {
        match &self.meili {
            None => Choice {
                engine: &Database,
                fallback: None,
            },
            Some(meili) => match self.health().failure {
                Some((error, at)) if at.elapsed() < QUIET => Choice {
                    engine: &Database,
                    fallback: Some(error),
                },
                _ => Choice {
                    engine: meili,
                    fallback: None,
                },
            },
        }
    }

    /// Runs `work` on the chosen engine; when Meilisearch fails, records it and runs `work` on
    /// the database instead. Returns the answer, the engine's name and the fallback's reason.
    pub fn run<T>(
        &self,
        conn: &mut DbConnection,
        work: impl Fn(&dyn Search, &mut DbConnection) -> AppResult<T>,
    ) -> AppResult<(T, &'static str, Option<String>)> {
        let choice = self.choose();
        match work(choice.engine, conn) {
            Ok(found) => {
                if choice.fallback.is_none() && self.meili.is_some() {
                    self.succeeded();
                }
                Ok((found, choice.engine.name(), choice.fallback))
            }
            Err(error) if choice.engine.name() == "meilisearch" => {
                let reason = error.to_string();
                self.failed(&reason);
                let found = work(&Database, conn)?;
                Ok((found, Database.name(), Some(reason)))
            }
            Err(error) => Err(error),
        }
    }
}
