//! Disputes (disputes.md R-D1, R-D5, R-D9, R-E3): a member opens a case against another member
//! or against the brand; the community manager who takes it as ombudsman is neither a party nor
//! in the department complained about (else an admin); each side submits evidence that only the
//! ombudsman reads unless its author shares it with the other party; the ombudsman opens
//! mediation, and the respondent is told. A witness named in the evidence never judges the case
//! (an ombudsman named as one hands it on). Who may read a case is in `appeals::may_read`.

use chrono::Duration;
use diesel::prelude::*;
use sha2::{Digest, Sha256};

use super::appeals::{is_ombudsman, log, readable_case, TEXT_MAX};
use super::model::*;
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{case_evidence, cases, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::moderation::model::{Snapshot, TargetKind};
use crate::policy::Actor;
use crate::util::now;

/// Days the mediation stage may last before either party may ask for arbitration (R-S3).
pub const MEDIATION_DAYS: i64 = 20;

fn text<'a>(field: &str, value: &'a str) -> AppResult<&'a str> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > TEXT_MAX {
        return Err(AppError::invalid_field(field, "error-case-text"));
    }
    Ok(value)
}

/// Whether `user` may not act as the ombudsman of `case`: a party, or brand staff in the
/// department complained about.
pub(super) fn conflicted(
    case_complainant: UserId,
    respondent: Option<UserId>,
    department: Option<&str>,
    user: UserId,
    user_department: Option<&str>,
) -> bool {
    user == case_complainant
        || Some(user) == respondent
        || department.is_some_and(|d| user_department == Some(d))
}

/// The community manager (else an admin) with no conflict, not in `exclude` (the case's
/// witnesses), with the fewest open cases.
fn pick_ombudsman(
    conn: &mut DbConnection,
    complainant: UserId,
    respondent: Option<UserId>,
    department: Option<&str>,
    exclude: &[UserId],
) -> AppResult<Option<UserId>> {
    for role in [Role::CommunityManager, Role::Admin] {
        let at = now();
        let people: Vec<(UserId, Option<String>)> = users::table
            .filter(users::role.eq(role))
            .filter(
                users::suspended_until
                    .is_null()
                    .or(users::suspended_until.lt(at)),
            )
            .order(users::id.asc())
            .select((users::id, users::department))
            .load(conn)?;
        let eligible: Vec<UserId> = people
            .into_iter()
            .filter(|(id, dep)| {
                !conflicted(complainant, respondent, department, *id, dep.as_deref())
                    && !exclude.contains(id)
            })
            .map(|(id, _)| id)
            .collect();
        if let Some(first) = eligible.first() {
            let mut best = (*first, i64::MAX);
            for id in eligible {
                let open: i64 = cases::table
                    .filter(cases::reviewer_id.eq(Some(id)))
                    .filter(cases::decided_at.is_null())
                    .count()
                    .get_result(conn)?;
                if open < best.1 {
                    best = (id, open);
                }
            }
            return Ok(Some(best.0));
        }
    }
    Ok(None)
}

/// Opens a dispute for the actor; it is acknowledged at once and given to an ombudsman.
pub fn open(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    form: &DisputeForm,
) -> AppResult<Filed> {
    let me = actor.require_user()?.id;
    let kind = form
        .kind
        .known()
        .filter(|k| *k != CaseKind::Appeal)
        .ok_or_else(|| AppError::invalid_field("kind", "error-case-kind"))?;
    let summary = text("summary", &form.summary)?;
    let desired = text("desired_outcome", &form.desired_outcome)?;
    let respondent_name = form.respondent.trim();
    let (respondent, department) = match kind {
        CaseKind::BrandDispute => {
            if respondent_name != "brand" {
                return Err(AppError::invalid_field(
                    "respondent",
                    "error-case-respondent",
                ));
            }
            // The department names the brand's side: its staff are the party, and never judge.
            let department = form
                .department
                .as_deref()
                .map(str::trim)
                .filter(|d| !d.is_empty())
                .ok_or_else(|| AppError::invalid_field("department", "error-case-department"))?;
            let staffed: i64 = users::table
                .filter(users::department.eq(department))
                .count()
                .get_result(conn)?;
            if staffed == 0 {
                return Err(AppError::invalid_field(
                    "department",
                    "error-case-department",
                ));
            }
            (None, Some(department.to_string()))
        }
        _ => {
            let found: Option<UserId> = users::table
                .filter(users::username.eq(respondent_name))
                .select(users::id)
                .first(conn)
                .optional()?;
            match found {
                Some(id) if id != me => (Some(id), None),
                _ => {
                    return Err(AppError::invalid_field(
                        "respondent",
                        "error-case-respondent",
                    ))
                }
            }
        }
    };
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let ombudsman = pick_ombudsman(conn, me, respondent, department.as_deref(), &[])?;
        let id: CaseId = diesel::insert_into(cases::table)
            .values((
                cases::kind.eq(kind),
                cases::state.eq(CaseState::Submitted),
                cases::complainant_id.eq(me),
                cases::respondent_id.eq(respondent),
                cases::department.eq(&department),
                cases::summary.eq(summary),
                cases::desired_outcome.eq(desired),
                cases::reasons.eq(""),
                cases::due_at.eq(at + Duration::days(2)),
                cases::created_at.eq(at),
            ))
            .returning(cases::id)
            .get_result(conn)?;
        log(conn, id, None, CaseState::Submitted, Some(me), "", false)?;
        diesel::update(cases::table.find(id))
            .set((
                cases::state.eq(CaseState::Acknowledged),
                cases::acknowledged_at.eq(Some(at)),
                cases::reviewer_id.eq(ombudsman),
            ))
            .execute(conn)?;
        log(
            conn,
            id,
            Some(CaseState::Submitted),
            CaseState::Acknowledged,
            None,
            "assigned_ombudsman",
            true,
        )?;
        super::notices::tell(conn, ctx, me, id, "received")?;
        if let Some(ombudsman) = ombudsman {
            super::notices::tell(conn, ctx, ombudsman, id, "assigned")?;
        }
        Ok(Filed {
            case_id: id,
            state: CaseState::Acknowledged,
            url: format!("/cases/{}", id.0),
        })
    })
}

