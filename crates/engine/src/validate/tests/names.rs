//! The name rules on their own, and inputs that must never make validation panic.

use crate::validate::errors::go_quote;
use crate::validate::names::mask_trailing_dash;
use crate::validate::{
    dns1123_label_errors, dns1123_subdomain_errors, label_key_errors, label_value_errors,
    port_name_errors,
};

const SUBDOMAIN_REGEX: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_VALUE_REGEX: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

/// The error details of a name rule for `name`; none when it is valid.
fn check_name(rule: fn(&str) -> Vec<String>, name: &str, expect: &[&str]) {
    assert_eq!(rule(name), expect, "{name:?}");
}

#[test]
fn dns1123_labels() {
    check_name(dns1123_label_errors, "kube-system", &[]);
    check_name(dns1123_label_errors, "1a", &[]);
    check_name(
        dns1123_label_errors,
        &"a".repeat(64),
        &["must be no more than 63 characters"],
    );
    check_name(dns1123_label_errors, "a.b", &["must not contain dots"]);
}

#[test]
fn dns1123_subdomains() {
    check_name(dns1123_subdomain_errors, "web.v1-2", &[]);
    check_name(
        dns1123_subdomain_errors,
        &"a".repeat(254),
        &["must be no more than 253 characters"],
    );
    check_name(dns1123_subdomain_errors, "a..b", &[SUBDOMAIN_REGEX]);
    check_name(dns1123_subdomain_errors, "", &[SUBDOMAIN_REGEX]);
}

#[test]
fn label_keys() {
    check_name(label_key_errors, "app.kubernetes.io/name", &[]);
    check_name(label_key_errors, "Uppercase_Is_OK_123", &[]);
    check_name(
        label_key_errors,
        &format!("{}/{}", "a".repeat(253), "b".repeat(63)),
        &[],
    );
    check_name(
        label_key_errors,
        &format!("{}/abc", "a".repeat(254)),
        &["prefix part must be no more than 253 bytes"],
    );
}

#[test]
fn label_values() {
    check_name(label_value_errors, "", &[]);
    check_name(label_value_errors, &"a".repeat(63), &[]);
    check_name(label_value_errors, "-a", &[LABEL_VALUE_REGEX]);
}

#[test]
fn port_names() {
    check_name(port_name_errors, "http-alt", &[]);
    check_name(
        port_name_errors,
        "",
        &[
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "must contain at least one letter (a-z)",
        ],
    );
}

#[test]
fn generate_name_prefixes_are_masked() {
    assert_eq!(mask_trailing_dash("web-"), "wea");
    assert_eq!(mask_trailing_dash("-"), "a");
}

#[test]
fn values_are_quoted_like_strconv_quote() {
    assert_eq!(go_quote("é\u{0}\u{200b}x"), "\"é\\x00\\u200bx\"");
}

mod never_panics {
    use proptest::prelude::*;

    use super::*;
    use crate::suggest;
    use crate::validate::cidr::GoCidr;
    use crate::validate::parse_cidr;
    use crate::validate::unknown::Node;

    fn text(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(chars), 0..max)
            .prop_map(|v| v.into_iter().collect())
    }

    const CIDR_CHARS: &[char] = &[
        '0', '1', '2', '5', '9', 'f', 'F', 'g', ':', '.', '/', '%', '-', '+', ' ',
    ];
    const NAME_CHARS: &[char] = &['a', 'Z', '0', '-', '_', '.', '/', ' ', 'é', '\n'];

    proptest! {
        #[test]
        fn cidrs(s in text(CIDR_CHARS, 48)) {
            if let Ok((cidr, canonical)) = parse_cidr(&s) {
                // The canonical text parses back to the same network, without warnings
                // about host bits.
                let (again, canonical2) = parse_cidr(&canonical).unwrap();
                prop_assert_eq!(again, cidr);
                prop_assert_eq!(canonical2, canonical);
                let go = GoCidr::parse(&s).unwrap();
                let _ = go.warnings(&s);
            }
        }

        #[test]
        fn names(s in text(NAME_CHARS, 80)) {
            let _ = label_key_errors(&s);
            let _ = label_value_errors(&s);
            let _ = dns1123_label_errors(&s);
            let _ = dns1123_subdomain_errors(&s);
            let _ = port_name_errors(&s);
            let _ = mask_trailing_dash(&s);
            let _ = suggest::closest(&s, Node::Spec.fields().iter().copied());
        }
    }
}
