//! The teaching commands: `diff`, `and-or` and `exercise check`.

use std::fmt::Write as _;
use std::io::Write as _;

use netpol_engine::diff::{FlowChange, PortDiff};
use netpol_engine::{
    and_or_variants, check_exercise, compile, diff as policy_diff, has_errors, parse,
    parse_exercise, Compiled, Diagnostic, Input,
};
use serde_json::json;

use super::{print_out, read_files, Args, Format};

fn print_diags(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}

fn name<'a>(index: &'a Compiled<'_>, e: usize) -> &'a str {
    &index.endpoints()[e].name
}

fn range(p: &PortDiff) -> String {
    let proto = p.port.protocol;
    if p.first == p.last {
        format!("{proto} {}", p.first)
    } else {
        format!("{proto} {}-{}", p.first, p.last)
    }
}

fn diff_text(index: &Compiled<'_>, ports: &[PortDiff], out: &mut String) {
    for p in ports {
        let _ = writeln!(
            out,
            "{} (shown as {}): {} gained, {} lost, {} unchanged",
            range(p),
            p.port,
            p.gained.len(),
            p.lost.len(),
            p.unchanged
        );
        for (sign, list) in [("+", &p.gained), ("-", &p.lost)] {
            for f in list.iter() {
                let _ = writeln!(
                    out,
                    "  {sign} {} -> {}",
                    name(index, f.from),
                    name(index, f.to)
                );
            }
        }
    }
}

fn changes_json(index: &Compiled<'_>, list: &[FlowChange]) -> serde_json::Value {
    list.iter()
        .map(|f| {
            json!({
                "from": name(index, f.from),
                "to": name(index, f.to),
                "before": f.before.as_ref().map(|e| e.sentences()),
                "after": f.after.as_ref().map(|e| e.sentences()),
            })
        })
        .collect()
}

fn ports_json(index: &Compiled<'_>, ports: &[PortDiff]) -> serde_json::Value {
    ports
        .iter()
        .map(|p| {
            json!({
                "protocol": p.port.protocol.as_str(),
                "ports": [p.first, p.last],
                "port": p.port.port,
                "gained": changes_json(index, &p.gained),
                "lost": changes_json(index, &p.lost),
                "unchanged": p.unchanged,
            })
        })
        .collect()
}

fn to_pretty(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).expect("JSON values serialize");
    s.push('\n');
    s
}

/// `netpol diff --before A --after B CLUSTER...`: 0 equivalent, 1 different, 2 errors.
pub(crate) fn diff(args: &Args) -> u8 {
    let (before, after) = (
        args.before.clone().unwrap_or_default(),
        args.after.clone().unwrap_or_default(),
    );
    let mut all = args.files.clone();
    all.push(before.clone());
    all.push(after.clone());
    let Some(texts) = read_files(&all) else {
        return 2;
    };
    let n = args.files.len();
    let cluster_inputs: Vec<Input<'_>> = args
        .files
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input { name, text })
        .collect();
    let (cluster, mut diags) = parse(&cluster_inputs);
    let (b, db) = parse(&[Input {
        name: &before,
        text: &texts[n],
    }]);
    let (a, da) = parse(&[Input {
        name: &after,
        text: &texts[n + 1],
    }]);
    diags.extend(db);
    diags.extend(da);
    print_diags(&diags);
    let d = policy_diff(&cluster, &b, &a);
    let index = compile(&cluster);
    let out = match args.format {
        Format::Text => {
            let mut s = String::new();
            if d.is_empty() {
                s.push_str(
                    "equivalent: both policy sets allow exactly the same flows on this cluster\n",
                );
            } else {
                let _ = writeln!(
                    s,
                    "different: {} changed (flow, port range) pairs",
                    d.changed()
                );
            }
            let changed: Vec<PortDiff> = d
                .ports
                .iter()
                .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
                .cloned()
                .collect();
            diff_text(&index, &changed, &mut s);
            s
        }
        Format::Json => to_pretty(&json!({
            "equivalent": d.is_empty(),
            "ports": ports_json(&index, &d.ports),
        })),
    };
    print_out(&out);
    if has_errors(&diags) {
        2
    } else if d.is_empty() {
        0
    } else {
        1
    }
}

/// Side by side: two YAML fragments in two columns.
fn side_by_side(left: &str, right: &str, titles: (&str, &str)) -> String {
    let l: Vec<&str> = left.lines().collect();
    let r: Vec<&str> = right.lines().collect();
    let width = l
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(titles.0.len())
        + 4;
    let mut s = format!("    {:<width$}{}\n", titles.0, titles.1);
    for i in 0..l.len().max(r.len()) {
        let a = l.get(i).copied().unwrap_or("");
        let b = r.get(i).copied().unwrap_or("");
        let _ = writeln!(s, "    {a:<width$}{b}");
    }
    s
}

