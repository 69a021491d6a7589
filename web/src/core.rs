//! The pure core of the playground: state, events, and the view model.
//!
//! No DOM here (Crux style): `update` changes the [`State`] in response to an [`Event`], and
//! [`view_model`] turns the state into plain data the Yew components render. Every question about
//! NetworkPolicy semantics is answered by `netpol-engine`; this module only arranges the answers.

use std::rc::Rc;

use netpol_engine::explain::{PolicyRef, SideExplanation, Verdict};
use netpol_engine::model::Span;
use netpol_engine::{
    compile, parse, Cell, Diagnostic, Input, Model, PolicyType, PortProto, Severity,
};
use netpol_examples::Example;
use serde::{Deserialize, Serialize};

/// The input names given to the engine; diagnostics carry them in `file`.
pub const POLICIES: &str = "policies";
pub const CLUSTER: &str = "cluster";

/// Which editor.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Editor {
    Policies,
    Cluster,
}

impl Editor {
    pub fn name(self) -> &'static str {
        match self {
            Editor::Policies => POLICIES,
            Editor::Cluster => CLUSTER,
        }
    }

    pub fn from_name(name: &str) -> Option<Editor> {
        match name {
            POLICIES => Some(Editor::Policies),
            CLUSTER => Some(Editor::Cluster),
            _ => None,
        }
    }
}

/// The result view.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum View {
    #[default]
    Matrix,
    Graph,
    /// The AND vs OR variants of the current policies (`diffview`).
    AndOr,
    /// The current policies against a pinned baseline (`diffview`).
    Compare,
}

/// The port the result shows: one port/protocol, or the all-ports summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortChoice {
    One(PortProto),
    All,
}

impl PortChoice {
    /// The `<option>` value: `8080/TCP` or `all`.
    pub fn value(self) -> String {
        match self {
            PortChoice::One(pp) => pp.to_string(),
            PortChoice::All => "all".to_string(),
        }
    }

    pub fn parse(s: &str) -> Option<PortChoice> {
        if s == "all" {
            Some(PortChoice::All)
        } else {
            PortProto::parse(s).ok().map(PortChoice::One)
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
}

/// The localStorage key.
pub const STORAGE_KEY: &str = "netpol-playground-v1";

/// Everything the evaluation of a valid input produced, owned so it can outlive the texts.
#[derive(Debug, PartialEq)]
pub struct Evaluation {
    pub model: Model,
    pub endpoints: Vec<EndpointInfo>,
    /// Consecutive runs of `endpoints` sharing a namespace (externals last, as one group).
    pub groups: Vec<Group>,
    /// Every namespace of the model (also those without pods), in declaration order.
    pub namespaces: Vec<String>,
    pub ports: Vec<PortProto>,
    /// One matrix per port of `ports`: `cells[from * n + to]`.
    pub matrices: Vec<Vec<Cell>>,
    pub policies: Vec<PolicyInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointInfo {
    /// `ns/pod` or the external's name.
    pub name: String,
    /// The pod name (or the external's name).
    pub short: String,
    pub namespace: Option<String>,
    pub external: bool,
    /// Extra text for tooltips: labels and ports, or the IP.
    pub detail: String,
    /// Policies (ids) isolating it for ingress / egress.
    pub ingress_isolated_by: Vec<String>,
    pub egress_isolated_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    pub label: String,
    pub external: bool,
    pub start: usize,
    pub len: usize,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyInfo {
    pub id: String,
    pub index: usize,
    pub ingress: bool,
    pub egress: bool,
    pub selects: Vec<usize>,
    pub span: Span,
}

impl Evaluation {
    pub fn n(&self) -> usize {
        self.endpoints.len()
    }

    pub fn port_index(&self, pp: PortProto) -> Option<usize> {
        self.ports.iter().position(|p| *p == pp)
    }

    pub fn endpoint(&self, name: &str) -> Option<usize> {
        self.endpoints.iter().position(|e| e.name == name)
    }

    /// The verdict for a flow on a port (computing the matrix when the port is not a listed one).
    pub fn cell(&self, from: usize, to: usize, pp: PortProto) -> Cell {
        match self.port_index(pp) {
            Some(i) => self.matrices[i][from * self.n() + to],
            None => compile(&self.model).matrix(pp).cell(from, to),
        }
    }
}

/// Parses and evaluates the two texts: the diagnostics, and the evaluation when nothing is an
/// error.
pub fn evaluate(policies: &str, cluster: &str) -> (Vec<Diagnostic>, Option<Evaluation>) {
    let (model, diagnostics) = parse(&[
        Input {
            name: POLICIES,
            text: policies,
        },
        Input {
            name: CLUSTER,
            text: cluster,
        },
    ]);
    if netpol_engine::has_errors(&diagnostics) {
        return (diagnostics, None);
    }
    let c = compile(&model);
    let endpoints: Vec<EndpointInfo> = c
        .endpoints()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let ids = |dir| {
                c.isolated_by(i, dir)
                    .iter()
                    .map(|&p| model.policies[p].id())
                    .collect()
            };
            let (short, detail) = match e.kind {
                netpol_engine::EndpointKind::Pod { pod } => {
                    let p = &model.pods[pod];
                    let labels: Vec<String> =
                        p.labels.iter().map(|(k, v)| format!("{k}={v}")).collect();
                    let ports: Vec<String> = p
                        .ports
                        .iter()
                        .map(|cp| match &cp.name {
                            Some(n) => format!("{n}:{}/{}", cp.port, cp.protocol),
                            None => format!("{}/{}", cp.port, cp.protocol),
                        })
                        .collect();
                    let mut d = if labels.is_empty() {
                        "no labels".to_string()
                    } else {
                        labels.join(" ")
                    };
                    if !ports.is_empty() {
                        d.push_str(&format!(" · ports {}", ports.join(", ")));
                    }
                    if let Some(ip) = p.ips.first() {
                        d.push_str(&format!(" · {ip}"));
                    }
                    (p.name.clone(), d)
                }
                netpol_engine::EndpointKind::External { external } => {
                    let x = &model.externals[external];
                    (x.name.clone(), format!("outside the cluster · {}", x.ip))
                }
            };
            EndpointInfo {
                name: e.name.clone(),
                short,
                namespace: e.namespace.clone(),
                external: !e.is_pod(),
                detail,
                ingress_isolated_by: ids(PolicyType::Ingress),
                egress_isolated_by: ids(PolicyType::Egress),
            }
        })
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    for (i, e) in endpoints.iter().enumerate() {
        let label = e
            .namespace
            .clone()
            .unwrap_or_else(|| "outside the cluster".to_string());
        match groups.last_mut() {
            Some(g) if g.label == label && g.external == e.external => g.len += 1,
            _ => groups.push(Group {
                label,
                external: e.external,
                start: i,
                len: 1,
            }),
        }
    }
    let ports = c.ports_that_matter();
    let n = endpoints.len();
    let matrices = ports
        .iter()
        .map(|&pp| {
            let m = c.matrix(pp);
            let mut v = Vec::with_capacity(n * n);
            for from in 0..n {
                for to in 0..n {
                    v.push(m.cell(from, to));
                }
            }
            v
        })
        .collect();
    let policies = model
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| PolicyInfo {
            id: p.id(),
            index: i,
            ingress: p.affects_ingress,
            egress: p.affects_egress,
            selects: c.selected_by(i),
            span: p.span,
        })
        .collect();
    let namespaces = model.namespaces.iter().map(|n| n.name.clone()).collect();
    drop(c);
    let ev = Evaluation {
        model,
        endpoints,
        groups,
        namespaces,
        ports,
        matrices,
        policies,
    };
    (diagnostics, Some(ev))
}

/// A band of highlighted lines in an editor (1-based, inclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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
    pub diagnostics: Vec<Diagnostic>,
    /// The last valid evaluation (stale when the current input has errors).
    pub result: Option<Rc<Evaluation>>,
    pub stale: bool,
    pub flow: Option<FlowSel>,
    /// The selected policy (`ns/name`) in the policies list.
    pub policy: Option<String>,
    pub highlight: Option<LineRange>,
    /// Bumped whenever `highlight` is set, so the editor scrolls to it again.
    pub highlight_seq: u32,
    /// The hovered or focused endpoint (matrix header or graph node).
    pub hover: Option<String>,
    /// Cache: the flows the selected policy helps allow (see `update`).
    pub policy_flows: Vec<(usize, usize)>,
    /// AND/OR variants, Compare baseline, undo stack, lints (see `crate::diffview`).
    pub diff: crate::diffview::DiffState,
}

