//! The forum's rules: who may see and do what (`can_*`), and the transactions that create
//! threads and posts, edit with revisions, react, bookmark, watch, accept answers and publish the
//! brand's official answers. Every listing is keyset-paginated and filtered by the categories the
//! actor may see, so private categories never leak through lists, counts or profiles.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::markdown;
use super::model::*;
use crate::accounts::model::{CurrentUser, Role, UserId};
use crate::db::schema::{
    bookmarks, categories, category_groups, category_watches, group_members, post_revisions, posts,
    reactions, thread_reads, thread_watches, threads, user_groups, users,
};
use crate::db::{self, DbConnection};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::events::{self, DomainEvent};
use crate::policy::{self, require, visible_categories, Actor};
use crate::util::now;

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

/// Signed in, and the thread is open (moderators may still reply to a locked thread).
pub fn can_reply(actor: &Actor, thread: &Thread) -> bool {
    actor.user.is_some() && (!thread.is_locked() || policy::can_moderate(actor))
}

/// The author, or a moderator and above.
pub fn can_edit_post(actor: &Actor, post: &Post) -> bool {
    actor.user_id() == Some(post.author_id) || policy::can_moderate(actor)
}

/// The question's author or a moderator may mark which reply answers it.
pub fn can_accept_answer(actor: &Actor, thread: &Thread) -> bool {
    thread.kind() == ThreadKind::Question
        && (actor.user_id() == Some(thread.author_id) || policy::can_moderate(actor))
}

/// Official answers are the brand's voice.
pub fn can_post_official(actor: &Actor) -> bool {
    policy::speaks_for_brand(actor)
}

/// Pin, lock and move threads.
pub fn can_moderate_threads(actor: &Actor) -> bool {
    policy::can_moderate(actor)
}

/// Categories and groups are the admin's.
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

fn visible_ids(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<i64>> {
    Ok(visible_categories(conn, actor)?
        .into_iter()
        .map(|c| c.id)
        .collect())
}

/// The thread as it is now (after this transaction's own changes).
fn reload_thread(conn: &mut DbConnection, id: i64) -> AppResult<Thread> {
    Ok(threads::table
        .find(id)
        .select(Thread::as_select())
        .first(conn)?)
}

fn not_found() -> AppError {
    AppError::new(ErrorKind::NotFound)
}

/// A thread the actor may see, with its category; anything else is "not found".
pub fn visible_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ThreadId,
) -> AppResult<(Thread, Category)> {
    let thread: Thread = threads::table
        .find(id.0)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    let category = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.id == thread.category_id)
        .ok_or_else(not_found)?;
    Ok((thread, category))
}

fn visible_post(
    conn: &mut DbConnection,
    actor: &Actor,
    id: PostId,
) -> AppResult<(Post, Thread, Category)> {
    let post: Post = posts::table
        .find(id.0)
        .select(Post::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    let (thread, category) = visible_thread(conn, actor, ThreadId(post.thread_id))?;
    Ok((post, thread, category))
}

fn authors(conn: &mut DbConnection, ids: &[i64]) -> AppResult<HashMap<i64, AuthorView>> {
    let rows: Vec<(i64, String, String, i16, Option<String>)> = users::table
        .filter(users::id.eq_any(ids))
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::department,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, username, display_name, role, department)| {
            (
                id,
                AuthorView {
                    id,
                    username,
                    display_name,
                    role: Role::from_i16(role).as_str().to_string(),
                    department,
                },
            )
        })
        .collect())
}

fn unknown_author(id: i64) -> AuthorView {
    AuthorView {
        id,
        username: "unknown".into(),
        display_name: "?".into(),
        role: "member".into(),
        department: None,
    }
}

fn validate_title(title: &str) -> AppResult<()> {
    let length = title.chars().count();
    if !(TITLE_MIN..=TITLE_MAX).contains(&length) {
        return Err(AppError::invalid_field("title", "error-title-length"));
    }
    Ok(())
}

fn validate_body(body: &str) -> AppResult<()> {
    let length = body.trim().chars().count();
    if length == 0 {
        return Err(AppError::invalid_field("body", "error-body-empty"));
    }
    if body.chars().count() > markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-body-long"));
    }
    Ok(())
}

/// Renders Markdown, linking mentions of members who exist.
pub fn cook(conn: &mut DbConnection, raw: &str, image_hosts: &[String]) -> AppResult<String> {
    let candidates = markdown::mentions(raw);
    let known: HashSet<String> = if candidates.is_empty() {
        HashSet::new()
    } else {
        users::table
            .filter(users::username_normalized.eq_any(&candidates))
            .select(users::username_normalized)
            .load::<String>(conn)?
            .into_iter()
            .collect()
    };
    Ok(markdown::render(raw, &known, image_hosts))
}

// ---------------------------------------------------------------------------------------------
// Categories and groups

fn category_view(
    category: &Category,
    all: &[Category],
    group_names: &HashMap<i64, Vec<String>>,
    watches: &HashMap<i64, i16>,
) -> CategoryView {
    CategoryView {
        id: CategoryId(category.id),
        slug: category.slug.clone(),
        name: category.name.clone(),
        description: category.description.clone(),
        visibility: category.visibility(),
        parent_slug: category
            .parent_id
            .and_then(|p| all.iter().find(|c| c.id == p))
            .map(|p| p.slug.clone()),
        position: category.position,
        threads_count: category.threads_count,
        posts_count: category.posts_count,
        groups: group_names.get(&category.id).cloned().unwrap_or_default(),
        subcategories: all
            .iter()
            .filter(|c| c.parent_id == Some(category.id))
            .map(|c| category_view(c, all, group_names, watches))
            .collect(),
        watch: watches
            .get(&category.id)
            .and_then(|l| WatchLevel::from_i16(*l))
            .unwrap_or(WatchLevel::Normal),
    }
}

