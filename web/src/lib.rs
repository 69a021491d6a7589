//! # netpol-web
//!
//! The netpol playground: paste NetworkPolicies and a toy cluster, see live which flows are
//! allowed and why. A pure core ([`app`]: state, events, effects, view models — tested
//! natively) and a thin shell: Yew components that render the view model and send events, and
//! the [`App`] component, which performs the effects the core returns. All semantics live in
//! `netpol-engine`.
//!
//! Component tree:
//!
//! ```text
//! App                      (owns app::State; performs effects; timing)
//! ├── header               (title, Examples <select>, port picker, Matrix|Graph tabs, Reset)
//! ├── left column
//! │   ├── CodeEditor "Policies"   (textarea over highlighted <pre>, gutter with markers)
//! │   ├── CodeEditor "Cluster"
//! │   └── Diagnostics             (data-testid="diagnostics")
//! ├── right column
//! │   ├── example description, stale banner (data-testid="stale")
//! │   ├── MatrixView | GraphView  (+ generated highlight stylesheet)
//! │   ├── WhyPanel                (data-testid="explanation")
//! │   └── PoliciesList
//! └── status line          (data-testid="eval-time")
//! ```
#![forbid(unsafe_code)]

pub mod andor;
pub mod app;
pub mod browser;
pub mod compare;
pub mod diffwidgets;
pub mod editor;
pub mod editor_window;
pub mod embed;
pub mod grid;
pub mod highlight;
pub mod hooks;
pub mod learn;
pub mod lints;
pub mod markdown;
pub mod panels;
pub mod remote;
pub mod result;
pub mod worker_client;

use std::rc::Rc;
use std::time::Duration;

use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::andor::AndOrPanel;
#[cfg(feature = "in-page-core")]
use crate::app::State;
use crate::app::{
    DiffEvent, Editor, Effect, Event as Ev, FromWorker, LinkVm, Page, Startup, View, IDLE_MS,
    PROGRESS_KEY, STORAGE_KEY,
};
use crate::browser::now;
use crate::compare::ComparePanel;
use crate::diffwidgets::diff_legend;
use crate::editor::CodeEditor;
use crate::hooks::Hooks;
use crate::panels::{Diagnostics, PoliciesList, WhyPanel};
use crate::remote::Remote;
use crate::result::{highlight_css, GraphView, MatrixView};
use crate::worker_client::{worker_error, WorkerClient, WorkerMsg};

