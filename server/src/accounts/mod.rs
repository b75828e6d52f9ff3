//! Accounts: registration, login, sessions, API tokens and profiles.
pub mod mail;
pub mod model;
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::signin::api_register,
    routes::signin::api_login,
    routes::signin::api_logout,
    routes::signin::api_token_login,
    routes::profile::api_me,
    routes::profile::api_update_me,
    routes::sessions::api_sessions,
    routes::sessions::api_session_revoke,
    routes::sessions::api_sessions_revoke_all,
    routes::sessions::api_tokens,
    routes::sessions::api_token_create,
    routes::sessions::api_token_revoke,
    routes::profile::api_user,
    routes::email::api_verify,
    routes::email::api_verify_resend,
    routes::email::api_forgot,
    routes::email::api_reset,
    routes::email::api_email_change,
    routes::email::api_email_confirm,
    routes::email::api_email_undo
))]
struct Api;

pub const DOMAIN: Domain = Domain::new::<Api>("accounts", &[routes::routes], &[routes::api_routes]);
