//! `Pod` and `Namespace` objects: names, labels, IPs and container ports checked the way
//! kube-apiserver checks them, turned into plain model values (without spans: the parser, which
//! knows the file, positions and merges them).

use std::net::IpAddr;

use k8s_openapi::api::core::v1 as core;

use crate::diag::{quote, FieldPath, PathDiag};
use crate::meta;
use crate::model::{
    ContainerPort, Labels, Namespace, Pod, Protocol, WorkloadKind, NAMESPACE_NAME_LABEL,
};
use crate::validate;

/// `metadata.labels`, as messages name it (relative to the object, also inside a List).
fn labels_field() -> FieldPath {
    FieldPath::root().key("metadata").key("labels")
}

fn required_name(meta: &FieldPath, out: &mut Vec<PathDiag>) {
    out.push(PathDiag::error(
        meta.key("name"),
        "required",
        "metadata.name: Required value: name or generateName is required",
    ));
}

/// A Namespace object at `path`; `None` (with errors in `out`) when it is invalid.
pub(crate) fn namespace(
    obj: &core::Namespace,
    path: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> Option<Namespace> {
    let meta = path.key("metadata");
    let Some(name) = obj.metadata.name.clone().filter(|n| !n.is_empty()) else {
        required_name(&meta, out);
        return None;
    };
    if !meta::check_label_name("metadata.name", &name, &meta.key("name"), out) {
        return None;
    }
    let mut labels: Labels = obj.metadata.labels.clone().unwrap_or_default();
    if !meta::check_labels(&labels, &labels_field(), &meta.key("labels"), out) {
        return None;
    }
    labels.insert(NAMESPACE_NAME_LABEL.to_string(), name.clone());
    Some(Namespace {
        name,
        labels,
        span: None,
    })
}

/// A Pod object at `path`; `None` (with errors in `out`) when it is invalid. Its IPs come from
/// `status.podIPs` (or `status.podIP`); none are assigned here.
pub(crate) fn pod(obj: &core::Pod, path: &FieldPath, out: &mut Vec<PathDiag>) -> Option<Pod> {
    let meta = path.key("metadata");
    let Some(name) = obj.metadata.name.clone().filter(|n| !n.is_empty()) else {
        required_name(&meta, out);
        return None;
    };
    let namespace = obj
        .metadata
        .namespace
        .clone()
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "default".to_string());
    let name_ok = meta::check_subdomain("metadata.name", &name, &meta.key("name"), out);
    let namespace_ok = meta::check_label_name(
        "metadata.namespace",
        &namespace,
        &meta.key("namespace"),
        out,
    );
    let labels: Labels = obj.metadata.labels.clone().unwrap_or_default();
    let labels_ok = meta::check_labels(&labels, &labels_field(), &meta.key("labels"), out);
    if !(name_ok && namespace_ok && labels_ok) {
        return None;
    }
    Some(Pod {
        namespace,
        name,
        labels,
        ips: pod_ips(obj, path, out),
        ports: container_ports(obj, path, out),
        span: Default::default(),
        kind: WorkloadKind::Pod,
    })
}

fn pod_ips(obj: &core::Pod, path: &FieldPath, out: &mut Vec<PathDiag>) -> Vec<IpAddr> {
    let status = path.key("status");
    let mut texts: Vec<(&str, FieldPath)> = Vec::new();
    if let Some(st) = &obj.status {
        for (i, p) in st.pod_ips.iter().flatten().enumerate() {
            texts.push((&p.ip, status.key("podIPs").index(i).key("ip")));
        }
        if texts.is_empty() {
            if let Some(ip) = &st.pod_ip {
                texts.push((ip, status.key("podIP")));
            }
        }
    }
    let mut ips = Vec::new();
    for (text, p) in texts {
        match text.parse::<IpAddr>() {
            Ok(ip) if !ips.contains(&ip) => ips.push(ip),
            Ok(_) => {}
            Err(_) => out.push(PathDiag::warning(
                p,
                "invalid-value",
                format!("pod IP {} is not an IP address; it is ignored", quote(text)),
            )),
        }
    }
    ips
}

fn container_ports(
    obj: &core::Pod,
    path: &FieldPath,
    out: &mut Vec<PathDiag>,
) -> Vec<ContainerPort> {
    let mut ports = Vec::new();
    let Some(spec) = &obj.spec else {
        return ports;
    };
    let cpath = path.key("spec").key("containers");
    for (ci, c) in spec.containers.iter().enumerate() {
        for (pi, p) in c.ports.iter().flatten().enumerate() {
            let here = cpath.index(ci).key("ports").index(pi);
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            let Some(protocol) = Protocol::parse(proto) else {
                out.push(PathDiag::warning(
                    here.key("protocol"),
                    "unsupported-value",
                    format!(
                        "container port protocol {} is not TCP, UDP or SCTP; the port is ignored",
                        quote(proto)
                    ),
                ));
                continue;
            };
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                let errors = validate::port_name_errors(name);
                if !errors.is_empty() {
                    let field = FieldPath::root()
                        .key("spec")
                        .key("containers")
                        .index(ci)
                        .key("ports")
                        .index(pi)
                        .key("name");
                    for msg in errors {
                        out.push(PathDiag::warning(
                            here.key("name"),
                            "invalid-value",
                            format!(
                                "{field}: Invalid value: {}: {msg}; the port is ignored",
                                quote(name)
                            ),
                        ));
                    }
                    continue;
                }
            }
            let Some(port) = u16::try_from(p.container_port).ok().filter(|p| *p >= 1) else {
                out.push(PathDiag::warning(
                    here.key("containerPort"),
                    "invalid-value",
                    format!(
                        "containerPort {} must be between 1 and 65535; the port is ignored",
                        p.container_port
                    ),
                ));
                continue;
            };
            ports.push(ContainerPort {
                name: p.name.clone(),
                port,
                protocol,
            });
        }
    }
    ports
}
