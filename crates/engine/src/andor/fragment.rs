//! YAML list fragments of `from`/`to` items and of rules, as the AND/OR view shows them side by
//! side.
//!
//! Every key and value is written so that a YAML reader gets the same string back: plain when
//! that is certain under YAML 1.1 (which Kubernetes tools read) and YAML 1.2, else double-quoted
//! ([`scalar`], which the split-rule lint uses too).

use std::borrow::Cow;
use std::fmt::Write as _;

use crate::model::{LabelSelector, NetworkPolicyPeer, NetworkPolicyPort, Operator, PortRef, Rule};

/// The items as a block sequence (`- namespaceSelector: ...`), selectors (or the `ipBlock`)
/// indented under them.
pub(super) fn peers_yaml<'a>(peers: impl IntoIterator<Item = &'a NetworkPolicyPeer>) -> String {
    let mut out = String::new();
    for peer in peers {
        let mut first = true;
        if let Some(b) = &peer.ip_block {
            let _ = writeln!(out, "- ipBlock:\n    cidr: {}", scalar(&b.cidr_text));
            if !b.except.is_empty() {
                out.push_str("    except:\n");
                for e in &b.except {
                    let _ = writeln!(out, "    - {}", scalar(&e.text));
                }
            }
            first = false;
        }
        for (key, sel) in [
            ("namespaceSelector", &peer.namespace_selector),
            ("podSelector", &peer.pod_selector),
        ] {
            if let Some(sel) = sel {
                out.push_str(if first { "- " } else { "  " });
                out.push_str(key);
                out.push(':');
                selector_yaml(&mut out, 4, sel);
                first = false;
            }
        }
    }
    out
}

/// The rules as a block sequence: `list_name` (`from` or `to`) with the items and `ports`, each
/// key written only when its list is not empty, and `ports` first when `ports_first` (as the
/// rules are written). A rule with neither is `- {}`.
pub(super) fn rules_yaml<'a>(
    list_name: &str,
    rules: impl IntoIterator<Item = &'a Rule>,
    ports_first: bool,
) -> String {
    let mut out = String::new();
    for rule in rules {
        let peers = (!rule.peers.is_empty()).then(|| (list_name, peers_yaml(&rule.peers)));
        let ports = (!rule.ports.is_empty()).then(|| ("ports", ports_yaml(&rule.ports)));
        let keys = if ports_first {
            [ports, peers]
        } else {
            [peers, ports]
        };
        let mut first = true;
        for (key, items) in keys.into_iter().flatten() {
            out.push_str(if first { "- " } else { "  " });
            let _ = writeln!(out, "{key}:");
            for line in items.lines() {
                let _ = writeln!(out, "  {line}");
            }
            first = false;
        }
        if first {
            out.push_str("- {}\n");
        }
    }
    out
}

/// The ports as a block sequence (`- protocol: TCP`, then `port` and `endPort` when set).
fn ports_yaml(ports: &[NetworkPolicyPort]) -> String {
    let mut out = String::new();
    for p in ports {
        let _ = writeln!(out, "- protocol: {}", p.protocol);
        match &p.port {
            Some(PortRef::Number(n)) => {
                let _ = writeln!(out, "  port: {n}");
            }
            Some(PortRef::Named(name)) => {
                let _ = writeln!(out, "  port: {}", scalar(name));
            }
            None => {}
        }
        if let Some(e) = p.end_port {
            let _ = writeln!(out, "  endPort: {e}");
        }
    }
    out
}

/// The selector's value after its key: ` {}` for the empty selector, else its fields on the
/// following lines at `indent`.
fn selector_yaml(out: &mut String, indent: usize, sel: &LabelSelector) {
    let pad = " ".repeat(indent);
    if sel.is_empty() {
        out.push_str(" {}\n");
        return;
    }
    out.push('\n');
    if !sel.match_labels.is_empty() {
        let _ = writeln!(out, "{pad}matchLabels:");
        for (k, v) in &sel.match_labels {
            let _ = writeln!(out, "{pad}  {}: {}", scalar(k), scalar(v));
        }
    }
    if !sel.match_expressions.is_empty() {
        let _ = writeln!(out, "{pad}matchExpressions:");
        for r in &sel.match_expressions {
            let _ = writeln!(
                out,
                "{pad}- key: {}\n{pad}  operator: {}",
                scalar(&r.key),
                operator_name(r.operator)
            );
            if !r.values.is_empty() {
                let values: Vec<Cow<'_, str>> = r.values.iter().map(|v| scalar(v)).collect();
                let _ = writeln!(out, "{pad}  values: [{}]", values.join(", "));
            }
        }
    }
}

/// The operator as the Kubernetes API spells it.
fn operator_name(op: Operator) -> &'static str {
    match op {
        Operator::In => "In",
        Operator::NotIn => "NotIn",
        Operator::Exists => "Exists",
        Operator::DoesNotExist => "DoesNotExist",
    }
}

