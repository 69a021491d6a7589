//! Text and JSON renderings of `matrix`, `connectivity` and the `check` summary.
//!
//! Text renderers return lines; the output edge (`output.rs`) escapes and prints them. Where a
//! layout depends on the printed text (column widths, bytewise order), the renderer measures
//! the escaped names.

use std::fmt::Write as _;

use netpol_engine::{
    endpoint_kind, Cell, Compiled, Diagnostic, EndpointId, MatrixReport, Model, PortProto,
    Protocol, Severity, WorkloadKind,
};
use serde::Serialize;

use crate::json;
use crate::output::escape;

/// The truth table: rows are sources, columns destinations.
///
/// Columns are labelled by endpoint name when every name is short; otherwise they are numbered
/// and each row starts with its number, so the rows double as the key.
pub(crate) fn matrix_text(index: &Compiled, pp: PortProto) -> Vec<String> {
    let names: Vec<String> = index
        .endpoints()
        .iter()
        .map(|e| escape(&e.name).into_owned())
        .collect();
    let mut lines = vec![format!(
        "{pp}: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)"
    )];
    if names.is_empty() {
        lines.push("(no endpoints)".to_string());
        return lines;
    }
    let m = index.matrix(pp);
    let max_name = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
    let numbered = max_name > 8;
    let labels: Vec<String> = if numbered {
        (0..names.len()).map(|i| i.to_string()).collect()
    } else {
        names.clone()
    };
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    let row_labels: Vec<String> = if numbered {
        let w = (names.len() - 1).to_string().len();
        names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{i:>w$} {n}"))
            .collect()
    } else {
        names
    };
    let corner = "from\\to";
    let lw = row_labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(0)
        .max(corner.len());
    let mut line = format!("{corner:<lw$}");
    for l in &labels {
        let _ = write!(line, " {l:>width$}");
    }
    lines.push(line.trim_end().to_string());
    for (i, rl) in row_labels.iter().enumerate() {
        let mut line = format!("{rl:<lw$}");
        for j in 0..labels.len() {
            let c = match m.cell(EndpointId(i), EndpointId(j)) {
                Cell::Allowed => '.',
                Cell::Denied => 'X',
                Cell::NotApplicable => '-',
            };
            let _ = write!(line, " {c:>width$}");
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// True when the files define workloads: the JSON outputs then name each endpoint's kind.
fn has_workloads(index: &Compiled) -> bool {
    let pods = &index.model().pods;
    pods.iter().any(|p| p.kind != WorkloadKind::Pod)
}

/// Each endpoint's kind, when the files define workloads.
fn kinds(index: &Compiled) -> Option<Vec<&'static str>> {
    has_workloads(index).then(|| {
        (0..index.endpoints().len())
            .map(|e| endpoint_kind(index, EndpointId(e)))
            .collect()
    })
}

/// `matrix --format json`: the report's fields first, in their order, then the kinds.
#[derive(Serialize)]
struct MatrixJson {
    #[serde(flatten)]
    report: MatrixReport,
    #[serde(skip_serializing_if = "Option::is_none")]
    source_kinds: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    destination_kinds: Option<Vec<&'static str>>,
}

/// `{"port", "protocol", "sources", "destinations", "allowed"}`, one matrix row per line, and
/// `"source_kinds"`, `"destination_kinds"` when the files define workloads.
pub(crate) fn matrix_json(index: &Compiled, pp: PortProto) -> String {
    let kinds = kinds(index);
    let report = MatrixJson {
        report: MatrixReport::new(index, pp),
        source_kinds: kinds.clone(),
        destination_kinds: kinds,
    };
    json::layout(&report, 1)
}

/// `SRC -> DST : PROTO N[-M]` lines, sorted bytewise as printed; without the flows of an
/// endpoint to itself when `no_self`.
pub(crate) fn connectivity_text(index: &Compiled, no_self: bool) -> Vec<String> {
    let eps = index.endpoints();
    let mut lines: Vec<String> = Vec::new();
    for c in index.connectivity() {
        if no_self && c.from == c.to {
            continue;
        }
        let (from, to) = (
            escape(&eps[c.from.index()].name),
            escape(&eps[c.to.index()].name),
        );
        let first = lines.len();
        for &(lo, hi) in &c.ports {
            lines.push(if lo == hi {
                format!("{from} -> {to} : {} {lo}", c.protocol)
            } else {
                format!("{from} -> {to} : {} {lo}-{hi}", c.protocol)
            });
        }
        // Ascending ports are not bytewise order (`TCP 1024-2048` < `TCP 80`).
        lines[first..].sort_unstable();
    }
    // The engine sorts connections bytewise by (from, to, protocol), which makes the lines sorted
    // too unless a name holds a character below ` ` (or one that is printed escaped); the
    // contract is bytewise-sorted lines, so make sure of it.
    if !lines.is_sorted() {
        lines.sort_unstable();
    }
    lines
}

/// One allowed flow of `connectivity --format json`; the field order is the key order.
#[derive(Serialize)]
struct ConnectivityItem<'a> {
    from: &'a str,
    to: &'a str,
    protocol: Protocol,
    /// Inclusive `[lo, hi]` intervals.
    ports: &'a [(u16, u16)],
    /// The endpoints' kinds, when the files define workloads.
    #[serde(skip_serializing_if = "Option::is_none")]
    from_kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_kind: Option<&'static str>,
}

/// `[{"from", "to", "protocol", "ports": [[lo, hi]]}]`, one flow per line, with `"from_kind"`
/// and `"to_kind"` when the files define workloads; without the flows of an endpoint to itself
/// when `no_self`.
pub(crate) fn connectivity_json(index: &Compiled, no_self: bool) -> String {
    let eps = index.endpoints();
    let connections = index.connectivity();
    let kinds = kinds(index);
    let kind = |e: EndpointId| kinds.as_ref().map(|k| k[e.index()]);
    let items: Vec<ConnectivityItem<'_>> = connections
        .iter()
        .filter(|c| !(no_self && c.from == c.to))
        .map(|c| ConnectivityItem {
            from: &eps[c.from.index()].name,
            to: &eps[c.to.index()].name,
            protocol: c.protocol,
            ports: &c.ports,
            from_kind: kind(c.from),
            to_kind: kind(c.to),
        })
        .collect();
    json::layout(&items, 3)
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `ok: 3 files, 3 namespaces, 9 pods, 1 external endpoint, 2 policies; 0 errors, 0 warnings;
/// 1 lint` (`invalid:` when there are errors; `9 pods, 4 workloads` when there are workloads).
/// Tiered policies and nodes are counted after the policies when there are any:
/// `…, 2 policies, 3 tiered policies, 1 node; …`.
pub(crate) fn check_summary(
    files: usize,
    model: &Model,
    diags: &[Diagnostic],
    lints: usize,
) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    let workloads = model
        .pods
        .iter()
        .filter(|p| p.kind != WorkloadKind::Pod)
        .count();
    let mut pods = plural(model.pods.len() - workloads, "pod", "pods");
    if workloads > 0 {
        pods = format!("{pods}, {}", plural(workloads, "workload", "workloads"));
    }
    let mut tiered = String::new();
    if !model.cluster_policies.is_empty() {
        tiered += &format!(
            ", {}",
            plural(
                model.cluster_policies.len(),
                "tiered policy",
                "tiered policies"
            )
        );
    }
    if !model.nodes.is_empty() {
        tiered += &format!(", {}", plural(model.nodes.len(), "node", "nodes"));
    }
    format!(
        "{}: {}, {}, {}, {}, {}{tiered}; {}, {}; {}",
        if e > 0 { "invalid" } else { "ok" },
        plural(files, "file", "files"),
        plural(model.namespaces.len(), "namespace", "namespaces"),
        pods,
        plural(
            model.externals.len(),
            "external endpoint",
            "external endpoints"
        ),
        plural(model.policies.len(), "policy", "policies"),
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
        plural(lints, "lint", "lints"),
    )
}
