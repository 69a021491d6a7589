//! Evaluation: the two editor texts through the engine, into plain owned data the view models
//! read ([`Evaluation`]). Every NetworkPolicy question is answered by `netpol-engine`.

use std::cell::OnceCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use netpol_engine::model::{ClusterPolicy, Labels, Span, Subject, Tier};
use netpol_engine::{
    compile, parse_cached, Cell, Compiled, Diagnostic, EndpointId, Input, Matrix, Model,
    ParseCache, ParseOptions, PolicyId, PolicyType, PortProto,
};
use serde::{Deserialize, Serialize};

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

/// The matrices of an evaluation's ports, computed on demand.
#[derive(Debug, Default)]
struct Matrices(Vec<OnceCell<Matrix>>);

/// Equal when they are of as many ports: the matrices follow from the compiled model and the
/// ports, which `Evaluation` compares.
impl PartialEq for Matrices {
    fn eq(&self, other: &Matrices) -> bool {
        self.0.len() == other.0.len()
    }
}

/// Everything the evaluation of a valid input produced, owned so it can outlive the texts.
#[derive(Debug, PartialEq)]
pub struct Evaluation {
    pub model: Arc<Model>,
    /// The compiled model (sharing `model`): every engine question about this evaluation is
    /// asked of it, never of a new compile.
    pub compiled: Compiled,
    pub endpoints: Vec<EndpointInfo>,
    /// Consecutive runs of `endpoints` sharing a namespace (externals last, as one group).
    pub groups: Vec<Group>,
    /// Every namespace of the model (also those without pods), in declaration order.
    pub namespaces: Vec<String>,
    pub ports: Vec<PortProto>,
    /// One matrix per port of `ports`, each computed when first asked for
    /// ([`Evaluation::matrix`]): a keystroke computes only the shown port's.
    matrices: Matrices,
    pub policies: Vec<PolicyInfo>,
    /// The engine's index of each endpoint: `endpoints` are in natural order
    /// ([`natural_cmp`]), the engine's (and the CLI's) bytewise; ask the engine with these.
    pub engine: Vec<usize>,
    /// The position in `endpoints` of each engine index (the inverse of `engine`).
    pub position: Vec<usize>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EndpointInfo {
    /// `ns/pod` or the external's name.
    pub name: String,
    /// The pod name (or the external's name).
    pub short: String,
    pub namespace: Option<String>,
    pub external: bool,
    /// The Kubernetes kind the endpoint stands for (`Pod`, `Deployment`, …), or `External`,
    /// `Node`.
    pub kind: &'static str,
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyInfo {
    /// `namespace/name` for a NetworkPolicy, `Kind/name` for a tiered policy.
    pub id: String,
    /// The position in [`Evaluation::policies`]: the NetworkPolicies first (as in
    /// `Model::policies`), then the tiered policies.
    pub index: usize,
    /// `NetworkPolicy`, `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or
    /// `ClusterNetworkPolicy`.
    pub kind: &'static str,
    /// The tier of a tiered policy (`None` for a NetworkPolicy), its index into
    /// `Model::cluster_policies` and its `spec.priority`.
    pub tier: Option<TieredInfo>,
    pub ingress: bool,
    pub egress: bool,
    pub selects: Vec<usize>,
    pub span: Span,
}

/// Where a tiered policy sits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TieredInfo {
    pub tier: Tier,
    pub priority: Option<u32>,
    /// Index into `Model::cluster_policies`.
    pub cluster_index: usize,
}

impl Evaluation {
    pub fn n(&self) -> usize {
        self.endpoints.len()
    }

    /// The matrix of `ports[i]`.
    pub fn matrix(&self, i: usize) -> &Matrix {
        self.matrices.0[i].get_or_init(|| self.compiled.matrix(self.ports[i]))
    }

    pub fn port_index(&self, pp: PortProto) -> Option<usize> {
        self.ports.iter().position(|p| *p == pp)
    }

