//! The ombudsman's pages and API: the appeal form (`/appeal`, also reachable without logging in
//! from the signed link in a statement's e-mail), the case desk (`/cases`) and a case's page
//! (`/cases/{id}`) with the reviewer's decision form.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::model::*;
use super::{appeals, view};
use crate::accounts::model::UserId;
use crate::error::{AppError, AppResult, ErrorBody, ErrorKind};
use crate::http::auth::SignedIn;
use crate::http::csrf::CsrfForm;
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::moderation::model::StatementId;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/appeal", web::get().to(appeal_page))
        .route("/appeal", web::post().to(appeal_submit))
        .route("/cases", web::get().to(desk_page))
        .route("/cases", web::post().to(open_submit))
        .route("/cases/new", web::get().to(new_case_page))
        .route("/cases/{id}", web::get().to(case_page))
        .route("/cases/{id}/evidence", web::post().to(evidence_submit))
        .route("/cases/{id}/messages", web::post().to(message_submit))
        .route(
            "/cases/{id}/tasks/{task}/done",
            web::post().to(task_done_submit),
        )
        .route(
            "/cases/{id}/tasks/{task}/waive",
            web::post().to(task_waive_submit),
        )
        .route(
            "/cases/{id}/messages/{message}/resubmit",
            web::post().to(resubmit_submit),
        )
        .route("/cases/{id}/decision", web::post().to(decision_submit))
        .route("/cases/{id}/transition", web::post().to(transition_submit));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.post("/appeals", api_appeal)
        .get("/cases", api_desk)
        .post("/cases", api_open_case)
        .post("/cases/{id}/evidence", api_evidence)
        .post("/cases/{id}/messages", api_message)
        .post("/cases/{id}/messages/{message}/resubmit", api_resubmit)
        .get("/cases/{id}/record", api_record)
        .post("/cases/{id}/tasks/{task}/done", api_task_done)
        .post("/cases/{id}/tasks/{task}/waive", api_task_waive)
        .get("/cases/{id}", api_case)
        .post("/cases/{id}/decision", api_decide)
        .post("/cases/{id}/transition", api_transition);
}

/// A service step on a case (`http::state::Step`).
pub(super) type Step<F, T> = crate::http::state::Step<CaseId, F, T>;

/// A page form's step: runs it, then returns to the case's page at `anchor`.
pub(super) async fn back_to_case<F: Send + 'static, T: Send + 'static>(
    state: &State,
    actor: Actor,
    path: web::Path<i64>,
    (form, step): (F, Step<F, T>),
    anchor: &str,
) -> AppResult<HttpResponse> {
    let id = CaseId(path.into_inner());
    state.step(actor, id, form, step).await?;
    Ok(see_other(&format!("/cases/{}{anchor}", id.0)))
}

/// What the API answers after a step on a case, by what the step returned: the case's new
/// state (200), the id of what it added (201), or nothing (204).
pub(super) trait CaseAnswer {
    fn answer(self) -> HttpResponse;
}

impl CaseAnswer for CaseState {
    fn answer(self) -> HttpResponse {
        HttpResponse::Ok().json(Moved { state: self })
    }
}

impl CaseAnswer for i64 {
    fn answer(self) -> HttpResponse {
        HttpResponse::Created().json(Added { id: self })
    }
}

impl CaseAnswer for () {
    fn answer(self) -> HttpResponse {
        HttpResponse::NoContent().finish()
    }
}

/// The API twin of a page form's step (`back_to_case`).
pub(super) async fn api_step<F: Send + 'static, T: CaseAnswer + Send + 'static>(
    state: &State,
    actor: Actor,
    path: web::Path<i64>,
    form: F,
    step: Step<F, T>,
) -> AppResult<HttpResponse> {
    let id = CaseId(path.into_inner());
    Ok(state.step(actor, id, form, step).await?.answer())
}

