/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Regions from MQTT topics, against a real Mosquitto started per test on a
 * free loopback port: mqttsrc's region-topic-level announces each
 * station's region in order with its readings; through weatherbin
 * group-by=region and predictor, mqttsink publishes each region's
 * predictions on the region's own topic.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../weatherstats.h"

#define WAIT_S 30

/* A reading of @station (its id the hash of the name) created @created_at,
 * as JSON, appended to @msgs on @topic. */
static void
add_reading (GPtrArray * msgs, const gchar * topic, const gchar * station,
    guint64 seq, gint64 created_at, gdouble pressure)
{
  GstWeatherReading r;
  GString *json = g_string_new (NULL);

  gst_weather_reading_init (&r);
  r.station_id = gst_weather_station_id_from_name (station);
  fail_unless (gst_weather_reading_set_station_name (&r, station, NULL));
  r.sequence = seq;
  r.created_at = created_at;
  r.temperature_c = 12.5;
  r.pressure_hpa = pressure;
  gst_weather_reading_to_json (&r, json);
  g_ptr_array_add (msgs, mqtt_message_new (topic, json->str, json->len));
  g_string_free (json, TRUE);
}

/* What reached the sink of "mqttsrc ! fakesink", in order: "R:id:region"
 * for a region event, "D:id" for a reading. */
typedef struct
{
  GMutex lock;
  GPtrArray *seen;
} Flow;

static void
record_entry (Flow * flow, gchar * entry)
{
  g_mutex_lock (&flow->lock);
  g_ptr_array_add (flow->seen, entry);
  g_mutex_unlock (&flow->lock);
}

static void
record_reading (Flow * flow, GstBuffer * buf)
{
  GstWeatherReading r;

  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  record_entry (flow, g_strdup_printf ("D:%u", r.station_id));
}

/* mqttsrc pushes what waits as buffer lists: each reading is recorded */
static GstPadProbeReturn
record_flow (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Flow *flow = user_data;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT (info);
    const gchar *region;
    guint32 id;

    if (gst_weather_region_event_parse (ev, &id, &region))
      record_entry (flow, g_strdup_printf ("R:%u:%s", id, region));
    else if (GST_EVENT_TYPE (ev) == GST_EVENT_CUSTOM_DOWNSTREAM)
      record_entry (flow, g_strdup ("R:invalid"));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    record_reading (flow, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);
    guint i;

    for (i = 0; i < gst_buffer_list_length (list); i++)
      record_reading (flow, gst_buffer_list_get (list, i));
  }
  return GST_PAD_PROBE_OK;
}

/* Waits (bounded) for EOS and fails on an error. */
static void
wait_eos (GstElement * pipeline)
{
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);

  fail_unless (msg != NULL, "no EOS within %d s", WAIT_S);
  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("error: %s (%s)", err->message, dbg);
  }
  gst_message_unref (msg);
  gst_object_unref (bus);
}

/* mqttsrc alone: a station's region event comes once, right before its
 * first reading, and again when its topic names another region; a topic
 * without a usable region level gives none and is counted. */
GST_START_TEST (test_region_events_in_order)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  Flow flow = { {0}, g_ptr_array_new_with_free_func (g_free) };
  GstElement *pipeline, *src, *sink;
  GstPad *pad;
  gchar *desc, *got, *want;
  guint32 a = gst_weather_station_id_from_name ("a");
  guint32 c = gst_weather_station_id_from_name ("c");
  guint32 d = gst_weather_station_id_from_name ("d");
  gint64 t;

  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "connect-timeout=10000000000 topics=w/# region-topic-level=1 "
      "idle-timeout=2000000000 ! fakesink name=sink sync=false",
      mqtt_broker_port (b));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      record_flow, &flow, NULL);
  gst_object_unref (pad);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  t = g_get_real_time () * 1000;
  add_reading (msgs, "w/north/a", "a", 0, t, 1010);
  add_reading (msgs, "w/north/a", "a", 1, t + 1, 1010);
  add_reading (msgs, "w/north%2Feast/c", "c", 0, t + 2, 1010);
  add_reading (msgs, "w/south/a", "a", 2, t + 3, 1010); /* a moves */
  add_reading (msgs, "w", "d", 0, t + 4, 1010); /* no level 1 */
  add_reading (msgs, "w//d", "d", 1, t + 5, 1010);      /* empty level */
  add_reading (msgs, "w/0123456789012345678901234567890123456789012345678901" "23456/d", "d", 2, t + 6, 1010);  /* 57 bytes */
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  wait_eos (pipeline);

  g_mutex_lock (&flow.lock);
  g_ptr_array_add (flow.seen, NULL);
  got = g_strjoinv (" ", (gchar **) flow.seen->pdata);
  g_ptr_array_remove_index (flow.seen, flow.seen->len - 1);
  g_mutex_unlock (&flow.lock);
  want = g_strdup_printf ("R:%u:north D:%u D:%u R:%u:north/east D:%u "
      "R:%u:south D:%u D:%u D:%u D:%u", a, a, a, c, c, a, a, d, d, d);
  fail_unless_equals_string (got, want);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "no-region"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), 7);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_free (got);
  g_free (want);
  g_free (desc);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  g_ptr_array_unref (flow.seen);
  g_ptr_array_unref (msgs);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Regions that only the topics know, end to end: mqttsrc
 * region-topic-level ! weatherbin group-by=region (either layout) !
 * predictor ! mqttsink topic=pred/{station}/{model}: each region's
 * predictions on its own topic, the key in the payload; a station without
 * a region level is a region of its own. */
