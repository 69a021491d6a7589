//! The toy cluster format (see `docs/toy-format.md`): namespaces, pods and externals in a few
//! lines of YAML.

use std::net::IpAddr;

use serde_yaml::{Mapping, Value};

use crate::diag::{FieldPath, PathDiag};
use crate::model::{
    ContainerPort, External, Labels, Namespace, Pod, Protocol, WorkloadKind, NAMESPACE_NAME_LABEL,
};
use crate::parse::{Builder, Ctx};
use crate::validate;

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parses one port: `80`, `80/UDP`, `http:8080`, `dns:53/UDP`.
fn port(text: &str) -> Result<ContainerPort, String> {
    let (name, rest) = match text.split_once(':') {
        Some((n, r)) => (Some(n.trim().to_string()), r),
        None => (None, text),
    };
    let (num, proto) = match rest.split_once('/') {
        Some((n, p)) => (n, p.trim().to_ascii_uppercase()),
        None => (rest, "TCP".to_string()),
    };
    let port = num
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|p| *p >= 1)
        .ok_or_else(|| format!("port {text:?}: the number must be between 1 and 65535"))?;
    let protocol = Protocol::parse(&proto)
        .ok_or_else(|| format!("port {text:?}: the protocol must be TCP, UDP or SCTP"))?;
    if let Some(n) = &name {
        if let Some(msg) = validate::port_name_errors(n).first() {
            return Err(format!(
                "port {text:?}: the name {n:?} is not a valid port name: {msg}"
            ));
        }
    }
    Ok(ContainerPort {
        name,
        port,
        protocol,
    })
}

fn ports(v: &Value, path: &FieldPath, diags: &mut Vec<PathDiag>) -> Vec<ContainerPort> {
    let items: Vec<(String, FieldPath)> = match v {
        Value::Sequence(seq) => seq
            .iter()
            .enumerate()
            .filter_map(|(i, x)| scalar_text(x).map(|t| (t, path.index(i))))
            .collect(),
        Value::Null => Vec::new(),
        other => match scalar_text(other) {
            Some(t) => t
                .split(',')
                .map(|s| (s.trim().to_string(), path.clone()))
                .collect(),
            None => {
                diags.push(PathDiag::error(
                    path.clone(),
                    "invalid-type",
                    "ports must be a list like [80, http:8080, dns:53/UDP]",
                ));
                Vec::new()
            }
        },
    };
    let mut out = Vec::new();
    for (t, p) in items {
        if t.is_empty() {
            continue;
        }
        match port(&t) {
            Ok(cp) => out.push(cp),
            Err(msg) => diags.push(PathDiag::error(p, "invalid-value", msg)),
        }
    }
    out
}

fn ips(texts: &[String], path: &FieldPath, diags: &mut Vec<PathDiag>) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for t in texts {
        match t.trim().parse::<IpAddr>() {
            Ok(ip) => out.push(ip),
            Err(_) => diags.push(PathDiag::error(
                path.clone(),
                "invalid-value",
                format!("{t:?} is not an IP address (e.g. 10.1.0.5 or fd00::5)"),
            )),
        }
    }
    out
}

fn labels_of(v: &Value, path: &FieldPath, diags: &mut Vec<PathDiag>) -> Labels {
    let mut labels = Labels::new();
    match v {
        Value::Mapping(m) => {
            for (k, val) in m {
                match (scalar_text(k), val) {
                    (Some(k), Value::Null) => {
                        labels.insert(k, String::new());
                    }
                    (Some(k), Value::String(s)) => {
                        labels.insert(k, s.clone());
                    }
                    (Some(k), other) => {
                        // kubectl rejects non-string label values; so do we, with a fix.
                        let shown = scalar_text(other).unwrap_or_else(|| "a collection".into());
                        diags.push(PathDiag::error(path.key(&k), "invalid-type", format!("label {k}: the value {shown} is not a string; quote it (\"{shown}\")")));
                    }
                    (None, _) => diags.push(PathDiag::error(
                        path.clone(),
                        "invalid-type",
                        "label keys must be strings",
                    )),
                }
            }
        }
        Value::Null => {}
        _ => diags.push(PathDiag::error(
            path.clone(),
            "invalid-type",
            "labels must be a mapping like {app: web}",
        )),
    }
    labels
}

struct PodSpec {
    labels: Labels,
    ports: Option<Vec<ContainerPort>>,
    ips: Vec<IpAddr>,
}

