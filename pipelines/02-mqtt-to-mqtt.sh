#!/bin/sh
# Pipeline 2: readings from an MQTT broker -> weatherbin -> predictor ->
# predictions back to the broker. The talk's application, end to end.
#
#   mqttsrc ! weatherbin ! predictor ! mqttsink
#
# Run it, feed it readings, watch the predictions:
#
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/02-mqtt-to-mqtt.sh
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/00-simulated-stations-to-mqtt.sh
#   mosquitto_sub -h localhost -p 1883 -v -t 'weather/predictions/#'
#
# Real stations can publish too, one JSON reading per message, for example
#   mosquitto_pub -t weather/readings/ws-attic -m '{"station": "ws-attic",
#     "created_at": "2026-11-26T22:00:00Z", "pressure_hpa": 1013.2}'
# (created_at must be close to now: this pipeline is live and the lateness
# budget is LATENCY plus mqttsrc's network latency; see docs/operations.md).
#
# Stops on Ctrl-C (EOS, waits for the acknowledgements) or, with
# IDLE_TIMEOUT=NS, after that long without a reading.
#
# Environment (defaults in brackets): BROKER_HOST [localhost],
# BROKER_PORT [1883], IN_TOPIC [weather/readings/#],
# OUT_TOPIC [weather/predictions/{model}], WINDOW [10000000000 ns],
# LATENCY [500000000 ns reordering budget], NETWORK_LATENCY [500000000 ns:
# how late readings may reach the broker], IDLE_TIMEOUT [0 = never].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

exec gst-launch-1.0 -e \
  mqttsrc host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topics="${IN_TOPIC:-weather/readings/#}" qos=1 \
    latency="${NETWORK_LATENCY:-500000000}" idle-timeout="${IDLE_TIMEOUT:-0}" \
  ! weatherbin window="${WINDOW:-10000000000}" latency="${LATENCY:-500000000}" \
  ! predictor \
  ! mqttsink host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topic="${OUT_TOPIC:-weather/predictions/{model\}}" qos=1
