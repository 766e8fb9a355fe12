/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Overload: weathersrc is-live=false (as fast as it can) into mqttsink at
 * QoS 1 while the broker (a real Mosquitto on a free loopback port) is
 * frozen with SIGSTOP, so that the source is far faster than the broker.
 * With queue-policy=block the sink must hold at most max-queued +
 * max-inflight messages, keep the process memory bounded and lose
 * nothing; with drop-oldest it must keep running and count every drop.
 *
 * The subscriber is mosquitto_sub in its own process (persistent session,
 * QoS 1) writing payloads to a file, so that the messages it receives do
 * not grow this process's memory, which the test measures.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../weatherstats.h"

#define WAIT_S 60
#define N_READINGS 30000
#define GATE_AT 1000
#define MAX_QUEUED 200
#define MAX_INFLIGHT 20
/* An unbounded queue would hold the ~29,000 readings sent while the
 * broker is frozen: each is a message struct (56 bytes), its topic and
 * about 250 bytes of JSON, so at least 29,000 × 300 bytes ≈ 8.7 MB, more
 * with malloc overhead. The bounded queue holds 220 of them (~70 kB). */
#define MAX_RSS_GROWTH_KB (4 * 1024)
/* AddressSanitizer keeps freed memory in quarantine (256 MB by default),
 * so there the process's RSS follows what was ever allocated, not what is
 * held: the memory bound is checked in the plain build only (the queue
 * bound, through queued-peak, in both). */
#if defined(__SANITIZE_ADDRESS__)
#define CHECK_RSS FALSE
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CHECK_RSS FALSE
#endif
#endif
#ifndef CHECK_RSS
#define CHECK_RSS TRUE
#endif

/* one step of the polling loops: a bounded wait for an error on the bus */
#define POLL_NS (10 * GST_MSECOND)

/* ---- process memory ---- */

static guint64
rss_kb (void)
{
  gchar *status = NULL, *line;
  guint64 kb = 0;

  fail_unless (g_file_get_contents ("/proc/self/status", &status, NULL, NULL));
  line = strstr (status, "VmRSS:");
  fail_unless (line != NULL);
  kb = g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
  g_free (status);
  fail_unless (kb > 0);
  return kb;
}

/* ---- subscriber: mosquitto_sub writing one payload a line ---- */

typedef struct
{
  GSubprocess *proc;
  gchar *path;
  FILE *f;
  GString *partial;
  guint8 *seen;                 /* by reading sequence */
  guint n;
  guint unique;
  guint duplicates;
  guint probes;
  guint lines;
} Subscriber;

static void
subscriber_parse_line (Subscriber * s, const gchar * line)
{
  const gchar *seq;
  guint64 k;

  s->lines++;
  if (strcmp (line, "probe") == 0) {
    s->probes++;
    return;
  }
  seq = strstr (line, "\"sequence\":");
  fail_unless (seq != NULL, "not a reading: %s", line);
  k = g_ascii_strtoull (seq + strlen ("\"sequence\":"), NULL, 10);
  fail_unless (k < s->n, "unexpected sequence %" G_GUINT64_FORMAT, k);
  if (s->seen[k])
    s->duplicates++;
  else
    s->unique++;
  s->seen[k] = 1;
}

/* Reads what mosquitto_sub wrote since the last call. */
static void
subscriber_update (Subscriber * s)
{
  gchar buf[65536];
  gsize got;

  while ((got = fread (buf, 1, sizeof (buf), s->f)) > 0) {
    gsize i, start = 0;

    for (i = 0; i < got; i++) {
      if (buf[i] != '\n')
        continue;
      g_string_append_len (s->partial, buf + start, i - start);
      subscriber_parse_line (s, s->partial->str);
      g_string_truncate (s->partial, 0);
      start = i + 1;
    }
    g_string_append_len (s->partial, buf + start, got - start);
  }
  clearerr (s->f);
}

static void
pause_on_bus (GstBus * bus)
{
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, POLL_NS,
      GST_MESSAGE_ERROR);

  if (msg) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("unexpected error: %s (%s)", err->message, dbg);
  }
}

/* Starts mosquitto_sub with a persistent session and returns once it
 * received a probe message, i.e. once it is subscribed. */
