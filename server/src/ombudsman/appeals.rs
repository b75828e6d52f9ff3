//! Appeals (DSA Art. 20; disputes.md R-P1–R-P5): the member a decision restricted, or a
//! reporter told of a decision, appeals it once, within 180 days, for free, also while
//! suspended. The system assigns a reviewer who had no part in it (not the decider, anyone who
//! claimed or decided the item, a reporter, the target or the appellant), else the community
//! manager; a conflicted reviewer is refused by this service (`conflict_of_interest`). The
//! outcome (upheld, modified, overturned, inadmissible) is reasoned; overturned reverses the
//! decision (`moderation::reversal`).

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{
    case_events, cases, posts, reports, review_claims, review_items, statements, threads,
};
use crate::db::schema::{decisions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{PostId, ThreadId};
use crate::moderation::model::{DecisionId, StatementId, TargetKind};
use crate::moderation::reversal::{self, DecisionRow};
use crate::policy::Actor;
use crate::util::now;

/// The longest appeal text.
pub const TEXT_MAX: usize = 2_000;

/// Whether the actor is the ombudsman (the community manager) or an admin: they see every case
/// and may decide any appeal they had no part in.
pub fn is_ombudsman(actor: &Actor) -> bool {
    crate::moderation::rules::can_write_rules(actor)
}

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

fn not_found() -> AppError {
    AppError::new(ErrorKind::NotFound)
}

/// A reason a step must give: present and at most 2,000 characters (`reason_required` naming
/// `field`).
pub(super) fn required_reason<'a>(text: &'a str, field: &str) -> AppResult<&'a str> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > TEXT_MAX {
        return Err(AppError::new(ErrorKind::Invalid {
            code: ErrorCode::ReasonRequired,
            fields: [(field.to_string(), "error-reason-required".to_string())].into(),
        }));
    }
    Ok(text)
}

impl CaseDecisionForm {
    /// The rule the decision cites: required when `required`, else only when one is given;
    /// it must be a version in force (`rule_required`).
    pub(super) fn citation(
        &self,
        conn: &mut DbConnection,
        required: bool,
    ) -> AppResult<Option<crate::moderation::statements::Citation>> {
        let given =
            self.rule_id.is_some() || self.rule.as_deref().is_some_and(|r| !r.trim().is_empty());
        if !(required || given) {
            return Ok(None);
        }
        crate::moderation::statements::cite(
            conn,
            self.rule_id,
            self.rule_version,
            self.rule.as_deref(),
        )
        .map(Some)
    }
}

pub(super) fn stale_case() -> AppError {
    AppError::new(ErrorKind::Conflict {
        code: ErrorCode::StaleVersion,
        field: "version".into(),
    })
}

fn already_appealed() -> AppError {
    AppError::new(ErrorKind::Conflict {
        code: ErrorCode::AlreadyAppealed,
        field: "statement_id".into(),
    })
}

