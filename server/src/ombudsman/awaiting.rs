//! Pausing a dispute while it waits for one side (disputes.md R-S4, R-S5): the ombudsman puts
//! the case in `awaiting_party` with reasons, naming the side and the days it has (5 by
//! default: the respondent's reply time of R-S3). The paused stage's clock stands still. The
//! awaited side (or the ombudsman) resumes it when they have answered. A side that stays silent
//! gets a reminder when its date passes, then a written notice, and then the case proceeds on
//! the record: each step once, from the clock's sweep, conditional on the step before.

use chrono::Duration;
use diesel::prelude::*;

use super::appeals::{log, required_reason, stale_case};
use super::model::*;
use super::remedies::judges;
use super::settlement::side_of;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{case_pauses, cases, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

/// Days a silent side has after the reminder, and again after the written notice.
pub const GRACE_DAYS: i64 = 3;

/// The stages a case may be paused in.
fn pausable(state: CaseState) -> bool {
    matches!(
        state,
        CaseState::Acknowledged
            | CaseState::Mediation
            | CaseState::Arbitration
            | CaseState::DraftDecision
    )
}

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// A paused case's pause: the stage paused, the seconds its clock had left, the side awaited
/// (0 the complainant, 1 the respondent), the notices sent (1 reminder, 2 written notice).
#[derive(Clone, Copy, Debug, Queryable)]
pub(super) struct Pause {
    pub paused_state: CaseState,
    pub paused_seconds: i64,
    pub awaiting_side: i16,
    pub notices_sent: i16,
}

/// The pause of a case waiting for a party.
pub(super) fn pause_of(conn: &mut DbConnection, case: CaseId) -> AppResult<Option<Pause>> {
    Ok(case_pauses::table
        .find(case.0)
        .select((
            case_pauses::paused_state,
            case_pauses::paused_seconds,
            case_pauses::awaiting_side,
            case_pauses::notices_sent,
        ))
        .first(conn)
        .optional()?)
}

/// Whether the actor may pause this dispute now (its judge, at a pausable stage).
pub(super) fn may_pause(actor: &Actor, case: &Case) -> bool {
    case.kind != CaseKind::Appeal && pausable(case.state) && judges(actor, case)
}

/// Whether the actor may resume this paused case: the awaited side, or its judge.
pub(super) fn may_resume(actor: &Actor, case: &Case, pause: Option<Pause>) -> bool {
    let Some(pause) = pause else {
        return false;
    };
    case.state == CaseState::AwaitingParty
        && (judges(actor, case) || side_of(actor, case) == Some(pause.awaiting_side))
}

/// The people on one side of a case (the respondent side of a brand dispute is its
/// department's staff).
fn side_people(conn: &mut DbConnection, case: &Case, side: i16) -> AppResult<Vec<UserId>> {
    if side == 0 {
        return Ok(vec![case.complainant_id]);
    }
    let mut people: Vec<UserId> = case.respondent_id.into_iter().collect();
    if let Some(department) = &case.department {
        people.extend(
            users::table
                .filter(users::department.eq(department))
                .select(users::id)
                .load::<UserId>(conn)?,
        );
    }
    Ok(people)
}

/// Pauses the case waiting for `party` (`complainant` or `respondent`) for `days`.
pub(super) fn pause(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    form: &TransitionForm,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    if case.kind == CaseKind::Appeal || !judges(actor, case) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    if !pausable(case.state) {
        return Err(refused(ErrorCode::WrongStage));
    }
    let side: i16 = match form.party.as_deref().map(str::trim) {
        Some("complainant") => 0,
        Some("respondent") => 1,
        _ => return Err(AppError::invalid_field("party", "error-awaiting-party")),
    };
    let days = form.days.unwrap_or(5);
    if !(1..=30).contains(&days) {
        return Err(AppError::invalid_field("days", "error-awaiting-days"));
    }
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let left = (case.due_at - at).num_seconds().max(0);
        let moved = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(case.state)),
        )
        .set((
            cases::state.eq(CaseState::AwaitingParty),
            cases::due_at.eq(at + Duration::days(days)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        diesel::delete(case_pauses::table.find(case.id.0)).execute(conn)?;
        diesel::insert_into(case_pauses::table)
            .values((
                case_pauses::case_id.eq(case.id.0),
                case_pauses::paused_state.eq(case.state),
                case_pauses::paused_seconds.eq(left),
                case_pauses::awaiting_side.eq(side),
                case_pauses::notices_sent.eq(0),
            ))
            .execute(conn)?;
        log(
            conn,
            case.id,
            Some(case.state),
            CaseState::AwaitingParty,
            Some(me),
            reason,
            false,
        )?;
        for person in side_people(conn, case, side)? {
            super::notices::tell(conn, ctx, person, case.id, "awaiting")?;
        }
        Ok(CaseState::AwaitingParty)
    })
}

