//! Account pages and their JSON API twins, by flow: `signin` (register, login, logout, token
//! login), `profile`, `sessions` (sessions and API tokens) and `email` (verification, password
//! reset, address change). Handlers check rate limits and the shape of input, call one service
//! function, and render, redirect or answer JSON.

use actix_web::web;

use crate::http::routing::ApiRoutes;

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
        .route("/language", web::post().to(profile::language_submit))
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
        )
        .route("/email/undo/{token}", web::get().to(email::email_undo_page))
        .route(
            "/email/undo/{token}",
            web::post().to(email::email_undo_submit),
        );
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.post("/auth/register", signin::api_register)
        .post("/auth/login", signin::api_login)
        .post("/auth/logout", signin::api_logout)
        .post("/auth/tokens", signin::api_token_login)
        .get("/me", profile::api_me)
        .patch("/me", profile::api_update_me)
        .get("/me/sessions", sessions::api_sessions)
        .delete("/me/sessions", sessions::api_sessions_revoke_all)
        .delete("/me/sessions/{id}", sessions::api_session_revoke)
        .get("/me/tokens", sessions::api_tokens)
        .post("/me/tokens", sessions::api_token_create)
        .delete("/me/tokens/{id}", sessions::api_token_revoke)
        .get("/users/{username}", profile::api_user)
        .post("/auth/verify", email::api_verify)
        .post("/auth/verify/resend", email::api_verify_resend)
        .post("/auth/password/forgot", email::api_forgot)
        .post("/auth/password/reset", email::api_reset)
        .post("/auth/email/confirm", email::api_email_confirm)
        .post("/auth/email/undo", email::api_email_undo)
        .post("/me/email", email::api_email_change);
}
