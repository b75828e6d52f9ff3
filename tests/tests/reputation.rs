//! Badges, points and leaderboards, the first-week path, through HTTP on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    all_notifications, community_manager, created, general_forum, hide_reported_post, in_hours,
    member, moderator, question_with_answer, reply, thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, TestApp, Value};

/// The slugs of a member's badges, newest first.
fn badges_of(app: &TestApp, username: &str) -> Vec<String> {
    app.wait_for_jobs_idle();
    created(
        app.client()
            .api("GET", &format!("/api/v1/users/{username}/badges"), None),
    )
    .as_array()
    .unwrap()
    .iter()
    .map(|g| g["badge"]["slug"].as_str().unwrap().to_string())
    .collect()
}

fn badge_id(app: &TestApp, slug: &str) -> i64 {
    created(app.client().api("GET", "/api/v1/badges", None))
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["slug"] == slug)
        .unwrap_or_else(|| panic!("no badge {slug}"))["id"]
        .as_i64()
        .unwrap()
}

/// A member's badge notifications: (kind, title, url).
fn badge_notices(who: &Client) -> Vec<(String, String, String)> {
    all_notifications(who)
        .iter()
        .filter(|n| n["kind"].as_str().unwrap().starts_with("badge_"))
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["title"].as_str().unwrap().to_string(),
                n["url"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn react(who: &Client, post: i64) {
    created(who.api(
        "POST",
        &format!("/api/v1/posts/{post}/reactions"),
        Some(json!({"kind": "like"})),
    ));
}

fn board(who: &Client, query: &str) -> Value {
    created(who.api("GET", &format!("/api/v1/leaderboard?{query}"), None))
}

/// (username, rank, points) of a board's lines.
fn lines(board: &Value) -> Vec<(String, i64, i64)> {
    board["standings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["username"].as_str().unwrap().to_string(),
                s["rank"].as_i64().unwrap(),
                s["points"].as_i64().unwrap(),
            )
        })
        .collect()
}

both_backends! {
    fn built_in_badges_are_granted_once_by_the_events_that_earn_them(app) {
        let _admin = general_forum(&app);
        let alice = member(&app, "alice");
        let bob = member(&app, "bob");
        // A first post: the badge, with the post that earned it, and a notification leading there.
        let q = question_with_answer(&alice, &bob, "general", "Descaling a moka pot");
        assert!(badges_of(&app, "alice").contains(&"first_post".to_string()));
        let mine = created(alice.api("GET", "/api/v1/users/alice/badges", None));
        let first = mine.as_array().unwrap().iter().find(|g| g["badge"]["slug"] == "first_post").unwrap().clone();
        assert!(first["post_url"].as_str().unwrap().contains("/t/"), "{first}");
        let notices = badge_notices(&alice);
        assert!(notices.iter().any(|(k, t, u)| k == "badge_granted" && t == "First post" && u == first["post_url"].as_str().unwrap()), "{notices:?}");
        // A reaction to Bob's reply: his first helpful reply; accepted: his first solution.
        assert!(!badges_of(&app, "bob").contains(&"first_helpful_reply".to_string()));
        react(&alice, q.answer_post);
        assert!(badges_of(&app, "bob").contains(&"first_helpful_reply".to_string()));
        created(alice.api("POST", &format!("/api/v1/posts/{}/accept", q.answer_post), None));
        let bob_badges = badges_of(&app, "bob");
        assert!(bob_badges.contains(&"first_accepted".to_string()), "{bob_badges:?}");
        // The same event processed twice grants nothing more.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::jobs;
            let payload = json!({"event": "answer_accepted", "post_id": q.answer_post, "by": 1}).to_string();
            diesel::insert_into(jobs::table)
                .values((jobs::kind.eq("event:reputation.badges"), jobs::payload.eq(payload),
                    jobs::run_at.eq(chrono::Utc::now().naive_utc()), jobs::max_attempts.eq(3),
                    jobs::created_at.eq(chrono::Utc::now().naive_utc())))
                .execute(&mut app.db()).unwrap();
        }
        let again = badges_of(&app, "bob");
        assert_eq!(again.iter().filter(|s| *s == "first_accepted").count(), 1, "{again:?}");
        assert_eq!(badge_notices(&bob).iter().filter(|(_, t, _)| t == "First solution").count(), 1);
        // Trust levels: reaching 2 grants levels 1 and 2; level 3 is taken back when lost.
        let manager = community_manager(&app, "marta");
        created(manager.api("PUT", "/api/v1/users/bob/trust-level", Some(json!({"level": 3}))));
        let with_three = badges_of(&app, "bob");
        for slug in ["trust_1", "trust_2", "trust_3"] {
            assert!(with_three.contains(&slug.to_string()), "{slug}: {with_three:?}");
        }
        created(manager.api("PUT", "/api/v1/users/bob/trust-level", Some(json!({"level": 2}))));
        let after = badges_of(&app, "bob");
        assert!(!after.contains(&"trust_3".to_string()) && after.contains(&"trust_2".to_string()), "{after:?}");
        assert!(badge_notices(&bob).iter().any(|(k, t, _)| k == "badge_revoked" && t == "Regular"));
    }
}

