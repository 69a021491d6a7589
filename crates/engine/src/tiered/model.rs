//! The validated tiered policies and nodes: plain data the tier walk works on.
//!
//! One type, [`ClusterPolicy`], holds all three kinds: `AdminNetworkPolicy` and
//! `BaselineAdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`) and `ClusterNetworkPolicy`
//! (`policy.networking.k8s.io/v1alpha2`). The kind is kept for explanations (v1alpha1 says
//! `Allow` where v1alpha2 says `Accept`) and for the tie-break between equal priorities.

use std::fmt;
use std::net::IpAddr;

use serde::Serialize;

use crate::model::{Cidr, LabelSelector, Labels, PolicyType, Protocol, Span};

/// The API group of the three kinds.
pub const GROUP: &str = "policy.networking.k8s.io";
/// `apiVersion` of `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`.
pub const V1ALPHA1: &str = "policy.networking.k8s.io/v1alpha1";
/// `apiVersion` of `ClusterNetworkPolicy`.
pub const V1ALPHA2: &str = "policy.networking.k8s.io/v1alpha2";

/// The kind a tiered policy was written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ClusterPolicyKind {
    AdminNetworkPolicy,
    BaselineAdminNetworkPolicy,
    ClusterNetworkPolicy,
}

impl ClusterPolicyKind {
    pub const ALL: [ClusterPolicyKind; 3] = [
        ClusterPolicyKind::AdminNetworkPolicy,
        ClusterPolicyKind::BaselineAdminNetworkPolicy,
        ClusterPolicyKind::ClusterNetworkPolicy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClusterPolicyKind::AdminNetworkPolicy => "AdminNetworkPolicy",
            ClusterPolicyKind::BaselineAdminNetworkPolicy => "BaselineAdminNetworkPolicy",
            ClusterPolicyKind::ClusterNetworkPolicy => "ClusterNetworkPolicy",
        }
    }

    /// Parses a `kind` value; `None` for every other kind.
    pub fn parse(kind: &str) -> Option<ClusterPolicyKind> {
        ClusterPolicyKind::ALL
            .into_iter()
            .find(|k| k.as_str() == kind)
    }

    /// The only `apiVersion` that serves the kind.
    pub fn api_version(self) -> &'static str {
        match self {
            ClusterPolicyKind::ClusterNetworkPolicy => V1ALPHA2,
            _ => V1ALPHA1,
        }
    }
}

impl fmt::Display for ClusterPolicyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The tier a policy sits in: before NetworkPolicy (`Admin`) or after it (`Baseline`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Tier {
    Admin,
    Baseline,
}

impl Tier {
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Admin => "Admin",
            Tier::Baseline => "Baseline",
        }
    }
}

impl fmt::Display for Tier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a matching rule does. v1alpha1's `Allow` is [`Action::Accept`]; the two words mean the
/// same and [`Action::written`] gives back the one the kind uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    /// Admits the traffic; no lower rule, NetworkPolicy or Baseline rule is consulted.
    Accept,
    /// Drops the traffic; nothing below is consulted.
    Deny,
    /// Skips the rest of the tier: the next tier decides.
    Pass,
}

impl Action {
    /// The word the kind uses in YAML: `Allow` for v1alpha1 kinds, `Accept` for v1alpha2.
    pub fn written(self, kind: ClusterPolicyKind) -> &'static str {
        match (self, kind) {
            (Action::Accept, ClusterPolicyKind::ClusterNetworkPolicy) => "Accept",
            (Action::Accept, _) => "Allow",
            (Action::Deny, _) => "Deny",
            (Action::Pass, _) => "Pass",
        }
    }
}

/// `spec.subject`: exactly one of `namespaces` or `pods`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Subject {
    /// Every pod of the namespaces the selector matches.
    Namespaces(LabelSelector),
    /// Pods matching `pod_selector` in namespaces matching `namespace_selector`.
    Pods(NamespacedPod),
}

/// `NamespacedPod`: a namespace selector AND a pod selector (`{}` selects everything).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NamespacedPod {
    pub namespace_selector: LabelSelector,
    pub pod_selector: LabelSelector,
}

/// A CIDR of `networks`, with its text as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Network {
    pub cidr: Cidr,
    pub text: String,
}

/// What one `from`/`to` item selects (exactly one field is set).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PeerKind {
    /// Pods of the matching namespaces.
    Namespaces(LabelSelector),
    /// Pods matching both selectors.
    Pods(NamespacedPod),
    /// Nodes by their labels (egress only); they are matched as `kind: Node` endpoints.
    Nodes(LabelSelector),
    /// IP ranges (egress only); they match pods, nodes and externals by IP.
    Networks(Vec<Network>),
    /// Domain names (egress only, experimental). The playground has no DNS: they match nothing.
    DomainNames(Vec<String>),
}

/// One item of `from` / `to`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPeer {
    pub kind: PeerKind,
    pub span: Span,
}

/// What one item of v1alpha1 `ports` or v1alpha2 `protocols` matches on the destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PortMatch {
    /// `portNumber` / `tcp|udp|sctp.destinationPort.number`.
    Number { protocol: Protocol, port: u16 },
    /// `portRange` / `destinationPort.range`: `start..=end`. Empty when `start > end`
    /// (v1alpha1 accepts that and it matches nothing).
    Range {
        protocol: Protocol,
        start: u16,
        end: u16,
    },
    /// `namedPort` / `destinationNamedPort`: a container port name of the destination pod,
    /// whatever its protocol. Never matches a node or an external.
    Named(String),
    /// A v1alpha1 `protocol` that is not TCP, UDP or SCTP: accepted by the API server, matches
    /// no flow here.
    Unsupported { protocol: String },
}

/// One item of `ports` / `protocols`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPort {
    pub port: PortMatch,
    pub span: Span,
}

/// One ingress or egress rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterRule {
    /// `name`, when written.
    pub name: Option<String>,
    pub action: Action,
    /// `from` (ingress) or `to` (egress); never empty after validation.
    pub peers: Vec<ClusterPeer>,
    /// `ports` (v1alpha1) or `protocols` (v1alpha2); `None` when missing: every port matches.
    pub ports: Option<Vec<ClusterPort>>,
    pub span: Span,
}

/// A validated `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or `ClusterNetworkPolicy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPolicy {
    pub kind: ClusterPolicyKind,
    pub name: String,
    pub tier: Tier,
    /// `spec.priority`, 0 to 1000, lower first. `None` for the `BaselineAdminNetworkPolicy`,
    /// which has none.
    pub priority: Option<u32>,
    pub subject: Subject,
    pub ingress: Vec<ClusterRule>,
    pub egress: Vec<ClusterRule>,
    /// Where `metadata.name` is written.
    pub span: Span,
}

impl ClusterPolicy {
    /// `Kind/name`, unique among the tiered policies (names are unique per kind).
    pub fn id(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }

    /// The rules of `dir`.
    pub fn rules(&self, dir: PolicyType) -> &[ClusterRule] {
        match dir {
            PolicyType::Ingress => &self.ingress,
            PolicyType::Egress => &self.egress,
        }
    }
}

/// A node of the cluster (`kind: Node`): a possible egress destination, selected by `nodes`
/// peers through its labels and by `networks` / `ipBlock` through its addresses.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Node {
    pub name: String,
    pub labels: Labels,
    /// The addresses of `status.addresses` that are IP addresses, in order, without repeats.
    pub ips: Vec<IpAddr>,
    pub span: Span,
}
