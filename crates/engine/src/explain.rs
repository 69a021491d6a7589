//! Explanations: why a flow is allowed or denied, as plain data and as sentences.

use serde::Serialize;

use crate::model::{PolicyType, PortProto, Span};

/// The verdict on one flow.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Allowed,
    Denied,
    /// Neither endpoint is a pod: NetworkPolicy has nothing to say.
    NotApplicable,
}

/// A reference to a policy, with where it was written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyRef {
    /// `namespace/name`.
    pub id: String,
    /// Index into `Model::policies`.
    pub index: usize,
    pub span: Span,
}

/// A (policy, rule, peer, port) combination that allowed one side of a flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    pub policy: PolicyRef,
    /// 0-based index into the policy's `ingress` or `egress`.
    pub rule: usize,
    pub rule_span: Span,
    /// 0-based index into `from`/`to`; `None` when the rule has no peers (matches everyone).
    pub peer: Option<usize>,
    pub peer_span: Option<Span>,
    /// 0-based index into `ports`; `None` when the rule has no ports (matches every port).
    pub port: Option<usize>,
    pub port_span: Option<Span>,
    /// A sentence saying how it matched.
    pub sentence: String,
}

/// Why one rule of an isolating policy did not match.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleMiss {
    pub policy: PolicyRef,
    pub rule: usize,
    pub rule_span: Span,
    /// One sentence per peer or port that failed, e.g. "peer 1 requires namespace label team=web;
    /// namespace db has none".
    pub reasons: Vec<String>,
}

/// One direction of a flow: the source's egress or the destination's ingress.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideExplanation {
    pub direction: PolicyType,
    /// The pod whose policies decide this side (`ns/pod`).
    pub pod: String,
    /// The policies that select the pod for this direction. Empty: not isolated, so allowed.
    pub isolated_by: Vec<PolicyRef>,
    pub allowed: bool,
    /// Every rule that allowed this side.
    pub allowed_by: Vec<RuleMatch>,
    /// For a denied side: every rule of the isolating policies and why it did not match.
    pub misses: Vec<RuleMiss>,
    /// Isolating policies that have no rules in this direction at all.
    pub without_rules: Vec<PolicyRef>,
}

/// The explanation of one flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Explanation {
    pub from: String,
    pub to: String,
    pub port: PortProto,
    pub verdict: Verdict,
    /// True when the source and destination are the same pod (always allowed).
    pub self_flow: bool,
    /// The source's egress side; `None` when the source is not a pod.
    pub egress: Option<SideExplanation>,
    /// The destination's ingress side; `None` when the destination is not a pod.
    pub ingress: Option<SideExplanation>,
}

impl Explanation {
    pub fn allowed(&self) -> bool {
        self.verdict == Verdict::Allowed
    }

    /// Every place in the input responsible for the verdict (policies, rules, peers, ports).
    pub fn spans(&self) -> Vec<Span> {
        let mut out = Vec::new();
        for side in [&self.egress, &self.ingress].into_iter().flatten() {
            for m in &side.allowed_by {
                out.push(m.policy.span);
                out.push(m.rule_span);
                out.extend(m.peer_span);
                out.extend(m.port_span);
            }
            if !side.allowed {
                out.extend(side.isolated_by.iter().map(|p| p.span));
            }
        }
        out.sort();
        out.dedup();
        out
    }

    /// The reasoning as plain sentences, first the verdict, then each side.
    pub fn sentences(&self) -> Vec<String> {
        crate::eval::render_sentences(self)
    }

    /// The sentences joined by newlines.
    pub fn to_text(&self) -> String {
        let mut s = self.sentences().join("\n");
        s.push('\n');
        s
    }
}
