//! What one keystroke costs the core in the worker and the page, natively:
//! `cargo run --release -p netpol-web --example page_size` prints, for the bench generator's
//! workshop and large scenarios, the time of `update` (a keystroke), of `page`, the size of the
//! reply's JSON and the time to write and read it.
use std::time::Instant;

use netpol_web::app::{serve_start, Editor, Event, FromWorker, Startup};

#[allow(dead_code)]
#[path = "../../crates/engine/benches/gen.rs"]
mod gen;

fn main() {
    for (name, size) in [("workshop", gen::WORKSHOP), ("large", gen::LARGE)] {
        let g = gen::generate(size);
        let (mut core, _, _) = serve_start(Startup::default());
        core.serve(vec![
            (1, Event::Edit(Editor::Cluster, g.cluster.clone())),
            (2, Event::Edit(Editor::Policies, g.policies.clone())),
        ]);
        let t = Instant::now();
        let (reply, timers) = core.serve(vec![(
            3,
            Event::Edit(Editor::Policies, format!("{}\n# x", g.policies)),
        )]);
        let t_serve = t.elapsed();
        // The deferred work after a pause in typing (lints), and the size of its reply.
        if let Some(&timer) = timers.last() {
            let t = Instant::now();
            if let Some((idle, _)) = core.idle(timer) {
                let t_idle = t.elapsed();
                let json = serde_json::to_string(&FromWorker::Reply(Box::new(idle))).unwrap();
                println!(
                    "{name}: idle (lints) {t_idle:?}, reply {} KB",
                    json.len() / 1024
                );
            }
        }
        let t = Instant::now();
        let json = serde_json::to_string(&FromWorker::Reply(Box::new(reply))).unwrap();
        let t_write = t.elapsed();
        let t = Instant::now();
        let back: FromWorker = serde_json::from_str(&json).unwrap();
        let t_read = t.elapsed();
        if let FromWorker::Reply(r) = &back {
            let size = |v: serde_json::Value| v.to_string().len() / 1024;
            let page = serde_json::to_value(&r.page).unwrap();
            let mut parts: Vec<(usize, String)> = page["vm"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, v)| (size(v.clone()), format!("vm.{k}")))
                .chain(
                    page.as_object()
                        .into_iter()
                        .flatten()
                        .filter(|(k, _)| *k != "vm")
                        .map(|(k, v)| (size(v.clone()), k.clone())),
                )
                .collect();
            parts.sort_by(|a, b| b.cmp(a));
            parts.truncate(12);
            println!("{name}: the biggest parts of the reply (KB): {parts:?}");
        }
        println!(
            "{name}: keystroke (update + page) {t_serve:?}, reply {} KB, to JSON {t_write:?}, from JSON {t_read:?}",
            json.len() / 1024
        );
    }
}
