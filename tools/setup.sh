#!/usr/bin/env bash
# Installs what wmisim needs on Debian 12 (build, tests, benchmarks). Safe to run twice:
# it only calls apt-get when a package is missing.
set -euo pipefail

packages=(
  build-essential meson ninja-build pkg-config
  libglib2.0-dev libjson-glib-dev libtirpc-dev rpcsvc-proto libcriterion-dev
  valgrind util-linux procps iproute2
  rpcbind
  krb5-kdc krb5-admin-server krb5-user libkrb5-dev gss-ntlmssp
  tshark
  clang libclang-rt-14-dev   # -Dfuzzing=true: libFuzzer, ASan, UBSan (docs/fuzzing.md)
  chromium fonts-dejavu-core # tests/render: the trace's SVG drawn by a real browser
  gtk-doc-tools libglib2.0-doc   # -Dgtk_doc=true: the API reference, linked to GLib's (docs/api-reference.md)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present"
fi
