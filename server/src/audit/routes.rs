//! The audit log for auditors (admins and the community manager): `/admin/audit` shows whether
//! the chain verifies, its head hash and the newest entries; the API gives the same.

use actix_web::{web, HttpRequest, HttpResponse};
use minijinja::context;
use serde::Deserialize;

use super::{Stored, Verification};
use crate::error::{AppError, AppResult, ErrorBody, ErrorKind};
use crate::http::auth::SignedIn;
use crate::http::page::Page;
use crate::http::routing::ApiRoutes;
use crate::http::state::State;
use crate::policy::Actor;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/admin/audit", web::get().to(audit_page));
}

pub fn api_routes(api: &mut ApiRoutes) {
    api.get("/audit", api_entries)
        .get("/audit/verify", api_verify);
}

/// Admins and the community manager read the log; no one changes it.
pub fn can_audit(actor: &Actor) -> bool {
    actor
        .role()
        .is_some_and(|role| role >= crate::accounts::model::Role::CommunityManager)
}

fn require_auditor(actor: &Actor) -> AppResult<()> {
    if can_audit(actor) {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Forbidden))
    }
}

/// Which entries: those before an id (the next page), or those of one case.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub before: Option<i64>,
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub case: Option<i64>,
}

async fn audit_page(
    state: State,
    req: HttpRequest,
    SignedIn(actor): SignedIn,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let (verification, entries) = state
        .db_as(actor, move |conn, actor, _| {
            require_auditor(actor)?;
            Ok((
                super::verify(conn)?,
                super::recent(conn, query.before, query.case)?,
            ))
        })
        .await?;
    Page::from_request(&req).render(
        &state,
        "audit/log.html",
        context! { verification => verification, entries => entries },
    )
}

/// The newest audit entries (100), before `before`, or of one `case` (admins, community
/// manager).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<Stored>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_entries(
    state: State,
    SignedIn(actor): SignedIn,
    query: web::Query<AuditQuery>,
) -> AppResult<HttpResponse> {
    let query = query.into_inner();
    let entries = state
        .db_as(actor, move |conn, actor, _| {
            require_auditor(actor)?;
            super::recent(conn, query.before, query.case)
        })
        .await?;
    Ok(HttpResponse::Ok().json(entries))
}

/// Verifies the whole chain and names the first broken entry, if any (admins, community
/// manager).
#[utoipa::path(get, path = "/api/v1/audit/verify", tag = "audit",
    responses((status = 200, body = Verification), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)),
    security(("session" = []), ("token" = [])))]
pub async fn api_verify(state: State, SignedIn(actor): SignedIn) -> AppResult<HttpResponse> {
    let verification = state
        .db_as(actor, |conn, actor, _| {
            require_auditor(actor)?;
            super::verify(conn)
        })
        .await?;
    Ok(HttpResponse::Ok().json(verification))
}
