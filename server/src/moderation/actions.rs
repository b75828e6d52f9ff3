//! What a decision does to its target: hide, delete or edit a post (or hide or delete a
//! thread), approve or reject held content. The forum applies it (`forum::service::moderated`);
//! this module chooses the state and says whom it affects, for the statement of reasons.

use chrono::NaiveDateTime;

use super::model::*;
use super::statements::Citation;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{ContentState, PostId, ThreadId};
use crate::forum::service::moderated::{self, Target};

/// The label of a post hidden automatically (the page says so instead of naming a rule).
pub const AUTO_LABEL: &str = "auto";

/// The member a restrictive decision affects, and what it was about.
pub struct Affected {
    pub target: Target,
    pub scope: &'static str,
}

fn wrong_action() -> AppError {
    AppError::invalid_field("action", "error-decision-action")
}

/// Whether `action` lifts an earlier restriction of the item's post (a keep or dismiss of a
/// post hidden automatically, an approval of a hidden post its author rewrote): recorded as a
/// reversal.
pub fn restores(
    conn: &mut DbConnection,
    item: &ReviewItem,
    action: DecisionAction,
) -> AppResult<bool> {
    use DecisionAction::*;
    if item.target_kind != TargetKind::Post || !matches!(action, Keep | Dismiss | Approve) {
        return Ok(false);
    }
    let (post, _, _) = moderated::post_target(conn, PostId(item.target_id))?;
    Ok(match action {
        Approve => post.state == ContentState::Resubmitted,
        _ => {
            post.state == ContentState::Hidden
                && post.moderation_label.as_deref() == Some(AUTO_LABEL)
        }
    })
}

/// Applies `action` to the item's target. Returns who is affected when the action restricts
/// content; `None` for actions that change nothing (keep, dismiss, escalate).
#[allow(clippy::too_many_arguments)]
pub fn apply(
    conn: &mut DbConnection,
    ctx: &AppContext,
    moderator: UserId,
    item: &ReviewItem,
    action: DecisionAction,
    citation: Option<&Citation>,
    body: Option<&str>,
    explanation: &str,
    at: NaiveDateTime,
) -> AppResult<Option<Affected>> {
    use DecisionAction::*;
    if matches!(action, Keep | Dismiss) && item.target_kind == TargetKind::Post {
        // No rule broken: a post hidden automatically by the weight of reports comes back.
        let (post, _, _) = moderated::post_target(conn, PostId(item.target_id))?;
        if post.state == ContentState::Hidden
            && post.moderation_label.as_deref() == Some(AUTO_LABEL)
        {
            moderated::set_post_state(conn, &post, ContentState::Visible, None)?;
        }
    }
    if matches!(action, Keep | Dismiss | Escalate) {
        return Ok(None);
    }
    let label = citation.map(Citation::label);
    match item.target_kind {
        TargetKind::Post => {
            let (post, _, target) = moderated::post_target(conn, PostId(item.target_id))?;
            let held = post.state == ContentState::Held;
            let resubmitted = post.state == ContentState::Resubmitted;
            let state = match action {
                Hide => ContentState::Hidden,
                Delete => ContentState::Deleted,
                Reject if held => ContentState::Rejected,
                // A resubmission is granted once: rejected, it stays out for good.
                Reject if resubmitted => ContentState::Rejected,
                Approve if held || resubmitted => ContentState::Visible,
                Edit => {
                    let body = body.unwrap_or_default();
                    let settings = ctx.forum_settings();
                    moderated::moderator_edit(
                        conn,
                        &post,
                        moderator,
                        body,
                        explanation,
                        label.as_deref().unwrap_or_default(),
                        &settings,
                        at,
                    )?;
                    return Ok(Some(Affected {
                        target,
                        scope: scope::POST,
                    }));
                }
                _ => return Err(wrong_action()),
            };
            if action == Approve {
                if held {
                    // Held content was never published: it counts, bumps and is announced now.
                    moderated::publish_held(conn, &post)?;
                    crate::events::publish(
                        conn,
                        &crate::events::DomainEvent::PostCreated { post_id: post.id },
                    )?;
                    crate::live::announce_in(conn, &crate::live::thread_topic(post.thread_id))?;
                } else {
                    moderated::set_post_state(conn, &post, state, None)?;
                }
                return Ok(None);
            }
            moderated::set_post_state(conn, &post, state, label.as_deref())?;
            let scope = if post.number == 1 {
                scope::THREAD
            } else {
                scope::POST
            };
            Ok(Some(Affected { target, scope }))
        }
        TargetKind::Thread => {
            // A held thread is approved or rejected through its opening post's item.
            let (thread, target) = moderated::thread_target(conn, ThreadId(item.target_id))?;
            let state = match action {
                Hide => ContentState::Hidden,
                Delete => ContentState::Deleted,
                _ => return Err(wrong_action()),
            };
            moderated::set_thread_state(conn, thread.id, state)?;
            Ok(Some(Affected {
                target,
                scope: scope::THREAD,
            }))
        }
        // Members are sanctioned from their profile (`sanctions`), not hidden.
        TargetKind::User => Err(wrong_action()),
    }
}

