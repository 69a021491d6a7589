//! Times the core's work per keystroke: `cargo run --release -p netpol-web --example perf`
//! generates the 1,000-pod / 300-policy cluster of the engine's benches (`-- workshop` the
//! 50 / 30 one), or `-- big.json` reads a JSON object with `cluster` and `policies` strings.
//! It prints the engine's split (parse, compile, matrices), then what the page pays after a
//! keystroke: `update(Edit)`, `view_model` and the size of the serialised matrix view model, in
//! the matrix, all-ports, graph and selected-policy views.
use std::time::{Duration, Instant};

use netpol_web::app::{update, view_model, DiffEvent, Editor, Event, State, View};

#[allow(dead_code)]
#[path = "../../crates/engine/benches/gen.rs"]
mod gen;

fn input() -> (String, String) {
    match std::env::args().nth(1).as_deref() {
        None | Some("large") => {
            let g = gen::generate(gen::LARGE);
            (g.cluster, g.policies)
        }
        Some("workshop") => {
            let g = gen::generate(gen::WORKSHOP);
            (g.cluster, g.policies)
        }
        Some(path) => {
            let text =
                std::fs::read_to_string(path).expect("a JSON file with cluster and policies");
            let v: std::collections::BTreeMap<String, String> =
                serde_json::from_str(&text).expect("{\"cluster\": …, \"policies\": …}");
            (v["cluster"].clone(), v["policies"].clone())
        }
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// One keystroke (a comment appended to the policies) in `s`: the medians of `update`,
/// `view_model` and serialising the matrix view model, and the serialised size.
fn keystrokes(s: &mut State, policies: &str, label: &str) {
    let (mut up, mut vm_t, mut ser) = (Vec::new(), Vec::new(), Vec::new());
    let mut size = 0;
    for k in 0..5 {
        let text = format!("{policies}# keystroke {k}\n");
        let t = Instant::now();
        update(s, Event::Edit(Editor::Policies, text));
        up.push(t.elapsed());
        let t = Instant::now();
        let vm = view_model(s);
        vm_t.push(t.elapsed());
        let t = Instant::now();
        let json = serde_json::to_string(vm.matrix.as_deref().expect("a matrix")).unwrap();
        ser.push(t.elapsed());
        size = json.len();
    }
    println!(
        "{label:<16} update {:>9} | view_model {:>9} | matrix json {:>9}, {:>9} bytes",
        ms(median(up)),
        ms(median(vm_t)),
        ms(median(ser)),
        size
    );
}

fn main() {
    let (cluster, policies) = input();
    for _ in 0..3 {
        let t = Instant::now();
        let inputs = [
            netpol_engine::Input {
                name: "policies",
                text: &policies,
            },
            netpol_engine::Input {
                name: "cluster",
                text: &cluster,
            },
        ];
        let (model, d) = netpol_engine::parse(&inputs);
        let t_parse = t.elapsed();
        let t = Instant::now();
        let c = netpol_engine::compile(model);
        let t_compile = t.elapsed();
        let t = Instant::now();
        let ports = c.ports_that_matter();
        for &pp in &ports {
            let _ = c.matrix(pp);
        }
        let t_matrix = t.elapsed();
        let t = Instant::now();
        let (_, ev) = netpol_web::app::evaluate(&policies, &cluster);
        let t_eval = t.elapsed();
        let ev = ev.expect("a valid input");
        println!(
            "{} endpoints, {} policies, {} ports, {} diagnostics: parse {} compile {} matrices {} | web evaluate {} (beyond the engine: {})",
            ev.n(),
            ev.policies.len(),
            ports.len(),
            d.len(),
            ms(t_parse),
            ms(t_compile),
            ms(t_matrix),
            ms(t_eval),
            ms(t_eval.saturating_sub(t_parse + t_compile + t_matrix)),
        );
    }
    let mut s = State::new(netpol_examples::all());
    // The page defers lints and AND/OR variants to an idle moment after typing.
    s.diff.lazy = true;
    s.cluster = cluster.clone();
    update(&mut s, Event::Edit(Editor::Policies, policies.clone()));
    keystrokes(&mut s, &policies, "matrix");
    let t = Instant::now();
    update(&mut s, Event::Diff(DiffEvent::Idle));
    println!("idle refresh (lints) {}", ms(t.elapsed()));
    update(&mut s, Event::SelectPort("all".to_string()));
    keystrokes(&mut s, &policies, "all ports");
    update(&mut s, Event::SelectPort("80/TCP".to_string()));
    update(&mut s, Event::SelectView(View::Graph));
    keystrokes(&mut s, &policies, "graph");
    update(&mut s, Event::SelectView(View::Matrix));
    // The policy that selects the most pods.
    let widest = s
        .result
        .as_ref()
        .and_then(|r| r.policies.iter().max_by_key(|p| p.selects.len()));
    if let Some((id, pods)) = widest.map(|p| (p.id.clone(), p.selects.len())) {
        update(&mut s, Event::SelectPolicy(id));
        let vm = view_model(&s);
        println!(
            "policy selecting {pods} pods: helps allow {} flows; highlight stylesheet {} bytes",
            vm.policy_flows.len(),
            netpol_web::result::highlight_css(vm.hover, &vm.policy_pods, &vm.policy_flows).len()
        );
        keystrokes(&mut s, &policies, "policy selected");
    }
}
