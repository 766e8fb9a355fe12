/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc: determinism, network simulation (drops, duplicates, delays,
 * reordering), live pushing on a GstTestClock, plausible weather, caps,
 * latency, property validation and state changes.
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

#include "../weatherstats.h"

#define T0 GST_WEATHER_REPLAY_START
#define HOUR (G_GINT64_CONSTANT (3600) * GST_SECOND)

/* "name=value name=value" onto @element, as gst-launch would. */
static void
set_props (GstElement * element, const gchar * props)
{
  gchar **kv = g_strsplit (props, " ", -1);
  guint i;

  for (i = 0; kv[i]; i++) {
    gchar **pair;

    if (!*kv[i])
      continue;
    pair = g_strsplit (kv[i], "=", 2);
    fail_unless (pair[1] != NULL, "bad property spec %s", kv[i]);
    gst_util_set_object_arg (G_OBJECT (element), pair[0], pair[1]);
    g_strfreev (pair);
  }
  g_strfreev (kv);
}

static GstHarness *
src_harness (const gchar * props)
{
  GstHarness *h = gst_harness_new ("weathersrc");

  set_props (h->element, props);
  return h;
}

static void
read_reading (GstBuffer * buf, GstWeatherReading * r)
{
  GError *err = NULL;

  fail_unless (gst_weather_reading_from_buffer (buf, r, &err),
      "invalid reading: %s", err ? err->message : "?");
}

/* Runs a non-live weathersrc for @n buffers; returns their bytes
 * concatenated and, when @readings is given, the readings and PTS. */
static GByteArray *
collect (const gchar * props, guint n, GArray ** readings, GArray ** pts)
{
  GstHarness *h = src_harness (props);
  GByteArray *bytes = g_byte_array_new ();
  guint i;

  g_object_set (h->element, "num-buffers", (gint) n, NULL);
  if (readings)
    *readings = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  if (pts)
    *pts = g_array_new (FALSE, FALSE, sizeof (GstClockTime));
  gst_harness_play (h);

  for (i = 0; i < n; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;

    fail_unless (buf != NULL, "buffer %u missing", i);
    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    fail_unless_equals_int (map.size, GST_WEATHER_READING_SIZE);
    g_byte_array_append (bytes, map.data, map.size);
    gst_buffer_unmap (buf, &map);
    if (readings) {
      GstWeatherReading r;
      read_reading (buf, &r);
      g_array_append_val (*readings, r);
    }
    if (pts)
      g_array_append_val (*pts, GST_BUFFER_PTS (buf));
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
  return bytes;
}

/* Pulls the events the harness got until EOS. */
static void
pull_events_until_eos (GstHarness * h)
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

/* ---- determinism --------------------------------------------------------- */

#define NOISY "stations=7 jitter=2500000000 delay=100000000 " \
    "drop-probability=0.1 duplicate-probability=0.1"

GST_START_TEST (test_same_seed_same_bytes)
{
  GByteArray *a = collect (NOISY " seed=42", 2000, NULL, NULL);
  GByteArray *b = collect (NOISY " seed=42", 2000, NULL, NULL);

  fail_unless_equals_int (a->len, 2000 * GST_WEATHER_READING_SIZE);
  fail_unless_equals_int (a->len, b->len);
  fail_unless (memcmp (a->data, b->data, a->len) == 0);
  g_byte_array_unref (a);
  g_byte_array_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_other_seed_other_bytes)
{
  GArray *ra, *rb;
  GByteArray *a = collect (NOISY " seed=42", 500, &ra, NULL);
  GByteArray *b = collect (NOISY " seed=43", 500, &rb, NULL);
  guint i, same_pressure = 0;

  fail_unless (memcmp (a->data, b->data, a->len) != 0);
  /* not only the network: the weather differs too */
  for (i = 0; i < 500; i++) {
    GstWeatherReading *x = &g_array_index (ra, GstWeatherReading, i);
    GstWeatherReading *y = &g_array_index (rb, GstWeatherReading, i);
    if (x->pressure_hpa == y->pressure_hpa)
      same_pressure++;
  }
  fail_unless (same_pressure < 50, "%u of 500 pressures equal", same_pressure);
  g_byte_array_unref (a);
  g_byte_array_unref (b);
  g_array_unref (ra);
  g_array_unref (rb);
}

GST_END_TEST;

/* The clean stream: stations in order within each tick, consecutive
 * sequences, names sim-<id>, PTS = created_at - origin, the origin two
 * hours (GST_WEATHER_MAX_LATENESS) before the start-time. */
GST_START_TEST (test_clean_stream_layout)
{
  GArray *rs, *pts;
  GByteArray *b = collect ("stations=3 period=500000000", 30, &rs, &pts);
  guint i;

  for (i = 0; i < 30; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    gchar *name = g_strdup_printf ("sim-%u", i % 3);

    fail_unless_equals_int (r->station_id, i % 3);
    fail_unless_equals_string (r->station_name, name);
    fail_unless_equals_uint64 (r->sequence, i / 3);
    fail_unless_equals_int64 (r->created_at,
        T0 + (gint64) (i / 3) * 500 * GST_MSECOND);
    fail_unless_equals_int64 (r->received_at, r->created_at);
    fail_unless_equals_uint64 (g_array_index (pts, GstClockTime, i),
        GST_WEATHER_MAX_LATENESS + (i / 3) * 500 * GST_MSECOND);
    fail_unless_equals_int (r->flags, 0);
    g_free (name);
  }
  g_byte_array_unref (b);
  g_array_unref (rs);
  g_array_unref (pts);
}

GST_END_TEST;

/* A given start-time moves the stream: created_at and segment origin,
 * two hours before it in whole seconds. */
GST_START_TEST (test_start_time_and_segment)
{
  GstHarness *h = src_harness ("stations=2 num-buffers=4 "
      "start-time=1800000000000000000");
  GstWeatherReading r;
  GstBuffer *buf;
  GstEvent *ev;
  const GstSegment *seg;

  gst_harness_play (h);
  buf = gst_harness_pull (h);
  read_reading (buf, &r);
  fail_unless_equals_int64 (r.created_at,
      G_GINT64_CONSTANT (1800000000000000000));
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), GST_WEATHER_MAX_LATENESS);
  gst_buffer_unref (buf);

  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  fail_unless (ev != NULL);
  gst_event_parse_segment (ev, &seg);
  fail_unless_equals_int (seg->format, GST_FORMAT_TIME);
  fail_unless_equals_uint64 (seg->start, 0);
  fail_unless_equals_uint64 (seg->time,
      G_GUINT64_CONSTANT (1800000000000000000) - GST_WEATHER_MAX_LATENESS);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (seg,
          GST_WEATHER_MAX_LATENESS), G_GINT64_CONSTANT (1800000000000000000));
  gst_event_unref (ev);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- the network ---------------------------------------------------------- */

