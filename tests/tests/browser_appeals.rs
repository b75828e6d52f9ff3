//! An appeal in a real headless Chromium: the author of a hidden post appeals it from the
//! statement of reasons, a moderator who took no part in the decision overturns it from the
//! case page, and the post is back for everyone. Skipped visibly when Chromium is not installed
//! (a failure in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia_tests::browser::Browser;
use tertulia_tests::fixtures::reported_answer;
use tertulia_tests::{json, Backend, TestApp};

#[test]
fn a_member_appeals_a_hidden_post_and_another_moderator_overturns_it() {
    let app = TestApp::start(Backend::Sqlite);
    let Some(browser) = Browser::start() else {
        return;
    };
    // Setup through the API: a rule, a rude answer, a report, a moderator's hide.
    let setup = reported_answer(&app, "As the film says: only a fool grinds too fine.");
    let (rule_id, url) = (setup.rule_id, setup.thread_url.clone());
    let jorge = app.logged_in("jorge", Role::Moderator);
    let item = jorge.api("GET", "/api/v1/review", None).json()[0].clone();
    let hidden = jorge.api(
        "POST",
        &format!("/api/v1/review/{}/decision", item["id"]),
        Some(
            json!({"action": "hide", "rule_id": rule_id, "rule_version": 1,
            "explanation": "Calling people fools breaks rule 1.", "version": item["version"]}),
        ),
    );
    assert_eq!(hidden.status, 200, "{}", hidden.body);
    app.create_user("lucia", Role::Moderator);
    assert!(!app.client().get(&url).body.contains("only a fool"));

    // The author appeals from the statement of reasons.
    browser.log_in(&app, "rude");
    browser.goto(&app.url("/me/statements"));
    browser.click("ul.statements a");
    browser.wait_for_text("Calling people fools breaks rule 1.");
    browser.click("dl.statement a[href^='/appeal']");
    browser.wait_for_text("File the appeal");
    browser.fill(
        "textarea[name=text]",
        "It is a quotation from a film, not an insult.",
    );
    browser.click("form[action='/appeal'] button[type=submit]");
    browser.wait_for_text("under review");
    assert!(browser
        .text("main")
        .contains("a moderator who took no part in the decision"));

    // Another moderator decides it from the case desk.
    browser.log_in(&app, "lucia");
    browser.goto(&app.url("/cases"));
    browser.click("table a[href^='/cases/']");
    browser.wait_for_text("Decide the appeal");
    browser.click("input[name=outcome][value=overturned]");
    browser.fill(
        "textarea[name=reasons]",
        "A marked quotation about grinding, aimed at nobody.",
    );
    browser.click("form[action$='/decision'] button[type=submit]");
    // (The form's own labels name the outcomes: wait for what only the decided case shows.)
    browser.wait_for_text("Next steps open to you");
    assert!(browser
        .text("main")
        .contains("overturned: the decision is reversed"));

    // The post is back for everyone, and the log says the decision was reversed.
    let page = app.client().get(&url);
    assert!(
        page.body.contains("only a fool grinds too fine"),
        "{}",
        page.body
    );
    assert!(app
        .client()
        .get("/modlog")
        .body
        .contains("reversed on appeal"));
}
