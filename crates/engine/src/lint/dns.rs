//! The DNS trap: egress isolation that leaves a pod no way to the cluster DNS.
//!
//! DNS pods are recognised by the labels of the common deployments (kube-dns and CoreDNS,
//! NodeLocal DNSCache, OpenShift's DNS operator), and the ports they serve DNS on by the
//! container ports' names (`dns`, `dns-tcp`, …) or numbers (53, 5353). A pod counts as able to
//! resolve names over a protocol when the matrix allows it to reach one DNS pod on one of those
//! ports, so egress allowed through named ports counts.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap};

use super::finding::{list, Lint};
use crate::diag::Severity;
use crate::eval::{Compiled, EndpointKind, Matrix};
use crate::model::{
    NetworkPolicy, Pod, PolicyType, PortProto, PortRef, Protocol, NAMESPACE_NAME_LABEL,
};

/// A DNS deployment: its namespace and the label its pods carry.
struct Deployment {
    namespace: &'static str,
    key: &'static str,
    value: &'static str,
}

/// The common DNS deployments, in the order the fix prefers them.
const DEPLOYMENTS: [Deployment; 4] = [
    // kube-dns, and CoreDNS as kubeadm, k3s, RKE2 and the managed clusters install it.
    Deployment {
        namespace: "kube-system",
        key: "k8s-app",
        value: "kube-dns",
    },
    // OpenShift's DNS operator (the dns-default DaemonSet, serving on 5353).
    Deployment {
        namespace: "openshift-dns",
        key: "dns.operator.openshift.io/daemonset-dns",
        value: "default",
    },
    // The CoreDNS Helm chart when it is not the cluster service.
    Deployment {
        namespace: "kube-system",
        key: "k8s-app",
        value: "coredns",
    },
    // NodeLocal DNSCache.
    Deployment {
        namespace: "kube-system",
        key: "k8s-app",
        value: "node-local-dns",
    },
];

/// Container port names DNS servers use.
const DNS_PORT_NAMES: [&str; 7] = [
    "dns", "dns-tcp", "dns-udp", "dnstcp", "dnsudp", "tcp-dns", "udp-dns",
];

/// Ports DNS servers listen on (53, and 5353 behind a Service on OpenShift).
const DNS_PORT_NUMBERS: [u16; 2] = [53, 5353];

/// The protocols a resolver uses: UDP first, TCP for large answers.
const PROTOCOLS: [Protocol; 2] = [Protocol::Udp, Protocol::Tcp];

fn deployment_of(pod: &Pod) -> Option<&'static Deployment> {
    DEPLOYMENTS.iter().find(|d| {
        pod.namespace == d.namespace && pod.labels.get(d.key).map(String::as_str) == Some(d.value)
    })
}

/// The ports `pod` serves DNS on over `protocol`: its DNS container ports of that protocol,
/// else the numbers of its DNS ports of the other protocol, else 53.
fn dns_ports(pod: &Pod, protocol: Protocol) -> Vec<u16> {
    let is_dns = |name: Option<&str>, port: u16| {
        name.is_some_and(|n| DNS_PORT_NAMES.contains(&n)) || DNS_PORT_NUMBERS.contains(&port)
    };
    let ports = |p: Protocol| -> BTreeSet<u16> {
        pod.ports
            .iter()
            .filter(|cp| cp.protocol == p && is_dns(cp.name.as_deref(), cp.port))
            .map(|cp| cp.port)
            .collect()
    };
    let own = ports(protocol);
    if !own.is_empty() {
        return own.into_iter().collect();
    }
    let any: BTreeSet<u16> = PROTOCOLS.iter().flat_map(|&p| ports(p)).collect();
    if any.is_empty() {
        vec![53]
    } else {
        any.into_iter().collect()
    }
}

/// `UDP 53`, `TCP 5353`, `UDP 53/5353`.
fn port_text(protocol: Protocol, ports: &BTreeSet<u16>) -> String {
    let numbers: Vec<String> = ports.iter().map(u16::to_string).collect();
    format!("{protocol} {}", numbers.join("/"))
}

/// Whether an egress rule of `e`'s policies allows `pp` to somewhere outside the known endpoints
/// (a rule with no `to`, or with an ipBlock).
fn rule_allows_any(c: &Compiled, e: usize, pp: PortProto) -> bool {
    c.isolating(e, PolicyType::Egress).iter().any(|&pi| {
        c.model().policies[pi].egress.iter().any(|r| {
            (r.peers.is_empty() || r.peers.iter().any(|p| p.ip_block.is_some()))
                && (r.ports.is_empty()
                    || r.ports.iter().any(|p| {
                        p.protocol == pp.protocol
                            && match &p.port {
                                None => true,
                                Some(PortRef::Number(n)) => {
                                    *n <= pp.port && pp.port <= p.end_port.unwrap_or(*n)
                                }
                                Some(PortRef::Named(_)) => false,
                            }
                    }))
        })
    })
}

