//! The role table of every forum rule: each row is one kind of requester (`policy::testing`),
//! each table the answer a rule must give them, for a thread or post they did not write and, where
//! it matters, for one they did (every test actor is user 42).

use super::*;
use crate::accounts::model::UserId;
use crate::forum::model::{CategoryId, Pinned, PostId, ThreadId};
use crate::newtypes::Flag;
use crate::policy::testing::{actor, table, Who, EVERYONE, STAFF_GROUP};

const SOMEONE_ELSE: UserId = UserId(7);
const THE_ACTOR: UserId = UserId(42);

fn thread(kind: ThreadKind, author: UserId, locked: bool) -> Thread {
    Thread {
        id: ThreadId(1),
        category_id: CategoryId(1),
        author_id: author,
        kind,
        title: "A thread".into(),
        slug: "a-thread".into(),
        created_at: chrono::NaiveDateTime::default(),
        bumped_at: chrono::NaiveDateTime::default(),
        last_post_number: 1,
        posts_count: 1,
        views: 0,
        likes: 0,
        pinned: Pinned::Unpinned,
        locked: Flag(locked),
        accepted_post_id: None,
        official_post_id: None,
        state: ContentState::Visible,
        last_poster_id: None,
        lang: None,
    }
}

fn category(start: (PostingRule, i16), reply: (PostingRule, i16)) -> Category {
    Category {
        id: CategoryId(1),
        parent_id: None,
        slug: "news".into(),
        name: "News".into(),
        description: String::new(),
        position: 1,
        visibility: Visibility::Public,
        threads_count: 0,
        posts_count: 0,
        created_at: chrono::NaiveDateTime::default(),
        start_rule: start.0,
        start_trust: start.1,
        reply_rule: reply.0,
        reply_trust: reply.1,
    }
}

fn post(author: UserId) -> Post {
    Post {
        id: PostId(1),
        thread_id: ThreadId(1),
        number: 2,
        author_id: author,
        raw: "hi".into(),
        cooked: "<p>hi</p>".into(),
        created_at: chrono::NaiveDateTime::default(),
        edited_at: None,
        version: 1,
        reply_to_number: None,
        official: Flag(false),
        department: None,
        likes: 0,
        state: ContentState::Visible,
        moderation_label: None,
        history_hidden_through: 0,
        lang: None,
    }
}

/// Allowed for exactly the listed requesters.
fn only(allowed: &[Who]) -> Vec<(Who, bool)> {
    EVERYONE.iter().map(|w| (*w, allowed.contains(w))).collect()
}

const SIGNED_IN: &[Who] = &[
    Who::Unverified,
    Who::Member,
    Who::BrandStaff,
    Who::Moderator,
    Who::CommunityManager,
    Who::Admin,
    Who::GroupMember,
];
const MODERATORS: &[Who] = &[Who::Moderator, Who::CommunityManager, Who::Admin];

#[test]
fn starting_threads() {
    for kind in [ThreadKind::Discussion, ThreadKind::Question] {
        table(
            kind.as_str(),
            |a| can_create_thread(a, kind),
            &only(SIGNED_IN),
        );
    }
    table(
        "announcement",
        |a| can_create_thread(a, ThreadKind::Announcement),
        &only(&[
            Who::BrandStaff,
            Who::Moderator,
            Who::CommunityManager,
            Who::Admin,
        ]),
    );
    assert_eq!(
        thread_kinds(&actor(Who::Member)),
        ["discussion", "question"]
    );
}

#[test]
fn replying() {
    let open = thread(ThreadKind::Discussion, SOMEONE_ELSE, false);
    table(
        "reply, open thread",
        |a| can_reply(a, &open),
        &only(SIGNED_IN),
    );
    let locked = thread(ThreadKind::Discussion, SOMEONE_ELSE, true);
    table(
        "reply, locked thread",
        |a| can_reply(a, &locked),
        &only(MODERATORS),
    );
}

