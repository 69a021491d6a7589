//! Text edits that apply an AND/OR variant to the policies text as written, keeping everything
//! else (comments, flow mappings, key order) untouched.
//!
//! Both edits work on block-style items (`- namespaceSelector: ...` on their own lines) and
//! return `None` for items written in another style.

use crate::model::Span;

/// Splits the item at `item` after its first key: the second key, at the item's column, becomes
/// an item of its own (AND → OR).
pub(super) fn split_item(text: &str, item: Span) -> Option<String> {
    let mut lines = lines(text);
    let (l, c) = item_at(&lines, item)?;
    let end = extent(&lines, l, c);
    let second = (l + 1..=end).find(|&i| {
        let line = &lines[i];
        line.get(..c).is_some_and(|p| p.trim().is_empty())
            && line
                .get(c..)
                .is_some_and(|r| !r.is_empty() && !r.starts_with([' ', '#']))
    })?;
    lines[second].replace_range(c - 2..c, "- ");
    Some(join(lines, text))
}

/// Merges the items at `a` and `b` (OR → AND): the later item's lines move, without their dash,
/// to the end of the earlier item. Both items must start at the same column.
pub(super) fn merge_items(text: &str, a: Span, b: Span) -> Option<String> {
    let mut lines = lines(text);
    let (first, second) = {
        let (a, b) = (item_at(&lines, a)?, item_at(&lines, b)?);
        if a.0 < b.0 {
            (a, b)
        } else {
            (b, a)
        }
    };
    if first.1 != second.1 {
        return None;
    }
    let c = second.1;
    let end = extent(&lines, second.0, c);
    let mut moved: Vec<String> = lines.drain(second.0..=end).collect();
    moved[0].replace_range(c - 2..c, "  ");
    let first_end = extent(&lines, first.0, c);
    for (k, line) in moved.into_iter().enumerate() {
        lines.insert(first_end + 1 + k, line);
    }
    Some(join(lines, text))
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// The lines joined back, with the final newline of `text` if it had one.
fn join(lines: Vec<String>, text: &str) -> String {
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The line index and the column (0-based) of a block item's content, after its dash.
fn item_at(lines: &[String], s: Span) -> Option<(usize, usize)> {
    let (l, c) = (
        (s.line as usize).checked_sub(1)?,
        (s.col as usize).checked_sub(1)?,
    );
    let line = lines.get(l)?;
    (c >= 2 && line.get(c - 2..c) == Some("- ") && !line[c..].starts_with('{')).then_some((l, c))
}

/// The last line of an item: its dash line and every following line indented to column `c` or
/// deeper (blank and comment lines do not end it).
fn extent(lines: &[String], l: usize, c: usize) -> usize {
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