/// A DNS pod and the ports it serves DNS on, per protocol (indexed like `PROTOCOLS`).
struct DnsPod {
    endpoint: usize,
    deployment: &'static Deployment,
    ports: [Vec<u16>; 2],
}

/// An egress-isolated pod that cannot resolve names over some protocols (indices into
/// `PROTOCOLS`).
struct Blocked {
    endpoint: usize,
    missing: Vec<usize>,
}

fn dns_pods(c: &Compiled) -> Vec<DnsPod> {
    let m = c.model();
    (0..c.endpoints().len())
        .filter_map(|e| match c.endpoints()[e].kind {
            EndpointKind::Pod { pod } => {
                let pod = &m.pods[pod];
                deployment_of(pod).map(|d| DnsPod {
                    endpoint: e,
                    deployment: d,
                    ports: PROTOCOLS.map(|p| dns_ports(pod, p)),
                })
            }
            EndpointKind::External { .. } | EndpointKind::Node { .. } => None,
        })
        .collect()
}

/// The egress-isolated pods that cannot reach a DNS pod on one of its DNS ports (or, without
/// DNS pods, anything on 53).
fn blocked(c: &Compiled, dns: &[DnsPod]) -> Vec<Blocked> {
    let n = c.endpoints().len();
    // One matrix per port DNS is served on (53 when there is no DNS pod).
    let mut needed: BTreeSet<PortProto> = BTreeSet::new();
    for (i, &protocol) in PROTOCOLS.iter().enumerate() {
        if dns.is_empty() {
            needed.insert(PortProto::new(53, protocol));
        }
        for d in dns {
            needed.extend(
                d.ports[i]
                    .iter()
                    .map(|&port| PortProto::new(port, protocol)),
            );
        }
    }
    let matrices: HashMap<PortProto, Matrix> =
        needed.into_iter().map(|pp| (pp, c.matrix(pp))).collect();
    let mut out = Vec::new();
    for e in 0..n {
        if !c.endpoints()[e].is_pod()
            || dns.iter().any(|d| d.endpoint == e)
            || c.isolating(e, PolicyType::Egress).is_empty()
        {
            continue;
        }
        let missing: Vec<usize> = (0..PROTOCOLS.len())
            .filter(|&i| {
                let protocol = PROTOCOLS[i];
                let reached = if dns.is_empty() {
                    let pp = PortProto::new(53, protocol);
                    let mx = &matrices[&pp];
                    (0..n).any(|d| d != e && mx.allowed_at(e, d)) || rule_allows_any(c, e, pp)
                } else {
                    dns.iter().any(|d| {
                        d.ports[i].iter().any(|&port| {
                            matrices[&PortProto::new(port, protocol)].allowed_at(e, d.endpoint)
                        })
                    })
                };
                !reached
            })
            .collect();
        if !missing.is_empty() {
            out.push(Blocked {
                endpoint: e,
                missing,
            });
        }
    }
    out
}

