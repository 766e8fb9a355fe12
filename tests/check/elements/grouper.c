/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * grouper: windows, quorum, late readings, pads coming and going, live
 * closing under a GstTestClock (pausing and resuming too) and non-live
 * closing by data and GAP; batches of readings; the time properties at the
 * edges of their ranges; floods of station ids against max-stations and
 * max-size-bytes; group-by station and region (stations file, region
 * events), quorum per key, keys coming and going while live.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/weather/weather.h>

#include "../weatherharness.h"

/* The origin is a whole second, so window 0 of the tests is
 * [ORIGIN, ORIGIN + 1 s) and its index is K0. */
#define ORIGIN GST_WEATHER_REPLAY_START
#define K0 (ORIGIN / (gint64) GST_SECOND)
#define MS GST_MSECOND
#define LATENCY (200 * MS)

static GstBuffer *
make_reading (guint32 station, GstClockTime offset, guint64 seq,
    gdouble pressure)
{
  GstWeatherReading r;
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = ORIGIN + (gint64) offset;
  r.sequence = seq;
  r.temperature_c = 10.0 + station % 50;
  r.pressure_hpa = pressure;
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = offset;
  return buf;
}

static void
push_reading (GstHarness * h, guint32 station, GstClockTime offset)
{
  fail_unless_equals_int (gst_harness_push (h, make_reading (station, offset,
              offset / MS, 1000.0 + station % 100)), GST_FLOW_OK);
}

static void
start_stream_caps (GstHarness * h, const gchar * caps)
{
  GstSegment seg;

  gst_harness_set_src_caps_str (h, caps);
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
}

static void
start_stream (GstHarness * h)
{
  start_stream_caps (h, GST_WEATHER_READING_CAPS);
}

/* A non-live grouper with properties set before it starts (some are read
 * at start), as "name=value" pairs, NULL terminated. */
static GstHarness *
grouper_harness_props (const gchar * first, ...)
{
  GstElement *e = gst_element_factory_make ("grouper", NULL);
  GstHarness *h;
  const gchar *p;
  va_list args;

  fail_unless (e != NULL);
  va_start (args, first);
  for (p = first; p; p = va_arg (args, const gchar *))
  {
    gchar **kv = g_strsplit (p, "=", 2);

    gst_util_set_object_arg (G_OBJECT (e), kv[0], kv[1]);
    g_strfreev (kv);
  }
  va_end (args);
  h = weather_harness_new (e, "sink_0", "src", FALSE);
  gst_object_unref (e);
  return h;
}

/* A grouper fed @caps (single readings or batches) on sink_0. */
static GstHarness *
grouper_harness_caps (gboolean live, const gchar * caps)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      live);

  if (live) {
    gst_harness_use_testclock (h);
    g_object_set (h->element, "latency", (guint64) LATENCY, NULL);
  }
  start_stream_caps (h, caps);
  return h;
}

static GstHarness *
grouper_harness (gboolean live)
{
  return grouper_harness_caps (live, GST_WEATHER_READING_CAPS);
}

static GstHarness *
add_pad (GstHarness * h, const gchar * name, gboolean live)
{
  GstHarness *h2 = weather_harness_new (h->element, name, NULL, live);

  start_stream (h2);
  return h2;
}

/* Pulls one group; returns its buffer for timestamp checks. */
static GstBuffer *
pull_group (GstHarness * h, GstWeatherGroup * g)
{
  GstBuffer *buf = gst_harness_pull (h);
  GError *err = NULL;

  fail_unless (buf != NULL);
  fail_unless (gst_weather_group_from_buffer (buf, g, &err),
      "invalid group: %s", err ? err->message : "?");
  fail_unless (gst_weather_group_validate (g, NULL));
  return buf;
}

static void
pull_group_check (GstHarness * h, gint64 k, guint n_slots, guint n_present)
{
  GstWeatherGroup g = { 0, };
  GstBuffer *buf = pull_group (h, &g);

  fail_unless_equals_int64 (g.window_start, k * (gint64) GST_SECOND);
  fail_unless_equals_int64 (g.window_end, (k + 1) * (gint64) GST_SECOND);
  fail_unless_equals_int (g.n_slots, n_slots);
  fail_unless_equals_int (g.n_present, n_present);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
}

static guint64
stat (GstElement * e, const gchar * field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

/* Groups are counted once downstream took them, just after the harness
 * got them: waits (up to a deadline) for @field to reach @expected. */
static void
wait_stat (GstElement * e, const gchar * field, guint64 expected)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (stat (e, field) != expected && g_get_monotonic_time () < deadline)
    g_usleep (1000);
  fail_unless_equals_uint64 (stat (e, field), expected);
}

static void
push_eos (GstHarness * h)
{
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
}

/* Waits until the element waits on the clock and returns that wait's
 * running time. */
static GstClockTime
pending_wait_running_time (GstHarness * h)
{
  GstTestClock *tc = gst_harness_get_testclock (h);
  GstClockID id;
  GstClockTime t;

  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
  gst_test_clock_peek_next_pending_id (tc, &id);
  t = gst_clock_id_get_time (id);
  gst_clock_id_unref (id);
  gst_object_unref (tc);
  return t - gst_element_get_base_time (h->element);
}

static void
wait_for_eos (GstHarness * h)
{
  GstEvent *ev;

  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      return;
  }
  fail ("no EOS");
}

/* ---------------------------------------------------------- good input */

GST_START_TEST (test_live_window_closes_at_end_plus_latency)
{
  GstHarness *h = grouper_harness (TRUE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  push_reading (h, 1, 500 * MS);

  /* window [0, 1 s) of running time is due at 1 s + latency, exactly */
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      GST_SECOND + LATENCY);
  gst_harness_set_time (h, GST_SECOND + LATENCY - 1);
  fail_unless (gst_harness_try_pull (h) == NULL);

  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf), GST_SECOND);
  fail_unless_equals_int64 (g.window_start, K0 * (gint64) GST_SECOND);
  fail_unless_equals_int (g.n_slots, 1);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless_equals_int64 (g.slots[0].created_at, ORIGIN + 500 * MS);
  fail_unless_equals_int (g.flags, 0);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  /* the next window is due one second later */
  push_reading (h, 1, 1700 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      2 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0 + 1, 1, 1);
  wait_stat (h->element, "groups", 2);
  wait_stat (h->element, "complete", 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_slow_pad_does_not_hold_window)
{
  GstHarness *h = grouper_harness (TRUE);
  GstHarness *h2 = add_pad (h, "sink_1", TRUE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  /* station 2 on sink_1 never sends: the window still closes on time,
   * with station 1 alone (station 2 was never seen, so not expected) */
  push_reading (h, 1, 100 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_present, 1);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  gst_harness_teardown (h2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_pads_requested_and_released)
{
  GstHarness *h = grouper_harness (TRUE);
  GstHarness *h2;
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  push_reading (h, 1, 500 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0, 1, 1);

  /* a second station arrives while PLAYING on a new pad */
  h2 = add_pad (h, "sink_1", TRUE);
  push_reading (h2, 2, 1600 * MS);
  push_reading (h, 1, 1500 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      2 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 2);
  fail_unless_equals_int (g.n_present, 2);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless_equals_int (g.slots[1].station_id, 2);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  /* station 1 misses window 2: it is marked missing */
  push_reading (h2, 2, 2600 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      3 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 2);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless (g.slots[0].flags & GST_WEATHER_READING_FLAG_MISSING);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless (!(g.slots[1].flags & GST_WEATHER_READING_FLAG_MISSING));
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  /* its pad goes away: station 2 is no longer expected */
  gst_harness_teardown (h2);
  push_reading (h, 1, 3500 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      4 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 1);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nonlive_pads_and_gap)
{
  GstHarness *h = grouper_harness (FALSE);
  GstHarness *h2 = add_pad (h, "sink_1", FALSE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  /* A non-live pad holds one buffer: a push returns once the buffers
   * before it were taken, which needs data on every pad, so the pushes
   * alternate. */
  push_reading (h, 1, 500 * MS);
  push_reading (h2, 2, 600 * MS);
  push_reading (h, 1, 1500 * MS);
  /* station 2 has nothing before 2 s */
  fail_unless (gst_harness_push_event (h2, gst_event_new_gap (GST_SECOND,
              GST_SECOND)));
  push_reading (h, 1, 2500 * MS);
  push_reading (h2, 2, 2600 * MS);
  push_reading (h, 1, 3500 * MS);
  /* returns once the GAP was taken: window 0 is closed, before any EOS */
  push_reading (h2, 2, 3600 * MS);
  pull_group_check (h, K0, 2, 2);

  push_eos (h);
  push_eos (h2);
  buf = pull_group (h, &g);
  fail_unless_equals_int64 (g.window_start, (K0 + 1) * (gint64) GST_SECOND);
  fail_unless_equals_int (g.n_slots, 2);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless (g.slots[1].flags & GST_WEATHER_READING_FLAG_MISSING);
  fail_unless_equals_int (g.slots[1].station_id, 2);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  pull_group_check (h, K0 + 2, 2, 2);
  pull_group_check (h, K0 + 3, 2, 2);
  wait_for_eos (h);

  gst_harness_teardown (h2);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_mixed_pad_ordered_per_station)
{
  GstHarness *h = grouper_harness (FALSE);

  /* ordered per station, not globally: once both are known, station 2
   * lags a window behind station 1 */
  push_reading (h, 1, 500 * MS);
  push_reading (h, 2, 600 * MS);
  push_reading (h, 1, 1500 * MS);
  push_reading (h, 1, 2500 * MS);
  push_reading (h, 2, 1600 * MS);
  push_reading (h, 2, 2600 * MS);
  pull_group_check (h, K0, 2, 2);
  pull_group_check (h, K0 + 1, 2, 2);
  push_eos (h);
  pull_group_check (h, K0 + 2, 2, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 6);
  fail_unless_equals_uint64 (stat (h->element, "complete"), 3);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_eos_flushes_open_windows)
{
  GstHarness *h = grouper_harness (FALSE);

  push_reading (h, 1, 100 * MS);
  push_reading (h, 1, 1100 * MS);
  push_reading (h, 1, 2100 * MS);
  pull_group_check (h, K0, 1, 1);
  pull_group_check (h, K0 + 1, 1, 1);
  /* window 2 has not been passed by anyone: still open */
  fail_unless (gst_harness_try_pull (h) == NULL);
  push_eos (h);
  pull_group_check (h, K0 + 2, 1, 1);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_latest_reading_wins)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  /* the latest created_at wins whatever the arrival order; on equal
   * created_at the higher sequence */
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 500 * MS, 7,
              1001.0)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 500 * MS, 6,
              1002.0)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 300 * MS, 9,
              1003.0)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 900 * MS, 1,
              1004.0)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 900 * MS, 2,
              1005.0)), GST_FLOW_OK);
  push_eos (h);
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless_equals_int64 (g.slots[0].created_at, ORIGIN + 900 * MS);
  fail_unless_equals_int (g.slots[0].sequence, 2);
  fail_unless_equals_float (g.slots[0].pressure_hpa, 1005.0);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "replaced"), 4);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* A group slot carries the name of its own reading, also when its
 * station was renamed while the window was open, or when the reading had
 * no name; a missing station's slot carries the station's latest name. */
