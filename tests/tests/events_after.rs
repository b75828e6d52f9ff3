//! After an event and who may organise, through HTTP on both databases: the follow-up tells
//! those who went once; the answered questions become a forum thread once; members the
//! community manager allows in a category create and run events there and nowhere else.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use tertulia_tests::fixtures::{
    community_manager, created, general_forum, in_hours, member, notification_kinds,
    public_category,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Value};

fn body(category: &str, starts: i64) -> Value {
    json!({"category": category, "title": "Grinder workshop", "body": "Bring beans.",
        "starts_at": in_hours(starts), "ends_at": in_hours(starts + 1), "time_zone": "UTC",
        "location": "Tienda Aurora"})
}

both_backends! {
    fn the_follow_up_tells_those_who_went_once_and_questions_become_a_thread(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let id = created(manager.api("POST", "/api/v1/events", Some(body("general", 1))))["id"].as_i64().unwrap();
        let (ana, bea, cris) = (member(&app, "ana"), member(&app, "bea"), member(&app, "cris"));
        for (who, status) in [(&ana, "going"), (&bea, "interested")] {
            created(who.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": status}))));
        }
        let q1 = created(ana.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "Which burr size?"}))))["id"].as_i64().unwrap();
        created(cris.api("POST", &format!("/api/v1/events/{id}/questions"), Some(json!({"text": "Is it **loud**?"}))));
        // Not before it begins.
        let early = manager.api("POST", &format!("/api/v1/events/{id}/follow-up"), Some(json!({"body": "Recording: https://video.example.com/1"})));
        assert_eq!(early.status, 422, "{}", early.body);
        {
            use diesel::prelude::*;
            use tertulia::db::schema::event_occurrences;
            let began = Utc::now().naive_utc() - Duration::minutes(30);
            diesel::update(event_occurrences::table.filter(event_occurrences::event_id.eq(id)))
                .set(event_occurrences::starts_at.eq(began)).execute(&mut app.db()).unwrap();
        }
        let cast = Cast::new(&app);
        cast.expect("POST /api/v1/events/{id}/follow-up", &[(Anonymous, 401), (Member, 403), (Moderator, 403)],
            |p| p.api("POST", &format!("/api/v1/events/{id}/follow-up"), Some(json!({"body": "Slides"}))));
        let published = created(manager.api("POST", &format!("/api/v1/events/{id}/follow-up"), Some(json!({"body": "Recording: https://video.example.com/1"}))));
        assert_eq!(published["notified"], 1, "only Ana was going");
        let again = created(manager.api("POST", &format!("/api/v1/events/{id}/follow-up"), Some(json!({"body": "Recording: https://video.example.com/1\n\nSlides: https://slides.example.com/1"}))));
        assert_eq!(again["notified"], 0, "an edit tells nobody again");
        app.wait_for_jobs_idle();
        assert_eq!((notification_kinds(&ana).iter().filter(|(k, _)| k == "event_follow_up").count(), notification_kinds(&bea).iter().filter(|(k, _)| k == "event_follow_up").count()), (1, 0));
        let page = bea.get(&format!("/events/{id}"));
        assert!(page.body.contains("slides.example.com"), "{}", page.body);
        // The questions' thread: only once one is answered, then once.
        assert_eq!(manager.api("POST", &format!("/api/v1/events/{id}/questions-thread"), None).status, 422);
        assert_eq!(manager.api("POST", &format!("/api/v1/events/{id}/questions/{q1}/state"), Some(json!({"state": "answered"}))).status, 204);
        cast.expect("POST /api/v1/events/{id}/questions-thread", &[(Anonymous, 401), (Member, 403)],
            |p| p.api("POST", &format!("/api/v1/events/{id}/questions-thread"), None));
        let thread = created(manager.api("POST", &format!("/api/v1/events/{id}/questions-thread"), None));
        let same = created(manager.api("POST", &format!("/api/v1/events/{id}/questions-thread"), None));
        assert_eq!(thread["id"], same["id"]);
        let url = thread["url"].as_str().unwrap();
        let shown = app.client().get(url);
        assert_eq!(shown.status, 200);
        assert!(shown.body.contains("Q&amp;A: Grinder workshop") && shown.body.contains("Which burr size?"), "{}", shown.body);
        assert!(!shown.body.contains("loud"), "only answered questions");
        assert!(app.client().get(&format!("/events/{id}")).body.contains("The answered questions, in the forum"));
    }

    fn members_allowed_in_a_category_organise_there_only(app) {
        let admin = general_forum(&app);
        public_category(&admin, "talleres");
        let manager = community_manager(&app, "carmen");
        let lucia = member(&app, "lucia");
        assert_eq!(lucia.api("POST", "/api/v1/events", Some(body("talleres", 24))).status, 403);
        assert_eq!(lucia.get("/events/new").status, 403);
        let cast = Cast::new(&app);
        cast.expect("PUT /api/v1/events/organizers", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 200), (Admin, 200)],
            |p| p.api("PUT", "/api/v1/events/organizers", Some(json!({"category": "talleres", "usernames": ""}))));
        assert_eq!(manager.api("PUT", "/api/v1/events/organizers", Some(json!({"category": "talleres", "usernames": "lucia, nobody"}))).status, 422);
        let set = created(manager.api("PUT", "/api/v1/events/organizers", Some(json!({"category": "talleres", "usernames": "@lucia"}))));
        assert_eq!(set["usernames"], json!(["lucia"]));
        let listed = created(manager.api("GET", "/api/v1/events/organizers", None));
        assert!(listed.as_array().unwrap().iter().any(|o| o["category"] == "talleres" && o["usernames"] == json!(["lucia"])));
        // Lucía creates there, and runs her event; not in another category.
        let id = created(lucia.api("POST", "/api/v1/events", Some(body("talleres", 24))))["id"].as_i64().unwrap();
        let refused = lucia.api("POST", "/api/v1/events", Some(body("general", 24)));
        assert_eq!(refused.status, 422, "{}", refused.body);
        let date = created(lucia.api("GET", &format!("/api/v1/events/{id}"), None))["dates"][0]["id"].as_i64().unwrap();
        assert_eq!(lucia.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}"), Some(json!({"starts_at": in_hours(30), "ends_at": in_hours(31)}))).status, 200);
        let new_page = lucia.get("/events/new");
        assert!(new_page.body.contains("value=\"talleres\"") && !new_page.body.contains("value=\"general\""), "{}", new_page.body);
        // The page form, as the community manager uses it.
        let page = manager.get("/events/organizers");
        assert!(page.body.contains("talleres"));
        let saved = manager.submit_form("/events/organizers", "/events/organizers", &[("category", "talleres"), ("usernames", "")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(lucia.api("POST", "/api/v1/events", Some(body("talleres", 24))).status, 403);
    }
}