/* 10,000 readings (10 stations x 1000 ticks); the number dropped and
 * duplicated is binomial: accept 5 standard deviations. */
GST_START_TEST (test_drop_and_duplicate_rates)
{
  const gdouble p_drop = 0.2, p_dup = 0.1;
  const guint stations = 10, ticks = 1000, n = stations * ticks;
  GArray *rs;
  GByteArray *b;
  guint *copies = g_new0 (guint, n);
  guint i, dropped = 0, duplicated = 0, max_seq = 0, delivered;
  gdouble mean, sigma;
  gchar *props;

  props = g_strdup_printf ("stations=%u drop-probability=%g "
      "duplicate-probability=%g seed=7", stations, p_drop, p_dup);
  b = collect (props, 10500, &rs, NULL);

  for (i = 0; i < rs->len; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    max_seq = MAX (max_seq, r->sequence);
    if (r->sequence < ticks)
      copies[r->sequence * stations + r->station_id]++;
  }
  /* every reading of the first 1000 ticks had its chance to come out */
  fail_unless (max_seq > ticks + 1, "only %u ticks", max_seq);

  for (i = 0; i < n; i++) {
    fail_unless (copies[i] <= 2, "reading sent %u times", copies[i]);
    if (copies[i] == 0)
      dropped++;
    else if (copies[i] == 2)
      duplicated++;
  }

  mean = n * p_drop;
  sigma = sqrt (n * p_drop * (1 - p_drop));
  fail_unless (fabs (dropped - mean) <= 5 * sigma,
      "dropped %u, expected %.0f +- %.0f", dropped, mean, 5 * sigma);

  delivered = n - dropped;
  mean = delivered * p_dup;
  sigma = sqrt (delivered * p_dup * (1 - p_dup));
  fail_unless (fabs (duplicated - mean) <= 5 * sigma,
      "duplicated %u, expected %.0f +- %.0f", duplicated, mean, 5 * sigma);

  g_free (props);
  g_free (copies);
  g_array_unref (rs);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* A duplicate is the same reading with its own received_at. */
GST_START_TEST (test_duplicate_has_own_delay)
{
  GArray *rs;
  GByteArray *b = collect ("stations=5 duplicate-probability=1.0 "
      "jitter=1000000000 seed=3", 400, &rs, NULL);
  guint i, j, pairs = 0, differing = 0;

  for (i = 0; i < rs->len; i++) {
    GstWeatherReading *x = &g_array_index (rs, GstWeatherReading, i);
    for (j = i + 1; j < rs->len && j < i + 40; j++) {
      GstWeatherReading *y = &g_array_index (rs, GstWeatherReading, j);
      if (x->station_id == y->station_id && x->sequence == y->sequence) {
        pairs++;
        fail_unless_equals_int64 (x->created_at, y->created_at);
        fail_unless (x->pressure_hpa == y->pressure_hpa);
        fail_unless (x->temperature_c == y->temperature_c);
        if (x->received_at != y->received_at)
          differing++;
      }
    }
  }
  fail_unless (pairs > 150, "only %u duplicate pairs", pairs);
  fail_unless (differing > pairs * 9 / 10, "%u of %u copies share the delay",
      pairs - differing, pairs);
  g_array_unref (rs);
  g_byte_array_unref (b);
}

GST_END_TEST;

GST_START_TEST (test_delay_bounds)
{
  const gint64 delay = 50 * GST_MSECOND, jitter = 200 * GST_MSECOND;
  GArray *rs;
  GByteArray *b = collect ("stations=4 delay=50000000 jitter=200000000 "
      "period=100000000", 2000, &rs, NULL);
  gint64 lo = G_MAXINT64, hi = G_MININT64, last = 0;
  guint i;

  for (i = 0; i < rs->len; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    gint64 d = r->received_at - r->created_at;

    fail_unless (d >= delay && d <= delay + jitter, "delay %" G_GINT64_FORMAT,
        d);
    /* pushed in arrival order */
    fail_unless (r->received_at >= last);
    last = r->received_at;
    lo = MIN (lo, d);
    hi = MAX (hi, d);
  }
  /* the whole range is used */
  fail_unless (lo < delay + 5 * GST_MSECOND);
  fail_unless (hi > delay + jitter - 5 * GST_MSECOND);
  g_array_unref (rs);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* jitter > period: readings overtake each other, PTS go backwards, per
 * station too, while arrival times never do. */
GST_START_TEST (test_out_of_order_when_jitter_exceeds_period)
{
  GArray *rs, *pts;
  GByteArray *b = collect ("stations=3 jitter=3000000000", 600, &rs, &pts);
  guint64 last_seq[3] = { 0, 0, 0 };
  guint i, backwards = 0, station_backwards = 0;

  for (i = 1; i < rs->len; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    GstWeatherReading *p = &g_array_index (rs, GstWeatherReading, i - 1);

    fail_unless (r->received_at >= p->received_at);
    if (g_array_index (pts, GstClockTime, i) <
        g_array_index (pts, GstClockTime, i - 1))
      backwards++;
    if (r->sequence < last_seq[r->station_id])
      station_backwards++;
    last_seq[r->station_id] = MAX (last_seq[r->station_id], r->sequence);
  }
  fail_unless (backwards > 50, "only %u backward steps", backwards);
  fail_unless (station_backwards > 20, "only %u", station_backwards);
  g_array_unref (rs);
  g_array_unref (pts);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* Without jitter the order is the clean one, whatever the delay. */
GST_START_TEST (test_no_jitter_in_order)
{
  GArray *rs, *pts;
  GByteArray *b = collect ("stations=3 delay=2500000000", 300, &rs, &pts);
  guint i;

  for (i = 1; i < rs->len; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    fail_unless_equals_int (r->station_id, i % 3);
    fail_unless_equals_uint64 (r->sequence, i / 3);
    fail_unless_equals_int64 (r->received_at - r->created_at,
        2500 * GST_MSECOND);
    fail_unless (g_array_index (pts, GstClockTime, i) >=
        g_array_index (pts, GstClockTime, i - 1));
  }
  g_array_unref (rs);
  g_array_unref (pts);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* ---- live ------------------------------------------------------------------ */

static GstPadProbeReturn
count_pushes (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GArray *sizes = data;
  guint n = 1;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_array_append_val (sizes, n);
  return GST_PAD_PROBE_OK;
}


static GstHarness *
live_harness (const gchar * props, GstClockTime now)
{
  GstHarness *h = src_harness (props);

  g_object_set (h->element, "is-live", TRUE, NULL);
  gst_harness_use_testclock (h);
  gst_harness_set_time (h, now);
  return h;
}

static GstClockTime
pending_time (GstHarness * h)
{
  GstTestClock *clock = gst_harness_get_testclock (h);
  GstClockID id = NULL;
  GstClockTime t;

  fail_unless (gst_test_clock_peek_next_pending_id (clock, &id));
  t = gst_clock_id_get_time (id);
  gst_clock_id_unref (id);
  gst_object_unref (clock);
  return t;
}

/* Nothing leaves before its arrival instant; then it leaves with
 * received_at == that instant and PTS == created_at in running time. */
GST_START_TEST (test_live_push_instants)
{
  const GstClockTime now = T0 + 123 * GST_MSECOND;
  GstHarness *h = live_harness ("stations=2 delay=100000000", now);
  GstWeatherReading r;
  GstBuffer *buf;
  const GstSegment *seg;
  GstEvent *ev;
  guint i;

  gst_harness_play (h);

  for (i = 0; i < 3; i++) {
    GstClockTime arrival = now + i * GST_SECOND + 100 * GST_MSECOND;
    guint s;

    fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
    fail_unless_equals_uint64 (pending_time (h), arrival);
    fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

    fail_unless (gst_harness_crank_single_clock_wait (h));
    for (s = 0; s < 2; s++) {
      buf = gst_harness_pull (h);
      read_reading (buf, &r);
      fail_unless_equals_int (r.station_id, s);
      fail_unless_equals_int64 (r.created_at, now + i * GST_SECOND);
      fail_unless_equals_int64 (r.received_at, arrival);
      /* the harness's element has base time 0: origin 0 */
      fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), r.created_at);
      gst_buffer_unref (buf);
    }
  }

  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_parse_segment (ev, &seg);
  fail_unless_equals_uint64 (seg->time, 0);
  gst_event_unref (ev);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* With jitter: every wait is the arrival of the next reading pushed, and
 * at any moment everything pushed has arrived. */
GST_START_TEST (test_live_jitter_waits)
{
  const GstClockTime now = T0;
  GstHarness *h = live_harness ("stations=3 jitter=2500000000 seed=11 "
      "duplicate-probability=0.2", now);
  GstTestClock *clock = gst_harness_get_testclock (h);
  gint64 last = 0;
  guint i, pushed = 0, backwards = 0;
  GstClockTime last_pts = 0;

  gst_harness_play (h);
  for (i = 0; i < 60; i++) {
    GstClockTime t_now, next;
    GstBuffer *buf;
    gboolean first_pull = TRUE;

    fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
    t_now = gst_clock_get_time (GST_CLOCK (clock));
    next = pending_time (h);
    fail_unless (next > t_now);
    while ((buf = gst_harness_try_pull (h))) {
      GstWeatherReading r;

      read_reading (buf, &r);
      fail_unless (r.received_at <= (gint64) t_now);
      fail_unless (r.received_at >= last);
      if (first_pull && i > 0)
        fail_unless_equals_int64 (r.received_at, t_now);
      first_pull = FALSE;
      last = r.received_at;
      if (GST_BUFFER_PTS (buf) < last_pts)
        backwards++;
      last_pts = GST_BUFFER_PTS (buf);
      pushed++;
      gst_buffer_unref (buf);
    }
    fail_unless (gst_harness_crank_single_clock_wait (h));
  }
  fail_unless (pushed > 40, "pushed %u", pushed);
  fail_unless (backwards > 5, "PTS went back only %u times", backwards);
  gst_object_unref (clock);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Live and non-live runs with the same start-time give the same bytes. */
GST_START_TEST (test_live_same_bytes_as_replay)
{
  const gchar *props = "stations=4 jitter=1500000000 seed=5 "
      "drop-probability=0.1 duplicate-probability=0.1 "
      "start-time=1704067200000000000";
  GByteArray *replay = collect (props, 40, NULL, NULL);
  GByteArray *live = g_byte_array_new ();
  GstHarness *h = live_harness (props, T0);
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  GstPad *pad = gst_element_get_static_pad (h->element, "src");
  guint got = 0, i;

  /* live, each reading is pushed on its own when it arrives */
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_pushes, sizes, NULL);
  gst_object_unref (pad);
  gst_harness_play (h);
  while (got < 40) {
    GstBuffer *buf;

    fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
    while (got < 40 && (buf = gst_harness_try_pull (h))) {
      GstMapInfo map;
      gst_buffer_map (buf, &map, GST_MAP_READ);
      g_byte_array_append (live, map.data, map.size);
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
      got++;
    }
    if (got < 40)
      fail_unless (gst_harness_crank_single_clock_wait (h));
  }
  gst_harness_teardown (h);
  fail_unless (sizes->len >= 40);
  for (i = 0; i < sizes->len; i++)
    fail_unless_equals_int (g_array_index (sizes, guint, i), 1);
  g_array_unref (sizes);

  fail_unless_equals_int (live->len, replay->len);
  fail_unless (memcmp (live->data, replay->data, live->len) == 0);
  g_byte_array_unref (live);
  g_byte_array_unref (replay);
}

GST_END_TEST;

/* PLAYING -> PAUSED while waiting for a reading, then PLAYING again: the
 * wait is abandoned, nothing is lost, and the reading comes at its
 * instant. */
GST_START_TEST (test_live_pause_resume)
{
  GstHarness *h = live_harness ("stations=1 delay=200000000", T0);
  GstWeatherReading r;
  GstBuffer *buf;

  gst_harness_play (h);
  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
  fail_unless_equals_uint64 (pending_time (h), T0 + 200 * GST_MSECOND);

  fail_unless (gst_element_set_state (h->element, GST_STATE_PAUSED) ==
      GST_STATE_CHANGE_NO_PREROLL);
  gst_harness_set_time (h, T0 + 100 * GST_MSECOND);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless (gst_element_set_state (h->element, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_SUCCESS);

  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
  fail_unless_equals_uint64 (pending_time (h), T0 + 200 * GST_MSECOND);
  fail_unless (gst_harness_crank_single_clock_wait (h));
  buf = gst_harness_pull (h);
  read_reading (buf, &r);
  fail_unless_equals_uint64 (r.sequence, 0);
  fail_unless_equals_int64 (r.received_at, T0 + 200 * GST_MSECOND);
  gst_buffer_unref (buf);

  /* and the stream goes on */
  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
  fail_unless_equals_uint64 (pending_time (h), T0 + 1200 * GST_MSECOND);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Default start-time when live: the clock's time. */
GST_START_TEST (test_live_default_start_is_now)
{
  const GstClockTime now = T0 + 77 * HOUR + 5;
  GstHarness *h = live_harness ("stations=1", now);
  GstWeatherReading r;
  GstBuffer *buf;

  gst_harness_play (h);
  /* no delay: the first reading is due at once */
  buf = gst_harness_pull (h);
  read_reading (buf, &r);
  fail_unless_equals_int64 (r.created_at, now);
  fail_unless_equals_int64 (r.received_at, now);
  gst_buffer_unref (buf);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A monotonic clock forced on the pipeline is not the epoch: the origin,
 * and so "now" for the default start-time, is mapped through the wall
 * clock (gst_weather_origin_choose()), as for every live source. */
static GstPadProbeReturn
keep_first_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstBuffer **first = data;

  if (*first == NULL)
    *first = gst_buffer_ref (GST_PAD_PROBE_INFO_BUFFER (info));
  return GST_PAD_PROBE_OK;
}

GST_START_TEST (test_live_monotonic_clock_mapped_to_epoch)
{
  GstElement *pipeline = gst_parse_launch ("weathersrc name=src is-live=true "
      "stations=1 num-buffers=1 ! fakesink name=sink sync=false", NULL);
  GstClock *clock = g_object_new (GST_TYPE_SYSTEM_CLOCK, "clock-type",
      GST_CLOCK_TYPE_MONOTONIC, NULL);
  GstElement *sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  GstPad *pad = gst_element_get_static_pad (sink, "sink");
  GstBuffer *first = NULL;
  GstMessage *msg;
  GstWeatherReading r;
  gint64 wall;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, keep_first_buffer,
      &first, NULL);
  gst_pipeline_use_clock (GST_PIPELINE (pipeline), clock);
  wall = g_get_real_time () * 1000;
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (GST_ELEMENT_BUS (pipeline),
      30 * GST_SECOND, GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  fail_unless (first != NULL);
  read_reading (first, &r);
  fail_unless (ABS (r.created_at - wall) < 60 * GST_SECOND,
      "created_at %" G_GINT64_FORMAT " is not now (%" G_GINT64_FORMAT ")",
      r.created_at, wall);
  gst_buffer_unref (first);
  gst_object_unref (pad);
  gst_object_unref (sink);
  gst_object_unref (clock);
  gst_object_unref (pipeline);
}

GST_END_TEST;

GST_START_TEST (test_latency_query)
{
  GstHarness *h = src_harness ("delay=40000000 jitter=260000000");
  GstQuery *q;
  gboolean live;
  GstClockTime min, max;

  q = gst_query_new_latency ();
  fail_unless (gst_element_query (h->element, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_if (live);
  gst_query_unref (q);

  g_object_set (h->element, "is-live", TRUE, NULL);
  q = gst_query_new_latency ();
  fail_unless (gst_element_query (h->element, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 300 * GST_MSECOND);
  fail_unless (max == GST_CLOCK_TIME_NONE || max >= min);
  gst_query_unref (q);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_live_provides_realtime_clock)
{
  GstElement *src = gst_element_factory_make ("weathersrc", NULL);
  GstClock *clock;
  GstClockType type;

  fail_if (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_PROVIDE_CLOCK));
  g_object_set (src, "is-live", TRUE, NULL);
  fail_unless (GST_OBJECT_FLAG_IS_SET (src, GST_ELEMENT_FLAG_PROVIDE_CLOCK));
  clock = gst_element_provide_clock (src);
  fail_unless (GST_IS_SYSTEM_CLOCK (clock));
  g_object_get (clock, "clock-type", &type, NULL);
  fail_unless_equals_int (type, GST_CLOCK_TYPE_REALTIME);
  /* it reads as epoch ns */
  fail_unless (gst_clock_get_time (clock) > (GstClockTime) T0);
  gst_object_unref (clock);
  gst_object_unref (src);
}

GST_END_TEST;

/* ---- caps ------------------------------------------------------------------ */

GST_START_TEST (test_caps_carry_period)
{
  GstHarness *h = src_harness ("period=250000000 num-buffers=1");
  GstCaps *caps;
  const GstStructure *s;
  guint64 period = 0;
  gint version = 0;

  gst_harness_play (h);
  gst_buffer_unref (gst_harness_pull (h));
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s, GST_WEATHER_READING_MEDIA_TYPE));
  fail_unless (gst_structure_get_int (s, "version", &version));
  fail_unless_equals_int (version, 1);
  fail_unless (gst_structure_get (s, "period", G_TYPE_UINT64, &period, NULL));
  fail_unless_equals_uint64 (period, 250 * GST_MSECOND);
  gst_caps_unref (caps);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A downstream that wants another schema cannot link. */
GST_START_TEST (test_caps_refuse_other_schema)
{
  GstElement *pipe;
  GError *err = NULL;
  GstBus *bus;
  GstMessage *msg;

  pipe = gst_parse_launch ("weathersrc num-buffers=3 ! "
      "capsfilter caps=\"" GST_WEATHER_GROUP_CAPS "\" ! fakesink", &err);
  fail_unless (pipe != NULL);
  g_clear_error (&err);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* ---- plausibility ------------------------------------------------------ */

static gdouble
angle_diff (gdouble a, gdouble b)
{
  gdouble d = fmod (fabs (a - b), 360.0);
  return d > 180.0 ? 360.0 - d : d;
}

/* 5 stations over 4 days, a reading every 10 minutes each. */
GST_START_TEST (test_plausible_weather)
{
  const guint stations = 5, per_day = 144, days = 4;
  const guint n = stations * per_day * days;
  GArray *rs;
  GByteArray *b = collect ("stations=5 period=600000000000 seed=99", n,
      &rs, NULL);
  gdouble max_trend = 0, t_afternoon = 0, t_night = 0;
  gdouble sum_t = 0, sum_h = 0, sum_tt = 0, sum_hh = 0, sum_th = 0, corr;
  guint n_afternoon = 0, n_night = 0, i, count = 0;
  gdouble p_min = 2000, p_max = 0;

  for (i = 0; i < rs->len; i++) {
    GstWeatherReading *r = &g_array_index (rs, GstWeatherReading, i);
    gint hour = (gint) ((r->created_at / GST_SECOND) % 86400 / 3600);

    fail_unless (r->temperature_c > -40 && r->temperature_c < 50,
        "temperature %g", r->temperature_c);
    fail_unless (r->pressure_hpa >= 960 && r->pressure_hpa <= 1045,
        "pressure %g", r->pressure_hpa);
    fail_unless (r->humidity_pct >= 0 && r->humidity_pct <= 100,
        "humidity %g", r->humidity_pct);
    fail_unless (r->wind_speed_ms >= 0 && r->wind_speed_ms < 60,
        "wind %g", r->wind_speed_ms);
    fail_unless (r->wind_direction_deg >= 0 && r->wind_direction_deg < 360,
        "direction %g", r->wind_direction_deg);

    if (r->station_id != 0)
      continue;
    p_min = MIN (p_min, r->pressure_hpa);
    p_max = MAX (p_max, r->pressure_hpa);
    if (hour >= 13 && hour <= 16) {
      t_afternoon += r->temperature_c;
      n_afternoon++;
    } else if (hour >= 1 && hour <= 4) {
      t_night += r->temperature_c;
      n_night++;
    }
    sum_t += r->temperature_c;
    sum_h += r->humidity_pct;
    sum_tt += r->temperature_c * r->temperature_c;
    sum_hh += r->humidity_pct * r->humidity_pct;
    sum_th += r->temperature_c * r->humidity_pct;
    count++;

    /* the reading of the same station 3 h (18 ticks) later, and 10 min */
    if (i + stations * 18 < rs->len) {
      GstWeatherReading *later =
          &g_array_index (rs, GstWeatherReading, i + stations * 18);
      GstWeatherReading *next =
          &g_array_index (rs, GstWeatherReading, i + stations);
      fail_unless_equals_int (later->station_id, 0);
      max_trend = MAX (max_trend, fabs (later->pressure_hpa - r->pressure_hpa));
      /* slow changes: 10 minutes move little */
      fail_unless (angle_diff (next->wind_direction_deg,
              r->wind_direction_deg) < 30);
      fail_unless (fabs (next->pressure_hpa - r->pressure_hpa) < 1.5);
      fail_unless (fabs (next->temperature_c - r->temperature_c) < 1.5);
    }
  }

  fail_unless_equals_int (count, per_day * days);
  /* fronts: 3-hour trends of several hPa, pressure wanders */
  fail_unless (max_trend >= 2.0, "largest 3 h change %g hPa", max_trend);
  fail_unless (p_max - p_min >= 5.0, "pressure range %g", p_max - p_min);
  /* the daily cycle */
  fail_unless (t_afternoon / n_afternoon > t_night / n_night + 3.0,
      "afternoon %g, night %g", t_afternoon / n_afternoon, t_night / n_night);
  /* humidity falls when it warms */
  corr = (count * sum_th - sum_t * sum_h) /
      sqrt ((count * sum_tt - sum_t * sum_t) * (count * sum_hh -
          sum_h * sum_h));
  fail_unless (corr < -0.3, "temperature/humidity correlation %g", corr);

  g_array_unref (rs);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* Stations differ from each other but share the regional pressure. */
GST_START_TEST (test_stations_differ)
{
  GArray *rs;
  GByteArray *b = collect ("stations=4", 4, &rs, NULL);
  GstWeatherReading *a = &g_array_index (rs, GstWeatherReading, 0);
  guint i;

  for (i = 1; i < 4; i++) {
    GstWeatherReading *o = &g_array_index (rs, GstWeatherReading, i);
    fail_if (o->temperature_c == a->temperature_c &&
        o->humidity_pct == a->humidity_pct);
    fail_unless (fabs (o->pressure_hpa - a->pressure_hpa) < 8.0);
  }
  g_array_unref (rs);
  g_byte_array_unref (b);
}

GST_END_TEST;

/* ---- time properties at the edges of their ranges ------------------------ */

#define MAX_START (G_MAXINT64 - 2 * 3600 * GST_SECOND)

typedef struct
{
  const gchar *props;
  guint expected;               /* readings before EOS (of 12 asked for) */
} TimeEdge;

static const TimeEdge time_edges[] = {
  {"start-time=-1", 12},
  {"start-time=9223364836854775806", 12},       /* max - 1 */
  {"start-time=9223364836854775807", 12},       /* max */
  /* 24 h apart, only the first round arrives before the end of time */
  {"start-time=9223364836854775807 period=86400000000000", 2},
  {"start-time=9223364836854775807 delay=3600000000000 "
        "jitter=3600000000000", 2},
  {"period=1000000", 12},
  {"period=86399999999999", 12},
  {"period=86400000000000", 12},
  {"delay=0", 12},
  {"delay=3599999999999", 12},
  {"delay=3600000000000", 12},
  {"jitter=0", 12},
  {"jitter=3599999999999", 12},
  {"jitter=3600000000000", 12},
};

/* Every reading is valid (created_at and received_at within gint64, never
 * negative), arrives delay..delay+jitter after it was made, in arrival
 * order, with PTS = created_at - origin; at the end of representable time
 * the stream ends instead of wrapping around. */
GST_START_TEST (test_time_property_edges)
{
  const TimeEdge *edge = &time_edges[__i__];
  gchar *props = g_strdup_printf ("stations=2 num-buffers=12 %s",
      edge->props);
  GstHarness *h = src_harness (props);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (h->element), "start-time");
  GValue v = G_VALUE_INIT;
  guint64 delay, jitter;
  gint64 last_arrival = 0;
  const GstSegment *seg;
  GstBuffer *buf;
  GstEvent *ev;
  guint n = 0;

  /* the range is what the arithmetic holds */
  fail_unless_equals_int64 (G_PARAM_SPEC_INT64 (pspec)->maximum, MAX_START);
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, MAX_START + 1);
  fail_unless (g_param_value_validate (pspec, &v));
  g_value_unset (&v);

  g_object_get (h->element, "delay", &delay, "jitter", &jitter, NULL);
  gst_harness_play (h);
  while ((buf = gst_harness_pull (h))) {
    GstWeatherReading r;

    read_reading (buf, &r);
    fail_unless (r.created_at >= 0);
    fail_unless (r.received_at >= r.created_at + (gint64) delay);
    fail_unless ((guint64) (r.received_at - r.created_at) <= delay + jitter);
    fail_unless (r.received_at >= last_arrival);
    last_arrival = r.received_at;
    ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
    gst_event_parse_segment (ev, &seg);
    fail_unless_equals_int64 (gst_weather_segment_to_epoch (seg,
            GST_BUFFER_PTS (buf)), r.created_at);
    gst_event_unref (ev);
    gst_buffer_unref (buf);
    if (++n == edge->expected)
      break;
  }
  fail_unless_equals_int (n, edge->expected);
  /* then EOS, nothing else */
  pull_events_until_eos (h);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);
  g_free (props);
}

GST_END_TEST;

/* Live, a start-time at the end of the range: the reading is waited for at
 * its arrival instant, not at one that wrapped around into the past. */
GST_START_TEST (test_live_start_time_at_the_end)
{
  GstHarness *h = live_harness ("stations=1 start-time=9223364836854775807 "
      "delay=3600000000000 jitter=3600000000000", T0);

  gst_harness_play (h);
  fail_unless (gst_harness_wait_for_clock_id_waits (h, 1, 60));
  fail_unless (pending_time (h) >= (GstClockTime) MAX_START + 3600 *
      GST_SECOND);
  fail_unless (pending_time (h) <= (GstClockTime) G_MAXINT64);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- bad settings ---------------------------------------------------------- */

typedef struct
{
  const gchar *name;
  GType type;
  gdouble bad;
} BadValue;

static const BadValue bad_values[] = {
  {"stations", G_TYPE_UINT, 0},
  {"stations", G_TYPE_UINT, 2000000},
  {"period", G_TYPE_UINT64, 0},
  {"period", G_TYPE_UINT64, 999999},
  {"period", G_TYPE_UINT64, 86400e9 + 1},
  {"delay", G_TYPE_UINT64, 3600e9 + 1},
  {"jitter", G_TYPE_UINT64, 3600e9 + 1},
  {"drop-probability", G_TYPE_DOUBLE, -0.1},
  {"drop-probability", G_TYPE_DOUBLE, 1.0},
  {"duplicate-probability", G_TYPE_DOUBLE, -0.5},
  {"duplicate-probability", G_TYPE_DOUBLE, 1.5},
  {"start-time", G_TYPE_INT64, -2},
};

/* The param specs reject every out-of-range value, and setting one leaves
 * the property as it was. */
GST_START_TEST (test_property_validation)
{
  const BadValue *bv = &bad_values[__i__];
  GstElement *src = gst_element_factory_make ("weathersrc", NULL);
  GParamSpec *pspec =
      g_object_class_find_property (G_OBJECT_GET_CLASS (src), bv->name);
  GValue v = G_VALUE_INIT, before = G_VALUE_INIT, after = G_VALUE_INIT;

  fail_unless (pspec != NULL);
  g_value_init (&v, bv->type);
  if (bv->type == G_TYPE_UINT)
    g_value_set_uint (&v, (guint) bv->bad);
  else if (bv->type == G_TYPE_UINT64)
    g_value_set_uint64 (&v, (guint64) bv->bad);
  else if (bv->type == G_TYPE_INT64)
    g_value_set_int64 (&v, (gint64) bv->bad);
  else
    g_value_set_double (&v, bv->bad);

  /* TRUE: the value had to be changed to fit */
  fail_unless (g_param_value_validate (pspec, &v), "%s accepts %g",
      bv->name, bv->bad);

  g_value_unset (&v);
  g_value_init (&v, bv->type);
  g_value_init (&before, bv->type);
  g_value_init (&after, bv->type);
  g_object_get_property (G_OBJECT (src), bv->name, &before);
  if (bv->type == G_TYPE_UINT)
    g_value_set_uint (&v, (guint) bv->bad);
  else if (bv->type == G_TYPE_UINT64)
    g_value_set_uint64 (&v, (guint64) bv->bad);
  else if (bv->type == G_TYPE_INT64)
    g_value_set_int64 (&v, (gint64) bv->bad);
  else
    g_value_set_double (&v, bv->bad);
  ASSERT_WARNING (g_object_set_property (G_OBJECT (src), bv->name, &v));
  g_object_get_property (G_OBJECT (src), bv->name, &after);
  fail_unless (g_param_values_cmp (pspec, &before, &after) == 0,
      "%s changed", bv->name);

  g_value_unset (&v);
  g_value_unset (&before);
  g_value_unset (&after);
  gst_object_unref (src);
}

GST_END_TEST;

static GstMessage *
run_until_done (const gchar * launch)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (launch, &err);
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipe != NULL && err == NULL, "%s", err ? err->message : "");
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  fail_unless (msg != NULL);
  return msg;
}

/* Settings that would hold millions of readings in flight: a clear error,
 * not an exhausted machine. */
GST_START_TEST (test_too_many_in_flight)
{
  GstMessage *msg = run_until_done ("weathersrc stations=1000000 "
      "period=1000000 jitter=3600000000000 ! fakesink");
  GError *err = NULL;

  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS));
  fail_unless (strstr (err->message, "in flight") != NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
}

GST_END_TEST;

/* num-buffers ends the stream with EOS; the counters add up. */
GST_START_TEST (test_num_buffers_and_stats)
{
  GstHarness *h = src_harness ("stations=10 num-buffers=1000 seed=1 "
      "drop-probability=0.3 duplicate-probability=0.2");
  guint i;
  guint64 generated, dropped, duplicated, pushed;
  GstEvent *ev;

  gst_harness_play (h);
  for (i = 0; i < 1000; i++)
    gst_buffer_unref (gst_harness_pull (h));
  /* EOS follows the last buffer */
  do {
    ev = gst_harness_pull_event (h);
    fail_unless (ev != NULL);
    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS) {
      gst_event_unref (ev);
      break;
    }
    gst_event_unref (ev);
  } while (TRUE);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);

  generated = weather_stat_u64 (h->element, "generated");
  dropped = weather_stat_u64 (h->element, "dropped");
  duplicated = weather_stat_u64 (h->element, "duplicated");
  pushed = weather_stat_u64 (h->element, "pushed");
  fail_unless_equals_uint64 (pushed, 1000);
  fail_unless (dropped > 0 && duplicated > 0);
  fail_unless_equals_uint64 (generated % 10, 0);
  /* at most one tick's readings (and their duplicates) still in flight */
  fail_unless (generated - dropped + duplicated >= pushed);
  fail_unless (generated - dropped + duplicated <= pushed + 20);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- buffer lists and pools ---------------------------------------------- */

/* Not live, the readings go out in lists of up to 64, and num-buffers
 * still counts readings (test_live_same_bytes_as_replay: the same bytes
 * as live, one reading at a time). */
GST_START_TEST (test_replay_pushes_lists)
{
  GstHarness *h = src_harness ("stations=10 seed=4 jitter=3000000000 "
      "num-buffers=100");
  GArray *sizes = g_array_new (FALSE, FALSE, sizeof (guint));
  GByteArray *bytes = g_byte_array_new ();
  GstPad *pad = gst_element_get_static_pad (h->element, "src");
  guint i;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_pushes, sizes, NULL);
  gst_object_unref (pad);
  gst_harness_play (h);
  for (i = 0; i < 100; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstMapInfo map;

    fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
    g_byte_array_append (bytes, map.data, map.size);
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  }
  pull_events_until_eos (h);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  fail_unless_equals_int (sizes->len, 2);
  fail_unless_equals_int (g_array_index (sizes, guint, 0), 64);
  fail_unless_equals_int (g_array_index (sizes, guint, 1), 36);
  gst_harness_teardown (h);
  g_byte_array_unref (bytes);
  g_array_unref (sizes);
}

GST_END_TEST;

/* Answers the allocation query with a pool of @size-byte buffers. */
static GstPadProbeReturn
propose_pool (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);
  GstBufferPool *pool = data;
  GstStructure *config;
  guint size;

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  config = gst_buffer_pool_get_config (pool);
  fail_unless (gst_buffer_pool_config_get_params (config, NULL, &size, NULL,
          NULL));
  gst_structure_free (config);
  gst_query_add_allocation_pool (query, pool, size, 0, 0);
  return GST_PAD_PROBE_HANDLED;
}

