//! The tiered-policy conformance cases (`tests/conformance/tiered/*.yaml`), run before the
//! engine itself evaluates these kinds: tiered policies and nodes are read with
//! `netpol_engine::tiered`, NetworkPolicies with the engine, and each direction of each flow is
//! decided by `tiered::decide` with the engine's NetworkPolicy verdict for that side.
//!
//! Nodes are added to the model as externals (at their first IP) so that the engine's
//! NetworkPolicy verdicts cover flows to them (`ipBlock` matches node IPs; selectors never do).
//! Once the engine evaluates tiered policies, `conformance.rs` runs these cases and this file
//! goes. Expected results come from the network-policy-api docs and conformance tests, never
//! from running the code (see `tests/conformance/tiered/README.md`).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use netpol_engine::diag::FieldPath;
use netpol_engine::explain::SideExplanation;
use netpol_engine::model::{External, Model, Span};
use netpol_engine::tiered::{
    self, ClusterPolicy, Direct, NpVerdict, PeerView, PodView, TierDecision, TierOrder,
};
use netpol_engine::yaml::{split_documents, Locator};
use netpol_engine::{
    compile, parse, Compiled, Diagnostic, EndpointKind, Input, PolicyType, PortProto, Severity,
};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    cluster: String,
    #[serde(default)]
    policies: Option<String>,
    #[serde(default)]
    expect: Vec<Expect>,
    #[serde(default)]
    explain: Vec<ExplainCheck>,
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
    egress: Option<SideCheck>,
    #[serde(default)]
    ingress: Option<SideCheck>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SideCheck {
    tier: String,
    #[serde(default)]
    policy: Option<String>,
    #[serde(default)]
    rule: Option<usize>,
    #[serde(default)]
    action: Option<String>,
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

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance/tiered")
}

