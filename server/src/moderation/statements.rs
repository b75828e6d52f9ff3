//! Statements of reasons (DSA Art. 17): every restrictive decision cites a rule in force
//! (id @ version) and gives the member affected, in the same transaction, a statement with the
//! measure, its scope and duration, the facts, whether automated means were used, the rule, the
//! explanation and the redress available. Delivered in-app (always) and by e-mail, in the
//! member's language; readable at `/me/statements` even while suspended.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::model::*;
use crate::accounts::model::UserId;
use crate::context::AppContext;
use crate::db::schema::{decisions, rule_versions, rules, statements, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::Actor;
use crate::util::now;

/// How long a decision can be appealed (DSA Art. 20(1): at least six months).
pub const APPEAL_DAYS: i64 = 180;

/// The signature of a statement's appeal link: whoever holds the link may read the statement
/// and appeal it as its member without logging in (so a suspended or banned member can).
pub fn appeal_signature(secret: &str, statement: StatementId) -> String {
    crate::util::sign(secret, &format!("appeal:{}", statement.0))
}

/// The appeal page of a statement, signed (for its e-mail).
pub fn appeal_link(ctx: &AppContext, statement: StatementId) -> String {
    format!(
        "{}/appeal?statement={}&sig={}",
        ctx.config.base_url(),
        statement.0,
        appeal_signature(ctx.secret_key.expose(), statement)
    )
}

/// A rule as a decision cites it.
#[derive(Clone, Debug)]
pub struct Citation {
    pub rule_id: RuleId,
    pub version: i32,
    pub number: i32,
    pub title: String,
}

impl Citation {
    /// What the public sees instead of moderated content: "#3 Be kind (v2)".
    pub fn label(&self) -> String {
        format!("#{} {} (v{})", self.number, self.title, self.version)
    }
}

fn rule_required() -> AppError {
    AppError::new(ErrorKind::Invalid {
        code: ErrorCode::RuleRequired,
        fields: [("rule_id".to_string(), "error-rule-required".to_string())].into(),
    })
}

/// The rule a restrictive decision cites: `rule_id` and `rule_version`, or `rule` as
/// `id@version`. It must be a published version already in force; anything else is
/// `rule_required`.
pub fn cite(
    conn: &mut DbConnection,
    rule_id: Option<i64>,
    version: Option<i32>,
    rule: Option<&str>,
) -> AppResult<Citation> {
    let (id, version) = match (rule_id, version) {
        (Some(id), Some(version)) => (id, version),
        _ => {
            let text = rule.map(str::trim).unwrap_or_default();
            let (id, version) = text.split_once('@').ok_or_else(rule_required)?;
            (
                id.trim().parse().map_err(|_| rule_required())?,
                version.trim().parse().map_err(|_| rule_required())?,
            )
        }
    };
    let found: Option<(i32, String)> = rule_versions::table
        .inner_join(rules::table)
        .filter(rule_versions::rule_id.eq(RuleId(id)))
        .filter(rule_versions::version.eq(version))
        .filter(rule_versions::effective_at.le(now()))
        .select((rules::number, rule_versions::title))
        .first(conn)
        .optional()?;
    let (number, title) = found.ok_or_else(rule_required)?;
    Ok(Citation {
        rule_id: RuleId(id),
        version,
        number,
        title,
    })
}

/// Checks a decision's explanation: present and at most 2,000 characters.
pub fn explanation(text: &str) -> AppResult<&str> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > super::reports::TEXT_MAX {
        return Err(AppError::new(ErrorKind::Invalid {
            code: ErrorCode::ReasonRequired,
            fields: [(
                "explanation".to_string(),
                "error-reason-required".to_string(),
            )]
            .into(),
        }));
    }
    Ok(text)
}

