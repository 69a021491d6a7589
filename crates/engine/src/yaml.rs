//! YAML helpers: splitting a stream into documents and finding where a field path sits.
//!
//! `serde_yaml` gives values without positions, so positions come from a small outline reader
//! of block-style YAML (what `kubectl` prints and what people type), and of flow mappings on one
//! line. It never fails: when a path cannot be followed to the end, the deepest position found
//! is returned. It works in byte columns inside and returns character columns (see
//! [`crate::Diagnostic::col`]).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::diag::Seg;
use crate::source::clamp;

/// One document of a multi-document YAML stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document<'a> {
    /// 0-based index of the document's first line in the whole text.
    pub first_line: usize,
    pub text: &'a str,
}

/// Splits `text` at `---` lines (and stops a document at `...`).
pub fn split_documents(text: &str) -> Vec<Document<'_>> {
    let mut docs = Vec::new();
    let mut start_byte = 0;
    let mut start_line = 0;
    let mut in_doc = true;
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let is_start =
            trimmed == "---" || trimmed.starts_with("--- ") || trimmed.starts_with("---\t");
        let is_end = trimmed == "...";
        if is_start || is_end {
            if in_doc {
                docs.push(Document {
                    first_line: start_line,
                    text: &text[start_byte..offset],
                });
            }
            in_doc = is_start;
            start_byte = offset + line.len();
            start_line = i + 1;
        }
        offset += line.len();
    }
    if in_doc {
        docs.push(Document {
            first_line: start_line,
            text: &text[start_byte..],
        });
    }
    docs.retain(|d| !is_blank_document(d.text));
    docs
}

/// True when a document holds nothing but blank lines and comments.
pub fn is_blank_document(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    })
}

struct Line<'a> {
    indent: usize,
    /// The line without its trailing newline.
    raw: &'a str,
}

fn outline(text: &str) -> Vec<Option<Line<'_>>> {
    text.lines()
        .map(|raw| {
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let rest = raw[indent..].trim_end();
            if rest.is_empty() || rest.starts_with('#') {
                None
            } else {
                Some(Line { indent, raw })
            }
        })
        .collect()
}

/// A node's position: a 0-based line and the byte column where its content starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Pos {
    line: usize,
    col: usize,
}

/// Finds the 1-based (line, character column) of `path` inside a document's text.
///
/// For a key, the position of its value when the value is on the key's line (where an "Invalid
/// value" sits), else of the key; for an index, the position of the item's content.
pub fn locate(text: &str, path: &[Seg]) -> (u32, u32) {
    Locator::new(text).locate(path)
}

/// The entries of a mapping, by key: the key's position and its value's. Only the first entry
/// of a repeated key is kept.
type Keys = HashMap<String, (Pos, Option<Pos>)>;

/// Cached indexes, of the collections walked (by the position of their first entry) or of lines.
type Cache<K, T> = RefCell<HashMap<K, Rc<T>>>;

/// The byte offset of every non-ASCII character of a line, with how many bytes beyond one the
/// characters up to it take.
type Wide = [(usize, usize)];

