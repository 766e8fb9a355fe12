/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Runs one gst-launch style pipeline and prints what it cost as one JSON
 * line: wall and CPU time from PLAYING to EOS, buffers that left the
 * source, predictions posted on the bus, peak RSS, and optionally RSS
 * sampled while it runs. bench/run.sh turns these into figures.
 *
 *   weather-bench-pipeline [--duration=S] [--sample-every=S] [--repeat=N]
 *       'PIPELINE DESCRIPTION'
 *
 * --duration: stop a live pipeline with EOS after S seconds (0: run to EOS)
 * --sample-every: sample the process RSS every S seconds
 * --repeat: run the pipeline N times (the figure is the fastest run)
 * --ready: print a line "ready" once the pipeline went to PLAYING (a live
 *     source has connected and subscribed by then), for a driver that
 *     starts feeding it only then
 *
 * SIGINT sends EOS, as gst-launch-1.0 -e does: the figures of what ran so
 * far are printed.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>

#include <glib-unix.h>
#include <gst/gst.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  gint buffers;                 /* atomic: buffers out of the source */
  gint predictions;             /* atomic: weather-prediction messages */
  GArray *rss_samples;          /* guint64 kB, main thread only */
  gchar *error;                 /* main thread only */
  gboolean eos;
  gboolean stop_sent;
} BenchRun;

static guint64
current_rss_kb (void)
{
  gchar *contents = NULL;
  guint64 pages = 0;

  if (g_file_get_contents ("/proc/self/statm", &contents, NULL, NULL)) {
    gchar **fields = g_strsplit (contents, " ", 3);

    if (fields[0] && fields[1])
      pages = g_ascii_strtoull (fields[1], NULL, 10);
    g_strfreev (fields);
    g_free (contents);
  }
  return pages * (guint64) sysconf (_SC_PAGESIZE) / 1024;
}

static guint64
peak_rss_kb (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (guint64) usage.ru_maxrss;
}

static gdouble
cpu_seconds (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
      usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static GstPadProbeReturn
count_buffers (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  BenchRun *run = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    g_atomic_int_add (&run->buffers,
        gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info)));
  else
    g_atomic_int_inc (&run->buffers);
  return GST_PAD_PROBE_OK;
}

/* Predictions are counted in the posting thread, so that a busy main loop
 * does not queue up thousands of messages. */
static GstBusSyncReply
bus_sync (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  BenchRun *run = user_data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ELEMENT
      && gst_message_has_name (msg, "weather-prediction")) {
    g_atomic_int_inc (&run->predictions);
    gst_message_unref (msg);
    return GST_BUS_DROP;
  }
  return GST_BUS_PASS;
}

static gboolean
bus_watch (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  BenchRun *run = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      if (run->error == NULL)
        run->error = g_strdup_printf ("%s: %s", GST_OBJECT_NAME (msg->src),
            err->message);
      g_clear_error (&err);
      g_free (dbg);
      g_main_loop_quit (run->loop);
      break;
    }
    case GST_MESSAGE_EOS:
      run->eos = TRUE;
      g_main_loop_quit (run->loop);
      break;
    default:
      break;
  }
  return G_SOURCE_CONTINUE;
}

static gboolean
sample_rss (gpointer user_data)
{
  BenchRun *run = user_data;
  guint64 kb = current_rss_kb ();

  g_array_append_val (run->rss_samples, kb);
  return G_SOURCE_CONTINUE;
}

static gboolean
send_eos (gpointer user_data)
{
  BenchRun *run = user_data;

  run->stop_sent = TRUE;
  gst_element_send_event (run->pipeline, gst_event_new_eos ());
  return G_SOURCE_REMOVE;
}

/* Ctrl-C: EOS, so that what ran so far is measured */
static gboolean
on_sigint (gpointer user_data)
{
  BenchRun *run = user_data;

  gst_element_send_event (run->pipeline, gst_event_new_eos ());
  return G_SOURCE_CONTINUE;
}

/* Probes the src pad of every element without sink pads (the sources). */
static void
probe_sources (GstElement * pipeline, BenchRun * run)
{
  GstIterator *it = gst_bin_iterate_sources (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;

  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK) {
    GstElement *element = g_value_get_object (&item);
    GstPad *pad = gst_element_get_static_pad (element, "src");

    if (pad) {
      gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
          GST_PAD_PROBE_TYPE_BUFFER_LIST, count_buffers, run, NULL);
      gst_object_unref (pad);
    }
    g_value_reset (&item);
  }
  g_value_unset (&item);
  gst_iterator_free (it);
}

