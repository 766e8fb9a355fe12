#!/usr/bin/python3
# gst-weather
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Runs the files of pipelines/ as their header comments say, against a
private Mosquitto on a free 127.0.0.1 port, and checks what comes out.

    run.py CASE      CASE: 01 02 03 04 05 06 07 (one pipeline file each)

Meson runs each case as a test with the isolated environment of
tests/check (no system plugin path, the build's plugin and GStreamer's
coreelements/coretracers/app only, a private registry). Exit status 0 =
pass, 1 = fail, 77 = skipped (a tool or an element is not there).

No fixed sleeps wait for an element: every wait is for a process to exit,
a line from the subscriber or the broker's log, or a file to fill, and each
is bounded by a timeout.
"""

import json
import os
import queue
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

SRCDIR = os.environ.get("WEATHER_TEST_SRCDIR",
                        os.path.join(os.path.dirname(__file__), "..", ".."))
PIPELINES = os.path.join(SRCDIR, "pipelines")
SKIP = 77
SECOND = 1000000000

# the simulated replay starts at 2024-01-01T00:00:00Z
REPLAY_START_NS = 1704067200 * SECOND


# Debian installs the broker in /usr/sbin, which a user's PATH may lack
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


class Failure(Exception):
    pass


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def need(*tools):
    for t in tools:
        if shutil.which(t) is None and not os.path.exists(t):
            log("SKIP: %s is not installed" % t)
            sys.exit(SKIP)


def need_elements(*names):
    for n in names:
        # --exists alone compares with the GStreamer version, not ours
        r = subprocess.run(["gst-inspect-1.0", "--exists",
                            "--atleast-version=0.0", n])
        if r.returncode != 0:
            log("SKIP: element %s is not in the plugin (built without it)" % n)
            sys.exit(SKIP)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(cond, timeout, what):
    """Polls @cond (a cheap check of a file or a process) until it holds;
    fails after @timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() > deadline:
            raise Failure("timed out after %g s waiting for %s" %
                          (timeout, what))
        time.sleep(0.05)


class Broker:
    """A private Mosquitto with its own configuration file."""

    def __init__(self, workdir):
        self.port = free_port()
        self.log_path = os.path.join(workdir, "mosquitto.log")
        conf = os.path.join(workdir, "mosquitto.conf")
        with open(conf, "w") as f:
            f.write("listener %d 127.0.0.1\n" % self.port)
            f.write("allow_anonymous true\n")
            f.write("persistence false\n")
            # the default (1000) would make a slow subscriber miss messages:
            # a test that counts must measure us, not the broker
            f.write("max_queued_messages 0\n")
            f.write("log_dest file %s\n" % self.log_path)
            if os.geteuid() == 0:
                # as root, mosquitto would switch to its own user, which
                # cannot write into our private work folder
                f.write("user root\n")
            for t in ("error", "warning", "notice", "information",
                      "subscribe"):
                f.write("log_type %s\n" % t)
        self.proc = subprocess.Popen([MOSQUITTO, "-c", conf],
                                     stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: "listen socket on port %d" % self.port
                     in self.read_log() or self.proc.poll() is not None,
                     10, "mosquitto to listen")
        except Failure:
            self.stop()
            raise
        if self.proc.poll() is not None:
            raise Failure("mosquitto exited: %s" % self.read_log())

    def read_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def count_subscriptions(self, topic_filter):
        # "<time>: <client-id> <qos> <filter>" for each SUBSCRIBE
        n = 0
        for line in self.read_log().splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[-1] == topic_filter:
                n += 1
        return n

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Subscriber:
    """mosquitto_sub -v on @filters; lines are read by a thread. ready()
    proves the subscription is active before anything is published, end()
    that everything published before it has been delivered."""

    def __init__(self, broker, *filters):
        self.broker = broker
        self.control = "test/control/%d" % os.getpid()
        args = ["mosquitto_sub", "-h", "127.0.0.1", "-p", str(broker.port),
                "-q", "1", "-v", "-t", self.control]
        for f in filters:
            args += ["-t", f]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        self.messages = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def _publish_control(self, payload):
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p",
                        str(self.broker.port), "-q", "1", "-t", self.control,
                        "-m", payload], check=True, timeout=10)

    def _until_control(self, payload, timeout, republish):
        deadline = time.monotonic() + timeout
        self._publish_control(payload)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("subscriber did not see %r within %g s" %
                              (payload, timeout))
            try:
                line = self.lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if republish:
                    self._publish_control(payload)
                continue
            if line is None:
                raise Failure("mosquitto_sub exited: %s" %
                              self.proc.stderr.read())
            topic, _, msg = line.partition(" ")
            if topic == self.control:
                if msg == payload:
                    return
                continue
            self.messages.append((topic, msg))

    def ready(self):
        # until the subscription exists the probe is lost: publish again
        self._until_control("ready", 10, republish=True)

    def end(self, timeout=20):
        self._until_control("end", timeout, republish=False)
        return self.messages

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


