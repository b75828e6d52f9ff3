//! The review queue as moderators read it: one page of open items (30, most urgent first,
//! then by deadline and id, continued by a cursor), filtered, with each item's reports, evidence
//! and the state of its target; items about the reading moderator are left out.

use diesel::prelude::*;

use super::model::*;
use super::reports::can_review;
use crate::accounts::model::UserId;
use crate::db::schema::{evidence_snapshots, reports, review_items, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode};
use crate::forum::model::{ContentState, PostId, ThreadId};
use crate::policy::{require, Actor};
use crate::util::now;

/// A report as the queue reads it: id, item, reporter, reason, text, weight, time.
type ReportRow = (
    ReportId,
    ReviewItemId,
    Option<UserId>,
    ReportReason,
    String,
    i32,
    chrono::NaiveDateTime,
);

/// Items per page of the queue (Discourse's review list shows 30).
pub const QUEUE_PAGE: i64 = 30;

/// A place in the queue's order: priority, deadline (microseconds since the epoch), id.
fn queue_cursor(item: &ReviewItem) -> String {
    format!(
        "{}_{}_{}",
        item.priority.as_i16(),
        item.due_at.and_utc().timestamp_micros(),
        item.id.0
    )
}

fn parse_queue_cursor(text: &str) -> Option<(Priority, chrono::NaiveDateTime, ReviewItemId)> {
    let mut parts = text.split('_');
    let priority = Priority::from_i16(parts.next()?.parse().ok()?)?;
    let due = chrono::DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?.naive_utc();
    let id = ReviewItemId(parts.next()?.parse().ok()?);
    parts.next().is_none().then_some((priority, due, id))
}

