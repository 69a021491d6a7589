//! Unknown fields: warnings with a "did you mean", and field paths under a prefix.

use std::cell::RefCell;

use super::*;
use crate::validate::errors::UNKNOWN_FIELD;

#[test]
fn unknown_fields_are_warnings_with_a_suggestion() {
    // Unknown fields are warnings (strict field validation), with a suggestion when a
    // known field is close.
    check(
        r#"
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: web, labelz: {a: b}}
        spec:
          podselector: {}
          ingress:
          - form: [{podSelector: {matchLabel: {app: x}}}]
          - from: [{podSelector: {matchLabel: {app: x}}}]
          - from: [{ipblock: {cidr: 10.0.0.0/8}}]
        foo: 1
        "#,
        expect![[r#"
            warning[unknown-field] unknown field "metadata.labelz"; did you mean "labels"?
            warning[unknown-field] unknown field "spec.podselector"; did you mean "podSelector"?
            warning[unknown-field] unknown field "spec.ingress[0].form"; did you mean "from"?
            warning[unknown-field] unknown field "spec.ingress[1].from[0].podSelector.matchLabel"; did you mean "matchLabels"?
            warning[unknown-field] unknown field "spec.ingress[2].from[0].ipblock"; did you mean "ipBlock"?
            warning[unknown-field] unknown field "foo"
            error[required] spec.ingress[2].from[0]: Required value: must specify a peer
            policy: rejected
        "#]],
    );
}

#[test]
fn from_in_egress_and_to_in_ingress() {
    // `from` in an egress rule and `to` in an ingress rule: the classic mistake.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          policyTypes: [Ingress, Egress]
          egress:
          - from: [{podSelector: {}}]
            ports: [{port: 53, protocol: UDP}]
          - from: [{podSelector: {}}]
          ingress:
          - to: [{podSelector: {}}]
            from: [{podSelector: {}}]
        "#,
        expect![[r#"
            warning[unknown-field] unknown field "spec.egress[0].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination on its ports
            warning[unknown-field] unknown field "spec.egress[1].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination
            warning[unknown-field] unknown field "spec.ingress[0].to"; did you mean "from"? Ingress rules list their peers under "from", so the peers under "to" are ignored
            policy: accepted
        "#]],
    );
}

#[test]
fn paths_are_prefixed_but_messages_are_not() {
    let yaml = "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n    ports: [{port: 80}]\n    form: []\n";
    let prefix = FieldPath::root().key("items").index(3);
    let calls = RefCell::new(Vec::new());
    let value: Value = serde_yaml::from_str(yaml).unwrap();
    let obj: np::NetworkPolicy = serde_yaml::from_value(value.clone()).unwrap();
    let (policy, diags) = network_policy(&value, &obj, &prefix, &|p| {
        calls.borrow_mut().push(p.to_string());
        Span::default()
    });
    assert!(policy.is_none());
    let shown: Vec<String> = diags
        .iter()
        .map(|d| format!("{} | {}", d.path, d.message))
        .collect();
    expect![[r#"
        [
            "items[3].spec.ingress[0].form | unknown field \"spec.ingress[0].form\"; did you mean \"from\"?",
            "items[3].spec.ingress[0].from[0].ipBlock.cidr | spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        ]
    "#]]
    .assert_debug_eq(&shown);
    let calls = calls.into_inner();
    assert!(!calls.is_empty());
    assert!(
        calls.iter().all(|c| c.starts_with("items[3].")),
        "{calls:?}"
    );
    for wanted in [
        "items[3].metadata.name",
        "items[3].spec.ingress[0]",
        "items[3].spec.ingress[0].from[0]",
        "items[3].spec.ingress[0].ports[0]",
    ] {
        assert!(
            calls.iter().any(|c| c == wanted),
            "no loc({wanted}) in {calls:?}"
        );
    }

    // The whole List document works too: the item is found at the prefix.
    let list: Value = serde_yaml::from_str(&format!(
        "kind: List\nitems:\n- {{}}\n- {{}}\n- {{}}\n- {}",
        yaml.replace('\n', "\n  ")
    ))
    .unwrap();
    let (_, diags) = network_policy(&list, &obj, &prefix, &|_| Span::default());
    assert!(diags
        .iter()
        .any(|d| d.code == UNKNOWN_FIELD && d.path.to_string() == "items[3].spec.ingress[0].form"));
}
