/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How long after it was due does an application get a prediction? A live
 * pipeline runs for a while; the application pops `weather-prediction`
 * messages from the bus and, at reception, compares the pipeline clock
 * (realtime: epoch ns) with the window end plus the pipeline latency, the
 * earliest instant the grouper may close that window. Prints one JSON line
 * with the distribution of that delay, and of the same delay at two earlier
 * stages: when the group leaves the grouper (a probe on its src pad) and
 * when the prediction is posted (a bus sync handler, in the posting
 * thread).
 *
 *   weather-bench-latency [--stations=N] [--seconds=S] [--warmup=K]
 *       [--pipeline='DESCRIPTION, {stations} = the station count']
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <math.h>

#include <gst/gst.h>

#define DEFAULT_PIPELINE \
  "weathersrc is-live=true stations={stations} ! weatherbin ! predictor ! fakesink"

/* window end (epoch ns) -> clock time at which its group left a grouper;
 * written by the grouper's streaming thread, read by the main thread */
static GMutex stage_lock;
static GHashTable *grouped_at;

static GstPadProbeReturn
grouped_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstBuffer *buf = GST_PAD_PROBE_INFO_BUFFER (info);
  GstClock *clock = GST_ELEMENT_CLOCK (GST_PAD_PARENT (pad));
  GstEvent *ev;
  const GstSegment *seg;
  guint64 end;

  if (clock == NULL || !GST_BUFFER_PTS_IS_VALID (buf)
      || !GST_BUFFER_DURATION_IS_VALID (buf))
    return GST_PAD_PROBE_OK;
  ev = gst_pad_get_sticky_event (pad, GST_EVENT_SEGMENT, 0);
  if (ev == NULL)
    return GST_PAD_PROBE_OK;
  gst_event_parse_segment (ev, &seg);
  end = gst_segment_to_stream_time (seg, GST_FORMAT_TIME,
      GST_BUFFER_PTS (buf) + GST_BUFFER_DURATION (buf));
  gst_event_unref (ev);
  if (end != GST_CLOCK_TIME_NONE) {
    gint64 *key = g_new (gint64, 1), *at = g_new (gint64, 1);

    *key = (gint64) end;
    *at = (gint64) gst_clock_get_time (clock);
    g_mutex_lock (&stage_lock);
    g_hash_table_replace (grouped_at, key, at);
    g_mutex_unlock (&stage_lock);
  }
  return GST_PAD_PROBE_OK;
}

/* in the posting thread: the message's timestamp becomes the clock time at
 * which it was posted */
static GstBusSyncReply
posted_handler (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT &&
      gst_message_has_name (msg, "weather-prediction")) {
    GstClock *clock = GST_ELEMENT_CLOCK (GST_ELEMENT (user_data));

    if (clock)
      GST_MESSAGE_TIMESTAMP (msg) = gst_clock_get_time (clock);
  }
  return GST_BUS_PASS;
}

