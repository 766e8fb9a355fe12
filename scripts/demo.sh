#!/usr/bin/env bash
# The main job: simulated weather stations, live, through
#   weathersrc is-live=true ! weatherbin ! predictor ! mqttsink
# publishing predictions to an MQTT broker, and a real subscriber
# (mosquitto_sub) printing them as the broker delivers them back.
#
# Installs what is missing and builds first (scripts/setup.sh). Without
# --broker it starts a private Mosquitto on a free 127.0.0.1 port and stops
# it at the end. Ctrl-C sends EOS: the pipeline closes its open windows,
# mqttsink waits for the broker's acknowledgements, every element's stats
# are printed, and the script exits 0. Run with --help for the options.
set -euo pipefail

usage() {
  cat <<EOF
Usage: $0 [OPTIONS]

Simulated weather stations -> weatherbin -> predictor -> mqttsink, live;
prints the predictions a subscriber receives back from the broker.

Options:
  --stations N        simulated stations (default 5)
  --window SECONDS    length of a prediction window (default 10: the first
                      prediction arrives about 10 s after the start)
  --latency MS        reordering budget in milliseconds (default 500)
  --broker HOST:PORT  use this MQTT broker instead of a private Mosquitto
  --topic PREFIX      topic prefix of the predictions (default
                      weather/demo-<pid>); they go to PREFIX/<model>
  --duration SECONDS  stop (EOS) after this long; 0 = until Ctrl-C (default)
  -h, --help          this text

Example: $0 --stations 20 --window 5 --duration 60
EOF
}

stations=5
window=10
latency=500
broker=""
duration=0
topic="weather/demo-$$"

need_value() {
  [ $# -ge 2 ] && [ -n "$2" ] || { echo "$1 needs a value" >&2; usage >&2; exit 2; }
}
is_number() {
  [[ "$2" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "$1: not a number: $2" >&2; exit 2; }
}

while [ $# -gt 0 ]; do
  case "$1" in
    --stations) need_value "$@"; is_number "$1" "$2"; stations="$2"; shift 2 ;;
    --window) need_value "$@"; is_number "$1" "$2"; window="$2"; shift 2 ;;
    --latency) need_value "$@"; is_number "$1" "$2"; latency="$2"; shift 2 ;;
    --duration) need_value "$@"; is_number "$1" "$2"; duration="$2"; shift 2 ;;
    --broker) need_value "$@"; broker="$2"; shift 2 ;;
    --topic) need_value "$@"; topic="$2"; shift 2 ;;
    --stations=*|--window=*|--latency=*|--duration=*|--broker=*|--topic=*)
      set -- "${1%%=*}" "${1#*=}" "${@:2}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

if [ -n "$broker" ] && ! [[ "$broker" =~ ^[^:]+:[0-9]+$ ]]; then
  echo "--broker wants HOST:PORT, got: $broker" >&2
  exit 2
fi

. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
weather_build

export GST_PLUGIN_PATH="$WEATHER_BUILD/plugins${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
PY=/usr/bin/python3

