//! Explanations: why a flow is allowed or denied, as plain data, and (in [`render`]) as text.
//!
//! [`crate::Compiled::explain`] computes an [`Explanation`]: per side of the flow, the policies
//! that isolate the pod, the rules that allow the flow ([`RuleMatch`]) or, when none does, every
//! rule and why it did not match ([`RuleMiss`], one [`MissReason`] per failing peer or port).
//! Everything a sentence needs is in the data; [`render`] is the only place that puts it into
//! words, for the CLI, the playground, the exercise checker and the live blocks alike.
//!
//! ```
//! use netpol_engine::explain::render::{self, LineKind};
//! use netpol_engine::explain::{MissReason, PeerMiss};
//! use netpol_engine::{compile, parse, Input, PortProto};
//!
//! let cluster = "namespaces:\n  app:\n    pods: {web: app=web, db: app=db, batch: app=batch}\n";
//! let policies = "\
//! apiVersion: networking.k8s.io/v1
//! kind: NetworkPolicy
//! metadata: {name: db-from-web, namespace: app}
//! spec:
//!   podSelector: {matchLabels: {app: db}}
//!   ingress:
//!   - from: [{podSelector: {matchLabels: {app: web}}}]
//! ";
//! let (model, _) = parse(&[
//!     Input { name: "cluster.yaml", text: cluster },
//!     Input { name: "policies.yaml", text: policies },
//! ]);
//! let index = compile(model);
//! let (batch, db) = (index.endpoint("app/batch").unwrap(), index.endpoint("app/db").unwrap());
//! let why = index.explain(batch, db, PortProto::parse("5432/TCP").unwrap());
//!
//! // The data: the destination's ingress denies, because from[0]'s podSelector fails.
//! let ingress = why.ingress.as_ref().unwrap();
//! assert!(!ingress.allowed);
//! assert!(matches!(
//!     &ingress.misses[0].reasons[0],
//!     MissReason::Peer { index: 0, why: PeerMiss::PodSelector { .. }, .. }
//! ));
//!
//! // The words.
//! assert_eq!(why.to_text(), "\
//! app/batch → app/db on 5432/TCP is DENIED by the destination's ingress.
//! Egress: no policy selects app/batch for Egress, so it is not isolated and all egress traffic is allowed.
//! Ingress: app/db is isolated for Ingress by policy (app/db-from-web).
//!   ✗ app/db-from-web ingress[0] does not match: from[0]: podSelector app=web does not match app/batch: it requires app=web, has app=batch.
//!   No ingress rule allows it.
//! ");
//! let lines = render::lines(&why);
//! assert_eq!(lines[3].kind, LineKind::Miss(0));
//! assert_eq!(lines[3].spans.len(), 3); // The policy, ingress[0] and from[0].
//! ```

mod json;
pub mod render;

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::ids::{ClusterPolicyId, PolicyId};
use crate::model::{
    Action, ClusterPeer, ClusterPort, LabelSelector, NetworkPolicyPeer, NetworkPolicyPort,
    PolicyType, PortProto, Protocol, Span, Tier,
};
pub use crate::selector::{SelectorMismatch, UnmetRequirement};
use crate::tiered::NpVerdict;

/// The verdict on one flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The flow is allowed.
    Allowed,
    /// The flow is denied.
    Denied,
    /// Neither endpoint is a pod (externals, nodes): no policy has anything to say.
    NotApplicable,
}

/// A reference to a policy, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    /// `namespace/name`.
    pub id: String,
    /// The policy's place in `Model::policies`.
    pub index: PolicyId,
    /// Where the policy is written.
    pub span: Span,
}