/// Files `appellant`'s appeal: `form` names the statement of reasons they received or the
/// decision they reported. A second appeal of the same decision is refused
/// (`already_appealed`); one after the deadline is recorded as inadmissible, with the reason.
pub fn file(
    conn: &mut DbConnection,
    ctx: &AppContext,
    appellant: UserId,
    form: &AppealForm,
) -> AppResult<Filed> {
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > TEXT_MAX {
        return Err(AppError::invalid_field("text", "error-appeal-text"));
    }
    let (decision, until) = appealed_decision(conn, appellant, form)?;
    crate::db::write_transaction(conn, |conn| {
        let taken: i64 = cases::table
            .filter(cases::kind.eq(CaseKind::Appeal))
            .filter(cases::decision_id.eq(Some(decision.id)))
            .filter(cases::complainant_id.eq(appellant))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(already_appealed());
        }
        let at = now();
        let settings = crate::moderation::settings::load(conn)?;
        let days = settings.i64("appeal_decide_days");
        let inserted = diesel::insert_into(cases::table)
            .values((
                cases::kind.eq(CaseKind::Appeal),
                cases::state.eq(CaseState::Submitted),
                cases::complainant_id.eq(appellant),
                cases::decision_id.eq(Some(decision.id)),
                cases::summary.eq(text),
                cases::reasons.eq(""),
                cases::due_at.eq(at + Duration::days(days)),
                cases::created_at.eq(at),
            ))
            .returning(cases::id)
            .get_result::<CaseId>(conn);
        let id = match inserted {
            Ok(id) => id,
            // Two submits at once: the unique index keeps one.
            Err(diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            )) => return Err(already_appealed()),
            Err(other) => return Err(other.into()),
        };
        log(
            conn,
            id,
            None,
            CaseState::Submitted,
            Some(appellant),
            "",
            false,
        )?;
        let state = if at > until {
            // Late: recorded, and answered at once with the reason (the only outcome the
            // system gives on its own; R-P3).
            diesel::update(cases::table.find(id))
                .set((
                    cases::state.eq(CaseState::Inadmissible),
                    cases::outcome.eq(Some(CaseOutcome::Inadmissible)),
                    cases::reason_code.eq(Some("late")),
                    cases::decided_at.eq(Some(at)),
                ))
                .execute(conn)?;
            log(
                conn,
                id,
                Some(CaseState::Submitted),
                CaseState::Inadmissible,
                None,
                "late",
                true,
            )?;
            CaseState::Inadmissible
        } else {
            diesel::update(cases::table.find(id))
                .set(cases::acknowledged_at.eq(Some(at)))
                .execute(conn)?;
            log(
                conn,
                id,
                Some(CaseState::Submitted),
                CaseState::Acknowledged,
                None,
                "",
                true,
            )?;
            let involved = involved(conn, &decision, appellant)?;
            let (reviewer, state) = match pick(conn, &involved, Role::Moderator)? {
                Some(moderator) => (Some(moderator), CaseState::UnderReview),
                None => (pick_ombudsman(conn, &involved)?, CaseState::Escalated),
            };
            let escalated = state == CaseState::Escalated;
            let due = if escalated {
                at + Duration::days(settings.i64("appeal_escalated_days"))
            } else {
                at + Duration::days(days)
            };
            diesel::update(cases::table.find(id))
                .set((
                    cases::state.eq(state),
                    cases::reviewer_id.eq(reviewer),
                    cases::escalated_at.eq(escalated.then_some(at)),
                    cases::due_at.eq(due),
                ))
                .execute(conn)?;
            let note = if state == CaseState::Escalated {
                "no_eligible_moderator"
            } else {
                "assigned"
            };
            log(
                conn,
                id,
                Some(CaseState::Acknowledged),
                state,
                None,
                note,
                true,
            )?;
            if let Some(reviewer) = reviewer {
                super::notices::tell(conn, ctx, reviewer, id, "assigned")?;
            }
            state
        };
        super::notices::tell(conn, ctx, appellant, id, "received")?;
        Ok(Filed {
            case_id: id,
            state,
            url: format!("/cases/{}", id.0),
        })
    })
}

