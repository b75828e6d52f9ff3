//! The forum's rules, one module per responsibility: `categories` (category views; create,
//! update and order categories), `posting` (threads, replies, edits with revisions, quotes,
//! accepted and official answers, pin/lock/move), `engagement` (reactions, bookmarks, watching),
//! `listing` (keyset thread lists, thread pages, post views, bookmarks, what is new). This module
//! holds what they share: the `can_*` rules, slugs and URLs, and `visible_thread` /
//! `visible_post`, through which every operation on a thread or post finds it, so private
//! categories never leak through lists, counts or profiles.

use std::collections::HashMap;

use diesel::prelude::*;

use super::model::*;
use crate::accounts::model::{Role, UserId};
use crate::db::schema::{posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::{self, visible_categories, Actor};

pub mod categories;
pub mod drafts;
pub mod engagement;
pub mod listing;
pub mod moderated;
pub mod people;
pub mod posting;
pub mod thread_page;

pub const POSTS_PER_PAGE: i64 = 20;
pub const THREADS_PER_PAGE: i64 = 30;
pub const TITLE_MIN: usize = 5;
pub const TITLE_MAX: usize = 150;

// ---------------------------------------------------------------------------------------------
// Permissions: one function per rule, built from `policy`.

/// Any member may start a discussion or a question; announcements are for those who speak for
/// the brand and for moderators.
pub fn can_create_thread(actor: &Actor, kind: ThreadKind) -> bool {
    actor.user.is_some()
        && (kind != ThreadKind::Announcement
            || policy::speaks_for_brand(actor)
            || policy::can_moderate(actor))
}

/// The kinds of thread the actor may start (for the new-thread form).
pub fn thread_kinds(actor: &Actor) -> Vec<&'static str> {
    ThreadKind::ALL
        .iter()
        .filter(|k| can_create_thread(actor, **k))
        .map(|k| k.as_str())
        .collect()
}

/// Signed in, and the thread is open (moderators may still reply to a locked thread).
pub fn can_reply(actor: &Actor, thread: &Thread) -> bool {
    actor.user.is_some() && (!thread.is_locked() || policy::can_moderate(actor))
}

/// Starting a thread or replying, for a category's posting rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PostingAct {
    Start,
    Reply,
}

/// A category's rule for starting threads or for replying: staff (moderators and those who
/// speak for the brand) always may; otherwise everyone, members of the category's posting
/// groups (`posting_groups`), nobody else (staff only), or members at its trust level.
pub fn may_post_in(
    actor: &Actor,
    category: &Category,
    act: PostingAct,
    posting_groups: &[GroupId],
) -> bool {
    let Some(user) = &actor.user else {
        return false;
    };
    if policy::can_moderate(actor) || policy::speaks_for_brand(actor) {
        return true;
    }
    let (rule, trust) = posting_rule(category, act);
    match rule {
        PostingRule::Everyone => true,
        PostingRule::Groups => actor.group_ids.iter().any(|g| posting_groups.contains(g)),
        PostingRule::Staff => false,
        PostingRule::Trust => user.trust_level >= trust,
    }
}

fn posting_rule(category: &Category, act: PostingAct) -> (PostingRule, i16) {
    match act {
        PostingAct::Start => (category.start_rule, category.start_trust),
        PostingAct::Reply => (category.reply_rule, category.reply_trust),
    }
}

/// Refuses with the category's rule as the reason (on the form's `field`) when the actor may
/// not start a thread (or reply) in `category`.
pub(crate) fn require_posting_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    category: &Category,
    act: PostingAct,
    field: &str,
) -> AppResult<()> {
    let (rule, trust) = posting_rule(category, act);
    // Only the `groups` rule reads the category's groups (no statement for the others).
    let groups = if rule == PostingRule::Groups {
        categories::group_names_by_category(conn, actor)?
    } else {
        categories::CategoryGroups::default()
    };
    if may_post_in(actor, category, act, &groups.posting_ids(category.id)) {
        return Ok(());
    }
    let verb = match act {
        PostingAct::Start => "start",
        PostingAct::Reply => "reply",
    };
    let names: Vec<String> = groups
        .posting
        .get(&category.id)
        .map(|g| {
            g.iter()
                .map(|(_, name)| name.replace(['|', '='], " "))
                .collect()
        })
        .unwrap_or_default();
    let message = format!(
        "error-category-{verb}-{}|category={}|trust={trust}|groups={}",
        rule.as_str(),
        category.name.replace(['|', '='], " "),
        names.join(", ")
    );
    let mut fields = std::collections::BTreeMap::new();
    fields.insert(field.to_string(), message);
    Err(AppError::new(ErrorKind::Invalid {
        code: ErrorCode::CategoryRestricted,
        fields,
    }))
}

