//! Property tests: the fast bitset evaluator agrees with a direct reading of the API reference,
//! with `explain`, and with `connectivity`; policies are additive. With tiered policies, the
//! bitset matrix agrees with `tiered::decide` (the walk written once, over selectors) on top of
//! the NetworkPolicy oracle.

use std::collections::BTreeMap;
use std::net::IpAddr;

use netpol_engine::model::{
    Action, Cidr, ClusterPeer, ClusterPolicy, ClusterPolicyKind, ClusterPort, ClusterRule,
    ContainerPort, Except, IpBlock, LabelSelector, Labels, Namespace, NamespacedPod, Network,
    NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, Node, Operator, PeerKind, Pod, PortMatch,
    PortRef, Requirement, Rule, Span, Subject, Tier, WorkloadKind, NAMESPACE_NAME_LABEL,
};
use netpol_engine::tiered::{decide, Direct, NpVerdict, PeerView, PodView, TierOrder};
use netpol_engine::{compile, EndpointId, EndpointKind, Model, PolicyType, PortProto, Protocol};
use proptest::prelude::*;

const NAMESPACES: [&str; 3] = ["x", "y", "z"];

fn labels_strategy() -> impl Strategy<Value = Labels> {
    proptest::collection::btree_map(
        prop::sample::select(vec!["app", "tier"]),
        prop::sample::select(vec!["a", "b"]),
        0..=2,
    )
    .prop_map(|m| {
        m.into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    })
}

fn selector_strategy() -> impl Strategy<Value = LabelSelector> {
    let req = (
        prop::sample::select(vec!["app", "tier", "team", NAMESPACE_NAME_LABEL]),
        prop::sample::select(vec![
            Operator::In,
            Operator::NotIn,
            Operator::Exists,
            Operator::DoesNotExist,
        ]),
        prop::sample::select(vec!["a", "b", "x", "y"]),
    )
        .prop_map(|(k, op, v)| Requirement {
            key: k.to_string(),
            operator: op,
            values: match op {
                Operator::In | Operator::NotIn => vec![v.to_string()],
                _ => vec![],
            },
        });
    (labels_strategy(), proptest::collection::vec(req, 0..=1)).prop_map(
        |(match_labels, match_expressions)| LabelSelector {
            match_labels,
            match_expressions,
        },
    )
}

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn peer_strategy() -> impl Strategy<Value = NetworkPolicyPeer> {
    let block = (prop::sample::select(vec![8u8, 16, 24, 32]), any::<bool>()).prop_map(
        |(prefix, except)| {
            let addr = match prefix {
                8 => ip("10.0.0.0"),
                16 => ip("10.1.0.0"),
                24 => ip("10.2.0.0"),
                _ => ip("10.1.0.3"),
            };
            // 10.1.0.0/24 lies inside 10.0.0.0/8 and 10.1.0.0/16 only, as validation requires.
            let ex: Vec<Except> = if except && (prefix == 8 || prefix == 16) {
                vec![Except {
                    cidr: Cidr {
                        addr: ip("10.1.0.0"),
                        prefix: 24,
                    },
                    text: "10.1.0.0/24".to_string(),
                }]
            } else {
                vec![]
            };
            IpBlock {
                cidr: Cidr { addr, prefix },
                except: ex,
                cidr_text: format!("{addr}/{prefix}"),
            }
        },
    );
    prop_oneof![
        (
            proptest::option::of(selector_strategy()),
            proptest::option::of(selector_strategy())
        )
            .prop_filter("a peer needs a selector", |(a, b)| a.is_some()
                || b.is_some())
            .prop_map(|(pod_selector, namespace_selector)| NetworkPolicyPeer {
                pod_selector,
                namespace_selector,
                ip_block: None,
                span: Span::default(),
            }),
        block.prop_map(|b| NetworkPolicyPeer {
            pod_selector: None,
            namespace_selector: None,
            ip_block: Some(b),
            span: Span::default(),
        }),
    ]
}

