//! The view models of the AND vs OR and Compare tabs: each AND/OR variant with its two YAML
//! fragments diffed line by line and a diff matrix, and the current policies against the pinned
//! baseline. Every semantic answer comes from `netpol-engine` (through the caches in `diff.rs`).

use serde::{Deserialize, Serialize};

use super::interned::Word;
use std::cell::RefCell;
use std::rc::{Rc, Weak};

use netpol_engine::diff::{FlowChange, PortDiff};
use netpol_engine::VariantKind;
use netpol_engine::{Compiled, Diff, PolicyType, PortProto, Variant, VariantText};

use super::evaluation::{Evaluation, Group, PortChoice};
use super::matrix::Mark;
use super::state::State;

/// A run of characters of a YAML line; `changed` marks what differs from the other side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffHeader {
    pub name: String,
    pub short: String,
    pub external: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffCell {
    /// The verdict with the CURRENT policies.
    pub mark: Mark,
    pub change: Option<Change>,
    pub title: String,
}

/// A flow matrix with the changed cells marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// The matrix on `pp` with the changes of `d` marked; `words` name the two sides (before, after)
/// in the tooltips. The verdicts shown are those of `ev`.
/// Diff matrices are drawn for clusters of up to this many endpoints (a cell each, with its
/// tooltip: 22,500 cells at most); past it the views give the counts and the changed flows.
pub const MAX_DIFF_MATRIX_ENDPOINTS: usize = 150;
/// A variant carries its whole new policies text to the page (whose Apply edits the textarea,
/// so that the browser can undo it) when the text is at most this long; past it, Apply asks the
/// worker (`DiffEvent::ApplyVariant`), so that 385 variants of a 170 KB text do not send 65 MB.
pub const MAX_INLINE_VARIANT_TEXT: usize = 8 * 1024;
/// The AND vs OR tab draws the diff matrices of its variants, in order, while their cells add up
/// to at most this many (the first one is always drawn, up to [`MAX_DIFF_MATRIX_ENDPOINTS`]):
/// 50 variants of a 150-endpoint cluster would otherwise be 1.1 million cells, and 50 of a
/// 50-pod workshop 125,000 (3.65 MB of view model).
pub const MAX_DIFF_CELLS: usize = 12_500;
/// The AND vs OR view shows at most this many variants (each costs a look at the whole text to
/// know whether Apply can write it).
pub const MAX_VARIANTS_SHOWN: usize = 50;
/// The Compare view lists at most this many changed flows of a port range.
pub const MAX_LISTED_FLOWS: usize = 200;

/// Why a cluster's diff has no matrix (`None` when it is small enough to draw).
fn matrix_note(ev: &Evaluation) -> Option<String> {
    (ev.n() > MAX_DIFF_MATRIX_ENDPOINTS).then(|| {
        format!(
            "No diff matrix: it is drawn for up to {MAX_DIFF_MATRIX_ENDPOINTS} endpoints, and this cluster has {}.",
            ev.n()
        )
    })
}

