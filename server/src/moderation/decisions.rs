//! Working the queue: claims (30 idle minutes), versioned decisions (keep, dismiss, escalate)
//! recorded in `decisions`, the outcome told to the round's reporters, and the public
//! moderation log.

use chrono::Duration;
use diesel::prelude::*;

use super::model::*;
use super::reports::{can_review, lock_target};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{
    decisions, evidence_snapshots, posts, reports, review_claims, review_items, users,
};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{PostId, ThreadId};
use crate::newtypes::Flag;
use crate::policy::{require, Actor};
use crate::util::now;

/// How long a claim holds without activity.
pub const CLAIM_MINUTES: i64 = 30;

fn item(conn: &mut DbConnection, id: ReviewItemId) -> AppResult<ReviewItem> {
    review_items::table
        .find(id)
        .select(ReviewItem::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))
}

/// Whether the item is about `actor`: its target is them, their post or their thread.
pub(super) fn about(conn: &mut DbConnection, actor: &Actor, item: &ReviewItem) -> AppResult<bool> {
    use crate::db::schema::threads;
    let Some(me) = actor.user_id() else {
        return Ok(true);
    };
    let author: Option<UserId> = match item.target_kind {
        TargetKind::User => Some(UserId(item.target_id)),
        TargetKind::Post => posts::table
            .find(PostId(item.target_id))
            .select(posts::author_id)
            .first(conn)
            .optional()?,
        TargetKind::Thread => threads::table
            .find(ThreadId(item.target_id))
            .select(threads::author_id)
            .first(conn)
            .optional()?,
    };
    Ok(author == Some(me))
}

/// Whether `actor` is involved in the item (its target is them or theirs, or they reported
/// it): then they may not claim or decide it.
fn involved(conn: &mut DbConnection, actor: &Actor, item: &ReviewItem) -> AppResult<bool> {
    let Some(me) = actor.user_id() else {
        return Ok(true);
    };
    let reported: i64 = reports::table
        .filter(reports::item_id.eq(item.id))
        .filter(reports::reporter_id.eq(me))
        .count()
        .get_result(conn)?;
    Ok(reported > 0 || about(conn, actor, item)?)
}

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// Whether someone else holds a live claim on the item.
fn claimed_by_other(item: &ReviewItem, me: UserId, at: chrono::NaiveDateTime) -> bool {
    match (item.claimed_by, item.claimed_at) {
        (Some(holder), Some(since)) => {
            holder != me && at - since < Duration::minutes(CLAIM_MINUTES)
        }
        _ => false,
    }
}

