//! Benchmarks of the engine on generated clusters (see `gen.rs`): `parse`, `compile` + one full
//! matrix, the matrix for all five ports, and `connectivity()`, for a workshop-size cluster
//! (50 pods, 30 policies) and a large one (1,000 pods, 300 policies).
//!
//! Run with `cargo bench -p netpol-engine`. The large cluster is also written to
//! `target/netpol-bench/large.yaml` (and the workshop one next to it) so that the CLI can be
//! timed on it: `time target/release/netpol connectivity target/netpol-bench/large.yaml`.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use netpol_engine::{compile, has_errors, parse, Input, PortProto};

#[allow(dead_code)]
mod gen;

use gen::{generate, Generated, Size, LARGE, PORTS, WORKSHOP};

fn inputs(g: &Generated) -> [Input<'_>; 2] {
    [
        Input {
            name: "cluster.yaml",
            text: &g.cluster,
        },
        Input {
            name: "policies.yaml",
            text: &g.policies,
        },
    ]
}

/// Generates a cluster, checks that it is valid, and writes it under `target/netpol-bench/`.
fn prepare(name: &str, size: Size) -> Generated {
    let g = generate(size);
    let (model, diags) = parse(&inputs(&g));
    for d in &diags {
        eprintln!("{d}");
    }
    assert!(
        !has_errors(&diags),
        "the generated {name} cluster must be valid"
    );
    assert_eq!(model.pods.len(), size.pods);
    assert_eq!(model.policies.len(), size.policies);
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("netpol-bench");
    let _ = std::fs::create_dir_all(&dir);
    let dir = dir.canonicalize().unwrap_or(dir);
    let path = dir.join(format!("{name}.yaml"));
    match std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, g.combined())) {
        Ok(()) => eprintln!("{name} cluster: {}", path.display()),
        Err(e) => eprintln!("could not write {}: {e}", path.display()),
    }
    g
}

fn bench_size(c: &mut Criterion, name: &str, size: Size) {
    let g = prepare(name, size);
    let ins = inputs(&g);
    let port = PortProto::parse(PORTS[0]).expect("a valid port");
    let mut group = c.benchmark_group(name);
    if size.pods >= 1000 {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(10));
    }
    group.bench_function("parse", |b| b.iter(|| parse(black_box(&ins))));
    let model = Arc::new(parse(&ins).0);
    group.bench_function("compile", |b| {
        b.iter(|| compile(black_box(Arc::clone(&model))).endpoints().len())
    });
    group.bench_function("compile+matrix 80/TCP", |b| {
        b.iter(|| {
            let index = compile(black_box(Arc::clone(&model)));
            index.matrix(port).len()
        })
    });
    let index = compile(Arc::clone(&model));
    group.bench_function("matrix 80/TCP", |b| {
        b.iter(|| index.matrix(black_box(port)).len())
    });
    if size.pods < 1000 {
        let ports: Vec<PortProto> = PORTS
            .iter()
            .map(|p| PortProto::parse(p).expect("a valid port"))
            .collect();
        group.bench_function("matrix x5 ports", |b| {
            b.iter(|| {
                ports
                    .iter()
                    .map(|&p| index.matrix(black_box(p)).len())
                    .sum::<usize>()
            })
        });
    }
    group.bench_function("connectivity", |b| b.iter(|| index.connectivity().len()));
    group.finish();
}

fn benches(c: &mut Criterion) {
    bench_size(c, "workshop", WORKSHOP);
    bench_size(c, "large", LARGE);
}

criterion_group!(matrix, benches);
criterion_main!(matrix);