work="$(mktemp -d "${TMPDIR:-/tmp}/weather-demo.XXXXXX")"
broker_pid=""
sub_pid=""
cleanup() {
  [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && kill "$broker_pid" 2>/dev/null || true
  [ -n "$broker_pid" ] && wait "$broker_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Waits (at most $2 seconds) until command $1 succeeds.
wait_until() {
  local cond="$1" deadline=$((SECONDS + $2))
  until eval "$cond"; do
    [ $SECONDS -lt $deadline ] || return 1
    sleep 0.1
  done
}

if [ -z "$broker" ]; then
  port="$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  cat >"$work/mosquitto.conf" <<EOF
listener $port 127.0.0.1
allow_anonymous true
persistence false
max_queued_messages 0
log_dest file $work/mosquitto.log
log_type error
log_type warning
log_type notice
log_type information
EOF
  # as root, mosquitto would switch to its own user, which cannot write
  # into this private folder
  [ "$(id -u)" != 0 ] || echo "user root" >>"$work/mosquitto.conf"
  # setsid: Ctrl-C goes to the pipeline only; the broker and the
  # subscriber must stay up until the last prediction is through.
  # Debian installs the broker in /usr/sbin, which a user's PATH may lack
  mosquitto="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  setsid "$mosquitto" -c "$work/mosquitto.conf" >/dev/null 2>&1 &
  broker_pid=$!
  if ! wait_until "grep -q 'listen socket on port $port' '$work/mosquitto.log' 2>/dev/null" 10; then
    echo "mosquitto did not start:" >&2
    cat "$work/mosquitto.log" >&2 || true
    exit 1
  fi
  broker="127.0.0.1:$port"
  echo "Started a private Mosquitto on $broker" >&2
fi
host="${broker%:*}"
port="${broker##*:}"

# The subscriber: mosquitto_sub, formatted by a few lines of Python. It
# stops at the control message sent after the pipeline has finished.
control="$topic/control"
cat >"$work/show.py" <<'EOF'
import json, sys
from datetime import datetime, timezone
control = sys.argv[1]
count = 0
def when(v):
    if isinstance(v, (int, float)):
        return datetime.fromtimestamp(v / 1000, tz=timezone.utc).strftime("%H:%M:%S")
    return str(v)[11:19] if v else "?"
for line in sys.stdin:
    t, _, payload = line.rstrip("\n").partition(" ")
    if t == control:
        if payload == "end":
            break
        print("subscriber ready on the broker", file=sys.stderr, flush=True)
        continue
    count += 1
    try:
        p = json.loads(payload)
    except ValueError:
        print("%s (not JSON) %s" % (t, payload), flush=True)
        continue
    g = lambda *k: next((p[x] for x in k if x in p and p[x] is not None), None)
    parts = ["%s-%s" % (when(g("window_start")), when(g("window_end")))]
    if g("forecast_letter"):
        parts.append(g("forecast_letter"))
    if g("forecast"):
        parts.append('"%s"' % g("forecast"))
    if g("chance_of_rain_pct") is not None:
        parts.append("rain %.0f%%" % g("chance_of_rain_pct"))
    if g("mean_pressure_hpa") is not None:
        parts.append("%.1f hPa" % g("mean_pressure_hpa"))
    if g("stations_used") is not None:
        parts.append("%s/%s stations" % (g("stations_used"),
                     (g("stations_used") or 0) + (g("stations_missing") or 0)))
    print("%s  %s" % (t, "  ".join(parts)), flush=True)
print("subscriber received %d predictions" % count, file=sys.stderr, flush=True)
EOF
mkfifo "$work/sub.fifo"
setsid mosquitto_sub -h "$host" -p "$port" -q 1 -v \
  -t "$topic/#" >"$work/sub.fifo" 2>"$work/sub.err" &
sub_pid=$!
setsid $PY -u "$work/show.py" "$control" <"$work/sub.fifo" 2>"$work/show.err" &
show_pid=$!

# Proves the subscription is active before anything is published.
if ! wait_until "mosquitto_pub -h '$host' -p '$port' -q 1 -t '$control' -m hello 2>/dev/null && grep -q ready '$work/show.err'" 10; then
  echo "cannot subscribe to $broker:" >&2
  cat "$work/sub.err" >&2
  exit 1
fi

echo "Predictions of $stations simulated stations, ${window} s windows, published to $topic/<model> on $broker." >&2
if [ "$duration" = 0 ]; then
  echo "The first one arrives about $window s after the start. Ctrl-C to stop." >&2
fi

# Ctrl-C is for the pipeline (it drains on EOS): this script only waits for
# it. A handler, not an ignore, so that the pipeline still gets SIGINT.
trap ':' INT
# The stats (the app's only standard output with --quiet) are shown once
# the subscriber is done, so that the last predictions, which reach it
# while the pipeline drains, are not printed in the middle of them.
status=0
$PY "$WEATHER_ROOT/examples/weather-app.py" --live --quiet \
  --stations "$stations" --window "$window" --latency "$latency" \
  --duration "$duration" --mqtt "$broker" --topic "$topic/{model}" \
  >"$work/stats.txt" || status=$?

# Everything the pipeline published has been acknowledged by the broker by
# now, so it is queued for the subscriber ahead of this control message:
# when the subscriber sees it, it has seen every prediction.
mosquitto_pub -h "$host" -p "$port" -q 1 -t "$control" -m end ||
  echo "could not reach $broker to end the subscriber" >&2
wait_until "! kill -0 $show_pid 2>/dev/null" 10 ||
  echo "the subscriber did not see the end of the stream" >&2
cat "$work/show.err" | grep -v ready >&2 || true
cat "$work/stats.txt"
exit "$status"
