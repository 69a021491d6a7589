//! Validation against the CRDs: messages and field paths as kube-apiserver prints them.

use std::net::IpAddr;

use super::*;
use crate::diag::{FieldPath, Severity};
use crate::model::{Protocol, Span};

#[test]
fn admin_network_policy_converts_with_its_ports() {
    let p = policy(&anp(
        10,
        "  egress:
  - name: dns
    action: Allow
    to: [{pods: {namespaceSelector: {matchLabels: {a: b}}, podSelector: {}}}]
    ports:
    - portNumber: {port: 53, protocol: UDP}
    - portNumber: {port: 80}
    - portRange: {start: 8000, end: 8080}
    - namedPort: web
  ingress:
  - action: Pass
    from: [{namespaces: {}}]
",
    ));
    assert_eq!(p.kind, ClusterPolicyKind::AdminNetworkPolicy);
    assert_eq!((p.tier, p.priority), (Tier::Admin, Some(10)));
    assert_eq!(p.egress[0].action, Action::Accept);
    assert_eq!(p.egress[0].action.written(p.kind), "Allow");
    assert_eq!(p.egress[0].name.as_deref(), Some("dns"));
    let ports: Vec<PortMatch> = p.egress[0]
        .ports
        .iter()
        .flatten()
        .map(|p| p.port.clone())
        .collect();
    assert_eq!(
        ports,
        vec![
            PortMatch::Number {
                protocol: Protocol::Udp,
                port: 53
            },
            PortMatch::Number {
                protocol: Protocol::Tcp,
                port: 80
            },
            PortMatch::Range {
                protocol: Protocol::Tcp,
                start: 8000,
                end: 8080
            },
            PortMatch::Named("web".into()),
        ]
    );
    assert_eq!(p.ingress[0].action, Action::Pass);
    assert_eq!(p.ingress[0].ports, None);
}

#[test]
fn cluster_network_policy_converts_its_protocols() {
    let p = policy(&cnp(
        "c",
        "Baseline",
        5,
        "  ingress:
  - action: Accept
    from: [{pods: {podSelector: {matchLabels: {app: web}}}}]
    protocols:
    - tcp: {destinationPort: {number: 80}}
    - udp: {destinationPort: {range: {start: 53, end: 54}}}
    - destinationNamedPort: metrics
",
    ));
    assert_eq!((p.tier, p.priority), (Tier::Baseline, Some(5)));
    assert_eq!(p.ingress[0].action.written(p.kind), "Accept");
    // v1alpha2's NamespacedPod.namespaceSelector is optional: all namespaces.
    let PeerKind::Pods(np) = &p.ingress[0].peers[0].kind else {
        panic!("expected a pods peer")
    };
    assert!(np.namespace_selector.is_empty());
    let ports: Vec<PortMatch> = p.ingress[0]
        .ports
        .iter()
        .flatten()
        .map(|p| p.port.clone())
        .collect();
    assert_eq!(
        ports,
        vec![
            PortMatch::Number {
                protocol: Protocol::Tcp,
                port: 80
            },
            PortMatch::Range {
                protocol: Protocol::Udp,
                start: 53,
                end: 54
            },
            PortMatch::Named("metrics".into()),
        ]
    );
}

/// One invalid input and the diagnostics it must produce, in any order.
fn check(yaml: &str, want: &[&str]) {
    let mut got = errors(yaml);
    let mut want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want, "for:\n{yaml}");
}

#[test]
fn priority_out_of_range_is_rejected() {
    check(
        &anp(1001, ""),
        &["error: spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000"],
    );
    check(
        &cnp("c", "Admin", -1, ""),
        &["error: spec.priority: Invalid value: -1: spec.priority in body should be greater than or equal to 0"],
    );
    check(
        &anp(1, "").replace("priority: 1", "priority: high"),
        &["error: spec.priority: Invalid value: \"string\": spec.priority in body must be of type integer: \"string\""],
    );
}

#[test]
fn required_fields_are_reported() {
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: p}\nspec: {priority: 3}\n",
        &["error: spec.subject: Required value"],
    );
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: p}\nspec: {subject: {namespaces: {}}}\n",
        &["error: spec.tier: Required value", "error: spec.priority: Required value"],
    );
    check(
        &anp(1, "  ingress:\n  - from: [{namespaces: {}}]\n  egress:\n  - action: Deny\n    to: []\n"),
        &[
            "error: spec.ingress[0].action: Required value",
            "error: spec.egress[0].to: Invalid value: 0: spec.egress[0].to in body should have at least 1 items",
        ],
    );
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {}\nspec: {subject: {namespaces: {}}}\n",
        &["error: metadata.name: Required value: name or generateName is required"],
    );
}

