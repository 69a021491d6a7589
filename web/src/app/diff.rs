//! The state behind the AND vs OR and Compare tabs and the teaching lints: the pinned baseline,
//! the undo stack of programmatic edits, and caches of what the engine computed for the current
//! evaluation (lints, AND/OR variants, the diff against the baseline). The events that change it
//! are handled in `update.rs`; the tabs' view models are in `diff_view.rs`.

use serde::{Deserialize, Serialize};
use std::rc::Rc;

use netpol_engine::{
    and_or_variants, apply_variant_text, compile, diff_models_unexplained, has_errors, lint, parse,
    Compiled, Diff, Input, Severity, Variant,
};

use super::evaluation::{Editor, Evaluation, CLUSTER, POLICIES};

/// How many programmatic edits can be undone.
pub const UNDO_DEPTH: usize = 20;

/// How long editing must pause before lints, variants and the compare diff are recomputed
/// (when [`DiffState::lazy`] is set).
pub const IDLE_MS: u64 = 150;

/// The events of the AND vs OR and Compare tabs and of the deferred work (wrapped in
/// `Event::Diff`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffEvent {
    /// Replace the policies text with variant `i` of the current list (undoable).
    ApplyVariant(usize),
    /// The app already put `after` into the textarea (keeping the browser's undo history):
    /// remember `before` for Undo and make sure the state holds `after`.
    Applied {
        before: String,
        after: String,
    },
    /// Restore the policies text before the last programmatic edit.
    Undo,
    PinBaseline,
    ClearBaseline,
    /// Editing paused: compute what was deferred (lints, variants, compare diff).
    Idle,
    /// `Idle` if no keystroke came since the timer numbered `seq` was started (the shell sends
    /// it [`IDLE_MS`] after the `Effect::WaitForIdle` of a keystroke).
    IdleAt(u32),
}

/// A lint, positioned for the diagnostics list and the gutters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintVm {
    pub editor: Editor,
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub fix: String,
}

/// The state of the diff tabs, held in `State::diff`.
#[derive(Debug, Default)]
pub struct DiffState {
    /// The pinned policies text of Compare mode (persisted).
    pub baseline: Option<String>,
    /// Policies texts before programmatic edits, the latest last.
    pub undo: Vec<String>,
    /// When set, keystrokes do not recompute lints, variants and the compare diff: they wait for
    /// [`DiffEvent::Idle`] (workshop-size inputs: lints ~1 ms, variants ~20 ms natively).
    pub lazy: bool,
    /// Numbers the idle timers: only the latest one's `IdleAt` counts.
    pub idle_seq: u32,
    lints: Vec<LintVm>,
    /// The evaluation `lints` belong to.
    lints_of: Option<Rc<Evaluation>>,
    pub(super) variants: Option<(Rc<Evaluation>, Rc<Vec<Variant>>)>,
    /// (baseline text, cluster text) → the baseline model, or its number of errors.
    pub(super) baseline_model: Option<(String, String, Result<Rc<Compiled>, usize>)>,
    pub(super) compare: Option<(Rc<Evaluation>, String, Rc<Diff>)>,
}

/// What a refresh of the caches reads from the rest of the state.
pub struct Current<'a> {
    /// The last valid evaluation, and whether the input has errors since.
    pub result: Option<&'a Rc<Evaluation>>,
    pub stale: bool,
    pub policies: &'a str,
    pub cluster: &'a str,
    /// Which tab is shown: the variants and the compare diff are only computed for their tab.
    pub and_or: bool,
    pub compare: bool,
}

