//! Bounds on what a YAML document may cost, checked before the YAML parser sees it.
//!
//! Two shapes make libyaml and `serde_yaml` take time or memory far beyond the input's size:
//! aliases (`*a`), which copy their anchored node every time they are used (`serde_yaml`
//! builds a tree, and an alias of a list of aliases multiplies), and deep nesting (libyaml
//! looks at every open flow level for each token, so `{a: ` nested 100k deep takes minutes
//! before its own depth limit applies). One linear pass over the text measures both, and finds
//! the characters YAML does not allow, so that such a document gets a positioned error instead.
//!
//! The pass reads YAML's structure only as far as it needs to: block indentation, `- ` and
//! `key: ` indicators, flow brackets, quotes, comments, block scalars, anchors and aliases. Where
//! it cannot tell, it over-estimates: a node's size is the text from its anchor to the end of
//! the block (or flow item) that holds it.

use std::collections::HashMap;

use crate::diag::shown;

/// The deepest nesting of collections (block levels plus flow brackets) a document may have.
/// Kubernetes objects need about 12 (a List of Pods with container ports).
pub(crate) const MAX_DEPTH: usize = 100;

/// Aliases may expand a document to at most this many times its size...
pub(crate) const EXPANSION_FACTOR: usize = 2;
/// ... or to this many bytes, whichever is larger.
pub(crate) const MIN_EXPANSION_LIMIT: usize = 1 << 20;

/// Why a document is not read, and where (a byte offset into the document).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Violation {
    pub offset: usize,
    pub code: &'static str,
    pub message: String,
}

/// Checks one document (LF line breaks) against the bounds above and YAML's character set.
pub(crate) fn check(text: &str) -> Result<(), Violation> {
    if let Some((offset, c)) = text.char_indices().find(|&(_, c)| !yaml_allows(c)) {
        return Err(Violation {
            offset,
            code: "invalid-character",
            message: format!(
                "the character U+{:04X} is not allowed in YAML (control characters other than tab and line breaks are not); this document is not read",
                c as u32
            ),
        });
    }
    let mut scan = Scanner::default();
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let body = line.strip_suffix('\n').unwrap_or(line);
        scan.line(start, body.as_bytes())?;
        start += line.len();
    }
    scan.close_all(text.len());
    expansion(text, &scan.anchors, &scan.aliases)
}

/// YAML's `c-printable` set (line breaks are LF here), without a byte order mark inside a
/// document, as libyaml reads it.
fn yaml_allows(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | ' '..='~' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fefe}'
        | '\u{ff00}'..='\u{fffd}' | '\u{10000}'..)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Level {
    Map,
    Seq,
}

/// An anchored node: its name and the byte range its text may cover (`end` is `usize::MAX`
/// while it is open).
struct Anchor<'a> {
    name: &'a str,
    start: usize,
    end: usize,
}

/// An anchor in block context stays open while lines are indented deeper than its owner (the
/// key or `-` holding the node), and on `- ` lines at the owner's column when the owner is a
/// key (a sequence written at its key's indentation).
struct OpenBlock {
    anchor: usize,
    owner: isize,
    key_owner: bool,
}

#[derive(Default)]
struct Scanner<'a> {
    /// Open block collections: (column, kind).
    blocks: Vec<(usize, Level)>,
    /// Open flow brackets.
    flow: usize,
    /// In flow context: a node may start here (after `[`, `{`, `,`, `:` or properties).
    flow_expect: bool,
    /// In flow context: inside a plain scalar (which may continue on the next line).
    flow_plain: bool,
    /// Inside a quoted scalar that continues on the next line: its quote character.
    quote: Option<u8>,
    /// Inside a block scalar (`|`, `>`): lines indented deeper than this column are content.
    block_scalar: Option<isize>,
    anchors: Vec<Anchor<'a>>,
    open_block: Vec<OpenBlock>,
    /// Anchors inside flow collections, with the flow depth they were opened at.
    open_flow: Vec<(usize, usize)>,
    /// Aliases: byte offset of the `*` and the name.
    aliases: Vec<(usize, &'a str)>,
}

fn depth_error(offset: usize) -> Violation {
    Violation {
        offset,
        code: "yaml-limit",
        message: format!(
            "this document nests collections more than {MAX_DEPTH} levels deep (the limit); it is not read"
        ),
    }
}

