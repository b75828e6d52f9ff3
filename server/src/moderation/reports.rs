//! Reports from anyone and the queue they feed: a report is checked (a known target the
//! reporter can see, a reason, an explanation; an e-mail address and, for illegal content, a
//! bona-fide statement from a logged-out reporter), weighed, and added to the target's one queue
//! item (made, or reopened, as needed). The first report of an item keeps an evidence snapshot
//! with its SHA-256. The reported person never learns who reported.

use chrono::Duration;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::model::*;
use crate::accounts::model::{User, UserId};
use crate::context::AppContext;
use crate::db::schema::{evidence_snapshots, reports, review_items, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{PostId, ThreadId};
use crate::policy::{self, Actor};
use crate::util::now;

pub const TEXT_MAX: usize = 2_000;
/// Reports a member may file per hour (logged-out reporters are limited per address by the
/// HTTP layer).
pub const REPORTS_PER_HOUR: i64 = 20;

/// Working the queue: moderators and above.
pub fn can_review(actor: &Actor) -> bool {
    policy::can_moderate(actor)
}

/// How much a report counts: 1 + the reporter's trust level; staff 5; logged out 1.
fn weight(conn: &mut DbConnection, actor: &Actor) -> AppResult<i32> {
    Ok(match actor.user.as_ref() {
        None => 1,
        Some(_) if policy::can_moderate(actor) => 5,
        Some(user) => {
            let (upheld, rejected) = accuracy(conn, user.id)?;
            (1 + i32::from(user.trust_level) + accuracy_bonus(upheld, rejected)).max(0)
        }
    })
}

/// Discourse's accuracy bonus: nothing for 5 decided reports or fewer; then the share upheld
/// measured around 0.7, times log4 of the count, times 5 (negative for poor reporters).
pub fn accuracy_bonus(upheld: i64, rejected: i64) -> i32 {
    let total = upheld + rejected;
    if total <= 5 {
        return 0;
    }
    let share = upheld as f64 / total as f64;
    ((share - 0.7) * (total as f64).log(4.0) * 5.0).round() as i32
}

/// When an item of `priority` must have been looked at (the community manager's deadlines).
pub(super) fn due(
    settings: &super::settings::Settings,
    priority: Priority,
    from: chrono::NaiveDateTime,
) -> chrono::NaiveDateTime {
    from + Duration::hours(match priority {
        Priority::Urgent => settings.i64("sla_urgent_hours"),
        Priority::High => settings.i64("sla_high_hours"),
        Priority::Normal => settings.i64("sla_normal_hours"),
    })
}

fn invalid(field: &str, key: &str) -> AppError {
    AppError::invalid_field(field, key)
}

/// The evidence of a target the reporter may see, or `NotFound`.
pub(crate) fn snapshot_of(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: TargetKind,
    id: i64,
) -> AppResult<Snapshot> {
    use crate::forum::service::{post_url, thread_url, visible_post, visible_thread};
    let author_name = |conn: &mut DbConnection, user: UserId| -> AppResult<Option<String>> {
        Ok(users::table
            .find(user)
            .select(users::username)
            .first(conn)
            .optional()?)
    };
    let stamp = |t: chrono::NaiveDateTime| t.and_utc().to_rfc3339();
    Ok(match kind {
        TargetKind::Post => {
            let (post, thread, _) = visible_post(conn, actor, PostId(id))?;
            Snapshot {
                target_kind: kind,
                target_id: id,
                url: post_url(&thread, post.number),
                title: thread.title.clone(),
                text: post.raw.clone(),
                author: author_name(conn, post.author_id)?,
                revision: Some(post.version),
                written_at: stamp(post.edited_at.unwrap_or(post.created_at)),
            }
        }
        TargetKind::Thread => {
            let (thread, _) = visible_thread(conn, actor, ThreadId(id))?;
            // A thread's evidence is its title and its opening post.
            let opening: Option<String> = crate::db::schema::posts::table
                .filter(crate::db::schema::posts::thread_id.eq(thread.id))
                .filter(crate::db::schema::posts::number.eq(1))
                .select(crate::db::schema::posts::raw)
                .first(conn)
                .optional()?;
            Snapshot {
                target_kind: kind,
                target_id: id,
                url: thread_url(&thread),
                title: thread.title.clone(),
                text: opening.unwrap_or_default(),
                author: author_name(conn, thread.author_id)?,
                revision: None,
                written_at: stamp(thread.created_at),
            }
        }
        TargetKind::User => {
            let user: User = users::table
                .find(UserId(id))
                .select(User::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
            Snapshot {
                target_kind: kind,
                target_id: id,
                url: format!("/u/{}", user.username),
                title: user.display_name.clone(),
                text: String::new(),
                author: Some(user.username.clone()),
                revision: None,
                written_at: stamp(user.created_at),
            }
        }
    })
}

/// The evidence of a post as it is now, whoever may see it (for automated queue items).
pub(super) fn post_snapshot(conn: &mut DbConnection, id: PostId) -> AppResult<Snapshot> {
    let (post, thread, target) = crate::forum::service::moderated::post_target(conn, id)?;
    let author: Option<String> = users::table
        .find(post.author_id)
        .select(users::username)
        .first(conn)
        .optional()?;
    Ok(Snapshot {
        target_kind: TargetKind::Post,
        target_id: id.0,
        url: target.url,
        title: thread.title,
        text: post.raw,
        author,
        revision: Some(post.version),
        written_at: post
            .edited_at
            .unwrap_or(post.created_at)
            .and_utc()
            .to_rfc3339(),
    })
}

/// Files a report (anyone). The same logged-in reporter reporting the same target again gets
/// their first report back (`already_reported`), not a second one. `ctx` sends a logged-out
/// reporter's receipt (tools that file members' reports, such as the demo, pass `None`).
pub fn file_report(
    conn: &mut DbConnection,
    ctx: Option<&AppContext>,
    actor: &Actor,
    form: &ReportForm,
) -> AppResult<ReportReceipt> {
    let mut problems = vec![];
    let kind = form.target_kind.known();
    if kind.is_none() {
        problems.push(invalid("target_kind", "error-report-target"));
    }
    let reason = form.reason.known();
    if reason.is_none() {
        problems.push(invalid("reason", "error-report-reason"));
    }
    let text = form.text.trim();
    if text.is_empty() || text.chars().count() > TEXT_MAX {
        problems.push(invalid("text", "error-report-text"));
    }
    let email = form
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty());
    if actor.user.is_none() {
        if !email.is_some_and(crate::accounts::service::is_plain_address) {
            problems.push(invalid("email", "error-email-invalid"));
        }
        if reason == Some(ReportReason::Illegal) && !form.bona_fide {
            problems.push(invalid("bona_fide", "error-report-bona-fide"));
        }
    }
    if !problems.is_empty() {
        let fields = problems.iter().flat_map(|e| e.fields()).collect();
        return Err(AppError::new(ErrorKind::Invalid {
            code: ErrorCode::InvalidInput,
            fields,
        }));
    }
    let (Some(kind), Some(reason)) = (kind, reason) else {
        return Err(AppError::internal("checked above"));
    };
    let snapshot = snapshot_of(conn, actor, kind, form.target_id).map_err(|e| {
        if e.kind == ErrorKind::NotFound {
            invalid("target_id", "error-report-target")
        } else {
            e
        }
    })?;
    if actor.user_id() == Some(UserId(form.target_id)) && kind == TargetKind::User {
        return Err(invalid("target_id", "error-report-self"));
    }
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        lock_target(conn, kind, form.target_id)?;
        if let Some(reporter) = actor.user_id() {
            let recent: i64 = reports::table
                .filter(reports::reporter_id.eq(reporter))
                .filter(reports::created_at.gt(at - Duration::hours(1)))
                .count()
                .get_result(conn)?;
            if recent >= REPORTS_PER_HOUR {
                return Err(AppError::new(ErrorKind::RateLimited { retry_after: 3600 }));
            }
            if misuse(conn, reporter, at)? == Misuse::Paused {
                return Err(AppError::new(ErrorKind::Refused {
                    code: ErrorCode::ReportsPaused,
                }));
            }
        }
        let existing: Option<ReviewItem> = review_items::table
            .filter(review_items::target_kind.eq(kind))
            .filter(review_items::target_id.eq(form.target_id))
            .select(ReviewItem::as_select())
            .first(conn)
            .optional()?;
        let open_item = existing.as_ref().filter(|i| i.resolved_at.is_none());
        if let (Some(item), Some(reporter)) = (open_item, actor.user_id()) {
            let earlier: Option<ReportId> = reports::table
                .filter(reports::item_id.eq(item.id))
                .filter(reports::reporter_id.eq(reporter))
                .select(reports::id)
                .first(conn)
                .optional()?;
            if let Some(id) = earlier {
                return Ok(ReportReceipt {
                    id,
                    already_reported: true,
                    warning: false,
                });
            }
        }
        let priority = if reason == ReportReason::Illegal {
            Priority::High
        } else {
            Priority::Normal
        };
        let weight = weight(conn, actor)?;
        let settings = super::settings::load(conn)?;
        let item_id = match existing {
            Some(item) if item.resolved_at.is_none() => {
                diesel::update(review_items::table.find(item.id))
                    .set((
                        review_items::score.eq(review_items::score + weight),
                        review_items::reports_count.eq(review_items::reports_count + 1),
                        // A decision taken on the item as it was before is now stale.
                        review_items::version.eq(review_items::version + 1),
                        review_items::priority.eq(item.priority.max(priority)),
                        review_items::due_at.eq(item.due_at.min(due(&settings, priority, at))),
                        review_items::updated_at.eq(at),
                    ))
                    .execute(conn)?;
                item.id
            }
            Some(item) => {
                // Resolved before: a new report reopens it (a new version, a new clock).
                diesel::update(review_items::table.find(item.id))
                    .set((
                        review_items::status.eq(ItemStatus::Open),
                        review_items::priority.eq(priority),
                        review_items::score.eq(weight),
                        review_items::origin.eq(ItemOrigin::Report),
                        review_items::reports_count.eq(item.reports_count + 1),
                        review_items::version.eq(item.version + 1),
                        review_items::claimed_by.eq(None::<UserId>),
                        review_items::claimed_at.eq(None::<chrono::NaiveDateTime>),
                        review_items::due_at.eq(due(&settings, priority, at)),
                        review_items::updated_at.eq(at),
                        review_items::resolved_at.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(conn)?;
                keep_snapshot(conn, item.id, &snapshot, at)?;
                item.id
            }
            None => {
                let id: ReviewItemId = diesel::insert_into(review_items::table)
                    .values((
                        review_items::target_kind.eq(kind),
                        review_items::target_id.eq(form.target_id),
                        review_items::status.eq(ItemStatus::Open),
                        review_items::priority.eq(priority),
                        review_items::score.eq(weight),
                        review_items::reports_count.eq(1),
                        review_items::due_at.eq(due(&settings, priority, at)),
                        review_items::created_at.eq(at),
                        review_items::updated_at.eq(at),
                    ))
                    .returning(review_items::id)
                    .get_result(conn)?;
                keep_snapshot(conn, id, &snapshot, at)?;
                id
            }
        };
        let id: ReportId = diesel::insert_into(reports::table)
            .values((
                reports::item_id.eq(item_id),
                reports::reporter_id.eq(actor.user_id()),
                reports::reporter_email.eq(if actor.user.is_none() { email } else { None }),
                reports::reason.eq(reason),
                reports::explanation.eq(text),
                reports::weight.eq(weight),
                reports::created_at.eq(at),
            ))
            .returning(reports::id)
            .get_result(conn)?;
        if let (None, Some(email)) = (&actor.user, email) {
            let ctx = ctx.ok_or_else(|| AppError::internal("a receipt needs the mailer"))?;
            receipt_mail(conn, ctx, email, &snapshot)?;
        }
        // Enough weight of reports hides a post at once, until a moderator looks.
        if let Some(ctx) = ctx {
            let item: ReviewItem = review_items::table
                .find(item_id)
                .select(ReviewItem::as_select())
                .first(conn)?;
            if item.target_kind == TargetKind::Post && item.score >= settings.get("auto_hide_score")
            {
                super::actions::auto_hide(conn, ctx, &item, &settings)?;
            }
        }
        let warning = match actor.user_id() {
            Some(reporter) => misuse(conn, reporter, at)? != Misuse::None,
            None => false,
        };
        Ok(ReportReceipt {
            id,
            already_reported: false,
            warning,
        })
    })
}

/// The receipt a logged-out reporter gets by e-mail at once.
fn receipt_mail(
    conn: &mut DbConnection,
    ctx: &AppContext,
    email: &str,
    snapshot: &Snapshot,
) -> AppResult<()> {
    crate::notify::mail::enqueue(
        conn,
        ctx,
        crate::notify::mail::Outgoing {
            user_id: None,
            to: email,
            locale: "en",
            template: "report_received",
            context: minijinja::context! {
                title => &snapshot.title,
                url => format!("{}{}", ctx.config.base_url(), snapshot.url),
            },
            unsubscribe: None,
        },
    )?;
    Ok(())
}

/// How many open items there are (for the staff's header count).
pub fn open_count(conn: &mut DbConnection) -> AppResult<i64> {
    Ok(review_items::table
        .filter(review_items::resolved_at.is_null())
        .count()
        .get_result(conn)?)
}

/// Reports and decisions on one target, one at a time (PostgreSQL: an advisory lock for the
/// transaction; SQLite's write transaction already runs one writer at a time): the first
/// report makes the item, later ones join or reopen it, and a report never slips past a
/// decision landing at the same moment.
pub(super) fn lock_target(conn: &mut DbConnection, kind: TargetKind, target: i64) -> AppResult<()> {
    if let DbConnection::Postgresql(pg) = conn {
        use diesel::connection::SimpleConnection as _;
        let key = (i64::from(kind.as_i16()) << 56) ^ target;
        pg.batch_execute(&format!("SELECT pg_advisory_xact_lock({key})"))?;
    }
    Ok(())
}

/// Whether a member files manifestly unfounded reports (DSA Art. 23(2)), over their reports
/// decided in the last 90 days: warned from 5 with 60% declined, paused from 10 with 75%
/// (the pause ends as the window moves on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Misuse {
    None,
    Warned,
    Paused,
}

