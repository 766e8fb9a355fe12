/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * grouper: windows, quorum, late readings, pads coming and going, live
 * closing under a GstTestClock and non-live closing by data and GAP.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

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
              offset / MS, 1000.0 + station)), GST_FLOW_OK);
}

static void
start_stream (GstHarness * h)
{
  GstSegment seg;

  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
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

static GstHarness *
grouper_harness (gboolean live)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      live);

  if (live) {
    gst_harness_use_testclock (h);
    g_object_set (h->element, "latency", (guint64) LATENCY, NULL);
  }
  start_stream (h);
  return h;
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

/* Runs list_input through a grouper, as single buffers (@chunk 0) or as
 * lists of @chunk readings, and returns the groups' bytes, one string of
 * hex per group; fills @stats. */
static GPtrArray *
run_list_input (gboolean live, guint chunk, GstStructure ** stats)
{
  GstHarness *h = grouper_harness (live);
  GPtrArray *groups = g_ptr_array_new_with_free_func (g_free);
  guint n = G_N_ELEMENTS (list_input), i;
  GstBuffer *buf;
  GstEvent *ev;

  if (chunk == 0) {
    for (i = 0; i < n; i++)
      push_reading (h, list_input[i].station, list_input[i].offset);
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

/* Lists of 1, 2, 5 and all readings give the groups and counters of the
 * same readings pushed one by one, live and not. */
GST_START_TEST (test_buffer_lists_same_groups)
{
  static const guint chunks[] = { 1, 2, 5, G_N_ELEMENTS (list_input) };
  gboolean live = __i__ % 2;
  guint chunk = chunks[__i__ / 2];
  GstStructure *ref_stats, *stats;
  GPtrArray *ref, *got;
  guint i;

  ref = run_list_input (live, 0, &ref_stats);
  got = run_list_input (live, chunk, &stats);
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
 * out: a group may wait for the end of its list, never for more input.
 * A short list closes fewer windows than a marker waits for, a long one
 * many more. */
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

/* Readings added in the pushing thread still hand downstream's refusal
 * back upstream: once the groups cannot be pushed, pushing readings fails
 * within a few windows instead of swallowing them forever. */
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

  gst_harness_teardown (h);
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
  tcase_add_loop_test (tc, test_buffer_lists_same_groups, 0, 8);
  /* repeated: the GAP races the streaming thread's readings */
  tcase_add_loop_test (tc, test_gap_between_lists, 0, 50);
  tcase_add_test (tc, test_lists_push_every_closed_window);
  tcase_add_test (tc, test_invalid_buffers_in_list);
  tcase_add_test (tc, test_flush_between_lists);
  tcase_add_test (tc, test_list_after_eos_refused);
  tcase_add_test (tc, test_no_latency_answer_closes_by_data);
  tcase_add_test (tc, test_downstream_refusal_reaches_upstream);
  return s;
}

GST_CHECK_MAIN (grouper);