static void
push_named (GstHarness * h, guint32 station, GstClockTime offset,
    guint64 seq, const gchar * name)
{
  GstWeatherReading r;
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = ORIGIN + (gint64) offset;
  r.sequence = seq;
  r.pressure_hpa = 1000.0 + seq;
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = offset;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

GST_START_TEST (test_slot_names_follow_their_readings)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  /* station 3 is heard in window 0 only: window 0 stays open */
  push_named (h, 3, 50 * MS, 1, "c");
  push_named (h, 1, 100 * MS, 1, "a");
  push_named (h, 2, 100 * MS, 1, "b");
  /* renamed in window 1 while window 0 holds the old names */
  push_named (h, 1, 1100 * MS, 2, "a2");
  push_named (h, 2, 1100 * MS, 2, "b2");
  /* an older reading of window 1 named otherwise: it loses */
  push_named (h, 1, 1050 * MS, 3, "old");
  /* a later reading of window 0 under the new name wins its slot */
  push_named (h, 2, 900 * MS, 4, "b2");
  /* a reading without a name: its slot has none either */
  push_named (h, 2, 1200 * MS, 5, "");
  push_eos (h);

  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 3);
  fail_unless_equals_string (g.slots[0].station_name, "a");
  fail_unless_equals_string (g.slots[1].station_name, "b2");
  fail_unless_equals_int (g.slots[1].sequence, 4);
  fail_unless_equals_string (g.slots[2].station_name, "c");
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);

  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 3);
  fail_unless_equals_int (g.n_present, 2);
  fail_unless_equals_string (g.slots[0].station_name, "a2");
  fail_unless_equals_int (g.slots[0].sequence, 2);
  fail_unless_equals_string (g.slots[1].station_name, "");
  fail_unless_equals_int (g.slots[1].sequence, 5);
  fail_unless (g.slots[2].flags & GST_WEATHER_READING_FLAG_MISSING);
  fail_unless_equals_string (g.slots[2].station_name, "c");
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);

  gst_harness_teardown (h);
}

GST_END_TEST;

static void
on_samples_selected (GstElement * agg, GstSegment * segment,
    GstClockTime pts, GstClockTime dts, GstClockTime duration,
    GstStructure * info, gpointer user_data)
{
  GstStructure **out = user_data;

  fail_unless (info != NULL);
  fail_unless_equals_uint64 (duration, GST_SECOND);
  if (*out == NULL)
    *out = gst_structure_copy (info);
}

GST_START_TEST (test_configured_stations_and_messages)
{
  GstHarness *h = grouper_harness_props ("stations=<3,1,2>",
      "min-stations=2", "post-messages=true", "emit-signals=true", NULL);
  GstStructure *selected = NULL;
  GstBus *bus = gst_bus_new ();
  GstWeatherGroup g = { 0, };
  GstMessage *msg;
  const GstStructure *s;
  GstBuffer *buf;
  guint expected, present;
  gboolean incomplete;

  gst_element_set_bus (h->element, bus);
  g_signal_connect (h->element, "samples-selected",
      G_CALLBACK (on_samples_selected), &selected);
  start_stream (h);

  push_reading (h, 2, 400 * MS);
  push_eos (h);
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 3);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless (g.flags & GST_WEATHER_GROUP_FLAG_INCOMPLETE);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless_equals_int (g.slots[1].station_id, 2);
  fail_unless_equals_int (g.slots[2].station_id, 3);
  fail_unless (g.slots[0].flags & GST_WEATHER_READING_FLAG_MISSING);
  fail_unless (!(g.slots[1].flags & GST_WEATHER_READING_FLAG_MISSING));
  fail_unless (g.slots[2].flags & GST_WEATHER_READING_FLAG_MISSING);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "weather-group"));
  fail_unless (gst_structure_get (s, "expected", G_TYPE_UINT, &expected,
          "present", G_TYPE_UINT, &present, "incomplete", G_TYPE_BOOLEAN,
          &incomplete, NULL));
  fail_unless_equals_int (expected, 3);
  fail_unless_equals_int (present, 1);
  fail_unless (incomplete);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (stat (h->element, "incomplete"), 1);

  /* the same summary came with GstAggregator's samples-selected signal,
   * before the group was pushed */
  fail_unless (selected != NULL);
  fail_unless (gst_structure_has_name (selected, "weather-group"));
  fail_unless (gst_structure_get_uint (selected, "present", &present));
  fail_unless_equals_int (present, 1);
  gst_structure_free (selected);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The summary goes to samples-selected without bus messages too, and
 * only once emit-signals asks for it. */
GST_START_TEST (test_samples_selected_without_messages)
{
  GstHarness *h = grouper_harness_props ("post-messages=false", NULL);
  GstStructure *selected = NULL;
  GstBus *bus = gst_bus_new ();
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;
  guint present;

  gst_element_set_bus (h->element, bus);
  start_stream (h);

  /* signals off: the signal is not emitted at all */
  g_signal_connect (h->element, "samples-selected",
      G_CALLBACK (on_samples_selected), &selected);
  push_reading (h, 1, 400 * MS);
  push_reading (h, 1, 1400 * MS);
  buf = pull_group (h, &g);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  fail_unless (selected == NULL);

  /* switched on while running: the next group comes with its summary */
  g_object_set (h->element, "emit-signals", TRUE, NULL);
  push_reading (h, 2, 1500 * MS);
  push_reading (h, 1, 2400 * MS);
  push_reading (h, 2, 2500 * MS);
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_present, 2);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  fail_unless (selected != NULL);
  fail_unless (gst_structure_has_name (selected, "weather-group"));
  fail_unless (gst_structure_get_uint (selected, "present", &present));
  fail_unless_equals_int (present, 2);
  gst_structure_free (selected);

  /* and none on the bus */
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT) == NULL);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ----------------------------------------------------------- bad input */

GST_START_TEST (test_quorum_skip)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      FALSE);

  gst_util_set_object_arg (G_OBJECT (h->element), "quorum-policy", "skip");
  g_object_set (h->element, "min-stations", 2, NULL);
  start_stream (h);

  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  push_reading (h, 1, 1100 * MS);       /* window 1: station 1 alone */
  push_reading (h, 2, 2100 * MS);
  push_reading (h, 1, 2200 * MS);
  push_eos (h);
  pull_group_check (h, K0, 2, 2);
  pull_group_check (h, K0 + 2, 2, 2);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "skipped"), 1);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_late_reading_live)
{
  GstHarness *h = grouper_harness (TRUE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  push_reading (h, 1, 500 * MS);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0, 1, 1);

  /* window 0 is closed: a reading for it is late */
  push_reading (h, 2, 900 * MS);
  push_reading (h, 1, 1500 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      2 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 1);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);
  wait_stat (h->element, "groups", 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_late_reading_nonlive)
{
  GstHarness *h = grouper_harness (FALSE);

  push_reading (h, 1, 500 * MS);
  push_reading (h, 1, 1500 * MS);
  pull_group_check (h, K0, 1, 1);
  /* out of order for station 1 and window 0 closed */
  push_reading (h, 1, 700 * MS);
  /* a new station whose first reading is for a closed window */
  push_reading (h, 2, 800 * MS);
  push_eos (h);
  pull_group_check (h, K0 + 1, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 2);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_invalid_buffers_counted)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherReading r;
  GstBuffer *buf;
  GstMapInfo map;

  /* too short */
  fail_unless_equals_int (gst_harness_push (h,
          gst_buffer_new_allocate (NULL, 10, NULL)), GST_FLOW_OK);
  /* empty, not a GAP */
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_new ()), GST_FLOW_OK);
  /* a record with an infinite temperature */
  gst_weather_reading_init (&r);
  r.station_id = 4;
  r.created_at = ORIGIN;
  buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  r.temperature_c = INFINITY;
  gst_weather_reading_write (&r, map.data);
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  /* a record from before the epoch */
  buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  r.temperature_c = 5;
  r.created_at = -5;
  gst_weather_reading_write (&r, map.data);
  gst_buffer_unmap (buf, &map);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);

  /* the element goes on */
  push_reading (h, 1, 100 * MS);
  push_eos (h);
  pull_group_check (h, K0, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 4);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

static const gchar *wrong_caps[] = {
  GST_WEATHER_GROUP_CAPS,
  GST_WEATHER_PREDICTION_CAPS,
  "application/x-weather-reading, version=(int)2",
  "text/x-raw",
};

