/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The time properties of mqttsrc and mqttsink at the edges of their
 * ranges (min, max - 1, max), against a real Mosquitto on a free loopback
 * port: the elements start, move readings and stop as with the defaults,
 * and no sum of times wraps around (a LATENCY answer, a PTS, a deadline).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../weatherstats.h"

#define WAIT_S 30
#define N_READINGS 5

typedef enum
{
  EDGE_MIN,
  EDGE_MAX_MINUS_ONE,
  EDGE_MAX,
} Edge;

static const gchar *const src_properties[] = {
  "latency", "idle-timeout", "connect-timeout", "gather-interval",
  "keepalive",
};

static const gchar *const sink_properties[] = {
  "eos-timeout", "connect-timeout", "keepalive",
};

/* The value of @property of @element at @edge, as a string gst-launch
 * takes, read from the property's own range. */
static gchar *
edge_value (const gchar * element, const gchar * property, Edge edge)
{
  GstElement *e = gst_element_factory_make (element, NULL);
  GParamSpec *pspec;
  gchar *text;

  fail_unless (e != NULL);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (e), property);
  fail_unless (pspec != NULL, "%s has no %s", element, property);
  if (G_IS_PARAM_SPEC_UINT64 (pspec)) {
    GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (pspec);

    text = g_strdup_printf ("%" G_GUINT64_FORMAT, edge == EDGE_MIN ?
        p->minimum : edge == EDGE_MAX ? p->maximum : p->maximum - 1);
  } else {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (pspec);

    fail_unless (G_IS_PARAM_SPEC_UINT (pspec));
    text = g_strdup_printf ("%u", edge == EDGE_MIN ? p->minimum :
        edge == EDGE_MAX ? p->maximum : p->maximum - 1);
  }
  gst_object_unref (e);
  return text;
}

static gchar *
reading_json (guint64 seq, gint64 created_at)
{
  GstWeatherReading r;
  GString *s = g_string_new (NULL);

  gst_weather_reading_init (&r);
  r.station_id = 7;
  r.sequence = seq;
  r.created_at = created_at;
  r.pressure_hpa = 1013.25;
  gst_weather_reading_to_json (&r, s);
  return g_string_free (s, FALSE);
}

/* mqttsrc with one time property at an edge: subscribed, it turns every
 * published reading into a buffer whose PTS maps back to its created_at,
 * answers the LATENCY query with its latency, and stops cleanly. */
GST_START_TEST (test_src_time_property_edges)
{
  const gchar *property = src_properties[__i__ / 3];
  Edge edge = __i__ % 3;
  MqttBroker *b = mqtt_broker_new (NULL);
  gchar *value = edge_value ("mqttsrc", property, edge);
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstElement *pipeline, *src, *sink;
  GstQuery *q;
  GstClockTime min, max;
  gboolean live;
  gint64 t;
  gchar *desc;
  guint i;

  /* connect-timeout keeps its own value when it is the one tested */
  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "topics=edge/# %s %s=%s ! appsink name=sink sync=false",
      mqtt_broker_port (b), strcmp (property, "connect-timeout") ?
      "connect-timeout=10000000000" : "", property, value);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL, "%s", desc);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "%s=%s did not start", property, value);

  /* created after the start, so none is older than the origin */
  t = g_get_real_time () * 1000 + GST_SECOND;

  q = gst_query_new_latency ();
  fail_unless (gst_element_query (src, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  if (!strcmp (property, "latency"))
    fail_unless_equals_uint64 (min, g_ascii_strtoull (value, NULL, 10));
  gst_query_unref (q);

  for (i = 0; i < N_READINGS; i++) {
    gchar *json = reading_json (i, t + i * GST_MSECOND);

    g_ptr_array_add (msgs, mqtt_message_new ("edge/st", json, strlen (json)));
    g_free (json);
  }
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  for (i = 0; i < N_READINGS; i++) {
    GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
        WAIT_S * GST_SECOND);
    GstWeatherReading r;
    GstBuffer *buf;

    fail_unless (sample != NULL, "%s=%s: reading %u did not come", property,
        value, i);
    buf = gst_sample_get_buffer (sample);
    fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
    fail_unless_equals_uint64 (r.sequence, i);
    fail_unless (GST_BUFFER_PTS (buf) <= (GstClockTime) G_MAXINT64);
    fail_unless_equals_int64 (gst_weather_segment_to_epoch
        (gst_sample_get_segment (sample), GST_BUFFER_PTS (buf)), r.created_at);
    gst_sample_unref (sample);
  }
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), N_READINGS);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_ptr_array_unref (msgs);
  g_free (desc);
  g_free (value);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Holds EOS at mqttsink's pad until the broker acknowledged everything
 * before it, so that the EOS wait has nothing left even with
 * eos-timeout=0: the test is about the arithmetic of the wait, not about
 * a race with the acknowledgements. */
static GstPadProbeReturn
hold_eos (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstElement *sink = user_data;
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;

  if (GST_EVENT_TYPE (GST_PAD_PROBE_INFO_EVENT (info)) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;
  /* polls a condition with a deadline, as the acknowledgements come
   * from Paho's thread */
  while (weather_stat_u64 (sink, "acknowledged") < N_READINGS &&
      g_get_monotonic_time () < deadline)
    g_usleep (10000);
  return GST_PAD_PROBE_OK;
}

/* mqttsink with one time property at an edge: publishes every reading,
 * and EOS completes (the EOS wait's deadline does not wrap around). */
GST_START_TEST (test_sink_time_property_edges)
{
  const gchar *property = sink_properties[__i__ / 3];
  Edge edge = __i__ % 3;
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  gchar *value = edge_value ("mqttsink", property, edge);
  GstElement *pipeline, *sink;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  gchar *desc;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "edge/#", 1, NULL);
  fail_unless (sub != NULL);
  desc = g_strdup_printf ("weathersrc num-buffers=%u ! mqttsink name=sink "
      "host=127.0.0.1 port=%u topic=edge/{station} %s %s=%s", N_READINGS,
      mqtt_broker_port (b), strcmp (property, "connect-timeout") ?
      "connect-timeout=10000000000" : "", property, value);
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL, "%s", desc);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, hold_eos,
      sink, NULL);
  gst_object_unref (pad);

  fail_if (gst_element_set_state (pipeline, GST_STATE_PLAYING) ==
      GST_STATE_CHANGE_FAILURE, "%s=%s did not start", property, value);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "%s=%s: no EOS", property, value);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (weather_stat_u64 (sink, "acknowledged"),
      N_READINGS);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, N_READINGS, WAIT_S),
      N_READINGS);

  fail_unless_equals_int (gst_element_set_state (pipeline, GST_STATE_NULL),
      GST_STATE_CHANGE_SUCCESS);
  gst_object_unref (bus);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_free (desc);
  g_free (value);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqtt_edges_suite (void)
{
  Suite *s = suite_create ("mqtt_edges");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_src_time_property_edges, 0,
      3 * G_N_ELEMENTS (src_properties));
  tcase_add_loop_test (tc, test_sink_time_property_edges, 0,
      3 * G_N_ELEMENTS (sink_properties));
  return s;
}

GST_CHECK_MAIN (mqtt_edges);
