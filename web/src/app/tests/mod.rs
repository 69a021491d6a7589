//! Native tests of the core driven through `update`, as the shell drives it: the playground
//! (`playground.rs`), the diff tabs (`diff.rs`), the Learn side (`learn.rs`), the effects
//! (`effects.rs`) and the Why? panel (`why.rs`).

mod diff;
mod effects;
mod exercise;
mod learn;
mod manifests;
mod order;
mod page;
mod playground;
mod tiered;
mod why;

use super::{update, Event, State, ViewModel};

fn state() -> State {
    State::new(netpol_examples::all())
}

/// Applies the events in order, dropping their effects.
fn run(s: &mut State, events: impl IntoIterator<Item = Event>) {
    for e in events {
        update(s, e);
    }
}

/// The `data-verdict` of the matrix cell `from` → `to`.
fn verdict(vm: &ViewModel, from: &str, to: &str) -> &'static str {
    let m = vm.matrix.as_ref().expect("a matrix");
    let i = |name: &str| {
        m.headers
            .iter()
            .position(|h| h.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
    };
    m.cell(i(from), i(to)).mark.verdict()
}
