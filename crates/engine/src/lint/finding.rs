//! A lint finding and the helpers every lint uses to word it.

use serde::Serialize;

use crate::diag::{Diagnostic, Severity};
use crate::model::{Model, Span};

/// One finding.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lint {
    /// Stable code, e.g. `or-bug`, `dns-trap`.
    pub code: &'static str,
    /// How serious the trap is.
    pub severity: Severity,
    /// Where the trap is written.
    pub span: Span,
    /// One sentence: what is wrong.
    pub message: String,
    /// One sentence: what to do about it.
    pub fix: String,
}

impl Lint {
    /// As a diagnostic (`file:line:col: severity: message (code) Fix: …`).
    pub fn to_diagnostic(&self, model: &Model) -> Diagnostic {
        Diagnostic {
            file: model.files.get(self.span.file).cloned().unwrap_or_default(),
            line: self.span.line.max(1),
            col: self.span.col.max(1),
            severity: self.severity,
            code: self.code,
            message: format!("{} [{}] Fix: {}", self.message, self.code, self.fix),
        }
    }
}

/// Items listed at most before "and N more".
pub(super) const MAX_LISTED: usize = 4;

/// `a, b, c, d and 3 more`.
pub(super) fn list(items: &[String]) -> String {
    list_first(&items[..items.len().min(MAX_LISTED)], items.len())
}

/// [`list`] of `total` items of which `first` are the first (at least [`MAX_LISTED`] of them,
/// or all).
pub(super) fn list_first(first: &[String], total: usize) -> String {
    if total <= MAX_LISTED {
        first.join(", ")
    } else {
        format!(
            "{} and {} more",
            first[..MAX_LISTED].join(", "),
            total - MAX_LISTED
        )
    }
}
