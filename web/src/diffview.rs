//! Issue 4 in the playground, the pure part: the AND/OR variants of the current policies, the
//! Compare mode against a pinned baseline, a small undo stack for programmatic edits of the
//! policies text, and the teaching lints. Data only (tested natively); the components live in
//! `andor.rs`, `compare.rs` and `lints.rs`. Every semantic answer comes from `netpol-engine`.

use std::rc::Rc;

use netpol_engine::diff::{PortDiff, VariantKind};
use netpol_engine::{
    and_or_variants, apply_variant_text, compile, diff_models, has_errors, lint, parse, Diff,
    Input, Model, PolicyType, PortProto, Severity, Variant,
};

use crate::core::{
    update, Editor, Evaluation, Event, Group, Mark, PortChoice, State, View, CLUSTER, POLICIES,
};

/// How many programmatic edits can be undone.
pub const UNDO_DEPTH: usize = 20;

/// The events of this module (wrapped in [`Event::Diff`]).
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// Editing paused: compute what was deferred (lints, variants, compare diff). The app sends
    /// this ~150 ms after the last keystroke when `DiffState::lazy` is set.
    Idle,
    /// `Idle` if no keystroke came since the timer numbered `seq` was started.
    IdleAt(u32),
}

/// A lint, positioned for the diagnostics list and the gutters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LintVm {
    pub editor: Editor,
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    pub code: String,
    pub message: String,
    pub fix: String,
}

/// The state of this module, held in `State::diff`.
#[derive(Debug, Default)]
pub struct DiffState {
    /// The pinned policies text of Compare mode (persisted).
    pub baseline: Option<String>,
    /// Policies texts before programmatic edits, the latest last.
    pub undo: Vec<String>,
    /// When set, edits do not recompute lints, variants and the compare diff: they wait for
    /// [`DiffEvent::Idle`] (workshop-size inputs: lints ~1 ms, variants ~20 ms natively).
    pub lazy: bool,
    /// Numbers the idle timers: only the latest one's `IdleAt` counts.
    pub idle_seq: u32,
    lints: Vec<LintVm>,
    /// The evaluation `lints` belong to.
    lints_of: Option<Rc<Evaluation>>,
    variants: Option<(Rc<Evaluation>, Rc<Vec<Variant>>)>,
    /// (baseline text, cluster text) → the baseline model, or its number of errors.
    baseline_model: Option<(String, String, Result<Rc<Model>, usize>)>,
    compare: Option<(Rc<Evaluation>, String, Rc<Diff>)>,
}

fn same(a: &Option<Rc<Evaluation>>, b: Option<&Rc<Evaluation>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

impl View {
    /// The tab's `data-view` value.
    pub fn value(self) -> &'static str {
        match self {
            View::Matrix => "matrix",
            View::Graph => "graph",
            View::AndOr => "andor",
            View::Compare => "compare",
        }
    }
}

/// Handles a [`DiffEvent`] (called by `core::update`).
pub fn apply(state: &mut State, ev: DiffEvent) {
    match ev {
        DiffEvent::ApplyVariant(i) => {
            if let Some(after) = variant_text(state, i) {
                let before = state.policies.clone();
                apply(state, DiffEvent::Applied { before, after });
            }
        }
        DiffEvent::Applied { before, after } => {
            state.diff.undo.push(before);
            if state.diff.undo.len() > UNDO_DEPTH {
                state.diff.undo.remove(0);
            }
            if state.policies != after {
                update(state, Event::Edit(Editor::Policies, after));
            }
        }
        DiffEvent::Undo => {
            if let Some(text) = state.diff.undo.pop() {
                if state.policies != text {
                    update(state, Event::Edit(Editor::Policies, text));
                }
            }
        }
        DiffEvent::PinBaseline => state.diff.baseline = Some(state.policies.clone()),
        DiffEvent::ClearBaseline => {
            state.diff.baseline = None;
            state.diff.compare = None;
            state.diff.baseline_model = None;
        }
        DiffEvent::Idle => refresh(state, false),
        DiffEvent::IdleAt(seq) => {
            if seq == state.diff.idle_seq {
                refresh(state, false);
            }
        }
    }
}

fn refresh_lints(state: &mut State) {
    if same(&state.diff.lints_of, state.result.as_ref()) {
        return;
    }
    match &state.result {
        Some(r) if !state.stale => {
            state.diff.lints = compute_lints(r, &state.policies, &state.cluster);
            state.diff.lints_of = Some(Rc::clone(r));
        }
        _ => {
            state.diff.lints.clear();
            state.diff.lints_of = None;
        }
    }
}

