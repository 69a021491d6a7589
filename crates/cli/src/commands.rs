//! Running each command: read the files, evaluate, print the rendering, choose the exit code.

use std::io::{self, Read};

use netpol_engine::diff::{diff_flow_pairs, with_policies};
use netpol_engine::{
    check_exercise, compile, decode, has_errors, lint, parse_exercise, parse_with, AndOr, Compiled,
    Diagnostic, EndpointId, EndpointKind, Input, Model, ParseOptions, PortProto,
};

use crate::args::{
    AndOrArgs, CheckArgs, Command, ConnectivityArgs, DiffArgs, ExerciseArgs, ExplainArgs, Format,
    MatrixArgs, PortArg,
};
use crate::output::{
    eprint_lines, print_diagnostics, print_error, print_json, print_lines, Stream,
};
use crate::{json, render, suggest, teach};

/// Runs a command and returns its exit status.
pub(crate) fn run(command: &Command) -> u8 {
    match command {
        Command::Matrix(args) => matrix(args),
        Command::Explain(args) => explain(args),
        Command::Connectivity(args) => connectivity(args),
        Command::Check(args) => check(args),
        Command::Diff(args) => diff(args),
        Command::AndOr(args) => and_or(args),
        Command::Exercise(args) => exercise(args),
    }
}

/// Reads every file (`-` is stdin) as bytes and decodes it (a BOM is stripped; invalid UTF-8 is
/// read as U+FFFD and reported with its position); `None` when a file cannot be read. The
/// decoding diagnostics come back beside the texts so they count like any other input error.
fn read_files(files: &[String]) -> Option<(Vec<String>, Vec<Diagnostic>)> {
    let mut texts = Vec::with_capacity(files.len());
    let mut diags = Vec::new();
    let mut failed = false;
    for f in files {
        let read = if f == "-" {
            let mut bytes = Vec::new();
            io::stdin().read_to_end(&mut bytes).map(|_| bytes)
        } else {
            std::fs::read(f)
        };
        match read {
            Ok(bytes) => {
                let name = if f == "-" { "<stdin>" } else { f };
                let (text, diag) = decode(name, &bytes);
                texts.push(text.into_owned());
                diags.extend(diag);
            }
            Err(e) => {
                eprint_lines([format!("{f}: error: cannot read: {e}")]);
                failed = true;
            }
        }
    }
    (!failed).then_some((texts, diags))
}

/// The files of a command, read and parsed together as one cluster.
struct Loaded {
    texts: Vec<String>,
    model: Model,
    diags: Vec<Diagnostic>,
}

/// Reads and parses the files and prints their diagnostics; `None` when a file is unreadable.
fn load(files: &[String], group_replicas: bool) -> Option<Loaded> {
    let (texts, mut diags) = read_files(files)?;
    let inputs: Vec<Input<'_>> = files
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input {
            name: if name == "-" { "<stdin>" } else { name },
            text,
        })
        .collect();
    let (model, parse_diags) = parse_with(&inputs, &options(group_replicas));
    diags.extend(parse_diags);
    print_diagnostics(&diags);
    Some(Loaded {
        texts,
        model,
        diags,
    })
}

fn options(group_replicas: bool) -> ParseOptions {
    ParseOptions { group_replicas }
}

/// Errors in the input take precedence: 2 when there are any, else `code`.
fn status(diags: &[Diagnostic], code: u8) -> u8 {
    if has_errors(diags) {
        2
    } else {
        code
    }
}

fn matrix(args: &MatrixArgs) -> u8 {
    let Some(input) = load(&args.files, args.group_replicas) else {
        return 2;
    };
    let index = compile(input.model);
    match args.format {
        Format::Text => render::matrix_text(&index, args.port, &mut Stream::stdout()),
        Format::Json => render::matrix_json(&index, args.port, &mut Stream::stdout()),
    }
    status(&input.diags, 0)
}