/// The decision `form` appeals, and until when it can be appealed; one the appellant has no
/// standing for is "not found".
fn appealed_decision(
    conn: &mut DbConnection,
    appellant: UserId,
    form: &AppealForm,
) -> AppResult<(DecisionRow, NaiveDateTime)> {
    let appeal_days = crate::moderation::statements::APPEAL_DAYS;
    if let Some(statement) = form.statement_id {
        let (decision, until): (DecisionId, NaiveDateTime) = statements::table
            .find(StatementId(statement))
            .filter(statements::user_id.eq(appellant))
            .select((statements::decision_id, statements::appeal_until))
            .first(conn)
            .optional()?
            .ok_or_else(not_found)?;
        let decision = reversal::decision(conn, decision)?.ok_or_else(not_found)?;
        return Ok((decision, until));
    }
    let Some(id) = form.decision_id else {
        return Err(AppError::invalid_field("statement_id", "error-appeal-what"));
    };
    let decision = reversal::decision(conn, DecisionId(id))?.ok_or_else(not_found)?;
    // A reporter of the item before the decision, or the member it restricted (a statement
    // about it). A report filed afterwards gives no standing against it.
    let reported: i64 = match decision.item_id {
        Some(item) => reports::table
            .filter(reports::item_id.eq(item))
            .filter(reports::reporter_id.eq(appellant))
            .filter(reports::created_at.le(decision.created_at))
            .count()
            .get_result(conn)?,
        None => 0,
    };
    let restricted: i64 = statements::table
        .filter(statements::decision_id.eq(decision.id))
        .filter(statements::user_id.eq(appellant))
        .count()
        .get_result(conn)?;
    if reported + restricted == 0 || !reversal::appealable(&decision) {
        return Err(not_found());
    }
    let until = decision.created_at + Duration::days(appeal_days);
    Ok((decision, until))
}

/// Everyone who may not review an appeal of `decision`: the decider, whoever claimed or
/// decided its item, its reporters, the member it is about, and the appellant.
pub fn involved(
    conn: &mut DbConnection,
    decision: &DecisionRow,
    appellant: UserId,
) -> AppResult<HashSet<UserId>> {
    let mut people: HashSet<UserId> = HashSet::from([appellant]);
    people.extend(decision.decided_by);
    let target: Option<UserId> = match decision.target_kind {
        TargetKind::User => Some(UserId(decision.target_id)),
        TargetKind::Post => posts::table
            .find(PostId(decision.target_id))
            .select(posts::author_id)
            .first(conn)
            .optional()?,
        TargetKind::Thread => threads::table
            .find(ThreadId(decision.target_id))
            .select(threads::author_id)
            .first(conn)
            .optional()?,
    };
    people.extend(target);
    if let Some(item) = decision.item_id {
        // Who decided the item (not who reversed a decision on appeal: that was a review).
        let deciders: Vec<Option<UserId>> = decisions::table
            .filter(decisions::item_id.eq(Some(item)))
            .filter(decisions::source.ne(crate::moderation::model::DecisionSource::Appeal))
            .select(decisions::decided_by)
            .load(conn)?;
        people.extend(deciders.into_iter().flatten());
        let claimers: Vec<UserId> = review_claims::table
            .filter(review_claims::item_id.eq(item))
            .select(review_claims::user_id)
            .load(conn)?;
        people.extend(claimers);
        let holder: Option<Option<UserId>> = review_items::table
            .find(item)
            .select(review_items::claimed_by)
            .first(conn)
            .optional()?;
        people.extend(holder.flatten());
        let reporters: Vec<Option<UserId>> = reports::table
            .filter(reports::item_id.eq(item))
            .select(reports::reporter_id)
            .load(conn)?;
        people.extend(reporters.into_iter().flatten());
    }
    Ok(people)
}

/// The member with exactly `role`, not involved and not suspended, with the fewest open cases
/// (the earliest account on a tie).
fn pick(
    conn: &mut DbConnection,
    involved: &HashSet<UserId>,
    role: Role,
) -> AppResult<Option<UserId>> {
    let at = now();
    let candidates: Vec<UserId> = users::table
        .filter(users::role.eq(role))
        .filter(
            users::suspended_until
                .is_null()
                .or(users::suspended_until.lt(at)),
        )
        .order(users::id.asc())
        .select(users::id)
        .load(conn)?;
    let candidates: Vec<UserId> = candidates
        .into_iter()
        .filter(|c| !involved.contains(c))
        .collect();
    if candidates.is_empty() {
        return Ok(None);
    }
    let load: Vec<(Option<UserId>, i64)> = cases::table
        .filter(cases::reviewer_id.eq_any(candidates.iter().copied().map(Some).collect::<Vec<_>>()))
        .filter(cases::state.eq_any([CaseState::UnderReview, CaseState::Escalated]))
        .group_by(cases::reviewer_id)
        .select((cases::reviewer_id, diesel::dsl::count_star()))
        .load(conn)?;
    let open = |c: UserId| {
        load.iter()
            .find(|(r, _)| *r == Some(c))
            .map_or(0, |(_, n)| *n)
    };
    Ok(candidates.into_iter().min_by_key(|c| (open(*c), c.0)))
}

