//! Forum pages and their `/api/v1` twins. Handlers parse input, load the `Actor`, call
//! `service`, and render, redirect (POST → 303) or answer JSON.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service;
use super::service::listing::ListScope;
use crate::accounts::model::CurrentUser;
use crate::context::AppContext;
use crate::error::{AppError, AppResult};
use crate::http::auth::SignedIn;

use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(home))
        .route("/latest", web::get().to(latest_page))
        .route("/c/{slug}", web::get().to(category_page))
        .route("/c/{slug}/watch", web::post().to(category_watch))
        .route("/new", web::get().to(new_thread_page))
        .route("/new", web::post().to(new_thread_submit))
        .route("/t/{slug}/{id}", web::get().to(thread_page))
        .route("/t/{slug}/{id}/{number}", web::get().to(permalink))
        .route("/t/{id}/reply", web::post().to(reply_submit))
        .route("/t/{id}/watch", web::post().to(thread_watch))
        .route("/t/{id}/moderate", web::post().to(thread_moderate))
        .route("/p/{id}/edit", web::get().to(edit_page))
        .route("/p/{id}/edit", web::post().to(edit_submit))
        .route("/p/{id}/history", web::get().to(history_page))
        .route("/p/{id}/accept", web::post().to(accept_submit))
        .route("/p/{id}/react", web::post().to(react_submit))
        .route("/p/{id}/bookmark", web::post().to(bookmark_submit))
        .route("/bookmarks", web::get().to(bookmarks_page))
        .route("/admin/categories", web::get().to(admin_categories_page))
        .route("/admin/categories", web::post().to(admin_category_create))
        .route(
            "/admin/categories/{id}",
            web::post().to(admin_category_update),
        )
        .route(
            "/admin/categories/{id}/move",
            web::post().to(admin_category_move),
        )
        .route("/admin/groups", web::get().to(admin_groups_page))
        .route("/admin/groups", web::post().to(admin_group_create))
        .route(
            "/admin/groups/{id}/members",
            web::post().to(admin_group_member),
        );
}

pub fn api_routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/categories", web::get().to(api_categories))
        .route(
            "/categories/{slug}/threads",
            web::get().to(api_category_threads),
        )
        .route(
            "/categories/{slug}/watch",
            web::put().to(api_category_watch),
        )
        .route("/latest", web::get().to(api_latest))
        .route("/threads", web::post().to(api_create_thread))
        .route("/threads/{id}", web::get().to(api_thread))
        .route("/threads/{id}/posts", web::post().to(api_reply))
        .route("/threads/{id}/watch", web::put().to(api_thread_watch))
        .route("/threads/{id}/moderation", web::post().to(api_moderate))
        .route("/posts/{id}", web::patch().to(api_edit))
        .route("/posts/{id}/revisions", web::get().to(api_revisions))
        .route("/posts/{id}/accept", web::post().to(api_accept))
        .route("/posts/{id}/reactions", web::post().to(api_react))
        .route("/posts/{id}/bookmark", web::post().to(api_bookmark))
        .route("/bookmarks", web::get().to(api_bookmarks))
        .route("/users/{username}/threads", web::get().to(api_user_threads))
        .route("/preview", web::post().to(api_preview))
        .route(
            "/admin/categories",
            web::post().to(api_admin_create_category),
        )
        .route(
            "/admin/categories/{id}",
            web::put().to(api_admin_update_category),
        )
        .route("/admin/groups", web::get().to(api_admin_groups))
        .route("/admin/groups", web::post().to(api_admin_create_group))
        .route(
            "/admin/groups/{id}/members/{username}",
            web::put().to(api_admin_add_member),
        )
        .route(
            "/admin/groups/{id}/members/{username}",
            web::delete().to(api_admin_remove_member),
        );
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AfterQuery {
    /// Cursor from the previous page's `next_after`.
    pub after: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct PostAfterQuery {
    /// Show posts numbered after this one (the previous page's `next_after`).
    pub after: Option<i32>,
    /// Prefill the reply box with a quote of this post number.
    pub quote: Option<i32>,
}

// ---------------------------------------------------------------------------------------------
// Pages

async fn home(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let (categories, latest, new_since) = state
        .db_as(actor.clone(), |conn, viewer, _| {
            let categories = service::categories::list_categories(conn, viewer)?;
            let latest = service::listing::list_threads(conn, viewer, ListScope::Latest, None)?;
            let new_since = service::listing::new_since_last_visit(conn, viewer)?;
            Ok((categories, latest, new_since))
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/home.html",
        context! { categories => categories, list => latest, new_since => new_since },
    )
}

async fn latest_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let after = query.after.clone();
    let list = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::listing::list_threads(conn, viewer, ListScope::Latest, after.as_deref())
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/latest.html",
        context! { list => list },
    )
}

