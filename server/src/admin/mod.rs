//! The admin's desk (admins only): the user list with roles and departments, groups and their
//! members, and the background jobs overview with retry.
pub mod routes;
pub mod service;

use crate::domain::Domain;

#[derive(utoipa::OpenApi)]
#[openapi(paths(
    routes::api_users,
    routes::api_set_role,
    routes::api_admin_groups,
    routes::api_admin_create_group,
    routes::api_admin_add_member,
    routes::api_admin_remove_member,
    routes::api_admin_jobs,
    routes::api_admin_retry
))]
struct Api;

pub const DOMAIN: Domain = Domain::new::<Api>("admin", &[routes::routes], &[routes::api_routes]);
