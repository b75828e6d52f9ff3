//! People: the member directory (`/u`), searched by name and sorted by activity, joining date
//! or name, with each member's count of posts the reader may see; and generated avatars.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::model::{PublicUser, User, UserId};
use crate::db::schema::{posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{CategoryId, ContentState};
use crate::policy::{visible_categories, Actor};

/// How many members the directory shows at once (a search narrows it).
pub const DIRECTORY_SIZE: i64 = 60;

/// How the directory is sorted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DirectorySort {
    /// Most recently seen first.
    Activity,
    /// Newest members first.
    Joined,
    /// By username.
    Name,
}

impl DirectorySort {
    pub const ALL: [&'static str; 3] = ["activity", "joined", "name"];

    /// `?sort=`: none is by activity; an unknown one is an error of the field.
    pub fn parse(text: Option<&str>) -> AppResult<DirectorySort> {
        match text.map(str::trim).unwrap_or("") {
            "" | "activity" => Ok(DirectorySort::Activity),
            "joined" => Ok(DirectorySort::Joined),
            "name" => Ok(DirectorySort::Name),
            _ => Err(AppError::invalid_field("sort", "error-directory-sort")),
        }
    }
}

/// One member as the directory shows them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MemberCard {
    #[serde(flatten)]
    pub member: PublicUser,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub last_seen_at: Option<NaiveDateTime>,
    /// Public posts in the categories the reader may see.
    pub posts: i64,
}

diesel::define_sql_function!(fn lower(text: diesel::sql_types::Text) -> diesel::sql_types::Text);

/// Members matching `search` (in their username or display name, any case), suspended members
/// left out, sorted by `sort`; at most `DIRECTORY_SIZE`.
pub fn directory(
    conn: &mut DbConnection,
    actor: &Actor,
    search: &str,
    sort: DirectorySort,
) -> AppResult<Vec<MemberCard>> {
    let search: String = search
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .take(60)
        .collect();
    let now = crate::util::now();
    let mut query = users::table
        .filter(
            users::suspended_until
                .is_null()
                .or(users::suspended_until.le(now)),
        )
        .into_boxed();
    if !search.is_empty() {
        let pattern = format!("%{search}%");
        query = query.filter(
            users::username_normalized
                .like(pattern.clone())
                .or(lower(users::display_name).like(pattern)),
        );
    }
    query = match sort {
        DirectorySort::Activity => query.order((
            users::last_seen_at.is_null().asc(),
            users::last_seen_at.desc(),
            users::id.asc(),
        )),
        DirectorySort::Joined => query.order((users::created_at.desc(), users::id.desc())),
        DirectorySort::Name => query.order(users::username_normalized.asc()),
    };
    let rows: Vec<User> = query
        .limit(DIRECTORY_SIZE)
        .select(User::as_select())
        .load(conn)?;
    let ids: Vec<UserId> = rows.iter().map(|u| u.id).collect();
    let visible: Vec<CategoryId> = visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id)
        .collect();
    let counts: HashMap<UserId, i64> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq_any(&ids))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(threads::category_id.eq_any(&visible))
        .group_by(posts::author_id)
        .select((posts::author_id, diesel::dsl::count_star()))
        .load::<(UserId, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .iter()
        .map(|user| MemberCard {
            member: PublicUser::from(user),
            last_seen_at: user.last_seen_at,
            posts: counts.get(&user.id).copied().unwrap_or(0),
        })
        .collect())
}

/// What a member's card and profile say of their activity, counted in the categories the
/// reader may see (public posts only).
#[derive(Clone, Debug, Default, Serialize, utoipa::ToSchema)]
pub struct MemberStats {
    pub posts: i64,
    /// Their replies accepted as the answer to a question.
    pub solutions: i64,
    /// Reactions others gave to their posts.
    pub reactions_received: i64,
}

/// A member as their card shows them: who they are and what they did.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MemberCardView {
    #[serde(flatten)]
    pub member: PublicUser,
    pub stats: MemberStats,
}

