//! The "Compare" result tab: pin the current policies as a baseline, keep editing, and see the
//! flows that changed against it (a diff matrix on the shown port, and the list of changed flows
//! per port range with both explanations).

use std::rc::Rc;

use yew::prelude::*;

use crate::app::{CompareVm, DiffEvent, Event as Ev};
use crate::diffwidgets::{undo, undo_keys, DiffMatrix};

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub vm: Rc<CompareVm>,
    pub on_event: Callback<Ev>,
    pub policies_ref: NodeRef,
}

#[function_component(ComparePanel)]
pub fn compare_panel(p: &CompareProps) -> Html {
    let vm = &p.vm;
    let on_pin = {
        let cb = p.on_event.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Ev::Diff(DiffEvent::PinBaseline)))
    };
    let on_clear = {
        let cb = p.on_event.clone();
        Callback::from(move |_: MouseEvent| cb.emit(Ev::Diff(DiffEvent::ClearBaseline)))
    };
    let on_undo = {
        let (ta, cb, text) = (
            p.policies_ref.clone(),
            p.on_event.clone(),
            vm.undo_text.clone(),
        );
        Callback::from(move |_: MouseEvent| undo(&ta, text.as_deref(), &cb))
    };
    let onkeydown = undo_keys(
        p.policies_ref.clone(),
        vm.undo_text.clone(),
        p.on_event.clone(),
    );
    let ranges = vm.ranges.iter().map(|r| {
        let flows = r.flows.iter().map(|f| {
            let sentences = |v: &[String]| {
                html! { <ul class="why-list">{ for v.iter().map(|s| html! { <li>{ s }</li> }) }</ul> }
            };
            let (sym, word) = match f.change.value() {
                "gained" => ("+", "gained: denied at the baseline, allowed now"),
                _ => ("−", "lost: allowed at the baseline, denied now"),
            };
            html! {
                <li class={classes!("changed-flow", format!("diff-{}", f.change.value()))} data-diff={f.change.value()}
                    data-from={f.from.clone()} data-to={f.to.clone()}>
                    <details>
                        <summary>
                            <span class={classes!("dcell", "lg", format!("diff-{}", f.change.value()))} aria-hidden="true">{ sym }</span>
                            { " " }<strong>{ format!("{} → {}", f.from, f.to) }</strong>{ " " }<span class="muted">{ word }</span>
                        </summary>
                        <div class="both-why">
                            <div><h4>{ "Baseline" }</h4>{ sentences(&f.before) }</div>
                            <div><h4>{ "Now" }</h4>{ sentences(&f.after) }</div>
                        </div>
                    </details>
                </li>
            }
        });
        html! {
            <section class="range">
                <h3>{ &r.label }<span class="muted">{ format!(" — {} changed", r.flows.len()) }</span></h3>
                <ul class="changed-flows">{ for flows }</ul>
            </section>
        }
    });
    html! {
        <div class="compare" data-testid="compare" {onkeydown}>
            <div class="diff-toolbar">
                if vm.pinned {
                    <span class="badge pinned">{ pin_icon() }{ "baseline pinned" }</span>
                    <button type="button" class="btn" data-testid="pin-baseline" onclick={on_pin.clone()}
                        title="Make the current policies the new baseline">{ "Re-pin current" }</button>
                    <button type="button" class="btn" data-testid="clear-baseline" onclick={on_clear}>{ "Clear baseline" }</button>
                } else {
                    <button type="button" class="btn primary" data-testid="pin-baseline" onclick={on_pin}>{ "Pin current policies as baseline" }</button>
                    <span class="muted">{ "then edit the policies: the flows that change against the baseline show here, live." }</span>
                }
                <button type="button" class="btn" data-testid="undo" onclick={on_undo} disabled={vm.undo_text.is_none()}
                    title="Restore the policies text before the last Apply (Ctrl+Z)">{ "↶ Undo" }</button>
            </div>
            if let Some(e) = &vm.error {
                <p class="no-result">{ e }</p>
            }
            if vm.pinned && vm.error.is_none() {
                if vm.equivalent {
                    <p class="badge no-effect" data-testid="equivalent">{ "Same flows as the baseline on this cluster" }</p>
                } else {
                    <p class="badge variant-counts" data-testid="compare-counts">{ format!("{} against the baseline", vm.counts) }</p>
                }
                if let Some(m) = &vm.matrix {
                    <DiffMatrix vm={m.clone()} caption="baseline → now; pick another port above" reveal=true />
                }
                if let Some(note) = &vm.matrix_note {
                    <p class="muted" data-testid="diff-matrix-note">{ note }</p>
                }
                { for ranges }
            }
        </div>
    }
}

/// A pin drawn inline (no emoji font needed).
fn pin_icon() -> Html {
    html! {
        <svg class="icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
            <path d="M5 1h6l-1 1.5v3.2l2.5 2.8V10H8.7L8 15l-.7-5H3.5V8.5L6 5.7V2.5z" />
        </svg>
    }
}