#[derive(Clone, Debug, Default, Deserialize)]
struct AppealQuery {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    statement: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    decision: Option<i64>,
    #[serde(default)]
    sig: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct AppealPageForm {
    #[serde(flatten)]
    appeal: AppealForm,
    #[serde(default)]
    sig: Option<String>,
}

/// Who appeals: the signed-in member, or the statement's member when the link's signature is
/// good (a bad signature is "not found", like a statement that is not theirs).
fn appellant(
    conn: &mut crate::db::DbConnection,
    ctx: &crate::context::AppContext,
    actor: &Actor,
    statement: Option<i64>,
    sig: Option<&str>,
) -> AppResult<UserId> {
    use crate::db::schema::statements;
    use diesel::prelude::*;
    match (statement, sig.filter(|s| !s.is_empty())) {
        (Some(id), Some(sig)) => {
            let expected = crate::moderation::statements::appeal_signature(
                ctx.secret_key.expose(),
                StatementId(id),
            );
            if !crate::util::constant_time_eq(expected.as_bytes(), sig.as_bytes()) {
                return Err(AppError::new(ErrorKind::NotFound));
            }
            statements::table
                .find(StatementId(id))
                .select(statements::user_id)
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::new(ErrorKind::NotFound))
        }
        _ => Ok(actor.require_user()?.id),
    }
}

/// The appeal form, with the statement it appeals (by link or signed in).
async fn appeal_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<AppealQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let shown = query.clone();
    let statement = state
        .db_as(actor, move |conn, actor, ctx| {
            let me = appellant(conn, ctx, actor, query.statement, query.sig.as_deref())?;
            match query.statement {
                Some(id) => Ok(Some(crate::moderation::statements::of_member(
                    conn,
                    me,
                    StatementId(id),
                )?)),
                None if query.decision.is_some() => Ok(None),
                None => Err(AppError::invalid_field("statement_id", "error-appeal-what")),
            }
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "ombudsman/appeal.html",
        context! {
            s => statement,
            statement_id => shown.statement,
            decision_id => shown.decision,
            sig => shown.sig,
        },
    )
}

async fn appeal_submit(
    state: State,
    req: HttpRequest,
    actor: Actor,
    CsrfForm(form): CsrfForm<AppealPageForm>,
) -> AppResult<HttpResponse> {
    let reader = actor.user_id();
    let (filed, appellant) = state
        .db_as(actor, move |conn, actor, ctx| {
            let me = appellant(
                conn,
                ctx,
                actor,
                form.appeal.statement_id,
                form.sig.as_deref(),
            )?;
            Ok((appeals::file(conn, ctx, me, &form.appeal)?, me))
        })
        .await?;
    // The appellant goes to their case; anyone else (logged out, or signed in as someone else
    // with the link) sees the receipt.
    if reader == Some(appellant) {
        return Ok(see_other(&filed.url));
    }
    Page::from_request(&req).render(&state, "ombudsman/filed.html", context! { filed => filed })
}

async fn desk_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let (cases, arbiter) = state
        .db_as(actor, |conn, actor, _| {
            let cases = view::desk(conn, actor)?;
            // The community manager and admins name the fallback arbiter here.
            let arbiter = if crate::moderation::rules::can_write_rules(actor) {
                Some(super::review::fallback_arbiter(conn)?.map(|a| a.1))
            } else {
                None
            };
            Ok((cases, arbiter))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "ombudsman/desk.html",
        context! { cases => cases, can_set_arbiter => arbiter.is_some(), arbiter => arbiter.flatten() },
    )
}

async fn new_case_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let departments = state
        .db_as(actor, |conn, _, _| {
            use crate::db::schema::users;
            use diesel::prelude::*;
            let mut list: Vec<String> = users::table
                .filter(users::department.is_not_null())
                .select(users::department.assume_not_null())
                .distinct()
                .load(conn)?;
            list.sort();
            Ok(list)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "ombudsman/new_case.html",
        context! { departments => departments },
    )
}

async fn open_submit(
    state: State,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<DisputeForm>,
) -> AppResult<HttpResponse> {
    let filed = state
        .db_as(actor, move |conn, actor, ctx| {
            super::disputes::open(conn, ctx, actor, &form)
        })
        .await?;
    Ok(see_other(&filed.url))
}

