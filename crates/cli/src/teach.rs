//! Text and JSON renderings of the teaching commands: `diff`, `and-or` and `exercise check`.
//!
//! Text renderers return lines for the output edge (`output.rs`). The JSON keys of these
//! commands have always been in alphabetical order; the report types keep that order.

use netpol_engine::diff::PortFlows;
use netpol_engine::{
    AndOr, Compiled, EndpointId, Explanation, GoalResult, PolicyType, PortProto, Protocol,
    VariantFlows, VariantKind, VariantSite,
};
use serde::Serialize;

use crate::json;
use crate::output::{escape, Stream};

fn name(index: &Compiled, e: EndpointId) -> &str {
    &index.endpoints()[e.index()].name
}

fn range(proto: Protocol, first: u16, last: u16) -> String {
    if first == last {
        format!("{proto} {first}")
    } else {
        format!("{proto} {first}-{last}")
    }
}

/// The port ranges with changes: a summary line each, then `  + FROM -> TO` per flow gained
/// and `  - FROM -> TO` per flow lost.
fn changes_text(index: &Compiled, ports: &[PortFlows], mut emit: impl FnMut(&str)) {
    for p in ports
        .iter()
        .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
    {
        emit(&format!(
            "{} (shown as {}): {} gained, {} lost, {} unchanged",
            range(p.port.protocol, p.first, p.last),
            p.port,
            p.gained.len(),
            p.lost.len(),
            p.unchanged
        ));
        for (sign, list) in [("+", &p.gained), ("-", &p.lost)] {
            for &(from, to) in list {
                emit(&format!(
                    "  {sign} {} -> {}",
                    name(index, EndpointId(from)),
                    name(index, EndpointId(to))
                ));
            }
        }
    }
}

/// One flow gained or lost, with its explanations when the diff has them.
#[derive(Serialize)]
struct ChangeReport<'a> {
    after: Option<Vec<String>>,
    before: Option<Vec<String>>,
    from: &'a str,
    to: &'a str,
}

/// `netpol diff` in text: equivalent, or the number of changes and every changed flow.
pub(crate) fn diff_text(index: &Compiled, ports: &[PortFlows], out: &mut Stream) {
    let changed: usize = ports.iter().map(|p| p.gained.len() + p.lost.len()).sum();
    out.line(&if changed == 0 {
        "equivalent: both policy sets allow exactly the same flows on this cluster".to_string()
    } else {
        format!("different: {changed} changed (flow, port range) pairs")
    });
    changes_text(index, ports, |line| out.line(line));
}

/// `netpol diff --format json`.
#[derive(Serialize)]
struct DiffReport<'a> {
    equivalent: bool,
    ports: Vec<LazyPortRange<'a>>,
}

/// One port range of `netpol diff --format json`, the fields of a port range of `netpol diff --format json`.
#[derive(Serialize)]
struct LazyPortRange<'a> {
    gained: LazyChanges<'a>,
    lost: LazyChanges<'a>,
    port: u16,
    ports: [u16; 2],
    protocol: Protocol,
    unchanged: usize,
}

/// Changed flows that are explained one at a time as they are written, and then dropped.
struct LazyChanges<'a> {
    before: &'a Compiled,
    after: &'a Compiled,
    port: PortProto,
    flows: &'a [(usize, usize)],
}

impl Serialize for LazyChanges<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = s.serialize_seq(Some(self.flows.len()))?;
        for &(from, to) in self.flows {
            seq.serialize_element(&ChangeReport {
                after: Some(
                    self.after
                        .explain(EndpointId(from), EndpointId(to), self.port)
                        .sentences(),
                ),
                before: Some(
                    self.before
                        .explain(EndpointId(from), EndpointId(to), self.port)
                        .sentences(),
                ),
                from: name(self.before, EndpointId(from)),
                to: name(self.before, EndpointId(to)),
            })?;
        }
        seq.end()
    }
}

/// `netpol diff --format json`, written as it is serialized: each explanation is built when its
/// flow is written.
pub(crate) fn diff_json(
    before: &Compiled,
    after: &Compiled,
    ports: &[PortFlows],
    out: &mut Stream,
) {
    let lazy = |flows| LazyChanges {
        before,
        after,
        port: PortProto::new(0, Protocol::Tcp),
        flows,
    };
    let report = DiffReport {
        equivalent: ports
            .iter()
            .all(|p| p.gained.is_empty() && p.lost.is_empty()),
        ports: ports
            .iter()
            .map(|p| LazyPortRange {
                gained: LazyChanges {
                    port: p.port,
                    ..lazy(&p.gained)
                },
                lost: LazyChanges {
                    port: p.port,
                    ..lazy(&p.lost)
                },
                port: p.port.port,
                ports: [p.first, p.last],
                protocol: p.port.protocol,
                unchanged: p.unchanged,
            })
            .collect(),
    };
    let _ = serde_json::to_writer_pretty(&mut *out, &report);
    out.json("\n");
}

