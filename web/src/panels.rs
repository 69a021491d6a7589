//! The side panels: diagnostics, the Why? panel, the policies list, the example description.

use netpol_engine::{PortProto, Severity};
use yew::prelude::*;

use crate::app::{
    is_tier_line, line_kind_value, DiagVm, Editor, ExplanationVm, Inline, LineVm, LinkVm, LintVm,
    Mark, PolicyVm, SideVm,
};

fn severity_icon(s: Severity) -> &'static str {
    match s {
        Severity::Error => "●",
        Severity::Warning => "▲",
        Severity::Info => "ℹ",
    }
}

#[derive(Properties, PartialEq)]
pub struct DiagProps {
    pub diagnostics: Vec<DiagVm>,
    pub on_pick: Callback<(Editor, u32, u32)>,
    /// The teaching lints, listed after the diagnostics (`lints.rs`).
    #[prop_or_default]
    pub lints: std::rc::Rc<Vec<LintVm>>,
    /// The lints shown are the last ones, while newer ones are computed.
    #[prop_or_default]
    pub lints_pending: bool,
}

#[function_component(Diagnostics)]
pub fn diagnostics(p: &DiagProps) -> Html {
    // "Show all" of a long list of lints (`lints.rs`), kept while the lints change.
    let expanded = use_state(|| false);
    let on_expand = {
        let expanded = expanded.clone();
        Callback::from(move |on: bool| expanded.set(on))
    };
    let items = p.diagnostics.iter().map(|d| {
        let onclick = {
            let cb = p.on_pick.clone();
            let (e, l, c) = (d.editor, d.line, d.col);
            Callback::from(move |_: MouseEvent| cb.emit((e, l, c)))
        };
        let sev = d.severity.as_str();
        html! {
            <li data-line={d.line.to_string()} data-col={d.col.to_string()} data-severity={sev} data-file={d.editor.name()}
                class={format!("diag d-{sev}")}>
                <button type="button" {onclick} title={format!("Go to {} line {}, column {}", d.editor.name(), d.line, d.col)}>
                    <span class="d-sev"><span aria-hidden="true">{ severity_icon(d.severity) }</span>{ " " }{ sev }</span>
                    <span class="d-pos">{ format!("{} {}:{}", d.editor.name(), d.line, d.col) }</span>
                    <span class="d-msg">{ &d.message }</span>
                </button>
            </li>
        }
    });
    html! {
        <section class="diagnostics-panel" aria-label="Problems">
            <ul data-testid="diagnostics" class="diags" aria-busy={p.lints_pending.then_some("true")}>
                { for items }
                { crate::lints::lint_items(&p.lints, &p.on_pick, *expanded, &on_expand) }
                if p.diagnostics.is_empty() && p.lints.is_empty() {
                    <li class="diag d-none"><span aria-hidden="true">{ "✓ " }</span>{ "No problems: both inputs are valid." }</li>
                }
            </ul>
        </section>
    }
}

pub fn render_inlines(v: &[Inline]) -> Html {
    let parts = v.iter().map(|i| match i {
        Inline::Text(t) => {
            let mut pieces = t.split('\n').peekable();
            let mut out = Vec::new();
            while let Some(s) = pieces.next() {
                out.push(html! { { s } });
                if pieces.peek().is_some() {
                    out.push(html! { <br /> });
                }
            }
            html! { <>{ for out }</> }
        }
        other => crate::markdown::inline_node(other),
    });
    html! { <>{ for parts }</> }
}

#[derive(Properties, PartialEq)]
pub struct WhyProps {
    pub explanation: Option<ExplanationVm>,
    pub on_link: Callback<LinkVm>,
    pub on_port: Callback<PortProto>,
    pub on_close: Callback<()>,
    /// Shown while no flow is selected.
    pub example_title: String,
    pub example_summary: String,
    pub example_description: Vec<Inline>,
    pub modified: bool,
    pub panel_ref: NodeRef,
}

