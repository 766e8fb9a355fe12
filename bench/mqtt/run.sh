#!/bin/sh
# mqttsink vs mosquitto_pub -l (and a bare Paho MQTTAsync loop, the
# library's own ceiling) against one freshly started Mosquitto on a
# free loopback port: the same N JSON predictions (default 20000) at QoS 0
# and QoS 1, each followed by how many a subscriber received. One JSON
# line per figure.
#
# Then MQTT ingest: N_INGEST readings (default 200000) published by the
# bare Paho client to mosquitto_sub and to mqttsrc ! fakesink (run by
# bench/throughput's pipeline runner, which counts the readings), CPU per
# message.
#
#   bench/mqtt/run.sh [BUILD_DIR] [N] [N_INGEST]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
n=${2:-20000}
n_ingest=${3:-${BENCH_MQTT_INGEST:-200000}}
build=$(cd "$build" && pwd)
export GST_PLUGIN_SYSTEM_PATH_1_0=
export GST_PLUGIN_PATH_1_0="$build/plugins:$build/tests/gst-plugins"
export GST_REGISTRY="$build/bench/mqtt/bench.registry"
export LD_LIBRARY_PATH="$build/gst/weather${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$build/bench/mqtt/mqttbench" "$n" "$n_ingest"
