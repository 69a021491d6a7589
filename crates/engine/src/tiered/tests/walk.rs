//! The tier walk, on small hand-built worlds.

use std::collections::BTreeMap;
use std::net::IpAddr;

use super::*;
use crate::model::{ContainerPort, Labels, PolicyType, PortProto, Protocol};

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect::<BTreeMap<_, _>>()
}

/// A small world: pods `x/a` and `y/b`, a node and an external.
struct World {
    ns_x: Labels,
    ns_y: Labels,
    a: Labels,
    b: Labels,
    a_ips: Vec<IpAddr>,
    b_ips: Vec<IpAddr>,
    b_ports: Vec<ContainerPort>,
    node_labels: Labels,
    node_ips: Vec<IpAddr>,
}

fn world() -> World {
    World {
        ns_x: labels(&[("kubernetes.io/metadata.name", "x")]),
        ns_y: labels(&[("kubernetes.io/metadata.name", "y"), ("team", "blue")]),
        a: labels(&[("app", "a")]),
        b: labels(&[("app", "b")]),
        a_ips: vec!["10.1.0.2".parse().unwrap()],
        b_ips: vec!["10.2.0.2".parse().unwrap()],
        b_ports: vec![ContainerPort {
            name: Some("web".into()),
            port: 8080,
            protocol: Protocol::Tcp,
        }],
        node_labels: labels(&[("kubernetes.io/os", "linux")]),
        node_ips: vec!["172.18.0.2".parse().unwrap()],
    }
}

impl World {
    fn pod_a(&self) -> PodView<'_> {
        PodView {
            labels: &self.a,
            namespace_labels: &self.ns_x,
            ips: &self.a_ips,
            ports: &[],
        }
    }

    fn pod_b(&self) -> PodView<'_> {
        PodView {
            labels: &self.b,
            namespace_labels: &self.ns_y,
            ips: &self.b_ips,
            ports: &self.b_ports,
        }
    }

    fn node(&self) -> PeerView<'_> {
        PeerView::Node {
            labels: &self.node_labels,
            ips: &self.node_ips,
        }
    }
}

fn pp(s: &str) -> PortProto {
    PortProto::parse(s).unwrap()
}

/// Decides the egress side of `x/a → other` on `port`.
fn egress(
    policies: &[ClusterPolicy],
    w: &World,
    other: PeerView<'_>,
    port: &str,
    np: NpVerdict,
) -> TierDecision {
    let order = TierOrder::new(policies);
    let m = Direct {
        policies,
        dir: PolicyType::Egress,
        subject: w.pod_a(),
        other,
        port: pp(port),
    };
    decide(policies, &order, PolicyType::Egress, &m, np)
}

/// Decides the ingress side of `x/a → y/b` on `port`.
fn ingress_to_b(policies: &[ClusterPolicy], w: &World, port: &str, np: NpVerdict) -> TierDecision {
    let order = TierOrder::new(policies);
    let m = Direct {
        policies,
        dir: PolicyType::Ingress,
        subject: w.pod_b(),
        other: PeerView::Pod(w.pod_a()),
        port: pp(port),
    };
    decide(policies, &order, PolicyType::Ingress, &m, np)
}

fn admin(name: &str, priority: i64, rules: &str) -> ClusterPolicy {
    policy(&cnp(name, "Admin", priority, rules))
}

fn baseline(name: &str, priority: i64, rules: &str) -> ClusterPolicy {
    policy(&cnp(name, "Baseline", priority, rules))
}

const EGRESS_ALL: &str = "to: [{namespaces: {}}]";

fn egress_rule(action: &str) -> String {
    format!("  egress:\n  - {{action: {action}, {EGRESS_ALL}}}\n")
}

#[test]
fn lower_priority_numbers_run_first() {
    let w = world();
    let ps = [
        admin("allow", 20, &egress_rule("Accept")),
        admin("deny", 10, &egress_rule("Deny")),
    ];
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert!(!d.allowed);
    assert_eq!(
        d.decided_by,
        DecidedBy::Admin(RuleRef {
            policy: 1,
            rule: 0,
            action: Action::Deny
        })
    );
    assert_eq!(d.walked, vec![1]);
}

