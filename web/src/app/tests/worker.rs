//! Evaluation in the Web Worker, driven through `update` with the worker's side played by
//! `wire::answer` and `decode_reply`, as the shell and the worker run them.

use super::super::{
    answer, decode_reply, update, Editor, Effect, Event, Request, State, WorkerEvent,
};

fn remote() -> State {
    State::create(netpol_examples::all(), true)
}

/// A cluster text larger than the page evaluates itself.
fn big_cluster(s: &State) -> String {
    format!("{}\n{}", s.cluster, "# padding\n".repeat(4000))
}

fn requests(fx: &[Effect]) -> Vec<Request> {
    fx.iter()
        .filter_map(|e| match e {
            Effect::Evaluate(r) => Some(r.clone()),
            _ => None,
        })
        .collect()
}

/// The worker's answer to `req`, as the page reads it.
fn reply(req: &Request) -> Event {
    let json = answer(req.clone());
    let ev = decode_reply(&json, || req.source.clone()).expect("an evaluation");
    Event::Worker(ev)
}

#[test]
fn the_startup_scenario_is_evaluated_on_the_page_and_large_edits_in_the_worker() {
    let mut s = remote();
    assert!(s.result.is_some(), "the default example is small");
    let before = s.result.clone();
    let big = big_cluster(&s);
    let fx = update(&mut s, Event::Edit(Editor::Cluster, big));
    let sent = requests(&fx);
    assert_eq!(sent.len(), 1);
    assert!(fx.contains(&Effect::WaitSlow(sent[0].seq)));
    assert_eq!(
        s.result, before,
        "the last result stays until the worker answers"
    );
    assert!(s.requests.pending());
    let fx = update(&mut s, reply(&sent[0]));
    assert!(!s.requests.pending());
    assert_eq!(s.result.as_ref().unwrap().source.cluster, s.cluster);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Lint(r) if r.lint && r.seq == sent[0].seq)),
        "the lint worker is asked for the lints of the shown evaluation"
    );
}

#[test]
fn answers_for_older_texts_are_dropped_and_newer_edits_coalesce() {
    let mut s = remote();
    let big = big_cluster(&s);
    let first = requests(&update(&mut s, Event::Edit(Editor::Cluster, big.clone())));
    let second = requests(&update(
        &mut s,
        Event::Edit(Editor::Cluster, format!("{big}#a\n")),
    ));
    let third = requests(&update(
        &mut s,
        Event::Edit(Editor::Cluster, format!("{big}#ab\n")),
    ));
    assert!(second.is_empty() && third.is_empty(), "the worker is busy");
    let fx = update(&mut s, reply(&first[0]));
    assert!(
        s.result.as_ref().unwrap().source.cluster != big,
        "the answer for the first text is not shown"
    );
    let latest = requests(&fx);
    assert_eq!(latest.len(), 1, "one request for the latest text");
    assert_eq!(latest[0].source.cluster, format!("{big}#ab\n"));
    update(&mut s, reply(&latest[0]));
    assert_eq!(s.result.as_ref().unwrap().source.cluster, s.cluster);
}

#[test]
fn a_slow_worker_can_be_stopped_and_an_unavailable_one_falls_back_to_the_page() {
    let mut s = remote();
    let big = big_cluster(&s);
    let sent = requests(&update(&mut s, Event::Edit(Editor::Cluster, big)));
    update(&mut s, Event::Worker(WorkerEvent::Slow(sent[0].seq)));
    assert!(super::super::view_model(&s).evaluating);
    let fx = update(&mut s, Event::Worker(WorkerEvent::Stop));
    assert!(fx.contains(&Effect::RestartWorker));
    let vm = super::super::view_model(&s);
    assert!(!vm.evaluating && vm.stopped);

    update(
        &mut s,
        Event::Worker(WorkerEvent::Unavailable("no workers here.".into())),
    );
    assert_eq!(s.result.as_ref().unwrap().source.cluster, s.cluster);
    assert!(super::super::view_model(&s)
        .eval_note
        .is_some_and(|n| n.contains("no workers here.")));
    let big = big_cluster(&s);
    let fx = update(&mut s, Event::Edit(Editor::Cluster, big));
    assert!(
        requests(&fx).is_empty(),
        "evaluated on the page from now on"
    );
}

#[test]
fn an_evaluation_survives_the_trip_as_json() {
    let s = State::new(netpol_examples::all());
    let req = s.request(1);
    let Event::Worker(WorkerEvent::Evaluated {
        seq,
        diagnostics,
        result,
    }) = reply(&req)
    else {
        panic!("not an evaluation");
    };
    assert_eq!(seq, 1);
    assert_eq!(diagnostics, s.diagnostics);
    assert_eq!(result.as_deref(), s.result.as_deref());
    assert_eq!(result.unwrap().model(), s.result.as_ref().unwrap().model());
}
