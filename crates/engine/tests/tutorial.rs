//! The tutorial in `tutorial/`: every step is a `NN-slug.md` lesson and a `NN-slug.yaml`
//! scenario. Every scenario parses without errors, every verdict its lesson claims (`expect`)
//! holds, and every highlight names something that exists.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netpol_engine::exercise::{check_step, parse_tutorial_step, Highlight, TutorialStep};
use netpol_engine::{compile, has_errors, parse, Input, PortProto, Severity};

fn tutorial_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tutorial")
}

/// File stems (`01-mental-model`) of the files with extension `ext`, sorted.
fn stems(ext: &str) -> Vec<String> {
    let dir = tutorial_dir();
    let mut out: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

fn read(stem: &str, ext: &str) -> String {
    std::fs::read_to_string(tutorial_dir().join(format!("{stem}.{ext}"))).unwrap()
}

fn steps() -> Vec<(String, TutorialStep, String)> {
    stems("yaml")
        .into_iter()
        .map(|stem| {
            let step = parse_tutorial_step(&read(&stem, "yaml"))
                .unwrap_or_else(|e| panic!("{stem}.yaml: {e}"));
            let md = read(&stem, "md");
            (stem, step, md)
        })
        .collect()
}

#[test]
fn lessons_and_scenarios_pair_up_in_order() {
    let md: BTreeSet<String> = stems("md").into_iter().collect();
    let yaml: BTreeSet<String> = stems("yaml").into_iter().collect();
    assert_eq!(
        md, yaml,
        "every NN-slug.md needs a NN-slug.yaml and vice versa"
    );
    assert!(
        (7..=10).contains(&md.len()),
        "the tutorial has 7 to 10 steps, found {}",
        md.len()
    );
    for (i, stem) in md.iter().enumerate() {
        let prefix = format!("{:02}-", i + 1);
        assert!(
            stem.starts_with(&prefix),
            "{stem}: expected the prefix {prefix} (steps are numbered 01, 02, … without gaps)"
        );
    }
}

#[test]
fn lessons_have_a_title_and_a_look_at_section() {
    for (stem, step, md) in steps() {
        let first = md.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("# {}", step.title),
            "{stem}.md must start with `# {}` (the title of {stem}.yaml)",
            step.title
        );
        assert!(
            md.lines().any(|l| l.trim() == "## Look at"),
            "{stem}.md needs a `## Look at` section"
        );
        assert!(
            !step.highlight.is_empty(),
            "{stem}.yaml: highlight what the lesson talks about"
        );
        assert!(
            !step.expect.is_empty(),
            "{stem}.yaml: list the verdicts the lesson claims under `expect`"
        );
    }
}

#[test]
fn scenarios_are_valid_and_claims_hold() {
    let mut failures = Vec::new();
    for (stem, step, _) in steps() {
        let (results, diags) = check_step(&step);
        if has_errors(&diags) {
            for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                failures.push(format!("{stem}: {d}"));
            }
        }
        for r in results.iter().filter(|r| !r.met) {
            failures.push(format!(
                "{stem}: the lesson claims `{}`, but: {}",
                r.description, r.detail
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn highlights_name_existing_things() {
    let mut failures = Vec::new();
    for (stem, step, _) in steps() {
        let (model, _) = parse(&[
            Input {
                name: "cluster",
                text: &step.cluster,
            },
            Input {
                name: "policies",
                text: &step.policies,
            },
        ]);
        let index = compile(model.clone());
        let pod_exists = |name: &str| {
            index
                .endpoint(name)
                .is_some_and(|e| index.endpoints()[e.index()].is_pod())
        };
        for h in &step.highlight {
            match h {
                Highlight::Flow { from, to, port } => {
                    for end in [from, to] {
                        if index.endpoint(end).is_none() {
                            failures
                                .push(format!("{stem}: highlighted flow names no endpoint {end}"));
                        }
                    }
                    if PortProto::parse(port).is_err() {
                        failures.push(format!("{stem}: highlighted flow has a bad port {port}"));
                    }
                }
                Highlight::Policy(id) => {
                    let tiered = model.cluster_policies.iter().any(|p| p.id() == *id);
                    if !tiered && !model.policies.iter().any(|p| p.id() == *id) {
                        failures.push(format!("{stem}: highlighted policy {id} does not exist"));
                    }
                }
                Highlight::Pod(name) => {
                    if !pod_exists(name) {
                        failures.push(format!("{stem}: highlighted pod {name} does not exist"));
                    }
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The lints some lessons point at really show up in their scenarios.
#[test]
fn lessons_that_mention_a_lint_show_it() {
    for (stem, code) in [
        ("03-default-deny-breaks-dns", "dns-trap"),
        ("06-other-namespaces-and-or", "or-bug"),
        (
            "09-tiers-and-precedence",
            "admin-deny-overrides-networkpolicy",
        ),
    ] {
        let step = parse_tutorial_step(&read(stem, "yaml")).unwrap();
        let (model, _) = parse(&[
            Input {
                name: "cluster",
                text: &step.cluster,
            },
            Input {
                name: "policies",
                text: &step.policies,
            },
        ]);
        let index = compile(model.clone());
        let lints = netpol_engine::lint(&index, &[&step.cluster, &step.policies]);
        assert!(
            lints.iter().any(|l| l.code == code),
            "{stem}: the lesson mentions the {code} lint, but it does not fire: {lints:?}"
        );
    }
}
