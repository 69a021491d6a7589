//! The tier walk: how Admin policies, NetworkPolicy and Baseline policies decide one direction
//! of one flow.
//!
//! Per direction (egress at the source, ingress at the destination; a flow needs both):
//!
//! 1. **Admin tier**: policies in ascending `priority` (ties: see [`TierOrder`]), rules in
//!    written order; the first rule that matches decides. `Accept`/`Allow` admits, `Deny` drops,
//!    `Pass` skips the rest of the Admin tier.
//! 2. **NetworkPolicy**: when a NetworkPolicy selects the pod for this direction, its verdict is
//!    final (passed in as [`NpVerdict`]).
//! 3. **Baseline tier**: the same walk over Baseline policies (v1alpha2 Baseline `Pass` skips the
//!    rest of the Baseline tier).
//! 4. **Default**: allowed.
//!
//! A pod reaching itself is not decided here: "A Pod connecting to its own Pod IP is not subject
//! to CNP" (`site-src/api-overview.md`), and NetworkPolicy allows it too; the caller keeps the
//! engine's self-traffic rule.
//!
//! The walk is written once, over [`FlowMatch`]: [`Direct`] answers it by evaluating selectors,
//! and the compiled index can answer it from precomputed bitsets.

use std::cmp::Ordering;
use std::net::IpAddr;

use serde::Serialize;

use crate::model::{
    Action, ClusterPeer, ClusterPolicy, ClusterRule, NamespacedPod, PeerKind, PortMatch, Subject,
    Tier,
};
use crate::model::{Cidr, ContainerPort, Labels, PolicyType, PortProto};

/// The evaluation order of the two tiers, computed once per policy set.
///
/// Within a tier, policies run in ascending `priority`. The API leaves the order of equal
/// priorities undefined ("the implementation can apply any of the matching policies"); the
/// playground breaks ties deterministically by `metadata.name` (byte order), then by kind
/// (`AdminNetworkPolicy` before `ClusterNetworkPolicy`), then by input order. The single
/// `BaselineAdminNetworkPolicy` has no priority and runs after every Baseline
/// `ClusterNetworkPolicy`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct TierOrder {
    /// Indexes of the Admin-tier policies, in evaluation order.
    pub admin: Vec<usize>,
    /// Indexes of the Baseline-tier policies, in evaluation order.
    pub baseline: Vec<usize>,
}

impl TierOrder {
    /// The evaluation order of `policies`.
    pub fn new(policies: &[ClusterPolicy]) -> Self {
        let sorted = |tier: Tier| {
            let mut idx: Vec<usize> = (0..policies.len())
                .filter(|&i| policies[i].tier == tier)
                .collect();
            idx.sort_by(|&a, &b| precedence(&policies[a], &policies[b]).then(a.cmp(&b)));
            idx
        };
        TierOrder {
            admin: sorted(Tier::Admin),
            baseline: sorted(Tier::Baseline),
        }
    }

    /// The policies of `tier`, in evaluation order.
    pub fn tier(&self, tier: Tier) -> &[usize] {
        match tier {
            Tier::Admin => &self.admin,
            Tier::Baseline => &self.baseline,
        }
    }

    /// Every pair of policies of the same tier and the same priority, in evaluation order: the
    /// places where the API leaves the order undefined (the lint checks which of them overlap).
    pub fn ties(&self, policies: &[ClusterPolicy]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for order in [&self.admin, &self.baseline] {
            for (k, &a) in order.iter().enumerate() {
                for &b in &order[k + 1..] {
                    let (pa, pb) = (policies[a].priority, policies[b].priority);
                    if pa.is_some() && pa == pb {
                        out.push((a, b));
                    }
                }
            }
        }
        out
    }
}

/// Which of two policies of one tier runs first (before the input-order tie-break).
fn precedence(a: &ClusterPolicy, b: &ClusterPolicy) -> Ordering {
    // `None` (the BaselineAdminNetworkPolicy) sorts after every priority.
    let prio = |p: &ClusterPolicy| p.priority.map_or(u64::MAX, u64::from);
    prio(a)
        .cmp(&prio(b))
        .then_with(|| a.name.as_bytes().cmp(b.name.as_bytes()))
        .then_with(|| a.kind.cmp(&b.kind))
}

/// The NetworkPolicy tier's say on this direction of the flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum NpVerdict {
    /// No NetworkPolicy selects the pod for this direction: the Baseline tier decides.
    NotSelected,
    /// NetworkPolicies select the pod and one of their rules allows the flow.
    Allowed,
    /// NetworkPolicies select the pod and none of their rules allows the flow.
    Denied,
}

/// A rule of a tiered policy: indexes into the policy list and its `ingress`/`egress`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRef {
    /// The index of the policy.
    pub policy: usize,
    /// The index of the rule in the direction's rules.
    pub rule: usize,
    /// The rule's action.
    pub action: Action,
}

