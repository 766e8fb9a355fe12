/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The MQTT elements attacked from outside, against real Mosquittos on
 * free loopback ports, with faults that last as long as in the field:
 *
 * - a relay, mqttsrc ! mqttsink in one process (so both share Paho's one
 *   receiving thread), whose output broker is frozen (SIGSTOP) for 20 s or
 *   killed for 15 s while 2,000 readings/s arrive: every reading comes
 *   out once the broker is back, and EOS (what gst-launch-1.0 -e sends on
 *   Ctrl-C) completes;
 * - a pipeline whose streaming thread stalls for 30 s under 2,000
 *   readings/s: nothing lost at the default settings, and with a small
 *   queue every loss counted and warned about;
 * - QoS 2 against Mosquitto's default in-flight limit (20): 2,000
 *   readings through a 5 s outage, each exactly once; a larger window is
 *   reported and shrunk instead of being dropped again and again.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../weatherstats.h"

#define RATE 2000
#define WAIT_S 90
/* one step of the polling loops: a bounded wait for a message on the bus */
#define POLL_NS (20 * GST_MSECOND)

/* ---- the bus: errors fail the test, warnings are kept ---- */

typedef struct
{
  GstElement *pipeline;
  GstBus *bus;
  GPtrArray *warnings;          /* their messages, in order */
} Run;

static Run *
run_new (const gchar * description)
{
  Run *r = g_new0 (Run, 1);
  GError *err = NULL;

  r->pipeline = gst_parse_launch (description, &err);
  g_assert_no_error (err);
  r->bus = gst_element_get_bus (r->pipeline);
  r->warnings = g_ptr_array_new_with_free_func (g_free);
  return r;
}

static GstElement *
run_get (Run * r, const gchar * name)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (r->pipeline), name);

  fail_unless (e != NULL);
  /* the pipeline holds it as long as the run */
  gst_object_unref (e);
  return e;
}

/* Waits on the bus for at most @timeout for a message of @types (EOS
 * ends the wait and is returned as TRUE); an error fails the test. */
static gboolean
run_poll (Run * r, GstClockTime timeout, GstMessageType types)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (r->bus, timeout,
      GST_MESSAGE_ERROR | GST_MESSAGE_WARNING | types);
  gboolean eos = FALSE;

  if (!msg)
    return FALSE;
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("unexpected error: %s (%s)", err->message, dbg);
  } else if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_WARNING) {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    g_printerr ("warning: %s\n", err->message);
    g_ptr_array_add (r->warnings, g_strdup (err->message));
    g_error_free (err);
  } else {
    eos = GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS;
  }
  gst_message_unref (msg);
  return eos;
}

/* The fault lasts @seconds: the bus is watched meanwhile. */
static void
run_hold (Run * r, gint seconds)
{
  gint64 end = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;

  while (g_get_monotonic_time () < end)
    run_poll (r, POLL_NS, 0);
}

static guint
run_warnings_with (Run * r, const gchar * needle)
{
  guint i, n = 0;

  for (i = 0; i < r->warnings->len; i++)
    if (strstr (g_ptr_array_index (r->warnings, i), needle))
      n++;
  return n;
}

/* Reads the bus until a warning holding @needle has come, at most
 * @timeout_s: a warning posted just before a wait ended may still be on
 * the bus. Returns how many such warnings came. */
static guint
run_wait_warning (Run * r, const gchar * needle, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;

  while (run_warnings_with (r, needle) == 0 &&
      g_get_monotonic_time () < deadline)
    run_poll (r, POLL_NS, 0);
  return run_warnings_with (r, needle);
}

/* EOS the way gst-launch-1.0 -e sends it on Ctrl-C; fails unless the EOS
 * message comes within @timeout_s. */
static void
run_eos (Run * r, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gboolean eos = FALSE;

  fail_unless (gst_element_send_event (r->pipeline, gst_event_new_eos ()));
  while (!eos && g_get_monotonic_time () < deadline)
    eos = run_poll (r, POLL_NS, GST_MESSAGE_EOS);
  fail_unless (eos, "EOS did not complete within %d s", timeout_s);
}