/// Subscriber to `post_edited`: when the author edits a post a moderator acted on (a hidden
/// post resubmitted for review, or a post a moderator edited), it goes back to the queue.
/// Moderators' own edits do not.
pub fn on_event(
    _ctx: &AppContext,
    conn: &mut DbConnection,
    event: &crate::events::DomainEvent,
) -> AppResult<()> {
    use crate::db::schema::post_revisions;
    use diesel::prelude::*;
    let crate::events::DomainEvent::PostEdited { post_id, version } = event else {
        return Ok(());
    };
    let (post, _, _) = moderated::post_target(conn, *post_id)?;
    let editor: Option<UserId> = post_revisions::table
        .filter(post_revisions::post_id.eq(post.id))
        .filter(post_revisions::version.eq(version))
        .select(post_revisions::editor_id)
        .first(conn)
        .optional()?;
    let by_author = editor == Some(post.author_id);
    let moderated = post.state == ContentState::Resubmitted
        || (post.state == ContentState::Visible && post.moderation_label.is_some());
    if by_author && moderated {
        super::reports::raise(
            conn,
            TargetKind::Post,
            post.id.0,
            Priority::Normal,
            ItemOrigin::Author,
            None,
        )?;
    }
    Ok(())
}

/// Hides a post whose reports reached the auto-hide score, at once: its author still sees it,
/// with a statement of reasons marked as decided by automated means; the item rises to high
/// priority for a moderator, who keeps (restores) or decides it.
pub fn auto_hide(
    conn: &mut DbConnection,
    ctx: &AppContext,
    item: &ReviewItem,
    settings: &super::settings::Settings,
) -> AppResult<()> {
    use crate::db::schema::{decisions, review_items};
    use diesel::prelude::*;
    let (post, _, target) = moderated::post_target(conn, PostId(item.target_id))?;
    if post.state != ContentState::Visible {
        return Ok(());
    }
    let at = crate::util::now();
    moderated::set_post_state(conn, &post, ContentState::Hidden, Some(AUTO_LABEL))?;
    diesel::update(review_items::table.find(item.id))
        .set((
            review_items::priority.eq(item.priority.max(Priority::High)),
            review_items::due_at.eq(item.due_at.min(super::reports::due(
                settings,
                Priority::High,
                at,
            ))),
        ))
        .execute(conn)?;
    let scope = if post.number == 1 {
        scope::THREAD
    } else {
        scope::POST
    };
    let decision: DecisionId = diesel::insert_into(decisions::table)
        .values((
            decisions::item_id.eq(Some(item.id)),
            decisions::target_kind.eq(TargetKind::Post),
            decisions::target_id.eq(post.id.0),
            decisions::action.eq(DecisionAction::Hide),
            decisions::explanation.eq(format!(
                "Hidden automatically while a moderator reviews it: members' reports reached a score of {} (the threshold is {}).",
                item.score,
                settings.get("auto_hide_score")
            )),
            decisions::source.eq(DecisionSource::Automated),
            decisions::detected_automatically.eq(1i16),
            decisions::scope.eq(scope),
            decisions::created_at.eq(at),
        ))
        .returning(decisions::id)
        .get_result(conn)?;
    super::reversal::audit(conn, decision)?;
    super::statements::issue(
        conn,
        ctx,
        target.author,
        decision,
        &target.title,
        &target.url,
    )?;
    Ok(())
}
