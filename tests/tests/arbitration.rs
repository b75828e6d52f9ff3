//! A dispute's later stages through HTTP on both databases: settlement in mediation, then
//! arbitration with its evidence period, a draft decision the parties comment on, the final
//! decision with findings of fact citing evidence; one review per side within 30 days (to the
//! fallback arbiter when one is configured), the fallback arbiter offered against the brand,
//! publication on consent or as a precedent, and one reminder per deadline.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia_tests::fixtures::{
    admin, brand_staff, community_manager, created, decide_dispute, elapse, general_forum,
    hidden_answer, member, moderator, Person,
};
use tertulia_tests::roles::*;
use tertulia_tests::{both_backends, json, TestApp, Value};

struct Dispute {
    marta: Person,
    ana: Person,
    bruno: Person,
    case: i64,
}

/// Ana's dispute with Bruno, in mediation with Marta as ombudsman.
fn in_mediation(app: &TestApp) -> Dispute {
    let _admin = general_forum(app);
    let marta = community_manager(app, "marta");
    let ana = member(app, "ana");
    let bruno = member(app, "bruno");
    let case = created(ana.api(
        "POST",
        "/api/v1/cases",
        Some(json!({"kind": "member_dispute", "respondent": "bruno",
        "summary": "He mocks my latte art.", "desired_outcome": "An apology."})),
    ))["case_id"]
        .as_i64()
        .unwrap();
    created(marta.api(
        "POST",
        &format!("/api/v1/cases/{case}/transition"),
        Some(json!({"to": "mediation", "reason": "Talk first."})),
    ));
    Dispute {
        marta,
        ana,
        bruno,
        case,
    }
}

fn case_of(who: &tertulia_tests::Client, case: i64) -> Value {
    created(who.api("GET", &format!("/api/v1/cases/{case}"), None))
}

fn case_notices(who: &tertulia_tests::Client, case: i64) -> usize {
    let notes = created(who.api("GET", "/api/v1/notifications", None));
    notes
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["url"] == format!("/cases/{case}"))
        .count()
}

