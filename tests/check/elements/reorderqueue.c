/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * reorderqueue: release timing (live, with the test clock), the non-live
 * watermark, duplicates, late drops, GAPs, overflow, flushes, EOS, latency.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/weather/weather.h>

#include "../weatherharness.h"
#include "../weatherstats.h"

#define ORIGIN GST_WEATHER_REPLAY_START
#define MS GST_MSECOND
#define CAPS_NO_PERIOD "application/x-weather-reading, version=(int)1"
#define CAPS_PERIOD_1S "application/x-weather-reading, version=(int)1, " \
    "period=(guint64)1000000000"

/* The order in which buffers and events leave the element, as text:
 * "B<station>:<ms>" for a reading, "G<ms>+<ms>" for a GAP, "E" for EOS. */
typedef struct
{
  GMutex lock;
  GCond cond;
  GString *log;
  gboolean marker_seen;
  gboolean eos_seen;
} OrderLog;

static OrderLog order;

static GstPadProbeReturn
record_order (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_mutex_lock (&order.lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
    GstWeatherReading r;

    fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
    g_string_append_printf (order.log, "B%u:%" G_GUINT64_FORMAT " ",
        r.station_id, GST_BUFFER_PTS (buf) / MS);
  } else {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
      GstClockTime ts, dur;
      guint station_id;

      gst_event_parse_gap (ev, &ts, &dur);
      g_string_append_printf (order.log, "G%" G_GUINT64_FORMAT "+%"
          G_GUINT64_FORMAT, ts / MS, dur / MS);
      if (gst_structure_get_uint (gst_event_get_structure (ev), "station-id",
              &station_id))
        g_string_append_printf (order.log, "@%u", station_id);
      g_string_append_c (order.log, ' ');
    } else if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
      g_string_append (order.log, "E ");
      order.eos_seen = TRUE;
      g_cond_broadcast (&order.cond);
    } else if (gst_event_has_name (ev, "test-marker")) {
      order.marker_seen = TRUE;
      g_cond_broadcast (&order.cond);
    }
  }
  g_mutex_unlock (&order.lock);
  return GST_PAD_PROBE_OK;
}

/* Waits until everything the element released before now has left it: a
 * serialized marker event travels behind it (or EOS closed the stream). */
static void
sync_output (GstHarness * h)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  gboolean queued;

  g_mutex_lock (&order.lock);
  order.marker_seen = FALSE;
  g_mutex_unlock (&order.lock);
  queued = gst_harness_push_event (h,
      gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
          gst_structure_new_empty ("test-marker")));
  g_mutex_lock (&order.lock);
  while (!(queued ? order.marker_seen : order.eos_seen))
    fail_unless (g_cond_wait_until (&order.cond, &order.lock, end),
        "the element never pushed what it had released");
  g_mutex_unlock (&order.lock);
}

static gchar *
take_order (void)
{
  gchar *s;

  g_mutex_lock (&order.lock);
  s = g_strdup (g_strstrip (order.log->str));
  g_string_truncate (order.log, 0);
  g_mutex_unlock (&order.lock);
  return s;
}

#define assert_order(expected) G_STMT_START { \
  gchar *_got; \
  sync_output (h); \
  _got = take_order (); \
  fail_unless_equals_string (_got, expected); \
  g_free (_got); \
} G_STMT_END

static GstBuffer *
make_reading (guint32 station, GstClockTime pts, guint64 sequence)
{
  GstWeatherReading r;
  GstBuffer *buf;
  gchar name[32];

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = ORIGIN + (gint64) pts;
  r.sequence = sequence;
  r.temperature_c = 12.5;
  r.pressure_hpa = 1013.0;
  g_snprintf (name, sizeof (name), "st-%u", station);
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static void
push_reading (GstHarness * h, guint32 station, GstClockTime pts, guint64 seq)
{
  fail_unless_equals_int (gst_harness_push (h, make_reading (station, pts,
              seq)), GST_FLOW_OK);
}

static GstHarness *
setup (gboolean live, GstClockTime latency, const gchar * caps)
{
  GstHarness *h = weather_harness_new_by_name ("reorderqueue", "sink", "src",
      live);
  GstSegment segment;

  g_object_set (h->element, "latency", (guint64) latency, NULL);
  if (live)
    gst_harness_use_testclock (h);
  gst_harness_set_src_caps_str (h, caps);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  gst_pad_add_probe (h->sinkpad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, record_order, NULL, NULL);
  g_mutex_lock (&order.lock);
  order.eos_seen = FALSE;
  g_mutex_unlock (&order.lock);
  g_free (take_order ());
  return h;
}

static guint
stat_level (GstHarness * h)
{
  GstStructure *s;
  guint v = G_MAXUINT;

  g_object_get (h->element, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint (s, "level", &v));
  gst_structure_free (s);
  return v;
}

/* The time of the clock wait the element is blocked on. */
static GstClockTime
pending_wait_time (GstHarness * h)
{
  GstTestClock *clock = gst_harness_get_testclock (h);
  GstClockID id;
  GstClockTime t;

  gst_test_clock_wait_for_next_pending_id (clock, &id);
  t = gst_clock_id_get_time (id);
  gst_clock_id_unref (id);
  gst_object_unref (clock);
  return t;
}

static void
pull_expect (GstHarness * h, guint32 station, GstClockTime pts)
{
  GstBuffer *buf = gst_harness_pull (h);
  GstWeatherReading r;

  fail_unless (buf != NULL);
  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless_equals_int (r.station_id, station);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), pts);
  fail_unless_equals_int64 (r.created_at, ORIGIN + (gint64) pts);
  gst_buffer_unref (buf);
}

static void
drain_buffers (GstHarness * h)
{
  GstBuffer *b;

  while ((b = gst_harness_try_pull (h)))
    gst_buffer_unref (b);
}

/* ---- good input ---- */

