//! The sentences of the tier walk: which Admin rule decided or passed, which Baseline rule
//! decided, the default, and the note when equal priorities decided.

use super::line::{words, Line, LineKind, LineSpan, SpanKind};
use crate::explain::{
    DecidingTier, Explanation, SideExplanation, TieBreak, TierRuleMatch, TierWalk, TieredPolicyRef,
    Verdict,
};
use crate::model::{Action, ClusterPeer, ClusterPort, PeerKind, PortMatch, Tier};
use crate::selector::describe_selector;

/// The tier that decided a flow, with the short sentence a matrix cell shows for it, e.g.
/// `decided by the Admin tier: ClusterNetworkPolicy/deny-x ingress rule 0 (Deny)`. The side
/// that speaks is the denying one, or for an allowed flow the one decided by the highest tier.
/// The sentence is empty when the model has no tiered policies; `None` for a flow that is not
/// applicable.
pub fn flow_tier(ex: &Explanation) -> Option<(DecidingTier, String)> {
    if ex.verdict == Verdict::NotApplicable {
        return None;
    }
    if ex.self_flow {
        return Some((
            DecidingTier::Default,
            "a pod always reaches itself".to_string(),
        ));
    }
    let sides: Vec<_> = ex.sides().collect();
    let side = if ex.allowed() {
        sides.iter().max_by_key(|s| rank(s.decided_by()))
    } else {
        sides.iter().find(|s| !s.allowed)
    };
    let Some(side) = side else {
        return Some((
            DecidingTier::Default,
            "no policy governs this flow: allowed by default".to_string(),
        ));
    };
    let tier = side.decided_by();
    let dir = side.direction.as_str().to_lowercase();
    let text = match (&side.tiers, tier) {
        (Some(w), DecidingTier::Admin) => match &w.admin_rule {
            Some(m) => format!("decided by the Admin tier: {}", short_rule(m)),
            None => "decided by the Admin tier".to_string(),
        },
        (Some(w), DecidingTier::Baseline) => match &w.baseline_rule {
            Some(m) => format!("decided by the Baseline tier: {}", short_rule(m)),
            None => "decided by the Baseline tier".to_string(),
        },
        (Some(_), DecidingTier::NetworkPolicy) => {
            format!("decided by NetworkPolicy ({dir} of {})", side.pod)
        }
        (Some(_), DecidingTier::Default) => "no tier decided: allowed by default".to_string(),
        (None, _) => String::new(),
    };
    Some((tier, text))
}

/// The rank of a tier when it decides an allowed flow's sides: the higher speaks.
fn rank(t: DecidingTier) -> u8 {
    match t {
        DecidingTier::Admin => 3,
        DecidingTier::Baseline => 2,
        DecidingTier::NetworkPolicy => 1,
        DecidingTier::Default => 0,
    }
}

/// A tiered rule in a few words, e.g. `ClusterNetworkPolicy/deny-x ingress rule 0 (Deny)`.
fn short_rule(m: &TierRuleMatch) -> String {
    format!(
        "{} {} rule {} ({})",
        m.policy.id,
        m.direction.as_str().to_lowercase(),
        m.rule,
        m.action_word
    )
}

/// The Admin tier's line of a side.
pub(super) fn admin_lines(side: &SideExplanation, walk: &TierWalk, out: &mut Vec<Line>) {
    out.push(tier_line(
        side,
        walk,
        Tier::Admin,
        &walk.admin_policies,
        walk.admin_rule.as_ref(),
    ));
}

/// The lines after NetworkPolicy's: the Baseline tier (when it was consulted), the default, and
/// the tie-break note.
pub(super) fn after_network_policy_lines(
    side: &SideExplanation,
    walk: &TierWalk,
    out: &mut Vec<Line>,
) {
    let baseline_consulted = walk
        .admin_rule
        .as_ref()
        .is_none_or(|r| r.action == Action::Pass)
        && side.isolated_by.is_empty();
    if baseline_consulted {
        out.push(tier_line(
            side,
            walk,
            Tier::Baseline,
            &walk.baseline_policies,
            walk.baseline_rule.as_ref(),
        ));
    }
    if walk.decided_by == DecidingTier::Default {
        out.push(Line {
            text: format!(
                "{}: no tier decided, so Kubernetes' default allows it.",
                words(side.direction).title
            ),
            side: Some(side.direction),
            kind: LineKind::TierDefault,
            spans: Vec::new(),
        });
    }
    if let Some(tie) = &walk.tie {
        out.push(tie_line(side, tie));
    }
}

/// The line of one tier: the rule that decided or passed, or why none did.
fn tier_line(
    side: &SideExplanation,
    walk: &TierWalk,
    tier: Tier,
    policies: &[TieredPolicyRef],
    rule: Option<&TierRuleMatch>,
) -> Line {
    let w = words(side.direction);
    let head = format!("{}, {tier} tier", w.title);
    let (kind, text, spans) = match rule {
        Some(m) => {
            let outcome = match (m.action, tier) {
                (Action::Pass, Tier::Admin) => {
                    "PASS: the rest of the Admin tier is skipped, and NetworkPolicy decides next"
                }
                (Action::Pass, Tier::Baseline) => "PASS: the rest of the Baseline tier is skipped",
                (Action::Accept, Tier::Admin) => "ALLOWED, before NetworkPolicy is consulted",
                (Action::Deny, Tier::Admin) => "DENIED, before NetworkPolicy is consulted",
                (Action::Accept, Tier::Baseline) => "ALLOWED",
                (Action::Deny, Tier::Baseline) => "DENIED",
            };
            let kind = if m.action == Action::Pass {
                LineKind::TierPass
            } else {
                LineKind::TierRule
            };
            (
                kind,
                format!("{head}: {} → {outcome}.", rule_match(m)),
                rule_spans(m),
            )
        }
        None if policies.is_empty() => (
            LineKind::TierNoRule,
            format!("{head}: no {tier} policy selects {}.", side.pod),
            Vec::new(),
        ),
        None => {
            let names: Vec<String> = policies.iter().map(policy_name).collect();
            let (verb, whose) = if names.len() == 1 {
                ("selects", "its")
            } else {
                ("select", "their")
            };
            (
                LineKind::TierNoRule,
                format!(
                    "{head}: {} {verb} {}, but none of {whose} {} rules matches {} on {}.",
                    names.join(", "),
                    side.pod,
                    w.rules,
                    walk.endpoint,
                    walk.flow_port
                ),
                policies.iter().map(policy_span).collect(),
            )
        }
    };
    Line {
        text,
        side: Some(side.direction),
        kind,
        spans,
    }
}