both_backends! {
    fn both_sides_accept_terms_and_the_case_is_settled(app) {
        let d = in_mediation(&app);
        let terms = |who: &tertulia_tests::Client, body: Value| who.api("POST", &format!("/api/v1/cases/{}/terms", d.case), Some(body));
        let accept = |who: &tertulia_tests::Client| {
            let version = case_of(who, d.case)["version"].clone();
            who.api("POST", &format!("/api/v1/cases/{}/terms/accept", d.case), Some(json!({"version": version})))
        };
        // Nothing to accept yet; bad terms are refused by field; outsiders find nothing.
        assert_eq!(accept(&d.ana).error_code(), "wrong_stage");
        let bad = terms(&d.marta, json!({"text": "x", "remedies": [{"kind": "cake", "description": "x", "owner": "bruno", "due_days": 3}]}));
        assert!(bad.json()["error"]["fields"]["remedies.0.kind"].is_string(), "{}", bad.body);
        assert_eq!(terms(&d.marta, json!({"text": " "})).status, 422);
        assert_eq!(terms(&member(&app, "outsider"), json!({"text": "x"})).status, 404);
        created(terms(&d.marta, json!({"text": "Bruno apologises in the thread; both keep it civil.",
            "remedies": [{"kind": "apology", "description": "A public apology in the thread.", "owner": "bruno", "due_days": 7}]})));
        // The ombudsman proposes; only the parties accept, each for their side.
        assert_eq!(accept(&d.marta).error_code(), "not_allowed");
        let stale = d.ana.api("POST", &format!("/api/v1/cases/{}/terms/accept", d.case), Some(json!({"version": 1})));
        assert_eq!(stale.error_code(), "stale_version", "terms proposed since are not accepted unseen");
        assert_eq!(created(accept(&d.ana))["state"], "mediation");
        let seen = case_of(&d.bruno, d.case);
        assert_eq!((seen["complainant_accepted"].clone(), seen["respondent_accepted"].clone(), seen["can_accept_terms"].clone()), (json!(true), json!(false), json!(true)));
        assert_eq!(seen["terms"]["proposed_by"], "marta");
        assert_eq!(created(accept(&d.bruno))["state"], "enforcement");
        let settled = case_of(&d.ana, d.case);
        assert_eq!(settled["outcome"], "settled");
        assert_eq!(settled["tasks"][0]["owner"], "bruno");
        assert_eq!(settled["tasks"][0]["kind"], "apology");
        // A settlement is the parties' own: there is no review of it.
        let r = d.ana.api("POST", &format!("/api/v1/cases/{}/review", d.case), Some(json!({"text": "I changed my mind."})));
        assert_eq!(r.error_code(), "wrong_stage", "{}", r.body);
        // New terms after settlement are out of stage.
        assert_eq!(terms(&d.ana, json!({"text": "More."})).error_code(), "not_in_mediation");
        // By the page: the proposing party has accepted by proposing.
        let other = created(d.ana.api("POST", "/api/v1/cases", Some(json!({"kind": "member_dispute", "respondent": "bruno",
            "summary": "Again.", "desired_outcome": "Peace."}))))["case_id"].as_i64().unwrap();
        created(d.marta.api("POST", &format!("/api/v1/cases/{other}/transition"), Some(json!({"to": "mediation", "reason": "Talk."}))));
        let r = d.bruno.submit_form(&format!("/cases/{other}"), &format!("/cases/{other}/terms"), &[("text", "We ignore each other."),
            ("remedy_kind", "no_contact"), ("remedy_description", "No replies to each other for 90 days."), ("remedy_owner", "bruno"), ("remedy_due_days", "90")]);
        assert_eq!(r.status, 303, "{}", r.body);
        let page = d.ana.get(&format!("/cases/{other}"));
        assert!(page.body.contains("We ignore each other.") && page.body.contains("Accept these terms"), "{}", page.body);
        assert!(page.body.contains("name=\"version\""), "the form carries the terms' version");
        let version = case_of(&d.ana, other)["version"].to_string();
        assert_eq!(d.ana.submit_form(&format!("/cases/{other}"), &format!("/cases/{other}/terms/accept"), &[("version", &version)]).status, 303);
        assert_eq!(case_of(&d.ana, other)["state"], "enforcement");
    }

    fn arbitration_has_an_evidence_period_a_draft_with_comments_then_the_decision(app) {
        let d = in_mediation(&app);
        let path = |step: &str| format!("/api/v1/cases/{}/{step}", d.case);
        let to_arbitration = json!({"to": "arbitration", "reason": "We cannot agree."});
        // A party may ask for arbitration only once mediation's 20 days are over.
        let early = d.ana.api("POST", &path("transition"), Some(to_arbitration.clone()));
        assert_eq!((early.status, early.error_code().as_str()), (403, "period_open"), "{}", early.body);
        elapse(&app, d.case);
        assert_eq!(case_of(&d.ana, d.case)["can_arbitrate"], true);
        assert_eq!(created(d.ana.api("POST", &path("transition"), Some(to_arbitration)))["state"], "arbitration");
        app.wait_for_jobs_idle();
        assert!(case_notices(&d.bruno, d.case) >= 2, "the respondent is told");
        // The evidence period: each side adds evidence.
        let own = created(d.ana.api("POST", &path("evidence"), Some(json!({"text": "Screenshots of his replies.", "visibility": "parties"}))))["id"].clone();
        let theirs = created(d.bruno.api("POST", &path("evidence"), Some(json!({"text": "I only joked once."}))))["id"].clone();
        let ruling = json!({"outcome": "partly", "reasons": "Mocking a member breaks rule 1; it stopped after one warning.",
            "findings": [{"fact": "Bruno mocked Ana's latte art in three threads.", "evidence": [own]},
                         {"fact": "He says it was a joke.", "evidence": [theirs]}],
            "remedies": [{"kind": "apology", "description": "Apologise in the thread.", "owner": "bruno", "due_days": 7}]});
        let early = d.marta.api("POST", &path("draft"), Some(ruling.clone()));
        assert_eq!(early.error_code(), "period_open", "{}", early.body);
        elapse(&app, d.case);
        // A decision needs findings, each citing this case's evidence; parties never draft.
        let mut no_findings = ruling.clone();
        no_findings["findings"] = json!([]);
        assert!(d.marta.api("POST", &path("draft"), Some(no_findings)).json()["error"]["fields"]["findings"].is_string());
        let mut foreign = ruling.clone();
        foreign["findings"][0]["evidence"] = json!([999_999]);
        assert!(d.marta.api("POST", &path("draft"), Some(foreign)).json()["error"]["fields"]["findings.0.evidence"].is_string());
        assert_eq!(d.ana.api("POST", &path("draft"), Some(ruling.clone())).error_code(), "conflict_of_interest");
        let page = d.marta.get(&format!("/cases/{}", d.case));
        assert!(page.body.contains("Draft the decision") && page.body.contains("id=\"draft-remedy-kind\""), "{}", page.body);
        assert_eq!(d.marta.api("POST", &path("decision"), Some(ruling.clone())).error_code(), "wrong_stage", "the draft comes first");
        assert_eq!(created(d.marta.api("POST", &path("draft"), Some(ruling.clone())))["state"], "draft_decision");
        // The comment period: the parties comment; new evidence is closed.
        assert_eq!(d.ana.api("POST", &path("evidence"), Some(json!({"text": "Late."}))).error_code(), "wrong_stage");
        created(d.bruno.api("POST", &path("comments"), Some(json!({"body": "I already apologised privately."}))));
        assert_eq!(member(&app, "outsider").api("POST", &path("comments"), Some(json!({"body": "x"}))).status, 404);
        let seen = case_of(&d.ana, d.case);
        assert_eq!(seen["draft"]["outcome"], "partly");
        assert_eq!(seen["comments"][0]["body"], "I already apologised privately.");
        let early = d.marta.api("POST", &path("decision"), Some(ruling.clone()));
        assert_eq!(early.error_code(), "period_open", "{}", early.body);
        elapse(&app, d.case);
        assert_eq!(d.bruno.api("POST", &path("comments"), Some(json!({"body": "Late."}))).error_code(), "wrong_stage");
        let page = d.marta.get(&format!("/cases/{}", d.case));
        assert!(page.body.contains("Take the final decision") && page.body.contains("He says it was a joke. #"), "prefilled from the draft: {}", page.body);
        // The final decision, by the page form: findings cite evidence as #id.
        let findings = format!("Bruno mocked Ana's latte art in three threads #{own}\nHe says it was a joke #{theirs}");
        let r = d.marta.submit_form(&format!("/cases/{}", d.case), &format!("/cases/{}/decision", d.case), &[("outcome", "partly"),
            ("reasons", "Mocking breaks rule 1."), ("findings_text", &findings), ("remedy_kind", "apology"),
            ("remedy_description", "Apologise in the thread."), ("remedy_owner", "bruno"), ("remedy_due_days", "7")]);
        assert_eq!(r.status, 303, "{}", r.body);
        let decided = case_of(&d.ana, d.case);
        assert_eq!(decided["state"], "enforcement");
        assert_eq!(decided["findings"][1]["fact"], "He says it was a joke");
        assert_eq!(decided["findings"][1]["evidence"], json!([theirs]));
        let page = d.ana.get(&format!("/cases/{}", d.case));
        assert!(page.body.contains("Findings of fact") && page.body.contains(&format!("href=\"#evidence-{own}\"")), "{}", page.body);
    }

    fn each_side_requests_one_review_within_thirty_days(app) {
        let d = in_mediation(&app);
        let admin = admin(&app, "boss");
        let evidence = created(d.ana.api("POST", &format!("/api/v1/cases/{}/evidence", d.case), Some(json!({"text": "Screenshots."}))))["id"].clone();
        let ruling = json!({"outcome": "for_respondent", "reasons": "Banter, not abuse.",
            "findings": [{"fact": "The replies were light-hearted.", "evidence": [evidence]}]});
        assert_eq!(created(decide_dispute(&app, &d.marta, d.case, ruling.clone()))["state"], "closed");
        let review = |who: &tertulia_tests::Client, text: &str| who.api("POST", &format!("/api/v1/cases/{}/review", d.case), Some(json!({"text": text})));
        assert_eq!(review(&member(&app, "outsider"), "x").status, 404);
        assert_eq!(review(&d.marta, "x").error_code(), "not_allowed", "the judge is no side");
        assert_eq!(review(&d.ana, " ").status, 422);
        // With a fallback arbiter configured, the review goes to them; they refuse with reasons.
        let lucia = member(&app, "lucia");
        assert_eq!(d.ana.api("PUT", "/api/v1/fallback-arbiter", Some(json!({"username": "lucia"}))).status, 403);
        assert_eq!(admin.api("PUT", "/api/v1/fallback-arbiter", Some(json!({"username": "nobody"}))).status, 422);
        assert_eq!(admin.api("PUT", "/api/v1/fallback-arbiter", Some(json!({"username": "lucia"}))).status, 204);
        assert_eq!(created(review(&d.ana, "He did it again after the decision; new screenshots."))["state"], "review_requested");
        assert_eq!(review(&d.ana, "Again.").error_code(), "wrong_stage");
        let seen = case_of(&lucia, d.case);
        assert_eq!(seen["reviewer"], "lucia");
        assert_eq!(seen["can_answer_review"], true);
        let refuse = |who: &tertulia_tests::Client, reason: &str| who.api("POST", &format!("/api/v1/cases/{}/transition", d.case), Some(json!({"to": "decided", "reason": reason})));
        assert_eq!(refuse(&d.bruno, "x").status, 403);
        assert_eq!(created(refuse(&lucia, "The new screenshots show the same banter."))["state"], "closed");
        assert_eq!(review(&d.ana, "Once more.").error_code(), "already_requested");
        // The other side has its own review; this one is granted and the case reopens.
        assert_eq!(created(review(&d.bruno, "The decision should say it was banter on both sides."))["state"], "review_requested");
        let granted = lucia.api("POST", &format!("/api/v1/cases/{}/transition", d.case), Some(json!({"to": "arbitration", "reason": "Worth a second look."})));
        assert_eq!(created(granted)["state"], "arbitration");
        let reviewed = case_of(&d.ana, d.case);
        assert_eq!(reviewed["reviews"].as_array().unwrap().len(), 2);
        assert_eq!(reviewed["reviews"][0]["answer"], "The new screenshots show the same banter.");
        // Past 30 days, too late.
        let other = in_second_case(&app, &d);
        {
            use diesel::prelude::*;
            use tertulia::db::schema::cases;
            let long_ago = chrono::Utc::now().naive_utc() - chrono::Duration::days(31);
            diesel::update(cases::table.filter(cases::id.eq(other))).set(cases::decided_at.eq(Some(long_ago))).execute(&mut app.db()).unwrap();
        }
        let late = d.ana.api("POST", &format!("/api/v1/cases/{other}/review"), Some(json!({"text": "New facts."})));
        assert_eq!((late.status, late.error_code().as_str()), (403, "review_late"), "{}", late.body);
    }

    fn an_appeal_decided_by_a_moderator_is_reviewed_by_the_ombudsman(app) {
        let h = hidden_answer(&app);
        let reviewer = moderator(&app, "second_mod");
        let case = created(h.rude.api("POST", "/api/v1/appeals", Some(json!({"statement_id": h.statement, "text": "It was not rude."}))))["case_id"].as_i64().unwrap();
        created(reviewer.api("POST", &format!("/api/v1/cases/{case}/decision"), Some(json!({"outcome": "upheld",
            "rule": format!("{}@1", h.rule), "reasons": "It was rude."}))));
        let r = h.rude.api("POST", &format!("/api/v1/cases/{case}/review"), Some(json!({"text": "The asker thanked me afterwards."})));
        assert_eq!(created(r)["state"], "review_requested");
        assert_eq!(case_of(&h.manager, case)["reviewer"], "marta");
        let overturned = h.manager.api("POST", &format!("/api/v1/cases/{case}/decision"), Some(json!({"outcome": "overturned",
            "reasons": "In context it was a friendly tease."})));
        assert_eq!(created(overturned)["state"], "decided");
        let page = created(app.client().api("GET", &format!("/api/v1/threads/{}", h.thread), None));
        assert!(page["posts"].as_array().unwrap().iter().any(|p| p["id"] == h.post && p["state"] == "visible"), "the answer is back: {page}");
        let seen = case_of(&h.rude, case);
        assert_eq!(seen["outcome"], "overturned");
        assert!(seen["reviews"][0]["answer"].is_string(), "{seen}");
    }

    fn a_member_against_the_brand_is_told_and_may_ask_for_the_fallback_arbiter(app) {
        let admin = admin(&app, "boss");
        let _forum = general_forum(&app);
        let _sofia = brand_staff(&app, &admin, "sofia", "repairs");
        let marta = community_manager(&app, "marta");
        let carla = member(&app, "carla");
        let case = created(carla.api("POST", "/api/v1/cases", Some(json!({"kind": "brand_dispute", "respondent": "brand",
            "department": "repairs", "summary": "Broken after repair.", "desired_outcome": "A refund."}))))["case_id"].as_i64().unwrap();
        let ask = |reason: &str| carla.api("POST", &format!("/api/v1/cases/{case}/arbiter"), Some(json!({"reason": reason})));
        assert_eq!(ask("I want someone independent.").error_code(), "no_fallback_arbiter");
        let page = carla.get(&format!("/cases/{case}"));
        assert!(page.body.contains("works for") && page.body.contains("out-of-court"), "{}", page.body);
        let lucia = member(&app, "lucia");
        assert_eq!(admin.api("PUT", "/api/v1/fallback-arbiter", Some(json!({"username": "lucia"}))).status, 204);
        assert_eq!(case_of(&carla, case)["fallback_arbiter"], "lucia");
        assert_eq!(marta.api("POST", &format!("/api/v1/cases/{case}/arbiter"), Some(json!({"reason": "x"}))).status, 403);
        created(ask("I want someone independent."));
        let seen = case_of(&lucia, case);
        assert_eq!(seen["reviewer"], "lucia");
        assert_eq!(seen["ombudsman_affiliated"], false);
        assert_eq!(seen["can_mediate"], true, "the arbiter now runs the case");
        assert_eq!(case_of(&carla, case)["can_ask_fallback"], false);
    }

    fn decided_cases_are_published_anonymised_on_consent_or_as_precedent(app) {
        let d = in_mediation(&app);
        let evidence = created(d.ana.api("POST", &format!("/api/v1/cases/{}/evidence", d.case), Some(json!({"text": "Screenshots."}))))["id"].clone();
        created(decide_dispute(&app, &d.marta, d.case, json!({"outcome": "for_complainant", "reasons": "Mocking breaks rule 1.",
            "findings": [{"fact": "He mocked her.", "evidence": [evidence]}]})));
        let publish = |who: &tertulia_tests::Client, basis: &str| who.api("POST", &format!("/api/v1/cases/{}/publish", d.case),
            Some(json!({"summary": "A member mocked another's coffee photos; the ombudsman found for the complainant.", "basis": basis})));
        let page = d.marta.get(&format!("/cases/{}", d.case));
        assert!(page.body.contains("Publish the summary") && !page.body.contains("I agree to an anonymised publication"), "{}", page.body);
        assert!(d.ana.get(&format!("/cases/{}", d.case)).body.contains("I agree to an anonymised publication"));
        let desk = d.marta.get("/cases");
        assert!(desk.body.contains("Fallback arbiter") && desk.body.contains("/decisions"), "{}", desk.body);
        let by_form = d.marta.submit_form("/cases", "/cases/fallback-arbiter", &[("username", "ana")]);
        assert_eq!(by_form.status, 303, "{}", by_form.body);
        assert!(d.marta.get("/cases").body.contains("Now: ana"));
        assert_eq!(publish(&d.ana, "precedent").status, 403, "parties do not publish");
        assert_eq!(publish(&d.marta, "gossip").status, 422);
        let named = d.marta.api("POST", &format!("/api/v1/cases/{}/publish", d.case), Some(json!({"summary": "Bruno mocked a member.", "basis": "precedent"})));
        assert!(named.json()["error"]["fields"]["summary"].is_string(), "a name on the public page: {}", named.body);
        assert_eq!(publish(&d.marta, "consent").error_code(), "consent_missing");
        assert_eq!(d.ana.api("POST", &format!("/api/v1/cases/{}/consent", d.case), None).status, 204);
        assert_eq!(publish(&d.marta, "consent").error_code(), "consent_missing", "both sides consent");
        assert_eq!(d.bruno.api("POST", &format!("/api/v1/cases/{}/consent", d.case), None).status, 204);
        assert_eq!(publish(&d.marta, "consent").status, 204);
        let public = created(tertulia_tests::fixtures::anonymous(&app).api("GET", "/api/v1/decisions", None));
        assert_eq!(public[0]["outcome"], "for_complainant");
        assert_eq!(public[0]["basis"], "consent");
        let text = public.to_string();
        assert!(!text.contains("ana") && !text.contains("bruno") && !text.contains("case_id"), "{text}");
        let page = tertulia_tests::fixtures::anonymous(&app).get("/decisions");
        assert!(page.status == 200 && page.body.contains("coffee photos"), "{}", page.body);
    }

    fn each_deadline_of_a_dispute_is_reminded_once(app) {
        let d = in_mediation(&app);
        app.wait_for_jobs_idle();
        let before = (case_notices(&d.ana, d.case), case_notices(&d.marta, d.case));
        elapse(&app, d.case);
        sweep_twice(&app);
        let after = (case_notices(&d.ana, d.case), case_notices(&d.marta, d.case));
        assert_eq!((after.0 - before.0, after.1 - before.1), (1, 1), "one reminder each across two sweeps");
        let log = created(admin(&app, "auditor").api("GET", &format!("/api/v1/audit?case={}", d.case), None));
        let reminders = log.as_array().unwrap().iter().filter(|e| e["action"] == "case.reminder.mediation").count();
        assert_eq!(reminders, 1, "{log}");
    }

    fn a_silent_party_is_reminded_then_told_in_writing_then_the_case_proceeds_on_the_record(app) {
        let d = in_mediation(&app);
        let path = format!("/api/v1/cases/{}/transition", d.case);
        let pause = json!({"to": "awaiting_party", "party": "respondent", "days": 5, "reason": "Bruno, please answer the screenshots."});
        assert_eq!(d.ana.api("POST", &path, Some(pause.clone())).status, 403, "a party does not pause");
        for (field, value) in [("party", json!("witness")), ("days", json!(0))] {
            let mut bad = pause.clone();
            bad[field] = value;
            let r = d.marta.api("POST", &path, Some(bad));
            assert!(r.json()["error"]["fields"][field].is_string(), "{field}: {}", r.body);
        }
        assert_eq!(created(d.marta.api("POST", &path, Some(pause)))["state"], "awaiting_party");
        let seen = case_of(&d.bruno, d.case);
        assert_eq!((seen["awaiting"].clone(), seen["can_resume"].clone()), (json!("respondent"), json!(true)));
        assert_eq!(case_of(&d.ana, d.case)["can_resume"], false);
        let r = d.ana.api("POST", &path, Some(json!({"to": "resume", "reason": "Go on."})));
        assert_eq!((r.status, r.error_code().as_str()), (403, "not_allowed"), "{}", r.body);
        app.wait_for_jobs_idle();
        let told = case_notices(&d.bruno, d.case);
        // Silent: a reminder, then a written notice, each once however often the sweep runs…
        for notices in [1, 2] {
            elapse(&app, d.case);
            sweep_twice(&app);
            let seen = case_of(&d.marta, d.case);
            assert_eq!((seen["state"].clone(), seen["notices_sent"].clone()), (json!("awaiting_party"), json!(notices)), "{seen}");
            assert_eq!(case_notices(&d.bruno, d.case), told + notices);
        }
        // …then the case proceeds on the record, with the mediation clock it had left.
        elapse(&app, d.case);
        sweep_twice(&app);
        let seen = case_of(&d.marta, d.case);
        assert_eq!(seen["state"], "mediation");
        let notes: Vec<&Value> = seen["history"].as_array().unwrap().iter().filter(|e| e["note"] == "proceeds_on_record").collect();
        assert_eq!(notes.len(), 1, "{seen}");
        let due = chrono::DateTime::parse_from_rfc3339(seen["due_at"].as_str().unwrap()).unwrap();
        assert!(due > chrono::Utc::now() + chrono::Duration::days(19), "the 20 days of mediation were paused: {due}");
        // An awaited side that answers resumes it, by the page too.
        created(d.marta.api("POST", &path, Some(json!({"to": "awaiting_party", "party": "complainant", "reason": "Ana, which threads?"}))));
        let r = d.ana.submit_form(&format!("/cases/{}", d.case), &format!("/cases/{}/transition", d.case), &[("to", "resume"), ("reason", "The three threads are in my evidence.")]);
        assert_eq!(r.status, 303, "{}", r.body);
        assert_eq!(case_of(&d.ana, d.case)["state"], "mediation");
    }

    fn a_witness_never_judges_the_case(app) {
        let d = in_mediation(&app);
        let paula = community_manager(&app, "paula");
        // Another community manager reads the case but does not act on it unassigned.
        let r = paula.api("POST", &format!("/api/v1/cases/{}/transition", d.case), Some(json!({"to": "arbitration", "reason": "x"})));
        assert_eq!((r.status, r.error_code().as_str()), (403, "not_allowed"), "{}", r.body);
        let add = |body: Value| d.ana.api("POST", &format!("/api/v1/cases/{}/evidence", d.case), Some(body));
        for who in ["bruno", "ana", "nobody"] {
            let r = add(json!({"text": "x", "witness": who}));
            assert!(r.json()["error"]["fields"]["witness"].is_string(), "{who}: {}", r.body);
        }
        // A party cannot recuse the ombudsman by naming her; she records it herself and hands
        // the case to Paula.
        let r = add(json!({"text": "Marta was in the thread and saw it.", "witness": "marta"}));
        assert_eq!(r.json()["error"]["fields"]["witness"], "Only the ombudsman can record that an ombudsman, an admin or the fallback arbiter witnessed something: tell them in the case.", "{}", r.body);
        let evidence = created(d.marta.api("POST", &format!("/api/v1/cases/{}/evidence", d.case),
            Some(json!({"text": "I was in the thread and saw it.", "witness": "marta", "visibility": "parties"}))))["id"].clone();
        let seen = case_of(&paula, d.case);
        assert_eq!(seen["reviewer"], "paula", "{seen}");
        assert!(seen["history"].as_array().unwrap().iter().any(|e| e["note"] == "reassigned_witness"));
        created(d.marta.api("GET", &format!("/api/v1/cases/{}", d.case), None));
        let r = d.marta.api("POST", &format!("/api/v1/cases/{}/transition", d.case), Some(json!({"to": "arbitration", "reason": "x"})));
        assert_eq!(r.status, 403, "{}", r.body);
        elapse(&app, d.case);
        let ruling = json!({"outcome": "partly", "reasons": "x", "findings": [{"fact": "Seen.", "evidence": [evidence]}]});
        created(paula.api("POST", &format!("/api/v1/cases/{}/transition", d.case), Some(json!({"to": "arbitration", "reason": "No agreement."}))));
        elapse(&app, d.case);
        let r = d.marta.api("POST", &format!("/api/v1/cases/{}/draft", d.case), Some(ruling));
        assert_eq!((r.status, r.error_code().as_str()), (403, "conflict_of_interest"), "{}", r.body);
    }

    fn arbitration_is_decided_within_thirty_days_with_one_extension(app) {
        let d = in_mediation(&app);
        let boss = admin(&app, "boss");
        let path = format!("/api/v1/cases/{}/transition", d.case);
        created(d.marta.api("POST", &path, Some(json!({"to": "arbitration", "reason": "No agreement."}))));
        let date = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
        let seen = case_of(&d.ana, d.case);
        let days = (date(&seen["arbitration"]["decide_by"]) - chrono::Utc::now().fixed_offset()).num_days();
        assert_eq!((days, seen["arbitration"]["extended"].clone()), (29, json!(false)), "{seen}");
        // One extension, by the ombudsman, with reasons; never past the 90 days.
        let extend = |who: &tertulia_tests::Client, days: i64| who.api("POST", &path, Some(json!({"to": "extend", "days": days, "reason": "An expert report is on its way."})));
        assert_eq!(extend(&d.ana, 10).status, 403, "a party does not extend");
        assert_eq!(extend(&d.marta, 0).status, 422);
        created(extend(&d.marta, 90));
        let seen = case_of(&d.ana, d.case);
        assert_eq!(seen["arbitration"]["decide_by"], seen["arbitration"]["cap_at"], "capped at 90 days: {seen}");
        assert_eq!(seen["arbitration"]["extension_reason"], "An expert report is on its way.");
        assert_eq!(extend(&d.marta, 5).error_code(), "already_requested");
        // Past its date and past its cap: told once each, whatever the sweep does.
        app.wait_for_jobs_idle();
        let before = (case_notices(&d.ana, d.case), case_notices(&boss, d.case));
        {
            use diesel::prelude::*;
            use tertulia::db::schema::case_arbitrations;
            let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
            diesel::update(case_arbitrations::table.filter(case_arbitrations::case_id.eq(d.case)))
                .set((case_arbitrations::decide_by.eq(past), case_arbitrations::cap_at.eq(past)))
                .execute(&mut app.db()).unwrap();
        }
        sweep_twice(&app);
        assert_eq!((case_notices(&d.ana, d.case) - before.0, case_notices(&boss, d.case) - before.1), (1, 1));
        assert_eq!(case_of(&d.marta, d.case)["arbitration"]["overdue"], true);
        assert!(d.marta.get(&format!("/cases/{}", d.case)).body.contains("Decision due by"));
    }

    fn who_may_use_the_later_stages(app) {
        let cast = Cast::new(&app);
        for (label, path, body) in [
            ("draft", "/api/v1/cases/999999/draft", json!({"outcome": "partly", "reasons": "x"})),
            ("comments", "/api/v1/cases/999999/comments", json!({"body": "x"})),
            ("terms", "/api/v1/cases/999999/terms", json!({"text": "x"})),
            ("terms/accept", "/api/v1/cases/999999/terms/accept", json!({"version": 1})),
            ("review", "/api/v1/cases/999999/review", json!({"text": "x"})),
            ("arbiter", "/api/v1/cases/999999/arbiter", json!({"reason": "x"})),
            ("consent", "/api/v1/cases/999999/consent", json!({})),
            ("publish", "/api/v1/cases/999999/publish", json!({"summary": "x", "basis": "precedent"})),
        ] {
            cast.expect(&format!("POST {label} (none)"), &[(Anonymous, 401), (Member, 404), (CommunityManager, 404)],
                |p| p.api("POST", path, Some(body.clone())));
        }
        cast.expect("PUT /api/v1/fallback-arbiter", &[(Anonymous, 401), (Member, 403), (Moderator, 403), (CommunityManager, 204), (Admin, 204)],
            |p| p.api("PUT", "/api/v1/fallback-arbiter", Some(json!({"username": ""}))));
        cast.expect("GET /decisions", &[(Anonymous, 200), (Member, 200)], |p| p.get("/decisions"));
        cast.expect("POST /cases/{id}/draft (page, none)", &[(Member, 404)],
            |p| p.submit_form("/rules", "/cases/999999/draft", &[("outcome", "partly"), ("reasons", "x")]));
    }
}

