//! Points: an append-only ledger (`points_ledger`) and its roll-up per period and category
//! (`leaderboard_scores`), both written in one transaction. What a post earns is reconciled as
//! a whole whenever something about it changes (`reconcile`): each item it should pay for now
//! (the post itself, each member's reaction, being the accepted answer) is credited once, and
//! each item credited that no longer holds (the post hidden or deleted, a reaction withdrawn,
//! the answer unaccepted) is reversed by an entry of the opposite amount counted in the
//! periods of its credit. So reversals are exact, whatever the settings say today, and
//! processing an event twice changes nothing.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, SmallInt, Timestamp};

use super::model::{Period, PointAction};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{points_ledger, posts, reactions, threads};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::events::DomainEvent;
use crate::forum::model::{CategoryId, ContentState, Post, PostId, Thread};
use crate::moderation::settings;
use crate::util::now;

/// When a period that contains `at` starts (all time: the epoch).
pub fn period_start(period: Period, at: NaiveDateTime) -> NaiveDateTime {
    let day = at.date();
    let start = match period {
        Period::All => NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or(day),
        Period::Week => day - Duration::days(i64::from(day.weekday().num_days_from_monday())),
        Period::Month => day.with_day(1).unwrap_or(day),
    };
    start.and_hms_opt(0, 0, 0).unwrap_or(at)
}

/// Adds `points` to `user` in every period containing `at`, overall and in `category`.
fn roll_up(
    conn: &mut DbConnection,
    user: UserId,
    category: Option<CategoryId>,
    at: NaiveDateTime,
    points: i32,
) -> AppResult<()> {
    for period in [Period::All, Period::Week, Period::Month] {
        let starts = period_start(period, at);
        for category in std::iter::once(0).chain(category.map(|c| c.0)) {
            diesel::sql_query(
                "INSERT INTO leaderboard_scores (period, starts_at, category_id, user_id, points) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (period, starts_at, category_id, user_id) \
                 DO UPDATE SET points = leaderboard_scores.points + excluded.points",
            )
            .bind::<SmallInt, _>(period)
            .bind::<Timestamp, _>(starts)
            .bind::<BigInt, _>(category)
            .bind::<BigInt, _>(user)
            .bind::<Integer, _>(points)
            .execute(conn)?;
        }
    }
    Ok(())
}

/// One entry: the ledger row and its roll-up.
#[allow(clippy::too_many_arguments)]
fn append(
    conn: &mut DbConnection,
    user: UserId,
    action: PointAction,
    amount: i32,
    post: PostId,
    category: CategoryId,
    item: &str,
    credited_at: NaiveDateTime,
) -> AppResult<()> {
    diesel::insert_into(points_ledger::table)
        .values((
            points_ledger::user_id.eq(user),
            points_ledger::action.eq(action),
            points_ledger::amount.eq(amount),
            points_ledger::post_id.eq(Some(post)),
            points_ledger::category_id.eq(Some(category)),
            points_ledger::item.eq(item),
            points_ledger::credited_at.eq(credited_at),
            points_ledger::created_at.eq(now()),
        ))
        .execute(conn)?;
    roll_up(conn, user, Some(category), credited_at, amount)
}

/// What one item of a post has in the ledger: its balance, and its credit's member, action,
/// category and time.
struct Balance {
    amount: i32,
    user: UserId,
    action: PointAction,
    category: CategoryId,
    credited_at: NaiveDateTime,
}

