#!/usr/bin/env bash
# Times `netpol connectivity` against IBM's network-config-analyzer (NCA) on the 200-pod,
# 50-policy bench cluster (issue 12 asks netpol to stay at least 100 times faster), then compares
# their pod-to-pod results. Not part of scripts/test.sh or .ci/run: NCA takes ~15 s a run.
#
#   scripts/compare_nca.sh            # 3 runs each (RUNS=5 for more)
#   NCA=/path/to/nca scripts/compare_nca.sh
#
# NCA comes from PyPI (network-config-analyzer 2.1.0) into a venv under target/, unless NCA
# names an installed `nca`. The inputs are plain Kubernetes YAML written by
# `cargo run --release --example nca_inputs -p netpol-engine` to target/netpol-bench/nca-200/.
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$NETPOL_ROOT"

RUNS="${RUNS:-3}"
NCA_VERSION="2.1.0"
OUT="target/netpol-bench/nca-200"
WORK="target/nca-compare"
mkdir -p "$WORK"

if [ -z "${NCA:-}" ]; then
    VENV="target/nca-venv"
    NCA="$VENV/bin/nca"
    if [ ! -x "$NCA" ]; then
        step "Installing network-config-analyzer $NCA_VERSION into $VENV"
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --quiet "network-config-analyzer==$NCA_VERSION"
    fi
fi

step "Building netpol and writing the inputs"
cargo build --release -p netpol-cli
cargo run --release --quiet --example nca_inputs -p netpol-engine >/dev/null

NETPOL_CMD=(target/release/netpol connectivity "$OUT/namespaces.yaml" "$OUT/pods.yaml"
    "$OUT/policies.yaml" --format json)
NCA_CMD=("$NCA" --connectivity "$OUT/policies.yaml" --ns_list "$OUT/namespaces.yaml"
    --pod_list "$OUT/pods.yaml" -o txt_no_fw_rules)

# time_runs NAME COMMAND...: runs COMMAND RUNS times under /usr/bin/time and prints each run's
# figures, with the wall time also measured in milliseconds (/usr/bin/time rounds to 10 ms);
# leaves the last output in $WORK/NAME.out and the wall times (s) in $WORK/NAME.times.
time_runs() {
    local name="$1" start end
    shift
    : >"$WORK/$name.times"
    for i in $(seq "$RUNS"); do
        start="$(date +%s%N)"
        /usr/bin/time -o "$WORK/$name.time" -f "%e s wall %U s user %M KB" \
            "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" || {
            cat "$WORK/$name.err" >&2
            exit 1
        }
        end="$(date +%s%N)"
        echo "$name run $i: $(cat "$WORK/$name.time") ($(((end - start) / 1000000)) ms wall)"
        echo "scale=3; ($end - $start) / 1000000000" | bc >>"$WORK/$name.times"
    done
}

# median FILE: the median of the numbers in FILE, one a line.
median() {
    sort -g "$1" | awk '{ v[NR] = $1 } END { printf "%.3f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

step "Timing netpol connectivity ($RUNS runs)"
time_runs netpol "${NETPOL_CMD[@]}"
step "Timing nca --connectivity ($RUNS runs)"
time_runs nca "${NCA_CMD[@]}"

netpol_median="$(median "$WORK/netpol.times")"
nca_median="$(median "$WORK/nca.times")"
step "Result"
echo "median wall time: netpol ${netpol_median} s, nca ${nca_median} s"
awk -v a="$netpol_median" -v b="$nca_median" 'BEGIN {
    if (a > 0) printf "netpol is %.0fx faster (issue 12 asks for at least 100x)\n", b / a
    else print "netpol took under 10 ms, the resolution of /usr/bin/time"
}'

step "Comparing the pod-to-pod flows"
# Every pod, as `namespace/name` (pods.yaml writes `name` then `namespace`).
awk '/^  name: / { name = $2 } /^  namespace: / { print $2 "/" name }' "$OUT/pods.yaml" >"$WORK/pods.txt"
python3 scripts/compare_nca.py "$WORK/netpol.out" "$WORK/nca.out" "$WORK/pods.txt" 10 || true
