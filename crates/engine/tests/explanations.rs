//! Snapshot tests of explanations: the sentences a learner reads for typical flows.

use expect_test::{expect, Expect};
use netpol_engine::exercise::{check as check_goals, Exercise, FlowGoal, Level};
use netpol_engine::explain::render::{self, Line, LineKind};
use netpol_engine::explain::DecidingTier;
use netpol_engine::{compile, parse, Input, PortProto};

const CLUSTER: &str = "\
namespaces:
  app:
    pods:
      frontend: app=frontend
      api: app=api ports=http:8080
      db: app=db ports=5432
  web:
    labels: {team: web}
    pods:
      shop: app=frontend
  kube-system:
    pods:
      coredns: k8s-app=kube-dns ports=dns:53/UDP,dns-tcp:53/TCP
externals:
  google-dns: 8.8.8.8
  partner: 203.0.113.10
";

const POLICIES: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny-all, namespace: app}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-dns, namespace: app}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports:
    - {protocol: UDP, port: 53}
    - {protocol: TCP, port: 53}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-allow-frontend, namespace: app}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: frontend}}
    - namespaceSelector: {matchLabels: {team: web}}
      podSelector: {matchLabels: {app: frontend}}
    - ipBlock: {cidr: 203.0.113.0/24, except: [203.0.113.10/32]}
    ports:
    - port: http
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: frontend-egress, namespace: app}
spec:
  podSelector: {matchLabels: {app: frontend}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 8080}]
";

