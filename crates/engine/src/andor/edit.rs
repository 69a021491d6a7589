//! Text edits that apply an AND/OR variant to the policies text as written, keeping everything
//! else (comments, flow mappings, key order) untouched.
//!
//! The item edits work on block-style items (`- namespaceSelector: ...` on their own lines), the
//! rule merge on block-style rules and one-line flow mappings (`- {ports: [...]}`); all return
//! `None` for items written in another style.

use std::ops::Range;

use crate::model::Span;

/// A policies text split into lines once, to apply variants to or to ask whether they apply
/// (which [`crate::variant_applies`] does for one variant).
pub struct VariantText<'a> {
    text: &'a str,
    /// The lines as [`str::lines`] splits them (for the item edits).
    lines: Vec<&'a str>,
    /// Each line's byte offset, and the line without the `\r`s before its end (for the rule
    /// merges).
    raw: Vec<(usize, &'a str)>,
}

impl<'a> VariantText<'a> {
    /// The text split into lines.
    pub fn new(text: &'a str) -> VariantText<'a> {
        let (lines, raw) = text
            .lines()
            .map(|l| {
                let offset = l.as_ptr() as usize - text.as_ptr() as usize;
                (l, (offset, l.trim_end_matches('\r')))
            })
            .unzip();
        VariantText { text, lines, raw }
    }
}

/// What an edit does to the text, found without building the new text ([`Edit::apply`] builds
/// it).
pub(super) enum Edit<'a> {
    /// The lines of the text (as [`str::lines`] splits it) in a new order, joined by `\n` (so
    /// `\r\n` line ends become `\n`), with the two bytes before column `col` of line `changed`
    /// replaced by `with`; a final line end when the text had one.
    Lines {
        order: [Range<usize>; 4],
        changed: usize,
        col: usize,
        with: &'static str,
    },
    /// Byte ranges of the text replaced, in order; line ends stay as written.
    Bytes(Vec<(Range<usize>, &'a str)>),
}

impl Edit<'_> {
    /// The text with the edit applied.
    pub(super) fn apply(&self, t: &VariantText<'_>) -> String {
        let text = t.text;
        let mut out = String::with_capacity(text.len() + 2);
        match self {
            Edit::Lines {
                order,
                changed,
                col,
                with,
            } => {
                for (k, i) in order.iter().cloned().flatten().enumerate() {
                    if k > 0 {
                        out.push('\n');
                    }
                    let line = t.lines[i];
                    if i == *changed {
                        out.push_str(&line[..col - 2]);
                        out.push_str(with);
                        out.push_str(&line[*col..]);
                    } else {
                        out.push_str(line);
                    }
                }
                if text.ends_with('\n') {
                    out.push('\n');
                }
            }
            Edit::Bytes(edits) => {
                let mut at = 0;
                for (range, with) in edits {
                    out.push_str(&text[at..range.start]);
                    out.push_str(with);
                    at = range.end;
                }
                out.push_str(&text[at..]);
            }
        }
        out
    }
}

/// Splits the item at `item` after its first key: the second key, at the item's column, becomes
/// an item of its own (AND → OR).
pub(super) fn split_item<'a>(t: &VariantText<'a>, item: Span) -> Option<Edit<'a>> {
    let lines = &t.lines;
    let (l, c) = item_at(lines, item)?;
    let end = extent(lines, l, c);
    let second = (l + 1..=end).find(|&i| {
        let line = lines[i];
        line.get(..c).is_some_and(|p| p.trim().is_empty())
            && line
                .get(c..)
                .is_some_and(|r| !r.is_empty() && !r.starts_with([' ', '#']))
    })?;
    // Whitespace of several bytes before the column: no room for the dash.
    lines[second].get(c - 2..c)?;
    let n = lines.len();
    Some(Edit::Lines {
        order: [0..n, n..n, n..n, n..n],
        changed: second,
        col: c,
        with: "- ",
    })
}

