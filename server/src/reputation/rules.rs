//! The built-in badges and their rules. A rule is a read-only query: given some members, what
//! have they earned now (`Earned`: the member, the item for badges earned more than once, the
//! post that earned it, when). The same function serves the domain events that can change it
//! (`triggers`, by `DomainEvent::name`) and the backfill, which walks every member in batches.
//! A domain adds a badge by adding a `Rule` here with the events it publishes as triggers; the
//! events issue only registered `attendance_marked`.

use std::collections::HashMap;

use chrono::{Duration, NaiveDateTime};
use diesel::dsl::{count_star, min};
use diesel::prelude::*;

use super::model::Tier;
use crate::accounts::model::UserId;
use crate::calendar::model::EventState;
use crate::db::schema::{
    event_hosts, event_occurrences, event_rsvps, events, posts, reactions, threads, users,
};
use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::{ContentState, PostId};
use crate::util::now;

/// What a member has earned under a rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Earned {
    pub user: UserId,
    /// Which time, for a badge earned more than once (a year, an event); 0 otherwise.
    pub item: i64,
    pub post: Option<PostId>,
    pub at: NaiveDateTime,
}

pub struct Rule {
    pub slug: &'static str,
    pub tier: Tier,
    pub icon: &'static str,
    /// Earned once per item (`Earned::item`).
    pub multiple: bool,
    /// Removed when the rule stops holding for its member.
    pub revocable: bool,
    /// The domain events that can change what it grants (the nightly backfill covers the rest).
    pub triggers: &'static [&'static str],
    pub earned: fn(&mut DbConnection, &[UserId]) -> AppResult<Vec<Earned>>,
}

/// The slug of the first-week path's badge (granted when `first_week` says the path is done).
pub const FIRST_WEEK: &str = "first_week";

const POSTS: &[&str] = &["post_created", "post_changed"];
const REACTIONS: &[&str] = &["reaction_added", "post_changed"];
const ACCEPTED: &[&str] = &["answer_accepted", "post_changed"];
const HELPFUL: &[&str] = &["reaction_added", "answer_accepted", "post_changed"];
const TRUST: &[&str] = &["trust_level_changed"];
const ATTENDANCE: &[&str] = &["attendance_marked"];
const PATH: &[&str] = &["post_created", "reaction_added"];

pub const RULES: &[Rule] = &[
    rule("first_post", Tier::Bronze, "seedling", POSTS, first_post),
    rule(
        "first_helpful_reply",
        Tier::Bronze,
        "hand",
        HELPFUL,
        first_helpful_reply,
    ),
    rule(
        "first_accepted",
        Tier::Bronze,
        "check",
        ACCEPTED,
        first_accepted,
    ),
    revocable("solver_10", Tier::Silver, "medal", ACCEPTED, solver_10),
    revocable("solver_50", Tier::Gold, "trophy", ACCEPTED, solver_50),
    revocable("helpful_10", Tier::Bronze, "heart", REACTIONS, helpful_10),
    revocable("helpful_50", Tier::Silver, "heart", REACTIONS, helpful_50),
    revocable("helpful_100", Tier::Gold, "heart", REACTIONS, helpful_100),
    rule(FIRST_WEEK, Tier::Bronze, "sparkles", PATH, first_week),
    Rule {
        multiple: true,
        ..rule("anniversary", Tier::Silver, "cup", &[], anniversary)
    },
    Rule {
        multiple: true,
        ..rule(
            "event_attendee",
            Tier::Bronze,
            "calendar",
            ATTENDANCE,
            attendee,
        )
    },
    rule("event_host", Tier::Silver, "mic", ATTENDANCE, host),
    rule("trust_1", Tier::Bronze, "key", TRUST, trust_1),
    rule("trust_2", Tier::Bronze, "key", TRUST, trust_2),
    revocable("trust_3", Tier::Silver, "shield", TRUST, trust_3),
    rule("trust_4", Tier::Gold, "shield", TRUST, trust_4),
];

const fn rule(
    slug: &'static str,
    tier: Tier,
    icon: &'static str,
    triggers: &'static [&'static str],
    earned: fn(&mut DbConnection, &[UserId]) -> AppResult<Vec<Earned>>,
) -> Rule {
    Rule {
        slug,
        tier,
        icon,
        multiple: false,
        revocable: false,
        triggers,
        earned,
    }
}

const fn revocable(
    slug: &'static str,
    tier: Tier,
    icon: &'static str,
    triggers: &'static [&'static str],
    earned: fn(&mut DbConnection, &[UserId]) -> AppResult<Vec<Earned>>,
) -> Rule {
    Rule {
        revocable: true,
        ..rule(slug, tier, icon, triggers, earned)
    }
}

pub fn find(slug: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.slug == slug)
}