/// Everything that can happen.
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    Edit(Editor, String),
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
    /// Highlight one line (a diagnostic's).
    MarkLine(Editor, u32),
    ClearHighlight,
    Hover(Option<String>),
    /// AND/OR variants, Compare, undo, lints (see `crate::diffview`).
    Diff(crate::diffview::DiffEvent),
}

impl State {
    /// A fresh state showing `example` (or the default example).
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
            diagnostics: Vec::new(),
            result: None,
            stale: false,
            flow: None,
            policy: None,
            highlight: None,
            highlight_seq: 0,
            hover: None,
            policy_flows: Vec::new(),
            diff: Default::default(),
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
        }
    }

    pub fn current_example(&self) -> Option<&Example> {
        self.examples.iter().find(|e| e.id == self.example)
    }

    /// True when the texts differ from the selected example's.
    pub fn modified(&self) -> bool {
        self.current_example()
            .is_none_or(|e| e.policies != self.policies || e.cluster != self.cluster)
    }

    fn reevaluate(&mut self) {
        let (diags, ev) = evaluate(&self.policies, &self.cluster);
        self.diagnostics = diags;
        match ev {
            Some(ev) => {
                self.result = Some(Rc::new(ev));
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

    fn load(&mut self, id: &str) {
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
}

/// Applies an event to the state.
pub fn update(state: &mut State, event: Event) {
    let hover = matches!(event, Event::Hover(_));
    let edit = matches!(event, Event::Edit(..));
    apply(state, event);
    if !hover {
        // Derived data too slow to recompute on every hover.
        state.policy_flows = compute_policy_flows(state);
        crate::diffview::refresh(state, edit);
    }
}

/// The flows the selected policy helps allow (endpoint indices), on the shown port(s).
fn compute_policy_flows(state: &State) -> Vec<(usize, usize)> {
    let Some(r) = state.result.as_deref() else {
        return Vec::new();
    };
    let Some(id) = state.policy.as_ref() else {
        return Vec::new();
    };
    match r.policies.iter().find(|p| &p.id == id) {
        Some(p) => policy_flows(r, p.index, state.port_choice()),
        None => Vec::new(),
    }
}

fn apply(state: &mut State, event: Event) {
    match event {
        Event::Edit(editor, text) => {
            match editor {
                Editor::Policies => state.policies = text,
                Editor::Cluster => state.cluster = text,
            }
            state.highlight = None;
            state.reevaluate();
        }
        Event::LoadExample(id) => state.load(&id),
        Event::ResetExample => {
            let id = state.example.clone();
            state.load(&id);
        }
        Event::SelectPort(v) => {
            if let Some(p) = PortChoice::parse(&v) {
                state.port = Some(p);
                if let Some(f) = &mut state.flow {
                    f.port = None;
                }
            }
        }
        Event::SelectView(v) => state.view = v,
        Event::SelectFlow { from, to } => {
            let same = state
                .flow
                .as_ref()
                .is_some_and(|f| f.from == from && f.to == to);
            if !same {
                state.flow = Some(FlowSel {
                    from,
                    to,
                    port: None,
                });
            }
        }
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
            if let Some(editor) = Editor::from_name(&file) {
                let text = match editor {
                    Editor::Policies => &state.policies,
                    Editor::Cluster => &state.cluster,
                };
                let (start, end) = if whole_document {
                    document_lines(text, line)
                } else {
                    block_lines(text, line, col)
                };
                state.highlight = Some(LineRange { editor, start, end });
                state.highlight_seq = state.highlight_seq.wrapping_add(1);
            }
        }
        Event::MarkLine(editor, line) => {
            state.highlight = Some(LineRange {
                editor,
                start: line,
                end: line,
            });
            state.highlight_seq = state.highlight_seq.wrapping_add(1);
        }
        Event::ClearHighlight => state.highlight = None,
        Event::Hover(h) => state.hover = h,
        Event::Diff(ev) => crate::diffview::apply(state, ev),
    }
}

/// The lines of the YAML node at `line:col` (1-based): a document (col 1 on its first line), a
/// list item's content, or a key with everything nested under it.
pub fn block_lines(text: &str, line: u32, col: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let li = (line.max(1) - 1) as usize;
    if li >= lines.len() {
        return (line, line);
    }
    let indent = |s: &str| s.len() - s.trim_start_matches(' ').len();
    let c0 = (col.max(1) - 1) as usize;
    let first = lines[li];
    let before = first.get(..c0).unwrap_or("");
    let is_item =
        before.trim_end().ends_with('-') && before.trim().chars().all(|ch| ch == '-' || ch == ' ');
    let is_doc = c0 == 0 && indent(first) == 0;
    // Lines belong to the block while they are indented at least (item, document) or more (key)
    // than the node's column.
    let belongs = |s: &str| {
        let t = s.trim();
        if t.is_empty() || t.starts_with('#') {
            return true;
        }
        if t == "---" || t == "..." || s.starts_with("---") {
            return false;
        }
        if is_doc {
            return true;
        }
        // A key's block also holds a list written at the key's own indentation.
        is_item && indent(s) >= c0
            || indent(s) > c0
            || indent(s) == c0 && !is_item && t.starts_with('-')
    };
    let mut end = li;
    for (k, l) in lines.iter().enumerate().skip(li + 1) {
        if !belongs(l) {
            break;
        }
        end = k;
    }
    // Trailing blank lines and comments are not part of the node.
    while end > li && {
        let t = lines[end].trim();
        t.is_empty() || t.starts_with('#')
    } {
        end -= 1;
    }
    (line, end as u32 + 1)
}

/// The lines of the YAML document (between `---` markers) holding `line`, without the
/// surrounding blank lines and comments.
pub fn document_lines(text: &str, line: u32) -> (u32, u32) {
    let lines: Vec<&str> = text.lines().collect();
    let li = (line.max(1) - 1) as usize;
    if li >= lines.len() {
        return (line, line);
    }
    let is_sep = |s: &str| s.starts_with("---") || s.trim_end() == "...";
    let mut start = li;
    while start > 0 && !is_sep(lines[start - 1]) {
        start -= 1;
    }
    let mut end = li;
    while end + 1 < lines.len() && !is_sep(lines[end + 1]) {
        end += 1;
    }
    let skip = |s: &str| s.trim().is_empty() || s.trim_start().starts_with('#');
    while start < li && skip(lines[start]) {
        start += 1;
    }
    while end > li && skip(lines[end]) {
        end -= 1;
    }
    (start as u32 + 1, end as u32 + 1)
}

/// The position (in UTF-16 code units, what `setSelectionRange` takes) of `line:col` (1-based,
/// columns in characters).
pub fn utf16_offset(text: &str, line: u32, col: u32) -> u32 {
    let mut off = 0u32;
    for (i, l) in text.split('\n').enumerate() {
        if i + 1 == line as usize {
            for (c, ch) in (1..).zip(l.chars()) {
                if c >= col {
                    break;
                }
                off += ch.len_utf16() as u32;
            }
            return off;
        }
        off += l.encode_utf16().count() as u32 + 1;
    }
    text.encode_utf16().count() as u32
}

// ---------------------------------------------------------------------------------------------
// The view model
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
pub struct ViewModel {
    pub examples: Vec<(String, String)>,
    pub example: String,
    pub example_title: String,
    pub example_summary: String,
    pub example_description: Vec<Inline>,
    pub modified: bool,
    pub ports: Vec<PortOption>,
    pub port_value: String,
    pub view: View,
    pub policies_text: String,
    pub cluster_text: String,
    pub diagnostics: Vec<DiagVm>,
    pub error_count: usize,
    pub warning_count: usize,
    pub stale: bool,
    pub has_result: bool,
    pub matrix: Option<Rc<MatrixVm>>,
    pub graph: Option<Rc<GraphVm>>,
    pub explanation: Option<ExplanationVm>,
    pub policy_list: Vec<PolicyVm>,
    pub highlight: Option<LineRange>,
    pub highlight_seq: u32,
    /// Endpoints (indices) to emphasise: the hovered one and the selected policy's pods.
    pub hover: Option<usize>,
    pub policy_pods: Vec<usize>,
    /// Cells (from, to) the selected policy helps allow on the shown port.
    pub policy_flows: Vec<(usize, usize)>,
    pub summary: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PortOption {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagVm {
    pub editor: Editor,
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

/// A piece of the Markdown-ish example description.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Inline {
    Text(String),
    Code(String),
    Bold(String),
}

/// `code` and **bold** in a paragraph; everything else is text.
pub fn inline_markup(s: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut rest = s;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("**") {
            if let Some(end) = r.find("**") {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(Inline::Bold(r[..end].to_string()));
                rest = &r[end + 2..];
                continue;
            }
        }
        if let Some(r) = rest.strip_prefix('`') {
            if let Some(end) = r.find('`') {
                if !text.is_empty() {
                    out.push(Inline::Text(std::mem::take(&mut text)));
                }
                out.push(Inline::Code(r[..end].to_string()));
                rest = &r[end + 1..];
                continue;
            }
        }
        let ch = rest.chars().next().unwrap_or(' ');
        // Line breaks inside a paragraph are spaces; blank lines are kept as one newline.
        if ch == '\n' {
            if rest.starts_with("\n\n") {
                text.push('\n');
                rest = rest.trim_start_matches('\n');
                continue;
            }
            text.push(' ');
        } else {
            text.push(ch);
        }
        rest = &rest[ch.len_utf8()..];
    }
    if !text.is_empty() {
        out.push(Inline::Text(text));
    }
    out
}

/// The verdict of a matrix cell as shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Allow,
    Deny,
    NotApplicable,
    /// All-ports mode: allowed on every port that matters.
    AllPorts,
    /// All-ports mode: allowed on some.
    SomePorts,
    /// All-ports mode: allowed on none.
    NoPorts,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Allow | Mark::AllPorts => "✓",
            Mark::Deny | Mark::NoPorts => "✗",
            Mark::SomePorts => "◐",
            Mark::NotApplicable => "–",
        }
    }

    /// The `data-verdict` test hook.
    pub fn verdict(self) -> &'static str {
        match self {
            Mark::Allow | Mark::AllPorts => "allow",
            Mark::Deny | Mark::NoPorts => "deny",
            Mark::SomePorts => "some",
            Mark::NotApplicable => "na",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Mark::Allow => "allowed",
            Mark::Deny => "denied",
            Mark::NotApplicable => "not a cluster flow",
            Mark::AllPorts => "allowed on every port",
            Mark::SomePorts => "allowed on some ports",
            Mark::NoPorts => "denied on every port",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderVm {
    pub name: String,
    pub short: String,
    pub detail: String,
    pub external: bool,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellVm {
    pub mark: Mark,
    /// Tooltip / accessible name.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixVm {
    pub headers: Vec<HeaderVm>,
    pub groups: Vec<Group>,
    /// `cells[from][to]`.
    pub cells: Vec<Vec<CellVm>>,
    pub port_label: String,
    pub selected: Option<(usize, usize)>,
    pub allowed: usize,
    pub denied: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeVm {
    pub index: usize,
    pub name: String,
    pub short: String,
    pub detail: String,
    pub x: f64,
    pub y: f64,
    pub external: bool,
    pub ingress_isolated_by: Vec<String>,
    pub egress_isolated_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BoxVm {
    pub label: String,
    pub external: bool,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EdgeVm {
    pub from: usize,
    pub to: usize,
    /// SVG path data.
    pub d: String,
    /// All-ports mode: allowed on only some ports.
    pub partial: bool,
    pub title: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GraphVm {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<BoxVm>,
    pub nodes: Vec<NodeVm>,
    pub edges: Vec<EdgeVm>,
    pub selected: Option<(usize, usize)>,
}

/// A link from the Why? panel to the YAML responsible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkVm {
    /// `policy`, `rule`, `peer` or `port`.
    pub kind: &'static str,
    pub label: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideVm {
    pub title: String,
    pub allowed: bool,
    pub isolated: bool,
    /// (sentence, links) per responsible rule or isolating policy.
    pub items: Vec<(String, Vec<LinkVm>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplanationVm {
    pub from: String,
    pub to: String,
    pub port: String,
    pub verdict: Mark,
    pub headline: String,
    pub sentences: Vec<String>,
    pub sides: Vec<SideVm>,
    /// All-ports mode: the verdict on each port that matters (port, allowed, is explained).
    pub per_port: Vec<(PortProto, bool, bool)>,
    /// True when the selection is from the last valid result while the input has errors.
    pub stale: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyVm {
    pub id: String,
    pub ingress: bool,
    pub egress: bool,
    pub selects: Vec<String>,
    pub selected: bool,
    pub file: String,
    pub line: u32,
    pub col: u32,
}

fn mark_of(c: Cell) -> Mark {
    match c {
        Cell::Allowed => Mark::Allow,
        Cell::Denied => Mark::Deny,
        Cell::NotApplicable => Mark::NotApplicable,
    }
}

/// The verdict of a flow for a port choice, plus the ports it is allowed on (all-ports mode).
fn flow_mark(
    ev: &Evaluation,
    from: usize,
    to: usize,
    choice: PortChoice,
) -> (Mark, Vec<PortProto>) {
    match choice {
        PortChoice::One(pp) => (mark_of(ev.cell(from, to, pp)), Vec::new()),
        PortChoice::All => {
            let n = ev.n();
            let mut allowed = Vec::new();
            let mut na = false;
            for (i, m) in ev.matrices.iter().enumerate() {
                match m[from * n + to] {
                    Cell::Allowed => allowed.push(ev.ports[i]),
                    Cell::NotApplicable => na = true,
                    Cell::Denied => {}
                }
            }
            let mark = if na {
                Mark::NotApplicable
            } else if allowed.len() == ev.ports.len() {
                Mark::AllPorts
            } else if allowed.is_empty() {
                Mark::NoPorts
            } else {
                Mark::SomePorts
            };
            (mark, allowed)
        }
    }
}

fn cell_title(
    ev: &Evaluation,
    from: usize,
    to: usize,
    mark: Mark,
    choice: PortChoice,
    allowed: &[PortProto],
) -> String {
    let (f, t) = (&ev.endpoints[from].name, &ev.endpoints[to].name);
    match choice {
        PortChoice::One(pp) => format!("{f} → {t} on {pp}: {}", mark.word()),
        PortChoice::All => {
            let list = |v: Vec<String>| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            };
            let denied: Vec<String> = ev
                .ports
                .iter()
                .filter(|p| !allowed.contains(p))
                .map(|p| p.to_string())
                .collect();
            if mark == Mark::NotApplicable {
                format!("{f} → {t}: {}", mark.word())
            } else {
                format!(
                    "{f} → {t}: {} — allowed: {}; denied: {}",
                    mark.word(),
                    list(allowed.iter().map(|p| p.to_string()).collect()),
                    list(denied)
                )
            }
        }
    }
}

fn matrix_vm(ev: &Evaluation, choice: PortChoice, selected: Option<(usize, usize)>) -> MatrixVm {
    let n = ev.n();
    let mut allowed = 0;
    let mut denied = 0;
    let cells = (0..n)
        .map(|from| {
            (0..n)
                .map(|to| {
                    let (mark, ports) = flow_mark(ev, from, to, choice);
                    match mark {
                        Mark::Allow | Mark::AllPorts | Mark::SomePorts => allowed += 1,
                        Mark::Deny | Mark::NoPorts => denied += 1,
                        Mark::NotApplicable => {}
                    }
                    CellVm {
                        mark,
                        title: cell_title(ev, from, to, mark, choice, &ports),
                    }
                })
                .collect()
        })
        .collect();
    MatrixVm {
        headers: ev
            .endpoints
            .iter()
            .map(|e| HeaderVm {
                name: e.name.clone(),
                short: e.short.clone(),
                detail: e.detail.clone(),
                external: e.external,
                ingress_isolated: !e.ingress_isolated_by.is_empty(),
                egress_isolated: !e.egress_isolated_by.is_empty(),
            })
            .collect(),
        groups: ev.groups.clone(),
        cells,
        port_label: match choice {
            PortChoice::One(pp) => pp.to_string(),
            PortChoice::All => "all ports".to_string(),
        },
        selected,
        allowed,
        denied,
    }
}

/// Node radius and layout constants of the graph (SVG user units).
pub const NODE_R: f64 = 16.0;
const CELL_W: f64 = 96.0;
const CELL_H: f64 = 78.0;
const BOX_PAD_X: f64 = 14.0;
const BOX_PAD_TOP: f64 = 34.0;
const BOX_PAD_BOTTOM: f64 = 10.0;
const GAP: f64 = 34.0;

/// Lays out namespaces as boxes on a grid (pods on a small grid inside each), externals in a last
/// box, and draws every allowed flow (except a pod to itself) as a curved arrow.
fn graph_vm(ev: &Evaluation, choice: PortChoice, selected: Option<(usize, usize)>) -> GraphVm {
    // Groups: every namespace (also empty ones), then the externals.
    let mut groups: Vec<(String, bool, Vec<usize>)> = ev
        .namespaces
        .iter()
        .map(|ns| {
            let members = (0..ev.n())
                .filter(|&i| ev.endpoints[i].namespace.as_deref() == Some(ns))
                .collect();
            (ns.clone(), false, members)
        })
        .collect();
    let ext: Vec<usize> = (0..ev.n()).filter(|&i| ev.endpoints[i].external).collect();
    if !ext.is_empty() {
        groups.push(("outside the cluster".to_string(), true, ext));
    }
    let count = groups.len().max(1);
    let grid_cols = if count <= 3 {
        count
    } else {
        (count as f64).sqrt().ceil() as usize
    };
    // Each box holds its members on a grid of at most 3 columns.
    let dims: Vec<(usize, usize)> = groups
        .iter()
        .map(|(_, _, m)| {
            let cols = m.len().clamp(1, 3);
            let rows = m.len().div_ceil(cols).max(1);
            (cols, rows)
        })
        .collect();
    let col_w: Vec<f64> = (0..grid_cols)
        .map(|c| {
            dims.iter()
                .enumerate()
                .filter(|(i, _)| i % grid_cols == c)
                .map(|(i, d)| {
                    let label = if groups[i].1 {
                        groups[i].0.clone()
                    } else {
                        format!("namespace {}", groups[i].0)
                    };
                    (d.0 as f64 * CELL_W).max(measure(&label) + 4.0)
                })
                .fold(CELL_W, f64::max)
                + 2.0 * BOX_PAD_X
        })
        .collect();
    let grid_rows = count.div_ceil(grid_cols);
    let row_h: Vec<f64> = (0..grid_rows)
        .map(|r| {
            dims.iter()
                .enumerate()
                .filter(|(i, _)| i / grid_cols == r)
                .map(|(_, d)| d.1 as f64 * CELL_H)
                .fold(CELL_H, f64::max)
                + BOX_PAD_TOP
                + BOX_PAD_BOTTOM
        })
        .collect();
    let mut boxes = Vec::new();
    let mut pos = vec![(0.0, 0.0); ev.n()];
    for (i, (label, external, members)) in groups.iter().enumerate() {
        let (gc, gr) = (i % grid_cols, i / grid_cols);
        let x = GAP / 2.0 + col_w[..gc].iter().map(|w| w + GAP).sum::<f64>();
        let y = GAP / 2.0 + row_h[..gr].iter().map(|h| h + GAP).sum::<f64>();
        let (w, h) = (col_w[gc], row_h[gr]);
        boxes.push(BoxVm {
            label: label.clone(),
            external: *external,
            x,
            y,
            w,
            h,
        });
        let (cols, _) = dims[i];
        let inner_w = cols as f64 * CELL_W;
        let x0 = x + (w - inner_w) / 2.0;
        for (k, &m) in members.iter().enumerate() {
            let (c, r) = (k % cols, k / cols);
            pos[m] = (
                x0 + (c as f64 + 0.5) * CELL_W,
                y + BOX_PAD_TOP + (r as f64 + 0.5) * CELL_H - 8.0,
            );
        }
    }
    let width = GAP / 2.0 + col_w.iter().map(|w| w + GAP).sum::<f64>() - GAP / 2.0;
    let height = GAP / 2.0 + row_h.iter().map(|h| h + GAP).sum::<f64>() - GAP / 2.0;
    let nodes = ev
        .endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| NodeVm {
            index: i,
            name: e.name.clone(),
            short: e.short.clone(),
            detail: e.detail.clone(),
            x: pos[i].0,
            y: pos[i].1,
            external: e.external,
            ingress_isolated_by: e.ingress_isolated_by.clone(),
            egress_isolated_by: e.egress_isolated_by.clone(),
        })
        .collect();
    let mut edges = Vec::new();
    for from in 0..ev.n() {
        for to in 0..ev.n() {
            if from == to {
                continue;
            }
            let (mark, ports) = flow_mark(ev, from, to, choice);
            if !matches!(mark, Mark::Allow | Mark::AllPorts | Mark::SomePorts) {
                continue;
            }
            let (a, b) = (pos[from], pos[to]);
            let back = flow_mark(ev, to, from, choice).0;
            let both = matches!(back, Mark::Allow | Mark::AllPorts | Mark::SomePorts);
            edges.push(EdgeVm {
                from,
                to,
                d: edge_path(a, b, both),
                partial: mark == Mark::SomePorts,
                title: cell_title(ev, from, to, mark, choice, &ports),
            });
        }
    }
    GraphVm {
        width,
        height,
        boxes,
        nodes,
        edges,
        selected,
    }
}

/// A rough text width for labels (SVG units, 12px font).
fn measure(s: &str) -> f64 {
    s.chars().count() as f64 * 7.8
}

/// A gently curved path from `a` to `b`, trimmed to the node circles; curved more when the flow
/// also goes the other way, so both arrows stay visible.
fn edge_path(a: (f64, f64), b: (f64, f64), both: bool) -> String {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt().max(1.0);
    let (ux, uy) = (dx / len, dy / len);
    // Perpendicular (to the left of the direction of travel).
    let (px, py) = (-uy, ux);
    // Edges along a row or column would run through the nodes in between: bend them. Flows in
    // both directions are drawn as two parallel tracks.
    let aligned = (dx.abs() < 1.0 || dy.abs() < 1.0) && len > CELL_W * 1.2;
    let bend = if aligned {
        0.2 * len.min(420.0)
    } else {
        0.04 * len.min(260.0)
    };
    let off = if both { 3.5 } else { 0.0 };
    let (sx, sy) = (
        a.0 + ux * (NODE_R + 2.0) + px * off,
        a.1 + uy * (NODE_R + 2.0) + py * off,
    );
    let (ex, ey) = (
        b.0 - ux * (NODE_R + 6.0) + px * off,
        b.1 - uy * (NODE_R + 6.0) + py * off,
    );
    let (cx, cy) = ((sx + ex) / 2.0 + px * bend, (sy + ey) / 2.0 + py * bend);
    format!("M{sx:.1},{sy:.1} Q{cx:.1},{cy:.1} {ex:.1},{ey:.1}")
}

fn policy_links(model: &Model, p: &PolicyRef) -> LinkVm {
    LinkVm {
        kind: "policy",
        label: p.id.clone(),
        file: file_name(model, p.span),
        line: p.span.line,
        col: p.span.col,
    }
}

fn file_name(model: &Model, span: Span) -> String {
    model
        .files
        .get(span.file)
        .cloned()
        .unwrap_or_else(|| POLICIES.to_string())
}

fn link(model: &Model, kind: &'static str, label: String, span: Span) -> LinkVm {
    LinkVm {
        kind,
        label,
        file: file_name(model, span),
        line: span.line,
        col: span.col,
    }
}

fn side_vm(model: &Model, side: &SideExplanation) -> SideVm {
    let (dir, list, peers) = match side.direction {
        PolicyType::Egress => ("Egress", "egress", "to"),
        PolicyType::Ingress => ("Ingress", "ingress", "from"),
    };
    let mut items = Vec::new();
    let title;
    if side.isolated_by.is_empty() {
        title = format!("{dir} of {}: not isolated — allowed", side.pod);
    } else if side.allowed {
        title = format!("{dir} of {}: allowed", side.pod);
        for m in &side.allowed_by {
            let mut links = vec![policy_links(model, &m.policy)];
            links.push(link(
                model,
                "rule",
                format!("{list}[{}]", m.rule),
                m.rule_span,
            ));
            if let (Some(k), Some(s)) = (m.peer, m.peer_span) {
                links.push(link(model, "peer", format!("{peers}[{k}]"), s));
            }
            if let (Some(k), Some(s)) = (m.port, m.port_span) {
                links.push(link(model, "port", format!("ports[{k}]"), s));
            }
            items.push((m.sentence.clone(), links));
        }
    } else {
        title = format!("{dir} of {}: denied", side.pod);
        for p in &side.without_rules {
            items.push((
                format!(
                    "{} isolates {} for {list} and has no {list} rules (default deny).",
                    p.id, side.pod
                ),
                vec![policy_links(model, p)],
            ));
        }
        for m in &side.misses {
            let links = vec![
                policy_links(model, &m.policy),
                link(model, "rule", format!("{list}[{}]", m.rule), m.rule_span),
            ];
            items.push((
                format!(
                    "{} {list}[{}] does not match: {}.",
                    m.policy.id,
                    m.rule,
                    m.reasons.join("; ")
                ),
                links,
            ));
        }
    }
    SideVm {
        title,
        allowed: side.allowed,
        isolated: !side.isolated_by.is_empty(),
        items,
    }
}

fn explanation_vm(
    ev: &Evaluation,
    flow: &FlowSel,
    choice: PortChoice,
    stale: bool,
) -> Option<ExplanationVm> {
    let from = ev.endpoint(&flow.from)?;
    let to = ev.endpoint(&flow.to)?;
    let (pp, per_port) = match choice {
        PortChoice::One(pp) => (pp, Vec::new()),
        PortChoice::All => {
            let pp = flow
                .port
                .filter(|p| ev.ports.contains(p))
                .or_else(|| ev.ports.first().copied())?;
            let per = ev
                .ports
                .iter()
                .map(|&p| (p, ev.cell(from, to, p) == Cell::Allowed, p == pp))
                .collect();
            (pp, per)
        }
    };
    let c = compile(&ev.model);
    let ex = c.explain(from, to, pp);
    let verdict = match ex.verdict {
        Verdict::Allowed => Mark::Allow,
        Verdict::Denied => Mark::Deny,
        Verdict::NotApplicable => Mark::NotApplicable,
    };
    let sentences = ex.sentences();
    let headline = sentences.first().cloned().unwrap_or_default();
    let sides = [&ex.egress, &ex.ingress]
        .into_iter()
        .flatten()
        .map(|s| side_vm(&ev.model, s))
        .collect();
    Some(ExplanationVm {
        from: ex.from.clone(),
        to: ex.to.clone(),
        port: pp.to_string(),
        verdict,
        headline,
        sentences: sentences.into_iter().skip(1).collect(),
        sides,
        per_port,
        stale,
    })
}

/// The flows (on the shown port, or on any port in all-ports mode) that `policy` contributes to
/// allowing.
fn policy_flows(ev: &Evaluation, policy: usize, choice: PortChoice) -> Vec<(usize, usize)> {
    let Some(info) = ev.policies.iter().find(|p| p.index == policy) else {
        return Vec::new();
    };
    let c = compile(&ev.model);
    let ports: Vec<PortProto> = match choice {
        PortChoice::One(pp) => vec![pp],
        PortChoice::All => ev.ports.clone(),
    };
    let mut out = Vec::new();
    for &sel in &info.selects {
        for other in 0..ev.n() {
            if other == sel {
                continue;
            }
            let pairs = [(sel, other, info.egress), (other, sel, info.ingress)];
            for (from, to, applies) in pairs {
                if !applies || out.contains(&(from, to)) {
                    continue;
                }
                let hit = ports.iter().any(|&pp| {
                    if ev.cell(from, to, pp) != Cell::Allowed {
                        return false;
                    }
                    let ex = c.explain(from, to, pp);
                    let hit = [&ex.egress, &ex.ingress]
                        .into_iter()
                        .flatten()
                        .any(|s| s.allowed_by.iter().any(|m| m.policy.index == policy));
                    hit
                });
                if hit {
                    out.push((from, to));
                }
            }
        }
    }
    out
}

/// Builds everything the components render.
pub fn view_model(state: &State) -> ViewModel {
    let choice = state.port_choice();
    let ex = state.current_example();
    let mut ports: Vec<PortOption> = Vec::new();
    if let Some(r) = &state.result {
        for p in &r.ports {
            ports.push(PortOption {
                value: p.to_string(),
                label: p.to_string(),
            });
        }
    }
    if let PortChoice::One(pp) = choice {
        if !ports.iter().any(|o| o.value == pp.to_string()) {
            ports.push(PortOption {
                value: pp.to_string(),
                label: format!("{pp} (not used)"),
            });
        }
    }
    ports.push(PortOption {
        value: "all".to_string(),
        label: "All ports".to_string(),
    });
    let diagnostics: Vec<DiagVm> = state
        .diagnostics
        .iter()
        .map(|d| DiagVm {
            editor: Editor::from_name(&d.file).unwrap_or(Editor::Policies),
            line: d.line,
            col: d.col,
            severity: d.severity,
            code: d.code.to_string(),
            message: d.message.clone(),
        })
        .collect();
    let error_count = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warning_count = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .count();
    let r = state.result.as_deref();
    let selected = r.and_then(|r| {
        let f = state.flow.as_ref()?;
        Some((r.endpoint(&f.from)?, r.endpoint(&f.to)?))
    });
    let matrix = r.map(|r| Rc::new(matrix_vm(r, choice, selected)));
    let graph = if state.view == View::Graph {
        r.map(|r| Rc::new(graph_vm(r, choice, selected)))
    } else {
        None
    };
    let explanation = match (r, &state.flow) {
        (Some(r), Some(f)) => explanation_vm(r, f, choice, state.stale),
        _ => None,
    };
    let policy_index = r.and_then(|r| {
        let id = state.policy.as_ref()?;
        r.policies.iter().find(|p| &p.id == id).map(|p| p.index)
    });
    let policy_pods = match (r, policy_index) {
        (Some(r), Some(i)) => r.policies[i].selects.clone(),
        _ => Vec::new(),
    };
    let policy_flows = state.policy_flows.clone();
    let policy_list = r
        .map(|r| {
            r.policies
                .iter()
                .map(|p| PolicyVm {
                    id: p.id.clone(),
                    ingress: p.ingress,
                    egress: p.egress,
                    selects: p
                        .selects
                        .iter()
                        .map(|&i| r.endpoints[i].name.clone())
                        .collect(),
                    selected: Some(p.index) == policy_index,
                    file: file_name(&r.model, p.span),
                    line: p.span.line,
                    col: p.span.col,
                })
                .collect()
        })
        .unwrap_or_default();
    let summary = match r {
        Some(r) => {
            let pods = r.endpoints.iter().filter(|e| !e.external).count();
            let exts = r.n() - pods;
            let mut s = format!(
                "{} namespace{}, {pods} pod{}",
                r.namespaces.len(),
                plural(r.namespaces.len()),
                plural(pods)
            );
            if exts > 0 {
                s.push_str(&format!(", {exts} external{}", plural(exts)));
            }
            s.push_str(&format!(
                ", {} polic{}",
                r.policies.len(),
                if r.policies.len() == 1 { "y" } else { "ies" }
            ));
            s
        }
        None => String::new(),
    };
    ViewModel {
        examples: state
            .examples
            .iter()
            .map(|e| (e.id.clone(), e.title.clone()))
            .collect(),
        example: state.example.clone(),
        example_title: ex.map(|e| e.title.clone()).unwrap_or_default(),
        example_summary: ex.map(|e| e.summary.clone()).unwrap_or_default(),
        example_description: ex
            .map(|e| inline_markup(&e.description))
            .unwrap_or_default(),
        modified: state.modified(),
        ports,
        port_value: choice.value(),
        view: state.view,
        policies_text: state.policies.clone(),
        cluster_text: state.cluster.clone(),
        diagnostics,
        error_count,
        warning_count,
        stale: state.stale,
        has_result: r.is_some(),
        matrix,
        graph,
        explanation,
        policy_list,
        highlight: state.highlight,
        highlight_seq: state.highlight_seq,
        hover: r.and_then(|r| r.endpoint(state.hover.as_deref()?)),
        policy_pods,
        policy_flows,
        summary,
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State::new(netpol_examples::all())
    }

    fn verdict(vm: &ViewModel, from: &str, to: &str) -> &'static str {
        let m = vm.matrix.as_ref().expect("a matrix");
        let f = m
            .headers
            .iter()
            .position(|h| h.name == from)
            .unwrap_or_else(|| panic!("no {from}"));
        let t = m
            .headers
            .iter()
            .position(|h| h.name == to)
            .unwrap_or_else(|| panic!("no {to}"));
        m.cells[f][t].mark.verdict()
    }

    #[test]
    fn default_page_shows_the_default_example_on_8080() {
        let s = state();
        assert_eq!(s.example, "default");
        assert!(
            s.diagnostics.iter().all(|d| d.severity != Severity::Error),
            "{:?}",
            s.diagnostics
        );
        let vm = view_model(&s);
        assert_eq!(vm.port_value, "8080/TCP");
        assert!(vm.ports.iter().any(|p| p.value == "53/UDP"));
        assert_eq!(vm.ports.last().unwrap().value, "all");
        assert!(!vm.stale && vm.has_result && !vm.modified);
        assert_eq!(verdict(&vm, "app/frontend", "app/api"), "allow");
        for other in ["app/db", "kube-system/coredns"] {
            assert_eq!(verdict(&vm, other, "app/api"), "deny", "{other}");
        }
        assert_eq!(verdict(&vm, "app/api", "app/api"), "allow");
    }

    #[test]
    fn dns_is_allowed_on_udp_and_tcp_53() {
        let mut s = state();
        for port in ["53/UDP", "53/TCP"] {
            update(&mut s, Event::SelectPort(port.into()));
            let vm = view_model(&s);
            assert_eq!(vm.port_value, port);
            for pod in ["app/frontend", "app/api", "app/db"] {
                assert_eq!(
                    verdict(&vm, pod, "kube-system/coredns"),
                    "allow",
                    "{pod} on {port}"
                );
            }
            assert_eq!(verdict(&vm, "app/frontend", "app/api"), "deny");
        }
    }

    #[test]
    fn errors_keep_the_last_good_result_marked_stale() {
        let mut s = state();
        let good = s.policies.clone();
        update(
            &mut s,
            Event::Edit(Editor::Policies, format!("{good}\nfoo: [\n")),
        );
        let vm = view_model(&s);
        assert!(vm.stale && vm.has_result);
        assert!(vm.error_count >= 1);
        let d = vm
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap();
        assert_eq!(d.editor, Editor::Policies);
        assert!(d.line > 70, "{d:?}");
        assert_eq!(verdict(&vm, "app/frontend", "app/api"), "allow");
        update(&mut s, Event::Edit(Editor::Policies, String::new()));
        let vm = view_model(&s);
        assert!(!vm.stale);
        assert_eq!(
            verdict(&vm, "app/db", "app/api"),
            "allow",
            "no policies: everything allowed"
        );
        assert!(vm.modified);
        update(&mut s, Event::ResetExample);
        assert!(!view_model(&s).modified);
        assert_eq!(s.policies, good);
    }

    #[test]
    fn errors_on_a_fresh_state_show_no_result() {
        let saved = Saved {
            policies: "kind: [".into(),
            cluster: String::new(),
            example: "default".into(),
            port: String::new(),
            view: View::Matrix,
            baseline: None,
        };
        let s = State::restore(netpol_examples::all(), Some(saved));
        let vm = view_model(&s);
        assert!(!vm.has_result && !vm.stale && vm.matrix.is_none());
        assert!(vm.error_count > 0);
    }

    #[test]
    fn explanation_names_both_sides_and_links_to_the_yaml() {
        let mut s = state();
        update(
            &mut s,
            Event::SelectFlow {
                from: "app/frontend".into(),
                to: "app/api".into(),
            },
        );
        let vm = view_model(&s);
        let ex = vm.explanation.expect("an explanation");
        assert_eq!(ex.verdict, Mark::Allow);
        assert_eq!(ex.sides.len(), 2);
        let links: Vec<&LinkVm> = ex
            .sides
            .iter()
            .flat_map(|s| s.items.iter().flat_map(|i| &i.1))
            .collect();
        assert!(links
            .iter()
            .any(|l| l.kind == "policy" && l.label == "app/api-allow-frontend"));
        assert!(links
            .iter()
            .any(|l| l.kind == "policy" && l.label == "app/frontend-to-api"));
        assert!(links.iter().any(|l| l.kind == "port"));
        assert!(links.iter().all(|l| l.file == POLICIES));
        assert_eq!(vm.matrix.unwrap().selected.map(|(a, b)| a != b), Some(true));

        // Following the port link highlights the YAML block of that port.
        let port = links
            .iter()
            .find(|l| l.kind == "port" && l.line > 60)
            .unwrap();
        update(
            &mut s,
            Event::ShowSpan {
                file: port.file.clone(),
                line: port.line,
                col: port.col,
                whole_document: false,
            },
        );
        let h = s.highlight.unwrap();
        assert_eq!(h.editor, Editor::Policies);
        let lines: Vec<&str> = s.policies.lines().collect();
        let block = &lines[h.start as usize - 1..h.end as usize];
        assert_eq!(block.len(), 2, "{block:?}");
        assert!(
            block[0].contains("protocol: TCP") && block[1].contains("port: 8080"),
            "{block:?}"
        );
    }

    #[test]
    fn denied_flow_lists_the_isolating_policies() {
        let mut s = state();
        update(
            &mut s,
            Event::SelectFlow {
                from: "app/db".into(),
                to: "app/api".into(),
            },
        );
        let ex = view_model(&s).explanation.unwrap();
        assert_eq!(ex.verdict, Mark::Deny);
        assert!(ex.headline.contains("DENIED"), "{}", ex.headline);
        let text: String = ex
            .sides
            .iter()
            .flat_map(|s| s.items.iter().map(|i| i.0.clone()))
            .collect();
        assert!(text.contains("app/default-deny-all"), "{text}");
    }

    #[test]
    fn all_ports_summary() {
        let mut s = state();
        update(&mut s, Event::SelectPort("all".into()));
        let vm = view_model(&s);
        assert_eq!(vm.port_value, "all");
        let m = vm.matrix.as_ref().unwrap();
        let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
        let cell = &m.cells[i("app/frontend")][i("app/api")];
        assert_eq!(cell.mark, Mark::SomePorts);
        assert!(cell.title.contains("8080/TCP"), "{}", cell.title);
        assert_eq!(m.cells[i("app/db")][i("app/api")].mark, Mark::NoPorts);
        assert_eq!(m.cells[i("app/api")][i("app/api")].mark, Mark::AllPorts);
        // Explaining in all-ports mode lists every port and explains the chosen one.
        update(
            &mut s,
            Event::SelectFlow {
                from: "app/frontend".into(),
                to: "app/api".into(),
            },
        );
        update(
            &mut s,
            Event::ExplainPort(PortProto::parse("8080/TCP").unwrap()),
        );
        let ex = view_model(&s).explanation.unwrap();
        assert_eq!(ex.port, "8080/TCP");
        assert_eq!(ex.verdict, Mark::Allow);
        assert!(ex
            .per_port
            .iter()
            .any(|&(p, allowed, cur)| p.port == 8080 && allowed && cur));
    }

    #[test]
    fn every_example_loads_without_errors() {
        let mut s = state();
        for ex in netpol_examples::all() {
            update(&mut s, Event::LoadExample(ex.id.clone()));
            assert_eq!(s.example, ex.id);
            assert!(
                !netpol_engine::has_errors(&s.diagnostics),
                "{}: {:?}",
                ex.id,
                s.diagnostics
            );
            let vm = view_model(&s);
            assert!(vm.has_result && !vm.stale, "{}", ex.id);
            if let Some(p) = &ex.port {
                assert_eq!(&vm.port_value, p, "{}", ex.id);
            }
            update(&mut s, Event::SelectView(View::Graph));
            let g = view_model(&s).graph.unwrap();
            assert_eq!(g.nodes.len(), vm.matrix.as_ref().unwrap().headers.len());
            assert!(g.edges.iter().all(|e| e.from != e.to));
            update(&mut s, Event::SelectView(View::Matrix));
        }
    }

    #[test]
    fn examples_show_what_their_descriptions_promise() {
        let mut s = state();
        update(&mut s, Event::LoadExample("default-deny".into()));
        let vm = view_model(&s);
        assert_eq!(vm.port_value, "53/UDP");
        assert_eq!(verdict(&vm, "app/frontend", "kube-system/coredns"), "deny");
        assert_eq!(
            verdict(&vm, "kube-system/coredns", "kube-system/coredns"),
            "allow"
        );

        update(&mut s, Event::LoadExample("cross-namespace".into()));
        let vm = view_model(&s);
        assert_eq!(verdict(&vm, "web/frontend", "app/api"), "allow");
        assert_eq!(verdict(&vm, "web/admin", "app/api"), "deny");
        assert_eq!(verdict(&vm, "shop/frontend", "app/api"), "deny");

        update(&mut s, Event::LoadExample("egress-cidr".into()));
        let vm = view_model(&s);
        assert_eq!(verdict(&vm, "app/backup", "s3"), "allow");
        assert_eq!(verdict(&vm, "app/backup", "s3-excluded"), "deny");
        assert_eq!(verdict(&vm, "app/web", "s3-excluded"), "allow");
        assert_eq!(verdict(&vm, "s3", "google-dns"), "na");

        update(&mut s, Event::LoadExample("upstream-e2e".into()));
        let vm = view_model(&s);
        assert_eq!(vm.matrix.as_ref().unwrap().headers.len(), 9);
        assert_eq!(verdict(&vm, "y/b", "x/a"), "allow");
        assert_eq!(verdict(&vm, "x/b", "x/a"), "deny");
        assert_eq!(verdict(&vm, "y/c", "x/a"), "deny");
        assert_eq!(verdict(&vm, "x/a", "y/c"), "allow");
    }

    #[test]
    fn policy_selection_highlights_its_pods_and_flows() {
        let mut s = state();
        update(&mut s, Event::SelectPolicy("app/api-allow-frontend".into()));
        let vm = view_model(&s);
        let m = vm.matrix.as_ref().unwrap();
        let names: Vec<&str> = vm
            .policy_pods
            .iter()
            .map(|&i| m.headers[i].name.as_str())
            .collect();
        assert_eq!(names, ["app/api"]);
        let flows: Vec<(&str, &str)> = vm
            .policy_flows
            .iter()
            .map(|&(f, t)| (m.headers[f].name.as_str(), m.headers[t].name.as_str()))
            .collect();
        assert_eq!(flows, [("app/frontend", "app/api")]);
        assert!(vm
            .policy_list
            .iter()
            .any(|p| p.selected && p.id == "app/api-allow-frontend" && p.ingress && !p.egress));
        update(&mut s, Event::SelectPolicy("app/api-allow-frontend".into()));
        assert!(
            view_model(&s).policy_pods.is_empty(),
            "a second click deselects"
        );
    }

    #[test]
    fn saved_state_round_trips() {
        let mut s = state();
        update(&mut s, Event::LoadExample("allow-dns".into()));
        update(&mut s, Event::SelectPort("53/TCP".into()));
        update(&mut s, Event::SelectView(View::Graph));
        update(
            &mut s,
            Event::Edit(
                Editor::Cluster,
                "namespaces: {a: {pods: {p: x=y}}}\n".into(),
            ),
        );
        let saved = s.saved();
        let r = State::restore(netpol_examples::all(), Some(saved.clone()));
        assert_eq!(r.saved(), saved);
        assert_eq!(r.example, "allow-dns");
        assert_eq!(r.view, View::Graph);
        assert_eq!(r.port_choice().value(), "53/TCP");
        // An unknown example id falls back to the default one, texts are kept.
        let mut odd = saved;
        odd.example = "gone".into();
        let r = State::restore(netpol_examples::all(), Some(odd));
        assert_eq!(r.example, "default");
        assert!(r.cluster.contains("x=y"));
    }

    #[test]
    fn hover_is_resolved_to_an_endpoint_index() {
        let mut s = state();
        update(&mut s, Event::Hover(Some("app/db".into())));
        let vm = view_model(&s);
        assert_eq!(
            vm.matrix.as_ref().unwrap().headers[vm.hover.unwrap()].name,
            "app/db"
        );
        update(&mut s, Event::Hover(Some("nope".into())));
        assert_eq!(view_model(&s).hover, None);
    }

    #[test]
    fn block_lines_cover_items_keys_and_documents() {
        let t = "kind: A\nspec:\n  ingress:\n  - from:\n    - podSelector: {}\n    ports:\n    - port: 80\n      protocol: TCP\n  - {}\n---\nkind: B\n";
        assert_eq!(block_lines(t, 1, 1), (1, 9), "document");
        assert_eq!(block_lines(t, 4, 5), (4, 8), "rule item");
        assert_eq!(block_lines(t, 7, 7), (7, 8), "port item");
        assert_eq!(block_lines(t, 5, 7), (5, 5), "peer item");
        assert_eq!(block_lines(t, 3, 3), (3, 9), "key with nested list");
        assert_eq!(block_lines(t, 11, 1), (11, 11));
        assert_eq!(block_lines(t, 99, 1), (99, 99));
    }

    #[test]
    fn document_lines_stop_at_separators() {
        let t = "# c\na: 1\nb:\n  c: 2\n\n---\nd: 3\n---\n";
        assert_eq!(document_lines(t, 3), (2, 4));
        assert_eq!(document_lines(t, 7), (7, 7));
        let mut s = state();
        let policy = s
            .result
            .as_ref()
            .unwrap()
            .policies
            .iter()
            .find(|p| p.id == "app/allow-dns")
            .unwrap()
            .span;
        update(
            &mut s,
            Event::ShowSpan {
                file: POLICIES.into(),
                line: policy.line,
                col: policy.col,
                whole_document: true,
            },
        );
        let h = s.highlight.unwrap();
        let lines: Vec<&str> = s.policies.lines().collect();
        assert!(lines[h.start as usize - 1].starts_with("apiVersion"));
        assert!(lines[h.end as usize - 1].contains("port: 53"));
        assert_eq!(lines[h.end as usize], "---");
    }

    #[test]
    fn utf16_offsets() {
        let t = "ab\ncé😀x\n";
        assert_eq!(utf16_offset(t, 1, 1), 0);
        assert_eq!(utf16_offset(t, 2, 1), 3);
        assert_eq!(utf16_offset(t, 2, 3), 5);
        assert_eq!(utf16_offset(t, 2, 4), 7);
        assert_eq!(utf16_offset(t, 9, 1), 9);
    }

    #[test]
    fn markup() {
        assert_eq!(
            inline_markup("a `b` **c**\nd"),
            vec![
                Inline::Text("a ".into()),
                Inline::Code("b".into()),
                Inline::Text(" ".into()),
                Inline::Bold("c".into()),
                Inline::Text(" d".into())
            ]
        );
        assert_eq!(inline_markup("x ` y"), vec![Inline::Text("x ` y".into())]);
    }

    #[test]
    fn port_choice_values() {
        assert_eq!(PortChoice::parse("all"), Some(PortChoice::All));
        assert_eq!(PortChoice::parse("53/UDP").unwrap().value(), "53/UDP");
        assert_eq!(PortChoice::parse("nope"), None);
    }
}
