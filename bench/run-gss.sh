#!/usr/bin/env bash
# run-gss.sh: the security benchmark. Our engine at each authentication level and GSS
# mechanism, next to stock libtirpc's RPCSEC_GSS (Kerberos) and raw GSS-API, in one run.
#
#   bash bench/run-gss.sh [BUILD_DIR]        (default: build)
#
# Builds nothing: BUILD_DIR must hold bench/bench-gss-realm, bench/bench-gss-raw,
# bench/bench-rpc-server, bench/bench-rpc-client, bench/bench-runtime, tools/wmisimd,
# providers/ and tests/interop/tirpc-testprog-server.
#
#  1. A private Kerberos realm and NTLM credentials file for the run (bench-gss-realm: the
#     tests' fixture; its KDC is stopped by pid on exit, by the program and then by this
#     script).
#  2. Two servers, pinned to cpu 0, stopped by pid on exit: ours (bench-rpc-server --gss)
#     and libtirpc's (tirpc-testprog-server with its RPCSEC_GSS server as wbem@localhost).
#  3. Per repeat, interleaved: sequential small calls/s (ADD, not NULL: both servers answer
#     NULLPROC without checking its body) and 64 KiB ECHO MB/s each way,
#       ours:  levels none, connect, pkt, pktIntegrity, pktPrivacy x kerberos, ntlm
#       stock: AUTH_NONE, and RPCSEC_GSS Kerberos at services none, integrity, privacy
#     plus raw in-process GSS-API (get_mic + verify_mic, wrap + unwrap) of 64 KiB and of
#     32 bytes (a small call's header, body and verifier) per mech.
#  4. REPEATS rounds, each of every cell once: enumeration instances/s at each level x mech
#     (bench-runtime --level against a wmisimd of its own per run, which inherits the
#     realm's environment; with Kerberos the daemon calls back at the row's level only).
#  5. Every run, then one table of medians with the ratios and the targets, and the
#     enumeration's table (instances/s and the ratio to NONE; no target), then one
#     "RESULT measure=gss_… KEY=VALUE ..." line per median, which bench/run-all.sh collects.
#
# A benchmark, not a test: a missed target is reported, never fatal. Exits 0 unless a
# program crashed or failed. Environment: SECONDS_PER_RUN (1), WARMUP (0.2), REPEATS (3),
# PLACEMENT (same: client on cpu 0 with the servers; cross: client on cpu 1), ENUM_COUNT
# (100000 instances per enumeration).

set -u
set -o pipefail

# shellcheck source=bench/bench-lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/bench-lib.sh"

BUILD_DIR=${1:-build}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-1}
WARMUP=${WARMUP:-0.2}
REPEATS=${REPEATS:-3}
PLACEMENT=${PLACEMENT:-same}
SIZE=65536
SMALL_SIZE=32   # a small call's protected pieces: the header, ADD's two ints, the verifier
ENUM_COUNT=${ENUM_COUNT:-100000}
GSS_TARGET=wbem@localhost

REALM="$BUILD_DIR/bench/bench-gss-realm"
RAW="$BUILD_DIR/bench/bench-gss-raw"
SERVER="$BUILD_DIR/bench/bench-rpc-server"
CLIENT="$BUILD_DIR/bench/bench-rpc-client"
TIRPC_SERVER="$BUILD_DIR/tests/interop/tirpc-testprog-server"
RUNTIME="$BUILD_DIR/bench/bench-runtime"
WMISIMD="$BUILD_DIR/tools/wmisimd"
PROVIDERS="$BUILD_DIR/providers"
bench_require_exec run-gss.sh "$BUILD_DIR" "$REALM" "$RAW" "$SERVER" "$CLIENT" "$TIRPC_SERVER" \
  "$RUNTIME" "$WMISIMD" "$PROVIDERS"
bench_clean_env

SERVER_CPU=0
case $PLACEMENT in
  same) CLIENT_CPU=0 ;;
  cross)
    if (( $(nproc 2>/dev/null || echo 1) >= 2 )); then
      CLIENT_CPU=1
    else
      echo "note: only one cpu available; PLACEMENT=cross runs as same"
      PLACEMENT=same CLIENT_CPU=0
    fi ;;
  *) echo "run-gss.sh: PLACEMENT is same or cross" >&2; exit 2 ;;
