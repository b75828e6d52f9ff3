//! Threads: start one, read it (page, permalink, API), reply, watch, moderate.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::{post_json, ErrorBody, PostAfterQuery, Wrote};
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::*;
use crate::forum::service::categories::list_categories;
use crate::forum::service::drafts::{self, DraftOf};
use crate::forum::service::engagement::set_thread_watch;
use crate::forum::service::listing::{self, read_thread};
use crate::forum::service::{self, posting};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, see_other_saved, Page};
use crate::http::sse::{self, Feed};
use crate::http::state::{State, Submitted};
use crate::policy::Actor;
use actix_web::web::Bytes;

#[derive(Deserialize)]
pub(super) struct NewThreadQuery {
    category: Option<String>,
    /// A title to check for similar threads before writing (the form's button without
    /// JavaScript).
    title: Option<String>,
    /// What was typed so far, kept across that check.
    kind: Option<String>,
    body: Option<String>,
}

/// The new-thread form, empty or with what was typed and its errors, offering `categories`.
fn show_new_thread(
    state: &State,
    req: &HttpRequest,
    actor: &Actor,
    categories: Vec<CategoryView>,
    extra: minijinja::Value,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    let kinds = service::thread_kinds(actor);
    Page::from_request(req).render_with_status(
        state,
        "forum/new_thread.html",
        context! { categories => categories, kinds => kinds, ..extra },
        status,
    )
}

pub(super) async fn new_thread_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<NewThreadQuery>,
) -> AppResult<HttpResponse> {
    let typed = (
        query.title.clone().unwrap_or_default(),
        query.body.clone().unwrap_or_default(),
    );
    let (categories, (title, body), saved_draft, similar) = state
        .db_as(actor.clone(), move |conn, actor, ctx| {
            // Nothing typed yet: the member's unsent new thread, if they left one.
            let draft = match typed.0.is_empty() && typed.1.is_empty() {
                true => drafts::get(conn, actor, DraftOf::NewThread)?,
                false => None,
            };
            let saved_draft = draft.is_some();
            let (title, body) = draft.map_or(typed, |draft| (draft.title, draft.body));
            let similar = similar_to(conn, ctx, actor, &title);
            let categories = list_categories(conn, actor)?;
            Ok((categories, (title, body), saved_draft, similar))
        })
        .await?;
    let values = context! {
        category => query.category.clone(),
        kind => query.kind.clone().unwrap_or_else(|| "discussion".to_string()),
        title => title,
        body => body,
    };
    let extra = context! { values, similar, saved_draft };
    show_new_thread(&state, &req, &actor, categories, extra, StatusCode::OK)
}

/// The threads like the title typed, for the form's "already asked?" list (none when the title
/// is empty or cannot be searched: the form still works).
fn similar_to(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    title: &str,
) -> Option<Vec<crate::search::service::Similar>> {
    if title.trim().is_empty() {
        return None;
    }
    crate::search::service::similar(conn, &ctx.search, actor, title).ok()
}

/// The new-thread form as the page posts it: `check` asks for similar threads instead of
/// creating the thread (the button that works without JavaScript).
#[derive(Clone, Deserialize)]
pub(super) struct NewThreadPageForm {
    #[serde(flatten)]
    form: NewThreadForm,
    #[serde(default)]
    check: Option<String>,
}

pub(super) async fn new_thread_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(page): CsrfForm<NewThreadPageForm>,
) -> AppResult<HttpResponse> {
    let form = page.form;
    let values = context! {
        category => form.category.clone(), kind => form.kind.clone(),
        title => form.title.clone(), body => form.body.clone(),
    };
    if page.check.is_some() {
        let title = form.title.clone();
        let (categories, similar) = state
            .db_as(actor.clone(), move |conn, actor, ctx| {
                let similar = similar_to(conn, ctx, actor, &title);
                Ok((list_categories(conn, actor)?, similar))
            })
            .await?;
        let extra = context! { values, similar };
        return show_new_thread(&state, &req, &actor, categories, extra, StatusCode::OK);
    }
    let submitted = state
        .submit_as(
            actor.clone(),
            move |conn, actor, state| {
                posting::create_thread(conn, actor, &form, &state.forum_settings())
            },
            |conn, actor, _| list_categories(conn, actor),
        )
        .await?;
    let (error, categories) = match submitted {
        Submitted::Done(thread) => return Ok(see_other(&service::thread_url(&thread))),
        Submitted::Refused(error, categories) => (error, categories),
    };
    let errors = Page::from_request(&req).form_errors(&state, &error);
    let extra = context! { errors, values };
    show_new_thread(&state, &req, &actor, categories, extra, error.status())
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
        .db_as(actor, move |conn, actor, state| {
            posting::create_thread(conn, actor, &form, &state.forum_settings())
        })
        .await?;
    Ok(HttpResponse::Created().json(CreatedThread {
        id: thread.id,
        url: service::thread_url(&thread),
        slug: thread.slug,
    }))
}

