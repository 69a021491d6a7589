//! The Learn side of the playground (issues 5 and 6): the tutorial, the exercises with a live
//! goal checklist, share links and the embed snippet.
//!
//! [`Learn`] is plain state next to the core [`State`]; its methods that change both are pure
//! (tested natively). The render functions at the end are called from `App::view`.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;

use netpol_engine::exercise::Highlight;
use netpol_engine::TutorialStep;
use netpol_engine::{check_exercise, parse_exercise, parse_tutorial_step, Exercise, GoalResult};
use serde::{Deserialize, Serialize};
use yew::prelude::*;

use crate::core::{update as core_update, Editor, Event, Saved, State};
use crate::share::{self, EmbedParams};
use crate::{markdown, App, Msg};

/// The localStorage key of the learner's progress.
pub const PROGRESS_KEY: &str = "netpol-learn-v1";

pub struct ExerciseItem {
    /// The file stem, e.g. `01-lock-down-the-database`.
    pub id: String,
    pub ex: Exercise,
}

pub struct StepItem {
    pub id: String,
    pub markdown: &'static str,
    pub step: TutorialStep,
}

/// The embedded exercises and tutorial steps, parsed (a malformed file is left out; the
/// `netpol-examples` tests make sure none is).
pub struct LearnData {
    pub exercises: Vec<ExerciseItem>,
    pub steps: Vec<StepItem>,
}

impl LearnData {
    pub fn load() -> LearnData {
        LearnData {
            exercises: netpol_examples::exercises()
                .into_iter()
                .filter_map(|f| {
                    parse_exercise(f.yaml).ok().map(|ex| ExerciseItem {
                        id: f.id.to_string(),
                        ex,
                    })
                })
                .collect(),
            steps: netpol_examples::tutorial()
                .into_iter()
                .filter_map(|f| {
                    parse_tutorial_step(f.yaml).ok().map(|step| StepItem {
                        id: f.id.to_string(),
                        markdown: f.markdown,
                        step,
                    })
                })
                .collect(),
        }
    }
}

/// What survives a reload (JSON in localStorage).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Ids of the exercises whose goals were all met once.
    #[serde(default)]
    pub completed: BTreeSet<String>,
    /// Ids of the tutorial steps opened.
    #[serde(default)]
    pub steps_seen: BTreeSet<String>,
    /// The last tutorial step opened.
    #[serde(default)]
    pub step: Option<usize>,
}

/// Which list the Learn panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    Closed,
    Tutorial,
    Exercises,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Solution {
    Hidden,
    Confirming,
    Shown,
}

/// The goals of an exercise (index) for a policies text.
type GoalsCache = (String, usize, Rc<Vec<GoalResult>>);

pub struct Learn {
    pub data: Rc<LearnData>,
    pub progress: Progress,
    pub menu: Menu,
    /// The open exercise (index into `data.exercises`).
    pub exercise: Option<usize>,
    /// The open tutorial step.
    pub step: Option<usize>,
    /// Hints revealed for the open exercise.
    pub hints: usize,
    pub solution: Solution,
    /// A share link that could not be opened (dismissible).
    pub share_error: Option<String>,
    /// The last link copied / embed snippet made.
    pub share_url: Option<String>,
    pub snippet: Option<String>,
    /// Embed mode (`?embed=1`).
    pub embed: Option<EmbedParams>,
    pub persist: bool,
    /// (policies, exercise) → goals.
    goals: RefCell<Option<GoalsCache>>,
    /// The step / exercise the Learn column was last scrolled to the top for.
    shown: std::cell::Cell<(Option<usize>, Option<usize>)>,
}

impl Learn {
    pub fn new(persist: bool) -> Learn {
        Learn {
            data: Rc::new(LearnData::load()),
            progress: Progress::default(),
            menu: Menu::Closed,
            exercise: None,
            step: None,
            hints: 0,
            solution: Solution::Hidden,
            share_error: None,
            share_url: None,
            snippet: None,
            embed: None,
            persist,
            goals: RefCell::new(None),
            shown: std::cell::Cell::new((None, None)),
        }
    }

    pub fn exercise_id(&self) -> Option<&str> {
        self.exercise
            .and_then(|i| self.data.exercises.get(i))
            .map(|e| e.id.as_str())
    }

