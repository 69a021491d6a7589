//! # netpol-examples
//!
//! The example scenarios of the playground. Each is a YAML file in `examples/` at the repository
//! root (so the engine's tests, the CLI and the web app all read the same files), embedded here
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
    /// NetworkPolicy documents.
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

#[cfg(test)]
mod tests {
    use super::*;

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
