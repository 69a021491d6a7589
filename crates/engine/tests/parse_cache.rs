//! `parse_cached` gives exactly what `parse_with` gives (the same model, the same diagnostics in
//! the same order, with the same positions), on every input the other tests use and after each
//! edit of generated edit sequences: a character or a line inserted or deleted anywhere,
//! documents swapped, added or removed, the options toggled. One cache lives through each
//! sequence, as in the playground.

use std::path::{Path, PathBuf};

use netpol_engine::{parse_cached, parse_with, Input, ParseCache, ParseOptions};
use serde_yaml::Value;

/// A scenario: input files as (name, text).
type Files = Vec<(String, String)>;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("yaml"))
        .collect();
    files.sort();
    files
}

/// The multi-line strings of every mapping in `value` (a case's `cluster` and `policies`, an
/// example's fields, a manifest case's `files[*].text`), one scenario per mapping.
fn scenarios(value: &Value, out: &mut Vec<Files>) {
    match value {
        Value::Mapping(map) => {
            let mut files = Files::new();
            for (k, v) in map {
                let key = k.as_str().unwrap_or("input").to_string();
                match v {
                    Value::String(s) if s.contains('\n') => files.push((key, s.clone())),
                    Value::Sequence(items) if key == "files" => {
                        for item in items {
                            let name = item.get("name").and_then(Value::as_str);
                            let text = item.get("text").and_then(Value::as_str);
                            if let (Some(name), Some(text)) = (name, text) {
                                files.push((name.to_string(), text.to_string()));
                            }
                        }
                    }
                    _ => scenarios(v, out),
                }
            }
            if !files.is_empty() {
                out.push(files);
            }
        }
        Value::Sequence(items) => items.iter().for_each(|v| scenarios(v, out)),
        _ => {}
    }
}

/// Every scenario of `examples/`, `tests/manifests/` and `tests/conformance/` (with `tiered/`).
fn all_scenarios() -> Vec<Files> {
    let root = root();
    let dirs = [
        root.join("examples"),
        root.join("tests/manifests"),
        root.join("tests/conformance"),
        root.join("tests/conformance/tiered"),
    ];
    let mut out = Vec::new();
    for dir in dirs {
        for path in yaml_files(&dir) {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: Value =
                serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            scenarios(&value, &mut out);
        }
    }
    out
}

/// Parses `files` both ways and compares; returns how many documents the cache reused.
fn check(cache: &mut ParseCache, files: &Files, options: &ParseOptions, what: &str) -> usize {
    let inputs: Vec<Input<'_>> = files
        .iter()
        .map(|(name, text)| Input { name, text })
        .collect();
    let want = parse_with(&inputs, options);
    let got = parse_cached(cache, &inputs, options);
    assert!(
        got == want,
        "{what}: parse_cached differs from parse_with\ninputs: {files:#?}\ncached diagnostics: {:#?}\nfresh diagnostics: {:#?}",
        got.1,
        want.1
    );
    cache.reused()
}

/// A small deterministic generator (xorshift), so that failures reproduce.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The byte ranges of the documents of `text` (split at `---` lines, each range ending with its
/// separator line).
fn documents(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            out.push((start, offset));
            start = offset;
        }
    }
    out.push((start, text.len()));
    out
}

/// One random edit of `text`, and its name.
fn edit(rng: &mut Rng, text: &mut String) -> &'static str {
    let at = floor_char_boundary(text, rng.below(text.len() + 1));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    match rng.below(8) {
        0 => {
            let c = ['a', ' ', '\n', '-', ':', '#', '{', '1'][rng.below(8)];
            text.insert(at, c);
            "insert a character"
        }
        1 => {
            if at < text.len() {
                let end = at + text[at..].chars().next().map_or(0, char::len_utf8);
                text.replace_range(at..end, "");
            }
            "delete a character"
        }
        2 => {
            let line = ["\n", "# note\n", "---\n", "  x: 1\n"][rng.below(4)];
            text.insert_str(line_start, line);
            "insert a line"
        }
        3 => {
            let end = text[line_start..]
                .find('\n')
                .map_or(text.len(), |i| line_start + i + 1);
            text.replace_range(line_start..end, "");
            "delete a line"
        }
        kind => {
            let mut docs: Vec<String> = documents(text)
                .into_iter()
                .map(|(a, b)| {
                    let mut d = text[a..b].to_string();
                    if !d.ends_with("---\n") {
                        if !d.is_empty() && !d.ends_with('\n') {
                            d.push('\n');
                        }
                        d.push_str("---\n");
                    }
                    d
                })
                .collect();
            let i = rng.below(docs.len());
            let j = rng.below(docs.len());
            let name = match kind {
                4 => {
                    docs.swap(i, j);
                    "swap two documents"
                }
                5 => {
                    let copy = docs[i].clone();
                    docs.insert(j, copy);
                    "repeat a document"
                }
                6 => {
                    docs.insert(
                        j,
                        "namespaces: {extra: {pods: {p: app=web}}}\n---\n".to_string(),
                    );
                    "add a document"
                }
                _ => {
                    docs.remove(i);
                    "remove a document"
                }
            };
            *text = docs.concat();
            name
        }
    }
}

