//! The "AND vs OR" result tab: each AND/OR variant of the current policies with the two YAML
//! fragments side by side, both meanings, the flow counts, a diff matrix, and Apply / Undo. Also
//! the diff matrix shared with the Compare tab. Renders `diffview` view models only.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::{Event as Ev, Mark, POLICIES};
use crate::diffview::{AndOrVm, DiffEvent, DiffMatrixVm, Seg, VariantVm};

/// Replaces the whole text of `ta` through `execCommand("insertText")`, which keeps the
/// browser's own undo history (Ctrl+Z in the editor undoes it). Returns false when the browser
/// refused; the caller then lets the core set the text.
pub fn replace_text(ta: &HtmlTextAreaElement, text: &str) -> bool {
    let _ = ta.focus();
    ta.select();
    let done = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok())
        .is_some_and(|d| {
            d.exec_command_with_show_ui_and_value("insertText", false, text)
                .unwrap_or(false)
        });
    done && ta.value() == text
}

/// Puts `after` into the policies editor (undoably) and tells the core.
pub fn apply_text(ta: &NodeRef, after: &str, on_event: &Callback<Ev>) {
    let t = ta.cast::<HtmlTextAreaElement>();
    let before = t.as_ref().map(|t| t.value());
    if let Some(t) = &t {
        replace_text(t, after);
    }
    if let Some(before) = before {
        on_event.emit(Ev::Diff(DiffEvent::Applied {
            before,
            after: after.to_string(),
        }));
    } else {
        // No textarea (tests without the editor): let the core do it.
        on_event.emit(Ev::Diff(DiffEvent::Applied {
            before: String::new(),
            after: after.to_string(),
        }));
    }
}

/// Undo of programmatic edits: through the textarea when there is one, then the core pops.
pub fn undo(ta: &NodeRef, text: Option<&str>, on_event: &Callback<Ev>) {
    if let (Some(t), Some(text)) = (ta.cast::<HtmlTextAreaElement>(), text) {
        replace_text(&t, text);
    }
    on_event.emit(Ev::Diff(DiffEvent::Undo));
}

/// Ctrl+Z / Cmd+Z (outside the editors) → Undo.
pub fn undo_keys(
    ta: NodeRef,
    text: Option<String>,
    on_event: Callback<Ev>,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let in_editor = e
            .target()
            .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            .is_some();
        if (e.ctrl_key() || e.meta_key())
            && !e.shift_key()
            && e.key().eq_ignore_ascii_case("z")
            && !in_editor
            && text.is_some()
        {
            e.prevent_default();
            undo(&ta, text.as_deref(), &on_event);
        }
    })
}

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
    html! { <pre class="frag"><code>{ for lines }</code></pre> }
}

fn mark_class(m: Mark) -> &'static str {
    match m {
        Mark::Allow | Mark::AllPorts => "v-allow",
        Mark::Deny | Mark::NoPorts => "v-deny",
        Mark::SomePorts => "v-some",
        Mark::NotApplicable => "v-na",
    }
}

#[derive(Properties, PartialEq)]
pub struct DiffMatrixProps {
    pub vm: DiffMatrixVm,
    /// Words for the caption: what + and − compare.
    pub caption: AttrValue,
}