GST_START_TEST (test_wrong_caps_refused)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      FALSE);
  GstWeatherReading r;

  gst_harness_set_src_caps_str (h, wrong_caps[__i__]);
  gst_weather_reading_init (&r);
  r.created_at = ORIGIN;
  fail_unless_equals_int (gst_harness_push (h,
          gst_weather_reading_to_buffer (&r)), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_reading_before_origin)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherGroup g = { 0, };
  GstWeatherReading r;
  GstBuffer *buf;

  /* created before the segment's origin: grouped by created_at all the
   * same, the group has no PTS to give */
  gst_weather_reading_init (&r);
  r.station_id = 1;
  r.created_at = ORIGIN - 10 * GST_SECOND + 1;
  buf = gst_weather_reading_to_buffer (&r);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  push_eos (h);
  buf = pull_group (h, &g);
  fail_unless_equals_int64 (g.window_start, (K0 - 10) * (gint64) GST_SECOND);
  fail_unless (!GST_BUFFER_PTS_IS_VALID (buf));
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_station_timeout_forgets)
{
  GstHarness *h = grouper_harness_props ("station-timeout=2000000000", NULL);

  start_stream (h);

  /* station 2 goes silent after window 0; without a timeout it would hold
   * every later window of this non-live run */
  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  push_reading (h, 1, 1100 * MS);
  push_reading (h, 1, 2100 * MS);
  push_reading (h, 1, 3100 * MS);
  pull_group_check (h, K0, 2, 2);
  pull_group_check (h, K0 + 1, 2, 1);
  pull_group_check (h, K0 + 2, 2, 1);
  push_eos (h);
  pull_group_check (h, K0 + 3, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "forgotten"), 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_ten_thousand_stations_mixed_pad)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;
  guint i, k;

  for (k = 0; k < 3; k++)
    for (i = 0; i < 10000; i++)
      fail_unless_equals_int (gst_harness_push (h, make_reading (i,
                  k * GST_SECOND + i * 50 * GST_USECOND, k, 1000.0)),
          GST_FLOW_OK);
  push_eos (h);
  for (k = 0; k < 3; k++) {
    buf = pull_group (h, &g);
    fail_unless_equals_int64 (g.window_start, (K0 + k) * (gint64) GST_SECOND);
    fail_unless_equals_int (g.n_slots, 10000);
    fail_unless_equals_int (g.n_present, 10000);
    fail_unless_equals_int (g.slots[9999].station_id, 9999);
    fail_unless_equals_int (g.flags, 0);
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  }
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 30000);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_states_repeatedly)
{
  GstElement *e = gst_element_factory_make ("grouper", NULL);
  GstPad *pad;
  gint i;

  fail_unless (e != NULL);
  pad = gst_element_request_pad_simple (e, "sink_%u");
  fail_unless (pad != NULL);
  for (i = 0; i < 3; i++) {
    fail_unless (gst_element_set_state (e, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    fail_unless (gst_element_set_state (e, GST_STATE_NULL) ==
        GST_STATE_CHANGE_SUCCESS);
  }
  gst_element_release_request_pad (e, pad);
  gst_object_unref (pad);
  gst_object_unref (e);
}

GST_END_TEST;

GST_START_TEST (test_reading_behind_gap_is_late)
{
  GstHarness *h = grouper_harness (FALSE);

  push_reading (h, 1, 500 * MS);
  /* the stream promises nothing more before 2 s... */
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (GST_SECOND,
              GST_SECOND)));
  /* ...and breaks the promise */
  push_reading (h, 1, 1500 * MS);
  push_reading (h, 1, 2500 * MS);
  push_eos (h);
  pull_group_check (h, K0, 1, 1);
  pull_group_check (h, K0 + 2, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap_without_duration)
{
  GstHarness *h = grouper_harness (FALSE);

  push_reading (h, 1, 500 * MS);
  /* a GAP without duration promises nothing before its timestamp */
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (3 * GST_SECOND,
              GST_CLOCK_TIME_NONE)));
  pull_group_check (h, K0, 1, 1);
  push_reading (h, 1, 3500 * MS);
  push_eos (h);
  pull_group_check (h, K0 + 3, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_extreme_station_ids)
{
  GstHarness *h = grouper_harness (FALSE);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  fail_unless_equals_int (gst_harness_push (h, make_reading (G_MAXUINT32,
              100 * MS, 1, 1000.0)), GST_FLOW_OK);
  push_reading (h, 0, 200 * MS);
  push_reading (h, 7, 300 * MS);
  push_eos (h);
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 3);
  fail_unless_equals_int (g.slots[0].station_id, 0);
  fail_unless_equals_int (g.slots[1].station_id, 7);
  fail_unless (g.slots[2].station_id == G_MAXUINT32);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_flush_drops_open_windows)
{
  GstHarness *h = grouper_harness (FALSE);
  GstSegment seg;

  push_reading (h, 1, 500 * MS);
  push_reading (h, 2, 600 * MS);
  /* a flush forgets the open window and everything known */
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  /* an earlier window is not late after a flush */
  push_reading (h, 3, 100 * MS);
  push_eos (h);
  pull_group_check (h, K0, 1, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------- buffer lists */

/* Readings of three stations over four windows, ordered per station, with
 * a second reading of station 2 in window 1 (replaced) and a reading of
 * station 1 for window 0 after window 0 closed (late). */
static const struct
{
  guint32 station;
  GstClockTime offset;
} list_input[] = {
  {1, 100 * MS}, {2, 200 * MS}, {3, 300 * MS},
  {1, 1100 * MS}, {2, 1200 * MS}, {2, 1250 * MS},
  {1, 2100 * MS}, {2, 2200 * MS}, {3, 2300 * MS},
  {1, 400 * MS},
  {1, 3100 * MS}, {3, 3300 * MS}, {2, 3200 * MS},
};

static GstBufferList *
make_list (guint from, guint to)
{
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  for (i = from; i < to; i++)
    gst_buffer_list_add (list, make_reading (list_input[i].station,
            list_input[i].offset, list_input[i].offset / MS,
            1000.0 + list_input[i].station));
  return list;
}

/* A batch buffer of @n records, station @stations[i] created at
 * @offsets[i] (as push_reading() makes them); the PTS of the first. */
static GstBuffer *
make_batch (const guint32 * stations, const GstClockTime * offsets, guint n)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL,
      (gsize) n * GST_WEATHER_READING_SIZE, NULL);
  GstMapInfo map;
  guint i;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  for (i = 0; i < n; i++) {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    r.station_id = stations[i];
    r.created_at = ORIGIN + (gint64) offsets[i];
    r.sequence = offsets[i] / MS;
    r.temperature_c = 10.0 + stations[i] % 50;
    r.pressure_hpa = 1000.0 + stations[i] % 100;
    gst_weather_reading_write (&r, map.data + (gsize) i *
        GST_WEATHER_READING_SIZE);
  }
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = offsets[0];
  return buf;
}

/* list_input[from..to) as one batch */
static GstBuffer *
make_batch_of_input (guint from, guint to)
{
  guint32 stations[G_N_ELEMENTS (list_input)];
  GstClockTime offsets[G_N_ELEMENTS (list_input)];
  guint i;

  for (i = from; i < to; i++) {
    stations[i - from] = list_input[i].station;
    offsets[i - from] = list_input[i].offset;
  }
  return make_batch (stations, offsets, to - from);
}

/* Runs list_input through a grouper, as single buffers (@chunk 0) or as
 * lists or batches of @chunk readings, and returns the groups' bytes, one
 * string of hex per group; fills @stats. */
static GPtrArray *
run_list_input (gboolean live, guint chunk, gboolean batches,
    GstStructure ** stats)
{
  GstHarness *h = grouper_harness_caps (live, batches ?
      GST_WEATHER_READING_BATCH_CAPS : GST_WEATHER_READING_CAPS);
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);
  guint n = G_N_ELEMENTS (list_input), i;
  GstBuffer *buf;
  GstEvent *ev;

  if (chunk == 0) {
    for (i = 0; i < n; i++)
      push_reading (h, list_input[i].station, list_input[i].offset);
  } else if (batches) {
    for (i = 0; i < n; i += chunk)
      fail_unless_equals_int (gst_harness_push (h, make_batch_of_input (i,
                  MIN (i + chunk, n))), GST_FLOW_OK);
  } else {
    for (i = 0; i < n; i += chunk)
      fail_unless_equals_int (gst_pad_push_list (h->srcpad,
              make_list (i, MIN (i + chunk, n))), GST_FLOW_OK);
  }
  push_eos (h);
  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      break;
  }
  while ((buf = gst_harness_try_pull (h))) {
    GstMapInfo map;
    GString *hex = g_string_new (NULL);
    gsize j;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    for (j = 0; j < map.size; j++)
      g_string_append_printf (hex, "%02x", map.data[j]);
    gst_buffer_unmap (buf, &map);
    g_string_append_printf (hex, "@%" G_GUINT64_FORMAT, GST_BUFFER_PTS (buf));
    g_ptr_array_add (groups, g_string_free (hex, FALSE));
    gst_buffer_unref (buf);
  }
  g_object_get (h->element, "stats", stats, NULL);
  gst_harness_teardown (h);
  return groups;
}

/* Lists and batches of 1, 2, 5 and all readings give the groups and
 * counters of the same readings pushed one by one, live and not. */
GST_START_TEST (test_buffer_lists_same_groups)
{
  static const guint chunks[] = { 1, 2, 5, G_N_ELEMENTS (list_input) };
  gboolean live = __i__ % 2;
  gboolean batches = (__i__ / 2) % 2;
  guint chunk = chunks[__i__ / 4];
  GstStructure *ref_stats, *stats;
  GPtrArray *ref, *got;
  guint i;

  ref = run_list_input (live, 0, FALSE, &ref_stats);
  got = run_list_input (live, chunk, batches, &stats);
  /* the reference itself is right: windows 0..3; not live the reading for
   * window 0 after it closed is late, live (no clock moved) it replaces
   * the earlier one of its station */
  fail_unless_equals_int (ref->len, 4);
  {
    guint64 late = 0, replaced = 0, readings = 0;

    fail_unless (gst_structure_get_uint64 (ref_stats, "late", &late));
    fail_unless (gst_structure_get_uint64 (ref_stats, "replaced", &replaced));
    fail_unless (gst_structure_get_uint64 (ref_stats, "readings", &readings));
    fail_unless_equals_uint64 (late, live ? 0 : 1);
    fail_unless_equals_uint64 (replaced, live ? 2 : 1);
    fail_unless_equals_uint64 (readings, G_N_ELEMENTS (list_input));
  }
  fail_unless_equals_int (got->len, ref->len);
  for (i = 0; i < ref->len; i++)
    fail_unless_equals_string (g_ptr_array_index (got, i),
        g_ptr_array_index (ref, i));
  fail_unless (gst_structure_is_equal (stats, ref_stats),
      "stats differ: %" GST_PTR_FORMAT " vs %" GST_PTR_FORMAT, stats,
      ref_stats);

  gst_structure_free (ref_stats);
  gst_structure_free (stats);
  g_ptr_array_unref (ref);
  g_ptr_array_unref (got);
}

GST_END_TEST;

/* An event between two lists keeps its place: a GAP that closes window 1
 * makes the next list's reading for window 1 late. */