fn group_names_by_category(conn: &mut DbConnection) -> AppResult<HashMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = category_groups::table
        .inner_join(user_groups::table)
        .select((category_groups::category_id, user_groups::name))
        .load(conn)?;
    let mut map: HashMap<i64, Vec<String>> = HashMap::new();
    for (category, name) in rows {
        map.entry(category).or_default().push(name);
    }
    Ok(map)
}

fn category_watch_levels(conn: &mut DbConnection, actor: &Actor) -> AppResult<HashMap<i64, i16>> {
    let Some(user) = actor.user_id() else {
        return Ok(HashMap::new());
    };
    Ok(category_watches::table
        .filter(category_watches::user_id.eq(user))
        .select((category_watches::category_id, category_watches::level))
        .load::<(i64, i16)>(conn)?
        .into_iter()
        .collect())
}

/// Top-level categories the actor may see, each with its visible subcategories.
pub fn list_categories(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<CategoryView>> {
    let visible = visible_categories(conn, actor)?;
    let names = group_names_by_category(conn)?;
    let watches = category_watch_levels(conn, actor)?;
    Ok(visible
        .iter()
        .filter(|c| c.parent_id.is_none())
        .map(|c| category_view(c, &visible, &names, &watches))
        .collect())
}

pub fn category_by_slug(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
) -> AppResult<CategoryView> {
    let visible = visible_categories(conn, actor)?;
    let names = group_names_by_category(conn)?;
    let watches = category_watch_levels(conn, actor)?;
    visible
        .iter()
        .find(|c| c.slug == slug)
        .map(|c| category_view(c, &visible, &names, &watches))
        .ok_or_else(not_found)
}

fn parse_visibility(text: &str) -> AppResult<Visibility> {
    Visibility::parse(text.trim())
        .ok_or_else(|| AppError::invalid_field("visibility", "error-visibility-invalid"))
}

/// A category form after its checks, with its parent and groups resolved.
struct CheckedCategory {
    name: String,
    slug: String,
    parent: Option<i64>,
    visibility: Visibility,
    groups: Vec<i64>,
}

/// Checks a category form and resolves its parent and groups.
fn check_category_form(
    conn: &mut DbConnection,
    form: &CategoryForm,
    editing: Option<i64>,
) -> AppResult<CheckedCategory> {
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(AppError::invalid_field("name", "error-category-name"));
    }
    let slug = if form.slug.trim().is_empty() {
        slugify(&name)
    } else {
        slugify(form.slug.trim())
    };
    let taken: i64 = categories::table
        .filter(categories::slug.eq(&slug))
        .filter(categories::id.ne(editing.unwrap_or(0)))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::new(ErrorKind::Conflict {
            code: "slug_taken",
            field: "slug".into(),
        }));
    }
    let parent = match form.parent.trim() {
        "" => None,
        parent_slug => {
            let parent: Category = categories::table
                .filter(categories::slug.eq(parent_slug))
                .select(Category::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid_field("parent", "error-parent-invalid"))?;
            // One level of nesting: the parent must be top-level and not the category itself.
            if parent.parent_id.is_some() || Some(parent.id) == editing {
                return Err(AppError::invalid_field("parent", "error-parent-invalid"));
            }
            if let Some(id) = editing {
                let children: i64 = categories::table
                    .filter(categories::parent_id.eq(id))
                    .count()
                    .get_result(conn)?;
                if children > 0 {
                    return Err(AppError::invalid_field("parent", "error-parent-invalid"));
                }
            }
            Some(parent.id)
        }
    };
    let visibility = parse_visibility(&form.visibility)?;
    let mut group_ids = vec![];
    for name in form
        .groups
        .split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        let id: i64 = user_groups::table
            .filter(user_groups::name.eq(name))
            .select(user_groups::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| AppError::invalid_field("groups", "error-group-unknown"))?;
        group_ids.push(id);
    }
    if visibility == Visibility::Private && group_ids.is_empty() {
        return Err(AppError::invalid_field(
            "groups",
            "error-private-needs-group",
        ));
    }
    Ok(CheckedCategory {
        name,
        slug,
        parent,
        visibility,
        groups: group_ids,
    })
}