fn port_strategy() -> impl Strategy<Value = NetworkPolicyPort> {
    (
        prop::sample::select(vec![Protocol::Tcp, Protocol::Udp]),
        prop_oneof![
            Just(None),
            prop::sample::select(vec![80u16, 81, 443]).prop_map(|p| Some(PortRef::Number(p))),
            prop::sample::select(vec!["http", "dns"])
                .prop_map(|n| Some(PortRef::Named(n.to_string()))),
        ],
        any::<bool>(),
    )
        .prop_map(|(protocol, port, range)| {
            let end_port = match (&port, range) {
                (Some(PortRef::Number(p)), true) => Some(p + 1),
                _ => None,
            };
            NetworkPolicyPort {
                protocol,
                port,
                end_port,
                span: Span::default(),
            }
        })
}

fn rule_strategy() -> impl Strategy<Value = Rule> {
    (
        proptest::collection::vec(peer_strategy(), 0..=2),
        proptest::collection::vec(port_strategy(), 0..=2),
    )
        .prop_map(|(peers, ports)| Rule {
            peers,
            ports,
            span: Span::default(),
        })
}

fn policy_strategy() -> impl Strategy<Value = NetworkPolicy> {
    (
        prop::sample::select(NAMESPACES.to_vec()),
        selector_strategy(),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(rule_strategy(), 0..=2),
        proptest::collection::vec(rule_strategy(), 0..=2),
    )
        .prop_map(
            |(ns, pod_selector, ing, eg, ingress, egress)| NetworkPolicy {
                namespace: ns.to_string(),
                name: "p".to_string(),
                pod_selector,
                affects_ingress: ing || !eg,
                affects_egress: eg,
                policy_types_explicit: true,
                namespace_explicit: true,
                ingress,
                egress,
                span: Span::default(),
            },
        )
}

fn model_strategy() -> impl Strategy<Value = Model> {
    let pod = (
        prop::sample::select(NAMESPACES.to_vec()),
        labels_strategy(),
        any::<bool>(),
    );
    (
        proptest::collection::vec(pod, 1..=6),
        proptest::collection::vec(policy_strategy(), 0..=4),
        proptest::collection::vec(labels_strategy(), 3),
    )
        .prop_map(|(pods, policies, ns_labels)| {
            let namespaces = NAMESPACES
                .iter()
                .zip(ns_labels)
                .map(|(n, mut labels)| {
                    labels.insert(NAMESPACE_NAME_LABEL.to_string(), n.to_string());
                    Namespace {
                        name: n.to_string(),
                        labels,
                        span: None,
                    }
                })
                .collect();
            let pods = pods
                .into_iter()
                .enumerate()
                .map(|(i, (ns, labels, named))| Pod {
                    namespace: ns.to_string(),
                    name: format!("p{i}"),
                    labels,
                    ips: vec![ip(&format!("10.1.0.{}", i + 1))],
                    ports: if named {
                        vec![
                            ContainerPort {
                                name: Some("http".into()),
                                port: 80,
                                protocol: Protocol::Tcp,
                            },
                            ContainerPort {
                                name: Some("dns".into()),
                                port: 81,
                                protocol: Protocol::Udp,
                            },
                        ]
                    } else {
                        vec![ContainerPort {
                            name: Some("http".into()),
                            port: 443,
                            protocol: Protocol::Tcp,
                        }]
                    },
                    span: Span::default(),
                    kind: WorkloadKind::Pod,
                })
                .collect();
            let policies = policies
                .into_iter()
                .enumerate()
                .map(|(i, mut p)| {
                    p.name = format!("np{i}");
                    p
                })
                .collect();
            let externals = vec![netpol_engine::model::External {
                name: "ext".into(),
                ip: ip("10.2.0.9"),
                span: Span::default(),
            }];
            Model {
                files: vec![],
                namespaces,
                pods,
                externals,
                policies,
                cluster_policies: vec![],
                nodes: vec![],
            }
        })
}

