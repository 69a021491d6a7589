//! The one renderer of explanations: every sentence about matching and isolation is built here.
//!
//! [`lines`] turns an [`Explanation`] into [`Line`]s: the text of a sentence, the side it is
//! about, what it says ([`LineKind`]) and the places in the YAML it names ([`LineSpan`]). The CLI
//! prints them ([`Explanation::to_text`]), the playground's Why? panel shows them with links, the
//! exercise checker quotes them in goal reasons, and the live blocks return them as JSON; so the
//! same flow reads the same everywhere.

mod line;
pub mod short;
mod tiers;

pub use line::{peers_field, rules_field, Line, LineKind, LineSpan, SpanKind};
pub use tiers::{describe_cluster_peer, describe_cluster_port, flow_tier};

use super::{
    Explanation, MissReason, PeerMiss, PolicyRef, PortMiss, RuleMatch, RuleMiss, SelectorMismatch,
    SideExplanation, UnmetRequirement, Verdict,
};
use crate::model::{NetworkPolicyPeer, NetworkPolicyPort, PolicyType, PortRef, Span};
use crate::selector::describe_selector;
use line::words;

impl Explanation {
    /// The reasoning as plain sentences, first the verdict, then each side: [`lines`] as the
    /// CLI prints them.
    pub fn sentences(&self) -> Vec<String> {
        lines(self).iter().map(Line::plain).collect()
    }

    /// The sentences joined by newlines.
    pub fn to_text(&self) -> String {
        let mut s = self.sentences().join("\n");
        s.push('\n');
        s
    }
}

/// The explanation as lines: the verdict, then (unless the flow is not a cluster flow or a pod
/// talking to itself) the source's egress side, then the destination's ingress side.
///
/// This is what the playground's Why? panel shows: [`Line::text`] with the links of
/// [`Line::spans`], grouped by [`Line::side`] and marked by [`Line::kind`].
pub fn lines(ex: &Explanation) -> Vec<Line> {
    let mut out = vec![Line {
        text: verdict(ex),
        side: None,
        kind: LineKind::Verdict,
        spans: Vec::new(),
    }];
    if ex.verdict == Verdict::NotApplicable || (ex.verdict == Verdict::Allowed && ex.self_flow) {
        return out;
    }
    if ex.egress.is_none() {
        out.push(outside(PolicyType::Egress, &ex.from, ex.from_node));
    }
    for side in ex.sides() {
        side_lines(side, &mut out);
    }
    if ex.ingress.is_none() {
        out.push(outside(PolicyType::Ingress, &ex.to, ex.to_node));
    }
    out
}

fn verdict(ex: &Explanation) -> String {
    let flow = format!("{} → {} on {}", ex.from, ex.to, ex.port);
    match ex.verdict {
        Verdict::NotApplicable => format!(
            "{flow}: not a cluster flow. Neither endpoint is a pod, so NetworkPolicy does not apply."
        ),
        Verdict::Allowed if ex.self_flow => format!(
            "{flow} is ALLOWED: a pod can always reach itself; NetworkPolicy cannot block a pod's traffic to itself."
        ),
        Verdict::Allowed => format!("{flow} is ALLOWED: both sides allow it."),
        Verdict::Denied => {
            let which: Vec<&str> = ex
                .sides()
                .filter(|s| !s.allowed)
                .map(|s| words(s.direction).whose)
                .collect();
            format!("{flow} is DENIED by {}.", which.join(" and "))
        }
    }
}

fn outside(dir: PolicyType, endpoint: &str, node: bool) -> Line {
    let w = words(dir);
    let text = if node {
        format!(
            "{}: {endpoint} is a node, not a pod; no policy governs its {}.",
            w.title, w.rules
        )
    } else {
        format!(
            "{}: {endpoint} is outside the cluster; no policy governs its {}.",
            w.title, w.rules
        )
    };
    Line {
        text,
        side: Some(dir),
        kind: LineKind::Outside,
        spans: Vec::new(),
    }
}

/// The lines of one side: the NetworkPolicy lines alone, or the tier walk around them.
fn side_lines(side: &SideExplanation, out: &mut Vec<Line>) {
    let Some(walk) = &side.tiers else {
        network_policy_lines(side, false, out);
        return;
    };
    tiers::admin_lines(side, walk, out);
    if walk.network_policy.is_some() {
        network_policy_lines(side, true, out);
    }
    tiers::after_network_policy_lines(side, walk, out);
}