/// A document's outline, read once, for many [`locate`] calls. The entries of every collection
/// it walks are indexed once, so that locating each of n siblings costs O(1) after the first,
/// not O(n).
pub struct Locator<'a> {
    lines: Vec<Option<Line<'a>>>,
    /// The first content line and its indentation.
    first: Option<Pos>,
    keys: Cache<(usize, usize), Keys>,
    items: Cache<(usize, usize), [Pos]>,
    /// For each line located on, to turn byte columns into characters.
    wide: Cache<usize, Wide>,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Self {
        let lines = outline(text);
        let first = lines.iter().enumerate().find_map(|(i, l)| {
            l.as_ref().map(|l| Pos {
                line: i,
                col: l.indent,
            })
        });
        Locator {
            lines,
            first,
            keys: RefCell::default(),
            items: RefCell::default(),
            wide: RefCell::default(),
        }
    }

    /// See [`locate`].
    pub fn locate(&self, path: &[Seg]) -> (u32, u32) {
        let Some(mut node) = self.first else {
            return (1, 1);
        };
        let mut found = node;
        for (i, seg) in path.iter().enumerate() {
            let next = match seg {
                Seg::Key(k) => self.find_key(node, k),
                Seg::Index(i) => self.find_item(node, *i),
            };
            match next {
                Some((at, value)) => {
                    found = at;
                    let last = i + 1 == path.len();
                    match value {
                        Some(v) if last && matches!(seg, Seg::Key(_)) && v.line == at.line => {
                            found = v
                        }
                        Some(v) => node = v,
                        None => break,
                    }
                }
                None => break,
            }
        }
        (clamp(found.line + 1), self.char_column(found))
    }

    /// The 1-based character column of a position, in O(log n) once its line is indexed.
    fn char_column(&self, pos: Pos) -> u32 {
        let raw = self.lines[pos.line].as_ref().map_or("", |l| l.raw);
        let wide = {
            let mut cache = self.wide.borrow_mut();
            let wide = cache.entry(pos.line).or_insert_with(|| {
                let mut extra = 0;
                raw.char_indices()
                    .filter(|(_, c)| !c.is_ascii())
                    .map(|(i, c)| {
                        extra += c.len_utf8() - 1;
                        (i, extra)
                    })
                    .collect()
            });
            Rc::clone(wide)
        };
        // The characters that start before the position.
        let before = wide.partition_point(|&(i, _)| i < pos.col);
        let extra = before.checked_sub(1).map_or(0, |k| wide[k].1);
        clamp(pos.col.min(raw.len()).saturating_sub(extra) + 1)
    }

    /// Finds `key` in the mapping at `node`; returns the key's position and its value's.
    fn find_key(&self, node: Pos, key: &str) -> Option<(Pos, Option<Pos>)> {
        let keys = {
            let mut cache = self.keys.borrow_mut();
            let keys = cache
                .entry((node.line, node.col))
                .or_insert_with(|| Rc::new(self.keys_of(node)));
            Rc::clone(keys)
        };
        keys.get(key).copied()
    }

    /// The entries of the mapping at `node`: a flow mapping on one line, or a block mapping.
    fn keys_of(&self, node: Pos) -> Keys {
        let lines = &self.lines;
        let mut keys = Keys::new();
        let here = text_at(lines, node);
        if here.starts_with('{') {
            let at = |col| Pos {
                line: node.line,
                col: node.col + col,
            };
            for (k, key, value) in flow_entries(here) {
                keys.entry(k).or_insert((at(key), Some(at(value))));
            }
            return keys;
        }
        for e in entries(lines, node, false) {
            if let Some((k, len)) = entry_key(text_at(lines, e)) {
                keys.entry(k)
                    .or_insert_with(|| (e, value_of(lines, e, len)));
            }
        }
        keys
    }

    /// Finds item `index` of the sequence at `node`; returns the item's content position twice.
    fn find_item(&self, node: Pos, index: usize) -> Option<(Pos, Option<Pos>)> {
        let lines = &self.lines;
        let here = text_at(lines, node);
        if here.starts_with('[') {
            return Some((node, None));
        }
        if !here.starts_with('-') {
            return None;
        }
        let items = {
            let mut cache = self.items.borrow_mut();
            let items = cache
                .entry((node.line, node.col))
                .or_insert_with(|| entries(lines, node, true).into());
            Rc::clone(items)
        };
        let e = *items.get(index)?;
        let t = text_at(lines, e);
        let after = &t[1..];
        let trimmed = after.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            let child = block_child(lines, e);
            return Some((child.unwrap_or(e), child));
        }
        let content = Pos {
            line: e.line,
            col: e.col + 1 + (after.len() - trimmed.len()),
        };
        Some((content, Some(content)))
    }
}

/// The text of `line` from byte column `col`.
fn text_at<'a>(lines: &[Option<Line<'a>>], pos: Pos) -> &'a str {
    match &lines[pos.line] {
        Some(l) if pos.col <= l.raw.len() => &l.raw[pos.col..],
        _ => "",
    }
}

