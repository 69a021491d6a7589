//! Validation tests: small named cases, each an input YAML and the expected output.
//!
//! [`check`] shows the diagnostics (`severity[code] message`) and whether a policy came out;
//! [`check_policy`] adds the converted policy; [`check_paths`] shows where each diagnostic is
//! positioned. Expected texts follow the apiserver's wording (see the module docs).

use std::fmt::Write as _;

use expect_test::{expect, Expect};
use k8s_openapi::api::networking::v1 as np;
use serde_yaml::Value;

use super::network_policy;
use crate::diag::{FieldPath, PathDiag};
use crate::model::{self, Span};

mod ip_block;
mod metadata;
mod names;
mod selectors;
mod spec;
mod unknown_fields;

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