GST_START_TEST (test_gap_between_lists)
{
  GstHarness *h = grouper_harness (FALSE);
  GstBufferList *list = gst_buffer_list_new ();

  gst_buffer_list_add (list, make_reading (1, 500 * MS, 1, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 600 * MS, 1, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (GST_SECOND,
              GST_SECOND)));
  list = gst_buffer_list_new ();
  gst_buffer_list_add (list, make_reading (1, 1500 * MS, 2, 1000.0));
  gst_buffer_list_add (list, make_reading (1, 2500 * MS, 3, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 2600 * MS, 3, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  push_eos (h);
  pull_group_check (h, K0, 2, 2);
  pull_group_check (h, K0 + 2, 2, 2);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 5);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Pushes, as one list, a reading of station 1 in each window from @from
 * to @to. */
static void
push_window_list (GstHarness * h, guint from, guint to)
{
  GstBufferList *list = gst_buffer_list_new ();
  guint i;

  for (i = from; i <= to; i++)
    gst_buffer_list_add (list, make_reading (1, i * GST_SECOND + 100 * MS,
            i + 1, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
}

/* Not live and with no EOS behind them, every window a list closes comes
 * out: a group never waits for more input. */
GST_START_TEST (test_lists_push_every_closed_window)
{
  GstHarness *h = grouper_harness (FALSE);
  guint i;

  push_window_list (h, 0, 2);
  pull_group_check (h, K0, 1, 1);
  pull_group_check (h, K0 + 1, 1, 1);
  push_window_list (h, 3, 30);
  for (i = 2; i < 30; i++)
    pull_group_check (h, K0 + i, 1, 1);
  /* the last window is still open */
  fail_unless (gst_harness_try_pull (h) == NULL);
  wait_stat (h->element, "groups", 30);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Bad buffers inside a list are counted and dropped, the good ones around
 * them grouped. */
GST_START_TEST (test_invalid_buffers_in_list)
{
  GstHarness *h = grouper_harness (FALSE);
  GstBufferList *list = gst_buffer_list_new ();

  gst_buffer_list_add (list, make_reading (1, 500 * MS, 1, 1000.0));
  gst_buffer_list_add (list, gst_buffer_new_allocate (NULL, 7, NULL));
  gst_buffer_list_add (list, make_reading (2, 600 * MS, 1, 1000.0));
  gst_buffer_list_add (list, gst_buffer_new_allocate (NULL,
          GST_WEATHER_READING_SIZE + 1, NULL));
  gst_buffer_list_add (list, make_reading (1, 1500 * MS, 2, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 1600 * MS, 2, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  pull_group_check (h, K0, 2, 2);
  push_eos (h);
  pull_group_check (h, K0 + 1, 2, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 2);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 4);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* A flush between two lists forgets the first list's open windows; a list
 * pushed while flushing is refused whole. */
GST_START_TEST (test_flush_between_lists)
{
  GstHarness *h = grouper_harness (FALSE);
  GstBufferList *list = gst_buffer_list_new ();
  GstSegment seg;

  gst_buffer_list_add (list, make_reading (1, 500 * MS, 1, 1000.0));
  gst_buffer_list_add (list, make_reading (1, 1500 * MS, 2, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 1600 * MS, 2, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  pull_group_check (h, K0, 1, 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  list = gst_buffer_list_new ();
  gst_buffer_list_add (list, make_reading (3, 700 * MS, 1, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list),
      GST_FLOW_FLUSHING);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  /* window 0 again: not late after the flush */
  list = gst_buffer_list_new ();
  gst_buffer_list_add (list, make_reading (3, 100 * MS, 1, 1000.0));
  gst_buffer_list_add (list, make_reading (3, 1100 * MS, 2, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  pull_group_check (h, K0, 1, 1);
  push_eos (h);
  pull_group_check (h, K0 + 1, 1, 1);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* After EOS a list is refused. */
GST_START_TEST (test_list_after_eos_refused)
{
  GstHarness *h = grouper_harness (FALSE);
  GstBufferList *list = gst_buffer_list_new ();

  push_reading (h, 1, 500 * MS);
  push_eos (h);
  pull_group_check (h, K0, 1, 1);
  wait_for_eos (h);
  gst_buffer_list_add (list, make_reading (1, 1500 * MS, 2, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_EOS);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* An upstream that does not answer the LATENCY query is not live for
 * GstAggregator: windows close by the data, as with a non-live answer. */
static GstPadQueryFunction harness_src_query;

static gboolean
refuse_latency_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY)
    return FALSE;
  return harness_src_query (pad, parent, query);
}

GST_START_TEST (test_no_latency_answer_closes_by_data)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      FALSE);
  GstBufferList *list = gst_buffer_list_new ();
  GstSegment seg;

  harness_src_query = GST_PAD_QUERYFUNC (h->srcpad);
  gst_pad_set_query_function (h->srcpad, refuse_latency_query);
  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  push_reading (h, 1, 500 * MS);
  push_reading (h, 2, 600 * MS);
  gst_buffer_list_add (list, make_reading (1, 1500 * MS, 2, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 1600 * MS, 2, 1000.0));
  gst_buffer_list_add (list, make_reading (2, 400 * MS, 3, 1000.0));
  fail_unless_equals_int (gst_pad_push_list (h->srcpad, list), GST_FLOW_OK);
  pull_group_check (h, K0, 2, 2);
  fail_unless (gst_harness_try_pull (h) == NULL);
  push_eos (h);
  pull_group_check (h, K0 + 1, 2, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 5);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Downstream's refusal goes back upstream: once the groups cannot be
 * pushed, pushing readings fails instead of swallowing them forever, and
 * the stats count only the groups downstream took. */
GST_START_TEST (test_downstream_refusal_reaches_upstream)
{
  GstHarness *h = grouper_harness (FALSE);
  GstFlowReturn ret = GST_FLOW_OK;
  guint i;

  push_reading (h, 1, 500 * MS);
  push_reading (h, 1, 1500 * MS);
  pull_group_check (h, K0, 1, 1);
  /* downstream goes away: pushing a group now returns FLUSHING */
  fail_unless (gst_pad_set_active (h->sinkpad, FALSE));
  for (i = 2; i < 50 && ret == GST_FLOW_OK; i++)
    ret = gst_harness_push (h, make_reading (1, i * GST_SECOND + 500 * MS,
            i + 1, 1000.0));
  fail_unless (ret != GST_FLOW_OK, "every push accepted");
  fail_unless_equals_uint64 (stat (h->element, "groups"), 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* -------------------------------------------------------------- batches */

/* grouper asks for batches first, single readings second: reorderqueue
 * (and any element that lists its preferences) pushes batches to it. */
GST_START_TEST (test_batch_caps_preferred)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      FALSE);
  GstCaps *caps = gst_pad_peer_query_caps (h->srcpad, NULL);

  fail_unless_equals_int (gst_caps_get_size (caps), 2);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          GST_WEATHER_READING_BATCH_MEDIA_TYPE));
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 1),
          GST_WEATHER_READING_MEDIA_TYPE));
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* reorderqueue ! grouper: the readings go over as batches, and give the
 * groups of the same stream forced to single readings. */
static void
collect_hex (GstElement * sink, GstBuffer * buf, GstPad * pad, gpointer data)
{
  GString *out = data;
  GstMapInfo map;
  gsize i;

  /* fakesink hands over from the one streaming thread, in order */
  gst_buffer_map (buf, &map, GST_MAP_READ);
  for (i = 0; i < map.size; i++)
    g_string_append_printf (out, "%02x", map.data[i]);
  g_string_append_c (out, '\n');
  gst_buffer_unmap (buf, &map);
}

static gchar *
run_launch (const gchar * desc, gchar ** caps_out)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstElement *sink, *grouper;
  GString *out = g_string_new (NULL);
  GstMessage *msg;
  GstCaps *caps;
  GstPad *pad;
  GstBus *bus;

  fail_unless (pipeline != NULL, "%s: %s", desc, err ? err->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  grouper = gst_bin_get_by_name (GST_BIN (pipeline), "g");
  g_object_set (sink, "signal-handoffs", TRUE, NULL);
  g_signal_connect (sink, "handoff", G_CALLBACK (collect_hex), out);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  pad = gst_element_get_static_pad (grouper, "sink_0");
  caps = gst_pad_get_current_caps (pad);
  *caps_out = gst_caps_to_string (caps);
  gst_caps_unref (caps);
  gst_object_unref (pad);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (grouper);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return g_string_free (out, FALSE);
}

GST_START_TEST (test_reorderqueue_feeds_batches)
{
  const gchar *src = "weathersrc is-live=false stations=20 num-buffers=3000 "
      "seed=3 jitter=2000000000 duplicate-probability=0.1 ";
  gchar *caps, *desc, *batched, *single;

  desc = g_strdup_printf ("%s ! reorderqueue latency=3000000000 ! grouper "
      "name=g ! fakesink name=out", src);
  batched = run_launch (desc, &caps);
  g_free (desc);
  fail_unless (g_str_has_prefix (caps, GST_WEATHER_READING_BATCH_MEDIA_TYPE),
      "%s", caps);
  g_free (caps);

  /* the same readings forced to one per buffer by a capsfilter */
  desc = g_strdup_printf ("%s ! reorderqueue latency=3000000000 ! "
      "capsfilter caps=" GST_WEATHER_READING_MEDIA_TYPE " ! grouper name=g ! "
      "fakesink name=out", src);
  single = run_launch (desc, &caps);
  g_free (desc);
  fail_unless (g_str_has_prefix (caps, GST_WEATHER_READING_MEDIA_TYPE ","),
      "%s", caps);
  g_free (caps);

  fail_unless (strlen (batched) > 1000);
  fail_unless_equals_string (batched, single);
  g_free (batched);
  g_free (single);
}

GST_END_TEST;

/* Not live, the windows a batch finishes close reading by reading, in
 * order, and a later batch's reading for a closed window is late. */
GST_START_TEST (test_batch_spans_windows)
{
  GstHarness *h = grouper_harness_caps (FALSE, GST_WEATHER_READING_BATCH_CAPS);
  static const guint32 st[] = { 1, 2, 1, 2, 1, 2, 1 };
  static const GstClockTime off[] = { 100 * MS, 200 * MS, 1100 * MS,
    1200 * MS, 2100 * MS, 2200 * MS, 3100 * MS
  };
  static const guint32 late_st[] = { 2, 2 };
  static const GstClockTime late_off[] = { 1900 * MS, 3200 * MS };

  fail_unless_equals_int (gst_harness_push (h, make_batch (st, off, 7)),
      GST_FLOW_OK);
  pull_group_check (h, K0, 2, 2);
  pull_group_check (h, K0 + 1, 2, 2);
  /* station 2 has not moved past window 2 yet */
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_int (gst_harness_push (h, make_batch (late_st, late_off,
              2)), GST_FLOW_OK);
  pull_group_check (h, K0 + 2, 2, 2);
  push_eos (h);
  pull_group_check (h, K0 + 3, 2, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 9);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 4);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live, a batch's readings wait for the clock like single ones. */
GST_START_TEST (test_live_batch_closes_by_clock)
{
  GstHarness *h = grouper_harness_caps (TRUE, GST_WEATHER_READING_BATCH_CAPS);
  static const guint32 st[] = { 1, 2, 1 };
  static const GstClockTime off[] = { 300 * MS, 400 * MS, 1300 * MS };

  fail_unless_equals_int (gst_harness_push (h, make_batch (st, off, 3)),
      GST_FLOW_OK);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0, 2, 2);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      2 * GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0 + 1, 2, 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live, the deadline is a running time of the input segment, whatever its
 * start and base: a segment whose running time starts at 5 s (base) and
 * whose positions start at 100 s (start) puts window 0's end plus the
 * latency at 6.2 s of running time. */
GST_START_TEST (test_live_segment_with_base_and_start)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      TRUE);
  GstSegment seg;

  gst_harness_use_testclock (h);
  g_object_set (h->element, "latency", (guint64) LATENCY, NULL);
  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, ORIGIN);
  seg.start = 100 * GST_SECOND;
  seg.time = ORIGIN;
  seg.base = 5 * GST_SECOND;
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));

  fail_unless_equals_int (gst_harness_push (h, make_reading (1,
              500 * MS, 1, 1000.0)), GST_FLOW_OK);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      6 * GST_SECOND + LATENCY);
  gst_harness_set_time (h, 6 * GST_SECOND + LATENCY - 1);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_group_check (h, K0, 1, 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live PLAYING -> PAUSED -> PLAYING with a GstTestClock: nothing closes
 * while paused, even when the clock passes the old deadline; on resume
 * (with the base time a pipeline gives: the paused time added) the window
 * closes at its end plus the latency in the new running time, and the
 * reading that came during the pause is in it. Twice. */
GST_START_TEST (test_live_pause_resume)
{
  GstHarness *h = grouper_harness (TRUE);
  GstClockTime base = 0;
  GstQuery *drain;
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;
  guint round;

  for (round = 0; round < 2; round++) {
    GstClockTime t0 = round * GST_SECOND;       /* window of this round */

    push_reading (h, 1, t0 + 500 * MS);
    fail_unless_equals_uint64 (pending_wait_running_time (h),
        t0 + GST_SECOND + LATENCY);

    /* paused at t0 + 700 ms of running time, for 10 s */
    gst_harness_set_time (h, base + t0 + 700 * MS);
    fail_unless (gst_element_set_state (h->element, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE);
    /* the clock goes on; a reading taken now finds the old deadline long
     * passed, and must not close the window */
    gst_harness_set_time (h, base + t0 + 10700 * MS);
    push_reading (h, 2, t0 + 800 * MS);
    /* a serialized query returns once GstAggregator's thread has taken
     * everything before it: the reading was handled while paused */
    drain = gst_query_new_drain ();
    gst_pad_peer_query (h->srcpad, drain);
    gst_query_unref (drain);
    fail_unless (gst_harness_try_pull (h) == NULL);

    base += 10 * GST_SECOND;
    gst_element_set_base_time (h->element, base);
    fail_unless (gst_element_set_state (h->element, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    /* due at the window's end plus the latency, in running time */
    fail_unless_equals_uint64 (pending_wait_running_time (h),
        t0 + GST_SECOND + LATENCY);
    gst_harness_set_time (h, base + t0 + GST_SECOND + LATENCY - 1);
    fail_unless (gst_harness_try_pull (h) == NULL);
    fail_unless (gst_harness_crank_single_clock_wait (h));
    buf = pull_group (h, &g);
    fail_unless_equals_int64 (g.window_start, (K0 + round) * GST_SECOND);
    fail_unless_equals_int (g.n_slots, 2);
    fail_unless_equals_int (g.n_present, 2);
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  }
  fail_unless_equals_uint64 (stat (h->element, "late"), 0);
  wait_stat (h->element, "groups", 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------- time at the edges */

/* A reading at 2262-04-11T23:47:16Z, with 1 h windows: its window ends
 * past the last representable instant, so the group ends at 2^63-1, is
 * valid and encodes. */
GST_START_TEST (test_window_at_end_of_time)
{
  GstHarness *h = grouper_harness_props ("window=3600000000000", NULL);
  gint64 created = G_GINT64_CONSTANT (9223372036000000000);
  GstWeatherGroup g = { 0, };
  GstWeatherReading r;
  GstBuffer *buf;
  GString *json;

  start_stream (h);
  gst_weather_reading_init (&r);
  r.station_id = 1;
  r.created_at = created;
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = created - ORIGIN;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  push_eos (h);
  buf = pull_group (h, &g);
  fail_unless_equals_int64 (g.window_start,
      created / (3600 * GST_SECOND) * (3600 * GST_SECOND));
  fail_unless_equals_int64 (g.window_end, G_MAXINT64);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf),
      G_MAXINT64 - g.window_start);
  json = g_string_new (NULL);
  gst_weather_group_to_json (&g, json);
  fail_unless (strstr (json->str,
          "\"window_end\":\"2262-04-11T23:47:16.854775807Z\"") != NULL, "%s",
      json->str);
  g_string_free (json, TRUE);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* The window property at its minimum, maximum and maximum - 1, with
 * readings at the first and the last representable instants: every group
 * is valid and holds its reading; a reading at 2^63-1 itself fits no
 * window and is counted as invalid. */
static const guint64 window_edges[] = {
  GST_MSECOND, G_MAXINT64, G_MAXINT64 - 1,
};

GST_START_TEST (test_window_edges)
{
  guint64 window = window_edges[__i__];
  gchar *prop = g_strdup_printf ("window=%" G_GUINT64_FORMAT, window);
  GstHarness *h = grouper_harness_props (prop, NULL);
  static const gint64 created[] = { 0, G_MAXINT64 - 2, G_MAXINT64 - 1,
    G_MAXINT64
  };
  GstWeatherGroup g = { 0, };
  guint i, n_groups = 0, n_present = 0;
  GstBuffer *buf;

  g_free (prop);
  start_stream (h);
  for (i = 0; i < G_N_ELEMENTS (created); i++) {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    r.station_id = i;
    r.created_at = created[i];
    fail_unless_equals_int (gst_harness_push (h,
            gst_weather_reading_to_buffer (&r)), GST_FLOW_OK);
  }
  push_eos (h);
  wait_for_eos (h);
  while ((buf = gst_harness_try_pull (h))) {
    GError *err = NULL;

    fail_unless (gst_weather_group_from_buffer (buf, &g, &err), "%s",
        err ? err->message : "?");
    fail_unless (g.window_end > g.window_start);
    fail_unless ((guint64) (g.window_end - g.window_start) <= window);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (buf),
        g.window_end - g.window_start);
    n_groups++;
    n_present += g.n_present;
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  }
  /* 1 ms: one window per reading; otherwise the first reading's window
   * and the last one (they are the same for 2^63-1 and 2^63-2) */
  fail_unless_equals_int (n_present, 3);
  fail_unless_equals_int (n_groups, window == GST_MSECOND ? 2 :
      window == G_MAXINT64 ? 1 : 2);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 1);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 3);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* station-timeout at 0 (never), its maximum and maximum - 1: a station
 * that stops sending is marked missing in every later window (the sum
 * last reading + timeout saturates instead of wrapping around) and
 * never forgotten. At 1 s it is forgotten after a second. */
static const guint64 timeout_edges[] = {
  0, G_MAXINT64, G_MAXINT64 - 1, GST_SECOND,
};

GST_START_TEST (test_station_timeout_edges)
{
  guint64 timeout = timeout_edges[__i__];
  gchar *prop = g_strdup_printf ("station-timeout=%" G_GUINT64_FORMAT,
      timeout);
  GstHarness *h = grouper_harness_props (prop, NULL);
  gboolean forgets = timeout == GST_SECOND;
  guint k;

  g_free (prop);
  start_stream (h);
  push_reading (h, 2, 200 * MS);
  for (k = 0; k < 6; k++)
    push_reading (h, 1, k * GST_SECOND + 100 * MS);
  push_eos (h);
  pull_group_check (h, K0, 2, 2);
  /* station 2's last reading + 1 s is in window 1: still expected there */
  pull_group_check (h, K0 + 1, 2, 1);
  for (k = 2; k < 6; k++)
    pull_group_check (h, K0 + k, forgets ? 1 : 2, 1);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "forgotten"), forgets ? 1 : 0);
  fail_unless_equals_uint64 (stat (h->element, "incomplete"), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* GstAggregator's latency and min-upstream-latency at the edges of what
 * the sums hold: above 2^63-1 they are lowered to it; at 2^63-1 a live
 * window is never due (no wait on a wrapped-around instant), and EOS
 * still brings it out. Its start-time (with start-time-selection=set) at
 * the same values changes nothing: the output segment is grouper's. */
static const guint64 latency_edges[] = {
  0, G_MAXINT64 - 1, G_MAXINT64, G_MAXUINT64 - 1,
};

GST_START_TEST (test_latency_edges)
{
  guint64 latency = latency_edges[__i__];
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      TRUE);
  guint64 got;

  gst_harness_use_testclock (h);
  g_object_set (h->element, "latency", latency, "min-upstream-latency",
      latency, "start-time", latency, NULL);
  gst_util_set_object_arg (G_OBJECT (h->element), "start-time-selection",
      "set");
  g_object_get (h->element, "latency", &got, NULL);
  fail_unless_equals_uint64 (got, MIN (latency, (guint64) G_MAXINT64));
  g_object_get (h->element, "min-upstream-latency", &got, NULL);
  fail_unless_equals_uint64 (got, MIN (latency, (guint64) G_MAXINT64));
  start_stream (h);
  push_reading (h, 1, 500 * MS);
  if (latency == 0) {
    GstBuffer *buf;
    GstWeatherGroup g = { 0, };

    fail_unless_equals_uint64 (pending_wait_running_time (h), GST_SECOND);
    fail_unless (gst_harness_crank_single_clock_wait (h));
    buf = pull_group (h, &g);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
    fail_unless_equals_int64 (g.window_start, K0 * GST_SECOND);
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  } else {
    /* a second reading is taken too: the element is not stuck waiting */
    push_reading (h, 1, 1500 * MS);
    gst_harness_set_time (h, 1000 * GST_SECOND);
    push_eos (h);
    pull_group_check (h, K0, 1, 1);
    pull_group_check (h, K0 + 1, 1, 1);
    wait_for_eos (h);
  }

  gst_harness_teardown (h);
}

GST_END_TEST;

/* A GAP reaching past the last representable instant (its end in epoch
 * time is beyond 2^63-1) closes every window instead of none. */
GST_START_TEST (test_gap_at_end_of_time)
{
  GstHarness *h = grouper_harness (FALSE);

  push_reading (h, 1, 500 * MS);
  push_reading (h, 1, 1500 * MS);
  pull_group_check (h, K0, 1, 1);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (G_MAXINT64,
              G_MAXINT64)));
  pull_group_check (h, K0 + 1, 1, 1);
  /* everything before the end of time is closed now */
  push_reading (h, 1, 2500 * MS);
  push_eos (h);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "late"), 1);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---------------------------------------------------------- bad batches */

/* Records that are not readings inside a batch are counted and dropped;
 * the good ones around them are grouped. */
GST_START_TEST (test_batch_bad_records)
{
  GstHarness *h = grouper_harness_caps (FALSE, GST_WEATHER_READING_BATCH_CAPS);
  static const guint32 st[] = { 1, 2, 3, 4, 5 };
  static const GstClockTime off[] = { 100 * MS, 200 * MS, 300 * MS,
    400 * MS, 500 * MS
  };
  GstBuffer *buf = make_batch (st, off, 5);
  GstWeatherReading r;
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_READWRITE);
  /* record 1 created before the epoch, record 2 an empty group slot,
   * record 3 with bytes after its name's NUL */
  gst_weather_reading_read (&r, map.data + 1 * GST_WEATHER_READING_SIZE);
  r.created_at = -1;
  gst_weather_reading_write (&r, map.data + 1 * GST_WEATHER_READING_SIZE);
  gst_weather_reading_read (&r, map.data + 2 * GST_WEATHER_READING_SIZE);
  r.flags = GST_WEATHER_READING_FLAG_MISSING;
  gst_weather_reading_write (&r, map.data + 2 * GST_WEATHER_READING_SIZE);
  map.data[3 * GST_WEATHER_READING_SIZE + 72 + 30] = 'x';
  gst_buffer_unmap (buf, &map);

  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  push_eos (h);
  pull_group_check (h, K0, 2, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 3);
  fail_unless_equals_uint64 (stat (h->element, "readings"), 2);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* Buffers of the wrong size: a batch that is no whole number of records,
 * an empty one (not a GAP), and, with single-reading caps, two records in
 * one buffer. Each is one invalid buffer. */
GST_START_TEST (test_batch_wrong_sizes)
{
  GstHarness *hb = grouper_harness_caps (FALSE,
      GST_WEATHER_READING_BATCH_CAPS);
  GstHarness *hs = grouper_harness (FALSE);
  static const guint32 st[] = { 1, 2 };
  static const GstClockTime off[] = { 100 * MS, 200 * MS };
  GstBuffer *buf;

  fail_unless_equals_int (gst_harness_push (hb,
          gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE + 72,
              NULL)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (hb, gst_buffer_new ()),
      GST_FLOW_OK);
  buf = make_batch (st, off, 2);
  fail_unless_equals_int (gst_harness_push (hs, gst_buffer_copy (buf)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (hb, buf), GST_FLOW_OK);
  push_eos (hb);
  push_eos (hs);
  pull_group_check (hb, K0, 2, 2);
  wait_for_eos (hb);
  wait_for_eos (hs);
  fail_unless (gst_harness_try_pull (hs) == NULL);
  fail_unless_equals_uint64 (stat (hb->element, "invalid"), 2);
  fail_unless_equals_uint64 (stat (hs->element, "invalid"), 1);
  fail_unless_equals_uint64 (stat (hs->element, "readings"), 0);

  gst_harness_teardown (hb);
  gst_harness_teardown (hs);
}

GST_END_TEST;

/* ---------------------------------------------------------------- floods */

/* A flood of new station ids past max-stations: the station heard the
 * longest ago is forgotten for each newcomer, its reading taken out of
 * the open window; the stations that keep sending keep every group.
 * Scaled down: 1,200 ids against max-stations=1000. */
GST_START_TEST (test_flood_evicts_silent_stations)
{
  GstHarness *h = grouper_harness_props ("max-stations=1000", NULL);
  GstBus *bus = gst_bus_new ();
  GstWeatherGroup g = { 0, };
  GstMessage *msg;
  GstBuffer *buf;
  guint i, k;

  gst_element_set_bus (h->element, bus);
  start_stream (h);
  for (i = 0; i < 1200; i++)
    push_reading (h, 100000 + i, 10 * MS + i * 100 * GST_USECOND);
  for (k = 0; k < 10; k++)
    for (i = 1; i <= 10; i++)
      push_reading (h, i, k * GST_SECOND + 500 * MS + i * MS);
  push_eos (h);

  buf = pull_group (h, &g);
  fail_unless_equals_int (g.n_slots, 1000);
  fail_unless_equals_int (g.n_present, 1000);
  /* the 210 heard the longest ago are gone: ids 100000..100209 */
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless_equals_int (g.slots[10].station_id, 100210);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  for (k = 1; k < 10; k++) {
    buf = pull_group (h, &g);
    fail_unless_equals_int (g.n_slots, 1000);
    fail_unless_equals_int (g.n_present, 10);
    for (i = 0; i < 10; i++) {
      fail_unless_equals_int (g.slots[i].station_id, i + 1);
      fail_if (g.slots[i].flags & GST_WEATHER_READING_FLAG_MISSING);
    }
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  }
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "evicted"), 210);
  fail_unless_equals_uint64 (stat (h->element, "refused"), 0);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 10);

  /* one warning on the bus for the whole flood */
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING) == NULL);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Every known station listed in stations: a newcomer has no room and its
 * readings are refused (counted), the listed ones keep their slots. */
