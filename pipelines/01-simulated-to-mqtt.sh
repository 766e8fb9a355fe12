#!/bin/sh
# Pipeline 1: simulated stations -> weatherbin -> predictor -> MQTT.
#
#   weathersrc ! weatherbin ! predictor ! mqttsink
#
# Run it against a broker, and watch the predictions with a subscriber:
#
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/01-simulated-to-mqtt.sh
#   mosquitto_sub -h localhost -p 1883 -v -t 'weather/predictions/#'
#
# Live by default: one prediction per WINDOW (10 s), the first about 10 s
# after the start; Ctrl-C sends EOS (gst-launch-1.0 -e), the last window is
# closed and mqttsink waits for the broker's acknowledgements before the
# pipeline stops. With NUM_BUFFERS=N it replays N readings as fast as
# possible instead (simulated time starts at 2024-01-01T00:00:00Z) and stops.
#
# Environment (defaults in brackets): BROKER_HOST [localhost],
# BROKER_PORT [1883], STATIONS [5], WINDOW [10000000000 ns],
# LATENCY [500000000 ns reordering budget], JITTER [200000000 ns simulated
# delivery jitter, keep it below LATENCY], NUM_BUFFERS [-1 = live, until
# Ctrl-C], TOPIC [weather/predictions/{model}].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

live=true
[ "${NUM_BUFFERS:--1}" = -1 ] || live=false

exec gst-launch-1.0 -e \
  weathersrc is-live=$live stations="${STATIONS:-5}" jitter="${JITTER:-200000000}" \
    num-buffers="${NUM_BUFFERS:--1}" \
  ! weatherbin window="${WINDOW:-10000000000}" latency="${LATENCY:-500000000}" \
  ! predictor \
  ! mqttsink host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topic="${TOPIC:-weather/predictions/{model\}}" qos=1
