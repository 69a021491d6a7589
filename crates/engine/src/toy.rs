//! The toy cluster format (see `docs/toy-format.md`): namespaces, pods and externals in a few
//! lines of YAML.
//!
//! [`parse`] reads one document into a plain [`ToyCluster`]; the parser positions it and merges
//! it into the model (declared twice, IP assignment).

use std::net::IpAddr;

use serde_yaml::{Mapping, Value};

use crate::diag::{quote, shown, FieldPath, PathDiag};
use crate::meta;
use crate::model::{ContainerPort, Labels, Protocol, NAMESPACE_NAME_LABEL};
use crate::validate;

/// A toy cluster document: what it declares, in order, with the field path of each entry, and
/// the problems found (entries with errors are left out).
#[derive(Debug, Default)]
pub(crate) struct ToyCluster {
    pub namespaces: Vec<ToyNamespace>,
    pub externals: Vec<ToyExternal>,
    pub diags: Vec<PathDiag>,
}

#[derive(Debug)]
pub(crate) struct ToyNamespace {
    pub name: String,
    /// With `kubernetes.io/metadata.name`.
    pub labels: Labels,
    pub path: FieldPath,
    pub pods: Vec<ToyPod>,
}

#[derive(Debug)]
pub(crate) struct ToyPod {
    pub name: String,
    pub labels: Labels,
    /// Declared IPs; empty when the IP is to be assigned.
    pub ips: Vec<IpAddr>,
    pub ports: Vec<ContainerPort>,
    pub path: FieldPath,
    /// The pod's place among its namespace's pods (0-based, counting invalid ones).
    pub ordinal: usize,
}

#[derive(Debug)]
pub(crate) struct ToyExternal {
    pub name: String,
    pub ip: IpAddr,
    pub path: FieldPath,
}

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

/// Reads a toy cluster document (a mapping with `namespaces`, `externals`, `ports`).
pub(crate) fn parse(value: &Value) -> ToyCluster {
    let root = FieldPath::root();
    let mut toy = ToyCluster::default();
    let diags = &mut toy.diags;
    let empty = Mapping::new();
    let map = value.as_mapping().unwrap_or(&empty);
    let default_ports = map
        .get("ports")
        .map(|v| ports(v, &root.key("ports"), diags));
    match map.get("namespaces") {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(nss)) => {
            for (k, v) in nss {
                let name = scalar_text(k).unwrap_or_default();
                let npath = root.key("namespaces").key(&name);
                let errors = validate::dns1123_label_errors(&name);
                if !meta::check_toy_name("namespace name", &name, errors, &npath, diags) {
                    continue;
                }
                if let Some(ns) = namespace(&name, v, npath, default_ports.as_deref(), diags) {
                    toy.namespaces.push(ns);
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
                if !meta::check_toy_name("external name", &name, errors, &epath, diags) {
                    continue;
                }
                let ip = scalar_text(v).and_then(|t| t.trim().parse::<IpAddr>().ok());
                let Some(ip) = ip else {
                    diags.push(PathDiag::error(epath, "invalid-value", format!("external {name}: expected an IP address such as 8.8.8.8 or 2001:db8::1")));
                    continue;
                };
                toy.externals.push(ToyExternal {
                    name,
                    ip,
                    path: epath,
                });
            }
        }
        Some(_) => diags.push(PathDiag::error(
            root.key("externals"),
            "invalid-type",
            "externals must be a mapping of name to IP, e.g. {google-dns: 8.8.8.8}",
        )),
    }
    toy
}

/// One namespace entry (its name already checked) and its pods.
fn namespace(
    name: &str,
    v: &Value,
    npath: FieldPath,
    default_ports: Option<&[ContainerPort]>,
    diags: &mut Vec<PathDiag>,
) -> Option<ToyNamespace> {
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
            return None;
        }
    }
    let lpath = npath.key("labels");
    if !meta::check_labels(&labels, &lpath, &lpath, diags) {
        return None;
    }
    labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.to_string());
    let mut ns = ToyNamespace {
        name: name.to_string(),
        labels,
        pods: Vec::new(),
        path: npath,
    };
    let Some(pods) = pods else {
        return Some(ns);
    };
    let Value::Mapping(pods) = pods else {
        if !pods.is_null() {
            diags.push(PathDiag::error(
                ns.path.key("pods"),
                "invalid-type",
                "pods must be a mapping of pod name to labels, e.g. {web: app=web}",
            ));
        }
        return Some(ns);
    };
    for (ordinal, (pk, pv)) in pods.iter().enumerate() {
        let pname = scalar_text(pk).unwrap_or_default();
        let ppath = ns.path.key("pods").key(&pname);
        let errors = validate::dns1123_subdomain_errors(&pname);
        if !meta::check_toy_name("pod name", &pname, errors, &ppath, diags) {
            continue;
        }
        let before = diags.len();
        let spec = pod_spec(pv, &ppath, diags);
        if diags.len() > before || !meta::check_labels(&spec.labels, &ppath, &ppath, diags) {
            continue;
        }
        ns.pods.push(ToyPod {
            name: pname,
            labels: spec.labels,
            ips: spec.ips,
            ports: spec
                .ports
                .or_else(|| default_ports.map(<[_]>::to_vec))
                .unwrap_or_default(),
            path: ppath,
            ordinal,
        });
    }
    Some(ns)
}
