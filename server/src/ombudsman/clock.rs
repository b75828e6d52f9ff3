//! The clocks of appeals (disputes.md R-S2): an appeal is acknowledged when filed and must be
//! decided within `appeal_decide_days` (14); past that, a sweep every 15 minutes escalates it to
//! the community manager, once (the move is conditional on the state it was read in, so a sweep
//! that runs twice, or again after a restart, finds nothing left to do).

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

/// Escalates the appeals past their deadline; returns how many moved.
pub fn sweep(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<usize> {
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
