//! The community rules: who may write them, publishing versions, the rules in force, history
//! and diffs, the announcement of significant changes, and acceptance at sign-up.

use std::collections::HashSet;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::model::*;
use crate::accounts::model::{Role, UserId};
use crate::context::AppContext;
use crate::db::schema::{rule_acceptances, rule_versions, rules, users};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::newtypes::Flag;
use crate::notify::fan_out::notify_subject;
use crate::notify::model::{Kind, Notice, Subject, SubjectKind};
use crate::policy::{require, Actor};
use crate::util::now;

pub const JOB_ANNOUNCE: &str = "moderation.announce_rule";
pub const TITLE_MAX: usize = 120;
pub const BODY_MAX: usize = 10_000;

/// Writing the rules: the community manager and admins.
pub fn can_write_rules(actor: &Actor) -> bool {
    actor
        .role()
        .is_some_and(|role| role >= Role::CommunityManager)
}

fn check_text(title: &str, body: &str) -> AppResult<()> {
    let mut fields = std::collections::BTreeMap::new();
    let title_length = title.chars().count();
    if !(3..=TITLE_MAX).contains(&title_length) || title.chars().any(char::is_control) {
        fields.insert("title".to_string(), "error-rule-title".to_string());
    }
    let body_length = body.trim().chars().count();
    if body_length == 0 || body.chars().count() > BODY_MAX {
        fields.insert("body".to_string(), "error-rule-body".to_string());
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(AppError::new(ErrorKind::Invalid {
            code: ErrorCode::InvalidInput,
            fields,
        }))
    }
}

/// Every rule with its versions, oldest version first, rules by number.
fn all_rules(conn: &mut DbConnection) -> AppResult<Vec<(Rule, Vec<RuleVersion>)>> {
    let rules: Vec<Rule> = rules::table
        .order(rules::number.asc())
        .select(Rule::as_select())
        .load(conn)?;
    let versions: Vec<RuleVersion> = rule_versions::table
        .order((rule_versions::rule_id.asc(), rule_versions::version.asc()))
        .select(RuleVersion::as_select())
        .load(conn)?;
    Ok(rules
        .into_iter()
        .map(|rule| {
            let mine = versions
                .iter()
                .filter(|v| v.rule_id == rule.id)
                .cloned()
                .collect();
            (rule, mine)
        })
        .collect())
}

/// The version of `versions` in force at `at`, and the newest one published after it.
fn in_force(versions: &[RuleVersion], at: NaiveDateTime) -> Option<RuleView> {
    let current = versions.iter().rev().find(|v| v.effective_at <= at)?;
    let upcoming = versions
        .last()
        .filter(|v| v.version > current.version)
        .map(|v| v.version);
    Some(RuleView {
        id: current.rule_id,
        number: 0,
        version: current.version,
        title: current.title.clone(),
        body: current.body.clone(),
        html: crate::forum::markdown::render(&current.body, &HashSet::new(), &[]),
        effective_at: current.effective_at,
        upcoming_version: upcoming,
    })
}

/// The rules in force now, by number (what `/rules` shows and decisions cite).
pub fn current_rules(conn: &mut DbConnection) -> AppResult<Vec<RuleView>> {
    let at = now();
    Ok(all_rules(conn)?
        .into_iter()
        .filter_map(|(rule, versions)| {
            in_force(&versions, at).map(|view| RuleView {
                number: rule.number,
                ..view
            })
        })
        .collect())
}

/// Whether any rule is in force (sign-up then asks to accept them).
pub fn rules_exist(conn: &mut DbConnection) -> AppResult<bool> {
    let count: i64 = rule_versions::table
        .filter(rule_versions::effective_at.le(now()))
        .count()
        .get_result(conn)?;
    Ok(count > 0)
}

