//! Reversing a decision that an appeal overturned (DSA Art. 20(4); disputes.md R-P5, R-A4):
//! hidden, deleted or rejected content is visible again (unless a later decision changed it),
//! a moderator's edit gives way to the text before it, a sanction is lifted (and no longer counts in the
//! member's record), a "no action" decision sends its item back to the queue. The decision is
//! marked reversed (the moderation log says so), a `restore` decision records who reversed it
//! and why, and the item's reporters hear of it.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{decisions, review_items, sanctions};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{ContentState, PostId, ThreadId};
use crate::forum::service::moderated;

/// The decision as an appeal sees it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = decisions)]
pub struct DecisionRow {
    pub id: DecisionId,
    pub item_id: Option<ReviewItemId>,
    pub target_kind: TargetKind,
    pub target_id: i64,
    pub action: DecisionAction,
    pub explanation: String,
    pub rule_id: Option<RuleId>,
    pub rule_version: Option<i32>,
    pub source: DecisionSource,
    pub decided_by: Option<UserId>,
    pub scope: String,
    pub ends_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub reversed_at: Option<NaiveDateTime>,
}

pub fn decision(conn: &mut DbConnection, id: DecisionId) -> AppResult<Option<DecisionRow>> {
    Ok(decisions::table
        .find(id)
        .select(DecisionRow::as_select())
        .first(conn)
        .optional()?)
}

/// Whether a decision can be appealed: every decision but an escalation (an internal step).
pub fn appealable(decision: &DecisionRow) -> bool {
    decision.action != DecisionAction::Escalate
}

/// Reverses `decision` on behalf of `reviewer`, giving `explanation`; call inside the
/// transaction that records the appeal's outcome. A decision already reversed is left alone.
pub fn reverse(
    conn: &mut DbConnection,
    ctx: &AppContext,
    decision: &DecisionRow,
    reviewer: UserId,
    explanation: &str,
    at: NaiveDateTime,
) -> AppResult<()> {
    use DecisionAction::*;
    // Marked first, conditionally: of two appeals overturning the same decision at once, only
    // one reverses it.
    let marked = diesel::update(
        decisions::table
            .find(decision.id)
            .filter(decisions::reversed_at.is_null()),
    )
    .set(decisions::reversed_at.eq(Some(at)))
    .execute(conn)?;
    if marked == 0 {
        return Ok(());
    }
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            actor: Some(reviewer),
            action: "decision.reversed",
            target_kind: "decision",
            target_id: decision.id.0,
            reason: explanation,
            ..Default::default()
        },
    )?;
    let mut restored = true;
    match (decision.action, decision.target_kind) {
        (Hide | Delete | Reject, TargetKind::Post) => {
            let (post, _, _) = moderated::post_target(conn, PostId(decision.target_id))?;
            // Only while the post is still as this decision left it: a later decision governs.
            let set = match decision.action {
                Hide => ContentState::Hidden,
                Delete => ContentState::Deleted,
                _ => ContentState::Rejected,
            };
            if post.state == set {
                if set == ContentState::Rejected && !was_published(conn, decision)? {
                    // Held content that never counted counts now.
                    moderated::publish_held(conn, &post)?;
                } else {
                    moderated::set_post_state(conn, &post, ContentState::Visible, None)?;
                }
            }
        }
        (Hide | Delete, TargetKind::Thread) => {
            let (thread, _) = moderated::thread_target(conn, ThreadId(decision.target_id))?;
            let set = if decision.action == Hide {
                ContentState::Hidden
            } else {
                ContentState::Deleted
            };
            if thread.state == set {
                moderated::set_thread_state(conn, thread.id, ContentState::Visible)?;
            }
        }
        (Edit, TargetKind::Post) => {
            let (post, _, _) = moderated::post_target(conn, PostId(decision.target_id))?;
            let text = text_before(conn, decision)?
                .ok_or_else(|| AppError::invalid_field("decision_id", "error-appeal-no-text"))?;
            moderated::restore_text(
                conn,
                &post,
                reviewer,
                &text,
                explanation,
                &ctx.forum_settings(),
                at,
            )?;
        }
        (Warning | Silence | Suspension | Ban, _) => {
            let lifted: Vec<UserId> = diesel::update(
                sanctions::table
                    .filter(sanctions::decision_id.eq(decision.id))
                    .filter(sanctions::ended_at.is_null()),
            )
            .set(sanctions::ended_at.eq(Some(at)))
            .returning(sanctions::user_id)
            .get_results(conn)?;
            for user in lifted {
                super::sanctions::restrict(conn, user, at)?;
            }
        }
        // "No action" was wrong: the item goes back to the queue, high priority.
        (Keep | Dismiss | Approve | Restore, _) => {
            restored = false;
            if let Some(item) = decision.item_id {
                let hours = super::settings::load(conn)?.i64("sla_high_hours");
                diesel::update(review_items::table.find(item))
                    .set((
                        review_items::status.eq(ItemStatus::Open),
                        review_items::priority.eq(Priority::High),
                        review_items::due_at.eq(at + Duration::hours(hours)),
                        review_items::resolved_at.eq(None::<NaiveDateTime>),
                        review_items::claimed_by.eq(None::<UserId>),
                        review_items::claimed_at.eq(None::<NaiveDateTime>),
                        review_items::version.eq(review_items::version + 1),
                        review_items::updated_at.eq(at),
                    ))
                    .execute(conn)?;
            }
        }
        _ => return Err(AppError::invalid_field("decision_id", "error-appeal-what")),
    }
    if restored {
        let id: DecisionId = diesel::insert_into(decisions::table)
            .values((
                decisions::item_id.eq(decision.item_id),
                decisions::target_kind.eq(decision.target_kind),
                decisions::target_id.eq(decision.target_id),
                decisions::action.eq(DecisionAction::Restore),
                decisions::explanation.eq(explanation),
                decisions::source.eq(DecisionSource::Appeal),
                decisions::detected_automatically.eq(0i16),
                decisions::scope.eq(&decision.scope),
                decisions::decided_by.eq(Some(reviewer)),
                decisions::created_at.eq(at),
            ))
            .returning(decisions::id)
            .get_result(conn)?;
        audit(conn, id)?;
        if let Some(item) = decision.item_id {
            // The reports were, in the end, not upheld (their reporters' accuracy follows).
            diesel::update(
                review_items::table
                    .find(item)
                    .filter(review_items::status.eq(ItemStatus::Actioned)),
            )
            .set(review_items::status.eq(ItemStatus::NoAction))
            .execute(conn)?;
            super::decisions::tell_reporters_of(conn, ctx, item, id)?;
        }
    }
    Ok(())
}

