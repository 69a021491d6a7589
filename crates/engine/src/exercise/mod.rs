//! Exercises and tutorial steps: self-checking NetworkPolicy tasks, written as data files.
//!
//! An exercise (`exercises/NN-slug.yaml`) gives a cluster, starting policies the learner edits,
//! and goals: flows that must be allowed or denied, and optionally "exactly this matrix" for one
//! port. [`check`] evaluates a learner's policies against every goal and says, per goal, whether
//! it holds and why not. A tutorial step (`tutorial/NN-slug.yaml`) is a scenario to look at, with
//! the things to highlight and the verdicts its lesson text claims ([`check_step`]).
//!
//! ```
//! use netpol_engine::exercise::{check, parse_exercise};
//!
//! let ex = parse_exercise(r#"
//! title: Only the web talks to the database
//! level: easy
//! story: Let only the web pod reach the database.
//! cluster: |
//!   namespaces:
//!     app: {pods: {web: app=web, db: app=db ports=5432, batch: app=batch}}
//! policies: ""
//! goals:
//!   - {from: app/web, to: app/db, port: 5432/TCP, allowed: true}
//!   - {from: app/batch, to: app/db, port: 5432/TCP, allowed: false}
//! solution: |
//!   apiVersion: networking.k8s.io/v1
//!   kind: NetworkPolicy
//!   metadata: {name: db, namespace: app}
//!   spec:
//!     podSelector: {matchLabels: {app: db}}
//!     ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
//! "#).unwrap();
//! let (start, _) = check(&ex, &ex.policies);
//! assert!(!start[1].met);
//! let (done, diagnostics) = check(&ex, &ex.solution);
//! assert!(done.iter().all(|g| g.met) && diagnostics.is_empty());
//! ```

mod check;
mod format;
mod matrix;
mod read;
#[cfg(test)]
mod tests;

pub use check::{check, check_step};
pub use format::{Exercise, FlowGoal, GoalResult, Highlight, Level, MatrixGoal, TutorialStep};
pub use read::{parse_exercise, parse_tutorial_step, ExerciseError};
