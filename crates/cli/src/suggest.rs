//! "Did you mean …?" for an unknown endpoint name.

use netpol_engine::suggest::edit_distance as distance;
use netpol_engine::Compiled;

/// What to say about an endpoint name that the files do not declare: the nearest names by edit
/// distance (when near enough) and the same pod name in other namespaces, or else a few of the
/// known names.
pub(crate) fn unknown_endpoint(index: &Compiled, wanted: &str) -> String {
    let endpoints = index.endpoints();
    if endpoints.is_empty() {
        return "the files declare no pods or external endpoints".to_string();
    }
    let pod_part = |n: &str| n.rsplit('/').next().unwrap_or(n).to_string();
    let budget = (wanted.chars().count() / 3).max(2);
    let scored: Vec<(usize, &str)> = endpoints
        .iter()
        .map(|e| (distance(wanted, &e.name), e.name.as_str()))
        .collect();
    let best = scored.iter().map(|(d, _)| *d).min().unwrap_or(usize::MAX);
    let mut close: Vec<(usize, &str)> = scored
        .into_iter()
        .filter(|(d, n)| (*d == best && *d <= budget) || pod_part(n) == pod_part(wanted))
        .collect();
    close.sort();
    if close.is_empty() {
        let some: Vec<&str> = endpoints.iter().take(10).map(|e| e.name.as_str()).collect();
        let more = if endpoints.len() > some.len() {
            ", ..."
        } else {
            ""
        };
        return format!("known endpoints include {}{more}", some.join(", "));
    }
    let names: Vec<&str> = close.into_iter().take(8).map(|(_, n)| n).collect();
    format!("did you mean {}?", names.join(", "))
}
