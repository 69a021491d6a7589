//! The flow matrix view model: one cell per (from, to) with its verdict on the shown port (or
//! the all-ports summary), and the flows a selected policy helps allow.

use super::interned::Word;
use netpol_engine::explain::{render, DecidingTier, Explanation, SideExplanation};
use netpol_engine::model::{Action, Tier};
use netpol_engine::{Cell, ClusterPolicyId, Matrix, PolicyId, PolicyType, PortProto};

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

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

/// One matrix cell as the page renders it; [`MatrixVm::cell`] builds it for the cells in view.
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

/// Past this many endpoints the matrix shows no tier marks (each needs an explanation).
pub const MAX_TIER_MARK_ENDPOINTS: usize = 60;

/// The columns of one matrix row that hold a flow allowed on one port: bit `c % 32` of word
/// `c / 32` for column `c`. 32-bit words, so that the numbers survive JavaScript too.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowBits(pub Vec<u32>);

impl RowBits {
    fn new(n: usize) -> RowBits {
        RowBits(vec![0; n.div_ceil(32)])
    }

    pub fn get(&self, c: usize) -> bool {
        self.0.get(c / 32).is_some_and(|w| w >> (c % 32) & 1 == 1)
    }

    fn set(&mut self, c: usize) {
        self.0[c / 32] |= 1 << (c % 32);
    }
}

/// Where the cells of a matrix get their deciding tier.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CellTiers {
    /// No tiered policies: a cluster flow between two endpoints is decided by the
    /// NetworkPolicies when one isolates its source for egress or its destination for ingress,
    /// else by the default.
    Isolation,
    /// Tiered policies and more than [`MAX_TIER_MARK_ENDPOINTS`] endpoints: the cells carry no
    /// tier (the Why? panel still walks the tiers of the selected flow).
    Hidden,
    /// Every cell explained: one letter per cell in each row (`a`dmin, `n`etworkPolicy,
    /// `b`aseline, `d`efault, `-` for none), and the sentences, row by row.
    Explained {
        tiers: Vec<String>,
        texts: Vec<String>,
    },
}

fn tier_letter(t: Option<DecidingTier>) -> char {
    match t {
        Some(DecidingTier::Admin) => 'a',
        Some(DecidingTier::NetworkPolicy) => 'n',
        Some(DecidingTier::Baseline) => 'b',
        Some(DecidingTier::Default) => 'd',
        None => '-',
    }
}

fn letter_tier(c: u8) -> Option<DecidingTier> {
    Some(match c {
        b'a' => DecidingTier::Admin,
        b'n' => DecidingTier::NetworkPolicy,
        b'b' => DecidingTier::Baseline,
        b'd' => DecidingTier::Default,
        _ => return None,
    })
}

/// The flow matrix, compact: for each port shown, each row's allowed flows as bits. The mark,
/// title and tier of a cell are built from them when the page renders the cell
/// ([`MatrixVm::cell`]), so a large matrix costs a few bits per cell, not a string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatrixVm {
    pub headers: Vec<HeaderVm>,
    pub groups: Vec<Group>,
    /// The port shown, or in all-ports mode every port checked (`80/TCP`).
    pub ports: Vec<String>,
    /// The all-ports summary (else one port).
    pub all_ports: bool,
    /// `rows[k][from]`: the destinations `from` may reach on `ports[k]`. A flow between two
    /// endpoints that are not pods is not a cluster flow, and has no bit.
    pub rows: Vec<Vec<RowBits>>,
    pub tiers: CellTiers,
    pub port_label: String,
    pub selected: Option<(usize, usize)>,
    pub allowed: usize,
    pub denied: usize,
}

impl MatrixVm {
    pub fn n(&self) -> usize {
        self.headers.len()
    }

    /// The verdict of the flow `from` → `to`.
    pub fn mark(&self, from: usize, to: usize) -> Mark {
        if self.headers[from].external && self.headers[to].external {
            return Mark::NotApplicable;
        }
        if !self.all_ports {
            return match self.rows.first().is_some_and(|r| r[from].get(to)) {
                true => Mark::Allow,
                false => Mark::Deny,
            };
        }
        let allowed = self.rows.iter().filter(|r| r[from].get(to)).count();
        if allowed == self.ports.len() {
            Mark::AllPorts
        } else if allowed == 0 {
            Mark::NoPorts
        } else {
            Mark::SomePorts
        }
    }

