/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * End to end, not live: weathersrc -> demux -> reorderqueue per station ->
 * grouper -> predictor. For many seeds, the same readings delivered with
 * jitter inside the lateness budget give exactly the predictions of the
 * in-order delivery; the mixed-pad shape (one reorderqueue, one grouper
 * pad) gives them too.
 *
 * Live against not live: the same jittered mixed stream through grouper,
 * once as fast as possible and once live under a GstTestClock (each
 * reading pushed at its arrival time, the clock cranked from one window
 * deadline to the next), gives byte-identical groups.
 *
 * Keys: the same invariance with group-by=station and group-by=region;
 * three regions of four stations through weatherbin, jittered inside the
 * budget, give per region exactly the predictions of that region's
 * stations run alone; a region below its quorum is reported, not
 * predicted; keys appear and disappear in the middle of a stream.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/weather/weather.h>

#include "../weatherharness.h"

#define STATIONS 4
#define ROUNDS 150
#define PERIOD (GST_SECOND)
/* reorderqueue's budget; every jitter below stays inside it */
#define BUDGET (1500 * GST_MSECOND)

typedef struct
{
  guint8 record[GST_WEATHER_PREDICTION_SIZE];
  gint64 window_start;
} Record;

static GArray *run_pipeline_full (const gchar * desc, GPtrArray * messages);

/* Runs @desc (ending in "appsink name=out") to EOS and returns the
 * predictions it produced, in order. */
static GArray *
run_pipeline (const gchar * desc)
{
  return run_pipeline_full (desc, NULL);
}

/* The same; the element messages of the run are added to @messages
 * (GstStructure copies) when it is not NULL. */
static GArray *
run_pipeline_full (const gchar * desc, GPtrArray * messages)
{
  GError *err = NULL;
  GstElement *pipeline = gst_parse_launch (desc, &err);
  GstElement *sink;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Record));
  GstSample *sample;
  GstBus *bus;
  GstMessage *msg;

  fail_unless (pipeline != NULL, "%s: %s", desc, err ? err->message : "?");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  fail_unless (sink != NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  for (;;) {
    GstWeatherPrediction p;
    GstBuffer *buf;
    Record r;

    sample = NULL;
    g_signal_emit_by_name (sink, "pull-sample", &sample);
    if (!sample)
      break;
    buf = gst_sample_get_buffer (sample);
    fail_unless (gst_weather_prediction_from_buffer (buf, &p, NULL));
    memset (&r, 0, sizeof (r));
    gst_weather_prediction_write (&p, r.record);
    r.window_start = p.window_start;
    g_array_append_val (out, r);
    gst_sample_unref (sample);
  }

  bus = gst_element_get_bus (pipeline);
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR |
              GST_MESSAGE_ELEMENT))) {
    GError *e = NULL;

    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
      gst_message_parse_error (msg, &e, NULL);
      fail ("%s: error %s", desc, e->message);
    }
    if (messages)
      g_ptr_array_add (messages,
          gst_structure_copy (gst_message_get_structure (msg)));
    gst_message_unref (msg);
  }
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  return out;
}

static gchar *per_station_pipeline_keyed (guint seed, GstClockTime jitter,
    const gchar * grouper_props);

static gchar *
per_station_pipeline (guint seed, GstClockTime jitter)
{
  return per_station_pipeline_keyed (seed, jitter, "");
}

static gchar *
per_station_pipeline_keyed (guint seed, GstClockTime jitter,
    const gchar * grouper_props)
{
  GString *s = g_string_new (NULL);
  guint i;

  g_string_append_printf (s, "weathersrc stations=%u seed=%u period=%"
      G_GUINT64_FORMAT " jitter=%" G_GUINT64_FORMAT " num-buffers=%u "
      "! demux name=d ", STATIONS, seed, PERIOD, jitter, STATIONS * ROUNDS);
  for (i = 0; i < STATIONS; i++)
    g_string_append_printf (s, "d.src_%u ! queue ! reorderqueue latency=%"
        G_GUINT64_FORMAT " ! g.sink_%u ", i, BUDGET, i);
  g_string_append_printf (s, "grouper name=g %s ! predictor ! appsink "
      "name=out", grouper_props);
  return g_string_free (s, FALSE);
}

static gchar *
mixed_pipeline_keyed (guint seed, GstClockTime jitter,
    const gchar * grouper_props)
{
  return g_strdup_printf ("weathersrc stations=%u seed=%u period=%"
      G_GUINT64_FORMAT " jitter=%" G_GUINT64_FORMAT " num-buffers=%u "
      "! reorderqueue latency=%" G_GUINT64_FORMAT " ! grouper %s ! predictor "
      "! appsink name=out", STATIONS, seed, PERIOD, jitter,
      STATIONS * ROUNDS, BUDGET, grouper_props);
}

static gchar *
mixed_pipeline (guint seed, GstClockTime jitter)
{
  return mixed_pipeline_keyed (seed, jitter, "");
}

/* With jitter the stream is cut after the same number of buffers but not
 * the same readings: compare the windows every run has complete. */
