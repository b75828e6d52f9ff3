//! `badges_backfill`: a badge rule new to a forum of this size, backfilled over every member
//! the way the backfill job does it (batches of `BATCH` members, each in its own write
//! transaction). The first-post badge's grants are removed first, so the rule grants to every
//! member who ever posted, as a new rule would. Reported per batch (p50/p99/max) and in members
//! per second; the whole run takes members / throughput seconds.
//!
//! `fill_leaderboards`: generated data has no points (the generator writes posts directly), so
//! before `leaderboard` is measured its roll-up is filled as if every post and reaction were
//! this week's: each period's board then ranks every member who posted, overall and per
//! category, the largest a board of this forum can be.

use std::time::Instant;

use diesel::prelude::*;
use hdrhistogram::Histogram;

use super::run::OpResult;
use crate::db::schema::{badges, notifications, user_badges, users};
use crate::reputation::badges::backfill_step;
use crate::reputation::model::BadgeId;

/// The application's context on the bench database, without a jobs worker (and the temporary
/// data folder it uses, to keep while it runs).
fn context(database_url: &str) -> Result<(tempfile::TempDir, crate::context::AppContext), String> {
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let config = crate::config::Config {
        database_url: Some(crate::config::DatabaseUrl::new(database_url)),
        data_dir: data.path().to_path_buf(),
        jobs_worker: false,
        ..crate::config::Config::default()
    };
    Ok((data, crate::build_context(config)?))
}

pub(super) fn badges_backfill(database_url: &str) -> Result<OpResult, String> {
    let (_data, ctx) = context(database_url)?;
    let mut conn = ctx.pool.get().map_err(|e| e.to_string())?;
    let conn: &mut crate::db::DbConnection = &mut conn;
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
        notifications::table
            .filter(notifications::subject_kind.eq(crate::notify::model::SubjectKind::Badge)),
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

pub(super) fn fill_leaderboards(database_url: &str) -> Result<(), String> {
    use crate::reputation::model::Period;
    use crate::reputation::points::period_start;
    use diesel::sql_types::{SmallInt, Timestamp};
    let (_data, ctx) = context(database_url)?;
    let mut conn = ctx.pool.get().map_err(|e| e.to_string())?;
    let db = |e: diesel::result::Error| e.to_string();
    let started = Instant::now();
    conn.transaction(|conn| {
        diesel::sql_query("DELETE FROM leaderboard_scores").execute(conn)?;
        let now = crate::util::now();
        for period in [Period::All, Period::Week, Period::Month] {
            // Overall (category 0), then per category: a reply's 2 points and a point per
            // reaction, as the default settings pay.
            for (category, group) in [("0", "p.author_id"), ("t.category_id", "t.category_id, p.author_id")] {
                diesel::sql_query(format!(
                    "INSERT INTO leaderboard_scores (period, starts_at, category_id, user_id, points) \
                     SELECT $1, $2, {category}, p.author_id, CAST(2 * COUNT(*) + SUM(p.likes) AS INTEGER) \
                     FROM posts p JOIN threads t ON t.id = p.thread_id GROUP BY {group}"
                ))
                .bind::<SmallInt, _>(period)
                .bind::<Timestamp, _>(period_start(period, now))
                .execute(conn)?;
            }
        }
        diesel::QueryResult::Ok(())
    })
    .map_err(db)?;
    eprintln!(
        "leaderboard: roll-up filled in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
