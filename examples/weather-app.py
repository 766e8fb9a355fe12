#!/usr/bin/python3
# gst-weather
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Embedding gst-weather in a Python application.

Builds   weathersrc ! weatherbin ! predictor ! fakesink   (or mqttsink with
--mqtt) in code, prints every prediction the predictor posts on the bus as a
`weather-prediction` element message, and at the end prints every element's
`stats`. Ctrl-C (SIGINT) sends EOS: the pipeline drains (open windows are
grouped, mqttsink waits for the broker's acknowledgements), then the program
prints the stats and exits 0.

Run from a build tree:

    GST_PLUGIN_PATH=build/plugins /usr/bin/python3 examples/weather-app.py
    GST_PLUGIN_PATH=build/plugins /usr/bin/python3 examples/weather-app.py \\
        --live --stations 5 --window 10

It needs python3-gi, python3-gst-1.0 and gir1.2-gstreamer-1.0 (Debian),
which scripts/setup.sh installs.
"""

import argparse
import signal
import sys
from datetime import datetime, timezone

import gi

gi.require_version("Gst", "1.0")
from gi.repository import GLib, Gst  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Simulated weather stations -> weatherbin -> predictor, "
        "predictions printed from the bus.")
    p.add_argument("--live", action="store_true",
                   help="run in real time (default: replay as fast as "
                   "possible, from 2024-01-01T00:00:00Z)")
    p.add_argument("--stations", type=int, default=5,
                   help="number of simulated stations (default 5)")
    p.add_argument("--period", type=float, default=1.0,
                   help="seconds between one station's readings (default 1)")
    p.add_argument("--window", type=float, default=10.0,
                   help="window length in seconds (default 10)")
    p.add_argument("--latency", type=float, default=200.0,
                   help="reordering budget in milliseconds (default 200)")
    p.add_argument("--jitter", type=float, default=100.0,
                   help="simulated delivery jitter in milliseconds "
                   "(default 100; keep it below --latency)")
    p.add_argument("--layout", choices=["mixed", "per-station"],
                   default="mixed", help="weatherbin layout (default mixed)")
    p.add_argument("--model", choices=["zambretti", "seed"],
                   default="zambretti", help="predictor model")
    p.add_argument("--num-buffers", type=int, default=-1,
                   help="readings to simulate, then EOS (default: 60 "
                   "windows' worth when not live, unlimited when live)")
    p.add_argument("--duration", type=float, default=0,
                   help="seconds of wall-clock time before EOS "
                   "(0 = until Ctrl-C or num-buffers)")
    p.add_argument("--mqtt", metavar="HOST:PORT",
                   help="publish predictions with mqttsink to this broker "
                   "instead of discarding them in fakesink")
    p.add_argument("--topic", default="weather/predictions/{model}",
                   help="mqttsink topic template "
                   "(default weather/predictions/{model})")
    p.add_argument("--quiet", action="store_true",
                   help="do not print predictions from the bus")
    p.add_argument("--no-stats", action="store_true",
                   help="do not print the elements' stats at the end")
    p.add_argument("--expect-min", type=int, default=0,
                   help="exit 1 unless at least this many predictions came "
                   "(used by the tests)")
    return p.parse_args(argv)


def rfc3339(ns):
    if ns is None:
        return "?"
    t = datetime.fromtimestamp(ns / 1e9, tz=timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def field(s, *names):
    """The first of @names that @s has (field names as documented by the
    predictor), or None."""
    for n in names:
        if s.has_field(n):
            return s.get_value(n)
    return None


def describe_prediction(s):
    start = field(s, "window-start")
    end = field(s, "window-end")
    letter = field(s, "letter")
    text = field(s, "forecast")
    rain = field(s, "chance-of-rain", "chance-of-rain-pct")
    pressure = field(s, "mean-pressure", "mean-pressure-hpa")
    used = field(s, "stations-used")
    missing = field(s, "stations-missing")
    model = field(s, "model")
    parts = ["%s .. %s" % (rfc3339(start), rfc3339(end)[11:])]
    if model is not None:
        parts.append(str(model))
    if letter:
        parts.append(str(letter))
    if text:
        parts.append('"%s"' % text)
    if rain is not None:
        parts.append("rain %.0f%%" % rain)
    if pressure is not None and pressure == pressure:
        parts.append("%.1f hPa" % pressure)
    if used is not None:
        total = used + (missing or 0)
        parts.append("%d/%d stations" % (used, total))
    return "  ".join(parts)


def format_value(v, indent):
    if isinstance(v, Gst.Structure):
        return "\n" + format_structure(v, indent + 2)
    return " " + str(v)


def format_structure(s, indent=2):
    lines = []
    for i in range(s.n_fields()):
        name = s.nth_field_name(i)
        lines.append("%s%s:%s" % (" " * indent, name,
                                   format_value(s.get_value(name), indent)))
    return "\n".join(lines)


def print_stats(pipeline):
    it = pipeline.iterate_sorted()
    elements = []
    while True:
        res, e = it.next()
        if res == Gst.IteratorResult.OK:
            elements.append(e)
        elif res == Gst.IteratorResult.RESYNC:
            it.resync()
            elements = []
        else:
            break
    # upstream first
    for e in reversed(elements):
        if e.find_property("stats") is None:
            continue
        s = e.get_property("stats")
        if s is None:
            continue
        print("%s (%s):" % (e.get_name(), e.get_factory().get_name()))
        print(format_structure(s))
    sys.stdout.flush()


def build_pipeline(args):
    pipeline = Gst.Pipeline.new("weather")
    src = Gst.ElementFactory.make("weathersrc", "weathersrc")
    wbin = Gst.ElementFactory.make("weatherbin", "weatherbin")
    pred = Gst.ElementFactory.make("predictor", "predictor")
    if args.mqtt:
        sink = Gst.ElementFactory.make("mqttsink", "mqttsink")
    else:
        sink = Gst.ElementFactory.make("fakesink", "sink")
    for name, e in (("weathersrc", src), ("weatherbin", wbin),
                    ("predictor", pred),
                    ("mqttsink" if args.mqtt else "fakesink", sink)):
        if e is None:
            sys.exit("element %s not found: is GST_PLUGIN_PATH pointing to "
                     "build/plugins?" % name)

    num_buffers = args.num_buffers
    if num_buffers < 0 and not args.live:
        num_buffers = int(60 * args.window / args.period) * args.stations
    src.set_property("stations", args.stations)
    src.set_property("period", int(args.period * Gst.SECOND))
    src.set_property("jitter", int(args.jitter * Gst.MSECOND))
    src.set_property("is-live", args.live)
    src.set_property("num-buffers", num_buffers)

    # layout first: it rebuilds the children the other properties go to
    wbin.set_property("layout", args.layout)
    wbin.set_property("window", int(args.window * Gst.SECOND))
    wbin.set_property("latency", int(args.latency * Gst.MSECOND))

    pred.set_property("model", args.model)

    if args.mqtt:
        host, _, port = args.mqtt.rpartition(":")
        sink.set_property("host", host or "localhost")
        sink.set_property("port", int(port))
        sink.set_property("topic", args.topic)
    else:
        sink.set_property("sync", False)

    for e in (src, wbin, pred, sink):
        pipeline.add(e)
    try:
        Gst.Element.link_many(src, wbin, pred, sink)
    except Gst.LinkError as e:
        sys.exit("could not link weathersrc ! weatherbin ! predictor ! sink:"
                 " %s" % e)
    return pipeline


def main(argv):
    Gst.init(None)
    args = parse_args(argv)
    pipeline = build_pipeline(args)
    loop = GLib.MainLoop()
    state = {"predictions": 0, "error": None, "eos_sent": False}

    def send_eos(reason):
        if not state["eos_sent"]:
            state["eos_sent"] = True
            print("%s: sending EOS, waiting for the pipeline to drain"
                  % reason, file=sys.stderr)
            pipeline.send_event(Gst.Event.new_eos())
        else:
            print("second interrupt: stopping without draining",
                  file=sys.stderr)
            loop.quit()
        return GLib.SOURCE_REMOVE

    def on_message(bus, msg):
        t = msg.type
        if t == Gst.MessageType.ELEMENT:
            s = msg.get_structure()
            if s is not None and s.get_name() == "weather-prediction":
                state["predictions"] += 1
                if not args.quiet:
                    print(describe_prediction(s))
                    sys.stdout.flush()
        elif t == Gst.MessageType.EOS:
            loop.quit()
        elif t == Gst.MessageType.ERROR:
            err, dbg = msg.parse_error()
            state["error"] = "%s: %s" % (msg.src.get_name(), err.message)
            print("ERROR from %s: %s\n%s" % (msg.src.get_name(), err.message,
                                              dbg or ""), file=sys.stderr)
            loop.quit()
        elif t == Gst.MessageType.WARNING:
            err, dbg = msg.parse_warning()
            print("WARNING from %s: %s" % (msg.src.get_name(), err.message),
                  file=sys.stderr)
        return True

    bus = pipeline.get_bus()
    bus.add_signal_watch()
    bus.connect("message", on_message)

    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT,
                         lambda: (send_eos("interrupted"), True)[1])
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM,
                         lambda: (send_eos("terminated"), True)[1])
    if args.duration > 0:
        GLib.timeout_add(int(args.duration * 1000),
                         lambda: send_eos("%g s elapsed" % args.duration))

    if pipeline.set_state(Gst.State.PLAYING) == Gst.StateChangeReturn.FAILURE:
        # the error message on the bus says why (the loop has not run yet,
        # so it is still queued)
        msg = bus.pop_filtered(Gst.MessageType.ERROR)
        if msg is not None:
            on_message(bus, msg)
        state["error"] = state["error"] or "the pipeline did not start"
    else:
        loop.run()

    if not args.no_stats:
        print_stats(pipeline)
    pipeline.set_state(Gst.State.NULL)
    bus.remove_signal_watch()

    print("%d predictions" % state["predictions"], file=sys.stderr)
    if state["error"]:
        return 1
    if state["predictions"] < args.expect_min:
        print("expected at least %d predictions" % args.expect_min,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