static void
assert_same_predictions (GArray * a, GArray * b, const gchar * what)
{
  gint64 cutoff = GST_WEATHER_REPLAY_START + (ROUNDS - 3) * (gint64) PERIOD;
  guint i, compared = 0;

  for (i = 0; i < a->len && i < b->len; i++) {
    Record *ra = &g_array_index (a, Record, i);
    Record *rb = &g_array_index (b, Record, i);

    if (ra->window_start >= cutoff && rb->window_start >= cutoff)
      break;
    fail_unless_equals_int64 (ra->window_start, rb->window_start);
    fail_unless (memcmp (ra->record, rb->record, sizeof (ra->record)) == 0,
        "%s: prediction %u (window %" G_GINT64_FORMAT ") differs", what, i,
        ra->window_start);
    compared++;
  }
  /* every window before the cutoff was there in both */
  fail_unless (compared >= ROUNDS - 3, "%s: only %u predictions compared",
      what, compared);
}

/* Every prediction the same, window for window. */
static void
assert_all_same_predictions (GArray * a, GArray * b)
{
  guint i;

  fail_unless_equals_int (b->len, a->len);
  for (i = 0; i < a->len; i++) {
    Record *ra = &g_array_index (a, Record, i);
    Record *rb = &g_array_index (b, Record, i);

    fail_unless_equals_int64 (ra->window_start, rb->window_start);
    fail_unless (memcmp (ra->record, rb->record, sizeof (ra->record)) == 0,
        "prediction %u (window %" G_GINT64_FORMAT ") differs", i,
        ra->window_start);
  }
}

GST_START_TEST (test_jitter_inside_budget_same_predictions)
{
  guint seed = 1 + __i__;
  /* 0.1 .. 1.3 s of jitter, below the 1.5 s budget; above the 1 s period
   * readings of one station overtake each other */
  GstClockTime jitter = (100 + 300 * (__i__ % 5)) * GST_MSECOND;
  gchar *in_order_desc = per_station_pipeline (seed, 0);
  gchar *jitter_desc = per_station_pipeline (seed, jitter);
  gchar *mixed_desc = mixed_pipeline (seed, jitter);
  GArray *in_order = run_pipeline (in_order_desc);
  GArray *jittered = run_pipeline (jitter_desc);
  GArray *mixed = run_pipeline (mixed_desc);

  assert_same_predictions (in_order, jittered, "per-station pads, jitter");
  assert_same_predictions (in_order, mixed, "mixed pad, jitter");

  g_array_free (in_order, TRUE);
  g_array_free (jittered, TRUE);
  g_array_free (mixed, TRUE);
  g_free (in_order_desc);
  g_free (jitter_desc);
  g_free (mixed_desc);
}

GST_END_TEST;

/* The same per key: with group-by=station and group-by=region (two
 * regions of the four stations, from a stations file) the jittered
 * stream, per-station or mixed, gives the predictions of the in-order
 * one, key for key. */
GST_START_TEST (test_jitter_inside_budget_same_predictions_per_key)
{
  guint seed = 20 + __i__ / 2;
  GstClockTime jitter = (100 + 300 * (__i__ % 5)) * GST_MSECOND;
  gchar *file = NULL, *props;
  gchar *in_order_desc, *jitter_desc, *mixed_desc;
  GArray *in_order, *jittered, *mixed;
  GHashTable *keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  guint i;

  if (__i__ % 2) {
    GError *err = NULL;
    gint fd = g_file_open_tmp ("weather-regions-XXXXXX.csv", &file, &err);

    fail_unless (fd >= 0, "%s", err ? err->message : "?");
    close (fd);
    fail_unless (g_file_set_contents (file, "station,id,region\n"
            "sim-0,0,hills\nsim-1,1,hills\nsim-2,2,coast\nsim-3,3,coast\n",
            -1, NULL));
    props = g_strdup_printf ("group-by=region stations-file=%s", file);
  } else {
    props = g_strdup ("group-by=station");
  }
  in_order_desc = per_station_pipeline_keyed (seed, 0, props);
  jitter_desc = per_station_pipeline_keyed (seed, jitter, props);
  mixed_desc = mixed_pipeline_keyed (seed, jitter, props);
  in_order = run_pipeline (in_order_desc);
  jittered = run_pipeline (jitter_desc);
  mixed = run_pipeline (mixed_desc);

  /* every key had predictions of its own */
  for (i = 0; i < in_order->len; i++) {
    GstWeatherPrediction p;

    gst_weather_prediction_read (&p, g_array_index (in_order, Record,
            i).record);
    g_hash_table_add (keys, g_strdup (p.key.name));
  }
  fail_unless_equals_int (g_hash_table_size (keys), __i__ % 2 ? 2 : 4);
  fail_unless (in_order->len >= (__i__ % 2 ? 2 : 4) * (ROUNDS - 3));
  assert_same_predictions (in_order, jittered, "per-station pads, jitter");
  assert_same_predictions (in_order, mixed, "mixed pad, jitter");

  g_hash_table_destroy (keys);
  g_array_free (in_order, TRUE);
  g_array_free (jittered, TRUE);
  g_array_free (mixed, TRUE);
  g_free (in_order_desc);
  g_free (jitter_desc);
  g_free (mixed_desc);
  g_free (props);
  if (file) {
    g_unlink (file);
    g_free (file);
  }
}

GST_END_TEST;

/* The test must be able to fail: jitter far beyond the budget loses
 * readings as late, and the predictions differ. */
