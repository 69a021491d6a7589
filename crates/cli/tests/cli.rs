//! End-to-end tests of the `netpol` binary on the upstream e2e model (namespaces x, y, z; pods
//! a, b, c; ports 80/81 on TCP, UDP and SCTP), in `tests/data/`.
//!
//! Expected verdicts are derived by hand from the Kubernetes NetworkPolicy semantics (noted at
//! each test), never from the program's output. Text renderings are `expect_test` snapshots:
//! `UPDATE_EXPECT=1 cargo test -p netpol-cli` rewrites them after a deliberate change.

use std::path::PathBuf;
use std::process::Command;

use expect_test::expect;
use serde_json::Value;

const PODS: [&str; 9] = [
    "x/a", "x/b", "x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c",
];

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `netpol ARGS` in `tests/data`, so diagnostics name the files as given.
fn netpol(args: &[&str]) -> Run {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let out = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(data)
        .output()
        .expect("the netpol binary runs");
    Run {
        code: out
            .status
            .code()
            .expect("netpol exits normally (no signal, no panic abort)"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The `allowed` table of a `matrix --format json` output, checked for the exact shape.
fn matrix_json(args: &[&str], endpoints: &[&str], port: u64, protocol: &str) -> Vec<Vec<bool>> {
    let r = netpol(args);
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    assert_eq!(r.stderr, "");
    let v = json(&r.stdout);
    let obj = v.as_object().expect("an object");
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["allowed", "destinations", "port", "protocol", "sources"]
    );
    assert_eq!(v["port"], port);
    assert_eq!(v["protocol"], protocol);
    assert_eq!(v["sources"], serde_json::json!(endpoints));
    assert_eq!(v["destinations"], serde_json::json!(endpoints));
    let rows = v["allowed"].as_array().expect("allowed is a list");
    assert_eq!(rows.len(), endpoints.len());
    rows.iter()
        .map(|row| {
            let row = row.as_array().expect("a row is a list");
            assert_eq!(row.len(), endpoints.len());
            row.iter()
                .map(|c| c.as_bool().expect("a cell is a boolean"))
                .collect()
        })
        .collect()
}

fn idx(name: &str) -> usize {
    PODS.iter()
        .position(|p| *p == name)
        .expect("a pod of the e2e model")
}

/// Every flow whose verdict differs from `default`, as `from->to`.
fn exceptions(allowed: &[Vec<bool>], names: &[&str], default: bool) -> Vec<String> {
    let mut out = Vec::new();
    for (i, row) in allowed.iter().enumerate() {
        for (j, &a) in row.iter().enumerate() {
            if a != default {
                out.push(format!("{}->{}", names[i], names[j]));
            }
        }
    }
    out
}

#[test]
fn no_policies_allow_everything() {
    // No policy selects any pod: nothing is isolated, every flow is allowed.
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &PODS,
        80,
        "TCP",
    );
    assert_eq!(exceptions(&allowed, &PODS, true), Vec::<String>::new());
}

#[test]
fn matrix_json_pod_selector_policy() {
    // Upstream "should enforce policy based on PodSelector": x/a is isolated for ingress and
    // accepts only pods labelled pod=b in x (a podSelector alone means the policy's namespace).
    // Every other pod is unisolated; x/a can always reach itself.
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "allow-x-a-from-x-b.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &PODS,
        80,
        "TCP",
    );
    let denied: Vec<String> = ["x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"]
        .iter()
        .map(|s| format!("{s}->x/a"))
        .collect();
    assert_eq!(exceptions(&allowed, &PODS, true), denied);
    assert!(allowed[idx("x/b")][idx("x/a")]);
    assert!(allowed[idx("x/a")][idx("x/a")]);
    // The rule has no ports: every port and protocol behaves the same.
    let udp = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "allow-x-a-from-x-b.yaml",
            "--port=81/udp",
            "-f",
            "json",
        ],
        &PODS,
        81,
        "UDP",
    );
    assert_eq!(udp, allowed);
}

