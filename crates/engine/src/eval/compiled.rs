//! The compiled model: its endpoints in matrix order, every rule's peers as a bitset, the
//! policies isolating each endpoint and the tiered policies' index, with the lookups that
//! compiling, the matrix and the explanations share (names, IPs, namespace labels, port and
//! peer matching).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Arc;

use serde::Serialize;

use super::Bits;
use crate::explain::PeerMiss;
use crate::ids::{EndpointId, PolicyId};
use crate::model::{
    Cidr, IpBlock, Labels, Model, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Pod,
    PolicyType, PortProto, PortRef, Rule, NAMESPACE_NAME_LABEL,
};
use crate::tiered::{Tier, TierOrder};

/// What an endpoint is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EndpointKind {
    /// A pod; `pod` indexes `Model::pods`.
    Pod {
        /// The pod's index in `Model::pods`.
        pod: usize,
    },
    /// An external endpoint; `external` indexes `Model::externals`.
    External {
        /// The external's index in `Model::externals`.
        external: usize,
    },
    /// A node (`kind: Node`); `node` indexes `Model::nodes`. Like an external endpoint, it is no
    /// pod: NetworkPolicy selectors never match it, `ipBlock` and tiered `networks` and `nodes`
    /// peers do.
    Node {
        /// The node's index in `Model::nodes`.
        node: usize,
    },
}

/// A source or destination of flows: a pod, an external endpoint or a node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    /// `namespace/pod` for pods, the declared name for externals and nodes.
    pub name: String,
    /// Whether the endpoint is a pod, an external endpoint or a node.
    pub kind: EndpointKind,
    /// The pod's namespace; `None` for externals and nodes.
    pub namespace: Option<String>,
}

impl Endpoint {
    /// Whether the endpoint is a pod.
    pub fn is_pod(&self) -> bool {
        matches!(self.kind, EndpointKind::Pod { .. })
    }

    /// Whether the endpoint is a node.
    pub fn is_node(&self) -> bool {
        matches!(self.kind, EndpointKind::Node { .. })
    }
}

/// The namespaces of the endpoints, in order of first appearance (built in `select.rs`).
#[derive(Default)]
pub(crate) struct NamespaceIndex {
    /// Per namespace: its pods (endpoint indices, ascending) and its labels.
    pub(super) namespaces: Vec<(Vec<usize>, Labels)>,
    pub(super) by_name: HashMap<String, usize>,
    /// Per endpoint: the index of its pod's labels in `label_sets` (0 for a non-pod).
    pub(super) label_set: Vec<usize>,
    /// Every distinct label set of the pods: a selector is matched once per set.
    pub(super) label_sets: Vec<Labels>,
    /// Every address of every endpoint with the endpoint, in one list for `ipBlock`s to scan.
    pub(super) ips: Vec<(IpAddr, usize)>,
}

pub(super) struct CompiledRule {
    /// The endpoints the rule's peers select (all endpoints when it has no peers).
    pub(super) peers: Bits,
}

/// The model with every selector evaluated once; answers matrices, explanations, connectivity.
///
/// A `Compiled` shares its model (an `Arc`), so callers keep it as long as they like and never
/// compile the same model twice. Two are equal when their models are: the rest is computed from
/// the model.
pub struct Compiled {
    pub(super) model: Arc<Model>,
    pub(super) endpoints: Vec<Endpoint>,
    pub(super) by_name: HashMap<String, usize>,
    /// Per policy, per direction (0 ingress, 1 egress), per rule.
    pub(super) rules: Vec<[Vec<CompiledRule>; 2]>,
    /// Per endpoint, per direction: the policies that isolate it.
    pub(super) isolating: Vec<[Vec<usize>; 2]>,
    /// The tiered policies' selections; empty when the model has none.
    pub(super) tiered: TieredIndex,
    /// The pods of each namespace, for selecting in bulk.
    pub(super) namespace_index: NamespaceIndex,
}