GST_START_TEST (test_flood_refused_when_all_listed)
{
  GstHarness *h = grouper_harness_props ("max-stations=3",
      "stations=<1,2,3>", NULL);

  start_stream (h);
  push_reading (h, 1, 100 * MS);
  push_reading (h, 4, 200 * MS);
  push_reading (h, 5, 300 * MS);
  push_reading (h, 2, 400 * MS);
  push_eos (h);
  pull_group_check (h, K0, 3, 2);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "refused"), 2);
  fail_unless_equals_uint64 (stat (h->element, "evicted"), 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* A stations list longer than max-stations cannot start: an element
 * error that says so, not a group too large to make. */
GST_START_TEST (test_stations_more_than_max_stations)
{
  GstElement *e = gst_element_factory_make ("grouper", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (e, bus);
  gst_util_set_object_arg (G_OBJECT (e), "stations", "<1,2,3>");
  g_object_set (e, "max-stations", 2, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "max-stations") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

/* max-stations at its minimum, maximum and maximum - 1: with 1, each new
 * station replaces the one before; at the others nothing is evicted. */
static const guint max_stations_edges[] = {
  1, GST_WEATHER_GROUP_MAX_SLOTS, GST_WEATHER_GROUP_MAX_SLOTS - 1,
};

GST_START_TEST (test_max_stations_edges)
{
  guint max = max_stations_edges[__i__];
  gchar *prop = g_strdup_printf ("max-stations=%u", max);
  GstHarness *h = grouper_harness_props (prop, NULL);

  g_free (prop);
  start_stream (h);
  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  push_reading (h, 3, 300 * MS);
  push_eos (h);
  pull_group_check (h, K0, max == 1 ? 1 : 3, max == 1 ? 1 : 3);
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "evicted"), max == 1 ? 2 : 0);

  gst_harness_teardown (h);
}

GST_END_TEST;

/* max-size-bytes: more readings held in open windows than it allows
 * close the earliest window before it is due (counted); what comes later
 * for it is late. At its minimum every reading closes its window; at its
 * maximum and maximum - 1 nothing closes early. */
static const guint64 max_bytes_edges[] = {
  GST_WEATHER_READING_SIZE, 3 * GST_WEATHER_READING_SIZE, G_MAXUINT64,
  G_MAXUINT64 - 1,
};

GST_START_TEST (test_max_size_bytes)
{
  guint64 max = max_bytes_edges[__i__];
  gchar *prop = g_strdup_printf ("max-size-bytes=%" G_GUINT64_FORMAT, max);
  GstHarness *h = grouper_harness_props (prop, NULL);
  guint64 early;

  g_free (prop);
  start_stream (h);
  /* station 9 holds window 0 open; 1 and 2 go on to windows 1 and 2 */
  push_reading (h, 9, 50 * MS);
  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  push_reading (h, 1, 1100 * MS);
  push_reading (h, 2, 1200 * MS);
  push_reading (h, 9, 900 * MS);
  push_eos (h);
  wait_for_eos (h);
  early = stat (h->element, "closed-early");
  if (max >= G_MAXUINT64 - 1) {
    fail_unless_equals_uint64 (early, 0);
    fail_unless_equals_uint64 (stat (h->element, "late"), 0);
  } else {
    fail_unless (early > 0);
    /* 128: window 0 closes at the second reading, window 1 at the
     * fifth; 384: window 0 at the fourth */
    fail_unless_equals_uint64 (stat (h->element, "late"),
        max == GST_WEATHER_READING_SIZE ? 2 : 1);
    fail_unless (stat (h->element, "held-bytes") <= max);
  }

  gst_harness_teardown (h);
}

GST_END_TEST;

/* The flood of the faults report, at full size and with the defaults:
 * 1,200,000 junk station ids, once each, then 10 real stations for 60
 * windows. Every window of the real stations comes out with all ten
 * present, the junk past max-stations is evicted (counted), no group has
 * more slots than max-stations, and the process stays under the memory
 * bound of docs/elements/grouper.md. */
#define FLOOD_JUNK 1200000
#define FLOOD_REAL 10
#define FLOOD_WINDOWS 60
#define FLOOD_REAL_ID0 2000000001u

GST_START_TEST (test_flood_million_stations)
{
  GstHarness *h = grouper_harness_caps (FALSE, GST_WEATHER_READING_BATCH_CAPS);
  guint32 st[1000];
  GstClockTime off[1000];
  struct rusage ru;
  guint i, j, k;

  /* one group at a time: a group waits in the harness until pulled */
  gst_harness_set_blocking_push_mode (h);
  for (i = 0; i < FLOOD_JUNK; i += 1000) {
    for (j = 0; j < 1000; j++) {
      st[j] = 1 + i + j;
      off[j] = 10 * MS + (i + j) * 500;
    }
    fail_unless_equals_int (gst_harness_push (h, make_batch (st, off, 1000)),
        GST_FLOW_OK);
  }
  for (k = 0; k < FLOOD_WINDOWS; k++) {
    for (j = 0; j < FLOOD_REAL; j++) {
      st[j] = FLOOD_REAL_ID0 + j;
      off[j] = k * GST_SECOND + 800 * MS + j * MS;
    }
    fail_unless_equals_int (gst_harness_push (h, make_batch (st, off,
                FLOOD_REAL)), GST_FLOW_OK);
  }
  push_eos (h);

  for (k = 0; k < FLOOD_WINDOWS; k++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;
    guint32 n_slots, n_present;

    fail_unless (buf != NULL);
    gst_buffer_map (buf, &map, GST_MAP_READ);
    fail_unless_equals_int64 ((gint64) GST_READ_UINT64_LE (map.data),
        (K0 + k) * GST_SECOND);
    n_slots = GST_READ_UINT32_LE (map.data + 20);
    n_present = GST_READ_UINT32_LE (map.data + 24);
    fail_unless_equals_int (n_slots, GST_WEATHER_GROUP_MAX_SLOTS);
    fail_unless_equals_int (map.size, GST_WEATHER_GROUP_RECORD_SIZE (n_slots));
    fail_unless_equals_int (n_present, k == 0 ? GST_WEATHER_GROUP_MAX_SLOTS :
        FLOOD_REAL);
    /* the real stations have the highest ids: the last slots, present */
    for (j = 0; j < FLOOD_REAL; j++) {
      GstWeatherReading r;
      GError *err = NULL;

      fail_unless (gst_weather_reading_parse (map.data +
              GST_WEATHER_GROUP_RECORD_SIZE (n_slots - FLOOD_REAL + j), &r,
              &err), "%s", err ? err->message : "?");
      fail_unless_equals_int (r.station_id, FLOOD_REAL_ID0 + j);
      fail_if (r.flags & GST_WEATHER_READING_FLAG_MISSING);
    }
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "groups"), FLOOD_WINDOWS);
  fail_unless_equals_uint64 (stat (h->element, "evicted"),
      FLOOD_JUNK + FLOOD_REAL - GST_WEATHER_GROUP_MAX_SLOTS);
  fail_unless_equals_uint64 (stat (h->element, "refused"), 0);

  /* docs/elements/grouper.md: about 200 bytes per known station, 1.4 x the
   * bytes of readings held, one group being written; with what this
   * process keeps besides, 700 MB (the sanitizers' own memory aside) */
  getrusage (RUSAGE_SELF, &ru);
  GST_INFO ("peak RSS %ld kB", ru.ru_maxrss);
#if !defined (__SANITIZE_ADDRESS__)
  fail_unless (ru.ru_maxrss < 700 * 1024, "peak RSS %ld kB", ru.ru_maxrss);
#endif

  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------------ group-by */

/* Pulls the next group and checks its window, key name and slot count. */
static void
pull_key_check (GstHarness * h, gint64 k, GstWeatherKeyKind kind,
    const gchar * name, guint n_slots, guint n_present)
{
  GstWeatherGroup g = { 0, };
  GstBuffer *buf = pull_group (h, &g);

  fail_unless_equals_int64 (g.window_start, k * (gint64) GST_SECOND);
  fail_unless_equals_int (g.key.kind, kind);
  fail_unless_equals_string (g.key.name, name);
  fail_unless_equals_int (g.n_slots, n_slots);
  fail_unless_equals_int (g.n_present, n_present);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
}

static gint
ptr_strcmp (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* Pulls the @n groups of window @k, checks they come in key order and
 * returns "name:present/slots" of each, sorted by name, comma separated,
 * for comparison with what the test expects. */
static gchar *
pull_window_keys (GstHarness * h, gint64 k, guint n)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  GstWeatherKey prev;
  GString *out = g_string_new (NULL);
  guint i;

  for (i = 0; i < n; i++) {
    GstWeatherGroup g = { 0, };
    GstBuffer *buf = pull_group (h, &g);

    fail_unless_equals_int64 (g.window_start, k * (gint64) GST_SECOND);
    if (i > 0)
      fail_unless (gst_weather_key_compare (&prev, &g.key) < 0,
          "%s before %s", prev.name, g.key.name);
    prev = g.key;
    g_ptr_array_add (names, g_strdup_printf ("%s:%u/%u", g.key.name,
            g.n_present, g.n_slots));
    gst_weather_group_clear (&g);
    gst_buffer_unref (buf);
  }
  g_ptr_array_sort_with_data (names, ptr_strcmp, NULL);
  for (i = 0; i < names->len; i++)
    g_string_append_printf (out, "%s%s", i ? "," : "",
        (const gchar *) g_ptr_array_index (names, i));
  g_ptr_array_free (names, TRUE);
  return g_string_free (out, FALSE);
}

static void
assert_window_keys (GstHarness * h, gint64 k, guint n, const gchar * expect)
{
  gchar *got = pull_window_keys (h, k, n);

  fail_unless_equals_string (got, expect);
  g_free (got);
}

/* A temporary stations file holding @text; the caller unlinks and frees
 * the path. */
static gchar *
stations_file (const gchar * text)
{
  GError *err = NULL;
  gchar *path;
  gint fd = g_file_open_tmp ("grouper-stations-XXXXXX.csv", &path, &err);

  fail_unless (fd >= 0, "%s", err ? err->message : "?");
  close (fd);
  fail_unless (g_file_set_contents (path, text, -1, &err), "%s",
      err ? err->message : "?");
  return path;
}

/* group-by=station: a group per station with a reading in the window,
 * in station order, each of one slot; a silent station has no group
 * (with group-by=all it is a missing slot of the one group). */
GST_START_TEST (test_group_by_station)
{
  GstHarness *h = grouper_harness_props ("group-by=station", NULL);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;

  start_stream (h);
  push_reading (h, 7, 100 * MS);
  push_reading (h, 3, 200 * MS);
  push_reading (h, 9, 300 * MS);
  push_reading (h, 3, 1200 * MS);
  push_reading (h, 9, 1300 * MS);
  push_eos (h);

  pull_key_check (h, K0, GST_WEATHER_KEY_STATION, "3", 1, 1);
  pull_key_check (h, K0, GST_WEATHER_KEY_STATION, "7", 1, 1);
  buf = pull_group (h, &g);
  fail_unless_equals_int (g.key.id, 9);
  fail_unless_equals_int (g.slots[0].station_id, 9);
  fail_unless_equals_int64 (g.window_start, K0 * GST_SECOND);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  pull_key_check (h, K0 + 1, GST_WEATHER_KEY_STATION, "3", 1, 1);
  pull_key_check (h, K0 + 1, GST_WEATHER_KEY_STATION, "9", 1, 1);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "groups"), 5);
  fail_unless_equals_uint64 (stat (h->element, "complete"), 5);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* group-by=region with a stations file: the file's regions, a station
 * outside the file or without a region is a region of its own; a silent
 * station is a missing slot of its region's group. */
