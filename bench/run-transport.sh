#!/usr/bin/env bash
# run-transport.sh: the transport benchmark, our engine against stock libtirpc.
#
#   bash bench/run-transport.sh [BUILD_DIR]        (default: build)
#
# Builds nothing: BUILD_DIR must already hold bench/bench-rpc-server and
# bench/bench-rpc-client (ninja -C BUILD_DIR). For each placement
#   same-core   server and client both pinned to cpu 0 (taskset -c 0)
#   cross-core  server on cpu 0, client on cpu 1
# it starts one server per engine (pinned, pids recorded, stopped by pid on exit),
# then measures, each 3 times (engines interleaved) and keeps the median:
#   sequential NULL calls/s, 64 KiB ECHO MB/s each way, and (wsim only) NULL calls/s
#   with 32 calls in flight.
# It prints every run, then the table with the ratios wsim/stock and the targets, then one
# "RESULT measure=transport workload=W placement=P stock=… wsim=…" line per cell (medians;
# stock=- for pipelined, which stock cannot do), which bench/run-all.sh collects.
#
# A benchmark, not a test: a missed target is reported, not fatal. Exits 0 unless a
# program crashed or failed. Environment: SECONDS_PER_RUN (2), WARMUP (0.3), REPEATS (3).

set -u
set -o pipefail

# shellcheck source=bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BUILD_DIR=${1:-build}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
WARMUP=${WARMUP:-0.3}
REPEATS=${REPEATS:-3}
DEPTH=32
SIZE=65536

SERVER="$BUILD_DIR/bench/bench-rpc-server"
TIRPC_SERVER="$BUILD_DIR/tests/interop/tirpc-testprog-server"
CLIENT="$BUILD_DIR/bench/bench-rpc-client"
bench_require_exec run-transport.sh "$BUILD_DIR" "$SERVER" "$TIRPC_SERVER" "$CLIENT"
bench_clean_env

# Progress lines go to fd 3 (stdout), since run_client's own stdout is captured.
exec 3>&1
TMP=$(mktemp -d /tmp/wsim-bench.XXXXXX)
SERVER_PIDS=()
FAILED=0

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    bench_kill_pid "$pid"
  done
  SERVER_PIDS=()
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NCPU=$(nproc 2>/dev/null || echo 1)
PLACEMENTS=(same)
if (( NCPU >= 2 )); then
  PLACEMENTS+=(cross)
else
  echo "note: only one cpu available; cross-core placement skipped"
fi
ENGINES=(tirpc wsim)

server_cpu() { echo 0; }
client_cpu() { [[ $1 == same ]] && echo 0 || echo 1; }

# start_server PLACEMENT ENGINE: starts it, waits for its port; sets PORT_<engine>, PID_<engine>.
start_server() {
  local placement=$1 engine=$2
  if [[ $engine == tirpc ]]; then
    # Stock libtirpc: the interop suite's server, with buffers for 64 KiB records.
    bench_start_server run-transport.sh "$engine" "$(server_cpu "$placement")" \
      "$TMP/server-$placement-$engine" "$TIRPC_SERVER" "$BENCH_TIRPC_BUFSZ"
  else
    bench_start_server run-transport.sh "$engine" "$(server_cpu "$placement")" \
      "$TMP/server-$placement-$engine" "$SERVER" --engine wsim
  fi
}

stop_servers() {
  local pid engine
  for engine in "${ENGINES[@]}"; do
    local var="PID_$engine"
    pid=${!var:-}
    [[ -z $pid ]] && continue
    bench_stop_server run-transport.sh "$engine" "$pid" || FAILED=1
  done
  SERVER_PIDS=()
}

