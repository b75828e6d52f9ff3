//! The community manager's people tools: invitations with sources, the potential leaders report
//! and the ambassador programme, through HTTP on both databases.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    add_to_group, community_manager, created, general_forum, hide_reported_post, member, moderator,
    notification_kinds, public_category, question_with_answer, remove_from_group, reply, thread,
    user_id,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, TestApp};

/// Signs up through an invitation link; the new member is then verified (as the e-mail link
/// would) and their browser returned with the answer to the form.
fn register_with(
    app: &TestApp,
    url: &str,
    username: &str,
) -> (tertulia_tests::Response, tertulia_tests::Client) {
    let client = app.client();
    let path = url
        .split_once("/register")
        .map(|(_, rest)| format!("/register{rest}"))
        .unwrap();
    let page = client.get(&path);
    assert!(page.body.contains("You were invited"), "{}", page.body);
    let code = path.split("invite=").nth(1).unwrap().to_string();
    let response = client.submit_form(
        &path,
        "/register",
        &[
            ("username", username),
            ("email", &format!("{username}@example.com")),
            ("password", "a long enough password"),
            ("invite", &code),
        ],
    );
    if response.status == 303 {
        let id = user_id(app, username);
        tertulia::accounts::service::email_tokens::mark_verified(
            &mut app.db(),
            tertulia::accounts::model::UserId(id),
        )
        .unwrap();
    }
    (response, client)
}

both_backends! {
    fn invitations_attribute_sign_ups_and_activity_to_their_source(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let made = created(manager.api("POST", "/api/v1/invites", Some(json!({"source": "packaging-insert", "max_uses": 2, "expires_in_days": 30}))));
        let url = made["url"].as_str().unwrap().to_string();
        assert!(url.contains("/register?invite="), "{made}");
        created(manager.api("POST", "/api/v1/invites", Some(json!({"source": "instagram", "max_uses": 10}))));
        // Two sign-ups use it up; a third person is told and may still register without it.
        let (first, reader1) = register_with(&app, &url, "reader1");
        assert_eq!(first.status, 303, "{}", first.body);
        assert_eq!(register_with(&app, &url, "reader2").0.status, 303);
        let path = url.split_once("/register").map(|(_, rest)| format!("/register{rest}")).unwrap();
        let spent = app.client().get(&path);
        assert!(spent.body.contains("expired or been used up") && !spent.body.contains("name=\"invite\""), "{}", spent.body);
        // One of them posts; a month passes for both; only the one who came back counts as active.
        thread(&reader1, "general", "discussion", "Found you on the coffee bag", "Hello!");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(40);
            for name in ["reader1", "reader2"] {
                diesel::update(users::table.filter(users::username.eq(name)))
                    .set((users::created_at.eq(long_ago), users::last_seen_at.eq(Some(long_ago))))
                    .execute(&mut app.db()).unwrap();
            }
        }
        let figures = created(manager.api("GET", "/api/v1/insights/invites", None));
        let insert = figures.as_array().unwrap().iter().find(|f| f["source"] == "packaging-insert").unwrap().clone();
        assert_eq!((insert["invitations"].as_i64(), insert["sign_ups"].as_i64(), insert["posted"].as_i64()),
            (Some(1), Some(2), Some(1)), "{insert}");
        assert_eq!((insert["joined_30_days_ago"].as_i64(), insert["active_after_30"].as_i64(), insert["joined_90_days_ago"].as_i64()),
            (Some(2), Some(1), Some(0)), "the one who posted after joining is active: {insert}");
        let instagram = figures.as_array().unwrap().iter().find(|f| f["source"] == "instagram").unwrap().clone();
        assert_eq!(instagram["sign_ups"], 0);
        let page = manager.get("/insights/invites");
        assert!(page.body.contains("packaging-insert") && page.body.contains("1 of 2"), "{}", page.body);
        // Members invite from trust level 2, with their own limits; bad sources are named.
        let newbie = member(&app, "newbie");
        assert_eq!(newbie.api("POST", "/api/v1/invites", Some(json!({}))).status, 403);
        created(manager.api("PUT", "/api/v1/users/newbie/trust-level", Some(json!({"level": 2}))));
        let own = created(newbie.api("POST", "/api/v1/invites", Some(json!({"source": "ignored", "max_uses": 3}))));
        assert_eq!(own["source"], "member");
        assert!(newbie.api("POST", "/api/v1/invites", Some(json!({"max_uses": 50}))).json()["error"]["fields"]["max_uses"].is_string());
        assert!(manager.api("POST", "/api/v1/invites", Some(json!({"source": "Bad Source!"}))).json()["error"]["fields"]["source"].is_string());
        let mine = created(newbie.api("GET", "/api/v1/invites", None));
        assert_eq!(mine.as_array().unwrap().len(), 1, "members list their own");
        // Stopping an invitation: its link signs no one up.
        let id = own["id"].as_i64().unwrap();
        assert_eq!(manager.api("DELETE", &format!("/api/v1/invites/{id}"), None).status, 204);
        let stopped = own["url"].as_str().unwrap().split_once("/register").map(|(_, r)| format!("/register{r}")).unwrap();
        assert!(app.client().get(&stopped).body.contains("expired or been used up"));
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/insights/invites", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/insights/invites", None));
        cast.expect("POST /api/v1/invites", &[(Anonymous, 401), (Member, 403), (CommunityManager, 201)],
            |p| p.api("POST", "/api/v1/invites", Some(json!({"source": "support-email"}))));
        cast.expect("DELETE /api/v1/invites/{id} of someone else", &[(Anonymous, 401), (Member, 403)],
            |p| p.api("DELETE", &format!("/api/v1/invites/{id}"), None));
        cast.expect("GET /invites", &[(Anonymous, 303), (Member, 200)], |p| p.get("/invites"));
    }
}

