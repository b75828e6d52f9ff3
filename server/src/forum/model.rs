//! Rows, forms and views of the forum: groups, categories, threads, posts, revisions,
//! reactions, bookmarks, watches and read markers.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::model::UserId;
use crate::db::schema::{categories, post_revisions, posts, threads, user_groups};
use crate::newtypes::{small_enum, typed_id, Choice, Flag};

typed_id!(GroupId);
typed_id!(CategoryId);
typed_id!(ThreadId);
typed_id!(PostId);
typed_id!(
    /// A row of `post_revisions`: one earlier version of a post.
    RevisionId
);

small_enum!(
    /// Who may see a category.
    Visibility {
        Public = 0 => "public",
        Members = 1 => "members",
        Private = 2 => "private",
    }
);

small_enum!(
    /// Where a post or thread stands with moderation. Hidden and deleted content stays in the
    /// database; held content waits for a moderator; a hidden post its author edited to ask for
    /// review is `resubmitted` (once).
    ContentState {
        Visible = 0 => "visible",
        Hidden = 1 => "hidden",
        Deleted = 2 => "deleted",
        Held = 3 => "held",
        Rejected = 4 => "rejected",
        Resubmitted = 5 => "resubmitted",
    }
);

impl ContentState {
    /// Shown to everyone as it is.
    pub fn is_public(self) -> bool {
        self == ContentState::Visible
    }
}

small_enum!(
    /// Which threads a list shows (`?filter=` on Latest and a category).
    ListFilter {
        All = 0 => "all",
        /// No reply yet.
        Unanswered = 1 => "unanswered",
        /// Questions without an accepted answer.
        Unsolved = 2 => "unsolved",
        Solved = 3 => "solved",
        Questions = 4 => "questions",
        /// Threads the viewer started.
        Mine = 5 => "mine",
        /// Questions no staff member has answered (staff only).
        NeedsStaff = 6 => "needs_staff",
        /// Most reactions among the threads started in the last 7 days.
        TopWeek = 7 => "top_week",
        /// … the last 30 days.
        TopMonth = 8 => "top_month",
        /// … the last 365 days.
        TopYear = 9 => "top_year",
        /// … ever.
        TopAll = 10 => "top_all",
    }
);

impl ListFilter {
    /// For the "top" lists: how far back threads count (`None`: all time).
    pub fn top_period(self) -> Option<Option<chrono::Duration>> {
        match self {
            ListFilter::TopWeek => Some(Some(chrono::Duration::days(7))),
            ListFilter::TopMonth => Some(Some(chrono::Duration::days(30))),
            ListFilter::TopYear => Some(Some(chrono::Duration::days(365))),
            ListFilter::TopAll => Some(None),
            _ => None,
        }
    }
}

small_enum!(
    /// Who may start threads (or reply) in a category. Staff always may.
    PostingRule {
        Everyone = 0 => "everyone",
        /// Members of the category's posting groups.
        Groups = 1 => "groups",
        Staff = 2 => "staff",
        /// Members at the category's trust level or above.
        Trust = 3 => "trust",
    }
);

small_enum!(
    /// What a thread is for.
    ThreadKind {
        Discussion = 0 => "discussion",
        Question = 1 => "question",
        Announcement = 2 => "announcement",
    }
);

small_enum!(
    /// The fixed set of reactions.
    ReactionKind {
        Like = 0 => "like",
        Love = 1 => "love",
        Laugh = 2 => "laugh",
        Thanks = 3 => "thanks",
        Insightful = 4 => "insightful",
    }
);

impl ReactionKind {
    pub fn emoji(self) -> &'static str {
        match self {
            ReactionKind::Like => "👍",
            ReactionKind::Love => "❤️",
            ReactionKind::Laugh => "😄",
            ReactionKind::Thanks => "🙏",
            ReactionKind::Insightful => "💡",
        }
    }
}

