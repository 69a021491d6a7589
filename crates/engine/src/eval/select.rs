//! Selecting endpoints in bulk: the pods of each namespace and each namespace's labels, looked up
//! once per compile, so that a podSelector only visits the pods of its namespace and a
//! namespaceSelector is matched once per namespace, not once per pod.

use std::collections::HashMap;
use std::net::IpAddr;
use std::ops::Range;

use super::compiled::{Compiled, NamespaceIndex};
use super::Bits;
use crate::model::{Cidr, IpBlock, LabelSelector, Labels, NetworkPolicy, NetworkPolicyPeer};

impl NamespaceIndex {
    /// Indexes the pods of `c` by namespace.
    pub(super) fn new(c: &Compiled) -> Self {
        let mut index = NamespaceIndex {
            label_set: vec![0; c.endpoints.len()],
            ..NamespaceIndex::default()
        };
        let mut sets: HashMap<&Labels, usize> = HashMap::new();
        for e in 0..c.endpoints.len() {
            index.ips.extend(c.ips(e).iter().map(|&ip| (ip, e)));
            let Some(pod) = c.pod(e) else { continue };
            let next = sets.len();
            let set = *sets.entry(&pod.labels).or_insert(next);
            if set == index.label_sets.len() {
                index.label_sets.push(pod.labels.clone());
            }
            index.label_set[e] = set;
            let ns = pod.namespace.as_str();
            let i = match index.by_name.get(ns) {
                Some(&i) => i,
                None => {
                    let i = index.namespaces.len();
                    index.by_name.insert(ns.to_string(), i);
                    let labels = c.namespace_labels(ns).into_owned();
                    index.namespaces.push((Vec::new(), labels));
                    i
                }
            };
            index.namespaces[i].0.push(e);
        }
        index.ips.sort_unstable();
        index
    }

    /// The run of `ips` inside `cidr`.
    fn cidr_run(&self, cidr: &Cidr) -> Range<usize> {
        let (first, last) = match cidr.addr {
            IpAddr::V4(net) => {
                let shift = 32 - u32::from(cidr.prefix.min(32));
                let mask = u32::MAX.checked_shl(shift).unwrap_or(0);
                let first = u32::from(net) & mask;
                (
                    IpAddr::from(first.to_be_bytes()),
                    IpAddr::from((first | !mask).to_be_bytes()),
                )
            }
            IpAddr::V6(net) => {
                let shift = 128 - u32::from(cidr.prefix.min(128));
                let mask = u128::MAX.checked_shl(shift).unwrap_or(0);
                let first = u128::from(net) & mask;
                (
                    IpAddr::from(first.to_be_bytes()),
                    IpAddr::from((first | !mask).to_be_bytes()),
                )
            }
        };
        let start = self.ips.partition_point(|(ip, _)| *ip < first);
        let end = self.ips.partition_point(|(ip, _)| *ip <= last);
        start..end.max(start)
    }

    /// The endpoints with an address in `block`: its CIDR's run of addresses without the runs
    /// of its `except` CIDRs.
    fn ip_block_bits(&self, block: &IpBlock, n: usize) -> Bits {
        let mut bits = Bits::empty(n);
        let run = self.cidr_run(&block.cidr);
        let mut excepted: Vec<Range<usize>> = block
            .except
            .iter()
            .map(|x| self.cidr_run(&x.cidr))
            .collect();
        excepted.sort_unstable_by_key(|r| r.start);
        let mut next = run.start;
        for x in excepted.iter().chain([&(run.end..run.end)]) {
            for &(_, e) in self.ips.get(next..x.start.min(run.end)).unwrap_or_default() {
                bits.set(e);
            }
            next = next.max(x.end);
        }
        bits
    }

    /// Whether `selector` matches the labels of pod `e`, matched once per distinct label set
    /// (the first time a pod with that set is asked about).
    fn label_set_matcher<'a>(
        &'a self,
        selector: &'a LabelSelector,
    ) -> impl FnMut(usize) -> bool + 'a {
        let mut known: Vec<Option<bool>> = vec![None; self.label_sets.len()];
        move |e| {
            let set = self.label_set[e];
            *known[set].get_or_insert_with(|| selector.matches(&self.label_sets[set]))
        }
    }

    /// The pods (endpoint indices) of namespace `ns`.
    pub(super) fn pods(&self, ns: &str) -> &[usize] {
        self.by_name
            .get(ns)
            .map_or(&[], |&i| self.namespaces[i].0.as_slice())
    }
}