static void
run_wait_eos (Run * r, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  gboolean eos = FALSE;

  while (!eos && g_get_monotonic_time () < deadline)
    eos = run_poll (r, POLL_NS, GST_MESSAGE_EOS);
  fail_unless (eos, "no EOS within %d s", timeout_s);
}

static void
run_free (Run * r)
{
  gst_element_set_state (r->pipeline, GST_STATE_NULL);
  gst_object_unref (r->bus);
  gst_object_unref (r->pipeline);
  g_ptr_array_unref (r->warnings);
  g_free (r);
}

/* Waits (bounded) until the subscriber has @unique distinct readings,
 * watching the bus meanwhile. */
static guint
run_wait_seen (Run * r, MqttSeen * seen, guint unique, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  guint got = 0;

  while ((got = mqtt_seen_wait (seen, unique, 0)) < unique &&
      g_get_monotonic_time () < deadline)
    run_poll (r, POLL_NS, 0);
  return got;
}

/* ---- a gate on a pad: holds the streaming thread while closed ---- */

typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean closed;
  guint buffers;                /* that passed */
  guint stall_at;               /* > 0: close by itself at that buffer */
  gint64 stall_us;              /* for that long */
} Gate;

static GstPadProbeReturn
gate_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Gate *g = data;
  /* mqttsrc pushes what was queued together as one list */
  guint n = (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) ?
      gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info)) : 1;

  g_mutex_lock (&g->lock);
  if (g->stall_at > 0 && g->buffers <= g->stall_at
      && g->stall_at < g->buffers + n) {
    /* the stall itself is the fault: the streaming thread is held */
    gint64 end = g_get_monotonic_time () + g->stall_us;

    g->closed = TRUE;
    while (g->closed && g_cond_wait_until (&g->cond, &g->lock, end));
    g->closed = FALSE;
  }
  while (g->closed)
    g_cond_wait (&g->cond, &g->lock);
  g->buffers += n;
  g_cond_broadcast (&g->cond);
  g_mutex_unlock (&g->lock);
  return GST_PAD_PROBE_OK;
}

static void
gate_attach (Gate * g, GstElement * element, const gchar * pad_name)
{
  GstPad *pad = gst_element_get_static_pad (element, pad_name);

  g_mutex_init (&g->lock);
  g_cond_init (&g->cond);
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, gate_probe, g, NULL);
  gst_object_unref (pad);
}

static void
gate_set (Gate * g, gboolean closed)
{
  g_mutex_lock (&g->lock);
  g->closed = closed;
  g_cond_broadcast (&g->cond);
  g_mutex_unlock (&g->lock);
}

static guint
gate_buffers (Gate * g)
{
  guint n;

  g_mutex_lock (&g->lock);
  n = g->buffers;
  g_mutex_unlock (&g->lock);
  return n;
}

static void
gate_clear (Gate * g)
{
  gate_set (g, FALSE);
  g_mutex_clear (&g->lock);
  g_cond_clear (&g->cond);
}

/* ---- the relay: mqttsrc (broker A) ! mqttsink (broker B) ---- */

typedef enum
{
  RELAY_FREEZE,                 /* B stopped 20 s, then continued */
  RELAY_KILL,                   /* B killed, restarted 15 s later */
} RelayFault;

static const RelayFault relay_faults[] = { RELAY_FREEZE, RELAY_KILL };

