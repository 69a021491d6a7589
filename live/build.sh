#!/usr/bin/env bash
# Builds the live-blocks bundle: live/pkg/netpol_live.js + netpol_live_bg.wasm (wasm-bindgen
# --target web), shrunk with wasm-opt -Oz when it is available (npm binaryen, node_modules/.bin).
# Idempotent; works from any directory. Needs the wasm32 target and wasm-bindgen-cli at the
# version in Cargo.lock (scripts/lib.sh's ensure_wasm_target / ensure_wasm_bindgen_cli install them).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$root/node_modules/.bin:$PATH"

want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)"
have="$(wasm-bindgen --version 2>/dev/null || true)"
if [ "$have" != "wasm-bindgen $want" ]; then
    echo "error: need wasm-bindgen-cli $want (Cargo.lock), found '${have:-none}':" >&2
    echo "  cargo install wasm-bindgen-cli --version $want" >&2
    exit 1
fi

target_dir="${CARGO_TARGET_DIR:-$root/target}"
cargo build -p netpol-live --target wasm32-unknown-unknown --profile wasm-release
rm -rf live/pkg
wasm-bindgen --target web --no-typescript --out-dir live/pkg \
    "$target_dir/wasm32-unknown-unknown/wasm-release/netpol_live.wasm"

wasm="live/pkg/netpol_live_bg.wasm"
if command -v wasm-opt >/dev/null 2>&1; then
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
        --enable-sign-ext --enable-mutable-globals --enable-reference-types \
        "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
else
    echo "note: wasm-opt not found (npm ci at the repository root installs it); bundle not shrunk" >&2
fi

raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
printf 'live bundle: %s: %d bytes raw (%d KiB), %d bytes gzip -9 (%d KiB)\n' \
    "$wasm" "$raw" $((raw / 1024)) "$gz" $((gz / 1024))
