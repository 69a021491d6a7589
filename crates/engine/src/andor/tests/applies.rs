//! [`variant_applies`] answers exactly when [`apply_variant_text`] gives a text: over the
//! variants of the test corpora (as written, with Windows line ends and without a final line
//! end) and over the edits of `edit.rs`'s tests given as variants.

use super::merge_rules::{APP, EGRESS, EXTERNAL, INGRESS};
use super::{model, model_of, AND, CLUSTER, OR};
use crate::andor::{and_or_variants, apply_variant_text, variant_applies, Variant, VariantKind};
use crate::model::Span;

fn at(line: u32, col: u32) -> Span {
    Span { file: 0, line, col }
}

fn assert_agree(text: &str, v: &Variant) {
    assert_eq!(
        variant_applies(text, v),
        apply_variant_text(text, v).is_some(),
        "{:?} at {:?} in {text:?}",
        v.kind,
        v.spans
    );
}

/// The text as written, with `\r\n` line ends, and without its final line end.
fn forms(text: &str) -> [String; 3] {
    [
        text.to_string(),
        text.replace('\n', "\r\n"),
        text.trim_end_matches('\n').to_string(),
    ]
}

#[test]
fn variants_of_the_corpora() {
    let flow_and = AND.replace(
        "    - namespaceSelector:\n        matchLabels: {team: web}\n      podSelector:\n        matchLabels: {app: frontend}\n",
        "    - {namespaceSelector: {matchLabels: {team: web}}, podSelector: {matchLabels: {app: frontend}}}\n",
    );
    let corpora = [
        (CLUSTER, AND.to_string()),
        (CLUSTER, OR.to_string()),
        (CLUSTER, flow_and),
        (APP, INGRESS.to_string()),
        (EXTERNAL, EGRESS.to_string()),
        (
            EXTERNAL,
            EGRESS.replace("  - {to:", "  # between\n  - {to:"),
        ),
    ];
    let mut applied = 0;
    for (cluster, text) in corpora {
        for text in forms(&text) {
            let vs = and_or_variants(&model_of(cluster, &text));
            assert!(!vs.is_empty(), "{text}");
            for v in &vs {
                assert_agree(&text, v);
                applied += usize::from(variant_applies(&text, v));
            }
        }
    }
    // Flow-style items are not edited; the rest are.
    assert_eq!(applied, 15);
}

#[test]
fn edits_of_the_edit_tests() {
    let template = and_or_variants(&model(AND)).remove(0);
    let variant = |kind: VariantKind, spans: Vec<Span>| Variant {
        kind,
        spans,
        ..template.clone()
    };
    let split = |s: Span| variant(VariantKind::SplitAnd { peer: 0 }, vec![s]);
    let merge = |a: Span, b: Span| {
        variant(
            VariantKind::MergeOr {
                namespace_peer: 0,
                pod_peer: 1,
            },
            vec![a, b],
        )
    };
    let rules = |a: Span, b: Span| {
        variant(
            VariantKind::MergeRules {
                peers_rule: 0,
                ports_rule: 1,
            },
            vec![a, b],
        )
    };
    let and = "from:\n- namespaceSelector: {}\n  podSelector: {}\nports: []\n";
    let or = "from:\n- namespaceSelector: {}\n- podSelector: {}\nports: []\n";
    let cases = [
        (and, split(at(2, 3))),
        (and, split(at(3, 3))),
        (and, split(at(9, 3))),
        (or, merge(at(3, 3), at(2, 3))),
        (or, merge(at(2, 3), at(2, 3))),
        (
            "- namespaceSelector: {}\n  # the pods\n  podSelector: {}\n",
            split(at(1, 3)),
        ),
        (
            "- namespaceSelector: {}\n  # the pods\n- podSelector: {}\n",
            merge(at(1, 3), at(3, 3)),
        ),
        (
            "- {namespaceSelector: {}, podSelector: {}}\n",
            split(at(1, 3)),
        ),
        ("- a: 1\n  - b: 2\n", merge(at(1, 3), at(2, 5))),
        // Whitespace of several bytes where the dash would go.
        ("- a: 1\n \u{3000}b: 2\n", split(at(1, 5))),
        ("- from: [a]\n-\n  ports: [b]\n", rules(at(1, 3), at(3, 3))),
        (
            "-\n  from: [{podSelector: {}}]\n-\n  ports: [{port: 80}]\n",
            rules(at(2, 3), at(4, 3)),
        ),
        (
            "- {from: [a]}\n- { ports: [b] }\n",
            rules(at(1, 3), at(2, 3)),
        ),
        (
            "- from: [{podSelector: {}}]\r\n- ports: [{port: 80}]\r\n",
            rules(at(1, 3), at(2, 3)),
        ),
        (
            "- from: [a]\n  ports: []\n- ports: [b]\n",
            rules(at(1, 3), at(3, 3)),
        ),
        (
            "- from: [a]\n- to: [c]\n- ports: [b]\n",
            rules(at(1, 3), at(3, 3)),
        ),
        (
            "- {from: [a]} # ü\n- {ports: [b]}\n",
            rules(at(1, 3), at(2, 3)),
        ),
        ("- {from: [a]}\n- ports: [b]\n", rules(at(1, 3), at(2, 3))),
        ("- ü: 1\n- ports: [b]\n", rules(at(1, 4), at(2, 3))),
        // A variant without its second span.
        (
            or,
            variant(
                VariantKind::MergeOr {
                    namespace_peer: 0,
                    pod_peer: 1,
                },
                vec![at(2, 3)],
            ),
        ),
    ];
    let mut applied = 0;
    for (text, v) in &cases {
        for text in forms(text) {
            assert_agree(&text, v);
            applied += usize::from(variant_applies(&text, v));
        }
    }
    assert_eq!(applied, 3 * 9);
}
