//! The pure core of the playground (Crux style): state, events, effects and view models. No DOM
//! here: [`update`] changes the [`State`] in response to an [`Event`] and returns the [`Effect`]s
//! the shell should perform (storage, clipboard, timers, scrolling); [`view_model`] and the
//! tabs' view models turn the state into plain data the Yew components render. Every question
//! about NetworkPolicy semantics is answered by `netpol-engine`; the core only arranges the
//! answers. Tested natively (`cargo test -p netpol-web`).
//!
//! The modules, bottom up (each uses only those above it):
//! - `text` — YAML line ranges, UTF-16 positions, inline markup;
//! - `evaluation` — the two texts through the engine into an owned [`Evaluation`];
//! - `files` — files dropped onto an editor, joined into one text;
//! - `matrix`, `graph` — the matrix and graph view models; `grid` — the matrix as a keyboard grid
//!   and the window a large matrix renders;
//! - `diff` — the state of the AND vs OR and Compare tabs and the lints (caches, undo);
//! - `learn` — the tutorial and exercise state machine and the learner's progress;
//! - `state` — [`State`] and the operations several events share;
//! - `why` — the Why? panel's view model;
//! - `share` — [`State`] ⇄ share link, the embed query, the iframe snippet;
//! - `update` — [`Event`], [`Effect`], [`update`];
//! - `startup` — the first state from storage, the share link and the embed query;
//! - `view`, `diff_view` — the view model of the page and of the diff tabs;
//! - `page` — [`Page`], everything the shell renders, serialisable (the core may run in a
//!   worker); `interned` reads its `&'static str` words;
//! - `protocol` — the messages between the page and the worker, and the worker's side of them.

mod diff;
mod diff_view;
mod evaluation;
mod files;
mod graph;
mod grid;
mod interned;
mod learn;
mod matrix;
mod page;
mod protocol;
pub mod share;
mod startup;
mod state;
mod text;
mod update;
mod view;
mod why;

#[cfg(test)]
mod tests;

pub use diff::{compute_lints, DiffEvent, DiffState, LintVm, IDLE_MS, UNDO_DEPTH};
pub use diff_view::{
    andor_vm, compare_vm, line_diff, AndOrVm, Change, CompareVm, DiffCell, DiffHeader,
    DiffMatrixVm, FlowVm, RangeVm, Seg, VariantVm,
};
pub use evaluation::{
    evaluate, evaluate_with, Editor, Evaluation, Group, PortChoice, CLUSTER, POLICIES,
};
pub use files::{is_manifest_name, join_files};
pub use graph::{BoxVm, EdgeVm, GraphVm, NodeVm, MAX_POD_GRAPH, NODE_R};
pub use grid::{
    around, body_lines, covering, grid_key, keep_or_widen, line_of_row, move_focus, windowed,
    BodyLine, GridKey, OVERSCAN, WINDOW_FROM,
};
pub use learn::{
    ExerciseItem, Learn, LearnData, LearnEvent, Menu, Progress, Solution, StepItem, PROGRESS_KEY,
};
pub use matrix::{
    kind_badge, tier_mark, tier_value, CellTier, CellTiers, CellVm, HeaderVm, Mark, MatrixVm,
    RowBits, MAX_TIER_MARK_ENDPOINTS,
};
pub use page::{
    page, EmbedVm, ExerciseItemVm, ExerciseVm, GoalVm, LearnVm, Page, StepItemVm, TutorialVm,
};
pub use protocol::{
    encode, enqueue, restore_baseline, restore_saved, serve_start, FromWorker, Part, Parts, Reply,
    Served, Texts, ToWorker,
};
pub use startup::{start, Startup};
pub use state::{EmbedParams, FlowSel, LineRange, Panel, Saved, State, View, STORAGE_KEY};
pub use text::{block_lines, document_lines, inline_markup, utf16_offset, Inline};
pub use update::{update, Effect, Event};
pub use view::{lint_diags, view_model, DiagVm, PolicyVm, PortOption, ViewModel, EXERCISE_OPTION};
pub use why::{is_tier_line, line_kind_value, ExplanationVm, LineVm, LinkVm, SideVm, Tick};