async fn category_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let after = query.after.clone();
    let (category, list) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            let category = service::categories::category_by_slug(conn, viewer, &slug)?;
            let list = service::listing::list_threads(
                conn,
                viewer,
                ListScope::Category(category.id),
                after.as_deref(),
            )?;
            Ok((category, list))
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/category.html",
        context! { category => category, list => list, levels => WatchLevel::ALL },
    )
}

#[derive(Deserialize)]
struct WatchForm {
    level: String,
}

fn parse_level(text: &str) -> AppResult<WatchLevel> {
    WatchLevel::parse(text.trim())
        .ok_or_else(|| AppError::invalid_field("level", "error-level-invalid"))
}

async fn category_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<String>,
    CsrfForm(form): CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let level = parse_level(&form.level)?;
    let slug = path.into_inner();
    let category = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::set_category_watch(conn, viewer, &slug, level)
        })
        .await?;
    Ok(see_other(&format!("/c/{}", category.slug)))
}

#[derive(Deserialize)]
struct NewThreadQuery {
    category: Option<String>,
}

async fn new_thread_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<NewThreadQuery>,
) -> AppResult<HttpResponse> {
    let categories = state
        .db_as(actor.clone(), |conn, viewer, _| {
            service::categories::list_categories(conn, viewer)
        })
        .await?;
    let kinds = thread_kinds(&actor);
    Page::from_request(&req).render(
        &state,
        "forum/new_thread.html",
        context! {
            categories => categories,
            kinds => kinds,
            values => context! { category => query.category.clone(), kind => "discussion" },
        },
    )
}

fn thread_kinds(actor: &Actor) -> Vec<&'static str> {
    ThreadKind::ALL
        .iter()
        .filter(|k| service::can_create_thread(actor, **k))
        .map(|k| k.as_str())
        .collect()
}

async fn new_thread_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<NewThreadForm>,
) -> AppResult<HttpResponse> {
    let submitted = form.clone();
    let result = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            service::posting::create_thread(conn, viewer, &form, &state.forum_settings())
        })
        .await;
    match result {
        Ok(thread) => Ok(see_other(&service::thread_url(&thread))),
        Err(error) => {
            let page = Page::from_request(&req);
            let Some(errors) = page.form_errors(&state, &error) else {
                return Err(error);
            };
            let categories = state
                .db_as(actor.clone(), |conn, viewer, _| {
                    service::categories::list_categories(conn, viewer)
                })
                .await?;
            page.render_with_status(
                &state,
                "forum/new_thread.html",
                context! {
                    categories => categories,
                    kinds => thread_kinds(&actor),
                    errors => errors,
                    values => context! {
                        category => submitted.category, kind => submitted.kind,
                        title => submitted.title, body => submitted.body,
                    },
                },
                error.status(),
            )
        }
    }
}

/// A thread page as a reader sees it, counting the view (pages and API alike).
fn read_thread(
    conn: &mut crate::db::DbConnection,
    viewer: &Actor,
    state: &AppContext,
    id: ThreadId,
    after: i32,
) -> AppResult<ThreadPage> {
    let page = service::listing::thread_page(conn, viewer, id, after)?;
    if let Some(batch) = state.views.record(id.0) {
        super::views::flush(conn, batch)?;
    }
    Ok(page)
}

/// Which page of which thread to show (`after: None` is the last page), and what to prefill.
struct ThreadRequest {
    id: i64,
    after: Option<i32>,
    quote: Option<i32>,
}

