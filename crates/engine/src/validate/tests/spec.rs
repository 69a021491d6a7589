//! The spec: `policyTypes` and its defaulting, peers, ports, the order of checks, conversion.

use super::*;

#[test]
fn policy_types_are_ingress_or_egress() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, egress]
        "#,
        expect![[r#"
            error[unsupported-value] spec.policyTypes[1]: Unsupported value: "egress": supported values: "Ingress", "Egress"
            policy: rejected
        "#]],
    );
}

#[test]
fn more_than_two_policy_types() {
    // More than two: reported once, with the slice printed by %#v, and nothing else.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, Egress, Bogus]
        "#,
        expect![[r#"
            error[invalid-value] spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Bogus"}: may not specify more than two policyTypes
            policy: rejected
        "#]],
    );
}

#[test]
fn policy_types_default_to_ingress() {
    // SetDefaults_NetworkPolicySpec: Ingress always, Egress when len(egress) > 0.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress] defaulted
            podSelector {}
        "#]],
    );
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          egress: []
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress] defaulted
            podSelector {}
        "#]],
    );
}

#[test]
fn policy_types_default_to_egress_too_with_egress_rules() {
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          egress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 0 peers, 0 ports
        "#]],
    );
    // An empty list is defaulted like a missing one.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: []
          egress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 0 peers, 0 ports
        "#]],
    );
}

#[test]
fn listed_policy_types_are_taken_as_listed() {
    // Exactly what is listed, whatever the rules.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: [Egress]
          ingress: [{}]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Egress] as listed
            podSelector {}
            ingress[0]: 0 peers, 0 ports
        "#]],
    );
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p, namespace: app}
        spec:
          podSelector: {}
          policyTypes: [Ingress, Egress]
        "#,
        expect![[r#"
            policy app/p: policyTypes [Ingress, Egress] as listed
            podSelector {}
        "#]],
    );
}

#[test]
fn a_peer_must_specify_something() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from: [{podSelector: {}}, {}]
        "#,
        expect![[r#"
            error[required] spec.ingress[0].from[1]: Required value: must specify a peer
            policy: rejected
        "#]],
    );
}

#[test]
fn port_protocols_and_numbers() {
    // ValidateNetworkPolicyPort: protocol and port numbers.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - ports:
            - {protocol: tcp, port: 80}
            - {port: 0}
            - {protocol: ICMP, port: 70000}
        "#,
        expect![[r#"
            error[unsupported-value] spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive
            error[unsupported-value] spec.ingress[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"
            error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive
            policy: rejected
        "#]],
    );
}

#[test]
fn end_port() {
    // endPort: below port, out of range, with a named port, without a port.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - ports:
            - {port: 8080, endPort: 80}
            - {port: 80, endPort: 70000}
            - {port: http, endPort: 90}
            - {endPort: 90}
            - {port: 100, endPort: 0}
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`
            error[invalid-value] spec.egress[0].ports[1].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive
            error[invalid-value] spec.egress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
            error[invalid-value] spec.egress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified
            error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be greater than or equal to `port`
            error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be between 1 and 65535, inclusive
            policy: rejected
        "#]],
    );
}

#[test]
fn port_names_are_iana_service_names() {
    // IsValidPortName; a quoted number is a (bad) name, as in Go's IntOrString.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - ports:
            - port: HTTP
            - port: web--server-metrics
            - port: -web
            - port: '8080'
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must be no more than 15 characters
            error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must not contain consecutive hyphens
            error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: "-web": must not begin or end with a hyphen
            error[invalid-value] spec.ingress[0].ports[3].port: Invalid value: "8080": must contain at least one letter (a-z)
            policy: rejected
        "#]],
    );
}

#[test]
fn ports_before_peers_ingress_before_egress_policy_types_last() {
    // Within a rule the apiserver checks the ports before the peers; ingress before
    // egress; policyTypes last.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Sideways]
          egress:
          - to: [{}]
          ingress:
          - from: [{}]
            ports: [{port: 0}]
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
            error[required] spec.ingress[0].from[0]: Required value: must specify a peer
            error[required] spec.egress[0].to[0]: Required value: must specify a peer
            error[unsupported-value] spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"
            policy: rejected
        "#]],
    );
}

#[test]
fn converts_a_valid_policy() {
    // The namespace defaults to `default`, the protocol to TCP; a port without `port` is every
    // port of its protocol.
    check_policy(
        r#"
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: db}
        spec:
          podSelector:
            matchLabels: {app: db}
            matchExpressions: [{key: tier, operator: NotIn, values: [cache]}]
          ingress:
          - from:
            - namespaceSelector: {matchLabels: {team: a}}
              podSelector: {matchExpressions: [{key: role, operator: Exists}]}
            - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
            ports:
            - {port: 5432}
            - {port: metrics, protocol: UDP}
            - {port: 8000, endPort: 8100, protocol: SCTP}
            - {protocol: TCP}
        "#,
        expect![[r#"
            policy default/db: policyTypes [Ingress] defaulted
            podSelector {app=db, tier NotIn ["cache"]}
            ingress[0]: 2 peers, 4 ports
              from[0]: namespaceSelector {team=a} podSelector {role Exists []}
              from[1]: ipBlock 10.0.0.0/16 (written "10.0.0.0/16") except 10.0.1.0/24 (written "10.0.1.0/24")
              ports[0]: TCP 5432
              ports[1]: UDP metrics
              ports[2]: SCTP 8000-8100
              ports[3]: TCP (every port)
        "#]],
    );
}
