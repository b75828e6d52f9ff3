//! Account pages and their JSON API twins, by flow: `signin` (register, login, logout, token
//! login), `profile`, `sessions` (sessions and API tokens) and `email` (verification, password
//! reset, address change). Handlers check rate limits and the shape of input, call one service
//! function, and render, redirect or answer JSON.

use actix_web::web;
use serde::Deserialize;

pub mod email;
pub mod profile;
pub mod sessions;
pub mod signin;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/register", web::get().to(signin::register_page))
        .route("/register", web::post().to(signin::register_submit))
        .route("/login", web::get().to(signin::login_page))
        .route("/login", web::post().to(signin::login_submit))
        .route("/logout", web::post().to(signin::logout))
        .route("/u/{username}", web::get().to(profile::profile_page))
        .route("/me/profile", web::post().to(profile::profile_submit))
        .route("/me/sessions", web::get().to(sessions::sessions_page))
        .route(
            "/me/sessions/revoke-all",
            web::post().to(sessions::sessions_revoke_all),
        )
        .route(
            "/me/sessions/{id}/revoke",
            web::post().to(sessions::session_revoke),
        )
        .route("/me/tokens", web::get().to(sessions::tokens_page))
        .route("/me/tokens", web::post().to(sessions::token_create))
        .route(
            "/me/tokens/{id}/revoke",
            web::post().to(sessions::token_revoke),
        )
        .route("/verify/resend", web::post().to(email::verify_resend))
        .route("/verify/{token}", web::get().to(email::verify_page))
        .route("/verify/{token}", web::post().to(email::verify_submit))
        .route("/password/forgot", web::get().to(email::forgot_page))
        .route("/password/forgot", web::post().to(email::forgot_submit))
        .route("/password/reset/{token}", web::get().to(email::reset_page))
        .route(
            "/password/reset/{token}",
            web::post().to(email::reset_submit),
        )
        .route("/me/email", web::get().to(email::email_change_page))
        .route("/me/email", web::post().to(email::email_change_submit))
        .route(
            "/email/confirm/{token}",
            web::get().to(email::email_confirm_page),
        )
        .route(
            "/email/confirm/{token}",
            web::post().to(email::email_confirm_submit),
        );
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/auth/register", web::post().to(signin::api_register))
        .route("/auth/login", web::post().to(signin::api_login))
        .route("/auth/logout", web::post().to(signin::api_logout))
        .route("/auth/tokens", web::post().to(signin::api_token_login))
        .route("/me", web::get().to(profile::api_me))
        .route("/me", web::patch().to(profile::api_update_me))
        .route("/me/sessions", web::get().to(sessions::api_sessions))
        .route(
            "/me/sessions",
            web::delete().to(sessions::api_sessions_revoke_all),
        )
        .route(
            "/me/sessions/{id}",
            web::delete().to(sessions::api_session_revoke),
        )
        .route("/me/tokens", web::get().to(sessions::api_tokens))
        .route("/me/tokens", web::post().to(sessions::api_token_create))
        .route(
            "/me/tokens/{id}",
            web::delete().to(sessions::api_token_revoke),
        )
        .route("/users/{username}", web::get().to(profile::api_user))
        .route("/auth/verify", web::post().to(email::api_verify))
        .route(
            "/auth/verify/resend",
            web::post().to(email::api_verify_resend),
        )
        .route("/auth/password/forgot", web::post().to(email::api_forgot))
        .route("/auth/password/reset", web::post().to(email::api_reset))
        .route(
            "/auth/email/confirm",
            web::post().to(email::api_email_confirm),
        )
        .route("/me/email", web::post().to(email::api_email_change));
}

/// For forms whose only field is the CSRF token.
#[derive(Deserialize)]
struct NoFields {}
