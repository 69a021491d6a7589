//! Input text at the edges: bytes to text, the byte order mark, line breaks, and positions.
//!
//! Every position the engine reports is a 1-based line and a 1-based column counted in Unicode
//! scalar values (characters). A line ends at LF, CRLF or a lone CR, as YAML and editors agree;
//! [`normalize`] turns the last two into LF before anything else reads the text, so that the
//! YAML parser, the document splitter and the field locator count the same lines.

use std::borrow::Cow;

use crate::diag::{Diagnostic, Severity};

const BOM: char = '\u{feff}';

/// One input file: a name used in diagnostics, and its text. A leading byte order mark is
/// ignored; lines may end in LF, CRLF or CR. To read a file's bytes, use [`decode`].
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The name diagnostics give the file (`file:line:col`).
    pub name: &'a str,
    /// The file's text.
    pub text: &'a str,
}

/// Decodes a file's bytes for [`Input`]: UTF-8 (a byte order mark is dropped), or
/// UTF-16 when the file starts with a UTF-16 byte order mark (as YAML allows).
///
/// Never fails: an invalid sequence is replaced by U+FFFD, the rest of the file is still
/// decoded, and the diagnostic (an error) gives the line and column of the first invalid
/// sequence and how many there are.
///
/// ```
/// let (text, diag) = netpol_engine::decode("in.yaml", b"a: b\nc: \xff\n");
/// assert_eq!(text, "a: b\nc: \u{fffd}\n");
/// assert_eq!(
///     diag.unwrap().to_string(),
///     "in.yaml:2:4: error: invalid UTF-8: byte 0xFF is not part of a character and read as U+FFFD; save the file as UTF-8"
/// );
/// ```
pub fn decode<'a>(name: &str, bytes: &'a [u8]) -> (Cow<'a, str>, Option<Diagnostic>) {
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return decode_utf16(name, rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return decode_utf16(name, rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let err = match std::str::from_utf8(bytes) {
        Ok(text) => return (Cow::Borrowed(text), None),
        Err(e) => e,
    };
    let good = err.valid_up_to();
    let bad_len = err.error_len().unwrap_or(bytes.len() - good);
    let shown: Vec<String> = bytes[good..good + bad_len]
        .iter()
        .map(|b| format!("0x{b:02X}"))
        .collect();
    let mut text = String::with_capacity(bytes.len() + 2);
    let mut count = 0usize;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        if !chunk.invalid().is_empty() {
            text.push('\u{fffd}');
            count += 1;
        }
    }
    let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
    let (line, col) = end_position(prefix);
    let what = if shown.len() == 1 {
        format!("byte {} is", shown[0])
    } else {
        format!("bytes {} are", shown.join(" "))
    };
    let message = format!(
        "invalid UTF-8: {what} not part of a character and read as U+FFFD; save the file as UTF-8{}",
        more_note(count)
    );
    (Cow::Owned(text), Some(error(name, line, col, message)))
}

fn decode_utf16<'a>(
    name: &str,
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
) -> (Cow<'a, str>, Option<Diagnostic>) {
    let units = bytes.chunks(2).map(|c| match c {
        [a, b] => unit([*a, *b]),
        // An odd trailing byte cannot be a code unit: a lone surrogate reports it.
        _ => 0xdc00,
    });
    let mut text = String::with_capacity(bytes.len() / 2);
    let mut first_bad = None;
    let mut bad = 0usize;
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => text.push(c),
            Err(_) => {
                first_bad.get_or_insert(text.len());
                bad += 1;
                text.push('\u{fffd}');
            }
        }
    }
    let diag = first_bad.map(|at| {
        let (line, col) = end_position(&text[..at]);
        let message = format!(
            "invalid UTF-16: an unpaired surrogate or a lone trailing byte, read as U+FFFD{}",
            more_note(bad)
        );
        error(name, line, col, message)
    });
    (Cow::Owned(text), diag)
}

/// `; N more invalid sequences follow` when there is more than the first.
fn more_note(count: usize) -> String {
    match count {
        0 | 1 => String::new(),
        2 => "; 1 more invalid sequence follows".to_string(),
        n => format!("; {} more invalid sequences follow", n - 1),
    }
}

fn error(file: &str, line: u32, col: u32, message: String) -> Diagnostic {
    Diagnostic {
        file: file.to_string(),
        line,
        col,
        severity: Severity::Error,
        code: "invalid-encoding",
        message,
    }
}

/// Drops a leading byte order mark and turns CRLF and lone CR line breaks into LF.
pub(crate) fn normalize(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix(BOM).unwrap_or(text);
    if !text.contains('\r') {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// The 1-based line and character column of byte `offset` in `text` (LF line breaks), clamped
/// to the text and moved back to a character boundary.
pub(crate) fn position(text: &str, offset: usize) -> (u32, u32) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    end_position(&text[..offset])
}

/// The position just after `prefix`: its line count and the column after its last line.
fn end_position(prefix: &str) -> (u32, u32) {
    let line = prefix.bytes().filter(|&b| b == b'\n').count() + 1;
    let last = prefix.rfind('\n').map_or(prefix, |i| &prefix[i + 1..]);
    (clamp(line), clamp(last.chars().count() + 1))
}

/// A count as a `u32` position, saturating.
pub(crate) fn clamp(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> (String, Option<String>) {
        let (text, diag) = decode("f", bytes);
        (text.into_owned(), diag.map(|d| d.to_string()))
    }

    #[test]
    fn utf8_with_and_without_bom_decodes_without_a_diagnostic() {
        assert_eq!(decoded(b"a: \xc3\xa9\n"), ("a: é\n".into(), None));
        assert_eq!(decoded(b"\xef\xbb\xbfa: b\n"), ("a: b\n".into(), None));
    }

    #[test]
    fn invalid_utf8_is_positioned_in_characters_and_the_rest_is_read() {
        let (text, diag) = decoded(b"a: 1\n\xc3\xa9t\xc3\xa9: \xe2\x82 x\nb: \xff\n");
        assert_eq!(text, "a: 1\nété: \u{fffd} x\nb: \u{fffd}\n");
        assert_eq!(
            diag.unwrap(),
            "f:2:6: error: invalid UTF-8: bytes 0xE2 0x82 are not part of a character and read as U+FFFD; save the file as UTF-8; 1 more invalid sequence follows"
        );
    }

    #[test]
    fn utf16_with_a_bom_decodes() {
        let le: Vec<u8> = [0xfeffu16]
            .into_iter()
            .chain("a: é\n".encode_utf16())
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(decoded(&le), ("a: é\n".into(), None));
        let mut be: Vec<u8> = [0xfeffu16]
            .into_iter()
            .chain("x\ny".encode_utf16())
            .flat_map(u16::to_be_bytes)
            .collect();
        be.extend([0xd8, 0x00]);
        assert_eq!(
            decoded(&be),
            (
                "x\ny\u{fffd}".into(),
                Some("f:2:2: error: invalid UTF-16: an unpaired surrogate or a lone trailing byte, read as U+FFFD".into())
            )
        );
    }

    #[test]
    fn line_breaks_are_normalized_and_positions_count_characters() {
        assert_eq!(normalize("\u{feff}a\r\nb\rc\n"), "a\nb\nc\n");
        let text = "ab\nété: x\n";
        assert_eq!(position(text, 0), (1, 1));
        assert_eq!(position(text, 3), (2, 1));
        // `x` is byte 11 and character 6 of its line.
        assert_eq!(position(text, text.find('x').unwrap()), (2, 6));
        assert_eq!(position(text, 999), (3, 1));
    }
}