GST_START_TEST (test_live_release_at_due_time)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_NO_PERIOD);

  gst_harness_set_time (h, 0);
  push_reading (h, 1, 3 * GST_SECOND, 3);
  push_reading (h, 1, 1 * GST_SECOND, 1);
  push_reading (h, 1, 2 * GST_SECOND, 2);

  /* blocked until the oldest is due, and nothing out before */
  fail_unless_equals_uint64 (pending_wait_time (h), GST_SECOND + 100 * MS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 1 * GST_SECOND);
  fail_unless_equals_uint64 (pending_wait_time (h), 2 * GST_SECOND + 100 * MS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 2 * GST_SECOND);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 3 * GST_SECOND);

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "reordered"), 2);
  fail_unless_equals_int (stat_level (h), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* readings already overdue leave at once, and a reading earlier than the
 * one being waited for moves the wait */
GST_START_TEST (test_live_earlier_reading_moves_deadline)
{
  GstHarness *h = setup (TRUE, 500 * MS, CAPS_NO_PERIOD);

  gst_harness_set_time (h, 0);
  push_reading (h, 2, 5 * GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 5500 * MS);
  push_reading (h, 3, 4 * GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 4500 * MS);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  /* the clock jumps past both deadlines: both leave in order */
  gst_harness_set_time (h, 10 * GST_SECOND);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 3, 4 * GST_SECOND);
  pull_expect (h, 2, 5 * GST_SECOND);

  /* overdue on arrival: pushed without a wait */
  push_reading (h, 2, 6 * GST_SECOND, 0);
  pull_expect (h, 2, 6 * GST_SECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nonlive_watermark_release)
{
  GstHarness *h = setup (FALSE, GST_SECOND, CAPS_NO_PERIOD);

  push_reading (h, 1, 0, 0);
  push_reading (h, 1, 2 * GST_SECOND, 0);
  /* watermark = 2 s - 1 s: only the reading at 0 may leave */
  assert_order ("B1:0");
  push_reading (h, 1, 1 * GST_SECOND, 0);
  assert_order ("B1:1000");
  push_reading (h, 1, 2500 * MS, 0);
  assert_order ("");
  push_reading (h, 1, 3 * GST_SECOND, 0);
  assert_order ("B1:2000");
  fail_unless_equals_int (stat_level (h), 2);

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:2500 B1:3000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 5);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "reordered"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_mixed_stream_order_per_station)
{
  GstHarness *h = setup (FALSE, 2 * GST_SECOND, CAPS_NO_PERIOD);

  push_reading (h, 7, 1 * GST_SECOND, 0);
  push_reading (h, 5, 2 * GST_SECOND, 0);
  push_reading (h, 7, 0, 0);
  push_reading (h, 5, 1 * GST_SECOND, 0);
  push_reading (h, 9, 1 * GST_SECOND, 0);
  assert_order ("B7:0");
  push_reading (h, 5, 4 * GST_SECOND, 0);
  assert_order ("B5:1000 B7:1000 B9:1000 B5:2000");
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B5:4000 E");
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_eos_drains_in_order)
{
  GstHarness *h = setup (TRUE, 10 * GST_SECOND, CAPS_NO_PERIOD);

  gst_harness_set_time (h, 0);
  push_reading (h, 1, 3 * GST_SECOND, 0);
  push_reading (h, 2, 1 * GST_SECOND, 0);
  push_reading (h, 1, 2 * GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 11 * GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  /* no clock crank: EOS releases everything */
  pull_expect (h, 2, 1 * GST_SECOND);
  pull_expect (h, 1, 2 * GST_SECOND);
  pull_expect (h, 1, 3 * GST_SECOND);
  while (TRUE) {
    GstEvent *ev = gst_harness_pull_event (h);
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      break;
  }
  assert_order ("B2:1000 B1:2000 B1:3000 E");
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_latency_query_adds_latency)
{
  GstHarness *h = setup (TRUE, 250 * MS, CAPS_NO_PERIOD);

  gst_harness_set_upstream_latency (h, 40 * MS);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 290 * MS);
  g_object_set (h->element, "latency", (guint64) 0, NULL);
  fail_unless_equals_uint64 (gst_harness_query_latency (h), 40 * MS);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* the upstream latency counts in the due time of live readings */
GST_START_TEST (test_live_due_includes_upstream_latency)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_NO_PERIOD);

  gst_harness_set_upstream_latency (h, 300 * MS);
  gst_harness_set_time (h, 0);
  push_reading (h, 1, GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 1400 * MS);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_latency_change_posts_message)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_NO_PERIOD);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "latency", (guint64) 100 * MS, NULL);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_LATENCY) == NULL);

  gst_harness_set_time (h, 0);
  push_reading (h, 1, GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 1100 * MS);
  g_object_set (h->element, "latency", (guint64) 400 * MS, NULL);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_LATENCY);
  fail_unless (msg != NULL);
  fail_unless (GST_MESSAGE_SRC (msg) == GST_OBJECT (h->element));
  gst_message_unref (msg);
  /* and the wait follows the new budget */
  fail_unless_equals_uint64 (pending_wait_time (h), 1400 * MS);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_missing_reading_gap_from_caps_period)
{
  GstHarness *h = setup (FALSE, 500 * MS, CAPS_PERIOD_1S);

  push_reading (h, 4, 0, 1);
  push_reading (h, 4, 1 * GST_SECOND, 2);
  push_reading (h, 4, 3 * GST_SECOND, 4);
  /* watermark 2.5 s: the slot at 2 s was given up on at 2.5 s */
  /* the GAP names its station */
  assert_order ("B4:0 B4:1000 G2000+1000@4");
  push_reading (h, 4, 4 * GST_SECOND, 5);
  assert_order ("B4:3000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* live, period from the property: one GAP per missing reading, each when
 * the clock reaches its deadline, not one timer per slot */
GST_START_TEST (test_missing_readings_gaps_live_property_period)
{
  GstHarness *h = setup (TRUE, 200 * MS, CAPS_NO_PERIOD);

  g_object_set (h->element, "period", (guint64) GST_SECOND, NULL);
  gst_harness_set_time (h, 0);
  push_reading (h, 1, 0, 0);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 0);
  assert_order ("B1:0");

  /* the next reading is owed at 1 s; given up on at 1.5 s + latency */
  fail_unless_equals_uint64 (pending_wait_time (h), 1700 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  fail_unless_equals_uint64 (pending_wait_time (h), 2700 * MS);
  assert_order ("G1000+1000@1");
  fail_unless (gst_harness_crank_single_clock_wait (h));
  fail_unless_equals_uint64 (pending_wait_time (h), 3700 * MS);
  assert_order ("G2000+1000@1");

  /* the station comes back */
  push_reading (h, 1, 3 * GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 3200 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 3 * GST_SECOND);
  assert_order ("B1:3000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap_input_moves_watermark_in_order)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);

  push_reading (h, 1, 1 * GST_SECOND, 0);
  push_reading (h, 1, 0, 0);
  push_reading (h, 1, 3 * GST_SECOND, 0);
  assert_order ("");
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (1500 * MS,
              GST_SECOND)));
  /* nothing before 2.5 s will come: both readings and then the GAP */
  assert_order ("B1:0 B1:1000 G1500+1000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps-forwarded"),
      1);
  fail_unless_equals_int (stat_level (h), 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:3000 E");
  gst_harness_teardown (h);
}

GST_END_TEST;

/* a GAP naming one station waits in order but does not release others */
GST_START_TEST (test_station_gap_input_keeps_watermark)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);
  GstEvent *gap;

  push_reading (h, 1, 0, 0);
  push_reading (h, 2, 1 * GST_SECOND, 0);
  gap = gst_event_new_gap (500 * MS, GST_SECOND);
  gst_structure_set (gst_event_writable_structure (gap), "station-id",
      G_TYPE_UINT, 1, NULL);
  fail_unless (gst_harness_push_event (h, gap));
  assert_order ("");
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:0 B2:1000 G500+1000@1 E");
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nonlive_flush_drops_held)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);
  GstSegment segment;

  push_reading (h, 1, 5 * GST_SECOND, 0);
  push_reading (h, 1, 4 * GST_SECOND, 0);
  fail_unless_equals_int (stat_level (h), 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (stat_level (h), 0);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));

  /* older than what was held before the flush: accepted, state is new */
  push_reading (h, 1, 1 * GST_SECOND, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:1000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_flush_in_the_middle)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_NO_PERIOD);
  GstTestClock *clock;

  gst_harness_set_time (h, 0);
  push_reading (h, 1, 1 * GST_SECOND, 0);
  push_reading (h, 1, 2 * GST_SECOND, 0);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 1 * GST_SECOND);
  fail_unless_equals_uint64 (pending_wait_time (h), 2100 * MS);

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  /* the task is stopped: no wait left, nothing pushed even when the time
   * of the held reading comes */
  clock = gst_harness_get_testclock (h);
  fail_unless_equals_int (gst_test_clock_peek_id_count (clock), 0);
  gst_harness_set_time (h, 5 * GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (gst_test_clock_peek_id_count (clock), 0);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_int (stat_level (h), 0);
  assert_order ("B1:1000");

  /* and it works again afterwards */
  {
    GstSegment segment;

    gst_weather_segment_init (&segment, ORIGIN);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  }
  push_reading (h, 1, 6 * GST_SECOND, 0);
  fail_unless_equals_uint64 (pending_wait_time (h), 6100 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 6 * GST_SECOND);
  gst_object_unref (clock);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* a new stream releases what the old one left and starts every station's
 * order again */
GST_START_TEST (test_new_stream_releases_and_forgets)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);
  GstSegment segment;

  push_reading (h, 1, 5 * GST_SECOND, 0);
  push_reading (h, 1, 6 * GST_SECOND, 0);
  assert_order ("");
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("second-stream")));
  gst_harness_set_src_caps_str (h, CAPS_NO_PERIOD);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  assert_order ("B1:5000 B1:6000");
  push_reading (h, 1, 1 * GST_SECOND, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:1000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* What the old stream's stations still owed (a missing reading's GAP to
 * come) is forgotten with them: no GAP of the old stream in the new one. */