fn load_cases(failures: &mut Vec<String>) -> Vec<(String, Case)> {
    let dir = cases_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "yaml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no case files in {}", dir.display());
    let mut cases = Vec::new();
    for path in files {
        let file = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let items: Vec<serde_yaml::Value> = match serde_yaml::from_str(&text) {
            Ok(serde_yaml::Value::Sequence(items)) => items,
            Ok(other) => vec![other],
            Err(e) => {
                failures.push(format!("{file}: not valid YAML: {e}"));
                continue;
            }
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

const TIERED_KINDS: [&str; 4] = [
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "Node",
];

/// Everything a case's inputs hold: the engine's model and diagnostics plus the tiered policies
/// and nodes.
struct World {
    model: Model,
    diags: Vec<Diagnostic>,
    policies: Vec<ClusterPolicy>,
    /// Node name → labels.
    nodes: BTreeMap<String, netpol_engine::model::Labels>,
}

fn read_inputs(inputs: &[Input<'_>]) -> World {
    let (mut model, diags) = parse(inputs);
    // The engine skips the tiered kinds with a warning until it reads them.
    let mut diags: Vec<Diagnostic> = diags
        .into_iter()
        .filter(|d| {
            !(d.code == "skipped-kind"
                && TIERED_KINDS
                    .iter()
                    .any(|k| d.message.starts_with(&format!("skipped {k} "))))
        })
        .collect();
    let mut policies = Vec::new();
    let mut nodes = BTreeMap::new();
    for (file, input) in inputs.iter().enumerate() {
        for doc in split_documents(input.text) {
            let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(doc.text) else {
                continue;
            };
            let kind = value.get("kind").and_then(|k| k.as_str()).unwrap_or("");
            if !TIERED_KINDS.contains(&kind) {
                continue;
            }
            let locator = Locator::new(doc.text);
            let loc = |p: &FieldPath| {
                let (line, col) = locator.locate(&p.0);
                Span {
                    file,
                    line: line + doc.first_line as u32,
                    col,
                }
            };
            let path_diags = if kind == "Node" {
                let (node, d) = tiered::node(&value, &FieldPath::root(), &loc);
                if let Some(n) = node {
                    if let Some(&ip) = n.ips.first() {
                        model.externals.push(External {
                            name: n.name.clone(),
                            ip,
                            span: n.span,
                        });
                    }
                    nodes.insert(n.name, n.labels);
                }
                d
            } else {
                let (p, d) = tiered::cluster_policy(&value, &FieldPath::root(), &loc);
                policies.extend(p);
                d
            };
            for d in path_diags {
                let span = loc(&d.path);
                diags.push(Diagnostic {
                    file: input.name.to_string(),
                    line: span.line,
                    col: span.col,
                    severity: d.severity,
                    code: d.code,
                    message: d.message,
                });
            }
        }
    }
    for f in tiered::nodes_without_nodes(&policies, nodes.len()) {
        diags.push(Diagnostic {
            file: inputs[f.span.file].name.to_string(),
            line: f.span.line,
            col: f.span.col,
            severity: Severity::Warning,
            code: f.code,
            message: f.message,
        });
    }
    World {
        model,
        diags,
        policies,
        nodes,
    }
}

/// Decides flows with the tier walk over the engine's NetworkPolicy verdicts.
struct Judge<'a> {
    world: &'a World,
    index: Compiled<'a>,
    order: TierOrder,
}

/// One flow's verdict with the walk of each direction (`None`: no pod on that side, or self).
struct Flow {
    allowed: bool,
    egress: Option<TierDecision>,
    ingress: Option<TierDecision>,
}

fn np_verdict(side: Option<&SideExplanation>) -> NpVerdict {
    match side {
        Some(s) if !s.isolated_by.is_empty() && s.allowed => NpVerdict::Allowed,
        Some(s) if !s.isolated_by.is_empty() => NpVerdict::Denied,
        _ => NpVerdict::NotSelected,
    }
}

impl<'a> Judge<'a> {
    fn new(world: &'a World) -> Self {
        Judge {
            world,
            index: compile(&world.model),
            order: TierOrder::new(&world.policies),
        }
    }

    fn is_pod(&self, e: usize) -> bool {
        self.index.endpoints()[e].is_pod()
    }

    fn pod_view(&self, e: usize) -> Option<PodView<'a>> {
        let EndpointKind::Pod { pod } = self.index.endpoints()[e].kind else {
            return None;
        };
        let model = &self.world.model;
        let p = &model.pods[pod];
        let ns = model.namespace(&p.namespace)?;
        Some(PodView {
            labels: &p.labels,
            namespace_labels: &ns.labels,
            ips: &p.ips,
            ports: &p.ports,
        })
    }

    fn peer_view(&self, e: usize) -> PeerView<'a> {
        if let Some(p) = self.pod_view(e) {
            return PeerView::Pod(p);
        }
        let EndpointKind::External { external } = self.index.endpoints()[e].kind else {
            unreachable!("an endpoint is a pod or an external")
        };
        let ext = &self.world.model.externals[external];
        match self.world.nodes.get(&ext.name) {
            Some(labels) => PeerView::Node {
                labels,
                ips: std::slice::from_ref(&ext.ip),
            },
            None => PeerView::External { ip: ext.ip },
        }
    }

    fn side(
        &self,
        dir: PolicyType,
        subject: usize,
        other: usize,
        port: PortProto,
        np: NpVerdict,
    ) -> Option<TierDecision> {
        let m = Direct {
            policies: &self.world.policies,
            dir,
            subject: self.pod_view(subject)?,
            other: self.peer_view(other),
            port,
        };
        Some(tiered::decide(
            &self.world.policies,
            &self.order,
            dir,
            &m,
            np,
        ))
    }

    fn flow(&self, from: usize, to: usize, port: PortProto) -> Flow {
        if from == to {
            return Flow {
                allowed: true,
                egress: None,
                ingress: None,
            };
        }
        let ex = self.index.explain(from, to, port);
        let egress = self.side(
            PolicyType::Egress,
            from,
            to,
            port,
            np_verdict(ex.egress.as_ref()),
        );
        let ingress = self.side(
            PolicyType::Ingress,
            to,
            from,
            port,
            np_verdict(ex.ingress.as_ref()),
        );
        let ok = |d: &Option<TierDecision>| d.as_ref().is_none_or(|d| d.allowed);
        Flow {
            allowed: ok(&egress) && ok(&ingress),
            egress,
            ingress,
        }
    }

    fn describe(&self, d: &TierDecision) -> String {
        let ps = &self.world.policies;
        let rule = |r: &tiered::RuleRef| {
            format!(
                "{} rule {} {}",
                ps[r.policy].id(),
                r.rule,
                tiered::eval::action_word(ps, r)
            )
        };
        let mut s = match d.decided_by {
            tiered::DecidedBy::Admin(r) => format!("Admin: {}", rule(&r)),
            tiered::DecidedBy::Baseline(r) => format!("Baseline: {}", rule(&r)),
            other => other.tier_name().to_string(),
        };
        if let Some(p) = &d.admin_pass {
            let _ = write!(s, " (after Admin Pass {})", rule(p));
        }
        if let Some(p) = &d.baseline_pass {
            let _ = write!(s, " (after Baseline Pass {})", rule(p));
        }
        s
    }
}

