//! The state of the playground ([`State`]) and the operations on it that several events share.
//! Events and effects are in `update.rs`; nothing here touches the DOM.

use std::rc::Rc;

use netpol_engine::exercise::Highlight;
use netpol_engine::{Diagnostic, ParseCache, ParseOptions, PortProto};
use netpol_examples::Example;
use serde::{Deserialize, Serialize};

use super::diff::{Current, DiffState, LintVm};
use super::evaluation::{reevaluate_cached, Editor, Evaluation, PortChoice};
use super::learn::{Learn, Scenario};
use super::matrix::policy_flows;
use super::text::{block_lines, document_lines};

/// The result view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    #[default]
    Matrix,
    Graph,
    /// The AND vs OR variants of the current policies.
    AndOr,
    /// The current policies against a pinned baseline.
    Compare,
}

impl View {
    /// The tab's `data-view` value (and the view's name in links).
    pub fn value(self) -> &'static str {
        match self {
            View::Matrix => "matrix",
            View::Graph => "graph",
            View::AndOr => "andor",
            View::Compare => "compare",
        }
    }
}

/// What survives a reload (stored as JSON in localStorage).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Saved {
    pub policies: String,
    pub cluster: String,
    pub example: String,
    /// `PORT/PROTO`, `all`, or empty for the example's default.
    #[serde(default)]
    pub port: String,
    #[serde(default)]
    pub view: View,
    /// The pinned Compare baseline (policies text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// The "Group replicas" toggle.
    #[serde(default)]
    pub group_replicas: bool,
}

/// The localStorage key.
pub const STORAGE_KEY: &str = "netpol-playground-v1";

/// A band of highlighted lines in an editor (1-based, inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineRange {
    pub editor: Editor,
    pub start: u32,
    pub end: u32,
}

/// The selected flow for the Why? panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowSel {
    pub from: String,
    pub to: String,
    /// The port explained in all-ports mode (`None`: the first port that matters).
    pub port: Option<PortProto>,
}

/// A panel of the embed layout.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Panel {
    Policies,
    Cluster,
    Result,
    Why,
}

/// Embed mode: `?embed=1&view=matrix&panels=editors,result,why&readonly=1&height=400` (parsed by
/// `share::parse_embed`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmbedParams {
    pub view: Option<View>,
    pub panels: Vec<Panel>,
    pub readonly: bool,
    /// A fixed height in CSS pixels (otherwise the iframe's height).
    pub height: Option<u32>,
}

/// The whole state of the app.
#[derive(Debug)]
pub struct State {
    pub examples: Vec<Example>,
    pub policies: String,
    pub cluster: String,
    pub example: String,
    /// The user's choice; `None` means the example's default.
    pub port: Option<PortChoice>,
    pub view: View,
    /// Pods with the same controller owner and labels are one endpoint named after the owner
    /// (`ParseOptions::group_replicas`).
    pub group_replicas: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// The last valid evaluation (stale when the current input has errors).
    pub result: Option<Rc<Evaluation>>,
    /// The evaluation `result` replaced, kept so that the worker frees it after posting its
    /// reply rather than before (freeing a large one takes a keystroke several ms). At most
    /// one is kept: the next evaluation frees it when nobody did.
    pub retired: Option<Rc<Evaluation>>,
    pub stale: bool,
    pub flow: Option<FlowSel>,
    /// The selected policy (`ns/name`) in the policies list.
    pub policy: Option<String>,
    pub highlight: Option<LineRange>,
    /// The hovered or focused endpoint (matrix header or graph node).
    pub hover: Option<String>,
    /// Cache: the flows the selected policy helps allow (see [`State::refresh`]).
    pub policy_flows: Vec<(usize, usize)>,
    /// AND/OR variants, Compare baseline, undo stack, lints.
    pub diff: DiffState,
    /// Tutorial, exercises, share buttons.
    pub learn: Learn,
    /// Embed mode (`?embed=1`): the embed layout, and nothing is saved.
    pub embed: Option<EmbedParams>,
    /// The playground's URL without query or fragment (the base of share links).
    pub page_url: String,
    /// The engine's per-document parse cache: a keystroke re-reads only the document it
    /// changed.
    pub parse_cache: ParseCache,
}

impl State {
    /// A fresh state showing the first (default) example.
    pub fn new(examples: Vec<Example>) -> State {
        let ex = examples.first().cloned().unwrap_or_else(|| Example {
            id: String::new(),
            title: String::new(),
            summary: String::new(),
            description: String::new(),
            cluster: String::new(),
            policies: String::new(),
            port: None,
        });
        let mut s = State {
            examples,
            policies: ex.policies.clone(),
            cluster: ex.cluster.clone(),
            example: ex.id.clone(),
            port: None,
            view: View::Matrix,
            group_replicas: false,
            diagnostics: Vec::new(),
            result: None,
            retired: None,
            stale: false,
            flow: None,
            policy: None,
            highlight: None,
            hover: None,
            policy_flows: Vec::new(),
            diff: DiffState::default(),
            learn: Learn::new(),
            embed: None,
            page_url: String::new(),
            parse_cache: ParseCache::default(),
        };
        s.reevaluate();
        s
    }