/// A second dispute between the same people, decided by Marta.
fn in_second_case(app: &TestApp, d: &Dispute) -> i64 {
    let case = created(d.ana.api(
        "POST",
        "/api/v1/cases",
        Some(json!({"kind": "member_dispute", "respondent": "bruno",
        "summary": "Another thread.", "desired_outcome": "An apology."})),
    ))["case_id"]
        .as_i64()
        .unwrap();
    let evidence = created(d.ana.api(
        "POST",
        &format!("/api/v1/cases/{case}/evidence"),
        Some(json!({"text": "More screenshots."})),
    ))["id"]
        .clone();
    created(decide_dispute(
        app,
        &d.marta,
        case,
        json!({"outcome": "for_respondent", "reasons": "Banter.",
        "findings": [{"fact": "Light-hearted.", "evidence": [evidence]}]}),
    ));
    case
}

/// Runs the deadlines sweep now, twice (the second as a restarted worker would queue it).
fn sweep_twice(app: &TestApp) {
    use diesel::prelude::*;
    use tertulia::db::schema::jobs;
    for _ in 0..2 {
        let past = chrono::Utc::now().naive_utc() - chrono::Duration::minutes(1);
        diesel::update(
            jobs::table
                .filter(jobs::kind.eq("ombudsman.deadlines"))
                .filter(jobs::done_at.is_null()),
        )
        .set(jobs::run_at.eq(past))
        .execute(&mut app.db())
        .unwrap();
        tertulia::jobs::enqueue(&mut app.db(), "ombudsman.deadlines", &(), None, 3).unwrap();
        app.wait_for_jobs_idle();
    }
}
