//! Markdown → safe HTML, once, at write time. pulldown-cmark parses; raw HTML in posts is shown
//! as text; images from hosts not on the allow-list become links; `@username` of existing
//! members becomes a profile link; headings move one level down (the page's `h1` is the title);
//! then an explicit ammonia allow-list sanitises the result, adding `rel="nofollow ugc noopener"`
//! to every link.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

/// The longest post accepted, in characters.
pub const MAX_LENGTH: usize = 32_000;

const CODE_LANGUAGES: &[&str] = &[
    "bash",
    "c",
    "cpp",
    "css",
    "go",
    "html",
    "java",
    "javascript",
    "js",
    "json",
    "python",
    "rust",
    "sh",
    "sql",
    "text",
    "toml",
    "ts",
    "typescript",
    "yaml",
];

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "blockquote",
            "br",
            "code",
            "del",
            "em",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "img",
            "li",
            "ol",
            "p",
            "pre",
            "strong",
            "table",
            "tbody",
            "td",
            "th",
            "thead",
            "tr",
            "ul",
        ]
        .into_iter()
        .collect();
        let mut attributes: HashMap<&str, HashSet<&str>> = HashMap::new();
        attributes.insert("a", ["href", "title"].into_iter().collect());
        attributes.insert(
            "img",
            ["src", "alt", "title", "width", "height"]
                .into_iter()
                .collect(),
        );
        attributes.insert("ol", ["start"].into_iter().collect());
        let mut classes: HashMap<&str, HashSet<&str>> = HashMap::new();
        classes.insert("a", ["mention"].into_iter().collect());
        classes.insert("img", ["emoji"].into_iter().collect());
        let languages: HashSet<&str> = CODE_LANGUAGES
            .iter()
            .map(|l| &*Box::leak(format!("language-{l}").into_boxed_str()))
            .collect();
        classes.insert("code", languages);
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(tags)
            .tag_attributes(attributes)
            .allowed_classes(classes)
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .url_relative(ammonia::UrlRelative::PassThrough)
            .link_rel(Some("nofollow ugc noopener"))
            .strip_comments(true);
        builder
    })
}

fn is_username_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.'
}

