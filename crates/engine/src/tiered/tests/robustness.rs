//! No input makes the tiered parsers panic, and a policy is kept exactly when it has no error.

use super::*;
use crate::diag::{FieldPath, Severity};
use crate::model::Span;

const SAMPLES: [&str; 4] = [
    "apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: sample
spec:
  priority: 10
  subject:
    pods:
      namespaceSelector:
        matchExpressions:
        - key: team
          operator: In
          values: [red]
      podSelector: {matchLabels: {app: a}}
  ingress:
  - name: first
    action: Allow
    from:
    - namespaces: {}
    ports:
    - portNumber: {protocol: UDP, port: 53}
    - portRange: {start: 1, end: 9}
    - namedPort: http
  egress:
  - action: Deny
    to:
    - networks: [10.0.0.0/8, '::/0']
    - nodes: {matchLabels: {kubernetes.io/os: linux}}
    - domainNames: ['*.example.com']
",
    "apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
  subject:
    namespaces: {}
  egress:
  - action: Allow
    to:
    - pods:
        namespaceSelector: {}
        podSelector: {}
    ports:
    - namedPort: dns
",
    "apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: sample
spec:
  tier: Baseline
  priority: 3
  subject:
    namespaces:
      matchLabels: {team: red}
  ingress:
  - action: Pass
    from:
    - pods:
        podSelector: {}
    protocols:
    - tcp:
        destinationPort:
          number: 80
    - udp:
        destinationPort:
          range: {start: 50, end: 60}
    - destinationNamedPort: web
  egress:
  - action: Accept
    to:
    - networks: [192.0.2.0/24]
",
    "apiVersion: v1
kind: Node
metadata:
  name: worker
  labels: {kubernetes.io/os: linux}
status:
  addresses:
  - {type: InternalIP, address: 172.18.0.3}
",
];

const REPLACEMENTS: [&str; 9] = [
    "",
    "~",
    "[]",
    "{}",
    "-7",
    "99999999999999999999",
    "1.5",
    "x",
    "[{}]",
];

/// Every sample with one line deleted, and with one value replaced by each replacement.
fn variants(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for i in 0..lines.len() {
        let mut deleted = lines.clone();
        deleted.remove(i);
        out.push(deleted.join("\n"));
        if let Some(colon) = lines[i].find(": ") {
            for r in REPLACEMENTS {
                let mut changed = lines.clone();
                let line = format!("{}: {r}", &lines[i][..colon]);
                changed[i] = &line;
                out.push(changed.join("\n"));
            }
        }
    }
    out
}

#[test]
fn mutated_inputs_never_panic_and_keep_only_valid_objects() {
    let loc = |_: &FieldPath| Span::default();
    let mut checked = 0;
    for sample in SAMPLES {
        for text in variants(sample) {
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                continue;
            };
            let is_node = value.get("kind").and_then(|k| k.as_str()) == Some("Node");
            let (kept, diags) = if is_node {
                let (n, d) = node(&value, &FieldPath::root(), &loc);
                (n.is_some(), d)
            } else {
                let (p, d) = cluster_policy(&value, &FieldPath::root(), &loc);
                (p.is_some(), d)
            };
            let has_error = diags.iter().any(|d| d.severity == Severity::Error);
            assert_eq!(kept, !has_error, "for:\n{text}\ndiagnostics: {diags:#?}");
            checked += 1;
        }
    }
    assert!(checked > 300, "only {checked} variants parsed");
}
