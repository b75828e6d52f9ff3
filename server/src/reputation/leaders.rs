//! The community manager's "potential leaders" report: members (staff and the recently
//! sanctioned left out) ranked over a period, optionally in one category, by what makes a
//! community leader: accepted answers, replies to newcomers' first threads, reactions received
//! per post, reports that moderators agreed with, breadth across categories and consistency
//! (active weeks out of the last 12). Each measure is shown; the score weighs them (`score`).
//! From the report the community manager nominates ambassadors (`ambassadors`).

use std::collections::{HashMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::{Role, UserId};
use crate::db::schema::{decisions, posts, reactions, reports, sanctions, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{CategoryId, ContentState, PostId, ThreadId};
use crate::moderation::model::DecisionAction;
use crate::policy::{require, Actor};
use crate::util::now;

/// Who reads the report: the community manager and admins.
pub fn can_read(actor: &Actor) -> bool {
    actor.role().is_some_and(|r| r >= Role::CommunityManager)
}

/// Lines in the report.
pub const LIMIT: usize = 100;
/// A sanction this recent keeps a member out of the report.
pub const SANCTION_DAYS: i64 = 90;

#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct LeadersQuery {
    /// First day (`YYYY-MM-DD`); default 90 days before `to`.
    #[serde(default)]
    pub from: Option<String>,
    /// Day after the last (`YYYY-MM-DD`); default tomorrow.
    #[serde(default)]
    pub to: Option<String>,
    /// A category's slug: only what happened there.
    #[serde(default)]
    pub category: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct Leader {
    pub rank: usize,
    pub username: String,
    pub display_name: String,
    pub score: i64,
    pub posts: i64,
    pub accepted_answers: i64,
    /// Replies to newcomers' first threads.
    pub newcomer_replies: i64,
    /// Reactions from others per post, to two decimals.
    pub reactions_per_post: f64,
    /// Reports they filed that moderators agreed with (the content was restricted).
    pub agreed_reports: i64,
    /// Categories they posted in.
    pub categories: i64,
    /// Weeks with a post out of the last 12.
    pub active_weeks: i64,
    /// An ambassador nomination is pending or accepted.
    pub nominated: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Report {
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub from: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub to: NaiveDateTime,
    pub category: Option<String>,
    pub leaders: Vec<Leader>,
}

/// The weights of the score: what the community manager reads first.
pub fn score(l: &Leader) -> i64 {
    l.accepted_answers * 10
        + l.newcomer_replies * 5
        + (l.reactions_per_post * 5.0).round() as i64
        + l.agreed_reports * 3
        + l.categories * 2
        + l.active_weeks * 2
}

fn day(text: Option<&str>, field: &'static str) -> AppResult<Option<NaiveDateTime>> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => NaiveDate::parse_from_str(t, "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(Some)
            .ok_or_else(|| AppError::invalid_field(field, "error-leaders-date")),
    }
}

pub fn report(conn: &mut DbConnection, actor: &Actor, query: &LeadersQuery) -> AppResult<Report> {
    require(can_read(actor))?;
    let at = now();
    let to = day(query.to.as_deref(), "to")?.unwrap_or_else(|| {
        (at + Duration::days(1))
            .date()
            .and_hms_opt(0, 0, 0)
            .unwrap_or(at)
    });
    let from = day(query.from.as_deref(), "from")?.unwrap_or(to - Duration::days(90));
    if from >= to || to - from > Duration::days(3660) {
        return Err(AppError::invalid_field("from", "error-leaders-period"));
    }
    let category = match query
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(slug) => Some(
            crate::policy::visible_categories(conn, actor)?
                .into_iter()
                .find(|c| c.slug == slug)
                .ok_or_else(|| AppError::invalid_field("category", "error-leaderboard-category"))?,
        ),
    };
    let in_category = category.as_ref().map(|c| c.id);
    // Posts everyone can read in the period (and, for consistency, the last 12 weeks).
    let since = from.min(to - Duration::weeks(12));
    let mut q = posts::table
        .inner_join(threads::table)
        .inner_join(users::table)
        .filter(posts::created_at.ge(since))
        .filter(posts::created_at.lt(to))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(users::role.eq(Role::Member))
        .filter(users::department.is_null())
        .into_boxed();
    if let Some(c) = in_category {
        q = q.filter(threads::category_id.eq(c));
    }
    type Row = (
        PostId,
        UserId,
        ThreadId,
        CategoryId,
        NaiveDateTime,
        i32,
        UserId,
    );
    let rows: Vec<Row> = q
        .select((
            posts::id,
            posts::author_id,
            posts::thread_id,
            threads::category_id,
            posts::created_at,
            posts::number,
            threads::author_id,
        ))
        .load(conn)?;
    let mut leaders: HashMap<UserId, Leader> = HashMap::new();
    let mut weeks: HashMap<UserId, HashSet<i64>> = HashMap::new();
    let mut cats: HashMap<UserId, HashSet<CategoryId>> = HashMap::new();
    let mut period_posts: Vec<PostId> = vec![];
    let mut replies_to: Vec<(UserId, ThreadId, UserId)> = vec![];
    for (id, author, thread, cat, created, number, thread_author) in &rows {
        let week = (to - *created).num_weeks();
        if week < 12 {
            weeks.entry(*author).or_default().insert(week);
        }
        if *created < from {
            continue;
        }
        let line = leaders.entry(*author).or_default();
        line.posts += 1;
        cats.entry(*author).or_default().insert(*cat);
        period_posts.push(*id);
        if *number > 1 && thread_author != author {
            replies_to.push((*author, *thread, *thread_author));
        }
    }
    // Replies in threads that were their author's first.
    let askers: Vec<UserId> = {
        let mut a: Vec<UserId> = replies_to.iter().map(|r| r.2).collect();
        a.sort();
        a.dedup();
        a
    };
    let mut first_thread: HashMap<UserId, ThreadId> = HashMap::new();
    for chunk in askers.chunks(500) {
        let firsts: Vec<(UserId, Option<ThreadId>)> = threads::table
            .filter(threads::author_id.eq_any(chunk))
            .group_by(threads::author_id)
            .select((threads::author_id, diesel::dsl::min(threads::id)))
            .load(conn)?;
        first_thread.extend(firsts.into_iter().filter_map(|(u, t)| t.map(|t| (u, t))));
    }
    let mut counted: HashSet<(UserId, ThreadId)> = HashSet::new();
    for (author, thread, asker) in &replies_to {
        if first_thread.get(asker) == Some(thread) && counted.insert((*author, *thread)) {
            leaders.entry(*author).or_default().newcomer_replies += 1;
        }
    }
    // Accepted answers and reactions from others, on the period's posts.
    let post_author: HashMap<PostId, UserId> = rows.iter().map(|r| (r.0, r.1)).collect();
    let mut received: HashMap<UserId, i64> = HashMap::new();
    for chunk in period_posts.chunks(500) {
        let accepted: Vec<Option<PostId>> = threads::table
            .filter(threads::accepted_post_id.eq_any(chunk.iter().map(|p| Some(*p))))
            .select(threads::accepted_post_id)
            .load(conn)?;
        for post in accepted.into_iter().flatten() {
            if let Some(author) = post_author.get(&post) {
                leaders.entry(*author).or_default().accepted_answers += 1;
            }
        }
        let reacted: Vec<(PostId, UserId)> = reactions::table
            .filter(reactions::post_id.eq_any(chunk))
            .select((reactions::post_id, reactions::user_id))
            .load(conn)?;
        for (post, by) in reacted {
            if let Some(author) = post_author.get(&post).filter(|a| **a != by) {
                *received.entry(*author).or_default() += 1;
            }
        }
    }
    // Reports filed in the period that moderators agreed with (a restricting decision that
    // stands).
    let agreed: Vec<(i64, Option<UserId>)> = reports::table
        .inner_join(decisions::table.on(decisions::item_id.eq(reports::item_id.nullable())))
        .filter(reports::created_at.ge(from))
        .filter(reports::created_at.lt(to))
        .filter(decisions::reversed_at.is_null())
        .filter(decisions::action.eq_any([
            DecisionAction::Hide,
            DecisionAction::Delete,
            DecisionAction::Edit,
            DecisionAction::Reject,
        ]))
        .select((reports::id, reports::reporter_id))
        .distinct()
        .load(conn)?;
    for reporter in agreed.into_iter().filter_map(|(_, r)| r) {
        if let Some(line) = leaders.get_mut(&reporter) {
            line.agreed_reports += 1;
        }
    }
    let ids: Vec<UserId> = leaders.keys().copied().collect();
    let mut sanctioned: HashSet<UserId> = HashSet::new();
    let mut names: HashMap<UserId, (String, String)> = HashMap::new();
    let mut nominated: HashSet<UserId> = HashSet::new();
    for chunk in ids.chunks(500) {
        sanctioned.extend(
            sanctions::table
                .filter(sanctions::user_id.eq_any(chunk))
                .filter(sanctions::created_at.ge(at - Duration::days(SANCTION_DAYS)))
                .select(sanctions::user_id)
                .load::<UserId>(conn)?,
        );
        names.extend(
            users::table
                .filter(users::id.eq_any(chunk))
                .select((users::id, users::username, users::display_name))
                .load::<(UserId, String, String)>(conn)?
                .into_iter()
                .map(|(id, u, d)| (id, (u, d))),
        );
        nominated.extend(super::ambassadors::nominated_among(conn, chunk)?);
    }
    let mut list: Vec<Leader> = leaders
        .into_iter()
        .filter(|(id, _)| !sanctioned.contains(id))
        .filter_map(|(id, mut line)| {
            let (username, display_name) = names.get(&id)?.clone();
            line.username = username;
            line.display_name = display_name;
            line.categories = cats.get(&id).map_or(0, |c| c.len() as i64);
            line.active_weeks = weeks.get(&id).map_or(0, |w| w.len() as i64);
            let got = received.get(&id).copied().unwrap_or(0) as f64;
            line.reactions_per_post = if line.posts > 0 {
                (got / line.posts as f64 * 100.0).round() / 100.0
            } else {
                0.0
            };
            line.nominated = nominated.contains(&id);
            line.score = score(&line);
            Some(line)
        })
        .collect();
    list.sort_by(|a, b| b.score.cmp(&a.score).then(a.username.cmp(&b.username)));
    list.truncate(LIMIT);
    for (i, line) in list.iter_mut().enumerate() {
        line.rank = i + 1;
    }
    Ok(Report {
        from,
        to,
        category: category.map(|c| c.slug),
        leaders: list,
    })
}

/// The report as CSV (one line per member, the measures as columns).
pub fn csv(report: &Report) -> AppResult<String> {
    let mut out = csv::Writer::from_writer(vec![]);
    out.write_record([
        "rank",
        "username",
        "display_name",
        "score",
        "posts",
        "accepted_answers",
        "newcomer_replies",
        "reactions_per_post",
        "agreed_reports",
        "categories",
        "active_weeks",
    ])
    .map_err(AppError::internal)?;
    for l in &report.leaders {
        out.write_record([
            l.rank.to_string(),
            crate::calendar::attendance::guarded(&l.username),
            crate::calendar::attendance::guarded(&l.display_name),
            l.score.to_string(),
            l.posts.to_string(),
            l.accepted_answers.to_string(),
            l.newcomer_replies.to_string(),
            format!("{:.2}", l.reactions_per_post),
            l.agreed_reports.to_string(),
            l.categories.to_string(),
            l.active_weeks.to_string(),
        ])
        .map_err(AppError::internal)?;
    }
    let bytes = out.into_inner().map_err(AppError::internal)?;
    String::from_utf8(bytes).map_err(AppError::internal)
}