/// One lint per policy: every egress-isolated pod that cannot reach the cluster DNS is named
/// once, under the policy that isolates the most such pods.
pub(super) fn dns_trap(c: &Compiled, out: &mut Vec<Lint>) {
    let dns = dns_pods(c);
    // The ports DNS is served on, per protocol, for the messages.
    let served: [BTreeSet<u16>; 2] = [0, 1].map(|i| {
        let set: BTreeSet<u16> = dns
            .iter()
            .flat_map(|d| d.ports[i].iter().copied())
            .collect();
        if set.is_empty() {
            [53].into()
        } else {
            set
        }
    });
    let ports = |missing: &[usize]| -> String {
        let texts: Vec<String> = missing
            .iter()
            .map(|&i| port_text(PROTOCOLS[i], &served[i]))
            .collect();
        texts.join(" and ")
    };
    let target = if dns.is_empty() {
        "any destination".to_string()
    } else {
        let kinds: BTreeSet<String> = dns
            .iter()
            .map(|d| {
                let k = d.deployment;
                format!("{} pods labelled {}={}", k.namespace, k.key, k.value)
            })
            .collect();
        let kinds: Vec<String> = kinds.into_iter().collect();
        format!("the cluster DNS ({})", kinds.join(" or "))
    };
    let udp = port_text(Protocol::Udp, &served[0]);
    for (policy, pods) in by_policy(c, blocked(c, &dns)) {
        // Sub-groups by what is missing, in the order first seen.
        let mut groups: Vec<(Vec<usize>, Vec<String>)> = Vec::new();
        for b in pods {
            let name = c.endpoints()[b.endpoint].name.clone();
            match groups.iter_mut().find(|g| g.0 == b.missing) {
                Some(g) => g.1.push(name),
                None => groups.push((b.missing, vec![name])),
            }
        }
        let tcp_only = |missing: &[usize]| missing == [1];
        let parts: Vec<String> = groups
            .iter()
            .map(|(missing, names)| {
                let consequence = if dns.is_empty() {
                    String::new()
                } else if tcp_only(missing) {
                    format!(": lookups over {udp} work, but large answers (truncated over 512 bytes, zone transfers) fall back to TCP and will fail")
                } else {
                    ": name resolution will time out".to_string()
                };
                format!(
                    "{} {} egress-isolated and cannot reach {target} on {}{consequence}",
                    list(names),
                    if names.len() == 1 { "is" } else { "are" },
                    ports(missing)
                )
            })
            .collect();
        let mut message = parts.join("; ");
        if dns.is_empty() {
            message.push_str(
                ": no DNS pod in this cluster; if your pods resolve names, allow egress to it",
            );
            if groups.iter().any(|g| tcp_only(&g.0)) {
                message.push_str(" over TCP too (large answers, truncated over 512 bytes or zone transfers, fall back to TCP)");
            }
        }
        message.push('.');
        let missing: BTreeSet<usize> = groups.iter().flat_map(|g| g.0.iter().copied()).collect();
        let missing: Vec<usize> = missing.into_iter().collect();
        let all = ports(&missing);
        let fix = match dns.first() {
            None => format!(
                "if your pods resolve names, add an egress rule to your DNS server on {all} (declare its pods, e.g. kube-system pods labelled k8s-app=kube-dns, to check the rule here)."
            ),
            Some(d) => {
                let k = d.deployment;
                let peer = format!(
                    "namespaceSelector {NAMESPACE_NAME_LABEL}={} AND podSelector {}={}",
                    k.namespace, k.key, k.value
                );
                let named = named_ports(c, &dns, &missing);
                if tcp_only(&missing) {
                    format!("add {all}{named} to the egress rule that allows {udp} to {peer}.")
                } else {
                    format!("add an egress rule to {peer} on {all}{named}.")
                }
            }
        };
        out.push(Lint {
            code: "dns-trap",
            severity: Severity::Warning,
            span: c.model().policies[policy].span,
            message,
            fix,
        });
    }
}

/// ` (or the named ports dns and dns-tcp)` when the DNS pods name their DNS ports.
fn named_ports(c: &Compiled, dns: &[DnsPod], missing: &[usize]) -> String {
    let m = c.model();
    let mut names: Vec<String> = Vec::new();
    for &i in missing {
        for d in dns {
            let EndpointKind::Pod { pod } = c.endpoints()[d.endpoint].kind else {
                continue;
            };
            for cp in &m.pods[pod].ports {
                if let Some(name) = &cp.name {
                    if cp.protocol == PROTOCOLS[i]
                        && d.ports[i].contains(&cp.port)
                        && !names.contains(name)
                    {
                        names.push(name.clone());
                    }
                }
            }
        }
    }
    if names.is_empty() || names.len() > 2 {
        return String::new();
    }
    format!(
        " (or the named port{} {})",
        if names.len() == 1 { "" } else { "s" },
        names.join(" and ")
    )
}

/// Assigns each blocked pod to one of the policies that isolate it for egress: repeatedly the
/// policy that isolates the most unassigned pods. Sorted by policy, pods in endpoint order.
fn by_policy(c: &Compiled, mut blocked: Vec<Blocked>) -> Vec<(usize, Vec<Blocked>)> {
    let mut out = Vec::new();
    while !blocked.is_empty() {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for b in &blocked {
            for &pi in c.isolating(b.endpoint, PolicyType::Egress) {
                *counts.entry(pi).or_default() += 1;
            }
        }
        // Most pods first; on a tie, a policy with a DNS rule (the one to complete), then the
        // first policy.
        let key = |&(pi, count): &(usize, usize)| {
            (count, has_dns_rule(&c.model().policies[pi]), Reverse(pi))
        };
        let Some(best) = counts.into_iter().max_by_key(key).map(|(pi, _)| pi) else {
            break;
        };
        let (mine, rest): (Vec<_>, Vec<_>) = blocked
            .into_iter()
            .partition(|b| c.isolating(b.endpoint, PolicyType::Egress).contains(&best));
        out.push((best, mine));
        blocked = rest;
    }
    out.sort_by_key(|g| g.0);
    out
}

/// Whether an egress rule of `p` names a DNS port.
fn has_dns_rule(p: &NetworkPolicy) -> bool {
    p.egress
        .iter()
        .flat_map(|r| &r.ports)
        .any(|port| match &port.port {
            Some(PortRef::Number(n)) => DNS_PORT_NUMBERS.contains(n),
            Some(PortRef::Named(name)) => DNS_PORT_NAMES.contains(&name.as_str()),
            None => false,
        })
}
