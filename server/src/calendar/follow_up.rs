//! After an event: the hosts publish a follow-up (the recording, the slides; Markdown) that
//! everyone who was going to a date that took place is told about once, and turn the answered
//! live questions into a forum thread in the event's category, so the answers stay findable.

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::questions::QuestionState;
use super::service::{hosts, runs, url, visible, Created};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{event_occurrences, event_questions, event_rsvps, events, threads, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{NewThreadForm, Thread};
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::Actor;
use crate::util::now;

/// The follow-up's text: Markdown (links to the recording and the slides).
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct FollowUpForm {
    pub body: String,
}

/// What publishing did: how many members were told (0 when it was edited again).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Published {
    pub notified: usize,
}

fn run_by(conn: &mut DbConnection, actor: &Actor, id: EventId) -> AppResult<Event> {
    actor.require_user()?;
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    crate::policy::require(runs(actor, &event, &hosts))?;
    Ok(event)
}

/// Publishes (or edits) the follow-up of an event that has begun.
pub fn publish(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    form: &FollowUpForm,
) -> AppResult<Published> {
    let event = run_by(conn, actor, id)?;
    let body = form.body.trim();
    if body.chars().count() < 3 || body.chars().count() > crate::forum::markdown::MAX_LENGTH {
        return Err(AppError::invalid_field("body", "error-follow-up-length"));
    }
    let started: Vec<OccurrenceId> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(id))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .filter(event_occurrences::starts_at.le(now()))
        .select(event_occurrences::id)
        .load(conn)?;
    if started.is_empty() {
        return Err(AppError::invalid_field("body", "error-follow-up-early"));
    }
    let cooked =
        crate::forum::service::posting::cook(conn, body, &ctx.config.allowed_image_hosts, true)?;
    crate::db::write_transaction(conn, |conn| {
        diesel::update(events::table.find(id))
            .set((
                events::follow_up.eq(Some(body)),
                events::follow_up_cooked.eq(Some(&cooked)),
                events::follow_up_at.eq(event.follow_up_at.or(Some(now()))),
                events::updated_at.eq(now()),
            ))
            .execute(conn)?;
        if event.follow_up_at.is_some() {
            return Ok(Published { notified: 0 });
        }
        let mut told: Vec<UserId> = event_rsvps::table
            .filter(event_rsvps::occurrence_id.eq_any(&started))
            .filter(
                event_rsvps::status
                    .eq(RsvpStatus::Going)
                    .or(event_rsvps::checked_in_at.is_not_null()),
            )
            .select(event_rsvps::user_id)
            .load(conn)?;
        told.sort();
        told.dedup();
        let notice = Notice::new(
            Subject::new(SubjectKind::Event, id.0),
            format!("{}#follow-up", url(id)),
            &event.title,
        )
        .excerpt(body);
        for user in &told {
            crate::notify::fan_out::notify_subject(ctx, conn, *user, Kind::EventFollowUp, &notice)?;
        }
        Ok(Published {
            notified: told.len(),
        })
    })
}

/// Makes a forum thread of the answered questions (once: again gives the same thread).
pub fn questions_thread(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
) -> AppResult<Created> {
    let event = run_by(conn, actor, id)?;
    if let Some(thread) = event.thread_id {
        let thread: Thread = threads::table
            .find(thread)
            .select(Thread::as_select())
            .first(conn)?;
        return Ok(Created {
            id: thread.id.0,
            url: crate::forum::service::post_url(&thread, 1),
        });
    }
    let answered: Vec<(String, String)> = event_questions::table
        .inner_join(users::table)
        .filter(event_questions::event_id.eq(id))
        .filter(event_questions::state.eq(QuestionState::Answered))
        .order((event_questions::votes.desc(), event_questions::id.asc()))
        .select((users::username, event_questions::body))
        .load(conn)?;
    if answered.is_empty() {
        return Err(AppError::invalid_field("questions", "error-questions-none"));
    }
    let category = crate::policy::all_categories(conn)?
        .into_iter()
        .find(|c| c.id == event.category_id)
        .ok_or_else(|| AppError::internal("the event's category is gone"))?;
    let mut body = format!("[{}]({})\n\n", event.title.replace(['[', ']'], ""), url(id));
    for (author, text) in &answered {
        // Each question quoted line by line, so its text stays the asker's.
        let quoted: Vec<String> = text.lines().map(|l| format!("> {l}")).collect();
        body.push_str(&format!("@{author}:\n\n{}\n\n", quoted.join("\n")));
    }
    if let Some(follow_up) = &event.follow_up {
        body.push_str(&format!("---\n\n{follow_up}\n"));
    }
    let title: String = format!("Q&A: {}", event.title).chars().take(150).collect();
    let form = NewThreadForm {
        category: category.slug,
        kind: "discussion".into(),
        title,
        body,
    };
    let thread =
        crate::forum::service::posting::create_thread(conn, actor, &form, &ctx.forum_settings())?;
    diesel::update(events::table.find(id))
        .set(events::thread_id.eq(Some(thread.id)))
        .execute(conn)?;
    Ok(Created {
        id: thread.id.0,
        url: crate::forum::service::post_url(&thread, 1),
    })
}
