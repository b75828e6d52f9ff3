//! The rules as pages (`/rules`, a rule's history with a diff, the community manager's
//! `/admin/rules`) and as JSON. Page and API twins call the same service function.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::NaiveDate;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::{decisions, queue, reports, rules};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorBody};
use crate::http::auth::SignedIn;
use crate::http::csrf::{CsrfForm, NoFields};
use crate::http::page::{see_other, Page};
use crate::http::routing::ApiRoutes;
use crate::http::state::{State, Submitted};
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/rules", web::get().to(rules_page))
        .route("/rules/{id}", web::get().to(rule_history_page))
        .route("/admin/rules", web::get().to(admin_rules_page))
        .route("/admin/rules", web::post().to(admin_rule_create))
        .route("/admin/rules/{id}", web::post().to(admin_rule_change))
        .route("/report", web::get().to(report_page))
        .route("/report", web::post().to(report_submit))
        .route("/review", web::get().to(review_page))
        .route("/review/{id}/claim", web::post().to(claim_submit))
        .route("/review/{id}/decision", web::post().to(decision_submit))
        .route("/modlog", web::get().to(modlog_page));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/rules", api_rules)
        .post("/rules", api_create_rule)
        .get("/rules/{id}", api_rule_versions)
        .put("/rules/{id}", api_update_rule)
        .post("/reports", api_report)
        .get("/review", api_review)
        .post("/review/{id}/claim", api_claim)
        .post("/review/{id}/decision", api_decide)
        .get("/modlog", api_modlog);
}

async fn rules_page(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let can_write = rules::can_write_rules(&actor);
    use crate::reputation::first_week;
    // Reading the rules is the first step of a new member's first week (recorded once).
    let first_read = first_week::pending(actor.user.as_ref(), first_week::RULES_READ);
    let list = state
        .db(move |conn, ctx| {
            if let Some(id) = first_read {
                first_week::mark(ctx, conn, id, first_week::RULES_READ)?;
            }
            rules::current_rules(conn)
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/rules.html",
        context! { rules => list, can_write => can_write },
    )
}

#[derive(Deserialize)]
struct DiffQuery {
    from: Option<i32>,
    to: Option<i32>,
}

async fn rule_history_page(
    state: State,
    req: HttpRequest,
    path: web::Path<i64>,
    query: web::Query<DiffQuery>,
) -> AppResult<HttpResponse> {
    let id = RuleId(path.into_inner());
    let (rule, versions) = state.db(move |conn, _| rules::history(conn, id)).await?;
    let latest = versions.last().map_or(1, |v| v.version);
    let to = query.to.unwrap_or(latest);
    let from = query.from.unwrap_or(to.saturating_sub(1).max(1));
    let find = |n: i32| versions.iter().find(|v| v.version == n);
    let (Some(old), Some(new)) = (find(from), find(to)) else {
        return Err(AppError::bad_request(crate::error::ErrorCode::InvalidQuery));
    };
    let title_diff = rules::diff(&old.title, &new.title);
    let body_diff = rules::diff(&old.body, &new.body);
    let versions: Vec<RuleVersionView> = versions.iter().map(RuleVersionView::from).collect();
    Page::from_request(&req).render(
        &state,
        "moderation/history.html",
        context! {
            rule_id => rule.id, number => rule.number, versions => versions,
            from => from, to => to, title_diff => title_diff, body_diff => body_diff,
        },
    )
}

async fn admin_rules_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
) -> AppResult<HttpResponse> {
    let list = state
        .db_as(actor, |conn, actor, _| rules_to_write(conn, actor))
        .await?;
    show_admin_page(&state, &req, list, None)
}