/// Lines of the block collection starting at `node`: the entries at `node.col`.
fn entries(lines: &[Option<Line<'_>>], node: Pos, seq: bool) -> Vec<Pos> {
    let mut out = vec![node];
    for (i, l) in lines.iter().enumerate().skip(node.line + 1) {
        let Some(l) = l else { continue };
        if l.indent < node.col {
            break;
        }
        if l.indent == node.col {
            let is_item = l.raw[l.indent..].starts_with('-');
            match (seq, is_item) {
                (true, true) | (false, false) => out.push(Pos {
                    line: i,
                    col: l.indent,
                }),
                // The end of the sequence: the parent mapping's next key.
                (true, false) => break,
                // A sequence written at its key's indentation (kubectl's style).
                (false, true) => {}
            }
        }
    }
    out
}

/// The key of a block mapping entry (plain, `"double"` or `'single'` quoted) and the length in
/// bytes of the key with its colon.
fn entry_key(s: &str) -> Option<(String, usize)> {
    let (key, rest) = match s.as_bytes().first()? {
        &q @ (b'"' | b'\'') => {
            let end = closing_quote(s, 1, q)?;
            (unquote(&s[1..end], q), &s[end + 1..])
        }
        _ => {
            let colon = plain_key_end(s)?;
            (s[..colon].trim_end().to_string(), &s[colon..])
        }
    };
    let trimmed = rest.trim_start_matches(' ');
    trimmed
        .starts_with(':')
        .then(|| (key, s.len() - trimmed.len() + 1))
}

/// The byte position of the `:` ending a plain key: the first `:` followed by a space, a tab or
/// the end of the line.
fn plain_key_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    (0..b.len()).find(|&i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ' | b'\t')))
}

/// The text of a quoted scalar written as `raw` between quotes `q`: `''` in single quotes, and
/// YAML's escapes in double quotes (`\e`, `\x1b`, `\u00e9`, …).
fn unquote(raw: &str, q: u8) -> String {
    if q == b'\'' {
        return raw.replace("''", "'");
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| {
            let digits: String = chars.by_ref().take(n).collect();
            u32::from_str_radix(&digits, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}')
        };
        let unescaped = match chars.next() {
            Some('0') => '\0',
            Some('a') => '\u{7}',
            Some('b') => '\u{8}',
            Some('t') => '\t',
            Some('n') => '\n',
            Some('v') => '\u{b}',
            Some('f') => '\u{c}',
            Some('r') => '\r',
            Some('e') => '\u{1b}',
            Some('N') => '\u{85}',
            Some('_') => '\u{a0}',
            Some('L') => '\u{2028}',
            Some('P') => '\u{2029}',
            Some('x') => hex(&mut chars, 2),
            Some('u') => hex(&mut chars, 4),
            Some('U') => hex(&mut chars, 8),
            Some(other) => other,
            None => break,
        };
        out.push(unescaped);
    }
    out
}

/// The byte position of the quote closing a quoted scalar whose text starts at `from`.
fn closing_quote(s: &str, from: usize, q: u8) -> Option<usize> {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && b.get(i + 1) == Some(&b'\'') => i += 2,
            c if c == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The entries of the flow mapping that starts `text` (with `{`), on one line: each key's text
/// (unquoted) and the byte offsets of the key and of its value. Keys of nested collections are
/// not entries, and a key is matched whole (`hostname` is not `name`).
fn flow_entries(text: &str) -> Vec<(String, usize, usize)> {
    let b = text.as_bytes();
    let skip = |mut i: usize| {
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    };
    let mut out = Vec::new();
    let mut i = 1;
    loop {
        // At the start of an entry.
        let start = skip(i);
        let (name, after) = match b.get(start) {
            None | Some(b'}') => return out,
            Some(&q @ (b'"' | b'\'')) => {
                let Some(end) = closing_quote(text, start + 1, q) else {
                    return out;
                };
                (unquote(&text[start + 1..end], q), end + 1)
            }
            Some(_) => {
                let mut end = start;
                while end < b.len()
                    && !matches!(b[end], b',' | b'}' | b'{' | b'[' | b']')
                    && !(b[end] == b':'
                        && matches!(b.get(end + 1), None | Some(b' ' | b'\t' | b',' | b'}')))
                {
                    end += 1;
                }
                (text[start..end].trim_end().to_string(), end)
            }
        };
        let colon = skip(after);
        if b.get(colon) == Some(&b':') {
            out.push((name, start, skip(colon + 1)));
        }
        // Skip to the end of this entry: the next `,` at this level. A quote starts a quoted
        // scalar only where a token starts.
        let mut depth = 0usize;
        let mut token_start = true;
        i = colon;
        loop {
            let Some(&c) = b.get(i) else {
                return out;
            };
            match c {
                b'"' | b'\'' if token_start => match closing_quote(text, i + 1, c) {
                    Some(end) => i = end,
                    None => return out,
                },
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth == 0 => return out,
                b'}' | b']' => depth -= 1,
                b',' if depth == 0 => break,
                _ => {}
            }
            if c != b' ' && c != b'\t' {
                token_start = matches!(c, b':' | b',' | b'{' | b'[');
            }
            i += 1;
        }
        i += 1;
    }
}

/// The position of the value of an entry whose key (with its colon) is `len` bytes long.
fn value_of(lines: &[Option<Line<'_>>], entry: Pos, len: usize) -> Option<Pos> {
    let after = &text_at(lines, entry)[len..];
    let trimmed = after.trim_start();
    if !trimmed.is_empty()
        && !trimmed.starts_with('#')
        && !trimmed.starts_with('|')
        && !trimmed.starts_with('>')
        && !trimmed.starts_with('&')
    {
        return Some(Pos {
            line: entry.line,
            col: entry.col + len + (after.len() - trimmed.len()),
        });
    }
    block_child(lines, entry)
}

/// The first content line below `entry` that belongs to it.
fn block_child(lines: &[Option<Line<'_>>], entry: Pos) -> Option<Pos> {
    for (i, l) in lines.iter().enumerate().skip(entry.line + 1) {
        let Some(l) = l else { continue };
        let is_item = l.raw[l.indent..].starts_with('-');
        if l.indent > entry.col || (l.indent == entry.col && is_item) {
            return Some(Pos {
                line: i,
                col: l.indent,
            });
        }
        return None;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> Vec<Seg> {
        s.split('.')
            .flat_map(|p| {
                let mut out = Vec::new();
                let mut parts = p.split('[');
                let k = parts.next().unwrap();
                if !k.is_empty() {
                    out.push(Seg::Key(k.to_string()));
                }
                for idx in parts {
                    out.push(Seg::Index(idx.trim_end_matches(']').parse().unwrap()));
                }
                out
            })
            .collect()
    }

    const KUBECTL: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: a
    - ipBlock:
        cidr: 10.0.0.0/33
    ports:
    - port: 80
";

    #[test]
    fn locates_kubectl_style_paths() {
        // Keys with a value on their line point at the value; others at the key.
        let cases = [
            ("kind", (2, 7)),
            ("metadata.name", (4, 9)),
            ("spec.podSelector", (6, 16)),
            ("spec.ingress[0]", (8, 5)),
            ("spec.ingress[0].from[1]", (12, 7)),
            ("spec.ingress[0].from[1].ipBlock.cidr", (13, 15)),
            (
                "spec.ingress[0].from[0].podSelector.matchLabels.app",
                (11, 16),
            ),
            ("spec.ingress[0].ports[0].port", (15, 13)),
            // Missing fields fall back to the deepest position found.
            ("spec.egress", (5, 1)),
            ("spec.ingress[0].from[7]", (8, 5)),
        ];
        for (p, want) in cases {
            assert_eq!(locate(KUBECTL, &path(p)), want, "{p}");
        }
    }

    #[test]
    fn locates_indented_sequences_and_flow_maps() {
        let text = "spec:\n  egress:\n    -   to:\n          - {ipBlock: {cidr: 1.2.3.4/8}}\n";
        assert_eq!(locate(text, &path("spec.egress[0].to")), (3, 9));
        assert_eq!(locate(text, &path("spec.egress[0].to[0].ipBlock")), (4, 23));
        assert_eq!(
            locate(text, &path("spec.egress[0].to[0].ipBlock.cidr")),
            (4, 30)
        );
    }

    #[test]
    fn flow_mapping_keys_match_whole_keys_at_their_own_level() {
        let cases = [
            // `name` is not found inside `hostname`.
            (
                "metadata: {hostname: a, name: b}\n",
                "metadata.name",
                (1, 31),
            ),
            // Not found: the deepest position found, the `metadata` key.
            ("metadata: {hostname: a}\n", "metadata.name", (1, 1)),
            // Nor inside a nested mapping, a quoted value or a longer key.
            ("m: {a: {name: x}, name: y}\n", "m.name", (1, 25)),
            ("m: {a: 'name: x', names: 1, name: y}\n", "m.name", (1, 35)),
            ("m: {\"name\": y}\n", "m.name", (1, 13)),
        ];
        for (text, p, want) in cases {
            assert_eq!(locate(text, &path(p)), want, "{text}");
        }
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        // Two-byte `é` and four-byte `🙂` before the value on the same line count one column each.
        let text = "metadata: {labels: {a: é🙂}, name: x}\nspec:\n  é: {ñ: 1}\n";
        assert_eq!(locate(text, &path("metadata.name")), (1, 35));
        assert_eq!(locate(text, &path("spec.é.ñ")), (3, 10));
    }

    #[test]
    fn locating_many_siblings_reads_the_mapping_once() {
        let mut text = String::from("pods:\n");
        for i in 0..20_000 {
            text.push_str(&format!("  p{i}: app=x\n"));
        }
        let locator = Locator::new(&text);
        for i in (0..20_000).rev() {
            let want = (i as u32 + 2, 6 + i.to_string().len() as u32);
            assert_eq!(locator.locate(&path(&format!("pods.p{i}"))), want);
        }
        // The same on one line, in a flow mapping, with a character of two bytes after it.
        let mut text = String::from("pods: {");
        let mut values = Vec::new();
        for i in 0..20_000 {
            text.push_str(&format!("p{i}: "));
            values.push(text.len() as u32 + 1);
            text.push_str("x, ");
        }
        text.push_str("} # é\n");
        let locator = Locator::new(&text);
        for i in (0..20_000).rev() {
            assert_eq!(locator.locate(&path(&format!("pods.p{i}"))), (1, values[i]));
        }
    }

    #[test]
    fn splits_documents_with_line_offsets() {
        let text = "a: 1\n---\n# only a comment\n---\nb: 2\n...\n---\nc: 3\n";
        let docs = split_documents(text);
        let got: Vec<_> = docs.iter().map(|d| (d.first_line, d.text)).collect();
        assert_eq!(got, vec![(0, "a: 1\n"), (4, "b: 2\n"), (7, "c: 3\n")]);
    }
}