/// Which page of which thread to show (`after: None` is the last page), and what to prefill.
struct ThreadRequest {
    id: i64,
    after: Option<i32>,
    quote: Option<i32>,
}

/// Everything a thread page shows, read in one hop.
struct ThreadData {
    page: ThreadPage,
    categories: Vec<CategoryView>,
    quote: Option<i32>,
    quote_text: Option<String>,
    saved_draft: Option<String>,
}

fn load_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    state: &AppContext,
    ThreadRequest { id, after, quote }: ThreadRequest,
) -> AppResult<ThreadData> {
    let after = match after {
        Some(after) => after,
        None => listing::last_page_start(conn, actor, ThreadId(id))?,
    };
    let mut page = read_thread(conn, actor, &state.views, ThreadId(id), after)?;
    let categories = if page.can_moderate {
        list_categories(conn, actor)?
    } else {
        vec![]
    };
    let quote_text = match quote {
        Some(number) => posting::quote(conn, actor, ThreadId(id), number)?,
        None => None,
    };
    // The member's unsent reply, on any device (read with the page), for who may reply.
    let saved_draft = page.draft.take().filter(|_| page.can_reply);
    Ok(ThreadData {
        page,
        categories,
        quote,
        quote_text,
        saved_draft,
    })
}

fn show_thread(
    state: &State,
    req: &HttpRequest,
    data: ThreadData,
    extra: minijinja::Value,
    status: StatusCode,
) -> AppResult<HttpResponse> {
    Page::from_request(req).render_with_status(
        state,
        "forum/thread.html",
        context! {
            page => data.page,
            categories => data.categories,
            quote => data.quote_text,
            quote_number => data.quote,
            saved_draft => data.saved_draft,
            reactions => ReactionKind::ALL,
            levels => WatchLevel::ALL,
            ..extra
        },
        status,
    )
}

async fn render_thread(
    state: &State,
    req: &HttpRequest,
    actor: Actor,
    request: ThreadRequest,
    extra: minijinja::Value,
) -> AppResult<HttpResponse> {
    let data = state
        .db_as(actor, move |conn, actor, state| {
            load_thread(conn, actor, state, request)
        })
        .await?;
    show_thread(state, req, data, extra, StatusCode::OK)
}

pub(super) async fn thread_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i64)>,
    query: web::Query<PostAfterQuery>,
) -> AppResult<HttpResponse> {
    let (_, id) = path.into_inner();
    let request = ThreadRequest {
        id,
        after: Some(query.after.unwrap_or(0)),
        quote: query.quote,
    };
    render_thread(&state, &req, actor, request, context! {}).await
}

/// A thread's replies as they arrive, for the reader who has seen posts up to `after`.
struct NewPostsFeed {
    actor: Actor,
    thread: ThreadId,
    after: i32,
    topic: String,
}

impl Feed for NewPostsFeed {
    fn concerns(&self, topic: &str) -> bool {
        topic == self.topic
    }

    async fn read(mut self, state: &State) -> AppResult<(Option<Bytes>, Self)> {
        let (thread, after) = (self.thread, self.after);
        let new = state
            .db_as(self.actor.clone(), move |conn, actor, _| {
                listing::posts_after(conn, actor, thread, after)
            })
            .await?;
        self.after = new.after;
        let frame =
            (!new.posts.is_empty()).then(|| sse::frame("posts", Some(i64::from(new.after)), &new));
        Ok((frame, self))
    }
}

#[derive(Deserialize)]
pub(super) struct LiveQuery {
    /// The last post number the page shows.
    after: Option<i32>,
}

/// `GET /t/{id}/live?after=N`: server-sent `posts` events (ids and numbers of the new posts
/// the reader may see, and the reply count) whenever the thread gains some; the event id is
/// the last number read, so a reconnecting browser resumes there (`Last-Event-ID`).
pub(super) async fn live(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<i64>,
    query: web::Query<LiveQuery>,
) -> AppResult<HttpResponse> {
    let thread = ThreadId(path.into_inner());
    let resume = sse::last_event_id(&req).and_then(|id| i32::try_from(id).ok());
    let after = resume.or(query.after).unwrap_or(0).max(0);
    // Refused at once when the thread is not visible; every read checks again.
    let new = state
        .db_as(actor.clone(), move |conn, actor, _| {
            listing::posts_after(conn, actor, thread, after)
        })
        .await?;
    let slot = state.live.open_stream(sse::person(&actor, &req))?;
    let feed = NewPostsFeed {
        actor,
        thread,
        // Posts already there when the stream opens count as new when the page is older.
        after: new.after.min(after),
        topic: crate::live::thread_topic(thread),
    };
    Ok(sse::respond(state, slot, feed))
}