GST_START_TEST (test_jitter_beyond_budget_differs)
{
  gchar *in_order_desc = mixed_pipeline (7, 0);
  gchar *late_desc = g_strdup_printf ("weathersrc stations=%u seed=7 "
      "period=%" G_GUINT64_FORMAT " jitter=%" G_GUINT64_FORMAT
      " num-buffers=%u ! reorderqueue latency=%" G_GUINT64_FORMAT
      " ! grouper ! predictor ! appsink name=out", STATIONS, PERIOD,
      3 * PERIOD, STATIONS * ROUNDS, 10 * GST_MSECOND);
  GArray *in_order = run_pipeline (in_order_desc);
  GArray *late = run_pipeline (late_desc);
  guint i, differ = 0;

  for (i = 0; i < MIN (in_order->len, late->len); i++) {
    Record *ra = &g_array_index (in_order, Record, i);
    Record *rb = &g_array_index (late, Record, i);

    if (ra->window_start != rb->window_start ||
        memcmp (ra->record, rb->record, sizeof (ra->record)) != 0)
      differ++;
  }
  fail_unless (differ > 0 || in_order->len != late->len);

  g_array_free (in_order, TRUE);
  g_array_free (late, TRUE);
  g_free (in_order_desc);
  g_free (late_desc);
}

GST_END_TEST;

typedef struct
{
  GstClockTime arrival;         /* running time, or epoch ns in a file */
  GstWeatherReading reading;
} Arrival;

static gint
arrival_compare (gconstpointer a, gconstpointer b)
{
  const Arrival *x = a, *y = b;

  if (x->arrival != y->arrival)
    return x->arrival < y->arrival ? -1 : 1;
  return x->reading.station_id < y->reading.station_id ? -1 :
      (x->reading.station_id > y->reading.station_id ? 1 : 0);
}

#define LIVE_ROUNDS 40
#define LIVE_LATENCY (500 * GST_MSECOND)

/* Readings of STATIONS stations for LIVE_ROUNDS rounds, a few lost
 * (never station 0, so every window has a group), each arriving up to
 * 400 ms after it was made, sorted by arrival. */
static GArray *
jittered_stream (guint seed)
{
  GArray *a = g_array_new (FALSE, FALSE, sizeof (Arrival));
  GRand *rand = g_rand_new_with_seed (seed);
  guint k, i;

  for (k = 0; k < LIVE_ROUNDS; k++) {
    for (i = 0; i < STATIONS; i++) {
      Arrival x;
      GstClockTime made = k * GST_SECOND + i * 10 * GST_MSECOND;

      if (i > 0 && g_rand_int_range (rand, 0, 20) == 0)
        continue;
      gst_weather_reading_init (&x.reading);
      x.reading.station_id = i;
      x.reading.created_at = GST_WEATHER_REPLAY_START + (gint64) made;
      x.reading.sequence = k;
      x.reading.temperature_c = g_rand_double_range (rand, -5, 25);
      x.reading.pressure_hpa = g_rand_double_range (rand, 990, 1030);
      x.arrival = made + g_rand_int_range (rand, 0, 400) * GST_MSECOND;
      g_array_append_val (a, x);
    }
  }
  g_array_sort (a, arrival_compare);
  g_rand_free (rand);
  return a;
}

static GstHarness *
grouper_harness (gboolean live)
{
  GstHarness *h = weather_harness_new_by_name ("grouper", "sink_0", "src",
      live);
  GstSegment seg;

  if (live) {
    gst_harness_use_testclock (h);
    g_object_set (h->element, "latency", (guint64) LIVE_LATENCY, NULL);
  }
  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, GST_WEATHER_REPLAY_START);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  return h;
}

static void
push_arrival (GstHarness * h, const Arrival * x)
{
  GstBuffer *buf = gst_weather_reading_to_buffer (&x->reading);

  GST_BUFFER_PTS (buf) = x->reading.created_at - GST_WEATHER_REPLAY_START;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
}

static GPtrArray *
pull_all_groups (GstHarness * h)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstEvent *ev;
  GstBuffer *buf;

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  /* the EOS event comes after the last group */
  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      break;
  }
  while ((buf = gst_harness_try_pull (h)))
    g_ptr_array_add (groups, buf);
  return groups;
}