    /// A state restored from storage (falling back to `new` for the parts that are missing).
    pub fn restore(examples: Vec<Example>, saved: Option<Saved>) -> State {
        let mut s = State::new(examples);
        if let Some(saved) = saved {
            s.policies = saved.policies;
            s.cluster = saved.cluster;
            if s.examples.iter().any(|e| e.id == saved.example) {
                s.example = saved.example;
            }
            s.port = PortChoice::parse(&saved.port);
            s.view = saved.view;
            s.diff.baseline = saved.baseline;
            s.group_replicas = saved.group_replicas;
            s.result = None;
            s.reevaluate();
        }
        s
    }

    pub fn saved(&self) -> Saved {
        Saved {
            policies: self.policies.clone(),
            cluster: self.cluster.clone(),
            example: self.example.clone(),
            port: self.port.map(PortChoice::value).unwrap_or_default(),
            view: self.view,
            baseline: self.diff.baseline.clone(),
            group_replicas: self.group_replicas,
        }
    }

    pub fn current_example(&self) -> Option<&Example> {
        self.examples.iter().find(|e| e.id == self.example)
    }

    /// True when the texts differ from the selected example's, or inside an exercise from the
    /// exercise's start (what Reset would restore).
    pub fn modified(&self) -> bool {
        if let Some(s) = self
            .learn
            .exercise
            .and_then(|i| self.learn.exercise_start(i))
        {
            return s.policies != self.policies || s.cluster != self.cluster;
        }
        self.current_example()
            .is_none_or(|e| e.policies != self.policies || e.cluster != self.cluster)
    }

    pub fn text(&self, editor: Editor) -> &str {
        match editor {
            Editor::Policies => &self.policies,
            Editor::Cluster => &self.cluster,
        }
    }

    fn reevaluate(&mut self) {
        let options = ParseOptions {
            group_replicas: self.group_replicas,
        };
        let (diags, ev) = reevaluate_cached(
            &mut self.parse_cache,
            &self.policies,
            &self.cluster,
            &options,
            self.result.as_ref(),
        );
        self.diagnostics = diags;
        match ev {
            Some(ev) => {
                self.retired = self.result.replace(ev);
                self.stale = false;
            }
            None => self.stale = self.result.is_some(),
        }
    }

    /// The port shown: the user's choice, else the example's, else the first port that matters.
    pub fn port_choice(&self) -> PortChoice {
        if let Some(p) = self.port {
            return p;
        }
        let ex_port = self
            .current_example()
            .and_then(|e| e.port.as_deref())
            .and_then(|p| PortProto::parse(p).ok());
        match (&self.result, ex_port) {
            (Some(r), Some(pp)) if r.ports.contains(&pp) => PortChoice::One(pp),
            (Some(r), _) if !r.ports.is_empty() => PortChoice::One(r.ports[0]),
            (_, Some(pp)) => PortChoice::One(pp),
            _ => PortChoice::One(PortProto::new(80, netpol_engine::Protocol::Tcp)),
        }
    }

    /// Shows example `id` (an unknown id changes nothing).
    pub fn load_example(&mut self, id: &str) {
        if let Some(ex) = self.examples.iter().find(|e| e.id == id).cloned() {
            self.example = ex.id;
            self.policies = ex.policies;
            self.cluster = ex.cluster;
            self.port = None;
            self.flow = None;
            self.policy = None;
            self.highlight = None;
            self.hover = None;
            self.result = None;
            self.reevaluate();
        }
    }

    /// Replaces the text of one editor and evaluates.
    pub fn edit(&mut self, editor: Editor, text: String) {
        match editor {
            Editor::Policies => self.policies = text,
            Editor::Cluster => self.cluster = text,
        }
        self.highlight = None;
        self.reevaluate();
    }

    /// Turns the grouping of replicas on or off and evaluates again (the selections stay; those
    /// naming endpoints that no longer exist show nothing).
    pub fn set_group_replicas(&mut self, on: bool) {
        if self.group_replicas != on {
            self.group_replicas = on;
            self.result = None;
            self.reevaluate();
        }
    }

    /// Loads a lesson: both texts at once (evaluated once), its port, and its highlights; the
    /// previous selections are cleared.
    pub fn load_scenario(&mut self, s: Scenario) {
        self.flow = None;
        self.policy = None;
        self.hover = None;
        self.port = None;
        self.policies = s.policies;
        self.cluster = s.cluster;
        self.highlight = None;
        self.reevaluate();
        if let Some(p) = &s.port {
            self.select_port(p);
        }
        for h in &s.highlights {
            self.show_highlight(h);
        }
    }

