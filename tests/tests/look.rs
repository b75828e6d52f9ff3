//! The look: the example brand theme, a broken theme falling back to the default, template
//! reloading for template work, and the demo community a newcomer lands in.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::{Backend, TestApp};

#[test]
fn the_brand_theme_restyles_and_overrides_a_template() {
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.theme = "aurora".into();
        c.brand_name = "Cafetera Aurora".into();
    })
    .unwrap();
    let client = app.client();
    let home = client.get("/");
    assert_eq!(home.status, 200);
    assert!(
        home.body.contains("class=\"aurora-tagline\""),
        "the theme's forum/home.html is used"
    );
    assert!(
        home.body.contains("id=\"latest-heading\""),
        "and it extends the default page"
    );
    // minijinja escapes '/' in attributes as &#x2f;
    assert!(
        home.body.contains(
            "<img src=\"&#x2f;theme&#x2f;logo\" alt=\"\" height=\"32\"> Cafetera Aurora</a>"
        ),
        "{}",
        home.body
    );
    let css = client.get("/theme.css");
    assert!(css.body.contains("--color-accent: #7a2e0e;"));
    assert!(css.body.contains(".aurora-tagline"));
    let logo = client.get("/theme/logo");
    assert_eq!(logo.header("Content-Type"), Some("image/svg+xml"));
    // Pages the theme does not override still render with the default templates.
    assert_eq!(client.get("/login").status, 200);
}

fn theme_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

#[test]
fn broken_themes_fall_back_to_the_default_look() {
    // A theme whose theme.toml is invalid is not used at all.
    let unreadable = theme_dir(&[("broken/theme.toml", "name = \"Broken\"\ncolours = 3\n")]);
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.theme = "broken".into();
        c.themes_dir = unreadable.path().to_path_buf();
    })
    .unwrap();
    assert_eq!(app.client().get("/").status, 200);
    // A theme template that fails while rendering is replaced by the default one for that page.
    let failing = theme_dir(&[
        ("failing/theme.toml", "name = \"Failing\"\n"),
        ("failing/templates/accounts/login.html", "{% extends \"layout/base.html\" %}{% block content %}{{ no_such_function() }}{% endblock %}"),
        ("failing/templates/accounts/register.html", "{% extends \"layout/base.html\" %}{% block content %}{% include \"missing.html\" %}{% endblock %}"),
    ]);
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.theme = "failing".into();
        c.themes_dir = failing.path().to_path_buf();
    })
    .unwrap();
    for page in ["/login", "/register"] {
        let response = app.client().get(page);
        assert_eq!(response.status, 200, "{page}");
        assert!(
            response.body.contains("name=\"password\""),
            "{page} rendered by the default template"
        );
    }
}

#[test]
fn template_work_reads_templates_from_disk() {
    let dir = theme_dir(&[("forum/home.html", "{% extends \"default/forum/home.html\" %}{% block home_sections %}<p id=\"dev-marker\">edited on disk</p>{% endblock %}")]);
    let app = TestApp::start_with(Backend::Sqlite, |c| {
        c.dev_templates_dir = Some(dir.path().to_path_buf())
    })
    .unwrap();
    assert!(app.client().get("/").body.contains("edited on disk"));
    std::fs::write(dir.path().join("forum/home.html"), "{% extends \"default/forum/home.html\" %}{% block home_sections %}<p>changed again</p>{% endblock %}").unwrap();
    assert!(
        app.client().get("/").body.contains("changed again"),
        "no restart needed"
    );
}

/// The page of the demo's past repair clinic.
fn listed_past_clinic(visitor: &tertulia_tests::Client) -> String {
    let since = (chrono::Utc::now() - chrono::Duration::days(10)).format("%Y-%m-%d");
    let found = visitor
        .api("GET", &format!("/api/v1/events?from={since}"), None)
        .json();
    let clinic = found
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            e["title"]
                .as_str()
                .unwrap()
                .contains("Clínica de reparación")
        })
        .unwrap_or_else(|| panic!("{found}"));
    clinic["url"].as_str().unwrap().to_string()
}