GST_START_TEST (test_new_stream_forgets_owed_readings)
{
  GstHarness *h = setup (FALSE, 500 * MS, CAPS_PERIOD_1S);
  GstSegment segment;

  push_reading (h, 4, 0, 1);
  push_reading (h, 4, 1 * GST_SECOND, 2);
  assert_order ("B4:0");
  /* the reading at 2 s is owed */
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("second-stream")));
  gst_harness_set_src_caps_str (h, CAPS_PERIOD_1S);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  assert_order ("B4:1000");
  push_reading (h, 5, 10 * GST_SECOND, 1);
  push_reading (h, 5, 11 * GST_SECOND, 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B5:10000 B5:11000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- bad input ---- */

/* a station whose clock jumped back is not silenced until time catches
 * up: after a run of late readings its order starts again */
GST_START_TEST (test_clock_jump_back_resyncs_station)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  guint i;

  push_reading (h, 1, 1000 * GST_SECOND, 0);
  push_reading (h, 2, 1000 * GST_SECOND, 0);
  assert_order ("B1:1000000 B2:1000000");
  for (i = 1; i <= 9; i++)
    push_reading (h, 1, i * GST_SECOND, 0);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 9);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "resyncs"), 0);
  /* the 10th in a row starts the station again */
  push_reading (h, 1, 10 * GST_SECOND, 0);
  push_reading (h, 1, 11 * GST_SECOND, 0);
  assert_order ("B1:10000 B1:11000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 9);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "resyncs"), 1);
  /* the other station is not affected */
  push_reading (h, 2, 5 * GST_SECOND, 0);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 10);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_duplicate_same_created_at_held)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);

  push_reading (h, 1, 1 * GST_SECOND, 0);
  push_reading (h, 1, 1 * GST_SECOND, 0);
  push_reading (h, 2, 1 * GST_SECOND, 0);       /* another station: kept */
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "duplicates"), 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:1000 B2:1000 E");
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_duplicate_same_created_at_released)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);

  push_reading (h, 1, 1 * GST_SECOND, 0);
  assert_order ("B1:1000");
  push_reading (h, 1, 1 * GST_SECOND, 0);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "duplicates"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_duplicate_sequence)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);

  /* a repeated transmission stamped 30 ms later, same sequence */
  push_reading (h, 1, 1000 * MS, 17);
  push_reading (h, 1, 1030 * MS, 17);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "duplicates"), 1);
  /* same sequence as the one released last */
  g_object_set (h->element, "latency", (guint64) 0, NULL);
  push_reading (h, 1, 2000 * MS, 18);
  assert_order ("B1:1000 B1:2000");
  push_reading (h, 1, 2040 * MS, 18);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "duplicates"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_late_reading_dropped_with_message)
{
  GstHarness *h = setup (FALSE, 500 * MS, CAPS_NO_PERIOD);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  const GstStructure *s;
  guint station_id;
  gint64 created_at;
  guint64 lateness;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "post-drop-messages", TRUE, NULL);
  push_reading (h, 3, 2 * GST_SECOND, 0);
  push_reading (h, 3, 3 * GST_SECOND, 0);
  assert_order ("B3:2000");
  /* 1.2 s older than the reading already released */
  push_reading (h, 3, 800 * MS, 0);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 1);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "reorderqueue-drop"));
  fail_unless_equals_string (gst_structure_get_string (s, "reason"), "late");
  fail_unless_equals_string (gst_structure_get_string (s, "station-name"),
      "st-3");
  fail_unless (gst_structure_get_uint (s, "station-id", &station_id));
  fail_unless_equals_int (station_id, 3);
  fail_unless (gst_structure_get_int64 (s, "created-at", &created_at));
  fail_unless_equals_int64 (created_at, ORIGIN + 800 * MS);
  fail_unless (gst_structure_get_uint64 (s, "lateness", &lateness));
  fail_unless_equals_uint64 (lateness, 1200 * MS);
  gst_message_unref (msg);

  /* without the property: counted, no message */
  g_object_set (h->element, "post-drop-messages", FALSE, NULL);
  push_reading (h, 3, 900 * MS, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 2);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT) == NULL);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_duplicate_message_reason)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "post-drop-messages", TRUE, NULL);
  push_reading (h, 3, GST_SECOND, 0);
  push_reading (h, 3, GST_SECOND, 0);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "duplicate");
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* a reading arriving after its slot was declared missing is late */
GST_START_TEST (test_reading_after_its_gap_is_late)
{
  GstHarness *h = setup (FALSE, 500 * MS, CAPS_PERIOD_1S);

  push_reading (h, 4, 0, 0);
  push_reading (h, 4, 1 * GST_SECOND, 0);
  push_reading (h, 4, 4 * GST_SECOND, 0);
  assert_order ("B4:0 B4:1000 G2000+1000@4 G3000+1000@4");
  push_reading (h, 4, 2 * GST_SECOND, 0);
  assert_order ("");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_overflow_by_buffers)
{
  GstHarness *h = setup (FALSE, 100 * GST_SECOND, CAPS_NO_PERIOD);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint i;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "max-size-buffers", 3, "post-drop-messages",
      TRUE, NULL);
  for (i = 5; i > 1; i--)
    push_reading (h, 1, i * GST_SECOND, 0);
  /* level 4 > 3: the oldest held leaves early */
  assert_order ("B1:2000");
  /* another station's older reading is now the oldest: it leaves early */
  push_reading (h, 2, 1 * GST_SECOND, 0);
  assert_order ("B2:1000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "overflow"), 2);
  fail_unless_equals_int (stat_level (h), 3);
  /* released early, the station's order still holds: an older reading
   * of station 1 is late now */
  push_reading (h, 1, 1 * GST_SECOND, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 1);
  fail_unless_equals_int (stat_level (h), 3);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "overflow");
  /* the name comes from the released reading's own record */
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "station-name"), "st-1");
  gst_message_unref (msg);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "overflow");
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "station-name"), "st-2");
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_overflow_by_time)
{
  GstHarness *h = setup (FALSE, 100 * GST_SECOND, CAPS_NO_PERIOD);

  g_object_set (h->element, "max-size-time", (guint64) 2 * GST_SECOND, NULL);
  push_reading (h, 1, 0, 0);
  push_reading (h, 2, 1 * GST_SECOND, 0);
  push_reading (h, 1, 2 * GST_SECOND, 0);
  assert_order ("");
  push_reading (h, 2, 3500 * MS, 0);
  /* span 3.5 s > 2 s: 0 and 1 s leave early, span now 1.5 s */
  assert_order ("B1:0 B2:1000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "overflow"), 2);
  fail_unless_equals_int (stat_level (h), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* live: the task releases early on overflow without a clock crank */
GST_START_TEST (test_overflow_live)
{
  GstHarness *h = setup (TRUE, 100 * GST_SECOND, CAPS_NO_PERIOD);

  g_object_set (h->element, "max-size-buffers", 1, NULL);
  gst_harness_set_time (h, 0);
  push_reading (h, 1, 2 * GST_SECOND, 0);
  push_reading (h, 1, 1 * GST_SECOND, 0);
  pull_expect (h, 1, 1 * GST_SECOND);
  fail_unless_equals_uint64 (pending_wait_time (h), 102 * GST_SECOND);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "overflow"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- buffer lists ---- */

static GstFlowReturn
push_list (GstHarness * h, GstBuffer ** bufs, guint n)
{
  GstBufferList *list = gst_buffer_list_new_sized (n);
  guint i;

  for (i = 0; i < n; i++)
    gst_buffer_list_add (list, bufs[i]);
  return gst_pad_push_list (h->srcpad, list);
}

/* A list is taken in as its readings one by one would be. */
GST_START_TEST (test_list_like_single_buffers)
{
  const GstClockTime pts[] = { 2000, 0, 1000, 1000, 3000, 2500 };
  const guint32 station[] = { 1, 1, 2, 1, 1, 2 };
  GstHarness *h;
  GstBuffer *bufs[G_N_ELEMENTS (pts)];
  gchar *one_by_one;
  guint i;

  h = setup (FALSE, GST_SECOND, CAPS_NO_PERIOD);
  for (i = 0; i < G_N_ELEMENTS (pts); i++)
    push_reading (h, station[i], pts[i] * MS, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  sync_output (h);
  one_by_one = take_order ();
  gst_harness_teardown (h);

  h = setup (FALSE, GST_SECOND, CAPS_NO_PERIOD);
  for (i = 0; i < G_N_ELEMENTS (pts); i++)
    bufs[i] = make_reading (station[i], pts[i] * MS, 0);
  fail_unless_equals_int (push_list (h, bufs, G_N_ELEMENTS (pts)), GST_FLOW_OK);
  /* watermark 3 s - 1 s */
  assert_order ("B1:0 B2:1000 B1:1000 B1:2000");
  fail_unless_equals_int (stat_level (h), 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B2:2500 B1:3000 E");
  fail_unless_equals_string (one_by_one,
      "B1:0 B2:1000 B1:1000 B1:2000 B2:2500 B1:3000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 6);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "reordered"), 2);
  g_free (one_by_one);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A list longer than max-size-buffers, every reading due at once: the
 * task is woken while the list waits for room, nothing hangs or is lost. */
GST_START_TEST (test_list_longer_than_output_bound)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GstBuffer *bufs[10];
  guint i;

  g_object_set (h->element, "max-size-buffers", 2, NULL);
  for (i = 0; i < G_N_ELEMENTS (bufs); i++)
    bufs[i] = make_reading (1, i * GST_SECOND, 0);
  fail_unless_equals_int (push_list (h, bufs, G_N_ELEMENTS (bufs)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:0 B1:1000 B1:2000 B1:3000 B1:4000 B1:5000 B1:6000 "
      "B1:7000 B1:8000 B1:9000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "overflow"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

typedef enum
{
  BAD_SHORT,
  BAD_LONG,
  BAD_EMPTY,
  BAD_INF_TEMPERATURE,
  BAD_NEGATIVE_CREATED,
  BAD_MISSING_FLAG,
  BAD_NO_PTS_BEFORE_ORIGIN,
  BAD_PTS_BEYOND_TIME,
  N_BAD
} BadKind;

static GstBuffer *
make_bad_buffer (BadKind kind)
{
  GstWeatherReading r;
  guint8 raw[GST_WEATHER_READING_SIZE];
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = 1;
  r.created_at = ORIGIN + GST_SECOND;
  switch (kind) {
    case BAD_SHORT:
      gst_weather_reading_write (&r, raw);
      buf = gst_buffer_new_memdup (raw, GST_WEATHER_READING_SIZE - 1);
      break;
    case BAD_LONG:
      buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE + 8, NULL);
      gst_buffer_memset (buf, 0, 0, GST_WEATHER_READING_SIZE + 8);
      break;
    case BAD_EMPTY:
      buf = gst_buffer_new ();
      break;
    case BAD_INF_TEMPERATURE:
      r.temperature_c = INFINITY;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_NEGATIVE_CREATED:
      r.created_at = -5;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_MISSING_FLAG:
      r.flags = GST_WEATHER_READING_FLAG_MISSING;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_NO_PTS_BEFORE_ORIGIN:
      r.created_at = ORIGIN - GST_SECOND;
      buf = gst_weather_reading_to_buffer (&r);
      return buf;               /* no PTS */
    case BAD_PTS_BEYOND_TIME:
      buf = gst_weather_reading_to_buffer (&r);
      GST_BUFFER_PTS (buf) = GST_WEATHER_CLOCK_TIME_MAX + 1;
      return buf;
    default:
      g_assert_not_reached ();
  }
  GST_BUFFER_PTS (buf) = GST_SECOND;
  return buf;
}

GST_START_TEST (test_invalid_buffers_counted)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);

  /* every bad kind is dropped, counted, and does not stop the stream */
  fail_unless_equals_int (gst_harness_push (h,
          make_bad_buffer ((BadKind) __i__)), GST_FLOW_OK);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "invalid"), 1);
  fail_unless_equals_int (stat_level (h), 0);
  assert_order ("");
  push_reading (h, 1, 2 * GST_SECOND, 0);
  assert_order ("B1:2000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* a reading without PTS gets one from created_at and the segment */
GST_START_TEST (test_no_pts_uses_created_at)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GstBuffer *buf = make_reading (1, 3 * GST_SECOND, 0);

  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  assert_order ("B1:3000");
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Counts the ERROR messages on @bus, popping them all. */
static guint
count_errors (GstBus * bus)
{
  GstMessage *msg;
  guint n = 0;

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    n++;
    gst_message_unref (msg);
  }
  return n;
}

/* A BYTES segment is refused with one error, however often the pad sends
 * it again (before every buffer), and every push upstream fails so that
 * its source stops. A flush starts over. */
GST_START_TEST (test_non_time_segment_refused)
{
  GstHarness *h = gst_harness_new ("reorderqueue");
  GstBus *bus = gst_bus_new ();
  GstSegment segment;
  guint i;

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, CAPS_NO_PERIOD);
  gst_segment_init (&segment, GST_FORMAT_BYTES);
  /* a sticky event: stored, refused when it is sent on */
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  for (i = 0; i < 5; i++)
    fail_if (gst_harness_push (h, make_reading (1, i * GST_SECOND, i)) ==
        GST_FLOW_OK);
  fail_unless_equals_int (count_errors (bus), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 0);

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  /* a sticky event: stored, refused when it is sent on */
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  fail_unless_equals_int (count_errors (bus), 1);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_wrong_caps_refused)
{
  GstHarness *h = gst_harness_new ("reorderqueue");

  gst_harness_set_src_caps_str (h, "text/x-raw, format=(string)utf8");
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 0, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GstFlowReturn
refuse_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  gst_buffer_unref (buf);
  return GST_FLOW_NOT_LINKED;
}

/* downstream refuses: an element error, EOS downstream, and upstream is
 * told on its next push */
GST_START_TEST (test_downstream_not_linked)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GstFlowReturn ret = GST_FLOW_OK;
  guint i;

  gst_element_set_bus (h->element, bus);
  gst_pad_set_chain_function (h->sinkpad, refuse_chain);
  push_reading (h, 1, GST_SECOND, 0);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  for (i = 0; i < 3 && ret == GST_FLOW_OK; i++)
    ret = gst_harness_push (h, make_reading (1, (2 + i) * GST_SECOND, 0));
  fail_unless_equals_int (ret, GST_FLOW_NOT_LINKED);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* after EOS nothing more is accepted */
GST_START_TEST (test_buffer_after_eos)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 0, 0)),
      GST_FLOW_EOS);
  drain_buffers (h);
  assert_order ("E");
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Bad readings inside a list are dropped and counted one by one; the
 * good ones around them go on. */
GST_START_TEST (test_list_with_bad_readings)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GstBuffer *bufs[6];

  bufs[0] = make_reading (1, 2 * GST_SECOND, 0);
  bufs[1] = make_bad_buffer (BAD_SHORT);
  bufs[2] = make_reading (1, 2 * GST_SECOND, 0);        /* duplicate */
  bufs[3] = make_reading (1, 1 * GST_SECOND, 0);        /* late */
  bufs[4] = make_bad_buffer (BAD_NO_PTS_BEFORE_ORIGIN);
  bufs[5] = make_reading (2, 3 * GST_SECOND, 0);
  fail_unless_equals_int (push_list (h, bufs, 6), GST_FLOW_OK);
  assert_order ("B1:2000 B2:3000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "invalid"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "duplicates"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A list while flushing or after EOS is refused as a whole, nothing of it
 * held or pushed. */
GST_START_TEST (test_list_refused_when_flushing_or_after_eos)
{
  GstHarness *h = setup (FALSE, 10 * GST_SECOND, CAPS_NO_PERIOD);
  GstBuffer *bufs[3];
  guint i;

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  for (i = 0; i < 3; i++)
    bufs[i] = make_reading (1, i * GST_SECOND, 0);
  fail_unless_equals_int (push_list (h, bufs, 3), GST_FLOW_FLUSHING);
  fail_unless_equals_int (stat_level (h), 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  for (i = 0; i < 3; i++)
    bufs[i] = make_reading (1, i * GST_SECOND, 0);
  fail_unless_equals_int (push_list (h, bufs, 3), GST_FLOW_EOS);
  fail_unless_equals_int (stat_level (h), 0);
  assert_order ("E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_state_changes_release_everything)
{
  GstHarness *h = setup (TRUE, 100 * GST_SECOND, CAPS_NO_PERIOD);
  guint i;

  gst_harness_set_time (h, 0);
  for (i = 0; i < 3; i++) {
    push_reading (h, 1, (i + 1) * GST_SECOND, 0);
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_READY), GST_STATE_CHANGE_SUCCESS);
    fail_unless_equals_int (stat_level (h), 0);
    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
    gst_harness_set_src_caps_str (h, CAPS_NO_PERIOD);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- serialized queries keep their place ---- */

/* A gate on reorderqueue's src pad: readings wait there, in the element's
 * task, while it is closed, so that released readings are still on their
 * way downstream (and the pad downstream is free). */
typedef struct
{
  GMutex lock;
  GCond cond;
  gboolean closed;
  gboolean reading_waits;       /* a reading reached the closed gate */
  gboolean query_in;            /* the query reached reorderqueue */
} Gate;

static Gate gate;

static GstPadProbeReturn
gate_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_mutex_lock (&gate.lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_EVENT_FLUSH) {
    /* a flush opens it, as it unblocks any element */
    if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) ==
        GST_EVENT_FLUSH_START)
      gate.closed = FALSE;
    g_cond_broadcast (&gate.cond);
  } else if (gate.closed) {
    gate.reading_waits = TRUE;
    g_cond_broadcast (&gate.cond);
    while (gate.closed)
      g_cond_wait (&gate.cond, &gate.lock);
  }
  g_mutex_unlock (&gate.lock);
  return GST_PAD_PROBE_OK;
}

static void
gate_set (gboolean closed)
{
  g_mutex_lock (&gate.lock);
  gate.closed = closed;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
}

static void
gate_wait_for (gboolean * flag)
{
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&gate.lock);
  while (!*flag)
    fail_unless (g_cond_wait_until (&gate.cond, &gate.lock, end));
  g_mutex_unlock (&gate.lock);
}

/* logs "Q<type>" when a serialized query reaches the harness, in order
 * with the readings */
static GstPadProbeReturn
record_query (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstQuery *q = GST_PAD_PROBE_INFO_QUERY (info);

  if (!GST_QUERY_IS_SERIALIZED (q))
    return GST_PAD_PROBE_OK;
  g_mutex_lock (&order.lock);
  g_string_append_printf (order.log, "Q%s ", GST_QUERY_TYPE_NAME (q));
  g_mutex_unlock (&order.lock);
  return GST_PAD_PROBE_OK;
}

static GstPadProbeReturn
query_arrives (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  g_mutex_lock (&gate.lock);
  gate.query_in = TRUE;
  g_cond_broadcast (&gate.cond);
  g_mutex_unlock (&gate.lock);
  return GST_PAD_PROBE_OK;
}

static GstHarness *
setup_gated (GstClockTime latency)
{
  GstHarness *h = setup (FALSE, latency, CAPS_NO_PERIOD);
  GstPad *sink = gst_element_get_static_pad (h->element, "sink");
  GstPad *src = gst_element_get_static_pad (h->element, "src");

  g_mutex_init (&gate.lock);
  g_cond_init (&gate.cond);
  gate.closed = gate.reading_waits = gate.query_in = FALSE;
  gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_FLUSH,
      gate_probe, NULL, NULL);
  gst_pad_add_probe (h->sinkpad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_PUSH, record_query, NULL, NULL);
  gst_pad_add_probe (sink, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM |
      GST_PAD_PROBE_TYPE_PUSH, query_arrives, NULL, NULL);
  gst_object_unref (sink);
  gst_object_unref (src);
  return h;
}

typedef struct
{
  GstHarness *h;
  GstQuery *query;
  gboolean result;
} QueryCall;

static gpointer
send_query (gpointer data)
{
  QueryCall *call = data;

  call->result = gst_pad_peer_query (call->h->srcpad, call->query);
  return NULL;
}

/* An ALLOCATION query sent while released readings are still on their
 * way downstream reaches downstream after them, as in a queue, and its
 * sender gets the answer. */
GST_START_TEST (test_allocation_query_after_released_readings)
{
  GstHarness *h = setup_gated (0);
  GstCaps *caps = gst_caps_from_string (CAPS_NO_PERIOD);
  QueryCall call = { h, gst_query_new_allocation (caps, FALSE), FALSE };
  GThread *thread;

  gate_set (TRUE);
  push_reading (h, 1, 0, 1);
  push_reading (h, 1, GST_SECOND, 2);
  gate_wait_for (&gate.reading_waits);

  thread = g_thread_new ("query", send_query, &call);
  gate_wait_for (&gate.query_in);
  gate_set (FALSE);
  g_thread_join (thread);
  fail_unless (call.result);
  assert_order ("B1:0 B1:1000 Qallocation");

  gst_query_unref (call.query);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* DRAIN asks for everything sent to be processed: what is held leaves
 * first, in order, then the query. */
GST_START_TEST (test_drain_query_releases_held_first)
{
  GstHarness *h = setup_gated (10 * GST_SECOND);
  QueryCall call = { h, gst_query_new_drain (), FALSE };

  push_reading (h, 1, 2 * GST_SECOND, 2);
  push_reading (h, 1, 0, 0);
  push_reading (h, 2, GST_SECOND, 1);
  fail_unless_equals_int (stat_level (h), 3);
  send_query (&call);
  assert_order ("B1:0 B2:1000 B1:2000 Qdrain");
  fail_unless_equals_int (stat_level (h), 0);
  /* the stations go on in order */
  push_reading (h, 1, 3 * GST_SECOND, 3);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:3000 E");
  gst_query_unref (call.query);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A flush while a query waits behind blocked readings: the query is given
 * up (FALSE) and its sender returns; no hang. */
GST_START_TEST (test_query_given_up_on_flush)
{
  GstHarness *h = setup_gated (0);
  GstCaps *caps = gst_caps_from_string (CAPS_NO_PERIOD);
  QueryCall call = { h, gst_query_new_allocation (caps, FALSE), TRUE };
  GThread *thread;

  gate_set (TRUE);
  push_reading (h, 1, 0, 1);
  push_reading (h, 1, GST_SECOND, 2);
  gate_wait_for (&gate.reading_waits);
  thread = g_thread_new ("query", send_query, &call);
  gate_wait_for (&gate.query_in);

  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  gate_set (FALSE);
  g_thread_join (thread);
  fail_if (call.result);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));

  /* refused at once while flushing, and after an error downstream */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  call.result = TRUE;
  send_query (&call);
  fail_if (call.result);

  gst_query_unref (call.query);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream stopped the task (not linked): a query is refused at once,
 * not left waiting for a task that will not answer. */
GST_START_TEST (test_query_refused_after_downstream_error)
{
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GstQuery *q = gst_query_new_drain ();
  GstBus *bus = gst_bus_new ();
  GstPad *src = gst_element_get_static_pad (h->element, "src");
  GstFlowReturn ret = GST_FLOW_OK;
  gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;

  gst_element_set_bus (h->element, bus);
  gst_pad_unlink (src, h->sinkpad);
  push_reading (h, 1, 0, 1);
  /* the task's push fails: upstream sees it at the next push */
  while (ret == GST_FLOW_OK && g_get_monotonic_time () < end)
    ret = gst_harness_push (h, make_reading (1, GST_SECOND, 2));
  fail_unless_equals_int (ret, GST_FLOW_NOT_LINKED);
  fail_if (gst_pad_peer_query (h->srcpad, q));

  gst_query_unref (q);
  gst_pad_link (src, h->sinkpad);
  gst_object_unref (src);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- live PLAYING -> PAUSED -> PLAYING ---- */

/* Paused for 5 s of clock while a reading waits: nothing leaves during
 * the pause, even when the clock passes the old deadline, and back in
 * PLAYING (with the base time moved by the pause, as a pipeline does) the
 * reading and the expected-reading GAP are due 5 s later; the stream
 * then goes on as before. */
GST_START_TEST (test_live_pause_resume)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_PERIOD_1S);
  GstTestClock *clock = gst_harness_get_testclock (h);

  gst_harness_set_time (h, 0);
  push_reading (h, 1, 0, 1);
  fail_unless_equals_uint64 (pending_wait_time (h), 100 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 0);
  push_reading (h, 1, GST_SECOND, 2);
  fail_unless_equals_uint64 (pending_wait_time (h), 1100 * MS);

  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_PAUSED), GST_STATE_CHANGE_SUCCESS);
  gst_harness_set_time (h, 3 * GST_SECOND);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  /* what a pipeline does: running time stood still for the pause */
  gst_element_set_base_time (h->element, 5 * GST_SECOND);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);

  /* the wait moved by the pause (the old one may still be seen once,
   * unscheduled) */
  gst_test_clock_wait_for_next_pending_id (clock, NULL);
  while (pending_wait_time (h) != 6100 * MS) {
    GstClockID id = gst_test_clock_process_next_clock_id (clock);

    fail_unless (id != NULL);
    gst_clock_id_unref (id);
    fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_set_time (h, 6100 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, GST_SECOND);

  /* the next slot is expected at 2 s + 500 ms + 100 ms of running time:
   * its GAP is due 5 s later on the clock */
  fail_unless_equals_uint64 (pending_wait_time (h), 7600 * MS);
  push_reading (h, 1, 2 * GST_SECOND, 3);
  fail_unless_equals_uint64 (pending_wait_time (h), 7100 * MS);
  gst_harness_set_time (h, 7100 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, 2 * GST_SECOND);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 0);
  gst_object_unref (clock);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A pause with nothing held, readings arriving during the pause: they are
 * taken, and released once PLAYING again, at their deadline in the new
 * running time. */
