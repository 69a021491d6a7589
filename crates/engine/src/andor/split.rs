//! Split rules: two adjacent rules of one direction, one with only peers and the next with only
//! ports (or the other way round), that look like one rule cut in two by a stray `-`. The
//! AND/OR view offers their merge; the `split-rule` lint explains them.

use crate::model::{NetworkPolicy, NetworkPolicyPort, PolicyType, PortRef, Protocol, Rule};

enum Half {
    Peers,
    Ports,
}

fn kind(r: &Rule) -> Option<Half> {
    match (r.peers.is_empty(), r.ports.is_empty()) {
        (false, true) => Some(Half::Peers),
        (true, false) => Some(Half::Ports),
        _ => None,
    }
}

/// Whether every port is a DNS port (53, or a port named like `dns`, over UDP or TCP).
fn only_dns(ports: &[NetworkPolicyPort]) -> bool {
    ports.iter().all(|p| {
        matches!(p.protocol, Protocol::Udp | Protocol::Tcp)
            && match &p.port {
                Some(PortRef::Number(n)) => *n == 53 && p.end_port.is_none_or(|e| e == 53),
                Some(PortRef::Named(name)) => name.starts_with("dns"),
                None => false,
            }
    })
}

/// The rules of `policy` that start a split pair: `(direction, i)` where rules `i` and `i + 1`
/// of that direction look like one rule cut in two by a stray `-`. A rule belongs to one pair at
/// most (the first).
pub(crate) fn split_rules(policy: &NetworkPolicy) -> Vec<(PolicyType, usize)> {
    let mut out: Vec<(PolicyType, usize)> = Vec::new();
    for dir in [PolicyType::Ingress, PolicyType::Egress] {
        if !policy.affects(dir) {
            continue;
        }
        let rules = policy.rules(dir);
        for (i, pair) in rules.windows(2).enumerate() {
            if i > 0 && out.last() == Some(&(dir, i - 1)) {
                continue;
            }
            let ports = match (kind(&pair[0]), kind(&pair[1])) {
                (Some(Half::Peers), Some(Half::Ports)) => &pair[1],
                (Some(Half::Ports), Some(Half::Peers)) => &pair[0],
                _ => continue,
            };
            if !only_dns(&ports.ports) {
                out.push((dir, i));
            }
        }
    }
    out
}
