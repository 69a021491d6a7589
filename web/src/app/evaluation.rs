//! Evaluation: the two editor texts through the engine, into plain owned data the view models
//! read ([`Evaluation`]). Every NetworkPolicy question is answered by `netpol-engine`.
//!
//! An evaluation is plain serialisable data (the Web Worker sends it to the page as JSON); only
//! the engine's `Model` is not sent: the page parses it again on demand ([`Evaluation::model`]),
//! for the few views that explain one flow.

use std::cell::OnceCell;

use netpol_engine::model::{ClusterPolicy, Labels, Span, Subject, Tier};
use netpol_engine::{
    compile, parse_with, Cell, Compiled, Diagnostic, Input, Model, ParseOptions, PolicyType,
    PortProto,
};
use serde::{Deserialize, Serialize};

use super::codec;

/// The input names given to the engine; diagnostics carry them in `file`.
pub const POLICIES: &str = "policies";
pub const CLUSTER: &str = "cluster";

/// Which editor (and so which input of the engine).
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

/// What was evaluated: the two texts and the parse options.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    pub policies: String,
    pub cluster: String,
    pub group_replicas: bool,
}

impl Source {
    /// Parses the texts (both are one input to the engine).
    pub fn parse(&self) -> (Model, Vec<Diagnostic>) {
        let inputs = [
            Input {
                name: POLICIES,
                text: &self.policies,
            },
            Input {
                name: CLUSTER,
                text: &self.cluster,
            },
        ];
        let options = ParseOptions {
            group_replicas: self.group_replicas,
        };
        parse_with(&inputs, &options)
    }
}

/// Everything the evaluation of a valid input produced, owned so it can outlive the texts.
#[derive(Debug, Serialize, Deserialize)]
pub struct Evaluation {
    /// The engine's model, parsed again from `source` on first use when the evaluation came
    /// from the worker.
    #[serde(skip)]
    model: OnceCell<Model>,
    /// The texts evaluated (not sent by the worker: the page has them).
    #[serde(skip)]
    pub source: Source,
    /// The input names, as `Model::files` (a span's `file` indexes them).
    pub files: Vec<String>,
    pub endpoints: Vec<EndpointInfo>,
    /// Consecutive runs of `endpoints` sharing a namespace (externals last, as one group).
    pub groups: Vec<Group>,
    /// Every namespace of the model (also those without pods), in declaration order.
    pub namespaces: Vec<String>,
    #[serde(with = "codec::ports")]
    pub ports: Vec<PortProto>,
    /// One matrix per port of `ports`: `cells[from * n + to]`.
    #[serde(with = "codec::matrices")]
    pub matrices: Vec<Vec<Cell>>,
    pub policies: Vec<PolicyInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointInfo {
    /// `ns/pod` or the external's name.
    pub name: String,
    /// The pod name (or the external's name).
    pub short: String,
    pub namespace: Option<String>,
    pub external: bool,
    /// The Kubernetes kind the endpoint stands for (`Pod`, `Deployment`, …), or `External`,
    /// `Node`.
    #[serde(deserialize_with = "codec::static_str")]
    pub kind: codec::Name,
    /// Extra text for tooltips: labels and ports, or the IP.
    pub detail: String,
    /// Policies (ids) isolating it for ingress / egress.
    pub ingress_isolated_by: Vec<String>,
    pub egress_isolated_by: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub label: String,
    pub external: bool,
    pub start: usize,
    pub len: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// `namespace/name` for a NetworkPolicy, `Kind/name` for a tiered policy.
    pub id: String,
    /// The position in [`Evaluation::policies`]: the NetworkPolicies first (as in
    /// `Model::policies`), then the tiered policies.
    pub index: usize,
    /// `NetworkPolicy`, `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or
    /// `ClusterNetworkPolicy`.
    #[serde(deserialize_with = "codec::static_str")]
    pub kind: codec::Name,
    /// The tier of a tiered policy (`None` for a NetworkPolicy), its index into
    /// `Model::cluster_policies` and its `spec.priority`.
    pub tier: Option<TieredInfo>,
    pub ingress: bool,
    pub egress: bool,
    pub selects: Vec<usize>,
    #[serde(with = "codec::span")]
    pub span: Span,
}

/// Where a tiered policy sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TieredInfo {
    #[serde(with = "codec::tier")]
    pub tier: Tier,
    pub priority: Option<u32>,
    /// Index into `Model::cluster_policies`.
    pub cluster_index: usize,
}

impl PartialEq for Evaluation {
    /// Two evaluations are equal when they show the same (the model follows from `source`).
    fn eq(&self, other: &Self) -> bool {
        self.source == other.source
            && self.files == other.files
            && self.endpoints == other.endpoints
            && self.groups == other.groups
            && self.namespaces == other.namespaces
            && self.ports == other.ports
            && self.matrices == other.matrices
            && self.policies == other.policies
    }
}