/// One page of the open queue, most urgent first, then by deadline (moderators and above),
/// filtered; `filter.after` continues where the previous page ended.
pub fn queue(conn: &mut DbConnection, actor: &Actor, filter: &QueueFilter) -> AppResult<QueuePage> {
    require(can_review(actor))?;
    let me = actor.require_user()?.id;
    let mut query = review_items::table
        .filter(review_items::resolved_at.is_null())
        .into_boxed();
    if let Some(after) = filter.after.as_deref().filter(|a| !a.is_empty()) {
        let (priority, due, id) = parse_queue_cursor(after)
            .ok_or_else(|| AppError::bad_request(ErrorCode::InvalidCursor))?;
        query = query.filter(
            review_items::priority
                .lt(priority)
                .or(review_items::priority
                    .eq(priority)
                    .and(review_items::due_at.gt(due)))
                .or(review_items::priority
                    .eq(priority)
                    .and(review_items::due_at.eq(due))
                    .and(review_items::id.gt(id))),
        );
    }
    if let Some(kind) = filter.kind.as_deref().filter(|k| !k.is_empty()) {
        let kind = TargetKind::parse(kind)
            .ok_or_else(|| AppError::invalid_field("kind", "error-report-target"))?;
        query = query.filter(review_items::target_kind.eq(kind));
    }
    if let Some(reason) = filter.reason.as_deref().filter(|r| !r.is_empty()) {
        let reason = ReportReason::parse(reason)
            .ok_or_else(|| AppError::invalid_field("reason", "error-report-reason"))?;
        let with_reason = reports::table
            .filter(reports::reason.eq(reason))
            .select(reports::item_id);
        query = query.filter(review_items::id.eq_any(with_reason));
    }
    if let Some(origin) = filter.origin.as_deref().filter(|o| !o.is_empty()) {
        let origin = ItemOrigin::parse(origin)
            .ok_or_else(|| AppError::invalid_field("origin", "error-report-target"))?;
        query = query.filter(review_items::origin.eq(origin));
    }
    if filter.mine {
        query = query.filter(review_items::claimed_by.eq(Some(me)));
    }
    if let Some(slug) = filter.category.as_deref().filter(|c| !c.is_empty()) {
        use crate::db::schema::{categories, posts, threads};
        let category: crate::forum::model::CategoryId = categories::table
            .filter(categories::slug.eq(slug))
            .select(categories::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::invalid_field("category", "error-category-unknown"))?;
        let in_threads = threads::table
            .filter(threads::category_id.eq(category))
            .select(threads::id);
        let in_posts = posts::table
            .inner_join(threads::table)
            .filter(threads::category_id.eq(category))
            .select(posts::id);
        query = query.filter(
            review_items::target_kind
                .eq(TargetKind::Thread)
                .and(review_items::target_id.eq_any(in_threads))
                .or(review_items::target_kind
                    .eq(TargetKind::Post)
                    .and(review_items::target_id.eq_any(in_posts))),
        );
    }
    let mut items: Vec<ReviewItem> = query
        .order((
            review_items::priority.desc(),
            review_items::due_at.asc(),
            review_items::id.asc(),
        ))
        .limit(QUEUE_PAGE + 1)
        .select(ReviewItem::as_select())
        .load(conn)?;
    let next_after = if items.len() as i64 > QUEUE_PAGE {
        items.truncate(QUEUE_PAGE as usize);
        items.last().map(queue_cursor)
    } else {
        None
    };
    // Working the queue is activity: the moderator's claims stay theirs (a claim lapses after
    // 30 idle minutes, not 30 minutes after it was taken).
    if items.iter().any(|i| i.claimed_by == Some(me)) {
        diesel::update(
            review_items::table
                .filter(review_items::claimed_by.eq(Some(me)))
                .filter(review_items::resolved_at.is_null()),
        )
        .set(review_items::claimed_at.eq(Some(now())))
        .execute(conn)?;
    }
    let facts = target_facts(conn, &items)?;
    // What is about the moderator (they, their post, their thread) is not shown to them: they
    // would learn who reported them. Another moderator handles it.
    let items: Vec<ReviewItem> = items
        .into_iter()
        .filter(|item| {
            let author = match item.target_kind {
                TargetKind::User => Some(UserId(item.target_id)),
                _ => facts.get(&(item.target_kind, item.target_id)).map(|f| f.1),
            };
            author != Some(me)
        })
        .collect();
    let ids: Vec<ReviewItemId> = items.iter().map(|i| i.id).collect();
    let rows: Vec<ReportRow> = reports::table
        .filter(reports::item_id.eq_any(&ids))
        .order(reports::id.asc())
        .select((
            reports::id,
            reports::item_id,
            reports::reporter_id,
            reports::reason,
            reports::explanation,
            reports::weight,
            reports::created_at,
        ))
        .load(conn)?;
    let snapshots: Vec<(ReviewItemId, String, String)> = evidence_snapshots::table
        .filter(evidence_snapshots::item_id.eq_any(&ids))
        // The newest first: each round of an item keeps the evidence of its time.
        .order(evidence_snapshots::id.desc())
        .select((
            evidence_snapshots::item_id,
            evidence_snapshots::content,
            evidence_snapshots::digest,
        ))
        .load(conn)?;
    let mut people: Vec<UserId> = rows.iter().filter_map(|r| r.2).collect();
    people.extend(items.iter().filter_map(|i| i.claimed_by));
    let names: std::collections::HashMap<UserId, String> = users::table
        .filter(users::id.eq_any(&people))
        .select((users::id, users::username))
        .load::<(UserId, String)>(conn)?
        .into_iter()
        .collect();
    let items = items
        .into_iter()
        .map(|item| {
            let snapshot = snapshots.iter().find(|s| s.0 == item.id);
            let state = facts.get(&(item.target_kind, item.target_id)).map(|f| f.0);
            ReviewItemView {
                target_state: state,
                origin: item.origin,
                held: matches!(state, Some(ContentState::Held | ContentState::Resubmitted)),
                id: item.id,
                target_kind: item.target_kind,
                target_id: item.target_id,
                status: item.status,
                priority: item.priority,
                score: item.score,
                reports_count: item.reports_count,
                claimed_by: item.claimed_by.and_then(|u| names.get(&u).cloned()),
                version: item.version,
                due_at: item.due_at,
                snapshot: snapshot.and_then(|s| serde_json::from_str(&s.1).ok()),
                snapshot_digest: snapshot.map(|s| s.2.clone()),
                reports: rows
                    .iter()
                    .filter(|r| r.1 == item.id)
                    .map(|r| ReportView {
                        id: r.0,
                        reporter: r.2.and_then(|u| names.get(&u).cloned()),
                        reason: r.3,
                        text: r.4.clone(),
                        weight: r.5,
                        created_at: r.6,
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(QueuePage { items, next_after })
}

/// The moderation state and author of the items' posts and threads, in one query per kind.
fn target_facts(
    conn: &mut DbConnection,
    items: &[ReviewItem],
) -> AppResult<std::collections::HashMap<(TargetKind, i64), (ContentState, UserId)>> {
    use crate::db::schema::{posts, threads};
    let ids = |kind: TargetKind| -> Vec<i64> {
        items
            .iter()
            .filter(|i| i.target_kind == kind)
            .map(|i| i.target_id)
            .collect()
    };
    let post_ids: Vec<PostId> = ids(TargetKind::Post).into_iter().map(PostId).collect();
    let thread_ids: Vec<ThreadId> = ids(TargetKind::Thread).into_iter().map(ThreadId).collect();
    let mut states = std::collections::HashMap::new();
    if !post_ids.is_empty() {
        for (id, state, author) in posts::table
            .filter(posts::id.eq_any(&post_ids))
            .select((posts::id, posts::state, posts::author_id))
            .load::<(PostId, ContentState, UserId)>(conn)?
        {
            states.insert((TargetKind::Post, id.0), (state, author));
        }
    }
    if !thread_ids.is_empty() {
        for (id, state, author) in threads::table
            .filter(threads::id.eq_any(&thread_ids))
            .select((threads::id, threads::state, threads::author_id))
            .load::<(ThreadId, ContentState, UserId)>(conn)?
        {
            states.insert((TargetKind::Thread, id.0), (state, author));
        }
    }
    Ok(states)
}
