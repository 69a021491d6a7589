//! Data-driven lint tests: `tests/lints/*.yaml` lists, per case, exactly the lints expected.

use netpol_engine::{compile, lint, parse, Input, Severity};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    /// Where the policies come from (a public recipe, tutorial or chart), for cases built on one.
    source: Option<String>,
    cluster: String,
    policies: String,
    expect: Vec<Expected>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    code: String,
    file: Option<String>,
    line: Option<u32>,
    col: Option<u32>,
    severity: Option<String>,
    contains: Option<String>,
}

#[test]
fn lint_cases() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/lints");
    let mut failures = Vec::new();
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "yaml") {
            continue;
        }
        let cases: Vec<Case> =
            serde_yaml::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        for mut case in cases {
            count += 1;
            if let Some(source) = &case.source {
                case.name = format!("{} (after {source})", case.name);
            }
            let inputs = [
                Input {
                    name: "cluster",
                    text: &case.cluster,
                },
                Input {
                    name: "policies",
                    text: &case.policies,
                },
            ];
            let (model, diags) = parse(&inputs);
            let errors: Vec<String> = diags
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| d.to_string())
                .collect();
            if !errors.is_empty() {
                failures.push(format!("{}: input errors {errors:?}", case.name));
                continue;
            }
            let index = compile(model.clone());
            let mut got = lint(&index, &[&case.cluster, &case.policies]);
            let shown: Vec<String> = got
                .iter()
                .map(|l| {
                    format!(
                        "{} {}:{} {}",
                        l.code, model.files[l.span.file], l.span.line, l.message
                    )
                })
                .collect();
            for want in &case.expect {
                let pos = got.iter().position(|l| {
                    l.code == want.code
                        && want
                            .file
                            .as_ref()
                            .is_none_or(|f| model.files[l.span.file] == *f)
                        && want.line.is_none_or(|n| l.span.line == n)
                        && want.col.is_none_or(|n| l.span.col == n)
                        && want
                            .severity
                            .as_ref()
                            .is_none_or(|s| l.severity.as_str() == s)
                        && want.contains.as_ref().is_none_or(|c| {
                            l.message.contains(c.as_str()) || l.fix.contains(c.as_str())
                        })
                });
                match pos {
                    Some(i) => {
                        got.remove(i);
                    }
                    None => failures.push(format!(
                        "{}: missing {} {:?}; got {shown:#?}",
                        case.name, want.code, want.contains
                    )),
                }
            }
            for extra in got {
                failures.push(format!(
                    "{}: unexpected {} at line {}: {}",
                    case.name, extra.code, extra.span.line, extra.message
                ));
            }
        }
    }
    assert!(count >= 20, "only {count} lint cases");
    assert!(
        failures.is_empty(),
        "{} lint failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The split-rule lint's fix text.
mod split_rule_fix {
    use netpol_engine::{compile, lint, parse, Input};

    /// The fix names the stray dash, the merged rule (its values quoted as the AND/OR
    /// fragments quote them) and where to see the flows the merge changes.
    #[test]
    fn the_fix_points_at_the_and_or_view() {
        let policies = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from: [{podSelector: {matchLabels: {tier: \"01\"}}}]
  - ports: [{port: 8080}]
";
        let cluster = "namespaces:\n  app:\n    pods: {api: app=api}\n";
        let (m, d) = parse(&[
            Input {
                name: "p",
                text: policies,
            },
            Input {
                name: "c",
                text: cluster,
            },
        ]);
        assert!(d.is_empty(), "{d:?}");
        let lints = lint(&compile(m.clone()), &[policies, cluster]);
        let l = lints.iter().find(|l| l.code == "split-rule").unwrap();
        assert_eq!((l.span.line, l.span.col), (8, 3));
        assert_eq!(
            l.fix,
            "if the ports were meant for those peers only, remove the `-` before `ports:` so that both keys sit in one rule: `- {from: [{podSelector: {matchLabels: {tier: \"01\"}}}], ports: [{protocol: TCP, port: 8080}]}`. `netpol and-or` (the AND vs OR tab in the playground) shows the flows this changes."
        );
    }
}
