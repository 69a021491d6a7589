//! Pod IPs: the addresses the toy format assigns, and a warning for every address two
//! endpoints share.
//!
//! Assignment (documented in `docs/toy-format.md`): pod index *k* (0-based) of the *n*-th toy
//! namespace (1-based) gets `10.n.(k / 250).(k % 250 + 2)` while `n ≤ 254` and `k < 64000`,
//! and otherwise `fd00::` with *n* and *k* as the two 32-bit halves of the interface identifier
//! (`fd00::ff:0:0` for the first pod of namespace 255). An address declared explicitly is
//! skipped (the pod takes the next index), so assigned addresses are unique for any number of
//! pods and namespaces.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv6Addr};

use crate::diag::{Diagnostic, Severity};
use crate::model::{Model, Span};

/// A pod whose IP is to be assigned.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AutoIp {
    /// Index into `Model::pods`.
    pub pod: usize,
    /// The ordinal of its namespace among toy namespaces (0-based).
    pub namespace: usize,
    /// Its ordinal among its namespace's pods (0-based).
    pub ordinal: usize,
}

/// IPv4 addresses per namespace: 256 blocks of 250.
const V4_PER_NAMESPACE: u64 = 250 * 256;
/// Namespaces numbered up to this get IPv4 addresses.
const V4_NAMESPACES: u64 = 254;

/// The address of pod index `k` of namespace `n` (1-based).
pub(crate) fn auto_address(n: u64, k: u64) -> IpAddr {
    if n <= V4_NAMESPACES && k < V4_PER_NAMESPACE {
        // Both casts are in range: n ≤ 254, k / 250 < 256, k % 250 + 2 < 252.
        return IpAddr::from([10, n as u8, (k / 250) as u8, (k % 250 + 2) as u8]);
    }
    let low = ((n & 0xffff_ffff) << 32) | (k & 0xffff_ffff);
    IpAddr::V6(Ipv6Addr::from((0xfd00u128 << 112) | u128::from(low)))
}

/// Gives every pod in `auto` (in order) the first free address from its own index on.
pub(crate) fn assign(model: &mut Model, auto: &[AutoIp]) {
    let mut used: HashSet<IpAddr> = model
        .pods
        .iter()
        .flat_map(|p| p.ips.iter().copied())
        .collect();
    used.extend(model.externals.iter().map(|e| e.ip));
    used.extend(model.nodes.iter().flat_map(|n| n.ips.iter().copied()));
    // The next index to try in each namespace: every index below it is taken, so the scan is
    // linear in the number of pods and declared addresses overall.
    let mut next: HashMap<usize, u64> = HashMap::new();
    for a in auto {
        let n = a.namespace as u64 + 1;
        let cursor = next.entry(a.namespace).or_default();
        let mut k = (*cursor).max(a.ordinal as u64);
        let ip = loop {
            let ip = auto_address(n, k);
            k += 1;
            if used.insert(ip) {
                break ip;
            }
        };
        *cursor = k;
        model.pods[a.pod].ips.push(ip);
    }
}

/// A warning for each address of an endpoint that an earlier endpoint has too (declared
/// explicitly: assigned addresses never collide), naming both.
pub(crate) fn shared_ip_warnings(model: &Model) -> Vec<Diagnostic> {
    let endpoints = model
        .pods
        .iter()
        .map(|p| (format!("pod {}", p.id()), p.span, &p.ips[..]))
        .chain(model.externals.iter().map(|e| {
            (
                format!("external {}", e.name),
                e.span,
                std::slice::from_ref(&e.ip),
            )
        }));
    let mut first: HashMap<IpAddr, (String, Span)> = HashMap::new();
    let mut out = Vec::new();
    let file = |s: Span| model.files.get(s.file).cloned().unwrap_or_default();
    for (name, span, ips) in endpoints {
        for &ip in ips {
            match first.get(&ip) {
                Some((other, _)) if *other == name => {}
                Some((other, at)) => out.push(Diagnostic {
                    file: file(span),
                    line: span.line,
                    col: span.col,
                    severity: Severity::Warning,
                    code: "duplicate-ip",
                    message: format!(
                        "{name} has the IP {ip} of {other} (at {}:{}:{}): an ipBlock that contains it selects both",
                        file(*at),
                        at.line,
                        at.col
                    ),
                }),
                None => {
                    first.insert(ip, (name.clone(), span));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Pod;

    #[test]
    fn assigned_addresses_follow_the_documented_plan() {
        let cases = [
            (1, 0, "10.1.0.2"),
            (1, 249, "10.1.0.251"),
            (1, 250, "10.1.1.2"),
            (254, 63_999, "10.254.255.251"),
            (1, 64_000, "fd00::1:0:fa00"),
            (255, 0, "fd00::ff:0:0"),
            (70_000, 5, "fd00::1:1170:0:5"),
        ];
        for (n, k, want) in cases {
            assert_eq!(auto_address(n, k).to_string(), want, "n={n} k={k}");
        }
    }

    #[test]
    fn assigned_addresses_are_unique_past_every_boundary() {
        let mut model = Model::default();
        let mut auto = Vec::new();
        // Three namespaces: 65,000 pods in the first, then one each in namespaces 300 and 301.
        let pods = [(0, 65_000), (299, 1), (300, 1)];
        for (namespace, count) in pods {
            for ordinal in 0..count {
                auto.push(AutoIp {
                    pod: model.pods.len(),
                    namespace,
                    ordinal,
                });
                model.pods.push(Pod {
                    namespace: format!("ns{namespace}"),
                    name: format!("p{ordinal}"),
                    labels: Default::default(),
                    ips: Vec::new(),
                    ports: Vec::new(),
                    span: Span::default(),
                    kind: crate::model::WorkloadKind::Pod,
                });
            }
        }
        // A declared address in the way takes the place of the pod that would have had it.
        model.pods[0].ips.push("10.1.0.3".parse().unwrap());
        auto.remove(0);
        assign(&mut model, &auto);
        let all: HashSet<IpAddr> = model.pods.iter().map(|p| p.ips[0]).collect();
        assert_eq!(all.len(), model.pods.len());
        assert_eq!(model.pods[1].ips[0].to_string(), "10.1.0.4");
        assert_eq!(model.pods[63_998].ips[0].to_string(), "10.1.255.251");
        assert_eq!(model.pods[63_999].ips[0].to_string(), "fd00::1:0:fa00");
        assert_eq!(model.pods[65_000].ips[0].to_string(), "fd00::12c:0:0");
    }
}
