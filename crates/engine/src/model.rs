//! The validated model: plain data the evaluator works on.
//!
//! Everything here has already been checked; an object that failed validation never reaches the
//! model. Positions (`Span`) point back into the input files so that explanations and the
//! playground can highlight the responsible YAML lines.

use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;

use serde::{Deserialize, Serialize};

/// Labels of a pod or namespace.
pub type Labels = BTreeMap<String, String>;

/// The label every namespace carries automatically (set by kube-apiserver).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// A position in an input file. Lines and columns are 1-based; `file` indexes `Model::files`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Span {
    /// The index of the input file in `Model::files`.
    pub file: usize,
    /// The 1-based line.
    pub line: u32,
    /// The 1-based column.
    pub col: u32,
}

/// A transport protocol a NetworkPolicy port can name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Protocol {
    #[serde(rename = "TCP")]
    /// TCP.
    Tcp,
    #[serde(rename = "UDP")]
    /// UDP.
    Udp,
    #[serde(rename = "SCTP")]
    /// SCTP.
    Sctp,
}

impl Protocol {
    /// All protocols, in the order the CLI and the playground list them.
    pub const ALL: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];

    /// The protocol as Kubernetes writes it: `TCP`, `UDP` or `SCTP`.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
            Protocol::Sctp => "SCTP",
        }
    }

    /// Parses the exact Kubernetes spelling (`TCP`, `UDP`, `SCTP`).
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "TCP" => Some(Protocol::Tcp),
            "UDP" => Some(Protocol::Udp),
            "SCTP" => Some(Protocol::Sctp),
            _ => None,
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A port and protocol of a flow, e.g. `80/TCP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PortProto {
    /// The port number.
    pub port: u16,
    /// The protocol.
    pub protocol: Protocol,
}

impl PortProto {
    /// A port of a protocol.
    pub fn new(port: u16, protocol: Protocol) -> Self {
        PortProto { port, protocol }
    }

    /// Parses `80`, `80/TCP`, `53/udp` (protocol case-insensitive, TCP when omitted).
    pub fn parse(s: &str) -> Result<PortProto, PortProtoError> {
        let s = s.trim();
        let (num, proto) = match s.split_once('/') {
            Some((n, p)) => (n, p),
            None => (s, "TCP"),
        };
        let port: u16 = num
            .trim()
            .parse()
            .ok()
            .filter(|p| *p >= 1)
            .ok_or_else(|| PortProtoError::Port(s.to_string()))?;
        let protocol = Protocol::parse(&proto.trim().to_ascii_uppercase())
            .ok_or_else(|| PortProtoError::Protocol(s.to_string()))?;
        Ok(PortProto { port, protocol })
    }
}

/// Why [`PortProto::parse`] could not read a port such as `80/TCP`; each carries the text read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortProtoError {
    /// The port is not a number from 1 to 65535.
    Port(String),
    /// The protocol is not TCP, UDP or SCTP.
    Protocol(String),
}

impl fmt::Display for PortProtoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PortProtoError::Port(s) => {
                write!(f, "`{s}`: the port must be a number from 1 to 65535")
            }
            PortProtoError::Protocol(s) => {
                write!(f, "`{s}`: the protocol must be TCP, UDP or SCTP")
            }
        }
    }
}

impl std::error::Error for PortProtoError {}

impl fmt::Display for PortProto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.port, self.protocol)
    }
}

/// A namespace and its labels (always including `kubernetes.io/metadata.name`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Namespace {
    /// The namespace's name.
    pub name: String,
    /// The namespace's labels, with `kubernetes.io/metadata.name`.
    pub labels: Labels,
    /// Where it was declared; `None` when it was created because something referenced it.
    pub span: Option<Span>,
}

/// A container port of a pod, used to resolve named ports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ContainerPort {
    /// The port's name, if any.
    pub name: Option<String>,
    /// The port number.
    pub port: u16,
    /// The protocol.
    pub protocol: Protocol,
}

/// What a pod endpoint stands for: one pod, or every replica of a workload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum WorkloadKind {
    #[default]
    /// A `Pod`.
    Pod,
    /// A `Deployment`.
    Deployment,
    /// A `StatefulSet`.
    StatefulSet,
    /// A `DaemonSet`.
    DaemonSet,
    /// A `ReplicaSet`.
    ReplicaSet,
    /// A `Job`.
    Job,
    /// A `CronJob`.
    CronJob,
    /// A `ReplicationController`.
    ReplicationController,
}

impl WorkloadKind {
    /// Every kind, `Pod` first.
    pub const ALL: [WorkloadKind; 8] = [
        WorkloadKind::Pod,
        WorkloadKind::Deployment,
        WorkloadKind::StatefulSet,
        WorkloadKind::DaemonSet,
        WorkloadKind::ReplicaSet,
        WorkloadKind::Job,
        WorkloadKind::CronJob,
        WorkloadKind::ReplicationController,
    ];

    /// The Kubernetes `kind`, e.g. `Deployment`.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkloadKind::Pod => "Pod",
            WorkloadKind::Deployment => "Deployment",
            WorkloadKind::StatefulSet => "StatefulSet",
            WorkloadKind::DaemonSet => "DaemonSet",
            WorkloadKind::ReplicaSet => "ReplicaSet",
            WorkloadKind::Job => "Job",
            WorkloadKind::CronJob => "CronJob",
            WorkloadKind::ReplicationController => "ReplicationController",
        }
    }

    /// Parses the exact Kubernetes `kind`.
    pub fn parse(kind: &str) -> Option<WorkloadKind> {
        WorkloadKind::ALL.into_iter().find(|k| k.as_str() == kind)
    }
}

impl fmt::Display for WorkloadKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pod endpoint: where it lives, its labels, its IPs and its container ports.
///
/// It is a pod, or a workload (`kind`) standing for all its replicas with its pod template's
/// labels and ports.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Pod {
    /// The pod's namespace.
    pub namespace: String,
    /// The pod's name.
    pub name: String,
    /// The pod's labels.
    pub labels: Labels,
    /// The pod's IP addresses.
    pub ips: Vec<IpAddr>,
    /// The pod's container ports.
    pub ports: Vec<ContainerPort>,
    /// Where the pod is declared.
    pub span: Span,
    /// `Pod`, or the workload this endpoint stands for.
    pub kind: WorkloadKind,
}

impl Pod {
    /// `namespace/name`, the way the CLI and the playground name pods.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// An endpoint outside the cluster (e.g. `8.8.8.8`), only reachable through `ipBlock` peers.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct External {
    /// The external endpoint's name.
    pub name: String,
    /// Its address.
    pub ip: IpAddr,
    /// Where it is declared.
    pub span: Span,
}

/// A label selector operator (`matchExpressions[].operator`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Operator {
    /// The label's value is one of `values`.
    In,
    /// The label is missing or its value is none of `values`.
    NotIn,
    /// The label is present.
    Exists,
    /// The label is missing.
    DoesNotExist,
}

/// One `matchExpressions` entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Requirement {
    /// The label key.
    pub key: String,
    /// How the label is compared with `values`.
    pub operator: Operator,
    /// The values, for `In` and `NotIn`.
    pub values: Vec<String>,
}

/// A label selector. The empty selector (`{}`) selects everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LabelSelector {
    /// `matchLabels`: every label must have its value.
    pub match_labels: Labels,
    /// `matchExpressions`: every requirement must be met.
    pub match_expressions: Vec<Requirement>,
}

/// An IP network in canonical form (host bits cleared).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Cidr {
    /// The network address, masked to the prefix.
    pub addr: IpAddr,
    /// The prefix length.
    pub prefix: u8,
}

/// `ipBlock`: a CIDR minus the `except` CIDRs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IpBlock {
    /// The block's CIDR.
    pub cidr: Cidr,
    /// The `except` CIDRs.
    pub except: Vec<Except>,
    /// The text as written, for explanations.
    pub cidr_text: String,
}

/// One entry of `ipBlock.except`: the network, and its text as written (for explanations).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Except {
    /// The CIDR.
    pub cidr: Cidr,
    /// The CIDR as written.
    pub text: String,
}

/// One item of `from` / `to` (a `NetworkPolicyPeer`).
///
/// Validation guarantees: either `ip_block` alone, or at least one of the two selectors.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkPolicyPeer {
    /// `podSelector`.
    pub pod_selector: Option<LabelSelector>,
    /// `namespaceSelector`.
    pub namespace_selector: Option<LabelSelector>,
    /// `ipBlock`.
    pub ip_block: Option<IpBlock>,
    /// Where the item is written.
    pub span: Span,
}

/// A port of a rule: a number, a name (resolved on the destination pod), or nothing (all ports).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PortRef {
    /// A port number.
    Number(u16),
    /// A container port name, resolved on the destination pod.
    Named(String),
}

/// One item of `ports` (a `NetworkPolicyPort`), with the protocol defaulted to TCP.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NetworkPolicyPort {
    /// The protocol.
    pub protocol: Protocol,
    /// The port; `None` matches every port of the protocol.
    pub port: Option<PortRef>,
    /// `endPort`: the last port of a range starting at `port`.
    pub end_port: Option<u16>,
    /// Where the item is written.
    pub span: Span,
}

/// An ingress or egress rule. Empty `peers` means every peer; empty `ports` means every port.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// `from` (ingress) or `to` (egress); empty matches every peer.
    pub peers: Vec<NetworkPolicyPeer>,
    /// `ports`; empty matches every port.
    pub ports: Vec<NetworkPolicyPort>,
    /// Where the rule is written.
    pub span: Span,
}

/// A direction of traffic, as in `policyTypes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum PolicyType {
    /// Traffic into the selected pods.
    Ingress,
    /// Traffic out of the selected pods.
    Egress,
}