fn cluster_peer_strategy(egress: bool) -> impl Strategy<Value = ClusterPeer> {
    let pods = (selector_strategy(), selector_strategy()).prop_map(|(n, p)| {
        PeerKind::Pods(NamespacedPod {
            namespace_selector: n,
            pod_selector: p,
        })
    });
    let network = prop::sample::select(vec![
        "0.0.0.0/0",
        "10.1.0.0/24",
        "10.1.0.2/32",
        "10.2.0.0/16",
        "172.18.0.0/16",
    ])
    .prop_map(|t| {
        let (addr, prefix) = t.split_once('/').unwrap();
        Network {
            cidr: Cidr {
                addr: ip(addr),
                prefix: prefix.parse().unwrap(),
            },
            text: t.to_string(),
        }
    });
    let egress_only = prop_oneof![
        selector_strategy().prop_map(PeerKind::Nodes),
        proptest::collection::vec(network, 1..=2).prop_map(PeerKind::Networks),
    ];
    let common = prop_oneof![selector_strategy().prop_map(PeerKind::Namespaces), pods];
    let kind = if egress {
        prop_oneof![common, egress_only].boxed()
    } else {
        common.boxed()
    };
    kind.prop_map(|kind| ClusterPeer {
        kind,
        span: Span::default(),
    })
}

fn cluster_port_strategy() -> impl Strategy<Value = ClusterPort> {
    let protocol = prop::sample::select(vec![Protocol::Tcp, Protocol::Udp]);
    prop_oneof![
        (protocol.clone(), prop::sample::select(vec![80u16, 81, 443]))
            .prop_map(|(protocol, port)| PortMatch::Number { protocol, port }),
        protocol.prop_map(|protocol| PortMatch::Range {
            protocol,
            start: 80,
            end: 443
        }),
        prop::sample::select(vec!["http", "dns"]).prop_map(|n| PortMatch::Named(n.to_string())),
    ]
    .prop_map(|port| ClusterPort {
        port,
        span: Span::default(),
    })
}

fn cluster_rule_strategy(egress: bool, pass: bool) -> impl Strategy<Value = ClusterRule> {
    let actions = if pass {
        vec![Action::Accept, Action::Deny, Action::Pass]
    } else {
        vec![Action::Accept, Action::Deny]
    };
    (
        prop::sample::select(actions),
        proptest::collection::vec(cluster_peer_strategy(egress), 1..=2),
        proptest::option::of(proptest::collection::vec(cluster_port_strategy(), 1..=2)),
    )
        .prop_map(|(action, peers, ports)| ClusterRule {
            name: None,
            action,
            peers,
            ports,
            span: Span::default(),
        })
}

/// A tiered policy of one of the three kinds; equal priorities are frequent, to exercise the
/// tie-break.
fn cluster_policy_strategy() -> impl Strategy<Value = ClusterPolicy> {
    let subject = prop_oneof![
        selector_strategy().prop_map(Subject::Namespaces),
        (selector_strategy(), selector_strategy()).prop_map(|(n, p)| Subject::Pods(
            NamespacedPod {
                namespace_selector: n,
                pod_selector: p,
            }
        )),
    ];
    (
        prop::sample::select(ClusterPolicyKind::ALL.to_vec()),
        any::<bool>(),
        prop::sample::select(vec![1u32, 2, 2]),
        prop::sample::select(vec!["a", "b"]),
        subject,
        proptest::collection::vec(cluster_rule_strategy(false, true), 0..=2),
        proptest::collection::vec(cluster_rule_strategy(true, true), 0..=2),
    )
        .prop_map(
            |(kind, admin, priority, name, subject, mut ingress, mut egress)| {
                let tier = match kind {
                    ClusterPolicyKind::AdminNetworkPolicy => Tier::Admin,
                    ClusterPolicyKind::BaselineAdminNetworkPolicy => Tier::Baseline,
                    ClusterPolicyKind::ClusterNetworkPolicy if admin => Tier::Admin,
                    ClusterPolicyKind::ClusterNetworkPolicy => Tier::Baseline,
                };
                let banp = kind == ClusterPolicyKind::BaselineAdminNetworkPolicy;
                if banp {
                    // The BaselineAdminNetworkPolicy has no Pass.
                    for r in ingress.iter_mut().chain(&mut egress) {
                        if r.action == Action::Pass {
                            r.action = Action::Deny;
                        }
                    }
                }
                ClusterPolicy {
                    kind,
                    name: name.to_string(),
                    tier,
                    priority: (!banp).then_some(priority),
                    subject,
                    ingress,
                    egress,
                    span: Span::default(),
                }
            },
        )
}

