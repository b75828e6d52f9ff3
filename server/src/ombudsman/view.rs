//! Reading cases: one case with its appealed decision and history (its appellant, its reviewer,
//! the ombudsman and admins; anyone else gets "not found"), and the case desk.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::appeals::{is_ombudsman, readable_case};
use super::model::*;
use crate::accounts::model::{Role, UserId};
use crate::db::schema::{case_events, case_reviews, cases, statements, users};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::moderation::reversal;
use crate::policy::Actor;
use crate::util::now;

type EventRow = (
    Option<CaseState>,
    CaseState,
    Option<UserId>,
    String,
    i16,
    NaiveDateTime,
);

/// One case, as `actor` may read it.
pub fn one(conn: &mut DbConnection, actor: &Actor, id: CaseId) -> AppResult<CaseView> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let staff = crate::moderation::reports::can_review(actor);
    let events: Vec<EventRow> = case_events::table
        .filter(case_events::case_id.eq(id))
        .order(case_events::id.asc())
        .select((
            case_events::from_state,
            case_events::to_state,
            case_events::actor_id,
            case_events::note,
            case_events::automated,
            case_events::created_at,
        ))
        .load(conn)?;
    let mut people: Vec<UserId> = events.iter().filter_map(|e| e.2).collect();
    people.push(case.complainant_id);
    people.extend(case.reviewer_id);
    people.extend(case.respondent_id);
    let named: Vec<(UserId, String, crate::newtypes::Lenient<Role>)> = users::table
        .filter(users::id.eq_any(&people))
        .select((users::id, users::username, users::role))
        .load(conn)?;
    let name = |u: UserId| named.iter().find(|n| n.0 == u).map(|n| n.1.clone());
    let role = |u: UserId| {
        named
            .iter()
            .find(|n| n.0 == u)
            .and_then(|n| n.2 .0)
            .unwrap_or(Role::Member)
    };
    // The appellant learns the reviewer's role, not their name (as in the moderation log).
    let shown = |u: UserId| {
        if staff || u == me {
            name(u)
        } else if role(u) >= Role::CommunityManager {
            Some("community-manager".to_string())
        } else if role(u) >= Role::Moderator {
            Some("moderator".to_string())
        } else {
            name(u)
        }
    };
    let decision = match case.decision_id {
        Some(d) => reversal::decision(conn, d)?,
        None => None,
    };
    let decision = match decision {
        Some(d) => {
            let title: Option<(String, String)> = statements::table
                .filter(statements::decision_id.eq(d.id))
                .select((statements::target_title, statements::target_url))
                .first(conn)
                .optional()?;
            Some(AppealedDecision {
                id: d.id,
                action: d.action,
                explanation: d.explanation,
                rule_id: d.rule_id,
                rule_version: d.rule_version,
                target_title: title.as_ref().map(|t| t.0.clone()).unwrap_or_default(),
                target_url: title.map(|t| t.1),
                decided_at: d.created_at,
                reversed_at: d.reversed_at,
            })
        }
        None => None,
    };
    let reviewer_is_ombudsman = case
        .reviewer_id
        .is_some_and(|r| role(r) >= Role::CommunityManager);
    let mut next_steps = vec![];
    if !case.state.is_open() && case.state != CaseState::Withdrawn {
        if !reviewer_is_ombudsman {
            next_steps.push("ombudsman".to_string());
        }
        next_steps.push("out_of_court".to_string());
        next_steps.push("court".to_string());
    }
    let party = super::disputes::is_party(actor, &case);
    // The dispute's assigned judge (never a party or a witness).
    let in_charge = super::remedies::judges(actor, &case);
    let can_judge = case.kind != CaseKind::Appeal && in_charge;
    let can_decide = (if case.kind == CaseKind::Appeal {
        case.state.is_open()
            && case.state != CaseState::ReviewRequested
            && (case.reviewer_id == Some(me) && staff || is_ombudsman(actor))
            && me != case.complainant_id
    } else {
        can_judge && case.state == CaseState::DraftDecision && case.due_at <= now()
    }) || (case.kind == CaseKind::Appeal
        && super::review::answers_review(actor, &case));
    let tasks = super::remedies::tasks_of(conn, case.id)?;
    let evidence = super::disputes::evidence_for(conn, actor, &case)?;
    let messages = super::mediation::messages_for(conn, actor, &case)?;
    let comments = super::mediation::comments_for(conn, actor, &case)?;
    let reviews = reviews_of(conn, case.id)?;
    let fallback = super::review::fallback_arbiter(conn)?;
    let published = super::review::is_published(conn, case.id)?;
    let side = super::settlement::side_of(actor, &case);
    let terms = super::settlement::terms_of(&case);
    let accepted = match side {
        Some(0) => case.complainant_accepted_at.is_some(),
        Some(_) => case.respondent_accepted_at.is_some(),
        None => true,
    };
    let ombudsman_affiliated = case.kind == CaseKind::BrandDispute
        && case
            .reviewer_id
            .is_some_and(|r| fallback.as_ref().map(|f| f.0) != Some(r));
    let review_side = super::review::may_request(actor, &case);
    let can_answer_review = super::review::answers_review(actor, &case);
    let can_pause = super::awaiting::may_pause(actor, &case);
    let pause = if case.state == CaseState::AwaitingParty {
        super::awaiting::pause_of(conn, case.id)?
    } else {
        None
    };
    let can_resume = super::awaiting::may_resume(actor, &case, pause);
    let arbitration = super::arbitration_clock::clock_of(conn, &case)?;
    let can_extend = super::arbitration_clock::may_extend(actor, &case, arbitration.as_ref());
    let can_arbitrate = super::arbitration::may_start(actor, &case);
    let can_ask_fallback = case.kind == CaseKind::BrandDispute
        && me == case.complainant_id
        && case.state.is_open()
        && case.decided_at.is_none()
        && fallback
            .as_ref()
            .is_some_and(|f| Some(f.0) != case.reviewer_id);
    let my_side_consented = match side {
        Some(0) => case.complainant_consent_at.is_some(),
        _ => case.respondent_consent_at.is_some(),
    };
    let can_message = case.state == CaseState::Mediation && (party || in_charge);
    let respondent = match case.kind {
        CaseKind::BrandDispute => Some("brand".to_string()),
        _ => case.respondent_id.and_then(name),
    };
    Ok(CaseView {
        id: case.id,
        kind: case.kind,
        state: case.state,
        version: case.version,
        complainant: name(case.complainant_id).unwrap_or_default(),
        reviewer: case.reviewer_id.and_then(shown),
        reviewer_is_ombudsman,
        summary: case.summary,
        outcome: case.outcome,
        reasons: case.reasons,
        reason_code: case.reason_code,
        rule_id: case.rule_id,
        rule_version: case.rule_version,
        decision,
        next_steps,
        due_at: case.due_at,
        created_at: case.created_at,
        decided_at: case.decided_at,
        history: events
            .into_iter()
            .map(|e| CaseEventView {
                from_state: e.0,
                to_state: e.1,
                actor: e.2.and_then(shown),
                note: e.3,
                automated: e.4 != 0,
                created_at: e.5,
            })
            .collect(),
        respondent,
        department: case.department.clone(),
        desired_outcome: case.desired_outcome.clone(),
        evidence,
        messages,
        can_message,
        tasks,
        can_judge,
        can_add_evidence: super::disputes::takes_evidence(
            case.state,
            pause.map(|p| p.paused_state),
        ) && if case.kind == CaseKind::Appeal {
            me == case.complainant_id
        } else {
            party || in_charge
        },
        can_mediate: case.kind != CaseKind::Appeal
            && case.state == CaseState::Acknowledged
            && in_charge
            && !party,
        can_decide,
        can_withdraw: case.state.is_open()
            && case.decided_at.is_none()
            && me == case.complainant_id,
        draft: case
            .draft
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok()),
        findings: serde_json::from_str(&case.findings).unwrap_or_default(),
        comments,
        can_arbitrate,
        can_draft: can_judge && case.state == CaseState::Arbitration && case.due_at <= now(),
        can_comment: case.state == CaseState::DraftDecision
            && case.due_at > now()
            && (party || in_charge),
        can_propose_terms: case.state == CaseState::Mediation && (side.is_some() || can_judge),
        can_accept_terms: case.state == CaseState::Mediation && terms.is_some() && !accepted,
        terms,
        complainant_accepted: case.complainant_accepted_at.is_some(),
        respondent_accepted: case.respondent_accepted_at.is_some(),
        can_request_review: review_side.is_some_and(|s| {
            !reviews
                .iter()
                .any(|r| r.side == if s == 0 { "complainant" } else { "respondent" })
        }),
        can_answer_review,
        can_ask_fallback,
        fallback_arbiter: fallback.map(|f| f.1),
        ombudsman_affiliated,
        can_consent: side.is_some() && case.decided_at.is_some() && !my_side_consented,
        can_publish: case.decided_at.is_some()
            && case.outcome.is_some()
            && (can_judge || (case.kind == CaseKind::Appeal && is_ombudsman(actor) && !party)),
        published,
        reviews,
        awaiting: pause.map(|p| {
            if p.awaiting_side == 0 {
                "complainant"
            } else {
                "respondent"
            }
            .to_string()
        }),
        notices_sent: pause.map_or(0, |p| p.notices_sent),
        can_pause,
        can_resume,
        arbitration,
        can_extend,
    })
}

