//! The command line: one type per command, each next to its help text, and a small parser.
//!
//! Options may come anywhere after the command, as `--name value`, `--name=value` or a short
//! `-p value`; `--` ends the options; `-` is standard input. Misuse — an unknown command or
//! option, an option the command does not take, a missing or repeated value, a missing required
//! argument — is a [`Usage`] error: one line saying what is wrong, and a hint.

use netpol_engine::PortProto;

mod error;
mod values;

use error::usage;
pub(crate) use error::Usage;
pub(crate) use values::{Lints, PortArg};

pub(crate) const HELP: &str = "\
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

FILE is a YAML or JSON file with any mix of NetworkPolicy, Namespace, Pod, workload (Deployment,
StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, ReplicationController) and List objects (as
printed by `kubectl get ns,pods,netpol -A -o yaml`, or a Helm chart's output) and toy cluster
documents (see docs/toy-format.md); `-` reads standard input. All files are read together as one
cluster. A workload is one endpoint `namespace/name` standing for all its replicas; other kinds
(Service, ConfigMap, ...) are skipped with one note per file.

Options:
  -h, --help     Print help (`netpol COMMAND --help` for a command)
  -V, --version  Print version

Diagnostics go to stderr as `file:line:col: severity: message`.
Exit status: 0 ok (explain: allowed), 1 explain: denied, 2 errors in the input or the usage.
";

/// A parsed command line.
#[derive(Debug)]
pub(crate) enum Cli {
    Help(&'static str),
    Version,
    Run(Command),
}

/// A command to run, with everything it needs.
#[derive(Debug)]
pub(crate) enum Command {
    Matrix(MatrixArgs),
    Explain(ExplainArgs),
    Connectivity(ConnectivityArgs),
    Check(CheckArgs),
    Diff(DiffArgs),
    AndOr(AndOrArgs),
    Exercise(ExerciseArgs),
}

/// `--format`: how a command prints its result.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Format {
    #[default]
    Text,
    Json,
}

const MATRIX_HELP: &str = "\
netpol matrix: truth table of allowed flows on one port

Usage: netpol matrix FILE... --port PORT[/PROTO] [--format text|json] [--group-replicas]

Rows are sources, columns destinations, every endpoint of the cluster (pods and workloads as
`namespace/name`, sorted, then external endpoints by name). In text: `.` allowed, `X` denied,
`-` not a cluster flow (external -> external).

Options:
  -p, --port PORT[/PROTO]  The destination port and protocol, e.g. 80, 80/TCP, 53/UDP (required)
  -f, --format FORMAT      text (default) or json:
                           {\"port\": 80, \"protocol\": \"TCP\", \"sources\": [..], \"destinations\": [..],
                            \"allowed\": [[true, false, ..], ..]}  (allowed[i][j]: sources[i] -> destinations[j])
                           When the files define workloads, also \"source_kinds\" and
                           \"destination_kinds\": each endpoint's kind (Pod, Deployment, .., External)
      --group-replicas     One endpoint per workload for pods with a controller owner
  -h, --help               Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

/// `netpol matrix FILE... --port PORT [--format F] [--group-replicas]`.
#[derive(Debug)]
pub(crate) struct MatrixArgs {
    pub(crate) files: Vec<String>,
    pub(crate) port: PortProto,
    pub(crate) format: Format,
    pub(crate) group_replicas: bool,
}

const EXPLAIN_HELP: &str = "\
netpol explain: why one flow is allowed or denied

Usage: netpol explain FILE... --from ENDPOINT --to ENDPOINT --port PORT[/PROTO] [--format text|json]

ENDPOINT is a pod or workload as `namespace/name`, or an external endpoint's name.

Options:
      --from ENDPOINT      The source (required)
      --to ENDPOINT        The destination (required)
  -p, --port PORT[/PROTO]  The destination port and protocol, e.g. 80, 80/TCP, 53/UDP, or the
                           name of a container port of the destination, e.g. http or http/TCP
                           (required)
  -f, --format FORMAT      text (default: plain sentences) or json (the structured explanation)
      --group-replicas     One endpoint per workload for pods with a controller owner
  -h, --help               Print help

Exit status: 0 allowed, 1 denied (or not a cluster flow), 2 errors in the input or the usage.
";

/// `netpol explain FILE... --from A --to B --port PORT [--format F] [--group-replicas]`.
#[derive(Debug)]
pub(crate) struct ExplainArgs {
    pub(crate) files: Vec<String>,
    pub(crate) from: String,
    pub(crate) to: String,
    pub(crate) port: PortArg,
    pub(crate) format: Format,
    pub(crate) group_replicas: bool,
}

const CONNECTIVITY_HELP: &str = "\
netpol connectivity: every allowed flow over every port and protocol

Usage: netpol connectivity FILE... [--format text|json] [--no-self] [--group-replicas]

Text: one line per source, destination, protocol and maximal port interval, sorted bytewise:
  SRC -> DST : PROTO N
  SRC -> DST : PROTO N-M        (all ports: 1-65535)
Pairs with nothing allowed, and external -> external pairs, are left out.
JSON: [{\"from\": \"x/a\", \"to\": \"x/b\", \"protocol\": \"TCP\", \"ports\": [[1, 65535]]}, ..]
When the files define workloads, each item also has \"from_kind\" and \"to_kind\" (Pod,
Deployment, StatefulSet, .., External).

Options:
  -f, --format FORMAT  text (default) or json
      --no-self        Leave out each endpoint's flows to itself (always allowed)
      --group-replicas One endpoint per workload for pods with a controller owner
  -h, --help           Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

/// `netpol connectivity FILE... [--format F] [--no-self] [--group-replicas]`.
#[derive(Debug)]
pub(crate) struct ConnectivityArgs {
    pub(crate) files: Vec<String>,
    pub(crate) format: Format,
    pub(crate) no_self: bool,
    pub(crate) group_replicas: bool,
}

const CHECK_HELP: &str = "\
netpol check: validate the files only

Usage: netpol check FILE... [--lints none|all|CODE,...] [--group-replicas]

Prints every diagnostic to stderr, then the teaching lints (traps such as a probable AND/OR
mix-up, default deny breaking DNS, rules ignored because of policyTypes, selectors that match
nothing) as warnings and infos with a suggested fix, and a one-line summary to stdout.

Options:
      --lints LINTS     Which lints to run: all (default), none, or codes separated by commas:
                        or-bug, dns-trap, ignored-rules, egress-implied, selects-nothing,
                        peer-matches-nothing, namespace-label-unknown, unknown-named-port,
                        half-open, ipblock-contains-pods, yaml11-boolean, policy-namespace
      --group-replicas  One endpoint per workload for pods with a controller owner
  -h, --help            Print help

Exit status: 0 when there is no error (warnings are fine), 2 otherwise.
";

/// `netpol check FILE... [--lints L] [--group-replicas]`.
#[derive(Debug)]
pub(crate) struct CheckArgs {
    pub(crate) files: Vec<String>,
    pub(crate) lints: Lints,
    pub(crate) group_replicas: bool,
}

const DIFF_HELP: &str = "\
netpol diff: the flows that change between two policy sets on one cluster

Usage: netpol diff --before A.yaml --after B.yaml CLUSTER_FILE... [--format text|json] [--group-replicas]

The policies come from --before and --after; the cluster (namespaces, pods, externals) from
CLUSTER_FILE. Every port of every protocol is compared; each range of ports with the same change
is listed once, with the flows gained (+) and lost (-).

Options:
      --before FILE        The baseline policies (required)
      --after FILE         The changed policies (required)
  -f, --format FORMAT      text (default) or json
      --group-replicas     One endpoint per workload for pods with a controller owner
  -h, --help               Print help

Exit status: 0 when both sets allow the same flows, 1 when flows differ, 2 on errors.
";

/// `netpol diff --before A --after B CLUSTER... [--format F]`.
#[derive(Debug)]
pub(crate) struct DiffArgs {
    pub(crate) before: String,
    pub(crate) after: String,
    pub(crate) cluster: Vec<String>,
    pub(crate) format: Format,
    pub(crate) group_replicas: bool,
}

const AND_OR_HELP: &str = "\
netpol and-or: where the AND/OR reading of `from`/`to` items matters

Usage: netpol and-or FILE... [--format text|json] [--group-replicas]

For every item with both namespaceSelector and podSelector (AND), every rule listing a
namespaceSelector-only item and a podSelector-only item (OR), and every pair of rules split by
a stray `-` (one with only `from`/`to`, the next with only `ports`), shows both YAML fragments,
what each reading selects, and the flows the other reading would gain or lose on this cluster.

Options:
  -f, --format FORMAT  text (default) or json
      --group-replicas One endpoint per workload for pods with a controller owner
  -h, --help           Print help

Exit status: 0, or 2 on errors in the input or the usage.
";

/// `netpol and-or FILE... [--format F] [--group-replicas]`.
#[derive(Debug)]
pub(crate) struct AndOrArgs {
    pub(crate) files: Vec<String>,
    pub(crate) format: Format,
    pub(crate) group_replicas: bool,
}

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

/// `netpol exercise check EXERCISE POLICIES... [--format F]`.
#[derive(Debug)]
pub(crate) struct ExerciseArgs {
    pub(crate) exercise: String,
    pub(crate) policies: Vec<String>,
    pub(crate) format: Format,
}

/// The name of a command, before its arguments are read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Name {
    Matrix,
    Explain,
    Connectivity,
    Check,
    Diff,
    AndOr,
    Exercise,
}

impl Name {
    fn parse(s: &str) -> Option<Name> {
        match s {
            "matrix" => Some(Name::Matrix),
            "explain" => Some(Name::Explain),
            "connectivity" => Some(Name::Connectivity),
            "check" => Some(Name::Check),
            "diff" => Some(Name::Diff),
            "and-or" => Some(Name::AndOr),
            "exercise" => Some(Name::Exercise),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Name::Matrix => "matrix",
            Name::Explain => "explain",
            Name::Connectivity => "connectivity",
            Name::Check => "check",
            Name::Diff => "diff",
            Name::AndOr => "and-or",
            Name::Exercise => "exercise",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Name::Matrix => MATRIX_HELP,
            Name::Explain => EXPLAIN_HELP,
            Name::Connectivity => CONNECTIVITY_HELP,
            Name::Check => CHECK_HELP,
            Name::Diff => DIFF_HELP,
            Name::AndOr => AND_OR_HELP,
            Name::Exercise => EXERCISE_HELP,
        }
    }

    /// The options the command accepts, besides `--help` and `--version`.
    fn options(self) -> &'static [Opt] {
        match self {
            Name::Matrix => &[Opt::Port, Opt::Format],
            Name::Explain => &[Opt::From, Opt::To, Opt::Port, Opt::Format],
            Name::Connectivity | Name::AndOr | Name::Exercise => &[Opt::Format],
            Name::Check => &[Opt::Lints],
            Name::Diff => &[Opt::Before, Opt::After, Opt::Format],
        }
    }

    /// The flags (options without a value) the command accepts.
    fn flags(self) -> &'static [Flag] {
        match self {
            Name::Connectivity => &[Flag::NoSelf, Flag::GroupReplicas],
            Name::Exercise => &[],
            _ => &[Flag::GroupReplicas],
        }
    }

    fn hint(self) -> String {
        format!("run `netpol {} --help` for its usage", self.as_str())
    }
}

