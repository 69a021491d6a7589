//! Events and effects, Crux style: [`update`] applies an [`Event`] to the [`State`] and returns
//! the [`Effect`]s it wants performed (storage, clipboard, timers, scrolling) as data. The shell
//! (`lib.rs`) performs them; the core never touches the DOM.

use netpol_engine::PortProto;
use serde::{Deserialize, Serialize};

use super::diff::DiffEvent;
use super::evaluation::Editor;
use super::files::{is_manifest_name, join_files};
use super::learn::{LearnEvent, Menu, Progress, Solution};
use super::share;
use super::state::{LineRange, Saved, State, View};

/// Everything that can happen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// Text typed in an editor (a keystroke).
    Edit(Editor, String),
    /// Files dropped or picked onto an editor (name, text), read in the browser: their texts,
    /// joined, replace the editor's.
    LoadFiles(Editor, Vec<(String, String)>),
    /// The "Group replicas" toggle.
    GroupReplicas(bool),
    LoadExample(String),
    ResetExample,
    /// An option value of the port picker (`PORT/PROTO` or `all`).
    SelectPort(String),
    SelectView(View),
    SelectFlow {
        from: String,
        to: String,
    },
    /// In all-ports mode: which port the Why? panel explains.
    ExplainPort(PortProto),
    ClearFlow,
    /// Toggle the selection of a policy in the policies list.
    SelectPolicy(String),
    /// Highlight the YAML block at a position (`file` is an input name), or the whole document
    /// (YAML `---` section) holding it.
    ShowSpan {
        file: String,
        line: u32,
        col: u32,
        whole_document: bool,
    },
    /// Go to a diagnostic: highlight its line and put the cursor at its position.
    Goto {
        editor: Editor,
        line: u32,
        col: u32,
    },
    ClearHighlight,
    Hover(Option<String>),
    /// AND/OR variants, Compare, undo, deferred work.
    Diff(DiffEvent),
    /// Tutorial, exercises, share buttons.
    Learn(LearnEvent),
    /// The address bar's fragment changed while the page was open (`hashchange`, e.g. a second
    /// share link opened in the same tab): a `#s=` link replaces the state.
    OpenLink(String),
}

/// What the core asks the shell to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Effect {
    /// Store the work in progress (`STORAGE_KEY` in localStorage).
    Save(Saved),
    /// Store the learner's progress (`PROGRESS_KEY` in localStorage).
    SaveProgress(Progress),
    /// Put text on the clipboard.
    Copy(String),
    /// Send `Event::Diff(DiffEvent::IdleAt(seq))` after `IDLE_MS`.
    WaitForIdle(u32),
    /// Remove the `#s=` share fragment from the address bar.
    ClearFragment,
    /// After the render: scroll the editor so that `line` shows.
    ScrollEditor { editor: Editor, line: u32 },
    /// After the render: focus the editor with the cursor at `line:col`.
    PlaceCursor { editor: Editor, line: u32, col: u32 },
    /// After the render: bring the Why? panel into view.
    ShowExplanation,
    /// After the render: scroll the Learn column to its top.
    ScrollLearnToTop,
}

/// Applies an event to the state; returns what the shell should do about it.
pub fn update(state: &mut State, event: Event) -> Vec<Effect> {
    let hover = matches!(event, Event::Hover(_));
    let keystroke = matches!(event, Event::Edit(..));
    let flow = selected_flow(state);
    let lesson = (state.learn.step, state.learn.exercise);
    let mut fx = Vec::new();
    apply(state, event, &mut fx);
    if !hover {
        // Derived data too slow to recompute on every hover.
        state.refresh(keystroke);
        if state.learn.record_completion() {
            fx.extend(save_progress(state));
        }
    }
    let now = selected_flow(state);
    if now.is_some() && now != flow {
        fx.push(Effect::ShowExplanation);
    }
    if (state.learn.step, state.learn.exercise) != lesson {
        fx.push(Effect::ScrollLearnToTop);
    }
    fx
}