async fn render_thread(
    state: &State,
    req: &HttpRequest,
    actor: Actor,
    ThreadRequest { id, after, quote }: ThreadRequest,
    extra: minijinja::Value,
    status: actix_web::http::StatusCode,
) -> AppResult<HttpResponse> {
    let (page, categories, quote_text) = state
        .db_as(actor, move |conn, viewer, state| {
            let after = match after {
                Some(after) => after,
                None => service::listing::last_page_start(conn, viewer, ThreadId(id))?,
            };
            let page = read_thread(conn, viewer, state, ThreadId(id), after)?;
            let categories = if page.can_moderate {
                service::categories::list_categories(conn, viewer)?
            } else {
                vec![]
            };
            let quote_text = match quote {
                Some(number) => service::posting::quote(conn, viewer, ThreadId(id), number)?,
                None => None,
            };
            Ok((page, categories, quote_text))
        })
        .await?;
    Page::from_request(req).render_with_status(
        state,
        "forum/thread.html",
        context! {
            page => page,
            categories => categories,
            quote => quote_text,
            quote_number => quote,
            reactions => ReactionKind::ALL,
            levels => WatchLevel::ALL,
            ..extra
        },
        status,
    )
}

async fn thread_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i64)>,
    query: web::Query<PostAfterQuery>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let after = query.after.unwrap_or(0);
    let request = ThreadRequest {
        id,
        after: Some(after),
        quote: query.quote,
    };
    render_thread(
        &state,
        &req,
        actor,
        request,
        context! {},
        actix_web::http::StatusCode::OK,
    )
    .await
}

/// `/t/<slug>/<id>/<n>`: the page that holds post n (the fragment `#post-n` scrolls to it).
async fn permalink(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i64, i32)>,
) -> AppResult<HttpResponse> {
    let (_, id, number) = path.into_inner();
    let after = service::page_start_for(number);
    let request = ThreadRequest {
        id,
        after: Some(after),
        quote: None,
    };
    let extra = context! { target => number };
    render_thread(
        &state,
        &req,
        actor,
        request,
        extra,
        actix_web::http::StatusCode::OK,
    )
    .await
}

async fn reply_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let submitted = form.body.clone();
    let result = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            service::posting::reply(conn, viewer, ThreadId(id), &form, &state.forum_settings())
        })
        .await;
    match result {
        Ok((post, thread)) => Ok(see_other(&service::post_url(&thread, post.number))),
        Err(error) => {
            let page = Page::from_request(&req);
            let Some(errors) = page.form_errors(&state, &error) else {
                return Err(error);
            };
            let status = error.status();
            // Show the last page, where the reply box and its errors belong.
            let request = ThreadRequest {
                id,
                after: None,
                quote: None,
            };
            render_thread(
                &state,
                &req,
                actor,
                request,
                context! { errors => errors, draft => submitted },
                status,
            )
            .await
        }
    }
}

async fn thread_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<WatchForm>,
) -> AppResult<HttpResponse> {
    let level = parse_level(&form.level)?;
    let id = path.into_inner();
    let thread = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::set_thread_watch(conn, viewer, ThreadId(id), level)
        })
        .await?;
    Ok(see_other(&service::thread_url(&thread)))
}

#[derive(Deserialize)]
struct ModerateForm {
    /// pin, unpin, lock, unlock or move
    action: String,
    #[serde(default)]
    category: String,
}

async fn thread_moderate(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ModerateForm>,
) -> AppResult<HttpResponse> {
    let id = ThreadId(path.into_inner());
    let thread = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            match form.action.as_str() {
                "pin" => service::posting::set_thread_flags(conn, viewer, id, Some(true), None),
                "unpin" => service::posting::set_thread_flags(conn, viewer, id, Some(false), None),
                "lock" => service::posting::set_thread_flags(conn, viewer, id, None, Some(true)),
                "unlock" => service::posting::set_thread_flags(conn, viewer, id, None, Some(false)),
                "move" => service::posting::move_thread(conn, viewer, id, &form.category),
                _ => Err(AppError::invalid_field("action", "error-action-invalid")),
            }
        })
        .await?;
    Ok(see_other(&service::thread_url(&thread)))
}

async fn edit_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (post, thread) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::post_for_edit(conn, viewer, id)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "forum/edit_post.html",
        context! { post => post, thread => thread, thread_url => service::thread_url(&thread), values => context! { body => post.raw.clone() } },
    )
}

