//! Natural order of endpoint names (issue 14): `p-0-2` before `p-0-10` in the matrix, the graph
//! and the policies list, while every verdict stays the engine's.

use super::{run, state, verdict};
use crate::app::{update, view_model, Editor, Event, View};
use netpol_engine::{compile, parse, Input, PortProto};

const CLUSTER: &str = "\
namespaces:
  ns-10:
    pods:
      p-0-1: app=x
  ns-2:
    pods:
      p-0-10: app=x
      p-0-2: app=db ports=5432
      p-0-1: app=x
";

/// Only ns-2/p-0-10 may reach the database.
const POLICIES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: ns-2}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: x}}
      namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: ns-2}}
";

#[test]
fn endpoints_are_listed_in_natural_order_and_keep_their_verdicts() {
    let mut s = state();
    run(
        &mut s,
        [
            Event::Edit(Editor::Cluster, CLUSTER.into()),
            Event::Edit(Editor::Policies, POLICIES.into()),
            Event::SelectPort("5432/TCP".into()),
        ],
    );
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().expect("a matrix");
    let names: Vec<&str> = m.headers.iter().map(|h| h.name.as_str()).collect();
    let natural = ["ns-2/p-0-1", "ns-2/p-0-2", "ns-2/p-0-10", "ns-10/p-0-1"];
    assert_eq!(names, natural);
    let groups: Vec<(&str, usize)> = m.groups.iter().map(|g| (g.label.as_str(), g.len)).collect();
    assert_eq!(groups, [("ns-2", 3), ("ns-10", 1)]);

    // Every cell is the engine's verdict for the flow of that name (the engine's own order is
    // bytewise, as the CLI prints it).
    let (model, _) = parse(&[
        Input {
            name: "policies",
            text: POLICIES,
        },
        Input {
            name: "cluster",
            text: CLUSTER,
        },
    ]);
    let c = compile(&model);
    let engine: Vec<&str> = c.endpoints().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        engine,
        ["ns-10/p-0-1", "ns-2/p-0-1", "ns-2/p-0-10", "ns-2/p-0-2"]
    );
    let pm = c.matrix(PortProto::parse("5432/TCP").unwrap());
    for (a, from) in engine.iter().enumerate() {
        for (b, to) in engine.iter().enumerate() {
            let want = if pm.cell(a, b) == netpol_engine::Cell::Allowed {
                "allow"
            } else {
                "deny"
            };
            assert_eq!(verdict(&vm, from, to), want, "{from} → {to}");
        }
    }
    assert_eq!(verdict(&vm, "ns-10/p-0-1", "ns-2/p-0-2"), "deny");
    assert_eq!(verdict(&vm, "ns-2/p-0-10", "ns-2/p-0-2"), "allow");

    // The Why? panel explains the flow it was asked about.
    update(
        &mut s,
        Event::SelectFlow {
            from: "ns-2/p-0-10".into(),
            to: "ns-2/p-0-2".into(),
        },
    );
    let why = view_model(&s).explanation.expect("an explanation");
    assert!(
        why.headline.starts_with("ns-2/p-0-10 → ns-2/p-0-2"),
        "{}",
        why.headline
    );
    assert_eq!(why.verdict.verdict(), "allow");

    // The policies list and the graph use the same order.
    let vm = view_model(&s);
    assert_eq!(vm.policy_list[0].selects, ["ns-2/p-0-2"]);
    update(&mut s, Event::SelectView(View::Graph));
    let g = view_model(&s).graph.expect("a graph");
    let nodes: Vec<&str> = g.nodes.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(nodes, natural);
}