impl PolicyType {
    /// The direction as Kubernetes writes it: `Ingress` or `Egress`.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyType::Ingress => "Ingress",
            PolicyType::Egress => "Egress",
        }
    }
}

impl fmt::Display for PolicyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A validated NetworkPolicy with `policyTypes` already defaulted.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NetworkPolicy {
    /// The policy's namespace.
    pub namespace: String,
    /// The policy's name.
    pub name: String,
    /// `spec.podSelector`: the pods the policy applies to.
    pub pod_selector: LabelSelector,
    /// True when the policy isolates selected pods for ingress.
    pub affects_ingress: bool,
    /// True when the policy isolates selected pods for egress.
    pub affects_egress: bool,
    /// False when `policyTypes` was missing or empty and had to be defaulted.
    pub policy_types_explicit: bool,
    /// False when `metadata.namespace` was missing (the policy went to `default`).
    pub namespace_explicit: bool,
    /// The ingress rules.
    pub ingress: Vec<Rule>,
    /// The egress rules.
    pub egress: Vec<Rule>,
    /// Where the policy is written.
    pub span: Span,
}

impl NetworkPolicy {
    /// `namespace/name`.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }

    /// Whether the policy isolates its selected pods in `dir`.
    pub fn affects(&self, dir: PolicyType) -> bool {
        match dir {
            PolicyType::Ingress => self.affects_ingress,
            PolicyType::Egress => self.affects_egress,
        }
    }

