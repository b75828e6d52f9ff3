//! After a decision (disputes.md R-D5, R-D8, R-D9): each side may request one review with new
//! information within 30 days; it goes to the configured fallback arbiter when there is one
//! free of conflict, else for an appeal decided by a moderator to the community manager, else
//! to the same arbiter. The arbiter grants it (an appeal is decided again; a dispute reopens in
//! arbitration) or refuses it with reasons (the decision stands). In a dispute with the brand
//! the member may ask for the fallback arbiter instead of the brand's ombudsman. A decided case
//! may be published as an anonymised summary, on both sides' consent or as a precedent.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::appeals::{is_ombudsman, log, readable_case, required_reason, stale_case};
use super::disputes::{conflicted, is_party, parties};
use super::model::*;
use super::remedies::judges;
use super::settlement::{party_case, side_of};
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{case_reviews, cases, moderation_settings, published_decisions, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::newtypes::Lenient;
use crate::policy::{require, Actor};
use crate::util::now;

/// Days after a decision within which a review may be requested.
pub const REVIEW_DAYS: i64 = 30;

/// The moderation setting naming the fallback arbiter (a user id; 0 for none).
pub const FALLBACK_SETTING: &str = crate::moderation::settings::FALLBACK_ARBITER;

fn refused(code: ErrorCode) -> AppError {
    AppError::new(ErrorKind::Refused { code })
}

/// A review request: the new information.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReviewForm {
    pub text: String,
}

/// Publication of a decided case: the anonymised summary the ombudsman wrote, and the basis,
/// `consent` (both sides consented) or `precedent`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PublishForm {
    pub summary: String,
    pub basis: String,
}

/// Setting the fallback arbiter by username (empty: none).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ArbiterForm {
    pub username: String,
}

/// A decision on the public decisions page.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PublishedDecision {
    pub kind: CaseKind,
    pub outcome: CaseOutcome,
    pub basis: String,
    pub summary: String,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub published_at: NaiveDateTime,
}

/// The fallback arbiter configured, if any.
pub fn fallback_arbiter(conn: &mut DbConnection) -> AppResult<Option<(UserId, String)>> {
    let id = crate::moderation::settings::load(conn)?.i64(FALLBACK_SETTING);
    if id == 0 {
        return Ok(None);
    }
    Ok(users::table
        .find(UserId(id))
        .select((users::id, users::username))
        .first(conn)
        .optional()?)
}

/// Names the fallback arbiter (the community manager or an admin): a member with an account,
/// by username; an empty name removes it.
pub fn set_fallback_arbiter(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &ArbiterForm,
) -> AppResult<()> {
    require(crate::moderation::rules::can_write_rules(actor))?;
    let name = form.username.trim();
    let id = if name.is_empty() {
        0
    } else {
        let found: Option<UserId> = users::table
            .filter(users::username.eq(name))
            .select(users::id)
            .first(conn)
            .optional()?;
        found
            .ok_or_else(|| AppError::invalid_field("username", "error-arbiter-user"))?
            .0
    };
    let value = i32::try_from(id).map_err(AppError::internal)?;
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(
            moderation_settings::table.filter(moderation_settings::name.eq(FALLBACK_SETTING)),
        )
        .execute(conn)?;
        diesel::insert_into(moderation_settings::table)
            .values((
                moderation_settings::name.eq(FALLBACK_SETTING),
                moderation_settings::value.eq(value),
            ))
            .execute(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: actor.user_id(),
                action: "setting.fallback_arbiter",
                target_kind: "user",
                target_id: id,
                ..Default::default()
            },
        )
    })
}

/// The fallback arbiter when they may take this case: not a party, not in the department
/// complained about, not its arbiter so far, and (for an appeal) not involved in the decision.
fn free_fallback(conn: &mut DbConnection, case: &Case) -> AppResult<Option<UserId>> {
    let Some((arbiter, _)) = fallback_arbiter(conn)? else {
        return Ok(None);
    };
    let department: Option<Option<String>> = users::table
        .find(arbiter)
        .select(users::department)
        .first(conn)
        .optional()?;
    let mut busy = conflicted(
        case.complainant_id,
        case.respondent_id,
        case.department.as_deref(),
        arbiter,
        department.flatten().as_deref(),
    ) || case.reviewer_id == Some(arbiter)
        || case.is_witness(arbiter);
    if let Some(decision) = case.decision_id {
        if let Some(d) = crate::moderation::reversal::decision(conn, decision)? {
            busy |= super::appeals::involved(conn, &d, case.complainant_id)?.contains(&arbiter);
        }
    }
    Ok((!busy).then_some(arbiter))
}

