//! `netpol`: the command line of the NetworkPolicy playground.
//!
//! Every command reads YAML files (Kubernetes objects and/or the toy cluster format), prints
//! every diagnostic to stderr as `file:line:col: severity: message`, and prints its result to
//! stdout. Exit codes: 0 success (for `explain`: allowed), 1 denied (`explain` only), 2 errors in
//! the input or in the command line. Errors take precedence: the result of the valid part of the
//! input is still printed, but the exit code is 2.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::process::ExitCode;

mod teach;

use netpol_engine::{
    compile, has_errors, parse, Cell, Compiled, Diagnostic, Input, PortProto, Severity,
};

const VERSION: &str = env!("CARGO_PKG_VERSION");

const HELP: &str = "\
netpol: what Kubernetes NetworkPolicies allow, and why

Usage: netpol <COMMAND> FILE... [OPTIONS]

Commands:
  matrix        Truth table of allowed flows between every pair of endpoints on one port
  explain       Why one flow is allowed or denied, in plain sentences
  connectivity  Every allowed flow over every port and protocol
  check         Validate the files and point at teaching traps (lints)
  diff          The flows that change between two policy sets on one cluster
  and-or        Where `from`/`to` items read as AND vs OR, and what the other reading changes
  exercise      `netpol exercise check EXERCISE.yaml POLICIES.yaml...`: check a workshop exercise
  help          Print this help, or the help of a command (`netpol help matrix`)

FILE is a YAML file with any mix of NetworkPolicy, Namespace, Pod and List objects (as printed by
`kubectl get ns,pods,netpol -A -o yaml`) and toy cluster documents (see docs/toy-format.md);
`-` reads standard input. All files are read together as one cluster.

Options:
  -h, --help     Print help (`netpol COMMAND --help` for a command)
  -V, --version  Print version

Diagnostics go to stderr as `file:line:col: severity: message`.
Exit status: 0 ok (explain: allowed), 1 explain: denied, 2 errors in the input or the usage.
";

const MATRIX_HELP: &str = "\
netpol matrix: truth table of allowed flows on one port

Usage: netpol matrix FILE... --port PORT[/PROTO] [--format text|json]

Rows are sources, columns destinations, every endpoint of the cluster (pods as `namespace/pod`,
sorted, then external endpoints by name). In text: `.` allowed, `X` denied, `-` not a cluster
flow (external -> external).

