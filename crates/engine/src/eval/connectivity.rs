//! Every allowed flow over every port: a sweep over the ports where a verdict can change, one
//! protocol at a time, that keeps only the rows that change at each port, then walks the sources
//! in name order and hands out each source's flows as soon as they are known.

use std::collections::HashMap;

use super::{Bits, Compiled, Connection, Endpoint, Matrix};
use crate::ids::EndpointId;
use crate::model::{PortProto, Protocol};

/// Distinct matrices kept at once while sweeping the ports of one protocol; each costs
/// endpoints² bits, and the sweep rarely returns to an older signature.
const MATRIX_CACHE: usize = 4;

/// One protocol's sweep: per source, the first port of every step where its row changes, and
/// the bits that change there.
type Steps = Vec<Vec<(u16, Bits)>>;

impl Compiled {
    /// Every allowed flow over every port and protocol, as maximal port ranges, sorted by
    /// source name, destination name and protocol name (bytewise). Flows between two external
    /// endpoints are not cluster flows and are left out.
    pub fn connectivity(&self) -> Vec<Connection> {
        let mut conns = Vec::new();
        self.for_each_connection(|c| conns.push(c));
        conns
    }

    /// [`Compiled::connectivity`], one connection at a time and in the same order, without
    /// keeping them: memory grows with the changes between ports, not with the output.
    pub fn for_each_connection(&self, mut f: impl FnMut(Connection)) {
        let n = self.endpoints.len();
        // Ranks by name, so that sorting integers sorts the output bytewise.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| self.endpoints[a].name.cmp(&self.endpoints[b].name));
        let mut rank = vec![0u32; n];
        for (r, &e) in order.iter().enumerate() {
            rank[e] = r as u32;
        }
        let mut protocols = Protocol::ALL;
        protocols.sort_by_key(|p| p.as_str());
        let steps: Vec<Steps> = protocols.iter().map(|&p| self.sweep(p)).collect();
        let is_pod: Vec<bool> = self.endpoints.iter().map(Endpoint::is_pod).collect();
        let mut open: Vec<u16> = vec![0; n];
        // (destination rank, protocol rank, first port, last port) of one source.
        let mut ranges: Vec<(u32, u8, u16, u16)> = Vec::new();
        for &s in &order {
            ranges.clear();
            for (pr, steps) in steps.iter().enumerate() {
                let mut row = Bits::empty(n);
                for (lo, changed) in &steps[s] {
                    for d in changed.ones() {
                        if !is_pod[s] && !is_pod[d] {
                            continue;
                        }
                        if row.get(d) {
                            ranges.push((rank[d], pr as u8, open[d], lo - 1));
                        } else {
                            open[d] = *lo;
                        }
                    }
                    for (a, b) in row.0.iter_mut().zip(&changed.0) {
                        *a ^= b;
                    }
                }
                // Close what is still open at 65535.
                for d in row.ones() {
                    if is_pod[s] || is_pod[d] {
                        ranges.push((rank[d], pr as u8, open[d], u16::MAX));
                    }
                }
            }
            ranges.sort_unstable();
            let mut current: Option<Connection> = None;
            for &(d, pr, lo, hi) in &ranges {
                let (to, protocol) = (EndpointId(order[d as usize]), protocols[pr as usize]);
                match &mut current {
                    Some(c) if c.to == to && c.protocol == protocol => c.ports.push((lo, hi)),
                    _ => {
                        if let Some(c) = current.take() {
                            f(c);
                        }
                        current = Some(Connection {
                            from: EndpointId(s),
                            to,
                            protocol,
                            ports: vec![(lo, hi)],
                        });
                    }
                }
            }
            if let Some(c) = current {
                f(c);
            }
        }
    }

    /// The rows of `protocol`'s matrices that change from one breakpoint to the next (from
    /// nothing allowed before the first), per source. A few matrices are cached by signature and
    /// dropped when the cache is full.
    fn sweep(&self, protocol: Protocol) -> Steps {
        let n = self.endpoints.len();
        let mut steps: Steps = vec![Vec::new(); n];
        let mut prev: Vec<Bits> = vec![Bits::empty(n); n];
        let mut cache: HashMap<Vec<bool>, Matrix> = HashMap::new();
        for lo in self.breakpoints(protocol) {
            let pp = PortProto { port: lo, protocol };
            let signature = self.signature(pp);
            if !cache.contains_key(&signature) && cache.len() >= MATRIX_CACHE {
                cache.clear();
            }
            let matrix = cache.entry(signature).or_insert_with(|| self.matrix(pp));
            for (s, (row, before)) in matrix.rows.iter().zip(&mut prev).enumerate() {
                if row == before {
                    continue;
                }
                let mut changed = row.clone();
                for (a, b) in changed.0.iter_mut().zip(&before.0) {
                    *a ^= b;
                }
                steps[s].push((lo, changed));
                before.clone_from(row);
            }
        }
        steps
    }
}