    /// Opens exercise `i`: its cluster and starting policies go into the editors.
    pub fn open_exercise(&mut self, state: &mut State, i: usize) {
        let Some(item) = self.data.exercises.get(i) else {
            return;
        };
        let ex = item.ex.clone();
        self.menu = Menu::Exercises;
        self.exercise = Some(i);
        self.step = None;
        self.hints = 0;
        self.solution = Solution::Hidden;
        load_texts(state, &ex.policies, &ex.cluster);
        let port = ex
            .goals
            .first()
            .map(|g| g.port.clone())
            .or_else(|| ex.matrix.as_ref().map(|m| m.port.clone()));
        if let Some(p) = port {
            core_update(state, Event::SelectPort(normalize_port(&p)));
        }
    }

    /// Opens tutorial step `i`: loads its scenario and highlights what it names.
    pub fn open_step(&mut self, state: &mut State, i: usize) {
        let Some(item) = self.data.steps.get(i) else {
            return;
        };
        let step = item.step.clone();
        self.menu = Menu::Tutorial;
        self.step = Some(i);
        self.exercise = None;
        self.progress.steps_seen.insert(item.id.clone());
        self.progress.step = Some(i);
        load_texts(state, &step.policies, &step.cluster);
        core_update(state, Event::SelectPort(normalize_port(&step.port)));
        // The first highlight of each kind is shown; the panel lists them all as buttons.
        let (mut flow, mut policy, mut pod) = (false, false, false);
        for h in &step.highlight {
            let first = match h {
                Highlight::Flow { .. } => !std::mem::replace(&mut flow, true),
                Highlight::Policy(_) => !std::mem::replace(&mut policy, true),
                Highlight::Pod(_) => !std::mem::replace(&mut pod, true),
            };
            if first {
                show_highlight(state, h);
            }
        }
    }

    /// Leaves the exercise / tutorial (the editors keep their text).
    pub fn close(&mut self) {
        self.menu = Menu::Closed;
        self.exercise = None;
        self.step = None;
    }

    /// The goals of the open exercise for these policies (cached).
    pub fn goals(&self, policies: &str) -> Option<Rc<Vec<GoalResult>>> {
        let i = self.exercise?;
        let item = self.data.exercises.get(i)?;
        let mut cache = self.goals.borrow_mut();
        if let Some((p, j, g)) = cache.as_ref() {
            if p == policies && *j == i {
                return Some(Rc::clone(g));
            }
        }
        let (goals, _) = check_exercise(&item.ex, policies);
        let goals = Rc::new(goals);
        *cache = Some((policies.to_string(), i, Rc::clone(&goals)));
        Some(goals)
    }

    /// True when the open exercise's goals are all met.
    pub fn all_met(&self, policies: &str) -> bool {
        self.goals(policies)
            .is_some_and(|g| !g.is_empty() && g.iter().all(|r| r.met))
    }

    /// Records the open exercise as completed when its goals are all met; true when that is new.
    pub fn check_completed(&mut self, policies: &str) -> bool {
        if !self.all_met(policies) {
            return false;
        }
        match self.exercise_id().map(str::to_string) {
            Some(id) => self.progress.completed.insert(id),
            None => false,
        }
    }

    /// The hint button's label, `None` when every hint is shown.
    pub fn hint_label(&self) -> Option<String> {
        let total = self
            .exercise
            .and_then(|i| self.data.exercises.get(i))
            .map_or(0, |e| e.ex.hints.len());
        let left = total.saturating_sub(self.hints);
        (left > 0).then(|| format!("Show a hint ({left} left)"))
    }

    /// Puts the reference solution into the policies editor.
    pub fn use_solution(&mut self, state: &mut State) {
        if let Some(item) = self.exercise.and_then(|i| self.data.exercises.get(i)) {
            core_update(
                state,
                Event::Edit(Editor::Policies, item.ex.solution.clone()),
            );
        }
    }

    /// Tutorial progress: (steps seen, steps).
    pub fn tutorial_progress(&self) -> (usize, usize) {
        let seen = self
            .data
            .steps
            .iter()
            .filter(|s| self.progress.steps_seen.contains(&s.id))
            .count();
        (seen, self.data.steps.len())
    }
}

