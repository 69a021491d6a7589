//! The policy: `ValidateNetworkPolicy` (apiserver `pkg/apis/networking/validation`) field by
//! field, with `policyTypes` defaulting, converting what is valid into the model.

use std::collections::BTreeMap;

use k8s_openapi::api::networking::v1 as np;
use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::cidr::{GoCidr, CIDR_INVALID};
use super::errors::{go_quote, Sink, NON_CANONICAL_CIDR};
use super::names::{
    dns1123_label_errors, label_key_errors, label_value_errors, name_is_dns_subdomain,
    port_name_errors,
};
use crate::diag::FieldPath;
use crate::model::{self, Span};

/// apimachinery `api/validation/objectmeta.go`: `TotalAnnotationSizeLimitB`.
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);

/// `ValidateNetworkPolicy` and the conversion into the model, in the apiserver's order: the
/// metadata, then per ingress and egress rule its ports before its peers, then `policyTypes`.
pub(super) fn convert_policy(
    obj: &np::NetworkPolicy,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> model::NetworkPolicy {
    let at = |sink: &Sink<'_>, rel: &FieldPath| loc(&sink.abs(rel));
    let meta_path = FieldPath::root().key("metadata");
    let (name, namespace) = object_meta(&obj.metadata, &meta_path, name_is_dns_subdomain, sink);
    let span = if obj.metadata.name.is_some() {
        at(sink, &meta_path.key("name"))
    } else {
        at(sink, &FieldPath::root())
    };

    // ValidateNetworkPolicySpec.
    let spec_path = FieldPath::root().key("spec");
    let default_spec = np::NetworkPolicySpec::default();
    let spec = obj.spec.as_ref().unwrap_or(&default_spec);
    let pod_selector = match &spec.pod_selector {
        Some(sel) => selector(sel, &spec_path.key("podSelector"), sink),
        None => model::LabelSelector::default(),
    };

    let mut ingress = Vec::new();
    for (i, rule) in spec.ingress.iter().flatten().enumerate() {
        let rule_path = spec_path.key("ingress").index(i);
        let ports = rule_ports(rule.ports.as_deref(), &rule_path, sink, loc);
        let peers = rule_peers(rule.from.as_deref(), &rule_path.key("from"), sink, loc);
        ingress.push(model::Rule {
            peers,
            ports,
            span: at(sink, &rule_path),
        });
    }
    let mut egress = Vec::new();
    for (i, rule) in spec.egress.iter().flatten().enumerate() {
        let rule_path = spec_path.key("egress").index(i);
        let ports = rule_ports(rule.ports.as_deref(), &rule_path, sink, loc);
        let peers = rule_peers(rule.to.as_deref(), &rule_path.key("to"), sink, loc);
        egress.push(model::Rule {
            peers,
            ports,
            span: at(sink, &rule_path),
        });
    }

    let types = spec.policy_types.as_deref().unwrap_or(&[]);
    let types_path = spec_path.key("policyTypes");
    if types.len() > 2 {
        // `field.Invalid(fldPath.Child("policyTypes"), &spec.PolicyTypes, …)` prints the slice
        // with %#v.
        let items: Vec<String> = types.iter().map(|t| go_quote(t)).collect();
        let value = format!("[]networking.PolicyType{{{}}}", items.join(", "));
        sink.invalid(
            &types_path,
            &value,
            "may not specify more than two policyTypes",
        );
    } else {
        for (i, t) in types.iter().enumerate() {
            if t != "Ingress" && t != "Egress" {
                sink.not_supported(&types_path.index(i), t, &["Ingress", "Egress"]);
            }
        }
    }
    // SetDefaults_NetworkPolicySpec: with no policyTypes, Ingress always, Egress when there are
    // egress rules.
    let explicit = !types.is_empty();
    let (affects_ingress, affects_egress) = if explicit {
        (
            types.iter().any(|t| t == "Ingress"),
            types.iter().any(|t| t == "Egress"),
        )
    } else {
        (true, !egress.is_empty())
    };

    model::NetworkPolicy {
        namespace,
        name,
        pod_selector,
        affects_ingress,
        affects_egress,
        policy_types_explicit: explicit,
        namespace_explicit: obj.metadata.namespace.is_some(),
        ingress,
        egress,
        span,
    }
}

/// `ValidateObjectMeta(meta, true, name_rule, "metadata")`, minus what only the server sets
/// (`name_rule` is e.g. `ValidateNetworkPolicyName`: `NameIsDNSSubdomain`). Returns the name and
/// the namespace (`default` when missing, as kubectl does).
pub(super) fn object_meta(
    meta: &metav1::ObjectMeta,
    path: &FieldPath,
    name_rule: fn(&str, bool) -> Vec<String>,
    sink: &mut Sink<'_>,
) -> (String, String) {
    let generate_name = meta.generate_name.as_deref().unwrap_or("");
    if !generate_name.is_empty() {
        let p = path.key("generateName");
        for msg in name_rule(generate_name, true) {
            sink.invalid(&p, &go_quote(generate_name), &msg);
        }
    }
    let given = meta.name.as_deref().unwrap_or("");
    let name = if !given.is_empty() {
        let p = path.key("name");
        for msg in name_rule(given, false) {
            sink.invalid(&p, &go_quote(given), &msg);
        }
        given.to_string()
    } else if !generate_name.is_empty() {
        // The apiserver generates the name before validating it: generateName plus five
        // random characters (names.SimpleNameGenerator, base cut to 58 bytes).
        let mut base = generate_name.to_string();
        if base.len() > 58 {
            let mut cut = 58;
            while !base.is_char_boundary(cut) {
                cut -= 1;
            }
            base.truncate(cut);
        }
        format!("{base}xxxxx")
    } else {
        sink.required(&path.key("name"), "name or generateName is required");
        String::new()
    };

    let namespace = match meta.namespace.as_deref() {
        Some(ns) if !ns.is_empty() => {
            let p = path.key("namespace");
            for msg in dns1123_label_errors(ns) {
                sink.invalid(&p, &go_quote(ns), &msg);
            }
            ns.to_string()
        }
        _ => "default".to_string(),
    };

    if let Some(labels) = &meta.labels {
        labels_at(labels, &|| path.key("labels"), sink);
    }
    if let Some(annotations) = &meta.annotations {
        let p = path.key("annotations");
        for k in annotations.keys() {
            // "The rule is QualifiedName except that case doesn't matter".
            for msg in label_key_errors(&k.to_lowercase()) {
                sink.invalid_at(&p, &p.key(k), &go_quote(k), &msg);
            }
        }
        let total = annotations.iter().fold(0usize, |n, (k, v)| {
            n.saturating_add(k.len()).saturating_add(v.len())
        });
        if total > TOTAL_ANNOTATION_SIZE_LIMIT {
            sink.too_long(&p, TOTAL_ANNOTATION_SIZE_LIMIT);
        }
    }
    (name, namespace)
}

/// `ValidateLabels`: errors name the map (`…matchLabels`), positioned at the offending key.
pub(super) fn validate_labels(
    labels: &BTreeMap<String, String>,
    path: &FieldPath,
    sink: &mut Sink<'_>,
) {
    labels_at(labels, &|| path.clone(), sink);
}

/// [`validate_labels`] with the map's path built only when a label is invalid (most are valid,
/// and a path is a few allocations).
fn labels_at(labels: &BTreeMap<String, String>, path: &dyn Fn() -> FieldPath, sink: &mut Sink<'_>) {
    for (k, v) in labels {
        let key_errors = label_key_errors(k);
        let value_errors = label_value_errors(v);
        if key_errors.is_empty() && value_errors.is_empty() {
            continue;
        }
        let path = path();
        let at = path.key(k);
        for msg in key_errors {
            sink.invalid_at(&path, &at, &go_quote(k), &msg);
        }
        for msg in value_errors {
            sink.invalid_at(&path, &at, &go_quote(v), &msg);
        }
    }
}

/// `ValidateLabelSelector` (with `AllowInvalidLabelValueInSelector: false`) and conversion.
pub(super) fn selector(
    sel: &metav1::LabelSelector,
    path: &FieldPath,
    sink: &mut Sink<'_>,
) -> model::LabelSelector {
    let mut out = model::LabelSelector::default();
    if let Some(labels) = &sel.match_labels {
        labels_at(labels, &|| path.key("matchLabels"), sink);
        out.match_labels = labels.clone();
    }
    for (i, expr) in sel.match_expressions.iter().flatten().enumerate() {
        let p = || path.key("matchExpressions").index(i);
        let values = expr.values.as_deref().unwrap_or(&[]);
        let operator = match expr.operator.as_str() {
            "In" => Some(model::Operator::In),
            "NotIn" => Some(model::Operator::NotIn),
            "Exists" => Some(model::Operator::Exists),
            "DoesNotExist" => Some(model::Operator::DoesNotExist),
            _ => None,
        };
        match operator {
            Some(model::Operator::In | model::Operator::NotIn) => {
                if values.is_empty() {
                    sink.required(
                        &p().key("values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            Some(model::Operator::Exists | model::Operator::DoesNotExist) => {
                if !values.is_empty() {
                    sink.forbidden(
                        &p().key("values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            None => sink.invalid(
                &p().key("operator"),
                &go_quote(&expr.operator),
                "not a valid selector operator",
            ),
        }
        for msg in label_key_errors(&expr.key) {
            sink.invalid(&p().key("key"), &go_quote(&expr.key), &msg);
        }
        for (vi, v) in values.iter().enumerate() {
            for msg in label_value_errors(v) {
                sink.invalid(&p().key("values").index(vi), &go_quote(v), &msg);
            }
        }
        if let Some(operator) = operator {
            out.match_expressions.push(model::Requirement {
                key: expr.key.clone(),
                operator,
                values: values.to_vec(),
            });
        }
    }
    out
}

fn rule_ports(
    ports: Option<&[np::NetworkPolicyPort]>,
    rule_path: &FieldPath,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<model::NetworkPolicyPort> {
    let mut out = Vec::new();
    for (k, port) in ports.unwrap_or(&[]).iter().enumerate() {
        let p = rule_path.key("ports").index(k);
        let span = loc(&sink.abs(&p));
        if let Some(port) = network_policy_port(port, &p, sink, span) {
            out.push(port);
        }
    }
    out
}

fn rule_peers(
    peers: Option<&[np::NetworkPolicyPeer]>,
    list_path: &FieldPath,
    sink: &mut Sink<'_>,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> Vec<model::NetworkPolicyPeer> {
    let mut out = Vec::new();
    for (j, peer) in peers.unwrap_or(&[]).iter().enumerate() {
        let p = list_path.index(j);
        let span = loc(&sink.abs(&p));
        out.push(network_policy_peer(peer, &p, sink, span));
    }
    out
}

const PORT_RANGE: &str = "must be between 1 and 65535, inclusive";

fn valid_port_number(n: i32) -> Option<u16> {
    u16::try_from(n).ok().filter(|p| *p >= 1)
}

/// `ValidateNetworkPolicyPort`, with the protocol defaulted to TCP.
fn network_policy_port(
    port: &np::NetworkPolicyPort,
    path: &FieldPath,
    sink: &mut Sink<'_>,
    span: Span,
) -> Option<model::NetworkPolicyPort> {
    let protocol = match port.protocol.as_deref() {
        None => Some(model::Protocol::Tcp),
        Some(p) => {
            let parsed = model::Protocol::parse(p);
            if parsed.is_none() {
                sink.not_supported(&path.key("protocol"), p, &["TCP", "UDP", "SCTP"]);
            }
            parsed
        }
    };
    let port_path = || path.key("port");
    let end_path = || path.key("endPort");
    let mut end_port = None;
    let port_ref = match &port.port {
        Some(IntOrString::Int(n)) => {
            let number = valid_port_number(*n);
            if number.is_none() {
                sink.invalid(&port_path(), &n.to_string(), PORT_RANGE);
            }
            if let Some(end) = port.end_port {
                if end < *n {
                    sink.invalid(
                        &end_path(),
                        &end.to_string(),
                        "must be greater than or equal to `port`",
                    );
                }
                match valid_port_number(end) {
                    Some(e) => end_port = Some(e),
                    None => sink.invalid(&end_path(), &end.to_string(), PORT_RANGE),
                }
            }
            number.map(model::PortRef::Number)
        }
        Some(IntOrString::String(s)) => {
            if let Some(end) = port.end_port {
                sink.invalid(
                    &end_path(),
                    &end.to_string(),
                    "may not be specified when `port` is non-numeric",
                );
            }
            for msg in port_name_errors(s) {
                sink.invalid(&port_path(), &go_quote(s), &msg);
            }
            Some(model::PortRef::Named(s.clone()))
        }
        None => {
            if let Some(end) = port.end_port {
                sink.invalid(
                    &end_path(),
                    &end.to_string(),
                    "may not be specified when `port` is not specified",
                );
            }
            None
        }
    };
    Some(model::NetworkPolicyPort {
        protocol: protocol?,
        port: port_ref,
        end_port,
        span,
    })
}

/// `ValidateNetworkPolicyPeer`.
fn network_policy_peer(
    peer: &np::NetworkPolicyPeer,
    path: &FieldPath,
    sink: &mut Sink<'_>,
    span: Span,
) -> model::NetworkPolicyPeer {
    let mut kinds = 0;
    let pod_selector = peer.pod_selector.as_ref().map(|sel| {
        kinds += 1;
        selector(sel, &path.key("podSelector"), sink)
    });
    let namespace_selector = peer.namespace_selector.as_ref().map(|sel| {
        kinds += 1;
        selector(sel, &path.key("namespaceSelector"), sink)
    });
    let ip_block = match &peer.ip_block {
        Some(block) => {
            kinds += 1;
            ip_block(block, &path.key("ipBlock"), sink)
        }
        None => None,
    };
    if kinds == 0 {
        sink.required(path, "must specify a peer");
    } else if kinds > 1 && peer.ip_block.is_some() {
        sink.forbidden(path, "may not specify both ipBlock and another peer");
    }
    model::NetworkPolicyPeer {
        pod_selector,
        namespace_selector,
        ip_block,
        span,
    }
}

/// `ValidateIPBlock`, plus the `GetWarningsForCIDR` warnings of the registry strategy.
fn ip_block(block: &np::IPBlock, path: &FieldPath, sink: &mut Sink<'_>) -> Option<model::IpBlock> {
    let cidr_path = path.key("cidr");
    if block.cidr.is_empty() {
        sink.required(&cidr_path, "");
        return None;
    }
    let Some(cidr) = GoCidr::parse(&block.cidr) else {
        sink.invalid(&cidr_path, &go_quote(&block.cidr), CIDR_INVALID);
        return None;
    };
    for w in cidr.warnings(&block.cidr) {
        sink.warning(&cidr_path, NON_CANONICAL_CIDR, format!("{cidr_path}: {w}"));
    }
    let mut except = Vec::new();
    for (i, text) in block.except.iter().flatten().enumerate() {
        let p = path.key("except").index(i);
        let Some(e) = GoCidr::parse(text) else {
            sink.invalid(&p, &go_quote(text), CIDR_INVALID);
            continue;
        };
        for w in e.warnings(text) {
            sink.warning(&p, NON_CANONICAL_CIDR, format!("{p}: {w}"));
        }
        if !cidr.contains(&e.net_ip()) || cidr.ones >= e.ones {
            sink.invalid(&p, &go_quote(text), "must be a strict subset of `cidr`");
        }
        except.push(model::Except {
            cidr: e.model(),
            text: text.clone(),
        });
    }
    Some(model::IpBlock {
        cidr: cidr.model(),
        except,
        cidr_text: block.cidr.clone(),
    })
}
