//! The Why? panel's view model: the renderer's lines about the selected flow, grouped per side
//! (the source's egress, then the destination's ingress), with links to the YAML they name.
//!
//! Every sentence comes from `netpol_engine::explain::render::lines`, the renderer the CLI and
//! the exercise checker use too; this module only arranges the lines: which side they belong to,
//! which one decides the side, and which go behind the "Full detail" toggle.

use serde::{Deserialize, Serialize};

use super::interned::Word;
use netpol_engine::explain::render::short::{short, ShortPart};
use netpol_engine::explain::render::{self, Line, LineKind, LineSpan, SpanKind};
use netpol_engine::explain::{DecidingTier, Explanation, SideExplanation, Verdict};
use netpol_engine::{Cell, Model, PolicyType, PortProto};

use super::evaluation::{file_name, Evaluation, PortChoice};
use super::matrix::Mark;
use super::state::FlowSel;

/// How many rule lines (rules that allow or miss, policies without rules) a side shows before
/// the rest go behind "Full detail"; the deciding line is always shown.
const SHORT_RULE_LINES: usize = 2;

/// A link from the Why? panel to the YAML responsible.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkVm {
    /// `policy`, `rule`, `peer` or `port`.
    #[serde(deserialize_with = "super::interned::word")]
    pub kind: Word,
    pub label: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
}

/// The mark of a rule line: the rule allows the flow (✓) or does not (✗), or a tier's `Pass`
/// hands it on (→).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tick {
    Allows,
    Misses,
    Passes,
}

impl Tick {
    pub fn symbol(self) -> &'static str {
        match self {
            Tick::Allows => "✓",
            Tick::Misses => "✗",
            Tick::Passes => "→",
        }
    }

    /// The CSS class of the mark.
    pub fn class(self) -> &'static str {
        match self {
            Tick::Allows => "t-allows",
            Tick::Misses => "t-misses",
            Tick::Passes => "t-passes",
        }
    }
}

/// Whether a line is part of the tier walk (Admin, Baseline, the default, a tie-break).
pub fn is_tier_line(kind: LineKind) -> bool {
    matches!(
        kind,
        LineKind::TierRule
            | LineKind::TierPass
            | LineKind::TierNoRule
            | LineKind::TierDefault
            | LineKind::TieBreak
    )
}

/// The `data-line` hook of a line's kind (`tier-rule`, `allows`, …).
pub fn line_kind_value(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Verdict => "verdict",
        LineKind::Outside => "outside",
        LineKind::NotIsolated => "not-isolated",
        LineKind::Isolated => "isolated",
        LineKind::Allows(_) => "allows",
        LineKind::WithoutRules(_) => "without-rules",
        LineKind::Miss(_) => "miss",
        LineKind::NoRuleAllows => "no-rule-allows",
        LineKind::TierRule => "tier-rule",
        LineKind::TierPass => "tier-pass",
        LineKind::TierNoRule => "tier-no-rule",
        LineKind::TierDefault => "tier-default",
        LineKind::TieBreak => "tie-break",
    }
}

/// One line of a side: a sentence of the renderer and the places in the YAML it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineVm {
    /// The renderer's sentence, without the side's name in front (the side's heading says it).
    pub text: String,
    /// The renderer's short form of the sentence (`render::short::short`), its key part (what
    /// matched or missed) marked; the sentence itself when it has none.
    pub short: Vec<ShortPart>,
    pub kind: LineKind,
    pub tick: Option<Tick>,
    /// The line that decides the side: the rule that allows the flow (or that no policy
    /// isolates the pod); on a denied side, the rule that came closest to allowing it (the one
    /// with the fewest reasons not to match, as in exercise goal reasons) or else the policy
    /// without rules.
    pub deciding: bool,
    pub links: Vec<LinkVm>,
}

/// One side of the flow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideVm {
    pub direction: PolicyType,
    /// `Egress of app/web: allowed`.
    pub title: String,
    pub allowed: bool,
    pub isolated: bool,
    /// The short lines: who isolates the pod, the first rule lines and the deciding one, the
    /// conclusion.
    pub lines: Vec<LineVm>,
    /// The other rule lines, behind "Full detail".
    pub detail: Vec<LineVm>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExplanationVm {
    pub from: String,
    pub to: String,
    pub port: String,
    pub verdict: Mark,
    /// The renderer's verdict line.
    pub headline: String,
    /// The other lines as the CLI prints them.
    pub sentences: Vec<String>,
    pub sides: Vec<SideVm>,
    /// All-ports mode: the verdict on each port that matters (port, allowed, is explained).
    pub per_port: Vec<(PortProto, bool, bool)>,
    /// True when the selection is from the last valid result while the input has errors.
    pub stale: bool,
}

fn link(model: &Model, s: &LineSpan) -> LinkVm {
    LinkVm {
        kind: match s.kind {
            SpanKind::Policy => "policy",
            SpanKind::Rule => "rule",
            SpanKind::Peer => "peer",
            SpanKind::Port => "port",
        },
        label: s.label.clone(),
        file: file_name(model, s.span),
        line: s.span.line,
        col: s.span.col,
    }
}