/// The rules in force, for who may write them (the community manager's page).
fn rules_to_write(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<RuleView>> {
    crate::policy::require(rules::can_write_rules(actor))?;
    rules::current_rules(conn)
}

/// The community manager's page with the rules in force; `failed` re-shows a refused form
/// with its errors.
fn show_admin_page(
    state: &State,
    req: &HttpRequest,
    list: Vec<RuleView>,
    failed: Option<(AppError, Option<RuleId>)>,
) -> AppResult<HttpResponse> {
    let page = Page::from_request(req);
    let status = failed
        .as_ref()
        .map_or(actix_web::http::StatusCode::OK, |(e, _)| e.status());
    let (errors, failed_rule) = match failed {
        Some((error, rule)) => (page.form_errors(state, &error), rule),
        None => (None, None),
    };
    page.render_with_status(
        state,
        "moderation/admin_rules.html",
        context! { rules => list, errors => errors, failed_rule => failed_rule },
        status,
    )
}

async fn admin_rule_create(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    CsrfForm(form): CsrfForm<NewRuleForm>,
) -> AppResult<HttpResponse> {
    let submitted = state
        .submit_as(
            actor,
            move |conn, actor, _| rules::create_rule(conn, actor, &form),
            |conn, actor, _| rules_to_write(conn, actor),
        )
        .await?;
    match submitted {
        Submitted::Done(_) => Ok(see_other("/admin/rules")),
        Submitted::Refused(error, list) => show_admin_page(&state, &req, list, Some((error, None))),
    }
}

/// The page's change form: the effective date is a day ("" or today: now).
#[derive(Deserialize)]
struct RuleChangePageForm {
    title: String,
    body: String,
    #[serde(default, deserialize_with = "crate::forum::model::checkbox")]
    significant: bool,
    #[serde(default)]
    effective_on: String,
}

impl RuleChangePageForm {
    fn into_change(self) -> AppResult<RuleChangeForm> {
        let today = crate::util::now().date();
        let effective_at = match self.effective_on.trim() {
            "" => None,
            day => match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                Ok(day) if day == today => None,
                Ok(day) => day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
                Err(_) => {
                    return Err(AppError::invalid_field(
                        "effective_at",
                        "error-rule-effective",
                    ))
                }
            },
        };
        Ok(RuleChangeForm {
            title: Some(self.title),
            body: Some(self.body),
            significant: self.significant,
            effective_at,
        })
    }
}

async fn admin_rule_change(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RuleChangePageForm>,
) -> AppResult<HttpResponse> {
    let id = RuleId(path.into_inner());
    let submitted = state
        .submit_as(
            actor,
            move |conn, actor, _| rules::change_rule(conn, actor, id, &form.into_change()?),
            |conn, actor, _| rules_to_write(conn, actor),
        )
        .await?;
    match submitted {
        Submitted::Done(_) => Ok(see_other("/admin/rules")),
        Submitted::Refused(error, list) => {
            show_admin_page(&state, &req, list, Some((error, Some(id))))
        }
    }
}

/// The community rules in force, by number (anyone).
#[utoipa::path(get, path = "/api/v1/rules", tag = "moderation",
    responses((status = 200, body = Vec<RuleView>)))]
pub async fn api_rules(state: State) -> AppResult<HttpResponse> {
    let list = state.db(|conn, _| rules::current_rules(conn)).await?;
    Ok(HttpResponse::Ok().json(list))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct RuleHistory {
    pub id: RuleId,
    pub number: i32,
    /// Every published version, oldest first.
    pub versions: Vec<RuleVersionView>,
}

/// A rule's every version (anyone).
#[utoipa::path(get, path = "/api/v1/rules/{id}", tag = "moderation",
    params(("id" = i64, Path, description = "Rule id")),
    responses((status = 200, body = RuleHistory), (status = 404, body = ErrorBody)))]
pub async fn api_rule_versions(state: State, path: web::Path<i64>) -> AppResult<HttpResponse> {
    let id = RuleId(path.into_inner());
    let (rule, versions) = state.db(move |conn, _| rules::history(conn, id)).await?;
    Ok(HttpResponse::Ok().json(RuleHistory {
        id: rule.id,
        number: rule.number,
        versions: versions.iter().map(RuleVersionView::from).collect(),
    }))
}

