//! The result views: the flow matrix and the graph. Both get their data from the view model and
//! report clicks and hovers; highlighting on hover is done with a generated stylesheet (see
//! `highlight_css`), so hovering never re-renders these (large) components.

use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::app::{
    around, body_lines, grid_key, line_of_row, move_focus, tier_mark, tier_value, windowed,
    BodyLine, GraphVm, HeaderVm, Mark, MatrixVm, NODE_R,
};
use crate::grid::{attr_usize, focus_cell, measure, Geom, Win, COL_PX, ROW_PX};

/// A flow picked in a view: `(from, to)` endpoint names.
pub type Pick = (String, String);

/// The element at or above the event target matching `selector`.
fn closest(e: &web_sys::Event, selector: &str) -> Option<Element> {
    e.target()?
        .dyn_into::<Element>()
        .ok()?
        .closest(selector)
        .ok()?
}

#[derive(Properties, PartialEq)]
pub struct MatrixProps {
    pub vm: Rc<MatrixVm>,
    pub on_select: Callback<Pick>,
    pub on_hover: Callback<Option<String>>,
}

/// The CSS class of a verdict.
pub fn mark_class(m: Mark) -> &'static str {
    match m {
        Mark::Allow | Mark::AllPorts => "v-allow",
        Mark::Deny | Mark::NoPorts => "v-deny",
        Mark::SomePorts => "v-some",
        Mark::NotApplicable => "v-na",
    }
}

