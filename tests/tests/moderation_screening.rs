//! Screening through HTTP: watched words (hold, flag, replace, block, tried on a sample), held
//! posts approved or rejected from the queue, a new member's first post held, and a moderator's
//! own-initiative item.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia_tests::fixtures::{
    community_manager, created, general_forum, member, moderator, post_ids, reply, thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, on_both, Backend, Client, TestApp, Value};

fn watch(manager: &Client, body: Value) -> i64 {
    created(manager.api("POST", "/api/v1/watched-words", Some(body)))["id"]
        .as_i64()
        .unwrap()
}

/// The post with `id` as `reader` sees the thread (Null when it is not shown to them).
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

both_backends! {
    fn watched_words_hold_flag_replace_and_block(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let rule = created(manager.api("POST", "/api/v1/rules", Some(json!({"title": "No spam", "body": "No ads."}))));
        watch(&manager, json!({"pattern": "casino*", "action": "hold"}));
        watch(&manager, json!({"pattern": "oferta", "action": "flag"}));
        watch(&manager, json!({"pattern": "tonto", "action": "replace", "replacement": "***"}));
        watch(&manager, json!({"pattern": "compra ya", "action": "block", "rule_id": rule["id"]}));
        let asker = member(&app, "asker");
        let spammer = member(&app, "spammer");
        let (id, url) = thread(&asker, "general", "question", "Best beans for espresso?", "Any ideas?");
        // Hold: the author sees it waiting; nobody else does, and it is in the queue.
        let held = reply(&spammer, id, "Try the best CASINOS online instead.");
        let held_id = held["id"].as_i64().unwrap();
        assert_eq!(held["state"], "held");
        assert!(post_as(&app.client(), id, held_id).is_null());
        assert!(!asker.get(&url).body.contains("CASINOS"));
        assert!(spammer.get(&url).body.contains("Waiting for a moderator"), "the author sees it");
        // Flag: published, and in the queue.
        let flagged = reply(&spammer, id, "Gran OFERTA de café hoy.");
        assert_eq!(flagged["state"], "visible");
        // Replace.
        let replaced = reply(&spammer, id, "Eres TONTO si no lo pruebas.");
        assert!(replaced["cooked"].as_str().unwrap().contains("Eres *** si"), "{replaced}");
        // Block: refused, naming the rule.
        let blocked = spammer.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "¡Compra YA en mi web!"})));
        assert_eq!(blocked.status, 422, "{}", blocked.body);
        assert_eq!(blocked.error_code(), "watched_word_blocked");
        let message = blocked.json()["error"]["fields"]["body"].as_str().unwrap().to_string();
        assert!(message.contains("compra ya") && message.contains("#1 No spam"), "{message}");
        // Moderators' posts are not screened.
        let moderator = moderator(&app, "mod");
        assert_eq!(reply(&moderator, id, "No casinos here, please.")["state"], "visible");
        // The queue: the held post (approve/reject) and the flagged one; the header counts them.
        assert!(moderator.get("/").body.contains("Review (2)"));
        assert!(!spammer.get("/").body.contains("Review ("), "members have no queue");
        let only_held = created(moderator.api("GET", "/api/v1/review?origin=automated&kind=post", None));
        assert_eq!(only_held.as_array().unwrap().len(), 2);
        let none = created(moderator.api("GET", "/api/v1/review?reason=illegal", None));
        assert!(none.as_array().unwrap().is_empty());
        assert_eq!(moderator.api("GET", "/api/v1/review?kind=planet", None).status, 422);
        assert!(created(moderator.api("GET", "/api/v1/review?mine=true", None)).as_array().unwrap().is_empty());
        assert_eq!(created(moderator.api("GET", "/api/v1/review?category=general", None)).as_array().unwrap().len(), 2);
        assert_eq!(moderator.api("GET", "/api/v1/review?category=nowhere", None).status, 422);
        let queue = created(moderator.api("GET", "/api/v1/review", None));
        let items = queue.as_array().unwrap();
        assert_eq!(items.len(), 2, "{queue}");
        let held_item = items.iter().find(|i| i["target_id"] == held_id).unwrap();
        assert_eq!(held_item["held"], true);
        assert_eq!(held_item["origin"], "automated");
        assert!(held_item["snapshot"]["text"].as_str().unwrap().contains("CASINOS"));
        // Reject: rule required; the author gets the statement, marked as detected automatically.
        let reject = moderator.api("POST", &format!("/api/v1/review/{}/decision", held_item["id"]),
            Some(json!({"action": "reject", "explanation": "Advertising.", "version": held_item["version"]})));
        assert_eq!(reject.error_code(), "rule_required");
        created(moderator.api("POST", &format!("/api/v1/review/{}/decision", held_item["id"]),
            Some(json!({"action": "reject", "rule_id": rule["id"], "rule_version": 1,
                "explanation": "Advertising.", "version": held_item["version"]}))));
        let statement = created(spammer.api("GET", "/api/v1/me/statements", None));
        assert_eq!(statement[0]["measure"], "reject");
        assert_eq!(statement[0]["detected_automatically"], true);
        assert_eq!(statement[0]["decided_automatically"], false);
        assert!(post_as(&app.client(), id, held_id).is_null(), "rejected stays out");
        // The community manager tries a sample without publishing anything.
        let sample = created(manager.api("POST", "/api/v1/watched-words/test", Some(json!({"text": "Un casino y un tonto"}))));
        assert_eq!(sample["outcome"], "hold");
        assert_eq!(sample["text"], "Un casino y un ***");
        let page = manager.submit_form("/admin/watched-words", "/admin/watched-words/test", &[("text", "compra ya")]);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("Refused."), "{}", page.body);
        // Bad patterns are explained.
        let bad = manager.api("POST", "/api/v1/watched-words", Some(json!({"pattern": "*", "action": "hold"})));
        assert_eq!(bad.status, 422);
        let bad = manager.api("POST", "/api/v1/watched-words", Some(json!({"pattern": "pesado", "action": "replace"})));
        assert!(bad.json()["error"]["fields"]["replacement"].is_string());
    }

    fn an_approved_held_post_is_published_and_announced(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        watch(&manager, json!({"pattern": "enlace", "action": "hold"}));
        let asker = member(&app, "asker");
        let helper = member(&app, "helper");
        let (id, url) = thread(&asker, "general", "question", "Grinder for moka?", "Which one?");
        let held = reply(&helper, id, "Mira este enlace al manual.");
        let replies = |reader: &Client| -> Value {
            let latest = created(reader.api("GET", "/api/v1/latest", None));
            latest["threads"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap()["replies"].clone()
        };
        assert_eq!(replies(&app.client()), 0, "a held reply neither counts nor bumps");
        app.wait_for_jobs_idle();
        let before = tertulia_tests::fixtures::notifications(&asker);
        assert_eq!(before.len(), 0, "a held post is announced to nobody: {before:?}");
        let moderator = moderator(&app, "mod");
        let queue = created(moderator.api("GET", "/api/v1/review", None));
        created(moderator.api("POST", &format!("/api/v1/review/{}/decision", queue[0]["id"]),
            Some(json!({"action": "approve", "explanation": "A manual link is fine.", "version": queue[0]["version"]}))));
        assert!(app.client().get(&url).body.contains("Mira este enlace"));
        assert_eq!(replies(&app.client()), 1);
        app.wait_for_jobs_idle();
        let after = tertulia_tests::fixtures::notifications(&asker);
        assert_eq!(after.len(), 1, "{after:?}");
        assert!(held["id"].is_i64());
    }

    fn moderators_open_items_on_their_own_initiative(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let rule = created(manager.api("POST", "/api/v1/rules", Some(json!({"title": "Respect", "body": "Be kind."}))));
        let author = member(&app, "author");
        let (id, _) = thread(&author, "general", "discussion", "Roasting at home", "Nobody here knows anything.");
        let post = post_ids(&author, id)[0];
        let moderator = moderator(&app, "mod");
        let opened = moderator.api("POST", "/api/v1/review", Some(json!({"target_kind": "post", "target_id": post})));
        assert_eq!(opened.status, 201, "{}", opened.body);
        let opened = opened.json();
        created(moderator.api("POST", &format!("/api/v1/review/{}/decision", opened["id"]),
            Some(json!({"action": "hide", "rule_id": rule["id"], "rule_version": 1,
                "explanation": "Dismissive of everyone.", "version": opened["version"]}))));
        let statement = created(author.api("GET", "/api/v1/me/statements", None));
        assert_eq!(statement[0]["source"], "own_initiative");
        assert_eq!(statement[0]["scope"], "thread", "the opening post carries its thread");
        assert_eq!(statement[0]["detected_automatically"], false);
        // A hidden thread is listed nowhere, but the public log still names the decision.
        let latest = created(app.client().api("GET", "/api/v1/latest", None));
        assert!(latest["threads"].as_array().unwrap().iter().all(|t| t["id"] != id));
        let log = created(app.client().api("GET", "/api/v1/modlog", None));
        assert_eq!(log[0]["action"], "hide");
        assert!(log[0]["url"].is_null(), "no link to what the public cannot open");
        // Nobody opens an item about their own content; members open none.
        let own = moderator.api("POST", "/api/v1/review", Some(json!({"target_kind": "user",
            "target_id": tertulia_tests::fixtures::user_id(&app, "mod")})));
        assert_eq!(own.status, 403);
        assert_eq!(author.api("POST", "/api/v1/review", Some(json!({"target_kind": "post", "target_id": post}))).status, 403);
        let bad = moderator.api("POST", "/api/v1/review", Some(json!({"target_kind": "post", "target_id": 999_999})));
        assert_eq!(bad.status, 422);
    }

    fn the_queue_pages_by_priority_and_deadline(app) {
        let _admin = general_forum(&app);
        let author = member(&app, "author");
        let mut posts = vec![];
        for title in ["Many replies", "Even more replies"] {
            let (id, _) = thread(&author, "general", "discussion", title, "The opening post.");
            for n in 0..17 {
                reply(&author, id, &format!("Reply number {n}"));
            }
            posts.extend(post_ids(&author, id));
        }
        posts.truncate(35);
        assert_eq!(posts.len(), 35);
        let moderator = moderator(&app, "mod");
        for post in &posts {
            created(moderator.api("POST", "/api/v1/review", Some(json!({"target_kind": "post", "target_id": post}))));
        }
        // 35 items: a page of 30 and a `Link` to the rest, with the filters kept.
        let first = moderator.api("GET", "/api/v1/review?kind=post", None);
        assert_eq!(first.status, 200, "{}", first.body);
        assert_eq!(first.json().as_array().unwrap().len(), 30);
        let link = first.header("Link").expect("a next page").to_string();
        assert!(link.ends_with(">; rel=\"next\"") && link.contains("kind=post"), "{link}");
        let next = link.trim_start_matches('<').split('>').next().unwrap().to_string();
        let second = moderator.api("GET", &next, None);
        assert_eq!(second.status, 200, "{}", second.body);
        assert!(second.header("Link").is_none(), "the last page");
        let mut seen: Vec<i64> = first.json().as_array().unwrap().iter()
            .chain(second.json().as_array().unwrap().iter())
            .map(|i| i["id"].as_i64().unwrap())
            .collect();
        assert_eq!(seen.len(), 35);
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), 35, "no item twice, none missed");
        // The page links to the next page too; a forged cursor is a clear error.
        let page = moderator.get("/review");
        assert!(page.body.contains("rel=\"next\""), "{}", page.body);
        let bad = moderator.api("GET", "/api/v1/review?after=soon", None);
        assert_eq!(bad.status, 422);
        assert_eq!(bad.error_code(), "invalid_cursor");
    }

    fn who_may_manage_watched_words(app) {
        let cast = Cast::new(&app);
        let writers = [(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 201), (Admin, 201)];
        cast.expect("POST /api/v1/watched-words", &writers, |p| {
            p.api("POST", "/api/v1/watched-words", Some(json!({"pattern": format!("word{}", p.username.len()), "action": "flag"})))
        });
        cast.expect("GET /api/v1/watched-words", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200)],
            |p| p.api("GET", "/api/v1/watched-words", None));
        cast.expect("POST /api/v1/watched-words/test", &[(Member, 403), (Moderator, 403), (Admin, 200)],
            |p| p.api("POST", "/api/v1/watched-words/test", Some(json!({"text": "x"}))));
        cast.expect("GET /admin/watched-words", &[(Anonymous, 303), (Member, 403), (Moderator, 403), (CommunityManager, 200)],
            |p| p.get("/admin/watched-words"));
        let words = created(cast.get(Admin).api("GET", "/api/v1/watched-words", None));
        let id = words[0]["id"].as_i64().unwrap();
        cast.expect("DELETE /api/v1/watched-words/{id}", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 204)],
            |p| p.api("DELETE", &format!("/api/v1/watched-words/{id}"), None));
        cast.expect("POST /api/v1/review (open)", &[(Anonymous, 401), (Member, 403)],
            |p| p.api("POST", "/api/v1/review", Some(json!({"target_kind": "user", "target_id": 1}))));
        // The page forms answer the same; a bad pattern comes back on the form.
        cast.expect("POST /admin/watched-words (page)", &[(Member, 403), (Moderator, 403), (CommunityManager, 303)],
            |p| p.submit_form("/rules", "/admin/watched-words", &[("pattern", &format!("palabra{}", p.username.len())), ("action", "flag")]));
        cast.expect("POST /admin/watched-words/test (page)", &[(Member, 403), (Moderator, 403), (Admin, 200)],
            |p| p.submit_form("/rules", "/admin/watched-words/test", &[("text", "hola")]));
        cast.expect("POST /review/open (page)", &[(Member, 403), (Admin, 303)],
            |p| p.submit_form("/rules", "/review/open", &[("target_kind", "user"), ("target_id", "1")]));
        let bad = cast.get(CommunityManager).submit_form("/admin/watched-words", "/admin/watched-words", &[("pattern", "*"), ("action", "hold")]);
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("field-error"));
    }
}

