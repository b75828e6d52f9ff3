//! The admin's user list and role changes, per role, through pages and the API.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia_tests::fixtures::{private_category, public_category, thread};
use tertulia_tests::{both_backends, json, PASSWORD};

fn user_id(app: &tertulia_tests::TestApp, username: &str) -> i64 {
    app.client()
        .api("GET", &format!("/api/v1/users/{username}"), None)
        .json()["id"]
        .as_i64()
        .unwrap()
}

both_backends! {
    fn members_and_moderators_cannot_administer(app) {
        for (name, role) in [("memo", Role::Member), ("moni", Role::Moderator), ("carmen", Role::CommunityManager)] {
            let client = app.logged_in(name, role);
            let page = client.get("/admin/users");
            assert_eq!(page.status, 403, "{name}");
            assert!(page.body.contains("You do not have permission to do that."));
            let api = client.api("GET", "/api/v1/admin/users", None);
            assert_eq!(api.status, 403);
            assert_eq!(api.error_code(), "forbidden");
            let id = user_id(&app, name);
            let raise = client.api("PUT", &format!("/api/v1/admin/users/{id}/role"), Some(json!({"role": "admin"})));
            assert_eq!(raise.status, 403);
            let form = client.submit_form("/", &format!("/admin/users/{id}/role"), &[("role", "admin")]);
            assert_eq!(form.status, 403);
            assert!(!client.get("/").body.contains("href=\"/admin/users\""));
        }
        assert_eq!(app.client().api("GET", "/api/v1/admin/users", None).status, 401);
    }

    fn admin_lists_users_and_changes_roles(app) {
        let admin = app.logged_in("alba", Role::Admin);
        app.create_user("bruno", Role::Member);
        let page = admin.get("/admin/users");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("bruno@example.com"));
        assert!(admin.get("/").body.contains("href=\"/admin/users\""));
        let bruno = user_id(&app, "bruno");
        // What each role may do, seen from Bruno's own session: a private category (moderators
        // and above) and an official answer (community managers and above).
        private_category(&admin, "backroom", "Backroom");
        public_category(&admin, "general");
        let (question, _) = thread(&admin, "general", "question", "Which filter fits the Duo?", "Asking for a friend");
        let bruno_session = app.client();
        let login = bruno_session.submit_form("/login", "/login", &[("login", "bruno"), ("password", PASSWORD)]);
        assert_eq!(login.status, 303);
        let sees_backroom = || bruno_session.get("/c/backroom").status;
        let official = |body: &str| bruno_session.api("POST", &format!("/api/v1/threads/{question}/posts"), Some(json!({"body": body, "official": true}))).status;
        assert_eq!(sees_backroom(), 404, "a member does not see it");
        let changed = admin.submit_form("/admin/users", &format!("/admin/users/{bruno}/role"), &[("role", "moderator")]);
        assert_eq!(changed.status, 303);
        let profile = app.client().api("GET", "/api/v1/users/bruno", None);
        assert_eq!(profile.json()["role"], "moderator");
        assert_eq!(sees_backroom(), 200, "the moderator role took effect");
        assert_eq!(official("As a moderator"), 403);
        let api = admin.api("PUT", &format!("/api/v1/admin/users/{bruno}/role"), Some(json!({"role": "community_manager"})));
        assert_eq!(api.status, 200);
        assert_eq!(api.json()["role"], "community_manager");
        assert_eq!(official("As the community manager"), 201, "the community manager role took effect");
        assert_eq!(app.client().api("GET", "/api/v1/users/bruno", None).json()["role"], "community_manager");
        let bad = admin.api("PUT", &format!("/api/v1/admin/users/{bruno}/role"), Some(json!({"role": "emperor"})));
        assert_eq!(bad.status, 422);
        assert_eq!(bad.error_code(), "invalid_input");
        let nobody = admin.api("PUT", "/api/v1/admin/users/999999/role", Some(json!({"role": "member"})));
        assert_eq!(nobody.status, 404);
        let listed = admin.api("GET", "/api/v1/admin/users", None).json();
        assert_eq!(listed["users"].as_array().unwrap().len(), 2);
        assert!(listed["next_after"].is_null());
    }

    fn the_last_admin_keeps_the_role(app) {
        let admin = app.logged_in("aurora", Role::Admin);
        let me = user_id(&app, "aurora");
        let demote = admin.api("PUT", &format!("/api/v1/admin/users/{me}/role"), Some(json!({"role": "member"})));
        assert_eq!(demote.status, 422);
        assert_eq!(demote.error_code(), "last_admin");
        app.create_user("bea", Role::Admin);
        let demote = admin.api("PUT", &format!("/api/v1/admin/users/{me}/role"), Some(json!({"role": "member"})));
        assert_eq!(demote.status, 200);
        // The change applies to the running session at once.
        assert_eq!(admin.get("/admin/users").status, 403);
    }

    fn admin_user_list_pages_by_keyset(app) {
        let admin = app.logged_in("admin1", Role::Admin);
        for n in 0..55 {
            app.create_user(&format!("member{n:02}"), Role::Member);
        }
        let first = admin.api("GET", "/api/v1/admin/users", None).json();
        assert_eq!(first["users"].as_array().unwrap().len(), 50);
        let after = first["next_after"].as_i64().unwrap();
        let second = admin.api("GET", &format!("/api/v1/admin/users?after={after}"), None).json();
        assert_eq!(second["users"].as_array().unwrap().len(), 6);
        assert!(second["next_after"].is_null());
        assert_eq!(admin.api("GET", "/api/v1/admin/users?after=abc", None).error_code(), "invalid_query");
    }
}
