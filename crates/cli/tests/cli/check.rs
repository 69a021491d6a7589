//! `netpol check`, diagnostics and exit codes, usage errors, `--help` and `--version`.

use super::*;

#[test]
fn check_valid_files() {
    let r = netpol(&[
        "check",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "dns-egress.yaml",
    ]);
    // Valid, but z/c may only use UDP 53: the DNS lint says TCP 53 is missing.
    assert_eq!(r.code, 0);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(r.stderr.starts_with("dns-egress.yaml:8:9: warning: z/c is egress-isolated and cannot reach any destination on TCP 53"), "{}", r.stderr);
    expect![[r#"
        ok: 3 files, 3 namespaces, 9 pods, 1 external endpoint, 2 policies; 0 errors, 0 warnings; 1 lint
    "#]]
    .assert_eq(&r.stdout);
}

/// `file:line:col: severity: message` with numeric line and column.
fn assert_diagnostic_format(line: &str, file: &str, severity: &str) {
    let rest = line
        .strip_prefix(&format!("{file}:"))
        .unwrap_or_else(|| panic!("{line:?} starts with {file}:"));
    let parts: Vec<&str> = rest.splitn(3, ':').collect();
    assert_eq!(parts.len(), 3, "{line:?}");
    assert!(
        parts[0].parse::<u32>().is_ok_and(|n| n >= 1),
        "line number in {line:?}"
    );
    assert!(
        parts[1].parse::<u32>().is_ok_and(|n| n >= 1),
        "column number in {line:?}"
    );
    assert!(parts[2].starts_with(&format!(" {severity}: ")), "{line:?}");
}

#[test]
fn check_invalid_policy() {
    let r = netpol(&["check", "e2e-model.yaml", "broken.yaml"]);
    assert_eq!(r.code, 2);
    let errors: Vec<&str> = r
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    assert_eq!(errors.len(), 1, "{}", r.stderr);
    assert_diagnostic_format(errors[0], "broken.yaml", "error");
    assert!(
        errors[0].starts_with("broken.yaml:12:"),
        "the cidr is on line 12: {}",
        errors[0]
    );
    assert!(
        errors[0].contains(r#"spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33""#),
        "{}",
        errors[0]
    );
    assert!(
        r.stdout.starts_with(
            "invalid: 2 files, 3 namespaces, 9 pods, 0 external endpoints, 1 policy; 1 error, "
        ),
        "{}",
        r.stdout
    );
}

#[test]
fn errors_still_print_the_valid_part_and_exit_2() {
    // bad-cidr (in x) is left out; deny-all-ingress isolates every pod of y with no rules, so
    // y's pods accept nothing but themselves. x and z are unisolated.
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "broken.yaml",
        "--port",
        "80/TCP",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 2);
    let v = json(&r.stdout);
    let mut denied = Vec::new();
    for (i, s) in PODS.iter().enumerate() {
        for (j, d) in PODS.iter().enumerate() {
            assert_eq!(
                v["allowed"][i][j].as_bool(),
                Some(!(d.starts_with("y/") && s != d)),
                "{s} -> {d}"
            );
            if d.starts_with("y/") && s != d {
                denied.push((s, d));
            }
        }
    }
    assert_eq!(denied.len(), 24);
    // explain: errors take precedence over the verdict's exit code.
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "broken.yaml",
        "--from",
        "x/a",
        "--to",
        "x/b",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.contains("ALLOWED"), "{}", r.stdout);
}

#[test]
fn yaml_syntax_error() {
    let r = netpol(&["check", "bad-yaml.yaml"]);
    assert_eq!(r.code, 2);
    let first = r.stderr.lines().next().expect("a diagnostic");
    assert_diagnostic_format(first, "bad-yaml.yaml", "error");
    assert!(first.contains("YAML syntax error"), "{first}");
}

#[test]
fn unreadable_file() {
    let r = netpol(&["matrix", "no-such-file.yaml", "--port", "80"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .starts_with("no-such-file.yaml: error: cannot read: "),
        "{}",
        r.stderr
    );
    assert_eq!(r.stdout, "");
}

#[test]
fn usage_errors_exit_2_with_a_hint() {
    for args in [
        &[][..],
        &["frobnicate"],
        &["matrix", "e2e-model.yaml"],
        &["matrix", "--port", "80"],
        &["matrix", "e2e-model.yaml", "--port", "80/ICMP"],
        &[
            "matrix",
            "e2e-model.yaml",
            "--port",
            "80",
            "--format",
            "yaml",
        ],
        &["explain", "e2e-model.yaml", "--from", "x/a", "--port", "80"],
        &["check", "e2e-model.yaml", "--port", "80"],
        &["connectivity", "e2e-model.yaml", "--what"],
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert_eq!(r.stdout, "", "{args:?}");
        assert!(
            r.stderr.starts_with("netpol: error: "),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("\nhint: "), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn help_and_version() {
    for (args, first) in [
        (
            &["--help"][..],
            "netpol: what Kubernetes NetworkPolicies allow, and why",
        ),
        (
            &["-h"],
            "netpol: what Kubernetes NetworkPolicies allow, and why",
        ),
        (
            &["matrix", "--help"],
            "netpol matrix: truth table of allowed flows on one port",
        ),
        (
            &["explain", "-h"],
            "netpol explain: why one flow is allowed or denied",
        ),
        (
            &["connectivity", "--help"],
            "netpol connectivity: every allowed flow over every port and protocol",
        ),
        (
            &["check", "--help"],
            "netpol check: validate the files only",
        ),
        (&["help", "check"], "netpol check: validate the files only"),
    ] {
        let r = netpol(args);
        assert_eq!(r.code, 0, "{args:?}");
        assert_eq!(r.stdout.lines().next(), Some(first), "{args:?}");
        assert!(r.stdout.contains("Usage: netpol"), "{args:?}");
    }
    let r = netpol(&["--version"]);
    assert_eq!(
        (r.code, r.stdout.as_str()),
        (0, concat!("netpol ", env!("CARGO_PKG_VERSION"), "\n"))
    );
}