impl Evaluation {
    /// The engine's model of `source` (parsed on first use when the worker evaluated it).
    pub fn model(&self) -> &Model {
        self.model.get_or_init(|| self.source.parse().0)
    }

    /// An evaluation received from the worker gets the texts it was made from.
    pub fn with_source(mut self, source: Source) -> Evaluation {
        self.source = source;
        self.model = OnceCell::new();
        self
    }

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
            None => compile(self.model()).matrix(pp).cell(from, to),
        }
    }
}

/// The input name (`policies`, `cluster`) of a span's file, given `Model::files`.
pub fn file_name(files: &[String], span: Span) -> String {
    files
        .get(span.file)
        .cloned()
        .unwrap_or_else(|| POLICIES.to_string())
}

/// Parses and evaluates the two texts: the diagnostics, and the evaluation when nothing is an
/// error.
pub fn evaluate(policies: &str, cluster: &str) -> (Vec<Diagnostic>, Option<Evaluation>) {
    evaluate_with(policies, cluster, &ParseOptions::default())
}

/// [`evaluate`] with parse options (grouping replicas). Both texts are one input to the engine:
/// every kind (policies, namespaces, pods, workloads) is read from either editor.
pub fn evaluate_with(
    policies: &str,
    cluster: &str,
    options: &ParseOptions,
) -> (Vec<Diagnostic>, Option<Evaluation>) {
    evaluate_source(Source {
        policies: policies.to_string(),
        cluster: cluster.to_string(),
        group_replicas: options.group_replicas,
    })
}

/// Parses and evaluates `source`: the diagnostics, and the evaluation when nothing is an error.
pub fn evaluate_source(source: Source) -> (Vec<Diagnostic>, Option<Evaluation>) {
    let (model, diagnostics) = source.parse();
    if netpol_engine::has_errors(&diagnostics) {
        return (diagnostics, None);
    }
    (diagnostics, Some(build(model, source)))
}

/// The evaluation of a valid model.
fn build(model: Model, source: Source) -> Evaluation {
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
            let (short, detail, kind) = match e.kind {
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
                    (p.name.clone(), d, p.kind.as_str())
                }
                netpol_engine::EndpointKind::External { external } => {
                    let x = &model.externals[external];
                    (
                        x.name.clone(),
                        format!("outside the cluster · {}", x.ip),
                        "External",
                    )
                }
                netpol_engine::EndpointKind::Node { node } => {
                    let n = &model.nodes[node];
                    let ips: Vec<String> = n.ips.iter().map(ToString::to_string).collect();
                    (n.name.clone(), format!("node · {}", ips.join(", ")), "Node")
                }
            };
            EndpointInfo {
                name: e.name.clone(),
                short,
                namespace: e.namespace.clone(),
                external: !e.is_pod(),
                kind,
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
            kind: "NetworkPolicy",
            tier: None,
            ingress: p.affects_ingress,
            egress: p.affects_egress,
            selects: c.selected_by(i),
            span: p.span,
        })
        .chain(
            model
                .cluster_policies
                .iter()
                .enumerate()
                .map(|(i, p)| PolicyInfo {
                    id: p.id(),
                    index: model.policies.len() + i,
                    kind: p.kind.as_str(),
                    tier: Some(TieredInfo {
                        tier: p.tier,
                        priority: p.priority,
                        cluster_index: i,
                    }),
                    ingress: !p.ingress.is_empty(),
                    egress: !p.egress.is_empty(),
                    selects: subject_selects(&model, &c, p),
                    span: p.span,
                }),
        )
        .collect();
    let namespaces = model.namespaces.iter().map(|n| n.name.clone()).collect();
    drop(c);
    Evaluation {
        files: model.files.clone(),
        model: OnceCell::from(model),
        source,
        endpoints,
        groups,
        namespaces,
        ports,
        matrices,
        policies,
    }
}

/// The endpoints (pods) the subject of a tiered policy selects.
fn subject_selects(model: &Model, c: &Compiled, p: &ClusterPolicy) -> Vec<usize> {
    let empty = Labels::new();
    let ns_labels = |ns: &str| {
        model
            .namespaces
            .iter()
            .find(|n| n.name == ns)
            .map_or(&empty, |n| &n.labels)
    };
    c.endpoints()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let netpol_engine::EndpointKind::Pod { pod } = e.kind else {
                return None;
            };
            let pod = &model.pods[pod];
            let ns = ns_labels(&pod.namespace);
            let hit = match &p.subject {
                Subject::Namespaces(sel) => sel.matches(ns),
                Subject::Pods(np) => {
                    np.namespace_selector.matches(ns) && np.pod_selector.matches(&pod.labels)
                }
            };
            hit.then_some(i)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_choice_values() {
        assert_eq!(PortChoice::parse("all"), Some(PortChoice::All));
        assert_eq!(PortChoice::parse("53/UDP").unwrap().value(), "53/UDP");
        assert_eq!(PortChoice::parse("nope"), None);
    }
}
