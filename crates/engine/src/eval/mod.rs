//! Evaluation: which flows the policies allow, for a whole cluster at once or one flow at a time.
//!
//! [`compile`] matches every selector and `ipBlock` against every endpoint once, storing the
//! result as bitsets. A matrix for one port then costs one pass over the rules that select each
//! pod, and a few bitset operations per pod — never policies × pods² re-evaluation. One flow at a
//! time, `why.rs` also records, for every rule, why it did or did not match.

mod bits;
mod compiled;
mod connectivity;
mod select;
mod tiered;
mod variant;
mod why;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

pub(crate) use bits::Bits;
use compiled::{
    dir_index, port_matches, rule_has_named_port, rule_ports_match, CompiledRule, NamespaceIndex,
    TieredIndex,
};
pub use compiled::{Compiled, Endpoint, EndpointKind};
pub(crate) use variant::{ChangedRows, LostFlows, RuleChange, VariantPorts};

use crate::explain::Verdict;
use crate::ids::EndpointId;
use crate::model::{Model, NetworkPolicy, PolicyType, PortProto, PortRef, Protocol, Rule};

/// The verdict of one matrix cell: the [`Verdict`] an explanation gives for the same flow
/// (`NotApplicable` when neither endpoint is a pod). Kept as a name for matrix code.
pub type Cell = Verdict;

/// Every source × destination verdict for one port and protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matrix {
    /// The port and protocol of every flow in the matrix.
    pub port: PortProto,
    n: usize,
    is_pod: Vec<bool>,
    /// Row `from`, bit `to`.
    pub(crate) rows: Vec<Bits>,
}

impl Matrix {
    /// The number of endpoints (rows and columns).
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether the matrix has no endpoints.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The verdict of the flow from endpoint `from` to endpoint `to`.
    pub fn cell(&self, from: EndpointId, to: EndpointId) -> Cell {
        self.cell_at(from.index(), to.index())
    }

    /// True when the flow is allowed (false when neither endpoint is a pod).
    pub fn allowed(&self, from: EndpointId, to: EndpointId) -> bool {
        self.cell(from, to) == Cell::Allowed
    }

    /// The verdicts of every flow from endpoint `from`, by destination: the cells of one row, as
    /// [`Matrix::cell`] gives them one at a time.
    pub fn row(&self, from: EndpointId) -> impl ExactSizeIterator<Item = Cell> + '_ {
        let bits = &self.rows[from.index()];
        let source_is_pod = self.is_pod[from.index()];
        self.is_pod.iter().enumerate().map(move |(to, &is_pod)| {
            if !source_is_pod && !is_pod {
                Cell::NotApplicable
            } else if bits.get(to) {
                Cell::Allowed
            } else {
                Cell::Denied
            }
        })
    }

    /// [`Matrix::cell`] on bare indices.
    pub(crate) fn cell_at(&self, from: usize, to: usize) -> Cell {
        if !self.is_pod[from] && !self.is_pod[to] {
            Cell::NotApplicable
        } else if self.rows[from].get(to) {
            Cell::Allowed
        } else {
            Cell::Denied
        }
    }

    /// [`Matrix::allowed`] on bare indices.
    pub(crate) fn allowed_at(&self, from: usize, to: usize) -> bool {
        self.cell_at(from, to) == Cell::Allowed
    }
}

/// Every allowed port range from one endpoint to another over one protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Connection {
    /// The source.
    pub from: EndpointId,
    /// The destination.
    pub to: EndpointId,
    /// The protocol of the allowed ports.
    pub protocol: Protocol,
    /// Maximal inclusive ranges, ascending.
    pub ports: Vec<(u16, u16)>,
}

