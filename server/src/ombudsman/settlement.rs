//! Settling a dispute in mediation (disputes.md §2 `mediation` → `settled`): a party or the
//! ombudsman proposes terms (what is agreed, and remedies with owner and due date); the
//! proposing party has accepted them by proposing; once both sides accept, the remedies become
//! enforcement tasks and the case is in enforcement (or closed, with none). New terms replace
//! the old ones and their acceptances.

use diesel::prelude::*;

use super::appeals::{log, readable_case, stale_case, TEXT_MAX};
use super::disputes::is_party;
use super::model::*;
use super::remedies::{check_remedies, insert_tasks, judges};
use crate::context::AppContext;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// Which side of a case the actor is on: 0 the complainant, 1 the respondent (a member, or the
/// brand's staff of the department concerned); none for anyone else.
pub(super) fn side_of(actor: &Actor, case: &Case) -> Option<i16> {
    if actor.user_id() == Some(case.complainant_id) {
        Some(0)
    } else if is_party(actor, case) {
        Some(1)
    } else {
        None
    }
}

/// The case and the actor's side in it: anyone else gets "not found" (if they may not read it)
/// or `not_allowed`.
pub(super) fn party_case(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CaseId,
) -> AppResult<(Case, i16)> {
    let case = readable_case(conn, actor, id)?;
    let side = side_of(actor, &case).ok_or_else(|| refused(ErrorCode::NotAllowed))?;
    Ok((case, side))
}

/// The terms proposed, as stored.
pub(super) fn terms_of(case: &Case) -> Option<Terms> {
    case.terms
        .as_deref()
        .and_then(|t| serde_json::from_str(t).ok())
}

/// Proposes settlement terms (a party or the ombudsman, in mediation).
pub fn propose(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &Terms,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let side = side_of(actor, &case);
    if case.kind == CaseKind::Appeal || !(side.is_some() || judges(actor, &case)) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    if case.state != CaseState::Mediation {
        return Err(refused(ErrorCode::NotInMediation));
    }
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > TEXT_MAX {
        return Err(AppError::invalid_field("text", "error-case-text"));
    }
    check_remedies(conn, &case, &form.remedies)?;
    let terms = Terms {
        text: text.to_string(),
        remedies: form.remedies.clone(),
        proposed_by: actor.require_user()?.username.clone(),
    };
    let stored = serde_json::to_string(&terms).map_err(AppError::internal)?;
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let moved = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(CaseState::Mediation)),
        )
        .set((
            cases::terms.eq(Some(&stored)),
            cases::complainant_accepted_at.eq((side == Some(0)).then_some(at)),
            cases::respondent_accepted_at.eq((side == Some(1)).then_some(at)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "settlement.proposed",
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                digest: Some(&crate::util::digest(&stored)),
                ..Default::default()
            },
        )?;
        super::disputes::tell_all(conn, ctx, &case, case.reviewer_id, Some(me), "terms")?;
        Ok(CaseState::Mediation)
    })
}

/// Accepting terms: the case's version as read with them (terms proposed since are not
/// accepted unseen: `stale_version`).
#[derive(Clone, Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct AcceptForm {
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub version: Option<i32>,
}

/// A party accepts the terms for their side; with both sides', the case is settled and its
/// remedies become enforcement tasks.
pub fn accept(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &AcceptForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let (case, side) = party_case(conn, actor, id)?;
    if case.state != CaseState::Mediation {
        return Err(refused(ErrorCode::NotInMediation));
    }
    let Some(terms) = terms_of(&case) else {
        return Err(refused(ErrorCode::WrongStage));
    };
    if form.version != Some(case.version) {
        return Err(AppError::new(ErrorKind::Conflict {
            code: ErrorCode::StaleVersion,
            field: "version".into(),
        }));
    }
    let tasks = check_remedies(conn, &case, &terms.remedies)?;
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let complainant = if side == 0 {
            Some(at)
        } else {
            case.complainant_accepted_at
        };
        let respondent = if side == 1 {
            Some(at)
        } else {
            case.respondent_accepted_at
        };
        let settled = complainant.is_some() && respondent.is_some();
        let state = match (settled, tasks.is_empty()) {
            (false, _) => CaseState::Mediation,
            (true, true) => CaseState::Closed,
            (true, false) => CaseState::Enforcement,
        };
        let moved = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(CaseState::Mediation)),
        )
        .set((
            cases::complainant_accepted_at.eq(complainant),
            cases::respondent_accepted_at.eq(respondent),
            cases::state.eq(state),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "settlement.accepted",
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                ..Default::default()
            },
        )?;
        if !settled {
            super::disputes::tell_all(conn, ctx, &case, case.reviewer_id, Some(me), "terms")?;
            return Ok(state);
        }
        diesel::update(cases::table.find(id))
            .set((
                cases::outcome.eq(Some(CaseOutcome::Settled)),
                cases::reasons.eq(&terms.text),
                cases::decided_at.eq(Some(at)),
            ))
            .execute(conn)?;
        insert_tasks(conn, id, at, &tasks)?;
        log(
            conn,
            id,
            Some(CaseState::Mediation),
            state,
            Some(me),
            "settled",
            false,
        )?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "dispute.settled",
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                reason: &terms.text,
                ..Default::default()
            },
        )?;
        super::disputes::tell_all(conn, ctx, &case, case.reviewer_id, None, "decided")?;
        Ok(state)
    })
}