/// The diff matrix of `pp`, for clusters of up to [`MAX_DIFF_MATRIX_ENDPOINTS`] endpoints.
fn bounded_diff_matrix(
    ev: &Evaluation,
    pp: PortProto,
    d: Option<&PortDiff>,
    words: (&str, &str),
) -> Option<DiffMatrixVm> {
    (ev.n() <= MAX_DIFF_MATRIX_ENDPOINTS).then(|| diff_matrix(ev, pp, d, words))
}

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
        // The diff names the engine's indices.
        let at = |e: usize| ev.position.get(e).copied().unwrap_or(e);
        for f in &d.gained {
            change[at(f.from.index()) * n + at(f.to.index())] = Some(Change::Gained);
            counts.0 += 1;
        }
        for f in &d.lost {
            change[at(f.from.index()) * n + at(f.to.index())] = Some(Change::Lost);
            counts.1 += 1;
        }
    }
    let cells = (0..n)
        .map(|from| {
            (0..n)
                .map(|to| {
                    let mark = Mark::from(ev.cell(from, to, pp));
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

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VariantVm {
    pub index: usize,
    pub policy_id: String,
    #[serde(deserialize_with = "super::interned::word")]
    pub direction: Word,
    /// 1-based rule number.
    pub rule: usize,
    /// `split` (AND → OR), `merge` (OR → AND) or `merge-rules` (a split rule's two rules → one).
    #[serde(deserialize_with = "super::interned::word")]
    pub kind: Word,
    pub title: String,
    #[serde(deserialize_with = "super::interned::word")]
    pub current_label: Word,
    #[serde(deserialize_with = "super::interned::word")]
    pub variant_label: Word,
    pub current_lines: Vec<Vec<Seg>>,
    pub variant_lines: Vec<Vec<Seg>>,
    pub current_meaning: String,
    pub variant_meaning: String,
    pub no_effect: bool,
    pub counts: String,
    pub matrix: Option<DiffMatrixVm>,
    /// Why a variant that changes flows has no matrix (a cluster too large to draw).
    #[serde(default)]
    pub matrix_note: Option<String>,
    /// The policies text with the variant applied (`None`: not applicable to the text as
    /// written, e.g. flow-style items).
    pub new_text: Option<String>,
    /// The variant can be applied to the current text (`new_text` is `None` for long texts:
    /// Apply then sends `DiffEvent::ApplyVariant(index)`).
    #[serde(default)]
    pub applicable: bool,
    /// Where the items are written.
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AndOrVm {
    /// The first [`MAX_VARIANTS_SHOWN`] variants.
    pub variants: Vec<VariantVm>,
    /// How many more variants the policies have.
    #[serde(default)]
    pub more: usize,
    /// The text Undo restores.
    pub undo_text: Option<String>,
    pub stale: bool,
}

/// The AND vs OR view (computed in `refresh` when the view is shown).
pub fn andor_vm(state: &State) -> Option<AndOrVm> {
    let (ev, vs) = state.diff.variants.as_ref()?;
    // Only meaningful while the texts are those the variants were computed from.
    let current = !state.stale && state.result.as_ref().is_some_and(|r| Rc::ptr_eq(ev, r));
    // Long texts are not sent: only whether Apply can write them is (without building them).
    let inline = state.policies.len() <= MAX_INLINE_VARIANT_TEXT;
    let text = current.then(|| VariantText::new(&state.policies));
    let mut variants = shown_variants(ev, vs);
    for (vm, v) in variants.iter_mut().zip(vs.iter()) {
        match &text {
            Some(t) if inline => {
                vm.new_text = t.apply(v);
                vm.applicable = vm.new_text.is_some();
            }
            Some(t) => vm.applicable = t.applies(v),
            None => {}
        }
    }
    Some(AndOrVm {
        variants,
        more: vs.len().saturating_sub(MAX_VARIANTS_SHOWN),
        undo_text: state.diff.undo.last().cloned(),
        stale: state.stale,
    })
}

/// The view models of the first [`MAX_VARIANTS_SHOWN`] variants, but their `new_text` and
/// `applicable`, and the variants and evaluation they were made of.
struct Shown {
    ev: Weak<Evaluation>,
    variants: Weak<Vec<Variant>>,
    vms: Vec<VariantVm>,
}

thread_local! {
    static SHOWN: RefCell<Option<Shown>> = const { RefCell::new(None) };
}

/// The view models of the variants shown, without `new_text` and `applicable`. They depend on
/// the variants and their evaluation only, so they are kept for the next replies with the same
/// variants (every keystroke until editing pauses): at 50 pods, their diff matrices take
/// ~130 ms natively.
fn shown_variants(ev: &Rc<Evaluation>, vs: &Rc<Vec<Variant>>) -> Vec<VariantVm> {
    SHOWN.with_borrow_mut(|shown| {
        let kept = shown
            .as_ref()
            .filter(|s| is(&s.ev, ev) && is(&s.variants, vs));
        if let Some(s) = kept {
            return s.vms.clone();
        }
        let vms = variant_vms(ev, vs);
        *shown = Some(Shown {
            ev: Rc::downgrade(ev),
            variants: Rc::downgrade(vs),
            vms: vms.clone(),
        });
        vms
    })
}

/// The view models of the first [`MAX_VARIANTS_SHOWN`] variants, with diff matrices for the
/// first ones up to [`MAX_DIFF_CELLS`].
fn variant_vms(ev: &Evaluation, vs: &[Variant]) -> Vec<VariantVm> {
    let cells = ev.n() * ev.n();
    let mut drawn = 0;
    vs.iter()
        .take(MAX_VARIANTS_SHOWN)
        .enumerate()
        .map(|(i, v)| {
            let draw = drawn == 0 || (drawn + 1) * cells <= MAX_DIFF_CELLS;
            let vm = variant_vm(ev, i, v, draw);
            if vm.matrix.is_some() {
                drawn += 1;
            }
            vm
        })
        .collect()
}

/// A variant's view model (without `new_text` and `applicable`), with its diff matrix if `draw`.
fn variant_vm(ev: &Evaluation, index: usize, v: &Variant, draw: bool) -> VariantVm {
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
        VariantKind::MergeRules { .. } => (
            "merge-rules",
            "Two rules, one with only peers and one with only ports (OR) — merge them into one rule (AND)?",
            "Now: two rules (OR)",
            "Variant: one rule (AND)",
        ),
    };
    let m = most_changed(&v.diff);
    let span = v.spans.first().copied().unwrap_or_default();
    VariantVm {
        index,
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
        matrix: m
            .filter(|_| draw)
            .and_then(|d| bounded_diff_matrix(ev, d.port, Some(d), ("now", "with the variant"))),
        matrix_note: m.and_then(|_| {
            matrix_note(ev).or_else(|| {
                (!draw).then(|| {
                    format!(
                        "No diff matrix here: the tab draws the matrices of its first variants, \
                         up to {},{:03} cells. The counts above say what changes; Apply shows \
                         the result in the flow matrix.",
                        MAX_DIFF_CELLS / 1000,
                        MAX_DIFF_CELLS % 1000
                    )
                })
            })
        }),
        new_text: None,
        applicable: false,
        line: span.line,
        col: span.col,
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowVm {
    pub from: String,
    pub to: String,
    pub change: Change,
    pub before: Vec<String>,
    pub after: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RangeVm {
    pub label: String,
    pub flows: Vec<FlowVm>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompareVm {
    pub pinned: bool,
    /// Why there is no diff (the baseline does not parse with the current cluster, …).
    pub error: Option<String>,
    pub equivalent: bool,
    pub counts: String,
    pub matrix: Option<DiffMatrixVm>,
    /// Why a diff has no matrix (a cluster too large to draw).
    #[serde(default)]
    pub matrix_note: Option<String>,
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
        matrix_note: None,
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
    let (Some(ev), Some((_, _, d))) = (state.result.as_ref(), &state.diff.compare) else {
        vm.error = Some("Nothing to compare yet: fix the errors in the editors.".into());
        return vm;
    };
    vm.equivalent = d.is_empty();
    vm.counts = count_sentence(d);
    let base = match &state.diff.baseline_model {
        Some((_, _, Ok(bm))) => Some(bm),
        _ => None,
    };
    vm.ranges = listed_ranges(ev, d, base);
    // The shown port's range, else the most changed one.
    let words = ("at the baseline", "now");
    vm.matrix = match state.port_choice() {
        PortChoice::One(pp) => {
            let r = d.ports.iter().find(|p| {
                p.port.protocol == pp.protocol && p.first <= pp.port && pp.port <= p.last
            });
            bounded_diff_matrix(ev, pp, r, words)
        }
        PortChoice::All => most_changed(d)
            .or(d.ports.first())
            .and_then(|r| bounded_diff_matrix(ev, r.port, Some(r), words)),
    };
    if !vm.equivalent {
        vm.matrix_note = matrix_note(ev);
    }
    vm
}

/// The changed flows of a compare diff, and the evaluations they were made of.
struct Listed {
    ev: Weak<Evaluation>,
    diff: Weak<Diff>,
    base: Option<Weak<Compiled>>,
    ranges: Vec<RangeVm>,
}

thread_local! {
    static LISTED: RefCell<Option<Listed>> = const { RefCell::new(None) };
}

/// The changed flows of each port range of `d` (the first [`MAX_LISTED_FLOWS`]), explained on
/// both sides. They depend on the diff and both evaluations only, so they are kept for the
/// next replies with the same ones (every keystroke until editing pauses): explaining 286 flows
/// twice takes ~8 ms natively at 1,000 pods.
fn listed_ranges(ev: &Rc<Evaluation>, d: &Rc<Diff>, base: Option<&Rc<Compiled>>) -> Vec<RangeVm> {
    LISTED.with_borrow_mut(|listed| {
        let kept = listed.as_ref().filter(|l| {
            is(&l.ev, ev)
                && is(&l.diff, d)
                && match (&l.base, base) {
                    (Some(a), Some(b)) => is(a, b),
                    (None, None) => true,
                    _ => false,
                }
        });
        if let Some(l) = kept {
            return l.ranges.clone();
        }
        let ranges = explained_ranges(ev, d, base.map(|b| &**b));
        *listed = Some(Listed {
            ev: Rc::downgrade(ev),
            diff: Rc::downgrade(d),
            base: base.map(Rc::downgrade),
            ranges: ranges.clone(),
        });
        ranges
    })
}

fn explained_ranges(ev: &Evaluation, d: &Diff, base: Option<&Compiled>) -> Vec<RangeVm> {
    // The diff names the engine's indices.
    let name = |e: usize| {
        ev.position
            .get(e)
            .and_then(|&i| ev.endpoints.get(i))
            .map_or(String::new(), |e| e.name.clone())
    };
    // The diff carries no explanations: the listed flows are explained here, on both sides.
    let sentences = |c: Option<&Compiled>, f: &FlowChange, pp: PortProto| {
        c.map(|c| c.explain(f.from, f.to, pp).sentences())
            .unwrap_or_default()
    };
    let mut ranges = Vec::new();
    for p in &d.ports {
        if p.gained.is_empty() && p.lost.is_empty() {
            continue;
        }
        let changed = p.gained.len() + p.lost.len();
        let flows = p
            .gained
            .iter()
            .map(|f| (f, Change::Gained))
            .chain(p.lost.iter().map(|f| (f, Change::Lost)))
            .take(MAX_LISTED_FLOWS)
            .map(|(f, change)| FlowVm {
                from: name(f.from.index()),
                to: name(f.to.index()),
                change,
                before: sentences(base, f, p.port),
                after: sentences(Some(&ev.compiled), f, p.port),
            })
            .collect();
        let label = if changed > MAX_LISTED_FLOWS {
            format!(
                "{} (the first {MAX_LISTED_FLOWS} of {changed} changed flows)",
                range_label(p)
            )
        } else {
            range_label(p)
        };
        ranges.push(RangeVm { label, flows });
    }
    ranges
}

/// `weak` points at the value `rc` holds (a `Weak` keeps its address from being reused).
fn is<T>(weak: &Weak<T>, rc: &Rc<T>) -> bool {
    std::ptr::eq(weak.as_ptr(), Rc::as_ptr(rc))
}

#[cfg(test)]
mod tests {
    use super::*;

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
}

/// The view models kept between replies are those made afresh from the state's inputs, along
/// edits that keep the evaluation (comments, also past [`MAX_INLINE_VARIANT_TEXT`]) and edits
/// that change it.
#[cfg(test)]
mod kept {
    use super::*;
    use crate::app::diff::DiffEvent;
    use crate::app::evaluation::Editor;
    use crate::app::state::View;
    use crate::app::update::{update, Event};

    /// The AND vs OR view as made without the kept view models.
    fn fresh_andor(s: &State) -> Vec<VariantVm> {
        let (ev, vs) = s.diff.variants.as_ref().expect("variants");
        let current = !s.stale && s.result.as_ref().is_some_and(|r| Rc::ptr_eq(ev, r));
        let inline = s.policies.len() <= MAX_INLINE_VARIANT_TEXT;
        vs.iter()
            .zip(variant_vms(ev, vs))
            .map(|(v, vm)| {
                let text = current
                    .then(|| netpol_engine::apply_variant_text(&s.policies, v))
                    .flatten();
                VariantVm {
                    applicable: text.is_some(),
                    new_text: text.filter(|_| inline),
                    ..vm
                }
            })
            .collect()
    }

    fn fresh_ranges(s: &State) -> Vec<RangeVm> {
        let (Some(ev), Some((_, _, d))) = (&s.result, &s.diff.compare) else {
            return Vec::new();
        };
        let base = match &s.diff.baseline_model {
            Some((_, _, Ok(bm))) => Some(&**bm),
            _ => None,
        };
        explained_ranges(ev, d, base)
    }

    /// Each edit of the cross-namespace example's policies: the text after it.
    fn edits() -> [fn(&str) -> String; 5] {
        [
            |p| format!("{p}# a comment\n"),
            |p| format!("{p}# {}\n", "x".repeat(MAX_INLINE_VARIANT_TEXT)),
            |p| p.replace("          app: frontend\n", "          app: admin\n"),
            |p| p.replace("team: web", "team: nobody"),
            |p| p.lines().take(3).collect::<Vec<_>>().join("\n"),
        ]
    }

    #[test]
    fn and_or_variants() {
        let mut s = State::new(netpol_examples::all());
        update(&mut s, Event::LoadExample("cross-namespace".into()));
        update(&mut s, Event::SelectView(View::AndOr));
        let mut applicable = Vec::new();
        for edit in edits() {
            let p = edit(&s.policies);
            update(&mut s, Event::Edit(Editor::Policies, p));
            let vm = andor_vm(&s).map(|vm| vm.variants);
            assert_eq!(vm, s.diff.variants.as_ref().map(|_| fresh_andor(&s)));
            let v = vm.as_ref().and_then(|vs| vs.first());
            applicable.push(v.map(|v| (v.applicable, v.new_text.is_some())));
        }
        // A long text is not sent; the last edit breaks the policies (the variants stay).
        let short = Some((true, true));
        let long = Some((true, false));
        assert_eq!(applicable, [short, long, long, long, Some((false, false))]);
    }

    #[test]
    fn compared_flows() {
        let mut s = State::new(netpol_examples::all());
        update(&mut s, Event::LoadExample("cross-namespace".into()));
        update(&mut s, Event::SelectView(View::Compare));
        update(&mut s, Event::Diff(DiffEvent::PinBaseline));
        let mut flows = Vec::new();
        for edit in edits() {
            let p = edit(&s.policies);
            update(&mut s, Event::Edit(Editor::Policies, p));
            let vm = compare_vm(&s);
            assert_eq!(vm.ranges, fresh_ranges(&s));
            flows.push(vm.ranges.iter().map(|r| r.flows.len()).sum::<usize>());
        }
        // Comments change no flow; `app: admin` lets web/admin in and keeps web/frontend out;
        // `team: nobody` lets no one in (web/frontend is lost); broken policies keep the last
        // evaluation.
        assert_eq!(flows, [0, 0, 2, 1, 1]);
    }
}