small_enum!(
    /// How much a member hears of a thread or category.
    WatchLevel {
        Muted = -1 => "muted",
        Normal = 0 => "normal",
        Watching = 1 => "watching",
    }
);

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = user_groups)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
    pub description: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// Shown by its members' names on their posts (ambassadors).
    pub flair: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: CategoryId,
    pub parent_id: Option<CategoryId>,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub visibility: Visibility,
    pub threads_count: i32,
    pub posts_count: i32,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    pub start_rule: PostingRule,
    pub start_trust: i16,
    pub reply_rule: PostingRule,
    pub reply_trust: i16,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = threads)]
pub struct Thread {
    pub id: ThreadId,
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub kind: ThreadKind,
    pub title: String,
    pub slug: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub bumped_at: NaiveDateTime,
    pub last_post_number: i32,
    pub posts_count: i32,
    pub views: i32,
    pub likes: i32,
    pub pinned: Pinned,
    pub locked: Flag,
    pub accepted_post_id: Option<PostId>,
    pub official_post_id: Option<PostId>,
    pub state: ContentState,
    /// Who wrote the latest public post (none before the first is published).
    pub last_poster_id: Option<UserId>,
    /// The title's language (its opening post's, see `forum::language`).
    pub lang: Option<String>,
}

small_enum!(
    /// `threads.pinned`: not pinned, first in its category, first everywhere (and in its
    /// category). Ordered, so `pinned >= InCategory` is "pinned at all".
    Pinned {
        Unpinned = 0 => "none",
        InCategory = 1 => "category",
        Global = 2 => "global",
    }
);

impl Thread {
    pub fn is_locked(&self) -> bool {
        self.locked.0
    }
}

#[derive(Insertable)]
#[diesel(table_name = threads)]
pub struct NewThreadRow<'a> {
    pub category_id: CategoryId,
    pub author_id: UserId,
    pub kind: ThreadKind,
    pub title: &'a str,
    pub slug: &'a str,
    pub created_at: NaiveDateTime,
    pub bumped_at: NaiveDateTime,
    pub lang: Option<&'a str>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = posts)]
pub struct Post {
    pub id: PostId,
    pub thread_id: ThreadId,
    pub number: i32,
    pub author_id: UserId,
    pub raw: String,
    pub cooked: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub edited_at: Option<NaiveDateTime>,
    pub version: i32,
    pub reply_to_number: Option<i32>,
    pub official: Flag,
    pub department: Option<String>,
    pub likes: i32,
    pub state: ContentState,
    /// What the public sees of a moderated post ("rule N @ vV: title").
    pub moderation_label: Option<String>,
    /// Revisions up to this version are shown only to staff and the author.
    pub history_hidden_through: i32,
    /// The language it is written in (see `forum::language`).
    pub lang: Option<String>,
}

#[derive(Insertable)]
#[diesel(table_name = posts)]
pub struct NewPostRow<'a> {
    pub thread_id: ThreadId,
    pub number: i32,
    pub author_id: UserId,
    pub raw: &'a str,
    pub cooked: &'a str,
    pub created_at: NaiveDateTime,
    pub reply_to_number: Option<i32>,
    pub official: Flag,
    pub department: Option<&'a str>,
    pub lang: Option<&'a str>,
}

