//! Selecting endpoints in bulk: the pods of each namespace and each namespace's labels, looked up
//! once per compile, so that a podSelector only visits the pods of its namespace and a
//! namespaceSelector is matched once per namespace, not once per pod.

use std::collections::HashMap;

use super::compiled::{ip_block_contains, Compiled, NamespaceIndex};
use super::Bits;
use crate::model::{IpBlock, LabelSelector, Labels, NetworkPolicy, NetworkPolicyPeer};

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
        index
    }

    /// The endpoints with an address in `block`.
    fn ip_block_bits(&self, block: &IpBlock, n: usize) -> Bits {
        let mut bits = Bits::empty(n);
        for (ip, e) in &self.ips {
            if ip_block_contains(block, ip) {
                bits.set(*e);
            }
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
