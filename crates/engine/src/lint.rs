//! Teaching lints: valid policies that probably do not do what their author meant.
//!
//! Each lint has a stable code, a severity, the position it concerns, a one-sentence message and
//! a suggested fix. Lints never change verdicts; they only point at traps.

mod dns;
mod finding;
/// The split-rule trap; `split_rules` finds the pairs for other views (AND-vs-OR variants).
pub(crate) mod split_rule;
mod tiered;

use std::collections::BTreeSet;

pub use finding::Lint;
use finding::{list, list_first, MAX_LISTED};

use crate::andor::{AndOr, VariantKind};
use crate::diag::Severity;
use crate::eval::{Bits, Compiled, EndpointKind};
use crate::explain::render::describe_peer;
use crate::ids::EndpointId;
use crate::model::{Model, PolicyType, PortProto, PortRef, Span, NAMESPACE_NAME_LABEL};
use crate::selector::describe_selector;

/// Every stable lint code, in the order of the documentation.
pub const CODES: [&str; 17] = [
    "or-bug",
    "split-rule",
    "dns-trap",
    "ignored-rules",
    "egress-implied",
    "selects-nothing",
    "peer-matches-nothing",
    "namespace-label-unknown",
    "unknown-named-port",
    "half-open",
    "ipblock-contains-pods",
    "yaml11-boolean",
    "policy-namespace",
    "tier-priority-tie",
    "pass-to-nothing",
    "baseline-shadowed",
    "admin-deny-overrides-networkpolicy",
];

/// Half-open flows explained at most (each costs an explanation); the lint names a few anyway.
const MAX_HALF_OPEN: usize = 128;

/// Runs every lint on the model. `texts` are the input texts (indexed like `Model::files`), used
/// by the lints that look at how the YAML is written.
pub fn lint(c: &Compiled, texts: &[&str]) -> Vec<Lint> {
    let m = c.model();
    let mut out = Vec::new();
    or_bug(c, &mut out);
    split_rule::split_rule(m, texts, &mut out);
    dns::dns_trap(c, &mut out);
    ignored_rules(m, &mut out);
    selects_nothing(c, &mut out);
    unknown_named_port(c, &mut out);
    half_open(c, &mut out);
    ipblock_contains_pods(c, &mut out);
    yaml11(texts, &mut out);
    policy_namespace(c, &mut out);
    tiered::tiered_lints(c, &mut out);
    out.sort_by(|a, b| (a.span, a.code).cmp(&(b.span, b.code)));
    out
}

fn or_bug(c: &Compiled, out: &mut Vec<Lint>) {
    let m = c.model();
    let merges = AndOr::merges(c);
    let order = TextOrder::new(c);
    for (i, v) in merges.sites().iter().enumerate() {
        let VariantKind::MergeOr {
            namespace_peer,
            pod_peer,
        } = v.kind
        else {
            continue;
        };
        let policy = &m.policies[v.policy.index()];
        let rule = &policy.rules(v.direction)[v.rule];
        let list_name = match v.direction {
            PolicyType::Ingress => "from",
            PolicyType::Egress => "to",
        };
        let mut lost = Vec::new();
        let mut total = 0;
        merges.flows(i).lost_flows().for_each(|from, to| {
            total += 1;
            order.keep_first(c, &mut lost, (from, to));
        });
        let first = texts(c, &lost);
        let consequence = if total == 0 {
            "on this cluster both readings allow the same flows".to_string()
        } else {
            format!("the OR reading also allows {}", list_first(&first, total))
        };
        out.push(Lint {
            code: "or-bug",
            severity: Severity::Warning,
            span: rule.peers[namespace_peer.min(pod_peer)].span,
            message: format!(
                "{} {}[{}]: `{list_name}` has a namespaceSelector-only item and a podSelector-only item, which are ORed ({}); {consequence}.",
                policy.id(),
                v.direction.as_str().to_lowercase(),
                v.rule,
                v.current_meaning.trim_start_matches("OR: ")
            ),
            fix: format!(
                "if you meant pods matching both ({}), remove the `-` before the second selector so both sit in one item.",
                v.variant_meaning.trim_start_matches("AND: ")
            ),
        });
    }
}

