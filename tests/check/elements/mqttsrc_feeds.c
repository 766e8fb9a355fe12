/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mqttsrc reading real feeds, against a real Mosquitto started per test
 * on a free loopback port and real publishers (Python paho): every sample
 * line as rtl_433, WeeWX, pywws and an Ecowitt bridge publish it (ours
 * and, where they are, those of ../shared/feeds), re-stamped with the
 * time of the run so that none is older than the pipeline; rtl_433's
 * devices topics and WeeWX's individual topics gathered into one reading
 * per station; the topic naming the station of a payload that names
 * none; and what mqttsrc does with bad feed input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/weather/weather.h>

#include "../feedexpect.h"
#include "../mqttbroker.h"
#include "../weatherstats.h"

#define WAIT_S 30

static GstElement *
feed_pipeline (guint port, const gchar * props, GstElement ** src,
    GstElement ** sink)
{
  gchar *desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "connect-timeout=10000000000 %s ! appsink name=sink sync=false", port,
      props);
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch (desc, &err);

  g_assert_no_error (err);
  g_free (desc);
  *src = gst_bin_get_by_name (GST_BIN (pipe), "src");
  *sink = gst_bin_get_by_name (GST_BIN (pipe), "sink");
  /* subscribed once set_state() returns (start() subscribes) */
  fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  return pipe;
}

static void
feed_pipeline_free (GstElement * pipe, GstElement * src, GstElement * sink)
{
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipe);
}

static gboolean
pull (GstElement * sink, GstWeatherReading * r)
{
  GstSample *sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
      WAIT_S * GST_SECOND);

  if (!sample)
    return FALSE;
  fail_unless (gst_weather_reading_from_buffer (gst_sample_get_buffer
          (sample), r, NULL));
  gst_sample_unref (sample);
  return TRUE;
}

/* Polls @element's counter @name until it reaches @want (deadline
 * WAIT_S). */
static gboolean
wait_stat (GstElement * element, const gchar * name, guint64 want)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_USEC_PER_SEC;

  while (weather_stat_u64 (element, name) < want) {
    if (g_get_monotonic_time () > deadline)
      return FALSE;
    g_usleep (10000);
  }
  return weather_stat_u64 (element, name) == want;
}

static gchar *
stations_path (void)
{
  return g_build_filename (TEST_SRCDIR, "tests", "data", "feeds",
      "stations.csv", NULL);
}

/* @line with its time field set to @now, written as the dialect writes
 * it (rtl_433's local "YYYY-MM-DD HH:MM:SS" in UTC here, WeeWX's epoch
 * seconds, pywws' and Ecowitt's UTC text); lines without a time, or with
 * rtl_433's "@0.25s", are left as they are. */
static gchar *
restamp (GstWeatherFormat format, const gchar * line, gint64 now)
{
  JsonParser *p = json_parser_new ();
  JsonGenerator *g;
  JsonObject *obj;
  GDateTime *dt = g_date_time_new_from_unix_utc (now / GST_SECOND);
  const gchar *field = NULL;
  gchar *value = NULL, *out;

  fail_unless (json_parser_load_from_data (p, line, -1, NULL));
  obj = json_node_get_object (json_parser_get_root (p));
  switch (format) {
    case GST_WEATHER_FORMAT_RTL_433:
      field = "time";
      if (json_object_has_member (obj, field)
          && json_object_get_string_member (obj, field)[0] != '@')
        value = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
      break;
    case GST_WEATHER_FORMAT_WEEWX:
      field = "dateTime";
      value = g_strdup_printf ("%" G_GINT64_FORMAT ".0", now / GST_SECOND);
      break;
    case GST_WEATHER_FORMAT_PYWWS:
      field = "idx";
      value = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
      break;
    default:
      field = "dateutc";
      if (json_object_has_member (obj, field)
          && g_strcmp0 (json_object_get_string_member (obj, field), "now"))
        value = g_date_time_format (dt, "%Y-%m-%d %H:%M:%S");
      break;
  }
  if (value)
    json_object_set_string_member (obj, field, value);
  g = json_generator_new ();
  json_generator_set_root (g, json_parser_get_root (p));
  out = json_generator_to_data (g, NULL);
  g_object_unref (g);
  g_free (value);
  g_date_time_unref (dt);
  g_object_unref (p);
  return out;
}

