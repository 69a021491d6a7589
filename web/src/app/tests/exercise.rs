//! Inside an exercise (issue 14): the lints stay hidden until the learner asks, Reset restores
//! the exercise's start (undoable), the Example menu shows the exercise, and leaving it is an
//! explicit action.

use super::state;
use crate::app::{
    lint_diags, update, view_model, Editor, Event, LearnEvent, Menu, State, EXERCISE_OPTION,
};

fn learn(s: &mut State, e: LearnEvent) {
    update(s, Event::Learn(e));
}

/// The index of the exercise with this id.
fn exercise(s: &State, id: &str) -> usize {
    s.learn
        .data
        .exercises
        .iter()
        .position(|e| e.id == id)
        .unwrap_or_else(|| panic!("no exercise {id}"))
}

#[test]
fn lints_are_hidden_in_an_exercise_until_asked() {
    let mut s = state();
    // Exercise 05's starting policies are a default deny that breaks DNS: the DNS lint fires.
    let i = exercise(&s, "05-default-deny-broke-dns");
    learn(&mut s, LearnEvent::OpenExercise(i));
    assert!(s.lints().is_empty(), "{:?}", s.lints());
    assert!(s.hidden_lints() > 0, "the starting policies have lints");
    assert!(!s.learn.goals().unwrap().is_empty(), "the goals stay live");
    assert!(
        lint_diags(&s, Editor::Policies).is_empty(),
        "nor in the gutter"
    );

    learn(&mut s, LearnEvent::ShowLints(true));
    assert!(!s.lints().is_empty());
    assert_eq!(s.hidden_lints(), 0);
    learn(&mut s, LearnEvent::ShowLints(false));
    assert!(s.lints().is_empty());

    // Another exercise hides them again; outside an exercise they show.
    learn(&mut s, LearnEvent::ShowLints(true));
    learn(&mut s, LearnEvent::OpenExercise(i));
    assert!(s.lints().is_empty());
    learn(&mut s, LearnEvent::BackToList);
    assert!(!s.lints().is_empty());
}

#[test]
fn reset_in_an_exercise_restores_its_start_and_can_be_undone() {
    let mut s = state();
    learn(&mut s, LearnEvent::OpenExercise(0));
    let start = (s.policies.clone(), s.cluster.clone());
    assert!(!view_model(&s).modified, "nothing to reset at the start");
    let edited = format!("{}\n# my attempt\n", start.0);
    update(&mut s, Event::Edit(Editor::Policies, edited.clone()));
    update(
        &mut s,
        Event::Edit(Editor::Cluster, "namespaces: {}\n".into()),
    );
    assert!(view_model(&s).modified);

    update(&mut s, Event::ResetExample);
    assert_eq!((&s.policies, &s.cluster), (&start.0, &start.1));
    assert_eq!(s.learn.exercise, Some(0), "still in the exercise");
    assert!(!view_model(&s).modified);

    learn(&mut s, LearnEvent::UndoReset);
    assert_eq!(
        (s.policies.as_str(), s.cluster.as_str()),
        (edited.as_str(), "namespaces: {}\n")
    );
    assert_eq!(s.learn.before_reset, None, "one undo per reset");
    // "Start over" is undoable too.
    learn(&mut s, LearnEvent::RestartExercise);
    assert_eq!(s.policies, start.0);
    learn(&mut s, LearnEvent::UndoReset);
    assert_eq!(s.policies, edited);
}

#[test]
fn the_example_menu_shows_the_exercise_and_picking_an_example_leaves_it() {
    let mut s = state();
    learn(&mut s, LearnEvent::OpenExercise(1));
    let id = s.learn.data.exercises[1].id.clone();
    let vm = view_model(&s);
    let value = format!("{EXERCISE_OPTION}{id}");
    assert_eq!(vm.example, value);
    assert_eq!(vm.examples[0].0, value);
    assert!(vm.examples[0].1.starts_with("Exercise: "));
    assert_eq!(vm.examples.len(), s.examples.len() + 1);

    // Picking the exercise's own entry changes nothing.
    let policies = s.policies.clone();
    update(&mut s, Event::LoadExample(value));
    assert_eq!((s.learn.exercise, &s.policies), (Some(1), &policies));

    // Picking an example leaves the exercise for the list, explicitly.
    let other = s.examples[2].clone();
    update(&mut s, Event::LoadExample(other.id.clone()));
    assert_eq!(s.learn.exercise, None);
    assert_eq!(s.learn.menu, Menu::Exercises);
    assert_eq!(s.policies, other.policies);
    assert_eq!(view_model(&s).example, other.id);
    // Reset outside an exercise reloads the example as before.
    update(&mut s, Event::Edit(Editor::Policies, String::new()));
    update(&mut s, Event::ResetExample);
    assert_eq!(s.policies, other.policies);
}