    /// The tooltip of a flow: its verdict, and in all-ports mode the ports checked (all of them
    /// when the verdict is the same on each, else the ports allowed and denied).
    pub fn title(&self, from: usize, to: usize) -> String {
        let (f, t) = (&self.headers[from].name, &self.headers[to].name);
        let mark = self.mark(from, to);
        if !self.all_ports {
            let pp = self.ports.first().map_or("", String::as_str);
            return format!("{f} → {t} on {pp}: {}", mark.word());
        }
        let list = |allowed: bool| {
            let v: Vec<&str> = (self.ports.iter().zip(&self.rows))
                .filter(|(_, r)| r[from].get(to) == allowed)
                .map(|(p, _)| p.as_str())
                .collect();
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        match mark {
            Mark::AllPorts | Mark::NoPorts => {
                format!("{f} → {t}: {} ({})", mark.word(), self.ports.join(", "))
            }
            Mark::SomePorts => format!(
                "{f} → {t}: {} — allowed: {}; denied: {}",
                mark.word(),
                list(true),
                list(false)
            ),
            _ => format!("{f} → {t}: {}", mark.word()),
        }
    }

    /// The tier that decided the flow `from` → `to`.
    pub fn tier(&self, from: usize, to: usize) -> Option<CellTier> {
        match &self.tiers {
            CellTiers::Hidden => None,
            _ if self.ports.is_empty() => None,
            CellTiers::Isolation => {
                if self.mark(from, to) == Mark::NotApplicable {
                    return None;
                }
                let isolated =
                    self.headers[from].egress_isolated || self.headers[to].ingress_isolated;
                let tier = if isolated && from != to {
                    DecidingTier::NetworkPolicy
                } else {
                    DecidingTier::Default
                };
                Some(CellTier {
                    tier,
                    text: String::new(),
                })
            }
            CellTiers::Explained { tiers, texts } => {
                let tier = letter_tier(*tiers.get(from)?.as_bytes().get(to)?)?;
                let text = texts.get(from * self.n() + to).cloned().unwrap_or_default();
                Some(CellTier { tier, text })
            }
        }
    }

    /// A cell as the page renders it: its mark, its title (with the sentence of the tier that
    /// decided it, if any) and its tier.
    pub fn cell(&self, from: usize, to: usize) -> CellVm {
        let tier = self.tier(from, to);
        let mut title = self.title(from, to);
        if let Some(t) = tier.as_ref().filter(|t| !t.text.is_empty()) {
            title = format!("{title} — {}", t.text);
        }
        CellVm {
            mark: self.mark(from, to),
            title,
            tier,
        }
    }
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

/// The allowed flows of `m` (in the engine's order) as rows of bits in natural order: each
/// engine row read in order, its allowed cells set at their natural positions.
fn natural_rows(ev: &Evaluation, m: &Matrix) -> Vec<RowBits> {
    let n = ev.n();
    (0..n)
        .map(|from| {
            let mut row = RowBits::new(n);
            for (to, cell) in m.row(ev.engine_index(from)).enumerate() {
                if cell == Cell::Allowed {
                    row.set(ev.position[to]);
                }
            }
            row
        })
        .collect()
}

/// Every cell's tier, explained (models with tiered policies, up to
/// [`MAX_TIER_MARK_ENDPOINTS`]): in all-ports mode the tier of the first port the flow is
/// allowed on, else of the first port checked.
fn explained_tiers(ev: &Evaluation, vm: &MatrixVm, ports: &[PortProto]) -> CellTiers {
    let n = ev.n();
    let mut tiers = Vec::with_capacity(n);
    let mut texts = Vec::with_capacity(n * n);
    for from in 0..n {
        let mut row = String::with_capacity(n);
        for to in 0..n {
            let k = (0..ports.len())
                .find(|&k| vm.rows[k][from].get(to))
                .unwrap_or(0);
            let tier = ports.get(k).and_then(|&pp| {
                explained_tier(
                    &ev.compiled
                        .explain(ev.engine_index(from), ev.engine_index(to), pp),
                )
            });
            row.push(tier_letter(tier.as_ref().map(|t| t.tier)));
            texts.push(tier.map(|t| t.text).unwrap_or_default());
        }
        tiers.push(row);
    }
    CellTiers::Explained { tiers, texts }
}

pub fn matrix_vm(
    ev: &Evaluation,
    choice: PortChoice,
    selected: Option<(usize, usize)>,
) -> MatrixVm {
    let n = ev.n();
    let (ports, rows): (Vec<PortProto>, Vec<Vec<RowBits>>) = match choice {
        PortChoice::One(pp) => {
            let rows = match ev.port_index(pp) {
                Some(i) => natural_rows(ev, ev.matrix(i)),
                None => natural_rows(ev, &ev.compiled.matrix(pp)),
            };
            (vec![pp], vec![rows])
        }
        PortChoice::All => (
            ev.ports.clone(),
            (0..ev.ports.len())
                .map(|i| natural_rows(ev, ev.matrix(i)))
                .collect(),
        ),
    };
    // Allowed on some port: the union of the rows.
    let mut allowed = 0;
    for from in 0..n {
        let words = rows.first().map_or(0, |r| r[from].0.len());
        allowed += (0..words)
            .map(|w| {
                rows.iter()
                    .fold(0, |acc, r| acc | r[from].0[w])
                    .count_ones() as usize
            })
            .sum::<usize>();
    }
    let externals = ev.endpoints.iter().filter(|e| e.external).count();
    let tiered = !ev.model.cluster_policies.is_empty();
    let mut vm = MatrixVm {
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
        ports: ports.iter().map(ToString::to_string).collect(),
        all_ports: choice == PortChoice::All,
        rows,
        tiers: if tiered {
            CellTiers::Hidden
        } else {
            CellTiers::Isolation
        },
        port_label: match choice {
            PortChoice::One(pp) => pp.to_string(),
            PortChoice::All => all_ports_label(&ev.ports),
        },
        selected,
        allowed,
        denied: n * n - externals * externals - allowed,
    };
    // Explaining every cell grows with the square of the endpoints: past
    // `MAX_TIER_MARK_ENDPOINTS` the cells carry no tier mark.
    if tiered && n <= MAX_TIER_MARK_ENDPOINTS {
        vm.tiers = explained_tiers(ev, &vm, &ports);
    }
    vm
}

/// The matrices of `choice`'s ports: the one port's (computed when it is not a listed port), or
/// every listed one.
fn choice_matrices(ev: &Evaluation, choice: PortChoice) -> Vec<Cow<'_, Matrix>> {
    match choice {
        PortChoice::One(pp) => vec![match ev.port_index(pp) {
            Some(i) => Cow::Borrowed(ev.matrix(i)),
            None => Cow::Owned(ev.compiled.matrix(pp)),
        }],
        PortChoice::All => (0..ev.ports.len())
            .map(|i| Cow::Borrowed(ev.matrix(i)))
            .collect(),
    }
}

/// For each endpoint (position), the `dir` rules of NetworkPolicy `policy` that select it as the
/// peer: bit `r` for rule `r` (a rule without peers selects every one). `None` past 64 rules.
fn peer_rules(ev: &Evaluation, policy: usize, dir: PolicyType) -> Option<Vec<u64>> {
    let c = &ev.compiled;
    let rules = ev.model.policies[policy].rules(dir);
    if rules.len() > 64 {
        return None;
    }
    let selects = |r: usize, rule: &netpol_engine::model::Rule, e| {
        rule.peers.is_empty()
            || (0..rule.peers.len()).any(|k| c.peer_selects(PolicyId(policy), dir, r, k, e))
    };
    let mask = |i: usize| {
        let e = ev.engine_index(i);
        (rules.iter().enumerate())
            .filter(|&(r, rule)| selects(r, rule, e))
            .fold(0, |m, (r, _)| m | 1 << r)
    };
    Some((0..ev.n()).map(mask).collect())
}

/// The flows (on the shown port, or on any port in all-ports mode) that `policy` contributes to
/// allowing: the allowed flows whose explanation lists it among the policies allowing a side.
pub fn policy_flows(ev: &Evaluation, policy: usize, choice: PortChoice) -> Vec<(usize, usize)> {
    let Some(info) = ev.policies.iter().find(|p| p.index == policy) else {
        return Vec::new();
    };
    let c = &ev.compiled;
    let matrices = choice_matrices(ev, choice);
    if let Some(t) = info.tier {
        return tiered_policy_flows(ev, &matrices, &info.selects, t.cluster_index);
    }
    // A side lists the policy only when the policy selects the side's pod and one of its rules
    // selects the peer and the port. Whether a rule selects the port depends on the destination
    // alone (where named ports resolve), so one explanation answers for every flow with the same
    // destination and port whose peer the same rules select: egress sides are remembered by
    // (destination, port), ingress sides by (rules selecting the source, destination, port).
    let mut selects = vec![false; ev.n()];
    for &s in &info.selects {
        selects[s] = true;
    }
    let egress_rules = peer_rules(ev, policy, PolicyType::Egress);
    let ingress_rules = peer_rules(ev, policy, PolicyType::Ingress);
    let peer = |rules: &Option<Vec<u64>>, e: usize| rules.as_ref().map_or(u64::MAX, |m| m[e]);
    let lists = |side: &Option<SideExplanation>| {
        side.as_ref()
            .is_some_and(|s| (s.allowed_by.iter()).any(|m| m.policy.index == PolicyId(policy)))
    };
    let mut egress_known: HashMap<(usize, usize), bool> = HashMap::new();
    let mut ingress_known: HashMap<(u64, usize, usize), bool> = HashMap::new();
    let mut out = Vec::new();
    let mut found = HashSet::new();
    for &sel in &info.selects {
        for other in 0..ev.n() {
            if other == sel {
                continue;
            }
            let pairs = [(sel, other, info.egress), (other, sel, info.ingress)];
            for (from, to, applies) in pairs {
                let egress = selects[from] && peer(&egress_rules, to) != 0;
                let ingress = selects[to] && peer(&ingress_rules, from) != 0;
                if !applies || !(egress || ingress) || found.contains(&(from, to)) {
                    continue;
                }
                let (f, t) = (ev.engine_index(from), ev.engine_index(to));
                let hit = matrices.iter().enumerate().any(|(k, m)| {
                    if m.cell(f, t) != Cell::Allowed {
                        return false;
                    }
                    let e_key = (to, k);
                    let i_key = (peer(&ingress_rules, from), to, k);
                    let e = if egress {
                        egress_known.get(&e_key).copied()
                    } else {
                        Some(false)
                    };
                    let i = match (ingress, &ingress_rules) {
                        (false, _) => Some(false),
                        (true, Some(_)) => ingress_known.get(&i_key).copied(),
                        (true, None) => None,
                    };
                    if let (Some(e), Some(i)) = (e, i) {
                        return e || i;
                    }
                    let ex = c.explain(f, t, m.port);
                    let (e, i) = (lists(&ex.egress), lists(&ex.ingress));
                    if egress {
                        egress_known.insert(e_key, e);
                    }
                    if ingress {
                        ingress_known.insert(i_key, i);
                    }
                    e || i
                });
                if hit {
                    found.insert((from, to));
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
    matrices: &[Cow<'_, Matrix>],
    selects: &[usize],
    cluster_index: usize,
) -> Vec<(usize, usize)> {
    let c = &ev.compiled;
    let mut out = Vec::new();
    let mut found = HashSet::new();
    for &sel in selects {
        for other in 0..ev.n() {
            if other == sel {
                continue;
            }
            for (from, to, dir) in [
                (sel, other, PolicyType::Egress),
                (other, sel, PolicyType::Ingress),
            ] {
                if found.contains(&(from, to)) {
                    continue;
                }
                let (f, t) = (ev.engine_index(from), ev.engine_index(to));
                let hit = matrices.iter().any(|m| {
                    if m.cell(f, t) != Cell::Allowed {
                        return false;
                    }
                    let ex = c.explain(f, t, m.port);
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
                    found.insert((from, to));
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::evaluation::evaluate;

    /// Pods whose natural order (`p-2` before `p-10`) is not the engine's, and an external.
    const NATURAL_CLUSTER: &str = "\
namespaces:
  ns-2:
    pods:
      p-10: app=y
      p-2: app=db ports=5432
      p-1: app=x
externals:
  dns: 8.8.8.8
";

    /// Only ns-2/p-10 may reach the database.
    const NATURAL_POLICIES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: ns-2}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: y}}
";

    /// Every example (and the natural-order cluster) evaluated, with the port choices its
    /// result offers (each port, all) and a port it does not name.
    fn examples() -> Vec<(String, Evaluation, Vec<PortChoice>)> {
        let natural = ("natural order", NATURAL_POLICIES, NATURAL_CLUSTER);
        (netpol_examples::all().iter())
            .map(|ex| (ex.id.as_str(), ex.policies.as_str(), ex.cluster.as_str()))
            .chain([natural])
            .map(|(id, policies, cluster)| {
                let ev = evaluate(policies, cluster).1.expect("a valid example");
                let mut choices: Vec<PortChoice> =
                    ev.ports.iter().copied().map(PortChoice::One).collect();
                choices.push(PortChoice::All);
                choices.push(PortChoice::One(PortProto::parse("9999/TCP").unwrap()));
                (id.to_string(), ev, choices)
            })
            .collect()
    }

    /// The verdict of a flow straight from the evaluation's matrices.
    fn expected_mark(ev: &Evaluation, from: usize, to: usize, choice: PortChoice) -> Mark {
        let cells: Vec<Cell> = match choice {
            PortChoice::One(pp) => return ev.cell(from, to, pp).into(),
            PortChoice::All => ev.ports.iter().map(|&pp| ev.cell(from, to, pp)).collect(),
        };
        let allowed = cells.iter().filter(|&&c| c == Cell::Allowed).count();
        if cells.contains(&Cell::NotApplicable) {
            Mark::NotApplicable
        } else if allowed == cells.len() {
            Mark::AllPorts
        } else if allowed == 0 {
            Mark::NoPorts
        } else {
            Mark::SomePorts
        }
    }

    #[test]
    fn the_bits_of_a_row_give_every_cell_its_verdict_and_the_counts() {
        for (id, ev, choices) in examples() {
            for choice in choices {
                let m = matrix_vm(&ev, choice, None);
                let (mut allowed, mut denied) = (0, 0);
                for from in 0..ev.n() {
                    for to in 0..ev.n() {
                        let mark = expected_mark(&ev, from, to, choice);
                        assert_eq!(m.mark(from, to), mark, "{id} {choice:?} {from} → {to}");
                        assert_eq!(m.cell(from, to).mark, mark);
                        match mark {
                            Mark::NotApplicable => {}
                            m if m.allows() => allowed += 1,
                            _ => denied += 1,
                        }
                    }
                }
                assert_eq!((m.allowed, m.denied), (allowed, denied), "{id} {choice:?}");
            }
        }
    }

    #[test]
    fn a_row_of_bits_reads_back_what_was_set() {
        let mut row = RowBits::new(70);
        for c in [0, 31, 32, 69] {
            row.set(c);
        }
        let set: Vec<usize> = (0..72).filter(|&c| row.get(c)).collect();
        assert_eq!(set, [0, 31, 32, 69]);
        assert_eq!(row.0.len(), 3);
    }

    #[test]
    fn explained_tiers_read_back_as_letters() {
        let tiers = [
            None,
            Some(DecidingTier::Admin),
            Some(DecidingTier::NetworkPolicy),
            Some(DecidingTier::Baseline),
            Some(DecidingTier::Default),
        ];
        for t in tiers {
            assert_eq!(letter_tier(tier_letter(t) as u8), t);
        }
    }
}
