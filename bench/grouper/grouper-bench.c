/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * grouper-bench: pushes readings of N stations (10, 100, 1000, 10000)
 * through grouper ! fakesink, not live, and prints the cost per reading as
 * JSON lines, for one mixed pad and for one pad per station, with the same
 * push loop through identity as the baseline measured in the same run:
 *
 *   {"bench":"grouper-per-reading","pads":"mixed","stations":N,
 *    "ns_per_reading":X,"readings":R}
 *   {"bench":"grouper-scaling","pads":"mixed","ratio_10000_vs_10":Y,
 *    "goal":1.3}
 *
 * then the mixed pad again with the readings in batches of 64 per buffer
 * (application/x-weather-reading-batch, as reorderqueue sends them;
 * "pads":"mixed-batch"), and one pad per station ("pads":"per-station").
 * Each figure is the best of --repeat runs (default 3).
 *
 * Usage: grouper-bench [--readings R] [--repeat N] [--quick]
 *   --readings R  readings per mixed-pad figure (default 200000)
 *   --repeat N    runs per figure, the fastest is printed (default 3)
 *   --quick       at most 40000 readings, per-station pads only up to 1000
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gst/gst.h>
#include <gst/weather/weather.h>

typedef struct
{
  GstElement *pipeline;
  GstElement *element;
  GstPad **srcpads;
  guint n_pads;
} Rig;

