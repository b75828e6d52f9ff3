//! The security findings of the hardening review, one test (or more) each: every test here
//! failed on the code before its fix. Limits, tokens and CSRF are driven through HTTP the way an
//! attacker would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia::http::middleware::url_encode;
use tertulia_tests::fixtures::{self, general_forum, member, moderator, public_category};
use tertulia_tests::{both_backends, json, TestApp, PASSWORD};

/// Ways to write "another origin" that a naive "starts with one slash" check lets through.
const REDIRECT_BYPASSES: [&str; 9] = [
    "//evil.example",
    "/\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%2F/evil.example",
    "/%5C/evil.example",
    "https://evil.example",
    "javascript:alert(1)",
    "\\\\evil.example",
];

both_backends! {
    // Finding 5: `/login?next=/%09/evil.example` answered `Location: /\t/evil.example`.
    fn login_redirects_only_to_this_site(app) {
        app.create_user("ana", Role::Member);
        for next in REDIRECT_BYPASSES {
            let browser = app.client();
            let login = browser.get(&format!("/login?next={}", url_encode(next)));
            assert_eq!(login.status, 200);
            let response = browser.submit_form(
                "/login",
                "/login",
                &[("login", "ana"), ("password", PASSWORD), ("next", next)],
            );
            assert_eq!(response.status, 303, "{next:?}: {}", response.body);
            assert_eq!(response.location(), Some("/"), "after login with next={next:?}");
            // Already signed in, the login page sends the visitor on at once.
            let again = browser.get(&format!("/login?next={}", url_encode(next)));
            assert_eq!(again.status, 303);
            assert_eq!(again.location(), Some("/"), "signed in, next={next:?}");
        }
        // Positive control: a path on this site is honoured.
        let browser = app.client();
        let response = browser.submit_form(
            "/login",
            "/login",
            &[("login", "ana"), ("password", PASSWORD), ("next", "/latest?page=2")],
        );
        assert_eq!(response.location(), Some("/latest?page=2"));
    }

    // Finding 10: decorated addresses that the mailer reduced to the bare address.
    fn decorated_email_addresses_are_refused(app) {
        let visitor = app.client();
        for (n, email) in [
            "x<me@evil.example>",
            "me@evil.example(1)",
            "Me <me@evil.example>",
            "\"me\"@evil.example",
            "me@[127.0.0.1]",
        ]
        .into_iter()
        .enumerate()
        {
            let response = visitor.api(
                "POST",
                "/api/v1/auth/register",
                Some(json!({"username": format!("decorated{n}"), "email": email,
                            "password": PASSWORD, "display_name": ""})),
            );
            assert_eq!(response.status, 422, "{email}: {}", response.body);
            assert!(response.json()["error"]["fields"]["email"].is_string(), "{email}");
        }
        // The bare address still works, and another case of it is the same address.
        let ok = visitor.api(
            "POST",
            "/api/v1/auth/register",
            Some(json!({"username": "plain", "email": "me@evil.example",
                        "password": PASSWORD, "display_name": ""})),
        );
        assert_eq!(ok.status, 201, "{}", ok.body);
        let same = app.client().api(
            "POST",
            "/api/v1/auth/register",
            Some(json!({"username": "plain2", "email": "me@EVIL.example",
                        "password": PASSWORD, "display_name": ""})),
        );
        assert_eq!(same.status, 409, "{}", same.body);
        let person = member(&app, "bea");
        let change = person.api(
            "POST",
            "/api/v1/me/email",
            Some(json!({"email": "bea<me@evil.example>", "password": PASSWORD})),
        );
        assert_eq!(change.status, 422, "{}", change.body);
    }
}

