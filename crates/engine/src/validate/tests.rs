//! Validation tests: small named cases, each an input YAML and the expected output.
//!
//! [`check`] shows the diagnostics (`severity[code] message`) and whether a policy came out;
//! [`check_policy`] adds the converted policy; [`check_paths`] shows where each diagnostic is
//! positioned. Expected texts follow the apiserver's wording (see the module docs).

use std::cell::RefCell;
use std::fmt::Write as _;

use expect_test::{expect, Expect};
use k8s_openapi::api::networking::v1 as np;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde_yaml::Value;

use super::cidr::CIDR_INVALID;
use super::errors::{go_quote, UNKNOWN_FIELD};
use super::names::mask_trailing_dash;
use super::{
    dns1123_label_errors, dns1123_subdomain_errors, label_key_errors, label_selector,
    label_value_errors, network_policy, parse_cidr, port_name_errors,
};
use crate::diag::{FieldPath, PathDiag};
use crate::model::{self, Span};

/// Removes the first newline and the common indentation, so YAML can be written indented.
fn trim_indent(text: &str) -> String {
    let text = text.strip_prefix('\n').unwrap_or(text);
    let indent = text
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| line.len() - line.trim_start().len())
        .min()
        .unwrap_or(0);
    text.split_inclusive('\n')
        .map(|line| line.get(indent..).unwrap_or(line.trim_start_matches(' ')))
        .collect()
}

fn run(yaml: &str) -> (Option<model::NetworkPolicy>, Vec<PathDiag>) {
    let yaml = trim_indent(yaml);
    let value: Value = serde_yaml::from_str(&yaml).expect("test YAML parses");
    let obj: np::NetworkPolicy =
        serde_yaml::from_value(value.clone()).expect("test YAML is a NetworkPolicy");
    network_policy(&value, &obj, &FieldPath::root(), &|_| Span::default())
}

/// One line per diagnostic, `severity[code] message`, then whether a policy came out.
fn check(yaml: &str, expect: Expect) {
    let (policy, diags) = run(yaml);
    let mut out = show_diagnostics(&diags);
    let verdict = if policy.is_some() {
        "accepted"
    } else {
        "rejected"
    };
    let _ = writeln!(out, "policy: {verdict}");
    expect.assert_eq(&out);
}

/// The diagnostics as [`check`] shows them, then the converted policy.
fn check_policy(yaml: &str, expect: Expect) {
    let (policy, diags) = run(yaml);
    let mut out = show_diagnostics(&diags);
    match policy {
        Some(p) => out.push_str(&show_policy(&p)),
        None => out.push_str("policy: rejected\n"),
    }
    expect.assert_eq(&out);
}

/// One line per diagnostic: `path | message`.
fn check_paths(yaml: &str, expect: Expect) {
    let (_, diags) = run(yaml);
    let out: String = diags
        .iter()
        .map(|d| format!("{} | {}\n", d.path, d.message))
        .collect();
    expect.assert_eq(&out);
}

fn show_diagnostics(diags: &[PathDiag]) -> String {
    diags
        .iter()
        .map(|d| format!("{}[{}] {}\n", d.severity.as_str(), d.code, d.message))
        .collect()
}

