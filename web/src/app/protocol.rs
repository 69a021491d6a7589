//! The messages between the page and the worker that runs the core (`src/bin/worker.rs`), as
//! plain serde types sent as JSON strings. The page sends [`ToWorker::Start`] once, then one
//! batch of numbered events at a time; after each batch (and after deferred work the worker ran
//! on its own) the worker answers a [`Reply`]: the page to render and the effects only the page
//! can perform (storage, clipboard, the address bar, scrolling).
//!
//! [`serve`] is the worker's side without the browser: it applies a batch to the state and keeps
//! the timers (`Effect::WaitForIdle`) for the worker, which feeds `DiffEvent::IdleAt` back in.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::diff::DiffEvent;
use super::diff::LintVm;
use super::diff_view::{AndOrVm, CompareVm};
use super::evaluation::Editor;
use super::graph::GraphVm;
use super::matrix::MatrixVm;
use super::page::{page, Page};
use super::startup::{start, Startup};
use super::state::State;
use super::update::{update, Effect, Event};
use super::view::{DiagVm, PolicyVm};

/// Page → worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// The first message: what the page read before starting.
    Start(Box<Startup>),
    /// Events in the order they happened, each with its number (increasing).
    Events(Vec<(u32, Event)>),
}

/// Worker → page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker runs and reads messages (sent before anything else: messages posted before it
    /// would be lost).
    Ready,
    Reply(Box<Reply>),
}

/// The state after the events up to `seq`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// The number of the last event applied (0 before any).
    pub seq: u32,
    /// The page, without the parts in `same`.
    pub page: Page,
    /// The effects for the page (never `WaitForIdle`, which the worker performs).
    pub effects: Vec<Effect>,
    /// The big parts equal to those of the previous reply, left out of `page` (a keystroke
    /// that changes no flow does not send the matrix again).
    #[serde(default)]
    pub same: Vec<Part>,
    /// How long the worker took, from reading the message to posting this reply (ms; set by
    /// the worker, 0 elsewhere): the page shows it as `data-worker-ms`.
    #[serde(default)]
    pub worker_ms: f64,
}

/// A big part of a page, sent only when it changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Part {
    Matrix,
    Graph,
    AndOr,
    Compare,
    PolicyList,
    /// The lints, and the same as the editors' diagnostics.
    Lints,
    /// An editor's text, when it is the one the page holds (the page typed it, or was sent it).
    PoliciesText,
    ClusterText,
    /// The texts of the reply's one `Effect::Save`, which are the page's texts.
    SavedTexts,
    /// The baseline of the reply's one `Effect::Save`, which is the one the last `Save` sent
    /// (a pinned 1,000 × 300 baseline is 177 KB, and most keystrokes save).
    SavedBaseline,
}

/// The big parts of a page (each an `Rc`: copies are cheap).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Parts {
    matrix: Option<Rc<MatrixVm>>,
    graph: Option<Rc<GraphVm>>,
    andor: Option<Rc<AndOrVm>>,
    compare: Option<Rc<CompareVm>>,
    policy_list: Option<Rc<Vec<PolicyVm>>>,
    lints: Option<Rc<Vec<LintVm>>>,
    lint_diags: Option<Rc<Vec<DiagVm>>>,
}

/// Equal contents (the same `Rc` first, which is cheap).
fn same<T: PartialEq>(a: &Option<Rc<T>>, b: &Option<Rc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b) || a == b,
        _ => false,
    }
}

/// The texts of the editors the page holds: the one of its last edit, or the last one it was
/// sent. Both sides keep one, updated alike, so the worker can leave out a text the page has.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts([String; 2]);

impl Texts {
    fn slot(editor: Editor) -> usize {
        match editor {
            Editor::Policies => 0,
            Editor::Cluster => 1,
        }
    }

    /// The page typed `text` (or will, when the event reaches it).
    pub fn typed(&mut self, editor: Editor, text: &str) {
        text.clone_into(&mut self.0[Self::slot(editor)]);
    }

    /// The page's text of `editor`.
    pub fn get(&self, editor: Editor) -> &str {
        &self.0[Self::slot(editor)]
    }
}

fn text_part(editor: Editor) -> Part {
    match editor {
        Editor::Policies => Part::PoliciesText,
        Editor::Cluster => Part::ClusterText,
    }
}

fn page_text(page: &mut Page, editor: Editor) -> &mut String {
    match editor {
        Editor::Policies => &mut page.vm.policies_text,
        Editor::Cluster => &mut page.vm.cluster_text,
    }
}