/// What the NetworkPolicies that select the side's pod say. `tiered`: the model has tiered
/// policies, so NetworkPolicy is one tier among others.
fn network_policy_lines(side: &SideExplanation, tiered: bool, out: &mut Vec<Line>) {
    let w = words(side.direction);
    let line = |kind, text, spans| Line {
        text,
        side: Some(side.direction),
        kind,
        spans,
    };
    let t = w.title;
    if side.isolated_by.is_empty() {
        let text = if tiered {
            format!(
                "{t}, NetworkPolicy: no NetworkPolicy selects {} for {t}, so NetworkPolicy does not decide; the Baseline tier does.",
                side.pod
            )
        } else {
            format!(
                "{t}: no policy selects {} for {t}, so it is not isolated and all {} traffic is allowed.",
                side.pod, w.rules
            )
        };
        out.push(line(LineKind::NotIsolated, text, Vec::new()));
        return;
    }
    let ids: Vec<&str> = side.isolated_by.iter().map(|p| p.id.as_str()).collect();
    out.push(line(
        LineKind::Isolated,
        format!(
            "{t}{}: {} is isolated for {t} by {} ({}).",
            if tiered { ", NetworkPolicy" } else { "" },
            side.pod,
            if ids.len() == 1 { "policy" } else { "policies" },
            ids.join(", "),
        ),
        side.isolated_by.iter().map(policy_span).collect(),
    ));
    if side.network_policy_allows() {
        for (i, m) in side.allowed_by.iter().enumerate() {
            out.push(line(LineKind::Allows(i), rule_match(m), match_spans(m)));
        }
        return;
    }
    for (i, p) in side.without_rules.iter().enumerate() {
        out.push(line(
            LineKind::WithoutRules(i),
            format!(
                "{} has no {} rules: it only isolates (default deny).",
                p.id, w.rules
            ),
            vec![policy_span(p)],
        ));
    }
    for (i, m) in side.misses.iter().enumerate() {
        out.push(line(LineKind::Miss(i), rule_miss(m), miss_spans(m)));
    }
    out.push(line(
        LineKind::NoRuleAllows,
        format!("No {} rule allows it.", w.rules),
        Vec::new(),
    ));
}

fn policy_span(p: &PolicyRef) -> LineSpan {
    LineSpan {
        kind: SpanKind::Policy,
        label: p.id.clone(),
        span: p.span,
    }
}

fn rule_span(dir: PolicyType, rule: usize, span: Span) -> LineSpan {
    LineSpan {
        kind: SpanKind::Rule,
        label: format!("{}[{rule}]", words(dir).rules),
        span,
    }
}

fn peer_span(dir: PolicyType, index: usize, span: Span) -> LineSpan {
    LineSpan {
        kind: SpanKind::Peer,
        label: format!("{}[{index}]", words(dir).peers),
        span,
    }
}

fn port_span(index: usize, span: Span) -> LineSpan {
    LineSpan {
        kind: SpanKind::Port,
        label: format!("ports[{index}]"),
        span,
    }
}

fn match_spans(m: &RuleMatch) -> Vec<LineSpan> {
    let mut spans = vec![
        policy_span(&m.policy),
        rule_span(m.direction, m.rule, m.rule_span),
    ];
    spans.extend(
        m.peer
            .as_ref()
            .map(|p| peer_span(m.direction, p.index, p.item.span)),
    );
    spans.extend(m.port.as_ref().map(|p| port_span(p.index, p.item.span)));
    spans
}

fn miss_spans(m: &RuleMiss) -> Vec<LineSpan> {
    let mut spans = vec![
        policy_span(&m.policy),
        rule_span(m.direction, m.rule, m.rule_span),
    ];
    spans.extend(m.reasons.iter().map(|r| match r {
        MissReason::Peer { index, span, .. } => peer_span(m.direction, *index, *span),
        MissReason::Port { index, span, .. } => port_span(*index, *span),
    }));
    spans
}

/// How a rule allowed the flow, e.g. `app/api-allow ingress[0] allows it: from[0] (podSelector
/// app=web) matches app/web, and ports[0] (TCP 8080) matches 8080/TCP.`
pub fn rule_match(m: &RuleMatch) -> String {
    let w = words(m.direction);
    let peer = match &m.peer {
        None => format!("has no `{}`, so it matches every peer", w.peers),
        Some(p) => format!(
            "{}[{}] ({}) matches {}",
            w.peers,
            p.index,
            describe_peer(&p.item),
            m.endpoint
        ),
    };
    let port = match &m.port {
        None => "it has no `ports`, so every port matches".to_string(),
        Some(p) => format!(
            "ports[{}] ({}) matches {}",
            p.index,
            describe_port(&p.item),
            m.flow_port
        ),
    };
    format!(
        "{} {}[{}] allows it: {peer}, and {port}.",
        m.policy.id, w.rules, m.rule
    )
}

