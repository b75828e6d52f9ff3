//! Deciding a dispute and enforcing it (disputes.md R-D4, R-D6, R-D7): the ombudsman decides
//! with reasons (the rules cited, when any) and remedies, each an enforcement task with an
//! owner (a member, or the brand's department) and a due date. The case is in enforcement
//! until every task is done or waived by the ombudsman with reasons, and then closes; it
//! cannot be closed earlier.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::appeals::{is_ombudsman, log, readable_case, required_reason, stale_case, TEXT_MAX};
use super::disputes::is_party;
use super::model::*;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{case_tasks, cases, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

/// The remedies a decision may order (R-D6).
pub const REMEDY_KINDS: &[&str] = &[
    "restore_content",
    "remove_content",
    "lift_restriction",
    "impose_restriction",
    "apology",
    "correction_note",
    "refund",
    "replacement",
    "rule_clarification",
    "no_contact",
    "probation",
];

/// One remedy of a decision: what, who carries it out (`brand` for the brand's department, or
/// a username), and within how many days.
#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct RemedyForm {
    pub kind: String,
    pub description: String,
    pub owner: String,
    pub due_days: i64,
}

/// An enforcement task as the case shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct TaskView {
    pub id: i64,
    pub kind: String,
    pub description: String,
    /// A member's name, or `brand` (with the department).
    pub owner: String,
    pub department: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub due_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub done_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub waived_at: Option<NaiveDateTime>,
    pub waiver_reason: Option<String>,
    /// Still open and past its due date.
    pub overdue: bool,
}

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// Whether the actor judges this dispute: the ombudsman or arbiter assigned to it (any
/// community manager or admin only while nobody is), never a party or a witness. Another
/// ombudsman takes a case over only by a logged reassignment, never by acting on it.
pub(super) fn judges(actor: &Actor, case: &Case) -> bool {
    let me = actor.user_id();
    let assigned = match case.reviewer_id {
        Some(reviewer) => me == Some(reviewer),
        None => is_ombudsman(actor),
    };
    assigned && !is_party(actor, case) && !me.is_some_and(|me| case.is_witness(me))
}

/// A remedy checked and ready to become an enforcement task.
#[derive(Clone, Debug)]
pub(super) struct TaskSpec {
    kind: String,
    description: String,
    owner: Option<UserId>,
    department: Option<String>,
    days: i64,
}

/// Checks remedies (of a decision or of settlement terms): a known kind, a description, an
/// owner who is a party (or `brand` in a brand dispute), 1–365 days. Errors name
/// `remedies.N.field`.
pub(super) fn check_remedies(
    conn: &mut DbConnection,
    case: &Case,
    remedies: &[RemedyForm],
) -> AppResult<Vec<TaskSpec>> {
    let mut tasks = vec![];
    for (n, remedy) in remedies.iter().enumerate() {
        let field = |name: &str| format!("remedies.{n}.{name}");
        if !REMEDY_KINDS.contains(&remedy.kind.trim()) {
            return Err(AppError::invalid_field(&field("kind"), "error-remedy-kind"));
        }
        let description = remedy.description.trim();
        if description.is_empty() || description.chars().count() > TEXT_MAX {
            return Err(AppError::invalid_field(
                &field("description"),
                "error-case-text",
            ));
        }
        if !(1..=365).contains(&remedy.due_days) {
            return Err(AppError::invalid_field(
                &field("due_days"),
                "error-remedy-days",
            ));
        }
        let owner = remedy.owner.trim();
        let (owner_id, department) = if owner == "brand" {
            if case.kind != CaseKind::BrandDispute {
                return Err(AppError::invalid_field(
                    &field("owner"),
                    "error-remedy-owner",
                ));
            }
            (None, case.department.clone())
        } else {
            let id: Option<UserId> = users::table
                .filter(users::username.eq(owner))
                .select(users::id)
                .first(conn)
                .optional()?;
            match id {
                Some(id) if id == case.complainant_id || Some(id) == case.respondent_id => {
                    (Some(id), None)
                }
                _ => {
                    return Err(AppError::invalid_field(
                        &field("owner"),
                        "error-remedy-owner",
                    ))
                }
            }
        };
        tasks.push(TaskSpec {
            kind: remedy.kind.trim().to_string(),
            description: description.to_string(),
            owner: owner_id,
            department,
            days: remedy.due_days,
        });
    }
    Ok(tasks)
}