#[test]
fn subject_needs_exactly_one_field() {
    check(
        &anp(1, "").replace("{namespaces: {}}", "{}"),
        &["error: spec.subject: Invalid value: 1: spec.subject in body should have at least 1 properties"],
    );
    check(
        &anp(1, "").replace(
            "{namespaces: {}}",
            "{namespaces: {}, pods: {namespaceSelector: {}, podSelector: {}}}",
        ),
        &["error: spec.subject: Too many: 2: must have at most 1 items"],
    );
    // v1alpha1's NamespacedPod requires both selectors.
    check(
        &anp(1, "").replace("{namespaces: {}}", "{pods: {podSelector: {}}}"),
        &["error: spec.subject.pods.namespaceSelector: Required value"],
    );
}

#[test]
fn baseline_admin_network_policy_must_be_named_default() {
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: baseline}\nspec: {subject: {namespaces: {}}}\n",
        &["error: <nil>: Invalid value: \"object\": Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster"],
    );
    let p = policy("apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Deny, from: [{namespaces: {}}]}\n");
    assert_eq!((p.tier, p.priority), (Tier::Baseline, None));
}

#[test]
fn actions_are_checked_per_kind() {
    check(
        &anp(1, "  ingress:\n  - {action: Accept, from: [{namespaces: {}}]}\n"),
        &["error: spec.ingress[0].action: Unsupported value: \"Accept\": supported values: \"Allow\", \"Deny\", \"Pass\""],
    );
    check(
        &cnp("c", "Admin", 1, "  ingress:\n  - {action: Allow, from: [{namespaces: {}}]}\n"),
        &["error: spec.ingress[0].action: Unsupported value: \"Allow\": supported values: \"Accept\", \"Deny\", \"Pass\""],
    );
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n  - {action: Pass, to: [{namespaces: {}}]}\n",
        &["error: spec.egress[0].action: Unsupported value: \"Pass\": supported values: \"Allow\", \"Deny\""],
    );
}

#[test]
fn named_ports_beside_networks_or_nodes_are_rejected() {
    check(
        &cnp(
            "c",
            "Admin",
            1,
            "  egress:\n  - action: Accept\n    to: [{networks: [10.0.0.0/8]}]\n    protocols: [{destinationNamedPort: web}]\n",
        ),
        &["error: spec.egress[0]: Invalid value: \"object\": networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames"],
    );
    check(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  egress:\n  - action: Allow\n    to: [{nodes: {}}]\n    ports: [{namedPort: web}]\n",
        &["error: spec.egress[0]: Invalid value: \"object\": networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes"],
    );
    // Beside pods peers a named port is fine.
    policy(&cnp(
        "c",
        "Admin",
        1,
        "  egress:\n  - action: Accept\n    to: [{namespaces: {}}]\n    protocols: [{destinationNamedPort: web}]\n",
    ));
}

#[test]
fn networks_must_be_cidrs() {
    let with = |cidr: &str| {
        cnp(
            "c",
            "Admin",
            1,
            &format!("  egress:\n  - action: Deny\n    to: [{{networks: ['{cidr}']}}]\n"),
        )
    };
    for bad in [
        "10.0.0.0/33",
        "010.0.0.0/8",
        "10.0.0.0",
        "10.0.0.0/08",
        "fe80::1%eth0/64",
        "2001:db8::/129",
    ] {
        check(
            &with(bad),
            &["error: spec.egress[0].to[0].networks[0]: Invalid value: \"string\": Invalid CIDR format provided"],
        );
    }
    let (p, diags) = parse_with_diags(&with("10.1.2.3/16"));
    assert_eq!(
        diags,
        vec!["warning: spec.egress[0].to[0].networks[0]: \"10.1.2.3/16\" has host bits set; it is evaluated as 10.1.0.0/16"]
    );
    let PeerKind::Networks(nets) = &p.unwrap().egress[0].peers[0].kind else {
        panic!("expected networks")
    };
    assert_eq!(nets[0].cidr.addr, "10.1.0.0".parse::<IpAddr>().unwrap());
    check(
        &cnp(
            "c",
            "Admin",
            1,
            "  egress:\n  - action: Deny\n    to: [{networks: [10.0.0.0/8, 10.0.0.0/8]}]\n",
        ),
        &["error: spec.egress[0].to[0].networks[1]: Duplicate value: \"10.0.0.0/8\""],
    );
}

#[test]
fn port_ranges_and_protocols_follow_each_version() {
    check(
        &cnp(
            "c",
            "Admin",
            1,
            "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}]\n",
        ),
        &["error: spec.ingress[0].protocols[0].tcp.destinationPort.range: Invalid value: \"object\": Start port must be less than End port"],
    );
    check(
        &cnp(
            "c",
            "Admin",
            1,
            "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    protocols: [{tcp: {}}]\n",
        ),
        &["error: spec.ingress[0].protocols[0].tcp: Invalid value: 1: spec.ingress[0].protocols[0].tcp in body should have at least 1 properties"],
    );
    check(
        &anp(
            1,
            "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {port: 0}}]\n",
        ),
        &["error: spec.ingress[0].ports[0].portNumber.port: Invalid value: 0: spec.ingress[0].ports[0].portNumber.port in body should be greater than or equal to 1"],
    );
    // v1alpha1 has no rule for start > end: accepted, matches nothing.
    let (p, diags) = parse_with_diags(&anp(
        1,
        "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portRange: {start: 90, end: 80}}]\n",
    ));
    assert!(p.is_some());
    assert_eq!(
        diags,
        vec!["warning: spec.ingress[0].ports[0].portRange: start 90 is greater than end 80: this range matches no port"]
    );
}

