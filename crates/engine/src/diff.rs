//! The exact flow-level difference between two policy sets on one cluster.
//!
//! The AND↔OR variants of `from`/`to` items, which are diffs too, live in the `andor` module;
//! they are re-exported here for the old paths.

use std::collections::BTreeSet;
use std::fmt;

use serde::Serialize;

// The old paths of the AND/OR items, kept for compatibility (a re-export only: this module uses
// nothing of `andor`). New code imports them from the crate root.
use crate::eval::{compile, Compiled};
use crate::explain::Explanation;
use crate::ids::EndpointId;
use crate::model::{Model, PortProto, Protocol, Span};

/// One flow whose verdict differs, with both explanations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowChange {
    /// The source.
    pub from: EndpointId,
    /// The destination.
    pub to: EndpointId,
    /// The explanations before and after; `None` when the diff was computed without them (the
    /// AND/OR variants: ask [`Compiled::explain`] on demand). Boxed, so that a flow without them
    /// costs a few words.
    pub before: Option<Box<Explanation>>,
    /// The explanation after the change.
    pub after: Option<Box<Explanation>>,
}

/// The difference for one range of ports of one protocol (verdicts are constant inside it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortDiff {
    /// The port to show for the range: a port that matters inside it, else its first port.
    pub port: PortProto,
    /// The range, inclusive: every port in it has the same changes.
    pub first: u16,
    /// The last port of the range.
    pub last: u16,
    /// Flows denied before and allowed after.
    pub gained: Vec<FlowChange>,
    /// Flows allowed before and denied after.
    pub lost: Vec<FlowChange>,
    /// Cluster flows with the same verdict before and after.
    pub unchanged: usize,
}

/// The difference between two policy sets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Every port range that changes, and every port that matters (see
    /// [`Compiled::ports_that_matter`]) even when it does not change.
    pub ports: Vec<PortDiff>,
}

impl Diff {
    /// True when the two policy sets allow exactly the same flows on this cluster.
    pub fn is_empty(&self) -> bool {
        self.ports
            .iter()
            .all(|p| p.gained.is_empty() && p.lost.is_empty())
    }

    /// Total number of (flow, port range) changes.
    pub fn changed(&self) -> usize {
        self.ports
            .iter()
            .map(|p| p.gained.len() + p.lost.len())
            .sum()
    }
}

/// Why two compiled models cannot be compared flow by flow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DiffError {
    /// The models do not have the same endpoints (pods and externals, by name), so a flow of one
    /// is not a flow of the other. Each list names the endpoints only that side has.
    DifferentEndpoints {
        /// The endpoints only the first model has.
        only_before: Vec<String>,
        /// The endpoints only the second model has.
        only_after: Vec<String>,
    },
}

impl fmt::Display for DiffError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffError::DifferentEndpoints {
                only_before,
                only_after,
            } => {
                let list = |names: &[String]| {
                    if names.is_empty() {
                        "none".to_string()
                    } else {
                        names.join(", ")
                    }
                };
                write!(
                    f,
                    "the two models have different endpoints (only before: {}; only after: {}): diff policy sets on one cluster",
                    list(only_before),
                    list(only_after)
                )
            }
        }
    }
}

impl std::error::Error for DiffError {}

/// The cluster of `cluster` (its files, namespaces, pods, externals and nodes) with the policies
/// of `policies` (NetworkPolicies and tiered policies) instead of its own.
///
/// The files of `policies` are appended to those of `cluster` and the policies' spans are moved
/// with them, so every span of the result indexes the result's own `files`.
pub fn with_policies(cluster: &Model, policies: &Model) -> Model {
    let offset = cluster.files.len();
    let moved = |s: Span| Span {
        file: s.file + offset,
        ..s
    };
    let mut out = Model {
        files: cluster.files.clone(),
        policies: policies.policies.clone(),
        cluster_policies: policies.cluster_policies.clone(),
        ..cluster.clone()
    };
    out.files.extend(policies.files.iter().cloned());
    for p in &mut out.policies {
        p.span = moved(p.span);
        for rule in p.ingress.iter_mut().chain(&mut p.egress) {
            rule.span = moved(rule.span);
            for peer in &mut rule.peers {
                peer.span = moved(peer.span);
            }
            for port in &mut rule.ports {
                port.span = moved(port.span);
            }
        }
    }
    for p in &mut out.cluster_policies {
        p.span = moved(p.span);
        for rule in p.ingress.iter_mut().chain(&mut p.egress) {
            rule.span = moved(rule.span);
            for peer in &mut rule.peers {
                peer.span = moved(peer.span);
            }
            for port in rule.ports.iter_mut().flatten() {
                port.span = moved(port.span);
            }
        }
    }
    out
}

