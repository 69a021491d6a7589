//! From input texts to the validated model: documents, Kubernetes objects, the toy format.
//!
//! Parsing never fails: it returns a model of everything valid plus positioned diagnostics.
//! Each document is first checked against the bounds in [`crate::limits`]; the readers of
//! objects ([`crate::objects`], [`crate::validate`]) and of toy clusters ([`crate::toy`])
//! return plain values, which this module positions and merges (declared twice, undeclared
//! namespaces, IP assignment).

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use serde_yaml::{Mapping, Value};

use crate::addresses::AutoIp;
use crate::builder::{deserialize, first_at, Builder, Ctx};
use crate::diag::{cut_quoted, Diagnostic, FieldPath, PathDiag, Severity};
use crate::json_locate::{self, DocLocator};
use crate::manifest::{self, ParseOptions};
use crate::model::{External, Model, Namespace, Pod, WorkloadKind};
use crate::source::{self, Input};
use crate::toy::ToyCluster;
use crate::yaml::split_documents;
use crate::{limits, objects, tiered, toy, validate, wire, workload};

/// Parses and validates every input into one model. Objects with errors are left out; every
/// problem is a diagnostic with file, line and column.
pub fn parse(inputs: &[Input<'_>]) -> (Model, Vec<Diagnostic>) {
    parse_with(inputs, &ParseOptions::default())
}

/// [`parse`] with options (e.g. grouping the replicas of a workload into one endpoint).
pub fn parse_with(inputs: &[Input<'_>], options: &ParseOptions) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::default();
    for (file, input) in inputs.iter().enumerate() {
        b.model.files.push(input.name.to_string());
        let text = source::normalize(input.text);
        for doc in split_documents(&text) {
            let ctx = Ctx {
                file,
                name: input.name,
                doc: &doc,
                locator: DocLocator::new(doc.text),
            };
            if let Err(v) = limits::check(doc.text) {
                b.emit(ctx.at_offset(v.offset, Severity::Error, v.code, v.message));
                continue;
            }
            // A document that starts with `{` or `[` is read as JSON (`kubectl get -o json`).
            match json_locate::read(doc.text) {
                Some(Ok(value)) => b.object(&ctx, &value, &FieldPath::root()),
                Some(Err(e)) => b.emit(json_locate::error(ctx.name, doc.first_line, &e)),
                None => match serde_yaml::from_str::<Value>(doc.text) {
                    Ok(value) => b.object(&ctx, &value, &FieldPath::root()),
                    Err(e) => b.emit(yaml_error(&ctx, &e)),
                },
            }
        }
        manifest::end_of_file(&mut b, input.name);
    }
    manifest::finish(&mut b, options);
    b.finish()
}

/// A libyaml or serde_yaml error, positioned by its byte offset (libyaml's own line count
/// also breaks lines at U+0085, U+2028 and U+2029; ours does not).
fn yaml_error(ctx: &Ctx<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let offset = e.location().map_or(0, |l| l.index());
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    let message = format!("YAML syntax error: {}", cut_quoted(&message));
    ctx.at_offset(offset, Severity::Error, "yaml-syntax", message)
}

const TOY_KEYS: [&str; 3] = ["namespaces", "externals", "ports"];

/// The `apiVersion` of a kind this parser reads, for the hint when it is missing.
fn api_version_of(kind: &str) -> Option<&'static str> {
    match kind {
        "NetworkPolicy" | "NetworkPolicyList" => Some("networking.k8s.io/v1"),
        "Pod" | "Namespace" | "List" | "PodList" | "NamespaceList" => Some("v1"),
        _ => None,
    }
}

impl Builder {
    /// Reads one object (a document, or an item of a List) at `path`.
    pub(crate) fn object(&mut self, ctx: &Ctx<'_>, value: &Value, path: &FieldPath) {
        let Value::Mapping(map) = value else {
            if !value.is_null() {
                self.push(
                    ctx,
                    PathDiag::error(
                        path.clone(),
                        "not-an-object",
                        "expected a Kubernetes object (a mapping with `kind`) or a toy cluster (`namespaces:`)",
                    ),
                );
            }
            return;
        };
        let kind = map.get("kind").and_then(Value::as_str);
        let Some(kind) = kind else {
            let toy = !map.is_empty()
                && map
                    .keys()
                    .all(|k| k.as_str().is_some_and(|k| TOY_KEYS.contains(&k)));
            if toy && path.0.is_empty() {
                let cluster = toy::parse(value);
                self.toy(ctx, cluster);
            } else {
                self.push(
                    ctx,
                    PathDiag::error(
                        path.clone(),
                        "missing-kind",
                        "this object has no `kind`: expected a Kubernetes object (NetworkPolicy, Pod, Namespace, a workload such as Deployment, List) or a toy cluster with `namespaces:` / `externals:`",
                    ),
                );
            }
            return;
        };
        if !self.has_api_version(ctx, map, kind, path)
            || !manifest::api_version_ok(self, ctx, map, kind, path)
        {
            return;
        }
        let mut diags = Vec::new();
        match kind {
            "NetworkPolicy" => {
                match deserialize::<wire::NetworkPolicy>(value).map(net::NetworkPolicy::from) {
                    Ok(obj) => {
                        let loc = |p: &FieldPath| ctx.span(p);
                        let (policy, found) = validate::network_policy(value, &obj, path, &loc);
                        self.push_all(ctx, found);
                        if let Some(policy) = policy {
                            self.add_policy(ctx, policy, &path.key("metadata").key("name"));
                        }
                    }
                    Err(e) => self.typed_error(ctx, kind, path, e),
                }
            }
            "Pod" => match deserialize::<wire::Pod>(value).map(core::Pod::from) {
                Ok(obj) => {
                    let pod = objects::pod(&obj, path, &mut diags);
                    self.push_all(ctx, diags);
                    if let Some(mut pod) = pod {
                        let at = path.key("metadata").key("name");
                        pod.span = ctx.span(&at);
                        let added = self.model.pods.len();
                        if self.add_pod(ctx, pod, &at) {
                            manifest::pod_added(self, &obj, added);
                        }
                    }
                }
                Err(e) => self.typed_error(ctx, kind, path, e),
            },
            "Namespace" => match deserialize::<wire::Namespace>(value).map(core::Namespace::from) {
                Ok(obj) => {
                    let ns = objects::namespace(&obj, path, &mut diags);
                    self.push_all(ctx, diags);
                    if let Some(mut ns) = ns {
                        let at = path.key("metadata").key("name");
                        ns.span = Some(ctx.span(&at));
                        self.add_namespace(ctx, ns, &at);
                    }
                }
                Err(e) => self.typed_error(ctx, kind, path, e),
            },
            "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
                let loc = |p: &FieldPath| ctx.span(p);
                let found = tiered::input::add_cluster_policy(&mut self.model, value, path, &loc);
                self.push_all(ctx, found);
            }
            "Node" => {
                let loc = |p: &FieldPath| ctx.span(p);
                let found = tiered::input::add_node(&mut self.model, value, path, &loc);
                self.push_all(ctx, found);
            }
            kind if manifest::is_list(kind) => {
                for (item, at) in manifest::list_items(self, ctx, map, kind, path) {
                    self.object(ctx, &item, &at);
                }
            }
            kind => match WorkloadKind::parse(kind) {
                Some(workload) => workload::read(self, ctx, value, workload, path),
                None => manifest::skipped(self, ctx, map, kind, path),
            },
        }
    }

    /// A Kubernetes object needs `apiVersion` (the API server answers "Object 'apiVersion' is
    /// missing"); without it the object is left out.
    fn has_api_version(
        &mut self,
        ctx: &Ctx<'_>,
        map: &Mapping,
        kind: &str,
        path: &FieldPath,
    ) -> bool {
        let present = match map.get("apiVersion") {
            None | Some(Value::Null) => false,
            Some(Value::String(s)) => !s.is_empty(),
            Some(_) => true,
        };
        if !present {
            let hint = match api_version_of(kind) {
                Some(v) => format!(" (a {kind} has apiVersion: {v})"),
                None => String::new(),
            };
            self.push(
                ctx,
                PathDiag::error(
                    path.key("kind"),
                    "required",
                    format!("apiVersion: Required value: Object 'apiVersion' is missing{hint}"),
                ),
            );
        }
        present
    }

    fn typed_error(
        &mut self,
        ctx: &Ctx<'_>,
        kind: &str,
        path: &FieldPath,
        (p, msg): (FieldPath, String),
    ) {
        let shown = if p.0.is_empty() {
            String::new()
        } else {
            format!("{p}: ")
        };
        let at = FieldPath(path.0.iter().chain(p.0.iter()).cloned().collect());
        self.push(
            ctx,
            PathDiag::error(at, "invalid-type", format!("{kind} {shown}{msg}")),
        );
    }

    /// Merges a toy cluster document: its diagnostics, then its namespaces (each with its pods,
    /// unless declared twice) and externals.
    fn toy(&mut self, ctx: &Ctx<'_>, cluster: ToyCluster) {
        self.push_all(ctx, cluster.diags);
        for ns in cluster.namespaces {
            let namespace = Namespace {
                name: ns.name.clone(),
                labels: ns.labels,
                span: Some(ctx.span(&ns.path)),
            };
            if !self.add_namespace(ctx, namespace, &ns.path) {
                continue;
            }
            let namespace = self.toy_namespaces;
            self.toy_namespaces += 1;
            for p in ns.pods {
                let auto = p.ips.is_empty();
                let pod = Pod {
                    namespace: ns.name.clone(),
                    name: p.name,
                    labels: p.labels,
                    ips: p.ips,
                    ports: p.ports,
                    span: ctx.span(&p.path),
                    kind: WorkloadKind::Pod,
                };
                if self.add_pod(ctx, pod, &p.path) && auto {
                    self.auto_ip.push(AutoIp {
                        pod: self.model.pods.len() - 1,
                        namespace,
                        ordinal: p.ordinal,
                    });
                }
            }
        }
        for e in cluster.externals {
            let span = ctx.span(&e.path);
            if let Some(&prev) = self.externals.get(&e.name) {
                let first = first_at(&self.model, self.model.externals[prev].span);
                let msg = format!(
                    "external {} is declared twice (first at {first}); this one is ignored",
                    e.name
                );
                self.push(ctx, PathDiag::error(e.path, "duplicate", msg));
                continue;
            }
            self.externals
                .insert(e.name.clone(), self.model.externals.len());
            self.model.externals.push(External {
                name: e.name,
                ip: e.ip,
                span,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::net::IpAddr;

    use super::*;
    use crate::model::NAMESPACE_NAME_LABEL;
    use crate::model::{ContainerPort, Protocol};

    fn run(text: &str) -> (Model, Vec<String>) {
        let (m, d) = parse(&[Input {
            name: "in.yaml",
            text,
        }]);
        (m, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn yaml_syntax_error_is_positioned_in_the_right_document() {
        let (_, d) = run(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: [\n",
        );
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("in.yaml:7:1: error: YAML syntax error"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn other_kinds_are_summarised_once_per_file() {
        let (_, d) = run("\
apiVersion: v1
kind: Service
metadata: {name: web}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: config}
---
apiVersion: v1
kind: Service
metadata: {name: db}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolcy
metadata: {name: typo}
");
        assert_eq!(
            d,
            vec![
                "in.yaml:14:7: warning: skipped NetworkPolcy typo: unknown kind; did you mean NetworkPolicy?",
                "in.yaml:2:7: info: skipped 3 objects that do not affect flows: 2 Service, 1 ConfigMap (only NetworkPolicies, the tiered cluster policies, Namespaces, Pods, Nodes and workloads are read)",
            ]
        );
    }

    #[test]
    fn kubectl_list_of_pods_and_namespaces() {
        let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: shop
    labels: {team: web}
- apiVersion: v1
  kind: Pod
  metadata:
    name: web-1
    namespace: shop
    labels: {app: web}
  spec:
    containers:
    - name: c
      image: nginx
      ports:
      - {name: http, containerPort: 8080}
      - {containerPort: 53, protocol: UDP}
  status:
    podIP: 10.0.0.7
- apiVersion: v1
  kind: Pod
  metadata: {name: lonely, namespace: other}
  spec: {containers: [{name: c, image: x}]}
";
        let (m, d) = run(text);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(m.pods.len(), 2);
        let web = &m.pods[0];
        assert_eq!(web.id(), "shop/web-1");
        assert_eq!(web.ips, vec!["10.0.0.7".parse::<IpAddr>().unwrap()]);
        assert_eq!(
            web.ports,
            vec![
                ContainerPort {
                    name: Some("http".into()),
                    port: 8080,
                    protocol: Protocol::Tcp
                },
                ContainerPort {
                    name: None,
                    port: 53,
                    protocol: Protocol::Udp
                },
            ]
        );
        assert_eq!(web.span.line, 12);
        let shop = m.namespace("shop").unwrap();
        assert_eq!(shop.labels.get("team").map(String::as_str), Some("web"));
        assert_eq!(
            shop.labels.get(NAMESPACE_NAME_LABEL).map(String::as_str),
            Some("shop")
        );
        let other = m.namespace("other").unwrap();
        assert_eq!(other.labels.len(), 1);
        assert!(other.span.is_none());
    }

    #[test]
    fn type_errors_are_positioned() {
        let (_, d) =
            run("kind: Pod\napiVersion: v1\nmetadata:\n  name: p\n  labels:\n    app: [1]\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("in.yaml:6:10: error: Pod metadata.labels.app: invalid type"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn garbage_never_panics() {
        for text in [
            "",
            "---",
            "- 1\n- 2",
            "kind: 3",
            "kind: List\nitems: 5",
            "{",
            "\t\tx: :",
            "kind: Pod\n",
            "namespaces: 3",
        ] {
            let _ = run(text);
        }
    }
}
