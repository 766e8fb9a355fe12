#!/usr/bin/env bash
# Runs every benchmark of gst-weather and prints one JSON line per figure,
# each with its baseline measured in the same run, its goal and pass/fail.
# See bench/README.md for what each figure means and docs/performance.md
# for the latest results.
#
# Environment (defaults in brackets):
#   BENCH_BUILD            build dir to measure [./build, built if needed]
#   BENCH_READINGS         readings per throughput/scaling run [200000]
#   BENCH_REPEAT           runs per measurement, the fastest counts [3]
#   BENCH_STATIONS         station counts of the scaling figure
#                          ["10 100 1000 10000 100000 1000000"]; a count
#                          gets max(BENCH_READINGS, 5 x stations) readings
#   BENCH_GROUP_BY         weatherbin's group-by in the scaling figure
#                          (all, station, region) [all]
#   BENCH_SOAK_SECONDS     live soak at 10,000 stations [300]
#   BENCH_LATENCY_SECONDS  live latency run at 1,000 stations [300]
#   BENCH_OUT              where the raw results and the plot data go
#                          [$BENCH_BUILD/bench-results]
#   BENCH_ONLY             space separated subset of: throughput replay
#                          scaling memory soak latency others
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BENCH_BUILD:-$ROOT/build}"
N="${BENCH_READINGS:-200000}"
REPEAT="${BENCH_REPEAT:-3}"
STATIONS="${BENCH_STATIONS:-10 100 1000 10000 100000 1000000}"
GROUP_BY="${BENCH_GROUP_BY:-all}"
SOAK="${BENCH_SOAK_SECONDS:-300}"
LATENCY_SECONDS="${BENCH_LATENCY_SECONDS:-300}"
OUT="${BENCH_OUT:-$BUILD/bench-results}"
ONLY="${BENCH_ONLY:-throughput replay scaling memory soak latency others}"

WEATHER_BUILD="$BUILD"
. "$ROOT/scripts/setup.sh"
weather_build
mkdir -p "$OUT"

export GST_PLUGIN_PATH="$BUILD/plugins${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
RUNNER="$BUILD/bench/throughput/weather-bench-pipeline"
LATENCY="$BUILD/bench/latency/weather-bench-latency"
FLOOR="fakesrc num-buffers=$N sizetype=fixed sizemax=64 ! identity ! identity ! identity ! identity ! fakesink"

wants() { [[ " $ONLY " == *" $1 "* ]]; }

# jq is only the file-replay figure's yardstick
if wants replay; then weather_install_packages jq; fi

# An element counts as available when it is registered with pads (the MQTT
# elements are missing from a build without Paho).
missing_elements() {
  local e missing=()
  for e in "$@"; do
    # (no grep -q on the pipe: with pipefail, gst-inspect's SIGPIPE counts)
    gst-inspect-1.0 "$e" 2>/dev/null | grep -cE '^ +(SRC|SINK) template' \
      > /dev/null || missing+=("$e")
  done
  echo "${missing[*]}"
}

