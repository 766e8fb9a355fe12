#!/bin/sh
# Pipeline 7: the weather sensors an rtl_433 receiver hears, as Home
# Assistant entities: one device per station with its forecast, Zambretti
# letter, chance of rain, sea-level pressure, 3-hour trend and stations
# used, announced by MQTT discovery on the broker Home Assistant uses.
#
#   mqttsrc format=rtl_433 ! weatherbin group-by=station ! predictor
#     ! mqttsink discovery-prefix=homeassistant status-topic=... retain=true
#
# Point it at the broker of a running `rtl_433 -F mqtt://HOST:PORT` that
# Home Assistant's MQTT integration also uses:
#
#   BROKER_HOST=192.0.2.10 STATIONS_FILE=stations.csv pipelines/07-rtl433-to-home-assistant.sh
#
# The entities appear in Home Assistant (Settings > Devices) as
# "gst-weather <station>" within one window (WINDOW) of the first
# readings; docs/home-assistant.md says what each one is. The configs are
# retained and sent again whenever Home Assistant restarts (its
# homeassistant/status "online"). A stations file (docs/feeds.md) gives
# each sensor its altitude, without which its station pressure cannot be
# reduced to sea level; GROUP_BY=region with regions in that file gives one
# device per region instead, GROUP_BY=all one for every station together.
#
# Stops on Ctrl-C (EOS, waits for the acknowledgements) or, with
# IDLE_TIMEOUT=NS, after that long without a message.
#
# Environment (defaults in brackets): BROKER_HOST [localhost],
# BROKER_PORT [1883], IN_TOPIC [rtl_433/+/events],
# OUT_TOPIC [gst-weather/{station}/forecast], STATUS_TOPIC
# [gst-weather/status], DISCOVERY_PREFIX [homeassistant], NODE_ID
# [gstweather: set one per pipeline when several announce to one Home
# Assistant], GROUP_BY [station], STATIONS_FILE [none], TIMEZONE [this
# machine's], WINDOW [600000000000 ns: 10 min], LATENCY [2000000000 ns],
# NETWORK_LATENCY [1000000000 ns], IDLE_TIMEOUT [0 = never].
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
    group-by="${GROUP_BY:-station}" \
  ! predictor \
  ! mqttsink host="${BROKER_HOST:-localhost}" port="${BROKER_PORT:-1883}" \
    topic="${OUT_TOPIC:-gst-weather/{station\}/forecast}" qos=1 retain=true \
    status-topic="${STATUS_TOPIC:-gst-weather/status}" \
    discovery-prefix="${DISCOVERY_PREFIX:-homeassistant}" \
    discovery-node-id="${NODE_ID:-gstweather}"