both_backends! {
    fn ten_accepted_answers_make_a_solucionador_and_the_nightly_run_finds_anniversaries(app) {
        use diesel::prelude::*;
        use tertulia::db::schema::{jobs, users};
        let _admin = general_forum(&app);
        let asker = member(&app, "asker");
        let helper = member(&app, "helper");
        for n in 0..10 {
            let q = question_with_answer(&asker, &helper, "general", &format!("Question number {n}"));
            created(asker.api("POST", &format!("/api/v1/posts/{}/accept", q.answer_post), None));
            if n == 8 {
                assert!(!badges_of(&app, "helper").contains(&"solver_10".to_string()), "nine are not ten");
            }
        }
        let held = badges_of(&app, "helper");
        assert!(held.contains(&"solver_10".to_string()) && !held.contains(&"solver_50".to_string()), "{held:?}");
        // The asker joined two years and a month ago and posted this year: the nightly run
        // (made due now) grants the second anniversary, once, however often it runs.
        let joined = chrono::Utc::now().naive_utc() - chrono::Duration::days(2 * 365 + 30);
        diesel::update(users::table.filter(users::username.eq("asker")))
            .set(users::created_at.eq(joined)).execute(&mut app.db()).unwrap();
        for _ in 0..2 {
            diesel::update(jobs::table.filter(jobs::kind.eq("reputation.nightly")).filter(jobs::done_at.is_null()))
                .set(jobs::run_at.eq(chrono::Utc::now().naive_utc())).execute(&mut app.db()).unwrap();
            app.wait_for_jobs_idle();
        }
        let mine = created(asker.api("GET", "/api/v1/users/asker/badges", None));
        let years: Vec<&Value> = mine.as_array().unwrap().iter().filter(|g| g["badge"]["slug"] == "anniversary").collect();
        assert_eq!(years.len(), 1, "{mine}");
        assert!(!badges_of(&app, "helper").contains(&"anniversary".to_string()), "the helper joined today");
    }

    fn helpful_is_revoked_when_reactions_fall_below_its_count(app) {
        let _admin = general_forum(&app);
        let alice = member(&app, "alice");
        let (post_thread, url) = thread(&alice, "general", "discussion", "My espresso setup", "Photos inside.");
        let post = tertulia_tests::fixtures::post_ids(&alice, post_thread)[0];
        let fans: Vec<_> = (0..10).map(|i| member(&app, &format!("fan{i}"))).collect();
        for fan in &fans[..9] {
            react(fan, post);
        }
        assert!(!badges_of(&app, "alice").contains(&"helpful_10".to_string()), "nine is not ten");
        react(&fans[9], post);
        assert!(badges_of(&app, "alice").contains(&"helpful_10".to_string()));
        // Alice shows it by her name; the thread page carries it with her posts.
        let helpful = badge_id(&app, "helpful_10");
        created(alice.api("PUT", "/api/v1/me/featured-badges", Some(json!({"badges": [helpful]}))));
        let page = app.client().get(&url);
        assert!(page.body.contains("badge-chip tier-bronze") && page.body.contains(">Helpful</a>"), "{}", page.body);
        // One fan takes the reaction back: nine again, the badge goes, and so does the chip.
        react(&fans[9], post);
        assert!(!badges_of(&app, "alice").contains(&"helpful_10".to_string()));
        assert!(badge_notices(&alice).iter().any(|(k, t, _)| k == "badge_revoked" && t == "Helpful"));
        let page = app.client().get(&url);
        assert!(!page.body.contains(">Helpful</a>"), "the featured badge left with the grant");
        // Featuring badges one does not hold, or more than three, is refused.
        let refused = alice.api("PUT", "/api/v1/me/featured-badges", Some(json!({"badges": [helpful]})));
        assert_eq!((refused.status, refused.json()["error"]["fields"]["badges"].is_string()), (422, true));
        let first_post = badge_id(&app, "first_post");
        let four = alice.api("PUT", "/api/v1/me/featured-badges", Some(json!({"badges": [first_post, 2, 3, 4]})));
        assert_eq!(four.status, 422);
    }
}