/// Whether a rejected post had been published before (a hidden post its author rewrote and
/// resubmitted): an earlier decision restricted it. A post held from the start never was.
fn was_published(conn: &mut DbConnection, decision: &DecisionRow) -> AppResult<bool> {
    let earlier: i64 = decisions::table
        .filter(decisions::target_kind.eq(decision.target_kind))
        .filter(decisions::target_id.eq(decision.target_id))
        .filter(decisions::id.lt(decision.id))
        .filter(decisions::action.eq_any([
            DecisionAction::Hide,
            DecisionAction::Delete,
            DecisionAction::Edit,
        ]))
        .count()
        .get_result(conn)?;
    Ok(earlier > 0)
}

/// The post's text before a moderator's edit: its newest revision written before the decision
/// (the moderator's own revision is written at the decision's time).
fn text_before(conn: &mut DbConnection, decision: &DecisionRow) -> AppResult<Option<String>> {
    use crate::db::schema::post_revisions;
    Ok(post_revisions::table
        .filter(post_revisions::post_id.eq(PostId(decision.target_id)))
        .filter(post_revisions::created_at.lt(decision.created_at))
        .order(post_revisions::version.desc())
        .select(post_revisions::raw)
        .first(conn)
        .optional()?)
}

/// Shortens a sanction (an appeal's `modified` outcome): it now ends `days` after it started,
/// never later than before. Returns false when the decision imposed no sanction with a term.
pub fn shorten(
    conn: &mut DbConnection,
    decision: &DecisionRow,
    days: i64,
    at: NaiveDateTime,
) -> AppResult<bool> {
    let found: Option<(
        super::model::SanctionId,
        UserId,
        NaiveDateTime,
        Option<NaiveDateTime>,
    )> = sanctions::table
        .filter(sanctions::decision_id.eq(decision.id))
        .filter(sanctions::ended_at.is_null())
        .select((
            sanctions::id,
            sanctions::user_id,
            sanctions::starts_at,
            sanctions::ends_at,
        ))
        .first(conn)
        .optional()?;
    let Some((id, user, starts, ends)) = found else {
        return Ok(false);
    };
    let new_end = starts + Duration::days(days);
    if ends.is_some_and(|e| new_end >= e) {
        return Err(AppError::invalid_field("days", "error-appeal-shorter"));
    }
    diesel::update(sanctions::table.find(id))
        .set(sanctions::ends_at.eq(Some(new_end)))
        .execute(conn)?;
    diesel::update(decisions::table.find(decision.id))
        .set(decisions::ends_at.eq(Some(new_end)))
        .execute(conn)?;
    if new_end <= at {
        diesel::update(sanctions::table.find(id))
            .set(sanctions::ended_at.eq(Some(at)))
            .execute(conn)?;
    }
    super::sanctions::restrict(conn, user, at)?;
    Ok(true)
}

/// Makes a deletion a hide (an appeal's `modified` outcome for content): the public sees the
/// notice naming the rule again instead of nothing. Returns false for any other decision.
pub fn soften(conn: &mut DbConnection, decision: &DecisionRow) -> AppResult<bool> {
    if decision.action != DecisionAction::Delete {
        return Ok(false);
    }
    match decision.target_kind {
        TargetKind::Post => {
            let (post, _, _) = moderated::post_target(conn, PostId(decision.target_id))?;
            let label = post.moderation_label.clone();
            moderated::set_post_state(conn, &post, ContentState::Hidden, label.as_deref())?;
        }
        TargetKind::Thread => {
            moderated::set_thread_state(conn, ThreadId(decision.target_id), ContentState::Hidden)?;
        }
        TargetKind::User => return Ok(false),
    }
    Ok(true)
}

/// Records a decision just written in the audit log: its action, target, reason, rule, the
/// digest of its item's newest evidence, who took it (none: automated).
pub fn audit(conn: &mut DbConnection, id: DecisionId) -> AppResult<()> {
    use crate::db::schema::evidence_snapshots;
    let Some(d) = decision(conn, id)? else {
        return Ok(());
    };
    let digest: Option<String> = match d.item_id {
        Some(item) => evidence_snapshots::table
            .filter(evidence_snapshots::item_id.eq(item))
            .order(evidence_snapshots::id.desc())
            .select(evidence_snapshots::digest)
            .first(conn)
            .optional()?,
        None => None,
    };
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            actor: d.decided_by,
            action: &format!("decision.{}", d.action.as_str()),
            target_kind: d.target_kind.as_str(),
            target_id: d.target_id,
            case_id: None,
            reason: &d.explanation,
            rule: d.rule_id.zip(d.rule_version).map(|(r, v)| (r.0, v)),
            digest: digest.as_deref(),
            automated: d.source == DecisionSource::Automated,
        },
    )
}
