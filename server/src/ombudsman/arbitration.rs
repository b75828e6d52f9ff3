//! Arbitration of a dispute (disputes.md R-D3, R-D4): after mediation fails (the ombudsman
//! decides so, or either party once its 20 days are over; the ombudsman may skip mediation for
//! safety, with reasons), each side has an evidence period; then the ombudsman drafts the
//! decision, which the parties may comment on until the comment period ends; only then is the
//! final decision taken (in `remedies::decide`). A decision states the outcome, the reasons,
//! the rule cited, findings of fact each resting on evidence items of the case, and remedies.

use chrono::Duration;
use diesel::prelude::*;

use super::appeals::{log, readable_case, required_reason, stale_case};
use super::disputes::{is_party, parties};
use super::model::*;
use super::remedies::{check_remedies, judges, TaskSpec};
use crate::context::AppContext;
use crate::db::schema::{case_evidence, cases};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::moderation::statements::Citation;
use crate::policy::Actor;
use crate::util::now;

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// A decision (draft or final) checked against the case.
pub(super) struct Ruled {
    pub ruling: Ruling,
    pub outcome: CaseOutcome,
    pub citation: Option<Citation>,
    pub tasks: Vec<TaskSpec>,
}

/// Checks a dispute's decision: its judge only (a party gets `conflict_of_interest`), the
/// case's version if given, a dispute outcome, reasons, the rule if cited, remedies, and at
/// least one finding of fact citing this case's evidence.
pub(super) fn ruling(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &Case,
    form: &CaseDecisionForm,
) -> AppResult<Ruled> {
    if case.kind == CaseKind::Appeal {
        return Err(refused(ErrorCode::NotAllowed));
    }
    if !judges(actor, case) {
        let witness = actor.user_id().is_some_and(|me| case.is_witness(me));
        return Err(refused(if is_party(actor, case) || witness {
            ErrorCode::ConflictOfInterest
        } else {
            ErrorCode::NotAllowed
        }));
    }
    if form.version.is_some_and(|v| v != case.version) {
        return Err(AppError::new(ErrorKind::Conflict {
            code: ErrorCode::StaleVersion,
            field: "version".into(),
        }));
    }
    let outcome = form
        .outcome
        .known()
        .filter(|o| o.is_for_disputes() && *o != CaseOutcome::Settled)
        .ok_or_else(|| AppError::invalid_field("outcome", "error-dispute-outcome"))?;
    let reasons = required_reason(&form.reasons, "reasons")?.to_string();
    let citation = form.citation(conn, false)?;
    let form = form.with_page_remedy();
    let tasks = check_remedies(conn, case, &form.remedies)?;
    let findings = findings(conn, case, &form)?;
    Ok(Ruled {
        ruling: Ruling {
            outcome: outcome.as_str().to_string(),
            reasons,
            rule_id: citation.as_ref().map(|c| c.rule_id.0),
            rule_version: citation.as_ref().map(|c| c.version),
            findings,
            remedies: form.remedies.clone(),
        },
        outcome,
        citation,
        tasks,
    })
}

/// One finding from a line of the page's form: the evidence it cites as `#3`, and the rest of
/// the line as the fact.
fn finding_from_line(line: &str) -> Finding {
    let mut evidence = vec![];
    let mut words = vec![];
    for word in line.split_whitespace() {
        let cited = word
            .trim_matches(|c: char| matches!(c, '(' | ')' | ',' | ';' | '.' | '[' | ']'))
            .strip_prefix('#')
            .and_then(|n| n.parse::<i64>().ok());
        match cited {
            Some(id) => evidence.push(id),
            None => words.push(word),
        }
    }
    let fact = words
        .join(" ")
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ':' | '—' | '-' | '('))
        .to_string();
    Finding { fact, evidence }
}