esac

TMP=$(mktemp -d /tmp/wsim-bench-gss.XXXXXX)
SERVER_PIDS=()
REALM_PID=""
KDC_PID=""
PORT_wsim="" PID_wsim="" PORT_stock="" PID_stock=""   # set by start_server
FAILED=0

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  local pid
  for pid in "${SERVER_PIDS[@]}"; do
    bench_kill_pid "$pid"
  done
  SERVER_PIDS=()
  if [[ -n $REALM_PID ]]; then
    # End of file on its stdin: the program stops its KDC and removes the realm's directory.
    exec 4>&-
    for _ in $(seq 50); do kill -0 "$REALM_PID" 2>/dev/null || break; sleep 0.1; done
    bench_kill_pid "$REALM_PID"
    REALM_PID=""
  fi
  # The KDC by its own pid, whatever became of the program that started it.
  bench_kill_pid "$KDC_PID"
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- the realm ---------------------------------------------------------------------------

start_realm() {
  local line
  mkfifo "$TMP/realm.in" || return 1
  "$REALM" <"$TMP/realm.in" >"$TMP/realm.out" 2>"$TMP/realm.err" &
  REALM_PID=$!
  # Fd 4 holds the realm's stdin open; every other child gets 4>&- so that only this
  # script keeps it.
  exec 4>"$TMP/realm.in"
  # kdb5_util and kadmin.local take a few seconds, more on a loaded machine.
  for _ in $(seq 600); do
    grep -qx READY "$TMP/realm.out" 2>/dev/null && break
    kill -0 "$REALM_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! grep -qx READY "$TMP/realm.out" 2>/dev/null; then
    echo "run-gss.sh: the realm did not start:" >&2
    cat "$TMP/realm.err" >&2
    return 1
  fi
  while IFS= read -r line; do
    case $line in
      KRB5*=* | NTLM_USER_FILE=*) export "${line?}" ;;
      KDC_PID=*) KDC_PID=${line#KDC_PID=} ;;
    esac
  done <"$TMP/realm.out"
}

# ---- the servers -------------------------------------------------------------------------

# start_server NAME PROGRAM ARGS...: pinned to the servers' cpu; sets PORT_NAME, PID_NAME.
start_server() {
  bench_start_server run-gss.sh "$1" "$SERVER_CPU" "$TMP/server-$1" "${@:2}"
}

# ---- the runs ----------------------------------------------------------------------------

declare -A RUNS=()

# run_prog KEY FIELD[+FIELD...] CPU PROGRAM ARGS...: one run pinned to CPU; appends the
# first FIELD's value (or ERR) to RUNS[KEY], each further FIELD's to RUNS[KEY+FIELD], and
# prints the program's line.
run_prog() {
  local key=$1 fields=$2 cpu=$3 line rc field extra
  local field=${fields%%+*}
  shift 3
  taskset -c "$cpu" "$@" >"$TMP/run.out" 2>"$TMP/run.err" 4>&-
  rc=$?
  line=$(head -n 1 "$TMP/run.out")
  printf '  %-34s %s\n' "$key" "$line"
  if (( rc != 0 )) || [[ -z $line ]]; then
    echo "run-gss.sh: $key failed with status $rc:" >&2
    cat "$TMP/run.err" >&2
    FAILED=1
    RUNS[$key]+=" ERR"
    return
  fi
  RUNS[$key]+=" $(bench_field "$line" "$field")"
  if [[ $fields == *+* ]]; then
    IFS=+ read -ra extra <<<"${fields#*+}"
    for field in "${extra[@]}"; do
      RUNS[$key+$field]+=" $(bench_field "$line" "$field")"
    done
  fi
}

MODES=(add echo)
LEVELS=(none connect pkt pktIntegrity pktPrivacy)
MECHS=(kerberos ntlm)
STOCK_AUTHS=(authnone none integrity privacy)   # AUTH_NONE, then RPCSEC_GSS services
RAW_OPS=(mic wrap)

