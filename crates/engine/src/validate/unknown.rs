//! Unknown fields, reported like the apiserver's strict field validation
//! (`unknown field "spec.ingress[0].form"`) but as warnings, with a "did you mean" for a close
//! known field and a longer hint for `from`/`to` in the wrong kind of rule.

use std::borrow::Cow;
use std::fmt::Write as _;

use serde_yaml::Value;

use super::errors::{go_quote, Sink, UNKNOWN_FIELD};
use crate::diag::{FieldPath, Seg};
use crate::suggest;

/// The kinds of nodes of the NetworkPolicy schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Node {
    Root,
    Meta,
    Spec,
    IngressRule,
    EgressRule,
    Peer,
    IpBlock,
    Selector,
    Requirement,
    Port,
    /// Anything goes (labels, annotations, status, scalars, …).
    Any,
}

const OBJECT_META_FIELDS: [&str; 15] = [
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

impl Node {
    /// The fields the schema knows at this node.
    pub(super) fn fields(self) -> &'static [&'static str] {
        match self {
            Node::Root => &["apiVersion", "kind", "metadata", "spec", "status"],
            Node::Meta => &OBJECT_META_FIELDS,
            Node::Spec => &["podSelector", "ingress", "egress", "policyTypes"],
            Node::IngressRule => &["from", "ports"],
            Node::EgressRule => &["to", "ports"],
            Node::Peer => &["podSelector", "namespaceSelector", "ipBlock"],
            Node::IpBlock => &["cidr", "except"],
            Node::Selector => &["matchLabels", "matchExpressions"],
            Node::Requirement => &["key", "operator", "values"],
            Node::Port => &["protocol", "port", "endPort"],
            Node::Any => &[],
        }
    }

    /// The node of a known field, and whether it is a list of such nodes.
    fn child(self, field: &str) -> (Node, bool) {
        match (self, field) {
            (Node::Root, "metadata") => (Node::Meta, false),
            (Node::Root, "spec") => (Node::Spec, false),
            (Node::Spec, "podSelector") => (Node::Selector, false),
            (Node::Spec, "ingress") => (Node::IngressRule, true),
            (Node::Spec, "egress") => (Node::EgressRule, true),
            (Node::IngressRule, "from") | (Node::EgressRule, "to") => (Node::Peer, true),
            (Node::IngressRule | Node::EgressRule, "ports") => (Node::Port, true),
            (Node::Peer, "podSelector" | "namespaceSelector") => (Node::Selector, false),
            (Node::Peer, "ipBlock") => (Node::IpBlock, false),
            (Node::Selector, "matchExpressions") => (Node::Requirement, true),
            _ => (Node::Any, false),
        }
    }
}

/// The YAML of the object: `value` itself, or what `path_prefix` leads to inside it when
/// `value` is the whole document.
pub(super) fn object_value<'v>(value: &'v Value, path_prefix: &FieldPath) -> &'v Value {
    if path_prefix.0.is_empty()
        || value.get("kind").and_then(Value::as_str) == Some("NetworkPolicy")
    {
        return value;
    }
    let mut v = value;
    for seg in &path_prefix.0 {
        let next = match seg {
            Seg::Key(k) => untag(v).get(k.as_str()),
            Seg::Index(i) => untag(v).get(*i),
        };
        match next {
            Some(n) => v = n,
            None => return value,
        }
    }
    v
}

fn untag(v: &Value) -> &Value {
    let mut v = v;
    while let Value::Tagged(t) = v {
        v = &t.value;
    }
    v
}

fn key_text(k: &Value) -> Cow<'_, str> {
    match untag(k) {
        Value::String(s) => Cow::Borrowed(s),
        Value::Bool(b) => Cow::Owned(b.to_string()),
        Value::Number(n) => Cow::Owned(n.to_string()),
        Value::Null => Cow::Borrowed("null"),
        other => Cow::Owned(
            serde_yaml::to_string(other)
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
        ),
    }
}

/// Warns about every field of the NetworkPolicy `value` that the schema does not know.
pub(super) fn unknown_fields(value: &Value, sink: &mut Sink<'_>) {
    walk(value, Node::Root, &mut FieldPath::root(), sink);
}

/// Walks the fields of `value` at `path`, extending `path` while it visits a child and
/// restoring it after.
fn walk(value: &Value, node: Node, path: &mut FieldPath, sink: &mut Sink<'_>) {
    if node == Node::Any {
        return;
    }
    let Value::Mapping(map) = untag(value) else {
        return;
    };
    for (k, v) in map {
        let key = key_text(k);
        if !node.fields().contains(&&*key) {
            let p = path.key(&key);
            let message = unknown_field_message(node, &key, &p, map);
            sink.warning(&p, UNKNOWN_FIELD, message);
            continue;
        }
        let (child, is_list) = node.child(&key);
        if child == Node::Any {
            continue;
        }
        path.0.push(Seg::Key(key.into_owned()));
        match (is_list, untag(v)) {
            (true, Value::Sequence(items)) => {
                for (i, item) in items.iter().enumerate() {
                    path.0.push(Seg::Index(i));
                    walk(item, child, path, sink);
                    path.0.pop();
                }
            }
            (false, _) => walk(v, child, path, sink),
            _ => {}
        }
        path.0.pop();
    }
}

fn unknown_field_message(
    node: Node,
    key: &str,
    path: &FieldPath,
    siblings: &serde_yaml::Mapping,
) -> String {
    let mut message = format!("unknown field {}", go_quote(&path.to_string()));
    let has = |field: &str| siblings.contains_key(field);
    let misplaced = match (node, key) {
        (Node::EgressRule, "from") => Some(("Egress", "to", "to every destination")),
        (Node::IngressRule, "to") => Some(("Ingress", "from", "from every source")),
        _ => None,
    };
    if let Some((direction, right, everyone)) = misplaced {
        let _ = write!(
            message,
            "; did you mean {}? {direction} rules list their peers under {}",
            go_quote(right),
            go_quote(right)
        );
        if has(right) {
            let _ = write!(
                message,
                ", so the peers under {} are ignored",
                go_quote(key)
            );
        } else {
            let ports = if has("ports") { " on its ports" } else { "" };
            let _ = write!(
                message,
                ": this rule has no {}, so it allows traffic {everyone}{ports}",
                go_quote(right)
            );
        }
        return message;
    }
    if let Some(best) = suggest::closest(key, node.fields().iter().copied()) {
        let _ = write!(message, "; did you mean {}?", go_quote(best));
    }
    message
}
