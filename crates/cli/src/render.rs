//! Text and JSON renderings of `matrix`, `connectivity` and the `check` summary.
//!
//! Text renderers return lines; the output edge (`output.rs`) escapes and prints them. Where a
//! layout depends on the printed text (column widths, bytewise order), the renderer measures
//! the escaped names.

use std::borrow::Cow;
use std::fmt::Write as _;

use netpol_engine::{
    endpoint_kind, Cell, Compiled, Diagnostic, EndpointId, Model, PortProto, Protocol, Severity,
    WorkloadKind,
};
use serde::Serialize;

use crate::json;
use crate::output::{escape, Stream};

/// The truth table: rows are sources, columns destinations.
///
/// Columns are labelled by endpoint name when every name is short; otherwise they are numbered
/// and each row starts with its number, so the rows double as the key.
pub(crate) fn matrix_text(index: &Compiled, pp: PortProto, out: &mut Stream) {
    let names: Vec<String> = index
        .endpoints()
        .iter()
        .map(|e| escape(&e.name).into_owned())
        .collect();
    out.line(&format!(
        "{pp}: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)"
    ));
    if names.is_empty() {
        out.line("(no endpoints)");
        return;
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
    out.line(line.trim_end());
    // Each cell printed once, padded to the column width.
    let [allowed, denied, none] = ['.', 'X', '-'].map(|c| format!(" {c:>width$}"));
    let octets = octets(&allowed, &denied);
    for (i, rl) in row_labels.iter().enumerate() {
        line.clear();
        let _ = write!(line, "{rl:<lw$}");
        push_cells(
            &mut line,
            m.row(EndpointId(i)),
            &octets,
            [&allowed, &denied, &none],
        );
        // The names were escaped above, so the line is printed as it is.
        out.escaped_line(&[line.trim_end()]);
    }
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

/// `matrix --format json`: the fields of [`netpol_engine::MatrixReport`] in their order, then the kinds, in the
/// layout `json::layout(&report, 1)` gives (one row of `allowed` per line), printed row by row.
pub(crate) fn matrix_json(index: &Compiled, pp: PortProto, out: &mut Stream) {
    let kinds = kinds(index);
    let names: Vec<String> = index
        .endpoints()
        .iter()
        .map(|e| json::compact(&e.name))
        .collect();
    let list = |items: &[String]| format!("[{}]", items.join(", "));
    out.json(&format!(
        "{{\n  \"port\": {},\n  \"protocol\": {},\n  \"sources\": {},\n  \"destinations\": {},\n  \"allowed\": ",
        pp.port,
        json::compact(&pp.protocol),
        list(&names),
        list(&names),
    ));
    if names.is_empty() {
        out.json("[]");
    } else {
        let m = index.matrix(pp);
        let octets = octets(", true", ", false");
        let mut row = String::new();
        // Each row ends with its line feed, so stdout (line-buffered) passes whole writes on.
        out.ascii("[\n");
        for i in 0..names.len() {
            row.clear();
            row.push_str("    [");
            let mut cells = m.row(EndpointId(i));
            row.push_str(if cells.next() == Some(Cell::Allowed) {
                "true"
            } else {
                "false"
            });
            push_cells(&mut row, cells, &octets, [", true", ", false", ", false"]);
            row.push_str(if i + 1 < names.len() { "],\n" } else { "]\n" });
            out.ascii(&row);
        }
        out.ascii("  ]");
    }
    if let Some(kinds) = kinds {
        let kinds: Vec<String> = kinds.iter().map(json::compact).collect();
        let kinds = list(&kinds);
        out.json(&format!(
            ",\n  \"source_kinds\": {kinds},\n  \"destination_kinds\": {kinds}"
        ));
    }
    out.json("\n}\n");
}

/// The text of eight cells by their octet (bit `k` set when cell `k` is allowed), none of them
/// `NotApplicable`.
fn octets(allowed: &str, denied: &str) -> Vec<String> {
    (0..256)
        .map(|octet: usize| {
            (0..8)
                .map(|k| if octet >> k & 1 == 1 { allowed } else { denied })
                .collect()
        })
        .collect()
}

/// Appends the text of each cell (`text` is the text of an allowed, a denied and a
/// not-applicable cell), eight at a time from `octets` when none of the eight is
/// `NotApplicable`. Matrices are large: this is their one loop over cells.
fn push_cells(
    row: &mut String,
    cells: impl Iterator<Item = Cell>,
    octets: &[String],
    text: [&str; 3],
) {
    let cell_text = |cell: Cell| match cell {
        Cell::Allowed => text[0],
        Cell::Denied => text[1],
        Cell::NotApplicable => text[2],
    };
    let mut group = [Cell::Denied; 8];
    let (mut octet, mut k, mut applicable) = (0, 0, true);
    for cell in cells {
        group[k] = cell;
        octet |= usize::from(cell == Cell::Allowed) << k;
        applicable &= cell != Cell::NotApplicable;
        k += 1;
        if k == 8 {
            if applicable {
                row.push_str(&octets[octet]);
            } else {
                group.iter().for_each(|&c| row.push_str(cell_text(c)));
            }
            (octet, k, applicable) = (0, 0, true);
        }
    }
    group[..k].iter().for_each(|&c| row.push_str(cell_text(c)));
}

/// `SRC -> DST : PROTO N[-M]` lines, sorted bytewise as printed; without the flows of an
/// endpoint to itself when `no_self`. Printed as the engine finds them, unless a name could
/// print out of order.
pub(crate) fn connectivity_text(index: &Compiled, no_self: bool, out: &mut Stream) {
    let eps = index.endpoints();
    // The engine sorts connections bytewise by (from, to, protocol), which sorts the lines too
    // unless a name holds a character up to ` ` (or one that is printed escaped); the contract
    // is bytewise-sorted lines, so those are sorted here.
    let in_order = eps
        .iter()
        .all(|e| matches!(escape(&e.name), Cow::Borrowed(_)) && e.name.chars().all(|c| c > ' '));
    let mut held: Vec<String> = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    index.for_each_connection(|c| {
        if no_self && c.from == c.to {
            return;
        }
        let (from, to) = (
            escape(&eps[c.from.index()].name),
            escape(&eps[c.to.index()].name),
        );
        lines.clear();
        for &(lo, hi) in &c.ports {
            lines.push(if lo == hi {
                format!("{from} -> {to} : {} {lo}", c.protocol)
            } else {
                format!("{from} -> {to} : {} {lo}-{hi}", c.protocol)
            });
        }
        // Ascending ports are not bytewise order (`TCP 1024-2048` < `TCP 80`).
        lines.sort_unstable();
        if in_order {
            lines.iter().for_each(|l| out.line(l));
        } else {
            held.append(&mut lines);
        }
    });
    held.sort_unstable();
    held.iter().for_each(|l| out.line(l));
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
/// when `no_self`. Printed flow by flow, in the layout `json::layout(&items, 3)` gives the list.
pub(crate) fn connectivity_json(index: &Compiled, no_self: bool, out: &mut Stream) {
    let eps = index.endpoints();
    let kinds = kinds(index);
    let kind = |e: usize| kinds.as_ref().map(|k| k[e]);
    let mut first = true;
    index.for_each_connection(|c| {
        if no_self && c.from == c.to {
            return;
        }
        let item = ConnectivityItem {
            from: &eps[c.from.index()].name,
            to: &eps[c.to.index()].name,
            protocol: c.protocol,
            ports: &c.ports,
            from_kind: kind(c.from.index()),
            to_kind: kind(c.to.index()),
        };
        out.json(if first { "[\n  " } else { ",\n  " });
        out.json(json::layout(&item, 3).trim_end_matches('\n'));
        first = false;
    });
    out.json(if first { "[]\n" } else { "\n]\n" });
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