    /// The rules of `dir` (which only count when the policy affects `dir`).
    pub fn rules(&self, dir: PolicyType) -> &[Rule] {
        match dir {
            PolicyType::Ingress => &self.ingress,
            PolicyType::Egress => &self.egress,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tiered policies (`crate::tiered` validates and evaluates them).
//
// One type, [`ClusterPolicy`], holds all three kinds: `AdminNetworkPolicy` and
// `BaselineAdminNetworkPolicy` (`policy.networking.k8s.io/v1alpha1`) and `ClusterNetworkPolicy`
// (`policy.networking.k8s.io/v1alpha2`). The kind is kept for explanations (v1alpha1 says
// `Allow` where v1alpha2 says `Accept`) and for the tie-break between equal priorities. They live
// here, beside `Model`, so that the model does not import the module that reads it.
/// The API group of the three kinds.
pub const GROUP: &str = "policy.networking.k8s.io";
/// `apiVersion` of `AdminNetworkPolicy` and `BaselineAdminNetworkPolicy`.
pub const V1ALPHA1: &str = "policy.networking.k8s.io/v1alpha1";
/// `apiVersion` of `ClusterNetworkPolicy`.
pub const V1ALPHA2: &str = "policy.networking.k8s.io/v1alpha2";

/// The kind a tiered policy was written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ClusterPolicyKind {
    /// An `AdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1).
    AdminNetworkPolicy,
    /// The `BaselineAdminNetworkPolicy` (policy.networking.k8s.io/v1alpha1).
    BaselineAdminNetworkPolicy,
    /// A `ClusterNetworkPolicy` (policy.networking.k8s.io/v1alpha2).
    ClusterNetworkPolicy,
}

impl ClusterPolicyKind {
    /// Every kind, in the order they are described.
    pub const ALL: [ClusterPolicyKind; 3] = [
        ClusterPolicyKind::AdminNetworkPolicy,
        ClusterPolicyKind::BaselineAdminNetworkPolicy,
        ClusterPolicyKind::ClusterNetworkPolicy,
    ];

    /// The kind's name.
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
    /// The Admin tier, before NetworkPolicy.
    Admin,
    /// The Baseline tier, after NetworkPolicy.
    Baseline,
}

impl Tier {
    /// The tier's name.
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
    /// The namespaces' selector.
    pub namespace_selector: LabelSelector,
    /// The pods' selector within those namespaces.
    pub pod_selector: LabelSelector,
}

/// A CIDR of `networks`, with its text as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Network {
    /// The CIDR.
    pub cidr: Cidr,
    /// The CIDR as written.
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
    /// What the peer selects.
    pub kind: PeerKind,
    /// Where the peer is written.
    pub span: Span,
}

/// What one item of v1alpha1 `ports` or v1alpha2 `protocols` matches on the destination.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum PortMatch {
    /// `portNumber` / `tcp|udp|sctp.destinationPort.number`.
    Number {
        /// The protocol.
        protocol: Protocol,
        /// The port number.
        port: u16,
    },
    /// `portRange` / `destinationPort.range`: `start..=end`. Empty when `start > end`
    /// (v1alpha1 accepts that and it matches nothing).
    Range {
        /// The protocol.
        protocol: Protocol,
        /// The first port.
        start: u16,
        /// The last port.
        end: u16,
    },
    /// `namedPort` / `destinationNamedPort`: a container port name of the destination pod,
    /// whatever its protocol. Never matches a node or an external.
    Named(String),
    /// A v1alpha1 `protocol` that is not TCP, UDP or SCTP: accepted by the API server, matches
    /// no flow here.
    Unsupported {
        /// The protocol as written.
        protocol: String,
    },
}

