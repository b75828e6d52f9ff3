//! Moderation through HTTP: the community rules (versions, history and diff, who may write
//! them, the announcement of significant changes, acceptance at sign-up).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{community_manager, created, member};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Value, PASSWORD};

fn new_rule(person: &tertulia_tests::Client, title: &str, body: &str) -> Value {
    created(person.api(
        "POST",
        "/api/v1/rules",
        Some(json!({"title": title, "body": body})),
    ))
}

both_backends! {
    fn rules_are_versioned_and_every_version_stays(app) {
        let manager = community_manager(&app, "marta");
        let respect = new_rule(&manager, "Respect", "No insults.");
        assert_eq!(respect["number"], 1);
        assert_eq!(respect["version"], 1);
        let spam = new_rule(&manager, "No spam", "No advertising.");
        assert_eq!(spam["number"], 2);
        let id = spam["id"].as_i64().unwrap();
        // A new version; the first one is kept as it was.
        let v2 = created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "No advertising or affiliate links."}))));
        assert_eq!(v2["version"], 2);
        let current = manager.api("GET", "/api/v1/rules", None).json();
        assert_eq!(current.as_array().unwrap().len(), 2);
        assert_eq!(current[1]["version"], 2);
        assert_eq!(current[1]["body"], "No advertising or affiliate links.");
        let history = app.client().api("GET", &format!("/api/v1/rules/{id}"), None).json();
        let versions = history["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 2);
        assert_eq!(versions[0]["body"], "No advertising.");
        assert!(versions[1]["effective_at"].as_str().unwrap().ends_with('Z'));
        // Visitors read the rules and the diff between versions.
        let page = app.client().get("/rules");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("id=\"rule-2\"") && page.body.contains("affiliate links"), "{}", page.body);
        let diff = app.client().get(&format!("/rules/{id}?from=1&to=2"));
        assert_eq!(diff.status, 200);
        assert!(diff.body.contains("<ins>"), "{}", diff.body);
        assert!(diff.body.contains("affiliate"));
        assert_eq!(app.client().get(&format!("/rules/{id}?from=1&to=9")).status, 422);
        // A future version is published but not in force yet.
        let later = (chrono::Utc::now() + chrono::Duration::days(10)).naive_utc();
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"title": "No spam at all", "effective_at": later}))));
        let current = app.client().api("GET", "/api/v1/rules", None).json();
        assert_eq!(current[1]["version"], 2);
        assert_eq!(current[1]["upcoming_version"], 3);
    }

    fn bad_rules_are_explained(app) {
        let manager = community_manager(&app, "marta");
        let empty = manager.api("POST", "/api/v1/rules", Some(json!({"title": "x", "body": " "})));
        assert_eq!(empty.status, 422);
        let fields = &empty.json()["error"]["fields"];
        assert!(fields["title"].is_string() && fields["body"].is_string(), "{fields}");
        let first = new_rule(&manager, "Respect", "No insults.");
        let taken = manager.api("POST", "/api/v1/rules",
            Some(json!({"title": "Another", "body": "Text.", "number": 1})));
        assert_eq!(taken.status, 409);
        assert_eq!(taken.error_code(), "rule_number_taken");
        let id = first["id"].as_i64().unwrap();
        let same = manager.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": "No insults."})));
        assert_eq!(same.status, 422);
        let past = manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "Be kind.", "effective_at": "2020-01-01T00:00:00"})));
        assert_eq!(past.status, 422);
        assert_eq!(manager.api("PUT", "/api/v1/rules/999999", Some(json!({"body": "x y z"}))).status, 404);
        // The page form shows the error where it happened.
        let page = manager.submit_form("/admin/rules", "/admin/rules", &[("title", "x"), ("body", "")]);
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.body.contains("field-error"));
    }

    fn only_the_community_manager_and_admins_write_rules(app) {
        let cast = Cast::new(&app);
        let manager = cast.get(CommunityManager);
        let rule = new_rule(manager, "Respect", "No insults.");
        let id = rule["id"].as_i64().unwrap();
        let writers = [(Anonymous, 401), (Unverified, 403), (Member, 403), (Moderator, 403),
                       (CommunityManager, 201), (Admin, 201)];
        cast.expect("POST /api/v1/rules", &writers, |p| {
            p.api("POST", "/api/v1/rules", Some(json!({"title": format!("Rule by {}", p.username), "body": "Text."})))
        });
        let changers = [(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)];
        cast.expect("PUT /api/v1/rules/{id}", &changers, |p| {
            p.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": format!("Version by {}", p.username)})))
        });
        cast.expect("GET /admin/rules", &[(Anonymous, 303), (Member, 403), (Moderator, 403),
            (CommunityManager, 200), (Admin, 200)], |p| p.get("/admin/rules"));
        cast.expect("POST /admin/rules (page)", &[(Member, 403), (Moderator, 403), (CommunityManager, 303)], |p| {
            p.submit_form("/rules", "/admin/rules", &[("title", &format!("Page rule {}", p.username)), ("body", "Text.")])
        });
        cast.expect("POST /admin/rules/{id} (page)", &[(Member, 403), (Moderator, 403), (Admin, 303)], |p| {
            p.submit_form("/rules", &format!("/admin/rules/{id}"),
                &[("title", "Respect"), ("body", &format!("Page version by {}", p.username))])
        });
        cast.expect("GET /rules", &[(Anonymous, 200), (Member, 200)], |p| p.get("/rules"));
        cast.expect("GET /api/v1/rules", &[(Anonymous, 200), (Member, 200)], |p| p.api("GET", "/api/v1/rules", None));
        // Nothing the refused roles sent was published.
        let versions = app.client().api("GET", &format!("/api/v1/rules/{id}"), None).json();
        let bodies: Vec<&str> = versions["versions"].as_array().unwrap().iter().map(|v| v["body"].as_str().unwrap()).collect();
        assert!(bodies.iter().all(|b| !b.contains("cast_member") && !b.contains("cast_moderator")), "{bodies:?}");
    }

    fn a_significant_change_is_announced_to_members(app) {
        let manager = community_manager(&app, "marta");
        let ana = member(&app, "ana");
        let rule = new_rule(&manager, "Respect", "No insults.");
        let id = rule["id"].as_i64().unwrap();
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"), Some(json!({"body": "No insults, ever."}))));
        app.wait_for_jobs_idle();
        let quiet = ana.api("GET", "/api/v1/notifications", None).json();
        assert_eq!(quiet.as_array().map_or(usize::MAX, Vec::len), 0, "a minor change is not announced: {quiet}");
        created(manager.api("PUT", &format!("/api/v1/rules/{id}"),
            Some(json!({"body": "No insults or harassment.", "significant": true}))));
        app.wait_for_jobs_idle();
        let told = ana.api("GET", "/api/v1/notifications", None).json();
        let items = told.as_array().unwrap();
        assert_eq!(items.len(), 1, "{told}");
        assert_eq!(items[0]["kind"], "rules");
        assert_eq!(items[0]["subject"]["kind"], "rule_version");
        assert_eq!(items[0]["url"], format!("/rules/{id}"));
    }

    fn signing_up_means_accepting_the_rules_once_there_are_any(app) {
        // Without rules, nothing to accept.
        let early = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "early", "email": "early@example.com", "password": PASSWORD})));
        assert_eq!(early.status, 201, "{}", early.body);
        let manager = community_manager(&app, "marta");
        new_rule(&manager, "Respect", "No insults.");
        let refused = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "late", "email": "late@example.com", "password": PASSWORD})));
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.json()["error"]["fields"]["accept_rules"].is_string());
        let accepted = app.client().api("POST", "/api/v1/auth/register",
            Some(json!({"username": "late", "email": "late@example.com", "password": PASSWORD, "accept_rules": true})));
        assert_eq!(accepted.status, 201, "{}", accepted.body);
        // The page asks with a checkbox.
        let visitor = app.client();
        let form = visitor.get("/register");
        assert!(form.body.contains("name=\"accept_rules\""));
        let unticked = visitor.submit_form("/register", "/register",
            &[("username", "page"), ("email", "page@example.com"), ("password", PASSWORD), ("display_name", "")]);
        assert_eq!(unticked.status, 422);
        let ticked = visitor.submit_form("/register", "/register",
            &[("username", "page"), ("email", "page@example.com"), ("password", PASSWORD), ("display_name", ""), ("accept_rules", "on")]);
        assert_eq!(ticked.status, 303, "{}", ticked.body);
    }
}