static Subscriber *
subscriber_new (MqttBroker * b, guint n)
{
  Subscriber *s = g_new0 (Subscriber, 1);
  GSubprocessLauncher *l;
  GError *err = NULL;
  gchar *port = g_strdup_printf ("%u", mqtt_broker_port (b));
  gchar *id = g_strdup_printf ("overload-sub-%08x", g_random_int ());
  GstBus *bus = gst_bus_new ();
  guint attempt;

  s->n = n;
  s->seen = g_new0 (guint8, n);
  s->partial = g_string_new (NULL);
  s->path = g_build_filename (mqtt_broker_dir (b), "received.txt", NULL);
  l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_stdout_file_path (l, s->path);
  s->proc = g_subprocess_launcher_spawn (l, &err, "/usr/bin/mosquitto_sub",
      "-h", "127.0.0.1", "-p", port, "-t", "ov/#", "-q", "1", "-c", "-i",
      id, "-F", "%p", NULL);
  g_assert_no_error (err);
  g_object_unref (l);
  s->f = fopen (s->path, "r");
  fail_unless (s->f != NULL);

  for (attempt = 0; attempt < 50 && s->probes == 0; attempt++) {
    const gchar *argv[] = { "/usr/bin/mosquitto_pub", "-h", "127.0.0.1",
      "-p", port, "-t", "ov/probe", "-q", "1", "-m", "probe", NULL
    };
    gint status;
    gint i;

    g_free (mqtt_run_command (argv, 10, &status));
    for (i = 0; i < 20 && s->probes == 0; i++) {
      pause_on_bus (bus);
      subscriber_update (s);
    }
  }
  fail_unless (s->probes > 0, "mosquitto_sub never subscribed");
  gst_object_unref (bus);
  g_free (port);
  g_free (id);
  return s;
}

/* Waits (bounded) until @unique distinct readings arrived. */
static void
subscriber_wait (Subscriber * s, GstBus * bus, guint unique)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;

  subscriber_update (s);
  while (s->unique < unique && g_get_monotonic_time () < deadline) {
    pause_on_bus (bus);
    subscriber_update (s);
  }
  fail_unless (s->unique >= unique, "the subscriber has %u of %u readings",
      s->unique, unique);
}

static void
subscriber_free (Subscriber * s)
{
  g_subprocess_force_exit (s->proc);
  g_subprocess_wait (s->proc, NULL, NULL);
  g_object_unref (s->proc);
  fclose (s->f);
  g_free (s->path);
  g_free (s->seen);
  g_string_free (s->partial, TRUE);
  g_free (s);
}

/* ---- the pipeline, with a gate that holds the stream at one buffer ---- */

typedef struct
{
  GstElement *pipeline;
  GstElement *sink;
  GstBus *bus;
  GMutex lock;
  GCond cond;
  guint buffers;                /* reached the sink's pad */
  guint gate_at;                /* hold buffer number gate_at + 1 */
  gboolean gate_open;
} Overload;

static GstPadProbeReturn
gate_probe (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  Overload *o = data;

  g_mutex_lock (&o->lock);
  if (o->buffers == o->gate_at)
    while (!o->gate_open)
      g_cond_wait (&o->cond, &o->lock);
  o->buffers++;
  g_mutex_unlock (&o->lock);
  return GST_PAD_PROBE_OK;
}

static guint
overload_buffers (Overload * o)
{
  guint n;

  g_mutex_lock (&o->lock);
  n = o->buffers;
  g_mutex_unlock (&o->lock);
  return n;
}

static void
overload_open_gate (Overload * o)
{
  g_mutex_lock (&o->lock);
  o->gate_open = TRUE;
  g_cond_broadcast (&o->cond);
  g_mutex_unlock (&o->lock);
}

static Overload *
overload_new (MqttBroker * b, guint n, guint gate_at, const gchar * props)
{
  Overload *o = g_new0 (Overload, 1);
  GError *err = NULL;
  GstPad *pad;
  gchar *desc;

  /* identity (no chain_list) splits the source's buffer lists, so that
   * the gate can hold back one reading */
  desc = g_strdup_printf ("weathersrc stations=1 is-live=false "
      "num-buffers=%u ! identity ! mqttsink name=sink host=127.0.0.1 port=%u "
      "connect-timeout=10000000000 qos=1 topic=ov/{station} %s", n,
      mqtt_broker_port (b), props);
  o->pipeline = gst_parse_launch (desc, &err);
  g_assert_no_error (err);
  g_free (desc);
  o->sink = gst_bin_get_by_name (GST_BIN (o->pipeline), "sink");
  o->bus = gst_element_get_bus (o->pipeline);
  g_mutex_init (&o->lock);
  g_cond_init (&o->cond);
  o->gate_at = gate_at;
  pad = gst_element_get_static_pad (o->sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, gate_probe, o, NULL);
  gst_object_unref (pad);
  return o;
}

