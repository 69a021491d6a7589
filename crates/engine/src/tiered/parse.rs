//! Validation of `AdminNetworkPolicy`, `BaselineAdminNetworkPolicy` (v1alpha1) and
//! `ClusterNetworkPolicy` (v1alpha2) objects against their CRDs, and their conversion into
//! [`ClusterPolicy`].
//!
//! The schemas are those of the CRDs generated from `apis/v1alpha1/*_types.go` and
//! `apis/v1alpha2/clusternetworkpolicy_types.go` of kubernetes-sigs/network-policy-api, in the
//! experimental channel (a superset of the standard one: `nodes`, `domainNames` and named ports
//! are accepted). `docs/tiered-policies.md` lists every rule with its source.

use serde_yaml::Value;

use super::schema::{
    self, cidr_text, integer, list, object, one_of, port_number, quote, selector, string,
    string_max, Cx, Obj, DUPLICATE, INVALID_VALUE, NON_CANONICAL_CIDR, NOT_EVALUATED,
};
use crate::diag::{FieldPath, PathDiag};
use crate::model::{
    Action, ClusterPeer, ClusterPolicy, ClusterPolicyKind, ClusterPort, ClusterRule, NamespacedPod,
    Network, PeerKind, PortMatch, Subject, Tier,
};
use crate::model::{LabelSelector, PolicyType, Protocol, Span};
use crate::validate;

/// What differs between the three kinds' schemas.
struct Schema {
    kind: ClusterPolicyKind,
    /// `spec` fields.
    spec_fields: &'static [&'static str],
    /// `maxItems` of `ingress` / `egress`, of `from` / `to`, of `ports` / `protocols`.
    max_rules: usize,
    max_peers: usize,
    max_ports: usize,
    /// The `action` enum.
    actions: &'static [&'static str],
    /// The fields of an egress peer (ingress peers are always `namespaces` or `pods`).
    egress_peers: &'static [&'static str],
    /// `ports` (v1alpha1) or `protocols` (v1alpha2).
    ports_field: &'static str,
    /// v1alpha1's `NamespacedPod` requires `namespaceSelector`; v1alpha2's does not.
    namespace_selector_required: bool,
    /// The message of the egress rule's CEL rule against named ports beside IP peers.
    named_port_rule: &'static str,
    /// Hints for fields of another kind written in a rule.
    rule_hints: &'static [(&'static str, &'static str)],
    /// Hints for fields of another kind written in `spec`.
    spec_hints: &'static [(&'static str, &'static str)],
}

const NAMED_PORT_RULE_WITH_DOMAINS: &str = "networks/nodes/domainNames peer cannot be set with namedPorts since there are no namedPorts for networks/nodes/domainNames";

const V1ALPHA1_RULE_HINTS: &[(&str, &str)] = &[(
    "protocols",
    "v1alpha1 kinds list ports under \"ports\" (`- portNumber: {protocol: TCP, port: 80}`); `protocols` is ClusterNetworkPolicy's (v1alpha2) field. Without it this rule matches every port.",
)];

const ANP: Schema = Schema {
    kind: ClusterPolicyKind::AdminNetworkPolicy,
    spec_fields: &["priority", "subject", "ingress", "egress"],
    max_rules: 100,
    max_peers: 100,
    max_ports: 100,
    actions: &["Allow", "Deny", "Pass"],
    egress_peers: &["namespaces", "pods", "nodes", "networks", "domainNames"],
    ports_field: "ports",
    namespace_selector_required: true,
    named_port_rule: NAMED_PORT_RULE_WITH_DOMAINS,
    rule_hints: V1ALPHA1_RULE_HINTS,
    spec_hints: &[(
        "tier",
        "an AdminNetworkPolicy is always in the Admin tier; `tier` is ClusterNetworkPolicy's (v1alpha2) field.",
    )],
};

const BANP: Schema = Schema {
    kind: ClusterPolicyKind::BaselineAdminNetworkPolicy,
    spec_fields: &["subject", "ingress", "egress"],
    max_rules: 100,
    max_peers: 100,
    max_ports: 100,
    actions: &["Allow", "Deny"],
    egress_peers: &["namespaces", "pods", "nodes", "networks"],
    ports_field: "ports",
    namespace_selector_required: true,
    named_port_rule: "networks/nodes peer cannot be set with namedPorts since there are no namedPorts for networks/nodes",
    rule_hints: V1ALPHA1_RULE_HINTS,
    spec_hints: &[
        (
            "priority",
            "a BaselineAdminNetworkPolicy has no priority: there is only one, named \"default\".",
        ),
        (
            "tier",
            "a BaselineAdminNetworkPolicy is always in the Baseline tier; `tier` is ClusterNetworkPolicy's (v1alpha2) field.",
        ),
    ],
};

