/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mqttsink against a real Mosquitto started per test on a free loopback
 * port, checked with real subscribers (Python paho, mosquitto_sub).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../mqttpipeline.h"
#include "../weatherstats.h"

#define WAIT_S 60

static void
push_bytes (MqttPipeline * p, const gchar * data, gssize len)
{
  GstBuffer *buf;

  if (len < 0)
    len = strlen (data);
  buf = gst_buffer_new_memdup (data, len);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          buf), GST_FLOW_OK);
}

/* Pushes @first and waits (bounded, on the bus) for the sink to preroll:
 * by then it is connected. */
static void
start_connected (MqttPipeline * p, const gchar * first)
{
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  push_bytes (p, first, -1);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

typedef struct
{
  GMutex lock;
  GCond cond;
  guint buffers;
} BufferCounter;

static GstPadProbeReturn
count_buffer (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  BufferCounter *c = data;

  g_mutex_lock (&c->lock);
  c->buffers++;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  return GST_PAD_PROBE_OK;
}

static void
wait_buffers (BufferCounter * c, guint n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;

  g_mutex_lock (&c->lock);
  while (c->buffers < n)
    if (!g_cond_wait_until (&c->cond, &c->lock, deadline))
      break;
  fail_unless (c->buffers >= n, "only %u buffers reached the sink", c->buffers);
  g_mutex_unlock (&c->lock);
}

static GstBuffer *
make_prediction (guint i, GstWeatherPrediction * out)
{
  GstWeatherPrediction p;

  gst_weather_prediction_init (&p);
  p.window_start = G_GINT64_CONSTANT (1764000000000000000) +
      (gint64) i *GST_SECOND;
  p.window_end = p.window_start + GST_SECOND;
  p.model = GST_WEATHER_MODEL_ZAMBRETTI;
  p.chance_of_rain_pct = (i % 101);
  p.mean_pressure_hpa = 1000.0 + (i % 40);
  p.pressure_trend_hpa = -1.5;
  p.mean_temperature_c = 12.25;
  p.stations_used = 3;
  p.stations_missing = i % 2;
  p.letter = 'A' + (i % 26);
  g_strlcpy (p.forecast, "Settled fine", sizeof (p.forecast));
  if (out)
    *out = p;
  return gst_weather_prediction_to_buffer (&p);
}

static gchar *
prediction_json (const GstWeatherPrediction * p)
{
  GString *s = g_string_new (NULL);

  gst_weather_prediction_to_json (p, s);
  return g_string_free (s, FALSE);
}

static gboolean
payload_equals (MqttMessage * m, const gchar * text)
{
  gsize len;
  const gchar *data = g_bytes_get_data (m->payload, &len);

  return len == strlen (text) && memcmp (data, text, len) == 0;
}

/* Plays @p, sends @text as its only message and ends the stream; checks
 * that EOS came and that @text is the first message @sub received. */
static void
send_one_received (MqttPipeline * p, MqttSubscriber * sub, const gchar * text)
{
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  push_bytes (p, text, -1);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 1, WAIT_S), 1);
  fail_unless (payload_equals (g_ptr_array_index (mqtt_subscriber_messages
              (sub), 0), text));
}

/* Publishes @buf (taken) from a pipeline of @caps and @props to the
 * broker at @port, and waits for the end of its stream. */
static void
publish_one (guint port, const gchar * caps, const gchar * props,
    GstBuffer * buf)
{
  MqttPipeline *p = mqtt_sink_pipeline_new (caps, port, props);

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          buf), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  mqtt_pipeline_free (p);
}

/* ---- round trips ---- */

static const gint qos_levels[] = { 0, 1, 2 };

GST_START_TEST (test_raw_round_trip_qos)
{
  gint qos = qos_levels[__i__];
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  MqttPipeline *p;
  gchar *props;
  guint i, n = 200;
  GPtrArray *msgs;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "raw/#", 2, NULL);
  fail_unless (sub != NULL);
  props = g_strdup_printf ("topic=raw/{station} qos=%d", qos);
  p = mqtt_sink_pipeline_new ("application/json", mqtt_broker_port (b), props);
  g_free (props);
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  for (i = 0; i < n; i++) {
    gchar *j = g_strdup_printf ("{\"n\":%u,\"text\":\"caf\xc3\xa9 %u\"}", i,
        i * 7);
    push_bytes (p, j, -1);
    g_free (j);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);

  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "published"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "acknowledged"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "queued"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "reconnects"), 0);

  /* QoS 0 is only "written": over loopback to a live broker nothing is
   * lost, but only QoS >= 1 promises it */
  fail_unless_equals_int (mqtt_subscriber_wait (sub, n, WAIT_S), n);
  msgs = mqtt_subscriber_messages (sub);
  for (i = 0; i < n; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);
    gchar *j = g_strdup_printf ("{\"n\":%u,\"text\":\"caf\xc3\xa9 %u\"}", i,
        i * 7);

    fail_unless_equals_string (m->topic, "raw/unknown");
    fail_unless (payload_equals (m, j), "payload %u differs", i);
    fail_unless_equals_int (m->qos, qos);
    fail_if (m->retain);
    g_free (j);
  }
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_prediction_round_trip)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  MqttPipeline *p;
  guint i, n = 100;
  GPtrArray *msgs;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "pred/#", 1, NULL);
  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      "topic=pred/{station}/{model}/{window}");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  for (i = 0; i < n; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            make_prediction (i, NULL)), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);

  fail_unless_equals_int (mqtt_subscriber_wait (sub, n, WAIT_S), n);
  msgs = mqtt_subscriber_messages (sub);
  for (i = 0; i < n; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);
    GstWeatherPrediction pr;
    gchar *json, *topic;
    GstBuffer *buf = make_prediction (i, &pr);

    json = prediction_json (&pr);
    topic = g_strdup_printf ("pred/all/zambretti/%" G_GINT64_FORMAT,
        pr.window_start / 1000000);
    fail_unless_equals_string (m->topic, topic);
    fail_unless (payload_equals (m, json), "payload %u: %s", i, json);
    fail_unless_equals_int (m->qos, 1);
    g_free (json);
    g_free (topic);
    gst_buffer_unref (buf);
  }
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;


