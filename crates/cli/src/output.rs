//! The output edge: everything `netpol` prints goes through here, and here only.
//!
//! Names, labels and messages come from the input files and the command line, so they may hold
//! control characters. Printed raw, an ESC sequence would recolour or clear the terminal, a CR
//! would overwrite the start of a line and an LF would start a forged line. Text output is
//! therefore printed line by line, and every control character inside a line (C0 including CR,
//! LF and TAB, DEL, C1) and every bidirectional override is written as a Rust-style escape such
//! as `\u{1b}`. JSON output escapes the same characters as JSON escapes (`\u001b`), so it still
//! parses to the same strings.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write as _};

use netpol_engine::Diagnostic;

/// True for a character a terminal would act on rather than print: control characters (C0, DEL,
/// C1) and the bidirectional embeddings, overrides and isolates that reorder what follows.
fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every unsafe character written as `\u{..}`, e.g. ESC as `\u{1b}` and LF as
/// `\u{a}`. The result holds no unsafe character, so escaping twice changes nothing.
pub(crate) fn escape(text: &str) -> Cow<'_, str> {
    // Printable ASCII, the common case, is checked a byte at a time.
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) || !text.chars().any(is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "{}", c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with the unsafe characters that serde_json leaves raw inside strings (DEL, C1,
/// bidirectional controls) written as JSON escapes. The value it parses to is unchanged: these
/// characters can only occur inside strings.
fn escape_json(json: &str) -> Cow<'_, str> {
    // Printable ASCII and the layout's newlines, the common case, are checked a byte at a time.
    let plain = |b: &u8| (b' '..=b'~').contains(b) || *b == b'\n';
    if json.as_bytes().iter().all(plain) || !json.chars().any(is_unsafe) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 8);
    for c in json.chars() {
        // serde_json's output holds no raw C0 character but the layout's LF.
        if is_unsafe(c) && c != '\n' {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Writes to stdout, ignoring a closed pipe (`netpol ... | head`).
fn write_stdout(text: &str) {
    let mut out = io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn escape_lines<I, S>(lines: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut text = String::new();
    for line in lines {
        text.push_str(&escape(line.as_ref()));
        text.push('\n');
    }
    text
}

/// Prints text output to stdout: each item is one line, escaped.
pub(crate) fn print_lines<I, S>(lines: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    write_stdout(&escape_lines(lines));
}

/// Prints JSON text (one document, ending with a newline) to stdout.
pub(crate) fn print_json(json: &str) {
    write_stdout(&escape_json(json));
}

/// Stdout for output too large to hold: lines and JSON pieces are escaped and written through a
/// buffer as they come. Stops writing once stdout is closed (`netpol ... | head`).
pub(crate) struct Stream {
    out: io::BufWriter<io::StdoutLock<'static>>,
    closed: bool,
    /// The start of a character a serializer has not finished writing.
    pending: Vec<u8>,
}

impl Stream {
    pub(crate) fn stdout() -> Self {
        Stream {
            out: io::BufWriter::with_capacity(1 << 16, io::stdout().lock()),
            closed: false,
            pending: Vec::new(),
        }
    }

    fn write(&mut self, text: &str) {
        if !self.closed && self.out.write_all(text.as_bytes()).is_err() {
            self.closed = true;
        }
    }

    /// Prints one line of text output, escaped.
    pub(crate) fn line(&mut self, line: &str) {
        self.write(&escape(line));
        self.write("\n");
    }

    /// Prints one line of text output made of `parts`, each already escaped by [`escape`] (or
    /// holding no unsafe character): escaping is per character, so the line is as
    /// [`Stream::line`] would print the parts joined. For output of millions of lines that
    /// repeat a few names, escaped once.
    pub(crate) fn escaped_line(&mut self, parts: &[&str]) {
        for part in parts {
            debug_assert_eq!(escape(part), *part, "escaped already");
            self.write(part);
        }
        self.write("\n");
    }

    /// Prints a piece of output made of printable ASCII and line feeds only (JSON punctuation,
    /// literals and numbers), which needs no escaping.
    pub(crate) fn ascii(&mut self, piece: &str) {
        debug_assert!(piece
            .bytes()
            .all(|b| b == b'\n' || (b' '..=b'~').contains(&b)));
        self.write(piece);
    }

    /// Prints a piece of one JSON document, escaped like [`print_json`] escapes a whole one.
    pub(crate) fn json(&mut self, piece: &str) {
        self.write(&escape_json(piece));
    }
}

/// JSON text written by a serializer; whole characters are escaped as they arrive, a character
/// split between two writes waits for its end.
impl io::Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(buf);
        let valid = match std::str::from_utf8(&self.pending) {
            Ok(_) => self.pending.len(),
            Err(e) => e.valid_up_to(),
        };
        let done: Vec<u8> = self.pending.drain(..valid).collect();
        self.json(std::str::from_utf8(&done).unwrap_or_default());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Stream {
    fn drop(&mut self) {
        if !self.closed {
            let _ = self.out.flush();
        }
    }
}

/// Prints lines to stderr, each escaped.
pub(crate) fn eprint_lines<I, S>(lines: I)
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let _ = io::stderr()
        .lock()
        .write_all(escape_lines(lines).as_bytes());
}

/// Prints diagnostics to stderr, one line each: `file:line:col: severity: message`.
pub(crate) fn print_diagnostics(diags: &[Diagnostic]) {
    eprint_lines(diags.iter().map(ToString::to_string));
}

/// Prints a command-line or lookup error to stderr: `netpol: error: MESSAGE`, then `hint: HINT`.
pub(crate) fn print_error(message: &str, hint: &str) {
    eprint_lines([format!("netpol: error: {message}"), format!("hint: {hint}")]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_control_and_bidi_characters() {
        for (raw, printed) in [
            ("x/a", "x/a"),
            ("x/b → x/a ✓ ✗ café", "x/b → x/a ✓ ✗ café"),
            ("a\u{1b}[31mred", "a\\u{1b}[31mred"),
            ("a\r\nb\tc", "a\\u{d}\\u{a}b\\u{9}c"),
            ("\0\u{7f}\u{9b}", "\\u{0}\\u{7f}\\u{9b}"),
            ("abc\u{202e}fed", "abc\\u{202e}fed"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
        ] {
            assert_eq!(escape(raw), printed, "{raw:?}");
            assert_eq!(escape(printed), printed, "escaping twice changes nothing");
        }
    }

    #[test]
    fn escaped_lines_stay_one_line_each() {
        assert_eq!(
            escape_lines(["one\nforged", "two"]),
            "one\\u{a}forged\ntwo\n"
        );
    }

    #[test]
    fn json_escapes_keep_the_value() {
        let value = serde_json::json!({"name": "a\u{1b}b\u{7f}c\u{85}d\u{202e}e\nf"});
        let text = serde_json::to_string_pretty(&value).unwrap();
        let safe = escape_json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&safe).unwrap(),
            value
        );
    }
}