async fn edit_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let submitted = form.clone();
    let result = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            service::posting::edit_post(conn, viewer, id, &form, &state.forum_settings())
        })
        .await;
    match result {
        Ok((post, thread)) => Ok(see_other(&service::post_url(&thread, post.number))),
        Err(error) => {
            let page = Page::from_request(&req);
            let Some(errors) = page.form_errors(&state, &error) else {
                return Err(error);
            };
            let (post, thread) = state
                .db_as(actor.clone(), move |conn, viewer, _| {
                    service::posting::post_for_edit(conn, viewer, id)
                })
                .await?;
            page.render_with_status(
                &state,
                "forum/edit_post.html",
                context! {
                    post => post, thread => thread, thread_url => service::thread_url(&thread),
                    errors => errors, values => context! { body => submitted.body, reason => submitted.reason },
                },
                error.status(),
            )
        }
    }
}

async fn history_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (post, thread, revisions) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::revisions(conn, viewer, id)
        })
        .await?;
    Page::new(&req, actor.user.as_ref()).render(
        &state,
        "forum/history.html",
        context! {
            post => post, thread => thread, revisions => revisions,
            post_url => service::post_url(&thread, post.number),
        },
    )
}

#[derive(Deserialize)]
struct NoFields {}

async fn accept_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let thread = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::toggle_accepted(conn, viewer, id)
        })
        .await?;
    Ok(see_other(&service::thread_url(&thread)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ReactForm {
    /// like, love, laugh, thanks or insightful
    pub kind: String,
}

fn parse_reaction(text: &str) -> AppResult<ReactionKind> {
    ReactionKind::parse(text.trim())
        .ok_or_else(|| AppError::invalid_field("kind", "error-reaction-invalid"))
}

async fn react_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReactForm>,
) -> AppResult<HttpResponse> {
    let kind = parse_reaction(&form.kind)?;
    let id = PostId(path.into_inner());
    let (post, thread) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::toggle_reaction(conn, viewer, id, kind)
        })
        .await?;
    Ok(see_other(&service::post_url(&thread, post.number)))
}

async fn bookmark_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (_, post, thread) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::toggle_bookmark(conn, viewer, id)
        })
        .await?;
    Ok(see_other(&service::post_url(&thread, post.number)))
}

async fn bookmarks_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let marks = state
        .db_as(actor.clone(), |conn, viewer, _| {
            service::listing::list_bookmarks(conn, viewer)
        })
        .await?;
    let marks: Vec<_> = marks
        .into_iter()
        .map(|(thread, post)| context! { thread => thread, post => post })
        .collect();
    Page::from_request(&req).render(
        &state,
        "forum/bookmarks.html",
        context! { bookmarks => marks },
    )
}

async fn admin_categories_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let (categories, groups) = state
        .db_as(actor.clone(), |conn, viewer, _| {
            let groups = crate::admin::service::list_groups(conn, viewer)?;
            Ok((service::categories::list_categories(conn, viewer)?, groups))
        })
        .await?;
    let groups: Vec<String> = groups.into_iter().map(|(g, _)| g.name).collect();
    Page::from_request(&req).render(
        &state,
        "admin/categories.html",
        context! { categories => categories, groups => groups, visibilities => Visibility::ALL },
    )
}

async fn admin_category_create(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::categories::create_category(conn, viewer, &form)
        })
        .await?;
    Ok(see_other("/admin/categories"))
}

async fn admin_category_update(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<CategoryForm>,
) -> AppResult<HttpResponse> {
    let id = CategoryId(path.into_inner());
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::categories::update_category(conn, viewer, id, &form)
        })
        .await?;
    Ok(see_other("/admin/categories"))
}

#[derive(Deserialize)]
struct MoveForm {
    /// up or down
    direction: String,
}

async fn admin_category_move(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MoveForm>,
) -> AppResult<HttpResponse> {
    let id = CategoryId(path.into_inner());
    let direction = match form.direction.as_str() {
        "up" => -1,
        "down" => 1,
        _ => return Err(AppError::invalid_field("direction", "error-action-invalid")),
    };
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::categories::move_category(conn, viewer, id, direction)
        })
        .await?;
    Ok(see_other("/admin/categories"))
}

async fn admin_groups_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let groups = state
        .db_as(actor.clone(), |conn, viewer, _| {
            crate::admin::service::list_groups(conn, viewer)
        })
        .await?;
    let groups: Vec<_> = groups
        .into_iter()
        .map(|(group, members)| context! { group => group, members => members })
        .collect();
    Page::from_request(&req).render(&state, "admin/groups.html", context! { groups => groups })
}

