/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The central property of demux ! reorderqueue, for many seeds:
 *
 * - a weathersrc stream whose delivery jitter stays inside the lateness
 *   budget gives, per station, exactly the readings and GAPs of the same
 *   stream delivered without jitter;
 * - with jitter beyond the budget, every reading that enters demux either
 *   leaves in order (once) or is counted as late or duplicate, and the
 *   counts add up exactly to the input.
 *
 * Non-live, so each run takes milliseconds.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#define N_STATIONS 4
#define N_TICKS 30
#define PERIOD GST_SECOND
/* readings made at or after this PTS are kept out of the comparison: a
 * jittered stream cut after num-buffers buffers misses different ones.
 * A replay's first reading has PTS GST_WEATHER_MAX_LATENESS (its origin
 * lies that far before it). */
#define T_END (GST_WEATHER_MAX_LATENESS + N_TICKS * PERIOD)
#define N_SEEDS 20

typedef struct
{
  GMutex lock;
  /* per station: what reached the fakesink, in order */
  GPtrArray *out[N_STATIONS];
  /* per station: created_at of every output reading, in order */
  GArray *out_created[N_STATIONS];
  /* what entered demux: "station:created_at" -> content */
  GHashTable *input;
  guint64 forwarded;
  guint64 pushed, late, duplicates, invalid, overflow, reordered, gaps;
} Run;