both_backends! {
    fn turning_a_rule_on_backfills_it_over_existing_posts(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let id = badge_id(&app, "first_post");
        assert_eq!(manager.api("PUT", &format!("/api/v1/badges/{id}/enabled"), Some(json!({"enabled": false}))).status, 204);
        let writers: Vec<_> = (0..3).map(|i| member(&app, &format!("writer{i}"))).collect();
        for (i, w) in writers.iter().enumerate() {
            thread(w, "general", "discussion", &format!("Hello from writer {i}"), "Hi.");
        }
        assert!(badges_of(&app, "writer0").is_empty(), "a rule turned off grants nothing");
        assert!(created(app.client().api("GET", "/api/v1/badges", None)).as_array().unwrap().iter().all(|b| b["slug"] != "first_post"),
            "members do not see a badge turned off");
        assert_eq!(manager.api("PUT", &format!("/api/v1/badges/{id}/enabled"), Some(json!({"enabled": true}))).status, 204);
        for i in 0..3 {
            assert_eq!(badges_of(&app, &format!("writer{i}")), ["first_post"]);
        }
        let page = created(app.client().api("GET", &format!("/api/v1/badges/{id}"), None));
        assert_eq!(page["badge"]["holders"], 3);
        assert_eq!(page["recent"].as_array().unwrap().len(), 3);
        // The job ran in batches and recorded its end.
        use diesel::prelude::*;
        use tertulia::db::schema::badges;
        let (after, done): (Option<i64>, Option<chrono::NaiveDateTime>) = badges::table.find(id)
            .select((badges::backfill_after, badges::backfilled_at)).first(&mut app.db()).unwrap();
        assert!(after.is_none() && done.is_some());
    }
}

both_backends! {
    fn event_attendees_and_hosts_earn_their_badges(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let event = json!({"category": "general", "title": "Latte art", "body": "Milk.",
            "starts_at": in_hours(1), "ends_at": in_hours(2), "time_zone": "UTC", "location": "Tienda Aurora"});
        let id = created(manager.api("POST", "/api/v1/events", Some(event)))["id"].as_i64().unwrap();
        let ana = member(&app, "ana");
        created(ana.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going"}))));
        let date = created(ana.api("GET", &format!("/api/v1/events/{id}"), None))["dates"][0]["id"].as_i64().unwrap();
        // It began five minutes ago.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::event_occurrences;
            let at = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(5);
            diesel::update(event_occurrences::table.find(date))
                .set(event_occurrences::starts_at.eq(at)).execute(&mut app.db()).unwrap();
        }
        let mark = manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}/attendance"),
            Some(json!({"username": "ana", "attended": true})));
        assert_eq!(mark.status, 204, "{}", mark.body);
        assert_eq!(badges_of(&app, "ana"), ["event_attendee"]);
        assert!(badges_of(&app, "carmen").contains(&"event_host".to_string()));
    }
}