async fn admin_group_create(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<GroupForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            crate::admin::service::create_group(conn, viewer, &form)
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

async fn admin_group_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MemberForm>,
) -> AppResult<HttpResponse> {
    let id = GroupId(path.into_inner());
    let add = match form.action.as_str() {
        "add" => true,
        "remove" => false,
        _ => return Err(AppError::invalid_field("action", "error-action-invalid")),
    };
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            crate::admin::service::set_group_member(conn, viewer, id, &form.username, add)
        })
        .await?;
    Ok(see_other("/admin/groups"))
}

// ---------------------------------------------------------------------------------------------
// JSON API

type ErrorBody = crate::error::ErrorBody;

/// Visible categories with their subcategories.
#[utoipa::path(get, path = "/api/v1/categories", tag = "forum", responses((status = 200, body = Vec<CategoryView>)))]
pub async fn api_categories(state: State, actor: Actor) -> AppResult<HttpResponse> {
    let categories = state
        .db_as(actor.clone(), |conn, viewer, _| {
            service::categories::list_categories(conn, viewer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(categories))
}

/// A category's threads, pinned first, then by latest activity (keyset pages).
#[utoipa::path(get, path = "/api/v1/categories/{slug}/threads", tag = "forum", params(("slug" = String, Path, description = "Category slug"), AfterQuery),
    responses((status = 200, body = ThreadList), (status = 404, body = ErrorBody)))]
pub async fn api_category_threads(
    state: State,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let slug = path.into_inner();
    let after = query.after.clone();
    let list = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            let category = service::categories::category_by_slug(conn, viewer, &slug)?;
            service::listing::list_threads(
                conn,
                viewer,
                ListScope::Category(category.id),
                after.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Latest activity across every visible category (minus what the viewer muted).
#[utoipa::path(get, path = "/api/v1/latest", tag = "forum", params(AfterQuery), responses((status = 200, body = ThreadList)))]
pub async fn api_latest(
    state: State,
    actor: Actor,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let after = query.after.clone();
    let list = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::listing::list_threads(conn, viewer, ListScope::Latest, after.as_deref())
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Threads a member started, where the viewer may see them.
#[utoipa::path(get, path = "/api/v1/users/{username}/threads", tag = "forum", params(("username" = String, Path, description = "Username"), AfterQuery),
    responses((status = 200, body = ThreadList), (status = 404, body = ErrorBody)))]
pub async fn api_user_threads(
    state: State,
    actor: Actor,
    path: web::Path<String>,
    query: web::Query<AfterQuery>,
) -> AppResult<HttpResponse> {
    let username = path.into_inner();
    let after = query.after.clone();
    let list = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            let author = crate::accounts::service::user_by_username(conn, &username)?;
            service::listing::list_threads(
                conn,
                viewer,
                ListScope::Author(author.user_id()),
                after.as_deref(),
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedThread {
    pub id: ThreadId,
    pub slug: String,
    pub url: String,
}

/// Start a thread.
#[utoipa::path(post, path = "/api/v1/threads", tag = "forum", request_body = NewThreadForm,
    responses((status = 201, body = CreatedThread), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create_thread(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<NewThreadForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let thread = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            service::posting::create_thread(conn, viewer, &form, &state.forum_settings())
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedThread {
        id: ThreadId(thread.id),
        url: service::thread_url(&thread),
        slug: thread.slug,
    }))
}

/// One page of a thread (20 posts after `after`), with the accepted and official answers.
#[utoipa::path(get, path = "/api/v1/threads/{id}", tag = "forum", params(("id" = i64, Path, description = "Thread id"), PostAfterQuery),
    responses((status = 200, body = ThreadPage), (status = 404, body = ErrorBody)))]