/// Why a rule did not match, every reason in order, e.g. `app/db ingress[0] does not match:
/// from[0]: podSelector app=web does not match app/batch: it requires app=web, has app=batch.`
pub fn rule_miss(m: &RuleMiss) -> String {
    let reasons: Vec<String> = m
        .reasons
        .iter()
        .map(|r| miss_reason(m.direction, r))
        .collect();
    format!(
        "{} {}[{}] does not match: {}.",
        m.policy.id,
        words(m.direction).rules,
        m.rule,
        reasons.join("; ")
    )
}

/// One reason of a rule of direction `dir` not to match, naming its item, e.g. `ports[1]: TCP
/// 53 does not include 8080`.
pub fn miss_reason(dir: PolicyType, r: &MissReason) -> String {
    match r {
        MissReason::Peer { index, why, .. } => {
            format!("{}[{index}]: {}", words(dir).peers, peer_miss(why))
        }
        MissReason::Port { index, why, .. } => format!("ports[{index}]: {}", port_miss(why)),
    }
}

fn peer_miss(why: &PeerMiss) -> String {
    match why {
        PeerMiss::IpBlockNoAddress { cidr, endpoint } => {
            format!("ipBlock {cidr} cannot match {endpoint}, which has no IP address")
        }
        PeerMiss::IpBlockExcept {
            cidr,
            except,
            endpoint,
            ips,
        } => format!(
            "ipBlock {cidr} excepts {except}, which contains {endpoint} ({})",
            join(ips)
        ),
        PeerMiss::IpBlockOutside {
            cidr,
            endpoint,
            ips,
        } => format!("ipBlock {cidr} does not contain {endpoint} ({})", join(ips)),
        PeerMiss::NotAPod { endpoint } => format!(
            "selectors only match pods, and {endpoint} is an external endpoint (only an ipBlock can match it)"
        ),
        PeerMiss::NodeNotAPod { endpoint } => format!(
            "selectors only match pods, and {endpoint} is a node (only an ipBlock can match it)"
        ),
        PeerMiss::OutsidePolicyNamespace {
            pod_selector,
            policy_namespace,
            endpoint,
            namespace,
        } => {
            let what = match pod_selector {
                Some(s) => format!("podSelector {}", describe_selector(s)),
                None => "podSelector".to_string(),
            };
            format!(
                "a {what} without namespaceSelector only matches pods in the policy's own namespace {policy_namespace}, and {endpoint} is in namespace {namespace}"
            )
        }
        PeerMiss::NamespaceSelector {
            selector,
            namespace,
            mismatch,
        } => format!(
            "namespaceSelector {} does not match namespace {namespace}: it {}",
            describe_selector(selector),
            selector_mismatch(mismatch)
        ),
        PeerMiss::PodSelector {
            selector,
            endpoint,
            mismatch,
            with_namespace_selector,
        } => format!(
            "podSelector {} does not match {endpoint}: it {}{}",
            describe_selector(selector),
            selector_mismatch(mismatch),
            if *with_namespace_selector {
                " (namespaceSelector and podSelector in one item must both match)"
            } else {
                ""
            }
        ),
    }
}

fn port_miss(why: &PortMiss) -> String {
    match why {
        PortMiss::Protocol { port, flow } => format!(
            "{} is for {}, the flow is {flow}",
            describe_port(port),
            port.protocol
        ),
        PortMiss::Number { port, flow } => {
            format!("{} does not include {flow}", describe_port(port))
        }
        PortMiss::NamedPortNotAPod { name, endpoint } => format!(
            "named port {name} can only be resolved on a destination pod, and {endpoint} is not a pod"
        ),
        PortMiss::NamedPortUndefined {
            name,
            protocol,
            endpoint,
        } => format!("{endpoint} has no {protocol} port named {name}"),
        PortMiss::NamedPortOtherNumber {
            name,
            protocol,
            endpoint,
            numbers,
            flow,
        } => format!(
            "on {endpoint} the {protocol} port named {name} is {}, not {flow}",
            join(numbers)
        ),
    }
}