/// A flow matrix with changed cells marked + (gained, green outline) or − (lost, red outline);
/// `data-verdict` is the verdict with the current policies, `data-diff` the change.
#[function_component(DiffMatrix)]
pub fn diff_matrix(p: &DiffMatrixProps) -> Html {
    let vm = &p.vm;
    let n = vm.headers.len();
    let mut group_start = vec![false; n];
    for g in &vm.groups {
        if g.start < n {
            group_start[g.start] = true;
        }
    }
    let rotate = vm.headers.iter().any(|h| h.short.chars().count() > 3);
    let col_groups = vm.groups.iter().map(|g| {
        html! {
            <th scope="colgroup" colspan={g.len.to_string()} class={classes!("ns-col", "gs", g.external.then_some("ext"))}>
                <span>{ &g.label }</span>
            </th>
        }
    });
    let col_heads = vm.headers.iter().enumerate().map(|(i, h)| {
        html! {
            <th scope="col" class={classes!("col-head", group_start[i].then_some("gs"))} title={h.name.clone()}>
                <span class={if rotate { "vert" } else { "horiz" }}>{ &h.short }</span>
            </th>
        }
    });
    let rows = vm.groups.iter().map(|g| {
        let body = (g.start..g.start + g.len).map(|r| {
            let h = &vm.headers[r];
            let cells = (0..n).map(|c| {
                let cell = &vm.cells[r][c];
                let class = classes!(
                    "cell",
                    "dcell",
                    mark_class(cell.mark),
                    cell.change.map(|ch| format!("diff-{}", ch.value())),
                    (r == c).then_some("self")
                );
                let symbol = cell.change.map_or(cell.mark.symbol(), |ch| ch.symbol());
                html! {
                    <td class={classes!(group_start[c].then_some("gs"))}>
                        <span {class} role="img" data-from={h.name.clone()} data-to={vm.headers[c].name.clone()}
                            data-verdict={cell.mark.verdict()} data-diff={cell.change.map(|ch| ch.value())}
                            title={cell.title.clone()} aria-label={cell.title.clone()}>{ symbol }</span>
                    </td>
                }
            });
            html! {
                <tr>
                    <th scope="row" class="row-head" title={h.name.clone()}><span class="rh-name">{ &h.short }</span></th>
                    { for cells }
                </tr>
            }
        });
        html! {
            <>
                <tr class="ns-row"><th scope="rowgroup" colspan={(n + 1).to_string()} class={classes!(g.external.then_some("ext"))}>
                    <span class="ns-label">{ if g.external { g.label.clone() } else { format!("namespace {}", g.label) } }</span>
                </th></tr>
                { for body }
            </>
        }
    });
    html! {
        <div class="matrix-wrap">
            <table class="matrix diff-matrix" data-testid="diff-matrix">
                <caption class="diff-caption">
                    { format!("on {} — ", vm.port_label) }
                    <span class="c-gained">{ format!("+ {} gained", vm.gained) }</span>{ " · " }
                    <span class="c-lost">{ format!("− {} lost", vm.lost) }</span>
                    { format!(" ({})", p.caption) }
                </caption>
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

/// The legend of the diff matrices.
pub fn diff_legend() -> Html {
    html! {
        <div class="legend" aria-label="Legend">
            <span class="lg dcell diff-gained">{ "+" }</span>{ " gained (newly allowed) " }
            <span class="lg dcell diff-lost">{ "−" }</span>{ " lost (newly denied) " }
            <span class="lg v-allow">{ "✓" }</span>{ " allowed " }
            <span class="lg v-deny">{ "✗" }</span>{ " denied " }
            <span class="legend-note">{ "unchanged cells show the current verdict" }</span>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct AndOrProps {
    pub vm: Rc<AndOrVm>,
    pub on_event: Callback<Ev>,
    /// The policies textarea, for undoable edits.
    pub policies_ref: NodeRef,
}

fn variant_card(v: &VariantVm, p: &AndOrProps) -> Html {
    let on_apply = {
        let (ta, cb, text) = (
            p.policies_ref.clone(),
            p.on_event.clone(),
            v.new_text.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(t) = &text {
                apply_text(&ta, t, &cb);
            }
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
    let apply_title = if v.new_text.is_some() {
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
                <DiffMatrix vm={m.clone()} caption="now → with the variant; the most changed port range" />
            }
            <div class="variant-actions">
                <button type="button" class="btn primary" data-testid="apply-variant" onclick={on_apply}
                    disabled={v.new_text.is_none()} title={apply_title}>{ "Apply this variant" }</button>
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
    let cards = vm.variants.iter().map(|v| variant_card(v, p));
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
        </div>
    }
}

// ---------------------------------------------------------------------------------------------
// Glue called from `App` (lib.rs), kept here to keep the shared file's edits small.
// ---------------------------------------------------------------------------------------------

/// How long editing must pause before lints, variants and the compare diff are recomputed.
pub const IDLE_MS: u64 = 150;

/// After a keystroke: (re)start the idle timer.
pub fn after_input(app: &mut crate::App, ctx: &Context<crate::App>) {
    let d = &mut app.state.diff;
    d.idle_seq = d.idle_seq.wrapping_add(1);
    let seq = d.idle_seq;
    let link = ctx.link().clone();
    yew::platform::spawn_local(async move {
        yew::platform::time::sleep(std::time::Duration::from_millis(IDLE_MS)).await;
        link.send_message(crate::Msg::Core(Ev::Diff(DiffEvent::IdleAt(seq))));
    });
}

/// The body of the AND vs OR and Compare tabs.
pub fn result_view(app: &crate::App, ctx: &Context<crate::App>) -> Html {
    let on_event = ctx.link().callback(crate::Msg::Core);
    let policies_ref = app.policies_ref.clone();
    if app.state.view == crate::core::View::Compare {
        let vm = Rc::new(crate::diffview::compare_vm(&app.state));
        return html! { <crate::compare::ComparePanel {vm} {on_event} {policies_ref} /> };
    }
    match crate::diffview::andor_vm(&app.state) {
        Some(vm) => html! { <AndOrPanel vm={Rc::new(vm)} {on_event} {policies_ref} /> },
        None => html! { <p class="no-result">{ "Looking for AND/OR decisions…" }</p> },
    }
}
