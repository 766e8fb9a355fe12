#!/bin/sh
# Pipeline 5: scale out by key. MEMBERS pipelines subscribe to the same
# topics; member I keeps the stations (or regions) of partition I/MEMBERS
# (mqttsrc partition=I/MEMBERS) and runs
#   mqttsrc ! weatherbin ! predictor ! mqttsink
# on them. Every key is whole in exactly one member, so together they
# publish exactly the predictions one pipeline would.
#
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/05-scale-out.sh
#
# starts all MEMBERS members (3 by default) here. On separate machines run
# one member each, with its number:
#
#   MEMBER=1 MEMBERS=3 BROKER_HOST=broker.example pipelines/05-scale-out.sh
#   MEMBER=2 MEMBERS=3 BROKER_HOST=broker.example pipelines/05-scale-out.sh
#   MEMBER=3 MEMBERS=3 BROKER_HOST=broker.example pipelines/05-scale-out.sh
#
# A standby for a member is a second instance with the same MEMBER and
# MEMBERS (on another machine): both make the same predictions for the
# same keys and publish them to the same topics, so a consumer sees each
# prediction twice while both run and keeps one per key and window; when
# one dies the other goes on without a gap. docs/scaling.md says what each
# layout guarantees and what it costs the broker (every member receives
# every message).
#
# Feed it with pipelines/00-simulated-stations-to-mqtt.sh and watch
#   mosquitto_sub -h localhost -p 1883 -v -t 'weather/predictions/#'
#
# Environment (defaults in brackets): MEMBER [all of 1..MEMBERS],
# MEMBERS [3], GROUP_BY [station; or region: weatherbin's group-by and
# mqttsrc's partition-by], REGION_TOPIC_LEVEL [-1: none; the topic level
# naming a station's region], STATIONS_FILE [none; give it for regions
# from a file: both mqttsrc and weatherbin read it], BROKER_HOST
# [localhost], BROKER_PORT [1883], IN_TOPIC [weather/readings/#],
# OUT_TOPIC [weather/predictions/{station}/{model}: {station} is the key],
# WINDOW [10000000000 ns], LATENCY [500000000 ns], NETWORK_LATENCY
# [500000000 ns], IDLE_TIMEOUT [0 = run until Ctrl-C; NS: stop after that
# long without a message].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

members="${MEMBERS:-3}"
if [ -z "${MEMBER:-}" ]; then
  # every member here; Ctrl-C reaches all of them (same process group)
  pids=""
  i=1
  while [ "$i" -le "$members" ]; do
    MEMBER=$i "$0" &
    pids="$pids $!"
    i=$((i + 1))
  done
  status=0
  for pid in $pids; do
    wait "$pid" || status=$?
  done
  exit $status
fi

host="${BROKER_HOST:-localhost}"
port="${BROKER_PORT:-1883}"
group_by="${GROUP_BY:-station}"
files=""
if [ -n "${STATIONS_FILE:-}" ]; then
  files="stations-file=$STATIONS_FILE"
fi

# $files is meant to be split into gst-launch-1.0 arguments (a path
# without spaces)
# shellcheck disable=SC2086
exec gst-launch-1.0 -e \
  mqttsrc host="$host" port="$port" client-id="weather-$MEMBER-of-$members-$$" \
    topics="${IN_TOPIC:-weather/readings/#}" qos=1 \
    partition="$MEMBER/$members" partition-by="$group_by" \
    region-topic-level="${REGION_TOPIC_LEVEL:--1}" $files \
    latency="${NETWORK_LATENCY:-500000000}" idle-timeout="${IDLE_TIMEOUT:-0}" \
  ! weatherbin group-by="$group_by" $files \
    window="${WINDOW:-10000000000}" latency="${LATENCY:-500000000}" \
  ! predictor \
  ! mqttsink host="$host" port="$port" \
    client-id="weather-$MEMBER-of-$members-out-$$" \
    topic="${OUT_TOPIC:-weather/predictions/{station\}/{model\}}" qos=1