/// Flows in the order of their texts `from → to`, compared without building them.
enum TextOrder {
    /// Per endpoint, the rank of `name → ` among all of them, and of `name`: when no name
    /// holds ` → `, one such text is never a proper prefix of another, so comparing the two
    /// ranks compares the texts.
    Ranks(Vec<usize>, Vec<usize>),
    /// Compare the texts byte by byte.
    Bytes,
}

const ARROW: &str = " → ";

impl TextOrder {
    fn new(c: &Compiled) -> Self {
        let eps = c.endpoints();
        if eps.iter().any(|e| e.name.contains(ARROW)) {
            return TextOrder::Bytes;
        }
        let rank = |key: &dyn Fn(usize) -> Vec<u8>| {
            let mut order: Vec<usize> = (0..eps.len()).collect();
            order.sort_by_cached_key(|&e| key(e));
            let mut rank = vec![0; eps.len()];
            for (r, e) in order.into_iter().enumerate() {
                rank[e] = r;
            }
            rank
        };
        let from = rank(&|e| [eps[e].name.as_bytes(), ARROW.as_bytes()].concat());
        let to = rank(&|e| eps[e].name.as_bytes().to_vec());
        TextOrder::Ranks(from, to)
    }

    fn cmp(&self, c: &Compiled, a: (usize, usize), b: (usize, usize)) -> std::cmp::Ordering {
        match self {
            TextOrder::Ranks(from, to) => (from[a.0], to[a.1]).cmp(&(from[b.0], to[b.1])),
            TextOrder::Bytes => {
                let eps = c.endpoints();
                let text = |(s, d): (usize, usize)| {
                    let (from, to) = (eps[s].name.as_bytes(), eps[d].name.as_bytes());
                    from.iter().chain(ARROW.as_bytes()).chain(to).copied()
                };
                text(a).cmp(text(b))
            }
        }
    }

    /// Adds `flow` to `first`, the [`MAX_LISTED`] flows that come first in text order among
    /// those seen so far, kept sorted. A variant can lose millions of flows: only these are
    /// formatted.
    fn keep_first(&self, c: &Compiled, first: &mut Vec<(usize, usize)>, flow: (usize, usize)) {
        if first.len() == MAX_LISTED
            && first
                .last()
                .is_some_and(|&last| self.cmp(c, flow, last).is_ge())
        {
            return;
        }
        let at = first.partition_point(|&f| self.cmp(c, f, flow).is_lt());
        first.insert(at, flow);
        first.truncate(MAX_LISTED);
    }
}

fn texts(c: &Compiled, flows: &[(usize, usize)]) -> Vec<String> {
    let eps = c.endpoints();
    flows
        .iter()
        .map(|&(s, d)| format!("{} → {}", eps[s].name, eps[d].name))
        .collect()
}

fn ignored_rules(m: &Model, out: &mut Vec<Lint>) {
    for p in &m.policies {
        for (dir, rules) in [
            (PolicyType::Ingress, &p.ingress),
            (PolicyType::Egress, &p.egress),
        ] {
            if p.policy_types_explicit && !p.affects(dir) && !rules.is_empty() {
                let word = dir.as_str().to_lowercase();
                out.push(Lint {
                    code: "ignored-rules",
                    severity: Severity::Warning,
                    span: rules[0].span,
                    message: format!(
                        "{}: these {word} rules are ignored because policyTypes does not list {dir}.",
                        p.id()
                    ),
                    fix: format!("add {dir} to policyTypes, or delete the {word} rules."),
                });
            }
        }
        if !p.policy_types_explicit && !p.egress.is_empty() {
            out.push(Lint {
                code: "egress-implied",
                severity: Severity::Info,
                span: p.egress[0].span,
                message: format!(
                    "{} has egress rules and no policyTypes, so it isolates its pods for Egress as well as Ingress: all other egress of those pods is denied.",
                    p.id()
                ),
                fix: "write policyTypes explicitly ([Ingress, Egress] or [Egress]) so the isolation is visible.".to_string(),
            });
        }
    }
}

