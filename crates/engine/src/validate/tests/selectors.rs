//! Label selectors: `matchLabels` keys and values, `matchExpressions` requirements.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use super::*;
use crate::validate::label_selector;

#[test]
fn match_labels_keys_and_values() {
    // matchLabels: keys are qualified names, values label values.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels: {app/: x, -bad: ok, tier: front end}
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must be non-empty
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "front end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn label_key_prefixes_and_lengths() {
    // Label key prefixes and lengths (content.IsLabelKey / IsLabelValue).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels:
              Example.com/app: x
              /app: x
              aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x
              ok: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "/app": prefix part must be non-empty
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": name part must be no more than 63 bytes
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": must be no more than 63 bytes
            policy: rejected
        "#]],
    );
}

#[test]
fn match_expressions_in_the_apiserver_order() {
    // ValidateLabelSelectorRequirement, in its order: operator/values, key, values.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchExpressions:
            - {key: app, operator: In}
            - {key: tier, operator: Exists, values: [a]}
            - {key: env, operator: Foo, values: [x]}
            - {key: a/b/c, operator: NotIn, values: [bad value]}
        "#,
        expect![[r#"
            error[required] spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
            error[forbidden] spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'
            error[invalid-value] spec.podSelector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator
            error[invalid-value] spec.podSelector.matchExpressions[3].key: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')
            error[invalid-value] spec.podSelector.matchExpressions[3].values[0]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn empty_label_key_in_a_peer_selector_fails_twice() {
    // A selector inside a peer; an empty key fails twice (empty, and the regex).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - namespaceSelector:
                matchExpressions: [{key: '', operator: Exists}]
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must be non-empty
            error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            policy: rejected
        "#]],
    );
}

#[test]
fn values_are_quoted_like_go() {
    // Values are printed with Go's %q.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector:
            matchLabels: {app: "a\"b\n"}
        "#,
        expect![[r#"
            error[invalid-value] spec.podSelector.matchLabels: Invalid value: "a\"b\n": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn label_errors_are_positioned_at_the_key() {
    check_paths(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          podSelector: {matchLabels: {app: -x}}
        "#,
        expect![[r#"
            spec.podSelector.matchLabels.app | spec.podSelector.matchLabels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
        "#]],
    );
}

#[test]
fn label_selector_reports_under_the_given_path() {
    let sel: metav1::LabelSelector = serde_yaml::from_str(
        "{matchLabels: {a: b}, matchExpressions: [{key: k, operator: In, values: [v]}, {key: k, operator: Nope}]}",
    )
    .unwrap();
    let mut diags = Vec::new();
    let out = label_selector(
        &sel,
        &FieldPath::root().key("pods").key("selector"),
        &mut diags,
    );
    assert_eq!(out.match_labels.len(), 1);
    assert_eq!(out.match_expressions.len(), 1);
    assert_eq!(diags.len(), 1);
    assert_eq!(
        diags[0].path.to_string(),
        "pods.selector.matchExpressions[1].operator"
    );
    assert_eq!(
        diags[0].message,
        "pods.selector.matchExpressions[1].operator: Invalid value: \"Nope\": not a valid selector operator"
    );
}
