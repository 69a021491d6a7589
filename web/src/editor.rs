//! A code editor: a `<textarea>` whose text is transparent, over a `<pre>` with the same text
//! syntax-highlighted, plus a line-number gutter with diagnostic markers. Scrolling is synced.
//!
//! Texts of more than [`WINDOWED_ABOVE`] lines are *windowed*, because Chromium lays out a
//! 7,500-line textarea in 100–200 ms on every keystroke: the textarea then holds only the lines
//! around the view (`editor_window::window_at`), placed inside a scroll container as tall as the
//! whole text, which scrolls the highlight layer and the textarea together (the gutter follows
//! it). The whole text stays in the props; an edit of the window is spliced into it and emitted
//! through `on_input` as a whole text, as for a short text. When the window moves while the
//! textarea has focus, the selection keeps its place in the text (a selection reaching past the
//! new window is clipped to it), and the browser's undo history starts again. Ctrl/Cmd+A puts
//! the whole text in the textarea (one slow layout), so that the whole text is selected and
//! copied; the next edit, or a scroll once the selection is collapsed, brings back a window.
//! Ctrl+Home and Ctrl+End go to the text's ends.
//!
//! Test hooks: the textarea carries `data-lines` (the whole text's lines) and, when windowed,
//! `data-window-start` / `data-window-end` (the 0-based lines it holds, end exclusive). An
//! `input` event that is not an `InputEvent` with an `inputType` (a script's `value = …` and
//! `new Event('input')`) means "the value is the whole text", windowed or not; an `InputEvent`
//! with an `inputType` (real typing, `execCommand`) is an edit of the window.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{HtmlDocument, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::app::{utf16_offset, DiagVm, Editor};
use crate::browser::read_files;
use crate::editor_window::{
    self as win, visible_lines, LineIndex, TextShape, CHUNK, WINDOWED_ABOVE,
};
use crate::highlight::tokens;
use netpol_engine::Severity;

/// Line height of the editors in CSS pixels (must match `--code-lh` in style.css).
pub const LINE_HEIGHT: f64 = 20.0;
/// The padding above the first line, in CSS pixels (`.hl-layer` and `.gutter-inner`).
const PAD_TOP: f64 = 8.0;

/// An editor's whole text and the window of it that its textarea holds.
struct Held {
    /// The text the props brought last.
    seen: AttrValue,
    text: String,
    idx: LineIndex,
    window: Range<u32>,
    /// The view's top line (0-based), as the last scroll left it.
    top: u32,
    /// The longest line's width in columns, as last rendered.
    columns: usize,
    /// Counts the texts that replaced the held one whole (from the props or a script), as
    /// opposed to edits typed into it.
    replaced: u32,
    /// The (`replaced`, `window`) for which the textarea was last checked to hold the window.
    checked: Option<(u32, Range<u32>)>,
}

impl Held {
    fn new(text: &AttrValue) -> Held {
        let mut h = Held {
            seen: text.clone(),
            text: String::new(),
            idx: LineIndex::default(),
            window: 0..0,
            top: 0,
            columns: 0,
            replaced: 0,
            checked: None,
        };
        h.set_text(text.to_string());
        h
    }

    /// A text that replaces the held one whole.
    fn set_text(&mut self, text: String) {
        self.replaced = self.replaced.wrapping_add(1);
        self.load(text);
    }

    /// Holds `text` (typed, or replacing the held one).
    fn load(&mut self, text: String) {
        self.idx = LineIndex::of(&text);
        self.text = text;
        self.window = win::window_at(self.top, self.idx.lines(), viewport_lines());
    }

    fn windowed(&self) -> bool {
        self.idx.lines() > WINDOWED_ABOVE
    }

    fn window_value(&self) -> &str {
        win::window_text(&self.text, &self.idx, &self.window)
    }

    /// True when the textarea holds the whole text of a windowed editor (after select-all).
    fn holds_all(&self) -> bool {
        self.window.start == 0 && self.window.end == self.idx.lines()
    }

