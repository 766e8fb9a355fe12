/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Embedding gst-weather in a C application: builds
 *
 *   weathersrc ! weatherbin ! predictor ! fakesink
 *
 * in code, prints every prediction the predictor posts on the bus (a
 * `weather-prediction` element message), and at the end every element's
 * `stats`. Ctrl-C sends EOS: the pipeline drains, then the program prints
 * the stats and exits 0.
 *
 *   GST_PLUGIN_PATH=build/plugins build/examples/weather-app
 *   GST_PLUGIN_PATH=build/plugins build/examples/weather-app --live
 *
 * Only GStreamer's API is needed: the prediction's fields are read from the
 * message's GstStructure (documented in docs/elements/predictor.md).
 */
#include <stdlib.h>

#include <glib-unix.h>
#include <gst/gst.h>

typedef struct
{
  GMainLoop *loop;
  GstElement *pipeline;
  guint predictions;
  gboolean failed;
  gboolean eos_sent;
  gboolean quiet;
} App;

static gchar *
format_time (gint64 epoch_ns)
{
  GDateTime *t = g_date_time_new_from_unix_utc (epoch_ns / GST_SECOND);
  gchar *s;

  if (t == NULL)
    return g_strdup ("?");
  s = g_date_time_format (t, "%Y-%m-%dT%H:%M:%SZ");
  g_date_time_unref (t);
  return s;
}

static void
print_prediction (const GstStructure * s)
{
  gint64 start = 0, end = 0;
  gdouble rain = -1, pressure = -1;
  guint used = 0, missing = 0;
  const gchar *model, *letter, *forecast;
  gchar *from, *to;

  gst_structure_get_int64 (s, "window-start", &start);
  gst_structure_get_int64 (s, "window-end", &end);
  gst_structure_get_double (s, "chance-of-rain", &rain);
  gst_structure_get_double (s, "mean-pressure", &pressure);
  gst_structure_get_uint (s, "stations-used", &used);
  gst_structure_get_uint (s, "stations-missing", &missing);
  model = gst_structure_get_string (s, "model");
  letter = gst_structure_get_string (s, "letter");
  forecast = gst_structure_get_string (s, "forecast");

  from = format_time (start);
  to = format_time (end);
  g_print ("%s .. %s  %s  %s  \"%s\"  rain %.0f%%  %.1f hPa  %u/%u "
      "stations\n", from, to + 11, model ? model : "?",
      letter ? letter : "-", forecast ? forecast : "", rain, pressure, used,
      used + missing);
  g_free (from);
  g_free (to);
}

static void
print_stats (GstElement * pipeline)
{
  GstIterator *it = gst_bin_iterate_sorted (GST_BIN (pipeline));
  GValue item = G_VALUE_INIT;
  GList *elements = NULL, *l;
  gboolean done = FALSE;

  while (!done) {
    switch (gst_iterator_next (it, &item)) {
      case GST_ITERATOR_OK:
        /* sorted sinks first: prepend to print from the source on */
        elements = g_list_prepend (elements,
            gst_object_ref (g_value_get_object (&item)));
        g_value_reset (&item);
        break;
      case GST_ITERATOR_RESYNC:
        g_list_free_full (elements, gst_object_unref);
        elements = NULL;
        gst_iterator_resync (it);
        break;
      default:
        done = TRUE;
        break;
    }
  }
  g_value_unset (&item);
  gst_iterator_free (it);

  for (l = elements; l; l = l->next) {
    GstElement *e = l->data;
    GstStructure *stats = NULL;
    gchar *text;

    if (!g_object_class_find_property (G_OBJECT_GET_CLASS (e), "stats"))
      continue;
    g_object_get (e, "stats", &stats, NULL);
    if (stats == NULL)
      continue;
    text = gst_structure_to_string (stats);
    g_print ("%s: %s\n", GST_OBJECT_NAME (e), text);
    g_free (text);
    gst_structure_free (stats);
  }
  g_list_free_full (elements, gst_object_unref);
}

static gboolean
on_sigint (gpointer user_data)
{
  App *app = user_data;

  if (app->eos_sent) {
    g_printerr ("second interrupt: stopping without draining\n");
    g_main_loop_quit (app->loop);
    return G_SOURCE_REMOVE;
  }
  g_printerr ("interrupted: sending EOS, waiting for the pipeline to "
      "drain\n");
  app->eos_sent = TRUE;
  gst_element_send_event (app->pipeline, gst_event_new_eos ());
  return G_SOURCE_CONTINUE;
}

