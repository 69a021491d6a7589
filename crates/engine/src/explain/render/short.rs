//! The short form of a line, for the playground's Why? panel: a few words per line ("isolated
//! by …", "… ingress[0] matched: …", "… missed because …") with the part that matched or
//! missed marked as the key. The full sentence stays [`Line::text`].

use serde::{Deserialize, Serialize};

use super::line::{words, Line, LineKind};
use super::{describe_peer, describe_port, selector_mismatch};
use crate::explain::{Explanation, MissReason, PeerMiss, RuleMatch, RuleMiss, SideExplanation};
use crate::model::PolicyType;

/// A piece of a short line; `key` marks what matched or missed (the panel highlights it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShortPart {
    /// The words.
    pub text: String,
    /// True for the part that matched or missed.
    pub key: bool,
}

fn plain(text: impl Into<String>) -> ShortPart {
    ShortPart {
        text: text.into(),
        key: false,
    }
}

fn key(text: impl Into<String>) -> ShortPart {
    ShortPart {
        text: text.into(),
        key: true,
    }
}

/// The short form of `line`, one of [`super::lines`]`(ex)`. Lines without a short form (the
/// verdict, endpoints outside the cluster, the tier walk) are their full text.
pub fn short(ex: &Explanation, line: &Line) -> Vec<ShortPart> {
    let side = match line.side {
        Some(PolicyType::Egress) => ex.egress.as_ref(),
        Some(PolicyType::Ingress) => ex.ingress.as_ref(),
        None => None,
    };
    let parts = side.and_then(|s| side_short(s, line.kind, s.tiers.is_some()));
    parts.unwrap_or_else(|| vec![plain(line.text.clone())])
}

fn side_short(side: &SideExplanation, kind: LineKind, tiered: bool) -> Option<Vec<ShortPart>> {
    let w = words(side.direction);
    Some(match kind {
        LineKind::NotIsolated if !tiered => vec![
            plain(format!("{} is ", side.pod)),
            key("not isolated"),
            plain(format!(": no policy selects it for {}", w.title)),
        ],
        LineKind::Isolated => {
            let ids: Vec<&str> = side.isolated_by.iter().map(|p| p.id.as_str()).collect();
            vec![plain("isolated by "), key(ids.join(", "))]
        }
        LineKind::Allows(i) => rule_match(side.allowed_by.get(i)?),
        LineKind::Miss(i) => rule_miss(side.misses.get(i)?),
        LineKind::WithoutRules(i) => vec![
            plain(format!("{} ", side.without_rules.get(i)?.id)),
            key(format!("has no {} rules", w.rules)),
            plain(" (default deny)"),
        ],
        LineKind::NoRuleAllows => vec![key(format!("no {} rule allows it", w.rules))],
        _ => return None,
    })
}

/// `app/api-allow ingress[0] matched: from[0] podSelector app=web, ports[0] TCP 8080`.
fn rule_match(m: &RuleMatch) -> Vec<ShortPart> {
    let w = words(m.direction);
    let peer = match &m.peer {
        None => format!("no `{}` (every peer)", w.peers),
        Some(p) => format!("{}[{}] {}", w.peers, p.index, describe_peer(&p.item)),
    };
    let port = match &m.port {
        None => "no `ports` (every port)".to_string(),
        Some(p) => format!("ports[{}] {}", p.index, describe_port(&p.item)),
    };
    vec![
        plain(format!("{} {}[{}] matched: ", m.policy.id, w.rules, m.rule)),
        key(peer),
        plain(", "),
        key(port),
    ]
}

/// `app/db ingress[0] missed because from[0] requires app=web, has app=batch (+1 more)`.
fn rule_miss(m: &RuleMiss) -> Vec<ShortPart> {
    let w = words(m.direction);
    let mut out = vec![plain(format!(
        "{} {}[{}] missed because ",
        m.policy.id, w.rules, m.rule
    ))];
    if let Some(first) = m.reasons.first() {
        out.push(key(reason(m.direction, first)));
    }
    if m.reasons.len() > 1 {
        out.push(plain(format!(" (+{} more)", m.reasons.len() - 1)));
    }
    out
}

/// One reason in a few words; the selector reasons name only the unmet requirement.
fn reason(dir: PolicyType, r: &MissReason) -> String {
    let MissReason::Peer { index, why, .. } = r else {
        return super::miss_reason(dir, r);
    };
    let item = format!("{}[{index}]", words(dir).peers);
    match why {
        PeerMiss::PodSelector { mismatch, .. } => {
            format!("{item} {}", selector_mismatch(mismatch))
        }
        PeerMiss::NamespaceSelector {
            namespace,
            mismatch,
            ..
        } => format!(
            "{item}: namespace {namespace} {}",
            selector_mismatch(mismatch)
        ),
        PeerMiss::OutsidePolicyNamespace {
            policy_namespace,
            namespace,
            ..
        } => format!("{item} only selects namespace {policy_namespace}, not {namespace}"),
        _ => super::miss_reason(dir, r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{PolicyRef, SelectorMismatch, UnmetRequirement};
    use crate::model::{LabelSelector, Span};

    fn text(parts: &[ShortPart]) -> String {
        parts
            .iter()
            .map(|p| {
                if p.key {
                    format!("[{}]", p.text)
                } else {
                    p.text.clone()
                }
            })
            .collect()
    }

    #[test]
    fn a_miss_names_its_first_reason_as_the_key() {
        let app = |v: &str| SelectorMismatch {
            requirement: UnmetRequirement::MatchLabels {
                key: "app".into(),
                value: "web".into(),
            },
            has: Some(v.to_string()),
        };
        let peer = |index, why| MissReason::Peer {
            index,
            span: Span::default(),
            why,
        };
        let miss = RuleMiss {
            policy: PolicyRef {
                id: "x/db".into(),
                index: crate::ids::PolicyId(0),
                span: Span::default(),
            },
            direction: PolicyType::Ingress,
            rule: 1,
            rule_span: Span::default(),
            reasons: vec![
                peer(
                    0,
                    PeerMiss::PodSelector {
                        selector: LabelSelector::default(),
                        endpoint: "x/batch".into(),
                        mismatch: app("batch"),
                        with_namespace_selector: false,
                    },
                ),
                peer(
                    1,
                    PeerMiss::NamespaceSelector {
                        selector: LabelSelector::default(),
                        namespace: "x".into(),
                        mismatch: app("db"),
                    },
                ),
            ],
        };
        assert_eq!(
            text(&rule_miss(&miss)),
            "x/db ingress[1] missed because [from[0] requires app=web, has app=batch] (+1 more)"
        );
        assert_eq!(
            reason(PolicyType::Egress, &miss.reasons[1]),
            "to[1]: namespace x requires app=web, has app=db"
        );
    }
}
