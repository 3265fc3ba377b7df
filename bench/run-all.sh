#!/usr/bin/env bash
# run-all.sh: every benchmark in one go, and one table of issue 14's targets.
#
#   bash bench/run-all.sh [BUILD_DIR]        (default: build)
#
# Builds nothing (ninja -C BUILD_DIR first). Runs, one after the other, each printing its
# own runs and tables as it goes:
#   1. run-transport.sh   our engine against stock libtirpc (NULL calls, 64 KiB echo);
#   2. run-gss.sh         each authentication level x mechanism, stock RPCSEC_GSS, raw GSS-API,
#                         the enumeration at each level (Kerberos callbacks at the row's level);
#   3. bench-runtime      enumeration, latency, ExecMethod latency, open calls (OPEN_CALLS of
#                         them), writes, semisync, at RPC_C_AUTHN_LEVEL_NONE;
#   4. bench-parsers      each parser at 1x, 10x, 100x input.
# Each program's "RESULT measure=..." lines (its medians) are collected; the script ends with
# ONE table, a row per measure: ours, the baseline measured in the same run, the ratio, the
# target and PASS or MISS (bench/README.md, "Everything in one go", says what each row is).
#
# A benchmark, not a test: a MISS is reported, never fatal. Exits 0 when every program ran,
# 1 when one crashed or failed, 2 for bad usage. Every process it starts is stopped by its pid
# on exit (each script stops its own servers, bench-runtime its daemons).
# Environment: QUICK=1 a smoke run of about a minute (the figures then mean little);
# OPEN_CALLS (100000; QUICK: 2000); SECONDS_PER_RUN, WARMUP, REPEATS, ENUM_COUNT go to the
# scripts as they are (run-transport.sh: 2 s, 0.3 s, 3; run-gss.sh: 1 s, 0.2 s, 3, 100000).

set -u
set -o pipefail

HERE=$(dirname "${BASH_SOURCE[0]}")
# shellcheck source=bench/bench-lib.sh
source "$HERE/bench-lib.sh"

BUILD_DIR=${1:-build}
QUICK=${QUICK:-0}
RUNTIME="$BUILD_DIR/bench/bench-runtime"
PARSERS="$BUILD_DIR/bench/bench-parsers"
WMISIMD="$BUILD_DIR/tools/wmisimd"
PROVIDERS="$BUILD_DIR/providers"
bench_require_exec run-all.sh "$BUILD_DIR" "$RUNTIME" "$PARSERS" "$WMISIMD"
bench_clean_env

# bench-runtime's daemons on cpu 0 with the other servers, its client on cpu 1 when there is one.
RUNTIME_CPU=0
(( $(nproc 2>/dev/null || echo 1) >= 2 )) && RUNTIME_CPU=1
RUNTIME_ARGS=(--server-cpu 0)
PARSER_ARGS=()
if [[ $QUICK == 1 ]]; then
  export SECONDS_PER_RUN=${SECONDS_PER_RUN:-0.1} WARMUP=${WARMUP:-0.05} REPEATS=${REPEATS:-1}
  export ENUM_COUNT=${ENUM_COUNT:-5000}
  OPEN_CALLS=${OPEN_CALLS:-2000}
  RUNTIME_ARGS+=(--quick)
  PARSER_ARGS=(--seconds 0.02)
fi
OPEN_CALLS=${OPEN_CALLS:-100000}
# run-gss.sh's default, which the enumeration's raw bound needs (values per Indicate batch).
export ENUM_COUNT=${ENUM_COUNT:-100000}
RUNTIME_ARGS+=(--open-calls "$OPEN_CALLS")

TMP=$(mktemp -d /tmp/wsim-bench-all.XXXXXX)
CHILD_PID="" TAIL_PID=""
FAILED=0

