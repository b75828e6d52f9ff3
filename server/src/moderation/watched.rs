//! Watched words and phrases, and the screen of what members publish: a pattern (plain words,
//! `*` matching the rest of a word), matched without regard to case or accents, with an action:
//! hold for review, flag into the queue, replace with a given text, or block naming the rule.
//! The same screen gives a new post the posting limit of its author's trust level and holds
//! the first posts of members at trust level 0 when the community manager asks for it (the
//! `posts_per_hour_tl*` and `hold_first_posts` settings).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::model::*;
use crate::accounts::model::UserId;
use crate::db::schema::{posts, rule_versions, rules, watched_words};
use crate::db::DbConnection;
use crate::error::{AppError, AppResult, ErrorCode, ErrorKind};
use crate::forum::model::{ContentState, PostId};
use crate::forum::service::ForumSettings;
use crate::policy::{self, require, Actor};
use crate::screening::{Outcome, Place, Screen, Screened};
use crate::util::now;

typed_id!(WatchedWordId);
use crate::newtypes::{small_enum, typed_id, Choice};

small_enum!(
    /// What a watched word does to a text that contains it.
    WatchedAction {
        Hold = 0 => "hold",
        Flag = 1 => "flag",
        Replace = 2 => "replace",
        Block = 3 => "block",
    }
);

/// A watched word as the community manager writes it.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct WatchedWordForm {
    /// A word or phrase; `*` matches the rest of a word (`casino*`).
    pub pattern: String,
    /// `hold`, `flag`, `replace` or `block`.
    #[schema(value_type = WatchedAction)]
    pub action: Choice<WatchedAction>,
    /// For `replace`: what replaces it.
    #[serde(default)]
    pub replacement: Option<String>,
    /// The rule it enforces (named when a text is blocked).
    #[serde(default, deserialize_with = "crate::forum::model::optional_number")]
    pub rule_id: Option<i64>,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct WatchedWordView {
    pub id: WatchedWordId,
    pub pattern: String,
    pub action: WatchedAction,
    pub replacement: Option<String>,
    pub rule_id: Option<RuleId>,
    #[serde(serialize_with = "crate::util::utc::serialize")]
    pub created_at: NaiveDateTime,
}

/// A sample text to try the watched words on.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SampleForm {
    pub text: String,
}

/// What the watched words would do to a sample.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SampleResult {
    /// `publish`, `flag`, `hold` or `block`.
    pub outcome: String,
    /// The text after replacements.
    pub text: String,
    /// The patterns that matched.
    pub matched: Vec<String>,
}

/// Who writes watched words: the community manager and admins (as the rules).
pub fn can_manage(actor: &Actor) -> bool {
    super::rules::can_write_rules(actor)
}

/// Text without case, accents, compatibility forms (full-width or mathematical letters) or
/// invisible characters, with where each of its characters came from in the original.
struct Folded {
    text: String,
    /// Per folded character: its byte offset in `text`, and the original character's range.
    map: Vec<(usize, usize, usize)>,
}

/// Invisible characters that would split a word: soft hyphen, zero-width and joiner marks.
fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{034F}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn fold(text: &str) -> Folded {
    let mut folded = Folded {
        text: String::with_capacity(text.len()),
        map: Vec::with_capacity(text.len()),
    };
    for (at, c) in text.char_indices() {
        for part in c.nfkd() {
            if unicode_normalization::char::is_combining_mark(part) || invisible(part) {
                continue;
            }
            for lower in part.to_lowercase() {
                folded.map.push((folded.text.len(), at, at + c.len_utf8()));
                folded.text.push(lower);
            }
        }
    }
    folded
}

impl Folded {
    /// The original range of the folded bytes `start..end` (both on character boundaries).
    fn original(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        let first = self.map.binary_search_by_key(&start, |m| m.0).ok()?;
        let last = match self.map.binary_search_by_key(&end, |m| m.0) {
            Ok(next) => next.checked_sub(1)?,
            Err(_) => self.map.len().checked_sub(1)?,
        };
        Some((self.map.get(first)?.1, self.map.get(last)?.2))
    }
}

/// The regular expression of a pattern, over folded text: whole words, `*` for the rest of one,
/// any white space between words.
fn compile(pattern: &str) -> Option<regex::Regex> {
    let folded = fold(pattern.trim()).text;
    if folded.is_empty() {
        return None;
    }
    let words: Vec<String> = folded
        .split_whitespace()
        .map(|word| {
            word.split('*')
                .map(regex::escape)
                .collect::<Vec<_>>()
                .join(r"\w*")
        })
        .collect();
    let mut source = words.join(r"\s+");
    // Whole words: a boundary where the pattern starts or ends with a word character.
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    if word(folded.chars().next()) {
        source = format!(r"\b{source}");
    }
    if word(folded.chars().last()) {
        source.push_str(r"\b");
    }
    regex::Regex::new(&source).ok()
}

