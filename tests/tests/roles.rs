//! Permissions per role through the role matrix: admin tools refused to every other role,
//! group membership only by admins, moving threads, official answers, and private threads
//! closed to outsiders for every kind of write by id. Each refusal is checked to have changed
//! nothing, and each test has a positive control: someone allowed does the same and succeeds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::RunQueryDsl;
use tertulia_tests::fixtures::{
    add_to_group, brand_staff, created, general_forum, member, post_ids, private_category,
    public_category, reply, thread,
};
use tertulia_tests::roles::{
    Admin, Anonymous, Cast, CommunityManager, GroupMember, Member, Moderator, Outsider, Unverified,
};
use tertulia_tests::{both_backends, json, Client, TestApp};

/// Slugs of the categories `client` is shown.
fn category_slugs(client: &Client) -> Vec<String> {
    client
        .api("GET", "/api/v1/categories", None)
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap().to_string())
        .collect()
}

/// A job that used up its attempts, as the admin's jobs page lists it (its kind is made up: the
/// worker fails it again if it ever runs).
fn failed_job(app: &TestApp) -> i64 {
    diesel::sql_query(
        "INSERT INTO jobs (kind, payload, run_at, attempts, max_attempts, failed_at, last_error, created_at) \
         VALUES ('test_failed', '{}', CURRENT_TIMESTAMP, 3, 3, CURRENT_TIMESTAMP, 'Connection refused', CURRENT_TIMESTAMP)",
    )
    .execute(&mut app.db())
    .unwrap();
    let failed = app.jobs_of("test_failed");
    assert_eq!(failed.len(), 1);
    assert!(failed[0].failed);
    failed[0].id
}