/// The kind of the line that decides a side (see [`LineVm::deciding`]).
fn deciding_kind(side: Option<&SideExplanation>) -> Option<LineKind> {
    let Some(side) = side else {
        return Some(LineKind::Outside);
    };
    if let Some(walk) = &side.tiers {
        match walk.decided_by {
            DecidingTier::Admin | DecidingTier::Baseline => return Some(LineKind::TierRule),
            DecidingTier::Default => return Some(LineKind::TierDefault),
            DecidingTier::NetworkPolicy => {}
        }
    }
    if side.isolated_by.is_empty() {
        return Some(LineKind::NotIsolated);
    }
    if side.allowed {
        return (!side.allowed_by.is_empty()).then_some(LineKind::Allows(0));
    }
    match side.closest_miss() {
        Some(i) => Some(LineKind::Miss(i)),
        None => (!side.without_rules.is_empty()).then_some(LineKind::WithoutRules(0)),
    }
}

fn side_vm(model: &Model, ex: &Explanation, dir: PolicyType, lines: &[Line]) -> SideVm {
    let side = match dir {
        PolicyType::Egress => ex.egress.as_ref(),
        PolicyType::Ingress => ex.ingress.as_ref(),
    };
    let pod = match (side, dir) {
        (Some(s), _) => &s.pod,
        (None, PolicyType::Egress) => &ex.from,
        (None, PolicyType::Ingress) => &ex.to,
    };
    let allowed = side.is_none_or(|s| s.allowed);
    let deciding = deciding_kind(side);
    let prefix = format!("{dir}: ");
    // Tier lines read `Egress, Admin tier: …`.
    let tier_prefix = format!("{dir}, ");
    let mut out = SideVm {
        direction: dir,
        title: format!(
            "{dir} of {pod}: {}",
            if allowed { "allowed" } else { "denied" }
        ),
        allowed,
        isolated: side.is_some_and(|s| !s.isolated_by.is_empty()),
        lines: Vec::new(),
        detail: Vec::new(),
    };
    let mut rule_lines = 0;
    for line in lines.iter().filter(|l| l.side == Some(dir)) {
        let tick = match line.kind {
            LineKind::Allows(_) => Some(Tick::Allows),
            LineKind::Miss(_) | LineKind::WithoutRules(_) => Some(Tick::Misses),
            // The walk has at most one rule that decided (a `Pass` is a `TierPass` line).
            LineKind::TierRule if !allowed => Some(Tick::Misses),
            LineKind::TierRule | LineKind::TierDefault => Some(Tick::Allows),
            LineKind::TierPass => Some(Tick::Passes),
            LineKind::TierNoRule => Some(Tick::Misses),
            _ => None,
        };
        let rule_line = matches!(
            line.kind,
            LineKind::Allows(_) | LineKind::Miss(_) | LineKind::WithoutRules(_)
        );
        let text = line
            .text
            .strip_prefix(&prefix)
            .or_else(|| line.text.strip_prefix(&tier_prefix))
            .unwrap_or(&line.text)
            .to_string();
        let mut parts = short(ex, line);
        if let [only] = parts.as_mut_slice() {
            if !only.key && only.text == line.text {
                only.text = text.clone();
            }
        }
        let vm = LineVm {
            text,
            short: parts,
            kind: line.kind,
            tick,
            deciding: Some(line.kind) == deciding,
            links: line.spans.iter().map(|s| link(model, s)).collect(),
        };
        if rule_line {
            rule_lines += 1;
            if rule_lines > SHORT_RULE_LINES && !vm.deciding {
                out.detail.push(vm);
                continue;
            }
        }
        out.lines.push(vm);
    }
    out
}

/// The explanation of the selected flow, `None` when an endpoint is gone (or, in all-ports
/// mode, no port matters).
pub fn explanation_vm(
    ev: &Evaluation,
    flow: &FlowSel,
    choice: PortChoice,
    stale: bool,
) -> Option<ExplanationVm> {
    let from = ev.endpoint(&flow.from)?;
    let to = ev.endpoint(&flow.to)?;
    let (pp, per_port) = match choice {
        PortChoice::One(pp) => (pp, Vec::new()),
        PortChoice::All => {
            let pp = flow
                .port
                .filter(|p| ev.ports.contains(p))
                .or_else(|| ev.ports.first().copied())?;
            let per = ev
                .ports
                .iter()
                .map(|&p| (p, ev.cell(from, to, p) == Cell::Allowed, p == pp))
                .collect();
            (pp, per)
        }
    };
    let ex = ev
        .compiled
        .explain(ev.engine_index(from), ev.engine_index(to), pp);
    let verdict = match ex.verdict {
        Verdict::Allowed => Mark::Allow,
        Verdict::Denied => Mark::Deny,
        Verdict::NotApplicable => Mark::NotApplicable,
    };
    let lines = render::lines(&ex);
    let sides = [PolicyType::Egress, PolicyType::Ingress]
        .into_iter()
        .filter(|&dir| lines.iter().any(|l| l.side == Some(dir)))
        .map(|dir| side_vm(&ev.model, &ex, dir, &lines))
        .collect();
    Some(ExplanationVm {
        from: ex.from.clone(),
        to: ex.to.clone(),
        port: pp.to_string(),
        verdict,
        headline: lines[0].text.clone(),
        sentences: lines.iter().skip(1).map(Line::plain).collect(),
        sides,
        per_port,
        stale,
    })
}