/// The flow matrix: a grid with one tab stop (the arrow keys, Home/End and PageUp/PageDown move
/// between cells; Enter or Space explains the focused flow). Past [`crate::app::WINDOW_FROM`] endpoints it
/// renders only the cells in view, with spacers standing for the rest and sticky headers.
#[function_component(MatrixView)]
pub fn matrix_view(p: &MatrixProps) -> Html {
    let vm = &p.vm;
    let n = vm.headers.len();
    let big = windowed(n);
    let lines = body_lines(&vm.groups);
    let window = use_state_eq(|| Win {
        rows: 0..40,
        cols: 0..30,
    });
    let active = use_state_eq(|| vm.selected.unwrap_or((0, 0)));
    let pending = use_mut_ref(|| None::<(usize, usize)>);
    let geom = use_mut_ref(|| Geom {
        lines: 0,
        n: 0,
        win: Win {
            rows: 0..0,
            cols: 0..0,
        },
        pitch: (COL_PX, ROW_PX),
        page: 10,
    });
    let table_ref = use_node_ref();
    let win = if big {
        Win {
            rows: window.rows.start.min(lines.len())..window.rows.end.min(lines.len()),
            cols: window.cols.start.min(n)..window.cols.end.min(n),
        }
    } else {
        Win {
            rows: 0..lines.len(),
            cols: 0..n,
        }
    };
    {
        let mut g = geom.borrow_mut();
        g.lines = lines.len();
        g.n = n;
        g.win = win.clone();
    }
    let (col_px, row_px) = geom.borrow().pitch;
    // After every render: focus the cell a key moved to, and fit the window to the view.
    {
        let (table_ref, pending, geom, window) = (
            table_ref.clone(),
            pending.clone(),
            geom.clone(),
            window.setter(),
        );
        use_effect(move || {
            if let Some(table) = table_ref.cast::<Element>() {
                if let Some(to) = pending.borrow_mut().take() {
                    focus_cell(&table, to);
                }
                if big {
                    if let Some(w) = measure(&table, &mut geom.borrow_mut()) {
                        window.set(w);
                    }
                }
            }
        });
    }
    // While the matrix is windowed: refit the window whenever anything scrolls or resizes.
    {
        let (table_ref, geom, window) = (table_ref.clone(), geom.clone(), window.setter());
        use_effect_with(big, move |&big| {
            let listen = big.then(|| {
                let refit = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
                    if let Some(table) = table_ref.cast::<Element>() {
                        if let Some(w) = measure(&table, &mut geom.borrow_mut()) {
                            window.set(w);
                        }
                    }
                });
                let w = web_sys::window();
                if let Some(w) = &w {
                    let f = refit.as_ref().unchecked_ref();
                    let _ = w.add_event_listener_with_callback_and_bool("scroll", f, true);
                    let _ = w.add_event_listener_with_callback("resize", f);
                }
                (w, refit)
            });
            move || {
                if let Some((Some(w), refit)) = listen {
                    let f = refit.as_ref().unchecked_ref();
                    let _ = w.remove_event_listener_with_callback_and_bool("scroll", f, true);
                    let _ = w.remove_event_listener_with_callback("resize", f);
                }
            }
        });
    }
    let onclick = {
        let cb = p.on_select.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(b) = closest(&e, "button[data-from]") {
                if let (Some(f), Some(t)) =
                    (b.get_attribute("data-from"), b.get_attribute("data-to"))
                {
                    cb.emit((f, t));
                }
            }
        })
    };
    let onkeydown = {
        let (table_ref, pending, geom, window) = (
            table_ref.clone(),
            pending.clone(),
            geom.clone(),
            window.setter(),
        );
        let lines = lines.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(td) = closest(&e, "td[data-r][data-c]") else {
                return;
            };
            let (Some(r), Some(c)) = (attr_usize(&td, "data-r"), attr_usize(&td, "data-c")) else {
                return;
            };
            let Some(key) = grid_key(&e.key(), e.ctrl_key() || e.meta_key()) else {
                return;
            };
            e.prevent_default();
            let Some(table) = table_ref.cast::<Element>() else {
                return;
            };
            let to = move_focus((r, c), key, n, geom.borrow().page);
            if focus_cell(&table, to) {
                return;
            }
            // Out of the window: render a window around the cell, focus it after the render.
            *pending.borrow_mut() = Some(to);
            let g = geom.borrow();
            let line = line_of_row(&lines, to.0).unwrap_or(0);
            window.set(Win {
                rows: around(line, g.win.rows.len().max(1), g.lines),
                cols: around(to.1, g.win.cols.len().max(1), g.n),
            });
        })
    };
    let hover_in = {
        let cb = p.on_hover.clone();
        move |e: &web_sys::Event| {
            if let Some(h) = closest(e, "[data-ep]") {
                cb.emit(h.get_attribute("data-ep"));
            }
        }
    };
    let onmouseover = {
        let f = hover_in.clone();
        Callback::from(move |e: MouseEvent| f(&e))
    };
    let onfocusin = {
        let active = active.clone();
        Callback::from(move |e: FocusEvent| {
            hover_in(&e);
            if let Some(td) = closest(&e, "td[data-r][data-c]") {
                if let (Some(r), Some(c)) = (attr_usize(&td, "data-r"), attr_usize(&td, "data-c")) {
                    active.set((r, c));
                }
            }
        })
    };
    let onmouseleave = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let onfocusout = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: FocusEvent| cb.emit(None))
    };
    let group_start: Vec<bool> = {
        let mut v = vec![false; n];
        for g in &vm.groups {
            if g.start < n {
                v[g.start] = true;
            }
        }
        v
    };
    // The one tab stop: the active cell when it is rendered, else the first cell rendered.
    let active_cell = (
        active.0.min(n.saturating_sub(1)),
        active.1.min(n.saturating_sub(1)),
    );
    let active_shown = line_of_row(&lines, active_cell.0).is_some_and(|l| win.rows.contains(&l))
        && win.cols.contains(&active_cell.1);
    let tab_cell = if active_shown {
        Some(active_cell)
    } else {
        lines[win.rows.clone()]
            .iter()
            .find_map(|l| match l {
                BodyLine::Row(r) => Some(*r),
                BodyLine::Group(_) => None,
            })
            .map(|r| (r, win.cols.start))
    };
    let iso = |ingress: bool, egress: bool| {
        html! {
            <>
                if ingress { <span class="iso iso-in" title="ingress-isolated">{ "⇥" }</span> }
                if egress { <span class="iso iso-out" title="egress-isolated">{ "↦" }</span> }
            </>
        }
    };
    // Spacers stand for the columns left and right of the window (windowed matrices only).
    let spacer = |cols: usize, head: bool| -> Html {
        if !big {
            return html! {};
        }
        let style = format!("width: {0}px; min-width: {0}px", cols as f64 * col_px);
        if head {
            html! { <th class="spacer" aria-hidden="true" {style}></th> }
        } else {
            html! { <td class="spacer" aria-hidden="true" {style}></td> }
        }
    };
    let (left_cols, right_cols) = (win.cols.start, n - win.cols.end);
    let row_index = |i: usize| big.then(|| (i + 3).to_string());
    let col_index = |c: usize| big.then(|| (c + 2).to_string());
    // Short names (the e2e model's a, b, c) read better upright; longer ones are rotated.
    let rotate = vm.headers.iter().any(|h| h.short.chars().count() > 3);
    let col_heads = win.cols.clone().map(|i| {
        let h = &vm.headers[i];
        html! {
            <th scope="col" role="columnheader" class={classes!("col-head", group_start[i].then_some("gs"), h.external.then_some("ext"))}
                data-c={i.to_string()} data-ep={h.name.clone()} data-kind={h.kind} title={head_title(h)}
                aria-colindex={col_index(i)} aria-label={format!("to {}", head_name(h))}>
                <span class={if rotate { "vert" } else { "horiz" }}>{ &h.short }{ kind_badge(h) }</span>
                { iso(h.ingress_isolated, h.egress_isolated) }
            </th>
        }
    });
    let span = 1 + win.cols.len() + if big { 2 } else { 0 };
    let rows = lines[win.rows.clone()].iter().enumerate().map(|(k, line)| {
        let li = win.rows.start + k;
        let r = match *line {
            BodyLine::Group(gi) => {
                let g = &vm.groups[gi];
                return html! {
                    <tr class="ns-row" role="row" aria-rowindex={row_index(li)}>
                        <th scope="rowgroup" role="rowheader" colspan={span.to_string()} class={classes!(g.external.then_some("ext"))} aria-colindex={col_index(0).map(|_| "1".to_string())}>
                            <span class="ns-label">{ if g.external { g.label.clone() } else { format!("namespace {}", g.label) } }</span>
                        </th>
                    </tr>
                };
            }
            BodyLine::Row(r) => r,
        };
        let h = &vm.headers[r];
        let cells = win.cols.clone().map(|c| {
            let cell = vm.cell(r, c);
            let sel = vm.selected == Some((r, c));
            let tab = if tab_cell == Some((r, c)) { "0" } else { "-1" };
            let tier = cell.tier.as_ref().and_then(|t| tier_mark(t.tier));
            html! {
                <td role="gridcell" data-r={r.to_string()} data-c={c.to_string()} class={classes!(group_start[c].then_some("gs"))} aria-colindex={col_index(c)}>
                    <button type="button" tabindex={tab}
                        class={classes!("cell", mark_class(cell.mark), sel.then_some("selected"), (r == c).then_some("self"), tier.is_some().then_some("tiered"))}
                        data-from={h.name.clone()} data-to={vm.headers[c].name.clone()}
                        data-verdict={cell.mark.verdict()}
                        data-tier={cell.tier.as_ref().map(|t| tier_value(t.tier))}
                        aria-label={cell.title.clone()} title={cell.title.clone()}
                        aria-pressed={if sel { "true" } else { "false" }}>
                        { cell.mark.symbol() }
                        if let Some(m) = tier {
                            <span class={classes!("tier-mark", format!("tm-{}", m.to_lowercase()))} aria-hidden="true">{ m }</span>
                        }
                    </button>
                </td>
            }
        });
        html! {
            <tr class="m-row" role="row" data-line={li.to_string()} aria-rowindex={row_index(li)}>
                <th scope="row" role="rowheader" class={classes!("row-head", h.external.then_some("ext"))} data-r={r.to_string()}
                    data-ep={h.name.clone()} data-kind={h.kind} title={head_title(h)}
                    aria-colindex={col_index(0).map(|_| "1".to_string())} aria-label={format!("from {}", head_name(h))}>
                    <span class="rh-name">{ &h.short }</span>{ kind_badge(h) }
                    { iso(h.ingress_isolated, h.egress_isolated) }
                </th>
                { spacer(left_cols, false) }
                { for cells }
                { spacer(right_cols, false) }
            </tr>
        }
    });
    let col_groups = vm.groups.iter().filter_map(|g| {
        let start = g.start.max(win.cols.start);
        let end = (g.start + g.len).min(win.cols.end);
        (start < end).then(|| {
            html! {
                <th scope="colgroup" role="columnheader" colspan={(end - start).to_string()} aria-colindex={col_index(start)}
                    class={classes!("ns-col", (start == g.start).then_some("gs"), g.external.then_some("ext"))}>
                    <span>{ &g.label }</span>
                </th>
            }
        })
    });
    let spacer_row = |lines: usize| {
        (big && lines > 0).then(|| {
            let style = format!("height: {}px", lines as f64 * row_px);
            html! { <tr class="spacer" aria-hidden="true" {style}><td colspan={span.to_string()}></td></tr> }
        })
    };
    let caption = format!(
        "Flows on {}: rows are sources, columns destinations; arrow keys move between cells, Enter explains one",
        vm.port_label
    );
    html! {
        <div class={classes!("matrix-wrap", big.then_some("windowed"))} data-testid="matrix" data-windowed={big.then_some("true")}>
            <table class={classes!("matrix", big.then_some("windowed"))} role="grid" ref={table_ref}
                aria-rowcount={big.then(|| (lines.len() + 2).to_string())} aria-colcount={big.then(|| (n + 1).to_string())}
                {onclick} {onkeydown} {onmouseover} {onmouseleave} {onfocusin} {onfocusout}>
                <caption class="sr-only">{ caption }</caption>
                <thead>
                    <tr role="row" aria-rowindex={row_index(0).map(|_| "1".to_string())}>
                        <th class="corner" rowspan="2" scope="col" role="columnheader" aria-colindex={col_index(0).map(|_| "1".to_string())}>
                            <span class="corner-to">{ "to →" }</span>
                            <span class="corner-from">{ "from ↓" }</span>
                        </th>
                        { spacer(left_cols, true) }
                        { for col_groups }
                        { spacer(right_cols, true) }
                    </tr>
                    <tr role="row" aria-rowindex={row_index(0).map(|_| "2".to_string())}>
                        { spacer(left_cols, true) }
                        { for col_heads }
                        { spacer(right_cols, true) }
                    </tr>
                </thead>
                <tbody>
                    { for spacer_row(win.rows.start) }
                    { for rows }
                    { for spacer_row(lines.len() - win.rows.end) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct GraphProps {
    pub vm: Rc<GraphVm>,
    pub on_select: Callback<Pick>,
    pub on_hover: Callback<Option<String>>,
}

#[function_component(GraphView)]
pub fn graph_view(p: &GraphProps) -> Html {
    let vm = &p.vm;
    let pick = {
        let cb = p.on_select.clone();
        move |e: &web_sys::Event| {
            if let Some(g) = closest(e, "[data-from]") {
                if let (Some(f), Some(t)) =
                    (g.get_attribute("data-from"), g.get_attribute("data-to"))
                {
                    cb.emit((f, t));
                }
            }
        }
    };
    let onclick = {
        let pick = pick.clone();
        Callback::from(move |e: MouseEvent| pick(&e))
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            pick(&e);
        }
    });
    let hover_in = {
        let cb = p.on_hover.clone();
        move |e: &web_sys::Event| {
            if let Some(h) = closest(e, "[data-ep]") {
                cb.emit(h.get_attribute("data-ep"));
            }
        }
    };
    let onmouseover = {
        let f = hover_in.clone();
        Callback::from(move |e: MouseEvent| f(&e))
    };
    let onfocusin = Callback::from(move |e: FocusEvent| hover_in(&e));
    let leave = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let onfocusout = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: FocusEvent| cb.emit(None))
    };
    let boxes = vm.boxes.iter().map(|b| {
        html! {
            <g class={classes!("ns-box", b.external.then_some("ext"))}>
                <rect x={fmt(b.x)} y={fmt(b.y)} width={fmt(b.w)} height={fmt(b.h)} rx="14" />
            </g>
        }
    });
    let titles = vm.boxes.iter().map(|b| {
        html! {
            <text x={fmt(b.x + 12.0)} y={fmt(b.y + 21.0)} class={classes!("ns-title", b.external.then_some("ext"))}>
                { if b.external { b.label.clone() } else { format!("namespace {}", b.label) } }
            </text>
        }
    });
    let edges = vm.edges.iter().map(|e| {
        let sel = vm.selected == Some((e.from, e.to));
        html! {
            <g class={classes!("edge", e.partial.then_some("partial"), sel.then_some("selected"))}
                data-from={e.flow.0.clone()} data-to={e.flow.1.clone()}
                data-f={e.from.to_string()} data-t={e.to.to_string()}
                tabindex="0" role="button" aria-label={format!("{} — explain", e.title)}>
                <title>{ &e.title }</title>
                <path class="hit" d={e.d.clone()} />
                <path class="line" d={e.d.clone()} marker-end={if sel { "url(#arrow-sel)" } else { "url(#arrow)" }} />
            </g>
        }
    });
    let nodes = vm.nodes.iter().map(|n| {
        let (x, y) = (n.x, n.y);
        let shape = if n.external {
            let r = NODE_R + 2.0;
            html! { <polygon class="shape" points={format!("{},{} {},{} {},{} {},{}", fmt(x), fmt(y - r), fmt(x + r), fmt(y), fmt(x), fmt(y + r), fmt(x - r), fmt(y))} /> }
        } else {
            html! { <circle class="shape" cx={fmt(x)} cy={fmt(y)} r={fmt(NODE_R)} /> }
        };
        let mut desc = vec![n.detail.clone()];
        if !n.ingress_isolated_by.is_empty() {
            desc.push(format!("ingress policies: {}", n.ingress_isolated_by.join(", ")));
        }
        if !n.egress_isolated_by.is_empty() {
            desc.push(format!("egress policies: {}", n.egress_isolated_by.join(", ")));
        }
        let title = format!("{} — {}", n.name, desc.join("; "));
        let bar = |dx: f64, by: &[String], dir: &str, cls: &str| {
            (!by.is_empty()).then(|| {
                html! {
                    <rect class={classes!("iso-bar", cls.to_string())} x={fmt(x + dx - 2.5)} y={fmt(y - 11.0)} width="5" height="22" rx="2">
                        <title>{ format!("{} · {dir} policies: {}", n.name, by.join(", ")) }</title>
                    </rect>
                }
            })
        };
        html! {
            <g class={classes!("node", n.external.then_some("ext"))} data-ep={n.name.clone()} data-i={n.index.to_string()}
                tabindex="0" aria-label={title.clone()}>
                <title>{ title }</title>
                { shape }
                { for bar(-(NODE_R + 6.0), &n.ingress_isolated_by, "ingress", "in") }
                { for bar(NODE_R + 6.0, &n.egress_isolated_by, "egress", "out") }
                <text x={fmt(x)} y={fmt(y + NODE_R + 16.0)} class="node-label">{ &n.short }</text>
            </g>
        }
    });
    let empty = vm.nodes.is_empty();
    html! {
        <div class="graph-wrap">
            if let Some(note) = &vm.summary {
                <p class="graph-note muted" data-testid="graph-summary">{ note }</p>
            }
            <svg class="graph" viewBox={format!("0 0 {} {}", fmt(vm.width), fmt(vm.height))}
                width={fmt(vm.width)} height={fmt(vm.height)}
                role="group" aria-label="Graph of allowed flows: namespaces as boxes, pods as circles, external endpoints as diamonds"
                {onclick} {onkeydown} {onmouseover} onmouseleave={leave} {onfocusin} {onfocusout}>
                <defs>
                    <marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead" />
                    </marker>
                    <marker id="arrow-sel" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
                        <path d="M0,0 L10,5 L0,10 z" class="arrowhead sel" />
                    </marker>
                </defs>
                { for boxes }
                <g class="edges">{ for edges }</g>
                <g class="nodes">{ for nodes }</g>
                <g class="titles" aria-hidden="true">{ for titles }</g>
            </svg>
            if empty { <p class="muted">{ "No pods yet — add some to the Cluster editor." }</p> }
        </div>
    }
}