# shellcheck disable=SC2317  # called from the EXIT trap
cleanup() {
  # TERM lets a script run its own trap, which stops its servers by pid; bash runs it once
  # the program it waits for has ended (a run lasts up to SECONDS_PER_RUN + WARMUP), so the
  # script gets 15 s before it is killed.
  if [[ -n $CHILD_PID ]] && kill -TERM "$CHILD_PID" 2>/dev/null; then
    for _ in $(seq 150); do kill -0 "$CHILD_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  bench_kill_pid "$CHILD_PID"
  bench_kill_pid "$TAIL_PID"
  CHILD_PID="" TAIL_PID=""
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# step NAME PROGRAM ARGS...: runs it in the background (so the trap can stop it by pid),
# shows its output as it comes, keeps it in $TMP/NAME.log; a failure is remembered.
step() {
  local name=$1 rc
  shift
  echo "==== $name: $* ($(load_average))"
  "$@" >"$TMP/$name.log" 2>&1 </dev/null &
  CHILD_PID=$!
  tail -n +1 -f --pid="$CHILD_PID" "$TMP/$name.log" &
  TAIL_PID=$!
  wait "$CHILD_PID"
  rc=$?
  wait "$TAIL_PID"
  CHILD_PID="" TAIL_PID=""
  if (( rc != 0 )); then
    echo "run-all.sh: $name failed with status $rc" >&2
    FAILED=1
  fi
  grep '^RESULT ' "$TMP/$name.log" >>"$TMP/results"
  echo
}

load_average() { echo "load average $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null)"; }

LOAD_START=$(load_average)
: >"$TMP/results"
step transport bash "$HERE/run-transport.sh" "$BUILD_DIR"
step gss bash "$HERE/run-gss.sh" "$BUILD_DIR"
step runtime taskset -c "$RUNTIME_CPU" "$RUNTIME" "${RUNTIME_ARGS[@]}" "$WMISIMD" "$PROVIDERS"
step parsers "$PARSERS" "${PARSER_ARGS[@]}"
LOAD_END=$(load_average)

# ---- the table ---------------------------------------------------------------------------

# res MEASURE FIELD [KEY=VALUE...]: FIELD of the first RESULT line of MEASURE with those
# pairs; ERR if there is none.
res() {
  local measure=$1 field=$2
  shift 2
  awk -v m="measure=$measure" -v f="$field" -v want="$*" '
    BEGIN { n = split(want, w, " ") }
    $1 == "RESULT" && $2 == m {
      ok = 1
      for (i = 1; i <= n; i++) { found = 0; for (j = 3; j <= NF; j++) if ($j == w[i]) found = 1; if (!found) ok = 0 }
      if (!ok) next
      for (j = 3; j <= NF; j++) if (index($j, f "=") == 1) { print substr($j, length(f) + 2); exit }
    }' "$TMP/results" | grep . || echo ERR
}

calc() {   # calc EXPR VAR=VALUE...: awk arithmetic; ERR when an input is ERR or missing
  local expr=$1 v args=()
  shift
  for v in "$@"; do
    [[ ${v#*=} == ERR || ${v#*=} == - || -z ${v#*=} ]] && { echo ERR; return; }
    args+=(-v "$v")
  done
  awk "${args[@]}" "BEGIN { printf \"%.6g\", $expr }"
}

ROW_FMT='%-52s %10s  %-62s %6s %2s %-7s %s\n'
ROWS=()
# row MEASURE OURS OURS_DECIMALS BASELINE_TEXT BASELINE BASE_DECIMALS OP TARGET
#   OP ">=" or "<=": the target applies to the ratio ours/baseline, or (BASELINE "-") to ours
#   itself. TARGET "-": for information.
row() {
  local measure=$1 ours=$2 dec=$3 btext=$4 base=$5 bdec=$6 op=$7 target=$8 r value verdict shown
  if [[ $base == - ]]; then r="-" value=$ours; else r=$(ratio "$ours" "$base") value=$r; fi
  if [[ $target == - ]]; then
    verdict="(info)"
  elif [[ $value == n/a || $value == ERR ]]; then
    verdict="n/a"
  else
    verdict=$(awk -v v="$value" -v t="$target" -v op="$op" \
      'BEGIN { ok = (op == ">=") ? (v + 0 >= t + 0) : (v + 0 <= t + 0); print ok ? "PASS" : "MISS" }')
  fi
  if [[ $base == - ]]; then shown=$btext; else shown="$(fmt "$base" "$bdec") $btext"; fi
  [[ $target == - ]] && target="" op="-"
  # shellcheck disable=SC2059
  ROWS+=("$(printf "$ROW_FMT" "$measure" "$(fmt "$ours" "$dec")" "$shown" "$r" \
            "$op" "$target" "$verdict")")
}

level_name() {
  case $1 in
    none) echo NONE ;; connect) echo CONNECT ;; pkt) echo PKT ;;
    pktIntegrity) echo PKT_INTEGRITY ;; pktPrivacy) echo PKT_PRIVACY ;;
  esac
}