GST_START_TEST (test_relay_output_broker_fault)
{
  RelayFault fault = relay_faults[__i__];
  /* 35 s of readings: 5 before the fault, the rest during and after */
  const guint n = RATE * 35;
  MqttBroker *a = mqtt_broker_new (NULL), *b = mqtt_broker_new (NULL);
  MqttSubscriberOptions o = { "relay-sub", TRUE, NULL, NULL, NULL };
  MqttSubscriber *sub;
  MqttPacedPublisher *pub;
  MqttSeen *seen;
  GstElement *src, *sink;
  Gate gate = { 0, };
  Run *r;
  gchar *desc;
  gint64 deadline;
  guint published;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "out/#", 1, &o);
  fail_unless (sub != NULL);
  /* the subscriber's session survives a kill only once it is on disk */
  fail_unless (mqtt_broker_wait_saved (b));
  seen = mqtt_seen_new (sub);

  /* every other property at its default */
  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "topics=in/# connect-timeout=10000000000 ! mqttsink name=sink "
      "host=127.0.0.1 port=%u topic=out/{station} "
      "connect-timeout=10000000000", mqtt_broker_port (a),
      mqtt_broker_port (b));
  r = run_new (desc);
  g_free (desc);
  src = run_get (r, "src");
  sink = run_get (r, "sink");
  gate_attach (&gate, sink, "sink");
  /* subscribed once this returns: mqttsrc subscribes in start() */
  fail_if (gst_element_set_state (r->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);

  pub = mqtt_paced_publisher_start (mqtt_broker_port (a), "in", RATE, n, 1);
  fail_unless (run_wait_seen (r, seen, RATE * 5, WAIT_S) >= RATE * 5);

  if (fault == RELAY_FREEZE) {
    mqtt_broker_freeze (b);
    run_hold (r, 20);
    mqtt_broker_thaw (b);
  } else {
    /* Mosquitto keeps what it acknowledged in memory: a SIGKILL loses
     * what it had not passed on yet, the broker's loss, not ours. So the
     * relay is held at the sink's pad (mqttsrc keeps receiving meanwhile)
     * until B confirmed and delivered everything it got; then B dies with
     * only the sink's unconfirmed messages at stake. */
    gate_set (&gate, TRUE);
    deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
    while (weather_stat_u64 (sink, "queued") > 0 &&
        g_get_monotonic_time () < deadline)
      run_poll (r, POLL_NS, 0);
    fail_unless_equals_uint64 (weather_stat_u64 (sink, "queued"), 0);
    fail_unless (run_wait_seen (r, seen, weather_stat_u64 (sink,
                "acknowledged"), WAIT_S) >= weather_stat_u64 (sink,
            "acknowledged"));
    mqtt_broker_kill (b);
    gate_set (&gate, FALSE);
    run_hold (r, 15);
    mqtt_broker_restart (b);
  }

  published = mqtt_paced_publisher_finish (pub, WAIT_S);
  fail_unless_equals_int (published, n);
  /* Paho retries the connection after 1, 2, 4, 8, 16 s */
  run_wait_seen (r, seen, n, WAIT_S);
  /* the last acknowledgements may come after the subscriber had all */
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (weather_stat_u64 (sink, "acknowledged") < n &&
      g_get_monotonic_time () < deadline)
    run_poll (r, POLL_NS, 0);
  g_printerr ("relay, output broker %s: published %u, received %u "
      "distinct (+%u duplicates); mqttsrc received %" G_GUINT64_FORMAT
      ", dropped-full %" G_GUINT64_FORMAT "; mqttsink acknowledged %"
      G_GUINT64_FORMAT ", resent %" G_GUINT64_FORMAT ", reconnects %"
      G_GUINT64_FORMAT "\n", fault == RELAY_FREEZE ? "frozen 20 s" :
      "killed 15 s", n, mqtt_seen_unique (seen), mqtt_seen_duplicates (seen),
      weather_stat_u64 (src, "received"), weather_stat_u64 (src,
          "dropped-full"), weather_stat_u64 (sink, "acknowledged"),
      weather_stat_u64 (sink, "resent"), weather_stat_u64 (sink, "reconnects"));
  fail_unless_equals_int (mqtt_seen_unique (seen), n);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "received"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "dropped-full"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (sink, "published"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (sink, "acknowledged"), n);
  /* a killed broker is a lost connection; a frozen one is only when
   * Paho's keep-alive (10 s, a ping unanswered for as long again) ran out
   * within the 20 s, which depends on when the last packet went */
  if (fault == RELAY_KILL)
    fail_unless (weather_stat_u64 (sink, "reconnects") >= 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "reconnects"), 0);
  /* a loss is said on the bus, by the sink only */
  if (weather_stat_u64 (sink, "reconnects") >= 1)
    fail_unless (run_wait_warning (r, "Lost the connection", WAIT_S) >= 1);

  run_eos (r, 30);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "dropped"), 0);

  run_free (r);
  gate_clear (&gate);
  mqtt_seen_free (seen);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (a);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- a stalled pipeline ---- */

