//! Matrix goals: the flow patterns of "exactly this matrix" and their check.

use super::format::{matrix_description, verdict_word, GoalResult, MatrixGoal};
use crate::eval::{Compiled, Endpoint};
use crate::ids::EndpointId;
use crate::model::PortProto;

/// One side of a flow pattern.
pub(super) enum Sel {
    /// `*`: every endpoint.
    All,
    /// `ns/*`: every pod of a namespace.
    Namespace(String),
    /// `*/pod`: pods of that name in every namespace.
    PodName(String),
    /// `ns/pod` or an external's name.
    Exact(String),
}

pub(super) fn parse_sel(s: &str) -> Result<Sel, String> {
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
pub(super) fn parse_flow_pattern(line: &str) -> Result<(Sel, Sel, bool), String> {
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

pub(super) const MAX_WRONG_LISTED: usize = 6;

pub(super) fn check_matrix(index: &Compiled, m: &MatrixGoal) -> GoalResult {
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
                Some(want) if want != actual.allowed_at(i, j) => wrong.push((i, j, want)),
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
        explanation: Some(index.explain(EndpointId(i), EndpointId(j), port)),
        detail: format!(
            "{} cell{} of the {port} matrix {} wrong: {}.",
            wrong.len(),
            if wrong.len() == 1 { "" } else { "s" },
            if wrong.len() == 1 { "is" } else { "are" },
            cells.join("; ")
        ),
    }
}