/// Writes the statement of reasons for `user` about `decision`, tells them in-app and mails it
/// in their language; call inside the decision's transaction.
pub fn issue(
    conn: &mut DbConnection,
    ctx: &AppContext,
    user: UserId,
    decision: DecisionId,
    target_title: &str,
    target_url: &str,
) -> AppResult<StatementId> {
    use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
    let at = now();
    let id: StatementId = diesel::insert_into(statements::table)
        .values((
            statements::user_id.eq(user),
            statements::decision_id.eq(decision),
            statements::target_title.eq(target_title),
            statements::target_url.eq(target_url),
            statements::appeal_until.eq(at + Duration::days(APPEAL_DAYS)),
            statements::created_at.eq(at),
        ))
        .returning(statements::id)
        .get_result(conn)?;
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            action: "statement.issued",
            target_kind: "statement",
            target_id: id.0,
            reason: &format!("decision {}", decision.0),
            ..Default::default()
        },
    )?;
    let url = format!("/me/statements/{}", id.0);
    crate::notify::fan_out::notify_subject(
        ctx,
        conn,
        user,
        Kind::Statement,
        &Notice::new(
            Subject::new(SubjectKind::Statement, id.0),
            url.clone(),
            target_title.to_string(),
        ),
    )?;
    let (email, locale): (String, Option<String>) = users::table
        .find(user)
        .select((users::email, users::locale))
        .first(conn)?;
    let statement = load(conn, user, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::internal("statement just written is missing"))?;
    let locale = locale.unwrap_or_else(|| crate::view::i18n::DEFAULT_LOCALE.to_string());
    crate::notify::mail::enqueue(
        conn,
        ctx,
        crate::notify::mail::Outgoing {
            user_id: Some(user),
            to: &email,
            locale: &locale,
            template: "statement",
            context: minijinja::context! {
                s => &statement,
                url => format!("{}{}", ctx.config.base_url(), url),
                appeal_url => appeal_link(ctx, id),
            },
            unsubscribe: None,
        },
    )?;
    Ok(id)
}

type Row = (
    StatementId,
    DecisionId,
    String,
    String,
    NaiveDateTime,
    NaiveDateTime,
    DecisionAction,
    String,
    Option<NaiveDateTime>,
    DecisionSource,
    i16,
    Option<RuleId>,
    Option<i32>,
    String,
);

/// The member's statements, newest first (or the one asked for).
fn load(
    conn: &mut DbConnection,
    user: UserId,
    only: Option<StatementId>,
) -> AppResult<Vec<StatementView>> {
    let mut query = statements::table
        .inner_join(decisions::table)
        .filter(statements::user_id.eq(user))
        .into_boxed();
    if let Some(id) = only {
        query = query.filter(statements::id.eq(id));
    }
    let rows: Vec<Row> = query
        .order(statements::id.desc())
        .limit(200)
        .select((
            statements::id,
            statements::decision_id,
            statements::target_title,
            statements::target_url,
            statements::appeal_until,
            statements::created_at,
            decisions::action,
            decisions::scope,
            decisions::ends_at,
            decisions::source,
            decisions::detected_automatically,
            decisions::rule_id,
            decisions::rule_version,
            decisions::explanation,
        ))
        .load(conn)?;
    let cited: Vec<RuleId> = rows.iter().filter_map(|r| r.11).collect();
    let versions: Vec<(RuleId, i32, i32, String)> = if cited.is_empty() {
        vec![]
    } else {
        rule_versions::table
            .inner_join(rules::table)
            .filter(rule_versions::rule_id.eq_any(&cited))
            .select((
                rule_versions::rule_id,
                rule_versions::version,
                rules::number,
                rule_versions::title,
            ))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|r| {
            let rule = versions
                .iter()
                .find(|v| Some(v.0) == r.11 && Some(v.1) == r.12);
            StatementView {
                id: r.0,
                decision_id: r.1,
                target_title: r.2,
                target_url: r.3,
                appeal_until: r.4,
                created_at: r.5,
                measure: r.6,
                scope: r.7,
                ends_at: r.8,
                source: r.9,
                detected_automatically: r.10 != 0 || r.9 == DecisionSource::Automated,
                decided_automatically: r.9 == DecisionSource::Automated,
                rule_id: r.11,
                rule_version: r.12,
                rule_number: rule.map(|v| v.2),
                rule_title: rule.map(|v| v.3.clone()),
                explanation: r.13,
            }
        })
        .collect())
}

/// The actor's own statements of reasons, newest first (readable while suspended).
pub fn mine(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<StatementView>> {
    let me = actor.require_user()?.id;
    load(conn, me, None)
}

/// One of the actor's statements; someone else's is "not found".
pub fn one(conn: &mut DbConnection, actor: &Actor, id: StatementId) -> AppResult<StatementView> {
    let me = actor.require_user()?.id;
    of_member(conn, me, id)
}

/// One of `user`'s statements (for the signed appeal link); someone else's is "not found".
pub fn of_member(
    conn: &mut DbConnection,
    user: UserId,
    id: StatementId,
) -> AppResult<StatementView> {
    load(conn, user, Some(id))?
        .into_iter()
        .next()
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))
}
