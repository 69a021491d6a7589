//! Evaluating a change of one policy's rules without compiling the model again: only the sides of
//! the endpoints that policy isolates can change, so a variant costs O(selected endpoints ×
//! rules × endpoints / 64) per port, on top of the current model's side sets, which are
//! computed once per group of ports with the same verdicts (see [`Compiled::variant_ports`]) for
//! every variant.
//!
//! What a change alters at one port is kept as bitsets ([`ChangedRows`]): one row per endpoint the
//! policy selects, a bit per peer. The flows are listed from them only when they are printed.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};

use super::bits::transpose;
use super::compiled::{dir_index, rule_has_named_port, rule_ports_match, Compiled, CompiledRule};
use super::Bits;
use crate::model::{PolicyType, PortProto, Protocol, Rule};

/// The rules of one direction of one policy, replaced (e.g. an AND/OR variant), with their peers
/// compiled.
pub(crate) struct RuleChange {
    /// The index of the policy in `Model::policies`.
    pub policy: usize,
    /// The direction whose rules are replaced.
    pub direction: PolicyType,
    /// The new rules of that direction.
    pub rules: Vec<Rule>,
    pub(super) compiled: Vec<CompiledRule>,
}

/// One range of ports of one protocol within which no verdict can change, before or after any
/// of the changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PortRange {
    /// The port shown for the range: a port that matters inside it, else its first port.
    pub port: PortProto,
    /// The first port of the range.
    pub first: u16,
    /// The last port of the range, inclusive.
    pub last: u16,
    /// Whether a port that matters lies in the range (such a range is listed even unchanged).
    pub matters: bool,
    /// The group of ranges with the same side sets, an index into [`VariantPorts::groups`].
    pub group: usize,
}

/// Every port range the changes are compared over, and the current model's side sets of each
/// group of ranges that have the same verdicts.
pub(crate) struct VariantPorts {
    /// The ranges, by protocol then port.
    pub ranges: Vec<PortRange>,
    groups: Vec<PortSides>,
}

impl VariantPorts {
    /// How many groups of ranges with the same side sets there are.
    pub(crate) fn groups(&self) -> usize {
        self.groups.len()
    }
}

/// The current model's side sets at one port, for diffing many [`RuleChange`]s at that port.
struct PortSides {
    pp: PortProto,
    /// Per egress rule with a named port (by address: the model's rules and the changes'), the
    /// destinations it allows at `pp`, shared by every change evaluated at this group.
    named: Mutex<HashMap<usize, Bits>>,
    /// Per direction (0 ingress, 1 egress), per endpoint a change's policy selects (empty for
    /// the others): its side set, and the peers whose other side allows it (a column of the other
    /// direction's side sets).
    sides: [Option<(Vec<Bits>, Vec<Bits>)>; 2],
}

/// The flows a change alters at one port: per endpoint its policy selects whose side changes,
/// the peers whose verdict changes and which of them are allowed after. Flows between an
/// endpoint and itself are left out, like everywhere else.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct ChangedRows {
    /// Ingress: each row is a destination and its bits are sources; egress: the other way round.
    ingress: bool,
    /// `(endpoint, changed peers, changed peers allowed after)`, by endpoint.
    rows: Vec<(usize, Bits, Bits)>,
    gained: usize,
    lost: usize,
}

impl ChangedRows {
    /// How many flows are denied before and allowed after.
    pub(crate) fn gained(&self) -> usize {
        self.gained
    }

    /// How many flows are allowed before and denied after.
    pub(crate) fn lost(&self) -> usize {
        self.lost
    }

    /// Calls `f(source, destination)` for every flow gained (`gained`) or lost, sorted by source
    /// then destination.
    pub(crate) fn for_each(&self, gained: bool, mut f: impl FnMut(usize, usize)) {
        let wanted = |changed: u64, after: u64| if gained { after } else { changed & !after };
        if !self.ingress {
            for (e, changed, after) in &self.rows {
                for (w, (&c, &a)) in changed.0.iter().zip(&after.0).enumerate() {
                    for peer in word_ones(w, wanted(c, a)) {
                        f(*e, peer);
                    }
                }
            }
            return;
        }
        // The sources are the bits: visit the sources in order, and for each the destinations
        // (the rows, in order) whose bit it has.
        let words = self.rows.first().map_or(0, |(_, c, _)| c.0.len());
        for w in 0..words {
            let mut any = 0;
            for (_, changed, after) in &self.rows {
                any |= wanted(changed.0[w], after.0[w]);
            }
            for source in word_ones(w, any) {
                let bit = 1u64 << (source % 64);
                for (e, changed, after) in &self.rows {
                    if wanted(changed.0[w], after.0[w]) & bit != 0 {
                        f(source, *e);
                    }
                }
            }
        }
    }