int
main (int argc, char **argv)
{
  gdouble duration = 0, sample_every = 0;
  gint repeat = 1, i;
  gboolean ready = FALSE;
  GOptionEntry entries[] = {
    {"duration", 0, 0, G_OPTION_ARG_DOUBLE, &duration,
        "Stop a live pipeline after S seconds", "S"},
    {"sample-every", 0, 0, G_OPTION_ARG_DOUBLE, &sample_every,
        "Sample RSS every S seconds", "S"},
    {"repeat", 0, 0, G_OPTION_ARG_INT, &repeat, "Runs (fastest counts)", "N"},
    {"ready", 0, 0, G_OPTION_ARG_NONE, &ready,
        "Print \"ready\" once PLAYING", NULL},
    {NULL}
  };
  GOptionContext *ctx = g_option_context_new ("PIPELINE-DESCRIPTION");
  GError *error = NULL;
  gdouble best_wall = -1, best_cpu = 0;
  gint best_buffers = 0, best_predictions = 0;
  GString *samples = g_string_new ("[");
  BenchRun run = { 0, };

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2) {
    g_printerr ("usage: %s [OPTIONS] 'PIPELINE'\n%s\n", argv[0],
        error ? error->message : "");
    return 2;
  }
  g_option_context_free (ctx);

  for (i = 0; i < MAX (repeat, 1); i++) {
    GstBus *bus;
    gint64 t0, t1;
    gdouble c0, c1;
    guint sampler = 0, stopper = 0, watch, interrupt;

    run.loop = g_main_loop_new (NULL, FALSE);
    run.pipeline = gst_parse_launch (argv[1], &error);
    if (run.pipeline == NULL || error) {
      printf ("{\"error\":\"cannot build the pipeline: %s\"}\n",
          error ? error->message : "unknown");
      return 1;
    }
    run.buffers = run.predictions = 0;
    run.eos = run.stop_sent = FALSE;
    run.rss_samples = g_array_new (FALSE, FALSE, sizeof (guint64));
    probe_sources (run.pipeline, &run);
    bus = gst_element_get_bus (run.pipeline);
    gst_bus_set_sync_handler (bus, bus_sync, &run, NULL);
    watch = gst_bus_add_watch (bus, bus_watch, &run);

    if (sample_every > 0)
      sampler = g_timeout_add ((guint) (sample_every * 1000), sample_rss, &run);
    if (duration > 0)
      stopper = g_timeout_add ((guint) (duration * 1000), send_eos, &run);
    interrupt = g_unix_signal_add (SIGINT, on_sigint, &run);

    c0 = cpu_seconds ();
    t0 = g_get_monotonic_time ();
    if (gst_element_set_state (run.pipeline, GST_STATE_PLAYING) ==
        GST_STATE_CHANGE_FAILURE && run.error == NULL)
      run.error = g_strdup ("the pipeline refused to go to PLAYING");
    else {
      if (ready) {
        printf ("ready\n");
        fflush (stdout);
      }
      g_main_loop_run (run.loop);
    }
    t1 = g_get_monotonic_time ();
    c1 = cpu_seconds ();

    if (sampler)
      g_source_remove (sampler);
    if (stopper && !run.stop_sent)
      g_source_remove (stopper);
    g_source_remove (interrupt);
    gst_element_set_state (run.pipeline, GST_STATE_NULL);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    g_source_remove (watch);
    gst_object_unref (bus);
    gst_object_unref (run.pipeline);
    g_main_loop_unref (run.loop);

    if (run.error) {
      gchar *escaped = g_strescape (run.error, NULL);

      printf ("{\"error\":\"%s\"}\n", escaped);
      return 1;
    }
    if (best_wall < 0 || (t1 - t0) / 1e6 < best_wall) {
      guint s;

      best_wall = (t1 - t0) / 1e6;
      best_cpu = c1 - c0;
      best_buffers = g_atomic_int_get (&run.buffers);
      best_predictions = g_atomic_int_get (&run.predictions);
      g_string_assign (samples, "[");
      for (s = 0; s < run.rss_samples->len; s++)
        g_string_append_printf (samples, "%s%" G_GUINT64_FORMAT,
            s ? "," : "", g_array_index (run.rss_samples, guint64, s));
    }
    g_array_unref (run.rss_samples);
  }
  g_string_append (samples, "]");

  printf ("{\"wall_s\":%.6f,\"cpu_s\":%.6f,\"buffers\":%d,"
      "\"predictions\":%d,\"peak_rss_kb\":%" G_GUINT64_FORMAT
      ",\"rss_samples_kb\":%s,\"sample_every_s\":%g}\n", best_wall, best_cpu,
      best_buffers, best_predictions, peak_rss_kb (), samples->str,
      sample_every);
  g_string_free (samples, TRUE);
  return 0;
}