both_backends! {
    fn custom_badges_are_granted_and_revoked_with_reasons(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let alice = member(&app, "alice");
        let made = created(manager.api("POST", "/api/v1/badges", Some(json!({"name_en": "Barista of the month",
            "name_es": "Barista del mes", "description_en": "Chosen by the team.", "description_es": "Elegido por el equipo.",
            "tier": "gold", "icon": "cup"}))));
        let id = made["id"].as_i64().unwrap();
        assert_eq!(made["slug"], "barista-of-the-month");
        // Bad input is named; a grant needs a reason and a real member; built-in badges are the rules'.
        let bad = manager.api("POST", "/api/v1/badges", Some(json!({"name_en": "X", "name_es": "X", "tier": "platinum", "icon": "cup"})));
        assert_eq!((bad.status, bad.json()["error"]["fields"]["tier"].is_string()), (422, true));
        let bad = manager.api("POST", "/api/v1/badges", Some(json!({"name_en": "Y", "name_es": "Y", "tier": "gold", "icon": "unicorn"})));
        assert!(bad.json()["error"]["fields"]["icon"].is_string());
        let grant = |body: Value| manager.api("POST", &format!("/api/v1/badges/{id}/grants"), Some(body));
        assert!(grant(json!({"username": "alice", "reason": " "})).json()["error"]["fields"]["reason"].is_string());
        assert!(grant(json!({"username": "nobody", "reason": "Great latte art."})).json()["error"]["fields"]["username"].is_string());
        let builtin = badge_id(&app, "first_post");
        assert_eq!(manager.api("POST", &format!("/api/v1/badges/{builtin}/grants"), Some(json!({"username": "alice", "reason": "Why not"}))).status, 422);
        // Granted with its reason; told; logged.
        assert_eq!(grant(json!({"username": "alice", "reason": "Great latte art."})).status, 204);
        assert_eq!(grant(json!({"username": "alice", "reason": "Again"})).status, 422, "held already");
        assert!(badge_notices(&alice).iter().any(|(k, t, u)| k == "badge_granted" && t == "Barista of the month" && *u == format!("/badges/{id}")));
        let page = alice.get(&format!("/badges/{id}"));
        assert!(page.body.contains("Great latte art.") && page.body.contains("href=\"/u/alice\""), "{}", page.body);
        // Spanish readers get its Spanish name.
        let spanish = app.client().get_with("/badges", ("Accept-Language", "es"));
        assert!(spanish.body.contains("Barista del mes"));
        // Revoked with a reason: told, logged, gone from the profile.
        let revoke = manager.api("POST", &format!("/api/v1/badges/{id}/revocations"), Some(json!({"username": "alice", "reason": "Given by mistake."})));
        assert_eq!(revoke.status, 204, "{}", revoke.body);
        assert!(badge_notices(&alice).iter().any(|(k, _, _)| k == "badge_revoked"));
        assert!(badges_of(&app, "alice").iter().all(|s| s != "barista-of-the-month"));
        let audit = created(manager.api("GET", "/api/v1/audit", None));
        let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
        assert!(actions.contains(&"badge.grant") && actions.contains(&"badge.revoke"), "{actions:?}");
        assert_eq!(manager.api("POST", &format!("/api/v1/badges/{id}/revocations"), Some(json!({"username": "alice", "reason": "Twice"}))).status, 422);
        // The page forms do the same.
        let granted = manager.submit_form(&format!("/badges/{id}"), &format!("/badges/{id}/grants"), &[("username", "alice"), ("reason", "Back again")]);
        assert_eq!(granted.status, 303, "{}", granted.body);
        assert!(badges_of(&app, "alice").contains(&"barista-of-the-month".to_string()));
    }
}

both_backends! {
    fn badge_routes_refuse_the_wrong_role(app) {
        let _admin = general_forum(&app);
        let _alice = member(&app, "alice");
        let cast = Cast::new(&app);
        let made = |n: &str| json!({"name_en": n, "name_es": n, "tier": "bronze", "icon": "star"});
        cast.expect("POST /api/v1/badges", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 201)],
            |p| p.api("POST", "/api/v1/badges", Some(made(&format!("Badge by {}", p.username)))));
        let id = badge_id(&app, "badge-by-cast-manager");
        cast.expect("POST /api/v1/badges/{id}/grants", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (Admin, 204)],
            |p| p.api("POST", &format!("/api/v1/badges/{id}/grants"), Some(json!({"username": "alice", "reason": "Kind."}))));
        cast.expect("POST /api/v1/badges/{id}/revocations", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 204)],
            |p| p.api("POST", &format!("/api/v1/badges/{id}/revocations"), Some(json!({"username": "alice", "reason": "Oops."}))));
        cast.expect("PUT /api/v1/badges/{id}/enabled", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 204)],
            |p| p.api("PUT", &format!("/api/v1/badges/{id}/enabled"), Some(json!({"enabled": true}))));
        cast.expect("PUT /api/v1/me/featured-badges", &[(Anonymous, 401), (Member, 200)],
            |p| p.api("PUT", "/api/v1/me/featured-badges", Some(json!({"badges": []}))));
        cast.expect("PUT /api/v1/me/leaderboard", &[(Anonymous, 401), (Member, 204)],
            |p| p.api("PUT", "/api/v1/me/leaderboard", Some(json!({"opt_out": false}))));
        cast.expect("POST /badges (page)", &[(Member, 403), (Moderator, 403)],
            |p| p.submit_form("/badges", "/badges", &[("name_en", "Page"), ("name_es", "Page"), ("tier", "gold"), ("icon", "star")]));
        cast.expect("GET /badges, /leaderboard, a badge", &[(Anonymous, 200), (Member, 200)],
            |p| { let r = p.get("/badges"); if r.status != 200 { return r; } let r = p.get("/leaderboard"); if r.status != 200 { return r; } p.get(&format!("/badges/{id}")) });
        assert_eq!(app.client().api("GET", "/api/v1/badges/999999", None).status, 404);
        assert_eq!(app.client().api("GET", "/api/v1/users/nobody/badges", None).status, 404);
    }
}

