//! The role table of every rule in `policy`: each row is one kind of requester, each column the
//! answer a rule must give them. A change of rule shows up as a changed row here.

use super::testing::*;
use super::*;

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
        start_rule: crate::forum::model::PostingRule::Everyone,
        start_trust: 0,
        reply_rule: crate::forum::model::PostingRule::Everyone,
        reply_trust: 0,
    }
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
