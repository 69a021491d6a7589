//! Data-driven tests of real manifests: every case in `tests/manifests/*.yaml`.
//!
//! Each case gives input files (workloads, typed lists, JSON, Helm output, …) and the endpoints,
//! flows and diagnostics expected from them, derived by hand from the Kubernetes API reference
//! and the apiserver's validation, never from running the engine. The format is described in
//! `tests/manifests/README.md`. Every case is checked and every failure collected; set
//! `MANIFESTS_FILTER=text` to run only the cases whose name contains `text`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use netpol_engine::{
    compile, endpoint_kind, parse_with, Cell, Compiled, EndpointId, EndpointKind, Input,
    ParseOptions, PortProto,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Where the expectations come from.
    source: String,
    #[serde(default)]
    group_replicas: bool,
    files: Vec<File>,
    /// Every endpoint, in the engine's order (pods and workloads by `namespace/name`, then
    /// externals).
    endpoints: Vec<ExpectedEndpoint>,
    #[serde(default)]
    expect: Vec<Expect>,
    /// Every diagnostic, printed as `file:line:col: severity: message`.
    #[serde(default)]
    diagnostics: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedEndpoint {
    name: String,
    kind: String,
    /// Labels, ports and IPs are checked when given.
    #[serde(default)]
    labels: Option<BTreeMap<String, String>>,
    /// `name:port/PROTO` or `port/PROTO`.
    #[serde(default)]
    ports: Option<Vec<String>>,
    #[serde(default)]
    ips: Option<Vec<String>>,
}

/// Flow patterns on one port, as in `tests/conformance`: `SRC -> DST: allow|deny`, applied in
/// order, later lines overriding earlier ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    port: String,
    flows: Vec<String>,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/manifests")
}

fn load_cases() -> Vec<(String, Case)> {
    let dir = cases_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let list: Vec<Case> = serde_yaml::from_str(&text)
            .unwrap_or_else(|e| panic!("{file}: not a list of cases: {e}"));
        cases.extend(list.into_iter().map(|c| (file.clone(), c)));
    }
    cases
}

fn matches(pattern: &str, name: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    match (pattern.split_once('/'), name.split_once('/')) {
        (Some((pn, pp)), Some((nn, np))) => (pn == "*" || pn == nn) && (pp == "*" || pp == np),
        (None, None) => pattern == name,
        _ => false,
    }
}

fn check_flows(index: &Compiled, expect: &Expect, failures: &mut Vec<String>) {
    let port = PortProto::parse(&expect.port).expect("a port like 80/TCP");
    let names: Vec<&str> = index.endpoints().iter().map(|e| e.name.as_str()).collect();
    let mut want: Vec<Vec<Option<bool>>> = vec![vec![None; names.len()]; names.len()];
    for line in &expect.flows {
        let (pair, verdict) = line.rsplit_once(':').expect("SRC -> DST: allow|deny");
        let (src, dst) = pair.split_once("->").expect("SRC -> DST");
        let allow = match verdict.trim() {
            "allow" => true,
            "deny" => false,
            v => panic!("verdict {v:?}"),
        };
        for (i, a) in names.iter().enumerate() {
            for (j, b) in names.iter().enumerate() {
                if matches(src.trim(), a) && matches(dst.trim(), b) {
                    want[i][j] = Some(allow);
                }
            }
        }
    }
    let matrix = index.matrix(port);
    for (i, a) in names.iter().enumerate() {
        for (j, b) in names.iter().enumerate() {
            let cell = matrix.cell(EndpointId(i), EndpointId(j));
            if cell == Cell::NotApplicable {
                continue;
            }
            match want[i][j] {
                None => failures.push(format!("{port}: {a} -> {b} is not covered")),
                Some(w) if w != (cell == Cell::Allowed) => failures.push(format!(
                    "{port}: {a} -> {b} should be {}",
                    if w { "allowed" } else { "denied" }
                )),
                Some(_) => {}
            }
        }
    }
}

fn check_case(case: &Case) -> Vec<String> {
    let inputs: Vec<Input<'_>> = case
        .files
        .iter()
        .map(|f| Input {
            name: &f.name,
            text: &f.text,
        })
        .collect();
    let options = ParseOptions {
        group_replicas: case.group_replicas,
    };
    let (model, diags) = parse_with(&inputs, &options);
    let index = compile(model.clone());
    let mut failures = Vec::new();

    let got: Vec<String> = diags.iter().map(ToString::to_string).collect();
    if got != case.diagnostics {
        failures.push(format!(
            "diagnostics:\n  got:\n    {}\n  want:\n    {}",
            got.join("\n    "),
            case.diagnostics.join("\n    ")
        ));
    }

    let endpoints = index.endpoints();
    let got_names: Vec<&str> = endpoints.iter().map(|e| e.name.as_str()).collect();
    let want_names: Vec<&str> = case.endpoints.iter().map(|e| e.name.as_str()).collect();
    if got_names != want_names {
        failures.push(format!("endpoints: got {got_names:?}, want {want_names:?}"));
    } else {
        for (e, want) in case.endpoints.iter().enumerate() {
            let kind = endpoint_kind(&index, EndpointId(e));
            if kind != want.kind {
                failures.push(format!("{}: kind {kind}, want {}", want.name, want.kind));
            }
            let EndpointKind::Pod { pod } = endpoints[e].kind else {
                continue;
            };
            let pod = &model.pods[pod];
            if want.labels.as_ref().is_some_and(|l| *l != pod.labels) {
                failures.push(format!(
                    "{}: labels {:?}, want {:?}",
                    want.name, pod.labels, want.labels
                ));
            }
            let ports: Vec<String> = pod
                .ports
                .iter()
                .map(|c| match &c.name {
                    Some(n) => format!("{n}:{}/{}", c.port, c.protocol),
                    None => format!("{}/{}", c.port, c.protocol),
                })
                .collect();
            if want.ports.as_ref().is_some_and(|p| *p != ports) {
                failures.push(format!(
                    "{}: ports {ports:?}, want {:?}",
                    want.name, want.ports
                ));
            }
            if let Some(ips) = &want.ips {
                let got: Vec<String> = pod.ips.iter().map(ToString::to_string).collect();
                if &got != ips {
                    failures.push(format!("{}: ips {got:?}, want {ips:?}", want.name));
                }
            }
        }
    }
    for expect in &case.expect {
        check_flows(&index, expect, &mut failures);
    }
    failures
}

#[test]
fn manifest_cases() {
    let filter = std::env::var("MANIFESTS_FILTER").unwrap_or_default();
    let cases = load_cases();
    let mut failures = Vec::new();
    for (file, case) in &cases {
        assert!(!case.source.is_empty(), "{file}: {}: no source", case.name);
        if !case.name.contains(&filter) {
            continue;
        }
        for f in check_case(case) {
            failures.push(format!("{file}: {}: {f}", case.name));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    assert!(cases.len() >= 12, "the case files hold too few cases");
}
