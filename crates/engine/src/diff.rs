//! The exact flow-level difference between two policy sets on one cluster, and the AND↔OR
//! variants of `from`/`to` items that make the most common NetworkPolicy bug visible.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;

use crate::eval::{compile, Compiled, Matrix};
use crate::explain::Explanation;
use crate::model::{
    LabelSelector, Model, NetworkPolicy, NetworkPolicyPeer, PolicyType, PortProto, Protocol, Span,
};
use crate::selector::describe_selector;

/// One flow whose verdict differs, with both explanations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FlowChange {
    pub from: usize,
    pub to: usize,
    /// The explanations before and after; `None` when the diff was computed without them (the
    /// AND/OR variants: ask [`Compiled::explain`] on demand).
    pub before: Option<Explanation>,
    pub after: Option<Explanation>,
}

/// The difference for one range of ports of one protocol (verdicts are constant inside it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortDiff {
    /// The port to show for the range: a port that matters inside it, else its first port.
    pub port: PortProto,
    /// The range, inclusive: every port in it has the same changes.
    pub first: u16,
    pub last: u16,
    /// Flows denied before and allowed after.
    pub gained: Vec<FlowChange>,
    /// Flows allowed before and denied after.
    pub lost: Vec<FlowChange>,
    /// Cluster flows with the same verdict before and after.
    pub unchanged: usize,
}

/// The difference between two policy sets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// Every port range that changes, and every port that matters (see
    /// [`Compiled::ports_that_matter`]) even when it does not change.
    pub ports: Vec<PortDiff>,
}

impl Diff {
    /// True when the two policy sets allow exactly the same flows on this cluster.
    pub fn is_empty(&self) -> bool {
        self.ports
            .iter()
            .all(|p| p.gained.is_empty() && p.lost.is_empty())
    }

    /// Total number of (flow, port range) changes.
    pub fn changed(&self) -> usize {
        self.ports
            .iter()
            .map(|p| p.gained.len() + p.lost.len())
            .sum()
    }
}

/// The flow-level difference between `before` and `after` on the cluster of `cluster` (its
/// policies are ignored). Exact over all 65535 ports of every protocol: each range within which
/// neither set's verdicts can change is compared once.
pub fn diff(cluster: &Model, before: &[NetworkPolicy], after: &[NetworkPolicy]) -> Diff {
    let with = |policies: &[NetworkPolicy]| Model {
        policies: policies.to_vec(),
        ..cluster.clone()
    };
    let (mb, ma) = (with(before), with(after));
    diff_models(&compile(&mb), &compile(&ma))
}

/// [`diff`] for two compiled models of the same cluster.
pub fn diff_models(b: &Compiled<'_>, a: &Compiled<'_>) -> Diff {
    diff_compiled(b, a, true, &mut HashMap::new())
}

/// The diff, with or without the explanations of each changed flow.
///
/// `b_matrices` caches the matrices of `b` by port, for callers that diff `b` against many
/// variants.
pub(crate) fn diff_compiled(
    b: &Compiled<'_>,
    a: &Compiled<'_>,
    explain: bool,
    b_matrices: &mut HashMap<PortProto, Matrix>,
) -> Diff {
    let mut matter: BTreeSet<PortProto> = b.ports_that_matter().into_iter().collect();
    matter.extend(a.ports_that_matter());
    let n = b.endpoints().len();
    let mut out = Diff::default();
    for protocol in Protocol::ALL {
        let mut cuts: BTreeSet<u16> = b.breakpoints(protocol).into_iter().collect();
        cuts.extend(a.breakpoints(protocol));
        let cuts: Vec<u16> = cuts.into_iter().collect();
        for (i, &lo) in cuts.iter().enumerate() {
            let hi = cuts.get(i + 1).map_or(u16::MAX, |next| next - 1);
            let matters = matter
                .iter()
                .find(|m| m.protocol == protocol && lo <= m.port && m.port <= hi);
            // Verdicts are the same on every port of the range; show a port that matters.
            let pp = matters.copied().unwrap_or(PortProto::new(lo, protocol));
            let mb = b_matrices.entry(pp).or_insert_with(|| b.matrix(pp));
            let ma = a.matrix(pp);
            let mut d = PortDiff {
                port: pp,
                first: lo,
                last: hi,
                gained: vec![],
                lost: vec![],
                unchanged: 0,
            };
            // Only the bits that differ cost anything; the rest are counted.
            let is_pod = |e: usize| b.endpoints()[e].is_pod();
            let externals = (0..n).filter(|&e| !is_pod(e)).count();
            let mut changed = 0;
            for s in 0..n {
                if mb.rows[s] == ma.rows[s] {
                    continue;
                }
                for (w, (x, y)) in mb.rows[s].0.iter().zip(&ma.rows[s].0).enumerate() {
                    let mut bits = x ^ y;
                    while bits != 0 {
                        let t = w * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if !is_pod(s) && !is_pod(t) {
                            continue;
                        }
                        changed += 1;
                        if ma.rows[s].get(t) {
                            d.gained.push(change(b, a, s, t, pp, explain));
                        } else {
                            d.lost.push(change(b, a, s, t, pp, explain));
                        }
                    }
                }
            }
            d.unchanged = n * n - externals * externals - changed;
            if !d.gained.is_empty() || !d.lost.is_empty() || matters.is_some() {
                out.ports.push(d);
            }
        }
    }
    out
}

