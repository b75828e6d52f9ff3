//! The arbitration's own clock (disputes.md R-S3): entering arbitration gives the ombudsman
//! `dispute_decide_days` (30) to decide, with one extension with reasons, and never more than
//! 90 days in all. The sweep tells the parties and the ombudsman once when the date passes, and
//! the admins once when the 90 days pass without a decision.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::appeals::{log, required_reason};
use super::model::*;
use super::remedies::judges;
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{case_arbitrations, cases, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

/// The longest an arbitration may run, extension included.
pub const CAP_DAYS: i64 = 90;

/// The arbitration's clock as the case shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ArbitrationClock {
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub decide_by: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub cap_at: NaiveDateTime,
    pub extended: bool,
    pub extension_reason: Option<String>,
    /// Past its date with no decision.
    pub overdue: bool,
}

/// Starts (or, on a review granted, restarts) the clock as the case enters arbitration.
pub(super) fn start(conn: &mut DbConnection, case: CaseId, at: NaiveDateTime) -> AppResult<()> {
    let days = crate::moderation::settings::load(conn)?.i64("dispute_decide_days");
    diesel::delete(case_arbitrations::table.find(case.0)).execute(conn)?;
    diesel::insert_into(case_arbitrations::table)
        .values((
            case_arbitrations::case_id.eq(case.0),
            case_arbitrations::started_at.eq(at),
            case_arbitrations::decide_by.eq(at + Duration::days(days.min(CAP_DAYS))),
            case_arbitrations::cap_at.eq(at + Duration::days(CAP_DAYS)),
        ))
        .execute(conn)?;
    Ok(())
}

type ClockRow = (
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

fn row(conn: &mut DbConnection, case: CaseId) -> AppResult<Option<ClockRow>> {
    Ok(case_arbitrations::table
        .find(case.0)
        .select((
            case_arbitrations::decide_by,
            case_arbitrations::cap_at,
            case_arbitrations::extended_at,
            case_arbitrations::extension_reason,
        ))
        .first(conn)
        .optional()?)
}

/// Whether the case is still being arbitrated (the clock runs).
fn arbitrating(case: &Case) -> bool {
    matches!(
        case.state,
        CaseState::Arbitration | CaseState::DraftDecision | CaseState::AwaitingParty
    ) && case.decided_at.is_none()
}

/// The clock of a case that went to arbitration.
pub(super) fn clock_of(
    conn: &mut DbConnection,
    case: &Case,
) -> AppResult<Option<ArbitrationClock>> {
    let at = now();
    Ok(row(conn, case.id)?.map(|r| ArbitrationClock {
        decide_by: r.0,
        cap_at: r.1,
        extended: r.2.is_some(),
        extension_reason: r.3,
        overdue: arbitrating(case) && r.0 < at,
    }))
}

/// Whether the actor may extend the arbitration's date now.
pub(super) fn may_extend(actor: &Actor, case: &Case, clock: Option<&ArbitrationClock>) -> bool {
    arbitrating(case) && judges(actor, case) && clock.is_some_and(|c| !c.extended)
}

/// The ombudsman extends the decision's date once, by `days` (30 when not given), with
/// reasons; never past the 90 days.
pub(super) fn extend(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    form: &TransitionForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let clock = clock_of(conn, case)?;
    if !(arbitrating(case) && judges(actor, case)) {
        return Err(AppError::new(ErrorKind::Refused {
            code: if judges(actor, case) {
                ErrorCode::WrongStage
            } else {
                ErrorCode::NotAllowed
            },
        }));
    }
    let Some(clock) = clock.filter(|c| !c.extended) else {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::AlreadyRequested,
        }));
    };
    let reason = required_reason(&form.reason, "reason")?;
    let days = form.days.unwrap_or(30);
    if !(1..=CAP_DAYS).contains(&days) {
        return Err(AppError::invalid_field("days", "error-extension-days"));
    }
    let until = (clock.decide_by + Duration::days(days)).min(clock.cap_at);
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let extended = diesel::update(
            case_arbitrations::table
                .find(case.id.0)
                .filter(case_arbitrations::extended_at.is_null()),
        )
        .set((
            case_arbitrations::decide_by.eq(until),
            case_arbitrations::extended_at.eq(Some(at)),
            case_arbitrations::extension_reason.eq(Some(reason)),
            case_arbitrations::overdue_told_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
        if extended == 0 {
            return Err(AppError::new(ErrorKind::Refused {
                code: ErrorCode::AlreadyRequested,
            }));
        }
        log(
            conn,
            case.id,
            Some(case.state),
            case.state,
            Some(me),
            reason,
            false,
        )?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "arbitration.extended",
                target_kind: "case",
                target_id: case.id.0,
                case_id: Some(case.id.0),
                reason,
                ..Default::default()
            },
        )?;
        super::disputes::tell_all(conn, ctx, case, case.reviewer_id, Some(me), "extended")?;
        Ok(case.state)
    })
}

/// Tells, once each, of an arbitration past its date (the parties and the ombudsman) and past
/// its 90 days (the admins too). Returns how many notices went out.
pub(super) fn sweep(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    let at = now();
    let late: Vec<(
        i64,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
    )> = case_arbitrations::table
        .inner_join(cases::table)
        .filter(cases::decided_at.is_null())
        .filter(cases::state.eq_any([
            CaseState::Arbitration,
            CaseState::DraftDecision,
            CaseState::AwaitingParty,
        ]))
        .filter(
            case_arbitrations::decide_by
                .le(at)
                .and(case_arbitrations::overdue_told_at.is_null())
                .or(case_arbitrations::cap_at
                    .le(at)
                    .and(case_arbitrations::cap_told_at.is_null())),
        )
        .select((
            case_arbitrations::case_id,
            case_arbitrations::cap_at,
            case_arbitrations::overdue_told_at,
            case_arbitrations::cap_told_at,
        ))
        .load(conn)?;
    let mut told = 0;
    for (id, cap_at, overdue_told, cap_told) in late {
        let case = super::appeals::load_case(conn, CaseId(id))?;
        told += crate::db::write_transaction(conn, |conn| {
            let mut sent = 0;
            if overdue_told.is_none() {
                let marked = diesel::update(
                    case_arbitrations::table
                        .find(id)
                        .filter(case_arbitrations::overdue_told_at.is_null()),
                )
                .set(case_arbitrations::overdue_told_at.eq(Some(at)))
                .execute(conn)?;
                if marked > 0 {
                    super::disputes::tell_all(conn, ctx, &case, case.reviewer_id, None, "overdue")?;
                    audit(conn, id, "arbitration.overdue")?;
                    sent += 1;
                }
            }
            if cap_told.is_none() && cap_at <= at {
                let marked = diesel::update(
                    case_arbitrations::table
                        .find(id)
                        .filter(case_arbitrations::cap_told_at.is_null()),
                )
                .set(case_arbitrations::cap_told_at.eq(Some(at)))
                .execute(conn)?;
                if marked > 0 {
                    let admins: Vec<UserId> = users::table
                        .filter(users::role.eq(Role::Admin))
                        .select(users::id)
                        .load(conn)?;
                    for admin in admins {
                        super::notices::tell(conn, ctx, admin, case.id, "cap_passed")?;
                    }
                    audit(conn, id, "arbitration.cap_passed")?;
                    sent += 1;
                }
            }
            AppResult::Ok(sent)
        })?;
    }
    Ok(told)
}

fn audit(conn: &mut DbConnection, case: i64, action: &str) -> AppResult<()> {
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            action,
            target_kind: "case",
            target_id: case,
            case_id: Some(case),
            automated: true,
            ..Default::default()
        },
    )
}