/// A rule and every version of it, oldest first.
pub fn history(conn: &mut DbConnection, id: RuleId) -> AppResult<(Rule, Vec<RuleVersion>)> {
    let rule: Rule = rules::table
        .find(id)
        .select(Rule::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::new(ErrorKind::NotFound))?;
    let versions: Vec<RuleVersion> = rule_versions::table
        .filter(rule_versions::rule_id.eq(id))
        .order(rule_versions::version.asc())
        .select(RuleVersion::as_select())
        .load(conn)?;
    Ok((rule, versions))
}

/// The words that changed from `old` to `new` (title and body are diffed the same way).
pub fn diff(old: &str, new: &str) -> Vec<DiffPart> {
    similar::TextDiff::from_words(old, new)
        .iter_all_changes()
        .map(|change| DiffPart {
            kind: match change.tag() {
                similar::ChangeTag::Equal => "same",
                similar::ChangeTag::Delete => "removed",
                similar::ChangeTag::Insert => "added",
            },
            text: change.value().to_string(),
        })
        .collect()
}

/// Publishes a new rule as version 1, numbered as asked or after the last one. When rules
/// already existed, members are told of the new one.
pub fn create_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &NewRuleForm,
) -> AppResult<RuleView> {
    let author = actor.require_user()?.id;
    require(can_write_rules(actor))?;
    let (title, body) = (form.title.trim(), form.body.trim());
    check_text(title, body)?;
    if form.number.is_some_and(|n| !(1..=999).contains(&n)) {
        return Err(AppError::invalid_field("number", "error-rule-number"));
    }
    crate::db::write_transaction(conn, |conn| {
        let last: Option<i32> = rules::table
            .select(diesel::dsl::max(rules::number))
            .first(conn)?;
        let number = form.number.unwrap_or(last.unwrap_or(0) + 1);
        let taken: i64 = rules::table
            .filter(rules::number.eq(number))
            .count()
            .get_result(conn)?;
        if taken > 0 {
            return Err(AppError::new(ErrorKind::Conflict {
                code: ErrorCode::RuleNumberTaken,
                field: "number".into(),
            }));
        }
        let at = now();
        let rule: Rule = diesel::insert_into(rules::table)
            .values((rules::number.eq(number), rules::created_at.eq(at)))
            .returning(rules::all_columns)
            .get_result(conn)?;
        let version = publish(conn, &rule, 1, title, body, last.is_some(), at, author)?;
        Ok(RuleView {
            number,
            ..in_force(&[version], at).ok_or_else(|| AppError::internal("version not in force"))?
        })
    })
}

/// Publishes the next version of a rule. What the form leaves out stays; a version that
/// changes nothing is refused. `significant` announces it to every member.
pub fn change_rule(
    conn: &mut DbConnection,
    actor: &Actor,
    id: RuleId,
    form: &RuleChangeForm,
) -> AppResult<RuleVersionView> {
    let author = actor.require_user()?.id;
    require(can_write_rules(actor))?;
    crate::db::write_transaction(conn, |conn| {
        let (rule, versions) = history(conn, id)?;
        let latest = versions
            .last()
            .ok_or_else(|| AppError::internal("a rule without versions"))?;
        let title = form
            .title
            .as_deref()
            .map(str::trim)
            .unwrap_or(&latest.title);
        let body = form.body.as_deref().map(str::trim).unwrap_or(&latest.body);
        check_text(title, body)?;
        if title == latest.title && body == latest.body {
            return Err(AppError::invalid_field("body", "error-rule-unchanged"));
        }
        let at = now();
        let effective = form.effective_at.map_or(at, |t| t.naive_utc());
        // Versions take effect in order: never before the latest one (or a pending change
        // would jump ahead of the date announced for it).
        if effective < at - Duration::minutes(5)
            || effective > at + Duration::days(365)
            || effective < latest.effective_at
        {
            return Err(AppError::invalid_field(
                "effective_at",
                "error-rule-effective",
            ));
        }
        let version = publish(
            conn,
            &rule,
            latest.version + 1,
            title,
            body,
            form.significant,
            effective,
            author,
        )?;
        Ok(RuleVersionView::from(&version))
    })
}