/// Builds the index: endpoints (pods sorted by `namespace/name`, then externals and nodes sorted
/// by name) and every policy's selections. Takes a `Model` or an `Arc<Model>`: the index shares
/// the model ([`Compiled::model`]), so keep the index rather than compiling again.
pub fn compile(model: impl Into<Arc<Model>>) -> Compiled {
    let shared: Arc<Model> = model.into();
    let model: &Model = &shared;
    // One sort for every endpoint (one copy of the sort's code in the wasm): pods by
    // `namespace/name` first, then externals and nodes by name. Stable, so equal keys keep the
    // model's order.
    let pods = model.pods.iter().enumerate().map(|(i, p)| {
        let key = (false, p.namespace.as_str(), p.name.as_str());
        (key, EndpointKind::Pod { pod: i })
    });
    let externals = model.externals.iter().enumerate().map(|(i, x)| {
        let key = (true, "", x.name.as_str());
        (key, EndpointKind::External { external: i })
    });
    let nodes = model.nodes.iter().enumerate().map(|(i, n)| {
        let key = (true, "", n.name.as_str());
        (key, EndpointKind::Node { node: i })
    });
    let mut order: Vec<_> = pods.chain(externals).chain(nodes).collect();
    order.sort_by(|a, b| a.0.cmp(&b.0));
    let endpoints: Vec<Endpoint> = order
        .into_iter()
        .map(|((_, _, name), kind)| match kind {
            EndpointKind::Pod { pod } => Endpoint {
                name: model.pods[pod].id(),
                kind,
                namespace: Some(model.pods[pod].namespace.clone()),
            },
            EndpointKind::External { .. } | EndpointKind::Node { .. } => Endpoint {
                name: name.to_string(),
                kind,
                namespace: None,
            },
        })
        .collect();
    let by_name = endpoints
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.clone(), i))
        .collect();
    let mut c = Compiled {
        model: Arc::clone(&shared),
        endpoints,
        by_name,
        rules: Vec::new(),
        isolating: Vec::new(),
        tiered: TieredIndex::default(),
        namespace_index: NamespaceIndex::default(),
    };
    c.namespace_index = NamespaceIndex::new(&c);
    let n = c.endpoints.len();
    c.isolating = (0..n).map(|_| [Vec::new(), Vec::new()]).collect();
    for (pi, policy) in model.policies.iter().enumerate() {
        let selected: Vec<usize> = c.policy_selects(policy).collect();
        for e in selected {
            for dir in [PolicyType::Ingress, PolicyType::Egress] {
                if policy.affects(dir) {
                    c.isolating[e][dir_index(dir)].push(pi);
                }
            }
        }
        let compiled = [
            c.compile_rules(policy, &policy.ingress),
            c.compile_rules(policy, &policy.egress),
        ];
        c.rules.push(compiled);
    }
    c.tiered = c.compile_tiered();
    c
}

impl Compiled {
    /// Every rule's peers as a bitset (all endpoints for a rule without peers).
    fn compile_rules(&self, policy: &NetworkPolicy, rules: &[Rule]) -> Vec<CompiledRule> {
        let n = self.endpoints.len();
        rules
            .iter()
            .map(|r| {
                let mut peers = if r.peers.is_empty() {
                    Bits::full(n)
                } else {
                    Bits::empty(n)
                };
                for p in &r.peers {
                    peers.union_with(&self.peer_bits(policy, p));
                }
                CompiledRule { peers }
            })
            .collect()
    }

    /// Per endpoint, the set of peers its side allows for `pp` in direction `dir`, every tier
    /// walked: Admin, NetworkPolicy, Baseline, the default.
    ///
    /// For ingress, row `d` is the set of sources `d` accepts; for egress, row `s` is the set of
    /// destinations `s` may send to.
    fn side_sets(&self, pp: PortProto, dir: PolicyType) -> Vec<Bits> {
        let np = self.network_policy_sides(pp, dir);
        if self.model.cluster_policies.is_empty() {
            return np;
        }
        let di = dir_index(dir);
        np.into_iter()
            .enumerate()
            .map(|(e, row)| {
                if !self.tiered.selects_any(e) {
                    return row;
                }
                let isolated = !self.isolating[e][di].is_empty();
                self.tier_walk(e, dir, pp, isolated.then_some(&row), |_, _, _| {})
            })
            .collect()
    }