pub fn misuse(
    conn: &mut DbConnection,
    reporter: UserId,
    at: chrono::NaiveDateTime,
) -> AppResult<Misuse> {
    let statuses: Vec<ItemStatus> = reports::table
        .inner_join(review_items::table)
        .filter(reports::reporter_id.eq(Some(reporter)))
        .filter(reports::created_at.gt(at - Duration::days(90)))
        .filter(review_items::resolved_at.is_not_null())
        .select(review_items::status)
        .load(conn)?;
    let decided = statuses.len() as i64;
    let declined = statuses
        .iter()
        .filter(|s| matches!(s, ItemStatus::NoAction | ItemStatus::Dismissed))
        .count() as i64;
    Ok(if decided >= 10 && declined * 4 >= decided * 3 {
        Misuse::Paused
    } else if decided >= 5 && declined * 5 >= decided * 3 {
        Misuse::Warned
    } else {
        Misuse::None
    })
}

/// How a member's reports fared: on items acted on, and on items kept or dismissed.
pub fn accuracy(conn: &mut DbConnection, reporter: UserId) -> AppResult<(i64, i64)> {
    let statuses: Vec<ItemStatus> = reports::table
        .inner_join(review_items::table)
        .filter(reports::reporter_id.eq(Some(reporter)))
        .filter(review_items::resolved_at.is_not_null())
        .select(review_items::status)
        .load(conn)?;
    let upheld = statuses
        .iter()
        .filter(|s| **s == ItemStatus::Actioned)
        .count() as i64;
    let rejected = statuses
        .iter()
        .filter(|s| matches!(s, ItemStatus::NoAction | ItemStatus::Dismissed))
        .count() as i64;
    Ok((upheld, rejected))
}

