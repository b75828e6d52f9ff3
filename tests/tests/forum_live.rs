//! Live forum pages through HTTP on both databases: a thread's stream of new replies (with the
//! reader's permissions, resuming from `Last-Event-ID`), the header's unread count, the bound
//! on open streams, and on PostgreSQL a reply heard by a reader of another app server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use tertulia_tests::fixtures::{general_forum, member, private_category, reply, thread};
use tertulia_tests::{both_backends, next_event, SseEvent};

fn numbers(event: &SseEvent) -> Vec<i64> {
    event.data["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["number"].as_i64().unwrap())
        .collect()
}

both_backends! {
    fn new_replies_reach_open_thread_pages_live(app) {
        let admin = general_forum(&app);
        let ana = member(&app, "ana");
        let bea = member(&app, "bea");
        let (id, url) = thread(&ana, "general", "question", "Which burr size for moka?", "Asking.");
        // The page offers the stream from its last post; without JavaScript it is a hidden bar.
        let page = app.client().get(&url);
        let live = format!("/t/{id}/live?after=1");
        assert!(page.body.contains(&format!("data-thread-live=\"{live}\"")), "{}", page.body);
        assert!(page.body.contains("data-one=\"1 new reply — show\""), "{}", page.body);
        let visitor = app.client().stream(&live, &[]).expect("a visitor may watch a public thread");
        let started = Instant::now();
        let first = reply(&bea, id, "Medium-fine.");
        let event = next_event(&visitor, Duration::from_secs(1), |e| e.name == "posts");
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(numbers(&event), [2]);
        assert_eq!(event.data["posts"][0]["id"], first["id"]);
        assert_eq!(event.data["replies"], 1);
        assert_eq!(event.id.as_deref(), Some("2"), "the event id is where a reconnect resumes");
        reply(&ana, id, "Thanks!");
        assert_eq!(numbers(&next_event(&visitor, Duration::from_secs(1), |e| e.name == "posts")), [3]);
        // A reconnecting browser resumes after its Last-Event-ID: post 3 comes at once, 2 not again.
        let resumed = app.client().stream(&live, &[("Last-Event-ID", "2")]).unwrap();
        assert_eq!(numbers(&next_event(&resumed, Duration::from_secs(2), |e| e.name == "posts")), [3]);
        // The fragment the page's script inserts is the post as the page draws it.
        let fragment = app.client().get(&format!("/p/{}/fragment", first["id"]));
        assert_eq!(fragment.status, 200);
        assert!(fragment.body.contains("Medium-fine.") && fragment.body.contains("id=\"post-2\""), "{}", fragment.body);

        // Never leaking: a thread of a private category is not found for outsiders, whatever the way in.
        let private = private_category(&admin, "vip", "VIP");
        let (secret, _) = thread(&admin, &private.slug, "discussion", "Roadmap for next year", "Secret.");
        let outsiders: [&tertulia_tests::Client; 2] = [&app.client(), &bea];
        for outsider in outsiders {
            let refused = outsider.stream(&format!("/t/{secret}/live"), &[]).expect_err("refused");
            assert_eq!(refused.status, 404, "{}", refused.body);
        }
        assert_eq!(app.client().stream("/t/999999/live", &[]).expect_err("no such thread").status, 404);
        // Bad input is a clear error, not a 500.
        assert_eq!(app.client().stream("/t/abc/live", &[]).expect_err("not a number").status, 404);
        let bad = app.client().stream(&format!("/t/{id}/live?after=x"), &[]).expect_err("bad cursor");
        assert_eq!(bad.status, 422, "{}", bad.body);
        assert!(bad.body.contains("data-code=\"invalid_query\""), "{}", bad.body);
        // A garbled Last-Event-ID is ignored: the query's cursor holds.
        let garbled = app.client().stream(&live, &[("Last-Event-ID", "zz")]).unwrap();
        assert_eq!(numbers(&next_event(&garbled, Duration::from_secs(2), |e| e.name == "posts")), [2, 3]);
    }

    fn the_header_count_follows_notifications_live(app) {
        let _admin = general_forum(&app);
        let ana = member(&app, "ana");
        let bea = member(&app, "bea");
        let (id, _) = thread(&ana, "general", "question", "Descaling a moka pot?", "How often?");
        // Whatever a new member was told on arrival is read first.
        app.wait_for_jobs_idle();
        assert_eq!(ana.api("POST", "/api/v1/notifications/read-all", None).status, 200);
        let page = ana.get("/");
        assert!(page.body.contains("data-live-unread=\"/notifications/live\""), "{}", page.body);
        let stream = ana.stream("/notifications/live", &[]).expect("a member watches their count");
        let first = next_event(&stream, Duration::from_secs(2), |e| e.name == "unread");
        assert_eq!(first.data["unread"], 0);
        assert_eq!(first.data["label"], "Notifications");
        // Bea replies: Ana's count arrives (through the notification job) without a reload.
        reply(&bea, id, "Every month.");
        let told = next_event(&stream, Duration::from_secs(5), |e| e.name == "unread");
        let count = told.data["unread"].as_i64().unwrap();
        assert!(count >= 1, "{:?}", told.data);
        assert_eq!(told.data["label"], format!("Notifications ({count})"));
        // The bell's menu (opened by the page's script) lists it, newest first.
        let menu = ana.get("/notifications/menu");
        assert_eq!(menu.status, 200);
        assert!(menu.body.contains("class=\"notification-menu\"") && menu.body.contains("Descaling a moka pot?"), "{}", menu.body);
        assert!(!menu.body.contains("<html"), "a fragment");
        assert_eq!(app.client().get("/notifications/menu").status, 303, "visitors are sent to log in");
        // Read in another tab: the count goes back down here too.
        assert_eq!(ana.api("POST", "/api/v1/notifications/read-all", None).status, 200);
        next_event(&stream, Duration::from_secs(2), |e| e.name == "unread" && e.data["unread"] == 0);
        // In the member's language.
        let es = member(&app, "eva");
        assert_eq!(es.api("PATCH", "/api/v1/me", Some(tertulia_tests::json!({"display_name": "Eva", "locale": "es"}))).status / 100, 2);
        let spanish = es.stream("/notifications/live", &[]).unwrap();
        let label = next_event(&spanish, Duration::from_secs(2), |e| e.name == "unread").data["label"].as_str().unwrap().to_string();
        assert!(label.starts_with("Notificaciones"), "{label}");
        // Visitors have no count to watch: sent to log in, like every member's page.
        let refused = app.client().stream("/notifications/live", &[]).expect_err("anonymous");
        assert_eq!(refused.status, 303, "{}", refused.body);
        assert!(refused.location().unwrap().starts_with("/login"));
    }

    fn open_streams_are_bounded_per_person(app) {
        let _admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (id, _) = thread(&ana, "general", "discussion", "Favourite beans this month", "Mine: Huila.");
        let open: Vec<_> = (0..tertulia::live::STREAMS_PER_PERSON)
            .map(|_| ana.stream(&format!("/t/{id}/live"), &[]).expect("within the bound"))
            .collect();
        let refused = ana.stream("/notifications/live", &[]).expect_err("over the bound");
        assert_eq!(refused.status, 429, "{}", refused.body);
        assert_eq!(refused.header("retry-after"), Some("15"));
        // Someone else is not affected.
        let bea = member(&app, "bea");
        assert!(bea.stream(&format!("/t/{id}/live"), &[]).is_ok());
        drop(open);
    }
}

/// PostgreSQL only: a reply written through one app server reaches a reader of another on the
/// same database (LISTEN/NOTIFY).
#[test]
fn a_reply_reaches_readers_of_another_app_server() {
    let Some(app) = tertulia_tests::TestApp::try_start(tertulia_tests::Backend::Postgres) else {
        return;
    };
    let _admin = general_forum(&app);
    let ana = member(&app, "ana");
    let (id, _) = thread(&ana, "general", "question", "Grind for V60?", "Asking.");
    let other = app.another_app_server();
    let reader = tertulia_tests::Client::for_base(&other.url());
    let stream = reader
        .stream(&format!("/t/{id}/live?after=1"), &[])
        .unwrap();
    // Give the other server's listener a moment to LISTEN.
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    reply(&ana, id, "Medium, like sea salt.");
    let event = next_event(&stream, Duration::from_secs(1), |e| e.name == "posts");
    assert!(started.elapsed() < Duration::from_secs(1));
    assert_eq!(numbers(&event), [2]);
}
