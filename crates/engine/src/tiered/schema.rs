//! Reading a `serde_yaml::Value` the way kube-apiserver validates a custom resource against its
//! CRD's OpenAPI schema, with the apiserver's field paths and wording.
//!
//! The wording follows `k8s.io/apiextensions-apiserver/pkg/apiserver/validation/validation.go`
//! (`kubeOpenAPIResultToFieldErrors`), which turns the OpenAPI validator's errors
//! (`k8s.io/kube-openapi/pkg/validation/errors/schema.go`) into `field.Error`s:
//!
//! - `required` → `spec.priority: Required value`;
//! - `enum` → `…action: Unsupported value: "Allows": supported values: "Allow", "Deny", "Pass"`;
//! - `maxItems` / `maxProperties` → `…: Too many: 2: must have at most 1 items`;
//! - `minimum` / `maximum` / `minItems` / `minProperties` / `pattern` → `field.Invalid` with the
//!   validator's sentence: `spec.priority: Invalid value: 1001: spec.priority in body should be
//!   less than or equal to 1000`;
//! - wrong types → `spec.priority: Invalid value: "string": spec.priority in body must be of
//!   type integer: "string"`;
//! - CEL rules (`x-kubernetes-validations`) → `<path>: Invalid value: "object": <message>`.
//!
//! Before validating, the apiserver prunes unknown fields (reported as warnings, like strict
//! field validation's `unknown field "spec.foo"`) and drops `null` values of fields that are not
//! nullable; the readers here do the same, so `minProperties` counts what is left.

use std::fmt::Display;
use std::net::IpAddr;

use serde_yaml::{Mapping, Value};

use crate::diag::{FieldPath, PathDiag, Severity};
use crate::model::{Cidr, LabelSelector, Operator, Requirement, Span};
use crate::validate;

/// Diagnostic codes (shared with the NetworkPolicy validation where they mean the same).
pub(crate) const REQUIRED: &str = "required";
pub(crate) const INVALID_VALUE: &str = "invalid-value";
pub(crate) const INVALID_TYPE: &str = "invalid-type";
pub(crate) const UNSUPPORTED_VALUE: &str = "unsupported-value";
pub(crate) const TOO_MANY: &str = "too-many";
pub(crate) const FORBIDDEN: &str = "forbidden";
pub(crate) const DUPLICATE: &str = "duplicate";
pub(crate) const UNKNOWN_FIELD: &str = "unknown-field";
pub(crate) const NON_CANONICAL_CIDR: &str = "non-canonical-cidr";
pub(crate) const NOT_EVALUATED: &str = "not-evaluated";

/// Collects the diagnostics of one object. Paths given to it are relative to the object (as the
/// apiserver prints them); the diagnostics' paths get `prefix` (the object's place in a `List`).
pub(crate) struct Cx<'a> {
    prefix: &'a FieldPath,
    loc: &'a dyn Fn(&FieldPath) -> Span,
    pub diags: Vec<PathDiag>,
}

impl<'a> Cx<'a> {
    pub fn new(prefix: &'a FieldPath, loc: &'a dyn Fn(&FieldPath) -> Span) -> Self {
        Cx {
            prefix,
            loc,
            diags: Vec::new(),
        }
    }

    fn abs(&self, rel: &FieldPath) -> FieldPath {
        FieldPath(self.prefix.0.iter().chain(rel.0.iter()).cloned().collect())
    }

    /// Where `rel` is written.
    pub fn span(&self, rel: &FieldPath) -> Span {
        (self.loc)(&self.abs(rel))
    }

    /// True when an error was reported: the object is left out of the model.
    pub fn failed(&self) -> bool {
        has_error(&self.diags)
    }

    /// An error `<shown>: <body>` positioned at `at`.
    pub fn error_shown(&mut self, shown: &str, at: &FieldPath, code: &'static str, body: &str) {
        let d = PathDiag::error(self.abs(at), code, format!("{shown}: {body}"));
        self.diags.push(d);
    }

