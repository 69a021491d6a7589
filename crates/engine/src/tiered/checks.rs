//! Checks of tiered policies against the whole input, made once everything is read.

use serde::Serialize;

use crate::model::Span;
use crate::model::{ClusterPolicy, PeerKind};

/// A warning about a tiered policy that depends on the rest of the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Where the finding is.
    pub span: Span,
    /// A stable code.
    pub code: &'static str,
    /// The message.
    pub message: String,
}

/// `nodes` peers when the cluster input has no `kind: Node` object: they select nothing, and a
/// learner should know why ("It selects the nodeIPs … present in the node.Status.Addresses field
/// of the node", `apis/v1alpha2/clusternetworkpolicy_types.go`).
pub fn nodes_without_nodes(policies: &[ClusterPolicy], node_count: usize) -> Vec<Finding> {
    if node_count > 0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    for p in policies {
        for rule in &p.egress {
            for peer in &rule.peers {
                if matches!(peer.kind, PeerKind::Nodes(_)) {
                    out.push(Finding {
                        span: peer.span,
                        code: "nodes-peer-without-nodes",
                        message: format!(
                            "{}: this `nodes` peer matches nothing: the cluster has no Node objects (add `kind: Node` objects with labels and status.addresses)",
                            p.id()
                        ),
                    });
                }
            }
        }
    }
    out
}
