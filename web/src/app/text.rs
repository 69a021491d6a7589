//! Text helpers: the YAML lines a position's node spans, positions in UTF-16 for the textarea,
//! and the inline markup of example descriptions.

use serde::{Deserialize, Serialize};

/// The lines of the YAML node at `line:col` (1-based): a document (col 1 on its first line), a
/// list item's content, or a key with everything nested under it.
pub fn block_lines(text: &str, line: u32, col: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let li = (line.max(1) - 1) as usize;
    if li >= lines.len() {
        return (line, line);
    }
    let indent = |s: &str| s.len() - s.trim_start_matches(' ').len();
    let c0 = (col.max(1) - 1) as usize;
    let first = lines[li];
    let before = first.get(..c0).unwrap_or("");
    let is_item =
        before.trim_end().ends_with('-') && before.trim().chars().all(|ch| ch == '-' || ch == ' ');
    let is_doc = c0 == 0 && indent(first) == 0;
    // Lines belong to the block while they are indented at least (item, document) or more (key)
    // than the node's column.
    let belongs = |s: &str| {
        let t = s.trim();
        if t.is_empty() || t.starts_with('#') {
            return true;
        }
        if t == "---" || t == "..." || s.starts_with("---") {
            return false;
        }
        if is_doc {
            return true;
        }
        // A key's block also holds a list written at the key's own indentation.
        is_item && indent(s) >= c0
            || indent(s) > c0
            || indent(s) == c0 && !is_item && t.starts_with('-')
    };
    let mut end = li;
    for (k, l) in lines.iter().enumerate().skip(li + 1) {
        if !belongs(l) {
            break;
        }
        end = k;
    }
    // Trailing blank lines and comments are not part of the node.
    while end > li && {
        let t = lines[end].trim();
        t.is_empty() || t.starts_with('#')
    } {
        end -= 1;
    }
    (line, end as u32 + 1)
}

/// The lines of the YAML document (between `---` markers) holding `line`, without the
/// surrounding blank lines and comments.
pub fn document_lines(text: &str, line: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let li = (line.max(1) - 1) as usize;
    if li >= lines.len() {
        return (line, line);
    }
    let is_sep = |s: &str| s.starts_with("---") || s.trim_end() == "...";
    let mut start = li;
    while start > 0 && !is_sep(lines[start - 1]) {
        start -= 1;
    }
    let mut end = li;
    while end + 1 < lines.len() && !is_sep(lines[end + 1]) {
        end += 1;
    }
    let skip = |s: &str| s.trim().is_empty() || s.trim_start().starts_with('#');
    while start < li && skip(lines[start]) {
        start += 1;
    }
    while end > li && skip(lines[end]) {
        end -= 1;
    }
    (start as u32 + 1, end as u32 + 1)
}

/// The position (in UTF-16 code units, what `setSelectionRange` takes) of `line:col` (1-based,
/// columns in characters).
pub fn utf16_offset(text: &str, line: u32, col: u32) -> u32 {
    let mut off = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            for (c, ch) in (1..).zip(l.chars()) {
                if c >= col {
                    break;
                }
                off += ch.len_utf16() as u32;
            }
            return off;
        }
        off += l.encode_utf16().count() as u32 + 1;
    }
    text.encode_utf16().count() as u32
}

/// A piece of the Markdown-ish texts (example descriptions, tutorial and exercise texts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Inline {
    Text(String),
    Code(String),
    Bold(String),
    /// `*emphasis*`.
    Emphasis(String),
    /// `[text](https://…)`: only `http(s)` addresses become links.
    Link {
        text: String,
        href: String,
    },
}

/// The end of a `*emphasis*` that starts at `r` (after the `*`): the text must neither start nor
/// end with a space, nor hold a `*` or a paragraph break.
fn emphasis_end(r: &str) -> Option<usize> {
    if r.starts_with(|c: char| c.is_whitespace() || c == '*') {
        return None;
    }
    let end = r.find('*')?;
    let inner = &r[..end];
    (!inner.is_empty() && !inner.ends_with(char::is_whitespace) && !inner.contains("\n\n"))
        .then_some(end)
}

/// A `[text](href)` at the start of `r` (after the `[`): (text, href, bytes used after `[`).
fn link(r: &str) -> Option<(&str, &str, usize)> {
    let close = r.find(']')?;
    let text = &r[..close];
    let after = r[close + 1..].strip_prefix('(')?;
    let end = after.find(')')?;
    let href = &after[..end];
    let web = href.starts_with("https://") || href.starts_with("http://");
    (web && !text.is_empty() && !href.contains(char::is_whitespace)).then_some((
        text,
        href,
        close + 2 + end + 1,
    ))
}