/// `netpol and-or FILE...`.
pub(crate) fn and_or(index: &Compiled<'_>, _texts: &[String], format: Format) -> u8 {
    let variants = and_or_variants(index.model());
    let out = match format {
        Format::Text => {
            let mut s = String::new();
            if variants.is_empty() {
                s.push_str("no `from`/`to` item where the AND/OR reading matters\n");
            }
            for v in &variants {
                let list = if v.direction == netpol_engine::PolicyType::Ingress {
                    "from"
                } else {
                    "to"
                };
                let what = match v.kind {
                    netpol_engine::diff::VariantKind::SplitAnd { peer } => {
                        format!("{list}[{peer}] has both selectors (AND); the variant splits it into two items (OR)")
                    }
                    netpol_engine::diff::VariantKind::MergeOr { namespace_peer, pod_peer } => format!(
                        "{list}[{namespace_peer}] and {list}[{pod_peer}] are separate items (OR); the variant merges them (AND)"
                    ),
                };
                let _ = writeln!(
                    s,
                    "{} {}[{}]: {what}",
                    v.policy_id,
                    v.direction.as_str().to_lowercase(),
                    v.rule
                );
                s.push_str(&side_by_side(
                    &v.current_yaml,
                    &v.variant_yaml,
                    ("now:", "variant:"),
                ));
                let _ = writeln!(s, "  now:     {}", v.current_meaning);
                let _ = writeln!(s, "  variant: {}", v.variant_meaning);
                if v.no_effect() {
                    s.push_str("  no effect on this cluster: both readings allow the same flows\n");
                } else {
                    let changed: Vec<PortDiff> = v
                        .diff
                        .ports
                        .iter()
                        .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
                        .cloned()
                        .collect();
                    let mut body = String::new();
                    diff_text(index, &changed, &mut body);
                    for line in body.lines() {
                        let _ = writeln!(s, "  {line}");
                    }
                }
                s.push('\n');
            }
            s
        }
        Format::Json => to_pretty(&serde_json::Value::Array(
            variants
                .iter()
                .map(|v| {
                    json!({
                        "policy": v.policy_id,
                        "direction": v.direction.as_str(),
                        "rule": v.rule,
                        "kind": v.kind,
                        "current_yaml": v.current_yaml,
                        "variant_yaml": v.variant_yaml,
                        "current_meaning": v.current_meaning,
                        "variant_meaning": v.variant_meaning,
                        "no_effect": v.no_effect(),
                        "ports": ports_json(index, &v.diff.ports),
                    })
                })
                .collect(),
        )),
    };
    print_out(&out);
    0
}

/// `netpol exercise check EXERCISE POLICIES...`: 0 all goals met, 1 some not, 2 errors.
pub(crate) fn exercise(args: &Args) -> u8 {
    let Some(texts) = read_files(&args.files) else {
        return 2;
    };
    let ex = match parse_exercise(&texts[0]) {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("{}: error: {e}", args.files[0]);
            return 2;
        }
    };
    // Several policy files are read as one stream of documents.
    let policies = texts[1..].join("\n---\n");
    let (goals, diags) = check_exercise(&ex, &policies);
    let policy_name = if args.files.len() == 2 {
        args.files[1].clone()
    } else {
        args.files[1..].join("+")
    };
    let diags: Vec<Diagnostic> = diags
        .into_iter()
        .map(|mut d| {
            d.file = match d.file.as_str() {
                "policies" => policy_name.clone(),
                "cluster" => format!("{} (cluster)", args.files[0]),
                _ => d.file,
            };
            d
        })
        .collect();
    print_diags(&diags);
    let met = goals.iter().filter(|g| g.met).count();
    let out = match args.format {
        Format::Text => {
            let mut s = format!("{}\n", ex.title);
            for g in &goals {
                let _ = writeln!(s, "  {} {}", if g.met { "✓" } else { "✗" }, g.description);
                if !g.met && !g.detail.is_empty() {
                    let _ = writeln!(s, "      {}", g.detail);
                }
            }
            let _ = writeln!(s, "{met} of {} goals met", goals.len());
            s
        }
        Format::Json => to_pretty(&json!({
            "title": ex.title,
            "met": met == goals.len(),
            "goals": goals.iter().map(|g| json!({
                "description": g.description,
                "met": g.met,
                "detail": g.detail,
                "explanation": g.explanation.as_ref().map(|e| e.sentences()),
            })).collect::<Vec<_>>(),
        })),
    };
    print_out(&out);
    if has_errors(&diags) {
        2
    } else if met == goals.len() {
        0
    } else {
        1
    }
}
