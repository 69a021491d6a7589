//! The toy cluster format (see `docs/toy-format.md`): namespaces, pods and externals in a few
//! lines of YAML.
//!
//! [`read`] reads one document and hands each namespace, pod and external to the writer as it
//! goes (a 10 MB toy cluster is never held twice); the builder merges them into the model
//! (declared twice, IP assignment).

use std::net::IpAddr;

use serde_yaml::{Mapping, Value};

use crate::builder::Ctx;
use crate::diag::{quote, shown, FieldPath, PathDiag};
use crate::effects::{Effect, Writer};
use crate::meta;
use crate::model::{
    ContainerPort, External, Labels, Namespace, Pod, Protocol, WorkloadKind, NAMESPACE_NAME_LABEL,
};
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
        .ok_or_else(|| {
            format!(
                "port {}: the number must be between 1 and 65535",
                quote(text)
            )
        })?;
    let protocol = Protocol::parse(&proto).ok_or_else(|| {
        format!(
            "port {}: the protocol must be TCP, UDP or SCTP",
            quote(text)
        )
    })?;
    if let Some(n) = &name {
        if let Some(msg) = validate::port_name_errors(n).first() {
            return Err(format!(
                "port {}: the name {} is not a valid port name: {msg}",
                quote(text),
                quote(n)
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
                format!(
                    "{} is not an IP address (e.g. 10.1.0.5 or fd00::5)",
                    quote(t)
                ),
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
                        let key = shown(&k);
                        let message = match scalar_text(other) {
                            Some(v) => {
                                let v = shown(&v);
                                format!("label {key}: the value {v} is not a string; quote it (\"{v}\")")
                            }
                            None => {
                                format!("label {key}: the value must be a string, not a collection")
                            }
                        };
                        diags.push(PathDiag::error(path.key(&k), "invalid-type", message));
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
                        format!(
                            "unknown pod field {}: a toy pod has labels, ports and ip",
                            quote(key)
                        ),
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
                        format!(
                            "{}: expected key=value (a label), ports=LIST or ip=ADDR",
                            quote(word)
                        ),
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

/// Reads a toy cluster document (a mapping with `namespaces`, `externals`, `ports`): its
/// problems (entries with errors are left out), then what it declares, in order.
pub(crate) fn read(w: &mut Writer<'_>, ctx: &Ctx<'_>, value: &Value) {
    w.add(Effect::ToyStart);
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
                let errors = validate::dns1123_label_errors(&name);
                if meta::check_toy_name("namespace name", &name, errors, &npath, &mut diags) {
                    let ns = Toy { w, ctx, diags };
                    diags = namespace(ns, &name, v, npath, default_ports.as_deref());
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
                let errors = validate::dns1123_subdomain_errors(&name);
                if !meta::check_toy_name("external name", &name, errors, &epath, &mut diags) {
                    continue;
                }
                let ip = scalar_text(v).and_then(|t| t.trim().parse::<IpAddr>().ok());
                let Some(ip) = ip else {
                    diags.push(PathDiag::error(epath, "invalid-value", format!("external {name}: expected an IP address such as 8.8.8.8 or 2001:db8::1")));
                    continue;
                };
                let span = ctx.span(&epath);
                w.add(Effect::ToyExternal(External { name, ip, span }));
            }
        }
        Some(_) => diags.push(PathDiag::error(
            root.key("externals"),
            "invalid-type",
            "externals must be a mapping of name to IP, e.g. {google-dns: 8.8.8.8}",
        )),
    }
    w.push_all(ctx, diags);
    w.add(Effect::ToyEnd);
}

/// Where a toy namespace's entries go, and the problems found so far (handed to the writer
/// after each pod, so that a namespace of many invalid pods is not held whole).
struct Toy<'a, 'w, 'c> {
    w: &'a mut Writer<'w>,
    ctx: &'a Ctx<'c>,
    diags: Vec<PathDiag>,
}

impl Toy<'_, '_, '_> {
    fn flush(&mut self) -> &mut Vec<PathDiag> {
        for d in self.diags.drain(..) {
            self.w.push(self.ctx, d);
        }
        &mut self.diags
    }
}

/// One namespace entry (its name already checked) and its pods; returns the problems not yet
/// handed to the writer.
fn namespace(
    mut toy: Toy<'_, '_, '_>,
    name: &str,
    v: &Value,
    npath: FieldPath,
    default_ports: Option<&[ContainerPort]>,
) -> Vec<PathDiag> {
    let diags = &mut toy.diags;
    let mut labels = Labels::new();
    let mut pods: Option<&Value> = None;
    match v {
        Value::Null => {}
        Value::Mapping(m) => {
            for (fk, fv) in m {
                let f = fk.as_str().unwrap_or("");
                match f {
                    "labels" => labels = labels_of(fv, &npath.key("labels"), diags),
                    "pods" => pods = Some(fv),
                    _ => diags.push(PathDiag::error(
                        npath.key(f),
                        "unknown-field",
                        format!(
                            "unknown namespace field {}: a toy namespace has labels and pods",
                            quote(f)
                        ),
                    )),
                }
            }
        }
        _ => {
            diags.push(PathDiag::error(
                npath,
                "invalid-type",
                format!(
                    "namespace {name}: expected a mapping like {{labels: {{..}}, pods: {{..}}}}"
                ),
            ));
            return toy.diags;
        }
    }
    let lpath = npath.key("labels");
    if !meta::check_labels(&labels, &lpath, &lpath, diags) {
        return toy.diags;
    }
    labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.to_string());
    toy.w.add(Effect::ToyNamespace(Namespace {
        name: name.to_string(),
        labels,
        span: Some(toy.ctx.span(&npath)),
    }));
    let Some(pods) = pods else {
        return toy.diags;
    };
    let Value::Mapping(pods) = pods else {
        if !pods.is_null() {
            toy.diags.push(PathDiag::error(
                npath.key("pods"),
                "invalid-type",
                "pods must be a mapping of pod name to labels, e.g. {web: app=web}",
            ));
        }
        return toy.diags;
    };
    let pods_path = npath.key("pods");
    for (ordinal, (pk, pv)) in pods.iter().enumerate() {
        let diags = toy.flush();
        let pname = scalar_text(pk).unwrap_or_default();
        let ppath = pods_path.key(&pname);
        let errors = validate::dns1123_subdomain_errors(&pname);
        if !meta::check_toy_name("pod name", &pname, errors, &ppath, diags) {
            continue;
        }
        let spec = pod_spec(pv, &ppath, diags);
        if !diags.is_empty() || !meta::check_labels(&spec.labels, &ppath, &ppath, diags) {
            continue;
        }
        let pod = Pod {
            namespace: name.to_string(),
            name: pname,
            labels: spec.labels,
            ips: spec.ips,
            ports: spec
                .ports
                .or_else(|| default_ports.map(<[_]>::to_vec))
                .unwrap_or_default(),
            span: toy.ctx.span(&ppath),
            kind: WorkloadKind::Pod,
        };
        toy.w.add(Effect::ToyPod {
            auto_ip: pod.ips.is_empty(),
            pod,
            ordinal,
        });
    }
    toy.diags
}
