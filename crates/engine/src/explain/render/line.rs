//! The lines an explanation is rendered into, and the words of each direction.

use serde::{Deserialize, Serialize};

use crate::model::{PolicyType, Span};

/// One line of an explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    /// The sentence, without indentation or marker (see [`Line::plain`]).
    pub text: String,
    /// The side of the flow the line is about; `None` for the verdict.
    pub side: Option<PolicyType>,
    /// What the line says: the verdict, a match, a miss or a note.
    pub kind: LineKind,
    /// The places in the input the line names, in the order it names them.
    pub spans: Vec<LineSpan>,
}

/// What a line says. The indices point into the lists of the line's [`SideExplanation`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "index", rename_all = "snake_case")]
pub enum LineKind {
    /// The verdict on the flow; always the first line.
    Verdict,
    /// The side's endpoint is outside the cluster, so no policy governs this side.
    Outside,
    /// No policy selects the side's pod for this direction: allowed.
    NotIsolated,
    /// The policies that isolate the side's pod.
    Isolated,
    /// `allowed_by[i]` allows the flow.
    Allows(usize),
    /// `without_rules[i]` isolates the pod and has no rules in this direction.
    WithoutRules(usize),
    /// `misses[i]` does not match, with every reason.
    Miss(usize),
    /// The conclusion of a denied side: no rule allows the flow.
    NoRuleAllows,
    /// A tiered rule (Admin or Baseline tier) decided the side: the first rule of its tier that
    /// matches the flow.
    TierRule,
    /// A tiered `Pass` rule handed the side on to the next tier.
    TierPass,
    /// A tier was consulted and none of its rules matches the flow.
    TierNoRule,
    /// No tier decided the side: Kubernetes' default allows.
    TierDefault,
    /// The policy that decided shares its priority with another one that matches the flow: the
    /// API leaves their order undefined.
    TieBreak,
}

/// A place in the input a line names: a policy, a rule (`ingress[0]`), an item of its
/// `from`/`to` (`from[1]`) or of its `ports` (`ports[0]`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LineSpan {
    /// What the span points at.
    pub kind: SpanKind,
    /// The policy's `namespace/name`, or the item's path within its policy: `ingress[0]`.
    pub label: String,
    /// Where it is written.
    pub span: Span,
}

/// What a [`LineSpan`] points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    /// A policy.
    Policy,
    /// A rule of a policy.
    Rule,
    /// An item of a rule's `from`/`to`.
    Peer,
    /// An item of a rule's `ports`.
    Port,
}

impl Line {
    /// The line as the CLI prints it: rule lines indented, marked ✓ when the rule allows the
    /// flow and ✗ when it does not.
    pub fn plain(&self) -> String {
        match self.kind {
            LineKind::Allows(_) => format!("  ✓ {}", self.text),
            LineKind::WithoutRules(_) | LineKind::Miss(_) => format!("  ✗ {}", self.text),
            LineKind::NoRuleAllows | LineKind::TieBreak => format!("  {}", self.text),
            LineKind::Verdict
            | LineKind::Outside
            | LineKind::NotIsolated
            | LineKind::Isolated
            | LineKind::TierRule
            | LineKind::TierPass
            | LineKind::TierNoRule
            | LineKind::TierDefault => self.text.clone(),
        }
    }
}

/// The words of one direction; the only place that pairs `ingress` with `from`.
pub(super) struct Words {
    /// As in `policyTypes`: `Ingress`.
    pub title: &'static str,
    /// The policy field with the rules: `ingress`.
    pub rules: &'static str,
    /// The rule field with the peers: `from`.
    pub peers: &'static str,
    /// The side in a verdict: "the destination's ingress".
    pub whose: &'static str,
}

pub(super) fn words(dir: PolicyType) -> Words {
    match dir {
        PolicyType::Ingress => Words {
            title: "Ingress",
            rules: "ingress",
            peers: "from",
            whose: "the destination's ingress",
        },
        PolicyType::Egress => Words {
            title: "Egress",
            rules: "egress",
            peers: "to",
            whose: "the source's egress",
        },
    }
}

/// The policy field that holds the rules of a direction: `ingress` or `egress`.
pub fn rules_field(dir: PolicyType) -> &'static str {
    words(dir).rules
}

/// The rule field that holds the peers of a direction: `from` (ingress) or `to` (egress).
pub fn peers_field(dir: PolicyType) -> &'static str {
    words(dir).peers
}