#[test]
fn cached_parse_equals_parse_on_every_test_input() {
    let scenarios = all_scenarios();
    assert!(scenarios.len() > 100, "found {} scenarios", scenarios.len());
    let mut cache = ParseCache::default();
    for (i, files) in scenarios.iter().enumerate() {
        let options = ParseOptions {
            group_replicas: i % 2 == 1,
        };
        check(&mut cache, files, &options, &format!("scenario {i}"));
    }
}

#[test]
fn cached_parse_equals_parse_after_every_edit() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for (i, files) in all_scenarios().into_iter().enumerate() {
        let mut files = files;
        let mut cache = ParseCache::default();
        let mut options = ParseOptions::default();
        check(&mut cache, &files, &options, &format!("scenario {i}"));
        for step in 0..6 {
            let f = rng.below(files.len());
            let what = edit(&mut rng, &mut files[f].1);
            if rng.below(5) == 0 {
                options.group_replicas = !options.group_replicas;
            }
            check(
                &mut cache,
                &files,
                &options,
                &format!("scenario {i}, edit {step}: {what}"),
            );
        }
    }
}

/// Three documents: a toy cluster and two policies.
const THREE: &str = "\
namespaces: {app: {pods: {web: app=web, db: app=db}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: app}
spec: {podSelector: {}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b, namespace: app}
spec: {podSelector: {matchLabels: {app: db}}, policyTypes: [Ingress]}
";

#[test]
fn only_the_edited_document_is_read_again() {
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    let mut files = vec![("in.yaml".to_string(), THREE.to_string())];
    assert_eq!(check(&mut cache, &files, &options, "first"), 0);
    assert_eq!(cache.len(), 3);
    assert_eq!(check(&mut cache, &files, &options, "same"), 3);
    // A keystroke inside the first policy: the others are reused, the last one moved.
    files[0].1 = THREE.replacen("podSelector: {}", "podSelector: {}\n", 1);
    assert_eq!(check(&mut cache, &files, &options, "keystroke"), 2);
    // The cache keeps the documents of the last call only.
    assert_eq!(cache.len(), 3);
    // The same documents under another file name and with other options are reused.
    files[0].0 = "other.yaml".to_string();
    let grouped = ParseOptions {
        group_replicas: true,
    };
    assert_eq!(check(&mut cache, &files, &grouped, "renamed"), 3);
}

#[test]
fn what_depends_on_other_documents_is_computed_again() {
    // A policy and a namespace declared twice: which one is first depends on the order.
    let twice = format!("{THREE}---\n{}", THREE.split("---\n").nth(1).unwrap());
    let mut files = vec![("in.yaml".to_string(), twice.clone())];
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    check(&mut cache, &files, &options, "declared twice");
    let mut rng = Rng(7);
    for step in 0..40 {
        let what = edit(&mut rng, &mut files[0].1);
        check(
            &mut cache,
            &files,
            &options,
            &format!("edit {step}: {what}"),
        );
    }
}

#[test]
fn the_per_file_diagnostic_cap_counts_over_every_document() {
    // Two documents of 700 invalid toy pods each: the cap of 1,000 falls inside the second.
    let doc = |ns: &str| {
        let pods: Vec<String> = (0..700).map(|i| format!("P{i}: app=x")).collect();
        format!("namespaces: {{{ns}: {{pods: {{{}}}}}}}\n", pods.join(", "))
    };
    let text = format!("{}---\n{}", doc("a"), doc("b"));
    let mut files = vec![("in.yaml".to_string(), text)];
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    check(&mut cache, &files, &options, "two documents");
    // Swapped, and then each alone.
    let swapped = format!("{}---\n{}", doc("b"), doc("a"));
    files[0].1 = swapped;
    assert_eq!(check(&mut cache, &files, &options, "swapped"), 2);
    files[0].1 = doc("a");
    check(&mut cache, &files, &options, "one");
    // One document of 1,500 invalid pods: only the first 1,001 are positioned.
    let pods: Vec<String> = (0..1500).map(|i| format!("P{i}: app=x")).collect();
    files[0].1 = format!("namespaces: {{a: {{pods: {{{}}}}}}}\n", pods.join(", "));
    check(&mut cache, &files, &options, "one large");
    files[0].1.insert_str(0, "---\n");
    assert_eq!(check(&mut cache, &files, &options, "moved"), 1);
}