/// Side by side: two YAML fragments in two columns.
fn side_by_side(left: &str, right: &str, titles: (&str, &str)) -> Vec<String> {
    let l: Vec<&str> = left.lines().collect();
    let r: Vec<&str> = right.lines().collect();
    let width = l
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(titles.0.len())
        + 4;
    let mut lines = vec![format!("    {:<width$}{}", titles.0, titles.1)];
    for i in 0..l.len().max(r.len()) {
        let a = l.get(i).copied().unwrap_or("");
        let b = r.get(i).copied().unwrap_or("");
        lines.push(format!("    {a:<width$}{b}"));
    }
    lines
}

/// What a variant changes, in words: `from[0] has both selectors (AND); …`, or for a split
/// rule `this rule has only `from` and ingress[1] only `ports` …`.
fn variant_kind_text(v: &VariantSite) -> String {
    let list = if v.direction == PolicyType::Ingress {
        "from"
    } else {
        "to"
    };
    match v.kind {
        VariantKind::SplitAnd { peer } => format!(
            "{list}[{peer}] has both selectors (AND); the variant splits it into two items (OR)"
        ),
        VariantKind::MergeOr {
            namespace_peer,
            pod_peer,
        } => format!(
            "{list}[{namespace_peer}] and {list}[{pod_peer}] are separate items (OR); the variant merges them (AND)"
        ),
        VariantKind::MergeRules {
            peers_rule,
            ports_rule,
        } => {
            let (this, next) = if peers_rule < ports_rule {
                (list, "ports")
            } else {
                ("ports", list)
            };
            format!(
                "this rule has only `{this}` and {}[{}] only `{next}` (two rules, ORed: a stray `-`?); the variant merges them into one rule (AND)",
                v.direction.as_str().to_lowercase(),
                peers_rule.max(ports_rule)
            )
        }
    }
}

/// `netpol and-or` in text: per variant, where it is, both fragments side by side, both
/// meanings and the flows that change. Each variant's flows are listed as they are computed.
pub(crate) fn and_or_text(index: &Compiled, variants: &AndOr<'_>, out: &mut Stream) {
    if variants.sites().is_empty() {
        out.line("no `from`/`to` item where the AND/OR reading matters");
    }
    // The names of the flows, escaped once.
    let names: Vec<String> = index
        .endpoints()
        .iter()
        .map(|e| escape(&e.name).into_owned())
        .collect();
    for (i, v) in variants.sites().iter().enumerate() {
        let mut lines = vec![format!(
            "{} {}[{}]: {}",
            v.policy_id,
            v.direction.as_str().to_lowercase(),
            v.rule,
            variant_kind_text(v)
        )];
        lines.extend(side_by_side(
            &v.current_yaml,
            &v.variant_yaml,
            ("now:", "variant:"),
        ));
        lines.push(format!("  now:     {}", v.current_meaning));
        lines.push(format!("  variant: {}", v.variant_meaning));
        lines.iter().for_each(|l| out.line(l));
        let flows = variants.flows(i);
        if flows.is_empty() {
            out.line("  no effect on this cluster: both readings allow the same flows");
        }
        // The port ranges with changes: a summary line each, then `+ FROM -> TO` per flow
        // gained and `- FROM -> TO` per flow lost, as `changes_text` writes them.
        for p in flows.ports().iter().filter(|p| p.gained + p.lost > 0) {
            out.line(&format!(
                "  {} (shown as {}): {} gained, {} lost, {} unchanged",
                range(p.port.protocol, p.first, p.last),
                p.port,
                p.gained,
                p.lost,
                p.unchanged
            ));
            for (sign, gained) in [("    + ", true), ("    - ", false)] {
                flows.for_each_flow(p, gained, |from, to| {
                    out.escaped_line(&[sign, &names[from.index()], " -> ", &names[to.index()]]);
                });
            }
        }
        out.line("");
    }
}

/// One variant of `netpol and-or --format json`, without its `ports`, which
/// [`and_or_json`] writes itself.
#[derive(Serialize)]
struct VariantHead<'a> {
    current_meaning: &'a str,
    current_yaml: &'a str,
    direction: &'a str,
    kind: VariantKind,
    no_effect: bool,
    /// The policy's `namespace/name`.
    policy: &'a str,
    rule: usize,
    variant_meaning: &'a str,
    variant_yaml: &'a str,
}