/// An option taking one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opt {
    Port,
    Format,
    From,
    To,
    Before,
    After,
    Lints,
}

impl Opt {
    const ALL: [Opt; 7] = [
        Opt::Port,
        Opt::Format,
        Opt::From,
        Opt::To,
        Opt::Before,
        Opt::After,
        Opt::Lints,
    ];

    fn long(self) -> &'static str {
        match self {
            Opt::Port => "port",
            Opt::Format => "format",
            Opt::From => "from",
            Opt::To => "to",
            Opt::Before => "before",
            Opt::After => "after",
            Opt::Lints => "lints",
        }
    }
}

/// An option without a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Flag {
    NoSelf,
    GroupReplicas,
}

impl Flag {
    const ALL: [Flag; 2] = [Flag::NoSelf, Flag::GroupReplicas];

    fn long(self) -> &'static str {
        match self {
            Flag::NoSelf => "no-self",
            Flag::GroupReplicas => "group-replicas",
        }
    }
}

/// The files and option values of a command line, each option given at most once.
#[derive(Default)]
struct Values {
    files: Vec<String>,
    port: Option<PortArg>,
    format: Option<Format>,
    from: Option<String>,
    to: Option<String>,
    before: Option<String>,
    after: Option<String>,
    lints: Option<Lints>,
    no_self: bool,
    group_replicas: bool,
}