const CNP: Schema = Schema {
    kind: ClusterPolicyKind::ClusterNetworkPolicy,
    spec_fields: &["tier", "priority", "subject", "ingress", "egress"],
    max_rules: 25,
    max_peers: 25,
    max_ports: 25,
    actions: &["Accept", "Deny", "Pass"],
    egress_peers: &["namespaces", "pods", "nodes", "networks", "domainNames"],
    ports_field: "protocols",
    namespace_selector_required: false,
    named_port_rule: NAMED_PORT_RULE_WITH_DOMAINS,
    rule_hints: &[(
        "ports",
        "ClusterNetworkPolicy (v1alpha2) lists ports under \"protocols\" (`- tcp: {destinationPort: {number: 80}}`); `ports` is the v1alpha1 field. Without it this rule matches every port.",
    )],
    spec_hints: &[],
};

/// The BaselineAdminNetworkPolicy CRD's root CEL rule.
const BANP_NAME_RULE: &str =
    "Only one baseline admin network policy with metadata.name=\"default\" can be created in the cluster";

/// Validates one tiered-policy object (`kind` is one of the three) the way kube-apiserver does
/// with the CRDs installed, and converts it.
///
/// `path_prefix` is where the object sits in its document (`items[3]` in a `List`); `loc`
/// positions an absolute field path. Messages print paths relative to the object, as the
/// apiserver does. Returns `None` for the policy when any diagnostic is an error.
pub fn cluster_policy(
    value: &Value,
    path_prefix: &FieldPath,
    loc: &dyn Fn(&FieldPath) -> Span,
) -> (Option<ClusterPolicy>, Vec<PathDiag>) {
    let mut cx = Cx::new(path_prefix, loc);
    let policy = convert(&mut cx, value);
    let policy = if cx.failed() { None } else { policy };
    (policy, cx.diags)
}

fn convert(cx: &mut Cx<'_>, value: &Value) -> Option<ClusterPolicy> {
    let root = FieldPath::root();
    let obj = object(
        cx,
        value,
        &root,
        &["apiVersion", "kind", "metadata", "spec", "status"],
        &[],
    )?;
    let kind_text = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let Some(kind) = ClusterPolicyKind::parse(kind_text) else {
        cx.not_supported(
            &obj.at("kind"),
            kind_text,
            &ClusterPolicyKind::ALL.map(ClusterPolicyKind::as_str),
        );
        return None;
    };
    let schema = match kind {
        ClusterPolicyKind::AdminNetworkPolicy => &ANP,
        ClusterPolicyKind::BaselineAdminNetworkPolicy => &BANP,
        ClusterPolicyKind::ClusterNetworkPolicy => &CNP,
    };
    api_version(cx, &obj, kind);
    let (name, span) = metadata(cx, &obj, kind);
    if kind == ClusterPolicyKind::BaselineAdminNetworkPolicy
        && name.as_deref().is_some_and(|n| n != "default")
    {
        // A rule on the root: the apiserver prints the nil path as `<nil>`.
        let at = obj.at("metadata").key("name");
        cx.error_shown(
            "<nil>",
            &at,
            INVALID_VALUE,
            &format!("Invalid value: \"object\": {BANP_NAME_RULE}"),
        );
    }
    if !obj.require(cx, "spec") {
        return None;
    }
    let spec = object(
        cx,
        obj.get("spec")?,
        &obj.at("spec"),
        schema.spec_fields,
        schema.spec_hints,
    )?;
    let tier = if kind == ClusterPolicyKind::ClusterNetworkPolicy {
        let tier = spec.require(cx, "tier").then(|| {
            one_of(
                cx,
                spec.get("tier")?,
                &spec.at("tier"),
                &["Admin", "Baseline"],
            )
        });
        match tier.flatten() {
            Some("Admin") => Some(Tier::Admin),
            Some(_) => Some(Tier::Baseline),
            None => None,
        }
    } else if kind == ClusterPolicyKind::AdminNetworkPolicy {
        Some(Tier::Admin)
    } else {
        Some(Tier::Baseline)
    };
    let priority = if kind == ClusterPolicyKind::BaselineAdminNetworkPolicy {
        None
    } else if spec.require(cx, "priority") {
        integer(cx, spec.get("priority")?, &spec.at("priority"), 0, 1000)
            .and_then(|p| u32::try_from(p).ok())
    } else {
        None
    };
    let subject = if spec.require(cx, "subject") {
        subject(cx, schema, spec.get("subject")?, &spec.at("subject"))
    } else {
        None
    };
    let ingress = rules(cx, schema, &spec, PolicyType::Ingress);
    let egress = rules(cx, schema, &spec, PolicyType::Egress);
    let no_priority = kind == ClusterPolicyKind::BaselineAdminNetworkPolicy;
    Some(ClusterPolicy {
        kind,
        name: name?,
        tier: tier?,
        priority: if no_priority { None } else { Some(priority?) },
        subject: subject?,
        ingress,
        egress,
        span: span?,
    })
}

