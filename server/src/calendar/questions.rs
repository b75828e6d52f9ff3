//! Live Q&A: members ask questions about an event (before or during it), upvote others'
//! questions, and those who run it mark them answered or dismissed. Every change is announced
//! on the event's live topic (`live::announce`, after it committed), so every open event page
//! shows it within a moment, on any app server.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::service::{hosts, runs, visible};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{event_occurrences, event_question_votes, event_questions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorKind};
use crate::newtypes::{small_enum, Choice};
use crate::policy::Actor;
use crate::util::now;

const MIN_TEXT: usize = 3;
const MAX_TEXT: usize = 500;
/// Open questions one member may have in one event.
const MAX_OPEN: i64 = 10;

small_enum!(
    /// Where a question stands.
    QuestionState {
        Open = 0 => "open",
        Answered = 1 => "answered",
        Dismissed = 2 => "dismissed",
    }
);

/// The live topic of an event's questions.
pub fn topic(id: EventId) -> String {
    format!("event:{}", id.0)
}

/// A question: `text`, 3 to 500 characters.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct QuestionForm {
    pub text: String,
}

/// A new state for a question (those who run the event): `answered`, `dismissed` or `open`.
#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct StateForm {
    #[schema(value_type = QuestionState)]
    pub state: Choice<QuestionState>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionView {
    pub id: i64,
    pub author: String,
    /// Plain text (escape it to show it).
    pub text: String,
    pub state: String,
    pub votes: i32,
    /// The reader voted for it.
    pub voted: bool,
    /// The reader asked it.
    pub mine: bool,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// An event's questions as a reader sees them: open ones by votes (then oldest first), then the
/// answered ones; dismissed ones only to those who run the event and to their authors.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Questions {
    pub event_id: i64,
    pub questions: Vec<QuestionView>,
    /// The reader may ask (signed in, the event not cancelled or over).
    pub can_ask: bool,
    /// The reader runs the event (may mark questions).
    pub runs: bool,
}

type Row = (
    i64,
    UserId,
    String,
    String,
    QuestionState,
    i32,
    NaiveDateTime,
);

pub fn list(conn: &mut DbConnection, actor: &Actor, id: EventId) -> AppResult<Questions> {
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    let runs = runs(actor, &event, &hosts);
    let me = actor.user_id();
    let rows: Vec<Row> = event_questions::table
        .inner_join(users::table)
        .filter(event_questions::event_id.eq(id))
        .select((
            event_questions::id,
            event_questions::author_id,
            users::username,
            event_questions::body,
            event_questions::state,
            event_questions::votes,
            event_questions::created_at,
        ))
        .load(conn)?;
    let mine: Vec<i64> = match me {
        None => vec![],
        Some(user) => event_question_votes::table
            .inner_join(event_questions::table)
            .filter(event_questions::event_id.eq(id))
            .filter(event_question_votes::user_id.eq(user))
            .select(event_question_votes::question_id)
            .load(conn)?,
    };
    let mut questions: Vec<QuestionView> = rows
        .into_iter()
        .filter(|r| r.4 != QuestionState::Dismissed || runs || Some(r.1) == me)
        .map(
            |(qid, author_id, author, text, state, votes, created_at)| QuestionView {
                id: qid,
                author,
                text,
                state: state.as_str().to_string(),
                votes,
                voted: mine.contains(&qid),
                mine: Some(author_id) == me,
                created_at,
            },
        )
        .collect();
    let rank = |s: &str| match s {
        "open" => 0,
        "answered" => 1,
        _ => 2,
    };
    questions.sort_by(|a, b| {
        (rank(&a.state), -a.votes, a.created_at, a.id).cmp(&(
            rank(&b.state),
            -b.votes,
            b.created_at,
            b.id,
        ))
    });
    Ok(Questions {
        event_id: id.0,
        questions,
        can_ask: me.is_some() && open_for_questions(conn, &event)?,
        runs,
    })
}

/// Questions are taken until the event's last date ends, unless it was cancelled.
fn open_for_questions(conn: &mut DbConnection, event: &Event) -> AppResult<bool> {
    if event.state == EventState::Cancelled {
        return Ok(false);
    }
    let last: Option<NaiveDateTime> = event_occurrences::table
        .filter(event_occurrences::event_id.eq(event.id))
        .filter(event_occurrences::state.eq(EventState::Scheduled))
        .select(diesel::dsl::max(event_occurrences::ends_at))
        .first(conn)?;
    Ok(last.is_some_and(|end| end > now()))
}