pub(super) fn dir_index(dir: PolicyType) -> usize {
    match dir {
        PolicyType::Ingress => 0,
        PolicyType::Egress => 1,
    }
}

/// Whether a port of a rule matches the flow's port, named ports resolved on `dst`.
pub(super) fn port_matches(spec: &NetworkPolicyPort, pp: PortProto, dst: Option<&Pod>) -> bool {
    if spec.protocol != pp.protocol {
        return false;
    }
    match &spec.port {
        None => true,
        Some(PortRef::Number(p)) => {
            let end = spec.end_port.unwrap_or(*p);
            *p <= pp.port && pp.port <= end
        }
        Some(PortRef::Named(name)) => dst.is_some_and(|pod| resolves(pod, name, pp)),
    }
}

/// Whether `pod` has a container port called `name` that is `pp`.
pub(super) fn resolves(pod: &Pod, name: &str, pp: PortProto) -> bool {
    pod.ports.iter().any(|cp| {
        cp.port == pp.port && cp.protocol == pp.protocol && cp.name.as_deref() == Some(name)
    })
}

pub(super) fn rule_ports_match(rule: &Rule, pp: PortProto, dst: Option<&Pod>) -> bool {
    rule.ports.is_empty() || rule.ports.iter().any(|p| port_matches(p, pp, dst))
}

pub(super) fn rule_has_named_port(rule: &Rule) -> bool {
    rule.ports
        .iter()
        .any(|p| matches!(p.port, Some(PortRef::Named(_))))
}

pub(super) fn cidr_contains(c: &Cidr, ip: &IpAddr) -> bool {
    match (c.addr, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let mask = if c.prefix == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(c.prefix.min(32)))
            };
            u32::from(net) & mask == u32::from(*ip) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let mask = if c.prefix == 0 {
                0
            } else {
                u128::MAX << (128 - u32::from(c.prefix.min(128)))
            };
            u128::from(net) & mask == u128::from(*ip) & mask
        }
        _ => false,
    }
}

pub(super) fn ip_block_contains(b: &IpBlock, ip: &IpAddr) -> bool {
    cidr_contains(&b.cidr, ip) && !b.except.iter().any(|e| cidr_contains(&e.cidr, ip))
}

impl PartialEq for Compiled {
    fn eq(&self, other: &Compiled) -> bool {
        Arc::ptr_eq(&self.model, &other.model) || self.model == other.model
    }
}

impl std::fmt::Debug for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Compiled")
            .field("model", &self.model)
            .field("endpoints", &self.endpoints.len())
            .finish_non_exhaustive()
    }
}

impl Compiled {
    /// The model this index was compiled from.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The shared model this index was compiled from.
    pub fn shared_model(&self) -> &Arc<Model> {
        &self.model
    }

    /// Pods sorted by `namespace/name`, then externals and nodes sorted by name.
    pub fn endpoints(&self) -> &[Endpoint] {
        &self.endpoints
    }

    /// The endpoint called `name` (`ns/pod`, an external's or a node's name).
    pub fn endpoint(&self, name: &str) -> Option<EndpointId> {
        self.by_name.get(name).copied().map(EndpointId)
    }

    /// The endpoints (pods) that `policy` selects.
    pub fn selected_by(&self, policy: PolicyId) -> Vec<EndpointId> {
        let selected = self.selected(policy.index());
        selected.into_iter().map(EndpointId).collect()
    }

    /// The policies that isolate endpoint `e` in `dir`.
    pub fn isolated_by(&self, e: EndpointId, dir: PolicyType) -> Vec<PolicyId> {
        let isolating = self.isolating(e.index(), dir);
        isolating.iter().copied().map(PolicyId).collect()
    }