/// Mounts the app into `<div id="app">` (replacing its placeholder) or the body.
pub fn start() {
    let doc = web_sys::window().and_then(|w| w.document());
    match doc.as_ref().and_then(|d| d.get_element_by_id("app")) {
        Some(root) => {
            root.set_inner_html("");
            yew::Renderer::<App>::with_root(root).render();
        }
        None => {
            yew::Renderer::<App>::new().render();
        }
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct AppProps {
    /// Load and save the work in progress in localStorage (tests turn it off).
    #[prop_or(true)]
    pub persist: bool,
}

impl Default for AppProps {
    fn default() -> Self {
        AppProps { persist: true }
    }
}

/// What the `App` component handles: the components' events and the worker's messages.
pub enum Msg {
    Event(Ev),
    Worker(WorkerMsg),
    /// The batch numbered so is still running after `SLOW_MS` (say "evaluating…") or
    /// `STOP_MS` (offer Stop).
    Slow(u32),
    OfferStop(u32),
    /// Stop the worker and start a new one from the last saved state.
    Stop,
}

/// After this long a batch in flight shows "evaluating…" over the last result.
pub const SLOW_MS: u64 = 150;
/// After this long a batch in flight offers Stop.
pub const STOP_MS: u64 = 1_000;

/// Where the core runs.
enum Core {
    /// In the page (the component tests: no worker binary there).
    #[cfg(feature = "in-page-core")]
    InPage(Box<State>),
    /// In a Web Worker (the release page, which never links the engine).
    #[cfg_attr(feature = "in-page-core", allow(dead_code))]
    Worker(Box<WorkerCore>),
}

/// The page's side of the core in a worker.
struct WorkerCore {
    client: Option<WorkerClient>,
    remote: Remote,
    /// What the page read at start, with the last saved work (a Stop restarts from it).
    startup: Startup,
}

impl Core {
    fn worker(&mut self) -> Option<&mut WorkerCore> {
        match self {
            Core::Worker(w) => Some(w.as_mut()),
            #[cfg(feature = "in-page-core")]
            Core::InPage(_) => None,
        }
    }
}

/// The shell: sends the components' events to the core (in a worker, or in the page for the
/// component tests), renders the pages it sends back and performs the effects.
pub struct App {
    core: Core,
    /// What the components render (`None` until the worker's first page).
    page: Option<Rc<Page>>,
    hooks: Hooks,
    time_ref: NodeRef,
    /// When the event behind the page about to render happened (performance.now()).
    t0: Option<f64>,
    /// When the reply behind the page about to render arrived (`data-page-ms`: the page's part),
    /// and the worker's time on it (`data-worker-ms`).
    t_reply: Option<(f64, f64)>,
    /// A batch has run longer than `SLOW_MS` / `STOP_MS`.
    slow: bool,
    stoppable: bool,
    /// Said after a Stop, until the next edit.
    notice: Option<String>,
    /// The worker could not start or failed.
    error: Option<String>,
    /// Effects on the page that wait for the next render (scrolling, the cursor).
    after_render: Vec<Effect>,
    /// Made once, so that the matrix and graph props compare equal when nothing they show
    /// changed and Yew skips re-rendering them (a fresh callback never compares equal).
    on_select: Callback<(String, String)>,
    on_hover: Callback<Option<String>>,
    on_policy: Callback<String>,
    on_link: Callback<LinkVm>,
    /// The editors', the diagnostics' and the Why panel's callbacks, made once for the same
    /// reason: with fresh ones, every reply rendered both editors, the lints list and the Why
    /// panel again (~2.5 ms of a workshop keystroke's 4).
    on_input: [Callback<String>; 2],
    on_files: [Callback<Vec<(String, String)>>; 2],
    on_pick: Callback<(Editor, u32, u32)>,
    on_port_explain: Callback<netpol_engine::PortProto>,
    on_close: Callback<()>,
}

impl App {
    /// Performs the effects the core asked for; those on the page wait for the render.
    fn perform(&mut self, ctx: &Context<Self>, effects: Vec<Effect>) {
        let persist = ctx.props().persist;
        for e in effects {
            match e {
                Effect::Save(saved) => {
                    if persist {
                        browser::store(STORAGE_KEY, &saved);
                    }
                    if let Some(w) = self.core.worker() {
                        w.startup.saved = Some(saved);
                    }
                }
                Effect::SaveProgress(p) => {
                    if persist {
                        browser::store(PROGRESS_KEY, &p);
                    }
                    if let Some(w) = self.core.worker() {
                        w.startup.progress = Some(p);
                    }
                }
                Effect::Copy(text) => browser::copy_to_clipboard(&text),
                Effect::WaitForIdle(seq) => {
                    // Only an in-page core asks for this; the worker keeps its own timers.
                    let link = ctx.link().clone();
                    yew::platform::spawn_local(async move {
                        yew::platform::time::sleep(Duration::from_millis(IDLE_MS)).await;
                        link.send_message(Msg::Event(Ev::Diff(DiffEvent::IdleAt(seq))));
                    });
                }
                Effect::ClearFragment => browser::clear_fragment(),
                Effect::ScrollEditor { .. }
                | Effect::PlaceCursor { .. }
                | Effect::ShowExplanation
                | Effect::ScrollLearnToTop => self.after_render.push(e),
            }
        }
    }

    /// Starts the worker (again); says why when it cannot.
    fn spawn_worker(&mut self, ctx: &Context<Self>) {
        let Some(w) = self.core.worker() else {
            return;
        };
        w.client = None;
        w.remote.reset();
        match WorkerClient::spawn(ctx.link().callback(Msg::Worker)) {
            Ok(c) => w.client = Some(c),
            Err(e) => self.error = Some(e),
        }
    }

    /// Posts a batch and starts its timers.
    fn post(&mut self, ctx: &Context<Self>, batch: Option<(u32, String)>) {
        browser::set_busy(self.in_flight().is_some());
        let Some((seq, json)) = batch else {
            return;
        };
        if let Some(c) = self.core.worker().and_then(|w| w.client.as_ref()) {
            c.post(json);
        }
        self.after(ctx, SLOW_MS, Msg::Slow(seq));
        self.after(ctx, STOP_MS, Msg::OfferStop(seq));
    }

    fn after(&self, ctx: &Context<Self>, ms: u64, msg: Msg) {
        let link = ctx.link().clone();
        yew::platform::spawn_local(async move {
            yew::platform::time::sleep(Duration::from_millis(ms)).await;
            link.send_message(msg);
        });
    }

    fn in_flight(&mut self) -> Option<u32> {
        self.core.worker().and_then(|w| w.remote.in_flight())
    }

    /// A message of the worker: ready (send the start), or a reply (show its page).
    fn on_worker(&mut self, ctx: &Context<Self>, msg: WorkerMsg) -> bool {
        let json = match msg {
            WorkerMsg::Failed(e) => {
                self.error = Some(e);
                return true;
            }
            WorkerMsg::Message(json) => json,
        };
        let Some(WorkerCore {
            client: Some(client),
            remote,
            startup,
        }) = self.core.worker()
        else {
            return false;
        };
        let t_reply = now();
        match serde_json::from_str::<FromWorker>(&json) {
            Ok(FromWorker::Ready) => {
                client.post(remote.start(startup, now()));
                browser::set_busy(true);
                false
            }
            Ok(FromWorker::Reply(reply)) => {
                let r = remote.reply(*reply);
                let next = remote.flush();
                if r.done {
                    self.slow = false;
                    self.stoppable = false;
                }
                self.t0 = r.t0.or(self.t0);
                self.t_reply = Some((t_reply, r.worker_ms));
                self.page = Some(Rc::new(r.page));
                self.perform(ctx, r.effects);
                self.post(ctx, next);
                true
            }
            Err(e) => {
                self.error = Some(format!(
                    "its Web Worker sent a message it cannot read ({e})"
                ));
                true
            }
        }
    }

    /// Stop: the worker is ended and a new one started from the last saved work.
    fn stop(&mut self, ctx: &Context<Self>) {
        if let Some(w) = self.core.worker() {
            // The link in the address bar was opened already; the saved work is newer.
            w.startup.hash = String::new();
        }
        self.slow = false;
        self.stoppable = false;
        self.notice = Some(
            "Stopped: your last change took longer than a second to evaluate, so it was not \
             evaluated. The playground restarted from your last saved work, which the editors \
             show now."
                .to_string(),
        );
        self.spawn_worker(ctx);
    }

    /// Performs an effect on the rendered page.
    fn perform_on_page(&self, e: Effect) {
        match e {
            Effect::ScrollEditor { editor, line } => self.scroll_to_line(editor, line),
            Effect::PlaceCursor { editor, line, col } => {
                if let Some(ta) = self.textarea(editor) {
                    editor::place_cursor(editor, &ta, line, col);
                }
            }
            Effect::ShowExplanation => {
                // Bring the explanation into view (the right column scrolls at small heights).
                if let Some(el) = self.hooks.why_ref.cast::<web_sys::Element>() {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                    opts.set_behavior(web_sys::ScrollBehavior::Smooth);
                    el.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
            Effect::ScrollLearnToTop => {
                // A new step or exercise starts at the top of the Learn column.
                if let Some(el) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.query_selector("aside.learn").ok().flatten())
                {
                    el.set_scroll_top(0);
                }
            }
            _ => {}
        }
    }

    fn textarea(&self, editor: Editor) -> Option<HtmlTextAreaElement> {
        self.hooks.textarea(editor).cast()
    }

    /// Scrolls an editor so that `line` is about a third from the top.
    fn scroll_to_line(&self, editor: Editor, line: u32) {
        if let Some(ta) = self.textarea(editor) {
            editor::scroll_to_line(editor, &ta, line);
        }
    }

    /// The body of the AND vs OR and Compare tabs.
    fn diff_tab(&self, page: &Page) -> Html {
        let on_event = self.hooks.on_event.clone();
        let policies_ref = self.hooks.policies_ref.clone();
        if let Some(vm) = &page.compare {
            let vm = Rc::clone(vm);
            return html! { <ComparePanel {vm} {on_event} {policies_ref} /> };
        }
        match &page.andor {
            Some(vm) => html! { <AndOrPanel vm={Rc::clone(vm)} {on_event} {policies_ref} /> },
            None => html! { <p class="no-result">{ "Looking for AND/OR decisions…" }</p> },
        }
    }
}

impl Component for App {
    type Message = Msg;
    type Properties = AppProps;

    fn create(ctx: &Context<Self>) -> Self {
        let t0 = now();
        let persist = ctx.props().persist;
        let startup = Startup {
            saved: persist.then(|| browser::load(STORAGE_KEY)).flatten(),
            progress: persist.then(|| browser::load(PROGRESS_KEY)).flatten(),
            search: browser::search(),
            hash: browser::hash(),
            page_url: browser::page_url(),
        };
        let link = ctx.link();
        let on_event = link.callback(Msg::Event);
        #[cfg(feature = "in-page-core")]
        let (core, page, effects) = {
            let (mut state, effects) = app::start(netpol_examples::all(), startup);
            // Lints, AND/OR variants and the compare diff wait for a pause in typing.
            state.diff.lazy = true;
            let page = Some(Rc::new(app::page(&state)));
            (Core::InPage(Box::new(state)), page, effects)
        };
        #[cfg(not(feature = "in-page-core"))]
        let (core, page, effects) = (
            Core::Worker(Box::new(WorkerCore {
                client: None,
                remote: Remote::default(),
                startup,
            })),
            None,
            Vec::new(),
        );
        let mut app = App {
            core,
            page,
            hooks: Hooks {
                on_event: on_event.clone(),
                policies_ref: NodeRef::default(),
                cluster_ref: NodeRef::default(),
                why_ref: NodeRef::default(),
            },
            time_ref: NodeRef::default(),
            t0: cfg!(feature = "in-page-core").then_some(t0),
            t_reply: None,
            slow: false,
            stoppable: false,
            notice: None,
            error: None,
            after_render: Vec::new(),
            on_select: on_event.reform(|(from, to): (String, String)| Ev::SelectFlow { from, to }),
            on_hover: on_event.reform(Ev::Hover),
            on_policy: on_event.reform(Ev::SelectPolicy),
            on_link: on_event.reform(show_span),
            on_input: [Editor::Policies, Editor::Cluster]
                .map(|e| on_event.reform(move |t: String| Ev::Edit(e, t))),
            on_files: [Editor::Policies, Editor::Cluster]
                .map(|e| on_event.reform(move |f| Ev::LoadFiles(e, f))),
            on_pick: on_event.reform(|(editor, line, col): (Editor, u32, u32)| Ev::Goto {
                editor,
                line,
                col,
            }),
            on_port_explain: on_event.reform(Ev::ExplainPort),
            on_close: on_event.reform(|()| Ev::ClearFlow),
        };
        app.spawn_worker(ctx);
        app.perform(ctx, effects);
        browser::on_hash_change(move |hash| on_event.emit(Ev::OpenLink(hash)));
        app
    }

    fn update(&mut self, ctx: &Context<Self>, msg: Msg) -> bool {
        let ev = match msg {
            Msg::Event(ev) => ev,
            Msg::Worker(m) => return self.on_worker(ctx, m),
            Msg::Slow(seq) => {
                self.slow = self.in_flight() == Some(seq);
                return self.slow;
            }
            Msg::OfferStop(seq) => {
                self.stoppable = self.in_flight() == Some(seq);
                return self.stoppable;
            }
            Msg::Stop => {
                self.stop(ctx);
                return true;
            }
        };
        if let Ev::Hover(h) = &ev {
            if self.page.as_ref().is_some_and(|p| p.hover == *h) {
                return false;
            }
        }
        if matches!(ev, Ev::Edit(..)) {
            self.notice = None;
        }
        match &mut self.core {
            #[cfg(feature = "in-page-core")]
            Core::InPage(state) => {
                if remote::timed(&ev) {
                    self.t0 = Some(now());
                }
                let effects = app::update(state, ev);
                self.page = Some(Rc::new(app::page(state)));
                self.perform(ctx, effects);
                true
            }
            Core::Worker(w) => {
                let batch = w.remote.push(ev, now());
                self.post(ctx, batch);
                false
            }
        }
    }

    fn rendered(&mut self, _ctx: &Context<Self>, _first: bool) {
        let Some(page) = &self.page else {
            return;
        };
        embed::rendered(page, &self.hooks);
        if let Some(t0) = self.t0.take() {
            let ms = now() - t0;
            if let Some(el) = self.time_ref.cast::<HtmlElement>() {
                el.set_text_content(Some(&format!("evaluated in {ms:.1} ms")));
                let _ = el.set_attribute("data-ms", &format!("{ms:.3}"));
                if let Some((t, worker_ms)) = self.t_reply.take() {
                    let _ = el.set_attribute("data-page-ms", &format!("{:.3}", now() - t));
                    let _ = el.set_attribute("data-worker-ms", &format!("{worker_ms:.3}"));
                }
                let _ = el.set_attribute(
                    "title",
                    "Time from the edit to the updated view: parse, evaluate, render",
                );
            }
        }
        for e in std::mem::take(&mut self.after_render) {
            self.perform_on_page(e);
        }
    }

    fn view(&self, ctx: &Context<Self>) -> Html {
        let Some(page) = &self.page else {
            return match &self.error {
                Some(e) => worker_error(e),
                None => html! {
                    <p class="loading" data-testid="starting">{ "Starting netpol playground…" }</p>
                },
            };
        };
        let vm = &page.vm;
        if let Some(h) = embed::view(page, &self.hooks) {
            return h;
        }
        let link = &self.hooks.on_event;
        let on_example = link.reform(|e: Event| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            Ev::LoadExample(v)
        });
        let on_port = link.reform(|e: Event| {
            let v = e
                .target()
                .and_then(|t| t.dyn_into::<HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            Ev::SelectPort(v)
        });
        let on_reset = link.reform(|_: MouseEvent| Ev::ResetExample);
        let tab = |v: View, label: &'static str| {
            let onclick = link.reform(move |_: MouseEvent| Ev::SelectView(v));
            let active = vm.view == v;
            html! {
                <button type="button" role="tab" class={classes!("tab", active.then_some("active"))}
                    aria-selected={if active { "true" } else { "false" }} aria-controls="result-view" data-view={v.value()} {onclick}>{ label }</button>
            }
        };
        let on_select = self.on_select.clone();
        let on_hover = self.on_hover.clone();
        let on_link = self.on_link.clone();
        let on_pick = self.on_pick.clone();
        let diags_for = |e: Editor| {
            vm.diagnostics
                .iter()
                .filter(|d| d.editor == e)
                .chain(page.lint_diags(e))
                .cloned()
                .collect::<Vec<_>>()
        };
        let hl_for = |e: Editor| {
            vm.highlight
                .filter(|h| h.editor == e)
                .map(|h| (h.start, h.end))
        };

        let examples = vm.examples.iter().map(|(id, title)| {
            html! { <option value={id.clone()} selected={*id == vm.example}>{ title }</option> }
        });
        let ports = vm.ports.iter().map(|o| {
            html! { <option value={o.value.clone()} selected={o.value == vm.port_value}>{ &o.label }</option> }
        });
        let result_view = match (vm.view, &vm.matrix, &vm.graph) {
            (View::AndOr | View::Compare, Some(_), _) => self.diff_tab(page),
            (View::Graph, _, Some(g)) => html! {
                <GraphView vm={Rc::clone(g)} on_select={on_select.clone()} on_hover={on_hover.clone()} />
            },
            (_, Some(m), _) => html! {
                <MatrixView vm={Rc::clone(m)} on_select={on_select.clone()} on_hover={on_hover.clone()} />
            },
            _ => html! {
                <p class="no-result">{ "Nothing to show yet: fix the errors in the editors to see the flows." }</p>
            },
        };
        let legend = if matches!(vm.view, View::AndOr | View::Compare) {
            diff_legend()
        } else if vm.view == View::Graph {
            html! {
                <div class="legend" aria-label="Legend">
                    <span><svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="6" class="lg-pod" /></svg>{ " pod" }</span>
                    <span><svg width="14" height="14" aria-hidden="true"><polygon points="7,0 14,7 7,14 0,7" class="lg-ext" /></svg>{ " external" }</span>
                    <span><span class="lg-bar in" aria-hidden="true"></span>{ " left bar: ingress-isolated" }</span>
                    <span><span class="lg-bar out" aria-hidden="true"></span>{ " right bar: egress-isolated" }</span>
                    <span>{ "→ allowed flow (dashed: some ports)" }</span>
                </div>
            }
        } else if vm.port_value == "all" {
            html! {
                <div class="legend" aria-label="Legend">
                    <span class="lg v-allow">{ "✓" }</span>{ " every port checked " }
                    <span class="lg v-some">{ "◐" }</span>{ " some " }
                    <span class="lg v-deny">{ "✗" }</span>{ " none " }
                    <span class="lg v-na">{ "–" }</span>{ " not a cluster flow " }
                    <span class="legend-note">{ "checked: the ports the policies and pods name, not every port; hover a cell for the list" }</span>
                </div>
            }
        } else {
            html! {
                <div class="legend" aria-label="Legend">
                    <span class="lg v-allow">{ "✓" }</span>{ " allowed " }
                    <span class="lg v-deny">{ "✗" }</span>{ " denied " }
                    <span class="lg v-na">{ "–" }</span>{ " not a cluster flow " }
                    <span class="iso iso-in">{ "⇥" }</span>{ " ingress-isolated " }
                    <span class="iso iso-out">{ "↦" }</span>{ " egress-isolated" }
                </div>
            }
        };
        // Models with tiered policies: a line saying what the cells' tier marks mean.
        let tier_legend = (vm.view == View::Matrix && vm.policy_list.iter().any(|p| p.kind != "NetworkPolicy"))
            .then(|| {
                html! {
                    <div class="legend tier-legend" aria-label="Tier legend" data-testid="tier-legend">
                        <span class="tier-mark tm-a" aria-hidden="true">{ "A" }</span>{ " decided by the Admin tier " }
                        <span class="tier-mark tm-b" aria-hidden="true">{ "B" }</span>{ " decided by the Baseline tier " }
                        <span class="legend-note">{ "no mark: decided by NetworkPolicy or allowed by default; hover a cell for the rule" }</span>
                    </div>
                }
            });
        let counts = vm.matrix.as_ref().map(|m| {
            html! {
                <span class="counts">
                    <span class="c-allow">{ format!("✓ {} allowed", m.allowed) }</span>
                    <span class="c-deny">{ format!("✗ {} denied", m.denied) }</span>
                    <span class="muted">{ format!("on {}", m.port_label) }</span>
                </span>
            }
        });
        let css = highlight_css(vm.hover, &vm.policy_pods, &vm.policy_flows);
        let [on_input_p, on_input_c] = self.on_input.clone();
        let [on_files_p, on_files_c] = self.on_files.clone();
        let on_group = link.reform(|e: Event| {
            let on = e
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|i| i.checked());
            Ev::GroupReplicas(on)
        });
        let on_port_explain = self.on_port_explain.clone();
        let on_close = self.on_close.clone();
        let on_policy = self.on_policy.clone();
        let problems = if vm.error_count > 0 {
            format!(
                "{} error{}",
                vm.error_count,
                if vm.error_count == 1 { "" } else { "s" }
            )
        } else if vm.warning_count > 0 {
            format!(
                "{} warning{}",
                vm.warning_count,
                if vm.warning_count == 1 { "" } else { "s" }
            )
        } else {
            "no problems".to_string()
        };
        html! {
            <div class="app">
                <style>{ css }</style>
                <a class="skip-link" href="#result-view" data-testid="skip-to-result" onclick={Callback::from(panels::skip_to_result)}>{ "Skip to the result" }</a>
                <header class="top">
                    <div class="brand">
                        <span class="logo" aria-hidden="true">
                            <svg viewBox="0 0 24 24" width="24" height="24"><path d="M12 2 4 5v6c0 5 3.4 9.4 8 11 4.6-1.6 8-6 8-11V5z" /></svg>
                        </span>
                        <h1>{ "netpol playground" }</h1>
                        <span class="tagline">{ "Kubernetes NetworkPolicy, live" }</span>
                    </div>
                    <div class="controls">
                        <label class="ctl">
                            <span class="ctl-label">{ "Example" }</span>
                            <select data-testid="examples" aria-label="Example scenario" onchange={on_example}>{ for examples }</select>
                        </label>
                        if page.learn.exercise.is_some() {
                            <button type="button" class="btn" onclick={on_reset} disabled={!vm.modified}
                                title="Throw away your edits and load the exercise's starting texts (undoable)" aria-label="Reset the exercise" data-testid="reset"><span class="wide-only">{ "Reset exercise" }</span><span class="narrow-only" aria-hidden="true">{ "↺ Reset" }</span></button>
                        } else {
                            <button type="button" class="btn" onclick={on_reset} disabled={!vm.modified}
                                title="Throw away your edits and reload the example" aria-label="Reset to example" data-testid="reset"><span class="wide-only">{ "Reset to example" }</span><span class="narrow-only" aria-hidden="true">{ "↺ Reset" }</span></button>
                        }
                        <label class="ctl">
                            <span class="ctl-label">{ "Port" }</span>
                            <select data-testid="port-picker" aria-label="Port and protocol" onchange={on_port}>{ for ports }</select>
                        </label>
                        <div class="tabs" role="tablist" aria-label="Result view">
                            { tab(View::Matrix, "Matrix") }
                            { tab(View::Graph, "Graph") }
                            { tab(View::AndOr, "AND vs OR") }
                            { tab(View::Compare, "Compare") }
                        </div>
                    </div>
                    { learn::header(&page.learn, &self.hooks) }
                </header>
                { learn::banner(&page.learn, &self.hooks) }
                { panels::pane_switch(page.learn_open()) }
                <main class={classes!("layout", page.learn_open().then_some("learning"))}>
                    { learn::aside(page, &self.hooks) }
                    <div class="left">
                        <div class="left-head">
                            <p class="drop-hint" data-testid="drop-hint">{ "Drop manifests here — policies and workloads can go in either editor" }</p>
                            <label class="ctl toggle" title="Pods with the same controller owner and labels (kubectl get pods output) become one endpoint named after the owner, e.g. its Deployment">
                                <input type="checkbox" data-testid="group-replicas" checked={page.group_replicas} onchange={on_group} />
                                <span class="toggle-label">{ "Group replicas" }</span>
                            </label>
                        </div>
                        <CodeEditor editor={Editor::Policies} label="Policies" hint="NetworkPolicy YAML, --- between documents"
                            text={AttrValue::from(vm.policies_text.clone())} diagnostics={diags_for(Editor::Policies)}
                            highlight={hl_for(Editor::Policies)} on_input={on_input_p} textarea_ref={self.hooks.policies_ref.clone()} on_files={on_files_p} />
                        <CodeEditor editor={Editor::Cluster} label="Cluster" hint="toy format or kubectl get -o yaml"
                            text={AttrValue::from(vm.cluster_text.clone())} diagnostics={diags_for(Editor::Cluster)}
                            highlight={hl_for(Editor::Cluster)} on_input={on_input_c} textarea_ref={self.hooks.cluster_ref.clone()} on_files={on_files_c} />
                        <p id="editor-keys-hint" class="editor-keys-hint" data-testid="editor-keys-hint">
                            <kbd>{ "Tab" }</kbd>{ " inserts two spaces; " }<kbd>{ "Esc" }</kbd>{ " then " }<kbd>{ "Tab" }</kbd>{ " moves on." }
                        </p>
                        <Diagnostics diagnostics={vm.diagnostics.clone()} {on_pick} lints={page.lints.clone()} lints_pending={page.lints_pending} />
                    </div>
                    <div class={classes!("right", matches!(vm.view, View::AndOr | View::Compare).then_some("diff-view"), vm.explanation.is_some().then_some("has-flow"))}>
                        <section class="panel result" aria-labelledby="result-title">
                            <div class="panel-head">
                                <h2 id="result-title">{ match vm.view { View::Graph => "Allowed flows", View::AndOr => "AND vs OR", View::Compare => "Compare with a baseline", View::Matrix => "Flow matrix" } }</h2>
                                { for counts }
                            </div>
                            if vm.stale {
                                <div class="stale-banner" data-testid="stale" role="status">
                                    <span aria-hidden="true">{ "⚠ " }</span>
                                    { "Showing the last valid result — fix the errors to update." }
                                </div>
                            }
                            <div id="result-view" role="tabpanel" tabindex="-1" class={classes!("result-body", vm.stale.then_some("is-stale"))}>
                                { result_view }
                            </div>
                            { legend }
                            { for tier_legend }
                        </section>
                        <div class="lower">
                            <WhyPanel explanation={vm.explanation.clone()} on_link={on_link.clone()} on_port={on_port_explain} {on_close}
                                example_title={if page.learn_open() { String::new() } else { vm.example_title.clone() }} example_summary={vm.example_summary.clone()}
                                example_description={vm.example_description.clone()} modified={vm.modified}
                                panel_ref={self.hooks.why_ref.clone()} />
                            <PoliciesList policies={vm.policy_list.clone()} on_select={on_policy} {on_link} />
                        </div>
                    </div>
                </main>
                { for self.error.as_deref().map(worker_error) }
                <footer class="status">
                    <span data-testid="eval-time" class="eval-time" ref={self.time_ref.clone()}></span>
                    if self.slow {
                        <span class="evaluating" data-testid="evaluating" role="status">{ " evaluating…" }</span>
                    }
                    if self.stoppable {
                        <button type="button" class="btn btn-small" data-testid="stop-evaluation" onclick={ctx.link().callback(|_: MouseEvent| Msg::Stop)}
                            title="End this evaluation and go back to your last saved work">{ "Stop" }</button>
                    }
                    if let Some(n) = &self.notice {
                        <span class="worker-notice" data-testid="worker-notice" role="alert">{ n }</span>
                    }
                    <span class="sep" aria-hidden="true">{ "·" }</span>
                    <span role="status">
                        <span>{ &vm.summary }</span>
                        <span class="sep" aria-hidden="true">{ "·" }</span>
                        <span class={classes!(if vm.error_count > 0 { "st-error" } else { "st-ok" })}>{ problems }</span>
                    </span>
                    <span class="spacer"></span>
                    <span class="muted">{ "Runs in your browser; nothing is sent anywhere." }</span>
                </footer>
            </div>
        }
    }
}

/// A link to a span of an editor (a policy's link highlights its whole document).
fn show_span(l: LinkVm) -> Ev {
    let whole_document = l.kind == "policy";
    Ev::ShowSpan {
        whole_document,
        file: l.file,
        line: l.line,
        col: l.col,
    }
}
