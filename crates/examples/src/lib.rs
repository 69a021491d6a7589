//! # netpol-examples
//!
//! The example scenarios, exercises and tutorial steps of the playground. Each scenario is a YAML
//! file in `examples/` at the repository root (so the engine's tests, the CLI and the web app all read the same files), embedded here
//! with `include_str!`:
//!
//! ```yaml
//! title: Default deny all
//! summary: One sentence.
//! description: |
//!   A short Markdown-ish paragraph (`code`, **bold**) saying what to look at.
//! port: 53/UDP          # optional: the port the playground shows first
//! cluster: |
//!   namespaces: ...      # the toy format (docs/toy-format.md) or Kubernetes objects
//! policies: |
//!   apiVersion: networking.k8s.io/v1
//!   ...
//! ```
//!
//! The exercises (`exercises/*.yaml`, [`exercises`]) and the tutorial (`tutorial/NN-slug.md` +
//! `.yaml`, [`tutorial`]) are embedded the same way, as raw text: `netpol_engine::exercise` reads
//! them.
#![forbid(unsafe_code)]

use serde::Deserialize;

/// The embedded files, in menu order: `(id, text)`; the id is the file stem.
pub const FILES: &[(&str, &str)] = &[
    ("default", include_str!("../../../examples/default.yaml")),
    (
        "default-deny",
        include_str!("../../../examples/default-deny.yaml"),
    ),
    (
        "allow-dns",
        include_str!("../../../examples/allow-dns.yaml"),
    ),
    (
        "api-allow-frontend",
        include_str!("../../../examples/api-allow-frontend.yaml"),
    ),
    (
        "cross-namespace",
        include_str!("../../../examples/cross-namespace.yaml"),
    ),
    (
        "egress-cidr",
        include_str!("../../../examples/egress-cidr.yaml"),
    ),
    (
        "upstream-e2e",
        include_str!("../../../examples/upstream-e2e.yaml"),
    ),
    (
        "admin-guardrail",
        include_str!("../../../examples/admin-guardrail.yaml"),
    ),
    (
        "baseline-default-deny",
        include_str!("../../../examples/baseline-default-deny.yaml"),
    ),
];

/// The id of the scenario the playground opens with.
pub const DEFAULT_ID: &str = "default";

/// One example scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    /// The file stem, e.g. `default-deny`.
    pub id: String,
    pub title: String,
    /// One sentence.
    pub summary: String,
    /// A short paragraph; `code` and **bold** are the only markup.
    pub description: String,
    /// The cluster: toy format or Kubernetes objects.
    pub cluster: String,
    /// NetworkPolicy documents (and tiered policies: AdminNetworkPolicy,
    /// BaselineAdminNetworkPolicy, ClusterNetworkPolicy).
    pub policies: String,
    /// The port to show first, e.g. `8080/TCP`.
    pub port: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExample {
    title: String,
    summary: String,
    description: String,
    cluster: String,
    policies: String,
    #[serde(default)]
    port: Option<String>,
}

/// Parses one example file.
pub fn parse(id: &str, text: &str) -> Result<Example, String> {
    let raw: RawExample =
        serde_yaml::from_str(text).map_err(|e| format!("examples/{id}.yaml: {e}"))?;
    Ok(Example {
        id: id.to_string(),
        title: raw.title.trim().to_string(),
        summary: raw.summary.trim().to_string(),
        description: raw.description.trim().to_string(),
        cluster: raw.cluster,
        policies: raw.policies,
        port: raw
            .port
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty()),
    })
}

