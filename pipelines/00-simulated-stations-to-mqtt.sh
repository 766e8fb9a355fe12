#!/bin/sh
# Simulated weather stations publishing their readings to an MQTT broker,
# one topic per station: the input of pipelines 2 and 5.
#
#   BROKER_HOST=localhost BROKER_PORT=1883 pipelines/00-simulated-stations-to-mqtt.sh
#
# Live: readings leave at the simulated stations' pace (with delivery
# jitter, so they arrive out of order) until Ctrl-C, or until NUM_BUFFERS
# readings were sent. Each is a JSON reading on weather/readings/<station>
# (the station's name, sim-0, sim-1, ...). Watch them with
#   mosquitto_sub -h localhost -p 1883 -v -t 'weather/readings/#'
#
# Environment (defaults in brackets): BROKER_HOST [localhost],
# BROKER_PORT [1883], STATIONS [5], PERIOD [1000000000 ns between one
# station's readings], JITTER [200000000 ns], SEED [0],
# NUM_BUFFERS [-1 = until Ctrl-C], TOPIC [weather/readings/{station}].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

exec gst-launch-1.0 -e \
  weathersrc is-live=true stations="${STATIONS:-5}" period="${PERIOD:-1000000000}" \
    jitter="${JITTER:-200000000}" seed="${SEED:-0}" num-buffers="${NUM_BUFFERS:--1}" \
  ! mqttsink host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topic="${TOPIC:-weather/readings/{station\}}" qos=1
