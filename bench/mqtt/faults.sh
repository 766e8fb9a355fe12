#!/usr/bin/env bash
# The MQTT fault scenarios of docs/mqtt.md, run the way a user would: with
# gst-launch-1.0 and private Mosquittos on free loopback ports. One JSON
# line per scenario on stdout.
#
#   bench/mqtt/faults.sh [BUILD_DIR] [SCENARIO...]
#
# Scenarios (all by default):
#   relay-stop   gst-launch-1.0 -e mqttsrc (broker A) ! mqttsink (broker B),
#                2,000 readings/s for 40 s into A, B stopped (SIGSTOP) for
#                20 s after 10 s; then Ctrl-C (SIGINT): how many readings
#                came out of B, and whether EOS completed
#   relay-kill   the same with B killed (SIGKILL) and restarted 20 s later
#                (B and its subscriber keep their sessions on disk; a killed
#                Mosquitto may itself lose what it confirmed and had not
#                passed on yet, which the test suite's version rules out)
#   stall        mqttsrc ! fakesink (Python GI), the streaming thread held
#                30 s at the 10,000th reading while 2,000 readings/s
#                arrive for 40 s: how many came out, mqttsrc's stats, and
#                whether the broker dropped the client
#   qos2         weathersrc num-buffers=2000 ! mqttsink qos=2 into a
#                Mosquitto with its default max_inflight_messages (20)
#                and max_queued_messages 0
#   qos2-outage  live, 200 readings/s, 2,000, the broker stopped 5 s
#
# The broker logs and what the subscribers received stay in a temporary
# directory, named on stderr.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../../build}" && pwd)
shift || true
scenarios=${*:-relay-stop relay-kill stall qos2 qos2-outage}
export GST_PLUGIN_PATH_1_0="$build/plugins"
py=/usr/bin/python3
work=$(mktemp -d /tmp/gstweather-faults-XXXXXX)
echo "bench/mqtt/faults.sh: logs in $work" >&2
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill -CONT "$p" 2>/dev/null || true; kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

