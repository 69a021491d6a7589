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

mod check;
mod connectivity;
mod explain;
mod matrix;
mod teach;
