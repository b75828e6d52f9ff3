//! What only the Meilisearch engine does, against a real Meilisearch (`TERTULIA_TEST_MEILI_URL`;
//! each test says loudly that it is skipped without one): typo tolerance and synonyms; an
//! outage loses nothing (writes made while it is down reach it when it is back, and searching
//! falls back to the database meanwhile, telling staff); reindexing is idempotent. The shared
//! contract (search.rs) runs on Meilisearch as well.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    admin, created, general_forum, in_hours, member, post_ids, public_category, reply, thread,
};
use tertulia_tests::proxy::Relay;
use tertulia_tests::{json, Backend, Client, TestApp, Value};

fn search(app: &TestApp, who: &Client, query: &str) -> Value {
    app.wait_for_search_index();
    created(who.api("GET", &format!("/api/v1/search?{query}"), None))
}

fn titles(results: &Value) -> Vec<String> {
    let mut out: Vec<String> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    out.dedup();
    out
}

fn meili_of(app: &TestApp) -> tertulia::search::meili::Meili {
    tertulia::search::meili::Meili::new(
        app.config.search_url.as_deref().unwrap(),
        app.config.search_key.as_ref().map(|k| k.expose()),
        &app.config.search_index,
        None,
    )
    .unwrap()
}

/// An event in `category`, created by `who` (an admin or a community manager); its id.
fn event(who: &Client, category: &str, title: &str, body: &str) -> i64 {
    created(who.api(
        "POST",
        "/api/v1/events",
        Some(json!({
            "category": category, "title": title, "body": body,
            "starts_at": in_hours(48), "ends_at": in_hours(50), "time_zone": "UTC",
            "online_url": "https://meet.example.com/x",
        })),
    ))["id"]
        .as_i64()
        .unwrap()
}

/// The indexes hold exactly the database's posts and events, each document as the post or
/// event is now.
fn assert_index_matches_database(app: &TestApp) {
    use diesel::prelude::*;
    use tertulia::db::schema::posts;
    app.wait_for_search_index();
    let mut conn = app.db();
    let ids: Vec<i64> = posts::table
        .order(posts::id.asc())
        .select(posts::id)
        .load(&mut conn)
        .unwrap();
    let mut expected = tertulia::search::outbox::documents(&mut conn, &ids).unwrap();
    expected.sort_by_key(|d| d.id);
    let held = meili_of(app).documents().unwrap();
    let digest = |docs: &[tertulia::search::meili::Document]| -> Vec<(i64, String)> {
        use sha2::Digest;
        docs.iter()
            .map(|d| {
                let text = serde_json::to_string(d).unwrap();
                (d.id, hex::encode(sha2::Sha256::digest(text.as_bytes())))
            })
            .collect()
    };
    assert_eq!(
        digest(&held),
        digest(&expected),
        "index: {held:#?}\ndatabase: {expected:#?}"
    );
    let held = meili_of(app).event_documents().unwrap();
    let expected = tertulia::search::outbox::event_documents(&mut conn, None).unwrap();
    assert_eq!(held, expected, "the events' index");
}