/// The community manager who takes an appeal (else an admin), not involved in it.
pub(super) fn pick_ombudsman(
    conn: &mut DbConnection,
    involved: &HashSet<UserId>,
) -> AppResult<Option<UserId>> {
    match pick(conn, involved, Role::CommunityManager)? {
        Some(manager) => Ok(Some(manager)),
        None => pick(conn, involved, Role::Admin),
    }
}

/// Appends a step to the case's history.
pub(super) fn log(
    conn: &mut DbConnection,
    case: CaseId,
    from: Option<CaseState>,
    to: CaseState,
    actor: Option<UserId>,
    note: &str,
    automated: bool,
) -> AppResult<()> {
    diesel::insert_into(case_events::table)
        .values((
            case_events::case_id.eq(case),
            case_events::from_state.eq(from),
            case_events::to_state.eq(to),
            case_events::actor_id.eq(actor),
            case_events::note.eq(note),
            case_events::automated.eq(i16::from(automated)),
            case_events::created_at.eq(now()),
        ))
        .execute(conn)?;
    // Every move of a case is also in the audit log.
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            actor,
            action: &format!("case.{}", to.as_str()),
            target_kind: "case",
            target_id: case.0,
            case_id: Some(case.0),
            reason: note,
            automated,
            ..Default::default()
        },
    )
}

pub(super) fn load_case(conn: &mut DbConnection, id: CaseId) -> AppResult<Case> {
    cases::table
        .find(id)
        .select(Case::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)
}

/// The case if `actor` may read it; anyone else is told it does not exist.
pub(super) fn readable_case(conn: &mut DbConnection, actor: &Actor, id: CaseId) -> AppResult<Case> {
    let case = load_case(conn, id)?;
    if !may_read(actor, &case) {
        return Err(not_found());
    }
    Ok(case)
}

/// Whether `actor` may read the case: its parties (the appellant or complainant, a dispute's
/// respondent or the brand's staff in the department concerned), its reviewer, the ombudsman
/// and admins.
pub(super) fn may_read(actor: &Actor, case: &Case) -> bool {
    let me = actor.user_id();
    is_ombudsman(actor)
        || (me.is_some() && me == case.reviewer_id)
        || super::disputes::is_party(actor, case)
}