GST_START_TEST (test_live_and_nonlive_groups_agree)
{
  GArray *stream = jittered_stream (100 + __i__);
  GstHarness *nl = grouper_harness (FALSE);
  GstHarness *lv = grouper_harness (TRUE);
  GPtrArray *nl_groups, *lv_groups;
  guint i, next = 0, k;

  for (i = 0; i < stream->len; i++)
    push_arrival (nl, &g_array_index (stream, Arrival, i));
  nl_groups = pull_all_groups (nl);

  /* live: the readings that arrive before window k is due, then the clock
   * to that deadline, which must be exactly the one the grouper waits for */
  for (k = 0; k < LIVE_ROUNDS; k++) {
    GstClockTime deadline = (k + 1) * GST_SECOND + LIVE_LATENCY;
    GstTestClock *tc = gst_harness_get_testclock (lv);
    GstClockID id;

    while (next < stream->len &&
        g_array_index (stream, Arrival, next).arrival < deadline) {
      const Arrival *x = &g_array_index (stream, Arrival, next);

      if (x->arrival > gst_clock_get_time (GST_CLOCK (tc)))
        gst_harness_set_time (lv, x->arrival);
      push_arrival (lv, x);
      next++;
    }
    fail_unless (gst_harness_wait_for_clock_id_waits (lv, 1, 60));
    gst_test_clock_peek_next_pending_id (tc, &id);
    fail_unless_equals_uint64 (gst_clock_id_get_time (id), deadline);
    gst_clock_id_unref (id);
    gst_object_unref (tc);
    fail_unless (gst_harness_crank_single_clock_wait (lv));
  }
  lv_groups = pull_all_groups (lv);

  fail_unless_equals_int (lv_groups->len, LIVE_ROUNDS);
  fail_unless_equals_int (nl_groups->len, lv_groups->len);
  for (i = 0; i < nl_groups->len; i++) {
    GstBuffer *a = g_ptr_array_index (nl_groups, i);
    GstBuffer *b = g_ptr_array_index (lv_groups, i);
    GstMapInfo map;

    fail_unless (gst_buffer_map (a, &map, GST_MAP_READ));
    fail_unless_equals_int (map.size, gst_buffer_get_size (b));
    fail_unless (gst_buffer_memcmp (b, 0, map.data, map.size) == 0,
        "group %u differs", i);
    gst_buffer_unmap (a, &map);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (a), GST_BUFFER_PTS (b));
  }

  g_ptr_array_free (nl_groups, TRUE);
  g_ptr_array_free (lv_groups, TRUE);
  gst_harness_teardown (nl);
  gst_harness_teardown (lv);
  g_array_free (stream, TRUE);
}

GST_END_TEST;

/* ---- a replay whose first line is not its earliest ---------------------- */

/* Writes @readings (JSON lines, in the given order) to a new file; the
 * caller frees and unlinks the name. */
static gchar *
write_lines (GArray * readings)
{
  GString *text = g_string_new (NULL);
  GError *err = NULL;
  gchar *path;
  gint fd;
  guint i;

  for (i = 0; i < readings->len; i++) {
    gst_weather_reading_to_json (&g_array_index (readings, GstWeatherReading,
            i), text);
    g_string_append_c (text, '\n');
  }
  fd = g_file_open_tmp ("weather-replay-XXXXXX.jsonl", &path, &err);
  fail_unless (fd >= 0, "%s", err ? err->message : "?");
  close (fd);
  fail_unless (g_file_set_contents (path, text->str, text->len, &err), "%s",
      err ? err->message : "?");
  g_string_free (text, TRUE);
  return path;
}

static GArray *
replay_predictions_in (GArray * readings, GstClockTime latency,
    const gchar * layout)
{
  gchar *path = write_lines (readings);
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! weatherparse ! "
      "weatherbin latency=%" G_GUINT64_FORMAT " layout=%s ! predictor ! "
      "appsink name=out", path, latency, layout);
  GArray *out = run_pipeline (desc);

  g_unlink (path);
  g_free (path);
  g_free (desc);
  return out;
}

static GArray *
replay_predictions (GArray * readings, GstClockTime latency)
{
  return replay_predictions_in (readings, latency, "mixed");
}

static GstWeatherReading
replay_reading (guint station, gint64 created_at, GRand * rand)
{
  GstWeatherReading r;

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = created_at;
  r.temperature_c = g_rand_int_range (rand, -50, 250) / 10.0;
  r.pressure_hpa = g_rand_int_range (rand, 9900, 10300) / 10.0;
  return r;
}

/* The case of the time model: the file starts with a 2010-01-02 00:00
 * reading, the next line is 1 h older, the budget is 2 h: both readings
 * are within the budget, so both make a prediction. */
GST_START_TEST (test_replay_first_line_not_earliest)
{
  /* 2010-01-02T00:00:00Z */
  const gint64 midnight = G_GINT64_CONSTANT (1262390400) * GST_SECOND;
  GArray *readings = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  GRand *rand = g_rand_new_with_seed (1);
  GstWeatherReading r;
  GArray *out;

  r = replay_reading (1, midnight, rand);
  g_array_append_val (readings, r);
  r = replay_reading (1, midnight - 3600 * GST_SECOND, rand);
  g_array_append_val (readings, r);

  out = replay_predictions (readings, 2 * 3600 * GST_SECOND);
  fail_unless_equals_int (out->len, 2);
  fail_unless_equals_int64 (g_array_index (out, Record, 0).window_start,
      midnight - 3600 * GST_SECOND);
  fail_unless_equals_int64 (g_array_index (out, Record, 1).window_start,
      midnight);

  g_array_free (out, TRUE);
  g_array_free (readings, TRUE);
  g_rand_free (rand);
}

GST_END_TEST;

#define REPLAY_STATIONS 3
#define REPLAY_TICKS 40
#define REPLAY_PERIOD (10 * GST_SECOND)
#define REPLAY_BUDGET (120 * GST_SECOND)

/* Order invariance, whatever comes first: readings delayed by less than
 * the budget give exactly the predictions of the file in created_at
 * order. The readings cross a UTC midnight before 2024 and those before
 * it are delayed by almost the whole budget, so the file starts with a
 * reading of the next day. */
