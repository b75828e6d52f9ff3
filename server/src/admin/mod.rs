//! The admin's desk: the user list and role changes, the jobs overview.
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(routes::api_users, routes::api_set_role))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "admin",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[],
    subscribers: &[],
    on_worker_start: None,
};
