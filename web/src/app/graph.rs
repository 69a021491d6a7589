//! The graph view model: namespaces as boxes on a grid, endpoints inside them, and every allowed
//! flow (except a pod to itself) as a curved arrow. Past [`MAX_POD_GRAPH`] endpoints the arrows
//! would be unreadable: the graph becomes one node per namespace, with arrows that count the
//! allowed flows between them.

use super::evaluation::{natural_cmp, Evaluation};
use super::matrix::{Mark, MatrixVm};
use serde::{Deserialize, Serialize};

/// Node radius and layout constants of the graph (SVG user units).
pub const NODE_R: f64 = 16.0;
const CELL_W: f64 = 96.0;
const CELL_H: f64 = 78.0;
const BOX_PAD_X: f64 = 14.0;
const BOX_PAD_TOP: f64 = 34.0;
const BOX_PAD_BOTTOM: f64 = 10.0;
const GAP: f64 = 34.0;
/// The most endpoints the graph draws one by one; past it, one node per namespace.
pub const MAX_POD_GRAPH: usize = 30;
/// The grid of the namespace-level graph.
const NS_CELL_W: f64 = 190.0;
const NS_CELL_H: f64 = 130.0;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoxVm {
    pub label: String,
    pub external: bool,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EdgeVm {
    pub from: usize,
    pub to: usize,
    /// SVG path data.
    pub d: String,
    /// All-ports mode: allowed on only some ports.
    pub partial: bool,
    pub title: String,
    /// The flow (from, to endpoint names) a click explains: the arrow's, or on the
    /// namespace-level graph the first allowed flow between the two namespaces.
    pub flow: (String, String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GraphVm {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<BoxVm>,
    pub nodes: Vec<NodeVm>,
    pub edges: Vec<EdgeVm>,
    pub selected: Option<(usize, usize)>,
    /// On the namespace-level graph: what it shows instead of the pods.
    pub summary: Option<String>,
}

/// Lays out namespaces as boxes on a grid (pods on a small grid inside each), externals in a last
/// box, and draws every allowed flow (except a pod to itself) as a curved arrow.
/// The verdicts and titles of the flows are the matrix's (`m`).
pub fn graph_vm(ev: &Evaluation, m: &MatrixVm, selected: Option<(usize, usize)>) -> GraphVm {
    let groups = groups(ev);
    if ev.n() > MAX_POD_GRAPH {
        return namespace_graph(ev, m, &groups);
    }
    pod_graph(ev, m, selected, groups)
}

/// Every namespace (also empty ones, in natural order), then the externals: (label, external,
/// members).
fn groups(ev: &Evaluation) -> Vec<(String, bool, Vec<usize>)> {
    let mut namespaces: Vec<&String> = ev.namespaces.iter().collect();
    namespaces.sort_by(|a, b| natural_cmp(a, b));
    let mut groups: Vec<(String, bool, Vec<usize>)> = namespaces
        .into_iter()
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
    groups
}

fn pod_graph(
    ev: &Evaluation,
    m: &MatrixVm,
    selected: Option<(usize, usize)>,
    groups: Vec<(String, bool, Vec<usize>)>,
) -> GraphVm {
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
            let mark = m.mark(from, to);
            if !mark.allows() {
                continue;
            }
            let (a, b) = (pos[from], pos[to]);
            let both = m.mark(to, from).allows();
            edges.push(EdgeVm {
                from,
                to,
                d: edge_path(a, b, both),
                partial: mark == Mark::SomePorts,
                title: m.title(from, to),
                flow: (
                    ev.endpoints[from].name.clone(),
                    ev.endpoints[to].name.clone(),
                ),
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
        summary: None,
    }
}

/// One node per namespace (and one for the externals) on a grid; an arrow from one to another
/// when some flow between them is allowed, titled with how many of their flows are. The nodes
/// are numbered after the endpoints, so that the highlights of endpoints never pick one.
fn namespace_graph(
    ev: &Evaluation,
    m: &MatrixVm,
    groups: &[(String, bool, Vec<usize>)],
) -> GraphVm {
    let k = groups.len();
    let cols = ((k as f64).sqrt().ceil() as usize).max(1);
    let rows = k.div_ceil(cols).max(1);
    let pos = |g: usize| {
        (
            GAP + (g % cols) as f64 * NS_CELL_W + NS_CELL_W / 2.0,
            GAP + (g / cols) as f64 * NS_CELL_H + NS_CELL_H / 2.0 - 12.0,
        )
    };
    // (allowed, flows, first allowed flow) between every two groups.
    let mut counts = vec![(0usize, 0usize, None); k * k];
    let mut group_of = vec![0; ev.n()];
    for (g, (_, _, members)) in groups.iter().enumerate() {
        for &m in members {
            group_of[m] = g;
        }
    }
    for from in 0..ev.n() {
        for to in 0..ev.n() {
            if from == to {
                continue;
            }
            let mark = m.mark(from, to);
            if mark == Mark::NotApplicable {
                continue;
            }
            let c = &mut counts[group_of[from] * k + group_of[to]];
            c.1 += 1;
            if mark.allows() {
                c.0 += 1;
                c.2.get_or_insert((from, to));
            }
        }
    }
    let label = |g: usize| {
        let (name, external, _) = &groups[g];
        if *external {
            name.clone()
        } else {
            format!("namespace {name}")
        }
    };
    let nodes = groups
        .iter()
        .enumerate()
        .map(|(g, (name, external, members))| {
            let (x, y) = pos(g);
            let (inside, pairs, _) = counts[g * k + g];
            let what = if *external { "endpoint" } else { "pod" };
            let n = members.len();
            NodeVm {
                index: ev.n() + g,
                name: name.clone(),
                short: format!("{name} · {n} {what}{}", if n == 1 { "" } else { "s" }),
                detail: format!("{inside} of {pairs} flows inside allowed"),
                x,
                y,
                external: *external,
                ingress_isolated_by: Vec::new(),
                egress_isolated_by: Vec::new(),
            }
        })
        .collect();
    let mut edges = Vec::new();
    for a in 0..k {
        for b in 0..k {
            let (allowed, pairs, first) = counts[a * k + b];
            let Some((from, to)) = first.filter(|_| a != b) else {
                continue;
            };
            let both = counts[b * k + a].0 > 0;
            edges.push(EdgeVm {
                from: ev.n() + a,
                to: ev.n() + b,
                d: edge_path(pos(a), pos(b), both),
                partial: allowed < pairs,
                title: format!(
                    "{} → {}: {allowed} of {pairs} flows allowed; click to explain {} → {}",
                    label(a),
                    label(b),
                    ev.endpoints[from].name,
                    ev.endpoints[to].name
                ),
                flow: (
                    ev.endpoints[from].name.clone(),
                    ev.endpoints[to].name.clone(),
                ),
            });
        }
    }
    GraphVm {
        width: 2.0 * GAP + cols as f64 * NS_CELL_W,
        height: 2.0 * GAP + rows as f64 * NS_CELL_H,
        boxes: Vec::new(),
        nodes,
        edges,
        selected: None,
        summary: Some(format!(
            "{} endpoints are too many to draw one by one: one node per namespace, and an arrow \
             where some flow is allowed (dashed: not all of them). Hover an arrow for the count; \
             the matrix shows every flow.",
            ev.n()
        )),
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
