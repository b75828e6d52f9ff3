//! Writing: threads and replies (post numbers and counters in one transaction), edits that
//! keep every revision, quotes, accepted and official answers, and the moderators' pin, lock
//! and move. Markdown is cooked once, here, at write time.

use std::collections::HashSet;

use diesel::prelude::*;

use super::engagement::{upsert_thread_read, upsert_watch, Existing, Watched};
use super::{
    authors, can_accept_answer, can_arrange_threads, can_create_thread, can_edit_post,
    can_moderate_threads, can_post, can_post_official, can_reply, post_url, reload_thread, slugify,
    unknown_author, visible_post, visible_thread, ForumSettings, TITLE_MAX, TITLE_MIN,
};
use crate::accounts::model::{CurrentUser, UserId};
use crate::db::schema::{categories, post_revisions, posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::events::{self, DomainEvent};
use crate::forum::markdown;
use crate::forum::model::*;
use crate::newtypes::Flag;
use crate::policy::{self, require, visible_categories, Actor};
use crate::screening::{screen, Place, Screened};
use crate::util::now;

fn validate_title(title: &str) -> AppResult<()> {
    let length = title.chars().count();
    if !(TITLE_MIN..=TITLE_MAX).contains(&length) {
        return Err(AppError::invalid_field("title", "error-title-length"));
    }
    Ok(())
}

pub(super) fn validate_body(body: &str) -> AppResult<()> {
    let length = body.trim().chars().count();
    if length == 0 {
        return Err(AppError::invalid_field("body", "error-body-empty"));
    }
    if body.chars().count() > markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-body-long"));
    }
    Ok(())
}

/// Markdown exactly as a post would show it, without saving anything. `known` are the
/// mentioned members who exist (`known_mentions`); rendering needs no database connection.
pub fn preview(
    form: &PreviewForm,
    known: &HashSet<String>,
    settings: &ForumSettings,
) -> AppResult<String> {
    if form.body.chars().count() > markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-body-long"));
    }
    Ok(markdown::render(&form.body, known, &settings.image_hosts))
}

/// The members `raw` mentions who exist (normalized usernames); no query when it mentions none.
pub fn known_mentions(conn: &mut DbConnection, raw: &str) -> AppResult<HashSet<String>> {
    let candidates = markdown::mentions(raw);
    if candidates.is_empty() {
        return Ok(HashSet::new());
    }
    Ok(users::table
        .filter(users::username_normalized.eq_any(&candidates))
        .select(users::username_normalized)
        .load::<String>(conn)?
        .into_iter()
        .collect())
}

/// Renders Markdown, linking mentions of members who exist.
pub fn cook(
    conn: &mut DbConnection,
    raw: &str,
    image_hosts: &[String],
    links: bool,
) -> AppResult<String> {
    let known = known_mentions(conn, raw)?;
    Ok(if links {
        markdown::render(raw, &known, image_hosts)
    } else {
        markdown::render_without_links(raw, &known)
    })
}

/// Members at trust level 0 post without links or images (spam's first tool); staff may always.
pub fn may_link(user: &CurrentUser) -> bool {
    user.trust_level > 0 || user.role >= crate::accounts::model::Role::Moderator
}

/// A post's text made ready before its write transaction: Markdown rendered with its mentions
/// resolved, and its language. The write lock (SQLite's, or the thread row's on PostgreSQL)
/// is then held for the writes only, which keeps concurrent replies from queueing behind
/// each other's rendering.
struct Ready {
    cooked: String,
    lang: Option<String>,
}

fn ready(
    conn: &mut DbConnection,
    screened: &Screened,
    author: &CurrentUser,
    settings: &ForumSettings,
) -> AppResult<Ready> {
    let raw = screened.text.as_str();
    Ok(Ready {
        cooked: cook(conn, raw, &settings.image_hosts, may_link(author))?,
        lang: crate::forum::language::of_text(raw, author.locale.as_deref()),
    })
}