static gboolean
bench_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gst_query_set_latency (query, FALSE, 0, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

/* readings per buffer on a mixed pad: 1 (application/x-weather-reading)
 * or more (application/x-weather-reading-batch) */
static guint batch = 1;

/* @factory ! fakesink with @n_pads source pads of ours feeding it */
static Rig *
rig_new (const gchar * factory, guint n_pads)
{
  Rig *rig = g_new0 (Rig, 1);
  GstElement *sink;
  GstCaps *caps;
  GstSegment seg;
  guint i;

  rig->pipeline = gst_pipeline_new (NULL);
  rig->element = gst_element_factory_make (factory, NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  if (!rig->element || !sink) {
    fprintf (stderr, "missing element %s or fakesink\n", factory);
    exit (1);
  }
  g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
  gst_bin_add_many (GST_BIN (rig->pipeline), rig->element, sink, NULL);
  gst_element_link (rig->element, sink);
  gst_element_set_state (rig->pipeline, GST_STATE_PLAYING);

  caps = gst_caps_from_string (batch > 1 ? GST_WEATHER_READING_BATCH_CAPS :
      GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, GST_WEATHER_REPLAY_START);
  rig->n_pads = n_pads;
  rig->srcpads = g_new0 (GstPad *, n_pads);
  for (i = 0; i < n_pads; i++) {
    GstPad *sinkpad;
    gchar *sid;

    rig->srcpads[i] = gst_pad_new ("src", GST_PAD_SRC);
    gst_pad_set_query_function (rig->srcpads[i], bench_src_query);
    if (g_str_equal (factory, "grouper"))
      sinkpad = gst_element_request_pad_simple (rig->element, "sink_%u");
    else
      sinkpad = gst_element_get_static_pad (rig->element, "sink");
    gst_pad_link (rig->srcpads[i], sinkpad);
    gst_object_unref (sinkpad);
    gst_pad_set_active (rig->srcpads[i], TRUE);
    sid = g_strdup_printf ("bench-%u", i);
    gst_pad_push_event (rig->srcpads[i], gst_event_new_stream_start (sid));
    g_free (sid);
    gst_pad_push_event (rig->srcpads[i], gst_event_new_caps (caps));
    gst_pad_push_event (rig->srcpads[i], gst_event_new_segment (&seg));
  }
  gst_caps_unref (caps);
  return rig;
}

static void
rig_free (Rig * rig)
{
  guint i;

  gst_element_set_state (rig->pipeline, GST_STATE_NULL);
  for (i = 0; i < rig->n_pads; i++)
    gst_object_unref (rig->srcpads[i]);
  g_free (rig->srcpads);
  gst_object_unref (rig->pipeline);
  g_free (rig);
}

/* @readings readings of @stations stations reporting once a second,
 * station by station within a second, built before the clock starts */
static GstBuffer **
make_readings (guint stations, guint readings)
{
  GstBuffer **bufs = g_new (GstBuffer *, readings);
  GstWeatherReading r;
  guint i;

  gst_weather_reading_init (&r);
  for (i = 0; i < readings; i++) {
    guint station = i % stations;
    guint64 second = i / stations;
    GstClockTime pts = second * GST_SECOND + station * (GST_SECOND / 2 /
        stations);

    r.station_id = station;
    r.created_at = GST_WEATHER_REPLAY_START + (gint64) pts;
    r.sequence = second;
    r.temperature_c = 10.0 + (station % 20);
    r.pressure_hpa = 1000.0 + (station % 30);
    bufs[i] = gst_weather_reading_to_buffer (&r);
    GST_BUFFER_PTS (bufs[i]) = pts;
  }
  return bufs;
}

/* The same readings, @batch records per buffer; sets *@n_bufs. */
static GstBuffer **
make_batches (guint stations, guint readings, guint * n_bufs)
{
  GstBuffer **singles = make_readings (stations, readings);
  GstBuffer **bufs;
  guint i, j;

  *n_bufs = (readings + batch - 1) / batch;
  bufs = g_new (GstBuffer *, *n_bufs);
  for (i = 0; i < *n_bufs; i++) {
    guint n = MIN (batch, readings - i * batch);
    GstMapInfo map;

    bufs[i] = gst_buffer_new_allocate (NULL,
        (gsize) n * GST_WEATHER_READING_SIZE, NULL);
    gst_buffer_map (bufs[i], &map, GST_MAP_WRITE);
    for (j = 0; j < n; j++) {
      GstBuffer *one = singles[i * batch + j];

      gst_buffer_extract (one, 0, map.data + (gsize) j *
          GST_WEATHER_READING_SIZE, GST_WEATHER_READING_SIZE);
      if (j == 0)
        GST_BUFFER_PTS (bufs[i]) = GST_BUFFER_PTS (one);
      gst_buffer_unref (one);
    }
    gst_buffer_unmap (bufs[i], &map);
  }
  g_free (singles);
  return bufs;
}

static guint repeat = 3;

static gdouble run_once (const gchar * factory, guint stations,
    guint readings, gboolean mixed);

/* The best of `repeat` runs: the machine is shared, the minimum is the
 * figure least disturbed by others. */
static gdouble
run (const gchar * factory, guint stations, guint readings, gboolean mixed)
{
  gdouble best = G_MAXDOUBLE;
  guint i;

  for (i = 0; i < repeat; i++)
    best = MIN (best, run_once (factory, stations, readings, mixed));
  return best;
}

static gdouble
run_once (const gchar * factory, guint stations, guint readings, gboolean mixed)
{
  guint n_bufs = readings;
  GstBuffer **bufs = batch > 1 ? make_batches (stations, readings, &n_bufs) :
      make_readings (stations, readings);
  Rig *rig = rig_new (factory, mixed ? 1 : stations);
  GstBus *bus = gst_element_get_bus (rig->pipeline);
  GstMessage *msg;
  gint64 t0, t1;
  guint i;

  t0 = g_get_monotonic_time ();
  for (i = 0; i < n_bufs; i++) {
    GstPad *pad = rig->srcpads[mixed ? 0 : i % stations];

    if (gst_pad_push (pad, bufs[i]) != GST_FLOW_OK) {
      fprintf (stderr, "push failed\n");
      exit (1);
    }
  }
  for (i = 0; i < rig->n_pads; i++)
    gst_pad_push_event (rig->srcpads[i], gst_event_new_eos ());
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  t1 = g_get_monotonic_time ();
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    fprintf (stderr, "pipeline error\n");
    exit (1);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);

  if (g_str_equal (factory, "grouper")) {
    GstStructure *stats;
    guint64 accepted = 0;

    g_object_get (rig->element, "stats", &stats, NULL);
    gst_structure_get_uint64 (stats, "readings", &accepted);
    gst_structure_free (stats);
    if (accepted != readings) {
      fprintf (stderr, "grouper took %" G_GUINT64_FORMAT " of %u readings\n",
          accepted, readings);
      exit (1);
    }
  }
  rig_free (rig);
  g_free (bufs);
  return (t1 - t0) * 1000.0 / readings;
}

int
main (int argc, char **argv)
{
  static const guint counts[] = { 10, 100, 1000, 10000 };
  guint readings = 200000, i;
  gboolean quick = FALSE;
  gdouble mixed[G_N_ELEMENTS (counts)], pads[G_N_ELEMENTS (counts)];
  gdouble batched[G_N_ELEMENTS (counts)];
  gdouble base;
  GstPlugin *plugin;
  const gchar *dir = g_getenv ("WEATHER_PLUGIN_DIR");
  gchar *path;

  for (i = 1; i < (guint) argc; i++) {
    if (g_str_equal (argv[i], "--quick"))
      quick = TRUE;
    else if (g_str_equal (argv[i], "--readings") && i + 1 < (guint) argc)
      readings = strtoul (argv[++i], NULL, 10);
    else if (g_str_equal (argv[i], "--repeat") && i + 1 < (guint) argc) {
      repeat = strtoul (argv[++i], NULL, 10);
      repeat = MAX (repeat, 1);
    }
  }
  if (quick)
    readings = MIN (readings, 40000);
  if (readings < 10000)
    readings = 10000;

  gst_init (&argc, &argv);
  path = g_build_filename (dir ? dir : WEATHER_PLUGIN_DIR,
      "libgstweather.so", NULL);
  plugin = gst_plugin_load_file (path, NULL);
  if (!plugin) {
    fprintf (stderr, "cannot load %s\n", path);
    return 1;
  }
  gst_object_unref (plugin);
  g_free (path);

  /* warm-up, not printed */
  run_once ("grouper", 10, 10000, TRUE);

  base = run ("identity", 10, readings, TRUE);
  printf ("{\"bench\":\"grouper-baseline-identity\",\"ns_per_reading\":%.1f,"
      "\"readings\":%u}\n", base, readings);

  for (i = 0; i < G_N_ELEMENTS (counts); i++) {
    mixed[i] = run ("grouper", counts[i], readings, TRUE);
    printf ("{\"bench\":\"grouper-per-reading\",\"pads\":\"mixed\","
        "\"stations\":%u,\"ns_per_reading\":%.1f,\"readings\":%u}\n",
        counts[i], mixed[i], readings);
    fflush (stdout);
  }
  printf ("{\"bench\":\"grouper-scaling\",\"pads\":\"mixed\","
      "\"ratio_10000_vs_10\":%.3f,\"goal\":1.3}\n", mixed[3] / mixed[0]);
  fflush (stdout);

  /* the same readings in batches of 64, as reorderqueue sends them */
  batch = 64;
  for (i = 0; i < G_N_ELEMENTS (counts); i++) {
    batched[i] = run ("grouper", counts[i], readings, TRUE);
    printf ("{\"bench\":\"grouper-per-reading\",\"pads\":\"mixed-batch\","
        "\"stations\":%u,\"ns_per_reading\":%.1f,\"readings\":%u}\n",
        counts[i], batched[i], readings);
    fflush (stdout);
  }
  printf ("{\"bench\":\"grouper-scaling\",\"pads\":\"mixed-batch\","
      "\"ratio_10000_vs_10\":%.3f,\"goal\":1.3}\n", batched[3] / batched[0]);
  fflush (stdout);
  batch = 1;

  /* one pad per station: GstAggregator visits every pad on each wake-up,
   * so fewer readings suffice to see the growth */
  for (i = 0; i < G_N_ELEMENTS (counts); i++) {
    guint r = MAX (readings / 10, counts[i] * 2);

    if (quick && counts[i] > 1000)
      break;
    pads[i] = run ("grouper", counts[i], r, FALSE);
    printf ("{\"bench\":\"grouper-per-reading\",\"pads\":\"per-station\","
        "\"stations\":%u,\"ns_per_reading\":%.1f,\"readings\":%u}\n",
        counts[i], pads[i], r);
    fflush (stdout);
  }
  if (!quick)
    printf ("{\"bench\":\"grouper-scaling\",\"pads\":\"per-station\","
        "\"ratio_10000_vs_10\":%.3f,\"goal\":1.3}\n", pads[3] / pads[0]);
  return 0;
}