static const struct
{
  GstWeatherFormat format;
  const gchar *path;            /* from the source tree */
  const gchar *topic;           /* where the program publishes */
  const gchar *props;
  const gchar *station;
} feeds[] = {
  {GST_WEATHER_FORMAT_RTL_433, "tests/data/feeds/rtl_433.jsonl",
      "rtl_433/host/events", "format=rtl_433 topics=rtl_433/+/events", NULL},
  {GST_WEATHER_FORMAT_WEEWX, "tests/data/feeds/weewx.jsonl", "weather/loop",
        "format=weewx topics=weather/loop station=weewx-test",
      "weewx-test"},
  {GST_WEATHER_FORMAT_PYWWS, "tests/data/feeds/pywws.jsonl", "/weather/pywws",
      "format=auto topics=/weather/pywws station-from=topic-level "
        "station-topic-level=2", "pywws"},
  {GST_WEATHER_FORMAT_ECOWITT, "tests/data/feeds/ecowitt.jsonl",
      "ecowitt/gw1100", "format=ecowitt topics=ecowitt/#", NULL},
  {GST_WEATHER_FORMAT_RTL_433, "../shared/feeds/rtl_433/samples.jsonl",
      "rtl_433/host/events", "format=rtl_433 topics=rtl_433/+/events", NULL},
  {GST_WEATHER_FORMAT_RTL_433, "../shared/feeds/rtl_433/samples.jsonl",
      "rtl_433/host/events", "format=auto topics=rtl_433/+/events", NULL},
  {GST_WEATHER_FORMAT_WEEWX, "../shared/feeds/weewx/samples.jsonl",
        "weather/loop", "format=auto topics=weather/loop station=weewx-test",
      "weewx-test"},
  {GST_WEATHER_FORMAT_PYWWS, "../shared/feeds/pywws/samples.jsonl",
        "/weather/pywws",
        "format=pywws topics=/weather/pywws station=pywws-test",
      "pywws-test"},
  {GST_WEATHER_FORMAT_ECOWITT,
        "../shared/feeds/ecowitt/customized_upload_ecowitt_protocol.jsonl",
      "ecowitt/gw", "format=auto topics=ecowitt/#", NULL},
};

/* Every line published as the program publishes it decodes, through
 * mqttsrc, to the values its own fields give. */
GST_START_TEST (test_feed_lines)
{
  gchar *path = g_build_filename (TEST_SRCDIR, feeds[__i__].path, NULL);
  gchar **lines = fx_read_lines (path);
  GstWeatherStations *stations;
  gchar *spath = stations_path (), *props;
  GTimeZone *utc = g_time_zone_new_utc ();
  GPtrArray *msgs, *stamped;
  MqttBroker *b;
  GstElement *pipe, *src, *sink;
  gint64 before, after, now;
  guint i, decoded = 0, refused = 0;

  if (lines == NULL) {
    fail_unless (g_str_has_prefix (feeds[__i__].path, "../shared"), "%s", path);
    g_print ("SKIP: %s is not there (../shared/feeds lives beside the "
        "project)\n", path);
    g_free (path);
    g_free (spath);
    g_time_zone_unref (utc);
    return;
  }
  stations = gst_weather_stations_load (spath, NULL);
  b = mqtt_broker_new (NULL);
  props = g_strdup_printf ("%s timezone=UTC stations-file=%s",
      feeds[__i__].props, spath);
  pipe = feed_pipeline (mqtt_broker_port (b), props, &src, &sink);
  g_free (props);

  /* whole seconds: the dialects' times have no fraction */
  now = (g_get_real_time () / G_USEC_PER_SEC + 1) * GST_SECOND;
  msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) mqtt_message_free);
  stamped = g_ptr_array_new_with_free_func (g_free);
  for (i = 0; lines[i]; i++) {
    gchar *line = restamp (feeds[__i__].format, lines[i], now);

    g_ptr_array_add (msgs, mqtt_message_new (feeds[__i__].topic, line,
            strlen (line)));
    g_ptr_array_add (stamped, line);
  }
  before = g_get_real_time () * 1000;
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));

  for (i = 0; i < stamped->len; i++) {
    gchar *where = g_strdup_printf ("%s:%u", feeds[__i__].path, i + 1);
    GstWeatherReading r;
    FxExpect e;

    fx_expect (feeds[__i__].format, g_ptr_array_index (stamped, i),
        feeds[__i__].station, stations, utc, 0, &e);
    if (e.refused) {
      refused++;
      g_free (where);
      continue;
    }
    fail_unless (pull (sink, &r), "%s: no reading", where);
    after = g_get_real_time () * 1000;
    if (e.time_from_arrival) {
      fail_unless (r.created_at >= before && r.created_at <= after,
          "%s: arrival %" G_GINT64_FORMAT, where, r.created_at);
      e.created_at = r.created_at;
    }
    fx_check (&r, &e, where);
    decoded++;
    g_free (where);
  }
  fail_unless (decoded > 0);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), decoded);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "bad-payloads"), refused);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "too-old"), 0);

  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
  g_ptr_array_unref (stamped);
  g_strfreev (lines);
  g_free (path);
  g_free (spath);
  g_time_zone_unref (utc);
  gst_weather_stations_unref (stations);
}

