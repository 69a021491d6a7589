//! The flow matrix view model: one cell per (from, to) with its verdict on the shown port (or
//! the all-ports summary), and the flows a selected policy helps allow.

use serde::{Deserialize, Serialize};

use super::interned::Word;
use netpol_engine::explain::{render, DecidingTier, Explanation};
use netpol_engine::model::{Action, Tier};
use netpol_engine::{Cell, ClusterPolicyId, Compiled, EndpointId, PolicyId, PolicyType, PortProto};

use super::evaluation::{Evaluation, Group, PortChoice};

/// The verdict of a matrix cell as shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Mark {
    Allow,
    Deny,
    NotApplicable,
    /// All-ports mode: allowed on every port checked (the ports the YAML names, see
    /// [`checked_ports`]).
    AllPorts,
    /// All-ports mode: allowed on some of them.
    SomePorts,
    /// All-ports mode: allowed on none of them.
    NoPorts,
}

impl Mark {
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Allow | Mark::AllPorts => "✓",
            Mark::Deny | Mark::NoPorts => "✗",
            Mark::SomePorts => "◐",
            Mark::NotApplicable => "–",
        }
    }

    /// The `data-verdict` test hook.
    pub fn verdict(self) -> &'static str {
        match self {
            Mark::Allow | Mark::AllPorts => "allow",
            Mark::Deny | Mark::NoPorts => "deny",
            Mark::SomePorts => "some",
            Mark::NotApplicable => "na",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Mark::Allow => "allowed",
            Mark::Deny => "denied",
            Mark::NotApplicable => "not a cluster flow",
            Mark::AllPorts => "allowed on every port checked",
            Mark::SomePorts => "allowed on some ports checked",
            Mark::NoPorts => "denied on every port checked",
        }
    }

    /// True for the marks of a flow allowed on at least one port.
    pub fn allows(self) -> bool {
        matches!(self, Mark::Allow | Mark::AllPorts | Mark::SomePorts)
    }
}

