//! The graph view model: namespaces as boxes on a grid, endpoints inside them, and every allowed
//! flow (except a pod to itself) as a curved arrow.

use super::evaluation::{Evaluation, PortChoice};
use super::matrix::{cell_title, flow_mark, Mark};

/// Node radius and layout constants of the graph (SVG user units).
pub const NODE_R: f64 = 16.0;
const CELL_W: f64 = 96.0;
const CELL_H: f64 = 78.0;
const BOX_PAD_X: f64 = 14.0;
const BOX_PAD_TOP: f64 = 34.0;
const BOX_PAD_BOTTOM: f64 = 10.0;
const GAP: f64 = 34.0;

#[derive(Clone, Debug, PartialEq)]
pub struct NodeVm {
    pub index: usize,
    pub name: String,
    pub short: String,
    pub detail: String,
    pub x: f64,
    pub y: f64,
    pub external: bool,
    pub ingress_isolated_by: Vec<String>,
    pub egress_isolated_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoxVm {
    pub label: String,
    pub external: bool,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeVm {
    pub from: usize,
    pub to: usize,
    /// SVG path data.
    pub d: String,
    /// All-ports mode: allowed on only some ports.
    pub partial: bool,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphVm {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<BoxVm>,
    pub nodes: Vec<NodeVm>,
    pub edges: Vec<EdgeVm>,
    pub selected: Option<(usize, usize)>,
}

/// Lays out namespaces as boxes on a grid (pods on a small grid inside each), externals in a last
/// box, and draws every allowed flow (except a pod to itself) as a curved arrow.
pub fn graph_vm(ev: &Evaluation, choice: PortChoice, selected: Option<(usize, usize)>) -> GraphVm {
    // Groups: every namespace (also empty ones), then the externals.
    let mut groups: Vec<(String, bool, Vec<usize>)> = ev
        .namespaces
        .iter()
        .map(|ns| {
            let members = (0..ev.n())
                .filter(|&i| ev.endpoints[i].namespace.as_deref() == Some(ns))
                .collect();
            (ns.clone(), false, members)
        })
        .collect();
    let ext: Vec<usize> = (0..ev.n()).filter(|&i| ev.endpoints[i].external).collect();
    if !ext.is_empty() {
        groups.push(("outside the cluster".to_string(), true, ext));
    }
    let count = groups.len().max(1);
    let grid_cols = if count <= 3 {
        count
    } else {
        (count as f64).sqrt().ceil() as usize
    };
    // Each box holds its members on a grid of at most 3 columns.
    let dims: Vec<(usize, usize)> = groups
        .iter()
        .map(|(_, _, m)| {
            let cols = m.len().clamp(1, 3);
            let rows = m.len().div_ceil(cols).max(1);
            (cols, rows)
        })
        .collect();
    let col_w: Vec<f64> = (0..grid_cols)
        .map(|c| {
            dims.iter()
                .enumerate()
                .filter(|(i, _)| i % grid_cols == c)
                .map(|(i, d)| {
                    let label = if groups[i].1 {
                        groups[i].0.clone()
                    } else {
                        format!("namespace {}", groups[i].0)
                    };
                    (d.0 as f64 * CELL_W).max(measure(&label) + 4.0)
                })
                .fold(CELL_W, f64::max)
                + 2.0 * BOX_PAD_X
        })
        .collect();
    let grid_rows = count.div_ceil(grid_cols);
    let row_h: Vec<f64> = (0..grid_rows)
        .map(|r| {
            dims.iter()
                .enumerate()
                .filter(|(i, _)| i / grid_cols == r)
                .map(|(_, d)| d.1 as f64 * CELL_H)
                .fold(CELL_H, f64::max)
                + BOX_PAD_TOP
                + BOX_PAD_BOTTOM
        })
        .collect();
    let mut boxes = Vec::new();
    let mut pos = vec![(0.0, 0.0); ev.n()];
    for (i, (label, external, members)) in groups.iter().enumerate() {
        let (gc, gr) = (i % grid_cols, i / grid_cols);
        let x = GAP / 2.0 + col_w[..gc].iter().map(|w| w + GAP).sum::<f64>();
        let y = GAP / 2.0 + row_h[..gr].iter().map(|h| h + GAP).sum::<f64>();
        let (w, h) = (col_w[gc], row_h[gr]);
        boxes.push(BoxVm {
            label: label.clone(),
            external: *external,
            x,
            y,
            w,
            h,
        });
        let (cols, _) = dims[i];
        let inner_w = cols as f64 * CELL_W;
        let x0 = x + (w - inner_w) / 2.0;
        for (k, &m) in members.iter().enumerate() {
            let (c, r) = (k % cols, k / cols);
            pos[m] = (
                x0 + (c as f64 + 0.5) * CELL_W,
                y + BOX_PAD_TOP + (r as f64 + 0.5) * CELL_H - 8.0,
            );
        }
    }
    let width = GAP / 2.0 + col_w.iter().map(|w| w + GAP).sum::<f64>() - GAP / 2.0;
    let height = GAP / 2.0 + row_h.iter().map(|h| h + GAP).sum::<f64>() - GAP / 2.0;
    let nodes = ev
        .endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| NodeVm {
            index: i,
            name: e.name.clone(),
            short: e.short.clone(),
            detail: e.detail.clone(),
            x: pos[i].0,
            y: pos[i].1,
            external: e.external,
            ingress_isolated_by: e.ingress_isolated_by.clone(),
            egress_isolated_by: e.egress_isolated_by.clone(),
        })
        .collect();
    let mut edges = Vec::new();
    for from in 0..ev.n() {
        for to in 0..ev.n() {
            if from == to {
                continue;
            }
            let (mark, ports) = flow_mark(ev, from, to, choice);
            if !mark.allows() {
                continue;
            }
            let (a, b) = (pos[from], pos[to]);
            let both = flow_mark(ev, to, from, choice).0.allows();
            edges.push(EdgeVm {
                from,
                to,
                d: edge_path(a, b, both),
                partial: mark == Mark::SomePorts,
                title: cell_title(ev, from, to, mark, choice, &ports),
            });
        }
    }
    GraphVm {
        width,
        height,
        boxes,
        nodes,
        edges,
        selected,
    }
}

/// A rough text width for labels (SVG units, 12px font).
fn measure(s: &str) -> f64 {
    s.chars().count() as f64 * 7.8
}

/// A gently curved path from `a` to `b`, trimmed to the node circles; curved more when the flow
/// also goes the other way, so both arrows stay visible.
fn edge_path(a: (f64, f64), b: (f64, f64), both: bool) -> String {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // Perpendicular (to the left of the direction of travel).
    let (px, py) = (-uy, ux);
    // Edges along a row or column would run through the nodes in between: bend them. Flows in
    // both directions are drawn as two parallel tracks.
    let aligned = (dx.abs() < 1.0 || dy.abs() < 1.0) && len > CELL_W * 1.2;
    let bend = if aligned {
        0.2 * len.min(420.0)
    } else {
        0.04 * len.min(260.0)
    };
    let off = if both { 3.5 } else { 0.0 };
    let (sx, sy) = (
        a.0 + ux * (NODE_R + 2.0) + px * off,
        a.1 + uy * (NODE_R + 2.0) + py * off,
    );
    let (ex, ey) = (
        b.0 - ux * (NODE_R + 6.0) + px * off,
        b.1 - uy * (NODE_R + 6.0) + py * off,
    );
    let (cx, cy) = ((sx + ex) / 2.0 + px * bend, (sy + ey) / 2.0 + py * bend);
    format!("M{sx:.1},{sy:.1} Q{cx:.1},{cy:.1} {ex:.1},{ey:.1}")
}
