//! Natural order of endpoint names (issue 14): `p-0-2` before `p-0-10` in the matrix, the graph
//! and the policies list, while every verdict stays the engine's; and the namespace-level graph
//! past `MAX_POD_GRAPH` endpoints.

use super::{run, state, verdict};
use crate::app::{update, view_model, Editor, Event, View, MAX_POD_GRAPH};
use netpol_engine::{compile, parse, EndpointId, Input, PortProto};

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
    let c = compile(model);
    let engine: Vec<&str> = c.endpoints().iter().map(|e| e.name.as_str()).collect();
    assert_eq!(
        engine,
        ["ns-10/p-0-1", "ns-2/p-0-1", "ns-2/p-0-10", "ns-2/p-0-2"]
    );
    let pm = c.matrix(PortProto::parse("5432/TCP").unwrap());
    for (a, from) in engine.iter().enumerate() {
        for (b, to) in engine.iter().enumerate() {
            let want = if pm.cell(EndpointId(a), EndpointId(b)) == netpol_engine::Cell::Allowed {
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

/// `pods` pods `p-0` … in each of the namespaces `web`, `db`, `batch`.
fn big_cluster(pods: usize) -> String {
    let mut s = String::from("namespaces:\n");
    for ns in ["web", "db", "batch"] {
        s.push_str(&format!("  {ns}:\n    pods:\n"));
        for i in 0..pods {
            s.push_str(&format!("      p-{i}: app={ns}\n"));
        }
    }
    s
}

/// The namespace `db` accepts only the namespace `web`.
const DB_FROM_WEB: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: from-web, namespace: db}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: web}}
";

fn graph_of(cluster: String) -> crate::app::GraphVm {
    let mut s = state();
    run(
        &mut s,
        [
            Event::Edit(Editor::Cluster, cluster),
            Event::Edit(Editor::Policies, DB_FROM_WEB.into()),
            Event::SelectPort("80/TCP".into()),
            Event::SelectView(View::Graph),
        ],
    );
    let g = view_model(&s).graph.expect("a graph");
    (*g).clone()
}

#[test]
fn past_thirty_endpoints_the_graph_shows_namespaces_with_counts() {
    // 30 endpoints: still one node per pod.
    let small = graph_of(big_cluster(10));
    assert_eq!(MAX_POD_GRAPH, 30);
    assert_eq!((small.nodes.len(), small.summary.is_none()), (30, true));

    // 36: one node per namespace, in natural order (`batch`, `db`, `web`).
    let g = graph_of(big_cluster(12));
    assert!(g.summary.is_some());
    let nodes: Vec<&str> = g.nodes.iter().map(|n| n.short.as_str()).collect();
    assert_eq!(nodes, ["batch · 12 pods", "db · 12 pods", "web · 12 pods"]);
    let name = |i: usize| {
        g.nodes
            .iter()
            .find(|n| n.index == i)
            .map(|n| n.name.as_str())
    };
    let edge = |from: &str, to: &str| {
        g.edges
            .iter()
            .find(|e| name(e.from) == Some(from) && name(e.to) == Some(to))
    };
    // Into db only from web, every one of the 144 flows; batch → db has no arrow.
    let web_db = edge("web", "db").expect("web → db");
    assert!(
        web_db
            .title
            .starts_with("namespace web → namespace db: 144 of 144 flows allowed"),
        "{}",
        web_db.title
    );
    assert!(!web_db.partial);
    assert_eq!(web_db.flow, ("web/p-0".to_string(), "db/p-0".to_string()));
    assert!(edge("batch", "db").is_none());
    assert!(edge("db", "batch").is_some(), "db's egress is not isolated");
    // The nodes are numbered after the endpoints: endpoint highlights never pick one.
    assert!(g.nodes.iter().all(|n| n.index >= 36));
}