/// The findings of fact: the API's list, or the page's lines; each with a fact and evidence
/// items of this case.
fn findings(
    conn: &mut DbConnection,
    case: &Case,
    form: &CaseDecisionForm,
) -> AppResult<Vec<Finding>> {
    let mut list = form.findings.clone();
    if let Some(text) = &form.findings_text {
        list.extend(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .map(finding_from_line),
        );
    }
    if list.is_empty() {
        return Err(AppError::invalid_field(
            "findings",
            "error-finding-required",
        ));
    }
    let known: Vec<i64> = case_evidence::table
        .filter(case_evidence::case_id.eq(case.id))
        .select(case_evidence::id)
        .load(conn)?;
    for (n, finding) in list.iter_mut().enumerate() {
        finding.fact = finding.fact.trim().to_string();
        if finding.fact.is_empty() || finding.fact.chars().count() > super::appeals::TEXT_MAX {
            return Err(AppError::invalid_field(
                &format!("findings.{n}.fact"),
                "error-case-text",
            ));
        }
        finding.evidence.sort_unstable();
        finding.evidence.dedup();
        if finding.evidence.is_empty() || finding.evidence.iter().any(|e| !known.contains(e)) {
            return Err(AppError::invalid_field(
                &format!("findings.{n}.evidence"),
                "error-finding-evidence",
            ));
        }
    }
    Ok(list)
}

/// Moves a dispute to arbitration and opens its evidence period: the ombudsman from mediation
/// (or from acknowledged, skipping mediation for safety, with reasons), or a party once the
/// mediation's 20 days are over; the other side is told. Also how a review is granted: the
/// case's arbiter reopens it for new evidence.
pub(super) fn start(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    if case.kind == CaseKind::Appeal {
        return Err(refused(ErrorCode::NotAllowed));
    }
    let judge = judges(actor, case);
    let party = is_party(actor, case);
    match case.state {
        CaseState::Acknowledged | CaseState::Mediation | CaseState::ReviewRequested if judge => {}
        CaseState::Mediation if party => {
            if case.due_at > now() {
                return Err(refused(ErrorCode::PeriodOpen));
            }
        }
        _ if !(judge || party) => return Err(refused(ErrorCode::NotAllowed)),
        _ => return Err(refused(ErrorCode::WrongStage)),
    }
    let days = crate::moderation::settings::load(conn)?.i64("dispute_evidence_days");
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let moved = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(case.state)),
        )
        .set((
            cases::state.eq(CaseState::Arbitration),
            cases::version.eq(case.version + 1),
            cases::due_at.eq(at + Duration::days(days)),
            cases::terms.eq(None::<String>),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        super::arbitration_clock::start(conn, case.id, at)?;
        if case.state == CaseState::ReviewRequested {
            super::review::answer(conn, case.id, me, reason)?;
        }
        log(
            conn,
            case.id,
            Some(case.state),
            CaseState::Arbitration,
            Some(me),
            reason,
            false,
        )?;
        super::disputes::tell_all(conn, ctx, case, case.reviewer_id, Some(me), "arbitration")?;
        Ok(CaseState::Arbitration)
    })
}

/// The ombudsman's draft decision, once the evidence period is over; the parties are told and
/// may comment until the comment period ends.
pub fn draft(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &CaseDecisionForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let ruled = ruling(conn, actor, &case, form)?;
    if case.state != CaseState::Arbitration {
        return Err(refused(ErrorCode::WrongStage));
    }
    if case.due_at > now() {
        return Err(refused(ErrorCode::PeriodOpen));
    }
    let text = serde_json::to_string(&ruled.ruling).map_err(AppError::internal)?;
    let days = crate::moderation::settings::load(conn)?.i64("dispute_comment_days");
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let moved = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(CaseState::Arbitration)),
        )
        .set((
            cases::state.eq(CaseState::DraftDecision),
            cases::draft.eq(Some(&text)),
            cases::reviewer_id.eq(Some(me)),
            cases::version.eq(case.version + 1),
            cases::due_at.eq(at + Duration::days(days)),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        log(
            conn,
            id,
            Some(CaseState::Arbitration),
            CaseState::DraftDecision,
            Some(me),
            "",
            false,
        )?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "dispute.draft",
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                reason: &ruled.ruling.reasons,
                rule: ruled.citation.as_ref().map(|c| (c.rule_id.0, c.version)),
                digest: Some(&crate::util::digest(&text)),
                ..Default::default()
            },
        )?;
        for party in parties(conn, &case)? {
            super::notices::tell(conn, ctx, party, id, "draft")?;
        }
        Ok(CaseState::DraftDecision)
    })
}

/// Whether the reader may move this dispute to arbitration now.
pub(super) fn may_start(actor: &Actor, case: &Case) -> bool {
    if case.kind == CaseKind::Appeal {
        return false;
    }
    let judge = judges(actor, case);
    match case.state {
        CaseState::Acknowledged | CaseState::Mediation => {
            judge || (is_party(actor, case) && case.due_at <= now())
        }
        _ => false,
    }
}
