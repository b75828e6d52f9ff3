//! The demo's reputation: every post's points and every built-in badge, computed at once (the
//! seed clears the jobs its backdated history queued); a custom badge granted by the community
//! manager; members showing badges by their names; the top of the leaders report nominated as
//! an ambassador (accepted) and the next one nominated (pending); three invitation campaigns with
//! members who signed up through them weeks and months ago.

use chrono::Duration;
use diesel::prelude::*;

use super::viewer_for;
use crate::accounts::model::{RegisterForm, Role, User, UserId};
use crate::context::AppContext;
use crate::db::schema::{badges, posts, user_badges, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{PostId, ReplyForm};
use crate::reputation::model::{BadgeForm, BadgeId, GrantForm, Tier};
use crate::reputation::{
    ambassadors, badges as grants, featured, invites, leaders, points, service,
};
use crate::util::now;

/// Members who signed up through the campaigns: (username, display name, source, days ago,
/// came back since).
const INVITED: &[(&str, &str, &str, i64, bool)] = &[
    ("bea_latte", "Bea", "packaging-insert", 120, true),
    ("hugo_filtro", "Hugo", "packaging-insert", 45, true),
    ("irene_moka", "Irene", "packaging-insert", 40, false),
    ("leo_cortado", "Leo", "support-email", 95, false),
    ("marina_cold", "Marina", "instagram", 35, true),
    ("nico_nuevo", "Nico", "instagram", 2, true),
];

pub(super) fn seed(
    conn: &mut DbConnection,
    ctx: &AppContext,
    people: &[User],
    settings: &crate::forum::service::ForumSettings,
) -> AppResult<Vec<(String, String, Option<String>)>> {
    let manager = people
        .iter()
        .find(|u| u.role == Role::CommunityManager)
        .ok_or_else(|| AppError::internal("the demo has no community manager"))?;
    let cm = viewer_for(conn, manager)?;
    let invited = campaigns(conn, ctx, &cm, people, settings)?;
    // The leaders report's top two: the first an ambassador, the second still deciding.
    let report = leaders::report(conn, &cm, &leaders::LeadersQuery::default())?;
    for (n, leader) in report.leaders.iter().take(2).enumerate() {
        ambassadors::nominate(
            ctx,
            conn,
            &cm,
            &ambassadors::NominationForm {
                username: leader.username.clone(),
                reason: "Respondes a quien llega y tus respuestas se aceptan. / You answer newcomers and your answers get accepted.".into(),
            },
        )?;
        if n == 0 {
            let user = crate::accounts::service::user_by_username(conn, &leader.username)?;
            let actor = viewer_for(conn, &user)?;
            ambassadors::answer(conn, &actor, true)?;
        }
    }
    // Points for every post, then every built-in badge over every member.
    crate::db::write_transaction(conn, |conn| {
        let ids: Vec<PostId> = posts::table.select(posts::id).load(conn)?;
        for id in ids {
            points::reconcile(conn, id)?;
        }
        let built_in: Vec<BadgeId> = badges::table
            .filter(badges::builtin.eq(1))
            .select(badges::id)
            .load(conn)?;
        for badge in built_in {
            let mut after = Some(0);
            while let Some(cursor) = after {
                after = grants::backfill_step(ctx, conn, badge, cursor)?;
            }
        }
        AppResult::Ok(())
    })?;
    // The community manager's own badge, for the barista who runs the workshops.
    let custom = service::create(
        ctx,
        conn,
        &cm,
        &BadgeForm {
            name_en: "Barista of the month".into(),
            name_es: "Barista del mes".into(),
            description_en: "Chosen by the Aurora team for patient, precise help.".into(),
            description_es: "Elegida por el equipo de Aurora por su ayuda paciente y precisa."
                .into(),
            tier: Tier::Gold.as_str().into(),
            icon: "cup".into(),
            multiple: true,
        },
        "es",
    )?;
    service::grant_by_hand(
        ctx,
        conn,
        &cm,
        custom.id,
        &GrantForm {
            username: "lucia_barista".into(),
            reason: "Por el taller de latte art y sus respuestas sobre molienda. / For the latte art workshop and her grinding answers.".into(),
        },
    )?;
    // Members show their rarest badges by their names.
    let holders: Vec<(UserId, BadgeId, Tier)> = user_badges::table
        .inner_join(badges::table)
        .order((user_badges::user_id, badges::tier.asc(), badges::id.desc()))
        .select((user_badges::user_id, badges::id, badges::tier))
        .load(conn)?;
    for person in people.iter().filter(|u| u.role == Role::Member) {
        let mut chosen: Vec<BadgeId> = vec![];
        for (_, badge, _) in holders.iter().filter(|(u, ..)| *u == person.id) {
            if !chosen.contains(badge) && chosen.len() < 2 {
                chosen.push(*badge);
            }
        }
        if !chosen.is_empty() {
            let actor = viewer_for(conn, person)?;
            featured::set(conn, &actor, &chosen)?;
        }
    }
    Ok(invited)
}

/// Three campaigns and the members they brought, backdated so the dashboard has 30- and
/// 90-day figures; most of them posted a first reply.
fn campaigns(
    conn: &mut DbConnection,
    ctx: &AppContext,
    cm: &crate::policy::Actor,
    people: &[User],
    settings: &crate::forum::service::ForumSettings,
) -> AppResult<Vec<(String, String, Option<String>)>> {
    let hash = ctx.hasher.hash(super::DEMO_PASSWORD)?;
    let mut codes = vec![];
    for (source, uses) in [
        ("packaging-insert", 500),
        ("support-email", 100),
        ("instagram", 200),
    ] {
        let made = invites::create(
            ctx,
            conn,
            cm,
            &invites::InviteForm {
                source: source.into(),
                max_uses: Some(uses),
                expires_in_days: Some(365),
            },
        )?;
        let code = made
            .url
            .split("invite=")
            .nth(1)
            .unwrap_or_default()
            .to_string();
        codes.push((source, code));
    }
    let welcome: Option<crate::forum::model::ThreadId> = crate::db::schema::threads::table
        .order(crate::db::schema::threads::id.asc())
        .select(crate::db::schema::threads::id)
        .first(conn)
        .optional()?;
    let mut accounts = vec![];
    for (username, name, source, days, came_back) in INVITED {
        let code = codes
            .iter()
            .find(|(s, _)| s == source)
            .map(|(_, c)| c.clone());
        let form = RegisterForm {
            display_name: (*name).into(),
            invite: code.clone(),
            ..RegisterForm::new(
                username,
                &format!("{username}@demo.example"),
                super::DEMO_PASSWORD,
            )
        };
        let user = crate::db::write_transaction(conn, |conn| {
            let user = crate::accounts::service::register_hashed(
                conn,
                &form,
                &hash,
                Role::Member,
                Some("es"),
            )?;
            if let Some(code) = &code {
                invites::redeem(conn, code, user.id)?;
            }
            crate::accounts::service::email_tokens::mark_verified(conn, user.id)?;
            crate::accounts::service::user_by_id(conn, user.id)
        })?;
        if *came_back || *days < 30 {
            if let Some(thread) = welcome {
                let actor = viewer_for(conn, &user)?;
                crate::forum::service::posting::reply(
                    conn,
                    &actor,
                    thread,
                    &ReplyForm {
                        body: "¡Hola! Llegué por la tarjeta de la bolsa de café. / Hi! I came from the card in the coffee bag.".into(),
                        reply_to: None,
                        official: false,
                    },
                    settings,
                )?;
            }
        }
        let joined = now() - Duration::days(*days);
        let seen = if *came_back {
            now()
        } else {
            joined + Duration::days(3)
        };
        diesel::update(users::table.find(user.id))
            .set((
                users::created_at.eq(joined),
                users::email_verified_at.eq(Some(joined)),
                users::last_seen_at.eq(Some(seen)),
                // The newest one has read the rules, filled in the profile and replied: two
                // steps of the first week to go (their home page shows the checklist).
                users::first_week.eq(if *days < 30 {
                    use crate::reputation::first_week::{PROFILE, REPLIED, RULES_READ};
                    RULES_READ | PROFILE | REPLIED
                } else {
                    crate::reputation::first_week::ALL
                }),
            ))
            .execute(conn)?;
        accounts.push((username.to_string(), "member".to_string(), None));
    }
    let _ = people;
    Ok(accounts)
}
