#!/usr/bin/env bash
# tools/test.sh: installs what is missing, builds with warnings as errors, and runs the
# whole suite three ways: as built, under valgrind, and in an ASan+UBSan build. The last
# line gives the totals over the three runs: "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."

bash tools/setup.sh || exit 1

configure () {  # configure DIR [meson options…]
  local dir=$1; shift
  if [ -f "$dir/build.ninja" ]; then
    meson setup --reconfigure "$dir" "$@" >/dev/null
  else
    meson setup "$dir" "$@" >/dev/null
  fi
}

passed=0; failed=0; skipped=0
run () {  # run LABEL BUILD_DIR [meson test options…]
  local label=$1 dir=$2; shift 2
  local log; log=$(mktemp)
  echo "== $label"
  meson test -C "$dir" --print-errorlogs "$@" 2>&1 | tee "$log" | grep -E '^ *[0-9]+/[0-9]+ |^(Ok|Fail|Timeout|Skipped):'
  local ok fail to sk
  ok=$(awk '/^Ok:/ {print $2}' "$log"); fail=$(awk '/^Fail:/ {print $2}' "$log")
  to=$(awk '/^Timeout:/ {print $2}' "$log"); sk=$(awk '/^Skipped:/ {print $2}' "$log")
  if [ -z "$ok" ]; then fail=$((${fail:-0} + 1)); fi   # meson itself failed
  passed=$((passed + ${ok:-0})); failed=$((failed + ${fail:-0} + ${to:-0})); skipped=$((skipped + ${sk:-0}))
  rm -f "$log"
}

build_ok=1
# The first build makes the API reference too (docs/api-reference.md): a few seconds, and
# the docs suite then checks gtk-doc's own report on it.
configure build -Dwerror=true -Dgtk_doc=true && meson compile -C build >/dev/null || build_ok=0
if [ $build_ok = 1 ]; then
  run "tests" build
  run "tests under valgrind" build --setup valgrind
else
  echo "build failed"; failed=$((failed + 1))
fi

if configure build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
   && meson compile -C build-sanitize >/dev/null; then
  run "tests with ASan+UBSan" build-sanitize --setup sanitize
else
  echo "sanitizer build failed"; failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