    /// Adds the flows lost here to `lost`, a set of flows as rows by endpoint (see
    /// [`LostFlows`]).
    pub(crate) fn add_lost(&self, lost: &mut LostFlows) {
        for (e, changed, after) in &self.rows {
            let mut bits = changed.clone();
            bits.remove_all(after);
            if bits.is_empty() {
                continue;
            }
            match lost.rows.binary_search_by_key(e, |(k, _)| *k) {
                Ok(i) => lost.rows[i].1.union_with(&bits),
                Err(i) => lost.rows.insert(i, (*e, bits)),
            }
        }
        lost.ingress = self.ingress;
    }
}

/// Distinct flows, as [`ChangedRows`] keeps them: a set of peers per endpoint.
#[derive(Default)]
pub(crate) struct LostFlows {
    ingress: bool,
    rows: Vec<(usize, Bits)>,
}

impl LostFlows {
    /// Calls `f(source, destination)` for each flow once, in no particular order.
    pub(crate) fn for_each(&self, mut f: impl FnMut(usize, usize)) {
        for (e, peers) in &self.rows {
            for peer in peers.ones() {
                if self.ingress {
                    f(peer, *e);
                } else {
                    f(*e, peer);
                }
            }
        }
    }
}

/// The set bits of word `w` of a bitset, as indices.
fn word_ones(w: usize, mut word: u64) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        if word == 0 {
            return None;
        }
        let bit = word.trailing_zeros() as usize;
        word &= word - 1;
        Some(w * 64 + bit)
    })
}

impl Compiled {
    /// Compiles the new rules of a change of `policy`'s rules in `direction`.
    pub(crate) fn rule_change(
        &self,
        policy: usize,
        direction: PolicyType,
        rules: Vec<Rule>,
    ) -> RuleChange {
        let current = &self.model.policies[policy];
        let di = dir_index(direction);
        // A change rewrites one rule (or merges two): the peers of a rule it keeps as it is are
        // already compiled.
        let compiled = rules
            .iter()
            .map(|rule| {
                let same = current
                    .rules(direction)
                    .iter()
                    .position(|r| r.peers == rule.peers);
                match same {
                    Some(k) => CompiledRule {
                        peers: self.rules[policy][di][k].peers.clone(),
                    },
                    None => {
                        let mut one = self.compile_rules(current, std::slice::from_ref(rule));
                        one.remove(0)
                    }
                }
            })
            .collect();
        RuleChange {
            policy,
            direction,
            rules,
            compiled,
        }
    }

    /// The port ranges to compare `changes` over, each protocol's from its first port to its
    /// last, and the current model's side sets at each group of ranges with the same signature.
    ///
    /// A change regroups the peers and ports of the model's own rules but names no new port, so
    /// the ranges, the ports that matter and the signatures (which decide every rule's ports) are
    /// the current model's.
    pub(crate) fn variant_ports(&self, changes: &[RuleChange]) -> VariantPorts {
        let matter = self.ports_that_matter();
        let mut ranges = Vec::new();
        let mut groups = Vec::new();
        let mut by_signature: HashMap<Vec<bool>, usize> = HashMap::new();
        // The endpoints whose rows the changes read.
        let mut needed = [
            Bits::empty(self.endpoints.len()),
            Bits::empty(self.endpoints.len()),
        ];
        for change in changes {
            for e in self.policy_selects(&self.model.policies[change.policy]) {
                needed[dir_index(change.direction)].set(e);
            }
        }
        for protocol in Protocol::ALL {
            let cuts = self.breakpoints(protocol);
            for (i, &lo) in cuts.iter().enumerate() {
                let hi = cuts.get(i + 1).map_or(u16::MAX, |next| next - 1);
                let matters = matter
                    .iter()
                    .find(|m| m.protocol == protocol && lo <= m.port && m.port <= hi);
                let pp = matters.copied().unwrap_or(PortProto::new(lo, protocol));
                let group = *by_signature.entry(self.signature(pp)).or_insert_with(|| {
                    groups.push(self.port_sides(pp, &needed));
                    groups.len() - 1
                });
                ranges.push(PortRange {
                    port: pp,
                    first: lo,
                    last: hi,
                    matters: matters.is_some(),
                    group,
                });
            }
        }
        VariantPorts { ranges, groups }
    }

    /// The side sets at `pp` of the endpoints in `needed` (per direction), and their columns of
    /// the other direction.
    fn port_sides(&self, pp: PortProto, needed: &[Bits; 2]) -> PortSides {
        let n = self.endpoints.len();
        // Each direction's side sets, computed once: a change of ingress needs, per destination,
        // its ingress side and the sources whose egress allows it (a column of the egress sides),
        // and the other way round.
        let ingress = self.side_sets(pp, PolicyType::Ingress);
        let egress = self.side_sets(pp, PolicyType::Egress);
        let keep = |mut rows: Vec<Bits>, needed: &Bits| {
            for (e, row) in rows.iter_mut().enumerate() {
                if !needed.get(e) {
                    *row = Bits(Vec::new());
                }
            }
            rows
        };
        let [needed_in, needed_eg] = needed;
        let ingress_sides = (!needed_in.is_empty()).then(|| {
            let columns = transpose(&egress, n);
            (keep(ingress.clone(), needed_in), keep(columns, needed_in))
        });
        let egress_sides = (!needed_eg.is_empty()).then(|| {
            let columns = transpose(&ingress, n);
            (keep(egress, needed_eg), keep(columns, needed_eg))
        });
        PortSides {
            pp,
            named: Mutex::default(),
            sides: [ingress_sides, egress_sides],
        }
    }