# Others may be using the machine: every figure is printed next to the load it was taken under.
load_average() { echo "load average $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)"; }

mode_field() { [[ $1 == add ]] && echo calls_per_s || echo mb_per_s; }

client() {   # client ARGS...: bench-rpc-client with the run's timing
  run_prog "$1" "$(mode_field "$2")" "$CLIENT_CPU" "$CLIENT" --seconds "$SECONDS_PER_RUN" \
    --warmup "$WARMUP" --size "$SIZE" --mode "$2" "${@:3}"
}

one_repeat() {
  local mode auth level mech op
  for mode in "${MODES[@]}"; do
    for auth in "${STOCK_AUTHS[@]}"; do
      if [[ $auth == authnone ]]; then
        client "stock,$mode,$auth" "$mode" --engine tirpc --port "$PORT_stock"
      else
        client "stock,$mode,$auth" "$mode" --engine tirpc --port "$PORT_stock" --stock-gss "$auth"
      fi
    done
    for level in "${LEVELS[@]}"; do
      for mech in "${MECHS[@]}"; do
        client "ours,$mode,$level,$mech" "$mode" --engine wsim --port "$PORT_wsim" \
          --level "$level" --mech "$mech" --target "$GSS_TARGET"
      done
    done
  done
  for mech in "${MECHS[@]}"; do
    for op in "${RAW_OPS[@]}"; do
      run_prog "raw,$op,$mech" mb_per_s+us_per_msg "$SERVER_CPU" "$RAW" --mech "$mech" --op "$op" \
        --size "$SIZE" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP"
      run_prog "raw$SMALL_SIZE,$op,$mech" us_per_msg "$SERVER_CPU" "$RAW" --mech "$mech" \
        --op "$op" --size "$SMALL_SIZE" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP"
    done
  done
}

# HOOK enumeration-per-level: "enumeration instances/s at each level". bench-runtime --level
# starts its own wmisimd (pinned to the servers' cpu; it inherits the realm's KRB5_* and
# NTLM_USER_FILE from this script's environment), connects at LEVEL with MECH and times one
# CreateInstanceEnumAsync of Sim_Sequence (ENUM_COUNT instances x 10 props x 20 B). The cells
# are interleaved per repeat, like the others, so that drift hits every level alike; the
# table compares each level with NONE, the only reference an enumeration has. The client's
# requests carry the level; the instances come back on the server's callbacks, whose level
# is callback_level's: with Kerberos the row's own (wmisimd --callback-level, so the row
# measures protected Indicate batches; a sink host refusing it fails the run), with NTLMSSP
# the default ladder, which calls a sink host on this machine back at NONE at once.
callback_level() {   # callback_level LEVEL MECH: the daemon's --callback-level, or "ladder"
  if [[ $2 == kerberos && $1 != none ]]; then echo "$1"; else echo ladder; fi
}

measure_enumeration() {
  local rep level mech cb cb_args
  for (( rep = 1; rep <= REPEATS; rep++ )); do
    echo "== enumeration, repeat $rep of $REPEATS"
    for level in "${LEVELS[@]}"; do
      for mech in "${MECHS[@]}"; do
        cb=$(callback_level "$level" "$mech") cb_args=()
        [[ $cb != ladder ]] && cb_args=(--callback-level "$cb")
        run_prog "enum,$level,$mech" instances_per_s+mb_per_s+indicate_calls "$CLIENT_CPU" \
          "$RUNTIME" --level "$level" --mech "$mech" --count "$ENUM_COUNT" "${cb_args[@]}" \
          --server-cpu "$SERVER_CPU" "$WMISIMD" "$PROVIDERS"
      done
    done
  done
}

echo "security benchmark: $SECONDS_PER_RUN s per run after $WARMUP s warm-up, median of" \
     "$REPEATS, placement $PLACEMENT (servers on cpu $SERVER_CPU, client on cpu $CLIENT_CPU)," \
     "$(nproc 2>/dev/null || echo '?') cpus, $(uname -r), $(load_average)"

