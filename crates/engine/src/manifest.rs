//! The ordinary containers and kinds of real manifests: `List` and typed lists (`PodList`,
//! `DeploymentList`, …) whose items omit `apiVersion`/`kind`, the `apiVersion`s each kind we
//! read is served as, one summary per file of the objects skipped because they do not affect
//! flows (Services, ConfigMaps, CRDs, …), and the options of [`crate::parse_with`].

use std::borrow::Cow;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};
use serde_yaml::{Mapping, Value};

use crate::builder::{Builder, Ctx};
use crate::diag::{quote, shown, Diagnostic, FieldPath, PathDiag, Severity};
use crate::effects::{Effect, Owner, Writer};
use crate::replicas;
use crate::suggest;

/// How [`crate::parse_with`] reads its inputs. Plain data, so that a front end can offer each
/// option as a toggle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseOptions {
    /// Group pods that have the same controller `ownerReference` and the same labels (ignoring
    /// `pod-template-hash`, `controller-revision-hash`, `pod-template-generation` and the
    /// per-replica labels of StatefulSets and indexed Jobs) into one endpoint named after the
    /// owner; pods of a ReplicaSet `<deployment>-<hash>` that carry
    /// that `pod-template-hash` are shown as the Deployment. Off: every pod is its own endpoint.
    pub group_replicas: bool,
}

/// The kinds that are read (for "did you mean").
const READ_KINDS: [&str; 15] = [
    "NetworkPolicy",
    "AdminNetworkPolicy",
    "BaselineAdminNetworkPolicy",
    "ClusterNetworkPolicy",
    "Node",
    "Pod",
    "Namespace",
    "List",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "Job",
    "CronJob",
    "ReplicationController",
];

/// Built-in kinds that do not affect flows; any of them is skipped quietly even when its name
/// is close to a kind that is read (`Node` and `Pod`).
const QUIET_KINDS: [&str; 11] = [
    "Role",
    "Lease",
    "Event",
    "Secret",
    "Service",
    "Endpoints",
    "ConfigMap",
    "PodTemplate",
    "LimitRange",
    "RoleBinding",
    "ServiceAccount",
];

/// The `apiVersion` a kind that is read is served as, the API groups it has been served in,
/// and the Kubernetes release that removed each older version.
fn served(kind: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match kind {
        "NetworkPolicy" => ("networking.k8s.io/v1", &["networking.k8s.io", "extensions"]),
        "Pod" | "Namespace" | "ReplicationController" => ("v1", &[""]),
        "Deployment" | "StatefulSet" | "DaemonSet" | "ReplicaSet" => {
            ("apps/v1", &["apps", "extensions"])
        }
        "Job" | "CronJob" => ("batch/v1", &["batch"]),
        _ => return None,
    })
}

fn removed_in(api_version: &str) -> Option<&'static str> {
    match api_version {
        "extensions/v1beta1" | "apps/v1beta1" | "apps/v1beta2" => Some("1.16"),
        "batch/v1beta1" => Some("1.25"),
        "batch/v2alpha1" => Some("1.21"),
        _ => None,
    }
}

/// Checks the `apiVersion` of an object of a kind that is read: an older or unknown version of
/// its API group is an error (kubectl would find no such resource); a kind of the same name in
/// another group (a CRD such as Calico's `NetworkPolicy`) is skipped with a warning. A missing
/// `apiVersion` is accepted. Returns whether to read the object.
pub(crate) fn api_version_ok(
    b: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    map: &Mapping,
    kind: &str,
    path: &FieldPath,
) -> bool {
    let Some((want, groups)) = served(kind) else {
        return true;
    };
    let Some(given) = map.get("apiVersion").and_then(Value::as_str) else {
        return true;
    };
    if given == want {
        return true;
    }
    let group = given.rsplit_once('/').map_or("", |(g, _)| g);
    let at = path.key("apiVersion");
    if groups.contains(&group) {
        let removed = removed_in(given)
            .map(|r| format!(" (removed in Kubernetes {r})"))
            .unwrap_or_default();
        let msg = format!(
            "no matches for kind {kind:?} in version {}{removed}: {kind} is served as `apiVersion: {want}`",
            quote(given)
        );
        b.push(ctx, PathDiag::error(at, "unknown-api-version", msg));
    } else {
        let msg = format!(
            "skipped {kind}{} of apiVersion {}: it is not the Kubernetes {kind} ({want})",
            object_name(map),
            quote(given)
        );
        b.push(ctx, PathDiag::warning(at, "skipped-kind", msg));
    }
    false
}

