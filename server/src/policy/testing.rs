//! The role-table kit for rule tests (policy's and each domain's): one `Actor` per kind of
//! requester and `table`, which checks a rule's answer for every row and reports every mismatch
//! at once.

use super::Actor;
use crate::accounts::model::{CurrentUser, Role, UserId};
use crate::forum::model::GroupId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Unverified,
    Member,
    BrandStaff,
    Moderator,
    CommunityManager,
    Admin,
    GroupMember,
}

pub const EVERYONE: [Who; 8] = [
    Who::Anonymous,
    Who::Unverified,
    Who::Member,
    Who::BrandStaff,
    Who::Moderator,
    Who::CommunityManager,
    Who::Admin,
    Who::GroupMember,
];

pub const STAFF_GROUP: GroupId = GroupId(7);

/// A requester of each kind: user id 42 (signed in) and, for `GroupMember`, `STAFF_GROUP`.
pub fn actor(who: Who) -> Actor {
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
        silenced_until: None,
        suspended_until: None,
        review_open: None,
        first_week: 0,
        previous_visit_at: None,
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
        catalog: None,
    }
}

/// Checks `rule` against the expected answer per requester and reports every mismatch at once.
pub fn table(rule: &str, check: impl Fn(&Actor) -> bool, expected: &[(Who, bool)]) {
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