fn same(a: &Option<Rc<Evaluation>>, b: Option<&Rc<Evaluation>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

impl DiffState {
    /// Pushes `before` on the undo stack, dropping the oldest entry beyond [`UNDO_DEPTH`].
    pub fn push_undo(&mut self, before: String) {
        self.undo.push(before);
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
    }

    pub fn clear_baseline(&mut self) {
        self.baseline = None;
        self.compare = None;
        self.baseline_model = None;
    }

    /// Recomputes what is out of date for the current evaluation and tab.
    pub fn refresh(&mut self, cur: Current<'_>) {
        self.refresh_lints(&cur);
        let Some(r) = cur.result else {
            return;
        };
        if cur.and_or
            && !self
                .variants
                .as_ref()
                .is_some_and(|(e, _)| Rc::ptr_eq(e, r))
        {
            self.variants = Some((Rc::clone(r), Rc::new(and_or_variants(&r.model))));
        }
        if cur.compare {
            if let Some(base) = self.baseline.clone() {
                self.refresh_compare(r, base, cur.cluster);
            }
        }
    }

    fn refresh_lints(&mut self, cur: &Current<'_>) {
        if same(&self.lints_of, cur.result) {
            return;
        }
        match cur.result {
            Some(r) if !cur.stale => {
                self.lints = compute_lints(r, cur.policies, cur.cluster);
                self.lints_of = Some(Rc::clone(r));
            }
            _ => {
                self.lints.clear();
                self.lints_of = None;
            }
        }
    }

    fn refresh_compare(&mut self, r: &Rc<Evaluation>, base: String, cluster: &str) {
        let cached = self
            .baseline_model
            .as_ref()
            .is_some_and(|(b, c, _)| *b == base && c == cluster);
        if !cached {
            let (model, diags) = parse(&[
                Input {
                    name: POLICIES,
                    text: &base,
                },
                Input {
                    name: CLUSTER,
                    text: cluster,
                },
            ]);
            let m = if has_errors(&diags) {
                Err(diags
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count())
            } else {
                Ok(Rc::new(compile(model)))
            };
            self.baseline_model = Some((base.clone(), cluster.to_string(), m));
            self.compare = None;
        }
        let fresh = self
            .compare
            .as_ref()
            .is_some_and(|(e, b, _)| Rc::ptr_eq(e, r) && *b == base);
        if !fresh {
            self.compare = match &self.baseline_model {
                // Different endpoints (pods in one policies text only): nothing to compare.
                // The view explains only the flows it lists (explaining every changed flow of
                // a 1,000-pod cluster ran out of memory).
                Some((_, _, Ok(bm))) => diff_models_unexplained(bm, &r.compiled)
                    .ok()
                    .map(|d| (Rc::clone(r), base, Rc::new(d))),
                _ => None,
            };
        }
    }

    /// The lints to show: none while the input has errors (their positions would be stale).
    pub fn lints(&self, result: Option<&Rc<Evaluation>>, stale: bool) -> &[LintVm] {
        if stale || !same(&self.lints_of, result) {
            &[]
        } else {
            &self.lints
        }
    }

    /// True when the lints are behind the current evaluation.
    pub fn lints_due(&self, result: Option<&Rc<Evaluation>>, stale: bool) -> bool {
        result.is_some() && !stale && !same(&self.lints_of, result)
    }

    /// True when the variants shown are those of an older evaluation (waiting for `Idle`).
    pub fn variants_due(&self, result: Option<&Rc<Evaluation>>) -> bool {
        match (&self.variants, result) {
            (Some((e, _)), Some(r)) => !Rc::ptr_eq(e, r),
            (None, Some(_)) => true,
            _ => false,
        }
    }

    /// The policies text with variant `i` applied, when it can be applied to the text as
    /// written.
    pub fn variant_text(&self, policies: &str, i: usize) -> Option<String> {
        let (_, vs) = self.variants.as_ref()?;
        apply_variant_text(policies, vs.get(i)?)
    }
}

/// Runs the engine's teaching lints on an evaluation of `policies` and `cluster`.
pub fn compute_lints(ev: &Evaluation, policies: &str, cluster: &str) -> Vec<LintVm> {
    let c = &ev.compiled;
    let texts: Vec<&str> = ev
        .model
        .files
        .iter()
        .map(|f| match f.as_str() {
            POLICIES => policies,
            CLUSTER => cluster,
            _ => "",
        })
        .collect();
    lint(c, &texts)
        .iter()
        .map(|l| {
            let d = l.to_diagnostic(&ev.model);
            LintVm {
                editor: Editor::from_name(&d.file).unwrap_or(Editor::Policies),
                line: d.line,
                col: d.col,
                severity: l.severity,
                code: l.code.to_string(),
                message: l.message.clone(),
                fix: l.fix.clone(),
            }
        })
        .collect()
}