#[test]
fn posting_rules_of_a_category() {
    let staff = &[
        Who::BrandStaff,
        Who::Moderator,
        Who::CommunityManager,
        Who::Admin,
    ];
    let everyone = category((PostingRule::Everyone, 0), (PostingRule::Everyone, 0));
    for act in [PostingAct::Start, PostingAct::Reply] {
        table(
            "everyone",
            |a| may_post_in(a, &everyone, act, &[]),
            &only(SIGNED_IN),
        );
    }
    let news = category((PostingRule::Staff, 0), (PostingRule::Everyone, 0));
    table(
        "start, staff only",
        |a| may_post_in(a, &news, PostingAct::Start, &[]),
        &only(staff),
    );
    table(
        "reply where only starting is for staff",
        |a| may_post_in(a, &news, PostingAct::Reply, &[]),
        &only(SIGNED_IN),
    );
    // Every test actor has trust level 1; `GroupMember` is in `STAFF_GROUP`.
    let beta = category((PostingRule::Groups, 0), (PostingRule::Staff, 0));
    let mut group_and_staff = staff.to_vec();
    group_and_staff.push(Who::GroupMember);
    table(
        "start, group members",
        |a| may_post_in(a, &beta, PostingAct::Start, &[STAFF_GROUP]),
        &only(&group_and_staff),
    );
    table(
        "reply, staff only",
        |a| may_post_in(a, &beta, PostingAct::Reply, &[STAFF_GROUP]),
        &only(staff),
    );
    let trusted = category((PostingRule::Trust, 2), (PostingRule::Trust, 1));
    table(
        "start, trust level 2",
        |a| may_post_in(a, &trusted, PostingAct::Start, &[]),
        &only(staff),
    );
    table(
        "reply, trust level 1",
        |a| may_post_in(a, &trusted, PostingAct::Reply, &[]),
        &only(SIGNED_IN),
    );
}

#[test]
fn editing() {
    let others = post(SOMEONE_ELSE);
    // Moderators change others' posts only through a review decision (with a rule).
    table(
        "edit someone else's post",
        |a| can_edit_post(a, &others),
        &only(&[]),
    );
    let own = post(THE_ACTOR);
    table(
        "edit one's own post",
        |a| can_edit_post(a, &own),
        &only(SIGNED_IN),
    );
    let hidden = Post {
        state: ContentState::Hidden,
        ..post(THE_ACTOR)
    };
    table(
        "edit one's own hidden post (once, to ask for review)",
        |a| can_edit_post(a, &hidden),
        &only(SIGNED_IN),
    );
    for state in [
        ContentState::Deleted,
        ContentState::Rejected,
        ContentState::Resubmitted,
    ] {
        let closed = Post {
            state,
            ..post(THE_ACTOR)
        };
        table(
            "edit one's own deleted, rejected or resubmitted post",
            |a| can_edit_post(a, &closed),
            &only(MODERATORS),
        );
    }
}

#[test]
fn accepting_answers() {
    let others = thread(ThreadKind::Question, SOMEONE_ELSE, false);
    table(
        "accept on someone else's question",
        |a| can_accept_answer(a, &others),
        &only(MODERATORS),
    );
    let own = thread(ThreadKind::Question, THE_ACTOR, false);
    table(
        "accept on one's own question",
        |a| can_accept_answer(a, &own),
        &only(SIGNED_IN),
    );
    let discussion = thread(ThreadKind::Discussion, THE_ACTOR, false);
    table(
        "accept in a discussion",
        |a| can_accept_answer(a, &discussion),
        &only(&[]),
    );
}

#[test]
fn official_answers_moderation_and_categories() {
    table(
        "official answer",
        can_post_official,
        &only(&[Who::BrandStaff, Who::CommunityManager, Who::Admin]),
    );
    table("pin, lock, move", can_moderate_threads, &only(MODERATORS));
    table(
        "manage categories",
        can_manage_categories,
        &only(&[Who::Admin]),
    );
}
