//! The pure part of the windowed editor: which lines of a long text its `<textarea>` holds,
//! how an edit of those lines becomes a new whole text, and how caret offsets (UTF-16 code
//! units, as the DOM counts them) map between the whole text and a window of it; and which
//! lines the highlight layer and the gutter render.

use std::ops::Range;

/// Texts of more lines than this are windowed: the textarea holds only the lines around the
/// view. Every example and tutorial text is below it (the largest has 123 lines) and behaves as
/// before; the 50-pod workshop scenario of the benches (~750 lines) is windowed, because even at
/// that length Chromium's layout of the whole textarea costs a keystroke ~10 ms.
pub const WINDOWED_ABOVE: u32 = 400;
/// Windows start and end on multiples of this many lines, so that scrolling moves them rarely.
pub const CHUNK: u32 = 64;

/// Where each line of a text starts, in bytes and in UTF-16 code units.
#[derive(Debug, Default, PartialEq)]
pub struct LineIndex {
    bytes: Vec<usize>,
    utf16: Vec<u32>,
    len_utf16: u32,
}

impl LineIndex {
    pub fn of(text: &str) -> LineIndex {
        let mut idx = LineIndex {
            bytes: vec![0],
            utf16: vec![0],
            len_utf16: 0,
        };
        let mut u = 0u32;
        for (b, c) in text.char_indices() {
            u += c.len_utf16() as u32;
            if c == '\n' {
                idx.bytes.push(b + 1);
                idx.utf16.push(u);
            }
        }
        idx.len_utf16 = u;
        idx
    }

    /// The number of lines (a text without a newline has one).
    pub fn lines(&self) -> u32 {
        self.bytes.len() as u32
    }

    /// The UTF-16 length of the whole text.
    pub fn len_utf16(&self) -> u32 {
        self.len_utf16
    }

    /// The bytes of `text` that lines `w` (0-based, end exclusive) span, without the newline
    /// that ends the last of them.
    /// A window past the text's end (one kept from a longer text) spans its end: never a panic.
    fn byte_span(&self, text_len: usize, w: &Range<u32>) -> Range<usize> {
        let start = self
            .bytes
            .get(w.start as usize)
            .copied()
            .unwrap_or(text_len);
        let end = match self.bytes.get(w.end as usize) {
            Some(&b) => b - 1,
            None => text_len,
        };
        start..end.max(start)
    }

    /// The UTF-16 offsets that lines `w` span, as `byte_span`.
    fn utf16_span(&self, w: &Range<u32>) -> Range<u32> {
        let start = self
            .utf16
            .get(w.start as usize)
            .copied()
            .unwrap_or(self.len_utf16);
        let end = match self.utf16.get(w.end as usize) {
            Some(&u) => u - 1,
            None => self.len_utf16,
        };
        start..end.max(start)
    }

    /// The line (0-based) that holds the UTF-16 offset `off` of the whole text.
    pub fn line_of(&self, off: u32) -> u32 {
        (self.utf16.partition_point(|&u| u <= off) as u32).saturating_sub(1)
    }

    /// The UTF-16 offset where line `line` (0-based) starts, or the text's end past it.
    pub fn line_start(&self, line: u32) -> u32 {
        self.utf16
            .get(line as usize)
            .copied()
            .unwrap_or(self.len_utf16)
    }
}

/// The window of a text of `total` lines whose view starts at line `top` (0-based) and shows
/// up to `viewport` lines: from a chunk above the view's chunk to two chunks and a viewport
/// below its start, so that at least a chunk of lines lies beyond either edge of the view (a
/// window of 3 chunks and a viewport: its layout is what a keystroke costs).
pub fn window_at(top: u32, total: u32, viewport: u32) -> Range<u32> {
    let chunk = top.min(total.saturating_sub(1)) / CHUNK;
    let start = chunk.saturating_sub(1) * CHUNK;
    let end = (chunk + 2)
        .saturating_mul(CHUNK)
        .saturating_add(viewport)
        .min(total);
    start..end.max(start)
}

/// The text of lines `w` of `text`.
pub fn window_text<'a>(text: &'a str, idx: &LineIndex, w: &Range<u32>) -> &'a str {
    &text[idx.byte_span(text.len(), w)]
}

