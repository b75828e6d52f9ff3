//! Leaderboards for this week, this month and all time, overall or per category, read from
//! the roll-up (`leaderboard_scores`), never the ledger. Dense ranking (equal points share a
//! rank; the next rank follows on). Staff (moderators and above, brand staff), suspended
//! members and members who opted out are left out.

use diesel::prelude::*;

use super::model::*;
use super::points::period_start;
use crate::accounts::model::{Role, UserId};
use crate::db::schema::{leaderboard_scores as s, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::newtypes::Flag;
use crate::policy::Actor;
use crate::util::now;

/// Lines shown.
pub const LIMIT: i64 = 100;

/// Ranks (points-descending) lines: equal points share a rank.
pub fn dense_ranks(points: &[i32]) -> Vec<i64> {
    let mut ranks = Vec::with_capacity(points.len());
    let mut rank = 0;
    let mut last = None;
    for p in points {
        if last != Some(*p) {
            rank += 1;
            last = Some(*p);
        }
        ranks.push(rank);
    }
    ranks
}

/// The board for `period` (and a category's slug), with the reader's own line.
pub fn board(
    conn: &mut DbConnection,
    actor: &Actor,
    period: &str,
    category: Option<&str>,
) -> AppResult<Leaderboard> {
    let period = match period.trim() {
        "" => Period::Week,
        text => Period::parse(text)
            .ok_or_else(|| AppError::invalid_field("period", "error-leaderboard-period"))?,
    };
    let category = match category.map(str::trim).filter(|c| !c.is_empty()) {
        None => None,
        Some(slug) => Some(
            crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .find(|c| c.slug == slug)
                .ok_or_else(|| AppError::invalid_field("category", "error-leaderboard-category"))?,
        ),
    };
    let at = now();
    let starts_at = period_start(period, at);
    let category_id = category.as_ref().map_or(0, |c| c.id.0);
    let eligible = || {
        s::table
            .inner_join(users::table)
            .filter(s::period.eq(period))
            .filter(s::starts_at.eq(starts_at))
            .filter(s::category_id.eq(category_id))
            .filter(s::points.gt(0))
            .filter(users::role.eq(Role::Member))
            .filter(users::department.is_null())
            .filter(users::leaderboard_opt_out.eq(Flag(false)))
            .filter(
                users::suspended_until
                    .is_null()
                    .or(users::suspended_until.lt(at)),
            )
    };
    let rows: Vec<(UserId, String, String, i32)> = eligible()
        .order((s::points.desc(), users::username.asc()))
        .limit(LIMIT)
        .select((users::id, users::username, users::display_name, s::points))
        .load(conn)?;
    let ranks = dense_ranks(&rows.iter().map(|r| r.3).collect::<Vec<_>>());
    let me = actor.user_id();
    let mut mine = None;
    let standings: Vec<Standing> = rows
        .into_iter()
        .zip(ranks)
        .map(|((id, username, display_name, points), rank)| {
            let line = Standing {
                rank,
                username,
                display_name,
                points,
            };
            if Some(id) == me {
                mine = Some(line.clone());
            }
            line
        })
        .collect();
    let (mut my_points, mut opted_out) = (None, false);
    if let Some(user) = actor.user.as_ref() {
        let points = super::points::total(conn, user.id, period, category_id)?;
        my_points = Some(points);
        opted_out = users::table
            .find(user.id)
            .select(users::leaderboard_opt_out)
            .first::<Flag>(conn)?
            .0;
        if mine.is_none() && points > 0 && !opted_out {
            // Below the lines shown: the rank is one more than the distinct higher scores.
            let higher: Vec<i32> = eligible()
                .filter(s::points.gt(points))
                .select(s::points)
                .distinct()
                .load(conn)?;
            mine = eligible()
                .filter(s::user_id.eq(user.id))
                .select(s::points)
                .first::<i32>(conn)
                .optional()?
                .map(|points| Standing {
                    rank: higher.len() as i64 + 1,
                    username: user.username.clone(),
                    display_name: user.display_name.clone(),
                    points,
                });
        }
    }
    Ok(Leaderboard {
        period,
        category: category.map(|c| c.slug),
        starts_at,
        standings,
        mine,
        my_points,
        opted_out,
    })
}

/// A member's choice to appear on leaderboards or not.
pub fn set_opt_out(conn: &mut DbConnection, actor: &Actor, out: bool) -> AppResult<()> {
    let user = actor.require_user()?.id;
    diesel::update(users::table.find(user))
        .set(users::leaderboard_opt_out.eq(Flag(out)))
        .execute(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_follows_on() {
        assert_eq!(dense_ranks(&[30, 20, 20, 10, 5, 5]), vec![1, 2, 2, 3, 4, 4]);
        assert!(dense_ranks(&[]).is_empty());
    }
}
