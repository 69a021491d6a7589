//! The tiered policies in the compiled index, and the tier walk over bitsets.
//!
//! [`Compiled::compile_tiered`] evaluates every subject and every `from`/`to` item once: per
//! policy the pods its subject selects, per rule the endpoints its peers select. A row of the
//! matrix (one pod, one direction, one port) is then the walk of `crate::tiered::decide` done for
//! every other endpoint at once: the Admin policies that select the pod in evaluation order, each
//! rule taking the cells it matches that are still open (the first match decides), then the
//! NetworkPolicy verdict on what is left when a NetworkPolicy isolates the pod, else the Baseline
//! walk, then the default allow. That costs O(rules × endpoints / 64) per row.

use std::borrow::Cow;

use super::compiled::{dir_index, resolves, Compiled, EndpointKind, TieredIndex};
use super::Bits;
use crate::explain::{
    DecidingTier, Indexed, SideExplanation, TieBreak, TiedPolicy, TierRuleMatch, TierWalk,
    TieredPolicyRef,
};
use crate::ids::ClusterPolicyId;
use crate::model::{
    Action, ClusterPolicyKind, ClusterRule, Labels, Pod, PolicyType, PortMatch, PortProto, Tier,
};
use crate::tiered::{
    decide, peer_matches, port_matches, DecidedBy, FlowMatch, NpVerdict, PeerView, PodView,
    RuleRef, TierOrder,
};

/// Whether a tiered rule's ports match `pp`, named ports resolved on the destination `dst`.
pub(crate) fn rule_ports_match(rule: &ClusterRule, pp: PortProto, dst: Option<&Pod>) -> bool {
    rule.ports.as_ref().is_none_or(|ports| {
        ports.iter().any(|p| match &p.port {
            PortMatch::Named(name) => dst.is_some_and(|pod| resolves(pod, name, pp)),
            other => port_matches(other, pp, None),
        })
    })
}