fn is_space(b: Option<&u8>) -> bool {
    matches!(b, None | Some(b' ' | b'\t'))
}

fn skip_spaces(line: &[u8], mut i: usize) -> usize {
    while matches!(line.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The end of an anchor or alias name starting at `i` (libyaml: `[0-9A-Za-z_-]`).
fn name_end(line: &[u8], mut i: usize) -> usize {
    while line
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-'))
    {
        i += 1;
    }
    i
}

/// The position after an indicator (`-`, `?`) at `i` when it is one: followed by a space or
/// the end of the line.
fn indicator(line: &[u8], i: usize, c: u8) -> Option<usize> {
    (line.get(i) == Some(&c) && is_space(line.get(i + 1))).then(|| skip_spaces(line, i + 1))
}

impl<'a> Scanner<'a> {
    fn line(&mut self, start: usize, line: &'a [u8]) -> Result<(), Violation> {
        let mut i = 0;
        if let Some(q) = self.quote {
            i = self.quoted(line, 0, q);
            if self.quote.is_some() {
                return Ok(());
            }
            self.flow_expect = false;
        }
        if self.flow > 0 {
            return self.flow_items(start, line, i);
        }
        if i > 0 {
            // The rest of a line that ends a multi-line quoted scalar.
            return Ok(());
        }
        let indent = skip_spaces(line, 0);
        let rest = &line[indent..];
        if let Some(owner) = self.block_scalar {
            if rest.is_empty() || indent as isize > owner {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if rest.is_empty() || rest[0] == b'#' {
            return Ok(());
        }
        let dash_line = indicator(line, indent, b'-').is_some();
        while let Some(open) = self.open_block.last() {
            let stays = indent as isize > open.owner
                || (indent as isize == open.owner && open.key_owner && dash_line);
            if stays {
                break;
            }
            self.anchors[open.anchor].end = start;
            self.open_block.pop();
        }
        while self.blocks.last().is_some_and(|&(c, _)| c > indent) {
            self.blocks.pop();
        }
        let mut col = indent;
        let mut owner = indent as isize - 1;
        loop {
            if let Some(next) = indicator(line, col, b'-') {
                self.push_level(col, Level::Seq, start)?;
                owner = col as isize;
                col = next;
            } else if let Some(next) = indicator(line, col, b'?') {
                self.push_level(col, Level::Map, start)?;
                owner = col as isize;
                col = next;
            } else {
                break;
            }
        }
        self.node(start, line, col, owner, false, true)
    }

    fn push_level(&mut self, col: usize, kind: Level, start: usize) -> Result<(), Violation> {
        match self.blocks.last() {
            Some(&(c, k)) if c == col && k == kind => return Ok(()),
            Some(&(c, Level::Seq)) if c == col => {
                // A key at the column of a sequence written at its key's indentation: the
                // sequence has ended.
                self.blocks.pop();
                if self.blocks.last() == Some(&(col, kind)) {
                    return Ok(());
                }
            }
            _ => {}
        }
        self.blocks.push((col, kind));
        if self.blocks.len() + self.flow > MAX_DEPTH {
            return Err(depth_error(start + col));
        }
        Ok(())
    }

    /// A node at `col`: properties, then a flow collection, a quoted or block scalar, an
    /// alias, or a plain scalar — and when `allow_key`, a `key: value` entry.
    fn node(
        &mut self,
        start: usize,
        line: &'a [u8],
        mut col: usize,
        owner: isize,
        key_owner: bool,
        allow_key: bool,
    ) -> Result<(), Violation> {
        let first_anchor = self.open_block.len();
        loop {
            match line.get(col) {
                Some(b'&') => {
                    let end = name_end(line, col + 1);
                    self.anchors.push(Anchor {
                        name: name_str(line, col + 1, end),
                        start: start + col,
                        end: usize::MAX,
                    });
                    self.open_block.push(OpenBlock {
                        anchor: self.anchors.len() - 1,
                        owner,
                        key_owner,
                    });
                    col = skip_spaces(line, end);
                }
                Some(b'!') => {
                    while !is_space(line.get(col)) {
                        col += 1;
                    }
                    col = skip_spaces(line, col);
                }
                _ => break,
            }
        }
        let key_at = col;
        let after = match line.get(col) {
            None | Some(b'#') => return Ok(()),
            Some(b'*') => {
                let end = name_end(line, col + 1);
                self.aliases
                    .push((start + col, name_str(line, col + 1, end)));
                end
            }
            Some(b'{' | b'[') => {
                self.flow_plain = false;
                return self.flow_items(start, line, col);
            }
            Some(b'|' | b'>') => {
                self.block_scalar = Some(owner);
                return Ok(());
            }
            Some(&q @ (b'"' | b'\'')) => {
                let end = self.quoted(line, col + 1, q);
                if self.quote.is_some() {
                    return Ok(());
                }
                end
            }
            Some(_) => col,
        };
        if !allow_key {
            return Ok(());
        }
        let Some(colon) = key_colon(line, after) else {
            return Ok(());
        };
        // Properties before a key belong to the key (or its mapping): they end with the entry.
        for open in &mut self.open_block[first_anchor..] {
            open.owner = key_at as isize;
            open.key_owner = true;
        }
        self.push_level(key_at, Level::Map, start)?;
        let value = skip_spaces(line, colon + 1);
        self.node(start, line, value, key_at as isize, true, false)
    }

    /// Scans flow content from `i` to the end of the line or of the outermost collection.
    fn flow_items(&mut self, start: usize, line: &'a [u8], mut i: usize) -> Result<(), Violation> {
        while i < line.len() {
            let b = line[i];
            let next = line.get(i + 1);
            let comment = b == b'#' && (i == 0 || matches!(line[i - 1], b' ' | b'\t'));
            if self.flow_plain {
                // Inside a plain scalar only these end it (libyaml's scan_plain_scalar).
                let ends = matches!(b, b',' | b'[' | b']' | b'{' | b'}')
                    || (b == b':'
                        && (is_space(next)
                            || matches!(next, Some(b',' | b'?' | b'[' | b']' | b'{' | b'}'))))
                    || comment;
                if !ends {
                    i += 1;
                    continue;
                }
                self.flow_plain = false;
            }
            match b {
                b' ' | b'\t' => i += 1,
                _ if comment => return Ok(()),
                q @ (b'"' | b'\'') => {
                    i = self.quoted(line, i + 1, q);
                    self.flow_expect = false;
                    if self.quote.is_some() {
                        return Ok(());
                    }
                }
                b'{' | b'[' => {
                    self.flow += 1;
                    if self.blocks.len() + self.flow > MAX_DEPTH {
                        return Err(depth_error(start + i));
                    }
                    i += 1;
                    self.flow_expect = true;
                }
                b'}' | b']' => {
                    self.close_flow_anchors(start + i);
                    self.flow = self.flow.saturating_sub(1);
                    i += 1;
                    self.flow_expect = false;
                    if self.flow == 0 {
                        return Ok(());
                    }
                }
                b',' => {
                    self.close_flow_anchors(start + i);
                    i += 1;
                    self.flow_expect = true;
                }
                // Outside a plain scalar, `:` is the value indicator (`"key":value` too).
                b':' => {
                    i += 1;
                    self.flow_expect = true;
                }
                b'?' if is_space(next) => i += 1,
                b'&' if self.flow_expect => {
                    let end = name_end(line, i + 1);
                    self.anchors.push(Anchor {
                        name: name_str(line, i + 1, end),
                        start: start + i,
                        end: usize::MAX,
                    });
                    self.open_flow.push((self.anchors.len() - 1, self.flow));
                    i = end;
                }
                b'*' if self.flow_expect => {
                    let end = name_end(line, i + 1);
                    self.aliases.push((start + i, name_str(line, i + 1, end)));
                    i = end;
                    self.flow_expect = false;
                }
                b'!' if self.flow_expect => {
                    while i < line.len()
                        && !matches!(line[i], b' ' | b'\t' | b',' | b'[' | b']' | b'{' | b'}')
                    {
                        i += 1;
                    }
                }
                _ => {
                    i += 1;
                    self.flow_plain = true;
                    self.flow_expect = false;
                }
            }
        }
        Ok(())
    }

    /// Ends the flow anchors opened at the current depth (at a `,` or a closing bracket).
    fn close_flow_anchors(&mut self, at: usize) {
        while let Some(&(anchor, depth)) = self.open_flow.last() {
            if depth < self.flow {
                break;
            }
            self.anchors[anchor].end = at;
            self.open_flow.pop();
        }
    }

    fn close_flow_all(&mut self, at: usize) {
        for (anchor, _) in self.open_flow.drain(..) {
            self.anchors[anchor].end = at;
        }
    }

    /// Scans a quoted scalar from `i` (after the opening quote); returns the position after
    /// the closing quote, or the end of the line with `self.quote` set when it continues.
    fn quoted(&mut self, line: &[u8], mut i: usize, q: u8) -> usize {
        while i < line.len() {
            match line[i] {
                b'\\' if q == b'"' => i += 2,
                b'\'' if q == b'\'' && line.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == q => {
                    self.quote = None;
                    return i + 1;
                }
                _ => i += 1,
            }
        }
        self.quote = Some(q);
        line.len()
    }

    fn close_all(&mut self, end: usize) {
        for open in self.open_block.drain(..) {
            self.anchors[open.anchor].end = end;
        }
        self.close_flow_all(end);
    }
}

fn name_str(line: &[u8], from: usize, to: usize) -> &str {
    std::str::from_utf8(&line[from..to]).unwrap_or_default()
}

/// The position of the `:` that makes the plain or quoted scalar ending at or after `after`
/// a mapping key: the first `:` followed by a space or the end of the line, before a comment.
fn key_colon(line: &[u8], after: usize) -> Option<usize> {
    let mut i = after;
    while i < line.len() {
        match line[i] {
            b':' if is_space(line.get(i + 1)) => return Some(i),
            b'#' if i > 0 && matches!(line[i - 1], b' ' | b'\t') => return None,
            _ => i += 1,
        }
    }
    None
}

/// Sums what every alias adds to the document when expanded (its anchored node's size, itself
/// expanded) and stops at the first alias that takes the total past the limit.
fn expansion(
    text: &str,
    anchors: &[Anchor<'_>],
    aliases: &[(usize, &str)],
) -> Result<(), Violation> {
    let len = text.len();
    let limit = (len.saturating_mul(EXPANSION_FACTOR)).max(MIN_EXPANSION_LIMIT) as u64;
    let mut by_end: Vec<usize> = (0..anchors.len()).collect();
    by_end.sort_by_key(|&a| anchors[a].end);
    let mut expanded = vec![0u64; anchors.len()];
    let mut added_at_start = vec![0u64; anchors.len()];
    // The anchor each name refers to now, and the largest expansion of an ended anchor of
    // that name (an over-estimate when the pass saw an anchor that is not one).
    let mut latest: HashMap<&str, usize> = HashMap::new();
    let mut largest: HashMap<&str, u64> = HashMap::new();
    // What the aliases seen so far add, in bytes.
    let mut added = 0u64;
    let (mut next_start, mut next_end) = (0, 0);
    for &(at, name) in aliases {
        loop {
            let end = by_end.get(next_end).map(|&a| anchors[a].end);
            let begin = anchors.get(next_start).map(|a| a.start);
            match (begin, end) {
                (_, Some(e)) if e <= at && begin.is_none_or(|b| e <= b) => {
                    let a = by_end[next_end];
                    let own = (anchors[a].end - anchors[a].start) as u64;
                    expanded[a] = own.saturating_add(added - added_at_start[a]);
                    let most = largest.entry(anchors[a].name).or_default();
                    *most = (*most).max(expanded[a]);
                    next_end += 1;
                }
                (Some(b), _) if b < at => {
                    added_at_start[next_start] = added;
                    latest.insert(anchors[next_start].name, next_start);
                    next_start += 1;
                }
                _ => break,
            }
        }
        let alias = || format!("*{}", shown(name));
        let size = match latest.get(name) {
            Some(&target) if anchors[target].end > at => {
                return Err(Violation {
                    offset: at,
                    code: "yaml-limit",
                    message: format!(
                        "alias {} is used inside the node it names (a recursive alias); this document is not read",
                        alias()
                    ),
                });
            }
            Some(_) => largest.get(name).copied().unwrap_or_default(),
            // No anchor seen: libyaml reports an undefined alias, unless this pass missed the
            // anchor; then the node is at most everything before the alias, expanded.
            None => (at as u64).saturating_add(added),
        };
        added = added.saturating_add(size.saturating_sub(name.len() as u64 + 1));
        if (len as u64).saturating_add(added) > limit {
            return Err(Violation {
                offset: at,
                code: "yaml-limit",
                message: format!(
                    "alias {} expands this document beyond {limit} bytes (the limit: {EXPANSION_FACTOR} times its size, at least {MIN_EXPANSION_LIMIT} bytes); it is not read",
                    alias()
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> Option<(usize, String)> {
        check(text).err().map(|v| (v.offset, v.message))
    }

    #[test]
    fn ordinary_documents_pass() {
        for text in [
            "a: 1\n",
            "apiVersion: v1\nkind: List\nitems:\n- kind: Pod\n  metadata:\n    labels: {app: web}\n",
            "a: &x {b: [1, 2]}\nc: *x\nd: *x\n",
            "- &x\n  k: v\n- *x\n",
            "base: &b\n- 1\n- 2\nnext: *b\n",
            "&k key: 1\nother: *k\n",
            "s: |\n  {{{{{{{{ not [ flow\n  &a *a\nt: 'it''s # not a comment'\n",
            "u: \"multi\n  line \\\" [ \"\nv: *nothing\n",
            "{\"json\": [1, {\"a\": &y [2]}, *y]}\n",
            "url: http://x:80/a&b*c\n",
        ] {
            assert_eq!(err(text), None, "{text}");
        }
    }

    #[test]
    fn flow_nesting_beyond_the_limit_is_positioned_at_the_first_bracket_too_deep() {
        let text = "{a: ".repeat(MAX_DEPTH + 5);
        assert_eq!(err(&text).map(|e| e.0), Some(4 * MAX_DEPTH));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(err(&ok), None);
    }

    #[test]
    fn block_nesting_counts_indentation_and_dashes() {
        let mut text = String::new();
        for i in 0..=MAX_DEPTH {
            text.push_str(&format!("{}k{i}:\n", " ".repeat(i)));
        }
        let last = text.rfind('k').unwrap();
        assert_eq!(err(&text).map(|e| e.0), Some(last));
        let dashes = "- ".repeat(MAX_DEPTH + 1);
        assert_eq!(err(&dashes).map(|e| e.0), Some(2 * MAX_DEPTH));
        // A sequence at its key's indentation is one level deeper than the key.
        let kubectl = "a:\n- b:\n  - c:\n    - d\n";
        let mut s = Scanner::default();
        let mut start = 0;
        for l in kubectl.lines() {
            s.line(start, l.as_bytes()).unwrap();
            start += l.len() + 1;
        }
        assert_eq!(s.blocks.len(), 6);
    }

    #[test]
    fn aliases_expanding_beyond_the_limit_are_stopped() {
        // Each alias adds about 10 KiB: the limit is passed at the alias that adds the 1 MiB.
        let list = format!("[{}]", vec!["abcdefghi"; 1024].join(","));
        let mut text = format!("a: &a {list}\nb:\n");
        for _ in 0..200 {
            text.push_str("- *a\n");
        }
        let (at, msg) = err(&text).unwrap();
        let per = list.len() + 7 - 2;
        let n = (MIN_EXPANSION_LIMIT - text.len()) / per + 1;
        assert_eq!(text[..at].matches("*a").count() + 1, n);
        assert_eq!(
            msg,
            "alias *a expands this document beyond 1048576 bytes (the limit: 2 times its size, at least 1048576 bytes); it is not read"
        );
    }

    #[test]
    fn nested_aliases_multiply() {
        // A billion laughs: each level is ten aliases of the one before.
        let mut text = String::from("l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for i in 1..10 {
            let prev = format!("*l{}", i - 1);
            text.push_str(&format!(
                "l{i}: &l{i} [{}]\n",
                [prev.as_str(); 10].join(", ")
            ));
        }
        let (at, _) = err(&text).unwrap();
        assert!(text[at..].starts_with("*l4"), "{}", &text[at..]);
    }

    #[test]
    fn recursive_aliases_and_control_characters_are_errors() {
        assert_eq!(
            err("a: &a [1, *a]\n"),
            Some((10, "alias *a is used inside the node it names (a recursive alias); this document is not read".into()))
        );
        assert_eq!(
            err("a: b\u{1b}c\n").unwrap(),
            (4, "the character U+001B is not allowed in YAML (control characters other than tab and line breaks are not); this document is not read".into())
        );
    }
}