/// Who decided one direction of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum DecidedBy {
    /// An Admin-tier rule that accepted or denied.
    Admin(RuleRef),
    /// The NetworkPolicies that select the pod.
    NetworkPolicy,
    /// A Baseline-tier rule that accepted or denied.
    Baseline(RuleRef),
    /// Nothing decided: Kubernetes' default allows.
    Default,
}

impl DecidedBy {
    /// The tier's name as the explanations and the playground show it.
    pub fn tier_name(self) -> &'static str {
        match self {
            DecidedBy::Admin(_) => "Admin",
            DecidedBy::NetworkPolicy => "NetworkPolicy",
            DecidedBy::Baseline(_) => "Baseline",
            DecidedBy::Default => "Default",
        }
    }
}

/// The outcome of the tier walk for one direction of one flow, with what explanations need.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierDecision {
    /// Whether the flow is allowed.
    pub allowed: bool,
    /// What decided.
    pub decided_by: DecidedBy,
    /// The Admin `Pass` rule that handed the flow down, if one matched.
    pub admin_pass: Option<RuleRef>,
    /// The Baseline `Pass` rule (v1alpha2) that handed the flow to the default, if one matched.
    pub baseline_pass: Option<RuleRef>,
    /// The policies whose subject selects the pod, in the order they were walked (a policy
    /// after the deciding or passing rule's tier is not walked). For "selects the pod but none
    /// of its rules match" sentences.
    pub walked: Vec<usize>,
}

/// The questions the tier walk asks about one direction of one flow.
pub trait FlowMatch {
    /// Whether `policies[policy]`'s subject selects the pod this direction belongs to.
    fn selects(&self, policy: usize) -> bool;
    /// Whether rule `rule` (of this direction) of `policies[policy]` matches the peer and port.
    fn rule_matches(&self, policy: usize, rule: usize) -> bool;
}

/// Walks the tiers for one direction (`dir`) of one flow.
pub fn decide(
    policies: &[ClusterPolicy],
    order: &TierOrder,
    dir: PolicyType,
    m: &impl FlowMatch,
    np: NpVerdict,
) -> TierDecision {
    let mut walked = Vec::new();
    let admin = walk_tier(policies, &order.admin, dir, m, &mut walked);
    let admin_pass = match admin {
        Some(r) if r.action == Action::Pass => Some(r),
        Some(r) => {
            return decision(
                r.action == Action::Accept,
                DecidedBy::Admin(r),
                None,
                None,
                walked,
            )
        }
        None => None,
    };
    match np {
        NpVerdict::Allowed => {
            return decision(true, DecidedBy::NetworkPolicy, admin_pass, None, walked)
        }
        NpVerdict::Denied => {
            return decision(false, DecidedBy::NetworkPolicy, admin_pass, None, walked)
        }
        NpVerdict::NotSelected => {}
    }
    let baseline = walk_tier(policies, &order.baseline, dir, m, &mut walked);
    match baseline {
        Some(r) if r.action == Action::Pass => {
            decision(true, DecidedBy::Default, admin_pass, Some(r), walked)
        }
        Some(r) => decision(
            r.action == Action::Accept,
            DecidedBy::Baseline(r),
            admin_pass,
            None,
            walked,
        ),
        None => decision(true, DecidedBy::Default, admin_pass, None, walked),
    }
}

fn decision(
    allowed: bool,
    decided_by: DecidedBy,
    admin_pass: Option<RuleRef>,
    baseline_pass: Option<RuleRef>,
    walked: Vec<usize>,
) -> TierDecision {
    TierDecision {
        allowed,
        decided_by,
        admin_pass,
        baseline_pass,
        walked,
    }
}

/// The first matching rule of the tier (policies in `order`, rules in written order).
fn walk_tier(
    policies: &[ClusterPolicy],
    order: &[usize],
    dir: PolicyType,
    m: &impl FlowMatch,
    walked: &mut Vec<usize>,
) -> Option<RuleRef> {
    for &p in order {
        if !m.selects(p) {
            continue;
        }
        walked.push(p);
        for (r, rule) in policies[p].rules(dir).iter().enumerate() {
            if m.rule_matches(p, r) {
                return Some(RuleRef {
                    policy: p,
                    rule: r,
                    action: rule.action,
                });
            }
        }
    }
    None
}

/// A pod as the tier walk sees it.
#[derive(Clone, Copy, Debug)]
pub struct PodView<'a> {
    /// The pod's labels.
    pub labels: &'a Labels,
    /// The labels of the pod's namespace.
    pub namespace_labels: &'a Labels,
    /// The pod's IP addresses.
    pub ips: &'a [IpAddr],
    /// The pod's container ports.
    pub ports: &'a [ContainerPort],
}

/// The other end of a direction: a pod, a node or an external endpoint.
#[derive(Clone, Copy, Debug)]
pub enum PeerView<'a> {
    /// A pod.
    Pod(PodView<'a>),
    /// A node.
    Node {
        /// The node's labels.
        labels: &'a Labels,
        /// The node's addresses.
        ips: &'a [IpAddr],
    },
    /// An external endpoint.
    External {
        /// Its address.
        ip: IpAddr,
    },
}