/// One of a member's recent posts, for their profile.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RecentPost {
    pub url: String,
    pub thread_title: String,
    pub excerpt: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    pub lang: Option<String>,
}

/// How many recent posts a profile shows.
pub const RECENT_POSTS: i64 = 5;
const RECENT_EXCERPT_CHARS: usize = 160;

/// The ids of the categories `actor` may see.
fn visible_ids(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<CategoryId>> {
    Ok(visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// A member's counts as `actor` may see them.
pub fn member_stats(
    conn: &mut DbConnection,
    actor: &Actor,
    user: UserId,
) -> AppResult<MemberStats> {
    use crate::db::schema::reactions;
    let visible = visible_ids(conn, actor)?;
    let public_posts = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(threads::category_id.eq_any(visible.clone()));
    let posts: i64 = public_posts.clone().count().get_result(conn)?;
    let solutions: i64 = public_posts
        .filter(threads::accepted_post_id.eq(posts::id.nullable()))
        .count()
        .get_result(conn)?;
    let reactions_received: i64 = reactions::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(posts::author_id.eq(user))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(threads::category_id.eq_any(visible))
        .count()
        .get_result(conn)?;
    Ok(MemberStats {
        posts,
        solutions,
        reactions_received,
    })
}

/// A member's card: 404 for a username that does not exist.
pub fn card(conn: &mut DbConnection, actor: &Actor, username: &str) -> AppResult<MemberCardView> {
    let user = crate::accounts::service::user_by_username(conn, username)?;
    let stats = member_stats(conn, actor, user.id)?;
    Ok(MemberCardView {
        member: PublicUser::from(&user),
        stats,
    })
}

/// A member's newest public posts in the categories `actor` may see.
pub fn recent_posts(
    conn: &mut DbConnection,
    actor: &Actor,
    user: UserId,
) -> AppResult<Vec<RecentPost>> {
    let visible = visible_ids(conn, actor)?;
    let rows: Vec<(crate::forum::model::Post, crate::forum::model::Thread)> = posts::table
        .inner_join(threads::table)
        .filter(posts::author_id.eq(user))
        .filter(posts::state.eq(ContentState::Visible))
        .filter(threads::state.eq(ContentState::Visible))
        .filter(threads::category_id.eq_any(visible))
        .order((posts::created_at.desc(), posts::id.desc()))
        .limit(RECENT_POSTS)
        .select((
            crate::forum::model::Post::as_select(),
            crate::forum::model::Thread::as_select(),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(post, thread)| RecentPost {
            url: crate::forum::service::post_url(&thread, post.number),
            thread_title: thread.title,
            excerpt: crate::forum::markdown::excerpt(&post.raw, RECENT_EXCERPT_CHARS),
            created_at: post.created_at,
            lang: post.lang,
        })
        .collect())
}

/// How many members the composer's `@` suggests at once.
pub const MENTION_SUGGESTIONS: usize = 6;

/// A member the composer may mention.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Mentionable {
    pub username: String,
    pub display_name: String,
    /// The brand department of staff (shown beside the name).
    pub department: Option<String>,
    /// Whether they wrote in the thread being answered (suggested first).
    pub in_thread: bool,
}

/// Members whose username starts with `prefix` (any case, an `@` before it ignored), for the
/// composer's `@` autocomplete: those who wrote in `thread` (which the actor must be able to
/// see) first, then the most recently seen; suspended members left out. An empty prefix lists
/// the thread's participants only.
pub fn mentionable(
    conn: &mut DbConnection,
    actor: &Actor,
    prefix: &str,
    thread: Option<crate::forum::model::ThreadId>,
) -> AppResult<Vec<Mentionable>> {
    actor.require_user()?;
    let prefix = prefix.trim().trim_start_matches('@').to_lowercase();
    let valid = prefix.chars().count() <= 30
        && prefix
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if !valid || (prefix.is_empty() && thread.is_none()) {
        return Err(AppError::invalid_field("q", "error-mention-query"));
    }
    let now = crate::util::now();
    // `_` is a LIKE wildcard: matched literally (a name typed so far, then anything).
    let pattern = format!("{}%", prefix.replace('_', "\\_"));
    let mut found: Vec<Mentionable> = vec![];
    if let Some(thread) = thread {
        let (thread, _) = crate::forum::service::visible_thread(conn, actor, thread)?;
        let rows: Vec<User> = users::table
            .filter(
                users::id.eq_any(
                    posts::table
                        .filter(posts::thread_id.eq(thread.id))
                        .filter(posts::state.eq(ContentState::Visible))
                        .select(posts::author_id),
                ),
            )
            .filter(
                users::username_normalized
                    .like(pattern.clone())
                    .escape('\\'),
            )
            .filter(
                users::suspended_until
                    .is_null()
                    .or(users::suspended_until.le(now)),
            )
            .order(users::username_normalized.asc())
            .limit(MENTION_SUGGESTIONS as i64)
            .select(User::as_select())
            .load(conn)?;
        found.extend(rows.iter().map(|u| mentionable_from(u, true)));
    }
    if !prefix.is_empty() && found.len() < MENTION_SUGGESTIONS {
        let rows: Vec<User> = users::table
            .filter(users::username_normalized.like(pattern).escape('\\'))
            .filter(
                users::suspended_until
                    .is_null()
                    .or(users::suspended_until.le(now)),
            )
            .order((
                users::last_seen_at.is_null().asc(),
                users::last_seen_at.desc(),
                users::id.asc(),
            ))
            .limit(MENTION_SUGGESTIONS as i64 * 2)
            .select(User::as_select())
            .load(conn)?;
        for user in &rows {
            if found.len() < MENTION_SUGGESTIONS
                && !found.iter().any(|m| m.username == user.username)
            {
                found.push(mentionable_from(user, false));
            }
        }
    }
    Ok(found)
}

fn mentionable_from(user: &User, in_thread: bool) -> Mentionable {
    Mentionable {
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        department: user.department.clone(),
        in_thread,
    }
}

/// A member's generated avatar: up to two initials from the username on a colour derived from
/// it, as SVG. It depends on the username alone, so it is cached for good and costs no query.
pub fn avatar_svg(username: &str) -> String {
    let initials: String = username
        .split(['_', '.', '-'])
        .filter_map(|part| part.chars().find(char::is_ascii_alphanumeric))
        .take(2)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let initials = if initials.is_empty() {
        "?".to_string()
    } else {
        initials
    };
    // FNV-1a over the lower-cased name: the same colour in every size and on every page.
    let hash = username
        .to_ascii_lowercase()
        .bytes()
        .fold(0x811c_9dc5_u32, |h, b| {
            (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
        });
    let hue = hash % 360;
    // A dark shade of every hue keeps white initials above 4.5:1.
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 64 64\">\
         <rect width=\"64\" height=\"64\" rx=\"32\" fill=\"hsl({hue},55%,30%)\"/>\
         <text x=\"32\" y=\"32\" dy=\".35em\" text-anchor=\"middle\" \
         font-family=\"system-ui,sans-serif\" font-size=\"26\" font-weight=\"600\" \
         fill=\"#fff\">{initials}</text></svg>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avatars_show_initials_on_a_colour_of_their_own() {
        let lucia = avatar_svg("lucia_barista");
        assert!(lucia.contains(">LB</text>"), "{lucia}");
        assert_eq!(lucia, avatar_svg("lucia_barista"), "the same every time");
        assert_ne!(
            lucia.split("fill=").nth(1),
            avatar_svg("marta_cm").split("fill=").nth(1)
        );
        assert!(avatar_svg("ada").contains(">A</text>"));
        assert!(avatar_svg("__").contains(">?</text>"));
    }
}
