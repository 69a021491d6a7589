//! The page goes through JSON unchanged (the worker sends it to the shell that way), in every
//! view and with the Learn side open.

use super::super::{page, DiffEvent, LearnEvent, Menu, Page, View};
use super::{run, state};
use crate::app::Event;

fn round_trip(p: &Page) -> Page {
    let json = serde_json::to_string(p).expect("serialises");
    serde_json::from_str(&json).expect("deserialises")
}

#[test]
fn every_example_and_view_survives_json() {
    let mut s = state();
    let ids: Vec<String> = s.examples.iter().map(|e| e.id.clone()).collect();
    for id in ids {
        for view in [View::Matrix, View::Graph, View::AndOr, View::Compare] {
            run(
                &mut s,
                [
                    Event::LoadExample(id.clone()),
                    Event::SelectView(view),
                    Event::Diff(DiffEvent::PinBaseline),
                    Event::Diff(DiffEvent::Idle),
                ],
            );
            let p = page(&s);
            assert_eq!(round_trip(&p), p, "{id} in {view:?}");
        }
    }
}

#[test]
fn the_learn_side_survives_json() {
    let mut s = state();
    for events in [
        vec![Event::Learn(LearnEvent::Menu(Menu::Tutorial))],
        vec![Event::Learn(LearnEvent::OpenStep(1))],
        vec![
            Event::Learn(LearnEvent::Menu(Menu::Exercises)),
            Event::Learn(LearnEvent::OpenExercise(0)),
            Event::Learn(LearnEvent::Hint),
            Event::Learn(LearnEvent::AskSolution),
            Event::Learn(LearnEvent::ConfirmSolution),
        ],
    ] {
        run(&mut s, events);
        let p = page(&s);
        assert_eq!(round_trip(&p), p);
    }
    assert!(page(&s).learn.exercise.is_some_and(|e| !e.goals.is_empty()));
}
