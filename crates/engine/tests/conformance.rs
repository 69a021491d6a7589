//! Data-driven conformance tests: every case in `tests/conformance/*.yaml` and
//! `tests/conformance/tiered/*.yaml`.
//!
//! The expected results in those files come from the Kubernetes `networking.k8s.io/v1` API
//! reference and the upstream e2e NetworkPolicy tests, and for the tiered policies from the
//! network-policy-api documentation and conformance tests, never from running the engine. The
//! case format is described in `tests/conformance/README.md` and
//! `tests/conformance/tiered/README.md`.
//!
//! Every case is checked and every failure collected, so one run shows everything. Set
//! `CONFORMANCE_FILTER=text` to run only the cases whose name contains `text`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol_engine::explain::{DecidingTier, SideExplanation, TierRuleMatch};
use netpol_engine::model::Action;
use netpol_engine::{
    compile, parse, Cell, Compiled, Endpoint, EndpointId, EndpointKind, Input, PortProto,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Where the expectation comes from (an upstream test or an API reference sentence).
    source: String,
    cluster: String,
    #[serde(default)]
    policies: Option<String>,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    explain: Vec<ExplainCheck>,
    /// When present: the exact multiset of error and warning diagnostics.
    #[serde(default)]
    diagnostics: Option<Vec<DiagCheck>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    port: String,
    flows: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainCheck {
    from: String,
    to: String,
    port: String,
    allowed: bool,
    #[serde(default)]
    contains: Vec<String>,
    /// The tier walk of the source's egress (tiered cases).
    #[serde(default)]
    egress: Option<SideCheck>,
    /// The tier walk of the destination's ingress (tiered cases).
    #[serde(default)]
    ingress: Option<SideCheck>,
}

/// Who decided one direction of a flow (`tests/conformance/tiered/README.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SideCheck {
    /// `Admin`, `NetworkPolicy`, `Baseline` or `Default`.
    tier: String,
    /// `Kind/name` of the deciding tiered policy.
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    rule: Option<usize>,
    /// As written in the policy's kind: `Allow`, `Accept`, `Deny`.
    #[serde(default)]
    action: Option<String>,
    /// The Pass rule that handed the flow down.
    #[serde(default)]
    pass: Option<PassCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PassCheck {
    policy: String,
    rule: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DiagCheck {
    file: String,
    line: u32,
    severity: String,
    contains: String,
}

fn conformance_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

/// The `*.yaml` files of `dir`, sorted.
fn case_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no *.yaml case files in {}",
        dir.display()
    );
    files
}

/// Reads every `*.yaml` file (`tiered/` included): each holds one case or a list of cases.
/// Returns `(file name, case)` pairs, and a failure per file or case that does not load.
fn load_cases(failures: &mut Vec<String>) -> Vec<(String, Case)> {
    let dir = conformance_dir();
    let mut files = case_files(&dir);
    files.extend(case_files(&dir.join("tiered")));

    let mut cases = Vec::new();
    for path in files {
        let file = path
            .strip_prefix(&dir)
            .unwrap_or(&path)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let value: serde_yaml::Value = match serde_yaml::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                failures.push(format!("{file}: not valid YAML: {e}"));
                continue;
            }
        };
        let items = match value {
            serde_yaml::Value::Sequence(items) => items,
            other => vec![other],
        };
        for (i, item) in items.into_iter().enumerate() {
            match serde_yaml::from_value::<Case>(item) {
                Ok(case) => cases.push((file.clone(), case)),
                Err(e) => failures.push(format!("{file}: case #{}: not a valid case: {e}", i + 1)),
            }
        }
    }
    cases
}

/// One side of a flow pattern.
enum Sel {
    /// `*`: every endpoint.
    All,
    /// `ns/*`: every pod of a namespace.
    Namespace(String),
    /// `*/pod`: pods of that name in every namespace.
    PodName(String),
    /// `ns/pod` or an external's name.
    Exact(String),
}