GST_START_TEST (test_group_by_region_file)
{
  gchar *path = stations_file ("# regions\n"
      "station,id,region\n" "a,1,north\n" "b,2,north\n" "c,3,south\n" "e,5,\n");
  gchar *prop = g_strdup_printf ("stations-file=%s", path);
  GstHarness *h = grouper_harness_props ("group-by=region", prop, NULL);
  GstWeatherGroup g = { 0, };
  GstBuffer *buf;
  GstStructure *st;
  guint i, keys;

  start_stream (h);
  for (i = 1; i <= 5; i++)
    push_reading (h, i, i * 10 * MS);
  /* window 1: station 1 alone */
  push_reading (h, 1, 1100 * MS);
  push_eos (h);

  /* 4 is not in the file, 5 has no region there: regions of their own */
  assert_window_keys (h, K0, 4, "4:1/1,5:1/1,north:2/2,south:1/1");
  buf = pull_group (h, &g);
  fail_unless_equals_string (g.key.name, "north");
  fail_unless_equals_int (g.n_slots, 2);
  fail_unless_equals_int (g.n_present, 1);
  fail_unless_equals_int (g.slots[0].station_id, 1);
  fail_unless (g.slots[1].flags & GST_WEATHER_READING_FLAG_MISSING);
  gst_weather_group_clear (&g);
  gst_buffer_unref (buf);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);

  g_object_get (h->element, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint (st, "keys", &keys));
  fail_unless_equals_int (keys, 4);
  gst_structure_free (st);

  gst_harness_teardown (h);
  unlink (path);
  g_free (path);
  g_free (prop);
}