/// Adds a post to a thread inside the caller's transaction. The first statement is a write (the
/// thread's post counter), so SQLite takes its write lock at once and PostgreSQL locks the
/// thread row: concurrent replies get consecutive numbers and exact counters on both backends.
fn add_post(
    conn: &mut DbConnection,
    thread_id: ThreadId,
    author: &CurrentUser,
    screened: &Screened,
    Ready { cooked, lang }: &Ready,
    reply_to: Option<i32>,
    official: bool,
) -> AppResult<(Post, Thread)> {
    let raw = screened.text.as_str();
    let now = now();
    let held = screened.outcome.is_held();
    // The thread as it is after this post (the caller's answer), from the update itself.
    let mut thread: Thread = if held {
        // A held post takes its number but neither bumps nor counts until it is approved.
        diesel::update(threads::table.find(thread_id))
            .set(threads::last_post_number.eq(threads::last_post_number + 1))
            .returning(threads::all_columns)
            .get_result(conn)?
    } else {
        diesel::update(threads::table.find(thread_id))
            .set((
                threads::last_post_number.eq(threads::last_post_number + 1),
                threads::posts_count.eq(threads::posts_count + 1),
                threads::bumped_at.eq(now),
                threads::last_poster_id.eq(author.id),
            ))
            .returning(threads::all_columns)
            .get_result(conn)?
    };
    let number = thread.last_post_number;
    let department = official.then(|| {
        author
            .department
            .clone()
            .unwrap_or_else(|| author.role.as_str().to_string())
    });
    let mut post: Post = diesel::insert_into(posts::table)
        .values(NewPostRow {
            thread_id,
            number,
            author_id: author.id,
            raw,
            cooked,
            created_at: now,
            reply_to_number: reply_to.filter(|n| *n >= 1 && *n < number),
            official: Flag(official),
            department: department.as_deref(),
            lang: lang.as_deref(),
        })
        .returning(posts::all_columns)
        .get_result(conn)?;
    if official {
        diesel::update(threads::table.find(thread_id))
            .set(threads::official_post_id.eq(post.id))
            .execute(conn)?;
        thread.official_post_id = Some(post.id);
    }
    // Searchable from this transaction on (who may find it is decided when searching).
    crate::search::index::index_new_post(conn, post.id.0, number, &thread.title, raw)?;
    if held {
        // Held for review: nobody hears of it until a moderator approves it.
        super::moderated::set_post_state(conn, &post, ContentState::Held, None)?;
        post.state = ContentState::Held;
    } else {
        // Who hears about it is decided by the subscribers; the event is durable with the post.
        events::publish(conn, &DomainEvent::PostCreated { post_id: post.id })?;
        crate::live::announce_in(conn, &crate::live::thread_topic(thread_id))?;
    }
    crate::screening::record(conn, post.id, &screened.outcome)?;
    Ok((post, thread))
}

/// Starts a thread with its first post; the author watches it.
pub fn create_thread(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &NewThreadForm,
    settings: &ForumSettings,
) -> AppResult<Thread> {
    let user = actor.require_user()?.clone();
    let kind = form
        .kind
        .known()
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
            code: ErrorCode::InvalidInput,
            fields,
        }));
    }
    let category = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.slug == form.category.trim())
        .ok_or_else(|| AppError::invalid_field("category", "error-category-unknown"))?;
    require(can_create_thread(actor, kind))?;
    can_post(actor, settings)?;
    super::require_posting_rule(conn, actor, &category, super::PostingAct::Start, "category")?;
    let title = screen(conn, actor, title, Place::ThreadTitle, settings)?;
    let mut body = screen(conn, actor, &form.body, Place::NewPost, settings)?;
    body.outcome = crate::screening::combine(title.outcome, body.outcome);
    let title = title.text.as_str();
    let prepared = ready(conn, &body, &user, settings)?;
    // The title's language: its own words and the opening post's tell together.
    let lang =
        crate::forum::language::of_text(&format!("{title}\n{}", body.text), user.locale.as_deref());
    let slug = slugify(title);
    crate::db::write_transaction(conn, |conn| {
        check_posting_rate(conn, actor, &body, settings)?;
        let now = now();
        let thread: Thread = diesel::insert_into(threads::table)
            .values(NewThreadRow {
                category_id: category.id,
                author_id: user.id,
                kind,
                title,
                slug: &slug,
                created_at: now,
                bumped_at: now,
                lang: lang.as_deref(),
            })
            .returning(threads::all_columns)
            .get_result(conn)?;
        let (_, thread) = add_post(conn, thread.id, &user, &body, &prepared, None, false)?;
        upsert_watch(
            conn,
            user.id,
            Watched::Thread(thread.id),
            WatchLevel::Watching,
            Existing::Replace,
        )?;
        upsert_thread_read(conn, user.id, thread.id, 1)?;
        super::drafts::clear(conn, user.id, super::drafts::DraftOf::NewThread)?;
        // A held first post counts (thread and post) when it is approved.
        if !body.outcome.is_held() {
            super::categories::count_in_category(conn, thread.category_id, 1, 1)?;
        }
        Ok(thread)
    })
}

