//! The "AND vs OR" result tab: each AND/OR variant of the current policies with the two YAML
//! fragments side by side, both meanings, the flow counts, a diff matrix, and Apply / Undo.
//! Renders `app` view models only.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::{AndOrVm, DiffEvent, Event as Ev, Seg, VariantVm, POLICIES};
use crate::diffwidgets::{apply_text, undo, undo_keys, DiffMatrix};

fn segs(lines: &[Vec<Seg>]) -> Html {
    let lines = lines.iter().map(|l| {
        let parts = l.iter().map(|s| {
            if s.changed {
                html! { <mark class="chg" title="differs">{ &s.text }</mark> }
            } else {
                html! { <span>{ &s.text }</span> }
            }
        });
        html! { <div class="frag-line">{ for parts }{ "\n" }</div> }
    });
    html! { <pre class="frag" tabindex="0"><code>{ for lines }</code></pre> }
}

#[derive(Properties, PartialEq)]
pub struct AndOrProps {
    pub vm: Rc<AndOrVm>,
    pub on_event: Callback<Ev>,
    /// The policies textarea, for undoable edits.
    pub policies_ref: NodeRef,
}

fn variant_card(v: &VariantVm, p: &AndOrProps, reveal: bool) -> Html {
    let on_apply = {
        let (ta, cb, text, index) = (
            p.policies_ref.clone(),
            p.on_event.clone(),
            v.new_text.clone(),
            v.index,
        );
        Callback::from(move |_: MouseEvent| match &text {
            Some(t) => apply_text(&ta, t, &cb),
            // A long text: the worker applies the variant.
            None => cb.emit(Ev::Diff(DiffEvent::ApplyVariant(index))),
        })
    };
    let on_show = {
        let cb = p.on_event.clone();
        let (line, col) = (v.line, v.col);
        Callback::from(move |_: MouseEvent| {
            cb.emit(Ev::ShowSpan {
                file: POLICIES.to_string(),
                line,
                col,
                whole_document: false,
            })
        })
    };
    let badge = if v.no_effect {
        html! { <span class="badge no-effect" data-testid="no-effect" title="Both readings allow exactly the same flows on this cluster — on another cluster they may not">{ "no effect on this cluster" }</span> }
    } else {
        html! { <span class="badge variant-counts" data-testid="variant-counts">{ &v.counts }</span> }
    };
    let apply_title = if v.applicable {
        "Replace the policies text with this variant (Undo restores it)"
    } else {
        "Can't apply: the items are not written in block style (one `- ` per line), or the editor changed since"
    };
    html! {
        <article class={classes!("variant", format!("k-{}", v.kind))} data-testid="variant" data-kind={v.kind}>
            <header class="variant-head">
                <h3>{ &v.title }</h3>
                <button type="button" class="link" onclick={on_show} title="Highlight these items in the Policies editor">
                    { format!("{} · {} rule {} · line {}", v.policy_id, v.direction, v.rule, v.line) }
                </button>
                { badge }
            </header>
            <div class="frags">
                <figure class="frag-side now">
                    <figcaption>{ v.current_label }</figcaption>
                    { segs(&v.current_lines) }
                    <p class="meaning">{ &v.current_meaning }</p>
                </figure>
                <figure class="frag-side alt">
                    <figcaption>{ v.variant_label }</figcaption>
                    { segs(&v.variant_lines) }
                    <p class="meaning">{ &v.variant_meaning }</p>
                </figure>
            </div>
            if let Some(m) = &v.matrix {
                <DiffMatrix vm={m.clone()} caption="now → with the variant; the most changed port range" {reveal} />
            }
            if let Some(note) = &v.matrix_note {
                <p class="muted" data-testid="diff-matrix-note">{ note }</p>
            }
            <div class="variant-actions">
                <button type="button" class="btn primary" data-testid="apply-variant" onclick={on_apply}
                    disabled={!v.applicable} title={apply_title}>{ "Apply this variant" }</button>
            </div>
        </article>
    }
}

/// The "AND vs OR" tab.
#[function_component(AndOrPanel)]
pub fn andor_panel(p: &AndOrProps) -> Html {
    let vm = &p.vm;
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
    // The first variant that changes flows brings its changed cell into view.
    let first = vm
        .variants
        .iter()
        .position(|v| !v.no_effect && v.matrix.is_some());
    let cards = vm
        .variants
        .iter()
        .enumerate()
        .map(|(i, v)| variant_card(v, p, Some(i) == first));
    html! {
        <div class="andor" data-testid="andor" {onkeydown}>
            <div class="diff-toolbar">
                <p class="muted intro">
                    { "In one " }<code>{ "from" }</code>{ "/" }<code>{ "to" }</code>
                    { " item, namespaceSelector and podSelector are ANDed; in two items (one more " }
                    <code>{ "-" }</code>{ ") they are ORed. Each place where that matters, and what the other reading would change on this cluster:" }
                </p>
                <button type="button" class="btn" data-testid="undo" onclick={on_undo} disabled={vm.undo_text.is_none()}
                    title="Restore the policies text before the last Apply (Ctrl+Z)">{ "↶ Undo" }</button>
            </div>
            if vm.stale {
                <p class="muted">{ "The input has errors: showing the variants of the last valid policies." }</p>
            }
            if vm.variants.is_empty() {
                <p class="no-result" data-testid="no-variants">
                    { "No AND/OR decision in these policies: no from/to item holds both a namespaceSelector and a podSelector, and no rule lists a namespaceSelector-only item next to a podSelector-only item." }
                </p>
            }
            { for cards }
            if vm.more > 0 {
                <p class="muted" data-testid="more-variants">
                    { format!("…and {} more places where AND/OR matters, not shown (the first {} are). Apply or rewrite these, and the next ones appear.", vm.more, vm.variants.len()) }
                </p>
            }
        </div>
    }
}