type ReviewRow = (
    i16,
    String,
    Option<String>,
    NaiveDateTime,
    Option<NaiveDateTime>,
);

fn reviews_of(conn: &mut DbConnection, case: CaseId) -> AppResult<Vec<ReviewView>> {
    let rows: Vec<ReviewRow> = case_reviews::table
        .filter(case_reviews::case_id.eq(case))
        .order(case_reviews::id.asc())
        .select((
            case_reviews::side,
            case_reviews::text,
            case_reviews::answer,
            case_reviews::created_at,
            case_reviews::answered_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| ReviewView {
            side: if r.0 == 0 {
                "complainant"
            } else {
                "respondent"
            }
            .to_string(),
            text: r.1,
            answer: r.2,
            created_at: r.3,
            answered_at: r.4,
        })
        .collect())
}

/// The case desk: the reader's own appeals, those assigned to them, and for the ombudsman every
/// open case; open ones first, by deadline.
pub fn desk(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<CaseSummary>> {
    let me = actor.require_user()?.id;
    let ombudsman = is_ombudsman(actor);
    let mut query = cases::table.into_boxed();
    if ombudsman {
        query = query.filter(
            cases::complainant_id
                .eq(me)
                .or(cases::reviewer_id.eq(Some(me)))
                .or(cases::decided_at.is_null()),
        );
    } else {
        query = query.filter(
            cases::complainant_id
                .eq(me)
                .or(cases::reviewer_id.eq(Some(me)))
                .or(cases::respondent_id.eq(Some(me))),
        );
        // Brand staff also see the cases against their department.
        if let Some(department) = actor.department() {
            query = query.or_filter(cases::department.eq(department.to_string()));
        }
    }
    let rows: Vec<Case> = query
        .order((cases::decided_at.is_not_null(), cases::due_at.asc()))
        .limit(200)
        .select(Case::as_select())
        .load(conn)?;
    let at = now();
    Ok(rows
        .into_iter()
        .map(|c| CaseSummary {
            role: if c.complainant_id == me {
                if c.kind == CaseKind::Appeal {
                    "appellant"
                } else {
                    "complainant"
                }
            } else if c.respondent_id == Some(me)
                || (c.department.is_some() && c.department.as_deref() == actor.department())
            {
                "respondent"
            } else if c.reviewer_id == Some(me) {
                "reviewer"
            } else {
                "ombudsman"
            }
            .to_string(),
            overdue: c.state.is_open() && c.due_at < at,
            conflict: c.reviewer_id == Some(me)
                && (super::disputes::is_party(actor, &c) || c.is_witness(me)),
            id: c.id,
            kind: c.kind,
            state: c.state,
            outcome: c.outcome,
            summary: c.summary.chars().take(140).collect(),
            due_at: c.due_at,
            created_at: c.created_at,
        })
        .collect())
}