fn pod_spec(v: &Value, path: &FieldPath, diags: &mut Vec<PathDiag>) -> PodSpec {
    let mut spec = PodSpec {
        labels: Labels::new(),
        ports: None,
        ips: Vec::new(),
    };
    match v {
        Value::Null => {}
        Value::Mapping(m) => {
            for (k, val) in m {
                let key = k.as_str().unwrap_or("");
                let p = path.key(key);
                match key {
                    "labels" => spec.labels = labels_of(val, &p, diags),
                    "ports" => spec.ports = Some(ports(val, &p, diags)),
                    "ip" | "ips" => {
                        let texts: Vec<String> = match val {
                            Value::Sequence(s) => s.iter().filter_map(scalar_text).collect(),
                            other => scalar_text(other).into_iter().collect(),
                        };
                        spec.ips = ips(&texts, &p, diags);
                    }
                    _ => diags.push(PathDiag::error(
                        p,
                        "unknown-field",
                        format!("unknown pod field {key:?}: a toy pod has labels, ports and ip"),
                    )),
                }
            }
        }
        other => {
            let text = scalar_text(other).unwrap_or_default();
            for word in text.split_whitespace() {
                let Some((k, val)) = word.split_once('=') else {
                    diags.push(PathDiag::error(
                        path.clone(),
                        "invalid-value",
                        format!("{word:?}: expected key=value (a label), ports=LIST or ip=ADDR"),
                    ));
                    continue;
                };
                match k {
                    "ports" => {
                        // Repeated `ports=` words add up (commas split flow mappings in YAML).
                        let more = ports(&Value::String(val.to_string()), path, diags);
                        spec.ports.get_or_insert_with(Vec::new).extend(more);
                    }
                    "ip" => {
                        let texts: Vec<String> = val.split(',').map(str::to_string).collect();
                        spec.ips = ips(&texts, path, diags);
                    }
                    _ => {
                        spec.labels.insert(k.to_string(), val.to_string());
                    }
                }
            }
        }
    }
    spec
}

/// Reads a toy cluster document into the builder.
pub(crate) fn parse(b: &mut Builder, ctx: &Ctx<'_>, value: &Value) {
    let root = FieldPath::root();
    let mut diags = Vec::new();
    let empty = Mapping::new();
    let map = value.as_mapping().unwrap_or(&empty);
    let default_ports = map
        .get("ports")
        .map(|v| ports(v, &root.key("ports"), &mut diags));
    match map.get("namespaces") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(nss)) => {
            for (k, v) in nss {
                let name = scalar_text(k).unwrap_or_default();
                let npath = root.key("namespaces").key(&name);
                if let Some(msg) = validate::dns1123_label_errors(&name).first() {
                    diags.push(PathDiag::error(
                        npath,
                        "invalid-value",
                        format!("namespace name {name:?}: {msg}"),
                    ));
                    continue;
                }
                let mut labels = Labels::new();
                let mut pods: Option<&Value> = None;
                match v {
                    Value::Null => {}
                    Value::Mapping(m) => {
                        for (fk, fv) in m {
                            let f = fk.as_str().unwrap_or("");
                            match f {
                                "labels" => labels = labels_of(fv, &npath.key("labels"), &mut diags),
                                "pods" => pods = Some(fv),
                                _ => diags.push(PathDiag::error(npath.key(f), "unknown-field", format!("unknown namespace field {f:?}: a toy namespace has labels and pods"))),
                            }
                        }
                    }
                    _ => {
                        diags.push(PathDiag::error(npath, "invalid-type", format!("namespace {name}: expected a mapping like {{labels: {{..}}, pods: {{..}}}}")));
                        continue;
                    }
                }
                let lpath = npath.key("labels");
                let labels_ok = b.check_labels(ctx, &labels, &lpath);
                labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
                let span = ctx.span(&npath);
                if !labels_ok
                    || !b.add_namespace(
                        ctx,
                        Namespace {
                            name: name.clone(),
                            labels,
                            span: Some(span),
                        },
                        &npath,
                    )
                {
                    continue;
                }
                let ns_ordinal = b.toy_namespaces.len();
                b.toy_namespaces.push(name.clone());
                let Some(pods) = pods else { continue };
                let Value::Mapping(pods) = pods else {
                    if !pods.is_null() {
                        diags.push(PathDiag::error(
                            npath.key("pods"),
                            "invalid-type",
                            "pods must be a mapping of pod name to labels, e.g. {web: app=web}",
                        ));
                    }
                    continue;
                };
                for (k, (pk, pv)) in pods.iter().enumerate() {
                    let pname = scalar_text(pk).unwrap_or_default();
                    let ppath = npath.key("pods").key(&pname);
                    if let Some(msg) = validate::dns1123_subdomain_errors(&pname).first() {
                        diags.push(PathDiag::error(
                            ppath,
                            "invalid-value",
                            format!("pod name {pname:?}: {msg}"),
                        ));
                        continue;
                    }
                    let before = diags.len();
                    let spec = pod_spec(pv, &ppath, &mut diags);
                    if diags.len() > before || !b.check_labels(ctx, &spec.labels, &ppath) {
                        continue;
                    }
                    let auto = spec.ips.is_empty();
                    let pod = Pod {
                        namespace: name.clone(),
                        name: pname,
                        labels: spec.labels,
                        ips: spec.ips,
                        ports: spec
                            .ports
                            .or_else(|| default_ports.clone())
                            .unwrap_or_default(),
                        span: ctx.span(&ppath),
                        kind: WorkloadKind::Pod,
                    };
                    if b.add_pod(ctx, pod, &ppath) && auto {
                        b.auto_ip.push((b.model.pods.len() - 1, ns_ordinal, k));
                    }
                }
            }
        }
        Some(_) => diags.push(PathDiag::error(
            root.key("namespaces"),
            "invalid-type",
            "namespaces must be a mapping of namespace name to {labels, pods}",
        )),
    }
    match map.get("externals") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(exts)) => {
            for (k, v) in exts {
                let name = scalar_text(k).unwrap_or_default();
                let epath = root.key("externals").key(&name);
                if name.is_empty() || name.contains('/') || name.contains(char::is_whitespace) {
                    diags.push(PathDiag::error(
                        epath,
                        "invalid-value",
                        format!("external name {name:?} must be non-empty, without '/' or spaces"),
                    ));
                    continue;
                }
                let ip = scalar_text(v).and_then(|t| t.trim().parse::<IpAddr>().ok());
                let Some(ip) = ip else {
                    diags.push(PathDiag::error(epath, "invalid-value", format!("external {name}: expected an IP address such as 8.8.8.8 or 2001:db8::1")));
                    continue;
                };
                if b.model.externals.iter().any(|e| e.name == name) {
                    diags.push(PathDiag::error(
                        epath,
                        "duplicate",
                        format!("external {name} is declared twice; this one is ignored"),
                    ));
                    continue;
                }
                let span = ctx.span(&epath);
                b.model.externals.push(External { name, ip, span });
            }
        }
        Some(_) => diags.push(PathDiag::error(
            root.key("externals"),
            "invalid-type",
            "externals must be a mapping of name to IP, e.g. {google-dns: 8.8.8.8}",
        )),
    }
    for d in diags {
        b.diags.push(ctx.diag(d));
    }
}