/// The flow-level difference between the policies of `before` and those of `after` on the
/// cluster of `cluster` (the policies of `cluster` and the clusters of `before` and `after` are
/// ignored). Exact over all 65535 ports of every protocol: each range within which neither set's
/// verdicts can change is compared once.
///
/// The three models may come from different parses: the explanations of each side are those of
/// [`with_policies`]`(cluster, side)`, so their spans index `cluster.files` followed by the
/// side's own `files`.
pub fn diff(cluster: &Model, before: &Model, after: &Model) -> Diff {
    let (mb, ma) = (
        with_policies(cluster, before),
        with_policies(cluster, after),
    );
    let (b, a) = (compile(mb), compile(ma));
    let mut d = diff_flows(&b, &a);
    explain_changes(&b, &a, &mut d);
    d
}

/// [`diff`] for two compiled models with the same endpoints (e.g. two parses of one cluster with
/// different policies), with the explanation of every changed flow.
///
/// The models may differ in anything else (labels, IPs, policies): the diff is then the
/// difference in flows, whatever caused it. Each side's explanations index its own model's
/// `files`.
pub fn diff_models(b: &Compiled, a: &Compiled) -> Result<Diff, DiffError> {
    same_endpoints(b, a)?;
    let mut d = diff_flows(b, a);
    explain_changes(b, a, &mut d);
    Ok(d)
}

/// `Ok` when `b` and `a` have the same endpoints, in the same order.
fn same_endpoints(b: &Compiled, a: &Compiled) -> Result<(), DiffError> {
    let key = |c: &Compiled| -> Vec<(String, bool)> {
        c.endpoints()
            .iter()
            .map(|e| (e.name.clone(), e.is_pod()))
            .collect()
    };
    let (kb, ka) = (key(b), key(a));
    if kb == ka {
        return Ok(());
    }
    let only = |these: &[(String, bool)], other: &[(String, bool)]| -> Vec<String> {
        let other: BTreeSet<&(String, bool)> = other.iter().collect();
        these
            .iter()
            .filter(|e| !other.contains(e))
            .map(|(name, _)| name.clone())
            .collect()
    };
    Err(DiffError::DifferentEndpoints {
        only_before: only(&kb, &ka),
        only_after: only(&ka, &kb),
    })
}

/// Fills in the explanations of every changed flow of `d`, a diff of `b` against `a`.
fn explain_changes(b: &Compiled, a: &Compiled, d: &mut Diff) {
    for p in &mut d.ports {
        for f in p.gained.iter_mut().chain(&mut p.lost) {
            f.before = Some(Box::new(b.explain(f.from, f.to, p.port)));
            f.after = Some(Box::new(a.explain(f.from, f.to, p.port)));
        }
    }
}

/// The flows of one port range whose verdict differs, as (source, destination) endpoint
/// indices in ascending order: a [`PortDiff`] without room for explanations, for diffs too large
/// to explain every flow (explain the flows you show with [`Compiled::explain`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortFlows {
    /// The port to show for the range: a port that matters inside it, else its first port.
    pub port: PortProto,
    /// The range, inclusive: every port in it has the same changes.
    pub first: u16,
    /// The last port of the range.
    pub last: u16,
    /// Flows denied before and allowed after.
    pub gained: Vec<(usize, usize)>,
    /// Flows allowed before and denied after.
    pub lost: Vec<(usize, usize)>,
    /// Cluster flows with the same verdict before and after.
    pub unchanged: usize,
}

/// [`diff_models`] without explanations, each changed flow a pair of endpoint indices: the
/// port ranges of [`Diff::ports`], in the same order with the same flows.
pub fn diff_flow_pairs(b: &Compiled, a: &Compiled) -> Result<Vec<PortFlows>, DiffError> {
    same_endpoints(b, a)?;
    Ok(port_flows(b, a))
}

/// [`diff_models`] with every explanation left `None`, for diffs too large to explain every
/// flow (explain the flows you show with [`Compiled::explain`]).
pub fn diff_models_unexplained(b: &Compiled, a: &Compiled) -> Result<Diff, DiffError> {
    same_endpoints(b, a)?;
    Ok(diff_flows(b, a))
}

/// The diff of two compiled models with the same endpoints, without explanations.
pub(crate) fn diff_flows(b: &Compiled, a: &Compiled) -> Diff {
    let change = |&(from, to): &(usize, usize)| FlowChange {
        from: EndpointId(from),
        to: EndpointId(to),
        before: None,
        after: None,
    };
    let ports = port_flows(b, a)
        .into_iter()
        .map(|p| PortDiff {
            port: p.port,
            first: p.first,
            last: p.last,
            gained: p.gained.iter().map(change).collect(),
            lost: p.lost.iter().map(change).collect(),
            unchanged: p.unchanged,
        })
        .collect();
    Diff { ports }
}

