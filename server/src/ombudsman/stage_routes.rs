//! Pages and API of a dispute's later stages: the draft decision and its comments, settlement
//! terms and their acceptance, review requests, the fallback arbiter, and publication of
//! decided cases on the public decisions page (`/decisions`). Each page form posts to the same
//! service as its API twin and returns to the case.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::model::*;
use super::remedies::RemedyForm;
use super::review::{ArbiterForm, PublishForm, PublishedDecision, ReviewForm};
use super::routes::{api_step, back_to_case, Added, Moved, Step, WaiverForm};
use super::settlement::AcceptForm;
use crate::error::{AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/decisions", web::get().to(decisions_page))
        .route("/cases/fallback-arbiter", web::post().to(arbiter_submit))
        .route("/cases/{id}/draft", web::post().to(draft_submit))
        .route("/cases/{id}/comments", web::post().to(comment_submit))
        .route("/cases/{id}/terms", web::post().to(terms_submit))
        .route("/cases/{id}/terms/accept", web::post().to(accept_submit))
        .route("/cases/{id}/review", web::post().to(review_submit))
        .route("/cases/{id}/arbiter", web::post().to(fallback_submit))
        .route("/cases/{id}/consent", web::post().to(consent_submit))
        .route("/cases/{id}/publish", web::post().to(publish_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/decisions", api_decisions)
        .put("/fallback-arbiter", api_arbiter)
        .post("/cases/{id}/draft", api_draft)
        .post("/cases/{id}/comments", api_comment)
        .post("/cases/{id}/terms", api_terms)
        .post("/cases/{id}/terms/accept", api_accept)
        .post("/cases/{id}/review", api_review)
        .post("/cases/{id}/arbiter", api_fallback)
        .post("/cases/{id}/consent", api_consent)
        .post("/cases/{id}/publish", api_publish);
}

/// The page's terms: the text and one remedy (the API sends a list).
#[derive(Clone, Debug, Default, Deserialize)]
struct TermsPageForm {
    text: String,
    #[serde(default)]
    remedy_kind: Option<String>,
    #[serde(default)]
    remedy_description: Option<String>,
    #[serde(default)]
    remedy_owner: Option<String>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    remedy_due_days: Option<i64>,
}

impl TermsPageForm {
    fn terms(self) -> Terms {
        let remedies = match self.remedy_kind.filter(|k| !k.trim().is_empty()) {
            Some(kind) => vec![RemedyForm {
                kind,
                description: self.remedy_description.unwrap_or_default(),
                owner: self.remedy_owner.unwrap_or_default(),
                due_days: self.remedy_due_days.unwrap_or(0),
            }],
            None => vec![],
        };
        Terms {
            text: self.text,
            remedies,
            proposed_by: String::new(),
        }
    }
}

async fn decisions_page(state: State, req: HttpRequest) -> AppResult<HttpResponse> {
    let decisions = state.db(|conn, _| super::review::published(conn)).await?;
    Page::from_request(&req).render(
        &state,
        "ombudsman/decisions.html",
        context! { decisions => decisions },
    )
}

async fn arbiter_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<ArbiterForm>,
) -> AppResult<HttpResponse> {
    state
        .db_as(actor, move |conn, actor, _| {
            super::review::set_fallback_arbiter(conn, actor, &form)
        })
        .await?;
    Ok(see_other("/cases"))
}

async fn draft_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<CaseDecisionForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, super::arbitration::draft),
        "#draft",
    )
    .await
}

async fn comment_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MessageForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, super::mediation::comment),
        "#draft",
    )
    .await
}

async fn terms_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<TermsPageForm>,
) -> AppResult<HttpResponse> {
    let terms = (form.terms(), super::settlement::propose as Step<_, _>);
    back_to_case(&state, actor, path, terms, "#terms").await
}

async fn accept_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<AcceptForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, super::settlement::accept),
        "#terms",
    )
    .await
}

async fn review_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> AppResult<HttpResponse> {
    back_to_case(&state, actor, path, (form, super::review::request), "").await
}

