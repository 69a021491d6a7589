//! Hostile and broken input: every case gets positioned diagnostics with the expected text, in
//! bounded time and memory (the large cases would take minutes or gigabytes if a bound broke).
//!
//! Expected messages follow kube-apiserver's wording (apimachinery `validation.go`,
//! `field/errors.go`) and the bounds documented in the engine (`limits.rs`): aliases may expand
//! a document to twice its size or 1 MiB, collections nest at most 100 levels deep, a file lists
//! at most 1000 diagnostics.

use std::collections::HashSet;

use netpol_engine::{decode, parse, Input};

const SUBDOMAIN: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const LABEL_KEY: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const DEPTH: &str =
    "this document nests collections more than 100 levels deep (the limit); it is not read";
const CONTROL: &str = "is not allowed in YAML (control characters other than tab and line breaks are not); this document is not read";

/// Five mebibytes, the size of the long value in the issue, and one for the other long values.
const HUGE: usize = 5 << 20;
const LONG: usize = 1 << 20;

struct Case {
    name: &'static str,
    /// Input files: name and text.
    files: Vec<(&'static str, String)>,
    /// Every diagnostic, as printed: `file:line:col: severity: message`.
    expect: Vec<String>,
}

fn case(name: &'static str, file: &'static str, text: impl Into<String>, expect: &[&str]) -> Case {
    Case {
        name,
        files: vec![(file, text.into())],
        expect: expect.iter().map(|s| s.to_string()).collect(),
    }
}

fn pod(metadata: &str) -> String {
    format!("apiVersion: v1\nkind: Pod\nmetadata:\n{metadata}")
}

/// `"xxx…"… (5242880 bytes)`: how a message quotes a long value of `len` bytes.
fn cut(len: usize) -> String {
    format!("\"{}\"… ({len} bytes)", "x".repeat(80))
}

fn cases() -> Vec<Case> {
    let scalars: Vec<String> = (0..10_000).map(|i| format!("s{i:04}")).collect();
    let bomb = format!(
        "list: &a [{}]\nuses: [{}]\n",
        scalars.join(","),
        vec!["*a"; 10_000].join(", ")
    );
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, next) in ["a", "b", "c", "d", "e"]
        .iter()
        .zip(["b", "c", "d", "e", "f"])
    {
        let items = vec![format!("*{prev}"); 10].join(",");
        laughs.push_str(&format!("{next}: &{next} [{items}]\n"));
    }
    let indented: String = (0..150)
        .map(|i| format!("{}k{i}:\n", " ".repeat(2 * i)))
        .collect();
    let huge = "x".repeat(HUGE);
    let long = "x".repeat(LONG);
    let alias_limit = "beyond 1048576 bytes (the limit: 2 times its size, at least 1048576 bytes); it is not read";
    vec![
        // The 16th alias passes 1 MiB: 100,018 bytes of text, each alias adds its node's 60,005
        // bytes minus the two of `*a`.
        case("a 60 KB anchored list aliased 10k times", "bomb.yaml", bomb, &[
            &format!("bomb.yaml:2:68: error: alias *a expands this document {alias_limit}"),
        ]),
        // Ten aliases per level: *e stands for 666,665 bytes, and the first one passes 1 MiB.
        case("nested aliases multiply", "laughs.yaml", laughs, &[
            &format!("laughs.yaml:6:8: error: alias *e expands this document {alias_limit}"),
        ]),
        case("a recursive alias", "rec.yaml", "a: &a [1, *a]\n", &[
            "rec.yaml:1:11: error: alias *a is used inside the node it names (a recursive alias); this document is not read",
        ]),
        case("`{a: ` nested 100k deep", "deep.yaml", "{a: ".repeat(100_000), &[
            &format!("deep.yaml:1:401: error: {DEPTH}"),
        ]),
        case("`- ` nested 100k deep on one line", "dashes.yaml", "- ".repeat(100_000) + "x\n", &[
            &format!("dashes.yaml:1:201: error: {DEPTH}"),
        ]),
        case("block mappings indented 150 levels deep", "indent.yaml", indented, &[
            &format!("indent.yaml:101:201: error: {DEPTH}"),
        ]),
        case("a 5 MiB label value of a Pod is cut in the message", "huge.yaml",
            pod(&format!("  name: web\n  labels:\n    app: {huge}\n")), &[
            &format!("huge.yaml:6:10: error: metadata.labels: Invalid value: {}: must be no more than 63 bytes", cut(HUGE)),
        ]),
        case("a 1 MiB label value in a NetworkPolicy is cut in the message", "long.yaml",
            format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {{name: p}}\nspec:\n  podSelector:\n    matchLabels:\n      app: {long}\n"), &[
            &format!("long.yaml:7:12: error: spec.podSelector.matchLabels: Invalid value: {}: must be no more than 63 bytes", cut(LONG)),
        ]),
        case("a 1 MiB pod name is cut in the message", "long.yaml", pod(&format!("  name: {long}\n")), &[
            &format!("long.yaml:4:9: error: metadata.name: Invalid value: {}: must be no more than 253 characters", cut(LONG)),
        ]),
        case("a byte order mark is not a second document", "bom.yaml",
            "\u{feff}apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n", &[]),
        case("NUL inside a document", "nul.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a\u{0}b}\n", &[
            &format!("nul.yaml:3:19: error: the character U+0000 {CONTROL}"),
        ]),
        case("ESC inside a document", "esc.yaml", "a: 1\nb: \u{1b}[31mred\n", &[
            &format!("esc.yaml:2:4: error: the character U+001B {CONTROL}"),
        ]),
        case("CR-only line endings count lines", "cr.yaml",
            "apiVersion: v1\rkind: Namespace\rmetadata: {name: Bad}\r", &[
            &format!("cr.yaml:3:18: error: metadata.name: Invalid value: \"Bad\": {LABEL}"),
        ]),
        case("CRLF line endings count lines", "crlf.yaml",
            "apiVersion: v1\r\nkind: Namespace\r\nmetadata: {name: Bad}\r\n", &[
            &format!("crlf.yaml:3:18: error: metadata.name: Invalid value: \"Bad\": {LABEL}"),
        ]),
        // `é` is two bytes and one column.
        case("non-ASCII before a validation error on its line", "utf8.yaml",
            pod("  name: web\n").replace("metadata:\n  name: web\n", "metadata: {annotations: {note: \"héllo\"}, name: Web}\n"), &[
            &format!("utf8.yaml:3:48: error: metadata.name: Invalid value: \"Web\": {SUBDOMAIN}"),
        ]),
        case("non-ASCII before a YAML syntax error on its line", "utf8.yaml",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: \"ééé\", labels: ]}\n", &[
            "utf8.yaml:3:33: error: YAML syntax error: did not find expected node content",
        ]),
        case("pod names and namespaces are validated as the API server does", "names.yaml",
            pod("  name: <script>alert(1)</script>\n  namespace: Shop\n") + "---\n" + &pod("  name: a/b\n"), &[
            &format!("names.yaml:4:9: error: metadata.name: Invalid value: \"<script>alert(1)</script>\": {SUBDOMAIN}"),
            &format!("names.yaml:5:14: error: metadata.namespace: Invalid value: \"Shop\": {LABEL}"),
            &format!("names.yaml:10:9: error: metadata.name: Invalid value: \"a/b\": {SUBDOMAIN}"),
        ]),
        case("control characters in label keys and values", "labels.yaml",
            pod("  name: web\n  labels:\n    \"a\\eb\": \"x\\ny\"\n"), &[
            &format!("labels.yaml:6:13: error: metadata.labels: Invalid value: \"a\\x1bb\": {LABEL_KEY}"),
            &format!("labels.yaml:6:13: error: metadata.labels: Invalid value: \"x\\ny\": {LABEL_VALUE}"),
        ]),
        case("toy pod and external names follow the same rules", "toy.yaml",
            "namespaces:\n  app:\n    pods:\n      \"w\\eb\": app=x\n      ok: app=y\nexternals:\n  a/b: 1.2.3.4\n  \"e\\u0007\": 1.2.3.5\n", &[
            &format!("toy.yaml:4:15: error: pod name \"w\\x1bb\": {SUBDOMAIN}"),
            &format!("toy.yaml:7:8: error: external name \"a/b\": {SUBDOMAIN}"),
            &format!("toy.yaml:8:14: error: external name \"e\\a\": {SUBDOMAIN}"),
        ]),
        Case {
            name: "a pod defined in the toy cluster and as a Pod names both positions",
            files: vec![
                ("cluster.yaml", "namespaces:\n  app:\n    pods: {web: app=web}\n".into()),
                ("pods.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: app}\n".into()),
            ],
            expect: vec!["pods.yaml:3:18: error: pod app/web is defined twice (first at cluster.yaml:3:17); this one is ignored".into()],
        },
        case("a Kubernetes object without apiVersion", "noversion.yaml",
            "kind: Pod\nmetadata: {name: web}\n---\napiVersion: v1\nkind: List\nitems:\n- kind: Namespace\n  metadata: {name: a}\n", &[
            "noversion.yaml:1:7: error: apiVersion: Required value: Object 'apiVersion' is missing (a Pod has apiVersion: v1)",
            "noversion.yaml:7:9: error: apiVersion: Required value: Object 'apiVersion' is missing (a Namespace has apiVersion: v1)",
        ]),
        case("explicit duplicate IPs are warnings naming both endpoints", "ips.yaml",
            "namespaces:\n  app:\n    pods:\n      a: {ip: 10.0.0.1}\n      b: ip=10.0.0.1\nexternals:\n  e: 10.0.0.1\n", &[
            "ips.yaml:5:10: warning: pod app/b has the IP 10.0.0.1 of pod app/a (at ips.yaml:4:10): an ipBlock that contains it selects both",
            "ips.yaml:7:6: warning: external e has the IP 10.0.0.1 of pod app/a (at ips.yaml:4:10): an ipBlock that contains it selects both",
        ]),
    ]
}