#[test]
fn matrix_json_layout() {
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--port",
        "80",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    // The key order of the contract, one matrix row per line.
    assert!(
        r.stdout
            .starts_with("{\n  \"port\": 80,\n  \"protocol\": \"TCP\",\n  \"sources\": [\"x/a\", "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\n    [false, true, true, true, true, true, true, true, true],\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn matrix_text_pod_selector_policy() {
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 0);
    expect![[r#"
        80/TCP: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)
        from\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
        x/a       .   .   .   .   .   .   .   .   .
        x/b       .   .   .   .   .   .   .   .   .
        x/c       X   .   .   .   .   .   .   .   .
        y/a       X   .   .   .   .   .   .   .   .
        y/b       X   .   .   .   .   .   .   .   .
        y/c       X   .   .   .   .   .   .   .   .
        z/a       X   .   .   .   .   .   .   .   .
        z/b       X   .   .   .   .   .   .   .   .
        z/c       X   .   .   .   .   .   .   .   .
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn matrix_named_port() {
    // Upstream "should allow ingress access on one named port": x/a accepts everyone, but only
    // on its port named serve-81-tcp, i.e. 81/TCP. 80/TCP and 81/UDP to x/a are denied (except
    // from x/a itself); every other pod is unisolated.
    let into_x_a: Vec<String> = PODS
        .iter()
        .filter(|p| **p != "x/a")
        .map(|s| format!("{s}->x/a"))
        .collect();
    for (port, proto, denied) in [
        (80, "TCP", into_x_a.clone()),
        (81, "TCP", Vec::new()),
        (81, "UDP", into_x_a.clone()),
    ] {
        let pp = format!("{port}/{proto}");
        let allowed = matrix_json(
            &[
                "matrix",
                "e2e-model.yaml",
                "allow-x-a-named-port-81.yaml",
                "--port",
                &pp,
                "--format",
                "json",
            ],
            &PODS,
            port,
            proto,
        );
        assert_eq!(exceptions(&allowed, &PODS, true), denied, "{pp}");
    }
}

#[test]
fn matrix_with_external_endpoint() {
    // z/c is isolated for egress and may only send 53/UDP to 8.8.8.8/32 (the external `dns`);
    // its own egress cannot block traffic to itself. Nothing else is isolated, so every other
    // flow involving a pod is allowed; dns -> dns is not a cluster flow (false in JSON).
    let mut names = PODS.to_vec();
    names.push("dns");
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "dns-egress.yaml",
            "--port",
            "53/UDP",
            "--format",
            "json",
        ],
        &names,
        53,
        "UDP",
    );
    let mut denied: Vec<String> = PODS
        .iter()
        .filter(|p| **p != "z/c")
        .map(|d| format!("z/c->{d}"))
        .collect();
    denied.push("dns->dns".to_string());
    assert_eq!(exceptions(&allowed, &names, true), denied);
    // On 80/TCP z/c may send nowhere (but to itself).
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "dns-egress.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &names,
        80,
        "TCP",
    );
    let mut denied: Vec<String> = names
        .iter()
        .filter(|p| **p != "z/c")
        .map(|d| format!("z/c->{d}"))
        .collect();
    denied.push("dns->dns".to_string());
    assert_eq!(exceptions(&allowed, &names, true), denied);

    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "dns-egress.yaml",
        "--port",
        "53/UDP",
    ]);
    assert_eq!(r.code, 0);
    expect![[r#"
        53/UDP: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)
        from\to x/a x/b x/c y/a y/b y/c z/a z/b z/c dns
        x/a       .   .   .   .   .   .   .   .   .   .
        x/b       .   .   .   .   .   .   .   .   .   .
        x/c       .   .   .   .   .   .   .   .   .   .
        y/a       .   .   .   .   .   .   .   .   .   .
        y/b       .   .   .   .   .   .   .   .   .   .
        y/c       .   .   .   .   .   .   .   .   .   .
        z/a       .   .   .   .   .   .   .   .   .   .
        z/b       .   .   .   .   .   .   .   .   .   .
        z/c       X   X   X   X   X   X   X   X   .   .
        dns       .   .   .   .   .   .   .   .   .   -
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn explain_allowed_exits_0() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "x/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    expect![[r#"
        x/b → x/a on 80/TCP is ALLOWED: both sides allow it.
        Egress: no policy selects x/b for Egress, so it is not isolated and all egress traffic is allowed.
        Ingress: x/a is isolated for Ingress by policy (x/allow-client-b).
          ✓ x/allow-client-b ingress[0] allows it: from[0] (podSelector pod=b) matches x/b, and it has no `ports`, so every port matches.
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn explain_denied_exits_1() {
    // y/b is in namespace y; the podSelector without namespaceSelector only matches pods in x.
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "y/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (1, ""));
    expect![[r#"
        y/b → x/a on 80/TCP is DENIED by the destination's ingress.
        Egress: no policy selects y/b for Egress, so it is not isolated and all egress traffic is allowed.
        Ingress: x/a is isolated for Ingress by policy (x/allow-client-b).
          ✗ x/allow-client-b ingress[0] does not match: from[0]: a podSelector pod=b without namespaceSelector only matches pods in the policy's own namespace x, and y/b is in namespace y.
          No ingress rule allows it.
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn explain_self_flow_is_allowed() {
    // "A pod cannot block access to itself."
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
        "--from",
        "x/a",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 0);
}

#[test]
fn explain_not_a_cluster_flow_exits_1() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "dns-egress.yaml",
        "--from",
        "dns",
        "--to",
        "dns",
        "--port",
        "53/UDP",
    ]);
    assert_eq!(r.code, 1);
}