/// A model with tiered policies and nodes.
fn tiered_model_strategy() -> impl Strategy<Value = Model> {
    (
        model_strategy(),
        proptest::collection::vec(cluster_policy_strategy(), 1..=4),
        proptest::collection::vec(labels_strategy(), 0..=2),
    )
        .prop_map(|(mut m, policies, nodes)| {
            // Names unique per kind, in an order unrelated to the input order.
            m.cluster_policies = policies
                .into_iter()
                .enumerate()
                .map(|(i, p)| ClusterPolicy {
                    name: format!("{}{}", p.name, 9 - i),
                    ..p
                })
                .collect();
            m.nodes = nodes
                .into_iter()
                .enumerate()
                .map(|(i, labels)| Node {
                    name: format!("node{i}"),
                    labels,
                    ips: vec![ip(&format!("172.18.0.{}", i + 2))],
                    span: Span::default(),
                })
                .collect();
            m
        })
}

/// A direct reading of the API reference, written without the engine's index.
mod oracle {
    use super::*;

    pub enum Ep<'a> {
        Pod(&'a Pod),
        Ext(IpAddr),
        Node(&'a Node),
    }

    fn in_cidr(c: &Cidr, ip: IpAddr) -> bool {
        match (c.addr, ip) {
            (IpAddr::V4(a), IpAddr::V4(b)) => {
                let bits = 32 - u32::from(c.prefix);
                if bits >= 32 {
                    true
                } else {
                    u32::from(a) >> bits == u32::from(b) >> bits
                }
            }
            _ => false,
        }
    }

    fn selects(sel: &LabelSelector, labels: &Labels) -> bool {
        sel.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && sel.match_expressions.iter().all(|r| {
                let v = labels.get(&r.key);
                match r.operator {
                    Operator::In => v.is_some_and(|v| r.values.contains(v)),
                    Operator::NotIn => !v.is_some_and(|v| r.values.contains(v)),
                    Operator::Exists => v.is_some(),
                    Operator::DoesNotExist => v.is_none(),
                }
            })
    }

    fn peer_ok(m: &Model, pol: &NetworkPolicy, peer: &NetworkPolicyPeer, ep: &Ep) -> bool {
        if let Some(b) = &peer.ip_block {
            let ips: Vec<IpAddr> = match ep {
                Ep::Pod(p) => p.ips.clone(),
                Ep::Ext(ip) => vec![*ip],
                Ep::Node(n) => n.ips.clone(),
            };
            return ips.iter().any(|ip| {
                in_cidr(&b.cidr, *ip) && !b.except.iter().any(|e| in_cidr(&e.cidr, *ip))
            });
        }
        let Ep::Pod(pod) = ep else { return false };
        let ns_ok = match &peer.namespace_selector {
            None => pod.namespace == pol.namespace,
            Some(s) => selects(s, &m.namespace(&pod.namespace).unwrap().labels),
        };
        ns_ok
            && peer
                .pod_selector
                .as_ref()
                .is_none_or(|s| selects(s, &pod.labels))
    }

    fn port_ok(rule: &Rule, pp: PortProto, dst: &Ep) -> bool {
        rule.ports.is_empty()
            || rule.ports.iter().any(|p| {
                p.protocol == pp.protocol
                    && match &p.port {
                        None => true,
                        Some(PortRef::Number(n)) => {
                            *n <= pp.port && pp.port <= p.end_port.unwrap_or(*n)
                        }
                        Some(PortRef::Named(name)) => match dst {
                            Ep::Pod(d) => d.ports.iter().any(|c| {
                                c.name.as_deref() == Some(name)
                                    && c.protocol == pp.protocol
                                    && c.port == pp.port
                            }),
                            Ep::Ext(_) | Ep::Node(_) => false,
                        },
                    }
            })
    }

    /// What NetworkPolicy says about `me`'s side of the flow in `dir`.
    pub fn np_verdict(
        m: &Model,
        dir: PolicyType,
        me: &Pod,
        peer: &Ep,
        dst: &Ep,
        pp: PortProto,
    ) -> NpVerdict {
        let isolating: Vec<&NetworkPolicy> = m
            .policies
            .iter()
            .filter(|p| {
                p.namespace == me.namespace
                    && selects(&p.pod_selector, &me.labels)
                    && p.affects(dir)
            })
            .collect();
        let allows = isolating.iter().any(|p| {
            p.rules(dir).iter().any(|r| {
                (r.peers.is_empty() || r.peers.iter().any(|x| peer_ok(m, p, x, peer)))
                    && port_ok(r, pp, dst)
            })
        });
        match (isolating.is_empty(), allows) {
            (true, _) => NpVerdict::NotSelected,
            (false, true) => NpVerdict::Allowed,
            (false, false) => NpVerdict::Denied,
        }
    }

    fn pod_view<'a>(m: &'a Model, p: &'a Pod) -> PodView<'a> {
        PodView {
            labels: &p.labels,
            namespace_labels: &m.namespace(&p.namespace).unwrap().labels,
            ips: &p.ips,
            ports: &p.ports,
        }
    }

    fn peer_view<'a>(m: &'a Model, ep: &'a Ep<'a>) -> PeerView<'a> {
        match ep {
            Ep::Pod(p) => PeerView::Pod(pod_view(m, p)),
            Ep::Ext(ip) => PeerView::External { ip: *ip },
            Ep::Node(n) => PeerView::Node {
                labels: &n.labels,
                ips: &n.ips,
            },
        }
    }

    /// `me`'s side in `dir`: NetworkPolicy's verdict, then the tier walk when the model has
    /// tiered policies (`tiered::decide` over selectors).
    fn tiered_side(
        m: &Model,
        dir: PolicyType,
        me: &Pod,
        peer: &Ep,
        dst: &Ep,
        pp: PortProto,
    ) -> bool {
        let np = np_verdict(m, dir, me, peer, dst, pp);
        if m.cluster_policies.is_empty() {
            return np != NpVerdict::Denied;
        }
        let flow = Direct {
            policies: &m.cluster_policies,
            dir,
            subject: pod_view(m, me),
            other: peer_view(m, peer),
            port: pp,
        };
        let order = TierOrder::new(&m.cluster_policies);
        decide(&m.cluster_policies, &order, dir, &flow, np).allowed
    }

    pub fn allowed(m: &Model, src: &Ep, dst: &Ep, pp: PortProto) -> Option<bool> {
        match (src, dst) {
            (Ep::Pod(a), Ep::Pod(b)) if std::ptr::eq(*a, *b) => Some(true),
            (Ep::Pod(_), _) | (_, Ep::Pod(_)) => {
                let egress = match src {
                    Ep::Pod(s) => tiered_side(m, PolicyType::Egress, s, dst, dst, pp),
                    _ => true,
                };
                let ingress = match dst {
                    Ep::Pod(d) => tiered_side(m, PolicyType::Ingress, d, src, dst, pp),
                    _ => true,
                };
                Some(egress && ingress)
            }
            _ => None,
        }
    }
}

