//! Calendar files and feeds over HTTP: `/events/{id}.ics`, the secret feed URLs
//! (`/calendar/{token}.ics`), and the member's feeds page (`/me/calendar`) with its API.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;

use super::feeds::{self, FeedForm, FeedView, NewFeed};
use super::model::EventId;
use super::reminders::{self, ReminderSettings};
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

/// Registered before `/events/{id}`, which would otherwise take `7.ics` as its id.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/events/{id}.ics", web::get().to(event_file))
        .route("/calendar/{token}.ics", web::get().to(feed))
        .route("/me/calendar", web::get().to(feeds_page))
        .route("/me/calendar", web::post().to(create_submit))
        .route("/me/calendar/{id}/revoke", web::post().to(revoke_submit))
        .route("/me/calendar/reminders", web::post().to(reminders_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/me/calendar-feeds", api_list)
        .post("/me/calendar-feeds", api_create)
        .delete("/me/calendar-feeds/{id}", api_revoke)
        .get("/me/event-reminders", api_reminders)
        .put("/me/event-reminders", api_set_reminders);
}

fn calendar(body: String, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            "Content-Disposition",
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(body)
}

async fn event_file(
    state: State,
    actor: Actor,
    path: web::Path<String>,
) -> AppResult<HttpResponse> {
    let id = path
        .into_inner()
        .parse::<i64>()
        .map(EventId)
        .map_err(|_| crate::error::AppError::new(crate::error::ErrorKind::NotFound))?;
    let body = state
        .db_as(actor, move |conn, actor, ctx| {
            feeds::event_file(conn, ctx, actor, id)
        })
        .await?;
    Ok(calendar(body, &format!("event-{}.ics", id.0)))
}

async fn feed(state: State, path: web::Path<String>) -> AppResult<HttpResponse> {
    let token = path.into_inner();
    let body = state
        .db_as(Actor::anonymous(), move |conn, _, ctx| {
            feeds::feed(conn, ctx, &token)
        })
        .await?;
    Ok(calendar(body, "events.ics"))
}

async fn feeds_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let (list, categories, reminders) = load(&state, actor).await?;
    Page::from_request(&req).render(
        &state,
        "calendar/feeds.html",
        context! { feeds => list, categories => categories, created => None::<String>, reminders => reminders },
    )
}

type FeedsPage = (Vec<FeedView>, Vec<(String, String)>, ReminderSettings);

async fn load(state: &State, actor: Actor) -> AppResult<FeedsPage> {
    state
        .db_as(actor, |conn, actor, _| {
            let categories = crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .map(|c| (c.slug, c.name))
                .collect();
            Ok((
                feeds::list(conn, actor)?,
                categories,
                reminders::settings(conn, actor)?,
            ))
        })
        .await
}

async fn create_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<FeedForm>,
) -> AppResult<HttpResponse> {
    let again = actor.clone();
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            feeds::create(conn, ctx, actor, &form)
        })
        .await?;
    // The URL is shown this once: the page is rendered, not redirected to.
    let (list, categories, reminders) = load(&state, again).await?;
    Page::from_request(&req).render(
        &state,
        "calendar/feeds.html",
        context! { feeds => list, categories => categories, created => Some(made.url), reminders => reminders },
    )
}

async fn revoke_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| feeds::revoke(conn, actor, id))
        .await?;
    Ok(see_other("/me/calendar"))
}

/// Your calendar feeds (their URLs were shown once, at creation).
#[utoipa::path(get, path = "/api/v1/me/calendar-feeds", tag = "events",
    responses((status = 200, body = Vec<FeedView>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_list(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| feeds::list(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// A new secret feed URL for your calendar app: the dates you are going to, or one
/// `category`'s events. The URL is in this answer only.
#[utoipa::path(post, path = "/api/v1/me/calendar-feeds", tag = "events", request_body = FeedForm,
    responses((status = 201, body = NewFeed), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<FeedForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let made = state
        .db_as(actor, move |conn, actor, ctx| {
            feeds::create(conn, ctx, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(made))
}

/// Revoke one of your feeds: its URL stops working at once.
#[utoipa::path(delete, path = "/api/v1/me/calendar-feeds/{id}", tag = "events",
    params(("id" = i64, Path, description = "Feed id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_revoke(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    state
        .db_as(actor, move |conn, actor, _| feeds::revoke(conn, actor, id))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

async fn reminders_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<ReminderSettings>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            reminders::set(conn, actor, &form)
        })
        .await?;
    Ok(see_other_saved("/me/calendar#reminders"))
}

/// Your reminders before the event dates you answered for (minutes before the start; a day
/// and 15 minutes until you choose).
#[utoipa::path(get, path = "/api/v1/me/event-reminders", tag = "events",
    responses((status = 200, body = ReminderSettings), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_reminders(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let settings = state
        .db_as(actor, |conn, actor, _| reminders::settings(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Choose your reminders: up to 5 offsets from 1 minute to 14 days before; `[]` for none.
#[utoipa::path(put, path = "/api/v1/me/event-reminders", tag = "events",
    request_body = ReminderSettings,
    responses((status = 200, body = ReminderSettings), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_set_reminders(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<ReminderSettings>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let settings = state
        .db_as(actor, move |conn, actor, _| {
            reminders::set(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}
