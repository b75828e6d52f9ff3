//! Every page of the demo community builds its view in one blocking hop (issue 8: "each page
//! handler makes one blocking hop that builds the page's whole view model, not several"): a
//! signed-in reader's session is read in one hop, the page in one more. The pages are found the
//! way a person finds them, by following the links from the home page, as a visitor and as the
//! community manager (who sees the staff pages too). One test in its own binary: the hop counter
//! is process-wide.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use tertulia_tests::{Backend, Client, TestApp};

/// The same-site links of a page, as paths (minijinja writes `/` in attributes as `&#x2f;`).
fn links(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&#x2f;", "/").replace("&amp;", "&"))
        .filter(|href| href.starts_with('/') && !href.starts_with("//"))
        .map(|href| href.split('#').next().unwrap_or_default().to_string())
        .collect()
}

/// A path with its numbers and slugs left out, so one thread stands for all threads.
fn shape(path: &str) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut parts: Vec<&str> = path.split('/').collect();
    // `/t/<slug>/<id>`, `/u/<name>`, `/c/<slug>`: the part after the prefix names one of many.
    for i in 1..parts.len() {
        if matches!(parts[i - 1], "t" | "u" | "c" | "badges" | "rules") {
            parts[i] = "*";
        }
    }
    let path: Vec<String> = parts
        .iter()
        .map(
            |p| match p.chars().all(|c| c.is_ascii_digit()) && !p.is_empty() {
                true => "N".to_string(),
                false => p.to_string(),
            },
        )
        .collect();
    let keys: Vec<&str> = query
        .split('&')
        .filter_map(|pair| pair.split('=').next())
        .filter(|key| !key.is_empty())
        .collect();
    format!("{}?{}", path.join("/"), keys.join("&"))
}

/// Links that are not pages: feeds, streams, files, and what signs out.
fn is_page(path: &str) -> bool {
    let skip = [
        "/api/", "/static/", "/theme", "/logout", "/bench/", "/healthz",
    ];
    !skip.iter().any(|prefix| path.starts_with(prefix))
        && ![".ics", ".css", ".js", ".svg", ".png", ".xml", "/live"]
            .iter()
            .any(|end| path.split('?').next().unwrap_or_default().ends_with(end))
}

/// Blocking hops of one request.
fn hops_of(request: impl FnOnce()) -> u64 {
    let before = tertulia::http::state::hops();
    request();
    tertulia::http::state::hops() - before
}

/// Follows links from `/` and the `extra` pages, one page per shape, and gives each page's
/// hops. Any answer but 200 fails, except the redirects and refusals of links a reader may see
/// without being allowed to follow (a 3xx or 4xx is left out, a 5xx fails).
fn crawl(client: &Client, extra: &[&str]) -> BTreeMap<String, u64> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = std::iter::once("/")
        .chain(extra.iter().copied())
        .map(str::to_string)
        .collect();
    let mut measured = BTreeMap::new();
    while let Some(path) = queue.pop_front() {
        if measured.len() >= 120 {
            break;
        }
        // Twice: the first visit may also write a batch of view counts or a read marker.
        client.get(&path);
        let mut body = String::new();
        let mut status = 0;
        let hops = hops_of(|| {
            let page = client.get(&path);
            (status, body) = (page.status, page.body);
        });
        assert!(status < 500, "{path}: {status} {body}");
        if status != 200 {
            continue;
        }
        measured.insert(path.clone(), hops);
        for link in links(&body) {
            if is_page(&link) && seen.insert(shape(&link)) {
                queue.push_back(link);
            }
        }
    }
    measured
}

/// A demo account, signed in through the login form.
fn signed_in(app: &TestApp, login: &str) -> Client {
    let client = app.client();
    let answer = client.submit_form(
        "/login",
        "/login",
        &[
            ("login", login),
            ("password", tertulia::demo::DEMO_PASSWORD),
        ],
    );
    assert_eq!(answer.status, 303, "{}", answer.body);
    client
}

#[test]
fn every_demo_page_takes_one_hop_besides_the_session() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::start_with(backend, |c| c.jobs_worker = false) else {
            continue;
        };
        let ctx = tertulia::build_context(app.config.clone()).unwrap();
        tertulia::demo::seed(&mut app.db(), &ctx).unwrap().unwrap();
        let visitor = app.client();
        let (marta, admin) = (signed_in(&app, "marta_cm"), signed_in(&app, "admin"));
        // Emma left a new thread unsent: her form opens with it and the threads like its title.
        let emma = signed_in(&app, "emma_brews");
        // Pages each reader must reach, so a crawl that lost its session cannot pass.
        for (who, client, most, extra, reached) in [
            (
                "visitor",
                &visitor,
                1,
                &[][..],
                &["/t/", "/events/", "/u/"][..],
            ),
            (
                "marta_cm",
                &marta,
                2,
                &["/new?title=grinder+for+espresso"][..],
                &["/review", "/cases/", "/admin/rules", "/new?title="][..],
            ),
            (
                "admin",
                &admin,
                2,
                &[][..],
                &["/admin/users", "/admin/jobs", "/admin/groups"][..],
            ),
            (
                "emma_brews",
                &emma,
                2,
                &["/new"][..],
                &["/new", "/notifications", "/me/preferences"][..],
            ),
        ] {
            let measured = crawl(client, extra);
            for page in reached {
                assert!(
                    measured.keys().any(|path| path.starts_with(page)),
                    "{backend:?} {who} did not reach {page}: {measured:?}"
                );
            }
            eprintln!("{backend:?} {who}: {} pages", measured.len());
            for (path, hops) in &measured {
                eprintln!("    {hops} {path}");
            }
            assert!(measured.len() > 20, "{who} reached only {measured:?}");
            let over: Vec<_> = measured.iter().filter(|(_, h)| **h > most).collect();
            assert!(
                over.is_empty(),
                "{backend:?} {who}: pages over {most} hops: {over:?}"
            );
        }
    }
}
