//! `ipBlock`: CIDR validation, `except`, the apiserver's CIDR warnings, and the Go-compatible
//! CIDR parser.

use super::*;
use crate::validate::cidr::CIDR_INVALID;
use crate::validate::parse_cidr;

#[test]
fn ip_block_may_not_be_combined_with_a_selector() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock: {cidr: 10.0.0.0/8}
              podSelector: {}
        "#,
        expect![[r#"
            error[forbidden] spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer
            policy: rejected
        "#]],
    );
}

#[test]
fn empty_cidr_is_required() {
    // An empty cidr is Required (and its except entries are not looked at).
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: '', except: [bogus]}
        "#,
        expect![[r#"
            error[required] spec.ingress[0].from[0].ipBlock.cidr: Required value
            policy: rejected
        "#]],
    );
}

#[test]
fn invalid_cidrs() {
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.0/33}
            - ipBlock: {cidr: 'fe80::1%eth0/64'}
            - ipBlock: {cidr: 10.0.0.0}
            - ipBlock: {cidr: 10.0.0/8}
        "#,
        expect![[r#"
            error[invalid-value] spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "fe80::1%eth0/64": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            error[invalid-value] spec.ingress[0].from[3].ipBlock.cidr: Invalid value: "10.0.0/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            policy: rejected
        "#]],
    );
}

#[test]
fn except_must_be_a_strict_subset_of_cidr() {
    // except: equal, outside, other family, fine, unparsable.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock:
                cidr: 10.0.0.0/16
                except: [10.0.0.0/16, 10.1.0.0/24, '2001:db8::/64', 10.0.5.0/24, bogus]
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[4]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
            policy: rejected
        "#]],
    );
}

