//! The flow matrix view model: one cell per (from, to) with its verdict on the shown port (or
//! the all-ports summary), and the flows a selected policy helps allow.

use netpol_engine::{compile, Cell, PortProto};

use super::evaluation::{Evaluation, Group, PortChoice};

/// The verdict of a matrix cell as shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeaderVm {
    pub name: String,
    pub short: String,
    pub detail: String,
    pub external: bool,
    /// The endpoint's kind (`Pod`, `Deployment`, …, `External`, `Node`): the `data-kind` hook
    /// and the badge's title.
    pub kind: &'static str,
    /// The short kind badge of a workload endpoint (`Deploy`, `STS`, …); `None` for pods,
    /// externals and nodes.
    pub badge: Option<&'static str>,
    pub ingress_isolated: bool,
    pub egress_isolated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CellVm {
    pub mark: Mark,
    /// Tooltip / accessible name.
    pub title: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
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
            let n = ev.n();
            let mut allowed = Vec::new();
            let mut na = false;
            for (i, m) in ev.matrices.iter().enumerate() {
                match m[from * n + to] {
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
                    CellVm {
                        mark,
                        title: cell_title(ev, from, to, mark, choice, &ports),
                    }
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
    let c = compile(&ev.model);
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
                    let ex = c.explain(from, to, pp);
                    let hit = [&ex.egress, &ex.ingress]
                        .into_iter()
                        .flatten()
                        .any(|s| s.allowed_by.iter().any(|m| m.policy.index == policy));
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