static void
run_init (Run * run)
{
  guint i;

  memset (run, 0, sizeof (*run));
  g_mutex_init (&run->lock);
  for (i = 0; i < N_STATIONS; i++) {
    run->out[i] = g_ptr_array_new_with_free_func (g_free);
    run->out_created[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
  }
  run->input = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
run_clear (Run * run)
{
  guint i;

  for (i = 0; i < N_STATIONS; i++) {
    g_ptr_array_unref (run->out[i]);
    g_array_unref (run->out_created[i]);
  }
  g_hash_table_destroy (run->input);
  g_mutex_clear (&run->lock);
}

/* Everything the reading says except received_at, which jitter changes. */
static gchar *
reading_content (const GstWeatherReading * r)
{
  return g_strdup_printf ("%u/%" G_GINT64_FORMAT "/%" G_GUINT64_FORMAT
      "/%.17g/%.17g/%.17g/%.17g/%.17g/%s", r->station_id, r->created_at,
      r->sequence, r->temperature_c, r->pressure_hpa, r->humidity_pct,
      r->wind_speed_ms, r->wind_direction_deg, r->station_name);
}

/* Records a reading of the source; FALSE for one past T_END, which the
 * test drops. */
static gboolean
record_input (Run * run, GstBuffer * buf)
{
  GstWeatherReading r;

  if (GST_BUFFER_PTS (buf) >= T_END)
    return FALSE;
  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless (r.station_id < N_STATIONS);
  g_mutex_lock (&run->lock);
  run->forwarded++;
  g_hash_table_insert (run->input, g_strdup_printf ("%u:%" G_GINT64_FORMAT,
          r.station_id, r.created_at), reading_content (&r));
  g_mutex_unlock (&run->lock);
  return TRUE;
}

static gboolean
record_list_input (GstBuffer ** buf, guint idx, gpointer run)
{
  if (!record_input (run, *buf))
    gst_clear_buffer (buf);
  return TRUE;
}

/* weathersrc pushes buffer lists when not live */
static GstPadProbeReturn
source_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBufferList *list;

  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER)
    return record_input (user_data, GST_PAD_PROBE_INFO_BUFFER (info)) ?
        GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;

  list = gst_buffer_list_make_writable (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  GST_PAD_PROBE_INFO_DATA (info) = list;
  gst_buffer_list_foreach (list, record_list_input, user_data);
  return gst_buffer_list_length (list) > 0 ?
      GST_PAD_PROBE_OK : GST_PAD_PROBE_DROP;
}

/* Called with run->lock. */
static void
record_output (Run * run, guint station, GstBuffer * buffer)
{
  GstWeatherReading r;

  fail_unless (gst_weather_reading_from_buffer (buffer, &r, NULL));
  fail_unless_equals_int (r.station_id, station);
  g_ptr_array_add (run->out[station], reading_content (&r));
  g_array_append_val (run->out_created[station], r.created_at);
}

static GstPadProbeReturn
sink_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Run *run = user_data;
  guint station = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (pad),
          "station"));

  g_mutex_lock (&run->lock);
  if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER) {
    record_output (run, station, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (GST_PAD_PROBE_INFO_TYPE (info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i, n = gst_buffer_list_length (list);

    /* reorderqueue pushes what it releases together as a list */
    for (i = 0; i < n; i++)
      record_output (run, station, gst_buffer_list_get (list, i));
  } else {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);

    if (GST_EVENT_TYPE (ev) == GST_EVENT_GAP) {
      GstClockTime ts, dur;

      gst_event_parse_gap (ev, &ts, &dur);
      g_ptr_array_add (run->out[station], g_strdup_printf ("GAP %"
              G_GUINT64_FORMAT "+%" G_GUINT64_FORMAT, ts, dur));
    }
  }
  g_mutex_unlock (&run->lock);
  return GST_PAD_PROBE_OK;
}

static void
add_stats (Run * run, GstElement * rq)
{
  GstStructure *s;
  guint64 v;

  g_object_get (rq, "stats", &s, NULL);
#define ADD(field, member) \
  fail_unless (gst_structure_get_uint64 (s, field, &v)); run->member += v;
  ADD ("pushed", pushed);
  ADD ("late", late);
  ADD ("duplicates", duplicates);
  ADD ("invalid", invalid);
  ADD ("overflow", overflow);
  ADD ("reordered", reordered);
  ADD ("gaps", gaps);
#undef ADD
  gst_structure_free (s);
}

/* weathersrc ! demux ! (reorderqueue ! fakesink) per station, to EOS;
 * @mixed: weathersrc ! reorderqueue ! demux ! fakesink per station. */
static void
run_pipeline_full (Run * run, gboolean mixed, guint seed, guint64 jitter,
    gdouble duplicate, gdouble drop, guint64 latency, guint max_size_buffers,
    guint64 idle_timeout)
{
  GString *desc = g_string_new (NULL);
  gchar dup_str[G_ASCII_DTOSTR_BUF_SIZE], drop_str[G_ASCII_DTOSTR_BUF_SIZE];
  GstElement *pipeline, *e;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  guint i, num_buffers;

  /* enough buffers to get past T_END + jitter in arrival order */
  num_buffers = 2 * N_STATIONS * (N_TICKS + jitter / PERIOD + 4);
  g_string_append_printf (desc, "weathersrc name=src stations=%u seed=%u "
      "period=%" G_GUINT64_FORMAT " jitter=%" G_GUINT64_FORMAT
      " duplicate-probability=%s drop-probability=%s num-buffers=%u ! ",
      N_STATIONS, seed, (guint64) PERIOD, jitter,
      g_ascii_dtostr (dup_str, sizeof (dup_str), duplicate),
      g_ascii_dtostr (drop_str, sizeof (drop_str), drop), num_buffers);
  if (mixed)
    g_string_append_printf (desc, "reorderqueue name=rq0 latency=%"
        G_GUINT64_FORMAT " max-size-buffers=%u ! ", latency, max_size_buffers);
  g_string_append_printf (desc, "demux name=d idle-timeout=%"
      G_GUINT64_FORMAT " ", idle_timeout);
  for (i = 0; i < N_STATIONS; i++) {
    g_string_append_printf (desc, "d.src_%u ! queue ! ", i);
    if (!mixed)
      g_string_append_printf (desc, "reorderqueue name=rq%u latency=%"
          G_GUINT64_FORMAT " max-size-buffers=%u ! ", i, latency,
          max_size_buffers);
    g_string_append_printf (desc, "fakesink name=s%u sync=false async=false ",
        i);
  }

  pipeline = gst_parse_launch (desc->str, NULL);
  fail_unless (pipeline != NULL, "%s", desc->str);
  g_string_free (desc, TRUE);

  e = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  pad = gst_element_get_static_pad (e, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, source_probe, run, NULL);
  gst_object_unref (pad);
  gst_object_unref (e);
  for (i = 0; i < N_STATIONS; i++) {
    gchar name[16];

    g_snprintf (name, sizeof (name), "s%u", i);
    e = gst_bin_get_by_name (GST_BIN (pipeline), name);
    pad = gst_element_get_static_pad (e, "sink");
    g_object_set_data (G_OBJECT (pad), "station", GUINT_TO_POINTER (i));
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
        GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        sink_probe, run, NULL);
    gst_object_unref (pad);
    gst_object_unref (e);
  }

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "pipeline did not finish");
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err;
    gchar *dbg;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("error: %s (%s)", err->message, dbg);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);

  for (i = 0; i < (mixed ? 1 : N_STATIONS); i++) {
    gchar name[16];

    g_snprintf (name, sizeof (name), "rq%u", i);
    e = gst_bin_get_by_name (GST_BIN (pipeline), name);
    add_stats (run, e);
    gst_object_unref (e);
  }
  {
    GstStructure *s;
    guint64 routed, invalid;

    e = gst_bin_get_by_name (GST_BIN (pipeline), "d");
    g_object_get (e, "stats", &s, NULL);
    fail_unless (gst_structure_get_uint64 (s, "routed", &routed));
    fail_unless (gst_structure_get_uint64 (s, "dropped-invalid", &invalid));
    /* demux sees the source's output, or in the mixed pipeline what the
     * reorderqueue pushed */
    fail_unless_equals_uint64 (routed, mixed ? run->pushed : run->forwarded);
    fail_unless_equals_uint64 (invalid, 0);
    gst_structure_free (s);
    gst_object_unref (e);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
}