/* {station} of a group or prediction is its key's name, escaped like a
 * station name: a station's, a region's, or "all". */
GST_START_TEST (test_topic_is_key_name)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  MqttPipeline *p;
  GPtrArray *msgs;
  GstWeatherPrediction pr;
  GstWeatherGroup g;
  GstBuffer *buf;
  GString *want = g_string_new (NULL);
  guint i;
  static const gchar *expect[] = {
    "k/attic/zambretti", "k/north%2Feast/zambretti", "k/all/zambretti",
    "k/north%2Feast/none",
  };

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "k/#", 1, NULL);
  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      "topic=k/{station}/{model}");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  for (i = 0; i < 3; i++) {
    buf = make_prediction (i, &pr);
    gst_buffer_unref (buf);
    if (i == 0)
      gst_weather_key_init_station (&pr.key, 5, "attic");
    else if (i == 1)
      fail_unless (gst_weather_key_init_region (&pr.key, "north/east", NULL));
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            gst_weather_prediction_to_buffer (&pr)), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  mqtt_pipeline_free (p);

  gst_weather_group_init (&g, 0);
  g.window_start = 0;
  g.window_end = GST_SECOND;
  fail_unless (gst_weather_key_init_region (&g.key, "north/east", NULL));
  gst_weather_group_to_json (&g, want);
  publish_one (mqtt_broker_port (b), GST_WEATHER_GROUP_CAPS,
      "topic=k/{station}/{model}", gst_weather_group_to_buffer (&g));
  gst_weather_group_clear (&g);

  fail_unless_equals_int (mqtt_subscriber_wait (sub, 4, WAIT_S), 4);
  msgs = mqtt_subscriber_messages (sub);
  for (i = 0; i < 4; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);

    fail_unless_equals_string (m->topic, expect[i]);
  }
  fail_unless (payload_equals (g_ptr_array_index (msgs, 3), want->str));
  g_string_free (want, TRUE);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Readings and groups: the exact bytes of the library's encoder. */
GST_START_TEST (test_reading_and_group_round_trip)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GPtrArray *msgs;
  GstWeatherReading r;
  GstWeatherGroup g;
  GString *want_r = g_string_new (NULL), *want_g = g_string_new (NULL);
  gint64 w = G_GINT64_CONSTANT (1764000000000000000);
  gchar *topic;
  guint k;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "s/#", 2, NULL);
  fail_unless (sub != NULL);

  /* a reading */
  gst_weather_reading_init (&r);
  r.station_id = 12;
  r.created_at = w + 250 * GST_MSECOND;
  r.sequence = 77;
  r.temperature_c = -3.5;
  r.pressure_hpa = 1001.25;
  r.humidity_pct = 81;
  fail_unless (gst_weather_reading_set_station_name (&r, "roof", NULL));
  gst_weather_reading_to_json (&r, want_r);
  publish_one (mqtt_broker_port (b), GST_WEATHER_READING_CAPS,
      "topic=s/{station}/{model}/{window} qos=2",
      gst_weather_reading_to_buffer (&r));

  /* a group of three slots, one missing */
  gst_weather_group_init (&g, 3);
  g.window_start = w;
  g.window_end = w + GST_SECOND;
  for (k = 0; k < 3; k++) {
    g.slots[k].station_id = k + 1;
    if (k == 1)
      continue;
    g.slots[k].flags = 0;
    g.slots[k].created_at = w + k * GST_MSECOND;
    g.slots[k].temperature_c = 10 + k;
    g.n_present++;
  }
  fail_unless (gst_weather_group_validate (&g, NULL));
  gst_weather_group_to_json (&g, want_g);
  publish_one (mqtt_broker_port (b), GST_WEATHER_GROUP_CAPS,
      "topic=s/{station}/{model}/{window} qos=1",
      gst_weather_group_to_buffer (&g));
  gst_weather_group_clear (&g);

  fail_unless_equals_int (mqtt_subscriber_wait (sub, 2, WAIT_S), 2);
  msgs = mqtt_subscriber_messages (sub);
  fail_unless_equals_string (((MqttMessage *) g_ptr_array_index (msgs,
              0))->topic, "s/roof/none/none");
  fail_unless (payload_equals (g_ptr_array_index (msgs, 0), want_r->str));
  fail_unless_equals_int (((MqttMessage *) g_ptr_array_index (msgs,
              0))->qos, 2);
  topic = g_strdup_printf ("s/all/none/%" G_GINT64_FORMAT, w / 1000000);
  fail_unless_equals_string (((MqttMessage *) g_ptr_array_index (msgs,
              1))->topic, topic);
  fail_unless (payload_equals (g_ptr_array_index (msgs, 1), want_g->str));
  g_free (topic);
  g_string_free (want_r, TRUE);
  g_string_free (want_g, TRUE);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Station names that would add levels, wildcards, a $-topic, or bytes
 * that are not printable, all in one retained run read back by
 * mosquitto_sub. */