/// Merges the items at `a` and `b` (OR → AND): the later item's lines move, without their dash,
/// to the end of the earlier item. Both items must start at the same column.
pub(super) fn merge_items<'a>(t: &VariantText<'a>, a: Span, b: Span) -> Option<Edit<'a>> {
    let lines = &t.lines;
    let (first, second) = {
        let (a, b) = (item_at(lines, a)?, item_at(lines, b)?);
        if a.0 < b.0 {
            (a, b)
        } else {
            (b, a)
        }
    };
    if first.1 != second.1 {
        return None;
    }
    let (c, n) = (second.1, lines.len());
    let (s, end) = (second.0, extent(lines, second.0, c));
    // The later item's lines go; the earlier one's end is then found among the lines left,
    // which only differ from the text's past the later item's dash (a line it ends at).
    let order = if first.0 < s {
        let first_end = extent(lines, first.0, c);
        [0..first_end + 1, s..end + 1, first_end + 1..s, end + 1..n]
    } else {
        // Both spans at one item: the "earlier" item is the line after the later one's lines.
        if end + 1 >= n {
            return None;
        }
        let first_end = extent(lines, end + 1, c);
        [0..s, end + 1..first_end + 1, s..end + 1, first_end + 1..n]
    };
    Some(Edit::Lines {
        order,
        changed: s,
        col: c,
        with: "  ",
    })
}

/// Merges the rule at `second` into the rule at `first` just before it, by removing the dash
/// that starts `second` (a split rule: `- from: ...` then `- ports: ...` becomes one rule with
/// both keys). Block items (`- ports:`, also with the dash alone on its line) and one-line flow
/// mappings (`- {ports: [...]}`, which join into the first's braces) are merged when both are
/// items of one sequence, only blank and comment lines lie between them, and they have no key in
/// common. Line endings and everything else stay as written.
pub(super) fn merge_rules<'a>(t: &VariantText<'a>, first: Span, second: Span) -> Option<Edit<'a>> {
    let (text, lines) = (t.text, &t.raw[..]);
    let (a, b) = (rule_item(lines, first)?, rule_item(lines, second)?);
    let a_end = last_line(lines, &a);
    if a.col != b.col
        || a.dash.1 != b.dash.1
        || b.dash.0 <= a_end
        || !lines[a_end + 1..b.dash.0]
            .iter()
            .all(|(_, l)| is_blank_or_comment(l))
    {
        return None;
    }
    let content = |i: &Item| &lines[i.line].1[i.col..];
    match (content(&a).starts_with('{'), content(&b).starts_with('{')) {
        (false, false) => {
            let (ka, kb) = (block_keys(lines, &a), block_keys(lines, &b));
            if ka.iter().any(|k| kb.contains(k)) {
                return None;
            }
            let (start, line) = lines[b.dash.0];
            let edit = if b.dash.0 != b.line && line[b.dash.1 + 1..].trim().is_empty() {
                // The dash alone on its line: the line goes.
                let end = lines.get(b.dash.0 + 1).map_or(text.len(), |l| l.0);
                (start..end, "")
            } else {
                (start + b.dash.1..start + b.dash.1 + 1, " ")
            };
            Some(Edit::Bytes(vec![edit]))
        }
        (true, true) => join_flow_rules(text, lines, &a, &b),
        _ => None,
    }
}