# 1. Enumeration at NONE: no baseline; the transport's 64 KiB echo is the context.
ENUM_N=$(awk '$2 == "measure=enumerate" { sub("count=", "", $3); print $3; exit }' "$TMP/results")
ENUM_IPS=$(res enumerate instances_per_s "count=${ENUM_N:-0}")
ECHO_SAME=$(res transport wsim workload=echo placement=same)
row "enumeration Sim_Sequence NONE (instances/s)" "$ENUM_IPS" 0 \
    "- (64 KiB echo: $(fmt "$ECHO_SAME" 0) MB/s, ours $(fmt "$(res enumerate mb_per_s "count=${ENUM_N:-0}")" 0) MB/s of values)" \
    - 0 ">=" 1000000

# 2. Latency against the NULL round trip on the same daemon.
row "1-instance enum -> final SetStatus (us)" "$(res latency_enum us)" 0 "us NULL round trip, same daemon" \
    "$(res latency_enum null_us)" 0 "<=" 2
row "ExecMethodAsync Add -> final SetStatus (us)" "$(res latency_exec us)" 0 "us NULL round trip, same daemon" \
    "$(res latency_exec null_us)" 0 "<=" -

# 3. Enumeration with Kerberos callbacks at PKT_PRIVACY / PKT_INTEGRITY, in MB/s of values,
# against what raw GSS-API allows: a 64 KiB message (an Indicate batch is sent once its rows
# reach 64 KiB on the wire) protected and checked every us_per_msg, each carrying the batch's
# values (ENUM_COUNT x 200 B / Indicate calls).
for level in pktPrivacy pktIntegrity; do
  if [[ $level == pktPrivacy ]]; then op=wrap optext="wrap+unwrap"; else op=mic optext="get_mic+verify_mic"; fi
  calls=$(res gss_enum indicate_calls level=$level mech=kerberos)
  us=$(res gss_raw us_per_msg op=$op mech=kerberos size=65536)
  bound=$(calc "n * 200 / (c * u)" "n=$ENUM_COUNT" "c=$calls" "u=$us")
  row "enum Kerberos, callbacks $(level_name $level) (MB/s values)" \
      "$(res gss_enum mb_per_s level=$level mech=kerberos)" 1 \
      "raw $optext 64 KiB, $(fmt "$(calc "n * 200 / c / 1000" "n=$ENUM_COUNT" "c=$calls")" 1) kB values each" \
      "$bound" 1 ">=" 0.8
done