GST_START_TEST (test_live_readings_during_pause)
{
  GstHarness *h = setup (TRUE, 100 * MS, CAPS_NO_PERIOD);

  gst_harness_set_time (h, 0);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_PAUSED), GST_STATE_CHANGE_SUCCESS);
  push_reading (h, 1, 2 * GST_SECOND, 1);
  push_reading (h, 1, GST_SECOND, 2);
  fail_unless_equals_int (stat_level (h), 2);
  gst_element_set_base_time (h->element, 10 * GST_SECOND);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
  while (pending_wait_time (h) != 11100 * MS) {
    GstTestClock *clock = gst_harness_get_testclock (h);
    GstClockID id = gst_test_clock_process_next_clock_id (clock);

    fail_unless (id != NULL);
    gst_clock_id_unref (id);
    gst_object_unref (clock);
  }
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_set_time (h, 11100 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_expect (h, 1, GST_SECOND);
  fail_unless_equals_uint64 (pending_wait_time (h), 12100 * MS);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- readings from the future ---- */

#define YEARS_5 (G_GUINT64_CONSTANT (5) * 365 * 24 * 3600 * GST_SECOND)

/* A replay of two stations, a little out of order, with or without one
 * reading of an unrelated station dated 5 years ahead in the middle. */
static gchar *
replay_with_future (gboolean with_future, guint64 * future, guint64 * late)
{
  GstHarness *h = setup (FALSE, 2 * GST_SECOND, CAPS_NO_PERIOD);
  static const guint order_ms[] = { 0, 1000, 500, 2000, 1500, 3000, 2500,
    4000, 3500, 5000, 4500, 6000, 5500, 7000
  };
  gchar *log;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (order_ms); i++) {
    push_reading (h, 1 + i % 2, order_ms[i] * MS, 0);
    if (with_future && i == 5)
      push_reading (h, 9, YEARS_5, 0);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  sync_output (h);
  log = take_order ();
  *future = weather_stat_u64 (h->element, "future");
  *late = weather_stat_u64 (h->element, "late");
  gst_harness_teardown (h);
  return log;
}

/* One reading 5 years ahead neither comes out nor moves the watermark:
 * the real readings come out exactly as without it, none late. */
GST_START_TEST (test_future_reading_refused_in_replay)
{
  guint64 future, late;
  gchar *clean = replay_with_future (FALSE, &future, &late);
  gchar *mixed;

  fail_unless_equals_uint64 (future, 0);
  fail_unless_equals_uint64 (late, 0);
  mixed = replay_with_future (TRUE, &future, &late);
  fail_unless_equals_string (mixed, clean);
  fail_unless_equals_uint64 (future, 1);
  fail_unless_equals_uint64 (late, 0);
  g_free (clean);
  g_free (mixed);
}

GST_END_TEST;

/* A recording with a gap of a day: ten readings in a row beyond the bound
 * are a jump of the stream, taken, nothing lost; nine, then one within
 * the bound again, are refused. */
GST_START_TEST (test_future_jump_confirmed)
{
  const GstClockTime day = 24 * 3600 * GST_SECOND;
  GstHarness *h = setup (FALSE, 0, CAPS_NO_PERIOD);
  GString *expected = g_string_new ("B1:0 B1:1000");
  gchar *got;
  guint i;

  push_reading (h, 1, 0, 0);
  push_reading (h, 1, GST_SECOND, 0);
  for (i = 0; i < 12; i++) {
    push_reading (h, 1 + i % 3, day + i * GST_SECOND, 0);
    g_string_append_printf (expected, " B%u:%" G_GUINT64_FORMAT, 1 + i % 3,
        (day + i * GST_SECOND) / MS);
  }
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  g_string_append (expected, " E");
  sync_output (h);
  got = take_order ();
  fail_unless_equals_string (got, expected->str);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "future"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 14);
  g_free (got);
  g_string_free (expected, TRUE);
  gst_harness_teardown (h);

  h = setup (FALSE, 0, CAPS_NO_PERIOD);
  push_reading (h, 1, 0, 0);
  for (i = 0; i < 9; i++)
    push_reading (h, 2, day + i * GST_SECOND, 0);
  /* waiting for a confirmation, counted as held */
  fail_unless_equals_int (stat_level (h), 9);
  push_reading (h, 1, GST_SECOND, 0);
  fail_unless_equals_int (stat_level (h), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "future"), 9);
  /* and at EOS what waits is refused too */
  push_reading (h, 2, day, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_order ("B1:0 B1:1000 E");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "future"), 10);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live, the bound is the clock: readings of a station dated 5 years ahead
 * are refused as they come and never fill the queue, so the real ones
 * are neither released early nor late; with max-future 0 they are held. */
