//! Workload objects as endpoints: a `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`
//! (apps/v1), `Job`, `CronJob` (batch/v1) or `ReplicationController` (v1) becomes one endpoint
//! `namespace/name` that stands for all its replicas, with its pod template's labels and its
//! containers' ports. The checks are in [`crate::validate`]; this module reads the typed object
//! and adds the endpoint.

use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::builder::{deserialize, Ctx};
use crate::diag::{FieldPath, PathDiag};
use crate::effects::{Effect, Writer};
use crate::manifest;
use crate::model::WorkloadKind;
use crate::validate::{self, Selector, Workload};
use crate::wire;

/// Reads a workload object of `kind` at `path` and adds its endpoint.
pub(crate) fn read(
    b: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    value: &Value,
    kind: WorkloadKind,
    path: &FieldPath,
) {
    let spec = FieldPath::root().key("spec");
    let raw_spec = value.get("spec");
    let given =
        |v: Option<&Value>, key: &str| v.and_then(|v| v.get(key)).is_some_and(|v| !v.is_null());
    let has_selector = given(raw_spec, "selector");
    let has_template = given(raw_spec, "template");
    // The apps/v1 kinds: a required selector and a pod template.
    let apps = |metadata, spec_sel, template| Workload {
        kind,
        metadata,
        selector: Selector::Required(spec_sel),
        selector_path: spec.key("selector"),
        template,
        template_path: spec.key("template"),
    };
    match kind {
        WorkloadKind::Deployment => {
            let Some(o) = typed::<wire::Deployment, apps::Deployment>(b, ctx, value, kind, path)
            else {
                return;
            };
            let s = o.spec.as_ref();
            let w = apps(
                &o.metadata,
                s.filter(|_| has_selector).map(|s| &s.selector),
                s.filter(|_| has_template).map(|s| &s.template),
            );
            add(b, ctx, &w, path);
        }
        WorkloadKind::StatefulSet => {
            let Some(o) = typed::<wire::StatefulSet, apps::StatefulSet>(b, ctx, value, kind, path)
            else {
                return;
            };
            let s = o.spec.as_ref();
            let w = apps(
                &o.metadata,
                s.filter(|_| has_selector).map(|s| &s.selector),
                s.filter(|_| has_template).map(|s| &s.template),
            );
            add(b, ctx, &w, path);
        }
        WorkloadKind::DaemonSet => {
            let Some(o) = typed::<wire::DaemonSet, apps::DaemonSet>(b, ctx, value, kind, path)
            else {
                return;
            };
            let s = o.spec.as_ref();
            let w = apps(
                &o.metadata,
                s.filter(|_| has_selector).map(|s| &s.selector),
                s.filter(|_| has_template).map(|s| &s.template),
            );
            add(b, ctx, &w, path);
        }
        WorkloadKind::ReplicaSet => {
            let Some(o) = typed::<wire::ReplicaSet, apps::ReplicaSet>(b, ctx, value, kind, path)
            else {
                return;
            };
            let s = o.spec.as_ref();
            let w = apps(
                &o.metadata,
                s.filter(|_| has_selector).map(|s| &s.selector),
                s.and_then(|s| s.template.as_ref()),
            );
            add(b, ctx, &w, path);
        }
        WorkloadKind::Job => {
            let Some(o) = typed::<wire::Job, batch::Job>(b, ctx, value, kind, path) else {
                return;
            };
            let s = o.spec.as_ref();
            let w = Workload {
                kind,
                metadata: &o.metadata,
                selector: Selector::Job {
                    selector: s.and_then(|s| s.selector.as_ref()),
                    manual: s.and_then(|s| s.manual_selector) == Some(true),
                },
                selector_path: spec.key("selector"),
                template: s.filter(|_| has_template).map(|s| &s.template),
                template_path: spec.key("template"),
            };
            add(b, ctx, &w, path);
        }
        WorkloadKind::CronJob => {
            let Some(o) = typed::<wire::CronJob, batch::CronJob>(b, ctx, value, kind, path) else {
                return;
            };
            let job_path = spec.key("jobTemplate").key("spec");
            let raw_job = raw_spec
                .and_then(|s| s.get("jobTemplate"))
                .and_then(|j| j.get("spec"));
            let job = o.spec.job_template.spec.as_ref();
            let w = Workload {
                kind,
                metadata: &o.metadata,
                selector: Selector::Job {
                    selector: job.and_then(|j| j.selector.as_ref()),
                    manual: job.and_then(|j| j.manual_selector) == Some(true),
                },
                selector_path: job_path.key("selector"),
                template: job
                    .filter(|_| given(raw_job, "template"))
                    .map(|j| &j.template),
                template_path: job_path.key("template"),
            };
            add(b, ctx, &w, path);
        }
        WorkloadKind::ReplicationController => {
            let Some(o) = typed::<wire::ReplicationController, core::ReplicationController>(
                b, ctx, value, kind, path,
            ) else {
                return;
            };
            let s = o.spec.as_ref();
            let w = Workload {
                kind,
                metadata: &o.metadata,
                selector: Selector::Map(s.and_then(|s| s.selector.as_ref())),
                selector_path: spec.key("selector"),
                template: s.and_then(|s| s.template.as_ref()),
                template_path: spec.key("template"),
            };
            add(b, ctx, &w, path);
        }
        WorkloadKind::Pod => {}
    }
}

/// Reports the workload's diagnostics and adds its endpoint (unless an endpoint of that name
/// exists, which the builder reports).
fn add(b: &mut Writer<'_>, ctx: &Ctx<'_>, w: &Workload<'_>, path: &FieldPath) {
    let (pod, diags) = validate::workload(w, path, &|p| ctx.span(p));
    b.push_all(ctx, diags);
    let Some(pod) = pod else { return };
    b.add(Effect::Workload {
        pod,
        name_at: ctx.span(&path.key("metadata").key("name")),
        owner: manifest::owner(w.metadata),
    });
}

/// The typed object, or `None` after reporting where it does not fit the schema.
fn typed<W: DeserializeOwned + Into<T>, T>(
    b: &mut Writer<'_>,
    ctx: &Ctx<'_>,
    value: &Value,
    kind: WorkloadKind,
    path: &FieldPath,
) -> Option<T> {
    match deserialize::<W>(value) {
        Ok(obj) => Some(obj.into()),
        Err((p, msg)) => {
            let shown = if p.0.is_empty() {
                String::new()
            } else {
                format!("{p}: ")
            };
            let at = FieldPath(path.0.iter().chain(p.0.iter()).cloned().collect());
            let d = PathDiag::error(at, "invalid-type", format!("{kind} {shown}{msg}"));
            b.push(ctx, d);
            None
        }
    }
}
