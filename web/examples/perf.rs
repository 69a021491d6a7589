//! Times the core on a workshop-size scenario: `cargo run --release -p netpol-web --example perf -- big.json`
//! (a JSON object with `cluster` and `policies` strings).
use std::time::Instant;

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("a JSON file with cluster and policies");
    let text = std::fs::read_to_string(path).unwrap();
    // Tiny ad-hoc JSON reading to avoid a dependency: the file is {"cluster": "...", "policies": "..."}.
    let v: std::collections::BTreeMap<String, String> = serde_yaml::from_str(&text).unwrap();
    let (cluster, policies) = (&v["cluster"], &v["policies"]);
    for _ in 0..3 {
        let t = Instant::now();
        let (model, d) = netpol_engine::parse(&[
            netpol_engine::Input {
                name: "policies",
                text: policies,
            },
            netpol_engine::Input {
                name: "cluster",
                text: cluster,
            },
        ]);
        let t_parse = t.elapsed();
        let c = netpol_engine::compile(model);
        let t_compile = t.elapsed();
        let ports = c.ports_that_matter();
        for &pp in &ports {
            let _ = c.matrix(pp);
        }
        let t_matrix = t.elapsed();
        let (_, ev) = netpol_web::app::evaluate(policies, cluster);
        let t_eval = t.elapsed();
        let mut s = netpol_web::app::State::new(netpol_examples::all());
        netpol_web::app::update(
            &mut s,
            netpol_web::app::Event::Edit(netpol_web::app::Editor::Cluster, cluster.clone()),
        );
        let t0 = Instant::now();
        netpol_web::app::update(
            &mut s,
            netpol_web::app::Event::Edit(netpol_web::app::Editor::Policies, policies.clone()),
        );
        let t_update = t0.elapsed();
        let _vm = netpol_web::app::view_model(&s);
        let t_vm = t0.elapsed() - t_update;
        println!(
            "diags {} ports {} parse {:?} compile {:?} matrices {:?} evaluate {:?} | update {:?} view_model {:?} ok={}",
            d.len(), ports.len(), t_parse, t_compile - t_parse, t_matrix - t_compile, t_eval - t_matrix, t_update, t_vm, ev.is_some()
        );
    }
}