fn parse_sel(s: &str) -> Sel {
    if s == "*" {
        return Sel::All;
    }
    match s.split_once('/') {
        Some((ns, "*")) => Sel::Namespace(ns.to_string()),
        Some(("*", pod)) => Sel::PodName(pod.to_string()),
        _ => Sel::Exact(s.to_string()),
    }
}

fn is_pod(ep: &Endpoint) -> bool {
    matches!(ep.kind, EndpointKind::Pod { .. })
}

fn sel_matches(sel: &Sel, ep: &Endpoint) -> bool {
    match sel {
        Sel::All => true,
        Sel::Namespace(ns) => is_pod(ep) && ep.namespace.as_deref() == Some(ns.as_str()),
        Sel::PodName(pod) => {
            is_pod(ep) && ep.name.split_once('/').is_some_and(|(_, name)| name == pod)
        }
        Sel::Exact(name) => ep.name == *name,
    }
}

/// Parses `SRC -> DST: allow|deny`.
fn parse_flow(line: &str) -> Result<(Sel, Sel, bool), String> {
    let (lhs, verdict) = line
        .rsplit_once(':')
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST: allow|deny`"))?;
    let allow = match verdict.trim() {
        "allow" => true,
        "deny" => false,
        other => {
            return Err(format!(
                "flow `{line}`: verdict `{other}` is neither allow nor deny"
            ))
        }
    };
    let (src, dst) = lhs
        .split_once("->")
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST`"))?;
    Ok((parse_sel(src.trim()), parse_sel(dst.trim()), allow))
}

fn verdict(allowed: bool) -> &'static str {
    if allowed {
        "allow"
    } else {
        "deny"
    }
}

/// Checks one `expect` entry: builds the expected truth table and compares every cell.
fn check_expect(index: &Compiled, expect: &Expect, errors: &mut Vec<String>) {
    let port = match PortProto::parse(&expect.port) {
        Ok(p) => p,
        Err(e) => {
            errors.push(format!("expect port `{}`: {e}", expect.port));
            return;
        }
    };
    let endpoints = index.endpoints();
    let n = endpoints.len();
    let mut table: Vec<Option<bool>> = vec![None; n * n];
    for line in &expect.flows {
        let (src, dst, allow) = match parse_flow(line) {
            Ok(f) => f,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let srcs: Vec<usize> = (0..n)
            .filter(|&i| sel_matches(&src, &endpoints[i]))
            .collect();
        let dsts: Vec<usize> = (0..n)
            .filter(|&j| sel_matches(&dst, &endpoints[j]))
            .collect();
        if srcs.is_empty() || dsts.is_empty() {
            let side = if srcs.is_empty() {
                "source"
            } else {
                "destination"
            };
            errors.push(format!(
                "{port}: flow `{line}`: the {side} matches no endpoint"
            ));
            continue;
        }
        for &i in &srcs {
            for &j in &dsts {
                table[i * n + j] = Some(allow);
            }
        }
    }

    let matrix = index.matrix(port);
    let mut uncovered = Vec::new();
    let mut wrong = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if !is_pod(&endpoints[i]) && !is_pod(&endpoints[j]) {
                continue; // external → external is not a cluster flow
            }
            let (from, to) = (&endpoints[i].name, &endpoints[j].name);
            let Some(want) = table[i * n + j] else {
                uncovered.push(format!("{from} -> {to}"));
                continue;
            };
            let got = match matrix.cell(EndpointId(i), EndpointId(j)) {
                Cell::Allowed => "allow",
                Cell::Denied => "deny",
                Cell::NotApplicable => "not-applicable",
            };
            if got != verdict(want) {
                wrong.push((
                    i,
                    j,
                    format!("{from} -> {to}: expected {}, got {got}", verdict(want)),
                ));
            }
        }
    }
    if !uncovered.is_empty() {
        errors.push(format!(
            "{port}: {} flows are covered by no pattern: {}",
            uncovered.len(),
            uncovered.join(", ")
        ));
    }
    if let Some(&(i, j, _)) = wrong.first() {
        let mut msg = format!("{port}: {} wrong cells:\n", wrong.len());
        for (_, _, line) in &wrong {
            let _ = writeln!(msg, "    {line}");
        }
        let why = index.explain(EndpointId(i), EndpointId(j), port).to_text();
        let _ = write!(
            msg,
            "  explanation of {} -> {}:\n{}",
            endpoints[i].name,
            endpoints[j].name,
            indent(&why, "    ")
        );
        errors.push(msg);
    }
}

