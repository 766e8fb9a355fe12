#!/bin/sh
# Pipeline 6: the weather sensors an rtl_433 receiver hears, read from the
# broker it already publishes to -> weatherbin -> predictor -> predictions
# back to the broker.
#
#   mqttsrc format=rtl_433 topics='rtl_433/+/events' ! weatherbin ! predictor ! mqttsink
#
# Point it at the broker of a running `rtl_433 -F mqtt://HOST:PORT`:
#
#   BROKER_HOST=192.0.2.10 STATIONS_FILE=stations.csv pipelines/06-rtl433-to-predictions.sh
#   mosquitto_sub -h 192.0.2.10 -v -t 'weather/predictions/#'
#
# rtl_433 names each sensor model/channel/id ("Fineoffset-WH25/80"): a
# stations file (docs/feeds.md) gives each its altitude, without which the
# station pressure most devices send cannot be reduced to sea level and
# Zambretti has no pressure to work with; it may also rename a sensor
# (its id changes when the battery does). rtl_433 writes local time
# without a zone: TIMEZONE names the zone it runs in when that is not this
# machine's. Readings without a time (rtl_433 replaying a file) take their
# arrival time.
#
# Stops on Ctrl-C (EOS, waits for the acknowledgements) or, with
# IDLE_TIMEOUT=NS, after that long without a message.
#
# Environment (defaults in brackets): BROKER_HOST [localhost],
# BROKER_PORT [1883], IN_TOPIC [rtl_433/+/events],
# OUT_TOPIC [weather/predictions/{model}], STATIONS_FILE [none],
# TIMEZONE [this machine's], WINDOW [600000000000 ns: 10 min],
# LATENCY [2000000000 ns reordering budget], NETWORK_LATENCY [1000000000
# ns], IDLE_TIMEOUT [0 = never].
#
# The plugin is found through GST_PLUGIN_PATH; from a build tree this
# script uses ./build/plugins by itself (or run it in `meson devenv -C build`).
set -eu
build="${WEATHER_BUILD:-$(dirname "$0")/../build}"
if [ -z "${GST_PLUGIN_PATH:-}${GST_PLUGIN_PATH_1_0:-}" ] && [ -d "$build/plugins" ]; then
  export GST_PLUGIN_PATH="$build/plugins"
fi

set -- mqttsrc host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
  format=rtl_433 topics="${IN_TOPIC:-rtl_433/+/events}" qos=1 \
  latency="${NETWORK_LATENCY:-1000000000}" idle-timeout="${IDLE_TIMEOUT:-0}"
if [ -n "${STATIONS_FILE:-}" ]; then
  set -- "$@" stations-file="$STATIONS_FILE"
fi
if [ -n "${TIMEZONE:-}" ]; then
  set -- "$@" timezone="$TIMEZONE"
fi

exec gst-launch-1.0 -e "$@" \
  ! weatherbin window="${WINDOW:-600000000000}" latency="${LATENCY:-2000000000}" \
  ! predictor \
  ! mqttsink host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topic="${OUT_TOPIC:-weather/predictions/{model\}}" qos=1