    /// Shows one highlight with the existing mechanisms: a selected flow (matrix cell / graph
    /// edge and the Why? panel), a selected policy (its pods and flows), a hovered pod.
    pub fn show_highlight(&mut self, h: &Highlight) {
        match h {
            Highlight::Flow { from, to, .. } => self.select_flow(from.clone(), to.clone()),
            Highlight::Policy(id) => self.policy = Some(id.clone()),
            Highlight::Pod(id) => self.hover = Some(id.clone()),
        }
    }

    /// Selects a port picker value (`PORT/PROTO` or `all`); other values change nothing.
    pub fn select_port(&mut self, value: &str) {
        if let Some(p) = PortChoice::parse(value) {
            self.port = Some(p);
            if let Some(f) = &mut self.flow {
                f.port = None;
            }
        }
    }

    /// Selects a flow for the Why? panel (selecting it again keeps the port it explains).
    pub fn select_flow(&mut self, from: String, to: String) {
        let same = self
            .flow
            .as_ref()
            .is_some_and(|f| f.from == from && f.to == to);
        if !same {
            self.flow = Some(FlowSel {
                from,
                to,
                port: None,
            });
        }
    }

    /// Highlights the YAML block at `line:col` of input `file`, or the whole document (`---`
    /// section) holding it; false when `file` is not an editor.
    pub fn show_span(&mut self, file: &str, line: u32, col: u32, whole_document: bool) -> bool {
        let Some(editor) = Editor::from_name(file) else {
            return false;
        };
        let text = self.text(editor);
        let (start, end) = if whole_document {
            document_lines(text, line)
        } else {
            block_lines(text, line, col)
        };
        self.highlight = Some(LineRange { editor, start, end });
        true
    }

    /// Recomputes the derived data after an event: the selected policy's flows, the diff tabs'
    /// caches (a keystroke leaves those to `DiffEvent::Idle` when `diff.lazy` is set) and the
    /// open exercise's goals.
    pub fn refresh(&mut self, keystroke: bool) {
        self.policy_flows = self.compute_policy_flows();
        if !(keystroke && self.diff.lazy) {
            self.diff.refresh(Current {
                result: self.result.as_ref(),
                stale: self.stale,
                policies: &self.policies,
                cluster: &self.cluster,
                and_or: self.view == View::AndOr,
                compare: self.view == View::Compare,
            });
        }
        self.learn.refresh_goals(&self.policies);
    }

    /// The flows the selected policy helps allow (endpoint indices), on the shown port(s).
    fn compute_policy_flows(&self) -> Vec<(usize, usize)> {
        let Some(r) = self.result.as_deref() else {
            return Vec::new();
        };
        let Some(id) = self.policy.as_ref() else {
            return Vec::new();
        };
        match r.policies.iter().find(|p| &p.id == id) {
            Some(p) => policy_flows(r, p.index, self.port_choice()),
            None => Vec::new(),
        }
    }

    /// The lints to show: none while the input has errors (their positions would be stale), and
    /// none inside an exercise until the learner asks for them (they give the answer away).
    pub fn lints(&self) -> &[LintVm] {
        if self.learn.hides_lints() {
            return &[];
        }
        self.diff.lints(self.result.as_ref(), self.stale)
    }

    /// How many lints an exercise hides (0 when none are hidden).
    pub fn hidden_lints(&self) -> usize {
        if !self.learn.hides_lints() {
            return 0;
        }
        self.diff.lints(self.result.as_ref(), self.stale).len()
    }

    /// Inside an exercise: puts back its starting texts and port (keeping the texts replaced
    /// for [`LearnEvent::UndoReset`](super::learn::LearnEvent::UndoReset)); false outside one.
    pub fn reset_exercise(&mut self) -> bool {
        let Some(start) = self
            .learn
            .exercise
            .and_then(|i| self.learn.exercise_start(i))
        else {
            return false;
        };
        if self.modified() {
            self.learn.before_reset = Some((self.policies.clone(), self.cluster.clone()));
        }
        self.load_scenario(start);
        true
    }

    /// Puts back the texts the last Reset inside the exercise replaced.
    pub fn undo_reset(&mut self) {
        if let Some((policies, cluster)) = self.learn.before_reset.take() {
            self.policies = policies;
            self.cluster = cluster;
            self.highlight = None;
            self.reevaluate();
        }
    }

    /// True when the lints are behind the current evaluation.
    pub fn lints_due(&self) -> bool {
        self.diff.lints_due(self.result.as_ref(), self.stale)
    }

    /// True when the variants shown are those of an older evaluation (waiting for `Idle`).
    pub fn variants_due(&self) -> bool {
        self.diff.variants_due(self.result.as_ref())
    }

    /// The policies text with variant `i` applied, when it can be applied to the text as
    /// written.
    pub fn variant_text(&self, i: usize) -> Option<String> {
        self.diff.variant_text(&self.policies, i)
    }
}