fn ep<'a>(m: &'a Model, kind: EndpointKind) -> oracle::Ep<'a> {
    match kind {
        EndpointKind::Pod { pod } => oracle::Ep::Pod(&m.pods[pod]),
        EndpointKind::External { external } => oracle::Ep::Ext(m.externals[external].ip),
        EndpointKind::Node { node } => oracle::Ep::Node(&m.nodes[node]),
    }
}

const PORTS: [(u16, Protocol); 6] = [
    (80, Protocol::Tcp),
    (81, Protocol::Tcp),
    (81, Protocol::Udp),
    (443, Protocol::Tcp),
    (444, Protocol::Tcp),
    (8080, Protocol::Sctp),
];

fn check_matrix_and_explain(m: &Model) -> Result<(), TestCaseError> {
    let c = compile(m.clone());
    for (port, protocol) in PORTS {
        let pp = PortProto::new(port, protocol);
        let matrix = c.matrix(pp);
        for (i, a) in c.endpoints().iter().enumerate() {
            for (j, b) in c.endpoints().iter().enumerate() {
                let want = oracle::allowed(m, &ep(m, a.kind), &ep(m, b.kind), pp);
                let got = matrix.allowed(EndpointId(i), EndpointId(j));
                prop_assert_eq!(
                    want.unwrap_or(false),
                    got,
                    "{} -> {} on {}",
                    a.name,
                    b.name,
                    pp
                );
                let ex = c.explain(EndpointId(i), EndpointId(j), pp);
                prop_assert_eq!(ex.allowed(), got, "explain disagrees: {}", ex.to_text());
            }
        }
    }
    Ok(())
}

