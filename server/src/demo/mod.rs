//! The demo community: `tertulia demo` (or `serve --demo` on an empty forum) writes a believable
//! brand community through the same services members use — accounts, groups, categories, ~50
//! threads in Spanish and English with answers, an official answer and a megathread; events;
//! badges, points, an ambassador and invitation campaigns (`reputation`).

mod cases;
pub mod content;
mod events;
mod moderation;
mod reputation;

use chrono::Duration;
use diesel::prelude::*;

use crate::accounts::model::{CurrentUser, RegisterForm, Role, User};
use crate::accounts::service::{self as accounts};
use crate::context::AppContext;
use crate::db::schema::{categories, jobs, mails, posts, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{CategoryForm, GroupForm, NewThreadForm, PostId, ReplyForm, ThreadId};
use crate::forum::service::{self as forum, ForumSettings};
use crate::policy::Actor;
use crate::util::now;

/// Every demo account shares this password (printed by the command).
pub const DEMO_PASSWORD: &str = "cafe-aurora-demo";
pub const STAFF_GROUP: &str = "Equipo Aurora";
pub const MEGATHREAD_POSTS: usize = 1_500;

/// What the seeding created, for the command to print.
pub struct DemoSummary {
    pub accounts: Vec<(String, String, Option<String>)>,
    pub threads: usize,
    pub posts: i64,
}

/// Two customers report a post of the coffee-corner thread, so the moderators' queue has work.
fn reports(conn: &mut DbConnection, people: &[User]) -> AppResult<()> {
    use crate::moderation::model::ReportForm;
    use crate::moderation::reports::file_report;
    let Some(target) = posts::table
        .inner_join(crate::db::schema::threads::table)
        .filter(crate::db::schema::threads::title.like("Enseña tu rincón%"))
        .filter(posts::number.eq(7))
        .select(posts::id)
        .first::<crate::forum::model::PostId>(conn)
        .optional()?
    else {
        return Ok(());
    };
    let reporters = people
        .iter()
        .filter(|u| u.role == Role::Member && u.department.is_none())
        .take(2);
    for (n, reporter) in reporters.enumerate() {
        let actor = viewer_for(conn, reporter)?;
        let form = ReportForm {
            target_kind: "post".into(),
            target_id: target.0,
            reason: if n == 0 { "spam" } else { "off_topic" }.into(),
            text: "Parece publicidad de otra tienda. / Looks like an ad for another shop.".into(),
            email: None,
            bona_fide: false,
        };
        file_report(conn, None, &actor, &form)?;
    }
    Ok(())
}

/// The community manager writes the rules, then makes one significant change (announced to
/// every member by the jobs worker).
fn community_rules(conn: &mut DbConnection, manager: &User) -> AppResult<()> {
    use crate::moderation::model::{NewRuleForm, RuleChangeForm};
    use crate::moderation::rules;
    let manager = viewer_for(conn, manager)?;
    let texts = [
        ("Respeto / Respect", "Trata a los demás como en la tienda: sin insultos, acoso ni ataques personales.\n\nTreat others as you would in our shop: no insults, harassment or personal attacks."),
        ("Sin spam / No spam", "Nada de publicidad, enlaces de afiliados ni mensajes repetidos.\n\nNo advertising, affiliate links or repeated messages."),
        ("En el tema / On topic", "Publica en la categoría adecuada y busca antes de preguntar.\n\nPost in the right category and search before you ask."),
        ("Privacidad / Privacy", "No publiques datos personales tuyos ni de otros (teléfonos, direcciones, pedidos).\n\nDo not post personal data, yours or others' (phone numbers, addresses, orders)."),
        ("Seguridad / Safety", "Nunca sugieras abrir una cafetera enchufada ni anular sus protecciones.\n\nNever suggest opening a plugged-in machine or bypassing its safety features."),
    ];
    let mut ids = vec![];
    for (title, body) in texts {
        let form = NewRuleForm {
            title: title.into(),
            body: body.into(),
            number: None,
        };
        ids.push(rules::create_rule(conn, &manager, &form)?.id);
    }
    if let Some(spam) = ids.get(1) {
        let change = RuleChangeForm {
            body: Some("Nada de publicidad, enlaces de afiliados ni mensajes repetidos. Las ofertas de segunda mano van en «Mercadillo».\n\nNo advertising, affiliate links or repeated messages. Second-hand offers belong in the Flea market.".into()),
            significant: true,
            ..Default::default()
        };
        rules::change_rule(conn, &manager, *spam, &change)?;
    }
    Ok(())
}

pub(super) fn viewer_for(conn: &mut DbConnection, user: &User) -> AppResult<Actor> {
    Actor::load(conn, Some(CurrentUser::from_user(user)))
}

/// Seeds the demo community unless the forum already has categories (then `None`).
pub fn seed(conn: &mut DbConnection, ctx: &AppContext) -> AppResult<Option<DemoSummary>> {
    let hasher = &ctx.hasher;
    let settings = &ctx.forum_settings();
    let existing: i64 = categories::table.count().get_result(conn)?;
    if existing > 0 {
        return Ok(None);
    }
    // The seed writes weeks of history at once: the members' posting limit does not apply.
    let settings = &ForumSettings {
        posting_limits: false,
        ..settings.clone()
    };
    let seeding_started = now();
    // The operator's admin (created on first run) does the admin work; make one if missing.
    let mut summary = vec![];
    let admin: User = match users::table
        .filter(users::role.eq(Role::Admin))
        .select(User::as_select())
        .first(conn)
        .optional()?
    {
        Some(admin) => admin,
        None => {
            let form = RegisterForm::new("admin", "admin@localhost.localdomain", DEMO_PASSWORD);
            summary.push(("admin".to_string(), "admin".to_string(), None));
            let admin = accounts::register(conn, hasher, &form, Role::Admin, None)?;
            accounts::email_tokens::mark_verified(conn, admin.id)?;
            accounts::user_by_id(conn, admin.id)?
        }
    };
    let admin_viewer = viewer_for(conn, &admin)?;

    let content = content::load()?;
    let mut people: Vec<User> = vec![];
    for demo in &content.users {
        let role = Role::parse(&demo.role).unwrap_or(Role::Member);
        let mut form = RegisterForm::new(
            &demo.username,
            &format!("{}@demo.example.com", demo.username),
            DEMO_PASSWORD,
        );
        form.display_name = demo.display_name.clone();
        let user = accounts::register(conn, hasher, &form, role, Some(&demo.locale))?;
        accounts::email_tokens::mark_verified(conn, user.id)?;
        if let Some(department) = &demo.department {
            crate::admin::service::set_department(conn, user.id, Some(department))?;
        }
        people.push(accounts::user_by_id(conn, user.id)?);
        summary.push((
            demo.username.clone(),
            demo.role.clone(),
            demo.department.clone(),
        ));
    }
    // The demo's customers have been around: level 1 at least (level 0 cannot link); the real
    // levels are computed from their activity once the history is written.
    diesel::update(users::table)
        .set(users::trust_level.eq(1i16))
        .execute(conn)?;
    let people: Vec<User> = people
        .iter()
        .map(|u| User {
            trust_level: 1,
            ..u.clone()
        })
        .collect();
    let find = |name: &str| -> AppResult<&User> {
        people
            .iter()
            .find(|u| u.username == name)
            .ok_or_else(|| AppError::internal(format!("demo data names unknown user {name}")))
    };
    community_rules(conn, find("marta_cm")?)?;

    let group = crate::admin::service::create_group(
        conn,
        &admin_viewer,
        &GroupForm {
            name: STAFF_GROUP.into(),
            description: "Staff de Cafetera Aurora / Cafetera Aurora staff".into(),
            flair: None,
        },
    )?;
    for demo in content
        .users
        .iter()
        .filter(|u| u.department.is_some() || u.role != "member")
    {
        crate::admin::service::set_group_member(
            conn,
            &admin_viewer,
            group.id,
            &demo.username,
            true,
        )?;
    }
    for category in &content.categories {
        forum::categories::create_category(
            conn,
            &admin_viewer,
            &CategoryForm {
                name: category.name.clone(),
                slug: category.slug.clone(),
                description: category.description.clone(),
                parent: category.parent.clone().unwrap_or_default(),
                visibility: category.visibility.as_str().into(),
                groups: if category.visibility == "private" {
                    STAFF_GROUP.into()
                } else {
                    String::new()
                },
                start_rule: category.start_rule.clone().unwrap_or_default(),
                start_trust: String::new(),
                reply_rule: String::new(),
                reply_trust: String::new(),
                posting_groups: String::new(),
            },
        )?;
    }

    // Two years of history would be overkill; the threads spread over the last ~6 weeks.
    let start = now() - Duration::days(45);
    let count = content.threads.len() as i64;
    for (index, demo) in content.threads.iter().enumerate() {
        let author = find(&demo.author)?.clone();
        let viewer = viewer_for(conn, &author)?;
        let thread = forum::posting::create_thread(
            conn,
            &viewer,
            &NewThreadForm {
                category: demo.category.clone(),
                kind: demo.kind.as_str().into(),
                title: demo.title.clone(),
                body: demo.body.clone(),
            },
            settings,
        )?;
        let mut reply_ids = vec![];
        for (n, reply) in demo.replies.iter().enumerate() {
            let replier = find(&reply.author)?.clone();
            let replier_viewer = viewer_for(conn, &replier)?;
            let (post, _) = forum::posting::reply(
                conn,
                &replier_viewer,
                thread.id,
                &ReplyForm {
                    body: reply.body.clone(),
                    reply_to: None,
                    official: demo.official_reply == Some(n),
                },
                settings,
            )?;
            reply_ids.push(post.id);
        }
        if let Some(accepted) = demo.accepted_reply.and_then(|i| reply_ids.get(i)) {
            forum::posting::toggle_accepted(conn, &viewer, *accepted)?;
        }
        let began = start + Duration::minutes(index as i64 * 45 * 24 * 60 / count);
        backdate(conn, thread.id, began, 37)?;
    }

    // An unsent new thread waits in Emma's composer (drafts follow a member across devices).
    let emma = viewer_for(conn, find("emma_brews")?)?;
    forum::drafts::save(
        conn,
        &emma,
        forum::drafts::DraftOf::NewThread,
        &forum::drafts::DraftForm {
            title: "Metal puck screens: worth it?".into(),
            body: "I keep reading about metal puck screens on top of the coffee. Has anyone tried one with the Aurora Duo? I wonder whether".into(),
        },
    )?;
    megathread(conn, &people, &content.megathread_lines, settings, start)?;
    reports(conn, &people)?;
    moderation::samples(conn, ctx, &people)?;
    events::seed(conn, ctx, &people)?;
    crate::moderation::trust::recompute(conn, None)?;
    summary.extend(reputation::seed(conn, ctx, &people, settings)?);
    // The demo's history is backdated: nobody should get 1,600 notifications or e-mails about it.
    let queued_jobs = jobs::table
        .filter(jobs::created_at.ge(seeding_started))
        .filter(jobs::kind.ne(crate::notify::digest::JOB_DIGEST));
    diesel::delete(queued_jobs).execute(conn)?;
    diesel::delete(mails::table.filter(mails::created_at.ge(seeding_started))).execute(conn)?;
    let posts: i64 = posts::table.count().get_result(conn)?;
    Ok(Some(DemoSummary {
        accounts: summary,
        threads: content.threads.len() + 1,
        posts,
    }))
}

/// Spreads a thread's posts from `began`, `step` minutes apart, and bumps it to its last post.
fn backdate(
    conn: &mut DbConnection,
    thread: ThreadId,
    began: chrono::NaiveDateTime,
    step: i64,
) -> AppResult<()> {
    let numbers: Vec<(PostId, i32)> = posts::table
        .filter(posts::thread_id.eq(thread))
        .select((posts::id, posts::number))
        .load(conn)?;
    // Readers outnumber writers: a plausible view count, larger for longer threads.
    let views = 9 * numbers.len() as i32 + 3 * (thread.0 % 7) as i32 + 4;
    let mut last = began;
    for (id, number) in numbers {
        let at = began + Duration::minutes(step * i64::from(number - 1));
        last = last.max(at);
        diesel::update(posts::table.find(id))
            .set(posts::created_at.eq(at))
            .execute(conn)?;
    }
    diesel::update(threads::table.find(thread))
        .set((
            threads::created_at.eq(began),
            threads::bumped_at.eq(last),
            threads::views.eq(views),
        ))
        .execute(conn)?;
    Ok(())
}

/// The long-running "show your coffee corner" thread, for paging through a big thread.
fn megathread(
    conn: &mut DbConnection,
    people: &[User],
    lines: &[String],
    settings: &ForumSettings,
    start: chrono::NaiveDateTime,
) -> AppResult<()> {
    let Some(host) = people
        .iter()
        .find(|u| u.username == "marta_cm")
        .or(people.first())
    else {
        return Ok(());
    };
    let viewer = viewer_for(conn, host)?;
    let thread = forum::posting::create_thread(conn, &viewer, &NewThreadForm {
        category: "charla".into(),
        kind: "discussion".into(),
        title: "Enseña tu rincón de café / Show your coffee corner".into(),
        body: "¡El hilo eterno! Contad cómo es vuestro rincón de café. / The everlasting thread: tell us about your coffee corner ☕".into(),
    }, settings)?;
    let customers: Vec<&User> = people
        .iter()
        .filter(|u| u.department.is_none() && u.role == Role::Member)
        .collect();
    let mut viewers = vec![];
    for customer in &customers {
        viewers.push(viewer_for(conn, customer)?);
    }
    for n in 0..MEGATHREAD_POSTS {
        let (Some(viewer), Some(line)) = (
            viewers.get(n % viewers.len().max(1)),
            lines.get((n * 7) % lines.len().max(1)),
        ) else {
            break;
        };
        let body = format!("{line} (#{})", n + 1);
        forum::posting::reply(
            conn,
            viewer,
            thread.id,
            &ReplyForm {
                body,
                reply_to: None,
                official: false,
            },
            settings,
        )?;
    }
    backdate(conn, thread.id, start, 40)?;
    Ok(())
}
