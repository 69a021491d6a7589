//! Diagnostics: every problem with the input, positioned and phrased for a learner.
//!
//! Messages never echo input raw: [`quote`] prints a value the way kube-apiserver does (Go's
//! `%q`), cut to [`QUOTE_MAX_CHARS`] characters with a length note, and [`cut_quoted`] applies
//! the same cut to messages written by libraries (serde, libyaml).

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::iter::Peekable;
use std::str::CharIndices;

use serde::{Deserialize, Serialize};

/// How bad a diagnostic is. Errors leave the offending object out of the model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The object is invalid and left out of the model.
    Error,
    /// The object is read, but probably not as meant.
    Warning,
    /// Something worth knowing that changes nothing, such as a summary of skipped objects.
    Info,
}

impl Severity {
    /// The severity as a lowercase word: `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A positioned message about the input.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The input file's name, as given to [`crate::parse`].
    pub file: String,
    /// The 1-based line. A line ends at LF, CRLF or a lone CR.
    pub line: u32,
    /// The 1-based column, counted in Unicode scalar values (characters, as Rust's `chars()`
    /// counts them), not bytes: `é` before the error counts as one column. Tabs count as one.
    pub col: u32,
    /// How serious the problem is.
    pub severity: Severity,
    /// A stable code such as `invalid-value` or `yaml-syntax`.
    pub code: &'static str,
    /// What is wrong, in the words a learner can act on.
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
    /// Keys print as written; a key that is not plain text (control characters, quotes, spaces,
    /// or longer than [`QUOTE_MAX_CHARS`]) prints quoted and cut, so a path never echoes input raw.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for seg in &self.0 {
            match seg {
                Seg::Key(k) => {
                    if !first {
                        f.write_str(".")?;
                    }
                    f.write_str(&shown(k))?;
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

/// How many characters of an input value a message quotes before cutting it.
pub const QUOTE_MAX_CHARS: usize = 80;

/// Quotes `value` as Go's `%q` does (what kube-apiserver prints in `Invalid value: "…"`), cut
/// after [`QUOTE_MAX_CHARS`] characters with a note of the full length:
/// `"aaaa…"… (5242880 bytes)` is printed as the quoted first characters, `…` and the length.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(4 * QUOTE_MAX_CHARS) + 2);
    out.push('"');
    for (shown, c) in value.chars().enumerate() {
        if shown == QUOTE_MAX_CHARS {
            out.push('"');
            let _ = write!(out, "… ({} bytes)", value.len());
            return out;
        }
        go_escape(c, &mut out);
    }
    out.push('"');
    out
}

/// `value` as it is when it is short plain text (letters, digits and `-._/:@+=~,`), else
/// [`quote`]d. For names and keys in messages that print valid values unquoted.
pub fn shown(value: &str) -> Cow<'_, str> {
    let plain = !value.is_empty()
        && value.chars().count() <= QUOTE_MAX_CHARS
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || "-._/:@+=~,".contains(c));
    if plain {
        Cow::Borrowed(value)
    } else {
        Cow::Owned(quote(value))
    }
}

/// One character as Go's `strconv.Quote` writes it.
pub(crate) fn go_escape(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c == '\u{7f}' => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if is_go_printable(c) => out.push(c),
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `strconv.IsPrint` for non-ASCII characters: control, format,
/// space and private-use characters are not printable (unassigned ones are not known here).
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(c,
        '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206f}' | '\u{feff}' | '\u{fff9}'..='\u{fffb}'
        | '\u{e000}'..='\u{f8ff}' | '\u{fffe}' | '\u{ffff}' | '\u{110bd}' | '\u{110cd}'
        | '\u{13430}'..='\u{1343f}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}'
        | '\u{e0000}'..='\u{e007f}' | '\u{f0000}'..)
}