/// `ClusterNetworkPolicy/deny-x (priority 10)`; the BaselineAdminNetworkPolicy has no priority.
fn policy_name(p: &TieredPolicyRef) -> String {
    match p.priority {
        Some(n) => format!("{} (priority {n})", p.id),
        None => p.id.clone(),
    }
}

/// How a tiered rule matched, e.g. `ClusterNetworkPolicy/deny-x (priority 10) ingress[0] Deny
/// matches y/b on 80/TCP (from[0]: namespaces team=blue; protocols[0]: TCP 80)`.
fn rule_match(m: &TierRuleMatch) -> String {
    let w = words(m.direction);
    let name = m
        .name
        .as_ref()
        .map(|n| format!(" \"{n}\""))
        .unwrap_or_default();
    let port = match &m.port {
        Some(p) => format!(
            "; {}[{}]: {}",
            m.ports_field,
            p.index,
            describe_cluster_port(&p.item)
        ),
        None => String::new(),
    };
    format!(
        "{} {}[{}]{name} {} matches {} on {} ({}[{}]: {}{port})",
        policy_name(&m.policy),
        w.rules,
        m.rule,
        m.action_word,
        m.endpoint,
        m.flow_port,
        w.peers,
        m.peer.index,
        describe_cluster_peer(&m.peer.item)
    )
}

fn tie_line(side: &SideExplanation, tie: &TieBreak) -> Line {
    let mut all = vec![tie.chosen.id.clone()];
    all.extend(tie.others.iter().map(|o| o.policy.id.clone()));
    let instead: Vec<String> = tie
        .others
        .iter()
        .map(|o| format!("{} ({})", o.policy.id, o.action_word))
        .collect();
    let listed = match all.split_last() {
        Some((last, first)) if !first.is_empty() => format!("{} and {last}", first.join(", ")),
        _ => all.join(""),
    };
    let mut spans = vec![policy_span(&tie.chosen)];
    spans.extend(tie.others.iter().map(|o| policy_span(&o.policy)));
    Line {
        text: format!(
            "Tie: {listed} have the same {} priority {} and match this flow, and the API leaves their order undefined: the playground evaluates {} first (by name, then kind), a cluster may apply {} instead.",
            tie.tier,
            tie.priority,
            tie.chosen.id,
            instead.join(" or ")
        ),
        side: Some(side.direction),
        kind: LineKind::TieBreak,
        spans,
    }
}

fn policy_span(p: &TieredPolicyRef) -> LineSpan {
    LineSpan {
        kind: SpanKind::Policy,
        label: p.id.clone(),
        span: p.span,
    }
}

fn rule_spans(m: &TierRuleMatch) -> Vec<LineSpan> {
    let w = words(m.direction);
    let mut spans = vec![
        policy_span(&m.policy),
        LineSpan {
            kind: SpanKind::Rule,
            label: format!("{}[{}]", w.rules, m.rule),
            span: m.rule_span,
        },
        LineSpan {
            kind: SpanKind::Peer,
            label: format!("{}[{}]", w.peers, m.peer.index),
            span: m.peer.item.span,
        },
    ];
    spans.extend(m.port.as_ref().map(|p| LineSpan {
        kind: SpanKind::Port,
        label: format!("{}[{}]", m.ports_field, p.index),
        span: p.item.span,
    }));
    spans
}

/// A tiered peer in words, e.g. `namespaces team=blue`, `pods {} / app=db`, `networks
/// 10.0.0.0/8, 192.168.0.0/16`.
pub fn describe_cluster_peer(p: &ClusterPeer) -> String {
    match &p.kind {
        PeerKind::Namespaces(sel) => format!("namespaces {}", describe_selector(sel)),
        PeerKind::Pods(np) => format!(
            "pods: namespaceSelector {} AND podSelector {}",
            describe_selector(&np.namespace_selector),
            describe_selector(&np.pod_selector)
        ),
        PeerKind::Nodes(sel) => format!("nodes {}", describe_selector(sel)),
        PeerKind::Networks(nets) => {
            let texts: Vec<&str> = nets.iter().map(|n| n.text.as_str()).collect();
            format!("networks {}", texts.join(", "))
        }
        PeerKind::DomainNames(names) => format!("domainNames {}", names.join(", ")),
    }
}

/// A tiered port item in words, e.g. `TCP 80`, `UDP 53-54`, `port named web`.
pub fn describe_cluster_port(p: &ClusterPort) -> String {
    match &p.port {
        PortMatch::Number { protocol, port } => format!("{protocol} {port}"),
        PortMatch::Range {
            protocol,
            start,
            end,
        } => format!("{protocol} {start}-{end}"),
        PortMatch::Named(name) => format!("port named {name}"),
        PortMatch::Unsupported { protocol } => format!("protocol {protocol}"),
    }
}