fn selects_nothing(c: &Compiled, out: &mut Vec<Lint>) {
    let m = c.model();
    let ns_keys: BTreeSet<&str> = m
        .namespaces
        .iter()
        .flat_map(|n| n.labels.keys().map(String::as_str))
        .collect();
    let with_pods: std::collections::HashSet<&str> =
        m.pods.iter().map(|pod| pod.namespace.as_str()).collect();
    for (pi, p) in m.policies.iter().enumerate() {
        let has_pods = with_pods.contains(p.namespace.as_str());
        if has_pods && c.selected(pi).is_empty() {
            out.push(Lint {
                code: "selects-nothing",
                severity: Severity::Warning,
                span: p.span,
                message: format!(
                    "{}: podSelector {} matches no pod in namespace {}, so the policy has no effect.",
                    p.id(),
                    describe_selector(&p.pod_selector),
                    p.namespace
                ),
                fix: "check the labels against the pods' labels (kubectl get pods --show-labels).".to_string(),
            });
        }
        for dir in [PolicyType::Ingress, PolicyType::Egress] {
            let list_name = if dir == PolicyType::Ingress {
                "from"
            } else {
                "to"
            };
            for (ri, r) in p.rules(dir).iter().enumerate() {
                for (k, peer) in r.peers.iter().enumerate() {
                    if let Some(sel) = &peer.namespace_selector {
                        let keys: Vec<&str> = sel
                            .match_labels
                            .keys()
                            .map(String::as_str)
                            .chain(
                                sel.match_expressions
                                    .iter()
                                    .filter(|r| {
                                        r.operator == crate::model::Operator::In
                                            || r.operator == crate::model::Operator::Exists
                                    })
                                    .map(|r| r.key.as_str()),
                            )
                            .filter(|k| !ns_keys.contains(k))
                            .collect();
                        if let Some(key) = keys.first() {
                            let hint = match sel.match_labels.get(*key) {
                                Some(v) if m.namespace(v).is_some() => format!(
                                    "to select namespace {v} by name use `{NAMESPACE_NAME_LABEL}: {v}`, which every namespace carries."
                                ),
                                _ => format!("label the namespaces with {key}, or select them by `{NAMESPACE_NAME_LABEL}`."),
                            };
                            out.push(Lint {
                                code: "namespace-label-unknown",
                                severity: Severity::Warning,
                                span: peer.span,
                                message: format!(
                                    "{} {}[{ri}].{list_name}[{k}]: no namespace has the label {key}, so this namespaceSelector matches nothing.",
                                    p.id(),
                                    dir.as_str().to_lowercase()
                                ),
                                fix: hint,
                            });
                            continue;
                        }
                    }
                    // An ipBlock is meant for addresses outside the cluster, which a cluster
                    // description rarely lists: matching no declared endpoint is normal.
                    if peer.ip_block.is_some() {
                        continue;
                    }
                    let matches_any = !c.peer_set(pi, dir, ri, k).is_empty();
                    if !matches_any {
                        out.push(Lint {
                            code: "peer-matches-nothing",
                            severity: Severity::Warning,
                            span: peer.span,
                            message: format!(
                                "{} {}[{ri}].{list_name}[{k}] ({}) matches no pod or endpoint in this cluster.",
                                p.id(),
                                dir.as_str().to_lowercase(),
                                describe_peer(peer)
                            ),
                            fix: "check the selectors against the labels of the pods and namespaces you meant.".to_string(),
                        });
                    }
                }
            }
        }
    }
}

