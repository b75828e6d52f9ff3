//! The demo's disputes, written through the services: a member against another member in
//! mediation (evidence from each side, settlement terms one side has accepted); a customer
//! against the brand's technical support taken through arbitration (evidence period, draft
//! decision with the department's comment, final decision with findings) to an open refund
//! task, published as a precedent; and a third dispute, with a witness, paused while the
//! ombudsman waits for the respondent's answer. A fallback arbiter from outside the brand is
//! configured. The stages' periods are marked as over where the demo needs the next step (a
//! newcomer cannot wait ten days).

use diesel::prelude::*;

use super::viewer_for;
use crate::accounts::model::User;
use crate::context::AppContext;
use crate::db::schema::cases;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::ombudsman::model::*;
use crate::ombudsman::remedies::RemedyForm;
use crate::policy::Actor;

fn person(conn: &mut DbConnection, people: &[User], name: &str) -> AppResult<Actor> {
    let user = people
        .iter()
        .find(|u| u.username == name)
        .ok_or_else(|| AppError::internal(format!("demo cases name unknown user {name}")))?;
    viewer_for(conn, user)
}

/// Marks the current stage's period of the case as over.
fn period_over(conn: &mut DbConnection, case: CaseId) -> AppResult<()> {
    diesel::update(cases::table.find(case))
        .set(cases::due_at.eq(crate::util::now() - chrono::Duration::minutes(1)))
        .execute(conn)?;
    Ok(())
}

fn evidence(
    conn: &mut DbConnection,
    ctx: &AppContext,
    who: &Actor,
    case: CaseId,
    text: &str,
    visibility: &str,
) -> AppResult<i64> {
    crate::ombudsman::disputes::add_evidence(
        conn,
        ctx,
        who,
        case,
        &EvidenceForm {
            text: text.into(),
            post_id: None,
            visibility: Some(visibility.into()),
            witness: None,
        },
    )
}

fn move_to(
    conn: &mut DbConnection,
    ctx: &AppContext,
    who: &Actor,
    case: CaseId,
    to: &str,
    reason: &str,
) -> AppResult<CaseState> {
    crate::ombudsman::appeals::transition(
        conn,
        ctx,
        who,
        case,
        &TransitionForm {
            to: to.into(),
            reason: reason.into(),
            ..Default::default()
        },
    )
}

pub fn disputes(conn: &mut DbConnection, ctx: &AppContext, people: &[User]) -> AppResult<()> {
    let ines = person(conn, people, "ines_cafe")?;
    let javi = person(conn, people, "javi_moka")?;
    let marta = person(conn, people, "marta_cm")?;
    let nuria = person(conn, people, "nuria_v60")?;
    let luis = person(conn, people, "soporte_luis")?;
    crate::ombudsman::review::set_fallback_arbiter(
        conn,
        &marta,
        &crate::ombudsman::review::ArbiterForm {
            username: "teresa_arbitra".into(),
        },
    )?;
    let filed = crate::ombudsman::disputes::open(
        conn,
        ctx,
        &ines,
        &DisputeForm {
            kind: "member_dispute".into(),
            respondent: "javi_moka".into(),
            department: None,
            summary: "Javi responde a todas mis preguntas diciendo que la moka no es café de verdad. / Javi answers every question of mine saying moka is not real coffee.".into(),
            desired_outcome: "Que deje de hacerlo. / That he stops.".into(),
        },
    )?;
    evidence(
        conn,
        ctx,
        &ines,
        filed.case_id,
        "Pasa en casi todos mis hilos desde octubre. / It happens in almost every thread of mine since October.",
        "parties",
    )?;
    evidence(
        conn,
        ctx,
        &javi,
        filed.case_id,
        "Era broma, pero entiendo que canse. / It was a joke, but I see it gets tiring.",
        "ombudsman_only",
    )?;
    move_to(
        conn,
        ctx,
        &marta,
        filed.case_id,
        "mediation",
        "Hablemos los tres antes de nada. / Let the three of us talk first.",
    )?;
    // Terms Inés proposes (and so accepts); Javi has not answered yet.
    crate::ombudsman::settlement::propose(
        conn,
        ctx,
        &ines,
        filed.case_id,
        &Terms {
            text: "Javi deja de comentar la moka en mis hilos durante 90 días. / Javi stops commenting on moka in my threads for 90 days.".into(),
            remedies: vec![RemedyForm {
                kind: "no_contact".into(),
                description: "Sin respuestas sobre la moka en los hilos de Inés. / No replies about moka in Inés's threads.".into(),
                owner: "javi_moka".into(),
                due_days: 90,
            }],
            proposed_by: String::new(),
        },
    )?;
    waiting(conn, ctx, people, &marta)?;
    brand_dispute(conn, ctx, &nuria, &luis, &marta)
}

