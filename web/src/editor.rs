//! A code editor: a `<textarea>` whose text is transparent, over a `<pre>` with the same text
//! syntax-highlighted, plus a line-number gutter with diagnostic markers. Scrolling is synced.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::{DiagVm, Editor};
use crate::browser::read_files;
use crate::highlight::tokens;
use netpol_engine::Severity;

/// Line height of the editors in CSS pixels (must match `--code-lh` in style.css).
pub const LINE_HEIGHT: f64 = 20.0;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub editor: Editor,
    pub label: AttrValue,
    pub hint: AttrValue,
    pub text: AttrValue,
    pub diagnostics: Vec<DiagVm>,
    /// Highlighted lines (1-based, inclusive).
    pub highlight: Option<(u32, u32)>,
    pub on_input: Callback<String>,
    pub textarea_ref: NodeRef,
    /// Files dropped onto the editor or picked with "Open files…" (name, text), read locally;
    /// without it the editor takes no files.
    #[prop_or_default]
    pub on_files: Option<Callback<Vec<(String, String)>>>,
}

#[function_component(CodeEditor)]
pub fn code_editor(p: &EditorProps) -> Html {
    let pre_ref = use_node_ref();
    let gutter_ref = use_node_ref();
    // After Escape, the next Tab moves focus instead of inserting spaces.
    let escaped = use_mut_ref(|| Cell::new(false));
    let testid = match p.editor {
        Editor::Policies => "policies-editor",
        Editor::Cluster => "cluster-editor",
    };
    let id = format!("{}-editor", p.editor.name());

    // The chunk of lines at the top of the textarea's view; the lines around it are rendered.
    let first_chunk = use_state_eq(|| 0u32);
    let onscroll = {
        let (pre, gutter) = (pre_ref.clone(), gutter_ref.clone());
        let first_chunk = first_chunk.clone();
        Callback::from(move |e: Event| {
            if let Some(ta) = e.target().and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
                sync_scroll(&ta, &pre, &gutter);
                first_chunk.set(chunk_at(ta.scroll_top()));
            }
        })
    };
    // A new text may have moved the textarea's scroll position (a shorter text clamps it)
    // without a scroll event: the layers follow it after each render of a new text.
    {
        let (pre, gutter, ta) = (pre_ref.clone(), gutter_ref.clone(), p.textarea_ref.clone());
        let first_chunk = first_chunk.clone();
        use_effect_with(p.text.clone(), move |_| {
            if let Some(ta) = ta.cast::<HtmlElement>() {
                sync_scroll(&ta, &pre, &gutter);
                first_chunk.set(chunk_at(ta.scroll_top()));
            }
        });
    }
    let oninput = {
        let cb = p.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(ta) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                cb.emit(ta.value());
            }
        })
    };
    let onkeydown = {
        let cb = p.on_input.clone();
        let escaped: Rc<std::cell::RefCell<Cell<bool>>> = escaped.clone();
        Callback::from(move |e: KeyboardEvent| {
            let esc = escaped.borrow();
            match e.key().as_str() {
                "Escape" => esc.set(true),
                "Tab"
                    if !e.shift_key()
                        && !e.ctrl_key()
                        && !e.alt_key()
                        && !e.meta_key()
                        && !esc.get() =>
                {
                    e.prevent_default();
                    if let Some(ta) = e
                        .target()
                        .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
                    {
                        insert_text(&ta, "  ", &cb);
                    }
                }
                _ => esc.set(false),
            }
        })
    };

    let dragging = use_state(|| false);
    let drop_handlers = p.on_files.clone().map(|cb| {
        let over = {
            let d = dragging.clone();
            Callback::from(move |e: DragEvent| {
                if carries_files(&e) {
                    e.prevent_default();
                    if !*d {
                        d.set(true);
                    }
                }
            })
        };
        let leave = {
            let d = dragging.clone();
            Callback::from(move |_: DragEvent| d.set(false))
        };
        let drop = {
            let (d, cb) = (dragging.clone(), cb.clone());
            Callback::from(move |e: DragEvent| {
                d.set(false);
                if !carries_files(&e) {
                    // Text dragged within or between the editors keeps the browser's behaviour.
                    return;
                }
                e.prevent_default();
                if let Some(list) = e.data_transfer().and_then(|dt| dt.files()) {
                    let cb = cb.clone();
                    read_files(&list, move |files| cb.emit(files));
                }
            })
        };
        let pick = Callback::from(move |e: Event| {
            if let Some(input) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            {
                if let Some(list) = input.files() {
                    let cb = cb.clone();
                    read_files(&list, move |files| cb.emit(files));
                }
                // Picking the same file again loads it again.
                input.set_value("");
            }
        });
        (over, leave, drop, pick)
    });
    let (ondragover, ondragleave, ondrop) = match &drop_handlers {
        Some((over, leave, drop, _)) => {
            (Some(over.clone()), Some(leave.clone()), Some(drop.clone()))
        }
        None => (None, None, None),
    };
    let open_files = drop_handlers.map(|(_, _, _, onchange)| {
        html! {
            <label class="btn btn-small open-files"
                title="Load .yaml, .yml or .json files into this editor (read in your browser, never uploaded)">
                { "Open files…" }
                <input type="file" multiple=true accept=".yaml,.yml,.json" class="sr-only"
                    data-testid={format!("{}-open-files", p.editor.name())} {onchange} />
            </label>
        }
    });

    let text = p.text.as_str();
    let shape = use_memo(p.text.clone(), |t| TextShape::of(t));
    let total = shape.lines;
    let view = visible_lines(*first_chunk, total, viewport_lines());
    let in_hl = |n: u32| p.highlight.is_some_and(|(a, b)| a <= n && n <= b);
    // The diagnostics of each line, found once (not once per line). Diagnostics past the end
    // (e.g. "unexpected end of input") are shown on the last line.
    let mut by_line: BTreeMap<u32, Vec<&DiagVm>> = BTreeMap::new();
    for d in &p.diagnostics {
        by_line.entry(d.line.min(total)).or_default().push(d);
    }
    let worst = |n: u32| {
        by_line
            .get(&n)
            .and_then(|ds| ds.iter().map(|d| d.severity).min())
    };
    let shown = || {
        text.split('\n')
            .zip(1u32..)
            .skip(view.start as usize)
            .take((view.end - view.start) as usize)
    };
    let code_lines = shown().map(|(l, n)| {
        html! { <CodeLine key={n} text={AttrValue::from(l.to_string())} hl={in_hl(n)} severity={worst(n)} /> }
    });
    let gutter_lines = (view.start + 1..=view.end).map(|n| {
        let here: &[&DiagVm] = by_line.get(&n).map_or(&[], Vec::as_slice);
        let marker = worst(n).map(|s| {
            let title: Vec<String> = here
                .iter()
                .map(|d| {
                    format!(
                        "{}:{}: {}: {}",
                        d.line,
                        d.col,
                        d.severity.as_str(),
                        d.message
                    )
                })
                .collect();
            (s, AttrValue::from(title.join("\n")))
        });
        html! { <GutterLine key={n} {n} hl={in_hl(n)} {marker} /> }
    });
    // Spacers stand for the lines outside the window, so that the layers are as tall as the
    // textarea's text; the code is as wide as its longest line, rendered or not.
    let spacer = |lines: u32| {
        (lines > 0).then(|| {
            let style = format!("height:{}px", f64::from(lines) * LINE_HEIGHT);
            html! { <div class="spacer" {style} /> }
        })
    };
    let (above, below) = (spacer(view.start), spacer(total - view.end));
    let (above_g, below_g) = (above.clone(), below.clone());
    let code_width = format!("min-width:calc({}ch + 24px)", shape.columns);
    let errors = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = p
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let badge = if errors > 0 {
        html! { <span class="badge b-error">{ format!("● {errors} error{}", if errors == 1 { "" } else { "s" }) }</span> }
    } else if warnings > 0 {
        html! { <span class="badge b-warning">{ format!("▲ {warnings} warning{}", if warnings == 1 { "" } else { "s" }) }</span> }
    } else {
        html! {}
    };
    html! {
        <section class={classes!("editor", format!("editor-{}", p.editor.name()), dragging.then_some("dragging"))}
            {ondragover} {ondragleave} {ondrop} data-drop={p.editor.name()}>
            <div class="panel-head">
                <h2><label for={id.clone()}>{ p.label.clone() }</label></h2>
                { badge }
                <span class="hint">{ p.hint.clone() }</span>
                { for open_files }
            </div>
            <div class="code">
                <div class="gutter" ref={gutter_ref} aria-hidden="true">
                    <div class="gutter-inner">{ for above_g }{ for gutter_lines }{ for below_g }</div>
                </div>
                <div class="code-area">
                    <pre class="hl-layer" ref={pre_ref} aria-hidden="true"><code style={code_width}>{ for above }{ for code_lines }{ for below }</code></pre>
                    <textarea
                        id={id}
                        ref={p.textarea_ref.clone()}
                        data-testid={testid}
                        class="code-input"
                        value={p.text.clone()}
                        {oninput}
                        {onscroll}
                        {onkeydown}
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        wrap="off"
                        aria-describedby="editor-keys-hint"
                        aria-invalid={if errors > 0 { "true" } else { "false" }}
                    />
                </div>
            </div>
        </section>
    }
}

