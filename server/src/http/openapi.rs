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
        accounts::signin::api_register, accounts::signin::api_login, accounts::signin::api_logout, accounts::signin::api_token_login,
        accounts::profile::api_me, accounts::profile::api_update_me, accounts::sessions::api_sessions, accounts::sessions::api_session_revoke,
        accounts::sessions::api_sessions_revoke_all, accounts::sessions::api_tokens, accounts::sessions::api_token_create,
        accounts::sessions::api_token_revoke, accounts::profile::api_user, admin::api_users, admin::api_set_role,
        accounts::email::api_verify, accounts::email::api_verify_resend, accounts::email::api_forgot, accounts::email::api_reset,
        accounts::email::api_email_change, accounts::email::api_email_confirm,
        forum::categories::api_categories, forum::lists::api_category_threads,
        forum::categories::api_category_watch, forum::lists::api_latest, forum::lists::api_user_threads,
        forum::threads::api_create_thread, forum::threads::api_thread, forum::threads::api_reply,
        forum::threads::api_thread_watch, forum::threads::api_moderate, forum::posts::api_edit,
        forum::posts::api_revisions, forum::posts::api_accept, forum::posts::api_react,
        forum::posts::api_bookmark, forum::lists::api_bookmarks, forum::posts::api_preview,
        forum::categories::api_admin_create_category, forum::categories::api_admin_update_category,
        admin::api_admin_groups, admin::api_admin_create_group, admin::api_admin_add_member, admin::api_admin_remove_member,
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