/// Puts a target in the queue without a report (held or flagged content, a hidden post its
/// author resubmitted): a new item, a reopened one (a new version, a new clock), or the open one
/// as it is. The first item keeps `snapshot` as its evidence.
pub(super) fn raise(
    conn: &mut DbConnection,
    kind: TargetKind,
    target: i64,
    priority: Priority,
    origin: ItemOrigin,
    snapshot: Option<&Snapshot>,
) -> AppResult<ReviewItemId> {
    lock_target(conn, kind, target)?;
    let at = now();
    let settings = super::settings::load(conn)?;
    let existing: Option<ReviewItem> = review_items::table
        .filter(review_items::target_kind.eq(kind))
        .filter(review_items::target_id.eq(target))
        .select(ReviewItem::as_select())
        .first(conn)
        .optional()?;
    match existing {
        Some(item) if item.resolved_at.is_none() => Ok(item.id),
        Some(item) => {
            diesel::update(review_items::table.find(item.id))
                .set((
                    review_items::status.eq(ItemStatus::Open),
                    review_items::priority.eq(priority),
                    review_items::origin.eq(origin),
                    review_items::version.eq(item.version + 1),
                    review_items::claimed_by.eq(None::<UserId>),
                    review_items::claimed_at.eq(None::<chrono::NaiveDateTime>),
                    review_items::due_at.eq(due(&settings, priority, at)),
                    review_items::updated_at.eq(at),
                    review_items::resolved_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?;
            // A new round: the evidence as it is now (the earlier snapshots stay).
            if let Some(snapshot) = snapshot {
                keep_snapshot(conn, item.id, snapshot, at)?;
            }
            Ok(item.id)
        }
        None => {
            let id: ReviewItemId = diesel::insert_into(review_items::table)
                .values((
                    review_items::target_kind.eq(kind),
                    review_items::target_id.eq(target),
                    review_items::status.eq(ItemStatus::Open),
                    review_items::priority.eq(priority),
                    review_items::origin.eq(origin),
                    review_items::due_at.eq(due(&settings, priority, at)),
                    review_items::created_at.eq(at),
                    review_items::updated_at.eq(at),
                ))
                .returning(review_items::id)
                .get_result(conn)?;
            if let Some(snapshot) = snapshot {
                keep_snapshot(conn, id, snapshot, at)?;
            }
            Ok(id)
        }
    }
}

/// Keeps the evidence of an item's target as it is now, with its SHA-256; never changed later.
fn keep_snapshot(
    conn: &mut DbConnection,
    item: ReviewItemId,
    snapshot: &Snapshot,
    at: chrono::NaiveDateTime,
) -> AppResult<()> {
    let content = serde_json::to_string(snapshot).map_err(AppError::internal)?;
    diesel::insert_into(evidence_snapshots::table)
        .values((
            evidence_snapshots::item_id.eq(item),
            evidence_snapshots::digest.eq(hex::encode(Sha256::digest(&content))),
            evidence_snapshots::content.eq(&content),
            evidence_snapshots::taken_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::accuracy_bonus;

    #[test]
    fn accuracy_counts_after_five_reports() {
        assert_eq!(accuracy_bonus(5, 0), 0);
        assert_eq!(accuracy_bonus(6, 0), 2);
        assert_eq!(accuracy_bonus(0, 10), -6);
        assert_eq!(accuracy_bonus(7, 3), 0);
    }
}