fn connectivity(args: &ConnectivityArgs) -> u8 {
    let Some(input) = load(&args.files, args.group_replicas) else {
        return 2;
    };
    let index = compile(input.model);
    match args.format {
        Format::Text => render::connectivity_text(&index, args.no_self, &mut Stream::stdout()),
        Format::Json => render::connectivity_json(&index, args.no_self, &mut Stream::stdout()),
    }
    status(&input.diags, 0)
}

/// 0 allowed, 1 denied or not a cluster flow, 2 errors or an unknown endpoint.
fn explain(args: &ExplainArgs) -> u8 {
    let Some(input) = load(&args.files, args.group_replicas) else {
        return 2;
    };
    let index = compile(input.model);
    let find = |option: &str, name: &str| {
        let found = index.endpoint(name);
        if found.is_none() {
            print_error(
                &format!(
                    "unknown endpoint `{name}` for `{option}`: {}",
                    suggest::unknown_endpoint(&index, name)
                ),
                "pods are named namespace/pod (e.g. x/a), external endpoints by their declared name",
            );
        }
        found
    };
    let (from, to) = (find("--from", &args.from), find("--to", &args.to));
    let (Some(from), Some(to)) = (from, to) else {
        return 2;
    };
    let port = match resolve_port(&index, to, &args.port) {
        Ok(port) => port,
        Err((message, hint)) => {
            print_error(&message, &hint);
            return 2;
        }
    };
    let explanation = index.explain(from, to, port);
    match args.format {
        Format::Text => print_lines(explanation.sentences()),
        Format::Json => print_json(&json::pretty(&explanation)),
    }
    status(&input.diags, if explanation.allowed() { 0 } else { 1 })
}

/// The port of `explain`: a number, or a named port resolved on the destination's container
/// ports (the first port of that name, and of that protocol when one is given).
fn resolve_port(
    index: &Compiled,
    to: EndpointId,
    port: &PortArg,
) -> Result<PortProto, (String, String)> {
    let (name, protocol) = match port {
        PortArg::Number(pp) => return Ok(*pp),
        PortArg::Named { name, protocol } => (name, *protocol),
    };
    let endpoint = &index.endpoints()[to.index()];
    let EndpointKind::Pod { pod } = endpoint.kind else {
        return Err((
            format!("`--port {port}`: the destination `{}` is an external endpoint, which has no named ports", endpoint.name),
            "give the port as a number, e.g. `--port 443/TCP`".to_string(),
        ));
    };
    let ports = &index.model().pods[pod].ports;
    let found = ports
        .iter()
        .find(|c| c.name.as_deref() == Some(name) && protocol.is_none_or(|p| c.protocol == p));
    if let Some(c) = found {
        return Ok(PortProto::new(c.port, c.protocol));
    }
    let named: Vec<String> = ports
        .iter()
        .filter_map(|c| {
            Some(format!(
                "{} ({}/{})",
                c.name.as_deref()?,
                c.port,
                c.protocol
            ))
        })
        .collect();
    let hint = if named.is_empty() {
        "it has no named container ports; give the port as a number, e.g. `--port 8080/TCP`"
            .to_string()
    } else {
        format!("its named container ports: {}", named.join(", "))
    };
    Err((
        format!(
            "`--port {port}`: the destination `{}` has no container port named `{port}`",
            endpoint.name
        ),
        hint,
    ))
}

/// The diagnostics, then the lints, then a one-line summary; 0 when there is no error.
fn check(args: &CheckArgs) -> u8 {
    let Some(input) = load(&args.files, args.group_replicas) else {
        return 2;
    };
    let index = compile(input.model);
    let texts: Vec<&str> = input.texts.iter().map(String::as_str).collect();
    let lints: Vec<Diagnostic> = lint(&index, &texts)
        .iter()
        .filter(|l| args.lints.includes(l.code))
        .map(|l| l.to_diagnostic(index.model()))
        .collect();
    print_diagnostics(&lints);
    print_lines([render::check_summary(
        args.files.len(),
        index.model(),
        &input.diags,
        lints.len(),
    )]);
    status(&input.diags, 0)
}

