//! The transparency report on a known fixture, through HTTP on both databases: the figures,
//! small cells suppressed, the CSV and the page, and bad periods refused.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    community_manager, created, general_forum, member, moderator, reply, thread,
};
use tertulia_tests::{both_backends, json, Value};

fn figure<'a>(report: &'a Value, key: &str) -> &'a Value {
    report["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            format!(
                "{}.{}",
                f["section"].as_str().unwrap(),
                f["key"].as_str().unwrap()
            ) == key
        })
        .unwrap_or_else(|| panic!("no {key} in {report}"))
}

both_backends! {
    fn the_report_counts_suppresses_small_cells_and_exports(app) {
        let _admin = general_forum(&app);
        let manager = community_manager(&app, "marta");
        let rule = created(manager.api("POST", "/api/v1/rules", Some(json!({"title": "No spam", "body": "No ads."}))))["id"].as_i64().unwrap();
        let author = member(&app, "seller");
        let (id, _) = thread(&author, "general", "discussion", "Great deals on beans", "Look at this.");
        let posts: Vec<i64> = (0..7).map(|n| reply(&author, id, &format!("Offer number {n}"))["id"].as_i64().unwrap()).collect();
        // Six spam reports on six posts, two abusive ones on the seventh.
        for (n, post) in posts.iter().take(6).enumerate() {
            let reporter = member(&app, &format!("reporter{n}"));
            created(reporter.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post", "target_id": post,
                "reason": "spam", "text": "An ad."}))));
        }
        for n in 0..2 {
            let reporter = member(&app, &format!("upset{n}"));
            created(reporter.api("POST", "/api/v1/reports", Some(json!({"target_kind": "post", "target_id": posts[6],
                "reason": "abusive", "text": "Rude."}))));
        }
        let jorge = moderator(&app, "jorge");
        let _lucia = moderator(&app, "lucia");
        loop {
            let queue = created(jorge.api("GET", "/api/v1/review", None));
            let Some(item) = queue.as_array().unwrap().first().cloned() else { break };
            let body = if item["target_id"] == posts[6] {
                json!({"action": "keep", "explanation": "Blunt, not rude.", "version": item["version"]})
            } else {
                json!({"action": "hide", "rule_id": rule, "rule_version": 1, "explanation": "An ad.", "version": item["version"]})
            };
            created(jorge.api("POST", &format!("/api/v1/review/{}/decision", item["id"]), Some(body)));
        }
        let statement = created(author.api("GET", "/api/v1/me/statements", None))[0]["id"].as_i64().unwrap();
        created(author.api("POST", "/api/v1/appeals", Some(json!({"statement_id": statement, "text": "Not an ad."}))));
        // The report, for anyone, no login needed.
        let report = created(app.client().api("GET", "/api/v1/transparency", None));
        assert_eq!(figure(&report, "notices.total")["value"], 8.0);
        assert_eq!(figure(&report, "notices.reason.spam")["value"], 6.0);
        let abusive = figure(&report, "notices.reason.abusive");
        assert!(abusive["value"].is_null() && abusive["suppressed"] == true, "{abusive}");
        assert_eq!(figure(&report, "notices.reason.illegal")["value"], 0.0, "zero is not suppressed");
        assert_eq!(figure(&report, "notices.source.member")["value"], 8.0);
        assert!(figure(&report, "notices.median_time_to_decision")["value"].is_number());
        assert_eq!(figure(&report, "actions.measure.hide")["value"], 6.0);
        assert_eq!(figure(&report, "actions.basis.rule")["value"], 6.0);
        assert_eq!(figure(&report, "actions.basis.law")["not_tracked"], true);
        assert_eq!(figure(&report, "actions.source.report")["value"], 6.0);
        assert_eq!(figure(&report, "actions.automated_share")["value"], 0.0);
        assert_eq!(figure(&report, "appeals.total")["suppressed"], true, "one appeal");
        assert_eq!(figure(&report, "recipients.members_who_posted")["suppressed"], true, "one writer");
        let text = report.to_string();
        for name in ["seller", "reporter0", "jorge", "Offer number", "An ad."] {
            assert!(!text.contains(name), "personal data: {name}");
        }
        // The CSV and the page.
        let csv = app.client().get("/transparency.csv");
        assert_eq!(csv.status, 200);
        assert!(csv.header("Content-Type").unwrap().starts_with("text/csv"));
        assert!(csv.body.starts_with("section,key,value,unit,suppressed,not_tracked\n"), "{}", csv.body);
        assert!(csv.body.contains("notices,reason.spam,6,count,false,false\n"), "{}", csv.body);
        assert!(csv.body.contains("notices,reason.abusive,,count,true,false\n"), "{}", csv.body);
        let page = app.client().get("/transparency");
        assert_eq!(page.status, 200);
        assert!(page.body.contains("fewer than 5") && page.body.contains("reason.spam"), "{}", page.body);
        // Another period: nothing happened then.
        let old = created(app.client().api("GET", "/api/v1/transparency?from=2020-01-01&to=2020-12-31", None));
        assert_eq!(old["from"], "2020-01-01");
        assert_eq!(figure(&old, "notices.total")["value"], 0.0);
        // Bad periods.
        assert_eq!(app.client().api("GET", "/api/v1/transparency?from=yesterday", None).status, 422);
        assert_eq!(app.client().api("GET", "/api/v1/transparency?from=2021-01-02&to=2021-01-01", None).status, 422);
        assert_eq!(app.client().get("/transparency?to=2021-02-30").status, 422);
    }

    fn stage_deadlines_met_are_reported_per_stage(app) {
        let _admin = general_forum(&app);
        let marta = community_manager(&app, "marta");
        let ana = member(&app, "ana");
        let _bruno = member(&app, "bruno");
        let mut cases = vec![];
        for n in 0..5 {
            let case = created(ana.api("POST", "/api/v1/cases", Some(json!({"kind": "member_dispute", "respondent": "bruno",
                "summary": format!("Case {n}"), "desired_outcome": "Peace."}))))["case_id"].as_i64().unwrap();
            for to in ["mediation", "arbitration"] {
                created(marta.api("POST", &format!("/api/v1/cases/{case}/transition"), Some(json!({"to": to, "reason": "Next."}))));
            }
            cases.push(case);
        }
        {
            // The first case had spent 25 days in mediation; every arbitration is past its date.
            use diesel::prelude::*;
            use tertulia::db::schema::{case_arbitrations, case_events};
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(25);
            diesel::update(case_events::table.filter(case_events::case_id.eq(cases[0])).filter(case_events::to_state.eq(7_i16)))
                .set(case_events::created_at.eq(long_ago)).execute(&mut app.db()).unwrap();
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(case_arbitrations::table).set(case_arbitrations::decide_by.eq(past)).execute(&mut app.db()).unwrap();
        }
        let report = created(app.client().api("GET", "/api/v1/transparency", None));
        assert_eq!(figure(&report, "community.sla.acknowledgement")["value"], 1.0);
        assert_eq!(figure(&report, "community.sla.mediation")["value"], 0.8, "{report}");
        assert_eq!(figure(&report, "community.sla.arbitration")["value"], 0.0);
        assert_eq!(figure(&report, "community.cases.member_dispute")["value"], 5.0);
    }
}