const EDITORS: [Editor; 2] = [Editor::Policies, Editor::Cluster];

impl Parts {
    fn of(page: &Page) -> Parts {
        Parts {
            matrix: page.vm.matrix.clone(),
            graph: page.vm.graph.clone(),
            andor: page.andor.clone(),
            compare: page.compare.clone(),
            policy_list: Some(page.vm.policy_list.clone()),
            lints: Some(page.lints.clone()),
            lint_diags: Some(page.lint_diags.clone()),
        }
    }

    /// Leaves out of `page` the parts equal to these, and the texts the page holds; returns
    /// which.
    fn strip(&self, page: &mut Page, texts: &mut Texts) -> Vec<Part> {
        let mut out = Vec::new();
        if same(&self.matrix, &page.vm.matrix) {
            page.vm.matrix = None;
            out.push(Part::Matrix);
        }
        if same(&self.graph, &page.vm.graph) {
            page.vm.graph = None;
            out.push(Part::Graph);
        }
        if same(&self.andor, &page.andor) {
            page.andor = None;
            out.push(Part::AndOr);
        }
        if same(&self.compare, &page.compare) {
            page.compare = None;
            out.push(Part::Compare);
        }
        if same(&self.policy_list, &Some(page.vm.policy_list.clone())) {
            page.vm.policy_list = Rc::default();
            out.push(Part::PolicyList);
        }
        if same(&self.lints, &Some(page.lints.clone()))
            && same(&self.lint_diags, &Some(page.lint_diags.clone()))
        {
            page.lints = Rc::default();
            page.lint_diags = Rc::default();
            out.push(Part::Lints);
        }
        for e in EDITORS {
            let text = page_text(page, e);
            if *text == texts.get(e) {
                std::mem::take(text);
                out.push(text_part(e));
            } else {
                texts.typed(e, text);
            }
        }
        out
    }

    /// Puts the parts `same` names back into a page read (and remembers the page's parts);
    /// `texts` are the page's.
    pub fn restore(&mut self, page: &mut Page, same: &[Part], texts: &Texts) {
        for p in same {
            match p {
                Part::Matrix => page.vm.matrix.clone_from(&self.matrix),
                Part::Graph => page.vm.graph.clone_from(&self.graph),
                Part::AndOr => page.andor.clone_from(&self.andor),
                Part::Compare => page.compare.clone_from(&self.compare),
                Part::PolicyList => {
                    if let Some(l) = &self.policy_list {
                        page.vm.policy_list = Rc::clone(l);
                    }
                }
                Part::Lints => {
                    if let (Some(l), Some(d)) = (&self.lints, &self.lint_diags) {
                        page.lints = Rc::clone(l);
                        page.lint_diags = Rc::clone(d);
                    }
                }
                Part::PoliciesText => texts
                    .get(Editor::Policies)
                    .clone_into(&mut page.vm.policies_text),
                Part::ClusterText => texts
                    .get(Editor::Cluster)
                    .clone_into(&mut page.vm.cluster_text),
                Part::SavedTexts | Part::SavedBaseline => {}
            }
        }
        *self = Parts::of(page);
    }
}

/// Keeps only the last `Effect::Save` (the earlier ones are superseded) and leaves out its
/// texts when they are the state's, which the page has once the reply is read; returns whether
/// it did.
fn strip_saved(effects: &mut Vec<Effect>, state: &State) -> bool {
    let Some(last) = effects.iter().rposition(|e| matches!(e, Effect::Save(_))) else {
        return false;
    };
    let mut i = 0;
    effects.retain(|e| {
        let keep = i == last || !matches!(e, Effect::Save(_));
        i += 1;
        keep
    });
    for e in effects.iter_mut() {
        if let Effect::Save(saved) = e {
            if saved.policies == state.policies && saved.cluster == state.cluster {
                saved.policies.clear();
                saved.cluster.clear();
                return true;
            }
        }
    }
    false
}

/// Leaves out the baseline of the (one, after [`strip_saved`]) `Effect::Save` when it is `sent`,
/// the last one sent, and returns whether it did; else it becomes `sent`.
fn strip_baseline(effects: &mut [Effect], sent: &mut Option<String>) -> bool {
    for e in effects {
        if let Effect::Save(saved) = e {
            if saved.baseline.is_some() && saved.baseline == *sent {
                saved.baseline = None;
                return true;
            }
            sent.clone_from(&saved.baseline);
        }
    }
    false
}

