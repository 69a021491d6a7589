//! Names and labels of pods, namespaces and externals, checked as kube-apiserver checks object
//! metadata (`ValidateObjectMeta`, `ValidateLabels`), in its wording, as field diagnostics.
//!
//! The rules themselves (DNS-1123 labels and subdomains, label keys and values) live in
//! [`crate::validate`]; this module applies them to the objects the parser reads and to the
//! toy format, so that every endpoint name is a valid Kubernetes name and no two endpoints can
//! print alike (`namespace/pod` for pods, names without `/` for externals).

use crate::diag::{quote, FieldPath, PathDiag};
use crate::model::Labels;
use crate::validate;

const INVALID_VALUE: &str = "invalid-value";

/// `ValidateLabels`: every invalid key and value is an error naming the label map (`{field}:
/// Invalid value: "x": …`), positioned at its key under `at`. Returns whether all are valid.
pub(crate) fn check_labels(
    labels: &Labels,
    field: &FieldPath,
    at: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> bool {
    let before = out.len();
    for (k, v) in labels {
        let key_errors = validate::label_key_errors(k)
            .into_iter()
            .map(|m| (quote(k), m));
        let value_errors = validate::label_value_errors(v)
            .into_iter()
            .map(|m| (quote(v), m));
        for (value, msg) in key_errors.chain(value_errors) {
            out.push(PathDiag::error(
                at.key(k),
                INVALID_VALUE,
                format!("{field}: Invalid value: {value}: {msg}"),
            ));
        }
    }
    out.len() == before
}

/// A name that must be a DNS-1123 subdomain (pods, `NameIsDNSSubdomain`), reported as
/// `{field}: Invalid value: "name": …` at `at`. Returns whether it is valid.
pub(crate) fn check_subdomain(
    field: &str,
    name: &str,
    at: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> bool {
    report(
        field,
        name,
        validate::dns1123_subdomain_errors(name),
        at,
        out,
    )
}

/// A name that must be a DNS-1123 label (namespaces, `ValidateNamespaceName`).
pub(crate) fn check_label_name(
    field: &str,
    name: &str,
    at: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> bool {
    report(field, name, validate::dns1123_label_errors(name), at, out)
}

fn report(
    field: &str,
    name: &str,
    errors: Vec<String>,
    at: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> bool {
    for msg in &errors {
        out.push(PathDiag::error(
            at.clone(),
            INVALID_VALUE,
            format!("{field}: Invalid value: {}: {msg}", quote(name)),
        ));
    }
    errors.is_empty()
}

/// A toy-format name: the first problem with the rule, as `{what} "name": …`.
pub(crate) fn check_toy_name(
    what: &str,
    name: &str,
    errors: Vec<String>,
    at: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> bool {
    let Some(msg) = errors.first() else {
        return true;
    };
    out.push(PathDiag::error(
        at.clone(),
        INVALID_VALUE,
        format!("{what} {}: {msg}", quote(name)),
    ));
    false
}