GST_END_TEST;

static void
add (GPtrArray * msgs, const gchar * topic, const gchar * payload)
{
  g_ptr_array_add (msgs, mqtt_message_new (topic, payload, strlen (payload)));
}

/* rtl_433's devices topics, two stations interleaved: one reading each,
 * named by the topic path, sent when the gather interval ends. */
GST_START_TEST (test_gather_rtl_433_devices)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  gchar *spath = stations_path ();
  gchar *props = g_strdup_printf ("format=rtl_433 topics=rtl_433/# "
      "gather-interval=300000000 stations-file=%s", spath);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r, r2;
  const gchar *wh25 = "rtl_433/host/devices/Fineoffset-WH25/80/";
  const gchar *nexus = "rtl_433/host/devices/Nexus-TH/2/42/";
  gchar *t;

  pipe = feed_pipeline (mqtt_broker_port (b), props, &src, &sink);
#define PUB(base, field, value) \
  t = g_strconcat (base, field, NULL); add (msgs, t, value); g_free (t)
  PUB (wh25, "id", "80");
  PUB (nexus, "id", "42");
  PUB (wh25, "battery_ok", "1");
  PUB (nexus, "channel", "2");
  PUB (wh25, "temperature_C", "23.2");
  PUB (nexus, "temperature_C", "-2");
  PUB (wh25, "humidity", "57");
  PUB (wh25, "pressure_hPa", "1001.1");
  PUB (nexus, "humidity", "81");
  /* rtl_433's own status, not a device: no "devices" level */
  add (msgs, "rtl_433/host/availability", "online");
#undef PUB
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));

  fail_unless (pull (sink, &r));
  fail_unless (pull (sink, &r2));
  if (strcmp (r.station_name, "attic") != 0) {
    GstWeatherReading tmp = r;
    r = r2;
    r2 = tmp;
  }
  /* the WH25, renamed by the stations file, its pressure reduced (120 m) */
  fail_unless_equals_string (r.station_name, "attic");
  fail_unless_equals_float (r.temperature_c, 23.2);
  fail_unless_equals_float (r.humidity_pct, 57);
  fail_unless (r.pressure_hpa == 1015.46, "%.17g", r.pressure_hpa);
  fail_unless_equals_int (r.flags, GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL);
  fail_unless_equals_string (r2.station_name, "Nexus-TH/2/42");
  fail_unless_equals_float (r2.temperature_c, -2);
  fail_unless_equals_float (r2.humidity_pct, 81);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "gathered"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), 2);
  /* "online" on a topic without a devices path names no station: a bad
   * payload once its own gather interval ends */
  fail_unless (wait_stat (src, "bad-payloads", 1));
  fail_unless_equals_uint64 (weather_stat_u64 (src, "no-station"), 1);

  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
  g_free (props);
  g_free (spath);
}

GST_END_TEST;

/* WeeWX's individual topics (weather/<field>): a packet's fields make one
 * reading; the next packet's dateTime closes it without waiting. */