start_realm || exit 1
echo "realm: KDC pid $KDC_PID, KRB5_CONFIG=$KRB5_CONFIG"
start_server wsim "$SERVER" --engine wsim --gss || exit 1
start_server stock "$TIRPC_SERVER" "$BENCH_TIRPC_BUFSZ" "$GSS_TARGET" || exit 1
echo "servers: wsim port $PORT_wsim (pid $PID_wsim), stock libtirpc port $PORT_stock (pid $PID_stock)"
echo

for (( rep = 1; rep <= REPEATS; rep++ )); do
  echo "== repeat $rep of $REPEATS"
  one_repeat
done
LOAD_RPC=$(load_average)
measure_enumeration
LOAD_ENUM=$(load_average)

bench_stop_server run-gss.sh wsim "$PID_wsim" || FAILED=1
bench_stop_server run-gss.sh stock "$PID_stock" || FAILED=1
SERVER_PIDS=()

# ---- the table ---------------------------------------------------------------------------

declare -A MED=()
for key in "${!RUNS[@]}"; do
  [[ ${RUNS[$key]} == *ERR* ]] && FAILED=1
  # shellcheck disable=SC2086
  MED[$key]=$(median ${RUNS[$key]})
done

level_name() {
  case $1 in
    none) echo NONE ;; connect) echo CONNECT ;; pkt) echo PKT ;;
    pktIntegrity) echo PKT_INTEGRITY ;; pktPrivacy) echo PKT_PRIVACY ;;
  esac
}
# What stock libtirpc offers at the same level: AUTH_NONE where no call is protected.
stock_for_level() {
  case $1 in
    none | connect) echo authnone ;; pkt) echo none ;;
    pktIntegrity) echo integrity ;; pktPrivacy) echo privacy ;;
  esac
}
stock_label() {
  [[ $1 == authnone ]] && echo "AUTH_NONE" || echo "krb5 $1"
}
raw_for_level() {
  case $1 in pktIntegrity) echo mic ;; pktPrivacy) echo wrap ;; *) echo "" ;; esac
}

echo
echo "RPC calls at each level ($LOAD_RPC when they ended):"
ROW_FMT='%-20s %-13s %-8s %10s  %-15s %10s %8s %8s %8s %13s %6s\n'
# shellcheck disable=SC2059
printf "$ROW_FMT" "workload" "level" "mech" "ours" "stock at level" "stock" "ours/stk" \
  "raw GSS" "ours/raw" "target" "result"
printf '%s\n' "$(printf -- '-%.0s' $(seq 130))"
for mode in "${MODES[@]}"; do
  if [[ $mode == add ]]; then label="small calls/s (ADD)"; dec=0; else label="64 KiB echo MB/s"; dec=1; fi
  for level in "${LEVELS[@]}"; do
    for mech in "${MECHS[@]}"; do
      ours=${MED[ours,$mode,$level,$mech]:-ERR}
      sa=$(stock_for_level "$level")
      stock=${MED[stock,$mode,$sa]:-ERR}
      r_stock=$(ratio "$ours" "$stock")
      op=$(raw_for_level "$level")
      raw="-" r_raw="-"
      if [[ $mode == echo && -n $op ]]; then
        raw=$(fmt "${MED[raw,$op,$mech]:-ERR}" 1)
        r_raw=$(ratio "$ours" "${MED[raw,$op,$mech]:-ERR}")
      fi
      if [[ $mode == add ]]; then
        target=">= 1.0x stock"; result=$(verdict "$r_stock" 1.0)
      elif [[ -n $op ]]; then
        target=">= 0.8x raw"; result=$(verdict "$r_raw" 0.8)
      else
        target="-"; result="(info)"
      fi
      # shellcheck disable=SC2059
      printf "$ROW_FMT" "$label" "$(level_name "$level")" "$mech" "$(fmt "$ours" "$dec")" \
        "$(stock_label "$sa")" "$(fmt "$stock" "$dec")" "$r_stock" "$raw" "$r_raw" "$target" "$result"
    done
  done
done

