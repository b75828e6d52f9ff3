//! The forum core: categories (one level of nesting, public / members / private to groups),
//! threads (discussion, question, announcement), posts in Markdown with revisions, reactions,
//! bookmarks, watching, unread tracking, accepted and official answers.
pub mod markdown;
pub mod model;
pub mod routes;
pub mod service;
pub mod views;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_categories,
    routes::api_category_threads,
    routes::api_category_watch,
    routes::api_latest,
    routes::api_user_threads,
    routes::api_create_thread,
    routes::api_thread,
    routes::api_reply,
    routes::api_thread_watch,
    routes::api_moderate,
    routes::api_edit,
    routes::api_revisions,
    routes::api_accept,
    routes::api_react,
    routes::api_bookmark,
    routes::api_bookmarks,
    routes::api_preview,
    routes::api_admin_create_category,
    routes::api_admin_update_category,
    routes::api_admin_groups,
    routes::api_admin_create_group,
    routes::api_admin_add_member,
    routes::api_admin_remove_member
))]
struct Api;

pub const DOMAIN: Domain = Domain {
    name: "forum",
    pages: routes::routes,
    api: routes::api_routes,
    openapi: <Api as utoipa::OpenApi>::openapi,
    jobs: &[],
    subscribers: &[],
    on_worker_start: None,
};