    pub fn endpoint(&self, name: &str) -> Option<usize> {
        self.endpoints.iter().position(|e| e.name == name)
    }

    /// The engine's index of the endpoint at position `i`.
    pub fn engine_index(&self, i: usize) -> EndpointId {
        EndpointId(self.engine[i])
    }

    /// The verdict for a flow on a port (computing the matrix when the port is not a listed one).
    pub fn cell(&self, from: usize, to: usize, pp: PortProto) -> Cell {
        match self.port_index(pp) {
            Some(i) => self
                .matrix(i)
                .cell(self.engine_index(from), self.engine_index(to)),
            None => self
                .compiled
                .matrix(pp)
                .cell(self.engine_index(from), self.engine_index(to)),
        }
    }
}

/// Natural order of names: runs of digits compare as numbers (`p-0-2` before `p-0-10`), the rest
/// bytewise; names equal that way (`a01`, `a1`) fall back to bytewise order.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> impl Iterator<Item = &str> {
        let mut rest = s;
        std::iter::from_fn(move || {
            let first = rest.chars().next()?;
            let digit = first.is_ascii_digit();
            let end = rest
                .find(|c: char| c.is_ascii_digit() != digit)
                .unwrap_or(rest.len());
            let (run, tail) = rest.split_at(end);
            rest = tail;
            Some(run)
        })
    }
    fn number(r: &str) -> (usize, &str) {
        let t = r.trim_start_matches('0');
        (t.len(), t)
    }
    let (mut x, mut y) = (runs(a), runs(b));
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return a.cmp(b),
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(r), Some(q)) => {
                let digits = |s: &str| s.starts_with(|c: char| c.is_ascii_digit());
                if digits(r) && digits(q) {
                    number(r).cmp(&number(q))
                } else {
                    r.cmp(q)
                }
            }
        };
        if o.is_ne() {
            return o;
        }
    }
}

/// The order the playground lists endpoints in: pods by namespace then name, then the
/// externals and nodes by name, each in natural order. The engine's order is the same but
/// bytewise (which the CLI keeps); this is the one place the playground's order comes from.
fn natural_order(endpoints: &[EndpointInfo]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..endpoints.len()).collect();
    order.sort_by(|&a, &b| {
        let (x, y) = (&endpoints[a], &endpoints[b]);
        x.external
            .cmp(&y.external)
            .then_with(|| {
                natural_cmp(
                    x.namespace.as_deref().unwrap_or(""),
                    y.namespace.as_deref().unwrap_or(""),
                )
            })
            .then_with(|| natural_cmp(&x.short, &y.short))
            .then_with(|| a.cmp(&b))
    });
    order
}

/// The input name (`policies`, `cluster`) of a span's file.
pub fn file_name(model: &Model, span: Span) -> String {
    model
        .files
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
    evaluate_cached(&mut ParseCache::default(), policies, cluster, options)
}

/// [`evaluate_with`] through the engine's per-document parse cache: the YAML documents whose
/// text did not change since the last call are not read again (a keystroke re-reads one
/// document). The result is exactly [`evaluate_with`]'s.
pub fn evaluate_cached(
    cache: &mut ParseCache,
    policies: &str,
    cluster: &str,
    options: &ParseOptions,
) -> (Vec<Diagnostic>, Option<Evaluation>) {
    let (model, diagnostics) = parse_texts(cache, policies, cluster, options);
    if netpol_engine::has_errors(&diagnostics) {
        return (diagnostics, None);
    }
    (diagnostics, Some(evaluate_model(model)))
}