/// A dispute paused while the ombudsman waits for the respondent, with a witness's account.
fn waiting(
    conn: &mut DbConnection,
    ctx: &AppContext,
    people: &[User],
    marta: &Actor,
) -> AppResult<()> {
    let carlos = person(conn, people, "carlos_mv")?;
    let filed = crate::ombudsman::disputes::open(
        conn,
        ctx,
        &carlos,
        &DisputeForm {
            kind: "member_dispute".into(),
            respondent: "pablo_tostado".into(),
            department: None,
            summary: "Pablo copió mi guía de tueste y la publicó como suya. / Pablo copied my roasting guide and posted it as his own.".into(),
            desired_outcome: "Que cite la fuente. / That he credits the source.".into(),
        },
    )?;
    crate::ombudsman::disputes::add_evidence(
        conn,
        ctx,
        &carlos,
        filed.case_id,
        &EvidenceForm {
            text: "Elena vio mi borrador en septiembre. / Elena saw my draft in September.".into(),
            post_id: None,
            visibility: Some("parties".into()),
            witness: Some("elena_r".into()),
        },
    )?;
    move_to(
        conn,
        ctx,
        marta,
        filed.case_id,
        "mediation",
        "Veamos si basta con citar la fuente. / Let us see if crediting the source is enough.",
    )?;
    crate::ombudsman::appeals::transition(
        conn,
        ctx,
        marta,
        filed.case_id,
        &TransitionForm {
            to: "awaiting_party".into(),
            reason: "Pablo, ¿de dónde sale tu guía? / Pablo, where does your guide come from?"
                .into(),
            party: Some("respondent".into()),
            days: Some(5),
        },
    )?;
    Ok(())
}

/// The customer against technical support: arbitration to a decision with an open refund task.
fn brand_dispute(
    conn: &mut DbConnection,
    ctx: &AppContext,
    nuria: &Actor,
    luis: &Actor,
    marta: &Actor,
) -> AppResult<()> {
    let brand = crate::ombudsman::disputes::open(
        conn,
        ctx,
        nuria,
        &DisputeForm {
            kind: "brand_dispute".into(),
            respondent: "brand".into(),
            department: Some("Soporte técnico".into()),
            summary: "Mi molinillo volvió de la reparación igual de roto. / My grinder came back from repair just as broken.".into(),
            desired_outcome: "Un reembolso o un molinillo nuevo. / A refund or a new grinder.".into(),
        },
    )?;
    let id = brand.case_id;
    let receipt = evidence(
        conn,
        ctx,
        nuria,
        id,
        "Factura de la reparación y vídeo del molinillo atascándose al día siguiente. / The repair invoice and a video of the grinder jamming the next day.",
        "parties",
    )?;
    move_to(
        conn,
        ctx,
        marta,
        id,
        "mediation",
        "Intentemos un acuerdo. / Let us try to agree.",
    )?;
    move_to(
        conn,
        ctx,
        marta,
        id,
        "arbitration",
        "Soporte mantiene que la reparación fue correcta; no hay acuerdo. / Support holds the repair was right; no agreement.",
    )?;
    let log = evidence(
        conn,
        ctx,
        luis,
        id,
        "Registro del taller: «fresas cambiadas, probado». / Workshop log: \"burrs replaced, tested\".",
        "parties",
    )?;
    period_over(conn, id)?;
    let ruling = CaseDecisionForm {
        outcome: "for_complainant".into(),
        reasons: "El registro de la reparación muestra la misma avería antes y después. / The repair log shows the same fault before and after.".into(),
        findings: vec![
            Finding {
                fact: "El molinillo se atasca al día siguiente de la reparación. / The grinder jams the day after the repair.".into(),
                evidence: vec![receipt],
            },
            Finding {
                fact: "El taller cambió las fresas, no el motor que fallaba. / The workshop replaced the burrs, not the failing motor.".into(),
                evidence: vec![log],
            },
        ],
        remedies: vec![RemedyForm {
            kind: "refund".into(),
            description: "Reembolsar el precio del molinillo. / Refund the grinder's price.".into(),
            owner: "brand".into(),
            due_days: 14,
        }],
        ..Default::default()
    };
    crate::ombudsman::arbitration::draft(conn, ctx, marta, id, &ruling)?;
    crate::ombudsman::mediation::comment(
        conn,
        ctx,
        luis,
        id,
        &MessageForm {
            body: "Aceptamos el reembolso; revisaremos el protocolo de pruebas del taller. / We accept the refund; we will review the workshop's test protocol.".into(),
            privileged: false,
        },
    )?;
    period_over(conn, id)?;
    crate::ombudsman::appeals::decide(conn, ctx, marta, id, &ruling)?;
    crate::ombudsman::review::publish(
        conn,
        marta,
        id,
        &crate::ombudsman::review::PublishForm {
            summary: "Un cliente recibió su molinillo reparado con la misma avería. El registro del taller mostraba un cambio de pieza que no era la averiada. Se decidió a favor del cliente: reembolso en 14 días. / A customer's grinder came back from repair with the same fault. The workshop log showed a part replaced that was not the failing one. Decided for the customer: a refund within 14 days.".into(),
            basis: "precedent".into(),
        },
    )
}
