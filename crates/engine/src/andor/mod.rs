//! The AND↔OR variants of `from`/`to` items, which make the most common NetworkPolicy bug
//! visible: one item with a namespaceSelector and a podSelector (AND) against two items with one
//! selector each (OR). The split rule is the same trap one level up: a stray `-` before `ports:`
//! (or `from:`/`to:`) makes two ORed rules, one with the peers and every port, one with the
//! ports and every peer, where one rule would allow those peers on those ports only (AND).
//!
//! For every place where the reading matters, a [`Variant`] holds the policy set with just that
//! change, the flow diff it causes ([`crate::diff`]), both readings as YAML fragments
//! ([`fragment`]) and in words ([`words`]), and [`apply_variant_text`] applies it to the text as
//! written ([`edit`]; [`variant_applies`] tells whether it can, without building the text).

mod edit;
mod flows;
/// YAML fragments; its [`fragment::scalar`] quoting is shared with the split-rule lint.
pub(crate) mod fragment;
pub(crate) mod split;
mod words;

use serde::Serialize;

use crate::diff::Diff;
use crate::eval::{compile, Compiled, RuleChange, VariantPorts};
use crate::ids::PolicyId;
use crate::model::{
    LabelSelector, Model, NetworkPolicy, NetworkPolicyPeer, PolicyType, Rule, Span,
};
pub use edit::VariantText;
pub use flows::{PortChanges, VariantFlows};
use split::split_rules;
use words::{and_meaning, merged_rule_meaning, or_meaning, split_rules_meaning};

/// Which reading a variant switches to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VariantKind {
    /// One item with both selectors (AND) split into two items (OR).
    SplitAnd {
        /// The index of the item in the rule's `from`/`to`.
        peer: usize,
    },
    /// A namespaceSelector-only item and a podSelector-only item (OR) merged into one (AND).
    MergeOr {
        /// The index of the `namespaceSelector`-only item.
        namespace_peer: usize,
        /// The index of the `podSelector`-only item.
        pod_peer: usize,
    },
    /// Two adjacent rules, one with only peers and one with only ports (OR, a split rule),
    /// merged into one rule with both (AND). The indices are rules of the variant's direction;
    /// the variant's `rule` is the first of the two.
    MergeRules {
        /// The index of the rule with only peers.
        peers_rule: usize,
        /// The index of the rule with only ports.
        ports_rule: usize,
    },
}

/// One place where the AND/OR reading matters, and what the other reading would change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variant {
    /// The policy the variant changes.
    pub policy: PolicyId,
    /// The policy's `namespace/name`.
    pub policy_id: String,
    /// The direction of the rule the variant changes.
    pub direction: PolicyType,
    /// The rule (for [`VariantKind::MergeRules`], the first of the two rules).
    pub rule: usize,
    /// Which reading the variant switches to.
    pub kind: VariantKind,
    /// Where the items (for [`VariantKind::MergeRules`], the two rules) are written.
    pub spans: Vec<Span>,
    /// The items (or rules) as written now, and as the variant writes them (YAML list
    /// fragments).
    pub current_yaml: String,
    /// The variant as YAML, to paste in place of the original.
    pub variant_yaml: String,
    /// What each reading selects, in words.
    pub current_meaning: String,
    /// What the variant means, in words.
    pub variant_meaning: String,
    /// The policy with just this change (the policy at index `policy`); [`Variant::policies`]
    /// gives the whole policy set.
    pub changed_policy: NetworkPolicy,
    /// The variant's flows against the current policies' flows.
    pub diff: Diff,
}

impl Variant {
    /// True when the variant allows exactly the same flows on this cluster.
    pub fn no_effect(&self) -> bool {
        self.diff.is_empty()
    }

    /// The whole policy set of `model` (the model the variant was found in) with just this
    /// change.
    pub fn policies(&self, model: &Model) -> Vec<NetworkPolicy> {
        let mut policies = model.policies.clone();
        if let Some(p) = policies.get_mut(self.policy.index()) {
            *p = self.changed_policy.clone();
        }
        policies
    }
}

