//! `netpol-fuzz SECONDS [SEED]`: runs generated hostile cases through the whole pipeline for a
//! time budget and prints what broke (exit 1) or a summary (exit 0).

use std::process::ExitCode;
use std::time::Duration;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: u64 = match args.first().map(|s| s.parse()) {
        Some(Ok(s)) => s,
        None => 60,
        Some(Err(_)) => {
            eprintln!("usage: netpol-fuzz [SECONDS] [SEED]");
            return ExitCode::from(2);
        }
    };
    let seed: u64 = match args.get(1).map(|s| s.parse()) {
        Some(Ok(s)) => s,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_secs()),
        Some(Err(_)) => {
            eprintln!("usage: netpol-fuzz [SECONDS] [SEED]");
            return ExitCode::from(2);
        }
    };
    // Panics are caught and reported per seed; keep their default message off the terminal.
    std::panic::set_hook(Box::new(|_| {}));
    let report = netpol_fuzz::run(seed, Duration::from_secs(seconds), u64::MAX);
    println!(
        "netpol-fuzz: {} cases from seed {seed} in {seconds} s; slowest case: seed {} took {:?}",
        report.cases, report.slowest.0, report.slowest.1
    );
    for (seed, what) in &report.failures {
        println!("FAILED seed {seed}: {what}");
    }
    println!(
        "fuzz: {} passed, {} failed",
        report.cases - report.failures.len() as u64,
        report.failures.len()
    );
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
