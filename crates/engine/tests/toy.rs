//! The toy cluster format (`docs/toy-format.md`): shorthand, long form, externals and
//! positioned errors.

use netpol_engine::{parse, Input};

#[test]
fn toy_cluster_with_shorthand_long_form_and_externals() {
    let text = "\
ports: [serve-80-tcp:80]
namespaces:
  app:
    labels: {team: web}
    pods:
      frontend: app=frontend
      api: app=api tier=backend ports=http:8080,53/UDP
      db: {labels: {app: db}, ports: [5432], ip: 10.9.9.9}
  kube-system:
    pods: {coredns: k8s-app=kube-dns}
  empty: {}
externals:
  google-dns: 8.8.8.8
";
    let (m, d) = parse(&[Input {
        name: "c.yaml",
        text,
    }]);
    assert!(d.is_empty(), "{d:?}");
    let show: Vec<String> = m
        .pods
        .iter()
        .map(|p| {
            let ports: Vec<String> = p
                .ports
                .iter()
                .map(|c| {
                    format!(
                        "{}{}/{}",
                        c.name
                            .as_deref()
                            .map(|n| format!("{n}:"))
                            .unwrap_or_default(),
                        c.port,
                        c.protocol
                    )
                })
                .collect();
            format!("{} {:?} {:?} {}", p.id(), p.labels, p.ips, ports.join(","))
        })
        .collect();
    expect_test::expect![[r#"
            [
                "app/frontend {\"app\": \"frontend\"} [10.1.0.2] serve-80-tcp:80/TCP",
                "app/api {\"app\": \"api\", \"tier\": \"backend\"} [10.1.0.3] http:8080/TCP,53/UDP",
                "app/db {\"app\": \"db\"} [10.9.9.9] 5432/TCP",
                "kube-system/coredns {\"k8s-app\": \"kube-dns\"} [10.2.0.2] serve-80-tcp:80/TCP",
            ]
        "#]]
    .assert_debug_eq(&show);
    assert_eq!(m.namespaces.len(), 3);
    assert_eq!(m.namespace("app").unwrap().labels.len(), 2);
    assert_eq!(m.externals[0].name, "google-dns");
    assert_eq!(m.pods[1].span.line, 7);
}

#[test]
fn toy_errors_are_positioned() {
    let text = "namespaces:\n  app:\n    pods:\n      a: app\n      b: {ports: [99999]}\n  Bad_NS: {}\nexternals:\n  x: not-an-ip\n";
    let (m, d) = parse(&[Input {
        name: "c.yaml",
        text,
    }]);
    let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
    expect_test::expect![[r#"
            [
                "c.yaml:4:10: error: \"app\": expected key=value (a label), ports=LIST or ip=ADDR",
                "c.yaml:5:18: error: port \"99999\": the number must be between 1 and 65535",
                "c.yaml:6:11: error: namespace name \"Bad_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "c.yaml:8:6: error: external x: expected an IP address such as 8.8.8.8 or 2001:db8::1",
            ]
        "#]]
        .assert_debug_eq(&d);
    assert!(m.pods.is_empty());
}