/// The converted policy, one line per selector, rule, peer and port.
fn show_policy(p: &model::NetworkPolicy) -> String {
    let mut types = Vec::new();
    if p.affects_ingress {
        types.push("Ingress");
    }
    if p.affects_egress {
        types.push("Egress");
    }
    let how = if p.policy_types_explicit {
        "as listed"
    } else {
        "defaulted"
    };
    let mut out = format!(
        "policy {}: policyTypes [{}] {how}\n",
        p.id(),
        types.join(", ")
    );
    let _ = writeln!(out, "podSelector {}", show_selector(&p.pod_selector));
    for (direction, peers_key, rules) in
        [("ingress", "from", &p.ingress), ("egress", "to", &p.egress)]
    {
        for (i, rule) in rules.iter().enumerate() {
            let _ = writeln!(
                out,
                "{direction}[{i}]: {} peers, {} ports",
                rule.peers.len(),
                rule.ports.len()
            );
            for (j, peer) in rule.peers.iter().enumerate() {
                let _ = writeln!(out, "  {peers_key}[{j}]: {}", show_peer(peer));
            }
            for (j, port) in rule.ports.iter().enumerate() {
                let number = match &port.port {
                    Some(model::PortRef::Number(n)) => n.to_string(),
                    Some(model::PortRef::Named(name)) => name.clone(),
                    None => "(every port)".to_string(),
                };
                let end = port.end_port.map(|e| format!("-{e}")).unwrap_or_default();
                let _ = writeln!(out, "  ports[{j}]: {} {number}{end}", port.protocol);
            }
        }
    }
    out
}

fn show_selector(s: &model::LabelSelector) -> String {
    let labels = s.match_labels.iter().map(|(k, v)| format!("{k}={v}"));
    let expressions = s
        .match_expressions
        .iter()
        .map(|r| format!("{} {:?} {:?}", r.key, r.operator, r.values));
    let parts: Vec<String> = labels.chain(expressions).collect();
    format!("{{{}}}", parts.join(", "))
}

fn show_peer(peer: &model::NetworkPolicyPeer) -> String {
    let mut parts = Vec::new();
    if let Some(s) = &peer.namespace_selector {
        parts.push(format!("namespaceSelector {}", show_selector(s)));
    }
    if let Some(s) = &peer.pod_selector {
        parts.push(format!("podSelector {}", show_selector(s)));
    }
    if let Some(b) = &peer.ip_block {
        let cidr =
            |c: &model::Cidr, text: &str| format!("{}/{} (written {text:?})", c.addr, c.prefix);
        let mut block = format!("ipBlock {}", cidr(&b.cidr, &b.cidr_text));
        for e in &b.except {
            let _ = write!(block, " except {}", cidr(&e.cidr, &e.text));
        }
        parts.push(block);
    }
    parts.join(" ")
}