    /// Whether item `peer` of rule `rule` (direction `dir`) of `policy` selects endpoint `e`.
    /// Out-of-range indices select nothing.
    pub fn peer_selects(
        &self,
        policy: PolicyId,
        dir: PolicyType,
        rule: usize,
        peer: usize,
        e: EndpointId,
    ) -> bool {
        self.peer_selects_at(policy.index(), dir, rule, peer, e.index())
    }

    /// [`Compiled::selected_by`] on bare indices.
    pub(crate) fn selected(&self, policy: usize) -> Vec<usize> {
        match self.model.policies.get(policy) {
            Some(p) => self.policy_selects(p).collect(),
            None => Vec::new(),
        }
    }

    /// The endpoints item `peer` of rule `rule` (direction `dir`) of policy `policy` selects, as
    /// [`Compiled::peer_selects`] decides one at a time. Out-of-range indices select nothing.
    pub(crate) fn peer_set(
        &self,
        policy: usize,
        dir: PolicyType,
        rule: usize,
        peer: usize,
    ) -> Bits {
        let p = self.model.policies.get(policy);
        match p.and_then(|p| p.rules(dir).get(rule)?.peers.get(peer)) {
            Some(x) => self.peer_bits(&self.model.policies[policy], x),
            None => Bits::empty(self.endpoints.len()),
        }
    }

    /// [`Compiled::isolated_by`] on bare indices.
    pub(crate) fn isolating(&self, e: usize, dir: PolicyType) -> &[usize] {
        &self.isolating[e][dir_index(dir)]
    }

    pub(super) fn pod(&self, e: usize) -> Option<&Pod> {
        match self.endpoints[e].kind {
            EndpointKind::Pod { pod } => Some(&self.model.pods[pod]),
            EndpointKind::External { .. } | EndpointKind::Node { .. } => None,
        }
    }

    pub(super) fn ips(&self, e: usize) -> &[IpAddr] {
        match self.endpoints[e].kind {
            EndpointKind::Pod { pod } => &self.model.pods[pod].ips,
            EndpointKind::External { external } => {
                std::slice::from_ref(&self.model.externals[external].ip)
            }
            EndpointKind::Node { node } => &self.model.nodes[node].ips,
        }
    }

