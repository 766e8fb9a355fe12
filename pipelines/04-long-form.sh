#!/bin/sh
# Pipeline 4: the explicit long form of weatherbin, for people who want
# control over each station's branch. Same input and output as pipeline 3:
#
#   filesrc ! weatherparse ! demux name=d   grouper name=g ! predictor ! ...
#   d.src_0 ! reorderqueue ! g.sink_0
#   d.src_1 ! reorderqueue ! g.sink_1   ... one branch per station
#
#   IN=readings.jsonl OUT=predictions.jsonl STATION_IDS="0 1 2 3 4" \
#     pipelines/04-long-form.sh
#
# (make readings.jsonl as pipeline 3's header shows). demux's `stations`
# makes the pads of STATION_IDS up front, so gst-launch-1.0 can link them
# by name; readings of any other station are dropped and counted
# (unknown-stations=drop). Each branch needs a thread of its own, since a
# GstAggregator pad blocks its feeder until every other pad has data: a
# reorderqueue is a thread boundary (its streaming task), so no queue is
# needed. A thread per station is fine for a handful; for thousands use
# weatherbin's default mixed layout (docs/scaling.md).
# Per station you may change the reordering budget (reorderqueue latency)
# or add elements; this script gives every station the same LATENCY.
#
# Environment (defaults in brackets): IN [readings.jsonl],
# OUT [predictions.jsonl], STATION_IDS ["0 1 2 3 4"],
# WINDOW [10000000000 ns], LATENCY [500000000 ns reordering budget].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

ids="${STATION_IDS:-0 1 2 3 4}"
latency="${LATENCY:-500000000}"
list=""
branches=""
for id in $ids; do
  list="${list:+$list,}$id"
  branches="$branches d.src_$id ! reorderqueue latency=$latency ! g.sink_$id"
done

# $branches is meant to be split into gst-launch-1.0 arguments
# shellcheck disable=SC2086
exec gst-launch-1.0 -e \
  filesrc location="${IN:-readings.jsonl}" \
  ! weatherparse \
  ! demux name=d stations="<$list>" unknown-stations=drop \
  grouper name=g window="${WINDOW:-10000000000}" stations="<$list>" \
  ! predictor \
  ! weatherenc \
  ! filesink location="${OUT:-predictions.jsonl}" \
  $branches