/// Who answers a review of `case`.
fn arbiter_for_review(conn: &mut DbConnection, case: &Case) -> AppResult<Option<UserId>> {
    if let Some(arbiter) = free_fallback(conn, case)? {
        return Ok(Some(arbiter));
    }
    if case.kind == CaseKind::Appeal {
        let mut involved = match case.decision_id {
            Some(d) => match crate::moderation::reversal::decision(conn, d)? {
                Some(d) => super::appeals::involved(conn, &d, case.complainant_id)?,
                None => Default::default(),
            },
            None => Default::default(),
        };
        involved.extend(case.reviewer_id);
        if let Some(manager) = super::appeals::pick_ombudsman(conn, &involved)? {
            return Ok(Some(manager));
        }
    }
    Ok(case.reviewer_id)
}

/// Whether the case stands decided in a way a review can look at (a settlement is the
/// parties' own agreement: there is nothing to review).
fn reviewable(case: &Case) -> bool {
    match case.kind {
        CaseKind::Appeal => matches!(case.state, CaseState::Decided | CaseState::Inadmissible),
        _ => {
            matches!(case.state, CaseState::Enforcement | CaseState::Closed)
                && case.outcome != Some(CaseOutcome::Settled)
        }
    }
}

/// Whether the 30 days after the decision still run.
fn in_time(case: &Case) -> bool {
    case.decided_at
        .is_some_and(|d| d + Duration::days(REVIEW_DAYS) >= now())
}

/// Whether a review may be requested now, and by which side.
pub(super) fn may_request(actor: &Actor, case: &Case) -> Option<i16> {
    let side = side_of(actor, case)?;
    (reviewable(case) && in_time(case)).then_some(side)
}

/// A party requests the one review of their side, with new information.
pub fn request(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &ReviewForm,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let (case, side) = party_case(conn, actor, id)?;
    if !reviewable(&case) {
        return Err(refused(ErrorCode::WrongStage));
    }
    if !in_time(&case) {
        return Err(refused(ErrorCode::ReviewLate));
    }
    let text = required_reason(&form.text, "text")?;
    let arbiter = arbiter_for_review(conn, &case)?;
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let before: i64 = case_reviews::table
            .filter(case_reviews::case_id.eq(id))
            .filter(case_reviews::side.eq(side))
            .count()
            .get_result(conn)?;
        if before > 0 {
            return Err(refused(ErrorCode::AlreadyRequested));
        }
        diesel::insert_into(case_reviews::table)
            .values((
                case_reviews::case_id.eq(id),
                case_reviews::side.eq(side),
                case_reviews::requested_by.eq(me),
                case_reviews::text.eq(text),
                case_reviews::prior_state.eq(case.state),
                case_reviews::arbiter_id.eq(arbiter),
                case_reviews::created_at.eq(at),
            ))
            .execute(conn)
            .map_err(|e| match e {
                // The same side asking twice at once: the unique index keeps one.
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => refused(ErrorCode::AlreadyRequested),
                other => other.into(),
            })?;
        let moved = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(case.state)),
        )
        .set((
            cases::state.eq(CaseState::ReviewRequested),
            cases::reviewer_id.eq(arbiter),
            cases::due_at.eq(at + Duration::days(REVIEW_DAYS)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        log(
            conn,
            id,
            Some(case.state),
            CaseState::ReviewRequested,
            Some(me),
            text,
            false,
        )?;
        super::disputes::tell_all(conn, ctx, &case, arbiter, Some(me), "review")?;
        Ok(CaseState::ReviewRequested)
    })
}

/// Marks the open review of the case answered (granted or refused) with the arbiter's reasons.
pub(super) fn answer(
    conn: &mut DbConnection,
    case: CaseId,
    arbiter: UserId,
    reasons: &str,
) -> AppResult<()> {
    let open: Option<i64> = case_reviews::table
        .filter(case_reviews::case_id.eq(case))
        .filter(case_reviews::answered_at.is_null())
        .order(case_reviews::id.desc())
        .select(case_reviews::id)
        .first(conn)
        .optional()?;
    if let Some(review) = open {
        diesel::update(case_reviews::table.find(review))
            .set((
                case_reviews::answer.eq(Some(reasons)),
                case_reviews::answered_at.eq(Some(now())),
            ))
            .execute(conn)?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(arbiter),
                action: "review.answered",
                target_kind: "review",
                target_id: review,
                case_id: Some(case.0),
                reason: reasons,
                ..Default::default()
            },
        )?;
    }
    Ok(())
}