fn and_or(args: &AndOrArgs) -> u8 {
    let Some(input) = load(&args.files, args.group_replicas) else {
        return 2;
    };
    let index = compile(input.model);
    let variants = AndOr::new(&index);
    match args.format {
        Format::Text => teach::and_or_text(&index, &variants, &mut Stream::stdout()),
        Format::Json => teach::and_or_json(&index, &variants, &mut Stream::stdout()),
    }
    status(&input.diags, 0)
}

/// The policies of `--before` and `--after` on the cluster of the other files: 0 equivalent,
/// 1 different, 2 errors.
fn diff(args: &DiffArgs) -> u8 {
    let mut all = args.cluster.clone();
    all.push(args.before.clone());
    all.push(args.after.clone());
    let Some((texts, decode_diags)) = read_files(&all) else {
        return 2;
    };
    let n = args.cluster.len();
    let cluster_inputs: Vec<Input<'_>> = args
        .cluster
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input { name, text })
        .collect();
    let options = options(args.group_replicas);
    let (cluster, mut diags) = parse_with(&cluster_inputs, &options);
    diags.extend(decode_diags);
    let (before, before_diags) = parse_with(
        &[Input {
            name: &args.before,
            text: &texts[n],
        }],
        &options,
    );
    let (after, after_diags) = parse_with(
        &[Input {
            name: &args.after,
            text: &texts[n + 1],
        }],
        &options,
    );
    diags.extend(before_diags);
    diags.extend(after_diags);
    print_diagnostics(&diags);
    // Each side's explanations index the cluster's files followed by its own.
    let (mb, ma) = (
        with_policies(&cluster, &before),
        with_policies(&cluster, &after),
    );
    let (b, a) = (compile(mb), compile(ma));
    let ports = match diff_flow_pairs(&b, &a) {
        Ok(ports) => ports,
        Err(e) => {
            eprint_lines([format!("netpol: error: {e}")]);
            return 2;
        }
    };
    match args.format {
        Format::Text => teach::diff_text(&b, &ports, &mut Stream::stdout()),
        Format::Json => teach::diff_json(&b, &a, &ports, &mut Stream::stdout()),
    }
    let same = ports
        .iter()
        .all(|p| p.gained.is_empty() && p.lost.is_empty());
    status(&diags, if same { 0 } else { 1 })
}

/// The exercise's goals against the policies: 0 all goals met, 1 some not, 2 errors.
fn exercise(args: &ExerciseArgs) -> u8 {
    let mut files = vec![args.exercise.clone()];
    files.extend(args.policies.iter().cloned());
    let Some((texts, decode_diags)) = read_files(&files) else {
        return 2;
    };
    let exercise = match parse_exercise(&texts[0]) {
        Ok(exercise) => exercise,
        Err(e) => {
            eprint_lines([format!("{}: error: {e}", args.exercise)]);
            return 2;
        }
    };
    // Several policy files are read as one stream of documents.
    let policies = texts[1..].join("\n---\n");
    let (goals, diags) = check_exercise(&exercise, &policies);
    let policy_name = args.policies.join("+");
    let diags: Vec<Diagnostic> = decode_diags
        .into_iter()
        .chain(diags.into_iter().map(|mut d| {
            d.file = match d.file.as_str() {
                "policies" => policy_name.clone(),
                "cluster" => format!("{} (cluster)", args.exercise),
                _ => d.file,
            };
            d
        }))
        .collect();
    print_diagnostics(&diags);
    match args.format {
        Format::Text => print_lines(teach::exercise_text(&exercise.title, &goals)),
        Format::Json => print_json(&teach::exercise_json(&exercise.title, &goals)),
    }
    status(&diags, if goals.iter().all(|g| g.met) { 0 } else { 1 })
}