/// Writes one version (and queues its announcement when significant).
#[allow(clippy::too_many_arguments)]
fn publish(
    conn: &mut DbConnection,
    rule: &Rule,
    version: i32,
    title: &str,
    body: &str,
    significant: bool,
    effective_at: NaiveDateTime,
    author: UserId,
) -> AppResult<RuleVersion> {
    let row: RuleVersion = diesel::insert_into(rule_versions::table)
        .values((
            rule_versions::rule_id.eq(rule.id),
            rule_versions::version.eq(version),
            rule_versions::title.eq(title),
            rule_versions::body.eq(body),
            rule_versions::significant.eq(Flag(significant)),
            rule_versions::effective_at.eq(effective_at),
            rule_versions::published_by.eq(Some(author)),
            rule_versions::published_at.eq(now()),
        ))
        .returning(rule_versions::all_columns)
        .get_result(conn)?;
    crate::audit::record(
        conn,
        &crate::audit::Entry {
            actor: Some(author),
            action: "rule.published",
            target_kind: "rule",
            target_id: rule.id.0,
            reason: title,
            rule: Some((rule.id.0, version)),
            automated: false,
            ..Default::default()
        },
    )?;
    if significant {
        crate::jobs::enqueue(
            conn,
            JOB_ANNOUNCE,
            &Announce {
                version: row.id,
                number: rule.number,
            },
            None,
            5,
        )?;
    }
    Ok(row)
}

#[derive(Serialize, Deserialize)]
struct Announce {
    version: RuleVersionId,
    number: i32,
}

/// Tells every member about a significant rule change (one notification each, by their
/// preference for `rules`), in the job's transaction: run twice, it is undone once.
pub fn run_announce(
    ctx: &AppContext,
    conn: &mut DbConnection,
    payload: &str,
) -> Result<(), String> {
    let announce: Announce = serde_json::from_str(payload).map_err(|e| e.to_string())?;
    announce_to_members(ctx, conn, &announce).map_err(|e| format!("{e:?}"))
}

fn announce_to_members(
    ctx: &AppContext,
    conn: &mut DbConnection,
    announce: &Announce,
) -> AppResult<()> {
    let Some(version) = rule_versions::table
        .find(announce.version)
        .select(RuleVersion::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(());
    };
    let notice = Notice::new(
        Subject::new(SubjectKind::RuleVersion, version.id.0),
        format!("/rules/{}", version.rule_id),
        format!("{}. {}", announce.number, version.title),
    );
    let notice = match version.published_by {
        Some(author) => notice.by(author),
        None => notice,
    };
    let mut after = UserId(0);
    loop {
        let members: Vec<UserId> = users::table
            .filter(users::id.gt(after))
            .order(users::id.asc())
            .limit(500)
            .select(users::id)
            .load(conn)?;
        let Some(last) = members.last().copied() else {
            return Ok(());
        };
        for member in members {
            notify_subject(ctx, conn, member, Kind::Rules, &notice)?;
        }
        after = last;
    }
}

/// At sign-up: when rules are in force, the new member must accept them.
pub fn check_acceptance(conn: &mut DbConnection, accepted: bool) -> AppResult<()> {
    if !accepted && rules_exist(conn)? {
        return Err(AppError::invalid_field(
            "accept_rules",
            "error-rules-not-accepted",
        ));
    }
    Ok(())
}

/// Records that `user` accepted the rules in force now.
pub fn record_acceptance(conn: &mut DbConnection, user: UserId) -> AppResult<()> {
    diesel::delete(rule_acceptances::table.find(user)).execute(conn)?;
    diesel::insert_into(rule_acceptances::table)
        .values((
            rule_acceptances::user_id.eq(user),
            rule_acceptances::accepted_at.eq(now()),
        ))
        .execute(conn)?;
    Ok(())
}