async fn evidence_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EvidenceForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, super::disputes::add_evidence),
        "#evidence",
    )
    .await
}

async fn message_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<MessageForm>,
) -> AppResult<HttpResponse> {
    back_to_case(
        &state,
        actor,
        path,
        (form, super::mediation::post),
        "#mediation",
    )
    .await
}

async fn resubmit_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let (id, message) = path.into_inner();
    let id = CaseId(id);
    state
        .db_as(actor, move |conn, actor, _| {
            super::mediation::resubmit(conn, actor, id, message)
        })
        .await?;
    Ok(see_other(&format!("/cases/{}#mediation", id.0)))
}

/// A waiver's reason.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WaiverForm {
    pub reason: String,
}

async fn task_done_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<crate::http::csrf::NoFields>,
) -> AppResult<HttpResponse> {
    let (id, task) = path.into_inner();
    let id = CaseId(id);
    state
        .db_as(actor, move |conn, actor, ctx| {
            super::remedies::settle_task(conn, ctx, actor, id, task, None)
        })
        .await?;
    Ok(see_other(&format!("/cases/{}#tasks", id.0)))
}

async fn task_waive_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<WaiverForm>,
) -> AppResult<HttpResponse> {
    let (id, task) = path.into_inner();
    let id = CaseId(id);
    state
        .db_as(actor, move |conn, actor, ctx| {
            super::remedies::settle_task(conn, ctx, actor, id, task, Some(&form.reason))
        })
        .await?;
    Ok(see_other(&format!("/cases/{}#tasks", id.0)))
}

async fn case_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = CaseId(path.into_inner());
    let (case, rules) = state
        .db_as(actor, move |conn, actor, _| {
            let case = view::one(conn, actor, id)?;
            let rules = if case.can_decide || case.can_draft {
                crate::moderation::rules::current_rules(conn)?
            } else {
                vec![]
            };
            Ok((case, rules))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "ombudsman/case.html",
        context! {
            case => case,
            rules => rules,
            remedy_kinds => super::remedies::REMEDY_KINDS,
        },
    )
}

async fn decision_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<CaseDecisionForm>,
) -> AppResult<HttpResponse> {
    back_to_case(&state, actor, path, (form, appeals::decide), "").await
}

async fn transition_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<TransitionForm>,
) -> AppResult<HttpResponse> {
    back_to_case(&state, actor, path, (form, appeals::transition), "").await
}

