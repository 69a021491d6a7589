//! The page side of the matrix grid: measuring where a windowed matrix is in view (through
//! every ancestor that clips it) and moving the focus to a cell, out from under the sticky
//! headers. The arithmetic is in `app::grid`.

use std::ops::Range;

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::app::{covering, keep_or_widen};

/// The row and column pitch (px) of a windowed matrix until the page has been measured; the
/// stylesheet gives its cells these sizes (`.matrix.windowed`).
pub const ROW_PX: f64 = 34.0;
pub const COL_PX: f64 = 38.0;

/// The body lines and columns a matrix renders.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Win {
    pub rows: Range<usize>,
    pub cols: Range<usize>,
}

/// What the scroll listener and the keyboard need of the last render and measure.
pub struct Geom {
    pub lines: usize,
    pub n: usize,
    pub win: Win,
    /// Measured (column width, row height).
    pub pitch: (f64, f64),
    /// Rows in view, for PageUp and PageDown.
    pub page: usize,
}

pub fn attr_usize(e: &Element, name: &str) -> Option<usize> {
    e.get_attribute(name)?.parse().ok()
}

/// The part of the viewport where `el` can be seen: the window, cut by every ancestor that clips
/// its overflow. `(top, bottom, left, right)` in viewport coordinates.
fn visible_rect(el: &Element) -> Option<(f64, f64, f64, f64)> {
    let w = web_sys::window()?;
    let height = w.inner_height().ok()?.as_f64()?;
    let width = w.inner_width().ok()?.as_f64()?;
    let (mut top, mut bottom, mut left, mut right) = (0.0, height, 0.0, width);
    let mut cur = el.parent_element();
    while let Some(a) = cur {
        if let Ok(Some(style)) = w.get_computed_style(&a) {
            let clips = |prop: &str| style.get_property_value(prop).is_ok_and(|v| v != "visible");
            if clips("overflow-x") || clips("overflow-y") {
                let r = a.get_bounding_client_rect();
                top = f64::max(top, r.top());
                bottom = f64::min(bottom, r.bottom());
                left = f64::max(left, r.left());
                right = f64::min(right, r.right());
            }
        }
        cur = a.parent_element();
    }
    Some((top, bottom, left, right))
}

/// Measures a windowed matrix on the page: the window it should render for what is in view.
pub fn measure(table: &Element, geom: &mut Geom) -> Option<Win> {
    let row = table.query_selector("tbody tr.m-row").ok()??;
    let line = attr_usize(&row, "data-line")?;
    let rr = row.get_bounding_client_rect();
    let cell = row.query_selector("td[data-c]").ok()??;
    let c = attr_usize(&cell, "data-c")?;
    let cr = cell.get_bounding_client_rect();
    let (w, h) = (cr.width(), rr.height());
    if w <= 0.0 || h <= 0.0 {
        return None;
    }
    geom.pitch = (w, h);
    let (y0, x0) = (rr.top() - line as f64 * h, cr.left() - c as f64 * w);
    let (top, bottom, left, right) = visible_rect(table)?;
    let rows = covering(top, bottom, y0, h, geom.lines);
    let cols = covering(left, right, x0, w, geom.n);
    geom.page = rows.len().saturating_sub(3).max(1);
    Some(Win {
        rows: keep_or_widen(&geom.win.rows, &rows, geom.lines),
        cols: keep_or_widen(&geom.win.cols, &cols, geom.n),
    })
}

/// The nearest ancestor of `el` that scrolls vertically (`vertical`) or horizontally.
fn scroller(el: &Element, vertical: bool) -> Option<Element> {
    let w = web_sys::window()?;
    let mut cur = el.parent_element();
    while let Some(a) = cur {
        let prop = if vertical { "overflow-y" } else { "overflow-x" };
        let scrolls = w
            .get_computed_style(&a)
            .ok()
            .flatten()
            .and_then(|s| s.get_property_value(prop).ok())
            .is_some_and(|v| v == "auto" || v == "scroll");
        let more = if vertical {
            a.scroll_height() > a.client_height()
        } else {
            a.scroll_width() > a.client_width()
        };
        if scrolls && more {
            return Some(a);
        }
        cur = a.parent_element();
    }
    None
}

/// Focuses the cell `(r, c)` if it is rendered, and scrolls it out from under the sticky headers
/// of a windowed matrix.
pub fn focus_cell(table: &Element, (r, c): (usize, usize)) -> bool {
    let sel = format!(r#"td[data-r="{r}"][data-c="{c}"] > button"#);
    let Some(button) = table
        .query_selector(&sel)
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return false;
    };
    let _ = button.focus();
    if !table.class_list().contains("windowed") {
        return true;
    }
    let cell = button.get_bounding_client_rect();
    if let Some(head) = table.query_selector("thead").ok().flatten() {
        let under = head.get_bounding_client_rect().bottom() - cell.top();
        if under > 0.0 {
            if let Some(s) = scroller(table, true) {
                s.scroll_by_with_x_and_y(0.0, -(under + 4.0));
            }
        }
    }
    let row_head = format!(r#"th[data-r="{r}"]"#);
    if let Some(rh) = table.query_selector(&row_head).ok().flatten() {
        let under = rh.get_bounding_client_rect().right() - cell.left();
        if under > 0.0 {
            if let Some(s) = scroller(table, false) {
                s.scroll_by_with_x_and_y(-(under + 4.0), 0.0);
            }
        }
    }
    true
}