fn check_explain(index: &Compiled, check: &ExplainCheck, errors: &mut Vec<String>) {
    let what = format!("explain {} -> {} on {}", check.from, check.to, check.port);
    let (Some(from), Some(to)) = (index.endpoint(&check.from), index.endpoint(&check.to)) else {
        errors.push(format!("{what}: no such endpoint"));
        return;
    };
    let port = match PortProto::parse(&check.port) {
        Ok(p) => p,
        Err(e) => {
            errors.push(format!("{what}: {e}"));
            return;
        }
    };
    let explanation = index.explain(from, to, port);
    let text = explanation.to_text();
    if explanation.allowed() != check.allowed {
        errors.push(format!(
            "{what}: expected {}, got {}; explanation:\n{}",
            verdict(check.allowed),
            verdict(explanation.allowed()),
            indent(&text, "    ")
        ));
    }
    for needle in &check.contains {
        if !text.contains(needle.as_str()) {
            errors.push(format!(
                "{what}: explanation does not contain `{needle}`:\n{}",
                indent(&text, "    ")
            ));
        }
    }
    for (name, want, side) in [
        ("egress", &check.egress, &explanation.egress),
        ("ingress", &check.ingress, &explanation.ingress),
    ] {
        if let Some(want) = want {
            if let Some(problem) = check_side(want, side.as_ref()) {
                errors.push(format!(
                    "{what}: {name}: {problem}; explanation:\n{}",
                    indent(&text, "    ")
                ));
            }
        }
    }
}

fn tier_name(t: DecidingTier) -> &'static str {
    match t {
        DecidingTier::Admin => "Admin",
        DecidingTier::NetworkPolicy => "NetworkPolicy",
        DecidingTier::Baseline => "Baseline",
        DecidingTier::Default => "Default",
    }
}

/// Compares one direction's tier walk with the check; `Some(problems)` when they differ.
fn check_side(want: &SideCheck, side: Option<&SideExplanation>) -> Option<String> {
    let Some(side) = side else {
        return Some("no walk on this side (not a pod)".to_string());
    };
    let walk = side.tiers.as_ref();
    let tier = tier_name(side.decided_by());
    let deciding: Option<&TierRuleMatch> = walk.and_then(|w| match w.decided_by {
        DecidingTier::Admin => w.admin_rule.as_ref(),
        DecidingTier::Baseline => w.baseline_rule.as_ref(),
        _ => None,
    });
    let mut problems = Vec::new();
    if tier != want.tier {
        problems.push(format!("tier {tier}, expected {}", want.tier));
    }
    if let Some(p) = &want.policy {
        let got = deciding.map(|m| m.policy.id.as_str());
        if got != Some(p.as_str()) {
            problems.push(format!("policy {got:?}, expected {p}"));
        }
    }
    if let Some(r) = want.rule {
        let got = deciding.map(|m| m.rule);
        if got != Some(r) {
            problems.push(format!("rule {got:?}, expected {r}"));
        }
    }
    if let Some(a) = &want.action {
        let got = deciding.map(|m| m.action_word);
        if got != Some(a.as_str()) {
            problems.push(format!("action {got:?}, expected {a}"));
        }
    }
    if let Some(pass) = &want.pass {
        let passes: Vec<&TierRuleMatch> = walk
            .into_iter()
            .flat_map(|w| w.admin_rule.iter().chain(&w.baseline_rule))
            .filter(|m| m.action == Action::Pass)
            .collect();
        if !passes
            .iter()
            .any(|m| m.policy.id == pass.policy && m.rule == pass.rule)
        {
            let got: Vec<(String, usize)> = passes
                .iter()
                .map(|m| (m.policy.id.clone(), m.rule))
                .collect();
            problems.push(format!(
                "pass {got:?}, expected {} rule {}",
                pass.policy, pass.rule
            ));
        }
    }
    (!problems.is_empty()).then(|| problems.join("; "))
}

