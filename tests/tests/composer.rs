//! The composer through HTTP on both databases: drafts kept on the server (a reply's and a new
//! thread's, through the API and the pages' "Save draft" buttons, on a second device, removed
//! by sending), `@` suggestions (thread participants first, suspended members and invisible
//! threads left out, rate-limited), and `:shortcode:` emoji drawn by our own icons.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    admin, general_forum, member, moderator, private_category, reply, thread,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, TestApp, PASSWORD};

/// A second device of `username`: a new browser that logs in.
fn second_device(app: &TestApp, username: &str) -> Client {
    let phone = app.client();
    let login = phone.submit_form(
        "/login",
        "/login",
        &[("login", username), ("password", PASSWORD)],
    );
    assert_eq!(login.status, 303, "{}", login.body);
    phone
}

both_backends! {
    fn drafts_follow_the_member_until_the_post_is_sent(app) {
        let admin = general_forum(&app);
        let ana = member(&app, "ana");
        let bea = member(&app, "bea");
        let (id, url) = thread(&bea, "general", "question", "Which water for espresso?", "Tap or bottled?");
        let draft = format!("/api/v1/threads/{id}/draft");
        assert_eq!(ana.api("GET", &draft, None).status, 204, "no draft yet");
        let kept = ana.api("PUT", &draft, Some(json!({"body": "Soft water, about 50 ppm of"})));
        assert_eq!(kept.status, 200, "{}", kept.body);
        assert_eq!(kept.json()["body"], "Soft water, about 50 ppm of");
        // On another device the reply box holds it, saying so.
        let phone = second_device(&app, "ana");
        assert_eq!(phone.api("GET", &draft, None).json()["body"], "Soft water, about 50 ppm of");
        let page = phone.get(&url);
        assert!(page.body.contains(">Soft water, about 50 ppm of</textarea>"), "{}", page.body);
        assert!(page.body.contains("Your unsent draft is back."));
        // Nobody else sees it.
        assert!(!bea.get(&url).body.contains("Soft water"));
        assert_eq!(bea.api("GET", &draft, None).status, 204);
        // Sending the reply removes it.
        reply(&phone, id, "Soft water, about 50 ppm of calcium.");
        assert_eq!(ana.api("GET", &draft, None).status, 204);
        assert!(!ana.get(&url).body.contains("Your unsent draft is back."));
        // Without JavaScript: the "Save draft" button keeps it and comes back to the reply box.
        let saved = ana.submit_form(&url, &format!("/t/{id}/draft"), &[("body", "Also descale monthly")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert!(saved.location().unwrap().ends_with("?saved=1#reply"), "{:?}", saved.location());
        assert_eq!(ana.api("GET", &draft, None).json()["body"], "Also descale monthly");
        // Emptied: discarded. DELETE discards too.
        assert_eq!(ana.api("PUT", &draft, Some(json!({"body": "  "}))).status, 204);
        assert_eq!(ana.api("GET", &draft, None).status, 204);
        ana.api("PUT", &draft, Some(json!({"body": "again"})));
        assert_eq!(ana.api("DELETE", &draft, None).status, 204);
        assert_eq!(ana.api("GET", &draft, None).status, 204);

        // A new thread's draft keeps its title too, and the form opens with it.
        let kept = ana.api("PUT", "/api/v1/me/draft", Some(json!({"title": "Grinder squeaks", "body": "Since last week it"})));
        assert_eq!(kept.status, 200, "{}", kept.body);
        let form = phone.get("/new");
        assert!(form.body.contains("value=\"Grinder squeaks\"") && form.body.contains(">Since last week it</textarea>"), "{}", form.body);
        let saved = phone.submit_form("/new", "/new/draft", &[("category", "general"), ("kind", "question"), ("title", "Grinder squeaks loudly"), ("body", "Since last week it squeaks")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(ana.api("GET", "/api/v1/me/draft", None).json()["title"], "Grinder squeaks loudly");
        thread(&ana, "general", "question", "Grinder squeaks loudly", "Since last week it squeaks.");
        assert_eq!(ana.api("GET", "/api/v1/me/draft", None).status, 204, "sent: gone");

        // Bad input and wrong roles.
        let long = ana.api("PUT", &draft, Some(json!({"body": "x".repeat(32_001)})));
        assert_eq!(long.status, 422);
        assert!(!long.json()["error"]["fields"]["body"].as_str().unwrap().is_empty());
        assert_eq!(ana.api("PUT", "/api/v1/me/draft", Some(json!({"title": "t".repeat(151), "body": "x"}))).status, 422);
        assert_eq!(ana.send_raw("PUT", &draft, "application/json", "{not json").status, 422);
        assert_eq!(ana.api("PUT", "/api/v1/threads/999999/draft", Some(json!({"body": "x"}))).status, 404);
        let private = private_category(&admin, "vip", "VIP");
        let (secret, _) = thread(&admin, &private.slug, "discussion", "Roadmap next year", "Secret.");
        assert_eq!(ana.api("PUT", &format!("/api/v1/threads/{secret}/draft"), Some(json!({"body": "x"}))).status, 404, "a thread Ana may not see");
        let cast = Cast::new(&app);
        cast.expect("PUT /api/v1/threads/{id}/draft", &[(Anonymous, 401), (Member, 200), (Moderator, 200), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("PUT", &draft, Some(json!({"body": "a draft"}))));
        cast.expect("GET /api/v1/me/draft", &[(Anonymous, 401), (Member, 204), (Admin, 204)],
            |p| p.api("GET", "/api/v1/me/draft", None));
        assert_eq!(ana.post_form(&format!("/t/{id}/draft"), &[("body", "x")]).status, 403, "no CSRF token");
        let visitor = app.client().post_form(&format!("/t/{id}/draft"), &[("body", "x")]);
        assert!(matches!(visitor.status, 303 | 401), "{}", visitor.status);
    }

    fn at_suggests_members_who_may_be_mentioned(app) {
        let admin_person = general_forum(&app);
        let ana = member(&app, "ana");
        let anabel = member(&app, "anabel");
        let _andres = member(&app, "andres");
        let _anton = moderator(&app, "anton_mod");
        let (id, _) = thread(&anabel, "general", "question", "Milk frothing tips?", "Foam collapses.");
        reply(&ana, id, "Use cold milk.");
        // Participants first, then the others; any case; an @ before the letters is ignored.
        let found = ana.api("GET", &format!("/api/v1/mentions?q=@AN&thread={id}"), None);
        assert_eq!(found.status, 200, "{}", found.body);
        let names: Vec<String> = found.json().as_array().unwrap().iter().map(|m| m["username"].as_str().unwrap().to_string()).collect();
        assert_eq!(&names[..2], ["ana", "anabel"], "{names:?}");
        assert!(names.contains(&"andres".to_string()) && names.contains(&"anton_mod".to_string()));
        // An underscore is matched as itself, not as any letter.
        let exact: Vec<String> = ana.api("GET", "/api/v1/mentions?q=anton_", None).json().as_array().unwrap().iter().map(|m| m["username"].as_str().unwrap().to_string()).collect();
        assert_eq!(exact, ["anton_mod"]);
        assert!(ana.api("GET", "/api/v1/mentions?q=ana_", None).json().as_array().unwrap().is_empty(), "no ana_… (anabel does not match)");
        assert_eq!(found.json()[0]["in_thread"], true);
        // Only the thread's participants when nothing is typed yet.
        let participants = ana.api("GET", &format!("/api/v1/mentions?thread={id}"), None).json();
        assert_eq!(participants.as_array().unwrap().len(), 2);
        // Suspended members are not suggested.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            let until = chrono::Utc::now().naive_utc() + chrono::Duration::days(7);
            diesel::update(users::table.filter(users::username.eq("andres")))
                .set(users::suspended_until.eq(Some(until)))
                .execute(&mut app.db())
                .unwrap();
        }
        let names = ana.api("GET", "/api/v1/mentions?q=and", None).json();
        assert_eq!(names.as_array().unwrap().len(), 0, "{names}");
        // Bad input, invisible threads, visitors, and the rate limit.
        assert_eq!(ana.api("GET", "/api/v1/mentions?q=", None).status, 422);
        assert_eq!(ana.api("GET", "/api/v1/mentions?q=a%20b", None).json()["error"]["fields"]["q"], "Type the start of a username: up to 30 letters, digits, _, . or -.");
        assert_eq!(ana.api("GET", &format!("/api/v1/mentions?q={}", "a".repeat(31)), None).status, 422);
        assert_eq!(ana.api("GET", "/api/v1/mentions?q=a&thread=x", None).status, 422);
        let private = private_category(&admin_person, "vip", "VIP");
        let (secret, _) = thread(&admin_person, &private.slug, "discussion", "Roadmap next year", "Secret.");
        assert_eq!(ana.api("GET", &format!("/api/v1/mentions?q=a&thread={secret}"), None).status, 404);
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/mentions", &[(Anonymous, 401), (Member, 200), (Moderator, 200), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("GET", "/api/v1/mentions?q=an", None));
        let busy = admin(&app, "busy_admin");
        let statuses: Vec<u16> = (0..61).map(|_| busy.api("GET", "/api/v1/mentions?q=an", None).status).collect();
        assert_eq!(statuses[..60].iter().filter(|s| **s == 200).count(), 60);
        assert_eq!(statuses[60], 429);
    }

    fn shortcodes_show_our_own_icons(app) {
        let _admin = general_forum(&app);
        let ana = member(&app, "ana");
        let (_, url) = thread(&ana, "general", "discussion", "Morning routine", "First :coffee: then work :+1: (not in `:coffee:` code)");
        let page = app.client().get(&url);
        assert!(page.body.contains("<img class=\"emoji\" src=\"/static/emoji/coffee.svg\" alt=\":coffee:\""), "{}", page.body);
        assert!(page.body.contains("<code>:coffee:</code>"));
        let icon = app.client().get("/static/emoji/coffee.svg");
        assert_eq!(icon.status, 200);
        assert!(icon.header("content-type").unwrap().starts_with("image/svg+xml"));
        assert_eq!(app.client().get("/static/emoji/nope.svg").status, 404);
    }
}