/// Appeal a decision: the statement of reasons received (`statement_id`), or a decision on
/// something you reported (`decision_id`); once per decision, within 180 days (later: recorded
/// as inadmissible). Allowed while suspended.
#[utoipa::path(post, path = "/api/v1/appeals", tag = "ombudsman", request_body = AppealForm,
    responses((status = 201, body = Filed), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_appeal(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<AppealForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let filed = state
        .db_as(actor, move |conn, actor, ctx| {
            let me = actor.require_user()?.id;
            appeals::file(conn, ctx, me, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(filed))
}

/// The case desk: your appeals, those assigned to you, and (community manager, admins) every
/// open case; open ones first, by deadline.
#[utoipa::path(get, path = "/api/v1/cases", tag = "ombudsman",
    responses((status = 200, body = Vec<CaseSummary>), (status = 401, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_desk(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let cases = state
        .db_as(actor, |conn, actor, _| view::desk(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(cases))
}

/// One case: its appellant, its reviewer, the community manager and admins read it; anyone
/// else gets 404.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = CaseView), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_case(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = CaseId(path.into_inner());
    let case = state
        .db_as(actor, move |conn, actor, _| view::one(conn, actor, id))
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Open a dispute: `member_dispute` against a member (`respondent`: a username) or
/// `brand_dispute` against the brand (`respondent`: `brand`, and its `department`), with what
/// happened (`summary`) and the outcome wanted. An ombudsman with no conflict takes it.
#[utoipa::path(post, path = "/api/v1/cases", tag = "ombudsman", request_body = DisputeForm,
    responses((status = 201, body = Filed), (status = 401, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_open_case(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<DisputeForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let filed = state
        .db_as(actor, move |conn, actor, ctx| {
            super::disputes::open(conn, ctx, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(filed))
}

/// What was added (a mediation statement, an evidence item): its id.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Added {
    pub id: i64,
}

/// Write in a dispute's mediation (its parties and ombudsman, while in mediation);
/// `privileged` keeps the statement out of any arbitration record unless re-submitted.
#[utoipa::path(post, path = "/api/v1/cases/{id}/messages", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = MessageForm,
    responses((status = 201, body = Added), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_message(
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
        super::mediation::post,
    )
    .await
}

/// Put your privileged mediation statement in the arbitration record after all.
#[utoipa::path(post, path = "/api/v1/cases/{id}/messages/{message}/resubmit", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id"), ("message" = i64, Path, description = "Statement id")),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_resubmit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, message) = path.into_inner();
    let id = CaseId(id);
    state
        .db_as(actor, move |conn, actor, _| {
            super::mediation::resubmit(conn, actor, id, message)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The arbitration record of a case: the evidence the reader may see and the mediation
/// statements that are not privileged (or were re-submitted).
#[utoipa::path(get, path = "/api/v1/cases/{id}/record", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")),
    responses((status = 200, body = ArbitrationRecord), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_record(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = CaseId(path.into_inner());
    let record = state
        .db_as(actor, move |conn, actor, _| {
            super::mediation::record(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(record))
}

/// Mark an enforcement task done: its owner (the brand's department staff for the brand's
/// tasks) or the ombudsman. The case closes when no task is left.
#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks/{task}/done", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id"), ("task" = i64, Path, description = "Task id")),
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_task_done(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
) -> AppResult<HttpResponse> {
    let (id, task) = path.into_inner();
    let state = state
        .db_as(actor, move |conn, actor, ctx| {
            super::remedies::settle_task(conn, ctx, actor, CaseId(id), task, None)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Moved { state }))
}

/// Waive an enforcement task, with reasons (the ombudsman). The case closes when no task is
/// left.
#[utoipa::path(post, path = "/api/v1/cases/{id}/tasks/{task}/waive", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id"), ("task" = i64, Path, description = "Task id")),
    request_body = WaiverForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_task_waive(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<(i64, i64)>,
    form: web::Json<WaiverForm>,
) -> AppResult<HttpResponse> {
    let (id, task) = path.into_inner();
    let form = form.into_inner();
    let state = state
        .db_as(actor, move |conn, actor, ctx| {
            super::remedies::settle_task(conn, ctx, actor, CaseId(id), task, Some(&form.reason))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Moved { state }))
}

/// Add evidence to a dispute (a party or its ombudsman): a text and optionally a post, kept as
/// it is now; `visibility` `ombudsman_only` (the default), `parties` or `public_redacted`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evidence", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = EvidenceForm,
    responses((status = 201, body = Added), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_evidence(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<EvidenceForm>,
) -> AppResult<HttpResponse> {
    api_step(
        &state,
        actor,
        path,
        form.into_inner(),
        super::disputes::add_evidence,
    )
    .await
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Moved {
    pub state: CaseState,
}

/// Decide an appeal (its reviewer, or the community manager): `upheld`, `modified`,
/// `overturned` or `inadmissible`, with reasons; anyone involved in the decision is refused
/// with `conflict_of_interest`.
#[utoipa::path(post, path = "/api/v1/cases/{id}/decision", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = CaseDecisionForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_decide(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<CaseDecisionForm>,
) -> AppResult<HttpResponse> {
    api_step(&state, actor, path, form.into_inner(), appeals::decide).await
}

/// Move a case without deciding it: `escalated` (its reviewer, to the community manager) or
/// `withdrawn` (its appellant), with a reason.
#[utoipa::path(post, path = "/api/v1/cases/{id}/transition", tag = "ombudsman",
    params(("id" = i64, Path, description = "Case id")), request_body = TransitionForm,
    responses((status = 200, body = Moved), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_transition(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<TransitionForm>,
) -> AppResult<HttpResponse> {
    api_step(&state, actor, path, form.into_inner(), appeals::transition).await
}
