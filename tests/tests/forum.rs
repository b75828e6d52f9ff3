//! The forum through HTTP, per role: categories and their visibility, threads and replies,
//! quotes and mentions, edits with history, accepted and official answers, reactions,
//! bookmarks, watching, unread counts, staff tools, keyset pagination and concurrency.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::{CurrentUser, Role};
use tertulia::forum::model::{ReplyForm, ThreadId};
use tertulia::forum::service::{self, ForumSettings};
use tertulia::policy::Actor;
use tertulia_tests::fixtures::{
    add_to_group, brand_staff, category, created, general_forum as setup, member, moderator,
    post_ids, private_category, remove_from_group, reply, thread,
};
use tertulia_tests::{both_backends, json, Client, TestApp};

fn user_current(app: &TestApp, username: &str) -> CurrentUser {
    let user = tertulia::accounts::service::user_by_username(&mut app.db(), username).unwrap();
    CurrentUser::from_user(&user)
}

both_backends! {
    fn categories_say_who_may_start_threads_and_who_may_reply(app) {
        let admin = setup(&app);
        let made = |body: tertulia_tests::Value| admin.api("POST", "/api/v1/admin/categories", Some(body));
        // Announcements: only staff start threads, everyone replies.
        assert_eq!(made(json!({"name": "News", "visibility": "public", "start_rule": "staff"})).status, 201);
        // A lab: members of Beta start threads; replying needs trust level 2.
        let beta = tertulia_tests::fixtures::group(&admin, "Beta");
        assert_eq!(made(json!({"name": "Lab", "visibility": "public", "start_rule": "groups", "posting_groups": "Beta", "reply_rule": "trust", "reply_trust": "2"})).status, 201);
        // Rules are checked: an unknown rule, a trust rule without its level, a group rule without groups.
        assert_eq!(made(json!({"name": "Bad", "visibility": "public", "start_rule": "nobody"})).json()["error"]["fields"]["start_rule"], "Choose who may post: everyone, groups, staff or a trust level.");
        assert!(made(json!({"name": "Bad", "visibility": "public", "reply_rule": "trust"})).json()["error"]["fields"]["reply_trust"].is_string());
        assert!(made(json!({"name": "Bad", "visibility": "public", "start_rule": "groups"})).json()["error"]["fields"]["posting_groups"].is_string());
        let customer = member(&app, "customer");
        let tester = member(&app, "tester");
        add_to_group(&admin, beta, "tester");
        let support = brand_staff(&app, &admin, "support", "Support");
        // Members cannot change a category's rules.
        assert_eq!(customer.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Mine", "visibility": "public"}))).status, 403);

        // The composer lists the categories a member may not start in as unavailable, with the rule.
        let composer = customer.get("/new").body;
        assert!(composer.contains("<option value=\"news\" disabled>News (staff only)</option>"), "{composer}");
        assert!(composer.contains("<option value=\"lab\" disabled>Lab (Beta only)</option>"));
        assert!(composer.contains("<option value=\"general\">Cat general</option>"));
        // The rule is enforced in the service, with its reason, on the page and in the API.
        let refused = customer.submit_form("/new", "/new", &[("category", "news"), ("kind", "discussion"), ("title", "My own announcement"), ("body", "Hello")]);
        assert_eq!(refused.status, 422);
        assert!(refused.body.contains("Only staff start threads in News."), "{}", refused.body);
        let api = customer.api("POST", "/api/v1/threads", Some(json!({"category": "news", "title": "My own announcement", "body": "Hello"})));
        assert_eq!(api.status, 422);
        assert_eq!(api.error_code(), "category_restricted");
        let lab = customer.api("POST", "/api/v1/threads", Some(json!({"category": "lab", "title": "Let me in the lab", "body": "Please"})));
        assert_eq!(lab.json()["error"]["fields"]["category"], "Only members of Beta and staff start threads in Lab.");
        // Staff start announcements; everyone replies to them.
        let (news_id, _) = thread(&support, "news", "announcement", "Firmware 2.1 is out", "Update now.");
        assert_eq!(customer.api("POST", &format!("/api/v1/threads/{news_id}/posts"), Some(json!({"body": "Thanks!"}))).status, 201);
        // A Beta member starts in the lab; a member below trust level 2 may not reply there.
        let (lab_id, lab_url) = thread(&tester, "lab", "discussion", "Prototype grinder notes", "Burrs look good.");
        let reply_refused = customer.api("POST", &format!("/api/v1/threads/{lab_id}/posts"), Some(json!({"body": "Me too"})));
        assert_eq!(reply_refused.status, 422);
        assert_eq!(reply_refused.error_code(), "category_restricted");
        let page = customer.get(&lab_url).body;
        assert!(!page.contains("id=\"reply-body\""), "no reply box where one may not reply");
        assert!(page.contains("Replying in Lab needs trust level 2"), "{page}");
        assert_eq!(support.api("POST", &format!("/api/v1/threads/{lab_id}/posts"), Some(json!({"body": "Staff may"}))).status, 201);
        // The rules are part of the category as the API shows it.
        let categories = customer.api("GET", "/api/v1/categories", None).json();
        let lab = categories.as_array().unwrap().iter().find(|c| c["slug"] == "lab").unwrap().clone();
        assert_eq!(lab["posting"]["start_rule"], "groups");
        assert_eq!(lab["posting"]["groups"], json!(["Beta"]));
        assert_eq!(lab["posting"]["reply_trust"], 2);
        assert_eq!(lab["may_start"], false);
    }

    fn lists_filter_unanswered_unsolved_solved_questions_mine_and_the_staff_backlog(app) {
        let admin = setup(&app);
        let support = brand_staff(&app, &admin, "support", "Support");
        let asker = member(&app, "asker");
        let helper = member(&app, "helper");
        let (_, _) = thread(&asker, "general", "question", "Alpha nobody answered", "?");
        let (beta, _) = thread(&asker, "general", "question", "Beta a member answered", "?");
        reply(&helper, beta, "Try this");
        let (gamma, _) = thread(&asker, "general", "question", "Gamma is solved", "?");
        let answer = reply(&helper, gamma, "This works")["id"].as_i64().unwrap();
        assert_eq!(asker.api("POST", &format!("/api/v1/posts/{answer}/accept"), None).status, 200);
        thread(&helper, "general", "discussion", "Delta a quiet discussion", "hi");
        let (epsilon, _) = thread(&helper, "general", "question", "Epsilon support answered", "?");
        reply(&support, epsilon, "We will replace it");
        let titles = |client: &Client, path: &str| -> Vec<String> {
            let list = client.api("GET", path, None);
            assert_eq!(list.status, 200, "{path}: {}", list.body);
            let mut titles: Vec<String> = list.json()["threads"].as_array().unwrap().iter()
                .map(|t| t["title"].as_str().unwrap().split(' ').next().unwrap().to_string()).collect();
            titles.sort();
            titles
        };
        assert_eq!(titles(&asker, "/api/v1/latest?filter=unanswered"), ["Alpha", "Delta"]);
        assert_eq!(titles(&asker, "/api/v1/latest?filter=unsolved"), ["Alpha", "Beta", "Epsilon"]);
        assert_eq!(titles(&asker, "/api/v1/latest?filter=solved"), ["Gamma"]);
        assert_eq!(titles(&asker, "/api/v1/latest?filter=questions"), ["Alpha", "Beta", "Epsilon", "Gamma"]);
        assert_eq!(titles(&asker, "/api/v1/latest?filter=mine"), ["Alpha", "Beta", "Gamma"]);
        assert_eq!(titles(&asker, "/api/v1/categories/general/threads?filter=unanswered"), ["Alpha", "Delta"]);
        assert_eq!(titles(&support, "/api/v1/latest?filter=needs_staff"), ["Alpha", "Beta", "Gamma"]);
        // Who may ask for what, and a filter that does not exist.
        assert_eq!(app.client().api("GET", "/api/v1/latest?filter=mine", None).status, 401);
        assert_eq!(asker.api("GET", "/api/v1/latest?filter=needs_staff", None).status, 403);
        let bad = asker.api("GET", "/api/v1/latest?filter=everything", None);
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json()["error"]["fields"]["filter"], "Choose one of the listed filters.");
        // The pages offer the filters (staff see their backlog), mark the current one and keep it.
        let page = asker.get("/latest?filter=solved").body;
        assert!(page.contains("aria-current=\"page\">Solved</a>"), "{page}");
        assert!(page.contains("Gamma is solved") && !page.contains("Alpha nobody answered"));
        assert!(page.contains("My threads") && !page.contains("Needs a staff answer"));
        assert!(support.get("/c/general").body.contains("Needs a staff answer"));
        assert!(support.get("/c/general?filter=needs_staff").body.contains("Beta a member answered"));
        assert_eq!(asker.get("/c/general?filter=needs_staff").status, 403);
    }

    fn the_member_directory_and_avatars(app) {
        let admin = setup(&app);
        let support = brand_staff(&app, &admin, "support_ana", "Support");
        let lucia = member(&app, "lucia_barista");
        member(&app, "pedro");
        let gone = member(&app, "gone_guy");
        let insiders = private_category(&admin, "insiders", "Insiders");
        add_to_group(&admin, insiders.group_id, "lucia_barista");
        thread(&lucia, "general", "discussion", "Public corner photo", "Look");
        thread(&lucia, "insiders", "discussion", "Private prototype notes", "Shh");
        thread(&gone, "general", "discussion", "Soon suspended here", "bye");
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            let mut conn = app.db();
            diesel::update(users::table.filter(users::username.eq("gone_guy")))
                .set(users::suspended_until.eq(Some(tertulia::util::now() + chrono::Duration::days(3))))
                .execute(&mut conn)
                .unwrap();
        }
        let visitor = app.client();
        let page = visitor.get("/u");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("href=\"/u/lucia_barista\"") && page.body.contains("/u/lucia_barista/avatar.svg"));
        assert!(page.body.contains("Support team"), "brand staff are marked: {}", page.body);
        assert!(!page.body.contains("gone_guy"), "suspended members are not listed");
        // Search by part of the name, any case; counts only what the reader may see.
        let found = visitor.api("GET", "/api/v1/users?q=BARIS", None).json();
        assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
        assert_eq!(found[0]["username"], "lucia_barista");
        assert_eq!(found[0]["posts"], 1, "the private thread is not counted for a visitor");
        assert_eq!(lucia.api("GET", "/api/v1/users?q=lucia", None).json()[0]["posts"], 2);
        let by_name: Vec<String> = visitor.api("GET", "/api/v1/users?sort=name", None).json().as_array().unwrap()
            .iter().map(|m| m["username"].as_str().unwrap().to_string()).collect();
        let mut sorted = by_name.clone();
        sorted.sort();
        assert_eq!(by_name, sorted);
        assert!(by_name.contains(&"support_ana".to_string()) && !by_name.contains(&"gone_guy".to_string()));
        let bad = visitor.api("GET", "/api/v1/users?sort=height", None);
        assert_eq!(bad.status, 422);
        assert_eq!(bad.json()["error"]["fields"]["sort"], "Sort by activity, joining date or name.");
        assert!(visitor.get("/u?q=nobody-at-all").body.contains("No member matches that name."));
        // Avatars: initials on a colour of the name's own, cached for good; shown on posts.
        let avatar = visitor.get("/u/lucia_barista/avatar.svg");
        assert_eq!(avatar.header("content-type"), Some("image/svg+xml"));
        assert!(avatar.header("cache-control").unwrap().contains("immutable"));
        assert!(avatar.body.contains(">LB</text>"), "{}", avatar.body);
        let latest = visitor.get("/latest").body;
        let (_, url) = thread(&support, "general", "discussion", "Staff say hello", "Hello");
        assert!(visitor.get(&url).body.contains("<img class=\"avatar\" src=\"/u/support_ana/avatar.svg\""));
        assert!(latest.contains("Public corner photo"));
    }

    fn private_categories_never_leak(app) {
        let admin = setup(&app);
        category(&admin, "lounge", "members", "");
        let insiders = private_category(&admin, "insiders", "Insiders");
        let insider = member(&app, "insider");
        add_to_group(&admin, insiders.group_id, "insider");
        let (secret, secret_url) = thread(&insider, "insiders", "discussion", "Secret prototype grinder", "Top secret burr geometry");
        let (_, lounge_url) = thread(&insider, "lounge", "discussion", "Members lounge chat", "Only for members");
        let secret_post = post_ids(&insider, secret)[0];
        reply(&insider, secret, "More secrets @insider");
        created(insider.api("POST", &format!("/api/v1/posts/{secret_post}/bookmark"), Some(json!({}))));

        let outsider = member(&app, "outsider");
        let anonymous = app.client();
        // The insider is the positive control: every look that fails for the others works for them.
        for (who, client, allowed) in [("insider", &*insider, true), ("outsider", &*outsider, false), ("anonymous", &anonymous, false)] {
            let seen = |status: u16| if allowed { status == 200 } else { status == 404 };
            let categories = client.api("GET", "/api/v1/categories", None).body;
            assert_eq!(categories.contains("insiders"), allowed, "{who}: the private category in the list");
            assert!(seen(client.get(&secret_url).status), "{who}: {secret_url}");
            assert!(seen(client.get("/c/insiders").status), "{who}: /c/insiders");
            assert!(seen(client.api("GET", &format!("/api/v1/threads/{secret}"), None).status), "{who}: the thread API");
            assert!(seen(client.api("GET", "/api/v1/categories/insiders/threads", None).status), "{who}: the category API");
            assert!(seen(client.api("GET", &format!("/api/v1/posts/{secret_post}/revisions"), None).status), "{who}: revisions");
            assert!(seen(client.get(&format!("/p/{secret_post}/fragment")).status), "{who}: the post's fragment");
            for page in ["/", "/latest", "/u/insider"] {
                let body = client.get(page).body;
                assert_eq!(body.contains("Secret prototype"), allowed, "{who}: the title on {page}");
                assert!(allowed || !body.contains("Cat insiders"), "{who}: the category on {page}");
            }
            let latest = client.api("GET", "/api/v1/latest", None).body;
            assert_eq!(latest.contains("Secret prototype"), allowed, "{who}: latest");
            let activity = client.api("GET", "/api/v1/users/insider/threads", None).body;
            assert_eq!(activity.contains("Secret prototype"), allowed, "{who}: activity");
        }
        // Writing a thread into it: refused, and nothing is created.
        let anonymous_thread = anonymous.api("POST", "/api/v1/threads", Some(json!({"category": "insiders", "title": "Let me in please", "body": "hello"})));
        assert_eq!(anonymous_thread.status, 401, "{}", anonymous_thread.body);
        let outsider_thread = outsider.api("POST", "/api/v1/threads", Some(json!({"category": "insiders", "title": "Let me in please", "body": "hello"})));
        assert_eq!(outsider_thread.status, 422, "{}", outsider_thread.body);
        assert!(outsider_thread.json()["error"]["fields"]["category"].is_string(), "{}", outsider_thread.body);
        let listed = insider.api("GET", "/api/v1/categories/insiders/threads", None).json();
        let titles: Vec<&str> = listed["threads"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
        assert_eq!(titles, vec!["Secret prototype grinder"], "nothing was created");
        // Members-only: the member sees it, the anonymous visitor does not.
        assert_eq!(outsider.get(&lounge_url).status, 200);
        assert_eq!(anonymous.get(&lounge_url).status, 404);
        assert!(outsider.api("GET", "/api/v1/categories", None).body.contains("lounge"));
        assert!(!anonymous.api("GET", "/api/v1/categories", None).body.contains("lounge"));
        // A moderator sees private categories.
        let moderator = moderator(&app, "moddy");
        assert_eq!(moderator.get(&secret_url).status, 200);
        // Removing the insider from the group closes the door: what worked a moment ago fails.
        let bookmarks = insider.api("GET", "/api/v1/bookmarks", None).json();
        assert_eq!(bookmarks.as_array().unwrap().len(), 1, "{bookmarks}");
        remove_from_group(&admin, insiders.group_id, "insider");
        assert_eq!(insider.get(&secret_url).status, 404);
        assert!(insider.api("GET", "/api/v1/bookmarks", None).json().as_array().unwrap().is_empty());
    }

    fn questions_get_replies_quotes_mentions_and_an_accepted_answer(app) {
        let _admin = setup(&app);
        let asker = app.logged_in("asker", Role::Member);
        let helper = app.logged_in("helper", Role::Member);
        let bystander = app.logged_in("bystander", Role::Member);

        // The question is written through the page form, as without JavaScript.
        let posted = asker.submit_form("/new", "/new", &[
            ("category", "general"), ("kind", "question"),
            ("title", "Why does my grinder clump?"), ("body", "Clumps everywhere since **Monday**."),
        ]);
        assert_eq!(posted.status, 303, "{}", posted.body);
        let url = posted.location().unwrap().to_string();
        let id: i64 = url.rsplit('/').next().unwrap().parse().unwrap();
        let page = asker.get(&url);
        assert!(page.body.contains("<strong>Monday</strong>"));
        assert!(page.body.contains(">Question<"));

        // The helper quotes the question: the reply box is prefilled with a linked quote.
        let quoting = helper.get(&format!("{url}?quote=1"));
        assert!(quoting.body.contains("&gt; @asker [#1]("), "{}", quoting.body);
        let answered = helper.submit_form(&url, &format!("/t/{id}/reply"), &[("body", "Thanks @asker: try a **WDT** tool. cc @nobody")]);
        assert_eq!(answered.status, 303, "{}", answered.body);
        assert_eq!(answered.location().unwrap(), format!("{url}/2#post-2"));
        let thread_page = helper.get(&format!("{url}/2"));
        assert!(thread_page.body.contains("class=\"mention\" href=\"/u/asker\""), "mention links the member");
        // A reply sent without reload is drawn by the page's own template: time, reactions and
        // actions, and the thread's new reply count.
        let answer = helper.api("GET", &format!("/api/v1/threads/{id}"), None).json()["posts"][1]["id"].as_i64().unwrap();
        let fragment = helper.get(&format!("/p/{answer}/fragment")).body;
        assert!(fragment.contains("data-replies-label=\"1 reply\""), "{fragment}");
        assert!(fragment.contains("id=\"post-2\"") && fragment.contains("<time datetime="));
        assert!(fragment.contains("/bookmark\"") && fragment.contains("?quote=2#reply"), "{fragment}");
        assert!(!fragment.contains("id=\"post-1\""));
        assert_eq!(helper.get("/p/999999/fragment").status, 404);
        assert!(!thread_page.body.contains("/u/nobody"));

        // Only the asker (or staff) accepts; the question itself cannot be its answer.
        let loaded = helper.api("GET", &format!("/api/v1/threads/{id}"), None).json();
        let answer_id = loaded["posts"][1]["id"].as_i64().unwrap();
        let question_id = loaded["posts"][0]["id"].as_i64().unwrap();
        assert_eq!(bystander.submit_form(&url, &format!("/p/{answer_id}/accept"), &[]).status, 403);
        assert_eq!(bystander.api("POST", &format!("/api/v1/posts/{answer_id}/accept"), None).error_code(), "forbidden");
        assert_eq!(asker.api("POST", &format!("/api/v1/posts/{question_id}/accept"), None).error_code(), "cannot_accept_question");
        let accepted = asker.submit_form(&url, &format!("/p/{answer_id}/accept"), &[]);
        assert_eq!(accepted.status, 303);
        let solved = asker.get(&url).body;
        assert!(solved.contains("Solved") && solved.contains("Accepted answer"));
        // The answer is shown in full once, in place; under the question, an excerpt links to it.
        assert_eq!(solved.matches("<strong>WDT</strong>").count(), 1, "{solved}");
        assert_eq!(solved.matches("id=\"post-2\"").count(), 1);
        let excerpt = &solved[solved.find("class=\"answer-excerpt accepted\"").expect("an excerpt under the question")..];
        assert!(excerpt[..excerpt.find("</article>").unwrap()].contains("try a WDT tool."), "{excerpt}");
        assert!(excerpt.contains("#post-2\">Read the whole answer (post #2)"), "{excerpt}");
        assert!(solved.find("answer-excerpt").unwrap() < solved.find("id=\"post-2\"").unwrap());
        let listed = app.client().api("GET", "/api/v1/categories/general/threads", None).json();
        assert_eq!(listed["threads"][0]["solved"], true);
        // A list line names the last poster beside the time of their post, as Discourse does.
        assert_eq!(listed["threads"][0]["last_poster"]["username"], "helper");
        assert_eq!(listed["threads"][0]["author"]["username"], "asker");
        let helper_name = listed["threads"][0]["last_poster"]["display_name"].as_str().unwrap().to_string();
        assert!(app.client().get("/latest").body.contains(&format!("last reply by {helper_name}")));
        assert!(app.client().get("/c/general").body.contains("Solved"));
        // Accepting again takes it back.
        let before = app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(before["thread"]["solved"], true, "{before}");
        let undone = asker.api("POST", &format!("/api/v1/posts/{answer_id}/accept"), None);
        assert_eq!(undone.status, 200, "{}", undone.body);
        assert_eq!(undone.json(), json!({"accepted_post_id": null}));
        let after = app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(after["thread"]["solved"], false, "{after}");
        // Discussions have no accepted answers.
        let (discussion, _) = thread(&asker, "general", "discussion", "Show me your setup", "Mine is small");
        let first = reply(&helper, discussion, "Mine is big");
        assert_eq!(asker.api("POST", &format!("/api/v1/posts/{}/accept", first["id"]), None).error_code(), "not_a_question");
    }

    fn edits_keep_every_version(app) {
        let _admin = setup(&app);
        let author = app.logged_in("writer", Role::Member);
        let other = app.logged_in("other", Role::Member);
        let moderator = app.logged_in("moderator", Role::Moderator);
        let (id, url) = thread(&author, "general", "discussion", "Descaling schedule", "Every month");
        let post = author.api("GET", &format!("/api/v1/threads/{id}"), None).json()["posts"][0]["id"].as_i64().unwrap();
        let edited = author.submit_form(&format!("/p/{post}/edit"), &format!("/p/{post}/edit"), &[("body", "Every **three** months"), ("reason", "checked the manual")]);
        assert_eq!(edited.status, 303, "{}", edited.body);
        let page = author.get(&url).body;
        assert!(page.contains("<strong>three</strong>") && page.contains("edited (version 2)"));
        assert_eq!(other.get(&format!("/p/{post}/edit")).status, 403);
        let denied = other.api("PATCH", &format!("/api/v1/posts/{post}"), Some(json!({"body": "vandalised", "reason": ""})));
        assert_eq!(denied.status, 403);
        // Moderators change others' posts only through a review decision citing a rule.
        let by_moderator = moderator.api("PATCH", &format!("/api/v1/posts/{post}"), Some(json!({"body": "Every three months (moderated)", "reason": "x"})));
        assert_eq!(by_moderator.status, 403);
        let again = author.api("PATCH", &format!("/api/v1/posts/{post}"), Some(json!({"body": "Every three months (see manual p. 12)", "reason": "added the page"})));
        assert_eq!(again.status, 200);
        assert_eq!(again.json()["version"], 3);
        let history = app.client().get(&format!("/p/{post}/history")).body;
        assert!(history.contains("Version 1") && history.contains("Every month"));
        assert!(history.contains("Version 2") && history.contains("checked the manual"));
        assert!(history.contains("Version 3 (current)"));
        let revisions = app.client().api("GET", &format!("/api/v1/posts/{post}/revisions"), None).json();
        assert_eq!(revisions.as_array().unwrap().len(), 3);
        assert_eq!(revisions[2]["raw"], "Every month");
        let empty = author.api("PATCH", &format!("/api/v1/posts/{post}"), Some(json!({"body": "   "})));
        assert_eq!(empty.status, 422);
        assert_eq!(empty.json()["error"]["fields"]["body"], "Write something first.");
    }

    fn staff_publish_official_answers(app) {
        let admin = setup(&app);
        let support = brand_staff(&app, &admin, "support", "Support");
        let customer = app.logged_in("customer", Role::Member);
        let (id, url) = thread(&customer, "general", "question", "Is limescale covered by warranty?", "My boiler died.");
        assert!(!customer.get(&url).body.contains("name=\"official\""), "members get no official checkbox");
        let refused = customer.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "I speak for the brand", "official": true})));
        assert_eq!(refused.status, 403);
        assert!(support.get(&url).body.contains("name=\"official\""));
        let official = support.submit_form(&url, &format!("/t/{id}/reply"), &[("body", "Limescale damage is covered when descaled per the manual."), ("official", "on")]);
        assert_eq!(official.status, 303);
        let page = customer.get(&url).body;
        assert!(page.contains("Official answer · Support"), "{page}");
        assert_eq!(page.matches("covered when descaled per the manual.").count(), 2, "in place and as the excerpt: {page}");
        assert_eq!(page.matches("class=\"post official\"").count(), 1, "one full official post: {page}");
        let loaded = customer.api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(loaded["official"]["department"], "Support");
        assert_eq!(loaded["thread"]["has_official_answer"], true);
        // Revising the brand's position keeps its versions visible.
        let official_id = loaded["official"]["id"].as_i64().unwrap();
        let revised = support.api("PATCH", &format!("/api/v1/posts/{official_id}"), Some(json!({"body": "Covered for 2 years when descaled per the manual.", "reason": "policy update"})));
        assert_eq!(revised.status, 200);
        let page = customer.get(&url).body;
        assert!(page.contains("Covered for 2 years") && page.contains(&format!("/p/{official_id}/history")));
    }

    fn reactions_bookmarks_watching_and_unread(app) {
        let _admin = setup(&app);
        let alice = app.logged_in("alice", Role::Member);
        let bob = app.logged_in("bob", Role::Member);
        let (id, url) = thread(&alice, "general", "discussion", "Favourite beans this month", "Ethiopian for me");
        let first = alice.api("GET", &format!("/api/v1/threads/{id}"), None).json()["posts"][0]["id"].as_i64().unwrap();
        let liked = bob.api("POST", &format!("/api/v1/posts/{first}/reactions"), Some(json!({"kind": "like"}))).json();
        let like = liked["reactions"].as_array().unwrap().iter().find(|r| r["kind"] == "like").unwrap().clone();
        assert_eq!(like["count"], 1);
        assert_eq!(like["mine"], true);
        let through_form = bob.submit_form(&url, &format!("/p/{first}/react"), &[("kind", "thanks")]);
        assert_eq!(through_form.status, 303);
        // Without JavaScript the form comes back to the post it reacted to.
        assert!(through_form.location().unwrap().ends_with("#post-1"));
        // Reactions are drawn with our own icons (no emoji font needed), pressed state announced.
        let page = bob.get(&url).body;
        assert!(page.contains("data-kind=\"thanks\" aria-pressed=\"true\""), "{page}");
        assert!(page.contains("<use href=\"/static/icons.svg#r-thanks\">"));
        let icons = app.client().get("/static/icons.svg");
        assert_eq!(icons.header("content-type"), Some("image/svg+xml"));
        for kind in ["like", "love", "laugh", "thanks", "insightful"] {
            assert!(icons.body.contains(&format!("<symbol id=\"r-{kind}\"")), "{kind}");
        }
        // Times say how long ago, with the date and time on hover and in `datetime`.
        assert!(page.contains("UTC\">just now</time>"), "{page}");
        assert_eq!(alice.api("POST", &format!("/api/v1/posts/{first}/reactions"), Some(json!({"kind": "like"}))).error_code(), "own_post");
        assert_eq!(bob.api("POST", &format!("/api/v1/posts/{first}/reactions"), Some(json!({"kind": "angry"}))).status, 422);
        let summary = app.client().api("GET", "/api/v1/latest", None).json();
        assert_eq!(summary["threads"][0]["likes"], 1);
        let unliked = bob.api("POST", &format!("/api/v1/posts/{first}/reactions"), Some(json!({"kind": "like"}))).json();
        assert_eq!(unliked["reactions"][0]["count"], 0);

        let marked = bob.submit_form(&url, &format!("/p/{first}/bookmark"), &[]);
        assert_eq!(marked.status, 303);
        assert!(bob.get("/bookmarks").body.contains("Favourite beans this month"));
        assert_eq!(app.client().get("/bookmarks").status, 303, "bookmarks need login");

        // Unread: Bob read the thread; two new replies make it show "2 new" for him.
        bob.get(&url);
        reply(&alice, id, "Second post");
        reply(&alice, id, "Third post");
        let latest = bob.api("GET", "/api/v1/latest", None).json();
        assert_eq!(latest["threads"][0]["unread"], 2);
        assert_eq!(latest["threads"][0]["first_unread"], 2);
        // "2 new" leads to the first post Bob has not read.
        let home = bob.get("/").body;
        // (Templates write the `/` of a value as `&#x2f;`.)
        assert!(home.contains(&format!("{}/2#post-2\">2 new", url.replace('/', "&#x2f;"))), "{home}");
        assert!(app.client().api("GET", "/api/v1/latest", None).json()["threads"][0]["unread"].is_null());
        bob.get(&url);
        assert_eq!(bob.api("GET", "/api/v1/latest", None).json()["threads"][0]["unread"], 0);

        // Muting the thread, then the category, hides it from Bob's latest.
        let muted = bob.submit_form(&url, &format!("/t/{id}/watch"), &[("level", "muted")]);
        assert_eq!(muted.status, 303);
        assert_eq!(bob.api("GET", &format!("/api/v1/threads/{id}"), None).json()["watch"], "muted");
        assert!(!bob.api("GET", "/api/v1/latest", None).body.contains("Favourite beans"));
        assert_eq!(bob.api("PUT", &format!("/api/v1/threads/{id}/watch"), Some(json!({"level": "watching"}))).status, 204);
        assert!(bob.api("GET", "/api/v1/latest", None).body.contains("Favourite beans"));
        let category = bob.submit_form("/c/general", "/c/general/watch", &[("level", "muted")]);
        assert_eq!(category.status, 303);
        assert!(!bob.api("GET", "/api/v1/latest", None).body.contains("Favourite beans"));
        assert!(bob.get("/c/general").body.contains("Favourite beans"), "the category page still lists it");
        assert_eq!(bob.api("PUT", "/api/v1/categories/general/watch", Some(json!({"level": "loud"}))).status, 422);
        // The author watches her own thread from the start.
        assert_eq!(alice.api("GET", &format!("/api/v1/threads/{id}"), None).json()["watch"], "watching");
    }

    fn staff_pin_lock_and_move(app) {
        let admin = setup(&app);
        category(&admin, "support", "public", "");
        let member = app.logged_in("member", Role::Member);
        let moderator = app.logged_in("guardian", Role::Moderator);
        let (old, _) = thread(&member, "general", "discussion", "An older thread here", "old");
        let (id, url) = thread(&member, "general", "discussion", "Please pin the rules", "rules");
        reply(&member, old, "bump the older one");
        for action in ["pin", "lock"] {
            assert_eq!(member.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", action)]).status, 403);
        }
        assert_eq!(member.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(json!({"pinned": true}))).status, 403);
        assert!(!member.get(&url).body.contains("/moderate"));
        assert_eq!(moderator.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", "pin")]).status, 303);
        let listed = app.client().api("GET", "/api/v1/categories/general/threads", None).json();
        assert_eq!(listed["threads"][0]["id"], id, "pinned first although the other was bumped later");
        assert_eq!(listed["threads"][0]["pinned"], true);
        assert_eq!(moderator.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", "lock")]).status, 303);
        let refused = member.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "can I still post?"})));
        assert_eq!(refused.status, 422);
        assert_eq!(refused.error_code(), "thread_locked");
        assert!(member.get(&url).body.contains("This thread is locked"));
        reply(&moderator, id, "Staff may still answer.");
        let moved = moderator.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", "move"), ("category", "support")]);
        assert_eq!(moved.status, 303);
        let categories = app.client().api("GET", "/api/v1/categories", None).json();
        let count = |slug: &str| categories.as_array().unwrap().iter().find(|c| c["slug"] == slug).unwrap()["threads_count"].clone();
        assert_eq!(count("support"), 1);
        assert_eq!(count("general"), 1);
        let bad = moderator.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", "explode")]);
        assert_eq!(bad.status, 422);
        // Announcements are for staff.
        let announcement = member.api("POST", "/api/v1/threads", Some(json!({"category": "general", "kind": "announcement", "title": "I announce things", "body": "hi"})));
        assert_eq!(announcement.status, 403);
        thread(&moderator, "general", "announcement", "Maintenance on Sunday", "Short downtime.");
        assert!(!member.get("/new").body.contains("value=\"announcement\""));
    }

    fn bad_input_is_explained(app) {
        let _admin = setup(&app);
        let member = app.logged_in("typist", Role::Member);
        let page = member.submit_form("/new", "/new", &[("category", "general"), ("kind", "discussion"), ("title", "Hi"), ("body", "  ")]);
        assert_eq!(page.status, 422);
        assert!(page.body.contains("Titles have 5 to 150 characters.") && page.body.contains("Write something first."));
        assert!(page.body.contains("value=\"Hi\""), "what was typed is kept");
        let api = member.api("POST", "/api/v1/threads", Some(json!({"category": "nowhere", "title": "A fine title", "body": "text"})));
        assert_eq!(api.status, 422);
        assert!(api.json()["error"]["fields"]["category"].is_string());
        let kind = member.api("POST", "/api/v1/threads", Some(json!({"category": "general", "kind": "poem", "title": "A fine title", "body": "text"})));
        assert_eq!(kind.json()["error"]["fields"]["kind"], "Choose a kind of thread from the list.");
        let long = "x".repeat(32_001);
        let too_long = member.api("POST", "/api/v1/threads", Some(json!({"category": "general", "title": "A fine title", "body": long})));
        assert_eq!(too_long.json()["error"]["fields"]["body"], "Posts can have at most 32,000 characters.");
        let (id, url) = thread(&member, "general", "discussion", "Script kiddie corner", "<script>alert(1)</script> [x](javascript:alert(2))");
        let html = member.get(&url).body;
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(!html.contains("href=\"javascript:"));
        // Links are for trust level 1 and above (level 0 links show as text).
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            diesel::update(users::table.filter(users::username.eq("typist")))
                .set(users::trust_level.eq(1i16))
                .execute(&mut app.db())
                .unwrap();
        }
        let (_, link_url) = thread(&member, "general", "discussion", "Links are defanged", "[x](javascript:alert(2)) and [ok](https://example.com)");
        let links = member.get(&link_url).body;
        assert!(!links.contains("javascript:"), "the link target is dropped");
        assert!(links.contains("href=\"https://example.com\" rel=\"nofollow ugc noopener\""));
        let empty = member.submit_form(&url, &format!("/t/{id}/reply"), &[("body", "")]);
        assert_eq!(empty.status, 422);
        assert!(empty.body.contains("Write something first."));
        assert!(empty.body.contains("id=\"post-1\""), "the form comes back on the thread's last page");
        assert_eq!(member.get("/t/x/999999").status, 404);
        assert_eq!(member.get("/t/x/notanumber").status, 404);
        assert_eq!(member.api("GET", "/api/v1/latest?after=garbage", None).error_code(), "invalid_cursor");
        assert_eq!(app.client().api("POST", "/api/v1/threads", Some(json!({"category": "general", "title": "Anonymous post", "body": "x"}))).status, 401);
        let spanish = member.get_with(&url, ("Accept-Language", "es"));
        assert!(spanish.body.contains("Tu respuesta"));
    }

    fn admins_manage_categories_and_groups(app) {
        let admin = setup(&app);
        let member = app.logged_in("plain", Role::Member);
        assert_eq!(member.get("/admin/categories").status, 403);
        assert_eq!(member.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Mine", "visibility": "public"}))).status, 403);
        assert_eq!(member.get("/admin/groups").status, 403);
        // Through the admin pages: create a group, a child category, rename, reorder.
        assert_eq!(admin.submit_form("/admin/groups", "/admin/groups", &[("name", "Beta"), ("description", "testers")]).status, 303);
        assert!(admin.get("/admin/groups").body.contains("Beta"));
        let made = admin.submit_form("/admin/categories", "/admin/categories", &[("name", "Espresso"), ("slug", ""), ("description", "Shots"), ("parent", ""), ("visibility", "public"), ("groups", "")]);
        assert_eq!(made.status, 303, "{}", made.body);
        let child = admin.submit_form("/admin/categories", "/admin/categories", &[("name", "Espresso repairs"), ("slug", "repairs"), ("description", ""), ("parent", "espresso"), ("visibility", "public"), ("groups", "")]);
        assert_eq!(child.status, 303);
        let grandchild = admin.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Too deep", "parent": "repairs", "visibility": "public"})));
        assert_eq!(grandchild.status, 422);
        assert!(grandchild.json()["error"]["fields"]["parent"].is_string());
        let private_without_group = admin.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Hidden", "visibility": "private"})));
        assert_eq!(private_without_group.json()["error"]["fields"]["groups"], "A private category needs at least one group.");
        let duplicate = admin.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Espresso", "visibility": "public"})));
        assert_eq!(duplicate.error_code(), "slug_taken");
        let categories = app.client().api("GET", "/api/v1/categories", None).json();
        let espresso = categories.as_array().unwrap().iter().find(|c| c["slug"] == "espresso").unwrap().clone();
        assert_eq!(espresso["subcategories"][0]["slug"], "repairs");
        // Breadcrumbs name the parent (not its slug), on the subcategory and on its threads.
        let crumb = "<a href=\"/c/espresso\">Espresso</a>";
        assert!(app.client().get("/c/repairs").body.contains(crumb));
        let (_, in_child) = thread(&admin, "repairs", "discussion", "Pump noise", "It hums.");
        assert!(app.client().get(&in_child).body.contains(crumb));
        let espresso_id = espresso["id"].as_i64().unwrap();
        let renamed = admin.submit_form("/admin/categories", &format!("/admin/categories/{espresso_id}"), &[("name", "Espresso machines"), ("slug", "espresso"), ("description", "Shots"), ("parent", ""), ("visibility", "members"), ("groups", "")]);
        assert_eq!(renamed.status, 303);
        assert!(!app.client().api("GET", "/api/v1/categories", None).body.contains("Espresso machines"), "now members only");
        let order = |c: &Client| -> Vec<String> {
            c.api("GET", "/api/v1/categories", None).json().as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(order(&admin), vec!["general", "espresso"]);
        assert_eq!(admin.submit_form("/admin/categories", &format!("/admin/categories/{espresso_id}/move"), &[("direction", "up")]).status, 303);
        assert_eq!(order(&admin), vec!["espresso", "general"]);
        let unknown_member = admin.api("PUT", "/api/v1/admin/groups/1/members/ghost", None);
        assert_eq!(unknown_member.status, 422);
    }

    fn deep_pages_and_permalinks_stay_exact_while_people_post(app) {
        let _admin = setup(&app);
        let author = app.logged_in("talker", Role::Member);
        let (id, url) = thread(&author, "general", "discussion", "The megathread of coffee corners", "post 1");
        // 2,500 posts through the service (HTTP would only slow the test down).
        let mut conn = app.db();
        let viewer = Actor::load(&mut conn, Some(user_current(&app, "talker"))).unwrap();
        for n in 2..=2_500 {
            service::posting::reply(&mut conn, &viewer, ThreadId(id), &ReplyForm { body: format!("post {n}"), reply_to: None, official: false }, &ForumSettings::default()).unwrap();
        }
        let deep = author.api("GET", &format!("/api/v1/threads/{id}?after=2480"), None).json();
        let numbers: Vec<i64> = deep["posts"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
        assert_eq!(numbers, (2481..=2500).collect::<Vec<_>>());
        assert!(deep["next_after"].is_null());
        assert_eq!(deep["previous_after"], 2460);
        // Where the reader is, and the way to the ends of the thread.
        let top = author.get(&url).body;
        assert!(top.contains("Posts 1–20 of 2500"), "{top}");
        let escaped = url.replace('/', "&#x2f;");
        assert!(top.contains(&format!("{escaped}/2500#post-2500\">Last post</a>")), "{top}");
        let middle = author.get(&format!("{url}?after=1000")).body;
        assert!(middle.contains(&format!("<a href=\"{escaped}\">First</a>")) && middle.contains("Posts 1001–1020 of 2500"));
        // A permalink lands on the page that holds the post.
        let permalink = author.get(&format!("{url}/1234"));
        assert_eq!(permalink.status, 200);
        assert!(permalink.body.contains("id=\"post-1234\"") && permalink.body.contains("id=\"post-1221\"") && permalink.body.contains("id=\"post-1240\""));
        assert!(!permalink.body.contains("id=\"post-1241\""));
        // Paging while others post: no post skipped or repeated.
        let first = author.api("GET", &format!("/api/v1/threads/{id}?after=20"), None).json();
        let cursor = first["next_after"].as_i64().unwrap();
        assert_eq!(cursor, 40);
        for n in 0..5 {
            reply(&author, id, &format!("late {n}"));
        }
        let second = author.api("GET", &format!("/api/v1/threads/{id}?after={cursor}"), None).json();
        let numbers: Vec<i64> = second["posts"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()).collect();
        assert_eq!(numbers, (41..=60).collect::<Vec<_>>());
        let last = author.api("GET", &format!("/api/v1/threads/{id}?after=2500"), None).json();
        assert_eq!(last["posts"].as_array().unwrap().len(), 5);
        assert_eq!(last["posts"][4]["number"], 2505);
        // Category listings page by keyset too.
        for n in 0..35 {
            thread(&author, "general", "discussion", &format!("Listing thread {n:02}"), "x");
        }
        let page1 = app.client().api("GET", "/api/v1/categories/general/threads", None).json();
        assert_eq!(page1["threads"].as_array().unwrap().len(), 30);
        let after = page1["next_after"].as_str().unwrap().to_string();
        let page2 = app.client().api("GET", &format!("/api/v1/categories/general/threads?after={after}"), None).json();
        assert_eq!(page2["threads"].as_array().unwrap().len(), 6);
        let mut titles: Vec<String> = page1["threads"].as_array().unwrap().iter().chain(page2["threads"].as_array().unwrap()).map(|t| t["title"].as_str().unwrap().to_string()).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 36, "no thread skipped or repeated");
    }

    fn concurrent_replies_keep_counters_exact(app) {
        let _admin = setup(&app);
        let starter = app.logged_in("starter", Role::Member);
        let (id, _) = thread(&starter, "general", "discussion", "Everybody reply at once", "go");
        let writers: Vec<Client> = (0..6).map(|n| app.logged_in(&format!("writer{n}"), Role::Member)).collect();
        std::thread::scope(|scope| {
            for (n, writer) in writers.iter().enumerate() {
                scope.spawn(move || {
                    for k in 0..10 {
                        let response = writer.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": format!("writer {n} post {k}")})));
                        assert_eq!(response.status, 201, "{}", response.body);
                    }
                });
            }
        });
        let mut after = 0;
        let mut numbers = vec![];
        loop {
            let page = starter.api("GET", &format!("/api/v1/threads/{id}?after={after}"), None).json();
            numbers.extend(page["posts"].as_array().unwrap().iter().map(|p| p["number"].as_i64().unwrap()));
            match page["next_after"].as_i64() {
                Some(next) => after = next,
                None => break,
            }
        }
        assert_eq!(numbers, (1..=61).collect::<Vec<_>>());
        let summary = starter.api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(summary["thread"]["posts_count"], 61);
        let categories = starter.api("GET", "/api/v1/categories", None).json();
        assert_eq!(categories[0]["posts_count"], 61);
    }

    fn markdown_preview_matches_what_is_stored(app) {
        let _admin = setup(&app);
        let member = app.logged_in("previewer", Role::Member);
        let preview = member.api("POST", "/api/v1/preview", Some(json!({"body": "# Hi\n\n<img src=x onerror=alert(1)> @previewer"}))).json();
        let html = preview["html"].as_str().unwrap();
        assert!(html.starts_with("<h2>Hi</h2>"));
        assert!(!html.contains("<img"));
        assert!(html.contains("href=\"/u/previewer\""));
        assert_eq!(app.client().api("POST", "/api/v1/preview", Some(json!({"body": "x"}))).status, 401);
    }
}

both_backends! {
    fn a_refused_form_says_so_first_and_posts_carry_their_language(app) {
        let _admin = setup(&app);
        let ana = member(&app, "ana");
        // An empty title and body: the title says "Error:", a summary (an alert, focused) links
        // each message, and each field keeps its hint beside its error in aria-describedby.
        let refused = ana.submit_form("/new", "/new", &[("category", "general"), ("kind", "question"), ("title", ""), ("body", "")]);
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("<title>Error: New thread"), "{}", refused.body);
        let summary = &refused.body[refused.body.find("id=\"error-summary\"").expect("a summary")..];
        assert!(refused.body.contains("class=\"error-summary\" id=\"error-summary\" role=\"alert\" tabindex=\"-1\" autofocus"));
        assert!(summary.contains("href=\"#title-error\"") && summary.contains("href=\"#body-error\""), "{summary}");
        assert!(refused.body.contains("id=\"title-error\"") && refused.body.contains("id=\"body-error\""));
        assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"title-error\""), "{}", refused.body);
        assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"body-hint body-error\""), "{}", refused.body);
        // Without errors, no summary, no prefix, and the hint is still described.
        let fresh = ana.get("/new");
        assert!(!fresh.body.contains("error-summary") && !fresh.body.contains("<title>Error:"));
        assert!(fresh.body.contains("aria-describedby=\"body-hint\""));
        // A wrong password: the form's own message in the summary (no field to link).
        let login = app.client().submit_form("/login", "/login", &[("login", "ana"), ("password", "wrong password")]);
        assert!(login.body.contains("<title>Error:") && login.body.contains("role=\"alert\""), "{}", login.body);

        // Posts and titles carry their language: a Spanish question on an English page.
        let (id, url) = thread(&ana, "general", "question", "¿Cada cuánto descalcificar la cafetera?",
            "La cafetera muestra el aviso de descalcificación cada mañana y no sé qué hacer con él.");
        let bea = member(&app, "bea");
        reply(&bea, id, "Run the descaling programme once a month with citric acid and it will stop.");
        let page = app.client().get(&url);
        assert!(page.body.contains("<html lang=\"en\">"));
        assert!(page.body.contains("<h1><span lang=\"es\">¿Cada cuánto descalcificar la cafetera?</span>"), "{}", page.body);
        assert!(page.body.contains("<div class=\"post-body\" lang=\"es\">"), "{}", page.body);
        assert!(page.body.contains("<div class=\"post-body\" lang=\"en\">"), "{}", page.body);
        assert!(app.client().get("/latest").body.contains("lang=\"es\">¿Cada cuánto descalcificar la cafetera?</a>"));
        let api = app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(api["thread"]["lang"], "es");
        assert_eq!(api["posts"][1]["lang"], "en");
        // Too short to tell: the author's own language setting decides.
        assert_eq!(bea.api("PATCH", "/api/v1/me", Some(json!({"display_name": "Bea", "locale": "es"}))).status, 200);
        let short = reply(&bea, id, "¡Gracias!");
        let api = app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json();
        assert_eq!(api["posts"][2]["id"], short["id"]);
        assert_eq!(api["posts"][2]["lang"], "es");
    }
}