/// When each of `ids` was written.
fn times(conn: &mut DbConnection, ids: &[PostId]) -> AppResult<HashMap<PostId, NaiveDateTime>> {
    Ok(posts::table
        .filter(posts::id.eq_any(ids))
        .select((posts::id, posts::created_at))
        .load::<(PostId, NaiveDateTime)>(conn)?
        .into_iter()
        .collect())
}

/// One grant per member from (member, post) pairs, at the post's time.
fn at_posts(conn: &mut DbConnection, pairs: Vec<(UserId, PostId)>) -> AppResult<Vec<Earned>> {
    let ids: Vec<PostId> = pairs.iter().map(|(_, p)| *p).collect();
    let when = times(conn, &ids)?;
    Ok(pairs
        .into_iter()
        .map(|(user, post)| Earned {
            user,
            item: 0,
            post: Some(post),
            at: when.get(&post).copied().unwrap_or_else(now),
        })
        .collect())
}

/// Each member's first post that everyone can read.
fn first_post(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let firsts: Vec<(UserId, Option<PostId>)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq_any(users))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .group_by(posts::author_id)
        .select((posts::author_id, min(posts::id)))
        .load(conn)?;
    let pairs = firsts
        .into_iter()
        .filter_map(|(u, p)| p.map(|p| (u, p)))
        .collect();
    at_posts(conn, pairs)
}

/// Accepted answers (visible, in visible threads) of these members, oldest first.
fn accepted(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<(UserId, PostId)>> {
    Ok(threads::table
        .inner_join(posts::table.on(threads::accepted_post_id.eq(posts::id.nullable())))
        .filter(posts::author_id.eq_any(users))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .order(posts::id.asc())
        .select((posts::author_id, posts::id))
        .load(conn)?)
}

/// The `n`-th accepted answer of each member who has that many.
fn nth_accepted(conn: &mut DbConnection, users: &[UserId], n: usize) -> AppResult<Vec<Earned>> {
    let mut by_user: HashMap<UserId, Vec<PostId>> = HashMap::new();
    for (user, post) in accepted(conn, users)? {
        by_user.entry(user).or_default().push(post);
    }
    let pairs = by_user
        .into_iter()
        .filter_map(|(user, posts)| posts.get(n - 1).map(|p| (user, *p)))
        .collect();
    at_posts(conn, pairs)
}

fn first_accepted(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    nth_accepted(conn, users, 1)
}

fn solver_10(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    nth_accepted(conn, users, 10)
}

fn solver_50(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    nth_accepted(conn, users, 50)
}

/// A member's first reply that another member reacted to, or that was accepted.
fn first_helpful_reply(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let reacted: Vec<(UserId, Option<PostId>)> = posts::table
        .inner_join(threads::table)
        .inner_join(reactions::table)
        .filter(posts::author_id.eq_any(users))
        .filter(posts::number.gt(1))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(reactions::user_id.ne(posts::author_id))
        .group_by(posts::author_id)
        .select((posts::author_id, min(posts::id)))
        .load(conn)?;
    let mut first: HashMap<UserId, PostId> = HashMap::new();
    for (user, post) in reacted
        .into_iter()
        .filter_map(|(u, p)| p.map(|p| (u, p)))
        .chain(accepted(conn, users)?)
    {
        let entry = first.entry(user).or_insert(post);
        if post < *entry {
            *entry = post;
        }
    }
    at_posts(conn, first.into_iter().collect())
}

/// Members with at least `n` reactions from others on their visible posts.
fn reactions_received(conn: &mut DbConnection, users: &[UserId], n: i64) -> AppResult<Vec<Earned>> {
    let counts: Vec<(UserId, i64)> = posts::table
        .inner_join(threads::table)
        .inner_join(reactions::table)
        .filter(posts::author_id.eq_any(users))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(reactions::user_id.ne(posts::author_id))
        .group_by(posts::author_id)
        .select((posts::author_id, count_star()))
        .load(conn)?;
    let at = now();
    Ok(counts
        .into_iter()
        .filter(|(_, c)| *c >= n)
        .map(|(user, _)| Earned {
            user,
            item: 0,
            post: None,
            at,
        })
        .collect())
}

fn helpful_10(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    reactions_received(conn, users, 10)
}

fn helpful_50(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    reactions_received(conn, users, 50)
}

fn helpful_100(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    reactions_received(conn, users, 100)
}

/// Members whose first-week path is done.
fn first_week(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let done: Vec<UserId> = users::table
        .filter(users::id.eq_any(users))
        .filter(users::first_week.eq(super::first_week::ALL))
        .select(users::id)
        .load(conn)?;
    let at = now();
    Ok(done
        .into_iter()
        .map(|user| Earned {
            user,
            item: 0,
            post: None,
            at,
        })
        .collect())
}

/// A year of membership with a post in the year before (item: the number of years), granted
/// from the anniversary on.
fn anniversary(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let at = now();
    let joined: Vec<(UserId, NaiveDateTime)> = users::table
        .filter(users::id.eq_any(users))
        .filter(users::created_at.le(at - Duration::days(365)))
        .select((users::id, users::created_at))
        .load(conn)?;
    if joined.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<UserId> = joined.iter().map(|(u, _)| *u).collect();
    let recent: Vec<UserId> = posts::table
        .filter(posts::author_id.eq_any(&ids))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(posts::created_at.gt(at - Duration::days(365)))
        .select(posts::author_id)
        .distinct()
        .load(conn)?;
    Ok(joined
        .into_iter()
        .filter(|(u, _)| recent.contains(u))
        .map(|(user, since)| {
            let years = (at - since).num_days() / 365;
            Earned {
                user,
                item: years,
                post: None,
                at: since + Duration::days(365 * years),
            }
        })
        .collect())
}

/// One grant per event a member was checked in to.
fn attendee(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let rows: Vec<(UserId, i64, Option<NaiveDateTime>)> = event_rsvps::table
        .inner_join(event_occurrences::table)
        .filter(event_rsvps::user_id.eq_any(users))
        .filter(event_rsvps::checked_in_at.is_not_null())
        .select((
            event_rsvps::user_id,
            event_occurrences::event_id,
            event_rsvps::checked_in_at,
        ))
        .load(conn)?;
    let mut first: HashMap<(UserId, i64), NaiveDateTime> = HashMap::new();
    for (user, event, at) in rows {
        let at = at.unwrap_or_else(now);
        let entry = first.entry((user, event)).or_insert(at);
        *entry = (*entry).min(at);
    }
    Ok(first
        .into_iter()
        .map(|((user, item), at)| Earned {
            user,
            item,
            post: None,
            at,
        })
        .collect())
}

/// Members who hosted (or created) an event whose date has begun and was not cancelled.
fn host(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    let at = now();
    let hosted: Vec<(UserId, NaiveDateTime)> = event_hosts::table
        .inner_join(events::table.inner_join(event_occurrences::table))
        .filter(event_hosts::user_id.eq_any(users))
        .filter(event_occurrences::starts_at.le(at))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .select((event_hosts::user_id, event_occurrences::starts_at))
        .load(conn)?;
    let created: Vec<(UserId, NaiveDateTime)> = events::table
        .inner_join(event_occurrences::table)
        .filter(events::author_id.eq_any(users))
        .filter(event_occurrences::starts_at.le(at))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .select((events::author_id, event_occurrences::starts_at))
        .load(conn)?;
    let mut first: HashMap<UserId, NaiveDateTime> = HashMap::new();
    for (user, start) in hosted.into_iter().chain(created) {
        let entry = first.entry(user).or_insert(start);
        *entry = (*entry).min(start);
    }
    Ok(first
        .into_iter()
        .map(|(user, at)| Earned {
            user,
            item: 0,
            post: None,
            at,
        })
        .collect())
}

fn trust(conn: &mut DbConnection, users: &[UserId], level: i16) -> AppResult<Vec<Earned>> {
    let rows: Vec<(UserId, Option<NaiveDateTime>)> = users::table
        .filter(users::id.eq_any(users))
        .filter(users::trust_level.ge(level))
        .select((users::id, users::trust_level_since))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, since)| Earned {
            user,
            item: 0,
            post: None,
            at: since.unwrap_or_else(now),
        })
        .collect())
}