fn valid_pattern(pattern: &str) -> bool {
    let pattern = pattern.trim();
    !pattern.is_empty()
        && pattern.chars().count() <= 100
        && pattern.chars().any(char::is_alphanumeric)
        && pattern
            .chars()
            .all(|c| c.is_alphanumeric() || c == ' ' || c == '*' || c == '-' || c == '\'')
}

struct Watched {
    pattern: String,
    action: WatchedAction,
    replacement: Option<String>,
    rule: Option<String>,
    regex: regex::Regex,
}

fn load(conn: &mut DbConnection) -> AppResult<Vec<Watched>> {
    let rows: Vec<(String, WatchedAction, Option<String>, Option<RuleId>)> = watched_words::table
        .order(watched_words::id.asc())
        .select((
            watched_words::pattern,
            watched_words::action,
            watched_words::replacement,
            watched_words::rule_id,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let cited: Vec<RuleId> = rows.iter().filter_map(|r| r.3).collect();
    let titles: Vec<(RuleId, i32, String)> = if cited.is_empty() {
        vec![]
    } else {
        rule_versions::table
            .inner_join(rules::table)
            .filter(rule_versions::rule_id.eq_any(&cited))
            .filter(rule_versions::effective_at.le(now()))
            .order(rule_versions::version.asc())
            .select((rule_versions::rule_id, rules::number, rule_versions::title))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .filter_map(|(pattern, action, replacement, rule)| {
            let regex = compile(&pattern)?;
            let rule = rule.and_then(|id| {
                titles
                    .iter()
                    .rev()
                    .find(|t| t.0 == id)
                    .map(|t| format!("#{} {}", t.1, t.2))
            });
            Some(Watched {
                pattern,
                action,
                replacement,
                rule,
                regex,
            })
        })
        .collect())
}

/// Applies the watched words to `text`: `Err` when a blocking word matches, else the text with
/// replacements made and the hold/flag outcome with the patterns that matched.
fn apply(words: &[Watched], text: &str) -> AppResult<(String, Outcome, Vec<String>)> {
    let mut text = text.to_string();
    let mut hold = vec![];
    let mut flag = vec![];
    let mut matched = vec![];
    for word in words {
        let folded = fold(&text);
        let found: Vec<(usize, usize)> = word
            .regex
            .find_iter(&folded.text)
            .map(|m| (m.start(), m.end()))
            .collect();
        // Markdown emphasis inside a word (ca**si**no) hides nothing either.
        let hidden_in_markup = found.is_empty()
            && word.action != WatchedAction::Replace
            && word
                .regex
                .is_match(&fold(&text.replace(['*', '_', '~', '`'], "")).text);
        if found.is_empty() && !hidden_in_markup {
            continue;
        }
        matched.push(word.pattern.clone());
        match word.action {
            WatchedAction::Block => {
                let clean = |s: &str| s.replace('|', "/");
                let mut fields = std::collections::BTreeMap::new();
                fields.insert(
                    "body".to_string(),
                    format!(
                        "error-watched-word|word={}|rule={}",
                        clean(&word.pattern),
                        clean(word.rule.as_deref().unwrap_or("—"))
                    ),
                );
                return Err(AppError::new(ErrorKind::Invalid {
                    code: ErrorCode::WatchedWordBlocked,
                    fields,
                }));
            }
            WatchedAction::Hold => hold.push(word.pattern.clone()),
            WatchedAction::Flag => flag.push(word.pattern.clone()),
            WatchedAction::Replace => {
                let mut out = String::with_capacity(text.len());
                let mut last = 0;
                for (start, end) in found {
                    let Some((start, end)) = folded.original(start, end) else {
                        continue;
                    };
                    if start < last {
                        continue;
                    }
                    out.push_str(text.get(last..start).unwrap_or_default());
                    out.push_str(word.replacement.as_deref().unwrap_or("■"));
                    last = end;
                }
                out.push_str(text.get(last..).unwrap_or_default());
                text = out;
            }
        }
    }
    let outcome = if !hold.is_empty() {
        Outcome::Hold { reasons: hold }
    } else if !flag.is_empty() {
        Outcome::Flag { reasons: flag }
    } else {
        Outcome::Publish
    };
    Ok((text, outcome, matched))
}

/// The screen: watched words for everyone but moderators; for a new post, the posting limit of
/// the author's trust level, and a trust level 0 member's first posts held when the
/// `hold_first_posts` setting asks for it.
fn check(
    conn: &mut DbConnection,
    actor: &Actor,
    text: &str,
    place: Place,
    _forum: &ForumSettings,
) -> AppResult<Screened> {
    if policy::can_moderate(actor) {
        return Ok(Screened {
            text: text.to_string(),
            ..Screened::default()
        });
    }
    let words = load(conn)?;
    let (text, mut outcome, _) = apply(&words, text)?;
    if place != Place::NewPost {
        return Ok(Screened {
            text,
            outcome,
            posts_per_hour: None,
        });
    }
    let settings = super::settings::load(conn)?;
    let level = actor.trust_level().clamp(0, 4);
    let posts_per_hour = u32::try_from(settings.get(&format!("posts_per_hour_tl{level}"))).ok();
    let hold_first_posts = settings.i64("hold_first_posts");
    if hold_first_posts > 0 && level == 0 {
        if let Some(me) = actor.user_id() {
            let published: i64 = posts::table
                .filter(posts::author_id.eq(me))
                .filter(posts::state.eq(ContentState::Visible))
                .count()
                .get_result(conn)?;
            if published < hold_first_posts {
                outcome = crate::screening::combine(
                    outcome,
                    Outcome::Hold {
                        reasons: vec!["new_member".into()],
                    },
                );
            }
        }
    }
    Ok(Screened {
        text,
        outcome,
        posts_per_hour,
    })
}

/// A held or flagged post goes to the queue (origin: automated).
fn record(conn: &mut DbConnection, post: PostId, outcome: &Outcome) -> AppResult<()> {
    let _ = outcome;
    let snapshot = super::reports::post_snapshot(conn, post)?;
    super::reports::raise(
        conn,
        TargetKind::Post,
        post.0,
        Priority::Normal,
        ItemOrigin::Automated,
        Some(&snapshot),
    )?;
    Ok(())
}

fn lock(conn: &mut DbConnection, post: PostId) -> AppResult<()> {
    super::reports::lock_target(conn, TargetKind::Post, post.0)
}

pub static SCREEN: Screen = Screen {
    name: "moderation.watched_words",
    check,
    record,
    lock,
};

// ---------------------------------------------------------------------------------------------
// Managing the list

pub fn list(conn: &mut DbConnection, actor: &Actor) -> AppResult<Vec<WatchedWordView>> {
    require(can_manage(actor))?;
    Ok(watched_words::table
        .order(watched_words::pattern.asc())
        .select((
            watched_words::id,
            watched_words::pattern,
            watched_words::action,
            watched_words::replacement,
            watched_words::rule_id,
            watched_words::created_at,
        ))
        .load::<(
            WatchedWordId,
            String,
            WatchedAction,
            Option<String>,
            Option<RuleId>,
            NaiveDateTime,
        )>(conn)?
        .into_iter()
        .map(|r| WatchedWordView {
            id: r.0,
            pattern: r.1,
            action: r.2,
            replacement: r.3,
            rule_id: r.4,
            created_at: r.5,
        })
        .collect())
}

pub fn add(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &WatchedWordForm,
) -> AppResult<WatchedWordId> {
    require(can_manage(actor))?;
    let me: UserId = actor.require_user()?.id;
    let pattern = form.pattern.trim().to_string();
    if !valid_pattern(&pattern) || compile(&pattern).is_none() {
        return Err(AppError::invalid_field(
            "pattern",
            "error-watched-word-pattern",
        ));
    }
    let action = form
        .action
        .known()
        .ok_or_else(|| AppError::invalid_field("action", "error-watched-word-action"))?;
    let replacement = form
        .replacement
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    if action == WatchedAction::Replace && replacement.is_none_or(|r| r.chars().count() > 100) {
        return Err(AppError::invalid_field(
            "replacement",
            "error-watched-word-replacement",
        ));
    }
    let rule = match form.rule_id {
        Some(id) => Some(
            rules::table
                .find(RuleId(id))
                .select(rules::id)
                .first::<RuleId>(conn)
                .optional()?
                .ok_or_else(|| AppError::invalid_field("rule_id", "error-rule-required"))?,
        ),
        None => None,
    };
    let taken: i64 = watched_words::table
        .filter(watched_words::pattern.eq(&pattern))
        .count()
        .get_result(conn)?;
    if taken > 0 {
        return Err(AppError::invalid_field(
            "pattern",
            "error-watched-word-taken",
        ));
    }
    Ok(diesel::insert_into(watched_words::table)
        .values((
            watched_words::pattern.eq(&pattern),
            watched_words::action.eq(action),
            watched_words::replacement.eq(replacement),
            watched_words::rule_id.eq(rule),
            watched_words::created_by.eq(Some(me)),
            watched_words::created_at.eq(now()),
        ))
        .returning(watched_words::id)
        .get_result(conn)?)
}

pub fn remove(conn: &mut DbConnection, actor: &Actor, id: WatchedWordId) -> AppResult<()> {
    require(can_manage(actor))?;
    let removed = diesel::delete(watched_words::table.find(id)).execute(conn)?;
    if removed == 0 {
        return Err(AppError::new(ErrorKind::NotFound));
    }
    Ok(())
}

/// What the watched words would do to a sample text (nothing is written).
pub fn try_sample(
    conn: &mut DbConnection,
    actor: &Actor,
    form: &SampleForm,
) -> AppResult<SampleResult> {
    require(can_manage(actor))?;
    let words = load(conn)?;
    Ok(match apply(&words, &form.text) {
        Err(_) => SampleResult {
            outcome: "block".into(),
            text: form.text.clone(),
            matched: words
                .iter()
                .filter(|w| w.regex.is_match(&fold(&form.text).text))
                .map(|w| w.pattern.clone())
                .collect(),
        },
        Ok((text, outcome, matched)) => SampleResult {
            outcome: match outcome {
                Outcome::Publish => "publish",
                Outcome::Flag { .. } => "flag",
                Outcome::Hold { .. } => "hold",
            }
            .into(),
            text,
            matched,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(pattern: &str, action: WatchedAction, replacement: Option<&str>) -> Watched {
        Watched {
            pattern: pattern.into(),
            action,
            replacement: replacement.map(str::to_string),
            rule: Some("#2 No spam".into()),
            regex: compile(pattern).unwrap(),
        }
    }

    #[test]
    fn matching_ignores_case_and_accents_and_respects_words() {
        let words = [word("cafeteria barata", WatchedAction::Flag, None)];
        let (_, outcome, _) = apply(&words, "Vendo una CAFETERÍA Barata hoy").unwrap();
        assert!(matches!(outcome, Outcome::Flag { .. }));
        let (_, outcome, _) = apply(&words, "cafeterias baratas").unwrap();
        assert_eq!(outcome, Outcome::Publish, "whole words only");
        let star = [word("casino*", WatchedAction::Hold, None)];
        let (_, outcome, _) = apply(&star, "Mejores CASINOS online").unwrap();
        assert!(outcome.is_held());
    }

    #[test]
    fn replacement_keeps_the_rest_of_the_text() {
        let words = [word("tonto", WatchedAction::Replace, Some("***"))];
        let (text, outcome, _) = apply(&words, "¡Qué TONTÓ eres, tonto! Adiós").unwrap();
        assert_eq!(text, "¡Qué *** eres, ***! Adiós");
        assert_eq!(outcome, Outcome::Publish);
    }

    #[test]
    fn blocking_names_the_rule() {
        let words = [word("compra ya", WatchedAction::Block, None)];
        let error = apply(&words, "¡Compra YA en mi web!").unwrap_err();
        assert_eq!(error.code(), "watched_word_blocked");
        let fields = error.fields();
        assert!(fields["body"].contains("rule=#2 No spam"), "{fields:?}");
    }

    #[test]
    fn disguises_do_not_hide_a_word() {
        let words = [word("casino", WatchedAction::Hold, None)];
        for text in [
            "casi\u{0301}no",
            "ca\u{200B}sino",
            "ca\u{00AD}sino",
            "ｃａｓｉｎｏ",
            "𝐜𝐚𝐬𝐢𝐧𝐨",
            "ca**si**no",
        ] {
            let (_, outcome, _) = apply(&words, text).unwrap();
            assert!(outcome.is_held(), "{text}");
        }
        let phrase = [word("compra ya", WatchedAction::Block, None)];
        assert!(apply(&phrase, "compra\u{00A0}\n  ya").is_err());
        // Hangul and kana keep their letters: no false match on a first consonant.
        let korean = [word("가", WatchedAction::Block, None)];
        assert!(apply(&korean, "각").is_ok());
    }

    #[test]
    fn replacement_maps_back_through_expansions() {
        let words = [word("fin", WatchedAction::Replace, Some("■"))];
        let (text, _, _) = apply(&words, "El ﬁn, FIN y ﬁn.").unwrap();
        assert_eq!(text, "El ■, ■ y ■.");
    }

    #[test]
    fn patterns_are_words() {
        assert!(valid_pattern("casino*"));
        assert!(valid_pattern("compra ya"));
        assert!(!valid_pattern("*"));
        assert!(!valid_pattern("a|b"));
        assert!(!valid_pattern(""));
    }
}
