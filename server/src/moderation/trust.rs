//! Trust levels, computed from activity with Discourse's thresholds (configurable in
//! `settings`): a daily job for everyone, and at once for the members an event concerns (a post,
//! a reaction, an accepted answer). 0 new, 1 basic, 2 member, 3 regular (the only level that can
//! be lost, after a grace period), 4 leader (set by staff, never by the job).
//!
//! What Discourse measures and Tertulia does not track yet is replaced, and documented: "time
//! spent reading" is not required, "days visited" becomes days since joining, "posts read" is
//! the sum of the last post number read in each thread entered.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Deserialize;

use super::model::*;
use super::settings::{self, Settings};
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{decisions, posts, reactions, sanctions, thread_reads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::events::DomainEvent;
use crate::newtypes::Flag;
use crate::policy::{require, Actor};
use crate::util::now;

pub const JOB_TRUST: &str = "trust_levels";

/// What a member did, as the thresholds count it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub topics_entered: i64,
    pub posts_read: i64,
    pub replied_topics: i64,
    pub likes_given: i64,
    pub likes_received: i64,
    pub recent_replied_topics: i64,
    pub recent_likes_given: i64,
    pub recent_likes_received: i64,
    pub upheld_reports_against: i64,
    pub restricted_recently: bool,
    pub member_days: i64,
}

/// The level `stats` earn, from `current` (reached at `since`): levels are only gained, except
/// level 3, lost once the grace period after reaching it has passed; 4 is never the job's.
pub fn level_for(
    stats: &Stats,
    set: &Settings,
    current: i16,
    since: Option<NaiveDateTime>,
    at: NaiveDateTime,
) -> i16 {
    if current >= 4 {
        return current;
    }
    let basic = stats.topics_entered >= set.i64("tl1_topics_entered")
        && stats.posts_read >= set.i64("tl1_posts_read");
    let member = basic
        && stats.topics_entered >= set.i64("tl2_topics_entered")
        && stats.posts_read >= set.i64("tl2_posts_read")
        && stats.member_days >= set.i64("tl2_days_member")
        && stats.likes_given >= set.i64("tl2_likes_given")
        && stats.likes_received >= set.i64("tl2_likes_received")
        && stats.replied_topics >= set.i64("tl2_replied_topics");
    let regular = member
        && stats.recent_replied_topics >= set.i64("tl3_replied_topics")
        && stats.recent_likes_given >= set.i64("tl3_likes_given")
        && stats.recent_likes_received >= set.i64("tl3_likes_received")
        && stats.topics_entered >= set.i64("tl3_topics_entered")
        && stats.posts_read >= set.i64("tl3_posts_read")
        && stats.upheld_reports_against <= set.i64("tl3_max_upheld_reports")
        && !stats.restricted_recently;
    let earned = if regular {
        3
    } else if member {
        2
    } else if basic {
        1
    } else {
        0
    };
    if current == 3 && earned < 3 {
        let grace = Duration::days(set.i64("tl3_grace_days"));
        return if since.is_some_and(|s| at - s < grace) {
            3
        } else {
            2
        };
    }
    earned.max(current)
}

type Counts = HashMap<UserId, i64>;

fn to_map(rows: Vec<(UserId, i64)>) -> Counts {
    rows.into_iter().collect()
}