impl Compiled {
    /// The labels of the namespace of endpoint `e` (empty for a non-pod).
    fn endpoint_namespace_labels(&self, e: usize) -> Cow<'_, Labels> {
        match self.pod(e) {
            Some(p) => self.namespace_labels(&p.namespace),
            None => Cow::Owned(Labels::new()),
        }
    }

    /// Endpoint `e` as the tier walk sees it; `ns` are its namespace's labels.
    pub(super) fn peer_view<'a>(&'a self, e: usize, ns: &'a Labels) -> PeerView<'a> {
        match self.endpoints[e].kind {
            EndpointKind::Pod { pod } => {
                let p = &self.model.pods[pod];
                PeerView::Pod(PodView {
                    labels: &p.labels,
                    namespace_labels: ns,
                    ips: &p.ips,
                    ports: &p.ports,
                })
            }
            EndpointKind::Node { node } => {
                let n = &self.model.nodes[node];
                PeerView::Node {
                    labels: &n.labels,
                    ips: &n.ips,
                }
            }
            EndpointKind::External { external } => PeerView::External {
                ip: self.model.externals[external].ip,
            },
        }
    }

    /// Evaluates every subject and every peer of the tiered policies once.
    pub(super) fn compile_tiered(&self) -> TieredIndex {
        let policies = &self.model.cluster_policies;
        if policies.is_empty() {
            return TieredIndex::default();
        }
        let n = self.endpoints.len();
        let ns: Vec<Cow<'_, Labels>> = (0..n).map(|e| self.endpoint_namespace_labels(e)).collect();
        let views: Vec<PeerView<'_>> = (0..n).map(|e| self.peer_view(e, &ns[e])).collect();
        let mut index = TieredIndex {
            order: TierOrder::new(policies),
            ..TieredIndex::default()
        };
        for policy in policies {
            let mut subject = Bits::empty(n);
            for (e, view) in views.iter().enumerate() {
                if let PeerView::Pod(pod) = view {
                    if crate::tiered::subject_selects(&policy.subject, pod) {
                        subject.set(e);
                    }
                }
            }
            index.subjects.push(subject);
            let peers = |rules: &[ClusterRule]| -> Vec<Bits> {
                rules
                    .iter()
                    .map(|rule| {
                        let mut b = Bits::empty(n);
                        for (e, view) in views.iter().enumerate() {
                            if rule.peers.iter().any(|p| peer_matches(p, view)) {
                                b.set(e);
                            }
                        }
                        b
                    })
                    .collect()
            };
            index
                .peers
                .push([peers(&policy.ingress), peers(&policy.egress)]);
        }
        index.selecting = (0..n)
            .map(|e| {
                let of = |order: &[usize]| -> Vec<usize> {
                    order
                        .iter()
                        .copied()
                        .filter(|&p| index.subjects[p].get(e))
                        .collect()
                };
                [of(&index.order.admin), of(&index.order.baseline)]
            })
            .collect();
        index
    }

    /// The evaluation order of the tiered policies.
    pub(crate) fn tier_order(&self) -> &TierOrder {
        &self.tiered.order
    }

    /// Whether tiered policy `policy`'s subject selects endpoint `e`.
    pub(crate) fn tiered_subject_selects(&self, policy: usize, e: usize) -> bool {
        self.tiered.subjects.get(policy).is_some_and(|s| s.get(e))
    }

    /// Whether any tiered policy selects endpoint `e`.
    pub(crate) fn tiered_selects_any(&self, e: usize) -> bool {
        self.tiered.selects_any(e)
    }

    /// The cells among `open` that rule `rule` (direction `dir`) of tiered policy `policy`
    /// matches, for pod `e`'s side on `pp`.
    pub(crate) fn tiered_rule_cells(
        &self,
        policy: usize,
        dir: PolicyType,
        rule: usize,
        e: usize,
        pp: PortProto,
        open: &Bits,
    ) -> Bits {
        let r = &self.model.cluster_policies[policy].rules(dir)[rule];
        let mut cells = self.tiered.peers[policy][dir_index(dir)][rule].clone();
        cells.intersect_with(open);
        let Some(ports) = &r.ports else {
            return cells;
        };
        if ports.iter().any(|p| port_matches(&p.port, pp, None)) {
            return cells;
        }
        match dir {
            // Named ports resolve on the destination: the pod itself for ingress.
            PolicyType::Ingress => {
                if !rule_ports_match(r, pp, self.pod(e)) {
                    return Bits::empty(self.endpoints.len());
                }
            }
            PolicyType::Egress => {
                let members: Vec<usize> = cells.ones().collect();
                for d in members {
                    if !rule_ports_match(r, pp, self.pod(d)) {
                        cells.unset(d);
                    }
                }
            }
        }
        cells
    }

    /// The tier walk of pod `e`'s side in `dir` on `pp`, for every other endpoint at once: the
    /// set of peers the side allows. `np` is the NetworkPolicy side set of `e` when a
    /// NetworkPolicy isolates it in `dir`. `hit(tier, rule, cells)` hears which cells each
    /// tiered rule took (decided or passed), for the lints.
    pub(crate) fn tier_walk(
        &self,
        e: usize,
        dir: PolicyType,
        pp: PortProto,
        np: Option<&Bits>,
        mut hit: impl FnMut(Tier, (usize, usize), &Bits),
    ) -> Bits {
        let n = self.endpoints.len();
        let mut allowed = Bits::empty(n);
        let mut open = Bits::full(n);
        let mut passed = Bits::empty(n);
        self.walk_tier(e, dir, pp, Tier::Admin, &mut open, |r, cells, action| {
            match action {
                Action::Accept => allowed.union_with(cells),
                Action::Deny => {}
                Action::Pass => passed.union_with(cells),
            }
            hit(Tier::Admin, r, cells);
        });
        open.union_with(&passed);
        if let Some(np) = np {
            // NetworkPolicy's verdict is final for the pods it isolates.
            open.intersect_with(np);
            allowed.union_with(&open);
            return allowed;
        }
        self.walk_tier(e, dir, pp, Tier::Baseline, &mut open, |r, cells, action| {
            // A Baseline Pass skips the rest of the Baseline tier: the default allows.
            if action != Action::Deny {
                allowed.union_with(cells);
            }
            hit(Tier::Baseline, r, cells);
        });
        allowed.union_with(&open);
        allowed
    }

    /// Walks the policies of `tier` that select `e`: each rule takes the cells of `open` it
    /// matches (removing them) and reports them with its action.
    fn walk_tier(
        &self,
        e: usize,
        dir: PolicyType,
        pp: PortProto,
        tier: Tier,
        open: &mut Bits,
        mut take: impl FnMut((usize, usize), &Bits, Action),
    ) {
        for &p in self.tiered.selecting(e, tier) {
            for (r, rule) in self.model.cluster_policies[p].rules(dir).iter().enumerate() {
                if open.is_empty() {
                    return;
                }
                let cells = self.tiered_rule_cells(p, dir, r, e, pp, open);
                if cells.is_empty() {
                    continue;
                }
                open.remove_all(&cells);
                take((p, r), &cells, rule.action);
            }
        }
    }

    /// One direction of one flow, for `crate::tiered::decide`: `me` is the pod whose side it is,
    /// `other` the other endpoint.
    pub(super) fn flow_match(
        &self,
        dir: PolicyType,
        me: usize,
        other: usize,
        pp: PortProto,
    ) -> CompiledFlow<'_> {
        CompiledFlow {
            c: self,
            dir,
            me,
            other,
            pp,
        }
    }
}