/// Recomputes what the current view needs when the evaluation changed (called by
/// `core::update` after every event but hovers; `edit` is true for keystrokes, which wait for
/// [`DiffEvent::Idle`] when `DiffState::lazy` is set).
pub fn refresh(state: &mut State, edit: bool) {
    if edit && state.diff.lazy {
        return;
    }
    refresh_lints(state);
    let Some(r) = state.result.clone() else {
        return;
    };
    if state.view == View::AndOr
        && !state
            .diff
            .variants
            .as_ref()
            .is_some_and(|(e, _)| Rc::ptr_eq(e, &r))
    {
        state.diff.variants = Some((Rc::clone(&r), Rc::new(and_or_variants(&r.model))));
    }
    if state.view == View::Compare {
        if let Some(base) = state.diff.baseline.clone() {
            let cached = state
                .diff
                .baseline_model
                .as_ref()
                .is_some_and(|(b, c, _)| *b == base && *c == state.cluster);
            if !cached {
                let (model, diags) = parse(&[
                    Input {
                        name: POLICIES,
                        text: &base,
                    },
                    Input {
                        name: CLUSTER,
                        text: &state.cluster,
                    },
                ]);
                let m = if has_errors(&diags) {
                    Err(diags
                        .iter()
                        .filter(|d| d.severity == Severity::Error)
                        .count())
                } else {
                    Ok(Rc::new(model))
                };
                state.diff.baseline_model = Some((base.clone(), state.cluster.clone(), m));
                state.diff.compare = None;
            }
            let fresh = state
                .diff
                .compare
                .as_ref()
                .is_some_and(|(e, b, _)| Rc::ptr_eq(e, &r) && *b == base);
            if !fresh {
                state.diff.compare = match &state.diff.baseline_model {
                    // Different endpoints (pods in one policies text only): nothing to compare.
                    Some((_, _, Ok(bm))) => diff_models(&compile(bm), &compile(&r.model))
                        .ok()
                        .map(|d| (Rc::clone(&r), base, Rc::new(d))),
                    _ => None,
                };
            }
        }
    }
}

/// Runs the engine's teaching lints on an evaluation of `policies` and `cluster`.
pub fn compute_lints(ev: &Evaluation, policies: &str, cluster: &str) -> Vec<LintVm> {
    let c = compile(&ev.model);
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
    lint(&c, &texts)
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

/// The lints to show: none while the input has errors (their positions would be stale).
pub fn lints(state: &State) -> &[LintVm] {
    if state.stale || !same(&state.diff.lints_of, state.result.as_ref()) {
        &[]
    } else {
        &state.diff.lints
    }
}

/// True when the lints are behind the current evaluation.
pub fn lints_due(state: &State) -> bool {
    state.result.is_some() && !state.stale && !same(&state.diff.lints_of, state.result.as_ref())
}

/// True when the variants shown are those of an older evaluation (waiting for `Idle`).
pub fn variants_due(state: &State) -> bool {
    match (&state.diff.variants, &state.result) {
        (Some((e, _)), Some(r)) => !Rc::ptr_eq(e, r),
        (None, Some(_)) => true,
        _ => false,
    }
}

/// Lints as diagnostics, for the editors' gutters.
pub fn lint_diags(state: &State, editor: Editor) -> Vec<crate::core::DiagVm> {
    lints(state)
        .iter()
        .filter(|l| l.editor == editor)
        .map(|l| crate::core::DiagVm {
            editor: l.editor,
            line: l.line,
            col: l.col,
            severity: l.severity,
            code: l.code.clone(),
            message: format!("{} [{}] Fix: {}", l.message, l.code, l.fix),
        })
        .collect()
}

/// The policies text with variant `i` applied, when it can be applied to the text as written.
pub fn variant_text(state: &State, i: usize) -> Option<String> {
    let (_, vs) = state.diff.variants.as_ref()?;
    apply_variant_text(&state.policies, vs.get(i)?)
}

// ---------------------------------------------------------------------------------------------
// View models
// ---------------------------------------------------------------------------------------------

/// A run of characters of a YAML line; `changed` marks what differs from the other side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seg {
    pub text: String,
    pub changed: bool,
}

