//! Tests of the item variants (AND → OR splits, OR → AND merges) and of their text edits.

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
    model_of(CLUSTER, policies)
}

/// The model of a cluster and policies that parse without diagnostics.
fn model_of(cluster: &str, policies: &str) -> Model {
    let (m, d) = parse(&[
        Input {
            name: "c",
            text: cluster,
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
    let c = compile(m.clone());
    changes
        .iter()
        .map(|f| {
            format!(
                "{} -> {}",
                c.endpoints()[f.from.index()].name,
                c.endpoints()[f.to.index()].name
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
    let vs = and_or_variants(&model_of(cluster, AND));
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
            .policies(&m)
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

/// A variant's flows, asked for one variant at a time: the same ranges and flows as its
/// `Diff`, and each flow lost on several ranges (here every protocol: the rule names no port)
/// counted once among the distinct lost flows.
#[test]
fn variant_flows_list_each_range_and_lose_each_flow_once() {
    let m = model(OR);
    let c = compile(m.clone());
    let variants = AndOr::new(&c);
    assert_eq!(variants.sites().len(), 1);
    let flows = variants.flows(0);
    assert!(!flows.is_empty());
    let counts: Vec<(Protocol, usize, usize, usize)> = flows
        .ports()
        .iter()
        .map(|p| (p.port.protocol, p.gained, p.lost, p.unchanged))
        .collect();
    assert_eq!(
        counts,
        [
            (Protocol::Tcp, 0, 2, 23),
            (Protocol::Udp, 0, 2, 23),
            (Protocol::Sctp, 0, 2, 23)
        ]
    );
    assert_eq!(flows.to_diff(), and_or_variants(&m)[0].diff);
    let name = |e: usize| c.endpoints()[e].name.clone();
    let mut lost = Vec::new();
    flows
        .lost_flows()
        .for_each(|from, to| lost.push(format!("{} -> {}", name(from), name(to))));
    lost.sort();
    assert_eq!(lost, ["app/frontend -> app/api", "web/cms -> app/api"]);
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
    assert_eq!(AndOr::merges(&compile(m.clone())).into_variants(), merges);
}

mod applies;
mod merge_rules;