fn port_flows(b: &Compiled, a: &Compiled) -> Vec<PortFlows> {
    debug_assert!(same_endpoints(b, a).is_ok());
    let mut matter: BTreeSet<PortProto> = b.ports_that_matter().into_iter().collect();
    matter.extend(a.ports_that_matter());
    let n = b.endpoints().len();
    let is_pod: Vec<bool> = b.endpoints().iter().map(|e| e.is_pod()).collect();
    let externals = is_pod.iter().filter(|&&p| !p).count();
    let mut out = Vec::new();
    for protocol in Protocol::ALL {
        let mut cuts: BTreeSet<u16> = b.breakpoints(protocol).into_iter().collect();
        cuts.extend(a.breakpoints(protocol));
        let cuts: Vec<u16> = cuts.into_iter().collect();
        for (i, &lo) in cuts.iter().enumerate() {
            let hi = cuts.get(i + 1).map_or(u16::MAX, |next| next - 1);
            let matters = matter
                .iter()
                .find(|m| m.protocol == protocol && lo <= m.port && m.port <= hi);
            // Verdicts are the same on every port of the range; show a port that matters.
            let pp = matters.copied().unwrap_or(PortProto::new(lo, protocol));
            let (mb, ma) = (b.matrix(pp), a.matrix(pp));
            let mut d = PortFlows {
                port: pp,
                first: lo,
                last: hi,
                gained: vec![],
                lost: vec![],
                unchanged: 0,
            };
            // Only the bits that differ cost anything; the rest are counted.
            let mut changed = 0;
            for s in 0..n {
                if mb.rows[s] == ma.rows[s] {
                    continue;
                }
                for (w, (x, y)) in mb.rows[s].0.iter().zip(&ma.rows[s].0).enumerate() {
                    let mut bits = x ^ y;
                    while bits != 0 {
                        let t = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if !is_pod[s] && !is_pod[t] {
                            continue;
                        }
                        changed += 1;
                        if ma.rows[s].get(t) {
                            d.gained.push((s, t));
                        } else {
                            d.lost.push((s, t));
                        }
                    }
                }
            }
            d.unchanged = n * n - externals * externals - changed;
            if !d.gained.is_empty() || !d.lost.is_empty() || matters.is_some() {
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NetworkPolicyPort, PortRef};
    use crate::{parse, Input};

    const CLUSTER: &str = "\
namespaces:
  app:
    pods: {api: app=api, frontend: app=frontend, db: app=db}
  web:
    labels: {team: web}
    pods: {shop: app=frontend, cms: app=cms}
";

    /// Admits web/shop into app/api, on every port.
    const AND: &str = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: web}
      podSelector:
        matchLabels: {app: frontend}
";

    fn parse_ok(inputs: &[(&str, &str)]) -> Model {
        let inputs: Vec<Input<'_>> = inputs
            .iter()
            .map(|&(name, text)| Input { name, text })
            .collect();
        let (m, d) = parse(&inputs);
        assert!(d.is_empty(), "{d:?}");
        m
    }

    fn model(policies: &str) -> Model {
        parse_ok(&[("c", CLUSTER), ("p", policies)])
    }

    fn names(c: &Compiled, changes: &[FlowChange]) -> Vec<String> {
        let name = |e: EndpointId| c.endpoints()[e.index()].name.as_str();
        changes
            .iter()
            .map(|f| format!("{} -> {}", name(f.from), name(f.to)))
            .collect()
    }

    /// Without the policy every flow into app/api is allowed; with it only web/shop's (team:
    /// web AND app: frontend): the others are lost, and the unexplained diff lists the same
    /// flows as `diff_models`, with no explanation.
    #[test]
    fn an_unexplained_diff_lists_the_same_flows() {
        let (b, a) = (compile(model("")), compile(model(AND)));
        let full = diff_models(&b, &a).expect("same endpoints");
        let bare = diff_models_unexplained(&b, &a).expect("same endpoints");
        assert_eq!(full.ports.len(), bare.ports.len());
        for (f, u) in full.ports.iter().zip(&bare.ports) {
            assert_eq!(names(&a, &f.lost), names(&a, &u.lost));
            assert_eq!(names(&a, &f.gained), names(&a, &u.gained));
            assert!(u
                .gained
                .iter()
                .chain(&u.lost)
                .all(|c| c.before.is_none() && c.after.is_none()));
            let lost = names(&a, &u.lost);
            for flow in [
                "app/db -> app/api",
                "web/cms -> app/api",
                "app/frontend -> app/api",
            ] {
                assert!(lost.iter().any(|l| l == flow), "{flow} in {lost:?}");
            }
            assert!(!lost.iter().any(|l| l == "web/shop -> app/api"), "{lost:?}");
        }
    }

    #[test]
    fn diff_of_identical_sets_is_empty_and_counts_flows() {
        let m = model(AND);
        let d = diff(&m, &m, &m);
        assert!(d.is_empty());
        // No port is named anywhere, so 80/TCP is the one port that matters.
        assert_eq!(d.ports.len(), 1);
        assert_eq!(d.ports[0].port, PortProto::new(80, Protocol::Tcp));
        assert_eq!(d.ports[0].unchanged, 25);
    }

    #[test]
    fn diff_reports_port_ranges() {
        let m = model(AND);
        let mut after = m.clone();
        after.policies[0].ingress[0].ports.push(NetworkPolicyPort {
            protocol: Protocol::Tcp,
            port: Some(PortRef::Number(8000)),
            end_port: Some(8100),
            span: Span::default(),
        });
        let d = diff(&m, &m, &after);
        // Before: web/shop may reach api on every port of every protocol; after: only TCP
        // 8000-8100.
        let lost: Vec<(Protocol, u16, u16, usize)> = d
            .ports
            .iter()
            .filter(|p| !p.lost.is_empty())
            .map(|p| (p.port.protocol, p.first, p.last, p.lost.len()))
            .collect();
        use Protocol::*;
        assert_eq!(
            lost,
            vec![
                (Tcp, 1, 7999, 1),
                (Tcp, 8101, 65535, 1),
                (Udp, 1, 65535, 1),
                (Sctp, 1, 65535, 1)
            ]
        );
        assert!(d.ports.iter().all(|p| p.gained.is_empty()));
    }

    /// Policy sets parsed on their own (as `netpol diff --before A --after B` reads them): the
    /// explanations point into the policy's own file, not into the cluster's first file.
    #[test]
    fn policies_parsed_apart_keep_their_files() {
        let cluster = parse_ok(&[("cluster.yaml", CLUSTER)]);
        let before = parse_ok(&[("before.yaml", "")]);
        let after = parse_ok(&[("after.yaml", AND)]);
        let d = diff(&cluster, &before, &after);
        // Before nothing is isolated; after, app/api admits only web/shop (and itself).
        let moved = with_policies(&cluster, &after);
        assert_eq!(moved.files, ["cluster.yaml", "after.yaml"]);
        assert_eq!(moved.pods, cluster.pods);
        let index = compile(moved.clone());
        let tcp80 = &d.ports[0];
        assert_eq!(tcp80.port, PortProto::new(80, Protocol::Tcp));
        assert_eq!(
            names(&index, &tcp80.lost),
            [
                "app/db -> app/api",
                "app/frontend -> app/api",
                "web/cms -> app/api"
            ]
        );
        let isolated_by = &tcp80.lost[0]
            .after
            .as_ref()
            .unwrap()
            .ingress
            .as_ref()
            .unwrap()
            .isolated_by;
        assert_eq!(isolated_by.len(), 1);
        let span = isolated_by[0].span;
        assert_eq!(moved.files[span.file], "after.yaml");
        assert_eq!(span.line, after.policies[0].span.line);
    }

    /// A flow of one cluster is not a flow of another: diffing them is an error that names the
    /// endpoints only one side has.
    #[test]
    fn models_with_different_endpoints_are_an_error() {
        let before = model(AND);
        let other = CLUSTER.replace("cms: app=cms", "blog: app=cms");
        let other = format!("{other}externals: {{dns: 8.8.8.8}}\n");
        let after = parse_ok(&[("c", &other), ("p", AND)]);
        let err = diff_models(&compile(before.clone()), &compile(after.clone())).unwrap_err();
        assert_eq!(
            err,
            DiffError::DifferentEndpoints {
                only_before: vec!["web/cms".into()],
                only_after: vec!["web/blog".into(), "dns".into()],
            }
        );
        assert_eq!(
            err.to_string(),
            "the two models have different endpoints (only before: web/cms; only after: web/blog, dns): diff policy sets on one cluster"
        );
        // The same endpoints with other labels are one cluster: the diff is the flows' change.
        let relabelled = parse_ok(&[
            (
                "c",
                &CLUSTER.replace("shop: app=frontend", "shop: app=shop"),
            ),
            ("p", AND),
        ]);
        let d = diff_models(&compile(before.clone()), &compile(relabelled.clone())).unwrap();
        assert_eq!(d.ports[0].lost.len(), 1);
    }
}
