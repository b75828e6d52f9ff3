//! Categories: the list, watching one, and the admin's category pages (groups are in `admin`).

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::ErrorBody;
use crate::error::AppResult;
use crate::forum::model::*;
use crate::forum::service::categories::{self, list_categories};
use crate::forum::service::engagement::set_category_watch;
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::state::State;
use crate::policy::Actor;

/// Visible categories with their subcategories.
#[utoipa::path(get, path = "/api/v1/categories", tag = "forum", responses((status = 200, body = Vec<CategoryView>)))]
pub async fn api_categories(state: State, actor: Actor) -> AppResult<HttpResponse> {
    let categories = state
        .db_as(actor, |conn, actor, _| list_categories(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(categories))
}

async fn watch(
    state: &State,
    actor: Actor,
    slug: String,
    form: LevelForm,
) -> AppResult<CategoryView> {
    state
        .db_as(actor, move |conn, actor, _| {
            set_category_watch(conn, actor, &slug, &form)
        })
        .await
}

pub(super) async fn category_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<LevelForm>,
) -> AppResult<HttpResponse> {
    let category = watch(&state, actor, path.into_inner(), form).await?;
    Ok(see_other_saved(&format!("/c/{}", category.slug)))
}

/// Watch, mute or return a category to normal.
#[utoipa::path(put, path = "/api/v1/categories/{slug}/watch", tag = "forum", params(("slug" = String, Path, description = "Category slug")), request_body = LevelForm,
    responses((status = 200, body = CategoryView), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_category_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    form: web::Json<LevelForm>,
) -> AppResult<HttpResponse> {
    let category = watch(&state, actor, path.into_inner(), form.into_inner()).await?;
    Ok(HttpResponse::Ok().json(category))
}

pub(super) async fn admin_categories_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let (categories, groups) = state
        .db_as(actor, |conn, actor, _| {
            let groups = crate::admin::service::list_groups(conn, actor)?;
            Ok((list_categories(conn, actor)?, groups))
        })
        .await?;
    let groups: Vec<String> = groups.into_iter().map(|(g, _)| g.name).collect();
    Page::from_request(&req).render(
        &state,
        "admin/categories.html",
        context! {
            categories => categories, groups => groups, visibilities => Visibility::ALL,
            posting_rules => PostingRule::ALL,
        },
    )
}

/// Creates (`id: None`) or updates a category, then lists them all as the admin sees them.
async fn save(
    state: &State,
    actor: Actor,
    id: Option<CategoryId>,
    form: CategoryForm,
) -> AppResult<Vec<CategoryView>> {
    state
        .db_as(actor, move |conn, actor, _| {
            match id {
                None => categories::create_category(conn, actor, &form).map(drop)?,
                Some(id) => categories::update_category(conn, actor, id, &form)?,
            }
            list_categories(conn, actor)
        })
        .await
}

pub(super) async fn admin_category_create(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    save(&state, actor, None, form).await?;
    Ok(see_other("/admin/categories"))
}

pub(super) async fn admin_category_update(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    save(&state, actor, Some(CategoryId(path.into_inner())), form).await?;
    Ok(see_other_saved("/admin/categories"))
}

#[derive(serde::Deserialize)]
pub(super) struct MoveForm {
    /// up or down
    direction: String,
}

pub(super) async fn admin_category_move(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let id = CategoryId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            categories::move_category(conn, actor, id, &form.direction)
        })
        .await?;
    Ok(see_other("/admin/categories"))
}

/// Create a category (admins).
#[utoipa::path(post, path = "/api/v1/admin/categories", tag = "admin", request_body = CategoryForm,
    responses((status = 201, body = Vec<CategoryView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_create_category(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<CategoryForm>,
) -> AppResult<HttpResponse> {
    let categories = save(&state, actor, None, form.into_inner()).await?;
    Ok(HttpResponse::Created().json(categories))
}

/// Rename, re-describe, re-parent or change the visibility of a category (admins).
#[utoipa::path(put, path = "/api/v1/admin/categories/{id}", tag = "admin", params(("id" = i64, Path, description = "Category id")), request_body = CategoryForm,
    responses((status = 200, body = Vec<CategoryView>), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_update_category(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<CategoryForm>,
) -> AppResult<HttpResponse> {
    let id = CategoryId(path.into_inner());
    let categories = save(&state, actor, Some(id), form.into_inner()).await?;
    Ok(HttpResponse::Ok().json(categories))
}