/// Shows one highlight with the existing mechanisms: a selected flow (matrix cell / graph edge
/// and the Why? panel), a selected policy (its pods and flows), a hovered pod.
pub fn show_highlight(state: &mut State, h: &Highlight) {
    match h {
        Highlight::Flow { from, to, .. } => core_update(
            state,
            Event::SelectFlow {
                from: from.clone(),
                to: to.clone(),
            },
        ),
        Highlight::Policy(id) => {
            if state.policy.as_deref() != Some(id.as_str()) {
                core_update(state, Event::SelectPolicy(id.clone()));
            }
        }
        Highlight::Pod(id) => core_update(state, Event::Hover(Some(id.clone()))),
    }
}

/// `80` → `80/TCP` (what the port picker's values look like).
fn normalize_port(p: &str) -> String {
    netpol_engine::PortProto::parse(p).map_or_else(|_| p.to_string(), |pp| pp.to_string())
}

fn load_texts(state: &mut State, policies: &str, cluster: &str) {
    state.flow = None;
    state.policy = None;
    state.hover = None;
    state.port = None;
    core_update(state, Event::Edit(Editor::Cluster, cluster.to_string()));
    core_update(state, Event::Edit(Editor::Policies, policies.to_string()));
}

// ---------------------------------------------------------------------------------------------
// Start-up: share link, embed query, storage
// ---------------------------------------------------------------------------------------------

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

/// The playground's URL without query or fragment.
pub fn page_url() -> String {
    location()
        .and_then(|l| Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?)))
        .unwrap_or_default()
}

/// The initial state: a `#s=` share link wins over localStorage; a broken link falls back to the
/// default scenario with a message.
pub fn init(persist: bool, saved: Option<Saved>) -> (State, Learn) {
    let mut learn = Learn::new(persist);
    if persist {
        use gloo::storage::{LocalStorage, Storage};
        if let Ok(p) = LocalStorage::get::<Progress>(PROGRESS_KEY) {
            learn.progress = p;
        }
    }
    let search = location().and_then(|l| l.search().ok()).unwrap_or_default();
    learn.embed = share::parse_embed(&search);
    let hash = location().and_then(|l| l.hash().ok()).unwrap_or_default();
    let has_link = hash
        .trim_start_matches('#')
        .split('&')
        .any(|kv| kv.starts_with("s="));
    let mut state = if has_link {
        let state = match netpol_share::decode(&hash) {
            Ok(s) => {
                let mut st = share::restore(netpol_examples::all(), &s);
                if let Some(i) = s
                    .exercise
                    .as_ref()
                    .and_then(|id| learn.data.exercises.iter().position(|e| &e.id == id))
                {
                    learn.exercise = Some(i);
                    learn.menu = Menu::Exercises;
                }
                if let Some(i) = s
                    .tutorial_step
                    .map(|n| n as usize)
                    .filter(|&n| n < learn.data.steps.len())
                {
                    learn.step = Some(i);
                    learn.menu = Menu::Tutorial;
                }
                if learn.embed.is_none() && persist {
                    use gloo::storage::{LocalStorage, Storage};
                    let _ = LocalStorage::set(crate::core::STORAGE_KEY, st.saved());
                }
                // Restored once; later edits are saved to localStorage as usual.
                st.highlight = None;
                st
            }
            Err(e) => {
                learn.share_error = Some(format!(
                    "This share link could not be opened ({e}). Showing the default scenario instead."
                ));
                State::new(netpol_examples::all())
            }
        };
        if learn.embed.is_none() {
            clear_fragment();
        }
        state
    } else if learn.embed.is_some() {
        // An embed without a link shows the default scenario, not this browser's saved work.
        State::new(netpol_examples::all())
    } else {
        State::restore(netpol_examples::all(), saved)
    };
    if let Some(v) = learn.embed.as_ref().and_then(|e| e.view) {
        core_update(&mut state, Event::SelectView(v));
    }
    (state, learn)
}

