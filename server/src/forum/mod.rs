//! The forum core: categories (one level of nesting, public / members / private to groups),
//! threads (discussion, question, announcement), posts in Markdown with revisions, reactions,
//! bookmarks, watching, unread tracking, accepted and official answers.
pub mod language;
pub mod markdown;
pub mod model;
pub mod routes;
pub mod service;
pub mod views;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::categories::api_categories,
    routes::lists::api_category_threads,
    routes::categories::api_category_watch,
    routes::lists::api_latest,
    routes::lists::api_user_threads,
    routes::people::api_directory,
    routes::people::api_mentions,
    routes::people::api_card,
    routes::drafts::api_get_reply,
    routes::drafts::api_put_reply,
    routes::drafts::api_delete_reply,
    routes::drafts::api_get_new,
    routes::drafts::api_put_new,
    routes::drafts::api_delete_new,
    routes::threads::api_create_thread,
    routes::threads::api_thread,
    routes::threads::api_reply,
    routes::threads::api_thread_watch,
    routes::threads::api_moderate,
    routes::posts::api_edit,
    routes::posts::api_revisions,
    routes::posts::api_accept,
    routes::posts::api_react,
    routes::posts::api_bookmark,
    routes::lists::api_bookmarks,
    routes::posts::api_preview,
    routes::categories::api_admin_create_category,
    routes::categories::api_admin_update_category
))]
struct Api;

pub const DOMAIN: Domain = Domain::new::<Api>("forum", &[routes::routes], &[routes::api_routes]);