/// Texts up to this many lines are rendered whole.
const WHOLE_UP_TO: u32 = 200;
/// The window moves in chunks of this many lines, so that scrolling renders rarely.
const CHUNK: u32 = 64;

/// What the editor needs to know of its whole text: the number of lines and the longest line's
/// width in columns (a tab counts as two, as in `tab-size`).
#[derive(Debug, PartialEq)]
struct TextShape {
    lines: u32,
    columns: usize,
}

impl TextShape {
    fn of(text: &str) -> TextShape {
        let mut shape = TextShape {
            lines: 0,
            columns: 0,
        };
        for l in text.split('\n') {
            shape.lines += 1;
            let w: usize = l.chars().map(|c| if c == '\t' { 2 } else { 1 }).sum();
            shape.columns = shape.columns.max(w);
        }
        shape
    }
}

/// The chunk that holds the line at the top of a view scrolled by `scroll_top` pixels.
fn chunk_at(scroll_top: i32) -> u32 {
    (f64::from(scroll_top.max(0)) / LINE_HEIGHT) as u32 / CHUNK
}

/// How many lines a view can show at most: the editors are never taller than the window.
fn viewport_lines() -> u32 {
    let h = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|h| h.as_f64())
        .unwrap_or(1200.0);
    (h / LINE_HEIGHT).ceil() as u32 + 1
}