fn change(
    b: &Compiled<'_>,
    a: &Compiled<'_>,
    s: usize,
    t: usize,
    pp: PortProto,
    explain: bool,
) -> FlowChange {
    FlowChange {
        from: s,
        to: t,
        before: explain.then(|| b.explain(s, t, pp)),
        after: explain.then(|| a.explain(s, t, pp)),
    }
}

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

fn selector_yaml(out: &mut String, indent: usize, sel: &LabelSelector) {
    let pad = " ".repeat(indent);
    if sel.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push('\n');
    if !sel.match_labels.is_empty() {
        out.push_str(&format!("{pad}matchLabels:\n"));
        for (k, v) in &sel.match_labels {
            out.push_str(&format!("{pad}  {k}: {v}\n"));
        }
    }
    if !sel.match_expressions.is_empty() {
        out.push_str(&format!("{pad}matchExpressions:\n"));
        for r in &sel.match_expressions {
            out.push_str(&format!(
                "{pad}- key: {}\n{pad}  operator: {:?}\n",
                r.key, r.operator
            ));
            if !r.values.is_empty() {
                out.push_str(&format!("{pad}  values: [{}]\n", r.values.join(", ")));
            }
        }
    }
}

/// A `from`/`to` list fragment: each entry is (namespaceSelector, podSelector).
fn items_yaml(items: &[(Option<&LabelSelector>, Option<&LabelSelector>)]) -> String {
    let mut out = String::new();
    for (ns, pod) in items {
        let mut first = true;
        for (key, sel) in [("namespaceSelector", ns), ("podSelector", pod)] {
            if let Some(sel) = sel {
                out.push_str(if first { "- " } else { "  " });
                out.push_str(key);
                out.push(':');
                selector_yaml(&mut out, 4, sel);
                first = false;
            }
        }
    }
    out
}

/// Every place in `model`'s policies where the AND/OR reading matters, each with the policy set
/// that has just that change and the flow diff it causes. Variants without effect are listed too.
pub fn and_or_variants(model: &Model) -> Vec<Variant> {
    variants_of(model, true, true)
}