/// Publish a new rule as its version 1 (community manager and admins).
#[utoipa::path(post, path = "/api/v1/rules", tag = "moderation", request_body = NewRuleForm,
    responses((status = 201, body = RuleView), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_create_rule(
    state: State,
    SignedIn(actor): SignedIn,
    form: web::Json<NewRuleForm>,
) -> AppResult<HttpResponse> {
    let form = form.into_inner();
    let rule = state
        .db_as(actor, move |conn, actor, _| {
            rules::create_rule(conn, actor, &form)
        })
        .await?;
    Ok(HttpResponse::Created().json(rule))
}

/// Publish the next version of a rule (community manager and admins); `significant` tells every
/// member.
#[utoipa::path(put, path = "/api/v1/rules/{id}", tag = "moderation", request_body = RuleChangeForm,
    params(("id" = i64, Path, description = "Rule id")),
    responses((status = 200, body = RuleVersionView), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_update_rule(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<RuleChangeForm>,
) -> AppResult<HttpResponse> {
    let id = RuleId(path.into_inner());
    let form = form.into_inner();
    let version = state
        .db_as(actor, move |conn, actor, _| {
            rules::change_rule(conn, actor, id, &form)
        })
        .await?;
    Ok(HttpResponse::Ok().json(version))
}

#[derive(Deserialize)]
struct ReportQuery {
    kind: String,
    id: i64,
}

/// The report form for one target (anyone; logged-out visitors add an e-mail address).
async fn report_page(
    state: State,
    req: HttpRequest,
    actor: Actor,
    query: web::Query<ReportQuery>,
) -> AppResult<HttpResponse> {
    let values = context! { target_kind => query.kind.clone(), target_id => query.id };
    Page::from_request(&req).render(
        &state,
        "moderation/report.html",
        context! { values => values, signed_in => actor.user.is_some(),
        reasons => ReportReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>() },
    )
}

/// Logged-out reports: 10 per hour per address (members are limited in the service).
fn limit_anonymous_reports(state: &State, req: &HttpRequest, actor: &Actor) -> AppResult<()> {
    if actor.user.is_some() {
        return Ok(());
    }
    let key = format!("report:{}", crate::http::auth::client_bucket(req));
    state.limit(&key, 10, std::time::Duration::from_secs(3600))
}

async fn report_submit(
    state: State,
    req: HttpRequest,
    actor: Actor,
    CsrfForm(form): CsrfForm<ReportForm>,
) -> AppResult<HttpResponse> {
    limit_anonymous_reports(&state, &req, &actor)?;
    let signed_in = actor.user.is_some();
    let typed = form.clone();
    let result = state
        .db_as(actor, move |conn, actor, ctx| {
            reports::file_report(conn, Some(ctx), actor, &form)
        })
        .await;
    let page = Page::from_request(&req);
    match result {
        Ok(receipt) => page.render(
            &state,
            "layout/message.html",
            context! {
                title => page.t(&state, "report-title"),
                message => if receipt.warning {
                    format!("{} {}", page.t(&state, "report-received"), page.t(&state, "report-warning"))
                } else {
                    page.t(&state, "report-received")
                },
                action => None::<String>, button => "",
            },
        ),
        Err(error) => match page.form_errors(&state, &error) {
            Some(errors) => page.render_with_status(
                &state,
                "moderation/report.html",
                context! {
                    errors => errors, signed_in => signed_in,
                    reasons => ReportReason::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>(),
                    values => context! { target_kind => typed.target_kind, target_id => typed.target_id,
                                         reason => typed.reason, text => typed.text, email => typed.email },
                },
                error.status(),
            ),
            None => Err(error),
        },
    }
}

/// The review queue (moderators and above).
async fn review_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    filter: web::Query<QueueFilter>,
) -> AppResult<HttpResponse> {
    let filter = filter.into_inner();
    let shown = filter.clone();
    let (page, rules, categories) = state
        .db_as(actor, move |conn, actor, _| {
            Ok((
                queue::queue(conn, actor, &filter)?,
                rules::current_rules(conn)?,
                crate::policy::visible_categories(conn, actor)?
                    .into_iter()
                    .map(|c| (c.slug, c.name))
                    .collect::<Vec<_>>(),
            ))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/review.html",
        context! {
            next => page.next_after.as_deref().map(|a| shown.next_query(a)),
            items => page.items,
            rules => rules,
            categories => categories,
            filter => context! {
                category => shown.category,
                kind => shown.kind,
                reason => shown.reason,
                origin => shown.origin,
                mine => shown.mine,
            },
        },
    )
}

/// Report a post, a thread or a member (anyone; logged out: with an e-mail address). Reporting
/// the same target again returns the first report (200).
#[utoipa::path(post, path = "/api/v1/reports", tag = "moderation", request_body = ReportForm,
    responses((status = 201, body = ReportReceipt), (status = 200, body = ReportReceipt),
              (status = 422, body = ErrorBody)))]
