//! The community manager's watched words (`/admin/watched-words`, with a sample tester) and
//! moderation settings (`/admin/moderation`: trust-level thresholds, auto-hide score, queue
//! deadlines), and a moderator's own-initiative queue item (`/review/open`), as pages and JSON.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::watched::{
    self, SampleForm, SampleResult, WatchedWordForm, WatchedWordId, WatchedWordView,
};
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/watched-words", web::get().to(words_page))
        .route("/admin/watched-words", web::post().to(word_add))
        .route("/admin/watched-words/test", web::post().to(word_test))
        .route(
            "/admin/watched-words/{id}/delete",
            web::post().to(word_remove),
        )
        .route("/review/open", web::post().to(open_submit))
        .route("/admin/moderation", web::get().to(settings_page))
        .route("/admin/moderation", web::post().to(settings_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/watched-words", api_words)
        .post("/watched-words", api_word_add)
        .delete("/watched-words/{id}", api_word_remove)
        .post("/watched-words/test", api_word_test)
        .post("/review", api_open)
        .get("/moderation/settings", api_settings)
        .put("/moderation/settings", api_settings_save);
}

async fn show(
    state: &State,
    req: &HttpRequest,
    actor: Actor,
    failed: Option<AppError>,
    sample: Option<(String, SampleResult)>,
) -> AppResult<HttpResponse> {
    let (words, rules) = state
        .db_as(actor, |conn, actor, _| {
            Ok((
                watched::list(conn, actor)?,
                super::rules::current_rules(conn)?,
            ))
        })
        .await?;
    let page = Page::from_request(req);
    let (status, errors) = page.refused_form(state, failed)?;
    page.render_with_status(
        state,
        "moderation/watched_words.html",
        context! { words => words, rules => rules, errors => errors, sample => sample },
        status,
    )
}

async fn words_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    show(&state, &req, actor, None, None).await
}

async fn word_add(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<WatchedWordForm>,
) -> AppResult<HttpResponse> {
    let again = actor.clone();
    match state
        .db_as(actor, move |conn, actor, _| {
            watched::add(conn, actor, &form)
        })
        .await
    {
        Ok(_) => Ok(see_other("/admin/watched-words")),
        Err(error) => show(&state, &req, again, Some(error), None).await,
    }
}

async fn word_test(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<SampleForm>,
) -> AppResult<HttpResponse> {
    let text = form.text.clone();
    let again = actor.clone();
    let result = state
        .db_as(actor, move |conn, actor, _| {
            watched::try_sample(conn, actor, &form)
        })
        .await?;
    show(&state, &req, again, None, Some((text, result))).await
}

async fn word_remove(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = WatchedWordId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            watched::remove(conn, actor, id)
        })
        .await?;
    Ok(see_other("/admin/watched-words"))
}

/// The watched words (community manager and admins).
#[utoipa::path(get, path = "/api/v1/watched-words", tag = "moderation",
    responses((status = 200, body = Vec<WatchedWordView>), (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_words(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let words = state
        .db_as(actor, |conn, actor, _| watched::list(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(words))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Added {
    pub id: WatchedWordId,
}

/// Watch a word or phrase: `hold`, `flag`, `replace` (with `replacement`) or `block`.
#[utoipa::path(post, path = "/api/v1/watched-words", tag = "moderation",
    request_body = WatchedWordForm,
    responses((status = 201, body = Added), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_word_add(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<WatchedWordForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let id = state
        .db_as(actor, move |conn, actor, _| {
            watched::add(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(Added { id }))
}

/// Stop watching a word.
#[utoipa::path(delete, path = "/api/v1/watched-words/{id}", tag = "moderation",
    params(("id" = i64, Path, description = "Watched word id")),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_word_remove(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = WatchedWordId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            watched::remove(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// What the watched words would do to a sample text (nothing is written).
#[utoipa::path(post, path = "/api/v1/watched-words/test", tag = "moderation",
    request_body = SampleForm,
    responses((status = 200, body = SampleResult), (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_word_test(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<SampleForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let result = state
        .db_as(actor, move |conn, actor, _| {
            watched::try_sample(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// A moderator's own-initiative item: a post, thread or member put in the queue to decide.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct OpenForm {
    /// `post`, `thread` or `user`.
    pub target_kind: String,
    pub target_id: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Opened {
    pub id: ReviewItemId,
    /// The item's version: the decision names it.
    pub version: i32,
}

/// Put something in the queue on the moderator's own initiative (no report), to decide it.
#[utoipa::path(post, path = "/api/v1/review", tag = "moderation", request_body = OpenForm,
    responses((status = 201, body = Opened), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_open(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<OpenForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let (id, version) = state
        .db_as(actor, move |conn, actor, _| {
            super::decisions::open(conn, actor, &form.target_kind, form.target_id)
        })
        .await?;
    Ok(HttpResponse::Created().json(Opened { id, version }))
}

async fn open_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<OpenForm>,
) -> AppResult<HttpResponse> {
    let (id, _) = state
        .db_as(actor, move |conn, actor, _| {
            super::decisions::open(conn, actor, &form.target_kind, form.target_id)
        })
        .await?;
    Ok(see_other(&format!("/review#item-{}", id.0)))
}

async fn show_settings(
    state: &State,
    req: &HttpRequest,
    actor: Actor,
    failed: Option<AppError>,
) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| super::settings::list(conn, actor))
        .await?;
    let page = Page::from_request(req);
    let (status, errors) = page.refused_form(state, failed)?;
    page.render_with_status(
        state,
        "moderation/settings.html",
        context! { settings => list, errors => errors },
        status,
    )
}

async fn settings_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    show_settings(&state, &req, actor, None).await
}

async fn settings_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(values): CsrfForm<std::collections::BTreeMap<String, String>>,
) -> AppResult<HttpResponse> {
    let again = actor.clone();
    match state
        .db_as(actor, move |conn, actor, _| {
            super::settings::save(conn, actor, &values)
        })
        .await
    {
        Ok(()) => Ok(see_other_saved("/admin/moderation")),
        Err(error) => show_settings(&state, &req, again, Some(error)).await,
    }
}

/// The moderation settings with their defaults and bounds (community manager and admins).
#[utoipa::path(get, path = "/api/v1/moderation/settings", tag = "moderation",
    responses((status = 200, body = Vec<super::settings::SettingView>),
              (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_settings(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| super::settings::list(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(list))
}

/// Change moderation settings: `{name: value}` for any of them (all or none are saved).
#[utoipa::path(put, path = "/api/v1/moderation/settings", tag = "moderation",
    request_body = std::collections::BTreeMap<String, i64>,
    responses((status = 200, body = Vec<super::settings::SettingView>),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_settings_save(
    state: State,
    SignedIn(actor): SignedIn,
    values: web::Json<std::collections::BTreeMap<String, serde_json::Value>>,
) -> AppResult<HttpResponse> {
    let values: std::collections::BTreeMap<String, String> = values
        .into_inner()
        .into_iter()
        .map(|(name, value)| {
            let text = match value {
                serde_json::Value::String(s) => s,
                other => other.to_string(),
            };
            (name, text)
        })
        .collect();
    let list = state
        .db_as(actor, move |conn, actor, _| {
            super::settings::save(conn, actor, &values)?;
            super::settings::list(conn, actor)
        })
        .await?;
    Ok(HttpResponse::Ok().json(list))
}
