//! Teaching lints about the tiered policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
//! ClusterNetworkPolicy): the traps of their precedence (`docs/tiered-policies.md`, "Teaching
//! lints").
//!
//! - `tier-priority-tie`: two policies of one tier with the same priority whose rules can match
//!   the same flow; the API leaves their order undefined.
//! - `pass-to-nothing`: an Admin `Pass` whose flows no NetworkPolicy selects and no Baseline rule
//!   matches: they fall to the default allow.
//! - `baseline-shadowed`: a Baseline policy whose subject pods are all isolated by
//!   NetworkPolicies in a direction: its rules of that direction never apply.
//! - `admin-deny-overrides-networkpolicy` (info): an Admin `Deny` that denies flows a
//!   NetworkPolicy allows.

use std::collections::BTreeMap;

use super::finding::{list, Lint};
use crate::diag::Severity;
use crate::eval::{Bits, Compiled};
use crate::explain::render::rules_field;
use crate::model::{Action, ClusterPolicy, PolicyType, PortProto, Tier};

const DIRECTIONS: [PolicyType; 2] = [PolicyType::Ingress, PolicyType::Egress];

/// Examples named at most per finding.
const MAX_EXAMPLES: usize = 3;

/// Runs the tiered lints; nothing when the model has no tiered policy.
pub(super) fn tiered_lints(c: &Compiled, out: &mut Vec<Lint>) {
    if c.model().cluster_policies.is_empty() {
        return;
    }
    priority_ties(c, out);
    baseline_shadowed(c, out);
    walk_lints(c, out);
}

/// `namespace/pod → other` or `other → namespace/pod`, as the flow goes.
fn flow(c: &Compiled, dir: PolicyType, me: usize, other: usize) -> String {
    let (from, to) = match dir {
        PolicyType::Ingress => (other, me),
        PolicyType::Egress => (me, other),
    };
    format!("{} → {}", c.endpoints()[from].name, c.endpoints()[to].name)
}

/// `ClusterNetworkPolicy/x egress[1]`.
fn rule_name(p: &ClusterPolicy, dir: PolicyType, rule: usize) -> String {
    format!("{} {}[{rule}]", p.id(), rules_field(dir))
}

/// The pod endpoints a tiered policy's subject selects.
fn subject_pods(c: &Compiled, policy: usize) -> Vec<usize> {
    (0..c.endpoints().len())
        .filter(|&e| c.tiered_subject_selects(policy, e))
        .collect()
}

/// A flow two equal-priority policies can both match: `(direction, pod, other, port)`.
fn shared_flow(c: &Compiled, a: usize, b: usize) -> Option<(PolicyType, usize, usize, PortProto)> {
    let policies = &c.model().cluster_policies;
    let n = c.endpoints().len();
    let pods: Vec<usize> = subject_pods(c, a)
        .into_iter()
        .filter(|&e| c.tiered_subject_selects(b, e))
        .collect();
    let all = Bits::full(n);
    for pp in c.ports_that_matter() {
        for dir in DIRECTIONS {
            let (ra, rb) = (policies[a].rules(dir).len(), policies[b].rules(dir).len());
            for &e in &pods {
                for i in 0..ra {
                    let cells_a = c.tiered_rule_cells(a, dir, i, e, pp, &all);
                    if cells_a.is_empty() {
                        continue;
                    }
                    for j in 0..rb {
                        let mut both = c.tiered_rule_cells(b, dir, j, e, pp, &all);
                        both.intersect_with(&cells_a);
                        let other = both.ones().find(|&o| o != e);
                        if let Some(other) = other {
                            return Some((dir, e, other, pp));
                        }
                    }
                }
            }
        }
    }
    None
}

fn priority_ties(c: &Compiled, out: &mut Vec<Lint>) {
    let policies = &c.model().cluster_policies;
    for (a, b) in c.tier_order().ties(policies) {
        let Some((dir, e, other, pp)) = shared_flow(c, a, b) else {
            continue;
        };
        let (pa, pb) = (&policies[a], &policies[b]);
        out.push(Lint {
            code: "tier-priority-tie",
            severity: Severity::Warning,
            span: pb.span,
            message: format!(
                "{} and {} are both {} priority {} and their rules can match the same flows (e.g. {} on {pp}): the API leaves their order undefined, so clusters may disagree; the playground evaluates {} first (by name).",
                pa.id(),
                pb.id(),
                pa.tier,
                pa.priority.unwrap_or_default(),
                flow(c, dir, e, other),
                pa.id()
            ),
            fix: "give one of them another priority, so that the order is defined.".to_string(),
        });
    }
}

