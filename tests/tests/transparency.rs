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
}
