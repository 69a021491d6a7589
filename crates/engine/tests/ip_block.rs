//! `ipBlock` on a hand-built model: every `except` entry carries its own text, so explanations
//! name the entry that matched, whatever the model's author put in it.

use netpol_engine::model::{Cidr, Except, IpBlock, NetworkPolicyPeer, Rule, Span};
use netpol_engine::{compile, parse, Input, PortProto};

fn except(text: &str) -> Except {
    let (addr, prefix) = text.split_once('/').expect("a CIDR");
    Except {
        cidr: Cidr {
            addr: addr.parse().expect("an address"),
            prefix: prefix.parse().expect("a prefix length"),
        },
        text: text.to_string(),
    }
}

#[test]
fn the_explanation_names_the_except_entry_that_matched() {
    let cluster = "namespaces:\n  app:\n    pods: {db: app=db}\nexternals:\n  office: 10.0.2.5\n";
    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: app}
spec:
  podSelector: {}
  ingress:
  - from: [{podSelector: {}}]
";
    let (mut model, diags) = parse(&[
        Input {
            name: "cluster.yaml",
            text: cluster,
        },
        Input {
            name: "policy.yaml",
            text: policy,
        },
    ]);
    assert!(diags.is_empty(), "{diags:?}");
    // The peer becomes an ipBlock written by hand: 10.0.0.0/16 except two /24s.
    model.policies[0].ingress = vec![Rule {
        peers: vec![NetworkPolicyPeer {
            pod_selector: None,
            namespace_selector: None,
            ip_block: Some(IpBlock {
                cidr: except("10.0.0.0/16").cidr,
                except: vec![except("10.0.1.0/24"), except("10.0.2.0/24")],
                cidr_text: "10.0.0.0/16".to_string(),
            }),
            span: Span::default(),
        }],
        ports: vec![],
        span: Span::default(),
    }];
    let index = compile(model.clone());
    let office = index.endpoint("office").expect("the external");
    let db = index.endpoint("app/db").expect("the pod");
    let port = PortProto::parse("5432/TCP").expect("a port");
    // 10.0.2.5 lies in the second except entry, so the ipBlock does not select it.
    assert!(!index.matrix(port).allowed(office, db));
    let text = index.explain(office, db, port).sentences().join("\n");
    assert!(text.contains("excepts 10.0.2.0/24"), "{text}");
    assert!(!text.contains("excepts 10.0.1.0/24"), "{text}");
}