/// A (policy, rule, peer, port) combination that allowed one side of a flow.
///
/// Serialized flat, as before this type carried data: `peer`, `peer_span`, `port` and `port_span`
/// are the items' indices and spans, `sentence` is [`render::rule_match`]; then the new fields
/// `direction`, `endpoint`, `peer_item`, `port_item` and `flow_port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMatch {
    /// The policy the rule belongs to.
    pub policy: PolicyRef,
    /// The side the rule belongs to: an `ingress` or an `egress` rule.
    pub direction: PolicyType,
    /// 0-based index into the policy's `ingress` or `egress`.
    pub rule: usize,
    /// Where the rule is written.
    pub rule_span: Span,
    /// The `from`/`to` item that selected `endpoint`; `None` when the rule has no peers (it
    /// matches everyone).
    pub peer: Option<Indexed<NetworkPolicyPeer>>,
    /// The endpoint the rule had to select: the source for ingress, the destination for egress.
    pub endpoint: String,
    /// The `ports` item that matched; `None` when the rule has no ports (it matches every port).
    pub port: Option<Indexed<NetworkPolicyPort>>,
    /// The flow's port and protocol.
    pub flow_port: PortProto,
}

/// An item of a list in a rule (`from`/`to` or `ports`) and its 0-based index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Indexed<T> {
    /// The item's 0-based index in its list.
    pub index: usize,
    /// The item.
    pub item: T,
}

/// Why one rule of an isolating policy did not match.
///
/// Serialized with `reasons` as sentences (see [`render::miss_reason`]), e.g. `from[0]: podSelector
/// app=web does not match app/batch: it requires app=web, has app=batch`, and the data of every
/// reason in `reason_details`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleMiss {
    /// The policy the rule belongs to.
    pub policy: PolicyRef,
    /// The side the rule belongs to: an `ingress` or an `egress` rule.
    pub direction: PolicyType,
    /// 0-based index into the policy's `ingress` or `egress`.
    pub rule: usize,
    /// Where the rule is written.
    pub rule_span: Span,
    /// One reason per peer or port that failed: every peer when no peer selects the other
    /// endpoint, then every port when no port matches the flow's port.
    pub reasons: Vec<MissReason>,
}

/// Why one item of a rule did not match the flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "item", rename_all = "snake_case")]
pub enum MissReason {
    /// Item `index` of the rule's `from`/`to` does not select the other endpoint.
    Peer {
        /// The item's 0-based index in `from`/`to`.
        index: usize,
        /// Where the item is written.
        span: Span,
        /// Why the item does not select the endpoint.
        why: PeerMiss,
    },
    /// Item `index` of the rule's `ports` does not match the flow's port.
    Port {
        /// The item's 0-based index in `ports`.
        index: usize,
        /// Where the item is written.
        span: Span,
        /// Why the item does not match the port.
        why: PortMiss,
    },
}

/// Why a `NetworkPolicyPeer` (an item of `from`/`to`) does not select an endpoint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PeerMiss {
    /// An `ipBlock` needs an address, and the endpoint has none.
    IpBlockNoAddress {
        /// The `ipBlock`'s CIDR as written.
        cidr: String,
        /// The endpoint's name.
        endpoint: String,
    },
    /// The `ipBlock` contains the endpoint, but one of its `except` CIDRs does too.
    IpBlockExcept {
        /// The `ipBlock`'s CIDR as written.
        cidr: String,
        /// The `except` CIDR that contains the endpoint, as written.
        except: String,
        /// The endpoint's name.
        endpoint: String,
        /// The endpoint's addresses.
        ips: Vec<IpAddr>,
    },
    /// The `ipBlock`'s CIDR does not contain any address of the endpoint.
    IpBlockOutside {
        /// The `ipBlock`'s CIDR as written.
        cidr: String,
        /// The endpoint's name.
        endpoint: String,
        /// The endpoint's addresses.
        ips: Vec<IpAddr>,
    },
    /// Selectors select pods only, and the endpoint is external.
    NotAPod {
        /// The external endpoint's name.
        endpoint: String,
    },
    /// Selectors select pods only, and the endpoint is a node.
    NodeNotAPod {
        /// The node's name.
        endpoint: String,
    },
    /// A `podSelector` without `namespaceSelector` selects pods of the policy's own namespace
    /// only, and the endpoint is in another namespace.
    OutsidePolicyNamespace {
        /// The item's `podSelector`, if any.
        pod_selector: Option<LabelSelector>,
        /// The namespace of the policy.
        policy_namespace: String,
        /// The pod's `namespace/name`.
        endpoint: String,
        /// The pod's namespace.
        namespace: String,
    },
    /// The `namespaceSelector` does not select the endpoint's namespace.
    NamespaceSelector {
        /// The item's `namespaceSelector`.
        selector: LabelSelector,
        /// The namespace it does not select.
        namespace: String,
        /// The first requirement the namespace's labels do not meet.
        mismatch: SelectorMismatch,
    },
    /// The `podSelector` does not select the pod. `with_namespace_selector`: the item also has a
    /// `namespaceSelector` (which matched), and both must match.
    PodSelector {
        /// The item's `podSelector`.
        selector: LabelSelector,
        /// The pod's `namespace/name`.
        endpoint: String,
        /// The first requirement the pod's labels do not meet.
        mismatch: SelectorMismatch,
        /// Whether the item also has a `namespaceSelector`.
        with_namespace_selector: bool,
    },
}