/// Puts the baseline of the last `Effect::Save` read (`baseline`) back into the one whose
/// baseline was left out ([`Part::SavedBaseline`]); else remembers the one read.
pub fn restore_baseline(effects: &mut [Effect], same: bool, baseline: &mut Option<String>) {
    for e in effects {
        if let Effect::Save(saved) = e {
            if same {
                saved.baseline.clone_from(baseline);
            } else {
                baseline.clone_from(&saved.baseline);
            }
        }
    }
}

/// Puts the page's texts back into the `Effect::Save` whose texts were left out.
pub fn restore_saved(effects: &mut [Effect], page: &Page) {
    for e in effects {
        if let Effect::Save(saved) = e {
            page.vm.policies_text.clone_into(&mut saved.policies);
            page.vm.cluster_text.clone_into(&mut saved.cluster);
        }
    }
}

/// The core as the worker runs it.
#[derive(Debug)]
pub struct Served {
    pub state: State,
    /// The number of the last event applied.
    pub seq: u32,
    /// The big parts of the last page sent.
    sent: Parts,
    /// The texts the page holds.
    texts: Texts,
    /// The baseline of the last `Effect::Save` sent.
    baseline: Option<String>,
}

/// Starts the core; returns it, the first reply and the timers to start.
pub fn serve_start(startup: Startup) -> (Served, Reply, Vec<u32>) {
    let (mut state, effects) = start(netpol_examples::all(), startup);
    // Lints, AND/OR variants and the compare diff wait for a pause in typing.
    state.diff.lazy = true;
    let mut served = Served {
        state,
        seq: 0,
        sent: Parts::default(),
        texts: Texts::default(),
        baseline: None,
    };
    let (reply, timers) = served.reply(effects);
    (served, reply, timers)
}

impl Served {
    /// Applies a batch of events; returns the reply and the idle timers to start.
    pub fn serve(&mut self, events: Vec<(u32, Event)>) -> (Reply, Vec<u32>) {
        let mut effects = Vec::new();
        for (seq, ev) in events {
            self.seq = self.seq.max(seq);
            if let Event::Edit(editor, text) = &ev {
                self.texts.typed(*editor, text);
            }
            effects.extend(update(&mut self.state, ev));
        }
        self.reply(effects)
    }

    /// A timer the worker started ran out: the deferred work runs if no keystroke came since
    /// (`None`: a later timer supersedes it, nothing to send).
    pub fn idle(&mut self, timer: u32) -> Option<(Reply, Vec<u32>)> {
        if timer != self.state.diff.idle_seq {
            return None;
        }
        let effects = update(&mut self.state, Event::Diff(DiffEvent::IdleAt(timer)));
        Some(self.reply(effects))
    }

    fn reply(&mut self, effects: Vec<Effect>) -> (Reply, Vec<u32>) {
        let mut timers = Vec::new();
        let mut effects: Vec<Effect> = effects
            .into_iter()
            .filter(|e| match e {
                Effect::WaitForIdle(t) => {
                    timers.push(*t);
                    false
                }
                _ => true,
            })
            .collect();
        let mut page = page(&self.state);
        let parts = Parts::of(&page);
        let mut same = self.sent.strip(&mut page, &mut self.texts);
        if strip_saved(&mut effects, &self.state) {
            same.push(Part::SavedTexts);
        }
        if strip_baseline(&mut effects, &mut self.baseline) {
            same.push(Part::SavedBaseline);
        }
        self.sent = parts;
        let reply = Reply {
            seq: self.seq,
            page,
            effects,
            same,
            worker_ms: 0.0,
        };
        (reply, timers)
    }
}

/// Collapses a newly queued event into the queue: consecutive edits of the same editor, and
/// consecutive hovers, keep only the last (latest wins; the number is the newest).
pub fn enqueue(queue: &mut Vec<(u32, Event)>, seq: u32, ev: Event) {
    if let Some((last_seq, last)) = queue.last_mut() {
        let same = match (&*last, &ev) {
            (Event::Edit(a, _), Event::Edit(b, _)) => a == b,
            (Event::Hover(_), Event::Hover(_)) => true,
            _ => false,
        };
        if same {
            *last_seq = seq;
            *last = ev;
            return;
        }
    }
    queue.push((seq, ev));
}

/// JSON of a message (these types always serialise).
pub fn encode<T: Serialize>(msg: &T) -> String {
    serde_json::to_string(msg).unwrap_or_default()
}