fn fmt(v: f64) -> String {
    format!("{v:.1}")
}

/// The stylesheet that highlights the hovered endpoint's flows and the selected policy's pods and
/// flows.
pub fn highlight_css(
    hover: Option<usize>,
    policy_pods: &[usize],
    policy_flows: &[(usize, usize)],
) -> String {
    let mut css = String::new();
    if let Some(h) = hover {
        css.push_str(&format!(
            ".matrix td .cell{{opacity:.28}}\
             .matrix td[data-r=\"{h}\"] .cell,.matrix td[data-c=\"{h}\"] .cell{{opacity:1}}\
             .matrix th[data-r=\"{h}\"],.matrix th[data-c=\"{h}\"]{{background:var(--hover-bg);color:var(--fg-strong)}}\
             .matrix td[data-r=\"{h}\"],.matrix td[data-c=\"{h}\"]{{background:var(--hover-bg)}}\
             .graph .edge{{opacity:.12}}\
             .graph .edge[data-f=\"{h}\"],.graph .edge[data-t=\"{h}\"]{{opacity:1}}\
             .graph .edge[data-f=\"{h}\"] .line{{stroke:var(--out-edge)}}\
             .graph .edge[data-t=\"{h}\"] .line{{stroke:var(--in-edge)}}\
             .graph .node{{opacity:.45}}.graph .node[data-i=\"{h}\"]{{opacity:1}}"
        ));
    }
    for &i in policy_pods {
        css.push_str(&format!(
            ".matrix th[data-r=\"{i}\"],.matrix th[data-c=\"{i}\"]{{box-shadow:inset 0 -3px 0 var(--accent);color:var(--accent-strong)}}\
             .graph .node[data-i=\"{i}\"] .shape{{stroke:var(--accent);stroke-width:4}}"
        ));
    }
    // One rule per source row and view: a policy can help allow tens of thousands of flows.
    let mut flows = policy_flows.to_vec();
    flows.sort_by_key(|&(f, _)| f);
    for row in flows.chunk_by(|a, b| a.0 == b.0) {
        let f = row[0].0;
        let any = |attr: &str| {
            let list: Vec<String> = row
                .iter()
                .map(|(_, t)| format!("[{attr}=\"{t}\"]"))
                .collect();
            list.join(",")
        };
        css.push_str(&format!(
            ".matrix td[data-r=\"{f}\"]:is({}) .cell{{box-shadow:0 0 0 2px var(--accent)}}\
             .graph .edge[data-f=\"{f}\"]:is({}) .line{{stroke:var(--accent);stroke-width:3}}",
            any("data-c"),
            any("data-t")
        ));
    }
    css
}