    /// An error `<path>: <body>` positioned at `path`.
    pub fn error(&mut self, path: &FieldPath, code: &'static str, body: impl Display) {
        self.error_shown(&path.to_string(), path, code, &body.to_string());
    }

    pub fn warning(&mut self, path: &FieldPath, code: &'static str, message: impl Into<String>) {
        let d = PathDiag::warning(self.abs(path), code, message);
        self.diags.push(d);
    }

    /// `field.Required`: `<path>: Required value`.
    pub fn required(&mut self, path: &FieldPath) {
        self.error(path, REQUIRED, "Required value");
    }

    /// `field.Invalid` with a value already formatted the Go way.
    pub fn invalid(&mut self, path: &FieldPath, value: impl Display, detail: impl Display) {
        self.error(
            path,
            INVALID_VALUE,
            format_args!("Invalid value: {value}: {detail}"),
        );
    }

    /// `field.Invalid` with the OpenAPI validator's sentence `<path> in body <detail>`.
    pub fn invalid_in_body(&mut self, path: &FieldPath, value: impl Display, detail: &str) {
        self.invalid(path, value, format_args!("{path} in body {detail}"));
    }

    /// `field.NotSupported`.
    pub fn not_supported(&mut self, path: &FieldPath, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| quote(s)).collect();
        self.error(
            path,
            UNSUPPORTED_VALUE,
            format_args!(
                "Unsupported value: {}: supported values: {}",
                quote(value),
                list.join(", ")
            ),
        );
    }

    /// `field.TooMany`, as reported for `maxItems` and `maxProperties`.
    pub fn too_many(&mut self, path: &FieldPath, actual: usize, max: usize) {
        self.error(
            path,
            TOO_MANY,
            format_args!("Too many: {actual}: must have at most {max} items"),
        );
    }

    /// A CEL rule that failed on an object: `<path>: Invalid value: "object": <message>`.
    pub fn rule_failed(&mut self, path: &FieldPath, message: &str) {
        self.invalid(path, "\"object\"", message);
    }

    /// An OpenAPI type mismatch.
    pub fn wrong_type(&mut self, path: &FieldPath, got: &Value, want: &str) {
        let got = json_type(got);
        self.error(
            path,
            INVALID_TYPE,
            format_args!(
                "Invalid value: \"{got}\": {path} in body must be of type {want}: \"{got}\""
            ),
        );
    }
}

/// Go's `%q` for the strings that appear in these messages.
pub(crate) fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The JSON type name of a YAML value, as the OpenAPI validator names it.
fn json_type(v: &Value) -> &'static str {
    match untag(v) {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Sequence(_) => "array",
        Value::Mapping(_) => "object",
        Value::Tagged(_) => "object",
    }
}

pub(crate) fn untag(v: &Value) -> &Value {
    match v {
        Value::Tagged(t) => untag(&t.value),
        other => other,
    }
}

fn key_text(k: &Value) -> String {
    match untag(k) {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        _ => "?".to_string(),
    }
}

/// A mapping after pruning: known, non-null fields only.
pub(crate) struct Obj<'v> {
    pub path: FieldPath,
    fields: Vec<(&'static str, &'v Value)>,
}

impl<'v> Obj<'v> {
    /// The value of a known field, when present and not null.
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    /// Whether a known field is present (and not null).
    pub fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// The path of a field of this object.
    pub fn at(&self, key: &str) -> FieldPath {
        self.path.key(key)
    }