/// Parses the arguments after the program name.
pub(crate) fn parse_args(argv: &[String]) -> Result<Cli, Usage> {
    let top_hint = "run `netpol --help` for the commands";
    let Some(first) = argv.first() else {
        return Err(usage("no command given", top_hint));
    };
    let name = match first.as_str() {
        "-h" | "--help" => return Ok(Cli::Help(HELP)),
        "-V" | "--version" => return Ok(Cli::Version),
        "help" => {
            return match argv.get(1).map(|c| (c, Name::parse(c))) {
                None => Ok(Cli::Help(HELP)),
                Some((_, Some(name))) => Ok(Cli::Help(name.help())),
                Some((c, None)) => Err(usage(format!("unknown command `{c}`"), top_hint)),
            };
        }
        c => match Name::parse(c) {
            Some(name) => name,
            None if c.starts_with('-') => {
                return Err(usage(format!("expected a command before `{c}`"), top_hint))
            }
            None => return Err(usage(format!("unknown command `{c}`"), top_hint)),
        },
    };
    match read_values(name, &argv[1..])? {
        Read::Values(values) => command(name, values).map(Cli::Run),
        Read::Stop(cli) => Ok(cli),
    }
}

/// What reading a command's arguments gives.
enum Read {
    Values(Values),
    /// `--help` or `--version` cut the reading short.
    Stop(Cli),
}