    pub(super) fn namespace_labels(&self, ns: &str) -> std::borrow::Cow<'_, Labels> {
        match self.model.namespace(ns) {
            Some(n) => std::borrow::Cow::Borrowed(&n.labels),
            // Parsing declares every referenced namespace; a hand-built model may not.
            None => {
                // Inserted rather than collected: collecting a map sorts, and a sort's code is
                // copied into the wasm for each type it sorts.
                let mut labels = Labels::new();
                labels.insert(NAMESPACE_NAME_LABEL.to_string(), ns.to_string());
                std::borrow::Cow::Owned(labels)
            }
        }
    }

    /// [`Compiled::peer_selects`] on bare indices.
    pub(crate) fn peer_selects_at(
        &self,
        policy: usize,
        dir: PolicyType,
        rule: usize,
        peer: usize,
        e: usize,
    ) -> bool {
        let Some(p) = self.model.policies.get(policy) else {
            return false;
        };
        let Some(x) = p.rules(dir).get(rule).and_then(|r| r.peers.get(peer)) else {
            return false;
        };
        e < self.endpoints.len() && self.peer_matches(p, x, e)
    }

    /// Whether `peer` of `policy` selects endpoint `e`.
    pub(super) fn peer_matches(
        &self,
        policy: &NetworkPolicy,
        peer: &NetworkPolicyPeer,
        e: usize,
    ) -> bool {
        if let Some(block) = &peer.ip_block {
            return self.ips(e).iter().any(|ip| ip_block_contains(block, ip));
        }
        let Some(pod) = self.pod(e) else { return false };
        let ns_ok = match &peer.namespace_selector {
            None => pod.namespace == policy.namespace,
            Some(sel) => sel.matches(&self.namespace_labels(&pod.namespace)),
        };
        let ok = ns_ok
            && peer
                .pod_selector
                .as_ref()
                .is_none_or(|s| s.matches(&pod.labels));
        // The reasons of `peer_mismatch` must tell the same story.
        debug_assert_eq!(ok, self.peer_mismatch(policy, peer, e).is_none());
        ok
    }

    /// Why `peer` does not select endpoint `e`; `None` when it does.
    pub(super) fn peer_mismatch(
        &self,
        policy: &NetworkPolicy,
        peer: &NetworkPolicyPeer,
        e: usize,
    ) -> Option<PeerMiss> {
        let endpoint = self.endpoints[e].name.clone();
        if let Some(block) = &peer.ip_block {
            let ips = self.ips(e);
            if ips.iter().any(|ip| ip_block_contains(block, ip)) {
                return None;
            }
            let cidr = block.cidr_text.clone();
            if ips.is_empty() {
                return Some(PeerMiss::IpBlockNoAddress { cidr, endpoint });
            }
            if let Some(ex) = ips.iter().find_map(|ip| {
                block
                    .except
                    .iter()
                    .find(|x| cidr_contains(&x.cidr, ip))
                    .filter(|_| cidr_contains(&block.cidr, ip))
            }) {
                return Some(PeerMiss::IpBlockExcept {
                    cidr,
                    except: ex.text.clone(),
                    endpoint,
                    ips: ips.to_vec(),
                });
            }
            return Some(PeerMiss::IpBlockOutside {
                cidr,
                endpoint,
                ips: ips.to_vec(),
            });
        }
        let Some(pod) = self.pod(e) else {
            if self.endpoints[e].is_node() {
                return Some(PeerMiss::NodeNotAPod { endpoint });
            }
            return Some(PeerMiss::NotAPod { endpoint });
        };
        match &peer.namespace_selector {
            None => {
                if pod.namespace != policy.namespace {
                    return Some(PeerMiss::OutsidePolicyNamespace {
                        pod_selector: peer.pod_selector.clone(),
                        policy_namespace: policy.namespace.clone(),
                        endpoint,
                        namespace: pod.namespace.clone(),
                    });
                }
            }
            Some(sel) => {
                if let Some(mismatch) = sel.mismatch(&self.namespace_labels(&pod.namespace)) {
                    return Some(PeerMiss::NamespaceSelector {
                        selector: sel.clone(),
                        namespace: pod.namespace.clone(),
                        mismatch,
                    });
                }
            }
        }
        let sel = peer.pod_selector.as_ref()?;
        let mismatch = sel.mismatch(&pod.labels)?;
        Some(PeerMiss::PodSelector {
            selector: sel.clone(),
            endpoint,
            mismatch,
            with_namespace_selector: peer.namespace_selector.is_some(),
        })
    }
}

/// The tiered policies' selections, computed once per compile.
#[derive(Default)]
pub(crate) struct TieredIndex {
    pub order: TierOrder,
    /// Per policy: the pods its subject selects.
    pub subjects: Vec<Bits>,
    /// Per policy, per direction (0 ingress, 1 egress), per rule: the endpoints its peers select.
    pub peers: Vec<[Vec<Bits>; 2]>,
    /// Per endpoint: the Admin and the Baseline policies that select it, in evaluation order.
    /// Empty when the model has no tiered policies.
    pub selecting: Vec<[Vec<usize>; 2]>,
}

impl TieredIndex {
    /// Whether any tiered policy selects endpoint `e`.
    pub fn selects_any(&self, e: usize) -> bool {
        self.selecting
            .get(e)
            .is_some_and(|[admin, baseline]| !admin.is_empty() || !baseline.is_empty())
    }

    /// The policies of `tier` that select endpoint `e`, in evaluation order.
    pub fn selecting(&self, e: usize, tier: Tier) -> &[usize] {
        let i = match tier {
            Tier::Admin => 0,
            Tier::Baseline => 1,
        };
        self.selecting.get(e).map_or(&[], |s| &s[i])
    }
}