#[cfg(test)]
mod tests {
    use crate::{parse, Input};

    #[test]
    fn toy_cluster_with_shorthand_long_form_and_externals() {
        let text = "\
ports: [serve-80-tcp:80]
namespaces:
  app:
    labels: {team: web}
    pods:
      frontend: app=frontend
      api: app=api tier=backend ports=http:8080,53/UDP
      db: {labels: {app: db}, ports: [5432], ip: 10.9.9.9}
  kube-system:
    pods: {coredns: k8s-app=kube-dns}
  empty: {}
externals:
  google-dns: 8.8.8.8
";
        let (m, d) = parse(&[Input {
            name: "c.yaml",
            text,
        }]);
        assert!(d.is_empty(), "{d:?}");
        let show: Vec<String> = m
            .pods
            .iter()
            .map(|p| {
                let ports: Vec<String> = p
                    .ports
                    .iter()
                    .map(|c| {
                        format!(
                            "{}{}/{}",
                            c.name
                                .as_deref()
                                .map(|n| format!("{n}:"))
                                .unwrap_or_default(),
                            c.port,
                            c.protocol
                        )
                    })
                    .collect();
                format!("{} {:?} {:?} {}", p.id(), p.labels, p.ips, ports.join(","))
            })
            .collect();
        expect_test::expect![[r#"
            [
                "app/frontend {\"app\": \"frontend\"} [10.1.0.2] serve-80-tcp:80/TCP",
                "app/api {\"app\": \"api\", \"tier\": \"backend\"} [10.1.0.3] http:8080/TCP,53/UDP",
                "app/db {\"app\": \"db\"} [10.9.9.9] 5432/TCP",
                "kube-system/coredns {\"k8s-app\": \"kube-dns\"} [10.2.0.2] serve-80-tcp:80/TCP",
            ]
        "#]]
        .assert_debug_eq(&show);
        assert_eq!(m.namespaces.len(), 3);
        assert_eq!(m.namespace("app").unwrap().labels.len(), 2);
        assert_eq!(m.externals[0].name, "google-dns");
        assert_eq!(m.pods[1].span.line, 7);
    }

    #[test]
    fn toy_errors_are_positioned() {
        let text = "namespaces:\n  app:\n    pods:\n      a: app\n      b: {ports: [99999]}\n  Bad_NS: {}\nexternals:\n  x: not-an-ip\n";
        let (m, d) = parse(&[Input {
            name: "c.yaml",
            text,
        }]);
        let d: Vec<String> = d.iter().map(|d| d.to_string()).collect();
        expect_test::expect![[r#"
            [
                "c.yaml:4:10: error: \"app\": expected key=value (a label), ports=LIST or ip=ADDR",
                "c.yaml:5:18: error: port \"99999\": the number must be between 1 and 65535",
                "c.yaml:6:11: error: namespace name \"Bad_NS\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
                "c.yaml:8:6: error: external x: expected an IP address such as 8.8.8.8 or 2001:db8::1",
            ]
        "#]]
        .assert_debug_eq(&d);
        assert!(m.pods.is_empty());
    }
}