fn check_connectivity(m: &Model) -> Result<(), TestCaseError> {
    let c = compile(m.clone());
    let conns = c.connectivity();
    let mut by_pair: BTreeMap<(usize, usize, Protocol), Vec<(u16, u16)>> = BTreeMap::new();
    for conn in &conns {
        by_pair.insert(
            (conn.from.index(), conn.to.index(), conn.protocol),
            conn.ports.clone(),
        );
    }
    let extra = [
        (1, Protocol::Tcp),
        (65535, Protocol::Udp),
        (79, Protocol::Tcp),
    ];
    for (port, protocol) in PORTS.iter().copied().chain(extra) {
        let pp = PortProto::new(port, protocol);
        let matrix = c.matrix(pp);
        let n = c.endpoints().len();
        for i in 0..n {
            for j in 0..n {
                let listed = by_pair
                    .get(&(i, j, protocol))
                    .is_some_and(|r| r.iter().any(|&(lo, hi)| lo <= port && port <= hi));
                let (a, b) = (&c.endpoints()[i].name, &c.endpoints()[j].name);
                prop_assert_eq!(
                    listed,
                    matrix.allowed(EndpointId(i), EndpointId(j)),
                    "{} -> {} {}",
                    a,
                    b,
                    pp
                );
            }
        }
    }
    for conn in &conns {
        for w in conn.ports.windows(2) {
            prop_assert!(
                w[0].1 + 1 < w[1].0,
                "ranges must be maximal and ascending: {:?}",
                conn.ports
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// The matrix equals the oracle, and `explain` gives the same verdict for every cell.
    #[test]
    fn matrix_matches_oracle_and_explain(m in model_strategy()) {
        check_matrix_and_explain(&m)?;
    }

    /// With tiered policies and nodes: the bitset matrix equals the tier walk over the
    /// NetworkPolicy oracle, and `explain` agrees.
    #[test]
    fn tiered_matrix_matches_the_walk_and_explain(m in tiered_model_strategy()) {
        check_matrix_and_explain(&m)?;
    }

    /// With tiered policies: connectivity lists exactly the allowed ports of every pair (the
    /// tiered port numbers, ranges and named ports cut the port ranges).
    #[test]
    fn tiered_connectivity_matches_matrix(m in tiered_model_strategy()) {
        check_connectivity(&m)?;
    }

    /// Connectivity lists exactly the allowed ports of every pair.
    #[test]
    fn connectivity_matches_matrix(m in model_strategy()) {
        check_connectivity(&m)?;
    }

    /// Rules are additive: once a pod is isolated in a direction, adding a policy can only widen
    /// what that direction allows; a pod that was not isolated can only lose flows.
    #[test]
    fn adding_a_policy_is_additive(m in model_strategy(), extra in policy_strategy()) {
        let before = compile(m.clone());
        let mut m2 = m.clone();
        m2.policies.push(NetworkPolicy { name: "extra".into(), ..extra });
        let after = compile(m2.clone());
        for (port, protocol) in PORTS {
            let pp = PortProto::new(port, protocol);
            let (mb, ma) = (before.matrix(pp), after.matrix(pp));
            let n = before.endpoints().len();
            for d in 0..n {
                let dst_isolated = !before.isolated_by(EndpointId(d), PolicyType::Ingress).is_empty();
                for s in 0..n {
                    let src_isolated = !before.isolated_by(EndpointId(s), PolicyType::Egress).is_empty();
                    let (was, now) = (mb.allowed(EndpointId(s), EndpointId(d)), ma.allowed(EndpointId(s), EndpointId(d)));
                    let src_pod = before.endpoints()[s].is_pod();
                    let dst_pod = before.endpoints()[d].is_pod();
                    // Both sides already isolated (or outside the cluster): only widening.
                    if (src_isolated || !src_pod) && (dst_isolated || !dst_pod) {
                        prop_assert!(!was || now, "lost {} -> {}", before.endpoints()[s].name, before.endpoints()[d].name);
                    }
                    // Neither side isolated before: only narrowing.
                    if !src_isolated && !dst_isolated {
                        prop_assert!(was || !now);
                    }
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, ..ProptestConfig::default() })]

    /// `diff` lists exactly the flows whose verdict differs, for every port of every range.
    #[test]
    fn diff_matches_the_two_matrices(m in model_strategy(), extra in policy_strategy()) {
        let mut after = m.policies.clone();
        after.push(NetworkPolicy { name: "extra".into(), ..extra });
        let m2 = Model { policies: after, ..m.clone() };
        let d = netpol_engine::diff(&m, &m, &m2);
        let (b, a) = (compile(m.clone()), compile(m2.clone()));
        for (port, protocol) in PORTS.iter().copied().chain([(1, Protocol::Tcp), (65535, Protocol::Udp)]) {
            let pp = PortProto::new(port, protocol);
            let (mb, ma) = (b.matrix(pp), a.matrix(pp));
            let range = d.ports.iter().find(|r| r.port.protocol == protocol && r.first <= port && port <= r.last);
            let n = b.endpoints().len();
            for s in 0..n {
                for t in 0..n {
                    let (was, now) = (mb.allowed(EndpointId(s), EndpointId(t)), ma.allowed(EndpointId(s), EndpointId(t)));
                    let listed_gain = range.is_some_and(|r| r.gained.iter().any(|f| (f.from, f.to) == (EndpointId(s), EndpointId(t))));
                    let listed_loss = range.is_some_and(|r| r.lost.iter().any(|f| (f.from, f.to) == (EndpointId(s), EndpointId(t))));
                    prop_assert_eq!(listed_gain, !was && now, "gain {} -> {} {}", s, t, pp);
                    prop_assert_eq!(listed_loss, was && !now, "loss {} -> {} {}", s, t, pp);
                }
            }
        }
    }

    /// Every AND/OR variant, evaluated incrementally on the compiled model, has the diff of its
    /// policy set compiled from scratch (explanations aside), with and without tiered policies.
    #[test]
    fn variants_equal_their_recompiled_diff(m in model_strategy(), t in tiered_model_strategy()) {
        for m in [m, t] {
            for v in netpol_engine::and_or_variants(&m) {
                let changed = Model { policies: v.policies(&m), ..m.clone() };
                let mut d = netpol_engine::diff(&m, &m, &changed);
                for f in d.ports.iter_mut().flat_map(|p| p.gained.iter_mut().chain(&mut p.lost)) {
                    (f.before, f.after) = (None, None);
                }
                prop_assert_eq!(&v.diff, &d, "{} {:?}", v.policy_id, v.kind);
            }
        }
    }
}
