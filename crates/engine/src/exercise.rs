//! Exercises and tutorial steps: self-checking NetworkPolicy tasks, written as data files.
//!
//! An exercise (`exercises/NN-slug.yaml`) gives a cluster, starting policies the learner edits,
//! and goals: flows that must be allowed or denied, and optionally "exactly this matrix" for one
//! port. [`check`] evaluates a learner's policies against every goal and says, per goal, whether
//! it holds and why not. A tutorial step (`tutorial/NN-slug.yaml`) is a scenario to look at, with
//! the things to highlight and the verdicts its lesson text claims ([`check_step`]).
//!
//! ```
//! use netpol_engine::exercise::{check, parse_exercise};
//!
//! let ex = parse_exercise(r#"
//! title: Only the web talks to the database
//! level: easy
//! story: Let only the web pod reach the database.
//! cluster: |
//!   namespaces:
//!     app: {pods: {web: app=web, db: app=db ports=5432, batch: app=batch}}
//! policies: ""
//! goals:
//!   - {from: app/web, to: app/db, port: 5432/TCP, allowed: true}
//!   - {from: app/batch, to: app/db, port: 5432/TCP, allowed: false}
//! solution: |
//!   apiVersion: networking.k8s.io/v1
//!   kind: NetworkPolicy
//!   metadata: {name: db, namespace: app}
//!   spec:
//!     podSelector: {matchLabels: {app: db}}
//!     ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
//! "#).unwrap();
//! let (start, _) = check(&ex, &ex.policies);
//! assert!(!start[1].met);
//! let (done, diagnostics) = check(&ex, &ex.solution);
//! assert!(done.iter().all(|g| g.met) && diagnostics.is_empty());
//! ```

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::diag::{has_errors, Diagnostic, Seg};
use crate::eval::{compile, Compiled, Endpoint};
use crate::explain::render::{self, Line, LineKind};
use crate::explain::{DecidingTier, Explanation, Verdict};
use crate::model::{PolicyType, PortProto};
use crate::Input;

/// How hard an exercise is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Easy,
    Medium,
    Hard,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Easy => "easy",
            Level::Medium => "medium",
            Level::Hard => "hard",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A flow that must be allowed or denied: `{from: app/web, to: app/db, port: 5432/TCP, allowed: true}`.
/// Endpoints are `namespace/pod` or an external's name.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FlowGoal {
    pub from: String,
    pub to: String,
    /// `5432/TCP`, `53/UDP`, `80` (TCP).
    pub port: String,
    pub allowed: bool,
}

/// "Exactly this matrix" for one port: flow patterns `SRC -> DST: allow|deny`, applied in order
/// (later lines override earlier ones), the syntax of `tests/conformance/README.md`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixGoal {
    pub port: String,
    pub flows: Vec<String>,
}

/// One exercise file.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub title: String,
    pub level: Level,
    /// Markdown: the situation and the task.
    pub story: String,
    /// The cluster, in the toy format or as Kubernetes objects.
    pub cluster: String,
    /// The starting policies, what the learner edits (may be empty).
    #[serde(default)]
    pub policies: String,
    #[serde(default)]
    pub goals: Vec<FlowGoal>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub matrix: Option<MatrixGoal>,
    /// Revealed one at a time.
    #[serde(default)]
    pub hints: Vec<String>,
    /// The reference policies.
    pub solution: String,
    /// Lint codes this exercise teaches (see [`crate::lint::CODES`]).
    #[serde(default)]
    pub traps: Vec<String>,
}

/// The state of one goal for some policies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GoalResult {
    /// E.g. "app/web → app/db on 5432/TCP is allowed".
    pub description: String,
    pub met: bool,
    /// For flow goals whose endpoints exist (for a matrix goal: the first wrong cell).
    pub explanation: Option<Explanation>,
    /// Why the goal is not met, in a sentence (when met: the verdict sentence, or empty).
    pub detail: String,
}