/// The two fragments line by line, each line split into unchanged / changed runs (common prefix
/// and suffix unchanged, the middle changed; a line without counterpart is changed as a whole).
pub fn line_diff(a: &str, b: &str) -> (Vec<Vec<Seg>>, Vec<Vec<Seg>>) {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.lines().collect(), b.lines().collect());
    let whole = |s: &str| {
        vec![Seg {
            text: s.to_string(),
            changed: true,
        }]
    };
    let mut out = (Vec::new(), Vec::new());
    for i in 0..la.len().max(lb.len()) {
        match (la.get(i), lb.get(i)) {
            (Some(x), Some(y)) => {
                let (sx, sy) = line_segs(x, y);
                out.0.push(sx);
                out.1.push(sy);
            }
            (Some(x), None) => out.0.push(whole(x)),
            (None, Some(y)) => out.1.push(whole(y)),
            (None, None) => {}
        }
    }
    out
}

fn line_segs(x: &str, y: &str) -> (Vec<Seg>, Vec<Seg>) {
    let (xc, yc): (Vec<char>, Vec<char>) = (x.chars().collect(), y.chars().collect());
    let p = xc.iter().zip(&yc).take_while(|(a, b)| a == b).count();
    let max_s = xc.len().min(yc.len()) - p;
    let s = xc
        .iter()
        .rev()
        .zip(yc.iter().rev())
        .take(max_s)
        .take_while(|(a, b)| a == b)
        .count();
    let segs = |c: &[char]| {
        let parts = [
            (&c[..p], false),
            (&c[p..c.len() - s], true),
            (&c[c.len() - s..], false),
        ];
        parts
            .iter()
            .filter(|(t, _)| !t.is_empty())
            .map(|(t, changed)| Seg {
                text: t.iter().collect(),
                changed: *changed,
            })
            .collect::<Vec<_>>()
    };
    (segs(&xc), segs(&yc))
}

/// A flow's change in a diff view: relative to "before → after" of the view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Gained,
    Lost,
}

