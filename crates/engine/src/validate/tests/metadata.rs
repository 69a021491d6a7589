//! `metadata`: the name or generateName, the namespace, labels and annotations.

use super::*;

#[test]
fn metadata_needs_a_name_or_generate_name() {
    // ValidateObjectMetaAccessor: no name, no generateName.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {namespace: app}
        spec: {podSelector: {}}
        "#,
        expect![[r#"
            error[required] metadata.name: Required value: name or generateName is required
            policy: rejected
        "#]],
    );
}

#[test]
fn name_is_a_dns_subdomain_and_namespace_a_dns_label() {
    // NameIsDNSSubdomain for the name, ValidateNamespaceName (IsDNS1123Label) for the
    // namespace: a valid subdomain that is not a label "must not contain dots".
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: My_Policy, namespace: app.prod}
        "#,
        expect![[r#"
            error[invalid-value] metadata.name: Invalid value: "My_Policy": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            error[invalid-value] metadata.namespace: Invalid value: "app.prod": must not contain dots
            policy: rejected
        "#]],
    );
}

#[test]
fn namespace_is_a_lowercase_dns_label() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web, namespace: App}
        "#,
        expect![[r#"
            error[invalid-value] metadata.namespace: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
            policy: rejected
        "#]],
    );
}

#[test]
fn generate_name_is_validated_as_a_prefix() {
    // generateName is validated as a prefix (maskTrailingDash); the name is generated.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {generateName: Web-}
        "#,
        expect![[r#"
            error[invalid-value] metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
            policy: rejected
        "#]],
    );
}

#[test]
fn metadata_labels_and_annotations() {
    // ValidateLabels / ValidateAnnotations on the metadata (annotation keys are
    // lower-cased before the check).
    check(
        r#"
        kind: NetworkPolicy
        metadata:
          name: web
          labels: {app: -x}
          annotations: {Example.COM/Key: v, bad key: v}
        "#,
        expect![[r#"
            error[invalid-value] metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
            error[invalid-value] metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
            policy: rejected
        "#]],
    );
}
