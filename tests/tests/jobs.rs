//! Domain events and the jobs worker: a reply publishes `post_created`, notify's subscriber
//! turns it into notifications, and a subscriber job whose worker lost its lease leaves nothing
//! behind, so a job run twice notifies once.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use diesel::prelude::*;
use tertulia::db::schema::{jobs, notifications};
use tertulia::jobs::Outcome;
use tertulia_tests::fixtures::{general_forum, member, reply, thread};
use tertulia_tests::{on_both, Backend, TestApp};

/// The member's notifications, leaving out badges (earned by posting: another subject).
fn notifications_of(app: &TestApp, user: i64) -> i64 {
    notifications::table
        .filter(notifications::user_id.eq(user))
        .filter(
            notifications::subject_kind.ne(tertulia::notify::model::SubjectKind::Badge.as_i16()),
        )
        .count()
        .get_result(&mut app.db())
        .unwrap()
}

/// An app whose jobs run only when the test says so.
fn app_without_worker(backend: Backend) -> Option<TestApp> {
    TestApp::start_with(backend, |c| c.jobs_worker = false)
}

fn subscriber_job_runs_to_completion_once(backend: Backend) {
    let Some(app) = app_without_worker(backend) else {
        return;
    };
    {
        let _admin = general_forum(&app);
        let author = member(&app, "asker");
        let (id, _) = thread(
            &author,
            "general",
            "discussion",
            "Descaling every month?",
            "Or less?",
        );
        let ctx = tertulia::build_context(app.config.clone()).unwrap();
        // The thread's own event first (the author is not told of their own post).
        while tertulia::jobs::run_one(&ctx, "warmup").unwrap() {}
        let author_id = tertulia_tests::fixtures::user_id(&app, "asker");
        assert_eq!(notifications_of(&app, author_id), 0);

        reply(
            &member(&app, "helper"),
            id,
            "Every two months with soft water.",
        );
        let kinds: Vec<String> = jobs::table
            .filter(jobs::done_at.is_null())
            .select(jobs::kind)
            .load(&mut app.db())
            .unwrap();
        assert_eq!(
            kinds
                .iter()
                .filter(|k| *k == "event:notify.fan_out")
                .count(),
            1,
            "the reply published one event for notify: {kinds:?}"
        );
        // Other subscribers' jobs (trust levels) are not this test's subject: out of the way.
        diesel::update(jobs::table.filter(jobs::kind.ne("event:notify.fan_out")))
            .set(jobs::done_at.eq(Some(chrono::Utc::now().naive_utc())))
            .execute(&mut app.db())
            .unwrap();

        // Worker A claims the job, then stalls past its lease; worker B claims it and finishes.
        let mut conn = ctx.pool.get().unwrap();
        let job_a = tertulia::jobs::claim(&mut conn, "worker-a")
            .unwrap()
            .expect("a due job");
        diesel::update(jobs::table.find(job_a.id))
            .set(
                jobs::locked_until
                    .eq(chrono::Utc::now().naive_utc() - chrono::Duration::seconds(1)),
            )
            .execute(&mut **conn)
            .unwrap();
        assert!(tertulia::jobs::run_one(&ctx, "worker-b").unwrap());
        assert_eq!(
            notifications_of(&app, author_id),
            1,
            "B told the author of the reply"
        );

        // A wakes up and runs the same job: its work is rolled back, nothing is doubled.
        let outcome = tertulia::jobs::run_claimed(&ctx, &mut conn, &job_a, "worker-a").unwrap();
        assert_eq!(outcome, Outcome::LeaseLost);
        assert_eq!(
            notifications_of(&app, author_id),
            1,
            "the second run notified nobody again"
        );
        let done: Vec<(Option<chrono::NaiveDateTime>, Option<String>)> = jobs::table
            .find(job_a.id)
            .select((jobs::done_at, jobs::locked_by))
            .load(&mut **conn)
            .unwrap();
        assert!(done[0].0.is_some(), "done once, by B");
        assert_eq!(done[0].1.as_deref(), Some("worker-b"));
        // The event is not run again by anyone.
        let open_events: i64 = jobs::table
            .filter(jobs::kind.eq("event:notify.fan_out"))
            .filter(jobs::done_at.is_null())
            .count()
            .get_result(&mut **conn)
            .unwrap();
        assert_eq!(open_events, 0);
    }
}

fn events_without_subscribers_queue_nothing(backend: Backend) {
    let Some(app) = app_without_worker(backend) else {
        return;
    };
    {
        let admin = general_forum(&app);
        tertulia_tests::fixtures::public_category(&admin, "support");
        let author = member(&app, "mover");
        let (id, _) = thread(
            &author,
            "general",
            "discussion",
            "A thread to move and edit",
            "first",
        );
        let ctx = tertulia::build_context(app.config.clone()).unwrap();
        while tertulia::jobs::run_one(&ctx, "drain").unwrap() {}
        let moved = admin.api(
            "POST",
            &format!("/api/v1/threads/{id}/moderation"),
            Some(tertulia_tests::json!({"category": "support"})),
        );
        assert_eq!(moved.status, 200, "{}", moved.body);
        // No domain subscribes to thread_moved yet: no job row is written for it.
        let pending: i64 = jobs::table
            .filter(jobs::done_at.is_null())
            .count()
            .get_result(&mut app.db())
            .unwrap();
        assert_eq!(pending, 0);
    }
}

on_both! {
    a_subscriber_job_runs_to_completion_once => subscriber_job_runs_to_completion_once,
    events_without_subscribers_queue_nothing => events_without_subscribers_queue_nothing,
}

/// A job that runs longer than its lease keeps it (renewed while it runs): another worker does
/// not run it a second time, and its one run is the one that counts.
fn a_long_job_keeps_its_lease(backend: Backend) {
    let Some(app) = TestApp::start_with(backend, |c| {
        c.jobs_worker = false;
        c.job_lease_seconds = 1;
    }) else {
        return;
    };
    use tertulia::notify::probe::{SlowProbe, JOB_SLOW_PROBE};
    app.create_user("waiter", tertulia::accounts::model::Role::Member);
    let waiter = tertulia_tests::fixtures::user_id(&app, "waiter");
    let ctx = tertulia::build_context(app.config.clone()).unwrap();
    let job = {
        let mut conn = ctx.pool.get().unwrap();
        let probe = SlowProbe {
            user: tertulia::accounts::model::UserId(waiter),
            millis: 3_000,
        };
        tertulia::jobs::enqueue(&mut conn, JOB_SLOW_PROBE, &probe, None, 3).unwrap()
    };
    let (a_ran, b_ran) = std::thread::scope(|scope| {
        let a = scope.spawn(|| tertulia::jobs::run_one(&ctx, "worker-a").unwrap());
        // Past the one-second lease, worker B looks for work while A is still running.
        std::thread::sleep(std::time::Duration::from_millis(1_600));
        let b = tertulia::jobs::run_one(&ctx, "worker-b").unwrap();
        (a.join().unwrap(), b)
    });
    assert!(a_ran);
    assert!(!b_ran, "worker B ran the job while A was still running it");
    let (attempts, locked_by, done): (i32, Option<String>, bool) = jobs::table
        .find(job)
        .select((jobs::attempts, jobs::locked_by, jobs::done_at.is_not_null()))
        .first(&mut app.db())
        .unwrap();
    assert_eq!(
        (attempts, locked_by.as_deref(), done),
        (1, Some("worker-a"), true)
    );
    assert_eq!(notifications_of(&app, waiter), 1);
}

on_both! { long_jobs_keep_their_lease => a_long_job_keeps_its_lease }