#[test]
fn metadata_needs_a_name_or_generate_name() {
    // ValidateObjectMetaAccessor: no name, no generateName.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {namespace: app}
        spec: {podSelector: {}}
        "#,
        expect![[r#"
            error[required] metadata.name: Required value: name or generateName is required
            policy: rejected
        "#]],
    );
}

#[test]
fn name_is_a_dns_subdomain_and_namespace_a_dns_label() {
    // NameIsDNSSubdomain for the name, ValidateNamespaceName (IsDNS1123Label) for the
    // namespace: a valid subdomain that is not a label "must not contain dots".
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: My_Policy, namespace: app.prod}
        "#,
        expect![[r#"
            error[invalid-value] metadata.name: Invalid value: "My_Policy": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            error[invalid-value] metadata.namespace: Invalid value: "app.prod": must not contain dots
            policy: rejected
        "#]],
    );
}

#[test]
fn namespace_is_a_lowercase_dns_label() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web, namespace: App}
        "#,
        expect![[r#"
            error[invalid-value] metadata.namespace: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn generate_name_is_validated_as_a_prefix() {
    // generateName is validated as a prefix (maskTrailingDash); the name is generated.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {generateName: Web-}
        "#,
        expect![[r#"
            error[invalid-value] metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            policy: rejected
        "#]],
    );
}

#[test]
fn metadata_labels_and_annotations() {
    // ValidateLabels / ValidateAnnotations on the metadata (annotation keys are
    // lower-cased before the check).
    check(
        r#"
        kind: NetworkPolicy
        metadata:
          name: web
          labels: {app: -x}
          annotations: {Example.COM/Key: v, bad key: v}
        "#,
        expect![[r#"
            error[invalid-value] metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            error[invalid-value] metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            policy: rejected
        "#]],
    );
}

#[test]
fn match_labels_keys_and_values() {
    // matchLabels: keys are qualified names, values label values.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels: {app/: x, -bad: ok, tier: front end}
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must be non-empty
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "front end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn label_key_prefixes_and_lengths() {
    // Label key prefixes and lengths (content.IsLabelKey / IsLabelValue).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels:
              Example.com/app: x
              /app: x
              aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x
              ok: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "/app": prefix part must be non-empty
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": name part must be no more than 63 bytes
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": must be no more than 63 bytes
            policy: rejected
        "#]],
    );
}

#[test]
fn match_expressions_in_the_apiserver_order() {
    // ValidateLabelSelectorRequirement, in its order: operator/values, key, values.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchExpressions:
            - {key: app, operator: In}
            - {key: tier, operator: Exists, values: [a]}
            - {key: env, operator: Foo, values: [x]}
            - {key: a/b/c, operator: NotIn, values: [bad value]}
        "#,
        expect![[r#"
            error[required] spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
            error[forbidden] spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'
            error[invalid-value] spec.podSelector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator
            error[invalid-value] spec.podSelector.matchExpressions[3].key: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')
            error[invalid-value] spec.podSelector.matchExpressions[3].values[0]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn empty_label_key_in_a_peer_selector_fails_twice() {
    // A selector inside a peer; an empty key fails twice (empty, and the regex).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: '', operator: Exists}]
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must be non-empty
            error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            policy: rejected
        "#]],
    );
}

#[test]
fn policy_types_are_ingress_or_egress() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, egress]
        "#,
        expect![[r#"
            error[unsupported-value] spec.policyTypes[1]: Unsupported value: "egress": supported values: "Ingress", "Egress"
            policy: rejected
        "#]],
    );
}

#[test]
fn more_than_two_policy_types() {
    // More than two: reported once, with the slice printed by %#v, and nothing else.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, Egress, Bogus]
        "#,
        expect![[r#"
            error[invalid-value] spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Bogus"}: may not specify more than two policyTypes
            policy: rejected
        "#]],
    );
}

#[test]
fn a_peer_must_specify_something() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from: [{podSelector: {}}, {}]
        "#,
        expect![[r#"
            error[required] spec.ingress[0].from[1]: Required value: must specify a peer
            policy: rejected
        "#]],
    );
}

#[test]
fn ip_block_may_not_be_combined_with_a_selector() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock: {cidr: 10.0.0.0/8}
              podSelector: {}
        "#,
        expect![[r#"
            error[forbidden] spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer
            policy: rejected
        "#]],
    );
}

#[test]
fn empty_cidr_is_required() {
    // An empty cidr is Required (and its except entries are not looked at).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: '', except: [bogus]}
        "#,
        expect![[r#"
            error[required] spec.ingress[0].from[0].ipBlock.cidr: Required value
            policy: rejected
        "#]],
    );
}

#[test]
fn invalid_cidrs() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.0/33}
            - ipBlock: {cidr: 'fe80::1%eth0/64'}
            - ipBlock: {cidr: 10.0.0.0}
            - ipBlock: {cidr: 10.0.0/8}
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "fe80::1%eth0/64": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[3].ipBlock.cidr: Invalid value: "10.0.0/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            policy: rejected
        "#]],
    );
}

#[test]
fn except_must_be_a_strict_subset_of_cidr() {
    // except: equal, outside, other family, fine, unparsable.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock:
                cidr: 10.0.0.0/16
                except: [10.0.0.0/16, 10.1.0.0/24, '2001:db8::/64', 10.0.5.0/24, bogus]
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[4]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            policy: rejected
        "#]],
    );
}

#[test]
fn ipv6_except_must_be_a_strict_subset_of_cidr() {
    // IPv6 except must be inside an IPv6 cidr, and narrower.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48', '2001:db9::/48', '::/0', 10.0.0.0/8]}
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "2001:db9::/48": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "::/0": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[3]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`
            policy: rejected
        "#]],
    );
}

#[test]
fn port_protocols_and_numbers() {
    // ValidateNetworkPolicyPort: protocol and port numbers.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - ports:
            - {protocol: tcp, port: 80}
            - {port: 0}
            - {protocol: ICMP, port: 70000}
        "#,
        expect![[r#"
            error[unsupported-value] spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive
            error[unsupported-value] spec.ingress[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"
            error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive
            policy: rejected
        "#]],
    );
}

#[test]
fn end_port() {
    // endPort: below port, out of range, with a named port, without a port.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - ports:
            - {port: 8080, endPort: 80}
            - {port: 80, endPort: 70000}
            - {port: http, endPort: 90}
            - {endPort: 90}
            - {port: 100, endPort: 0}
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`
            error[invalid-value] spec.egress[0].ports[1].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive
            error[invalid-value] spec.egress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
            error[invalid-value] spec.egress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified
            error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be greater than or equal to `port`
            error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be between 1 and 65535, inclusive
            policy: rejected
        "#]],
    );
}

#[test]
fn port_names_are_iana_service_names() {
    // IsValidPortName; a quoted number is a (bad) name, as in Go's IntOrString.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - ports:
            - port: HTTP
            - port: web--server-metrics
            - port: -web
            - port: '8080'
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must be no more than 15 characters
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must not contain consecutive hyphens
            error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: "-web": must not begin or end with a hyphen
            error[invalid-value] spec.ingress[0].ports[3].port: Invalid value: "8080": must contain at least one letter (a-z)
            policy: rejected
        "#]],
    );
}

#[test]
fn ports_before_peers_ingress_before_egress_policy_types_last() {
    // Within a rule the apiserver checks the ports before the peers; ingress before
    // egress; policyTypes last.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Sideways]
          egress:
          - to: [{}]
          ingress:
          - from: [{}]
            ports: [{port: 0}]
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
            error[required] spec.ingress[0].from[0]: Required value: must specify a peer
            error[required] spec.egress[0].to[0]: Required value: must specify a peer
            error[unsupported-value] spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"
            policy: rejected
        "#]],
    );
}

