//! The parser on good and bad command lines.

use super::*;

fn parse(s: &str) -> Result<Cli, Usage> {
    let argv: Vec<String> = s.split_whitespace().map(String::from).collect();
    parse_args(&argv)
}

#[test]
fn parses_options_anywhere() {
    let Ok(Cli::Run(Command::Explain(a))) =
        parse("explain --port=81/udp f.yaml --from x/a g.yaml --to x/b -f json")
    else {
        panic!("expected explain");
    };
    assert_eq!(a.files, ["f.yaml", "g.yaml"]);
    assert_eq!(a.port.to_string(), "81/UDP");
    assert_eq!((a.from.as_str(), a.to.as_str()), ("x/a", "x/b"));
    assert_eq!(a.format, Format::Json);
}

#[test]
fn one_type_per_command() {
    let Ok(Cli::Run(Command::Diff(d))) = parse("diff c.yaml --after b.yaml --before a.yaml") else {
        panic!("expected diff");
    };
    assert_eq!(
        (d.before.as_str(), d.after.as_str(), &d.cluster[..]),
        ("a.yaml", "b.yaml", &["c.yaml".to_string()][..])
    );
    assert_eq!(d.format, Format::Text);
    let Ok(Cli::Run(Command::Exercise(e))) = parse("exercise check ex.yaml p.yaml q.yaml") else {
        panic!("expected exercise");
    };
    assert_eq!(
        (e.exercise.as_str(), &e.policies[..]),
        ("ex.yaml", &["p.yaml".to_string(), "q.yaml".to_string()][..])
    );
    assert!(matches!(
        parse("check - -- --odd-name.yaml"),
        Ok(Cli::Run(Command::Check(CheckArgs { files, .. }))) if files == ["-", "--odd-name.yaml"]
    ));
    assert!(matches!(
        parse("diff --before - --after b.yaml c.yaml"),
        Ok(Cli::Run(Command::Diff(DiffArgs { before, .. }))) if before == "-"
    ));
}

/// Each misuse, and the start of its one-line reason.
#[test]
fn rejects_misuse() {
    for (bad, reason) in [
        ("", "no command given"),
        ("frobnicate f.yaml", "unknown command `frobnicate`"),
        ("help frobnicate", "unknown command `frobnicate`"),
        ("--port 80", "expected a command before `--port`"),
        ("matrix f.yaml", "`netpol matrix` needs `--port"),
        (
            "matrix --port 80",
            "`netpol matrix` needs at least one FILE",
        ),
        ("matrix f.yaml --port 0", "invalid `--port`"),
        ("matrix f.yaml --port 80/ICMP", "invalid `--port`"),
        ("matrix f.yaml --port", "`--port` needs a value"),
        ("matrix f.yaml --port=", "`--port` needs a value"),
        ("matrix f.yaml -p -f json", "`--port` needs a value"),
        (
            "matrix f.yaml --port 80 --format yaml",
            "unknown format `yaml`",
        ),
        (
            "matrix f.yaml --port 80 --port 81",
            "`--port` is given more than once",
        ),
        (
            "matrix f.yaml -p 80 --port=80",
            "`--port` is given more than once",
        ),
        (
            "matrix f.yaml -p 80 -f json -f json",
            "`--format` is given more than once",
        ),
        (
            "check f.yaml --port 80",
            "`netpol check` does not take `--port`",
        ),
        ("connectivity f.yaml --bogus", "unknown option `--bogus`"),
        ("connectivity f.yaml -x", "unknown option `-x`"),
        (
            "explain f.yaml --port 80 --from x/a",
            "`netpol explain` needs `--to",
        ),
        (
            "explain f.yaml -p 80 --from --to x/b",
            "`--from` needs a value",
        ),
        (
            "explain f.yaml -p 80 --from x/a --to x/b --from x/c",
            "`--from` is given more than once",
        ),
        (
            "explain f.yaml -p 80 --from x/a --to x/b --to x/b",
            "`--to` is given more than once",
        ),
        (
            "diff c.yaml --before a.yaml",
            "`netpol diff` needs `--after",
        ),
        (
            "diff c.yaml --before a.yaml --before b.yaml",
            "`--before` is given more than once",
        ),
        (
            "diff c.yaml --before a.yaml --after b.yaml --after c.yaml",
            "`--after` is given more than once",
        ),
        (
            "exercise grade e.yaml p.yaml",
            "`netpol exercise` needs the subcommand `check`",
        ),
        ("matrix f.yaml --port http", "invalid `--port`"),
        (
            "explain f.yaml --from a --to b --port HTTP",
            "invalid `--port`",
        ),
        (
            "explain f.yaml --from a --to b --port http/ICMP",
            "invalid `--port`",
        ),
        (
            "explain f.yaml --from a --to b --port a--b",
            "invalid `--port`",
        ),
        (
            "check f.yaml --no-self",
            "`netpol check` does not take `--no-self`",
        ),
        (
            "connectivity f.yaml --no-self=yes",
            "`--no-self` takes no value",
        ),
        (
            "exercise check e.yaml p.yaml --group-replicas",
            "`netpol exercise` does not take `--group-replicas`",
        ),
        ("check f.yaml --lints", "`--lints` needs a value"),
        ("check f.yaml --lints bogus", "unknown lint `bogus`"),
        (
            "check f.yaml --lints none --lints all",
            "`--lints` is given more than once",
        ),
        (
            "exercise check e.yaml",
            "`netpol exercise check` needs EXERCISE.yaml",
        ),
    ] {
        match parse(bad) {
            Err(u) => {
                assert!(u.message.starts_with(reason), "{bad:?}: {}", u.message);
                assert!(!u.hint.is_empty(), "{bad:?}");
            }
            Ok(cli) => panic!("{bad:?} should be a usage error, got {cli:?}"),
        }
    }
}

#[test]
fn reads_flags_named_ports_and_lints() {
    let Ok(Cli::Run(Command::Explain(a))) =
        parse("explain f.yaml --from x/a --to x/b --port http/udp --group-replicas")
    else {
        panic!("expected explain");
    };
    assert_eq!(
        a.port,
        PortArg::Named {
            name: "http".into(),
            protocol: Some(netpol_engine::Protocol::Udp)
        }
    );
    assert!(a.group_replicas);
    let Ok(Cli::Run(Command::Explain(a))) = parse("explain f.yaml --from x/a --to x/b -p dns-tcp")
    else {
        panic!("expected explain");
    };
    assert_eq!(a.port.to_string(), "dns-tcp");
    assert!(!a.group_replicas);
    let Ok(Cli::Run(Command::Connectivity(c))) = parse("connectivity --no-self f.yaml") else {
        panic!("expected connectivity");
    };
    assert!(c.no_self && !c.group_replicas);
    let Ok(Cli::Run(Command::Check(c))) = parse("check f.yaml --lints dns-trap,or-bug") else {
        panic!("expected check");
    };
    assert_eq!(c.lints, Lints::Only(vec!["dns-trap", "or-bug"]));
    assert!(c.lints.includes("or-bug") && !c.lints.includes("half-open"));
    let Ok(Cli::Run(Command::Check(c))) = parse("check f.yaml --lints none") else {
        panic!("expected check");
    };
    assert!(!c.lints.includes("or-bug"));
    let Ok(Cli::Run(Command::Check(c))) = parse("check f.yaml") else {
        panic!("expected check");
    };
    assert_eq!(c.lints, Lints::All);
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
        "exercise --help",
    ] {
        assert!(matches!(parse(a), Ok(Cli::Help(_))), "{a}");
    }
    assert!(matches!(parse("--version"), Ok(Cli::Version)));
}
