//! Selecting endpoints in bulk: the pods of each namespace and each namespace's labels, looked up
//! once per compile, so that a podSelector only visits the pods of its namespace and a
//! namespaceSelector is matched once per namespace, not once per pod.

use std::collections::HashMap;

use super::compiled::{ip_block_contains, Compiled, NamespaceIndex};
use super::Bits;
use crate::model::{Labels, NetworkPolicy, NetworkPolicyPeer};

impl NamespaceIndex {
    /// Indexes the pods of `c` by namespace.
    pub(super) fn new(c: &Compiled) -> Self {
        let mut index = NamespaceIndex {
            label_set: vec![0; c.endpoints.len()],
            ..NamespaceIndex::default()
        };
        let mut sets: HashMap<&Labels, usize> = HashMap::new();
        for e in 0..c.endpoints.len() {
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
        if let Some(block) = &peer.ip_block {
            for e in 0..n {
                if self.ips(e).iter().any(|ip| ip_block_contains(block, ip)) {
                    bits.set(e);
                }
            }
            return bits;
        }
        let index = &self.namespace_index;
        // The podSelector, matched once per distinct label set.
        let labels_ok: Option<Vec<bool>> = peer
            .pod_selector
            .as_ref()
            .map(|s| index.label_sets.iter().map(|l| s.matches(l)).collect());
        let mut add = |pods: &[usize]| {
            for &e in pods {
                if labels_ok.as_ref().is_none_or(|ok| ok[index.label_set[e]]) {
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
    pub(crate) fn policy_selects(
        &self,
        policy: &NetworkPolicy,
    ) -> impl Iterator<Item = usize> + '_ {
        let selector = policy.pod_selector.clone();
        self.namespace_index
            .pods(&policy.namespace)
            .iter()
            .copied()
            .filter(move |&e| self.pod(e).is_some_and(|p| selector.matches(&p.labels)))
    }
}
