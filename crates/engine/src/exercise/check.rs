//! Checking goals: every input through the engine, each flow goal's verdict and the reasons
//! from the one explanation renderer.

use super::format::{
    flow_description, matrix_description, Exercise, FlowGoal, GoalResult, MatrixGoal, TutorialStep,
};
use super::matrix::check_matrix;
use crate::diag::{has_errors, Diagnostic};
use crate::eval::{compile, Compiled};
use crate::explain::render::{self, Line, LineKind};
use crate::explain::{DecidingTier, Explanation, Verdict};
use crate::model::{PolicyType, PortProto};
use crate::Input;

/// Checks a learner's policies against every goal of an exercise.
///
/// Returns one result per flow goal (in order), then one for the matrix goal if any, and the
/// diagnostics of the inputs (named `cluster` and `policies`). When any input has an error, every
/// goal is unmet: the verdicts of a half-read input would mislead.
pub fn check(ex: &Exercise, policies_text: &str) -> (Vec<GoalResult>, Vec<Diagnostic>) {
    evaluate(&ex.cluster, policies_text, &ex.goals, ex.matrix.as_ref())
}

/// Checks the verdicts a tutorial step claims (`expect`) against its own cluster and policies.
pub fn check_step(step: &TutorialStep) -> (Vec<GoalResult>, Vec<Diagnostic>) {
    evaluate(&step.cluster, &step.policies, &step.expect, None)
}

pub(super) fn evaluate(
    cluster: &str,
    policies: &str,
    goals: &[FlowGoal],
    matrix: Option<&MatrixGoal>,
) -> (Vec<GoalResult>, Vec<Diagnostic>) {
    let (model, diagnostics) = crate::parse(&[
        Input {
            name: "cluster",
            text: cluster,
        },
        Input {
            name: "policies",
            text: policies,
        },
    ]);
    let mut results = Vec::new();
    if has_errors(&diagnostics) {
        let n = diagnostics
            .iter()
            .filter(|d| d.severity == crate::Severity::Error)
            .count();
        let detail = format!(
            "The input has {n} error{}; fix {} first (an object with an error is left out, so verdicts would mislead).",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        );
        results.extend(goals.iter().map(|g| GoalResult {
            description: flow_description(g),
            met: false,
            explanation: None,
            detail: detail.clone(),
        }));
        results.extend(matrix.map(|m| GoalResult {
            description: matrix_description(m),
            met: false,
            explanation: None,
            detail: detail.clone(),
        }));
        return (results, diagnostics);
    }
    let index = compile(model);
    results.extend(goals.iter().map(|g| check_flow(&index, g)));
    results.extend(matrix.map(|m| check_matrix(&index, m)));
    (results, diagnostics)
}

pub(super) fn unknown_endpoint(index: &Compiled, name: &str) -> String {
    let names: Vec<&str> = index.endpoints().iter().map(|e| e.name.as_str()).collect();
    let mut listed = names
        .iter()
        .take(12)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > 12 {
        listed.push_str(&format!(" and {} more", names.len() - 12));
    }
    format!("There is no endpoint named `{name}` in the cluster (endpoints: {listed}).")
}

pub(super) fn check_flow(index: &Compiled, g: &FlowGoal) -> GoalResult {
    let description = flow_description(g);
    let unmet = |detail: String| GoalResult {
        description: description.clone(),
        met: false,
        explanation: None,
        detail,
    };
    let port = match PortProto::parse(&g.port) {
        Ok(p) => p,
        Err(e) => return unmet(format!("The goal's port is not valid: {e}.")),
    };
    let Some(from) = index.endpoint(&g.from) else {
        return unmet(unknown_endpoint(index, &g.from));
    };
    let Some(to) = index.endpoint(&g.to) else {
        return unmet(unknown_endpoint(index, &g.to));
    };
    let ex = index.explain(from, to, port);
    let lines = render::lines(&ex);
    let verdict = lines[0].text.clone();
    let met = ex.allowed() == g.allowed && ex.verdict != Verdict::NotApplicable;
    let detail = if met || ex.verdict == Verdict::NotApplicable {
        verdict
    } else if g.allowed {
        let mut d = format!("Expected allowed, but {verdict}");
        for line in why_denied(&ex, &lines) {
            d.push(' ');
            d.push_str(&line.text);
        }
        d
    } else {
        let mut d = format!("Expected denied, but {verdict}");
        for line in why_allowed(&lines) {
            d.push(' ');
            d.push_str(&line.text);
        }
        d
    };
    GoalResult {
        description,
        met,
        explanation: Some(ex),
        detail,
    }
}

/// The lines of the first denying side that say why: who isolates the pod, the rule that came
/// closest (the one with the fewest reasons not to match) or else the policies without rules,
/// and that no rule allows the flow.
pub(super) fn why_denied<'l>(ex: &Explanation, lines: &'l [Line]) -> Vec<&'l Line> {
    let Some(side) = ex.sides().find(|s| !s.allowed) else {
        return Vec::new();
    };
    let of_side = |l: &&Line| l.side == Some(side.direction);
    if matches!(
        side.decided_by(),
        DecidingTier::Admin | DecidingTier::Baseline
    ) {
        // A tiered rule denied it (and maybe a tie decided which one).
        return lines
            .iter()
            .filter(of_side)
            .filter(|l| matches!(l.kind, LineKind::TierRule | LineKind::TieBreak))
            .collect();
    }
    let closest = side.closest_miss();
    lines
        .iter()
        .filter(|l| l.side == Some(side.direction))
        .filter(|l| match l.kind {
            LineKind::Isolated | LineKind::NoRuleAllows | LineKind::TierPass => true,
            LineKind::Miss(i) => Some(i) == closest,
            LineKind::WithoutRules(_) => closest.is_none(),
            _ => false,
        })
        .collect()
}

/// Per side, the line that says why it allows the flow: the tiered rule or the default that
/// decided it (after the Pass that handed the flow down, if any), else not isolated, or the
/// first rule that allows it.
pub(super) fn why_allowed(lines: &[Line]) -> Vec<&Line> {
    let mut out: Vec<&Line> = Vec::new();
    for dir in [PolicyType::Egress, PolicyType::Ingress] {
        let of_side = || lines.iter().filter(move |l| l.side == Some(dir));
        let tier = of_side().find(|l| matches!(l.kind, LineKind::TierRule | LineKind::TierDefault));
        if tier.is_some_and(|l| l.kind == LineKind::TierDefault) {
            out.extend(of_side().filter(|l| l.kind == LineKind::TierPass));
        }
        let np = of_side().find(|l| matches!(l.kind, LineKind::NotIsolated | LineKind::Allows(_)));
        out.extend(tier.or(np));
    }
    out
}