# figure NAME KEY=JSON... turns the raw measurements into the figure line.
figure() {
  python3 - "$@" <<'PY'
import json, sys

name, args = sys.argv[1], {}
for a in sys.argv[2:]:
    k, v = a.split("=", 1)
    try:
        args[k] = json.loads(v) if v else {"error": "no output"}
    except ValueError:
        args[k] = {"error": "unreadable output: " + v[:200]}

def pick(lines, bench, client, qos):
    """The line of bench/mqtt for this client and QoS, or None."""
    return next((l for l in lines if l.get("bench") == bench
                 and l.get("client") == client and l.get("qos") == qos), None)

def err(*runs):
    for r in runs:
        if not isinstance(r, dict) or "error" in r:
            return r.get("error", "no output") if isinstance(r, dict) else "no output"
    return None

out = {"figure": name}
if name == "throughput":
    ours, floor = args["ours"], args["floor"]
    e = err(ours, floor)
    out.update({"pipeline": args["pipeline"], "readings": args["readings"]})
    if e:
        out.update({"error": e, "pass": False})
    else:
        ratio = ours["wall_s"] / floor["wall_s"]
        out.update({
            "time_s": round(ours["wall_s"], 4),
            "cpu_s": round(ours["cpu_s"], 4),
            "readings_out_of_source": ours["buffers"],
            "predictions": ours["predictions"],
            "readings_per_s": round(ours["buffers"] / ours["wall_s"]),
            "baseline": {"pipeline": args["floor_pipeline"],
                         "time_s": round(floor["wall_s"], 4),
                         "buffers_per_s": round(floor["buffers"] / floor["wall_s"])},
            "ratio": round(ratio, 3), "goal": "time <= 1.5 x baseline",
            "pass": ratio <= 1.5 and ours["buffers"] == args["readings"]})
elif name == "replay":
    ours, chain, parse = args["ours"], args["chain"], args["parse"]
    jq = args.get("jq")
    e = err(ours, chain, parse)
    n, size = args["readings"], args["bytes"]
    out.update({"pipeline": args["pipeline"], "readings": n, "bytes": size})
    if e:
        out.update({"error": e, "pass": False})
    else:
        ratio = ours["wall_s"] / chain["wall_s"]
        out.update({
            "time_s": round(ours["wall_s"], 4), "cpu_s": round(ours["cpu_s"], 4),
            "predictions": ours["predictions"],
            "weatherparse_alone": {
                "pipeline": args["parse_pipeline"],
                "time_s": round(parse["wall_s"], 4),
                "mb_per_s": round(size / 1e6 / parse["wall_s"], 1),
                "readings_per_s": round(n / parse["wall_s"])},
            "baseline": {"pipeline": args["chain_pipeline"],
                         "time_s": round(chain["wall_s"], 4),
                         "predictions": chain["predictions"]},
            "ratio": round(ratio, 3), "goal": "time <= 2 x baseline",
            "pass": ratio <= 2 and ours["predictions"] == chain["predictions"]})
        if isinstance(jq, dict) and "wall_s" in jq:
            out["for_scale"] = {"command": "jq -c . FILE > /dev/null",
                                "time_s": round(jq["wall_s"], 4),
                                "mb_per_s": round(size / 1e6 / jq["wall_s"], 1)}
elif name in ("scaling", "memory-peak"):
    floor = args["floor"]
    points = sorted((int(k[1:]), v) for k, v in args.items() if k[0] == "s" and k[1:].isdigit())
    e = err(floor, *[v for _, v in points])
    if e:
        out.update({"error": e, "pass": False})
    elif name == "scaling":
        base_ns = floor["wall_s"] / floor["buffers"] * 1e9
        pts = [{"stations": s, "ns_per_reading": round(v["wall_s"] / v["buffers"] * 1e9, 1),
                "cpu_ns_per_reading": round(v["cpu_s"] / v["buffers"] * 1e9, 1),
                "predictions": v["predictions"]} for s, v in points]
        for p, (s, v) in zip(pts, points):
            p["readings"] = v["buffers"]
        with open(args["data"], "w") as f:
            f.write("# stations ns_per_reading floor_ns_per_buffer\n")
            for p in pts:
                f.write("%d %.1f %.1f\n" % (p["stations"], p["ns_per_reading"], base_ns))
        # the goal holds at 10,000 stations and at the largest count
        judged = sorted({p["stations"] for p in pts if p["stations"] in (10000, pts[-1]["stations"])})
        ratios = {str(s): round(next(p for p in pts if p["stations"] == s)["ns_per_reading"]
                                / pts[0]["ns_per_reading"], 3) for s in judged}
        out.update({"readings": args["readings"], "group_by": args["group_by"],
                    "points": pts,
                    "baseline": {"pipeline": "fakesrc ! 4 x identity ! fakesink",
                                 "ns_per_buffer": round(base_ns, 1)},
                    "ratio": ratios,
                    "goal": "cost per reading at %s stations <= 1.3 x at %d" % (
                        " and ".join(str(s) for s in judged), points[0][0]),
                    "pass": all(r <= 1.3 for r in ratios.values())})
    else:
        rss = {str(s): round(v["peak_rss_kb"] / 1024, 1) for s, v in points}
        # 100 MB at 10,000 stations, 600 MB at 1,000,000
        limits = {s: lim for s, lim in ((10000, 100), (1000000, 600)) if str(s) in rss}
        out.update({"peak_rss_mb": rss,
                    "baseline": {"pipeline": "fakesrc ! 4 x identity ! fakesink",
                                 "peak_rss_mb": round(floor["peak_rss_kb"] / 1024, 1)},
                    "goal": " and ".join("peak RSS at %d stations <= %d MB" % (s, lim)
                                         for s, lim in sorted(limits.items())),
                    "pass": bool(limits) and all(rss[str(s)] <= lim for s, lim in limits.items())})
elif name == "memory-soak":
    soak = args["soak"]
    e = err(soak)
    samples = soak.get("rss_samples_kb", []) if not e else []
    if e or len(samples) < 8:
        out.update({"error": e or "too few samples", "pass": False})
    else:
        q = len(samples) // 4
        mb = [round(x / 1024, 1) for x in samples]
        warm = sum(mb[q:2 * q]) / q
        end = sum(mb[-q:]) / q
        growth = end - warm
        out.update({"pipeline": args["pipeline"], "seconds": args["seconds"],
                    "sample_every_s": soak["sample_every_s"], "rss_mb": mb,
                    "readings": soak["buffers"], "predictions": soak["predictions"],
                    "baseline": {"what": "mean RSS over the second quarter of the soak",
                                 "rss_mb": round(warm, 1)},
                    "end_rss_mb": round(end, 1), "growth_mb": round(growth, 1),
                    "peak_rss_mb": round(soak["peak_rss_kb"] / 1024, 1),
                    "goal": "peak <= 100 MB and growth (last quarter vs second) <= 5 %",
                    "pass": soak["peak_rss_kb"] / 1024 <= 100 and growth <= 0.05 * warm
                            and soak["predictions"] > 0})
elif name == "latency":
    ours, base = args["ours"], args["base"]
    e = err(ours, base)
    if e:
        out.update({"error": e, "pass": False})
    else:
        out.update({"stations": ours["stations"], "seconds": ours["seconds"],
                    "predictions": ours["measured"], "latency_ms": ours["latency_ns"] / 1e6,
                    "clock": ours["clock"],
                    "p50_ms": ours["p50_ns"] / 1e6, "p99_ms": ours["p99_ns"] / 1e6,
                    "max_ms": ours["max_ns"] / 1e6,
                    "stages": {"grouped_p50_ms": ours["grouped_p50_ns"] / 1e6,
                               "grouped_p99_ms": ours["grouped_p99_ns"] / 1e6,
                               "posted_p50_ms": ours["posted_p50_ns"] / 1e6,
                               "posted_p99_ms": ours["posted_p99_ns"] / 1e6},
                    "baseline": {"stations": base["stations"], "predictions": base["measured"],
                                 "p50_ms": base["p50_ns"] / 1e6, "p99_ms": base["p99_ns"] / 1e6,
                                 "grouped_p50_ms": base["grouped_p50_ns"] / 1e6,
                                 "posted_p50_ms": base["posted_p50_ns"] / 1e6},
                    "goal": "p99 <= the baseline's p99 + 0.3 ms",
                    "pass": ours["measured"] > 0 and base["measured"] > 0
                            and ours["p99_ns"] <= base["p99_ns"] + 0.3e6})
elif name == "mqtt-ingest":
    lines = args["lines"] if isinstance(args.get("lines"), list) else []
    ours0, base0, ours1, base1 = (pick(lines, "mqtt-ingest", "mqttsrc", 0),
                                  pick(lines, "mqtt-ingest", "mosquitto_sub", 0),
                                  pick(lines, "mqtt-ingest", "mqttsrc", 1),
                                  pick(lines, "mqtt-ingest", "mosquitto_sub", 1))
    if not all((ours0, base0, ours1, base1)):
        out.update({"error": "bench/mqtt printed no ingest lines", "pass": False})
    else:
        ratio = ours0["cpu_us_per_msg"] / base0["cpu_us_per_msg"]
        out.update({
            "what": "CPU per message of the receiving process (mqttsrc ! fakesink, run by the pipeline runner), readings published by a bare Paho client with a window of 100",
            "messages": ours0["messages"],
            "cpu_us_per_msg": {"qos0": ours0["cpu_us_per_msg"], "qos1": ours1["cpu_us_per_msg"]},
            "received": {"qos0": ours0["received"], "qos1": ours1["received"]},
            "baseline": {"client": "mosquitto_sub -C N",
                         "cpu_us_per_msg": {"qos0": base0["cpu_us_per_msg"], "qos1": base1["cpu_us_per_msg"]},
                         "received": {"qos0": base0["received"], "qos1": base1["received"]}},
            "ratio": round(ratio, 3),
            "goal": "QoS 0 CPU per message <= 2 x baseline; QoS 1 nothing lost",
            "pass": ratio <= 2 and ours1["received"] == ours1["messages"]})
elif name == "mqtt-publish":
    lines = args["lines"] if isinstance(args.get("lines"), list) else []
    ours, paho, pub = (pick(lines, "mqtt", "mqttsink", 0), pick(lines, "mqtt", "paho", 0),
                       pick(lines, "mqtt", "mosquitto_pub", 0))
    if not ours or not paho:
        out.update({"error": "bench/mqtt printed no publish lines", "pass": False})
    else:
        ratio = ours["msgs_per_s"] / paho["msgs_per_s"]
        out.update({"messages": ours["messages"], "qos": 0,
                    "msgs_per_s": ours["msgs_per_s"], "received": ours["received"],
                    "baseline": {"client": "bare Paho MQTTAsync, the same window",
                                 "msgs_per_s": paho["msgs_per_s"]},
                    "for_information": {"client": "mosquitto_pub -l",
                                        "msgs_per_s": pub["msgs_per_s"] if pub else None},
                    "ratio": round(ratio, 3), "goal": "QoS 0 rate >= 0.9 x baseline",
                    "pass": ratio >= 0.9 and ours["received"] == ours["messages"]})
print(json.dumps(out))
PY
}

