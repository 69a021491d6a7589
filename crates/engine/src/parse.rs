//! From input texts to the validated model: documents, Kubernetes objects, the toy format.
//!
//! Parsing never fails: it returns a model of everything valid plus positioned diagnostics.
//! Each document is first checked against the bounds in [`crate::limits`]; the readers of
//! objects ([`crate::objects`], [`crate::validate`]) and of toy clusters ([`crate::toy`])
//! return plain values, which this module positions and hands to a [`Writer`] as effects; the
//! builder merges them (declared twice, undeclared namespaces, IP assignment). A document's
//! effects depend on its text alone, which is what [`crate::parse_cached`] relies on.

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use serde_yaml::{Mapping, Value};

use crate::builder::{deserialize, Builder, Ctx};
use crate::diag::{cut_quoted, Diagnostic, FieldPath, PathDiag, Severity};
use crate::effects::{Base, Effect, Writer};
use crate::json_locate::{self, DocLocator};
use crate::manifest::{self, ParseOptions};
use crate::model::{Model, WorkloadKind};
use crate::source::{self, Input};
use crate::yaml::{split_documents, Document};
use crate::{limits, objects, tiered, toy, validate, wire, workload};

/// Parses and validates every input into one model. Objects with errors are left out; every
/// problem is a diagnostic with file, line and column.
pub fn parse(inputs: &[Input<'_>]) -> (Model, Vec<Diagnostic>) {
    parse_with(inputs, &ParseOptions::default())
}

/// [`parse`] with options (e.g. grouping the replicas of a workload into one endpoint).
pub fn parse_with(inputs: &[Input<'_>], options: &ParseOptions) -> (Model, Vec<Diagnostic>) {
    read(inputs, options, |b, base, text| {
        document(&mut Writer::apply(b, base), text)
    })
}

/// Reads every input into one model, handing each document's text and place to `read_doc`,
/// which reads it into the builder (see [`crate::effects`]); what needs a whole file or every
/// input is done here.
pub(crate) fn read(
    inputs: &[Input<'_>],
    options: &ParseOptions,
    mut read_doc: impl FnMut(&mut Builder, Base<'_>, &str),
) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::default();
    b.group_replicas = options.group_replicas;
    for (file, input) in inputs.iter().enumerate() {
        b.model.files.push(input.name.to_string());
        let text = source::normalize(input.text);
        for doc in split_documents(&text) {
            let base = Base {
                file,
                name: input.name,
                first_line: doc.first_line,
            };
            read_doc(&mut b, base, doc.text);
        }
        manifest::end_of_file(&mut b, input.name);
    }
    manifest::finish(&mut b, options);
    b.finish()
}

/// Reads one document, positioned as if it were the whole of file 0.
pub(crate) fn document(w: &mut Writer<'_>, text: &str) {
    let doc = Document {
        first_line: 0,
        text,
    };
    let ctx = Ctx {
        file: 0,
        name: "",
        doc: &doc,
        locator: DocLocator::new(text),
    };
    if let Err(v) = limits::check(text) {
        w.emit(ctx.at_offset(v.offset, Severity::Error, v.code, v.message));
        return;
    }
    // A document that starts with `{` or `[` is read as JSON (`kubectl get -o json`).
    match json_locate::read(text) {
        Some(Ok(value)) => object(w, &ctx, &value, &FieldPath::root()),
        Some(Err(e)) => w.emit(json_locate::error(ctx.name, 0, &e)),
        None => match serde_yaml::from_str::<Value>(text) {
            Ok(value) => object(w, &ctx, &value, &FieldPath::root()),
            Err(e) => w.emit(yaml_error(&ctx, &e)),
        },
    }
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

/// Reads one object (a document, or an item of a List) at `path`.
pub(crate) fn object(w: &mut Writer<'_>, ctx: &Ctx<'_>, value: &Value, path: &FieldPath) {
    let Value::Mapping(map) = value else {
        if !value.is_null() {
            w.push(
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
            toy::read(w, ctx, value);
        } else {
            w.push(
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
    if !has_api_version(w, ctx, map, kind, path)
        || !manifest::api_version_ok(w, ctx, map, kind, path)
    {
        return;
    }
    let loc = |p: &FieldPath| ctx.span(p);
    let name_path = path.key("metadata").key("name");
    let mut diags = Vec::new();
    match kind {
        "NetworkPolicy" => {
            match deserialize::<wire::NetworkPolicy>(value).map(net::NetworkPolicy::from) {
                Ok(obj) => {
                    let (policy, found) = validate::network_policy(value, &obj, path, &loc);
                    w.push_all(ctx, found);
                    if let Some(policy) = policy {
                        let name_at = ctx.span(&name_path);
                        w.add(Effect::Policy { policy, name_at });
                    }
                }
                Err(e) => typed_error(w, ctx, kind, path, e),
            }
        }
        "Pod" => match deserialize::<wire::Pod>(value).map(core::Pod::from) {
            Ok(obj) => {
                let pod = objects::pod(&obj, path, &mut diags);
                w.push_all(ctx, diags);
                if let Some(mut pod) = pod {
                    pod.span = ctx.span(&name_path);
                    let owner = manifest::owner(&obj.metadata);
                    w.add(Effect::Pod { pod, owner });
                }
            }
            Err(e) => typed_error(w, ctx, kind, path, e),
        },
        "Namespace" => match deserialize::<wire::Namespace>(value).map(core::Namespace::from) {
            Ok(obj) => {
                let ns = objects::namespace(&obj, path, &mut diags);
                w.push_all(ctx, diags);
                if let Some(mut ns) = ns {
                    ns.span = Some(ctx.span(&name_path));
                    w.add(Effect::Namespace(ns));
                }
            }
            Err(e) => typed_error(w, ctx, kind, path, e),
        },
        "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
            let (policy, found) = tiered::cluster_policy(value, path, &loc);
            w.push_all(ctx, found);
            if let Some(policy) = policy {
                let name_at = ctx.span(&name_path);
                w.add(Effect::ClusterPolicy { policy, name_at });
            }
        }
        "Node" => {
            let (node, found) = tiered::node(value, path, &loc);
            w.push_all(ctx, found);
            if let Some(node) = node {
                let name_at = ctx.span(&name_path);
                w.add(Effect::Node { node, name_at });
            }
        }
        kind if manifest::is_list(kind) => {
            for (item, at) in manifest::list_items(w, ctx, map, kind, path) {
                object(w, ctx, &item, &at);
            }
        }
        kind => match WorkloadKind::parse(kind) {
            Some(workload) => workload::read(w, ctx, value, workload, path),
            None => manifest::skipped(w, ctx, map, kind, path),
        },
    }
}

/// A Kubernetes object needs `apiVersion` (the API server answers "Object 'apiVersion' is
/// missing"); without it the object is left out.
fn has_api_version(
    w: &mut Writer<'_>,
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
        w.push(
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
    w: &mut Writer<'_>,
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
    w.push(
        ctx,
        PathDiag::error(at, "invalid-type", format!("{kind} {shown}{msg}")),
    );
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
