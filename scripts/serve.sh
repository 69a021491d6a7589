#!/usr/bin/env bash
# Runs the playground at http://127.0.0.1:8080 (the app loads its default scenario itself).
#
# On a fresh Debian machine with only Rust it first installs what is missing and skips what is
# present: the wasm32 target, trunk, wasm-bindgen-cli at the exact version in Cargo.lock, and
# wasm-opt (npm package binaryen, via `npm ci`). Trunk never downloads anything: Trunk.toml sets
# `offline = true` and pins wasm_bindgen / wasm_opt to the versions these steps put on PATH.
#
# Usage: scripts/serve.sh [more trunk serve args]    env: ADDRESS (127.0.0.1), PORT (8080)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NETPOL_ROOT"

ensure_web_build_tools

step "trunk serve --release on http://${ADDRESS:-127.0.0.1}:${PORT:-8080}/"
exec trunk serve --release --address "${ADDRESS:-127.0.0.1}" --port "${PORT:-8080}" "$@"