/// A share link opened in a running page: its state replaces the current one, keeping what
/// belongs to the page (progress, embed mode, its URL, deferred work). A broken link keeps the
/// current work and says so.
fn open_link(state: &mut State, hash: &str, fx: &mut Vec<Effect>) {
    if !share::is_link(hash) {
        return;
    }
    match share::from_link(state.examples.clone(), hash) {
        Ok(mut st) => {
            st.learn.progress = std::mem::take(&mut state.learn.progress);
            st.page_url = std::mem::take(&mut state.page_url);
            st.embed = state.embed.take();
            st.diff.lazy = state.diff.lazy;
            *state = st;
            fx.extend(save(state));
        }
        Err(detail) => {
            state.learn.share_error = Some(share::broken_link_message(
                &detail,
                "Your work is unchanged.",
            ));
        }
    }
    if state.embed.is_none() {
        fx.push(Effect::ClearFragment);
    }
}

fn selected_flow(state: &State) -> Option<(String, String)> {
    state.flow.as_ref().map(|f| (f.from.clone(), f.to.clone()))
}

/// Saves the work in progress, except in embedded copies (they never overwrite the work saved by
/// the full playground).
pub fn save(state: &State) -> Option<Effect> {
    state.embed.is_none().then(|| Effect::Save(state.saved()))
}

pub fn save_progress(state: &State) -> Option<Effect> {
    state
        .embed
        .is_none()
        .then(|| Effect::SaveProgress(state.learn.progress.clone()))
}

fn apply(state: &mut State, event: Event, fx: &mut Vec<Effect>) {
    match event {
        Event::OpenLink(hash) => open_link(state, &hash, fx),
        Event::Edit(editor, text) => {
            state.edit(editor, text);
            let d = &mut state.diff;
            if d.lazy {
                d.idle_seq = d.idle_seq.wrapping_add(1);
                fx.push(Effect::WaitForIdle(d.idle_seq));
            }
            fx.extend(save(state));
        }
        Event::LoadFiles(editor, files) => {
            let files: Vec<(String, String)> = files
                .into_iter()
                .filter(|(name, _)| is_manifest_name(name))
                .collect();
            if !files.is_empty() {
                state.edit(editor, join_files(&files));
                fx.extend(save(state));
            }
        }
        Event::GroupReplicas(on) => {
            state.set_group_replicas(on);
            fx.extend(save(state));
        }
        Event::LoadExample(id) => {
            // Picking an example in an exercise leaves the exercise; picking the exercise's own
            // entry of the menu (or an unknown id) changes nothing.
            if state.examples.iter().any(|e| e.id == id) {
                if state.learn.exercise.is_some() {
                    state.learn.leave_exercise();
                }
                state.load_example(&id);
                fx.extend(save(state));
            }
        }
        Event::ResetExample => {
            // Inside an exercise, Reset restores the exercise's start (undoable).
            if !state.reset_exercise() {
                let id = state.example.clone();
                state.load_example(&id);
            }
            fx.extend(save(state));
        }
        Event::SelectPort(v) => {
            state.select_port(&v);
            fx.extend(save(state));
        }
        Event::SelectView(v) => {
            state.view = v;
            fx.extend(save(state));
        }
        Event::SelectFlow { from, to } => state.select_flow(from, to),
        Event::ExplainPort(pp) => {
            if let Some(f) = &mut state.flow {
                f.port = Some(pp);
            }
        }
        Event::ClearFlow => state.flow = None,
        Event::SelectPolicy(id) => {
            state.policy = if state.policy.as_deref() == Some(id.as_str()) {
                None
            } else {
                Some(id)
            };
        }
        Event::ShowSpan {
            file,
            line,
            col,
            whole_document,
        } => {
            if state.show_span(&file, line, col, whole_document) {
                if let Some(h) = state.highlight {
                    fx.push(Effect::ScrollEditor {
                        editor: h.editor,
                        line: h.start,
                    });
                }
            }
        }
        Event::Goto { editor, line, col } => {
            state.highlight = Some(LineRange {
                editor,
                start: line,
                end: line,
            });
            fx.push(Effect::PlaceCursor { editor, line, col });
            fx.push(Effect::ScrollEditor { editor, line });
        }
        Event::ClearHighlight => state.highlight = None,
        Event::Hover(h) => state.hover = h,
        Event::Diff(ev) => diff(state, ev, fx),
        Event::Learn(ev) => learn(state, ev, fx),
    }
}

