#!/usr/bin/env bash
# The unit suite under AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Builds gst-weather (gcc) into build-sanitize (or $SANITIZE_BUILD) with
# -Db_sanitize=address,undefined, together with the fuzz targets as replay
# drivers (their seed corpus and tests/fuzz/regressions/ run as tests too),
# then runs `meson test`. Any sanitizer report aborts the test that raised
# it, so the run fails. Leaks: LeakSanitizer is on, with
# tests/sanitizers/lsan.supp silencing what GLib and GStreamer allocate
# once per process on purpose; GStreamer objects are also counted by the
# leaks tracer in generic/states and elements/cycle (docs/performance.md).
#
# Environment: SANITIZE_BUILD (build dir), SANITIZE_TIMEOUT_MULTIPLIER (of
# the tests' own timeouts, default 1: a hang costs no more than in the
# plain suite), SANITIZE_SKIP (extended regex of
# test names to leave out, default: none), extra arguments go to meson test.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${SANITIZE_BUILD:-$ROOT/build-sanitize}"
WEATHER_BUILD="$BUILD"
. "$ROOT/scripts/setup.sh"

start=$(date +%s)
if [ ! -f "$BUILD/build.ninja" ]; then
  CC="${SANITIZE_CC:-gcc}" meson setup "$BUILD" "$ROOT" \
    -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args=-fno-sanitize-recover=all \
    -Dfuzzing=true -Dtests=enabled -Dbenchmarks=disabled >&2
fi
ninja -C "$BUILD" >&2

# The plugin is instrumented: it must be loaded by the instrumented test
# binary itself, never by the system's gst-plugin-scanner.
export GST_REGISTRY_FORK=no
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=0:strict_string_checks=1:check_initialization_order=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# GStreamer's own -Werror-style check for tests: see tests/check/meson.build.
export GST_PLUGIN_LOADING_WHITELIST="${GST_PLUGIN_LOADING_WHITELIST:-gstreamer:gst-weather}"

tests=()
if [ -n "${SANITIZE_SKIP:-}" ]; then
  while read -r name; do
    [[ "$name" =~ $SANITIZE_SKIP ]] || tests+=("$name")
  done < <(meson test -C "$BUILD" --list 2>/dev/null | awk -F' / ' '{print $NF}')
  echo "sanitize: skipping tests matching /$SANITIZE_SKIP/" >&2
fi

# Programs from the system (python3, gst-launch-1.0) that load the
# instrumented plugin need the ASan runtime preloaded: see wrap.sh.
export SANITIZE_BUILD_DIR="$BUILD"
SANITIZE_ASAN_RUNTIME="$(${SANITIZE_CC:-gcc} -print-file-name=libasan.so)"
export SANITIZE_ASAN_RUNTIME

status=0
meson test -C "$BUILD" --print-errorlogs --num-processes 2 \
  --timeout-multiplier "${SANITIZE_TIMEOUT_MULTIPLIER:-1}" --wrapper "$ROOT/tests/sanitizers/wrap.sh" \
  "$@" "${tests[@]}" || status=$?
echo "sanitize: $(( $(date +%s) - start )) s, exit $status" >&2
exit $status