/// One item of `ports` / `protocols`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPort {
    /// What the item matches.
    pub port: PortMatch,
    /// Where the item is written.
    pub span: Span,
}

/// One ingress or egress rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterRule {
    /// `name`, when written.
    pub name: Option<String>,
    /// What the rule does with the flows it matches.
    pub action: Action,
    /// `from` (ingress) or `to` (egress); never empty after validation.
    pub peers: Vec<ClusterPeer>,
    /// `ports` (v1alpha1) or `protocols` (v1alpha2); `None` when missing: every port matches.
    pub ports: Option<Vec<ClusterPort>>,
    /// Where the rule is written.
    pub span: Span,
}

/// A validated `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or `ClusterNetworkPolicy`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ClusterPolicy {
    /// The kind of the policy.
    pub kind: ClusterPolicyKind,
    /// The policy's name.
    pub name: String,
    /// The tier the policy belongs to.
    pub tier: Tier,
    /// `spec.priority`, 0 to 1000, lower first. `None` for the `BaselineAdminNetworkPolicy`,
    /// which has none.
    pub priority: Option<u32>,
    /// The pods the policy applies to.
    pub subject: Subject,
    /// The ingress rules, in order.
    pub ingress: Vec<ClusterRule>,
    /// The egress rules, in order.
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
    /// The node's name.
    pub name: String,
    /// The node's labels.
    pub labels: Labels,
    /// The addresses of `status.addresses` that are IP addresses, in order, without repeats.
    pub ips: Vec<IpAddr>,
    /// Where the node is declared.
    pub span: Span,
}

/// Everything parsed from the inputs: the cluster and the policies.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Model {
    /// Input file names, indexed by `Span::file`.
    pub files: Vec<String>,
    /// The namespaces, declared or referenced.
    pub namespaces: Vec<Namespace>,
    /// The pods, workloads included.
    pub pods: Vec<Pod>,
    /// The external endpoints.
    pub externals: Vec<External>,
    /// The NetworkPolicies.
    pub policies: Vec<NetworkPolicy>,
    /// `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` and `ClusterNetworkPolicy` objects.
    pub cluster_policies: Vec<ClusterPolicy>,
    /// `kind: Node` objects: endpoints named by their names, like externals.
    pub nodes: Vec<Node>,
}

impl Model {
    /// The namespace called `name`, if any.
    pub fn namespace(&self, name: &str) -> Option<&Namespace> {
        self.namespaces.iter().find(|n| n.name == name)
    }
}
