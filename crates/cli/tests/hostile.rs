//! End-to-end tests of the `netpol` binary on command-line misuse and on names and texts that
//! hold control characters (files in `tests/data/`).
//!
//! Misuse exits 2 with a one-line reason and a hint. Text output never carries a raw control
//! character: ESC, CR, LF, other C0 and C1 characters and DEL inside a printed value appear as
//! `\u{1b}`-style escapes, so a name cannot recolour the terminal or forge a line.

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `netpol ARGS` in `tests/data`, so diagnostics name the files as given.
fn netpol(args: &[&str]) -> Run {
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let out = Command::new(env!("CARGO_BIN_EXE_netpol"))
        .args(args)
        .current_dir(data)
        .output()
        .expect("the netpol binary runs");
    Run {
        code: out
            .status
            .code()
            .expect("netpol exits normally (no signal, no panic abort)"),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// No character a terminal would act on, but the line breaks between lines.
fn assert_inert(text: &str, what: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| c != '\n' && escaped(&c.to_string()) != c.to_string())
        .collect();
    assert!(bad.is_empty(), "{what}: raw {bad:?} in {text:?}");
}

/// `text` as printed: `\u{1b}` for ESC, `\u{a}` for LF, and so on.
fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}') {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

const HOSTILE_POD: &str = "x/a\u{1b}[2Jb";

#[test]
fn misuse_exits_2_with_a_one_line_reason() {
    let explain = ["explain", "e2e-model.yaml", "--port", "80"];
    for (args, reason) in [
        (
            &["frobnicate", "e2e-model.yaml"][..],
            "unknown command `frobnicate`",
        ),
        (&["help", "frobnicate"], "unknown command `frobnicate`"),
        (&["--from", "x/a"], "expected a command before `--from`"),
        (
            &["connectivity", "e2e-model.yaml", "--bogus"],
            "unknown option `--bogus` for `netpol connectivity`",
        ),
        (
            &["connectivity", "e2e-model.yaml", "-x"],
            "unknown option `-x` for `netpol connectivity`",
        ),
        (
            &["matrix", "e2e-model.yaml", "--from", "x/a", "--port", "80"],
            "`netpol matrix` does not take `--from`",
        ),
        (
            &["matrix", "e2e-model.yaml", "--port"],
            "`--port` needs a value",
        ),
        (
            &["matrix", "e2e-model.yaml", "--port="],
            "`--port` needs a value",
        ),
        (
            &["matrix", "e2e-model.yaml", "-p", "--format", "json"],
            "`--port` needs a value",
        ),
        (
            &[
                "explain",
                "e2e-model.yaml",
                "-p",
                "80",
                "--from",
                "--to",
                "x/a",
            ],
            "`--from` needs a value",
        ),
        (
            &["matrix", "e2e-model.yaml", "--port", "80", "--port", "81"],
            "`--port` is given more than once",
        ),
        (
            &[
                "matrix",
                "e2e-model.yaml",
                "-p",
                "80",
                "-f",
                "json",
                "--format=text",
            ],
            "`--format` is given more than once",
        ),
        (
            &[
                &explain[..],
                &["--from", "x/a", "--from", "x/b", "--to", "x/c"],
            ]
            .concat(),
            "`--from` is given more than once",
        ),
        (
            &[&explain[..], &["--from", "x/a", "--to", "x/b", "--to=x/c"]].concat(),
            "`--to` is given more than once",
        ),
        (
            &[
                "diff",
                "e2e-model.yaml",
                "--before",
                "and-peer.yaml",
                "--before",
                "and-peer.yaml",
                "--after",
                "and-peer.yaml",
            ],
            "`--before` is given more than once",
        ),
        (
            &[
                "exercise", "check", "x.yaml", "y.yaml", "-f", "json", "-f", "json",
            ],
            "`--format` is given more than once",
        ),
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert_eq!(r.stdout, "", "{args:?}");
        let lines: Vec<&str> = r.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: {}", r.stderr);
        assert!(
            lines[0].starts_with(&format!("netpol: error: {reason}")),
            "{args:?}: {}",
            lines[0]
        );
        assert!(lines[1].starts_with("hint: "), "{args:?}: {}", lines[1]);
    }
}

#[test]
fn misuse_quoting_control_characters_stays_one_line() {
    for (args, quoted) in [
        (&["bad\u{1b}[2J\ncmd"][..], "`bad\\u{1b}[2J\\u{a}cmd`"),
        (
            &["check", "e2e-model.yaml", "--x\r\u{1b}[1A"],
            "`--x\\u{d}\\u{1b}[1A`",
        ),
        (
            &["matrix", "e2e-model.yaml", "--port", "80\n\u{7f}\u{9b}"],
            "80\\u{a}\\u{7f}\\u{9b}",
        ),
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_inert(&r.stderr, "stderr");
        assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
        assert!(r.stderr.contains(quoted), "{quoted} in {}", r.stderr);
    }
}

#[test]
fn unknown_endpoint_is_quoted_escaped() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "--from",
        "x/\u{1b}]0;pwned\u{7}\rq",
        "--to",
        "x/a",
        "--port",
        "80",
    ]);
    assert_eq!((r.code, r.stdout.as_str()), (2, ""));
    assert_inert(&r.stderr, "stderr");
    let first = r.stderr.lines().next().unwrap();
    assert!(
        first.starts_with(
            "netpol: error: unknown endpoint `x/\\u{1b}]0;pwned\\u{7}\\u{d}q` for `--from`: "
        ),
        "{first}"
    );
    assert_eq!(r.stderr.lines().count(), 2, "{}", r.stderr);
}