/// Each category's counters against what its threads hold.
fn category_counts(app: &TestApp) -> Vec<(String, i32, i32, i32, i32)> {
    use diesel::prelude::*;
    use tertulia::db::schema::{categories, threads};
    let mut conn = app.db();
    let cats: Vec<(i64, String, i32, i32)> = categories::table
        .select((
            categories::id,
            categories::slug,
            categories::threads_count,
            categories::posts_count,
        ))
        .load(&mut conn)
        .unwrap();
    let rows: Vec<(i64, i32)> = threads::table
        .select((threads::category_id, threads::posts_count))
        .load(&mut conn)
        .unwrap();
    cats.into_iter()
        .map(|(id, slug, threads_count, posts_count)| {
            let mine: Vec<i32> = rows
                .iter()
                .filter(|(c, _)| *c == id)
                .map(|(_, p)| *p)
                .collect();
            (
                slug,
                threads_count,
                mine.len() as i32,
                posts_count,
                mine.iter().sum(),
            )
        })
        .collect()
}

both_backends! {
    // Finding 12: the mover read `posts_count` before its transaction, so replies that arrived
    // meanwhile were counted in the wrong category.
    fn moving_a_thread_while_replies_arrive_keeps_category_counts(app) {
        let admin = general_forum(&app);
        public_category(&admin, "other");
        let mover = moderator(&app, "mover");
        let writers: Vec<_> = (0..4).map(|n| member(&app, &format!("writer{n}"))).collect();
        let (thread, _) = fixtures::thread(&writers[0], "general", "discussion",
            "A thread on the move", "First post.");
        std::thread::scope(|scope| {
            for writer in &writers {
                scope.spawn(move || {
                    for n in 0..10 {
                        fixtures::reply(writer, thread, &format!("Reply {n} while moving."));
                    }
                });
            }
            scope.spawn(|| {
                for n in 0..30 {
                    let to = if n % 2 == 0 { "other" } else { "general" };
                    let moved = mover.api(
                        "POST",
                        &format!("/api/v1/threads/{thread}/moderation"),
                        Some(json!({"category": to})),
                    );
                    assert_eq!(moved.status, 200, "{}", moved.body);
                }
            });
        });
        for (slug, threads_count, threads_there, posts_count, posts_there) in category_counts(&app) {
            assert_eq!(threads_count, threads_there, "threads in {slug}");
            assert_eq!(posts_count, posts_there, "posts in {slug}");
        }
        use diesel::prelude::*;
        let posts: i64 = tertulia::db::schema::posts::table
            .filter(tertulia::db::schema::posts::thread_id.eq(thread))
            .count()
            .get_result(&mut app.db())
            .unwrap();
        assert_eq!(posts, 41);
    }

    // Finding 9: two admins demoting each other at once both saw "two admins" and left none.
    fn two_concurrent_demotions_leave_an_admin(app) {
        use diesel::prelude::*;
        use tertulia::db::schema::users;
        let first = fixtures::admin(&app, "first");
        let second = fixtures::admin(&app, "second");
        let ids = [fixtures::user_id(&app, "first"), fixtures::user_id(&app, "second")];
        let admin_role = Role::Admin.as_i16();
        for round in 0..6 {
            // Both are admins at the start of each round (the request's actor is resolved
            // before the demotion, so each request still acts as an admin).
            diesel::update(users::table.filter(users::id.eq_any(ids)))
                .set(users::role.eq(admin_role))
                .execute(&mut app.db())
                .unwrap();
            let barrier = std::sync::Barrier::new(2);
            let demote = |who: &fixtures::Person, target: i64| {
                barrier.wait();
                who.api(
                    "PUT",
                    &format!("/api/v1/admin/users/{target}/role"),
                    Some(json!({"role": "member"})),
                )
                .status
            };
            let statuses: Vec<u16> = std::thread::scope(|scope| {
                let a = scope.spawn(|| demote(&first, ids[1]));
                let b = scope.spawn(|| demote(&second, ids[0]));
                vec![a.join().unwrap(), b.join().unwrap()]
            });
            let admins: i64 = users::table
                .filter(users::role.eq(admin_role))
                .count()
                .get_result(&mut app.db())
                .unwrap();
            assert_eq!(admins, 1, "round {round}: statuses {statuses:?}");
            assert!(statuses.contains(&200), "round {round}: {statuses:?}");
        }
    }
}