both_backends! {
    fn the_leaders_report_ranks_a_known_community_and_nominates_ambassadors(app) {
        let admin = general_forum(&app);
        public_category(&admin, "beans");
        let manager = community_manager(&app, "marta");
        let rule = created(manager.api("POST", "/api/v1/rules", Some(json!({"title": "Be kind", "body": "No insults."}))))["id"].as_i64().unwrap();
        let (ana, ben, cleo, dan) = (member(&app, "ana"), member(&app, "ben"), member(&app, "cleo"), member(&app, "dan"));
        let staff = moderator(&app, "mod");
        // Cleo's first thread: Ana's answer is accepted and liked; Ben replies too.
        let q = question_with_answer(&cleo, &ana, "general", "First grinder?");
        reply(&ben, q.thread, "Start with a hand grinder.");
        created(cleo.api("POST", &format!("/api/v1/posts/{}/reactions", q.answer_post), Some(json!({"kind": "like"}))));
        created(cleo.api("POST", &format!("/api/v1/posts/{}/accept", q.answer_post), None));
        thread(&ana, "beans", "discussion", "Ethiopian naturals", "Blueberries.");
        // Dan helps too, but was warned this month; his rude reply, reported by Ben, was hidden.
        let rude = reply(&dan, q.thread, "Only idiots buy blade grinders.")["id"].as_i64().unwrap();
        hide_reported_post(&ben, &staff, rude, rule);
        created(staff.api("POST", "/api/v1/users/dan/sanctions", Some(json!({"kind": "warning", "rule_id": rule, "rule_version": 1,
            "explanation": "Insults."}))));
        reply(&staff, q.thread, "Thanks all.");
        app.wait_for_jobs_idle();
        let report = created(manager.api("GET", "/api/v1/insights/leaders", None));
        let rows: Vec<(String, i64, i64, i64, i64, i64, i64)> = report["leaders"].as_array().unwrap().iter().map(|l| (
            l["username"].as_str().unwrap().to_string(), l["score"].as_i64().unwrap(), l["accepted_answers"].as_i64().unwrap(),
            l["newcomer_replies"].as_i64().unwrap(), l["agreed_reports"].as_i64().unwrap(), l["categories"].as_i64().unwrap(),
            l["active_weeks"].as_i64().unwrap())).collect();
        assert_eq!(rows, [
            ("ana".to_string(), 24, 1, 1, 0, 2, 1),
            ("ben".to_string(), 12, 0, 1, 1, 1, 1),
            ("cleo".to_string(), 4, 0, 0, 0, 1, 1),
        ], "staff and the sanctioned are left out: {report}");
        assert_eq!(report["leaders"][0]["reactions_per_post"], 0.5);
        // A category, a period, the CSV.
        let beans = created(manager.api("GET", "/api/v1/insights/leaders?category=beans", None));
        assert_eq!(beans["leaders"].as_array().unwrap().len(), 1);
        let empty = created(manager.api("GET", "/api/v1/insights/leaders?from=2020-01-01&to=2020-02-01", None));
        assert!(empty["leaders"].as_array().unwrap().is_empty());
        assert!(manager.api("GET", "/api/v1/insights/leaders?from=yesterday", None).json()["error"]["fields"]["from"].is_string());
        let csv = manager.get("/insights/leaders.csv");
        assert_eq!(csv.status, 200);
        assert!(csv.body.starts_with("rank,username,display_name,score") && csv.body.contains("\n1,ana,"), "{}", csv.body);
        // Ana is nominated from the report, told, and accepts: the group, the flair, the powers.
        let nominated = manager.submit_form("/insights/leaders", "/insights/leaders/nominate", &[("username", "ana"), ("reason", "Your answers help newcomers every week.")]);
        assert_eq!(nominated.status, 303, "{}", nominated.body);
        assert!(manager.get("/insights/leaders").body.contains("Nominated"));
        assert!(notification_kinds(&ana).iter().any(|(k, _)| k == "ambassador_nomination"));
        assert_eq!(manager.api("POST", "/api/v1/ambassadors/nominations", Some(json!({"username": "ana", "reason": "Again"}))).status, 422);
        assert_eq!(manager.api("POST", "/api/v1/ambassadors/nominations", Some(json!({"username": "mod", "reason": "Staff"}))).status, 422);
        let page = ana.get("/me/ambassador");
        assert!(page.body.contains("Your answers help newcomers every week."), "{}", page.body);
        let accepted = ana.submit_form("/me/ambassador", "/me/ambassador", &[("accept", "on")]);
        assert_eq!(accepted.status, 303, "{}", accepted.body);
        assert_eq!(created(ana.api("GET", "/api/v1/me/ambassador", None))["state"], "accepted");
        let thread_page = app.client().get(&q.url);
        assert!(thread_page.body.contains("<span class=\"badge flair\">Ambassador</span>"), "{}", thread_page.body);
        // Ambassadors pin and move threads, but do not lock them.
        let moved = ana.api("POST", &format!("/api/v1/threads/{}/moderation", q.thread), Some(json!({"pinned": true, "category": "beans"})));
        assert_eq!(moved.status, 200, "{}", moved.body);
        assert_eq!(ana.api("POST", &format!("/api/v1/threads/{}/moderation", q.thread), Some(json!({"locked": true}))).status, 403);
        assert_eq!(ben.api("POST", &format!("/api/v1/threads/{}/moderation", q.thread), Some(json!({"pinned": false}))).status, 403);
        // Ben declines his.
        created(manager.api("POST", "/api/v1/ambassadors/nominations", Some(json!({"username": "ben", "reason": "Good reports."}))));
        assert_eq!(created(ben.api("PUT", "/api/v1/me/ambassador", Some(json!({"accept": false}))))["state"] , "declined");
        assert_eq!(ben.api("PUT", "/api/v1/me/ambassador", Some(json!({"accept": true}))).status, 404, "nothing pending");
        let _ = user_id(&app, "ben");
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/insights/leaders", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/insights/leaders", None));
        cast.expect("GET /insights/leaders.csv", &[(Anonymous, 303), (Member, 403), (Moderator, 403), (CommunityManager, 200)],
            |p| p.get("/insights/leaders.csv"));
        cast.expect("POST /api/v1/ambassadors/nominations", &[(Anonymous, 401), (Member, 403), (Moderator, 403)],
            |p| p.api("POST", "/api/v1/ambassadors/nominations", Some(json!({"username": "cleo", "reason": "Kind."}))));
        cast.expect("PUT /api/v1/me/ambassador", &[(Anonymous, 401), (Member, 404)],
            |p| p.api("PUT", "/api/v1/me/ambassador", Some(json!({"accept": true}))));
    }
}