#[derive(Clone, Debug, Queryable, Selectable, Serialize)]
#[diesel(table_name = post_revisions)]
pub struct Revision {
    pub id: RevisionId,
    pub post_id: PostId,
    pub version: i32,
    pub raw: String,
    pub cooked: String,
    pub editor_id: UserId,
    pub reason: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

// ---------------------------------------------------------------------------------------------
// Forms

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NewThreadForm {
    /// The category's slug.
    pub category: String,
    /// `discussion`, `question` or `announcement` (brand staff, community managers, moderators).
    #[serde(default = "default_kind")]
    #[schema(value_type = ThreadKind)]
    pub kind: Choice<ThreadKind>,
    pub title: String,
    /// Markdown.
    pub body: String,
}

fn default_kind() -> Choice<ThreadKind> {
    Choice::Known(ThreadKind::Discussion)
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ReplyForm {
    /// Markdown.
    pub body: String,
    /// The number of the post this answers, if any.
    #[serde(default)]
    pub reply_to: Option<i32>,
    /// Brand staff, community managers and admins: publish as the brand's official answer.
    #[serde(default, deserialize_with = "checkbox")]
    pub official: bool,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct EditForm {
    /// The new Markdown.
    pub body: String,
    /// Why it changed (shown in the history).
    #[serde(default)]
    pub reason: String,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct CategoryForm {
    pub name: String,
    #[serde(default)]
    pub slug: String,
    #[serde(default)]
    pub description: String,
    /// Slug of the parent (top-level) category; empty for none.
    #[serde(default)]
    pub parent: String,
    /// `public`, `members` or `private`.
    #[schema(value_type = Visibility)]
    pub visibility: Choice<Visibility>,
    /// Names of the groups that may see a private category (comma-separated in forms).
    #[serde(default)]
    pub groups: String,
    /// Who may start threads: `everyone` (the default), `groups`, `staff` or `trust`.
    #[serde(default)]
    pub start_rule: String,
    /// The trust level `trust` asks of those who start threads (0–4).
    #[serde(default)]
    pub start_trust: String,
    /// Who may reply, like `start_rule`.
    #[serde(default)]
    pub reply_rule: String,
    #[serde(default)]
    pub reply_trust: String,
    /// Names of the groups the `groups` rule lets post (comma-separated in forms).
    #[serde(default)]
    pub posting_groups: String,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct GroupForm {
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// A short label shown by its members' names on their posts (at most 24 characters).
    #[serde(default)]
    pub flair: Option<String>,
}

/// Watching a thread or a category (`/watch` forms and `PUT …/watch`).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct LevelForm {
    /// muted, normal or watching
    #[schema(value_type = WatchLevel)]
    pub level: Choice<WatchLevel>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct ReactForm {
    /// like, love, laugh, thanks or insightful
    #[schema(value_type = ReactionKind)]
    pub kind: Choice<ReactionKind>,
}

/// Pin, lock or move a thread; what is left out stays as it is.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ModerationForm {
    /// Pinned first in its category (`false` unpins, also a global pin).
    pub pinned: Option<bool>,
    /// Pinned first on the home page and Latest too (`false` unpins).
    #[serde(default)]
    pub pinned_globally: Option<bool>,
    pub locked: Option<bool>,
    /// Slug of the category to move the thread to.
    pub category: Option<String>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct PreviewForm {
    pub body: String,
}

/// HTML checkboxes send "on" (or nothing); JSON sends a boolean.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<bool, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value {
        Bool(bool),
        Text(String),
    }
    Ok(match Value::deserialize(deserializer)? {
        Value::Bool(b) => b,
        Value::Text(t) => matches!(t.as_str(), "on" | "true" | "1" | "yes"),
    })
}

/// An optional number: JSON sends a number (or null); an HTML form sends text, empty when the
/// field was left blank (then `None`).
pub fn optional_number<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + std::str::FromStr,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Value<T> {
        Number(T),
        Text(String),
    }
    match Option::<Value<T>>::deserialize(deserializer)? {
        None => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n)),
        Some(Value::Text(t)) if t.trim().is_empty() => Ok(None),
        Some(Value::Text(t)) => t
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| serde::de::Error::custom("expected a number")),
    }
}

// ---------------------------------------------------------------------------------------------
// Views (what pages and the API show)

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct AuthorView {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub department: Option<String>,
    /// Up to three badges the author chose to show by their name.
    pub badges: Vec<crate::reputation::model::Featured>,
    /// The flair of the author's groups (ambassadors).
    pub flair: Option<String>,
}

