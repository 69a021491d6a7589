//! Diagnostics in the apiserver's format (apimachinery `util/validation/field/errors.go`):
//! `<path>: <Type>: <value>: <detail>`, with values quoted like Go's `%q`.

use crate::diag::{go_escape, FieldPath, PathDiag};

// Diagnostic codes.
const REQUIRED: &str = "required";
const INVALID_VALUE: &str = "invalid-value";
const UNSUPPORTED_VALUE: &str = "unsupported-value";
const FORBIDDEN: &str = "forbidden";
const DUPLICATE: &str = "duplicate";
pub(super) const UNKNOWN_FIELD: &str = "unknown-field";
pub(super) const NON_CANONICAL_CIDR: &str = "non-canonical-cidr";

/// Collects diagnostics for an object at `prefix`: paths get the prefix, messages do not.
pub(super) struct Sink<'a> {
    prefix: &'a FieldPath,
    out: &'a mut Vec<PathDiag>,
}

impl<'a> Sink<'a> {
    pub(super) fn new(prefix: &'a FieldPath, out: &'a mut Vec<PathDiag>) -> Sink<'a> {
        Sink { prefix, out }
    }

    /// The path of `rel` (relative to the object) in the document.
    pub(super) fn abs(&self, rel: &FieldPath) -> FieldPath {
        FieldPath(self.prefix.0.iter().chain(rel.0.iter()).cloned().collect())
    }

    /// How many errors were collected so far.
    pub(super) fn error_count(&self) -> usize {
        let error = crate::diag::Severity::Error;
        self.out.iter().filter(|d| d.severity == error).count()
    }

    /// An error about `field` (as printed), positioned at `at`.
    fn error_at(&mut self, field: &FieldPath, at: &FieldPath, code: &'static str, body: String) {
        let d = PathDiag::error(self.abs(at), code, format!("{field}: {body}"));
        self.out.push(d);
    }

    pub(super) fn warning(&mut self, at: &FieldPath, code: &'static str, message: String) {
        let d = PathDiag::warning(self.abs(at), code, message);
        self.out.push(d);
    }

    /// `field.Required`: `Required value` or `Required value: <detail>`.
    pub(super) fn required(&mut self, field: &FieldPath, detail: &str) {
        let body = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        self.error_at(field, field, REQUIRED, body);
    }

    /// `field.Invalid` with a value already formatted the Go way (`%q` for strings, `%v` for
    /// numbers, `%#v` for the rest).
    pub(super) fn invalid(&mut self, field: &FieldPath, value: &str, detail: &str) {
        self.invalid_at(field, field, value, detail);
    }

    pub(super) fn invalid_at(
        &mut self,
        field: &FieldPath,
        at: &FieldPath,
        value: &str,
        detail: &str,
    ) {
        self.error_at(
            field,
            at,
            INVALID_VALUE,
            format!("Invalid value: {value}: {detail}"),
        );
    }

    /// `field.NotSupported`: `Unsupported value: "X": supported values: "A", "B"`.
    pub(super) fn not_supported(&mut self, field: &FieldPath, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        let body = format!(
            "Unsupported value: {}: supported values: {}",
            go_quote(value),
            list.join(", ")
        );
        self.error_at(field, field, UNSUPPORTED_VALUE, body);
    }

    /// `field.Duplicate`: `Duplicate value: "X"`.
    pub(super) fn duplicate(&mut self, field: &FieldPath, value: &str) {
        let body = format!("Duplicate value: {}", go_quote(value));
        self.error_at(field, field, DUPLICATE, body);
    }

    /// `field.Forbidden`.
    pub(super) fn forbidden(&mut self, field: &FieldPath, detail: &str) {
        self.error_at(field, field, FORBIDDEN, format!("Forbidden: {detail}"));
    }

    /// `field.TooLong(path, value, max)`: `Too long: must have at most N bytes` (reported with
    /// the `invalid-value` code).
    pub(super) fn too_long(&mut self, field: &FieldPath, max: usize) {
        self.error_at(
            field,
            field,
            INVALID_VALUE,
            format!("Too long: must have at most {max} bytes"),
        );
    }
}

/// Go's `strconv.Quote` (what `%q` prints), one character at a time as [`crate::diag`] quotes.
pub(super) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        go_escape(c, &mut out);
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::go_quote;

    /// Expected outputs are Go's `strconv.Quote`: a tag character (U+E0001, not printable in
    /// Go) is written `\U000e0001`, like the messages of `diag::quote`.
    #[test]
    fn go_quote_writes_what_go_writes() {
        for (input, want) in [
            ("web", r#""web""#),
            ("a\"b\\c", r#""a\"b\\c""#),
            ("tab\there\n", r#""tab\there\n""#),
            ("\u{7f}", r#""\x7f""#),
            ("\u{200b}", r#""\u200b""#),
            ("\u{e0001}x", r#""\U000e0001x""#),
            ("日本", r#""日本""#),
        ] {
            assert_eq!(go_quote(input), want, "{input:?}");
        }
    }
}