fn check_diagnostics(
    expected: Option<&[DiagCheck]>,
    diags: &[netpol_engine::Diagnostic],
    errors: &mut Vec<String>,
) {
    let actual: Vec<&netpol_engine::Diagnostic> = diags
        .iter()
        .filter(|d| matches!(d.severity.as_str(), "error" | "warning"))
        .collect();
    let expected = expected.unwrap_or(&[]);
    let mut used = vec![false; actual.len()];
    let mut missing = Vec::new();
    for want in expected {
        let found = actual.iter().enumerate().position(|(k, d)| {
            !used[k]
                && d.file == want.file
                && d.line == want.line
                && d.severity.as_str() == want.severity
                && d.message.contains(want.contains.as_str())
        });
        match found {
            Some(k) => used[k] = true,
            None => missing.push(format!(
                "{}:{}: {}: …{}…",
                want.file, want.line, want.severity, want.contains
            )),
        }
    }
    let extra: Vec<String> = actual
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(d, _)| d.to_string())
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return;
    }
    let mut msg = String::from("diagnostics differ:\n");
    for m in &missing {
        let _ = writeln!(msg, "    missing:    {m}");
    }
    for e in &extra {
        let _ = writeln!(msg, "    unexpected: {e}");
    }
    msg.push_str("  all diagnostics:\n");
    if diags.is_empty() {
        msg.push_str("    (none)\n");
    }
    for d in diags {
        let _ = writeln!(msg, "    {d}");
    }
    errors.push(msg.trim_end().to_string());
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines().map(|l| format!("{prefix}{l}\n")).collect()
}

/// Runs one case; returns its failures.
fn run_case(case: &Case) -> Vec<String> {
    let mut errors = Vec::new();
    if case.source.trim().is_empty() {
        errors.push("the case has no `source`".to_string());
    }
    let policies = case.policies.as_deref().unwrap_or("");
    let (model, diags) = parse(&[
        Input {
            name: "cluster",
            text: &case.cluster,
        },
        Input {
            name: "policies",
            text: policies,
        },
    ]);
    check_diagnostics(case.diagnostics.as_deref(), &diags, &mut errors);

    let index = compile(model.clone());
    for expect in &case.expect {
        check_expect(&index, expect, &mut errors);
    }
    for check in &case.explain {
        check_explain(&index, check, &mut errors);
    }
    errors
}

#[test]
fn conformance() {
    let mut report = Vec::new();
    let cases = load_cases(&mut report);
    let load_errors = report.len();
    let filter = std::env::var("CONFORMANCE_FILTER").ok();

    let mut names = BTreeSet::new();
    let mut run = 0;
    let mut failed = 0;
    for (file, case) in &cases {
        if !names.insert(case.name.as_str()) {
            report.push(format!("{file}: duplicate case name `{}`", case.name));
        }
        if filter.as_deref().is_some_and(|f| !case.name.contains(f)) {
            continue;
        }
        run += 1;
        let errors = run_case(case);
        if !errors.is_empty() {
            failed += 1;
            let mut msg = format!("FAILED {file}: {}\n  source: {}\n", case.name, case.source);
            for e in errors {
                let _ = writeln!(msg, "  {}", e.trim_end().replace('\n', "\n  "));
            }
            report.push(msg);
        }
    }

    println!(
        "conformance: {run} cases run, {} passed, {failed} failed",
        run - failed
    );
    if !report.is_empty() {
        panic!(
            "{failed} of {run} conformance cases failed, {load_errors} entries did not load\n\n{}",
            report.join("\n")
        );
    }
}