/// A [`Variant`] without its flows: where it is and what it changes. [`AndOr::flows`] gives
/// its flows.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VariantSite {
    /// The policy the variant changes.
    pub policy: PolicyId,
    /// The policy's `namespace/name`.
    pub policy_id: String,
    /// The direction of the rule the variant changes.
    pub direction: PolicyType,
    /// The rule (for [`VariantKind::MergeRules`], the first of the two rules).
    pub rule: usize,
    /// Which reading the variant switches to.
    pub kind: VariantKind,
    /// Where the items (for [`VariantKind::MergeRules`], the two rules) are written.
    pub spans: Vec<Span>,
    /// The items (or rules) as written now, as a YAML list fragment.
    pub current_yaml: String,
    /// The variant as YAML, to paste in place of the original.
    pub variant_yaml: String,
    /// What the current reading selects, in words.
    pub current_meaning: String,
    /// What the variant means, in words.
    pub variant_meaning: String,
    /// The policy with just this change (the policy at index `policy`).
    pub changed_policy: NetworkPolicy,
}

impl Variant {
    fn new(site: VariantSite, diff: Diff) -> Self {
        let VariantSite {
            policy,
            policy_id,
            direction,
            rule,
            kind,
            spans,
            current_yaml,
            variant_yaml,
            current_meaning,
            variant_meaning,
            changed_policy,
        } = site;
        Variant {
            policy,
            policy_id,
            direction,
            rule,
            kind,
            spans,
            current_yaml,
            variant_yaml,
            current_meaning,
            variant_meaning,
            changed_policy,
            diff,
        }
    }
}

/// The AND/OR variants of a compiled model, with their flows computed one variant at a time
/// when asked ([`AndOr::flows`]), so that memory stays bounded whatever they change: the
/// current model's side sets are computed once per group of ports with the same verdicts, and
/// a variant costs only the endpoints its policy selects.
pub struct AndOr<'c> {
    compiled: &'c Compiled,
    sites: Vec<VariantSite>,
    changes: Vec<RuleChange>,
    ports: VariantPorts,
}

impl<'c> AndOr<'c> {
    /// Every place in `c`'s policies where the AND/OR reading matters: items of a rule, and
    /// split rules (see [`crate::lint`]'s `split-rule`), in the order of [`and_or_variants`].
    pub fn new(c: &'c Compiled) -> Self {
        let model = c.model();
        let split: Vec<Vec<(PolicyType, usize)>> = model.policies.iter().map(split_rules).collect();
        let rewrites = rules(model)
            .flat_map(|at| {
                let pair = split[at.policy].contains(&(at.direction, at.rule));
                splits(model, at)
                    .into_iter()
                    .chain(merges(model, at))
                    .chain(pair.then(|| merge_rules(model, at)))
            })
            .collect();
        Self::evaluate(c, rewrites)
    }

    /// The OR→AND merges alone.
    pub(crate) fn merges(c: &'c Compiled) -> Self {
        let model = c.model();
        let rewrites = rules(model).flat_map(|at| merges(model, at)).collect();
        Self::evaluate(c, rewrites)
    }

    /// Compiles each rewrite's changed rules; a rewrite only changes the rules of one direction
    /// of one policy, which is all that is evaluated again.
    fn evaluate(c: &'c Compiled, rewrites: Vec<Rewrite>) -> Self {
        let model = c.model();
        let changes: Vec<RuleChange> = rewrites
            .iter()
            .map(|r| {
                let rules = r.policy.rules(r.at.direction).to_vec();
                c.rule_change(r.at.policy, r.at.direction, rules)
            })
            .collect();
        let ports = c.variant_ports(&changes);
        let sites = rewrites
            .into_iter()
            .map(|r| VariantSite {
                policy: PolicyId(r.at.policy),
                policy_id: model.policies[r.at.policy].id(),
                direction: r.at.direction,
                rule: r.at.rule,
                kind: r.kind,
                spans: r.spans,
                current_yaml: r.current.yaml,
                variant_yaml: r.variant.yaml,
                current_meaning: r.current.meaning,
                variant_meaning: r.variant.meaning,
                changed_policy: r.policy,
            })
            .collect();
        AndOr {
            compiled: c,
            sites,
            changes,
            ports,
        }
    }

    /// The variants, without their flows.
    pub fn sites(&self) -> &[VariantSite] {
        &self.sites
    }

    /// The flows variant `i` (an index into [`AndOr::sites`]) changes.
    pub fn flows(&self, i: usize) -> VariantFlows {
        VariantFlows::new(self.compiled, &self.ports, &self.changes[i])
    }

    /// Every variant with its flow diff.
    pub fn into_variants(self) -> Vec<Variant> {
        let diffs: Vec<Diff> = (0..self.sites.len())
            .map(|i| self.flows(i).to_diff())
            .collect();
        self.sites
            .into_iter()
            .zip(diffs)
            .map(|(site, diff)| Variant::new(site, diff))
            .collect()
    }
}