/* mqttsrc ! fakesink whose pad holds the streaming thread for @stall_s
 * seconds once 5 s of readings passed, while @seconds of readings at
 * 2,000/s arrive. */
static Run *
stall_run (MqttBroker * a, const gchar * props, guint seconds, gint stall_s,
    Gate * gate, guint * published)
{
  MqttPacedPublisher *pub;
  gchar *desc;
  Run *r;

  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "topics=st/# connect-timeout=10000000000 %s ! fakesink name=sink "
      "sync=false", mqtt_broker_port (a), props);
  r = run_new (desc);
  g_free (desc);
  gate->stall_at = RATE * 5;
  gate->stall_us = stall_s * G_TIME_SPAN_SECOND;
  gate_attach (gate, run_get (r, "sink"), "sink");
  fail_if (gst_element_set_state (r->pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  pub = mqtt_paced_publisher_start (mqtt_broker_port (a), "st", RATE,
      RATE * seconds, 1);
  *published = mqtt_paced_publisher_finish (pub, seconds + WAIT_S);
  fail_unless_equals_int (*published, RATE * seconds);
  return r;
}

/* Waits (bounded) until mqttsrc's queue is empty and everything it took
 * passed the gate. */
static void
stall_drain (Run * r, Gate * gate)
{
  GstElement *src = run_get (r, "src");
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;

  while ((weather_stat_u64 (src, "queued") > 0 || gate_buffers (gate) <
          weather_stat_u64 (src, "decoded")) &&
      g_get_monotonic_time () < deadline)
    run_poll (r, POLL_NS, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "queued"), 0);
}

/* At the default settings a 30 s stall under 2,000 readings/s loses
 * nothing: Paho's thread never waits, so the keep-alive goes on (the
 * broker does not drop the client), and the queue holds the 60,000. */
GST_START_TEST (test_stalled_pipeline_loses_nothing_by_default)
{
  MqttBroker *a = mqtt_broker_new (NULL);
  GstElement *src;
  Gate gate = { 0, };
  guint published;
  Run *r;

  r = stall_run (a, "", 40, 30, &gate, &published);
  src = run_get (r, "src");
  stall_drain (r, &gate);
  g_printerr ("stall 30 s, defaults: published %u, out of mqttsrc %u, "
      "dropped-full %" G_GUINT64_FORMAT ", reconnects %" G_GUINT64_FORMAT
      "\n", published, gate_buffers (&gate), weather_stat_u64 (src,
          "dropped-full"), weather_stat_u64 (src, "reconnects"));
  fail_unless_equals_int (gate_buffers (&gate), published);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "received"), published);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), published);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "dropped-full"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "reconnects"), 0);
  fail_unless_equals_int (r->warnings->len, 0);
  run_free (r);
  gate_clear (&gate);
  mqtt_broker_free (a);
}

GST_END_TEST;

/* Queues too small for the stall: the oldest are dropped, and every one
 * is counted and said on the bus (at most one warning every 5 s). */
static const gchar *small_queues[] = {
  "max-queued=2000",
  "max-queued-bytes=200000",
};