skipped() { # NAME REASON
  python3 -c 'import json,sys; print(json.dumps({"figure": sys.argv[1], "skipped": sys.argv[2]}))' "$1" "$2"
}

run_pipeline() { # OUTFILE ARGS... ; prints the runner's JSON line
  local out="$1"; shift
  "$RUNNER" "$@" > "$out" 2> "$out.log" || true
  cat "$out"
}

# fastest OUTFILE RUNFILES... ; keeps the run with the least wall time,
# with the highest peak RSS of them all
fastest() {
  local out="$1"; shift
  python3 - "$@" > "$out" <<'PY'
import json, sys

runs = []
for path in sys.argv[1:]:
    try:
        runs.append(json.load(open(path)))
    except ValueError:
        pass
runs = [r for r in runs if "wall_s" in r]
if runs:
    best = dict(min(runs, key=lambda r: r["wall_s"]))
    best["peak_rss_kb"] = max(r.get("peak_rss_kb", 0) for r in runs)
    print(json.dumps(best))
else:
    print("")
PY
  cat "$out"
}

OURS_ELEMENTS=(weathersrc weatherbin predictor)
missing="$(missing_elements "${OURS_ELEMENTS[@]}")"

# 1. Throughput against GStreamer's floor.
if wants throughput; then
  if [ -n "$missing" ]; then
    skipped throughput "element(s) not available: $missing"
  else
    # The two alternate, a process each time, so that a slow spell of the
    # machine hits both; each process runs its pipeline REPEAT times.
    ours_desc="weathersrc is-live=false stations=10 num-buffers=$N ! weatherbin ! predictor ! fakesink"
    for r in 1 2 3; do
      run_pipeline "$OUT/floor-$r.json" --repeat="$REPEAT" "$FLOOR" > /dev/null
      run_pipeline "$OUT/throughput-$r.json" --repeat="$REPEAT" "$ours_desc" > /dev/null
    done
    floor="$(fastest "$OUT/floor.json" "$OUT"/floor-[123].json)"
    ours="$(fastest "$OUT/throughput.json" "$OUT"/throughput-[123].json)"
    figure throughput "floor=$floor" "ours=$ours" "readings=$N" \
      "pipeline=\"$ours_desc\"" "floor_pipeline=\"$FLOOR\""
  fi