GST_START_TEST (test_future_readings_refused_live)
{
  GstHarness *h = setup (TRUE, GST_SECOND, CAPS_NO_PERIOD);
  GString *expected = g_string_new (NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint64 ahead;
  gchar *got;
  guint i;

  gst_element_set_bus (h->element, bus);
  /* room for the real readings (the clock is not cranked: all of them stay
   * held), not for the others too */
  g_object_set (h->element, "max-size-buffers", 30, "post-drop-messages",
      TRUE, NULL);
  for (i = 0; i < 20; i++) {
    gst_harness_set_time (h, i * 100 * MS);
    push_reading (h, 1, i * 100 * MS, i + 1);
    push_reading (h, 9, YEARS_5 + i * MS, i + 1);
    g_string_append_printf (expected, "B1:%u ", i * 100);
  }
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "future"), 20);
  fail_unless_equals_int (stat_level (h), 20);
  gst_harness_set_time (h, 10 * GST_SECOND);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  g_string_append (expected, "E");
  sync_output (h);
  got = take_order ();
  fail_unless_equals_string (got, expected->str);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "overflow"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
  /* each refusal says how far ahead */
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  fail_unless_equals_string (gst_structure_get_string
      (gst_message_get_structure (msg), "reason"), "future");
  fail_unless (gst_structure_get_uint64 (gst_message_get_structure (msg),
          "ahead", &ahead));
  fail_unless (ahead > YEARS_5 - GST_SECOND);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  g_free (got);
  g_string_free (expected, TRUE);
  gst_harness_teardown (h);

  /* no bound: held like any reading */
  h = setup (TRUE, GST_SECOND, CAPS_NO_PERIOD);
  g_object_set (h->element, "max-future", (guint64) 0, NULL);
  gst_harness_set_time (h, 0);
  push_reading (h, 9, YEARS_5, 1);
  fail_unless_equals_int (stat_level (h), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "future"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- time properties at the edges of their ranges ---- */

#define TMAX GST_WEATHER_CLOCK_TIME_MAX

typedef struct
{
  const gchar *property;
  guint64 value;
  guint64 maximum;              /* the property's documented maximum */
} TimeEdge;

static const TimeEdge time_edges[] = {
  {"latency", 0, GST_WEATHER_MAX_LATENESS},
  {"latency", GST_WEATHER_MAX_LATENESS - 1, GST_WEATHER_MAX_LATENESS},
  {"latency", GST_WEATHER_MAX_LATENESS, GST_WEATHER_MAX_LATENESS},
  {"max-size-time", 0, TMAX},
  {"max-size-time", TMAX - 1, TMAX},
  {"max-size-time", TMAX, TMAX},
  {"period", 0, TMAX},
  {"period", TMAX - 1, TMAX},
  {"period", TMAX, TMAX},
  {"max-future", 0, TMAX},
  {"max-future", TMAX - 1, TMAX},
  {"max-future", TMAX, TMAX},
};

/* A reading with created_at == PTS (the segment's origin is the epoch), so
 * that PTS up to 2^63-1 are valid readings. */
static GstBuffer *
make_epoch_reading (guint32 station, GstClockTime pts)
{
  GstWeatherReading r;
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = (gint64) pts;
  r.pressure_hpa = 1013.0;
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static GstHarness *
setup_edge (gboolean live, const TimeEdge * edge)
{
  GstHarness *h = weather_harness_new_by_name ("reorderqueue", "sink", "src",
      live);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (h->element), edge->property);
  GstSegment segment;

  /* the range is what the arithmetic holds, and the value is taken */
  fail_unless (pspec != NULL);
  fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (pspec)->maximum,
      edge->maximum);
  /* readings at both ends of time: no bound on how far ahead, unless that
   * is the property under test */
  g_object_set (h->element, "max-future", (guint64) 0, NULL);
  g_object_set (h->element, edge->property, edge->value, NULL);
  if (live) {
    gst_harness_use_testclock (h);
    /* the largest upstream latency a live source may report */
    gst_harness_set_upstream_latency (h, TMAX);
  }
  gst_harness_set_src_caps_str (h, CAPS_PERIOD_1S);
  gst_weather_segment_init (&segment, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  return h;
}

/* Every GAP the element made covers a slot that ends by 2^63-1 ns, and
 * the readings come out per station in order, none lost. */
static void
check_edge_output (GstHarness * h, guint expected_readings)
{
  GstClockTime last[3] = { 0, 0, 0 };
  guint readings = 0;
  GstBuffer *buf;
  GstEvent *ev;

  /* everything before EOS is in the harness once EOS is */
  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP &&
        gst_structure_has_field (gst_event_get_structure (ev), "station-id")) {
      GstClockTime ts, dur;

      gst_event_parse_gap (ev, &ts, &dur);
      fail_unless (ts <= TMAX, "GAP at %" G_GUINT64_FORMAT, ts);
      fail_unless (GST_CLOCK_TIME_IS_VALID (dur) && dur <= TMAX - ts,
          "GAP %" G_GUINT64_FORMAT " + %" G_GUINT64_FORMAT, ts, dur);
    }
    gst_event_unref (ev);
    if (eos)
      break;
  }
  while ((buf = gst_harness_try_pull (h))) {
    GstWeatherReading r;

    fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
    fail_unless (r.station_id < 3);
    fail_unless (GST_BUFFER_PTS (buf) >= last[r.station_id]);
    last[r.station_id] = GST_BUFFER_PTS (buf);
    readings++;
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (readings, expected_readings);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "invalid"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "late"), 0);
}

