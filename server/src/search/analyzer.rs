//! The text analysis both databases' indexes share, done in Rust so neither needs an extension
//! (PostgreSQL's `unaccent` is superuser-only; SQLite has no Spanish stemmer): words are
//! lower-cased, accents folded ("café" → "cafe"), stop words of both languages dropped, and each
//! word stemmed by the Spanish and the English Snowball stemmers (a community writes in both,
//! often in one post). The index keeps the folded word and its stems; a query word matches any
//! of its own, and words that begin with its Spanish stem when that stem is long enough
//! (Snowball stems "descalcificación" to "descalcif" but "descalcificar" to "descalcific").

use std::collections::BTreeSet;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;

/// The longest word kept (longer ones are noise: hashes, URLs' tails).
const MAX_WORD: usize = 40;

/// The shortest Spanish stem searched as a prefix (shorter ones match too much).
const PREFIX_MIN: usize = 5;

/// Words too common to search for, in Spanish and English (folded).
const STOP_WORDS: &[&str] = &[
    "a", "al", "algo", "como", "con", "de", "del", "el", "en", "es", "esta", "este", "hay", "la",
    "las", "lo", "los", "mas", "me", "mi", "muy", "no", "o", "para", "pero", "por", "que", "se",
    "si", "sin", "su", "sus", "te", "tu", "un", "una", "uno", "y", "ya", "yo", "an", "and", "are",
    "as", "at", "be", "but", "by", "do", "for", "from", "has", "have", "i", "if", "in", "is", "it",
    "my", "of", "on", "or", "so", "than", "that", "the", "this", "to", "was", "we", "what", "when",
    "with", "you",
];

/// The words of a text in lower case (accents kept: the Spanish stemmer needs them), stop words
/// and over-long words left out, in order.
pub fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() <= MAX_WORD)
        // A "word" of combining marks only folds to nothing: there is nothing to find.
        .filter(|w| {
            let folded = fold(w);
            !folded.is_empty() && !STOP_WORDS.contains(&folded.as_str())
        })
        .collect()
}

/// A word as the query matches it: exactly, or as the beginning of indexed words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    pub text: String,
    pub prefix: bool,
}

/// Lower case without diacritics ("Descalcificación" → "descalcificacion").
pub fn fold(word: &str) -> String {
    word.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

/// What a lower-case word is indexed as: the folded word, its Spanish stem (folded), its English
/// stem; each once.
pub fn stems(word: &str) -> Vec<String> {
    let folded = fold(word);
    let spanish = fold(&Stemmer::create(Algorithm::Spanish).stem(word));
    let english = Stemmer::create(Algorithm::English)
        .stem(&folded)
        .into_owned();
    let mut out = vec![folded];
    for stem in [spanish, english] {
        if !stem.is_empty() && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// The Spanish stem of a lower-case word, folded.
pub fn spanish_stem(word: &str) -> String {
    fold(&Stemmer::create(Algorithm::Spanish).stem(word))
}

/// What the index stores for a text: every stem of every word, space-separated.
pub fn index_terms(text: &str) -> String {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for word in words(text) {
        for stem in stems(&word) {
            if seen.insert(stem.clone()) {
                out.push(stem);
            }
        }
    }
    out.join(" ")
}

/// What both engines index for a text: every stem of every word, and each beginning (of 5
/// letters or more) of the folded word, which is what a query's prefix term may be, so queries
/// match exact terms only (prefix searches cost as much as every word they begin):
/// "descalcificación" also holds "descalcific", the Spanish stem of "descalcificar", and
/// "descalcificar" holds "descalcif", the stem of "descalcificación".
pub fn prefix_terms(text: &str) -> String {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for word in words(text) {
        // A query's long Spanish stem may begin the word itself ("descalcific", from
        // "descalcificar", begins "descalcificacion") or its own stem.
        let folded = fold(&word);
        let beginnings = (PREFIX_MIN..folded.chars().count())
            .map(|n| folded.chars().take(n).collect::<String>());
        for term in stems(&word).into_iter().chain(beginnings) {
            if seen.insert(term.clone()) {
                out.push(term);
            }
        }
    }
    out.join(" ")
}

/// A query as groups of alternatives: every group must match (AND), any term in a group will
/// do (OR). Empty when the query holds only stop words.
pub fn query_groups(query: &str) -> Vec<Vec<Term>> {
    let mut groups: Vec<Vec<Term>> = vec![];
    for word in words(query) {
        let mut group: Vec<Term> = stems(&word)
            .into_iter()
            .map(|text| Term {
                text,
                prefix: false,
            })
            .collect();
        let stem = spanish_stem(&word);
        if stem.chars().count() >= PREFIX_MIN {
            group.retain(|t| t.text != stem);
            group.push(Term {
                text: stem,
                prefix: true,
            });
        }
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

impl Term {
    /// Whether an indexed word matches this term.
    pub fn matches(&self, indexed: &str) -> bool {
        if self.prefix {
            indexed.starts_with(&self.text)
        } else {
            indexed == self.text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(text: &str, query: &str) -> bool {
        let indexed: Vec<String> = index_terms(text).split(' ').map(str::to_string).collect();
        let groups = query_groups(query);
        !groups.is_empty()
            && groups
                .iter()
                .all(|g| g.iter().any(|t| indexed.iter().any(|i| t.matches(i))))
    }

    #[test]
    fn spanish_and_english_words_find_their_forms_with_or_without_accents() {
        assert!(matches(
            "Cómo descalcificar la cafetera",
            "descalcificación"
        ));
        assert!(matches("La descalcificación, paso a paso", "descalcificar"));
        assert!(matches("Mi café favorito", "cafe"));
        assert!(matches("Comparativa de molinos manuales", "molino"));
        assert!(matches("Grinding beans for espresso", "grinder grind"));
        assert!(matches("The grinders I tested", "grinder"));
        assert!(!matches("Mi café favorito", "molino"));
    }

    /// As the engines match: exact terms against `prefix_terms`.
    fn matches_exactly(text: &str, query: &str) -> bool {
        let indexed: Vec<String> = prefix_terms(text).split(' ').map(str::to_string).collect();
        let groups = query_groups(query);
        !groups.is_empty()
            && groups
                .iter()
                .all(|g| g.iter().any(|t| indexed.contains(&t.text)))
    }

    #[test]
    fn exact_terms_find_the_same_forms() {
        assert!(matches_exactly(
            "Cómo descalcificar la cafetera",
            "descalcificación"
        ));
        assert!(matches_exactly(
            "La descalcificación, paso a paso",
            "descalcificar"
        ));
        assert!(matches_exactly("Mi café favorito", "cafe"));
        assert!(matches_exactly("Comparativa de molinos manuales", "molino"));
        assert!(matches_exactly("The grinders I tested", "grinder"));
        assert!(!matches_exactly("Mi café favorito", "molino"));
    }

    #[test]
    fn stop_words_alone_make_an_empty_query() {
        assert!(query_groups("de la el the of").is_empty());
        assert_eq!(query_groups("la MOKA").len(), 1);
        // Marks without a letter (Arabic harakat) make no term at all, never an empty one.
        assert!(query_groups("\u{64b}\u{64c}").is_empty());
        assert!(query_groups("caf\u{e9} \u{64b}")
            .iter()
            .flatten()
            .all(|t| !t.text.is_empty()));
    }
}
