//! Every exercise in `exercises/`: it parses, its reference solution meets every goal without
//! errors, its starting policies fail at least one goal, and the set is a usable course.
//!
//! The goals in those files are derived from the NetworkPolicy API reference, never from running
//! the engine; a failure here means either the file or the engine is wrong.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netpol_engine::exercise::{check, parse_exercise, Exercise, Level};
use netpol_engine::lint::{lint, CODES};
use netpol_engine::{compile, has_errors, parse, Input, Severity};

fn exercises_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../exercises")
}

/// `(file name, text)` of every `*.yaml` file, sorted by name.
fn files() -> Vec<(String, String)> {
    let dir = exercises_dir();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

fn load() -> Vec<(String, Exercise)> {
    let mut failures = Vec::new();
    let mut out = Vec::new();
    for (name, text) in files() {
        match parse_exercise(&text) {
            Ok(ex) => out.push((name, ex)),
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    out
}

#[test]
fn file_names_are_numbered_in_order() {
    let names: Vec<String> = files().into_iter().map(|(n, _)| n).collect();
    assert!(
        names.len() >= 12,
        "at least 12 exercises, found {}",
        names.len()
    );
    for (i, name) in names.iter().enumerate() {
        let prefix = format!("{:02}-", i + 1);
        assert!(
            name.starts_with(&prefix),
            "{name}: expected the prefix {prefix} (files are numbered 01, 02, … without gaps)"
        );
        let slug = name[3..].trim_end_matches(".yaml");
        assert!(
            !slug.is_empty()
                && slug
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{name}: the slug must be lower-case words joined by -"
        );
    }
}

#[test]
fn solutions_meet_every_goal_and_starting_states_do_not() {
    let mut failures = Vec::new();
    for (name, ex) in load() {
        let (results, diags) = check(&ex, &ex.solution);
        if has_errors(&diags) {
            for d in diags.iter().filter(|d| d.severity == Severity::Error) {
                failures.push(format!("{name}: solution: {d}"));
            }
        }
        for r in results.iter().filter(|r| !r.met) {
            failures.push(format!(
                "{name}: solution does not meet `{}`: {}",
                r.description, r.detail
            ));
        }
        let (results, _) = check(&ex, &ex.policies);
        if results.iter().all(|r| r.met) {
            failures.push(format!(
                "{name}: the starting policies already meet every goal"
            ));
        }
        // The cluster itself must be clean: errors there are the author's, not the learner's.
        let (_, cluster_diags) = parse(&[Input {
            name: "cluster",
            text: &ex.cluster,
        }]);
        for d in &cluster_diags {
            failures.push(format!("{name}: cluster: {d}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_course_has_every_level_in_order_and_unique_titles() {
    let all = load();
    let levels: Vec<Level> = all.iter().map(|(_, ex)| ex.level).collect();
    for level in [Level::Easy, Level::Medium, Level::Hard] {
        assert!(levels.contains(&level), "no {level} exercise");
    }
    for w in all.windows(2) {
        assert!(
            w[0].1.level <= w[1].1.level,
            "{} ({}) comes after {} ({}): exercises go from easy to hard",
            w[1].0,
            w[1].1.level,
            w[0].0,
            w[0].1.level
        );
    }
    let mut titles = BTreeSet::new();
    for (name, ex) in &all {
        assert!(
            titles.insert(ex.title.clone()),
            "{name}: duplicate title {:?}",
            ex.title
        );
        assert!(!ex.hints.is_empty(), "{name}: give at least one hint");
    }
}

#[test]
fn every_trap_is_taught_somewhere() {
    let taught: BTreeSet<String> = load().into_iter().flat_map(|(_, ex)| ex.traps).collect();
    let missing: Vec<&str> = CODES
        .iter()
        .copied()
        .filter(|c| !taught.contains(*c))
        .collect();
    assert!(missing.is_empty(), "no exercise teaches {missing:?}");
}

/// A trap an exercise teaches shows up as a lint on the starting policies, and the reference
/// solution is free of it.
#[test]
fn traps_fire_on_the_start_and_not_on_the_solution() {
    let mut failures = Vec::new();
    for (name, ex) in load() {
        let codes = |policies: &str| -> BTreeSet<&'static str> {
            let (model, _) = parse(&[
                Input {
                    name: "cluster",
                    text: &ex.cluster,
                },
                Input {
                    name: "policies",
                    text: policies,
                },
            ]);
            let index = compile(model.clone());
            // Only lints about the policies (file 1) count: the learner edits those.
            lint(&index, &[&ex.cluster, policies])
                .into_iter()
                .filter(|l| l.span.file == 1)
                .map(|l| l.code)
                .collect()
        };
        let start = codes(&ex.policies);
        let solution = codes(&ex.solution);
        for trap in &ex.traps {
            if !start.contains(trap.as_str()) {
                failures.push(format!(
                    "{name}: trap {trap} does not fire on the starting policies (lints: {start:?})"
                ));
            }
            if solution.contains(trap.as_str()) {
                failures.push(format!(
                    "{name}: trap {trap} still fires on the reference solution"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
