//! The wire shape of each kind the engine reads: only the fields that make an endpoint or a
//! policy, each read with k8s-openapi's own type (`LabelSelector`, `NetworkPolicySpec`,
//! `ContainerPort`, `PodIP`, `OwnerReference`), then assembled into the k8s-openapi object that
//! the readers ([`crate::objects`], [`crate::workload`], [`crate::validate`]) take.
//!
//! Why not deserialize the whole k8s-openapi object: a `PodSpec` brings the serde code of every
//! volume source, probe and security context, and `ObjectMeta` a timestamp parser; together they
//! were a third of the playground's wasm. Reading only what the engine uses keeps its behaviour
//! (same fields, same types, same messages: a field of the wrong type is reported as
//! k8s-openapi reports it, `apiVersion` and `kind` are checked as it checks them) and leaves
//! the fields that cannot change a flow unchecked, as the engine never read them.

use std::collections::BTreeMap;
use std::fmt;

use k8s_openapi::api::apps::v1 as apps;
use k8s_openapi::api::batch::v1 as batch;
use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::Resource;
use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Unexpected, Visitor};

/// A map key, read the way k8s-openapi reads field names (as an identifier).
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("field identifier")
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key, E> {
                Ok(Key(v.to_string()))
            }
        }
        d.deserialize_identifier(KeyVisitor)
    }
}

/// Reads `apiVersion` or `kind` and refuses any other value than `want`, as k8s-openapi does.
fn expect_str<'de, A: MapAccess<'de>>(map: &mut A, want: &'static str) -> Result<(), A::Error> {
    let got: String = map.next_value()?;
    if got != want {
        return Err(A::Error::invalid_value(Unexpected::Str(&got), &want));
    }
    Ok(())
}