fn api_version(cx: &mut Cx<'_>, obj: &Obj<'_>, kind: ClusterPolicyKind) {
    let want = kind.api_version();
    match obj.get("apiVersion").and_then(Value::as_str) {
        Some(v) if v == want => {}
        Some(v) => cx.error(
            &obj.at("apiVersion"),
            INVALID_VALUE,
            format_args!(
                "no matches for kind {} in version {}: {kind} is served by {want}",
                quote(kind.as_str()),
                quote(v)
            ),
        ),
        None => cx.error(
            &obj.at("apiVersion"),
            schema::REQUIRED,
            format_args!("Required value: {kind} is served by {want}"),
        ),
    }
}

/// `metadata`: the name (required, a DNS subdomain) and its span; a namespace is ignored, as
/// for every cluster-scoped object.
fn metadata(
    cx: &mut Cx<'_>,
    obj: &Obj<'_>,
    kind: ClusterPolicyKind,
) -> (Option<String>, Option<Span>) {
    let mpath = obj.at("metadata");
    let name = obj
        .get("metadata")
        .and_then(|m| m.get("name"))
        .filter(|v| !v.is_null());
    let Some(name) = name else {
        cx.error(
            &mpath.key("name"),
            schema::REQUIRED,
            "Required value: name or generateName is required",
        );
        return (None, None);
    };
    let npath = mpath.key("name");
    let name = string(cx, name, &npath);
    if let Some(ns) = obj
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(Value::as_str)
    {
        cx.warning(
            &mpath.key("namespace"),
            "ignored-field",
            format!(
                "{kind} is cluster-scoped: metadata.namespace {} is ignored (the policy applies to the pods its subject selects, in every namespace)",
                quote(ns)
            ),
        );
    }
    let name = name.filter(|n| {
        let errs = validate::dns1123_subdomain_errors(n);
        if let Some(msg) = errs.first() {
            cx.invalid(&npath, quote(n), msg);
        }
        errs.is_empty()
    });
    (name.map(str::to_string), Some(cx.span(&npath)))
}

fn subject(cx: &mut Cx<'_>, schema: &Schema, v: &Value, path: &FieldPath) -> Option<Subject> {
    let hints = [(
        "namespaceSelector",
        "a subject is `namespaces: <selector>` or `pods: {namespaceSelector, podSelector}`.",
    )];
    let obj = object(cx, v, path, &["namespaces", "pods"], &hints)?;
    match obj.exactly_one(cx)? {
        "namespaces" => {
            selector(cx, obj.get("namespaces")?, &obj.at("namespaces")).map(Subject::Namespaces)
        }
        _ => namespaced_pod(cx, schema, obj.get("pods")?, &obj.at("pods")).map(Subject::Pods),
    }
}

fn namespaced_pod(
    cx: &mut Cx<'_>,
    schema: &Schema,
    v: &Value,
    path: &FieldPath,
) -> Option<NamespacedPod> {
    let obj = object(cx, v, path, &["namespaceSelector", "podSelector"], &[])?;
    let namespace_selector = match obj.get("namespaceSelector") {
        Some(sel) => selector(cx, sel, &obj.at("namespaceSelector")),
        None if schema.namespace_selector_required => {
            cx.required(&obj.at("namespaceSelector"));
            None
        }
        None => Some(LabelSelector::default()),
    };
    let pod_selector = match obj.get("podSelector") {
        Some(sel) => selector(cx, sel, &obj.at("podSelector")),
        None => {
            cx.required(&obj.at("podSelector"));
            None
        }
    };
    Some(NamespacedPod {
        namespace_selector: namespace_selector?,
        pod_selector: pod_selector?,
    })
}

