//! A tiny Markdown renderer for the tutorial and exercise texts: `#` headings, paragraphs,
//! `-`/`1.` lists, fenced code blocks, and inline `code` and **bold** (via
//! [`crate::app::inline_markup`]). It builds Yew nodes: text is never parsed as HTML.

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

/// Inline `code` and **bold** as nodes.
pub fn inline(text: &str) -> Html {
    inline_markup(text)
        .into_iter()
        .map(|i| match i {
            Inline::Text(t) => html! { { t } },
            Inline::Code(c) => html! { <code>{ c }</code> },
            Inline::Bold(b) => html! { <strong>{ b }</strong> },
        })
        .collect()
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
    fn every_tutorial_text_parses_into_blocks() {
        for t in netpol_examples::tutorial() {
            let b = parse(t.markdown);
            assert!(matches!(b.first(), Some(Block::Heading(1, _))), "{}", t.id);
            assert!(b.len() > 2, "{}", t.id);
        }
    }
}