static void
run_pipeline (Run * run, guint seed, guint64 jitter, gdouble duplicate,
    gdouble drop, guint64 latency, guint max_size_buffers, guint64 idle_timeout)
{
  run_pipeline_full (run, FALSE, seed, jitter, duplicate, drop, latency,
      max_size_buffers, idle_timeout);
}

/* The per-station output, without GAPs that start at or after @gap_cutoff
 * (near EOS the watermarks of differently shaped pipelines stop at
 * different points, so their last GAPs may differ). */
static GPtrArray *
station_output (Run * run, guint station, GstClockTime gap_cutoff)
{
  GPtrArray *out = g_ptr_array_new ();
  guint j;

  for (j = 0; j < run->out[station]->len; j++) {
    gchar *entry = g_ptr_array_index (run->out[station], j);

    if (g_str_has_prefix (entry, "GAP ") &&
        g_ascii_strtoull (entry + 4, NULL, 10) >= gap_cutoff)
      continue;
    g_ptr_array_add (out, entry);
  }
  return out;
}

static void
assert_same_output (Run * a, Run * b, GstClockTime gap_cutoff)
{
  guint i, j;

  for (i = 0; i < N_STATIONS; i++) {
    GPtrArray *oa = station_output (a, i, gap_cutoff);
    GPtrArray *ob = station_output (b, i, gap_cutoff);

    fail_unless_equals_int (oa->len, ob->len);
    for (j = 0; j < oa->len; j++)
      fail_unless_equals_string (g_ptr_array_index (ob, j),
          g_ptr_array_index (oa, j));
    g_ptr_array_unref (oa);
    g_ptr_array_unref (ob);
  }
}

/* Every station's output is in created_at order, once each, and is what
 * entered; pushed + late + duplicates + invalid == what entered. */
static void
check_accounting (Run * run)
{
  guint i, j;
  guint64 out_buffers = 0;

  for (i = 0; i < N_STATIONS; i++) {
    GArray *created = run->out_created[i];

    for (j = 1; j < created->len; j++)
      fail_unless (g_array_index (created, gint64, j - 1) <
          g_array_index (created, gint64, j),
          "station %u: output out of order or repeated at %u", i, j);
    for (j = 0; j < run->out[i]->len; j++) {
      const gchar *entry = g_ptr_array_index (run->out[i], j);
      gchar **f;
      gchar *key;

      if (g_str_has_prefix (entry, "GAP"))
        continue;
      f = g_strsplit (entry, "/", 3);
      key = g_strdup_printf ("%s:%s", f[0], f[1]);
      fail_unless_equals_string (g_hash_table_lookup (run->input, key), entry);
      g_free (key);
      g_strfreev (f);
      out_buffers++;
    }
  }
  fail_unless_equals_uint64 (run->pushed, out_buffers);
  fail_unless_equals_uint64 (run->pushed + run->late + run->duplicates +
      run->invalid, run->forwarded);
}