both_backends! {
    fn points_rank_members_densely_and_are_reversed_with_a_hidden_post(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let rule = created(manager.api("POST", "/api/v1/rules", Some(json!({"title": "Be kind", "body": "No insults."}))))["id"].as_i64().unwrap();
        let (alice, bob, carol, dave) = (member(&app, "alice"), member(&app, "bob"), member(&app, "carol"), member(&app, "dave"));
        let staff = moderator(&app, "mod");
        // Alice asks (5); Bob, Carol and Dave answer (2 each); Alice likes all three (1 each) and
        // accepts Bob's (10). A moderator's reply earns points but staff are not ranked.
        let q = question_with_answer(&alice, &bob, "general", "Tamping pressure?");
        let carol_post = reply(&carol, q.thread, "About 15 kg.")["id"].as_i64().unwrap();
        let dave_post = reply(&dave, q.thread, "Just be consistent.")["id"].as_i64().unwrap();
        reply(&staff, q.thread, "Moderator here: good answers all.");
        for post in [q.answer_post, carol_post, dave_post] {
            react(&alice, post);
        }
        created(alice.api("POST", &format!("/api/v1/posts/{}/accept", q.answer_post), None));
        app.wait_for_jobs_idle();
        let week = board(&alice, "period=week");
        assert_eq!(lines(&week), [("bob".to_string(), 1, 13), ("alice".into(), 2, 5), ("carol".into(), 3, 3), ("dave".into(), 3, 3)],
            "ties share a rank: {week}");
        assert_eq!(week["mine"]["rank"], 2);
        for query in ["period=month", "period=all", "period=all&category=general"] {
            assert_eq!(lines(&board(&alice, query)), lines(&week), "{query}");
        }
        // Dave leaves the boards; his points stay his.
        assert_eq!(dave.api("PUT", "/api/v1/me/leaderboard", Some(json!({"opt_out": true}))).status, 204);
        let without = board(&dave, "period=week");
        assert_eq!(lines(&without).len(), 3);
        assert_eq!((without["opted_out"].as_bool(), without["my_points"].as_i64()), (Some(true), Some(3)));
        // Bob's answer is hidden by moderation: all it earned (reply, like, acceptance) goes.
        hide_reported_post(&alice, &staff, q.answer_post, rule);
        app.wait_for_jobs_idle();
        let after = lines(&board(&alice, "period=all"));
        assert_eq!(after, [("alice".to_string(), 1, 5), ("carol".into(), 2, 3)], "{after:?}");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::points_ledger;
            let bob_id = tertulia_tests::fixtures::user_id(&app, "bob");
            let entries: Vec<i32> = points_ledger::table.filter(points_ledger::user_id.eq(bob_id))
                .order(points_ledger::id.asc()).select(points_ledger::amount).load(&mut app.db()).unwrap();
            let mut sorted = entries.clone();
            sorted.sort();
            assert_eq!(sorted, [-10, -2, -1, 1, 2, 10], "each credit reversed exactly, appended: {entries:?}");
        }
        // Bad queries are named.
        assert!(alice.api("GET", "/api/v1/leaderboard?period=year", None).json()["error"]["fields"]["period"].is_string());
        assert!(alice.api("GET", "/api/v1/leaderboard?category=nowhere", None).json()["error"]["fields"]["category"].is_string());
        let page = alice.get("/leaderboard?period=all");
        assert!(page.body.contains("href=\"/u/carol\"") && !page.body.contains("href=\"/u/bob\""), "{}", page.body);
    }
}

both_backends! {
    fn the_first_week_path_is_a_checklist_until_its_badge(app) {
        let _admin = general_forum(&app);
        let old = member(&app, "old");
        let (t, _) = thread(&old, "general", "discussion", "Welcome thread", "Say hi.");
        let post = tertulia_tests::fixtures::post_ids(&old, t)[0];
        let new = member(&app, "newbie");
        let home = new.get("/");
        assert!(home.body.contains("Your first week") && home.body.contains("href=\"/rules\""), "{}", home.body);
        new.get("/rules");
        let saved = new.submit_form("/u/newbie", "/me/profile", &[("display_name", "New Bie"), ("locale", ""), ("time_zone", "")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        thread(&new, "general", "discussion", "Hello, I am new", "I brew at home.");
        reply(&new, t, "Hi all!");
        app.wait_for_jobs_idle();
        let home = new.get("/");
        assert!(home.body.contains("<s>Read the community rules</s>") && home.body.contains("href=\"/latest\""), "{}", home.body);
        assert!(!badges_of(&app, "newbie").contains(&"first_week".to_string()));
        react(&new, post);
        assert!(badges_of(&app, "newbie").contains(&"first_week".to_string()));
        assert!(!new.get("/").body.contains("Your first week"), "the checklist goes once done");
    }
}