/// Answers the tier walk's questions about one direction of one flow from the compiled bitsets.
pub(super) struct CompiledFlow<'c> {
    c: &'c Compiled,
    dir: PolicyType,
    me: usize,
    other: usize,
    pp: PortProto,
}

impl CompiledFlow<'_> {
    /// The destination of the flow, on which named ports resolve.
    pub fn dst(&self) -> usize {
        match self.dir {
            PolicyType::Ingress => self.me,
            PolicyType::Egress => self.other,
        }
    }
}

impl FlowMatch for CompiledFlow<'_> {
    fn selects(&self, policy: usize) -> bool {
        self.c.tiered.subjects[policy].get(self.me)
    }

    fn rule_matches(&self, policy: usize, rule: usize) -> bool {
        let di = dir_index(self.dir);
        let Some(peers) = self.c.tiered.peers[policy][di].get(rule) else {
            return false;
        };
        let r = &self.c.model.cluster_policies[policy].rules(self.dir)[rule];
        peers.get(self.other) && rule_ports_match(r, self.pp, self.c.pod(self.dst()))
    }
}

impl Compiled {
    fn tiered_policy_ref(&self, p: usize) -> TieredPolicyRef {
        let policy = &self.model.cluster_policies[p];
        TieredPolicyRef {
            id: policy.id(),
            index: ClusterPolicyId(p),
            tier: policy.tier,
            priority: policy.priority,
            span: policy.span,
        }
    }

    /// Rule `r` of direction `dir`, matched for `m`'s flow, with the items that matched.
    fn tier_rule_match(&self, m: &CompiledFlow<'_>, r: RuleRef) -> TierRuleMatch {
        let policy = &self.model.cluster_policies[r.policy];
        let rule = &policy.rules(m.dir)[r.rule];
        let ns = self.endpoint_namespace_labels(m.other);
        let other = self.peer_view(m.other, &ns);
        let peer = rule
            .peers
            .iter()
            .position(|p| peer_matches(p, &other))
            .unwrap_or(0);
        let dst = self.pod(m.dst());
        let port = rule.ports.as_ref().and_then(|ports| {
            let index = ports.iter().position(|p| match &p.port {
                PortMatch::Named(name) => dst.is_some_and(|pod| resolves(pod, name, m.pp)),
                other => port_matches(other, m.pp, None),
            })?;
            Some(Indexed {
                index,
                item: ports[index].clone(),
            })
        });
        TierRuleMatch {
            policy: self.tiered_policy_ref(r.policy),
            direction: m.dir,
            rule: r.rule,
            name: rule.name.clone(),
            rule_span: rule.span,
            action: rule.action,
            action_word: rule.action.written(policy.kind),
            peer: Indexed {
                index: peer,
                item: rule.peers[peer].clone(),
            },
            endpoint: self.endpoints[m.other].name.clone(),
            port,
            ports_field: match policy.kind {
                ClusterPolicyKind::ClusterNetworkPolicy => "protocols",
                _ => "ports",
            },
            flow_port: m.pp,
        }
    }