fn set_category_groups(conn: &mut DbConnection, category: i64, groups: &[i64]) -> AppResult<()> {
    diesel::delete(category_groups::table.filter(category_groups::category_id.eq(category)))
        .execute(conn)?;
    for group in groups {
        diesel::insert_into(category_groups::table)
            .values((
                category_groups::category_id.eq(category),
                category_groups::group_id.eq(group),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn create_category(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &CategoryForm,
) -> AppResult<Category> {
    require(can_manage_categories(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let CheckedCategory {
            name,
            slug,
            parent,
            visibility,
            groups,
        } = check_category_form(conn, form, None)?;
        let position: Option<i32> = categories::table
            .select(diesel::dsl::max(categories::position))
            .first(conn)?;
        let category: Category = diesel::insert_into(categories::table)
            .values((
                categories::parent_id.eq(parent),
                categories::slug.eq(&slug),
                categories::name.eq(&name),
                categories::description.eq(form.description.trim()),
                categories::position.eq(position.unwrap_or(0) + 1),
                categories::visibility.eq(visibility.as_i16()),
                categories::created_at.eq(now()),
            ))
            .returning(categories::all_columns)
            .get_result(conn)?;
        set_category_groups(conn, category.id, &groups)?;
        Ok(category)
    })
}

pub fn update_category(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CategoryId,
    form: &CategoryForm,
) -> AppResult<()> {
    require(can_manage_categories(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let CheckedCategory {
            name,
            slug,
            parent,
            visibility,
            groups,
        } = check_category_form(conn, form, Some(id.0))?;
        let updated = diesel::update(categories::table.find(id.0))
            .set((
                categories::parent_id.eq(parent),
                categories::slug.eq(&slug),
                categories::name.eq(&name),
                categories::description.eq(form.description.trim()),
                categories::visibility.eq(visibility.as_i16()),
            ))
            .execute(conn)?;
        if updated == 0 {
            return Err(not_found());
        }
        set_category_groups(conn, id.0, &groups)
    })
}

/// Moves a category one place up (`-1`) or down (`1`) among its siblings.
pub fn move_category(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CategoryId,
    direction: i32,
) -> AppResult<()> {
    require(can_manage_categories(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let all = policy::all_categories(conn)?;
        let me = all.iter().find(|c| c.id == id.0).ok_or_else(not_found)?;
        let siblings: Vec<&Category> = all.iter().filter(|c| c.parent_id == me.parent_id).collect();
        let index = siblings.iter().position(|c| c.id == me.id).unwrap_or(0) as i32;
        let target = index + direction.signum();
        let Some(other) = usize::try_from(target).ok().and_then(|t| siblings.get(t)) else {
            return Ok(());
        };
        // Swap positions (the other's position may equal ours after deletions; keep order).
        let (mine, theirs) = if me.position == other.position {
            (other.position + direction.signum(), me.position)
        } else {
            (other.position, me.position)
        };
        diesel::update(categories::table.find(me.id))
            .set(categories::position.eq(mine))
            .execute(conn)?;
        diesel::update(categories::table.find(other.id))
            .set(categories::position.eq(theirs))
            .execute(conn)?;
        Ok(())
    })
}

pub fn list_groups(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<(Group, Vec<String>)>> {
    require(can_manage_categories(actor))?;
    let groups: Vec<Group> = user_groups::table
        .order(user_groups::name.asc())
        .select(Group::as_select())
        .load(conn)?;
    let members: Vec<(i64, String)> = group_members::table
        .inner_join(users::table)
        .order(users::username.asc())
        .select((group_members::group_id, users::username))
        .load(conn)?;
    Ok(groups
        .into_iter()
        .map(|g| {
            let names = members
                .iter()
                .filter(|(id, _)| *id == g.id)
                .map(|(_, n)| n.clone())
                .collect();
            (g, names)
        })
        .collect())
}

pub fn create_group(conn: &mut DbConnection, actor: &Actor, form: &GroupForm) -> AppResult<Group> {
    require(can_manage_categories(actor))?;
    let name = form.name.trim();
    let valid = (2..=40).contains(&name.chars().count()) && !name.contains(',');
    if !valid {
        return Err(AppError::invalid_field("name", "error-group-name"));
    }
    let taken: i64 = user_groups::table
        .filter(user_groups::name.eq(name))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::new(ErrorKind::Conflict {
            code: "group_taken",
            field: "name".into(),
        }));
    }
    Ok(diesel::insert_into(user_groups::table)
        .values((
            user_groups::name.eq(name),
            user_groups::description.eq(form.description.trim()),
            user_groups::created_at.eq(now()),
        ))
        .returning(user_groups::all_columns)
        .get_result(conn)?)
}

/// Adds (`add = true`) or removes a member of a group, by username.
pub fn set_group_member(
    conn: &mut DbConnection,
    actor: &Actor,
    group: GroupId,
    username: &str,
    add: bool,
) -> AppResult<()> {
    require(can_manage_categories(actor))?;
    let exists: i64 = user_groups::table.find(group.0).count().get_result(conn)?;
    if exists == 0 {
        return Err(not_found());
    }
    let user = crate::accounts::service::user_by_username(conn, username)
        .map_err(|_| AppError::invalid_field("username", "error-user-unknown"))?;
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(
            group_members::table
                .filter(group_members::group_id.eq(group.0))
                .filter(group_members::user_id.eq(user.id)),
        )
        .execute(conn)?;
        if add {
            diesel::insert_into(group_members::table)
                .values((
                    group_members::group_id.eq(group.0),
                    group_members::user_id.eq(user.id),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Threads and posts

/// Settings the forum needs from the configuration.
#[derive(Clone, Debug, Default)]
pub struct ForumSettings {
    pub image_hosts: Vec<String>,
    /// Members must have confirmed their e-mail address to post.
    pub require_verified_email: bool,
}

/// Unconfirmed addresses may read but not post, when the instance asks for it.
pub fn can_post(actor: &Actor, settings: &ForumSettings) -> AppResult<()> {
    match &actor.user {
        None => Err(AppError::new(ErrorKind::Unauthenticated)),
        Some(user) if settings.require_verified_email && !user.email_verified => {
            Err(AppError::new(ErrorKind::Refused {
                code: "email_unverified",
            }))
        }
        Some(_) => Ok(()),
    }
}

/// Adds a post to a thread inside the caller's transaction. The first statement is a write (the
/// thread's post counter), so SQLite takes its write lock at once and PostgreSQL locks the
/// thread row: concurrent replies get consecutive numbers and exact counters on both backends.
fn add_post(
    conn: &mut DbConnection,
    thread_id: i64,
    author: &CurrentUser,
    raw: &str,
    reply_to: Option<i32>,
    official: bool,
    settings: &ForumSettings,
) -> AppResult<Post> {
    let now = now();
    diesel::update(threads::table.find(thread_id))
        .set((
            threads::last_post_number.eq(threads::last_post_number + 1),
            threads::posts_count.eq(threads::posts_count + 1),
            threads::bumped_at.eq(now),
        ))
        .execute(conn)?;
    let (number, category_id): (i32, i64) = threads::table
        .find(thread_id)
        .select((threads::last_post_number, threads::category_id))
        .first(conn)?;
    let cooked = cook(conn, raw, &settings.image_hosts)?;
    let department = official.then(|| {
        author
            .department
            .clone()
            .unwrap_or_else(|| author.role.as_str().to_string())
    });
    let post: Post = diesel::insert_into(posts::table)
        .values(NewPostRow {
            thread_id,
            number,
            author_id: author.id.0,
            raw,
            cooked: &cooked,
            created_at: now,
            reply_to_number: reply_to.filter(|n| *n >= 1 && *n < number),
            official: i16::from(official),
            department: department.as_deref(),
        })
        .returning(posts::all_columns)
        .get_result(conn)?;
    if official {
        diesel::update(threads::table.find(thread_id))
            .set(threads::official_post_id.eq(post.id))
            .execute(conn)?;
    }
    diesel::update(categories::table.find(category_id))
        .set(categories::posts_count.eq(categories::posts_count + 1))
        .execute(conn)?;
    // Who hears about it is decided by the subscribers; the event is durable with the post.
    events::publish(conn, &DomainEvent::PostCreated { post_id: post.id })?;
    Ok(post)
}

/// Starts a thread with its first post; the author watches it.
pub fn create_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &NewThreadForm,
    settings: &ForumSettings,
) -> AppResult<Thread> {
    let user = actor.require_user()?.clone();
    let kind = ThreadKind::parse(form.kind.trim())
        .ok_or_else(|| AppError::invalid_field("kind", "error-kind-invalid"))?;
    let title = form.title.trim();
    let mut problems = vec![];
    if let Err(e) = validate_title(title) {
        problems.push(e);
    }
    if let Err(e) = validate_body(&form.body) {
        problems.push(e);
    }
    if !problems.is_empty() {
        let fields = problems.iter().flat_map(|e| e.fields()).collect();
        return Err(AppError::new(ErrorKind::Invalid {
            code: "invalid_input",
            fields,
        }));
    }
    let category = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.slug == form.category.trim())
        .ok_or_else(|| AppError::invalid_field("category", "error-category-unknown"))?;
    require(can_create_thread(actor, kind))?;
    can_post(actor, settings)?;
    crate::db::write_transaction(conn, |conn| {
        let now = now();
        diesel::update(categories::table.find(category.id))
            .set(categories::threads_count.eq(categories::threads_count + 1))
            .execute(conn)?;
        let slug = slugify(title);
        let thread: Thread = diesel::insert_into(threads::table)
            .values(NewThreadRow {
                category_id: category.id,
                author_id: user.id.0,
                kind: kind.as_i16(),
                title,
                slug: &slug,
                created_at: now,
                bumped_at: now,
            })
            .returning(threads::all_columns)
            .get_result(conn)?;
        add_post(conn, thread.id, &user, &form.body, None, false, settings)?;
        db::upsert_thread_watch(conn, user.id.0, thread.id, WatchLevel::Watching.as_i16())?;
        db::upsert_thread_read(conn, user.id.0, thread.id, 1)?;
        reload_thread(conn, thread.id)
    })
}

/// Replies to a thread; the reply's author starts watching it.
pub fn reply(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    form: &ReplyForm,
    settings: &ForumSettings,
) -> AppResult<(Post, Thread)> {
    let user = actor.require_user()?.clone();
    validate_body(&form.body)?;
    let (thread, _) = visible_thread(conn, actor, thread)?;
    if !can_reply(actor, &thread) {
        return Err(AppError::bad_request("thread_locked"));
    }
    if form.official {
        require(can_post_official(actor))?;
    }
    can_post(actor, settings)?;
    crate::db::write_transaction(conn, |conn| {
        let post = add_post(
            conn,
            thread.id,
            &user,
            &form.body,
            form.reply_to,
            form.official,
            settings,
        )?;
        db::upsert_thread_watch_if_absent(
            conn,
            user.id.0,
            thread.id,
            WatchLevel::Watching.as_i16(),
        )?;
        db::upsert_thread_read(conn, user.id.0, thread.id, post.number)?;
        let thread = reload_thread(conn, thread.id)?;
        Ok((post, thread))
    })
}

/// Changes a post's text, keeping every version: the first edit also records the original.
pub fn edit_post(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
    form: &EditForm,
    settings: &ForumSettings,
) -> AppResult<(Post, Thread)> {
    let user = actor.require_user()?.clone();
    validate_body(&form.body)?;
    let reason = form.reason.trim();
    if reason.chars().count() > 200 {
        return Err(AppError::invalid_field("reason", "error-reason-long"));
    }
    let (post, thread, _) = visible_post(conn, actor, post)?;
    require(can_edit_post(actor, &post))?;
    if post.raw == form.body {
        return Ok((post, thread));
    }
    if thread.is_locked() && !policy::can_moderate(actor) {
        return Err(AppError::bad_request("thread_locked"));
    }
    crate::db::write_transaction(conn, |conn| {
        let now = now();
        let version = post.version + 1;
        // The version bump is the first write: a concurrent edit waits here, then sees it.
        let bumped = diesel::update(
            posts::table
                .find(post.id)
                .filter(posts::version.eq(post.version)),
        )
        .set(posts::version.eq(version))
        .execute(conn)?;
        if bumped == 0 {
            return Err(AppError::new(ErrorKind::Conflict {
                code: "edit_conflict",
                field: "body".into(),
            }));
        }
        if post.version == 1 {
            diesel::insert_into(post_revisions::table)
                .values((
                    post_revisions::post_id.eq(post.id),
                    post_revisions::version.eq(1),
                    post_revisions::raw.eq(&post.raw),
                    post_revisions::cooked.eq(&post.cooked),
                    post_revisions::editor_id.eq(post.author_id),
                    post_revisions::reason.eq(""),
                    post_revisions::created_at.eq(post.created_at),
                ))
                .execute(conn)?;
        }
        let cooked = cook(conn, &form.body, &settings.image_hosts)?;
        diesel::insert_into(post_revisions::table)
            .values((
                post_revisions::post_id.eq(post.id),
                post_revisions::version.eq(version),
                post_revisions::raw.eq(&form.body),
                post_revisions::cooked.eq(&cooked),
                post_revisions::editor_id.eq(user.id.0),
                post_revisions::reason.eq(reason),
                post_revisions::created_at.eq(now),
            ))
            .execute(conn)?;
        diesel::update(posts::table.find(post.id))
            .set((
                posts::raw.eq(&form.body),
                posts::cooked.eq(&cooked),
                posts::edited_at.eq(now),
            ))
            .execute(conn)?;
        events::publish(
            conn,
            &DomainEvent::PostEdited {
                post_id: post.id,
                version,
            },
        )?;
        let post = posts::table
            .find(post.id)
            .select(Post::as_select())
            .first(conn)?;
        Ok((post, thread))
    })
}

/// A post its actor may edit, for the edit form.
pub fn post_for_edit(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
) -> AppResult<(Post, Thread)> {
    actor.require_user()?;
    let (post, thread, _) = visible_post(conn, actor, post)?;
    require(can_edit_post(actor, &post))?;
    Ok((post, thread))
}

/// The Markdown that quotes post `number`, linked to it, for the reply box.
pub fn quote(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    number: i32,
) -> AppResult<Option<String>> {
    let (thread, _) = visible_thread(conn, actor, thread)?;
    let found: Option<(String, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::number.eq(number))
        .select((posts::raw, users::username))
        .first(conn)
        .optional()?;
    Ok(found.map(|(raw, username)| {
        let quoted: String = raw.lines().take(12).map(|l| format!("> {l}\n")).collect();
        format!(
            "> @{username} [#{number}]({}):\n{quoted}\n",
            post_url(&thread, number)
        )
    }))
}

/// Every version of a post, newest first.
pub fn revisions(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
) -> AppResult<(Post, Thread, Vec<RevisionView>)> {
    let (post, thread, _) = visible_post(conn, actor, post)?;
    let rows: Vec<Revision> = post_revisions::table
        .filter(post_revisions::post_id.eq(post.id))
        .order(post_revisions::version.desc())
        .select(Revision::as_select())
        .load(conn)?;
    let editor_ids: Vec<i64> = rows
        .iter()
        .map(|r| r.editor_id)
        .chain([post.author_id])
        .collect();
    let editors = authors(conn, &editor_ids)?;
    let mut views: Vec<RevisionView> = rows
        .iter()
        .map(|r| RevisionView {
            version: r.version,
            cooked: r.cooked.clone(),
            raw: r.raw.clone(),
            editor: editors
                .get(&r.editor_id)
                .cloned()
                .unwrap_or_else(|| unknown_author(r.editor_id)),
            reason: r.reason.clone(),
            created_at: r.created_at,
            current: r.version == post.version,
        })
        .collect();
    if views.is_empty() {
        views.push(RevisionView {
            version: 1,
            cooked: post.cooked.clone(),
            raw: post.raw.clone(),
            editor: editors
                .get(&post.author_id)
                .cloned()
                .unwrap_or_else(|| unknown_author(post.author_id)),
            reason: String::new(),
            created_at: post.created_at,
            current: true,
        });
    }
    Ok((post, thread, views))
}

/// Marks (or, if it already is, unmarks) a reply as the answer to its question.
pub fn toggle_accepted(conn: &mut DbConnection, actor: &Actor, post: PostId) -> AppResult<Thread> {
    actor.require_user()?;
    let (post, thread, _) = visible_post(conn, actor, post)?;
    if thread.kind() != ThreadKind::Question {
        return Err(AppError::bad_request("not_a_question"));
    }
    require(can_accept_answer(actor, &thread))?;
    if post.number == 1 {
        return Err(AppError::bad_request("cannot_accept_question"));
    }
    let accepted = if thread.accepted_post_id == Some(post.id) {
        None
    } else {
        Some(post.id)
    };
    crate::db::write_transaction(conn, |conn| {
        diesel::update(threads::table.find(thread.id))
            .set(threads::accepted_post_id.eq(accepted))
            .execute(conn)?;
        if accepted.is_some() {
            if let Some(by) = actor.user_id() {
                events::publish(
                    conn,
                    &DomainEvent::AnswerAccepted {
                        post_id: post.id,
                        by,
                    },
                )?;
            }
        }
        Ok::<_, AppError>(())
    })?;
    reload_thread(conn, thread.id)
}

/// Pins or unpins, locks or unlocks a thread.
pub fn set_thread_flags(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    pinned: Option<bool>,
    locked: Option<bool>,
) -> AppResult<Thread> {
    actor.require_user()?;
    let (thread, _) = visible_thread(conn, actor, thread)?;
    require(can_moderate_threads(actor))?;
    if let Some(pinned) = pinned {
        diesel::update(threads::table.find(thread.id))
            .set(threads::pinned.eq(i16::from(pinned)))
            .execute(conn)?;
    }
    if let Some(locked) = locked {
        diesel::update(threads::table.find(thread.id))
            .set(threads::locked.eq(i16::from(locked)))
            .execute(conn)?;
    }
    reload_thread(conn, thread.id)
}

/// Moves a thread to another category the mover can see, keeping the counters right.
pub fn move_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    category_slug: &str,
) -> AppResult<Thread> {
    actor.require_user()?;
    let (thread, from) = visible_thread(conn, actor, thread)?;
    require(can_moderate_threads(actor))?;
    let to = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.slug == category_slug.trim())
        .ok_or_else(|| AppError::invalid_field("category", "error-category-unknown"))?;
    if to.id == from.id {
        return Ok(thread);
    }
    crate::db::write_transaction(conn, |conn| {
        diesel::update(threads::table.find(thread.id))
            .set(threads::category_id.eq(to.id))
            .execute(conn)?;
        diesel::update(categories::table.find(from.id))
            .set((
                categories::threads_count.eq(categories::threads_count - 1),
                categories::posts_count.eq(categories::posts_count - thread.posts_count),
            ))
            .execute(conn)?;
        diesel::update(categories::table.find(to.id))
            .set((
                categories::threads_count.eq(categories::threads_count + 1),
                categories::posts_count.eq(categories::posts_count + thread.posts_count),
            ))
            .execute(conn)?;
        events::publish(
            conn,
            &DomainEvent::ThreadMoved {
                thread_id: thread.id,
                from_category: from.id,
                to_category: to.id,
            },
        )?;
        reload_thread(conn, thread.id)
    })
}

/// Adds the reaction, or takes it back if it was there. One's own posts cannot be reacted to.
pub fn toggle_reaction(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
    kind: ReactionKind,
) -> AppResult<(Post, Thread)> {
    let user = actor.require_user()?.clone();
    let (post, thread, _) = visible_post(conn, actor, post)?;
    if post.author_id == user.id.0 {
        return Err(AppError::bad_request("own_post"));
    }
    crate::db::write_transaction(conn, |conn| {
        let removed = diesel::delete(
            reactions::table
                .filter(reactions::post_id.eq(post.id))
                .filter(reactions::user_id.eq(user.id.0))
                .filter(reactions::kind.eq(kind.as_i16())),
        )
        .execute(conn)?;
        let delta: i32 = if removed > 0 {
            -1
        } else {
            diesel::insert_into(reactions::table)
                .values((
                    reactions::post_id.eq(post.id),
                    reactions::user_id.eq(user.id.0),
                    reactions::kind.eq(kind.as_i16()),
                    reactions::created_at.eq(now()),
                ))
                .execute(conn)?;
            events::publish(
                conn,
                &DomainEvent::ReactionAdded {
                    post_id: post.id,
                    by: user.id.0,
                },
            )?;
            1
        };
        if kind == ReactionKind::Like {
            diesel::update(posts::table.find(post.id))
                .set(posts::likes.eq(posts::likes + delta))
                .execute(conn)?;
            diesel::update(threads::table.find(thread.id))
                .set(threads::likes.eq(threads::likes + delta))
                .execute(conn)?;
        }
        let post = posts::table
            .find(post.id)
            .select(Post::as_select())
            .first(conn)?;
        Ok((post, thread.clone()))
    })
}

/// Bookmarks a post, or removes the bookmark. Returns whether it is now bookmarked.
pub fn toggle_bookmark(
    conn: &mut DbConnection,
    actor: &Actor,
    post: PostId,
) -> AppResult<(bool, Post, Thread)> {
    let user = actor.require_user()?.clone();
    let (post, thread, _) = visible_post(conn, actor, post)?;
    let removed = diesel::delete(
        bookmarks::table
            .filter(bookmarks::post_id.eq(post.id))
            .filter(bookmarks::user_id.eq(user.id.0)),
    )
    .execute(conn)?;
    if removed == 0 {
        diesel::insert_into(bookmarks::table)
            .values((
                bookmarks::user_id.eq(user.id.0),
                bookmarks::post_id.eq(post.id),
                bookmarks::created_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok((removed == 0, post, thread))
}

pub fn set_thread_watch(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    level: WatchLevel,
) -> AppResult<Thread> {
    let user = actor.require_user()?.clone();
    let (thread, _) = visible_thread(conn, actor, thread)?;
    db::upsert_thread_watch(conn, user.id.0, thread.id, level.as_i16())?;
    Ok(thread)
}

pub fn set_category_watch(
    conn: &mut DbConnection,
    actor: &Actor,
    slug: &str,
    level: WatchLevel,
) -> AppResult<CategoryView> {
    let user = actor.require_user()?.clone();
    let category = category_by_slug(conn, actor, slug)?;
    db::upsert_category_watch(conn, user.id.0, category.id.0, level.as_i16())?;
    category_by_slug(conn, actor, slug)
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Where a listing comes from.
pub enum ListScope {
    /// Every visible category, minus what the actor muted.
    Latest,
    Category(CategoryId),
    /// Threads started by one member (their profile's activity).
    Author(UserId),
}

fn encode_cursor(bumped_at: NaiveDateTime, id: i64) -> String {
    format!("{}_{}", bumped_at.and_utc().timestamp_micros(), id)
}

fn decode_cursor(text: &str) -> AppResult<(NaiveDateTime, i64)> {
    let bad = || AppError::bad_request("invalid_cursor");
    let (micros, id) = text.split_once('_').ok_or_else(bad)?;
    let micros: i64 = micros.parse().map_err(|_| bad())?;
    let id: i64 = id.parse().map_err(|_| bad())?;
    let at = chrono::DateTime::from_timestamp_micros(micros)
        .ok_or_else(bad)?
        .naive_utc();
    Ok((at, id))
}

/// One page of threads, latest activity first (pinned first on a category's first page).
pub fn list_threads(
    conn: &mut DbConnection,
    actor: &Actor,
    scope: ListScope,
    after: Option<&str>,
) -> AppResult<ThreadList> {
    let visible = visible_categories(conn, actor)?;
    let visible_ids: Vec<i64> = visible.iter().map(|c| c.id).collect();
    // Listings filter by the categories the actor may NOT see: the list is short, and a
    // NOT IN lets the database walk the (bumped_at, id) index in order instead of sorting every
    // visible thread.
    let mut hidden: Vec<i64> = categories::table
        .select(categories::id)
        .load::<i64>(conn)?
        .into_iter()
        .filter(|id| !visible_ids.contains(id))
        .collect();
    let mut query = threads::table.into_boxed();
    let mut pinned_first = false;
    let mut only_category = None;
    match scope {
        ListScope::Latest => {
            if let Some(user) = actor.user_id() {
                let muted: Vec<i64> = category_watches::table
                    .filter(category_watches::user_id.eq(user))
                    .filter(category_watches::level.eq(WatchLevel::Muted.as_i16()))
                    .select(category_watches::category_id)
                    .load(conn)?;
                hidden.extend(muted);
                let muted_threads = thread_watches::table
                    .filter(thread_watches::user_id.eq(user))
                    .filter(thread_watches::level.eq(WatchLevel::Muted.as_i16()))
                    .select(thread_watches::thread_id);
                query = query.filter(threads::id.ne_all(muted_threads));
            }
        }
        ListScope::Category(id) => {
            if !visible_ids.contains(&id.0) {
                return Err(not_found());
            }
            only_category = Some(id.0);
            pinned_first = true;
        }
        ListScope::Author(user) => {
            query = query.filter(threads::author_id.eq(user.0));
        }
    }
    match only_category {
        Some(category) => query = query.filter(threads::category_id.eq(category)),
        None if !hidden.is_empty() => query = query.filter(threads::category_id.ne_all(hidden)),
        None => {}
    }
    let mut rows: Vec<Thread> = vec![];
    if pinned_first {
        query = query.filter(threads::pinned.eq(0));
        if after.is_none() {
            rows = threads::table
                .filter(threads::category_id.eq_any(only_category))
                // `= 1`, not `<> 0`: an equality the (category, pinned, bumped_at) index can seek.
                .filter(threads::pinned.eq(1))
                .order((threads::bumped_at.desc(), threads::id.desc()))
                .select(Thread::as_select())
                .load(conn)?;
        }
    }
    if let Some(cursor) = after {
        let (at, id) = decode_cursor(cursor)?;
        query = query.filter(
            threads::bumped_at
                .lt(at)
                .or(threads::bumped_at.eq(at).and(threads::id.lt(id))),
        );
    }
    let mut page: Vec<Thread> = query
        .order((threads::bumped_at.desc(), threads::id.desc()))
        .limit(THREADS_PER_PAGE + 1)
        .select(Thread::as_select())
        .load(conn)?;
    let more = page.len() as i64 > THREADS_PER_PAGE;
    page.truncate(THREADS_PER_PAGE as usize);
    let next_after = if more {
        page.last().map(|t| encode_cursor(t.bumped_at, t.id))
    } else {
        None
    };
    rows.extend(page);
    Ok(ThreadList {
        threads: summaries(conn, actor, &rows, &visible)?,
        next_after,
    })
}

fn summaries(
    conn: &mut DbConnection,
    actor: &Actor,
    rows: &[Thread],
    visible: &[Category],
) -> AppResult<Vec<ThreadSummary>> {
    let author_ids: Vec<i64> = rows.iter().map(|t| t.author_id).collect();
    let people = authors(conn, &author_ids)?;
    let thread_ids: Vec<i64> = rows.iter().map(|t| t.id).collect();
    let reads: HashMap<i64, i32> = match actor.user_id() {
        Some(user) => thread_reads::table
            .filter(thread_reads::user_id.eq(user))
            .filter(thread_reads::thread_id.eq_any(&thread_ids))
            .select((thread_reads::thread_id, thread_reads::last_read_number))
            .load::<(i64, i32)>(conn)?
            .into_iter()
            .collect(),
        None => HashMap::new(),
    };
    Ok(rows
        .iter()
        .map(|t| {
            let category = visible.iter().find(|c| c.id == t.category_id);
            ThreadSummary {
                id: ThreadId(t.id),
                slug: t.slug.clone(),
                title: t.title.clone(),
                kind: t.kind(),
                category_slug: category.map(|c| c.slug.clone()).unwrap_or_default(),
                category_name: category.map(|c| c.name.clone()).unwrap_or_default(),
                author: people
                    .get(&t.author_id)
                    .cloned()
                    .unwrap_or_else(|| unknown_author(t.author_id)),
                created_at: t.created_at,
                bumped_at: t.bumped_at,
                posts_count: t.posts_count,
                replies: (t.posts_count - 1).max(0),
                views: t.views,
                likes: t.likes,
                pinned: t.pinned != 0,
                locked: t.is_locked(),
                solved: t.accepted_post_id.is_some(),
                has_official_answer: t.official_post_id.is_some(),
                unread: actor
                    .user_id()
                    .map(|_| (t.last_post_number - reads.get(&t.id).copied().unwrap_or(0)).max(0)),
                url: thread_url(t),
            }
        })
        .collect())
}

fn post_views(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: &Thread,
    rows: &[Post],
) -> AppResult<Vec<PostView>> {
    let ids: Vec<i64> = rows.iter().map(|p| p.id).collect();
    let author_ids: Vec<i64> = rows.iter().map(|p| p.author_id).collect();
    let people = authors(conn, &author_ids)?;
    let counts: Vec<(i64, i16, i64)> = reactions::table
        .filter(reactions::post_id.eq_any(&ids))
        .group_by((reactions::post_id, reactions::kind))
        .select((
            reactions::post_id,
            reactions::kind,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let (mine, marked): (Vec<(i64, i16)>, Vec<i64>) = match actor.user_id() {
        Some(user) => (
            reactions::table
                .filter(reactions::post_id.eq_any(&ids))
                .filter(reactions::user_id.eq(user))
                .select((reactions::post_id, reactions::kind))
                .load(conn)?,
            bookmarks::table
                .filter(bookmarks::post_id.eq_any(&ids))
                .filter(bookmarks::user_id.eq(user))
                .select(bookmarks::post_id)
                .load(conn)?,
        ),
        None => (vec![], vec![]),
    };
    let accept = can_accept_answer(actor, thread);
    Ok(rows
        .iter()
        .map(|p| PostView {
            id: PostId(p.id),
            number: p.number,
            author: people
                .get(&p.author_id)
                .cloned()
                .unwrap_or_else(|| unknown_author(p.author_id)),
            cooked: p.cooked.clone(),
            created_at: p.created_at,
            edited_at: p.edited_at,
            version: p.version,
            reply_to: p.reply_to_number,
            official: p.official != 0,
            department: p.department.clone(),
            accepted: thread.accepted_post_id == Some(p.id),
            reactions: ReactionKind::ALL
                .iter()
                .map(|kind| ReactionCount {
                    kind: *kind,
                    emoji: kind.emoji().to_string(),
                    count: counts
                        .iter()
                        .find(|(post, k, _)| *post == p.id && *k == kind.as_i16())
                        .map_or(0, |(_, _, n)| *n),
                    mine: mine.contains(&(p.id, kind.as_i16())),
                })
                .collect(),
            bookmarked: marked.contains(&p.id),
            can_edit: can_edit_post(actor, p),
            can_accept: accept && p.number > 1,
            url: post_url(thread, p.number),
        })
        .collect())
}

/// The cursor of a thread's last page.
pub fn last_page_start(conn: &mut DbConnection, actor: &Actor, id: ThreadId) -> AppResult<i32> {
    let (thread, _) = visible_thread(conn, actor, id)?;
    Ok(page_start_for(thread.last_post_number))
}

/// One page of a thread: posts with numbers after `after`, plus the question's accepted and
/// official answers. Moves the reader's marker (views are counted by `views::ViewCounter`).
pub fn thread_page(
    conn: &mut DbConnection,
    actor: &Actor,
    id: ThreadId,
    after: i32,
) -> AppResult<ThreadPage> {
    let thread: Thread = threads::table
        .find(id.0)
        .select(Thread::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(not_found)?;
    let visible = visible_categories(conn, actor)?;
    let category = visible
        .iter()
        .find(|c| c.id == thread.category_id)
        .cloned()
        .ok_or_else(not_found)?;
    let after = after.max(0);
    let rows: Vec<Post> = posts::table
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::number.gt(after))
        .order(posts::number.asc())
        .limit(POSTS_PER_PAGE)
        .select(Post::as_select())
        .load(conn)?;
    let specials: Vec<i64> = [thread.accepted_post_id, thread.official_post_id]
        .into_iter()
        .flatten()
        .collect();
    let special_rows: Vec<Post> = if specials.is_empty() {
        vec![]
    } else {
        posts::table
            .filter(posts::id.eq_any(&specials))
            .select(Post::as_select())
            .load(conn)?
    };
    let mut views = post_views(conn, actor, &thread, &rows)?;
    let special_views = post_views(conn, actor, &thread, &special_rows)?;
    let accepted = special_views
        .iter()
        .find(|p| Some(p.id.0) == thread.accepted_post_id)
        .cloned();
    let official = special_views
        .iter()
        .find(|p| Some(p.id.0) == thread.official_post_id)
        .cloned();
    let mut first_unread = None;
    let mut watch = WatchLevel::Normal;
    if let Some(user) = actor.user_id() {
        let before: Option<i32> = thread_reads::table
            .filter(thread_reads::user_id.eq(user))
            .filter(thread_reads::thread_id.eq(thread.id))
            .select(thread_reads::last_read_number)
            .first(conn)
            .optional()?;
        let read = before.unwrap_or(0);
        if read < thread.last_post_number {
            first_unread = Some(read + 1);
        }
        if let Some(last) = rows.last() {
            db::upsert_thread_read(conn, user, thread.id, last.number)?;
        }
        watch = thread_watches::table
            .filter(thread_watches::user_id.eq(user))
            .filter(thread_watches::thread_id.eq(thread.id))
            .select(thread_watches::level)
            .first::<i16>(conn)
            .optional()?
            .and_then(WatchLevel::from_i16)
            .unwrap_or(WatchLevel::Normal);
    }
    let last_shown = views.last().map_or(after, |p| p.number);
    let next_after =
        (last_shown < thread.last_post_number && !views.is_empty()).then_some(last_shown);
    let previous_after = (after > 0).then(|| (after - POSTS_PER_PAGE as i32).max(0));
    // The question itself shows its accepted/official answer; avoid repeating the flags twice.
    for post in &mut views {
        post.accepted = thread.accepted_post_id == Some(post.id.0);
    }
    let summary = summaries(conn, actor, std::slice::from_ref(&thread), &visible)?
        .into_iter()
        .next()
        .ok_or_else(not_found)?;
    let names = group_names_by_category(conn)?;
    let watches = category_watch_levels(conn, actor)?;
    Ok(ThreadPage {
        thread: summary,
        category: category_view(&category, &visible, &names, &watches),
        accepted,
        official,
        posts: views,
        previous_after,
        next_after,
        can_reply: can_reply(actor, &thread),
        can_moderate: can_moderate_threads(actor),
        can_post_official: can_post_official(actor),
        watch,
        first_unread,
    })
}

/// A single post as the actor sees it (for the API and post-without-reload).
pub fn post_view(
    conn: &mut DbConnection,
    actor: &Actor,
    post: &Post,
    thread: &Thread,
) -> AppResult<PostView> {
    post_views(conn, actor, thread, std::slice::from_ref(post))?
        .into_iter()
        .next()
        .ok_or_else(not_found)
}

/// The actor's bookmarks, newest first, only where they may still look.
pub fn list_bookmarks(
    conn: &mut DbConnection,
    actor: &Actor,
) -> AppResult<Vec<(ThreadSummary, PostView)>> {
    let user = actor.require_user()?.id.0;
    let visible = visible_categories(conn, actor)?;
    let ids: Vec<i64> = visible.iter().map(|c| c.id).collect();
    let rows: Vec<(Post, Thread)> = bookmarks::table
        .inner_join(posts::table.inner_join(threads::table))
        .filter(bookmarks::user_id.eq(user))
        .filter(threads::category_id.eq_any(ids))
        .order(bookmarks::created_at.desc())
        .limit(100)
        .select((Post::as_select(), Thread::as_select()))
        .load(conn)?;
    let mut result = vec![];
    for (post, thread) in rows {
        let summary = summaries(conn, actor, std::slice::from_ref(&thread), &visible)?;
        let view = post_view(conn, actor, &post, &thread)?;
        if let Some(summary) = summary.into_iter().next() {
            result.push((summary, view));
        }
    }
    Ok(result)
}

/// How many visible threads have activity since the actor's previous visit.
pub fn new_since_last_visit(conn: &mut DbConnection, actor: &Actor) -> AppResult<Option<i64>> {
    let Some(user) = actor.user_id() else {
        return Ok(None);
    };
    let previous: Option<NaiveDateTime> = users::table
        .find(user)
        .select(users::previous_visit_at)
        .first(conn)?;
    let Some(previous) = previous else {
        return Ok(None);
    };
    let ids = visible_ids(conn, actor)?;
    let count: i64 = threads::table
        .filter(threads::category_id.eq_any(ids))
        .filter(threads::bumped_at.gt(previous))
        .count()
        .get_result(conn)?;
    Ok(Some(count))
}

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

    #[test]
    fn cursors_round_trip() {
        let at = now();
        let (decoded, id) = decode_cursor(&encode_cursor(at, 42)).unwrap();
        assert_eq!((decoded, id), (at, 42));
        assert!(decode_cursor("garbage").is_err());
    }
}
