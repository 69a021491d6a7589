//! Every example scenario of the playground (`examples/*.yaml` at the repository root) parses
//! without errors, and the default scenario gives the verdicts the tutorial promises.
//!
//! The files are read with serde_yaml directly (not through the `netpol-examples` crate) to keep
//! the engine's dev-dependencies small. Expected verdicts are derived by hand from the
//! NetworkPolicy semantics, never from running the engine.

use std::collections::BTreeMap;
use std::path::PathBuf;

use netpol_engine::{compile, has_errors, parse, Input, PortProto};

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

/// `(file stem, fields)` of every example file.
fn load_all() -> Vec<(String, BTreeMap<String, String>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(examples_dir()).expect("examples/ exists") {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("yaml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let fields: BTreeMap<String, String> =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((stem, fields));
    }
    out.sort();
    out
}

fn load(id: &str) -> BTreeMap<String, String> {
    load_all()
        .into_iter()
        .find(|(s, _)| s == id)
        .unwrap_or_else(|| panic!("no example {id}"))
        .1
}

#[test]
fn every_example_is_well_formed_and_parses_without_errors() {
    let all = load_all();
    assert!(
        all.len() >= 7,
        "expected at least 7 examples, found {}",
        all.len()
    );
    for (id, f) in &all {
        for key in ["title", "summary", "description", "cluster", "policies"] {
            assert!(
                f.get(key).is_some_and(|v| !v.trim().is_empty()),
                "{id}: `{key}` is missing or empty"
            );
        }
        for key in f.keys() {
            assert!(
                [
                    "title",
                    "summary",
                    "description",
                    "cluster",
                    "policies",
                    "port"
                ]
                .contains(&key.as_str()),
                "{id}: unknown field `{key}`"
            );
        }
        let (model, diags) = parse(&[
            Input {
                name: "policies",
                text: &f["policies"],
            },
            Input {
                name: "cluster",
                text: &f["cluster"],
            },
        ]);
        assert!(!has_errors(&diags), "{id}: {diags:#?}");
        assert!(
            !model.policies.is_empty() || !model.cluster_policies.is_empty(),
            "{id}: no policy"
        );
        assert!(!model.pods.is_empty(), "{id}: no pod");
        if let Some(p) = f.get("port") {
            let pp = PortProto::parse(p).unwrap_or_else(|e| panic!("{id}: {e}"));
            let index = compile(model.clone());
            assert!(
                index.ports_that_matter().contains(&pp),
                "{id}: port {pp} is not one that matters"
            );
        }
    }
}

/// Checks `(from, to, port, allowed)` on an example.
fn check(id: &str, cases: &[(&str, &str, &str, bool)]) {
    let f = load(id);
    let (model, diags) = parse(&[
        Input {
            name: "policies",
            text: &f["policies"],
        },
        Input {
            name: "cluster",
            text: &f["cluster"],
        },
    ]);
    assert!(!has_errors(&diags), "{id}: {diags:#?}");
    let index = compile(model.clone());
    for &(from, to, port, want) in cases {
        let pp = PortProto::parse(port).unwrap();
        let (a, b) = (
            index.endpoint(from).expect(from),
            index.endpoint(to).expect(to),
        );
        let got = index.matrix(pp).allowed(a, b);
        assert_eq!(
            got,
            want,
            "{id}: {from} -> {to} on {port}\n{}",
            index.explain(a, b, pp).to_text()
        );
    }
}

#[test]
fn default_example_allows_frontend_to_api_and_dns_only() {
    check(
        "default",
        &[
            // api accepts frontend on TCP 8080 (api-allow-frontend), and frontend may send it
            // (frontend-to-api); everything else in `app` is denied by default-deny-all.
            ("app/frontend", "app/api", "8080/TCP", true),
            ("app/db", "app/api", "8080/TCP", false),
            ("kube-system/coredns", "app/api", "8080/TCP", false),
            ("app/frontend", "app/api", "8081/TCP", false),
            ("app/frontend", "app/api", "8080/UDP", false),
            ("app/api", "app/frontend", "8080/TCP", false),
            ("app/api", "app/db", "5432/TCP", false),
            // A pod can always reach itself.
            ("app/api", "app/api", "8080/TCP", true),
            // allow-dns: every pod of app reaches kube-dns on UDP and TCP 53; coredns is not
            // isolated for ingress.
            ("app/frontend", "kube-system/coredns", "53/UDP", true),
            ("app/api", "kube-system/coredns", "53/UDP", true),
            ("app/db", "kube-system/coredns", "53/TCP", true),
            ("app/db", "kube-system/coredns", "5432/TCP", false),
            // frontend's egress only allows api:8080 and DNS.
            ("app/frontend", "app/db", "5432/TCP", false),
            ("app/frontend", "kube-system/coredns", "8080/TCP", false),
        ],
    );
}

#[test]
fn default_deny_breaks_dns() {
    check(
        "default-deny",
        &[
            ("app/frontend", "kube-system/coredns", "53/UDP", false),
            ("app/api", "kube-system/coredns", "53/TCP", false),
            ("kube-system/coredns", "app/api", "8080/TCP", false),
            ("app/frontend", "app/frontend", "53/UDP", true),
        ],
    );
}

#[test]
fn allow_dns_reopens_dns_only() {
    check(
        "allow-dns",
        &[
            ("app/frontend", "kube-system/coredns", "53/UDP", true),
            ("app/frontend", "kube-system/coredns", "53/TCP", true),
            ("app/frontend", "app/api", "8080/TCP", false),
        ],
    );
}

#[test]
fn api_allow_frontend_isolates_api_only() {
    check(
        "api-allow-frontend",
        &[
            ("app/frontend", "app/api", "8080/TCP", true),
            ("app/db", "app/api", "8080/TCP", false),
            ("kube-system/coredns", "app/api", "8080/TCP", false),
            // Ingress only isolates api, and only for ingress.
            ("app/api", "app/db", "5432/TCP", true),
            ("app/frontend", "app/db", "5432/TCP", true),
        ],
    );
}

#[test]
fn cross_namespace_and() {
    check(
        "cross-namespace",
        &[
            ("web/frontend", "app/api", "8080/TCP", true),
            ("web/admin", "app/api", "8080/TCP", false),
            ("shop/frontend", "app/api", "8080/TCP", false),
            ("app/db", "app/api", "8080/TCP", false),
        ],
    );
}

#[test]
fn egress_to_cidr_with_except() {
    check(
        "egress-cidr",
        &[
            ("app/backup", "s3", "443/TCP", true),
            ("app/backup", "s3-excluded", "443/TCP", false),
            ("app/backup", "s3", "80/TCP", false),
            ("app/backup", "google-dns", "53/UDP", true),
            ("app/backup", "cloudflare-dns", "53/UDP", false),
            ("app/backup", "app/web", "8080/TCP", false),
            ("app/web", "s3-excluded", "443/TCP", true),
        ],
    );
}

#[test]
fn upstream_model_policy() {
    check(
        "upstream-e2e",
        &[
            ("y/b", "x/a", "80/TCP", true),
            ("z/b", "x/a", "81/UDP", true),
            ("x/b", "x/a", "80/TCP", false),
            ("y/a", "x/a", "80/TCP", false),
            ("x/a", "y/a", "80/TCP", true),
            ("y/c", "x/b", "80/SCTP", true),
        ],
    );
}

#[test]
fn admin_guardrail_accepts_passes_and_denies() {
    // Admin tier first, lowest priority first, first matching rule decides
    // (network-policy-api ClusterNetworkPolicySpec.Priority, Action); Pass hands the flow to the
    // NetworkPolicies that select the pod, whose verdict is final.
    check(
        "admin-guardrail",
        &[
            // allow-monitoring (10) accepts before db-from-api is consulted.
            ("monitoring/prometheus", "app/db", "5432/TCP", true),
            ("monitoring/prometheus", "app/frontend", "8080/TCP", true),
            // delegate-app (20) passes traffic inside app to app's NetworkPolicies.
            ("app/frontend", "app/api", "8080/TCP", true),
            ("app/api", "app/db", "5432/TCP", true),
            ("app/frontend", "app/db", "5432/TCP", false),
            ("app/api", "app/frontend", "8080/TCP", false),
            // isolate-app (30) denies everything else into app.
            ("sandbox/untrusted", "app/api", "8080/TCP", false),
            // Nothing selects the sandbox or monitoring for a matching rule: default allow.
            ("app/api", "sandbox/untrusted", "8080/TCP", true),
            (
                "sandbox/untrusted",
                "monitoring/prometheus",
                "9090/TCP",
                true,
            ),
        ],
    );
}

#[test]
fn baseline_default_deny_yields_to_network_policies() {
    // The Baseline tier only decides for pods no NetworkPolicy selects (network-policy-api
    // ClusterNetworkPolicySpec.Tier, user story 5).
    check(
        "baseline-default-deny",
        &[
            ("app/frontend", "app/api", "8080/TCP", true),
            ("batch/job", "app/api", "8080/TCP", false),
            ("app/api", "app/frontend", "8080/TCP", false),
            ("app/frontend", "batch/job", "8080/TCP", false),
            ("kube-system/coredns", "app/frontend", "8080/TCP", false),
            // kube-system is not in the subject: DNS keeps working.
            ("app/frontend", "kube-system/coredns", "53/UDP", true),
            ("batch/job", "kube-system/coredns", "53/TCP", true),
        ],
    );
}