fi

# 1b. File replay: the same readings as figure 1, written as JSON lines
# and parsed back, against figure 1's chain on them; weatherparse alone in
# MB/s, and jq on the same file for scale.
if wants replay; then
  if [ -n "$missing" ] || [ -n "$(missing_elements weatherparse weatherenc)" ]; then
    skipped replay "element(s) not available: $missing $(missing_elements weatherparse weatherenc)"
  else
    replay_file="$OUT/replay.jsonl"
    gst-launch-1.0 -q weathersrc is-live=false stations=10 num-buffers="$N" \
      ! weatherenc ! filesink location="$replay_file" > /dev/null
    chain_desc="weathersrc is-live=false stations=10 num-buffers=$N ! weatherbin ! predictor ! fakesink"
    ours_desc="filesrc location=$replay_file ! weatherparse ! weatherbin ! predictor ! fakesink"
    parse_desc="filesrc location=$replay_file ! weatherparse ! fakesink"
    for r in 1 2 3; do
      run_pipeline "$OUT/replay-chain-$r.json" --repeat="$REPEAT" "$chain_desc" > /dev/null
      run_pipeline "$OUT/replay-$r.json" --repeat="$REPEAT" "$ours_desc" > /dev/null
      run_pipeline "$OUT/replay-parse-$r.json" --repeat="$REPEAT" "$parse_desc" > /dev/null
    done
    jq_json=""
    if command -v jq > /dev/null; then
      jq_json="$(python3 - "$replay_file" <<'PY'
