//! The Learn side through events: exercises, the tutorial, the share buttons.

use netpol_engine::exercise::Highlight;

use super::{run, state};
use crate::app::{
    evaluate, update, Editor, Effect, Event, LearnEvent, Menu, PortChoice, Progress, Solution,
    State,
};

fn learn(s: &mut State, e: LearnEvent) -> Vec<Effect> {
    update(s, Event::Learn(e))
}

fn saves(fx: &[Effect]) -> usize {
    fx.iter().filter(|e| matches!(e, Effect::Save(_))).count()
}

#[test]
fn opening_an_exercise_loads_both_texts_in_one_step() {
    let mut s = state();
    // Start from policies with an error: a half-updated load would have shown its diagnostics.
    update(&mut s, Event::Edit(Editor::Policies, "kind: [".into()));
    let fx = learn(&mut s, LearnEvent::OpenExercise(0));
    let ex = s.learn.data.exercises[0].ex.clone();
    assert_eq!((&s.policies, &s.cluster), (&ex.policies, &ex.cluster));
    assert!(!s.stale);
    let (diagnostics, ev) = evaluate(&ex.policies, &ex.cluster);
    assert_eq!(s.diagnostics, diagnostics);
    assert_eq!(s.result.as_deref(), ev.as_ref());
    assert!(matches!(s.port, Some(PortChoice::One(_))));
    assert_eq!(saves(&fx), 1, "{fx:?}");
    assert!(fx.contains(&Effect::Save(s.saved())));
    assert!(fx.contains(&Effect::ScrollLearnToTop));
    assert_eq!(s.learn.menu, Menu::Exercises);
}

#[test]
fn exercise_checklist_turns_green_with_the_solution() {
    let mut s = state();
    learn(&mut s, LearnEvent::OpenExercise(0));
    let ex = s.learn.data.exercises[0].ex.clone();
    let id = s.learn.data.exercises[0].id.clone();
    assert_eq!(s.learn.goals().unwrap().len(), ex.goals.len());
    assert!(!s.learn.all_met());
    assert_eq!(
        s.learn.hint_label().unwrap(),
        format!("Show a hint ({} left)", ex.hints.len())
    );
    run(
        &mut s,
        ex.hints.iter().map(|_| Event::Learn(LearnEvent::Hint)),
    );
    assert_eq!(s.learn.hint_label(), None);
    run(
        &mut s,
        [
            Event::Learn(LearnEvent::AskSolution),
            Event::Learn(LearnEvent::ConfirmSolution),
        ],
    );
    assert_eq!(s.learn.solution, Solution::Shown);

    let fx = learn(&mut s, LearnEvent::UseSolution);
    assert_eq!(s.policies, ex.solution);
    assert!(s.learn.goals().unwrap().iter().all(|g| g.met));
    assert!(s.learn.progress.completed.contains(&id));
    assert!(fx.contains(&Effect::SaveProgress(s.learn.progress.clone())));
    assert!(fx.contains(&Effect::Save(s.saved())));
    // Completion is recorded once.
    let fx = learn(&mut s, LearnEvent::UseSolution);
    assert!(!fx.iter().any(|e| matches!(e, Effect::SaveProgress(_))));

    // Starting over loads the starting policies and hides the hints and the solution again.
    learn(&mut s, LearnEvent::RestartExercise);
    assert_eq!((s.learn.hints, s.learn.solution), (0, Solution::Hidden));
    assert_eq!(s.policies, ex.policies);
    assert!(!s.learn.all_met());
    assert!(s.learn.progress.completed.contains(&id), "progress stays");
}

#[test]
fn every_exercise_solution_completes_it() {
    let mut s = state();
    for i in 0..s.learn.data.exercises.len() {
        learn(&mut s, LearnEvent::OpenExercise(i));
        let id = s.learn.data.exercises[i].id.clone();
        assert!(!s.learn.all_met(), "{id}");
        learn(&mut s, LearnEvent::UseSolution);
        assert!(s.learn.all_met(), "{id}");
    }
    assert_eq!(
        s.learn.progress.completed.len(),
        s.learn.data.exercises.len()
    );
}

