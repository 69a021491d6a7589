//! A tiny Markdown renderer for the tutorial and exercise texts: `#` headings, paragraphs,
//! `-`/`1.` lists, fenced code blocks, and inline `code`, **bold**, *emphasis* and http(s)
//! links (via [`crate::app::inline_markup`]). It builds Yew nodes: text is never parsed as HTML.
//! [`unsupported`] finds what it would show literally; a test runs it over every lesson.

use yew::prelude::*;

use crate::app::{inline_markup, Inline};

/// A block of the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    /// Level 1–6 and the text.
    Heading(u8, String),
    Paragraph(String),
    /// Ordered?, items.
    List(bool, Vec<String>),
    /// Language (may be empty), code.
    Code(String, String),
}

fn list_item(line: &str) -> Option<(bool, &str)> {
    let t = line.trim_start();
    if let Some(r) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) {
        return Some((false, r));
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if digits > 0 {
        if let Some(r) = t[digits..].strip_prefix(". ") {
            return Some((true, r));
        }
    }
    None
}

/// Splits the text into blocks.
pub fn parse(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut list: Option<(bool, Vec<String>)> = None;
    let mut lines = text.lines();
    fn flush(out: &mut Vec<Block>, para: &mut Vec<&str>, list: &mut Option<(bool, Vec<String>)>) {
        if !para.is_empty() {
            out.push(Block::Paragraph(para.join("\n")));
            para.clear();
        }
        if let Some((ordered, items)) = list.take() {
            out.push(Block::List(ordered, items));
        }
    }
    while let Some(line) = lines.next() {
        let t = line.trim_start();
        if let Some(lang) = t.strip_prefix("```") {
            flush(&mut out, &mut para, &mut list);
            let mut code = Vec::new();
            for l in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                code.push(l);
            }
            out.push(Block::Code(lang.trim().to_string(), code.join("\n")));
            continue;
        }
        if t.is_empty() {
            flush(&mut out, &mut para, &mut list);
            continue;
        }
        let hashes = t.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
            flush(&mut out, &mut para, &mut list);
            out.push(Block::Heading(hashes as u8, t[hashes..].trim().to_string()));
            continue;
        }
        if let Some((ordered, item)) = list_item(line) {
            if !para.is_empty() {
                flush(&mut out, &mut para, &mut list);
            }
            match &mut list {
                Some((o, items)) if *o == ordered => items.push(item.to_string()),
                _ => {
                    flush(&mut out, &mut para, &mut list);
                    list = Some((ordered, vec![item.to_string()]));
                }
            }
            continue;
        }
        // A continuation line of a list item (indented), or paragraph text.
        if let Some((_, items)) = &mut list {
            if line.starts_with(' ') {
                if let Some(last) = items.last_mut() {
                    last.push(' ');
                    last.push_str(t);
                    continue;
                }
            }
            flush(&mut out, &mut para, &mut list);
        }
        para.push(line);
    }
    flush(&mut out, &mut para, &mut list);
    out
}

/// One inline piece as a node; links open in a new tab (the playground keeps its state).
pub fn inline_node(i: &Inline) -> Html {
    match i {
        Inline::Text(t) => html! { { t } },
        Inline::Code(c) => html! { <code>{ c }</code> },
        Inline::Bold(b) => html! { <strong>{ b }</strong> },
        Inline::Emphasis(e) => html! { <em>{ e }</em> },
        Inline::Link { text, href } => html! {
            <a href={href.clone()} target="_blank" rel="noopener noreferrer">{ text }</a>
        },
    }
}

/// Inline `code`, **bold**, *emphasis* and links as nodes.
pub fn inline(text: &str) -> Html {
    inline_markup(text).iter().map(inline_node).collect()
}

/// What `text` writes in Markdown that this renderer does not support (it would show
/// literally): one description per problem, empty when the whole text is supported.
pub fn unsupported(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for (n, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let at = |what: &str| format!("line {}: {what}: {line}", n + 1);
        let indent = line.len() - t.len();
        if t.starts_with('>') {
            out.push(at("a block quote"));
        } else if t.starts_with('|') {
            out.push(at("a table"));
        } else if matches!(t.trim_end(), "---" | "***" | "___") {
            out.push(at("a horizontal rule"));
        } else if t.starts_with('#') && !t.trim_start_matches('#').starts_with(' ') {
            out.push(at("a heading without a space after `#`"));
        } else if indent >= 2 && list_item(line).is_some() {
            out.push(at("a nested list"));
        }
    }
    for block in parse(text) {
        let inlines = match &block {
            Block::Heading(_, t) | Block::Paragraph(t) => vec![t.clone()],
            Block::List(_, items) => items.clone(),
            Block::Code(..) => Vec::new(),
        };
        for t in inlines {
            out.extend(unsupported_inline(&t));
        }
    }
    out
}