    /// Takes a new value of the textarea: an edit of the window, or a whole text.
    fn take_value(&mut self, value: String, edit: bool) {
        if !edit {
            self.set_text(value);
            return;
        }
        let whole = win::splice(&self.text, &self.idx, &self.window, &value);
        let start = self.window.start;
        self.idx = LineIndex::of(&whole);
        self.text = whole;
        self.window = start..(start + win::lines_of(&value)).min(self.idx.lines());
    }
}

/// An editor on the page: its held text and what renders it again.
type Registered = (Editor, Rc<RefCell<Held>>, Callback<()>);

thread_local! {
    /// The windowed state of each editor on the page, so that `place_cursor` can move a window.
    static EDITORS: RefCell<Vec<Registered>> = const { RefCell::new(Vec::new()) };
}

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
    let area_ref = use_node_ref();
    // After Escape, the next Tab moves focus instead of inserting spaces.
    let escaped = use_mut_ref(|| Cell::new(false));
    let testid = match p.editor {
        Editor::Policies => "policies-editor",
        Editor::Cluster => "cluster-editor",
    };
    let id = format!("{}-editor", p.editor.name());
    let redraw = use_force_update();
    let held = use_mut_ref(|| Held::new(&p.text));
    {
        // A text from elsewhere (an example, a file, a test hook) replaces the held one; the
        // props catching up with an edit change nothing.
        let mut h = held.borrow_mut();
        if h.seen != p.text {
            h.seen = p.text.clone();
            if h.text != p.text.as_str() {
                h.set_text(p.text.to_string());
            }
        }
    }
    {
        let (held, redraw) = (held.clone(), redraw.clone());
        use_effect_with(p.editor, move |&editor| {
            let redraw = Callback::from(move |()| redraw.force_update());
            EDITORS.with(|e| {
                let mut e = e.borrow_mut();
                e.retain(|(ed, _, _)| *ed != editor);
                e.push((editor, held, redraw));
            });
            move || EDITORS.with(|e| e.borrow_mut().retain(|(ed, _, _)| *ed != editor))
        });
    }
    let windowed = held.borrow().windowed();

    // The chunk of lines at the top of the view; the lines around it are rendered.
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
    // A windowed editor scrolls its code area, which moves the window in chunks.
    let onscroll_area = {
        let (gutter, ta_ref, area) = (gutter_ref.clone(), p.textarea_ref.clone(), area_ref.clone());
        let (first_chunk, held, redraw) = (first_chunk.clone(), held.clone(), redraw.clone());
        Callback::from(move |e: Event| {
            // Yew delivers the textarea's own scroll events here too: only the area's count.
            let Some(area) = area.cast::<HtmlElement>() else {
                return;
            };
            if e.target().as_ref() != Some(area.as_ref()) {
                return;
            }
            let top = area.scroll_top();
            if let Some(g) = gutter.cast::<HtmlElement>() {
                g.set_scroll_top(top);
            }
            first_chunk.set(chunk_at(top));
            let mut h = held.borrow_mut();
            let line = line_at(top);
            let moved_chunk = line / CHUNK != h.top / CHUNK;
            h.top = line;
            if !h.windowed() {
                return;
            }
            let Some(ta) = ta_ref.cast::<HtmlTextAreaElement>() else {
                return;
            };
            // After select-all the textarea keeps the whole text while something is selected.
            let collapsed =
                ta.selection_start().ok().flatten() == ta.selection_end().ok().flatten();
            if moved_chunk || (h.holds_all() && collapsed) {
                let to = win::window_at(line, h.idx.lines(), viewport_lines());
                if move_window(&mut h, &ta, to) {
                    drop(h);
                    redraw.force_update();
                }
            }
        })
    };
    // A new text may have moved the textarea's scroll position (a shorter text clamps it)
    // without a scroll event: the layers follow it after each render of a text that replaced
    // the held one. Not after an edit typed into it: reading the scroll position lays the page
    // out, and typing scrolls with scroll events of its own.
    {
        let (pre, gutter, ta) = (pre_ref.clone(), gutter_ref.clone(), p.textarea_ref.clone());
        let first_chunk = first_chunk.clone();
        let area = area_ref.clone();
        let replaced = held.borrow().replaced;
        use_effect_with((replaced, windowed), move |&(_, windowed)| {
            if windowed {
                if let (Some(a), Some(g)) =
                    (area.cast::<HtmlElement>(), gutter.cast::<HtmlElement>())
                {
                    g.set_scroll_top(a.scroll_top());
                    first_chunk.set(chunk_at(a.scroll_top()));
                }
            } else if let Some(ta) = ta.cast::<HtmlElement>() {
                sync_scroll(&ta, &pre, &gutter);
                first_chunk.set(chunk_at(ta.scroll_top()));
            }
        });
    }
    // After a render of a windowed editor with a new text or window, the textarea holds the
    // window (a script may have put the whole text there). Typed edits leave it holding the
    // window, and reading its value costs a copy of it: it is not read after each of them.
    {
        let (held, ta_ref) = (held.clone(), p.textarea_ref.clone());
        use_effect(move || {
            let Some(ta) = ta_ref.cast::<HtmlTextAreaElement>() else {
                return;
            };
            let mut h = held.borrow_mut();
            if !h.windowed() {
                return;
            }
            let now = Some((h.replaced, h.window.clone()));
            if h.checked == now {
                return;
            }
            h.checked = now;
            let want = h.window_value();
            if ta.value() != want {
                ta.set_value(want);
                ta.set_scroll_top(0);
            }
        });
    }
    // Takes the textarea's value: an edit of the window or a whole text (see the module doc).
    let on_value = {
        let (cb, held) = (p.on_input.clone(), held.clone());
        let ta_ref = p.textarea_ref.clone();
        Callback::from(move |(value, edit): (String, bool)| {
            let mut h = held.borrow_mut();
            if !h.windowed() {
                // Held as typed, so that the props catching up with it change nothing.
                h.load(value.clone());
                drop(h);
                cb.emit(value);
                return;
            }
            h.take_value(value, edit);
            // After select-all and an edit, a window again.
            if h.windowed()
                && h.window.len() > 2 * win::window_at(0, u32::MAX, viewport_lines()).len()
            {
                if let Some(ta) = ta_ref.cast::<HtmlTextAreaElement>() {
                    let to = win::window_at(h.top, h.idx.lines(), viewport_lines());
                    move_window(&mut h, &ta, to);
                }
            }
            let text = h.text.clone();
            drop(h);
            cb.emit(text);
        })
    };
    let oninput = {
        let on_value = on_value.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(ta) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            {
                let edit = e.is_instance_of::<web_sys::InputEvent>() && !e.input_type().is_empty();
                on_value.emit((ta.value(), edit));
            }
        })
    };
    let onkeydown = {
        let on_value = on_value.clone();
        let escaped: Rc<std::cell::RefCell<Cell<bool>>> = escaped.clone();
        let (held, area, redraw) = (held.clone(), area_ref.clone(), redraw.clone());
        Callback::from(move |e: KeyboardEvent| {
            let Some(ta) = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlTextAreaElement>().ok())
            else {
                return;
            };
            if window_keys(&e, &ta, &held, &area) {
                redraw.force_update();
            }
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
                    insert_text(&ta, "  ", &on_value);
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
    // Lines are keyed by their text (and which occurrence of it they are), not by their
    // number: a line typed or deleted then moves the lines below instead of rendering each of
    // them again with its neighbour's text.
    let mut seen: HashMap<&str, u32> = HashMap::new();
    let code_lines = shown()
        .map(|(l, n)| {
            let occurrence = seen.entry(l).or_default();
            *occurrence += 1;
            let key = format!("{occurrence}\u{0}{l}");
            html! { <CodeLine {key} text={AttrValue::from(l.to_string())} hl={in_hl(n)} severity={worst(n)} /> }
        })
        .collect::<Vec<_>>();
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
    // They have keys too, so that the lists of lines stay fully keyed (Yew matches the children
    // of an element with some unkeyed ones by position).
    let spacer = |lines: u32, key: &'static str| {
        (lines > 0).then(|| {
            let style = format!("height:{}px", f64::from(lines) * LINE_HEIGHT);
            html! { <div {key} class="spacer" {style} /> }
        })
    };
    let (above, below) = (
        spacer(view.start, "above"),
        spacer(total - view.end, "below"),
    );
    let (above_g, below_g) = (above.clone(), below.clone());
    let code_width = format!("min-width:calc({}ch + 24px)", shape.columns);
    let (value, window, ta_style) = {
        let mut h = held.borrow_mut();
        h.columns = shape.columns;
        if windowed {
            let w = h.window.clone();
            let style = window_style(&w, shape.columns);
            (
                AttrValue::from(h.window_value().to_string()),
                Some(w),
                Some(style),
            )
        } else {
            (p.text.clone(), None, None)
        }
    };
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
            <div class={classes!("code", windowed.then_some("windowed"))}>
                <div class="gutter" ref={gutter_ref} aria-hidden="true">
                    <div class="gutter-inner">{ for above_g }{ for gutter_lines }{ for below_g }</div>
                </div>
                <div class="code-area" ref={area_ref} onscroll={windowed.then_some(onscroll_area)}>
                    <pre class="hl-layer" ref={pre_ref} aria-hidden="true"><code style={code_width}>{ for above }{ for code_lines }{ for below }</code></pre>
                    <textarea
                        id={id}
                        ref={p.textarea_ref.clone()}
                        data-testid={testid}
                        class="code-input"
                        value={value}
                        style={ta_style}
                        data-lines={total.to_string()}
                        data-window-start={window.as_ref().map(|w| w.start.to_string())}
                        data-window-end={window.as_ref().map(|w| w.end.to_string())}
                        {oninput}
                        onscroll={(!windowed).then_some(onscroll)}
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

/// The view's top line (0-based) when its scroll container is scrolled by `scroll_top` pixels.
fn line_at(scroll_top: i32) -> u32 {
    (f64::from(scroll_top.max(0)) / LINE_HEIGHT) as u32
}

/// Where a windowed textarea sits: at its first line, as tall as its lines and one more (so that
/// it never scrolls itself), as wide as the longest line of the whole text and a margin.
fn window_style(w: &Range<u32>, columns: usize) -> String {
    format!(
        "top:{}px;height:{}px;min-width:calc({columns}ch + 48px)",
        PAD_TOP + f64::from(w.start) * LINE_HEIGHT,
        f64::from(w.len() as u32 + 1) * LINE_HEIGHT
    )
}

/// Puts window `to` of the held text into the textarea at once (not at the next render, so that
/// the browser's next step of the caret sees it), keeping a focused selection's place in the
/// text. Native undo starts again here. Returns whether the window moved.
fn move_window(h: &mut Held, ta: &HtmlTextAreaElement, to: Range<u32>) -> bool {
    if to == h.window {
        return false;
    }
    let focused = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.active_element())
        .is_some_and(|el| el == ***ta);
    let selection = focused.then(|| whole_selection(h, ta));
    h.window = to;
    let _ = ta.set_attribute("style", &window_style(&h.window, h.columns));
    let _ = ta.set_attribute("data-window-start", &h.window.start.to_string());
    let _ = ta.set_attribute("data-window-end", &h.window.end.to_string());
    ta.set_value(h.window_value());
    ta.set_scroll_top(0);
    if let Some((a, b)) = selection {
        select(h, ta, a, b);
    }
    true
}

