#!/bin/bash
# test-completion.sh COMPLETION: source the bash completion for wmisim in a non-interactive
# bash and drive _wmisim with COMP_WORDS/COMP_CWORD as bash's `complete -F` would.
set -u
script=$1
fail=0
expect () {   # expect "WANT" WORD... : the replies for the words (the last one is the cursor's)
  local want=$1; shift
  local got
  got=$(bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _wmisim; echo "${COMPREPLY[*]}"' \
        _ "$script" "$@")
  if [[ $got == "$want" ]]; then
    echo "ok: [$*] -> $got"
  else
    echo "FAIL: [$*] -> '$got', expected '$want'"; fail=1
  fi
}
expect "table list value csv json" wmisim -f ""
expect "table list value csv json" wmisim --format = ""
expect "--format=csv" wmisim --format=c
expect "enum" wmisim en
expect "enum" wmisim -n root en
expect "default none connect call pkt pktIntegrity pktPrivacy" wmisim -a ""
expect "anonymous identify impersonate delegate" wmisim --impersonation ""
expect "check dont-check default object" wmisim enum X --stub ""
expect "windows hardened" wmisim --callbacks ""
expect "--stub" wmisim enum Win32_Process --st
expect "get set delete" wmisim reg ""
expect "--registry" wmisim reg --re
expect "--svg" wmisim trace --sv
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/adir"; touch "$tmp/a.mof"
expect "$tmp/a.mof" wmisim mofcomp "$tmp/a."
expect "$tmp/a.mof" wmisim --mof "$tmp/a."
expect "$tmp/adir" wmisim --repository "$tmp/a"
expect "@$tmp/a.mof" wmisim query "@$tmp/a."
exit $fail