/// The AND→OR splits (`splits`) and/or the OR→AND merges (`merges`) of [`and_or_variants`].
pub(crate) fn variants_of(model: &Model, splits: bool, merges: bool) -> Vec<Variant> {
    let current = compile(model);
    let mut cache = HashMap::new();
    let mut out = Vec::new();
    for (pi, policy) in model.policies.iter().enumerate() {
        for dir in [PolicyType::Ingress, PolicyType::Egress] {
            if !policy.affects(dir) {
                continue;
            }
            for (ri, rule) in policy.rules(dir).iter().enumerate() {
                for (k, peer) in rule.peers.iter().enumerate().filter(|_| splits) {
                    if let (Some(ns), Some(pod), None) =
                        (&peer.namespace_selector, &peer.pod_selector, &peer.ip_block)
                    {
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
                        let mut policies = model.policies.clone();
                        let rules = rules_mut(&mut policies[pi], dir);
                        rules[ri].peers.splice(k..=k, split);
                        out.push(variant(
                            model,
                            &current,
                            &mut cache,
                            pi,
                            dir,
                            ri,
                            VariantKind::SplitAnd { peer: k },
                            vec![peer.span],
                            policies,
                            |_| {
                                (
                                    items_yaml(&[(Some(ns), Some(pod))]),
                                    items_yaml(&[(Some(ns), None), (None, Some(pod))]),
                                    and_meaning(ns, pod),
                                    or_meaning(ns, pod, &policy.namespace),
                                )
                            },
                        ));
                    }
                }
                let only_ns: Vec<usize> = (0..rule.peers.len())
                    .filter(|&k| {
                        rule.peers[k].namespace_selector.is_some()
                            && rule.peers[k].pod_selector.is_none()
                            && rule.peers[k].ip_block.is_none()
                    })
                    .collect();
                let only_pod: Vec<usize> = (0..rule.peers.len())
                    .filter(|&k| {
                        rule.peers[k].pod_selector.is_some()
                            && rule.peers[k].namespace_selector.is_none()
                            && rule.peers[k].ip_block.is_none()
                    })
                    .collect();
                for &a in only_ns.iter().filter(|_| merges) {
                    for &b in &only_pod {
                        let ns = rule.peers[a].namespace_selector.as_ref().expect("filtered");
                        let pod = rule.peers[b].pod_selector.as_ref().expect("filtered");
                        let merged = NetworkPolicyPeer {
                            namespace_selector: Some(ns.clone()),
                            pod_selector: Some(pod.clone()),
                            ip_block: None,
                            span: rule.peers[a.min(b)].span,
                        };
                        let mut policies = model.policies.clone();
                        let rules = rules_mut(&mut policies[pi], dir);
                        rules[ri].peers[a.min(b)] = merged;
                        rules[ri].peers.remove(a.max(b));
                        let spans = vec![rule.peers[a].span, rule.peers[b].span];
                        out.push(variant(
                            model,
                            &current,
                            &mut cache,
                            pi,
                            dir,
                            ri,
                            VariantKind::MergeOr {
                                namespace_peer: a,
                                pod_peer: b,
                            },
                            spans,
                            policies,
                            |_| {
                                let (first, second) = if a < b {
                                    ((Some(ns), None), (None, Some(pod)))
                                } else {
                                    ((None, Some(pod)), (Some(ns), None))
                                };
                                (
                                    items_yaml(&[first, second]),
                                    items_yaml(&[(Some(ns), Some(pod))]),
                                    or_meaning(ns, pod, &policy.namespace),
                                    and_meaning(ns, pod),
                                )
                            },
                        ));
                    }
                }
            }
        }
    }
    out
}

fn rules_mut(p: &mut NetworkPolicy, dir: PolicyType) -> &mut Vec<crate::model::Rule> {
    match dir {
        PolicyType::Ingress => &mut p.ingress,
        PolicyType::Egress => &mut p.egress,
    }
}

type Texts = (String, String, String, String);

#[allow(clippy::too_many_arguments)]
fn variant(
    model: &Model,
    current: &Compiled<'_>,
    cache: &mut HashMap<PortProto, Matrix>,
    policy: usize,
    direction: PolicyType,
    rule: usize,
    kind: VariantKind,
    spans: Vec<Span>,
    policies: Vec<NetworkPolicy>,
    texts: impl FnOnce(()) -> Texts,
) -> Variant {
    let changed = Model {
        policies: policies.clone(),
        ..model.clone()
    };
    let diff = diff_compiled(current, &compile(&changed), false, cache);
    let (current_yaml, variant_yaml, current_meaning, variant_meaning) = texts(());
    Variant {
        policy,
        policy_id: model.policies[policy].id(),
        direction,
        rule,
        kind,
        spans,
        current_yaml,
        variant_yaml,
        current_meaning,
        variant_meaning,
        policies,
        diff,
    }
}