/// The textarea's selection as UTF-16 offsets into the whole held text.
fn whole_selection(h: &Held, ta: &HtmlTextAreaElement) -> (u32, u32) {
    let start = ta.selection_start().ok().flatten().unwrap_or(0);
    let end = ta.selection_end().ok().flatten().unwrap_or(start);
    (
        win::to_whole(&h.idx, &h.window, start),
        win::to_whole(&h.idx, &h.window, end),
    )
}

/// Selects the whole-text offsets `a..b` in the textarea's window (clipped to it).
fn select(h: &Held, ta: &HtmlTextAreaElement, a: u32, b: u32) {
    let (a, b) = (
        win::to_window(&h.idx, &h.window, a),
        win::to_window(&h.idx, &h.window, b),
    );
    let _ = ta.set_selection_range(a, b);
}

/// The keys that move a windowed editor's window before the browser acts on them: select-all
/// (the textarea takes the whole text), Ctrl+Home and Ctrl+End (the text's ends), and the caret
/// keys when the caret is within a chunk of an edge of the window (so it never stops there).
/// Returns whether the window moved.
fn window_keys(
    e: &KeyboardEvent,
    ta: &HtmlTextAreaElement,
    held: &RefCell<Held>,
    area: &NodeRef,
) -> bool {
    let mut h = held.borrow_mut();
    if !h.windowed() {
        return false;
    }
    let total = h.idx.lines();
    let ctrl = e.ctrl_key() || e.meta_key();
    let vp = viewport_lines();
    match e.key().as_str() {
        "a" | "A" if ctrl && !e.alt_key() && !e.shift_key() => move_window(&mut h, ta, 0..total),
        "Home" | "End" if ctrl && !e.alt_key() && !e.shift_key() => {
            e.prevent_default();
            let end = e.key() == "End";
            h.top = if end { total.saturating_sub(vp) } else { 0 };
            let to = win::window_at(h.top, total, vp);
            let moved = move_window(&mut h, ta, to);
            let at = if end { h.idx.len_utf16() } else { 0 };
            select(&h, ta, at, at);
            if let Some(a) = area.cast::<HtmlElement>() {
                a.set_scroll_top(if end { a.scroll_height() } else { 0 });
            }
            moved
        }
        "ArrowUp" | "ArrowDown" | "PageUp" | "PageDown" => {
            let (a, b) = whole_selection(&h, ta);
            let caret = if ta.selection_direction().ok().flatten().as_deref() == Some("backward") {
                a
            } else {
                b
            };
            let line = h.idx.line_of(caret);
            if win::near_edge(&h.window, total, line) {
                let to = win::window_at(line.saturating_sub(vp / 2), total, vp);
                move_window(&mut h, ta, to)
            } else {
                false
            }
        }
        _ => false,
    }
}