static gboolean
on_message (GstBus * bus, GstMessage * msg, gpointer user_data)
{
  App *app = user_data;

  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ELEMENT:{
      const GstStructure *s = gst_message_get_structure (msg);

      if (s && gst_structure_has_name (s, "weather-prediction")) {
        app->predictions++;
        if (!app->quiet)
          print_prediction (s);
      }
      break;
    }
    case GST_MESSAGE_EOS:
      g_main_loop_quit (app->loop);
      break;
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      g_printerr ("ERROR from %s: %s\n%s\n", GST_OBJECT_NAME (msg->src),
          err->message, dbg ? dbg : "");
      g_clear_error (&err);
      g_free (dbg);
      app->failed = TRUE;
      g_main_loop_quit (app->loop);
      break;
    }
    default:
      break;
  }
  return TRUE;
}

int
main (int argc, char **argv)
{
  gboolean live = FALSE, quiet = FALSE;
  gint stations = 5, num_buffers = -1, expect_min = 0;
  gdouble window = 10.0;
  gchar *layout = NULL;
  GOptionEntry entries[] = {
    {"live", 0, 0, G_OPTION_ARG_NONE, &live,
        "Run in real time (default: replay as fast as possible)", NULL},
    {"stations", 0, 0, G_OPTION_ARG_INT, &stations,
        "Simulated stations (default 5)", "N"},
    {"window", 0, 0, G_OPTION_ARG_DOUBLE, &window,
        "Window length in seconds (default 10)", "SECONDS"},
    {"layout", 0, 0, G_OPTION_ARG_STRING, &layout,
        "weatherbin layout: mixed (default) or per-station", "LAYOUT"},
    {"num-buffers", 0, 0, G_OPTION_ARG_INT, &num_buffers,
        "Readings to simulate, then EOS (default: 10 minutes' worth when "
          "not live, unlimited when live)", "N"},
    {"quiet", 0, 0, G_OPTION_ARG_NONE, &quiet,
        "Do not print the predictions", NULL},
    {"expect-min", 0, 0, G_OPTION_ARG_INT, &expect_min,
        "Exit 1 unless at least N predictions came (for the tests)", "N"},
    {NULL}
  };
  GOptionContext *ctx;
  GError *error = NULL;
  GstElement *src, *bin, *pred, *sink;
  GstBus *bus;
  App app = { 0 };
  int ret = 0;

  ctx = g_option_context_new ("- simulated weather stations to predictions");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_add_group (ctx, gst_init_get_option_group ());
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    g_printerr ("%s\n", error->message);
    g_clear_error (&error);
    g_option_context_free (ctx);
    return 2;
  }
  g_option_context_free (ctx);
  if (stations < 1 || window <= 0) {
    g_printerr ("--stations must be at least 1 and --window positive\n");
    return 2;
  }

  app.pipeline = gst_pipeline_new ("weather");
  src = gst_element_factory_make ("weathersrc", "weathersrc");
  bin = gst_element_factory_make ("weatherbin", "weatherbin");
  pred = gst_element_factory_make ("predictor", "predictor");
  sink = gst_element_factory_make ("fakesink", "sink");
  if (!src || !bin || !pred || !sink) {
    g_printerr ("an element is missing: is GST_PLUGIN_PATH pointing to "
        "build/plugins?\n");
    return 1;
  }

  if (num_buffers < 0 && !live)
    num_buffers = stations * 600;       /* ten minutes at 1 reading/s */
  g_object_set (src, "stations", (guint) stations, "is-live", live,
      "num-buffers", num_buffers, NULL);
  if (layout)
    gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  g_object_set (bin, "window", (guint64) (window * GST_SECOND), NULL);
  g_object_set (sink, "sync", FALSE, NULL);

  gst_bin_add_many (GST_BIN (app.pipeline), src, bin, pred, sink, NULL);
  if (!gst_element_link_many (src, bin, pred, sink, NULL)) {
    g_printerr ("cannot link weathersrc ! weatherbin ! predictor ! "
        "fakesink\n");
    gst_object_unref (app.pipeline);
    return 1;
  }

  app.loop = g_main_loop_new (NULL, FALSE);
  app.quiet = quiet;
  bus = gst_element_get_bus (app.pipeline);
  gst_bus_add_watch (bus, on_message, &app);
  g_unix_signal_add (SIGINT, on_sigint, &app);

  if (gst_element_set_state (app.pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE) {
    GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

    if (msg) {
      on_message (bus, msg, &app);
      gst_message_unref (msg);
    }
    app.failed = TRUE;
  } else {
    g_main_loop_run (app.loop);
  }

  print_stats (app.pipeline);
  gst_element_set_state (app.pipeline, GST_STATE_NULL);
  gst_bus_remove_watch (bus);
  gst_object_unref (bus);
  gst_object_unref (app.pipeline);
  g_main_loop_unref (app.loop);
  g_free (layout);

  g_printerr ("%u predictions\n", app.predictions);
  if (app.failed) {
    ret = 1;
  } else if (app.predictions < (guint) expect_min) {
    g_printerr ("expected at least %d predictions\n", expect_min);
    ret = 1;
  }
  gst_deinit ();
  return ret;
}