/// Why a `NetworkPolicyPort` (an item of `ports`) does not match the flow's port.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PortMiss {
    /// The item is for another protocol than the flow's.
    Protocol {
        /// The item.
        port: NetworkPolicyPort,
        /// The flow's protocol.
        flow: Protocol,
    },
    /// The item's number or range does not include the flow's port.
    Number {
        /// The item.
        port: NetworkPolicyPort,
        /// The flow's port number.
        flow: u16,
    },
    /// A named port resolves on the destination pod, and the destination is not a pod.
    NamedPortNotAPod {
        /// The port name.
        name: String,
        /// The destination's name.
        endpoint: String,
    },
    /// The destination pod defines no port of this name for the flow's protocol.
    NamedPortUndefined {
        /// The port name.
        name: String,
        /// The flow's protocol.
        protocol: Protocol,
        /// The destination pod's `namespace/name`.
        endpoint: String,
    },
    /// On the destination pod the named port is another number (`numbers`) than the flow's.
    NamedPortOtherNumber {
        /// The port name.
        name: String,
        /// The flow's protocol.
        protocol: Protocol,
        /// The destination pod's `namespace/name`.
        endpoint: String,
        /// The numbers the name resolves to on the destination pod.
        numbers: Vec<u16>,
        /// The flow's port number.
        flow: u16,
    },
}

/// One direction of a flow: the source's egress or the destination's ingress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideExplanation {
    /// The direction: `Egress` for the source's side, `Ingress` for the destination's.
    pub direction: PolicyType,
    /// The pod whose policies decide this side (`ns/pod`).
    pub pod: String,
    /// The policies that select the pod for this direction. Empty: not isolated, so allowed.
    pub isolated_by: Vec<PolicyRef>,
    /// Whether this side allows the flow.
    pub allowed: bool,
    /// Every rule that allowed this side.
    pub allowed_by: Vec<RuleMatch>,
    /// For a denied side: every rule of the isolating policies and why it did not match.
    pub misses: Vec<RuleMiss>,
    /// Isolating policies that have no rules in this direction at all.
    pub without_rules: Vec<PolicyRef>,
    /// The tier walk, when the model has tiered policies (AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy, ClusterNetworkPolicy). `allowed` is then its verdict, and
    /// the fields above are what NetworkPolicy says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tiers: Option<TierWalk>,
}

impl SideExplanation {
    /// What the NetworkPolicies that select the pod say: allowed when none isolates it.
    pub fn network_policy_allows(&self) -> bool {
        self.isolated_by.is_empty() || !self.allowed_by.is_empty()
    }

    /// The tier that decided this side: NetworkPolicy when the model has no tiered policies and
    /// a NetworkPolicy isolates the pod, else the default.
    pub fn decided_by(&self) -> DecidingTier {
        match &self.tiers {
            Some(t) => t.decided_by,
            None if self.isolated_by.is_empty() => DecidingTier::Default,
            None => DecidingTier::NetworkPolicy,
        }
    }

    /// The index in `misses` of the rule that came closest to allowing the flow: the one with
    /// the fewest reasons not to match (the first of equals). `None` when no rule missed.
    /// Exercise goal reasons and the Why? panel single out this rule.
    pub fn closest_miss(&self) -> Option<usize> {
        (0..self.misses.len()).min_by_key(|&i| self.misses[i].reasons.len())
    }
}

