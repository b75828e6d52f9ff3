//! Trust levels, TL0 limits, auto-hide and the moderation settings, through HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    community_manager, created, general_forum, member, moderator, reply, thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, TestApp, Value};

fn level(app: &TestApp, username: &str) -> i64 {
    created(
        app.client()
            .api("GET", &format!("/api/v1/users/{username}"), None),
    )["trust_level"]
        .as_i64()
        .unwrap()
}

fn settings(manager: &Client, values: Value) {
    created(manager.api("PUT", "/api/v1/moderation/settings", Some(values)));
}

both_backends! {
    fn members_earn_trust_levels_by_reading_and_posting(app) {
        let admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        settings(&manager, json!({"tl1_topics_entered": 2, "tl1_posts_read": 2}));
        let (a, url_a) = thread(&admin, "general", "discussion", "Welcome to the forum", "Hello all.");
        let (_, url_b) = thread(&admin, "general", "discussion", "Descaling guide", "Step one.");
        let newbie = member(&app, "newbie");
        assert_eq!(level(&app, "newbie"), 0);
        // Trust level 0 links are shown as text.
        let linked = reply(&newbie, a, "See [my shop](https://shop.example.com).");
        assert!(!linked["cooked"].as_str().unwrap().contains("<a "), "{linked}");
        newbie.get(&url_a);
        newbie.get(&url_b);
        // The daily job…
        {
            let mut conn = app.db();
            // (The reply's own event may have re-levelled the member already: either way, one.)
            tertulia::moderation::trust::recompute(&mut conn, None).unwrap();
        }
        assert_eq!(level(&app, "newbie"), 1);
        let linked = reply(&newbie, a, "See [my shop](https://shop.example.com).");
        assert!(linked["cooked"].as_str().unwrap().contains("<a "), "{linked}");
        // …and the events that matter: a reply re-levels its author at once.
        let other = member(&app, "other");
        other.get(&url_a);
        other.get(&url_b);
        reply(&other, a, "Thanks!");
        app.wait_for_jobs_idle();
        assert_eq!(level(&app, "other"), 1);
        // Bad settings are explained, and nothing is saved.
        let bad = manager.api("PUT", "/api/v1/moderation/settings", Some(json!({"auto_hide_score": 0, "nonsense": 3})));
        assert_eq!(bad.status, 422);
        let fields = &bad.json()["error"]["fields"];
        assert!(fields["auto_hide_score"].as_str().unwrap().contains("1 to 1000"), "{fields}");
        assert!(fields["nonsense"].is_string());
        let page = manager.get("/admin/moderation");
        assert!(page.body.contains("Report score that hides a post at once"), "{}", page.body);
    }

    fn staff_set_leaders_by_hand(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let _lucia = member(&app, "lucia");
        let set = created(manager.api("PUT", "/api/v1/users/lucia/trust-level", Some(json!({"level": 4}))));
        assert_eq!(set["trust_level"], 4);
        {
            let mut conn = app.db();
            tertulia::moderation::trust::recompute(&mut conn, None).unwrap();
        }
        assert_eq!(level(&app, "lucia"), 4, "the job never lowers a level set by hand");
        assert_eq!(manager.api("PUT", "/api/v1/users/lucia/trust-level", Some(json!({"level": 9}))).status, 422);
    }

    fn reports_reaching_the_score_hide_a_post_at_once(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        settings(&manager, json!({"auto_hide_score": 2}));
        let asker = member(&app, "asker");
        let rude = member(&app, "rude");
        let (id, url) = thread(&asker, "general", "question", "Best grinder under 100?", "Ideas?");
        let post = reply(&rude, id, "Only idiots ask this.")["id"].as_i64().unwrap();
        let report = |who: &Client| created(who.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post",
            "target_id": post, "reason": "abusive", "text": "Insult."}))));
        report(&asker);
        assert!(app.client().get(&url).body.contains("Only idiots"), "one report (score 1) is not enough");
        let third = member(&app, "third");
        report(&third);
        let public = app.client().get(&url);
        assert!(!public.body.contains("Only idiots") && public.body.contains("Hidden automatically"), "{}", public.body);
        let statement = created(rude.api("GET", "/api/v1/me/statements", None));
        assert_eq!(statement[0]["source"], "automated");
        assert_eq!(statement[0]["decided_automatically"], true);
        let moderator = moderator(&app, "mod");
        let queue = created(moderator.api("GET", "/api/v1/review", None));
        assert_eq!(queue[0]["priority"], "high");
        // The moderator finds no rule broken: the post comes back.
        created(moderator.api("POST", &format!("/api/v1/review/{}/decision", queue[0]["id"]),
            Some(json!({"action": "keep", "explanation": "Rude but within the rules.", "version": queue[0]["version"]}))));
        assert!(app.client().get(&url).body.contains("Only idiots"));
        // The log shows the reversal as such.
        let log = created(app.client().api("GET", "/api/v1/modlog", None));
        assert_eq!(log[0]["action"], "restore", "{log}");
        assert_eq!(log[1]["action"], "hide");
        assert_eq!(log[1]["source"], "automated");
    }

    fn unfounded_reporters_are_warned_then_paused(app) {
        let _admin = general_forum(&app);
        let author = member(&app, "author");
        let (id, _) = thread(&author, "general", "discussion", "Tasting notes", "Fruity.");
        let posts: Vec<i64> = (0..11).map(|n| reply(&author, id, &format!("Note number {n}."))["id"].as_i64().unwrap()).collect();
        let grumpy = member(&app, "grumpy");
        let moderator = moderator(&app, "mod");
        let mut warned_at = None;
        for (n, post) in posts.iter().take(10).enumerate() {
            let receipt = created(grumpy.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post",
                "target_id": post, "reason": "spam", "text": "I do not like it."}))));
            if receipt["warning"] == true && warned_at.is_none() {
                warned_at = Some(n);
            }
            let queue = created(moderator.api("GET", "/api/v1/review", None));
            created(moderator.api("POST", &format!("/api/v1/review/{}/decision", queue[0]["id"]),
                Some(json!({"action": "dismiss", "explanation": "Not spam.", "version": queue[0]["version"]}))));
        }
        assert_eq!(warned_at, Some(5), "warned once 5 reports were declined");
        let paused = grumpy.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post",
            "target_id": posts[10], "reason": "spam", "text": "Again."})));
        assert_eq!(paused.status, 403, "{}", paused.body);
        assert_eq!(paused.error_code(), "reports_paused");
        assert!(paused.json()["error"]["message"].as_str().unwrap().contains("Art. 23"));
    }

    fn who_may_change_settings_and_levels(app) {
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/moderation/settings", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/moderation/settings", None));
        cast.expect("PUT /api/v1/moderation/settings", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200)],
            |p| p.api("PUT", "/api/v1/moderation/settings", Some(json!({"auto_hide_score": 9}))));
        cast.expect("GET /admin/moderation", &[(Anonymous, 303), (Member, 403), (Moderator, 403), (Admin, 200)],
            |p| p.get("/admin/moderation"));
        let _target = member(&app, "target");
        cast.expect("PUT /api/v1/users/{u}/trust-level", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("PUT", "/api/v1/users/target/trust-level", Some(json!({"level": 2}))));
        // The page forms answer the same, and refuse bad values with the form shown again.
        cast.expect("POST /admin/moderation (page)", &[(Member, 403), (Moderator, 403), (CommunityManager, 303)],
            |p| p.submit_form("/rules", "/admin/moderation", &[("auto_hide_score", "7")]));
        cast.expect("POST /u/{u}/trust-level (page)", &[(Member, 403), (Moderator, 403), (Admin, 303)],
            |p| p.submit_form("/rules", "/u/target/trust-level", &[("level", "3"), ("locked", "on")]));
        let bad = cast.get(CommunityManager).submit_form("/admin/moderation", "/admin/moderation", &[("auto_hide_score", "0")]);
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("field-error"));
        assert_eq!(level(&app, "target"), 3);
    }
}
