//! The AND↔OR variants of `from`/`to` items, which make the most common NetworkPolicy bug
//! visible: one item with a namespaceSelector and a podSelector (AND) against two items with one
//! selector each (OR).
//!
//! For every place where the reading matters, a [`Variant`] holds the policy set with just that
//! change, the flow diff it causes ([`crate::diff`]), both readings as YAML fragments
//! ([`fragment`]) and in words, and [`apply_variant_text`] applies it to the text as written
//! ([`edit`]).

mod edit;
mod fragment;

use std::collections::HashMap;

use serde::Serialize;

use crate::diff::{diff_flows, Diff};
use crate::eval::compile;
use crate::model::{
    LabelSelector, Model, NetworkPolicy, NetworkPolicyPeer, PolicyType, Rule, Span,
};
use crate::selector::describe_selector;

/// Which reading a variant switches to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VariantKind {
    /// One item with both selectors (AND) split into two items (OR).
    SplitAnd { peer: usize },
    /// A namespaceSelector-only item and a podSelector-only item (OR) merged into one (AND).
    MergeOr {
        namespace_peer: usize,
        pod_peer: usize,
    },
}

/// One place where the AND/OR reading matters, and what the other reading would change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Variant {
    /// Index into `Model::policies`.
    pub policy: usize,
    pub policy_id: String,
    pub direction: PolicyType,
    pub rule: usize,
    pub kind: VariantKind,
    /// Where the items are written.
    pub spans: Vec<Span>,
    /// The items as written now, and as the variant writes them (YAML list fragments).
    pub current_yaml: String,
    pub variant_yaml: String,
    /// What each reading selects, in words.
    pub current_meaning: String,
    pub variant_meaning: String,
    /// The whole policy set with just this change.
    pub policies: Vec<NetworkPolicy>,
    /// The variant's flows against the current policies' flows.
    pub diff: Diff,
}

impl Variant {
    /// True when the variant allows exactly the same flows on this cluster.
    pub fn no_effect(&self) -> bool {
        self.diff.is_empty()
    }
}

/// Every place in `model`'s policies where the AND/OR reading matters, each with the policy set
/// that has just that change and the flow diff it causes. Variants without effect are listed too.
pub fn and_or_variants(model: &Model) -> Vec<Variant> {
    let rewrites = rules(model)
        .flat_map(|at| splits(model, at).into_iter().chain(merges(model, at)))
        .collect();
    evaluate(model, rewrites)
}

/// The OR→AND merges of [`and_or_variants`] alone.
pub(crate) fn merge_variants(model: &Model) -> Vec<Variant> {
    let rewrites = rules(model).flat_map(|at| merges(model, at)).collect();
    evaluate(model, rewrites)
}