/// `code`, **bold**, *emphasis* and `[links](https://…)` in a paragraph; everything else is
/// text.
pub fn inline_markup(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    let push = |out: &mut Vec<Inline>, text: &mut String, item: Inline| {
        if !text.is_empty() {
            out.push(Inline::Text(std::mem::take(text)));
        }
        out.push(item);
    };
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**") {
            if let Some(end) = r.find("**") {
                push(&mut out, &mut text, Inline::Bold(r[..end].to_string()));
                rest = &r[end + 2..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('*') {
            if let Some(end) = emphasis_end(r) {
                push(&mut out, &mut text, Inline::Emphasis(r[..end].to_string()));
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('`') {
            if let Some(end) = r.find('`') {
                push(&mut out, &mut text, Inline::Code(r[..end].to_string()));
                rest = &r[end + 1..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('[') {
            if let Some((t, href, used)) = link(r) {
                let item = Inline::Link {
                    text: t.to_string(),
                    href: href.to_string(),
                };
                push(&mut out, &mut text, item);
                rest = &r[used..];
                continue;
            }
        }
        let ch = rest.chars().next().unwrap_or(' ');
        // Line breaks inside a paragraph are spaces; blank lines are kept as one newline.
        if ch == '\n' {
            if rest.starts_with("\n\n") {
                text.push('\n');
                rest = rest.trim_start_matches('\n');
                continue;
            }
            text.push(' ');
        } else {
            text.push(ch);
        }
        rest = &rest[ch.len_utf8()..];
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_lines_cover_items_keys_and_documents() {
        let t = "kind: A\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: 80\n      protocol: TCP\n  - {}\n---\nkind: B\n";
        assert_eq!(block_lines(t, 1, 1), (1, 9), "document");
        assert_eq!(block_lines(t, 4, 5), (4, 8), "rule item");
        assert_eq!(block_lines(t, 7, 7), (7, 8), "port item");
        assert_eq!(block_lines(t, 5, 7), (5, 5), "peer item");
        assert_eq!(block_lines(t, 3, 3), (3, 9), "key with nested list");
        assert_eq!(block_lines(t, 11, 1), (11, 11));
        assert_eq!(block_lines(t, 99, 1), (99, 99));
    }

    #[test]
    fn document_lines_stop_at_separators() {
        let t = "# c\na: 1\nb:\n  c: 2\n\n---\nd: 3\n---\n";
        assert_eq!(document_lines(t, 3), (2, 4));
        assert_eq!(document_lines(t, 7), (7, 7));
    }

    #[test]
    fn utf16_offsets() {
        let t = "ab\ncé😀x\n";
        assert_eq!(utf16_offset(t, 1, 1), 0);
        assert_eq!(utf16_offset(t, 2, 1), 3);
        assert_eq!(utf16_offset(t, 2, 3), 5);
        assert_eq!(utf16_offset(t, 2, 4), 7);
        assert_eq!(utf16_offset(t, 9, 1), 9);
    }

    #[test]
    fn markup() {
        assert_eq!(
            inline_markup("a `b` **c**\nd"),
            vec![
                Inline::Text("a ".into()),
                Inline::Code("b".into()),
                Inline::Text(" ".into()),
                Inline::Bold("c".into()),
                Inline::Text(" d".into())
            ]
        );
        assert_eq!(inline_markup("x ` y"), vec![Inline::Text("x ` y".into())]);
        assert_eq!(
            inline_markup("*any* policy, **not** *this*. 2 * 3 * 4"),
            vec![
                Inline::Emphasis("any".into()),
                Inline::Text(" policy, ".into()),
                Inline::Bold("not".into()),
                Inline::Text(" ".into()),
                Inline::Emphasis("this".into()),
                Inline::Text(". 2 * 3 * 4".into()),
            ]
        );
        assert_eq!(
            inline_markup("see [the API](https://kubernetes.io/x) or [this](javascript:x)"),
            vec![
                Inline::Text("see ".into()),
                Inline::Link {
                    text: "the API".into(),
                    href: "https://kubernetes.io/x".into()
                },
                Inline::Text(" or [this](javascript:x)".into()),
            ]
        );
    }
}