/// A tiered policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy) as
/// explanations name it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieredPolicyRef {
    /// `Kind/name`.
    pub id: String,
    /// The policy's place in `Model::cluster_policies`.
    pub index: ClusterPolicyId,
    /// The policy's tier.
    pub tier: Tier,
    /// `spec.priority`; `None` for the BaselineAdminNetworkPolicy.
    pub priority: Option<u32>,
    /// Where the policy is written.
    pub span: Span,
}

/// The tiered rule that matched one direction of a flow first in its tier: it decided the
/// direction (`Allow`/`Accept`, `Deny`) or passed it on (`Pass`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierRuleMatch {
    /// The policy the rule belongs to.
    pub policy: TieredPolicyRef,
    /// The side the rule belongs to: an `ingress` or an `egress` rule.
    pub direction: PolicyType,
    /// 0-based index into the policy's `ingress` or `egress`.
    pub rule: usize,
    /// The rule's `name`, when written.
    pub name: Option<String>,
    /// Where the rule is written.
    pub rule_span: Span,
    /// The rule's action.
    pub action: Action,
    /// The action as the policy's kind writes it: `Allow` (v1alpha1) or `Accept` (v1alpha2),
    /// `Deny`, `Pass`.
    pub action_word: &'static str,
    /// The `from`/`to` item that matched `endpoint`.
    pub peer: Indexed<ClusterPeer>,
    /// The endpoint the rule had to match: the source for ingress, the destination for egress.
    pub endpoint: String,
    /// The item of `ports_field` that matched; `None` when the rule lists no ports.
    pub port: Option<Indexed<ClusterPort>>,
    /// `ports` (v1alpha1) or `protocols` (v1alpha2).
    pub ports_field: &'static str,
    /// The flow's port and protocol.
    pub flow_port: PortProto,
}

/// Which tier decided one direction of a flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DecidingTier {
    /// An AdminNetworkPolicy or an Admin ClusterNetworkPolicy decided.
    Admin,
    /// A NetworkPolicy decided.
    NetworkPolicy,
    /// A BaselineAdminNetworkPolicy or a Baseline ClusterNetworkPolicy decided.
    Baseline,
    /// No tier decided: Kubernetes allows.
    Default,
}

/// A policy of the same tier and priority as the one that decided, whose rules also match the
/// flow with another action. The API leaves their order undefined; the playground runs them by
/// `metadata.name`, then kind, and a cluster may pick either.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TiedPolicy {
    /// The tied policy.
    pub policy: TieredPolicyRef,
    /// Its first rule that matches the flow, and that rule's action as written.
    pub rule: usize,
    /// The action of that rule as the policy's kind writes it.
    pub action_word: &'static str,
}

/// The equal-priority policies behind a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TieBreak {
    /// The tier of the tied policies.
    pub tier: Tier,
    /// Their priority.
    pub priority: u32,
    /// The policy the playground ran first, whose rule decided.
    pub chosen: TieredPolicyRef,
    /// The other policies of that tier and priority whose rules also match.
    pub others: Vec<TiedPolicy>,
}

/// The tier walk of one direction of a flow: Admin, then NetworkPolicy, then Baseline, then
/// the default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TierWalk {
    /// The tier that decided, or the default.
    pub decided_by: DecidingTier,
    /// The other end of the flow: the source for ingress, the destination for egress.
    pub endpoint: String,
    /// The flow's port and protocol.
    pub flow_port: PortProto,
    /// The Admin-tier policies whose subject selects the pod, in evaluation order, as far as
    /// the walk went.
    pub admin_policies: Vec<TieredPolicyRef>,
    /// The first Admin rule that matched: it decided, or it passed (`Pass`).
    pub admin_rule: Option<TierRuleMatch>,
    /// What NetworkPolicy said, when it was consulted (no Admin rule decided).
    pub network_policy: Option<NpVerdict>,
    /// The Baseline-tier policies whose subject selects the pod, as far as the walk went; empty
    /// when the Baseline tier was not consulted.
    pub baseline_policies: Vec<TieredPolicyRef>,
    /// The first Baseline rule that matched: it decided, or it passed to the default (`Pass`).
    pub baseline_rule: Option<TierRuleMatch>,
    /// When the deciding (or passing) policy shares its priority with another policy of its tier
    /// that matches the flow with another action.
    pub tie: Option<TieBreak>,
}