/// `/t/<slug>/<id>/<n>`: the page that holds post n (the fragment `#post-n` scrolls to it).
pub(super) async fn permalink(
    state: State,
    req: HttpRequest,
    actor: Actor,
    path: web::Path<(String, i64, i32)>,
) -> AppResult<HttpResponse> {
    let (_, id, number) = path.into_inner();
    let request = ThreadRequest {
        id,
        after: Some(service::page_start_for(number)),
        quote: None,
    };
    let extra = context! { target => number };
    render_thread(&state, &req, actor, request, extra).await
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
        .db_as(actor, move |conn, actor, state| {
            read_thread(conn, actor, &state.views, id, after)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}

pub(super) async fn reply_submit(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReplyForm>,
) -> AppResult<HttpResponse> {
    let id = path.into_inner();
    let draft = form.body.clone();
    // Refused: the last page, where the reply box and its errors belong.
    let request = ThreadRequest {
        id,
        after: None,
        quote: None,
    };
    let submitted = state
        .submit_as(
            actor,
            move |conn, actor, state| {
                posting::reply(conn, actor, ThreadId(id), &form, &state.forum_settings())
            },
            move |conn, actor, state| load_thread(conn, actor, state, request),
        )
        .await?;
    let (error, data) = match submitted {
        Submitted::Done((post, thread)) => {
            return Ok(see_other(&service::post_url(&thread, post.number)))
        }
        Submitted::Refused(error, data) => (error, data),
    };
    let errors = Page::from_request(&req).form_errors(&state, &error);
    let extra = context! { errors, draft };
    show_thread(&state, &req, data, extra, error.status())
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
    post_json(&state, actor, Wrote::New, move |conn, actor, ctx| {
        posting::reply(conn, actor, id, &form, &ctx.forum_settings())
    })
    .await
}

async fn watch(state: &State, actor: Actor, id: i64, form: LevelForm) -> AppResult<Thread> {
    state
        .db_as(actor, move |conn, actor, _| {
            set_thread_watch(conn, actor, ThreadId(id), &form)
        })
        .await
}

pub(super) async fn thread_watch(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<LevelForm>,
) -> AppResult<HttpResponse> {
    let thread = watch(&state, actor, path.into_inner(), form).await?;
    Ok(see_other_saved(&service::thread_url(&thread)))
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
    watch(&state, actor, path.into_inner(), form.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The thread page's moderation buttons send one action each.
#[derive(Deserialize)]
pub(super) struct ModerateAction {
    /// pin, pin_globally, unpin, lock, unlock or move
    action: String,
    #[serde(default)]
    category: String,
}

impl ModerateAction {
    fn into_form(self) -> AppResult<ModerationForm> {
        let flags = |pinned, locked| ModerationForm {
            pinned,
            locked,
            ..ModerationForm::default()
        };
        Ok(match self.action.as_str() {
            "pin" => flags(Some(true), None),
            "unpin" => flags(Some(false), None),
            "pin_globally" => ModerationForm {
                pinned_globally: Some(true),
                ..ModerationForm::default()
            },
            "lock" => flags(None, Some(true)),
            "unlock" => flags(None, Some(false)),
            "move" => ModerationForm {
                category: Some(self.category),
                ..ModerationForm::default()
            },
            _ => return Err(AppError::invalid_field("action", "error-action-invalid")),
        })
    }
}

pub(super) async fn thread_moderate(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(action): CsrfForm<ModerateAction>,
) -> AppResult<HttpResponse> {
    let id = ThreadId(path.into_inner());
    let form = action.into_form()?;
    let thread = state
        .db_as(actor, move |conn, actor, _| {
            posting::moderate(conn, actor, id, &form)
        })
        .await?;
    Ok(see_other(&service::thread_url(&thread)))
}

/// Pin, lock or move a thread (moderators and above).
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
        .db_as(actor, move |conn, actor, _| {
            posting::moderate(conn, actor, id, &form)?;
            listing::thread_page(conn, actor, id, 0)
        })
        .await?;
    Ok(HttpResponse::Ok().json(page))
}
