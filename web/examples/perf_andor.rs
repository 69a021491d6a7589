//! Times the issue-4 additions on a workshop-size scenario:
//! `cargo run --release -p netpol-web --example perf_andor -- big.json` (JSON with `cluster` and
//! `policies` strings): lints, AND/OR variants, and a baseline diff.
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a JSON file with cluster and policies");
    let text = std::fs::read_to_string(path).unwrap();
    let v: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&text).unwrap();
    let (cluster, policies) = (&v["cluster"], &v["policies"]);
    let (_, ev) = netpol_web::app::evaluate(policies, cluster);
    let ev = ev.expect("valid input");
    for _ in 0..3 {
        let t = Instant::now();
        let lints = netpol_web::app::compute_lints(&ev, policies, cluster);
        let t_lint = t.elapsed();
        let t = Instant::now();
        let c = netpol_engine::compile(ev.model());
        let t_compile = t.elapsed();
        let t = Instant::now();
        let variants = netpol_engine::and_or_variants(ev.model());
        let t_var = t.elapsed();
        let t = Instant::now();
        let d = netpol_engine::diff_models(&c, &c).expect("a model has its own endpoints");
        let t_diff = t.elapsed();
        println!(
            "lints {} in {t_lint:?} (compile alone {t_compile:?}) | {} variants in {t_var:?} | self-diff ({} ranges) {t_diff:?}",
            lints.len(),
            variants.len(),
            d.ports.len()
        );
    }
}