/// Whether evidence may be added at this stage: until the arbitration's evidence period ends
/// (for a paused case, `paused` is the stage it paused).
pub(super) fn takes_evidence(state: CaseState, paused: Option<CaseState>) -> bool {
    let stage = match state {
        CaseState::AwaitingParty => paused.unwrap_or(state),
        _ => state,
    };
    matches!(
        stage,
        CaseState::Acknowledged
            | CaseState::Mediation
            | CaseState::Arbitration
            | CaseState::UnderReview
            | CaseState::Escalated
    )
}

/// Whether the actor is a party to the case: its complainant, its respondent, or brand staff of
/// the department a brand dispute is about.
pub(super) fn is_party(actor: &Actor, case: &Case) -> bool {
    let me = actor.user_id();
    me == Some(case.complainant_id)
        || (me.is_some() && me == case.respondent_id)
        || case
            .department
            .as_deref()
            .is_some_and(|d| actor.department() == Some(d))
}

/// Adds an evidence item: a dispute's party or its ombudsman until the evidence period ends, or
/// an appeal's appellant while it is reviewed. A post named is kept as it is now (a snapshot
/// with its digest), if the submitter may see it.
pub fn add_evidence(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    id: CaseId,
    form: &EvidenceForm,
) -> AppResult<i64> {
    let me = actor.require_user()?.id;
    let case = readable_case(conn, actor, id)?;
    let ombudsman = super::remedies::judges(actor, &case);
    // An appeal's evidence comes from its appellant; a dispute's from either side or its judge.
    let allowed = if case.kind == CaseKind::Appeal {
        me == case.complainant_id
    } else {
        is_party(actor, &case) || ombudsman
    };
    if !allowed {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::NotAllowed,
        }));
    }
    if !case.state.is_open() {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::CaseClosed,
        }));
    }
    let paused = if case.state == CaseState::AwaitingParty {
        super::awaiting::pause_of(conn, case.id)?.map(|p| p.paused_state)
    } else {
        None
    };
    if !takes_evidence(case.state, paused) {
        // The evidence period is over: the parties comment on the draft instead.
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::WrongStage,
        }));
    }
    let body = text("text", &form.text)?;
    let visibility = match form
        .visibility
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        None => Visibility::OmbudsmanOnly,
        Some(v) => Visibility::parse(v)
            .ok_or_else(|| AppError::invalid_field("visibility", "error-evidence-visibility"))?,
    };
    let witness = match form
        .witness
        .as_deref()
        .map(str::trim)
        .filter(|w| !w.is_empty())
    {
        None => None,
        Some(_) if case.kind == CaseKind::Appeal => {
            return Err(AppError::invalid_field("witness", "error-evidence-witness"));
        }
        Some(name) => {
            let found: Option<(UserId, crate::newtypes::Lenient<Role>)> = users::table
                .filter(users::username.eq(name))
                .select((users::id, users::role))
                .first(conn)
                .optional()?;
            let Some((id, role)) = found
                .filter(|(id, _)| *id != case.complainant_id && Some(*id) != case.respondent_id)
            else {
                return Err(AppError::invalid_field("witness", "error-evidence-witness"));
            };
            // A party cannot recuse the judges by naming them (abuse case 10): only the
            // ombudsman records that they, another ombudsman or the fallback arbiter saw it.
            let judge_pool = Some(id) == case.reviewer_id
                || role.0.is_some_and(|r| r >= Role::CommunityManager)
                || super::review::fallback_arbiter(conn)?.is_some_and(|f| f.0 == id);
            if judge_pool && !super::remedies::judges(actor, &case) {
                return Err(AppError::invalid_field(
                    "witness",
                    "error-evidence-witness-judge",
                ));
            }
            Some(id)
        }
    };
    let snapshot: Option<Snapshot> = match form.post_id {
        Some(post) => Some(
            crate::moderation::reports::snapshot_of(conn, actor, TargetKind::Post, post)
                .map_err(|_| AppError::invalid_field("post_id", "error-report-target"))?,
        ),
        None => None,
    };
    let snapshot = snapshot
        .map(|s| serde_json::to_string(&s))
        .transpose()
        .map_err(AppError::internal)?;
    let digest = hex::encode(Sha256::digest(
        format!("{body}\n{}", snapshot.as_deref().unwrap_or_default()).as_bytes(),
    ));
    crate::db::write_transaction(conn, |conn| {
        let evidence: i64 = diesel::insert_into(case_evidence::table)
            .values((
                case_evidence::case_id.eq(id),
                case_evidence::submitted_by.eq(me),
                case_evidence::text.eq(body),
                case_evidence::post_id.eq(form.post_id),
                case_evidence::snapshot.eq(&snapshot),
                case_evidence::digest.eq(&digest),
                case_evidence::visibility.eq(visibility),
                case_evidence::created_at.eq(now()),
            ))
            .returning(case_evidence::id)
            .get_result(conn)?;
        if let Some(witness) = witness {
            name_witness(conn, ctx, &case, witness)?;
        }
        crate::audit::record(
            conn,
            &crate::audit::Entry {
                actor: Some(me),
                action: &format!("evidence.added.{}", visibility.as_str()),
                target_kind: "evidence",
                target_id: evidence,
                case_id: Some(id.0),
                digest: Some(&digest),
                ..Default::default()
            },
        )?;
        Ok(evidence)
    })
}