    /// `minProperties: 1` and `maxProperties: 1` ("exactly one field must be set"): the field
    /// that is set, or `None` after reporting.
    pub fn exactly_one(&self, cx: &mut Cx<'_>) -> Option<&'static str> {
        match self.fields.as_slice() {
            [(k, _)] => Some(k),
            [] => {
                cx.invalid_in_body(&self.path, 1, "should have at least 1 properties");
                None
            }
            many => {
                cx.too_many(&self.path, many.len(), 1);
                None
            }
        }
    }

    /// Reports a missing required field; true when present.
    pub fn require(&self, cx: &mut Cx<'_>, key: &str) -> bool {
        let present = self.has(key);
        if !present {
            cx.required(&self.at(key));
        }
        present
    }
}

/// Reads an object of the schema with fields `known`. Unknown fields are warned about and
/// pruned; `hints` add a sentence to the warning of a known mistake (`(field, sentence)`).
/// Returns `None` (after reporting) when the value is not a mapping.
pub(crate) fn object<'v>(
    cx: &mut Cx<'_>,
    v: &'v Value,
    path: &FieldPath,
    known: &[&'static str],
    hints: &[(&str, &str)],
) -> Option<Obj<'v>> {
    let Value::Mapping(map) = untag(v) else {
        cx.wrong_type(path, v, "object");
        return None;
    };
    Some(read_fields(cx, map, path, known, hints))
}

fn read_fields<'v>(
    cx: &mut Cx<'_>,
    map: &'v Mapping,
    path: &FieldPath,
    known: &[&'static str],
    hints: &[(&str, &str)],
) -> Obj<'v> {
    let mut fields = Vec::new();
    for (k, v) in map {
        let key = key_text(k);
        match known.iter().find(|f| **f == key) {
            Some(f) => {
                if !matches!(untag(v), Value::Null) {
                    fields.push((*f, v));
                }
            }
            None => {
                let p = path.key(&key);
                let mut message = format!("unknown field {}", quote(&p.to_string()));
                if let Some((_, hint)) = hints.iter().find(|(f, _)| *f == key) {
                    message.push_str("; ");
                    message.push_str(hint);
                } else if let Some(best) = suggestion(&key, known) {
                    message.push_str(&format!("; did you mean {}?", quote(best)));
                }
                message.push_str(" The API server drops unknown fields.");
                cx.warning(&p, UNKNOWN_FIELD, message);
            }
        }
    }
    fields.sort_by_key(|(k, _)| known.iter().position(|f| f == k));
    Obj {
        path: path.clone(),
        fields,
    }
}

/// The known field closest to `key`, within an edit distance of 2.
fn suggestion(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let key: Vec<char> = key.chars().flat_map(char::to_lowercase).collect();
    if key.is_empty() || key.len() > 64 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for &field in known {
        let f: Vec<char> = field.chars().flat_map(char::to_lowercase).collect();
        let d = edit_distance(&key, &f);
        if d <= 2 && d < key.len() && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, field));
        }
    }
    best.map(|(_, f)| f)
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// Reads an array with `minItems` / `maxItems` (`max` 0: unbounded). The items are returned
/// even when the count is wrong, so that every item is still checked.
pub(crate) fn list<'v>(
    cx: &mut Cx<'_>,
    v: &'v Value,
    path: &FieldPath,
    min: usize,
    max: usize,
) -> Option<&'v [Value]> {
    let Value::Sequence(items) = untag(v) else {
        cx.wrong_type(path, v, "array");
        return None;
    };
    if max > 0 && items.len() > max {
        cx.too_many(path, items.len(), max);
    }
    if items.len() < min {
        cx.invalid_in_body(
            path,
            items.len(),
            &format!("should have at least {min} items"),
        );
    }
    Some(items)
}

/// Reads a string.
pub(crate) fn string<'v>(cx: &mut Cx<'_>, v: &'v Value, path: &FieldPath) -> Option<&'v str> {
    match untag(v) {
        Value::String(s) => Some(s),
        _ => {
            cx.wrong_type(path, v, "string");
            None
        }
    }
}

/// Reads a string with `maxLength` (OpenAPI counts characters; the apiserver's message says
/// bytes).
pub(crate) fn string_max<'v>(
    cx: &mut Cx<'_>,
    v: &'v Value,
    path: &FieldPath,
    max: usize,
) -> Option<&'v str> {
    let s = string(cx, v, path)?;
    if s.chars().count() > max {
        cx.error(
            path,
            INVALID_VALUE,
            format_args!("Too long: must have at most {max} bytes"),
        );
        return None;
    }
    Some(s)
}

