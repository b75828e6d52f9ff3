//! The demo's moderation history, written through the services: a rude reply reported by a
//! customer and hidden by the moderator under the respect rule (the author has the statement of
//! reasons; the public log shows it), a warning to that customer, the community manager's
//! watched words, and a reply they held for review.

use diesel::prelude::*;

use super::viewer_for;
use crate::accounts::model::User;
use crate::context::AppContext;
use crate::db::schema::{rule_versions, threads};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult};
use crate::forum::model::{ReplyForm, ThreadId};
use crate::moderation::model::{DecisionForm, ReportForm, SanctionForm};

pub fn samples(conn: &mut DbConnection, ctx: &AppContext, people: &[User]) -> AppResult<()> {
    let find = |name: &str| -> AppResult<&User> {
        people
            .iter()
            .find(|u| u.username == name)
            .ok_or_else(|| AppError::internal(format!("demo moderation names unknown user {name}")))
    };
    let Some(thread) = threads::table
        .filter(threads::title.like("Enseña tu rincón%"))
        .select(threads::id)
        .first::<ThreadId>(conn)
        .optional()?
    else {
        return Ok(());
    };
    let rude = viewer_for(conn, find("andres_crema")?)?;
    let reporter = viewer_for(conn, find("elena_r")?)?;
    let moderator = viewer_for(conn, find("mod_jorge")?)?;
    let (post, _) = crate::forum::service::posting::reply(
        conn,
        &rude,
        thread,
        &ReplyForm {
            body: "Menudo rincón más cutre, no sabéis ni lo que es un café de verdad. / What a shabby corner, none of you knows real coffee.".into(),
            reply_to: None,
            official: false,
        },
        &ctx.forum_settings(),
    )?;
    crate::moderation::reports::file_report(
        conn,
        None,
        &reporter,
        &ReportForm {
            target_kind: "post".into(),
            target_id: post.id.0,
            reason: "abusive".into(),
            text: "Se ríe de los rincones de todos. / Mocks everyone's coffee corner.".into(),
            email: None,
            bona_fide: false,
        },
    )?;
    // Rule 1 (respect), the version in force.
    let (rule_id, version): (crate::moderation::model::RuleId, i32) = rule_versions::table
        .order((rule_versions::rule_id.asc(), rule_versions::version.desc()))
        .select((rule_versions::rule_id, rule_versions::version))
        .first(conn)?;
    let rule = format!("{}@{}", rule_id.0, version);
    let item = crate::moderation::queue::queue(conn, &moderator, &Default::default())?
        .items
        .into_iter()
        .find(|i| i.target_id == post.id.0)
        .ok_or_else(|| AppError::internal("demo report did not reach the queue"))?;
    crate::moderation::decisions::decide(
        conn,
        ctx,
        &moderator,
        item.id,
        &DecisionForm {
            action: "hide".into(),
            rule: Some(rule.clone()),
            explanation: "Burlarse del rincón de otros no es crítica constructiva. / Mocking others' corners is not constructive criticism.".into(),
            version: item.version,
            ..Default::default()
        },
    )?;
    crate::moderation::sanctions::sanction(
        conn,
        ctx,
        &moderator,
        "andres_crema",
        &SanctionForm {
            kind: "warning".into(),
            rule: Some(rule.clone()),
            explanation: "Primer aviso: critica el café, no a las personas. / First warning: criticise the coffee, not the people.".into(),
            ..Default::default()
        },
    )?;
    appeal(conn, ctx, find("andres_crema")?, find("marta_cm")?, &rule)?;
    super::cases::disputes(conn, ctx, people)?;
    watched_words(conn, ctx, find("marta_cm")?, find("pablo_tostado")?, thread)
}

/// The customer appeals the hidden reply; the only moderator decided it, so the community
/// manager reviews it and upholds it with reasons.
fn appeal(
    conn: &mut DbConnection,
    ctx: &AppContext,
    rude: &User,
    manager: &User,
    rule: &str,
) -> AppResult<()> {
    use crate::db::schema::statements;
    use crate::ombudsman::model::{AppealForm, CaseDecisionForm};
    let statement: i64 = statements::table
        .filter(statements::user_id.eq(rude.id))
        .order(statements::id.asc())
        .select(statements::id)
        .first(conn)?;
    let filed = crate::ombudsman::appeals::file(
        conn,
        ctx,
        rude.id,
        &AppealForm {
            statement_id: Some(statement),
            decision_id: None,
            text: "Era una broma entre cafeteros, no un insulto. / It was a joke among coffee people, not an insult.".into(),
        },
    )?;
    let manager = viewer_for(conn, manager)?;
    crate::ombudsman::appeals::decide(
        conn,
        ctx,
        &manager,
        filed.case_id,
        &CaseDecisionForm {
            outcome: "upheld".into(),
            rule: Some(rule.to_string()),
            reasons: "Llamar «cutre» al rincón de otro miembro lo ridiculiza; la crítica al café es bienvenida. / Calling another member's corner \"shabby\" mocks them; criticising the coffee is welcome.".into(),
            ..Default::default()
        },
    )?;
    Ok(())
}

/// The community manager's watched words, and a customer's reply they hold for review.
fn watched_words(
    conn: &mut DbConnection,
    ctx: &AppContext,
    manager: &User,
    customer: &User,
    thread: ThreadId,
) -> AppResult<()> {
    use crate::moderation::watched::{add, WatchedWordForm};
    let manager = viewer_for(conn, manager)?;
    let spam_rule: Option<crate::moderation::model::RuleId> = crate::db::schema::rules::table
        .filter(crate::db::schema::rules::number.eq(2))
        .select(crate::db::schema::rules::id)
        .first(conn)
        .optional()?;
    let words = [
        ("casino*", "hold", None),
        ("compra ya", "block", None),
        ("oferta flash", "flag", None),
        ("idiota", "replace", Some("***")),
    ];
    for (pattern, action, replacement) in words {
        add(
            conn,
            &manager,
            &WatchedWordForm {
                pattern: pattern.into(),
                action: action.into(),
                replacement: replacement.map(str::to_string),
                rule_id: spam_rule.map(|r| r.0),
            },
        )?;
    }
    let customer = viewer_for(conn, customer)?;
    crate::forum::service::posting::reply(
        conn,
        &customer,
        thread,
        &ReplyForm {
            body: "Mi rincón tiene hasta una ruleta de casino para elegir el café del día. / My corner even has a casino wheel to pick the coffee of the day.".into(),
            reply_to: None,
            official: false,
        },
        &ctx.forum_settings(),
    )?;
    Ok(())
}
