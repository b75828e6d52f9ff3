//! Accessibility in a real headless Chromium: axe-core (installed from the npm registry by
//! `scripts/setup`, `tests/package.json`) finds no WCAG 2.1 A or AA violation on the home page,
//! a thread, a category, login, register, the new-thread form (also refused, with its error
//! summary), notifications and a profile, for a visitor and for a signed-in member. Skipped
//! visibly outside CI when Chromium or axe-core is missing (a failure in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use tertulia::accounts::model::Role;
use tertulia_tests::browser::Browser;
use tertulia_tests::{json, Backend, TestApp};

/// What axe-core finds on the page shown: one line per violated rule, with where.
fn violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.run(axe);
    let found = browser.run_async(
        "var done = arguments[arguments.length - 1];
         axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(function (result) {
             done(result.violations.map(function (v) {
               return v.id + ' (' + v.impact + '): ' + v.help + ' at ' +
                 v.nodes.map(function (n) { return n.target.join(' '); }).join(', ');
             }));
           }, function (error) { done(['axe-core failed: ' + error]); });",
    );
    found
        .as_array()
        .unwrap_or_else(|| panic!("axe-core answered {found}"))
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn pages_have_no_wcag_a_or_aa_violations() {
    let axe_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        tertulia_tests::skip::skip("axe-core is not installed (scripts/setup installs it)");
        return;
    };
    let app = TestApp::start(Backend::Sqlite);
    let Some(browser) = Browser::start() else {
        return;
    };
    // A small forum: a category, a solved question with an official answer, reactions, and a
    // notification waiting for the asker.
    let admin = app.logged_in("admin1", Role::Admin);
    let made = admin.api(
        "POST",
        "/api/v1/admin/categories",
        Some(json!({"name": "Help", "slug": "help", "description": "Ask anything", "visibility": "public"})),
    );
    assert_eq!(made.status, 201, "{}", made.body);
    let ada = app.logged_in("ada", Role::Member);
    let grace = app.logged_in("grace", Role::Member);
    let thread = ada.api(
        "POST",
        "/api/v1/threads",
        Some(json!({"category": "help", "kind": "question", "title": "How do I descale the Aurora Duo?",
            "body": "It shows a **descale** warning every morning :coffee:"})),
    );
    assert_eq!(thread.status, 201, "{}", thread.body);
    let thread = thread.json();
    let id = thread["id"].as_i64().unwrap();
    let url = thread["url"].as_str().unwrap().to_string();
    let answer = grace.api(
        "POST",
        &format!("/api/v1/threads/{id}/posts"),
        Some(json!({"body": "Run the descaling programme with citric acid, @ada."})),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let answer = answer.json()["id"].as_i64().unwrap();
    assert_eq!(
        ada.api("POST", &format!("/api/v1/posts/{answer}/accept"), None)
            .status
            / 100,
        2
    );
    ada.api(
        "POST",
        &format!("/api/v1/posts/{answer}/reactions"),
        Some(json!({"kind": "thanks"})),
    );
    app.wait_for_jobs_idle();

    let pages = [
        "/".to_string(),
        url.clone(),
        "/c/help".to_string(),
        "/latest".to_string(),
        "/login".to_string(),
        "/register".to_string(),
        "/u/grace".to_string(),
    ];
    let mut found = vec![];
    for page in &pages {
        browser.goto(&app.url(page));
        found.extend(
            violations(&browser, &axe)
                .into_iter()
                .map(|v| format!("visitor {page}: {v}")),
        );
    }
    browser.log_in(&app, "ada");
    let signed_in = [
        "/".to_string(),
        url.clone(),
        "/c/help".to_string(),
        "/new".to_string(),
        "/notifications".to_string(),
        "/u/ada".to_string(),
        "/u".to_string(),
    ];
    for page in &signed_in {
        browser.goto(&app.url(page));
        found.extend(
            violations(&browser, &axe)
                .into_iter()
                .map(|v| format!("ada {page}: {v}")),
        );
    }
    // A refused form: the error summary and the invalid fields.
    browser.goto(&app.url("/new"));
    browser.fill("#title", "Hi");
    browser.run("document.querySelector('#body').removeAttribute('required'); document.querySelector('#title').removeAttribute('required');");
    browser.click("form[action='/new'] button[type=submit]");
    browser.wait_for_text("error-summary");
    found.extend(
        violations(&browser, &axe)
            .into_iter()
            .map(|v| format!("ada refused /new: {v}")),
    );
    // The menus open over the page.
    browser.goto(&app.url(&url));
    browser.click("a.bell");
    browser.find(".notification-menu");
    found.extend(
        violations(&browser, &axe)
            .into_iter()
            .map(|v| format!("ada bell menu: {v}")),
    );
    assert!(found.is_empty(), "axe-core found:\n{}", found.join("\n"));
}
