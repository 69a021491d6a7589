#!/usr/bin/env bash
# Fuzzes the whole pipeline (parse → validate → compile → matrix/explain → lints → AND/OR variants
# and their text edits → diff → share links) with generated hostile inputs for a time budget.
#
# Usage: scripts/fuzz.sh [SECONDS (default 600)] [SEED (default: the clock)]
# Prints each seed that broke an invariant (replay it with
# `cargo run -p netpol-fuzz --example replay SEED`) and exits 1 if any did.
# `scripts/test.sh` runs a short fixed-seed budget (`cargo test -p netpol-fuzz`).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NETPOL_ROOT"

step "cargo build --release -p netpol-fuzz"
cargo build --release -p netpol-fuzz
step "netpol-fuzz ${1:-600} s"
if [ $# -ge 2 ]; then
    exec target/release/netpol-fuzz "$1" "$2"
fi
exec target/release/netpol-fuzz "${1:-600}"