GST_START_TEST (test_stalled_pipeline_small_queue_counts_drops)
{
  MqttBroker *a = mqtt_broker_new (NULL);
  GstElement *src;
  Gate gate = { 0, };
  guint published, warned;
  guint64 dropped;
  Run *r;

  r = stall_run (a, small_queues[__i__], 10, 6, &gate, &published);
  src = run_get (r, "src");
  stall_drain (r, &gate);
  dropped = weather_stat_u64 (src, "dropped-full");
  warned = run_warnings_with (r, "dropped so far because the queue was full");
  g_printerr ("stall 6 s, %s: published %u, out of mqttsrc %u, "
      "dropped-full %" G_GUINT64_FORMAT ", warnings %u\n",
      small_queues[__i__], published, gate_buffers (&gate), dropped, warned);
  /* some 10,000 arrived during the stall, far more than the queue holds */
  fail_unless (dropped > 5000, "dropped %" G_GUINT64_FORMAT, dropped);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "received"), published);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded") + dropped,
      published);
  fail_unless_equals_uint64 (gate_buffers (&gate) + dropped, published);
  fail_unless (warned >= 1 && warned <= 2, "%u warnings", warned);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "reconnects"), 0);
  run_free (r);
  gate_clear (&gate);
  mqtt_broker_free (a);
}

GST_END_TEST;

/* ---- QoS 2 against Mosquitto's in-flight limit ---- */

/* Mosquitto's defaults for a publisher's QoS 2 messages, with the
 * unbounded queue of the test brokers: 20 in flight, the 21st drops the
 * connection. */
#define STOCK_INFLIGHT "max_inflight_messages 20"

/* weathersrc @source ! mqttsink qos=2 @props, into a broker with
 * Mosquitto's in-flight limit, a QoS 2 subscriber counting what arrives */
typedef struct
{
  MqttBroker *broker;
  MqttSubscriber *sub;
  MqttSeen *seen;
  Run *run;
  GstElement *sink;
} Qos2Run;

static Qos2Run *
qos2_run_new (const gchar * source, const gchar * props)
{
  Qos2Run *q = g_new0 (Qos2Run, 1);
  gchar *desc;

  q->broker = mqtt_broker_new (STOCK_INFLIGHT);
  q->sub = mqtt_subscriber_new (mqtt_broker_port (q->broker), "q2/#", 2, NULL);
  fail_unless (q->sub != NULL);
  q->seen = mqtt_seen_new (q->sub);
  desc = g_strdup_printf ("%s ! mqttsink name=sink host=127.0.0.1 port=%u "
      "qos=2 topic=q2/{station} connect-timeout=10000000000 %s", source,
      mqtt_broker_port (q->broker), props);
  q->run = run_new (desc);
  g_free (desc);
  q->sink = run_get (q->run, "sink");
  gst_element_set_state (q->run->pipeline, GST_STATE_PLAYING);
  return q;
}

static void
qos2_run_free (Qos2Run * q)
{
  run_free (q->run);
  mqtt_seen_free (q->seen);
  mqtt_subscriber_free (q->sub);
  mqtt_broker_free (q->broker);
  g_free (q);
}

typedef struct
{
  const gchar *props;
  gboolean reconnects;          /* the outage outlasts the keep-alive */
} Qos2Case;

static const Qos2Case qos2_cases[] = {
  /* defaults: the connection survives the outage */
  {"", FALSE},
  /* the connection is lost and resumed: exactly once needs the session */
  {"keepalive=1 clean-session=false client-id=qos2-outage", TRUE},
};