#[test]
fn typos_and_synonyms_find_what_was_meant() {
    let Some(app) = TestApp::start_meili(Backend::Sqlite, |_| {}) else {
        return;
    };
    let _admin = general_forum(&app);
    let ana = member(&app, "ana");
    thread(
        &ana,
        "general",
        "question",
        "Cómo descalcificar la cafetera",
        "Uso vinagre; ¿es buena idea?",
    );
    thread(
        &ana,
        "general",
        "discussion",
        "Warranty for the grinder",
        "Two years in Europe.",
    );
    thread(
        &ana,
        "general",
        "discussion",
        "La descalcificación, paso a paso",
        "Cada tres meses.",
    );
    let visitor = app.client();
    let found = search(&app, &visitor, "q=descalcifiacion");
    assert_eq!(
        titles(&found),
        ["La descalcificación, paso a paso"],
        "a typo: {found}"
    );
    assert_eq!(found["engine"], "meilisearch");
    assert_eq!(
        titles(&search(&app, &visitor, "q=cafetra")),
        ["Cómo descalcificar la cafetera"]
    );
    // Synonyms from the built-in list: "garantía" is "warranty", "máquina de café" a "cafetera".
    assert_eq!(
        titles(&search(&app, &visitor, "q=garant%C3%ADa")),
        ["Warranty for the grinder"]
    );
    assert_eq!(
        titles(&search(&app, &visitor, "q=m%C3%A1quina+de+caf%C3%A9")),
        ["Cómo descalcificar la cafetera"]
    );
    // Events too: typos and synonyms, from Meilisearch.
    event(
        &_admin,
        "general",
        "Taller de descalcificación",
        "Traed vuestra cafetera.",
    );
    let events = search(&app, &visitor, "q=descalcifiacion&kind=event");
    assert_eq!(
        (
            events["engine"].clone(),
            events["events"][0]["title"].clone()
        ),
        (json!("meilisearch"), json!("Taller de descalcificación")),
        "{events}"
    );
    let synonym = search(&app, &visitor, "q=m%C3%A1quina+de+caf%C3%A9&kind=event");
    assert_eq!(synonym["total"], 1, "{synonym}");
}