/// Reads files and options, in order: the first mistake, `--help` or `--version` stops it.
fn read_values(name: Name, args: &[String]) -> Result<Read, Usage> {
    let mut values = Values::default();
    let mut rest = args.iter();
    let mut only_files = false;
    while let Some(arg) = rest.next() {
        if only_files || arg == "-" || !arg.starts_with('-') {
            values.files.push(arg.clone());
            continue;
        }
        match arg.as_str() {
            "--" => {
                only_files = true;
                continue;
            }
            "-h" | "--help" => return Ok(Read::Stop(Cli::Help(name.help()))),
            "-V" | "--version" => return Ok(Read::Stop(Cli::Version)),
            _ => {}
        }
        // `--name value`, `--name=value`, `-p value`.
        let (long, inline) = match arg.strip_prefix("--") {
            Some(long) => match long.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (long, None),
            },
            None => match arg.as_str() {
                "-p" => ("port", None),
                "-f" => ("format", None),
                _ => {
                    return Err(usage(
                        format!("unknown option `{arg}` for `netpol {}`", name.as_str()),
                        name.hint(),
                    ))
                }
            },
        };
        if let Some(flag) = Flag::ALL.into_iter().find(|f| f.long() == long) {
            if !name.flags().contains(&flag) {
                return Err(usage(
                    format!("`netpol {}` does not take `--{long}`", name.as_str()),
                    name.hint(),
                ));
            }
            if inline.is_some() {
                return Err(usage(format!("`--{long}` takes no value"), name.hint()));
            }
            match flag {
                Flag::NoSelf => values.no_self = true,
                Flag::GroupReplicas => values.group_replicas = true,
            }
            continue;
        }
        let opt = match Opt::ALL.into_iter().find(|o| o.long() == long) {
            Some(opt) if name.options().contains(&opt) => opt,
            Some(_) => {
                return Err(usage(
                    format!("`netpol {}` does not take `--{long}`", name.as_str()),
                    name.hint(),
                ))
            }
            None => {
                return Err(usage(
                    format!("unknown option `--{long}` for `netpol {}`", name.as_str()),
                    name.hint(),
                ))
            }
        };
        // A value is never empty and never looks like an option (`--from --to x/a`); `-` is a
        // value (standard input), and `--name=-x` says explicitly that `-x` is the value.
        let value = match inline {
            Some(v) => Some(v),
            None => rest
                .next()
                .map(String::as_str)
                .filter(|v| *v == "-" || !v.starts_with('-')),
        };
        let Some(value) = value.filter(|v| !v.is_empty()) else {
            return Err(usage(format!("`--{long}` needs a value"), name.hint()));
        };
        set(&mut values, opt, value, name)?;
    }
    Ok(Read::Values(values))
}

/// Stores the value of one option, refusing a second value.
fn set(values: &mut Values, opt: Opt, value: &str, name: Name) -> Result<(), Usage> {
    let given = match opt {
        Opt::Port => values.port.is_some(),
        Opt::Format => values.format.is_some(),
        Opt::From => values.from.is_some(),
        Opt::To => values.to.is_some(),
        Opt::Before => values.before.is_some(),
        Opt::After => values.after.is_some(),
        Opt::Lints => values.lints.is_some(),
    };
    if given {
        return Err(usage(
            format!(
                "`--{}` is given more than once; it takes one value",
                opt.long()
            ),
            name.hint(),
        ));
    }
    match opt {
        Opt::Port => {
            let port = match PortProto::parse(value) {
                Ok(pp) => PortArg::Number(pp),
                Err(e) => match PortArg::parse_named(value).filter(|_| name == Name::Explain) {
                    Some(named) => named,
                    None => {
                        let hint = if name == Name::Explain {
                            "write it like 80, 80/TCP, 53/UDP, or a container port's name like http or dns/UDP"
                        } else {
                            "write it like 80, 80/TCP, 53/UDP or 9000/SCTP"
                        };
                        return Err(usage(format!("invalid `--port`: {e}"), hint));
                    }
                },
            };
            values.port = Some(port);
        }
        Opt::Format => {
            values.format = Some(match value {
                "text" => Format::Text,
                "json" => Format::Json,
                other => {
                    return Err(usage(
                        format!("unknown format `{other}`"),
                        "use `--format text` or `--format json`",
                    ))
                }
            });
        }
        Opt::From => values.from = Some(value.to_string()),
        Opt::To => values.to = Some(value.to_string()),
        Opt::Before => values.before = Some(value.to_string()),
        Opt::After => values.after = Some(value.to_string()),
        Opt::Lints => values.lints = Some(Lints::parse(value)?),
    }
    Ok(())
}

