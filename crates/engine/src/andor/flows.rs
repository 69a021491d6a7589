//! The flows an AND/OR variant changes, kept as bitsets per port group and listed only when
//! asked: a variant on a large cluster can change millions of flows, and the listing of each
//! port range is the same bits read again.

use serde::Serialize;

use crate::diff::{Diff, FlowChange, PortDiff};
use crate::eval::{ChangedRows, Compiled, LostFlows, RuleChange, VariantPorts};
use crate::ids::EndpointId;
use crate::model::PortProto;

/// The flows one variant changes, port range by port range: the ranges of [`Diff::ports`]
/// (every range that changes and every port that matters), with counts, and the flows
/// themselves on demand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VariantFlows {
    ports: Vec<PortChanges>,
    /// The changed flows of each group of port ranges with the same verdicts.
    groups: Vec<ChangedRows>,
}

/// One port range of a [`VariantFlows`]: how many flows it gains and loses; the flows are
/// listed by [`VariantFlows::for_each_flow`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PortChanges {
    /// The port to show for the range: a port that matters inside it, else its first port.
    pub port: PortProto,
    /// The range, inclusive: every port in it has the same changes.
    pub first: u16,
    /// The last port of the range.
    pub last: u16,
    /// How many flows are denied before and allowed after.
    pub gained: usize,
    /// How many flows are allowed before and denied after.
    pub lost: usize,
    /// Cluster flows with the same verdict before and after.
    pub unchanged: usize,
    #[serde(skip)]
    group: usize,
}

impl VariantFlows {
    /// The flows `change` alters on `c`, over the ranges of `ports`.
    pub(crate) fn new(c: &Compiled, ports: &VariantPorts, change: &RuleChange) -> Self {
        let groups: Vec<ChangedRows> = (0..ports.groups())
            .map(|g| c.changed_rows(ports, g, change))
            .collect();
        let n = c.endpoints().len();
        let externals = c.endpoints().iter().filter(|e| !e.is_pod()).count();
        let ports = ports
            .ranges
            .iter()
            .filter_map(|r| {
                let rows = &groups[r.group];
                let changed = rows.gained() + rows.lost();
                (changed > 0 || r.matters).then_some(PortChanges {
                    port: r.port,
                    first: r.first,
                    last: r.last,
                    gained: rows.gained(),
                    lost: rows.lost(),
                    unchanged: n * n - externals * externals - changed,
                    group: r.group,
                })
            })
            .collect();
        VariantFlows { ports, groups }
    }

    /// The port ranges, by protocol then port.
    pub fn ports(&self) -> &[PortChanges] {
        &self.ports
    }

    /// True when the variant allows exactly the same flows on this cluster.
    pub fn is_empty(&self) -> bool {
        self.ports.iter().all(|p| p.gained == 0 && p.lost == 0)
    }

    /// Calls `f(from, to)` for every flow of `port` (one of [`VariantFlows::ports`]) that is
    /// gained (`gained`) or lost, in the order of [`Diff`]: by source, then destination.
    pub fn for_each_flow(
        &self,
        port: &PortChanges,
        gained: bool,
        mut f: impl FnMut(EndpointId, EndpointId),
    ) {
        self.groups[port.group].for_each(gained, |from, to| f(EndpointId(from), EndpointId(to)));
    }

    /// The flows as a [`Diff`] (without explanations).
    pub fn to_diff(&self) -> Diff {
        let list = |p: &PortChanges, gained: bool| {
            let mut out = Vec::with_capacity(if gained { p.gained } else { p.lost });
            self.for_each_flow(p, gained, |from, to| {
                out.push(FlowChange {
                    from,
                    to,
                    before: None,
                    after: None,
                });
            });
            out
        };
        Diff {
            ports: self
                .ports
                .iter()
                .map(|p| PortDiff {
                    port: p.port,
                    first: p.first,
                    last: p.last,
                    gained: list(p, true),
                    lost: list(p, false),
                    unchanged: p.unchanged,
                })
                .collect(),
        }
    }

    /// The distinct flows lost on any port range.
    pub(crate) fn lost_flows(&self) -> LostFlows {
        let mut lost = LostFlows::default();
        for rows in &self.groups {
            rows.add_lost(&mut lost);
        }
        lost
    }
}
