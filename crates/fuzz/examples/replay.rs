//! `cargo run -p netpol-fuzz --example replay SEED`: prints one case and what it found, to
//! reproduce a failure the fuzzer reported.

fn main() {
    let seed: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("usage: replay SEED");
    let case = netpol_fuzz::case(seed);
    println!(
        "--- cluster.yaml\n{}\n--- policies.yaml\n{}",
        case.cluster, case.policies
    );
    let (_, diags) = netpol_engine::parse(&[
        netpol_engine::Input {
            name: "cluster.yaml",
            text: &case.cluster,
        },
        netpol_engine::Input {
            name: "policies.yaml",
            text: &case.policies,
        },
    ]);
    for d in diags {
        let mut s = d.to_string();
        s.truncate(300);
        println!("{s}");
    }
    println!("{:?}", netpol_fuzz::run_case(&case));
}