#[test]
fn hostile_inputs_get_positioned_errors() {
    let mut failures = Vec::new();
    for case in cases() {
        let inputs: Vec<Input<'_>> = case
            .files
            .iter()
            .map(|(name, text)| Input { name, text })
            .collect();
        let (_, diags) = parse(&inputs);
        let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
        if got != case.expect {
            failures.push(format!(
                "{}:\n  expected {:#?}\n  got      {:#?}",
                case.name, case.expect, got
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn invalid_utf8_is_positioned_and_the_rest_of_the_file_is_read() {
    let bytes = b"namespaces:\n  app:\n    pods: {w\xffb: app=x, ok: app=y}\n";
    let (text, diag) = decode("bytes.yaml", bytes);
    assert_eq!(
        diag.unwrap().to_string(),
        "bytes.yaml:3:13: error: invalid UTF-8: byte 0xFF is not part of a character and read as U+FFFD; save the file as UTF-8"
    );
    let (model, diags) = parse(&[Input {
        name: "bytes.yaml",
        text: &text,
    }]);
    let got: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    assert_eq!(
        got,
        [format!(
            "bytes.yaml:3:17: error: pod name \"w\u{fffd}b\": {SUBDOMAIN}"
        )]
    );
    let pods: Vec<String> = model.pods.iter().map(|p| p.id()).collect();
    assert_eq!(pods, ["app/ok"]);
}

#[test]
fn auto_assigned_ips_stay_unique_past_254_namespaces() {
    // 9,000 pods in the first namespace, then 300 namespaces of one pod each: the namespaces past
    // the 254th get addresses in fd00::/8 (docs/toy-format.md). Pods past index 63,999 of one
    // namespace would too; that many endpoints are over the evaluated maximum, so the unit tests
    // of `addresses.rs` cover it.
    let mut text = String::from("namespaces:\n  big:\n    pods:\n");
    for i in 0..9_000 {
        text.push_str(&format!("      p{i}: app=x\n"));
    }
    for n in 0..300 {
        text.push_str(&format!("  ns{n}: {{pods: {{a: app=y}}}}\n"));
    }
    let (model, diags) = parse(&[Input {
        name: "big.yaml",
        text: &text,
    }]);
    assert!(diags.is_empty(), "{:?}", &diags[..diags.len().min(3)]);
    assert_eq!(model.pods.len(), 9_300);
    let ips: HashSet<_> = model.pods.iter().flat_map(|p| p.ips.iter()).collect();
    assert_eq!(ips.len(), model.pods.len());
    let ip = |id: &str| {
        let p = model.pods.iter().find(|p| p.id() == id).unwrap();
        p.ips[0].to_string()
    };
    assert_eq!(ip("big/p0"), "10.1.0.2");
    // Pod 8,999: 10.1.(8999 / 250).(8999 % 250 + 2).
    assert_eq!(ip("big/p8999"), "10.1.35.251");
    // Namespace ns252 is the 254th: the last with IPv4 addresses.
    assert_eq!(ip("ns252/a"), "10.254.0.2");
    assert_eq!(ip("ns253/a"), "fd00::ff:0:0");
}

/// Past `MAX_ENDPOINTS` (10,000) endpoints the rest are left out with one error at the first of
/// them, so a 10 MB cluster cannot make a matrix of 10^11 cells.
#[test]
fn at_most_10000_endpoints_are_evaluated() {
    let mut text = String::from("namespaces:\n  big:\n    pods:\n");
    for i in 0..10_002 {
        text.push_str(&format!("      p{i}: app=x\n"));
    }
    text.push_str("externals:\n  internet: 8.8.8.8\n");
    let (model, diags) = parse(&[Input {
        name: "big.yaml",
        text: &text,
    }]);
    assert_eq!(model.pods.len(), 10_000);
    assert!(model.externals.is_empty());
    let shown: Vec<String> = diags.iter().map(|d| d.to_string()).collect();
    // Pod p10000 is on line 4 + 10,000; a pod's position is its value (`app=x`, column 15).
    assert_eq!(
        shown,
        ["big.yaml:10004:15: error: the input declares 10003 endpoints (pods, workloads, external endpoints and nodes); at most 10000 are evaluated, so this one and the 2 after it are left out"]
    );
}

#[test]
fn a_file_lists_at_most_1000_diagnostics_and_counts_the_rest() {
    let mut text = String::from("namespaces:\n  app:\n    pods:\n");
    for i in 0..5_000 {
        text.push_str(&format!("      P{i}: app=x\n"));
    }
    let (model, diags) = parse(&[Input {
        name: "many.yaml",
        text: &text,
    }]);
    assert!(model.pods.is_empty());
    assert_eq!(diags.len(), 1_001);
    assert_eq!(
        diags[999].to_string(),
        format!("many.yaml:1003:13: error: pod name \"P999\": {SUBDOMAIN}")
    );
    assert_eq!(
        diags[1_000].to_string(),
        format!("many.yaml:1004:14: error: 4000 more problems in this file are not listed (the first 1000 are); this is the first of them: pod name \"P1000\": {SUBDOMAIN}")
    );
}

#[test]
fn broken_json_never_panics() {
    for text in [
        "{",
        "[",
        "{\"",
        "{'",
        "{\"a\":",
        "{\"a\": [}",
        "[[[[[[",
        "]]]}}}",
        "{\"a\" \"b\"}",
        "{a: [1, {b: 'x''}]",
        "{\"items\": [1,,2], \"kind\": \"List\"}",
        "{\"kind\": \"List\", \"items\": [{\"kind\"",
        "\u{feff}{\"kind\": \"Pod\"}",
        "{\"a\": \"\\",
        "[\"\u{e9}\", {\"\u{e9}\": 1}]",
    ] {
        let (_, diags) = parse(&[Input {
            name: "g.json",
            text,
        }]);
        let _ = diags;
    }
}
