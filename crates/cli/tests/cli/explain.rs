//! `netpol explain`: exit codes, text and JSON, unknown endpoints.

use super::*;

#[test]
fn explain_allowed_exits_0() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "x/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""));
    expect![[r#"
        x/b → x/a on 80/TCP is ALLOWED: both sides allow it.
        Egress: no policy selects x/b for Egress, so it is not isolated and all egress traffic is allowed.
        Ingress: x/a is isolated for Ingress by policy (x/allow-client-b).
          ✓ x/allow-client-b ingress[0] allows it: from[0] (podSelector pod=b) matches x/b, and it has no `ports`, so every port matches.
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn explain_denied_exits_1() {
    // y/b is in namespace y; the podSelector without namespaceSelector only matches pods in x.
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "y/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!((r.code, r.stderr.as_str()), (1, ""));
    expect![[r#"
        y/b → x/a on 80/TCP is DENIED by the destination's ingress.
        Egress: no policy selects y/b for Egress, so it is not isolated and all egress traffic is allowed.
        Ingress: x/a is isolated for Ingress by policy (x/allow-client-b).
          ✗ x/allow-client-b ingress[0] does not match: from[0]: a podSelector pod=b without namespaceSelector only matches pods in the policy's own namespace x, and y/b is in namespace y.
          No ingress rule allows it.
    "#]]
    .assert_eq(&r.stdout);
}

#[test]
fn explain_self_flow_is_allowed() {
    // "A pod cannot block access to itself."
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-named-port-81.yaml",
        "--from",
        "x/a",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
    ]);
    assert_eq!(r.code, 0);
}

#[test]
fn explain_not_a_cluster_flow_exits_1() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "dns-egress.yaml",
        "--from",
        "dns",
        "--to",
        "dns",
        "--port",
        "53/UDP",
    ]);
    assert_eq!(r.code, 1);
}

#[test]
fn explain_json() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "y/b",
        "--to",
        "x/a",
        "--port",
        "80/TCP",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 1);
    let v = json(&r.stdout);
    assert_eq!(v["from"], "y/b");
    assert_eq!(v["to"], "x/a");
    assert_eq!(v["verdict"], "denied");
    assert_eq!(v["ingress"]["isolated_by"][0]["id"], "x/allow-client-b");
    assert_eq!(v["ingress"]["allowed"], false);
    assert_eq!(v["egress"]["allowed"], true);

    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "allow-x-a-from-x-b.yaml",
        "--from",
        "x/b",
        "--to",
        "x/a",
        "-p",
        "80",
        "-f",
        "json",
    ]);
    assert_eq!(r.code, 0);
    let v = json(&r.stdout);
    assert_eq!(v["verdict"], "allowed");
    assert_eq!(
        v["ingress"]["allowed_by"][0]["policy"]["id"],
        "x/allow-client-b"
    );
}

#[test]
fn explain_unknown_endpoint() {
    let r = netpol(&[
        "explain",
        "e2e-model.yaml",
        "--from",
        "x/q",
        "--to",
        "a",
        "--port",
        "80",
    ]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stdout, "");
    expect![[r#"
        netpol: error: unknown endpoint `x/q` for `--from`: did you mean x/a, x/b, x/c?
        hint: pods are named namespace/pod (e.g. x/a), external endpoints by their declared name
        netpol: error: unknown endpoint `a` for `--to`: did you mean x/a, y/a, z/a?
        hint: pods are named namespace/pod (e.g. x/a), external endpoints by their declared name
    "#]]
    .assert_eq(&r.stderr);
}
