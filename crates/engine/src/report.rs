//! Serializable reports of evaluation results: the JSON contracts shared by the front ends.

use serde::Serialize;

use crate::eval::{Compiled, EndpointKind};
use crate::ids::EndpointId;
use crate::model::{PortProto, Protocol};

/// The matrix of allowed flows on one port, the shape of `netpol matrix --format json` (and of
/// the live blocks' `evaluate`): `allowed[i][j]` is true when `sources[i]` may reach
/// `destinations[j]`. External → external is not a cluster flow and is `false`.
///
/// The field order is the key order of the JSON contract.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixReport {
    /// The destination port.
    pub port: u16,
    /// The protocol, as `TCP`, `UDP` or `SCTP`.
    pub protocol: Protocol,
    /// Every endpoint, in the order of [`Compiled::endpoints`].
    pub sources: Vec<String>,
    /// The same endpoints as `sources`.
    pub destinations: Vec<String>,
    /// One row per source, one column per destination.
    pub allowed: Vec<Vec<bool>>,
}

impl MatrixReport {
    /// Evaluates the matrix of `index` on `port`.
    pub fn new(index: &Compiled, port: PortProto) -> MatrixReport {
        let names: Vec<String> = index.endpoints().iter().map(|e| e.name.clone()).collect();
        let matrix = index.matrix(port);
        let allowed = (0..names.len())
            .map(|i| (0..names.len()).map(|j| matrix.allowed_at(i, j)).collect())
            .collect();
        MatrixReport {
            port: port.port,
            protocol: port.protocol,
            sources: names.clone(),
            destinations: names,
            allowed,
        }
    }
}

/// The kind of endpoint `e` of `index`: the Kubernetes kind a pod endpoint stands for (`Pod`,
/// `Deployment`, `StatefulSet`, …), `External` for an external endpoint, or `Node` for a node.
pub fn endpoint_kind(index: &Compiled, e: EndpointId) -> &'static str {
    match index.endpoints()[e.index()].kind {
        EndpointKind::Pod { pod } => index.model().pods[pod].kind.as_str(),
        EndpointKind::External { .. } => "External",
        EndpointKind::Node { .. } => "Node",
    }
}