/// Applies a variant to the policies text it was computed from, keeping everything else as
/// written. Works for block-style items (`- namespaceSelector: ...` on their own lines); returns
/// `None` when the items are written in another style.
pub fn apply_variant_text(text: &str, v: &Variant) -> Option<String> {
    match v.kind {
        VariantKind::SplitAnd { .. } => edit::split_item(text, *v.spans.first()?),
        VariantKind::MergeOr { .. } => edit::merge_items(text, *v.spans.first()?, *v.spans.get(1)?),
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

/// A change of one rule's items, before its flows are compared.
struct Rewrite {
    at: RuleAt,
    kind: VariantKind,
    spans: Vec<Span>,
    /// The whole policy set with just this change.
    policies: Vec<NetworkPolicy>,
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

/// `model`'s policies with the items of the rule at `at` edited by `edit`.
fn with_peers(
    model: &Model,
    at: RuleAt,
    edit: impl FnOnce(&mut Vec<NetworkPolicyPeer>),
) -> Vec<NetworkPolicy> {
    let mut policies = model.policies.clone();
    let p = &mut policies[at.policy];
    let rules = match at.direction {
        PolicyType::Ingress => &mut p.ingress,
        PolicyType::Egress => &mut p.egress,
    };
    edit(&mut rules[at.rule].peers);
    policies
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
            policies: with_peers(model, at, |peers| {
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
                policies: with_peers(model, at, |peers| {
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

/// The flow diff of each rewrite against `model`'s own policies.
fn evaluate(model: &Model, rewrites: Vec<Rewrite>) -> Vec<Variant> {
    let current = compile(model);
    let mut matrices = HashMap::new();
    rewrites
        .into_iter()
        .map(|r| {
            let changed = Model {
                policies: r.policies,
                ..model.clone()
            };
            let diff = diff_flows(&current, &compile(&changed), &mut matrices);
            Variant {
                policy: r.at.policy,
                policy_id: model.policies[r.at.policy].id(),
                direction: r.at.direction,
                rule: r.at.rule,
                kind: r.kind,
                spans: r.spans,
                current_yaml: r.current.yaml,
                variant_yaml: r.variant.yaml,
                current_meaning: r.current.meaning,
                variant_meaning: r.variant.meaning,
                policies: changed.policies,
                diff,
            }
        })
        .collect()
}

fn ns_words(sel: &LabelSelector) -> String {
    if sel.is_empty() {
        "every namespace".to_string()
    } else {
        format!("namespaces labelled {}", describe_selector(sel))
    }
}

fn pod_words(sel: &LabelSelector) -> String {
    if sel.is_empty() {
        "every pod".to_string()
    } else {
        format!("pods labelled {}", describe_selector(sel))
    }
}

fn and_meaning(ns: &LabelSelector, pod: &LabelSelector) -> String {
    format!("AND: only {} in {}", pod_words(pod), ns_words(ns))
}

fn or_meaning(ns: &LabelSelector, pod: &LabelSelector, policy_ns: &str) -> String {
    let all = if ns.is_empty() {
        "every pod in every namespace".to_string()
    } else {
        format!("every pod in {}", ns_words(ns))
    };
    format!(
        "OR: {all}, plus {} in namespace {policy_ns}",
        pod_words(pod)
    )
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::FlowChange;
    use crate::eval::compile;
    use crate::model::{PortProto, Protocol};
    use crate::{parse, Input};

    const CLUSTER: &str = "\
namespaces:
  app:
    pods: {api: app=api, frontend: app=frontend, db: app=db}
  web:
    labels: {team: web}
    pods: {shop: app=frontend, cms: app=cms}
";

    fn model(policies: &str) -> Model {
        let (m, d) = parse(&[
            Input {
                name: "c",
                text: CLUSTER,
            },
            Input {
                name: "p",
                text: policies,
            },
        ]);
        assert!(d.is_empty(), "{d:?}");
        m
    }

    const AND: &str = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: web}
      podSelector:
        matchLabels: {app: frontend}
";

    const OR: &str = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: web}
    - podSelector:
        matchLabels: {app: frontend}
";

    fn names(m: &Model, changes: &[FlowChange]) -> Vec<String> {
        let c = compile(m);
        changes
            .iter()
            .map(|f| {
                format!(
                    "{} -> {}",
                    c.endpoints()[f.from].name,
                    c.endpoints()[f.to].name
                )
            })
            .collect()
    }

    /// AND admits web/shop only; OR admits every pod of web plus app/frontend (API reference:
    /// items of `from` are ORed; selectors within one item are ANDed).
    #[test]
    fn split_and_gains_exactly_the_or_flows() {
        let m = model(AND);
        let vs = and_or_variants(&m);
        assert_eq!(vs.len(), 1);
        let v = &vs[0];
        assert_eq!(v.kind, VariantKind::SplitAnd { peer: 0 });
        assert_eq!(
            v.current_meaning,
            "AND: only pods labelled app=frontend in namespaces labelled team=web"
        );
        assert_eq!(v.variant_meaning, "OR: every pod in namespaces labelled team=web, plus pods labelled app=frontend in namespace app");
        let tcp80 = v
            .diff
            .ports
            .iter()
            .find(|p| p.port == PortProto::new(80, Protocol::Tcp))
            .expect("80/TCP is listed");
        assert_eq!(
            names(&m, &tcp80.gained),
            vec!["app/frontend -> app/api", "web/cms -> app/api"]
        );
        assert!(tcp80.lost.is_empty());
        // 5 pods: 25 flows, 2 changed.
        assert_eq!(tcp80.unchanged, 23);
        // The whole port range of every protocol is one range here.
        assert_eq!(v.diff.ports.len(), 3);
        assert_eq!(apply_variant_text(AND, v).as_deref(), Some(OR));
    }

    #[test]
    fn merge_or_loses_exactly_the_or_flows() {
        let m = model(OR);
        let vs = and_or_variants(&m);
        assert_eq!(vs.len(), 1);
        let v = &vs[0];
        assert_eq!(
            v.kind,
            VariantKind::MergeOr {
                namespace_peer: 0,
                pod_peer: 1
            }
        );
        let tcp = &v.diff.ports[0];
        assert_eq!(
            names(&m, &tcp.lost),
            vec!["app/frontend -> app/api", "web/cms -> app/api"]
        );
        assert!(tcp.gained.is_empty());
        assert_eq!(apply_variant_text(OR, v).as_deref(), Some(AND));
        assert_eq!(v.current_yaml, "- namespaceSelector:\n    matchLabels:\n      team: web\n- podSelector:\n    matchLabels:\n      app: frontend\n");
        assert_eq!(v.variant_yaml, "- namespaceSelector:\n    matchLabels:\n      team: web\n  podSelector:\n    matchLabels:\n      app: frontend\n");
    }

    #[test]
    fn variant_without_effect_is_listed() {
        // Only web/shop carries app=frontend in a team=web namespace and app has no frontend:
        // with a cluster where OR and AND select the same pods, the variant changes nothing.
        let cluster = "namespaces:\n  app:\n    pods: {api: app=api}\n  web:\n    labels: {team: web}\n    pods: {shop: app=frontend}\n";
        let (m, d) = parse(&[
            Input {
                name: "c",
                text: cluster,
            },
            Input {
                name: "p",
                text: AND,
            },
        ]);
        assert!(d.is_empty());
        let vs = and_or_variants(&m);
        assert_eq!(vs.len(), 1);
        assert!(vs[0].no_effect(), "{:?}", vs[0].diff);
    }

    /// ipBlock items take no part in AND/OR; the OR pair around one still merges, and the text
    /// edit moves the podSelector item up under the namespaceSelector item.
    #[test]
    fn ip_block_items_are_left_alone() {
        let text = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {team: web}
    - ipBlock:
        cidr: 10.0.0.0/8
    - podSelector:
        matchLabels: {app: frontend}
";
        let m = model(text);
        let vs = and_or_variants(&m);
        assert_eq!(vs.len(), 1);
        assert_eq!(
            vs[0].kind,
            VariantKind::MergeOr {
                namespace_peer: 0,
                pod_peer: 2
            }
        );
        // Every pod IP is inside 10.0.0.0/8, so the ipBlock item already admits every pod:
        // merging changes nothing on this cluster.
        assert!(vs[0].no_effect());
        let merged = apply_variant_text(text, &vs[0]).unwrap();
        assert!(merged.ends_with("    - namespaceSelector:\n        matchLabels: {team: web}\n      podSelector:\n        matchLabels: {app: frontend}\n    - ipBlock:\n        cidr: 10.0.0.0/8\n"), "{merged}");
        let (m2, d) = parse(&[
            Input {
                name: "c",
                text: CLUSTER,
            },
            Input {
                name: "p",
                text: &merged,
            },
        ]);
        assert!(d.is_empty());
        assert_eq!(
            m2.policies,
            vs[0]
                .policies
                .iter()
                .map(|p| NetworkPolicy {
                    span: m2.policies[0].span,
                    ..p.clone()
                })
                .collect::<Vec<_>>()
                .iter()
                .map(|p| strip_spans(p, &m2.policies[0]))
                .collect::<Vec<_>>()
        );
    }

    fn strip_spans(p: &NetworkPolicy, like: &NetworkPolicy) -> NetworkPolicy {
        // Spans differ after a text edit; compare everything else.
        let mut p = p.clone();
        for (r, l) in p.ingress.iter_mut().zip(&like.ingress) {
            r.span = l.span;
            for (x, y) in r.peers.iter_mut().zip(&l.peers) {
                x.span = y.span;
            }
        }
        p
    }

    /// When another policy already admits the OR reading's extra sources, splitting the AND item
    /// changes nothing: rules of all policies selecting a pod are ORed.
    #[test]
    fn several_policies_selecting_the_same_pod() {
        let text = format!("{AND}---\nkind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {{name: all-from-app-and-web, namespace: app}}\nspec:\n  podSelector: {{matchLabels: {{app: api}}}}\n  ingress:\n  - from:\n    - podSelector: {{}}\n    - namespaceSelector: {{matchLabels: {{team: web}}}}\n");
        let m = model(&text);
        let vs = and_or_variants(&m);
        // The AND split in the first policy, and the OR merge in the second.
        assert_eq!(vs.len(), 2);
        assert!(vs[0].no_effect());
        // Merged, the second policy's item is "every pod in namespaces labelled team=web": web
        // pods stay admitted, the pods of app (podSelector {} alone) are lost.
        let lost: Vec<String> = vs[1]
            .diff
            .ports
            .iter()
            .filter(|p| p.port.port == 80 && p.port.protocol == Protocol::Tcp)
            .flat_map(|p| names(&m, &p.lost))
            .collect();
        assert_eq!(lost, vec!["app/db -> app/api", "app/frontend -> app/api"]);
    }

    /// Label values that plain YAML would read as something else (`01` as the integer 1, `yes`
    /// as true, the empty string as null) are quoted in both fragments.
    #[test]
    fn fragments_quote_values_that_plain_yaml_would_change() {
        let text = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels: {env: \"yes\", team: \"\"}
      podSelector:
        matchLabels: {tier: \"01\"}
";
        let vs = and_or_variants(&model(text));
        assert_eq!(vs.len(), 1);
        assert_eq!(
            vs[0].current_yaml,
            "\
- namespaceSelector:
    matchLabels:
      env: \"yes\"
      team: \"\"
  podSelector:
    matchLabels:
      tier: \"01\"
"
        );
        assert_eq!(
            vs[0].variant_yaml,
            "\
- namespaceSelector:
    matchLabels:
      env: \"yes\"
      team: \"\"
- podSelector:
    matchLabels:
      tier: \"01\"
"
        );
    }

    /// The merges alone are the `MergeOr` variants of all variants, in the same order.
    #[test]
    fn merge_variants_are_the_merges_of_all_variants() {
        let text = format!("{AND}---\n{}", OR.replace("name: api", "name: api-or"));
        let m = model(&text);
        let all = and_or_variants(&m);
        assert_eq!(all.len(), 2);
        let merges: Vec<Variant> = all
            .into_iter()
            .filter(|v| matches!(v.kind, VariantKind::MergeOr { .. }))
            .collect();
        assert_eq!(merge_variants(&m), merges);
    }
}