GST_START_TEST (test_gather_weewx_individual)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;
  gint64 now;
  gchar *t1, *t2;

  /* an hour of gathering: only the repeated field can close a reading */
  pipe = feed_pipeline (mqtt_broker_port (b), "format=weewx topics=weather/# "
      "station=home gather-interval=3600000000000", &src, &sink);
  /* after the start: a reading from before it would be too old */
  now = g_get_real_time () / G_USEC_PER_SEC + 1;
  t1 = g_strdup_printf ("%" G_GINT64_FORMAT ".0", now);
  t2 = g_strdup_printf ("%" G_GINT64_FORMAT ".0", now + 2);
  add (msgs, "weather/dateTime", t1);
  add (msgs, "weather/usUnits", "1.0");
  add (msgs, "weather/outTemp_F", "69.3");
  add (msgs, "weather/barometer_inHg", "29.969");
  add (msgs, "weather/windSpeed_mph", "6.0");
  add (msgs, "weather/windDir", "156.0");
  add (msgs, "weather/outHumidity", "46.0");
  add (msgs, "weather/rxCheckPercent", "100.0");
  add (msgs, "weather/dateTime", t2);
  add (msgs, "weather/outTemp_F", "70.0");
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));

  fail_unless (pull (sink, &r));
  fail_unless_equals_string (r.station_name, "home");
  fail_unless_equals_int64 (r.created_at, now * GST_SECOND);
  fail_unless (r.temperature_c == fx_round2 ((69.3 - 32) * 5 / 9));
  fail_unless (r.pressure_hpa == fx_round2 (29.969 * FX_INHG_HPA));
  fail_unless (r.wind_speed_ms == fx_round2 (6 * FX_MPH_MS));
  fail_unless_equals_float (r.wind_direction_deg, 156);
  fail_unless_equals_float (r.humidity_pct, 46);
  fail_unless_equals_int (r.flags, 0);
  /* the second packet is still open */
  fail_unless_equals_uint64 (weather_stat_u64 (src, "gathered"), 1);

  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
  g_free (t1);
  g_free (t2);
}

GST_END_TEST;

/* The idle timeout sends what is still being gathered, then EOS. */
GST_START_TEST (test_gather_idle_flush)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;

  pipe = feed_pipeline (mqtt_broker_port (b), "format=pywws "
      "topics=/weather/pywws/# station=p gather-interval=3600000000000 "
      "idle-timeout=500000000", &src, &sink);
  add (msgs, "/weather/pywws/temp_out_c", "11.7");
  add (msgs, "/weather/pywws/hum_out", "63");
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  fail_unless (pull (sink, &r));
  fail_unless_equals_float (r.temperature_c, 11.7);
  fail_unless_equals_float (r.humidity_pct, 63);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)) ||
      gst_app_sink_try_pull_sample (GST_APP_SINK (sink),
          WAIT_S * GST_SECOND) == NULL);
  fail_unless (gst_app_sink_is_eos (GST_APP_SINK (sink)));
  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
}

GST_END_TEST;

/* A payload without a station field takes the topic's station: looked at
 * before the payload is judged. */
GST_START_TEST (test_topic_station_native)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;
  gchar *payload;

  pipe = feed_pipeline (mqtt_broker_port (b), "topics=st/+/reading "
      "station-from=topic-level station-topic-level=1", &src, &sink);
  /* after the start: a reading from before it would be too old */
  payload = g_strdup_printf ("{\"created_at\":%" G_GINT64_FORMAT
      ",\"temperature_c\":4.5}", g_get_real_time () / 1000 + 1000);
  add (msgs, "st/garden/reading", payload);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  fail_unless (pull (sink, &r));
  fail_unless_equals_string (r.station_name, "garden");
  fail_unless_equals_int (r.station_id,
      gst_weather_station_id_from_name ("garden"));
  fail_unless_equals_float (r.temperature_c, 4.5);
  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
  g_free (payload);
}

GST_END_TEST;

/* Bad feed input: counted by reason, logged, the stream goes on. */
GST_START_TEST (test_feed_bad_input)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;

  pipe = feed_pipeline (mqtt_broker_port (b), "format=auto topics=f/# "
      "gather-interval=0", &src, &sink);
  /* a bad value (kept without it), an unknown unit (kept), an absurd
   * time, no station, no measurement, not JSON (and gathering off) */
  add (msgs, "f/a", "{\"model\":\"M\",\"id\":1,\"temperature_C\":\"warm\","
      "\"humidity\":40}");
  add (msgs, "f/b", "{\"model\":\"M\",\"id\":2,\"temperature_Q\":3,"
      "\"humidity\":41}");
  add (msgs, "f/c", "{\"model\":\"M\",\"id\":3,\"time\":\"1990-01-01 "
      "00:00:00\",\"humidity\":42}");
  add (msgs, "f/d", "{\"dateTime\":\"1714564800.0\",\"outTemp_C\":\"1\"}");
  add (msgs, "f/e", "{\"model\":\"M\",\"id\":4,\"rain_mm\":1.5}");
  add (msgs, "f/g", "21.5");
  add (msgs, "f/h", "{\"model\":\"M\",\"id\":5,\"humidity\":43}");
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));

  fail_unless (pull (sink, &r));
  fail_unless_equals_float (r.humidity_pct, 40);
  fail_unless (isnan (r.temperature_c));
  fail_unless (pull (sink, &r));
  fail_unless_equals_float (r.humidity_pct, 41);
  fail_unless (pull (sink, &r));
  fail_unless_equals_float (r.humidity_pct, 43);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "bad-payloads"), 4);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "bad-value"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "unknown-unit"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "absurd-time"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "no-station"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "no-measurement"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "malformed"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), 3);
  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
}

