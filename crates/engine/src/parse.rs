//! From input texts to the validated model: documents, Kubernetes objects, the toy format.
//!
//! Parsing never fails: it returns a model of everything valid plus positioned diagnostics.

use std::collections::{BTreeMap, HashSet};
use std::net::IpAddr;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::api::networking::v1 as net;
use serde::de::DeserializeOwned;
use serde_yaml::Value;

use crate::diag::{Diagnostic, FieldPath, PathDiag, Seg, Severity};
use crate::model::{
    ContainerPort, Labels, Model, Namespace, Pod, Protocol, Span, NAMESPACE_NAME_LABEL,
};
use crate::yaml::{split_documents, Document, Locator};
use crate::{tiered, toy, validate, Input};

/// Parses and validates every input into one model. Objects with errors are left out; every
/// problem is a diagnostic with file, line and column.
pub fn parse(inputs: &[Input<'_>]) -> (Model, Vec<Diagnostic>) {
    let mut b = Builder::default();
    for (file, input) in inputs.iter().enumerate() {
        b.model.files.push(input.name.to_string());
        for doc in split_documents(input.text) {
            let ctx = Ctx {
                file,
                name: input.name,
                doc: &doc,
                locator: Locator::new(doc.text),
            };
            match serde_yaml::from_str::<Value>(doc.text) {
                Ok(value) => b.object(&ctx, &value, &FieldPath::root()),
                Err(e) => b.diags.push(yaml_error(&ctx, &e)),
            }
        }
    }
    b.finish()
}

/// Where a document sits, to turn field paths into positions.
pub(crate) struct Ctx<'a> {
    pub file: usize,
    pub name: &'a str,
    pub doc: &'a Document<'a>,
    pub locator: Locator<'a>,
}

impl Ctx<'_> {
    pub fn span(&self, path: &FieldPath) -> Span {
        let (line, col) = self.locator.locate(&path.0);
        Span {
            file: self.file,
            line: line + self.doc.first_line as u32,
            col,
        }
    }

    pub fn diag(&self, d: PathDiag) -> Diagnostic {
        let span = self.span(&d.path);
        Diagnostic {
            file: self.name.to_string(),
            line: span.line,
            col: span.col,
            severity: d.severity,
            code: d.code,
            message: d.message,
        }
    }
}

fn yaml_error(ctx: &Ctx<'_>, e: &serde_yaml::Error) -> Diagnostic {
    let (line, col) = e
        .location()
        .map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    Diagnostic {
        file: ctx.name.to_string(),
        line: line + ctx.doc.first_line as u32,
        col,
        severity: Severity::Error,
        code: "yaml-syntax",
        message: format!("YAML syntax error: {message}"),
    }
}

#[derive(Default)]
pub(crate) struct Builder {
    pub model: Model,
    pub diags: Vec<Diagnostic>,
    /// Pods whose IP is to be assigned, with the ordinal of their namespace and of the pod.
    pub auto_ip: Vec<(usize, usize, usize)>,
    /// Namespace names in order of declaration in toy clusters, for IP assignment.
    pub toy_namespaces: Vec<String>,
}

fn deserialize<T: DeserializeOwned>(value: &Value) -> Result<T, (FieldPath, String)> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let mut path = FieldPath::root();
        for seg in e.path().iter() {
            match seg {
                serde_path_to_error::Segment::Seq { index } => path.0.push(Seg::Index(*index)),
                serde_path_to_error::Segment::Map { key } => path.0.push(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Enum { variant } => {
                    path.0.push(Seg::Key(variant.clone()))
                }
                serde_path_to_error::Segment::Unknown => {}
            }
        }
        (path, e.inner().to_string())
    })
}

const TOY_KEYS: [&str; 3] = ["namespaces", "externals", "ports"];

impl Builder {
    fn push(&mut self, ctx: &Ctx<'_>, d: PathDiag) {
        self.diags.push(ctx.diag(d));
    }