impl From<Cell> for Mark {
    fn from(c: Cell) -> Mark {
        match c {
            Cell::Allowed => Mark::Allow,
            Cell::Denied => Mark::Deny,
            Cell::NotApplicable => Mark::NotApplicable,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeaderVm {
    pub name: String,
    pub short: String,
    pub detail: String,
    pub external: bool,
    /// The endpoint's kind (`Pod`, `Deployment`, …, `External`, `Node`): the `data-kind` hook
    /// and the badge's title.
    #[serde(deserialize_with = "super::interned::word")]
    pub kind: Word,
    /// The short kind badge of a workload endpoint (`Deploy`, `STS`, …); `None` for pods,
    /// externals and nodes.
    #[serde(deserialize_with = "super::interned::opt_word")]
    pub badge: Option<Word>,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellVm {
    pub mark: Mark,
    /// Tooltip / accessible name.
    pub title: String,
    /// The tier that decided the flow, and the sentence saying how; `None` for a flow that is
    /// not a cluster flow.
    pub tier: Option<CellTier>,
}

/// Which tier decided a flow: the tier of the side that denied it (the source's egress
/// first), or for an allowed flow the highest tier that decided one of its sides (Admin, then
/// Baseline, then NetworkPolicy, else the default).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CellTier {
    pub tier: DecidingTier,
    /// `decided by the Admin tier: AdminNetworkPolicy/deny-x ingress rule 0 (Deny)`; empty when
    /// the model has no tiered policies (the cell's title says enough).
    pub text: String,
}

/// The `data-tier` hook of a deciding tier.
pub fn tier_value(t: DecidingTier) -> &'static str {
    match t {
        DecidingTier::Admin => "admin",
        DecidingTier::NetworkPolicy => "networkpolicy",
        DecidingTier::Baseline => "baseline",
        DecidingTier::Default => "default",
    }
}

/// The small mark a cell shows for its tier: `A` (Admin), `B` (Baseline), none otherwise.
pub fn tier_mark(t: DecidingTier) -> Option<&'static str> {
    match t {
        DecidingTier::Admin => Some("A"),
        DecidingTier::Baseline => Some("B"),
        DecidingTier::NetworkPolicy | DecidingTier::Default => None,
    }
}

/// The deciding tier of an explained flow, with the engine's sentence for it.
pub fn explained_tier(ex: &Explanation) -> Option<CellTier> {
    render::flow_tier(ex).map(|(tier, text)| CellTier { tier, text })
}

/// The deciding tier of a flow on `pp`. Without tiered policies it is read off the isolation
/// (no explanation needed); with them the flow is explained: the engine has no per-cell "decided
/// by" query, and at workshop size explaining every cell is cheap. `c` is the compiled model
/// when it has tiered policies.
/// Past this many endpoints the matrix shows no tier marks (each needs an explanation).
pub const MAX_TIER_MARK_ENDPOINTS: usize = 60;

fn flow_tier(
    ev: &Evaluation,
    c: Option<&Compiled>,
    from: usize,
    to: usize,
    pp: PortProto,
) -> Option<CellTier> {
    let Some(c) = c else {
        if ev.cell(from, to, pp) == Cell::NotApplicable {
            return None;
        }
        let isolated = ev.endpoints[from].egress_isolated_by.len()
            + ev.endpoints[to].ingress_isolated_by.len()
            > 0;
        let tier = if isolated && from != to {
            DecidingTier::NetworkPolicy
        } else {
            DecidingTier::Default
        };
        return Some(CellTier {
            tier,
            text: String::new(),
        });
    };
    explained_tier(&c.explain(ev.engine_index(from), ev.engine_index(to), pp))
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixVm {
    pub headers: Vec<HeaderVm>,
    pub groups: Vec<Group>,
    /// `cells[from][to]`.
    pub cells: Vec<Vec<CellVm>>,
    pub port_label: String,
    pub selected: Option<(usize, usize)>,
    pub allowed: usize,
    pub denied: usize,
}

/// The short badge shown on the header of a workload endpoint of kind `kind`.
pub fn kind_badge(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "Deployment" => "Deploy",
        "StatefulSet" => "STS",
        "DaemonSet" => "DS",
        "ReplicaSet" => "RS",
        "Job" => "Job",
        "CronJob" => "CronJob",
        "ReplicationController" => "RC",
        _ => return None,
    })
}

/// The verdict of a flow for a port choice, plus the ports it is allowed on (all-ports mode).
pub fn flow_mark(
    ev: &Evaluation,
    from: usize,
    to: usize,
    choice: PortChoice,
) -> (Mark, Vec<PortProto>) {
    match choice {
        PortChoice::One(pp) => (ev.cell(from, to, pp).into(), Vec::new()),
        PortChoice::All => {
            let mut allowed = Vec::new();
            let mut na = false;
            for (i, m) in ev.matrices.iter().enumerate() {
                match m.cell(EndpointId(from), EndpointId(to)) {
                    Cell::Allowed => allowed.push(ev.ports[i]),
                    Cell::NotApplicable => na = true,
                    Cell::Denied => {}
                }
            }
            let mark = if na {
                Mark::NotApplicable
            } else if allowed.len() == ev.ports.len() {
                Mark::AllPorts
            } else if allowed.is_empty() {
                Mark::NoPorts
            } else {
                Mark::SomePorts
            };
            (mark, allowed)
        }
    }
}

/// The ports the all-ports summary checks, e.g. `53/UDP, 80/TCP`: not every port, but the ones
/// the policies and pods name (80/TCP when they name none).
pub fn checked_ports(ports: &[PortProto]) -> String {
    let list: Vec<String> = ports.iter().map(|p| p.to_string()).collect();
    list.join(", ")
}