#[test]
fn values_are_quoted_like_go() {
    // Values are printed with Go's %q.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels: {app: "a\"b\n"}
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "a\"b\n": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn unknown_fields_are_warnings_with_a_suggestion() {
    // Unknown fields are warnings (strict field validation), with a suggestion when a
    // known field is close.
    check(
        r#"
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, labelz: {a: b}}
        spec:
          podselector: {}
          ingress:
          - form: [{podSelector: {matchLabel: {app: x}}}]
          - from: [{podSelector: {matchLabel: {app: x}}}]
          - from: [{ipblock: {cidr: 10.0.0.0/8}}]
        foo: 1
        "#,
        expect![[r#"
            warning[unknown-field] unknown field "metadata.labelz"; did you mean "labels"?
            warning[unknown-field] unknown field "spec.podselector"; did you mean "podSelector"?
            warning[unknown-field] unknown field "spec.ingress[0].form"; did you mean "from"?
            warning[unknown-field] unknown field "spec.ingress[1].from[0].podSelector.matchLabel"; did you mean "matchLabels"?
            warning[unknown-field] unknown field "spec.ingress[2].from[0].ipblock"; did you mean "ipBlock"?
            warning[unknown-field] unknown field "foo"
            error[required] spec.ingress[2].from[0]: Required value: must specify a peer
            policy: rejected
        "#]],
    );
}

#[test]
fn from_in_egress_and_to_in_ingress() {
    // `from` in an egress rule and `to` in an ingress rule: the classic mistake.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, Egress]
          egress:
          - from: [{podSelector: {}}]
            ports: [{port: 53, protocol: UDP}]
          - from: [{podSelector: {}}]
          ingress:
          - to: [{podSelector: {}}]
            from: [{podSelector: {}}]
        "#,
        expect![[r#"
            warning[unknown-field] unknown field "spec.egress[0].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination on its ports
            warning[unknown-field] unknown field "spec.egress[1].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination
            warning[unknown-field] unknown field "spec.ingress[0].to"; did you mean "from"? Ingress rules list their peers under "from", so the peers under "to" are ignored
            policy: accepted
        "#]],
    );
}

#[test]
fn cidr_warnings() {
    // GetWarningsForCIDR: host bits set, leading zeros, IPv4-mapped IPv6, non-RFC 5952.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.1/24}
            - ipBlock: {cidr: 010.0.0.0/8, except: [10.1.2.3/16]}
            - ipBlock: {cidr: '::ffff:10.0.0.0/104'}
            - ipBlock: {cidr: '2001:DB8::/32'}
            - ipBlock: {cidr: 10.0.0.0/08}
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.ingress[0].from[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)
            warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.cidr: non-standard CIDR value "010.0.0.0/8" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
            warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.except[0]: CIDR value "10.1.2.3/16" is ambiguous in this context (should be "10.1.0.0/16" or "10.1.2.3/32"?)
            warning[non-canonical-cidr] spec.ingress[0].from[2].ipBlock.cidr: non-standard CIDR value "::ffff:10.0.0.0/104" will be considered invalid in a future Kubernetes release: use "10.0.0.0/104"
            warning[non-canonical-cidr] spec.ingress[0].from[3].ipBlock.cidr: IPv6 CIDR value "2001:DB8::/32" should be in RFC 5952 canonical format ("2001:db8::/32")
            warning[non-canonical-cidr] spec.ingress[0].from[4].ipBlock.cidr: non-standard CIDR value "10.0.0.0/08" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
            policy: accepted
        "#]],
    );
}

#[test]
fn paths_are_prefixed_but_messages_are_not() {
    let yaml = "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n    ports: [{port: 80}]\n    form: []\n";
    let prefix = FieldPath::root().key("items").index(3);
    let calls = RefCell::new(Vec::new());
    let value: Value = serde_yaml::from_str(yaml).unwrap();
    let obj: np::NetworkPolicy = serde_yaml::from_value(value.clone()).unwrap();
    let (policy, diags) = network_policy(&value, &obj, &prefix, &|p| {
        calls.borrow_mut().push(p.to_string());
        Span::default()
    });
    assert!(policy.is_none());
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} | {}", d.path, d.message))
        .collect();
    expect![[r#"
        [
            "items[3].spec.ingress[0].form | unknown field \"spec.ingress[0].form\"; did you mean \"from\"?",
            "items[3].spec.ingress[0].from[0].ipBlock.cidr | spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ]
    "#]]
    .assert_debug_eq(&shown);
    let calls = calls.into_inner();
    assert!(!calls.is_empty());
    assert!(
        calls.iter().all(|c| c.starts_with("items[3].")),
        "{calls:?}"
    );
    for wanted in [
        "items[3].metadata.name",
        "items[3].spec.ingress[0]",
        "items[3].spec.ingress[0].from[0]",
        "items[3].spec.ingress[0].ports[0]",
    ] {
        assert!(
            calls.iter().any(|c| c == wanted),
            "no loc({wanted}) in {calls:?}"
        );
    }

    // The whole List document works too: the item is found at the prefix.
    let list: Value = serde_yaml::from_str(&format!(
        "kind: List\nitems:\n- {{}}\n- {{}}\n- {{}}\n- {}",
        yaml.replace('\n', "\n  ")
    ))
    .unwrap();
    let (_, diags) = network_policy(&list, &obj, &prefix, &|_| Span::default());
    assert!(diags
        .iter()
        .any(|d| d.code == UNKNOWN_FIELD && d.path.to_string() == "items[3].spec.ingress[0].form"));
}

#[test]
fn label_errors_are_positioned_at_the_key() {
    check_paths(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector: {matchLabels: {app: -x}}
        "#,
        expect![[r#"
            spec.podSelector.matchLabels.app | spec.podSelector.matchLabels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
        "#]],
    );
}

#[test]
fn policy_types_default_to_ingress() {
    // SetDefaults_NetworkPolicySpec: Ingress always, Egress when len(egress) > 0.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress] defaulted
            podSelector {}
        "#]],
    );
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          egress: []
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress] defaulted
            podSelector {}
        "#]],
    );
}

#[test]
fn policy_types_default_to_egress_too_with_egress_rules() {
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          egress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 0 peers, 0 ports
        "#]],
    );
    // An empty list is defaulted like a missing one.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: []
          egress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 0 peers, 0 ports
        "#]],
    );
}

#[test]
fn listed_policy_types_are_taken_as_listed() {
    // Exactly what is listed, whatever the rules.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          ingress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Egress] as listed
            podSelector {}
            ingress[0]: 0 peers, 0 ports
        "#]],
    );
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] as listed
            podSelector {}
        "#]],
    );
}