impl Compiled {
    /// The endpoints `peer` of `policy` selects, as `peer_matches` decides one at a time.
    pub(crate) fn peer_bits(&self, policy: &NetworkPolicy, peer: &NetworkPolicyPeer) -> Bits {
        let n = self.endpoints.len();
        let mut bits = Bits::empty(n);
        let index = &self.namespace_index;
        if let Some(block) = &peer.ip_block {
            return index.ip_block_bits(block, n);
        }
        // The podSelector, matched once per distinct label set it meets.
        let mut matches = peer
            .pod_selector
            .as_ref()
            .map(|s| index.label_set_matcher(s));
        let mut add = |pods: &[usize]| {
            for &e in pods {
                if matches.as_mut().is_none_or(|m| m(e)) {
                    bits.set(e);
                }
            }
        };
        match &peer.namespace_selector {
            None => add(index.pods(&policy.namespace)),
            Some(sel) => {
                for (pods, labels) in &index.namespaces {
                    if sel.matches(labels) {
                        add(pods);
                    }
                }
            }
        }
        bits
    }

    /// The pods `policy`'s podSelector selects (whatever its policyTypes).
    pub(crate) fn policy_selects<'a>(
        &'a self,
        policy: &'a NetworkPolicy,
    ) -> impl Iterator<Item = usize> + 'a {
        let index = &self.namespace_index;
        let mut matches = index.label_set_matcher(&policy.pod_selector);
        index
            .pods(&policy.namespace)
            .iter()
            .copied()
            .filter(move |&e| matches(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::compile;
    use crate::eval::compiled::ip_block_contains;
    use crate::model::Except;
    use crate::{parse, Input};

    fn cidr(text: &str) -> Cidr {
        let (addr, prefix) = text.split_once('/').expect("a CIDR");
        Cidr {
            addr: addr.parse().expect("an address"),
            prefix: prefix.parse().expect("a prefix length"),
        }
    }

    /// The runs of the sorted addresses select what `ip_block_contains` selects one address at a
    /// time (the rule explanations use), at the edges of each CIDR, for pods with two
    /// addresses, both families, unmasked network addresses and overlapping `except` entries.
    #[test]
    fn ip_block_runs_select_what_each_address_matches() {
        let cluster = "\
namespaces:
  app:
    pods: {a: x=1, b: x=1, c: x=2}
externals:
  zero: 0.0.0.0
  top: 255.255.255.255
  below: 9.255.255.255
  first: 10.0.0.0
  last: 10.0.0.255
  next: 10.0.1.0
  seven: 10.0.0.7
  v6zero: '::'
  v6one: '::1'
  ula: fd00::1
  v6top: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
";
        let (mut model, diags) = parse(&[Input {
            name: "c",
            text: cluster,
        }]);
        assert!(diags.is_empty(), "{diags:?}");
        let addresses = [
            ["10.0.0.7", "fd00::2"],
            ["10.0.0.7", "10.0.1.0"],
            ["::1", "::1"],
        ];
        for (pod, ips) in model.pods.iter_mut().zip(addresses) {
            pod.ips = ips
                .iter()
                .map(|ip| ip.parse().expect("an address"))
                .collect();
        }
        let c = compile(model);
        let cidrs = [
            "0.0.0.0/0",
            "10.0.0.0/8",
            "10.0.0.0/24",
            "10.0.0.9/24",
            "10.0.0.255/32",
            "10.0.0.7/32",
            "::/0",
            "fd00::/8",
            "::1/128",
        ];
        let mut blocks = 0;
        for outer in cidrs {
            for excepts in [
                &[][..],
                &["10.0.0.0/24"],
                &["10.0.0.7/32", "10.0.0.0/30"],
                &["fd00::/16", "::1/128"],
            ] {
                let block = IpBlock {
                    cidr: cidr(outer),
                    except: excepts
                        .iter()
                        .map(|x| Except {
                            cidr: cidr(x),
                            text: x.to_string(),
                        })
                        .collect(),
                    cidr_text: outer.to_string(),
                };
                let n = c.endpoints.len();
                let bits = c.namespace_index.ip_block_bits(&block, n);
                for e in 0..n {
                    let one = c.ips(e).iter().any(|ip| ip_block_contains(&block, ip));
                    assert_eq!(
                        bits.get(e),
                        one,
                        "{outer} except {excepts:?}: {}",
                        c.endpoints[e].name
                    );
                }
                blocks += usize::from(!bits.is_empty());
            }
        }
        assert!(blocks > 20, "most blocks select something: {blocks}");
    }
}