both_backends! {
    fn top_lists_rank_by_reactions_and_global_pins_open_the_home_page(app) {
        let admin = setup(&app);
        let ana = member(&app, "ana");
        let (bea, cris, dani) = (member(&app, "bea"), member(&app, "cris"), member(&app, "dani"));
        let (a, _) = thread(&ana, "general", "discussion", "Favourite beans this month", "Mine: Huila.");
        let (b, _) = thread(&ana, "general", "discussion", "Best milk for latte art", "Oat?");
        let (c, _) = thread(&ana, "general", "discussion", "Old thread about grinders", "Burrs.");
        let first_post = |thread: i64| post_ids(&ana, thread)[0];
        for (reader, thread) in [(&bea, a), (&cris, a), (&dani, a), (&bea, b), (&cris, b), (&bea, c)] {
            let reacted = reader.api("POST", &format!("/api/v1/posts/{}/reactions", first_post(thread)), Some(json!({"kind": "like"})));
            assert_eq!(reacted.status / 100, 2, "{}", reacted.body);
        }
        // The third thread started 40 days ago: out of this month's top, in this year's.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::threads;
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(40);
            diesel::update(threads::table.find(c)).set(threads::created_at.eq(long_ago)).execute(&mut app.db()).unwrap();
        }
        let ids = |path: &str| -> Vec<i64> {
            let list = app.client().api("GET", path, None);
            assert_eq!(list.status, 200, "{}", list.body);
            list.json()["threads"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect()
        };
        assert_eq!(ids("/api/v1/latest?filter=top_month"), [a, b]);
        assert_eq!(ids("/api/v1/latest?filter=top_year"), [a, b, c]);
        assert_eq!(ids("/api/v1/categories/general/threads?filter=top_all"), [a, b, c]);
        assert_eq!(app.client().api("GET", "/api/v1/latest?filter=top_week&after=yesterday", None).error_code(), "invalid_cursor");
        // The page: one "Top" link; on a top list, its periods.
        let latest = app.client().get("/latest");
        assert!(latest.body.contains("?filter=top_month\">Top this month</a>") && !latest.body.contains("filter=top_year"), "{}", latest.body);
        let top = app.client().get("/latest?filter=top_month");
        assert!(top.body.contains("filter=top_year") && top.body.contains("aria-current=\"page\">Top this month"), "{}", top.body);

        // A global pin opens the home page and Latest (and its category), for those who may see it.
        let moderator = tertulia_tests::fixtures::moderator(&app, "mod");
        let pin = |who: &Client, body| who.api("POST", &format!("/api/v1/threads/{c}/moderation"), Some(body));
        assert_eq!(pin(&ana, json!({"pinned_globally": true})).status, 403, "members do not pin");
        let pinned = pin(&moderator, json!({"pinned_globally": true}));
        assert_eq!(pinned.status, 200, "{}", pinned.body);
        assert_eq!(pinned.json()["thread"]["pinned_globally"], true);
        assert_eq!(ids("/api/v1/latest")[0], c);
        assert_eq!(ids("/api/v1/latest").iter().filter(|id| **id == c).count(), 1, "listed once");
        assert_eq!(ids("/api/v1/categories/general/threads")[0], c);
        let home = app.client().get("/");
        let first_title = home.body.find("Old thread about grinders").unwrap();
        assert!(first_title < home.body.find("Best milk for latte art").unwrap(), "pinned first on the home page");
        // Filtered lists are one list: the pin takes its place there.
        assert_eq!(ids("/api/v1/latest?filter=top_year"), [a, b, c]);
        // A global pin in a private category stays there.
        let private = private_category(&admin, "vip", "VIP");
        let (secret, _) = thread(&admin, &private.slug, "discussion", "Roadmap next year", "Secret.");
        assert_eq!(admin.api("POST", &format!("/api/v1/threads/{secret}/moderation"), Some(json!({"pinned_globally": true}))).status, 200);
        assert!(!ids("/api/v1/latest").contains(&secret));
        assert_eq!(ids("/api/v1/latest")[0], c);
        // The thread page offers the pin; unpinning takes it off everywhere.
        let page = moderator.get(&format!("/t/x/{b}"));
        assert!(page.body.contains("value=\"pin_globally\""), "{}", page.body);
        assert_eq!(pin(&moderator, json!({"pinned": false})).json()["thread"]["pinned"], false);
        let latest = app.client().api("GET", "/api/v1/latest", None).json();
        let listed: Vec<&tertulia_tests::Value> = latest["threads"].as_array().unwrap().iter().filter(|t| t["id"] == c).collect();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0]["pinned_globally"], false);
        assert_eq!(listed[0]["pinned"], false);
    }
}

