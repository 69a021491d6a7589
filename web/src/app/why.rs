//! The Why? panel's view model: the explanation of the selected flow, side by side (egress of the
//! source, ingress of the destination), with links to the YAML responsible.

use netpol_engine::explain::{PolicyRef, SideExplanation, Verdict};
use netpol_engine::model::Span;
use netpol_engine::{compile, Cell, Model, PolicyType, PortProto};

use super::evaluation::{file_name, Evaluation, PortChoice};
use super::matrix::Mark;
use super::state::FlowSel;

/// A link from the Why? panel to the YAML responsible.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkVm {
    /// `policy`, `rule`, `peer` or `port`.
    pub kind: &'static str,
    pub label: String,
    pub file: String,
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideVm {
    pub title: String,
    pub allowed: bool,
    pub isolated: bool,
    /// (sentence, links) per responsible rule or isolating policy.
    pub items: Vec<(String, Vec<LinkVm>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExplanationVm {
    pub from: String,
    pub to: String,
    pub port: String,
    pub verdict: Mark,
    pub headline: String,
    pub sentences: Vec<String>,
    pub sides: Vec<SideVm>,
    /// All-ports mode: the verdict on each port that matters (port, allowed, is explained).
    pub per_port: Vec<(PortProto, bool, bool)>,
    /// True when the selection is from the last valid result while the input has errors.
    pub stale: bool,
}

fn policy_links(model: &Model, p: &PolicyRef) -> LinkVm {
    LinkVm {
        kind: "policy",
        label: p.id.clone(),
        file: file_name(model, p.span),
        line: p.span.line,
        col: p.span.col,
    }
}

fn link(model: &Model, kind: &'static str, label: String, span: Span) -> LinkVm {
    LinkVm {
        kind,
        label,
        file: file_name(model, span),
        line: span.line,
        col: span.col,
    }
}

fn side_vm(model: &Model, side: &SideExplanation) -> SideVm {
    let (dir, list, peers) = match side.direction {
        PolicyType::Egress => ("Egress", "egress", "to"),
        PolicyType::Ingress => ("Ingress", "ingress", "from"),
    };
    let mut items = Vec::new();
    let title;
    if side.isolated_by.is_empty() {
        title = format!("{dir} of {}: not isolated — allowed", side.pod);
    } else if side.allowed {
        title = format!("{dir} of {}: allowed", side.pod);
        for m in &side.allowed_by {
            let mut links = vec![policy_links(model, &m.policy)];
            links.push(link(
                model,
                "rule",
                format!("{list}[{}]", m.rule),
                m.rule_span,
            ));
            if let (Some(k), Some(s)) = (m.peer, m.peer_span) {
                links.push(link(model, "peer", format!("{peers}[{k}]"), s));
            }
            if let (Some(k), Some(s)) = (m.port, m.port_span) {
                links.push(link(model, "port", format!("ports[{k}]"), s));
            }
            items.push((m.sentence.clone(), links));
        }
    } else {
        title = format!("{dir} of {}: denied", side.pod);
        for p in &side.without_rules {
            items.push((
                format!(
                    "{} isolates {} for {list} and has no {list} rules (default deny).",
                    p.id, side.pod
                ),
                vec![policy_links(model, p)],
            ));
        }
        for m in &side.misses {
            let links = vec![
                policy_links(model, &m.policy),
                link(model, "rule", format!("{list}[{}]", m.rule), m.rule_span),
            ];
            items.push((
                format!(
                    "{} {list}[{}] does not match: {}.",
                    m.policy.id,
                    m.rule,
                    m.reasons.join("; ")
                ),
                links,
            ));
        }
    }
    SideVm {
        title,
        allowed: side.allowed,
        isolated: !side.isolated_by.is_empty(),
        items,
    }
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
    let c = compile(&ev.model);
    let ex = c.explain(from, to, pp);
    let verdict = match ex.verdict {
        Verdict::Allowed => Mark::Allow,
        Verdict::Denied => Mark::Deny,
        Verdict::NotApplicable => Mark::NotApplicable,
    };
    let sentences = ex.sentences();
    let headline = sentences.first().cloned().unwrap_or_default();
    let sides = [&ex.egress, &ex.ingress]
        .into_iter()
        .flatten()
        .map(|s| side_vm(&ev.model, s))
        .collect();
    Some(ExplanationVm {
        from: ex.from.clone(),
        to: ex.to.clone(),
        port: pp.to_string(),
        verdict,
        headline,
        sentences: sentences.into_iter().skip(1).collect(),
        sides,
        per_port,
        stale,
    })
}