/// The port label of the all-ports summary: the ports it checks, or past six their number.
fn all_ports_label(ports: &[PortProto]) -> String {
    if ports.len() > 6 {
        format!("the {} ports checked", ports.len())
    } else {
        format!("the ports checked ({})", checked_ports(ports))
    }
}

/// The tooltip of a flow: its verdict, and in all-ports mode the ports checked (all of them
/// when the verdict is the same on each, else the ports allowed and denied).
pub fn cell_title(
    ev: &Evaluation,
    from: usize,
    to: usize,
    mark: Mark,
    choice: PortChoice,
    allowed: &[PortProto],
) -> String {
    let (f, t) = (&ev.endpoints[from].name, &ev.endpoints[to].name);
    match choice {
        PortChoice::One(pp) => format!("{f} → {t} on {pp}: {}", mark.word()),
        PortChoice::All => {
            let list = |v: Vec<String>| {
                if v.is_empty() {
                    "none".to_string()
                } else {
                    v.join(", ")
                }
            };
            let denied: Vec<String> = ev
                .ports
                .iter()
                .filter(|p| !allowed.contains(p))
                .map(|p| p.to_string())
                .collect();
            match mark {
                Mark::AllPorts | Mark::NoPorts => {
                    format!("{f} → {t}: {} ({})", mark.word(), checked_ports(&ev.ports))
                }
                Mark::SomePorts => format!(
                    "{f} → {t}: {} — allowed: {}; denied: {}",
                    mark.word(),
                    list(allowed.iter().map(|p| p.to_string()).collect()),
                    list(denied)
                ),
                _ => format!("{f} → {t}: {}", mark.word()),
            }
        }
    }
}

pub fn matrix_vm(
    ev: &Evaluation,
    choice: PortChoice,
    selected: Option<(usize, usize)>,
) -> MatrixVm {
    let n = ev.n();
    let mut allowed = 0;
    let mut denied = 0;
    // Compiled only to explain flows, which only models with tiered policies need. Explaining
    // every cell grows with the square of the endpoints, so past `MAX_TIER_MARK_ENDPOINTS` the
    // cells carry no tier mark (the Why? panel still walks the tiers of the selected flow).
    let tiered = !ev.model.cluster_policies.is_empty();
    let skip_tiers = tiered && n > MAX_TIER_MARK_ENDPOINTS;
    let c = (tiered && !skip_tiers).then_some(&ev.compiled);
    let cells = (0..n)
        .map(|from| {
            (0..n)
                .map(|to| {
                    let (mark, ports) = flow_mark(ev, from, to, choice);
                    match mark {
                        Mark::Allow | Mark::AllPorts | Mark::SomePorts => allowed += 1,
                        Mark::Deny | Mark::NoPorts => denied += 1,
                        Mark::NotApplicable => {}
                    }
                    // All-ports mode: the tier of the first port the flow is allowed on, else of
                    // the first port checked.
                    let pp = match choice {
                        PortChoice::One(pp) => Some(pp),
                        PortChoice::All => ports.first().or(ev.ports.first()).copied(),
                    };
                    let tier = pp
                        .filter(|_| !skip_tiers)
                        .and_then(|pp| flow_tier(ev, c, from, to, pp));
                    let mut title = cell_title(ev, from, to, mark, choice, &ports);
                    if let Some(t) = tier.as_ref().filter(|t| !t.text.is_empty()) {
                        title = format!("{title} — {}", t.text);
                    }
                    CellVm { mark, title, tier }
                })
                .collect()
        })
        .collect();
    MatrixVm {
        headers: ev
            .endpoints
            .iter()
            .map(|e| HeaderVm {
                name: e.name.clone(),
                short: e.short.clone(),
                detail: e.detail.clone(),
                external: e.external,
                kind: e.kind,
                badge: kind_badge(e.kind),
                ingress_isolated: !e.ingress_isolated_by.is_empty(),
                egress_isolated: !e.egress_isolated_by.is_empty(),
            })
            .collect(),
        groups: ev.groups.clone(),
        cells,
        port_label: match choice {
            PortChoice::One(pp) => pp.to_string(),
            PortChoice::All => all_ports_label(&ev.ports),
        },
        selected,
        allowed,
        denied,
    }
}

