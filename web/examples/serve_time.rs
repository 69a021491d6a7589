//! Times the worker's side of a keystroke natively: `cargo run --release -p netpol-web --example
//! serve_time [-- workshop]` pastes the 1,000-pod / 300-policy scenario of the engine's benches
//! (or the 50 / 30 one) through `Served::serve`, as the worker does, then types into a comment
//! (the model stays the same) and edits a rule's port (it changes), and prints per keystroke the
//! time of `serve`, of encoding its reply as JSON and of decoding it, and the reply's size.
//! `FLOWS=N` sets the number of port edits (6). With `-- large dump` it only writes the scenario
//! to the files named by `OUT_CLUSTER` and `OUT_POLICIES` (for browser traces); with `-- large
//! andor` it types with the AND vs OR tab open (its variants computed once editing paused); with
//! `-- large compare` it pins the policies as the baseline, opens the Compare tab and edits a
//! selector (so that flows change) before typing.
use std::time::{Duration, Instant};

use netpol_web::app::{
    encode, serve_start, DiffEvent, Editor, Event, FromWorker, Served, Startup, View,
};

#[allow(dead_code)]
#[path = "../../crates/engine/benches/gen.rs"]
mod gen;

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// Runs the deferred work of `timers` (as when editing pauses), printing its time as `what`.
fn idle(core: &mut Served, timers: Vec<u32>, what: &str) {
    for timer in timers {
        let t = Instant::now();
        if core.idle(timer).is_some() {
            println!("{what} {}", ms(t.elapsed()));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let size = match args.get(1).map(String::as_str) {
        Some("workshop") => gen::WORKSHOP,
        _ => gen::LARGE,
    };
    let g = gen::generate(size);
    if args.get(2).map(String::as_str) == Some("dump") {
        let out = |var: &str| std::env::var(var).unwrap_or_else(|_| panic!("set {var}"));
        std::fs::write(out("OUT_CLUSTER"), &g.cluster).expect("written");
        std::fs::write(out("OUT_POLICIES"), &g.policies).expect("written");
        return;
    }
    let flows: usize = std::env::var("FLOWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let (mut core, _, _) = serve_start(Startup::default());
    let t = Instant::now();
    core.serve(vec![(1, Event::Edit(Editor::Cluster, g.cluster.clone()))]);
    core.serve(vec![(2, Event::Edit(Editor::Policies, g.policies.clone()))]);
    println!("paste {}", ms(t.elapsed()));
    let mut seq = 2;
    let mut text = g.policies.clone() + "\n# ";
    let mut at = text.find("{port: 80}").expect("a rule on port 80") + "{port: 8".len();
    match args.get(2).map(String::as_str) {
        Some("andor") => {
            seq += 1;
            let t = Instant::now();
            let (_, timers) = core.serve(vec![(seq, Event::SelectView(View::AndOr))]);
            println!("open AND vs OR {}", ms(t.elapsed()));
            idle(&mut core, timers, "variants computed");
        }
        Some("compare") => {
            let t = Instant::now();
            core.serve(vec![
                (seq + 1, Event::Diff(DiffEvent::PinBaseline)),
                (seq + 2, Event::SelectView(View::Compare)),
            ]);
            println!("pin and open Compare {}", ms(t.elapsed()));
            // A selector of most pods (`version NotIn [v2]`) selects few (`In`).
            seq += 3;
            let not_in = text.find("operator: NotIn").expect("a NotIn selector");
            text.replace_range(not_in..not_in + "operator: NotIn".len(), "operator: In");
            if not_in < at {
                at -= "Not".len();
            }
            let t = Instant::now();
            let (_, timers) = core.serve(vec![(seq, Event::Edit(Editor::Policies, text.clone()))]);
            println!("edit a selector {}", ms(t.elapsed()));
            idle(&mut core, timers, "compare diff computed");
        }
        _ => {}
    }
    for (mode, n) in [("comment", 6), ("flow", flows)] {
        for k in 0..n {
            seq += 1;
            match (mode, k % 2) {
                ("comment", _) => text.push('x'),
                (_, 0) => {
                    text.remove(at);
                }
                _ => text.insert(at, '0'),
            }
            let t = Instant::now();
            let (reply, _) = core.serve(vec![(seq, Event::Edit(Editor::Policies, text.clone()))]);
            let served = t.elapsed();
            let json = encode(&FromWorker::Reply(Box::new(reply)));
            let encoded = t.elapsed() - served;
            let back = serde_json::from_str::<FromWorker>(&json);
            let decoded = t.elapsed() - served - encoded;
            assert!(back.is_ok(), "the reply reads back");
            println!(
                "{mode} serve {} encode {} decode {} bytes {}",
                ms(served),
                ms(encoded),
                ms(decoded),
                json.len()
            );
        }
    }
}
