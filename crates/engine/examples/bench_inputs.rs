//! Writes the benchmark inputs (see `benches/gen.rs`) under `target/netpol-bench/`, so that the
//! CLI can be timed on them: `cargo run --example bench_inputs -p netpol-engine`, then e.g.
//! `time target/release/netpol check target/netpol-bench/lints-1k.yaml`.

use std::path::PathBuf;

#[allow(dead_code)]
#[path = "../benches/gen.rs"]
mod gen;

fn main() -> std::io::Result<()> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/netpol-bench");
    std::fs::create_dir_all(&dir)?;
    let files: Vec<(&str, String)> = vec![
        ("workshop.yaml", gen::generate(gen::WORKSHOP).combined()),
        ("large.yaml", gen::generate(gen::LARGE).combined()),
        ("lints-1k.yaml", gen::generate(gen::LINTS_1K).combined()),
        ("lints-5k.yaml", gen::generate(gen::LINTS_5K).combined()),
        ("pods-2k.yaml", gen::toy_pods(2_000)),
        ("pods-10k.yaml", gen::toy_pods(9_996)),
        ("pods-1k.yaml", gen::toy_pods(1_000)),
        ("kubectl-10k.yaml", gen::kubectl_pods(10_000)),
        ("namespaces-100k.yaml", gen::toy_namespaces(100_000)),
        ("none.yaml", String::new()),
        ("deny-5.yaml", gen::default_deny()),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text)?;
        println!("{}", path.display());
    }
    Ok(())
}
