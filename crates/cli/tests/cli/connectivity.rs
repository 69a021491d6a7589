//! `netpol connectivity`: allowed flows as port intervals, text and JSON.

use super::*;

#[test]
fn connectivity_text() {
    // Named-port policy: x/a accepts others only on 81/TCP (its serve-81-tcp); everything else is
    // unisolated, so every other pair is allowed on every port of every protocol. Self-flows are
    // allowed flows too.
    let r = netpol(&[
        "connectivity",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted, "lines are sorted bytewise");
    let mut expected = Vec::new();
    for s in PODS {
        for d in PODS {
            if d == "x/a" && s != "x/a" {
                expected.push(format!("{s} -> {d} : TCP 81"));
            } else {
                for proto in ["SCTP", "TCP", "UDP"] {
                    expected.push(format!("{s} -> {d} : {proto} 1-65535"));
                }
            }
        }
    }
    expected.sort_unstable();
    assert_eq!(lines, expected);
}

#[test]
fn connectivity_port_intervals() {
    // z/c may only send 53/UDP to dns: one single-port line; dns (external) can reach every pod
    // on everything since no pod is isolated for ingress; external -> external is omitted.
    let r = netpol(&["connectivity", "e2e-model.yaml", "dns-egress.yaml"]);
    assert_eq!(r.code, 0);
    let from_z_c: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("z/c -> "))
        .collect();
    assert_eq!(
        from_z_c,
        [
            "z/c -> dns : UDP 53",
            "z/c -> z/c : SCTP 1-65535",
            "z/c -> z/c : TCP 1-65535",
            "z/c -> z/c : UDP 1-65535"
        ]
    );
    assert!(r.stdout.contains("\ndns -> x/a : TCP 1-65535\n"));
    assert!(!r.stdout.contains("dns -> dns"));
    let lines: Vec<&str> = r.stdout.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort_unstable();
    assert_eq!(lines, sorted);
}

#[test]
fn connectivity_json() {
    let r = netpol(&[
        "connectivity",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    let v = json(&r.stdout);
    let items = v.as_array().expect("a list");
    // 72 pairs without x/a as destination + x/a -> x/a, on 3 protocols each; 8 pairs on TCP 81.
    assert_eq!(items.len(), 73 * 3 + 8);
    for item in items {
        let mut keys: Vec<&str> = item
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["from", "ports", "protocol", "to"]);
    }
    let find = |from: &str, to: &str, proto: &str| {
        items
            .iter()
            .find(|i| i["from"] == from && i["to"] == to && i["protocol"] == proto)
            .cloned()
    };
    assert_eq!(
        find("x/b", "x/a", "TCP"),
        Some(
            serde_json::json!({"from": "x/b", "to": "x/a", "protocol": "TCP", "ports": [[81, 81]]})
        )
    );
    assert_eq!(find("x/b", "x/a", "UDP"), None);
    assert_eq!(
        find("y/c", "z/b", "SCTP").map(|i| i["ports"].clone()),
        Some(serde_json::json!([[1, 65535]]))
    );
}
