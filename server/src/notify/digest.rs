//! Digests: the day's (or week's) notifications of members who chose them, in one e-mail, at
//! `digest_hour_utc`.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service::{shown_without_forum, unsubscribe_url};
use crate::accounts::model::{User, UserId};
use crate::context::AppContext;
use crate::db::schema::{jobs, notifications, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{CategoryId, Thread, ThreadId};
use crate::util::now;

pub const JOB_DIGEST: &str = "digest";

// ---------------------------------------------------------------------------------------------
// Digests

#[derive(Serialize, Deserialize)]
struct DigestPayload {
    weekly: bool,
}

/// The next digest time after `after` (at `digest_hour_utc`).
fn next_digest_at(ctx: &AppContext, after: NaiveDateTime) -> NaiveDateTime {
    let hour = ctx.config.digest_hour_utc.min(23);
    let today = after.date().and_hms_opt(hour, 0, 0).unwrap_or(after);
    if today > after {
        today
    } else {
        today + Duration::days(1)
    }
}

/// Digest runs still ahead (a run that is due or running now does not count).
fn future_digest_jobs(conn: &mut DbConnection, after: NaiveDateTime) -> AppResult<i64> {
    Ok(jobs::table
        .filter(jobs::kind.eq(JOB_DIGEST))
        .filter(jobs::done_at.is_null())
        .filter(jobs::failed_at.is_null())
        .filter(jobs::run_at.gt(after))
        .count()
        .get_result(conn)?)
}

fn schedule_next(ctx: &AppContext, conn: &mut DbConnection, after: NaiveDateTime) -> AppResult<()> {
    if future_digest_jobs(conn, after)? > 0 {
        return Ok(());
    }
    let at = next_digest_at(ctx, after);
    let payload = DigestPayload {
        weekly: at.weekday() == chrono::Weekday::Mon,
    };
    crate::jobs::enqueue(conn, JOB_DIGEST, &payload, Some(at), 3)?;
    Ok(())
}

/// Makes sure a digest run is scheduled (called when a worker starts).
pub fn schedule_digests(ctx: &AppContext) {
    let result = ctx
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut conn| schedule_next(ctx, &mut conn, now()));
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule digests");
    }
}

/// Sends each member one e-mail with their pending daily (and, on weekly runs, weekly)
/// notifications, marks them digested, and schedules the next run.
pub fn run_digest(ctx: &AppContext, conn: &mut DbConnection, payload: &str) -> Result<(), String> {
    let payload: DigestPayload = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    let result: AppResult<()> = crate::db::write_transaction(conn, |conn| {
        let mut levels = vec![DIGEST_DAILY];
        if payload.weekly {
            levels.push(DIGEST_WEEKLY);
        }
        type Pending = (i64, UserId, i16, i16, Option<ThreadId>, String, String);
        let pending: Vec<Pending> = notifications::table
            .filter(notifications::digest.eq_any(&levels))
            .filter(notifications::digested_at.is_null())
            .order((notifications::user_id.asc(), notifications::id.asc()))
            .select((
                notifications::id,
                notifications::user_id,
                notifications::kind,
                notifications::subject_kind,
                notifications::thread_id,
                notifications::url,
                notifications::title,
            ))
            .load(conn)?;
        let mut by_user: HashMap<UserId, Vec<&Pending>> = HashMap::new();
        let mut weekly_users: HashSet<UserId> = HashSet::new();
        for item in &pending {
            by_user.entry(item.1).or_default().push(item);
        }
        let weekly_rows: Vec<UserId> = notifications::table
            .filter(notifications::digest.eq(DIGEST_WEEKLY))
            .filter(notifications::digested_at.is_null())
            .select(notifications::user_id)
            .load(conn)?;
        if payload.weekly {
            weekly_users.extend(weekly_rows);
        }
        for (user_id, items) in by_user {
            let user: User = users::table
                .find(user_id)
                .select(User::as_select())
                .first(conn)?;
            let actor = crate::policy::Actor::load(
                conn,
                Some(crate::accounts::model::CurrentUser::from_user(&user)),
            )?;
            let visible: HashSet<CategoryId> = crate::policy::visible_categories(conn, &actor)?
                .into_iter()
                .map(|c| c.id)
                .collect();
            let mut lines = vec![];
            for (_, _, kind, subject_kind, thread_id, url, title) in items {
                // Forum subjects: while the category is visible, and linked to their thread
                // (one digest line per post would often repeat the same thread).
                let path = match thread_id {
                    Some(thread_id) => {
                        let thread: Thread = threads::table
                            .find(thread_id)
                            .select(Thread::as_select())
                            .first(conn)?;
                        if !visible.contains(&thread.category_id) || !thread.state.is_public() {
                            continue;
                        }
                        crate::forum::service::thread_url(&thread)
                    }
                    None if !shown_without_forum(*subject_kind) => continue,
                    None => url.clone(),
                };
                lines.push(context! {
                    kind => Kind::from_i16(*kind).map_or("watched", Kind::as_str),
                    title => title,
                    url => format!("{}{}", ctx.config.base_url(), path),
                });
            }
            if lines.is_empty() {
                continue;
            }
            let locale = user.locale.as_deref().unwrap_or("en");
            crate::notify::mail::enqueue(
                conn,
                ctx,
                crate::notify::mail::Outgoing {
                    user_id: Some(user.id),
                    to: &user.email,
                    locale,
                    template: "digest",
                    context: context! { name => &user.display_name, items => lines, weekly => weekly_users.contains(&user_id) },
                    unsubscribe: Some(unsubscribe_url(ctx, user.id, "digest")),
                },
            )?;
        }
        let ids: Vec<i64> = pending.iter().map(|p| p.0).collect();
        let now = now();
        for chunk in ids.chunks(1000) {
            diesel::update(notifications::table.filter(notifications::id.eq_any(chunk)))
                .set(notifications::digested_at.eq(now))
                .execute(conn)?;
        }
        Ok(())
    });
    result.map_err(|e| format!("{e:?}"))?;
    schedule_next(ctx, conn, now()).map_err(|e| format!("{e:?}"))
}