/// Builds the command from what was read, checking its required arguments.
fn command(name: Name, values: Values) -> Result<Command, Usage> {
    let format = values.format.unwrap_or_default();
    let group_replicas = values.group_replicas;
    let diff_example = "e.g. `netpol diff --before old.yaml --after new.yaml cluster.yaml`";
    let endpoint_example =
        "e.g. `--from x/b --to x/a --port 80/TCP` (pods as namespace/pod, externals by name)";
    Ok(match name {
        Name::Matrix => {
            let files = some_files(name, values.files)?;
            // Only `explain` reads named ports (see `set`).
            let PortArg::Number(port) = port(name, values.port)? else {
                return Err(usage("`netpol matrix` needs a port number", name.hint()));
            };
            Command::Matrix(MatrixArgs {
                files,
                port,
                format,
                group_replicas,
            })
        }
        Name::Explain => {
            let files = some_files(name, values.files)?;
            let port = port(name, values.port)?;
            let from = required(
                values.from,
                "`netpol explain` needs `--from ENDPOINT`",
                endpoint_example,
            )?;
            let to = required(
                values.to,
                "`netpol explain` needs `--to ENDPOINT`",
                endpoint_example,
            )?;
            Command::Explain(ExplainArgs {
                files,
                from,
                to,
                port,
                format,
                group_replicas,
            })
        }
        Name::Connectivity => Command::Connectivity(ConnectivityArgs {
            files: some_files(name, values.files)?,
            format,
            no_self: values.no_self,
            group_replicas,
        }),
        Name::Check => Command::Check(CheckArgs {
            files: some_files(name, values.files)?,
            lints: values.lints.unwrap_or_default(),
            group_replicas,
        }),
        Name::Diff => {
            let before = required(
                values.before,
                "`netpol diff` needs `--before FILE`",
                diff_example,
            )?;
            let after = required(
                values.after,
                "`netpol diff` needs `--after FILE`",
                diff_example,
            )?;
            Command::Diff(DiffArgs {
                before,
                after,
                cluster: some_files(name, values.files)?,
                format,
                group_replicas,
            })
        }
        Name::AndOr => Command::AndOr(AndOrArgs {
            files: some_files(name, values.files)?,
            format,
            group_replicas,
        }),
        Name::Exercise => {
            let mut files = values.files.into_iter();
            if files.next().as_deref() != Some("check") {
                return Err(usage(
                    "`netpol exercise` needs the subcommand `check`",
                    "e.g. `netpol exercise check exercises/01-lock-down-the-database.yaml solution.yaml`",
                ));
            }
            let (exercise, policies) = (files.next(), files.collect::<Vec<_>>());
            let Some(exercise) = exercise.filter(|_| !policies.is_empty()) else {
                return Err(usage(
                    "`netpol exercise check` needs EXERCISE.yaml and at least one POLICIES.yaml",
                    name.hint(),
                ));
            };
            Command::Exercise(ExerciseArgs {
                exercise,
                policies,
                format,
            })
        }
    })
}

fn required<T>(value: Option<T>, message: &str, hint: &str) -> Result<T, Usage> {
    value.ok_or_else(|| usage(message, hint))
}

fn some_files(name: Name, files: Vec<String>) -> Result<Vec<String>, Usage> {
    if files.is_empty() {
        return Err(usage(
            format!("`netpol {}` needs at least one FILE", name.as_str()),
            format!(
                "e.g. `netpol {} cluster.yaml policies.yaml`; {}",
                name.as_str(),
                name.hint()
            ),
        ));
    }
    Ok(files)
}

fn port(name: Name, port: Option<PortArg>) -> Result<PortArg, Usage> {
    required(
        port,
        &format!("`netpol {}` needs `--port PORT[/PROTO]`", name.as_str()),
        "e.g. `--port 80/TCP`",
    )
}

#[cfg(test)]
mod tests;
