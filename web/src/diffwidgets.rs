//! The widgets the AND vs OR and Compare tabs share: the diff matrix and its legend, and the
//! undoable edits of the policies text (Apply, Undo, Ctrl+Z). Render `app` view models only.

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::{DiffEvent, DiffMatrixVm, Event as Ev};
use crate::result::mark_class;

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

#[derive(Properties, PartialEq)]
pub struct DiffMatrixProps {
    pub vm: DiffMatrixVm,
    /// Words for the caption: what + and − compare.
    pub caption: AttrValue,
    /// Scroll the first changed cell into view when the matrix first shows or changes (one
    /// matrix of a tab, so that two do not fight over the scroll position).
    #[prop_or_default]
    pub reveal: bool,
}

/// Scrolls the first changed cell inside `wrap` into view, moving every scrolling ancestor as
/// little as possible.
fn reveal_change(wrap: &NodeRef) {
    let Some(wrap) = wrap.cast::<web_sys::Element>() else {
        return;
    };
    if let Ok(Some(cell)) = wrap.query_selector("[data-diff]") {
        let opts = web_sys::ScrollIntoViewOptions::new();
        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
        opts.set_inline(web_sys::ScrollLogicalPosition::Nearest);
        cell.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}

/// A flow matrix with changed cells marked + (gained, green outline) or − (lost, red outline);
/// `data-verdict` is the verdict with the current policies, `data-diff` the change.
#[function_component(DiffMatrix)]
pub fn diff_matrix(p: &DiffMatrixProps) -> Html {
    let vm = &p.vm;
    let wrap = use_node_ref();
    {
        let wrap = wrap.clone();
        use_effect_with((vm.clone(), p.reveal), move |(_, reveal)| {
            if *reveal {
                reveal_change(&wrap);
            }
        });
    }
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
        <div class="matrix-wrap" ref={wrap}>
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