/// Reads a string of an `enum`.
pub(crate) fn one_of<'v>(
    cx: &mut Cx<'_>,
    v: &'v Value,
    path: &FieldPath,
    allowed: &[&str],
) -> Option<&'v str> {
    let s = string(cx, v, path)?;
    if allowed.contains(&s) {
        Some(s)
    } else {
        cx.not_supported(path, s, allowed);
        None
    }
}

/// Reads an integer with `minimum` / `maximum`.
pub(crate) fn integer(
    cx: &mut Cx<'_>,
    v: &Value,
    path: &FieldPath,
    min: i64,
    max: i64,
) -> Option<i64> {
    let n = match untag(v) {
        Value::Number(n) => n.as_i64(),
        _ => None,
    };
    let Some(n) = n else {
        // Too big for an int64, a float, or not a number at all.
        cx.wrong_type(path, v, "integer");
        return None;
    };
    if n < min {
        cx.invalid_in_body(
            path,
            n,
            &format!("should be greater than or equal to {min}"),
        );
        None
    } else if n > max {
        cx.invalid_in_body(path, n, &format!("should be less than or equal to {max}"));
        None
    } else {
        Some(n)
    }
}

/// Reads a port number (`minimum: 1`, `maximum: 65535`).
pub(crate) fn port_number(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<u16> {
    integer(cx, v, path, 1, 65535).and_then(|n| u16::try_from(n).ok())
}

/// Reads a `metav1.LabelSelector`.
///
/// The CRD schema only checks the shape (`matchLabels` values are strings, `matchExpressions`
/// items need `key` and `operator`). Everything `metav1.LabelSelectorAsSelector` would refuse —
/// an unknown operator, `values` with `Exists`, none with `In`, invalid keys or values — is
/// reported too, in `ValidateLabelSelector`'s wording: no implementation can use such a
/// selector, so the policy is left out.
pub(crate) fn selector(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<LabelSelector> {
    let obj = object(cx, v, path, &["matchLabels", "matchExpressions"], &[])?;
    let before = cx.diags.len();
    let mut out = LabelSelector::default();
    if let Some(labels) = obj.get("matchLabels") {
        let lpath = obj.at("matchLabels");
        match untag(labels) {
            Value::Mapping(map) => {
                for (k, val) in map {
                    let key = key_text(k);
                    let vpath = lpath.key(&key);
                    let Some(val) = string(cx, val, &vpath) else {
                        continue;
                    };
                    for msg in validate::label_key_errors(&key) {
                        cx.invalid(&lpath, quote(&key), msg);
                    }
                    for msg in validate::label_value_errors(val) {
                        cx.invalid(&vpath, quote(val), msg);
                    }
                    out.match_labels.insert(key, val.to_string());
                }
            }
            _ => cx.wrong_type(&lpath, labels, "object"),
        }
    }
    if let Some(exprs) = obj.get("matchExpressions") {
        let epath = obj.at("matchExpressions");
        for (i, e) in list(cx, exprs, &epath, 0, 0)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(r) = requirement(cx, e, &epath.index(i)) {
                out.match_expressions.push(r);
            }
        }
    }
    (!has_error(&cx.diags[before..])).then_some(out)
}

fn has_error(diags: &[PathDiag]) -> bool {
    diags.iter().any(|d| d.severity == Severity::Error)
}

fn requirement(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<Requirement> {
    let obj = object(cx, v, path, &["key", "operator", "values"], &[])?;
    let has_key = obj.require(cx, "key");
    let has_op = obj.require(cx, "operator");
    if !(has_key && has_op) {
        return None;
    }
    let key = string(cx, obj.get("key")?, &obj.at("key"));
    let op = string(cx, obj.get("operator")?, &obj.at("operator"));
    let mut values = Vec::new();
    if let Some(vals) = obj.get("values") {
        let vpath = obj.at("values");
        for (i, item) in list(cx, vals, &vpath, 0, 0)
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            if let Some(s) = string(cx, item, &vpath.index(i)) {
                values.push(s.to_string());
            }
        }
    }
    let (key, op) = (key?, op?);
    // ValidateLabelSelectorRequirement, in its order: operator and values, then the key.
    let operator = match op {
        "In" => Some(Operator::In),
        "NotIn" => Some(Operator::NotIn),
        "Exists" => Some(Operator::Exists),
        "DoesNotExist" => Some(Operator::DoesNotExist),
        _ => None,
    };
    match operator {
        Some(Operator::In | Operator::NotIn) if values.is_empty() => cx.error(
            &obj.at("values"),
            REQUIRED,
            "Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ),
        Some(Operator::Exists | Operator::DoesNotExist) if !values.is_empty() => cx.error(
            &obj.at("values"),
            FORBIDDEN,
            "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ),
        Some(_) => {}
        None => cx.invalid(
            &obj.at("operator"),
            quote(op),
            "not a valid selector operator",
        ),
    }
    for msg in validate::label_key_errors(key) {
        cx.invalid(&obj.at("key"), quote(key), msg);
    }
    for (i, val) in values.iter().enumerate() {
        for msg in validate::label_value_errors(val) {
            cx.invalid(&obj.at("values").index(i), quote(val), msg);
        }
    }
    Some(Requirement {
        key: key.to_string(),
        operator: operator?,
        values,
    })
}

/// Parses a CIDR the way the CRD's `isCIDR(self)` rule does (CEL's `cidr` library, Go's
/// `netip.ParsePrefix`): no leading zeros, no IPv6 zone, a prefix length within the family.
/// Returns the network with its host bits cleared.
pub(crate) fn parse_cidr(text: &str) -> Option<Cidr> {
    let (ip, bits) = text.rsplit_once('/')?;
    let addr: IpAddr = ip.parse().ok()?;
    let max = if addr.is_ipv4() { 32 } else { 128 };
    let valid_bits = !bits.is_empty()
        && bits.len() <= 3
        && bits.bytes().all(|b| b.is_ascii_digit())
        && (bits == "0" || !bits.starts_with('0'));
    if !valid_bits {
        return None;
    }
    let prefix: u8 = bits.parse().ok().filter(|p| *p <= max)?;
    Some(Cidr {
        addr: mask(addr, prefix),
        prefix,
    })
}

/// `addr` with every bit after the first `prefix` cleared.
pub(crate) fn mask(addr: IpAddr, prefix: u8) -> IpAddr {
    match addr {
        IpAddr::V4(a) => {
            let m = u32::MAX
                .checked_shl(32u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0);
            IpAddr::V4((u32::from(a) & m).into())
        }
        IpAddr::V6(a) => {
            let m = u128::MAX
                .checked_shl(128u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0);
            IpAddr::V6((u128::from(a) & m).into())
        }
    }
}

/// The canonical text of a CIDR (`10.0.0.0/8`).
pub(crate) fn cidr_text(c: &Cidr) -> String {
    format!("{}/{}", c.addr, c.prefix)
}

/// The CRD's `DomainName` pattern:
/// `^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$`.
/// (The `A-z` ranges also let `[\]^_` and a backquote start a label; so does this.)
pub(crate) const DOMAIN_NAME_PATTERN: &str = r"^(\*\.)?([a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$";

pub(crate) fn is_domain_name(s: &str) -> bool {
    let s = s.strip_prefix("*.").unwrap_or(s);
    let s = s.strip_suffix('.').unwrap_or(s);
    let labels: Vec<&str> = s.split('.').collect();
    let first = |c: char| c.is_ascii_alphanumeric() || ('A'..='z').contains(&c);
    let last = |c: char| c.is_ascii_alphanumeric();
    let inner = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    labels.len() >= 2
        && labels.iter().all(|l| {
            let mut chars = l.chars();
            match (chars.next(), chars.next_back()) {
                (Some(a), None) => first(a),
                (Some(a), Some(z)) => first(a) && last(z) && chars.all(inner),
                (None, _) => false,
            }
        })
}
