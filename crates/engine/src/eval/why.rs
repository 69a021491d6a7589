//! The evaluation of one flow with its reasons: which rules allow it, and for every rule that
//! does not, why not (as data; `crate::explain::render` words it).

use super::compiled::{dir_index, port_matches, Compiled};
use crate::explain::{
    Explanation, Indexed, MissReason, PolicyRef, PortMiss, RuleMatch, RuleMiss, SideExplanation,
    Verdict,
};
use crate::ids::{EndpointId, PolicyId};
use crate::model::{NetworkPolicyPort, Pod, PolicyType, PortProto, PortRef};

impl Compiled {
    /// Why the flow `from` → `to` on `pp` is allowed or denied.
    pub fn explain(&self, from: EndpointId, to: EndpointId, pp: PortProto) -> Explanation {
        let (from, to) = (from.index(), to.index());
        let (src, dst) = (&self.endpoints[from], &self.endpoints[to]);
        let mut ex = Explanation {
            from: src.name.clone(),
            to: dst.name.clone(),
            port: pp,
            verdict: Verdict::Denied,
            self_flow: from == to && src.is_pod(),
            egress: None,
            ingress: None,
            from_node: src.is_node(),
            to_node: dst.is_node(),
        };
        if !src.is_pod() && !dst.is_pod() {
            ex.verdict = Verdict::NotApplicable;
            return ex;
        }
        if ex.self_flow {
            ex.verdict = Verdict::Allowed;
            return ex;
        }
        ex.egress = src
            .is_pod()
            .then(|| self.explain_side(from, to, pp, PolicyType::Egress));
        ex.ingress = dst
            .is_pod()
            .then(|| self.explain_side(from, to, pp, PolicyType::Ingress));
        let ok = |s: &Option<SideExplanation>| s.as_ref().is_none_or(|s| s.allowed);
        ex.verdict = if ok(&ex.egress) && ok(&ex.ingress) {
            Verdict::Allowed
        } else {
            Verdict::Denied
        };
        ex
    }

    fn policy_ref(&self, pi: usize) -> PolicyRef {
        let p = &self.model.policies[pi];
        PolicyRef {
            id: p.id(),
            index: PolicyId(pi),
            span: p.span,
        }
    }

    fn explain_side(
        &self,
        from: usize,
        to: usize,
        pp: PortProto,
        dir: PolicyType,
    ) -> SideExplanation {
        // The pod whose policies decide this side, and the peer those policies must select.
        let (me, peer) = match dir {
            PolicyType::Ingress => (to, from),
            PolicyType::Egress => (from, to),
        };
        let di = dir_index(dir);
        let mut side = SideExplanation {
            direction: dir,
            pod: self.endpoints[me].name.clone(),
            isolated_by: self.isolating[me][di]
                .iter()
                .map(|&pi| self.policy_ref(pi))
                .collect(),
            allowed: false,
            allowed_by: Vec::new(),
            misses: Vec::new(),
            without_rules: Vec::new(),
            tiers: None,
        };
        if !side.isolated_by.is_empty() {
            self.explain_network_policies(&mut side, me, peer, pp);
        }
        side.allowed = side.network_policy_allows();
        if !self.model.cluster_policies.is_empty() {
            let walk = self.explain_tiers(dir, me, peer, pp, &side);
            side.allowed = walk.0;
            side.tiers = Some(walk.1);
        }
        side
    }

    /// The rules of the NetworkPolicies that isolate `me`: which allow the flow, and why the
    /// others do not.
    fn explain_network_policies(
        &self,
        side: &mut SideExplanation,
        me: usize,
        peer: usize,
        pp: PortProto,
    ) {
        let dir = side.direction;
        // Named ports resolve on the destination.
        let to = match dir {
            PolicyType::Ingress => me,
            PolicyType::Egress => peer,
        };
        let dst = self.pod(to);
        let di = dir_index(dir);
        for &pi in &self.isolating[me][di] {
            let policy = &self.model.policies[pi];
            let rules = policy.rules(dir);
            if rules.is_empty() {
                side.without_rules.push(self.policy_ref(pi));
                continue;
            }
            for (ri, rule) in rules.iter().enumerate() {
                let peer_hits: Vec<Option<usize>> = if rule.peers.is_empty() {
                    vec![None]
                } else {
                    (0..rule.peers.len())
                        .filter(|&k| self.peer_matches(policy, &rule.peers[k], peer))
                        .map(Some)
                        .collect()
                };
                let port_hits: Vec<Option<usize>> = if rule.ports.is_empty() {
                    vec![None]
                } else {
                    (0..rule.ports.len())
                        .filter(|&k| port_matches(&rule.ports[k], pp, dst))
                        .map(Some)
                        .collect()
                };
                if let (Some(&pk), Some(&tk)) = (peer_hits.first(), port_hits.first()) {
                    side.allowed_by.push(RuleMatch {
                        policy: self.policy_ref(pi),
                        direction: dir,
                        rule: ri,
                        rule_span: rule.span,
                        peer: pk.map(|index| Indexed {
                            index,
                            item: rule.peers[index].clone(),
                        }),
                        endpoint: self.endpoints[peer].name.clone(),
                        port: tk.map(|index| Indexed {
                            index,
                            item: rule.ports[index].clone(),
                        }),
                        flow_port: pp,
                    });
                } else {
                    let mut reasons = Vec::new();
                    if peer_hits.is_empty() {
                        for (index, p) in rule.peers.iter().enumerate() {
                            if let Some(why) = self.peer_mismatch(policy, p, peer) {
                                reasons.push(MissReason::Peer {
                                    index,
                                    span: p.span,
                                    why,
                                });
                            }
                        }
                    }
                    if port_hits.is_empty() {
                        for (index, p) in rule.ports.iter().enumerate() {
                            reasons.push(MissReason::Port {
                                index,
                                span: p.span,
                                why: port_mismatch(p, pp, dst, &self.endpoints[to].name),
                            });
                        }
                    }
                    side.misses.push(RuleMiss {
                        policy: self.policy_ref(pi),
                        direction: dir,
                        rule: ri,
                        rule_span: rule.span,
                        reasons,
                    });
                }
            }
        }
    }
}

/// Why `p`, a port item that does not match `pp`, does not match it.
fn port_mismatch(
    p: &NetworkPolicyPort,
    pp: PortProto,
    dst: Option<&Pod>,
    dst_name: &str,
) -> PortMiss {
    if p.protocol != pp.protocol {
        return PortMiss::Protocol {
            port: p.clone(),
            flow: pp.protocol,
        };
    }
    let Some(PortRef::Named(name)) = &p.port else {
        return PortMiss::Number {
            port: p.clone(),
            flow: pp.port,
        };
    };
    let (name, endpoint) = (name.clone(), dst_name.to_string());
    let Some(pod) = dst else {
        return PortMiss::NamedPortNotAPod { name, endpoint };
    };
    let numbers: Vec<u16> = pod
        .ports
        .iter()
        .filter(|cp| cp.name.as_deref() == Some(name.as_str()) && cp.protocol == pp.protocol)
        .map(|cp| cp.port)
        .collect();
    if numbers.is_empty() {
        PortMiss::NamedPortUndefined {
            name,
            protocol: pp.protocol,
            endpoint,
        }
    } else {
        PortMiss::NamedPortOtherNumber {
            name,
            protocol: pp.protocol,
            endpoint,
            numbers,
            flow: pp.port,
        }
    }
}