/// Joins two one-line flow mapping rules: `- {from: [...]}` and `- {ports: [...]}` become
/// `- {from: [...], ports: [...]}` on the first line; the second line goes.
fn join_flow_rules<'a>(
    text: &'a str,
    lines: &[(usize, &'a str)],
    a: &Item,
    b: &Item,
) -> Option<Edit<'a>> {
    let one_line = |i: &Item| {
        let t = lines[i.line].1[i.col..].trim_end();
        (i.dash.0 == i.line && last_line(lines, i) == i.line && !t.contains('#'))
            .then_some(t)?
            .strip_prefix('{')?
            .strip_suffix('}')
    };
    let (ia, ib) = (one_line(a)?, one_line(b)?);
    if ["from", "to", "ports"]
        .iter()
        .any(|k| mentions_key(ia, k) && mentions_key(ib, k))
    {
        return None;
    }
    let (ia, ib) = (ia.trim(), ib.trim());
    // The closing brace of the first: `col`, then `{`, its inside and the spaces after it.
    let (a_start, a_line) = lines[a.line];
    let close = a_start + a.col + a_line[a.col..].trim_end().len() - 1;
    let joined: &[&str] = match (ia.is_empty(), ib.is_empty()) {
        (_, true) => &[],
        (true, false) => &[ib],
        (false, false) => &[", ", ib],
    };
    let b_start = lines[b.line].0;
    let b_end = lines.get(b.line + 1).map_or(text.len(), |l| l.0);
    let mut edits: Vec<(Range<usize>, &str)> = joined.iter().map(|&s| (close..close, s)).collect();
    edits.push((b_start..b_end, ""));
    Some(Edit::Bytes(edits))
}

/// Whether a flow mapping's inside has `key:` where a key can start (after `{`, `,` or a
/// space, maybe quoted). Keys of nested mappings count too, which only makes the merge refuse.
fn mentions_key(inside: &str, key: &str) -> bool {
    inside.match_indices(key).any(|(i, _)| {
        let before = inside[..i].trim_end_matches(['"', '\'']);
        let after = inside[i + key.len()..].trim_start_matches(['"', '\'', ' ']);
        (before.is_empty() || before.ends_with(['{', ',', ' '])) && after.starts_with(':')
    })
}

/// A rule item: where its dash is (line, byte column) and where its content starts.
struct Item {
    dash: (usize, usize),
    line: usize,
    col: usize,
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim_start();
    t.is_empty() || t.starts_with('#')
}

/// The block sequence item whose content starts at `s`: `- ports:` with only spaces before the
/// dash, or content on its own line below a line holding only the dash (and maybe a comment).
fn rule_item(lines: &[(usize, &str)], s: Span) -> Option<Item> {
    let (l, c) = (
        (s.line as usize).checked_sub(1)?,
        (s.col as usize).checked_sub(1)?,
    );
    let line = lines.get(l)?.1;
    let before = line.get(..c)?;
    if is_blank_or_comment(line.get(c..)?) {
        return None;
    }
    let dash = if let Some(d) = before.trim_end_matches(' ').strip_suffix('-') {
        (d.len() + 1 < c && d.bytes().all(|b| b == b' ')).then_some((l, d.len()))?
    } else if before.bytes().all(|b| b == b' ') {
        let p = (0..l).rev().find(|&i| !is_blank_or_comment(lines[i].1))?;
        let t = lines[p].1;
        let indent = t.len() - t.trim_start_matches(' ').len();
        let rest = t[indent..].strip_prefix('-')?.trim_start_matches(' ');
        (indent < c && (rest.is_empty() || rest.starts_with('#'))).then_some((p, indent))?
    } else {
        return None;
    };
    Some(Item {
        dash,
        line: l,
        col: c,
    })
}

/// The last line of an item: its content line and every following line indented to its column
/// or deeper (blank and comment lines do not end it).
fn last_line(lines: &[(usize, &str)], item: &Item) -> usize {
    let mut end = item.line;
    for (i, (_, line)) in lines.iter().enumerate().skip(item.line + 1) {
        if is_blank_or_comment(line) {
            continue;
        }
        if line.len() - line.trim_start_matches(' ').len() < item.col {
            break;
        }
        end = i;
    }
    end
}