/// The Markdown left as text in one paragraph or item: `*`, `_emphasis_`, `[links]`, HTML,
/// strike-through, escapes.
pub fn unsupported_inline(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for i in inline_markup(text) {
        let Inline::Text(t) = i else {
            continue;
        };
        let word_underscore = t.split(|c: char| c.is_whitespace()).any(|w| {
            let w = w.trim_matches(|c: char| c.is_ascii_punctuation() && c != '_');
            w.len() > 2 && w.starts_with('_') && w.ends_with('_')
        });
        let html = t
            .match_indices('<')
            .any(|(k, _)| t[k + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'));
        let checks = [
            (t.contains('*'), "a `*` that is not emphasis or bold"),
            (t.contains('`'), "an unclosed `code` span"),
            (word_underscore, "`_emphasis_` (write `*emphasis*`)"),
            (
                t.contains("](") || t.contains("!["),
                "a link or image that is not an http(s) link",
            ),
            (html, "HTML"),
            (t.contains("~~"), "strike-through"),
            (t.contains('\\'), "a backslash escape"),
        ];
        out.extend(
            checks
                .into_iter()
                .filter(|(hit, _)| *hit)
                .map(|(_, what)| format!("{what}: {t}")),
        );
    }
    out
}

/// The text as Yew nodes. `skip_title` leaves out a first `#` heading (shown elsewhere).
pub fn render(text: &str, skip_title: bool) -> Html {
    let mut blocks = parse(text);
    if skip_title && matches!(blocks.first(), Some(Block::Heading(1, _))) {
        blocks.remove(0);
    }
    blocks
        .into_iter()
        .map(|b| match b {
            Block::Heading(level, t) => match level {
                1 | 2 => html! { <h3 class="md-h">{ inline(&t) }</h3> },
                _ => html! { <h4 class="md-h">{ inline(&t) }</h4> },
            },
            Block::Paragraph(t) => html! { <p>{ inline(&t) }</p> },
            Block::List(true, items) => {
                html! { <ol>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ol> }
            }
            Block::List(false, items) => {
                html! { <ul>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ul> }
            }
            Block::Code(_, code) => html! { <pre class="md-code"><code>{ code }</code></pre> },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks() {
        let md = "# Title\n\nSome **bold**\ntext.\n\n## Look at\n\n- one\n  continued\n- two\n\n1. a\n2. b\n\n```yaml\nkey: <b>\n```\nafter";
        assert_eq!(
            parse(md),
            vec![
                Block::Heading(1, "Title".into()),
                Block::Paragraph("Some **bold**\ntext.".into()),
                Block::Heading(2, "Look at".into()),
                Block::List(false, vec!["one continued".into(), "two".into()]),
                Block::List(true, vec!["a".into(), "b".into()]),
                Block::Code("yaml".into(), "key: <b>".into()),
                Block::Paragraph("after".into()),
            ]
        );
    }

    #[test]
    fn unsupported_markdown_is_found() {
        let cases = [
            (
                "*a* **b** `c` [d](https://e.f)\n\n- g\n  h\n\n```\n> **x\n```",
                0,
            ),
            ("> quote", 1),
            ("| a | b |", 1),
            ("#title", 1),
            ("- a\n  - nested", 1),
            ("a _word_ here", 1),
            ("a * b", 1),
            ("**unclosed", 1),
            ("[x](javascript:y)", 1),
            ("<b>bold</b>", 1),
            ("~~gone~~", 1),
        ];
        for (text, n) in cases {
            let found = unsupported(text);
            assert_eq!(found.len(), n, "{text:?}: {found:?}");
        }
    }

    /// Every text the playground renders as Markdown only uses what this renderer supports.
    #[test]
    fn every_lesson_and_example_text_uses_supported_markdown() {
        let mut texts: Vec<(String, String)> = Vec::new();
        for t in netpol_examples::tutorial() {
            texts.push((format!("tutorial {}", t.id), t.markdown.to_string()));
        }
        for f in netpol_examples::exercises() {
            let ex = netpol_engine::parse_exercise(f.yaml).expect(f.id);
            texts.push((format!("exercise {} story", f.id), ex.story.clone()));
            for (k, h) in ex.hints.iter().enumerate() {
                texts.push((format!("exercise {} hint {k}", f.id), h.clone()));
            }
        }
        for e in netpol_examples::all() {
            texts.push((format!("example {}", e.id), e.description.clone()));
        }
        let problems: Vec<String> = texts
            .iter()
            .flat_map(|(id, t)| {
                unsupported(t)
                    .into_iter()
                    .map(move |p| format!("{id}: {p}"))
            })
            .collect();
        assert!(problems.is_empty(), "{problems:#?}");
    }

    #[test]
    fn every_tutorial_text_parses_into_blocks() {
        for t in netpol_examples::tutorial() {
            let b = parse(t.markdown);
            assert!(matches!(b.first(), Some(Block::Heading(1, _))), "{}", t.id);
            assert!(b.len() > 2, "{}", t.id);
        }
    }
}