/// What was written: the question's id.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Asked {
    pub id: i64,
}

pub fn ask(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    form: &QuestionForm,
) -> AppResult<Asked> {
    let user = actor.require_user()?.id;
    crate::policy::may_write(actor, now())?;
    let (event, _) = visible(conn, actor, id)?;
    let text = form.text.trim();
    let length = text.chars().count();
    if !(MIN_TEXT..=MAX_TEXT).contains(&length) {
        return Err(AppError::invalid_field("text", "error-question-length"));
    }
    if !open_for_questions(conn, &event)? {
        return Err(AppError::invalid_field("text", "error-question-closed"));
    }
    let open: i64 = event_questions::table
        .filter(event_questions::event_id.eq(id))
        .filter(event_questions::author_id.eq(user))
        .filter(event_questions::state.eq(QuestionState::Open))
        .count()
        .get_result(conn)?;
    if open >= MAX_OPEN {
        return Err(AppError::invalid_field("text", "error-question-many"));
    }
    let qid: i64 = diesel::insert_into(event_questions::table)
        .values((
            event_questions::event_id.eq(id),
            event_questions::author_id.eq(user),
            event_questions::body.eq(text),
            event_questions::state.eq(QuestionState::Open),
            event_questions::created_at.eq(now()),
        ))
        .returning(event_questions::id)
        .get_result(conn)?;
    crate::live::announce(ctx, &topic(id));
    Ok(Asked { id: qid })
}

/// A question of event `id` (not found for another event's).
fn question(conn: &mut DbConnection, id: EventId, qid: i64) -> AppResult<(UserId, QuestionState)> {
    event_questions::table
        .filter(event_questions::id.eq(qid))
        .filter(event_questions::event_id.eq(id))
        .select((event_questions::author_id, event_questions::state))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))
}

/// A question's votes after a vote.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Voted {
    pub votes: i32,
    pub voted: bool,
}

/// Votes for an open question of someone else (`up`), or takes one's vote back.
pub fn vote(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    qid: i64,
    up: bool,
) -> AppResult<Voted> {
    let user = actor.require_user()?.id;
    crate::policy::may_write(actor, now())?;
    visible(conn, actor, id)?;
    let (author, state) = question(conn, id, qid)?;
    if author == user {
        return Err(AppError::invalid_field("question", "error-question-own"));
    }
    if state != QuestionState::Open {
        return Err(AppError::invalid_field(
            "question",
            "error-question-not-open",
        ));
    }
    let votes = crate::db::write_transaction(conn, |conn| {
        if up {
            let row = (
                event_question_votes::question_id.eq(qid),
                event_question_votes::user_id.eq(user),
            );
            match conn {
                DbConnection::Sqlite(c) => {
                    diesel::insert_or_ignore_into(event_question_votes::table)
                        .values(row)
                        .execute(c)?
                }
                DbConnection::Postgresql(c) => diesel::insert_into(event_question_votes::table)
                    .values(row)
                    .on_conflict_do_nothing()
                    .execute(c)?,
            };
        } else {
            diesel::delete(
                event_question_votes::table
                    .filter(event_question_votes::question_id.eq(qid))
                    .filter(event_question_votes::user_id.eq(user)),
            )
            .execute(conn)?;
        }
        let votes: i64 = event_question_votes::table
            .filter(event_question_votes::question_id.eq(qid))
            .count()
            .get_result(conn)?;
        diesel::update(event_questions::table.filter(event_questions::id.eq(qid)))
            .set(event_questions::votes.eq(votes as i32))
            .execute(conn)?;
        AppResult::Ok(votes as i32)
    })?;
    crate::live::announce(ctx, &topic(id));
    Ok(Voted { votes, voted: up })
}

/// Marks a question answered, dismissed or open again (those who run the event).
pub fn set_state(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: EventId,
    qid: i64,
    form: &StateForm,
) -> AppResult<()> {
    actor.require_user()?;
    let (event, _) = visible(conn, actor, id)?;
    let hosts = hosts(conn, id)?;
    crate::policy::require(runs(actor, &event, &hosts))?;
    let state = form
        .state
        .known()
        .ok_or_else(|| AppError::invalid_field("state", "error-question-state"))?;
    question(conn, id, qid)?;
    diesel::update(event_questions::table.filter(event_questions::id.eq(qid)))
        .set((
            event_questions::state.eq(state),
            event_questions::answered_at.eq((state == QuestionState::Answered).then(now)),
        ))
        .execute(conn)?;
    crate::live::announce(ctx, &topic(id));
    Ok(())
}