/// Every example, in menu order (the default first).
///
/// # Panics
/// When an embedded file is malformed; the tests make sure none is.
pub fn all() -> Vec<Example> {
    FILES
        .iter()
        .map(|(id, text)| parse(id, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

/// The example called `id`.
pub fn get(id: &str) -> Option<Example> {
    FILES
        .iter()
        .find(|(i, _)| *i == id)
        .map(|(id, text)| parse(id, text).unwrap_or_else(|e| panic!("{e}")))
}

/// The scenario the playground opens with: `app` / `kube-system` with default-deny, allow-dns
/// and api-allow-frontend.
pub fn default_example() -> Example {
    get(DEFAULT_ID).expect("the default example exists")
}

// ---------------------------------------------------------------------------------------------
// Exercises and the tutorial (issue 5): raw texts, parsed by `netpol_engine::exercise`.

/// The embedded exercise files (`exercises/*.yaml`), in order: `(id, yaml)`; the id is the file stem.
pub const EXERCISE_FILES: &[(&str, &str)] = &[
    (
        "01-lock-down-the-database",
        include_str!("../../../exercises/01-lock-down-the-database.yaml"),
    ),
    (
        "02-one-service-from-another",
        include_str!("../../../exercises/02-one-service-from-another.yaml"),
    ),
    (
        "03-the-policy-in-the-wrong-namespace",
        include_str!("../../../exercises/03-the-policy-in-the-wrong-namespace.yaml"),
    ),
    (
        "04-close-the-front-door",
        include_str!("../../../exercises/04-close-the-front-door.yaml"),
    ),
    (
        "05-default-deny-broke-dns",
        include_str!("../../../exercises/05-default-deny-broke-dns.yaml"),
    ),
    (
        "06-monitoring-from-another-namespace",
        include_str!("../../../exercises/06-monitoring-from-another-namespace.yaml"),
    ),
    (
        "07-name-is-not-a-namespace-label",
        include_str!("../../../exercises/07-name-is-not-a-namespace-label.yaml"),
    ),
    (
        "08-egress-rules-that-did-nothing",
        include_str!("../../../exercises/08-egress-rules-that-did-nothing.yaml"),
    ),
    (
        "09-egress-you-did-not-ask-for",
        include_str!("../../../exercises/09-egress-you-did-not-ask-for.yaml"),
    ),
    (
        "10-named-ports-know-their-protocol",
        include_str!("../../../exercises/10-named-ports-know-their-protocol.yaml"),
    ),
    (
        "11-a-range-of-ports",
        include_str!("../../../exercises/11-a-range-of-ports.yaml"),
    ),
    (
        "12-yes-no-on-off",
        include_str!("../../../exercises/12-yes-no-on-off.yaml"),
    ),
    (
        "13-half-open",
        include_str!("../../../exercises/13-half-open.yaml"),
    ),
    (
        "14-internet-yes-metadata-no",
        include_str!("../../../exercises/14-internet-yes-metadata-no.yaml"),
    ),
    (
        "15-zero-trust-for-three-tiers",
        include_str!("../../../exercises/15-zero-trust-for-three-tiers.yaml"),
    ),
    (
        "16-one-rule-not-two",
        include_str!("../../../exercises/16-one-rule-not-two.yaml"),
    ),
    (
        "17-the-admin-deny-wins",
        include_str!("../../../exercises/17-the-admin-deny-wins.yaml"),
    ),
    (
        "18-a-pass-to-nobody",
        include_str!("../../../exercises/18-a-pass-to-nobody.yaml"),
    ),
    (
        "19-the-baseline-that-never-applies",
        include_str!("../../../exercises/19-the-baseline-that-never-applies.yaml"),
    ),
    (
        "20-two-policies-one-priority",
        include_str!("../../../exercises/20-two-policies-one-priority.yaml"),
    ),
];

/// The embedded tutorial steps (`tutorial/NN-slug.md` + `.yaml`), in order: `(id, markdown, yaml)`.
pub const TUTORIAL_FILES: &[(&str, &str, &str)] = &[
    (
        "01-the-mental-model",
        include_str!("../../../tutorial/01-the-mental-model.md"),
        include_str!("../../../tutorial/01-the-mental-model.yaml"),
    ),
    (
        "02-two-directions",
        include_str!("../../../tutorial/02-two-directions.md"),
        include_str!("../../../tutorial/02-two-directions.yaml"),
    ),
    (
        "03-default-deny-breaks-dns",
        include_str!("../../../tutorial/03-default-deny-breaks-dns.md"),
        include_str!("../../../tutorial/03-default-deny-breaks-dns.yaml"),
    ),
    (
        "04-allowing-dns",
        include_str!("../../../tutorial/04-allowing-dns.md"),
        include_str!("../../../tutorial/04-allowing-dns.yaml"),
    ),
    (
        "05-one-service-from-another",
        include_str!("../../../tutorial/05-one-service-from-another.md"),
        include_str!("../../../tutorial/05-one-service-from-another.yaml"),
    ),
    (
        "06-other-namespaces-and-or",
        include_str!("../../../tutorial/06-other-namespaces-and-or.md"),
        include_str!("../../../tutorial/06-other-namespaces-and-or.yaml"),
    ),
    (
        "07-leaving-the-cluster",
        include_str!("../../../tutorial/07-leaving-the-cluster.md"),
        include_str!("../../../tutorial/07-leaving-the-cluster.yaml"),
    ),
    (
        "08-a-debugging-order",
        include_str!("../../../tutorial/08-a-debugging-order.md"),
        include_str!("../../../tutorial/08-a-debugging-order.yaml"),
    ),
    (
        "09-tiers-and-precedence",
        include_str!("../../../tutorial/09-tiers-and-precedence.md"),
        include_str!("../../../tutorial/09-tiers-and-precedence.yaml"),
    ),
    (
        "10-pass-and-delegation",
        include_str!("../../../tutorial/10-pass-and-delegation.md"),
        include_str!("../../../tutorial/10-pass-and-delegation.yaml"),
    ),
];

/// An exercise file, unparsed (`netpol_engine::parse_exercise` reads it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExerciseFile {
    /// The file stem, e.g. `01-lock-down-the-database`.
    pub id: &'static str,
    pub yaml: &'static str,
}

/// A tutorial step: the lesson text and its scenario (`netpol_engine::parse_tutorial_step`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TutorialFile {
    /// The file stem, e.g. `01-the-mental-model`.
    pub id: &'static str,
    pub markdown: &'static str,
    pub yaml: &'static str,
}

/// Every exercise, in file-name order (easy to hard).
pub fn exercises() -> Vec<ExerciseFile> {
    EXERCISE_FILES
        .iter()
        .map(|&(id, yaml)| ExerciseFile { id, yaml })
        .collect()
}

/// Every tutorial step, in order.
pub fn tutorial() -> Vec<TutorialFile> {
    TUTORIAL_FILES
        .iter()
        .map(|&(id, markdown, yaml)| TutorialFile { id, markdown, yaml })
        .collect()
}

/// A workshop-size scenario (the issue's upper bound for live editing): 5 namespaces × 10 pods
/// and 30 policies (6 per namespace), as (cluster, policies) texts. Used by the timing tests.
pub fn workshop_scenario() -> (String, String) {
    let mut cluster =
        String::from("ports: [http:80, https:443, alt:8080, dns:53/UDP]\nnamespaces:\n");
    for n in 0..5 {
        cluster += &format!("  w{n}:\n    labels: {{team: t{n}}}\n    pods:\n");
        for p in 0..10 {
            let tier = if p < 5 { "front" } else { "back" };
            cluster += &format!("      p{p}: app=p{p} tier={tier}\n");
        }
    }
    // (name, spec); `{team}` is replaced by the namespace's team label.
    const POLICIES: &[(&str, &str)] = &[
        (
            "default-deny",
            "
  podSelector: {}
  policyTypes: [Ingress, Egress]",
        ),
        (
            "back-from-front",
            "
  podSelector: {matchLabels: {tier: back}}
  ingress:
  - from:
    - podSelector: {matchLabels: {tier: front}}
    ports:
    - port: 8080",
        ),
        (
            "front-to-back",
            "
  podSelector: {matchLabels: {tier: front}}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {tier: back}}
    ports:
    - port: 8080",
        ),
        (
            "web-from-other-teams",
            "
  podSelector:
    matchExpressions:
    - {key: app, operator: In, values: [p0, p1, p2]}
  ingress:
  - from:
    - namespaceSelector:
        matchExpressions:
        - {key: team, operator: NotIn, values: [{team}]}
    ports:
    - port: http",
        ),
        (
            "egress-https-cidr",
            "
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.3.0.0/16]}
    ports:
    - {protocol: TCP, port: 443}",
        ),
        (
            "dns",
            "
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {team: t0}}
      podSelector: {matchLabels: {app: p9}}
    ports:
    - {protocol: UDP, port: 53}",
        ),
    ];
    let mut docs = Vec::new();
    for n in 0..5 {
        for (name, spec) in POLICIES {
            let spec = spec.replace("{team}", &format!("t{n}"));
            docs.push(format!(
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\n  namespace: w{n}\nspec:{spec}\n"
            ));
        }
    }
    (cluster, docs.join("---\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(dir: &str, ext: &str) -> Vec<String> {
        let dir = format!("{}/../../{dir}", env!("CARGO_MANIFEST_DIR"));
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn every_exercise_file_is_embedded_and_parses() {
        let embedded: Vec<String> = exercises().iter().map(|e| e.id.to_string()).collect();
        assert_eq!(
            stems("exercises", "yaml"),
            embedded,
            "add new exercise files to EXERCISE_FILES"
        );
        assert!(embedded.len() >= 12);
        for e in exercises() {
            netpol_engine::parse_exercise(e.yaml).unwrap_or_else(|err| panic!("{}: {err}", e.id));
        }
    }

    #[test]
    fn every_tutorial_file_is_embedded_and_parses() {
        let embedded: Vec<String> = tutorial().iter().map(|t| t.id.to_string()).collect();
        assert_eq!(
            stems("tutorial", "md"),
            embedded,
            "add new tutorial steps to TUTORIAL_FILES"
        );
        assert_eq!(
            stems("tutorial", "yaml"),
            embedded,
            "every step has a .md and a .yaml"
        );
        for t in tutorial() {
            netpol_engine::parse_tutorial_step(t.yaml)
                .unwrap_or_else(|err| panic!("{}: {err}", t.id));
            assert!(
                t.markdown.trim_start().starts_with("# "),
                "{}: starts with a heading",
                t.id
            );
        }
    }

    #[test]
    fn every_file_in_examples_is_embedded_and_parses() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let mut embedded: Vec<String> = FILES.iter().map(|(id, _)| id.to_string()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new example files to FILES");
        let all = all();
        assert_eq!(all[0].id, DEFAULT_ID);
        for ex in &all {
            assert!(!ex.title.is_empty() && !ex.summary.is_empty() && !ex.description.is_empty());
            if let Some(p) = &ex.port {
                netpol_engine::PortProto::parse(p).unwrap();
            }
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<&str> = FILES.iter().map(|(id, _)| *id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), FILES.len());
    }
}