/// Whether the actor answers this case's review: its arbiter only; never a party or a witness.
pub(super) fn answers_review(actor: &Actor, case: &Case) -> bool {
    case.state == CaseState::ReviewRequested
        && actor.user_id().is_some()
        && actor.user_id() == case.reviewer_id
        && !is_party(actor, case)
        && !actor.user_id().is_some_and(|me| case.is_witness(me))
}

/// The arbiter refuses the review with reasons: the decision stands and the case returns to
/// where it was.
pub(super) fn refuse(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    if !answers_review(actor, case) {
        return Err(refused(if case.state == CaseState::ReviewRequested {
            ErrorCode::NotAllowed
        } else {
            ErrorCode::WrongStage
        }));
    }
    crate::db::write_transaction(conn, |conn| {
        let back: Lenient<CaseState> = case_reviews::table
            .filter(case_reviews::case_id.eq(case.id))
            .filter(case_reviews::answered_at.is_null())
            .order(case_reviews::id.desc())
            .select(case_reviews::prior_state)
            .first(conn)?;
        let back = back.0.unwrap_or(CaseState::Closed);
        let moved = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(CaseState::ReviewRequested)),
        )
        .set((cases::state.eq(back), cases::version.eq(case.version + 1)))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        answer(conn, case.id, me, reason)?;
        log(
            conn,
            case.id,
            Some(CaseState::ReviewRequested),
            back,
            Some(me),
            reason,
            false,
        )?;
        for person in parties(conn, case)? {
            super::notices::tell(conn, ctx, person, case.id, "review_refused")?;
        }
        Ok(back)
    })
}

/// In a dispute with the brand, the complainant asks for the fallback arbiter instead of the
/// brand's own ombudsman (before the decision).
pub fn ask_fallback(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    if case.kind != CaseKind::BrandDispute || me != case.complainant_id {
        return Err(refused(ErrorCode::NotAllowed));
    }
    if !case.state.is_open() || case.decided_at.is_some() {
        return Err(refused(ErrorCode::WrongStage));
    }
    let reason = required_reason(reason, "reason")?;
    let arbiter =
        free_fallback(conn, &case)?.ok_or_else(|| refused(ErrorCode::NoFallbackArbiter))?;
    crate::db::write_transaction(conn, |conn| {
        let moved = diesel::update(
            cases::table
                .find(id)
                .filter(cases::version.eq(case.version)),
        )
        .set((
            cases::reviewer_id.eq(Some(arbiter)),
            cases::version.eq(case.version + 1),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(stale_case());
        }
        log(
            conn,
            id,
            Some(case.state),
            case.state,
            Some(me),
            reason,
            false,
        )?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "case.fallback_arbiter",
                target_kind: "user",
                target_id: arbiter.0,
                case_id: Some(id.0),
                reason,
                ..Default::default()
            },
        )?;
        super::notices::tell(conn, ctx, arbiter, id, "assigned")?;
        if let Some(previous) = case.reviewer_id {
            super::notices::tell(conn, ctx, previous, id, "reassigned")?;
        }
        Ok(case.state)
    })
}

/// A party consents, for their side, to an anonymised publication of the decided case.
pub fn consent(conn: &mut DbConnection, actor: &Actor, id: CaseId) -> AppResult<()> {
    let me = actor.require_user()?.id;
    let (case, side) = party_case(conn, actor, id)?;
    if case.decided_at.is_none() || case.state.is_open() {
        return Err(refused(ErrorCode::WrongStage));
    }
    crate::db::write_transaction(conn, |conn| {
        let at = Some(now());
        let target = cases::table.find(id);
        if side == 0 {
            diesel::update(target)
                .set(cases::complainant_consent_at.eq(at))
                .execute(conn)?;
        } else {
            diesel::update(target)
                .set(cases::respondent_consent_at.eq(at))
                .execute(conn)?;
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: "case.publication_consent",
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                ..Default::default()
            },
        )
    })
}

/// Whether both sides consented (an appeal has one side).
fn consented(case: &Case) -> bool {
    case.complainant_consent_at.is_some()
        && (case.kind == CaseKind::Appeal || case.respondent_consent_at.is_some())
}