/* Not live: readings at the start and at the very end of time, a GAP
 * from upstream whose end lies beyond it; nothing wraps around. */
GST_START_TEST (test_time_property_edges_nonlive)
{
  const TimeEdge *edge = &time_edges[__i__];
  GstHarness *h = setup_edge (FALSE, edge);

  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1,
              GST_SECOND)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1,
              TMAX - 2 * GST_SECOND)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (2,
              TMAX - 3 * GST_SECOND)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (TMAX -
              GST_SECOND, 10 * GST_SECOND)));
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1, TMAX)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_edge_output (h, 4);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live, with the largest upstream latency: a reading near the end of time
 * is due at 2^63-1 ns, never at a deadline that wrapped around into the
 * past; the LATENCY query saturates as well. */
GST_START_TEST (test_time_property_edges_live)
{
  const TimeEdge *edge = &time_edges[__i__];
  GstHarness *h = setup_edge (TRUE, edge);
  GstClockTime min, max;
  gboolean live;
  GstQuery *q;

  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1,
              TMAX - GST_SECOND)), GST_FLOW_OK);
  fail_unless_equals_uint64 (pending_wait_time (h), TMAX);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  q = gst_query_new_latency ();
  fail_unless (gst_pad_peer_query (h->sinkpad, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, TMAX);
  fail_unless (max == GST_CLOCK_TIME_NONE || max == TMAX);
  gst_query_unref (q);

  /* EOS releases it, with no clock wait */
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  check_edge_output (h, 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- output caps: batches when downstream prefers them ---- */

#define BATCH_FIRST GST_WEATHER_READING_BATCH_CAPS "; " CAPS_NO_PERIOD

/* A reorderqueue whose downstream answers caps queries with
 * @downstream_caps (NULL: ANY), set before the stream's caps come. */
static GstHarness *
setup_downstream (GstClockTime latency, const gchar * downstream_caps,
    const gchar * caps)
{
  GstHarness *h = weather_harness_new_by_name ("reorderqueue", "sink", "src",
      FALSE);
  GstSegment segment;

  g_object_set (h->element, "latency", (guint64) latency, NULL);
  if (downstream_caps)
    gst_harness_set_sink_caps_str (h, downstream_caps);
  gst_harness_set_src_caps_str (h, caps);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  return h;
}

/* The caps the element pushed last. */
static gchar *
output_caps (GstHarness * h)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  gchar *s;

  fail_unless (caps != NULL);
  s = gst_caps_to_string (caps);
  gst_caps_unref (caps);
  return s;
}

/* Pulls a batch of @n readings of @stations at @pts (ms), in order. */
static void
pull_batch_expect (GstHarness * h, guint n, const guint32 * stations,
    const guint * pts_ms)
{
  GstBuffer *buf = gst_harness_pull (h);
  GstMapInfo map;
  guint i;

  fail_unless (buf != NULL);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless_equals_int (map.size, n * GST_WEATHER_READING_SIZE);
  for (i = 0; i < n; i++) {
    GstWeatherReading r;

    fail_unless (gst_weather_reading_parse (map.data +
            i * GST_WEATHER_READING_SIZE, &r, NULL));
    fail_unless_equals_int (r.station_id, stations[i]);
    fail_unless_equals_int64 (r.created_at, ORIGIN + pts_ms[i] * MS);
  }
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), pts_ms[0] * MS);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf),
      (pts_ms[n - 1] - pts_ms[0]) * MS);
  gst_buffer_unref (buf);
}