#[test]
fn tutorial_progress_and_highlights() {
    let mut s = state();
    let steps = s.learn.data.steps.len();
    assert_eq!(s.learn.tutorial_progress(), (0, steps));
    for i in 0..steps {
        let before = s.flow.as_ref().map(|f| (f.from.clone(), f.to.clone()));
        let fx = learn(&mut s, LearnEvent::OpenStep(i));
        let step = s.learn.data.steps[i].step.clone();
        assert_eq!((&s.policies, &s.cluster), (&step.policies, &step.cluster));
        assert_eq!(s.port.map(PortChoice::value), Some(normalized(&step.port)));
        assert!(fx.contains(&Effect::SaveProgress(s.learn.progress.clone())));
        assert_eq!(saves(&fx), 1);
        // One flow and one policy can be selected: the first of each kind is.
        let first_flow = step.highlight.iter().find_map(|h| match h {
            Highlight::Flow { from, to, .. } => Some((from.clone(), to.clone())),
            _ => None,
        });
        let first_policy = step.highlight.iter().find_map(|h| match h {
            Highlight::Policy(id) => Some(id.clone()),
            _ => None,
        });
        assert_eq!(
            s.flow.as_ref().map(|f| (f.from.clone(), f.to.clone())),
            first_flow
        );
        // The Why? panel scrolls into view when the step selects another flow.
        assert_eq!(
            fx.contains(&Effect::ShowExplanation),
            first_flow.is_some() && first_flow != before
        );
        assert_eq!(s.policy, first_policy);
        if step
            .highlight
            .iter()
            .any(|h| matches!(h, Highlight::Pod(_)))
        {
            assert!(s.hover.is_some());
        }
    }
    assert_eq!(s.learn.tutorial_progress(), (steps, steps));
    assert_eq!(s.learn.progress.step, Some(steps - 1));
    let json = serde_json::to_string(&s.learn.progress).unwrap();
    let back: Progress = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s.learn.progress);
    let empty: Progress = serde_json::from_str("{}").unwrap();
    assert_eq!(empty, Progress::default());
}

/// `80` → `80/TCP`.
fn normalized(port: &str) -> String {
    netpol_engine::PortProto::parse(port).map_or_else(|_| port.to_string(), |p| p.to_string())
}

#[test]
fn learn_menu_opens_the_last_step_and_closes_again() {
    let mut s = state();
    s.learn.progress.step = Some(2);
    let fx = learn(&mut s, LearnEvent::Menu(Menu::Tutorial));
    assert_eq!((s.learn.menu, s.learn.step), (Menu::Tutorial, Some(2)));
    assert_eq!(s.cluster, s.learn.data.steps[2].step.cluster);
    assert_eq!(saves(&fx), 1);
    let fx = learn(&mut s, LearnEvent::Menu(Menu::Tutorial));
    assert_eq!(s.learn.menu, Menu::Closed);
    assert!(fx.is_empty(), "{fx:?}");
    // The exercise list neither loads anything nor saves.
    let policies = s.policies.clone();
    let fx = learn(&mut s, LearnEvent::Menu(Menu::Exercises));
    assert_eq!(s.learn.menu, Menu::Exercises);
    assert_eq!(s.policies, policies);
    assert!(fx.is_empty(), "{fx:?}");
    learn(&mut s, LearnEvent::OpenExercise(1));
    learn(&mut s, LearnEvent::BackToList);
    assert_eq!((s.learn.menu, s.learn.exercise), (Menu::Exercises, None));
    learn(&mut s, LearnEvent::Close);
    assert_eq!(s.learn.menu, Menu::Closed);
}

#[test]
fn step_highlight_buttons_select_what_they_name() {
    let mut s = state();
    let (i, k, h) = s
        .learn
        .data
        .steps
        .iter()
        .enumerate()
        .find_map(|(i, st)| {
            let flows: Vec<(usize, &Highlight)> = st
                .step
                .highlight
                .iter()
                .enumerate()
                .filter(|(_, h)| matches!(h, Highlight::Flow { .. }))
                .collect();
            flows.get(1).map(|&(k, h)| (i, k, h.clone()))
        })
        .expect("a step with two flows");
    learn(&mut s, LearnEvent::OpenStep(i));
    let fx = learn(&mut s, LearnEvent::ShowHighlight(k));
    let Highlight::Flow { from, to, .. } = h else {
        unreachable!()
    };
    let flow = s.flow.as_ref().unwrap();
    assert_eq!((&flow.from, &flow.to), (&from, &to));
    assert_eq!(fx, [Effect::ShowExplanation]);
}

#[test]
fn share_buttons_copy_a_link_and_a_snippet() {
    let mut s = state();
    s.page_url = "https://x.test/np/".into();
    let fx = learn(&mut s, LearnEvent::CopyLink);
    let url = s.learn.share_url.clone().unwrap();
    assert!(url.starts_with("https://x.test/np/#s=v1."), "{url}");
    assert_eq!(fx, [Effect::Copy(url)]);
    let fx = learn(&mut s, LearnEvent::EmbedSnippet);
    let snippet = s.learn.snippet.clone().unwrap();
    assert!(snippet.starts_with("<iframe src=\"https://x.test/np/?embed=1"));
    assert_eq!(fx, [Effect::Copy(snippet)]);
    assert_eq!(s.learn.share_url, None);
    learn(&mut s, LearnEvent::DismissShare);
    assert_eq!(
        (s.learn.share_url.as_ref(), s.learn.snippet.as_ref()),
        (None, None)
    );
}
