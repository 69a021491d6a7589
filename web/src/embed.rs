//! Embed mode (`?embed=1`, see README "Embedding"): a compact layout for `<iframe>`s — no
//! header or menus, the chosen panels only, optional read-only editors, and an "Open in
//! playground" link carrying the state.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app::{Editor, Event as Ev, LinkVm, Page, Panel, View};
use crate::editor::CodeEditor;
use crate::hooks::Hooks;
use crate::learn;
use crate::panels::WhyPanel;
use crate::result::{highlight_css, GraphView, MatrixView};

/// The embed layout, or `None` outside embed mode.
pub fn view(page: &Page, hooks: &Hooks) -> Option<Html> {
    let embed = page.embed.as_ref()?;
    let params = &embed.params;
    let vm = &page.vm;
    let on = &hooks.on_event;
    let has = |p: Panel| params.panels.contains(&p);
    let on_select = on.reform(|(from, to): (String, String)| Ev::SelectFlow { from, to });
    let on_hover = on.reform(Ev::Hover);
    let on_link = on.reform(|l: LinkVm| Ev::ShowSpan {
        whole_document: l.kind == "policy",
        file: l.file,
        line: l.line,
        col: l.col,
    });
    let diags_for = |e: Editor| {
        vm.diagnostics
            .iter()
            .filter(|d| d.editor == e)
            .cloned()
            .collect::<Vec<_>>()
    };
    let hl_for = |e: Editor| {
        vm.highlight
            .filter(|h| h.editor == e)
            .map(|h| (h.start, h.end))
    };
    let editor = |e: Editor| {
        let (label, text) = match e {
            Editor::Policies => ("Policies", &vm.policies_text),
            Editor::Cluster => ("Cluster", &vm.cluster_text),
        };
        let r = hooks.textarea(e).clone();
        let on_input = on.reform(move |t: String| Ev::Edit(e, t));
        html! {
            <CodeEditor editor={e} label={label} hint={if params.readonly { "read-only" } else { "edit me" }}
                text={AttrValue::from(text.clone())} diagnostics={diags_for(e)}
                highlight={hl_for(e)} {on_input} textarea_ref={r} />
        }
    };
    let result = match (vm.view, &vm.matrix, &vm.graph) {
        (View::Graph, _, Some(g)) => html! {
            <GraphView vm={Rc::clone(g)} on_select={on_select.clone()} on_hover={on_hover.clone()} />
        },
        (_, Some(m), _) => html! {
            <MatrixView vm={Rc::clone(m)} on_select={on_select.clone()} on_hover={on_hover.clone()} />
        },
        _ => html! { <p class="no-result">{ "Nothing to show: the YAML has errors." }</p> },
    };
    let open = embed.open.clone();
    let editors = has(Panel::Policies) || has(Panel::Cluster);
    let right = has(Panel::Result) || has(Panel::Why);
    let on_port = on.reform(|e: Event| {
        let v = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        Ev::SelectPort(v)
    });
    let ports = vm.ports.iter().map(|o| {
        html! { <option value={o.value.clone()} selected={o.value == vm.port_value}>{ &o.label }</option> }
    });
    // The panels of the right column share its height; the result keeps a usable minimum.
    let stacked = has(Panel::Result) && has(Panel::Why);
    let style = params
        .height
        .map(|h| format!("height: {h}px"))
        .unwrap_or_default();
    html! {
        <main class={classes!("app", "embed", (editors && right).then_some("two"))} {style} data-testid="embed">
            <style>{ highlight_css(vm.hover, &vm.policy_pods, &vm.policy_flows) }</style>
            <div class="embed-bar">
                <h1 class="embed-brand">{ "netpol playground" }</h1>
                if vm.error_count > 0 {
                    <span class="st-error">{ format!("{} error(s)", vm.error_count) }</span>
                }
                if !vm.ports.is_empty() {
                    <label class="embed-port">
                        <span class="sr-only">{ "Port and protocol" }</span>
                        <select data-testid="port-picker" aria-label="Port and protocol" onchange={on_port}>{ for ports }</select>
                    </label>
                }
                <a class="embed-open" href={open} target="_blank" rel="noopener" data-testid="open-in-playground">{ "Open in playground ↗" }</a>
            </div>
            { learn::banner(&page.learn, hooks) }
            <div class="embed-main">
                if editors {
                    <div class="embed-col">
                        if has(Panel::Policies) { { editor(Editor::Policies) } }
                        if has(Panel::Cluster) { { editor(Editor::Cluster) } }
                    </div>
                }
                if right {
                    <div class={classes!("embed-col", "embed-right", stacked.then_some("stacked"))}>
                        if has(Panel::Result) {
                            <section class="panel result" aria-label="Flow matrix" data-testid="embed-result"><div id="result-view" class={classes!("result-body", vm.stale.then_some("is-stale"))}>{ result }</div></section>
                        }
                        if has(Panel::Why) {
                            <WhyPanel explanation={vm.explanation.clone()} on_link={on_link.clone()}
                                on_port={on.reform(Ev::ExplainPort)}
                                on_close={on.reform(|_| Ev::ClearFlow)}
                                example_title={vm.example_title.clone()} example_summary={vm.example_summary.clone()}
                                example_description={vm.example_description.clone()} modified={vm.modified}
                                panel_ref={hooks.why_ref.clone()} />
                        }
                    </div>
                }
            </div>
        </main>
    }
    .into()
}

/// After a render: read-only editors when `readonly=1`.
pub fn rendered(page: &Page, hooks: &Hooks) {
    if page.embed.as_ref().is_some_and(|e| e.params.readonly) {
        for r in [&hooks.policies_ref, &hooks.cluster_ref] {
            if let Some(ta) = r.cast::<web_sys::HtmlTextAreaElement>() {
                ta.set_read_only(true);
            }
        }
    }
}