both_backends! {
    fn a_group_s_flair_shows_by_its_members_names_until_they_leave(app) {
        let admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (_, url) = thread(&ana, "general", "discussion", "Roasting at home", "Popcorn machine.");
        let too_long = admin.api("POST", "/api/v1/admin/groups", Some(json!({"name": "Roasters", "flair": "A flair far longer than it should be"})));
        assert!(too_long.json()["error"]["fields"]["flair"].is_string(), "{}", too_long.body);
        created(admin.api("POST", "/api/v1/admin/groups", Some(json!({"name": "Roasters", "flair": "Home roaster"}))));
        let groups = created(admin.api("GET", "/api/v1/admin/groups", None));
        let id = groups.as_array().unwrap().iter().find(|g| g["name"] == "Roasters").unwrap()["id"].as_i64().unwrap();
        let page = admin.get("/admin/groups").body;
        assert!(page.contains("<span class=\"badge flair\">Home roaster</span>"), "{page}");
        assert!(!app.client().get(&url).body.contains("badge flair"));
        add_to_group(&admin, id, "ana");
        assert!(app.client().get(&url).body.contains("<span class=\"badge flair\">Home roaster</span>"));
        remove_from_group(&admin, id, "ana");
        assert!(!app.client().get(&url).body.contains("badge flair"));
    }
}