/// Claims an open item for the actor (a claim lapses after 30 idle minutes). Returns the item's
/// new version, which the decision must name.
pub fn claim(conn: &mut DbConnection, actor: &Actor, id: ReviewItemId) -> AppResult<i32> {
    require(can_review(actor))?;
    let me = actor.require_user()?.id;
    crate::db::write_transaction(conn, |conn| {
        let item = item(conn, id)?;
        let escalated_elsewhere =
            item.status == ItemStatus::Escalated && !super::rules::can_write_rules(actor);
        if item.resolved_at.is_some() || escalated_elsewhere {
            return Err(refused(ErrorCode::NotAllowed));
        }
        if involved(conn, actor, &item)? {
            return Err(refused(ErrorCode::NotAllowed));
        }
        let at = now();
        if claimed_by_other(&item, me, at) {
            return Err(AppError::new(ErrorKind::Conflict {
                code: ErrorCode::ClaimedByOther,
                field: "version".into(),
            }));
        }
        // The version in the WHERE makes two racing claims a conflict for one of them.
        let updated = diesel::update(
            review_items::table
                .find(id)
                .filter(review_items::version.eq(item.version)),
        )
        .set((
            review_items::claimed_by.eq(Some(me)),
            review_items::claimed_at.eq(Some(at)),
            review_items::version.eq(item.version + 1),
            review_items::updated_at.eq(at),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(stale());
        }
        // Kept: whoever claimed an item may not review an appeal of its decision.
        diesel::insert_into(review_claims::table)
            .values((
                review_claims::item_id.eq(id),
                review_claims::user_id.eq(me),
                review_claims::claimed_at.eq(at),
            ))
            .execute(conn)?;
        Ok(item.version + 1)
    })
}

fn stale() -> AppError {
    AppError::new(ErrorKind::Conflict {
        code: ErrorCode::StaleVersion,
        field: "version".into(),
    })
}

/// Decides an item, with an explanation: hide, delete or edit the content, or reject held
/// content (each citing a rule in force, and giving the author a statement of reasons in the
/// same transaction), approve held content, keep, dismiss or escalate. Refused to a moderator
/// involved in it, on a stale version, or while another moderator holds the claim; an escalated
/// item is decided by the community manager or an admin.
pub fn decide(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: ReviewItemId,
    form: &DecisionForm,
) -> AppResult<ItemStatus> {
    require(can_review(actor))?;
    let me = actor.require_user()?.id;
    use DecisionAction::*;
    let action = form
        .action
        .known()
        .ok_or_else(|| AppError::invalid_field("action", "error-decision-action"))?;
    let status = match action {
        Keep | Approve => ItemStatus::NoAction,
        Dismiss => ItemStatus::Dismissed,
        Escalate => ItemStatus::Escalated,
        Hide | Delete | Edit | Reject => ItemStatus::Actioned,
        // Members are sanctioned from their profile (`sanctions::sanction`); a restore is
        // recorded by keep or approve when they lift a restriction.
        Warning | Silence | Suspension | Ban | Restore => {
            return Err(AppError::invalid_field("action", "error-decision-action"))
        }
    };
    let explanation = super::statements::explanation(&form.explanation)?;
    let citation = if action.is_restrictive() {
        Some(super::statements::cite(
            conn,
            form.rule_id,
            form.rule_version,
            form.rule.as_deref(),
        )?)
    } else {
        None
    };
    if action == Edit && form.body.as_deref().is_none_or(|b| b.trim().is_empty()) {
        return Err(AppError::invalid_field("body", "error-body-empty"));
    }
    crate::db::write_transaction(conn, |conn| {
        let item = item(conn, id)?;
        lock_target(conn, item.target_kind, item.target_id)?;
        let item = self::item(conn, id)?;
        if item.resolved_at.is_some() || involved(conn, actor, &item)? {
            return Err(refused(ErrorCode::NotAllowed));
        }
        // Escalated items go to the community manager (or an admin).
        if item.status == ItemStatus::Escalated && !super::rules::can_write_rules(actor) {
            return Err(refused(ErrorCode::NotAllowed));
        }
        let at = now();
        if claimed_by_other(&item, me, at) {
            return Err(AppError::new(ErrorKind::Conflict {
                code: ErrorCode::ClaimedByOther,
                field: "version".into(),
            }));
        }
        if form.version != item.version {
            return Err(stale());
        }
        let reversal = super::actions::restores(conn, &item, action)?;
        let affected = super::actions::apply(
            conn,
            ctx,
            me,
            &item,
            action,
            citation.as_ref(),
            form.body.as_deref(),
            explanation,
            at,
        )?;
        let resolved = (status != ItemStatus::Escalated).then_some(at);
        let updated = diesel::update(
            review_items::table
                .find(id)
                .filter(review_items::version.eq(item.version)),
        )
        .set((
            review_items::status.eq(status),
            review_items::version.eq(item.version + 1),
            review_items::claimed_by.eq(None::<UserId>),
            review_items::claimed_at.eq(None::<chrono::NaiveDateTime>),
            review_items::updated_at.eq(at),
            review_items::resolved_at.eq(resolved),
        ))
        .execute(conn)?;
        if updated == 0 {
            return Err(stale());
        }
        let previous: Option<chrono::NaiveDateTime> = decisions::table
            .filter(decisions::item_id.eq(Some(item.id)))
            .filter(decisions::action.ne(DecisionAction::Escalate))
            .filter(decisions::source.ne(DecisionSource::Automated))
            .select(diesel::dsl::max(decisions::created_at))
            .first(conn)?;
        let decision: DecisionId = diesel::insert_into(decisions::table)
            .values((
                decisions::item_id.eq(Some(item.id)),
                decisions::target_kind.eq(item.target_kind),
                decisions::target_id.eq(item.target_id),
                decisions::action.eq(if reversal {
                    DecisionAction::Restore
                } else {
                    action
                }),
                decisions::explanation.eq(explanation),
                decisions::rule_id.eq(citation.as_ref().map(|c| c.rule_id)),
                decisions::rule_version.eq(citation.as_ref().map(|c| c.version)),
                decisions::source.eq(if item.reports_count > 0 {
                    DecisionSource::Report
                } else {
                    DecisionSource::OwnInitiative
                }),
                decisions::detected_automatically.eq(Flag(item.origin == ItemOrigin::Automated)),
                decisions::scope.eq(affected.as_ref().map_or("", |a| a.scope)),
                decisions::decided_by.eq(Some(me)),
                decisions::created_at.eq(at),
            ))
            .returning(decisions::id)
            .get_result(conn)?;
        super::reversal::audit(conn, decision)?;
        if let Some(affected) = &affected {
            super::statements::issue(
                conn,
                ctx,
                affected.target.author,
                decision,
                &affected.target.title,
                &affected.target.url,
            )?;
        }
        if resolved.is_some() {
            tell_reporters(conn, ctx, &item, decision, previous)?;
        }
        Ok(status)
    })
}

/// Tells every reporter of `item` of `decision` (a reversal on appeal).
pub(crate) fn tell_reporters_of(
    conn: &mut DbConnection,
    ctx: &AppContext,
    item: ReviewItemId,
    decision: DecisionId,
) -> AppResult<()> {
    let item = self::item(conn, item)?;
    tell_reporters(conn, ctx, &item, decision, None)
}

/// The outcome reaches every reporter of the item: members by notification (their preference
/// for `report_outcome`), logged-out reporters by e-mail; it links to the moderation log.
fn tell_reporters(
    conn: &mut DbConnection,
    ctx: &AppContext,
    item: &ReviewItem,
    decision: DecisionId,
    since: Option<chrono::NaiveDateTime>,
) -> AppResult<()> {
    use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
    let title: String = evidence_snapshots::table
        .filter(evidence_snapshots::item_id.eq(item.id))
        .order(evidence_snapshots::id.asc())
        .select(evidence_snapshots::content)
        .first::<String>(conn)
        .optional()?
        .and_then(|c| serde_json::from_str::<Snapshot>(&c).ok())
        .map(|s| s.title)
        .unwrap_or_default();
    let url = format!("/modlog#decision-{}", decision.0);
    let notice = Notice::new(
        Subject::new(SubjectKind::Decision, decision.0),
        url.clone(),
        title.clone(),
    );
    // The reporters of this round only (an earlier decision told the earlier ones), each once.
    let mut round = reports::table
        .filter(reports::item_id.eq(item.id))
        .into_boxed();
    if let Some(since) = since {
        round = round.filter(reports::created_at.gt(since));
    }
    let reporters: Vec<(Option<UserId>, Option<String>)> = round
        .select((reports::reporter_id, reports::reporter_email))
        .load(conn)?;
    let mut told = std::collections::HashSet::new();
    let mut mailed = std::collections::HashSet::new();
    for (member, email) in reporters {
        match (member, email) {
            (Some(member), _) if told.insert(member) => {
                crate::notify::fan_out::notify_subject(
                    ctx,
                    conn,
                    member,
                    Kind::ReportOutcome,
                    &notice,
                )?;
            }
            (None, Some(email)) if mailed.insert(email.to_lowercase()) => {
                crate::notify::mail::enqueue(
                    conn,
                    ctx,
                    crate::notify::mail::Outgoing {
                        user_id: None,
                        to: &email,
                        locale: "en",
                        template: "report_outcome",
                        context: minijinja::context! {
                            title => &title,
                            url => format!("{}{}", ctx.config.base_url(), url),
                        },
                        unsubscribe: None,
                    },
                )?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The public moderation log, newest first: what was decided about what, and why. Moderators'
/// names are shown to staff only.
pub fn modlog(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<ModlogEntry>> {
    type Row = (
        DecisionId,
        TargetKind,
        i64,
        DecisionAction,
        DecisionSource,
        Option<super::model::RuleId>,
        Option<i32>,
        String,
        Option<UserId>,
        chrono::NaiveDateTime,
        Option<chrono::NaiveDateTime>,
        Option<ReviewItemId>,
    );
    let rows: Vec<Row> = decisions::table
        .order(decisions::id.desc())
        .limit(100)
        .select((
            decisions::id,
            decisions::target_kind,
            decisions::target_id,
            decisions::action,
            decisions::source,
            decisions::rule_id,
            decisions::rule_version,
            decisions::explanation,
            decisions::decided_by,
            decisions::created_at,
            decisions::reversed_at,
            decisions::item_id,
        ))
        .load(conn)?;
    let staff = can_review(actor);
    // A signed-in reporter may appeal a decision on what they reported before it.
    let reported: Vec<(ReviewItemId, chrono::NaiveDateTime)> = match actor.user_id() {
        Some(me) => reports::table
            .filter(reports::reporter_id.eq(me))
            .select((reports::item_id, reports::created_at))
            .load(conn)?,
        None => vec![],
    };
    // The public sees decisions about what it may know of (the category is visible to it, even
    // when the decision hid the content), linked while it can still open it, and no escalations
    // (internal notes).
    let mut shown: Vec<(Row, Option<String>)> = vec![];
    for row in rows {
        let (known, url) = match row.1 {
            TargetKind::User => (true, None),
            TargetKind::Post => {
                let thread: Option<ThreadId> = posts::table
                    .find(PostId(row.2))
                    .select(posts::thread_id)
                    .first(conn)
                    .optional()?;
                match thread {
                    Some(thread) => crate::forum::service::moderated_target(
                        conn,
                        actor,
                        Some(PostId(row.2)),
                        thread,
                    )?,
                    None => (false, None),
                }
            }
            TargetKind::Thread => {
                crate::forum::service::moderated_target(conn, actor, None, ThreadId(row.2))?
            }
        };
        if staff || (known && row.3 != DecisionAction::Escalate) {
            shown.push((row, url));
        }
    }
    let rows = shown;
    let ids: Vec<UserId> = rows.iter().filter_map(|(r, _)| r.8).collect();
    let names: std::collections::HashMap<UserId, String> = if staff && !ids.is_empty() {
        users::table
            .filter(users::id.eq_any(&ids))
            .select((users::id, users::username))
            .load::<(UserId, String)>(conn)?
            .into_iter()
            .collect()
    } else {
        Default::default()
    };
    Ok(rows
        .into_iter()
        .map(|(r, url)| ModlogEntry {
            url,
            id: r.0,
            target_kind: r.1,
            target_id: r.2,
            action: r.3,
            source: r.4,
            rule_id: r.5,
            rule_version: r.6,
            summary: r.7.chars().take(200).collect(),
            decided_by: r.8.and_then(|u| names.get(&u).cloned()),
            created_at: r.9,
            reversed_at: r.10,
            appealable_by_me: r.3 != DecisionAction::Escalate
                && reported
                    .iter()
                    .any(|(item, at)| Some(*item) == r.11 && *at <= r.9),
        })
        .collect())
}

/// Puts a post, thread or member in the queue on a moderator's own initiative (no report), so
/// it is decided like any item; returns the item (an open one as it is) and its version.
pub fn open(
    conn: &mut DbConnection,
    actor: &Actor,
    kind: &str,
    target: i64,
) -> AppResult<(ReviewItemId, i32)> {
    require(can_review(actor))?;
    let kind = TargetKind::parse(kind.trim())
        .ok_or_else(|| AppError::invalid_field("target_kind", "error-report-target"))?;
    let snapshot = super::reports::snapshot_of(conn, actor, kind, target)
        .map_err(|_| AppError::invalid_field("target_id", "error-report-target"))?;
    crate::db::write_transaction(conn, |conn| {
        let id = super::reports::raise(
            conn,
            kind,
            target,
            Priority::Normal,
            ItemOrigin::Moderator,
            Some(&snapshot),
        )?;
        let item = item(conn, id)?;
        if about(conn, actor, &item)? {
            return Err(refused(ErrorCode::NotAllowed));
        }
        Ok((item.id, item.version))
    })
}
