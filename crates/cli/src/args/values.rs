//! The values of options that are more than a word: `--port` (a number or a named port) and
//! `--lints`.

use netpol_engine::{lint, suggest, PortProto, Protocol};

use super::error::{usage, Usage};

/// A `--port` value: a number, or (for `explain`) a container port's name, resolved on the
/// destination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum PortArg {
    Number(PortProto),
    Named {
        name: String,
        protocol: Option<Protocol>,
    },
}

impl std::fmt::Display for PortArg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PortArg::Number(pp) => write!(f, "{pp}"),
            PortArg::Named {
                name,
                protocol: None,
            } => f.write_str(name),
            PortArg::Named {
                name,
                protocol: Some(p),
            } => write!(f, "{name}/{p}"),
        }
    }
}

impl PortArg {
    /// A named port as `explain` takes it: `http` or `http/TCP` (an IANA service name: lowercase
    /// letters, digits and single hyphens, at most 15 characters, at least one letter).
    pub(super) fn parse_named(s: &str) -> Option<PortArg> {
        let (name, proto) = match s.trim().split_once('/') {
            Some((n, p)) => (n, Some(Protocol::parse(&p.trim().to_ascii_uppercase())?)),
            None => (s.trim(), None),
        };
        let valid = !name.is_empty()
            && name.len() <= 15
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && name.bytes().any(|b| b.is_ascii_lowercase())
            && !name.contains("--")
            && !name.starts_with('-')
            && !name.ends_with('-');
        valid.then(|| PortArg::Named {
            name: name.to_string(),
            protocol: proto,
        })
    }
}

/// `--lints`: which lints `check` runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Lints {
    #[default]
    All,
    /// Only these codes (none when empty).
    Only(Vec<&'static str>),
}

impl Lints {
    pub(crate) fn includes(&self, code: &str) -> bool {
        match self {
            Lints::All => true,
            Lints::Only(codes) => codes.contains(&code),
        }
    }

    pub(super) fn parse(value: &str) -> Result<Lints, Usage> {
        match value {
            "all" => return Ok(Lints::All),
            "none" => return Ok(Lints::Only(Vec::new())),
            _ => {}
        }
        let mut codes = Vec::new();
        for word in value.split(',').map(str::trim).filter(|w| !w.is_empty()) {
            let Some(code) = lint::CODES.into_iter().find(|c| *c == word) else {
                let close = suggest::closest(word, lint::CODES)
                    .map(|c| format!("did you mean `{c}`? "))
                    .unwrap_or_default();
                return Err(usage(
                    format!("unknown lint `{word}` in `--lints`"),
                    format!(
                        "{close}use all, none, or codes from: {}",
                        lint::CODES.join(", ")
                    ),
                ));
            };
            codes.push(code);
        }
        Ok(Lints::Only(codes))
    }
}