static GstHarness *
harness_with_pool (const gchar * props, GstBufferPool * pool, guint size)
{
  GstHarness *h = src_harness (props);
  GstStructure *config = gst_buffer_pool_get_config (pool);

  gst_buffer_pool_config_set_params (config, NULL, size, 0, 0);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  gst_pad_add_probe (h->sinkpad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
      propose_pool, pool, NULL);
  return h;
}

/* With no pool proposed, the readings come from the element's own, and
 * go back to it. */
GST_START_TEST (test_own_pool_when_none_proposed)
{
  GstHarness *h = src_harness ("stations=3 num-buffers=10");
  GstBufferPool *pool;
  GstBuffer *buf;

  gst_harness_play (h);
  buf = gst_harness_pull (h);
  fail_unless (buf->pool != NULL);
  fail_unless_equals_string (G_OBJECT_TYPE_NAME (buf->pool),
      "GstWeatherPool");
  pool = gst_object_ref (buf->pool);
  gst_buffer_unref (buf);
  fail_unless (gst_buffer_pool_is_active (pool));
  gst_harness_teardown (h);
  /* stopped with the element: inactive, every buffer back */
  fail_unless (!gst_buffer_pool_is_active (pool));
  gst_object_unref (pool);
}

GST_END_TEST;

/* Downstream's pool is used when it proposes one. */
GST_START_TEST (test_downstream_pool_used)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstHarness *h = harness_with_pool ("stations=3 num-buffers=10", pool,
      GST_WEATHER_READING_SIZE);
  guint i;

  gst_harness_play (h);
  for (i = 0; i < 10; i++) {
    GstBuffer *buf = gst_harness_pull (h);
    GstWeatherReading r;

    fail_unless (buf->pool == pool);
    read_reading (buf, &r);
    gst_buffer_unref (buf);
  }
  gst_harness_teardown (h);
  gst_object_unref (pool);
}