/// The lines of a policy's rules, peers and ports: `(rule, peers, ports)` per rule, ingress
/// then egress.
fn rule_lines(model: &netpol_engine::Model) -> Vec<(u32, Vec<u32>, Vec<u32>)> {
    let p = &model.policies[0];
    p.ingress
        .iter()
        .chain(&p.egress)
        .map(|r| {
            let peers = r.peers.iter().map(|x| x.span.line).collect();
            let ports = r.ports.iter().map(|x| x.span.line).collect();
            (r.span.line, peers, ports)
        })
        .collect()
}

#[test]
fn a_reused_policy_points_at_its_new_lines() {
    let text = "\
namespaces: {app: {pods: {web: app=web}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a, namespace: app}
spec:
  podSelector: {}
  ingress:
  - from:
    - podSelector: {}
    ports:
    - port: 80
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8}
";
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    let (model, _) = parse_cached(
        &mut cache,
        &[Input {
            name: "in.yaml",
            text,
        }],
        &options,
    );
    assert_eq!(
        rule_lines(&model),
        vec![(9, vec![10], vec![12]), (14, vec![15], vec![])]
    );
    // Two lines more in the first document: the policy is reused, two lines down.
    let moved = text.replacen('\n', "\nexternals:\n  dns: 8.8.8.8\n", 1);
    let inputs = [Input {
        name: "in.yaml",
        text: &moved,
    }];
    let (model, _) = parse_cached(&mut cache, &inputs, &options);
    assert_eq!(cache.reused(), 1);
    assert_eq!(model.policies[0].span.line, 7);
    assert_eq!(
        rule_lines(&model),
        vec![(11, vec![12], vec![14]), (16, vec![17], vec![])]
    );
}

#[test]
fn a_document_of_many_problems_lists_the_first_thousand_and_counts_the_rest() {
    // Pod names with capitals are invalid DNS subdomains: one error per pod, on its line.
    let mut text = String::from("namespaces:\n  a:\n    pods:\n");
    for i in 0..1500 {
        text.push_str(&format!("      P{i}: app=x\n"));
    }
    let inputs = [Input {
        name: "in.yaml",
        text: &text,
    }];
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    let first = parse_cached(&mut cache, &inputs, &options);
    // The second call replays the kept effects.
    let (_, diags) = parse_cached(&mut cache, &inputs, &options);
    assert_eq!(first.1, diags);
    assert_eq!(diags.len(), 1001);
    for (k, d) in diags[..1000].iter().enumerate() {
        assert_eq!((d.line, d.code), (k as u32 + 4, "invalid-value"), "{d}");
    }
    let last = &diags[1000];
    assert_eq!((last.line, last.code), (1004, "too-many-diagnostics"));
    assert!(last.message.starts_with("500 more problems"), "{last}");
    assert!(last
        .message
        .ends_with(&diags[999].message.replace("P999", "P1000")));
}

#[test]
fn a_document_longer_than_the_bound_is_read_every_time_and_not_kept() {
    let small = "namespaces: {a: {pods: {web: app=web}}}\n";
    let mut large = String::from("namespaces: {b: {pods: {db: app=db}}}\n");
    while large.len() <= netpol_engine::MAX_KEPT_DOCUMENT_BYTES {
        large.push_str("# a long comment line, to make the document large without objects\n");
    }
    let mut files = vec![("in.yaml".to_string(), format!("{small}---\n{large}"))];
    let options = ParseOptions::default();
    let mut cache = ParseCache::default();
    check(&mut cache, &files, &options, "first");
    assert_eq!(cache.len(), 1);
    assert_eq!(check(&mut cache, &files, &options, "again"), 1);
    files[0].1.insert_str(0, "---\n");
    assert_eq!(check(&mut cache, &files, &options, "moved"), 1);
}