/// Records a witness named in the case's evidence; an ombudsman named as a witness gives the
/// case to another one free of conflict (the case keeps them when nobody else is).
fn name_witness(
    conn: &mut DbConnection,
    ctx: &AppContext,
    case: &Case,
    witness: UserId,
) -> AppResult<()> {
    let current: String = cases::table
        .find(case.id)
        .select(cases::witness_ids)
        .first(conn)?;
    let mut ids: Vec<String> = current
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if !ids.contains(&witness.0.to_string()) {
        ids.push(witness.0.to_string());
    }
    diesel::update(cases::table.find(case.id))
        .set(cases::witness_ids.eq(ids.join(",")))
        .execute(conn)?;
    if case.reviewer_id != Some(witness) {
        return Ok(());
    }
    let exclude: Vec<UserId> = ids
        .iter()
        .filter_map(|id| id.parse::<i64>().ok())
        .map(UserId)
        .collect();
    let other = pick_ombudsman(
        conn,
        case.complainant_id,
        case.respondent_id,
        case.department.as_deref(),
        &exclude,
    )?;
    if let Some(other) = other {
        diesel::update(cases::table.find(case.id))
            .set(cases::reviewer_id.eq(Some(other)))
            .execute(conn)?;
        log(
            conn,
            case.id,
            Some(case.state),
            case.state,
            None,
            "reassigned_witness",
            true,
        )?;
        super::notices::tell(conn, ctx, other, case.id, "assigned")?;
    }
    Ok(())
}

type EvidenceRow = (
    i64,
    UserId,
    String,
    Option<String>,
    String,
    Visibility,
    chrono::NaiveDateTime,
);