# run_client PLACEMENT ENGINE MODE FIELD: one run; prints the value of FIELD (or ERR).
run_client() {
  local placement=$1 engine=$2 mode=$3 field=$4 var="PORT_$2" line rc
  line=$(taskset -c "$(client_cpu "$placement")" "$CLIENT" --engine "$engine" \
           --port "${!var}" --mode "$mode" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" \
           --depth "$DEPTH" --size "$SIZE" 2>"$TMP/client.err")
  rc=$?
  echo "  [$placement] $line" >&3
  if (( rc != 0 )) || [[ -z $line ]]; then
    echo "run-transport.sh: client $engine/$mode ($placement) failed with status $rc:" >&2
    cat "$TMP/client.err" >&2
    FAILED=1
    echo ERR
    return
  fi
  bench_field "$line" "$field"
}

declare -A RESULT

# measure PLACEMENT KEY MODE FIELD ENGINE...: REPEATS runs per engine, interleaved.
measure() {
  local placement=$1 key=$2 mode=$3 field=$4
  shift 4
  local engines=("$@") rep engine
  declare -A vals=()
  for (( rep = 1; rep <= REPEATS; rep++ )); do
    for engine in "${engines[@]}"; do
      vals[$engine]+=" $(run_client "$placement" "$engine" "$mode" "$field")"
    done
  done
  for engine in "${engines[@]}"; do
    [[ ${vals[$engine]} == *ERR* ]] && FAILED=1   # run_client ran in a subshell
    # shellcheck disable=SC2086
    RESULT[$key,$placement,$engine]=$(median ${vals[$engine]})
    RESULT[$key,$placement,$engine,runs]=${vals[$engine]# }
  done
}

echo "transport benchmark: $SECONDS_PER_RUN s per run after $WARMUP s warm-up," \
     "median of $REPEATS, $NCPU cpus, $(uname -r)"
echo "server: $SERVER; client: $CLIENT"
echo

for placement in "${PLACEMENTS[@]}"; do
  echo "== $placement-core: server on cpu $(server_cpu "$placement"), client on cpu $(client_cpu "$placement")"
  for engine in "${ENGINES[@]}"; do
    start_server "$placement" "$engine" || { FAILED=1; continue 2; }
  done
  measure "$placement" null     null      calls_per_s tirpc wsim
  measure "$placement" echo     echo      mb_per_s    tirpc wsim
  measure "$placement" pipe     pipelined calls_per_s wsim
  stop_servers
done

# ---- the table ------------------------------------------------------------------------

row() {   # row LABEL PLACEMENT STOCK WSIM DECIMALS TARGET(or -)
  local label=$1 placement=$2 stock=$3 wsim=$4 dec=$5 target=$6 r v t
  r=$(ratio "$wsim" "$stock")
  if [[ $target == - ]]; then v="(info)"; t="-"; else v=$(verdict "$r" "$target"); t=">= ${target}x"; fi
  printf '%-44s %-6s %14s %14s %8s %9s %6s\n' "$label" "$placement" \
    "$(fmt "$stock" "$dec")" "$(fmt "$wsim" "$dec")" "$r" "$t" "$v"
}

echo
echo "Runs (stock libtirpc | wsim), each value one run:"
for placement in "${PLACEMENTS[@]}"; do
  printf '  %-5s sequential NULL calls/s   stock: %-28s wsim: %s\n' "$placement" \
    "${RESULT[null,$placement,tirpc,runs]:-}" "${RESULT[null,$placement,wsim,runs]:-}"
  printf '  %-5s 64 KiB echo MB/s          stock: %-28s wsim: %s\n' "$placement" \
    "${RESULT[echo,$placement,tirpc,runs]:-}" "${RESULT[echo,$placement,wsim,runs]:-}"
  printf '  %-5s pipelined NULL calls/s                                       wsim: %s\n' "$placement" \
    "${RESULT[pipe,$placement,wsim,runs]:-}"
done

echo
printf '%-44s %-6s %14s %14s %8s %9s %6s\n' "workload" "place" "stock libtirpc" "wsim" \
  "wsim/stk" "target" "result"
printf '%s\n' "$(printf -- '-%.0s' $(seq 107))"
for placement in "${PLACEMENTS[@]}"; do
  row "sequential NULL (calls/s)" "$placement" "${RESULT[null,$placement,tirpc]:-ERR}" \
      "${RESULT[null,$placement,wsim]:-ERR}" 0 1.0
done
for placement in "${PLACEMENTS[@]}"; do
  row "64 KiB echo (MB/s each way)" "$placement" "${RESULT[echo,$placement,tirpc]:-ERR}" \
      "${RESULT[echo,$placement,wsim]:-ERR}" 1 0.9
done
for placement in "${PLACEMENTS[@]}"; do
  if [[ $placement == same ]]; then target=3; else target=-; fi
  row "pipelined NULL (32 in flight) vs stock seq" "$placement" \
      "${RESULT[null,$placement,tirpc]:-ERR}" "${RESULT[pipe,$placement,wsim]:-ERR}" 0 "$target"
done
echo
echo "Ratios are comparable only within one run of this script (same machine, same load);"
echo "absolute numbers move between runs. Targets: sequential NULL >= 1.0x stock and 64 KiB"
echo "echo >= 0.9x stock in the same placement; pipelined >= 3x stock sequential, same-core."
echo
for placement in "${PLACEMENTS[@]}"; do
  for key in null echo pipe; do
    echo "RESULT measure=transport workload=$key placement=$placement" \
         "stock=${RESULT[$key,$placement,tirpc]:--} wsim=${RESULT[$key,$placement,wsim]:-ERR}"
  done
done

if (( FAILED )); then
  echo "run-transport.sh: a program failed or crashed (see above)" >&2
  exit 1
fi
exit 0