    /// Reads one object (a document, or an item of a List) at `path`.
    fn object(&mut self, ctx: &Ctx<'_>, value: &Value, path: &FieldPath) {
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
                toy::parse(self, ctx, value);
            } else {
                self.push(
                    ctx,
                    PathDiag::error(
                        path.clone(),
                        "missing-kind",
                        "this object has no `kind`: expected a Kubernetes object (NetworkPolicy, Pod, Namespace, List) or a toy cluster with `namespaces:` / `externals:`",
                    ),
                );
            }
            return;
        };
        let rel =
            |p: &FieldPath| FieldPath(path.0.iter().cloned().chain(p.0.iter().cloned()).collect());
        let typed_error = |b: &mut Self, (p, msg): (FieldPath, String)| {
            let shown = if p.0.is_empty() {
                String::new()
            } else {
                format!("{p}: ")
            };
            b.push(
                ctx,
                PathDiag::error(rel(&p), "invalid-type", format!("{kind} {shown}{msg}")),
            );
        };
        match kind {
            "NetworkPolicy" => match deserialize::<net::NetworkPolicy>(value) {
                Ok(obj) => {
                    let loc = |p: &FieldPath| ctx.span(p);
                    let (policy, diags) = validate::network_policy(value, &obj, path, &loc);
                    for d in diags {
                        self.push(ctx, d);
                    }
                    if let Some(policy) = policy {
                        if let Some(prev) =
                            self.model.policies.iter().find(|p| p.id() == policy.id())
                        {
                            let at = prev.span;
                            self.push(
                                ctx,
                                PathDiag::error(
                                    rel(&FieldPath::root().key("metadata").key("name")),
                                    "duplicate",
                                    format!(
                                        "NetworkPolicy {} is defined twice (first at {}:{}); this one is ignored",
                                        policy.id(),
                                        self.model.files[at.file],
                                        at.line
                                    ),
                                ),
                            );
                        } else {
                            self.model.policies.push(policy);
                        }
                    }
                }
                Err(e) => typed_error(self, e),
            },
            "Pod" => match deserialize::<core::Pod>(value) {
                Ok(obj) => self.pod(ctx, &obj, path),
                Err(e) => typed_error(self, e),
            },
            "Namespace" => match deserialize::<core::Namespace>(value) {
                Ok(obj) => self.namespace(ctx, &obj, path),
                Err(e) => typed_error(self, e),
            },
            "AdminNetworkPolicy" | "BaselineAdminNetworkPolicy" | "ClusterNetworkPolicy" => {
                let loc = |p: &FieldPath| ctx.span(p);
                let diags = tiered::input::add_cluster_policy(&mut self.model, value, path, &loc);
                self.diags.extend(diags.into_iter().map(|d| ctx.diag(d)));
            }
            "Node" => {
                let loc = |p: &FieldPath| ctx.span(p);
                let diags = tiered::input::add_node(&mut self.model, value, path, &loc);
                self.diags.extend(diags.into_iter().map(|d| ctx.diag(d)));
            }
            "List"
            | "NetworkPolicyList"
            | "PodList"
            | "NamespaceList"
            | "AdminNetworkPolicyList"
            | "BaselineAdminNetworkPolicyList"
            | "ClusterNetworkPolicyList"
            | "NodeList" => match map.get("items") {
                Some(Value::Sequence(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        self.object(ctx, item, &path.key("items").index(i));
                    }
                }
                None | Some(Value::Null) => {}
                Some(_) => self.push(
                    ctx,
                    PathDiag::error(
                        path.key("items"),
                        "invalid-type",
                        format!("{kind} items must be a list"),
                    ),
                ),
            },
            other => {
                let name = map
                    .get("metadata")
                    .and_then(|m| m.get("name"))
                    .and_then(Value::as_str)
                    .map(|n| format!(" {n}"))
                    .unwrap_or_default();
                self.push(
                    ctx,
                    PathDiag::warning(
                        path.key("kind"),
                        "skipped-kind",
                        format!(
                            "skipped {other}{name}: only NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, Pod, Namespace, Node and List objects affect the verdicts"
                        ),
                    ),
                );
            }
        }
    }

    /// Checks a label map, reporting invalid keys and values at `path`.
    pub fn check_labels(&mut self, ctx: &Ctx<'_>, labels: &Labels, path: &FieldPath) -> bool {
        let mut ok = true;
        for (k, v) in labels {
            for msg in validate::label_key_errors(k) {
                ok = false;
                self.push(
                    ctx,
                    PathDiag::error(
                        path.key(k),
                        "invalid-value",
                        format!("{path}: Invalid value: {k:?}: {msg}"),
                    ),
                );
            }
            for msg in validate::label_value_errors(v) {
                ok = false;
                self.push(
                    ctx,
                    PathDiag::error(
                        path.key(k),
                        "invalid-value",
                        format!("{}: Invalid value: {v:?}: {msg}", path.key(k)),
                    ),
                );
            }
        }
        ok
    }

    fn namespace(&mut self, ctx: &Ctx<'_>, obj: &core::Namespace, path: &FieldPath) {
        let meta = path.key("metadata");
        let Some(name) = obj.metadata.name.clone().filter(|n| !n.is_empty()) else {
            self.push(
                ctx,
                PathDiag::error(
                    meta.key("name"),
                    "required",
                    "metadata.name: Required value: name or generateName is required",
                ),
            );
            return;
        };
        if let Some(msg) = validate::dns1123_label_errors(&name).first() {
            self.push(
                ctx,
                PathDiag::error(
                    meta.key("name"),
                    "invalid-value",
                    format!("metadata.name: Invalid value: {name:?}: {msg}"),
                ),
            );
            return;
        }
        let mut labels: Labels = obj.metadata.labels.clone().unwrap_or_default();
        if !self.check_labels(ctx, &labels, &meta.key("labels")) {
            return;
        }
        labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
        let span = ctx.span(&meta.key("name"));
        self.add_namespace(
            ctx,
            Namespace {
                name,
                labels,
                span: Some(span),
            },
            &meta.key("name"),
        );
    }

    /// Adds a declared namespace; a second declaration of the same name is an error.
    pub fn add_namespace(&mut self, ctx: &Ctx<'_>, ns: Namespace, path: &FieldPath) -> bool {
        if let Some(prev) = self.model.namespaces.iter().find(|n| n.name == ns.name) {
            let at = prev.span.unwrap_or_default();
            let msg = format!(
                "namespace {} is declared twice (first at {}:{}); this declaration is ignored",
                ns.name, self.model.files[at.file], at.line
            );
            self.push(ctx, PathDiag::error(path.clone(), "duplicate", msg));
            return false;
        }
        self.model.namespaces.push(ns);
        true
    }

    /// Adds a pod; a second pod with the same namespace and name is an error.
    pub fn add_pod(&mut self, ctx: &Ctx<'_>, pod: Pod, path: &FieldPath) -> bool {
        if let Some(prev) = self
            .model
            .pods
            .iter()
            .find(|p| p.namespace == pod.namespace && p.name == pod.name)
        {
            let at = prev.span;
            let msg = format!(
                "pod {} is defined twice (first at {}:{}); this one is ignored",
                pod.id(),
                self.model.files[at.file],
                at.line
            );
            self.push(ctx, PathDiag::error(path.clone(), "duplicate", msg));
            return false;
        }
        self.model.pods.push(pod);
        true
    }

    fn pod(&mut self, ctx: &Ctx<'_>, obj: &core::Pod, path: &FieldPath) {
        let meta = path.key("metadata");
        let Some(name) = obj.metadata.name.clone().filter(|n| !n.is_empty()) else {
            self.push(
                ctx,
                PathDiag::error(
                    meta.key("name"),
                    "required",
                    "metadata.name: Required value: name or generateName is required",
                ),
            );
            return;
        };
        let namespace = obj
            .metadata
            .namespace
            .clone()
            .unwrap_or_else(|| "default".to_string());
        let labels: Labels = obj.metadata.labels.clone().unwrap_or_default();
        if !self.check_labels(ctx, &labels, &meta.key("labels")) {
            return;
        }
        let mut ips = Vec::new();
        let status = path.key("status");
        let mut texts: Vec<(String, FieldPath)> = Vec::new();
        if let Some(st) = &obj.status {
            for (i, p) in st.pod_ips.iter().flatten().enumerate() {
                texts.push((p.ip.clone(), status.key("podIPs").index(i).key("ip")));
            }
            if texts.is_empty() {
                if let Some(ip) = &st.pod_ip {
                    texts.push((ip.clone(), status.key("podIP")));
                }
            }
        }
        for (text, p) in texts {
            match text.parse::<IpAddr>() {
                Ok(ip) if !ips.contains(&ip) => ips.push(ip),
                Ok(_) => {}
                Err(_) => self.push(
                    ctx,
                    PathDiag::warning(
                        p,
                        "invalid-value",
                        format!("pod IP {text:?} is not an IP address; it is ignored"),
                    ),
                ),
            }
        }
        let mut ports = Vec::new();
        if let Some(spec) = &obj.spec {
            let cpath = path.key("spec").key("containers");
            for (ci, c) in spec.containers.iter().enumerate() {
                for (pi, p) in c.ports.iter().flatten().enumerate() {
                    let here = cpath.index(ci).key("ports").index(pi);
                    let proto = p.protocol.as_deref().unwrap_or("TCP");
                    let Some(protocol) = Protocol::parse(proto) else {
                        self.push(ctx, PathDiag::warning(here.key("protocol"), "unsupported-value", format!("container port protocol {proto:?} is not TCP, UDP or SCTP; the port is ignored")));
                        continue;
                    };
                    let Some(port) = u16::try_from(p.container_port).ok().filter(|p| *p >= 1)
                    else {
                        self.push(ctx, PathDiag::warning(here.key("containerPort"), "invalid-value", format!("containerPort {} must be between 1 and 65535; the port is ignored", p.container_port)));
                        continue;
                    };
                    ports.push(ContainerPort {
                        name: p.name.clone(),
                        port,
                        protocol,
                    });
                }
            }
        }
        let span = ctx.span(&meta.key("name"));
        self.add_pod(
            ctx,
            Pod {
                namespace,
                name,
                labels,
                ips,
                ports,
                span,
            },
            &meta.key("name"),
        );
    }

    fn finish(mut self) -> (Model, Vec<Diagnostic>) {
        // Namespaces referenced but not declared exist with only their name label.
        let mut referenced: Vec<String> = self
            .model
            .pods
            .iter()
            .map(|p| p.namespace.clone())
            .collect();
        referenced.extend(self.model.policies.iter().map(|p| p.namespace.clone()));
        for name in referenced {
            if self.model.namespace(&name).is_none() {
                let labels = BTreeMap::from([(NAMESPACE_NAME_LABEL.to_string(), name.clone())]);
                self.model.namespaces.push(Namespace {
                    name,
                    labels,
                    span: None,
                });
            }
        }
        // Auto-assigned pod IPs skip every address declared explicitly.
        let mut used: HashSet<IpAddr> = self
            .model
            .pods
            .iter()
            .flat_map(|p| p.ips.iter().copied())
            .collect();
        used.extend(self.model.externals.iter().map(|e| e.ip));
        used.extend(self.model.nodes.iter().flat_map(|n| n.ips.iter().copied()));
        for (pod, ns, k) in std::mem::take(&mut self.auto_ip) {
            let mut k = k;
            let ip = loop {
                let third = (k / 250) as u8;
                let fourth = (k % 250 + 2) as u8;
                let ns = (ns.min(254) + 1) as u8;
                let ip = IpAddr::from([10, ns, third, fourth]);
                k += 1;
                if !used.contains(&ip) {
                    break ip;
                }
                if k > 250 * 256 {
                    break ip;
                }
            };
            used.insert(ip);
            self.model.pods[pod].ips.push(ip);
        }
        self.diags.extend(tiered::input::finish(&mut self.model));
        (self.model, self.diags)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> (Model, Vec<String>) {
        let (m, d) = parse(&[Input {
            name: "in.yaml",
            text,
        }]);
        (m, d.iter().map(|d| d.to_string()).collect())
    }

    #[test]
    fn yaml_syntax_error_is_positioned_in_the_right_document() {
        let (_, d) = run("kind: Namespace\nmetadata: {name: a}\n---\nkind: Pod\nmetadata: [\n");
        assert_eq!(d.len(), 1, "{d:?}");
        assert!(
            d[0].starts_with("in.yaml:6:1: error: YAML syntax error"),
            "{}",
            d[0]
        );
    }

    #[test]
    fn other_kinds_are_skipped_with_a_warning() {
        let (_, d) = run("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n");
        assert_eq!(d, vec!["in.yaml:2:7: warning: skipped Deployment web: only NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy, Pod, Namespace, Node and List objects affect the verdicts"]);
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