both_backends! {
    fn the_role_matrix_reports_every_mismatch(app) {
        let cast = Cast::new(&app);
        // Deliberately wrong for two roles: both are reported, not only the first.
        let mismatches = cast.mismatches(&[(Anonymous, 200), (Member, 200), (Admin, 200)], |p| p.get("/admin/users"));
        assert_eq!(mismatches.len(), 2, "{mismatches:?}");
        assert!(mismatches[0].contains("Anonymous") && mismatches[1].contains("Member"), "{mismatches:?}");
        assert!(cast.mismatches(&[(Member, 403), (Admin, 200)], |p| p.get("/admin/users")).is_empty());
    }

    fn admin_tools_are_refused_to_every_other_role(app) {
        let cast = Cast::new(&app);
        let job = failed_job(&app);
        let refused = [(Anonymous, 303), (Unverified, 403), (Member, 403), (Moderator, 403), (CommunityManager, 403)];
        for page in ["/admin/categories", "/admin/groups", "/admin/jobs"] {
            cast.expect(&format!("GET {page}"), &[&refused[..], &[(Admin, 200)]].concat(), |p| p.get(page));
        }
        let api_refused = [(Anonymous, 401), (Unverified, 403), (Member, 403), (Moderator, 403), (CommunityManager, 403)];
        cast.expect("GET /api/v1/admin/jobs", &[&api_refused[..], &[(Admin, 200)]].concat(), |p| p.api("GET", "/api/v1/admin/jobs", None));
        cast.expect("GET /api/v1/admin/groups", &[&api_refused[..], &[(Admin, 200)]].concat(), |p| p.api("GET", "/api/v1/admin/groups", None));

        // Creating a category or a group through the admin forms (with a valid CSRF token).
        let staff = [(Unverified, 403), (Member, 403), (Moderator, 403), (CommunityManager, 403)];
        cast.expect("POST /admin/categories", &staff, |p| p.submit_form("/", "/admin/categories", &[
            ("name", "Sneaky"), ("slug", "sneaky"), ("description", ""), ("parent", ""), ("visibility", "public"), ("groups", ""),
        ]));
        cast.expect("POST /admin/groups", &staff, |p| p.submit_form("/", "/admin/groups", &[("name", "Sneakers"), ("description", "")]));
        cast.expect("POST /api/v1/admin/categories", &api_refused, |p| p.api("POST", "/api/v1/admin/categories", Some(json!({"name": "Sneaky", "visibility": "public"}))));
        cast.expect("POST /api/v1/admin/groups", &api_refused, |p| p.api("POST", "/api/v1/admin/groups", Some(json!({"name": "Sneakers"}))));
        let admin = cast.get(Admin);
        assert!(!category_slugs(admin).contains(&"sneaky".to_string()), "no category was created");
        assert!(!admin.get("/admin/groups").body.contains("Sneakers"), "no group was created");

        // Retrying a failed job: refused, and the job stays failed with its attempts.
        cast.expect("POST /admin/jobs/{id}/retry", &staff, |p| p.submit_form("/", &format!("/admin/jobs/{job}/retry"), &[]));
        cast.expect("POST /api/v1/admin/jobs/{id}/retry", &api_refused, |p| p.api("POST", &format!("/api/v1/admin/jobs/{job}/retry"), None));
        let still = &app.jobs_of("test_failed")[0];
        assert!(still.failed && still.attempts == 3, "{still:?}");
        // The admin may.
        let retried = admin.api("POST", &format!("/api/v1/admin/jobs/{job}/retry"), None);
        assert!(matches!(retried.status, 200 | 204), "{} {}", retried.status, retried.body);
        let after = &app.jobs_of("test_failed")[0];
        assert!(after.attempts < 3 || !after.failed, "the retry took effect: {after:?}");
    }

    fn only_admins_change_group_membership(app) {
        let admin = general_forum(&app);
        let lab = private_category(&admin, "lab", "Lab");
        let cast = Cast::new(&app).with_group(&app, &admin, lab.group_id);
        let (secret, secret_url) = thread(cast.get(GroupMember), "lab", "discussion", "Prototype burr set", "Do not share");
        let sees_lab = |client: &Client| client.get("/c/lab").status == 200;
        assert!(sees_lab(cast.get(GroupMember)), "positive control: the group member sees it");
        assert!(!sees_lab(cast.get(Outsider)));

        // Everyone but the admin tries to add themselves: refused, and the door stays shut.
        let refused = [(Anonymous, 401), (Unverified, 403), (Member, 403), (Outsider, 403), (Moderator, 403), (CommunityManager, 403)];
        cast.expect("PUT own group membership", &refused, |p| {
            let name = if p.username.is_empty() { "cast_member" } else { &p.username };
            p.api("PUT", &format!("/api/v1/admin/groups/{}/members/{name}", lab.group_id), None)
        });
        for who in [Unverified, Member, Outsider] {
            let person = cast.get(who);
            assert!(!sees_lab(person), "{who} can see the private category");
            assert_eq!(person.get(&secret_url).status, 404, "{who}");
            assert!(!category_slugs(person).contains(&"lab".to_string()), "{who}");
            assert_eq!(person.api("GET", &format!("/api/v1/threads/{secret}"), None).status, 404, "{who}");
        }
        // Nor can they remove the insider.
        cast.expect("DELETE another's group membership", &refused, |p| {
            p.api("DELETE", &format!("/api/v1/admin/groups/{}/members/cast_insider", lab.group_id), None)
        });
        assert!(sees_lab(cast.get(GroupMember)), "the insider is still in the group");
        // The admin may: the outsider is let in.
        add_to_group(&admin, lab.group_id, "cast_outsider");
        assert!(sees_lab(cast.get(Outsider)));
        assert_eq!(cast.get(Outsider).get(&secret_url).status, 200);
    }

    fn members_cannot_move_threads(app) {
        let admin = general_forum(&app);
        public_category(&admin, "support");
        let author = member(&app, "mover");
        let cast = Cast::new(&app);
        let (id, url) = thread(&author, "general", "discussion", "Please move me somewhere", "hi");
        let category_of = || app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json()["thread"]["category_slug"].clone();
        let before = category_of();
        assert_eq!(before, "general");
        // The author and other members: neither the form nor the API moves it.
        let form = author.submit_form(&url, &format!("/t/{id}/moderate"), &[("action", "move"), ("category", "support")]);
        assert_eq!(form.status, 403, "{}", form.body);
        let api = author.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(json!({"category": "support"})));
        assert_eq!(api.status, 403, "{}", api.body);
        cast.expect("move by API", &[(Anonymous, 401), (Unverified, 403), (Member, 403)], |p| {
            p.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(json!({"category": "support"})))
        });
        assert_eq!(category_of(), before, "the thread was not moved");
        let listed = app.client().api("GET", "/api/v1/categories/support/threads", None).json();
        assert!(listed["threads"].as_array().unwrap().is_empty(), "{listed}");
        // A moderator moves it (positive control).
        cast.expect("move by a moderator", &[(Moderator, 200)], |p| {
            p.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(json!({"category": "support"})))
        });
        let listed = app.client().api("GET", "/api/v1/categories/support/threads", None).json();
        assert_eq!(listed["threads"][0]["id"], id, "{listed}");
    }

    fn a_department_speaks_for_the_brand_but_does_not_moderate(app) {
        let admin = general_forum(&app);
        public_category(&admin, "support");
        let staff = brand_staff(&app, &admin, "soporte", "Support");
        let moderator = tertulia_tests::fixtures::moderator(&app, "mod_ana");
        let customer = member(&app, "asker");
        let (id, _) = thread(&customer, "general", "question", "Which grinder setting for espresso?", "Fine or coarse?");
        let answer = reply(&member(&app, "helper"), id, "Fine, then adjust by taste.")["id"].as_i64().unwrap();
        let thread_json = || app.client().api("GET", &format!("/api/v1/threads/{id}"), None).json();
        // Brand staff: official answers and announcements, yes.
        let official = staff.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "Setting 3 on the Aurora grinder.", "official": true})));
        assert_eq!(official.status, 201, "{}", official.body);
        let announcement = staff.api("POST", "/api/v1/threads", Some(json!({"category": "general", "kind": "announcement", "title": "New firmware is out", "body": "Version 2.1"})));
        assert_eq!(announcement.status, 201, "{}", announcement.body);
        // ...but no moderation power: pin, lock, move, accepting someone else's answer.
        for body in [json!({"pinned": true}), json!({"locked": true}), json!({"category": "support"})] {
            let refused = staff.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(body.clone()));
            assert_eq!(refused.status, 403, "{body}: {}", refused.body);
        }
        let accept = staff.api("POST", &format!("/api/v1/posts/{answer}/accept"), None);
        assert_eq!(accept.status, 403, "{}", accept.body);
        let unchanged = thread_json();
        assert_eq!(unchanged["thread"]["category_slug"], "general", "{unchanged}");
        assert_eq!(unchanged["thread"]["solved"], false, "{unchanged}");
        assert!(unchanged["accepted"].is_null(), "{unchanged}");
        // A moderator without a department has them (positive control), and cannot speak for the brand.
        for body in [json!({"pinned": true}), json!({"locked": true}), json!({"category": "support"})] {
            let done = moderator.api("POST", &format!("/api/v1/threads/{id}/moderation"), Some(body.clone()));
            assert_eq!(done.status, 200, "{body}: {}", done.body);
        }
        let accept = moderator.api("POST", &format!("/api/v1/posts/{answer}/accept"), None);
        assert_eq!(accept.status, 200, "{}", accept.body);
        let moved = thread_json();
        assert_eq!(moved["thread"]["category_slug"], "support", "{moved}");
        assert_eq!(moved["accepted"]["id"], answer, "{moved}");
        assert_eq!((moved["thread"]["pinned"].clone(), moved["thread"]["locked"].clone()), (json!(true), json!(true)), "{moved}");
        let official = moderator.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "Officially?", "official": true})));
        assert_eq!(official.status, 403, "{}", official.body);
    }

    fn official_answers_per_role(app) {
        let admin = general_forum(&app);
        let cast = Cast::new(&app);
        let customer = member(&app, "customer");
        let (id, _) = thread(&customer, "general", "question", "Does the warranty cover the pump?", "It rattles.");
        let official = |p: &tertulia_tests::fixtures::Person| {
            p.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": format!("Official word from {}", p.username), "official": true})))
        };
        // A moderator without a department does not speak for the brand; community managers and
        // admins do.
        cast.expect("official answer", &[
            (Anonymous, 401), (Unverified, 403), (Member, 403), (Moderator, 403), (CommunityManager, 201), (Admin, 201),
        ], official);
        let loaded = customer.api("GET", &format!("/api/v1/threads/{id}"), None).json();
        let bodies: Vec<String> = loaded["posts"].as_array().unwrap().iter().map(|p| p["raw"].as_str().or(p["html"].as_str()).unwrap_or_default().to_string()).collect();
        assert_eq!(bodies.len(), 3, "only the two allowed answers were added: {bodies:?}");
        assert!(!loaded.to_string().contains("Official word from cast_moderator"), "{loaded}");
        assert!(loaded.to_string().contains("Official word from cast_manager"), "{loaded}");
        assert_eq!(loaded["thread"]["has_official_answer"], true);
        // Brand staff (a member with a department) may as well.
        let staff = tertulia_tests::fixtures::brand_staff(&app, &admin, "support", "Support");
        assert_eq!(staff.api("POST", &format!("/api/v1/threads/{id}/posts"), Some(json!({"body": "From support", "official": true}))).status, 201);
    }

    fn outsiders_cannot_write_into_private_threads_by_id(app) {
        let admin = general_forum(&app);
        let vault = private_category(&admin, "vault", "Vault");
        let cast = Cast::new(&app).with_group(&app, &admin, vault.group_id);
        let helper = member(&app, "helper");
        add_to_group(&admin, vault.group_id, "helper");
        let asker = cast.get(GroupMember);
        let (id, url) = thread(asker, "vault", "question", "Secret firmware question", "Which build?");
        let answer = reply(&helper, id, "Build 42, do not tell anyone.")["id"].as_i64().unwrap();
        // Each action: the outsider first (404, as if the thread did not exist), then an insider
        // doing the same succeeds.
        let thread_path = format!("/api/v1/threads/{id}");
        cast.expect("reply", &[(Outsider, 404), (GroupMember, 201)], |p| p.api("POST", &format!("{thread_path}/posts"), Some(json!({"body": "Me too"}))));
        cast.expect("react", &[(Outsider, 404), (GroupMember, 200)], |p| p.api("POST", &format!("/api/v1/posts/{answer}/reactions"), Some(json!({"kind": "like"}))));
        cast.expect("bookmark", &[(Outsider, 404), (GroupMember, 200)], |p| p.api("POST", &format!("/api/v1/posts/{answer}/bookmark"), Some(json!({}))));
        cast.expect("accept", &[(Outsider, 404), (GroupMember, 200)], |p| p.api("POST", &format!("/api/v1/posts/{answer}/accept"), None));
        cast.expect("watch", &[(Outsider, 404), (GroupMember, 204)], |p| p.api("PUT", &format!("{thread_path}/watch"), Some(json!({"level": "watching"}))));
        cast.expect("quote", &[(Outsider, 404), (GroupMember, 200)], |p| p.get(&format!("{url}?quote=2")));
        let edit = |client: &Client| client.api("PATCH", &format!("/api/v1/posts/{answer}"), Some(json!({"body": "Build 43", "reason": "typo"})));
        assert_eq!(edit(cast.get(Outsider)).status, 404, "edit by the outsider");
        assert_eq!(edit(&helper).status, 200, "edit by its author");
        // The outsider's attempts left no trace.
        let loaded = created(asker.api("GET", &thread_path, None));
        assert_eq!(post_ids(asker, id).len(), 3, "question, answer, the insider's reply: {loaded}");
        assert!(!loaded.to_string().contains("cast_outsider"), "{loaded}");
        let revisions = created(asker.api("GET", &format!("/api/v1/posts/{answer}/revisions"), None));
        assert_eq!(revisions.as_array().unwrap().len(), 2, "one edit, by the author: {revisions}");
        assert!(cast.get(Outsider).api("GET", "/api/v1/bookmarks", None).json().as_array().unwrap().is_empty());
    }
}
