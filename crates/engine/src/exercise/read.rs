//! Reading exercise and tutorial-step files, with errors that name the line and column.

use std::fmt;

use super::format::{Exercise, FlowGoal, TutorialStep};
use super::matrix::parse_flow_pattern;
use crate::diag::Seg;
use crate::model::PortProto;

/// Why an exercise or tutorial-step file could not be read. Its text is
/// "line L, column C: message" when the position is known, the message otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExerciseError {
    /// The 1-based line and column of the problem, when known.
    pub position: Option<(u32, u32)>,
    /// What is wrong; for a field, its path first (`goals[1].port: ...`).
    pub message: String,
}

impl fmt::Display for ExerciseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "line {line}, column {col}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ExerciseError {}

/// A serde_yaml error at its position (the message without its own location).
pub(super) fn yaml_error(e: &serde_yaml::Error) -> ExerciseError {
    let msg = e.to_string();
    match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            ExerciseError {
                position: Some((loc.line() as u32, loc.column() as u32)),
                message: msg.replace(&suffix, ""),
            }
        }
        None => ExerciseError {
            position: None,
            message: msg,
        },
    }
}

/// A semantic error at a field path: "path: message" at the field's position.
pub(super) fn at(text: &str, path: &[Seg], msg: String) -> ExerciseError {
    let (line, col) = crate::yaml::locate(text, path);
    let mut p = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !p.is_empty() {
                    p.push('.');
                }
                p.push_str(k);
            }
            Seg::Index(i) => p.push_str(&format!("[{i}]")),
        }
    }
    ExerciseError {
        position: Some((line, col)),
        message: format!("{p}: {msg}"),
    }
}

pub(super) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

pub(super) fn check_flow_goals(
    text: &str,
    list: &str,
    goals: &[FlowGoal],
) -> Result<(), ExerciseError> {
    for (i, g) in goals.iter().enumerate() {
        if let Err(e) = PortProto::parse(&g.port) {
            return Err(at(
                text,
                &[key(list), Seg::Index(i), key("port")],
                e.to_string(),
            ));
        }
        for (field, name) in [("from", &g.from), ("to", &g.to)] {
            if name.trim().is_empty() || name.contains('*') {
                return Err(at(
                    text,
                    &[key(list), Seg::Index(i), key(field)],
                    format!(
                        "`{name}` is not an endpoint name (`namespace/pod` or an external's name)"
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Reads an exercise file. Errors name the line and column.
pub fn parse_exercise(text: &str) -> Result<Exercise, ExerciseError> {
    let ex: Exercise = serde_yaml::from_str(text).map_err(|e| yaml_error(&e))?;
    for (field, value) in [
        ("title", &ex.title),
        ("story", &ex.story),
        ("cluster", &ex.cluster),
        ("solution", &ex.solution),
    ] {
        if value.trim().is_empty() {
            return Err(at(text, &[key(field)], "must not be empty".to_string()));
        }
    }
    if ex.goals.is_empty() && ex.matrix.is_none() {
        return Err(at(
            text,
            &[key("goals")],
            "an exercise needs at least one goal (`goals` or `matrix`)".to_string(),
        ));
    }
    check_flow_goals(text, "goals", &ex.goals)?;
    if let Some(m) = &ex.matrix {
        if let Err(e) = PortProto::parse(&m.port) {
            return Err(at(text, &[key("matrix"), key("port")], e.to_string()));
        }
        if m.flows.is_empty() {
            return Err(at(
                text,
                &[key("matrix"), key("flows")],
                "must list at least one flow pattern".to_string(),
            ));
        }
        for (i, f) in m.flows.iter().enumerate() {
            if let Err(e) = parse_flow_pattern(f) {
                return Err(at(text, &[key("matrix"), key("flows"), Seg::Index(i)], e));
            }
        }
    }
    for (i, h) in ex.hints.iter().enumerate() {
        if h.trim().is_empty() {
            return Err(at(
                text,
                &[key("hints"), Seg::Index(i)],
                "a hint must not be empty".to_string(),
            ));
        }
    }
    for (i, t) in ex.traps.iter().enumerate() {
        if !crate::lint::CODES.contains(&t.as_str()) {
            return Err(at(
                text,
                &[key("traps"), Seg::Index(i)],
                format!(
                    "`{t}` is not a lint code (one of {})",
                    crate::lint::CODES.join(", ")
                ),
            ));
        }
    }
    Ok(ex)
}

/// Reads a tutorial step's YAML. Errors name the line and column.
pub fn parse_tutorial_step(yaml: &str) -> Result<TutorialStep, ExerciseError> {
    let step: TutorialStep = serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e))?;
    for (field, value) in [("title", &step.title), ("cluster", &step.cluster)] {
        if value.trim().is_empty() {
            return Err(at(yaml, &[key(field)], "must not be empty".to_string()));
        }
    }
    if let Err(e) = PortProto::parse(&step.port) {
        return Err(at(yaml, &[key("port")], e.to_string()));
    }
    check_flow_goals(yaml, "expect", &step.expect)?;
    Ok(step)
}
