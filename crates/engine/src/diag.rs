//! Diagnostics: every problem with the input, positioned and phrased for a learner.

use std::fmt;

use serde::Serialize;

/// How bad a diagnostic is. Errors leave the offending object out of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A positioned message about the input. Lines and columns are 1-based.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The input file's name, as given to [`crate::parse`].
    pub file: String,
    pub line: u32,
    pub col: u32,
    pub severity: Severity,
    /// A stable code such as `invalid-value` or `yaml-syntax`.
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    /// `file:line:col: severity: message`, the format every command prints to stderr.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.file,
            self.line,
            self.col,
            self.severity.as_str(),
            self.message
        )
    }
}

/// True when any diagnostic is an error.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

/// One step of a path into a YAML document, e.g. `spec`, `ingress`, `[0]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A field path like kube-apiserver prints it: `spec.ingress[0].from[1].ipBlock.cidr`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// This path extended by a key.
    pub fn key(&self, k: &str) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Key(k.to_string()));
        FieldPath(v)
    }

    /// This path extended by a list index.
    pub fn index(&self, i: usize) -> Self {
        let mut v = self.0.clone();
        v.push(Seg::Index(i));
        FieldPath(v)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(k)?;
                }
                Seg::Index(i) => write!(f, "[{i}]")?,
            }
            first = false;
        }
        Ok(())
    }
}

/// A diagnostic about a field of a document, before it is given a line and column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathDiag {
    pub path: FieldPath,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

impl PathDiag {
    pub fn error(path: FieldPath, code: &'static str, message: impl Into<String>) -> Self {
        PathDiag {
            path,
            severity: Severity::Error,
            code,
            message: message.into(),
        }
    }

    pub fn warning(path: FieldPath, code: &'static str, message: impl Into<String>) -> Self {
        PathDiag {
            path,
            severity: Severity::Warning,
            code,
            message: message.into(),
        }
    }
}
