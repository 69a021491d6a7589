//! A short fuzzing budget on fixed seeds, so every `cargo test` replays the same hostile cases;
//! `scripts/fuzz.sh SECONDS` runs the long budget on fresh seeds.

use std::time::Duration;

#[test]
fn fixed_seeds_break_no_invariant() {
    let report = netpol_fuzz::run(1, Duration::from_secs(3600), 300);
    assert_eq!(report.cases, 300);
    assert!(report.failures.is_empty(), "{:#?}", report.failures);
}

#[test]
fn the_generator_makes_valid_inputs_before_mutation() {
    // Unmutated generated inputs must parse without errors: otherwise the fuzzer would only
    // ever test the error paths.
    let mut clean = 0;
    for seed in 0..200 {
        let mut rng = netpol_fuzz::Rng::new(seed);
        let cluster = netpol_fuzz::toy_cluster(&mut rng);
        let (_, diags) = netpol_engine::parse(&[netpol_engine::Input {
            name: "c",
            text: &cluster,
        }]);
        if !netpol_engine::has_errors(&diags) {
            clean += 1;
        }
    }
    assert!(
        clean >= 190,
        "only {clean} of 200 generated clusters parse cleanly"
    );
}