fn trust_1(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    trust(conn, users, 1)
}

fn trust_2(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    trust(conn, users, 2)
}

fn trust_3(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    trust(conn, users, 3)
}

fn trust_4(conn: &mut DbConnection, users: &[UserId]) -> AppResult<Vec<Earned>> {
    trust(conn, users, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_badge_is_named_described_and_explained_in_every_language() {
        let i18n = crate::view::i18n::I18n::load().unwrap();
        for locale in ["en", "es"] {
            let ids = i18n.message_ids(locale);
            for rule in RULES {
                for part in ["name", "description", "how"] {
                    let key = format!("badge-{}-{part}", rule.slug.replace('_', "-"));
                    assert!(ids.contains(&key), "{locale}: no {key}");
                }
            }
        }
    }

    #[test]
    fn slugs_are_unique_and_triggers_are_real_events() {
        let mut seen = vec![];
        for rule in RULES {
            assert!(!seen.contains(&rule.slug), "two rules named {}", rule.slug);
            seen.push(rule.slug);
            assert!(
                super::super::model::ICONS.contains(&rule.icon),
                "{}",
                rule.slug
            );
            for trigger in rule.triggers {
                assert!(
                    crate::events::NAMES.contains(trigger),
                    "{}: no event {trigger}",
                    rule.slug
                );
            }
        }
    }
}