/// A category's posting permissions as readers and forms see them.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PostingRules {
    pub start_rule: PostingRule,
    pub start_trust: i16,
    pub reply_rule: PostingRule,
    pub reply_trust: i16,
    /// Names of the groups the `groups` rule lets post.
    pub groups: Vec<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryView {
    pub id: CategoryId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub parent_slug: Option<String>,
    /// The parent's name, for breadcrumbs.
    pub parent_name: Option<String>,
    pub position: i32,
    pub threads_count: i32,
    pub posts_count: i32,
    /// Group names that may see a private category.
    pub groups: Vec<String>,
    /// Who may start threads and who may reply here.
    pub posting: PostingRules,
    /// Whether the viewer may start a thread here (the composer lists the others as
    /// unavailable, with the rule).
    pub may_start: bool,
    /// One level only: subcategories have none of their own.
    #[schema(no_recursion)]
    pub subcategories: Vec<CategoryView>,
    /// The viewer's watch level (normal when anonymous).
    pub watch: WatchLevel,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadSummary {
    pub id: ThreadId,
    pub slug: String,
    pub title: String,
    /// The title's language (ISO 639-1), when known.
    pub lang: Option<String>,
    pub kind: ThreadKind,
    pub category_slug: String,
    pub category_name: String,
    pub author: AuthorView,
    /// Who wrote the latest public post (the author until someone replies).
    pub last_poster: AuthorView,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    /// When the latest public post was written.
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub bumped_at: NaiveDateTime,
    pub posts_count: i32,
    /// The number of the thread's latest post (links to the last post use it).
    pub last_post_number: i32,
    pub replies: i32,
    pub views: i32,
    pub likes: i32,
    pub pinned: bool,
    /// Pinned first on the home page and Latest too.
    pub pinned_globally: bool,
    pub locked: bool,
    pub solved: bool,
    pub has_official_answer: bool,
    /// Posts the viewer has not read (absent for anonymous viewers).
    pub unread: Option<i32>,
    /// The first post the signed-in reader has not read (where "N new" leads).
    pub first_unread: Option<i32>,
    pub url: String,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ReactionCount {
    pub kind: ReactionKind,
    pub emoji: String,
    pub count: i64,
    pub mine: bool,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PostView {
    pub id: PostId,
    pub number: i32,
    pub author: AuthorView,
    /// The rendered text; empty for readers who may not see a moderated post's text.
    pub cooked: String,
    /// `visible`, or where moderation put it (`hidden`, `deleted`, `held`, …).
    pub state: ContentState,
    /// For a moderated post: the rule it was moderated under, as the public sees it.
    pub moderation_label: Option<String>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::util::utc::option")]
    pub edited_at: Option<NaiveDateTime>,
    pub version: i32,
    pub reply_to: Option<i32>,
    pub official: bool,
    pub department: Option<String>,
    pub accepted: bool,
    pub reactions: Vec<ReactionCount>,
    pub bookmarked: bool,
    pub can_edit: bool,
    pub can_accept: bool,
    pub url: String,
    /// The opening words as plain text: set on a thread page's accepted and official answers,
    /// which show under the question as an excerpt with a link to the post in place.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub excerpt: Option<String>,
    /// The language it is written in (ISO 639-1), when known.
    pub lang: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadPage {
    pub thread: ThreadSummary,
    pub category: CategoryView,
    /// The accepted answer of a question, shown under it.
    pub accepted: Option<PostView>,
    /// The brand's official answer, shown under the question.
    pub official: Option<PostView>,
    pub posts: Vec<PostView>,
    /// Cursor (post number) of the previous page, if any.
    pub previous_after: Option<i32>,
    /// Cursor (post number) of the next page, if any.
    pub next_after: Option<i32>,
    pub can_reply: bool,
    pub can_moderate: bool,
    /// May pin and move the thread (moderators, ambassadors).
    pub can_arrange: bool,
    pub can_post_official: bool,
    pub watch: WatchLevel,
    /// First post number the viewer had not read before this visit.
    pub first_unread: Option<i32>,
    /// The reader's unsent reply (pages only; the API has `/threads/{id}/draft`).
    #[serde(skip)]
    pub draft: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ThreadList {
    pub threads: Vec<ThreadSummary>,
    /// Pass as `after` to get the next page; absent on the last page.
    pub next_after: Option<String>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct RevisionView {
    pub version: i32,
    pub cooked: String,
    pub raw: String,
    pub editor: AuthorView,
    pub reason: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
    pub current: bool,
}

/// A bookmarked post with its thread.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct BookmarkView {
    pub thread: ThreadSummary,
    pub post: PostView,
}
