//! Fixture builders shared by the test files: people of each role, categories and groups,
//! threads, replies and an answered question. They go through the same doors a person or an
//! admin would (the HTTP API, the register form), except for creating accounts, which
//! `TestApp::create_user` does through the service to skip the e-mail round trip.
//!
//! Every builder asserts that what it made was made, so a broken fixture fails where it is
//! built, not three assertions later.

use std::ops::Deref;

use tertulia::accounts::model::Role;

use crate::{json, Client, Response, TestApp, Value, PASSWORD};

/// Someone with an account (or nobody, for the anonymous visitor) and their own browser.
pub struct Person {
    /// Empty for the anonymous visitor.
    pub username: String,
    pub client: Client,
}

impl Deref for Person {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// The body of a 200 or 201 answer, as JSON; anything else fails with the body shown.
pub fn created(response: Response) -> Value {
    assert!(
        matches!(response.status, 200 | 201),
        "{} {}",
        response.status,
        response.body
    );
    response.json()
}

/// A verified account of `role`, logged in.
pub fn person(app: &TestApp, username: &str, role: Role) -> Person {
    Person {
        username: username.to_string(),
        client: app.logged_in(username, role),
    }
}

pub fn member(app: &TestApp, username: &str) -> Person {
    person(app, username, Role::Member)
}

pub fn moderator(app: &TestApp, username: &str) -> Person {
    person(app, username, Role::Moderator)
}

pub fn community_manager(app: &TestApp, username: &str) -> Person {
    person(app, username, Role::CommunityManager)
}

pub fn admin(app: &TestApp, username: &str) -> Person {
    person(app, username, Role::Admin)
}

/// Nobody logged in.
pub fn anonymous(app: &TestApp) -> Person {
    Person {
        username: String::new(),
        client: app.client(),
    }
}

/// A member who registered through the form and has not confirmed the e-mail address yet.
pub fn unverified(app: &TestApp, username: &str) -> Person {
    let client = app.client();
    let registered = client.submit_form(
        "/register",
        "/register",
        &[
            ("username", username),
            ("email", &format!("{username}@example.com")),
            ("password", PASSWORD),
            // Asked for once the community has rules.
            ("accept_rules", "on"),
        ],
    );
    assert_eq!(
        registered.status, 303,
        "register {username}: {}",
        registered.body
    );
    let me = client.api("GET", "/api/v1/me", None).json();
    assert_eq!(me["username"], username, "{me}");
    Person {
        username: username.to_string(),
        client,
    }
}

/// Brand staff: a member the admin gave a `department` (their posts can be official answers).
pub fn brand_staff(app: &TestApp, admin: &Client, username: &str, department: &str) -> Person {
    app.create_user(username, Role::Member);
    let id = user_id(app, username);
    let set = admin.api(
        "PUT",
        &format!("/api/v1/admin/users/{id}/role"),
        Some(json!({"role": "member", "department": department})),
    );
    assert_eq!(set.status, 200, "department for {username}: {}", set.body);
    let client = app.client();
    let login = client.submit_form(
        "/login",
        "/login",
        &[("login", username), ("password", PASSWORD)],
    );
    assert_eq!(login.status, 303, "login of {username}: {}", login.body);
    Person {
        username: username.to_string(),
        client,
    }
}

/// The id of an account, from its public profile.
pub fn user_id(app: &TestApp, username: &str) -> i64 {
    let profile = app
        .client()
        .api("GET", &format!("/api/v1/users/{username}"), None);
    assert_eq!(
        profile.status, 200,
        "profile of {username}: {}",
        profile.body
    );
    profile.json()["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id in {}", profile.body))
}

/// A category named "Cat {slug}"; `groups` names the groups of a private one (comma separated).
pub fn category(admin: &Client, slug: &str, visibility: &str, groups: &str) {
    created(admin.api(
        "POST",
        "/api/v1/admin/categories",
        Some(json!({
            "name": format!("Cat {slug}"), "slug": slug, "description": format!("About {slug}"),
            "visibility": visibility, "groups": groups,
        })),
    ));
}

pub fn public_category(admin: &Client, slug: &str) {
    category(admin, slug, "public", "");
}

/// A group; returns its id.
pub fn group(admin: &Client, name: &str) -> i64 {
    created(admin.api(
        "POST",
        "/api/v1/admin/groups",
        Some(json!({"name": name, "description": format!("The {name} group")})),
    ));
    let groups = created(admin.api("GET", "/api/v1/admin/groups", None));
    groups
        .as_array()
        .and_then(|all| all.iter().find(|g| g["name"] == name))
        .and_then(|g| g["id"].as_i64())
        .unwrap_or_else(|| panic!("group {name} not listed: {groups}"))
}