/* Downstream lists batches first (as grouper does): what is released
 * together leaves as one batch, with the stream's caps fields. */
GST_START_TEST (test_output_batches_when_preferred)
{
  GstHarness *h = setup_downstream (GST_SECOND, BATCH_FIRST, CAPS_PERIOD_1S);
  static const guint32 st[] = { 2, 1, 3 };
  static const guint ms[] = { 100, 200, 300 };
  static const guint32 st_last[] = { 1 };
  static const guint ms_last[] = { 2000 };
  gchar *caps;

  push_reading (h, 1, 200 * MS, 1);
  push_reading (h, 2, 100 * MS, 1);
  push_reading (h, 3, 300 * MS, 1);
  /* moves the watermark to 1 s: the three leave together */
  push_reading (h, 1, 2000 * MS, 2);
  pull_batch_expect (h, 3, st, ms);
  caps = output_caps (h);
  fail_unless (g_str_has_prefix (caps, GST_WEATHER_READING_BATCH_MEDIA_TYPE
          ", "), "%s", caps);
  fail_unless (strstr (caps, "period=(guint64)1000000000") != NULL, "%s", caps);
  g_free (caps);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_batch_expect (h, 1, st_last, ms_last);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 4);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* An event keeps its place: it ends one batch, the next starts after it. */