echo
echo "Raw GSS-API, 64 KiB, in one process (median MB/s each way: one message protected and"
echo "checked in each direction per round, what one ECHO call costs; per message: twice that):"
for mech in "${MECHS[@]}"; do
  printf '  %-8s get_mic+verify_mic %8s MB/s    wrap(conf)+unwrap %8s MB/s\n' "$mech" \
    "$(fmt "${MED[raw,mic,$mech]:-ERR}" 1)" "$(fmt "${MED[raw,wrap,$mech]:-ERR}" 1)"
done
echo
echo "Enumeration at each level: CreateInstanceEnumAsync of Sim_Sequence, $ENUM_COUNT instances"
echo "x 10 props x 20 B, from wmisimd (cpu $SERVER_CPU) to an in-process sink (cpu $CLIENT_CPU);"
echo "median of $REPEATS ($LOAD_ENUM when they ended). The level protects the client's"
echo "requests; the instances come back on the server's callbacks, at the level in the"
echo "callbacks column (ladder: wmisimd's default, NONE at once for a local NTLMSSP caller)."
ENUM_FMT='  %-13s %-8s %-13s %12s %8s\n'
# shellcheck disable=SC2059
printf "$ENUM_FMT" "level" "mech" "callbacks" "instances/s" "vs NONE"
for level in "${LEVELS[@]}"; do
  for mech in "${MECHS[@]}"; do
    ours=${MED[enum,$level,$mech]:-ERR}
    cb=$(callback_level "$level" "$mech")
    [[ $cb != ladder ]] && cb=$(level_name "$cb")
    # shellcheck disable=SC2059
    printf "$ENUM_FMT" "$(level_name "$level")" "$mech" "$cb" "$(fmt "$ours" 0)" \
      "$(ratio "$ours" "${MED[enum,none,$mech]:-ERR}")"
  done
done

echo
echo "Ratios are comparable only within one run of this script (same machine, same load)."
echo "Targets (reported, not asserted): small calls/s >= 1.0x stock libtirpc at the same level"
echo "(RPCSEC_GSS Kerberos for PKT and above, AUTH_NONE for NONE and CONNECT), for both"
echo "mechanisms; 64 KiB echo at PKT_INTEGRITY / PKT_PRIVACY >= 0.8x raw GSS-API MIC / wrap"
echo "of the same mechanism. NTLM rows are set against stock Kerberos: libtirpc's server"
echo "cannot serve NTLMSSP."

# The medians, one line each, for bench/run-all.sh.
echo
for mode in "${MODES[@]}"; do
  for auth in "${STOCK_AUTHS[@]}"; do
    echo "RESULT measure=gss_stock mode=$mode auth=$auth value=${MED[stock,$mode,$auth]:-ERR}"
  done
  for level in "${LEVELS[@]}"; do
    for mech in "${MECHS[@]}"; do
      echo "RESULT measure=gss_ours mode=$mode level=$level mech=$mech" \
           "value=${MED[ours,$mode,$level,$mech]:-ERR}"
    done
  done
done
for mech in "${MECHS[@]}"; do
  for op in "${RAW_OPS[@]}"; do
    echo "RESULT measure=gss_raw op=$op mech=$mech size=$SIZE mb_per_s=${MED[raw,$op,$mech]:-ERR}" \
         "us_per_msg=${MED[raw,$op,$mech+us_per_msg]:-ERR}"
    echo "RESULT measure=gss_raw op=$op mech=$mech size=$SMALL_SIZE" \
         "us_per_msg=${MED[raw$SMALL_SIZE,$op,$mech]:-ERR}"
  done
done
for level in "${LEVELS[@]}"; do
  for mech in "${MECHS[@]}"; do
    echo "RESULT measure=gss_enum level=$level mech=$mech callbacks=$(callback_level "$level" "$mech")" \
         "instances_per_s=${MED[enum,$level,$mech]:-ERR} mb_per_s=${MED[enum,$level,$mech+mb_per_s]:-ERR}" \
         "indicate_calls=${MED[enum,$level,$mech+indicate_calls]:-ERR}"
  done
done

if (( FAILED )); then
  echo "run-gss.sh: a program failed or crashed (see above)" >&2
  exit 1
fi
exit 0
