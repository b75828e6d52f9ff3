//! The OpenAPI document of `/api/v1`, generated from the handlers' annotations.

use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::accounts::routes as accounts;
use crate::admin::routes as admin;
use crate::forum::routes as forum;
use crate::notify::routes as notify;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tertulia API", description = "The JSON API of a Tertulia community. Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}` with a stable `code`."),
    paths(
        accounts::api_register, accounts::api_login, accounts::api_logout, accounts::api_token_login,
        accounts::api_me, accounts::api_update_me, accounts::api_sessions, accounts::api_session_revoke,
        accounts::api_sessions_revoke_all, accounts::api_tokens, accounts::api_token_create,
        accounts::api_token_revoke, accounts::api_user, admin::api_users, admin::api_set_role,
        accounts::api_verify, accounts::api_verify_resend, accounts::api_forgot, accounts::api_reset,
        accounts::api_email_change, accounts::api_email_confirm,
        forum::api_categories, forum::api_category_threads, forum::api_category_watch, forum::api_latest,
        forum::api_user_threads, forum::api_create_thread, forum::api_thread, forum::api_reply,
        forum::api_thread_watch, forum::api_moderate, forum::api_edit, forum::api_revisions,
        forum::api_accept, forum::api_react, forum::api_bookmark, forum::api_bookmarks, forum::api_preview,
        forum::api_admin_create_category, forum::api_admin_update_category, forum::api_admin_groups,
        forum::api_admin_create_group, forum::api_admin_add_member, forum::api_admin_remove_member,
        notify::api_list, notify::api_read, notify::api_read_all, notify::api_preferences,
        notify::api_set_preferences, notify::api_admin_jobs, notify::api_admin_retry,
    ),
    modifiers(&Security),
    tags((name = "accounts", description = "Registration, login, sessions, API tokens, profiles"),
         (name = "forum", description = "Categories, threads, posts, reactions, bookmarks, watching"),
         (name = "notifications", description = "In-app notifications and delivery preferences"),
         (name = "admin", description = "Administration (admins only)"))
)]
pub struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "token",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("tertulia_session"))),
        );
    }
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(ApiDoc::openapi())
}
