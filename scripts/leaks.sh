#!/usr/bin/env bash
# Every pipeline in pipelines/ under GStreamer's leaks tracer.
#
# Each pipelines/*.sh runs with GST_TRACERS=leaks and GST_DEBUG=GST_TRACER:7
# against a private Mosquitto on a free loopback port, replaying a small
# input (NUM_BUFFERS readings, a JSON-lines file made by weathersrc !
# weatherenc) or, for live ones, for LEAKS_SECONDS seconds before SIGINT
# (gst-launch-1.0 -e turns it into EOS). When gst-launch-1.0 exits, the
# tracer reports every GstObject and GstMiniObject still alive; any report
# fails the script. A pipeline that reads MQTT gets
# pipelines/00-*.sh publishing beside it.
#
# Environment: LEAKS_BUILD [./build], LEAKS_SECONDS [15],
# LEAKS_NUM_BUFFERS [300], LEAKS_ONLY (space separated file names).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${LEAKS_BUILD:-$ROOT/build}"
SECONDS_EACH="${LEAKS_SECONDS:-15}"
WEATHER_BUILD="$BUILD"
. "$ROOT/scripts/setup.sh"
weather_build

if ! compgen -G "$ROOT/pipelines/*.sh" > /dev/null; then
  echo "leaks: no pipelines/*.sh to run" >&2
  exit 0
fi

tmp="$(mktemp -d)"
broker_pid=""
feeder_pid=""
cleanup() {
  [ -n "$feeder_pid" ] && kill "$feeder_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
cat > "$tmp/mosquitto.conf" <<CONF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
CONF
mosquitto -c "$tmp/mosquitto.conf" > "$tmp/mosquitto.log" 2>&1 &
broker_pid=$!

export GST_PLUGIN_PATH="$BUILD/plugins"
export BROKER_HOST=127.0.0.1 BROKER_PORT="$port"
export NUM_BUFFERS="${LEAKS_NUM_BUFFERS:-300}"
export IN="$tmp/readings.jsonl" OUT="$tmp/predictions.jsonl"
export WINDOW=1000000000 STATIONS=5
gst-launch-1.0 -q weathersrc stations=5 num-buffers="$NUM_BUFFERS" \
  ! weatherenc ! filesink location="$IN" > "$tmp/input.log" 2>&1 ||
  echo "leaks: could not make the input file ($(tail -n1 "$tmp/input.log"))" >&2

# A leak record names a type; the tracer's format line has only "%s".
LEAK_RECORD='Leaks detected|object-alive, type-name=\(string\)[A-Za-z]'

# SIGINT (EOS) first; background jobs of a script may ignore it, so TERM
# after 15 s.
stop_feeder() {
  local i
  kill -INT "$feeder_pid" 2>/dev/null || true
  for i in $(seq 1 30); do
    kill -0 "$feeder_pid" 2>/dev/null || break
    sleep 0.5
  done
  kill -TERM "$feeder_pid" 2>/dev/null || true
  wait "$feeder_pid" 2>/dev/null || true
  feeder_pid=""
}

status=0
for f in "$ROOT"/pipelines/*.sh; do
  name="$(basename "$f")"
  if [ -n "${LEAKS_ONLY:-}" ] && [[ " $LEAKS_ONLY " != *" $name "* ]]; then
    continue
  fi
  if grep -q mqttsrc "$f" && compgen -G "$ROOT/pipelines/00-*.sh" > /dev/null; then
    NUM_BUFFERS=-1 sh "$(ls "$ROOT"/pipelines/00-*.sh | head -n1)" \
      > "$tmp/feeder.log" 2>&1 &
    feeder_pid=$!
  fi
  log="$tmp/$name.log"
  rc=0
  GST_TRACERS=leaks GST_DEBUG=GST_TRACER:7 GST_DEBUG_NO_COLOR=1 \
    timeout -s INT -k 15 "$SECONDS_EACH" sh "$f" > "$log" 2>&1 || rc=$?
  if [ -n "$feeder_pid" ]; then
    stop_feeder
  fi
  leaks="$(grep -cE "$LEAK_RECORD" "$log" || true)"
  if [ "$leaks" -gt 0 ]; then
    status=1
    echo "leaks: $name: LEAKS ($leaks lines)" >&2
    grep -E "$LEAK_RECORD" "$log" | head -n 30 >&2
    cp "$log" "$BUILD/leaks-$name.log"
  elif [ "$rc" -ne 0 ] && [ "$rc" -ne 124 ]; then
    status=1
    echo "leaks: $name: pipeline failed (exit $rc)" >&2
    tail -n 15 "$log" >&2
    cp "$log" "$BUILD/leaks-$name.log"
  else
    echo "leaks: $name: no leak" >&2
  fi
done
exit $status