/// Everyone's statistics (or only `only`'s), in a few grouped queries.
fn stats(
    conn: &mut DbConnection,
    set: &Settings,
    only: Option<&[UserId]>,
    at: NaiveDateTime,
) -> AppResult<HashMap<UserId, Stats>> {
    let period = at - Duration::days(set.i64("tl3_period_days"));
    let mut people = users::table.into_boxed();
    if let Some(ids) = only {
        people = people.filter(users::id.eq_any(ids.to_vec()));
    }
    let joined: Vec<(UserId, NaiveDateTime)> =
        people.select((users::id, users::created_at)).load(conn)?;
    let ids: Vec<UserId> = joined.iter().map(|(id, _)| *id).collect();
    let reads: Vec<(UserId, i64, Option<i64>)> = thread_reads::table
        .filter(thread_reads::user_id.eq_any(&ids))
        .group_by(thread_reads::user_id)
        .select((
            thread_reads::user_id,
            diesel::dsl::count_star(),
            diesel::dsl::sum(thread_reads::last_read_number),
        ))
        .load(conn)?;
    let ever = NaiveDateTime::default();
    // Threads replied to: distinct (author, thread) pairs, counted here.
    let replied = |conn: &mut DbConnection, since: NaiveDateTime| -> AppResult<Counts> {
        let pairs: Vec<(UserId, crate::forum::model::ThreadId)> = posts::table
            .filter(posts::author_id.eq_any(&ids))
            .filter(posts::number.gt(1))
            .filter(posts::created_at.ge(since))
            .select((posts::author_id, posts::thread_id))
            .distinct()
            .load(conn)?;
        let mut counts = Counts::new();
        for (author, _) in pairs {
            *counts.entry(author).or_default() += 1;
        }
        Ok(counts)
    };
    let given = |conn: &mut DbConnection, since: NaiveDateTime| -> AppResult<Counts> {
        Ok(to_map(
            reactions::table
                .filter(reactions::user_id.eq_any(&ids))
                .filter(reactions::created_at.ge(since))
                .group_by(reactions::user_id)
                .select((reactions::user_id, diesel::dsl::count_star()))
                .load(conn)?,
        ))
    };
    let received = |conn: &mut DbConnection, since: NaiveDateTime| -> AppResult<Counts> {
        Ok(to_map(
            reactions::table
                .inner_join(posts::table)
                .filter(posts::author_id.eq_any(&ids))
                .filter(reactions::created_at.ge(since))
                .group_by(posts::author_id)
                .select((posts::author_id, diesel::dsl::count_star()))
                .load(conn)?,
        ))
    };
    let replied_all = replied(conn, ever)?;
    let replied_recent = replied(conn, period)?;
    let given_all = given(conn, ever)?;
    let given_recent = given(conn, period)?;
    let received_all = received(conn, ever)?;
    let received_recent = received(conn, period)?;
    // Decisions that restricted their posts in the period (reports upheld against them).
    let restricted_posts: Vec<i64> = decisions::table
        .filter(decisions::target_kind.eq(TargetKind::Post))
        .filter(decisions::created_at.ge(period))
        // An overturned decision no longer counts against the member.
        .filter(decisions::reversed_at.is_null())
        .filter(decisions::action.eq_any([
            DecisionAction::Hide,
            DecisionAction::Delete,
            DecisionAction::Edit,
            DecisionAction::Reject,
        ]))
        .select(decisions::target_id)
        .load(conn)?;
    let mut upheld: Counts = HashMap::new();
    for chunk in restricted_posts.chunks(1000) {
        let ids: Vec<crate::forum::model::PostId> = chunk
            .iter()
            .map(|i| crate::forum::model::PostId(*i))
            .collect();
        let authors: Vec<UserId> = posts::table
            .filter(posts::id.eq_any(&ids))
            .select(posts::author_id)
            .load(conn)?;
        for author in authors {
            *upheld.entry(author).or_default() += 1;
        }
    }
    let restricted: Vec<UserId> = sanctions::table
        .inner_join(decisions::table)
        .filter(sanctions::user_id.eq_any(&ids))
        .filter(sanctions::created_at.ge(at - Duration::days(180)))
        .filter(sanctions::kind.ne(DecisionAction::Warning))
        .filter(decisions::reversed_at.is_null())
        .select(sanctions::user_id)
        .load(conn)?;
    let count = |map: &Counts, id: &UserId| map.get(id).copied().unwrap_or(0);
    Ok(joined
        .into_iter()
        .map(|(id, created)| {
            let read = reads.iter().find(|r| r.0 == id);
            (
                id,
                Stats {
                    topics_entered: read.map_or(0, |r| r.1),
                    posts_read: read.and_then(|r| r.2).unwrap_or(0),
                    replied_topics: count(&replied_all, &id),
                    likes_given: count(&given_all, &id),
                    likes_received: count(&received_all, &id),
                    recent_replied_topics: count(&replied_recent, &id),
                    recent_likes_given: count(&given_recent, &id),
                    recent_likes_received: count(&received_recent, &id),
                    upheld_reports_against: count(&upheld, &id),
                    restricted_recently: restricted.contains(&id),
                    member_days: (at - created).num_days(),
                },
            )
        })
        .collect())
}

/// Recomputes the levels of everyone (or of `only`); returns how many changed.
pub fn recompute(conn: &mut DbConnection, only: Option<&[UserId]>) -> AppResult<usize> {
    let set = settings::load(conn)?;
    let at = now();
    let targets: Vec<UserId> = match only {
        Some(ids) => ids.to_vec(),
        None => users::table.select(users::id).load(conn)?,
    };
    let mut changed = 0;
    // In chunks: every query's id list stays short on either database.
    for chunk in targets.chunks(500) {
        changed += recompute_some(conn, &set, chunk, at)?;
    }
    Ok(changed)
}

