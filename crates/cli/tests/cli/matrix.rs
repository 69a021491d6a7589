//! `netpol matrix`: text and JSON, named ports, external endpoints.

use super::*;

#[test]
fn no_policies_allow_everything() {
    // No policy selects any pod: nothing is isolated, every flow is allowed.
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &PODS,
        80,
        "TCP",
    );
    assert_eq!(exceptions(&allowed, &PODS, true), Vec::<String>::new());
}

#[test]
fn matrix_json_pod_selector_policy() {
    // Upstream "should enforce policy based on PodSelector": x/a is isolated for ingress and
    // accepts only pods labelled pod=b in x (a podSelector alone means the policy's namespace).
    // Every other pod is unisolated; x/a can always reach itself.
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "allow-x-a-from-x-b.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &PODS,
        80,
        "TCP",
    );
    let denied: Vec<String> = ["x/c", "y/a", "y/b", "y/c", "z/a", "z/b", "z/c"]
        .iter()
        .map(|s| format!("{s}->x/a"))
        .collect();
    assert_eq!(exceptions(&allowed, &PODS, true), denied);
    assert!(allowed[idx("x/b")][idx("x/a")]);
    assert!(allowed[idx("x/a")][idx("x/a")]);
    // The rule has no ports: every port and protocol behaves the same.
    let udp = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "allow-x-a-from-x-b.yaml",
            "--port=81/udp",
            "-f",
            "json",
        ],
        &PODS,
        81,
        "UDP",
    );
    assert_eq!(udp, allowed);
}

#[test]
fn matrix_json_layout() {
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--port",
        "80",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0);
    // The key order of the contract, one matrix row per line.
    assert!(
        r.stdout
            .starts_with("{\n  \"port\": 80,\n  \"protocol\": \"TCP\",\n  \"sources\": [\"x/a\", "),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\n    [false, true, true, true, true, true, true, true, true],\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn matrix_text_pod_selector_policy() {
    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 0);
    expect![[r#"
        80/TCP: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)
        from\to x/a x/b x/c y/a y/b y/c z/a z/b z/c
        x/a       .   .   .   .   .   .   .   .   .
        x/b       .   .   .   .   .   .   .   .   .
        x/c       X   .   .   .   .   .   .   .   .
        y/a       X   .   .   .   .   .   .   .   .
        y/b       X   .   .   .   .   .   .   .   .
        y/c       X   .   .   .   .   .   .   .   .
        z/a       X   .   .   .   .   .   .   .   .
        z/b       X   .   .   .   .   .   .   .   .
        z/c       X   .   .   .   .   .   .   .   .
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn matrix_named_port() {
    // Upstream "should allow ingress access on one named port": x/a accepts everyone, but only
    // on its port named serve-81-tcp, i.e. 81/TCP. 80/TCP and 81/UDP to x/a are denied (except
    // from x/a itself); every other pod is unisolated.
    let into_x_a: Vec<String> = PODS
        .iter()
        .filter(|p| **p != "x/a")
        .map(|s| format!("{s}->x/a"))
        .collect();
    for (port, proto, denied) in [
        (80, "TCP", into_x_a.clone()),
        (81, "TCP", Vec::new()),
        (81, "UDP", into_x_a.clone()),
    ] {
        let pp = format!("{port}/{proto}");
        let allowed = matrix_json(
            &[
                "matrix",
                "e2e-model.yaml",
                "allow-x-a-named-port-81.yaml",
                "--port",
                &pp,
                "--format",
                "json",
            ],
            &PODS,
            port,
            proto,
        );
        assert_eq!(exceptions(&allowed, &PODS, true), denied, "{pp}");
    }
}

#[test]
fn matrix_with_external_endpoint() {
    // z/c is isolated for egress and may only send 53/UDP to 8.8.8.8/32 (the external `dns`);
    // its own egress cannot block traffic to itself. Nothing else is isolated, so every other
    // flow involving a pod is allowed; dns -> dns is not a cluster flow (false in JSON).
    let mut names = PODS.to_vec();
    names.push("dns");
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "dns-egress.yaml",
            "--port",
            "53/UDP",
            "--format",
            "json",
        ],
        &names,
        53,
        "UDP",
    );
    let mut denied: Vec<String> = PODS
        .iter()
        .filter(|p| **p != "z/c")
        .map(|d| format!("z/c->{d}"))
        .collect();
    denied.push("dns->dns".to_string());
    assert_eq!(exceptions(&allowed, &names, true), denied);
    // On 80/TCP z/c may send nowhere (but to itself).
    let allowed = matrix_json(
        &[
            "matrix",
            "e2e-model.yaml",
            "dns-egress.yaml",
            "--port",
            "80/TCP",
            "--format",
            "json",
        ],
        &names,
        80,
        "TCP",
    );
    let mut denied: Vec<String> = names
        .iter()
        .filter(|p| **p != "z/c")
        .map(|d| format!("z/c->{d}"))
        .collect();
    denied.push("dns->dns".to_string());
    assert_eq!(exceptions(&allowed, &names, true), denied);

    let r = netpol(&[
        "matrix",
        "e2e-model.yaml",
        "dns-egress.yaml",
        "--port",
        "53/UDP",
    ]);
    assert_eq!(r.code, 0);
    expect![[r#"
        53/UDP: rows are sources, columns destinations; `.` allowed, `X` denied, `-` not a cluster flow (external -> external)
        from\to x/a x/b x/c y/a y/b y/c z/a z/b z/c dns
        x/a       .   .   .   .   .   .   .   .   .   .
        x/b       .   .   .   .   .   .   .   .   .   .
        x/c       .   .   .   .   .   .   .   .   .   .
        y/a       .   .   .   .   .   .   .   .   .   .
        y/b       .   .   .   .   .   .   .   .   .   .
        y/c       .   .   .   .   .   .   .   .   .   .
        z/a       .   .   .   .   .   .   .   .   .   .
        z/b       .   .   .   .   .   .   .   .   .   .
        z/c       X   X   X   X   X   X   X   X   .   .
        dns       .   .   .   .   .   .   .   .   .   -
    "#]]
    .assert_eq(&r.stdout);
}
