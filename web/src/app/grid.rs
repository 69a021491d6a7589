//! The flow matrix as a keyboard grid and as a window onto a large matrix: which cell an arrow
//! key moves to, the lines of the matrix body (namespace headings and endpoint rows), and which
//! lines and columns a view of a large matrix renders. Pure arithmetic; the shell measures the
//! page and moves the focus.

use std::ops::Range;

use super::evaluation::Group;

/// Past this many endpoints the matrix renders only the cells in view (64 × 64 = 4,096 cells).
pub const WINDOW_FROM: usize = 65;

/// Lines and columns rendered beyond those in view on each side, so that scrolling a little or
/// moving the focus to a neighbour needs no new render.
pub const OVERSCAN: usize = 8;

/// True when a matrix of `n` endpoints renders only a window of its cells.
pub fn windowed(n: usize) -> bool {
    n >= WINDOW_FROM
}

/// A key of the matrix grid (the ARIA grid pattern).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GridKey {
    Up,
    Down,
    Left,
    Right,
    /// The first cell of the row.
    RowStart,
    /// The last cell of the row.
    RowEnd,
    /// The first cell of the matrix (Ctrl+Home).
    First,
    /// The last cell of the matrix (Ctrl+End).
    Last,
    PageUp,
    PageDown,
}

/// The grid key of a `KeyboardEvent.key`, with Ctrl (or ⌘) held or not.
pub fn grid_key(key: &str, ctrl: bool) -> Option<GridKey> {
    Some(match (key, ctrl) {
        ("ArrowUp", _) => GridKey::Up,
        ("ArrowDown", _) => GridKey::Down,
        ("ArrowLeft", _) => GridKey::Left,
        ("ArrowRight", _) => GridKey::Right,
        ("Home", false) => GridKey::RowStart,
        ("End", false) => GridKey::RowEnd,
        ("Home", true) => GridKey::First,
        ("End", true) => GridKey::Last,
        ("PageUp", _) => GridKey::PageUp,
        ("PageDown", _) => GridKey::PageDown,
        _ => return None,
    })
}

/// The cell `key` moves the focus to from `(row, col)` in an `n` × `n` matrix; `page` is how
/// many rows PageUp and PageDown move. The focus stops at the edges.
pub fn move_focus(
    (row, col): (usize, usize),
    key: GridKey,
    n: usize,
    page: usize,
) -> (usize, usize) {
    let last = n.saturating_sub(1);
    let page = page.max(1);
    match key {
        GridKey::Up => (row.saturating_sub(1), col),
        GridKey::Down => ((row + 1).min(last), col),
        GridKey::Left => (row, col.saturating_sub(1)),
        GridKey::Right => (row, (col + 1).min(last)),
        GridKey::RowStart => (row, 0),
        GridKey::RowEnd => (row, last),
        GridKey::First => (0, 0),
        GridKey::Last => (last, last),
        GridKey::PageUp => (row.saturating_sub(page), col),
        GridKey::PageDown => ((row + page).min(last), col),
    }
}

/// A line of the matrix body: a namespace heading or an endpoint's row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyLine {
    /// The heading of `groups[i]`.
    Group(usize),
    /// The row of endpoint `r`.
    Row(usize),
}

/// The lines of the matrix body, top to bottom: each group's heading, then its rows.
pub fn body_lines(groups: &[Group]) -> Vec<BodyLine> {
    let mut lines = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        lines.push(BodyLine::Group(i));
        lines.extend((g.start..g.start + g.len).map(BodyLine::Row));
    }
    lines
}

/// The line of endpoint `row`'s row in [`body_lines`].
pub fn line_of_row(lines: &[BodyLine], row: usize) -> Option<usize> {
    lines.iter().position(|l| *l == BodyLine::Row(row))
}

/// The items of `count`, each `pitch` px long from `origin`, that the span `[lo, hi)` px
/// touches. Empty when the span misses them all (or the pitch is not positive).
pub fn covering(lo: f64, hi: f64, origin: f64, pitch: f64, count: usize) -> Range<usize> {
    if pitch.is_nan() || pitch <= 0.0 || hi <= lo || count == 0 {
        return 0..0;
    }
    let first = ((lo - origin) / pitch).floor().max(0.0);
    let end = ((hi - origin) / pitch).ceil().max(0.0);
    let first = (first as usize).min(count);
    let end = (end as usize).min(count);
    first..end.max(first)
}

