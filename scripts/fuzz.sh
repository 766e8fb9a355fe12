#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time.
#
# Builds the fuzz targets with clang (-Dfuzzing=true, AddressSanitizer +
# UndefinedBehaviorSanitizer, libFuzzer coverage on libgstweather and the
# plugin) into build-fuzz (or $FUZZ_BUILD), replays the seed corpus and the
# regression inputs (meson test --suite fuzz), then fuzzes each target for
# FUZZ_SECONDS seconds (default 60). New interesting inputs go to a working
# corpus in the build dir, never into the repository.
#
# A crash, leak, sanitizer report or timeout makes the script exit
# non-zero; the input that caused it is copied to
# tests/fuzz/regressions/<target>/ (commit it with the fix: the replay test
# then runs it in every build) and also left in $FUZZ_BUILD/artifacts/.
#
# Environment: FUZZ_SECONDS, FUZZ_TARGETS (space separated subset),
# FUZZ_MAX_LEN (default 4096 bytes), FUZZ_BUILD.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${FUZZ_BUILD:-$ROOT/build-fuzz}"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-60}"
MAX_LEN="${FUZZ_MAX_LEN:-4096}"
TARGETS="${FUZZ_TARGETS:-fuzz-reading-json fuzz-group-json fuzz-prediction-json fuzz-weatherparse fuzz-rtl_433 fuzz-weewx fuzz-pywws fuzz-ecowitt fuzz-auto fuzz-json-fast}"
WEATHER_BUILD="$BUILD"
. "$ROOT/scripts/setup.sh"
weather_install_packages clang libclang-rt-14-dev

start=$(date +%s)
if [ ! -f "$BUILD/build.ninja" ]; then
  CC=clang CXX=clang++ meson setup "$BUILD" "$ROOT" \
    -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    "-Dc_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
    "-Dcpp_args=-fsanitize=fuzzer-no-link -fno-sanitize-recover=all" \
    -Dfuzzing=true -Dtests=enabled -Dbenchmarks=disabled \
    -Dexamples=disabled >&2
fi
build_targets=(plugins/libgstweather.so)
for t in $TARGETS; do build_targets+=("tests/fuzz/$t"); done
ninja -C "$BUILD" "${build_targets[@]}" >&2

export GST_REGISTRY_FORK=no
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"

status=0
# The known inputs first: a regression that is back fails here at once.
replays=()
for t in $TARGETS; do replays+=("$t-replay"); done
meson test -C "$BUILD" --print-errorlogs --no-rebuild "${replays[@]}" || status=1

mkdir -p "$BUILD/artifacts"
for t in $TARGETS; do
  work="$BUILD/fuzz-corpus/$t"
  mkdir -p "$work"
  rm -f "$BUILD/artifacts/$t-"*
  dirs=("$work" "$ROOT/tests/fuzz/corpus/$t")
  [ -d "$ROOT/tests/fuzz/regressions/$t" ] && dirs+=("$ROOT/tests/fuzz/regressions/$t")
  echo "fuzz: $t for ${SECONDS_PER_TARGET} s" >&2
  t0=$(date +%s)
  rc=0
  "$BUILD/tests/fuzz/$t" \
    -max_total_time="$SECONDS_PER_TARGET" -max_len="$MAX_LEN" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$BUILD/artifacts/$t-" \
    "${dirs[@]}" > "$BUILD/artifacts/$t.log" 2>&1 || rc=$?
  grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" \
    "$BUILD/artifacts/$t.log" | sed "s/^/fuzz: $t /" >&2 || true
  if [ "$rc" -ne 0 ]; then
    status=1
    tail -n 60 "$BUILD/artifacts/$t.log" >&2
    mkdir -p "$ROOT/tests/fuzz/regressions/$t"
    for a in "$BUILD/artifacts/$t-"*; do
      case "$a" in *.log) continue ;; esac
      [ -f "$a" ] || continue
      cp "$a" "$ROOT/tests/fuzz/regressions/$t/"
      echo "fuzz: $t failed (exit $rc); input kept as tests/fuzz/regressions/$t/$(basename "$a")" >&2
    done
  fi
  echo "fuzz: $t done in $(( $(date +%s) - t0 )) s, exit $rc" >&2
done

echo "fuzz: $(( $(date +%s) - start )) s in all, exit $status" >&2
exit $status
