#!/usr/bin/env bash
# test-run-all.sh BUILD_DIR: the smoke test of bench/run-all.sh (suite bench, registered only
# with -Dbench_tests=true). A QUICK=1 run must exit 0 and end with the one table, every row
# filled in: each program ran and its RESULT lines were collected. No figure is judged: a
# MISS passes, an ERR or n/a (a missing result) fails.
set -u
BUILD_DIR=$1
out=$(QUICK=1 bash "$(dirname "${BASH_SOURCE[0]}")/run-all.sh" "$BUILD_DIR" 2>&1)
rc=$?
table=$(sed -n '/^==== every benchmark in one table/,$p' <<<"$out")
fail() { printf '%s\n' "$out"; echo "test-run-all.sh: $1" >&2; exit 1; }
(( rc == 0 )) || fail "run-all.sh exited with status $rc"
[[ -n $table ]] || fail "no table"
for measure in "enumeration Sim_Sequence NONE" "1-instance enum" "ExecMethodAsync Add" \
  "enum Kerberos, callbacks PKT_PRIVACY" "enum Kerberos, callbacks PKT_INTEGRITY" \
  "small calls NTLM PKT " "small calls NTLM PKT_INTEGRITY vs gss-ntlmssp bound" \
  "small calls NTLM PKT_PRIVACY (calls/s)" "sequential NULL, same core" \
  "64 KiB echo PKT_INTEGRITY kerberos" "64 KiB echo PKT_INTEGRITY ntlm" \
  "memory per open call, 2000 calls" "parser object_path" "parser wql" "parser moniker"; do
  grep -qF -- "$measure" <<<"$table" || fail "no row '$measure'"
done
rows=$(grep -cE '(PASS|MISS|\(info\))$' <<<"$table")
(( rows == 22 )) || fail "$rows rows with a verdict, not 22"
if grep -E 'ERR|n/a' <<<"$table"; then fail "a row lacks a figure"; fi
echo "ok: $rows rows"