    /// The flows whose verdict at the ports of `group` differs once `change` is applied. Flows
    /// between two non-pods are left out, like everywhere else.
    pub(crate) fn changed_rows(
        &self,
        ports: &VariantPorts,
        group: usize,
        change: &RuleChange,
    ) -> ChangedRows {
        let sides = &ports.groups[group];
        let dir = change.direction;
        let mut out = ChangedRows {
            ingress: dir == PolicyType::Ingress,
            ..ChangedRows::default()
        };
        let Some((own, other_t)) = &sides.sides[dir_index(dir)] else {
            return out;
        };
        if self.same_contribution(change, sides.pp) {
            return out;
        }
        let mut named = sides.named.lock().unwrap_or_else(PoisonError::into_inner);
        let keys = self.share_named(change, sides.pp, &mut named);
        for e in self.policy_selects(&self.model.policies[change.policy]) {
            let before = &own[e];
            let mut after = self.network_policy_side(e, sides.pp, dir, Some(change), &mut named);
            if self.tiered.selects_any(e) {
                after = self.tier_walk(e, dir, sides.pp, Some(&after), |_, _, _| {});
            }
            // The cells of `e` that change: its side changes, and the other side allows them.
            let mut changed = after;
            for ((c, b), o) in changed.0.iter_mut().zip(&before.0).zip(&other_t[e].0) {
                *c = (*c ^ b) & o;
            }
            changed.unset(e);
            if changed.is_empty() {
                continue;
            }
            // Keep only the changed bits of `after`: the flows gained.
            let mut after = changed.clone();
            for (a, b) in after.0.iter_mut().zip(&before.0) {
                *a &= !b;
            }
            let gained: usize = after.0.iter().map(|w| w.count_ones() as usize).sum();
            let all: usize = changed.0.iter().map(|w| w.count_ones() as usize).sum();
            out.gained += gained;
            out.lost += all - gained;
            out.rows.push((e, changed, after));
        }
        for key in keys {
            named.remove(&key);
        }
        out.rows.sort_unstable_by_key(|(e, _, _)| *e);
        out
    }

    /// True when the rules of `change` allow the same peers at `pp` as the rules they replace,
    /// whatever the endpoint: then no side changes. Rules with a named port depend on the
    /// endpoint, so they never count as the same.
    fn same_contribution(&self, change: &RuleChange, pp: PortProto) -> bool {
        let dir = change.direction;
        let current = self.model.policies[change.policy].rules(dir);
        let compiled = &self.rules[change.policy][dir_index(dir)];
        let union = |rules: &[Rule], compiled: &[CompiledRule]| {
            let mut allowed = Bits::empty(self.endpoints.len());
            for (rule, c) in rules.iter().zip(compiled) {
                if rule_has_named_port(rule) {
                    return None;
                }
                if rule_ports_match(rule, pp, None) {
                    allowed.union_with(&c.peers);
                }
            }
            Some(allowed)
        };
        match union(current, compiled) {
            Some(before) => union(&change.rules, &change.compiled) == Some(before),
            None => false,
        }
    }

    /// Puts into `named` (see `network_policy_side`) the destinations of each egress rule of
    /// `change` with a named port that is one of the policy's own rules unchanged, from the
    /// entry of that rule: so a change does not resolve the named ports of the rules it keeps
    /// again. Returns the keys of the change's rules, to remove once the change is evaluated.
    fn share_named(
        &self,
        change: &RuleChange,
        pp: PortProto,
        named: &mut HashMap<usize, Bits>,
    ) -> Vec<usize> {
        if change.direction != PolicyType::Egress {
            return Vec::new();
        }
        let current = &self.model.policies[change.policy].egress;
        let mut keys = Vec::new();
        for rule in change.rules.iter().filter(|r| rule_has_named_port(r)) {
            let key = std::ptr::from_ref(rule) as usize;
            keys.push(key);
            let Some(k) = current.iter().position(|r| r == rule) else {
                continue;
            };
            let peers = &self.rules[change.policy][dir_index(PolicyType::Egress)][k].peers;
            let targets = named
                .entry(std::ptr::from_ref(&current[k]) as usize)
                .or_insert_with(|| {
                    let mut targets = Bits::empty(self.endpoints.len());
                    for d in peers.ones() {
                        if rule_ports_match(rule, pp, self.pod(d)) {
                            targets.set(d);
                        }
                    }
                    targets
                })
                .clone();
            named.insert(key, targets);
        }
        keys
    }
}

#[allow(dead_code)]
fn other_direction(dir: PolicyType) -> PolicyType {
    match dir {
        PolicyType::Ingress => PolicyType::Egress,
        PolicyType::Egress => PolicyType::Ingress,
    }
}