free_port() {
  $py -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# broker DIR PORT [CONF LINE...]: starts a Mosquitto, prints its pid
broker() {
  local dir=$1 port=$2 line
  shift 2
  mkdir -p "$dir"
  {
    echo "user $(id -un)"
    echo "listener $port 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence true"
    echo "persistence_location $dir/"
    echo "autosave_interval 1"
    echo "log_dest file $dir/log"
    echo "log_type all"
    for line in "$@"; do echo "$line"; done
  } > "$dir/conf"
  /usr/sbin/mosquitto -c "$dir/conf" > /dev/null 2>&1 &
  echo $!
}

# wait_for FILE PATTERN SECONDS
wait_for() {
  local i
  for i in $(seq 1 $(($3 * 10))); do
    grep -q "$2" "$1" 2> /dev/null && return 0
    sleep 0.1
  done
  return 1
}

# count FILE: "unique duplicates" of the JSON readings in FILE (one a line)
count() {
  $py - "$1" << 'EOF'
import json, sys
seen = {}
for line in open(sys.argv[1], errors="replace"):
    try:
        j = json.loads(line)
    except ValueError:
        continue
    k = (j.get("station_id", j.get("station")), j.get("sequence"))
    seen[k] = seen.get(k, 0) + 1
print(len(seen), sum(v - 1 for v in seen.values()))
EOF
}

# publish PORT RATE COUNT: paced QoS 1 readings on in/st-K, created now
publish() {
  $py - "$@" << 'EOF'
import json, sys, time
import paho.mqtt.client as mqtt
port, rate, count = (int(a) for a in sys.argv[1:4])
c = mqtt.Client(client_id="faults-pub", clean_session=True)
c.max_inflight_messages_set(1000)
c.max_queued_messages_set(0)
c.connect("127.0.0.1", port, 30)
c.loop_start()
t0, infos = time.time(), []
for i in range(count):
    d = t0 + i / rate - time.time()
    if d > 0:
        time.sleep(d)
    st = "st-%d" % (i % 10)
    infos.append(c.publish("in/" + st, json.dumps({"station": st,
        "created_at": int(time.time() * 1000), "sequence": i,
        "temperature_c": 20.5, "pressure_hpa": 1013.25}), 1))
for i in infos:
    i.wait_for_publish(120)
print(sum(1 for i in infos if i.is_published()))
c.disconnect()
c.loop_stop()
EOF
}

relay() {
  local fault=$1 w=$work/$1 rate=2000 secs=40 pa pb a b sub gst pub n t0 rc
  pa=$(free_port)
  pb=$(free_port)
  a=$(broker "$w/a" "$pa" "max_queued_messages 0")
  b=$(broker "$w/b" "$pb" "max_queued_messages 0")
  pids+=("$a" "$b")
  wait_for "$w/a/log" " running" 10
  wait_for "$w/b/log" " running" 10
  mosquitto_sub -h 127.0.0.1 -p "$pb" -t 'out/#' -q 1 -c -i faults-sub \
    -F '%p' > "$w/received" 2> /dev/null &
  sub=$!
  pids+=("$sub")
  wait_for "$w/b/log" "Sending SUBACK to faults-sub" 10
  sleep 1.5                     # the subscriber's session saved to disk
  gst-launch-1.0 -e mqttsrc host=127.0.0.1 port="$pa" topics='in/#' \
    ! mqttsink host=127.0.0.1 port="$pb" topic='out/{station}' \
    > "$w/gst-launch.log" 2>&1 &
  gst=$!
  pids+=("$gst")
  # publish only once mqttsrc is subscribed
  wait_for "$w/a/log" "Sending SUBACK to gstweather-src" 30
  n=$((rate * secs))
  publish "$pa" "$rate" "$n" > "$w/published" &
  pub=$!
  sleep 10
  if [ "$fault" = relay-stop ]; then
    kill -STOP "$b"
    sleep 20
    kill -CONT "$b"
  else
    kill -KILL "$b"
    sleep 20
    b=$(broker "$w/b" "$pb" "max_queued_messages 0")
    pids+=("$b")
  fi
  wait "$pub"
  for _ in $(seq 1 70); do
    [ "$(wc -l < "$w/received")" -ge "$n" ] && break
    sleep 1
  done
  read -r unique dups < <(count "$w/received")
  t0=$(date +%s.%N)
  kill -INT "$gst"
  rc=timeout
  for _ in $(seq 1 600); do
    if ! kill -0 "$gst" 2> /dev/null; then
      wait "$gst" && rc=0 || rc=$?
      break
    fi
    sleep 0.1
  done
  if [ "$rc" = timeout ]; then
    kill -KILL "$gst"
    wait "$gst" 2> /dev/null || true
  fi
  printf '{"bench":"mqtt-faults","scenario":"%s","published":%s,"received_unique":%s,"duplicates":%s,"sigint_exit":"%s","sigint_seconds":%.1f}\n' \
    "$fault" "$(cat "$w/published")" "$unique" "$dups" "$rc" \
    "$(echo "$(date +%s.%N) - $t0" | bc)"
  kill "$sub" "$a" "$b" 2> /dev/null || true
}

qos2() {
  local scenario=$1 w=$work/$1 p b sub gst rc t0 src
  p=$(free_port)
  b=$(broker "$w/b" "$p" "max_queued_messages 0")
  pids+=("$b")
  wait_for "$w/b/log" " running" 10
  mosquitto_sub -h 127.0.0.1 -p "$p" -t 'q2/#' -q 2 -F '%p' \
    > "$w/received" 2> /dev/null &
  sub=$!
  pids+=("$sub")
  wait_for "$w/b/log" "Sending SUBACK" 10
  src="weathersrc num-buffers=2000"
  [ "$scenario" = qos2-outage ] && src="weathersrc is-live=true stations=200 num-buffers=2000"
  t0=$(date +%s.%N)
  # shellcheck disable=SC2086
  timeout 120 gst-launch-1.0 $src ! mqttsink host=127.0.0.1 port="$p" \
    qos=2 topic='q2/{station}' > "$w/gst-launch.log" 2>&1 &
  gst=$!
  if [ "$scenario" = qos2-outage ]; then
    sleep 3
    kill -STOP "$b"
    sleep 5
    kill -CONT "$b"
  fi
  wait "$gst" && rc=0 || rc=$?
  sleep 1
  read -r unique dups < <(count "$w/received")
  printf '{"bench":"mqtt-faults","scenario":"%s","published":2000,"received_unique":%s,"duplicates":%s,"exit":%s,"seconds":%.1f,"broker_drops":%s}\n' \
    "$scenario" "$unique" "$dups" "$rc" \
    "$(echo "$(date +%s.%N) - $t0" | bc)" \
    "$(grep -c 'Bad socket' "$w/b/log" || true)"
  kill "$sub" "$b" 2> /dev/null || true
}

# the stalled pipeline: mqttsrc ! fakesink whose pad holds the streaming
# thread for 30 s at the 10,000th reading; prints "out received
# dropped-full dropped reconnects" once $2 exists and the count settled
stalled_pipeline() {
  $py - "$@" << 'EOF'
import os, sys, time
import gi
gi.require_version("Gst", "1.0")
from gi.repository import Gst
Gst.init(None)
port, done = sys.argv[1], sys.argv[2]
p = Gst.parse_launch("mqttsrc name=src host=127.0.0.1 port=%s topics=in/# "
                     "! fakesink name=sink sync=false" % port)
src = p.get_by_name("src")
count = [0]
def probe(pad, info):
    count[0] += 1
    if count[0] == 10000:
        time.sleep(30)
    return Gst.PadProbeReturn.OK
p.get_by_name("sink").get_static_pad("sink").add_probe(
    Gst.PadProbeType.BUFFER, probe)
p.set_state(Gst.State.PLAYING)
while not os.path.exists(done):
    time.sleep(0.2)
last, stable = -1, 0
while stable < 10:
    time.sleep(0.5)
    stable = stable + 1 if count[0] == last else 0
    last = count[0]
s = src.get_property("stats")
values = (s.get_value(f) for f in ("received", "dropped-full", "dropped",
                                   "reconnects"))
print(count[0], *("null" if v is None else v for v in values))
p.set_state(Gst.State.NULL)
EOF
}

stall() {
  local w=$work/stall p a gst out received full dropped reconnects
  p=$(free_port)
  a=$(broker "$w/a" "$p" "max_queued_messages 0")
  pids+=("$a")
  wait_for "$w/a/log" " running" 10
  stalled_pipeline "$p" "$w/done" > "$w/out" 2> "$w/pipeline.log" &
  gst=$!
  pids+=("$gst")
  wait_for "$w/a/log" "Sending SUBACK to gstweather-src" 30
  publish "$p" 2000 80000 > "$w/published"
  touch "$w/done"
  wait "$gst" || true
  read -r out received full dropped reconnects < "$w/out"
  printf '{"bench":"mqtt-faults","scenario":"stall","published":%s,"out":%s,"received":%s,"dropped_full":%s,"dropped":%s,"reconnects":%s,"broker_timeouts":%s}\n' \
    "$(cat "$w/published")" "$out" "$received" "$full" "$dropped" \
    "$reconnects" \
    "$(grep -c 'exceeded timeout' "$w/a/log" || true)"
  kill "$a" 2> /dev/null || true
}

for s in $scenarios; do
  case $s in
    relay-stop | relay-kill) relay "$s" ;;
    stall) stall ;;
    qos2 | qos2-outage) qos2 "$s" ;;
    *) echo "unknown scenario $s" >&2; exit 2 ;;
  esac
done