GST_END_TEST;

static void
push_region (GstHarness * h, guint32 station, const gchar * region)
{
  fail_unless (gst_harness_push_event (h,
          gst_weather_region_event_new (station, region)));
}

/* Region events give the regions the stations file does not; the file
 * wins; an event for a known station moves it, from the windows still
 * open; region events do not go downstream; a broken one is counted. */
GST_START_TEST (test_region_events)
{
  gchar *path = stations_file ("station,id,region\nx,3,filed\n");
  gchar *prop = g_strdup_printf ("stations-file=%s", path);
  GstHarness *h = grouper_harness_props ("group-by=region", prop, NULL);
  GstEvent *ev;
  guint k, st;

  start_stream (h);
  push_region (h, 1, "east");
  push_region (h, 2, "east");
  push_region (h, 3, "east");   /* the file says "filed" */
  for (k = 0; k < 2; k++)
    for (st = 1; st <= 3; st++)
      push_reading (h, st, k * GST_SECOND + st * 100 * MS);
  /* window 0 closes once every station is past it */
  assert_window_keys (h, K0, 2, "east:2/2,filed:1/1");

  /* station 2 moves while window 1 is open: window 1 has it in "west" */
  push_region (h, 2, "west");
  for (st = 1; st <= 3; st++)
    push_reading (h, st, 2 * GST_SECOND + st * 100 * MS);
  assert_window_keys (h, K0 + 1, 3, "east:1/1,filed:1/1,west:1/1");

  /* broken region events: dropped, counted */
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new (GST_WEATHER_REGION_EVENT_NAME, "station-id",
          G_TYPE_UINT, 1, "region", G_TYPE_STRING, "", NULL));
  fail_unless (gst_harness_push_event (h, ev));
  ev = gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new_empty (GST_WEATHER_REGION_EVENT_NAME));
  fail_unless (gst_harness_push_event (h, ev));
  push_eos (h);
  assert_window_keys (h, K0 + 2, 3, "east:1/1,filed:1/1,west:1/1");
  /* no region event reached downstream, only the stream's own events */
  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    fail_if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM);
    gst_event_unref (ev);
    if (eos)
      break;
  }
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 2);

  gst_harness_teardown (h);
  unlink (path);
  g_free (path);
  g_free (prop);
}

GST_END_TEST;

