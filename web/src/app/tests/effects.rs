//! The effects `update` and `start` ask of the shell.

use super::{run, state};
use crate::app::share::to_share;
use crate::app::{
    start, update, DiffEvent, Editor, Effect, EmbedParams, Event, LearnEvent, Panel, Saved,
    Startup, State, View, POLICIES,
};

fn embedded(mut s: State) -> State {
    s.embed = Some(EmbedParams {
        view: None,
        panels: vec![Panel::Result],
        readonly: false,
        height: None,
    });
    s
}

#[test]
fn changes_to_the_work_are_saved() {
    let mut s = state();
    let fx = update(&mut s, Event::Edit(Editor::Policies, String::new()));
    assert_eq!(fx, [Effect::Save(s.saved())]);
    for e in [
        Event::SelectPort("53/UDP".into()),
        Event::SelectView(View::Graph),
        Event::LoadExample("allow-dns".into()),
        Event::ResetExample,
        Event::Diff(DiffEvent::PinBaseline),
        Event::Diff(DiffEvent::ClearBaseline),
    ] {
        let fx = update(&mut s, e.clone());
        assert_eq!(fx, [Effect::Save(s.saved())], "{e:?}");
    }
    // Selections are not part of the saved work.
    for e in [
        Event::SelectPolicy("app/allow-dns".into()),
        Event::Hover(Some("app/api".into())),
        Event::ClearFlow,
        Event::Diff(DiffEvent::Idle),
    ] {
        assert_eq!(update(&mut s, e.clone()), [], "{e:?}");
    }
}

#[test]
fn embedded_copies_save_nothing() {
    let mut s = embedded(state());
    let fx = update(&mut s, Event::Edit(Editor::Policies, String::new()));
    assert_eq!(fx, []);
    let fx = update(&mut s, Event::Learn(LearnEvent::OpenStep(0)));
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Save(_) | Effect::SaveProgress(_))),
        "{fx:?}"
    );
}

#[test]
fn keystrokes_wait_for_idle_when_lazy() {
    let mut s = state();
    s.diff.lazy = true;
    let fx = update(&mut s, Event::Edit(Editor::Policies, "# 1\n".into()));
    assert_eq!(fx[0], Effect::WaitForIdle(1));
    let fx = update(&mut s, Event::Edit(Editor::Policies, "# 2\n".into()));
    assert_eq!(fx[0], Effect::WaitForIdle(2));
    assert!(s.lints_due());
    assert_eq!(update(&mut s, Event::Diff(DiffEvent::IdleAt(2))), []);
    assert!(!s.lints_due());
}

#[test]
fn links_to_the_yaml_scroll_the_editor() {
    let mut s = state();
    let fx = update(
        &mut s,
        Event::ShowSpan {
            file: POLICIES.into(),
            line: 3,
            col: 1,
            whole_document: true,
        },
    );
    let h = s.highlight.unwrap();
    assert_eq!(
        fx,
        [Effect::ScrollEditor {
            editor: Editor::Policies,
            line: h.start
        }]
    );
    assert_eq!(
        update(
            &mut s,
            Event::ShowSpan {
                file: "elsewhere".into(),
                line: 3,
                col: 1,
                whole_document: false,
            },
        ),
        []
    );
    // A diagnostic: its line is highlighted, the cursor goes there.
    let fx = update(
        &mut s,
        Event::Goto {
            editor: Editor::Cluster,
            line: 4,
            col: 7,
        },
    );
    assert_eq!(
        (s.highlight.unwrap().start, s.highlight.unwrap().end),
        (4, 4)
    );
    assert_eq!(
        fx,
        [
            Effect::PlaceCursor {
                editor: Editor::Cluster,
                line: 4,
                col: 7
            },
            Effect::ScrollEditor {
                editor: Editor::Cluster,
                line: 4
            }
        ]
    );
}

