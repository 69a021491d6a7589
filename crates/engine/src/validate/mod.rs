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
//!
//! The parts, each with one job:
//!
//! - [`policy`] walks the typed object in the apiserver's order, checks each field and converts
//!   it into the model;
//! - [`errors`] builds diagnostics in the apiserver's format (`field.Required`, `field.Invalid`,
//!   …) and quotes values like Go's `%q`;
//! - [`names`] holds the name rules (DNS labels and subdomains, label keys and values, port
//!   names);
//! - [`cidr`] parses CIDRs the Go way and computes the apiserver's CIDR warnings;
//! - [`unknown`] finds fields the schema does not know and suggests the closest known one;
//! - [`workload`] validates the fields of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job,
//!   CronJob or ReplicationController that make its endpoint, and converts it into the model.

use k8s_openapi::api::networking::v1 as np;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;

use crate::diag::{FieldPath, PathDiag, Severity};
use crate::model::{self, Span};

mod cidr;
mod errors;
mod names;
mod policy;
#[cfg(test)]
mod tests;
mod unknown;
mod workload;

pub(crate) use workload::{workload, Selector, Workload};

pub(crate) use names::{
    dns1123_label_errors, dns1123_subdomain_errors, label_key_errors, label_value_errors,
    port_name_errors,
};

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
        let mut sink = errors::Sink::new(path_prefix, &mut diags);
        unknown::unknown_fields(unknown::object_value(value, path_prefix), &mut sink);
        policy::convert_policy(obj, &mut sink, loc)
    };
    let failed = diags.iter().any(|d| d.severity == Severity::Error);
    (if failed { None } else { Some(policy) }, diags)
}

/// Parses a CIDR like `netutils.ParseCIDRSloppy` and validates it like `IsValidCIDR` (legacy,
/// non-strict). Returns the network (host bits cleared, as Go's `IPNet` matches addresses) and
/// its canonical text (Go's `IPNet.String()`), or the apiserver's error detail.
#[allow(dead_code)] // Part of the crate API (the toy-format parser); used by the tests.
pub(crate) fn parse_cidr(text: &str) -> Result<(model::Cidr, String), String> {
    match cidr::GoCidr::parse(text) {
        Some(c) => Ok((c.model(), c.canonical())),
        None => Err(cidr::CIDR_INVALID.to_string()),
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
    let mut sink = errors::Sink::new(&root, diags);
    policy::selector(sel, path, &mut sink)
}
