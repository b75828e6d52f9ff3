//! Live Q&A through HTTP on both databases: asking, voting and marking questions, with every
//! bad input and wrong role refused; the event's live stream (server-sent events) brings each
//! change to a second client within a second, and on PostgreSQL to a client of another app
//! server on the same database (LISTEN/NOTIFY).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::BufRead;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use tertulia_tests::fixtures::{community_manager, created, general_forum, in_hours, member};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, Value};

fn event(host: &Client) -> i64 {
    created(host.api(
        "POST",
        "/api/v1/events",
        Some(json!({
            "category": "general", "title": "Ask the roasters", "body": "Live.",
            "starts_at": in_hours(0), "ends_at": in_hours(2), "time_zone": "UTC",
            "online_url": "https://meet.example.com/roasters",
        })),
    ))["id"]
        .as_i64()
        .unwrap()
}

/// Opens an event's live stream at `base` and hands each `questions` message over.
fn watch(base: &str, id: i64) -> mpsc::Receiver<Value> {
    let agent = ureq::AgentBuilder::new()
        .timeout_read(Duration::from_secs(60))
        .build();
    let response = agent
        .get(&format!("{base}/events/{id}/live"))
        .call()
        .expect("the live stream opens");
    assert_eq!(response.content_type(), "text/event-stream");
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        let reader = std::io::BufReader::new(response.into_reader());
        for line in reader.lines() {
            let Ok(line) = line else { return };
            if let Some(data) = line.strip_prefix("data: ") {
                if sender.send(serde_json::from_str(data).unwrap()).is_err() {
                    return;
                }
            }
        }
    });
    receiver
}

/// The next message whose questions satisfy `wanted`, within `limit`.
fn next_where(
    stream: &mpsc::Receiver<Value>,
    limit: Duration,
    wanted: impl Fn(&Value) -> bool,
) -> Value {
    let until = Instant::now() + limit;
    loop {
        let left = until.saturating_duration_since(Instant::now());
        let message = stream
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no matching live message within {limit:?}"));
        if wanted(&message) {
            return message;
        }
    }
}

