/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The full pipeline cycled NULL -> PLAYING -> NULL a thousand times, with
 * the leaks tracer counting what stays alive. Every other cycle runs to
 * EOS and must give exactly the predictions of the first run (non-live,
 * fixed seed: the same stream every time); the cycles in between tear the
 * pipeline down while it streams.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "../../leaks/leakcheck.h"

#define DEFAULT_CYCLES 1000
#define RUN_TIMEOUT (30 * GST_SECOND)

#define PIPELINE "weathersrc is-live=false stations=4 num-buffers=40 seed=7 " \
    "! weatherbin ! predictor ! fakesink"

static GstElement *
make_pipeline (void)
{
  const gchar *desc = PIPELINE;
  GstElement *pipeline;
  GError *error = NULL;

  GST_INFO ("cycling %s", desc);
  pipeline = gst_parse_launch (desc, &error);
  fail_unless (pipeline != NULL && error == NULL, "cannot build %s: %s",
      desc, error ? error->message : "");
  return pipeline;
}

/* Handles one message: counts predictions, notes EOS, fails on an
 * error. */
static void
handle_message (GstMessage * msg, guint * predictions, gboolean * eos)
{
  switch (GST_MESSAGE_TYPE (msg)) {
    case GST_MESSAGE_ERROR:{
      GError *err = NULL;
      gchar *dbg = NULL;

      gst_message_parse_error (msg, &err, &dbg);
      fail ("error from %s: %s (%s)", GST_OBJECT_NAME (msg->src),
          err->message, GST_STR_NULL (dbg));
      break;
    }
    case GST_MESSAGE_EOS:
      *eos = TRUE;
      break;
    case GST_MESSAGE_ELEMENT:
      if (gst_message_has_name (msg, "weather-prediction"))
        (*predictions)++;
      break;
    default:
      break;
  }
  gst_message_unref (msg);
}

/* Pops what the bus holds; fails on an error. */
static void
drain_bus (GstBus * bus)
{
  GstMessage *msg;
  guint predictions = 0;
  gboolean eos = FALSE;

  while ((msg = gst_bus_pop (bus)) != NULL)
    handle_message (msg, &predictions, &eos);
}

/* NULL -> PLAYING -> EOS -> NULL; returns the number of predictions. */
static guint
run_to_eos (GstElement * pipeline, GstBus * bus)
{
  GstMessage *msg;
  guint predictions = 0;
  gboolean eos = FALSE;

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE);
  while (!eos) {
    msg = gst_bus_timed_pop (bus, RUN_TIMEOUT);
    fail_unless (msg != NULL, "no EOS within %" GST_TIME_FORMAT,
        GST_TIME_ARGS (RUN_TIMEOUT));
    handle_message (msg, &predictions, &eos);
  }
  fail_unless (gst_element_set_state (pipeline, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
  drain_bus (bus);
  return predictions;
}

/* NULL -> PLAYING (prerolled, streaming) -> NULL at once. */
static void
run_interrupted (GstElement * pipeline, GstBus * bus)
{
  GstStateChangeReturn ret;

  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  fail_if (ret == GST_STATE_CHANGE_FAILURE);
  ret = gst_element_get_state (pipeline, NULL, NULL, RUN_TIMEOUT);
  fail_if (ret == GST_STATE_CHANGE_FAILURE || ret == GST_STATE_CHANGE_ASYNC,
      "pipeline did not reach PLAYING");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_NULL) ==
      GST_STATE_CHANGE_SUCCESS);
  drain_bus (bus);
}

static guint
cycles (void)
{
  const gchar *env = g_getenv ("WEATHER_CYCLES");

  return env ? (guint) g_ascii_strtoull (env, NULL, 10) : DEFAULT_CYCLES;
}

GST_START_TEST (test_cycle_full_pipeline)
{
  GstElement *pipeline;
  GstBus *bus;
  guint expected, i, n = cycles ();

  pipeline = make_pipeline ();
  bus = gst_element_get_bus (pipeline);

  expected = run_to_eos (pipeline, bus);
  fail_unless (expected > 0, "the pipeline made no prediction");

  weather_leaks_begin ();
  for (i = 0; i < n; i++) {
    if (i % 2 == 0) {
      guint got = run_to_eos (pipeline, bus);

      fail_unless (got == expected, "cycle %u: %u predictions, the first "
          "run made %u", i, got, expected);
    } else {
      run_interrupted (pipeline, bus);
    }
  }
  weather_leaks_assert_none ("the cycled pipeline");

  gst_object_unref (bus);
  ASSERT_OBJECT_REFCOUNT (pipeline, "pipeline", 1);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* Nothing of a pipeline may outlive it: build, run and drop it several
 * times and count every live object before and after. */
GST_START_TEST (test_pipeline_leaves_nothing_behind)
{
  guint i;

  /* The first pipeline creates what lives for the whole process. */
  for (i = 0; i < 4; i++) {
    GstElement *pipeline = make_pipeline ();
    GstBus *bus = gst_element_get_bus (pipeline);

    if (i == 1)
      weather_leaks_begin ();
    fail_unless (run_to_eos (pipeline, bus) > 0);
    gst_object_unref (bus);
    gst_object_unref (pipeline);
  }
  weather_leaks_assert_none ("a finished pipeline");
}

GST_END_TEST;

static Suite *
cycle_suite (void)
{
  Suite *s = suite_create ("cycle");
  TCase *tc_chain = tcase_create ("general");

  suite_add_tcase (s, tc_chain);
  tcase_add_test (tc_chain, test_cycle_full_pipeline);
  tcase_add_test (tc_chain, test_pipeline_leaves_nothing_behind);

  return s;
}

int
main (int argc, char **argv)
{
  weather_leaks_init ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (cycle_suite (), "cycle", __FILE__);
}
