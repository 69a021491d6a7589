//! The view model: everything the components render, built from the state by [`view_model`].

use serde::{Deserialize, Serialize};

use super::interned::Word;
use std::rc::Rc;

use netpol_engine::model::Tier;
use netpol_engine::Severity;

use super::evaluation::{file_name, Editor, PolicyInfo, PortChoice};
use super::graph::{graph_vm, GraphVm};
use super::matrix::{matrix_vm, tier_word, MatrixVm};
use super::state::{LineRange, State, View};
use super::text::{inline_markup, Inline};
use super::why::{explanation_vm, ExplanationVm};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
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
    /// Shared: the page keeps it while a reply leaves it out (`Part::PolicyList`).
    pub policy_list: Rc<Vec<PolicyVm>>,
    pub highlight: Option<LineRange>,
    /// Endpoints (indices) to emphasise: the hovered one and the selected policy's pods.
    pub hover: Option<usize>,
    pub policy_pods: Vec<usize>,
    /// Cells (from, to) the selected policy helps allow on the shown port.
    pub policy_flows: Vec<(usize, usize)>,
    pub summary: String,
}

/// The start of the Example menu's value for the open exercise (no example id has a `:`).
pub const EXERCISE_OPTION: &str = "exercise:";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortOption {
    pub value: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiagVm {
    pub editor: Editor,
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    pub code: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVm {
    pub id: String,
    /// `NetworkPolicy`, `AdminNetworkPolicy`, …
    #[serde(deserialize_with = "super::interned::word")]
    pub kind: Word,
    /// The group the list shows it in: `Admin tier`, `NetworkPolicy` or `Baseline tier`.
    #[serde(deserialize_with = "super::interned::word")]
    pub group: Word,
    /// The `data-tier` hook: `admin`, `networkpolicy` or `baseline`.
    #[serde(deserialize_with = "super::interned::word")]
    pub tier: Word,
    /// `spec.priority` of a tiered policy.
    pub priority: Option<u32>,
    pub ingress: bool,
    pub egress: bool,
    pub selects: Vec<String>,
    pub selected: bool,
    pub file: String,
    pub line: u32,
    pub col: u32,
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
        label: "All ports the YAML names".to_string(),
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
        r.zip(matrix.as_deref())
            .map(|(r, m)| Rc::new(graph_vm(r, m, selected)))
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
            // Evaluation order: the Admin tier by priority (ties by name, then kind, as the
            // engine runs them), the NetworkPolicies, the Baseline tier by priority.
            let mut order: Vec<&PolicyInfo> = r.policies.iter().collect();
            order.sort_by_key(|p| {
                let group = match p.tier.map(|t| t.tier) {
                    Some(Tier::Admin) => 0,
                    None => 1,
                    Some(Tier::Baseline) => 2,
                };
                let name = p.id.split_once('/').map_or("", |(_, n)| n);
                let priority = p.tier.and_then(|t| t.priority);
                (
                    group,
                    priority,
                    (p.tier.is_some()).then_some((name, p.kind)),
                )
            });
            order
                .into_iter()
                .map(|p| PolicyVm {
                    id: p.id.clone(),
                    kind: p.kind,
                    group: tier_word(p.tier.map(|t| t.tier)),
                    tier: match p.tier.map(|t| t.tier) {
                        Some(Tier::Admin) => "admin",
                        Some(Tier::Baseline) => "baseline",
                        None => "networkpolicy",
                    },
                    priority: p.tier.and_then(|t| t.priority),
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
        .map(Rc::new)
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
    // Inside an exercise the menu shows it, first and selected; picking an example leaves it.
    let exercise = state
        .learn
        .exercise
        .and_then(|i| state.learn.data.exercises.get(i));
    let examples = exercise
        .map(|e| {
            (
                format!("{EXERCISE_OPTION}{}", e.id),
                format!("Exercise: {}", e.ex.title),
            )
        })
        .into_iter()
        .chain(
            state
                .examples
                .iter()
                .map(|e| (e.id.clone(), e.title.clone())),
        )
        .collect();
    ViewModel {
        examples,
        example: match exercise {
            Some(e) => format!("{EXERCISE_OPTION}{}", e.id),
            None => state.example.clone(),
        },
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

/// Lints as diagnostics, for the editors' gutters.
pub fn lint_diags(state: &State, editor: Editor) -> Vec<DiagVm> {
    state
        .lints()
        .iter()
        .filter(|l| l.editor == editor)
        .map(|l| DiagVm {
            editor: l.editor,
            line: l.line,
            col: l.col,
            severity: l.severity,
            code: l.code.clone(),
            message: format!("{} [{}] Fix: {}", l.message, l.code, l.fix),
        })
        .collect()
}
