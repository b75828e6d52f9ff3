//! The clocks of appeals (disputes.md R-S2): an appeal is acknowledged when filed and must be
//! decided within `appeal_decide_days` (14); past that, a sweep every 15 minutes escalates it to
//! the community manager, once (the move is conditional on the state it was read in, so a sweep
//! that runs twice, or again after a restart, finds nothing left to do). The same sweep reminds
//! about the disputes' deadlines (R-S3, R-S4), once per deadline: the ombudsman when a stage's
//! date passes, and the parties when mediation's 20 days are over (either may then ask for
//! arbitration).

use chrono::Duration;
use diesel::prelude::*;

use super::model::*;
use crate::context::AppContext;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::util::now;

pub const JOB_DEADLINES: &str = "ombudsman.deadlines";

/// Minutes between two sweeps.
pub const SWEEP_MINUTES: i64 = 15;

/// Escalates the appeals past their deadline and reminds about the disputes'; returns how many
/// cases it acted on.
pub fn sweep(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    Ok(escalate_appeals(conn, ctx)?
        + remind_disputes(conn, ctx)?
        + super::awaiting::sweep(conn, ctx)?
        + super::arbitration_clock::sweep(conn, ctx)?)
}

/// One reminder per deadline: the move records the deadline reminded about, conditional on it
/// not being recorded yet, so a second sweep (or one after a restart) sends nothing.
fn remind_disputes(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    let due: Vec<Case> = cases::table
        .filter(cases::kind.ne(CaseKind::Appeal))
        .filter(cases::state.eq_any([
            CaseState::Acknowledged,
            CaseState::Mediation,
            CaseState::Arbitration,
            CaseState::DraftDecision,
            CaseState::ReviewRequested,
        ]))
        .filter(cases::due_at.le(now()))
        .filter(
            cases::reminded_due_at
                .is_null()
                .or(cases::reminded_due_at.ne(cases::due_at.nullable())),
        )
        .select(Case::as_select())
        .load(conn)?;
    let mut reminded = 0;
    for case in due {
        let sent = crate::db::write_transaction(conn, |conn| {
            let marked = diesel::update(
                cases::table
                    .find(case.id)
                    .filter(cases::due_at.eq(case.due_at))
                    .filter(cases::state.eq(case.state))
                    .filter(
                        cases::reminded_due_at
                            .is_null()
                            .or(cases::reminded_due_at.ne(cases::due_at.nullable())),
                    ),
            )
            .set(cases::reminded_due_at.eq(Some(case.due_at)))
            .execute(conn)?;
            if marked == 0 {
                return Ok(false);
            }
            if case.state == CaseState::Mediation {
                for party in super::disputes::parties(conn, &case)? {
                    super::notices::tell(conn, ctx, party, case.id, "mediation_over")?;
                }
            }
            if let Some(ombudsman) = case.reviewer_id {
                super::notices::tell(conn, ctx, ombudsman, case.id, "deadline")?;
            }
            crate::audit::record(
                conn,
                &crate::audit::Entry {
                    action: &format!("case.reminder.{}", case.state.as_str()),
                    target_kind: "case",
                    target_id: case.id.0,
                    case_id: Some(case.id.0),
                    automated: true,
                    ..Default::default()
                },
            )?;
            AppResult::Ok(true)
        })?;
        reminded += usize::from(sent);
    }
    Ok(reminded)
}

fn escalate_appeals(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
    let late: Vec<Case> = cases::table
        .filter(cases::state.eq(CaseState::UnderReview))
        .filter(cases::due_at.le(now()))
        .select(Case::as_select())
        .load(conn)?;
    let mut moved = 0;
    for case in late {
        if super::appeals::escalate(conn, ctx, &case, None, "deadline_passed")? {
            moved += 1;
        }
    }
    Ok(moved)
}

/// The job: sweeps, and schedules the next sweep.
pub fn run(ctx: &AppContext, conn: &mut DbConnection, _payload: &str) -> Result<(), String> {
    sweep(conn, ctx).map_err(|e| format!("{e:?}"))?;
    crate::jobs::schedule_once(
        conn,
        JOB_DEADLINES,
        now() + Duration::minutes(SWEEP_MINUTES),
        true,
    )
    .map_err(|e| format!("{e:?}"))
}

/// Makes sure a sweep is scheduled (called when a worker starts).
pub fn schedule(ctx: &AppContext) {
    let result =
        ctx.pool.get().map_err(AppError::from).and_then(|mut conn| {
            crate::jobs::schedule_once(&mut conn, JOB_DEADLINES, now(), false)
        });
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule the appeals' deadlines");
    }
}