/// Whether the engine accepts these names or rejects them with a diagnostic quoting them,
/// nothing reaches the terminal raw, and every endpoint is one line.
#[test]
fn names_with_control_characters_print_escaped() {
    let file = "control-chars.yaml";
    let matrix = netpol(&["matrix", file, "--port", "80", "--format", "json"]);
    let endpoints = json(&matrix.stdout)["sources"].as_array().unwrap().len();
    let connectivity = netpol(&["connectivity", file, "--format", "json"]);
    let intervals: usize = json(&connectivity.stdout)
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["ports"].as_array().unwrap().len())
        .sum();
    let runs = [
        ("matrix json", matrix),
        ("connectivity json", connectivity),
        ("matrix", netpol(&["matrix", file, "--port", "80"])),
        ("connectivity", netpol(&["connectivity", file])),
        ("check", netpol(&["check", file])),
        (
            "explain",
            netpol(&[
                "explain",
                file,
                "--from",
                HOSTILE_POD,
                "--to",
                "x/plain",
                "-p",
                "80",
            ]),
        ),
        (
            "explain json",
            netpol(&[
                "explain",
                file,
                "--from",
                HOSTILE_POD,
                "--to",
                "x/plain",
                "-p",
                "80",
                "-f",
                "json",
            ]),
        ),
    ];
    for (what, r) in &runs {
        assert_inert(&r.stdout, &format!("{what} stdout"));
        assert_inert(&r.stderr, &format!("{what} stderr"));
        let all = format!("{}{}", r.stdout, r.stderr);
        // `check` prints accepted names nowhere; everything else shows them or a diagnostic.
        assert!(
            *what == "check"
                || all.contains("\\u{1b}")
                || all.contains("\\u001b")
                || all.contains("\\x1b"),
            "{what}: the ESC is shown escaped:\n{all}"
        );
    }
    let text = |what: &str| &runs.iter().find(|(w, _)| *w == what).unwrap().1.stdout;
    // A header line, the column labels, one row per endpoint.
    assert_eq!(text("matrix").lines().count(), 2 + endpoints);
    assert_eq!(text("connectivity").lines().count(), intervals);
    let connectivity: Vec<&str> = text("connectivity").lines().collect();
    assert!(connectivity.is_sorted(), "sorted bytewise as printed");
    // JSON keeps the exact names (its escapes parse back to the characters); text shows each
    // name with its control characters escaped.
    for name in json(text("matrix json"))["sources"].as_array().unwrap() {
        let printed = escaped(name.as_str().unwrap());
        assert!(text("matrix").contains(&printed), "{printed}");
    }
}

#[test]
fn diagnostics_quoting_input_stay_one_line() {
    let r = netpol(&["check", "unknown-kind-control-chars.yaml"]);
    assert_inert(&r.stderr, "stderr");
    for line in r.stderr.lines() {
        assert!(
            line.starts_with("unknown-kind-control-chars.yaml:"),
            "no forged diagnostic line: {line}"
        );
    }
    // The engine quotes input the way kube-apiserver does (Go's %q: `\x1b`); the CLI escapes
    // whatever raw control character is left (`\u{1b}`).
    assert!(
        r.stderr.contains("Fo\\u{1b}[2Jo") || r.stderr.contains("Fo\\x1b[2Jo"),
        "{}",
        r.stderr
    );
}

#[test]
fn exercise_title_prints_escaped() {
    let r = netpol(&[
        "exercise",
        "check",
        "exercise-control-chars.yaml",
        "allow-x-a-from-x-b.yaml",
    ]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_inert(&r.stdout, "stdout");
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Lock \\u{1b}[31mdown\\u{1b}[0m\\u{d}FAKE\\u{a}all 99 goals met",
            "  ✓ x/a → x/b on 80/TCP is allowed",
            "1 of 1 goals met",
        ]
    );
    let r = netpol(&[
        "exercise",
        "check",
        "exercise-control-chars.yaml",
        "allow-x-a-from-x-b.yaml",
        "--format",
        "json",
    ]);
    assert_inert(&r.stdout, "stdout");
    assert_eq!(
        json(&r.stdout)["title"],
        "Lock \u{1b}[31mdown\u{1b}[0m\rFAKE\nall 99 goals met"
    );
}

/// A file that is not UTF-8 is still read (the bad byte as U+FFFD), and the error says where the
/// bad byte is: line 3, column 32 (`    pods: {a: app=web, b: "app=` is 31 characters).
#[test]
fn invalid_utf8_is_positioned_and_exits_2() {
    let r = netpol(&["check", "invalid-utf8.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.lines().any(|l| l.starts_with(
            "invalid-utf8.yaml:3:32: error: invalid UTF-8: byte 0xFF is not part of a character"
        )),
        "{}",
        r.stderr
    );
}

/// A UTF-8 BOM and CRLF line endings (what Windows editors save) read like any other file.
#[test]
fn bom_and_crlf_read_cleanly() {
    let r = netpol(&["check", "bom-crlf.yaml"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("ok: 1 file, 1 namespace, 1 pod"),
        "{}",
        r.stdout
    );
}