fn check(from: &str, to: &str, port: &str, want: Expect) {
    let (model, diags) = parse(&[
        Input {
            name: "cluster.yaml",
            text: CLUSTER,
        },
        Input {
            name: "policies.yaml",
            text: POLICIES,
        },
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    let index = compile(model.clone());
    let (a, b) = (index.endpoint(from).unwrap(), index.endpoint(to).unwrap());
    let ex = index.explain(a, b, PortProto::parse(port).unwrap());
    want.assert_eq(&ex.to_text());
}

#[test]
fn allowed_by_both_sides() {
    check(
        "app/frontend",
        "app/api",
        "8080/TCP",
        expect![[r#"
            app/frontend → app/api on 8080/TCP is ALLOWED: both sides allow it.
            Egress: app/frontend is isolated for Egress by policies (app/default-deny-all, app/allow-dns, app/frontend-egress).
              ✓ app/frontend-egress egress[0] allows it: to[0] (podSelector app=api) matches app/api, and ports[0] (TCP 8080) matches 8080/TCP.
            Ingress: app/api is isolated for Ingress by policies (app/default-deny-all, app/api-allow-frontend).
              ✓ app/api-allow-frontend ingress[0] allows it: from[0] (podSelector app=frontend) matches app/frontend, and ports[0] (TCP port named http) matches 8080/TCP.
        "#]],
    );
}

#[test]
fn denied_by_ingress_with_the_reason_of_every_peer() {
    check(
        "app/db",
        "app/api",
        "8080/TCP",
        expect![[r#"
            app/db → app/api on 8080/TCP is DENIED by the source's egress and the destination's ingress.
            Egress: app/db is isolated for Egress by policies (app/default-deny-all, app/allow-dns).
              ✗ app/default-deny-all has no egress rules: it only isolates (default deny).
              ✗ app/allow-dns egress[0] does not match: to[0]: namespaceSelector kubernetes.io/metadata.name=kube-system does not match namespace app: it requires kubernetes.io/metadata.name=kube-system, has kubernetes.io/metadata.name=app; ports[0]: UDP 53 is for UDP, the flow is TCP; ports[1]: TCP 53 does not include 8080.
              No egress rule allows it.
            Ingress: app/api is isolated for Ingress by policies (app/default-deny-all, app/api-allow-frontend).
              ✗ app/default-deny-all has no ingress rules: it only isolates (default deny).
              ✗ app/api-allow-frontend ingress[0] does not match: from[0]: podSelector app=frontend does not match app/db: it requires app=frontend, has app=db; from[1]: namespaceSelector team=web does not match namespace app: it requires team=web, has no label team; from[2]: ipBlock 203.0.113.0/24 does not contain app/db (10.1.0.4).
              No ingress rule allows it.
        "#]],
    );
}

#[test]
fn cross_namespace_and_peer() {
    check(
        "web/shop",
        "app/api",
        "8080/TCP",
        expect![[r#"
            web/shop → app/api on 8080/TCP is ALLOWED: both sides allow it.
            Egress: no policy selects web/shop for Egress, so it is not isolated and all egress traffic is allowed.
            Ingress: app/api is isolated for Ingress by policies (app/default-deny-all, app/api-allow-frontend).
              ✓ app/api-allow-frontend ingress[0] allows it: from[1] (namespaceSelector team=web AND podSelector app=frontend) matches web/shop, and ports[0] (TCP port named http) matches 8080/TCP.
        "#]],
    );
}

#[test]
fn named_port_resolves_on_the_destination() {
    check(
        "app/frontend",
        "app/api",
        "80/TCP",
        expect![[r#"
            app/frontend → app/api on 80/TCP is DENIED by the source's egress and the destination's ingress.
            Egress: app/frontend is isolated for Egress by policies (app/default-deny-all, app/allow-dns, app/frontend-egress).
              ✗ app/default-deny-all has no egress rules: it only isolates (default deny).
              ✗ app/allow-dns egress[0] does not match: to[0]: namespaceSelector kubernetes.io/metadata.name=kube-system does not match namespace app: it requires kubernetes.io/metadata.name=kube-system, has kubernetes.io/metadata.name=app; ports[0]: UDP 53 is for UDP, the flow is TCP; ports[1]: TCP 53 does not include 80.
              ✗ app/frontend-egress egress[0] does not match: ports[0]: TCP 8080 does not include 80.
              No egress rule allows it.
            Ingress: app/api is isolated for Ingress by policies (app/default-deny-all, app/api-allow-frontend).
              ✗ app/default-deny-all has no ingress rules: it only isolates (default deny).
              ✗ app/api-allow-frontend ingress[0] does not match: ports[0]: on app/api the TCP port named http is 8080, not 80.
              No ingress rule allows it.
        "#]],
    );
}

#[test]
fn external_sources_and_except() {
    check(
        "partner",
        "app/api",
        "8080/TCP",
        expect![[r#"
            partner → app/api on 8080/TCP is DENIED by the destination's ingress.
            Egress: partner is outside the cluster; no policy governs its egress.
            Ingress: app/api is isolated for Ingress by policies (app/default-deny-all, app/api-allow-frontend).
              ✗ app/default-deny-all has no ingress rules: it only isolates (default deny).
              ✗ app/api-allow-frontend ingress[0] does not match: from[0]: selectors only match pods, and partner is an external endpoint (only an ipBlock can match it); from[1]: selectors only match pods, and partner is an external endpoint (only an ipBlock can match it); from[2]: ipBlock 203.0.113.0/24 excepts 203.0.113.10/32, which contains partner (203.0.113.10).
              No ingress rule allows it.
        "#]],
    );
}

#[test]
fn dns_and_self_and_not_applicable() {
    check(
        "app/db",
        "kube-system/coredns",
        "53/UDP",
        expect![[r#"
            app/db → kube-system/coredns on 53/UDP is ALLOWED: both sides allow it.
            Egress: app/db is isolated for Egress by policies (app/default-deny-all, app/allow-dns).
              ✓ app/allow-dns egress[0] allows it: to[0] (namespaceSelector kubernetes.io/metadata.name=kube-system AND podSelector k8s-app=kube-dns) matches kube-system/coredns, and ports[0] (UDP 53) matches 53/UDP.
            Ingress: no policy selects kube-system/coredns for Ingress, so it is not isolated and all ingress traffic is allowed.
        "#]],
    );
    check(
        "app/db",
        "app/db",
        "5432/TCP",
        expect![[r#"
            app/db → app/db on 5432/TCP is ALLOWED: a pod can always reach itself; NetworkPolicy cannot block a pod's traffic to itself.
        "#]],
    );
    check(
        "google-dns",
        "partner",
        "53/UDP",
        expect![[r#"
            google-dns → partner on 53/UDP: not a cluster flow. Neither endpoint is a pod, so NetworkPolicy does not apply.
        "#]],
    );
}

/// The renderer's lines, the CLI's text and an exercise goal's reason say the same words for the
/// same flow: the CLI prints every line, and a goal reason quotes whole lines, in order, after
/// its "Expected …, but" framing. The verdicts are the ones the snapshots above derive.
#[test]
fn lines_text_and_goal_reasons_agree() {
    let flows = [
        ("app/db", "app/api", "8080/TCP", false),
        ("app/frontend", "app/api", "80/TCP", false),
        ("partner", "app/api", "8080/TCP", false),
        ("app/frontend", "app/api", "8080/TCP", true),
        ("app/db", "kube-system/coredns", "53/UDP", true),
    ];
    for (from, to, port, allowed) in flows {
        // A goal that expects the opposite verdict, so that its reason says why not.
        let exercise = Exercise {
            title: "t".into(),
            level: Level::Easy,
            story: "s".into(),
            cluster: CLUSTER.into(),
            policies: String::new(),
            goals: vec![FlowGoal {
                from: from.into(),
                to: to.into(),
                port: port.into(),
                allowed: !allowed,
            }],
            matrix: None,
            hints: Vec::new(),
            solution: POLICIES.into(),
            traps: Vec::new(),
        };
        let (results, diags) = check_goals(&exercise, POLICIES);
        assert!(diags.is_empty(), "{diags:?}");
        let goal = &results[0];
        assert!(!goal.met, "{from} -> {to}: {}", goal.detail);
        let why = goal.explanation.as_ref().unwrap();
        let lines = render::lines(why);
        let plain: Vec<String> = lines.iter().map(Line::plain).collect();
        assert_eq!(plain, why.sentences());
        assert_eq!(why.to_text().lines().collect::<Vec<_>>(), plain);

        let framing = format!(
            "Expected {}, but ",
            if allowed { "denied" } else { "allowed" }
        );
        let mut rest = goal
            .detail
            .strip_prefix(&framing)
            .unwrap_or_else(|| panic!("{}", goal.detail));
        let mut quoted = Vec::new();
        for line in &lines {
            if let Some(r) = rest.strip_prefix(line.text.as_str()) {
                rest = r.trim_start();
                quoted.push(line.kind);
            }
        }
        assert_eq!(rest, "", "not made of whole lines: {}", goal.detail);
        assert_eq!(quoted[0], LineKind::Verdict, "{}", goal.detail);
        let names_a_rule = quoted.iter().any(|k| {
            matches!(
                k,
                LineKind::Allows(_)
                    | LineKind::Miss(_)
                    | LineKind::WithoutRules(_)
                    | LineKind::NotIsolated
            )
        });
        assert!(names_a_rule, "{}", goal.detail);
    }
}

/// The tier walk in sentences, with the places each line names: an Admin Deny decides before
/// NetworkPolicy (network-policy-api AdminNetworkPolicyRuleActionDeny), a Pass hands the flow to
/// NetworkPolicy, equal priorities are noted, a node is no pod.
#[test]
fn tier_walk_sentences_and_spans() {
    let cluster = "\
namespaces:
  x: {labels: {team: red}, pods: {a: app=a ports=web:8080}}
  y: {labels: {team: blue}, pods: {b: app=b}}
---
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {kubernetes.io/os: linux}}
status: {addresses: [{type: InternalIP, address: 172.18.0.3}]}
";
    let policies = "\
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: b-deny-blue}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: red}}}
  ingress:
  - {action: Deny, from: [{namespaces: {matchLabels: {team: blue}}}]}
  egress:
  - {action: Deny, to: [{nodes: {}}], protocols: [{tcp: {destinationPort: {number: 22}}}]}
---
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: a-pass-blue}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: red}}}
  ingress:
  - {name: delegate, action: Pass, from: [{namespaces: {matchLabels: {team: blue}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: a-web, namespace: x}
spec:
  podSelector: {}
  ingress:
  - ports: [{port: web}]
";
    let (model, diags) = parse(&[
        Input {
            name: "cluster.yaml",
            text: cluster,
        },
        Input {
            name: "policies.yaml",
            text: policies,
        },
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    let index = compile(model.clone());
    let explain = |from: &str, to: &str, port: &str| {
        let (a, b) = (index.endpoint(from).unwrap(), index.endpoint(to).unwrap());
        index.explain(a, b, PortProto::parse(port).unwrap())
    };
    // a-pass-blue runs first (same priority, by name) and passes; x's NetworkPolicy allows 8080.
    let ex = explain("y/b", "x/a", "8080/TCP");
    assert!(ex.allowed());
    expect![[r#"
        y/b → x/a on 8080/TCP is ALLOWED: both sides allow it.
        Egress, Admin tier: no Admin policy selects y/b.
        Egress, NetworkPolicy: no NetworkPolicy selects y/b for Egress, so NetworkPolicy does not decide; the Baseline tier does.
        Egress, Baseline tier: no Baseline policy selects y/b.
        Egress: no tier decided, so Kubernetes' default allows it.
        Ingress, Admin tier: ClusterNetworkPolicy/a-pass-blue (priority 10) ingress[0] "delegate" Pass matches y/b on 8080/TCP (from[0]: namespaces team=blue) → PASS: the rest of the Admin tier is skipped, and NetworkPolicy decides next.
        Ingress, NetworkPolicy: x/a is isolated for Ingress by policy (x/a-web).
          ✓ x/a-web ingress[0] allows it: has no `from`, so it matches every peer, and ports[0] (TCP port named web) matches 8080/TCP.
          Tie: ClusterNetworkPolicy/a-pass-blue and ClusterNetworkPolicy/b-deny-blue have the same Admin priority 10 and match this flow, and the API leaves their order undefined: the playground evaluates ClusterNetworkPolicy/a-pass-blue first (by name, then kind), a cluster may apply ClusterNetworkPolicy/b-deny-blue (Deny) instead.
    "#]]
    .assert_eq(&ex.to_text());
    let lines = render::lines(&ex);
    let pass = lines.iter().find(|l| l.kind == LineKind::TierPass).unwrap();
    let labels: Vec<&str> = pass.spans.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(
        labels,
        ["ClusterNetworkPolicy/a-pass-blue", "ingress[0]", "from[0]"]
    );
    assert_eq!(pass.spans[0].span.line, 15);
    assert!(lines.iter().any(|l| l.kind == LineKind::TieBreak));
    // A matrix cell names the highest tier that decided an allowed flow: the Pass handed the
    // ingress side to NetworkPolicy, the egress side was left to the default.
    assert_eq!(
        render::flow_tier(&ex),
        Some((
            DecidingTier::NetworkPolicy,
            "decided by NetworkPolicy (ingress of x/a)".to_string()
        ))
    );
    assert_eq!(
        render::flow_tier(&explain("x/a", "x/a", "8080/TCP")),
        Some((
            DecidingTier::Default,
            "a pod always reaches itself".to_string()
        ))
    );

    // The egress Deny to nodes on 22 decides before NetworkPolicy; the node has no ingress side.
    let ex = explain("x/a", "worker-1", "22/TCP");
    assert!(!ex.allowed());
    expect![[r#"
        x/a → worker-1 on 22/TCP is DENIED by the source's egress.
        Egress, Admin tier: ClusterNetworkPolicy/b-deny-blue (priority 10) egress[0] Deny matches worker-1 on 22/TCP (to[0]: nodes {}; protocols[0]: TCP 22) → DENIED, before NetworkPolicy is consulted.
        Ingress: worker-1 is a node, not a pod; no policy governs its ingress.
    "#]]
    .assert_eq(&ex.to_text());
    // A denied flow's cell names the tier of the denying side and its rule.
    assert_eq!(
        render::flow_tier(&ex),
        Some((
            DecidingTier::Admin,
            "decided by the Admin tier: ClusterNetworkPolicy/b-deny-blue egress rule 0 (Deny)"
                .to_string()
        ))
    );
    let lines: Vec<u32> = ex.spans().iter().map(|s| s.line).collect();
    // The policy's name (line 3), and egress[0], its to[0] and protocols[0] (line 11).
    assert_eq!(lines, [3, 11, 11, 11]);
}