#[test]
fn ipv6_except_must_be_a_strict_subset_of_cidr() {
    // IPv6 except must be inside an IPv6 cidr, and narrower.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          egress:
          - to:
            - ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48', '2001:db9::/48', '::/0', 10.0.0.0/8]}
        "#,
        expect![[r#"
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "2001:db9::/48": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "::/0": must be a strict subset of `cidr`
            error[invalid-value] spec.egress[0].to[0].ipBlock.except[3]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`
            policy: rejected
        "#]],
    );
}

#[test]
fn cidr_warnings() {
    // GetWarningsForCIDR: host bits set, leading zeros, IPv4-mapped IPv6, non-RFC 5952.
    check(
        r#"
        kind: NetworkPolicy
        metadata: {name: web}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.1/24}
            - ipBlock: {cidr: 010.0.0.0/8, except: [10.1.2.3/16]}
            - ipBlock: {cidr: '::ffff:10.0.0.0/104'}
            - ipBlock: {cidr: '2001:DB8::/32'}
            - ipBlock: {cidr: 10.0.0.0/08}
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.ingress[0].from[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)
            warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.cidr: non-standard CIDR value "010.0.0.0/8" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
            warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.except[0]: CIDR value "10.1.2.3/16" is ambiguous in this context (should be "10.1.0.0/16" or "10.1.2.3/32"?)
            warning[non-canonical-cidr] spec.ingress[0].from[2].ipBlock.cidr: non-standard CIDR value "::ffff:10.0.0.0/104" will be considered invalid in a future Kubernetes release: use "10.0.0.0/104"
            warning[non-canonical-cidr] spec.ingress[0].from[3].ipBlock.cidr: IPv6 CIDR value "2001:DB8::/32" should be in RFC 5952 canonical format ("2001:db8::/32")
            warning[non-canonical-cidr] spec.ingress[0].from[4].ipBlock.cidr: non-standard CIDR value "10.0.0.0/08" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
            policy: accepted
        "#]],
    );
}

#[test]
fn non_canonical_cidrs_are_evaluated_as_the_masked_network() {
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p}
        spec:
          egress:
          - to: [{ipBlock: {cidr: 10.0.0.1/24, except: [10.0.0.130/25]}}]
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.egress[0].to[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)
            warning[non-canonical-cidr] spec.egress[0].to[0].ipBlock.except[0]: CIDR value "10.0.0.130/25" is ambiguous in this context (should be "10.0.0.128/25" or "10.0.0.130/32"?)
            policy default/p: policyTypes [Ingress, Egress] defaulted
            podSelector {}
            egress[0]: 1 peers, 0 ports
              to[0]: ipBlock 10.0.0.0/24 (written "10.0.0.1/24") except 10.0.0.128/25 (written "10.0.0.130/25")
        "#]],
    );
}

#[test]
fn each_except_keeps_its_own_text() {
    // Every `except` entry is paired with the text it was written as, in order.
    check_policy(
        r#"
        kind: NetworkPolicy
        metadata: {name: p}
        spec:
          ingress:
          - from:
            - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16, 010.2.0.0/16, 10.3.0.0/16]}
        "#,
        expect![[r#"
            warning[non-canonical-cidr] spec.ingress[0].from[0].ipBlock.except[1]: non-standard CIDR value "010.2.0.0/16" will be considered invalid in a future Kubernetes release: use "10.2.0.0/16"
            policy default/p: policyTypes [Ingress] defaulted
            podSelector {}
            ingress[0]: 1 peers, 0 ports
              from[0]: ipBlock 10.0.0.0/8 (written "10.0.0.0/8") except 10.1.0.0/16 (written "10.1.0.0/16") except 10.2.0.0/16 (written "010.2.0.0/16") except 10.3.0.0/16 (written "10.3.0.0/16")
        "#]],
    );
}

/// A CIDR as `parse_cidr` returns it: `network canonical-text`, or `invalid`.
fn check_cidr(text: &str, expect: &str) {
    let got = match parse_cidr(text) {
        Ok((cidr, canonical)) => format!("{}/{} {canonical}", cidr.addr, cidr.prefix),
        Err(e) => {
            assert_eq!(e, CIDR_INVALID, "{text:?}");
            "invalid".to_string()
        }
    };
    assert_eq!(got, expect, "{text:?}");
}

#[test]
fn cidrs_parse_like_go() {
    check_cidr("10.0.0.1/24", "10.0.0.0/24 10.0.0.0/24");
    check_cidr("0.0.0.0/0", "0.0.0.0/0 0.0.0.0/0");
    check_cidr("192.168.1.7/32", "192.168.1.7/32 192.168.1.7/32");
    check_cidr("2001:DB8::1/32", "2001:db8::/32 2001:db8::/32");
    check_cidr(
        "2001:0db8:0000:0000:0000:0000:0000:0001/128",
        "2001:db8::1/128 2001:db8::1/128",
    );
    check_cidr("::/0", "::/0 ::/0");
    check_cidr("1:0:0:1:0:0:0:1/128", "1:0:0:1::1/128 1:0:0:1::1/128");
    check_cidr(
        "1:0:1:0:1:0:1:0/128",
        "1:0:1:0:1:0:1:0/128 1:0:1:0:1:0:1:0/128",
    );
    check_cidr("::1.2.3.4/128", "::102:304/128 ::102:304/128");
}

#[test]
fn cidrs_parse_sloppily() {
    // Leading zeros in IPv4 fields, in the prefix length and in IPv6 groups.
    check_cidr("010.001.0.0/016", "10.1.0.0/16 10.1.0.0/16");
    check_cidr("00002001:db8::/32", "2001:db8::/32 2001:db8::/32");
}

#[test]
fn ipv4_mapped_cidrs_match_as_ipv4() {
    // Go matches an IPv4-mapped IPv6 network as IPv4 and prints the mask length as written.
    check_cidr("::ffff:10.1.2.3/120", "10.1.2.0/24 10.1.2.0/120");
    check_cidr("::ffff:10.1.2.3/64", "::/64 ::/64");
}

#[test]
fn invalid_cidrs_are_rejected() {
    for text in [
        "",
        "/",
        "10.0.0.0",
        "10.0.0.0/",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "10.0.0/8",
        "10.0.0.256/8",
        "10.0.0.0.0/8",
        " 10.0.0.0/8",
        "10.0.0.0/8 ",
        "::/129",
        "1:2:3:4:5:6:7:8::/64",
        "1:2:3:4:5:6:7/64",
        ":::/64",
        "1::2::3/64",
        "fe80::1%eth0/64",
        "12345::/16",
        "::ffff:1.2.3/96",
        "1.2.3.4::/64",
        "10.0.0.0/99999999999",
    ] {
        check_cidr(text, "invalid");
    }
}