Options:
  -p, --port PORT[/PROTO]  The destination port and protocol, e.g. 80, 80/TCP, 53/UDP (required)
  -f, --format FORMAT      text (default) or json:
                           {\"port\": 80, \"protocol\": \"TCP\", \"sources\": [..], \"destinations\": [..],
                            \"allowed\": [[true, false, ..], ..]}  (allowed[i][j]: sources[i] -> destinations[j])
  -h, --help               Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

const EXPLAIN_HELP: &str = "\
netpol explain: why one flow is allowed or denied

Usage: netpol explain FILE... --from ENDPOINT --to ENDPOINT --port PORT[/PROTO] [--format text|json]

ENDPOINT is a pod as `namespace/pod` or an external endpoint's name.

Options:
      --from ENDPOINT      The source (required)
      --to ENDPOINT        The destination (required)
  -p, --port PORT[/PROTO]  The destination port and protocol, e.g. 80, 80/TCP, 53/UDP (required)
  -f, --format FORMAT      text (default: plain sentences) or json (the structured explanation)
  -h, --help               Print help

Exit status: 0 allowed, 1 denied (or not a cluster flow), 2 errors in the input or the usage.
";

const CONNECTIVITY_HELP: &str = "\
netpol connectivity: every allowed flow over every port and protocol

Usage: netpol connectivity FILE... [--format text|json]

Text: one line per source, destination, protocol and maximal port interval, sorted bytewise:
  SRC -> DST : PROTO N
  SRC -> DST : PROTO N-M        (all ports: 1-65535)
Pairs with nothing allowed, and external -> external pairs, are left out.
JSON: [{\"from\": \"x/a\", \"to\": \"x/b\", \"protocol\": \"TCP\", \"ports\": [[1, 65535]]}, ..]

Options:
  -f, --format FORMAT  text (default) or json
  -h, --help           Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

const CHECK_HELP: &str = "\
netpol check: validate the files only

Usage: netpol check FILE...

Prints every diagnostic to stderr, then the teaching lints (traps such as a probable AND/OR
mix-up, default deny breaking DNS, rules ignored because of policyTypes, selectors that match
nothing) as warnings and infos with a suggested fix, and a one-line summary to stdout.

Options:
  -h, --help  Print help

Exit status: 0 when there is no error (warnings are fine), 2 otherwise.
";

const DIFF_HELP: &str = "\
netpol diff: the flows that change between two policy sets on one cluster

Usage: netpol diff --before A.yaml --after B.yaml CLUSTER_FILE... [--format text|json]

The policies come from --before and --after; the cluster (namespaces, pods, externals) from
CLUSTER_FILE. Every port of every protocol is compared; each range of ports with the same change
is listed once, with the flows gained (+) and lost (-).

Options:
      --before FILE        The baseline policies (required)
      --after FILE         The changed policies (required)
  -f, --format FORMAT      text (default) or json
  -h, --help               Print help

Exit status: 0 when both sets allow the same flows, 1 when flows differ, 2 on errors.
";

const AND_OR_HELP: &str = "\
netpol and-or: where the AND/OR reading of `from`/`to` items matters

Usage: netpol and-or FILE... [--format text|json]

For every item with both namespaceSelector and podSelector (AND), and every rule listing a
namespaceSelector-only item and a podSelector-only item (OR), shows both YAML fragments, what
each reading selects, and the flows the other reading would gain or lose on this cluster.

Options:
  -f, --format FORMAT  text (default) or json
  -h, --help           Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

const EXERCISE_HELP: &str = "\
netpol exercise check: check a workshop exercise

Usage: netpol exercise check EXERCISE.yaml POLICIES.yaml... [--format text|json]

Evaluates the policies against the exercise's cluster and goals (flows that must be allowed or
denied, optionally an exact matrix). Lists every goal with ✓ or ✗, and for a failing goal why.

Options:
  -f, --format FORMAT  text (default) or json
  -h, --help           Print help

Exit status: 0 when every goal holds, 1 otherwise, 2 on errors in the files or the usage.
";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Command {
    Matrix,
    Explain,
    Connectivity,
    Check,
    Diff,
    AndOr,
    Exercise,
}

impl Command {
    fn parse(s: &str) -> Option<Command> {
        match s {
            "matrix" => Some(Command::Matrix),
            "explain" => Some(Command::Explain),
            "connectivity" => Some(Command::Connectivity),
            "check" => Some(Command::Check),
            "diff" => Some(Command::Diff),
            "and-or" => Some(Command::AndOr),
            "exercise" => Some(Command::Exercise),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Command::Matrix => "matrix",
            Command::Explain => "explain",
            Command::Connectivity => "connectivity",
            Command::Check => "check",
            Command::Diff => "diff",
            Command::AndOr => "and-or",
            Command::Exercise => "exercise",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Command::Matrix => MATRIX_HELP,
            Command::Explain => EXPLAIN_HELP,
            Command::Connectivity => CONNECTIVITY_HELP,
            Command::Check => CHECK_HELP,
            Command::Diff => DIFF_HELP,
            Command::AndOr => AND_OR_HELP,
            Command::Exercise => EXERCISE_HELP,
        }
    }

    /// The options (long names) the command accepts, besides `--help`.
    fn options(self) -> &'static [&'static str] {
        match self {
            Command::Matrix => &["port", "format"],
            Command::Explain => &["from", "to", "port", "format"],
            Command::Connectivity => &["format"],
            Command::Check => &[],
            Command::Diff => &["before", "after", "format"],
            Command::AndOr | Command::Exercise => &["format"],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

/// A parsed command line.
#[derive(Debug)]
enum Cli {
    Help(&'static str),
    Version,
    Run(Args),
}

#[derive(Debug)]
struct Args {
    command: Command,
    files: Vec<String>,
    port: Option<PortProto>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    after: Option<String>,
    format: Format,
}

/// A command-line mistake: the message, and a hint on what to do instead.
#[derive(Debug)]
struct Usage {
    message: String,
    hint: String,
}

fn usage(message: impl Into<String>, hint: impl Into<String>) -> Usage {
    Usage {
        message: message.into(),
        hint: hint.into(),
    }
}

fn parse_args(argv: &[String]) -> Result<Cli, Usage> {
    let top_hint = "run `netpol --help` for the commands";
    let Some(first) = argv.first() else {
        return Err(usage("no command given", top_hint));
    };
    let command = match first.as_str() {
        "-h" | "--help" => return Ok(Cli::Help(HELP)),
        "-V" | "--version" => return Ok(Cli::Version),
        "help" => {
            return match argv.get(1) {
                None => Ok(Cli::Help(HELP)),
                Some(c) => match Command::parse(c) {
                    Some(cmd) => Ok(Cli::Help(cmd.help())),
                    None => Err(usage(format!("unknown command `{c}`"), top_hint)),
                },
            }
        }
        c => match Command::parse(c) {
            Some(cmd) => cmd,
            None if c.starts_with('-') => {
                return Err(usage(format!("expected a command before `{c}`"), top_hint))
            }
            None => return Err(usage(format!("unknown command `{c}`"), top_hint)),
        },
    };
    let hint = format!("run `netpol {} --help` for its usage", command.name());
    let mut args = Args {
        command,
        files: Vec::new(),
        port: None,
        from: None,
        to: None,
        before: None,
        after: None,
        format: Format::Text,
    };
    let mut rest = argv[1..].iter();
    let mut only_files = false;
    while let Some(arg) = rest.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            args.files.push(arg.clone());
            continue;
        }
        if arg == "--" {
            only_files = true;
            continue;
        }
        if arg == "-h" || arg == "--help" {
            return Ok(Cli::Help(command.help()));
        }
        if arg == "-V" || arg == "--version" {
            return Ok(Cli::Version);
        }
        // `--name value`, `--name=value`, `-p value`.
        let (name, inline) = match arg.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (long.to_string(), None),
            },
            None => {
                let long = match arg.as_str() {
                    "-p" => "port",
                    "-f" => "format",
                    _ => {
                        return Err(usage(
                            format!("unknown option `{arg}` for `netpol {}`", command.name()),
                            hint,
                        ))
                    }
                };
                (long.to_string(), None)
            }
        };
        if !command.options().contains(&name.as_str()) {
            let known = ["port", "format", "from", "to", "before", "after"];
            let msg = if known.contains(&name.as_str()) {
                format!("`netpol {}` does not take `--{name}`", command.name())
            } else {
                format!("unknown option `--{name}` for `netpol {}`", command.name())
            };
            return Err(usage(msg, hint));
        }
        let value = match inline {
            Some(v) => v,
            None => match rest.next() {
                Some(v) => v.clone(),
                None => return Err(usage(format!("`--{name}` needs a value"), hint)),
            },
        };
        match name.as_str() {
            "port" => {
                let pp = PortProto::parse(&value).map_err(|e| {
                    usage(
                        format!("invalid `--port`: {e}"),
                        "write it like 80, 80/TCP, 53/UDP or 9000/SCTP",
                    )
                })?;
                args.port = Some(pp);
            }
            "format" => {
                args.format = match value.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => {
                        return Err(usage(
                            format!("unknown format `{other}`"),
                            "use `--format text` or `--format json`",
                        ))
                    }
                }
            }
            "from" => args.from = Some(value),
            "to" => args.to = Some(value),
            "before" => args.before = Some(value),
            "after" => args.after = Some(value),
            _ => unreachable!("options are checked against Command::options"),
        }
    }
    if command == Command::Exercise {
        if args.files.first().map(String::as_str) != Some("check") {
            return Err(usage("`netpol exercise` needs the subcommand `check`", "e.g. `netpol exercise check exercises/01-lock-down-the-database.yaml solution.yaml`"));
        }
        args.files.remove(0);
        if args.files.len() < 2 {
            return Err(usage(
                "`netpol exercise check` needs EXERCISE.yaml and at least one POLICIES.yaml",
                hint,
            ));
        }
    }
    if command == Command::Diff {
        for (opt, v) in [("before", &args.before), ("after", &args.after)] {
            if v.is_none() {
                return Err(usage(
                    format!("`netpol diff` needs `--{opt} FILE`"),
                    "e.g. `netpol diff --before old.yaml --after new.yaml cluster.yaml`",
                ));
            }
        }
    }
    if args.files.is_empty() {
        return Err(usage(
            format!("`netpol {}` needs at least one FILE", command.name()),
            format!(
                "e.g. `netpol {} cluster.yaml policies.yaml`; {hint}",
                command.name()
            ),
        ));
    }
    let needs_port = matches!(command, Command::Matrix | Command::Explain);
    if needs_port && args.port.is_none() {
        return Err(usage(
            format!("`netpol {}` needs `--port PORT[/PROTO]`", command.name()),
            "e.g. `--port 80/TCP`",
        ));
    }
    if command == Command::Explain {
        for (opt, v) in [("from", &args.from), ("to", &args.to)] {
            if v.is_none() {
                return Err(usage(
                    format!("`netpol explain` needs `--{opt} ENDPOINT`"),
                    "e.g. `--from x/b --to x/a --port 80/TCP` (pods as namespace/pod, externals by name)",
                ));
            }
        }
    }
    Ok(Cli::Run(args))
}