/// Words that YAML 1.1 or 1.2 reads as a boolean or null when plain (compared ignoring case).
const RESERVED: [&str; 9] = ["null", "true", "false", "yes", "no", "on", "off", "y", "n"];

/// `s` as a YAML scalar that reads back as the string `s`, in block and in flow context.
///
/// Plain only when it starts with a letter, uses the characters of label keys and values
/// (letters, digits, `-`, `_`, `.`, `/`) and is not a boolean or null word: such a scalar is a
/// string in YAML 1.1 and 1.2 alike (numbers, timestamps, `.inf` and `~` start otherwise). An
/// IPv4 CIDR (a digit first, then digits and dots with a `/`, as in `10.0.0.0/8`) is plain too: no number, timestamp,
/// boolean or null of either version has a `/`. Everything else is double-quoted, with escapes
/// for `"`, `\` and non-printable characters.
pub(crate) fn scalar(s: &str) -> Cow<'_, str> {
    let word = s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/'))
        && !RESERVED.iter().any(|w| w.eq_ignore_ascii_case(s));
    let cidr = s.starts_with(|c: char| c.is_ascii_digit())
        && s.contains('/')
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '/'));
    if word || cidr {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // YAML's printable characters, less U+0085 (a line break in YAML 1.1).
            ' '..='~' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'.. => {
                out.push(c)
            }
            c if (c as u32) <= 0xff => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
        }
    }
    out.push('"');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Protocol, Requirement};

    fn labels(pairs: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            match_expressions: vec![],
        }
    }

    fn pod_item(sel: LabelSelector) -> NetworkPolicyPeer {
        NetworkPolicyPeer {
            pod_selector: Some(sel),
            namespace_selector: None,
            ip_block: None,
            span: Default::default(),
        }
    }

    /// Each value next to how a YAML 1.1 reader (go-yaml v2, which Kubernetes tools use) would
    /// read it plain, and so how it must be written.
    #[test]
    fn scalars_are_quoted_when_plain_would_change_them() {
        let cases = [
            // Plain strings stay plain: label keys and values as Kubernetes allows them.
            ("web", "web"),
            ("app.kubernetes.io/name", "app.kubernetes.io/name"),
            ("v1.2-rc_3", "v1.2-rc_3"),
            ("yesterday", "yesterday"),
            // Empty: plain nothing is null.
            ("", r#""""#),
            // Booleans of YAML 1.1 (and 1.2), in any case.
            ("yes", r#""yes""#),
            ("No", r#""No""#),
            ("on", r#""on""#),
            ("OFF", r#""OFF""#),
            ("y", r#""y""#),
            ("n", r#""n""#),
            ("true", r#""true""#),
            ("False", r#""False""#),
            // Null.
            ("null", r#""null""#),
            ("~", r#""~""#),
            // Numbers: `01` is the integer 1 (octal in YAML 1.1), the others are numbers too.
            ("01", r#""01""#),
            ("1", r#""1""#),
            ("1.5", r#""1.5""#),
            ("0x1f", r#""0x1f""#),
            (".inf", r#"".inf""#),
            ("-1", r#""-1""#),
            // A colon and space makes a mapping; `#` after a space starts a comment; leading
            // indicators start other nodes; `,` and brackets end a flow item.
            ("a: b", r#""a: b""#),
            ("a #b", r#""a #b""#),
            ("#a", r##""#a""##),
            ("-a", r#""-a""#),
            ("*a", r#""*a""#),
            ("&a", r#""&a""#),
            ("!a", r#""!a""#),
            ("a,b", r#""a,b""#),
            ("[a]", r#""[a]""#),
            ("{a}", r#""{a}""#),
            (" a", r#"" a""#),
            // Escapes inside double quotes.
            (r#"say "hi""#, r#""say \"hi\"""#),
            (r"a\b", r#""a\\b""#),
            ("a\tb\nc", r#""a\tb\nc""#),
            ("\u{7}", r#""\x07""#),
            ("\u{85}", r#""\x85""#),
            ("é", r#""é""#),
            // IPv4 CIDRs stay plain; an address alone is a float to YAML 1.1's resolver, an
            // IPv6 CIDR has colons.
            ("10.0.0.0/8", "10.0.0.0/8"),
            ("172.17.1.0/24", "172.17.1.0/24"),
            ("10.0.0.1", r#""10.0.0.1""#),
            ("fd00::/8", r#""fd00::/8""#),
            ("/8", r#""/8""#),
        ];
        for (value, want) in cases {
            assert_eq!(scalar(value), want, "{value:?}");
        }
    }

    /// Whatever the value, the fragment reads back with the same keys and values.
    #[test]
    fn fragments_read_back_as_written() {
        let values = [
            "",
            "yes",
            "01",
            "true",
            "null",
            "~",
            "a: b",
            "#a",
            "\"q\"",
            "a\\b",
            "x\ny",
            "10.0.0.0/8",
            "10.0.0.1",
            "é",
        ];
        for v in values {
            let yaml = peers_yaml([&pod_item(labels(&[("k", v), (v, "k")]))]);
            let read: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
            let labels = &read[0]["podSelector"]["matchLabels"];
            assert_eq!(labels["k"].as_str(), Some(v), "{yaml}");
            assert_eq!(labels[v].as_str(), Some("k"), "{yaml}");
        }
    }

    #[test]
    fn match_expressions_use_the_api_operator_names() {
        let sel = LabelSelector {
            match_labels: Default::default(),
            match_expressions: [
                ("tier", Operator::In, vec!["01", "web"]),
                ("env", Operator::NotIn, vec!["yes", ""]),
                ("team", Operator::Exists, vec![]),
                ("legacy", Operator::DoesNotExist, vec![]),
            ]
            .into_iter()
            .map(|(key, operator, values)| Requirement {
                key: key.to_string(),
                operator,
                values: values.into_iter().map(str::to_string).collect(),
            })
            .collect(),
        };
        assert_eq!(
            peers_yaml([&pod_item(sel)]),
            "\
- podSelector:
    matchExpressions:
    - key: tier
      operator: In
      values: [\"01\", web]
    - key: env
      operator: NotIn
      values: [\"yes\", \"\"]
    - key: team
      operator: Exists
    - key: legacy
      operator: DoesNotExist
"
        );
    }

    fn port(protocol: Protocol, port: Option<PortRef>, end_port: Option<u16>) -> NetworkPolicyPort {
        NetworkPolicyPort {
            protocol,
            port,
            end_port,
            span: Default::default(),
        }
    }

    fn rule(peers: Vec<NetworkPolicyPeer>, ports: Vec<NetworkPolicyPort>) -> Rule {
        Rule {
            peers,
            ports,
            span: Default::default(),
        }
    }

    /// A split rule's two rules, and the merged rule with its keys in the order written.
    #[test]
    fn rules_are_written_with_their_keys_in_order() {
        let peers = rule(vec![pod_item(labels(&[("app", "web")]))], vec![]);
        let ports = rule(
            vec![],
            vec![
                port(Protocol::Tcp, Some(PortRef::Number(8080)), Some(8090)),
                port(Protocol::Udp, Some(PortRef::Named("dns".into())), None),
                port(Protocol::Sctp, None, None),
            ],
        );
        let ports_yaml = "ports:\n  - protocol: TCP\n    port: 8080\n    endPort: 8090\n  - protocol: UDP\n    port: dns\n  - protocol: SCTP\n";
        let from_yaml = "from:\n  - podSelector:\n      matchLabels:\n        app: web\n";
        assert_eq!(
            rules_yaml("from", [&peers, &ports], false),
            format!("- {from_yaml}- {ports_yaml}")
        );
        let merged = rule(peers.peers.clone(), ports.ports.clone());
        assert_eq!(
            rules_yaml("from", [&merged], false),
            format!("- {from_yaml}  {ports_yaml}")
        );
        assert_eq!(
            rules_yaml("from", [&merged], true),
            format!("- {ports_yaml}  {from_yaml}")
        );
        assert_eq!(rules_yaml("to", [&rule(vec![], vec![])], false), "- {}\n");
    }

    #[test]
    fn ip_block_items_are_written_with_their_exceptions() {
        let cidr = |addr: &str, prefix| crate::model::Cidr {
            addr: addr.parse().unwrap(),
            prefix,
        };
        let item = NetworkPolicyPeer {
            pod_selector: None,
            ip_block: Some(crate::model::IpBlock {
                cidr: cidr("172.17.0.0", 16),
                except: vec![crate::model::Except {
                    cidr: cidr("172.17.1.0", 24),
                    text: "172.17.1.0/24".into(),
                }],
                cidr_text: "172.17.0.0/16".into(),
            }),
            ..pod_item(LabelSelector::default())
        };
        let yaml = peers_yaml([&item]);
        assert_eq!(
            yaml,
            "- ipBlock:\n    cidr: 172.17.0.0/16\n    except:\n    - 172.17.1.0/24\n"
        );
        let read: serde_yaml::Value = serde_yaml::from_str(&yaml).unwrap();
        assert_eq!(
            read[0]["ipBlock"]["except"][0].as_str(),
            Some("172.17.1.0/24")
        );
    }

    #[test]
    fn an_item_with_both_selectors_is_one_list_entry() {
        let item = NetworkPolicyPeer {
            namespace_selector: Some(LabelSelector::default()),
            ..pod_item(labels(&[("app", "web")]))
        };
        assert_eq!(
            peers_yaml([&item]),
            "- namespaceSelector: {}\n  podSelector:\n    matchLabels:\n      app: web\n"
        );
    }
}