fn link_button(l: &LinkVm, cb: &Callback<LinkVm>) -> Html {
    let onclick = {
        let (cb, l) = (cb.clone(), l.clone());
        Callback::from(move |_: MouseEvent| cb.emit(l.clone()))
    };
    html! {
        <button type="button" class={format!("link k-{}", l.kind)} {onclick}
            title={format!("Highlight the {} in the {} editor (line {})", l.kind, l.file, l.line)}>
            <span class="k">{ l.kind }</span>{ " " }{ &l.label }
        </button>
    }
}

/// One short line of a side: its ✓/✗ mark, the renderer's short form with the part that matched
/// or missed highlighted (the whole line strong when it decides the side), and its links to the
/// YAML. The full sentence is its tooltip and in the side's "Full detail".
fn why_line(l: &LineVm, cb: &Callback<LinkVm>) -> Html {
    let parts = l.short.iter().map(|p| {
        if p.key {
            html! { <mark class="why-key">{ &p.text }</mark> }
        } else {
            html! { { &p.text } }
        }
    });
    let text = if l.deciding {
        html! { <strong>{ for parts }</strong> }
    } else {
        html! { <>{ for parts }</> }
    };
    html! {
        <li class={classes!("why-line", l.deciding.then_some("deciding"), is_tier_line(l.kind).then_some("tier-line"))}
            data-deciding={l.deciding.then_some("true")} data-line={line_kind_value(l.kind)} title={l.text.clone()}>
            <span class={classes!("tick", l.tick.map(|t| t.class()))} aria-hidden="true">{ l.tick.map(|t| t.symbol()).unwrap_or("") }</span>
            <span class="sentence">
                if l.deciding { <span class="sr-only">{ "Decides: " }</span> }
                { text }
            </span>
            if !l.links.is_empty() {
                <span class="links">{ for l.links.iter().map(|k| link_button(k, cb)) }</span>
            }
        </li>
    }
}

/// A full sentence of a side, in its "Full detail".
fn why_full_line(l: &LineVm, cb: &Callback<LinkVm>) -> Html {
    html! {
        <li class="why-full-line" data-line={line_kind_value(l.kind)}>
            <span class={classes!("tick", l.tick.map(|t| t.class()))} aria-hidden="true">{ l.tick.map(|t| t.symbol()).unwrap_or("") }</span>
            <span class="sentence">{ &l.text }</span>
            if !l.links.is_empty() {
                <span class="links">{ for l.links.iter().map(|k| link_button(k, cb)) }</span>
            }
        </li>
    }
}

/// One side of the flow: a heading, the short lines, and every full sentence (also of the rules
/// left out of the short lines) behind "Full detail".
fn side(s: &SideVm, cb: &Callback<LinkVm>) -> Html {
    let scls = if !s.isolated {
        "side s-open"
    } else if s.allowed {
        "side s-allow"
    } else {
        "side s-deny"
    };
    let sicon = if s.allowed { "✓" } else { "✗" };
    let n = s.detail.len();
    let summary = match n {
        0 => "Full detail".to_string(),
        1 => "Full detail, and 1 more rule".to_string(),
        n => format!("Full detail, and {n} more rules"),
    };
    html! {
        <div class={scls} data-side={s.direction.as_str().to_lowercase()}>
            <h3><span aria-hidden="true" class="side-icon">{ sicon }</span>{ " " }{ &s.title }</h3>
            <ul class="why-lines">{ for s.lines.iter().map(|l| why_line(l, cb)) }</ul>
            <details class="full-detail" data-testid="why-full-detail">
                <summary>{ summary }</summary>
                <ul class="why-lines why-full">{ for s.lines.iter().chain(&s.detail).map(|l| why_full_line(l, cb)) }</ul>
            </details>
        </div>
    }
}