/// The keys of a block mapping item: the text before `:` on its content line and on each line
/// at its column (not a comment, nor a sequence item written at its key's column).
fn block_keys<'a>(lines: &[(usize, &'a str)], item: &Item) -> Vec<&'a str> {
    (item.line..=last_line(lines, item))
        .filter_map(|i| {
            let t = lines[i].1.get(item.col..)?;
            let own = i == item.line || lines[i].1.get(..item.col)?.bytes().all(|b| b == b' ');
            (own && !t.starts_with([' ', '#', '-'])).then_some(())?;
            let key = t.split(':').next()?.trim();
            Some(key.trim_matches(['"', '\'']))
        })
        .collect()
}

/// The line index and the column (0-based) of a block item's content, after its dash.
fn item_at(lines: &[&str], s: Span) -> Option<(usize, usize)> {
    let (l, c) = (
        (s.line as usize).checked_sub(1)?,
        (s.col as usize).checked_sub(1)?,
    );
    let line = lines.get(l)?;
    (c >= 2 && line.get(c - 2..c) == Some("- ") && !line[c..].starts_with('{')).then_some((l, c))
}

/// The last line of an item: its dash line and every following line indented to column `c` or
/// deeper (blank and comment lines do not end it).
fn extent(lines: &[&str], l: usize, c: usize) -> usize {
    let mut end = l;
    for (i, line) in lines.iter().enumerate().skip(l + 1) {
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if line.len() - t.len() < c {
            break;
        }
        end = i;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(line: u32, col: u32) -> Span {
        Span { file: 0, line, col }
    }

    // The edits applied, as the tests below read them.
    fn split_item(text: &str, item: Span) -> Option<String> {
        let t = VariantText::new(text);
        Some(super::split_item(&t, item)?.apply(&t))
    }

    fn merge_items(text: &str, a: Span, b: Span) -> Option<String> {
        let t = VariantText::new(text);
        Some(super::merge_items(&t, a, b)?.apply(&t))
    }

    fn merge_rules(text: &str, a: Span, b: Span) -> Option<String> {
        let t = VariantText::new(text);
        Some(super::merge_rules(&t, a, b)?.apply(&t))
    }

    const AND: &str = "from:\n- namespaceSelector: {}\n  podSelector: {}\nports: []\n";
    const OR: &str = "from:\n- namespaceSelector: {}\n- podSelector: {}\nports: []\n";

    #[test]
    fn split_and_merge_undo_each_other() {
        assert_eq!(split_item(AND, at(2, 3)).as_deref(), Some(OR));
        assert_eq!(merge_items(OR, at(3, 3), at(2, 3)).as_deref(), Some(AND));
    }

    /// A comment line inside an item is not its second key; a merge puts the moved key right
    /// after the first item's last key, before the comment.
    #[test]
    fn comments_stay_where_they_were() {
        let and = "- namespaceSelector: {}\n  # the pods\n  podSelector: {}\n";
        let or = "- namespaceSelector: {}\n  # the pods\n- podSelector: {}\n";
        assert_eq!(split_item(and, at(1, 3)).as_deref(), Some(or));
        let merged = "- namespaceSelector: {}\n  podSelector: {}\n  # the pods\n";
        assert_eq!(merge_items(or, at(1, 3), at(3, 3)).as_deref(), Some(merged));
    }

    /// Each split rule as written and as merged: the stray dash goes, nothing else changes.
    /// `(text, first rule, second rule, merged)`, positions as (line, column).
    #[test]
    fn merge_rules_removes_the_stray_dash() {
        let cases: [(&str, Span, Span, &str); 6] = [
            // Peers first, comments with non-ASCII text, a comment line between the rules.
            (
                "ingress:\n- from: # für das Frontend ✓\n  - podSelector: {matchLabels: {app: web}}\n# Ports – café\n- ports: # Größe\n  - port: 8080\n",
                at(2, 3),
                at(5, 3),
                "ingress:\n- from: # für das Frontend ✓\n  - podSelector: {matchLabels: {app: web}}\n# Ports – café\n  ports: # Größe\n  - port: 8080\n",
            ),
            // Ports first, sequences indented under their keys, no final newline.
            (
                "  ingress:\n    - ports:\n        - port: 5000\n    - from:\n        - podSelector: {}",
                at(2, 7),
                at(4, 7),
                "  ingress:\n    - ports:\n        - port: 5000\n      from:\n        - podSelector: {}",
            ),
            // Sequences at their key's column (kubectl's style).
            (
                "- to:\n  - ipBlock:\n      cidr: 10.0.0.0/24\n- ports:\n  - port: 5978\n",
                at(1, 3),
                at(4, 3),
                "- to:\n  - ipBlock:\n      cidr: 10.0.0.0/24\n  ports:\n  - port: 5978\n",
            ),
            // The dash alone on its line: the line goes.
            (
                "-\n  from: [{podSelector: {}}]\n-\n  ports: [{port: 80}]\n",
                at(2, 3),
                at(4, 3),
                "-\n  from: [{podSelector: {}}]\n  ports: [{port: 80}]\n",
            ),
            // One-line flow mappings join in the first's braces.
            (
                "- {from: [{podSelector: {matchLabels: {app: café}}}]}\n- { ports: [{port: 80}] }\n",
                at(1, 3),
                at(2, 3),
                "- {from: [{podSelector: {matchLabels: {app: café}}}], ports: [{port: 80}]}\n",
            ),
            // Windows line endings stay.
            (
                "- from: [{podSelector: {}}]\r\n- ports: [{port: 80}]\r\n",
                at(1, 3),
                at(2, 3),
                "- from: [{podSelector: {}}]\r\n  ports: [{port: 80}]\r\n",
            ),
        ];
        for (text, a, b, want) in cases {
            assert_eq!(merge_rules(text, a, b).as_deref(), Some(want), "{text}");
        }
    }

    /// Rules that removing a dash would not merge into one valid rule are left alone.
    #[test]
    fn merge_rules_refuses_what_it_cannot_merge() {
        let cases: [(&str, Span, Span); 8] = [
            // A key in both (an explicit empty `ports`).
            (
                "- from: [{podSelector: {}}]\n  ports: []\n- ports: [{port: 80}]\n",
                at(1, 3),
                at(3, 3),
            ),
            (
                "- {from: [a], ports: []}\n- {ports: [b]}\n",
                at(1, 3),
                at(2, 3),
            ),
            // Another rule between them.
            ("- from: [a]\n- to: [c]\n- ports: [b]\n", at(1, 3), at(3, 3)),
            // Content at different columns.
            ("- from: [a]\n-   ports: [b]\n", at(1, 3), at(2, 5)),
            // A flow sequence of rules: both rules are at its bracket.
            (
                "ingress: [{from: [a]}, {ports: [b]}]\n",
                at(1, 10),
                at(1, 10),
            ),
            // A comment inside a flow mapping's line, and a flow mapping next to a block rule.
            ("- {from: [a]} # ü\n- {ports: [b]}\n", at(1, 3), at(2, 3)),
            ("- {from: [a]}\n- ports: [b]\n", at(1, 3), at(2, 3)),
            // A column inside a non-ASCII character.
            ("- ü: 1\n- ports: [b]\n", at(1, 4), at(2, 3)),
        ];
        for (text, a, b) in cases {
            assert_eq!(merge_rules(text, a, b), None, "{text}");
        }
    }

    #[test]
    fn other_styles_are_left_alone() {
        let flow = "- {namespaceSelector: {}, podSelector: {}}\n";
        assert_eq!(split_item(flow, at(1, 3)), None);
        // Not at a dash, past the end, or items at different columns.
        assert_eq!(split_item(AND, at(3, 3)), None);
        assert_eq!(split_item(AND, at(9, 3)), None);
        assert_eq!(merge_items("- a: 1\n  - b: 2\n", at(1, 3), at(2, 5)), None);
    }
}