/// The posting limit: a member may write as many posts (threads and replies) in any hour as
/// screening allowed (the community manager's limit for their trust level); moderators and
/// above are not limited. Counted in the database (inside the posting transaction), so it holds
/// across app servers.
fn check_posting_rate(
    conn: &mut DbConnection,
    actor: &Actor,
    screened: &Screened,
    settings: &ForumSettings,
) -> AppResult<()> {
    let user = actor.require_user()?;
    if policy::can_moderate(actor) || !settings.posting_limits {
        return Ok(());
    }
    let Some(limit) = screened.posts_per_hour.filter(|&l| l > 0) else {
        return Ok(()); // No limit set.
    };
    if let DbConnection::Postgresql(pg) = conn {
        // One count at a time per member: parallel posts wait here instead of all seeing room.
        // NO KEY UPDATE: rows that merely reference the member (their posts) are not blocked.
        // (SQLite's write transaction already runs one writer at a time.)
        use diesel::connection::SimpleConnection as _;
        pg.batch_execute(&format!(
            "SELECT id FROM users WHERE id = {} FOR NO KEY UPDATE",
            user.id
        ))?;
    }
    // The member's `limit`-th newest post of the last hour, if there is one: one row read
    // through the (author_id, created_at) index.
    let since = now() - chrono::Duration::hours(1);
    let limit_th: Option<chrono::NaiveDateTime> = posts::table
        .filter(posts::author_id.eq(user.id))
        .filter(posts::created_at.gt(since))
        .order(posts::created_at.desc())
        .offset(i64::from(limit) - 1)
        .limit(1)
        .select(posts::created_at)
        .first(conn)
        .optional()?;
    match limit_th {
        None => Ok(()),
        // Free again when that post leaves the hour.
        Some(at) => Err(AppError::new(ErrorKind::RateLimited {
            retry_after: (at - since).num_seconds().max(1) as u64,
        })),
    }
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
    let (thread, category) = visible_thread(conn, actor, thread)?;
    if !can_reply(actor, &thread) {
        return Err(AppError::bad_request(ErrorCode::ThreadLocked));
    }
    super::require_posting_rule(conn, actor, &category, super::PostingAct::Reply, "form")?;
    if form.official {
        require(can_post_official(actor))?;
    }
    can_post(actor, settings)?;
    let body = screen(conn, actor, &form.body, Place::NewPost, settings)?;
    let prepared = ready(conn, &body, &user, settings)?;
    crate::db::write_transaction(conn, |conn| {
        check_posting_rate(conn, actor, &body, settings)?;
        let (post, thread) = add_post(
            conn,
            thread.id,
            &user,
            &body,
            &prepared,
            form.reply_to,
            form.official,
        )?;
        upsert_watch(
            conn,
            user.id,
            Watched::Thread(thread.id),
            WatchLevel::Watching,
            Existing::Keep,
        )?;
        upsert_thread_read(conn, user.id, thread.id, post.number)?;
        super::drafts::clear(conn, user.id, super::drafts::DraftOf::Reply(thread.id))?;
        // A held reply counts when it is approved.
        if !body.outcome.is_held() {
            super::categories::count_in_category(conn, thread.category_id, 0, 1)?;
        }
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
    policy::may_write(actor, now())?;
    // The author of a hidden post may edit it once to ask for review (it returns to the queue;
    // `can_edit_post` refuses the second time).
    let resubmit = post.state == ContentState::Hidden;
    if post.raw == form.body {
        return Ok((post, thread));
    }
    let mut body = screen(conn, actor, &form.body, Place::Edit, settings)?;
    // An edit is not held (that would take published text, and for an opening post its whole
    // thread, away from readers): it goes to the queue flagged instead.
    if let crate::screening::Outcome::Hold { reasons } = body.outcome {
        body.outcome = crate::screening::Outcome::Flag { reasons };
    }
    if thread.is_locked() && !policy::can_moderate(actor) {
        return Err(AppError::bad_request(ErrorCode::ThreadLocked));
    }
    crate::db::write_transaction(conn, |conn| {
        if body.outcome != crate::screening::Outcome::Publish {
            // Screens that will record this post lock it first, in the order their own
            // decisions do (PostgreSQL would otherwise deadlock).
            crate::screening::lock(conn, post.id)?;
        }
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
                code: ErrorCode::EditConflict,
                field: "body".into(),
            }));
        }
        record_revision(
            conn,
            &post,
            version,
            &body.text,
            user.id,
            reason,
            settings,
            may_link(&user),
            now,
        )?;
        if resubmit {
            diesel::update(posts::table.find(post.id))
                .set(posts::state.eq(ContentState::Resubmitted))
                .execute(conn)?;
        }
        crate::screening::record(conn, post.id, &body.outcome)?;
        let post = posts::table
            .find(post.id)
            .select(Post::as_select())
            .first(conn)?;
        Ok((post, thread))
    })
}

