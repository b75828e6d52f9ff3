//! Screening what members publish, before it is written: a domain registers a screen (moderation:
//! watched words, and holding new members' first posts) that may refuse the text, change it, hold
//! it for review or flag it, and hears in the same transaction which post came of it. The forum
//! asks `screen` for every thread title, post and edit, and calls `record` after writing, so it
//! depends on no domain that screens.

use crate::db::DbConnection;
use crate::error::AppResult;
use crate::forum::model::PostId;
use crate::forum::service::ForumSettings;
use crate::policy::Actor;

/// What screening decided about a text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    /// Publish it.
    #[default]
    Publish,
    /// Publish it, and put it in the review queue.
    Flag { reasons: Vec<String> },
    /// Keep it from everyone but its author and moderators until a moderator approves it.
    Hold { reasons: Vec<String> },
}

impl Outcome {
    pub fn is_held(&self) -> bool {
        matches!(self, Outcome::Hold { .. })
    }
}

/// A text as screening left it: possibly changed, with what to do with it.
#[derive(Clone, Debug, Default)]
pub struct Screened {
    pub text: String,
    pub outcome: Outcome,
    /// Posts the author may write in any hour, when a screen limits them (new posts only; the
    /// forum counts and enforces it in the writing transaction).
    pub posts_per_hour: Option<u32>,
}

/// Where a text is going: the screens may treat titles and first posts differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    ThreadTitle,
    NewPost,
    Edit,
}

/// A domain's screen.
pub struct Screen {
    pub name: &'static str,
    /// Refuses (an error naming the rule), or returns the text (changed or not) and an outcome.
    pub check: fn(&mut DbConnection, &Actor, &str, Place, &ForumSettings) -> AppResult<Screened>,
    /// Told, in the writing transaction, which post a flagged or held text became.
    pub record: fn(&mut DbConnection, PostId, &Outcome) -> AppResult<()>,
    /// Takes the screen's lock on an existing post before the edit writes it.
    pub lock: fn(&mut DbConnection, PostId) -> AppResult<()>,
}

/// Runs every domain's screen over `text`, in order (each sees the previous one's text).
pub fn screen(
    conn: &mut DbConnection,
    actor: &Actor,
    text: &str,
    place: Place,
    settings: &ForumSettings,
) -> AppResult<Screened> {
    let mut result = Screened {
        text: text.to_string(),
        outcome: Outcome::Publish,
        posts_per_hour: None,
    };
    for domain in crate::DOMAINS {
        if let Some(screen) = domain.screen {
            let next = (screen.check)(conn, actor, &result.text, place, settings)?;
            result.text = next.text;
            result.outcome = combine(result.outcome, next.outcome);
            // The strictest limit holds.
            result.posts_per_hour = match (result.posts_per_hour, next.posts_per_hour) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    Ok(result)
}

/// Joins two outcomes: hold wins over flag, flag over publish; the reasons add up.
pub fn combine(a: Outcome, b: Outcome) -> Outcome {
    use Outcome::*;
    match (a, b) {
        (Publish, other) | (other, Publish) => other,
        (Flag { mut reasons }, Flag { reasons: more }) => {
            reasons.extend(more);
            Flag { reasons }
        }
        (Hold { mut reasons }, Hold { reasons: more } | Flag { reasons: more })
        | (Flag { reasons: more }, Hold { mut reasons }) => {
            reasons.extend(more);
            Hold { reasons }
        }
    }
}

/// Lets every screen lock an existing post before an edit that it will record writes it.
pub fn lock(conn: &mut DbConnection, post: PostId) -> AppResult<()> {
    for domain in crate::DOMAINS {
        if let Some(screen) = domain.screen {
            (screen.lock)(conn, post)?;
        }
    }
    Ok(())
}

/// Tells every screen which post a flagged or held text became.
pub fn record(conn: &mut DbConnection, post: PostId, outcome: &Outcome) -> AppResult<()> {
    if *outcome == Outcome::Publish {
        return Ok(());
    }
    for domain in crate::DOMAINS {
        if let Some(screen) = domain.screen {
            (screen.record)(conn, post, outcome)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hold_wins_and_reasons_add_up() {
        let flag = Outcome::Flag {
            reasons: vec!["a".into()],
        };
        let hold = Outcome::Hold {
            reasons: vec!["b".into()],
        };
        assert_eq!(combine(Outcome::Publish, flag.clone()), flag);
        assert_eq!(
            combine(flag.clone(), hold.clone()),
            Outcome::Hold {
                reasons: vec!["b".into(), "a".into()]
            }
        );
        assert_eq!(
            combine(flag.clone(), flag),
            Outcome::Flag {
                reasons: vec!["a".into(), "a".into()]
            }
        );
        assert!(combine(hold, Outcome::Publish).is_held());
    }
}