# 4. Small calls with NTLMSSP: against stock Kerberos at the same level, and against the bound
# gss-ntlmssp's own cost allows: one call at NONE plus the messages a call protects and checks
# (PKT: the call's header MIC and the reply verifier; PKT_INTEGRITY: those and both bodies'
# MICs; PKT_PRIVACY: the two MICs and both bodies wrapped), each bench-gss-raw --size 32's
# us_per_msg: bound calls/s = 1e6 / (1e6 / NONE calls/s + sum of us_per_msg).
NONE_ADD=$(res gss_ours value mode=add level=none mech=ntlm)
MIC32=$(res gss_raw us_per_msg op=mic mech=ntlm size=32)
WRAP32=$(res gss_raw us_per_msg op=wrap mech=ntlm size=32)
for level in pkt pktIntegrity pktPrivacy; do
  case $level in
    pkt) stock=none msgs="2 x mic" extra=$(calc "2 * m" "m=$MIC32") ;;
    pktIntegrity) stock=integrity msgs="4 x mic" extra=$(calc "4 * m" "m=$MIC32") ;;
    pktPrivacy) stock=privacy msgs="2 x mic + 2 x wrap" extra=$(calc "2 * m + 2 * w" "m=$MIC32" "w=$WRAP32") ;;
  esac
  ours=$(res gss_ours value mode=add level=$level mech=ntlm)
  row "small calls NTLM $(level_name $level) (calls/s)" "$ours" 0 \
      "stock RPCSEC_GSS krb5 $stock" "$(res gss_stock value mode=add auth="$stock")" 0 ">=" 1.0
  row "small calls NTLM $(level_name $level) vs gss-ntlmssp bound" "$ours" 0 \
      "NONE call + $msgs @32 B ($(fmt "$extra" 1) us)" \
      "$(calc "1e6 / (1e6 / a + e)" "a=$NONE_ADD" "e=$extra")" 0 ">=" 0.9
done

# 5. The transport: sequential NULL and 64 KiB echo against stock, pipelined against stock
# sequential (same core).
row "sequential NULL, same core (calls/s)" "$(res transport wsim workload=null placement=same)" 0 \
    "stock libtirpc" "$(res transport stock workload=null placement=same)" 0 ">=" 1.0
row "64 KiB echo NONE, same core (MB/s)" "$ECHO_SAME" 1 "stock libtirpc" \
    "$(res transport stock workload=echo placement=same)" 1 ">=" 0.9
row "pipelined NULL x32, same core (calls/s)" "$(res transport wsim workload=pipe placement=same)" 0 \
    "stock libtirpc sequential" "$(res transport stock workload=null placement=same)" 0 ">=" 3

# 6. 64 KiB echo at PKT_INTEGRITY (and PKT_PRIVACY) against raw GSS-API of the same mechanism.
for level in pktIntegrity pktPrivacy; do
  if [[ $level == pktPrivacy ]]; then op=wrap optext="wrap+unwrap"; else op=mic optext="get_mic+verify_mic"; fi
  for mech in kerberos ntlm; do
    row "64 KiB echo $(level_name $level) $mech (MB/s)" "$(res gss_ours value mode=echo level=$level mech=$mech)" 1 \
        "raw $optext 64 KiB" "$(res gss_raw mb_per_s op=$op mech=$mech size=65536)" 1 ">=" 0.8
  done
done

# 7. Memory per open call.
row "memory per open call, $(res open_calls calls) calls (bytes)" "$(res open_calls bytes_per_call)" 0 "-" - 0 "<=" 1024

# 8. The parsers: time at 100x over time at 10x (10 when linear, 100 when quadratic).
for p in object_path wql wql_event moniker; do
  row "parser $p: us/parse 100x / 10x" "$(res parser us_100x name=$p)" 2 "us/parse at 10x" \
      "$(res parser us_10x name=$p)" 2 "<=" 20
done

echo "==== every benchmark in one table ($LOAD_START at the start, $LOAD_END at the end)"
if [[ $QUICK == 1 ]]; then
  echo "QUICK=1: a smoke run; these figures are not worth reading."
fi
# shellcheck disable=SC2059
printf "$ROW_FMT" "measure" "ours" "baseline (what, same run)" "ratio" "" "target" "result"
printf '%s\n' "$(printf -- '-%.0s' $(seq 150))"
printf '%s\n' "${ROWS[@]}"
echo
echo "Ratios are comparable only within one run (same machine, same load). A MISS is reported,"
echo "not fatal; targets with no baseline apply to ours itself."

if (( FAILED )); then
  echo "run-all.sh: a program failed or crashed (see above)" >&2
  exit 1
fi
exit 0