static void
overload_free (Overload * o)
{
  overload_open_gate (o);
  gst_element_set_state (o->pipeline, GST_STATE_NULL);
  gst_object_unref (o->sink);
  gst_object_unref (o->bus);
  gst_object_unref (o->pipeline);
  g_mutex_clear (&o->lock);
  g_cond_clear (&o->cond);
  g_free (o);
}

/* PAUSED and prerolled: connected, the first reading is waiting. */
static void
overload_preroll (Overload * o)
{
  GstMessage *msg;

  gst_element_set_state (o->pipeline, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (o->bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE,
      "no preroll");
  gst_message_unref (msg);
}

/* Waits (bounded, sampling the memory) for EOS; fails on an error. */
static void
overload_wait_eos (Overload * o, guint64 * rss_peak)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  GstMessage *msg = NULL;

  while (!msg && g_get_monotonic_time () < deadline) {
    msg = gst_bus_timed_pop_filtered (o->bus, POLL_NS,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    *rss_peak = MAX (*rss_peak, rss_kb ());
  }
  fail_unless (msg != NULL, "no EOS within %d s", WAIT_S);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("unexpected error: %s (%s)", err->message, dbg);
  }
  gst_message_unref (msg);
}

/* Starts the stream, lets the readings before the gate reach the
 * subscriber (those drop-oldest did not drop already: the source is faster
 * than the broker even when it runs), freezes the broker and opens the
 * gate. Returns the memory at preroll. */
static guint64
overload_start_frozen (Overload * o, MqttBroker * b, Subscriber * sub)
{
  guint64 rss0, acked;
  gint64 deadline;

  overload_preroll (o);
  rss0 = rss_kb ();
  gst_element_set_state (o->pipeline, GST_STATE_PLAYING);
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (weather_stat_u64 (o->sink, "acknowledged") + weather_stat_u64 (o->sink,
          "dropped") < o->gate_at && g_get_monotonic_time () < deadline)
    pause_on_bus (o->bus);
  acked = weather_stat_u64 (o->sink, "acknowledged");
  fail_unless (acked + weather_stat_u64 (o->sink, "dropped") == o->gate_at,
      "the readings before the gate were not all handled");
  subscriber_wait (sub, o->bus, acked);
  mqtt_broker_freeze (b);
  overload_open_gate (o);
  return rss0;
}

/* ---- warnings from the sink's debug category ---- */

static gint drop_warnings;

static void
count_drop_warning (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  const gchar *text;

  if (level != GST_LEVEL_WARNING ||
      strcmp (gst_debug_category_get_name (category), "mqttsink") != 0)
    return;
  text = gst_debug_message_get (message);
  if (text && strstr (text, "dropped the oldest"))
    g_atomic_int_inc (&drop_warnings);
}

/* ---- tests ---- */

/* The default blocking policy: the source waits while the broker is
 * frozen; the queue, and with it the memory, stays bounded; every reading
 * arrives once the broker goes on. @max_queued is a parameter so that the
 * memory assertion can be checked against an unbounded queue by hand
 * (G_MAXINT here makes it fail). */
