# shellcheck shell=bash
# Shared set-up helpers for scripts/test.sh and scripts/serve.sh. Source it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# It sets NETPOL_ROOT (the repository root) and puts cargo's and npm's bin directories on PATH.
# Every ensure_* helper is idempotent: it checks first and only installs what is missing. Our
# machines reach only the package registries (crates.io, npm, Debian), so every tool comes from
# one of those; see the toolchain notes for the verified recipes.

NETPOL_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export NETPOL_ROOT

# Rust installed by rustup in a fresh shell: make cargo visible.
if ! command -v cargo >/dev/null 2>&1 && [ -f "$HOME/.cargo/env" ]; then
    # shellcheck source=/dev/null
    . "$HOME/.cargo/env"
fi
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$NETPOL_ROOT/node_modules/.bin:$PATH"
# Trunk cannot reach its update server from here.
export TRUNK_SKIP_VERSION_CHECK=true

# Pinned tool versions.
TRUNK_VERSION="0.22.1"
WASM_TARGET="wasm32-unknown-unknown"

# step "title": a visible header for each stage of a script.
step() {
    printf '\n\033[1m==> %s\033[0m\n' "$*" >&2
}

die() {
    printf 'error: %s\n' "$*" >&2
    exit 1
}

# as_root CMD...: runs CMD as root (directly, or through sudo).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run: $* (install it by hand, or run as root)"
    fi
}

# apt_install PKG...: installs Debian packages (one `apt-get update` per script run).
_NETPOL_APT_UPDATED=""
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install by hand: $*"
    if [ -z "$_NETPOL_APT_UPDATED" ]; then
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
        _NETPOL_APT_UPDATED=1
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}

ensure_cargo() {
    command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust (https://rustup.rs) first"
}

# rustfmt and clippy (a minimal rustup profile lacks them).
ensure_rust_components() {
    ensure_cargo
    local missing=()
    cargo fmt --version >/dev/null 2>&1 || missing+=(rustfmt)
    cargo clippy --version >/dev/null 2>&1 || missing+=(clippy)
    if [ "${#missing[@]}" -gt 0 ]; then
        step "rustup component add ${missing[*]}"
        rustup component add "${missing[@]}"
    fi
}

ensure_wasm_target() {
    ensure_cargo
    if ! rustup target list --installed 2>/dev/null | grep -qx "$WASM_TARGET"; then
        step "rustup target add $WASM_TARGET"
        rustup target add "$WASM_TARGET"
    fi
}

# Chromium and chromedriver from Debian, for the browser tests.
ensure_chromium() {
    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        step "apt-get install chromium chromium-driver"
        apt_install chromium chromium-driver
    fi
}

ensure_python3() {
    if ! command -v python3 >/dev/null 2>&1; then
        step "apt-get install python3"
        apt_install python3
    fi
}

ensure_trunk() {
    ensure_cargo
    if ! trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION\$"; then
        step "cargo install trunk $TRUNK_VERSION (takes several minutes the first time)"
        cargo install --locked trunk --version "$TRUNK_VERSION" --ignore-rust-version
    fi
}

# The wasm-bindgen version in Cargo.lock: the CLI must be exactly that version.
wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$NETPOL_ROOT/Cargo.lock"
}

ensure_wasm_bindgen_cli() {
    ensure_cargo
    local version
    version="$(wasm_bindgen_version)"
    [ -n "$version" ] || die "wasm-bindgen is not in Cargo.lock (is the web crate in the workspace?)"
    if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $version" ]; then
        step "cargo install wasm-bindgen-cli $version"
        # Without --locked: its lockfile pins a webpki-roots version the registry lacks.
        cargo install wasm-bindgen-cli --version "$version"
    fi
}

ensure_node() {
    if ! command -v npm >/dev/null 2>&1; then
        step "apt-get install nodejs npm"
        apt_install nodejs npm
    fi
}

# wasm-opt from the npm package binaryen (package.json at the root); Debian's and crates.io's
# are too old for current wasm-bindgen output. The same install brings axe-core, which the
# accessibility e2e test injects into the page.
ensure_wasm_opt() {
    if [ ! -x "$NETPOL_ROOT/node_modules/.bin/wasm-opt" ] ||
        [ ! -f "$NETPOL_ROOT/node_modules/axe-core/axe.min.js" ]; then
        ensure_node
        step "npm install (binaryen: wasm-opt; axe-core)"
        if [ -f "$NETPOL_ROOT/package-lock.json" ]; then
            (cd "$NETPOL_ROOT" && npm ci --no-audit --no-fund)
        else
            (cd "$NETPOL_ROOT" && npm install --no-audit --no-fund)
        fi
    fi
}

# expect_exit CODE CMD...: runs CMD and fails unless it exits with CODE.
expect_exit() {
    local want="$1" got=0
    shift
    "$@" || got=$?
    if [ "$got" -ne "$want" ]; then
        die "expected exit $want, got $got: $*"
    fi
}

# --- web (playground) helpers ---

# Everything `trunk build` needs, offline: the wasm target, wasm-bindgen-cli at the Cargo.lock
# version (Trunk.toml pins the same), wasm-opt from npm binaryen, and trunk itself.
ensure_web_build_tools() {
    ensure_wasm_target
    ensure_wasm_bindgen_cli
    ensure_wasm_opt
    ensure_trunk
    local pinned
    pinned="$(sed -n 's/^wasm_bindgen *= *"\(.*\)".*/\1/p' "$NETPOL_ROOT/Trunk.toml")"
    [ "$pinned" = "$(wasm_bindgen_version)" ] ||
        die "Trunk.toml pins wasm_bindgen = \"$pinned\" but Cargo.lock has $(wasm_bindgen_version): update Trunk.toml"
}

# print_wasm_sizes [DIST]: the .wasm files of a trunk build, raw and gzip -9.
print_wasm_sizes() {
    local dist="${1:-$NETPOL_ROOT/dist}" f raw gz found=""
    for f in "$dist"/*.wasm; do
        [ -e "$f" ] || continue
        found=1
        raw=$(wc -c <"$f")
        gz=$(gzip -9 -c "$f" | wc -c)
        printf 'wasm size: %s: %d bytes raw (%d KiB), %d bytes gzip -9 (%d KiB)\n' \
            "$(basename "$f")" "$raw" $((raw / 1024)) "$gz" $((gz / 1024))
    done
    [ -n "$found" ] || die "no .wasm in $dist"
}
