//! The result views: the flow matrix and the graph. Both get their data from the view model and
//! report clicks and hovers; highlighting on hover is done with a generated stylesheet (see
//! `highlight_css`), so hovering never re-renders these (large) components.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::Element;
use yew::prelude::*;

use crate::app::{tier_mark, tier_value, GraphVm, HeaderVm, Mark, MatrixVm, NODE_R};

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

#[function_component(MatrixView)]
pub fn matrix_view(p: &MatrixProps) -> Html {
    let vm = &p.vm;
    let n = vm.headers.len();
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
    let iso = |ingress: bool, egress: bool| {
        html! {
            <>
                if ingress { <span class="iso iso-in" title="ingress-isolated">{ "⇥" }</span> }
                if egress { <span class="iso iso-out" title="egress-isolated">{ "↦" }</span> }
            </>
        }
    };
    // Short names (the e2e model's a, b, c) read better upright; longer ones are rotated.
    let rotate = vm.headers.iter().any(|h| h.short.chars().count() > 3);
    let col_heads = vm.headers.iter().enumerate().map(|(i, h)| {
        html! {
            <th scope="col" class={classes!("col-head", group_start[i].then_some("gs"), h.external.then_some("ext"))}
                data-c={i.to_string()} data-ep={h.name.clone()} data-kind={h.kind} title={head_title(h)} tabindex="0"
                aria-label={format!("to {}", head_name(h))}>
                <span class={if rotate { "vert" } else { "horiz" }}>{ &h.short }{ kind_badge(h) }</span>
                { iso(h.ingress_isolated, h.egress_isolated) }
            </th>
        }
    });
    let rows = vm.groups.iter().map(|g| {
        let ns_row = html! {
            <tr class="ns-row">
                <th scope="rowgroup" colspan={(n + 1).to_string()} class={classes!(g.external.then_some("ext"))}>
                    <span class="ns-label">{ if g.external { g.label.clone() } else { format!("namespace {}", g.label) } }</span>
                </th>
            </tr>
        };
        let body = (g.start..g.start + g.len).map(|r| {
            let h = &vm.headers[r];
            let cells = (0..n).map(|c| {
                let cell = &vm.cells[r][c];
                let sel = vm.selected == Some((r, c));
                html! {
                    <td data-r={r.to_string()} data-c={c.to_string()} class={classes!(group_start[c].then_some("gs"))}>
                        <button type="button"
                            class={classes!("cell", mark_class(cell.mark), sel.then_some("selected"), (r == c).then_some("self"))}
                            data-from={h.name.clone()} data-to={vm.headers[c].name.clone()}
                            data-verdict={cell.mark.verdict()}
                            data-tier={cell.tier.as_ref().map(|t| tier_value(t.tier))}
                            aria-label={cell.title.clone()} title={cell.title.clone()}
                            aria-pressed={if sel { "true" } else { "false" }}>
                            { cell.mark.symbol() }
                            if let Some(m) = cell.tier.as_ref().and_then(|t| tier_mark(t.tier)) {
                                <span class={classes!("tier-mark", format!("tm-{}", m.to_lowercase()))} aria-hidden="true">{ m }</span>
                            }
                        </button>
                    </td>
                }
            });
            html! {
                <tr>
                    <th scope="row" class={classes!("row-head", h.external.then_some("ext"))} data-r={r.to_string()}
                        data-ep={h.name.clone()} data-kind={h.kind} title={head_title(h)} tabindex="0"
                        aria-label={format!("from {}", head_name(h))}>
                        <span class="rh-name">{ &h.short }</span>{ kind_badge(h) }
                        { iso(h.ingress_isolated, h.egress_isolated) }
                    </th>
                    { for cells }
                </tr>
            }
        });
        html! { <>{ ns_row }{ for body }</> }
    });
    let col_groups = vm.groups.iter().map(|g| {
        html! {
            <th scope="colgroup" colspan={g.len.to_string()} class={classes!("ns-col", "gs", g.external.then_some("ext"))}>
                <span>{ &g.label }</span>
            </th>
        }
    });
    html! {
        <div class="matrix-wrap">
            <table class="matrix" {onclick} {onmouseover} {onmouseleave} {onfocusin} {onfocusout}>
                <caption class="sr-only">{ format!("Flows on {}: rows are sources, columns destinations", vm.port_label) }</caption>
                <thead>
                    <tr>
                        <th class="corner" rowspan="2" scope="col">
                            <span class="corner-to">{ "to →" }</span>
                            <span class="corner-from">{ "from ↓" }</span>
                        </th>
                        { for col_groups }
                    </tr>
                    <tr>{ for col_heads }</tr>
                </thead>
                <tbody>{ for rows }</tbody>
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
    for &(f, t) in policy_flows {
        css.push_str(&format!(
            ".matrix td[data-r=\"{f}\"][data-c=\"{t}\"] .cell{{box-shadow:0 0 0 2px var(--accent)}}\
             .graph .edge[data-f=\"{f}\"][data-t=\"{t}\"] .line{{stroke:var(--accent);stroke-width:3}}"
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