/// A struct read from a map only (as k8s-openapi's structs are), every field optional; the
/// fields not listed are skipped unread. With `check`, `apiVersion` and `kind` must be the
/// resource's.
macro_rules! wire {
    ($(#[$attr:meta])* struct $name:ident as $expect:expr, check $check:expr,
     { $($field:ident: $ty:ty = $key:literal,)* }) => {
        $(#[$attr])*
        #[derive(Default)]
        pub(crate) struct $name {
            $(pub(crate) $field: Option<$ty>,)*
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl<'de> Visitor<'de> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expect)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        let check: Option<(&'static str, &'static str)> = $check;
                        while let Some(Key(key)) = map.next_key::<Key>()? {
                            match (key.as_str(), check) {
                                ("apiVersion", Some((want, _))) => expect_str(&mut map, want)?,
                                ("kind", Some((_, want))) => expect_str(&mut map, want)?,
                                $(($key, _) => out.$field = map.next_value()?,)*
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_struct($expect, &[$($key),*], V)
            }
        }
    };
}

/// `apiVersion` and `kind` of a k8s-openapi resource type.
const fn resource<R: Resource>() -> Option<(&'static str, &'static str)> {
    Some((R::API_VERSION, R::KIND))
}

wire! {
    /// `metadata`: what validation and the endpoint use.
    struct Meta as "ObjectMeta", check None, {
        name: String = "name",
        generate_name: String = "generateName",
        namespace: String = "namespace",
        labels: BTreeMap<String, String> = "labels",
        annotations: BTreeMap<String, String> = "annotations",
        owner_references: Vec<metav1::OwnerReference> = "ownerReferences",
    }
}

impl From<Meta> for metav1::ObjectMeta {
    fn from(m: Meta) -> Self {
        metav1::ObjectMeta {
            name: m.name,
            generate_name: m.generate_name,
            namespace: m.namespace,
            labels: m.labels,
            annotations: m.annotations,
            owner_references: m.owner_references,
            ..Default::default()
        }
    }
}

fn meta(m: Option<Meta>) -> metav1::ObjectMeta {
    m.unwrap_or_default().into()
}

wire! {
    /// A container: its name and ports.
    struct Container as "Container", check None, {
        name: String = "name",
        ports: Vec<core::ContainerPort> = "ports",
    }
}

wire! {
    /// A pod spec: its containers.
    struct PodSpec as "PodSpec", check None, {
        containers: Vec<Container> = "containers",
    }
}

impl From<PodSpec> for core::PodSpec {
    fn from(s: PodSpec) -> Self {
        let containers = s.containers.unwrap_or_default().into_iter();
        core::PodSpec {
            containers: containers
                .map(|c| core::Container {
                    name: c.name.unwrap_or_default(),
                    ports: c.ports,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }
}

wire! {
    /// A pod's status: its IPs.
    struct PodStatus as "PodStatus", check None, {
        pod_ip: String = "podIP",
        pod_ips: Vec<core::PodIP> = "podIPs",
    }
}

wire! {
    /// A `Pod`.
    struct Pod as "Pod", check resource::<core::Pod>(), {
        metadata: Meta = "metadata",
        spec: PodSpec = "spec",
        status: PodStatus = "status",
    }
}

impl From<Pod> for core::Pod {
    fn from(p: Pod) -> Self {
        core::Pod {
            metadata: meta(p.metadata),
            spec: p.spec.map(Into::into),
            status: p.status.map(|s| core::PodStatus {
                pod_ip: s.pod_ip,
                pod_ips: s.pod_ips,
                ..Default::default()
            }),
        }
    }
}

wire! {
    /// A `Namespace`: its metadata.
    struct Namespace as "Namespace", check resource::<core::Namespace>(), {
        metadata: Meta = "metadata",
    }
}

impl From<Namespace> for core::Namespace {
    fn from(n: Namespace) -> Self {
        core::Namespace {
            metadata: meta(n.metadata),
            ..Default::default()
        }
    }
}

wire! {
    /// A `NetworkPolicy`: its metadata and the whole spec.
    struct NetworkPolicy as "NetworkPolicy", check resource::<net::NetworkPolicy>(), {
        metadata: Meta = "metadata",
        spec: net::NetworkPolicySpec = "spec",
    }
}

impl From<NetworkPolicy> for net::NetworkPolicy {
    fn from(p: NetworkPolicy) -> Self {
        net::NetworkPolicy {
            metadata: meta(p.metadata),
            spec: p.spec,
        }
    }
}

wire! {
    /// A pod template.
    struct PodTemplateSpec as "PodTemplateSpec", check None, {
        metadata: Meta = "metadata",
        spec: PodSpec = "spec",
    }
}

impl From<PodTemplateSpec> for core::PodTemplateSpec {
    fn from(t: PodTemplateSpec) -> Self {
        core::PodTemplateSpec {
            metadata: t.metadata.map(Into::into),
            spec: t.spec.map(Into::into),
        }
    }
}

fn template(t: Option<PodTemplateSpec>) -> core::PodTemplateSpec {
    t.unwrap_or_default().into()
}

/// The wire types of an apps/v1 kind (the object and its spec, named as k8s-openapi names them
/// in its messages) and their conversion; the four kinds differ only in those names and in
/// whether the template is optional.
macro_rules! apps_kind {
    ($name:ident, $spec:ident, $template:expr) => {
        wire! {
            #[doc = concat!("The spec of a `", stringify!($name), "`.")]
            struct $spec as stringify!($spec), check None, {
                selector: metav1::LabelSelector = "selector",
                template: PodTemplateSpec = "template",
            }
        }

        wire! {
            #[doc = concat!("A `", stringify!($name), "`.")]
            struct $name as stringify!($name), check resource::<apps::$name>(), {
                metadata: Meta = "metadata",
                spec: $spec = "spec",
            }
        }

        impl From<$name> for apps::$name {
            fn from(o: $name) -> Self {
                let template_of: fn(Option<PodTemplateSpec>) -> _ = $template;
                Self {
                    metadata: meta(o.metadata),
                    spec: o.spec.map(|s| apps::$spec {
                        selector: s.selector.unwrap_or_default(),
                        template: template_of(s.template),
                        ..Default::default()
                    }),
                    ..Default::default()
                }
            }
        }
    };
}

apps_kind!(Deployment, DeploymentSpec, template);
apps_kind!(StatefulSet, StatefulSetSpec, template);
apps_kind!(DaemonSet, DaemonSetSpec, template);
apps_kind!(ReplicaSet, ReplicaSetSpec, |t| t.map(Into::into));

wire! {
    /// The spec of a `Job` (also inside a CronJob's `jobTemplate`).
    struct JobSpec as "JobSpec", check None, {
        manual_selector: bool = "manualSelector",
        selector: metav1::LabelSelector = "selector",
        template: PodTemplateSpec = "template",
    }
}

impl From<JobSpec> for batch::JobSpec {
    fn from(s: JobSpec) -> Self {
        batch::JobSpec {
            manual_selector: s.manual_selector,
            selector: s.selector,
            template: template(s.template),
            ..Default::default()
        }
    }
}

wire! {
    /// A `Job`.
    struct Job as "Job", check resource::<batch::Job>(), {
        metadata: Meta = "metadata",
        spec: JobSpec = "spec",
    }
}

impl From<Job> for batch::Job {
    fn from(j: Job) -> Self {
        batch::Job {
            metadata: meta(j.metadata),
            spec: j.spec.map(Into::into),
            ..Default::default()
        }
    }
}

wire! {
    /// A CronJob's `jobTemplate`.
    struct JobTemplateSpec as "JobTemplateSpec", check None, {
        spec: JobSpec = "spec",
    }
}

wire! {
    /// A CronJob's spec: its job template.
    struct CronJobSpec as "CronJobSpec", check None, {
        job_template: JobTemplateSpec = "jobTemplate",
    }
}

wire! {
    /// A `CronJob`.
    struct CronJob as "CronJob", check resource::<batch::CronJob>(), {
        metadata: Meta = "metadata",
        spec: CronJobSpec = "spec",
    }
}

impl From<CronJob> for batch::CronJob {
    fn from(c: CronJob) -> Self {
        let job_template = c.spec.and_then(|s| s.job_template).unwrap_or_default();
        batch::CronJob {
            metadata: meta(c.metadata),
            spec: batch::CronJobSpec {
                job_template: batch::JobTemplateSpec {
                    spec: job_template.spec.map(Into::into),
                    ..Default::default()
                },
                ..Default::default()
            },
            ..Default::default()
        }
    }
}

wire! {
    /// The spec of a `ReplicationController`.
    struct ReplicationControllerSpec as "ReplicationControllerSpec", check None, {
        selector: BTreeMap<String, String> = "selector",
        template: PodTemplateSpec = "template",
    }
}

wire! {
    /// A `ReplicationController`.
    struct ReplicationController as "ReplicationController",
        check resource::<core::ReplicationController>(), {
        metadata: Meta = "metadata",
        spec: ReplicationControllerSpec = "spec",
    }
}

impl From<ReplicationController> for core::ReplicationController {
    fn from(r: ReplicationController) -> Self {
        core::ReplicationController {
            metadata: meta(r.metadata),
            spec: r.spec.map(|s| core::ReplicationControllerSpec {
                selector: s.selector,
                template: s.template.map(Into::into),
                ..Default::default()
            }),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    //! Each case is read twice, through the wire type and through the whole k8s-openapi type:
    //! the objects (whose inputs hold only fields the engine reads) or the errors (path and
    //! message) must be the same.

    use serde::de::DeserializeOwned;
    use serde_yaml::Value;

    use super::*;
    use crate::builder::deserialize;

    fn same<W, T>(yaml: &str)
    where
        W: DeserializeOwned + Into<T>,
        T: DeserializeOwned + PartialEq + fmt::Debug,
    {
        let value: Value = serde_yaml::from_str(yaml).expect("test YAML parses");
        let wire = deserialize::<W>(&value).map(Into::into);
        let whole = deserialize::<T>(&value);
        let show = |r: &Result<T, _>| match r {
            Ok(_) => "Ok".to_string(),
            Err((p, m)) => format!("Err({p}: {m})"),
        };
        assert_eq!(
            wire.as_ref().ok(),
            whole.as_ref().ok(),
            "{yaml}\nwire: {}\nwhole: {}",
            show(&wire),
            show(&whole)
        );
        let err = |r: Result<T, (crate::diag::FieldPath, String)>| {
            r.err().map(|(p, m)| (p.to_string(), m))
        };
        assert_eq!(err(wire), err(whole), "{yaml}");
    }

    const POD_CASES: &[&str] = &[
        "{apiVersion: v1, kind: Pod, metadata: {name: a, namespace: x, labels: {app: web}}}",
        "{apiVersion: v1, kind: Pod, metadata: {generateName: a-, annotations: {k: v}}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a, ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: r, uid: u, controller: true}]}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{name: c, ports: [{containerPort: 80, name: http, protocol: TCP}]}]}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: null}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: [{ports: [{containerPort: http}]}]}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: {containers: {c: 1}}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, spec: [1, 2]}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, status: {podIP: 10.0.0.1, podIPs: [{ip: 10.0.0.1}, {ip: fd00::1}]}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, status: {podIPs: [{}]}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a}, status: {podIP: [1]}}",
        "{apiVersion: v1, kind: Pod, metadata: [a, b]}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a, labels: {app: [web]}}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: 5}}",
        "{apiVersion: v2, kind: Pod, metadata: {name: a}}",
        "{apiVersion: v1, kind: Pods, metadata: {name: a}}",
        "{apiVersion: v1, kind: Pod, 1: x, metadata: {name: a}}",
        "{apiVersion: v1, kind: Pod, metadata: {name: a, ownerReferences: [{kind: 3}]}}",
        "[1, 2]",
        "just text",
        "null",
    ];

    #[test]
    fn pods() {
        for case in POD_CASES {
            same::<Pod, core::Pod>(case);
        }
    }

    #[test]
    fn namespaces_and_policies() {
        for case in [
            "{apiVersion: v1, kind: Namespace, metadata: {name: x, labels: {a: b}}}",
            "{apiVersion: v1, kind: Namespace, metadata: {name: {x: 1}}}",
            "{apiVersion: v1, kind: Namespace}",
        ] {
            same::<Namespace, core::Namespace>(case);
        }
        for case in [
            "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p, namespace: x}, spec: {podSelector: {}, ingress: [{from: [{podSelector: {matchLabels: {a: b}}}], ports: [{port: 80}]}]}}",
            "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: {podSelector: {matchExpressions: [{key: a, operator: In, values: 1}]}}}",
            "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: {podSelector: {}, policyTypes: Ingress}}",
            "{apiVersion: networking.k8s.io/v1beta1, kind: NetworkPolicy, metadata: {name: p}}",
            "{apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: p}, spec: null}",
        ] {
            same::<NetworkPolicy, net::NetworkPolicy>(case);
        }
    }

    #[test]
    fn workloads() {
        let template = "template: {metadata: {labels: {app: web}}, spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}}";
        for spec in [
            format!("{{selector: {{matchLabels: {{app: web}}}}, {template}}}"),
            "{selector: {matchLabels: {app: web}}}".to_string(),
            format!("{{{template}}}"),
            "{selector: 5}".to_string(),
            "{template: {spec: {containers: [{ports: [{containerPort: x}]}]}}}".to_string(),
            "null".to_string(),
        ] {
            same::<Deployment, apps::Deployment>(&format!(
                "{{apiVersion: apps/v1, kind: Deployment, metadata: {{name: d}}, spec: {spec}}}"
            ));
            same::<StatefulSet, apps::StatefulSet>(&format!(
                "{{apiVersion: apps/v1, kind: StatefulSet, metadata: {{name: d}}, spec: {spec}}}"
            ));
            same::<DaemonSet, apps::DaemonSet>(&format!(
                "{{apiVersion: apps/v1, kind: DaemonSet, metadata: {{name: d}}, spec: {spec}}}"
            ));
            same::<ReplicaSet, apps::ReplicaSet>(&format!(
                "{{apiVersion: apps/v1, kind: ReplicaSet, metadata: {{name: d}}, spec: {spec}}}"
            ));
            same::<Job, batch::Job>(&format!(
                "{{apiVersion: batch/v1, kind: Job, metadata: {{name: d}}, spec: {spec}}}"
            ));
            same::<CronJob, batch::CronJob>(&format!(
                "{{apiVersion: batch/v1, kind: CronJob, metadata: {{name: d}}, spec: {{jobTemplate: {{spec: {spec}}}}}}}"
            ));
        }
        same::<Deployment, apps::Deployment>("{apiVersion: apps/v1beta1, kind: Deployment}");
        same::<Job, batch::Job>(
            "{apiVersion: batch/v1, kind: Job, metadata: {name: j}, spec: {manualSelector: true, selector: {matchLabels: {a: b}}}}",
        );
        same::<Job, batch::Job>(
            "{apiVersion: batch/v1, kind: Job, spec: {manualSelector: yes please}}",
        );
        same::<CronJob, batch::CronJob>(
            "{apiVersion: batch/v1, kind: CronJob, metadata: {name: c}}",
        );
        same::<CronJob, batch::CronJob>(
            "{apiVersion: batch/v1, kind: CronJob, spec: {jobTemplate: 1}}",
        );
        for spec in [
            "{selector: {app: web}, template: {metadata: {labels: {app: web}}}}",
            "{selector: {app: [web]}}",
            "{}",
        ] {
            same::<ReplicationController, core::ReplicationController>(&format!(
                "{{apiVersion: v1, kind: ReplicationController, metadata: {{name: r}}, spec: {spec}}}"
            ));
        }
    }
}