/// The judge publishes an anonymised summary of a decided case, on both sides' consent or as a
/// precedent (publishing again replaces the summary).
pub fn publish(
    conn: &mut DbConnection,
    actor: &Actor,
    id: CaseId,
    form: &PublishForm,
) -> AppResult<()> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let judge = if case.kind == CaseKind::Appeal {
        is_ombudsman(actor) && me != case.complainant_id
    } else {
        judges(actor, &case)
    };
    if !judge {
        return Err(refused(ErrorCode::NotAllowed));
    }
    // Only a decision that stands (not one under review or reopened) is published.
    let (Some(outcome), Some(_), false) = (case.outcome, case.decided_at, case.state.is_open())
    else {
        return Err(refused(ErrorCode::WrongStage));
    };
    let basis = form.basis.trim();
    if !matches!(basis, "consent" | "precedent") {
        return Err(AppError::invalid_field("basis", "error-publication-basis"));
    }
    if basis == "consent" && !consented(&case) {
        return Err(refused(ErrorCode::ConsentMissing));
    }
    let summary = required_reason(&form.summary, "summary")?;
    if names_someone(conn, &case, summary)? {
        return Err(AppError::invalid_field(
            "summary",
            "error-publication-names",
        ));
    }
    crate::db::write_transaction(conn, |conn| {
        diesel::delete(published_decisions::table.find(id.0)).execute(conn)?;
        diesel::insert_into(published_decisions::table)
            .values((
                published_decisions::case_id.eq(id.0),
                published_decisions::kind.eq(case.kind),
                published_decisions::outcome.eq(outcome),
                published_decisions::basis.eq(basis),
                published_decisions::summary.eq(summary),
                published_decisions::published_by.eq(me),
                published_decisions::published_at.eq(now()),
            ))
            .execute(conn)
            .map_err(|e| match e {
                // Published twice at once: one stands.
                diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::UniqueViolation,
                    _,
                ) => stale_case(),
                other => other.into(),
            })?;
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: &format!("case.published.{basis}"),
                target_kind: "case",
                target_id: id.0,
                case_id: Some(id.0),
                digest: Some(&crate::util::digest(summary)),
                ..Default::default()
            },
        )
    })
}

/// Whether a summary names a person of the case (a party, a witness, its judge) or the
/// department concerned: the public page is anonymised (R-D9, abuse case 18).
fn names_someone(conn: &mut DbConnection, case: &Case, summary: &str) -> AppResult<bool> {
    let mut people: Vec<UserId> = vec![case.complainant_id];
    people.extend(case.respondent_id);
    people.extend(case.reviewer_id);
    people.extend(
        case.witness_ids
            .split(',')
            .filter_map(|id| id.parse::<i64>().ok())
            .map(UserId),
    );
    let mut names: Vec<String> = users::table
        .filter(users::id.eq_any(&people))
        .select(users::username)
        .load(conn)?;
    let shown: Vec<String> = users::table
        .filter(users::id.eq_any(&people))
        .select(users::display_name)
        .load(conn)?;
    names.extend(shown);
    names.extend(case.department.clone());
    let text = summary.to_lowercase();
    Ok(names
        .iter()
        .map(|n| n.trim().to_lowercase())
        .filter(|n| n.chars().count() >= 3)
        .any(|n| text.contains(&n)))
}

/// The public decisions page: every published summary, newest first (no names, no case ids).
pub fn published(conn: &mut DbConnection) -> AppResult<Vec<PublishedDecision>> {
    type Row = (
        Lenient<CaseKind>,
        Lenient<CaseOutcome>,
        String,
        String,
        NaiveDateTime,
    );
    let rows: Vec<Row> = published_decisions::table
        .order(published_decisions::published_at.desc())
        .limit(200)
        .select((
            published_decisions::kind,
            published_decisions::outcome,
            published_decisions::basis,
            published_decisions::summary,
            published_decisions::published_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(PublishedDecision {
                kind: r.0 .0?,
                outcome: r.1 .0?,
                basis: r.2,
                summary: r.3,
                published_at: r.4,
            })
        })
        .collect())
}

/// Whether the case is on the public decisions page.
pub(super) fn is_published(conn: &mut DbConnection, id: CaseId) -> AppResult<bool> {
    Ok(published_decisions::table
        .find(id.0)
        .count()
        .get_result::<i64>(conn)?
        > 0)
}