/// The lines to render (0-based, end exclusive) of a text of `total` lines whose view starts in
/// chunk `first_chunk` and shows up to `viewport` lines: the view with a chunk above and below
/// it, or all the lines of a small text.
fn visible_lines(first_chunk: u32, total: u32, viewport: u32) -> std::ops::Range<u32> {
    if total <= WHOLE_UP_TO {
        return 0..total;
    }
    let first = first_chunk.saturating_mul(CHUNK);
    let start = first
        .saturating_sub(CHUNK)
        .min(total.saturating_sub(viewport + 2 * CHUNK));
    let end = first
        .saturating_add(2 * CHUNK + viewport)
        .min(total)
        .max(start);
    start..end
}

/// True when a drag carries files (not text dragged from the page).
fn carries_files(e: &DragEvent) -> bool {
    e.data_transfer()
        .is_some_and(|dt| dt.types().includes(&"Files".into(), 0))
}

/// Copies the textarea's scroll position to the highlight layer and the gutter.
pub fn sync_scroll(ta: &HtmlElement, pre: &NodeRef, gutter: &NodeRef) {
    let (top, left) = (ta.scroll_top(), ta.scroll_left());
    if let Some(pre) = pre.cast::<HtmlElement>() {
        pre.set_scroll_top(top);
        pre.set_scroll_left(left);
    }
    if let Some(g) = gutter.cast::<HtmlElement>() {
        g.set_scroll_top(top);
    }
}