GST_START_TEST (test_region_predictions_on_region_topics)
{
  const gchar *layout = __i__ ? "per-station" : "mixed";
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstElement *pipeline, *predictor;
  GHashTable *topics = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GPtrArray *got;
  GstStructure *st;
  guint64 made = 0;
  gchar *desc;
  gint64 t;
  guint i, k;

  sub = mqtt_subscriber_new (mqtt_broker_port (b), "pred/#", 1, NULL);
  fail_unless (sub != NULL);
  desc = g_strdup_printf ("mqttsrc host=127.0.0.1 port=%u "
      "connect-timeout=10000000000 topics=w/# region-topic-level=1 "
      "idle-timeout=2000000000 ! weatherbin layout=%s group-by=region "
      "latency=300000000 ! predictor name=p ! mqttsink host=127.0.0.1 "
      "port=%u connect-timeout=10000000000 topic=pred/{station}/{model}",
      mqtt_broker_port (b), layout, mqtt_broker_port (b));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  predictor = gst_bin_get_by_name (GST_BIN (pipeline), "p");
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  /* three readings of each station 100 ms apart */
  t = g_get_real_time () * 1000;
  for (k = 0; k < 3; k++) {
    gint64 at = t + k * 100 * GST_MSECOND;

    add_reading (msgs, "w/north/n1", "n1", k, at, 1020);
    add_reading (msgs, "w/north/n2", "n2", k, at + 1, 1022);
    add_reading (msgs, "w/north%2Feast/ne", "ne", k, at + 2, 990);
    add_reading (msgs, "w", "lone", k, at + 3, 1000);
  }
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  wait_eos (pipeline);

  g_object_get (predictor, "stats", &st, NULL);
  fail_unless (gst_structure_get_uint64 (st, "predictions", &made));
  gst_structure_free (st);
  /* three regions, in one or two windows each */
  fail_unless (made >= 3 && made <= 6, "%" G_GUINT64_FORMAT, made);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, made, WAIT_S), made);
  got = mqtt_subscriber_messages (sub);
  for (i = 0; i < got->len; i++) {
    MqttMessage *m = g_ptr_array_index (got, i);
    GstWeatherPrediction p;
    gsize size;
    const gchar *data = g_bytes_get_data (m->payload, &size);
    gchar *topic;

    fail_unless (gst_weather_prediction_from_json (data, size, &p, NULL),
        "%.*s", (gint) size, data);
    fail_unless_equals_int (p.key.kind, GST_WEATHER_KEY_REGION);
    /* the key's name, escaped, is the topic level */
    topic = g_strdup_printf ("pred/%s/zambretti",
        g_str_equal (p.key.name, "north/east") ? "north%2Feast" : p.key.name);
    fail_unless_equals_string (m->topic, topic);
    g_free (topic);
    if (g_str_equal (p.key.name, "north")) {
      fail_unless_equals_int (p.stations_used, 2);
      fail_unless_equals_float (p.mean_pressure_hpa, 1021.0);
    } else {
      fail_unless_equals_int (p.stations_used, 1);
    }
    g_hash_table_add (topics, g_strdup (m->topic));
  }
  fail_unless_equals_int (g_hash_table_size (topics), 3);
  fail_unless (g_hash_table_contains (topics, "pred/north/zambretti"));
  fail_unless (g_hash_table_contains (topics, "pred/north%2Feast/zambretti"));
  fail_unless (g_hash_table_contains (topics, "pred/lone/zambretti"));

  gst_element_set_state (pipeline, GST_STATE_NULL);
  g_hash_table_destroy (topics);
  g_free (desc);
  gst_object_unref (predictor);
  gst_object_unref (pipeline);
  g_ptr_array_unref (msgs);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqtt_groupby_suite (void)
{
  Suite *s = suite_create ("mqtt_groupby");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_region_events_in_order);
  tcase_add_loop_test (tc, test_region_predictions_on_region_topics, 0, 2);
  return s;
}

GST_CHECK_MAIN (mqtt_groupby);