/// Seeding runs before the job worker starts (`serve --demo`) or without one (`tertulia demo`).
fn demo_community(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| c.jobs_worker = false) else {
        return;
    };
    {
        let ctx = tertulia::build_context(app.config.clone()).unwrap();
        let mut conn = app.db();
        let summary = tertulia::demo::seed(&mut conn, &ctx).unwrap().unwrap();
        assert_eq!(summary.threads, 51);
        assert!(summary.posts > 1_500);
        // The demo's own accounts, plus the admin it had to create on this empty database and
        // the six members who came through invitation campaigns.
        assert_eq!(
            summary.accounts.len(),
            tertulia::demo::content::load().unwrap().users.len() + 1 + 6
        );
        // The backdated history queues no notifications or e-mails.
        let queued: i64 = {
            use diesel::prelude::*;
            tertulia::db::schema::mails::table
                .count()
                .get_result(&mut conn)
                .unwrap()
        };
        assert_eq!(queued, 0);
        // Seeding twice does nothing: the forum is no longer empty.
        assert!(tertulia::demo::seed(&mut conn, &ctx).unwrap().is_none());

        let visitor = app.client();
        let home = visitor.get("/");
        assert!(home.body.contains("Enseña tu rincón de café"));
        // Events: a full online workshop with a waitlist, a weekly Q&A, a meet-up at the shop.
        let events = visitor.api("GET", "/api/v1/events", None).json();
        let listed = events.as_array().unwrap();
        let workshop = listed
            .iter()
            .find(|e| e["title"].as_str().unwrap().contains("latte art"))
            .unwrap_or_else(|| panic!("{events}"));
        assert_eq!(
            (workshop["going"].as_i64(), workshop["waitlisted"].as_i64()),
            (Some(8), Some(3))
        );
        assert!(
            listed
                .iter()
                .filter(|e| e["title"].as_str().unwrap().contains("equipo de producto"))
                .count()
                >= 5
        );
        assert!(listed.iter().any(|e| !e["online"].as_bool().unwrap()));
        assert!(visitor
            .get("/events")
            .body
            .contains("Quedada en la tienda de Madrid"));
        let clinic = listed_past_clinic(&visitor);
        assert!(
            visitor.get(&clinic).body.contains("video.example.com"),
            "the clinic's follow-up"
        );
        let categories = visitor.api("GET", "/api/v1/categories", None).json();
        assert!(
            !categories.to_string().contains("\"equipo\""),
            "the staff room is private"
        );
        let latest = visitor.api("GET", "/api/v1/latest", None).json();
        let threads = latest["threads"].as_array().unwrap();
        assert!(
            threads.iter().any(|t| t["solved"] == true),
            "some questions are answered"
        );
        assert!(
            threads.iter().all(|t| t["views"].as_i64().unwrap() > 0),
            "read threads show their views: {latest}"
        );
        // Moderation has a history: a hidden reply in the public log, its author's statement.
        let modlog = visitor.api("GET", "/api/v1/modlog", None).json();
        assert!(
            modlog
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["action"] == "hide"),
            "{modlog}"
        );
        let andres = app.client();
        let login = andres.submit_form(
            "/login",
            "/login",
            &[
                ("login", "andres_crema"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        assert_eq!(login.status, 303);
        let statements = andres.api("GET", "/api/v1/me/statements", None).json();
        let measures: Vec<&str> = statements
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|s| s["measure"].as_str())
            .collect();
        assert_eq!(measures, ["warning", "hide"]);
        // Emma's unsent new thread waits in her composer; English replies say so in their `lang`.
        let emma = app.client();
        emma.submit_form(
            "/login",
            "/login",
            &[
                ("login", "emma_brews"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        let composer = emma.get("/new");
        assert!(
            composer
                .body
                .contains("value=\"Metal puck screens: worth it?\"")
                && composer.body.contains("Your unsent draft is back."),
            "{}",
            composer.body
        );
        // …and a reply held by a watched word waits in the queue.
        let jorge = app.client();
        jorge.submit_form(
            "/login",
            "/login",
            &[
                ("login", "mod_jorge"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        let queue = jorge.api("GET", "/api/v1/review", None).json();
        assert!(
            queue.as_array().unwrap().iter().any(|i| i["held"] == true),
            "{queue}"
        );
        // A demo account logs in with the printed password and sees the staff room if staff.
        let staff = app.client();
        let login = staff.submit_form(
            "/login",
            "/login",
            &[
                ("login", "soporte_luis"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        assert_eq!(login.status, 303);
        assert!(staff
            .api("GET", "/api/v1/categories", None)
            .body
            .contains("\"equipo\""));
        // Technical support is a party to a decided brand dispute with its refund task open,
        // and the case is a published precedent.
        let desk = staff.api("GET", "/api/v1/cases", None).json();
        let brand_case = desk
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["kind"] == "brand_dispute")
            .unwrap()["id"]
            .clone();
        let case = staff
            .api("GET", &format!("/api/v1/cases/{brand_case}"), None)
            .json();
        assert_eq!(case["state"], "enforcement", "{case}");
        assert_eq!(case["findings"].as_array().unwrap().len(), 2);
        assert_eq!(case["comments"].as_array().unwrap().len(), 1);
        assert!(case["tasks"][0]["done_at"].is_null());
        assert_eq!(case["fallback_arbiter"], "teresa_arbitra");
        let waiting = app.client();
        waiting.submit_form(
            "/login",
            "/login",
            &[
                ("login", "pablo_tostado"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        let desk = waiting.api("GET", "/api/v1/cases", None).json();
        assert_eq!(desk[0]["state"], "awaiting_party", "{desk}");
        // Search finds the demo in both languages, whatever the word's form or accents.
        for query in ["descalcificar", "molinos", "grinder", "cafe"] {
            let found = visitor
                .api("GET", &format!("/api/v1/search?q={query}"), None)
                .json();
            assert!(found["total"].as_i64().unwrap() > 0, "{query}: {found}");
        }
        // Reputation: badges on posts and profiles, a leaderboard, an ambassador's flair, and the
        // invitation campaigns' figures for the community manager.
        let badges = visitor.api("GET", "/api/v1/badges", None).json();
        let held: i64 = badges
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["holders"].as_i64().unwrap())
            .sum();
        assert!(held > 30, "{badges}");
        assert!(
            badges.to_string().contains("Barista of the month"),
            "the community manager's own badge"
        );
        let lucia = visitor.get("/u/lucia_barista");
        assert!(
            lucia.body.contains("Barista of the month"),
            "{}",
            lucia.body
        );
        let board = visitor
            .api("GET", "/api/v1/leaderboard?period=all", None)
            .json();
        assert!(board["standings"].as_array().unwrap().len() >= 5, "{board}");
        assert_eq!(board["standings"][0]["rank"], 1);
        let mut flair = false;
        let mut chips = false;
        for t in threads.iter().take(10) {
            let page = visitor.get(t["url"].as_str().unwrap()).body;
            flair |= page.contains("<span class=\"badge flair\">");
            chips |= page.contains("class=\"badge-chip");
        }
        assert!(
            flair && chips,
            "an ambassador and featured badges on the latest threads"
        );
        let marta = app.client();
        marta.submit_form(
            "/login",
            "/login",
            &[
                ("login", "marta_cm"),
                ("password", tertulia::demo::DEMO_PASSWORD),
            ],
        );
        let sources = marta.api("GET", "/api/v1/insights/invites", None).json();
        let insert = sources
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["source"] == "packaging-insert")
            .unwrap_or_else(|| panic!("{sources}"));
        assert_eq!(insert["sign_ups"], 3, "{sources}");
        assert!(
            insert["active_after_30"].as_i64().unwrap() >= 1,
            "{sources}"
        );
        let report = marta.api("GET", "/api/v1/insights/leaders", None).json();
        assert!(
            !report["leaders"].as_array().unwrap().is_empty(),
            "{report}"
        );
        // Events are found by search too.
        let workshops = visitor
            .api("GET", "/api/v1/search?q=latte&kind=event", None)
            .json();
        assert!(
            workshops["events"].to_string().contains("latte art"),
            "{workshops}"
        );
        let decisions = visitor.api("GET", "/api/v1/decisions", None).json();
        assert_eq!(decisions[0]["basis"], "precedent", "{decisions}");
        assert!(visitor.get("/decisions").body.contains("molinillo"));
        // The official answer is there, and the megathread pages deep.
        let mut found_official = false;
        let mut after: Option<String> = None;
        loop {
            let path = match &after {
                Some(a) => format!("/api/v1/latest?after={a}"),
                None => "/api/v1/latest".to_string(),
            };
            let page = visitor.api("GET", &path, None).json();
            found_official |= page["threads"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["has_official_answer"] == true);
            match page["next_after"].as_str() {
                Some(a) => after = Some(a.to_string()),
                None => break,
            }
        }
        assert!(found_official);
        let mega = threads
            .iter()
            .find(|t| t["posts_count"].as_i64().unwrap() > 1_000)
            .unwrap();
        let deep = visitor.get(&format!("{}/1400", mega["url"].as_str().unwrap()));
        assert!(deep.body.contains("id=\"post-1400\""));
    }
}

mod the_demo_community_is_believable {
    #[test]
    fn sqlite() {
        super::demo_community(super::Backend::Sqlite);
    }
    #[test]
    fn postgres() {
        super::demo_community(super::Backend::Postgres);
    }
}
