//! Adding tiered objects to the model while the inputs are read: the checks that compare an
//! object with what was read before it (names given twice), and at the end the checks that
//! need the whole input.

use super::checks::nodes_without_nodes;
use crate::diag::{Diagnostic, Severity};
use crate::model::{ClusterPolicy, Model, Node, Span};

/// Where a span points, as `file:line`.
fn at(model: &Model, span: Span) -> String {
    let file = model.files.get(span.file).map_or("?", String::as_str);
    format!("{file}:{}", span.line)
}

/// Adds a validated `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` or
/// `ClusterNetworkPolicy` to `model` unless its kind and name were seen before; then the error
/// is returned.
pub(crate) fn add_cluster_policy(model: &mut Model, policy: ClusterPolicy) -> Result<(), String> {
    let id = policy.id();
    match model.cluster_policies.iter().find(|p| p.id() == id) {
        Some(prev) => Err(format!(
            "{id} is defined twice (first at {}); this one is ignored",
            at(model, prev.span)
        )),
        None => {
            model.cluster_policies.push(policy);
            Ok(())
        }
    }
}

/// Adds a `kind: Node` to `model` unless its name was seen before; then the error is returned.
pub(crate) fn add_node(model: &mut Model, read: Node) -> Result<(), String> {
    match model.nodes.iter().find(|n| n.name == read.name) {
        Some(prev) => Err(format!(
            "node {} is defined twice (first at {}); this one is ignored",
            read.name,
            at(model, prev.span)
        )),
        None => {
            model.nodes.push(read);
            Ok(())
        }
    }
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