fn recompute_some(
    conn: &mut DbConnection,
    set: &Settings,
    ids: &[UserId],
    at: NaiveDateTime,
) -> AppResult<usize> {
    let all = stats(conn, set, Some(ids), at)?;
    let current: Vec<(UserId, i16, Option<NaiveDateTime>, Flag)> = users::table
        .filter(users::id.eq_any(ids))
        .select((
            users::id,
            users::trust_level,
            users::trust_level_since,
            users::trust_level_locked,
        ))
        .load(conn)?;
    let mut changed = 0;
    for (id, level, since, locked) in current {
        if locked.0 {
            continue;
        }
        let Some(stats) = all.get(&id) else { continue };
        let new = level_for(stats, set, level, since, at);
        if new != level {
            diesel::update(users::table.find(id))
                .set((
                    users::trust_level.eq(new),
                    users::trust_level_since.eq(Some(at)),
                ))
                .execute(conn)?;
            crate::events::publish(
                conn,
                &DomainEvent::TrustLevelChanged {
                    user_id: id,
                    level: new,
                },
            )?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// The daily job: everyone's level, then the next run in a day.
pub fn run_daily(ctx: &AppContext, conn: &mut DbConnection, _payload: &str) -> Result<(), String> {
    let _ = ctx;
    recompute(conn, None).map_err(|e| format!("{e:?}"))?;
    schedule(conn, now() + Duration::days(1), false).map_err(|e| format!("{e:?}"))
}

fn schedule(conn: &mut DbConnection, at: NaiveDateTime, count_due: bool) -> AppResult<()> {
    crate::jobs::schedule_once(conn, JOB_TRUST, at, !count_due)
}

/// Makes sure the daily run is scheduled (called when a worker starts).
pub fn schedule_daily(ctx: &AppContext) {
    let result = ctx
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut conn| schedule(&mut conn, now(), true));
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule trust levels");
    }
}

/// Subscriber: the members an event concerns are re-levelled at once.
pub fn on_event(_ctx: &AppContext, conn: &mut DbConnection, event: &DomainEvent) -> AppResult<()> {
    let (post, by) = match *event {
        DomainEvent::PostCreated { post_id } => (post_id, None),
        DomainEvent::ReactionAdded { post_id, by }
        | DomainEvent::AnswerAccepted { post_id, by } => (post_id, Some(by)),
        _ => return Ok(()),
    };
    let author: Option<UserId> = posts::table
        .find(post)
        .select(posts::author_id)
        .first(conn)
        .optional()?;
    let people: Vec<UserId> = author.into_iter().chain(by).collect();
    recompute(conn, Some(&people))?;
    Ok(())
}

/// Staff set a member's level by hand (4, leader, is only set this way); `locked` keeps the
/// job from changing it.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct TrustLevelForm {
    /// 0–4.
    #[serde(deserialize_with = "crate::forum::model::optional_number")]
    pub level: Option<i16>,
    /// Keep the job from changing it (always for 4). Default true.
    #[serde(default = "yes", deserialize_with = "crate::forum::model::checkbox")]
    pub locked: bool,
}

fn yes() -> bool {
    true
}

/// Who sets levels by hand: the community manager and admins.
pub fn can_set_level(actor: &Actor) -> bool {
    actor.role().is_some_and(|r| r >= Role::CommunityManager)
}

pub fn set_level(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    form: &TrustLevelForm,
) -> AppResult<i16> {
    require(can_set_level(actor))?;
    let level = form
        .level
        .filter(|l| (0..=4).contains(l))
        .ok_or_else(|| AppError::invalid_field("level", "error-trust-level"))?;
    let target: UserId = users::table
        .filter(users::username_normalized.eq(username.trim().to_lowercase()))
        .select(users::id)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(crate::error::ErrorKind::NotFound))?;
    diesel::update(users::table.find(target))
        .set((
            users::trust_level.eq(level),
            users::trust_level_since.eq(Some(now())),
            users::trust_level_locked.eq(Flag(form.locked || level == 4)),
        ))
        .execute(conn)?;
    crate::events::publish(
        conn,
        &DomainEvent::TrustLevelChanged {
            user_id: target,
            level,
        },
    )?;
    Ok(level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Settings {
        Settings::defaults()
    }

    fn at() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc()
    }

    #[test]
    fn thresholds_follow_discourse() {
        let set = defaults();
        let mut s = Stats::default();
        assert_eq!(level_for(&s, &set, 0, None, at()), 0);
        s.topics_entered = 5;
        s.posts_read = 30;
        assert_eq!(level_for(&s, &set, 0, None, at()), 1);
        s.topics_entered = 20;
        s.posts_read = 100;
        s.member_days = 15;
        s.likes_given = 1;
        s.likes_received = 1;
        s.replied_topics = 3;
        assert_eq!(level_for(&s, &set, 1, None, at()), 2);
        s.topics_entered = 200;
        s.posts_read = 500;
        s.recent_replied_topics = 10;
        s.recent_likes_given = 30;
        s.recent_likes_received = 20;
        assert_eq!(level_for(&s, &set, 2, None, at()), 3);
        s.restricted_recently = true;
        assert_eq!(
            level_for(&s, &set, 2, None, at()),
            2,
            "a recent sanction bars level 3"
        );
    }

    #[test]
    fn only_level_three_is_lost_and_after_the_grace_period() {
        let set = defaults();
        let idle = Stats::default();
        assert_eq!(level_for(&idle, &set, 2, None, at()), 2, "levels 1-2 stay");
        let recently = Some(at() - Duration::days(3));
        assert_eq!(level_for(&idle, &set, 3, recently, at()), 3, "grace period");
        let long_ago = Some(at() - Duration::days(30));
        assert_eq!(level_for(&idle, &set, 3, long_ago, at()), 2);
        assert_eq!(
            level_for(&idle, &set, 4, long_ago, at()),
            4,
            "4 is set by staff"
        );
    }
}
