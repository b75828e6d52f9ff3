//! Accounts: registration, login, sessions, API tokens and profiles.
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_register,
    routes::api_login,
    routes::api_logout,
    routes::api_token_login,
    routes::api_me,
    routes::api_update_me,
    routes::api_sessions,
    routes::api_session_revoke,
    routes::api_sessions_revoke_all,
    routes::api_tokens,
    routes::api_token_create,
    routes::api_token_revoke,
    routes::api_user,
    routes::api_verify,
    routes::api_verify_resend,
    routes::api_forgot,
    routes::api_reset,
    routes::api_email_change,
    routes::api_email_confirm
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "accounts",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[],
    subscribers: &[],
    on_worker_start: None,
};