enum Sel {
    All,
    Namespace(String),
    PodName(String),
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

fn sel_matches(sel: &Sel, ep: &netpol_engine::Endpoint) -> bool {
    match sel {
        Sel::All => true,
        Sel::Namespace(ns) => ep.is_pod() && ep.namespace.as_deref() == Some(ns.as_str()),
        Sel::PodName(pod) => {
            ep.is_pod() && ep.name.split_once('/').is_some_and(|(_, name)| name == pod)
        }
        Sel::Exact(name) => ep.name == *name,
    }
}

fn parse_flow(line: &str) -> Result<(Sel, Sel, bool), String> {
    let (lhs, verdict) = line
        .rsplit_once(':')
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST: allow|deny`"))?;
    let allow = match verdict.trim() {
        "allow" => true,
        "deny" => false,
        other => return Err(format!("flow `{line}`: verdict `{other}`")),
    };
    let (src, dst) = lhs
        .split_once("->")
        .ok_or_else(|| format!("flow `{line}`: expected `SRC -> DST`"))?;
    Ok((parse_sel(src.trim()), parse_sel(dst.trim()), allow))
}

fn word(allowed: bool) -> &'static str {
    if allowed {
        "allow"
    } else {
        "deny"
    }
}

fn check_expect(judge: &Judge<'_>, expect: &Expect, errors: &mut Vec<String>) {
    let port = match PortProto::parse(&expect.port) {
        Ok(p) => p,
        Err(e) => return errors.push(format!("expect port `{}`: {e}", expect.port)),
    };
    let endpoints = judge.index.endpoints();
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
            errors.push(format!("{port}: flow `{line}` matches no endpoint"));
            continue;
        }
        for &i in &srcs {
            for &j in &dsts {
                table[i * n + j] = Some(allow);
            }
        }
    }
    let mut uncovered = Vec::new();
    let mut wrong = Vec::new();
    for i in 0..n {
        for j in 0..n {
            if !judge.is_pod(i) && !judge.is_pod(j) {
                continue;
            }
            let (from, to) = (&endpoints[i].name, &endpoints[j].name);
            let Some(want) = table[i * n + j] else {
                uncovered.push(format!("{from} -> {to}"));
                continue;
            };
            let flow = judge.flow(i, j, port);
            if flow.allowed != want {
                let mut why = String::new();
                if let Some(d) = &flow.egress {
                    let _ = write!(why, " egress: {};", judge.describe(d));
                }
                if let Some(d) = &flow.ingress {
                    let _ = write!(why, " ingress: {};", judge.describe(d));
                }
                wrong.push(format!(
                    "{from} -> {to}: expected {}, got {} ({})",
                    word(want),
                    word(flow.allowed),
                    why.trim()
                ));
            }
        }
    }
    if !uncovered.is_empty() {
        errors.push(format!(
            "{port}: {} flows covered by no pattern: {}",
            uncovered.len(),
            uncovered.join(", ")
        ));
    }
    if !wrong.is_empty() {
        errors.push(format!(
            "{port}: {} wrong cells:\n    {}",
            wrong.len(),
            wrong.join("\n    ")
        ));
    }
}

fn check_side(
    judge: &Judge<'_>,
    what: &str,
    got: Option<&TierDecision>,
    want: &SideCheck,
    errors: &mut Vec<String>,
) {
    let Some(d) = got else {
        return errors.push(format!("{what}: no tier walk on this side"));
    };
    let ps = &judge.world.policies;
    let (rule, tier) = match d.decided_by {
        tiered::DecidedBy::Admin(r) | tiered::DecidedBy::Baseline(r) => {
            (Some(r), d.decided_by.tier_name())
        }
        other => (None, other.tier_name()),
    };
    let mut problems = Vec::new();
    if tier != want.tier {
        problems.push(format!("tier {tier}, expected {}", want.tier));
    }
    if let Some(p) = &want.policy {
        let id = rule.map(|r| ps[r.policy].id());
        if id.as_deref() != Some(p.as_str()) {
            problems.push(format!("policy {id:?}, expected {p}"));
        }
    }
    if let Some(i) = want.rule {
        if rule.map(|r| r.rule) != Some(i) {
            problems.push(format!("rule {:?}, expected {i}", rule.map(|r| r.rule)));
        }
    }
    if let Some(a) = &want.action {
        let got = rule.map(|r| tiered::eval::action_word(ps, &r));
        if got != Some(a.as_str()) {
            problems.push(format!("action {got:?}, expected {a}"));
        }
    }
    let pass = d.admin_pass.or(d.baseline_pass);
    match (&want.pass, pass) {
        (None, _) => {}
        (Some(w), Some(p)) if ps[p.policy].id() == w.policy && p.rule == w.rule => {}
        (Some(w), got) => problems.push(format!(
            "pass {:?}, expected {} rule {}",
            got.map(|p| (ps[p.policy].id(), p.rule)),
            w.policy,
            w.rule
        )),
    }
    if !problems.is_empty() {
        errors.push(format!(
            "{what}: {} (walk: {})",
            problems.join("; "),
            judge.describe(d)
        ));
    }
}

fn check_explain(judge: &Judge<'_>, check: &ExplainCheck, errors: &mut Vec<String>) {
    let what = format!("explain {} -> {} on {}", check.from, check.to, check.port);
    let (Some(from), Some(to)) = (
        judge.index.endpoint(&check.from),
        judge.index.endpoint(&check.to),
    ) else {
        return errors.push(format!("{what}: no such endpoint"));
    };
    let port = match PortProto::parse(&check.port) {
        Ok(p) => p,
        Err(e) => return errors.push(format!("{what}: {e}")),
    };
    let flow = judge.flow(from, to, port);
    if flow.allowed != check.allowed {
        errors.push(format!(
            "{what}: expected {}, got {}",
            word(check.allowed),
            word(flow.allowed)
        ));
    }
    if let Some(want) = &check.egress {
        check_side(
            judge,
            &format!("{what}: egress"),
            flow.egress.as_ref(),
            want,
            errors,
        );
    }
    if let Some(want) = &check.ingress {
        check_side(
            judge,
            &format!("{what}: ingress"),
            flow.ingress.as_ref(),
            want,
            errors,
        );
    }
}

fn check_diagnostics(
    expected: Option<&[DiagCheck]>,
    diags: &[Diagnostic],
    errors: &mut Vec<String>,
) {
    let actual: Vec<&Diagnostic> = diags
        .iter()
        .filter(|d| matches!(d.severity, Severity::Error | Severity::Warning))
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
    errors.push(msg.trim_end().to_string());
}

fn run_case(case: &Case) -> Vec<String> {
    let mut errors = Vec::new();
    if case.source.trim().is_empty() {
        errors.push("the case has no `source`".to_string());
    }
    let inputs = [
        Input {
            name: "cluster",
            text: &case.cluster,
        },
        Input {
            name: "policies",
            text: case.policies.as_deref().unwrap_or(""),
        },
    ];
    let world = read_inputs(&inputs);
    check_diagnostics(case.diagnostics.as_deref(), &world.diags, &mut errors);
    let judge = Judge::new(&world);
    for expect in &case.expect {
        check_expect(&judge, expect, &mut errors);
    }
    for check in &case.explain {
        check_explain(&judge, check, &mut errors);
    }
    errors
}

#[test]
fn tiered_conformance() {
    let mut report = Vec::new();
    let cases = load_cases(&mut report);
    let load_errors = report.len();
    let filter = std::env::var("CONFORMANCE_FILTER").ok();
    let mut names = BTreeSet::new();
    let (mut run, mut failed) = (0, 0);
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
        "tiered conformance: {run} cases run, {} passed, {failed} failed",
        run - failed
    );
    if !report.is_empty() {
        panic!(
            "{failed} of {run} tiered conformance cases failed, {load_errors} entries did not load\n\n{}",
            report.join("\n")
        );
    }
}
