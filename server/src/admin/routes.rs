//! The admin's user list with role changes, as a page and as JSON: both call the same service
//! function with the same form.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::service::{self, RoleForm};
use crate::accounts::model::{OwnUser, Role, UserId};
use crate::error::AppResult;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users_page))
        .route("/admin/users/{id}/role", web::post().to(role_submit));
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(api_users))
        .route("/admin/users/{id}/role", web::put().to(api_set_role));
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AfterQuery {
    /// The last user id of the previous page.
    pub after: Option<i64>,
}

async fn users_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let after = query.after.map(UserId);
    let page = state
        .db_as(actor, move |conn, actor, _| {
            service::list_users(conn, actor, after)
        })
        .await?;
    let next_after = page.next_after;
    let users: Vec<OwnUser> = page.users.iter().map(OwnUser::from).collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    Page::from_request(&req).render(
        &state,
        "admin/users.html",
        context! { users => users, roles => roles, next_after => next_after },
    )
}

async fn role_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> AppResult<HttpResponse> {
    let target = UserId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            service::change_role(conn, actor, target, &form)
        })
        .await?;
    Ok(see_other("/admin/users"))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct UserPage {
    pub users: Vec<OwnUser>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_after: Option<i64>,
}

/// All accounts, 50 per page in id order (admins only).
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", params(AfterQuery),
    responses((status = 200, body = UserPage), (status = 403, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_users(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let after = query.after.map(UserId);
    let page = state
        .db_as(actor, move |conn, actor, _| {
            service::list_users(conn, actor, after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(UserPage {
        users: page.users.iter().map(OwnUser::from).collect(),
        next_after: page.next_after,
    }))
}

/// Change a member's role (admins only; the last admin cannot be demoted).
#[utoipa::path(put, path = "/api/v1/admin/users/{id}/role", tag = "admin", request_body = RoleForm,
    params(("id" = i64, Path, description = "User id")),
    responses((status = 200, body = OwnUser), (status = 403, body = crate::error::ErrorBody),
              (status = 422, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_set_role(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<RoleForm>,
) -> AppResult<HttpResponse> {
    let target = UserId(path.into_inner());
    let form = form.into_inner();
    let updated = state
        .db_as(actor, move |conn, actor, _| {
            service::change_role(conn, actor, target, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(OwnUser::from(&updated)))
}