#[test]
fn fields_of_the_other_version_are_dropped_with_a_warning() {
    let (p, diags) = parse_with_diags(&cnp(
        "c",
        "Admin",
        1,
        "  ingress:\n  - action: Deny\n    from: [{namespaces: {}}]\n    ports: [{portNumber: {port: 80}}]\n",
    ));
    assert_eq!(diags.len(), 1);
    assert!(diags[0].starts_with(
        "warning: unknown field \"spec.ingress[0].ports\"; ClusterNetworkPolicy (v1alpha2) lists ports under \"protocols\""
    ));
    // Pruned: the rule matches every port.
    assert_eq!(p.unwrap().ingress[0].ports, None);

    // An ingress `networks` peer is unknown, and the peer left empty fails minProperties.
    let diags = errors(&cnp(
        "c",
        "Admin",
        1,
        "  ingress:\n  - action: Deny\n    from: [{networks: [10.0.0.0/8]}]\n",
    ));
    assert_eq!(diags.len(), 2, "{diags:#?}");
    assert!(diags.contains(
        &"error: spec.ingress[0].from[0]: Invalid value: 1: spec.ingress[0].from[0] in body should have at least 1 properties".to_string()
    ));
    assert!(diags
        .iter()
        .any(|d| d.starts_with("warning: unknown field \"spec.ingress[0].from[0].networks\"")));
}

#[test]
fn a_namespace_selector_inside_namespaces_selects_every_namespace() {
    let (p, diags) = parse_with_diags(&anp(
        1,
        "  ingress:\n  - action: Deny\n    from:\n    - namespaces:\n        namespaceSelector: {matchLabels: {a: b}}\n",
    ));
    assert_eq!(diags.len(), 1);
    assert!(
        diags[0].contains("unknown field \"spec.ingress[0].from[0].namespaces.namespaceSelector\"")
    );
    let PeerKind::Namespaces(sel) = &p.unwrap().ingress[0].peers[0].kind else {
        panic!("expected namespaces")
    };
    assert!(sel.is_empty());
}

#[test]
fn invalid_selectors_are_rejected() {
    check(
        &anp(1, "").replace(
            "{namespaces: {}}",
            "{namespaces: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}}",
        ),
        &["error: spec.subject.namespaces.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator"],
    );
    check(
        &anp(1, "").replace(
            "{namespaces: {}}",
            "{namespaces: {matchExpressions: [{key: a, operator: In}]}}",
        ),
        &["error: spec.subject.namespaces.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
    );
    check(
        &anp(1, "").replace(
            "{namespaces: {}}",
            "{namespaces: {matchExpressions: [{operator: Exists}]}}",
        ),
        &["error: spec.subject.namespaces.matchExpressions[0].key: Required value"],
    );
}

#[test]
fn wrong_api_versions_are_rejected() {
    let yaml = cnp("c", "Admin", 1, "").replace("v1alpha2", "v1alpha1");
    check(
        &yaml,
        &["error: apiVersion: no matches for kind \"ClusterNetworkPolicy\" in version \"policy.networking.k8s.io/v1alpha1\": ClusterNetworkPolicy is served by policy.networking.k8s.io/v1alpha2"],
    );
}

#[test]
fn nodes_read_labels_and_ip_addresses() {
    let value: serde_yaml::Value = serde_yaml::from_str(
        "apiVersion: v1\nkind: Node\nmetadata:\n  name: worker\n  labels: {kubernetes.io/os: linux}\nspec: {podCIDR: 10.244.1.0/24}\nstatus:\n  addresses:\n  - {type: InternalIP, address: 172.18.0.3}\n  - {type: Hostname, address: worker}\n  - {type: InternalIP, address: 'fc00:f853::3'}\n",
    )
    .unwrap();
    let loc = |_: &FieldPath| Span::default();
    let (n, diags) = node(&value, &FieldPath::root(), &loc);
    assert!(diags.is_empty(), "{diags:#?}");
    let n = n.unwrap();
    assert_eq!(n.name, "worker");
    assert_eq!(
        n.labels.get("kubernetes.io/os").map(String::as_str),
        Some("linux")
    );
    assert_eq!(
        n.ips,
        vec![
            "172.18.0.3".parse::<IpAddr>().unwrap(),
            "fc00:f853::3".parse::<IpAddr>().unwrap()
        ]
    );

    let value: serde_yaml::Value =
        serde_yaml::from_str("kind: Node\nmetadata: {name: bare}\n").unwrap();
    let (n, diags) = node(&value, &FieldPath::root(), &loc);
    assert!(n.is_some());
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].severity, Severity::Warning);
    assert!(diags[0].message.contains("node bare has no IP address"));
}
