#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the wasm32 build of the engine, the Rust
# tests, the CLI on a bundled example, the benchmarks' build, and the playground's tests.
# Works from any directory; installs what is missing (rustfmt/clippy, the wasm32 target, ...).
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NETPOL_ROOT"

ensure_rust_components
ensure_wasm_target

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (host, every target)"
cargo clippy --workspace --all-targets -- -D warnings

step "no import cycles between files (scripts/import_cycles.py)"
ensure_python3
python3 scripts/import_cycles.py crates/engine/src crates/cli/src web/src

step "cargo clippy (engine, $WASM_TARGET)"
cargo clippy -p netpol-engine --target "$WASM_TARGET" -- -D warnings

step "cargo build (engine, $WASM_TARGET)"
cargo build -p netpol-engine --target "$WASM_TARGET"

step "cargo test"
cargo test --workspace --exclude netpol-e2e

step "netpol CLI on the upstream e2e model"
data=crates/cli/tests/data
netpol() { cargo run -q -p netpol-cli -- "$@"; }
netpol check "$data/e2e-model.yaml" "$data/allow-x-a-from-x-b.yaml"
netpol matrix "$data/e2e-model.yaml" "$data/allow-x-a-from-x-b.yaml" --port 80/TCP
netpol explain "$data/e2e-model.yaml" "$data/allow-x-a-from-x-b.yaml" --from x/b --to x/a --port 80/TCP
expect_exit 1 netpol explain "$data/e2e-model.yaml" "$data/allow-x-a-from-x-b.yaml" --from y/b --to x/a --port 80/TCP
netpol connectivity "$data/e2e-model.yaml" "$data/allow-x-a-named-port-81.yaml" | grep -F 'x/b -> x/a : TCP 81'
expect_exit 2 netpol check "$data/e2e-model.yaml" "$data/broken.yaml"

step "benchmarks build (cargo bench --no-run)"
cargo bench -p netpol-engine --no-run

# --- web (playground) tests ---
# Component tests (wasm-bindgen-test in headless Chromium, configured by .cargo/config.toml and
# webdriver.json), clippy for wasm, the release build with trunk (wasm sizes printed), then the
# end-to-end tests driving that build in headless Chromium through chromedriver.
ensure_chromium
ensure_web_build_tools

step "cargo clippy (netpol-share, netpol-live, $WASM_TARGET)"
cargo clippy -p netpol-share -p netpol-live --target "$WASM_TARGET" -- -D warnings

step "live blocks bundle (live/build.sh)"
live/build.sh

step "cargo test (netpol-web, $WASM_TARGET, headless Chromium)"
cargo test -p netpol-web --target "$WASM_TARGET"

step "cargo clippy (netpol-web, $WASM_TARGET; with the in-page core and without: the release page)"
cargo clippy -p netpol-web --target "$WASM_TARGET" --all-targets -- -D warnings
cargo clippy -p netpol-web --target "$WASM_TARGET" --no-default-features -- -D warnings

step "trunk build --release"
trunk build --release
print_wasm_sizes "$NETPOL_ROOT/dist"
# The page and the worker that runs its core (index.html has a trunk link for each).
for f in netpol-worker_bg.wasm netpol-worker_loader.js; do
    [ -e "$NETPOL_ROOT/dist/$f" ] || die "dist/$f is missing: the playground's worker was not built"
done

step "end-to-end tests (netpol-e2e: dist/ in headless Chromium)"
NETPOL_DIST="$NETPOL_ROOT/dist" cargo test -p netpol-e2e -- --nocapture

step "all tests passed"