    /// Per endpoint, the set of peers NetworkPolicy allows for `pp` in direction `dir` (all of
    /// them when no NetworkPolicy isolates the endpoint), the tiered policies left out.
    pub(crate) fn network_policy_sides(&self, pp: PortProto, dir: PolicyType) -> Vec<Bits> {
        let mut named = HashMap::new();
        (0..self.endpoints.len())
            .map(|e| self.network_policy_side(e, pp, dir, None, &mut named))
            .collect()
    }

    /// The set of peers NetworkPolicy allows endpoint `e` for `pp` in direction `dir`, with the
    /// rules of `dir` of one policy replaced when `changed` says so. `named` keeps, per egress
    /// rule with a named port (by address), the destinations it allows at `pp`, for the next
    /// endpoint with the same rule.
    fn network_policy_side(
        &self,
        e: usize,
        pp: PortProto,
        dir: PolicyType,
        changed: Option<&variant::RuleChange>,
        named: &mut HashMap<usize, Bits>,
    ) -> Bits {
        let n = self.endpoints.len();
        let di = dir_index(dir);
        let iso = &self.isolating[e][di];
        if iso.is_empty() {
            return Bits::full(n);
        }
        let mut allowed = Bits::empty(n);
        for &pi in iso {
            let (rules, compiled) = match changed {
                Some(c) if c.policy == pi && c.direction == dir => {
                    (c.rules.as_slice(), c.compiled.as_slice())
                }
                _ => (
                    self.model.policies[pi].rules(dir),
                    self.rules[pi][di].as_slice(),
                ),
            };
            for (rule, compiled) in rules.iter().zip(compiled) {
                match dir {
                    PolicyType::Ingress => {
                        if rule_ports_match(rule, pp, self.pod(e)) {
                            allowed.union_with(&compiled.peers);
                        }
                    }
                    PolicyType::Egress => {
                        if !rule_has_named_port(rule) {
                            if rule_ports_match(rule, pp, None) {
                                allowed.union_with(&compiled.peers);
                            }
                        } else {
                            let key = std::ptr::from_ref(rule) as usize;
                            let targets = named.entry(key).or_insert_with(|| {
                                let mut targets = Bits::empty(n);
                                for d in compiled.peers.ones() {
                                    if rule_ports_match(rule, pp, self.pod(d)) {
                                        targets.set(d);
                                    }
                                }
                                targets
                            });
                            allowed.union_with(targets);
                        }
                    }
                }
            }
        }
        allowed
    }

    /// For `pp`: per source, the destinations the NetworkPolicies of its egress side allow, and
    /// per source, the destinations whose ingress side NetworkPolicies allow it (the tiered
    /// policies left out). Used by lints that look at one side at a time.
    pub(crate) fn one_sided(&self, pp: PortProto) -> (Vec<Bits>, Vec<Bits>) {
        let ingress = self.network_policy_sides(pp, PolicyType::Ingress);
        let egress = self.network_policy_sides(pp, PolicyType::Egress);
        (egress, bits::transpose(&ingress, self.endpoints.len()))
    }

    /// Every source × destination verdict for `pp`.
    ///
    /// Row by row on bitsets: the row of `s` is what its egress side allows, kept where the
    /// destination's ingress side allows `s` (a column of the ingress sides, so they are
    /// transposed once), plus `s` itself.
    pub fn matrix(&self, pp: PortProto) -> Matrix {
        let n = self.endpoints.len();
        let ingress = bits::transpose(&self.side_sets(pp, PolicyType::Ingress), n);
        let egress = self.side_sets(pp, PolicyType::Egress);
        let is_pod: Vec<bool> = self.endpoints.iter().map(Endpoint::is_pod).collect();
        let rows = egress
            .into_iter()
            .zip(ingress)
            .enumerate()
            .map(|(s, (mut row, accepted))| {
                let own = row.get(s) || is_pod[s];
                row.intersect_with(&accepted);
                if own {
                    row.set(s);
                }
                row
            })
            .collect();
        Matrix {
            port: pp,
            n,
            is_pod,
            rows,
        }
    }

