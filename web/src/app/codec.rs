//! Serde helpers for the engine types an evaluation holds that are not `Deserialize` (ports,
//! verdicts, spans, tiers, severities, diagnostics, the kinds' static names), so that an
//! [`Evaluation`](super::Evaluation) can cross from the Web Worker to the page as JSON. Every
//! format is compact: a matrix is one string with a letter per cell.

use std::cell::RefCell;
use std::collections::HashSet;

use netpol_engine::model::{Span, Tier};
use netpol_engine::{Cell, Diagnostic, PortProto, Severity};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// At most this many distinct static names are kept (kinds and diagnostic codes are a few
/// dozen); beyond it a name reads as `unknown`.
const MAX_NAMES: usize = 512;

/// A name from a small fixed set (a kind, a diagnostic code) as a `&'static str`: each distinct
/// name is allocated once and kept.
pub fn intern(name: &str) -> &'static str {
    thread_local! {
        static NAMES: RefCell<HashSet<&'static str>> = RefCell::new(HashSet::new());
    }
    NAMES.with(|names| {
        let mut names = names.borrow_mut();
        if let Some(n) = names.get(name) {
            return *n;
        }
        if names.len() >= MAX_NAMES {
            return "unknown";
        }
        let n: &'static str = Box::leak(name.to_string().into_boxed_str());
        names.insert(n);
        n
    })
}

/// A static name (a kind). Spelled as an alias so that serde's derive does not take the field for
/// one borrowed from the input.
pub type Name = &'static str;

/// Deserialises a `&'static str` field through [`intern`].
pub fn static_str<'de, D: Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    Ok(intern(&s))
}

/// Ports as `80/TCP` strings.
pub mod ports {
    use super::*;

    pub fn serialize<S: Serializer>(ports: &[PortProto], s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<String> = ports.iter().map(ToString::to_string).collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<PortProto>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|p| PortProto::parse(p).map_err(|_| D::Error::custom("bad port")))
            .collect()
    }
}

fn cell_letter(c: Cell) -> char {
    match c {
        Cell::Allowed => 'a',
        Cell::Denied => 'd',
        Cell::NotApplicable => 'n',
    }
}

fn letter_cell(b: u8) -> Cell {
    match b {
        b'a' => Cell::Allowed,
        b'd' => Cell::Denied,
        _ => Cell::NotApplicable,
    }
}

/// Matrices as one string per port, a letter per cell (`a` allowed, `d` denied, `n` not
/// applicable).
pub mod matrices {
    use super::*;

    pub fn serialize<S: Serializer>(m: &[Vec<Cell>], s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<String> = m
            .iter()
            .map(|cells| cells.iter().map(|&c| cell_letter(c)).collect())
            .collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<Cell>>, D::Error> {
        Ok(Vec::<String>::deserialize(d)?
            .iter()
            .map(|s| s.bytes().map(letter_cell).collect())
            .collect())
    }
}

/// A span as `[file, line, col]`.
pub mod span {
    use super::*;

    pub fn serialize<S: Serializer>(sp: &Span, s: S) -> Result<S::Ok, S::Error> {
        (sp.file, sp.line, sp.col).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Span, D::Error> {
        let (file, line, col) = <(usize, u32, u32)>::deserialize(d)?;
        Ok(Span { file, line, col })
    }
}

/// A tier as `admin` or `baseline`.
pub mod tier {
    use super::*;

    pub fn serialize<S: Serializer>(t: &Tier, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match t {
            Tier::Admin => "admin",
            Tier::Baseline => "baseline",
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Tier, D::Error> {
        match String::deserialize(d)?.as_str() {
            "admin" => Ok(Tier::Admin),
            "baseline" => Ok(Tier::Baseline),
            _ => Err(D::Error::custom("bad tier")),
        }
    }
}

fn severity_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn severity_of(s: &str) -> Severity {
    match s {
        "error" => Severity::Error,
        "warning" => Severity::Warning,
        _ => Severity::Info,
    }
}

/// A severity as `error`, `warning` or `info`.
pub mod severity {
    use super::*;

    pub fn serialize<S: Serializer>(sev: &Severity, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(severity_name(*sev))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Severity, D::Error> {
        Ok(severity_of(&String::deserialize(d)?))
    }
}

/// A diagnostic as plain data.
#[derive(Serialize, Deserialize)]
struct Diag {
    file: String,
    line: u32,
    col: u32,
    severity: String,
    code: String,
    message: String,
}

/// Diagnostics as a list of plain records.
pub mod diagnostics {
    use super::*;

    pub fn serialize<S: Serializer>(ds: &[Diagnostic], s: S) -> Result<S::Ok, S::Error> {
        let v: Vec<Diag> = ds
            .iter()
            .map(|d| Diag {
                file: d.file.clone(),
                line: d.line,
                col: d.col,
                severity: severity_name(d.severity).to_string(),
                code: d.code.to_string(),
                message: d.message.clone(),
            })
            .collect();
        v.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Diagnostic>, D::Error> {
        Ok(Vec::<Diag>::deserialize(d)?
            .into_iter()
            .map(|d| Diagnostic {
                file: d.file,
                line: d.line,
                col: d.col,
                severity: severity_of(&d.severity),
                code: intern(&d.code),
                message: d.message,
            })
            .collect())
    }
}