impl Change {
    pub fn value(self) -> &'static str {
        match self {
            Change::Gained => "gained",
            Change::Lost => "lost",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Change::Gained => "+",
            Change::Lost => "−",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffHeader {
    pub name: String,
    pub short: String,
    pub external: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffCell {
    /// The verdict with the CURRENT policies.
    pub mark: Mark,
    pub change: Option<Change>,
    pub title: String,
}

/// A flow matrix with the changed cells marked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffMatrixVm {
    pub port_label: String,
    pub headers: Vec<DiffHeader>,
    pub groups: Vec<Group>,
    pub cells: Vec<Vec<DiffCell>>,
    pub gained: usize,
    pub lost: usize,
}

fn range_label(d: &PortDiff) -> String {
    if d.first == d.last {
        d.port.to_string()
    } else {
        format!("{}–{}/{}", d.first, d.last, d.port.protocol)
    }
}

/// The matrix on `pp` with the changes of `d` marked. `after_label`/`before_label` word the two
/// sides for tooltips; `current_is_after` says which side the shown verdicts are.
fn diff_matrix(
    ev: &Evaluation,
    pp: PortProto,
    d: Option<&PortDiff>,
    words: (&str, &str),
) -> DiffMatrixVm {
    let n = ev.n();
    let mut change = vec![None; n * n];
    let mut counts = (0, 0);
    if let Some(d) = d {
        for f in &d.gained {
            change[f.from * n + f.to] = Some(Change::Gained);
            counts.0 += 1;
        }
        for f in &d.lost {
            change[f.from * n + f.to] = Some(Change::Lost);
            counts.1 += 1;
        }
    }
    let cells = (0..n)
        .map(|from| {
            (0..n)
                .map(|to| {
                    let mark = match ev.cell(from, to, pp) {
                        netpol_engine::Cell::Allowed => Mark::Allow,
                        netpol_engine::Cell::Denied => Mark::Deny,
                        netpol_engine::Cell::NotApplicable => Mark::NotApplicable,
                    };
                    let ch = change[from * n + to];
                    let flow = format!(
                        "{} → {} on {pp}",
                        ev.endpoints[from].name, ev.endpoints[to].name
                    );
                    let title = match ch {
                        Some(Change::Gained) => {
                            format!("{flow}: + gained — denied {}, allowed {}", words.0, words.1)
                        }
                        Some(Change::Lost) => {
                            format!("{flow}: − lost — allowed {}, denied {}", words.0, words.1)
                        }
                        None => format!("{flow}: {} (unchanged)", mark.word()),
                    };
                    DiffCell {
                        mark,
                        change: ch,
                        title,
                    }
                })
                .collect()
        })
        .collect();
    DiffMatrixVm {
        port_label: pp.to_string(),
        headers: ev
            .endpoints
            .iter()
            .map(|e| DiffHeader {
                name: e.name.clone(),
                short: e.short.clone(),
                external: e.external,
            })
            .collect(),
        groups: ev.groups.clone(),
        cells,
        gained: counts.0,
        lost: counts.1,
    }
}

/// "N flows gained / M lost on P port ranges".
pub fn count_sentence(d: &Diff) -> String {
    let gained: usize = d.ports.iter().map(|p| p.gained.len()).sum();
    let lost: usize = d.ports.iter().map(|p| p.lost.len()).sum();
    let ranges = d
        .ports
        .iter()
        .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
        .count();
    format!(
        "{gained} flow{} gained / {lost} lost on {ranges} port range{}",
        if gained == 1 { "" } else { "s" },
        if ranges == 1 { "" } else { "s" }
    )
}

/// The range with the most changes.
fn most_changed(d: &Diff) -> Option<&PortDiff> {
    d.ports
        .iter()
        .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
        .max_by_key(|p| (p.gained.len() + p.lost.len(), std::cmp::Reverse(p.first)))
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantVm {
    pub index: usize,
    pub policy_id: String,
    pub direction: &'static str,
    /// 1-based rule number.
    pub rule: usize,
    /// `split` (AND → OR) or `merge` (OR → AND).
    pub kind: &'static str,
    pub title: String,
    pub current_label: &'static str,
    pub variant_label: &'static str,
    pub current_lines: Vec<Vec<Seg>>,
    pub variant_lines: Vec<Vec<Seg>>,
    pub current_meaning: String,
    pub variant_meaning: String,
    pub no_effect: bool,
    pub counts: String,
    pub matrix: Option<DiffMatrixVm>,
    /// The policies text with the variant applied (`None`: not applicable to the text as
    /// written, e.g. flow-style items).
    pub new_text: Option<String>,
    /// Where the items are written.
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AndOrVm {
    pub variants: Vec<VariantVm>,
    /// The text Undo restores.
    pub undo_text: Option<String>,
    pub stale: bool,
}

/// The AND vs OR view (computed in `refresh` when the view is shown).
pub fn andor_vm(state: &State) -> Option<AndOrVm> {
    let (ev, vs) = state.diff.variants.as_ref()?;
    let variants = vs
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (current_lines, variant_lines) = line_diff(&v.current_yaml, &v.variant_yaml);
            let (kind, title, cl, vl) = match v.kind {
                VariantKind::SplitAnd { .. } => (
                    "split",
                    "One item with both selectors (AND) — split it into two items (OR)?",
                    "Now: one item (AND)",
                    "Variant: two items (OR)",
                ),
                VariantKind::MergeOr { .. } => (
                    "merge",
                    "Two items (OR) — merge them into one item (AND)?",
                    "Now: two items (OR)",
                    "Variant: one item (AND)",
                ),
            };
            let m = most_changed(&v.diff);
            let span = v.spans.first().copied().unwrap_or_default();
            VariantVm {
                index: i,
                policy_id: v.policy_id.clone(),
                direction: match v.direction {
                    PolicyType::Ingress => "ingress",
                    PolicyType::Egress => "egress",
                },
                rule: v.rule + 1,
                kind,
                title: title.to_string(),
                current_label: cl,
                variant_label: vl,
                current_lines,
                variant_lines,
                current_meaning: v.current_meaning.clone(),
                variant_meaning: v.variant_meaning.clone(),
                no_effect: v.no_effect(),
                counts: count_sentence(&v.diff),
                matrix: m.map(|d| diff_matrix(ev, d.port, Some(d), ("now", "with the variant"))),
                // Only meaningful while the texts are those the variants were computed from.
                new_text: (!state.stale
                    && state.result.as_ref().is_some_and(|r| Rc::ptr_eq(ev, r)))
                .then(|| apply_variant_text(&state.policies, v))
                .flatten(),
                line: span.line,
                col: span.col,
            }
        })
        .collect();
    Some(AndOrVm {
        variants,
        undo_text: state.diff.undo.last().cloned(),
        stale: state.stale,
    })
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowVm {
    pub from: String,
    pub to: String,
    pub change: Change,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RangeVm {
    pub label: String,
    pub flows: Vec<FlowVm>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompareVm {
    pub pinned: bool,
    /// Why there is no diff (the baseline does not parse with the current cluster, …).
    pub error: Option<String>,
    pub equivalent: bool,
    pub counts: String,
    pub matrix: Option<DiffMatrixVm>,
    pub ranges: Vec<RangeVm>,
    pub undo_text: Option<String>,
    pub stale: bool,
}

/// The Compare view: the current policies against the pinned baseline.
pub fn compare_vm(state: &State) -> CompareVm {
    let mut vm = CompareVm {
        pinned: state.diff.baseline.is_some(),
        error: None,
        equivalent: false,
        counts: String::new(),
        matrix: None,
        ranges: Vec::new(),
        undo_text: state.diff.undo.last().cloned(),
        stale: state.stale,
    };
    if !vm.pinned {
        return vm;
    }
    if let Some((_, _, Err(n))) = &state.diff.baseline_model {
        vm.error = Some(format!(
            "The baseline has {n} error{} with the current cluster; clear it and pin again.",
            if *n == 1 { "" } else { "s" }
        ));
        return vm;
    }
    let (Some(ev), Some((_, _, d))) = (state.result.as_deref(), &state.diff.compare) else {
        vm.error = Some("Nothing to compare yet: fix the errors in the editors.".into());
        return vm;
    };
    vm.equivalent = d.is_empty();
    vm.counts = count_sentence(d);
    let name = |i: usize| {
        ev.endpoints
            .get(i)
            .map_or(String::new(), |e| e.name.clone())
    };
    let sentences = |e: &Option<netpol_engine::Explanation>| {
        e.as_ref().map(|e| e.sentences()).unwrap_or_default()
    };
    for p in &d.ports {
        if p.gained.is_empty() && p.lost.is_empty() {
            continue;
        }
        let flows = p
            .gained
            .iter()
            .map(|f| (f, Change::Gained))
            .chain(p.lost.iter().map(|f| (f, Change::Lost)))
            .map(|(f, change)| FlowVm {
                from: name(f.from),
                to: name(f.to),
                change,
                before: sentences(&f.before),
                after: sentences(&f.after),
            })
            .collect();
        vm.ranges.push(RangeVm {
            label: range_label(p),
            flows,
        });
    }
    // The shown port's range, else the most changed one.
    let words = ("at the baseline", "now");
    vm.matrix = match state.port_choice() {
        PortChoice::One(pp) => {
            let r = d.ports.iter().find(|p| {
                p.port.protocol == pp.protocol && p.first <= pp.port && pp.port <= p.last
            });
            Some(diff_matrix(ev, pp, r, words))
        }
        PortChoice::All => most_changed(d)
            .or(d.ports.first())
            .map(|r| diff_matrix(ev, r.port, Some(r), words)),
    };
    vm
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::{view_model, State};

    fn cross_ns() -> State {
        let mut s = State::new(netpol_examples::all());
        update(&mut s, Event::LoadExample("cross-namespace".into()));
        s
    }

    fn diff_cells(m: &DiffMatrixVm, c: Change) -> Vec<(String, String)> {
        let mut out = Vec::new();
        for (f, row) in m.cells.iter().enumerate() {
            for (t, cell) in row.iter().enumerate() {
                if cell.change == Some(c) {
                    out.push((m.headers[f].name.clone(), m.headers[t].name.clone()));
                }
            }
        }
        out
    }

    #[test]
    fn line_diff_marks_the_dash() {
        let (a, b) = line_diff(
            "- namespaceSelector: {}\n  podSelector: {}\n",
            "- namespaceSelector: {}\n- podSelector: {}\n",
        );
        assert_eq!(a[0].len(), 1);
        assert!(!a[0][0].changed);
        assert_eq!(
            a[1],
            vec![
                Seg {
                    text: " ".into(),
                    changed: true
                },
                Seg {
                    text: " podSelector: {}".into(),
                    changed: false
                }
            ]
        );
        assert_eq!(b[1][0].text, "-");
        assert!(b[1][0].changed);
        // Lines without counterpart, and an indentation change.
        let (a, b) = line_diff("x\n    y\n", "x\n  y\nz\n");
        assert_eq!(a[1][1].text, "  ");
        assert!(a[1][1].changed && !a[1][0].changed);
        assert!(b[1].iter().all(|s| !s.changed), "{:?}", b[1]);
        assert!(b[2][0].changed);
    }

    #[test]
    fn cross_namespace_variant_gains_web_admin() {
        let mut s = cross_ns();
        update(&mut s, Event::SelectView(View::AndOr));
        let vm = andor_vm(&s).expect("variants");
        assert_eq!(vm.variants.len(), 1);
        let v = &vm.variants[0];
        assert_eq!(v.kind, "split");
        assert_eq!(v.policy_id, "app/api-allow-web-frontend");
        assert!(!v.no_effect);
        assert_eq!(v.counts, "1 flow gained / 0 lost on 1 port range");
        let m = v.matrix.as_ref().unwrap();
        assert_eq!(m.port_label, "8080/TCP");
        assert_eq!(
            diff_cells(m, Change::Gained),
            [("web/admin".to_string(), "app/api".to_string())]
        );
        assert!(diff_cells(m, Change::Lost).is_empty());
        assert!(
            v.current_meaning.starts_with("AND"),
            "{}",
            v.current_meaning
        );
        assert!(v.variant_meaning.starts_with("OR"), "{}", v.variant_meaning);
        // The dash of the split item is highlighted on the variant side.
        assert!(v
            .variant_lines
            .iter()
            .any(|l| l.iter().any(|s| s.changed && s.text == "-")));
        assert!(v.new_text.is_some());
        assert!(vm.undo_text.is_none());
    }

    #[test]
    fn apply_and_undo() {
        let mut s = cross_ns();
        update(&mut s, Event::SelectView(View::AndOr));
        let before = s.policies.clone();
        update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
        assert_ne!(s.policies, before);
        assert_eq!(s.diff.undo, std::slice::from_ref(&before));
        let vm = view_model(&s);
        let m = vm.matrix.as_ref().unwrap();
        let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
        assert_eq!(m.cells[i("web/admin")][i("app/api")].mark, Mark::Allow);
        // The applied text now has the OR reading: the reverse variant is a merge with a loss.
        let av = andor_vm(&s).unwrap();
        assert_eq!(av.variants.len(), 1);
        assert_eq!(av.variants[0].kind, "merge");
        assert_eq!(
            av.variants[0].counts,
            "0 flows gained / 1 lost on 1 port range"
        );
        assert_eq!(av.undo_text.as_deref(), Some(before.as_str()));
        update(&mut s, Event::Diff(DiffEvent::Undo));
        assert_eq!(s.policies, before);
        assert!(s.diff.undo.is_empty());
        let vm = view_model(&s);
        let m = vm.matrix.as_ref().unwrap();
        assert_eq!(m.cells[i("web/admin")][i("app/api")].mark, Mark::Deny);
        // Undo with an empty stack does nothing.
        update(&mut s, Event::Diff(DiffEvent::Undo));
        assert_eq!(s.policies, before);
        // `Applied` (the browser path) records `before` even when the text is already there.
        let after = variant_text(&s, 0).unwrap();
        update(&mut s, Event::Edit(Editor::Policies, after.clone()));
        update(
            &mut s,
            Event::Diff(DiffEvent::Applied {
                before: before.clone(),
                after: after.clone(),
            }),
        );
        assert_eq!(s.policies, after);
        assert_eq!(s.diff.undo, [before]);
    }

    #[test]
    fn undo_stack_is_bounded() {
        let mut s = cross_ns();
        let after = s.policies.clone();
        for i in 0..UNDO_DEPTH + 5 {
            update(
                &mut s,
                Event::Diff(DiffEvent::Applied {
                    before: format!("# {i}\n"),
                    after: after.clone(),
                }),
            );
        }
        assert_eq!(s.diff.undo.len(), UNDO_DEPTH);
        assert_eq!(s.diff.undo[0], "# 5\n");
    }

    #[test]
    fn variants_with_no_effect_are_listed() {
        let mut s = cross_ns();
        // No namespace is labelled team=nobody: both readings select no pod at all.
        let p = s.policies.replace("team: web", "team: nobody");
        update(&mut s, Event::Edit(Editor::Policies, p));
        update(&mut s, Event::SelectView(View::AndOr));
        let vm = andor_vm(&s).unwrap();
        assert_eq!(vm.variants.len(), 1);
        // OR: every pod in no namespace, plus app=frontend pods in namespace app (none).
        assert!(vm.variants[0].no_effect, "{:?}", vm.variants[0].counts);
        assert!(vm.variants[0].matrix.is_none());
    }

    #[test]
    fn compare_against_a_baseline() {
        let mut s = cross_ns();
        update(&mut s, Event::SelectView(View::Compare));
        assert!(!compare_vm(&s).pinned);
        update(&mut s, Event::Diff(DiffEvent::PinBaseline));
        let vm = compare_vm(&s);
        assert!(vm.pinned && vm.equivalent && vm.error.is_none(), "{vm:?}");
        assert!(vm.ranges.is_empty());
        // Remove the podSelector: every pod in team=web namespaces gets in.
        let p = s.policies.replace(
            "      podSelector:\n        matchLabels:\n          app: frontend\n",
            "",
        );
        assert_ne!(p, s.policies);
        update(&mut s, Event::Edit(Editor::Policies, p));
        let vm = compare_vm(&s);
        assert!(!vm.equivalent);
        assert_eq!(vm.counts, "1 flow gained / 0 lost on 1 port range");
        assert_eq!(vm.ranges.len(), 1);
        assert_eq!(vm.ranges[0].label, "8080/TCP");
        let f = &vm.ranges[0].flows[0];
        assert_eq!((f.from.as_str(), f.to.as_str()), ("web/admin", "app/api"));
        assert_eq!(f.change, Change::Gained);
        assert!(
            f.before.iter().any(|s| s.contains("DENIED")),
            "{:?}",
            f.before
        );
        assert!(
            f.after.iter().any(|s| s.contains("ALLOWED")),
            "{:?}",
            f.after
        );
        let m = vm.matrix.unwrap();
        assert_eq!(
            diff_cells(&m, Change::Gained),
            [("web/admin".to_string(), "app/api".to_string())]
        );
        let i = |n: &str| m.headers.iter().position(|h| h.name == n).unwrap();
        assert_eq!(
            m.cells[i("web/admin")][i("app/api")].mark,
            Mark::Allow,
            "current verdict"
        );
        // The baseline survives a reload; clearing it removes it.
        let saved = s.saved();
        assert!(saved.baseline.is_some());
        let r = State::restore(netpol_examples::all(), Some(saved));
        assert_eq!(r.diff.baseline, s.diff.baseline);
        update(&mut s, Event::Diff(DiffEvent::ClearBaseline));
        assert!(!compare_vm(&s).pinned);
        assert!(s.saved().baseline.is_none());
    }

    #[test]
    fn compare_reports_a_baseline_that_no_longer_parses() {
        let mut s = cross_ns();
        s.diff.baseline = Some("kind: [".into());
        update(&mut s, Event::SelectView(View::Compare));
        let vm = compare_vm(&s);
        assert!(vm.error.is_some(), "{vm:?}");
    }

    #[test]
    fn lints_follow_the_evaluation() {
        let mut s = cross_ns();
        // Split the AND item into two items: the OR bug lint should fire.
        update(&mut s, Event::SelectView(View::AndOr));
        update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
        let l = lints(&s);
        assert!(l.iter().any(|l| l.code == "or-bug"), "{l:?}");
        assert!(l.iter().all(|l| l.line > 0 && !l.fix.is_empty()));
        assert!(!lint_diags(&s, Editor::Policies).is_empty());
        // Errors hide them.
        let bad = format!("{}\nfoo: [\n", s.policies);
        update(&mut s, Event::Edit(Editor::Policies, bad));
        assert!(lints(&s).is_empty());
        // Lazy: keystrokes wait for Idle; other events (a click on Apply) do not.
        let mut s = cross_ns();
        s.diff.lazy = true;
        update(&mut s, Event::SelectView(View::AndOr));
        update(&mut s, Event::Diff(DiffEvent::ApplyVariant(0)));
        assert!(!lints_due(&s) && !variants_due(&s));
        let p = s.policies.replace("team: web", "team: webs");
        update(&mut s, Event::Edit(Editor::Policies, p));
        assert!(lints_due(&s) && variants_due(&s));
        assert!(
            andor_vm(&s).unwrap().variants[0].new_text.is_none(),
            "stale variants"
        );
        update(&mut s, Event::Diff(DiffEvent::Idle));
        assert!(!lints_due(&s) && !variants_due(&s));
        assert!(!lints(&s).is_empty());
    }
}