static void
add_grouped_probes (GstElement * pipeline)
{
  GstIterator *it = gst_bin_iterate_recurse (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *e = g_value_get_object (&item);
    GstElementFactory *f = gst_element_get_factory (e);

    if (f && g_str_equal (GST_OBJECT_NAME (f), "grouper")) {
      GstPad *src = gst_element_get_static_pad (e, "src");

      gst_pad_add_probe (src, GST_PAD_PROBE_TYPE_BUFFER, grouped_probe,
          NULL, NULL);
      gst_object_unref (src);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

static gint
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : (x > y ? 1 : 0);
}

static gint64
percentile (GArray * sorted, gdouble p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint) ceil (p / 100.0 * sorted->len);
  i = CLAMP (i, 1, sorted->len) - 1;
  return g_array_index (sorted, gint64, i);
}

/* The latency of what runs upstream of the sink: the budget the grouper
 * waits for past each window end. (The pipeline's own LATENCY query goes
 * through the sink, and a sink with sync=false answers "not live, 0".) */
static GstClockTime
query_latency (GstElement * pipeline)
{
  GstIterator *it = gst_bin_iterate_sinks (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;
  GstClockTime latency = 0;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *sink = g_value_get_object (&item);
    GstPad *pad = gst_element_get_static_pad (sink, "sink");

    if (pad) {
      GstQuery *q = gst_query_new_latency ();
      GstClockTime min = 0;
      gboolean live = FALSE;

      if (gst_pad_peer_query (pad, q)) {
        gst_query_parse_latency (q, &live, &min, NULL);
        latency = MAX (latency, min);
      }
      gst_query_unref (q);
      gst_object_unref (pad);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
  return latency;
}

int
main (int argc, char **argv)
{
  guint stations = 1000, warmup = 3;
  gdouble seconds = 60;
  gchar *pipeline_fmt = NULL, *desc;
  GOptionEntry entries[] = {
    {"stations", 0, 0, G_OPTION_ARG_INT, &stations, "Stations", "N"},
    {"seconds", 0, 0, G_OPTION_ARG_DOUBLE, &seconds, "Run time", "S"},
    {"warmup", 0, 0, G_OPTION_ARG_INT, &warmup,
        "Predictions ignored at start", "K"},
    {"pipeline", 0, 0, G_OPTION_ARG_STRING, &pipeline_fmt,
        "Pipeline, {stations} = stations", "DESC"},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new (NULL);
  GError *error = NULL;
  GstElement *pipeline;
  GstClock *clock = NULL;
  GstBus *bus;
  GArray *delays = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *grouped = g_array_new (FALSE, FALSE, sizeof (gint64));
  GArray *posted = g_array_new (FALSE, FALSE, sizeof (gint64));
  GstClockTime latency = GST_CLOCK_TIME_NONE;
  gboolean realtime = FALSE;
  gint64 deadline;
  guint seen = 0;
  gchar *failure = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    return 2;
  }
  g_option_context_free (ctx);

  {
    gchar **parts = g_strsplit (pipeline_fmt ? pipeline_fmt :
        DEFAULT_PIPELINE, "{stations}", -1);
    gchar *count = g_strdup_printf ("%u", stations);

    desc = g_strjoinv (count, parts);
    g_free (count);
    g_strfreev (parts);
  }
  pipeline = gst_parse_launch (desc, &error);
  if (pipeline == NULL || error) {
    printf ("{\"error\":\"cannot build the pipeline: %s\"}\n",
        error ? error->message : "unknown");
    return 1;
  }
  grouped_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      g_free);
  add_grouped_probes (pipeline);
  bus = gst_element_get_bus (pipeline);
  gst_bus_set_sync_handler (bus, posted_handler, pipeline, NULL);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    printf ("{\"error\":\"the pipeline refused to go to PLAYING\"}\n");
    return 1;
  }

  deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);
  while (failure == NULL && g_get_monotonic_time () < deadline) {
    GstMessage *msg = gst_bus_timed_pop (bus, 100 * GST_MSECOND);
    const GstStructure *s;
    gint64 window_end, now;

    if (msg == NULL)
      continue;
    switch (GST_MESSAGE_TYPE (msg)) {
      case GST_MESSAGE_ERROR:{
        GError *err = NULL;

        gst_message_parse_error (msg, &err, NULL);
        failure = g_strdup_printf ("%s: %s", GST_OBJECT_NAME (msg->src),
            err->message);
        g_clear_error (&err);
        break;
      }
      case GST_MESSAGE_EOS:
        failure = g_strdup ("unexpected EOS");
        break;
      case GST_MESSAGE_LATENCY:
        gst_bin_recalculate_latency (GST_BIN (pipeline));
        latency = GST_CLOCK_TIME_NONE;
        break;
      case GST_MESSAGE_ELEMENT:
        s = gst_message_get_structure (msg);
        if (!gst_structure_has_name (s, "weather-prediction")
            || !gst_structure_get_int64 (s, "window-end", &window_end))
          break;
        if (clock == NULL) {
          GstClockType type = GST_CLOCK_TYPE_MONOTONIC;

          clock = gst_element_get_clock (pipeline);
          if (clock && g_object_class_find_property (G_OBJECT_GET_CLASS
                  (clock), "clock-type"))
            g_object_get (clock, "clock-type", &type, NULL);
          realtime = (type == GST_CLOCK_TYPE_REALTIME);
        }
        now = realtime ? (gint64) gst_clock_get_time (clock)
            : g_get_real_time () * 1000;
        if (!GST_CLOCK_TIME_IS_VALID (latency))
          latency = query_latency (pipeline);
        if (seen++ < warmup) {
          g_mutex_lock (&stage_lock);
          g_hash_table_remove (grouped_at, &window_end);
          g_mutex_unlock (&stage_lock);
        } else {
          gint64 delay = now - (window_end + (gint64) latency);

          gint64 *at;

          g_array_append_val (delays, delay);
          if (GST_CLOCK_TIME_IS_VALID (GST_MESSAGE_TIMESTAMP (msg))) {
            delay = (gint64) GST_MESSAGE_TIMESTAMP (msg) -
                (window_end + (gint64) latency);
            g_array_append_val (posted, delay);
          }
          g_mutex_lock (&stage_lock);
          at = g_hash_table_lookup (grouped_at, &window_end);
          if (at) {
            delay = *at - (window_end + (gint64) latency);
            g_array_append_val (grouped, delay);
          }
          g_hash_table_remove (grouped_at, &window_end);
          g_mutex_unlock (&stage_lock);
        }
        break;
      default:
        break;
    }
    gst_message_unref (msg);
  }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  if (failure) {
    gchar *escaped = g_strescape (failure, NULL);

    printf ("{\"error\":\"%s\"}\n", escaped);
    return 1;
  }
  g_array_sort (delays, compare_int64);
  g_array_sort (grouped, compare_int64);
  g_array_sort (posted, compare_int64);
  printf ("{\"stations\":%u,\"seconds\":%g,\"predictions\":%u,"
      "\"measured\":%u,\"latency_ns\":%" G_GUINT64_FORMAT ",\"clock\":\"%s\","
      "\"grouped_p50_ns\":%" G_GINT64_FORMAT ",\"grouped_p99_ns\":%"
      G_GINT64_FORMAT ",\"posted_p50_ns\":%" G_GINT64_FORMAT
      ",\"posted_p99_ns\":%" G_GINT64_FORMAT ","
      "\"min_ns\":%" G_GINT64_FORMAT ",\"p50_ns\":%" G_GINT64_FORMAT
      ",\"p99_ns\":%" G_GINT64_FORMAT ",\"max_ns\":%" G_GINT64_FORMAT "}\n",
      stations, seconds, seen, delays->len,
      GST_CLOCK_TIME_IS_VALID (latency) ? latency : 0,
      realtime ? "pipeline-realtime" : "system-realtime",
      percentile (grouped, 50), percentile (grouped, 99),
      percentile (posted, 50), percentile (posted, 99),
      delays->len ? g_array_index (delays, gint64, 0) : 0,
      percentile (delays, 50), percentile (delays, 99),
      delays->len ? g_array_index (delays, gint64, delays->len - 1) : 0);
  if (clock)
    gst_object_unref (clock);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
  g_array_unref (delays);
  g_array_unref (grouped);
  g_array_unref (posted);
  g_hash_table_unref (grouped_at);
  g_free (desc);
  return 0;
}