/// With `hold_first_posts` (a setting of the community manager's), a new member's first post
/// waits for approval; their thread too.
fn first_posts_held(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |_| {}) else {
        return;
    };
    let _admin = general_forum(&app);
    let manager = community_manager(&app, "marta");
    created(manager.api(
        "PUT",
        "/api/v1/moderation/settings",
        Some(json!({"hold_first_posts": 1})),
    ));
    app.create_user("newbie", Role::Member);
    let newbie = app.client();
    let login = newbie.submit_form(
        "/login",
        "/login",
        &[("login", "newbie"), ("password", tertulia_tests::PASSWORD)],
    );
    assert_eq!(login.status, 303);
    let (id, url) = thread(
        &newbie,
        "general",
        "discussion",
        "Hello from a new member",
        "My first post.",
    );
    let latest = created(app.client().api("GET", "/api/v1/latest", None));
    assert!(
        latest["threads"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["id"] != id),
        "held threads are not listed"
    );
    assert_eq!(app.client().get(&url).status, 404);
    assert_eq!(newbie.get(&url).status, 200, "its author sees it");
    let moderator = moderator(&app, "mod");
    let queue = created(moderator.api("GET", "/api/v1/review", None));
    assert_eq!(queue[0]["held"], true);
    created(moderator.api(
        "POST",
        &format!("/api/v1/review/{}/decision", queue[0]["id"]),
        Some(
            json!({"action": "approve", "explanation": "Welcome!", "version": queue[0]["version"]}),
        ),
    ));
    assert_eq!(app.client().get(&url).status, 200);
    // The next post is not held.
    assert_eq!(reply(&newbie, id, "Thanks!")["state"], "visible");
}

on_both! { first_posts_held_for_new_members => first_posts_held }