fn unknown_named_port(c: &Compiled, out: &mut Vec<Lint>) {
    let m = c.model();
    for (pi, p) in m.policies.iter().enumerate() {
        for dir in [PolicyType::Ingress, PolicyType::Egress] {
            for (ri, r) in p.rules(dir).iter().enumerate() {
                // The pods on which the named port would be resolved.
                let dests: Vec<usize> = match dir {
                    PolicyType::Ingress => c.selected(pi),
                    PolicyType::Egress => {
                        let mut peers = Bits::full(c.endpoints().len());
                        if !r.peers.is_empty() {
                            peers = Bits::empty(c.endpoints().len());
                            for k in 0..r.peers.len() {
                                peers.union_with(&c.peer_set(pi, dir, ri, k));
                            }
                        }
                        peers
                            .ones()
                            .filter(|&e| c.endpoints()[e].is_pod())
                            .collect()
                    }
                };
                for port in &r.ports {
                    let Some(PortRef::Named(name)) = &port.port else {
                        continue;
                    };
                    let defined = dests.iter().any(|&e| match c.endpoints()[e].kind {
                        EndpointKind::Pod { pod } => m.pods[pod].ports.iter().any(|cp| {
                            cp.name.as_deref() == Some(name.as_str())
                                && cp.protocol == port.protocol
                        }),
                        EndpointKind::External { .. } | EndpointKind::Node { .. } => false,
                    });
                    if !defined && !dests.is_empty() {
                        let other = dests.iter().any(|&e| match c.endpoints()[e].kind {
                            EndpointKind::Pod { pod } => m.pods[pod]
                                .ports
                                .iter()
                                .any(|cp| cp.name.as_deref() == Some(name.as_str())),
                            EndpointKind::External { .. } | EndpointKind::Node { .. } => false,
                        });
                        let note = if other {
                            " (it exists for another protocol)"
                        } else {
                            ""
                        };
                        out.push(Lint {
                            code: "unknown-named-port",
                            severity: Severity::Warning,
                            span: port.span,
                            message: format!(
                                "{}: no destination pod defines a {} port named {name}{note}, so this port matches nothing.",
                                p.id(),
                                port.protocol
                            ),
                            fix: "use the name from the destination pods' containers[].ports[].name (with the same protocol), or a port number.".to_string(),
                        });
                    }
                }
            }
        }
    }
}

/// Flows a half-open rule would open, and their reasons, per rule.
struct HalfOpen {
    rule: Span,
    from: usize,
    to: usize,
    reason: String,
    ports: Vec<PortProto>,
}

/// Half-open flows: one side allows them, the other does not. Only rules that name the peer
/// (a selector or an ipBlock) count: a rule without `to`/`from` opens its side to everyone
/// (the API server, webhook callers, addresses outside the cluster), and the pod pairs it
/// happens to cover are rarely meant.
fn half_open(c: &Compiled, out: &mut Vec<Lint>) {
    let mut found: Vec<HalfOpen> = Vec::new();
    let n = c.endpoints().len();
    let mut named: std::collections::HashMap<(usize, PolicyType), Vec<bool>> =
        std::collections::HashMap::new();
    let mut explained = 0;
    let mut capped = false;
    'ports: for pp in c.ports_that_matter() {
        let (egress, accepted) = c.one_sided(pp);
        for s in 0..n {
            if !c.endpoints()[s].is_pod() || c.isolating(s, PolicyType::Egress).is_empty() {
                continue;
            }
            // The destinations one side allows and the other does not.
            let mut one_side = egress[s].clone();
            for (a, b) in one_side.0.iter_mut().zip(&accepted[s].0) {
                *a ^= b;
            }
            for d in one_side.ones() {
                if s == d
                    || !c.endpoints()[d].is_pod()
                    || c.isolating(d, PolicyType::Ingress).is_empty()
                {
                    continue;
                }
                let egress_ok = egress[s].get(d);
                let (open, dir, other) = if egress_ok {
                    (s, PolicyType::Egress, d)
                } else {
                    (d, PolicyType::Ingress, s)
                };
                let names = named
                    .entry((open, dir))
                    .or_insert_with(|| named_by_peers(c, open, dir));
                if !names[other] {
                    continue;
                }
                if explained >= MAX_HALF_OPEN {
                    capped = true;
                    break 'ports;
                }
                explained += 1;
                // Only the rare half-open flows pay for an explanation.
                let ex = c.explain(EndpointId(s), EndpointId(d), pp);
                let (Some(e), Some(i)) = (&ex.egress, &ex.ingress) else {
                    continue;
                };
                let (e_np, i_np) = (e.network_policy_allows(), i.network_policy_allows());
                let (open_side, reason) = if e_np && !i_np {
                    (
                        e,
                        format!(
                            "{}'s ingress (isolated by {}) still blocks it",
                            ex.to,
                            ids(&i.isolated_by)
                        ),
                    )
                } else if i_np && !e_np {
                    (
                        i,
                        format!(
                            "{}'s egress (isolated by {}) still blocks it",
                            ex.from,
                            ids(&e.isolated_by)
                        ),
                    )
                } else {
                    continue;
                };
                let Some(rule) = open_side.allowed_by.iter().find(|m| m.peer.is_some()) else {
                    continue;
                };
                match found
                    .iter_mut()
                    .find(|f| f.rule == rule.rule_span && f.from == s && f.to == d)
                {
                    Some(f) => f.ports.push(pp),
                    None => found.push(HalfOpen {
                        rule: rule.rule_span,
                        from: s,
                        to: d,
                        reason,
                        ports: vec![pp],
                    }),
                }
            }
        }
    }
    // One lint per rule that opens only one side.
    let mut spans: Vec<Span> = found.iter().map(|f| f.rule).collect();
    spans.sort();
    spans.dedup();
    let note = if capped {
        format!(" (only the first {MAX_HALF_OPEN} half-open flows were examined)")
    } else {
        String::new()
    };
    for span in spans {
        let items: Vec<String> = found
            .iter()
            .filter(|f| f.rule == span)
            .map(|f| {
                let ports: Vec<String> = f.ports.iter().map(PortProto::to_string).collect();
                format!(
                    "{} → {} on {} ({})",
                    c.endpoints()[f.from].name,
                    c.endpoints()[f.to].name,
                    ports.join(", "),
                    f.reason
                )
            })
            .collect();
        out.push(Lint {
            code: "half-open",
            severity: Severity::Info,
            span,
            message: format!("this rule opens only one side of {}{note}.", list(&items)),
            fix: "a flow needs the source's egress and the destination's ingress: add the matching rule on the other side.".to_string(),
        });
    }
}

