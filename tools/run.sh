#!/usr/bin/env bash
# tools/run.sh: installs what is missing, builds, and runs the main job against the
# server embedded in the wmisim process. Extra arguments go to wmisim.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup.sh
if [ -f build/build.ninja ]; then meson setup --reconfigure build >/dev/null; else meson setup build >/dev/null; fi
meson compile -C build >/dev/null
# The sample providers from the build tree; an installed wmisim finds its own.
export WSIM_PROVIDER_DIR="${WSIM_PROVIDER_DIR:-$PWD/build/providers}"
if [ $# -eq 0 ]; then set -- enum Win32_OperatingSystem --stub check --callbacks hardened; fi
exec ./build/tools/wmisim "$@"
