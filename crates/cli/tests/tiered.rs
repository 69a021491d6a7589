//! End-to-end tests of the `netpol` binary with tiered policies: the upstream e2e model
//! (`e2e-model.yaml`), a node (`tiered-nodes.yaml`) and an admin guardrail
//! (`tiered-guardrail.yaml`: an AdminNetworkPolicy for namespace x that passes traffic from y,
//! denies traffic from z and denies egress to nodes; a BaselineAdminNetworkPolicy that denies
//! traffic from y; the NetworkPolicy "x/a accepts only x/b").
//!
//! Expected verdicts are derived by hand from the network-policy-api precedence (Admin tier
//! first, first matching rule decides; Pass hands the flow to NetworkPolicy, which decides for the
//! pods it selects; then the Baseline tier; then the default allow), never from the program's
//! output.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const ENDPOINTS: [&str; 10] = [
    "x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c", "worker-1",
];

const CLUSTER: [&str; 2] = ["e2e-model.yaml", "tiered-nodes.yaml"];

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

/// `netpol <command> e2e-model.yaml tiered-nodes.yaml tiered-guardrail.yaml <rest>`.
fn on_guardrail(command: &str, rest: &[&str]) -> Run {
    let mut args = vec![command];
    args.extend(CLUSTER);
    args.push("tiered-guardrail.yaml");
    args.extend(rest);
    netpol(&args)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The flows the guardrail denies on every port: from z into x (Admin Deny); from y into x/a
/// (passed, then x/a's NetworkPolicy admits only x/b) and into x/b, x/c (passed, no
/// NetworkPolicy selects them, the Baseline denies from y); from y into y and z (the Baseline);
/// x/c into x/a (the NetworkPolicy); from x to the node (Admin egress Deny); from the node into
/// x/a (the NetworkPolicy). The node reaching itself is not a cluster flow (`false`).
const DENIED: [&str; 30] = [
    "x/a->worker-1",
    "x/b->worker-1",
    "x/c->x/a",
    "x/c->worker-1",
    "y/a->x/a",
    "y/a->x/b",
    "y/a->x/c",
    "y/a->y/b",
    "y/a->y/c",
    "y/a->z/a",
    "y/a->z/b",
    "y/a->z/c",
    "y/b->x/a",
    "y/b->x/b",
    "y/b->x/c",
    "y/b->y/a",
    "y/b->y/c",
    "y/b->z/a",
    "y/b->z/b",
    "y/b->z/c",
    "y/c->x/a",
    "y/c->x/b",
    "y/c->x/c",
    "y/c->y/a",
    "y/c->y/b",
    "y/c->z/a",
    "y/c->z/b",
    "y/c->z/c",
    "worker-1->x/a",
    "worker-1->worker-1",
];

/// The denied cells of a `matrix --format json` output, as `from->to`.
fn denied_cells(v: &Value) -> Vec<String> {
    assert_eq!(v["sources"], serde_json::json!(ENDPOINTS));
    assert_eq!(v["destinations"], serde_json::json!(ENDPOINTS));
    let mut out = Vec::new();
    for (i, row) in v["allowed"].as_array().unwrap().iter().enumerate() {
        for (j, cell) in row.as_array().unwrap().iter().enumerate() {
            if !cell.as_bool().unwrap() {
                out.push(format!("{}->{}", ENDPOINTS[i], ENDPOINTS[j]));
            }
        }
    }
    out
}

/// z/* → x/* is denied and y/* → x/* too, each for its own reason; the node is an endpoint like
/// an external, after the pods.
#[test]
fn matrix_json_walks_the_tiers() {
    let denied_z: Vec<String> = ["x/a", "x/b", "x/c"]
        .iter()
        .flat_map(|x| ["z/a", "z/b", "z/c"].map(|z| format!("{z}->{x}")))
        .collect();
    for (port, protocol) in [("80/TCP", "TCP"), ("81/UDP", "UDP"), ("8080/SCTP", "SCTP")] {
        let r = on_guardrail("matrix", &["--port", port, "--format", "json"]);
        assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{port}");
        let v = json(&r.stdout);
        assert_eq!(v["protocol"], protocol);
        let mut want: Vec<String> = DENIED.iter().map(|s| s.to_string()).collect();
        want.extend(denied_z.iter().cloned());
        want.sort();
        let mut got = denied_cells(&v);
        got.sort();
        assert_eq!(got, want, "{port}");
    }
}

/// Connectivity lists the flows the matrix allows over all ports: the node is a destination
/// (not from x) and a source; node → node is not a cluster flow.
#[test]
fn connectivity_includes_the_node() {
    let r = on_guardrail("connectivity", &[]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let lines: Vec<&str> = r.stdout.lines().collect();
    for present in [
        "y/a -> worker-1 : TCP 1-65535",
        "worker-1 -> x/b : UDP 1-65535",
        "x/b -> x/a : SCTP 1-65535",
    ] {
        assert!(lines.contains(&present), "{present} missing:\n{}", r.stdout);
    }
    for absent in [
        "x/a -> worker-1",
        "worker-1 -> worker-1",
        "worker-1 -> x/a",
        "z/a -> x/b",
        "y/b -> x/c",
    ] {
        assert!(
            !lines.iter().any(|l| l.starts_with(absent)),
            "{absent} listed:\n{}",
            r.stdout
        );
    }
    // 100 ordered pairs, 10 of them a pod reaching itself, 1 node → node, 30 + 9 denied (see
    // DENIED and z → x), on three protocols.
    assert_eq!(lines.len(), (100 - 1 - 29 - 9) * 3, "{}", r.stdout);
}

/// `explain` walks the tiers; its exit code is the verdict.
#[test]
fn explain_names_the_deciding_tier() {
    let cases: [(&str, &str, i32, &[&str]); 4] = [
        (
            "z/a",
            "x/b",
            1,
            &[
                "z/a → x/b on 80/TCP is DENIED by the destination's ingress.",
                "Ingress, Admin tier: AdminNetworkPolicy/guard-x (priority 10) ingress[1] \"deny-z\" Deny matches z/a",
                "→ DENIED, before NetworkPolicy is consulted.",
            ],
        ),
        (
            "y/a",
            "x/b",
            1,
            &[
                "Ingress, Admin tier: AdminNetworkPolicy/guard-x (priority 10) ingress[0] \"delegate-y\" Pass matches y/a",
                "Ingress, NetworkPolicy: no NetworkPolicy selects x/b for Ingress",
                "Ingress, Baseline tier: BaselineAdminNetworkPolicy/default ingress[0] Deny matches y/a",
            ],
        ),
        (
            "x/b",
            "x/a",
            0,
            &[
                "Ingress, NetworkPolicy: x/a is isolated for Ingress by policy (x/allow-client-b).",
                "x/allow-client-b ingress[0] allows it",
            ],
        ),
        (
            "x/c",
            "worker-1",
            1,
            &[
                "Egress, Admin tier: AdminNetworkPolicy/guard-x (priority 10) egress[0] \"no-nodes\" Deny matches worker-1",
                "Ingress: worker-1 is a node, not a pod; no policy governs its ingress.",
            ],
        ),
    ];
    for (from, to, code, needles) in cases {
        let r = on_guardrail("explain", &["--from", from, "--to", to, "--port", "80"]);
        assert_eq!(r.code, code, "{from} -> {to}:\n{}{}", r.stdout, r.stderr);
        for needle in needles {
            assert!(
                r.stdout.contains(needle),
                "{from} -> {to}: no `{needle}` in\n{}",
                r.stdout
            );
        }
    }
}

/// The JSON explanation carries the walk as data: the deciding tier, the rule, the pass.
#[test]
fn explain_json_has_the_tier_walk() {
    let r = on_guardrail(
        "explain",
        &[
            "--from", "y/b", "--to", "x/c", "--port", "81/UDP", "--format", "json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r.stdout);
    assert_eq!(v["verdict"], "denied");
    let walk = &v["ingress"]["tiers"];
    assert_eq!(walk["decided_by"], "Baseline");
    assert_eq!(
        walk["admin_rule"]["policy"]["id"],
        "AdminNetworkPolicy/guard-x"
    );
    assert_eq!(walk["admin_rule"]["action_word"], "Pass");
    assert_eq!(walk["network_policy"], "NotSelected");
    assert_eq!(
        walk["baseline_rule"]["policy"]["id"],
        "BaselineAdminNetworkPolicy/default"
    );
    assert_eq!(walk["baseline_rule"]["action_word"], "Deny");
    // The egress side: nothing selects y/b for egress but the Baseline, which has no egress
    // rules: the default allows.
    assert_eq!(v["egress"]["tiers"]["decided_by"], "Default");
}

/// `check` counts the tiered policies and the node; the input is valid.
#[test]
fn check_counts_tiered_policies_and_nodes() {
    let r = on_guardrail("check", &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains(
            "ok: 3 files, 3 namespaces, 9 pods, 0 external endpoints, 1 policy, 2 tiered policies, 1 node; 0 errors, 0 warnings;"
        ),
        "{}",
        r.stdout
    );
}

/// `diff` sees the tiered policies of both sides: Allow instead of Pass for y admits y → x/*
/// on every port and protocol (before, x/a's NetworkPolicy and the Baseline denied them).
#[test]
fn diff_sees_tiered_policies() {
    let same = netpol(&[
        "diff",
        "--before",
        "tiered-guardrail.yaml",
        "--after",
        "tiered-guardrail.yaml",
        CLUSTER[0],
        CLUSTER[1],
    ]);
    assert_eq!(same.code, 0, "{}{}", same.stdout, same.stderr);
    let r = netpol(&[
        "diff",
        "--before",
        "tiered-guardrail.yaml",
        "--after",
        "tiered-guardrail-allow-y.yaml",
        CLUSTER[0],
        CLUSTER[1],
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout
            .starts_with("different: 27 changed (flow, port range) pairs\n"),
        "{}",
        r.stdout
    );
    // 99 cluster flows (100 pairs but node → node), 9 of them gained.
    for protocol in ["TCP", "UDP", "SCTP"] {
        let head =
            format!("{protocol} 1-65535 (shown as 80/{protocol}): 9 gained, 0 lost, 90 unchanged");
        assert!(r.stdout.contains(&head), "{head}:\n{}", r.stdout);
    }
    for y in ["y/a", "y/b", "y/c"] {
        for x in ["x/a", "x/b", "x/c"] {
            assert!(
                r.stdout.contains(&format!("  + {y} -> {x}\n")),
                "{y} -> {x}:\n{}",
                r.stdout
            );
        }
    }
}
