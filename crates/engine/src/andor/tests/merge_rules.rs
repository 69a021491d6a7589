//! The split-rule variant: two ORed rules (one with only peers, one with only ports) merged into
//! one rule (AND). Expected flows follow the API reference: rules are ORed; in one rule a flow
//! must match a peer and a port; an empty `ports` matches every port, an empty `from`/`to` every
//! peer; a pod always reaches itself.

use super::model_of as model;
use super::names;
use crate::andor::{and_or_variants, apply_variant_text, Variant, VariantKind};
use crate::diff::PortDiff;
use crate::model::{Model, NetworkPolicy};

/// The one split-rule variant of `m`.
fn rule_merge(m: &Model) -> Variant {
    let mut vs: Vec<Variant> = and_or_variants(m)
        .into_iter()
        .filter(|v| matches!(v.kind, VariantKind::MergeRules { .. }))
        .collect();
    assert_eq!(vs.len(), 1, "{vs:?}");
    vs.remove(0)
}

/// Every changed port range as `PROTO FIRST-LAST: +gained -lost`.
fn changes(m: &Model, v: &Variant) -> Vec<String> {
    let range = |p: &PortDiff| format!("{} {}-{}", p.port.protocol, p.first, p.last);
    v.diff
        .ports
        .iter()
        .filter(|p| !p.gained.is_empty() || !p.lost.is_empty())
        .map(|p| {
            let mut s = range(p);
            s.push(':');
            for f in names(m, &p.gained) {
                s.push_str(&format!(" +{f}"));
            }
            for f in names(m, &p.lost) {
                s.push_str(&format!(" -{f}"));
            }
            s
        })
        .collect()
}

/// The policies with every span zeroed, to compare a parse of edited text with a variant.
fn without_spans(policies: &[NetworkPolicy]) -> Vec<NetworkPolicy> {
    let mut out = policies.to_vec();
    for p in &mut out {
        p.span = Default::default();
        for r in p.ingress.iter_mut().chain(&mut p.egress) {
            r.span = Default::default();
            r.peers.iter_mut().for_each(|x| x.span = Default::default());
            r.ports.iter_mut().for_each(|x| x.span = Default::default());
        }
    }
    out
}

/// The variant applied to `text` parses to the variant's policies.
fn assert_applies(cluster: &str, text: &str, v: &Variant, want: &str) {
    let merged = apply_variant_text(text, v).expect("the edit applies");
    assert_eq!(merged, want);
    assert_eq!(
        without_spans(&model(cluster, &merged).policies),
        without_spans(&v.policies(&model(cluster, text)))
    );
}

pub(super) const APP: &str =
    "namespaces:\n  app:\n    pods: {api: app=api, web: app=web, batch: app=batch}\n";

/// The stray dash before `ports:`, in block style with a comment in non-ASCII text.
pub(super) const INGRESS: &str = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector:
    matchLabels: {app: api}
  ingress:
  - from: # Zugriff für das Frontend
    - podSelector:
        matchLabels: {app: web}
  - ports: # nur 8080 ✓
    - port: 8080
";

/// Now web reaches api on every port (ingress[0]) and every pod on TCP 8080 (ingress[1]);
/// merged, only web on TCP 8080. So batch → api is lost on TCP 8080, web → api on every other
/// port of every protocol, and nothing is gained.
#[test]
fn merging_a_split_ingress_rule_loses_the_or_flows() {
    let m = model(APP, INGRESS);
    let v = rule_merge(&m);
    assert_eq!(
        v.kind,
        VariantKind::MergeRules {
            peers_rule: 0,
            ports_rule: 1
        }
    );
    assert_eq!(v.rule, 0);
    assert_eq!(
        changes(&m, &v),
        [
            "TCP 1-8079: -app/web -> app/api",
            "TCP 8080-8080: -app/batch -> app/api",
            "TCP 8081-65535: -app/web -> app/api",
            "UDP 1-65535: -app/web -> app/api",
            "SCTP 1-65535: -app/web -> app/api",
        ]
    );
    assert_eq!(
        v.current_meaning,
        "OR: two rules: from pods labelled app=web in namespace app on every port, plus TCP 8080 from every source"
    );
    assert_eq!(
        v.variant_meaning,
        "AND: one rule: from pods labelled app=web in namespace app on TCP 8080"
    );
    assert_eq!(
        v.current_yaml,
        "- from:\n  - podSelector:\n      matchLabels:\n        app: web\n- ports:\n  - protocol: TCP\n    port: 8080\n"
    );
    assert_eq!(
        v.variant_yaml,
        "- from:\n  - podSelector:\n      matchLabels:\n        app: web\n  ports:\n  - protocol: TCP\n    port: 8080\n"
    );
    assert_applies(
        APP,
        INGRESS,
        &v,
        &INGRESS.replace("  - ports: # nur", "    ports: # nur"),
    );
}