/// The window to render for the `visible` items: the `current` one while it still holds them,
/// else the visible ones with [`OVERSCAN`] on each side, within `count`.
pub fn keep_or_widen(current: &Range<usize>, visible: &Range<usize>, count: usize) -> Range<usize> {
    if visible.is_empty() || (current.start <= visible.start && visible.end <= current.end) {
        return current.start.min(count)..current.end.min(count);
    }
    visible.start.saturating_sub(OVERSCAN)..(visible.end + OVERSCAN).min(count)
}

/// A window of `len` items around item `i` (for moving the focus to a cell out of view).
pub fn around(i: usize, len: usize, count: usize) -> Range<usize> {
    let start = i.saturating_sub(len / 2).min(count.saturating_sub(len));
    start..(start + len).min(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(start: usize, len: usize) -> Group {
        Group {
            label: format!("ns{start}"),
            external: false,
            start,
            len,
        }
    }

    #[test]
    fn keys_move_the_focus_and_stop_at_the_edges() {
        use GridKey::*;
        let cases = [
            ((2, 2), Up, (1, 2)),
            ((0, 2), Up, (0, 2)),
            ((2, 2), Down, (3, 2)),
            ((4, 2), Down, (4, 2)),
            ((2, 2), Left, (2, 1)),
            ((2, 0), Left, (2, 0)),
            ((2, 2), Right, (2, 3)),
            ((2, 4), Right, (2, 4)),
            ((2, 2), RowStart, (2, 0)),
            ((2, 2), RowEnd, (2, 4)),
            ((2, 2), First, (0, 0)),
            ((2, 2), Last, (4, 4)),
            ((2, 2), PageUp, (0, 2)),
            ((1, 2), PageDown, (3, 2)),
            ((3, 2), PageDown, (4, 2)),
        ];
        for (from, key, to) in cases {
            assert_eq!(move_focus(from, key, 5, 2), to, "{key:?} from {from:?}");
        }
    }

    #[test]
    fn key_names_follow_the_grid_pattern() {
        assert_eq!(grid_key("ArrowDown", false), Some(GridKey::Down));
        assert_eq!(grid_key("Home", false), Some(GridKey::RowStart));
        assert_eq!(grid_key("Home", true), Some(GridKey::First));
        assert_eq!(grid_key("End", true), Some(GridKey::Last));
        assert_eq!(grid_key("Enter", false), None);
        assert_eq!(grid_key("Tab", false), None);
    }

    #[test]
    fn body_lines_put_each_heading_before_its_rows() {
        let lines = body_lines(&[group(0, 2), group(2, 1)]);
        use BodyLine::*;
        assert_eq!(lines, [Group(0), Row(0), Row(1), Group(1), Row(2)]);
        assert_eq!(line_of_row(&lines, 2), Some(4));
        assert_eq!(line_of_row(&lines, 3), None);
    }

    #[test]
    fn covering_counts_partly_visible_items() {
        // Items 10 px long from 100 px: [125, 150) touches items 2, 3 and 4.
        assert_eq!(covering(125.0, 150.0, 100.0, 10.0, 20), 2..5);
        assert_eq!(covering(0.0, 50.0, 100.0, 10.0, 20), 0..0);
        assert_eq!(covering(0.0, 5000.0, 100.0, 10.0, 20), 0..20);
        assert_eq!(covering(90.0, 80.0, 100.0, 10.0, 20), 0..0);
        assert_eq!(covering(0.0, 50.0, 0.0, 0.0, 20), 0..0);
    }

    #[test]
    fn the_window_moves_only_when_the_view_leaves_it() {
        assert_eq!(keep_or_widen(&(10..40), &(12..30), 100), 10..40);
        assert_eq!(
            keep_or_widen(&(10..40), &(35..50), 100),
            35 - OVERSCAN..50 + OVERSCAN
        );
        assert_eq!(keep_or_widen(&(0..40), &(0..5), 3), 0..3);
        assert_eq!(keep_or_widen(&(0..40), &(90..100), 100), 90 - OVERSCAN..100);
    }

    #[test]
    fn around_stays_inside_the_matrix() {
        assert_eq!(around(50, 10, 100), 45..55);
        assert_eq!(around(2, 10, 100), 0..10);
        assert_eq!(around(98, 10, 100), 90..100);
        assert_eq!(around(3, 10, 5), 0..5);
    }
}
