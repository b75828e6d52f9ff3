//! The language a post is written in, so pages can mark it (`lang`) and a screen reader reads
//! a Spanish post on an English page in Spanish. Detected from the text by `whatlang` when it
//! is sure; otherwise the author's language setting; otherwise unknown (the post inherits the
//! page's language).

/// ISO 639-3 (what `whatlang` names) to ISO 639-1 (what `lang` attributes take), for the
/// languages a brand's customers are likely to write in.
const CODES: &[(&str, &str)] = &[
    ("eng", "en"),
    ("spa", "es"),
    ("por", "pt"),
    ("fra", "fr"),
    ("deu", "de"),
    ("ita", "it"),
    ("nld", "nl"),
    ("cat", "ca"),
    ("pol", "pl"),
    ("swe", "sv"),
    ("dan", "da"),
    ("nob", "no"),
    ("fin", "fi"),
    ("ces", "cs"),
    ("ron", "ro"),
    ("tur", "tr"),
    ("rus", "ru"),
    ("ukr", "uk"),
    ("ell", "el"),
    ("ara", "ar"),
    ("heb", "he"),
    ("hin", "hi"),
    ("jpn", "ja"),
    ("kor", "ko"),
    ("cmn", "zh"),
];

/// The language of `text` (ISO 639-1): detected, else `author_locale`, else `None`.
pub fn of_text(text: &str, author_locale: Option<&str>) -> Option<String> {
    let detected = whatlang::detect(text)
        .filter(|info| info.is_reliable())
        .and_then(|info| {
            let code = info.lang().code();
            CODES
                .iter()
                .find(|(three, _)| *three == code)
                .map(|(_, two)| (*two).to_string())
        });
    detected.or_else(|| author_locale.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::of_text;

    #[test]
    fn detects_spanish_and_english_and_falls_back_to_the_author() {
        assert_eq!(
            of_text(
                "La cafetera muestra el aviso de descalcificación cada mañana, ¿qué hago?",
                Some("en")
            )
            .as_deref(),
            Some("es")
        );
        assert_eq!(
            of_text(
                "The machine shows the descaling warning every morning, what should I do?",
                Some("es")
            )
            .as_deref(),
            Some("en")
        );
        // Too short to tell: the author's setting, or nothing.
        assert_eq!(of_text("ok", Some("es")).as_deref(), Some("es"));
        assert_eq!(of_text("ok", None), None);
    }
}
