#!/bin/sh
# Pipeline 3: a file of JSON-lines readings, replayed as fast as possible,
# to a file of JSON-lines predictions.
#
#   filesrc ! progressreport ! weatherparse ! weatherbin ! predictor
#     ! weatherenc ! filesink
#
#   IN=readings.jsonl OUT=predictions.jsonl pipelines/03-file-replay.sh
#
# Make a day of readings of 5 simulated stations to try it with:
#   gst-launch-1.0 weathersrc stations=5 num-buffers=432000 jitter=200000000 \
#     ! weatherenc ! filesink location=readings.jsonl
#
# Not live: windows are closed by event time (GAP events), not by a clock,
# so the predictions are those a live run would give, in a fraction of the
# time. Bad lines are skipped and counted (weatherparse's stats, printed
# with GST_DEBUG=weatherparse:4).
#
# Progress: GStreamer's progressreport (gst-plugins-good) prints how much
# of the file has been read every PROGRESS seconds and once at the end,
# e.g. "progress (00:00:05): 53477376 / 268435456 bytes (19.9 %)", and
# posts the same as "progress" element messages on the bus for an
# application.
#
# Environment (defaults in brackets): IN [readings.jsonl],
# OUT [predictions.jsonl], WINDOW [10000000000 ns],
# LATENCY [500000000 ns reordering budget], PROGRESS [5 s between reports].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

exec gst-launch-1.0 -e \
  filesrc location="${IN:-readings.jsonl}" \
  ! progressreport name=progress format=bytes update-freq="${PROGRESS:-5}" \
  ! weatherparse \
  ! weatherbin window="${WINDOW:-10000000000}" latency="${LATENCY:-500000000}" \
  ! predictor \
  ! weatherenc \
  ! filesink location="${OUT:-predictions.jsonl}"
