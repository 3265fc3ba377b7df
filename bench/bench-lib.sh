# shellcheck shell=bash
# bench-lib.sh: helpers the benchmark scripts share (run-transport.sh, run-gss.sh).
# Sourced, not run. Plain bash functions, and one constant.

# The stock libtirpc server's (and client's) buffer size: 4 MiB + 64 KiB, so that a 64 KiB
# echo, protected or not, travels in one record (libtirpc silently corrupts integrity and
# privacy messages larger than its buffers).
# shellcheck disable=SC2034  # used by the scripts that source this file
BENCH_TIRPC_BUFSZ=4259840

# bench_require_exec SCRIPT BUILD_DIR PROGRAM...: every PROGRAM must exist, or exit 2.
bench_require_exec() {
  local script=$1 build_dir=$2 p
  shift 2
  for p in "$@"; do
    if [[ ! -x $p ]]; then
      echo "$script: $p not found; build first: ninja -C $build_dir" >&2
      exit 2
    fi
  done
  if ! command -v taskset >/dev/null; then
    echo "$script: taskset (util-linux) is required for pinning" >&2
    exit 2
  fi
}

# Nothing in the environment may slow the programs down (GLib debug modes, valgrind hooks).
bench_clean_env() {
  unset G_DEBUG G_SLICE G_MESSAGES_DEBUG WSIM_UNDER_VALGRIND MALLOC_CHECK_ MALLOC_PERTURB_
}

# bench_kill_pid PID: SIGTERM, up to 2 s to go, then SIGKILL; reaps it if it is our child.
bench_kill_pid() {
  local pid=$1
  [[ -z $pid ]] && return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}

# bench_first_line FILE PID: waits (5 s at most) for the first line a server writes to FILE
# (its port) and prints it; prints nothing if PID died or the time ran out.
bench_first_line() {
  local out=$1 pid=$2 line=""
  for _ in $(seq 100); do
    line=$(head -n 1 "$out" 2>/dev/null)
    [[ -n $line ]] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.05
  done
  printf '%s' "$line"
}

# bench_start_server SCRIPT NAME CPU FILE_PREFIX PROGRAM ARGS...: starts a server pinned to
# CPU, output in FILE_PREFIX.out and .err, appends its pid to the caller's SERVER_PIDS array
# and, once it has printed its port, sets PORT_<NAME> and PID_<NAME>. Returns 1, after saying
# why, if it did not start. Fd 4 is closed in the server: run-gss.sh keeps a pipe there that
# must have no other writer.
bench_start_server() {
  local script=$1 name=$2 cpu=$3 prefix=$4 pid port
  shift 4
  taskset -c "$cpu" "$@" >"$prefix.out" 2>"$prefix.err" 4>&- &
  pid=$!
  SERVER_PIDS+=("$pid")
  port=$(bench_first_line "$prefix.out" "$pid")
  if [[ -z $port ]]; then
    echo "$script: the $name server did not start:" >&2
    cat "$prefix.err" >&2
    return 1
  fi
  printf -v "PORT_$name" '%s' "$port"
  printf -v "PID_$name" '%s' "$pid"
}

# bench_field LINE FIELD: the numeric value of FIELD=... in a key=value line.
bench_field() {
  sed -n "s/.* $2=\([0-9.]*\).*/\1/p" <<<" $1"
}

median() {
  printf '%s\n' "$@" | grep -v ERR | sort -g |
    awk '{ v[NR] = $1 } END { if (NR == 0) print "ERR"; else if (NR % 2) print v[(NR + 1) / 2];
                              else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() {
  awk -v a="$1" -v b="$2" 'BEGIN { if (a == "ERR" || b == "ERR" || a == "" || b == "" || b + 0 == 0)
                                     print "n/a"; else printf "%.2f", a / b }'
}

verdict() {   # verdict RATIO TARGET
  awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r + 0 >= t + 0) print "PASS";
                                   else print "MISS" }'
}

fmt() {   # fmt VALUE DECIMALS
  awk -v v="$1" -v d="$2" 'BEGIN { if (v == "ERR" || v == "") print "ERR"; else printf "%.*f", d, v }'
}

# bench_stop_server SCRIPT NAME PID: stops a server that should still be running. Returns 1,
# after saying why, if it had died during the run or did not exit with status 0.
bench_stop_server() {
  local script=$1 name=$2 pid=$3 rc
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$script: the $name server died during the run" >&2
    wait "$pid" 2>/dev/null
    return 1
  fi
  kill -TERM "$pid"
  wait "$pid"
  rc=$?
  if (( rc != 0 )); then
    echo "$script: the $name server exited with status $rc" >&2
    return 1
  fi
  return 0
}