pub(super) const EXTERNAL: &str = "\
namespaces:
  app:
    pods: {api: app=api, db: app=db}
externals:
  ext: 192.0.2.10
  other: 198.51.100.7
";

/// Ports first, then `to` (the stray dash before `to:`), in egress, with one-line flow rules.
pub(super) const EGRESS: &str = "\
kind: NetworkPolicy
apiVersion: networking.k8s.io/v1
metadata: {name: api, namespace: app}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress:
  - {ports: [{protocol: UDP, port: 5353}]}
  - {to: [{ipBlock: {cidr: 192.0.2.0/24}}]}
";

/// Now api reaches every destination on UDP 5353 (egress[0]) and ext on every port
/// (egress[1]); merged, only ext on UDP 5353. So db and other are lost on UDP 5353, ext on
/// every other port of every protocol; api → api stays (a pod reaches itself).
#[test]
fn merging_a_split_egress_rule_written_ports_first() {
    let m = model(EXTERNAL, EGRESS);
    let v = rule_merge(&m);
    assert_eq!(
        v.kind,
        VariantKind::MergeRules {
            peers_rule: 1,
            ports_rule: 0
        }
    );
    assert_eq!(
        changes(&m, &v),
        [
            "TCP 1-65535: -app/api -> ext",
            "UDP 1-5352: -app/api -> ext",
            "UDP 5353-5353: -app/api -> app/db -app/api -> other",
            "UDP 5354-65535: -app/api -> ext",
            "SCTP 1-65535: -app/api -> ext",
        ]
    );
    assert_eq!(
        v.current_meaning,
        "OR: two rules: UDP 5353 to every destination, plus to ipBlock 192.0.2.0/24 on every port"
    );
    assert_eq!(
        v.variant_meaning,
        "AND: one rule: to ipBlock 192.0.2.0/24 on UDP 5353"
    );
    assert_eq!(
        v.variant_yaml,
        "- ports:\n  - protocol: UDP\n    port: 5353\n  to:\n  - ipBlock:\n      cidr: 192.0.2.0/24\n"
    );
    assert_applies(
        EXTERNAL,
        EGRESS,
        &v,
        &EGRESS.replace(
            "port: 5353}]}\n  - {to: [{ipBlock: {cidr: 192.0.2.0/24}}]}\n",
            "port: 5353}], to: [{ipBlock: {cidr: 192.0.2.0/24}}]}\n",
        ),
    );
}

/// When another policy already allows what the split rule adds, the merge changes nothing: rules
/// of all policies selecting a pod are ORed. The variant is listed, without effect.
#[test]
fn a_merge_without_effect_is_listed() {
    let text = format!(
        "{INGRESS}---\nkind: NetworkPolicy\napiVersion: networking.k8s.io/v1\nmetadata: {{name: all, namespace: app}}\nspec:\n  podSelector: {{}}\n  ingress: [{{}}]\n"
    );
    let v = rule_merge(&model(APP, &text));
    assert!(v.no_effect(), "{:?}", v.diff);
}

/// A DNS-only ports rule next to a peers rule is deliberate (the split-rule lint leaves it
/// alone), and so is not a variant.
#[test]
fn dns_only_ports_rules_are_not_merged() {
    let text = INGRESS.replace("- port: 8080", "- {port: 53, protocol: UDP}");
    let vs = and_or_variants(&model(APP, &text));
    assert!(vs.is_empty(), "{vs:?}");
}
