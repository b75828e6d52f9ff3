//! Search. The database engine (the default): each post's words, analyzed in Rust
//! (`analyzer`: folded, stemmed in Spanish and English), indexed in the transaction that writes
//! the post (`index`: SQLite FTS5 or PostgreSQL full-text), searched with the reader's
//! permissions checked against the live tables (`service`). Pages and API in `routes`.
pub mod analyzer;
pub mod index;
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(routes::api_search, routes::api_similar))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "search",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[],
    subscribers: &[],
    on_worker_start: None,
    screen: None,
};
