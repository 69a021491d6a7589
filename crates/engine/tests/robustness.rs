//! Garbage in, diagnostics out: mutated real inputs never make the engine panic, anywhere from
//! parsing to lints, AND/OR variants and their text edits.

use netpol_engine::{
    and_or_variants, apply_variant_text, compile, lint, parse, EndpointId, Input, PortProto,
};
use proptest::prelude::*;

/// The cluster and policies of every example, cut out of the example files.
fn seeds() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        for key in ["cluster", "policies"] {
            if let Some(s) = v.get(key).and_then(|s| s.as_str()) {
                out.push(s.to_string());
            }
        }
    }
    out
}

/// A mutation: at a relative position, delete some characters and insert some text.
fn mutation() -> impl Strategy<Value = (f64, usize, String)> {
    let insert = prop_oneof![
        Just(String::new()),
        Just("- ".to_string()),
        Just("\n".to_string()),
        Just("  ".to_string()),
        Just(": ".to_string()),
        Just("{".to_string()),
        Just("é☃".to_string()),
        Just("0/".to_string()),
        "[ -~]{0,6}",
    ];
    (0.0..1.0f64, 0usize..8, insert)
}

fn mutate(text: &str, muts: &[(f64, usize, String)]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for (at, del, ins) in muts {
        let i = ((chars.len() as f64) * at) as usize;
        let end = (i + del).min(chars.len());
        chars.splice(i..end, ins.chars());
    }
    chars.into_iter().collect()
}

fn run(cluster: &str, policies: &str) {
    let inputs = [
        Input {
            name: "cluster",
            text: cluster,
        },
        Input {
            name: "policies",
            text: policies,
        },
    ];
    let (model, _) = parse(&inputs);
    let index = compile(model.clone());
    for pp in index.ports_that_matter().into_iter().take(3) {
        let m = index.matrix(pp);
        let n = index.endpoints().len();
        if n > 0 {
            let _ = index.explain(EndpointId(0), EndpointId(n - 1), pp);
            let _ = m.cell(EndpointId(n - 1), EndpointId(0));
        }
    }
    let _ = index.matrix(PortProto::parse("53/UDP").unwrap());
    let _ = lint(&index, &[cluster, policies]);
    for v in and_or_variants(&model) {
        let _ = apply_variant_text(policies, &v);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn mutated_examples_never_panic(
        c in 0usize..64,
        p in 0usize..64,
        mc in proptest::collection::vec(mutation(), 0..4),
        mp in proptest::collection::vec(mutation(), 0..4),
    ) {
        let seeds = seeds();
        let cluster = &seeds[(c * 2) % seeds.len()];
        let policies = &seeds[(p * 2 + 1) % seeds.len()];
        run(&mutate(cluster, &mc), &mutate(policies, &mp));
    }
}
