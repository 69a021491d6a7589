//! The page: everything the shell renders, as one piece of plain, serialisable data built from
//! the [`State`] by [`page`]. The shell reads only a `Page` (never the `State`), so the core can
//! run in a Web Worker and send a `Page` after each batch of events (`protocol.rs`).

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::diff::LintVm;
use super::diff_view::{andor_vm, compare_vm, AndOrVm, CompareVm};
use super::evaluation::Editor;
use super::learn::{Menu, Solution};
use super::share;
use super::state::{EmbedParams, State, View};
use super::view::{lint_diags, view_model, DiagVm, ViewModel};

/// What the shell renders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page {
    pub vm: ViewModel,
    /// The AND vs OR tab, when it shows (`None` there: the variants are still looked for).
    pub andor: Option<Rc<AndOrVm>>,
    /// The Compare tab, when it shows.
    pub compare: Option<Rc<CompareVm>>,
    /// The lints shown (none while an exercise hides them).
    pub lints: Rc<Vec<LintVm>>,
    /// The lints as diagnostics of the editors' gutters, both editors.
    pub lint_diags: Rc<Vec<DiagVm>>,
    /// How many lints an exercise hides until "Check my work".
    pub hidden_lints: usize,
    /// The lints belong to an older evaluation and wait for a pause in typing: `lints` is
    /// empty, and the page keeps showing the last ones it had (`remote.rs`), so the list and
    /// the editors above it do not collapse and grow back on every keystroke.
    #[serde(default)]
    pub lints_pending: bool,
    pub group_replicas: bool,
    /// The hovered or focused endpoint's name.
    pub hover: Option<String>,
    pub learn: LearnVm,
    /// Embed mode (`?embed=1`).
    pub embed: Option<EmbedVm>,
}

impl Page {
    /// The lint diagnostics of one editor's gutter.
    pub fn lint_diags(&self, editor: Editor) -> impl Iterator<Item = &DiagVm> {
        self.lint_diags.iter().filter(move |d| d.editor == editor)
    }

    /// True when the Learn column is shown.
    pub fn learn_open(&self) -> bool {
        self.learn.menu != Menu::Closed
    }
}

/// The embed layout's parameters and its "Open in playground" link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbedVm {
    pub params: EmbedParams,
    pub open: String,
}

/// The Learn side: header buttons, share banner, tutorial and exercises.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LearnVm {
    pub menu: Menu,
    pub share_error: Option<String>,
    pub share_url: Option<String>,
    pub snippet: Option<String>,
    pub exercises: Vec<ExerciseItemVm>,
    /// The open exercise (also when its list is closed: the Reset button names it).
    pub exercise: Option<ExerciseVm>,
    /// The tutorial, when its column shows.
    pub tutorial: Option<TutorialVm>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExerciseItemVm {
    pub id: String,
    pub title: String,
    pub level: String,
    pub completed: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExerciseVm {
    pub id: String,
    pub title: String,
    pub level: String,
    /// Markdown.
    pub story: String,
    /// The hints revealed so far.
    pub hints: Vec<String>,
    /// The hint button's label, `None` when every hint is shown.
    pub hint_label: Option<String>,
    pub solution: Solution,
    /// The reference solution, once shown.
    pub solution_text: String,
    pub goals: Vec<GoalVm>,
    pub lints_shown: bool,
    /// A Reset can be undone.
    pub can_undo_reset: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalVm {
    pub description: String,
    pub met: bool,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TutorialVm {
    /// Steps seen, of `steps.len()`.
    pub seen: usize,
    pub current: usize,
    pub steps: Vec<StepItemVm>,
    pub title: String,
    /// The current step's Markdown.
    pub markdown: String,
    /// The current step's highlights: (`flow`, `policy` or `pod`; label).
    pub chips: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepItemVm {
    pub title: String,
    pub seen: bool,
}

/// Builds everything the shell renders.
pub fn page(state: &State) -> Page {
    let vm = view_model(state);
    let andor = (state.view == View::AndOr)
        .then(|| andor_vm(state))
        .flatten()
        .map(Rc::new);
    let compare = (state.view == View::Compare).then(|| Rc::new(compare_vm(state)));
    let embed = state.embed.as_ref().map(|params| {
        let frag = netpol_share::to_fragment(&share::to_share(
            state,
            state.learn.exercise_id(),
            state.learn.step.map(|s| s as u32),
        ));
        EmbedVm {
            params: params.clone(),
            open: format!("{}{frag}", state.page_url),
        }
    });
    Page {
        vm,
        andor,
        compare,
        lints: Rc::new(state.lints().to_vec()),
        lint_diags: [Editor::Policies, Editor::Cluster]
            .into_iter()
            .flat_map(|e| lint_diags(state, e))
            .collect::<Vec<_>>()
            .into(),
        hidden_lints: state.hidden_lints(),
        lints_pending: state.lints_due() && !state.learn.hides_lints(),
        group_replicas: state.group_replicas,
        hover: state.hover.clone(),
        learn: learn_vm(state),
        embed,
    }
}

fn learn_vm(state: &State) -> LearnVm {
    let l = &state.learn;
    let exercises = l
        .data
        .exercises
        .iter()
        .map(|e| ExerciseItemVm {
            id: e.id.clone(),
            title: e.ex.title.clone(),
            level: e.ex.level.as_str().to_string(),
            completed: l.progress.completed.contains(&e.id),
        })
        .collect();
    let exercise = l
        .exercise
        .and_then(|i| l.data.exercises.get(i))
        .map(|item| {
            let ex = &item.ex;
            ExerciseVm {
                id: item.id.clone(),
                title: ex.title.clone(),
                level: ex.level.as_str().to_string(),
                story: ex.story.clone(),
                hints: ex.hints.iter().take(l.hints).cloned().collect(),
                hint_label: l.hint_label(),
                solution: l.solution,
                solution_text: if l.solution == Solution::Shown {
                    ex.solution.clone()
                } else {
                    String::new()
                },
                goals: l
                    .goals()
                    .map(|g| {
                        g.iter()
                            .map(|g| GoalVm {
                                description: g.description.clone(),
                                met: g.met,
                                detail: g.detail.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                lints_shown: l.lints_shown,
                can_undo_reset: l.before_reset.is_some(),
            }
        });
    let tutorial = (l.menu == Menu::Tutorial).then(|| {
        let (seen, _) = l.tutorial_progress();
        let current = l.step.unwrap_or(0);
        let step = l.data.steps.get(current);
        TutorialVm {
            seen,
            current,
            steps: l
                .data
                .steps
                .iter()
                .map(|s| StepItemVm {
                    title: s.step.title.clone(),
                    seen: l.progress.steps_seen.contains(&s.id),
                })
                .collect(),
            title: step.map(|s| s.step.title.clone()).unwrap_or_default(),
            markdown: step.map(|s| s.markdown.to_string()).unwrap_or_default(),
            chips: step
                .map(|s| s.step.highlight.iter().map(chip).collect())
                .unwrap_or_default(),
        }
    });
    LearnVm {
        menu: l.menu,
        share_error: l.share_error.clone(),
        share_url: l.share_url.clone(),
        snippet: l.snippet.clone(),
        exercises,
        exercise,
        tutorial,
    }
}

fn chip(h: &netpol_engine::exercise::Highlight) -> (String, String) {
    use netpol_engine::exercise::Highlight;
    match h {
        Highlight::Flow { from, to, port } => ("flow".into(), format!("{from} → {to} ({port})")),
        Highlight::Policy(id) => ("policy".into(), id.clone()),
        Highlight::Pod(id) => ("pod".into(), id.clone()),
    }
}