GST_START_TEST (test_replay_order_invariance_any_first_line)
{
  const gint64 midnight = G_GINT64_CONSTANT (1262390400) * GST_SECOND;
  /* 20 to 47 s before 2010-01-02T00:00:00Z, moved by the seed */
  const gint64 start = midnight - (20 + 3 * __i__) * GST_SECOND;
  gboolean first_after_midnight = TRUE;
  GRand *rand = g_rand_new_with_seed (500 + __i__);
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Arrival));
  GArray *in_order = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  GArray *shuffled = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  GArray *a, *b;
  guint k, s, i;

  for (k = 0; k < REPLAY_TICKS; k++) {
    for (s = 0; s < REPLAY_STATIONS; s++) {
      Arrival l;

      l.reading = replay_reading (s, start + k * REPLAY_PERIOD, rand);
      /* each arrives before any reading a budget newer than it */
      if (l.reading.created_at < midnight) {
        l.arrival = l.reading.created_at + 110 * GST_SECOND;
      } else if (s == 0 && first_after_midnight) {
        l.arrival = l.reading.created_at;
        first_after_midnight = FALSE;
      } else {
        l.arrival = l.reading.created_at +
            g_rand_int_range (rand, 0, 100) * GST_SECOND;
      }
      g_array_append_val (in_order, l.reading);
      g_array_append_val (lines, l);
    }
  }
  g_array_sort (lines, arrival_compare);
  for (i = 0; i < lines->len; i++)
    g_array_append_val (shuffled, g_array_index (lines, Arrival, i).reading);
  /* the test means something only if the first line is not the earliest
   * and the earliest lies on the day before the first line's */
  fail_unless (g_array_index (shuffled, GstWeatherReading, 0).created_at >
      start);
  fail_unless (g_array_index (shuffled, GstWeatherReading, 0).created_at /
      (86400 * GST_SECOND) > start / (86400 * GST_SECOND));

  a = replay_predictions (in_order, REPLAY_BUDGET);
  b = replay_predictions (shuffled, REPLAY_BUDGET);
  /* one window per tick: each reading is in its own second */
  fail_unless_equals_int (a->len, REPLAY_TICKS);
  assert_all_same_predictions (a, b);

  g_array_free (a, TRUE);
  g_array_free (b, TRUE);
  g_array_free (lines, TRUE);
  g_array_free (in_order, TRUE);
  g_array_free (shuffled, TRUE);
  g_rand_free (rand);
}

GST_END_TEST;

/* ---- readings from the future ---- */

#define YEARS_5 (G_GINT64_CONSTANT (5) * 365 * 24 * 3600 * GST_SECOND)
#define FUTURE_STATIONS 4
#define FUTURE_TICKS 60

/* Readings (Arrival: reading and arrival) of FUTURE_STATIONS stations, each
 * second for a minute, sorted by an arrival up to 1.5 s late; with
 * @bogus, a station 99 whose clock is 5 years ahead sends a reading every
 * 5 s among them (never first). The real readings are the same either
 * way. */
static GArray *
stream_with_future (guint seed, gboolean bogus)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Arrival));
  guint k, st;

  for (k = 0; k < FUTURE_TICKS; k++) {
    gint64 t = GST_WEATHER_REPLAY_START + k * GST_SECOND;

    for (st = 0; st < FUTURE_STATIONS; st++) {
      Arrival l;

      l.reading = replay_reading (st, t, rand);
      l.arrival = t + g_rand_int_range (rand, 0, 1500) * GST_MSECOND;
      g_array_append_val (lines, l);
    }
    if (bogus && k % 5 == 2) {
      Arrival l;

      gst_weather_reading_init (&l.reading);
      l.reading.station_id = 99;
      l.reading.created_at = t + YEARS_5;
      l.reading.pressure_hpa = 950;
      l.arrival = t + 700 * GST_MSECOND;
      g_array_append_val (lines, l);
    }
  }
  g_array_sort (lines, arrival_compare);
  g_rand_free (rand);
  return lines;
}

static GArray *
lines_readings (GArray * lines)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  guint i;

  for (i = 0; i < lines->len; i++)
    g_array_append_val (out, g_array_index (lines, Arrival, i).reading);
  return out;
}

/* A replay: the real readings give the same predictions with the readings
 * from the future mixed in as without them, in both layouts. */
GST_START_TEST (test_future_readings_replay_same_predictions)
{
  const gchar *layout = __i__ % 2 ? "per-station" : "mixed";
  GArray *clean_lines = stream_with_future (700 + __i__ / 2, FALSE);
  GArray *mixed_lines = stream_with_future (700 + __i__ / 2, TRUE);
  GArray *clean = lines_readings (clean_lines);
  GArray *mixed = lines_readings (mixed_lines);
  GArray *a, *b;

  fail_unless (mixed->len > clean->len);
  a = replay_predictions_in (clean, 2 * GST_SECOND, layout);
  b = replay_predictions_in (mixed, 2 * GST_SECOND, layout);
  fail_unless (a->len >= FUTURE_TICKS - 2);
  assert_all_same_predictions (a, b);
  g_array_free (a, TRUE);
  g_array_free (b, TRUE);
  g_array_free (clean, TRUE);
  g_array_free (mixed, TRUE);
  g_array_free (clean_lines, TRUE);
  g_array_free (mixed_lines, TRUE);
}