/// Writes `raw` as the post's revision `version` (keeping version 1 as a revision on the first
/// edit), updates the post and publishes `PostEdited`. The caller has bumped the version.
#[allow(clippy::too_many_arguments)]
pub(crate) fn record_revision(
    conn: &mut DbConnection,
    post: &Post,
    version: i32,
    raw: &str,
    editor: UserId,
    reason: &str,
    settings: &ForumSettings,
    links: bool,
    now: chrono::NaiveDateTime,
) -> AppResult<()> {
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
    let cooked = cook(conn, raw, &settings.image_hosts, links)?;
    diesel::insert_into(post_revisions::table)
        .values((
            post_revisions::post_id.eq(post.id),
            post_revisions::version.eq(version),
            post_revisions::raw.eq(raw),
            post_revisions::cooked.eq(&cooked),
            post_revisions::editor_id.eq(editor),
            post_revisions::reason.eq(reason),
            post_revisions::created_at.eq(now),
        ))
        .execute(conn)?;
    // Detected again (an editor's own setting says nothing about the author's text).
    let lang = crate::forum::language::of_text(raw, None).or_else(|| post.lang.clone());
    diesel::update(posts::table.find(post.id))
        .set((
            posts::raw.eq(raw),
            posts::cooked.eq(&cooked),
            posts::edited_at.eq(now),
            posts::lang.eq(&lang),
        ))
        .execute(conn)?;
    crate::search::index::index_post(conn, post.id.0)?;
    events::publish(
        conn,
        &DomainEvent::PostEdited {
            post_id: post.id,
            version,
        },
    )?;
    Ok(())
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
    let found: Option<(Post, String)> = posts::table
        .inner_join(users::table)
        .filter(posts::thread_id.eq(thread.id))
        .filter(posts::number.eq(number))
        .select((Post::as_select(), users::username))
        .first(conn)
        .optional()?;
    // Moderated text is quoted by nobody (not even its author: the quote would republish it).
    let found = found.filter(|(post, _)| post.state.is_public());
    Ok(found.map(|(Post { raw, .. }, username)| {
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
    // Once a moderator acted on a post, its earlier text is for staff and its author only (the
    // evidence stays in the moderation snapshot); others see the versions after the action.
    let restricted = if actor.user_id() == Some(post.author_id) || policy::can_moderate(actor) {
        0
    } else if !post.state.is_public() {
        i32::MAX
    } else {
        post.history_hidden_through
    };
    let rows: Vec<Revision> = post_revisions::table
        .filter(post_revisions::post_id.eq(post.id))
        .filter(post_revisions::version.gt(restricted))
        .order(post_revisions::version.desc())
        .select(Revision::as_select())
        .load(conn)?;
    let editor_ids: Vec<UserId> = rows
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
    // Moderators' names are for staff: others see that a moderator edited, not who.
    if !policy::can_moderate(actor) {
        for view in &mut views {
            if view.editor.id != post.author_id {
                view.editor = AuthorView {
                    id: UserId(0),
                    username: String::new(),
                    display_name: String::new(),
                    role: "moderator".into(),
                    department: None,
                    badges: vec![],
                    flair: None,
                };
            }
        }
    }
    if views.is_empty() && restricted == 0 {
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
    policy::may_write(actor, now())?;
    let (post, thread, _) = visible_post(conn, actor, post)?;
    if thread.kind != ThreadKind::Question {
        return Err(AppError::bad_request(ErrorCode::NotAQuestion));
    }
    require(can_accept_answer(actor, &thread))?;
    if post.number == 1 {
        return Err(AppError::bad_request(ErrorCode::CannotAcceptQuestion));
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
        if let Some(before) = thread.accepted_post_id {
            events::publish(conn, &DomainEvent::PostChanged { post_id: before })?;
        }
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

/// How a thread is pinned: `Some(None)` unpins; `Some(Some(true))` pins it everywhere.
pub type Pin = Option<Option<bool>>;

/// The pin a moderation form asks for: a global pin (or its removal) wins over the category's.
pub fn pin_of(form: &ModerationForm) -> Pin {
    match (form.pinned, form.pinned_globally) {
        (_, Some(true)) => Some(Some(true)),
        (Some(true), _) => Some(Some(false)),
        (Some(false), _) | (_, Some(false)) => Some(None),
        (None, None) => None,
    }
}

/// Pins (in its category, or everywhere) or unpins, locks or unlocks a thread.
pub fn set_thread_flags(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    pin: Pin,
    locked: Option<bool>,
) -> AppResult<Thread> {
    actor.require_user()?;
    let (thread, _) = visible_thread(conn, actor, thread)?;
    require(if locked.is_some() {
        can_moderate_threads(actor)
    } else {
        can_arrange_threads(actor)
    })?;
    if let Some(pin) = pin {
        let pinned = match pin {
            None => Pinned::Unpinned,
            Some(false) => Pinned::InCategory,
            Some(true) => Pinned::Global,
        };
        diesel::update(threads::table.find(thread.id))
            .set(threads::pinned.eq(pinned))
            .execute(conn)?;
    }
    if let Some(locked) = locked {
        diesel::update(threads::table.find(thread.id))
            .set(threads::locked.eq(Flag(locked)))
            .execute(conn)?;
    }
    reload_thread(conn, thread.id)
}

/// Pins, locks and moves a thread as the form asks (pages and API alike).
pub fn moderate(
    conn: &mut DbConnection,
    actor: &Actor,
    thread: ThreadId,
    form: &ModerationForm,
) -> AppResult<Thread> {
    // All or nothing: a bad category leaves the flags as they were.
    crate::db::write_transaction(conn, |conn| {
        let flagged = set_thread_flags(conn, actor, thread, pin_of(form), form.locked)?;
        match &form.category {
            Some(category) => move_thread(conn, actor, thread, category),
            None => Ok(flagged),
        }
    })
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
    require(can_arrange_threads(actor))?;
    let to = visible_categories(conn, actor)?
        .into_iter()
        .find(|c| c.slug == category_slug.trim())
        .ok_or_else(|| AppError::invalid_field("category", "error-category-unknown"))?;
    if to.id == from.id {
        return Ok(thread);
    }
    crate::db::write_transaction(conn, |conn| {
        // Lock the thread row first (a reply's first statement locks it too), then read its
        // counter and category inside the transaction: a reply that landed since the checks
        // above counts. On SQLite the write transaction already holds the database's lock. (A
        // no-op UPDATE would lock as well, but then PostgreSQL re-checks every foreign key of
        // the row on the next update, locking the author's row: a deadlock with their reply.)
        if let DbConnection::Postgresql(pg) = conn {
            use diesel::connection::SimpleConnection as _;
            pg.batch_execute(&format!(
                "SELECT id FROM threads WHERE id = {} FOR NO KEY UPDATE",
                thread.id
            ))?;
        }
        let (posts_count, from_id): (i32, CategoryId) = threads::table
            .find(thread.id)
            .select((threads::posts_count, threads::category_id))
            .first(conn)?;
        if from_id == to.id {
            return reload_thread(conn, thread.id);
        }
        diesel::update(threads::table.find(thread.id))
            .set(threads::category_id.eq(to.id))
            .execute(conn)?;
        diesel::update(categories::table.find(from_id))
            .set((
                categories::threads_count.eq(categories::threads_count - 1),
                categories::posts_count.eq(categories::posts_count - posts_count),
            ))
            .execute(conn)?;
        diesel::update(categories::table.find(to.id))
            .set((
                categories::threads_count.eq(categories::threads_count + 1),
                categories::posts_count.eq(categories::posts_count + posts_count),
            ))
            .execute(conn)?;
        policy::catalog::changed(conn)?;
        events::publish(
            conn,
            &DomainEvent::ThreadMoved {
                thread_id: thread.id,
                from_category: from_id,
                to_category: to.id,
            },
        )?;
        reload_thread(conn, thread.id)
    })
}
