//! The visibility rule has two forms: "which categories may this actor see" (pages, API) and
//! "which of these members may see this category" (notification fan-out, later search and
//! events). Both come from one rule in `policy`; this checks on real data that they agree for
//! every member and every kind of category, including a subcategory under a private parent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;

use tertulia::accounts::model::{CurrentUser, Role, UserId};
use tertulia::accounts::service as accounts;
use tertulia::forum::model::Category;
use tertulia::policy::{self, Actor};
use tertulia_tests::fixtures::{add_to_group, category, created, general_forum, private_category};
use tertulia_tests::{both_backends, json};

both_backends! {
    fn the_set_form_agrees_with_the_actor_form(app) {
        let admin = general_forum(&app);
        category(&admin, "lounge", "members", "");
        let staff = private_category(&admin, "staff", "staff");
        let other = private_category(&admin, "board", "board");
        // A public subcategory under the private staff category: it takes its parent's limits.
        created(admin.api("POST", "/api/v1/admin/categories", Some(json!({
            "name": "Staff notes", "slug": "staff-notes", "description": "Notes",
            "parent": "staff", "visibility": "public", "groups": "",
        }))));
        for (name, role) in [
            ("plain", Role::Member), ("insider", Role::Member), ("boarder", Role::Member),
            ("moder", Role::Moderator), ("manager", Role::CommunityManager),
        ] {
            app.create_user(name, role);
        }
        add_to_group(&admin, staff.group_id, "insider");
        add_to_group(&admin, other.group_id, "boarder");

        let mut conn = app.db();
        let everyone: Vec<(String, UserId)> = ["admin1", "plain", "insider", "boarder", "moder", "manager"]
            .iter()
            .map(|name| (name.to_string(), accounts::user_by_username(&mut conn, name).unwrap().id))
            .collect();
        let ids: Vec<UserId> = everyone.iter().map(|(_, id)| *id).collect();
        let all: Vec<Category> = policy::all_categories(&mut conn).unwrap();
        assert_eq!(all.len(), 5, "general, lounge, staff, board, staff-notes");
        for category in &all {
            let set_form = policy::who_can_view(&mut conn, category, &ids).unwrap();
            let mut actor_form = HashSet::new();
            for (_, id) in &everyone {
                let user = accounts::user_by_id(&mut conn, *id).unwrap();
                let actor = Actor::load(&mut conn, Some(CurrentUser::from_user(&user))).unwrap();
                if policy::visible_categories(&mut conn, &actor).unwrap().iter().any(|c| c.id == category.id) {
                    actor_form.insert(*id);
                }
            }
            assert_eq!(set_form, actor_form, "category {}", category.slug);
        }
        // And the rule itself, spelled out for the private ones.
        let names = |slug: &str| -> Vec<String> {
            let category = all.iter().find(|c| c.slug == slug).unwrap();
            let allowed = policy::who_can_view(&mut app.db(), category, &ids).unwrap();
            let mut names: Vec<String> = everyone.iter().filter(|(_, id)| allowed.contains(id)).map(|(n, _)| n.clone()).collect();
            names.sort();
            names
        };
        assert_eq!(names("staff"), ["admin1", "insider", "manager", "moder"]);
        assert_eq!(names("staff-notes"), ["admin1", "insider", "manager", "moder"]);
        assert_eq!(names("board"), ["admin1", "boarder", "manager", "moder"]);
        assert_eq!(names("lounge").len(), 6);
    }
}

/// The category id of `slug`, as the API lists categories.
fn category_id(client: &tertulia_tests::Client, slug: &str) -> i64 {
    let list = client.api("GET", "/api/v1/categories", None).json();
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["slug"] == slug)
        .and_then(|c| c["id"].as_i64())
        .unwrap_or_else(|| panic!("no category {slug}: {list}"))
}

fn members_only(admin: &tertulia_tests::Client, id: i64) {
    let changed = admin.api(
        "PUT",
        &format!("/api/v1/admin/categories/{id}"),
        Some(json!({
            "name": "Cat general", "slug": "general", "description": "About general",
            "visibility": "members", "groups": "",
        })),
    );
    assert!(changed.status < 300, "{}: {}", changed.status, changed.body);
}

// Pages keep the catalog (categories and their groups) in memory: a change to it is seen by the
// very next request, and so is a category's count after a post.
both_backends! {
    fn a_change_to_the_catalog_is_seen_at_once(app) {
        let admin = general_forum(&app);
        let ana = tertulia_tests::fixtures::member(&app, "ana");
        let (thread, url) = tertulia_tests::fixtures::thread(
            &ana, "general", "discussion", "Beans from Huila", "Tasting notes.",
        );
        let visitor = app.client();
        // The visitor's pages read the catalog and keep it.
        assert_eq!(visitor.get("/c/general").status, 200);
        assert_eq!(visitor.get(&url).status, 200);
        let posts = |client: &tertulia_tests::Client| {
            let list = client.api("GET", "/api/v1/categories", None).json();
            list.as_array().unwrap().iter().find(|c| c["slug"] == "general").unwrap()["posts_count"]
                .as_i64()
                .unwrap()
        };
        let before = posts(&visitor);
        tertulia_tests::fixtures::reply(&ana, thread, "Chocolate and red fruit.");
        assert_eq!(posts(&visitor), before + 1, "the count moves with the post");
        members_only(&admin, category_id(&admin, "general"));
        assert_eq!(visitor.get("/c/general").status, 404);
        assert_eq!(visitor.get(&url).status, 404);
        assert!(!visitor.get("/").body.contains("Beans from Huila"));
        assert!(!visitor.get("/latest").body.contains("Beans from Huila"));
    }
}

/// PostgreSQL only: another app server on the same database drops its kept catalog when the
/// change commits (LISTEN/NOTIFY), not only when its copy grows old.
#[test]
fn a_change_to_the_catalog_reaches_another_app_server() {
    let Some(app) = tertulia_tests::TestApp::try_start(tertulia_tests::Backend::Postgres) else {
        return;
    };
    let admin = general_forum(&app);
    let ana = tertulia_tests::fixtures::member(&app, "ana");
    let (_, url) = tertulia_tests::fixtures::thread(
        &ana,
        "general",
        "discussion",
        "Beans from Huila",
        "Tasting notes.",
    );
    let other = app.another_app_server();
    let visitor = tertulia_tests::Client::for_base(&other.url());
    assert_eq!(visitor.get(&url).status, 200);
    // Give the other server's listener a moment to LISTEN.
    std::thread::sleep(std::time::Duration::from_millis(300));
    members_only(&admin, category_id(&admin, "general"));
    let started = std::time::Instant::now();
    while visitor.get(&url).status != 404 {
        assert!(
            started.elapsed() < std::time::Duration::from_secs(2),
            "the other server still shows the thread of a category closed to visitors"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}