impl PeerView<'_> {
    fn ips(&self) -> &[IpAddr] {
        match self {
            PeerView::Pod(p) => p.ips,
            PeerView::Node { ips, .. } => ips,
            PeerView::External { ip } => std::slice::from_ref(ip),
        }
    }
}

/// Whether a subject selects a pod.
pub fn subject_selects(subject: &Subject, pod: &PodView<'_>) -> bool {
    match subject {
        Subject::Namespaces(sel) => sel.matches(pod.namespace_labels),
        Subject::Pods(np) => namespaced_pod_matches(np, pod),
    }
}

fn namespaced_pod_matches(np: &NamespacedPod, pod: &PodView<'_>) -> bool {
    np.namespace_selector.matches(pod.namespace_labels) && np.pod_selector.matches(pod.labels)
}

/// Whether a `from`/`to` item matches the other end of the flow.
pub fn peer_matches(peer: &ClusterPeer, other: &PeerView<'_>) -> bool {
    match (&peer.kind, other) {
        (PeerKind::Namespaces(sel), PeerView::Pod(p)) => sel.matches(p.namespace_labels),
        (PeerKind::Pods(np), PeerView::Pod(p)) => namespaced_pod_matches(np, p),
        (PeerKind::Nodes(sel), PeerView::Node { labels, .. }) => sel.matches(labels),
        (PeerKind::Networks(nets), other) => other
            .ips()
            .iter()
            .any(|ip| nets.iter().any(|n| cidr_contains(&n.cidr, ip))),
        _ => false,
    }
}

/// Whether a port item matches the flow's port; a named port resolves on `dst` (a pod).
pub fn port_matches(port: &PortMatch, pp: PortProto, dst: Option<&PodView<'_>>) -> bool {
    match port {
        PortMatch::Number { protocol, port } => *protocol == pp.protocol && *port == pp.port,
        PortMatch::Range {
            protocol,
            start,
            end,
        } => *protocol == pp.protocol && (*start..=*end).contains(&pp.port),
        PortMatch::Named(name) => dst.is_some_and(|pod| {
            pod.ports.iter().any(|cp| {
                cp.name.as_deref() == Some(name.as_str())
                    && cp.port == pp.port
                    && cp.protocol == pp.protocol
            })
        }),
        PortMatch::Unsupported { .. } => false,
    }
}

/// Whether a rule matches: one of its peers matches `other`, and (when it lists ports) one of
/// its ports matches `pp` on the destination `dst`.
pub fn rule_matches(
    rule: &ClusterRule,
    other: &PeerView<'_>,
    pp: PortProto,
    dst: Option<&PodView<'_>>,
) -> bool {
    rule.peers.iter().any(|p| peer_matches(p, other))
        && rule
            .ports
            .as_ref()
            .is_none_or(|ports| ports.iter().any(|p| port_matches(&p.port, pp, dst)))
}

/// Whether `ip` is inside `c` (same family only).
pub fn cidr_contains(c: &Cidr, ip: &IpAddr) -> bool {
    match (c.addr, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let m = u32::MAX
                .checked_shl(32u32.saturating_sub(u32::from(c.prefix)))
                .unwrap_or(0);
            u32::from(*ip) & m == u32::from(net)
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let m = u128::MAX
                .checked_shl(128u32.saturating_sub(u32::from(c.prefix)))
                .unwrap_or(0);
            u128::from(*ip) & m == u128::from(net)
        }
        _ => false,
    }
}

/// Answers [`FlowMatch`] by evaluating selectors directly: one direction of one flow.
///
/// For `Egress` the subject is the source pod and the destination is `other`; for `Ingress`
/// the subject is the destination pod and `other` is the source.
pub struct Direct<'a> {
    /// Every tiered policy.
    pub policies: &'a [ClusterPolicy],
    /// The direction walked.
    pub dir: PolicyType,
    /// The pod whose direction is walked.
    pub subject: PodView<'a>,
    /// The other end of the flow.
    pub other: PeerView<'a>,
    /// The flow's port.
    pub port: PortProto,
}

impl Direct<'_> {
    /// The destination pod, on which named ports resolve.
    fn dst(&self) -> Option<&PodView<'_>> {
        match (self.dir, &self.other) {
            (PolicyType::Ingress, _) => Some(&self.subject),
            (PolicyType::Egress, PeerView::Pod(p)) => Some(p),
            (PolicyType::Egress, _) => None,
        }
    }
}

impl FlowMatch for Direct<'_> {
    fn selects(&self, policy: usize) -> bool {
        subject_selects(&self.policies[policy].subject, &self.subject)
    }

    fn rule_matches(&self, policy: usize, rule: usize) -> bool {
        let rules = self.policies[policy].rules(self.dir);
        rules
            .get(rule)
            .is_some_and(|r| rule_matches(r, &self.other, self.port, self.dst()))
    }
}