/// Applies a variant to the policies text it was computed from, keeping everything else as
/// written. Works for block-style items (`- namespaceSelector: ...` on their own lines); returns
/// `None` when the items are written in another style.
pub fn apply_variant_text(text: &str, v: &Variant) -> Option<String> {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    // The line index and the column (0-based) of an item's content, after its dash.
    let at = |s: &Span| -> Option<(usize, usize)> {
        let (l, c) = (
            (s.line as usize).checked_sub(1)?,
            (s.col as usize).checked_sub(1)?,
        );
        let line = lines.get(l)?;
        (c >= 2 && line.get(c - 2..c) == Some("- ") && !line[c..].starts_with('{'))
            .then_some((l, c))
    };
    // The lines of an item: from its dash line to the last line indented deeper than the dash.
    let extent = |lines: &[String], l: usize, c: usize| -> usize {
        let mut end = l;
        for (i, line) in lines.iter().enumerate().skip(l + 1) {
            let t = line.trim_start();
            if t.is_empty() || t.starts_with('#') {
                continue;
            }
            if line.len() - t.len() < c {
                break;
            }
            end = i;
        }
        end
    };
    match v.kind {
        VariantKind::SplitAnd { .. } => {
            let (l, c) = at(v.spans.first()?)?;
            let end = extent(&lines, l, c);
            // The second key of the item, at the item's column, becomes an item of its own.
            let second = (l + 1..=end).find(|&i| {
                let line = &lines[i];
                line.get(..c).is_some_and(|p| p.trim().is_empty())
                    && line
                        .get(c..)
                        .is_some_and(|r| !r.is_empty() && !r.starts_with([' ', '#']))
            })?;
            lines[second].replace_range(c - 2..c, "- ");
        }
        VariantKind::MergeOr { .. } => {
            let (first, second) = {
                let (a, b) = (at(v.spans.first()?)?, at(v.spans.get(1)?)?);
                if a.0 < b.0 {
                    (a, b)
                } else {
                    (b, a)
                }
            };
            if first.1 != second.1 {
                return None;
            }
            let c = second.1;
            let end = extent(&lines, second.0, c);
            let mut moved: Vec<String> = lines.drain(second.0..=end).collect();
            moved[0].replace_range(c - 2..c, "  ");
            let first_end = extent(&lines, first.0, c);
            for (k, line) in moved.into_iter().enumerate() {
                lines.insert(first_end + 1 + k, line);
            }
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
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

    #[test]
    fn diff_of_identical_sets_is_empty_and_counts_flows() {
        let m = model(AND);
        let d = diff(&m, &m.policies, &m.policies);
        assert!(d.is_empty());
        // No port is named anywhere, so 80/TCP is the one port that matters.
        assert_eq!(d.ports.len(), 1);
        assert_eq!(d.ports[0].port, PortProto::new(80, Protocol::Tcp));
        assert_eq!(d.ports[0].unchanged, 25);
    }

    #[test]
    fn diff_reports_port_ranges() {
        let m = model(AND);
        let mut after = m.policies.clone();
        after[0].ingress[0]
            .ports
            .push(crate::model::NetworkPolicyPort {
                protocol: Protocol::Tcp,
                port: Some(crate::model::PortRef::Number(8000)),
                end_port: Some(8100),
                span: Span::default(),
            });
        let d = diff(&m, &m.policies, &after);
        // Before: web/shop may reach api on every port of every protocol; after: only TCP
        // 8000-8100.
        let lost: Vec<(Protocol, u16, u16, usize)> = d
            .ports
            .iter()
            .filter(|p| !p.lost.is_empty())
            .map(|p| (p.port.protocol, p.first, p.last, p.lost.len()))
            .collect();
        use Protocol::*;
        assert_eq!(
            lost,
            vec![
                (Tcp, 1, 7999, 1),
                (Tcp, 8101, 65535, 1),
                (Udp, 1, 65535, 1),
                (Sctp, 1, 65535, 1)
            ]
        );
        assert!(d.ports.iter().all(|p| p.gained.is_empty()));
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
}