/// A highlight of a tutorial step.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(try_from = "RawHighlight", into = "RawHighlight")]
pub enum Highlight {
    /// A flow on a port: `{flow: "app/frontend -> app/api", port: 8080/TCP}`.
    Flow {
        from: String,
        to: String,
        port: String,
    },
    /// A policy by `namespace/name` (`{policy: app/default-deny-all}`), or a tiered policy by
    /// `Kind/name` (`{policy: ClusterNetworkPolicy/sandbox-isolation}`).
    Policy(String),
    /// A pod by `namespace/name`: `{pod: app/api}`.
    Pod(String),
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct RawHighlight {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    flow: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    port: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    policy: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pod: Option<String>,
}

impl TryFrom<RawHighlight> for Highlight {
    type Error = String;

    fn try_from(r: RawHighlight) -> Result<Self, String> {
        match (r.flow, r.port, r.policy, r.pod) {
            (Some(flow), Some(port), None, None) => {
                let (from, to) = flow.split_once("->").ok_or_else(|| {
                    format!("highlight flow `{flow}`: expected `SRC -> DST`")
                })?;
                PortProto::parse(&port).map_err(|e| format!("highlight port {e}"))?;
                Ok(Highlight::Flow {
                    from: from.trim().to_string(),
                    to: to.trim().to_string(),
                    port,
                })
            }
            (Some(_), None, None, None) => {
                Err("a flow highlight needs a `port` (e.g. `port: 8080/TCP`)".to_string())
            }
            (None, None, Some(policy), None) => Ok(Highlight::Policy(policy)),
            (None, None, None, Some(pod)) => Ok(Highlight::Pod(pod)),
            _ => Err(
                "a highlight is one of `{flow: \"A -> B\", port: P}`, `{policy: ns/name}`, `{pod: ns/name}`"
                    .to_string(),
            ),
        }
    }
}

impl From<Highlight> for RawHighlight {
    fn from(h: Highlight) -> Self {
        let mut r = RawHighlight {
            flow: None,
            port: None,
            policy: None,
            pod: None,
        };
        match h {
            Highlight::Flow { from, to, port } => {
                r.flow = Some(format!("{from} -> {to}"));
                r.port = Some(port);
            }
            Highlight::Policy(p) => r.policy = Some(p),
            Highlight::Pod(p) => r.pod = Some(p),
        }
        r
    }
}

/// One tutorial step's scenario (`tutorial/NN-slug.yaml`); the lesson text is the `.md` beside it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TutorialStep {
    pub title: String,
    pub cluster: String,
    #[serde(default)]
    pub policies: String,
    /// The port the playground selects for this step.
    pub port: String,
    #[serde(default)]
    pub highlight: Vec<Highlight>,
    /// Verdicts the lesson text claims.
    #[serde(default)]
    pub expect: Vec<FlowGoal>,
}

/// "line L, column C: message" for a serde_yaml error (the message without its own location).
fn yaml_error(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            let msg = msg.replace(&suffix, "");
            format!("line {}, column {}: {msg}", loc.line(), loc.column())
        }
        None => msg,
    }
}

/// "line L, column C: path: message" for a semantic error at a field path.
fn at(text: &str, path: &[Seg], msg: String) -> String {
    let (line, col) = crate::yaml::locate(text, path);
    let mut p = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !p.is_empty() {
                    p.push('.');
                }
                p.push_str(k);
            }
            Seg::Index(i) => p.push_str(&format!("[{i}]")),
        }
    }
    format!("line {line}, column {col}: {p}: {msg}")
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