both_backends! {
    fn member_cards_and_profiles_count_what_the_reader_may_see(app) {
        let admin = setup(&app);
        let ana = member(&app, "ana");
        let bea = member(&app, "bea");
        let support = brand_staff(&app, &admin, "support", "Support");
        let q = tertulia_tests::fixtures::question_with_answer(&bea, &ana, "general", "Why does my grinder clog?");
        assert_eq!(bea.api("POST", &format!("/api/v1/posts/{}/accept", q.answer_post), None).status / 100, 2);
        assert_eq!(bea.api("POST", &format!("/api/v1/posts/{}/reactions", q.answer_post), Some(json!({"kind": "thanks"}))).status / 100, 2);
        reply(&ana, q.thread, "Also clean the burrs weekly :coffee:");
        // Ana's posts in a private category count only for readers who may see it.
        let private = private_category(&admin, "vip", "VIP");
        add_to_group(&admin, private.group_id, "ana");
        thread(&ana, &private.slug, "discussion", "Beta firmware notes", "Private.");
        let card = bea.api("GET", "/api/v1/users/ana/card", None);
        assert_eq!(card.status, 200, "{}", card.body);
        let card = card.json();
        assert_eq!((card["username"].as_str(), card["role"].as_str()), (Some("ana"), Some("member")));
        assert_eq!(card["stats"]["posts"], 2);
        assert_eq!(card["stats"]["solutions"], 1);
        assert_eq!(card["stats"]["reactions_received"], 1);
        assert_eq!(admin.api("GET", "/api/v1/users/ana/card", None).json()["stats"]["posts"], 3);
        assert_eq!(app.client().api("GET", "/api/v1/users/ANA/card", None).json()["stats"]["posts"], 2, "visitors too, any case");
        assert_eq!(app.client().api("GET", "/api/v1/users/nobody_here/card", None).status, 404);
        // The fragment the page's script opens: role, department for staff, counts, a link to the profile.
        let fragment = app.client().get("/u/support/card");
        assert_eq!(fragment.status, 200);
        assert!(fragment.body.contains("role=\"dialog\"") && fragment.body.contains("Support team") && fragment.body.contains("href=\"/u/support\""), "{}", fragment.body);
        assert_eq!(app.client().get("/u/nobody_here/card").status, 404);
        drop(support);
        // The profile: the same counts and recent posts, newest first, as the reader may see them.
        let profile = bea.get("/u/ana");
        assert!(profile.body.contains("<dt>Solutions</dt><dd>1</dd>") && profile.body.contains("<dt>Posts</dt><dd>2</dd>"), "{}", profile.body);
        let recent = &profile.body[profile.body.find("id=\"recent-heading\"").expect("recent posts")..];
        assert!(recent.find("Also clean the burrs weekly").unwrap() < recent.find("Try turning it off and on again.").unwrap(), "newest first: {recent}");
        assert!(!profile.body.contains("Beta firmware notes"));
        assert!(admin.get("/u/ana").body.contains("Beta firmware notes"));
    }
}