static const gchar *hostile_names[] = {
  "a/b", "+", "#", "$SYS", "x%2Fy", "tab\there", "line\nbreak", "../..",
  "sp ace", "\xe2\x98\x83", "/", "%",
};

GST_START_TEST (test_reading_hostile_station_names_retained)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p;
  guint i, n = G_N_ELEMENTS (hostile_names);
  gchar *port, *out, **lines;
  gint status;
  GHashTable *seen;

  p = mqtt_sink_pipeline_new (GST_WEATHER_READING_CAPS, mqtt_broker_port (b),
      "topic=st/{station}/reading retain=true qos=1");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  for (i = 0; i < n; i++) {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    r.station_id = i;
    r.created_at = G_GINT64_CONSTANT (1764000000000000000) + i;
    r.temperature_c = 10 + i;
    fail_unless (gst_weather_reading_set_station_name (&r, hostile_names[i],
            NULL));
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            gst_weather_reading_to_buffer (&r)), GST_FLOW_OK);
  }
  /* and one with no name: its number */
  {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    r.station_id = 4242;
    r.created_at = G_GINT64_CONSTANT (1764000000000000000);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            gst_weather_reading_to_buffer (&r)), GST_FLOW_OK);
  }
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  mqtt_pipeline_free (p);

  /* a late subscriber gets the retained messages: one per station */
  port = g_strdup_printf ("%u", mqtt_broker_port (b));
  {
    gchar *count = g_strdup_printf ("%u", n + 1);
    const gchar *argv[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port,
      "-t", "st/#", "-C", count, "-W", "20", "-F", "%r %t", NULL
    };
    out = mqtt_run_command (argv, 20, &status);
    g_free (count);
  }
  fail_unless_equals_int (status, 0);
  lines = g_strsplit (out, "\n", -1);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (i = 0; lines[i] && *lines[i]; i++) {
    gchar **levels;
    gchar *name;

    fail_unless (g_str_has_prefix (lines[i], "1 "), "not retained: %s",
        lines[i]);
    levels = g_strsplit (lines[i] + 2, "/", -1);
    /* the structure never changes: exactly three levels */
    fail_unless_equals_int (g_strv_length (levels), 3);
    fail_unless_equals_string (levels[0], "st");
    fail_unless_equals_string (levels[2], "reading");
    fail_if (strchr (levels[1], '+') || strchr (levels[1], '#') ||
        levels[1][0] == '$');
    name = g_uri_unescape_string (levels[1], NULL);
    fail_unless (name != NULL);
    g_hash_table_add (seen, name);
    g_strfreev (levels);
  }
  fail_unless_equals_int (i, n + 1);
  for (i = 0; i < n; i++)
    fail_unless (g_hash_table_contains (seen, hostile_names[i]),
        "%s missing", hostile_names[i]);
  fail_unless (g_hash_table_contains (seen, "4242"));
  g_hash_table_unref (seen);
  g_strfreev (lines);
  g_free (out);
  g_free (port);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_retain_off_leaves_nothing)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p;
  gchar *port, *out;
  gint status;

  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "topic=r/{station} retain=false");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  push_bytes (p, "not retained", -1);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "acknowledged"), 1);
  mqtt_pipeline_free (p);

  port = g_strdup_printf ("%u", mqtt_broker_port (b));
  {
    const gchar *pub[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port,
      "-t", "r/zz-marker", "-r", "-m", "marker", NULL
    };
    g_free (mqtt_run_command (pub, 10, &status));
    fail_unless_equals_int (status, 0);
  }
  {
    /* two wanted, only the marker is there: -W ends the wait */
    const gchar *argv[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port,
      "-t", "r/#", "-C", "2", "-W", "2", "-F", "%t %p", NULL
    };
    out = mqtt_run_command (argv, 10, &status);
  }
  /* "Timed out" from -W aside, the marker is all there is */
  {
    gchar **lines = g_strsplit (out, "\n", -1);
    guint k, topics = 0;

    for (k = 0; lines[k]; k++) {
      if (g_str_has_prefix (lines[k], "r/")) {
        fail_unless_equals_string (lines[k], "r/zz-marker marker");
        topics++;
      }
    }
    fail_unless_equals_int (topics, 1);
    g_strfreev (lines);
  }
  g_free (out);
  g_free (port);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- bad input and failures ---- */

GST_START_TEST (test_unreachable_broker_error)
{
  guint port = mqtt_free_port ();
  MqttPipeline *p = mqtt_sink_pipeline_new ("text/plain", port, NULL);
  gchar *where = g_strdup_printf ("127.0.0.1:%u", port);

  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, where);
  g_free (where);
  mqtt_pipeline_free (p);
}