/// Writes to stdout, ignoring a closed pipe (`netpol ... | head`).
fn print_out(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    match parse_args(&argv) {
        Ok(Cli::Help(text)) => {
            print_out(text);
            ExitCode::SUCCESS
        }
        Ok(Cli::Version) => {
            print_out(&format!("netpol {VERSION}\n"));
            ExitCode::SUCCESS
        }
        Ok(Cli::Run(args)) => ExitCode::from(run(&args)),
        Err(u) => {
            eprintln!("netpol: error: {}\nhint: {}", u.message, u.hint);
            ExitCode::from(2)
        }
    }
}

/// Reads every file; on any failure reports each unreadable file and returns `None`.
fn read_files(files: &[String]) -> Option<Vec<String>> {
    let mut texts = Vec::with_capacity(files.len());
    let mut failed = false;
    for f in files {
        let read = if f == "-" {
            let mut s = String::new();
            io::stdin().read_to_string(&mut s).map(|_| s)
        } else {
            std::fs::read_to_string(f)
        };
        match read {
            Ok(t) => texts.push(t),
            Err(e) => {
                eprintln!("{f}: error: cannot read: {e}");
                failed = true;
            }
        }
    }
    (!failed).then_some(texts)
}

fn run(args: &Args) -> u8 {
    match args.command {
        Command::Diff => return teach::diff(args),
        Command::Exercise => return teach::exercise(args),
        _ => {}
    }
    let Some(texts) = read_files(&args.files) else {
        return 2;
    };
    let inputs: Vec<Input<'_>> = args
        .files
        .iter()
        .zip(&texts)
        .map(|(name, text)| Input {
            name: if name == "-" { "<stdin>" } else { name },
            text,
        })
        .collect();
    let (model, diags) = parse(&inputs);
    let mut err = io::stderr().lock();
    for d in &diags {
        let _ = writeln!(err, "{d}");
    }
    drop(err);
    let errors = has_errors(&diags);
    let index = compile(&model);
    if args.command == Command::Check {
        let lints: Vec<Diagnostic> = netpol_engine::lint(
            &index,
            &texts.iter().map(String::as_str).collect::<Vec<_>>(),
        )
        .iter()
        .map(|l| l.to_diagnostic(&model))
        .collect();
        let mut err = io::stderr().lock();
        for d in &lints {
            let _ = writeln!(err, "{d}");
        }
        drop(err);
        let mut summary = check_summary(&args.files, &model, &diags);
        summary.insert_str(
            summary.len() - 1,
            &format!("; {}", plural(lints.len(), "lint", "lints")),
        );
        print_out(&summary);
        return if errors { 2 } else { 0 };
    }
    let code = match args.command {
        Command::Check | Command::Diff | Command::Exercise => unreachable!("handled above"),
        Command::AndOr => teach::and_or(&index, &texts, args.format),
        Command::Matrix => {
            let pp = args.port.expect("checked by parse_args");
            let out = match args.format {
                Format::Text => matrix_text(&index, pp),
                Format::Json => matrix_json(&index, pp),
            };
            print_out(&out);
            0
        }
        Command::Connectivity => {
            let out = match args.format {
                Format::Text => connectivity_text(&index),
                Format::Json => connectivity_json(&index),
            };
            print_out(&out);
            0
        }
        Command::Explain => explain(&index, args),
    };
    if errors {
        2
    } else {
        code
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn check_summary(files: &[String], model: &netpol_engine::Model, diags: &[Diagnostic]) -> String {
    let count = |s: Severity| diags.iter().filter(|d| d.severity == s).count();
    let (e, w) = (count(Severity::Error), count(Severity::Warning));
    format!(
        "{}: {}, {}, {}, {}, {}; {}, {}\n",
        if e > 0 { "invalid" } else { "ok" },
        plural(files.len(), "file", "files"),
        plural(model.namespaces.len(), "namespace", "namespaces"),
        plural(model.pods.len(), "pod", "pods"),
        plural(
            model.externals.len(),
            "external endpoint",
            "external endpoints"
        ),
        plural(model.policies.len(), "policy", "policies"),
        plural(e, "error", "errors"),
        plural(w, "warning", "warnings"),
    )
}

/// The truth table: rows are sources, columns destinations.
///
/// Columns are labelled by endpoint name when every name is short; otherwise they are numbered
/// and each row starts with its number, so the rows double as the key.
fn matrix_text(index: &Compiled<'_>, pp: PortProto) -> String {
    let eps = index.endpoints();
    let m = index.matrix(pp);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{pp}: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)"
    );
    if eps.is_empty() {
        s.push_str("(no endpoints)\n");
        return s;
    }
    let max_name = eps
        .iter()
        .map(|e| e.name.chars().count())
        .max()
        .unwrap_or(0);
    let numbered = max_name > 8;
    let labels: Vec<String> = if numbered {
        (0..eps.len()).map(|i| i.to_string()).collect()
    } else {
        eps.iter().map(|e| e.name.clone()).collect()
    };
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    let row_labels: Vec<String> = if numbered {
        let w = (eps.len() - 1).to_string().len();
        eps.iter()
            .enumerate()
            .map(|(i, e)| format!("{i:>w$} {}", e.name))
            .collect()
    } else {
        eps.iter().map(|e| e.name.clone()).collect()
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
    s.push_str(line.trim_end());
    s.push('\n');
    for (i, rl) in row_labels.iter().enumerate() {
        let mut line = format!("{rl:<lw$}");
        for j in 0..eps.len() {
            let c = match m.cell(i, j) {
                Cell::Allowed => '.',
                Cell::Denied => 'X',
                Cell::NotApplicable => '-',
            };
            let _ = write!(line, " {c:>width$}");
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string always serializes")
}

fn json_list<I: IntoIterator<Item = String>>(items: I) -> String {
    format!("[{}]", items.into_iter().collect::<Vec<_>>().join(", "))
}

/// `{"port", "protocol", "sources", "destinations", "allowed"}`, one matrix row per line.
fn matrix_json(index: &Compiled<'_>, pp: PortProto) -> String {
    let eps = index.endpoints();
    let m = index.matrix(pp);
    let names = json_list(eps.iter().map(|e| json_str(&e.name)));
    let rows: Vec<String> = (0..eps.len())
        .map(|i| json_list((0..eps.len()).map(|j| m.allowed(i, j).to_string())))
        .collect();
    let allowed = if rows.is_empty() {
        "[]".to_string()
    } else {
        format!("[\n    {}\n  ]", rows.join(",\n    "))
    };
    format!(
        "{{\n  \"port\": {},\n  \"protocol\": {},\n  \"sources\": {names},\n  \"destinations\": {names},\n  \"allowed\": {allowed}\n}}\n",
        pp.port,
        json_str(pp.protocol.as_str()),
    )
}

fn connectivity_text(index: &Compiled<'_>) -> String {
    let eps = index.endpoints();
    let mut lines: Vec<String> = Vec::new();
    for c in index.connectivity() {
        let (from, to) = (&eps[c.from].name, &eps[c.to].name);
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
    // too unless a name holds a character below ` `; the contract is bytewise-sorted lines, so
    // make sure of it.
    if !lines.is_sorted() {
        lines.sort_unstable();
    }
    let mut s = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    for l in lines {
        s.push_str(&l);
        s.push('\n');
    }
    s
}

fn connectivity_json(index: &Compiled<'_>) -> String {
    let eps = index.endpoints();
    let items: Vec<String> = index
        .connectivity()
        .iter()
        .map(|c| {
            let ports = json_list(c.ports.iter().map(|(lo, hi)| format!("[{lo}, {hi}]")));
            format!(
                "{{\"from\": {}, \"to\": {}, \"protocol\": {}, \"ports\": {ports}}}",
                json_str(&eps[c.from].name),
                json_str(&eps[c.to].name),
                json_str(c.protocol.as_str()),
            )
        })
        .collect();
    if items.is_empty() {
        "[]\n".to_string()
    } else {
        format!("[\n  {}\n]\n", items.join(",\n  "))
    }
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Names of endpoints close to `wanted`: the nearest by edit distance (when near enough), and
/// the same pod name in other namespaces; `(first endpoints, false)` when nothing is close.
fn close_names(index: &Compiled<'_>, wanted: &str) -> (Vec<String>, bool) {
    let pod_part = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    let budget = (wanted.chars().count() / 3).max(2);
    let scored: Vec<(usize, &str)> = index
        .endpoints()
        .iter()
        .map(|e| (distance(wanted, &e.name), e.name.as_str()))
        .collect();
    let best = scored.iter().map(|(d, _)| *d).min().unwrap_or(usize::MAX);
    let mut close: Vec<(usize, &str)> = scored
        .into_iter()
        .filter(|(d, n)| (*d == best && *d <= budget) || pod_part(n) == pod_part(wanted))
        .collect();
    close.sort();
    if close.is_empty() {
        let some: Vec<String> = index
            .endpoints()
            .iter()
            .take(10)
            .map(|e| e.name.clone())
            .collect();
        return (some, false);
    }
    (
        close
            .into_iter()
            .take(8)
            .map(|(_, n)| n.to_string())
            .collect(),
        true,
    )
}

fn explain(index: &Compiled<'_>, args: &Args) -> u8 {
    let pp = args.port.expect("checked by parse_args");
    let mut ends = [0usize; 2];
    let mut unknown = false;
    for (k, (opt, name)) in [("--from", &args.from), ("--to", &args.to)]
        .into_iter()
        .enumerate()
    {
        let name = name.as_deref().expect("checked by parse_args");
        match index.endpoint(name) {
            Some(e) => ends[k] = e,
            None => {
                unknown = true;
                let (names, close) = close_names(index, name);
                let msg = if index.endpoints().is_empty() {
                    "the files declare no pods or external endpoints".to_string()
                } else if close {
                    format!("did you mean {}?", names.join(", "))
                } else {
                    format!(
                        "known endpoints include {}{}",
                        names.join(", "),
                        if index.endpoints().len() > names.len() {
                            ", ..."
                        } else {
                            ""
                        }
                    )
                };
                eprintln!(
                    "netpol: error: unknown endpoint `{name}` for `{opt}`: {msg}\nhint: pods are named namespace/pod (e.g. x/a), external endpoints by their declared name"
                );
            }
        }
    }
    if unknown {
        return 2;
    }
    let ex = index.explain(ends[0], ends[1], pp);
    match args.format {
        Format::Text => print_out(&ex.to_text()),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&ex).expect("explanations serialize");
            s.push('\n');
            print_out(&s);
        }
    }
    if ex.allowed() {
        0
    } else {
        1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn parses_options_anywhere() {
        let Ok(Cli::Run(a)) = parse_args(&args(
            "explain --port=81/udp f.yaml --from x/a g.yaml --to x/b -f json",
        )) else {
            panic!("expected a run");
        };
        assert_eq!(a.files, ["f.yaml", "g.yaml"]);
        assert_eq!(a.port.unwrap().to_string(), "81/UDP");
        assert_eq!(
            (a.from.as_deref(), a.to.as_deref()),
            (Some("x/a"), Some("x/b"))
        );
        assert_eq!(a.format, Format::Json);
    }

    #[test]
    fn rejects_misuse() {
        for bad in [
            "",
            "frobnicate f.yaml",
            "matrix f.yaml",
            "matrix --port 80",
            "matrix f.yaml --port 0",
            "matrix f.yaml --port 80/ICMP",
            "matrix f.yaml --port",
            "matrix f.yaml --port 80 --format yaml",
            "check f.yaml --port 80",
            "connectivity f.yaml --bogus",
            "explain f.yaml --port 80 --from x/a",
        ] {
            assert!(
                parse_args(&args(bad)).is_err(),
                "{bad:?} should be a usage error"
            );
        }
    }

    #[test]
    fn help_everywhere() {
        for a in [
            "--help",
            "-h",
            "help",
            "help matrix",
            "matrix --help",
            "explain -h",
            "check --help",
            "connectivity --help",
        ] {
            assert!(matches!(parse_args(&args(a)), Ok(Cli::Help(_))), "{a}");
        }
        assert!(matches!(parse_args(&args("--version")), Ok(Cli::Version)));
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance("x/a", "x/b"), 1);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