GST_START_TEST (test_qos2_outage_exactly_once)
{
  const Qos2Case *c = &qos2_cases[__i__];
  const guint n = 2000;
  /* 200 readings/s, live: 10 s */
  Qos2Run *q = qos2_run_new ("weathersrc is-live=true stations=200 "
      "num-buffers=2000", c->props);

  fail_unless (run_wait_seen (q->run, q->seen, 400, WAIT_S) >= 400);
  mqtt_broker_freeze (q->broker);
  run_hold (q->run, 5);
  mqtt_broker_thaw (q->broker);
  run_wait_eos (q->run, WAIT_S);

  run_wait_seen (q->run, q->seen, n, WAIT_S);
  /* a straggler would be a duplicate: give it the time to come */
  mqtt_subscriber_wait (q->sub, n + 1, 2);
  mqtt_seen_update (q->seen);
  g_printerr ("qos 2, 5 s outage, props \"%s\": %u sent, %u received "
      "distinct, %u duplicates, reconnects %" G_GUINT64_FORMAT
      ", window %" G_GUINT64_FORMAT "\n", c->props, n,
      mqtt_seen_unique (q->seen), mqtt_seen_duplicates (q->seen),
      weather_stat_u64 (q->sink, "reconnects"), weather_stat_u64 (q->sink,
          "inflight-window"));
  fail_unless_equals_int (mqtt_seen_unique (q->seen), n);
  fail_unless_equals_int (mqtt_seen_duplicates (q->seen), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "acknowledged"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "inflight-window"), 20);
  fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "window-shrinks"), 0);
  if (c->reconnects)
    fail_unless (weather_stat_u64 (q->sink, "reconnects") >= 1);
  else
    fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "reconnects"), 0);
  qos2_run_free (q);
}

GST_END_TEST;

/* A window the broker refuses: dropped once, then reported and shrunk,
 * never looped on; everything arrives. */
GST_START_TEST (test_qos2_window_beyond_broker_limit)
{
  const guint n = 2000;
  Qos2Run *q = qos2_run_new ("weathersrc num-buffers=2000",
      "max-inflight=100");
  guint64 shrinks;

  run_wait_eos (q->run, WAIT_S);
  run_wait_seen (q->run, q->seen, n, WAIT_S);
  g_printerr ("qos 2, max-inflight=100: %u received distinct, "
      "%u duplicates, reconnects %" G_GUINT64_FORMAT ", window %"
      G_GUINT64_FORMAT "\n", mqtt_seen_unique (q->seen),
      mqtt_seen_duplicates (q->seen), weather_stat_u64 (q->sink,
          "reconnects"), weather_stat_u64 (q->sink, "inflight-window"));
  fail_unless_equals_int (mqtt_seen_unique (q->seen), n);
  fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "acknowledged"), n);
  /* shrunk to Mosquitto's 20 at the first drop; a slow run (under the
   * sanitizers) may see one more drop and halve it once more */
  shrinks = weather_stat_u64 (q->sink, "window-shrinks");
  fail_unless (shrinks >= 1 && shrinks <= 2, "%" G_GUINT64_FORMAT " shrinks",
      shrinks);
  fail_unless_equals_uint64 (weather_stat_u64 (q->sink, "inflight-window"),
      shrinks == 1 ? 20 : 10);
  /* A loop (the same window dropped again and again) would reconnect at
   * least once per window's worth of the 2,000 messages, 20 times or more.
   * Under the load of the whole suite the broker was once seen to drop
   * the connection twice more after the shrink, neither time with a full
   * window unacknowledged (no second shrink): tolerated, two at most. */
  fail_unless (weather_stat_u64 (q->sink, "reconnects") <= shrinks + 3,
      "looped: %" G_GUINT64_FORMAT " reconnects", weather_stat_u64 (q->sink,
          "reconnects"));
  fail_unless_equals_int (run_warnings_with (q->run, "max-inflight"), shrinks);
  qos2_run_free (q);
}

GST_END_TEST;

static Suite *
mqtt_faults_suite (void)
{
  Suite *s = suite_create ("mqtt_faults");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_relay_output_broker_fault, 0,
      G_N_ELEMENTS (relay_faults));
  tcase_add_test (tc, test_stalled_pipeline_loses_nothing_by_default);
  tcase_add_loop_test (tc, test_qos2_outage_exactly_once, 0,
      G_N_ELEMENTS (qos2_cases));
  /* bad input and failures */
  tcase_add_loop_test (tc, test_stalled_pipeline_small_queue_counts_drops, 0,
      G_N_ELEMENTS (small_queues));
  tcase_add_test (tc, test_qos2_window_beyond_broker_limit);
  return s;
}

GST_CHECK_MAIN (mqtt_faults);