GST_END_TEST;

static MqttBroker *
auth_broker_new (void)
{
  gchar *dir, *pwfile;
  MqttBroker *b;
  gint status;

  /* mosquitto_passwd writes the file before the broker reads it */
  dir = g_dir_make_tmp ("gstweather-pw-XXXXXX", NULL);
  pwfile = g_build_filename (dir, "passwd", NULL);
  {
    const gchar *argv[] = { "mosquitto_passwd", "-b", "-c", pwfile, "alice",
      "s3cret", NULL
    };
    g_free (mqtt_run_command (argv, 10, &status));
    fail_unless_equals_int (status, 0);
  }
  {
    gchar *listener = g_strdup_printf ("listener @PORT@ 127.0.0.1\n"
        "password_file %s", pwfile);
    b = mqtt_broker_new_custom (listener);
    g_free (listener);
  }
  g_free (pwfile);
  g_free (dir);
  return b;
}

GST_START_TEST (test_wrong_password_error)
{
  MqttBroker *b = auth_broker_new ();
  MqttPipeline *p;

  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "username=alice password=wrong");
  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "not authorized");
  mqtt_pipeline_free (p);

  /* no credentials at all on a broker that wants them */
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), NULL);
  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "not authorized");
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_right_password_publishes)
{
  MqttBroker *b = auth_broker_new ();
  MqttSubscriberOptions o = { NULL, FALSE, "alice", "s3cret", NULL };
  MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b), "a/#", 1,
      &o);
  MqttPipeline *p;

  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "topic=a/b username=alice password=s3cret");
  /* write-only: it can never be read back */
  fail_if (g_object_class_find_property (G_OBJECT_GET_CLASS (p->sink),
          "password")->flags & G_PARAM_READABLE);
  send_one_received (p, sub, "hello");
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* A temporary file holding @contents; the caller unlinks and frees. */
static gchar *
temp_file_with (const gchar * contents)
{
  GError *err = NULL;
  gchar *path;
  gint fd = g_file_open_tmp ("gstweather-pw-XXXXXX", &path, &err);

  g_assert_no_error (err);
  close (fd);
  fail_unless (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

/* password-file: the first line is the password, it wins over
 * password=, and neither a wrong one nor a missing file ever shows the
 * password. */
GST_START_TEST (test_password_file)
{
  MqttBroker *b = auth_broker_new ();
  MqttSubscriberOptions o = { NULL, FALSE, "alice", "s3cret", NULL };
  MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b), "a/#", 1,
      &o);
  gchar *right = temp_file_with ("s3cret\nthe rest is ignored\n");
  gchar *wrong = temp_file_with ("wr0ng-s3cret\r\n");
  gchar *missing = g_strdup_printf ("%s.missing", wrong);
  gchar *props, *all;
  MqttPipeline *p;
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL;

  fail_unless (sub != NULL);
  props = g_strdup_printf ("topic=a/b username=alice password=nope "
      "password-file=%s", right);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props);
  g_free (props);
  send_one_received (p, sub, "via file");
  mqtt_pipeline_free (p);

  props = g_strdup_printf ("username=alice password-file=%s", wrong);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props);
  g_free (props);
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  msg = mqtt_pipeline_wait_eos_or_error (p, WAIT_S);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &dbg);
  all = g_strdup_printf ("%s %s", err->message, dbg ? dbg : "");
  fail_unless (strstr (all, "not authorized") != NULL, "%s", all);
  fail_if (strstr (all, "wr0ng") != NULL, "the password shows: %s", all);
  g_free (all);
  g_free (dbg);
  g_clear_error (&err);
  gst_message_unref (msg);
  mqtt_pipeline_free (p);

  props = g_strdup_printf ("username=alice password-file=%s", missing);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props);
  g_free (props);
  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, "Cannot read password-file");
  mqtt_pipeline_free (p);

  g_unlink (right);
  g_unlink (wrong);
  g_free (right);
  g_free (wrong);
  g_free (missing);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_bad_topic_template_error)
{
  static const gchar *bad[] = { "a/+/b", "a/#", "x/{nope}", "x/{station" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    MqttPipeline *p = mqtt_sink_pipeline_new ("text/plain", 1, NULL);

    g_object_set (p->sink, "topic", bad[i], NULL);
    mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
        GST_RESOURCE_ERROR_SETTINGS, "topic");
    mqtt_pipeline_free (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_invalid_buffers_counted)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b), "inv/#",
      1, NULL);
  MqttPipeline *p;
  GstWeatherReading r;
  GstBuffer *good;
  guint8 junk[128];

  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_READING_CAPS, mqtt_broker_port (b),
      "topic=inv/{station}");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  /* wrong size, empty, a record with garbage (NaN station name bytes,
   * negative time) */
  push_bytes (p, "short", -1);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          gst_buffer_new ()), GST_FLOW_OK);
  memset (junk, 0xff, sizeof (junk));
  push_bytes (p, (const gchar *) junk, sizeof (junk));
  gst_weather_reading_init (&r);
  r.station_id = 7;
  r.created_at = 1;
  good = gst_weather_reading_to_buffer (&r);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          good), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "invalid"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "published"), 1);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 1, WAIT_S), 1);
  fail_unless_equals_string (((MqttMessage *)
          g_ptr_array_index (mqtt_subscriber_messages (sub), 0))->topic,
      "inv/7");
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_empty_raw_buffer_not_sent)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = mqtt_sink_pipeline_new ("application/json",
      mqtt_broker_port (b), "retain=true");

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          gst_buffer_new ()), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "invalid"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "published"), 0);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* The broker dies and never returns: EOS must not be a success. */
GST_START_TEST (test_eos_timeout_is_an_error)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "eos-timeout=1000000000 qos=1 topic=a/b");
  GstMessage *msg;

  start_connected (p, "first");
  mqtt_broker_kill (b);
  push_bytes (p, "lost?", -1);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  msg = mqtt_pipeline_wait_eos_or_error (p, WAIT_S);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    fail_unless (strstr (err->message, "not acknowledged") != NULL);
    g_error_free (err);
  }
  gst_message_unref (msg);
  /* "first" may or may not have been acknowledged before the kill */
  fail_unless (weather_stat_u64 (p->sink, "acknowledged") +
      weather_stat_u64 (p->sink, "queued") == 2);
  fail_unless (weather_stat_u64 (p->sink, "queued") >= 1);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* While the broker is away, a full queue with drop-oldest drops the
 * oldest, counts them, and what is left arrives after the restart. */