/// Creates the enforcement tasks of a decision or a settlement.
pub(super) fn insert_tasks(
    conn: &mut DbConnection,
    case: CaseId,
    at: NaiveDateTime,
    tasks: &[TaskSpec],
) -> AppResult<()> {
    for task in tasks {
        diesel::insert_into(case_tasks::table)
            .values((
                case_tasks::case_id.eq(case),
                case_tasks::kind.eq(&task.kind),
                case_tasks::description.eq(&task.description),
                case_tasks::owner_id.eq(task.owner),
                case_tasks::department.eq(&task.department),
                case_tasks::due_at.eq(at + Duration::days(task.days)),
                case_tasks::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The final decision of a dispute, once the parties have had the draft's comment period: the
/// outcome, reasons, rule cited if any, findings of fact citing evidence, and the remedies,
/// which become enforcement tasks. A decision on review supersedes the tasks still open.
pub fn decide(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    form: &CaseDecisionForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let ruled = super::arbitration::ruling(conn, actor, case, form)?;
    if case.state != CaseState::DraftDecision {
        return Err(refused(ErrorCode::WrongStage));
    }
    if case.due_at > now() {
        return Err(refused(ErrorCode::PeriodOpen));
    }
    let findings = serde_json::to_string(&ruled.ruling.findings).map_err(AppError::internal)?;
    let outcome = ruled.outcome;
    let reasons = ruled.ruling.reasons.clone();
    let citation = ruled.citation;
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let superseded = diesel::update(
            case_tasks::table
                .filter(case_tasks::case_id.eq(case.id))
                .filter(case_tasks::done_at.is_null())
                .filter(case_tasks::waived_at.is_null()),
        )
        .set((
            case_tasks::waived_at.eq(Some(at)),
            case_tasks::waiver_reason.eq(Some("superseded_on_review")),
        ))
        .execute(conn)?;
        if superseded > 0 {
            tracing::info!(case = case.id.0, superseded, "tasks superseded on review");
        }
        let state = if ruled.tasks.is_empty() {
            CaseState::Closed
        } else {
            CaseState::Enforcement
        };
        let updated = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version)),
        )
        .set((
            cases::state.eq(state),
            cases::outcome.eq(Some(outcome)),
            cases::reasons.eq(&reasons),
            cases::rule_id.eq(citation.as_ref().map(|c| c.rule_id)),
            cases::rule_version.eq(citation.as_ref().map(|c| c.version)),
            cases::findings.eq(&findings),
            cases::reviewer_id.eq(Some(me)),
            cases::decided_at.eq(Some(at)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(stale_case());
        }
        insert_tasks(conn, case.id, at, &ruled.tasks)?;
        log(
            conn,
            case.id,
            Some(case.state),
            state,
            Some(me),
            outcome.as_str(),
            false,
        )?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: &format!("dispute.{}", outcome.as_str()),
                target_kind: "case",
                target_id: case.id.0,
                case_id: Some(case.id.0),
                reason: &reasons,
                rule: citation.as_ref().map(|c| (c.rule_id.0, c.version)),
                digest: Some(&crate::util::digest(&findings)),
                ..Default::default()
            },
        )?;
        for party in super::disputes::parties(conn, case)? {
            super::notices::tell(conn, ctx, party, case.id, "decided")?;
        }
        Ok(state)
    })
}

type TaskRow = (
    i64,
    String,
    String,
    Option<UserId>,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
);

fn task_rows(conn: &mut DbConnection, case: CaseId) -> AppResult<Vec<TaskRow>> {
    Ok(case_tasks::table
        .filter(case_tasks::case_id.eq(case))
        .order(case_tasks::id.asc())
        .select((
            case_tasks::id,
            case_tasks::kind,
            case_tasks::description,
            case_tasks::owner_id,
            case_tasks::department,
            case_tasks::due_at,
            case_tasks::done_at,
            case_tasks::waived_at,
            case_tasks::waiver_reason,
        ))
        .load(conn)?)
}

/// The case's enforcement tasks.
pub(super) fn tasks_of(conn: &mut DbConnection, case: CaseId) -> AppResult<Vec<TaskView>> {
    let rows = task_rows(conn, case)?;
    let owners: Vec<UserId> = rows.iter().filter_map(|r| r.3).collect();
    let names = crate::accounts::service::usernames(conn, &owners)?;
    let at = now();
    Ok(rows
        .into_iter()
        .map(|r| TaskView {
            id: r.0,
            kind: r.1,
            description: r.2,
            owner: match r.3 {
                Some(u) => names.get(&u).cloned().unwrap_or_default(),
                None => "brand".to_string(),
            },
            department: r.4,
            overdue: r.6.is_none() && r.7.is_none() && r.5 < at,
            due_at: r.5,
            done_at: r.6,
            waived_at: r.7,
            waiver_reason: r.8,
        })
        .collect())
}