#[test]
fn converts_a_valid_policy() {
    // The namespace defaults to `default`, the protocol to TCP; a port without `port` is every
    // port of its protocol.
    check_policy(
        r#"
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db}
        spec:
          podSelector:
            matchLabels: {app: db}
            matchExpressions: [{key: tier, operator: NotIn, values: [cache]}]
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {team: a}}
              podSelector: {matchExpressions: [{key: role, operator: Exists}]}
            - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
            ports:
            - {port: 5432}
            - {port: metrics, protocol: UDP}
            - {port: 8000, endPort: 8100, protocol: SCTP}
            - {protocol: TCP}
        "#,
        expect![[r#"
            policy default/db: policyTypes [Ingress] defaulted
            podSelector {app=db, tier NotIn ["cache"]}
            ingress[0]: 2 peers, 4 ports
              from[0]: namespaceSelector {team=a} podSelector {role Exists []}
              from[1]: ipBlock 10.0.0.0/16 (written "10.0.0.0/16") except 10.0.1.0/24 (written "10.0.1.0/24")
              ports[0]: TCP 5432
              ports[1]: UDP metrics
              ports[2]: SCTP 8000-8100
              ports[3]: TCP (every port)
        "#]],
    );
}

#[test]
fn non_canonical_cidrs_are_evaluated_as_the_masked_network() {
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p}
        spec:
          egress:
          - to: [{ipBlock: {cidr: 10.0.0.1/24, except: [10.0.0.130/25]}}]
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.egress[0].to[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)
            warning[non-canonical-cidr] spec.egress[0].to[0].ipBlock.except[0]: CIDR value "10.0.0.130/25" is ambiguous in this context (should be "10.0.0.128/25" or "10.0.0.130/32"?)
            policy default/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 1 peers, 0 ports
              to[0]: ipBlock 10.0.0.0/24 (written "10.0.0.1/24") except 10.0.0.128/25 (written "10.0.0.130/25")
        "#]],
    );
}