#[test]
fn an_outage_loses_no_change_and_search_falls_back_to_the_database() {
    let Some((url, _)) = tertulia_tests::meili_server() else {
        tertulia_tests::skip::optional(
            "TERTULIA_TEST_MEILI_URL is not set, so the Meilisearch outage is not tested",
        );
        return;
    };
    let relay = Relay::start(&url);
    let relayed = relay.url.clone();
    let app =
        TestApp::start_meili(Backend::Sqlite, |config| config.search_url = Some(relayed)).unwrap();
    let boss = general_forum(&app);
    public_category(&boss.client, "help");
    let ana = member(&app, "ana");
    let (kept, _) = thread(
        &ana,
        "general",
        "discussion",
        "Molino de café",
        "Muele fino.",
    );
    let (moved, _) = thread(
        &ana,
        "general",
        "question",
        "Molino que se atasca",
        "No gira.",
    );
    let doomed = reply(&ana, kept, "Un molino que borraré.")["id"]
        .as_i64()
        .unwrap();
    let clinic = event(&boss, "general", "Clínica de molinos", "Los ajustamos.");
    let visitor = app.client();
    assert_eq!(search(&app, &visitor, "q=molino")["total"], 3);
    assert_index_matches_database(&app);

    relay.take_down();
    // Events too: one created, one edited, then cancelled.
    event(
        &boss,
        "general",
        "Cata de molinos",
        "Tres molinos a prueba.",
    );
    let edited = boss.api(
        "PUT",
        &format!("/api/v1/events/{clinic}"),
        Some(
            json!({"title": "Clínica de cafeteras", "body": "Las reparamos.",
            "online_url": "https://meet.example.com/x"}),
        ),
    );
    assert_eq!(edited.status, 204, "{}", edited.body);
    {
        use diesel::prelude::*;
        use tertulia::db::schema::events;
        diesel::update(events::table.filter(events::id.eq(clinic)))
            .set(events::state.eq(1_i16))
            .execute(&mut app.db())
            .unwrap();
    }
    // Writes go on while Meilisearch is away: a new thread, an edit, a deletion, a move, a
    // reaction and an accepted answer.
    let (_, _) = thread(&ana, "general", "discussion", "Molino nuevo", "Llegó ayer.");
    let first = post_ids(&ana, kept)[0];
    created(ana.api(
        "PATCH",
        &format!("/api/v1/posts/{first}"),
        Some(json!({"body": "Muele muy fino, molinillo cónico."})),
    ));
    {
        use diesel::prelude::*;
        use tertulia::db::schema::posts;
        diesel::update(posts::table.filter(posts::id.eq(doomed)))
            .set(posts::state.eq(2_i16))
            .execute(&mut app.db())
            .unwrap();
    }
    created(boss.api(
        "POST",
        &format!("/api/v1/threads/{moved}/moderation"),
        Some(json!({"category": "help"})),
    ));
    let bruno = member(&app, "bruno");
    let answer = reply(&bruno, moved, "Límpialo.")["id"].as_i64().unwrap();
    created(ana.api("POST", &format!("/api/v1/posts/{answer}/accept"), None));
    created(bruno.api(
        "POST",
        &format!("/api/v1/posts/{first}/reactions"),
        Some(json!({"kind": "like"})),
    ));
    // Searching still works, from the database, which has it all already.
    let during = created(visitor.api("GET", "/api/v1/search?q=molino", None));
    assert_eq!(
        (during["engine"].clone(), during["fallback"].clone()),
        (json!("database"), json!(true)),
        "{during}"
    );
    assert_eq!(
        during["total"], 3,
        "new thread in, deleted reply out: {during}"
    );
    assert_eq!(
        during["facets"]["category"],
        json!({"general": 2, "help": 1})
    );
    // Staff are told; members are not.
    let staff = admin(&app, "root");
    let page = staff.get("/search?q=molino");
    assert!(
        page.body.contains("id=\"search-fallback\""),
        "{}",
        page.body
    );
    assert!(!ana.get("/search?q=molino").body.contains("search-fallback"));
    let jobs = created(staff.api("GET", "/api/v1/admin/jobs", None));
    assert!(jobs["search"]["pending"].as_i64().unwrap() > 0, "{jobs}");
    assert!(jobs["search"]["failure"].is_string(), "{jobs}");
    assert!(staff
        .get("/admin/jobs")
        .body
        .contains("id=\"search-failure\""));

    relay.bring_back();
    assert_index_matches_database(&app);
    let after = search(&app, &visitor, "q=c%C3%B3nico");
    assert_eq!(after["total"], 1, "the edit arrived: {after}");
    let events = search(&app, &visitor, "q=cafeteras&kind=event");
    assert_eq!(
        (
            events["events"][0]["title"].clone(),
            events["events"][0]["cancelled"].clone()
        ),
        (json!("Clínica de cafeteras"), json!(true)),
        "the edit and the cancellation arrived: {events}"
    );
    // Searching uses Meilisearch again once the worker got through and the quiet time is over:
    // the answer is the same either way.
    let again = search(&app, &visitor, "q=molino&category=help&solved=true");
    assert_eq!(titles(&again), ["Molino que se atasca"], "{again}");
    let jobs = created(staff.api("GET", "/api/v1/admin/jobs", None));
    assert_eq!(
        (
            jobs["search"]["pending"].clone(),
            jobs["search"]["failure"].clone()
        ),
        (json!(0), Value::Null),
        "{jobs}"
    );
}

#[test]
fn reindexing_meilisearch_twice_gives_the_same_index() {
    let Some(app) = TestApp::start_meili(Backend::Sqlite, |_| {}) else {
        return;
    };
    let _admin = general_forum(&app);
    let ana = member(&app, "ana");
    for n in 0..5 {
        thread(
            &ana,
            "general",
            "discussion",
            &format!("Tema {n} del molino"),
            "Texto.",
        );
    }
    app.wait_for_search_index();
    let meili = meili_of(&app);
    // A document of a post that no longer exists is removed; every post is written.
    meili
        .put(&[tertulia::search::meili::Document {
            id: 999_999,
            ..tertulia::search::outbox::documents(&mut app.db(), &[1]).unwrap()[0].clone()
        }])
        .unwrap();
    for _ in 0..2 {
        let done = tertulia::search::outbox::fill(&mut app.db(), &meili, |_| {}).unwrap();
        assert_eq!(done, 5);
        assert_index_matches_database(&app);
    }
}