    /// Ports worth looking at: every numeric port and range bound the policies name and every
    /// container port of every pod, sorted by protocol then number. `80/TCP` when there are none.
    pub fn ports_that_matter(&self) -> Vec<PortProto> {
        let mut set = BTreeSet::new();
        for p in &self.model.policies {
            for r in p.ingress.iter().chain(&p.egress) {
                for port in &r.ports {
                    if let Some(PortRef::Number(n)) = port.port {
                        set.insert((port.protocol, n));
                        if let Some(e) = port.end_port {
                            set.insert((port.protocol, e));
                        }
                    }
                }
            }
        }
        for pp in crate::tiered::ports::named_numbers(&self.model.cluster_policies) {
            set.insert((pp.protocol, pp.port));
        }
        for pod in &self.model.pods {
            for cp in &pod.ports {
                set.insert((cp.protocol, cp.port));
            }
        }
        if set.is_empty() {
            set.insert((Protocol::Tcp, 80));
        }
        set.into_iter()
            .map(|(protocol, port)| PortProto { port, protocol })
            .collect()
    }

    /// The first port of every interval of `protocol` within which no verdict can change.
    pub(crate) fn breakpoints(&self, protocol: Protocol) -> Vec<u16> {
        let mut cuts: BTreeSet<u32> = BTreeSet::new();
        cuts.insert(1);
        let mut named: BTreeSet<&str> = BTreeSet::new();
        for p in &self.model.policies {
            for r in p.ingress.iter().chain(&p.egress) {
                for port in r.ports.iter().filter(|p| p.protocol == protocol) {
                    match &port.port {
                        Some(PortRef::Number(n)) => {
                            cuts.insert(u32::from(*n));
                            cuts.insert(u32::from(port.end_port.unwrap_or(*n).max(*n)) + 1);
                        }
                        Some(PortRef::Named(name)) => {
                            named.insert(name);
                        }
                        None => {}
                    }
                }
            }
        }
        let (tiered_cuts, tiered_named) =
            crate::tiered::ports::cuts(&self.model.cluster_policies, protocol);
        cuts.extend(tiered_cuts);
        named.extend(tiered_named);
        for pod in &self.model.pods {
            for cp in &pod.ports {
                if cp.protocol == protocol && cp.name.as_deref().is_some_and(|n| named.contains(n))
                {
                    cuts.insert(u32::from(cp.port));
                    cuts.insert(u32::from(cp.port) + 1);
                }
            }
        }
        cuts.into_iter()
            .filter(|&c| (1..=65535).contains(&c))
            .map(|c| c as u16)
            .collect()
    }

    /// Which numeric port specs match `pp`, plus whether any named port resolves to it: two
    /// ports with the same signature have the same matrix.
    fn signature(&self, pp: PortProto) -> Vec<bool> {
        let mut sig = Vec::new();
        let mut named = false;
        // The port names that resolve to `pp` on some pod, gathered once (not once per named
        // port of a policy).
        let resolving: HashSet<&str> = self
            .model
            .pods
            .iter()
            .flat_map(|pod| &pod.ports)
            .filter(|cp| cp.protocol == pp.protocol && cp.port == pp.port)
            .filter_map(|cp| cp.name.as_deref())
            .collect();
        for p in &self.model.policies {
            for r in p.ingress.iter().chain(&p.egress) {
                for port in &r.ports {
                    match &port.port {
                        Some(PortRef::Named(name)) => {
                            named |=
                                port.protocol == pp.protocol && resolving.contains(name.as_str());
                        }
                        _ => sig.push(port_matches(port, pp, None)),
                    }
                }
            }
        }
        let cluster = &self.model.cluster_policies;
        sig.extend(crate::tiered::ports::signature(cluster, pp));
        named |= crate::tiered::ports::cuts(cluster, pp.protocol)
            .1
            .iter()
            .any(|name| resolving.contains(name));
        if named {
            // A port some named port resolves to gets its own entry.
            sig.push(true);
            sig.extend(
                pp.port
                    .to_be_bytes()
                    .iter()
                    .flat_map(|b| (0..8).map(move |i| b >> i & 1 == 1)),
            );
        }
        sig
    }
}