#[test]
fn each_except_keeps_its_own_text() {
    // Every `except` entry is paired with the text it was written as, in order.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 010.2.0.0/16, 10.3.0.0/16]}
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.ingress[0].from[0].ipBlock.except[1]: non-standard CIDR value "010.2.0.0/16" will be considered invalid in a future Kubernetes release: use "10.2.0.0/16"
            policy default/p: policyTypes [Ingress] defaulted
            podSelector {}
            ingress[0]: 1 peers, 0 ports
              from[0]: ipBlock 10.0.0.0/8 (written "10.0.0.0/8") except 10.1.0.0/16 (written "10.1.0.0/16") except 10.2.0.0/16 (written "010.2.0.0/16") except 10.3.0.0/16 (written "10.3.0.0/16")
        "#]],
    );
}

/// A CIDR as `parse_cidr` returns it: `network canonical-text`, or `invalid`.
fn check_cidr(text: &str, expect: &str) {
    let got = match parse_cidr(text) {
        Ok((cidr, canonical)) => format!("{}/{} {canonical}", cidr.addr, cidr.prefix),
        Err(e) => {
            assert_eq!(e, CIDR_INVALID, "{text:?}");
            "invalid".to_string()
        }
    };
    assert_eq!(got, expect, "{text:?}");
}

