//! The role table of every rule in `policy`: each row is one kind of requester, each column the
//! answer a rule must give them. A change of rule shows up as a changed row here.

use super::*;
use crate::accounts::model::UserId;

#[derive(Clone, Copy, Debug)]
enum Who {
    Anonymous,
    Unverified,
    Member,
    BrandStaff,
    Moderator,
    CommunityManager,
    Admin,
    GroupMember,
}

const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Unverified,
    Who::Member,
    Who::BrandStaff,
    Who::Moderator,
    Who::CommunityManager,
    Who::Admin,
    Who::GroupMember,
];

const STAFF_GROUP: GroupId = GroupId(7);

fn actor(who: Who) -> Actor {
    let user = |role: Role, department: Option<&str>, verified: bool| CurrentUser {
        id: UserId(42),
        username: "someone".into(),
        display_name: "Someone".into(),
        role,
        trust_level: 1,
        locale: None,
        department: department.map(str::to_string),
        email_verified: verified,
        unread_notifications: 0,
        session_id: None,
        api_token_id: None,
    };
    let (user, groups) = match who {
        Who::Anonymous => (None, vec![]),
        Who::Unverified => (Some(user(Role::Member, None, false)), vec![]),
        Who::Member => (Some(user(Role::Member, None, true)), vec![]),
        Who::BrandStaff => (Some(user(Role::Member, Some("Support"), true)), vec![]),
        Who::Moderator => (Some(user(Role::Moderator, None, true)), vec![]),
        Who::CommunityManager => (Some(user(Role::CommunityManager, None, true)), vec![]),
        Who::Admin => (Some(user(Role::Admin, None, true)), vec![]),
        Who::GroupMember => (Some(user(Role::Member, None, true)), vec![STAFF_GROUP]),
    };
    Actor {
        user,
        group_ids: groups,
    }
}

fn category(visibility: Visibility) -> Category {
    Category {
        id: CategoryId(1),
        parent_id: None,
        slug: "c".into(),
        name: "C".into(),
        description: String::new(),
        position: 0,
        visibility,
        threads_count: 0,
        posts_count: 0,
        created_at: chrono::NaiveDateTime::default(),
    }
}

/// Checks `rule` against the expected answer per requester and reports every mismatch at once.
fn table(rule: &str, check: impl Fn(&Actor) -> bool, expected: &[(Who, bool)]) {
    assert_eq!(
        expected.len(),
        EVERYONE.len(),
        "{rule}: one row per requester"
    );
    let wrong: Vec<String> = expected
        .iter()
        .filter(|(who, allowed)| check(&actor(*who)) != *allowed)
        .map(|(who, allowed)| {
            format!(
                "{who:?} should {}be allowed",
                if *allowed { "" } else { "not " }
            )
        })
        .collect();
    assert!(wrong.is_empty(), "{rule}: {}", wrong.join("; "));
}

#[test]
fn moderation_powers_come_with_the_moderator_role_not_a_department() {
    use Who::*;
    table(
        "can_moderate",
        can_moderate,
        &[
            (Anonymous, false),
            (Unverified, false),
            (Member, false),
            (BrandStaff, false),
            (Moderator, true),
            (CommunityManager, true),
            (Admin, true),
            (GroupMember, false),
        ],
    );
}

#[test]
fn brand_staff_community_managers_and_admins_speak_for_the_brand() {
    use Who::*;
    table(
        "speaks_for_brand",
        speaks_for_brand,
        &[
            (Anonymous, false),
            (Unverified, false),
            (Member, false),
            (BrandStaff, true),
            (Moderator, false),
            (CommunityManager, true),
            (Admin, true),
            (GroupMember, false),
        ],
    );
}

#[test]
fn only_admins_administer() {
    use Who::*;
    table(
        "can_administer",
        can_administer,
        &[
            (Anonymous, false),
            (Unverified, false),
            (Member, false),
            (BrandStaff, false),
            (Moderator, false),
            (CommunityManager, false),
            (Admin, true),
            (GroupMember, false),
        ],
    );
}

#[test]
fn category_visibility_per_requester() {
    use Who::*;
    let public = category(Visibility::Public);
    table(
        "can_view_category(public)",
        |a| can_view_category(a, &public, &[]),
        &EVERYONE.map(|w| (w, true)),
    );
    let members = category(Visibility::Members);
    table(
        "can_view_category(members)",
        |a| can_view_category(a, &members, &[]),
        &EVERYONE.map(|w| (w, !matches!(w, Anonymous))),
    );
    let private = category(Visibility::Private);
    table(
        "can_view_category(private, staff group)",
        |a| can_view_category(a, &private, &[STAFF_GROUP]),
        &[
            (Anonymous, false),
            (Unverified, false),
            (Member, false),
            (BrandStaff, false),
            (Moderator, true),
            (CommunityManager, true),
            (Admin, true),
            (GroupMember, true),
        ],
    );
    // The same member, once the category belongs to another group, is an outsider.
    table(
        "can_view_category(private, other group)",
        |a| can_view_category(a, &private, &[GroupId(STAFF_GROUP.0 + 1)]),
        &[
            (Anonymous, false),
            (Unverified, false),
            (Member, false),
            (BrandStaff, false),
            (Moderator, true),
            (CommunityManager, true),
            (Admin, true),
            (GroupMember, false),
        ],
    );
}