GST_END_TEST;

/* ---- bad input ----------------------------------------------------------- */

/* A proposed pool whose buffers are too small for a reading: an error
 * naming the sizes, no buffer, no crash. */
GST_START_TEST (test_downstream_pool_too_small)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstHarness *h = harness_with_pool ("stations=3 num-buffers=10", pool, 16);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  gst_element_set_bus (h->element, bus);
  gst_harness_play (h);
  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_FAILED), "%s", err->message);
  fail_unless (strstr (dbg, "16 bytes") != NULL, "%s", dbg);
  g_error_free (err);
  g_free (dbg);
  gst_message_unref (msg);
  fail_unless_equals_int (gst_harness_buffers_in_queue (h), 0);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  gst_object_unref (pool);
}

GST_END_TEST;

/* ---- state changes ------------------------------------------------------- */

/* @reaches_playing: whether the sink gets a buffer soon enough to commit
 * PLAYING (a live source holding its first reading for an hour keeps the
 * sink's state change pending: going to NULL must still be immediate). */
static void
cycle_states (const gchar * launch, gboolean reaches_playing)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (launch, &err);
  guint i;

  fail_unless (pipe != NULL && err == NULL);
  for (i = 0; i < 5; i++) {
    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    if (reaches_playing)
      fail_unless (gst_element_get_state (pipe, NULL, NULL,
              30 * GST_SECOND) == GST_STATE_CHANGE_SUCCESS);
    fail_unless (gst_element_set_state (pipe, GST_STATE_NULL) ==
        GST_STATE_CHANGE_SUCCESS);
  }
  gst_object_unref (pipe);
}