/// Marks a task done (its owner, the brand's department staff for the brand's tasks, or the
/// ombudsman), or waives it (the ombudsman, with reasons); the case closes when none is left.
pub fn settle_task(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    task: i64,
    waiver: Option<&str>,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let row = task_rows(conn, id)?
        .into_iter()
        .find(|r| r.0 == task)
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    if row.6.is_some() || row.7.is_some() {
        return Err(refused(ErrorCode::CaseClosed));
    }
    let owner = row.3 == Some(me)
        || (row.3.is_none() && row.4.is_some() && actor.department() == row.4.as_deref());
    let waiver = match waiver {
        Some(text) => {
            if !judges(actor, &case) {
                return Err(refused(ErrorCode::NotAllowed));
            }
            Some(required_reason(text, "reason")?.to_string())
        }
        None => {
            if !(owner || judges(actor, &case)) {
                return Err(refused(ErrorCode::NotAllowed));
            }
            None
        }
    };
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let settled = diesel::update(
            case_tasks::table
                .find(task)
                .filter(case_tasks::done_at.is_null())
                .filter(case_tasks::waived_at.is_null()),
        )
        .set((
            case_tasks::done_at.eq(waiver.is_none().then_some(at)),
            case_tasks::waived_at.eq(waiver.is_some().then_some(at)),
            case_tasks::waiver_reason.eq(waiver.clone()),
        ))
        .execute(conn)?;
        if settled == 0 {
            // Done or waived by someone else a moment ago.
            return Err(stale_case());
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: if waiver.is_some() {
                    "task.waived"
                } else {
                    "task.done"
                },
                target_kind: "task",
                target_id: task,
                case_id: Some(id.0),
                reason: waiver.as_deref().unwrap_or_default(),
                ..Default::default()
            },
        )?;
        let open: i64 = case_tasks::table
            .filter(case_tasks::case_id.eq(id))
            .filter(case_tasks::done_at.is_null())
            .filter(case_tasks::waived_at.is_null())
            .count()
            .get_result(conn)?;
        if open > 0 || case.state != CaseState::Enforcement {
            return Ok(case.state);
        }
        let closed = diesel::update(
            cases::table
                .find(id)
                .filter(cases::state.eq(CaseState::Enforcement)),
        )
        .set((
            cases::state.eq(CaseState::Closed),
            cases::version.eq(cases::version + 1),
        ))
        .execute(conn)?;
        if closed > 0 {
            log(
                conn,
                id,
                Some(CaseState::Enforcement),
                CaseState::Closed,
                None,
                "tasks_done",
                true,
            )?;
            super::notices::tell(conn, ctx, case.complainant_id, id, "closed")?;
        }
        Ok(CaseState::Closed)
    })
}

/// Closes a dispute in enforcement by hand: refused while a task is neither done nor waived
/// (`tasks_open`), and to anyone but its judge.
pub(super) fn close(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    if case.kind == CaseKind::Appeal || !judges(actor, case) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    if case.state != CaseState::Enforcement {
        return Err(refused(ErrorCode::CaseClosed));
    }
    crate::db::write_transaction(conn, |conn| {
        let open: i64 = case_tasks::table
            .filter(case_tasks::case_id.eq(case.id))
            .filter(case_tasks::done_at.is_null())
            .filter(case_tasks::waived_at.is_null())
            .count()
            .get_result(conn)?;
        if open > 0 {
            return Err(AppError::new(ErrorKind::Conflict {
                code: ErrorCode::TasksOpen,
                field: "to".into(),
            }));
        }
        let closed = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version)),
        )
        .set((
            cases::state.eq(CaseState::Closed),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if closed == 0 {
            return Err(stale_case());
        }
        log(
            conn,
            case.id,
            Some(case.state),
            CaseState::Closed,
            Some(me),
            reason,
            false,
        )?;
        Ok(CaseState::Closed)
    })
}

impl CaseDecisionForm {
    /// The remedies, with the page form's single remedy added when it names a kind.
    pub fn with_page_remedy(&self) -> CaseDecisionForm {
        let mut form = self.clone();
        if let Some(kind) = self.remedy_kind.as_deref().filter(|k| !k.trim().is_empty()) {
            form.remedies.push(RemedyForm {
                kind: kind.to_string(),
                description: self.remedy_description.clone().unwrap_or_default(),
                owner: self.remedy_owner.clone().unwrap_or_default(),
                due_days: self.remedy_due_days.unwrap_or(0),
            });
        }
        form
    }
}
