//! `badges_backfill`: a badge rule new to a forum of this size, backfilled over every member
//! the way the backfill job does it (batches of `BATCH` members, each in its own write
//! transaction). The first-post badge's grants are removed first, so the rule grants to every
//! member who ever posted, as a new rule would. Reported per batch (p50/p99/max) and in members
//! per second; the whole run takes members / throughput seconds.

use std::time::Instant;

use diesel::prelude::*;
use hdrhistogram::Histogram;

use super::run::OpResult;
use crate::db::schema::{badges, notifications, user_badges, users};
use crate::reputation::badges::backfill_step;
use crate::reputation::model::BadgeId;

pub(super) fn badges_backfill(database_url: &str) -> Result<OpResult, String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = crate::config::Config {
        database_url: Some(crate::config::DatabaseUrl::new(database_url)),
        data_dir: data.path().to_path_buf(),
        jobs_worker: false,
        ..crate::config::Config::default()
    };
    let ctx = crate::build_context(config)?;
    let mut conn = ctx.pool.get().map_err(|e| e.to_string())?;
    let conn = &mut conn;
    let err = |e: crate::error::AppError| format!("{e:?}");
    let db = |e: diesel::result::Error| e.to_string();
    let badge: BadgeId = badges::table
        .filter(badges::slug.eq("first_post"))
        .select(badges::id)
        .first(conn)
        .map_err(db)?;
    // As if the rule were new: no grants, no notices of them.
    diesel::delete(user_badges::table.filter(user_badges::badge_id.eq(badge)))
        .execute(conn)
        .map_err(db)?;
    diesel::delete(
        notifications::table.filter(
            notifications::subject_kind.eq(crate::notify::model::SubjectKind::Badge.as_i16()),
        ),
    )
    .execute(conn)
    .map_err(db)?;
    let members: i64 = users::table.count().get_result(conn).map_err(db)?;
    let mut histogram = Histogram::<u64>::new(3).map_err(|e| e.to_string())?;
    let started = Instant::now();
    let mut after = Some(0);
    let mut batches = 0u64;
    while let Some(cursor) = after {
        let batch = Instant::now();
        after = crate::db::write_transaction(conn, |conn| backfill_step(&ctx, conn, badge, cursor))
            .map_err(err)?;
        let _ = histogram.record((batch.elapsed().as_micros() as u64).max(1));
        batches += 1;
    }
    let seconds = started.elapsed().as_secs_f64();
    let granted: i64 = user_badges::table
        .filter(user_badges::badge_id.eq(badge))
        .count()
        .get_result(conn)
        .map_err(db)?;
    eprintln!(
        "badges_backfill: {members} members in {batches} batches, {granted} granted, {seconds:.1} s"
    );
    let ms = |q: f64| histogram.value_at_quantile(q) as f64 / 1000.0;
    Ok(OpResult {
        name: "badges_backfill".into(),
        requests: batches,
        errors: 0,
        throughput_rps: members as f64 / seconds.max(0.001),
        p50_ms: ms(0.50),
        p90_ms: ms(0.90),
        p99_ms: ms(0.99),
        max_ms: histogram.max() as f64 / 1000.0,
        mean_bytes: 0.0,
        cpu_ms_per_request: 0.0,
        sql_per_request: 0.0,
    })
}