#[function_component(WhyPanel)]
pub fn why_panel(p: &WhyProps) -> Html {
    let body = match &p.explanation {
        None => html! {
            <>
                <p class="why-empty">
                    <span class="pointer" aria-hidden="true">{ "☝ " }</span>
                    { "Click a cell of the matrix (or an arrow of the graph) to see why that flow is allowed or denied." }
                </p>
                if !p.example_title.is_empty() {
                    <div class="about">
                        <h3>
                            { if p.modified { "Started from: " } else { "About this example: " } }
                            { &p.example_title }
                        </h3>
                        <p class="about-summary">{ &p.example_summary }</p>
                        <p>{ render_inlines(&p.example_description) }</p>
                    </div>
                }
            </>
        },
        Some(x) => {
            let (cls, icon) = match x.verdict {
                Mark::Allow => ("verdict v-allow", "✓"),
                Mark::NotApplicable => ("verdict v-na", "–"),
                _ => ("verdict v-deny", "✗"),
            };
            let ports = (!x.per_port.is_empty()).then(|| {
                let chips = x.per_port.iter().map(|&(pp, allowed, current)| {
                    let onclick = {
                        let cb = p.on_port.clone();
                        Callback::from(move |_: MouseEvent| cb.emit(pp))
                    };
                    html! {
                        <button type="button" class={classes!("port-chip", if allowed { "v-allow" } else { "v-deny" }, current.then_some("current"))}
                            aria-pressed={if current { "true" } else { "false" }} {onclick}>
                            { if allowed { "✓ " } else { "✗ " } }{ pp.to_string() }
                        </button>
                    }
                });
                html! { <div class="per-port" role="group" aria-label="Verdict per port; pick one to explain">{ for chips }</div> }
            });
            let sides = x.sides.iter().map(|s| side(s, &p.on_link));
            let onclose = {
                let cb = p.on_close.clone();
                Callback::from(move |_: MouseEvent| cb.emit(()))
            };
            html! {
                <>
                    <div class={cls}>
                        <span class="verdict-icon" aria-hidden="true">{ icon }</span>
                        <span class="verdict-text">
                            <strong>{ format!("{} → {}", x.from, x.to) }</strong>
                            <span class="verdict-port">{ format!(" on {}", x.port) }</span>
                            <span class="verdict-word">{ match x.verdict { Mark::Allow => " — allowed", Mark::NotApplicable => " — not a cluster flow", _ => " — denied" } }</span>
                        </span>
                        <button type="button" class="close" aria-label="Close the explanation" onclick={onclose}>{ "×" }</button>
                    </div>
                    if x.stale { <p class="stale-note">{ "From the last valid result." }</p> }
                    { for ports }
                    <p class="headline">{ &x.headline }</p>
                    { for sides }
                    <details class="sentences">
                        <summary>{ "All sentences (as the CLI prints them)" }</summary>
                        <ul>{ for x.sentences.iter().map(|s| html! { <li>{ s }</li> }) }</ul>
                    </details>
                </>
            }
        }
    };
    html! {
        <section class="panel why" ref={p.panel_ref.clone()} data-testid="explanation" aria-labelledby="why-title" aria-live="polite">
            <div class="panel-head"><h2 id="why-title">{ "Why?" }</h2></div>
            <div class="panel-body" tabindex="0" role="region" aria-label="Why? explanation">{ body }</div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PoliciesProps {
    pub policies: std::rc::Rc<Vec<PolicyVm>>,
    pub on_select: Callback<String>,
    pub on_link: Callback<LinkVm>,
}

#[function_component(PoliciesList)]
pub fn policies_list(p: &PoliciesProps) -> Html {
    // With tiered policies the list is grouped by tier (in evaluation order) and names kinds.
    let tiered_list = p.policies.iter().any(|pol| pol.kind != "NetworkPolicy");
    let mut last_group = None;
    let items = p.policies.iter().map(|pol| {
        let onclick = {
            let (cb, id) = (p.on_select.clone(), pol.id.clone());
            Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
        };
        let goto = {
            let cb = p.on_link.clone();
            let l = LinkVm { kind: "policy", label: pol.id.clone(), file: pol.file.clone(), line: pol.line, col: pol.col };
            Callback::from(move |_: MouseEvent| cb.emit(l.clone()))
        };
        let selects = if pol.selects.is_empty() {
            html! { <span class="muted">{ "selects no pod" }</span> }
        } else {
            html! { <>{ for pol.selects.iter().map(|s| html! { <span class="pod-chip">{ s }</span> }) }</> }
        };
        let tiered = pol.kind != "NetworkPolicy";
        let heading = (tiered_list && Some(pol.group) != last_group.replace(pol.group))
            .then(|| html! { <li class="policy-group" data-testid="policy-group" role="presentation">{ pol.group }</li> });
        html! {
            <>
            { for heading }
            <li class={classes!("policy", pol.selected.then_some("selected"))} data-kind={pol.kind} data-tier={pol.tier}>
                <button type="button" class="policy-main" {onclick} aria-pressed={if pol.selected { "true" } else { "false" }}
                    title="Highlight the pods this policy selects and the flows it allows">
                    <span class="policy-id">{ &pol.id }</span>
                    if tiered_list {
                        <span class="policy-kind">
                            { if tiered { pol.kind.to_string() } else { "NetworkPolicy".to_string() } }
                            if let Some(pr) = pol.priority { { format!(" · priority {pr}") } }
                        </span>
                    }
                    <span class="dirs">
                        if pol.ingress { <span class="dir d-in">{ "Ingress" }</span> }
                        if pol.egress { <span class="dir d-out">{ "Egress" }</span> }
                    </span>
                    <span class="selects"><span class="sr-only">{ "selects " }</span>{ selects }</span>
                </button>
                <button type="button" class="link yaml-link" onclick={goto}
                    title={format!("Highlight {} in the Policies editor (line {})", pol.id, pol.line)}
                    aria-label={format!("Show the YAML of {}", pol.id)}>{ "YAML" }</button>
            </li>
            </>
        }
    });
    html! {
        <section class="panel policies" aria-labelledby="policies-title">
            <div class="panel-head"><h2 id="policies-title">{ "Policies" }</h2><span class="hint">{ "click one to highlight what it selects and allows" }</span></div>
            <div class="panel-body" tabindex="0" role="region" aria-label="Policies list">
                if p.policies.is_empty() {
                    <p class="muted">{ "No NetworkPolicy yet: every flow is allowed." }</p>
                } else {
                    <ul class="policy-list">{ for items }</ul>
                }
            </div>
        </section>
    }
}

/// Scrolls the element matching `css` to the top of the page.
fn scroll_to(css: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(css).ok().flatten())
    {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Start);
        el.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// On narrow screens (CSS hides it elsewhere) the panels stack in one scrolling page; this bar
/// stays at the top and jumps to each of them.
pub fn pane_switch(learning: bool) -> Html {
    let button = |pane: &'static str, css: &'static str, label: &'static str| {
        let onclick = Callback::from(move |_: MouseEvent| scroll_to(css));
        html! { <button type="button" class="btn" data-pane={pane} {onclick}>{ label }</button> }
    };
    html! {
        <nav class="pane-switch" aria-label="Jump to a panel" data-testid="pane-switch">
            if learning { { button("learn", "aside.learn", "Learn") } }
            { button("editors", "main.layout > .left", "Editors") }
            { button("result", "section.panel.result", "Result") }
            { button("why", "section.panel.why", "Why?") }
            { button("policies", "section.panel.policies", "Policies") }
        </nav>
    }
}

/// The skip link: focus the result (the matrix's one tab stop when it shows, else the result
/// panel) without touching the URL's fragment, which holds share links.
pub fn skip_to_result(e: MouseEvent) {
    e.prevent_default();
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let target = doc
        .query_selector(r#"#result-view button[tabindex="0"]"#)
        .ok()
        .flatten()
        .or_else(|| doc.get_element_by_id("result-view"));
    if let Some(el) =
        target.and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(t).ok())
    {
        let _ = el.focus();
    }
}