#[test]
fn cidrs_parse_like_go() {
    check_cidr("10.0.0.1/24", "10.0.0.0/24 10.0.0.0/24");
    check_cidr("0.0.0.0/0", "0.0.0.0/0 0.0.0.0/0");
    check_cidr("192.168.1.7/32", "192.168.1.7/32 192.168.1.7/32");
    check_cidr("2001:DB8::1/32", "2001:db8::/32 2001:db8::/32");
    check_cidr(
        "2001:0db8:0000:0000:0000:0000:0000:0001/128",
        "2001:db8::1/128 2001:db8::1/128",
    );
    check_cidr("::/0", "::/0 ::/0");
    check_cidr("1:0:0:1:0:0:0:1/128", "1:0:0:1::1/128 1:0:0:1::1/128");
    check_cidr(
        "1:0:1:0:1:0:1:0/128",
        "1:0:1:0:1:0:1:0/128 1:0:1:0:1:0:1:0/128",
    );
    check_cidr("::1.2.3.4/128", "::102:304/128 ::102:304/128");
}

#[test]
fn cidrs_parse_sloppily() {
    // Leading zeros in IPv4 fields, in the prefix length and in IPv6 groups.
    check_cidr("010.001.0.0/016", "10.1.0.0/16 10.1.0.0/16");
    check_cidr("00002001:db8::/32", "2001:db8::/32 2001:db8::/32");
}

#[test]
fn ipv4_mapped_cidrs_match_as_ipv4() {
    // Go matches an IPv4-mapped IPv6 network as IPv4 and prints the mask length as written.
    check_cidr("::ffff:10.1.2.3/120", "10.1.2.0/24 10.1.2.0/120");
    check_cidr("::ffff:10.1.2.3/64", "::/64 ::/64");
}

#[test]
fn invalid_cidrs_are_rejected() {
    for text in [
        "",
        "/",
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "10.0.0/8",
        "10.0.0.256/8",
        "10.0.0.0.0/8",
        " 10.0.0.0/8",
        "10.0.0.0/8 ",
        "::/129",
        "1:2:3:4:5:6:7:8::/64",
        "1:2:3:4:5:6:7/64",
        ":::/64",
        "1::2::3/64",
        "fe80::1%eth0/64",
        "12345::/16",
        "::ffff:1.2.3/96",
        "1.2.3.4::/64",
        "10.0.0.0/99999999999",
    ] {
        check_cidr(text, "invalid");
    }
}

const SUBDOMAIN_REGEX: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_REGEX: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/// The error details of a name rule for `name`; none when it is valid.
fn check_name(rule: fn(&str) -> Vec<String>, name: &str, expect: &[&str]) {
    assert_eq!(rule(name), expect, "{name:?}");
}

#[test]
fn dns1123_labels() {
    check_name(dns1123_label_errors, "kube-system", &[]);
    check_name(dns1123_label_errors, "1a", &[]);
    check_name(
        dns1123_label_errors,
        &"a".repeat(64),
        &["must be no more than 63 characters"],
    );
    check_name(dns1123_label_errors, "a.b", &["must not contain dots"]);
}

#[test]
fn dns1123_subdomains() {
    check_name(dns1123_subdomain_errors, "web.v1-2", &[]);
    check_name(
        dns1123_subdomain_errors,
        &"a".repeat(254),
        &["must be no more than 253 characters"],
    );
    check_name(dns1123_subdomain_errors, "a..b", &[SUBDOMAIN_REGEX]);
    check_name(dns1123_subdomain_errors, "", &[SUBDOMAIN_REGEX]);
}