/// The evidence of a case the actor may read: the ombudsman (and auditors) all of it; a party
/// their own items and what is shared with the parties or public. Reading another person's
/// private item is logged.
pub(super) fn evidence_for(
    conn: &mut DbConnection,
    actor: &Actor,
    case: &Case,
) -> AppResult<Vec<EvidenceView>> {
    let Some(me) = actor.user_id() else {
        return Ok(vec![]);
    };
    // The ombudsman reads everything; a party never reads the other side's private items,
    // whatever their role.
    let all = (case.reviewer_id == Some(me) || is_ombudsman(actor)) && !is_party(actor, case);
    let mut query = case_evidence::table
        .filter(case_evidence::case_id.eq(case.id))
        .into_boxed();
    if !all {
        query = query.filter(
            case_evidence::submitted_by
                .eq(me)
                .or(case_evidence::visibility.ne(Visibility::OmbudsmanOnly)),
        );
    }
    let rows: Vec<EvidenceRow> = query
        .order(case_evidence::id.asc())
        .select((
            case_evidence::id,
            case_evidence::submitted_by,
            case_evidence::text,
            case_evidence::snapshot,
            case_evidence::digest,
            case_evidence::visibility,
            case_evidence::created_at,
        ))
        .load(conn)?;
    let private_read: Vec<i64> = rows
        .iter()
        .filter(|r| r.5 == Visibility::OmbudsmanOnly && r.1 != me)
        .map(|r| r.0)
        .collect();
    if !private_read.is_empty() {
        crate::db::write_transaction(conn, |conn| {
            for id in &private_read {
                crate::audit::record(
                    conn,
                    &crate::audit::Entry {
                        actor: Some(me),
                        action: "evidence.viewed",
                        target_kind: "evidence",
                        target_id: *id,
                        case_id: Some(case.id.0),
                        ..Default::default()
                    },
                )?;
            }
            AppResult::Ok(())
        })?;
    }
    let authors: Vec<UserId> = rows.iter().map(|r| r.1).collect();
    let names = crate::accounts::service::usernames(conn, &authors)?;
    Ok(rows
        .into_iter()
        .map(|r| EvidenceView {
            id: r.0,
            submitted_by: names.get(&r.1).cloned().unwrap_or_default(),
            text: r.2,
            post: r.3.and_then(|s| serde_json::from_str(&s).ok()),
            digest: r.4,
            visibility: r.5,
            created_at: r.6,
        })
        .collect())
}

/// The ombudsman opens mediation on an acknowledged dispute; the respondent is told, and the
/// stage's clock is 20 days.
pub(super) fn start_mediation(
    conn: &mut DbConnection,
    ctx: &AppContext,
    actor: &Actor,
    case: &Case,
    reason: &str,
) -> AppResult<CaseState> {
    let me = actor.require_user()?.id;
    if case.kind == CaseKind::Appeal
        || case.state != CaseState::Acknowledged
        || !super::remedies::judges(actor, case)
    {
        return Err(AppError::new(ErrorKind::Refused {
            code: ErrorCode::NotAllowed,
        }));
    }
    crate::db::write_transaction(conn, |conn| {
        let at = now();
        let moved = diesel::update(
            cases::table
                .find(case.id)
                .filter(cases::version.eq(case.version))
                .filter(cases::state.eq(case.state)),
        )
        .set((
            cases::state.eq(CaseState::Mediation),
            cases::reviewer_id.eq(Some(me)),
            cases::version.eq(case.version + 1),
            cases::due_at.eq(at + Duration::days(MEDIATION_DAYS)),
        ))
        .execute(conn)?;
        if moved == 0 {
            return Err(super::appeals::stale_case());
        }
        log(
            conn,
            case.id,
            Some(case.state),
            CaseState::Mediation,
            Some(me),
            reason,
            false,
        )?;
        for party in parties(conn, case)? {
            super::notices::tell(conn, ctx, party, case.id, "mediation")?;
        }
        Ok(CaseState::Mediation)
    })
}

/// Everyone on either side of a case: the complainant, the respondent, and for a brand dispute
/// the staff of the department concerned (who are told of its moves too).
pub(super) fn parties(conn: &mut DbConnection, case: &Case) -> AppResult<Vec<UserId>> {
    let mut people = vec![case.complainant_id];
    people.extend(case.respondent_id);
    if let Some(department) = &case.department {
        let staff: Vec<UserId> = users::table
            .filter(users::department.eq(department))
            .select(users::id)
            .load(conn)?;
        people.extend(staff);
    }
    people.sort_by_key(|u| u.0);
    people.dedup();
    Ok(people)
}

/// Tells everyone on either side of a case and `judge` (its ombudsman or arbiter) that it
/// moved, except `except` (who moved it).
pub(super) fn tell_all(
    conn: &mut DbConnection,
    ctx: &AppContext,
    case: &Case,
    judge: Option<UserId>,
    except: Option<UserId>,
    what: &str,
) -> AppResult<()> {
    let mut told = parties(conn, case)?;
    told.extend(judge);
    told.retain(|u| Some(*u) != except);
    told.sort_by_key(|u| u.0);
    told.dedup();
    for person in told {
        super::notices::tell(conn, ctx, person, case.id, what)?;
    }
    Ok(())
}
