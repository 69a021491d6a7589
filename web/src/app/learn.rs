//! The Learn side's state machine (issues 5 and 6): the tutorial, the exercises with their live
//! goal checklist, and the learner's progress. Opening a lesson gives a [`Scenario`] that
//! `update` loads into the playground in one step (one evaluation); the shell's `learn.rs`
//! renders the panels.

use std::collections::BTreeSet;
use std::rc::Rc;

use netpol_engine::exercise::Highlight;
use netpol_engine::{
    check_exercise, parse_exercise, parse_tutorial_step, Exercise, GoalResult, PortProto,
    TutorialStep,
};
use serde::{Deserialize, Serialize};

/// The localStorage key of the learner's progress.
pub const PROGRESS_KEY: &str = "netpol-learn-v1";

#[derive(Debug)]
pub struct ExerciseItem {
    /// The file stem, e.g. `01-lock-down-the-database`.
    pub id: String,
    pub ex: Exercise,
}

#[derive(Debug)]
pub struct StepItem {
    pub id: String,
    pub markdown: &'static str,
    pub step: TutorialStep,
}

/// The embedded exercises and tutorial steps, parsed (a malformed file is left out; the
/// `netpol-examples` tests make sure none is).
#[derive(Debug)]
pub struct LearnData {
    pub exercises: Vec<ExerciseItem>,
    pub steps: Vec<StepItem>,
}

impl LearnData {
    pub fn load() -> LearnData {
        LearnData {
            exercises: netpol_examples::exercises()
                .into_iter()
                .filter_map(|f| {
                    parse_exercise(f.yaml).ok().map(|ex| ExerciseItem {
                        id: f.id.to_string(),
                        ex,
                    })
                })
                .collect(),
            steps: netpol_examples::tutorial()
                .into_iter()
                .filter_map(|f| {
                    parse_tutorial_step(f.yaml).ok().map(|step| StepItem {
                        id: f.id.to_string(),
                        markdown: f.markdown,
                        step,
                    })
                })
                .collect(),
        }
    }
}

/// What survives a reload (JSON in localStorage).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// Ids of the exercises whose goals were all met once.
    #[serde(default)]
    pub completed: BTreeSet<String>,
    /// Ids of the tutorial steps opened.
    #[serde(default)]
    pub steps_seen: BTreeSet<String>,
    /// The last tutorial step opened.
    #[serde(default)]
    pub step: Option<usize>,
}

/// Which list the Learn panel shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Menu {
    Closed,
    Tutorial,
    Exercises,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Solution {
    Hidden,
    Confirming,
    Shown,
}

/// The events of the Learn side and of the share buttons (wrapped in `Event::Learn`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LearnEvent {
    /// A header button: opens that list, or closes it when it is open.
    Menu(Menu),
    /// From an exercise back to the list.
    BackToList,
    Close,
    OpenExercise(usize),
    OpenStep(usize),
    Hint,
    AskSolution,
    CancelSolution,
    ConfirmSolution,
    /// Put the reference solution into the policies editor.
    UseSolution,
    RestartExercise,
    CopyLink,
    EmbedSnippet,
    DismissShare,
    DismissError,
    /// Show the n-th highlight of the open tutorial step.
    ShowHighlight(usize),
    /// In an exercise: show (or hide again) the teaching lints, which give the answer away.
    ShowLints(bool),
    /// In an exercise: put back the texts the last Reset replaced.
    UndoReset,
}

/// What a lesson puts into the playground: both texts, the port to show and what to highlight.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scenario {
    pub policies: String,
    pub cluster: String,
    /// A port picker value (`80/TCP`).
    pub port: Option<String>,
    pub highlights: Vec<Highlight>,
}

/// The goals of an exercise (index) for a policies text.
type GoalsCache = (String, usize, Rc<Vec<GoalResult>>);