/// The author (not once a moderator deleted or rejected the post, or after its one
/// resubmission), or a moderator on their own posts. Moderators change others' posts through a
/// review decision (edit with a rule), so the public never sees what they removed.
pub fn can_edit_post(actor: &Actor, post: &Post) -> bool {
    actor.user_id() == Some(post.author_id)
        && (policy::can_moderate(actor)
            || !matches!(
                post.state,
                ContentState::Deleted | ContentState::Rejected | ContentState::Resubmitted
            ))
}

/// The question's author or a moderator may mark which reply answers it.
pub fn can_accept_answer(actor: &Actor, thread: &Thread) -> bool {
    thread.kind == ThreadKind::Question
        && (actor.user_id() == Some(thread.author_id) || policy::can_moderate(actor))
}

/// The "needs a staff answer" list: those who answer for the brand and moderators.
pub fn can_see_staff_backlog(actor: &Actor) -> bool {
    policy::speaks_for_brand(actor) || policy::can_moderate(actor)
}

/// Official answers are the brand's voice.
pub fn can_post_official(actor: &Actor) -> bool {
    policy::speaks_for_brand(actor)
}

/// Pin, lock and move threads.
pub fn can_moderate_threads(actor: &Actor) -> bool {
    policy::can_moderate(actor)
}

/// Pin and move threads (not lock them): moderators, and leaders (trust level 4, which the
/// ambassador programme gives).
pub fn can_arrange_threads(actor: &Actor) -> bool {
    can_moderate_threads(actor) || (actor.user.is_some() && actor.trust_level() >= 4)
}

/// Categories are the admin's (groups too: `admin::service`).
pub fn can_manage_categories(actor: &Actor) -> bool {
    policy::can_administer(actor)
}

// ---------------------------------------------------------------------------------------------
// Helpers