fn clear_fragment() {
    if let (Some(w), Some(l)) = (web_sys::window(), location()) {
        let url = format!(
            "{}{}",
            l.pathname().unwrap_or_default(),
            l.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

fn copy_to_clipboard(text: &str) {
    // The Clipboard API needs a secure context (https or localhost); the text field is the
    // fallback everywhere.
    if let Some(w) = web_sys::window() {
        if w.is_secure_context() {
            let nav = w.navigator();
            if js_sys_has(nav.as_ref(), "clipboard") {
                let _ = nav.clipboard().write_text(text);
            }
        }
    }
}

fn js_sys_has(obj: &wasm_bindgen::JsValue, key: &str) -> bool {
    js_sys::Reflect::has(obj, &wasm_bindgen::JsValue::from_str(key)).unwrap_or(false)
        && js_sys::Reflect::get(obj, &wasm_bindgen::JsValue::from_str(key))
            .is_ok_and(|v| !v.is_undefined() && !v.is_null())
}

// ---------------------------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub enum LMsg {
    Menu(Menu),
    /// From an exercise back to the list.
    BackToList,
    Close,
    OpenExercise(usize),
    OpenStep(usize),
    Hint,
    AskSolution,
    CancelSolution,
    ConfirmSolution,
    UseSolution,
    RestartExercise,
    CopyLink,
    EmbedSnippet,
    DismissShare,
    DismissError,
    /// Show the n-th highlight of the open tutorial step.
    ShowHighlight(usize),
    /// After a render: record a completed exercise.
    Recheck,
}

impl Learn {
    fn save(&self) {
        if self.persist && self.embed.is_none() {
            use gloo::storage::{LocalStorage, Storage};
            let _ = LocalStorage::set(PROGRESS_KEY, &self.progress);
        }
    }

    fn link(&self, state: &State) -> (String, String) {
        let s = share::to_share(state, self.exercise_id(), self.step.map(|s| s as u32));
        (page_url(), netpol_share::to_fragment(&s))
    }
}

/// Handles a Learn message; true to re-render.
pub fn update(app: &mut App, ctx: &Context<App>, m: LMsg) -> bool {
    let learn = &mut app.learn;
    let state = &mut app.state;
    match m {
        LMsg::Menu(menu) => {
            learn.menu = if learn.menu == menu {
                Menu::Closed
            } else {
                menu
            };
            if menu == Menu::Tutorial && learn.step.is_none() && learn.menu == Menu::Tutorial {
                let i = learn.progress.step.unwrap_or(0);
                learn.open_step(state, i);
                learn.save();
                app.save(ctx);
            }
        }
        LMsg::BackToList => {
            learn.menu = Menu::Exercises;
            learn.exercise = None;
        }
        LMsg::Close => learn.close(),
        LMsg::OpenExercise(i) => {
            learn.open_exercise(state, i);
            app.save(ctx);
        }
        LMsg::OpenStep(i) => {
            learn.open_step(state, i);
            learn.save();
            app.save(ctx);
        }
        LMsg::Hint => learn.hints += 1,
        LMsg::AskSolution => learn.solution = Solution::Confirming,
        LMsg::CancelSolution => learn.solution = Solution::Hidden,
        LMsg::ConfirmSolution => learn.solution = Solution::Shown,
        LMsg::UseSolution => {
            learn.use_solution(state);
            app.save(ctx);
        }
        LMsg::RestartExercise => {
            if let Some(i) = learn.exercise {
                learn.open_exercise(state, i);
                app.save(ctx);
            }
        }
        LMsg::CopyLink => {
            let (page, frag) = learn.link(state);
            let url = format!("{page}{frag}");
            copy_to_clipboard(&url);
            learn.share_url = Some(url);
            learn.snippet = None;
        }
        LMsg::EmbedSnippet => {
            let (page, frag) = learn.link(state);
            let snippet = share::embed_snippet(&page, &frag, &share::view_name(state.view));
            copy_to_clipboard(&snippet);
            learn.snippet = Some(snippet);
            learn.share_url = None;
        }
        LMsg::DismissShare => {
            learn.share_url = None;
            learn.snippet = None;
        }
        LMsg::DismissError => learn.share_error = None,
        LMsg::ShowHighlight(k) => {
            let h = learn
                .step
                .and_then(|i| learn.data.steps.get(i))
                .and_then(|s| s.step.highlight.get(k))
                .cloned();
            if let Some(h) = h {
                show_highlight(state, &h);
            }
        }
        LMsg::Recheck => {
            let p = state.policies.clone();
            if learn.check_completed(&p) {
                learn.save();
                return true;
            }
            return false;
        }
    }
    true
}

/// Called after each render: records completion (re-rendering the list when it changes).
pub fn rendered(app: &App, ctx: &Context<App>) {
    // A new step or exercise starts at the top of the Learn column.
    let now = (app.learn.step, app.learn.exercise);
    if app.learn.shown.replace(now) != now {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("aside.learn").ok().flatten())
        {
            el.set_scroll_top(0);
        }
    }
    if let Some(id) = app.learn.exercise_id() {
        if !app.learn.progress.completed.contains(id) && app.learn.all_met(&app.state.policies) {
            ctx.link().send_message(Msg::Learn(LMsg::Recheck));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

fn cb(ctx: &Context<App>, m: LMsg) -> Callback<MouseEvent> {
    ctx.link()
        .callback(move |_: MouseEvent| Msg::Learn(m.clone()))
}

/// True when the Learn column is shown.
pub fn is_open(app: &App) -> bool {
    app.learn.menu != Menu::Closed
}

/// The header buttons: Learn, Exercises, Copy link, Embed.
pub fn header(app: &App, ctx: &Context<App>) -> Html {
    let l = &app.learn;
    let pressed = |m: Menu| if l.menu == m { "true" } else { "false" };
    html! {
        <div class="learn-buttons">
            <button type="button" class="btn" data-testid="learn-tutorial" aria-pressed={pressed(Menu::Tutorial)}
                onclick={cb(ctx, LMsg::Menu(Menu::Tutorial))}>{ "Learn" }</button>
            <button type="button" class="btn" data-testid="learn-exercises" aria-pressed={pressed(Menu::Exercises)}
                onclick={cb(ctx, LMsg::Menu(Menu::Exercises))}>{ "Exercises" }</button>
            <button type="button" class="btn" data-testid="copy-link" title="Copy a link that restores this exact state"
                onclick={cb(ctx, LMsg::CopyLink)}>{ "Copy link" }</button>
            <button type="button" class="btn" data-testid="copy-embed" title="Copy the HTML that embeds this state in a page"
                onclick={cb(ctx, LMsg::EmbedSnippet)}>{ "Embed" }</button>
        </div>
    }
}

/// The share-link error and the copied link / snippet, under the header.
pub fn banner(app: &App, ctx: &Context<App>) -> Html {
    let l = &app.learn;
    let err = l.share_error.as_ref().map(|e| {
        html! {
            <div class="share-error" role="alert" data-testid="share-error">
                <span aria-hidden="true">{ "⚠ " }</span>
                <span>{ e }</span>
                <button type="button" class="btn btn-small" aria-label="Dismiss" data-testid="share-error-dismiss"
                    onclick={cb(ctx, LMsg::DismissError)}>{ "Dismiss" }</button>
            </div>
        }
    });
    let share = if let Some(url) = &l.share_url {
        Some(html! {
            <div class="share-bar" role="status">
                <label for="share-url">{ "Link copied — anyone opening it sees this exact state:" }</label>
                <input id="share-url" type="text" readonly=true data-testid="share-url" value={url.clone()}
                    onfocus={Callback::from(select_all)} />
                <button type="button" class="btn btn-small" onclick={cb(ctx, LMsg::DismissShare)}>{ "Close" }</button>
            </div>
        })
    } else {
        l.snippet.as_ref().map(|s| html! {
            <div class="share-bar" role="status">
                <label for="embed-snippet">{ "Embed snippet copied — paste it into any HTML page:" }</label>
                <textarea id="embed-snippet" readonly=true rows="2" data-testid="embed-snippet" value={s.clone()} />
                <button type="button" class="btn btn-small" onclick={cb(ctx, LMsg::DismissShare)}>{ "Close" }</button>
            </div>
        })
    };
    html! { <>{ for err }{ for share }</> }
}

fn select_all(e: FocusEvent) {
    use wasm_bindgen::JsCast;
    if let Some(i) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        i.select();
    }
}

/// The Learn column (tutorial or exercises), when open.
pub fn aside(app: &App, ctx: &Context<App>) -> Html {
    let l = &app.learn;
    let body = match l.menu {
        Menu::Closed => return html! {},
        Menu::Tutorial => tutorial(app, ctx),
        Menu::Exercises => match l.exercise {
            Some(i) => exercise(app, ctx, i),
            None => exercise_list(app, ctx),
        },
    };
    html! {
        <aside class="panel learn" data-testid="learn-panel" aria-label="Learn">
            <div class="learn-body">{ body }</div>
        </aside>
    }
}

fn exercise_list(app: &App, ctx: &Context<App>) -> Html {
    let l = &app.learn;
    let done = l
        .data
        .exercises
        .iter()
        .filter(|e| l.progress.completed.contains(&e.id))
        .count();
    let items = l.data.exercises.iter().enumerate().map(|(i, e)| {
        let completed = l.progress.completed.contains(&e.id);
        let level = e.ex.level.as_str();
        html! {
            <li>
                <button type="button" class="ex-item" data-testid="exercise" data-id={e.id.clone()}
                    data-completed={if completed { "true" } else { "false" }} onclick={cb(ctx, LMsg::OpenExercise(i))}>
                    <span class={classes!("ex-done", completed.then_some("yes"))} aria-label={if completed { "completed" } else { "not completed" }}>
                        { if completed { "✓" } else { "○" } }
                    </span>
                    <span class="ex-title">{ &e.ex.title }</span>
                    <span class={classes!("badge", format!("lv-{level}"))}>{ level }</span>
                </button>
            </li>
        }
    });
    html! {
        <>
            <div class="learn-head">
                <h2>{ "Exercises" }</h2>
                <span class="muted">{ format!("{done} of {} completed", l.data.exercises.len()) }</span>
                <button type="button" class="btn btn-small" onclick={cb(ctx, LMsg::Close)} aria-label="Close the exercises">{ "✕" }</button>
            </div>
            <p class="muted small">{ "Each exercise loads a cluster and some policies; edit the policies until every goal is green." }</p>
            <ol class="ex-list">{ for items }</ol>
        </>
    }
}

fn exercise(app: &App, ctx: &Context<App>, i: usize) -> Html {
    let l = &app.learn;
    let Some(item) = l.data.exercises.get(i) else {
        return html! {};
    };
    let ex = &item.ex;
    let goals = l.goals(&app.state.policies).unwrap_or_default();
    let met = goals.iter().filter(|g| g.met).count();
    let all = !goals.is_empty() && met == goals.len();
    let goal_items = goals.iter().map(|g| {
        html! {
            <li class={classes!("goal", if g.met { "met" } else { "unmet" })} data-testid="goal"
                data-met={if g.met { "true" } else { "false" }}>
                <span class="goal-mark" aria-label={if g.met { "met" } else { "not met" }}>{ if g.met { "✓" } else { "✗" } }</span>
                <span class="goal-text">
                    { &g.description }
                    if !g.met && !g.detail.is_empty() {
                        <span class="goal-detail">{ &g.detail }</span>
                    }
                </span>
            </li>
        }
    });
    let hints = ex.hints.iter().take(l.hints).enumerate().map(|(k, h)| {
        html! { <li class="hint" data-testid="hint"><strong>{ format!("Hint {}: ", k + 1) }</strong>{ markdown::inline(h) }</li> }
    });
    let solution = match l.solution {
        Solution::Hidden => html! {
            <button type="button" class="btn" data-testid="show-solution" onclick={cb(ctx, LMsg::AskSolution)}>{ "Show solution" }</button>
        },
        Solution::Confirming => html! {
            <div class="confirm" role="alertdialog" aria-label="Show the solution?" data-testid="solution-confirm">
                <span>{ "Show the reference solution? Trying a bit longer teaches more." }</span>
                <button type="button" class="btn" data-testid="solution-yes" onclick={cb(ctx, LMsg::ConfirmSolution)}>{ "Yes, show it" }</button>
                <button type="button" class="btn" onclick={cb(ctx, LMsg::CancelSolution)}>{ "Keep trying" }</button>
            </div>
        },
        Solution::Shown => html! {
            <div class="solution" data-testid="solution">
                <div class="solution-head">
                    <strong>{ "Reference solution" }</strong>
                    <button type="button" class="btn btn-small" data-testid="use-solution" onclick={cb(ctx, LMsg::UseSolution)}>{ "Put it in the editor" }</button>
                </div>
                <pre class="md-code"><code>{ &ex.solution }</code></pre>
            </div>
        },
    };
    let level = ex.level.as_str();
    html! {
        <div class="exercise" data-testid="exercise-open" data-id={item.id.clone()}>
            <div class="learn-head">
                <button type="button" class="btn btn-small" data-testid="exercise-back" onclick={cb(ctx, LMsg::BackToList)}
                    aria-label="Back to the exercise list">{ "← All" }</button>
                <span class={classes!("badge", format!("lv-{level}"))}>{ level }</span>
                <button type="button" class="btn btn-small" onclick={cb(ctx, LMsg::Close)} aria-label="Close the exercise">{ "✕" }</button>
            </div>
            <h2 class="ex-h">{ &ex.title }</h2>
            <div class="md">{ markdown::render(&ex.story, false) }</div>
            <h3 class="md-h">{ format!("Goals — {met} of {} met", goals.len()) }</h3>
            if all {
                <div class="completed" data-testid="completed" role="status">{ "✓ Completed! Every goal is met." }</div>
            }
            <ul class="goals" data-testid="goals">{ for goal_items }</ul>
            <ul class="hints">{ for hints }</ul>
            <div class="ex-actions">
                if let Some(label) = l.hint_label() {
                    <button type="button" class="btn" data-testid="show-hint" onclick={cb(ctx, LMsg::Hint)}>{ label }</button>
                }
                { solution }
                <button type="button" class="btn" data-testid="restart-exercise" onclick={cb(ctx, LMsg::RestartExercise)}
                    title="Load the starting policies again">{ "Start over" }</button>
            </div>
        </div>
    }
}

fn tutorial(app: &App, ctx: &Context<App>) -> Html {
    let l = &app.learn;
    let (seen, total) = l.tutorial_progress();
    let cur = l.step.unwrap_or(0);
    let steps = l.data.steps.iter().enumerate().map(|(i, s)| {
        let done = l.progress.steps_seen.contains(&s.id);
        let current = l.step == Some(i);
        html! {
            <li>
                <button type="button" class={classes!("step-item", current.then_some("current"), done.then_some("seen"))}
                    data-testid="tutorial-step" data-seen={if done { "true" } else { "false" }}
                    aria-current={if current { "step" } else { "false" }} onclick={cb(ctx, LMsg::OpenStep(i))}>
                    <span class="step-n">{ i + 1 }</span>
                    <span>{ &s.step.title }</span>
                </button>
            </li>
        }
    });
    let text = l
        .data
        .steps
        .get(cur)
        .map(|s| markdown::render(s.markdown, true))
        .unwrap_or_default();
    let title = l
        .data
        .steps
        .get(cur)
        .map(|s| s.step.title.clone())
        .unwrap_or_default();
    let chips: Vec<Html> = l
        .data
        .steps
        .get(cur)
        .map(|s| {
            s.step
                .highlight
                .iter()
                .enumerate()
                .map(|(k, h)| {
                    let (kind, label) = match h {
                        Highlight::Flow { from, to, port } => ("flow", format!("{from} → {to} ({port})")),
                        Highlight::Policy(id) => ("policy", id.clone()),
                        Highlight::Pod(id) => ("pod", id.clone()),
                    };
                    html! {
                        <button type="button" class={classes!("chip", format!("chip-{kind}"))} data-testid="step-highlight"
                            title={format!("Highlight this {kind}")} onclick={cb(ctx, LMsg::ShowHighlight(k))}>{ label }</button>
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    html! {
        <>
            <div class="learn-head">
                <h2>{ "Tutorial" }</h2>
                <span class="muted" data-testid="tutorial-progress">{ format!("{seen} of {total} steps") }</span>
                <button type="button" class="btn btn-small" onclick={cb(ctx, LMsg::Close)} aria-label="Close the tutorial">{ "✕" }</button>
            </div>
            <div class="progress" aria-hidden="true"><span style={format!("width: {}%", seen * 100 / total.max(1))}></span></div>
            <details class="step-list">
                <summary>{ "All steps" }</summary>
                <ol>{ for steps }</ol>
            </details>
            <h2 class="ex-h" data-testid="step-title">{ format!("{}. {title}", cur + 1) }</h2>
            if !chips.is_empty() {
                <div class="look-at" aria-label="Highlights of this step">
                    <span class="muted">{ "Show me:" }</span>
                    { for chips }
                </div>
            }
            <div class="md" data-testid="step-text">{ text }</div>
            <div class="step-nav">
                <button type="button" class="btn" data-testid="step-prev" disabled={cur == 0}
                    onclick={cb(ctx, LMsg::OpenStep(cur.saturating_sub(1)))}>{ "← Previous" }</button>
                <span class="muted">{ format!("Step {} of {total}", cur + 1) }</span>
                <button type="button" class="btn" data-testid="step-next" disabled={cur + 1 >= total}
                    onclick={cb(ctx, LMsg::OpenStep(cur + 1))}>{ "Next →" }</button>
            </div>
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::PortChoice;

    fn setup() -> (State, Learn) {
        (State::new(netpol_examples::all()), Learn::new(false))
    }

    #[test]
    fn every_file_loads() {
        let d = LearnData::load();
        assert_eq!(d.exercises.len(), netpol_examples::exercises().len());
        assert_eq!(d.steps.len(), netpol_examples::tutorial().len());
    }

    #[test]
    fn exercise_checklist_turns_green_with_the_solution() {
        let (mut s, mut l) = setup();
        l.open_exercise(&mut s, 0);
        let ex = l.data.exercises[0].ex.clone();
        assert_eq!(s.policies, ex.policies);
        assert_eq!(s.cluster, ex.cluster);
        assert!(matches!(s.port, Some(PortChoice::One(_))));
        let goals = l.goals(&s.policies).unwrap();
        assert_eq!(goals.len(), ex.goals.len());
        assert!(!l.all_met(&s.policies));
        assert!(!l.check_completed(&s.policies.clone()));
        assert_eq!(
            l.hint_label().unwrap(),
            format!("Show a hint ({} left)", ex.hints.len())
        );
        l.hints = ex.hints.len();
        assert_eq!(l.hint_label(), None);
        l.use_solution(&mut s);
        assert_eq!(s.policies, ex.solution);
        assert!(l.goals(&s.policies).unwrap().iter().all(|g| g.met));
        let p = s.policies.clone();
        assert!(l.check_completed(&p));
        assert!(!l.check_completed(&p), "only new once");
        assert!(l.progress.completed.contains(&l.data.exercises[0].id));
        // Restarting loads the starting policies and hides the hints again.
        l.open_exercise(&mut s, 0);
        assert_eq!(l.hints, 0);
        assert_eq!(s.policies, ex.policies);
    }

    #[test]
    fn every_exercise_solution_completes_it() {
        let (mut s, mut l) = setup();
        for i in 0..l.data.exercises.len() {
            l.open_exercise(&mut s, i);
            assert!(!l.all_met(&s.policies), "{}", l.data.exercises[i].id);
            l.use_solution(&mut s);
            assert!(l.all_met(&s.policies), "{}", l.data.exercises[i].id);
        }
    }

    #[test]
    fn tutorial_progress_and_highlights() {
        let (mut s, mut l) = setup();
        assert_eq!(l.tutorial_progress(), (0, l.data.steps.len()));
        for i in 0..l.data.steps.len() {
            l.open_step(&mut s, i);
            let step = &l.data.steps[i].step;
            assert_eq!(s.cluster, step.cluster);
            assert_eq!(
                s.port.map(PortChoice::value),
                Some(normalize_port(&step.port))
            );
            // One flow and one policy can be selected: the first of each kind is.
            let first_flow = step.highlight.iter().find_map(|h| match h {
                Highlight::Flow { from, to, .. } => Some((from.clone(), to.clone())),
                _ => None,
            });
            let first_policy = step.highlight.iter().find_map(|h| match h {
                Highlight::Policy(id) => Some(id.clone()),
                _ => None,
            });
            assert_eq!(
                s.flow.as_ref().map(|f| (f.from.clone(), f.to.clone())),
                first_flow
            );
            assert_eq!(s.policy, first_policy);
            if step
                .highlight
                .iter()
                .any(|h| matches!(h, Highlight::Pod(_)))
            {
                assert!(s.hover.is_some());
            }
        }
        assert_eq!(
            l.tutorial_progress(),
            (l.data.steps.len(), l.data.steps.len())
        );
        assert_eq!(l.progress.step, Some(l.data.steps.len() - 1));
        let json = serde_json::to_string(&l.progress).unwrap();
        let back: Progress = serde_json::from_str(&json).unwrap();
        assert_eq!(back, l.progress);
        let empty: Progress = serde_json::from_str("{}").unwrap();
        assert_eq!(empty, Progress::default());
    }
}
