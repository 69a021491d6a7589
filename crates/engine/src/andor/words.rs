//! Both readings of a variant in words: what one item (AND) or two items (OR) select, and what
//! two split rules (OR) or the one merged rule (AND) allow.

use crate::explain::render::{describe_peer, describe_port};
use crate::model::{LabelSelector, NetworkPolicyPeer, PolicyType, Rule};
use crate::selector::describe_selector;

fn ns_words(sel: &LabelSelector) -> String {
    if sel.is_empty() {
        "every namespace".to_string()
    } else {
        format!("namespaces labelled {}", describe_selector(sel))
    }
}

fn pod_words(sel: &LabelSelector) -> String {
    if sel.is_empty() {
        "every pod".to_string()
    } else {
        format!("pods labelled {}", describe_selector(sel))
    }
}

pub(super) fn and_meaning(ns: &LabelSelector, pod: &LabelSelector) -> String {
    format!("AND: only {} in {}", pod_words(pod), ns_words(ns))
}

pub(super) fn or_meaning(ns: &LabelSelector, pod: &LabelSelector, policy_ns: &str) -> String {
    let all = if ns.is_empty() {
        "every pod in every namespace".to_string()
    } else {
        format!("every pod in {}", ns_words(ns))
    };
    format!(
        "OR: {all}, plus {} in namespace {policy_ns}",
        pod_words(pod)
    )
}

/// What one `from`/`to` item selects, e.g. `pods labelled app=web in namespace app`.
fn peer_words(p: &NetworkPolicyPeer, policy_ns: &str) -> String {
    match (&p.namespace_selector, &p.pod_selector, &p.ip_block) {
        (Some(ns), Some(pod), None) => format!("{} in {}", pod_words(pod), ns_words(ns)),
        (Some(ns), None, None) => format!("every pod in {}", ns_words(ns)),
        (None, Some(pod), None) => format!("{} in namespace {policy_ns}", pod_words(pod)),
        _ => describe_peer(p),
    }
}

/// `from A or B` (`to …` for egress): every item of `rule`.
fn peers_words(dir: PolicyType, rule: &Rule, policy_ns: &str) -> String {
    let peers: Vec<String> = rule
        .peers
        .iter()
        .map(|p| peer_words(p, policy_ns))
        .collect();
    format!("{} {}", list_word(dir), peers.join(" or "))
}

/// `TCP 80 or UDP 53`: every port of `rule`.
fn ports_words(rule: &Rule) -> String {
    let ports: Vec<String> = rule.ports.iter().map(describe_port).collect();
    ports.join(" or ")
}

fn list_word(dir: PolicyType) -> &'static str {
    match dir {
        PolicyType::Ingress => "from",
        PolicyType::Egress => "to",
    }
}

/// The split reading of a peers-only rule and a ports-only rule, in the order written: `OR: two
/// rules: from A on every port, plus TCP 80 from every source`.
pub(super) fn split_rules_meaning(
    dir: PolicyType,
    peers: &Rule,
    ports: &Rule,
    ports_first: bool,
    policy_ns: &str,
) -> String {
    let everyone = match dir {
        PolicyType::Ingress => "every source",
        PolicyType::Egress => "every destination",
    };
    let peers = format!("{} on every port", peers_words(dir, peers, policy_ns));
    let ports = format!("{} {} {everyone}", ports_words(ports), list_word(dir));
    let (a, b) = if ports_first {
        (ports, peers)
    } else {
        (peers, ports)
    };
    format!("OR: two rules: {a}, plus {b}")
}

/// The merged reading: `AND: one rule: from A on TCP 80`.
pub(super) fn merged_rule_meaning(
    dir: PolicyType,
    peers: &Rule,
    ports: &Rule,
    policy_ns: &str,
) -> String {
    format!(
        "AND: one rule: {} on {}",
        peers_words(dir, peers, policy_ns),
        ports_words(ports)
    )
}
