#!/bin/sh
# What a partitioned member costs next to a whole pipeline and to the
# source alone (docs/scaling.md, "What it costs"): three processes
# subscribed to one Mosquitto on a free loopback port get the same N
# readings of S stations (mosquitto_pub -l, QoS 1), and each one's CPU
# time (user + sys, /usr/bin/time) is printed as one JSON line:
#   source    mqttsrc ! fakesink
#   whole     mqttsrc ! weatherbin group-by=station ! predictor ! fakesink
#   quarter   the same with mqttsrc partition=1/4
#
#   bench/mqtt/partition.sh [BUILD_DIR]     (N [50000], S [200])
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
export GST_PLUGIN_PATH="$build/plugins"
n=${N:-50000}
s=${S:-200}
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{
  echo "listener $port 127.0.0.1"
  echo "allow_anonymous true"
  echo "max_queued_messages 0"
  echo "log_dest file $dir/broker.log"
  echo "log_type information"
  echo "log_type subscribe"
  [ "$(id -u)" = 0 ] && echo "user root"
} > "$dir/mosquitto.conf"
/usr/sbin/mosquitto -c "$dir/mosquitto.conf" 2>/dev/null &
broker=$!
trap 'kill $broker 2>/dev/null || true' EXIT
until grep -q "listen socket on port $port" "$dir/broker.log" 2>/dev/null; do
  sleep 0.05
done

pids=""
rest="weatherbin group-by=station window=10000000000 ! predictor ! fakesink"
for run in source whole quarter; do
  case $run in
    source) part=""; tail="fakesink" ;;
    whole) part=""; tail=$rest ;;
    quarter) part="partition=1/4"; tail=$rest ;;
  esac
  # $part and $tail are meant to be split into arguments
  # shellcheck disable=SC2086
  /usr/bin/time -o "$dir/$run.time" -f "%U %S" gst-launch-1.0 -q \
    mqttsrc port="$port" topics='bench/#' $part idle-timeout=3000000000 \
    ! $tail &
  pids="$pids $!"
done
until [ "$(grep -c ' bench/#$' "$dir/broker.log" || true)" -ge 3 ]; do
  sleep 0.05
done
# stamped from now on: mqttsrc drops readings older than its start
python3 - "$n" "$s" > "$dir/readings.jsonl" <<'PY'
import json, sys, time
n, s = int(sys.argv[1]), int(sys.argv[2])
t = int(time.time() * 1000) + 1000
for i in range(n):
    print(json.dumps({"station": "st-%d" % (i % s), "created_at": t + i // s * 1000,
                      "sequence": i // s, "temperature_c": 10.5,
                      "pressure_hpa": 1010.2, "humidity_pct": 70}))
PY
mosquitto_pub -p "$port" -q 1 -t bench/readings -l < "$dir/readings.jsonl"
for pid in $pids; do
  wait "$pid"
done
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$dir/$1.time"; }
printf '{"bench":"mqtt-partition","readings":%s,"stations":%s,"cpu_s":{"source":%s,"whole":%s,"partition_1_of_4":%s}}\n' \
  "$n" "$s" "$(cpu source)" "$(cpu whole)" "$(cpu quarter)"
rm -rf "$dir"