GST_START_TEST (test_output_event_splits_batches)
{
  GstHarness *h = setup_downstream (GST_SECOND, BATCH_FIRST, CAPS_NO_PERIOD);
  static const guint32 st_a[] = { 1, 2 };
  static const guint ms_a[] = { 100, 200 };
  static const guint32 st_b[] = { 1, 2 };
  static const guint ms_b[] = { 1100, 1200 };
  GstEvent *ev;

  push_reading (h, 1, 100 * MS, 1);
  push_reading (h, 2, 200 * MS, 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (500 * MS,
              100 * MS)));
  push_reading (h, 1, 1100 * MS, 2);
  push_reading (h, 2, 1200 * MS, 2);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  pull_batch_expect (h, 2, st_a, ms_a);
  while ((ev = gst_harness_pull_event (h)) &&
      GST_EVENT_TYPE (ev) != GST_EVENT_GAP)
    gst_event_unref (ev);
  fail_unless (ev != NULL);
  gst_event_unref (ev);
  pull_batch_expect (h, 2, st_b, ms_b);
  fail_unless (gst_harness_try_pull (h) == NULL);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream that takes single readings only (weatherenc), or anything
 * (ANY: fakesink, appsink): one reading per buffer. */
static const gchar *single_downstreams[] = {
  CAPS_NO_PERIOD, NULL, CAPS_NO_PERIOD "; " GST_WEATHER_READING_BATCH_CAPS,
};

GST_START_TEST (test_output_single_readings)
{
  GstHarness *h = setup_downstream (0, single_downstreams[__i__],
      CAPS_NO_PERIOD);
  gchar *caps;

  push_reading (h, 1, 100 * MS, 1);
  pull_expect (h, 1, 100 * MS);
  caps = output_caps (h);
  fail_unless (g_str_has_prefix (caps, GST_WEATHER_READING_MEDIA_TYPE ", "),
      "%s", caps);
  g_free (caps);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream asks again (RECONFIGURE): the caps are chosen again before
 * the next readings, and the readings follow them. */
GST_START_TEST (test_output_renegotiates)
{
  GstHarness *h = setup_downstream (0, NULL, CAPS_NO_PERIOD);
  static const guint32 st[] = { 2 };
  static const guint ms[] = { 200 };
  gchar *caps;

  push_reading (h, 1, 100 * MS, 1);
  pull_expect (h, 1, 100 * MS);
  gst_harness_set_sink_caps_str (h, GST_WEATHER_READING_BATCH_CAPS);
  fail_unless (gst_harness_push_upstream_event (h,
          gst_event_new_reconfigure ()));
  push_reading (h, 2, 200 * MS, 1);
  pull_batch_expect (h, 1, st, ms);
  caps = output_caps (h);
  fail_unless (g_str_has_prefix (caps, GST_WEATHER_READING_BATCH_MEDIA_TYPE),
      "%s", caps);
  g_free (caps);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* The src pad offers upstream's caps in both forms, with their fields. */
GST_START_TEST (test_output_caps_query)
{
  GstHarness *h = setup_downstream (0, NULL, CAPS_PERIOD_1S);
  GstCaps *filter = gst_caps_from_string (GST_WEATHER_READING_BATCH_CAPS);
  GstCaps *caps = gst_pad_peer_query_caps (h->sinkpad, filter);
  GstStructure *s;

  fail_unless_equals_int (gst_caps_get_size (caps), 1);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s,
          GST_WEATHER_READING_BATCH_MEDIA_TYPE));
  gst_caps_unref (caps);
  gst_caps_unref (filter);

  caps = gst_pad_peer_query_caps (h->sinkpad, NULL);
  fail_unless_equals_int (gst_caps_get_size (caps), 2);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          GST_WEATHER_READING_MEDIA_TYPE));
  gst_caps_unref (caps);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream takes neither form: the caps are refused at negotiation,
 * before any reading is held. */
GST_START_TEST (test_output_caps_refused)
{
  GstHarness *h = setup_downstream (0, "text/x-raw", CAPS_NO_PERIOD);

  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 100 * MS,
              1)), GST_FLOW_NOT_NEGOTIATED);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "pushed"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
reorderqueue_suite (void)
{
  Suite *s = suite_create ("reorderqueue");
  TCase *tc = tcase_create ("general");

  g_mutex_init (&order.lock);
  g_cond_init (&order.cond);
  order.log = g_string_new (NULL);

  tcase_add_test (tc, test_output_batches_when_preferred);
  tcase_add_test (tc, test_output_event_splits_batches);
  tcase_add_loop_test (tc, test_output_single_readings, 0,
      G_N_ELEMENTS (single_downstreams));
  tcase_add_test (tc, test_output_renegotiates);
  tcase_add_test (tc, test_output_caps_query);
  tcase_add_test (tc, test_output_caps_refused);


  suite_add_tcase (s, tc);
  /* good input */
  tcase_add_test (tc, test_live_release_at_due_time);
  tcase_add_test (tc, test_live_earlier_reading_moves_deadline);
  tcase_add_test (tc, test_nonlive_watermark_release);
  tcase_add_test (tc, test_mixed_stream_order_per_station);
  tcase_add_test (tc, test_live_eos_drains_in_order);
  tcase_add_test (tc, test_latency_query_adds_latency);
  tcase_add_test (tc, test_live_due_includes_upstream_latency);
  tcase_add_test (tc, test_latency_change_posts_message);
  tcase_add_test (tc, test_missing_reading_gap_from_caps_period);
  tcase_add_test (tc, test_missing_readings_gaps_live_property_period);
  tcase_add_test (tc, test_gap_input_moves_watermark_in_order);
  tcase_add_test (tc, test_station_gap_input_keeps_watermark);
  tcase_add_test (tc, test_nonlive_flush_drops_held);
  tcase_add_test (tc, test_live_flush_in_the_middle);
  tcase_add_test (tc, test_no_pts_uses_created_at);
  tcase_add_test (tc, test_list_like_single_buffers);
  tcase_add_test (tc, test_list_longer_than_output_bound);
  /* bad input */
  tcase_add_test (tc, test_new_stream_releases_and_forgets);
  tcase_add_test (tc, test_new_stream_forgets_owed_readings);
  tcase_add_test (tc, test_clock_jump_back_resyncs_station);
  tcase_add_test (tc, test_duplicate_same_created_at_held);
  tcase_add_test (tc, test_duplicate_same_created_at_released);
  tcase_add_test (tc, test_duplicate_sequence);
  tcase_add_test (tc, test_late_reading_dropped_with_message);
  tcase_add_test (tc, test_duplicate_message_reason);
  tcase_add_test (tc, test_reading_after_its_gap_is_late);
  tcase_add_test (tc, test_overflow_by_buffers);
  tcase_add_test (tc, test_overflow_by_time);
  tcase_add_test (tc, test_overflow_live);
  tcase_add_loop_test (tc, test_invalid_buffers_counted, 0, N_BAD);
  tcase_add_test (tc, test_non_time_segment_refused);
  tcase_add_test (tc, test_wrong_caps_refused);
  tcase_add_test (tc, test_buffer_after_eos);
  tcase_add_test (tc, test_list_with_bad_readings);
  tcase_add_test (tc, test_list_refused_when_flushing_or_after_eos);
  tcase_add_test (tc, test_downstream_not_linked);
  tcase_add_test (tc, test_state_changes_release_everything);
  tcase_add_test (tc, test_live_pause_resume);
  tcase_add_test (tc, test_live_readings_during_pause);
  tcase_add_test (tc, test_future_reading_refused_in_replay);
  tcase_add_test (tc, test_future_jump_confirmed);
  tcase_add_test (tc, test_future_readings_refused_live);
  tcase_add_test (tc, test_allocation_query_after_released_readings);
  tcase_add_test (tc, test_drain_query_releases_held_first);
  tcase_add_test (tc, test_query_given_up_on_flush);
  tcase_add_test (tc, test_query_refused_after_downstream_error);
  tcase_add_loop_test (tc, test_time_property_edges_nonlive, 0,
      G_N_ELEMENTS (time_edges));
  tcase_add_loop_test (tc, test_time_property_edges_live, 0,
      G_N_ELEMENTS (time_edges));

  return s;
}

GST_CHECK_MAIN (reorderqueue);