GST_START_TEST (test_drop_oldest_while_disconnected)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriberOptions o = { "drop-sub", TRUE, NULL, NULL, NULL };
  MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b), "d/#", 1,
      &o);
  MqttPipeline *p;
  guint i, n = 100, got;
  guint64 dropped, acked;
  GPtrArray *msgs;
  BufferCounter counter = { 0, };

  fail_unless (sub != NULL);
  /* the subscriber's session must be on disk before the kill */
  fail_unless (mqtt_broker_wait_saved (b));

  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "topic=d/x max-queued=10 max-inflight=5 queue-policy=drop-oldest");
  {
    GstPad *pad = gst_element_get_static_pad (p->sink, "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &counter,
        NULL);
    gst_object_unref (pad);
  }
  start_connected (p, "first");
  mqtt_broker_kill (b);
  for (i = 1; i < n; i++) {
    gchar *t = g_strdup_printf ("%u", i);
    push_bytes (p, t, -1);
    g_free (t);
  }
  /* the pushes above never block: the oldest make room */
  wait_buffers (&counter, n);
  mqtt_broker_restart (b);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  dropped = weather_stat_u64 (p->sink, "dropped");
  acked = weather_stat_u64 (p->sink, "acknowledged");
  /* at least the 99 pushed while away, less 10 queued, 5 in flight and
   * the one being rendered */
  fail_unless (dropped >= 83, "dropped %" G_GUINT64_FORMAT, dropped);
  fail_unless_equals_uint64 (acked + dropped, n);
  got = mqtt_subscriber_wait (sub, acked, WAIT_S);
  fail_unless (got >= acked, "received %u of %" G_GUINT64_FORMAT, got, acked);
  /* the newest survived (a message resent after the reconnect may come
   * after it: order across a reconnect is not promised) */
  msgs = mqtt_subscriber_messages (sub);
  {
    gboolean newest = FALSE;

    for (i = 0; i < msgs->len; i++)
      newest |= payload_equals (g_ptr_array_index (msgs, i), "99");
    fail_unless (newest);
  }
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_status_topic)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b),
      "status/#", 1, NULL);
  MqttPipeline *p;
  GPtrArray *msgs;
  gchar *port, *out;
  gint status;

  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "topic=status/data status-topic=status/pub");
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  push_bytes (p, "x", -1);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  fail_unless (mqtt_subscriber_wait (sub, 3, WAIT_S) >= 3);
  msgs = mqtt_subscriber_messages (sub);
  fail_unless_equals_string (((MqttMessage *) g_ptr_array_index (msgs,
              0))->topic, "status/pub");
  fail_unless (payload_equals (g_ptr_array_index (msgs, 0), "online"));
  fail_unless (payload_equals (g_ptr_array_index (msgs, 1), "x"));
  fail_unless (payload_equals (g_ptr_array_index (msgs, msgs->len - 1),
          "offline"));
  mqtt_pipeline_free (p);

  /* retained for whoever comes later */
  port = g_strdup_printf ("%u", mqtt_broker_port (b));
  {
    const gchar *argv[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port,
      "-t", "status/pub", "-C", "1", "-W", "10", NULL
    };
    out = mqtt_run_command (argv, 10, &status);
  }
  fail_unless_equals_string (out, "offline\n");
  g_free (out);
  g_free (port);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- TLS ---- */

static void
run_ok (const gchar * const *argv)
{
  gint status;
  gchar *out = mqtt_run_command (argv, 30, &status);

  fail_unless (g_spawn_check_wait_status (status, NULL), "%s failed: %s",
      argv[0], out);
  g_free (out);
}

/* A CA, made now by openssl: DIR/NAME.crt and DIR/NAME.key. */
static void
make_ca (const gchar * dir, const gchar * name)
{
  gchar *key = g_strdup_printf ("%s/%s.key", dir, name);
  gchar *crt = g_strdup_printf ("%s/%s.crt", dir, name);
  const gchar *ca_argv[] = { "openssl", "req", "-x509", "-newkey",
    "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=gst-weather test CA",
    "-keyout", key, "-out", crt, NULL
  };

  run_ok (ca_argv);
  g_free (key);
  g_free (crt);
}

