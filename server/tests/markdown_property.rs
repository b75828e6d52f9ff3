//! Property test of the Markdown renderer: whatever a member writes (random mixes of Markdown,
//! HTML, entities, URLs and Unicode), the HTML it becomes, read back by an HTML5 tokenizer,
//! holds only allow-listed elements and attributes, no event handlers, no comments, and only
//! http, https, mailto or relative URLs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::cell::RefCell;
use std::collections::HashSet;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use proptest::prelude::*;
use tertulia::forum::markdown::render;

/// What a rendered post may contain: element → attributes.
fn allowed_attributes(tag: &str) -> Option<&'static [&'static str]> {
    Some(match tag {
        "a" => &["href", "title", "rel", "class"],
        "img" => &["src", "alt", "title"],
        "ol" => &["start"],
        "code" => &["class"],
        "blockquote" | "br" | "del" | "em" | "h2" | "h3" | "h4" | "h5" | "h6" | "hr" | "li"
        | "p" | "pre" | "strong" | "table" | "tbody" | "td" | "th" | "thead" | "tr" | "ul" => &[],
        _ => return None,
    })
}

/// A URL a browser would resolve to http, https, mailto or this site. Browsers drop ASCII tabs
/// and newlines anywhere and leading controls and spaces, so the check does too.
fn safe_url(url: &str) -> bool {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let scheme_end = cleaned.find([':', '/', '?', '#']);
    match scheme_end {
        Some(at) if cleaned[at..].starts_with(':') => {
            let scheme = cleaned[..at].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

#[derive(Default)]
struct Problems(RefCell<Vec<String>>);

impl TokenSink for Problems {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut problems = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                let name = tag.name.to_string();
                let Some(allowed) = allowed_attributes(&name) else {
                    problems.push(format!("element <{name}>"));
                    return TokenSinkResult::Continue;
                };
                for attr in &tag.attrs {
                    let attr_name = attr.name.local.to_string();
                    if !allowed.contains(&attr_name.as_str()) {
                        problems.push(format!("attribute {attr_name} on <{name}>"));
                    }
                    if matches!(attr_name.as_str(), "href" | "src") && !safe_url(&attr.value) {
                        problems.push(format!("URL {:?} in <{name} {attr_name}>", &*attr.value));
                    }
                    if attr_name == "class" {
                        let ok = attr.value.split_whitespace().all(|class| {
                            (name == "a" && class == "mention")
                                || (name == "code" && class.starts_with("language-"))
                        });
                        if !ok {
                            problems.push(format!("class {:?} on <{name}>", &*attr.value));
                        }
                    }
                }
            }
            Token::TagToken(tag) if allowed_attributes(&tag.name).is_none() => {
                problems.push(format!("end tag </{}>", tag.name));
            }
            Token::CommentToken(text) => problems.push(format!("comment {text:?}")),
            Token::DoctypeToken(_) => problems.push("doctype".into()),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Everything wrong with `html` (empty when it is safe).
fn problems_in(html: &str) -> Vec<String> {
    let tokenizer = Tokenizer::new(Problems::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}

fn cooked(raw: &str) -> String {
    let known: HashSet<String> = ["ana", "luis_s"].into_iter().map(String::from).collect();
    render(raw, &known, &["images.example.com".to_string()])
}

/// Pieces a hostile or careless post is made of.
const FRAGMENTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<svg onload=alert(1)>",
    "<style>body{display:none}</style>",
    "<div style=\"position:fixed\">",
    "<!-- comment -->",
    "<![CDATA[x]]>",
    "</p>",
    "<p onclick=\"x\">",
    "&lt;script&gt;",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;vascript:",
    "&amp;",
    "&nbsp;",
    "[link](javascript:alert(1))",
    "[link](JaVaScRiPt:alert(1))",
    "[link](java\tscript:alert(1))",
    "[link](&#106;avascript:alert(1))",
    "[link](data:text/html;base64,PHNjcmlwdD4=)",
    "[link](vbscript:msgbox)",
    "[link](https://ok.example/path?q=1#x)",
    "[link](/relative/path)",
    "[link](mailto:someone@example.com)",
    "[ref]\n\n[ref]: javascript:alert(1)\n",
    "![img](javascript:alert(1))",
    "![img](https://images.example.com/a.png)",
    "![img](https://evil.example/a.png \"t\")",
    "<javascript:alert(1)>",
    "<https://example.com>",
    "<mailto:a@example.com>",
    "https://bare.example/",
    "www.example.com",
    "@ana",
    "@luis_s.",
    "@nobody",
    "`code <b>`",
    "```js\n<script>x</script>\n```",
    "```\" onmouseover=\"x\n```",
    "```language-evil\" onclick=\"x\ncode\n```",
    "# Heading",
    "###### six",
    "> quote",
    "- item",
    "1. first",
    "7) seventh",
    "| a | b |\n|---|---|\n| <b>x</b> | y |",
    "~~gone~~",
    "**bold** _em_",
    "---",
    "\\",
    "\"'><",
    "\u{202e}reversed",
    "\u{200b}zero\u{200d}width",
    "e\u{301}",
    "☕ café ñ",
    "\u{0}",
    "\r\n",
    "\n\n",
    "    indented code",
];

fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(FRAGMENTS).prop_map(str::to_string),
        2 => "[ -~]{0,12}",
        1 => any::<String>().prop_map(|s| s.chars().take(8).collect()),
    ]
}

fn post() -> impl Strategy<Value = String> {
    (
        proptest::collection::vec(fragment(), 0..30),
        proptest::collection::vec(prop_oneof![Just(""), Just(" "), Just("\n")], 30),
    )
        .prop_map(|(parts, glue)| {
            parts
                .iter()
                .zip(glue.iter().cycle())
                .map(|(part, glue)| format!("{part}{glue}"))
                .collect()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn rendered_posts_hold_only_allowed_html(raw in post()) {
        let html = cooked(&raw);
        let problems = problems_in(&html);
        prop_assert!(problems.is_empty(), "{problems:?}\ninput: {raw:?}\noutput: {html}");
    }
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    // A checker that finds nothing proves nothing: each of these must be reported.
    for bad in [
        "<script>x</script>",
        "<img src=x onerror=alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"java&#9;script:alert(1)\">x</a>",
        "<a href=\" JAVASCRIPT:x\">x</a>",
        "<img src=\"data:image/png;base64,AA\">",
        "<p style=\"x\">",
        "<code class=\"evil\">",
        "<!-- x -->",
    ] {
        assert!(!problems_in(bad).is_empty(), "{bad}");
    }
    for good in [
        "<p>hi <a href=\"https://x.example\" rel=\"nofollow ugc noopener\">x</a></p>",
        "<a href=\"/u/ana\" class=\"mention\">@ana</a>",
        "<a href=\"mailto:a@example.com\">m</a>",
        "<pre><code class=\"language-rust\">x</code></pre>",
        "<ol start=\"3\"><li>x</li></ol>",
    ] {
        assert!(
            problems_in(good).is_empty(),
            "{good}: {:?}",
            problems_in(good)
        );
    }
}