/* With group-by=all or station, region events change nothing. */
GST_START_TEST (test_region_events_ignored_by_other_keys)
{
  GstHarness *h = grouper_harness_props ("group-by=station", NULL);

  start_stream (h);
  push_region (h, 1, "east");
  push_reading (h, 1, 100 * MS);
  push_eos (h);
  pull_key_check (h, K0, GST_WEATHER_KEY_STATION, "1", 1, 1);
  wait_for_eos (h);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* min-stations applies to each key: the region below it is skipped and
 * reported (message with its key, stats), the others are complete. */
GST_START_TEST (test_quorum_per_key)
{
  GstHarness *h = grouper_harness_props ("group-by=region", "min-stations=2",
      "quorum-policy=skip", "post-messages=true", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  guint n_skipped = 0, n_made = 0;

  gst_element_set_bus (h->element, bus);
  start_stream (h);
  push_region (h, 1, "big");
  push_region (h, 2, "big");
  push_region (h, 3, "small");
  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  push_reading (h, 3, 300 * MS);
  push_eos (h);
  pull_key_check (h, K0, GST_WEATHER_KEY_REGION, "big", 2, 2);
  wait_for_eos (h);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "skipped"), 1);
  fail_unless_equals_uint64 (stat (h->element, "complete"), 1);

  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT))) {
    const GstStructure *s = gst_message_get_structure (msg);
    gboolean skipped;
    guint present, id;

    fail_unless (gst_structure_has_name (s, "weather-group"));
    fail_unless (gst_structure_get (s, "skipped", G_TYPE_BOOLEAN, &skipped,
            "present", G_TYPE_UINT, &present, "key-id", G_TYPE_UINT, &id,
            NULL));
    fail_unless_equals_string (gst_structure_get_string (s, "key-kind"),
        "region");
    if (skipped) {
      fail_unless_equals_string (gst_structure_get_string (s, "key-name"),
          "small");
      fail_unless_equals_int (id, gst_weather_station_id_from_name ("small"));
      fail_unless_equals_int (present, 1);
      n_skipped++;
    } else {
      fail_unless_equals_string (gst_structure_get_string (s, "key-name"),
          "big");
      n_made++;
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (n_skipped, 1);
  fail_unless_equals_int (n_made, 1);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live, group-by=station: one clock wait (the earliest window end) closes
 * the window for every key; a station silent past station-timeout stops
 * having groups, a new one gets them from its first window. */
GST_START_TEST (test_live_keys_come_and_go)
{
  GstElement *e = gst_element_factory_make ("grouper", NULL);
  GstHarness *h;
  guint k;

  gst_util_set_object_arg (G_OBJECT (e), "group-by", "station");
  g_object_set (e, "station-timeout", (guint64) 2 * GST_SECOND, NULL);
  h = weather_harness_new (e, "sink_0", "src", TRUE);
  gst_object_unref (e);
  gst_harness_use_testclock (h);
  g_object_set (h->element, "latency", (guint64) LATENCY, NULL);
  start_stream (h);

  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  fail_unless_equals_uint64 (pending_wait_running_time (h),
      GST_SECOND + LATENCY);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  pull_key_check (h, K0, GST_WEATHER_KEY_STATION, "1", 1, 1);
  pull_key_check (h, K0, GST_WEATHER_KEY_STATION, "2", 1, 1);

  /* station 1 goes silent; station 3 comes in window 2 */
  for (k = 1; k < 6; k++) {
    push_reading (h, 2, k * GST_SECOND + 200 * MS);
    if (k >= 2)
      push_reading (h, 3, k * GST_SECOND + 300 * MS);
    fail_unless_equals_uint64 (pending_wait_running_time (h),
        (k + 1) * GST_SECOND + LATENCY);
    fail_unless (gst_harness_crank_single_clock_wait (h));
    pull_key_check (h, K0 + k, GST_WEATHER_KEY_STATION, "2", 1, 1);
    if (k >= 2)
      pull_key_check (h, K0 + k, GST_WEATHER_KEY_STATION, "3", 1, 1);
    fail_unless (gst_harness_try_pull (h) == NULL);
  }
  wait_stat (h->element, "forgotten", 1);
  {
    GstStructure *st;
    guint keys, stations;

    g_object_get (h->element, "stats", &st, NULL);
    fail_unless (gst_structure_get (st, "keys", G_TYPE_UINT, &keys,
            "stations", G_TYPE_UINT, &stations, NULL));
    fail_unless_equals_int (stations, 2);
    fail_unless_equals_int (keys, 2);
    gst_structure_free (st);
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A stations file that cannot be used stops the start, with the file and
 * the reason in the error. */
static const gchar *bad_station_files[] = {
  NULL,                         /* does not exist */
  "station,colour\na,red\n",
  "station,region\na,0123456789012345678901234567890123456789012345678901234"
      "567\n",
  "id,region\n1,x\n",
};

GST_START_TEST (test_stations_file_refused)
{
  GstElement *e = gst_element_factory_make ("grouper", NULL);
  gchar *path = bad_station_files[__i__] ?
      stations_file (bad_station_files[__i__]) :
      g_build_filename (g_get_tmp_dir (), "no-such-dir", "stations.csv", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_element_set_bus (e, bus);
  gst_util_set_object_arg (G_OBJECT (e), "group-by", "region");
  g_object_set (e, "stations-file", path, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_READ), "%s", err->message);
  fail_unless (strstr (err->message, path) != NULL, "%s", err->message);
  fail_unless (dbg != NULL && *dbg);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  if (bad_station_files[__i__])
    unlink (path);
  g_free (path);
}

GST_END_TEST;

/* The regions of at most max-stations stations are remembered: those of
 * stations no longer known make room, then events are refused. */
GST_START_TEST (test_regions_refused)
{
  GstHarness *h = grouper_harness_props ("group-by=region", "max-stations=2",
      NULL);

  start_stream (h);
  /* two regions for stations never seen: they make room for more */
  push_region (h, 8, "gone");
  push_region (h, 9, "gone");
  push_region (h, 1, "a");
  push_region (h, 2, "b");
  push_reading (h, 1, 100 * MS);
  push_reading (h, 2, 200 * MS);
  fail_unless_equals_uint64 (stat (h->element, "regions-refused"), 0);
  /* both known: nothing makes room for a third */
  push_region (h, 3, "c");
  push_reading (h, 3, 300 * MS);
  push_eos (h);
  /* station 3 evicted station 1 and is a region of its own */
  assert_window_keys (h, K0, 2, "3:1/1,b:1/1");
  wait_for_eos (h);
  fail_unless_equals_uint64 (stat (h->element, "regions-refused"), 1);
  fail_unless_equals_uint64 (stat (h->element, "evicted"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A reader of version 1 groups only (caps version=1, as before keys)
 * cannot be linked to grouper's version 2: refused at negotiation, the
 * stream stops with an error, never a misread group. */
GST_START_TEST (test_version_1_reader_refuses)
{
  GError *perr = NULL, *err = NULL;
  GstElement *pipeline = gst_parse_launch ("weathersrc num-buffers=40 "
      "stations=2 ! grouper ! capsfilter caps=\"application/x-weather-group, "
      "version=(int)1\" ! fakesink", &perr);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL);
  fail_unless (g_error_matches (perr, GST_PARSE_ERROR, GST_PARSE_ERROR_LINK),
      "%s", perr ? perr->message : "linked");
  fail_unless (strstr (perr->message, "grouper") != NULL, "%s", perr->message);
  g_error_free (perr);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_ERROR |
      GST_MESSAGE_EOS);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (err->domain == GST_STREAM_ERROR, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

GST_END_TEST;

static Suite *
grouper_suite (void)
{
  Suite *s = suite_create ("grouper");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_live_window_closes_at_end_plus_latency);
  tcase_add_test (tc, test_live_slow_pad_does_not_hold_window);
  tcase_add_test (tc, test_live_pads_requested_and_released);
  tcase_add_test (tc, test_nonlive_pads_and_gap);
  tcase_add_test (tc, test_mixed_pad_ordered_per_station);
  tcase_add_test (tc, test_eos_flushes_open_windows);
  tcase_add_test (tc, test_latest_reading_wins);
  tcase_add_test (tc, test_slot_names_follow_their_readings);
  tcase_add_test (tc, test_configured_stations_and_messages);
  tcase_add_test (tc, test_samples_selected_without_messages);
  tcase_add_test (tc, test_states_repeatedly);
  tcase_add_test (tc, test_ten_thousand_stations_mixed_pad);

  tcase_add_test (tc, test_quorum_skip);
  tcase_add_test (tc, test_late_reading_live);
  tcase_add_test (tc, test_late_reading_nonlive);
  tcase_add_test (tc, test_invalid_buffers_counted);
  tcase_add_loop_test (tc, test_wrong_caps_refused, 0,
      G_N_ELEMENTS (wrong_caps));
  tcase_add_test (tc, test_reading_before_origin);
  tcase_add_test (tc, test_station_timeout_forgets);
  tcase_add_test (tc, test_reading_behind_gap_is_late);
  tcase_add_test (tc, test_gap_without_duration);
  tcase_add_test (tc, test_extreme_station_ids);
  tcase_add_test (tc, test_flush_drops_open_windows);
  tcase_add_loop_test (tc, test_buffer_lists_same_groups, 0, 16);
  /* repeated: the GAP races the streaming thread's readings */
  tcase_add_loop_test (tc, test_gap_between_lists, 0, 50);
  tcase_add_test (tc, test_lists_push_every_closed_window);
  tcase_add_test (tc, test_invalid_buffers_in_list);
  tcase_add_test (tc, test_flush_between_lists);
  tcase_add_test (tc, test_list_after_eos_refused);
  tcase_add_test (tc, test_no_latency_answer_closes_by_data);
  tcase_add_test (tc, test_downstream_refusal_reaches_upstream);

  tcase_add_test (tc, test_batch_caps_preferred);
  tcase_add_test (tc, test_reorderqueue_feeds_batches);
  tcase_add_test (tc, test_batch_spans_windows);
  tcase_add_test (tc, test_live_batch_closes_by_clock);
  tcase_add_test (tc, test_live_segment_with_base_and_start);
  tcase_add_test (tc, test_live_pause_resume);
  tcase_add_test (tc, test_window_at_end_of_time);
  tcase_add_loop_test (tc, test_window_edges, 0, G_N_ELEMENTS (window_edges));
  tcase_add_loop_test (tc, test_station_timeout_edges, 0,
      G_N_ELEMENTS (timeout_edges));
  tcase_add_loop_test (tc, test_latency_edges, 0, G_N_ELEMENTS (latency_edges));
  tcase_add_test (tc, test_gap_at_end_of_time);
  tcase_add_test (tc, test_batch_bad_records);
  tcase_add_test (tc, test_batch_wrong_sizes);
  tcase_add_test (tc, test_flood_evicts_silent_stations);
  tcase_add_test (tc, test_flood_refused_when_all_listed);
  tcase_add_test (tc, test_stations_more_than_max_stations);
  tcase_add_loop_test (tc, test_max_stations_edges, 0,
      G_N_ELEMENTS (max_stations_edges));
  tcase_add_loop_test (tc, test_max_size_bytes, 0,
      G_N_ELEMENTS (max_bytes_edges));
  tcase_add_test (tc, test_flood_million_stations);

  tcase_add_test (tc, test_group_by_station);
  tcase_add_test (tc, test_group_by_region_file);
  tcase_add_test (tc, test_region_events);
  tcase_add_test (tc, test_region_events_ignored_by_other_keys);
  tcase_add_test (tc, test_quorum_per_key);
  tcase_add_test (tc, test_live_keys_come_and_go);
  tcase_add_loop_test (tc, test_stations_file_refused, 0,
      G_N_ELEMENTS (bad_station_files));
  tcase_add_test (tc, test_regions_refused);
  tcase_add_test (tc, test_version_1_reader_refuses);
  return s;
}

GST_CHECK_MAIN (grouper);