/* A server certificate DIR/NAME.crt (key DIR/NAME.key) for the names in
 * @san ("IP:127.0.0.1"), signed by the CA DIR/ca. */
static void
make_server_cert (const gchar * dir, const gchar * name, const gchar * san)
{
  gchar *ca_key = g_strdup_printf ("%s/ca.key", dir);
  gchar *ca_crt = g_strdup_printf ("%s/ca.crt", dir);
  gchar *skey = g_strdup_printf ("%s/%s.key", dir, name);
  gchar *scsr = g_strdup_printf ("%s/%s.csr", dir, name);
  gchar *scrt = g_strdup_printf ("%s/%s.crt", dir, name);
  gchar *ext = g_strdup_printf ("%s/%s.ext", dir, name);
  gchar *ext_text = g_strdup_printf ("subjectAltName=%s\n", san);
  const gchar *req_argv[] = { "openssl", "req", "-newkey", "rsa:2048",
    "-nodes", "-subj", "/CN=gst-weather test broker", "-keyout", skey,
    "-out", scsr, NULL
  };
  const gchar *sign_argv[] = { "openssl", "x509", "-req", "-in", scsr,
    "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial", "-days", "2",
    "-extfile", ext, "-out", scrt, NULL
  };

  g_file_set_contents (ext, ext_text, -1, NULL);
  run_ok (req_argv);
  run_ok (sign_argv);
  g_free (ca_key);
  g_free (ca_crt);
  g_free (skey);
  g_free (scsr);
  g_free (scrt);
  g_free (ext);
  g_free (ext_text);
}

/* A Mosquitto with a TLS listener presenting DIR/CERT.crt. */
static MqttBroker *
tls_broker_new (const gchar * dir, const gchar * cert, const gchar * extra)
{
  gchar *listener = g_strdup_printf ("listener @PORT@ 127.0.0.1\n"
      "cafile %s/ca.crt\ncertfile %s/%s.crt\nkeyfile %s/%s.key\n%s", dir,
      dir, cert, dir, cert, extra ? extra : "allow_anonymous true");
  MqttBroker *b = mqtt_broker_new_custom (listener);

  g_free (listener);
  return b;
}

static void
remove_dir (const gchar * dir)
{
  const gchar *argv[] = { "rm", "-rf", dir, NULL };

  run_ok (argv);
}

GST_START_TEST (test_tls_with_password)
{
  gchar *dir = g_dir_make_tmp ("gstweather-tls-XXXXXX", NULL);
  gchar *pwfile = g_build_filename (dir, "passwd", NULL);
  gchar *ca = g_build_filename (dir, "ca.crt", NULL);
  gchar *other_ca = g_build_filename (dir, "other.crt", NULL);
  gchar *listener, *props, *port, *out;
  MqttBroker *b;
  MqttSubscriberOptions o = { NULL, FALSE, "alice", "s3cret", NULL };
  MqttSubscriber *sub;
  MqttPipeline *p;
  gint status;

  make_ca (dir, "ca");
  make_ca (dir, "other");
  make_server_cert (dir, "server", "IP:127.0.0.1");
  {
    const gchar *argv[] = { "mosquitto_passwd", "-b", "-c", pwfile, "alice",
      "s3cret", NULL
    };
    run_ok (argv);
  }
  listener = g_strdup_printf ("password_file %s", pwfile);
  b = tls_broker_new (dir, "server", listener);
  g_free (listener);

  o.ca_file = ca;
  sub = mqtt_subscriber_new (mqtt_broker_port (b), "tls/#", 1, &o);
  fail_unless (sub != NULL);

  /* the right client: our CA, user and password */
  props = g_strdup_printf ("topic=tls/x username=alice password=s3cret "
      "tls-ca-file=%s", ca);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props);
  g_free (props);
  send_one_received (p, sub, "secret weather");
  mqtt_pipeline_free (p);

  /* a client that trusts another CA is refused */
  props = g_strdup_printf ("username=alice password=s3cret tls-ca-file=%s",
      other_ca);
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props);
  g_free (props);
  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "not signed by a CA in tls-ca-file");
  mqtt_pipeline_free (p);

  /* plain TCP to the TLS listener is refused */
  p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b),
      "username=alice password=s3cret");
  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_OPEN_WRITE, "127.0.0.1");
  mqtt_pipeline_free (p);

  /* and a real client without the CA is refused too */
  port = g_strdup_printf ("%u", mqtt_broker_port (b));
  {
    const gchar *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p", port,
      "-u", "alice", "-P", "s3cret", "--capath", dir, "-t", "tls/x", "-m",
      "nope", NULL
    };
    out = mqtt_run_command (argv, 10, &status);
    fail_if (g_spawn_check_wait_status (status, NULL), "connected: %s", out);
    g_free (out);
  }
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 2, 1), 1);

  g_free (port);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
  g_free (ca);
  g_free (other_ca);
  g_free (pwfile);
  remove_dir (dir);
  g_free (dir);
}

GST_END_TEST;

