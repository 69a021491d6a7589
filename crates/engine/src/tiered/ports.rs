//! What the port-sweeping views (connectivity, diff, the list of ports that matter) need to know
//! about the ports tiered rules name, so that every port range where a tiered verdict can change
//! is looked at once.

use std::collections::BTreeSet;

use crate::model::{ClusterPolicy, PortMatch};
use crate::model::{PortProto, Protocol};

/// Every port item of every rule of every policy, in a fixed order.
fn items(policies: &[ClusterPolicy]) -> impl Iterator<Item = &PortMatch> {
    policies
        .iter()
        .flat_map(|p| p.ingress.iter().chain(&p.egress))
        .flat_map(|r| r.ports.iter().flatten())
        .map(|p| &p.port)
}

/// For `protocol`: the numbers where a tiered port match can start or stop matching (`n` and
/// `end + 1`, so possibly 65536), and the named ports (resolved per pod by the caller).
pub fn cuts(policies: &[ClusterPolicy], protocol: Protocol) -> (BTreeSet<u32>, BTreeSet<&str>) {
    let mut numbers = BTreeSet::new();
    let mut names = BTreeSet::new();
    for item in items(policies) {
        match item {
            PortMatch::Number { protocol: p, port } if *p == protocol => {
                numbers.insert(u32::from(*port));
                numbers.insert(u32::from(*port) + 1);
            }
            PortMatch::Range {
                protocol: p,
                start,
                end,
            } if *p == protocol && start <= end => {
                numbers.insert(u32::from(*start));
                numbers.insert(u32::from(*end) + 1);
            }
            PortMatch::Named(name) => {
                names.insert(name.as_str());
            }
            _ => {}
        }
    }
    (numbers, names)
}

/// Whether each numeric port item matches `pp`, in a fixed order: two ports with the same
/// signature (and no named port resolving to either) get the same tiered verdicts.
pub fn signature(policies: &[ClusterPolicy], pp: PortProto) -> Vec<bool> {
    items(policies)
        .filter(|i| !matches!(i, PortMatch::Named(_)))
        .map(|i| super::eval::port_matches(i, pp, None))
        .collect()
}

/// The numbers tiered rules name (ports and range bounds), for the list of ports that matter.
pub fn named_numbers(policies: &[ClusterPolicy]) -> BTreeSet<PortProto> {
    let mut out = BTreeSet::new();
    for item in items(policies) {
        match item {
            PortMatch::Number { protocol, port } => {
                out.insert(PortProto::new(*port, *protocol));
            }
            PortMatch::Range {
                protocol,
                start,
                end,
            } => {
                out.insert(PortProto::new(*start, *protocol));
                out.insert(PortProto::new(*end, *protocol));
            }
            _ => {}
        }
    }
    out
}