GST_END_TEST;

/* Bad one-value-per-topic input: each set is refused, counted under its
 * reason, and logged. */
static const struct
{
  const gchar *props;
  const gchar *topics[3];
  const gchar *values[3];
  const gchar *counter;
} bad_gathers[] = {
  /* no station anywhere: the topic layout names none, no property */
  {"format=weewx topics=w/#", {"w/dateTime", "w/outTemp_C", NULL},
      {"1714564800.0", "18.2", NULL}, "no-station"},
  /* a time that does not parse */
  {"format=pywws topics=p/# station=s", {"p/idx", "p/temp_out_c", NULL},
      {"noon", "11.7", NULL}, "bad-time"},
  /* a time from before 2000 */
  {"format=rtl_433 topics=r/#", {"r/devices/M/1/time",
          "r/devices/M/1/temperature_C", NULL}, {"1999-01-01 00:00:00", "3",
          NULL}, "absurd-time"},
  /* one-value messages with gathering off */
  {"format=weewx topics=w/# station=s gather-interval=0",
      {"w/outTemp_C", NULL}, {"18.2", NULL}, "malformed"},
};

GST_START_TEST (test_gather_bad)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  gchar *props = g_strdup_printf ("%s timezone=UTC",
      bad_gathers[__i__].props);
  GstElement *pipe, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  guint i;

  pipe = feed_pipeline (mqtt_broker_port (b), props, &src, &sink);
  for (i = 0; bad_gathers[__i__].topics[i]; i++)
    add (msgs, bad_gathers[__i__].topics[i], bad_gathers[__i__].values[i]);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  fail_unless (wait_stat (src, bad_gathers[__i__].counter, 1));
  fail_unless_equals_uint64 (weather_stat_u64 (src, "bad-payloads"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), 0);
  feed_pipeline_free (pipe, src, sink);
  mqtt_broker_free (b);
  g_ptr_array_unref (msgs);
  g_free (props);
}

GST_END_TEST;

/* Settings that cannot work fail the start with a settings error. */
GST_START_TEST (test_feed_bad_settings)
{
  static const gchar *props[] = {
    "timezone=Nowhere/Atlantis", "stations-file=/nonexistent/stations.csv",
    "station=0123456789012345678901234567890123456789012345678901234567",
  };
  MqttBroker *b = mqtt_broker_new (NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (props); i++) {
    gchar *desc = g_strdup_printf ("mqttsrc host=127.0.0.1 port=%u "
        "topics=x %s ! fakesink", mqtt_broker_port (b), props[i]);
    GstElement *pipe = gst_parse_launch (desc, NULL);
    GstBus *bus = gst_element_get_bus (pipe);
    GstMessage *msg;
    GError *err = NULL;

    fail_unless_equals_int (gst_element_set_state (pipe, GST_STATE_PLAYING),
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
    fail_unless (msg != NULL, "%s", props[i]);
    gst_message_parse_error (msg, &err, NULL);
    fail_unless (err->domain == GST_RESOURCE_ERROR, "%s", err->message);
    g_error_free (err);
    gst_message_unref (msg);
    gst_element_set_state (pipe, GST_STATE_NULL);
    gst_object_unref (bus);
    gst_object_unref (pipe);
    g_free (desc);
  }
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqttsrc_feeds_suite (void)
{
  Suite *s = suite_create ("mqttsrc-feeds");
  TCase *tc = tcase_create ("feeds");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_feed_lines, 0, G_N_ELEMENTS (feeds));
  tcase_add_test (tc, test_gather_rtl_433_devices);
  tcase_add_test (tc, test_gather_weewx_individual);
  tcase_add_test (tc, test_gather_idle_flush);
  tcase_add_test (tc, test_topic_station_native);
  tcase_add_test (tc, test_feed_bad_input);
  tcase_add_loop_test (tc, test_gather_bad, 0, G_N_ELEMENTS (bad_gathers));
  tcase_add_test (tc, test_feed_bad_settings);
  return s;
}

GST_CHECK_MAIN (mqttsrc_feeds);