/// An app server or worker starting on indexes that have their settings sends none again
/// (Meilisearch would index every document again and hold every write behind it); a setting
/// that differs is sent.
#[test]
fn configuring_configured_indexes_sends_only_what_differs() {
    let Some(app) = TestApp::start_meili(Backend::Sqlite, |_| {}) else {
        return;
    };
    let _admin = general_forum(&app);
    // A post, so that waiting for the index waits for the worker (which configures first).
    thread(
        &member(&app, "ana"),
        "general",
        "discussion",
        "Molino",
        "Texto.",
    );
    app.wait_for_search_index();
    let base = app.config.search_url.clone().unwrap();
    let index = app.config.search_index.clone();
    let key = app
        .config
        .search_key
        .as_ref()
        .map(|k| k.expose().to_string());
    let call = |method: &str, path: &str, body: Option<Value>| -> Value {
        let mut request = ureq::request(method, &format!("{base}{path}"));
        if let Some(key) = &key {
            request = request.set("Authorization", &format!("Bearer {key}"));
        }
        match body {
            Some(body) => request.send_json(body),
            None => request.call(),
        }
        .unwrap()
        .into_json()
        .unwrap()
    };
    let settings_updates = || {
        call(
            "GET",
            &format!("/tasks?types=settingsUpdate&indexUids={index},{index}_events&limit=1000"),
            None,
        )["results"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = settings_updates();
    assert!(before > 0, "the first start applied the settings");
    meili_of(&app).configure().unwrap();
    assert_eq!(
        settings_updates(),
        before,
        "nothing differed, nothing was sent"
    );
    // Someone turns prefix search back on: the next start sends the settings again.
    let task = call(
        "PUT",
        &format!("/indexes/{index}/settings/prefix-search"),
        Some(json!("indexingTime")),
    )["taskUid"]
        .as_i64()
        .unwrap();
    while call("GET", &format!("/tasks/{task}"), None)["status"] != json!("succeeded") {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let after_change = settings_updates();
    meili_of(&app).configure().unwrap();
    assert!(
        settings_updates() > after_change,
        "the differing settings were sent"
    );
    assert_eq!(
        call(
            "GET",
            &format!("/indexes/{index}/settings/prefix-search"),
            None
        ),
        json!("disabled")
    );
}

/// `docker-compose.yml` (which CI cannot start: no Docker engine) wires the app to its
/// Meilisearch and mail services with settings the server accepts.
#[test]
fn docker_compose_wires_the_app_to_its_meilisearch() {
    let compose = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../docker-compose.yml"
    ))
    .unwrap();
    let service = compose
        .split("\n  tertulia:\n")
        .nth(1)
        .expect("a tertulia service");
    let environment = service
        .split("\n    environment:\n")
        .nth(1)
        .expect("its environment");
    let substitute = |value: &str| -> String {
        // ${NAME}, ${NAME:-default} and ${NAME:?message} as compose fills them.
        let mut out = value.to_string();
        while let Some(start) = out.find("${") {
            let end = start + out[start..].find('}').unwrap();
            let inner = &out[start + 2..end];
            let filled = inner
                .split_once(":-")
                .map_or("secret-value", |(_, default)| default)
                .to_string();
            out.replace_range(start..=end, &filled);
        }
        out
    };
    let env: Vec<(String, String)> = environment
        .lines()
        .take_while(|l| l.starts_with("      "))
        .filter_map(|l| l.trim().split_once(": "))
        .map(|(k, v)| (k.to_string(), substitute(v)))
        .collect();
    let config = tertulia::config::Config::load(None, env.clone())
        .unwrap_or_else(|e| panic!("{}: {env:?}", e.0));
    assert_eq!(
        config.search_url.as_deref(),
        Some("http://meilisearch:7700")
    );
    assert!(config.search_key.is_some() && config.smtp_url.is_some());
    assert!(
        compose.contains("\n  meilisearch:\n")
            && compose.contains("MEILI_MASTER_KEY: ${MEILI_MASTER_KEY")
    );
    assert!(compose.contains("\n  mail:\n"));
}
