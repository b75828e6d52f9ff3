//! Moderation that restricts, through HTTP: hiding, deleting and editing reported content with
//! a rule in force, the statement of reasons (every DSA Art. 17 field, in-app and over SMTP),
//! what the public and the author see afterwards, resubmission, and sanctions on members.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    community_manager, created, general_forum, member, moderator, question_with_answer, Person,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, TestApp, Value};

/// A rule (id, version 1) by the community manager.
fn rule(app: &TestApp) -> (i64, Person) {
    let manager = community_manager(app, "marta");
    let rule = created(manager.api(
        "POST",
        "/api/v1/rules",
        Some(json!({"title": "Be kind", "body": "No insults."})),
    ));
    (rule["id"].as_i64().unwrap(), manager)
}

/// The post with `id` in `thread`, as `reader` gets it from the API.
fn post_as(reader: &Client, thread: i64, id: i64) -> Value {
    let page = created(reader.api("GET", &format!("/api/v1/threads/{thread}"), None));
    page["posts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or(Value::Null)
}

/// A reported answer by `rude` to a question by `asker`: (post id, thread url, queue item).
struct Reported {
    post: i64,
    thread: i64,
    thread_url: String,
    item: Value,
    rude: Person,
    moderator: Person,
}

fn reported(app: &TestApp) -> Reported {
    let _admin = general_forum(app);
    let asker = member(app, "asker");
    let rude = member(app, "rude");
    let question = question_with_answer(&asker, &rude, "general", "Grinder settings for moka?");
    let post = question.answer_post;
    created(asker.api(
        "POST",
        "/api/v1/reports",
        Some(json!({"target_kind": "post",
        "target_id": post, "reason": "abusive", "text": "Insults me."})),
    ));
    let moderator = moderator(app, "mod");
    let queue = created(moderator.api("GET", "/api/v1/review", None));
    Reported {
        post,
        thread: question.thread,
        thread_url: question.url,
        item: queue[0].clone(),
        rude,
        moderator,
    }
}

fn decide(moderator: &Client, item: &Value, body: Value) -> tertulia_tests::Response {
    let id = item["id"].as_i64().unwrap();
    moderator.api("POST", &format!("/api/v1/review/{id}/decision"), Some(body))
}

both_backends! {
    fn hiding_needs_a_rule_and_gives_the_author_a_statement(app) {
        let (rule_id, _) = rule(&app);
        let r = reported(&app);
        let version = r.item["version"].as_i64().unwrap();
        // Every restrictive action is refused without a rule in force and an explanation.
        for action in ["hide", "delete", "edit"] {
            let no_rule = decide(&r.moderator, &r.item, json!({"action": action,
                "explanation": "Insults another member.", "version": version, "body": "x y z"}));
            assert_eq!(no_rule.status, 422, "{action}: {}", no_rule.body);
            assert_eq!(no_rule.error_code(), "rule_required");
            let wrong_version = decide(&r.moderator, &r.item, json!({"action": action, "rule_id": rule_id,
                "rule_version": 7, "explanation": "Insults.", "version": version, "body": "x y z"}));
            assert_eq!(wrong_version.error_code(), "rule_required", "{action}");
            let no_reason = decide(&r.moderator, &r.item, json!({"action": action, "rule_id": rule_id,
                "rule_version": 1, "explanation": " ", "version": version, "body": "x y z"}));
            assert_eq!(no_reason.status, 422);
            assert_eq!(no_reason.error_code(), "reason_required", "{action}");
        }
        let hidden = decide(&r.moderator, &r.item, json!({"action": "hide", "rule_id": rule_id,
            "rule_version": 1, "explanation": "Insults another member.", "version": version}));
        assert_eq!(hidden.status, 200, "{}", hidden.body);
        assert_eq!(hidden.json()["status"], "actioned");
        // The public sees a notice naming the rule, not the text; the history is closed too.
        let public = app.client().get(&r.thread_url);
        assert_eq!(public.status, 200);
        assert!(public.body.contains("Hidden by a moderator under rule #1 Be kind (v1)"), "{}", public.body);
        assert!(!public.body.contains("Try turning it off and on again."), "{}", public.body);
        let post = post_as(&app.client(), r.thread, r.post);
        assert_eq!(post["state"], "hidden");
        assert_eq!(post["cooked"], "");
        let history = app.client().get(&format!("/p/{}/history", r.post));
        assert!(!history.body.contains("Try turning it off"), "{}", history.body);
        // Nobody quotes it back into the thread, not even its author.
        for reader in [&app.client(), &*r.rude] {
            let quoted = reader.get(&format!("{}?quote=2", r.thread_url));
            assert!(!quoted.body.contains("@rude [#2]"), "{}", quoted.body);
        }
        // The author still reads it, marked, with a link to the statement.
        let own = r.rude.get(&r.thread_url);
        assert!(own.body.contains("Try turning it off and on again.") && own.body.contains("/me/statements"), "{}", own.body);
        // The statement of reasons: every Art. 17(3) field.
        let statements = created(r.rude.api("GET", "/api/v1/me/statements", None));
        let s = &statements[0];
        assert_eq!(s["measure"], "hide");
        assert_eq!(s["scope"], "post");
        assert_eq!(s["source"], "report");
        assert_eq!(s["detected_automatically"], false);
        assert_eq!(s["decided_automatically"], false);
        assert_eq!(s["rule_id"], rule_id);
        assert_eq!(s["rule_version"], 1);
        assert_eq!(s["rule_title"], "Be kind");
        assert_eq!(s["explanation"], "Insults another member.");
        assert!(s["ends_at"].is_null());
        assert!(s["appeal_until"].as_str().unwrap().ends_with('Z'));
        let page = r.rude.get(&format!("/me/statements/{}", s["id"]));
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Insults another member.") && page.body.contains("Be kind"), "{}", page.body);
        // Someone else's statement does not exist for them.
        assert_eq!(r.moderator.get(&format!("/me/statements/{}", s["id"])).status, 404);
        // In-app (always) and over SMTP, in the member's language.
        app.wait_for_jobs_idle();
        let notes = created(r.rude.api("GET", "/api/v1/notifications", None));
        assert!(notes.as_array().unwrap().iter().any(|n| n["kind"] == "statement"), "{notes}");
        let mail = app.wait_for_mail("rude@example.com", "Insults another member.");
        assert!(mail.contains("Insults another member.") && mail.contains("Be kind"), "{mail}");
        // The public log shows the action with its rule.
        let log = created(app.client().api("GET", "/api/v1/modlog", None));
        assert_eq!(log[0]["action"], "hide");
        assert_eq!(log[0]["rule_id"], rule_id);
        assert!(log[0]["decided_by"].is_null());
    }

    fn a_moderator_edit_keeps_the_old_text_from_the_public(app) {
        let (rule_id, _) = rule(&app);
        let r = reported(&app);
        let edited = decide(&r.moderator, &r.item, json!({"action": "edit", "rule": format!("{rule_id}@1"),
            "explanation": "Removed the insult.", "version": r.item["version"], "body": "Try the descaler first."}));
        assert_eq!(edited.status, 200, "{}", edited.body);
        let public = app.client().get(&r.thread_url);
        assert!(public.body.contains("Try the descaler first.") && public.body.contains("Edited by a moderator under rule #1 Be kind (v1)"), "{}", public.body);
        let history = app.client().get(&format!("/p/{}/history", r.post));
        assert_eq!(history.status, 200);
        assert!(!history.body.contains("Try turning it off"), "the removed text stays out of public history: {}", history.body);
        let own = r.rude.get(&format!("/p/{}/history", r.post));
        assert!(own.body.contains("Try turning it off"), "{}", own.body);
        let staff = r.moderator.get(&format!("/p/{}/history", r.post));
        assert!(staff.body.contains("Try turning it off"));
        // Who edited is for staff: the public sees "a moderator".
        let revisions = created(app.client().api("GET", &format!("/api/v1/posts/{}/revisions", r.post), None));
        assert_eq!(revisions[0]["editor"]["username"], "", "{revisions}");
        let revisions = created(r.moderator.api("GET", &format!("/api/v1/posts/{}/revisions", r.post), None));
        assert_eq!(revisions[0]["editor"]["username"], "mod");
        // The author's next edit of a moderated post goes back to the queue.
        created(r.rude.api("PATCH", &format!("/api/v1/posts/{}", r.post), Some(json!({"body": "Try turning it off, you fool."}))));
        app.wait_for_jobs_idle();
        let queue = created(r.moderator.api("GET", "/api/v1/review", None));
        assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
        let s = created(r.rude.api("GET", "/api/v1/me/statements", None));
        assert_eq!(s[0]["measure"], "edit");
    }

    fn a_deleted_post_stays_deleted_and_kept(app) {
        let (rule_id, _) = rule(&app);
        let r = reported(&app);
        created(decide(&r.moderator, &r.item, json!({"action": "delete", "rule_id": rule_id, "rule_version": 1,
            "explanation": "Abusive.", "version": r.item["version"]})));
        // Deleted: the author may not change it.
        let refused = r.rude.api("PATCH", &format!("/api/v1/posts/{}", r.post), Some(json!({"body": "Sorry, rewritten."})));
        assert_eq!(refused.status, 403, "{}", refused.body);
        assert!(!app.client().get(&r.thread_url).body.contains("Try turning it off"));
        assert_eq!(post_as(&app.client(), r.thread, r.post)["state"], "deleted");
        // The data stays: the author and staff still read it.
        assert_eq!(post_as(&r.moderator, r.thread, r.post)["cooked"].as_str().map(|c| c.contains("Try turning")), Some(true));
    }

    fn the_author_resubmits_a_hidden_post_for_review(app) {
        let (rule_id, _) = rule(&app);
        let r = reported(&app);
        created(decide(&r.moderator, &r.item, json!({"action": "hide", "rule_id": rule_id, "rule_version": 1,
            "explanation": "Abusive.", "version": r.item["version"]})));
        assert!(created(r.moderator.api("GET", "/api/v1/review", None)).as_array().unwrap().is_empty());
        let resubmit = r.rude.api("PATCH", &format!("/api/v1/posts/{}", r.post), Some(json!({"body": "Sorry, rewritten politely."})));
        assert_eq!(resubmit.status, 200, "{}", resubmit.body);
        let again = r.rude.api("PATCH", &format!("/api/v1/posts/{}", r.post), Some(json!({"body": "Once more."})));
        assert_eq!(again.status, 403, "once: {}", again.body);
        app.wait_for_jobs_idle();
        let queue = created(r.moderator.api("GET", "/api/v1/review", None));
        assert_eq!(queue.as_array().unwrap().len(), 1, "{queue}");
        assert_eq!(queue[0]["held"], true);
        assert_eq!(queue[0]["target_state"], "resubmitted");
        created(decide(&r.moderator, &queue[0], json!({"action": "approve",
            "explanation": "Fine now.", "version": queue[0]["version"]})));
        let public = app.client().get(&r.thread_url);
        assert!(public.body.contains("Sorry, rewritten politely."), "{}", public.body);
    }

    fn a_claim_lapses_after_thirty_idle_minutes(app) {
        let r = reported(&app);
        let other = moderator(&app, "other_mod");
        let id = r.item["id"].as_i64().unwrap();
        created(r.moderator.api("POST", &format!("/api/v1/review/{id}/claim"), None));
        let age = |minutes: i64| {
            use diesel::prelude::*;
            use tertulia::db::schema::review_items;
            let then = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(minutes);
            diesel::update(review_items::table).set(review_items::claimed_at.eq(Some(then)))
                .execute(&mut app.db()).unwrap();
        };
        // 29 minutes without a look, then the moderator works the queue: the claim is fresh.
        age(29);
        created(r.moderator.api("GET", "/api/v1/review", None));
        {
            use diesel::prelude::*;
            use tertulia::db::schema::review_items;
            let at: Option<chrono::NaiveDateTime> = review_items::table
                .select(review_items::claimed_at).first(&mut app.db()).unwrap();
            assert!(at.unwrap() > chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1));
        }
        let refused = other.api("POST", &format!("/api/v1/review/{id}/claim"), None);
        assert_eq!(refused.error_code(), "claimed_by_other");
        // 31 idle minutes: another moderator may take it.
        age(31);
        assert_eq!(other.api("POST", &format!("/api/v1/review/{id}/claim"), None).status, 200);
    }

    fn sanctions_carry_statements_and_bind(app) {
        let (rule_id, manager) = rule(&app);
        let _admin = general_forum(&app);
        let rude = member(&app, "rude");
        let moderator = moderator(&app, "mod");
        let path = "/api/v1/users/rude/sanctions";
        let no_rule = moderator.api("POST", path, Some(json!({"kind": "silence", "days": 3, "explanation": "Repeated insults."})));
        assert_eq!(no_rule.status, 422);
        assert_eq!(no_rule.error_code(), "rule_required");
        let no_days = moderator.api("POST", path, Some(json!({"kind": "silence", "rule_id": rule_id, "rule_version": 1, "explanation": "x"})));
        assert_eq!(no_days.status, 422);
        let silence = moderator.api("POST", path, Some(json!({"kind": "silence", "days": 3,
            "rule_id": rule_id, "rule_version": 1, "explanation": "Repeated insults."})));
        assert_eq!(silence.status, 201, "{}", silence.body);
        let again = moderator.api("POST", path, Some(json!({"kind": "silence", "days": 1,
            "rule_id": rule_id, "rule_version": 1, "explanation": "Again."})));
        assert_eq!(again.status, 409);
        assert_eq!(again.error_code(), "already_sanctioned");
        // Silenced: reads, cannot post (API or page).
        assert_eq!(rude.get("/").status, 200);
        let post = rude.api("POST", "/api/v1/threads", Some(json!({"category": "general", "kind": "discussion",
            "title": "Let me speak again", "body": "Please."})));
        assert_eq!(post.status, 403, "{}", post.body);
        assert_eq!(post.error_code(), "silenced");
        let s = created(rude.api("GET", "/api/v1/me/statements", None));
        assert_eq!(s[0]["measure"], "silence");
        assert_eq!(s[0]["scope"], "account");
        assert!(s[0]["ends_at"].as_str().unwrap().ends_with('Z'));
        // Suspended: only the statements (and the rules) remain, through the API too.
        created(moderator.api("POST", path, Some(json!({"kind": "suspension", "days": 7,
            "rule": format!("{rule_id}@1"), "explanation": "Threats."}))));
        assert_eq!(rude.api("GET", "/api/v1/notifications", None).error_code(), "suspended");
        let home = rude.get("/");
        assert_eq!(home.status, 403);
        assert!(home.body.contains("href=\"/me/statements\"") && home.body.contains("suspended"), "{}", home.body);
        let mine = created(rude.api("GET", "/api/v1/me/statements", None));
        assert_eq!(mine[0]["measure"], "suspension");
        assert_eq!(rude.get("/me/statements").status, 200);
        assert_eq!(rude.api("POST", "/api/v1/reports", Some(json!({"target_kind": "user", "target_id": 1,
            "reason": "other", "text": "x"}))).error_code(), "suspended");
        // A ban is not shortened by a later, shorter suspension ending.
        created(moderator.api("POST", path, Some(json!({"kind": "ban", "rule_id": rule_id, "rule_version": 1,
            "explanation": "Threats again."}))));
        {
            use diesel::prelude::*;
            use tertulia::db::schema::sanctions;
            let mut conn = app.db();
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(sanctions::table.filter(sanctions::kind.eq(10))).set(sanctions::ends_at.eq(Some(past))).execute(&mut conn).unwrap();
            assert_eq!(tertulia::moderation::sanctions::expire(&mut conn).unwrap(), 1);
        }
        assert_eq!(rude.get("/").status, 403, "the ban still holds");
        app.wait_for_mail("rude@example.com", "Threats.");
        // The record, for staff.
        let record = created(moderator.api("GET", "/api/v1/users/rude/moderation", None));
        assert_eq!(record["sanctions"].as_array().unwrap().len(), 3);
        assert_eq!(moderator.api("POST", "/api/v1/users/rude/notes", Some(json!({"body": "Talked to him by mail."}))).status, 204);
        let page = moderator.get("/u/rude/moderation");
        assert!(page.body.contains("Talked to him by mail.") && page.body.contains("Threats."), "{}", page.body);
        // The page form: a warning leaves the days field blank.
        let by_form = moderator.submit_form("/u/rude/moderation", "/u/rude/sanctions", &[("kind", "warning"),
            ("days", ""), ("rule", &format!("{rule_id}@1")), ("explanation", "Mind the tone.")]);
        assert_eq!(by_form.status, 303, "{}", by_form.body);
        // A moderator does not read their own record.
        assert_eq!(moderator.api("GET", "/api/v1/users/mod/moderation", None).status, 403);
        // Nobody sanctions a peer, a superior or themselves.
        let up = moderator.api("POST", "/api/v1/users/marta/sanctions", Some(json!({"kind": "warning",
            "rule_id": rule_id, "rule_version": 1, "explanation": "x"})));
        assert_eq!(up.status, 403);
        assert_eq!(up.error_code(), "not_allowed");
        let warned = manager.api("POST", "/api/v1/users/mod/sanctions", Some(json!({"kind": "warning",
            "rule_id": rule_id, "rule_version": 1, "explanation": "Be gentler in replies."})));
        assert_eq!(warned.status, 201, "{}", warned.body);
    }

    fn sanctions_expire_by_the_job(app) {
        let (rule_id, _) = rule(&app);
        let _admin = general_forum(&app);
        let rude = member(&app, "rude");
        let moderator = moderator(&app, "mod");
        created(moderator.api("POST", "/api/v1/users/rude/sanctions", Some(json!({"kind": "suspension", "days": 1,
            "rule_id": rule_id, "rule_version": 1, "explanation": "Cool down."}))));
        assert_eq!(rude.get("/").status, 403);
        // A day later (moved back in the database), the job records the end and they are back.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::{sanctions, users};
            let mut conn = app.db();
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(sanctions::table).set(sanctions::ends_at.eq(Some(past))).execute(&mut conn).unwrap();
            diesel::update(users::table).set(users::suspended_until.eq(Some(past))).execute(&mut conn).unwrap();
            assert_eq!(tertulia::moderation::sanctions::expire(&mut conn).unwrap(), 1);
            let left: Option<chrono::NaiveDateTime> = users::table.filter(users::username.eq("rude"))
                .select(users::suspended_until).first(&mut conn).unwrap();
            assert!(left.is_none());
        }
        assert_eq!(rude.get("/").status, 200);
        let record = created(moderator.api("GET", "/api/v1/users/rude/moderation", None));
        assert_eq!(record["sanctions"][0]["active"], false);
    }

    fn who_may_sanction_and_read_records(app) {
        let cast = Cast::new(&app);
        let (rule_id, _) = rule(&app);
        let target = member(&app, "target");
        let _ = target;
        let kinds = [(Anonymous, 401), (Unverified, 403), (Member, 403), (Moderator, 201),
                     (CommunityManager, 201), (Admin, 201)];
        cast.expect("POST /api/v1/users/{u}/sanctions", &kinds, |p| {
            p.api("POST", "/api/v1/users/target/sanctions", Some(json!({"kind": "warning",
                "rule_id": rule_id, "rule_version": 1, "explanation": format!("Warned by {}", p.username)})))
        });
        cast.expect("GET /api/v1/users/{u}/moderation", &[(Anonymous, 401), (Member, 403), (Moderator, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/users/target/moderation", None));
        cast.expect("POST /api/v1/users/{u}/notes", &[(Anonymous, 401), (Member, 403), (Moderator, 204)],
            |p| p.api("POST", "/api/v1/users/target/notes", Some(json!({"body": "note"}))));
        cast.expect("GET /u/{u}/moderation", &[(Anonymous, 303), (Member, 403), (Moderator, 200)],
            |p| p.get("/u/target/moderation"));
        cast.expect("GET /me/statements", &[(Anonymous, 303), (Member, 200), (Moderator, 200)],
            |p| p.get("/me/statements"));
        cast.expect("GET /api/v1/me/statements", &[(Anonymous, 401), (Member, 200)],
            |p| p.api("GET", "/api/v1/me/statements", None));
        cast.expect("POST /u/{u}/notes (page)", &[(Member, 403), (Moderator, 303)],
            |p| p.submit_form("/rules", "/u/target/notes", &[("body", "seen")]));
        // The refused roles' warnings were not recorded.
        let record = created(cast.get(Admin).api("GET", "/api/v1/users/target/moderation", None));
        let texts: Vec<&str> = record["sanctions"].as_array().unwrap().iter().map(|s| s["explanation"].as_str().unwrap()).collect();
        assert_eq!(texts.len(), 3, "{texts:?}");
    }
}