pub async fn api_thread(
    state: State,
    actor: Actor,
    path: web::Path<i64>,
    query: web::Query<PostAfterQuery>,
) -> AppResult<HttpResponse> {
    let id = ThreadId(path.into_inner());
    let after = query.after.unwrap_or(0);
    let page = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            read_thread(conn, viewer, state, id, after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Reply to a thread.
#[utoipa::path(post, path = "/api/v1/threads/{id}/posts", tag = "forum", params(("id" = i64, Path, description = "Thread id")), request_body = ReplyForm,
    responses((status = 201, body = PostView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_reply(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ReplyForm>,
) -> AppResult<HttpResponse> {
    let id = ThreadId(path.into_inner());
    let form = form.into_inner();
    let view = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            let (post, thread) =
                service::posting::reply(conn, viewer, id, &form, &state.forum_settings())?;
            service::listing::post_view(conn, viewer, &post, &thread)
        })
        .await?;
    Ok(HttpResponse::Created().json(view))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct LevelForm {
    /// muted, normal or watching
    pub level: String,
}

/// Watch, mute or return a thread to normal.
#[utoipa::path(put, path = "/api/v1/threads/{id}/watch", tag = "forum", params(("id" = i64, Path, description = "Thread id")), request_body = LevelForm,
    responses((status = 204), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_thread_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<LevelForm>,
) -> AppResult<HttpResponse> {
    let level = parse_level(&form.level)?;
    let id = ThreadId(path.into_inner());
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::set_thread_watch(conn, viewer, id, level)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
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
    let level = parse_level(&form.level)?;
    let slug = path.into_inner();
    let category = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::set_category_watch(conn, viewer, &slug, level)
        })
        .await?;
    Ok(HttpResponse::Ok().json(category))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct ModerationForm {
    pub pinned: Option<bool>,
    pub locked: Option<bool>,
    /// Slug of the category to move the thread to.
    pub category: Option<String>,
}

/// Pin, lock or move a thread (staff).
#[utoipa::path(post, path = "/api/v1/threads/{id}/moderation", tag = "forum", params(("id" = i64, Path, description = "Thread id")), request_body = ModerationForm,
    responses((status = 200, body = ThreadPage), (status = 403, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_moderate(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ModerationForm>,
) -> AppResult<HttpResponse> {
    let id = ThreadId(path.into_inner());
    let form = form.into_inner();
    let page = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::set_thread_flags(conn, viewer, id, form.pinned, form.locked)?;
            if let Some(category) = &form.category {
                service::posting::move_thread(conn, viewer, id, category)?;
            }
            service::listing::thread_page(conn, viewer, id, 0)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Edit a post (its author or a moderator); every version is kept.
#[utoipa::path(patch, path = "/api/v1/posts/{id}", tag = "forum", params(("id" = i64, Path, description = "Post id")), request_body = EditForm,
    responses((status = 200, body = PostView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_edit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<EditForm>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let form = form.into_inner();
    let view = state
        .db_as(actor.clone(), move |conn, viewer, state| {
            let (post, thread) =
                service::posting::edit_post(conn, viewer, id, &form, &state.forum_settings())?;
            service::listing::post_view(conn, viewer, &post, &thread)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

/// Every version of a post, newest first.
#[utoipa::path(get, path = "/api/v1/posts/{id}/revisions", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = Vec<RevisionView>), (status = 404, body = ErrorBody)))]
pub async fn api_revisions(
    state: State,
    actor: Actor,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (_, _, revisions) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::revisions(conn, viewer, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(revisions))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AcceptedState {
    /// The accepted post's id, or null when none is accepted now.
    pub accepted_post_id: Option<i64>,
}

/// Mark a reply as the answer to its question, or unmark it.
#[utoipa::path(post, path = "/api/v1/posts/{id}/accept", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = AcceptedState), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_accept(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let thread = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::posting::toggle_accepted(conn, viewer, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(AcceptedState {
        accepted_post_id: thread.accepted_post_id,
    }))
}

/// Add a reaction, or take it back.
#[utoipa::path(post, path = "/api/v1/posts/{id}/reactions", tag = "forum", params(("id" = i64, Path, description = "Post id")), request_body = ReactForm,
    responses((status = 200, body = PostView), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_react(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ReactForm>,
) -> AppResult<HttpResponse> {
    let kind = parse_reaction(&form.kind)?;
    let id = PostId(path.into_inner());
    let view = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            let (post, thread) = service::engagement::toggle_reaction(conn, viewer, id, kind)?;
            service::listing::post_view(conn, viewer, &post, &thread)
        })
        .await?;
    Ok(HttpResponse::Ok().json(view))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookmarkState {
    pub bookmarked: bool,
}

/// Bookmark a post, or remove the bookmark.
#[utoipa::path(post, path = "/api/v1/posts/{id}/bookmark", tag = "forum", params(("id" = i64, Path, description = "Post id")),
    responses((status = 200, body = BookmarkState), (status = 404, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_bookmark(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = PostId(path.into_inner());
    let (bookmarked, _, _) = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::engagement::toggle_bookmark(conn, viewer, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(BookmarkState { bookmarked }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BookmarkView {
    pub thread: ThreadSummary,
    pub post: PostView,
}

/// The viewer's bookmarks.
#[utoipa::path(get, path = "/api/v1/bookmarks", tag = "forum", responses((status = 200, body = Vec<BookmarkView>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_bookmarks(state: State, actor: Actor) -> AppResult<HttpResponse> {
    let marks = state
        .db_as(actor.clone(), |conn, viewer, _| {
            service::listing::list_bookmarks(conn, viewer)
        })
        .await?;
    let marks: Vec<BookmarkView> = marks
        .into_iter()
        .map(|(thread, post)| BookmarkView { thread, post })
        .collect();
    Ok(HttpResponse::Ok().json(marks))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct PreviewForm {
    pub body: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PreviewHtml {
    pub html: String,
}

/// Render Markdown exactly as a post would be, without saving it.
#[utoipa::path(post, path = "/api/v1/preview", tag = "forum", request_body = PreviewForm,
    responses((status = 200, body = PreviewHtml), (status = 422, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_preview(
    state: State,
    _user: CurrentUser,
    form: web::Json<PreviewForm>,
) -> AppResult<HttpResponse> {
    if form.body.chars().count() > super::markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-body-long"));
    }
    let body = form.into_inner().body;
    let html = state
        .db(move |conn, state| {
            service::posting::cook(conn, &body, &state.config.allowed_image_hosts)
        })
        .await?;
    Ok(HttpResponse::Ok().json(PreviewHtml { html }))
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
    let form = form.into_inner();
    let categories = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::categories::create_category(conn, viewer, &form)?;
            service::categories::list_categories(conn, viewer)
        })
        .await?;
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
    let form = form.into_inner();
    let categories = state
        .db_as(actor.clone(), move |conn, viewer, _| {
            service::categories::update_category(conn, viewer, id, &form)?;
            service::categories::list_categories(conn, viewer)
        })
        .await?;
    Ok(HttpResponse::Ok().json(categories))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct GroupView {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    pub members: Vec<String>,
}

async fn groups_json(state: &State, actor: Actor) -> AppResult<Vec<GroupView>> {
    let groups = state
        .db_as(actor.clone(), |conn, viewer, _| {
            crate::admin::service::list_groups(conn, viewer)
        })
        .await?;
    Ok(groups
        .into_iter()
        .map(|(g, members)| GroupView {
            id: GroupId(g.id),
            name: g.name,
            description: g.description,
            members,
        })
        .collect())
}

/// Groups and their members (admins).
#[utoipa::path(get, path = "/api/v1/admin/groups", tag = "admin", responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_groups(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(groups_json(&state, actor).await?))
}

/// Create a group (admins).
#[utoipa::path(post, path = "/api/v1/admin/groups", tag = "admin", request_body = GroupForm,
    responses((status = 201, body = Vec<GroupView>), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_admin_create_group(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<GroupForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            crate::admin::service::create_group(conn, viewer, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(groups_json(&state, actor).await?))
}

/// Add a member to a group (admins).
#[utoipa::path(put, path = "/api/v1/admin/groups/{id}/members/{username}", tag = "admin",
    params(("id" = i64, Path, description = "Group id"), ("username" = String, Path, description = "Member")),
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_add_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    let (id, username) = path.into_inner();
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            crate::admin::service::set_group_member(conn, viewer, GroupId(id), &username, true)
        })
        .await?;
    Ok(HttpResponse::Ok().json(groups_json(&state, actor).await?))
}

/// Remove a member from a group (admins).
#[utoipa::path(delete, path = "/api/v1/admin/groups/{id}/members/{username}", tag = "admin",
    params(("id" = i64, Path, description = "Group id"), ("username" = String, Path, description = "Member")),
    responses((status = 200, body = Vec<GroupView>), (status = 403, body = ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_admin_remove_member(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, String)>,
) -> AppResult<HttpResponse> {
    let (id, username) = path.into_inner();
    state
        .db_as(actor.clone(), move |conn, viewer, _| {
            crate::admin::service::set_group_member(conn, viewer, GroupId(id), &username, false)
        })
        .await?;
    Ok(HttpResponse::Ok().json(groups_json(&state, actor).await?))
}