#[test]
fn the_first_matching_rule_of_a_policy_decides() {
    let w = world();
    let ps = [admin(
        "p",
        1,
        "  egress:\n  - {action: Accept, to: [{namespaces: {matchLabels: {team: blue}}}]}\n  - {action: Deny, to: [{namespaces: {}}]}\n",
    )];
    let to_b = egress(&ps, &w, PeerView::Pod(w.pod_b()), "80", NpVerdict::Denied);
    assert!(to_b.allowed, "Accept admits even what NetworkPolicy denies");
    assert_eq!(to_b.decided_by.tier_name(), "Admin");
    let to_a = egress(&ps, &w, PeerView::Pod(w.pod_a()), "80", NpVerdict::Allowed);
    assert!(!to_a.allowed, "Deny wins over a NetworkPolicy allow");
}

#[test]
fn pass_hands_the_decision_to_network_policy_then_baseline() {
    let w = world();
    let ps = [
        admin("pass", 1, &egress_rule("Pass")),
        admin("deny", 2, &egress_rule("Deny")),
        baseline("base", 1, &egress_rule("Deny")),
    ];
    let pass = Some(RuleRef {
        policy: 0,
        rule: 0,
        action: Action::Pass,
    });
    let other = || PeerView::Pod(w.pod_b());
    let d = egress(&ps, &w, other(), "80", NpVerdict::Allowed);
    assert_eq!(
        (d.allowed, d.decided_by, d.admin_pass),
        (true, DecidedBy::NetworkPolicy, pass)
    );
    // The lower Admin deny was skipped: it is not even walked.
    assert_eq!(d.walked, vec![0]);
    let d = egress(&ps, &w, other(), "80", NpVerdict::Denied);
    assert_eq!((d.allowed, d.decided_by), (false, DecidedBy::NetworkPolicy));
    let d = egress(&ps, &w, other(), "80", NpVerdict::NotSelected);
    assert!(!d.allowed);
    assert_eq!(d.decided_by.tier_name(), "Baseline");
    assert_eq!(d.walked, vec![0, 2]);
}