/// Puts the caret at `line`:`col` (1-based) of an editor's text and focuses it; a windowed
/// editor first moves its window there.
pub fn place_cursor(editor: Editor, ta: &HtmlTextAreaElement, line: u32, col: u32) {
    if let Some((held, redraw)) = windowed(editor) {
        let mut h = held.borrow_mut();
        let at = utf16_offset(&h.text, line, col);
        let l = line.saturating_sub(1);
        let total = h.idx.lines();
        if !h.window.contains(&l) || win::near_edge(&h.window, total, l) {
            h.top = l.saturating_sub(viewport_lines() / 3);
            let to = win::window_at(h.top, total, viewport_lines());
            move_window(&mut h, ta, to);
        }
        let _ = ta.focus();
        select(&h, ta, at, at);
        drop(h);
        redraw.emit(());
        return;
    }
    let off = utf16_offset(&ta.value(), line, col);
    let _ = ta.focus();
    let _ = ta.set_selection_range(off, off);
}

/// Scrolls an editor so that `line` is about a third from the top: a short text's textarea, or
/// a windowed editor's code area (whose scroll moves the window).
pub fn scroll_to_line(editor: Editor, ta: &HtmlTextAreaElement, line: u32) {
    let area = windowed(editor).and_then(|_| ta.parent_element()?.dyn_into::<HtmlElement>().ok());
    let el: &HtmlElement = match &area {
        Some(a) => a,
        None => ta,
    };
    let target = (f64::from(line) - 1.0) * LINE_HEIGHT;
    let h = f64::from(el.client_height());
    let top = f64::from(el.scroll_top());
    if target < top || target + LINE_HEIGHT > top + h {
        el.set_scroll_top((target - h / 3.0).max(0.0) as i32);
    }
    let opts = web_sys::ScrollIntoViewOptions::new();
    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
    el.scroll_into_view_with_scroll_into_view_options(&opts);
}

/// The held text of an editor on the page, when it is windowed.
fn windowed(editor: Editor) -> Option<(Rc<RefCell<Held>>, Callback<()>)> {
    EDITORS.with(|e| {
        e.borrow()
            .iter()
            .find(|(ed, h, _)| *ed == editor && h.borrow().windowed())
            .map(|(_, h, r)| (h.clone(), r.clone()))
    })
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
fn insert_text(ta: &HtmlTextAreaElement, s: &str, on_value: &Callback<(String, bool)>) {
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
        on_value.emit((ta.value(), true));
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