/// Resumes the paused stage with the clock it had left; `by` none when the case proceeds on the
/// record after the notices.
fn resume_case(
    conn: &mut DbConnection,
    ctx: &AppContext,
    case: &Case,
    pause: Pause,
    by: Option<UserId>,
    note: &str,
) -> AppResult<bool> {
    let back = pause.paused_state;
    let at = now();
    let moved = diesel::update(
        cases::table
            .find(case.id)
            .filter(cases::version.eq(case.version))
            .filter(cases::state.eq(CaseState::AwaitingParty)),
    )
    .set((
        cases::state.eq(back),
        cases::due_at.eq(at + Duration::seconds(pause.paused_seconds)),
        cases::version.eq(case.version + 1),
        // A stage paused after its date had passed was already reminded about.
        cases::reminded_due_at.eq(if pause.paused_seconds == 0 {
            Some(at)
        } else {
            case.reminded_due_at
        }),
    ))
    .execute(conn)?;
    if moved == 0 {
        return Ok(false);
    }
    diesel::delete(case_pauses::table.find(case.id.0)).execute(conn)?;
    log(
        conn,
        case.id,
        Some(CaseState::AwaitingParty),
        back,
        by,
        note,
        by.is_none(),
    )?;
    super::disputes::tell_all(conn, ctx, case, case.reviewer_id, by, "resumed")?;
    Ok(true)
}

/// The awaited side (having answered) or the judge resumes the case.
pub(super) fn resume(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let pause = pause_of(conn, case.id)?;
    let Some(pause) = pause.filter(|_| case.state == CaseState::AwaitingParty) else {
        return Err(refused(ErrorCode::WrongStage));
    };
    if !may_resume(actor, case, Some(pause)) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    let reason = required_reason(reason, "reason")?;
    crate::db::write_transaction(conn, |conn| {
        if !resume_case(conn, ctx, case, pause, Some(me), reason)? {
            return Err(stale_case());
        }
        Ok(pause.paused_state)
    })
}

/// The silent sides' next notice, each once: a reminder, then a written notice, then the case
/// proceeds on the record. Returns how many cases moved on.
pub(super) fn sweep(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    let due: Vec<Case> = cases::table
        .filter(cases::state.eq(CaseState::AwaitingParty))
        .filter(cases::due_at.le(now()))
        .select(Case::as_select())
        .load(conn)?;
    let mut acted = 0;
    for case in due {
        let done = crate::db::write_transaction(conn, |conn| {
            let Some(pause) = pause_of(conn, case.id)? else {
                return Ok(false);
            };
            if pause.notices_sent >= 2 {
                return resume_case(conn, ctx, &case, pause, None, "proceeds_on_record");
            }
            let next = pause.notices_sent + 1;
            // Conditional on the notices sent as read: each notice once.
            let counted = diesel::update(
                case_pauses::table
                    .find(case.id.0)
                    .filter(case_pauses::notices_sent.eq(pause.notices_sent)),
            )
            .set(case_pauses::notices_sent.eq(next))
            .execute(conn)?;
            if counted == 0 {
                return Ok(false);
            }
            diesel::update(cases::table.find(case.id))
                .set((
                    cases::due_at.eq(now() + Duration::days(GRACE_DAYS)),
                    cases::version.eq(cases::version + 1),
                ))
                .execute(conn)?;
            let what = if next == 1 {
                "reminder"
            } else {
                "written_notice"
            };
            for person in side_people(conn, &case, pause.awaiting_side)? {
                super::notices::tell(conn, ctx, person, case.id, what)?;
            }
            crate::audit::record(
                conn,
                &crate::audit::Entry {
                    action: &format!("case.{what}"),
                    target_kind: "case",
                    target_id: case.id.0,
                    case_id: Some(case.id.0),
                    automated: true,
                    ..Default::default()
                },
            )?;
            Ok(true)
        })?;
        acted += usize::from(done);
    }
    Ok(acted)
}
