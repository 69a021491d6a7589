//! Evaluating a change of one policy's rules without compiling the model again: only the sides of
//! the endpoints that policy isolates can change, so a variant costs O(selected endpoints ×
//! rules × endpoints / 64) per port, on top of the current model's side sets, which are
//! computed once per port for every variant.

use std::collections::HashMap;

use super::bits::transpose;
use super::compiled::{dir_index, Compiled, CompiledRule};
use super::Bits;
use crate::model::{PolicyType, PortProto, Rule};

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

/// The current model's side sets at one port, and their transposes, for diffing many
/// [`RuleChange`]s at that port.
pub(crate) struct PortSides {
    pp: PortProto,
    /// Per direction (0 ingress, 1 egress): the side set of every endpoint, and its transpose.
    sides: [Option<(Vec<Bits>, Vec<Bits>)>; 2],
}

impl Compiled {
    /// Compiles the new rules of a change of `policy`'s rules in `direction`.
    pub(crate) fn rule_change(
        &self,
        policy: usize,
        direction: PolicyType,
        rules: Vec<Rule>,
    ) -> RuleChange {
        let compiled = self.compile_rules(&self.model.policies[policy], &rules);
        RuleChange {
            policy,
            direction,
            rules,
            compiled,
        }
    }

    /// The side sets at `pp` of the directions `changes` touch.
    pub(crate) fn port_sides(&self, pp: PortProto, changes: &[RuleChange]) -> PortSides {
        let n = self.endpoints.len();
        let mut sides = [None, None];
        for dir in [PolicyType::Ingress, PolicyType::Egress] {
            if changes.iter().any(|c| c.direction == dir) {
                let own = self.side_sets(pp, dir);
                // A change of ingress needs, per destination, the sources whose egress allows
                // it: the transpose of the egress sides (and the other way round).
                let other = self.side_sets(pp, other_direction(dir));
                sides[dir_index(dir)] = Some((own, transpose(&other, n)));
            }
        }
        PortSides { pp, sides }
    }

    /// The flows whose verdict at `sides`' port differs once `change` is applied, as (source,
    /// destination, allowed after), sorted by source then destination. Flows between two
    /// non-pods are left out, like everywhere else.
    pub(crate) fn changed_flows(
        &self,
        sides: &PortSides,
        change: &RuleChange,
    ) -> Vec<(usize, usize, bool)> {
        let dir = change.direction;
        let Some((own, other_t)) = &sides.sides[dir_index(dir)] else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut named = HashMap::new();
        for e in self.policy_selects(&self.model.policies[change.policy]) {
            let before = &own[e];
            let mut after = self.network_policy_side(e, sides.pp, dir, Some(change), &mut named);
            if self.tiered.selects_any(e) {
                after = self.tier_walk(e, dir, sides.pp, Some(&after), |_, _, _| {});
            }
            // The cells of `e` that change: its side changes, and the other side allows them.
            let mut changed = after.clone();
            for (a, b) in changed.0.iter_mut().zip(&before.0) {
                *a ^= b;
            }
            changed.intersect_with(&other_t[e]);
            for peer in changed.ones().filter(|&peer| peer != e) {
                let allowed = after.get(peer);
                out.push(match dir {
                    PolicyType::Ingress => (peer, e, allowed),
                    PolicyType::Egress => (e, peer, allowed),
                });
            }
        }
        out.sort_unstable();
        out
    }
}

fn other_direction(dir: PolicyType) -> PolicyType {
    match dir {
        PolicyType::Ingress => PolicyType::Egress,
        PolicyType::Egress => PolicyType::Ingress,
    }
}