/// Per endpoint, whether a peer of a rule of `e`'s policies in `dir` selects it.
fn named_by_peers(c: &Compiled, e: usize, dir: PolicyType) -> Vec<bool> {
    let m = c.model();
    let rules: Vec<(usize, usize, usize)> = c
        .isolating(e, dir)
        .iter()
        .flat_map(|&pi| {
            m.policies[pi]
                .rules(dir)
                .iter()
                .enumerate()
                .flat_map(move |(ri, r)| (0..r.peers.len()).map(move |k| (pi, ri, k)))
        })
        .collect();
    let mut named = Bits::empty(c.endpoints().len());
    for (pi, ri, k) in rules {
        named.union_with(&c.peer_set(pi, dir, ri, k));
    }
    (0..c.endpoints().len())
        .map(|other| named.get(other))
        .collect()
}

fn ids(p: &[crate::explain::PolicyRef]) -> String {
    p.iter()
        .map(|p| p.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

fn ipblock_contains_pods(c: &Compiled, out: &mut Vec<Lint>) {
    let m = c.model();
    for (pi, p) in m.policies.iter().enumerate() {
        for dir in [PolicyType::Ingress, PolicyType::Egress] {
            for (ri, r) in p.rules(dir).iter().enumerate() {
                for (k, peer) in r.peers.iter().enumerate() {
                    let Some(block) = &peer.ip_block else {
                        continue;
                    };
                    // Only the listed names are copied: a wide block holds thousands of pods.
                    let set = c.peer_set(pi, dir, ri, k);
                    let mut pods = set.ones().filter(|&e| c.endpoints()[e].is_pod());
                    let first: Vec<String> = pods
                        .by_ref()
                        .take(MAX_LISTED)
                        .map(|e| c.endpoints()[e].name.clone())
                        .collect();
                    let total = first.len() + pods.count();
                    if total > 0 {
                        out.push(Lint {
                            code: "ipblock-contains-pods",
                            severity: Severity::Info,
                            span: peer.span,
                            message: format!(
                                "ipBlock {} contains the IPs of {}: whether pod traffic matches an ipBlock varies between network plugins (pod IPs are ephemeral; the API reference says ipBlock is meant for cluster-external IPs).",
                                block.cidr_text,
                                list_first(&first, total)
                            ),
                            fix: "select pods with podSelector/namespaceSelector, and keep ipBlock for addresses outside the cluster (or add the pod CIDR to except).".to_string(),
                        });
                    }
                }
            }
        }
    }
}

/// Scalars YAML 1.1 (kubectl) reads as booleans while YAML 1.2 reads them as strings.
const YAML11_BOOLS: [&str; 18] = [
    "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off",
    "OFF", "~y", "~n",
];

fn yaml11(texts: &[&str], out: &mut Vec<Lint>) {
    for (file, text) in texts.iter().enumerate() {
        for (ln, line) in text.lines().enumerate() {
            let code = match line.find(" #") {
                Some(i) => &line[..i],
                None => line,
            };
            if code.trim_start().starts_with('#') {
                continue;
            }
            // Values after `key:` and inside flow collections `[a, b]`, `{k: v}`.
            let mut col = 0;
            for piece in code.split_inclusive([':', ',', '[', '{', '=']) {
                let start = col;
                col += piece.len();
                let value = piece
                    .trim_end_matches([':', ',', '[', '{', '='])
                    .trim()
                    .trim_end_matches([']', '}'])
                    .trim();
                let value = value.strip_prefix("- ").unwrap_or(value).trim();
                if YAML11_BOOLS[..16].contains(&value) {
                    let at = start + piece.find(value).unwrap_or(0);
                    // A key (followed by ':') is a surprise too, but keys like `on:` are rare in
                    // these files; report values only.
                    if piece.ends_with(':') {
                        continue;
                    }
                    out.push(Lint {
                        code: "yaml11-boolean",
                        severity: Severity::Warning,
                        span: Span { file, line: ln as u32 + 1, col: at as u32 + 1 },
                        message: format!(
                            "unquoted `{value}` is a boolean for kubectl (YAML 1.1), not the string \"{value}\": as a label value or name the manifest is rejected or means something else."
                        ),
                        fix: format!("quote it: \"{value}\"."),
                    });
                }
            }
        }
    }
}

fn policy_namespace(c: &Compiled, out: &mut Vec<Lint>) {
    let m = c.model();
    let with_pods: std::collections::HashSet<&str> =
        m.pods.iter().map(|pod| pod.namespace.as_str()).collect();
    for p in &m.policies {
        if !p.namespace_explicit {
            out.push(Lint {
                code: "policy-namespace",
                severity: Severity::Info,
                span: p.span,
                message: format!(
                    "{} has no metadata.namespace, so it lands in the namespace of the kubectl context (here: default) and only selects pods there.",
                    p.id()
                ),
                fix: "set metadata.namespace explicitly.".to_string(),
            });
        } else if !with_pods.contains(p.namespace.as_str()) {
            out.push(Lint {
                code: "policy-namespace",
                severity: Severity::Info,
                span: p.span,
                message: format!(
                    "{} is in namespace {}, which has no pods: a policy only selects pods of its own namespace.",
                    p.id(),
                    p.namespace
                ),
                fix: "put the policy in the namespace of the pods it should select.".to_string(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{compile, parse, Input};

    /// Lost flows are listed as their texts sort (not as their endpoint indices do, nor in the
    /// order they come), the first four of them, by ranks and by bytes alike.
    #[test]
    fn first_lost_flows_sort_by_text() {
        // The external `a-web` comes after every pod in endpoint order, first in text order.
        let cluster = "namespaces:\n  x:\n    pods: {a: p=a, a-b: p=ab, b: p=b, c: p=c, d: p=d}\nexternals:\n  a-web: 192.0.2.1\n";
        let (model, diags) = parse(&[Input {
            name: "cluster",
            text: cluster,
        }]);
        assert!(diags.is_empty(), "{diags:?}");
        let c = compile(model);
        let id = |name: &str| c.endpoint(name).unwrap().index();
        // No name holds an arrow, so the ranks decide; both ways give the same order.
        assert!(matches!(TextOrder::new(&c), TextOrder::Ranks(..)));
        for order in [TextOrder::new(&c), TextOrder::Bytes] {
            let mut first = Vec::new();
            for (from, to) in [
                ("x/d", "x/a"),
                ("x/a-b", "x/c"),
                ("x/a", "x/d"),
                ("x/c", "x/a"),
                ("x/a", "x/b"),
                ("a-web", "x/b"),
            ] {
                order.keep_first(&c, &mut first, (id(from), id(to)));
            }
            // "x/a → …" sorts before "x/a-b → …": ' ' is below '-'.
            let first = texts(&c, &first);
            assert_eq!(
                first,
                ["a-web → x/b", "x/a → x/b", "x/a → x/d", "x/a-b → x/c"]
            );
            assert_eq!(
                list_first(&first, 6),
                "a-web → x/b, x/a → x/b, x/a → x/d, x/a-b → x/c and 2 more"
            );
        }
    }
}