/// `@name` candidates in the text outside code, lower-cased, without duplicates.
pub fn mentions(raw: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut in_code = 0usize;
    for event in Parser::new_ext(raw, Options::empty()) {
        match event {
            Event::Start(Tag::CodeBlock(_)) => in_code += 1,
            Event::End(TagEnd::CodeBlock) => in_code = in_code.saturating_sub(1),
            Event::Text(text) if in_code == 0 => {
                for (_, name) in split_mentions(&text) {
                    let name = name.to_lowercase();
                    if seen.insert(name.clone()) {
                        found.push(name);
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Byte ranges of `@name` in a text: (start of '@', name).
fn split_mentions(text: &str) -> Vec<(usize, &str)> {
    let mut result = Vec::new();
    let bytes: Vec<(usize, char)> = text.char_indices().collect();
    for (i, (at, c)) in bytes.iter().enumerate() {
        if *c != '@' {
            continue;
        }
        let preceded_ok = i == 0 || !is_username_char(bytes[i - 1].1);
        if !preceded_ok {
            continue;
        }
        let start = at + 1;
        let end = text[start..]
            .char_indices()
            .find(|(_, c)| !is_username_char(*c))
            .map_or(text.len(), |(offset, _)| start + offset);
        let name = text[start..end].trim_end_matches(['.', '-']);
        if name.len() >= 3
            && name
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphanumeric())
        {
            result.push((*at, name));
        }
    }
    result
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn host_of(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    Some(host.to_ascii_lowercase())
}

/// Renders and sanitises. `known_users` are lower-cased usernames that exist; `image_hosts`
/// are hosts whose images are shown inline.
pub fn render(raw: &str, known_users: &HashSet<String>, image_hosts: &[String]) -> String {
    render_with(raw, known_users, image_hosts, true)
}

/// Renders for an author who may not link yet (trust level 0): links and images become their
/// text; mentions of members still link.
pub fn render_without_links(raw: &str, known_users: &HashSet<String>) -> String {
    render_with(raw, known_users, &[], false)
}

/// The opening words of a post as plain text (no markup), cut at a word after about
/// `max_chars` characters with "…": what a list or a summary quotes.
pub fn excerpt(raw: &str, max_chars: usize) -> String {
    let mut text = String::new();
    for event in Parser::new_ext(raw, Options::all()) {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for word in words {
        if !out.is_empty() && out.chars().count() + 1 + word.chars().count() > max_chars {
            out.push('…');
            return out;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    if out.chars().count() > max_chars {
        out = out.chars().take(max_chars).collect();
        out.push('…');
    }
    out
}

fn render_with(
    raw: &str,
    known_users: &HashSet<String>,
    image_hosts: &[String],
    links: bool,
) -> String {
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events = Vec::new();
    let mut in_code = 0usize;
    let mut image_as_link = Vec::new();
    for event in Parser::new_ext(raw, options) {
        if !links
            && matches!(
                event,
                Event::Start(Tag::Link { .. } | Tag::Image { .. })
                    | Event::End(TagEnd::Link | TagEnd::Image)
            )
        {
            continue;
        }
        match event {
            Event::Html(html) | Event::InlineHtml(html) => events.push(Event::Text(html)),
            Event::Start(Tag::CodeBlock(kind)) => {
                in_code += 1;
                events.push(Event::Start(Tag::CodeBlock(kind)));
            }
            Event::End(TagEnd::CodeBlock) => {
                in_code = in_code.saturating_sub(1);
                events.push(Event::End(TagEnd::CodeBlock));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: lower(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(lower(level))))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let allowed = host_of(&dest_url)
                    .is_some_and(|host| image_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host)));
                image_as_link.push(!allowed);
                if allowed {
                    events.push(Event::Start(Tag::Image {
                        link_type,
                        dest_url,
                        title,
                        id,
                    }));
                } else {
                    events.push(Event::Start(Tag::Link {
                        link_type: LinkType::Inline,
                        dest_url,
                        title,
                        id,
                    }));
                }
            }
            Event::End(TagEnd::Image) => {
                if image_as_link.pop().unwrap_or(false) {
                    events.push(Event::End(TagEnd::Link));
                } else {
                    events.push(Event::End(TagEnd::Image));
                }
            }
            Event::Text(text) if in_code == 0 => push_text(&mut events, text, known_users),
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(raw.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitizer().clean(&html).to_string()
}

fn lower(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// The `:shortcode:` emoji posts may use, each drawn by one of our own SVG files
/// (`web/static/emoji/<file>.svg`), with the names people already type elsewhere as aliases.
pub const EMOJI: &[(&str, &str)] = &[
    ("like", "like"),
    ("+1", "like"),
    ("thumbsup", "like"),
    ("love", "love"),
    ("heart", "love"),
    ("laugh", "laugh"),
    ("joy", "laugh"),
    ("laughing", "laugh"),
    ("thanks", "thanks"),
    ("pray", "thanks"),
    ("insightful", "insightful"),
    ("bulb", "insightful"),
    ("smile", "smile"),
    ("slightly_smiling_face", "smile"),
    ("sad", "sad"),
    ("frowning", "sad"),
    ("wink", "wink"),
    ("coffee", "coffee"),
    ("check", "check"),
    ("white_check_mark", "check"),
    ("star", "star"),
    ("warning", "warning"),
    ("question", "question"),
];

/// `:name:` shortcodes in a text (outside code): (byte range, file).
fn split_emoji(text: &str) -> Vec<(std::ops::Range<usize>, &'static str)> {
    let mut found = vec![];
    let mut from = 0;
    while let Some(open) = text[from..].find(':').map(|i| from + i) {
        let Some(close) = text[open + 1..].find(':').map(|i| open + 1 + i) else {
            break;
        };
        let name = &text[open + 1..close];
        match EMOJI.iter().find(|(code, _)| *code == name) {
            Some((_, file)) => {
                found.push((open..close + 1, *file));
                from = close + 1;
            }
            // The closing colon may open the next shortcode ("10:30 :coffee:").
            None => from = close,
        }
    }
    found
}

/// A text run: its `:shortcode:` emoji become our icons, the rest goes on to mentions.
fn push_text<'a>(events: &mut Vec<Event<'a>>, text: CowStr<'a>, known: &HashSet<String>) {
    let found = split_emoji(&text);
    if found.is_empty() {
        push_with_mentions(events, text, known);
        return;
    }
    let mut last = 0;
    for (range, file) in found {
        if range.start > last {
            push_with_mentions(
                events,
                CowStr::from(text[last..range.start].to_string()),
                known,
            );
        }
        let code = &text[range.clone()];
        let image = format!(
            "<img class=\"emoji\" src=\"/static/emoji/{file}.svg\" alt=\"{code}\" title=\"{code}\" width=\"20\" height=\"20\">",
            code = escape(code)
        );
        events.push(Event::InlineHtml(CowStr::from(image)));
        last = range.end;
    }
    if last < text.len() {
        push_with_mentions(events, CowStr::from(text[last..].to_string()), known);
    }
}

fn push_with_mentions<'a>(events: &mut Vec<Event<'a>>, text: CowStr<'a>, known: &HashSet<String>) {
    let found: Vec<(usize, &str)> = split_mentions(&text)
        .into_iter()
        .filter(|(_, name)| known.contains(&name.to_lowercase()))
        .collect();
    if found.is_empty() {
        events.push(Event::Text(text));
        return;
    }
    let mut last = 0;
    for (at, name) in found {
        if at > last {
            events.push(Event::Text(CowStr::from(text[last..at].to_string())));
        }
        let link = format!(
            "<a class=\"mention\" href=\"/u/{}\">@{}</a>",
            escape(&name.to_lowercase()),
            escape(name)
        );
        events.push(Event::InlineHtml(CowStr::from(link)));
        last = at + 1 + name.len();
    }
    if last < text.len() {
        events.push(Event::Text(CowStr::from(text[last..].to_string())));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_plain_text_cut_at_a_word() {
        assert_eq!(
            excerpt("**Descale** it with `citric acid`.\n\n- then rinse", 80),
            "Descale it with citric acid. then rinse"
        );
        assert_eq!(excerpt("one two three four", 9), "one two…");
        assert_eq!(excerpt(&"x".repeat(20), 5), "xxxxx…");
        assert_eq!(
            excerpt("Use it. <b>Then</b> rinse", 80),
            "Use it. Then rinse"
        );
    }

    fn cook(raw: &str) -> String {
        let known: HashSet<String> = ["ana".to_string(), "luis_s".to_string()]
            .into_iter()
            .collect();
        render(raw, &known, &["images.example.com".to_string()])
    }

    #[test]
    fn shortcodes_become_our_own_icons_outside_code() {
        assert_eq!(
            cook("Thanks :coffee: at 10:30 :+1: and :nope:"),
            "<p>Thanks <img class=\"emoji\" src=\"/static/emoji/coffee.svg\" alt=\":coffee:\" title=\":coffee:\" width=\"20\" height=\"20\"> at 10:30 <img class=\"emoji\" src=\"/static/emoji/like.svg\" alt=\":+1:\" title=\":+1:\" width=\"20\" height=\"20\"> and :nope:</p>\n"
        );
        assert_eq!(cook("`:coffee:`"), "<p><code>:coffee:</code></p>\n");
        // Every shortcode has its picture.
        for (code, file) in EMOJI {
            let path = format!(
                "{}/../web/static/emoji/{file}.svg",
                env!("CARGO_MANIFEST_DIR")
            );
            assert!(std::path::Path::new(&path).exists(), ":{code}: → {path}");
        }
    }

    #[test]
    fn basic_markdown_renders() {
        assert_eq!(
            cook("Hello **world**"),
            "<p>Hello <strong>world</strong></p>\n"
        );
        let code = cook("```rust\nfn main() {}\n```");
        assert!(
            code.contains("<pre><code class=\"language-rust\">fn main() {}"),
            "{code}"
        );
        assert_eq!(cook("# Title"), "<h2>Title</h2>\n");
        assert!(cook("| a | b |\n|---|---|\n| 1 | 2 |").contains("<td>1</td>"));
    }

    #[test]
    fn script_injection_is_neutralised() {
        for attack in [
            "<script>alert(1)</script>",
            "<img src=x onerror=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "[x](javascript:alert(1))",
            "[x](JaVaScRiPt:alert(1))",
            "![x](javascript:alert(1))",
            "<div style=\"background:url(javascript:alert(1))\">x</div>",
            "<svg><script>alert(1)</script></svg>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "<<script>script>alert(1)<</script>/script>",
            "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
            "<p onclick=\"alert(1)\">hi</p>",
            "<b style=\"color:red\">x</b>",
        ] {
            let html = cook(attack);
            // Text is escaped, so every real tag starts with '<'; look only inside tags.
            let tags: Vec<String> = html
                .split('<')
                .skip(1)
                .map(|rest| rest.split('>').next().unwrap_or("").to_lowercase())
                .collect();
            for tag in &tags {
                for banned in [
                    "script",
                    "iframe",
                    "svg",
                    "javascript:",
                    "onerror",
                    "onclick",
                    "style=",
                    "data:text",
                ] {
                    assert!(!tag.contains(banned), "{attack} → {html}");
                }
            }
        }
    }

    #[test]
    fn links_are_marked_and_images_restricted() {
        let link = cook("[shop](https://example.com/shop)");
        assert!(link.contains("rel=\"nofollow ugc noopener\""), "{link}");
        let allowed = cook("![grinder](https://images.example.com/m2.jpg)");
        assert!(
            allowed.contains("<img src=\"https://images.example.com/m2.jpg\" alt=\"grinder\""),
            "{allowed}"
        );
        let other = cook("![tracker](https://tracker.example.net/pixel.gif)");
        assert!(!other.contains("<img"), "{other}");
        assert!(
            other.contains("<a href=\"https://tracker.example.net/pixel.gif\""),
            "{other}"
        );
    }

    #[test]
    fn new_members_links_become_text() {
        let html = render_without_links(
            "[shop](https://example.com/shop) ![pic](https://img.example.com/a.png) <https://x.example>",
            &HashSet::new(),
        );
        assert!(!html.contains("<a") && !html.contains("<img"), "{html}");
        assert!(html.contains("shop") && html.contains("pic"), "{html}");
    }

    #[test]
    fn mentions_link_existing_members_only() {
        let html = cook("Thanks @ana and @Luis_S, cc @nobody. Mail me at x@ana.com. `@ana`");
        assert!(
            html.contains(
                "<a class=\"mention\" href=\"/u/ana\" rel=\"nofollow ugc noopener\">@ana</a>"
            ),
            "{html}"
        );
        assert!(html.contains("href=\"/u/luis_s\""), "{html}");
        assert!(!html.contains("/u/nobody"), "{html}");
        assert_eq!(
            html.matches("/u/ana").count(),
            1,
            "no mention inside an address or code: {html}"
        );
        assert_eq!(
            mentions("hi @Ana and @ana, `@luis`"),
            vec!["ana".to_string()]
        );
    }

    #[test]
    fn very_long_and_nested_input_is_handled() {
        let nested = "> ".repeat(500) + "deep";
        let html = cook(&nested);
        assert!(html.contains("deep"));
        let long = "word ".repeat(MAX_LENGTH / 5);
        assert!(cook(&long).len() > MAX_LENGTH / 2);
        let malformed = cook("<b><i>unclosed <table><tr><td>cell");
        assert!(!malformed.contains("<table"), "{malformed}");
    }

    #[test]
    fn rendered_post_snapshot() {
        let html = cook("## Descaling\n\nEvery **3 months**:\n\n1. Fill with solution\n2. Run `clean`\n\n> Ask @ana first");
        assert_eq!(
            html,
            "<h3>Descaling</h3>\n<p>Every <strong>3 months</strong>:</p>\n<ol>\n<li>Fill with solution</li>\n<li>Run <code>clean</code></li>\n</ol>\n<blockquote>\n<p>Ask <a class=\"mention\" href=\"/u/ana\" rel=\"nofollow ugc noopener\">@ana</a> first</p>\n</blockquote>\n"
        );
    }
}