/// Every place in `model`'s policies where the AND/OR reading matters, each with the policy set
/// that has just that change and the flow diff it causes: items of a rule, and split rules (see
/// [`crate::lint`]'s `split-rule`). Variants without effect are listed too. The model is
/// compiled once; on large clusters, [`AndOr`] lists the same variants with their flows one
/// variant at a time.
pub fn and_or_variants(model: &Model) -> Vec<Variant> {
    AndOr::new(&compile(model.clone())).into_variants()
}

/// Applies a variant to the policies text it was computed from, keeping everything else as
/// written. Works for block-style items (`- namespaceSelector: ...` on their own lines) and rules
/// (`- ports:` on its own line, or a one-line `- {ports: [...]}`); returns `None` when they are
/// written in another style.
pub fn apply_variant_text(text: &str, v: &Variant) -> Option<String> {
    VariantText::new(text).apply(v)
}

/// Whether [`apply_variant_text`] can apply the variant to `text`, without building the new
/// text. [`VariantText`] asks it of many variants with one split of the text into lines.
pub fn variant_applies(text: &str, v: &Variant) -> bool {
    VariantText::new(text).applies(v)
}

impl<'a> VariantText<'a> {
    /// The text with the variant applied, as [`apply_variant_text`] gives it.
    pub fn apply(&self, v: &Variant) -> Option<String> {
        Some(self.edit(v)?.apply(self))
    }

    /// Whether the variant applies, as [`variant_applies`] tells.
    pub fn applies(&self, v: &Variant) -> bool {
        self.edit(v).is_some()
    }

    fn edit(&self, v: &Variant) -> Option<edit::Edit<'a>> {
        let (a, b) = (*v.spans.first()?, v.spans.get(1).copied());
        match v.kind {
            VariantKind::SplitAnd { .. } => edit::split_item(self, a),
            VariantKind::MergeOr { .. } => edit::merge_items(self, a, b?),
            VariantKind::MergeRules { .. } => edit::merge_rules(self, a, b?),
        }
    }
}

/// A rule of a policy: `model.policies[policy].rules(direction)[rule]`.
#[derive(Clone, Copy)]
struct RuleAt {
    policy: usize,
    direction: PolicyType,
    rule: usize,
}

/// One reading of some items: as a YAML list fragment and in words.
struct Reading {
    yaml: String,
    meaning: String,
}

/// A change of one rule's items (or of two rules), before its flows are compared.
struct Rewrite {
    at: RuleAt,
    kind: VariantKind,
    spans: Vec<Span>,
    /// The policy with just this change.
    policy: NetworkPolicy,
    current: Reading,
    variant: Reading,
}

/// Every rule that counts (its policy affects its direction), in policy, direction, rule order.
fn rules(model: &Model) -> impl Iterator<Item = RuleAt> + '_ {
    model.policies.iter().enumerate().flat_map(|(policy, p)| {
        [PolicyType::Ingress, PolicyType::Egress]
            .into_iter()
            .filter(|&dir| p.affects(dir))
            .flat_map(move |direction| {
                (0..p.rules(direction).len()).map(move |rule| RuleAt {
                    policy,
                    direction,
                    rule,
                })
            })
    })
}

fn rule(model: &Model, at: RuleAt) -> &Rule {
    &model.policies[at.policy].rules(at.direction)[at.rule]
}

/// The policy of the rule at `at` with the items of that rule edited by `edit`.
fn with_peers(
    model: &Model,
    at: RuleAt,
    edit: impl FnOnce(&mut Vec<NetworkPolicyPeer>),
) -> NetworkPolicy {
    let mut policy = model.policies[at.policy].clone();
    edit(&mut rules_mut(&mut policy, at.direction)[at.rule].peers);
    policy
}

fn rules_mut(p: &mut NetworkPolicy, direction: PolicyType) -> &mut Vec<Rule> {
    match direction {
        PolicyType::Ingress => &mut p.ingress,
        PolicyType::Egress => &mut p.egress,
    }
}

