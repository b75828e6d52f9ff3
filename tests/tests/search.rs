//! Search through HTTP on both databases (the database engine): words in Spanish and English
//! find their other forms with or without accents; title matches rank first; results never
//! include what the reader may not see (a private category, hidden, deleted or held posts);
//! within a thread and a member's posts; paging; bad queries refused with clear codes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    add_to_group, community_manager, created, general_forum, in_hours, member, post_ids,
    private_category, reply, thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{json, search_engines, Client, TestApp, Value};

/// Searches once every change is in the index (at once on the database engine; after the
/// outbox worker on Meilisearch).
fn search(app: &TestApp, who: &Client, query: &str) -> Value {
    app.wait_for_search_index();
    created(who.api("GET", &format!("/api/v1/search?{query}"), None))
}

fn titles(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect()
}

fn set_state(app: &TestApp, post: i64, state: i16) {
    use diesel::prelude::*;
    use tertulia::db::schema::posts;
    diesel::update(posts::table.filter(posts::id.eq(post)))
        .set(posts::state.eq(state))
        .execute(&mut app.db())
        .unwrap();
}

search_engines! {
    fn words_find_their_forms_in_both_languages_titles_first(app) {
        let _admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (descale, _) = thread(&ana, "general", "question", "Cómo descalcificar la cafetera", "Uso vinagre; ¿es buena idea?");
        reply(&ana, descale, "The grinders I tested all jam after a descalcificación with vinegar.");
        thread(&ana, "general", "discussion", "Mi café favorito", "Un tueste medio de Colombia.");
        let (grinders, _) = thread(&ana, "general", "discussion", "Comparativa de molinos", "Probé tres molinos manuales.");
        let visitor = app.client();
        // Spanish forms and accents.
        let found = search(&app, &visitor, "q=descalcificaci%C3%B3n");
        assert_eq!(found["total"], 2, "{found}");
        assert_eq!(found["hits"][0]["kind"], "thread", "the title ranks first: {found}");
        assert_eq!(found["hits"][0]["title"], "Cómo descalcificar la cafetera");
        assert_eq!(found["engine"], if app.config.search_url.is_some() { "meilisearch" } else { "database" });
        assert_eq!(found["fallback"], false);
        assert_eq!(titles(&search(&app, &visitor, "q=cafe")), ["Mi café favorito"]);
        assert_eq!(titles(&search(&app, &visitor, "q=molino")), ["Comparativa de molinos"]);
        // English forms, with the match marked in the snippet.
        let found = search(&app, &visitor, "q=grinder");
        assert_eq!(found["hits"][0]["kind"], "post");
        assert_eq!(found["hits"][0]["post_number"], 2);
        assert!(found["hits"][0]["snippet"].as_str().unwrap().contains("<mark>grinders</mark>"), "{found}");
        assert!(found["hits"][0]["url"].as_str().unwrap().ends_with("#post-2"));
        // Several words: every one must match.
        assert_eq!(search(&app, &visitor, "q=molinos+manuales")["total"], 1);
        assert_eq!(search(&app, &visitor, "q=molinos+vinagre")["total"], 0);
        // Within one thread, and one member's posts.
        assert_eq!(search(&app, &visitor, &format!("q=molinos&thread={descale}"))["total"], 0);
        assert_eq!(search(&app, &visitor, &format!("q=molinos&thread={grinders}"))["total"], 1);
        assert_eq!(search(&app, &visitor, "q=molinos&author=ana")["total"], 1);
        // An edit is searchable at once.
        let first = post_ids(&ana, grinders)[0];
        created(ana.api("PATCH", &format!("/api/v1/posts/{first}"), Some(json!({"body": "Probé tres molinillos eléctricos."}))));
        assert_eq!(search(&app, &visitor, "q=el%C3%A9ctrico")["total"], 1);
        // The page, from the header's box on every page.
        assert!(visitor.get("/").body.contains("action=\"/search\""));
        let page = visitor.get("/search?q=molinos");
        assert!(page.status == 200 && page.body.contains("Comparativa de molinos") && page.body.contains("<mark>"), "{}", page.body);
        assert_eq!(visitor.get("/search").status, 200, "the bare form");
    }

    fn results_never_show_what_the_reader_may_not_see(app) {
        let admin = general_forum(&app);
        let staff = private_category(&admin, "staff", "baristas");
        let ana = member(&app, "ana");
        let insider = member(&app, "insider");
        add_to_group(&admin, staff.group_id, "insider");
        thread(&insider, "staff", "discussion", "Molino secreto", "El prototipo del molino nuevo.");
        let (public, _) = thread(&ana, "general", "discussion", "Molino en venta", "Vendo mi molino.");
        let hidden = reply(&ana, public, "Otro molino escondido.")["id"].as_i64().unwrap();
        let deleted = reply(&ana, public, "Un molino borrado.")["id"].as_i64().unwrap();
        let held = reply(&ana, public, "Un molino retenido.")["id"].as_i64().unwrap();
        set_state(&app, hidden, 1);
        set_state(&app, deleted, 2);
        set_state(&app, held, 3);
        let visitor = app.client();
        for who in [&visitor, &ana.client] {
            let found = search(&app, who, "q=molino");
            assert_eq!((found["total"].clone(), titles(&found)), (json!(1), vec!["Molino en venta".to_string()]), "{found}");
        }
        let inside = search(&app, &insider, "q=molino");
        assert_eq!(inside["total"], 2, "{inside}");
        assert!(titles(&inside).contains(&"Molino secreto".to_string()));
        // Paging: more posts than a page.
        for n in 0..22 {
            reply(&ana, public, &format!("Molino número {n}."));
        }
        let first = search(&app, &ana, "q=molino");
        assert_eq!((first["total"].clone(), first["hits"].as_array().unwrap().len()), (json!(23), 20));
        let next = first["next_cursor"].as_str().unwrap().to_string();
        let second = search(&app, &ana, &format!("q=molino&cursor={next}"));
        assert_eq!((second["hits"].as_array().unwrap().len(), second["next_cursor"].clone()), (3, Value::Null));
        // The page pages too, keeping the filters, and offers to leave the thread.
        let page = ana.get(&format!("/search?q=molino&thread={public}&sort=newest"));
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains(&format!("thread={public}")) && page.body.contains("cursor=20") && page.body.contains("sort=newest"), "{}", page.body);
        assert!(page.body.contains("href=\"/search?q=molino\""), "search everywhere: {}", page.body);
    }

    fn bad_queries_are_refused_with_clear_codes(app) {
        let _admin = general_forum(&app);
        let visitor = app.client();
        let empty = visitor.api("GET", "/api/v1/search?q=+", None);
        assert_eq!((empty.status, empty.error_code().as_str()), (422, "query_empty"));
        let long = visitor.api("GET", &format!("/api/v1/search?q={}", "a".repeat(201)), None);
        assert_eq!((long.status, long.error_code().as_str()), (422, "query_too_long"));
        let cursor = visitor.api("GET", "/api/v1/search?q=molino&cursor=-3", None);
        assert_eq!((cursor.status, cursor.error_code().as_str()), (422, "invalid_cursor"));
        assert_eq!(visitor.api("GET", "/api/v1/search?q=molino&author=nobody", None).status, 422);
        assert_eq!(search(&app, &visitor, "q=%D9%8B%D9%8C")["total"], 0, "combining marks alone: nothing, not a 500");
        let stop = search(&app, &visitor, "q=de+la+the");
        assert_eq!((stop["total"].clone(), stop["hits"].clone()), (json!(0), json!([])), "only stop words: nothing, not an error");
        assert_eq!(visitor.get("/search?q=+").status, 200, "the bare form");
    }

    fn filters_facets_and_sorting_narrow_the_results(app) {
        let admin = general_forum(&app);
        tertulia_tests::fixtures::public_category(&admin, "help");
        let ana = member(&app, "ana");
        let bruno = member(&app, "bruno");
        let (question, _) = thread(&ana, "help", "question", "El molino no muele", "Mi molino se atasca.");
        let answer = reply(&bruno, question, "Limpia el molino con arroz.")["id"].as_i64().unwrap();
        created(ana.api("POST", &format!("/api/v1/posts/{answer}/accept"), None));
        thread(&bruno, "general", "discussion", "Mi molino favorito", "Un molino de mano.");
        let visitor = app.client();
        let all = search(&app, &visitor, "q=molino");
        assert_eq!(all["total"], 3, "{all}");
        assert_eq!(all["facets"]["category"], json!({"general": 1, "help": 2}));
        assert_eq!(all["facets"]["kind"], json!({"discussion": 1, "question": 2}));
        assert_eq!(all["facets"]["solved"], json!({"solved": 2, "unsolved": 1}));
        assert_eq!(search(&app, &visitor, "q=molino&category=help")["total"], 2);
        assert_eq!(titles(&search(&app, &visitor, "q=molino&kind=discussion")), ["Mi molino favorito"]);
        let solved = search(&app, &visitor, "q=molino&solved=true");
        assert!(solved["hits"].as_array().unwrap().iter().all(|h| h["solved"] == true), "{solved}");
        assert_eq!(search(&app, &visitor, "q=molino&solved=false")["total"], 1);
        assert_eq!(search(&app, &visitor, "q=molino&official=true")["total"], 0);
        assert_eq!(search(&app, &visitor, "q=molino&from=2999-01-01")["total"], 0);
        assert_eq!(search(&app, &visitor, "q=molino&from=2000-01-01&to=2999-12-31")["total"], 3);
        let newest = search(&app, &visitor, "q=molino&sort=newest");
        assert_eq!(newest["hits"][0]["title"], "Mi molino favorito", "{newest}");
        for (bad, field) in [("category=nope", "category"), ("kind=poem", "kind"), ("solved=maybe", "solved"),
            ("from=yesterday", "from"), ("from=2026-02-01&to=2026-01-01", "to"), ("sort=random", "sort"),
            ("from=0000-01-01", "from"), ("to=%2B10000-01-01", "to")] {
            let r = visitor.api("GET", &format!("/api/v1/search?q=molino&{bad}"), None);
            assert!(r.json()["error"]["fields"][field].is_string(), "{bad}: {}", r.body);
        }
        // The page keeps the filters, with the counts.
        let page = visitor.get("/search?q=molino&category=help&sort=newest");
        assert!(page.body.contains("<option value=\"help\" selected>") && page.body.contains("(2)"), "{}", page.body);
    }

    fn similar_threads_show_while_writing_a_title_solved_first(app) {
        let admin = general_forum(&app);
        let staff = private_category(&admin, "staff", "baristas");
        let ana = member(&app, "ana");
        let bruno = member(&app, "bruno");
        thread(&bruno, "general", "question", "Molino ruidoso", "Hace mucho ruido.");
        let (solved, _) = thread(&ana, "general", "question", "El molino no muele", "Se atasca.");
        let answer = reply(&bruno, solved, "Límpialo con arroz.")["id"].as_i64().unwrap();
        created(ana.api("POST", &format!("/api/v1/posts/{answer}/accept"), None));
        thread(&ana, "general", "discussion", "Café frío", "Cold brew.");
        let insider = member(&app, "insider");
        add_to_group(&admin, staff.group_id, "insider");
        thread(&insider, "staff", "discussion", "Molino prototipo", "Secreto.");
        app.wait_for_search_index();
        let found = created(bruno.api("GET", "/api/v1/search/similar?title=Mi%20molino%20se%20atasca", None));
        let titles: Vec<&str> = found.as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap()).collect();
        assert_eq!(titles, ["El molino no muele", "Molino ruidoso"], "solved first, nothing private: {found}");
        assert_eq!(found[0]["solved"], true);
        assert_eq!(created(bruno.api("GET", "/api/v1/search/similar?title=", None)), json!([]));
        let long = bruno.api("GET", &format!("/api/v1/search/similar?title={}", "a".repeat(201)), None);
        assert_eq!(long.error_code(), "query_too_long");
        // Without JavaScript: the form's check button posts it back with the list, keeping the
        // text and creating nothing.
        let page = bruno.submit_form("/new", "/new", &[("category", "general"), ("kind", "question"), ("title", "molino"),
            ("body", "Mi texto"), ("check", "1")]);
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains("El molino no muele") && page.body.contains("Mi texto") && !page.body.contains("Molino prototipo"), "{}", page.body);
        assert_eq!(search(&app, &bruno, "q=texto")["total"], 0, "nothing was created");
        // A title that cannot be searched leaves the form usable.
        assert_eq!(bruno.get(&format!("/new?title={}", "a".repeat(201))).status, 200);
        let marks = bruno.api("GET", "/api/v1/search/similar?title=%D9%8B", None);
        assert_eq!((marks.status, marks.body.trim()), (200, "[]"), "marks alone find nothing, without an error");
        assert!(bruno.get("/new").body.contains("data-similar=\"similar\""));
    }

    fn a_word_in_thousands_of_posts_is_ranked_within_the_newest_window(app) {
        use diesel::prelude::*;
        use tertulia::db::schema::posts;
        let _admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (id, _) = thread(&ana, "general", "discussion", "Molinos, molinos", "El primer molino.");
        let author = tertulia_tests::fixtures::user_id(&app, "ana");
        let now = chrono::Utc::now().naive_utc();
        let many: Vec<_> = (2..2_060)
            .map(|n| (posts::thread_id.eq(id), posts::number.eq(n), posts::author_id.eq(author),
                posts::raw.eq(format!("Otro molino, el {n}.")), posts::cooked.eq(format!("<p>Otro molino, el {n}.</p>")),
                posts::created_at.eq(now + chrono::Duration::seconds(i64::from(n)))))
            .collect();
        let mut conn = app.db();
        conn.transaction(|conn| {
            for row in many {
                diesel::insert_into(posts::table).values(row).execute(conn)?;
            }
            diesel::QueryResult::Ok(())
        }).unwrap();
        tertulia::search::index::reindex(&mut conn, |_| {}).unwrap();
        let visitor = app.client();
        let found = search(&app, &visitor, "q=molino");
        if app.config.search_url.is_some() {
            assert_eq!((found["total"].clone(), found["capped"].clone()), (json!(2_059), json!(false)), "Meilisearch counts all");
        } else {
            assert_eq!((found["total"].clone(), found["capped"].clone()), (json!(2_000), json!(true)), "{found}");
            // The newest 2,000 matches are posts 60 to 2,059 (the thread's first post, older,
            // is outside the window).
            let numbers: Vec<i64> = found["hits"].as_array().unwrap().iter().map(|h| h["post_number"].as_i64().unwrap()).collect();
            assert!(numbers.iter().all(|n| *n >= 60), "{numbers:?}");
            if app.backend == tertulia_tests::Backend::Sqlite {
                assert_eq!(numbers[0], 2_059, "newest first past the window on SQLite: {numbers:?}");
            }
            assert!(visitor.get("/search?q=molino").body.contains("More than 2000 posts match"));
        }
        let newest = search(&app, &visitor, "q=molino&sort=newest");
        assert_eq!(newest["hits"][0]["post_number"], 2_059);
    }

    fn events_are_found_beside_posts_and_alone_within_what_the_reader_may_see(app) {
        let admin = general_forum(&app);
        let staff = private_category(&admin, "staff", "baristas");
        let manager = community_manager(&app, "marta");
        add_to_group(&admin, staff.group_id, "marta");
        let ana = member(&app, "ana");
        thread(&ana, "general", "discussion", "Mi molino nuevo", "Lo estrené ayer.");
        let event = |category: &str, title: &str, body: &str| {
            created(manager.api("POST", "/api/v1/events", Some(json!({
                "category": category, "title": title, "body": body,
                "starts_at": in_hours(48), "ends_at": in_hours(50), "time_zone": "UTC",
                "online_url": "https://meet.example.com/x",
            }))))["id"].as_i64().unwrap()
        };
        let clinic = event("general", "Clínica de molinos", "Trae tu molinillo y lo ajustamos juntos.");
        event("general", "Cata de cafés", "Probamos tres orígenes; hablaremos de molinos al final.");
        event("staff", "Molinos: formación interna", "Solo para el equipo.");
        // Beside the posts, on the first page: folded and stemmed like posts, title matches first.
        let found = search(&app, &ana, "q=molinos");
        let events: Vec<&str> = found["events"].as_array().unwrap().iter().map(|e| e["title"].as_str().unwrap()).collect();
        assert_eq!(events, ["Clínica de molinos", "Cata de cafés"], "the private one is left out: {found}");
        assert_eq!(titles(&found), ["Mi molino nuevo"]);
        assert_eq!(found["facets"]["kind"]["event"], 2, "{found}");
        assert_eq!(found["events"][0]["url"], format!("/events/{clinic}"));
        assert!(found["events"][0]["snippet"].as_str().unwrap().contains("<mark>"), "{found}");
        // Alone, with kind=event; narrowing to what only posts have leaves them out.
        // (Not "molinillo": with Meilisearch, the built-in synonyms make it a "molino".)
        let only = search(&app, &ana, "q=ajustamos&kind=event");
        assert_eq!((only["total"].clone(), only["hits"].as_array().unwrap().len(), only["events"].as_array().unwrap().len()), (json!(1), 0, 1), "{only}");
        assert!(search(&app, &ana, "q=molinos&solved=false")["events"].as_array().unwrap().is_empty());
        // An edited event is found by its new words; the page shows it.
        let edit = manager.api("PUT", &format!("/api/v1/events/{clinic}"), Some(json!({
            "title": "Clínica de reparación", "body": "Arreglamos cafeteras de espresso.",
            "online_url": "https://meet.example.com/x",
        })));
        assert_eq!(edit.status, 204, "{}", edit.body);
        let edited = search(&app, &ana, "q=cafetera&kind=event");
        assert_eq!(edited["events"][0]["title"], "Clínica de reparación", "{edited}");
        let page = ana.get("/search?q=cafeteras");
        assert!(page.body.contains(&format!("href=\"&#x2f;events&#x2f;{clinic}\">Clínica de reparación</a>")), "{}", page.body);
        let insider = search(&app, &manager, "q=molinos&kind=event");
        assert_eq!(insider["total"], 2, "marta sees the staff room's event: {insider}");
    }

    fn anyone_may_search(app) {
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/search", &[(Anonymous, 200), (Member, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/search?q=molino", None));
        cast.expect("GET /search", &[(Anonymous, 200), (Member, 200)], |p| p.get("/search?q=molino"));
        cast.expect("GET /api/v1/search/similar", &[(Anonymous, 200), (Member, 200)],
            |p| p.api("GET", "/api/v1/search/similar?title=molino", None));
    }
}
