//! "Did you already ask this?" in a real headless Chromium: a customer types a question's
//! title in the new-thread form, the page's script lists the similar threads with the solved
//! one first, and the customer opens it instead of asking again. Skipped visibly when Chromium
//! is not installed (a failure in CI).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::browser::Browser;
use tertulia_tests::fixtures::{created, general_forum, member, reply, thread};
use tertulia_tests::{Backend, TestApp};

#[test]
fn a_title_being_typed_shows_the_solved_thread_and_it_opens() {
    let app = TestApp::start(Backend::Sqlite);
    let Some(browser) = Browser::start() else {
        return;
    };
    let _admin = general_forum(&app);
    let ana = member(&app, "ana");
    let bruno = member(&app, "bruno");
    thread(
        &bruno,
        "general",
        "question",
        "Molino ruidoso",
        "Hace mucho ruido.",
    );
    let (solved, url) = thread(
        &ana,
        "general",
        "question",
        "El molino no muele el café",
        "Se atasca.",
    );
    let answer = reply(&bruno, solved, "Límpialo con arroz.")["id"]
        .as_i64()
        .unwrap();
    created(ana.api("POST", &format!("/api/v1/posts/{answer}/accept"), None));
    app.wait_for_search_index();

    member(&app, "carla");
    browser.log_in(&app, "carla");
    browser.goto(&app.url("/new"));
    browser.fill("#title", "Mi molino no muele");
    browser.wait_for_text("El molino no muele el café</a>");
    let first = browser.text("#similar li:first-child");
    assert!(
        first.contains("El molino no muele el café") && first.contains("Solved"),
        "{first}"
    );
    assert!(browser.text("#similar").contains("Molino ruidoso"));
    browser.click("#similar li:first-child a");
    browser.wait_for_url(&url);
    assert!(browser.text("h1").contains("El molino no muele el café"));
}
