//! Events in a real headless Chromium, as two members would use them: Ana answers *Going* on
//! the event page, gets the reminder in her notifications, and asks a question that appears in
//! Bea's open page without a reload (the page's script and the live stream). Skipped visibly
//! when Chromium is not installed (a failure in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use tertulia_tests::browser::Browser;
use tertulia_tests::fixtures::{community_manager, created, general_forum, member, Person};
use tertulia_tests::{json, Backend, TestApp};

/// An hour-long online event in the general category, starting `after` from now; its id.
fn online_event(manager: &Person, title: &str, after: Duration) -> i64 {
    let starts = Utc::now() + after;
    created(manager.api(
        "POST",
        "/api/v1/events",
        Some(json!({
            "category": "general", "title": title, "body": "Live questions.",
            "starts_at": starts.format("%Y-%m-%dT%H:%M").to_string(),
            "ends_at": (starts + Duration::hours(1)).format("%Y-%m-%dT%H:%M").to_string(),
            "time_zone": "UTC", "online_url": "https://meet.example.com/live",
        })),
    ))["id"]
        .as_i64()
        .unwrap()
}

#[test]
fn going_reminded_and_a_question_seen_live_in_another_browser() {
    let app = TestApp::start(Backend::Sqlite);
    let Some(ana_browser) = Browser::start() else {
        return;
    };
    let Some(bea_browser) = Browser::start() else {
        return;
    };
    let _admin = general_forum(&app);
    let manager = community_manager(&app, "carmen");
    let id = online_event(&manager, "Ask the roasters", Duration::hours(1));
    let page = app.url(&format!("/events/{id}"));
    member(&app, "ana");
    member(&app, "bea");
    ana_browser.log_in(&app, "ana");
    ana_browser.goto(&page);
    ana_browser.click("button[name=status][value=going]");
    ana_browser.wait_for_text("You are going.");

    // Fifty minutes later it starts in ten: the 15-minute reminder is due; the minutely sweep
    // runs.
    app.advance_clock(Duration::minutes(51));
    app.wait_for_jobs_idle();
    ana_browser.goto(&app.url("/notifications"));
    ana_browser.wait_for_text("Starting soon: Ask the roasters");

    // Bea keeps the event page open; Ana asks.
    bea_browser.log_in(&app, "bea");
    bea_browser.goto(&page);
    bea_browser.wait_for_text("No questions yet.");
    ana_browser.goto(&page);
    ana_browser.fill("#question-text", "Which roast for a moka pot?");
    ana_browser.click("#questions button[type=submit]");
    ana_browser.wait_for_url("#questions");
    bea_browser.wait_for_text("Which roast for a moka pot?");
    assert!(bea_browser.text("ol.questions").contains("@ana"));
    assert!(
        bea_browser
            .current_url()
            .ends_with(&format!("/events/{id}")),
        "no reload"
    );
}

/// A page kept in the browser's back/forward cache lets its live stream go (a browser holds only
/// six connections to a server over HTTP/1.1, and cached pages would keep theirs), and opens it
/// again when the reader comes back: questions asked meanwhile and after still arrive live.
#[test]
fn a_page_restored_from_the_back_forward_cache_follows_its_questions_again() {
    let app = TestApp::start(Backend::Sqlite);
    let Some(browser) = Browser::start() else {
        return;
    };
    let _admin = general_forum(&app);
    let manager = community_manager(&app, "carmen");
    let id = online_event(&manager, "Cupping night", Duration::days(1));
    let bea = member(&app, "bea");
    member(&app, "ana");
    browser.log_in(&app, "ana");
    browser.goto(&app.url(&format!("/events/{id}")));
    browser.wait_for_text("No questions yet.");
    browser.run("window.tertuliaKept = true; return null;");

    // Away through a few more pages with live parts, then back.
    for _ in 0..3 {
        browser.goto(&app.url("/notifications"));
        browser.wait_for_text("<h1");
    }
    let asked = |text: &str| {
        let response = bea.api(
            "POST",
            &format!("/api/v1/events/{id}/questions"),
            Some(json!({ "text": text })),
        );
        assert_eq!(response.status, 201, "{}", response.body);
    };
    asked("Which grinder for cupping?");
    browser.run("history.back(); return null;");
    browser.wait_for_text("Which grinder for cupping?");
    assert_eq!(
        browser.run("return window.tertuliaKept === true;"),
        json!(true),
        "the page came back from the back/forward cache, not from a new load"
    );
    asked("How hot should the water be?");
    browser.wait_for_text("How hot should the water be?");
}
