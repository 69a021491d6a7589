//! Cluster-wide tiered policies: `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`
//! (`policy.networking.k8s.io/v1alpha1`) and `ClusterNetworkPolicy`
//! (`policy.networking.k8s.io/v1alpha2`), plus the `kind: Node` objects their `nodes` peers
//! select.
//!
//! - the validated policies ([`ClusterPolicy`]) and nodes ([`Node`]) are plain data in
//!   [`crate::model`], re-exported here;
//! - [`cluster_policy`] / [`node`] — validation against the CRDs (wording and field paths of
//!   kube-apiserver) and conversion, never failing: diagnostics plus `Option`;
//! - [`decide`] — the tier walk for one direction of one flow, given the NetworkPolicy verdict;
//! - [`nodes_without_nodes`] — the checks that need the whole input;
//! - [`ports`] — the port numbers and names the port-sweeping views must visit.
//!
//! The semantics, with the sources they come from, are in `docs/tiered-policies.md`.

mod checks;
mod eval;
pub(crate) mod input;
mod node;
mod parse;
pub(crate) mod ports;
mod schema;

#[cfg(test)]
mod tests;

pub use crate::model::{
    Action, ClusterPeer, ClusterPolicy, ClusterPolicyKind, ClusterPort, ClusterRule, NamespacedPod,
    Network, Node, PeerKind, PortMatch, Subject, Tier,
};
pub use checks::{nodes_without_nodes, Finding};
pub use eval::{
    decide, peer_matches, port_matches, rule_matches, subject_selects, DecidedBy, Direct,
    FlowMatch, NpVerdict, PeerView, PodView, RuleRef, TierDecision, TierOrder,
};
pub use node::node;
pub use parse::cluster_policy;