/// [`evaluate_cached`], keeping `previous` when the texts read into the same model (a keystroke
/// in a comment, or one that undoes the last): none of its flows can have changed.
pub fn reevaluate_cached(
    cache: &mut ParseCache,
    policies: &str,
    cluster: &str,
    options: &ParseOptions,
    previous: Option<&Rc<Evaluation>>,
) -> (Vec<Diagnostic>, Option<Rc<Evaluation>>) {
    let (model, diagnostics) = parse_texts(cache, policies, cluster, options);
    if netpol_engine::has_errors(&diagnostics) {
        return (diagnostics, None);
    }
    let ev = match previous {
        Some(p) if *p.model == model => Rc::clone(p),
        _ => Rc::new(evaluate_model(model)),
    };
    (diagnostics, Some(ev))
}

fn parse_texts(
    cache: &mut ParseCache,
    policies: &str,
    cluster: &str,
    options: &ParseOptions,
) -> (Model, Vec<Diagnostic>) {
    parse_cached(
        cache,
        &[
            Input {
                name: POLICIES,
                text: policies,
            },
            Input {
                name: CLUSTER,
                text: cluster,
            },
        ],
        options,
    )
}

/// The evaluation of a model read without errors.
fn evaluate_model(model: Model) -> Evaluation {
    let model = Arc::new(model);
    let c = compile(Arc::clone(&model));
    let policy_ids: Vec<String> = model.policies.iter().map(|p| p.id()).collect();
    let endpoints: Vec<EndpointInfo> = c
        .endpoints()
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let ids = |dir| {
                c.isolated_by(EndpointId(i), dir)
                    .iter()
                    .map(|p| policy_ids[p.index()].clone())
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
    // Natural order: `engine[position]` is the engine's index.
    let engine = natural_order(&endpoints);
    let mut position = vec![0; engine.len()];
    for (p, &e) in engine.iter().enumerate() {
        position[e] = p;
    }
    let mut slots: Vec<Option<EndpointInfo>> = endpoints.into_iter().map(Some).collect();
    let endpoints: Vec<EndpointInfo> = engine.iter().filter_map(|&e| slots[e].take()).collect();
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
    let matrices = Matrices(ports.iter().map(|_| OnceCell::new()).collect());
    let policies = model
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| PolicyInfo {
            id: policy_ids[i].clone(),
            index: i,
            kind: "NetworkPolicy",
            tier: None,
            ingress: p.affects_ingress,
            egress: p.affects_egress,
            selects: c
                .selected_by(PolicyId(i))
                .iter()
                .map(|e| position[e.index()])
                .collect(),
            span: p.span,
        })
        .chain(model.cluster_policies.iter().enumerate().map(|(i, p)| {
            PolicyInfo {
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
                selects: subject_selects(&model, &c, p)
                    .iter()
                    .map(|&e| position[e])
                    .collect(),
                span: p.span,
            }
        }))
        .collect();
    let namespaces = model.namespaces.iter().map(|n| n.name.clone()).collect();
    Evaluation {
        model,
        compiled: c,
        endpoints,
        groups,
        namespaces,
        ports,
        matrices,
        policies,
        engine,
        position,
    }
}

/// The endpoints (pods) the subject of a tiered policy selects.
fn subject_selects(model: &Model, c: &Compiled, p: &ClusterPolicy) -> Vec<usize> {
    let empty = Labels::new();
    // The first namespace of each name, as a linear search would find it.
    let mut by_name: HashMap<&str, &Labels> = HashMap::new();
    for n in &model.namespaces {
        by_name.entry(n.name.as_str()).or_insert(&n.labels);
    }
    let ns_labels = |ns: &str| by_name.get(ns).copied().unwrap_or(&empty);
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
    fn natural_order_of_names() {
        let mut names = vec!["p-0-10", "p-0-2", "p-1-0", "p-0-1", "a01", "a1", "b", "a"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            ["a", "a01", "a1", "b", "p-0-1", "p-0-2", "p-0-10", "p-1-0"]
        );
    }

    #[test]
    fn port_choice_values() {
        assert_eq!(PortChoice::parse("all"), Some(PortChoice::All));
        assert_eq!(PortChoice::parse("53/UDP").unwrap().value(), "53/UDP");
        assert_eq!(PortChoice::parse("nope"), None);
    }
}