pub async fn api_report(
    state: State,
    req: HttpRequest,
    actor: Actor,
    form: web::Json<ReportForm>,
) -> AppResult<HttpResponse> {
    limit_anonymous_reports(&state, &req, &actor)?;
    let form = form.into_inner();
    let receipt = state
        .db_as(actor, move |conn, actor, ctx| {
            reports::file_report(conn, Some(ctx), actor, &form)
        })
        .await?;
    Ok(if receipt.already_reported {
        HttpResponse::Ok().json(receipt)
    } else {
        HttpResponse::Created().json(receipt)
    })
}

/// The open review queue, most urgent first (moderators and above), filtered, 30 items a page;
/// a `Link: <…>; rel="next"` header gives the next page while there is one.
#[utoipa::path(get, path = "/api/v1/review", tag = "moderation", params(QueueFilter),
    responses((status = 200, body = Vec<ReviewItemView>,
               headers(("Link" = String, description = "the next page, `<url>; rel=\"next\"`"))),
              (status = 403, body = ErrorBody),
              (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_review(
    state: State,
    SignedIn(actor): SignedIn,
    filter: web::Query<QueueFilter>,
) -> AppResult<HttpResponse> {
    let filter = filter.into_inner();
    let shown = filter.clone();
    let page = state
        .db_as(actor, move |conn, actor, _| {
            queue::queue(conn, actor, &filter)
        })
        .await?;
    let mut response = HttpResponse::Ok();
    if let Some(after) = &page.next_after {
        response.insert_header((
            "Link",
            format!("</api/v1/review?{}>; rel=\"next\"", shown.next_query(after)),
        ));
    }
    Ok(response.json(page.items))
}

async fn claim_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    _form: CsrfForm<NoFields>,
) -> AppResult<HttpResponse> {
    let id = ReviewItemId(path.into_inner());
    state
        .db_as(actor, move |conn, actor, _| {
            decisions::claim(conn, actor, id)
        })
        .await?;
    Ok(see_other(&format!("/review#item-{}", id.0)))
}

async fn decision_submit(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<DecisionForm>,
) -> AppResult<HttpResponse> {
    let id = ReviewItemId(path.into_inner());
    state.step(actor, id, form, decisions::decide).await?;
    Ok(see_other("/review"))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Claimed {
    /// The item's version now; the decision names it.
    pub version: i32,
}

/// Claim a queue item (moderators; a claim lapses after 30 idle minutes).
#[utoipa::path(post, path = "/api/v1/review/{id}/claim", tag = "moderation",
    params(("id" = i64, Path, description = "Queue item id")),
    responses((status = 200, body = Claimed), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_claim(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
) -> AppResult<HttpResponse> {
    let id = ReviewItemId(path.into_inner());
    let version = state
        .db_as(actor, move |conn, actor, _| {
            decisions::claim(conn, actor, id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Claimed { version }))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Decided {
    pub status: ItemStatus,
}

/// Decide a queue item: keep, dismiss or escalate, with an explanation and the item's version.
#[utoipa::path(post, path = "/api/v1/review/{id}/decision", tag = "moderation",
    params(("id" = i64, Path, description = "Queue item id")), request_body = DecisionForm,
    responses((status = 200, body = Decided), (status = 403, body = ErrorBody),
              (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_decide(
    state: State,
    SignedIn(actor): SignedIn,
    path: web::Path<i64>,
    form: web::Json<DecisionForm>,
) -> AppResult<HttpResponse> {
    let id = ReviewItemId(path.into_inner());
    let form = form.into_inner();
    let status = state.step(actor, id, form, decisions::decide).await?;
    Ok(HttpResponse::Ok().json(Decided { status }))
}

async fn modlog_page(state: State, req: HttpRequest, actor: Actor) -> AppResult<HttpResponse> {
    let staff = reports::can_review(&actor);
    let entries = state
        .db_as(actor, |conn, actor, _| decisions::modlog(conn, actor))
        .await?;
    Page::from_request(&req).render(
        &state,
        "moderation/modlog.html",
        context! { entries => entries, staff => staff },
    )
}

/// The public moderation log, newest first (moderators' names for staff only).
#[utoipa::path(get, path = "/api/v1/modlog", tag = "moderation",
    responses((status = 200, body = Vec<ModlogEntry>)))]
pub async fn api_modlog(state: State, actor: Actor) -> AppResult<HttpResponse> {
    let entries = state
        .db_as(actor, |conn, actor, _| decisions::modlog(conn, actor))
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}
