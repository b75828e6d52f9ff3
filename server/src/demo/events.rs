//! The demo's events, written through the calendar's services as the community manager would:
//! an online workshop that is full with a waitlist, a weekly Q&A with the product team, a
//! meet-up at the shop, and a repair clinic that took place last week (with its attendance and
//! its follow-up); the Q&A has questions and votes; Lucía organises in the off-topic category.

use chrono::Duration;
use diesel::prelude::*;

use super::viewer_for;
use crate::accounts::model::{Role, User};
use crate::calendar::model::{EventForm, EventId, RsvpForm};
use crate::calendar::{rsvp, schedule, service};
use crate::context::AppContext;
use crate::db::schema::event_occurrences;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::util::now;

const MADRID: &str = "Europe/Madrid";

/// A day `days` from now at `hour`:`minute` on Madrid's clock, as the form takes it.
fn madrid(days: i64, hour: u32, minute: u32) -> String {
    let tz = schedule::zone(MADRID).unwrap_or(chrono_tz::UTC);
    let day = schedule::to_local(now(), tz).date() + Duration::days(days);
    day.and_hms_opt(hour, minute, 0)
        .unwrap_or_default()
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

pub(super) fn seed(conn: &mut DbConnection, ctx: &AppContext, people: &[User]) -> AppResult<()> {
    let manager = people
        .iter()
        .find(|u| u.role == Role::CommunityManager)
        .ok_or_else(|| AppError::internal("the demo has no community manager"))?;
    let host = viewer_for(conn, manager)?;
    // Customers who may answer (the moderation samples suspended one).
    let suspended: Vec<crate::accounts::model::UserId> = crate::db::schema::users::table
        .filter(crate::db::schema::users::suspended_until.gt(now()))
        .select(crate::db::schema::users::id)
        .load(conn)?;
    let members: Vec<&User> = people
        .iter()
        .filter(|u| u.role == Role::Member && u.department.is_none())
        .filter(|u| !suspended.contains(&u.id))
        .collect();
    let form = |title: &str, body: &str, starts: String, ends: String| EventForm {
        category: "charla".into(),
        title: title.into(),
        body: body.into(),
        starts_at: starts,
        ends_at: ends,
        time_zone: MADRID.into(),
        ..EventForm::default()
    };
    let workshop = service::create(conn, ctx, &host, &EventForm {
        online_url: Some("https://meet.example.com/aurora-latte-art".into()),
        capacity: Some(8),
        hosts: Some("marta_cm lucia_barista".into()),
        ..form(
            "Taller online de latte art / Online latte art workshop",
            "Lucía nos enseña a texturizar la leche y a dibujar un corazón y un tulipán. Ten a mano tu jarra y leche fría.\n\nLucía shows how to texture milk and pour a heart and a tulip. Have your jug and cold milk ready.",
            madrid(5, 18, 30),
            madrid(5, 19, 30),
        )
    })?;
    let qa = service::create(conn, ctx, &host, &EventForm {
        online_url: Some("https://meet.example.com/aurora-producto".into()),
        recurrence: Some("weekly".into()),
        occurrences: Some(6),
        hosts: Some("marta_cm producto_ana".into()),
        ..form(
            "Preguntas al equipo de producto / Ask the product team",
            "Cada jueves, media hora de preguntas en directo con el equipo que diseña las cafeteras.\n\nEvery Thursday, half an hour of live questions with the team that designs the machines.",
            madrid(2, 19, 0),
            madrid(2, 19, 30),
        )
    })?;
    let meetup = service::create(conn, ctx, &host, &EventForm {
        location: Some("Tienda Aurora, Calle de Fuencarral 45, Madrid".into()),
        capacity: Some(30),
        rsvp_deadline: Some(madrid(11, 12, 0)),
        ..form(
            "Quedada en la tienda de Madrid / Meet-up at the Madrid shop",
            "Catas, un molino nuevo para probar y café para todos.\n\nCuppings, a new grinder to try and coffee for everyone.",
            madrid(12, 18, 0),
            madrid(12, 20, 30),
        )
    })?;
    let clinic = service::create(conn, ctx, &host, &EventForm {
        online_url: Some("https://meet.example.com/aurora-reparaciones".into()),
        capacity: Some(20),
        ..form(
            "Clínica de reparación en directo / Live repair clinic",
            "Desmontamos una Aurora Classic y resolvemos las averías más comunes.\n\nWe take an Aurora Classic apart and fix the most common faults.",
            madrid(1, 18, 0),
            madrid(1, 19, 0),
        )
    })?;
    let answer = |conn: &mut DbConnection, who: &User, id: i64, status: &str| -> AppResult<()> {
        let actor = viewer_for(conn, who)?;
        let form = RsvpForm {
            status: status.into(),
            occurrence: None,
        };
        rsvp::answer(conn, ctx, &actor, EventId(id), &form).map(|_| ())
    };
    // The workshop fills up: eight places taken, three on the waitlist.
    for who in members.iter().take(11) {
        answer(conn, who, workshop.id, "going")?;
    }
    for (n, who) in members.iter().enumerate().take(9) {
        answer(
            conn,
            who,
            qa.id,
            if n % 3 == 2 { "interested" } else { "going" },
        )?;
        answer(
            conn,
            who,
            meetup.id,
            if n % 2 == 0 { "going" } else { "interested" },
        )?;
    }
    for who in members.iter().skip(2).take(7) {
        answer(conn, who, clinic.id, "going")?;
    }
    // Questions for the product team, with votes.
    let questions = [
        "¿Habrá repuestos de la junta del grupo para la Aurora Classic de 2019?",
        "Will the new grinder have a single-dose hopper?",
        "¿Qué presión recomendáis para un café de tueste claro?",
    ];
    let mut asked = vec![];
    for (who, text) in members.iter().zip(questions) {
        let actor = viewer_for(conn, who)?;
        let form = crate::calendar::questions::QuestionForm { text: text.into() };
        asked.push(crate::calendar::questions::ask(conn, ctx, &actor, EventId(qa.id), &form)?.id);
    }
    for (n, who) in members.iter().enumerate().skip(3).take(5) {
        let actor = viewer_for(conn, who)?;
        let question = asked[n % 2];
        crate::calendar::questions::vote(conn, ctx, &actor, EventId(qa.id), question, true)?;
    }
    // The clinic took place last week.
    let shift = Duration::days(8);
    let date: (chrono::NaiveDateTime, chrono::NaiveDateTime) = event_occurrences::table
        .filter(event_occurrences::event_id.eq(clinic.id))
        .select((event_occurrences::starts_at, event_occurrences::ends_at))
        .first(conn)?;
    diesel::update(event_occurrences::table.filter(event_occurrences::event_id.eq(clinic.id)))
        .set((
            event_occurrences::starts_at.eq(date.0 - shift),
            event_occurrences::ends_at.eq(date.1 - shift),
            event_occurrences::original_starts_at.eq(date.0 - shift),
        ))
        .execute(conn)?;
    diesel::update(crate::db::schema::events::table.find(EventId(clinic.id)))
        .set(
            crate::db::schema::events::starts_local.eq(schedule::parse_local(
                &madrid(-7, 18, 0),
                chrono_tz::UTC,
            )
            .unwrap_or_default()),
        )
        .execute(conn)?;
    // The hosts published the recording; Lucía may organise events in the off-topic category.
    crate::calendar::follow_up::publish(
        conn,
        ctx,
        &host,
        EventId(clinic.id),
        &crate::calendar::follow_up::FollowUpForm {
            body: "Grabación / Recording: https://video.example.com/aurora-clinica\n\nDiapositivas / Slides: https://slides.example.com/aurora-clinica".into(),
        },
    )?;
    crate::calendar::organizers::set(
        conn,
        &host,
        &crate::calendar::organizers::OrganizersForm {
            category: "charla".into(),
            usernames: "lucia_barista".into(),
        },
    )?;
    // Five of the seven who were going came.
    let attended: Vec<i64> = crate::db::schema::event_rsvps::table
        .inner_join(event_occurrences::table)
        .filter(event_occurrences::event_id.eq(clinic.id))
        .order(crate::db::schema::event_rsvps::id.asc())
        .limit(5)
        .select(crate::db::schema::event_rsvps::id)
        .load(conn)?;
    diesel::update(
        crate::db::schema::event_rsvps::table
            .filter(crate::db::schema::event_rsvps::id.eq_any(&attended)),
    )
    .set(crate::db::schema::event_rsvps::checked_in_at.eq(Some(date.0 - shift)))
    .execute(conn)?;
    Ok(())
}
