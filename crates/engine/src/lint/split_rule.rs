//! The split rule: a stray `-` before `ports:` (or before `to:`/`from:`) turns one rule into two
//! ORed rules, one with the peers and every port, one with the ports and every peer.
//!
//! Detected structurally: two adjacent rules in one direction of one policy, one with only peers
//! and the next with only ports, or the other way round. A ports-only rule that allows nothing
//! but DNS is left alone: "DNS to anywhere, and everything to these peers" is a common,
//! deliberate pair (kubernetes-network-policy-recipes, "DENY external egress traffic").

use super::finding::Lint;
use crate::andor::fragment::scalar;
use crate::andor::split::split_rules;
use crate::diag::Severity;
use crate::explain::render::{describe_peer, describe_port};
use crate::model::{
    LabelSelector, Model, NetworkPolicyPeer, NetworkPolicyPort, Operator, PolicyType, PortRef,
    Rule, Span,
};

/// The position of the `-` that starts the sequence item at `at`, when it sits on the same line
/// (`  - ports:` with `at` on `ports`); `at` itself otherwise (flow style, or no text).
fn dash(texts: &[&str], at: Span) -> Span {
    let line = texts
        .get(at.file)
        .and_then(|t| t.lines().nth(at.line.saturating_sub(1) as usize));
    let Some(line) = line else { return at };
    let before: String = line
        .chars()
        .take(at.col.saturating_sub(1) as usize)
        .collect();
    let trimmed = before.trim_end();
    if trimmed.ends_with('-') {
        Span {
            col: trimmed.chars().count() as u32,
            ..at
        }
    } else {
        at
    }
}

pub(super) fn split_rule(m: &Model, texts: &[&str], out: &mut Vec<Lint>) {
    for p in &m.policies {
        for (dir, i) in split_rules(p) {
            let rules = p.rules(dir);
            let (first, second) = (&rules[i], &rules[i + 1]);
            let peers_first = !first.peers.is_empty();
            let (peer_rule, port_rule) = if peers_first {
                (first, second)
            } else {
                (second, first)
            };
            let (list_name, side) = match dir {
                PolicyType::Ingress => ("from", "every source"),
                PolicyType::Egress => ("to", "every destination"),
            };
            let word = dir.as_str().to_lowercase();
            let peers: Vec<String> = peer_rule.peers.iter().map(describe_peer).collect();
            let ports: Vec<String> = port_rule.ports.iter().map(describe_port).collect();
            // The stray dash sits before the second key written, which starts the second rule.
            let stray = if peers_first { "ports" } else { list_name };
            let peer_clause = format!("allows {} on every port", peers.join(" or "));
            let port_clause = format!(
                "allows {} {} {side}",
                ports.join(", "),
                if dir == PolicyType::Ingress {
                    "from"
                } else {
                    "to"
                }
            );
            let (first_clause, second_clause) = if peers_first {
                (peer_clause, port_clause)
            } else {
                (port_clause, peer_clause)
            };
            out.push(Lint {
                code: "split-rule",
                severity: Severity::Warning,
                span: dash(texts, second.span),
                message: format!(
                    "{} {word}[{i}] and {word}[{j}] are two rules, which are ORed: {word}[{i}] {first_clause}, and {word}[{j}] {second_clause}.",
                    p.id(),
                    j = i + 1,
                ),
                fix: format!(
                    "if the ports were meant for those peers only, remove the `-` before `{stray}:` so that both keys sit in one rule: `- {}`. `netpol and-or` (the AND vs OR tab in the playground) shows the flows this changes.",
                    merged(list_name, peer_rule, port_rule)
                ),
            });
        }
    }
}

/// The merged rule in YAML flow style, peers first.
fn merged(list_name: &str, peers: &Rule, ports: &Rule) -> String {
    let peers: Vec<String> = peers.peers.iter().map(peer_yaml).collect();
    let ports: Vec<String> = ports.ports.iter().map(port_yaml).collect();
    format!(
        "{{{list_name}: [{}], ports: [{}]}}",
        peers.join(", "),
        ports.join(", ")
    )
}

fn peer_yaml(p: &NetworkPolicyPeer) -> String {
    if let Some(b) = &p.ip_block {
        let mut s = format!("{{ipBlock: {{cidr: {}", scalar(&b.cidr_text));
        if !b.except.is_empty() {
            let except: Vec<String> = b
                .except
                .iter()
                .map(|e| scalar(&e.text).into_owned())
                .collect();
            s.push_str(&format!(", except: [{}]", except.join(", ")));
        }
        s.push_str("}}");
        return s;
    }
    let mut parts = Vec::new();
    if let Some(sel) = &p.namespace_selector {
        parts.push(format!("namespaceSelector: {}", selector_yaml(sel)));
    }
    if let Some(sel) = &p.pod_selector {
        parts.push(format!("podSelector: {}", selector_yaml(sel)));
    }
    format!("{{{}}}", parts.join(", "))
}

fn selector_yaml(sel: &LabelSelector) -> String {
    let mut parts = Vec::new();
    if !sel.match_labels.is_empty() {
        let labels: Vec<String> = sel
            .match_labels
            .iter()
            .map(|(k, v)| format!("{}: {}", scalar(k), scalar(v)))
            .collect();
        parts.push(format!("matchLabels: {{{}}}", labels.join(", ")));
    }
    if !sel.match_expressions.is_empty() {
        let exprs: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|r| {
                let op = match r.operator {
                    Operator::In => "In",
                    Operator::NotIn => "NotIn",
                    Operator::Exists => "Exists",
                    Operator::DoesNotExist => "DoesNotExist",
                };
                let mut s = format!("{{key: {}, operator: {op}", scalar(&r.key));
                if !r.values.is_empty() {
                    let values: Vec<String> =
                        r.values.iter().map(|v| scalar(v).into_owned()).collect();
                    s.push_str(&format!(", values: [{}]", values.join(", ")));
                }
                s.push('}');
                s
            })
            .collect();
        parts.push(format!("matchExpressions: [{}]", exprs.join(", ")));
    }
    format!("{{{}}}", parts.join(", "))
}

fn port_yaml(p: &NetworkPolicyPort) -> String {
    let mut s = format!("{{protocol: {}", p.protocol);
    match &p.port {
        Some(PortRef::Number(n)) => s.push_str(&format!(", port: {n}")),
        Some(PortRef::Named(name)) => s.push_str(&format!(", port: {}", scalar(name))),
        None => {}
    }
    if let Some(e) = p.end_port {
        s.push_str(&format!(", endPort: {e}"));
    }
    s.push('}');
    s
}