GST_START_TEST (test_jitter_inside_budget_same_output)
{
  guint seed = 1000 + __i__;
  /* jitter up to twice the period: readings overtake each other */
  guint64 jitter = 2 * PERIOD, latency = 2 * PERIOD;
  Run clean, jittered;

  run_init (&clean);
  run_init (&jittered);
  run_pipeline (&clean, seed, 0, 0.2, 0.1, latency, 10000, 0);
  run_pipeline (&jittered, seed, jitter, 0.2, 0.1, latency, 10000, 0);

  /* the same readings entered both */
  fail_unless_equals_uint64 (clean.forwarded, jittered.forwarded);
  fail_unless (clean.forwarded > N_STATIONS * N_TICKS / 2);
  check_accounting (&clean);
  check_accounting (&jittered);
  /* the test means something only if the input was out of order, had
   * duplicates and missing readings */
  fail_unless (jittered.reordered > 0);
  fail_unless (jittered.duplicates > 0);
  fail_unless (jittered.gaps > 0);
  fail_unless_equals_uint64 (jittered.late, 0);
  fail_unless_equals_uint64 (jittered.overflow, 0);

  assert_same_output (&clean, &jittered, GST_CLOCK_TIME_NONE);

  run_clear (&clean);
  run_clear (&jittered);
}

GST_END_TEST;

/* One reorderqueue before demux, on the mixed stream, gives each station
 * the same readings and missing-reading GAPs as one per station. */
GST_START_TEST (test_mixed_before_demux_same_output)
{
  guint seed = 3000 + __i__;
  guint64 jitter = 2 * PERIOD, latency = 2 * PERIOD;
  Run clean, mixed;

  run_init (&clean);
  run_init (&mixed);
  run_pipeline (&clean, seed, 0, 0.2, 0.1, latency, 10000, 0);
  run_pipeline_full (&mixed, TRUE, seed, jitter, 0.2, 0.1, latency, 10000, 0);

  fail_unless_equals_uint64 (clean.forwarded, mixed.forwarded);
  check_accounting (&clean);
  check_accounting (&mixed);
  fail_unless (mixed.reordered > 0);
  fail_unless (mixed.gaps > 0);
  fail_unless_equals_uint64 (mixed.late, 0);
  assert_same_output (&clean, &mixed, T_END - latency - 2 * PERIOD);

  run_clear (&clean);
  run_clear (&mixed);
}

GST_END_TEST;

GST_START_TEST (test_jitter_beyond_budget_accounted)
{
  guint seed = 2000 + __i__;
  /* jitter of 3 periods against a budget of 0.3 periods; every other seed
   * a budget of 2.5 periods with a queue too small to hold it (2 readings
   * where it would hold 3) */
  gboolean small = __i__ % 2;
  guint max_size_buffers = small ? 2 : 10000;
  guint64 latency = small ? 2500 * GST_MSECOND : 300 * GST_MSECOND;
  Run run;

  run_init (&run);
  run_pipeline (&run, seed, 3 * PERIOD, 0.3, 0.05, latency,
      max_size_buffers, 5 * GST_SECOND);
  check_accounting (&run);
  fail_unless (run.duplicates > 0);
  /* the checks above mean something only if readings were lost to
   * lateness (small budget) or released early (small queue) */
  if (small)
    fail_unless (run.overflow > 0);
  else
    fail_unless (run.late > 0);
  run_clear (&run);
}

GST_END_TEST;

static Suite *
reorder_property_suite (void)
{
  Suite *s = suite_create ("reorder_property");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_jitter_inside_budget_same_output, 0, N_SEEDS);
  tcase_add_loop_test (tc, test_jitter_beyond_budget_accounted, 0, N_SEEDS);
  tcase_add_loop_test (tc, test_mixed_before_demux_same_output, 0, N_SEEDS);
  return s;
}

GST_CHECK_MAIN (reorder_property);