/// The explanation of one flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    /// The source's name.
    pub from: String,
    /// The destination's name.
    pub to: String,
    /// The port and protocol of the flow.
    pub port: PortProto,
    /// Whether the flow is allowed.
    pub verdict: Verdict,
    /// True when the source and destination are the same pod (always allowed).
    pub self_flow: bool,
    /// The source's egress side; `None` when the source is not a pod.
    pub egress: Option<SideExplanation>,
    /// The destination's ingress side; `None` when the destination is not a pod.
    pub ingress: Option<SideExplanation>,
    /// The source is a node (`kind: Node`) rather than an external endpoint.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub from_node: bool,
    /// The destination is a node.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub to_node: bool,
}

impl Explanation {
    /// Whether the flow is allowed.
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }

    /// The sides that are present, the source's egress first.
    pub fn sides(&self) -> impl Iterator<Item = &SideExplanation> {
        [&self.egress, &self.ingress].into_iter().flatten()
    }

    /// Every place in the input responsible for the verdict (policies, rules, peers, ports).
    pub fn spans(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for side in self.sides() {
            if let Some(t) = &side.tiers {
                for m in t.admin_rule.iter().chain(&t.baseline_rule) {
                    out.extend([m.policy.span, m.rule_span, m.peer.item.span]);
                    out.extend(m.port.as_ref().map(|p| p.item.span));
                }
                if t.decided_by != DecidingTier::NetworkPolicy {
                    continue;
                }
            }
            for m in &side.allowed_by {
                out.push(m.policy.span);
                out.push(m.rule_span);
                out.extend(m.peer.as_ref().map(|p| p.item.span));
                out.extend(m.port.as_ref().map(|p| p.item.span));
            }
            if side.allowed_by.is_empty() {
                out.extend(side.isolated_by.iter().map(|p| p.span));
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A denied ingress side whose rules miss for `reasons[i]` reasons each.
    fn side(reasons: &[usize]) -> SideExplanation {
        let policy = PolicyRef {
            id: "app/db".to_string(),
            index: PolicyId(0),
            span: Span::default(),
        };
        let miss = |rule: usize, n: usize| RuleMiss {
            policy: policy.clone(),
            direction: PolicyType::Ingress,
            rule,
            rule_span: Span::default(),
            reasons: (0..n)
                .map(|index| MissReason::Port {
                    index,
                    span: Span::default(),
                    why: PortMiss::Number {
                        port: NetworkPolicyPort {
                            protocol: Protocol::Tcp,
                            port: Some(crate::model::PortRef::Number(80)),
                            end_port: None,
                            span: Span::default(),
                        },
                        flow: 443,
                    },
                })
                .collect(),
        };
        SideExplanation {
            direction: PolicyType::Ingress,
            pod: "app/db".to_string(),
            isolated_by: vec![policy.clone()],
            allowed: false,
            allowed_by: Vec::new(),
            misses: reasons
                .iter()
                .enumerate()
                .map(|(i, &n)| miss(i, n))
                .collect(),
            without_rules: Vec::new(),
            tiers: None,
        }
    }

    #[test]
    fn the_closest_miss_has_the_fewest_reasons_and_is_the_first_of_equals() {
        let cases: &[(&[usize], Option<usize>)] = &[
            (&[], None),
            (&[3], Some(0)),
            (&[2, 1, 1], Some(1)),
            (&[1, 2, 1], Some(0)),
            (&[4, 2, 3], Some(1)),
        ];
        for &(reasons, expect) in cases {
            assert_eq!(side(reasons).closest_miss(), expect, "{reasons:?}");
        }
    }
}
