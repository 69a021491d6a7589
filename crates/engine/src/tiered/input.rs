//! Adding tiered objects to the model while the inputs are read: validation, then the checks
//! that compare an object with what was read before it (names given twice), and at the end the
//! checks that need the whole input.

use serde_yaml::Value;

use super::checks::nodes_without_nodes;
use super::node::node;
use super::parse::cluster_policy;
use crate::diag::{Diagnostic, FieldPath, PathDiag, Severity};
use crate::model::{Model, Span};

/// Where a span points, as `file:line`.
fn at(model: &Model, span: Span) -> String {
    let file = model.files.get(span.file).map_or("?", String::as_str);
    format!("{file}:{}", span.line)
}

/// `path` + `metadata.name`.
fn name_path(path: &FieldPath) -> FieldPath {
    path.key("metadata").key("name")
}

/// Validates an `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or `ClusterNetworkPolicy` at
/// `path` and adds it to `model` unless it has an error or its kind and name were seen before.
pub(crate) fn add_cluster_policy(
    model: &mut Model,
    value: &Value,
    path: &FieldPath,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<PathDiag> {
    let (policy, mut diags) = cluster_policy(value, path, loc);
    let Some(policy) = policy else {
        return diags;
    };
    let id = policy.id();
    match model.cluster_policies.iter().find(|p| p.id() == id) {
        Some(prev) => diags.push(PathDiag::error(
            name_path(path),
            "duplicate",
            format!(
                "{id} is defined twice (first at {}); this one is ignored",
                at(model, prev.span)
            ),
        )),
        None => model.cluster_policies.push(policy),
    }
    diags
}

/// Reads a `kind: Node` at `path` and adds it to `model` unless it has an error or its name was
/// seen before.
pub(crate) fn add_node(
    model: &mut Model,
    value: &Value,
    path: &FieldPath,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<PathDiag> {
    let (read, mut diags) = node(value, path, loc);
    let Some(read) = read else {
        return diags;
    };
    match model.nodes.iter().find(|n| n.name == read.name) {
        Some(prev) => diags.push(PathDiag::error(
            name_path(path),
            "duplicate",
            format!(
                "node {} is defined twice (first at {}); this one is ignored",
                read.name,
                at(model, prev.span)
            ),
        )),
        None => model.nodes.push(read),
    }
    diags
}

/// The checks made once every input is read: a node named like an external endpoint is left
/// out (endpoints are named by their names), and `nodes` peers without any Node are reported.
pub(crate) fn finish(model: &mut Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let diag = |model: &Model, span: Span, severity, code, message| Diagnostic {
        file: model.files.get(span.file).cloned().unwrap_or_default(),
        line: span.line,
        col: span.col,
        severity,
        code,
        message,
    };
    let nodes = std::mem::take(&mut model.nodes);
    for n in nodes {
        match model.externals.iter().find(|e| e.name == n.name) {
            Some(ext) => out.push(diag(
                model,
                n.span,
                Severity::Error,
                "duplicate",
                format!(
                    "node {} has the name of the external endpoint declared at {}: endpoints are named by their names, so this node is ignored",
                    n.name,
                    at(model, ext.span)
                ),
            )),
            None => model.nodes.push(n),
        }
    }
    for f in nodes_without_nodes(&model.cluster_policies, model.nodes.len()) {
        out.push(diag(model, f.span, Severity::Warning, f.code, f.message));
    }
    out
}