/// A URL-friendly version of a title: ASCII letters and digits joined by '-'.
pub fn slugify(text: &str) -> String {
    let mut slug = String::new();
    for c in text.to_lowercase().chars() {
        let mapped = match c {
            'á' | 'à' | 'ä' | 'â' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'ê' => 'e',
            'í' | 'ì' | 'ï' | 'î' => 'i',
            'ó' | 'ò' | 'ö' | 'ô' | 'õ' => 'o',
            'ú' | 'ù' | 'ü' | 'û' => 'u',
            'ñ' => 'n',
            'ç' => 'c',
            c if c.is_ascii_alphanumeric() => c,
            _ => '-',
        };
        if mapped == '-' {
            if !slug.is_empty() && !slug.ends_with('-') {
                slug.push('-');
            }
        } else {
            slug.push(mapped);
        }
        if slug.len() >= 80 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-').to_string();
    if slug.is_empty() {
        "thread".to_string()
    } else {
        slug
    }
}

pub fn thread_url(thread: &Thread) -> String {
    format!("/t/{}/{}", thread.slug, thread.id)
}

pub fn post_url(thread: &Thread, number: i32) -> String {
    format!(
        "/t/{}/{}/{}#post-{}",
        thread.slug, thread.id, number, number
    )
}

/// The keyset cursor of the page that holds post `number`.
pub fn page_start_for(number: i32) -> i32 {
    let size = POSTS_PER_PAGE as i32;
    ((number.max(1) - 1) / size) * size
}

fn visible_ids(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<CategoryId>> {
    Ok(visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// The thread as it is now (after this transaction's own changes).
fn reload_thread(conn: &mut DbConnection, id: ThreadId) -> AppResult<Thread> {
    Ok(threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)?)
}

fn not_found() -> AppError {
    AppError::new(ErrorKind::NotFound)
}

/// Held, rejected, hidden or deleted threads exist only for their author and moderators.
pub fn may_see_thread(actor: &Actor, thread: &Thread) -> bool {
    thread.state.is_public()
        || actor.user_id() == Some(thread.author_id)
        || policy::can_moderate(actor)
}

/// Held and rejected posts exist only for their author and moderators; hidden and deleted
/// posts are shown to others as a notice naming the rule.
pub fn may_see_post(actor: &Actor, post: &Post) -> bool {
    !matches!(post.state, ContentState::Held | ContentState::Rejected)
        || actor.user_id() == Some(post.author_id)
        || policy::can_moderate(actor)
}

/// Whether the actor sees a post's text: visible posts to everyone, moderated ones to their
/// author and moderators only.
pub fn may_read_post_text(actor: &Actor, post: &Post) -> bool {
    post.state.is_public() || actor.user_id() == Some(post.author_id) || policy::can_moderate(actor)
}

/// For logs that name moderated content: whether the actor may know of the post or thread (its
/// category is visible to them, whatever moderation did to it), and its link while the actor may
/// still open it.
pub fn moderated_target(
    conn: &mut DbConnection,
    actor: &Actor,
    post: Option<PostId>,
    thread: ThreadId,
) -> AppResult<(bool, Option<String>)> {
    let found: Option<Thread> = threads::table
        .find(thread)
        .select(Thread::as_select())
        .first(conn)
        .optional()?;
    let Some(thread) = found else {
        return Ok((false, None));
    };
    let known = visible_categories(conn, actor)?
        .iter()
        .any(|c| c.id == thread.category_id);
    if !known || !may_see_thread(actor, &thread) {
        return Ok((known, None));
    }
    let url = match post {
        None => Some(thread_url(&thread)),
        Some(id) => posts::table
            .find(id)
            .select(posts::number)
            .first::<i32>(conn)
            .optional()?
            .map(|number| post_url(&thread, number)),
    };
    Ok((known, url))
}

/// A thread the actor may see, with its category; anything else is "not found".
pub fn visible_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ThreadId,
) -> AppResult<(Thread, Category)> {
    let thread: Thread = threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .filter(|t| may_see_thread(actor, t))
        .ok_or_else(not_found)?;
    let category = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.id == thread.category_id)
        .ok_or_else(not_found)?;
    Ok((thread, category))
}

/// A post the actor may see (its thread's category decides), or `NotFound`.
pub fn visible_post(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PostId,
) -> AppResult<(Post, Thread, Category)> {
    let post: Post = posts::table
        .find(id)
        .select(Post::as_select())
        .first(conn)
        .optional()?
        .filter(|p| may_see_post(actor, p))
        .ok_or_else(not_found)?;
    let (thread, category) = visible_thread(conn, actor, post.thread_id)?;
    Ok((post, thread, category))
}

fn authors(conn: &mut DbConnection, ids: &[UserId]) -> AppResult<HashMap<UserId, AuthorView>> {
    type Row = (
        UserId,
        String,
        String,
        Role,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = users::table
        .filter(crate::db::among(users::id, ids.iter().map(|id| id.0)))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::department,
            users::featured_badges,
            users::flair,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(id, username, display_name, role, department, badges, flair)| {
                (
                    id,
                    AuthorView {
                        id,
                        username,
                        display_name,
                        role: role.as_str().to_string(),
                        department,
                        badges: crate::reputation::featured::parse(badges.as_deref()),
                        flair,
                    },
                )
            },
        )
        .collect())
}

fn unknown_author(id: UserId) -> AuthorView {
    AuthorView {
        id,
        username: "unknown".into(),
        display_name: "?".into(),
        role: "member".into(),
        department: None,
        badges: vec![],
        flair: None,
    }
}

/// Settings the forum needs from the configuration. The default (for tools and tests that
/// post through the services) requires no verified address and sets no posting limit.
#[derive(Clone, Debug, Default)]
pub struct ForumSettings {
    pub image_hosts: Vec<String>,
    /// Members must have confirmed their e-mail address to post.
    pub require_verified_email: bool,
    /// Enforces the posting limit that screening sets for the member (see `screening`).
    pub posting_limits: bool,
}

/// Unconfirmed addresses may read but not post, when the instance asks for it; silenced and
/// suspended members may not post.
pub fn can_post(actor: &Actor, settings: &ForumSettings) -> AppResult<()> {
    crate::policy::may_write(actor, crate::util::now())?;
    match &actor.user {
        None => Err(AppError::new(ErrorKind::Unauthenticated)),
        Some(user) if settings.require_verified_email && !user.email_verified => {
            Err(AppError::new(ErrorKind::Refused {
                code: ErrorCode::EmailUnverified,
            }))
        }
        Some(_) => Ok(()),
    }
}

#[cfg(test)]
mod rules_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_readable() {
        assert_eq!(
            slugify("¿Cómo purgo la Aurora Dúo?"),
            "como-purgo-la-aurora-duo"
        );
        assert_eq!(slugify("!!!"), "thread");
        assert_eq!(slugify("Grind   size -- help"), "grind-size-help");
    }

    #[test]
    fn permalinks_land_on_their_page() {
        assert_eq!(page_start_for(1), 0);
        assert_eq!(page_start_for(20), 0);
        assert_eq!(page_start_for(21), 20);
        assert_eq!(page_start_for(4321), 4320);
    }
}
