#!/usr/bin/env bash
# memcheck.sh MODE PROGRAM [ARGS…]: the exe_wrapper of the valgrind and sanitize test setups.
#
# Criterion runs each test in a child process and judges it by its own protocol, not by
# the child's exit status, so an error that valgrind or a sanitizer reports when a child
# exits would pass unnoticed. This wrapper sends every process's report to a private
# directory and fails the test when any report holds an error.
#   MODE valgrind: memcheck on every process (children traced), definite leaks are errors.
#   MODE sanitize: ASan (leaks included) and UBSan reports.
set -u
mode=$1; shift
here=$(cd "$(dirname "$0")" && pwd)
# A test that is a Python checker over the sources (tests/layers), a bash script that
# drives only bash (tests/docs' completion) or a Python script that drives our programs
# (tests/render) is not itself ours to check (bash leaks a parsed command by design), so it
# runs as it is. Under the sanitizers the programs it starts are instrumented, and a leak
# report would end them with LeakSanitizer's exit code: they get the suppressions and the
# exit code the wrapped tests' children get. Their reports are NOT judged (they go to
# stderr, not to the filter below): a hole, for tests/render's and tests/docs' runs of
# wmisim, to close by running these through the filter too.
case "$(basename "$1")" in
  python3*|bash)
    if [ "$mode" = sanitize ]; then
      export LSAN_OPTIONS="exitcode=0:suppressions=$here/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
    fi
    exec "$@" ;;
esac

dir=$(mktemp -d "${TMPDIR:-/tmp}/wsim-memcheck.XXXXXX")
trap 'rm -rf "$dir"' EXIT

case "$mode" in
  valgrind)
    # Programs a test starts that are not ours to check: system daemons and tools (which
    # drop privileges or leak by design; setpriv runs a program as another user, whose
    # valgrind could not write its report where the first one, root's, already is; sleep,
    # which a test has the server start as another user, alike) and the stock libtirpc
    # reference server. And wmisim-watchdog: every process that makes a private directory
    # starts one (waited for when the directory goes), plain POSIX that allocates only its
    # DIR; under valgrind its start and exit, once or twice per wmisim run, pushed tests
    # with many runs past their timeouts (the sanitize setup still checks it).
    valgrind --trace-children=yes --trace-children-skip='*/rpcbind,*/rpcinfo,*/krb5kdc,*/kdb5_util,*/kadmin.local,*/tshark,*/dumpcap,*/tirpc-testprog-server,*/setpriv,*/sleep,*/wmisim-watchdog' \
      --child-silent-after-fork=no \
      --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
      --suppressions="$here/valgrind.supp" --log-file="$dir/vg.%p" "$@"
    rc=$?
    bad=$(grep -lE 'ERROR SUMMARY: [1-9]|definitely lost: [1-9]' "$dir"/vg.* 2>/dev/null)
    ;;
  sanitize)
    # Full stacks (libraries without frame pointers cut the fast unwinder short), so that
    # suppressions and the filter see every frame.
    export ASAN_OPTIONS="detect_leaks=1:fast_unwind_on_malloc=0:log_path=$dir/asan:${ASAN_OPTIONS:-}"
    # Leaks never decide the exit status (the filter below judges the reports).
    export LSAN_OPTIONS="exitcode=0:suppressions=$here/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
    export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$dir/ubsan:${UBSAN_OPTIONS:-}"
    "$@"
    rc=$?
    # Criterion's runner keeps per-test bookkeeping it never frees; a leak whose every
    # frame above the allocator lies in libcriterion is that, and is not reported. Any
    # other report, or a leak with one of our frames, fails the test.
    bad=""
    for f in "$dir"/asan.* "$dir"/ubsan.*; do
      [ -e "$f" ] || continue
      if python3 "$here/lsan-filter.py" "$f"; then bad="$bad $f"; fi
    done
    ;;
  *)
    echo "memcheck.sh: unknown mode $mode" >&2
    exit 2
    ;;
esac

if [ -n "$bad" ]; then
  for f in $bad; do
    echo "==== $mode report: $f"
    cat "$f"
  done
  exit 1
fi
exit $rc
