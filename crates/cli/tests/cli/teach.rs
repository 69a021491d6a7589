//! The teaching commands: `and-or`, `diff` and `exercise check`.

use super::*;

/// AND (namespace y AND pod=b) admits y/b only; the OR variant admits every pod of y plus the
/// pods labelled pod=b in x (API reference: items are ORed, selectors in one item ANDed).
#[test]
fn and_or_lists_the_split_variant_and_its_gains() {
    let r = netpol(&[
        "and-or",
        "e2e-model.yaml",
        "and-peer.yaml",
        "--format",
        "json",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v = json(&r.stdout);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    let tcp = &v[0]["ports"][0];
    assert_eq!(tcp["protocol"], "TCP");
    let gained: Vec<String> = tcp["gained"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} -> {}",
                f["from"].as_str().unwrap(),
                f["to"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(gained, ["x/b -> x/a", "y/a -> x/a", "y/c -> x/a"]);
    assert_eq!(tcp["lost"].as_array().map(Vec::len), Some(0));
}

/// The split rule (x/b on every port, OR every pod on TCP 81) against the merged rule (x/b on
/// TCP 81 only; API reference: rules are ORed, a rule needs a peer and a port to match, an empty
/// `ports` matches every port and an empty `from` every source; a pod always reaches itself):
/// merging loses the 7 other pods on TCP 81 (all but x/a itself and x/b) and x/b on every
/// other port of every protocol, and gains nothing.
#[test]
fn and_or_lists_the_split_rule_variant_and_its_losses() {
    let r = netpol(&[
        "and-or",
        "e2e-model.yaml",
        "split-rule.yaml",
        "--format",
        "json",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let v = json(&r.stdout);
    assert_eq!(v.as_array().map(Vec::len), Some(1));
    assert_eq!(v[0]["kind"]["kind"], "merge_rules");
    assert_eq!(v[0]["kind"]["peers_rule"], 0);
    assert_eq!(v[0]["kind"]["ports_rule"], 1);
    assert_eq!(v[0]["rule"], 0);
    let flows = |p: &Value, key: &str| -> Vec<String> {
        p[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                format!(
                    "{} -> {}",
                    f["from"].as_str().unwrap(),
                    f["to"].as_str().unwrap()
                )
            })
            .collect()
    };
    let changed: Vec<(String, Vec<String>, Vec<String>)> = v[0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                format!(
                    "{} {}-{}",
                    p["protocol"].as_str().unwrap(),
                    p["ports"][0],
                    p["ports"][1]
                ),
                flows(p, "gained"),
                flows(p, "lost"),
            )
        })
        .filter(|(_, g, l)| !g.is_empty() || !l.is_empty())
        .collect();
    let xb = || vec!["x/b -> x/a".to_string()];
    let others: Vec<String> = PODS
        .iter()
        .filter(|p| !["x/a", "x/b"].contains(p))
        .map(|p| format!("{p} -> x/a"))
        .collect();
    assert_eq!(
        changed,
        [
            ("TCP 1-80".to_string(), vec![], xb()),
            ("TCP 81-81".to_string(), vec![], others),
            ("TCP 82-65535".to_string(), vec![], xb()),
            ("UDP 1-65535".to_string(), vec![], xb()),
            ("SCTP 1-65535".to_string(), vec![], xb()),
        ]
    );
    let text = netpol(&["and-or", "e2e-model.yaml", "split-rule.yaml"]);
    assert_eq!(text.code, 0, "{}", text.stderr);
    expect![[r#"
        x/api ingress[0]: this rule has only `from` and ingress[1] only `ports` (two rules, ORed: a stray `-`?); the variant merges them into one rule (AND)
            now:                  variant:
            - from:               - from:
              - podSelector:        - podSelector:
                  matchLabels:          matchLabels:
                    pod: b                pod: b
            - ports:                ports:
              - protocol: TCP       - protocol: TCP
                port: 81              port: 81
          now:     OR: two rules: from pods labelled pod=b in namespace x on every port, plus TCP 81 from every source
          variant: AND: one rule: from pods labelled pod=b in namespace x on TCP 81
          TCP 1-80 (shown as 80/TCP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          TCP 81 (shown as 81/TCP): 0 gained, 7 lost, 74 unchanged
            - x/c -> x/a
            - y/a -> x/a
            - y/b -> x/a
            - y/c -> x/a
            - z/a -> x/a
            - z/b -> x/a
            - z/c -> x/a
          TCP 82-65535 (shown as 82/TCP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          UDP 1-65535 (shown as 80/UDP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a
          SCTP 1-65535 (shown as 80/SCTP): 0 gained, 1 lost, 80 unchanged
            - x/b -> x/a

    "#]]
    .assert_eq(&text.stdout);
}

/// The same policies are equivalent (exit 0); AND-peer vs pod=b in x differ (exit 1): the
/// first admits y/b into x/a, the second x/b.
#[test]
fn diff_exit_codes_and_flows() {
    let same = netpol(&[
        "diff",
        "--before",
        "and-peer.yaml",
        "--after",
        "and-peer.yaml",
        "e2e-model.yaml",
    ]);
    assert_eq!(same.code, 0, "{}", same.stderr);
    assert!(same.stdout.starts_with("equivalent"));
    let r = netpol(&[
        "diff",
        "--before",
        "and-peer.yaml",
        "--after",
        "allow-x-a-from-x-b.yaml",
        "e2e-model.yaml",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    expect![[r#"
        different: 6 changed (flow, port range) pairs
        TCP 1-65535 (shown as 80/TCP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
        UDP 1-65535 (shown as 80/UDP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
        SCTP 1-65535 (shown as 80/SCTP): 1 gained, 1 lost, 79 unchanged
          + x/b -> x/a
          - y/b -> x/a
    "#]]
    .assert_eq(&r.stdout);
    let usage = netpol(&["diff", "e2e-model.yaml", "--before", "and-peer.yaml"]);
    assert_eq!(usage.code, 2);
}

/// An exercise's reference solution meets every goal (exit 0); its starting policies do not
/// (exit 1).
#[test]
fn exercise_check_solution_and_start() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let path = root.join("exercises/05-default-deny-broke-dns.yaml");
    let ex = netpol_engine::parse_exercise(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let dir = root.join("target/cli-tests");
    std::fs::create_dir_all(&dir).unwrap();
    let (sol, start) = (dir.join("solution.yaml"), dir.join("start.yaml"));
    std::fs::write(&sol, &ex.solution).unwrap();
    std::fs::write(&start, &ex.policies).unwrap();
    let p = |x: &PathBuf| x.to_str().unwrap().to_string();
    let ok = netpol(&["exercise", "check", &p(&path), &p(&sol)]);
    assert_eq!(ok.code, 0, "{}{}", ok.stdout, ok.stderr);
    assert!(ok.stdout.contains("8 of 8 goals met"), "{}", ok.stdout);
    let bad = netpol(&[
        "exercise",
        "check",
        &p(&path),
        &p(&start),
        "--format",
        "json",
    ]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert_eq!(json(&bad.stdout)["met"], false);
    assert_eq!(netpol(&["exercise", "grade", &p(&path)]).code, 2);
}
