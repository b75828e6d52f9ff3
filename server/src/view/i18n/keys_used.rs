//! Every message key the code can ask for exists in every language. The keys are found by reading
//! the sources: `t("…")` calls in the default templates and in the themes shipped with Tertulia,
//! key-shaped string literals in the Rust code (`"error-body-empty"`, `"verify-title"`), and the
//! message `error-<code>` of every `ErrorCode`.
//!
//! Keys a template builds at run time (`t("role-" ~ r)`) are checked against every value they can
//! take, listed in `built_keys` from the enums themselves; a template that builds a key from a
//! prefix not listed there fails the test until it is.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{I18n, SUPPORTED};
use crate::error::ErrorCode;

/// A `t(…)` call in a template.
#[derive(Debug, PartialEq, Eq)]
enum Call {
    /// `t("key", …)`
    Key(String),
    /// `t("prefix" ~ expression ~ "suffix", …)`; the suffix may be empty.
    Built { prefix: String, suffix: String },
    /// Anything else (`t(variable)`): the start of the call, for the failure message.
    Unreadable(String),
}

/// Keys templates build at run time: (prefix, suffix, every value between them).
fn built_keys() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    use crate::accounts::model::Role;
    use crate::forum::model::{ReactionKind, ThreadKind, Visibility, WatchLevel};
    use crate::notify::model::{Delivery, Kind};
    let notify_kinds = || Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>();
    let case_states = || {
        crate::ombudsman::model::CaseState::ALL
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
    };
    let posting_rules = || {
        crate::forum::model::PostingRule::ALL
            .iter()
            .map(|r| r.as_str())
            .collect::<Vec<_>>()
    };
    vec![
        ("field-", "-rule", vec!["start", "reply"]),
        (
            "directory-sort-",
            "",
            crate::forum::service::people::DirectorySort::ALL.to_vec(),
        ),
        (
            "filter-",
            "",
            crate::forum::model::ListFilter::ALL
                .iter()
                .map(|f| f.as_str())
                .collect(),
        ),
        ("posting-rule-", "", posting_rules()),
        ("category-reply-", "", posting_rules()),
        ("category-start-short-", "", posting_rules()),
        (
            "visibility-",
            "",
            Visibility::ALL.iter().map(|v| v.as_str()).collect(),
        ),
        (
            "kind-",
            "",
            ThreadKind::ALL.iter().map(|k| k.as_str()).collect(),
        ),
        (
            "watch-",
            "",
            WatchLevel::ALL.iter().map(|l| l.as_str()).collect(),
        ),
        (
            "reaction-",
            "",
            ReactionKind::ALL.iter().map(|r| r.as_str()).collect(),
        ),
        ("role-", "", Role::ALL.iter().map(|r| r.as_str()).collect()),
        ("language-", "", crate::accounts::service::LOCALES.to_vec()),
        ("notification-", "", notify_kinds()),
        (
            "report-reason-",
            "",
            crate::moderation::model::ReportReason::ALL
                .iter()
                .map(|r| r.as_str())
                .collect(),
        ),
        (
            "review-target-",
            "",
            crate::moderation::model::TargetKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect(),
        ),
        (
            "modlog-action-",
            "",
            crate::moderation::model::DecisionAction::ALL
                .iter()
                .map(|a| a.as_str())
                .collect(),
        ),
        (
            "modlog-source-",
            "",
            crate::moderation::model::DecisionSource::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "review-priority-",
            "",
            crate::moderation::model::Priority::ALL
                .iter()
                .map(|p| p.as_str())
                .collect(),
        ),
        (
            "statement-measure-",
            "",
            crate::moderation::model::DecisionAction::ALL
                .iter()
                .filter(|a| a.is_restrictive())
                .map(|a| a.as_str())
                .collect(),
        ),
        (
            "statement-scope-",
            "",
            vec![
                crate::moderation::model::scope::POST,
                crate::moderation::model::scope::THREAD,
                crate::moderation::model::scope::ACCOUNT,
            ],
        ),
        (
            "statement-source-",
            "",
            crate::moderation::model::DecisionSource::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        ("statement-detected-", "", vec!["yes", "no"]),
        ("statement-decided-", "", vec!["yes", "no"]),
        (
            "post-state-",
            "",
            crate::forum::model::ContentState::ALL
                .iter()
                .filter(|s| !s.is_public())
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "review-action-",
            "",
            vec![
                "hide", "delete", "edit", "approve", "reject", "keep", "dismiss", "escalate",
            ],
        ),
        (
            "watched-action-",
            "",
            crate::moderation::watched::WatchedAction::ALL
                .iter()
                .map(|a| a.as_str())
                .collect(),
        ),
        (
            "watched-result-",
            "",
            vec!["publish", "flag", "hold", "block"],
        ),
        (
            "review-origin-",
            "",
            crate::moderation::model::ItemOrigin::ALL
                .iter()
                .map(|o| o.as_str())
                .collect(),
        ),
        (
            "setting-",
            "",
            crate::moderation::settings::SETTINGS
                .iter()
                .filter(|s| s.0 != crate::moderation::settings::FALLBACK_ARBITER)
                .map(|s| s.0)
                .collect(),
        ),
        ("kind-label-", "", notify_kinds()),
        (
            "first-week-",
            "",
            crate::reputation::first_week::STEPS
                .iter()
                .map(|s| s.1)
                .collect(),
        ),
        (
            "badges-tier-",
            "",
            crate::reputation::model::Tier::ALL
                .iter()
                .map(|t| t.as_str())
                .collect(),
        ),
        (
            "ambassador-state-",
            "",
            crate::reputation::ambassadors::NominationState::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "leaderboard-period-",
            "",
            crate::reputation::model::Period::ALL
                .iter()
                .map(|p| p.as_str())
                .collect(),
        ),
        (
            "case-kind-",
            "",
            crate::ombudsman::model::CaseKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect(),
        ),
        ("case-state-", "", case_states()),
        (
            "remedy-",
            "",
            crate::ombudsman::remedies::REMEDY_KINDS.to_vec(),
        ),
        (
            "transparency-section-",
            "",
            vec![
                "notices",
                "actions",
                "own_initiative",
                "appeals",
                "sanctions",
                "community",
                "recipients",
                "external",
            ],
        ),
        ("appeal-filed-", "", case_states()),
        (
            "case-outcome-",
            "",
            crate::ombudsman::model::CaseOutcome::ALL
                .iter()
                .map(|o| o.as_str())
                .collect(),
        ),
        (
            "case-role-",
            "",
            vec![
                "appellant",
                "complainant",
                "respondent",
                "reviewer",
                "ombudsman",
            ],
        ),
        (
            "evidence-visibility-",
            "",
            crate::ombudsman::model::Visibility::ALL
                .iter()
                .map(|v| v.as_str())
                .collect(),
        ),
        ("case-reason-", "", vec!["late"]),
        ("case-next-", "", vec!["ombudsman", "out_of_court", "court"]),
        ("case-reviewer-", "", vec!["moderator", "community-manager"]),
        (
            "case-note-",
            "",
            vec![
                "late",
                "assigned",
                "assigned_ombudsman",
                "tasks_done",
                "for_complainant",
                "partly",
                "for_respondent",
                "no_eligible_moderator",
                "deadline_passed",
                "upheld",
                "modified",
                "overturned",
                "inadmissible",
                "settled",
                "proceeds_on_record",
                "reassigned_witness",
            ],
        ),
        ("review-side-", "", vec!["complainant", "respondent"]),
        ("awaiting-", "", vec!["complainant", "respondent"]),
        ("search-sort-", "", vec!["relevance", "newest", "reactions"]),
        ("search-engine-", "", vec!["database", "meilisearch"]),
        ("events-format-", "", vec!["online", "in_person"]),
        (
            "event-recurrence-",
            "",
            vec!["weekly", "biweekly", "monthly"],
        ),
        ("event-rsvp-", "", vec!["going", "interested", "not_going"]),
        ("question-state-", "", vec!["open", "answered", "dismissed"]),
        (
            "weekday-",
            "",
            vec!["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        ),
        ("question-mark-", "", vec!["open", "answered", "dismissed"]),
        (
            "event-rsvp-status-",
            "",
            crate::calendar::model::RsvpStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        (
            "event-my-rsvp-",
            "",
            crate::calendar::model::RsvpStatus::ALL
                .iter()
                .map(|s| s.as_str())
                .collect(),
        ),
        ("publication-basis-", "", vec!["consent", "precedent"]),
        (
            "delivery-",
            "",
            Delivery::ALL.iter().map(|d| d.as_str()).collect(),
        ),
        ("mail-digest-", "", notify_kinds()),
        ("mail-", "-subject", notify_kinds()),
        ("mail-", "-line", notify_kinds()),
    ]
}

/// The message of every stable error code.
fn error_code_keys() -> Vec<String> {
    ErrorCode::ALL
        .iter()
        .map(|code| code.message_key())
        .collect()
}

fn files_under(dir: &Path, extensions: &[&str], found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, extensions, found);
        } else if path
            .extension()
            .is_some_and(|e| extensions.iter().any(|x| e == *x))
        {
            found.push(path);
        }
    }
}

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The string literal at the start of `text` (either quote) and what follows it.
fn literal(text: &str) -> Option<(&str, &str)> {
    let quote = text.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = text[1..].find(quote)? + 1;
    Some((&text[1..end], &text[end + 1..]))
}

