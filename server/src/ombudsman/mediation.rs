//! The mediation conversation of a dispute (disputes.md R-D2): the parties and the ombudsman
//! write to each other while the case is in mediation; a statement marked privileged stays out
//! of the arbitration record unless its author re-submits it (abuse case 14: admissions made
//! to settle are not used against their author). Each statement is in the audit log by digest
//! only, since the conversation is confidential.

use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::appeals::{readable_case, TEXT_MAX};
use super::disputes::{evidence_for, is_party};
use super::model::*;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::case_messages;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// Whether the actor takes part in the case's mediation: a party or its ombudsman.
fn in_mediation(actor: &Actor, case: &Case) -> bool {
    is_party(actor, case) || super::remedies::judges(actor, case)
}

/// A mediation statement.
const STAGE_MEDIATION: i16 = 0;
/// A comment on the draft decision (R-D3).
const STAGE_DRAFT: i16 = 1;

/// Writes a statement in the mediation; the other people of the case are told.
pub fn post(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &MessageForm,
) -> AppResult<i64> {
    write(conn, ctx, actor, id, form, STAGE_MEDIATION)
}

/// Comments on the draft decision while its comment period runs (a party or the ombudsman;
/// never privileged: the draft's comments are part of the record).
pub fn comment(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &MessageForm,
) -> AppResult<i64> {
    let form = MessageForm {
        body: form.body.clone(),
        privileged: false,
    };
    write(conn, ctx, actor, id, &form, STAGE_DRAFT)
}

fn write(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &MessageForm,
    stage: i16,
) -> AppResult<i64> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    if !in_mediation(actor, &case) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    match stage {
        STAGE_MEDIATION if case.state != CaseState::Mediation => {
            return Err(refused(ErrorCode::NotInMediation));
        }
        STAGE_DRAFT if case.state != CaseState::DraftDecision || case.due_at <= now() => {
            return Err(refused(ErrorCode::WrongStage));
        }
        _ => {}
    }
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > TEXT_MAX {
        return Err(AppError::invalid_field("body", "error-case-text"));
    }
    crate::db::write_transaction(conn, |conn| {
        let message: i64 = diesel::insert_into(case_messages::table)
            .values((
                case_messages::case_id.eq(id),
                case_messages::author_id.eq(me),
                case_messages::body.eq(body),
                case_messages::privileged.eq(i16::from(form.privileged)),
                case_messages::created_at.eq(now()),
                case_messages::stage.eq(stage),
            ))
            .returning(case_messages::id)
            .get_result(conn)?;
        let digest = hex::encode(Sha256::digest(body.as_bytes()));
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: if stage == STAGE_DRAFT {
                    "draft.comment"
                } else if form.privileged {
                    "mediation.statement.privileged"
                } else {
                    "mediation.statement"
                },
                target_kind: "message",
                target_id: message,
                case_id: Some(id.0),
                digest: Some(&digest),
                ..Default::default()
            },
        )?;
        super::disputes::tell_all(conn, ctx, &case, case.reviewer_id, Some(me), "message")?;
        Ok(message)
    })
}

/// Puts the author's privileged statement in the arbitration record after all.
pub fn resubmit(conn: &mut DbConnection, actor: &Actor, id: CaseId, message: i64) -> AppResult<()> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    if !matches!(case.state, CaseState::Mediation | CaseState::Arbitration) {
        return Err(refused(ErrorCode::NotInMediation));
    }
    crate::db::write_transaction(conn, |conn| {
        let found: Option<(UserId, i16)> = case_messages::table
            .find(message)
            .filter(case_messages::case_id.eq(id))
            .select((case_messages::author_id, case_messages::privileged))
            .first(conn)
            .optional()?;
        match found {
            None => Err(AppError::new(ErrorKind::NotFound)),
            Some((author, _)) if author != me => Err(refused(ErrorCode::NotAllowed)),
            Some((_, 0)) => Ok(()),
            Some(_) => {
                let changed = diesel::update(
                    case_messages::table
                        .find(message)
                        .filter(case_messages::resubmitted_at.is_null()),
                )
                .set(case_messages::resubmitted_at.eq(Some(now())))
                .execute(conn)?;
                if changed == 0 {
                    return Ok(());
                }
                crate::audit::record(
                    conn,
                    &crate::audit::Entry {
                        actor: Some(me),
                        action: "mediation.statement.resubmitted",
                        target_kind: "message",
                        target_id: message,
                        case_id: Some(id.0),
                        ..Default::default()
                    },
                )
            }
        }
    })
}

type MessageRow = (
    i64,
    UserId,
    String,
    i16,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

/// The mediation conversation, for the parties and the ombudsman (empty for anyone else).
pub(super) fn messages_for(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &Case,
) -> AppResult<Vec<MessageView>> {
    if !in_mediation(actor, case) {
        return Ok(vec![]);
    }
    load(conn, actor.user_id(), case.id, STAGE_MEDIATION, false)
}

/// The comments on the draft decision, for the parties and the ombudsman.
pub(super) fn comments_for(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &Case,
) -> AppResult<Vec<MessageView>> {
    if !in_mediation(actor, case) {
        return Ok(vec![]);
    }
    load(conn, actor.user_id(), case.id, STAGE_DRAFT, false)
}

fn load(
    conn: &mut DbConnection,
    me: Option<UserId>,
    case: CaseId,
    stage: i16,
    record_only: bool,
) -> AppResult<Vec<MessageView>> {
    let mut query = case_messages::table
        .filter(case_messages::case_id.eq(case))
        .filter(case_messages::stage.eq(stage))
        .into_boxed();
    if record_only {
        query = query.filter(
            case_messages::privileged
                .eq(0)
                .or(case_messages::resubmitted_at.is_not_null()),
        );
    }
    let rows: Vec<MessageRow> = query
        .order(case_messages::id.asc())
        .select((
            case_messages::id,
            case_messages::author_id,
            case_messages::body,
            case_messages::privileged,
            case_messages::resubmitted_at,
            case_messages::created_at,
        ))
        .load(conn)?;
    let authors: Vec<UserId> = rows.iter().map(|r| r.1).collect();
    let names = crate::accounts::service::usernames(conn, &authors)?;
    Ok(rows
        .into_iter()
        .map(|r| MessageView {
            id: r.0,
            author: names.get(&r.1).cloned().unwrap_or_default(),
            body: r.2,
            privileged: r.3 != 0,
            resubmitted: r.4.is_some(),
            mine: me == Some(r.1),
            created_at: r.5,
        })
        .collect())
}

/// The arbitration record: every evidence item the reader may see, and the mediation
/// statements that are not privileged (or were re-submitted by their author).
pub fn record(conn: &mut DbConnection, actor: &Actor, id: CaseId) -> AppResult<ArbitrationRecord> {
    let case = readable_case(conn, actor, id)?;
    Ok(ArbitrationRecord {
        evidence: evidence_for(conn, actor, &case)?,
        statements: load(conn, actor.user_id(), id, STAGE_MEDIATION, true)?,
    })
}