import json, subprocess, sys, time
best = None
for _ in range(3):
    t0 = time.monotonic()
    subprocess.run(["jq", "-c", ".", sys.argv[1]], stdout=subprocess.DEVNULL, check=True)
    t = time.monotonic() - t0
    best = t if best is None else min(best, t)
print(json.dumps({"wall_s": best}))
PY
)"
    fi
    figure replay "ours=$(fastest "$OUT/replay.json" "$OUT"/replay-[123].json)" \
      "chain=$(fastest "$OUT/replay-chain.json" "$OUT"/replay-chain-[123].json)" \
      "parse=$(fastest "$OUT/replay-parse.json" "$OUT"/replay-parse-[123].json)" \
      "jq=$jq_json" "readings=$N" "bytes=$(stat -c %s "$replay_file")" \
      "pipeline=\"$ours_desc\"" "chain_pipeline=\"$chain_desc\"" \
      "parse_pipeline=\"$parse_desc\""
  fi
fi

# 2. Station scaling (and 3a. peak RSS, from the same runs).
if wants scaling || wants memory; then
  if [ -n "$missing" ]; then
    wants scaling && skipped scaling "element(s) not available: $missing"
    wants memory && skipped memory-peak "element(s) not available: $missing"
  else
    # Three rounds over the station counts and the floor, a process each,
    # the fastest counting: a slow spell of the machine hits every count
    # alike, and the floor too.
    # The peak RSS is a process of its own running the pipeline once: a
    # second run in the same process would add what the allocator kept of
    # the first (GSlice's slabs of the first run's buffers, malloc's
    # arenas of its threads), 90-150 MB at a million stations
    # (docs/performance.md, "A million stations").
    for r in 1 2 3; do
      run_pipeline "$OUT/floor-s$r.json" --repeat="$REPEAT" "$FLOOR" > /dev/null
      if wants memory; then
        run_pipeline "$OUT/floor-m$r.json" --repeat=1 "$FLOOR" > /dev/null
      fi
      for s in $STATIONS; do
        # at least five windows of every station
        n=$(( 5 * s > N ? 5 * s : N ))
        desc="weathersrc is-live=false stations=$s num-buffers=$n ! weatherbin group-by=$GROUP_BY ! predictor ! fakesink"
        run_pipeline "$OUT/scaling-$s-$r.json" --repeat="$REPEAT" "$desc" > /dev/null
        if wants memory; then
          run_pipeline "$OUT/memory-$s-$r.json" --repeat=1 "$desc" > /dev/null
        fi
      done
    done
    common=("readings=$N" "group_by=\"$GROUP_BY\"")
    args=("floor=$(fastest "$OUT/floor-s.json" "$OUT"/floor-s[123].json)")
    for s in $STATIONS; do
      args+=("s$s=$(fastest "$OUT/scaling-$s.json" "$OUT"/scaling-"$s"-[123].json)")
    done
    wants scaling && figure scaling "${args[@]}" "${common[@]}" "data=\"$OUT/scaling.dat\""
    if wants memory; then
      args=("floor=$(fastest "$OUT/floor-m.json" "$OUT"/floor-m[123].json)")
      for s in $STATIONS; do
        args+=("s$s=$(fastest "$OUT/memory-$s.json" "$OUT"/memory-"$s"-[123].json)")
      done
      figure memory-peak "${args[@]}" "${common[@]}"
    fi
  fi