pub fn add_to_group(admin: &Client, group_id: i64, username: &str) {
    created(admin.api(
        "PUT",
        &format!("/api/v1/admin/groups/{group_id}/members/{username}"),
        None,
    ));
}

pub fn remove_from_group(admin: &Client, group_id: i64, username: &str) {
    created(admin.api(
        "DELETE",
        &format!("/api/v1/admin/groups/{group_id}/members/{username}"),
        None,
    ));
}

/// A private category and the one group that may see it.
pub struct PrivateCategory {
    pub slug: String,
    pub group: String,
    pub group_id: i64,
}

/// A private category `slug` for a new group `group`.
pub fn private_category(admin: &Client, slug: &str, group_name: &str) -> PrivateCategory {
    let group_id = group(admin, group_name);
    category(admin, slug, "private", group_name);
    PrivateCategory {
        slug: slug.to_string(),
        group: group_name.to_string(),
        group_id,
    }
}

/// A new thread; returns its id and URL.
pub fn thread(
    client: &Client,
    category: &str,
    kind: &str,
    title: &str,
    body: &str,
) -> (i64, String) {
    let made = client.api(
        "POST",
        "/api/v1/threads",
        Some(json!({"category": category, "kind": kind, "title": title, "body": body})),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let made = made.json();
    (
        made["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("no id: {made}")),
        made["url"]
            .as_str()
            .unwrap_or_else(|| panic!("no url: {made}"))
            .to_string(),
    )
}

/// A reply; returns the new post as JSON (with its `id`).
pub fn reply(client: &Client, thread: i64, body: &str) -> Value {
    let made = client.api(
        "POST",
        &format!("/api/v1/threads/{thread}/posts"),
        Some(json!({"body": body})),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    made.json()
}

/// The ids of a thread's first page of posts, in order, as `reader` sees them.
pub fn post_ids(reader: &Client, thread: i64) -> Vec<i64> {
    let loaded = reader.api("GET", &format!("/api/v1/threads/{thread}"), None);
    assert_eq!(loaded.status, 200, "{}", loaded.body);
    loaded.json()["posts"]
        .as_array()
        .map(|posts| posts.iter().filter_map(|p| p["id"].as_i64()).collect())
        .unwrap_or_default()
}

/// A question and one reply to it, not accepted yet.
pub struct AnsweredQuestion {
    pub thread: i64,
    pub url: String,
    pub question_post: i64,
    pub answer_post: i64,
}

/// `asker` asks a question in `category`; `helper` answers it.
pub fn question_with_answer(
    asker: &Client,
    helper: &Client,
    category: &str,
    title: &str,
) -> AnsweredQuestion {
    let (thread, url) = thread(asker, category, "question", title, "What should I do?");
    let answer = reply(helper, thread, "Try turning it off and on again.");
    let answer_post = answer["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no id: {answer}"));
    let question_post = post_ids(asker, thread)[0];
    AnsweredQuestion {
        thread,
        url,
        question_post,
        answer_post,
    }
}

/// The usual start: an admin `admin1` and a public category `general`.
pub fn general_forum(app: &TestApp) -> Person {
    let admin = admin(app, "admin1");
    public_category(&admin, "general");
    admin
}

/// A rude answer reported under a rule, for the moderation journeys: the community manager
/// `marta` wrote rule 1 ("Be kind"); `asker` asked in `help`; `rude` answered `rude_text`;
/// `asker` reported it.
pub struct ReportedAnswer {
    pub rule_id: i64,
    pub thread_id: i64,
    pub thread_url: String,
    pub post: i64,
    pub asker: Client,
}

pub fn reported_answer(app: &TestApp, rude_text: &str) -> ReportedAnswer {
    let admin = app.logged_in("admin1", Role::Admin);
    let made = admin.api(
        "POST",
        "/api/v1/admin/categories",
        Some(json!({"name": "Help", "slug": "help", "description": "Ask anything", "visibility": "public"})),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let manager = app.logged_in("marta", Role::CommunityManager);
    let rule_id = created(manager.api(
        "POST",
        "/api/v1/rules",
        Some(json!({"title": "Be kind", "body": "No insults."})),
    ))["id"]
        .as_i64()
        .unwrap();
    let asker = app.logged_in("asker", Role::Member);
    let thread = created(asker.api(
        "POST",
        "/api/v1/threads",
        Some(json!({"category": "help", "kind": "question", "title": "Which grinder for moka?", "body": "Ideas?"})),
    ));
    let thread_id = thread["id"].as_i64().unwrap();
    let rude = app.logged_in("rude", Role::Member);
    let post = created(rude.api(
        "POST",
        &format!("/api/v1/threads/{thread_id}/posts"),
        Some(json!({"body": rude_text})),
    ))["id"]
        .as_i64()
        .unwrap();
    created(asker.api(
        "POST",
        "/api/v1/reports",
        Some(json!({"target_kind": "post", "target_id": post, "reason": "abusive", "text": "An insult."})),
    ));
    ReportedAnswer {
        rule_id,
        thread_id,
        thread_url: thread["url"].as_str().unwrap().to_string(),
        post,
        asker,
    }
}

/// A reported answer by `rude` (asked by `asker`), hidden by the moderator `first_mod` under
/// rule 1 "Be kind" written by the community manager `marta`; `rude` holds its statement of
/// reasons. What an appeal or the audit log needs.
pub struct HiddenAnswer {
    pub rule: i64,
    pub post: i64,
    pub thread: i64,
    pub url: String,
    pub rude: Person,
    pub asker: Person,
    pub deciding: Person,
    pub manager: Person,
    pub statement: i64,
}

pub fn hidden_answer(app: &TestApp) -> HiddenAnswer {
    let manager = community_manager(app, "marta");
    let rule = created(manager.api(
        "POST",
        "/api/v1/rules",
        Some(json!({"title": "Be kind", "body": "No insults."})),
    ))["id"]
        .as_i64()
        .unwrap();
    let _admin = general_forum(app);
    let asker = member(app, "asker");
    let rude = member(app, "rude");
    let q = question_with_answer(&asker, &rude, "general", "Grinder settings for moka?");
    let deciding = moderator(app, "first_mod");
    hide_reported_post(&asker, &deciding, q.answer_post, rule);
    let statement = created(rude.api("GET", "/api/v1/me/statements", None))[0]["id"]
        .as_i64()
        .unwrap();
    HiddenAnswer {
        rule,
        post: q.answer_post,
        thread: q.thread,
        url: q.url,
        rude,
        asker,
        deciding,
        manager,
        statement,
    }
}

/// `reporter` reports `post` as abusive; `deciding` (a moderator) claims the queue's first item
/// and hides it under `rule` (version 1).
pub fn hide_reported_post(reporter: &Client, deciding: &Client, post: i64, rule: i64) {
    created(reporter.api(
        "POST",
        "/api/v1/reports",
        Some(json!({"target_kind": "post", "target_id": post,
            "reason": "abusive", "text": "Insults me."})),
    ));
    let item = created(deciding.api("GET", "/api/v1/review", None))[0].clone();
    let claimed = created(deciding.api(
        "POST",
        &format!("/api/v1/review/{}/claim", item["id"]),
        None,
    ));
    created(deciding.api(
        "POST",
        &format!("/api/v1/review/{}/decision", item["id"]),
        Some(json!({"action": "hide", "rule_id": rule, "rule_version": 1,
            "explanation": "Calling people idiots.", "version": claimed["version"]})),
    ));
}

/// Lets the clock of a case's current stage run out (an evidence or comment period, the
/// mediation's 20 days), as if its date had passed.
pub fn elapse(app: &TestApp, case: i64) {
    use diesel::prelude::*;
    use tertulia::db::schema::cases;
    let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
    diesel::update(cases::table.filter(cases::id.eq(case)))
        .set(cases::due_at.eq(past))
        .execute(&mut app.db())
        .expect("move the case's clock");
}

/// Takes a dispute in mediation (or acknowledged) through arbitration to its final decision by
/// `judge`: arbitration, the evidence period over, a draft citing `evidence`, the comment
/// period over; returns the decision's response.
pub fn decide_dispute(app: &TestApp, judge: &Client, case: i64, decision: Value) -> Response {
    let path = |step: &str| format!("/api/v1/cases/{case}/{step}");
    created(judge.api(
        "POST",
        &path("transition"),
        Some(json!({"to": "arbitration", "reason": "Mediation failed."})),
    ));
    elapse(app, case);
    created(judge.api("POST", &path("draft"), Some(decision.clone())));
    elapse(app, case);
    judge.api("POST", &path("decision"), Some(decision))
}

/// The member's notifications, newest first, as the API lists them, leaving out badges
/// (granted by the reputation rules as members post; `all_notifications` has them).
pub fn notifications(client: &Client) -> Vec<Value> {
    all_notifications(client)
        .into_iter()
        .filter(|n| !n["kind"].as_str().unwrap_or_default().starts_with("badge_"))
        .collect()
}

/// Every notification of the member, badges included.
pub fn all_notifications(client: &Client) -> Vec<Value> {
    created(client.api("GET", "/api/v1/notifications", None))
        .as_array()
        .expect("a list of notifications")
        .clone()
}

/// Of the member's notifications, the (kind, title) pairs, newest first.
pub fn notification_kinds(client: &Client) -> Vec<(String, String)> {
    notifications(client)
        .iter()
        .map(|n| {
            (
                n["kind"].as_str().unwrap_or_default().to_string(),
                n["title"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// A time `hours` from now on the UTC clock, as the event form takes it (`2026-12-10T19:00`).
pub fn in_hours(hours: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::hours(hours))
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}