/* Each way TLS can fail names its own cause in the error message. */
typedef struct
{
  const gchar *props;           /* "@DIR@" is the certificates' dir */
  gboolean wrong_name_broker;   /* its certificate names another host */
  gboolean plain_broker;        /* no TLS on that port */
  gint code;
  const gchar *message;         /* what the error message must say */
} TlsFailure;

static const TlsFailure tls_failures[] = {
  {"tls-ca-file=@DIR@/other.crt", FALSE, FALSE, GST_RESOURCE_ERROR_OPEN_WRITE,
      "its TLS certificate is not signed by a CA in tls-ca-file"},
  {"tls-ca-file=@DIR@/ca.crt", TRUE, FALSE, GST_RESOURCE_ERROR_OPEN_WRITE,
      "its TLS certificate is not valid for the host name \"127.0.0.1\""},
  {"tls-ca-file=@DIR@/missing.crt", FALSE, FALSE,
      GST_RESOURCE_ERROR_SETTINGS, "Cannot read tls-ca-file"},
  {"tls-ca-file=@DIR@/garbage.crt", FALSE, FALSE,
      GST_RESOURCE_ERROR_SETTINGS, "holds no certificate in PEM form"},
  {"tls-ca-file=@DIR@/ca.crt tls-cert-file=@DIR@/ca.crt", FALSE, FALSE,
      GST_RESOURCE_ERROR_SETTINGS, "holds no private key"},
  {"tls-ca-file=@DIR@/ca.crt", FALSE, TRUE, GST_RESOURCE_ERROR_OPEN_WRITE,
      "the TLS handshake failed"},
  {"", FALSE, FALSE, GST_RESOURCE_ERROR_OPEN_WRITE,
      "connection refused, unreachable or closed by the broker"},
};

GST_START_TEST (test_tls_failures_named)
{
  gchar *dir = g_dir_make_tmp ("gstweather-tls-XXXXXX", NULL);
  gchar *garbage = g_build_filename (dir, "garbage.crt", NULL);
  MqttBroker *good, *wrong_name, *plain;
  GHashTable *messages = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  guint i;

  make_ca (dir, "ca");
  make_ca (dir, "other");
  make_server_cert (dir, "server", "IP:127.0.0.1");
  make_server_cert (dir, "elsewhere", "DNS:elsewhere.example,IP:127.0.0.2");
  g_file_set_contents (garbage, "this is no certificate\n", -1, NULL);
  good = tls_broker_new (dir, "server", NULL);
  wrong_name = tls_broker_new (dir, "elsewhere", NULL);
  plain = mqtt_broker_new (NULL);

  for (i = 0; i < G_N_ELEMENTS (tls_failures); i++) {
    const TlsFailure *f = &tls_failures[i];
    MqttBroker *b = f->wrong_name_broker ? wrong_name : f->plain_broker ?
        plain : good;
    GString *props = g_string_new (f->props);
    MqttPipeline *p;
    GstMessage *msg;
    GError *err = NULL;

    g_string_replace (props, "@DIR@", dir, 0);
    p = mqtt_sink_pipeline_new ("text/plain", mqtt_broker_port (b), props->str);
    g_string_free (props, TRUE);
    gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
    msg = mqtt_pipeline_wait_eos_or_error (p, WAIT_S);
    fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
    gst_message_parse_error (msg, &err, NULL);
    GST_INFO ("%s: %s", f->props, err->message);
    fail_unless (err->domain == GST_RESOURCE_ERROR && err->code == f->code,
        "case %u: wrong error %s", i, err->message);
    fail_unless (strstr (err->message, f->message) != NULL,
        "case %u: \"%s\" not in \"%s\"", i, f->message, err->message);
    /* the message itself tells the cases apart */
    fail_unless (g_hash_table_add (messages, g_strdup (err->message)),
        "case %u: the same message as another: %s", i, err->message);
    g_error_free (err);
    gst_message_unref (msg);
    mqtt_pipeline_free (p);
  }

  g_hash_table_unref (messages);
  mqtt_broker_free (good);
  mqtt_broker_free (wrong_name);
  mqtt_broker_free (plain);
  g_free (garbage);
  remove_dir (dir);
  g_free (dir);
}

GST_END_TEST;

/* ---- broker restart in the middle of a stream ---- */