fn diff(state: &mut State, ev: DiffEvent, fx: &mut Vec<Effect>) {
    match ev {
        DiffEvent::ApplyVariant(i) => {
            if let Some(after) = state.variant_text(i) {
                let before = state.policies.clone();
                applied(state, before, after);
            }
        }
        DiffEvent::Applied { before, after } => applied(state, before, after),
        DiffEvent::Undo => {
            if let Some(text) = state.diff.undo.pop() {
                if state.policies != text {
                    state.edit(Editor::Policies, text);
                }
            }
        }
        DiffEvent::PinBaseline => state.diff.baseline = Some(state.policies.clone()),
        DiffEvent::ClearBaseline => state.diff.clear_baseline(),
        // The deferred work is the refresh `update` does after every event but a keystroke.
        // (An outdated `IdleAt` refreshes too, as it always did: its number is not checked.)
        DiffEvent::Idle | DiffEvent::IdleAt(_) => return,
    }
    fx.extend(save(state));
}

/// A programmatic edit of the policies: undoable.
fn applied(state: &mut State, before: String, after: String) {
    state.diff.push_undo(before);
    if state.policies != after {
        state.edit(Editor::Policies, after);
    }
}

fn learn(state: &mut State, ev: LearnEvent, fx: &mut Vec<Effect>) {
    let l = &mut state.learn;
    match ev {
        LearnEvent::Menu(menu) => {
            l.menu = if l.menu == menu { Menu::Closed } else { menu };
            if menu == Menu::Tutorial && l.step.is_none() && l.menu == Menu::Tutorial {
                let i = l.progress.step.unwrap_or(0);
                open_step(state, i, fx);
            }
        }
        LearnEvent::BackToList => l.leave_exercise(),
        LearnEvent::Close => l.close(),
        LearnEvent::OpenExercise(i) => open_exercise(state, i, fx),
        LearnEvent::OpenStep(i) => open_step(state, i, fx),
        LearnEvent::Hint => l.hints += 1,
        LearnEvent::AskSolution => l.solution = Solution::Confirming,
        LearnEvent::CancelSolution => l.solution = Solution::Hidden,
        LearnEvent::ConfirmSolution => l.solution = Solution::Shown,
        LearnEvent::UseSolution => {
            if let Some(text) = l.solution_text().map(str::to_string) {
                state.edit(Editor::Policies, text);
            }
            fx.extend(save(state));
        }
        LearnEvent::RestartExercise => {
            if let Some(i) = l.exercise {
                let before = (state.policies.clone(), state.cluster.clone());
                let modified = state.modified();
                open_exercise(state, i, fx);
                if modified {
                    state.learn.before_reset = Some(before);
                }
            }
        }
        LearnEvent::CopyLink => {
            let (page, frag) = link(state);
            let url = format!("{page}{frag}");
            fx.push(Effect::Copy(url.clone()));
            state.learn.share_url = Some(url);
            state.learn.snippet = None;
        }
        LearnEvent::EmbedSnippet => {
            let (page, frag) = link(state);
            let snippet = share::embed_snippet(&page, &frag, &share::view_name(state.view));
            fx.push(Effect::Copy(snippet.clone()));
            state.learn.snippet = Some(snippet);
            state.learn.share_url = None;
        }
        LearnEvent::DismissShare => {
            l.share_url = None;
            l.snippet = None;
        }
        LearnEvent::DismissError => l.share_error = None,
        LearnEvent::ShowLints(on) => l.lints_shown = on,
        LearnEvent::UndoReset => {
            state.undo_reset();
            fx.extend(save(state));
        }
        LearnEvent::ShowHighlight(k) => {
            if let Some(h) = l.step_highlight(k).cloned() {
                state.show_highlight(&h);
            }
        }
    }
}

/// Opens exercise `i` from its start (texts, port) and saves.
fn open_exercise(state: &mut State, i: usize, fx: &mut Vec<Effect>) {
    if let Some(s) = state.learn.open_exercise(i) {
        state.load_scenario(s);
    }
    fx.extend(save(state));
}

/// Opens tutorial step `i` (texts, port, highlights) and saves the progress and the work.
fn open_step(state: &mut State, i: usize, fx: &mut Vec<Effect>) {
    if let Some(s) = state.learn.open_step(i) {
        state.load_scenario(s);
    }
    fx.extend(save_progress(state));
    fx.extend(save(state));
}

/// The share link of the state: (page URL, `#s=` fragment).
fn link(state: &State) -> (String, String) {
    let l = &state.learn;
    let s = share::to_share(state, l.exercise_id(), l.step.map(|s| s as u32));
    (state.page_url.clone(), netpol_share::to_fragment(&s))
}