/// Decides an appeal. Refused to anyone involved in the decision (`conflict_of_interest`), to
/// a moderator it is not assigned to, and once decided; `upheld` and `modified` cite a rule in
/// force; `overturned` reverses the decision in the same transaction.
pub fn decide(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &CaseDecisionForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = load_case(conn, id)?;
    let staff = crate::moderation::reports::can_review(actor);
    if !may_read(actor, &case) && !staff {
        return Err(not_found());
    }
    if case.kind != CaseKind::Appeal {
        if !may_read(actor, &case) {
            return Err(not_found());
        }
        return super::remedies::decide(conn, ctx, actor, &case, &form.with_page_remedy());
    }
    let decision = match case.decision_id {
        Some(d) => reversal::decision(conn, d)?.ok_or_else(not_found)?,
        None => return Err(refused(ErrorCode::NotAllowed)),
    };
    // Anyone involved is refused for that reason (moderators learn no more than that the
    // decision they took part in was appealed); others not assigned find nothing.
    if involved(conn, &decision, case.complainant_id)?.contains(&me) {
        return Err(refused(ErrorCode::ConflictOfInterest));
    }
    // A review goes to its arbiter, who may be the fallback arbiter without a staff role.
    let arbiter = case.state == CaseState::ReviewRequested && case.reviewer_id == Some(me);
    let may_decide = if case.state == CaseState::ReviewRequested {
        // A review is answered by its arbiter, not by whoever decided before.
        arbiter
    } else {
        case.reviewer_id == Some(me) && staff || is_ombudsman(actor)
    };
    if !may_decide {
        return Err(if may_read(actor, &case) {
            refused(ErrorCode::NotAllowed)
        } else {
            not_found()
        });
    }
    if !case.state.is_open() {
        return Err(refused(ErrorCode::CaseClosed));
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
        .filter(|o| !o.is_for_disputes())
        .ok_or_else(|| AppError::invalid_field("outcome", "error-case-outcome"))?;
    let reasons = required_reason(&form.reasons, "reasons")?;
    let citation = form.citation(
        conn,
        matches!(outcome, CaseOutcome::Upheld | CaseOutcome::Modified),
    )?;
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        match outcome {
            CaseOutcome::Overturned => {
                reversal::reverse(conn, ctx, &decision, me, reasons, at)?;
            }
            CaseOutcome::Modified => {
                let softened = match form.days {
                    Some(days) if (1..=365).contains(&days) => {
                        reversal::shorten(conn, &decision, days, at)?
                    }
                    Some(_) => return Err(AppError::invalid_field("days", "error-appeal-shorter")),
                    None => reversal::soften(conn, &decision)?,
                };
                if !softened {
                    return Err(AppError::invalid_field("outcome", "error-case-modify"));
                }
            }
            // Upheld and inadmissible change nothing (a dispute's outcomes never reach here).
            _ => {}
        }
        let state = if outcome == CaseOutcome::Inadmissible {
            CaseState::Inadmissible
        } else {
            CaseState::Decided
        };
        let updated = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version)),
        )
        .set((
            cases::state.eq(state),
            cases::outcome.eq(Some(outcome)),
            cases::reasons.eq(reasons),
            cases::rule_id.eq(citation.as_ref().map(|c| c.rule_id)),
            cases::rule_version.eq(citation.as_ref().map(|c| c.version)),
            cases::reviewer_id.eq(Some(me)),
            cases::decided_at.eq(Some(at)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(stale_case());
        }
        if case.state == CaseState::ReviewRequested {
            super::review::answer(conn, id, me, reasons)?;
        }
        log(
            conn,
            id,
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
                action: &format!("appeal.{}", outcome.as_str()),
                target_kind: "decision",
                target_id: decision.id.0,
                case_id: Some(id.0),
                reason: reasons,
                rule: citation.as_ref().map(|c| (c.rule_id.0, c.version)),
                ..Default::default()
            },
        )?;
        super::notices::tell(conn, ctx, case.complainant_id, id, "decided")?;
        Ok(state)
    })
}

