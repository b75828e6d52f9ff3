//! Notification pages and API: the list (with the bell's count in every page header),
//! delivery preferences, one-click unsubscribe, and the admin's view of jobs and mail.

use std::collections::BTreeMap;

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::{Delivery, Kind};
use super::service::{self, NotificationView};
use crate::accounts::model::{CurrentUser, UserId};
use crate::error::AppResult;
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::routing::ApiRoutes;
use crate::http::sse::{self, Feed};
use crate::http::state::State;
use crate::policy::Actor;
use actix_web::web::Bytes;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/notifications", web::get().to(list_page))
        .route("/notifications/read-all", web::post().to(read_all))
        .route("/notifications/live", web::get().to(live))
        .route("/notifications/menu", web::get().to(menu))
        .route("/notifications/{id}/open", web::post().to(open))
        .route("/me/preferences", web::get().to(preferences_page))
        .route("/me/preferences", web::post().to(preferences_submit))
        .route("/unsubscribe", web::get().to(unsubscribe_page))
        .route("/unsubscribe", web::post().to(unsubscribe_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/notifications", api_list)
        .post("/notifications/read-all", api_read_all)
        .post("/notifications/{id}/read", api_read)
        .get("/me/preferences", api_preferences)
        .put("/me/preferences", api_set_preferences);
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct BeforeQuery {
    /// Show notifications older than this id (keyset paging).
    pub before: Option<i64>,
}

async fn load_list(
    state: &State,
    actor: Actor,
    before: Option<i64>,
) -> AppResult<Vec<NotificationView>> {
    state
        .db_as(actor, move |conn, actor, _| {
            service::list(conn, actor, before)
        })
        .await
}

async fn list_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    let items = load_list(&state, actor, query.before).await?;
    let older = (items.len() as i64 == service::PAGE_SIZE)
        .then(|| items.last().map(|n| n.id))
        .flatten();
    Page::from_request(&req).render(
        &state,
        "notify/notifications.html",
        context! { items => items, older => older },
    )
}

/// A member's unread count and the header's label for it, in their language.
struct UnreadFeed {
    user: UserId,
    actor: Actor,
    locale: &'static str,
    last: Option<i64>,
}

#[derive(Serialize)]
struct Unread {
    unread: i64,
    label: String,
}

impl Feed for UnreadFeed {
    fn concerns(&self, topic: &str) -> bool {
        crate::live::is_unread_of(topic, self.user)
    }

    async fn read(mut self, state: &State) -> AppResult<(Option<Bytes>, Self)> {
        let user = self.user;
        let unread = state
            .db_as(self.actor.clone(), move |conn, _, _| {
                service::unread_count(conn, user)
            })
            .await?;
        if self.last == Some(unread) {
            return Ok((None, self));
        }
        self.last = Some(unread);
        let label = state.i18n().message(
            self.locale,
            "nav-notifications",
            &[("count", unread.into())],
        );
        let frame = sse::frame("unread", None, &Unread { unread, label });
        Ok((Some(frame), self))
    }
}

/// `GET /notifications/live`: server-sent `unread` events with the member's unread count
/// whenever it changes (a new notification, one read in another tab).
async fn live(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let page = Page::from_request(&req);
    let user = actor.require_user()?.id;
    let slot = state.live.open_stream(sse::person(&actor, &req))?;
    let feed = UnreadFeed {
        user,
        actor,
        locale: page.locale,
        last: None,
    };
    Ok(sse::respond(state, slot, feed))
}

/// How many notifications the header's menu shows.
const MENU_SIZE: usize = 8;

/// The header's notifications menu: the newest few, as an HTML fragment the page's script
/// opens under the bell.
async fn menu(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let mut items = load_list(&state, actor, None).await?;
    items.truncate(MENU_SIZE);
    Page::from_request(&req).render(&state, "notify/menu.html", context! { items => items })
}

async fn read_all(
    state: State,
    user: CurrentUser,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = user.id;
    state
        .db(move |conn, _| service::mark_all_read(conn, id))
        .await?;
    Ok(see_other("/notifications"))
}

async fn open(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let url = state
        .db_as(actor, move |conn, actor, _| service::open(conn, actor, id))
        .await?;
    Ok(see_other(&url))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PreferenceView {
    pub kind: Kind,
    pub delivery: Delivery,
}

async fn preferences_page(
    state: State,
    req: HttpRequest,
    user: CurrentUser,
) -> AppResult<HttpResponse> {
    let id = user.id;
    let current = state
        .db(move |conn, _| service::preferences(conn, id))
        .await?;
    let rows: Vec<PreferenceView> = current
        .into_iter()
        .map(|(kind, delivery)| PreferenceView { kind, delivery })
        .collect();
    let deliveries: Vec<&str> = Delivery::ALL.iter().map(|d| d.as_str()).collect();
    Page::new(&req, Some(&user)).render(
        &state,
        "notify/preferences.html",
        context! { rows => rows, deliveries => deliveries },
    )
}

async fn save_preferences(
    state: &State,
    user: &CurrentUser,
    pairs: BTreeMap<String, String>,
) -> AppResult<()> {
    let id = user.id;
    state
        .db(move |conn, _| service::set_preferences(conn, id, &pairs))
        .await
}

async fn preferences_submit(
    state: State,
    user: CurrentUser,
    CsrfForm(form): CsrfForm<BTreeMap<String, String>>,
) -> AppResult<HttpResponse> {
    save_preferences(&state, &user, form).await?;
    Ok(see_other_saved("/me/preferences"))
}

#[derive(Deserialize)]
struct UnsubscribeQuery {
    u: i64,
    k: String,
    s: String,
}

async fn unsubscribe_page(
    state: State,
    req: HttpRequest,
    query: web::Query<UnsubscribeQuery>,
) -> AppResult<HttpResponse> {
    let page = Page::from_request(&req);
    let action = format!(
        "/unsubscribe?u={}&k={}&s={}",
        query.u,
        crate::http::middleware::url_encode(&query.k),
        crate::http::middleware::url_encode(&query.s)
    );
    page.render(
        &state,
        "layout/message.html",
        context! {
            title => page.t(&state, "unsubscribe-title"),
            message => page.t(&state, "unsubscribe-confirm"),
            action => action,
            button => page.t(&state, "unsubscribe-button"),
        },
    )
}

/// RFC 8058 one-click: mail clients POST here without a session; the signature is the proof.
async fn unsubscribe_submit(
    state: State,
    req: HttpRequest,
    query: web::Query<UnsubscribeQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    state
        .db(move |conn, state| {
            service::unsubscribe(conn, state, UserId(query.u), &query.k, &query.s)
        })
        .await?;
    let page = Page::from_request(&req);
    page.render(
        &state,
        "layout/message.html",
        context! { title => page.t(&state, "unsubscribe-title"), message => page.t(&state, "unsubscribe-done") },
    )
}

/// The member's notifications, newest first (30 per page).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(BeforeQuery),
    responses((status = 200, body = Vec<NotificationView>), (status = 401, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_list(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<BeforeQuery>,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(load_list(&state, actor, query.before).await?))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct OpenedNotification {
    /// Where the notification points.
    pub url: String,
}

/// Mark one notification read.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = OpenedNotification), (status = 404, body = crate::error::ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_read(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let url = state
        .db_as(actor, move |conn, actor, _| service::open(conn, actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(OpenedNotification { url }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct MarkedCount {
    pub marked: usize,
}

/// Mark every notification read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications",
    responses((status = 200, body = MarkedCount)), security(("session" = []), ("token" = [])))]
pub async fn api_read_all(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let marked = state
        .db(move |conn, _| service::mark_all_read(conn, id))
        .await?;
    Ok(HttpResponse::Ok().json(MarkedCount { marked }))
}

/// How each kind of notification reaches the member.
#[utoipa::path(get, path = "/api/v1/me/preferences", tag = "notifications",
    responses((status = 200, body = Vec<PreferenceView>)), security(("session" = []), ("token" = [])))]
pub async fn api_preferences(state: State, user: CurrentUser) -> AppResult<HttpResponse> {
    let id = user.id;
    let current = state
        .db(move |conn, _| service::preferences(conn, id))
        .await?;
    let rows: Vec<PreferenceView> = current
        .into_iter()
        .map(|(kind, delivery)| PreferenceView { kind, delivery })
        .collect();
    Ok(HttpResponse::Ok().json(rows))
}

/// Change deliveries: `{"reply": "daily", "mention": "email"}` (off, in_app, email, daily, weekly).
#[utoipa::path(put, path = "/api/v1/me/preferences", tag = "notifications", request_body = Object,
    responses((status = 204), (status = 422, body = crate::error::ErrorBody)), security(("session" = []), ("token" = [])))]
pub async fn api_set_preferences(
    state: State,
    user: CurrentUser,
    body: web::Json<BTreeMap<String, String>>,
) -> AppResult<HttpResponse> {
    save_preferences(&state, &user, body.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}