/// Brings a post's ledger in line with what it should pay for now.
pub fn reconcile(conn: &mut DbConnection, post: PostId) -> AppResult<()> {
    let found: Option<(Post, Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::id.eq(post))
        .select((Post::as_select(), Thread::as_select()))
        .first(conn)
        .optional()?;
    let Some((post, thread)) = found else {
        return Ok(());
    };
    let set = settings::load(conn)?;
    // What it should pay for: (item, member, action).
    let mut due: Vec<(String, UserId, PointAction)> = vec![];
    if post.state == ContentState::Visible && thread.state == ContentState::Visible {
        let action = if post.number == 1 {
            PointAction::ThreadStarted
        } else {
            PointAction::ReplyPosted
        };
        due.push(("post".into(), post.author_id, action));
        let mut reactors: Vec<UserId> = reactions::table
            .filter(reactions::post_id.eq(post.id))
            .filter(reactions::user_id.ne(post.author_id))
            .select(reactions::user_id)
            .load(conn)?;
        reactors.sort();
        reactors.dedup();
        for by in reactors {
            due.push((
                format!("reaction:{}", by.0),
                post.author_id,
                PointAction::ReactionReceived,
            ));
        }
        if thread.accepted_post_id == Some(post.id) && post.number > 1 {
            due.push((
                "accepted".into(),
                post.author_id,
                PointAction::AnswerAccepted,
            ));
        }
    }
    let rows: Vec<(
        String,
        i32,
        UserId,
        PointAction,
        Option<CategoryId>,
        NaiveDateTime,
    )> = points_ledger::table
        .filter(points_ledger::post_id.eq(post.id))
        .order(points_ledger::id.asc())
        .select((
            points_ledger::item,
            points_ledger::amount,
            points_ledger::user_id,
            points_ledger::action,
            points_ledger::category_id,
            points_ledger::credited_at,
        ))
        .load(conn)?;
    let mut balances: HashMap<String, Balance> = HashMap::new();
    for (item, amount, user, action, category, credited_at) in rows {
        let balance = balances.entry(item).or_insert(Balance {
            amount: 0,
            user,
            action,
            category: category.unwrap_or(thread.category_id),
            credited_at,
        });
        balance.amount += amount;
        if amount > 0 {
            balance.user = user;
            balance.credited_at = credited_at;
            balance.category = category.unwrap_or(thread.category_id);
        }
    }
    let at = now();
    for (item, user, action) in &due {
        let owed = set.points(*action);
        let credited = balances.get(item).is_some_and(|b| b.amount != 0);
        if !credited && owed != 0 {
            append(
                conn,
                *user,
                *action,
                owed,
                post.id,
                thread.category_id,
                item,
                at,
            )?;
        }
    }
    for (item, balance) in &balances {
        if balance.amount != 0 && !due.iter().any(|(i, ..)| i == item) {
            append(
                conn,
                balance.user,
                balance.action,
                -balance.amount,
                post.id,
                balance.category,
                item,
                balance.credited_at,
            )?;
        }
    }
    Ok(())
}

/// Subscriber: the post an event is about is reconciled (and the one it replaced as the answer,
/// which publishes its own `post_changed`).
pub fn on_event(_ctx: &AppContext, conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    match *event {
        DomainEvent::PostCreated { post_id }
        | DomainEvent::PostChanged { post_id }
        | DomainEvent::ReactionAdded { post_id, .. }
        | DomainEvent::AnswerAccepted { post_id, .. } => reconcile(conn, post_id),
        _ => Ok(()),
    }
}

/// A member's points over a period (the ledger's roll-up).
pub fn total(
    conn: &mut DbConnection,
    user: UserId,
    period: Period,
    category: i64,
) -> AppResult<i32> {
    use crate::db::schema::leaderboard_scores as s;
    Ok(s::table
        .filter(s::period.eq(period))
        .filter(s::starts_at.eq(period_start(period, now())))
        .filter(s::category_id.eq(category))
        .filter(s::user_id.eq(user))
        .select(s::points)
        .first(conn)
        .optional()?
        .unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_start_on_monday_and_the_first() {
        let at = NaiveDate::from_ymd_opt(2026, 12, 3)
            .unwrap()
            .and_hms_opt(15, 4, 5)
            .unwrap();
        assert_eq!(
            period_start(Period::Week, at).to_string(),
            "2026-11-30 00:00:00"
        );
        assert_eq!(
            period_start(Period::Month, at).to_string(),
            "2026-12-01 00:00:00"
        );
        assert_eq!(
            period_start(Period::All, at).to_string(),
            "1970-01-01 00:00:00"
        );
    }
}
