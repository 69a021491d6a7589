//! Grouping the replicas of a workload into one endpoint ([`ParseOptions::group_replicas`]).
//!
//! `kubectl get pods -A -o yaml` prints every replica: `web-7d9f8c6b5-x2x7k`, `web-7d9f8c6b5-
//! q9z2m`, … each with a controller `ownerReference` (the ReplicaSet `web-7d9f8c6b5`). Pods with
//! the same controller owner and the same labels, ignoring the labels a controller adds per
//! revision or per replica, become one endpoint named after the owner. A ReplicaSet `<deployment>-<hash>` whose
//! pods carry `pod-template-hash: <hash>` was created by the Deployment `<deployment>`
//! (`pkg/controller/deployment/sync.go` names it so), so it is shown as that Deployment.
//! Workload objects with a controller owner (the ReplicaSets `kubectl get all` lists) are
//! grouped the same way, and when the owner's own manifest is read, its endpoint stands for the
//! group and takes the pods' IPs.
//!
//! [`ParseOptions::group_replicas`]: crate::manifest::ParseOptions::group_replicas

use crate::addresses::AutoIp;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Labels, Model, Pod, WorkloadKind};

/// An endpoint of the model whose object has a controller owner.
pub(crate) struct Owned {
    /// The index of the endpoint in `Model::pods`.
    pub pod: usize,
    pub kind: String,
    pub name: String,
}

/// True for a kind whose objects own replicas.
fn is_replica_owner(kind: &str) -> bool {
    WorkloadKind::parse(kind).is_some_and(|k| k != WorkloadKind::Pod)
}

/// The labels controllers add per revision (the first three) or per replica (the others), which
/// differ between replicas of one workload.
const REPLICA_LABELS: [&str; 6] = [
    "pod-template-hash",
    "controller-revision-hash",
    "pod-template-generation",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "batch.kubernetes.io/job-completion-index",
];

/// Pods of one owner with the same labels (revision labels aside).
struct Group {
    namespace: String,
    kind: WorkloadKind,
    name: String,
    labels: Labels,
    pods: Vec<usize>,
}

/// Groups the owned endpoints of `model`; see the module documentation. Pods removed from the
/// model are dropped from `pod_indices` and the other indices there are updated; notes go to
/// `diags`.
pub(crate) fn group(
    model: &mut Model,
    owned: &[Owned],
    pod_indices: &mut Vec<AutoIp>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut groups: Vec<Group> = Vec::new();
    for o in owned {
        if !is_replica_owner(&o.kind) {
            continue;
        }
        let pod = &model.pods[o.pod];
        let (kind, name) = owner(&o.kind, &o.name, &pod.labels);
        let labels = without_replica_labels(&pod.labels);
        let same = |g: &&mut Group| {
            g.namespace == pod.namespace && g.kind == kind && g.name == name && g.labels == labels
        };
        match groups.iter_mut().find(same) {
            Some(g) => g.pods.push(o.pod),
            None => groups.push(Group {
                namespace: pod.namespace.clone(),
                kind,
                name,
                labels,
                pods: vec![o.pod],
            }),
        }
    }
    let mut removed = vec![false; model.pods.len()];
    for (i, g) in groups.iter().enumerate() {
        // Of an owner's groups, the largest (the first of equals) is the workload; pods whose
        // labels were changed by hand stay as they are.
        let larger = groups.iter().enumerate().any(|(j, h)| {
            let same_owner = h.namespace == g.namespace && h.kind == g.kind && h.name == g.name;
            let bigger = h.pods.len() > g.pods.len() || (h.pods.len() == g.pods.len() && j < i);
            j != i && same_owner && bigger
        });
        if larger {
            continue;
        }
        let clash = model.pods.iter().enumerate().find(|(k, p)| {
            !removed[*k] && !g.pods.contains(k) && p.namespace == g.namespace && p.name == g.name
        });
        match clash {
            // The workload's own manifest is read too: its endpoint takes the pods' IPs.
            Some((k, p)) if p.kind == g.kind => {
                let ips: Vec<_> = g
                    .pods
                    .iter()
                    .flat_map(|&i| model.pods[i].ips.clone())
                    .collect();
                for ip in ips {
                    if !model.pods[k].ips.contains(&ip) {
                        model.pods[k].ips.push(ip);
                    }
                }
                for &i in &g.pods {
                    removed[i] = true;
                }
            }
            Some((_, p)) => {
                let first = &model.pods[g.pods[0]];
                let message = format!(
                    "the pods of {} {}/{} are not grouped: {} {} has the same name",
                    g.kind,
                    g.namespace,
                    g.name,
                    p.kind,
                    p.id()
                );
                diags.push(Diagnostic {
                    file: model.files[first.span.file].clone(),
                    line: first.span.line,
                    col: first.span.col,
                    severity: Severity::Info,
                    code: "not-grouped",
                    message,
                });
            }
            None => {
                let endpoint = merge(g, &model.pods);
                model.pods[g.pods[0]] = endpoint;
                for &i in &g.pods[1..] {
                    removed[i] = true;
                }
            }
        }
    }
    remove(model, pod_indices, &removed);
}

/// The workload that owns a pod: its controller, or the Deployment of a ReplicaSet named
/// `<deployment>-<pod-template-hash>`.
fn owner(kind: &str, name: &str, labels: &Labels) -> (WorkloadKind, String) {
    let kind = WorkloadKind::parse(kind).unwrap_or_default();
    if kind == WorkloadKind::ReplicaSet {
        let deployment = labels
            .get("pod-template-hash")
            .and_then(|hash| name.strip_suffix(hash.as_str()))
            .and_then(|rest| rest.strip_suffix('-'))
            .filter(|d| !d.is_empty());
        if let Some(d) = deployment {
            return (WorkloadKind::Deployment, d.to_string());
        }
    }
    (kind, name.to_string())
}

fn without_replica_labels(labels: &Labels) -> Labels {
    let mut out = labels.clone();
    out.retain(|k, _| !REPLICA_LABELS.contains(&k.as_str()));
    out
}

/// One endpoint for the group's pods: the labels they all have (with the same value), every IP
/// and every container port of any of them, at the first pod's position.
fn merge(g: &Group, pods: &[Pod]) -> Pod {
    let first = &pods[g.pods[0]];
    let members = || g.pods.iter().map(|&i| &pods[i]);
    let mut labels = first.labels.clone();
    labels.retain(|k, v| members().all(|p| p.labels.get(k) == Some(v)));
    let mut ips = Vec::new();
    let mut ports = Vec::new();
    for p in members() {
        for ip in &p.ips {
            if !ips.contains(ip) {
                ips.push(*ip);
            }
        }
        for port in &p.ports {
            if !ports.contains(port) {
                ports.push(port.clone());
            }
        }
    }
    Pod {
        namespace: g.namespace.clone(),
        name: g.name.clone(),
        labels,
        ips,
        ports,
        span: first.span,
        kind: g.kind,
    }
}

/// Removes the pods marked `removed`, keeping the pod indices in `pod_indices` right.
fn remove(model: &mut Model, pod_indices: &mut Vec<AutoIp>, removed: &[bool]) {
    if !removed.contains(&true) {
        return;
    }
    let mut new_index = Vec::with_capacity(removed.len());
    let mut next = 0;
    for &r in removed {
        new_index.push(next);
        if !r {
            next += 1;
        }
    }
    let mut k = 0;
    model.pods.retain(|_| {
        k += 1;
        !removed[k - 1]
    });
    pod_indices.retain(|a| !removed[a.pod]);
    for a in pod_indices.iter_mut() {
        a.pod = new_index[a.pod];
    }
}