#[test]
fn explain_json() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "y/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let v = json(&r.stdout);
    assert_eq!(v["from"], "y/b");
    assert_eq!(v["to"], "x/a");
    assert_eq!(v["verdict"], "denied");
    assert_eq!(v["ingress"]["isolated_by"][0]["id"], "x/allow-client-b");
    assert_eq!(v["ingress"]["allowed"], false);
    assert_eq!(v["egress"]["allowed"], true);

    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "x/b",
        "--to",
        "x/a",
        "-p",
        "80",
        "-f",
        "json",
    ]);
    assert_eq!(r.code, 0);
    let v = json(&r.stdout);
    assert_eq!(v["verdict"], "allowed");
    assert_eq!(
        v["ingress"]["allowed_by"][0]["policy"]["id"],
        "x/allow-client-b"
    );
}

#[test]
fn explain_unknown_endpoint() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "--from",
        "x/q",
        "--to",
        "a",
        "--port",
        "80",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    expect![[r#"
        netpol: error: unknown endpoint `x/q` for `--from`: did you mean x/a, x/b, x/c?
        hint: pods are named namespace/pod (e.g. x/a), external endpoints by their declared name
        netpol: error: unknown endpoint `a` for `--to`: did you mean x/a, y/a, z/a?
        hint: pods are named namespace/pod (e.g. x/a), external endpoints by their declared name
    "#]]
    .assert_eq(&r.stderr);
}

#[test]
fn connectivity_text() {
    // Named-port policy: x/a accepts others only on 81/TCP (its serve-81-tcp); everything else is
    // unisolated, so every other pair is allowed on every port of every protocol. Self-flows are
    // allowed flows too.
    let r = netpol(&[
        "connectivity",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "lines are sorted bytewise");
    let mut expected = Vec::new();
    for s in PODS {
        for d in PODS {
            if d == "x/a" && s != "x/a" {
                expected.push(format!("{s} -> {d} : TCP 81"));
            } else {
                for proto in ["SCTP", "TCP", "UDP"] {
                    expected.push(format!("{s} -> {d} : {proto} 1-65535"));
                }
            }
        }
    }
    expected.sort_unstable();
    assert_eq!(lines, expected);
}

#[test]
fn connectivity_port_intervals() {
    // z/c may only send 53/UDP to dns: one single-port line; dns (external) can reach every pod
    // on everything since no pod is isolated for ingress; external -> external is omitted.
    let r = netpol(&["connectivity", "e2e-model.yaml", "dns-egress.yaml"]);
    assert_eq!(r.code, 0);
    let from_z_c: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("z/c -> "))
        .collect();
    assert_eq!(
        from_z_c,
        [
            "z/c -> dns : UDP 53",
            "z/c -> z/c : SCTP 1-65535",
            "z/c -> z/c : TCP 1-65535",
            "z/c -> z/c : UDP 1-65535"
        ]
    );
    assert!(r.stdout.contains("\ndns -> x/a : TCP 1-65535\n"));
    assert!(!r.stdout.contains("dns -> dns"));
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
}

#[test]
fn connectivity_json() {
    let r = netpol(&[
        "connectivity",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    let v = json(&r.stdout);
    let items = v.as_array().expect("a list");
    // 72 pairs without x/a as destination + x/a -> x/a, on 3 protocols each; 8 pairs on TCP 81.
    assert_eq!(items.len(), 73 * 3 + 8);
    for item in items {
        let mut keys: Vec<&str> = item
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["from", "ports", "protocol", "to"]);
    }
    let find = |from: &str, to: &str, proto: &str| {
        items
            .iter()
            .find(|i| i["from"] == from && i["to"] == to && i["protocol"] == proto)
            .cloned()
    };
    assert_eq!(
        find("x/b", "x/a", "TCP"),
        Some(
            serde_json::json!({"from": "x/b", "to": "x/a", "protocol": "TCP", "ports": [[81, 81]]})
        )
    );
    assert_eq!(find("x/b", "x/a", "UDP"), None);
    assert_eq!(
        find("y/c", "z/b", "SCTP").map(|i| i["ports"].clone()),
        Some(serde_json::json!([[1, 65535]]))
    );
}

#[test]
fn check_valid_files() {
    let r = netpol(&[
        "check",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "dns-egress.yaml",
    ]);
    // Valid, but z/c may only use UDP 53: the DNS lint says TCP 53 is missing.
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("dns-egress.yaml:8:9: warning: z/c is egress-isolated and cannot reach any destination on TCP 53"), "{}", r.stderr);
    expect![[r#"
        ok: 3 files, 3 namespaces, 9 pods, 1 external endpoint, 2 policies; 0 errors, 0 warnings; 1 lint
    "#]]
    .assert_eq(&r.stdout);
}

/// `file:line:col: severity: message` with numeric line and column.
fn assert_diagnostic_format(line: &str, file: &str, severity: &str) {
    let rest = line
        .strip_prefix(&format!("{file}:"))
        .unwrap_or_else(|| panic!("{line:?} starts with {file}:"));
    let parts: Vec<&str> = rest.splitn(3, ':').collect();
    assert_eq!(parts.len(), 3, "{line:?}");
    assert!(
        parts[0].parse::<u32>().is_ok_and(|n| n >= 1),
        "line number in {line:?}"
    );
    assert!(
        parts[1].parse::<u32>().is_ok_and(|n| n >= 1),
        "column number in {line:?}"
    );
    assert!(parts[2].starts_with(&format!(" {severity}: ")), "{line:?}");
}

#[test]
fn check_invalid_policy() {
    let r = netpol(&["check", "e2e-model.yaml", "broken.yaml"]);
    assert_eq!(r.code, 2);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert_diagnostic_format(errors[0], "broken.yaml", "error");
    assert!(
        errors[0].starts_with("broken.yaml:12:"),
        "the cidr is on line 12: {}",
        errors[0]
    );
    assert!(
        errors[0].contains(r#"spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33""#),
        "{}",
        errors[0]
    );
    assert!(
        r.stdout.starts_with(
            "invalid: 2 files, 3 namespaces, 9 pods, 0 external endpoints, 1 policy; 1 error, "
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn errors_still_print_the_valid_part_and_exit_2() {
    // bad-cidr (in x) is left out; deny-all-ingress isolates every pod of y with no rules, so
    // y's pods accept nothing but themselves. x and z are unisolated.
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "broken.yaml",
        "--port",
        "80/TCP",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2);
    let v = json(&r.stdout);
    let mut denied = Vec::new();
    for (i, s) in PODS.iter().enumerate() {
        for (j, d) in PODS.iter().enumerate() {
            assert_eq!(
                v["allowed"][i][j].as_bool(),
                Some(!(d.starts_with("y/") && s != d)),
                "{s} -> {d}"
            );
            if d.starts_with("y/") && s != d {
                denied.push((s, d));
            }
        }
    }
    assert_eq!(denied.len(), 24);
    // explain: errors take precedence over the verdict's exit code.
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "broken.yaml",
        "--from",
        "x/a",
        "--to",
        "x/b",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("ALLOWED"), "{}", r.stdout);
}

#[test]
fn yaml_syntax_error() {
    let r = netpol(&["check", "bad-yaml.yaml"]);
    assert_eq!(r.code, 2);
    let first = r.stderr.lines().next().expect("a diagnostic");
    assert_diagnostic_format(first, "bad-yaml.yaml", "error");
    assert!(first.contains("YAML syntax error"), "{first}");
}

#[test]
fn unreadable_file() {
    let r = netpol(&["matrix", "no-such-file.yaml", "--port", "80"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("no-such-file.yaml: error: cannot read: "),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["matrix", "e2e-model.yaml"],
        &["matrix", "--port", "80"],
        &["matrix", "e2e-model.yaml", "--port", "80/ICMP"],
        &[
            "matrix",
            "e2e-model.yaml",
            "--port",
            "80",
            "--format",
            "yaml",
        ],
        &["explain", "e2e-model.yaml", "--from", "x/a", "--port", "80"],
        &["check", "e2e-model.yaml", "--port", "80"],
        &["connectivity", "e2e-model.yaml", "--what"],
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(
            r.stderr.starts_with("netpol: error: "),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("\nhint: "), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_and_version() {
    for (args, first) in [
        (
            &["--help"][..],
            "netpol: what Kubernetes NetworkPolicies allow, and why",
        ),
        (
            &["-h"],
            "netpol: what Kubernetes NetworkPolicies allow, and why",
        ),
        (
            &["matrix", "--help"],
            "netpol matrix: truth table of allowed flows on one port",
        ),
        (
            &["explain", "-h"],
            "netpol explain: why one flow is allowed or denied",
        ),
        (
            &["connectivity", "--help"],
            "netpol connectivity: every allowed flow over every port and protocol",
        ),
        (
            &["check", "--help"],
            "netpol check: validate the files only",
        ),
        (&["help", "check"], "netpol check: validate the files only"),
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert_eq!(r.stdout.lines().next(), Some(first), "{args:?}");
        assert!(r.stdout.contains("Usage: netpol"), "{args:?}");
    }
    let r = netpol(&["--version"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, concat!("netpol ", env!("CARGO_PKG_VERSION"), "\n"))
    );
}

/// AND (namespace y AND pod=b) admits y/b only; the OR variant admits every pod of y plus the
/// pods labelled pod=b in x (API reference: items are ORed, selectors in one item ANDed).
#[test]
fn and_or_lists_the_split_variant_and_its_gains() {
    let r = netpol(&[
        "and-or",
        "e2e-model.yaml",
        "and-peer.yaml",
        "--format",
        "json",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v = json(&r.stdout);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    let tcp = &v[0]["ports"][0];
    assert_eq!(tcp["protocol"], "TCP");
    let gained: Vec<String> = tcp["gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} -> {}",
                f["from"].as_str().unwrap(),
                f["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(gained, ["x/b -> x/a", "y/a -> x/a", "y/c -> x/a"]);
    assert_eq!(tcp["lost"].as_array().map(Vec::len), Some(0));
}

/// The split rule (x/b on every port, OR every pod on TCP 81) against the merged rule (x/b on
/// TCP 81 only; API reference: rules are ORed, a rule needs a peer and a port to match, an empty
/// `ports` matches every port and an empty `from` every source; a pod always reaches itself):
/// merging loses the 7 other pods on TCP 81 (all but x/a itself and x/b) and x/b on every
/// other port of every protocol, and gains nothing.
#[test]
fn and_or_lists_the_split_rule_variant_and_its_losses() {
    let r = netpol(&[
        "and-or",
        "e2e-model.yaml",
        "split-rule.yaml",
        "--format",
        "json",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v = json(&r.stdout);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["kind"]["kind"], "merge_rules");
    assert_eq!(v[0]["kind"]["peers_rule"], 0);
    assert_eq!(v[0]["kind"]["ports_rule"], 1);
    assert_eq!(v[0]["rule"], 0);
    let flows = |p: &Value, key: &str| -> Vec<String> {
        p[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} -> {}",
                    f["from"].as_str().unwrap(),
                    f["to"].as_str().unwrap()
                )
            })
            .collect()
    };
    let changed: Vec<(String, Vec<String>, Vec<String>)> = v[0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                format!(
                    "{} {}-{}",
                    p["protocol"].as_str().unwrap(),
                    p["ports"][0],
                    p["ports"][1]
                ),
                flows(p, "gained"),
                flows(p, "lost"),
            )
        })
        .filter(|(_, g, l)| !g.is_empty() || !l.is_empty())
        .collect();
    let xb = || vec!["x/b -> x/a".to_string()];
    let others: Vec<String> = PODS
        .iter()
        .filter(|p| !["x/a", "x/b"].contains(p))
        .map(|p| format!("{p} -> x/a"))
        .collect();
    assert_eq!(
        changed,
        [
            ("TCP 1-80".to_string(), vec![], xb()),
            ("TCP 81-81".to_string(), vec![], others),
            ("TCP 82-65535".to_string(), vec![], xb()),
            ("UDP 1-65535".to_string(), vec![], xb()),
            ("SCTP 1-65535".to_string(), vec![], xb()),
        ]
    );
    let text = netpol(&["and-or", "e2e-model.yaml", "split-rule.yaml"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    expect![[r#"
        x/api ingress[0]: this rule has only `from` and ingress[1] only `ports` (two rules, ORed: a stray `-`?); the variant merges them into one rule (AND)
            now:                  variant:
            - from:               - from:
              - podSelector:        - podSelector:
                  matchLabels:          matchLabels:
                    pod: b                pod: b
            - ports:                ports:
              - protocol: TCP       - protocol: TCP
                port: 81              port: 81
          now:     OR: two rules: from pods labelled pod=b in namespace x on every port, plus TCP 81 from every source
          variant: AND: one rule: from pods labelled pod=b in namespace x on TCP 81
          TCP 1-80 (shown as 80/TCP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          TCP 81 (shown as 81/TCP): 0 gained, 7 lost, 74 unchanged
            - x/c -> x/a
            - y/a -> x/a
            - y/b -> x/a
            - y/c -> x/a
            - z/a -> x/a
            - z/b -> x/a
            - z/c -> x/a
          TCP 82-65535 (shown as 82/TCP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          UDP 1-65535 (shown as 80/UDP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          SCTP 1-65535 (shown as 80/SCTP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a

    "#]]
    .assert_eq(&text.stdout);
}

/// The same policies are equivalent (exit 0); AND-peer vs pod=b in x differ (exit 1): the
/// first admits y/b into x/a, the second x/b.
#[test]
fn diff_exit_codes_and_flows() {
    let same = netpol(&[
        "diff",
        "--before",
        "and-peer.yaml",
        "--after",
        "and-peer.yaml",
        "e2e-model.yaml",
    ]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stdout.starts_with("equivalent"));
    let r = netpol(&[
        "diff",
        "--before",
        "and-peer.yaml",
        "--after",
        "allow-x-a-from-x-b.yaml",
        "e2e-model.yaml",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    expect![[r#"
        different: 6 changed (flow, port range) pairs
        TCP 1-65535 (shown as 80/TCP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
        UDP 1-65535 (shown as 80/UDP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
        SCTP 1-65535 (shown as 80/SCTP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
    "#]]
    .assert_eq(&r.stdout);
    let usage = netpol(&["diff", "e2e-model.yaml", "--before", "and-peer.yaml"]);
    assert_eq!(usage.code, 2);
}

/// An exercise's reference solution meets every goal (exit 0); its starting policies do not
/// (exit 1).
#[test]
fn exercise_check_solution_and_start() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("exercises/05-default-deny-broke-dns.yaml");
    let ex = netpol_engine::parse_exercise(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let dir = root.join("target/cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let (sol, start) = (dir.join("solution.yaml"), dir.join("start.yaml"));
    std::fs::write(&sol, &ex.solution).unwrap();
    std::fs::write(&start, &ex.policies).unwrap();
    let p = |x: &PathBuf| x.to_str().unwrap().to_string();
    let ok = netpol(&["exercise", "check", &p(&path), &p(&sol)]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("8 of 8 goals met"), "{}", ok.stdout);
    let bad = netpol(&[
        "exercise",
        "check",
        &p(&path),
        &p(&start),
        "--format",
        "json",
    ]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert_eq!(json(&bad.stdout)["met"], false);
    assert_eq!(netpol(&["exercise", "grade", &p(&path)]).code, 2);
}
