//! `kind: Node` objects in the cluster input: a name, labels and `status.addresses`.
//!
//! Nodes matter only to tiered policies: an egress `nodes` peer selects nodes by their labels
//! ("It selects the nodeIPs as the peer type by matching on the IPs present in the
//! node.Status.Addresses field of the node", `apis/v1alpha2/clusternetworkpolicy_types.go`), and
//! `networks` (and NetworkPolicy `ipBlock`) peers match their IPs. Nothing else of a Node is
//! read, and its other fields are not reported as unknown.

use std::net::IpAddr;

use serde_yaml::Value;

use super::schema::{quote, string, untag, Cx, INVALID_VALUE, REQUIRED};
use crate::diag::{FieldPath, PathDiag};
use crate::model::Node;
use crate::model::{Labels, Span};
use crate::validate;

/// Address types whose value must be an IP (`NodeAddressType` in `core/v1`).
const IP_ADDRESS_TYPES: [&str; 2] = ["InternalIP", "ExternalIP"];

/// Reads a `kind: Node` object at `path_prefix`. Returns `None` for the node when any
/// diagnostic is an error (no name, an invalid name or label).
pub fn node(
    value: &Value,
    path_prefix: &FieldPath,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> (Option<Node>, Vec<PathDiag>) {
    let mut cx = Cx::new(path_prefix, loc);
    let node = read(&mut cx, value);
    let node = if cx.failed() { None } else { node };
    (node, cx.diags)
}

fn read(cx: &mut Cx<'_>, value: &Value) -> Option<Node> {
    let meta = FieldPath::root().key("metadata");
    let npath = meta.key("name");
    let Some(name) = value.get("metadata").and_then(|m| m.get("name")) else {
        cx.error(
            &npath,
            REQUIRED,
            "Required value: name or generateName is required",
        );
        return None;
    };
    let name = string(cx, name, &npath)?;
    if let Some(msg) = validate::dns1123_subdomain_errors(name).first() {
        cx.invalid(&npath, quote(name), msg);
        return None;
    }

    let mut labels = Labels::new();
    let lpath = meta.key("labels");
    match value
        .get("metadata")
        .and_then(|m| m.get("labels"))
        .map(untag)
    {
        None | Some(Value::Null) => {}
        Some(Value::Mapping(map)) => {
            for (k, v) in map {
                let Some(key) = k.as_str() else {
                    cx.invalid(&lpath, "\"object\"", "label keys must be strings");
                    continue;
                };
                let vpath = lpath.key(key);
                let Some(v) = string(cx, v, &vpath) else {
                    continue;
                };
                for msg in validate::label_key_errors(key) {
                    cx.invalid(&lpath, quote(key), msg);
                }
                for msg in validate::label_value_errors(v) {
                    cx.invalid(&vpath, quote(v), msg);
                }
                labels.insert(key.to_string(), v.to_string());
            }
        }
        Some(other) => cx.wrong_type(&lpath, other, "object"),
    }

    let apath = FieldPath::root().key("status").key("addresses");
    let mut ips: Vec<IpAddr> = Vec::new();
    let addresses = value.get("status").and_then(|s| s.get("addresses"));
    if let Some(Value::Sequence(items)) = addresses.map(untag) {
        for (i, item) in items.iter().enumerate() {
            let here = apath.index(i).key("address");
            let Some(text) = item.get("address").and_then(Value::as_str) else {
                continue;
            };
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
            match text.parse::<IpAddr>() {
                Ok(ip) if !ips.contains(&ip) => ips.push(ip),
                Ok(_) => {}
                Err(_) if IP_ADDRESS_TYPES.contains(&kind) => cx.warning(
                    &here,
                    INVALID_VALUE,
                    format!(
                        "node {name}: {kind} address {} is not an IP address; it is ignored",
                        quote(text)
                    ),
                ),
                // Hostname, InternalDNS, ExternalDNS: names, not IPs.
                Err(_) => {}
            }
        }
    }
    if ips.is_empty() {
        cx.warning(
            &apath,
            "node-without-ip",
            format!(
                "node {name} has no IP address in status.addresses: `nodes` peers still select it by its labels, but `networks` and `ipBlock` peers cannot match it"
            ),
        );
    }
    Some(Node {
        name: name.to_string(),
        labels,
        ips,
        span: cx.span(&npath),
    })
}
