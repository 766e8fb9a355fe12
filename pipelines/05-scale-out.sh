#!/bin/sh
# Pipeline 5: scale out. Several pipelines share one MQTT subscription
# ($share/GROUP/...), so the broker splits the readings between them; each
# runs   mqttsrc ! weatherbin ! predictor ! mqttsink   on its share.
#
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/05-scale-out.sh
#
# starts two members, a and b, here. On separate machines run one member
# each, with its own name:
#
#   MEMBER=a BROKER_HOST=broker.example BROKER_PORT=1883 pipelines/05-scale-out.sh
#   MEMBER=b BROKER_HOST=broker.example BROKER_PORT=1883 pipelines/05-scale-out.sh
#
# Feed it with pipelines/00-simulated-stations-to-mqtt.sh and watch
#   mosquitto_sub -h localhost -p 1883 -v -t 'weather/predictions/#'
# Each member publishes the predictions of the readings it received to
# OUT_TOPIC (its name is in it by default). Mosquitto hands each message of
# a shared subscription to one member, in turn, so each member sees part of
# every station's readings; when a member stops or dies, the others get
# everything from then on. docs/scaling.md tells what that means for the
# predictions and how to partition stations by topic instead.
#
# Environment (defaults in brackets): MEMBER [both a and b],
# BROKER_HOST [localhost], BROKER_PORT [1883], GROUP [weather: the share
# name], IN_TOPIC [weather/readings/#],
# OUT_TOPIC [weather/predictions/MEMBER/{model}], WINDOW [10000000000 ns],
# LATENCY [500000000 ns], NETWORK_LATENCY [500000000 ns], IDLE_TIMEOUT
# [0 = run until Ctrl-C; NS: stop after that long without a reading],
# READINGS_LOG [none; a file: every reading the member received, as JSON
# lines, for checking the split].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

if [ -z "${MEMBER:-}" ]; then
  # both members here; Ctrl-C reaches both (same process group)
  MEMBER=a "$0" &
  a=$!
  MEMBER=b "$0" &
  b=$!
  status=0
  wait $a || status=$?
  wait $b || status=$?
  exit $status
fi

host="${BROKER_HOST:-localhost}"
port="${BROKER_PORT:-1883}"
log=""
if [ -n "${READINGS_LOG:-}" ]; then
  log="t. ! queue ! weatherenc ! filesink location=$READINGS_LOG buffer-mode=unbuffered"
fi

# $log is meant to be split into gst-launch-1.0 arguments
# shellcheck disable=SC2086
exec gst-launch-1.0 -e \
  mqttsrc host="$host" port="$port" client-id="weather-$MEMBER-$$" \
    topics="\$share/${GROUP:-weather}/${IN_TOPIC:-weather/readings/#}" qos=1 \
    latency="${NETWORK_LATENCY:-500000000}" idle-timeout="${IDLE_TIMEOUT:-0}" \
  ! tee name=t \
  ! weatherbin window="${WINDOW:-10000000000}" latency="${LATENCY:-500000000}" \
  ! predictor \
  ! mqttsink host="$host" port="$port" client-id="weather-$MEMBER-out-$$" \
    topic="${OUT_TOPIC:-weather/predictions/$MEMBER/{model\}}" qos=1 \
  $log
