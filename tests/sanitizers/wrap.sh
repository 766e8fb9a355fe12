#!/bin/sh
# `meson test --wrapper` of scripts/sanitize.sh. Test programs built in the
# sanitizer build run as they are. A test that runs a program from the
# system (python3 for the examples, docs and pipeline runners, which then
# load our instrumented plugin or start gst-launch-1.0) gets the ASan
# runtime preloaded, as ASan must come first in the process; its leak
# checker is off there, since the interpreter's own allocations are not
# ours to judge (our objects are counted by the leaks tracer instead).
case "$1" in
  "$SANITIZE_BUILD_DIR"/*) exec "$@" ;;
esac
LD_PRELOAD="$SANITIZE_ASAN_RUNTIME${LD_PRELOAD:+:$LD_PRELOAD}"
ASAN_OPTIONS="$ASAN_OPTIONS:detect_leaks=0"
export LD_PRELOAD ASAN_OPTIONS
exec "$@"