/// The whole text after the window `w` of `text` became `value`.
pub fn splice(text: &str, idx: &LineIndex, w: &Range<u32>, value: &str) -> String {
    let span = idx.byte_span(text.len(), w);
    let mut out = String::with_capacity(text.len() + value.len());
    out.push_str(&text[..span.start]);
    out.push_str(value);
    out.push_str(&text[span.end..]);
    out
}

/// The number of lines of a window's text.
pub fn lines_of(value: &str) -> u32 {
    value.bytes().filter(|&b| b == b'\n').count() as u32 + 1
}

/// A UTF-16 offset into window `w` as an offset into the whole text.
pub fn to_whole(idx: &LineIndex, w: &Range<u32>, off: u32) -> u32 {
    let span = idx.utf16_span(w);
    span.start + off.min(span.end - span.start)
}

/// A UTF-16 offset into the whole text as an offset into window `w`; offsets outside the window
/// are clamped to its nearest edge.
pub fn to_window(idx: &LineIndex, w: &Range<u32>, off: u32) -> u32 {
    let span = idx.utf16_span(w);
    off.clamp(span.start, span.end) - span.start
}

/// True when line `line` lies within a chunk of an edge of window `w` that is not an edge of
/// the text: the window must move before the caret goes further.
pub fn near_edge(w: &Range<u32>, total: u32, line: u32) -> bool {
    (w.start > 0 && line < w.start + CHUNK) || (w.end < total && line + CHUNK >= w.end)
}

/// Texts up to this many lines are rendered whole.
const WHOLE_UP_TO: u32 = 200;

/// What the editor needs to know of its whole text: the number of lines and the longest line's
/// width in columns (a tab counts as two, as in `tab-size`).
#[derive(Debug, PartialEq)]
pub struct TextShape {
    pub lines: u32,
    pub columns: usize,
}

impl TextShape {
    pub fn of(text: &str) -> TextShape {
        let mut shape = TextShape {
            lines: 0,
            columns: 0,
        };
        for l in text.split('\n') {
            shape.lines += 1;
            let w: usize = l.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum();
            shape.columns = shape.columns.max(w);
        }
        shape
    }
}