#[test]
fn baseline_applies_only_without_network_policy_and_default_allows() {
    let w = world();
    let ps = [baseline("base", 1, &egress_rule("Deny"))];
    let d = egress(&ps, &w, PeerView::Pod(w.pod_b()), "80", NpVerdict::Allowed);
    assert_eq!((d.allowed, d.decided_by), (true, DecidedBy::NetworkPolicy));
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert_eq!(d.decided_by.tier_name(), "Baseline");
    assert!(!d.allowed);
    let d = egress(
        &[],
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert_eq!((d.allowed, d.decided_by), (true, DecidedBy::Default));
}

#[test]
fn baseline_pass_falls_through_to_default_allow() {
    let w = world();
    let ps = [
        baseline("pass", 1, &egress_rule("Pass")),
        baseline("deny", 2, &egress_rule("Deny")),
    ];
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert_eq!((d.allowed, d.decided_by), (true, DecidedBy::Default));
    assert_eq!(
        d.baseline_pass,
        Some(RuleRef {
            policy: 0,
            rule: 0,
            action: Action::Pass
        })
    );
}

#[test]
fn equal_priorities_run_by_name_then_kind_and_are_reported_as_ties() {
    let w = world();
    let ps = [
        admin("b-deny", 5, &egress_rule("Deny")),
        admin("a-accept", 5, &egress_rule("Accept")),
        admin("c-late", 6, &egress_rule("Deny")),
    ];
    let order = TierOrder::new(&ps);
    assert_eq!(order.admin, vec![1, 0, 2]);
    assert_eq!(order.ties(&ps), vec![(1, 0)]);
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert!(d.allowed);

    // The same name and priority in both API versions: AdminNetworkPolicy first.
    let v1 = policy(&anp(5, &egress_rule("Deny")).replace("name: p", "name: same"));
    let v2 = admin("same", 5, &egress_rule("Accept"));
    assert_eq!(TierOrder::new(&[v2, v1]).admin, vec![1, 0]);
}

#[test]
fn the_baseline_admin_network_policy_runs_after_baseline_cluster_network_policies() {
    let banp = policy("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}]}\n");
    let ps = [banp, baseline("late", 1000, &egress_rule("Accept"))];
    assert_eq!(TierOrder::new(&ps).baseline, vec![1, 0]);
    let w = world();
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert!(d.allowed);
}

#[test]
fn peers_match_pods_nodes_and_ips() {
    let w = world();
    let ps = [admin(
        "p",
        1,
        "  egress:\n  - {action: Accept, to: [{nodes: {matchLabels: {kubernetes.io/os: linux}}}]}\n  - {action: Deny, to: [{networks: [10.2.0.0/16]}]}\n  - {action: Deny, to: [{networks: [203.0.113.0/24]}]}\n",
    )];
    let d = egress(&ps, &w, w.node(), "80", NpVerdict::NotSelected);
    assert!(d.allowed);
    assert_eq!(d.decided_by.tier_name(), "Admin");
    // networks match pod IPs, not only externals.
    let d = egress(
        &ps,
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert!(!d.allowed);
    let ext = PeerView::External {
        ip: "203.0.113.9".parse().unwrap(),
    };
    assert!(!egress(&ps, &w, ext, "80", NpVerdict::NotSelected).allowed);
    let other = PeerView::External {
        ip: "198.51.100.1".parse().unwrap(),
    };
    let d = egress(&ps, &w, other, "80", NpVerdict::NotSelected);
    assert_eq!((d.allowed, d.decided_by), (true, DecidedBy::Default));
    // A pods peer never matches a node.
    let pods_only = [admin("q", 1, &egress_rule("Deny"))];
    assert!(egress(&pods_only, &w, w.node(), "80", NpVerdict::NotSelected).allowed);
}

#[test]
fn ports_ranges_are_inclusive_and_named_ports_resolve_on_the_destination() {
    let w = world();
    let ps = [admin(
        "p",
        1,
        "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols:\n    - tcp: {destinationPort: {range: {start: 80, end: 81}}}\n    - destinationNamedPort: web\n",
    )];
    for (port, denied) in [
        ("79", false),
        ("80", true),
        ("81", true),
        ("82", false),
        ("80/UDP", false),
        ("8080", true),
        ("8080/UDP", false),
    ] {
        let d = ingress_to_b(&ps, &w, port, NpVerdict::NotSelected);
        assert_eq!(d.allowed, !denied, "port {port}");
    }
    // Egress to a node: the named port never matches (the node has no container ports).
    let eg = [admin(
        "e",
        1,
        "  egress:\n  - action: Deny\n    to: [{namespaces: {}}]\n    protocols: [{destinationNamedPort: web}]\n",
    )];
    assert!(
        !egress(
            &eg,
            &w,
            PeerView::Pod(w.pod_b()),
            "8080",
            NpVerdict::NotSelected
        )
        .allowed
    );
    assert!(egress(&eg, &w, w.node(), "8080", NpVerdict::NotSelected).allowed);
}

#[test]
fn subjects_select_by_namespace_and_pod() {
    let w = world();
    let only_b = policy(
        &cnp("p", "Admin", 1, &egress_rule("Deny")).replace(
            "{namespaces: {}}\n",
            "{pods: {namespaceSelector: {matchLabels: {team: blue}}, podSelector: {matchLabels: {app: b}}}}\n",
        ),
    );
    assert!(subject_selects(&only_b.subject, &w.pod_b()));
    assert!(!subject_selects(&only_b.subject, &w.pod_a()));
    // x/a is not selected: the walk never reaches the rule.
    let d = egress(
        &[only_b],
        &w,
        PeerView::Pod(w.pod_b()),
        "80",
        NpVerdict::NotSelected,
    );
    assert_eq!((d.allowed, d.decided_by), (true, DecidedBy::Default));
    assert!(d.walked.is_empty());
}

#[test]
fn port_cuts_cover_every_number_range_and_name() {
    let ps = [admin(
        "p",
        1,
        "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols:\n    - tcp: {destinationPort: {range: {start: 80, end: 81}}}\n    - udp: {destinationPort: {number: 53}}\n    - destinationNamedPort: web\n",
    )];
    let (tcp, names) = ports::cuts(&ps, Protocol::Tcp);
    assert_eq!(tcp.into_iter().collect::<Vec<_>>(), vec![80, 82]);
    assert_eq!(names.into_iter().collect::<Vec<_>>(), vec!["web"]);
    let (udp, _) = ports::cuts(&ps, Protocol::Udp);
    assert_eq!(udp.into_iter().collect::<Vec<_>>(), vec![53, 54]);
    assert_eq!(ports::signature(&ps, pp("80")), vec![true, false]);
    assert_eq!(
        ports::signature(&ps, pp("81")),
        ports::signature(&ps, pp("80"))
    );
    assert_eq!(ports::signature(&ps, pp("82")), vec![false, false]);
    let named: Vec<String> = ports::named_numbers(&ps)
        .iter()
        .map(|p| p.to_string())
        .collect();
    // `PortProto` orders by number, then protocol.
    assert_eq!(named, vec!["53/UDP", "80/TCP", "81/TCP"]);
}