/// ` name` of an object, or nothing (quoted and cut when it is not short plain text).
fn object_name(map: &Mapping) -> String {
    map.get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .map(|n| format!(" {}", shown(n)))
        .unwrap_or_default()
}

/// True for `List` and typed lists (`PodList`, `DeploymentList`, …).
pub(crate) fn is_list(kind: &str) -> bool {
    kind == "List" || (kind.len() > 4 && kind.ends_with("List"))
}

/// The items of a list, each with its path, for the caller to read. Items of a typed list that omit `kind` (and `apiVersion`), as the
/// API server returns them, take the kind from the list's kind and the list's `apiVersion`.
pub(crate) fn list_items<'v>(
    b: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    map: &'v Mapping,
    kind: &str,
    path: &FieldPath,
) -> Vec<(Cow<'v, Value>, FieldPath)> {
    let item_kind = kind.strip_suffix("List").filter(|k| !k.is_empty());
    let items = match map.get("items") {
        Some(Value::Sequence(items)) => items,
        None | Some(Value::Null) => return Vec::new(),
        Some(_) => {
            let d = PathDiag::error(
                path.key("items"),
                "invalid-type",
                format!("{kind} items must be a list"),
            );
            b.push(ctx, d);
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = path.key("items").index(i);
        match (item_kind, item) {
            (Some(k), Value::Mapping(m)) if !m.contains_key("kind") => {
                let mut typed = m.clone();
                typed.insert("kind".into(), k.into());
                if let Some(v) = map
                    .get("apiVersion")
                    .filter(|_| !m.contains_key("apiVersion"))
                {
                    typed.insert("apiVersion".into(), v.clone());
                }
                out.push((Cow::Owned(Value::Mapping(typed)), at));
            }
            _ => out.push((Cow::Borrowed(item), at)),
        }
    }
    out
}

/// An object whose kind is not read: likely typos of a kind that is read get a warning each;
/// every other kind is counted into the file's summary.
pub(crate) fn skipped(
    b: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    map: &Mapping,
    kind: &str,
    path: &FieldPath,
) {
    let typo = suggest::closest(kind, READ_KINDS).filter(|_| !QUIET_KINDS.contains(&kind));
    if let Some(known) = typo {
        let msg = format!(
            "skipped {}{}: unknown kind; did you mean {known}?",
            shown(kind),
            object_name(map)
        );
        let d = PathDiag::warning(path.key("kind"), "skipped-kind", msg);
        b.push(ctx, d);
        return;
    }
    b.add(Effect::Skipped {
        kind: kind.to_string(),
        at: ctx.span(&path.key("kind")),
    });
}

/// Ends a file: one info diagnostic summarising the objects skipped in it.
pub(crate) fn end_of_file(b: &mut Builder, file: &str) {
    let skipped = std::mem::take(&mut b.manifest.skipped);
    let Some(at) = b.manifest.first_skipped.take() else {
        return;
    };
    let others = std::mem::take(&mut b.manifest.other_kinds);
    let total: usize = skipped.iter().map(|(_, n)| n).sum::<usize>() + others;
    let mut kinds: Vec<String> = skipped
        .iter()
        .map(|(k, n)| format!("{n} {}", shown(k)))
        .collect();
    if others > 0 {
        kinds.push(format!("{others} of other kinds"));
    }
    let (objects, verb) = if total == 1 {
        ("object", "does")
    } else {
        ("objects", "do")
    };
    b.diags.push(Diagnostic {
        file: file.to_string(),
        line: at.line,
        col: at.col,
        severity: Severity::Info,
        code: "skipped-kinds",
        message: format!(
            "skipped {total} {objects} that {verb} not affect flows: {} (only NetworkPolicies, the tiered cluster policies, Namespaces, Pods, Nodes and workloads are read)",
            kinds.join(", ")
        ),
    });
}

/// The controller owner of an object, if it has one.
pub(crate) fn owner(metadata: &ObjectMeta) -> Option<Owner> {
    let o = metadata
        .owner_references
        .iter()
        .flatten()
        .find(|o| o.controller == Some(true))?;
    Some(Owner {
        kind: o.kind.clone(),
        name: o.name.clone(),
    })
}

/// What is left to do once every input is read.
pub(crate) fn finish(b: &mut Builder, options: &ParseOptions) {
    let owned = std::mem::take(&mut b.manifest.owned);
    if options.group_replicas {
        replicas::group(&mut b.model, &owned, &mut b.auto_ip, &mut b.diags);
    }
}
