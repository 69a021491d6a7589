//! Real manifests in the playground: files dropped onto an editor, workloads with kind badges,
//! policies and workloads in either editor, the "Group replicas" toggle. Expected verdicts come
//! from the Kubernetes API reference: a NetworkPolicy selecting `app=web` with one ingress rule
//! `from: podSelector app=client` on 8080/TCP isolates web for ingress and admits only client.

use super::super::{join_files, view_model, Editor, Event, Saved, State};
use super::{run, state, verdict};

const WORKLOADS: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
        ports:
        - containerPort: 8080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: client
  namespace: shop
spec:
  selector:
    matchLabels: {app: client}
  template:
    metadata:
      labels: {app: client}
    spec:
      containers:
      - {name: c, image: busybox}
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
  namespace: shop
spec:
  serviceName: db
  selector:
    matchLabels: {app: db}
  template:
    metadata:
      labels: {app: db}
    spec:
      containers:
      - {name: db, image: postgres}
";

const POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-client
  namespace: shop
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
  - from:
    - podSelector:
        matchLabels: {app: client}
    ports:
    - {protocol: TCP, port: 8080}
";

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect()
}

/// The verdicts of the flows into `shop/web` on 8080/TCP, and the workload headers' kinds.
fn check_shop(s: &State) {
    let vm = view_model(s);
    assert_eq!(vm.error_count, 0, "{:?}", vm.diagnostics);
    let m = vm.matrix.as_ref().expect("a matrix");
    assert_eq!(m.port_label, "8080/TCP");
    let kinds: Vec<(&str, &str, Option<&str>)> = m
        .headers
        .iter()
        .map(|h| (h.name.as_str(), h.kind, h.badge))
        .collect();
    for want in [
        ("shop/web", "Deployment", Some("Deploy")),
        ("shop/client", "Deployment", Some("Deploy")),
        ("shop/db", "StatefulSet", Some("STS")),
    ] {
        assert!(kinds.contains(&want), "{want:?} in {kinds:?}");
    }
    assert_eq!(verdict(&vm, "shop/client", "shop/web"), "allow");
    assert_eq!(verdict(&vm, "shop/db", "shop/web"), "deny");
    // Nothing selects client: it is not isolated.
    assert_eq!(verdict(&vm, "shop/web", "shop/client"), "allow");
}

#[test]
fn dropped_files_load_into_one_editor_each() {
    let mut s = state();
    run(
        &mut s,
        [
            Event::LoadFiles(Editor::Cluster, files(&[("web.yaml", WORKLOADS)])),
            Event::LoadFiles(Editor::Policies, files(&[("policy.yaml", POLICY)])),
        ],
    );
    assert!(s
        .cluster
        .starts_with("# Source: web.yaml\napiVersion: apps/v1\n"));
    check_shop(&s);
}

#[test]
fn a_mixed_drop_works_in_either_editor() {
    for editor in [Editor::Policies, Editor::Cluster] {
        let mut s = state();
        let both = files(&[("policy.yaml", POLICY), ("web.yaml", WORKLOADS)]);
        let other = match editor {
            Editor::Policies => Editor::Cluster,
            Editor::Cluster => Editor::Policies,
        };
        run(
            &mut s,
            [
                Event::Edit(other, String::new()),
                Event::LoadFiles(editor, both.clone()),
            ],
        );
        assert_eq!(s.text(editor), join_files(&both));
        check_shop(&s);
    }
}

#[test]
fn files_that_are_not_manifests_change_nothing() {
    let mut s = state();
    let before = s.policies.clone();
    run(
        &mut s,
        [Event::LoadFiles(
            Editor::Policies,
            files(&[("notes.txt", "hello")]),
        )],
    );
    assert_eq!(s.policies, before);
}

#[test]
fn pod_headers_have_no_badge() {
    let s = state();
    let vm = view_model(&s);
    let m = vm.matrix.as_ref().expect("a matrix");
    for h in &m.headers {
        assert_eq!(h.badge, None, "{}", h.name);
        assert!(["Pod", "External", "Node"].contains(&h.kind), "{}", h.kind);
    }
}

/// Two replicas of the Deployment `web` (ReplicaSet `web-7d9f8c6b5`), as `kubectl get pods -o
/// yaml` prints them.
const REPLICAS: &str = "\
apiVersion: v1
kind: PodList
items:
- metadata:
    name: web-7d9f8c6b5-x2x7k
    namespace: shop
    labels: {app: web, pod-template-hash: 7d9f8c6b5}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f8c6b5, uid: u1, controller: true}
  spec: {containers: [{name: c, image: web, ports: [{containerPort: 8080}]}]}
- metadata:
    name: web-7d9f8c6b5-b8c9d
    namespace: shop
    labels: {app: web, pod-template-hash: 7d9f8c6b5}
    ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9f8c6b5, uid: u1, controller: true}
  spec: {containers: [{name: c, image: web, ports: [{containerPort: 8080}]}]}
";

fn endpoint_names(s: &State) -> Vec<String> {
    let vm = view_model(s);
    let m = vm.matrix.as_ref().expect("a matrix");
    m.headers.iter().map(|h| h.name.clone()).collect()
}

#[test]
fn group_replicas_toggle_groups_and_persists() {
    let mut s = state();
    run(
        &mut s,
        [
            Event::Edit(Editor::Policies, String::new()),
            Event::Edit(Editor::Cluster, REPLICAS.into()),
        ],
    );
    // Every replica is its own endpoint (the matrix lists them by name).
    assert_eq!(
        endpoint_names(&s),
        ["shop/web-7d9f8c6b5-b8c9d", "shop/web-7d9f8c6b5-x2x7k"]
    );
    run(&mut s, [Event::GroupReplicas(true)]);
    assert_eq!(endpoint_names(&s), ["shop/web"]);
    let saved: Saved = s.saved();
    assert!(saved.group_replicas);
    let restored = State::restore(netpol_examples::all(), Some(saved));
    assert!(restored.group_replicas);
    assert_eq!(endpoint_names(&restored), ["shop/web"]);
    run(&mut s, [Event::GroupReplicas(false)]);
    assert_eq!(endpoint_names(&s).len(), 2);
    // Older saved work has no toggle: off.
    let old: Saved = serde_json::from_str(
        r#"{"policies":"","cluster":"","example":"default","port":"","view":"Matrix"}"#,
    )
    .unwrap();
    assert!(!old.group_replicas);
}