/// The state of the Learn side and of the share buttons, held in `State::learn`.
#[derive(Debug)]
pub struct Learn {
    pub data: Rc<LearnData>,
    pub progress: Progress,
    pub menu: Menu,
    /// The open exercise (index into `data.exercises`).
    pub exercise: Option<usize>,
    /// The open tutorial step.
    pub step: Option<usize>,
    /// Hints revealed for the open exercise.
    pub hints: usize,
    pub solution: Solution,
    /// The learner asked to see the teaching lints in the open exercise ("Check my work").
    pub lints_shown: bool,
    /// The texts (policies, cluster) a Reset inside the open exercise replaced, for its undo.
    pub before_reset: Option<(String, String)>,
    /// A share link that could not be opened (dismissible).
    pub share_error: Option<String>,
    /// The last link copied / embed snippet made.
    pub share_url: Option<String>,
    pub snippet: Option<String>,
    /// (policies, exercise) → goals, refreshed by `update`.
    goals: Option<GoalsCache>,
}

impl Default for Learn {
    fn default() -> Learn {
        Learn::new()
    }
}

thread_local! {
    /// The lessons are compiled in: parsed once.
    static DATA: Rc<LearnData> = Rc::new(LearnData::load());
}

impl Learn {
    pub fn new() -> Learn {
        Learn {
            data: DATA.with(Rc::clone),
            progress: Progress::default(),
            menu: Menu::Closed,
            exercise: None,
            step: None,
            hints: 0,
            solution: Solution::Hidden,
            lints_shown: false,
            before_reset: None,
            share_error: None,
            share_url: None,
            snippet: None,
            goals: None,
        }
    }

    pub fn exercise_id(&self) -> Option<&str> {
        self.exercise
            .and_then(|i| self.data.exercises.get(i))
            .map(|e| e.id.as_str())
    }

    /// The starting state of exercise `i`: its cluster and starting policies, on the port of
    /// its first goal.
    pub fn exercise_start(&self, i: usize) -> Option<Scenario> {
        let ex = &self.data.exercises.get(i)?.ex;
        let port = ex
            .goals
            .first()
            .map(|g| g.port.clone())
            .or_else(|| ex.matrix.as_ref().map(|m| m.port.clone()));
        Some(Scenario {
            policies: ex.policies.clone(),
            cluster: ex.cluster.clone(),
            port: port.as_deref().map(normalize_port),
            highlights: Vec::new(),
        })
    }

    /// Opens exercise `i` (from its start): see [`Learn::exercise_start`]. Hints, the solution
    /// and the lints are hidden again.
    pub fn open_exercise(&mut self, i: usize) -> Option<Scenario> {
        let scenario = self.exercise_start(i)?;
        self.menu = Menu::Exercises;
        self.exercise = Some(i);
        self.step = None;
        self.hints = 0;
        self.solution = Solution::Hidden;
        self.lints_shown = false;
        self.before_reset = None;
        Some(scenario)
    }

    /// Leaves the open exercise for the exercise list (the editors keep their text).
    pub fn leave_exercise(&mut self) {
        self.menu = Menu::Exercises;
        self.exercise = None;
        self.before_reset = None;
    }

    /// True when the teaching lints are hidden: inside an exercise until the learner asks.
    pub fn hides_lints(&self) -> bool {
        self.exercise.is_some() && !self.lints_shown
    }

    /// Opens tutorial step `i`: its scenario, with the first highlight of each kind (one flow and
    /// one policy can be selected; the panel lists them all as buttons).
    pub fn open_step(&mut self, i: usize) -> Option<Scenario> {
        let item = self.data.steps.get(i)?;
        let step = &item.step;
        let (mut flow, mut policy, mut pod) = (false, false, false);
        let highlights = step
            .highlight
            .iter()
            .filter(|h| match h {
                Highlight::Flow { .. } => !std::mem::replace(&mut flow, true),
                Highlight::Policy(_) => !std::mem::replace(&mut policy, true),
                Highlight::Pod(_) => !std::mem::replace(&mut pod, true),
            })
            .cloned()
            .collect();
        let scenario = Scenario {
            policies: step.policies.clone(),
            cluster: step.cluster.clone(),
            port: Some(normalize_port(&step.port)),
            highlights,
        };
        self.progress.steps_seen.insert(item.id.clone());
        self.menu = Menu::Tutorial;
        self.step = Some(i);
        self.exercise = None;
        self.progress.step = Some(i);
        Some(scenario)
    }