fn texts(message: &Value) -> Vec<String> {
    message["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["text"].as_str().unwrap().to_string())
        .collect()
}

both_backends! {
    fn questions_are_asked_voted_and_marked_and_arrive_live(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let id = event(&manager);
        let (ana, bea) = (member(&app, "ana"), member(&app, "bea"));
        let stream = watch(&app.url(""), id);
        let first = next_where(&stream, Duration::from_secs(5), |_| true);
        assert_eq!(texts(&first), Vec::<String>::new());
        // Ana asks: the watcher sees it within a second.
        let asked_at = Instant::now();
        let asked = created(ana.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "Which grinder for espresso?"}))));
        let seen = next_where(&stream, Duration::from_secs(1), |m| !texts(m).is_empty());
        assert!(asked_at.elapsed() < Duration::from_secs(1));
        assert_eq!(texts(&seen), ["Which grinder for espresso?"]);
        let q1 = asked["id"].as_i64().unwrap();
        let q2 = created(ana.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "Do you ship to Canarias?"}))))["id"].as_i64().unwrap();
        // Bea votes for the second: it moves up, live.
        let voted = created(bea.api("POST", &format!("/api/v1/events/{id}/questions/{q2}/vote"), None));
        assert_eq!(voted["votes"], 1);
        assert_eq!(created(bea.api("POST", &format!("/api/v1/events/{id}/questions/{q2}/vote"), None))["votes"], 1, "once");
        let seen = next_where(&stream, Duration::from_secs(1), |m| texts(m).first().map(String::as_str) == Some("Do you ship to Canarias?"));
        assert_eq!(seen["questions"][0]["votes"], 1);
        // Wrong inputs and roles.
        let own = ana.api("POST", &format!("/api/v1/events/{id}/questions/{q1}/vote"), None);
        assert_eq!(own.status, 422, "{}", own.body);
        assert_eq!(ana.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "?"}))).status, 422);
        assert_eq!(ana.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "x".repeat(501)}))).status, 422);
        assert_eq!(app.client().api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "Anonymous?"}))).status, 401);
        assert_eq!(bea.api("POST", &format!("/api/v1/events/{id}/questions/999999/vote"), None).status, 404);
        assert_eq!(app.client().api("POST", &format!("/api/v1/events/{id}/questions/{q2}/vote"), None).status, 401);
        assert_eq!(app.client().api("DELETE", &format!("/api/v1/events/{id}/questions/{q2}/vote"), None).status, 401);
        let cast = Cast::new(&app);
        cast.expect("POST /api/v1/events/{id}/questions/{q}/state", &[(Anonymous, 401), (Member, 403), (Moderator, 403),
            (CommunityManager, 204), (Admin, 204)],
            |p| p.api("POST", &format!("/api/v1/events/{id}/questions/{q1}/state"), Some(json!({"state": "open"}))));
        assert_eq!(manager.api("POST", &format!("/api/v1/events/{id}/questions/{q1}/state"), Some(json!({"state": "maybe"}))).status, 422);
        // The host marks the first answered and dismisses the second.
        assert_eq!(manager.api("POST", &format!("/api/v1/events/{id}/questions/{q1}/state"), Some(json!({"state": "answered"}))).status, 204);
        let seen = next_where(&stream, Duration::from_secs(1), |m| m["questions"].as_array().unwrap().iter().any(|q| q["state"] == "answered"));
        assert_eq!(seen["questions"].as_array().unwrap().len(), 2);
        assert_eq!(manager.api("POST", &format!("/api/v1/events/{id}/questions/{q2}/state"), Some(json!({"state": "dismissed"}))).status, 204);
        let seen = next_where(&stream, Duration::from_secs(1), |m| m["questions"].as_array().unwrap().len() == 1);
        assert_eq!(texts(&seen), ["Which grinder for espresso?"], "dismissed questions leave the public list");
        assert_eq!(created(ana.api("GET", &format!("/api/v1/events/{id}/questions"), None))["questions"].as_array().unwrap().len(), 2, "the author still sees it");
        assert_eq!(bea.api("POST", &format!("/api/v1/events/{id}/questions/{q2}/vote"), None).status, 422, "not open");
        // The page: the list is there without JavaScript, and the form asks.
        let page = bea.get(&format!("/events/{id}"));
        assert!(page.body.contains("Which grinder for espresso?") && page.body.contains(&format!("data-live=\"/events/{id}/live\"")), "{}", page.body);
        let posted = bea.submit_form(&format!("/events/{id}"), &format!("/events/{id}/questions"), &[("text", "Decaf options?")]);
        assert_eq!(posted.status, 303, "{}", posted.body);
        next_where(&stream, Duration::from_secs(1), |m| texts(m).contains(&"Decaf options?".to_string()));
    }
}

/// PostgreSQL only: a second app server on the same database; a question asked through one
/// reaches a watcher of the other (LISTEN/NOTIFY).
#[test]
fn a_question_reaches_watchers_of_another_app_server() {
    let Some(app) = tertulia_tests::TestApp::try_start(tertulia_tests::Backend::Postgres) else {
        return;
    };
    let _admin = general_forum(&app);
    let manager = community_manager(&app, "carmen");
    let id = event(&manager);
    let other = app.another_app_server();
    let stream = watch(&other.url(), id);
    next_where(&stream, Duration::from_secs(5), |_| true);
    let ana = member(&app, "ana");
    let asked_at = Instant::now();
    created(ana.api(
        "POST",
        &format!("/api/v1/events/{id}/questions"),
        Some(json!({"text": "Asked on the first server"})),
    ));
    let seen = next_where(&stream, Duration::from_secs(1), |m| !texts(m).is_empty());
    assert!(asked_at.elapsed() < Duration::from_secs(1));
    assert_eq!(texts(&seen), ["Asked on the first server"]);
}