    /// The other policies of `r`'s tier and priority that select the pod and whose first
    /// matching rule takes another action than `r`.
    fn tie_break(&self, m: &CompiledFlow<'_>, r: RuleRef) -> Option<TieBreak> {
        let policies = &self.model.cluster_policies;
        let chosen = &policies[r.policy];
        let priority = chosen.priority?;
        let others: Vec<TiedPolicy> = self
            .tiered
            .order
            .tier(chosen.tier)
            .iter()
            .copied()
            .filter(|&q| q != r.policy && policies[q].priority == Some(priority) && m.selects(q))
            .filter_map(|q| {
                let rules = policies[q].rules(m.dir);
                let rule = (0..rules.len()).find(|&ri| m.rule_matches(q, ri))?;
                (rules[rule].action != r.action).then(|| TiedPolicy {
                    policy: self.tiered_policy_ref(q),
                    rule,
                    action_word: rules[rule].action.written(policies[q].kind),
                })
            })
            .collect();
        (!others.is_empty()).then(|| TieBreak {
            tier: chosen.tier,
            priority,
            chosen: self.tiered_policy_ref(r.policy),
            others,
        })
    }

    /// The tier walk of pod `me`'s side in `dir` for the flow with `other` on `pp`, given what
    /// NetworkPolicy says (`side`): the side's verdict and the walk as data.
    pub(super) fn explain_tiers(
        &self,
        dir: PolicyType,
        me: usize,
        other: usize,
        pp: PortProto,
        side: &SideExplanation,
    ) -> (bool, TierWalk) {
        let policies = &self.model.cluster_policies;
        let np = match (side.isolated_by.is_empty(), side.allowed_by.is_empty()) {
            (true, _) => NpVerdict::NotSelected,
            (false, false) => NpVerdict::Allowed,
            (false, true) => NpVerdict::Denied,
        };
        let m = self.flow_match(dir, me, other, pp);
        let d = decide(policies, &self.tiered.order, dir, &m, np);
        let refs = |tier: Tier| -> Vec<TieredPolicyRef> {
            d.walked
                .iter()
                .filter(|&&p| policies[p].tier == tier)
                .map(|&p| self.tiered_policy_ref(p))
                .collect()
        };
        let (admin, baseline) = match d.decided_by {
            DecidedBy::Admin(r) => (Some(r), None),
            DecidedBy::Baseline(r) => (d.admin_pass, Some(r)),
            DecidedBy::NetworkPolicy | DecidedBy::Default => (d.admin_pass, d.baseline_pass),
        };
        let tie = baseline
            .and_then(|r| self.tie_break(&m, r))
            .or_else(|| admin.and_then(|r| self.tie_break(&m, r)));
        let walk = TierWalk {
            decided_by: match d.decided_by {
                DecidedBy::Admin(_) => DecidingTier::Admin,
                DecidedBy::NetworkPolicy => DecidingTier::NetworkPolicy,
                DecidedBy::Baseline(_) => DecidingTier::Baseline,
                DecidedBy::Default => DecidingTier::Default,
            },
            endpoint: self.endpoints[other].name.clone(),
            flow_port: pp,
            admin_policies: refs(Tier::Admin),
            admin_rule: admin.map(|r| self.tier_rule_match(&m, r)),
            network_policy: (!matches!(d.decided_by, DecidedBy::Admin(_))).then_some(np),
            baseline_policies: refs(Tier::Baseline),
            baseline_rule: baseline.map(|r| self.tier_rule_match(&m, r)),
            tie,
        };
        (d.allowed, walk)
    }
}