async fn fallback_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<WaiverForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, |conn, ctx, actor, id, form| {
            super::review::ask_fallback(conn, ctx, actor, id, &form.reason)
        }),
        "",
    )
    .await
}

async fn consent_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let consent: Step<(), ()> = |conn, _, actor, id, _| super::review::consent(conn, actor, id);
    back_to_case(&state, actor, path, ((), consent), "#publication").await
}

async fn publish_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<PublishForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, |conn, _, actor, id, form| {
            super::review::publish(conn, actor, id, form)
        }),
        "#publication",
    )
    .await
}

/// The public decisions page: anonymised summaries of decided cases, published on the
/// parties' consent or as precedents. No sign-in needed.
#[utoipa::path(get, path = "/api/v1/decisions", tag = "ombudsman",
    responses((status = 200, body = Vec<PublishedDecision>)))]
pub async fn api_decisions(state: State) -> AppResult<HttpResponse> {
    let decisions = state.db(|conn, _| super::review::published(conn)).await?;
    Ok(HttpResponse::Ok().json(decisions))
}

/// Name the fallback arbiter (community manager or admin): a person with an account, by
/// username, who takes reviews and, when a member asks, disputes with the brand; empty for none.
#[utoipa::path(put, path = "/api/v1/fallback-arbiter", tag = "ombudsman", request_body = ArbiterForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_arbiter(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<ArbiterForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    state
        .db_as(actor, move |conn, actor, _| {
            super::review::set_fallback_arbiter(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The ombudsman's draft decision, once the evidence period is over (`period_open` before):
/// outcome, reasons, rule, findings of fact citing evidence ids, remedies. The parties may
/// comment until the comment period ends.
#[utoipa::path(post, path = "/api/v1/cases/{id}/draft", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = CaseDecisionForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_draft(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<CaseDecisionForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::arbitration::draft,
    )
    .await
}

/// Comment on the draft decision (a party or the ombudsman, during the comment period).
#[utoipa::path(post, path = "/api/v1/cases/{id}/comments", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = MessageForm,
    responses((status = 201, body = Added), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_comment(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<MessageForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::mediation::comment,
    )
    .await
}

/// Propose settlement terms in mediation (a party, who thereby accepts them, or the ombudsman):
/// the text and remedies that become enforcement tasks once both sides accept.
#[utoipa::path(post, path = "/api/v1/cases/{id}/terms", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = Terms,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_terms(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<Terms>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::settlement::propose,
    )
    .await
}

/// Accept the proposed terms for your side, as read at the case's `version` (`stale_version`
/// when new terms came since); with both sides', the case is settled.
#[utoipa::path(post, path = "/api/v1/cases/{id}/terms/accept", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = AcceptForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_accept(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<AcceptForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::settlement::accept,
    )
    .await
}

/// Request your side's one review of a decided case, with new information, within 30 days
/// (`review_late` after, `already_requested` the second time).
#[utoipa::path(post, path = "/api/v1/cases/{id}/review", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = ReviewForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_review(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<ReviewForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::review::request,
    )
    .await
}

/// In a dispute with the brand, ask for the fallback arbiter instead of the brand's ombudsman
/// (the complainant, before the decision; `no_fallback_arbiter` when none is free).
#[utoipa::path(post, path = "/api/v1/cases/{id}/arbiter", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = WaiverForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_fallback(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<WaiverForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        |conn, ctx, actor, id, form| {
            super::review::ask_fallback(conn, ctx, actor, id, &form.reason)
        },
    )
    .await
}

/// Consent, for your side, to an anonymised publication of the decided case.
#[utoipa::path(post, path = "/api/v1/cases/{id}/consent", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_consent(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let consent: Step<(), ()> = |conn, _, actor, id, _| super::review::consent(conn, actor, id);
    api_step(&state, actor, path, (), consent).await
}

/// Publish an anonymised summary of a decided case (its judge): `basis` `consent` (both sides
/// consented; `consent_missing` otherwise) or `precedent`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/publish", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = PublishForm,
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_publish(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<PublishForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        |conn, _, actor, id, form| super::review::publish(conn, actor, id, form),
    )
    .await
}
