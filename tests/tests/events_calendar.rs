//! Events in calendars, through HTTP on both databases: `.ics` files and secret feeds read by a
//! real calendar parser (Python's icalendar): stable UIDs, SEQUENCE rising when a date moves,
//! STATUS:CANCELLED, times right across a daylight-saving change; moving and cancelling one
//! date of a recurrence without touching the others, each member told once on their own clock;
//! feeds revoked and private categories kept out; who may change an event.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration, Utc};
use tertulia_tests::fixtures::{
    add_to_group, community_manager, created, general_forum, in_hours, member, notification_kinds,
    private_category,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, ical, json, Client, Value};

fn event(host: &Client, extra: Value) -> i64 {
    let mut body = json!({
        "category": "general", "title": "Weekly Q&A", "body": "Ask us anything.",
        "starts_at": in_hours(48), "ends_at": in_hours(49), "time_zone": "UTC",
        "online_url": "https://meet.example.com/qa",
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    created(host.api("POST", "/api/v1/events", Some(body)))["id"]
        .as_i64()
        .unwrap()
}

fn rsvp(who: &Client, id: i64, occurrence: i64, status: &str) {
    created(who.api(
        "PUT",
        &format!("/api/v1/events/{id}/rsvp"),
        Some(json!({"status": status, "occurrence": occurrence})),
    ));
}

fn dates(who: &Client, id: i64) -> Vec<i64> {
    created(who.api("GET", &format!("/api/v1/events/{id}"), None))["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

both_backends! {
    fn a_recurring_event_moves_and_cancels_single_dates_and_calendars_follow(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        // Thursdays 19:00 in Madrid from 18 March 2038: summer time begins on 28 March.
        let id = event(&manager, json!({"starts_at": "2038-03-18T19:00", "ends_at": "2038-03-18T20:00",
            "time_zone": "Europe/Madrid", "recurrence": "weekly", "occurrences": 4}));
        let ids = dates(&manager, id);
        assert_eq!(ids.len(), 4);
        let (ana, bea) = (member(&app, "ana"), member(&app, "bea"));
        // Ana reads times on Bogotá's clock.
        let profile = ana.api("PATCH", "/api/v1/me", Some(json!({"display_name": "Ana", "time_zone": "America/Bogota"})));
        assert_eq!(profile.status, 200, "{}", profile.body);
        assert_eq!(ana.api("PATCH", "/api/v1/me", Some(json!({"display_name": "Ana", "time_zone": "Mars/Base"}))).status, 422);
        for date in &ids {
            rsvp(&ana, id, *date, "going");
        }
        rsvp(&bea, id, ids[1], "interested");
        let file = |who: &Client| {
            let got = who.get(&format!("/events/{id}.ics"));
            assert_eq!(got.status, 200, "{}", got.body);
            assert!(got.header("content-type").unwrap().starts_with("text/calendar"));
            got.body
        };
        let Some(before) = ical::parse(&file(&app.client()), "Europe/Madrid") else { return };
        let events = before["events"].as_array().unwrap();
        assert_eq!(events.len(), 4);
        assert!(events.iter().all(|e| e["start_in"].as_str().unwrap().ends_with("19:00")), "{before}");
        assert_eq!(events[0]["start"], "2038-03-18T18:00:00+00:00");
        assert_eq!(events[2]["start"], "2038-04-01T17:00:00+00:00", "summer time: one hour less in UTC");
        let bogota = ical::parse(&file(&app.client()), "America/Bogota").unwrap();
        assert_eq!(bogota["events"][0]["start_in"], "2038-03-18 13:00");
        assert!(!before.to_string().contains("meet.example.com/qa"), "no link for a visitor");
        // The page shows Ana's own clock.
        let page = ana.get(&format!("/events/{id}"));
        assert!(page.body.contains("2038-03-18 13:00 (America&#x2f;Bogota)"), "{}", page.body);
        // Move the second date to Friday 20:00 and cancel the third.
        let moved = created(manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/{}", ids[1]),
            Some(json!({"starts_at": "2038-03-26T20:00", "ends_at": "2038-03-26T21:00"}))));
        assert_eq!(moved["notified"], 2, "{moved}");
        assert_eq!(bea.api("POST", &format!("/api/v1/events/{id}/occurrences/{}/cancel", ids[2]), None).status, 403);
        assert_eq!(app.client().api("POST", &format!("/api/v1/events/{id}/occurrences/{}/cancel", ids[2]), None).status, 401);
        let cancelled = created(manager.api("POST", &format!("/api/v1/events/{id}/occurrences/{}/cancel", ids[2]), None));
        assert_eq!(cancelled["dates"], json!([ids[2]]));
        let after = ical::parse(&file(&app.client()), "Europe/Madrid").unwrap();
        let after = after["events"].as_array().unwrap();
        for (old, new) in events.iter().zip(after) {
            assert_eq!(old["uid"], new["uid"], "a date keeps its UID");
        }
        assert_eq!((after[0]["sequence"].as_i64(), after[0]["status"].as_str()), (Some(0), Some("CONFIRMED")));
        assert_eq!((after[1]["sequence"].as_i64(), after[1]["start_in"].as_str()), (Some(1), Some("2038-03-26 20:00")));
        assert_eq!((after[2]["sequence"].as_i64(), after[2]["status"].as_str()), (Some(1), Some("CANCELLED")));
        assert_eq!((after[3]["sequence"].as_i64(), after[3]["start_in"].as_str()), (Some(0), Some("2038-04-08 19:00")));
        // Each member told once per change, Ana on her clock (20:00 Madrid is 13:00 Bogotá).
        app.wait_for_jobs_idle();
        let ana_heard = notification_kinds(&ana);
        let moved_notes: Vec<_> = ana_heard.iter().filter(|(k, _)| k == "event_moved").collect();
        assert_eq!(moved_notes.len(), 1, "{ana_heard:?}");
        assert!(moved_notes[0].1.contains("2038-03-26 14:00 America/Bogota"), "{ana_heard:?}");
        assert_eq!(ana_heard.iter().filter(|(k, _)| k == "event_cancelled").count(), 1);
        let bea_heard = notification_kinds(&bea);
        assert!(bea_heard.iter().any(|(k, t)| k == "event_moved" && t.contains("2038-03-26 20:00 Europe/Madrid")), "{bea_heard:?}");
        assert!(!bea_heard.iter().any(|(k, _)| k == "event_cancelled"), "Bea did not answer for the third date");
        assert!(app.mails_to("ana@example.com").iter().any(|s| s.contains("Weekly Q&A")));
        // A cancelled date takes no answers and no more changes.
        let refused = bea.api("PUT", &format!("/api/v1/events/{id}/rsvp"), Some(json!({"status": "going", "occurrence": ids[2]})));
        assert_eq!(refused.json()["error"]["code"], "rsvp_closed");
        let refused = manager.api("POST", &format!("/api/v1/events/{id}/occurrences/{}/cancel", ids[2]), None);
        assert_eq!(refused.json()["error"]["code"], "event_cancelled");
        // Every coming date an hour later: the unmoved ones move, each member told once.
        let before_notes = notification_kinds(&ana).iter().filter(|(k, _)| k == "event_moved").count();
        assert_eq!(bea.api("PUT", &format!("/api/v1/events/{id}/schedule"), Some(json!({"start_time": "20:00", "end_time": "21:00"}))).status, 403);
        assert_eq!(manager.api("PUT", &format!("/api/v1/events/{id}/schedule"), Some(json!({"start_time": "8pm", "end_time": "21:00"}))).status, 422);
        let later = created(manager.api("PUT", &format!("/api/v1/events/{id}/schedule"), Some(json!({"start_time": "20:00", "end_time": "21:00"}))));
        assert_eq!(later["dates"].as_array().unwrap().len(), 2, "the first and the fourth (the second was moved, the third cancelled): {later}");
        let rescheduled = ical::parse(&file(&app.client()), "Europe/Madrid").unwrap();
        let rescheduled = rescheduled["events"].as_array().unwrap();
        assert_eq!(rescheduled[0]["start_in"], "2038-03-18 20:00");
        assert_eq!(rescheduled[1]["start_in"], "2038-03-26 20:00");
        assert_eq!((rescheduled[3]["start_in"].as_str(), rescheduled[3]["sequence"].as_i64()), (Some("2038-04-08 20:00"), Some(1)));
        app.wait_for_jobs_idle();
        assert_eq!(notification_kinds(&ana).iter().filter(|(k, _)| k == "event_moved").count(), before_notes + 1);
        // Cancelling the whole event.
        let all = created(manager.api("POST", &format!("/api/v1/events/{id}/cancel"), None));
        assert_eq!(all["dates"].as_array().unwrap().len(), 3);
        let last = ical::parse(&file(&app.client()), "UTC").unwrap();
        assert!(last["events"].as_array().unwrap().iter().all(|e| e["status"] == "CANCELLED"));
    }

    fn only_those_who_run_an_event_change_it(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        let hugo = member(&app, "hugo");
        let id = event(&manager, json!({"hosts": "carmen, hugo"}));
        let date = dates(&manager, id)[0];
        let cast = Cast::new(&app);
        let body = json!({"starts_at": in_hours(72), "ends_at": in_hours(73)});
        cast.expect("PUT /api/v1/events/{id}/occurrences/{date}", &[(Anonymous, 401), (Member, 403), (Moderator, 403),
            (CommunityManager, 200), (Admin, 200)],
            |p| p.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}"), Some(body.clone())));
        assert_eq!(hugo.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}"), Some(body.clone())).status, 200, "a host may");
        let bad = manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}"), Some(json!({"starts_at": in_hours(72), "ends_at": in_hours(71)})));
        assert_eq!(bad.status, 422);
        assert_eq!(manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/999999"), Some(body.clone())).status, 422);
        cast.expect("POST /api/v1/events/{id}/cancel", &[(Anonymous, 401), (Member, 403), (Moderator, 403)],
            |p| p.api("POST", &format!("/api/v1/events/{id}/cancel"), None));
        // The page's forms, as the host uses them.
        let page = hugo.get(&format!("/events/{id}"));
        assert!(page.body.contains("Cancel the event"), "{}", page.body);
        let moved = hugo.submit_form(&format!("/events/{id}"), &format!("/events/{id}/dates/{date}/move"),
            &[("starts_at", "2039-01-10T10:00"), ("ends_at", "2039-01-10T11:00")]);
        assert_eq!(moved.status, 303, "{}", moved.body);
        assert!(app.client().get(&format!("/events/{id}")).body.contains("2039-01-10 10:00"));
        let done = hugo.submit_form(&format!("/events/{id}"), &format!("/events/{id}/cancel"), &[]);
        assert_eq!(done.status, 303);
        assert!(app.client().get(&format!("/events/{id}")).body.contains("Cancelled"));
        assert!(!member(&app, "zoe").get(&format!("/events/{id}")).body.contains("Cancel the event"));
    }

    fn feeds_follow_answers_and_permissions_until_revoked(app) {
        let admin = general_forum(&app);
        let private = private_category(&admin, "baristas", "Baristas");
        let manager = community_manager(&app, "carmen");
        let open_event = event(&manager, json!({"title": "Open cupping"}));
        let soon = event(&manager, json!({"title": "Starting now", "starts_at": in_hours(0), "ends_at": in_hours(2)}));
        let secret = event(&manager, json!({"title": "Pro barista meetup", "category": "baristas"}));
        let ana = member(&app, "ana");
        add_to_group(&admin, private.group_id, "ana");
        for id in [open_event, soon, secret] {
            rsvp(&ana, id, dates(&ana, id)[0], "going");
        }
        let made = created(ana.api("POST", "/api/v1/me/calendar-feeds", Some(json!({}))));
        let url = made["url"].as_str().unwrap().to_string();
        assert!(url.contains("/calendar/cal_") && url.ends_with(".ics"), "{made}");
        let path = &url[url.find("/calendar/").unwrap()..];
        let visitor = app.client();
        let fetched = visitor.get(path);
        assert_eq!(fetched.status, 200);
        let Some(feed) = ical::parse(&fetched.body, "UTC") else { return };
        let titles: Vec<&str> = feed["events"].as_array().unwrap().iter().map(|e| e["summary"].as_str().unwrap()).collect();
        assert_eq!(titles.len(), 3, "{feed}");
        assert!(titles.contains(&"Pro barista meetup"));
        // The meeting link only for the date that starts within 15 minutes.
        let with_link: Vec<&str> = feed["events"].as_array().unwrap().iter()
            .filter(|e| e["description"].as_str().unwrap().contains("meet.example.com/qa"))
            .map(|e| e["summary"].as_str().unwrap()).collect();
        assert_eq!(with_link, ["Starting now"]);
        // A category feed; the private category drops out when Ana leaves its group.
        let category_feed = created(ana.api("POST", "/api/v1/me/calendar-feeds", Some(json!({"category": "baristas"}))));
        let category_path = {
            let u = category_feed["url"].as_str().unwrap();
            u[u.find("/calendar/").unwrap()..].to_string()
        };
        let listed = ical::parse(&visitor.get(&category_path).body, "UTC").unwrap();
        assert_eq!(listed["events"].as_array().unwrap().len(), 1);
        tertulia_tests::fixtures::remove_from_group(&admin, private.group_id, "ana");
        assert_eq!(visitor.get(&category_path).status, 404);
        let personal = ical::parse(&visitor.get(path).body, "UTC").unwrap();
        assert_eq!(personal["events"].as_array().unwrap().len(), 2, "the private event is gone from the personal feed too");
        // Listing and revoking.
        let feeds = created(ana.api("GET", "/api/v1/me/calendar-feeds", None));
        assert_eq!(feeds.as_array().unwrap().len(), 2);
        assert!(!feeds.to_string().contains("cal_"), "tokens are not kept: {feeds}");
        let bea = member(&app, "bea");
        assert_eq!(bea.api("DELETE", &format!("/api/v1/me/calendar-feeds/{}", made["id"]), None).status, 404);
        assert_eq!(ana.api("DELETE", &format!("/api/v1/me/calendar-feeds/{}", made["id"]), None).status, 204);
        assert_eq!(visitor.get(path).status, 404);
        assert_eq!(visitor.get("/calendar/cal_nonsense.ics").status, 404);
        assert_eq!(ana.api("POST", "/api/v1/me/calendar-feeds", Some(json!({"category": "nowhere"}))).status, 422);
        assert_eq!(visitor.api("POST", "/api/v1/me/calendar-feeds", Some(json!({}))).status, 401);
        // The page: create (the URL shown once) and revoke.
        let page = ana.submit_form("/me/calendar", "/me/calendar", &[("category", "")]);
        assert_eq!(page.status, 200);
        // (Pages escape the slashes.)
        assert!(page.body.contains("&#x2f;calendar&#x2f;cal_"), "{}", page.body);
        assert!(!ana.get("/me/calendar").body.contains("cal_"));
        assert_eq!(app.client().get("/me/calendar").status, 303);
        // An event file for a private event is as unknown as a missing one.
        assert_eq!(bea.get(&format!("/events/{secret}.ics")).status, 404);
        assert_eq!(bea.get("/events/abc.ics").status, 404);
    }
}

both_backends! {
    fn reminders_arrive_once_each_even_from_a_restarted_worker(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        // Starts in an hour; the answers come first, then time passes.
        let soon = event(&manager, json!({"title": "Espresso clinic", "starts_at": in_hours(1), "ends_at": in_hours(2)}));
        let (ana, bea, cris) = (member(&app, "ana"), member(&app, "bea"), member(&app, "cris"));
        let date = dates(&ana, soon)[0];
        rsvp(&ana, soon, date, "going");
        rsvp(&bea, soon, date, "interested");
        rsvp(&cris, soon, date, "not_going");
        // Dani wants no reminders.
        let dani = member(&app, "dani");
        assert_eq!(created(dani.api("PUT", "/api/v1/me/event-reminders", Some(json!({"minutes": []}))))["minutes"], json!([]));
        rsvp(&dani, soon, date, "going");
        assert_eq!(created(ana.api("GET", "/api/v1/me/event-reminders", None))["minutes"], json!([1440, 15]));
        assert_eq!(ana.api("PUT", "/api/v1/me/event-reminders", Some(json!({"minutes": [0]}))).status, 422);
        assert_eq!(ana.api("PUT", "/api/v1/me/event-reminders", Some(json!({"minutes": [1, 2, 3, 4, 5, 6]}))).status, 422);
        // Fifty minutes later it starts in ten: the 15-minute reminder is due, the day-before
        // one is past. The sweep (every minute) runs in the worker, then again in a second
        // worker started afresh.
        app.advance_clock(Duration::minutes(50));
        let sweep = || {
            app.advance_clock(Duration::seconds(61));
            app.wait_for_jobs_idle();
        };
        sweep();
        let restarted = tertulia::build_context(app.config.clone()).unwrap();
        {
            let _at = app.clock().enter();
            assert_eq!(tertulia::calendar::reminders::sweep(&mut app.db(), &restarted).unwrap(), 0, "nothing twice");
        }
        sweep();
        app.wait_for_jobs_idle();
        let count = |who: &Client| notification_kinds(who).iter().filter(|(k, _)| k == "event_reminder").count();
        assert_eq!((count(&ana), count(&bea), count(&cris), count(&dani)), (1, 1, 0, 0));
        assert!(app.mails_to("ana@example.com").iter().any(|s| s.starts_with("Reminder: Espresso clinic")), "{:?}", app.mails_to("ana@example.com"));
        // The page form sets them as text.
        let saved = ana.submit_form("/me/calendar", "/me/calendar/reminders", &[("minutes", "60, 10")]);
        assert_eq!(saved.status, 303, "{}", saved.body);
        assert_eq!(created(ana.api("GET", "/api/v1/me/event-reminders", None))["minutes"], json!([60, 10]));
        assert_eq!(app.client().api("GET", "/api/v1/me/event-reminders", None).status, 401);
        assert_eq!(app.client().api("PUT", "/api/v1/me/event-reminders", Some(json!({"minutes": [60]}))).status, 401);
    }
}

both_backends! {
    fn hosts_check_attendees_in_and_export_the_list(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "carmen");
        // Started an hour ago, ends in an hour; two places.
        let id = event(&manager, json!({"title": "Repair clinic", "starts_at": in_hours(-1), "ends_at": in_hours(1), "capacity": 2}));
        {
            use diesel::prelude::*;
            use tertulia::db::schema::event_occurrences;
            // Answers were taken before it began: open them again for the test's members.
            let at = Utc::now().naive_utc() + Duration::minutes(5);
            diesel::update(event_occurrences::table.filter(event_occurrences::event_id.eq(id)))
                .set(event_occurrences::starts_at.eq(at)).execute(&mut app.db()).unwrap();
        }
        let (ana, bea, cris, dani) = (member(&app, "ana"), member(&app, "bea"), member(&app, "cris"), member(&app, "dani"));
        let date = dates(&ana, id)[0];
        rsvp(&ana, id, date, "going");
        rsvp(&bea, id, date, "going");
        rsvp(&cris, id, date, "going");
        rsvp(&dani, id, date, "interested");
        let cast = Cast::new(&app);
        cast.expect("GET /api/v1/events/{id}/attendees", &[(Anonymous, 401), (Member, 403), (Moderator, 403),
            (CommunityManager, 200), (Admin, 200)], |p| p.api("GET", &format!("/api/v1/events/{id}/attendees"), None));
        cast.expect("GET /events/{id}/attendees.csv", &[(Anonymous, 303), (Member, 403), (CommunityManager, 200)],
            |p| p.get(&format!("/events/{id}/attendees.csv")));
        let seen = created(manager.api("GET", &format!("/api/v1/events/{id}/attendees"), None));
        assert_eq!((seen["going"].as_i64(), seen["waitlisted"].as_i64(), seen["interested"].as_i64(), seen["attended"].as_i64()),
            (Some(2), Some(1), Some(1), Some(0)), "{seen}");
        assert!(seen["no_show"].is_null(), "no no-shows before the end");
        let order: Vec<&str> = seen["attendees"].as_array().unwrap().iter().map(|a| a["username"].as_str().unwrap()).collect();
        assert_eq!(order, ["ana", "bea", "cris", "dani"], "going, then the waitlist, then interested");
        let code = seen["code"].as_str().unwrap().to_string();
        assert_eq!(code.len(), 6);
        // Ana types the code (any case); a wrong code and a member not going are refused.
        let wrong = ana.api("POST", &format!("/api/v1/events/{id}/check-in"), Some(json!({"code": "NOPE00"})));
        assert_eq!((wrong.status, wrong.json()["error"]["fields"]["code"].is_string()), (422, true));
        assert_eq!(ana.api("POST", &format!("/api/v1/events/{id}/check-in"), Some(json!({"code": code.to_lowercase()}))).status, 204);
        assert_eq!(cris.api("POST", &format!("/api/v1/events/{id}/check-in"), Some(json!({"code": code}))).status, 422, "waiting, not going");
        // The host ticks Bea off the list on the page, then unticks and ticks her again.
        let page = manager.get(&format!("/events/{id}/attendees"));
        assert!(page.body.contains(&code), "{}", page.body);
        let tick = |attended: bool| {
            let mut fields = vec![("username", "bea")];
            if attended { fields.push(("attended", "on")); }
            let done = manager.submit_form(&format!("/events/{id}/attendees"), &format!("/events/{id}/dates/{date}/attendance"), &fields);
            assert_eq!(done.status, 303, "{}", done.body);
        };
        tick(true);
        tick(false);
        tick(true);
        assert_eq!(manager.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}/attendance"), Some(json!({"username": "nobody", "attended": true}))).status, 422);
        assert_eq!(ana.api("PUT", &format!("/api/v1/events/{id}/occurrences/{date}/attendance"), Some(json!({"username": "bea", "attended": true}))).status, 403);
        let seen = created(manager.api("GET", &format!("/api/v1/events/{id}/attendees"), None));
        assert_eq!(seen["attended"], 2);
        assert!(ana.get(&format!("/events/{id}")).body.contains("You are checked in."));
        // The CSV, read as CSV; a display name that looks like a formula is defused.
        {
            use diesel::prelude::*;
            use tertulia::db::schema::users;
            diesel::update(users::table.filter(users::username.eq("dani")))
                .set(users::display_name.eq("=HYPERLINK(\"http://evil\")")).execute(&mut app.db()).unwrap();
        }
        let csv = manager.get(&format!("/events/{id}/attendees.csv"));
        assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
        let lines: Vec<&str> = csv.body.lines().collect();
        assert_eq!(lines[0], "username,display_name,status,answered_at,checked_in_at");
        assert_eq!(lines.len(), 5, "{}", csv.body);
        assert!(lines[1].starts_with("ana,ana,going,") && !lines[1].ends_with(','), "{}", csv.body);
        assert!(lines[4].starts_with("dani,\"'=HYPERLINK(\"\"http://evil\"\")\",interested,"), "{}", csv.body);
        // After the end: no-shows (Bea and Ana came; nobody else was going).
        {
            use diesel::prelude::*;
            use tertulia::db::schema::event_occurrences;
            let past = Utc::now().naive_utc() - Duration::minutes(1);
            diesel::update(event_occurrences::table.filter(event_occurrences::event_id.eq(id)))
                .set((event_occurrences::starts_at.eq(past - Duration::hours(2)), event_occurrences::ends_at.eq(past)))
                .execute(&mut app.db()).unwrap();
        }
        let seen = created(manager.api("GET", &format!("/api/v1/events/{id}/attendees"), None));
        assert_eq!(seen["no_show"], 0);
    }
}