/// Inserts `s` at the cursor, keeping the browser's undo history when it can.
fn insert_text(ta: &HtmlTextAreaElement, s: &str, on_input: &Callback<String>) {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.dyn_into::<HtmlDocument>().ok());
    let done = doc.is_some_and(|d| {
        d.exec_command_with_show_ui_and_value("insertText", false, s)
            .unwrap_or(false)
    });
    if !done {
        let start = ta.selection_start().ok().flatten().unwrap_or(0);
        let end = ta.selection_end().ok().flatten().unwrap_or(start);
        let _ = ta.set_range_text_with_start_and_end(s, start, end);
        let pos = start + s.encode_utf16().count() as u32;
        let _ = ta.set_selection_range(pos, pos);
        on_input.emit(ta.value());
    }
}

#[derive(Properties, PartialEq)]
struct CodeLineProps {
    text: AttrValue,
    hl: bool,
    severity: Option<Severity>,
}

/// One highlighted line; a component so that unchanged lines are not re-rendered on a keystroke.
#[function_component(CodeLine)]
fn code_line(p: &CodeLineProps) -> Html {
    let class = classes!(
        "cl",
        p.hl.then_some("hl"),
        p.severity.map(|s| format!("has-{}", s.as_str()))
    );
    let toks = tokens(&p.text)
        .into_iter()
        .map(|(t, s)| html! { <span class={t.class()}>{ s }</span> });
    html! { <div {class}>{ for toks }{ "\n" }</div> }
}

#[derive(Properties, PartialEq)]
struct GutterLineProps {
    n: u32,
    hl: bool,
    /// The worst severity on the line and the messages (tooltip).
    marker: Option<(Severity, AttrValue)>,
}

#[function_component(GutterLine)]
fn gutter_line(p: &GutterLineProps) -> Html {
    let marker = p.marker.as_ref().map(|(s, title)| {
        html! {
            <span class={classes!("marker", format!("m-{}", s.as_str()))} title={title.clone()}>
                { match s { Severity::Error => "●", Severity::Warning => "▲", Severity::Info => "ℹ" } }
            </span>
        }
    });
    html! { <div class={classes!("gl", p.hl.then_some("hl"))}>{ for marker }<span class="num">{ p.n }</span></div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_covers_the_view_with_a_chunk_either_side() {
        // (first chunk, lines, viewport) → rendered lines.
        for (chunk, total, viewport, want) in [
            (0, 150, 40, 0..150),
            (5, 200, 40, 0..200),
            (0, 7_500, 40, 0..168),
            (1, 7_500, 40, 0..232),
            (50, 7_500, 40, 3_136..3_368),
            (117, 7_500, 40, 7_332..7_500),
            // A shorter text than the scroll position still shows its last lines.
            (500, 1_000, 40, 832..1_000),
        ] {
            assert_eq!(
                visible_lines(chunk, total, viewport),
                want,
                "{chunk} {total}"
            );
        }
    }

    #[test]
    fn shapes() {
        assert_eq!(
            TextShape::of("a: b\n\tlonger: line\n"),
            TextShape {
                lines: 3,
                columns: 14
            }
        );
        assert_eq!(
            TextShape::of(""),
            TextShape {
                lines: 1,
                columns: 0
            }
        );
    }
}
