//! Reading exercise and tutorial-step files, with errors that name the line and column.

use super::format::{Exercise, FlowGoal, TutorialStep};
use super::matrix::parse_flow_pattern;
use crate::diag::Seg;
use crate::model::PortProto;

/// "line L, column C: message" for a serde_yaml error (the message without its own location).
pub(super) fn yaml_error(e: &serde_yaml::Error) -> String {
    let msg = e.to_string();
    match e.location() {
        Some(loc) => {
            let suffix = format!(" at line {} column {}", loc.line(), loc.column());
            let msg = msg.replace(&suffix, "");
            format!("line {}, column {}: {msg}", loc.line(), loc.column())
        }
        None => msg,
    }
}

/// "line L, column C: path: message" for a semantic error at a field path.
pub(super) fn at(text: &str, path: &[Seg], msg: String) -> String {
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
    format!("line {line}, column {col}: {p}: {msg}")
}

pub(super) fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

pub(super) fn check_flow_goals(text: &str, list: &str, goals: &[FlowGoal]) -> Result<(), String> {
    for (i, g) in goals.iter().enumerate() {
        if let Err(e) = PortProto::parse(&g.port) {
            return Err(at(text, &[key(list), Seg::Index(i), key("port")], e));
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
pub fn parse_exercise(text: &str) -> Result<Exercise, String> {
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
            return Err(at(text, &[key("matrix"), key("port")], e));
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
pub fn parse_tutorial_step(yaml: &str) -> Result<TutorialStep, String> {
    let step: TutorialStep = serde_yaml::from_str(yaml).map_err(|e| yaml_error(&e))?;
    for (field, value) in [("title", &step.title), ("cluster", &step.cluster)] {
        if value.trim().is_empty() {
            return Err(at(yaml, &[key(field)], "must not be empty".to_string()));
        }
    }
    if let Err(e) = PortProto::parse(&step.port) {
        return Err(at(yaml, &[key("port")], e));
    }
    check_flow_goals(yaml, "expect", &step.expect)?;
    Ok(step)
}