GST_END_TEST;

/* ---- regions through weatherbin ------------------------------------- */

#define REGIONS 3
#define REGION_STATIONS 4
#define REGION_PERIOD (60 * GST_SECOND)
#define REGION_WINDOW (600 * GST_SECOND)
#define REGION_BUDGET (120 * GST_SECOND)
/* four hours: more than the 3-hour trend, so that every region's history
 * makes its own trends */
#define REGION_TICKS 240

static const gchar *region_names[REGIONS] = { "hills", "coast", "plain" };

/* Readings of REGIONS x REGION_STATIONS stations named "<region>-<n>"
 * (ids: the hash of the name), one a minute for four hours, each region's
 * pressure going its own way, a few lost, sorted by an arrival up to
 * 0.9 budget late. Stations of @silent_region numbered @silent_from and
 * above never send. */
static GArray *
region_stream (guint seed, gint silent_region, guint silent_from)
{
  GRand *rand = g_rand_new_with_seed (seed);
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Arrival));
  guint k, r, n;

  for (k = 0; k < REGION_TICKS; k++) {
    gint64 t = GST_WEATHER_REPLAY_START + k * (gint64) REGION_PERIOD;

    for (r = 0; r < REGIONS; r++) {
      /* hills rise, the coast falls, the plain stays */
      gdouble base = 1010.0 + ((gint) r - 1) * -8.0 +
          ((gint) r == 0 ? 1.0 : (r == 1 ? -1.0 : 0.0)) * k / 60.0;

      for (n = 0; n < REGION_STATIONS; n++) {
        gchar name[32];
        Arrival l;

        if ((gint) r == silent_region && n >= silent_from)
          continue;
        if (g_rand_int_range (rand, 0, 40) == 0)
          continue;
        g_snprintf (name, sizeof (name), "%s-%u", region_names[r], n);
        gst_weather_reading_init (&l.reading);
        fail_unless (gst_weather_reading_set_station_name (&l.reading, name,
                NULL));
        l.reading.station_id = gst_weather_station_id_from_name (name);
        l.reading.created_at = t + n * GST_SECOND;
        l.reading.sequence = k;
        l.reading.temperature_c = g_rand_int_range (rand, -50, 250) / 10.0;
        l.reading.pressure_hpa = base + g_rand_int_range (rand, -20, 20) / 10.0;
        l.reading.wind_speed_ms = g_rand_int_range (rand, 0, 100) / 10.0;
        l.reading.wind_direction_deg = g_rand_int_range (rand, 0, 3600) / 10.0;
        l.arrival = l.reading.created_at +
            g_rand_int_range (rand, 0, 108) * GST_SECOND;
        g_array_append_val (lines, l);
      }
    }
  }
  g_array_sort (lines, arrival_compare);
  g_rand_free (rand);
  return lines;
}

/* The readings of @lines of region @region (-1: all), in arrival order. */
static GArray *
region_readings (GArray * lines, gint region)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  guint i;

  for (i = 0; i < lines->len; i++) {
    const GstWeatherReading *r = &g_array_index (lines, Arrival, i).reading;

    if (region < 0 || g_str_has_prefix (r->station_name, region_names[region]))
      g_array_append_val (out, *r);
  }
  return out;
}

static gchar *
region_stations_file (void)
{
  GString *text = g_string_new ("station,region\n");
  GError *err = NULL;
  gchar *path;
  guint r, n;
  gint fd;

  for (r = 0; r < REGIONS; r++)
    for (n = 0; n < REGION_STATIONS; n++)
      g_string_append_printf (text, "%s-%u,%s\n", region_names[r], n,
          region_names[r]);
  fd = g_file_open_tmp ("weather-regions-XXXXXX.csv", &path, &err);
  fail_unless (fd >= 0, "%s", err ? err->message : "?");
  close (fd);
  fail_unless (g_file_set_contents (path, text->str, -1, &err), "%s",
      err ? err->message : "?");
  g_string_free (text, TRUE);
  return path;
}

/* Replays @readings through weatherbin (@layout, @bin_props) and
 * predictor; element messages go to @messages when not NULL. */
static GArray *
region_predictions (GArray * readings, const gchar * layout,
    const gchar * bin_props, GPtrArray * messages)
{
  gchar *path = write_lines (readings);
  gchar *desc = g_strdup_printf ("filesrc location=\"%s\" ! weatherparse ! "
      "weatherbin layout=%s latency=%" G_GUINT64_FORMAT " window=%"
      G_GUINT64_FORMAT " %s ! predictor ! appsink name=out", path, layout,
      REGION_BUDGET, REGION_WINDOW, bin_props);
  GArray *out = run_pipeline_full (desc, messages);

  g_unlink (path);
  g_free (path);
  g_free (desc);
  return out;
}

/* The predictions of key @name among @all, in order. */
static GArray *
key_predictions (GArray * all, const gchar * name)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Record));
  guint i;

  for (i = 0; i < all->len; i++) {
    GstWeatherPrediction p;

    gst_weather_prediction_read (&p, g_array_index (all, Record, i).record);
    if (g_str_equal (p.key.name, name))
      g_array_append_val (out, g_array_index (all, Record, i));
  }
  return out;
}