/// The flows (on the shown port, or on any port in all-ports mode) that `policy` contributes to
/// allowing.
pub fn policy_flows(ev: &Evaluation, policy: usize, choice: PortChoice) -> Vec<(usize, usize)> {
    let Some(info) = ev.policies.iter().find(|p| p.index == policy) else {
        return Vec::new();
    };
    let c = &ev.compiled;
    if let Some(t) = info.tier {
        return tiered_policy_flows(ev, c, &info.selects, t.cluster_index, choice);
    }
    let ports: Vec<PortProto> = match choice {
        PortChoice::One(pp) => vec![pp],
        PortChoice::All => ev.ports.clone(),
    };
    let mut out = Vec::new();
    for &sel in &info.selects {
        for other in 0..ev.n() {
            if other == sel {
                continue;
            }
            let pairs = [(sel, other, info.egress), (other, sel, info.ingress)];
            for (from, to, applies) in pairs {
                if !applies || out.contains(&(from, to)) {
                    continue;
                }
                let hit = ports.iter().any(|&pp| {
                    if ev.cell(from, to, pp) != Cell::Allowed {
                        return false;
                    }
                    let ex = c.explain(ev.engine_index(from), ev.engine_index(to), pp);
                    let hit = [&ex.egress, &ex.ingress].into_iter().flatten().any(|s| {
                        s.allowed_by
                            .iter()
                            .any(|m| m.policy.index == PolicyId(policy))
                    });
                    hit
                });
                if hit {
                    out.push((from, to));
                }
            }
        }
    }
    out
}

/// The flows a tiered policy allows: those its `Allow`/`Accept` rule decides, on the shown port
/// (or on any port in all-ports mode).
fn tiered_policy_flows(
    ev: &Evaluation,
    c: &Compiled,
    selects: &[usize],
    cluster_index: usize,
    choice: PortChoice,
) -> Vec<(usize, usize)> {
    let ports: Vec<PortProto> = match choice {
        PortChoice::One(pp) => vec![pp],
        PortChoice::All => ev.ports.clone(),
    };
    let mut out = Vec::new();
    for &sel in selects {
        for other in 0..ev.n() {
            if other == sel {
                continue;
            }
            for (from, to, dir) in [
                (sel, other, PolicyType::Egress),
                (other, sel, PolicyType::Ingress),
            ] {
                if out.contains(&(from, to)) {
                    continue;
                }
                let hit = ports.iter().any(|&pp| {
                    if ev.cell(from, to, pp) != Cell::Allowed {
                        return false;
                    }
                    let ex = c.explain(ev.engine_index(from), ev.engine_index(to), pp);
                    let side = match dir {
                        PolicyType::Egress => ex.egress.as_ref(),
                        PolicyType::Ingress => ex.ingress.as_ref(),
                    };
                    let Some(walk) = side.and_then(|s| s.tiers.as_ref()) else {
                        return false;
                    };
                    let rule = match walk.decided_by {
                        DecidingTier::Admin => walk.admin_rule.as_ref(),
                        DecidingTier::Baseline => walk.baseline_rule.as_ref(),
                        _ => None,
                    };
                    rule.is_some_and(|m| {
                        m.policy.index == ClusterPolicyId(cluster_index)
                            && m.action == Action::Accept
                    })
                });
                if hit {
                    out.push((from, to));
                }
            }
        }
    }
    out
}

/// The words of a tier in the policies list and the legend.
pub fn tier_word(t: Option<Tier>) -> &'static str {
    match t {
        Some(Tier::Admin) => "Admin tier",
        Some(Tier::Baseline) => "Baseline tier",
        None => "NetworkPolicy",
    }
}
