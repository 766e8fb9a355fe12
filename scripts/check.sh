#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs the whole
# test suite. Extra arguments go to `meson test` (for example a suite name).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
weather_build
meson test -C "$WEATHER_BUILD" --print-errorlogs --num-processes 2 "$@"