GST_START_TEST (test_broker_restart_mid_stream)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriberOptions o = { "restart-sub", TRUE, NULL, NULL, NULL };
  MqttSubscriber *sub;
  MqttPipeline *p;
  GstBus *bus;
  GstMessage *err_msg;
  guint i, n = 10000, got, unique = 0, dups = 0;
  guint8 *seen;
  GPtrArray *msgs;
  BufferCounter counter = { 0, };

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "pred/#", 1, &o);
  fail_unless (sub != NULL);
  fail_unless (mqtt_broker_wait_saved (b));

  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      "topic=pred/{window} qos=1 max-inflight=100 max-queued=1000");
  {
    GstPad *pad = gst_element_get_static_pad (p->sink, "sink");

    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, count_buffer, &counter,
        NULL);
    gst_object_unref (pad);
  }
  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  for (i = 0; i < 4000; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            make_prediction (i, NULL)), GST_FLOW_OK);
  /* Mosquitto acknowledges a QoS 1 message once it is in its memory and
   * saves to disk only every autosave_interval: SIGKILL loses what it
   * acknowledged and had not yet delivered or saved. That is the broker's
   * loss, not ours. So the broker is first frozen (SIGSTOP) once the
   * subscriber has what it took so far: from then on it reads nothing and
   * acknowledges nothing, and the sink's next messages are in flight,
   * unacknowledged, when SIGKILL comes. They and everything pushed while
   * the broker is dead, restarting and reconnecting must arrive. */
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 4000, WAIT_S), 4000);
  mqtt_broker_freeze (b);
  for (; i < 7000; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            make_prediction (i, NULL)), GST_FLOW_OK);
  /* the sink's queue (1000) is full by now: the rest wait in appsrc */
  wait_buffers (&counter, 4000 + 1000);
  mqtt_broker_kill (b);
  mqtt_broker_restart (b);
  for (; i < n; i++)
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
            make_prediction (i, NULL)), GST_FLOW_OK);
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);

  /* no error ever, EOS only after the last acknowledgement */
  bus = gst_element_get_bus (p->pipeline);
  err_msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (err_msg == NULL);
  gst_object_unref (bus);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "published"), n);
  fail_unless (weather_stat_u64 (p->sink, "acknowledged") == n);
  fail_unless_equals_uint64 (weather_stat_u64 (p->sink, "queued"), 0);
  fail_unless (weather_stat_u64 (p->sink, "reconnects") >= 1);
  /* the messages in flight at the kill were sent again */
  fail_unless (weather_stat_u64 (p->sink, "resent") >= 1);

  got = mqtt_subscriber_wait (sub, n, WAIT_S);
  msgs = mqtt_subscriber_messages (sub);
  seen = g_new0 (guint8, n);
  for (i = 0; i < msgs->len; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);
    gint64 ms = g_ascii_strtoll (m->topic + 5, NULL, 10);
    guint k = (guint) ((ms - G_GINT64_CONSTANT (1764000000000)) / 1000);

    fail_unless (k < n, "unexpected topic %s", m->topic);
    if (seen[k])
      dups++;
    else
      unique++;
    seen[k] = 1;
  }
  /* wait for stragglers only while something is missing */
  while (unique < n && got < msgs->len + 1) {
    guint before = msgs->len;

    got = mqtt_subscriber_wait (sub, before + 1, 10);
    if (got == before)
      break;
    for (i = before; i < msgs->len; i++) {
      MqttMessage *m = g_ptr_array_index (msgs, i);
      gint64 ms = g_ascii_strtoll (m->topic + 5, NULL, 10);
      guint k = (guint) ((ms - G_GINT64_CONSTANT (1764000000000)) / 1000);

      fail_unless (k < n);
      if (seen[k])
        dups++;
      else
        unique++;
      seen[k] = 1;
    }
  }
  GST_INFO ("restart: sent %u, received %u, unique %u, duplicates %u, "
      "sink resent %" G_GUINT64_FORMAT ", reconnects %" G_GUINT64_FORMAT,
      n, msgs->len, unique, dups, weather_stat_u64 (p->sink, "resent"),
      weather_stat_u64 (p->sink, "reconnects"));
  g_printerr ("restart: sent %u, received %u, unique %u, duplicates %u, "
      "sink resent %" G_GUINT64_FORMAT ", reconnects %" G_GUINT64_FORMAT
      "\n", n, msgs->len, unique, dups, weather_stat_u64 (p->sink, "resent"),
      weather_stat_u64 (p->sink, "reconnects"));
  if (unique != n) {
    GString *gaps = g_string_new (NULL);

    for (i = 0; i < n; i++)
      if (!seen[i] && (i == 0 || seen[i - 1]))
        g_string_append_printf (gaps, " %u-", i);
      else if (seen[i] && i > 0 && !seen[i - 1])
        g_string_append_printf (gaps, "%u", i - 1);
    g_printerr ("missing:%s\n", gaps->str);
    g_string_free (gaps, TRUE);
  }
  fail_unless_equals_int (unique, n);
  g_free (seen);
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqttsink_suite (void)
{
  Suite *s = suite_create ("mqttsink");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_raw_round_trip_qos, 0,
      G_N_ELEMENTS (qos_levels));
  tcase_add_test (tc, test_prediction_round_trip);
  tcase_add_test (tc, test_reading_and_group_round_trip);
  tcase_add_test (tc, test_topic_is_key_name);
  tcase_add_test (tc, test_reading_hostile_station_names_retained);
  tcase_add_test (tc, test_retain_off_leaves_nothing);
  tcase_add_test (tc, test_right_password_publishes);
  tcase_add_test (tc, test_status_topic);
  tcase_add_test (tc, test_broker_restart_mid_stream);
  /* bad input and failures */
  tcase_add_test (tc, test_unreachable_broker_error);
  tcase_add_test (tc, test_wrong_password_error);
  tcase_add_test (tc, test_password_file);
  tcase_add_test (tc, test_bad_topic_template_error);
  tcase_add_test (tc, test_invalid_buffers_counted);
  tcase_add_test (tc, test_empty_raw_buffer_not_sent);
  tcase_add_test (tc, test_eos_timeout_is_an_error);
  tcase_add_test (tc, test_drop_oldest_while_disconnected);
  tcase_add_test (tc, test_tls_with_password);
  tcase_add_test (tc, test_tls_failures_named);
  return s;
}

GST_CHECK_MAIN (mqttsink);
