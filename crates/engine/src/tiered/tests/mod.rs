//! Validation and tier-walk tests. Expected messages follow the CRDs' schemas and the
//! apiserver's wording (see `schema.rs`); expected decisions follow the API documentation
//! quoted in `docs/tiered-policies.md`.

mod robustness;
mod validation;
mod walk;

use super::*;
use crate::diag::{FieldPath, Severity};
use crate::model::Span;

pub(super) fn parse_with_diags(yaml: &str) -> (Option<ClusterPolicy>, Vec<String>) {
    let value: serde_yaml::Value = serde_yaml::from_str(yaml).unwrap();
    let loc = |_: &FieldPath| Span::default();
    let (policy, diags) = cluster_policy(&value, &FieldPath::root(), &loc);
    let msgs = diags
        .iter()
        .map(|d| {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            format!("{sev}: {}", d.message)
        })
        .collect();
    (policy, msgs)
}

/// Parses a valid policy; panics with the diagnostics otherwise.
pub(super) fn policy(yaml: &str) -> ClusterPolicy {
    let (p, diags) = parse_with_diags(yaml);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:#?}");
    p.unwrap()
}

/// The diagnostics of an invalid policy (which must be left out).
pub(super) fn errors(yaml: &str) -> Vec<String> {
    let (p, diags) = parse_with_diags(yaml);
    assert!(
        p.is_none(),
        "the policy should be rejected; diagnostics: {diags:#?}"
    );
    diags
}

pub(super) fn anp(priority: i64, body: &str) -> String {
    format!(
        "apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {{name: p}}\nspec:\n  priority: {priority}\n  subject: {{namespaces: {{}}}}\n{body}"
    )
}

pub(super) fn cnp(name: &str, tier: &str, priority: i64, body: &str) -> String {
    format!(
        "apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {{name: {name}}}\nspec:\n  tier: {tier}\n  priority: {priority}\n  subject: {{namespaces: {{}}}}\n{body}"
    )
}