#[test]
fn label_keys() {
    check_name(label_key_errors, "app.kubernetes.io/name", &[]);
    check_name(label_key_errors, "Uppercase_Is_OK_123", &[]);
    check_name(
        label_key_errors,
        &format!("{}/{}", "a".repeat(253), "b".repeat(63)),
        &[],
    );
    check_name(
        label_key_errors,
        &format!("{}/abc", "a".repeat(254)),
        &["prefix part must be no more than 253 bytes"],
    );
}

#[test]
fn label_values() {
    check_name(label_value_errors, "", &[]);
    check_name(label_value_errors, &"a".repeat(63), &[]);
    check_name(label_value_errors, "-a", &[LABEL_VALUE_REGEX]);
}

#[test]
fn port_names() {
    check_name(port_name_errors, "http-alt", &[]);
    check_name(
        port_name_errors,
        "",
        &[
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "must contain at least one letter (a-z)",
        ],
    );
}

#[test]
fn generate_name_prefixes_are_masked() {
    assert_eq!(mask_trailing_dash("web-"), "wea");
    assert_eq!(mask_trailing_dash("-"), "a");
}

#[test]
fn values_are_quoted_like_strconv_quote() {
    assert_eq!(go_quote("é\u{0}\u{200b}x"), "\"é\\x00\\u200bx\"");
}

#[test]
fn label_selector_reports_under_the_given_path() {
    let sel: metav1::LabelSelector = serde_yaml::from_str(
        "{matchLabels: {a: b}, matchExpressions: [{key: k, operator: In, values: [v]}, {key: k, operator: Nope}]}",
    )
    .unwrap();
    let mut diags = Vec::new();
    let out = label_selector(
        &sel,
        &FieldPath::root().key("pods").key("selector"),
        &mut diags,
    );
    assert_eq!(out.match_labels.len(), 1);
    assert_eq!(out.match_expressions.len(), 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].path.to_string(),
        "pods.selector.matchExpressions[1].operator"
    );
    assert_eq!(
        diags[0].message,
        "pods.selector.matchExpressions[1].operator: Invalid value: \"Nope\": not a valid selector operator"
    );
}

mod never_panics {
    use proptest::prelude::*;

    use super::super::cidr::GoCidr;
    use super::super::names::mask_trailing_dash;
    use super::super::unknown::Node;
    use super::super::{
        dns1123_label_errors, dns1123_subdomain_errors, label_key_errors, label_value_errors,
        parse_cidr, port_name_errors,
    };
    use crate::suggest;

    fn text(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(chars), 0..max)
            .prop_map(|v| v.into_iter().collect())
    }

    const CIDR_CHARS: &[char] = &[
        '0', '1', '2', '5', '9', 'f', 'F', 'g', ':', '.', '/', '%', '-', '+', ' ',
    ];
    const NAME_CHARS: &[char] = &['a', 'Z', '0', '-', '_', '.', '/', ' ', 'é', '\n'];

    proptest! {
        #[test]
        fn cidrs(s in text(CIDR_CHARS, 48)) {
            if let Ok((cidr, canonical)) = parse_cidr(&s) {
                // The canonical text parses back to the same network, without warnings
                // about host bits.
                let (again, canonical2) = parse_cidr(&canonical).unwrap();
                prop_assert_eq!(again, cidr);
                prop_assert_eq!(canonical2, canonical);
                let go = GoCidr::parse(&s).unwrap();
                let _ = go.warnings(&s);
            }
        }

        #[test]
        fn names(s in text(NAME_CHARS, 80)) {
            let _ = label_key_errors(&s);
            let _ = label_value_errors(&s);
            let _ = dns1123_label_errors(&s);
            let _ = dns1123_subdomain_errors(&s);
            let _ = port_name_errors(&s);
            let _ = mask_trailing_dash(&s);
            let _ = suggest::closest(&s, Node::Spec.fields().iter().copied());
        }
    }
}