    /// Leaves the exercise / tutorial (the editors keep their text).
    pub fn close(&mut self) {
        self.menu = Menu::Closed;
        self.exercise = None;
        self.step = None;
        self.before_reset = None;
    }

    /// The `k`-th highlight of the open tutorial step.
    pub fn step_highlight(&self, k: usize) -> Option<&Highlight> {
        self.data.steps.get(self.step?)?.step.highlight.get(k)
    }

    /// The open exercise's reference solution.
    pub fn solution_text(&self) -> Option<&str> {
        let item = self.data.exercises.get(self.exercise?)?;
        Some(&item.ex.solution)
    }

    /// Checks the open exercise's goals against `policies` unless they are known already.
    pub fn refresh_goals(&mut self, policies: &str) {
        let Some(i) = self.exercise else {
            return;
        };
        let Some(item) = self.data.exercises.get(i) else {
            return;
        };
        if let Some((p, j, _)) = &self.goals {
            if p == policies && *j == i {
                return;
            }
        }
        let (goals, _) = check_exercise(&item.ex, policies);
        self.goals = Some((policies.to_string(), i, Rc::new(goals)));
    }

    /// The goals of the open exercise, as of the last `refresh_goals`.
    pub fn goals(&self) -> Option<Rc<Vec<GoalResult>>> {
        let i = self.exercise?;
        let (_, j, g) = self.goals.as_ref()?;
        (*j == i).then(|| Rc::clone(g))
    }

    /// True when the open exercise's goals are all met.
    pub fn all_met(&self) -> bool {
        self.goals()
            .is_some_and(|g| !g.is_empty() && g.iter().all(|r| r.met))
    }

    /// Records the open exercise as completed when its goals are all met; true when that is new.
    pub fn record_completion(&mut self) -> bool {
        if !self.all_met() {
            return false;
        }
        match self.exercise_id().map(str::to_string) {
            Some(id) => self.progress.completed.insert(id),
            None => false,
        }
    }

    /// The hint button's label, `None` when every hint is shown.
    pub fn hint_label(&self) -> Option<String> {
        let total = self
            .exercise
            .and_then(|i| self.data.exercises.get(i))
            .map_or(0, |e| e.ex.hints.len());
        let left = total.saturating_sub(self.hints);
        (left > 0).then(|| format!("Show a hint ({left} left)"))
    }

    /// Tutorial progress: (steps seen, steps).
    pub fn tutorial_progress(&self) -> (usize, usize) {
        let seen = self
            .data
            .steps
            .iter()
            .filter(|s| self.progress.steps_seen.contains(&s.id))
            .count();
        (seen, self.data.steps.len())
    }
}

/// `80` → `80/TCP` (what the port picker's values look like).
pub fn normalize_port(p: &str) -> String {
    PortProto::parse(p).map_or_else(|_| p.to_string(), |pp| pp.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_loads() {
        let d = LearnData::load();
        assert_eq!(d.exercises.len(), netpol_examples::exercises().len());
        assert_eq!(d.steps.len(), netpol_examples::tutorial().len());
    }

    #[test]
    fn ports_are_normalized_like_the_picker() {
        assert_eq!(normalize_port("80"), "80/TCP");
        assert_eq!(normalize_port("53/UDP"), "53/UDP");
        assert_eq!(normalize_port("nonsense"), "nonsense");
    }

    #[test]
    fn open_step_keeps_the_first_highlight_of_each_kind() {
        let kind = |h: &Highlight| match h {
            Highlight::Flow { .. } => "flow",
            Highlight::Policy(_) => "policy",
            Highlight::Pod(_) => "pod",
        };
        let mut l = Learn::new();
        for i in 0..l.data.steps.len() {
            let s = l.open_step(i).unwrap();
            let kinds: BTreeSet<&str> = s.highlights.iter().map(kind).collect();
            assert_eq!(
                kinds.len(),
                s.highlights.len(),
                "step {i}: {:?}",
                s.highlights
            );
        }
        assert_eq!(l.open_step(99), None);
        assert_eq!(
            l.step,
            Some(l.data.steps.len() - 1),
            "a bad index changes nothing"
        );
    }
}