/// The AND→OR splits of a rule: each item with both selectors and no ipBlock.
fn splits(model: &Model, at: RuleAt) -> Vec<Rewrite> {
    let policy_ns = &model.policies[at.policy].namespace;
    let mut out = Vec::new();
    for (k, peer) in rule(model, at).peers.iter().enumerate() {
        let (Some(ns), Some(pod), None) =
            (&peer.namespace_selector, &peer.pod_selector, &peer.ip_block)
        else {
            continue;
        };
        let split = [
            NetworkPolicyPeer {
                pod_selector: None,
                ..peer.clone()
            },
            NetworkPolicyPeer {
                namespace_selector: None,
                ..peer.clone()
            },
        ];
        let variant = Reading {
            yaml: fragment::peers_yaml(&split),
            meaning: or_meaning(ns, pod, policy_ns),
        };
        out.push(Rewrite {
            at,
            kind: VariantKind::SplitAnd { peer: k },
            spans: vec![peer.span],
            policy: with_peers(model, at, |peers| {
                peers.splice(k..=k, split);
            }),
            current: Reading {
                yaml: fragment::peers_yaml([peer]),
                meaning: and_meaning(ns, pod),
            },
            variant,
        });
    }
    out
}

/// The OR→AND merges of a rule: each pair of a namespaceSelector-only item and a
/// podSelector-only item (neither with an ipBlock).
fn merges(model: &Model, at: RuleAt) -> Vec<Rewrite> {
    let policy_ns = &model.policies[at.policy].namespace;
    let peers = &rule(model, at).peers;
    let only_ns: Vec<(usize, &LabelSelector)> = peers
        .iter()
        .enumerate()
        .filter_map(
            |(k, p)| match (&p.namespace_selector, &p.pod_selector, &p.ip_block) {
                (Some(ns), None, None) => Some((k, ns)),
                _ => None,
            },
        )
        .collect();
    let only_pod: Vec<(usize, &LabelSelector)> = peers
        .iter()
        .enumerate()
        .filter_map(
            |(k, p)| match (&p.namespace_selector, &p.pod_selector, &p.ip_block) {
                (None, Some(pod), None) => Some((k, pod)),
                _ => None,
            },
        )
        .collect();
    let mut out = Vec::new();
    for &(a, ns) in &only_ns {
        for &(b, pod) in &only_pod {
            let (first, second) = (a.min(b), a.max(b));
            let merged = NetworkPolicyPeer {
                namespace_selector: Some(ns.clone()),
                pod_selector: Some(pod.clone()),
                ip_block: None,
                span: peers[first].span,
            };
            let variant = Reading {
                yaml: fragment::peers_yaml([&merged]),
                meaning: and_meaning(ns, pod),
            };
            out.push(Rewrite {
                at,
                kind: VariantKind::MergeOr {
                    namespace_peer: a,
                    pod_peer: b,
                },
                spans: vec![peers[a].span, peers[b].span],
                policy: with_peers(model, at, |peers| {
                    peers[first] = merged;
                    peers.remove(second);
                }),
                current: Reading {
                    yaml: fragment::peers_yaml([&peers[first], &peers[second]]),
                    meaning: or_meaning(ns, pod, policy_ns),
                },
                variant,
            });
        }
    }
    out
}

/// The merge of the split rule pair starting at `at` (rules `at.rule` and `at.rule + 1`, one with
/// only peers and one with only ports, as [`split_rules`] finds them) into one rule.
fn merge_rules(model: &Model, at: RuleAt) -> Rewrite {
    let policy = &model.policies[at.policy];
    let rules = policy.rules(at.direction);
    let (first, second) = (&rules[at.rule], &rules[at.rule + 1]);
    let ports_first = first.peers.is_empty();
    let (peers_rule, ports_rule) = if ports_first {
        (at.rule + 1, at.rule)
    } else {
        (at.rule, at.rule + 1)
    };
    let (peers, ports) = (&rules[peers_rule], &rules[ports_rule]);
    let merged = Rule {
        peers: peers.peers.clone(),
        ports: ports.ports.clone(),
        span: first.span,
    };
    let list_name = match at.direction {
        PolicyType::Ingress => "from",
        PolicyType::Egress => "to",
    };
    let mut changed_policy = policy.clone();
    let changed = rules_mut(&mut changed_policy, at.direction);
    changed.remove(at.rule + 1);
    changed[at.rule] = merged.clone();
    Rewrite {
        at,
        kind: VariantKind::MergeRules {
            peers_rule,
            ports_rule,
        },
        spans: vec![first.span, second.span],
        policy: changed_policy,
        current: Reading {
            yaml: fragment::rules_yaml(list_name, [first, second], ports_first),
            meaning: split_rules_meaning(
                at.direction,
                peers,
                ports,
                ports_first,
                &policy.namespace,
            ),
        },
        variant: Reading {
            yaml: fragment::rules_yaml(list_name, [&merged], ports_first),
            meaning: merged_rule_meaning(at.direction, peers, ports, &policy.namespace),
        },
    }
}

#[cfg(test)]
mod tests;
