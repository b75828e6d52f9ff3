//! The security findings of the hardening review, one test (or more) each: every test here
//! failed on the code before its fix. Limits, tokens and CSRF are driven through HTTP the way an
//! attacker would.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use tertulia::accounts::model::Role;
use tertulia::http::middleware::url_encode;
use tertulia_tests::fixtures::member;
use tertulia_tests::{both_backends, json, PASSWORD};

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