fn rules(cx: &mut Cx<'_>, schema: &Schema, spec: &Obj<'_>, dir: PolicyType) -> Vec<ClusterRule> {
    let field = match dir {
        PolicyType::Ingress => "ingress",
        PolicyType::Egress => "egress",
    };
    let Some(v) = spec.get(field) else {
        return Vec::new();
    };
    let path = spec.at(field);
    let items = list(cx, v, &path, 0, schema.max_rules).unwrap_or_default();
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| rule(cx, schema, dir, item, &path.index(i)))
        .collect()
}

fn rule(
    cx: &mut Cx<'_>,
    schema: &Schema,
    dir: PolicyType,
    v: &Value,
    path: &FieldPath,
) -> Option<ClusterRule> {
    let (peers_field, wrong_field) = match dir {
        PolicyType::Ingress => ("from", "to"),
        PolicyType::Egress => ("to", "from"),
    };
    let misplaced = match dir {
        PolicyType::Ingress => "ingress rules list their sources under \"from\".",
        PolicyType::Egress => "egress rules list their destinations under \"to\".",
    };
    let mut hints: Vec<(&str, &str)> = schema.rule_hints.to_vec();
    hints.push((wrong_field, misplaced));
    let known = ["name", "action", peers_field, schema.ports_field];
    let obj = object(cx, v, path, &known, &hints)?;

    let name = obj
        .get("name")
        .and_then(|n| string_max(cx, n, &obj.at("name"), 100));
    let action = if obj.require(cx, "action") {
        match one_of(cx, obj.get("action")?, &obj.at("action"), schema.actions) {
            Some("Allow" | "Accept") => Some(Action::Accept),
            Some("Deny") => Some(Action::Deny),
            Some(_) => Some(Action::Pass),
            None => None,
        }
    } else {
        None
    };

    let mut peers = Vec::new();
    let mut ip_peers = false;
    if obj.require(cx, peers_field) {
        let ppath = obj.at(peers_field);
        let items = list(cx, obj.get(peers_field)?, &ppath, 1, schema.max_peers);
        for (i, item) in items.unwrap_or_default().iter().enumerate() {
            if let Some(p) = peer(cx, schema, dir, item, &ppath.index(i)) {
                ip_peers |= matches!(
                    p.kind,
                    PeerKind::Nodes(_) | PeerKind::Networks(_) | PeerKind::DomainNames(_)
                );
                peers.push(p);
            }
        }
    }

    let ports = match obj.get(schema.ports_field) {
        None => Some(None),
        Some(v) => {
            let ppath = obj.at(schema.ports_field);
            let items = list(cx, v, &ppath, 1, schema.max_ports).unwrap_or_default();
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let p = match schema.kind {
                    ClusterPolicyKind::ClusterNetworkPolicy => protocol(cx, item, &ppath.index(i)),
                    _ => port(cx, item, &ppath.index(i)),
                };
                out.extend(p);
            }
            Some(Some(out))
        }
    };
    let named = ports
        .as_ref()
        .and_then(Option::as_ref)
        .is_some_and(|ps| ps.iter().any(|p| matches!(p.port, PortMatch::Named(_))));
    if dir == PolicyType::Egress && ip_peers && named {
        cx.rule_failed(path, schema.named_port_rule);
    }

    Some(ClusterRule {
        name: name.map(str::to_string),
        action: action?,
        peers,
        ports: ports?,
        span: cx.span(path),
    })
}

fn peer(
    cx: &mut Cx<'_>,
    schema: &Schema,
    dir: PolicyType,
    v: &Value,
    path: &FieldPath,
) -> Option<ClusterPeer> {
    let ingress_hint = "ingress peers are `namespaces` or `pods` only; `nodes`, `networks` and `domainNames` are egress peers.";
    let hints: &[(&str, &str)] = &[
        ("networks", ingress_hint),
        ("nodes", ingress_hint),
        ("domainNames", ingress_hint),
        (
            "namespaceSelector",
            "a peer is `namespaces: <selector>` or `pods: {namespaceSelector, podSelector}`.",
        ),
        (
            "podSelector",
            "a peer is `namespaces: <selector>` or `pods: {namespaceSelector, podSelector}`.",
        ),
    ];
    let known: &[&'static str] = match dir {
        PolicyType::Ingress => &["namespaces", "pods"],
        PolicyType::Egress => schema.egress_peers,
    };
    let obj = object(cx, v, path, known, hints)?;
    let field = obj.exactly_one(cx)?;
    let value = obj.get(field)?;
    let fpath = obj.at(field);
    let kind = match field {
        "namespaces" => PeerKind::Namespaces(namespaces_selector(cx, value, &fpath)?),
        "pods" => PeerKind::Pods(namespaced_pod(cx, schema, value, &fpath)?),
        "nodes" => PeerKind::Nodes(selector(cx, value, &fpath)?),
        "networks" => PeerKind::Networks(networks(cx, value, &fpath)?),
        _ => PeerKind::DomainNames(domain_names(cx, value, &fpath)?),
    };
    Some(ClusterPeer {
        kind,
        span: cx.span(path),
    })
}

