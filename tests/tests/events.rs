//! Events through HTTP on both databases: creating them (community managers only, every bad
//! field refused with its own message), recurrence in the event's time zone across a
//! daylight-saving change, RSVPs with capacity and a waitlist that promotes in order (with an
//! in-app notification and an e-mail), 500 members answering at once, the online link's
//! reveal rules, private categories, and the pages' forms.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use chrono::Duration;
use tertulia_tests::fixtures::{
    add_to_group, community_manager, created, general_forum, in_hours, member, notification_kinds,
    private_category,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, Client, Value};

/// Creates an event in `general` (UTC) from `extra` fields; returns its id.
fn event(host: &Client, extra: Value) -> i64 {
    let mut body = json!({
        "category": "general",
        "title": "Latte art workshop",
        "body": "Bring your own **milk jug**.",
        "starts_at": in_hours(48),
        "ends_at": in_hours(50),
        "time_zone": "UTC",
        "online_url": "https://meet.example.com/latte",
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let made = created(host.api("POST", "/api/v1/events", Some(body)));
    assert_eq!(made["url"], format!("/events/{}", made["id"]));
    made["id"].as_i64().unwrap()
}

fn rsvp(who: &Client, id: i64, status: &str) -> Value {
    created(who.api(
        "PUT",
        &format!("/api/v1/events/{id}/rsvp"),
        Some(json!({ "status": status })),
    ))
}

both_backends! {
    fn only_community_managers_create_and_bad_fields_are_refused(app) {
        let _admin = general_forum(&app);
        let cast = Cast::new(&app);
        let body = json!({"category": "general", "title": "Cupping session", "starts_at": in_hours(24),
            "ends_at": in_hours(25), "time_zone": "Europe/Madrid", "location": "Tienda Centro, Calle Mayor 1"});
        cast.expect("POST /api/v1/events", &[(Anonymous, 401), (Unverified, 403), (Member, 403),
            (Moderator, 403), (CommunityManager, 201), (Admin, 201)],
            |p| p.api("POST", "/api/v1/events", Some(body.clone())));
        cast.expect("GET /events/new", &[(Anonymous, 303), (Member, 403), (Moderator, 403),
            (CommunityManager, 200), (Admin, 200)], |p| p.get("/events/new"));
        cast.expect("GET /events", &[(Anonymous, 200), (Member, 200)], |p| p.get("/events"));
        let manager = community_manager(&app, "carmen");
        let bad = |field: &str, value: Value, expected: &str| {
            let mut sent = body.clone();
            sent[field] = value;
            let refused = manager.api("POST", "/api/v1/events", Some(sent));
            assert_eq!(refused.status, 422, "{field}: {}", refused.body);
            let answer = refused.json();
            assert!(answer["error"]["fields"][expected].is_string(), "{field} → {expected}: {answer}");
        };
        bad("time_zone", json!("Mars/Olympus"), "time_zone");
        bad("ends_at", json!(in_hours(23)), "ends_at");
        bad("starts_at", json!("tomorrow at seven"), "starts_at");
        bad("starts_at", json!("+262142-12-31T23:59"), "starts_at");
        bad("recurrence", json!("FREQ=SOMETIMES"), "recurrence");
        bad("capacity", json!(0), "capacity");
        bad("location", json!(""), "location");
        bad("online_url", json!("javascript:alert(1)"), "online_url");
        bad("category", json!("nowhere"), "category");
        bad("title", json!("x"), "title");
        bad("hosts", json!("nobody_by_that_name"), "hosts");
        bad("rsvp_deadline", json!(in_hours(30)), "rsvp_deadline");
        // Through the page's form, as the community manager fills it in.
        let made = manager.submit_form("/events/new", "/events", &[("title", "Barista Q&A"),
            ("category", "general"), ("body", "Ask the roasters."), ("starts_at", &in_hours(72)),
            ("ends_at", &in_hours(73)), ("time_zone", "Europe/Madrid"),
            ("online_url", "https://meet.example.com/qa"), ("location", ""), ("capacity", ""),
            ("recurrence", ""), ("occurrences", ""), ("rsvp_deadline", ""), ("hosts", "carmen")]);
        assert_eq!(made.status, 303, "{}", made.body);
        let page = app.client().get(made.header("location").unwrap());
        assert_eq!(page.status, 200);
        assert!(page.body.contains("Barista Q&amp;A") && page.body.contains("Hosted by carmen"), "{}", page.body);
        let listed = app.client().get("/events");
        assert!(listed.body.contains("Barista Q&amp;A"), "{}", listed.body);
    }

    fn the_waitlist_promotes_in_order_and_tells_the_member(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let id = event(&manager, json!({"capacity": 2}));
        let (ana, bea, cris, dani) = (member(&app, "ana"), member(&app, "bea"), member(&app, "cris"), member(&app, "dani"));
        assert_eq!(rsvp(&ana, id, "going")["status"], "going");
        assert_eq!(rsvp(&bea, id, "going")["status"], "going");
        let waiting = rsvp(&cris, id, "going");
        assert_eq!(waiting["status"], "waitlisted", "{waiting}");
        assert_eq!(waiting["waitlist_position"], 1);
        assert_eq!(rsvp(&dani, id, "going")["waitlist_position"], 2);
        // Answering going again keeps one's turn.
        assert_eq!(rsvp(&cris, id, "going")["waitlist_position"], 1);
        assert_eq!(rsvp(&dani, id, "interested")["status"], "interested");
        assert_eq!(rsvp(&dani, id, "going")["waitlist_position"], 2, "back at the end of the queue");
        let seen = created(cris.api("GET", &format!("/api/v1/events/{id}"), None));
        assert_eq!((seen["going"].as_i64(), seen["waitlisted"].as_i64(), seen["capacity"].as_i64()), (Some(2), Some(2), Some(2)));
        assert_eq!(seen["my_rsvp"], "waitlisted");
        // Ana withdraws: Cris, first in line, gets her place and is told; Dani moves up.
        let left = created(ana.api("DELETE", &format!("/api/v1/events/{id}/rsvp"), None));
        assert_eq!((left["status"].is_null(), left["going"].as_i64(), left["waitlisted"].as_i64()), (true, Some(2), Some(1)), "{left}");
        assert_eq!(created(cris.api("GET", &format!("/api/v1/events/{id}"), None))["my_rsvp"], "going");
        let dani_sees = created(dani.api("GET", &format!("/api/v1/events/{id}"), None));
        assert_eq!(dani_sees["next"]["waitlist_position"], 1);
        app.wait_for_jobs_idle();
        assert!(notification_kinds(&cris).iter().any(|(k, _)| k == "event_place"), "{:?}", notification_kinds(&cris));
        assert!(!notification_kinds(&dani).iter().any(|(k, _)| k == "event_place"));
        assert!(app.mails_to("cris@example.com").iter().any(|s| s.contains("Latte art workshop")), "{:?}", app.mails_to("cris@example.com"));
        // Bea says she is not going after all: Dani is promoted; no one twice.
        rsvp(&bea, id, "not_going");
        let after = created(dani.api("GET", &format!("/api/v1/events/{id}"), None));
        assert_eq!((after["my_rsvp"].as_str(), after["going"].as_i64(), after["waitlisted"].as_i64()), (Some("going"), Some(2), Some(0)));
        app.wait_for_jobs_idle();
        assert_eq!(notification_kinds(&cris).iter().filter(|(k, _)| k == "event_place").count(), 1);
        // Bad answers.
        let refused = ana.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "waitlisted"})));
        assert_eq!(refused.status, 422, "{}", refused.body);
        let refused = ana.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going", "occurrence": 999999})));
        assert_eq!(refused.status, 422);
        assert_eq!(ana.api("PUT", "/api/v1/events/999999/rsvp", Some(json!({"status": "going"}))).status, 404);
        assert_eq!(app.client().api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going"}))).status, 401);
        assert_eq!(app.client().api("DELETE", &format!("/api/v1/events/{id}/rsvp"), None).status, 401);
        assert_eq!(app.client().api("POST", &format!("/api/v1/events/{id}/check-in"), Some(json!({"code": "ABCDEF"}))).status, 401);
        // The page's buttons do the same.
        let eva = member(&app, "eva");
        let page = eva.get(&format!("/events/{id}"));
        assert!(page.body.contains("Full: new answers join the waitlist"), "{}", page.body);
        let answered = eva.submit_form(&format!("/events/{id}"), &format!("/events/{id}/rsvp"), &[("status", "going")]);
        assert_eq!(answered.status, 303, "{}", answered.body);
        let page = eva.get(&format!("/events/{id}"));
        assert!(page.body.contains("You are on the waitlist.") && page.body.contains("Your place in it: 1."), "{}", page.body);
        // Eva2 and Fede wait (behind Eva); two more places promote Eva and Eva2, in order.
        let (eva2, fede) = (member(&app, "eva2"), member(&app, "fede"));
        assert_eq!(rsvp(&eva2, id, "going")["waitlist_position"], 2);
        assert_eq!(rsvp(&fede, id, "going")["waitlist_position"], 3);
        let edit = json!({"title": "Latte art workshop", "body": "Bring your own **milk jug**.",
            "online_url": "https://meet.example.com/latte", "capacity": 4, "hosts": "carmen"});
        assert_eq!(ana.api("PUT", &format!("/api/v1/events/{id}"), Some(edit.clone())).status, 403);
        let mut bad = edit.clone();
        bad["capacity"] = json!(-1);
        assert_eq!(manager.api("PUT", &format!("/api/v1/events/{id}"), Some(bad)).status, 422);
        assert_eq!(manager.api("PUT", &format!("/api/v1/events/{id}"), Some(edit)).status, 204);
        assert_eq!(created(eva2.api("GET", &format!("/api/v1/events/{id}"), None))["my_rsvp"], "going");
        assert_eq!(created(fede.api("GET", &format!("/api/v1/events/{id}"), None))["next"]["waitlist_position"], 1);
        let form = manager.get(&format!("/events/{id}/edit"));
        assert!(form.body.contains("value=\"4\""), "{}", form.body);
        let saved = manager.submit_form(&format!("/events/{id}/edit"), &format!("/events/{id}/edit"), &[("title", "Latte art workshop"),
            ("body", "New text"), ("online_url", "https://meet.example.com/latte"), ("location", ""), ("capacity", ""), ("hosts", "carmen")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(created(fede.api("GET", &format!("/api/v1/events/{id}"), None))["my_rsvp"], "going", "no limit: everyone in");
    }

    fn answers_close_with_the_deadline(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        // Starts in 2 hours; answers closed 3 hours before the start.
        let id = event(&manager, json!({"starts_at": in_hours(2), "ends_at": in_hours(3), "rsvp_deadline": in_hours(-1)}));
        let ana = member(&app, "ana");
        let refused = ana.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going"})));
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert_eq!(refused.json()["error"]["code"], "rsvp_closed");
    }

    fn the_online_link_shows_only_to_those_going_from_fifteen_minutes_before(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let soon = event(&manager, json!({"starts_at": in_hours(0), "ends_at": in_hours(2), "title": "Starting now"}));
        let later = event(&manager, json!({"title": "Next week"}));
        let (going, curious) = (member(&app, "ana"), member(&app, "bea"));
        for id in [soon, later] {
            rsvp(&going, id, "going");
            rsvp(&curious, id, "interested");
        }
        // (Pages escape the slashes.)
        let link = "meet.example.com";
        let shown = |who: &Client, id: i64| {
            let api = who.api("GET", &format!("/api/v1/events/{id}"), None).body;
            let page = who.get(&format!("/events/{id}")).body;
            (api.contains(link), page.contains(link))
        };
        assert_eq!(shown(&going, soon), (true, true));
        assert_eq!(shown(&curious, soon), (false, false));
        assert_eq!(shown(&app.client(), soon), (false, false));
        assert_eq!(shown(&going, later), (false, false), "not before 15 minutes ahead");
        assert_eq!(shown(&manager, soon), (true, true), "hosts see it");
        let listed = app.client().api("GET", "/api/v1/events", None).body;
        assert!(!listed.contains(link));
    }

    fn a_weekly_event_keeps_its_local_time_across_daylight_saving(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        // Thursdays at 19:00 in Madrid from 19 March 2037: summer time begins on 29 March.
        let id = event(&manager, json!({"title": "Weekly Q&A", "starts_at": "2037-03-19T19:00", "ends_at": "2037-03-19T20:00",
            "time_zone": "Europe/Madrid", "recurrence": "weekly", "occurrences": 3}));
        let seen = created(app.client().api("GET", &format!("/api/v1/events/{id}"), None));
        let dates = seen["dates"].as_array().unwrap();
        let starts: Vec<(&str, &str)> = dates.iter().map(|d| (d["local_start"].as_str().unwrap(), d["starts_at"].as_str().unwrap())).collect();
        assert_eq!(starts.len(), 3);
        assert_eq!(starts[0].0, "2037-03-19 19:00");
        assert!(starts[0].1.starts_with("2037-03-19T18:00:00"), "{starts:?}");
        assert_eq!(starts[2].0, "2037-04-02 19:00");
        assert!(starts[2].1.starts_with("2037-04-02T17:00:00"), "{starts:?}");
        // Each date takes its own answers.
        let ana = member(&app, "ana");
        let third = dates[2]["id"].as_i64().unwrap();
        let answered = created(ana.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going", "occurrence": third}))));
        assert_eq!(answered["occurrence"], third);
        let seen = created(ana.api("GET", &format!("/api/v1/events/{id}"), None));
        assert!(seen["my_rsvp"].is_null(), "the next date has no answer: {seen}");
        assert_eq!(seen["dates"][2]["my_rsvp"], "going");
        // A monthly event on the second Tuesday.
        let monthly = event(&manager, json!({"title": "Repair clinic", "starts_at": "2037-12-08T18:00", "ends_at": "2037-12-08T19:00",
            "time_zone": "Europe/Madrid", "recurrence": "monthly", "occurrences": 2}));
        let seen = created(app.client().api("GET", &format!("/api/v1/events/{monthly}"), None));
        assert_eq!(seen["dates"][1]["local_start"], "2038-01-12 18:00");
        assert_eq!(seen["recurrence"], "FREQ=MONTHLY;BYDAY=+2TU");
    }

    fn events_in_a_private_category_are_invisible_to_outsiders(app) {
        let admin = general_forum(&app);
        let private = private_category(&admin, "baristas", "Baristas");
        let manager = community_manager(&app, "carmen");
        let id = event(&manager, json!({"category": "baristas", "title": "Pro barista meetup"}));
        let (insider, outsider) = (member(&app, "ana"), member(&app, "bea"));
        add_to_group(&admin, private.group_id, "ana");
        assert_eq!(outsider.api("GET", &format!("/api/v1/events/{id}"), None).status, 404);
        assert_eq!(outsider.get(&format!("/events/{id}")).status, 404);
        assert_eq!(outsider.get(&format!("/events/{id}/live")).status, 404, "no live stream either");
        assert_eq!(outsider.api("GET", &format!("/api/v1/events/{id}/questions"), None).status, 404);
        assert_eq!(app.client().get(&format!("/events/{id}")).status, 404);
        assert_eq!(outsider.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going"}))).status, 404);
        assert!(!outsider.api("GET", "/api/v1/events", None).body.contains("Pro barista meetup"));
        assert!(!outsider.get("/events").body.contains("Pro barista meetup"));
        assert_eq!(created(insider.api("GET", &format!("/api/v1/events/{id}"), None))["title"], "Pro barista meetup");
        assert!(insider.api("GET", "/api/v1/events?category=baristas", None).body.contains("Pro barista meetup"));
        assert_eq!(outsider.api("GET", "/api/v1/events?category=baristas", None).status, 422);
        // Ana answers; the date moves; she is told. Once she leaves the group, the notice is gone
        // from her list and cannot be opened.
        let date = created(insider.api("GET", &format!("/api/v1/events/{id}"), None))["dates"][0]["id"].as_i64().unwrap();
        created(insider.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going"}))));
        created(manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}"), Some(json!({"starts_at": in_hours(50), "ends_at": in_hours(51)}))));
        app.wait_for_jobs_idle();
        let listed = created(insider.api("GET", "/api/v1/notifications", None)).to_string();
        assert!(listed.contains("Pro barista meetup"), "{listed}");
        let note = created(insider.api("GET", "/api/v1/notifications", None));
        let note_id = note["notifications"].as_array().or(note.as_array()).unwrap()[0]["id"].as_i64().unwrap();
        tertulia_tests::fixtures::remove_from_group(&admin, private.group_id, "ana");
        assert!(!created(insider.api("GET", "/api/v1/notifications", None)).to_string().contains("Pro barista meetup"));
        assert_eq!(insider.api("POST", &format!("/api/v1/notifications/{note_id}/read"), None).status, 404);
        add_to_group(&admin, private.group_id, "ana");
        // The month calendar shows the date on its day; a bad month is refused.
        let day = chrono::Utc::now() + Duration::hours(48);
        let month = insider.get(&format!("/events?view=month&month={}", day.format("%Y-%m")));
        assert_eq!(month.status, 200);
        assert!(month.body.contains("id=\"month-calendar\"") && month.body.contains("Pro barista meetup"), "{}", month.body);
        assert!(!outsider.get(&format!("/events?view=month&month={}", day.format("%Y-%m"))).body.contains("Pro barista meetup"));
        assert_eq!(insider.api("GET", "/api/v1/events?month=2026-13", None).status, 422);
        let in_month = created(insider.api("GET", &format!("/api/v1/events?month={}", day.format("%Y-%m")), None));
        assert!(in_month.to_string().contains("Pro barista meetup"));
        // Filters.
        assert_eq!(insider.api("GET", "/api/v1/events?from=yesterday", None).status, 422);
        assert_eq!(insider.api("GET", "/api/v1/events?to=+262142-12-31", None).status, 422, "no date past the calendar's end");
        assert_eq!(insider.api("GET", "/api/v1/events?format=hybrid", None).status, 422);
        assert!(!insider.api("GET", "/api/v1/events?format=in_person", None).body.contains("Pro barista meetup"));
    }

    fn five_hundred_answers_at_once_fill_two_hundred_places_in_order(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let id = event(&manager, json!({"capacity": 200}));
        let people: Vec<Client> = (0..500).map(|i| app.logged_in(&format!("fan{i}"), tertulia::accounts::model::Role::Member)).collect();
        let people = Arc::new(people);
        let start = Arc::new(Barrier::new(50));
        let handles: Vec<_> = (0..50)
            .map(|t| {
                let (people, start) = (people.clone(), start.clone());
                std::thread::spawn(move || {
                    // A fresh connection for each (the server closes idle ones while the
                    // others log in).
                    for k in 0..10 {
                        assert_eq!(people[t * 10 + k].get("/healthz").status, 200);
                    }
                    start.wait();
                    (0..10).map(|k| {
                        let i = t * 10 + k;
                        (i, rsvp(&people[i], id, "going"))
                    }).collect::<Vec<_>>()
                })
            })
            .collect();
        let answers: Vec<(usize, Value)> = handles.into_iter().flat_map(|h| h.join().unwrap()).collect();
        let going = answers.iter().filter(|(_, a)| a["status"] == "going").count();
        let mut positions: Vec<i64> = answers.iter().filter(|(_, a)| a["status"] == "waitlisted")
            .map(|(_, a)| a["waitlist_position"].as_i64().unwrap()).collect();
        positions.sort();
        assert_eq!(going, 200);
        assert_eq!(positions, (1..=300).collect::<Vec<_>>(), "each waiting member got their own turn, in the order they arrived");
        let seen = created(manager.api("GET", &format!("/api/v1/events/{id}"), None));
        assert_eq!((seen["going"].as_i64(), seen["waitlisted"].as_i64()), (Some(200), Some(300)));
        // Three places free up: the first three in the queue get them, in order, once.
        let first_in_line: Vec<usize> = {
            let mut queue: Vec<(i64, usize)> = answers.iter().filter(|(_, a)| a["status"] == "waitlisted")
                .map(|(i, a)| (a["waitlist_position"].as_i64().unwrap(), *i)).collect();
            queue.sort();
            queue.iter().take(4).map(|(_, i)| *i).collect()
        };
        let leaving: Vec<usize> = answers.iter().filter(|(_, a)| a["status"] == "going").take(3).map(|(i, _)| *i).collect();
        for i in &leaving {
            created(people[*i].api("DELETE", &format!("/api/v1/events/{id}/rsvp"), None));
        }
        for (n, i) in first_in_line.iter().enumerate() {
            let mine = created(people[*i].api("GET", &format!("/api/v1/events/{id}"), None));
            if n < 3 {
                assert_eq!(mine["my_rsvp"], "going", "place {n}");
            } else {
                assert_eq!(mine["next"]["waitlist_position"], 1, "the fourth is next");
            }
        }
        let seen = created(manager.api("GET", &format!("/api/v1/events/{id}"), None));
        assert_eq!((seen["going"].as_i64(), seen["waitlisted"].as_i64()), (Some(200), Some(297)));
    }
}
