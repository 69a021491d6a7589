//! The `netpol` binary on real application manifests: a microservices demo (Deployments, a
//! StatefulSet, Services, ConfigMaps and NetworkPolicies in `tests/data/microservices/`) and the
//! replicas `kubectl get pods -o yaml` prints (`tests/data/replicas.yaml`).
//!
//! Expected flows are derived by hand from the manifests and the NetworkPolicy semantics (noted
//! at each test), never from the program's output.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use serde_json::{json, Value};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `netpol ARGS` in `tests/data`.
fn netpol(args: &[&str]) -> Run {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let out = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(data)
        .output()
        .expect("the netpol binary runs");
    Run {
        code: out.status.code().expect("netpol exits normally"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// The demo's files, as `netpol connectivity microservices/*.yaml` gets them from the shell.
const DEMO: [&str; 8] = [
    "microservices/cartservice.yaml",
    "microservices/checkoutservice.yaml",
    "microservices/frontend.yaml",
    "microservices/loadgenerator.yaml",
    "microservices/namespace.yaml",
    "microservices/network-policies.yaml",
    "microservices/productcatalogservice.yaml",
    "microservices/redis-cart.yaml",
];

fn with_demo<'a>(before: &[&'a str], after: &[&'a str]) -> Vec<&'a str> {
    let mut args = before.to_vec();
    args.extend(DEMO);
    args.extend(after);
    args
}

const WORKLOADS: [(&str, &str); 6] = [
    ("boutique/cartservice", "Deployment"),
    ("boutique/checkoutservice", "Deployment"),
    ("boutique/frontend", "Deployment"),
    ("boutique/loadgenerator", "Deployment"),
    ("boutique/productcatalogservice", "Deployment"),
    ("boutique/redis-cart", "StatefulSet"),
];

fn kind(name: &str) -> &'static str {
    WORKLOADS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("a workload")
        .1
}

/// The flows between different workloads, by hand: `default-deny-ingress` isolates every
/// workload of `boutique` for ingress, and nothing isolates egress. Then each service's policy
/// admits: frontend from anyone on its port `http` (8080); cartservice from frontend and
/// checkoutservice on 7070/TCP; productcatalogservice from the same two on `grpc` (3550);
/// checkoutservice from frontend on `grpc` (5050); redis-cart from cartservice on `redis` (6379).
fn demo_flows() -> BTreeSet<String> {
    let mut flows = Vec::new();
    for (from, _) in WORKLOADS {
        if from != "boutique/frontend" {
            flows.push((from, "boutique/frontend", 8080));
        }
    }
    for from in ["boutique/frontend", "boutique/checkoutservice"] {
        flows.push((from, "boutique/cartservice", 7070));
        flows.push((from, "boutique/productcatalogservice", 3550));
    }
    flows.push(("boutique/frontend", "boutique/checkoutservice", 5050));
    flows.push(("boutique/cartservice", "boutique/redis-cart", 6379));
    flows
        .into_iter()
        .map(|(from, to, port)| {
            json!({"from": from, "to": to, "protocol": "TCP", "ports": [[port, port]],
                   "from_kind": kind(from), "to_kind": kind(to)})
            .to_string()
        })
        .collect()
}

fn items(stdout: &str) -> Vec<Value> {
    let v: Value = serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}:\n{stdout}"));
    v.as_array().expect("a list").clone()
}

#[test]
fn microservices_connectivity_names_each_workload() {
    let r = netpol(&with_demo(&["connectivity"], &["--format", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Services, ConfigMaps and the ServiceAccount are summarised once per file, as infos.
    let notes: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(notes.len(), 6, "{}", r.stderr);
    assert!(
        notes.iter().all(|l| l.contains(": info: skipped ")),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("microservices/frontend.yaml:3:7: info: skipped 2 objects that do not affect flows: 1 ServiceAccount, 1 Service"),
        "{}",
        r.stderr
    );
    let items = items(&r.stdout);
    // A pod always reaches itself: every workload on every protocol, on all ports.
    let mut want = demo_flows();
    for (name, k) in WORKLOADS {
        for protocol in ["SCTP", "TCP", "UDP"] {
            want.insert(
                json!({"from": name, "to": name, "protocol": protocol, "ports": [[1, 65535]],
                       "from_kind": k, "to_kind": k})
                .to_string(),
            );
        }
    }
    let got: BTreeSet<String> = items.iter().map(Value::to_string).collect();
    assert_eq!(got, want);
    // The documented fields keep their order; the kinds come after them.
    assert!(
        r.stdout.starts_with(
            "[\n  {\"from\": \"boutique/cartservice\", \"to\": \"boutique/cartservice\", \"protocol\": \"SCTP\", \"ports\": [[1, 65535]], \"from_kind\": \"Deployment\", \"to_kind\": \"Deployment\"},\n"
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn connectivity_without_self_flows() {
    let r = netpol(&with_demo(&["connectivity", "--no-self"], &["-f", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let got: BTreeSet<String> = items(&r.stdout).iter().map(Value::to_string).collect();
    assert_eq!(got, demo_flows());
    let r = netpol(&with_demo(&["connectivity", "--no-self"], &[]));
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 11, "{}", r.stdout);
    assert!(lines.contains(&"boutique/cartservice -> boutique/redis-cart : TCP 6379"));
    assert!(lines.iter().all(|l| {
        let (from, rest) = l.split_once(" -> ").unwrap();
        !rest.starts_with(&format!("{from} :"))
    }));
}

#[test]
fn matrix_json_carries_the_kinds() {
    let r = netpol(&with_demo(
        &["matrix", "--port", "7070"],
        &["--format", "json"],
    ));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let names: Vec<&str> = WORKLOADS.iter().map(|(n, _)| *n).collect();
    let kinds: Vec<&str> = WORKLOADS.iter().map(|(_, k)| *k).collect();
    assert_eq!(v["sources"], json!(names));
    assert_eq!(v["source_kinds"], json!(kinds));
    assert_eq!(v["destination_kinds"], json!(kinds));
    // Rows: sources; column 0: cartservice, which admits frontend and checkoutservice on 7070.
    let column: Vec<bool> = (0..6)
        .map(|i| v["allowed"][i][0].as_bool().unwrap())
        .collect();
    assert_eq!(column, [true, true, true, false, false, false]);
    assert!(
        r.stdout
            .starts_with("{\n  \"port\": 7070,\n  \"protocol\": \"TCP\",\n  \"sources\": ["),
        "{}",
        r.stdout
    );
}

#[test]
fn check_counts_workloads() {
    let r = netpol(&with_demo(&["check"], &[]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "ok: 8 files, 1 namespace, 0 pods, 6 workloads, 0 external endpoints, 6 policies; 0 errors, 0 warnings; 0 lints\n"
    );
}

#[test]
fn explain_resolves_a_named_port_on_the_destination() {
    let explain = |from: &str, to: &str, port: &str| {
        netpol(&with_demo(
            &["explain", "--from", from, "--to", to, "--port", port],
            &[],
        ))
    };
    // checkoutservice's `grpc` is 5050/TCP; its policy admits frontend on `grpc`.
    let r = explain("boutique/frontend", "boutique/checkoutservice", "grpc");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .starts_with("boutique/frontend → boutique/checkoutservice on 5050/TCP is ALLOWED"),
        "{}",
        r.stdout
    );
    let r = explain(
        "boutique/loadgenerator",
        "boutique/checkoutservice",
        "grpc/tcp",
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("on 5050/TCP is DENIED"), "{}", r.stdout);
    // redis-cart names its port `redis`, not `grpc`; frontend's `http` is TCP.
    for (to, port, hint) in [
        (
            "boutique/redis-cart",
            "grpc",
            "hint: its named container ports: redis (6379/TCP)",
        ),
        (
            "boutique/frontend",
            "http/UDP",
            "hint: its named container ports: http (8080/TCP)",
        ),
        (
            "boutique/loadgenerator",
            "http",
            "hint: it has no named container ports",
        ),
    ] {
        let r = explain("boutique/frontend", to, port);
        assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
        assert_eq!(r.stdout, "");
        let lines: Vec<&str> = r
            .stderr
            .lines()
            .filter(|l| !l.contains(": info: "))
            .collect();
        assert_eq!(
            lines[0],
            format!("netpol: error: `--port {port}`: the destination `{to}` has no container port named `{port}`")
        );
        assert!(lines[1].starts_with(hint), "{}", lines[1]);
    }
}

#[test]
fn named_ports_are_for_explain_only() {
    let r = netpol(&["matrix", "e2e-model.yaml", "--port", "http"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("netpol: error: invalid `--port`: `http`: the port must be a number"),
        "{}",
        r.stderr
    );
}

#[test]
fn check_lints_filter() {
    // z/c may only send 53/UDP: the DNS-trap lint (TCP 53 is denied) is the one lint.
    let check = |lints: &[&str]| {
        let mut args = vec!["check", "e2e-model.yaml", "dns-egress.yaml"];
        args.extend(lints);
        netpol(&args)
    };
    let summary = |n: &str| {
        format!("ok: 2 files, 3 namespaces, 9 pods, 1 external endpoint, 1 policy; 0 errors, 0 warnings; {n}\n")
    };
    for (lints, shown) in [
        (&[][..], 1),
        (&["--lints", "all"][..], 1),
        (&["--lints", "dns-trap"][..], 1),
        (&["--lints=or-bug,dns-trap"][..], 1),
        (&["--lints", "none"][..], 0),
        (&["--lints", "or-bug,half-open"][..], 0),
    ] {
        let r = check(lints);
        assert_eq!(r.code, 0, "{lints:?}: {}", r.stderr);
        assert_eq!(r.stderr.matches("[dns-trap]").count(), shown, "{lints:?}");
        let n = if shown == 1 { "1 lint" } else { "0 lints" };
        assert_eq!(r.stdout, summary(n), "{lints:?}");
    }
    let r = check(&["--lints", "dns-trp"]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.stderr.lines().next(),
        Some("netpol: error: unknown lint `dns-trp` in `--lints`")
    );
    assert!(
        r.stderr.contains(
            "hint: did you mean `dns-trap`? use all, none, or codes from: or-bug, split-rule, dns-trap,"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn group_replicas() {
    // Without grouping, each replica is a pod endpoint; with it, each owner's replicas are one
    // endpoint named after the owner (the Deployment `web` of the ReplicaSets `web-<hash>`). The
    // debug pod's labels were changed by hand, and a static pod's owner is a Node: both stay.
    let names = |args: &[&str]| {
        let r = netpol(args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let sources = v["sources"].as_array().unwrap().clone();
        let kinds = v.get("source_kinds").cloned();
        (sources, kinds)
    };
    let (plain, kinds) = names(&["matrix", "replicas.yaml", "-p", "80", "-f", "json"]);
    assert_eq!(plain.len(), 10);
    assert!(plain.contains(&json!("shop/web-7d9f8c6b5-x2x7k")));
    assert_eq!(kinds, None, "only pods: no kinds");
    let (grouped, kinds) = names(&[
        "matrix",
        "replicas.yaml",
        "-p",
        "80",
        "-f",
        "json",
        "--group-replicas",
    ]);
    assert_eq!(
        grouped,
        json!([
            "kube-system/kube-apiserver-node1",
            "monitoring/node-exporter",
            "shop/cache-1",
            "shop/db",
            "shop/lonely",
            "shop/web",
            "shop/web-7d9f8c6b5-dbg12"
        ])
        .as_array()
        .unwrap()
        .clone()
    );
    assert_eq!(
        kinds,
        Some(json!([
            "Pod",
            "DaemonSet",
            "ReplicaSet",
            "StatefulSet",
            "Pod",
            "Deployment",
            "Pod"
        ]))
    );
    let r = netpol(&[
        "explain",
        "replicas.yaml",
        "--group-replicas",
        "--from",
        "shop/lonely",
        "--to",
        "shop/web",
        "--port",
        "http",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("shop/lonely → shop/web on 8080/TCP is ALLOWED"),
        "{}",
        r.stdout
    );
}

#[test]
fn help_documents_the_options() {
    for (command, needles) in [
        (
            "connectivity",
            &["--no-self", "--group-replicas", "\"from_kind\""][..],
        ),
        ("check", &["--lints", "dns-trap", "--group-replicas"][..]),
        ("explain", &["http/TCP", "--group-replicas"][..]),
        ("matrix", &["\"source_kinds\"", "--group-replicas"][..]),
        ("diff", &["--group-replicas"][..]),
        ("and-or", &["--group-replicas"][..]),
    ] {
        let r = netpol(&[command, "--help"]);
        assert_eq!(r.code, 0);
        for needle in needles {
            assert!(
                r.stdout.contains(needle),
                "{command}: {needle}\n{}",
                r.stdout
            );
        }
    }
    let r = netpol(&["--help"]);
    assert!(r.stdout.contains("Deployment"), "{}", r.stdout);
}