class Pipeline:
    """One pipelines/ file run as its header says, with @env added."""

    def __init__(self, name, env, workdir):
        self.name = name
        e = dict(os.environ)
        e.update({k: str(v) for k, v in env.items()})
        self.out_path = os.path.join(workdir, name + ".log")
        self.out = open(self.out_path, "w")
        self.proc = subprocess.Popen([os.path.join(PIPELINES, name)],
                                     env=e, stdout=self.out,
                                     stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def output(self):
        with open(self.out_path) as f:
            return f.read()

    def wait(self, timeout):
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure("%s did not finish within %g s:\n%s" %
                          (self.name, timeout, self.output()))
        if rc != 0:
            raise Failure("%s exited with %d:\n%s" % (self.name, rc,
                                                      self.output()))

    def kill(self, sig=signal.SIGKILL):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(10)


def run_gst(args, timeout=120):
    r = subprocess.run(["gst-launch-1.0", "-q", "-e"] + args,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=timeout)
    if r.returncode != 0:
        raise Failure("gst-launch-1.0 %s failed:\n%s" % (" ".join(args),
                                                         r.stdout))


def parse_predictions(lines, where):
    preds = []
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        try:
            p = json.loads(line)
        except ValueError as e:
            raise Failure("%s line %d is not JSON (%s): %r" %
                          (where, i + 1, e, line[:200]))
        preds.append(p)
    return preds


def epoch_ns(v):
    """A timestamp of the JSON schema (RFC 3339 string or epoch ms) as
    epoch ns."""
    if isinstance(v, (int, float)):
        return int(v * 1000000)
    from datetime import datetime
    s = v.rstrip("Z")
    frac = 0
    if "." in s:
        s, f = s.split(".")
        frac = int((f + "000000000")[:9])
    t = datetime.strptime(s, "%Y-%m-%dT%H:%M:%S")
    from calendar import timegm
    return timegm(t.timetuple()) * SECOND + frac


REQUIRED = ("window_start", "window_end", "model", "chance_of_rain_pct",
            "stations_used", "stations_missing")


def check_predictions(preds, window_ns, where, stations=None, count=None,
                      min_count=1):
    if count is not None and len(preds) != count:
        raise Failure("%s: %d predictions, expected %d" %
                      (where, len(preds), count))
    if len(preds) < min_count:
        raise Failure("%s: %d predictions, expected at least %d" %
                      (where, len(preds), min_count))
    prev_end = None
    for i, p in enumerate(preds):
        for k in REQUIRED:
            if k not in p:
                raise Failure("%s: prediction %d has no %s: %s" %
                              (where, i, k, p))
        start, end = epoch_ns(p["window_start"]), epoch_ns(p["window_end"])
        if end - start != window_ns or start % window_ns != 0:
            raise Failure("%s: prediction %d: window %s..%s is not an "
                          "epoch-aligned %d ns window" %
                          (where, i, p["window_start"], p["window_end"],
                           window_ns))
        if prev_end is not None and start < prev_end:
            raise Failure("%s: prediction %d goes back in time" % (where, i))
        prev_end = end
        rain = p["chance_of_rain_pct"]
        if rain is None or not 0 <= rain <= 100:
            raise Failure("%s: prediction %d: chance of rain %r" %
                          (where, i, rain))
        if stations is not None and p["stations_used"] != stations:
            raise Failure("%s: prediction %d used %d stations, expected %d:"
                          " %s" % (where, i, p["stations_used"], stations, p))
    return preds


# --- the cases -------------------------------------------------------------

def case_01(work):
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub")
    need_elements("weathersrc", "weatherbin", "predictor", "mqttsink")
    broker = Broker(work)
    try:
        sub = Subscriber(broker, "test/predictions/#")
        sub.ready()
        # 5 stations, one reading a second each, 120 s of simulated time
        # from 2024-01-01T00:00:00Z: 12 windows of 10 s
        p = Pipeline("01-simulated-to-mqtt.sh", {
            "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
            "STATIONS": 5, "NUM_BUFFERS": 600, "WINDOW": 10 * SECOND,
            "TOPIC": "test/predictions/{model}"}, work)
        p.wait(120)
        msgs = sub.end()
        sub.stop()
        for t, _ in msgs:
            if t != "test/predictions/zambretti":
                raise Failure("prediction on unexpected topic %s" % t)
        preds = parse_predictions([m for _, m in msgs], "subscriber")
        check_predictions(preds, 10 * SECOND, "pipeline 1", stations=5,
                          count=12)
        if epoch_ns(preds[0]["window_start"]) != REPLAY_START_NS:
            raise Failure("first window starts at %s, not at the replay "
                          "start" % preds[0]["window_start"])
        log("pipeline 1: %d predictions received by the subscriber" %
            len(preds))
    finally:
        broker.stop()


def make_inputs(work, stations=5, readings=6000, seed=3):
    """A clean JSON-lines file of simulated readings (a reading per station
    every 100 ms, 120 s in all), and a messy copy of it: lines delivered up
    to 300 ms late (so each station's readings come out of order), 10 % of
    them twice, and garbage lines among them. Within the 500 ms budget the
    messy file must give exactly the predictions of the clean one."""
    import random
    clean = os.path.join(work, "clean.jsonl")
    messy = os.path.join(work, "messy.jsonl")
    run_gst(["weathersrc", "stations=%d" % stations, "period=100000000",
             "num-buffers=%d" % readings, "seed=%d" % seed, "!",
             "weatherenc", "!", "filesink", "location=" + clean])
    with open(clean) as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    if len(lines) != readings:
        raise Failure("weathersrc ! weatherenc wrote %d lines, expected %d"
                      % (len(lines), readings))
    rng = random.Random(seed)
    arrivals = []
    for l in lines:
        t = epoch_ns(json.loads(l)["created_at"])
        arrivals.append((t + rng.randrange(300000000), l))
        if rng.random() < 0.1:
            arrivals.append((t + rng.randrange(300000000), l))
    arrivals.sort(key=lambda a: a[0])
    swapped = sum(1 for a, b in zip(arrivals, arrivals[1:])
                  if epoch_ns(json.loads(b[1])["created_at"]) <
                  epoch_ns(json.loads(a[1])["created_at"]))
    if swapped < readings // 10:
        raise Failure("the messy input is hardly out of order (%d)" % swapped)
    garbage = ['{"station_id": 1, "created_at": "not a time"}',
               'this is not JSON',
               '{"station_id": 2, "created_at": "2024-01-01T00:00:05Z", '
               '"pressure_hpa": 5000}',
               '{"station_id": "x"',
               '[1, 2, 3]']
    with open(messy, "w") as f:
        for i, (_, l) in enumerate(arrivals):
            f.write(l + "\n")
            if i % 997 == 0:
                f.write(garbage[(i // 997) % len(garbage)] + "\n")
    return clean, messy


def replay(script, work, inp, name, extra=None):
    out = os.path.join(work, name + ".predictions.jsonl")
    env = {"IN": inp, "OUT": out, "WINDOW": 10 * SECOND,
           "LATENCY": 500000000}
    env.update(extra or {})
    p = Pipeline(script, env, work)
    p.wait(120)
    if script == "03-file-replay.sh" and \
            "bytes (100.0 %)" not in p.output():
        raise Failure("pipeline 3: no final progress report:\n%s" %
                      p.output())
    with open(out) as f:
        text = f.read()
    return text, parse_predictions(text.splitlines(), name)


def case_03(work):
    need_elements("weathersrc", "weatherparse", "weatherbin", "predictor",
                  "weatherenc", "progressreport")
    clean, messy = make_inputs(work)
    clean_text, preds = replay("03-file-replay.sh", work, clean, "clean")
    check_predictions(preds, 10 * SECOND, "pipeline 3 (clean input)",
                      stations=5, count=12)
    messy_text, _ = replay("03-file-replay.sh", work, messy, "messy")
    if messy_text != clean_text:
        raise Failure("pipeline 3: the late, duplicated and garbled input "
                      "gave other predictions than the clean one:\n%s\n---"
                      "\n%s" % (clean_text, messy_text))
    log("pipeline 3: %d predictions, the same from clean and messy input" %
        len(preds))


def case_04(work):
    need_elements("weathersrc", "weatherparse", "demux", "reorderqueue",
                  "grouper", "predictor", "weatherenc", "weatherbin",
                  "progressreport")
    clean, messy = make_inputs(work)
    reference, preds = replay("03-file-replay.sh", work, clean, "weatherbin")
    check_predictions(preds, 10 * SECOND, "pipeline 3 (reference)",
                      stations=5, count=12)
    long_text, _ = replay("04-long-form.sh", work, messy, "long-form",
                          {"STATION_IDS": "0 1 2 3 4"})
    if long_text != reference:
        raise Failure("pipeline 4 (long form) gave other predictions than "
                      "weatherbin:\n%s\n---\n%s" % (reference, long_text))
    log("pipeline 4: %d predictions, identical to weatherbin's" % len(preds))


def publish_readings(broker, work, name, n, topic, stations=3):
    p = Pipeline("00-simulated-stations-to-mqtt.sh", {
        "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
        "STATIONS": stations, "PERIOD": 200000000, "JITTER": 50000000,
        "NUM_BUFFERS": n, "TOPIC": topic + "/{station}"}, work)
    p.name = name
    p.wait(60)


def case_02(work):
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub")
    need_elements("weathersrc", "weatherbin", "predictor", "mqttsink",
                  "mqttsrc")
    broker = Broker(work)
    try:
        sub = Subscriber(broker, "test/predictions/#")
        sub.ready()
        p = Pipeline("02-mqtt-to-mqtt.sh", {
            "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
            "IN_TOPIC": "test/readings/#",
            "OUT_TOPIC": "test/predictions/{model}",
            "WINDOW": 2 * SECOND, "LATENCY": 300000000,
            "NETWORK_LATENCY": 300000000, "IDLE_TIMEOUT": 3 * SECOND}, work)
        wait_for(lambda: broker.count_subscriptions("test/readings/#") >= 1
                 or p.proc.poll() is not None, 20,
                 "pipeline 2 to subscribe")
        # 3 live stations, 5 readings a second each, for 6 s
        publish_readings(broker, work, "publisher", 90, "test/readings")
        p.wait(60)
        msgs = sub.end()
        sub.stop()
        preds = parse_predictions([m for _, m in msgs], "subscriber")
        # 6 s of readings in 2 s windows: 3 windows, a 4th when the start
        # is not aligned to the windows
        check_predictions(preds, 2 * SECOND, "pipeline 2", min_count=3)
        if len(preds) > 4:
            raise Failure("pipeline 2: %d predictions for 6 s of readings "
                          "in 2 s windows" % len(preds))
        full = [q for q in preds if q["stations_used"] == 3]
        if len(full) < 2:
            raise Failure("pipeline 2: fewer than 2 windows with all 3 "
                          "stations: %s" % preds)
        log("pipeline 2: %d predictions received by the subscriber" %
            len(preds))
    finally:
        broker.stop()


def read_lines(path):
    try:
        with open(path) as f:
            return [l for l in f.read().splitlines() if l.strip()]
    except FileNotFoundError:
        return []


def case_05(work):
    """Three members of pipeline 5 (partition=I/3 by station), a standby
    for member 2 and one whole pipeline (MEMBERS=1), all subscribed to the
    same topics: the members' predictions together are the whole
    pipeline's, each station's in the member its id names, and the
    standby's are member 2's."""
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub")
    need_elements("weathersrc", "weatherbin", "predictor", "mqttsink",
                  "mqttsrc")
    broker = Broker(work)
    runs = {}
    stations = 6
    try:
        sub = Subscriber(broker, "test/predictions/#")
        sub.ready()
        for name, member, members in (("m1", 1, 3), ("m2", 2, 3),
                                      ("m3", 3, 3), ("standby", 2, 3),
                                      ("whole", 1, 1)):
            runs[name] = Pipeline("05-scale-out.sh", {
                "MEMBER": member, "MEMBERS": members,
                "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
                "IN_TOPIC": "test/readings/#",
                "OUT_TOPIC": "test/predictions/%s/{station}/{model}" % name,
                "WINDOW": SECOND, "LATENCY": SECOND,
                "NETWORK_LATENCY": SECOND, "IDLE_TIMEOUT": 3 * SECOND}, work)
            runs[name].name = "05-scale-out.sh " + name
        wait_for(lambda: broker.count_subscriptions("test/readings/#") >=
                 len(runs) or any(r.proc.poll() is not None
                                  for r in runs.values()), 20,
                 "every member to subscribe")
        # 6 live stations, 5 readings a second each, for 4 s
        publish_readings(broker, work, "publisher", 20 * stations,
                         "test/readings", stations=stations)
        for r in runs.values():
            r.wait(60)
        msgs = sub.end()
        sub.stop()
        by_run = {name: {} for name in runs}
        for t, m in msgs:
            levels = t.split("/")
            # test/predictions/RUN/KEY/MODEL
            by_run[levels[2]].setdefault(levels[3], []).append(m)
        for name in runs:
            if not by_run[name]:
                raise Failure("%s published no prediction" % name)
            for key, payloads in by_run[name].items():
                check_predictions(parse_predictions(payloads, name),
                                  SECOND, "%s %s" % (name, key))
        whole = by_run["whole"]
        if sorted(whole) != ["sim-%d" % i for i in range(stations)]:
            raise Failure("the whole pipeline predicted for %s" %
                          sorted(whole))
        union = {}
        for i, name in enumerate(("m1", "m2", "m3")):
            for key, payloads in by_run[name].items():
                # station sim-N has id N: partition I keeps N mod 3 = I-1
                if int(key.split("-")[1]) % 3 != i:
                    raise Failure("%s predicted %s of another partition" %
                                  (name, key))
                if key in union:
                    raise Failure("%s predicted in two members" % key)
                union[key] = payloads
        if union != whole:
            raise Failure("the members' predictions are not the whole "
                          "pipeline's:\nmembers %s\nwhole %s" %
                          (union, whole))
        if by_run["standby"] != by_run["m2"]:
            raise Failure("the standby's predictions are not member 2's:\n"
                          "standby %s\nm2 %s" % (by_run["standby"],
                                                 by_run["m2"]))
        log("pipeline 5: %d stations in 3 members (%s), %d predictions, "
            "the same as one pipeline's; the standby's are member 2's" %
            (stations, ", ".join("%s %s" % (n, sorted(by_run[n]))
                                 for n in ("m1", "m2", "m3")),
             sum(len(v) for v in whole.values())))
    finally:
        for r in runs.values():
            r.kill()
        broker.stop()


def case_demo(work):
    """The README's first command, as a newcomer runs it, for 8 s."""
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub", "setsid")
    need_elements("weathersrc", "weatherbin", "predictor", "mqttsink")
    env = dict(os.environ)
    if "WEATHER_TEST_BUILDDIR" in os.environ:
        env["WEATHER_BUILD"] = os.environ["WEATHER_TEST_BUILDDIR"]
    r = subprocess.run([os.path.join(SRCDIR, "scripts", "demo.sh"),
                        "--stations", "3", "--window", "2",
                        "--duration", "8"], env=env, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=120)
    out = r.stdout
    if r.returncode != 0:
        raise Failure("demo.sh exited with %d:\n%s" % (r.returncode, out))
    shown = [l for l in out.splitlines() if "/zambretti  " in l]
    if len(shown) < 3:
        raise Failure("demo.sh showed %d predictions in 8 s of 2 s windows:"
                      "\n%s" % (len(shown), out))
    import re
    received = re.search(r"subscriber received (\d+) predictions", out)
    published = re.search(r"mqttsink \(mqttsink\):\n(?:  .*\n)*?"
                          r"  acknowledged: (\d+)", out)
    if not received or not published:
        raise Failure("demo.sh did not print the subscriber's count and "
                      "mqttsink's stats:\n%s" % out)
    if int(received.group(1)) != int(published.group(1)) or \
            int(received.group(1)) != len(shown):
        raise Failure("broker acknowledged %s, subscriber received %s, "
                      "showed %d:\n%s" % (published.group(1),
                                          received.group(1), len(shown), out))
    log("demo: %d predictions shown, all acknowledged and received" %
        len(shown))


def rtl_433_samples():
    """The rtl_433 lines to replay: rtl_433's own test captures where
    ../shared/feeds is, the project's own samples otherwise."""
    shared = os.path.join(SRCDIR, "..", "shared", "feeds", "rtl_433",
                          "samples.jsonl")
    if os.path.exists(shared):
        return shared, read_lines(shared)
    log("../shared/feeds is not there: replaying tests/data/feeds instead")
    own = os.path.join(SRCDIR, "tests", "data", "feeds", "rtl_433.jsonl")
    return own, read_lines(own)


def as_rtl_433_publishes(line, stamp):
    """@line as rtl_433's MQTT output sends it: compact JSON on
    rtl_433/<host>/events, with @stamp, local time as live rtl_433 writes
    it (the captures carry "@0.25s" or no time)."""
    event = json.loads(line)
    event["time"] = stamp
    return json.dumps(event, separators=(",", ":"))


def publish_rtl_433_passes(broker, lines, passes=3):
    """Passes over the samples, paced like a receiver hearing the same
    sensors again: each pass stamped with one whole local second
    (rtl_433's resolution), so that it fills one window, and later than
    the pipeline's start."""
    for _ in range(passes):
        time.sleep(1.2)
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        payload = "\n".join(as_rtl_433_publishes(l, stamp) for l in lines)
        subprocess.run(["mosquitto_pub", "-h", "127.0.0.1", "-p",
                        str(broker.port), "-q", "1", "-t",
                        "rtl_433/%s/events" % socket.gethostname(),
                        "-l"], input=payload + "\n", text=True,
                       check=True, timeout=30)


def case_06(work):
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub")
    need_elements("mqttsrc", "weatherbin", "predictor", "mqttsink")
    path, lines = rtl_433_samples()
    events = [json.loads(l) for l in lines]
    pressure = sorted({"/".join(str(e[k]) for k in ("model", "channel", "id")
                                if k in e)
                       for e in events if "pressure_hPa" in e})
    if not pressure:
        raise Failure("%s has no sensor with pressure" % path)
    # the stations with pressure get an altitude: Zambretti needs
    # sea-level pressure
    stations = os.path.join(work, "stations.csv")
    with open(stations, "w") as f:
        f.write("station,altitude_m\n")
        for i, name in enumerate(pressure):
            f.write("%s,%d\n" % (name, 50 * i))
    broker = Broker(work)
    try:
        sub = Subscriber(broker, "test/predictions/#")
        sub.ready()
        p = Pipeline("06-rtl433-to-predictions.sh", {
            "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
            "OUT_TOPIC": "test/predictions/{model}",
            "STATIONS_FILE": stations, "WINDOW": SECOND,
            "LATENCY": 200000000, "NETWORK_LATENCY": 200000000,
            "IDLE_TIMEOUT": 2 * SECOND}, work)
        wait_for(lambda: broker.count_subscriptions("rtl_433/+/events") >= 1
                 or p.proc.poll() is not None, 20,
                 "pipeline 6 to subscribe")
        publish_rtl_433_passes(broker, lines)
        p.wait(60)
        msgs = sub.end()
        sub.stop()
        preds = parse_predictions([m for _, m in msgs], "subscriber")
        check_predictions(preds, SECOND, "pipeline 6", min_count=3)
        # every sensor of a pass falls in one window
        made = [q for q in preds if not q.get("no_data")]
        if len(made) < 3:
            raise Failure("pipeline 6: %d predictions with data, expected "
                          "one per pass: %s" % (len(made), preds))
        for q in made:
            if q["model"] != "zambretti" or q["mean_pressure_hpa"] is None:
                raise Failure("pipeline 6: no sea-level pressure in %s" % q)
            if not 900 < q["mean_pressure_hpa"] < 1100:
                raise Failure("pipeline 6: mean pressure %r" %
                              q["mean_pressure_hpa"])
            if q["stations_used"] != len(pressure):
                raise Failure("pipeline 6: %d stations with pressure used, "
                              "expected %d: %s" % (q["stations_used"],
                                                   len(pressure), q))
        log("pipeline 6: %d predictions from %d rtl_433 lines a pass (%s), "
            "%d sensors with pressure" % (len(made), len(lines),
                                          os.path.basename(path),
                                          len(pressure)))
    finally:
        broker.stop()


def case_07(work):
    """rtl_433 to Home Assistant: every station with readings becomes a
    device whose sensors' state_topic is where its predictions arrive."""
    need(MOSQUITTO, "mosquitto_sub", "mosquitto_pub")
    need_elements("mqttsrc", "weatherbin", "predictor", "mqttsink")
    path, lines = rtl_433_samples()
    broker = Broker(work)
    try:
        sub = Subscriber(broker, "ha/#", "test/forecast/#")
        sub.ready()
        p = Pipeline("07-rtl433-to-home-assistant.sh", {
            "BROKER_HOST": "127.0.0.1", "BROKER_PORT": broker.port,
            "OUT_TOPIC": "test/forecast/{station}", "DISCOVERY_PREFIX": "ha",
            "STATUS_TOPIC": "test/status", "WINDOW": SECOND,
            "LATENCY": 200000000, "NETWORK_LATENCY": 200000000,
            "IDLE_TIMEOUT": 2 * SECOND}, work)
        wait_for(lambda: broker.count_subscriptions("rtl_433/+/events") >= 1
                 or p.proc.poll() is not None, 20,
                 "pipeline 7 to subscribe")
        publish_rtl_433_passes(broker, lines)
        p.wait(60)
        msgs = sub.end()
        sub.stop()
        configs = [(t, json.loads(m)) for t, m in msgs
                   if t.startswith("ha/sensor/")]
        states = {t for t, _ in msgs if t.startswith("test/forecast/")}
        preds = parse_predictions([m for t, m in msgs
                                   if t.startswith("test/forecast/")],
                                  "subscriber")
        stations = {q["key"]["name"] for q in preds}
        if len(stations) < 2:
            raise Failure("pipeline 7: predictions of %d stations, expected "
                          "one per sensor: %s" % (len(stations), stations))
        devices = {}
        for topic, c in configs:
            if not topic.endswith("/config") or len(topic.split("/")) != 5:
                raise Failure("pipeline 7: config topic %s" % topic)
            if c["state_topic"] not in states:
                raise Failure("pipeline 7: %s names %s, where no prediction "
                              "arrived" % (topic, c["state_topic"]))
            if c["availability_topic"] != "test/status":
                raise Failure("pipeline 7: availability %s" % c)
            devices.setdefault(c["device"]["identifiers"][0],
                               set()).add(c["unique_id"])
        if len(devices) != len(stations):
            raise Failure("pipeline 7: %d devices for %d stations" %
                          (len(devices), len(stations)))
        for d, ids in devices.items():
            if len(ids) < 5:
                raise Failure("pipeline 7: device %s has %d sensors" %
                              (d, len(ids)))
        log("pipeline 7: %d devices, %d configs, %d predictions" %
            (len(devices), len(configs), len(preds)))
    finally:
        broker.stop()


CASES = {
    "01": case_01,
    "02": case_02,
    "03": case_03,
    "04": case_04,
    "05": case_05,
    "06": case_06,
    "07": case_07,
    "demo": case_demo,
}


def main(argv):
    if len(argv) != 1 or argv[0] not in CASES:
        log("usage: run.py {%s}" % ",".join(sorted(CASES)))
        return 2
    work = tempfile.mkdtemp(prefix="weather-pipeline-%s." % argv[0])
    try:
        CASES[argv[0]](work)
    except Failure as e:
        log("FAIL: %s" % e)
        log("(work files kept in %s)" % work)
        return 1
    shutil.rmtree(work, ignore_errors=True)
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