/// Moves an open case without deciding it: the reviewer escalates it to the community manager
/// (with a reason), or the appellant withdraws it.
pub fn transition(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &TransitionForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    // Not moves to a state: resuming a paused case, extending the arbitration's date.
    match form.to.trim() {
        "resume" => return super::awaiting::resume(conn, ctx, actor, &case, &form.reason),
        "extend" => return super::arbitration_clock::extend(conn, ctx, actor, &case, form),
        _ => {}
    }
    let to = CaseState::parse(form.to.trim())
        .filter(|s| {
            matches!(
                s,
                CaseState::Escalated
                    | CaseState::Withdrawn
                    | CaseState::Mediation
                    | CaseState::Closed
                    | CaseState::Arbitration
                    | CaseState::Decided
                    | CaseState::AwaitingParty
            )
        })
        .ok_or_else(|| AppError::invalid_field("to", "error-case-transition"))?;
    let reason = required_reason(&form.reason, "reason")?;
    match to {
        CaseState::Closed => return super::remedies::close(conn, actor, &case, reason),
        // The decision stands: the review is refused with reasons.
        CaseState::Decided => return super::review::refuse(conn, ctx, actor, &case, reason),
        CaseState::Arbitration => {
            return super::arbitration::start(conn, ctx, actor, &case, reason)
        }
        CaseState::AwaitingParty => {
            return super::awaiting::pause(conn, ctx, actor, &case, form, reason)
        }
        _ => {}
    }
    if !case.state.is_open() {
        return Err(refused(ErrorCode::CaseClosed));
    }
    if to == CaseState::Mediation {
        return super::disputes::start_mediation(conn, ctx, actor, &case, reason);
    }
    crate::db::write_transaction(conn, |conn| match to {
        CaseState::Withdrawn => {
            if me != case.complainant_id {
                return Err(refused(ErrorCode::NotAllowed));
            }
            if case.decided_at.is_some() {
                return Err(refused(ErrorCode::WrongStage));
            }
            let moved = set_state(
                conn,
                &case,
                CaseState::Withdrawn,
                None,
                Some(me),
                reason,
                false,
            )?;
            if !moved {
                return Err(stale_case());
            }
            diesel::delete(crate::db::schema::case_pauses::table.find(case.id.0)).execute(conn)?;
            Ok(CaseState::Withdrawn)
        }
        _ => {
            // Escalation is an appeal's step: a dispute is already with the ombudsman.
            if case.kind != CaseKind::Appeal
                || Some(me) != case.reviewer_id
                || case.state == CaseState::Escalated
            {
                return Err(refused(ErrorCode::NotAllowed));
            }
            if !escalate(conn, ctx, &case, Some(me), reason)? {
                return Err(stale_case());
            }
            Ok(CaseState::Escalated)
        }
    })
}

/// Sends an open appeal to the community manager (or an admin) not involved in it.
pub(super) fn escalate(
    conn: &mut DbConnection,
    ctx: &AppContext,
    case: &Case,
    actor: Option<UserId>,
    note: &str,
) -> AppResult<bool> {
    let decision = match case.decision_id {
        Some(d) => reversal::decision(conn, d)?,
        None => None,
    };
    let involved = match &decision {
        Some(d) => involved(conn, d, case.complainant_id)?,
        None => HashSet::from([case.complainant_id]),
    };
    // With nobody above to take it, the reviewer keeps it (it stays on their desk, overdue).
    let ombudsman = pick_ombudsman(conn, &involved)?.or(case.reviewer_id);
    let moved = set_state(
        conn,
        case,
        CaseState::Escalated,
        ombudsman,
        actor,
        note,
        actor.is_none(),
    )?;
    if moved {
        if let Some(ombudsman) = ombudsman {
            super::notices::tell(conn, ctx, ombudsman, case.id, "escalated")?;
        }
        super::notices::tell(conn, ctx, case.complainant_id, case.id, "escalated")?;
    }
    Ok(moved)
}

/// Moves the case from the state it was read in (a concurrent move makes this one a no-op,
/// false), logging the step.
fn set_state(
    conn: &mut DbConnection,
    case: &Case,
    to: CaseState,
    reviewer: Option<UserId>,
    actor: Option<UserId>,
    note: &str,
    automated: bool,
) -> AppResult<bool> {
    let at = now();
    let reviewer = if to == CaseState::Escalated {
        reviewer
    } else {
        case.reviewer_id
    };
    let days = crate::moderation::settings::load(conn)?.i64("appeal_escalated_days");
    let updated = diesel::update(
        cases::table
            .find(case.id)
            .filter(cases::version.eq(case.version))
            .filter(cases::state.eq(case.state)),
    )
    .set((
        cases::state.eq(to),
        cases::reviewer_id.eq(reviewer),
        cases::version.eq(case.version + 1),
        cases::escalated_at.eq(if to == CaseState::Escalated {
            Some(at)
        } else {
            case.escalated_at
        }),
        cases::due_at.eq(if to == CaseState::Escalated {
            at + Duration::days(days)
        } else {
            case.due_at
        }),
        cases::decided_at.eq((to == CaseState::Withdrawn).then_some(at)),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(false);
    }
    log(conn, case.id, Some(case.state), to, actor, note, automated)?;
    Ok(true)
}