GST_START_TEST (test_state_cycles)
{
  cycle_states ("weathersrc ! fakesink", TRUE);
  cycle_states ("weathersrc is-live=true period=1000000 ! fakesink", TRUE);
  cycle_states ("weathersrc is-live=true delay=3600000000000 ! fakesink",
      FALSE);
  cycle_states ("weathersrc num-buffers=10 ! fakesink sync=true", TRUE);
}

GST_END_TEST;

/* Stats restart with each run, and each run is the same stream. */
GST_START_TEST (test_restart_same_stream)
{
  GstHarness *h = src_harness ("stations=3 jitter=2000000000 seed=8 "
      "num-buffers=50");
  GByteArray *runs[2];
  guint run, i;

  for (run = 0; run < 2; run++) {
    runs[run] = g_byte_array_new ();
    gst_harness_play (h);
    for (i = 0; i < 50; i++) {
      GstBuffer *buf = gst_harness_pull (h);
      GstMapInfo map;
      gst_buffer_map (buf, &map, GST_MAP_READ);
      g_byte_array_append (runs[run], map.data, map.size);
      gst_buffer_unmap (buf, &map);
      gst_buffer_unref (buf);
    }
    gst_element_set_state (h->element, GST_STATE_NULL);
    while (gst_harness_try_pull (h));
    /* harness still holds the older buffers' events; no matter */
  }
  fail_unless (memcmp (runs[0]->data, runs[1]->data, runs[0]->len) == 0);
  g_byte_array_unref (runs[0]);
  g_byte_array_unref (runs[1]);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
weathersrc_suite (void)
{
  Suite *s = suite_create ("weathersrc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_same_seed_same_bytes);
  tcase_add_test (tc, test_other_seed_other_bytes);
  tcase_add_test (tc, test_clean_stream_layout);
  tcase_add_test (tc, test_start_time_and_segment);
  tcase_add_test (tc, test_drop_and_duplicate_rates);
  tcase_add_test (tc, test_duplicate_has_own_delay);
  tcase_add_test (tc, test_delay_bounds);
  tcase_add_test (tc, test_out_of_order_when_jitter_exceeds_period);
  tcase_add_test (tc, test_no_jitter_in_order);
  tcase_add_test (tc, test_live_push_instants);
  tcase_add_test (tc, test_live_jitter_waits);
  tcase_add_test (tc, test_live_same_bytes_as_replay);
  tcase_add_test (tc, test_live_pause_resume);
  tcase_add_test (tc, test_live_default_start_is_now);
  tcase_add_test (tc, test_live_monotonic_clock_mapped_to_epoch);
  tcase_add_test (tc, test_latency_query);
  tcase_add_test (tc, test_live_provides_realtime_clock);
  tcase_add_test (tc, test_caps_carry_period);
  tcase_add_test (tc, test_caps_refuse_other_schema);
  tcase_add_test (tc, test_plausible_weather);
  tcase_add_test (tc, test_stations_differ);
  tcase_add_loop_test (tc, test_property_validation, 0,
      G_N_ELEMENTS (bad_values));
  tcase_add_test (tc, test_too_many_in_flight);
  tcase_add_loop_test (tc, test_time_property_edges, 0,
      G_N_ELEMENTS (time_edges));
  tcase_add_test (tc, test_live_start_time_at_the_end);
  tcase_add_test (tc, test_num_buffers_and_stats);
  tcase_add_test (tc, test_replay_pushes_lists);
  tcase_add_test (tc, test_own_pool_when_none_proposed);
  tcase_add_test (tc, test_downstream_pool_used);
  tcase_add_test (tc, test_downstream_pool_too_small);
  tcase_add_test (tc, test_state_cycles);
  tcase_add_test (tc, test_restart_same_stream);
  return s;
}

GST_CHECK_MAIN (weathersrc);