/// A `namespaces` peer is itself a label selector. Writing `namespaceSelector:` inside it is a
/// common slip (the v1alpha1 blog example has it): the field is dropped and the peer then
/// selects every namespace.
fn namespaces_selector(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<LabelSelector> {
    if let Value::Mapping(map) = schema::untag(v) {
        if map.contains_key("namespaceSelector") {
            let p = path.key("namespaceSelector");
            cx.warning(
                &p,
                schema::UNKNOWN_FIELD,
                format!(
                    "unknown field {}; `namespaces` is itself a label selector: write `namespaces: {{matchLabels: …}}`. The API server drops unknown fields, so this peer selects every namespace.",
                    quote(&p.to_string())
                ),
            );
            let mut rest = map.clone();
            rest.remove("namespaceSelector");
            return selector(cx, &Value::Mapping(rest), path);
        }
    }
    selector(cx, v, path)
}

/// `networks`: 1 to 25 CIDRs, a set, each passing `isCIDR(self)` (and at most 43 characters).
fn networks(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<Vec<Network>> {
    let items = list(cx, v, path, 1, 25)?;
    let mut out: Vec<Network> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let ipath = path.index(i);
        let Some(text) = string_max(cx, item, &ipath, 43) else {
            ok = false;
            continue;
        };
        let Some(cidr) = schema::parse_cidr(text) else {
            ok = false;
            cx.invalid(&ipath, "\"string\"", "Invalid CIDR format provided");
            continue;
        };
        if out.iter().any(|n| n.text == text) {
            ok = false;
            cx.error(
                &ipath,
                DUPLICATE,
                format_args!("Duplicate value: {}", quote(text)),
            );
            continue;
        }
        let host = text.rsplit_once('/').map_or(text, |(h, _)| h);
        if host.parse::<std::net::IpAddr>().ok() != Some(cidr.addr) {
            cx.warning(
                &ipath,
                NON_CANONICAL_CIDR,
                format!(
                    "{ipath}: {} has host bits set; it is evaluated as {}",
                    quote(text),
                    cidr_text(&cidr)
                ),
            );
        }
        out.push(Network {
            cidr,
            text: text.to_string(),
        });
    }
    ok.then_some(out)
}

/// `domainNames`: 1 to 25 names matching the CRD's pattern. The playground has no DNS, so they
/// are kept but match nothing; a warning says so.
fn domain_names(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<Vec<String>> {
    let items = list(cx, v, path, 1, 25)?;
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        let ipath = path.index(i);
        let Some(name) = string(cx, item, &ipath) else {
            ok = false;
            continue;
        };
        if !schema::is_domain_name(name) {
            ok = false;
            let detail = format!("should match '{}'", schema::DOMAIN_NAME_PATTERN);
            cx.invalid_in_body(&ipath, quote(name), &detail);
        } else if out.iter().any(|n| n == name) {
            ok = false;
            cx.error(
                &ipath,
                DUPLICATE,
                format_args!("Duplicate value: {}", quote(name)),
            );
        } else {
            out.push(name.to_string());
        }
    }
    if ok {
        cx.warning(
            path,
            NOT_EVALUATED,
            "domainNames peers are not evaluated: the playground has no DNS, so this peer matches no endpoint",
        );
    }
    ok.then_some(out)
}

/// A v1alpha1 `AdminNetworkPolicyPort`: exactly one of `portNumber`, `namedPort`, `portRange`.
fn port(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<ClusterPort> {
    let obj = object(cx, v, path, &["portNumber", "namedPort", "portRange"], &[])?;
    let field = obj.exactly_one(cx)?;
    let fpath = obj.at(field);
    let value = obj.get(field)?;
    let port = match field {
        "namedPort" => PortMatch::Named(string(cx, value, &fpath)?.to_string()),
        "portNumber" => {
            let o = object(cx, value, &fpath, &["protocol", "port"], &[])?;
            let proto = v1alpha1_protocol(cx, &o);
            let n = if o.require(cx, "port") {
                port_number(cx, o.get("port")?, &o.at("port"))
            } else {
                None
            };
            match proto? {
                Ok(protocol) => PortMatch::Number { protocol, port: n? },
                Err(protocol) => PortMatch::Unsupported { protocol },
            }
        }
        _ => {
            let o = object(cx, value, &fpath, &["protocol", "start", "end"], &[])?;
            let proto = v1alpha1_protocol(cx, &o);
            let start = o
                .require(cx, "start")
                .then(|| port_number(cx, o.get("start")?, &o.at("start")))
                .flatten();
            let end = o
                .require(cx, "end")
                .then(|| port_number(cx, o.get("end")?, &o.at("end")))
                .flatten();
            let (start, end) = (start?, end?);
            if start > end {
                // v1alpha1 documents "the Start value must be less than End" but has no rule
                // for it: the API server accepts the object.
                cx.warning(
                    &fpath,
                    "empty-range",
                    format!("{fpath}: start {start} is greater than end {end}: this range matches no port"),
                );
            }
            match proto? {
                Ok(protocol) => PortMatch::Range {
                    protocol,
                    start,
                    end,
                },
                Err(protocol) => PortMatch::Unsupported { protocol },
            }
        }
    };
    Some(ClusterPort {
        port,
        span: cx.span(path),
    })
}

/// v1alpha1 `protocol`: defaults to TCP; the CRD has no enum, so another value is accepted by
/// the API server — and matches nothing here (`Err` with the text).
fn v1alpha1_protocol(cx: &mut Cx<'_>, o: &Obj<'_>) -> Option<Result<Protocol, String>> {
    let Some(v) = o.get("protocol") else {
        return Some(Ok(Protocol::Tcp));
    };
    let text = string(cx, v, &o.at("protocol"))?;
    match Protocol::parse(text) {
        Some(p) => Some(Ok(p)),
        None => {
            cx.warning(
                &o.at("protocol"),
                "unsupported-protocol",
                format!(
                    "{}: protocol {} is not TCP, UDP or SCTP: the API server accepts it, but this port matches no flow here",
                    o.at("protocol"),
                    quote(text)
                ),
            );
            Some(Err(text.to_string()))
        }
    }
}

/// A v1alpha2 `ClusterNetworkPolicyProtocol`: exactly one of `tcp`, `udp`, `sctp`,
/// `destinationNamedPort`.
fn protocol(cx: &mut Cx<'_>, v: &Value, path: &FieldPath) -> Option<ClusterPort> {
    let obj = object(
        cx,
        v,
        path,
        &["tcp", "udp", "sctp", "destinationNamedPort"],
        &[],
    )?;
    let field = obj.exactly_one(cx)?;
    let fpath = obj.at(field);
    let value = obj.get(field)?;
    let protocol = match field {
        "tcp" => Protocol::Tcp,
        "udp" => Protocol::Udp,
        "sctp" => Protocol::Sctp,
        _ => {
            let name = string(cx, value, &fpath)?;
            return Some(ClusterPort {
                port: PortMatch::Named(name.to_string()),
                span: cx.span(path),
            });
        }
    };
    // `tcp: {}` fails `minProperties: 1`, although the API overview says a missing
    // destinationPort matches every port of the protocol.
    let o = object(cx, value, &fpath, &["destinationPort"], &[])?;
    let Some(dp) = o.get("destinationPort") else {
        cx.invalid_in_body(&fpath, 1, "should have at least 1 properties");
        return None;
    };
    let dpath = o.at("destinationPort");
    let d = object(cx, dp, &dpath, &["number", "range"], &[])?;
    let port = match d.exactly_one(cx)? {
        "number" => PortMatch::Number {
            protocol,
            port: port_number(cx, d.get("number")?, &d.at("number"))?,
        },
        _ => {
            let rpath = d.at("range");
            let r = object(cx, d.get("range")?, &rpath, &["start", "end"], &[])?;
            let start = r
                .require(cx, "start")
                .then(|| port_number(cx, r.get("start")?, &r.at("start")))
                .flatten();
            let end = r
                .require(cx, "end")
                .then(|| port_number(cx, r.get("end")?, &r.at("end")))
                .flatten();
            let (start, end) = (start?, end?);
            if start >= end {
                cx.rule_failed(&rpath, "Start port must be less than End port");
                return None;
            }
            PortMatch::Range {
                protocol,
                start,
                end,
            }
        }
    };
    Some(ClusterPort {
        port,
        span: cx.span(path),
    })
}