/* Three regions of four stations, jittered inside the budget, through
 * weatherbin group-by=region: per region exactly the predictions of that
 * region's stations run alone, in either layout; and those are the
 * predictions group-by=all makes of the region alone, but for the key. */
GST_START_TEST (test_regions_as_alone)
{
  const gchar *layout = __i__ % 2 ? "per-station" : "mixed";
  GArray *lines = region_stream (900 + __i__, -1, 0);
  GArray *everyone = region_readings (lines, -1);
  gchar *file = region_stations_file ();
  gchar *props = g_strdup_printf ("group-by=region stations-file=%s", file);
  GArray *together = region_predictions (everyone, layout, props, NULL);
  guint r, i, total = 0;

  for (r = 0; r < REGIONS; r++) {
    GArray *mine = region_readings (lines, r);
    GArray *alone = region_predictions (mine, layout, props, NULL);
    GArray *alone_all = region_predictions (mine, layout, "", NULL);
    GArray *in_together = key_predictions (together, region_names[r]);
    gboolean estimated_only = TRUE;

    /* every window of four hours */
    fail_unless_equals_int (alone->len, REGION_TICKS * REGION_PERIOD /
        REGION_WINDOW);
    assert_all_same_predictions (in_together, alone);
    fail_unless_equals_int (alone_all->len, alone->len);
    for (i = 0; i < alone->len; i++) {
      const Record *a = &g_array_index (alone, Record, i);
      const Record *b = &g_array_index (alone_all, Record, i);
      GstWeatherPrediction p;

      /* the first 128 bytes are version 1's record: all but the key */
      fail_unless (memcmp (a->record, b->record,
              GST_WEATHER_PREDICTION_V1_SIZE) == 0, "region %s window %u",
          region_names[r], i);
      gst_weather_prediction_read (&p, a->record);
      fail_unless_equals_int (p.key.kind, GST_WEATHER_KEY_REGION);
      fail_unless_equals_int (p.stations_used + p.stations_missing,
          REGION_STATIONS);
      if (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED))
        estimated_only = FALSE;
      gst_weather_prediction_read (&p, b->record);
      fail_unless_equals_int (p.key.kind, GST_WEATHER_KEY_ALL);
    }
    /* after three hours the trend is each region's own */
    fail_if (estimated_only);
    total += in_together->len;
    g_array_free (in_together, TRUE);
    g_array_free (alone, TRUE);
    g_array_free (alone_all, TRUE);
    g_array_free (mine, TRUE);
  }
  /* nothing but the three regions */
  fail_unless_equals_int (together->len, total);

  g_array_free (together, TRUE);
  g_array_free (everyone, TRUE);
  g_array_free (lines, TRUE);
  g_unlink (file);
  g_free (file);
  g_free (props);
}

GST_END_TEST;

/* A region whose stations present stay below min-stations is reported
 * (grouper's weather-group message with its key, skipped; the skipped
 * count) and not predicted; the others are. */
GST_START_TEST (test_region_below_quorum_reported)
{
  const gchar *layout = __i__ % 2 ? "per-station" : "mixed";
  /* the plain has two stations only */
  GArray *lines = region_stream (950, 2, 2);
  GArray *everyone = region_readings (lines, -1);
  gchar *file = region_stations_file ();
  gchar *props = g_strdup_printf ("group-by=region stations-file=%s "
      "min-stations=3 quorum-policy=skip grouper::post-messages=true", file);
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_structure_free);
  GArray *out = region_predictions (everyone, layout, props, messages);
  GArray *plain = key_predictions (out, "plain");
  GArray *hills = key_predictions (out, "hills");
  GArray *coast = key_predictions (out, "coast");
  const guint windows = REGION_TICKS * REGION_PERIOD / REGION_WINDOW;
  guint i, skipped_plain = 0, other_skips = 0;

  fail_unless_equals_int (plain->len, 0);
  fail_unless_equals_int (hills->len, windows);
  fail_unless_equals_int (coast->len, windows);
  for (i = 0; i < messages->len; i++) {
    const GstStructure *st = g_ptr_array_index (messages, i);
    gboolean skipped = FALSE;

    if (!gst_structure_has_name (st, "weather-group"))
      continue;
    fail_unless (gst_structure_get_boolean (st, "skipped", &skipped));
    if (skipped && g_strcmp0 (gst_structure_get_string (st, "key-name"),
            "plain") == 0)
      skipped_plain++;
    else if (skipped)
      other_skips++;
  }
  fail_unless_equals_int (skipped_plain, windows);
  fail_unless_equals_int (other_skips, 0);

  g_array_free (plain, TRUE);
  g_array_free (hills, TRUE);
  g_array_free (coast, TRUE);
  g_array_free (out, TRUE);
  g_ptr_array_free (messages, TRUE);
  g_array_free (everyone, TRUE);
  g_array_free (lines, TRUE);
  g_unlink (file);
  g_free (file);
  g_free (props);
}

GST_END_TEST;

/* Keys that come and go within one stream: a region appears after an
 * hour, another's stations stop after two; the stopped region's groups
 * end (station-timeout), its history is forgotten once silent past the
 * trend horizon, and the region that came later gets predictions from its
 * first window on. */
