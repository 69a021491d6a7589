//! Validation of `networking.k8s.io/v1` NetworkPolicy objects, the way kube-apiserver does it,
//! and their conversion into the [model](crate::model).
//!
//! The checks and their wording follow the apiserver sources:
//!
//! - `pkg/apis/networking/validation/validation.go` (`ValidateNetworkPolicy`, `…Spec`, `…Port`,
//!   `…Peer`, `ValidateIPBlock`) for the spec, in the same order;
//! - `staging/src/k8s.io/apimachinery/pkg/api/validation/objectmeta.go` and `generic.go` for
//!   `metadata` (name, generateName, namespace, labels, annotations);
//! - `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go` for label
//!   selectors;
//! - `staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go` (DNS names, port names,
//!   port numbers) and `pkg/api/validate/content/{kube,errors}.go` (label keys and values);
//! - `staging/src/k8s.io/apimachinery/pkg/util/validation/ip.go` (CIDR parsing and the
//!   `GetWarningsForCIDR` warnings that `pkg/registry/networking/networkpolicy/strategy.go` returns);
//! - `staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go` for the
//!   `<path>: <Type>: <value>: <detail>` format.
//!
//! CIDRs are parsed like `k8s.io/utils/net.ParseCIDRSloppy` (Go 1.16's `net.ParseCIDR`, which
//! accepts leading zeros), since the `StrictIPCIDRValidation` feature gate is off by default.
//! Unknown fields are reported like the apiserver's strict field validation
//! (`unknown field "spec.ingress[0].form"`), as warnings.
//!
//! Nothing here panics on any input: no indexing that can go out of bounds, no unchecked
//! arithmetic on user numbers.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use k8s_openapi::api::networking::v1 as np;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_yaml::Value;

use crate::diag::{FieldPath, PathDiag, Seg, Severity};
use crate::model::{self, Span};

/// Diagnostic codes.
const REQUIRED: &str = "required";
const INVALID_VALUE: &str = "invalid-value";
const UNSUPPORTED_VALUE: &str = "unsupported-value";
const FORBIDDEN: &str = "forbidden";
const UNKNOWN_FIELD: &str = "unknown-field";
const NON_CANONICAL_CIDR: &str = "non-canonical-cidr";

/// `IsValidCIDR` / `IsValidCIDRForLegacyField` (apimachinery `util/validation/ip.go`).
const CIDR_INVALID: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
/// apimachinery `api/validation/objectmeta.go`: `TotalAnnotationSizeLimitB`.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

// ---------------------------------------------------------------------------------------------
// Public (crate) API
// ---------------------------------------------------------------------------------------------

/// Validates a NetworkPolicy the way kube-apiserver does and converts it into the model.
///
/// `value` is the YAML of the object (or of the whole document holding it at `path_prefix`), used
/// for unknown-field warnings; `obj` is its typed form; `loc` positions a field path. Every
/// `PathDiag` path and every `loc` call is prefixed with `path_prefix`, while messages use the
/// path relative to the object, as the apiserver prints it. Returns `None` for the policy when
/// any diagnostic is an error.
pub(crate) fn network_policy(
    value: &serde_yaml::Value,
    obj: &np::NetworkPolicy,
    path_prefix: &FieldPath,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> (Option<model::NetworkPolicy>, Vec<PathDiag>) {
    let mut diags = Vec::new();
    let policy = {
        let mut sink = Sink {
            prefix: path_prefix,
            out: &mut diags,
        };
        unknown_fields(object_value(value, path_prefix), &mut sink);
        convert_policy(obj, &mut sink, loc)
    };
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    (if failed { None } else { Some(policy) }, diags)
}

/// Label keys: apimachinery `IsQualifiedName` (`content.IsLabelKey`).
pub(crate) fn label_key_errors(key: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let name = match key.split_once('/') {
        None => key,
        Some((_, suffix)) if suffix.contains('/') => {
            errs.push(format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_ERR, LABEL_KEY_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
        Some((prefix, suffix)) => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {EMPTY_ERROR}"));
            } else {
                // The content package's IsDNS1123Subdomain (lengths in bytes).
                for msg in dns1123_subdomain_errors_with(prefix, CONTENT_MAX_LEN_UNIT) {
                    errs.push(format!("prefix part {msg}"));
                }
            }
            suffix
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {EMPTY_ERROR}"));
    } else if name.len() > LABEL_KEY_MAX_LENGTH {
        errs.push(format!(
            "name part {}",
            max_len_error(LABEL_KEY_MAX_LENGTH, CONTENT_MAX_LEN_UNIT)
        ));
    }
    if !is_label_key_name(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                LABEL_KEY_ERR,
                LABEL_KEY_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// Label values: apimachinery `IsValidLabelValue` (`content.IsLabelValue`).
pub(crate) fn label_value_errors(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_VALUE_MAX_LENGTH {
        errs.push(max_len_error(LABEL_VALUE_MAX_LENGTH, CONTENT_MAX_LEN_UNIT));
    }
    if !value.is_empty() && !is_label_key_name(value) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// Namespace names: apimachinery `IsDNS1123Label` (via `ValidateNamespaceName`).
pub(crate) fn dns1123_label_errors(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > DNS1123_LABEL_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_LABEL_MAX_LENGTH, UTIL_MAX_LEN_UNIT));
    }
    if !is_dns1123_label(name) {
        if is_dns1123_subdomain(name) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// Pod and policy names: apimachinery `IsDNS1123Subdomain` (via `NameIsDNSSubdomain`).
pub(crate) fn dns1123_subdomain_errors(name: &str) -> Vec<String> {
    dns1123_subdomain_errors_with(name, UTIL_MAX_LEN_UNIT)
}

/// Named ports: apimachinery `IsValidPortName` (an IANA_SVC_NAME).
pub(crate) fn port_name_errors(name: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > 15 {
        errs.push(max_len_error(15, UTIL_MAX_LEN_UNIT));
    }
    if name.is_empty()
        || !name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !name.bytes().any(|b| b.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

/// Parses a CIDR like `netutils.ParseCIDRSloppy` and validates it like `IsValidCIDR` (legacy,
/// non-strict). Returns the network (host bits cleared, as Go's `IPNet` matches addresses) and
/// its canonical text (Go's `IPNet.String()`), or the apiserver's error detail.
#[allow(dead_code)] // Part of the crate API (the toy-format parser); used by the tests.
pub(crate) fn parse_cidr(text: &str) -> Result<(model::Cidr, String), String> {
    match GoCidr::parse(text) {
        Some(c) => Ok((c.model(), c.canonical())),
        None => Err(CIDR_INVALID.to_string()),
    }
}

/// Converts and validates a label selector (`ValidateLabelSelector`), reporting problems under
/// `path` (used both as the diagnostic path and in the messages).
#[allow(dead_code)] // Part of the crate API (the toy-format parser); used by the tests.
pub(crate) fn label_selector(
    sel: &metav1::LabelSelector,
    path: &FieldPath,
    diags: &mut Vec<PathDiag>,
) -> model::LabelSelector {
    let root = FieldPath::root();
    let mut sink = Sink {
        prefix: &root,
        out: diags,
    };
    selector(sel, path, &mut sink)
}

// ---------------------------------------------------------------------------------------------
// Diagnostics in the apiserver's format (field/errors.go)
// ---------------------------------------------------------------------------------------------

/// Collects diagnostics for an object at `prefix`: paths get the prefix, messages do not.
struct Sink<'a> {
    prefix: &'a FieldPath,
    out: &'a mut Vec<PathDiag>,
}

impl Sink<'_> {
    fn abs(&self, rel: &FieldPath) -> FieldPath {
        FieldPath(self.prefix.0.iter().chain(rel.0.iter()).cloned().collect())
    }

    /// An error about `field` (as printed), positioned at `at`.
    fn error_at(&mut self, field: &FieldPath, at: &FieldPath, code: &'static str, body: String) {
        let d = PathDiag::error(self.abs(at), code, format!("{field}: {body}"));
        self.out.push(d);
    }

    fn warning(&mut self, at: &FieldPath, code: &'static str, message: String) {
        let d = PathDiag::warning(self.abs(at), code, message);
        self.out.push(d);
    }

    /// `field.Required`: `Required value` or `Required value: <detail>`.
    fn required(&mut self, field: &FieldPath, detail: &str) {
        let body = if detail.is_empty() {
            "Required value".to_string()
        } else {
            format!("Required value: {detail}")
        };
        self.error_at(field, field, REQUIRED, body);
    }

    /// `field.Invalid` with a value already formatted the Go way (`%q` for strings, `%v` for
    /// numbers, `%#v` for the rest).
    fn invalid(&mut self, field: &FieldPath, value: &str, detail: &str) {
        self.invalid_at(field, field, value, detail);
    }

    fn invalid_at(&mut self, field: &FieldPath, at: &FieldPath, value: &str, detail: &str) {
        self.error_at(
            field,
            at,
            INVALID_VALUE,
            format!("Invalid value: {value}: {detail}"),
        );
    }

    /// `field.NotSupported`: `Unsupported value: "X": supported values: "A", "B"`.
    fn not_supported(&mut self, field: &FieldPath, value: &str, supported: &[&str]) {
        let list: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
        let body = format!(
            "Unsupported value: {}: supported values: {}",
            go_quote(value),
            list.join(", ")
        );
        self.error_at(field, field, UNSUPPORTED_VALUE, body);
    }

    /// `field.Forbidden`.
    fn forbidden(&mut self, field: &FieldPath, detail: &str) {
        self.error_at(field, field, FORBIDDEN, format!("Forbidden: {detail}"));
    }

    /// `field.TooLong(path, value, max)`: `Too long: must have at most N bytes` (reported with
    /// the `invalid-value` code).
    fn too_long(&mut self, field: &FieldPath, max: usize) {
        self.error_at(
            field,
            field,
            INVALID_VALUE,
            format!("Too long: must have at most {max} bytes"),
        );
    }
}

/// Go's `strconv.Quote` (what `%q` prints).
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
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
    out.push('"');
    out
}

/// An approximation of Go's `strconv.IsPrint` for non-ASCII characters.
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
        | '\u{e000}'..='\u{f8ff}' | '\u{fffe}' | '\u{ffff}')
}

// ---------------------------------------------------------------------------------------------
// Names, labels (util/validation/validation.go, api/validate/content)
// ---------------------------------------------------------------------------------------------

const EMPTY_ERROR: &str = "must be non-empty";
/// `content.MaxLenError` says bytes; `util/validation.MaxLenError` says characters.
const CONTENT_MAX_LEN_UNIT: &str = "bytes";
const UTIL_MAX_LEN_UNIT: &str = "characters";

const LABEL_KEY_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_ERR: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_MAX_LENGTH: usize = 63;
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_MAX_LENGTH: usize = 63;

const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_LABEL_MAX_LENGTH: usize = 63;
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_MAX_LENGTH: usize = 253;

fn max_len_error(length: usize, unit: &str) -> String {
    format!("must be no more than {length} {unit}")
}

/// apimachinery `RegexError`.
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut out = format!("{msg} (e.g. ");
    for (i, ex) in examples.iter().enumerate() {
        if i > 0 {
            out.push_str(" or ");
        }
        let _ = write!(out, "'{ex}', ");
    }
    let _ = write!(out, "regex used for validation is '{fmt}')");
    out
}