/// Cuts every quoted literal (`"…"` with backslash escapes, or `` `…` ``) in a message written
/// by a library to [`QUOTE_MAX_CHARS`] characters, with the length note [`quote`] writes.
/// Messages without long literals are returned unchanged.
pub fn cut_quoted(message: &str) -> Cow<'_, str> {
    if message.len() <= QUOTE_MAX_CHARS {
        return Cow::Borrowed(message);
    }
    let mut out = String::new();
    let mut copied = 0;
    let mut rest = message.char_indices().peekable();
    while let Some((_, c)) = rest.next() {
        if c != '"' && c != '`' {
            continue;
        }
        // Walk the literal one unit (a character or an escape sequence) at a time.
        let mut units = 0;
        let mut cut_at = None;
        let mut bytes = 0usize;
        let mut close = None;
        while let Some((i, d)) = rest.next() {
            if d == c {
                close = Some(i);
                break;
            }
            if units == QUOTE_MAX_CHARS {
                cut_at.get_or_insert(i);
            }
            units += 1;
            if d == '\\' && c == '"' {
                bytes += escaped_len(&mut rest);
            } else {
                bytes += d.len_utf8();
            }
        }
        let (Some(cut), Some(close)) = (cut_at, close) else {
            continue;
        };
        out.push_str(&message[copied..cut]);
        let _ = write!(out, "{c}… ({bytes} bytes)");
        copied = close + c.len_utf8();
    }
    if copied == 0 {
        return Cow::Borrowed(message);
    }
    out.push_str(&message[copied..]);
    Cow::Owned(out)
}

/// Consumes the rest of an escape sequence after `\` (Go's `\xNN`, `\uNNNN`, `\UNNNNNNNN`,
/// Rust's `\u{N}`, or one character) and returns the length in bytes of what it stands for.
fn escaped_len(rest: &mut Peekable<CharIndices<'_>>) -> usize {
    let code = match rest.next() {
        None => return 0,
        Some((_, 'x')) => {
            hex(rest, 2);
            return 1;
        }
        Some((_, 'u')) if rest.peek().is_some_and(|&(_, c)| c == '{') => {
            rest.next();
            let v = hex(rest, 6);
            rest.next_if(|&(_, c)| c == '}');
            v
        }
        Some((_, 'u')) => hex(rest, 4),
        Some((_, 'U')) => hex(rest, 8),
        Some(_) => return 1,
    };
    char::from_u32(code).map_or(1, char::len_utf8)
}

/// Consumes up to `n` hexadecimal digits and returns their value.
fn hex(rest: &mut Peekable<CharIndices<'_>>, n: usize) -> u32 {
    let mut v = 0u32;
    for _ in 0..n {
        match rest.next_if(|&(_, c)| c.is_ascii_hexdigit()) {
            Some((_, c)) => v = v * 16 + c.to_digit(16).unwrap_or(0),
            None => break,
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_prints_go_strings_cut_with_a_length_note() {
        let cases = [
            ("web", "\"web\""),
            ("a\"b\\c", "\"a\\\"b\\\\c\""),
            ("\u{1b}[31m\r\n\0é", "\"\\x1b[31m\\r\\n\\x00é\""),
            ("\u{200b}\u{10ffff}", "\"\\u200b\\U0010ffff\""),
        ];
        for (value, want) in cases {
            assert_eq!(quote(value), want, "{value:?}");
        }
        let long = "é".repeat(100);
        assert_eq!(
            quote(&long),
            format!("\"{}\"… (200 bytes)", "é".repeat(QUOTE_MAX_CHARS))
        );
    }

    #[test]
    fn shown_keeps_plain_names_and_quotes_the_rest() {
        assert_eq!(shown("app/web-1.x"), "app/web-1.x");
        assert_eq!(shown("two words"), "\"two words\"");
        assert_eq!(shown(""), "\"\"");
        assert_eq!(shown("<script>"), "\"<script>\"");
        let path = FieldPath::root()
            .key("metadata")
            .key("labels")
            .key("a\u{1b}b");
        assert_eq!(path.to_string(), "metadata.labels.\"a\\x1bb\"");
    }

    #[test]
    fn cut_quoted_cuts_long_literals_written_by_libraries() {
        let long = "x".repeat(100);
        let short = "y".repeat(QUOTE_MAX_CHARS);
        // Rust's and Go's escapes count as the characters they stand for.
        let message = format!(
            "invalid type: string \"{long}\\u{{e9}}\\x1b\", expected `{long}` or \"{short}\""
        );
        assert_eq!(
            cut_quoted(&message),
            format!(
                "invalid type: string \"{}\"… (103 bytes), expected `{}`… (100 bytes) or \"{short}\"",
                "x".repeat(80),
                "x".repeat(80)
            )
        );
        assert_eq!(cut_quoted("no \"quotes\" to cut"), "no \"quotes\" to cut");
        // An unclosed quote is left as it is.
        let open = format!("a \"{long}");
        assert_eq!(cut_quoted(&open), open);
    }
}