/// The lines to render (0-based, end exclusive) of a text of `total` lines whose view starts in
/// chunk `first_chunk` and shows up to `viewport` lines: the view with a chunk above and below
/// it, or all the lines of a small text.
pub fn visible_lines(first_chunk: u32, total: u32, viewport: u32) -> Range<u32> {
    if total <= WHOLE_UP_TO {
        return 0..total;
    }
    let first = first_chunk.saturating_mul(CHUNK);
    let start = first
        .saturating_sub(CHUNK)
        .min(total.saturating_sub(viewport + 2 * CHUNK));
    let end = first
        .saturating_add(2 * CHUNK + viewport)
        .min(total)
        .max(start);
    start..end
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Line `i` of this text is `l{i}`, and line 3 holds a character outside the BMP.
    fn text(lines: u32) -> String {
        (0..lines)
            .map(|i| {
                if i == 3 {
                    "l3😀".to_string()
                } else {
                    format!("l{i}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn windows() {
        // (view's top line, lines, viewport) → window.
        for (top, total, viewport, want) in [
            (0, 7_500, 40, 0..168),
            (63, 7_500, 40, 0..168),
            (64, 7_500, 40, 0..232),
            (128, 7_500, 40, 64..296),
            (192, 7_500, 40, 128..360),
            (3_200, 7_500, 40, 3_136..3_368),
            (7_460, 7_500, 40, 7_360..7_500),
            // A view past the end (a text that just shrank) still gets the last lines.
            (9_000, 7_500, 40, 7_424..7_500),
            (0, 100, 40, 0..100),
        ] {
            assert_eq!(window_at(top, total, viewport), want, "{top} {total}");
        }
    }

    #[test]
    fn window_texts_and_splices() {
        let t = text(6);
        let idx = LineIndex::of(&t);
        assert_eq!(idx.lines(), 6);
        // (window, its text, the value typed over it, the whole text after).
        for (w, shown, value, whole) in [
            (0..2, "l0\nl1", "l0\nX", "l0\nX\nl2\nl3😀\nl4\nl5"),
            (2..4, "l2\nl3😀", "", "l0\nl1\n\nl4\nl5"),
            (
                4..6,
                "l4\nl5",
                "l4\nl5\nnew",
                "l0\nl1\nl2\nl3😀\nl4\nl5\nnew",
            ),
            (0..6, t.as_str(), "x", "x"),
            (3..4, "l3😀", "a\nb", "l0\nl1\nl2\na\nb\nl4\nl5"),
        ] {
            assert_eq!(window_text(&t, &idx, &w), shown, "{w:?}");
            assert_eq!(splice(&t, &idx, &w, value), whole, "{w:?}");
        }
        // A window kept from a longer text is past this one's end: it spans the end.
        assert_eq!(window_text(&t, &idx, &(9..12)), "");
        assert_eq!(splice(&t, &idx, &(9..12), "x"), format!("{t}x"));
        assert_eq!(lines_of("a\nb"), 2);
        assert_eq!(lines_of(""), 1);
        // A text ending in a newline has an empty last line.
        let t = "a\nb\n";
        let idx = LineIndex::of(t);
        assert_eq!(idx.lines(), 3);
        assert_eq!(window_text(t, &idx, &(1..3)), "b\n");
        assert_eq!(splice(t, &idx, &(2..3), "c"), "a\nb\nc");
    }

    #[test]
    fn offsets() {
        // Lines start at UTF-16 offsets 0, 3, 6, 9 ("l3😀" is 4 code units), 14, 17.
        let t = text(6);
        let idx = LineIndex::of(&t);
        assert_eq!(idx.len_utf16(), 19);
        // (window, offset in the window, in the whole text).
        for (w, local, whole) in [
            (0..2, 0, 0),
            (0..2, 5, 5),
            (2..4, 0, 6),
            (2..4, 7, 13),
            (4..6, 5, 19),
            // Past the window's end: its end.
            (2..4, 50, 13),
        ] {
            assert_eq!(to_whole(&idx, &w, local), whole, "{w:?} {local}");
        }
        // (window, offset in the whole text, in the window): outside it, the nearest edge.
        for (w, whole, local) in [
            (2..4, 6, 0),
            (2..4, 13, 7),
            (2..4, 2, 0),
            (2..4, 18, 7),
            (4..6, 19, 5),
        ] {
            assert_eq!(to_window(&idx, &w, whole), local, "{w:?} {whole}");
        }
        // (offset, its line, that line's start).
        for (off, line, start) in [
            (0, 0, 0),
            (2, 0, 0),
            (3, 1, 3),
            (13, 3, 9),
            (14, 4, 14),
            (19, 5, 17),
        ] {
            assert_eq!(idx.line_of(off), line, "{off}");
            assert_eq!(idx.line_start(line), start, "{line}");
        }
        assert_eq!(idx.line_start(99), 19);
    }

    #[test]
    fn edges() {
        // (window, lines, caret line) → must the window move?
        for (w, total, line, want) in [
            (0..232, 7_500, 0, false),
            (0..232, 7_500, 167, false),
            (0..232, 7_500, 168, true),
            (64..424, 7_500, 127, true),
            (64..424, 7_500, 128, false),
            (7_296..7_500, 7_500, 7_499, false),
        ] {
            assert_eq!(near_edge(&w, total, line), want, "{w:?} {line}");
        }
    }

    #[test]
    fn the_window_covers_the_view_with_a_chunk_either_side() {
        // (first chunk, lines, viewport) → rendered lines.
        for (chunk, total, viewport, want) in [
            (0, 150, 40, 0..150),
            (5, 200, 40, 0..200),
            (0, 7_500, 40, 0..168),
            (1, 7_500, 40, 0..232),
            (50, 7_500, 40, 3_136..3_368),
            (117, 7_500, 40, 7_332..7_500),
            // A shorter text than the scroll position still shows its last lines.
            (500, 1_000, 40, 832..1_000),
        ] {
            assert_eq!(
                visible_lines(chunk, total, viewport),
                want,
                "{chunk} {total}"
            );
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(
            TextShape::of("a: b\n\tlonger: line\n"),
            TextShape {
                lines: 3,
                columns: 14
            }
        );
        assert_eq!(
            TextShape::of(""),
            TextShape {
                lines: 1,
                columns: 0
            }
        );
    }
}