fn check_flow_goals(text: &str, list: &str, goals: &[FlowGoal]) -> Result<(), String> {
    for (i, g) in goals.iter().enumerate() {
        if let Err(e) = PortProto::parse(&g.port) {
            return Err(at(text, &[key(list), Seg::Index(i), key("port")], e));
        }
        for (field, name) in [("from", &g.from), ("to", &g.to)] {
            if name.trim().is_empty() || name.contains('*') {
                return Err(at(
                    text,
                    &[key(list), Seg::Index(i), key(field)],
                    format!(
                        "`{name}` is not an endpoint name (`namespace/pod` or an external's name)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Reads an exercise file. Errors name the line and column.
pub fn parse_exercise(text: &str) -> Result<Exercise, String> {
    let ex: Exercise = serde_yaml::from_str(text).map_err(|e| yaml_error(&e))?;
    for (field, value) in [
        ("title", &ex.title),
        ("story", &ex.story),
        ("cluster", &ex.cluster),
        ("solution", &ex.solution),
    ] {
        if value.trim().is_empty() {
            return Err(at(text, &[key(field)], "must not be empty".to_string()));
        }
    }
    if ex.goals.is_empty() && ex.matrix.is_none() {
        return Err(at(
            text,
            &[key("goals")],
            "an exercise needs at least one goal (`goals` or `matrix`)".to_string(),
        ));
    }
    check_flow_goals(text, "goals", &ex.goals)?;
    if let Some(m) = &ex.matrix {
        if let Err(e) = PortProto::parse(&m.port) {
            return Err(at(text, &[key("matrix"), key("port")], e));
        }
        if m.flows.is_empty() {
            return Err(at(
                text,
                &[key("matrix"), key("flows")],
                "must list at least one flow pattern".to_string(),
            ));
        }
        for (i, f) in m.flows.iter().enumerate() {
            if let Err(e) = parse_flow_pattern(f) {
                return Err(at(text, &[key("matrix"), key("flows"), Seg::Index(i)], e));
            }
        }
    }
    for (i, h) in ex.hints.iter().enumerate() {
        if h.trim().is_empty() {
            return Err(at(
                text,
                &[key("hints"), Seg::Index(i)],
                "a hint must not be empty".to_string(),
            ));
        }
    }
    for (i, t) in ex.traps.iter().enumerate() {
        if !crate::lint::CODES.contains(&t.as_str()) {
            return Err(at(
                text,
                &[key("traps"), Seg::Index(i)],
                format!(
                    "`{t}` is not a lint code (one of {})",
                    crate::lint::CODES.join(", ")
                ),
            ));
        }
    }
    Ok(ex)
}

/// Reads a tutorial step's YAML. Errors name the line and column.
pub fn parse_tutorial_step(yaml: &str) -> Result<TutorialStep, String> {
    let step: TutorialStep = serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e))?;
    for (field, value) in [("title", &step.title), ("cluster", &step.cluster)] {
        if value.trim().is_empty() {
            return Err(at(yaml, &[key(field)], "must not be empty".to_string()));
        }
    }
    if let Err(e) = PortProto::parse(&step.port) {
        return Err(at(yaml, &[key("port")], e));
    }
    check_flow_goals(yaml, "expect", &step.expect)?;
    Ok(step)
}

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

fn verdict_word(allowed: bool) -> &'static str {
    if allowed {
        "allowed"
    } else {
        "denied"
    }
}

fn flow_description(g: &FlowGoal) -> String {
    let port = PortProto::parse(&g.port)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| g.port.clone());
    format!(
        "{} → {} on {port} is {}",
        g.from,
        g.to,
        verdict_word(g.allowed)
    )
}

fn matrix_description(m: &MatrixGoal) -> String {
    let port = PortProto::parse(&m.port)
        .map(|p| p.to_string())
        .unwrap_or_else(|_| m.port.clone());
    format!("the {port} matrix is exactly as specified")
}

fn evaluate(
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
    let index = compile(&model);
    results.extend(goals.iter().map(|g| check_flow(&index, g)));
    results.extend(matrix.map(|m| check_matrix(&index, m)));
    (results, diagnostics)
}

fn unknown_endpoint(index: &Compiled<'_>, name: &str) -> String {
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

fn check_flow(index: &Compiled<'_>, g: &FlowGoal) -> GoalResult {
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
fn why_denied<'l>(ex: &Explanation, lines: &'l [Line]) -> Vec<&'l Line> {
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
    let closest = (0..side.misses.len()).min_by_key(|&i| side.misses[i].reasons.len());
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
fn why_allowed(lines: &[Line]) -> Vec<&Line> {
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

/// One side of a flow pattern.
enum Sel {
    /// `*`: every endpoint.
    All,
    /// `ns/*`: every pod of a namespace.
    Namespace(String),
    /// `*/pod`: pods of that name in every namespace.
    PodName(String),
    /// `ns/pod` or an external's name.
    Exact(String),
}

fn parse_sel(s: &str) -> Result<Sel, String> {
    if s.is_empty() {
        return Err("an empty endpoint pattern".to_string());
    }
    if s == "*" {
        return Ok(Sel::All);
    }
    Ok(match s.split_once('/') {
        Some((ns, "*")) => Sel::Namespace(ns.to_string()),
        Some(("*", pod)) => Sel::PodName(pod.to_string()),
        _ => Sel::Exact(s.to_string()),
    })
}

impl Sel {
    fn matches(&self, ep: &Endpoint) -> bool {
        match self {
            Sel::All => true,
            Sel::Namespace(ns) => ep.is_pod() && ep.namespace.as_deref() == Some(ns.as_str()),
            Sel::PodName(pod) => {
                ep.is_pod() && ep.name.split_once('/').is_some_and(|(_, name)| name == pod)
            }
            Sel::Exact(name) => ep.name == *name,
        }
    }
}

/// Parses `SRC -> DST: allow|deny`.
fn parse_flow_pattern(line: &str) -> Result<(Sel, Sel, bool), String> {
    let (lhs, verdict) = line
        .rsplit_once(':')
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST: allow|deny`"))?;
    let allow = match verdict.trim() {
        "allow" => true,
        "deny" => false,
        other => {
            return Err(format!(
                "flow `{line}`: verdict `{other}` is neither allow nor deny"
            ))
        }
    };
    let (src, dst) = lhs
        .split_once("->")
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST`"))?;
    let src = parse_sel(src.trim()).map_err(|e| format!("flow `{line}`: {e}"))?;
    let dst = parse_sel(dst.trim()).map_err(|e| format!("flow `{line}`: {e}"))?;
    Ok((src, dst, allow))
}

const MAX_WRONG_LISTED: usize = 6;

fn check_matrix(index: &Compiled<'_>, m: &MatrixGoal) -> GoalResult {
    let description = matrix_description(m);
    let unmet = |detail: String| GoalResult {
        description: description.clone(),
        met: false,
        explanation: None,
        detail,
    };
    let port = match PortProto::parse(&m.port) {
        Ok(p) => p,
        Err(e) => return unmet(format!("The goal's port is not valid: {e}.")),
    };
    let endpoints = index.endpoints();
    let n = endpoints.len();
    let mut table: Vec<Option<bool>> = vec![None; n * n];
    for line in &m.flows {
        let (src, dst, allow) = match parse_flow_pattern(line) {
            Ok(f) => f,
            Err(e) => return unmet(format!("The goal is not valid: {e}.")),
        };
        let srcs: Vec<usize> = (0..n).filter(|&i| src.matches(&endpoints[i])).collect();
        let dsts: Vec<usize> = (0..n).filter(|&j| dst.matches(&endpoints[j])).collect();
        if srcs.is_empty() || dsts.is_empty() {
            return unmet(format!(
                "The goal is not valid: flow `{line}` names no endpoint of the cluster on its {} side.",
                if srcs.is_empty() { "source" } else { "destination" }
            ));
        }
        for &i in &srcs {
            for &j in &dsts {
                table[i * n + j] = Some(allow);
            }
        }
    }
    let actual = index.matrix(port);
    let mut wrong: Vec<(usize, usize, bool)> = Vec::new();
    let mut uncovered = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if !endpoints[i].is_pod() && !endpoints[j].is_pod() {
                continue;
            }
            match table[i * n + j] {
                None => uncovered.push(format!("{} → {}", endpoints[i].name, endpoints[j].name)),
                Some(want) if want != actual.allowed(i, j) => wrong.push((i, j, want)),
                Some(_) => {}
            }
        }
    }
    if !uncovered.is_empty() {
        return unmet(format!(
            "The goal is not valid: it says nothing about {} cell{} ({}).",
            uncovered.len(),
            if uncovered.len() == 1 { "" } else { "s" },
            uncovered
                .iter()
                .take(MAX_WRONG_LISTED)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if wrong.is_empty() {
        return GoalResult {
            description,
            met: true,
            explanation: None,
            detail: format!("Every cell of the {port} matrix is as expected."),
        };
    }
    let mut cells: Vec<String> = wrong
        .iter()
        .take(MAX_WRONG_LISTED)
        .map(|&(i, j, want)| {
            format!(
                "{} → {} should be {} but is {}",
                endpoints[i].name,
                endpoints[j].name,
                verdict_word(want),
                verdict_word(!want)
            )
        })
        .collect();
    if wrong.len() > MAX_WRONG_LISTED {
        cells.push(format!("and {} more", wrong.len() - MAX_WRONG_LISTED));
    }
    let (i, j, _) = wrong[0];
    GoalResult {
        description,
        met: false,
        explanation: Some(index.explain(i, j, port)),
        detail: format!(
            "{} cell{} of the {port} matrix {} wrong: {}.",
            wrong.len(),
            if wrong.len() == 1 { "" } else { "s" },
            if wrong.len() == 1 { "is" } else { "are" },
            cells.join("; ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EX: &str = r#"
title: Lock down the database
level: easy
story: |
  Only the web may reach the database.
cluster: |
  namespaces:
    app: {pods: {web: app=web, db: app=db ports=5432, batch: app=batch}}
  externals:
    internet: 1.2.3.4
policies: ""
goals:
  - {from: app/web, to: app/db, port: 5432/TCP, allowed: true}
  - {from: app/batch, to: app/db, port: 5432/TCP, allowed: false}
matrix:
  port: 5432/TCP
  flows: ["* -> *: allow", "* -> app/db: deny", "app/web -> app/db: allow", "app/db -> app/db: allow"]
hints: ["Select the database pod.", "Allow ingress from app=web."]
solution: |
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: db, namespace: app}
  spec:
    podSelector: {matchLabels: {app: db}}
    ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
traps: [selects-nothing]
"#;

    #[test]
    fn parses_and_checks() {
        let ex = parse_exercise(EX).unwrap();
        assert_eq!(ex.level, Level::Easy);
        assert_eq!(ex.hints.len(), 2);
        let (start, diags) = check(&ex, &ex.policies);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(start.len(), 3);
        assert!(start[0].met);
        assert!(!start[1].met);
        assert_eq!(
            start[1].description,
            "app/batch → app/db on 5432/TCP is denied"
        );
        assert!(
            start[1].detail.starts_with("Expected denied, but"),
            "{}",
            start[1].detail
        );
        assert!(start[1].explanation.is_some());
        assert!(!start[2].met);
        assert!(
            start[2]
                .detail
                .contains("app/batch → app/db should be denied but is allowed"),
            "{}",
            start[2].detail
        );
        assert!(
            start[2].detail.contains("internet → app/db"),
            "{}",
            start[2].detail
        );
        let (done, diags) = check(&ex, &ex.solution);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(done.iter().all(|g| g.met), "{done:#?}");
    }

    #[test]
    fn unmet_allowed_goal_says_who_denies() {
        let ex = parse_exercise(EX).unwrap();
        let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: app}\nspec: {podSelector: {}}\n";
        let (r, _) = check(&ex, deny);
        assert!(!r[0].met);
        assert!(r[0].detail.contains("is DENIED"), "{}", r[0].detail);
        assert!(r[0].detail.contains("app/deny"), "{}", r[0].detail);
    }

    #[test]
    fn unknown_endpoint_is_an_unmet_goal() {
        let mut ex = parse_exercise(EX).unwrap();
        ex.goals[0].to = "app/nope".to_string();
        ex.goals[1].from = "nowhere".to_string();
        let (r, _) = check(&ex, &ex.solution);
        assert!(!r[0].met && !r[1].met);
        assert!(
            r[0].detail.contains("no endpoint named `app/nope`"),
            "{}",
            r[0].detail
        );
        assert!(r[1].detail.contains("`nowhere`"), "{}", r[1].detail);
        assert!(r[0].explanation.is_none());
    }

    #[test]
    fn input_errors_make_every_goal_unmet() {
        let ex = parse_exercise(EX).unwrap();
        let bad = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: x, namespace: app}\nspec:\n  podSelector: {}\n  ingress:\n  - from: [{ipBlock: {cidr: nonsense}}]\n";
        let (r, diags) = check(&ex, bad);
        assert!(has_errors(&diags));
        assert!(r.iter().all(|g| !g.met));
        assert!(r[0].detail.contains("error"), "{}", r[0].detail);
        let (r, diags) = check(&ex, "{{{{ not yaml");
        assert!(has_errors(&diags));
        assert!(r.iter().all(|g| !g.met));
    }

    #[test]
    fn matrix_must_cover_every_cell() {
        let mut ex = parse_exercise(EX).unwrap();
        ex.matrix.as_mut().unwrap().flows = vec!["app/web -> app/db: allow".to_string()];
        let (r, _) = check(&ex, &ex.solution);
        assert!(!r[2].met);
        assert!(
            r[2].detail.contains("says nothing about"),
            "{}",
            r[2].detail
        );
        ex.matrix.as_mut().unwrap().flows = vec!["x/* -> *: allow".to_string()];
        let (r, _) = check(&ex, &ex.solution);
        assert!(r[2].detail.contains("names no endpoint"), "{}", r[2].detail);
    }

    #[test]
    fn external_to_external_is_never_met() {
        let mut ex = parse_exercise(EX).unwrap();
        ex.goals[0].from = "internet".to_string();
        ex.goals[0].to = "internet".to_string();
        let (r, _) = check(&ex, "");
        assert!(!r[0].met);
        assert!(r[0].detail.contains("does not apply"), "{}", r[0].detail);
    }

    #[test]
    fn errors_are_positioned() {
        let e = parse_exercise("title: x\nlevel: trivial\n").unwrap_err();
        assert!(e.starts_with("line 2, column 8:"), "{e}");
        let e =
            parse_exercise(&EX.replace("traps: [selects-nothing]", "traps: [nope]")).unwrap_err();
        assert!(
            e.contains("traps[0]") && e.contains("not a lint code"),
            "{e}"
        );
        assert!(e.starts_with("line 26,"), "{e}");
        let e = parse_exercise(&EX.replace(
            "port: 5432/TCP, allowed: false",
            "port: 5432/TCPX, allowed: false",
        ))
        .unwrap_err();
        assert!(e.contains("goals[1].port"), "{e}");
        let e = parse_exercise(&format!("{EX}extra: 1\n")).unwrap_err();
        assert!(e.contains("unknown field `extra`"), "{e}");
        let e = parse_exercise(&EX.replace("* -> app/db: deny", "* -> app/db: maybe")).unwrap_err();
        assert!(e.contains("matrix.flows[1]"), "{e}");
    }

    #[test]
    fn round_trips_through_serde() {
        let ex = parse_exercise(EX).unwrap();
        let text = serde_yaml::to_string(&ex).unwrap();
        assert_eq!(parse_exercise(&text).unwrap(), ex);
    }

    const STEP: &str = r#"
title: Default deny
cluster: |
  namespaces:
    app: {pods: {web: app=web, api: app=api ports=http:8080}}
policies: |
  apiVersion: networking.k8s.io/v1
  kind: NetworkPolicy
  metadata: {name: deny, namespace: app}
  spec: {podSelector: {}}
port: 8080/TCP
highlight:
  - {flow: "app/web -> app/api", port: 8080/TCP}
  - {policy: app/deny}
  - {pod: app/api}
expect:
  - {from: app/web, to: app/api, port: 8080/TCP, allowed: false}
"#;

    #[test]
    fn tutorial_step_parses_and_checks() {
        let step = parse_tutorial_step(STEP).unwrap();
        assert_eq!(
            step.highlight,
            vec![
                Highlight::Flow {
                    from: "app/web".into(),
                    to: "app/api".into(),
                    port: "8080/TCP".into()
                },
                Highlight::Policy("app/deny".into()),
                Highlight::Pod("app/api".into()),
            ]
        );
        let (r, d) = check_step(&step);
        assert!(d.is_empty() && r.iter().all(|g| g.met), "{r:?} {d:?}");
        let text = serde_yaml::to_string(&step).unwrap();
        assert_eq!(parse_tutorial_step(&text).unwrap(), step);
    }

    #[test]
    fn bad_highlights_are_rejected() {
        let e = parse_tutorial_step(&STEP.replace("{pod: app/api}", "{pod: app/api, policy: x}"))
            .unwrap_err();
        assert!(e.contains("a highlight is one of"), "{e}");
        let e = parse_tutorial_step(&STEP.replace(", port: 8080/TCP}", "}")).unwrap_err();
        assert!(e.contains("needs a `port`"), "{e}");
        let e = parse_tutorial_step(
            &STEP.replace("port: 8080/TCP\nhighlight", "port: http\nhighlight"),
        )
        .unwrap_err();
        assert!(e.contains("port:"), "{e}");
    }
}