/// A header's tooltip: the endpoint, its workload kind (if any) and its details.
fn head_title(h: &HeaderVm) -> String {
    match h.badge {
        Some(_) => format!("{} — {} · {}", h.name, h.kind, h.detail),
        None => format!("{} — {}", h.name, h.detail),
    }
}

/// A header's accessible name: the endpoint, with its workload kind in words.
fn head_name(h: &HeaderVm) -> String {
    match h.badge {
        Some(_) => format!("{} ({})", h.name, h.kind),
        None => h.name.clone(),
    }
}

/// The small kind badge of a workload endpoint (text, with the full kind as its title).
fn kind_badge(h: &HeaderVm) -> Html {
    match h.badge {
        Some(b) => html! {
            <span class="kind-badge" title={h.kind} aria-hidden="true" data-testid="kind-badge">{ b }</span>
        },
        None => html! {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flows_of_a_policy_are_highlighted_one_rule_per_row() {
        let css = highlight_css(None, &[], &[(1, 5), (3, 4), (1, 2)]);
        let rules = [
            r#".matrix td[data-r="1"]:is([data-c="5"],[data-c="2"]) .cell{"#,
            r#".graph .edge[data-f="1"]:is([data-t="5"],[data-t="2"]) .line{"#,
            r#".matrix td[data-r="3"]:is([data-c="4"]) .cell{"#,
            r#".graph .edge[data-f="3"]:is([data-t="4"]) .line{"#,
        ];
        for r in rules {
            assert!(css.contains(r), "{r} in {css}");
        }
        assert_eq!(css.matches(".cell{").count(), 2);
        assert!(highlight_css(None, &[], &[]).is_empty());
    }
}
