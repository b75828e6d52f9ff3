//! The community manager's moderation settings: trust-level thresholds (Discourse's defaults),
//! the auto-hide score, the queue's deadlines, posting limits per trust level and how many first
//! posts of a new member are held. Stored as name → number; a missing name has
//! its default here.

use std::collections::BTreeMap;

use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::moderation_settings;
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::policy::{require, Actor};

/// Every setting: its name, default and the largest value accepted (the smallest is 0, or 1
/// where 0 would make no sense).
pub const SETTINGS: &[(&str, i32, i32, i32)] = &[
    // name, default, min, max
    ("tl1_topics_entered", 5, 0, 10_000),
    ("tl1_posts_read", 30, 0, 100_000),
    ("tl2_topics_entered", 20, 0, 10_000),
    ("tl2_posts_read", 100, 0, 100_000),
    ("tl2_days_member", 15, 0, 3_650),
    ("tl2_likes_given", 1, 0, 10_000),
    ("tl2_likes_received", 1, 0, 10_000),
    ("tl2_replied_topics", 3, 0, 10_000),
    ("tl3_period_days", 100, 1, 3_650),
    ("tl3_replied_topics", 10, 0, 10_000),
    ("tl3_likes_given", 30, 0, 100_000),
    ("tl3_likes_received", 20, 0, 100_000),
    ("tl3_topics_entered", 200, 0, 100_000),
    ("tl3_posts_read", 500, 0, 1_000_000),
    ("tl3_max_upheld_reports", 5, 0, 1_000),
    ("tl3_grace_days", 14, 0, 365),
    ("auto_hide_score", 8, 1, 1_000),
    ("sla_urgent_hours", 1, 1, 720),
    ("sla_high_hours", 24, 1, 720),
    ("sla_normal_hours", 72, 1, 720),
    // Posts (threads and replies) per hour at each trust level (0: no limit; staff have none).
    ("posts_per_hour_tl0", 30, 0, 10_000),
    ("posts_per_hour_tl1", 120, 0, 10_000),
    ("posts_per_hour_tl2", 120, 0, 10_000),
    ("posts_per_hour_tl3", 240, 0, 10_000),
    ("posts_per_hour_tl4", 0, 0, 10_000),
    // A trust level 0 member's first posts held for a moderator's approval (0: none).
    ("hold_first_posts", 0, 0, 100),
    // Appeals: days to decide before escalation to the community manager, and days the
    // community manager then has (disputes.md R-S2).
    ("appeal_decide_days", 14, 1, 90),
    ("appeal_escalated_days", 7, 1, 90),
    // Disputes in arbitration: days of the evidence period and of the draft's comment period
    // (disputes.md R-D3).
    ("dispute_evidence_days", 10, 1, 60),
    ("dispute_comment_days", 7, 1, 30),
    // Days to decide once in arbitration; one extension, never past 90 days (R-S3).
    ("dispute_decide_days", 30, 1, 90),
    // Points (reputation::points) per thread started, reply, reaction received (from each
    // member) and accepted answer (discourse-gamification's weights, scaled).
    ("points_thread_started", 5, 0, 1_000),
    ("points_reply_posted", 2, 0, 1_000),
    ("points_reaction_received", 1, 0, 1_000),
    ("points_answer_accepted", 10, 0, 1_000),
    // The fallback arbiter's user id (0: none); set by username on the case desk, not here.
    (FALLBACK_ARBITER, 0, 0, i32::MAX),
];

/// The setting naming the fallback arbiter, which the settings page leaves out.
pub const FALLBACK_ARBITER: &str = "fallback_arbiter";

/// The settings in force.
#[derive(Clone, Debug, Serialize)]
pub struct Settings(BTreeMap<String, i32>);

impl Settings {
    /// Every setting at its default.
    pub fn defaults() -> Settings {
        Settings(
            SETTINGS
                .iter()
                .map(|(name, default, _, _)| (name.to_string(), *default))
                .collect(),
        )
    }

    /// The value of `name` (its default when unset; 0 for an unknown name).
    pub fn get(&self, name: &str) -> i32 {
        self.0
            .get(name)
            .copied()
            .unwrap_or_else(|| SETTINGS.iter().find(|s| s.0 == name).map_or(0, |s| s.1))
    }

    /// Points paid for `action` (reputation).
    pub fn points(&self, action: crate::reputation::model::PointAction) -> i32 {
        self.get(&format!("points_{}", action.as_str()))
    }

    pub fn i64(&self, name: &str) -> i64 {
        i64::from(self.get(name))
    }
}

/// One setting as the page shows it.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SettingView {
    pub name: String,
    pub value: i32,
    pub default: i32,
    pub min: i32,
    pub max: i32,
}

pub fn load(conn: &mut DbConnection) -> AppResult<Settings> {
    let stored: Vec<(String, i32)> = moderation_settings::table
        .select((moderation_settings::name, moderation_settings::value))
        .load(conn)?;
    let mut values: BTreeMap<String, i32> = SETTINGS
        .iter()
        .map(|(name, default, _, _)| (name.to_string(), *default))
        .collect();
    for (name, value) in stored {
        if values.contains_key(&name) {
            values.insert(name, value);
        }
    }
    Ok(Settings(values))
}

/// The settings with their bounds (community manager and admins).
pub fn list(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<SettingView>> {
    require(super::rules::can_write_rules(actor))?;
    let settings = load(conn)?;
    Ok(SETTINGS
        .iter()
        .filter(|s| s.0 != FALLBACK_ARBITER)
        .map(|(name, default, min, max)| SettingView {
            name: name.to_string(),
            value: settings.get(name),
            default: *default,
            min: *min,
            max: *max,
        })
        .collect())
}

/// Saves the given settings (all or none: a value out of bounds or an unknown name refuses
/// the lot, each named).
pub fn save(
    conn: &mut DbConnection,
    actor: &Actor,
    values: &BTreeMap<String, String>,
) -> AppResult<()> {
    require(super::rules::can_write_rules(actor))?;
    let mut problems = BTreeMap::new();
    let mut parsed = vec![];
    for (name, value) in values {
        if name == "csrf_token" {
            continue;
        }
        let Some((_, _, min, max)) = SETTINGS
            .iter()
            .find(|s| s.0 == name && s.0 != FALLBACK_ARBITER)
        else {
            problems.insert(name.clone(), "error-setting-unknown".to_string());
            continue;
        };
        match value.trim().parse::<i32>() {
            Ok(v) if (*min..=*max).contains(&v) => parsed.push((name.clone(), v)),
            _ => {
                problems.insert(
                    name.clone(),
                    format!("error-setting-range|min={min}|max={max}"),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::new(ErrorKind::Invalid {
            code: ErrorCode::InvalidInput,
            fields: problems,
        }));
    }
    crate::db::write_transaction(conn, |conn| {
        for (name, value) in &parsed {
            diesel::delete(moderation_settings::table.find(name)).execute(conn)?;
            diesel::insert_into(moderation_settings::table)
                .values((
                    moderation_settings::name.eq(name),
                    moderation_settings::value.eq(value),
                ))
                .execute(conn)?;
        }
        Ok(())
    })
}