fi

# 3b. RSS over a live soak at 10,000 stations.
if wants soak; then
  if [ -n "$missing" ]; then
    skipped memory-soak "element(s) not available: $missing"
  else
    every=$(( SOAK >= 60 ? 5 : 1 ))
    desc="weathersrc is-live=true stations=10000 ! weatherbin ! predictor ! fakesink"
    soak="$(run_pipeline "$OUT/soak.json" --duration="$SOAK" --sample-every="$every" "$desc")"
    figure memory-soak "soak=$soak" "seconds=$SOAK" "pipeline=\"$desc\""
  fi
fi

# 4. Latency past window end + latency, live, 1,000 stations at 1 Hz; the
# baseline is the same measurement at 10 stations in the same run.
if wants latency; then
  if [ -n "$missing" ]; then
    skipped latency "element(s) not available: $missing"
  else
    base="$("$LATENCY" --stations=10 --seconds="$(( (LATENCY_SECONDS + 1) / 2 ))" 2> "$OUT/latency-10.log" || true)"
    ours="$("$LATENCY" --stations=1000 --seconds="$LATENCY_SECONDS" 2> "$OUT/latency-1000.log" || true)"
    echo "$base" > "$OUT/latency-10.json"
    echo "$ours" > "$OUT/latency-1000.json"
    figure latency "base=$base" "ours=$ours"
  fi
fi

# 5. The benchmarks other components keep in bench/<name>/: each prints its
# own JSON lines.
if wants others; then
  for name in grouper mqtt; do
    if [ "$name" = mqtt ] && [ -x "$ROOT/bench/mqtt/run.sh" ]; then
      # its lines, then the two figures made from them
      "$ROOT/bench/mqtt/run.sh" "$BUILD" > "$OUT/mqtt.jsonl" ||
        skipped mqtt "bench/mqtt/run.sh failed (exit $?)"
      cat "$OUT/mqtt.jsonl"
      mqtt_lines="$(python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]))' "$OUT/mqtt.jsonl")"
      figure mqtt-publish "lines=$mqtt_lines"
      figure mqtt-ingest "lines=$mqtt_lines"
    elif [ -x "$ROOT/bench/$name/run.sh" ]; then
      "$ROOT/bench/$name/run.sh" "$BUILD" || skipped "$name" "bench/$name/run.sh failed (exit $?)"
    elif compgen -G "$BUILD/bench/$name/*" > /dev/null; then
      found=0
      for exe in "$BUILD/bench/$name"/*; do
        [ -f "$exe" ] && [ -x "$exe" ] || continue
        found=1
        "$exe" || skipped "$name" "$(basename "$exe") failed (exit $?)"
      done
      [ "$found" -eq 1 ] || skipped "$name" "no benchmark built in bench/$name"
    else
      skipped "$name" "bench/$name not present"
    fi
  done
fi