static void
run_block (guint max_queued)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  Subscriber *sub = subscriber_new (b, N_READINGS);
  Overload *o;
  gchar *props;
  guint64 rss0, rss_peak, queued = 0, peak;
  guint arrived, stable = 0;
  gint64 deadline;

  props = g_strdup_printf ("max-queued=%u max-inflight=%u", max_queued,
      MAX_INFLIGHT);
  o = overload_new (b, N_READINGS, GATE_AT, props);
  g_free (props);
  gst_debug_set_threshold_for_name ("mqttsink", GST_LEVEL_WARNING);
  gst_debug_add_log_function (count_drop_warning, NULL, NULL);
  g_atomic_int_set (&drop_warnings, 0);

  rss0 = overload_start_frozen (o, b, sub);
  rss_peak = rss0;

  /* the sink fills its bound, then the source blocks: the number of
   * buffers that reached the sink stops at the gate + queue + in flight
   * + the one waiting in render() */
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline) {
    queued = weather_stat_u64 (o->sink, "queued");
    arrived = overload_buffers (o);
    rss_peak = MAX (rss_peak, rss_kb ());
    if ((queued >= max_queued || arrived == N_READINGS) && ++stable > 20)
      break;
    pause_on_bus (o->bus);
  }
  fail_unless (queued >= MIN (max_queued, N_READINGS - GATE_AT),
      "the sink never filled its queue: %" G_GUINT64_FORMAT " queued", queued);
  arrived = overload_buffers (o);
  fail_unless (arrived <= GATE_AT + max_queued + MAX_INFLIGHT + 1,
      "the source did not block: %u buffers reached the sink", arrived);
  fail_unless (weather_stat_u64 (o->sink, "acknowledged") <= GATE_AT + 1);

  mqtt_broker_thaw (b);
  overload_wait_eos (o, &rss_peak);

  /* EOS came only after the last acknowledgement */
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "published"),
      N_READINGS);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "acknowledged"),
      N_READINGS);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "queued"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "dropped"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "invalid"), 0);
  peak = weather_stat_u64 (o->sink, "queued-peak");

  subscriber_wait (sub, o->bus, N_READINGS);
  g_printerr ("overload block: N %u, received %u, unique %u, duplicates %u, "
      "queued-peak %" G_GUINT64_FORMAT " (max-queued %u + max-inflight %u), "
      "RSS %" G_GUINT64_FORMAT " kB -> peak %" G_GUINT64_FORMAT " kB "
      "(+%" G_GUINT64_FORMAT " kB)\n", N_READINGS, sub->lines - sub->probes,
      sub->unique, sub->duplicates, peak, max_queued, MAX_INFLIGHT, rss0,
      rss_peak, rss_peak - rss0);
  fail_unless_equals_int (sub->unique, N_READINGS);
  fail_unless (peak >= MIN (max_queued, N_READINGS - GATE_AT));
  fail_unless (peak <= (guint64) max_queued + MAX_INFLIGHT,
      "queued-peak %" G_GUINT64_FORMAT " beyond the bound", peak);
  if (CHECK_RSS)
    fail_unless (rss_peak - rss0 < MAX_RSS_GROWTH_KB,
        "memory grew by %" G_GUINT64_FORMAT " kB", rss_peak - rss0);
  else
    g_printerr ("overload block: RSS not checked under AddressSanitizer\n");
  fail_unless_equals_int (g_atomic_int_get (&drop_warnings), 0);

  gst_debug_remove_log_function (count_drop_warning);

  overload_free (o);
  subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_START_TEST (test_block_bounded_and_lossless)
{
  run_block (MAX_QUEUED);
}

GST_END_TEST;

/* drop-oldest: the source never waits, the pipeline keeps running with
 * the broker frozen, each drop is counted and warned about, and what was
 * not dropped arrives: received + dropped == N. */
GST_START_TEST (test_drop_oldest_keeps_running)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  Subscriber *sub = subscriber_new (b, N_READINGS);
  Overload *o;
  gchar *props;
  guint64 rss0, rss_peak, dropped, peak;
  gint64 deadline;

  gst_debug_set_threshold_for_name ("mqttsink", GST_LEVEL_WARNING);
  gst_debug_add_log_function (count_drop_warning, NULL, NULL);
  g_atomic_int_set (&drop_warnings, 0);

  props = g_strdup_printf ("max-queued=%u max-inflight=%u "
      "queue-policy=drop-oldest", MAX_QUEUED, MAX_INFLIGHT);
  o = overload_new (b, N_READINGS, GATE_AT, props);
  g_free (props);

  rss0 = overload_start_frozen (o, b, sub);
  rss_peak = rss0;
  /* every reading reaches the sink while the broker is still frozen */
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (overload_buffers (o) < N_READINGS &&
      g_get_monotonic_time () < deadline) {
    rss_peak = MAX (rss_peak, rss_kb ());
    pause_on_bus (o->bus);
  }
  fail_unless_equals_int (overload_buffers (o), N_READINGS);
  dropped = weather_stat_u64 (o->sink, "dropped");
  fail_unless (dropped >= N_READINGS - GATE_AT - MAX_QUEUED - MAX_INFLIGHT -
      1, "only %" G_GUINT64_FORMAT " dropped", dropped);

  mqtt_broker_thaw (b);
  overload_wait_eos (o, &rss_peak);

  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "dropped"), dropped);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink, "queued"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (o->sink,
          "acknowledged") + dropped, N_READINGS);
  peak = weather_stat_u64 (o->sink, "queued-peak");
  fail_unless (peak <= MAX_QUEUED + MAX_INFLIGHT);
  fail_unless (g_atomic_int_get (&drop_warnings) >= 1,
      "no warning about the drops");

  subscriber_wait (sub, o->bus, N_READINGS - dropped);
  g_printerr ("overload drop-oldest: N %u, received %u, unique %u, "
      "duplicates %u, dropped %" G_GUINT64_FORMAT ", warnings %d, "
      "queued-peak %" G_GUINT64_FORMAT ", RSS +%" G_GUINT64_FORMAT " kB\n",
      N_READINGS, sub->lines - sub->probes, sub->unique, sub->duplicates,
      dropped, g_atomic_int_get (&drop_warnings), peak, rss_peak - rss0);
  fail_unless_equals_uint64 (sub->unique + dropped, N_READINGS);
  if (CHECK_RSS)
    fail_unless (rss_peak - rss0 < MAX_RSS_GROWTH_KB);

  gst_debug_remove_log_function (count_drop_warning);
  overload_free (o);
  subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* A zero queue bound is refused by the property itself: no unbounded or
 * stuck sink by configuration. max-inflight 0 is its default, automatic
 * (100, or 20 at qos=2), never a window of none. */