#[test]
fn a_newly_selected_flow_brings_the_explanation_into_view() {
    let mut s = state();
    let select = |from: &str, to: &str| Event::SelectFlow {
        from: from.into(),
        to: to.into(),
    };
    assert_eq!(
        update(&mut s, select("app/db", "app/api")),
        [Effect::ShowExplanation]
    );
    assert_eq!(update(&mut s, select("app/db", "app/api")), []);
    assert_eq!(update(&mut s, Event::Hover(Some("app/db".into()))), []);
    run(&mut s, [Event::ClearFlow]);
    assert_eq!(
        update(&mut s, select("app/db", "app/api")),
        [Effect::ShowExplanation]
    );
}

fn startup(hash: &str, search: &str, saved: Option<Saved>) -> (State, Vec<Effect>) {
    start(
        netpol_examples::all(),
        Startup {
            saved,
            progress: None,
            search: search.into(),
            hash: hash.into(),
            page_url: "https://x.test/".into(),
            worker: false,
        },
    )
}

#[test]
fn startup_restores_the_saved_work() {
    let mut saved = state().saved();
    saved.policies = "# mine\n".into();
    saved.view = View::AndOr;
    let (s, fx) = startup("", "", Some(saved.clone()));
    assert_eq!(s.saved(), saved);
    assert_eq!(s.page_url, "https://x.test/");
    assert!(!s.variants_due(), "the shown tab's data is computed");
    assert_eq!(fx, []);
}

#[test]
fn startup_share_link_wins_over_the_saved_work() {
    let mut linked = state();
    run(
        &mut linked,
        [
            Event::LoadExample("allow-dns".into()),
            Event::SelectFlow {
                from: "app/api".into(),
                to: "kube-system/coredns".into(),
            },
        ],
    );
    let ex = linked.learn.data.exercises[1].id.clone();
    let frag = netpol_share::to_fragment(&to_share(&linked, Some(&ex), None));
    let (s, fx) = startup(&frag, "", Some(state().saved()));
    assert_eq!(s.saved(), linked.saved());
    assert_eq!(s.flow, linked.flow);
    assert_eq!(s.learn.exercise, Some(1));
    assert_eq!(
        fx,
        [
            Effect::Save(linked.saved()),
            Effect::ClearFragment,
            Effect::ShowExplanation,
            Effect::ScrollLearnToTop
        ]
    );
    // Embedded: the link is shown, nothing is saved and the address bar is left alone.
    let (s, fx) = startup(&frag, "?embed=1&view=graph", None);
    assert_eq!(s.policies, linked.policies);
    assert_eq!(s.view, View::Graph);
    assert!(s.embed.is_some());
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Save(_) | Effect::ClearFragment)),
        "{fx:?}"
    );
}

#[test]
fn startup_with_a_broken_link_shows_the_default_scenario() {
    let mut saved = state().saved();
    saved.policies = "# mine\n".into();
    let (s, fx) = startup("#s=v1.broken", "", Some(saved));
    assert_eq!(s.saved(), state().saved());
    assert!(s.learn.share_error.is_some());
    assert_eq!(fx, [Effect::ClearFragment]);
    // An embed without a link shows the default scenario, not this browser's saved work.
    let mut saved = state().saved();
    saved.policies = "# mine\n".into();
    let (s, _) = startup("", "?embed=1", Some(saved));
    assert_eq!(s.saved(), state().saved());
}

#[test]
fn startup_records_a_completed_exercise() {
    let mut done = state();
    update(&mut done, Event::Learn(LearnEvent::OpenExercise(0)));
    update(&mut done, Event::Learn(LearnEvent::UseSolution));
    let id = done.learn.data.exercises[0].id.clone();
    let frag = netpol_share::to_fragment(&to_share(&done, Some(&id), None));
    let (s, fx) = startup(&frag, "", None);
    assert!(s.learn.progress.completed.contains(&id));
    assert!(fx.contains(&Effect::SaveProgress(s.learn.progress.clone())));
}
