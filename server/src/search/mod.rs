//! Search: one contract (`engine::Search`), two engines. The database engine (the default,
//! always kept): each post's words, analyzed in Rust (`analyzer`: folded, stemmed in Spanish
//! and English), indexed in the transaction that writes the post (`index`: SQLite FTS5 or
//! PostgreSQL full-text), searched with the reader's permissions checked against the live
//! tables. Meilisearch (`meili`, when `search_url` is set): documents of the same words with
//! every filtered attribute, kept by the outbox worker (`outbox`), permissions applied inside
//! the query. `service` validates, picks the engine (falling back to the database while
//! Meilisearch fails), and reads the hits' posts from the database. Pages and API in `routes`.
pub mod analyzer;
pub mod engine;
pub mod events;
pub mod index;
pub mod meili;
mod meili_settings;
pub mod outbox;
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(routes::api_search, routes::api_similar))]
struct Api;

pub const DOMAIN: Domain = Domain {
    on_worker_turn: Some(outbox::drain),
    ..Domain::new::<Api>("search", &[routes::routes], &[routes::api_routes])
};