fn dns1123_subdomain_errors_with(name: &str, unit: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if name.len() > DNS1123_SUBDOMAIN_MAX_LENGTH {
        errs.push(max_len_error(DNS1123_SUBDOMAIN_MAX_LENGTH, unit));
    }
    if !is_dns1123_subdomain(name) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    let alnum = |c: u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => alnum(f) && alnum(l) && b.iter().all(|&c| alnum(c) || c == b'-'),
        _ => false,
    }
}

/// `^label(\.label)*$`
fn is_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(is_dns1123_label)
}

/// `^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$`
fn is_label_key_name(s: &str) -> bool {
    let b = s.as_bytes();
    match (b.first(), b.last()) {
        (Some(&f), Some(&l)) => {
            f.is_ascii_alphanumeric()
                && l.is_ascii_alphanumeric()
                && b.iter()
                    .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

/// apimachinery `NameIsDNSSubdomain(name, prefix)`.
fn name_is_dns_subdomain(name: &str, prefix: bool) -> Vec<String> {
    if prefix {
        dns1123_subdomain_errors(&mask_trailing_dash(name))
    } else {
        dns1123_subdomain_errors(name)
    }
}

/// apimachinery `maskTrailingDash`: replaces a trailing dash (and the character before it, as
/// Go's `name[:len(name)-2] + "a"` does) so that a generateName prefix can be validated.
fn mask_trailing_dash(name: &str) -> String {
    match name.strip_suffix('-') {
        Some(rest) => {
            let mut chars = rest.chars();
            chars.next_back();
            format!("{}a", chars.as_str())
        }
        None => name.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------------

fn rel_root() -> FieldPath {
    FieldPath::root()
}

fn convert_policy(
    obj: &np::NetworkPolicy,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> model::NetworkPolicy {
    let at = |sink: &Sink<'_>, rel: &FieldPath| loc(&sink.abs(rel));
    let meta_path = rel_root().key("metadata");
    let (name, namespace) = object_meta(&obj.metadata, &meta_path, sink);
    let span = if obj.metadata.name.is_some() {
        at(sink, &meta_path.key("name"))
    } else {
        at(sink, &rel_root())
    };

    // ValidateNetworkPolicySpec.
    let spec_path = rel_root().key("spec");
    let default_spec = np::NetworkPolicySpec::default();
    let spec = obj.spec.as_ref().unwrap_or(&default_spec);
    let pod_selector = match &spec.pod_selector {
        Some(sel) => selector(sel, &spec_path.key("podSelector"), sink),
        None => model::LabelSelector::default(),
    };

    let mut ingress = Vec::new();
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        let rule_path = spec_path.key("ingress").index(i);
        let ports = rule_ports(rule.ports.as_deref(), &rule_path, sink, loc);
        let peers = rule_peers(rule.from.as_deref(), &rule_path.key("from"), sink, loc);
        ingress.push(model::Rule {
            peers,
            ports,
            span: at(sink, &rule_path),
        });
    }
    let mut egress = Vec::new();
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        let rule_path = spec_path.key("egress").index(i);
        let ports = rule_ports(rule.ports.as_deref(), &rule_path, sink, loc);
        let peers = rule_peers(rule.to.as_deref(), &rule_path.key("to"), sink, loc);
        egress.push(model::Rule {
            peers,
            ports,
            span: at(sink, &rule_path),
        });
    }

    let types = spec.policy_types.as_deref().unwrap_or(&[]);
    let types_path = spec_path.key("policyTypes");
    if types.len() > 2 {
        // `field.Invalid(fldPath.Child("policyTypes"), &spec.PolicyTypes, …)` prints the slice
        // with %#v.
        let items: Vec<String> = types.iter().map(|t| go_quote(t)).collect();
        let value = format!("[]networking.PolicyType{{{}}}", items.join(", "));
        sink.invalid(
            &types_path,
            &value,
            "may not specify more than two policyTypes",
        );
    } else {
        for (i, t) in types.iter().enumerate() {
            if t != "Ingress" && t != "Egress" {
                sink.not_supported(&types_path.index(i), t, &["Ingress", "Egress"]);
            }
        }
    }
    // SetDefaults_NetworkPolicySpec: with no policyTypes, Ingress always, Egress when there are
    // egress rules.
    let explicit = !types.is_empty();
    let (affects_ingress, affects_egress) = if explicit {
        (
            types.iter().any(|t| t == "Ingress"),
            types.iter().any(|t| t == "Egress"),
        )
    } else {
        (true, !egress.is_empty())
    };

    model::NetworkPolicy {
        namespace,
        name,
        pod_selector,
        affects_ingress,
        affects_egress,
        policy_types_explicit: explicit,
        namespace_explicit: obj.metadata.namespace.is_some(),
        ingress,
        egress,
        span,
    }
}

/// `ValidateObjectMeta(meta, true, ValidateNetworkPolicyName, "metadata")`, minus what only the
/// server sets. Returns the name and the namespace (`default` when missing, as kubectl does).
fn object_meta(
    meta: &metav1::ObjectMeta,
    path: &FieldPath,
    sink: &mut Sink<'_>,
) -> (String, String) {
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        let p = path.key("generateName");
        for msg in name_is_dns_subdomain(generate_name, true) {
            sink.invalid(&p, &go_quote(generate_name), &msg);
        }
    }
    let given = meta.name.as_deref().unwrap_or("");
    let name = if !given.is_empty() {
        let p = path.key("name");
        for msg in name_is_dns_subdomain(given, false) {
            sink.invalid(&p, &go_quote(given), &msg);
        }
        given.to_string()
    } else if !generate_name.is_empty() {
        // The apiserver generates the name before validating it: generateName plus five
        // random characters (names.SimpleNameGenerator, base cut to 58 bytes).
        let mut base = generate_name.to_string();
        if base.len() > 58 {
            let mut cut = 58;
            while !base.is_char_boundary(cut) {
                cut -= 1;
            }
            base.truncate(cut);
        }
        format!("{base}xxxxx")
    } else {
        sink.required(&path.key("name"), "name or generateName is required");
        String::new()
    };

    let namespace = match meta.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => {
            let p = path.key("namespace");
            for msg in dns1123_label_errors(ns) {
                sink.invalid(&p, &go_quote(ns), &msg);
            }
            ns.to_string()
        }
        _ => "default".to_string(),
    };

    if let Some(labels) = &meta.labels {
        validate_labels(labels, &path.key("labels"), sink);
    }
    if let Some(annotations) = &meta.annotations {
        let p = path.key("annotations");
        for k in annotations.keys() {
            // "The rule is QualifiedName except that case doesn't matter".
            for msg in label_key_errors(&k.to_lowercase()) {
                sink.invalid_at(&p, &p.key(k), &go_quote(k), &msg);
            }
        }
        let total = annotations.iter().fold(0usize, |n, (k, v)| {
            n.saturating_add(k.len()).saturating_add(v.len())
        });
        if total > TOTAL_ANNOTATION_SIZE_LIMIT {
            sink.too_long(&p, TOTAL_ANNOTATION_SIZE_LIMIT);
        }
    }
    (name, namespace)
}

/// `ValidateLabels`: errors name the map (`…matchLabels`), positioned at the offending key.
fn validate_labels(labels: &BTreeMap<String, String>, path: &FieldPath, sink: &mut Sink<'_>) {
    for (k, v) in labels {
        let at = path.key(k);
        for msg in label_key_errors(k) {
            sink.invalid_at(path, &at, &go_quote(k), &msg);
        }
        for msg in label_value_errors(v) {
            sink.invalid_at(path, &at, &go_quote(v), &msg);
        }
    }
}

/// `ValidateLabelSelector` (with `AllowInvalidLabelValueInSelector: false`) and conversion.
fn selector(
    sel: &metav1::LabelSelector,
    path: &FieldPath,
    sink: &mut Sink<'_>,
) -> model::LabelSelector {
    let mut out = model::LabelSelector::default();
    if let Some(labels) = &sel.match_labels {
        validate_labels(labels, &path.key("matchLabels"), sink);
        out.match_labels = labels.clone();
    }
    for (i, expr) in sel.match_expressions.iter().flatten().enumerate() {
        let p = path.key("matchExpressions").index(i);
        let values = expr.values.as_deref().unwrap_or(&[]);
        let operator = match expr.operator.as_str() {
            "In" => Some(model::Operator::In),
            "NotIn" => Some(model::Operator::NotIn),
            "Exists" => Some(model::Operator::Exists),
            "DoesNotExist" => Some(model::Operator::DoesNotExist),
            _ => None,
        };
        match operator {
            Some(model::Operator::In | model::Operator::NotIn) => {
                if values.is_empty() {
                    sink.required(
                        &p.key("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            Some(model::Operator::Exists | model::Operator::DoesNotExist) => {
                if !values.is_empty() {
                    sink.forbidden(
                        &p.key("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            None => sink.invalid(
                &p.key("operator"),
                &go_quote(&expr.operator),
                "not a valid selector operator",
            ),
        }
        for msg in label_key_errors(&expr.key) {
            sink.invalid(&p.key("key"), &go_quote(&expr.key), &msg);
        }
        for (vi, v) in values.iter().enumerate() {
            for msg in label_value_errors(v) {
                sink.invalid(&p.key("values").index(vi), &go_quote(v), &msg);
            }
        }
        if let Some(operator) = operator {
            out.match_expressions.push(model::Requirement {
                key: expr.key.clone(),
                operator,
                values: values.to_vec(),
            });
        }
    }
    out
}

fn rule_ports(
    ports: Option<&[np::NetworkPolicyPort]>,
    rule_path: &FieldPath,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<model::NetworkPolicyPort> {
    let mut out = Vec::new();
    for (k, port) in ports.unwrap_or(&[]).iter().enumerate() {
        let p = rule_path.key("ports").index(k);
        let span = loc(&sink.abs(&p));
        if let Some(port) = network_policy_port(port, &p, sink, span) {
            out.push(port);
        }
    }
    out
}

fn rule_peers(
    peers: Option<&[np::NetworkPolicyPeer]>,
    list_path: &FieldPath,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<model::NetworkPolicyPeer> {
    let mut out = Vec::new();
    for (j, peer) in peers.unwrap_or(&[]).iter().enumerate() {
        let p = list_path.index(j);
        let span = loc(&sink.abs(&p));
        out.push(network_policy_peer(peer, &p, sink, span));
    }
    out
}

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

fn valid_port_number(n: i32) -> Option<u16> {
    u16::try_from(n).ok().filter(|p| *p >= 1)
}

/// `ValidateNetworkPolicyPort`, with the protocol defaulted to TCP.
fn network_policy_port(
    port: &np::NetworkPolicyPort,
    path: &FieldPath,
    sink: &mut Sink<'_>,
    span: Span,
) -> Option<model::NetworkPolicyPort> {
    let protocol = match port.protocol.as_deref() {
        None => Some(model::Protocol::Tcp),
        Some(p) => {
            let parsed = model::Protocol::parse(p);
            if parsed.is_none() {
                sink.not_supported(&path.key("protocol"), p, &["TCP", "UDP", "SCTP"]);
            }
            parsed
        }
    };
    let port_path = path.key("port");
    let end_path = path.key("endPort");
    let mut end_port = None;
    let port_ref = match &port.port {
        Some(IntOrString::Int(n)) => {
            let number = valid_port_number(*n);
            if number.is_none() {
                sink.invalid(&port_path, &n.to_string(), PORT_RANGE);
            }
            if let Some(end) = port.end_port {
                if end < *n {
                    sink.invalid(
                        &end_path,
                        &end.to_string(),
                        "must be greater than or equal to `port`",
                    );
                }
                match valid_port_number(end) {
                    Some(e) => end_port = Some(e),
                    None => sink.invalid(&end_path, &end.to_string(), PORT_RANGE),
                }
            }
            number.map(model::PortRef::Number)
        }
        Some(IntOrString::String(s)) => {
            if let Some(end) = port.end_port {
                sink.invalid(
                    &end_path,
                    &end.to_string(),
                    "may not be specified when `port` is non-numeric",
                );
            }
            for msg in port_name_errors(s) {
                sink.invalid(&port_path, &go_quote(s), &msg);
            }
            Some(model::PortRef::Named(s.clone()))
        }
        None => {
            if let Some(end) = port.end_port {
                sink.invalid(
                    &end_path,
                    &end.to_string(),
                    "may not be specified when `port` is not specified",
                );
            }
            None
        }
    };
    Some(model::NetworkPolicyPort {
        protocol: protocol?,
        port: port_ref,
        end_port,
        span,
    })
}

/// `ValidateNetworkPolicyPeer`.
fn network_policy_peer(
    peer: &np::NetworkPolicyPeer,
    path: &FieldPath,
    sink: &mut Sink<'_>,
    span: Span,
) -> model::NetworkPolicyPeer {
    let mut kinds = 0;
    let pod_selector = peer.pod_selector.as_ref().map(|sel| {
        kinds += 1;
        selector(sel, &path.key("podSelector"), sink)
    });
    let namespace_selector = peer.namespace_selector.as_ref().map(|sel| {
        kinds += 1;
        selector(sel, &path.key("namespaceSelector"), sink)
    });
    let ip_block = match &peer.ip_block {
        Some(block) => {
            kinds += 1;
            ip_block(block, &path.key("ipBlock"), sink)
        }
        None => None,
    };
    if kinds == 0 {
        sink.required(path, "must specify a peer");
    } else if kinds > 1 && peer.ip_block.is_some() {
        sink.forbidden(path, "may not specify both ipBlock and another peer");
    }
    model::NetworkPolicyPeer {
        pod_selector,
        namespace_selector,
        ip_block,
        span,
    }
}

/// `ValidateIPBlock`, plus the `GetWarningsForCIDR` warnings of the registry strategy.
fn ip_block(block: &np::IPBlock, path: &FieldPath, sink: &mut Sink<'_>) -> Option<model::IpBlock> {
    let cidr_path = path.key("cidr");
    if block.cidr.is_empty() {
        sink.required(&cidr_path, "");
        return None;
    }
    let Some(cidr) = GoCidr::parse(&block.cidr) else {
        sink.invalid(&cidr_path, &go_quote(&block.cidr), CIDR_INVALID);
        return None;
    };
    for w in cidr.warnings(&block.cidr) {
        sink.warning(&cidr_path, NON_CANONICAL_CIDR, format!("{cidr_path}: {w}"));
    }
    let except_text = block.except.clone().unwrap_or_default();
    let mut except = Vec::new();
    for (i, text) in except_text.iter().enumerate() {
        let p = path.key("except").index(i);
        let Some(e) = GoCidr::parse(text) else {
            sink.invalid(&p, &go_quote(text), CIDR_INVALID);
            continue;
        };
        for w in e.warnings(text) {
            sink.warning(&p, NON_CANONICAL_CIDR, format!("{p}: {w}"));
        }
        if !cidr.contains(&e.net_ip()) || cidr.ones >= e.ones {
            sink.invalid(&p, &go_quote(text), "must be a strict subset of `cidr`");
        }
        except.push(e.model());
    }
    Some(model::IpBlock {
        cidr: cidr.model(),
        except,
        cidr_text: block.cidr.clone(),
        except_text,
    })
}

// ---------------------------------------------------------------------------------------------
// CIDRs, the Go way (Go 1.16 net.ParseCIDR as forked in k8s.io/utils/net, net.IPNet, netip)
// ---------------------------------------------------------------------------------------------

/// A CIDR as `netutils.ParseCIDRSloppy` returns it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct GoCidr {
    /// The address as written, in 16-byte form (IPv4 literals as IPv4-mapped addresses).
    ip: [u8; 16],
    /// True when the address is an IPv4 literal (Go's `iplen == IPv4len`).
    v4_literal: bool,
    /// The prefix length as written (`≤ 32` or `≤ 128`).
    ones: u8,
    /// True when `netip.ParsePrefix` accepts the text too (no leading zeros anywhere).
    strict: bool,
}

const V4_IN_V6_PREFIX: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const BIG: u32 = 0xFF_FFFF;

fn mapped(v4: [u8; 4]) -> [u8; 16] {
    let mut ip = [0u8; 16];
    ip[..12].copy_from_slice(&V4_IN_V6_PREFIX);
    ip[12..].copy_from_slice(&v4);
    ip
}

/// Go's `IP.To4`.
fn to4(ip: &[u8]) -> Option<[u8; 4]> {
    match ip.len() {
        4 => ip.try_into().ok(),
        16 if ip.get(..12) == Some(&V4_IN_V6_PREFIX[..]) => {
            ip.get(12..).and_then(|b| b.try_into().ok())
        }
        _ => None,
    }
}

/// Go's `CIDRMask(ones, bits)`.
fn cidr_mask(ones: u8, bits: u8) -> Vec<u8> {
    (0..bits / 8)
        .map(|i| {
            let start = u32::from(i) * 8;
            let ones = u32::from(ones);
            if ones >= start + 8 {
                0xff
            } else if ones <= start {
                0
            } else {
                !(0xffu8 >> (ones - start))
            }
        })
        .collect()
}

fn count_ones(mask: &[u8]) -> u8 {
    // Masks here are contiguous, so this is the prefix length.
    mask.iter()
        .map(|b| b.count_ones() as u8)
        .fold(0u8, u8::saturating_add)
}

/// Go's `dtoi`: decimal digits, leading zeros allowed.
fn dtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        if !c.is_ascii_digit() {
            break;
        }
        n = n * 10 + u32::from(c - b'0');
        if n >= BIG {
            return (BIG, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, 0, false);
    }
    (n, i, true)
}

/// Go's `xtoi`: hexadecimal digits, leading zeros allowed.
fn xtoi(s: &[u8]) -> (u32, usize, bool) {
    let mut n: u32 = 0;
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        let Some(d) = (c as char).to_digit(16) else {
            break;
        };
        n = n * 16 + d;
        if n >= BIG {
            return (0, i, false);
        }
        i += 1;
    }
    if i == 0 {
        return (0, i, false);
    }
    (n, i, true)
}

/// Go 1.16 `parseIPv4` (leading zeros allowed).
fn parse_ipv4(mut s: &[u8]) -> Option<[u8; 4]> {
    let mut p = [0u8; 4];
    for (i, byte) in p.iter_mut().enumerate() {
        if s.is_empty() {
            return None;
        }
        if i > 0 {
            if s.first() != Some(&b'.') {
                return None;
            }
            s = s.get(1..)?;
        }
        let (n, c, ok) = dtoi(s);
        if !ok || n > 0xff {
            return None;
        }
        s = s.get(c..)?;
        *byte = n as u8;
    }
    if s.is_empty() {
        Some(p)
    } else {
        None
    }
}

/// Go 1.16 `parseIPv6` (without zones).
fn parse_ipv6(mut s: &[u8]) -> Option<[u8; 16]> {
    let mut ip = [0u8; 16];
    let mut ellipsis: Option<usize> = None;
    if s.starts_with(b"::") {
        ellipsis = Some(0);
        s = s.get(2..)?;
        if s.is_empty() {
            return Some(ip);
        }
    }
    let mut i = 0usize;
    while i < 16 {
        let (n, c, ok) = xtoi(s);
        if !ok || n > 0xffff {
            return None;
        }
        if s.get(c) == Some(&b'.') {
            // A trailing IPv4 address.
            if ellipsis.is_none() && i != 12 {
                return None;
            }
            if i + 4 > 16 {
                return None;
            }
            let v4 = parse_ipv4(s)?;
            ip.get_mut(i..i + 4)?.copy_from_slice(&v4);
            s = &[];
            i += 4;
            break;
        }
        *ip.get_mut(i)? = (n >> 8) as u8;
        *ip.get_mut(i + 1)? = n as u8;
        i += 2;
        s = s.get(c..)?;
        if s.is_empty() {
            break;
        }
        if s.first() != Some(&b':') || s.len() == 1 {
            return None;
        }
        s = s.get(1..)?;
        if s.first() == Some(&b':') {
            if ellipsis.is_some() {
                return None;
            }
            ellipsis = Some(i);
            s = s.get(1..)?;
            if s.is_empty() {
                break;
            }
        }
    }
    if !s.is_empty() {
        return None;
    }
    if i < 16 {
        let e = ellipsis?;
        let n = 16 - i;
        // Move ip[e..i] to the end and zero the gap.
        let tail: Vec<u8> = ip.get(e..i)?.to_vec();
        for b in ip.iter_mut().skip(e) {
            *b = 0;
        }
        ip.get_mut(e + n..16)?.copy_from_slice(&tail);
    } else if ellipsis.is_some() {
        // The ellipsis must stand for at least one zero group.
        return None;
    }
    Some(ip)
}

/// Whether `netip.ParsePrefix` would accept a text that `ParseCIDRSloppy` accepted: it rejects
/// leading zeros in IPv4 fields and in the prefix length, and IPv6 fields of more than four
/// hex digits.
fn netip_accepts(addr: &[u8], bits: &[u8], v4_literal: bool) -> bool {
    let leading_zero = |f: &[u8]| f.len() > 1 && f.first() == Some(&b'0');
    if leading_zero(bits) {
        return false;
    }
    if v4_literal {
        return !addr.split(|&c| c == b'.').any(leading_zero);
    }
    addr.split(|&c| c == b':').all(|group| {
        if group.contains(&b'.') {
            !group.split(|&c| c == b'.').any(leading_zero)
        } else {
            group.len() <= 4
        }
    })
}

impl GoCidr {
    /// `netutils.ParseCIDRSloppy`: `None` when it returns an error.
    fn parse(text: &str) -> Option<GoCidr> {
        let b = text.as_bytes();
        let slash = b.iter().position(|&c| c == b'/')?;
        let addr = b.get(..slash)?;
        let mask = b.get(slash + 1..)?;
        let (ip, v4_literal) = match parse_ipv4(addr) {
            Some(v4) => (mapped(v4), true),
            None => (parse_ipv6(addr)?, false),
        };
        let (n, i, ok) = dtoi(mask);
        let max = if v4_literal { 32 } else { 128 };
        if !ok || i != mask.len() || n > max {
            return None;
        }
        let ones = u8::try_from(n).ok()?;
        Some(GoCidr {
            ip,
            v4_literal,
            ones,
            strict: netip_accepts(addr, mask, v4_literal),
        })
    }

    fn bits(&self) -> u8 {
        if self.v4_literal {
            32
        } else {
            128
        }
    }

    fn mask(&self) -> Vec<u8> {
        cidr_mask(self.ones, self.bits())
    }

    /// The address in Go's length (4 bytes for IPv4 literals).
    fn raw_ip(&self) -> Vec<u8> {
        if self.v4_literal {
            self.ip.get(12..).unwrap_or_default().to_vec()
        } else {
            self.ip.to_vec()
        }
    }

    /// Go's `ipnet.IP`: the address with the host bits cleared.
    fn net_ip(&self) -> Vec<u8> {
        self.raw_ip()
            .iter()
            .zip(self.mask())
            .map(|(a, m)| a & m)
            .collect()
    }

    /// Go's `networkNumberAndMask`.
    fn network_and_mask(&self) -> (Vec<u8>, Vec<u8>) {
        let net = self.net_ip();
        let ip = match to4(&net) {
            Some(v4) => v4.to_vec(),
            None => net,
        };
        let mut mask = self.mask();
        if mask.len() == 16 && ip.len() == 4 {
            mask = mask.get(12..).unwrap_or_default().to_vec();
        }
        (ip, mask)
    }

    /// Go's `IPNet.Contains`.
    fn contains(&self, x: &[u8]) -> bool {
        let (nn, m) = self.network_and_mask();
        let x4;
        let x = match to4(x) {
            Some(v4) => {
                x4 = v4;
                &x4[..]
            }
            None => x,
        };
        nn.len() == x.len()
            && m.len() == x.len()
            && nn.iter().zip(&m).zip(x).all(|((n, m), x)| n & m == x & m)
    }

    /// The network as the evaluator should match it (what Go's `Contains` does).
    fn model(&self) -> model::Cidr {
        let (nn, m) = self.network_and_mask();
        let prefix = count_ones(&m);
        let addr = match <[u8; 4]>::try_from(nn.as_slice()) {
            Ok(v4) => IpAddr::V4(Ipv4Addr::from(v4)),
            Err(_) => {
                let mut b = [0u8; 16];
                for (dst, src) in b.iter_mut().zip(&nn) {
                    *dst = *src;
                }
                IpAddr::V6(Ipv6Addr::from(b))
            }
        };
        model::Cidr { addr, prefix }
    }

    /// Go's `ipnet.String()`.
    fn canonical(&self) -> String {
        format!("{}/{}", go_ip_string(&self.net_ip()), self.ones)
    }

    /// `GetWarningsForCIDR` (without the leading field path).
    fn warnings(&self, value: &str) -> Vec<String> {
        let mut warnings = Vec::new();
        if self.raw_ip() != self.net_ip() {
            let single = format!("{}/{}", go_ip_string(&self.ip), self.bits());
            warnings.push(format!(
                "CIDR value {} is ambiguous in this context (should be {} or {}?)",
                go_quote(value),
                go_quote(&self.canonical()),
                go_quote(&single)
            ));
        }
        let is_4in6 = !self.v4_literal && to4(&self.ip).is_some();
        if !self.strict || is_4in6 {
            warnings.push(format!(
                "non-standard CIDR value {} will be considered invalid in a future Kubernetes release: use {}",
                go_quote(value),
                go_quote(&self.canonical())
            ));
        }
        if warnings.is_empty() && !self.v4_literal {
            let prefix = format!("{}/{}", ipv6_string(&self.ip), self.ones);
            if prefix != value {
                warnings.push(format!(
                    "IPv6 CIDR value {} should be in RFC 5952 canonical format ({})",
                    go_quote(value),
                    go_quote(&prefix)
                ));
            }
        }
        warnings
    }
}

/// Go's `net.IP.String()` for 4- and 16-byte addresses.
fn go_ip_string(ip: &[u8]) -> String {
    if let Some(v4) = to4(ip) {
        return Ipv4Addr::from(v4).to_string();
    }
    let mut b = [0u8; 16];
    for (dst, src) in b.iter_mut().zip(ip) {
        *dst = *src;
    }
    ipv6_string(&b)
}

/// RFC 5952 text of an IPv6 address (Go's `netip.Addr.String` without the IPv4-mapped case).
fn ipv6_string(ip: &[u8; 16]) -> String {
    let groups: Vec<u16> = ip
        .chunks(2)
        .map(|c| u16::from_be_bytes([c[0], c[1]]))
        .collect();
    // The first longest run of at least two zero groups.
    let (mut best_start, mut best_len) = (0usize, 0usize);
    let mut i = 0;
    while i < groups.len() {
        if groups[i] == 0 {
            let start = i;
            while i < groups.len() && groups[i] == 0 {
                i += 1;
            }
            if i - start > best_len {
                best_start = start;
                best_len = i - start;
            }
        } else {
            i += 1;
        }
    }
    if best_len < 2 {
        best_len = 0;
    }
    let mut out = String::new();
    let mut i = 0;
    while i < groups.len() {
        if best_len > 0 && i == best_start {
            out.push_str("::");
            i += best_len;
            continue;
        }
        if !out.is_empty() && !out.ends_with(':') {
            out.push(':');
        }
        let _ = write!(out, "{:x}", groups[i]);
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Unknown fields (strict field validation)
// ---------------------------------------------------------------------------------------------

/// The kinds of nodes of the NetworkPolicy schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Node {
    Root,
    Meta,
    Spec,
    IngressRule,
    EgressRule,
    Peer,
    IpBlock,
    Selector,
    Requirement,
    Port,
    /// Anything goes (labels, annotations, status, scalars, …).
    Any,
}

const OBJECT_META_FIELDS: [&str; 15] = [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

impl Node {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Node::Root => &["apiVersion", "kind", "metadata", "spec", "status"],
            Node::Meta => &OBJECT_META_FIELDS,
            Node::Spec => &["podSelector", "ingress", "egress", "policyTypes"],
            Node::IngressRule => &["from", "ports"],
            Node::EgressRule => &["to", "ports"],
            Node::Peer => &["podSelector", "namespaceSelector", "ipBlock"],
            Node::IpBlock => &["cidr", "except"],
            Node::Selector => &["matchLabels", "matchExpressions"],
            Node::Requirement => &["key", "operator", "values"],
            Node::Port => &["protocol", "port", "endPort"],
            Node::Any => &[],
        }
    }

    /// The node of a known field, and whether it is a list of such nodes.
    fn child(self, field: &str) -> (Node, bool) {
        match (self, field) {
            (Node::Root, "metadata") => (Node::Meta, false),
            (Node::Root, "spec") => (Node::Spec, false),
            (Node::Spec, "podSelector") => (Node::Selector, false),
            (Node::Spec, "ingress") => (Node::IngressRule, true),
            (Node::Spec, "egress") => (Node::EgressRule, true),
            (Node::IngressRule, "from") | (Node::EgressRule, "to") => (Node::Peer, true),
            (Node::IngressRule | Node::EgressRule, "ports") => (Node::Port, true),
            (Node::Peer, "podSelector" | "namespaceSelector") => (Node::Selector, false),
            (Node::Peer, "ipBlock") => (Node::IpBlock, false),
            (Node::Selector, "matchExpressions") => (Node::Requirement, true),
            _ => (Node::Any, false),
        }
    }
}

/// The YAML of the object: `value` itself, or what `path_prefix` leads to inside it when
/// `value` is the whole document.
fn object_value<'v>(value: &'v Value, path_prefix: &FieldPath) -> &'v Value {
    if path_prefix.0.is_empty()
        || value.get("kind").and_then(Value::as_str) == Some("NetworkPolicy")
    {
        return value;
    }
    let mut v = value;
    for seg in &path_prefix.0 {
        let next = match seg {
            Seg::Key(k) => untag(v).get(k.as_str()),
            Seg::Index(i) => untag(v).get(*i),
        };
        match next {
            Some(n) => v = n,
            None => return value,
        }
    }
    v
}

fn untag(v: &Value) -> &Value {
    let mut v = v;
    while let Value::Tagged(t) = v {
        v = &t.value;
    }
    v
}

fn key_text(k: &Value) -> String {
    match untag(k) {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Null => "null".to_string(),
        other => serde_yaml::to_string(other)
            .map(|s| s.trim().to_string())
            .unwrap_or_default(),
    }
}

fn unknown_fields(value: &Value, sink: &mut Sink<'_>) {
    walk(value, Node::Root, &rel_root(), sink);
}

fn walk(value: &Value, node: Node, path: &FieldPath, sink: &mut Sink<'_>) {
    if node == Node::Any {
        return;
    }
    let Value::Mapping(map) = untag(value) else {
        return;
    };
    for (k, v) in map {
        let key = key_text(k);
        let p = path.key(&key);
        if !node.fields().contains(&key.as_str()) {
            let message = unknown_field_message(node, &key, &p, map);
            sink.warning(&p, UNKNOWN_FIELD, message);
            continue;
        }
        let (child, is_list) = node.child(&key);
        if child == Node::Any {
            continue;
        }
        match (is_list, untag(v)) {
            (true, Value::Sequence(items)) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, child, &p.index(i), sink);
                }
            }
            (false, _) => walk(v, child, &p, sink),
            _ => {}
        }
    }
}

fn unknown_field_message(
    node: Node,
    key: &str,
    path: &FieldPath,
    siblings: &serde_yaml::Mapping,
) -> String {
    let mut message = format!("unknown field {}", go_quote(&path.to_string()));
    let has = |field: &str| siblings.contains_key(field);
    let misplaced = match (node, key) {
        (Node::EgressRule, "from") => Some(("Egress", "to", "to every destination")),
        (Node::IngressRule, "to") => Some(("Ingress", "from", "from every source")),
        _ => None,
    };
    if let Some((direction, right, everyone)) = misplaced {
        let _ = write!(
            message,
            "; did you mean {}? {direction} rules list their peers under {}",
            go_quote(right),
            go_quote(right)
        );
        if has(right) {
            let _ = write!(
                message,
                ", so the peers under {} are ignored",
                go_quote(key)
            );
        } else {
            let ports = if has("ports") { " on its ports" } else { "" };
            let _ = write!(
                message,
                ": this rule has no {}, so it allows traffic {everyone}{ports}",
                go_quote(right)
            );
        }
        return message;
    }
    if let Some(best) = suggestion(key, node.fields()) {
        let _ = write!(message, "; did you mean {}?", go_quote(best));
    }
    message
}

/// The known field closest to `key`, within an edit distance of 2.
fn suggestion(key: &str, known: &[&'static str]) -> Option<&'static str> {
    let key: Vec<char> = key.chars().collect();
    if key.is_empty() || key.len() > 64 {
        return None;
    }
    let mut best: Option<(usize, &'static str)> = None;
    for &field in known {
        let d = edit_distance(&key, &field.chars().collect::<Vec<_>>());
        if d <= 2 && d < key.len() && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, field));
        }
    }
    best.map(|(_, f)| f)
}

/// Levenshtein distance, comparing letters case-insensitively.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let same = |x: &char, y: &char| x.to_lowercase().eq(y.to_lowercase());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(!same(ca, cb));
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use std::cell::RefCell;

    use expect_test::{expect, Expect};

    use super::*;

    fn run_at(yaml: &str, prefix: &FieldPath) -> (Option<model::NetworkPolicy>, Vec<PathDiag>) {
        let value: Value = serde_yaml::from_str(yaml).expect("test YAML parses");
        let obj: np::NetworkPolicy =
            serde_yaml::from_value(value.clone()).expect("test YAML is a NetworkPolicy");
        network_policy(&value, &obj, prefix, &|_| Span::default())
    }

    fn run(yaml: &str) -> (Option<model::NetworkPolicy>, Vec<PathDiag>) {
        run_at(yaml, &FieldPath::root())
    }

    /// One line per diagnostic: `severity[code] message`, then whether a policy came out.
    fn render(yaml: &str) -> String {
        let (policy, diags) = run(yaml);
        let mut out: Vec<String> = diags
            .iter()
            .map(|d| format!("{}[{}] {}", d.severity.as_str(), d.code, d.message))
            .collect();
        out.push(format!(
            "policy: {}",
            if policy.is_some() {
                "accepted"
            } else {
                "rejected"
            }
        ));
        out.join("\n") + "\n"
    }

    fn valid(yaml: &str) -> model::NetworkPolicy {
        let (policy, diags) = run(yaml);
        assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
        policy.expect("a valid policy")
    }

    #[test]
    fn invalid_policies() {
        let cases: Vec<(&str, Expect)> = vec![
            (
                // ValidateObjectMetaAccessor: no name, no generateName.
                "kind: NetworkPolicy\nmetadata: {namespace: app}\nspec: {podSelector: {}}\n",
                expect![[r#"
                    error[required] metadata.name: Required value: name or generateName is required
                    policy: rejected
                "#]],
            ),
            (
                // NameIsDNSSubdomain for the name, ValidateNamespaceName (IsDNS1123Label) for the
                // namespace: a valid subdomain that is not a label "must not contain dots".
                "kind: NetworkPolicy\nmetadata: {name: My_Policy, namespace: app.prod}\n",
                expect![[r#"
                    error[invalid-value] metadata.name: Invalid value: "My_Policy": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
                    error[invalid-value] metadata.namespace: Invalid value: "app.prod": must not contain dots
                    policy: rejected
                "#]],
            ),
            (
                "kind: NetworkPolicy\nmetadata: {name: web, namespace: App}\n",
                expect![[r#"
                    error[invalid-value] metadata.namespace: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')
                    policy: rejected
                "#]],
            ),
            (
                // generateName is validated as a prefix (maskTrailingDash); the name is generated.
                "kind: NetworkPolicy\nmetadata: {generateName: Web-}\n",
                expect![[r#"
                    error[invalid-value] metadata.generateName: Invalid value: "Web-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
                    policy: rejected
                "#]],
            ),
            (
                // ValidateLabels / ValidateAnnotations on the metadata (annotation keys are
                // lower-cased before the check).
                "kind: NetworkPolicy\nmetadata:\n  name: web\n  labels: {app: -x}\n  annotations: {Example.COM/Key: v, bad key: v}\n",
                expect![[r#"
                    error[invalid-value] metadata.labels: Invalid value: "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
                    error[invalid-value] metadata.annotations: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
                    policy: rejected
                "#]],
            ),
            (
                // matchLabels: keys are qualified names, values label values.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector:\n    matchLabels: {app/: x, -bad: ok, tier: front end}\n",
                expect![[r#"
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "-bad": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must be non-empty
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "app/": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "front end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
                    policy: rejected
                "#]],
            ),
            (
                // Label key prefixes and lengths (content.IsLabelKey / IsLabelValue).
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector:\n    matchLabels:\n      Example.com/app: x\n      /app: x\n      aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: x\n      ok: bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n",
                expect![[r#"
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "/app": prefix part must be non-empty
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "Example.com/app": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa": name part must be no more than 63 bytes
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": must be no more than 63 bytes
                    policy: rejected
                "#]],
            ),
            (
                // ValidateLabelSelectorRequirement, in its order: operator/values, key, values.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector:\n    matchExpressions:\n    - {key: app, operator: In}\n    - {key: tier, operator: Exists, values: [a]}\n    - {key: env, operator: Foo, values: [x]}\n    - {key: a/b/c, operator: NotIn, values: [bad value]}\n",
                expect![[r#"
                    error[required] spec.podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
                    error[forbidden] spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'
                    error[invalid-value] spec.podSelector.matchExpressions[2].operator: Invalid value: "Foo": not a valid selector operator
                    error[invalid-value] spec.podSelector.matchExpressions[3].key: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')
                    error[invalid-value] spec.podSelector.matchExpressions[3].values[0]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
                    policy: rejected
                "#]],
            ),
            (
                // A selector inside a peer; an empty key fails twice (empty, and the regex).
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchExpressions: [{key: '', operator: Exists}]\n",
                expect![[r#"
                    error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must be non-empty
                    error[invalid-value] spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].key: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')
                    policy: rejected
                "#]],
            ),
            (
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  policyTypes: [Ingress, egress]\n",
                expect![[r#"
                    error[unsupported-value] spec.policyTypes[1]: Unsupported value: "egress": supported values: "Ingress", "Egress"
                    policy: rejected
                "#]],
            ),
            (
                // More than two: reported once, with the slice printed by %#v, and nothing else.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  policyTypes: [Ingress, Egress, Bogus]\n",
                expect![[r#"
                    error[invalid-value] spec.policyTypes: Invalid value: []networking.PolicyType{"Ingress", "Egress", "Bogus"}: may not specify more than two policyTypes
                    policy: rejected
                "#]],
            ),
            (
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from: [{podSelector: {}}, {}]\n",
                expect![[r#"
                    error[required] spec.ingress[0].from[1]: Required value: must specify a peer
                    policy: rejected
                "#]],
            ),
            (
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  egress:\n  - to:\n    - ipBlock: {cidr: 10.0.0.0/8}\n      podSelector: {}\n",
                expect![[r#"
                    error[forbidden] spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer
                    policy: rejected
                "#]],
            ),
            (
                // An empty cidr is Required (and its except entries are not looked at).
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from:\n    - ipBlock: {cidr: '', except: [bogus]}\n",
                expect![[r#"
                    error[required] spec.ingress[0].from[0].ipBlock.cidr: Required value
                    policy: rejected
                "#]],
            ),
            (
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.0/33}\n    - ipBlock: {cidr: 'fe80::1%eth0/64'}\n    - ipBlock: {cidr: 10.0.0.0}\n    - ipBlock: {cidr: 10.0.0/8}\n",
                expect![[r#"
                    error[invalid-value] spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
                    error[invalid-value] spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "fe80::1%eth0/64": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
                    error[invalid-value] spec.ingress[0].from[2].ipBlock.cidr: Invalid value: "10.0.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
                    error[invalid-value] spec.ingress[0].from[3].ipBlock.cidr: Invalid value: "10.0.0/8": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
                    policy: rejected
                "#]],
            ),
            (
                // except: equal, outside, other family, fine, unparsable.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/16\n        except: [10.0.0.0/16, 10.1.0.0/24, '2001:db8::/64', 10.0.5.0/24, bogus]\n",
                expect![[r#"
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": must be a strict subset of `cidr`
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": must be a strict subset of `cidr`
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "2001:db8::/64": must be a strict subset of `cidr`
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[4]: Invalid value: "bogus": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)
                    policy: rejected
                "#]],
            ),
            (
                // IPv6 except must be inside an IPv6 cidr, and narrower.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  egress:\n  - to:\n    - ipBlock: {cidr: '2001:db8::/32', except: ['2001:db8:1::/48', '2001:db9::/48', '::/0', 10.0.0.0/8]}\n",
                expect![[r#"
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[1]: Invalid value: "2001:db9::/48": must be a strict subset of `cidr`
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[2]: Invalid value: "::/0": must be a strict subset of `cidr`
                    error[invalid-value] spec.egress[0].to[0].ipBlock.except[3]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`
                    policy: rejected
                "#]],
            ),
            (
                // ValidateNetworkPolicyPort: protocol and port numbers.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - ports:\n    - {protocol: tcp, port: 80}\n    - {port: 0}\n    - {protocol: ICMP, port: 70000}\n",
                expect![[r#"
                    error[unsupported-value] spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"
                    error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive
                    error[unsupported-value] spec.ingress[0].ports[2].protocol: Unsupported value: "ICMP": supported values: "TCP", "UDP", "SCTP"
                    error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: 70000: must be between 1 and 65535, inclusive
                    policy: rejected
                "#]],
            ),
            (
                // endPort: below port, out of range, with a named port, without a port.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  egress:\n  - ports:\n    - {port: 8080, endPort: 80}\n    - {port: 80, endPort: 70000}\n    - {port: http, endPort: 90}\n    - {endPort: 90}\n    - {port: 100, endPort: 0}\n",
                expect![[r#"
                    error[invalid-value] spec.egress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`
                    error[invalid-value] spec.egress[0].ports[1].endPort: Invalid value: 70000: must be between 1 and 65535, inclusive
                    error[invalid-value] spec.egress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric
                    error[invalid-value] spec.egress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is not specified
                    error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be greater than or equal to `port`
                    error[invalid-value] spec.egress[0].ports[4].endPort: Invalid value: 0: must be between 1 and 65535, inclusive
                    policy: rejected
                "#]],
            ),
            (
                // IsValidPortName; a quoted number is a (bad) name, as in Go's IntOrString.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - ports:\n    - port: HTTP\n    - port: web--server-metrics\n    - port: -web\n    - port: '8080'\n",
                expect![[r#"
                    error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)
                    error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)
                    error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must be no more than 15 characters
                    error[invalid-value] spec.ingress[0].ports[1].port: Invalid value: "web--server-metrics": must not contain consecutive hyphens
                    error[invalid-value] spec.ingress[0].ports[2].port: Invalid value: "-web": must not begin or end with a hyphen
                    error[invalid-value] spec.ingress[0].ports[3].port: Invalid value: "8080": must contain at least one letter (a-z)
                    policy: rejected
                "#]],
            ),
            (
                // Within a rule the apiserver checks the ports before the peers; ingress before
                // egress; policyTypes last.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  policyTypes: [Sideways]\n  egress:\n  - to: [{}]\n  ingress:\n  - from: [{}]\n    ports: [{port: 0}]\n",
                expect![[r#"
                    error[invalid-value] spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive
                    error[required] spec.ingress[0].from[0]: Required value: must specify a peer
                    error[required] spec.egress[0].to[0]: Required value: must specify a peer
                    error[unsupported-value] spec.policyTypes[0]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"
                    policy: rejected
                "#]],
            ),
            (
                // Values are printed with Go's %q.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector:\n    matchLabels: {app: \"a\\\"b\\n\"}\n",
                expect![[r#"
                    error[invalid-value] spec.podSelector.matchLabels: Invalid value: "a\"b\n": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
                    policy: rejected
                "#]],
            ),
            (
                // Unknown fields are warnings (strict field validation), with a suggestion when a
                // known field is close.
                "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, labelz: {a: b}}\nspec:\n  podselector: {}\n  ingress:\n  - form: [{podSelector: {matchLabel: {app: x}}}]\n  - from: [{podSelector: {matchLabel: {app: x}}}]\n  - from: [{ipblock: {cidr: 10.0.0.0/8}}]\nfoo: 1\n",
                expect![[r#"
                    warning[unknown-field] unknown field "metadata.labelz"; did you mean "labels"?
                    warning[unknown-field] unknown field "spec.podselector"; did you mean "podSelector"?
                    warning[unknown-field] unknown field "spec.ingress[0].form"; did you mean "from"?
                    warning[unknown-field] unknown field "spec.ingress[1].from[0].podSelector.matchLabel"; did you mean "matchLabels"?
                    warning[unknown-field] unknown field "spec.ingress[2].from[0].ipblock"; did you mean "ipBlock"?
                    warning[unknown-field] unknown field "foo"
                    error[required] spec.ingress[2].from[0]: Required value: must specify a peer
                    policy: rejected
                "#]],
            ),
            (
                // `from` in an egress rule and `to` in an ingress rule: the classic mistake.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  policyTypes: [Ingress, Egress]\n  egress:\n  - from: [{podSelector: {}}]\n    ports: [{port: 53, protocol: UDP}]\n  - from: [{podSelector: {}}]\n  ingress:\n  - to: [{podSelector: {}}]\n    from: [{podSelector: {}}]\n",
                expect![[r#"
                    warning[unknown-field] unknown field "spec.egress[0].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination on its ports
                    warning[unknown-field] unknown field "spec.egress[1].from"; did you mean "to"? Egress rules list their peers under "to": this rule has no "to", so it allows traffic to every destination
                    warning[unknown-field] unknown field "spec.ingress[0].to"; did you mean "from"? Ingress rules list their peers under "from", so the peers under "to" are ignored
                    policy: accepted
                "#]],
            ),
            (
                // GetWarningsForCIDR: host bits set, leading zeros, IPv4-mapped IPv6, non-RFC 5952.
                "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from:\n    - ipBlock: {cidr: 10.0.0.1/24}\n    - ipBlock: {cidr: 010.0.0.0/8, except: [10.1.2.3/16]}\n    - ipBlock: {cidr: '::ffff:10.0.0.0/104'}\n    - ipBlock: {cidr: '2001:DB8::/32'}\n    - ipBlock: {cidr: 10.0.0.0/08}\n",
                expect![[r#"
                    warning[non-canonical-cidr] spec.ingress[0].from[0].ipBlock.cidr: CIDR value "10.0.0.1/24" is ambiguous in this context (should be "10.0.0.0/24" or "10.0.0.1/32"?)
                    warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.cidr: non-standard CIDR value "010.0.0.0/8" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
                    warning[non-canonical-cidr] spec.ingress[0].from[1].ipBlock.except[0]: CIDR value "10.1.2.3/16" is ambiguous in this context (should be "10.1.0.0/16" or "10.1.2.3/32"?)
                    warning[non-canonical-cidr] spec.ingress[0].from[2].ipBlock.cidr: non-standard CIDR value "::ffff:10.0.0.0/104" will be considered invalid in a future Kubernetes release: use "10.0.0.0/104"
                    warning[non-canonical-cidr] spec.ingress[0].from[3].ipBlock.cidr: IPv6 CIDR value "2001:DB8::/32" should be in RFC 5952 canonical format ("2001:db8::/32")
                    warning[non-canonical-cidr] spec.ingress[0].from[4].ipBlock.cidr: non-standard CIDR value "10.0.0.0/08" will be considered invalid in a future Kubernetes release: use "10.0.0.0/8"
                    policy: accepted
                "#]],
            ),
        ];
        for (yaml, expected) in cases {
            expected.assert_eq(&render(yaml));
        }
    }

    #[test]
    fn paths_are_prefixed_but_messages_are_not() {
        let yaml = "kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  ingress:\n  - from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n    ports: [{port: 80}]\n    form: []\n";
        let prefix = FieldPath::root().key("items").index(3);
        let calls = RefCell::new(Vec::new());
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        let obj: np::NetworkPolicy = serde_yaml::from_value(value.clone()).unwrap();
        let (policy, diags) = network_policy(&value, &obj, &prefix, &|p| {
            calls.borrow_mut().push(p.to_string());
            Span::default()
        });
        assert!(policy.is_none());
        let shown: Vec<String> = diags
            .iter()
            .map(|d| format!("{} | {}", d.path, d.message))
            .collect();
        expect![[r#"
            [
                "items[3].spec.ingress[0].form | unknown field \"spec.ingress[0].form\"; did you mean \"from\"?",
                "items[3].spec.ingress[0].from[0].ipBlock.cidr | spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
            ]
        "#]]
        .assert_debug_eq(&shown);
        let calls = calls.into_inner();
        assert!(!calls.is_empty());
        assert!(
            calls.iter().all(|c| c.starts_with("items[3].")),
            "{calls:?}"
        );
        for wanted in [
            "items[3].metadata.name",
            "items[3].spec.ingress[0]",
            "items[3].spec.ingress[0].from[0]",
            "items[3].spec.ingress[0].ports[0]",
        ] {
            assert!(
                calls.iter().any(|c| c == wanted),
                "no loc({wanted}) in {calls:?}"
            );
        }

        // The whole List document works too: the item is found at the prefix.
        let list: Value = serde_yaml::from_str(&format!(
            "kind: List\nitems:\n- {{}}\n- {{}}\n- {{}}\n- {}",
            yaml.replace('\n', "\n  ")
        ))
        .unwrap();
        let (_, diags) = network_policy(&list, &obj, &prefix, &|_| Span::default());
        assert!(diags
            .iter()
            .any(|d| d.code == UNKNOWN_FIELD
                && d.path.to_string() == "items[3].spec.ingress[0].form"));
    }

    #[test]
    fn label_errors_are_positioned_at_the_key() {
        let (_, diags) = run("kind: NetworkPolicy\nmetadata: {name: web}\nspec:\n  podSelector: {matchLabels: {app: -x}}\n");
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].path.to_string(),
            "spec.podSelector.matchLabels.app"
        );
        assert!(diags[0]
            .message
            .starts_with("spec.podSelector.matchLabels: Invalid value: \"-x\""));
    }

    #[test]
    fn policy_types_defaulting() {
        let base =
            "kind: NetworkPolicy\nmetadata: {name: p, namespace: app}\nspec:\n  podSelector: {}\n";
        // Missing, no egress: Ingress only.
        let p = valid(base);
        assert!(p.affects_ingress && !p.affects_egress && !p.policy_types_explicit);
        // Missing, `egress: []`: still Ingress only (len(egress) == 0).
        let p = valid(&format!("{base}  egress: []\n"));
        assert!(p.affects_ingress && !p.affects_egress && !p.policy_types_explicit);
        // Missing, non-empty egress: Ingress and Egress.
        let p = valid(&format!("{base}  egress: [{{}}]\n"));
        assert!(p.affects_ingress && p.affects_egress && !p.policy_types_explicit);
        assert_eq!(p.egress.len(), 1);
        assert!(p.egress[0].peers.is_empty() && p.egress[0].ports.is_empty());
        // Empty list: defaulted like a missing one.
        let p = valid(&format!("{base}  policyTypes: []\n  egress: [{{}}]\n"));
        assert!(p.affects_ingress && p.affects_egress && !p.policy_types_explicit);
        // Explicit: exactly what is listed, whatever the rules.
        let p = valid(&format!(
            "{base}  policyTypes: [Egress]\n  ingress: [{{}}]\n"
        ));
        assert!(!p.affects_ingress && p.affects_egress && p.policy_types_explicit);
        assert_eq!(p.ingress.len(), 1);
        let p = valid(&format!("{base}  policyTypes: [Ingress, Egress]\n"));
        assert!(p.affects_ingress && p.affects_egress && p.policy_types_explicit);
        assert!(p.ingress.is_empty() && p.egress.is_empty());
    }

    #[test]
    fn converts_a_valid_policy() {
        let p = valid(
            "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db}
spec:
  podSelector:
    matchLabels: {app: db}
    matchExpressions: [{key: tier, operator: NotIn, values: [cache]}]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: a}}
      podSelector: {matchExpressions: [{key: role, operator: Exists}]}
    - ipBlock: {cidr: 10.0.0.0/16, except: [10.0.1.0/24]}
    ports:
    - {port: 5432}
    - {port: metrics, protocol: UDP}
    - {port: 8000, endPort: 8100, protocol: SCTP}
    - {protocol: TCP}
",
        );
        assert_eq!(p.id(), "default/db");
        assert_eq!(
            p.pod_selector.match_labels.get("app").map(String::as_str),
            Some("db")
        );
        assert_eq!(
            p.pod_selector.match_expressions,
            vec![model::Requirement {
                key: "tier".into(),
                operator: model::Operator::NotIn,
                values: vec!["cache".into()]
            }]
        );
        let rule = &p.ingress[0];
        assert_eq!(rule.peers.len(), 2);
        let both = &rule.peers[0];
        assert_eq!(
            both.namespace_selector
                .as_ref()
                .map(|s| s.match_labels.len()),
            Some(1)
        );
        assert_eq!(
            both.pod_selector
                .as_ref()
                .map(|s| s.match_expressions[0].operator),
            Some(model::Operator::Exists)
        );
        assert!(both.ip_block.is_none());
        let block = rule.peers[1].ip_block.as_ref().expect("ipBlock");
        assert_eq!(
            block.cidr,
            model::Cidr {
                addr: "10.0.0.0".parse().unwrap(),
                prefix: 16
            }
        );
        assert_eq!(
            block.except,
            vec![model::Cidr {
                addr: "10.0.1.0".parse().unwrap(),
                prefix: 24
            }]
        );
        assert_eq!(block.cidr_text, "10.0.0.0/16");
        assert_eq!(block.except_text, vec!["10.0.1.0/24".to_string()]);
        let ports: Vec<(model::Protocol, Option<model::PortRef>, Option<u16>)> = rule
            .ports
            .iter()
            .map(|p| (p.protocol, p.port.clone(), p.end_port))
            .collect();
        assert_eq!(
            ports,
            vec![
                (
                    model::Protocol::Tcp,
                    Some(model::PortRef::Number(5432)),
                    None
                ),
                (
                    model::Protocol::Udp,
                    Some(model::PortRef::Named("metrics".into())),
                    None
                ),
                (
                    model::Protocol::Sctp,
                    Some(model::PortRef::Number(8000)),
                    Some(8100)
                ),
                (model::Protocol::Tcp, None, None),
            ]
        );
    }

    #[test]
    fn non_canonical_cidrs_are_evaluated_as_the_masked_network() {
        let (policy, diags) = run(
            "kind: NetworkPolicy\nmetadata: {name: p}\nspec:\n  egress:\n  - to: [{ipBlock: {cidr: 10.0.0.1/24, except: [10.0.0.130/25]}}]\n",
        );
        assert_eq!(diags.len(), 2);
        assert!(diags
            .iter()
            .all(|d| d.severity == Severity::Warning && d.code == NON_CANONICAL_CIDR));
        let policy = policy.expect("warnings do not reject");
        let block = policy.egress[0].peers[0].ip_block.clone().unwrap();
        assert_eq!(
            block.cidr,
            model::Cidr {
                addr: "10.0.0.0".parse().unwrap(),
                prefix: 24
            }
        );
        assert_eq!(
            block.except,
            vec![model::Cidr {
                addr: "10.0.0.128".parse().unwrap(),
                prefix: 25
            }]
        );
        assert_eq!(block.cidr_text, "10.0.0.1/24");
    }

    #[test]
    fn cidr_parsing_follows_go() {
        let ok = |text: &str| {
            let (cidr, canonical) = parse_cidr(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            format!("{}/{} {canonical}", cidr.addr, cidr.prefix)
        };
        assert_eq!(ok("10.0.0.1/24"), "10.0.0.0/24 10.0.0.0/24");
        assert_eq!(ok("0.0.0.0/0"), "0.0.0.0/0 0.0.0.0/0");
        assert_eq!(ok("192.168.1.7/32"), "192.168.1.7/32 192.168.1.7/32");
        // Sloppy: leading zeros in IPv4 fields and in the prefix length.
        assert_eq!(ok("010.001.0.0/016"), "10.1.0.0/16 10.1.0.0/16");
        assert_eq!(ok("2001:DB8::1/32"), "2001:db8::/32 2001:db8::/32");
        assert_eq!(
            ok("2001:0db8:0000:0000:0000:0000:0000:0001/128"),
            "2001:db8::1/128 2001:db8::1/128"
        );
        assert_eq!(ok("00002001:db8::/32"), "2001:db8::/32 2001:db8::/32");
        assert_eq!(ok("::/0"), "::/0 ::/0");
        assert_eq!(ok("1:0:0:1:0:0:0:1/128"), "1:0:0:1::1/128 1:0:0:1::1/128");
        assert_eq!(
            ok("1:0:1:0:1:0:1:0/128"),
            "1:0:1:0:1:0:1:0/128 1:0:1:0:1:0:1:0/128"
        );
        assert_eq!(ok("::1.2.3.4/128"), "::102:304/128 ::102:304/128");
        // IPv4-mapped IPv6: Go matches it as IPv4 and prints the mask length as written.
        assert_eq!(ok("::ffff:10.1.2.3/120"), "10.1.2.0/24 10.1.2.0/120");
        assert_eq!(ok("::ffff:10.1.2.3/64"), "::/64 ::/64");
        for bad in [
            "",
            "/",
            "10.0.0.0",
            "10.0.0.0/",
            "10.0.0.0/33",
            "10.0.0.0/-1",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "10.0.0/8",
            "10.0.0.256/8",
            "10.0.0.0.0/8",
            " 10.0.0.0/8",
            "10.0.0.0/8 ",
            "::/129",
            "1:2:3:4:5:6:7:8::/64",
            "1:2:3:4:5:6:7/64",
            ":::/64",
            "1::2::3/64",
            "fe80::1%eth0/64",
            "12345::/16",
            "::ffff:1.2.3/96",
            "1.2.3.4::/64",
            "10.0.0.0/99999999999",
        ] {
            assert_eq!(parse_cidr(bad), Err(CIDR_INVALID.to_string()), "{bad:?}");
        }
    }

    #[test]
    fn name_and_label_validators() {
        assert!(dns1123_label_errors("kube-system").is_empty());
        assert!(dns1123_label_errors("1a").is_empty());
        expect![[r#"
            [
                "must be no more than 63 characters",
            ]
        "#]]
        .assert_debug_eq(&dns1123_label_errors(&"a".repeat(64)));
        assert_eq!(
            dns1123_label_errors("a.b"),
            vec!["must not contain dots".to_string()]
        );
        assert!(dns1123_subdomain_errors("web.v1-2").is_empty());
        assert_eq!(
            dns1123_subdomain_errors(&"a".repeat(254))
                .first()
                .map(String::as_str),
            Some("must be no more than 253 characters")
        );
        assert_eq!(dns1123_subdomain_errors("a..b").len(), 1);
        assert_eq!(dns1123_subdomain_errors("").len(), 1);
        assert!(label_key_errors("app.kubernetes.io/name").is_empty());
        assert!(label_key_errors("Uppercase_Is_OK_123").is_empty());
        assert!(label_key_errors(&format!("{}/{}", "a".repeat(253), "b".repeat(63))).is_empty());
        assert_eq!(
            label_key_errors(&format!("{}/abc", "a".repeat(254))),
            vec!["prefix part must be no more than 253 bytes".to_string()]
        );
        assert!(label_value_errors("").is_empty());
        assert!(label_value_errors(&"a".repeat(63)).is_empty());
        assert_eq!(label_value_errors("-a").len(), 1);
        assert!(port_name_errors("http-alt").is_empty());
        assert_eq!(
            port_name_errors(""),
            vec![
                "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"
                    .to_string(),
                "must contain at least one letter (a-z)".to_string(),
            ]
        );
        assert_eq!(mask_trailing_dash("web-"), "wea");
        assert_eq!(mask_trailing_dash("-"), "a");
        assert_eq!(go_quote("é\u{0}\u{200b}x"), "\"é\\x00\\u200bx\"");
    }

    #[test]
    fn label_selector_reports_under_the_given_path() {
        let sel: metav1::LabelSelector =
            serde_yaml::from_str("{matchLabels: {a: b}, matchExpressions: [{key: k, operator: In, values: [v]}, {key: k, operator: Nope}]}")
                .unwrap();
        let mut diags = Vec::new();
        let out = label_selector(
            &sel,
            &FieldPath::root().key("pods").key("selector"),
            &mut diags,
        );
        assert_eq!(out.match_labels.len(), 1);
        assert_eq!(out.match_expressions.len(), 1);
        assert_eq!(diags.len(), 1);
        assert_eq!(
            diags[0].path.to_string(),
            "pods.selector.matchExpressions[1].operator"
        );
        assert_eq!(
            diags[0].message,
            "pods.selector.matchExpressions[1].operator: Invalid value: \"Nope\": not a valid selector operator"
        );
    }

    mod never_panics {
        use proptest::prelude::*;

        use super::super::*;

        fn text(chars: &'static [char], max: usize) -> impl Strategy<Value = String> {
            proptest::collection::vec(proptest::sample::select(chars), 0..max)
                .prop_map(|v| v.into_iter().collect())
        }

        const CIDR_CHARS: &[char] = &[
            '0', '1', '2', '5', '9', 'f', 'F', 'g', ':', '.', '/', '%', '-', '+', ' ',
        ];
        const NAME_CHARS: &[char] = &['a', 'Z', '0', '-', '_', '.', '/', ' ', 'é', '\n'];

        proptest! {
            #[test]
            fn cidrs(s in text(CIDR_CHARS, 48)) {
                if let Ok((cidr, canonical)) = parse_cidr(&s) {
                    // The canonical text parses back to the same network, without warnings
                    // about host bits.
                    let (again, canonical2) = parse_cidr(&canonical).unwrap();
                    prop_assert_eq!(again, cidr);
                    prop_assert_eq!(canonical2, canonical);
                    let go = GoCidr::parse(&s).unwrap();
                    let _ = go.warnings(&s);
                }
            }

            #[test]
            fn names(s in text(NAME_CHARS, 80)) {
                let _ = label_key_errors(&s);
                let _ = label_value_errors(&s);
                let _ = dns1123_label_errors(&s);
                let _ = dns1123_subdomain_errors(&s);
                let _ = port_name_errors(&s);
                let _ = mask_trailing_dash(&s);
                let _ = suggestion(&s, Node::Spec.fields());
            }
        }
    }
}