/// `netpol and-or --format json`: an array of variants, each an object with the keys of
/// [`VariantHead`] and `ports`, an array of port ranges like `netpol diff --format json`'s
/// (`gained`, `lost`, `port`, `ports`, `protocol`, `unchanged`) without explanations (`after`
/// and `before` are null), in serde_json's pretty layout.
///
/// Each variant's flows are computed when it is written, and the flows, which can run to
/// gigabytes, are laid out by hand with each endpoint's name quoted once.
pub(crate) fn and_or_json(index: &Compiled, variants: &AndOr<'_>, out: &mut Stream) {
    let sites = variants.sites();
    if sites.is_empty() {
        out.json("[]\n");
        return;
    }
    let names: Vec<String> = index
        .endpoints()
        .iter()
        .map(|e| json::compact(&e.name))
        .collect();
    let mut buf = String::with_capacity(1 << 17);
    buf.push_str("[\n");
    for (i, v) in sites.iter().enumerate() {
        if i > 0 {
            buf.push_str(",\n");
        }
        let flows = variants.flows(i);
        let head = json::pretty(&VariantHead {
            current_meaning: &v.current_meaning,
            current_yaml: &v.current_yaml,
            direction: v.direction.as_str(),
            kind: v.kind,
            no_effect: flows.is_empty(),
            policy: &v.policy_id,
            rule: v.rule,
            variant_meaning: &v.variant_meaning,
            variant_yaml: &v.variant_yaml,
        });
        // The head's lines one level deeper, with `ports` after `policy` (keys are in
        // alphabetical order). Strings hold no raw newline, so a line starting with two spaces
        // and a key is a key of the variant itself.
        for line in head.trim_end().lines() {
            if line.starts_with("  \"rule\": ") {
                write_ports(&names, &flows, &mut buf, out);
            }
            buf.push_str("  ");
            buf.push_str(line);
            buf.push('\n');
        }
        buf.pop();
        if buf.len() >= 1 << 16 {
            out.json(&buf);
            buf.clear();
        }
    }
    buf.push_str("\n]\n");
    out.json(&buf);
}

/// The `ports` member of one variant of [`and_or_json`], indented as a member of an object in
/// the top array, ending with `,` and a newline. `buf` is written to `out` whenever it fills.
fn write_ports(names: &[String], flows: &VariantFlows, buf: &mut String, out: &mut Stream) {
    use std::fmt::Write as _;
    if flows.ports().is_empty() {
        buf.push_str("    \"ports\": [],\n");
        return;
    }
    buf.push_str("    \"ports\": [\n");
    for (k, p) in flows.ports().iter().enumerate() {
        buf.push_str(if k > 0 { ",\n      {\n" } else { "      {\n" });
        for (key, gained) in [("gained", true), ("lost", false)] {
            let _ = write!(buf, "        \"{key}\": [");
            let mut first = true;
            flows.for_each_flow(p, gained, |from, to| {
                buf.push_str(if first { "\n" } else { ",\n" });
                first = false;
                buf.push_str(
                    "          {\n            \"after\": null,\n            \"before\": null,\n            \"from\": ",
                );
                buf.push_str(&names[from.index()]);
                buf.push_str(",\n            \"to\": ");
                buf.push_str(&names[to.index()]);
                buf.push_str("\n          }");
                if buf.len() >= 1 << 16 {
                    out.json(buf);
                    buf.clear();
                }
            });
            buf.push_str(if first { "],\n" } else { "\n        ],\n" });
        }
        let _ = write!(
            buf,
            "        \"port\": {},\n        \"ports\": [\n          {},\n          {}\n        ],\n        \"protocol\": {},\n        \"unchanged\": {}\n      }}",
            p.port.port,
            p.first,
            p.last,
            json::compact(&p.port.protocol),
            p.unchanged
        );
    }
    buf.push_str("\n    ],\n");
}

/// `netpol exercise check` in text: the title, every goal with ✓ or ✗ (and why for a failing
/// one), and the count.
pub(crate) fn exercise_text(title: &str, goals: &[GoalResult]) -> Vec<String> {
    let mut lines = vec![title.to_string()];
    for g in goals {
        lines.push(format!(
            "  {} {}",
            if g.met { "✓" } else { "✗" },
            g.description
        ));
        if !g.met && !g.detail.is_empty() {
            lines.push(format!("      {}", g.detail));
        }
    }
    let met = goals.iter().filter(|g| g.met).count();
    lines.push(format!("{met} of {} goals met", goals.len()));
    lines
}

/// One goal of `netpol exercise check --format json`.
#[derive(Serialize)]
struct GoalReport<'a> {
    description: &'a str,
    detail: &'a str,
    explanation: Option<Vec<String>>,
    met: bool,
}

/// `netpol exercise check --format json`.
#[derive(Serialize)]
struct ExerciseReport<'a> {
    goals: Vec<GoalReport<'a>>,
    /// Every goal is met.
    met: bool,
    title: &'a str,
}

pub(crate) fn exercise_json(title: &str, goals: &[GoalResult]) -> String {
    json::pretty(&ExerciseReport {
        goals: goals
            .iter()
            .map(|g| GoalReport {
                description: &g.description,
                detail: &g.detail,
                explanation: g.explanation.as_ref().map(Explanation::sentences),
                met: g.met,
            })
            .collect(),
        met: goals.iter().all(|g| g.met),
        title,
    })
}
