//! Sanctions on members — warning, silence (read but not post), suspension (only the
//! statements of reasons), ban — each a decision citing a rule in force, with a statement of
//! reasons in the same transaction; moderator notes; and the expiry job that records the end of
//! silences and suspensions (enforcement itself compares times, so an expired sanction never
//! binds even before the job runs).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use super::reports::{can_review, lock_target};
use super::statements::{cite, explanation, issue};
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{decisions, moderator_notes, sanctions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::newtypes::Lenient;
use crate::policy::{require, Actor};
use crate::util::now;

pub const JOB_EXPIRE: &str = "sanctions_expire";
/// The expiry job runs this often.
const EXPIRY_MINUTES: i64 = 15;
/// A ban's end, for the users row: it never comes.
fn forever() -> NaiveDateTime {
    chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .unwrap_or_default()
}

/// Who may sanction and write notes: moderators and above.
pub fn can_sanction(actor: &Actor) -> bool {
    can_review(actor)
}

/// Whether `actor` may sanction a member of `role`: someone of a lower role only (never
/// themselves, never a peer or a superior).
fn outranks(actor: &Actor, role: Role) -> bool {
    actor.role().is_some_and(|mine| mine > role)
}

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

fn member(conn: &mut DbConnection, username: &str) -> AppResult<(UserId, Role)> {
    users::table
        .filter(users::username_normalized.eq(username.trim().to_lowercase()))
        .select((users::id, users::role))
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))
}

/// Sanctions a member. Requires a rule in force and an explanation; `days` (1–365) for a
/// silence or a suspension; refuses a second sanction of a kind already in force
/// (`already_sanctioned`) and anyone not below the actor's role (`not_allowed`).
pub fn sanction(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    username: &str,
    form: &SanctionForm,
) -> AppResult<SanctionView> {
    require(can_sanction(actor))?;
    let me = actor.require_user()?.id;
    let kind = match form.kind.known() {
        Some(
            kind @ (DecisionAction::Warning
            | DecisionAction::Silence
            | DecisionAction::Suspension
            | DecisionAction::Ban),
        ) => kind,
        _ => return Err(AppError::invalid_field("kind", "error-sanction-kind")),
    };
    let days = match kind {
        DecisionAction::Silence | DecisionAction::Suspension => match form.days {
            Some(days @ 1..=365) => Some(days),
            _ => return Err(AppError::invalid_field("days", "error-sanction-days")),
        },
        _ => None,
    };
    let explanation = explanation(&form.explanation)?;
    let citation = cite(conn, form.rule_id, form.rule_version, form.rule.as_deref())?;
    let (target, role) = member(conn, username)?;
    if target == me || !outranks(actor, role) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    crate::db::write_transaction(conn, |conn| {
        lock_target(conn, TargetKind::User, target.0)?;
        let at = now();
        let ends_at = match kind {
            DecisionAction::Warning => Some(at),
            DecisionAction::Ban => None,
            _ => days.map(|d| at + Duration::days(d)),
        };
        if kind != DecisionAction::Warning {
            let in_force: i64 = sanctions::table
                .filter(sanctions::user_id.eq(target))
                .filter(sanctions::kind.eq(kind))
                .filter(sanctions::ended_at.is_null())
                .filter(sanctions::ends_at.is_null().or(sanctions::ends_at.gt(at)))
                .count()
                .get_result(conn)?;
            if in_force > 0 {
                return Err(AppError::new(ErrorKind::Conflict {
                    code: ErrorCode::AlreadySanctioned,
                    field: "kind".into(),
                }));
            }
        }
        let decision: DecisionId = diesel::insert_into(decisions::table)
            .values((
                decisions::target_kind.eq(TargetKind::User),
                decisions::target_id.eq(target.0),
                decisions::action.eq(kind),
                decisions::explanation.eq(explanation),
                decisions::rule_id.eq(Some(citation.rule_id)),
                decisions::rule_version.eq(Some(citation.version)),
                decisions::source.eq(DecisionSource::OwnInitiative),
                decisions::scope.eq(scope::ACCOUNT),
                decisions::ends_at.eq(if kind == DecisionAction::Warning {
                    None
                } else {
                    ends_at
                }),
                decisions::decided_by.eq(Some(me)),
                decisions::created_at.eq(at),
            ))
            .returning(decisions::id)
            .get_result(conn)?;
        super::reversal::audit(conn, decision)?;
        let id: SanctionId = diesel::insert_into(sanctions::table)
            .values((
                sanctions::user_id.eq(target),
                sanctions::kind.eq(kind),
                sanctions::decision_id.eq(decision),
                sanctions::starts_at.eq(at),
                sanctions::ends_at.eq(ends_at),
                sanctions::ended_at.eq((kind == DecisionAction::Warning).then_some(at)),
                sanctions::created_at.eq(at),
            ))
            .returning(sanctions::id)
            .get_result(conn)?;
        restrict(conn, target, at)?;
        issue(
            conn,
            ctx,
            target,
            decision,
            &format!("@{}", username.trim()),
            &format!("/u/{}", username.trim()),
        )?;
        Ok(SanctionView {
            id,
            kind,
            decision_id: decision,
            starts_at: at,
            ends_at,
            active: kind != DecisionAction::Warning,
            explanation: explanation.to_string(),
        })
    })
}