fn baseline_shadowed(c: &Compiled, out: &mut Vec<Lint>) {
    let policies = &c.model().cluster_policies;
    for &p in c.tier_order().tier(Tier::Baseline) {
        let policy = &policies[p];
        let pods = subject_pods(c, p);
        if pods.is_empty() {
            continue;
        }
        for dir in DIRECTIONS {
            let rules = policy.rules(dir);
            if rules.is_empty() || pods.iter().any(|&e| c.isolating(e, dir).is_empty()) {
                continue;
            }
            let names: Vec<String> = pods
                .iter()
                .map(|&e| c.endpoints()[e].name.clone())
                .collect();
            out.push(Lint {
                code: "baseline-shadowed",
                severity: Severity::Warning,
                span: rules[0].span,
                message: format!(
                    "{}: its {} rules never apply: every pod it selects ({}) is isolated for {dir} by a NetworkPolicy, whose verdict is final, and the Baseline tier only decides for pods no NetworkPolicy selects.",
                    policy.id(),
                    rules_field(dir),
                    list(&names)
                ),
                fix: "write these rules into the pods' NetworkPolicies, or make them Admin-tier rules if they must hold whatever the NetworkPolicies say.".to_string(),
            });
        }
    }
}

/// What the walk found for one tiered rule: example flows, by lint code.
#[derive(Default)]
struct Found {
    examples: Vec<String>,
    count: usize,
}

impl Found {
    fn add(&mut self, example: impl FnOnce() -> String) {
        if self.examples.len() < MAX_EXAMPLES {
            self.examples.push(example());
        }
        self.count += 1;
    }

    fn shown(&self) -> String {
        let mut s = self.examples.join(", ");
        if self.count > self.examples.len() {
            s.push_str(&format!(" and {} more", self.count - self.examples.len()));
        }
        s
    }
}

/// `pass-to-nothing` and `admin-deny-overrides-networkpolicy`: both need the walk of every row.
fn walk_lints(c: &Compiled, out: &mut Vec<Lint>) {
    let policies = &c.model().cluster_policies;
    let n = c.endpoints().len();
    // (policy, direction, rule) → what was found.
    let mut passes: BTreeMap<(usize, PolicyType, usize), Found> = BTreeMap::new();
    let mut denies: BTreeMap<(usize, PolicyType, usize), Found> = BTreeMap::new();
    for pp in c.ports_that_matter() {
        for dir in DIRECTIONS {
            let np = c.network_policy_sides(pp, dir);
            for (e, np_row) in np.iter().enumerate() {
                if !c.endpoints()[e].is_pod() || !c.tiered_selects_any(e) {
                    continue;
                }
                let isolated = !c.isolating(e, dir).is_empty();
                let mut hits: Vec<(Tier, (usize, usize), Bits)> = Vec::new();
                c.tier_walk(
                    e,
                    dir,
                    pp,
                    isolated.then_some(np_row),
                    |tier, rule, cells| {
                        hits.push((tier, rule, cells.clone()));
                    },
                );
                let mut baseline = Bits::empty(n);
                for (_, _, cells) in hits.iter().filter(|h| h.0 == Tier::Baseline) {
                    baseline.union_with(cells);
                }
                for (tier, (p, r), cells) in &hits {
                    if *tier != Tier::Admin {
                        continue;
                    }
                    let action = policies[*p].rules(dir)[*r].action;
                    for other in cells.ones().filter(|&o| o != e) {
                        let example = || format!("{} on {pp}", flow(c, dir, e, other));
                        match action {
                            Action::Pass if !isolated && !baseline.get(other) => {
                                passes.entry((*p, dir, *r)).or_default().add(example);
                            }
                            Action::Deny if isolated && np_row.get(other) => {
                                denies.entry((*p, dir, *r)).or_default().add(example);
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    for ((p, dir, r), found) in passes {
        let policy = &policies[p];
        out.push(Lint {
            code: "pass-to-nothing",
            severity: Severity::Warning,
            span: policy.rules(dir)[r].span,
            message: format!(
                "{} passes flows that no NetworkPolicy selects and no Baseline rule matches ({}): they fall to Kubernetes' default and are allowed.",
                rule_name(policy, dir, r),
                found.shown()
            ),
            fix: "write the NetworkPolicy the Pass delegates to (one that selects these pods for this direction), add a Baseline rule for these flows, or use Deny or Allow instead of Pass.".to_string(),
        });
    }
    for ((p, dir, r), found) in denies {
        let policy = &policies[p];
        out.push(Lint {
            code: "admin-deny-overrides-networkpolicy",
            severity: Severity::Info,
            span: policy.rules(dir)[r].span,
            message: format!(
                "{} denies flows that a NetworkPolicy allows ({}): the Admin tier runs before NetworkPolicy, so the NetworkPolicy's allow never takes effect.",
                rule_name(policy, dir, r),
                found.shown()
            ),
            fix: "if the namespace's owners should decide these flows, use Pass instead of Deny; if this is the guardrail you meant, nothing to do.".to_string(),
        });
    }
}