GST_START_TEST (test_zero_bounds_refused)
{
  GstElement *sink = gst_element_factory_make ("mqttsink", NULL);
  guint q, f;

  fail_unless (sink != NULL);
  g_object_get (sink, "max-queued", &q, "max-inflight", &f, NULL);
  fail_unless_equals_int (q, 10000);
  fail_unless_equals_int (f, 0);
  ASSERT_WARNING (g_object_set (sink, "max-queued", 0, NULL));
  ASSERT_WARNING (g_object_set (sink, "max-inflight", 65536, NULL));
  g_object_get (sink, "max-queued", &q, "max-inflight", &f, NULL);
  fail_unless_equals_int (q, 10000);
  fail_unless_equals_int (f, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (sink, "inflight-window"), 100);
  g_object_set (sink, "max-queued", 1, "max-inflight", 1, NULL);
  g_object_get (sink, "max-queued", &q, "max-inflight", &f, NULL);
  fail_unless_equals_int (q, 1);
  fail_unless_equals_int (f, 1);
  gst_object_unref (sink);
}

GST_END_TEST;

/* The broker frozen past eos-timeout: an error naming the unacknowledged
 * messages, never EOS with messages unsent. */
GST_START_TEST (test_frozen_past_eos_timeout_is_an_error)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  Subscriber *sub = subscriber_new (b, 100);
  Overload *o;
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;
  guint64 acked, queued;

  o = overload_new (b, 100, 10, "max-queued=200 max-inflight=20 "
      "eos-timeout=1000000000");
  overload_start_frozen (o, b, sub);
  msg = gst_bus_timed_pop_filtered (o->bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_WRITE), "wrong error %s", err->message);
  fail_unless (strstr (err->message, "not acknowledged") != NULL,
      "%s", err->message);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  msg = gst_bus_pop_filtered (o->bus, GST_MESSAGE_EOS);
  fail_unless (msg == NULL, "EOS posted with messages unacknowledged");

  acked = weather_stat_u64 (o->sink, "acknowledged");
  queued = weather_stat_u64 (o->sink, "queued");
  fail_unless (acked <= 11, "%" G_GUINT64_FORMAT " acknowledged", acked);
  fail_unless_equals_uint64 (acked + queued, 100);

  overload_free (o);
  mqtt_broker_thaw (b);
  subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Shutting down while the source is blocked on a full queue and the
 * broker is frozen: the state change completes, nothing hangs. */
GST_START_TEST (test_stop_while_blocked)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  Subscriber *sub = subscriber_new (b, 1000);
  Overload *o;
  gint64 deadline;

  o = overload_new (b, 1000, 10, "max-queued=50 max-inflight=5");
  overload_start_frozen (o, b, sub);
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (weather_stat_u64 (o->sink, "queued") < 50 &&
      g_get_monotonic_time () < deadline)
    pause_on_bus (o->bus);
  fail_unless (weather_stat_u64 (o->sink, "queued") >= 50);
  fail_unless (overload_buffers (o) <= 10 + 50 + 5 + 1);
  fail_unless_equals_int (gst_element_set_state (o->pipeline,
          GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);

  overload_free (o);
  mqtt_broker_thaw (b);
  subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqtt_overload_suite (void)
{
  Suite *s = suite_create ("mqtt_overload");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_block_bounded_and_lossless);
  tcase_add_test (tc, test_drop_oldest_keeps_running);
  /* bad input and failures */
  tcase_add_test (tc, test_zero_bounds_refused);
  tcase_add_test (tc, test_frozen_past_eos_timeout_is_an_error);
  tcase_add_test (tc, test_stop_while_blocked);
  return s;
}

GST_CHECK_MAIN (mqtt_overload);