/// "requires app=web, has app=db" or "requires env in (prod), has no label env".
fn selector_mismatch(m: &SelectorMismatch) -> String {
    let requires = match &m.requirement {
        UnmetRequirement::MatchLabels { key, value } => format!("{key}={value}"),
        UnmetRequirement::MatchExpressions { requirement } => requirement.describe(),
    };
    let key = m.requirement.key();
    match &m.has {
        Some(value) => format!("requires {requires}, has {key}={value}"),
        None => format!("requires {requires}, has no label {key}"),
    }
}

fn join<T: ToString>(items: &[T]) -> String {
    items
        .iter()
        .map(T::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A peer in words, e.g. `namespaceSelector team=web AND podSelector app=api`.
pub fn describe_peer(p: &NetworkPolicyPeer) -> String {
    if let Some(b) = &p.ip_block {
        if b.except.is_empty() {
            return format!("ipBlock {}", b.cidr_text);
        }
        let except: Vec<&str> = b.except.iter().map(|e| e.text.as_str()).collect();
        return format!("ipBlock {} except {}", b.cidr_text, except.join(", "));
    }
    match (&p.namespace_selector, &p.pod_selector) {
        (Some(ns), Some(pod)) => format!(
            "namespaceSelector {} AND podSelector {}",
            describe_selector(ns),
            describe_selector(pod)
        ),
        (Some(ns), None) => format!("namespaceSelector {}", describe_selector(ns)),
        (None, Some(pod)) => format!("podSelector {}", describe_selector(pod)),
        (None, None) => "no selector".to_string(),
    }
}

/// A port of a rule in words, e.g. `TCP 8080-8090` or `UDP port named dns`.
pub fn describe_port(p: &NetworkPolicyPort) -> String {
    match (&p.port, p.end_port) {
        (None, _) => format!("every {} port", p.protocol),
        (Some(PortRef::Number(n)), Some(e)) => format!("{} {n}-{e}", p.protocol),
        (Some(PortRef::Number(n)), None) => format!("{} {n}", p.protocol),
        (Some(PortRef::Named(name)), _) => format!("{} port named {name}", p.protocol),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LabelSelector, Operator, Protocol, Requirement};

    fn labels(key: &str, value: &str) -> LabelSelector {
        LabelSelector {
            match_labels: [(key.to_string(), value.to_string())].into_iter().collect(),
            ..Default::default()
        }
    }

    fn port(protocol: Protocol, port: Option<PortRef>, end_port: Option<u16>) -> NetworkPolicyPort {
        NetworkPolicyPort {
            protocol,
            port,
            end_port,
            span: Span::default(),
        }
    }

    fn has(requirement: UnmetRequirement, has: Option<&str>) -> SelectorMismatch {
        SelectorMismatch {
            requirement,
            has: has.map(str::to_string),
        }
    }

    fn team_web() -> UnmetRequirement {
        UnmetRequirement::MatchLabels {
            key: "team".into(),
            value: "web".into(),
        }
    }

    #[test]
    fn selector_mismatches() {
        let env = UnmetRequirement::MatchExpressions {
            requirement: Requirement {
                key: "env".into(),
                operator: Operator::In,
                values: vec!["prod".into(), "dev".into()],
            },
        };
        let cases = [
            (
                has(team_web(), None),
                "requires team=web, has no label team",
            ),
            (
                has(team_web(), Some("db")),
                "requires team=web, has team=db",
            ),
            (
                has(env, None),
                "requires env in (prod, dev), has no label env",
            ),
        ];
        for (m, want) in cases {
            assert_eq!(selector_mismatch(&m), want);
        }
    }

    #[test]
    fn peer_misses() {
        let ip = |s: &str| vec![s.parse().unwrap()];
        let cases = [
            (
                PeerMiss::IpBlockNoAddress {
                    cidr: "10.0.0.0/8".into(),
                    endpoint: "x/a".into(),
                },
                "ipBlock 10.0.0.0/8 cannot match x/a, which has no IP address",
            ),
            (
                PeerMiss::IpBlockExcept {
                    cidr: "10.0.0.0/8".into(),
                    except: "10.1.0.0/16".into(),
                    endpoint: "x/a".into(),
                    ips: ip("10.1.0.4"),
                },
                "ipBlock 10.0.0.0/8 excepts 10.1.0.0/16, which contains x/a (10.1.0.4)",
            ),
            (
                PeerMiss::IpBlockOutside {
                    cidr: "10.0.0.0/8".into(),
                    endpoint: "dns".into(),
                    ips: ip("8.8.8.8"),
                },
                "ipBlock 10.0.0.0/8 does not contain dns (8.8.8.8)",
            ),
            (
                PeerMiss::NotAPod {
                    endpoint: "dns".into(),
                },
                "selectors only match pods, and dns is an external endpoint (only an ipBlock can match it)",
            ),
            (
                PeerMiss::OutsidePolicyNamespace {
                    pod_selector: Some(labels("app", "web")),
                    policy_namespace: "x".into(),
                    endpoint: "y/web".into(),
                    namespace: "y".into(),
                },
                "a podSelector app=web without namespaceSelector only matches pods in the policy's own namespace x, and y/web is in namespace y",
            ),
            (
                PeerMiss::NamespaceSelector {
                    selector: labels("team", "web"),
                    namespace: "y".into(),
                    mismatch: has(team_web(), None),
                },
                "namespaceSelector team=web does not match namespace y: it requires team=web, has no label team",
            ),
            (
                PeerMiss::PodSelector {
                    selector: labels("team", "web"),
                    endpoint: "y/db".into(),
                    mismatch: has(team_web(), Some("db")),
                    with_namespace_selector: true,
                },
                "podSelector team=web does not match y/db: it requires team=web, has team=db (namespaceSelector and podSelector in one item must both match)",
            ),
        ];
        for (why, want) in cases {
            assert_eq!(peer_miss(&why), want);
        }
    }

    #[test]
    fn port_misses() {
        let named = || Some(PortRef::Named("dns".into()));
        let cases = [
            (
                PortMiss::Protocol {
                    port: port(Protocol::Udp, named(), None),
                    flow: Protocol::Tcp,
                },
                "UDP port named dns is for UDP, the flow is TCP",
            ),
            (
                PortMiss::Number {
                    port: port(Protocol::Tcp, Some(PortRef::Number(8080)), Some(8090)),
                    flow: 80,
                },
                "TCP 8080-8090 does not include 80",
            ),
            (
                PortMiss::NamedPortNotAPod {
                    name: "dns".into(),
                    endpoint: "google-dns".into(),
                },
                "named port dns can only be resolved on a destination pod, and google-dns is not a pod",
            ),
            (
                PortMiss::NamedPortUndefined {
                    name: "dns".into(),
                    protocol: Protocol::Tcp,
                    endpoint: "x/a".into(),
                },
                "x/a has no TCP port named dns",
            ),
            (
                PortMiss::NamedPortOtherNumber {
                    name: "dns".into(),
                    protocol: Protocol::Udp,
                    endpoint: "x/a".into(),
                    numbers: vec![53, 5353],
                    flow: 54,
                },
                "on x/a the UDP port named dns is 53, 5353, not 54",
            ),
        ];
        for (why, want) in cases {
            assert_eq!(port_miss(&why), want);
        }
    }

    #[test]
    fn the_from_and_to_words_follow_the_direction() {
        let why = PortMiss::Number {
            port: port(Protocol::Tcp, Some(PortRef::Number(53)), None),
            flow: 80,
        };
        let reasons = vec![
            MissReason::Peer {
                index: 1,
                span: Span::default(),
                why: PeerMiss::NotAPod {
                    endpoint: "dns".into(),
                },
            },
            MissReason::Port {
                index: 0,
                span: Span::default(),
                why,
            },
        ];
        let miss = |direction| RuleMiss {
            policy: PolicyRef {
                id: "x/p".into(),
                index: crate::PolicyId(0),
                span: Span::default(),
            },
            direction,
            rule: 2,
            rule_span: Span::default(),
            reasons: reasons.clone(),
        };
        for (dir, rules, peers) in [
            (PolicyType::Ingress, "ingress", "from"),
            (PolicyType::Egress, "egress", "to"),
        ] {
            let m = miss(dir);
            assert!(
                rule_miss(&m).starts_with(&format!("x/p {rules}[2] does not match: {peers}[1]: ")),
                "{}",
                rule_miss(&m)
            );
            let labels: Vec<String> = miss_spans(&m).into_iter().map(|s| s.label).collect();
            assert_eq!(
                labels,
                [
                    "x/p",
                    &format!("{rules}[2]"),
                    &format!("{peers}[1]"),
                    "ports[0]"
                ]
            );
        }
    }
}