GST_START_TEST (test_regions_come_and_go)
{
  GArray *lines = region_stream (970, -1, 0);
  GArray *kept = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  const gint64 hour = 3600 * GST_SECOND;
  gchar *file = region_stations_file ();
  gchar *path, *desc;
  GstElement *pipeline, *sink, *predictor;
  GstStructure *st;
  GstSample *sample;
  GArray *out = g_array_new (FALSE, FALSE, sizeof (Record));
  GArray *coast, *plain, *hills;
  guint64 forgotten = 0;
  guint i;

  /* the coast starts at 1 h, the plain stops at 2 h; the hills go on */
  for (i = 0; i < lines->len; i++) {
    const GstWeatherReading *r = &g_array_index (lines, Arrival, i).reading;
    gint64 t = r->created_at - GST_WEATHER_REPLAY_START;

    if (g_str_has_prefix (r->station_name, "coast") && t < hour)
      continue;
    if (g_str_has_prefix (r->station_name, "plain") && t >= 2 * hour)
      continue;
    g_array_append_val (kept, *r);
  }
  /* and the hills for 3 h 30 min more, so the plain is silent past the
   * trend horizon */
  for (i = 0; i < 210; i++) {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    fail_unless (gst_weather_reading_set_station_name (&r, "hills-0", NULL));
    r.station_id = gst_weather_station_id_from_name ("hills-0");
    r.created_at = GST_WEATHER_REPLAY_START + 4 * hour + i * 60 * GST_SECOND;
    r.sequence = 1000 + i;
    r.pressure_hpa = 1003;
    g_array_append_val (kept, r);
  }
  path = write_lines (kept);
  desc = g_strdup_printf ("filesrc location=\"%s\" ! weatherparse ! "
      "weatherbin latency=%" G_GUINT64_FORMAT " window=%" G_GUINT64_FORMAT
      " group-by=region stations-file=%s station-timeout=%" G_GUINT64_FORMAT
      " ! predictor name=p ! appsink name=out sync=false", path,
      REGION_BUDGET, REGION_WINDOW, file, 15 * 60 * GST_SECOND);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "out");
  predictor = gst_bin_get_by_name (GST_BIN (pipeline), "p");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (TRUE) {
    Record rec;
    GstWeatherPrediction p;

    sample = NULL;
    g_signal_emit_by_name (sink, "pull-sample", &sample);
    if (!sample)
      break;
    fail_unless (gst_weather_prediction_from_buffer (gst_sample_get_buffer
            (sample), &p, NULL));
    gst_weather_prediction_write (&p, rec.record);
    rec.window_start = p.window_start;
    g_array_append_val (out, rec);
    gst_sample_unref (sample);
  }
  g_object_get (predictor, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, "keys-forgotten", &forgotten));
  gst_structure_free (st);
  gst_element_set_state (pipeline, GST_STATE_NULL);

  coast = key_predictions (out, "coast");
  plain = key_predictions (out, "plain");
  hills = key_predictions (out, "hills");
  /* the coast from its first window, 1 h, to the end of its readings */
  fail_unless (coast->len > 0);
  fail_unless_equals_int64 (g_array_index (coast, Record, 0).window_start,
      GST_WEATHER_REPLAY_START + hour);
  fail_unless_equals_int (coast->len, 3 * hour / REGION_WINDOW);
  /* the plain up to its last readings, then nothing */
  fail_unless_equals_int (plain->len, 2 * hour / REGION_WINDOW);
  fail_unless_equals_int64 (g_array_index (plain, Record, plain->len -
          1).window_start, GST_WEATHER_REPLAY_START + 2 * hour - REGION_WINDOW);
  fail_unless_equals_int (hills->len, (4 * hour + 210 * 60 * GST_SECOND) /
      REGION_WINDOW);
  /* silent for longer than 3 h 10 min: the plain's and the coast's
   * histories are forgotten */
  fail_unless_equals_uint64 (forgotten, 2);

  g_array_free (coast, TRUE);
  g_array_free (plain, TRUE);
  g_array_free (hills, TRUE);
  g_array_free (out, TRUE);
  gst_object_unref (predictor);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  g_unlink (path);
  g_free (path);
  g_unlink (file);
  g_free (file);
  g_array_free (kept, TRUE);
  g_array_free (lines, TRUE);
}

GST_END_TEST;

static Suite *
endtoend_suite (void)
{
  Suite *s = suite_create ("endtoend");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_jitter_inside_budget_same_predictions, 0, 10);
  tcase_add_test (tc, test_jitter_beyond_budget_differs);
  tcase_add_loop_test (tc, test_live_and_nonlive_groups_agree, 0, 5);
  tcase_add_test (tc, test_replay_first_line_not_earliest);
  tcase_add_loop_test (tc, test_replay_order_invariance_any_first_line, 0, 10);
  tcase_add_loop_test (tc, test_future_readings_replay_same_predictions, 0, 6);
  tcase_add_loop_test (tc, test_jitter_inside_budget_same_predictions_per_key,
      0, 6);
  tcase_add_loop_test (tc, test_regions_as_alone, 0, 4);
  tcase_add_loop_test (tc, test_region_below_quorum_reported, 0, 2);
  tcase_add_test (tc, test_regions_come_and_go);
  return s;
}

GST_CHECK_MAIN (endtoend);
