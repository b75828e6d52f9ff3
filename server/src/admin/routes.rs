//! The admin's user list with role changes, and the groups with their members, as pages and as
//! JSON: a page and its API twin call the same service function with the same form.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::service::{self, RoleForm};
use crate::accounts::model::{OwnUser, Role, UserId};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::{GroupForm, GroupId};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/users", web::get().to(users_page))
        .route("/admin/users/{id}/role", web::post().to(role_submit))
        .route("/admin/groups", web::get().to(groups_page))
        .route("/admin/groups", web::post().to(group_create))
        .route("/admin/groups/{id}/members", web::post().to(group_member))
        .route("/admin/jobs", web::get().to(jobs_page))
        .route("/admin/jobs/{id}/retry", web::post().to(job_retry));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/admin/users", api_users)
        .put("/admin/users/{id}/role", api_set_role)
        .get("/admin/groups", api_admin_groups)
        .post("/admin/groups", api_admin_create_group)
        .put(
            "/admin/groups/{id}/members/{username}",
            api_admin_add_member,
        )
        .delete(
            "/admin/groups/{id}/members/{username}",
            api_admin_remove_member,
        )
        .get("/admin/jobs", api_admin_jobs)
        .post("/admin/jobs/{id}/retry", api_admin_retry);
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
    pub next_after: Option<UserId>,
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

// ---------------------------------------------------------------------------------------------
// Groups

#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    /// The short label shown by its members' names on their posts.
    pub flair: Option<String>,
    pub members: Vec<String>,
}

/// Makes a change to the groups, then lists them all, in one hop.
async fn change_groups(
    state: &State,
    actor: Actor,
    change: impl FnOnce(&mut DbConnection, &Actor) -> AppResult<()> + Send + 'static,
) -> AppResult<Vec<GroupView>> {
    let groups = state
        .db_as(actor, move |conn, actor, _| {
            change(conn, actor)?;
            service::list_groups(conn, actor)
        })
        .await?;
    Ok(groups
        .into_iter()
        .map(|(g, members)| GroupView {
            id: g.id,
            name: g.name,
            description: g.description,
            flair: g.flair,
            members,
        })
        .collect())
}

fn no_change(_: &mut DbConnection, _: &Actor) -> AppResult<()> {
    Ok(())
}

async fn groups_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let groups: Vec<_> = change_groups(&state, actor, no_change)
        .await?
        .into_iter()
        .map(|g| {
            let members = g.members.clone();
            context! { group => g, members => members }
        })
        .collect();
    Page::from_request(&req).render(&state, "admin/groups.html", context! { groups => groups })
}

async fn group_create(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> AppResult<HttpResponse> {
    change_groups(&state, actor, move |conn, actor| {
        service::create_group(conn, actor, &form).map(drop)
    })
    .await?;
    Ok(see_other("/admin/groups"))
}

#[derive(Deserialize)]
struct MemberForm {
    username: String,
    /// add or remove
    action: String,
}

async fn group_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let id = GroupId(path.into_inner());
    change_groups(&state, actor, move |conn, actor| {
        service::group_member_form(conn, actor, id, &form.username, &form.action)
    })
    .await?;
    Ok(see_other("/admin/groups"))
}

/// Groups and their members (admins).
#[utoipa::path(get, path = "/api/v1/admin/groups", tag = "admin", responses((status = 200, body = Vec<GroupView>), (status = 403, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_groups(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(change_groups(&state, actor, no_change).await?))
}

/// Create a group (admins).
#[utoipa::path(post, path = "/api/v1/admin/groups", tag = "admin", request_body = GroupForm,
    responses((status = 201, body = Vec<GroupView>), (status = 403, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_create_group(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<GroupForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let groups = change_groups(&state, actor, move |conn, actor| {
        service::create_group(conn, actor, &form).map(drop)
    })
    .await?;
    Ok(HttpResponse::Created().json(groups))
}

async fn set_member(
    state: &State,
    actor: Actor,
    (id, username): (i64, String),
    add: bool,
) -> AppResult<HttpResponse> {
    let groups = change_groups(state, actor, move |conn, actor| {
        service::set_group_member(conn, actor, GroupId(id), &username, add)
    })
    .await?;
    Ok(HttpResponse::Ok().json(groups))
}

/// Add a member to a group (admins).
#[utoipa::path(put, path = "/api/v1/admin/groups/{id}/members/{username}", tag = "admin",
    params(("id" = i64, Path, description = "Group id"), ("username" = String, Path, description = "Member")),
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_add_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    set_member(&state, actor, path.into_inner(), true).await
}

/// Remove a member from a group (admins).
#[utoipa::path(delete, path = "/api/v1/admin/groups/{id}/members/{username}", tag = "admin",
    params(("id" = i64, Path, description = "Group id"), ("username" = String, Path, description = "Member")),
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_remove_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    set_member(&state, actor, path.into_inner(), false).await
}

// ---------------------------------------------------------------------------------------------
// Background jobs

async fn jobs_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let view = state
        .db_as(actor, |conn, actor, ctx| {
            service::jobs_overview(conn, ctx, actor)
        })
        .await?;
    Page::from_request(&req).render(&state, "admin/jobs.html", context! { view => view })
}

async fn job_retry(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            service::retry_job(conn, actor, id)
        })
        .await?;
    Ok(see_other("/admin/jobs"))
}

/// Background jobs and the mail outbox (admins).
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin",
    responses((status = 200, body = service::JobsOverview), (status = 403, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_jobs(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let view = state
        .db_as(actor, |conn, actor, ctx| {
            service::jobs_overview(conn, ctx, actor)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Give a failed job a fresh set of attempts (admins).
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", params(("id" = i64, Path, description = "Job id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_retry(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            service::retry_job(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