/// Every `t(…)` call in a template's text.
fn template_calls(text: &str) -> Vec<Call> {
    let mut calls = vec![];
    for (at, _) in text.match_indices("t(") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
            continue; // `format(`, `x.t(`: not our function
        }
        let rest = text[at + 2..].trim_start();
        let Some((first, after)) = literal(rest) else {
            calls.push(Call::Unreadable(rest.chars().take(40).collect()));
            continue;
        };
        let after = after.trim_start();
        let Some(expression) = after.strip_prefix('~') else {
            calls.push(Call::Key(first.to_string()));
            continue;
        };
        let expression = expression.trim_start();
        let after_expression = expression
            .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
            .trim_start();
        let suffix = match after_expression.strip_prefix('~') {
            Some(tail) => match literal(tail.trim_start()) {
                Some((suffix, _)) => suffix.to_string(),
                None => {
                    calls.push(Call::Unreadable(rest.chars().take(40).collect()));
                    continue;
                }
            },
            None => String::new(),
        };
        calls.push(Call::Built {
            prefix: first.to_string(),
            suffix,
        });
    }
    calls
}

fn is_key_shaped(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text.contains('-')
        && !text.ends_with('-')
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Message keys a Rust source text asks for: key-shaped literals whose first word starts some
/// existing message (so `"text/html"` or `"x-request-id"` are not taken for keys).
fn rust_keys(text: &str, message_prefixes: &BTreeSet<String>) -> Vec<String> {
    let mut keys = vec![];
    // Between two quotes; a stretch between two literals is never key-shaped in practice.
    for piece in text.split('"').skip(1) {
        let first_word = piece.split('-').next().unwrap_or_default();
        if is_key_shaped(piece) && message_prefixes.contains(first_word) {
            keys.push(piece.to_string());
        }
    }
    keys
}

/// Every key the templates and the Rust code use, each with where it was found.
fn used_keys(i18n: &I18n) -> Vec<(String, String)> {
    let root = repository();
    let mut used = vec![];
    let built = built_keys();
    let mut templates = vec![];
    files_under(
        &root.join("web/templates"),
        &["html", "txt", "subject"],
        &mut templates,
    );
    files_under(
        &root.join("themes"),
        &["html", "txt", "subject"],
        &mut templates,
    );
    assert!(templates.len() > 20, "templates found: {templates:?}");
    for path in &templates {
        let text = std::fs::read_to_string(path).unwrap();
        let place = path.strip_prefix(&root).unwrap().display().to_string();
        for call in template_calls(&text) {
            match call {
                Call::Key(key) => used.push((key, place.clone())),
                Call::Built { prefix, suffix } => {
                    let Some((_, _, values)) =
                        built.iter().find(|(p, s, _)| *p == prefix && *s == suffix)
                    else {
                        panic!(
                            "{place} builds a key t(\"{prefix}\" ~ … ~ \"{suffix}\"): list its \
                             values in built_keys()"
                        );
                    };
                    for value in values {
                        used.push((format!("{prefix}{value}{suffix}"), place.clone()));
                    }
                }
                Call::Unreadable(start) => {
                    panic!("{place}: t({start}… does not start with a key this test can read")
                }
            }
        }
    }
    let message_prefixes: BTreeSet<String> = i18n
        .message_ids("en")
        .iter()
        .filter_map(|id| id.split('-').next().map(str::to_string))
        .collect();
    let mut sources = vec![];
    files_under(&root.join("server/src"), &["rs"], &mut sources);
    for path in &sources {
        if path.ends_with("i18n/keys_used.rs") {
            continue; // its own examples are not keys the server uses
        }
        let text = std::fs::read_to_string(path).unwrap();
        let place = path.strip_prefix(&root).unwrap().display().to_string();
        for key in rust_keys(&text, &message_prefixes) {
            used.push((key, place.clone()));
        }
    }
    for key in error_code_keys() {
        used.push((key, "server/src/error.rs".into()));
    }
    used
}

#[test]
fn every_message_key_used_exists_in_every_language() {
    let i18n = I18n::load().unwrap();
    let used = used_keys(&i18n);
    let distinct: BTreeSet<&str> = used.iter().map(|(key, _)| key.as_str()).collect();
    // The scan must see the kinds of keys it claims to: a literal, a built one, an error code.
    for expected in [
        "nav-home",
        "role-community_manager",
        "mail-official-subject",
        "error-invalid-form",
        "error-slug-taken",
        "error-not-found",
        "verify-title",
    ] {
        assert!(distinct.contains(expected), "the scan missed {expected}");
    }
    let mut missing = BTreeSet::new();
    for (key, place) in &used {
        for locale in SUPPORTED {
            if !i18n.has_message(locale, key) {
                missing.insert(format!("{locale}: {key} (used in {place})"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "messages missing from web/locales:\n{}",
        missing.into_iter().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn template_calls_are_read() {
    let text = r#"{{ t("a-b") }} {{ t('c-d', n=1) }} {{ t("role-" ~ r) }}
        {{ t("mail-" ~ item.kind ~ "-line", actor=a) }} {{ format(x) }} {{ t(name) }}"#;
    assert_eq!(
        template_calls(text),
        vec![
            Call::Key("a-b".into()),
            Call::Key("c-d".into()),
            Call::Built {
                prefix: "role-".into(),
                suffix: String::new()
            },
            Call::Built {
                prefix: "mail-".into(),
                suffix: "-line".into()
            },
            Call::Unreadable("name) }}".into()),
        ]
    );
}

#[test]
fn rust_keys_are_read() {
    let prefixes: BTreeSet<String> = ["error", "verify"].map(String::from).into();
    let text = r#"invalid_field("body", "error-body-empty"); page.t(&state, "verify-title");
        bad_request(ErrorCode::InvalidForm); "x-request-id"; "text/html"; format!("error-{}", code)"#;
    assert_eq!(
        rust_keys(text, &prefixes),
        vec!["error-body-empty", "verify-title"]
    );
}