/// A moderator's note on a member (staff only).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct NoteView {
    pub author: Option<String>,
    pub body: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteForm {
    pub body: String,
}

/// A member's moderation record as staff see it: sanctions and notes, newest first.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct MemberRecord {
    pub username: String,
    pub trust_level: i16,
    pub sanctions: Vec<SanctionView>,
    pub notes: Vec<NoteView>,
    /// The member's reports: decided with action, and decided without.
    pub reports_upheld: i64,
    pub reports_rejected: i64,
}

/// Adds a note to a member's record (moderators and above).
pub fn add_note(
    conn: &mut DbConnection,
    actor: &Actor,
    username: &str,
    form: &NoteForm,
) -> AppResult<()> {
    require(can_sanction(actor))?;
    let me = actor.require_user()?.id;
    let body = form.body.trim();
    if body.is_empty() || body.chars().count() > super::reports::TEXT_MAX {
        return Err(AppError::invalid_field("body", "error-body-empty"));
    }
    let (target, _) = member(conn, username)?;
    diesel::insert_into(moderator_notes::table)
        .values((
            moderator_notes::user_id.eq(target),
            moderator_notes::author_id.eq(Some(me)),
            moderator_notes::body.eq(body),
            moderator_notes::created_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}

/// The member's sanctions and notes (moderators and above).
pub fn record(conn: &mut DbConnection, actor: &Actor, username: &str) -> AppResult<MemberRecord> {
    require(can_sanction(actor))?;
    let (target, _) = member(conn, username)?;
    // Staff notes about a moderator are not theirs to read.
    if actor.user_id() == Some(target) {
        return Err(refused(ErrorCode::NotAllowed));
    }
    let (name, trust_level): (String, i16) = users::table
        .find(target)
        .select((users::username, users::trust_level))
        .first(conn)?;
    let at = now();
    type Row = (
        SanctionId,
        Lenient<DecisionAction>,
        DecisionId,
        NaiveDateTime,
        Option<NaiveDateTime>,
        Option<NaiveDateTime>,
        String,
    );
    let rows: Vec<Row> = sanctions::table
        .inner_join(decisions::table)
        .filter(sanctions::user_id.eq(target))
        .order(sanctions::id.desc())
        .select((
            sanctions::id,
            sanctions::kind,
            sanctions::decision_id,
            sanctions::starts_at,
            sanctions::ends_at,
            sanctions::ended_at,
            decisions::explanation,
        ))
        .load(conn)?;
    let sanctions = rows
        .into_iter()
        .filter_map(|r| {
            Some(SanctionView {
                id: r.0,
                kind: r.1 .0?,
                decision_id: r.2,
                starts_at: r.3,
                ends_at: r.4,
                active: r.5.is_none() && r.4.is_none_or(|end| end > at),
                explanation: r.6,
            })
        })
        .collect();
    let author = diesel::alias!(users as author);
    let notes = moderator_notes::table
        .left_join(author.on(moderator_notes::author_id.eq(author.field(users::id).nullable())))
        .filter(moderator_notes::user_id.eq(target))
        .order(moderator_notes::id.desc())
        .select((
            author.field(users::username).nullable(),
            moderator_notes::body,
            moderator_notes::created_at,
        ))
        .load::<(Option<String>, String, NaiveDateTime)>(conn)?
        .into_iter()
        .map(|(author, body, created_at)| NoteView {
            author,
            body,
            created_at,
        })
        .collect();
    let (upheld, rejected) = super::reports::accuracy(conn, target)?;
    Ok(MemberRecord {
        username: name,
        trust_level,
        sanctions,
        notes,
        reports_upheld: upheld,
        reports_rejected: rejected,
    })
}

// ---------------------------------------------------------------------------------------------
// Expiry

/// Records the end of every silence and suspension whose time has come, clears the member's
/// restriction, and schedules the next run.
pub fn run_expiry(ctx: &AppContext, conn: &mut DbConnection, _payload: &str) -> Result<(), String> {
    let _ = ctx;
    expire(conn).map_err(|e| format!("{e:?}"))?;
    schedule(conn, now() + Duration::minutes(EXPIRY_MINUTES), false).map_err(|e| format!("{e:?}"))
}

/// Ends what is due; returns how many sanctions ended.
pub fn expire(conn: &mut DbConnection) -> AppResult<usize> {
    let at = now();
    let due: Vec<(SanctionId, UserId, i16)> = sanctions::table
        .filter(sanctions::ended_at.is_null())
        .filter(sanctions::ends_at.le(at))
        .select((sanctions::id, sanctions::user_id, sanctions::kind))
        .load(conn)?;
    for (id, user, _) in &due {
        diesel::update(sanctions::table.find(id))
            .set(sanctions::ended_at.eq(Some(at)))
            .execute(conn)?;
        restrict(conn, *user, at)?;
    }
    Ok(due.len())
}

/// Sets the member's restriction columns from the sanctions in force: the latest end of their
/// silences, and of their suspensions and bans (a ban never ends), so a shorter sanction never
/// shortens a longer one.
pub(crate) fn restrict(conn: &mut DbConnection, user: UserId, at: NaiveDateTime) -> AppResult<()> {
    let active: Vec<(Lenient<DecisionAction>, Option<NaiveDateTime>)> = sanctions::table
        .filter(sanctions::user_id.eq(user))
        .filter(sanctions::ended_at.is_null())
        .filter(sanctions::ends_at.is_null().or(sanctions::ends_at.gt(at)))
        .select((sanctions::kind, sanctions::ends_at))
        .load(conn)?;
    let latest = |kinds: &[DecisionAction]| {
        active
            .iter()
            .filter(|(kind, _)| kind.0.is_some_and(|kind| kinds.contains(&kind)))
            .map(|(_, end)| end.unwrap_or_else(forever))
            .max()
    };
    let silenced = latest(&[DecisionAction::Silence]);
    let suspended = latest(&[DecisionAction::Suspension, DecisionAction::Ban]);
    diesel::update(users::table.find(user))
        .set((
            users::silenced_until.eq(silenced),
            users::suspended_until.eq(suspended),
        ))
        .execute(conn)?;
    Ok(())
}

fn schedule(conn: &mut DbConnection, at: NaiveDateTime, count_due: bool) -> AppResult<()> {
    crate::jobs::schedule_once(conn, JOB_EXPIRE, at, !count_due)
}

/// Makes sure an expiry run is scheduled (called when a worker starts).
pub fn schedule_expiry(ctx: &AppContext) {
    let result = ctx
        .pool
        .get()
        .map_err(AppError::from)
        .and_then(|mut conn| schedule(&mut conn, now(), true));
    if let Err(error) = result {
        tracing::error!(?error, "could not schedule sanction expiry");
    }
}