both_backends! {
    fn a_hidden_last_reply_no_longer_names_its_author_in_lists(app) {
        let hidden = tertulia_tests::fixtures::hidden_answer(&app);
        let latest = app.client().api("GET", "/api/v1/latest", None).json();
        let line = latest["threads"].as_array().unwrap().iter().find(|t| t["id"] == hidden.thread).unwrap().clone();
        assert_eq!(line["last_poster"]["username"], "asker", "{line}");
    }
}

both_backends! {
    fn numbers_a_newer_version_stored_are_left_out_not_errors(app) {
        // During a rolling upgrade a newer app server may store a reaction kind or a
        // notification kind this version does not know: its pages and its fan-out go on
        // without them (`newtypes::Lenient`).
        use diesel::RunQueryDsl as _;
        let _admin = setup(&app);
        let ana = member(&app, "ana");
        let bea = member(&app, "bea");
        let (id, url) = thread(&ana, "general", "question", "Which grinder?", "Asking.");
        let first = post_ids(&ana, id)[0];
        created(bea.api("POST", &format!("/api/v1/posts/{first}/reactions"), Some(json!({"kind": "like"}))));
        let (ana_id, bea_id) = (user_current(&app, "ana").id.0, user_current(&app, "bea").id.0);
        for sql in [
            format!("INSERT INTO reactions (post_id, user_id, kind, created_at) VALUES ({first}, {bea_id}, 99, CURRENT_TIMESTAMP)"),
            format!("INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ({ana_id}, 99, 1)"),
            format!("INSERT INTO notification_preferences (user_id, kind, delivery) VALUES ({ana_id}, 0, 99)"),
        ] {
            diesel::sql_query(sql).execute(&mut app.db()).unwrap();
        }
        for reader in [&*ana, &app.client()] {
            let page = reader.get(&url);
            assert_eq!(page.status, 200, "{}", page.body);
            let json = reader.api("GET", &format!("/api/v1/threads/{id}"), None).json();
            let likes = json["posts"][0]["reactions"].as_array().unwrap().iter().find(|r| r["kind"] == "like").unwrap().clone();
            assert_eq!(likes["count"], 1, "{json}");
        }
        let preferences = ana.get("/me/preferences");
        assert_eq!(preferences.status, 200, "{}", preferences.body);
        // Bea's reply still reaches Ana, by the default delivery of a reply.
        reply(&bea, id, "A flat burr grinder.");
        app.wait_for_jobs_idle();
        let told = ana.api("GET", "/api/v1/notifications", None).json();
        assert!(told.as_array().unwrap().iter().any(|n| n["kind"] == "reply"), "{told}");
    }
}
