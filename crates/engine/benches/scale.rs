//! Benchmarks of every row of the scale table in README's Benchmarks section (issue 12): lints and
//! AND/OR variants at 1,000 × 400 and 5,000 × 2,000, a matrix at 5,000 × 2,000, connectivity of
//! 2,000 pods without policies, a 10k-pod `kubectl get pods -A -o yaml` dump, 100k namespaces,
//! the diff of no policies against five default-deny policies on 1,000 pods, and parsing after
//! one keystroke at 1,000 × 300 without and with the per-document cache.
//!
//! Run with `cargo bench -p netpol-engine --bench scale`; each case takes a few samples only, so
//! the whole run stays within minutes. `cargo run --example bench_inputs -p netpol-engine` writes
//! the same inputs under `target/netpol-bench/` for timing the CLI.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use netpol_engine::diff::{diff_flow_pairs, with_policies};
use netpol_engine::{
    compile, lint, parse, parse_cached, parse_with, AndOr, Input, Model, ParseCache, ParseOptions,
    PortProto,
};

#[allow(dead_code)]
mod gen;

fn model(texts: &[&str]) -> Model {
    let inputs: Vec<Input<'_>> = texts
        .iter()
        .map(|text| Input { name: "in", text })
        .collect();
    parse(&inputs).0
}

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("scale");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let port = PortProto::parse("80/TCP").expect("a valid port");
    for (name, size) in [("1k x 400", gen::LINTS_1K), ("5k x 2000", gen::LINTS_5K)] {
        let text = gen::generate(size).combined();
        let m = model(&[&text]);
        group.bench_function(format!("check lints {name}"), |b| {
            b.iter(|| lint(&compile(black_box(m.clone())), &[&text]).len())
        });
        // What `netpol and-or` does before formatting: every variant's flows, listed one
        // variant at a time.
        group.bench_function(format!("and-or {name}"), |b| {
            b.iter(|| {
                let c = compile(black_box(m.clone()));
                let variants = AndOr::new(&c);
                let mut flows = 0;
                for i in 0..variants.sites().len() {
                    let changes = variants.flows(i);
                    for p in changes.ports() {
                        for gained in [true, false] {
                            changes.for_each_flow(p, gained, |_, _| flows += 1);
                        }
                    }
                }
                flows
            })
        });
        group.bench_function(format!("compile+matrix {name}"), |b| {
            b.iter(|| compile(black_box(m.clone())).matrix(port).len())
        });
    }
    // The matrix target counts the parse too (`netpol matrix` reads the file).
    let text = gen::generate(gen::LINTS_5K).combined();
    group.bench_function("parse+compile+matrix 5k x 2000", |b| {
        b.iter(|| compile(model(&[black_box(&text)])).matrix(port).len())
    });
    let pods = gen::toy_pods(2_000);
    let m = model(&[&pods]);
    group.bench_function("connectivity 2k pods no policies", |b| {
        let index = compile(m.clone());
        b.iter(|| {
            let mut flows = 0;
            index.for_each_connection(|_| flows += 1);
            flows
        })
    });
    let dump = gen::kubectl_pods(10_000);
    group.bench_function("parse+matrix kubectl 10k pods", |b| {
        b.iter(|| compile(model(&[black_box(&dump)])).matrix(port).len())
    });
    let namespaces = gen::toy_namespaces(100_000);
    group.bench_function("parse+lints 100k namespaces", |b| {
        b.iter(|| lint(&compile(model(&[black_box(&namespaces)])), &[&namespaces]).len())
    });
    let (cluster, none, deny) = (
        model(&[&gen::toy_pods(1_000)]),
        model(&[]),
        model(&[&gen::default_deny()]),
    );
    group.bench_function("diff none -> 5 default-deny 1k pods", |b| {
        b.iter(|| {
            let (before, after) = (
                with_policies(&cluster, &none),
                with_policies(&cluster, &deny),
            );
            let flows = diff_flow_pairs(&compile(before.clone()), &compile(after.clone()));
            flows.map(|p| p.len()).unwrap_or_default()
        })
    });
    // One keystroke inside one policy of 1,000 pods and 300 policies (the playground's
    // evaluation parses on every keystroke): every document read again, or only that one.
    let large = gen::generate(gen::LARGE).combined();
    let typed = large.replacen("name: policy-150,", "name: policy-150x,", 1);
    let options = ParseOptions::default();
    let texts = [large.as_str(), typed.as_str()];
    let inputs = |i: usize| {
        [Input {
            name: "in",
            text: texts[i % 2],
        }]
    };
    group.bench_function("parse keystroke 1k x 300", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            parse_with(&inputs(i), &options).0.pods.len()
        })
    });
    group.bench_function("parse_cached keystroke 1k x 300", |b| {
        let mut cache = ParseCache::default();
        let mut i = 0;
        b.iter(|| {
            i += 1;
            parse_cached(&mut cache, &inputs(i), &options).0.pods.len()
        })
    });
    group.finish();
}

criterion_group!(scale, benches);
criterion_main!(scale);
