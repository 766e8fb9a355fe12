/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Home Assistant MQTT discovery in mqttsink, against a real Mosquitto
 * started per test on a free loopback port and a real subscriber (Python
 * paho) that collects every message. Each config is checked against Home
 * Assistant's documented schema (the MQTT sensor keys, device classes and
 * their units, as written down in docs/home-assistant.md), and each
 * value_template is rendered, by a tiny evaluator of exactly the forms
 * mqttsink emits, against the prediction that arrived on its state_topic.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsrc.h>
#include <gst/weather/weather.h>
#include <json-glib/json-glib.h>

#include "../mqttbroker.h"
#include "../mqttpipeline.h"
#include "../weatherstats.h"

#define WAIT_S 30
#define PREFIX "homeassistant"
#define STATUS "gw/status"
#define WINDOW_S 10

/* --- Home Assistant's documented schema (sensor.mqtt, mqtt, sensor) --- */

/* The MQTT sensor's configuration keys, full names. */
static const gchar *const sensor_keys[] = {
  "availability", "availability_mode", "availability_template",
  "availability_topic", "device", "device_class", "enabled_by_default",
  "encoding", "entity_category", "entity_picture", "expire_after",
  "force_update", "icon", "json_attributes_template",
  "json_attributes_topic", "last_reset_value_template", "name", "object_id",
  "options", "origin", "payload_available", "payload_not_available",
  "platform", "qos", "state_class", "state_topic",
  "suggested_display_precision", "unique_id", "unit_of_measurement",
  "value_template", NULL
};

static const gchar *const device_keys[] = {
  "identifiers", "connections", "name", "manufacturer", "model", "model_id",
  "serial_number", "sw_version", "hw_version", "suggested_area",
  "configuration_url", "via_device", NULL
};

static const gchar *const origin_keys[] = {
  "name", "sw_version", "support_url", NULL
};

/* Device classes of a weather station and the units each allows. */
static const struct
{
  const gchar *device_class;
  const gchar *units[10];
} class_units[] = {
  {"temperature", {"°C", "°F", "K"}},
  {"humidity", {"%"}},
  {"atmospheric_pressure", {"cbar", "bar", "hPa", "mmHg", "inHg", "kPa",
          "mbar", "Pa", "psi"}},
  {"pressure", {"Pa", "kPa", "hPa", "bar", "cbar", "mbar", "mmHg", "inHg",
          "psi"}},
  {"precipitation", {"cm", "in", "mm"}},
  {"precipitation_intensity", {"in/d", "in/h", "mm/d", "mm/h"}},
  {"wind_speed", {"Beaufort", "ft/s", "km/h", "kn", "m/s", "mph"}},
};

static const gchar *const state_classes[] = {
  "measurement", "total", "total_increasing", NULL
};

static gboolean
in_list (const gchar * const *list, const gchar * s)
{
  return g_strv_contains (list, s);
}

static gboolean
is_ha_id (const gchar * s)
{
  const gchar *p;

  if (!*s)
    return FALSE;
  for (p = s; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-')
      return FALSE;
  return TRUE;
}

static const gchar *
member_string (JsonObject * o, const gchar * name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (!n || !JSON_NODE_HOLDS_VALUE (n) ||
      json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* Every check of one config against the schema; fails the test. */
static void
check_config_schema (const gchar * topic, JsonObject * cfg)
{
  GList *members, *l;
  const gchar *dc, *unit, *sc;
  JsonObject *dev, *origin;
  gchar **levels = g_strsplit (topic, "/", -1);
  JsonNode *ids;

  /* <prefix>/sensor/<node_id>/<object_id>/config */
  fail_unless_equals_int (g_strv_length (levels), 5);
  fail_unless_equals_string (levels[0], PREFIX);
  fail_unless_equals_string (levels[1], "sensor");
  fail_unless (is_ha_id (levels[2]), "node_id %s", levels[2]);
  fail_unless (is_ha_id (levels[3]), "object_id %s", levels[3]);
  fail_unless_equals_string (levels[4], "config");
  g_strfreev (levels);

  members = json_object_get_members (cfg);
  for (l = members; l; l = l->next)
    fail_unless (in_list (sensor_keys, l->data), "%s: unknown key %s",
        topic, (gchar *) l->data);
  g_list_free (members);

  /* required, and what device needs */
  fail_unless (member_string (cfg, "state_topic") != NULL, "%s", topic);
  fail_unless (member_string (cfg, "unique_id") != NULL, "%s", topic);
  fail_unless (is_ha_id (member_string (cfg, "unique_id")));
  fail_unless (member_string (cfg, "value_template") != NULL);
  fail_unless (member_string (cfg, "name") != NULL);

  dc = member_string (cfg, "device_class");
  unit = member_string (cfg, "unit_of_measurement");
  if (dc) {
    gboolean known = FALSE;
    guint i;

    for (i = 0; i < G_N_ELEMENTS (class_units); i++) {
      if (g_str_equal (class_units[i].device_class, dc)) {
        known = TRUE;
        fail_unless (unit && in_list (class_units[i].units, unit),
            "%s: unit %s not valid with device_class %s", topic, unit, dc);
      }
    }
    fail_unless (known, "%s: device_class %s", topic, dc);
  }
  sc = member_string (cfg, "state_class");
  if (json_object_has_member (cfg, "state_class"))
    fail_unless (sc && in_list (state_classes, sc), "%s", topic);
  if (json_object_has_member (cfg, "options"))
    fail_unless (!sc && !unit && dc && g_str_equal (dc, "enum"));
  fail_if (json_object_has_member (cfg, "availability") &&
      json_object_has_member (cfg, "availability_topic"));
  if (json_object_has_member (cfg, "entity_category"))
    fail_unless_equals_string (member_string (cfg, "entity_category"),
        "diagnostic");
  if (json_object_has_member (cfg, "expire_after")) {
    JsonNode *n = json_object_get_member (cfg, "expire_after");

    fail_unless (json_node_get_value_type (n) == G_TYPE_INT64);
    fail_unless (json_node_get_int (n) > 0);
  }

  /* device: needs unique_id (checked) and identifiers or connections */
  dev = json_object_get_object_member (cfg, "device");
  fail_unless (dev != NULL, "%s: no device", topic);
  members = json_object_get_members (dev);
  for (l = members; l; l = l->next)
    fail_unless (in_list (device_keys, l->data), "device key %s",
        (gchar *) l->data);
  g_list_free (members);
  ids = json_object_get_member (dev, "identifiers");
  fail_unless (ids != NULL);
  fail_unless (JSON_NODE_HOLDS_ARRAY (ids) || (JSON_NODE_HOLDS_VALUE (ids)
          && json_node_get_value_type (ids) == G_TYPE_STRING));

  /* origin: name required */
  origin = json_object_get_object_member (cfg, "origin");
  fail_unless (origin != NULL);
  fail_unless (member_string (origin, "name") != NULL);
  members = json_object_get_members (origin);
  for (l = members; l; l = l->next)
    fail_unless (in_list (origin_keys, l->data));
  g_list_free (members);
}

/* --- value_template: exactly the forms mqttsink emits --- */

/* Renders @tpl against @value_json the way Home Assistant's Jinja would
 * for these forms; @field gets the field read. Fails on any other form. */
static gchar *
render_template (const gchar * tpl, JsonObject * value_json, gchar ** field)
{
  GRegex *plain = g_regex_new ("^\\{\\{ value_json\\.([a-z_]+) \\}\\}$", 0,
      0, NULL);
  GRegex *number = g_regex_new ("^\\{\\{ value_json\\.([a-z_]+) if "
      "value_json\\.([a-z_]+) is number else 'null' \\}\\}$", 0, 0, NULL);
  GRegex *dflt = g_regex_new ("^\\{\\{ value_json\\.([a-z_]+) \\| "
      "default\\(''\\) \\}\\}$", 0, 0, NULL);
  GMatchInfo *mi = NULL;
  JsonNode *n;
  gchar *out = NULL;
  gint form;

  if (g_regex_match (plain, tpl, 0, &mi))
    form = 0;
  else if (g_match_info_free (mi), g_regex_match (number, tpl, 0, &mi))
    form = 1;
  else if (g_match_info_free (mi), g_regex_match (dflt, tpl, 0, &mi))
    form = 2;
  else
    form = -1;
  fail_unless (form >= 0, "template form not known: %s", tpl);
  *field = g_match_info_fetch (mi, 1);
  if (form == 1) {
    gchar *again = g_match_info_fetch (mi, 2);

    fail_unless_equals_string (*field, again);
    g_free (again);
  }
  g_match_info_free (mi);

  n = json_object_get_member (value_json, *field);
  if (!n) {
    /* Jinja: an undefined field is an error but for default() */
    fail_unless (form == 2, "%s: %s undefined", tpl, *field);
    out = g_strdup ("");
  } else if (JSON_NODE_HOLDS_NULL (n)) {
    fail_unless (form == 1, "%s: %s is null", tpl, *field);
    out = g_strdup ("null");
  } else if (json_node_get_value_type (n) == G_TYPE_STRING) {
    fail_if (form == 1, "%s: a string is not a number", tpl);
    out = g_strdup (json_node_get_string (n));
  } else if (json_node_get_value_type (n) == G_TYPE_INT64) {
    out = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  } else if (json_node_get_value_type (n) == G_TYPE_DOUBLE) {
    gchar buf[G_ASCII_DTOSTR_BUF_SIZE];

    out = g_strdup (g_ascii_dtostr (buf, sizeof (buf),
            json_node_get_double (n)));
  } else {
    fail ("%s: %s of an unexpected type", tpl, *field);
  }
  g_regex_unref (plain);
  g_regex_unref (number);
  g_regex_unref (dflt);
  return out;
}

static void
expect_number (const gchar * rendered, gdouble want, const gchar * field)
{
  if (isnan (want)) {
    fail_unless_equals_string (rendered, "null");
  } else {
    gchar *end = NULL;
    gdouble got = g_ascii_strtod (rendered, &end);

    fail_unless (end && *end == '\0', "%s: \"%s\"", field, rendered);
    fail_unless (fabs (got - want) < 1e-9, "%s: %s, want %g", field,
        rendered, want);
  }
}

/* The rendered value must be the prediction's value of that field. */
static void
check_rendered (const gchar * field, const gchar * rendered,
    const GstWeatherPrediction * p)
{
  if (g_str_equal (field, "forecast")) {
    fail_unless_equals_string (rendered, p->forecast);
  } else if (g_str_equal (field, "forecast_letter")) {
    gchar want[2] = { p->letter, 0 };
    fail_unless_equals_string (rendered, want);
  } else if (g_str_equal (field, "chance_of_rain_pct")) {
    expect_number (rendered, p->chance_of_rain_pct, field);
  } else if (g_str_equal (field, "mean_pressure_hpa")) {
    expect_number (rendered, p->mean_pressure_hpa, field);
  } else if (g_str_equal (field, "pressure_trend_hpa")) {
    expect_number (rendered, p->pressure_trend_hpa, field);
  } else if (g_str_equal (field, "stations_used")) {
    expect_number (rendered, p->stations_used, field);
  } else {
    fail ("template reads %s, not a sensor of the issue", field);
  }
}

/* --- the pipeline: appsrc of predictions ! mqttsink --- */

/* A prediction of @key for the window starting @window (index) */
static void
push_prediction (MqttPipeline * p, const GstWeatherKey * key,
    GstWeatherModel model, guint window, gboolean no_trend)
{
  GstWeatherPrediction pr;
  gint64 start = (1764000000 + (gint64) window * WINDOW_S) * GST_SECOND;

  gst_weather_prediction_init (&pr);
  pr.window_start = start;
  pr.window_end = start + WINDOW_S * GST_SECOND;
  pr.model = model;
  pr.key = *key;
  pr.mean_pressure_hpa = 1012.5 + window;
  pr.pressure_trend_hpa = no_trend ? NAN : -1.25;
  pr.mean_temperature_c = 7.5;
  pr.stations_used = 2 + window;
  pr.stations_missing = 0;
  if (model == GST_WEATHER_MODEL_ZAMBRETTI) {
    pr.letter = 'N';
    pr.chance_of_rain_pct = 51.8;
    g_strlcpy (pr.forecast, "Showery, bright intervals", sizeof (pr.forecast));
  } else {
    pr.chance_of_rain_pct = 24.5;
  }
  fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC (p->src),
          gst_weather_prediction_to_buffer (&pr)), GST_FLOW_OK);
}

static void
pipe_eos (MqttPipeline * p)
{
  gst_app_src_end_of_stream (GST_APP_SRC (p->src));
  mqtt_pipeline_expect_eos (p, WAIT_S);
}

static JsonObject *
parse_object (MqttMessage * m, JsonParser * parser)
{
  gsize size;
  const gchar *data = g_bytes_get_data (m->payload, &size);

  fail_unless (json_parser_load_from_data (parser, data, size, NULL),
      "%s: %.*s", m->topic, (gint) size, data);
  fail_unless (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static gboolean
is_config_topic (const gchar * topic)
{
  return g_str_has_prefix (topic, PREFIX "/sensor/");
}

static guint
count_prefix (GPtrArray * msgs, const gchar * prefix)
{
  guint i, n = 0;

  for (i = 0; i < msgs->len; i++)
    if (g_str_has_prefix (((MqttMessage *) g_ptr_array_index (msgs,
                    i))->topic, prefix))
      n++;
  return n;
}

static guint
count_configs (GPtrArray * msgs)
{
  return count_prefix (msgs, PREFIX "/sensor/");
}

/* Waits (bounded) until @sub has @n messages on topics starting with
 * @prefix. */
static guint
wait_prefix (MqttSubscriber * sub, const gchar * prefix, guint n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  guint got;

  while ((got = count_prefix (mqtt_subscriber_messages (sub), prefix)) < n &&
      g_get_monotonic_time () < deadline)
    mqtt_subscriber_wait (sub, mqtt_subscriber_messages (sub)->len + 1, 1);
  return got;
}

static guint
wait_configs (MqttSubscriber * sub, guint n)
{
  return wait_prefix (sub, PREFIX "/sensor/", n);
}

/* Checks every config of @msgs: the schema, its state_topic where a
 * prediction of its key arrived (after the config), each template
 * rendering to that prediction's value; returns unique_id -> config
 * topic. @keys: the keys pushed, each announced as one device. */
static GHashTable *
check_all_configs (GPtrArray * msgs, const GstWeatherKey * keys, guint n_keys,
    guint expire_after)
{
  GHashTable *uids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      g_free);
  GHashTable *devices = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, g_free);
  JsonParser *parser = json_parser_new ();
  JsonParser *state_parser = json_parser_new ();
  guint i, j, k;

  for (i = 0; i < msgs->len; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);
    JsonObject *cfg, *dev;
    const gchar *state_topic, *uid, *dev_id, *dev_name;
    gboolean checked = FALSE;
    gchar *field = NULL, *rendered, *where;

    if (!is_config_topic (m->topic))
      continue;
    cfg = parse_object (m, parser);
    check_config_schema (m->topic, cfg);
    state_topic = member_string (cfg, "state_topic");
    uid = member_string (cfg, "unique_id");
    fail_unless_equals_string (member_string (cfg, "availability_topic"),
        STATUS);
    fail_unless_equals_int (json_object_get_int_member (cfg,
            "expire_after"), expire_after);
    dev = json_object_get_object_member (cfg, "device");
    dev_id = json_array_get_string_element (json_object_get_array_member (dev,
            "identifiers"), 0);
    dev_name = member_string (dev, "name");
    /* the same unique_id only for the same sensor of the same key */
    where = g_strconcat (m->topic, " ", state_topic, NULL);
    if (g_hash_table_contains (uids, uid)) {
      fail_unless_equals_string (g_hash_table_lookup (uids, uid), where);
      g_free (where);
    } else {
      g_hash_table_insert (uids, g_strdup (uid), where);
    }
    /* one device per key: its sensors share it */
    if (g_hash_table_contains (devices, dev_id)) {
      fail_unless_equals_string (g_hash_table_lookup (devices, dev_id),
          state_topic);
    } else {
      g_hash_table_insert (devices, g_strdup (dev_id), g_strdup (state_topic));
    }

    /* the predictions that arrived later on the state topic */
    for (j = i + 1; j < msgs->len; j++) {
      MqttMessage *s = g_ptr_array_index (msgs, j);
      GstWeatherPrediction p;
      gsize size;
      const gchar *data;

      if (!g_str_equal (s->topic, state_topic))
        continue;
      data = g_bytes_get_data (s->payload, &size);
      fail_unless (gst_weather_prediction_from_json (data, size, &p, NULL));
      fail_unless (g_str_has_suffix (dev_name, p.key.kind ==
              GST_WEATHER_KEY_ALL ? "all stations" : p.key.name),
          "device %s for key %s", dev_name, p.key.name);
      g_free (field);
      rendered = render_template (member_string (cfg, "value_template"),
          parse_object (s, state_parser), &field);
      check_rendered (field, rendered, &p);
      g_free (rendered);
      checked = TRUE;
    }
    fail_unless (checked, "no prediction after %s on %s", m->topic,
        state_topic);
    g_free (field);
  }
  /* every key is one device */
  fail_unless_equals_int (g_hash_table_size (devices), n_keys);
  for (k = 0; k < n_keys; k++) {
    gchar *kid = NULL;
    GHashTableIter it;
    gpointer id;
    gboolean found = FALSE;

    g_hash_table_iter_init (&it, devices);
    while (g_hash_table_iter_next (&it, &id, NULL)) {
      kid = g_strdup_printf ("_%s-%u-", gst_weather_key_kind_to_string
          (keys[k].kind), keys[k].id);
      found |= strstr (id, kid) != NULL;
      g_free (kid);
    }
    fail_unless (found, "no device for key %s", keys[k].name);
  }
  g_hash_table_unref (devices);
  g_object_unref (parser);
  g_object_unref (state_parser);
  return uids;
}

static void
make_keys (GstWeatherKey * keys)
{
  gst_weather_key_init_all (&keys[0]);
  fail_unless (gst_weather_key_init_region (&keys[1], "north", NULL));
  gst_weather_key_init_station (&keys[2], 17, "ws-attic");
}

#define DISCOVERY_PROPS "discovery-prefix=" PREFIX " status-topic=" STATUS \
  " topic=weather/{station}/{model} "

/* Three keys (all, a region, a station; zambretti and seed): every config
 * follows the schema, arrives before its key's first prediction, names
 * where the predictions arrive, renders their values, and is retained. */
GST_START_TEST (test_configs_follow_schema)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub, *late;
  GstWeatherKey keys[3];
  GHashTable *uids;
  GPtrArray *msgs;
  MqttPipeline *p;
  guint i, w;

  make_keys (keys);
  sub = mqtt_subscriber_new (mqtt_broker_port (b), "#", 1, NULL);
  fail_unless (sub != NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (w = 0; w < 2; w++)
    for (i = 0; i < 3; i++)
      push_prediction (p, &keys[i], i == 2 ? GST_WEATHER_MODEL_SEED :
          GST_WEATHER_MODEL_ZAMBRETTI, w, w == 0);
  pipe_eos (p);

  /* 6 sensors for zambretti keys, 5 (no letter) for seed; 6 predictions,
   * the status */
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-configs"), 17);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-keys"), 3);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-resends"), 0);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "published"), 6);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 17 + 6 + 1, WAIT_S),
      17 + 6 + 1);
  msgs = mqtt_subscriber_messages (sub);
  uids = check_all_configs (msgs, keys, 3, 3 * WINDOW_S);
  fail_unless_equals_int (g_hash_table_size (uids), 17);
  g_hash_table_unref (uids);

  /* retained: a subscriber that comes later gets every config */
  late = mqtt_subscriber_new (mqtt_broker_port (b), PREFIX "/#", 1, NULL);
  fail_unless (late != NULL);
  fail_unless_equals_int (mqtt_subscriber_wait (late, 17, WAIT_S), 17);
  msgs = mqtt_subscriber_messages (late);
  for (i = 0; i < msgs->len; i++)
    fail_unless (((MqttMessage *) g_ptr_array_index (msgs, i))->retain);

  mqtt_pipeline_free (p);
  mqtt_subscriber_free (late);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* The same pipeline run twice (a new element, a new random client id):
 * the same config topics, unique_ids and payloads. */
GST_START_TEST (test_ids_stable_across_restart)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GHashTable *runs[2];
  GstWeatherKey keys[3];
  guint r, i;

  make_keys (keys);
  for (r = 0; r < 2; r++) {
    MqttSubscriber *sub = mqtt_subscriber_new (mqtt_broker_port (b),
        "weather/#", 1, NULL);
    MqttSubscriber *cfg_sub;
    MqttPipeline *p =
        mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS,
        mqtt_broker_port (b), DISCOVERY_PROPS "discovery-node-id=roof_1");
    GPtrArray *all = g_ptr_array_new ();
    GPtrArray *msgs;

    mqtt_pipeline_play (p);
    for (i = 0; i < 3; i++)
      push_prediction (p, &keys[i], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
    pipe_eos (p);
    fail_unless_equals_int (mqtt_subscriber_wait (sub, 3, WAIT_S), 3);
    /* the retained configs of this run (the same topics as the first
     * run's are replaced, new ones would add up) */
    cfg_sub = mqtt_subscriber_new (mqtt_broker_port (b), PREFIX "/#", 1, NULL);
    fail_unless_equals_int (mqtt_subscriber_wait (cfg_sub, 18, WAIT_S), 18);
    msgs = mqtt_subscriber_messages (cfg_sub);
    for (i = 0; i < msgs->len; i++)
      g_ptr_array_add (all, g_ptr_array_index (msgs, i));
    /* then the predictions, so that every config's state is checked */
    msgs = mqtt_subscriber_messages (sub);
    for (i = 0; i < msgs->len; i++)
      g_ptr_array_add (all, g_ptr_array_index (msgs, i));
    runs[r] = check_all_configs (all, keys, 3, 3 * WINDOW_S);
    fail_unless_equals_int (g_hash_table_size (runs[r]), 18);
    g_ptr_array_unref (all);
    mqtt_subscriber_free (cfg_sub);
    mqtt_subscriber_free (sub);
    mqtt_pipeline_free (p);
  }
  /* unique_id -> config topic, equal in both runs */
  {
    GHashTableIter it;
    gpointer uid, topic;

    g_hash_table_iter_init (&it, runs[0]);
    while (g_hash_table_iter_next (&it, &uid, &topic)) {
      /* the topic and the state topic: equal in both runs */
      fail_unless (g_str_has_prefix (uid, "roof_1_"), "%s", (gchar *) uid);
      fail_unless_equals_string (g_hash_table_lookup (runs[1], uid), topic);
    }
  }
  g_hash_table_unref (runs[0]);
  g_hash_table_unref (runs[1]);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Waits (bounded) until the sink's subscription to <prefix>/status is
 * confirmed. */
static void
wait_subscribed (GstElement * sink)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  gboolean subscribed = FALSE;

  while (!subscribed && g_get_monotonic_time () < deadline) {
    GstStructure *s;

    g_object_get (sink, "stats", &s, NULL);
    fail_unless (gst_structure_get_boolean (s, "discovery-subscribed",
            &subscribed));
    gst_structure_free (s);
    if (!subscribed)
      g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  }
  fail_unless (subscribed, "no subscription to " PREFIX "/status");
}

static void
publish_status (MqttBroker * b, const gchar * payload, gsize size)
{
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);

  g_ptr_array_add (msgs, mqtt_message_new (PREFIX "/status", payload, size));
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);
}

/* Home Assistant's birth message makes every config come again, the
 * same, and after them each key's last prediction, while the pipeline
 * runs. */
GST_START_TEST (test_online_sends_configs_again)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GstWeatherKey keys[3];
  GHashTable *round1;
  GPtrArray *msgs;
  MqttPipeline *p;
  guint i, round, seen = 0, configs = 0;

  make_keys (keys);
  sub = mqtt_subscriber_new (mqtt_broker_port (b), "#", 1, NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (i = 0; i < 3; i++)
    push_prediction (p, &keys[i], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
  fail_unless_equals_int (wait_configs (sub, 18), 18);
  fail_unless_equals_int (wait_prefix (sub, "weather/", 3), 3);
  wait_subscribed (p->sink);

  for (round = 1; round <= 2; round++) {
    publish_status (b, "online", 6);
    fail_unless_equals_int (wait_configs (sub, 18 * (round + 1)),
        18 * (round + 1));
    fail_unless_equals_int (wait_prefix (sub, "weather/", 3 * (round + 1)),
        3 * (round + 1));
  }
  msgs = mqtt_subscriber_messages (sub);
  fail_unless_equals_int (count_configs (msgs), 54);
  fail_unless_equals_int (count_prefix (msgs, "weather/"), 9);
  /* each round the same topics with the same payloads, configs and
   * predictions; a round's predictions after all of its configs */
  round1 = g_hash_table_new (g_str_hash, g_str_equal);
  for (i = 0; i < msgs->len; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);
    MqttMessage *o = g_hash_table_lookup (round1, m->topic);

    if (is_config_topic (m->topic)) {
      configs++;
    } else if (g_str_has_prefix (m->topic, "weather/")) {
      /* each key's configs before its prediction (all of them, when
       * the first connection came after the predictions); after an
       * "online" every config, then the predictions */
      if (seen < 3)
        fail_unless (configs >= 6 * (seen + 1), "%u configs", configs);
      else
        fail_unless_equals_int (configs, 18 * (seen / 3 + 1));
      seen++;
    } else {
      continue;
    }
    if (o) {
      fail_unless (g_bytes_equal (o->payload, m->payload), "%s", m->topic);
    } else {
      g_hash_table_insert (round1, m->topic, m);
    }
  }
  fail_unless_equals_int (g_hash_table_size (round1), 18 + 3);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-resends"), 36);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-configs"), 54);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-states"), 6);
  /* the predictions sent again are no new buffers: not in published */
  fail_unless_equals_int (weather_stat_u64 (p->sink, "published"), 3);
  fail_unless_equals_int (weather_stat_u64 (p->sink,
          "discovery-status-ignored"), 0);
  pipe_eos (p);
  g_hash_table_unref (round1);
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* A broker restart is a new connection: the configs go again, those of a
 * key first seen while the broker was away included. */
GST_START_TEST (test_reconnect_sends_configs_again)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GstWeatherKey keys[3], south;
  gchar *db;
  MqttPipeline *p;
  guint i;

  make_keys (keys);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (i = 0; i < 3; i++)
    push_prediction (p, &keys[i], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
  sub = mqtt_subscriber_new (mqtt_broker_port (b), PREFIX "/sensor/#", 1, NULL);
  /* retained: 18 whenever the subscriber came */
  fail_unless_equals_int (wait_configs (sub, 18), 18);
  mqtt_subscriber_free (sub);

  /* a broker without its retained messages: the configs return only if
   * the sink sends them again */
  mqtt_broker_kill (b);
  db = g_build_filename (mqtt_broker_dir (b), "mosquitto.db", NULL);
  g_remove (db);
  g_free (db);
  fail_unless (gst_weather_key_init_region (&south, "south", NULL));
  push_prediction (p, &south, GST_WEATHER_MODEL_ZAMBRETTI, 1, FALSE);
  mqtt_broker_restart (b);
  {
    gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;

    while ((weather_stat_u64 (p->sink, "discovery-resends") < 18 ||
            weather_stat_u64 (p->sink, "discovery-configs") < 18 + 24) &&
        g_get_monotonic_time () < deadline)
      g_usleep (20 * G_TIME_SPAN_MILLISECOND);
  }
  /* the three keys announced before, at least (south's configs, when
   * Paho took them before it noticed the loss, count too) */
  fail_unless (weather_stat_u64 (p->sink, "discovery-resends") >= 18);
  fail_unless (weather_stat_u64 (p->sink, "discovery-configs") >= 18 + 24);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-keys"), 4);
  /* the states go again only for Home Assistant's "online" */
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-states"), 0);
  pipe_eos (p);
  /* what the restarted broker holds: every key's configs */
  sub = mqtt_subscriber_new (mqtt_broker_port (b), PREFIX "/sensor/#", 1, NULL);
  fail_unless_equals_int (wait_configs (sub, 24), 24);
  fail_unless (weather_stat_u64 (p->sink, "reconnects") >= 1);
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* --- bad input --- */

/* Anything on <prefix>/status but "online" is counted and sends nothing:
 * after them, one "online" gives exactly one more round. */
GST_START_TEST (test_status_other_than_online_ignored)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GstWeatherKey keys[3];
  gchar *big = g_malloc (10240);
  MqttPipeline *p;
  guint i;
  gint64 deadline;

  memset (big, 'o', 10240);
  make_keys (keys);
  sub = mqtt_subscriber_new (mqtt_broker_port (b), PREFIX "/sensor/#", 1, NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (i = 0; i < 3; i++)
    push_prediction (p, &keys[i], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
  fail_unless_equals_int (wait_configs (sub, 18), 18);
  wait_subscribed (p->sink);

  publish_status (b, "offline", 7);
  publish_status (b, "ONLINE", 6);
  publish_status (b, "online\n", 7);
  publish_status (b, "onl", 3);
  publish_status (b, "", 0);
  publish_status (b, big, 10240);
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (weather_stat_u64 (p->sink, "discovery-status-ignored") < 6 &&
      g_get_monotonic_time () < deadline)
    g_usleep (10 * G_TIME_SPAN_MILLISECOND);
  fail_unless_equals_int (weather_stat_u64 (p->sink,
          "discovery-status-ignored"), 6);
  publish_status (b, "online", 6);
  fail_unless_equals_int (wait_configs (sub, 36), 36);
  pipe_eos (p);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-resends"), 18);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-states"), 3);
  fail_unless_equals_int (mqtt_subscriber_messages (sub)->len, 36);
  g_free (big);
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Hostile key names: every message stays inside the prefix or on the
 * name's escaped state topic, ids keep to [a-zA-Z0-9_-] and stay unique
 * (names that look like each other's escapes included). */
static const gchar *const hostile[] = {
  "a/b", "+", "#", "$SYS", "a/+/#", "..", "Zürich ☔", "a_b", "a_5fb",
  "a%2Fb", "sensor/x/config", " ", "\t",
};

GST_START_TEST (test_hostile_names_stay_inside)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  guint n = G_N_ELEMENTS (hostile), i, configs = 0;
  GstWeatherKey *keys = g_new0 (GstWeatherKey, 2 * n);
  gchar *huge = g_malloc (10241);
  GHashTable *uids;
  GPtrArray *msgs;
  MqttPipeline *p;

  /* a name of 10 KB can be no key: the record holds 55 bytes, and the
   * library refuses it before any element sees it */
  memset (huge, 'x', 10240);
  huge[10240] = '\0';
  fail_if (gst_weather_key_init_region (&keys[0], huge, NULL));

  /* the regions differ in their ids (the hash) too; the stations all
   * have one id (a station renamed), so only the names tell them apart */
  for (i = 0; i < n; i++) {
    fail_unless (gst_weather_key_init_region (&keys[i], hostile[i], NULL));
    gst_weather_key_init_station (&keys[n + i], 100, hostile[i]);
  }
  sub = mqtt_subscriber_new (mqtt_broker_port (b), "#", 1, NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (i = 0; i < 2 * n; i++)
    push_prediction (p, &keys[i], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
  pipe_eos (p);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 2 * n * 7 + 1, WAIT_S),
      2 * n * 7 + 1);
  msgs = mqtt_subscriber_messages (sub);
  for (i = 0; i < msgs->len; i++) {
    MqttMessage *m = g_ptr_array_index (msgs, i);

    if (g_str_equal (m->topic, STATUS))
      continue;
    if (is_config_topic (m->topic)) {
      configs++;
      continue;
    }
    /* a prediction: weather/<one escaped level>/zambretti */
    {
      gchar **levels = g_strsplit (m->topic, "/", -1);

      fail_unless_equals_int (g_strv_length (levels), 3);
      fail_unless_equals_string (levels[0], "weather");
      fail_unless_equals_string (levels[2], "zambretti");
      fail_if (strchr (levels[1], '+') || strchr (levels[1], '#'));
      g_strfreev (levels);
    }
  }
  fail_unless_equals_int (configs, 2 * n * 6);
  /* the schema (five levels under the prefix, ids in the class), one
   * device per key, unique ids */
  uids = check_all_configs (msgs, keys, 2 * n, 3 * WINDOW_S);
  fail_unless_equals_int (g_hash_table_size (uids), 2 * n * 6);
  g_hash_table_unref (uids);
  mqtt_pipeline_free (p);
  g_free (huge);
  g_free (keys);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* A prediction record whose key name is not a name (unterminated, not
 * UTF-8) is dropped and counted: no config, no key. */
GST_START_TEST (test_invalid_key_record_dropped)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttSubscriber *sub;
  GstWeatherKey keys[3];
  GstWeatherPrediction pr;
  GstBuffer *buf;
  GstMapInfo map;
  MqttPipeline *p;
  guint bad;

  make_keys (keys);
  sub = mqtt_subscriber_new (mqtt_broker_port (b), "#", 1, NULL);
  p = mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      DISCOVERY_PROPS);
  mqtt_pipeline_play (p);
  for (bad = 0; bad < 2; bad++) {
    gst_weather_prediction_init (&pr);
    pr.window_start = 1764000000 * GST_SECOND;
    pr.window_end = pr.window_start + WINDOW_S * GST_SECOND;
    fail_unless (gst_weather_key_init_region (&pr.key, "north", NULL));
    buf = gst_weather_prediction_to_buffer (&pr);
    fail_unless (gst_buffer_map (buf, &map, GST_MAP_WRITE));
    /* the name is the record's last 56 bytes */
    if (bad == 0)
      memset (map.data + map.size - 56, 'x', 56);
    else
      memcpy (map.data + map.size - 56, "\xff\xfe/#", 5);
    gst_buffer_unmap (buf, &map);
    fail_unless_equals_int (gst_app_src_push_buffer (GST_APP_SRC
            (p->src), buf), GST_FLOW_OK);
  }
  /* then a good one: its configs are the only ones */
  push_prediction (p, &keys[1], GST_WEATHER_MODEL_ZAMBRETTI, 0, FALSE);
  pipe_eos (p);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "invalid"), 2);
  fail_unless_equals_int (weather_stat_u64 (p->sink, "discovery-keys"), 1);
  fail_unless_equals_int (mqtt_subscriber_wait (sub, 6 + 1 + 1, WAIT_S), 8);
  fail_unless_equals_int (count_configs (mqtt_subscriber_messages (sub)), 6);
  mqtt_pipeline_free (p);
  mqtt_subscriber_free (sub);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Settings that would publish outside the prefix or onto the broker's
 * topics, ids Home Assistant refuses, and templates that are not one
 * fixed topic per key fail the start, naming what to change. */
static const struct
{
  const gchar *props;
  const gchar *needle;
} bad_settings[] = {
  {"discovery-prefix=home/+/x", "discovery-prefix"},
  {"discovery-prefix=#", "discovery-prefix"},
  {"discovery-prefix=home/#", "discovery-prefix"},
  {"discovery-prefix=a//b", "discovery-prefix"},
  {"discovery-prefix=/home", "discovery-prefix"},
  {"discovery-prefix=home/", "discovery-prefix"},
  {"discovery-prefix=$SYS", "discovery-prefix"},
  {"discovery-prefix=+", "discovery-prefix"},
  {"discovery-prefix=ha discovery-node-id=\"a b\"", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id=a/b", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id=ü", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id=a.b", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id=#", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id=\"\"", "discovery-node-id"},
  {"discovery-prefix=ha discovery-node-id="
        "x1234567890123456789012345678901234567890123456789012345678901234",
      "discovery-node-id"},
  {"discovery-prefix=ha topic=w/all", "{station}"},
  {"discovery-prefix=ha topic=w/{station}/{window}", "{station}"},
  {"discovery-prefix=ha topic=w/{window}", "{station}"},
};

GST_START_TEST (test_bad_settings_refused)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  /* a later topic= wins over this one */
  gchar *props = g_strdup_printf ("topic=w/{station} %s",
      bad_settings[__i__].props);
  MqttPipeline *p =
      mqtt_sink_pipeline_new (GST_WEATHER_PREDICTION_CAPS, mqtt_broker_port (b),
      props);

  mqtt_pipeline_expect_start_error (p, WAIT_S, GST_RESOURCE_ERROR,
      GST_RESOURCE_ERROR_SETTINGS, bad_settings[__i__].needle);
  mqtt_pipeline_free (p);
  g_free (props);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Discovery announces predictions; readings are refused at negotiation
 * with an error that says so. */
GST_START_TEST (test_discovery_needs_predictions)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipeline;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gchar *desc;

  desc = g_strdup_printf ("weathersrc num-buffers=3 ! mqttsink "
      "host=127.0.0.1 port=%u connect-timeout=10000000000 "
      "discovery-prefix=ha", mqtt_broker_port (b));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, "predictions") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (pipeline);
  g_free (desc);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Out-of-range property values are refused by the property itself and
 * leave the value as it was. */
GST_START_TEST (test_property_values)
{
  GstElement *sink = gst_element_factory_make ("mqttsink", NULL);
  gchar *s;
  guint w;

  g_object_get (sink, "discovery-prefix", &s, "discovery-expire-windows", &w,
      NULL);
  fail_unless (s == NULL);
  fail_unless_equals_int (w, 3);
  g_object_get (sink, "discovery-node-id", &s, NULL);
  fail_unless_equals_string (s, "gstweather");
  g_free (s);
  /* NULL node id: back to the default, never an empty id */
  g_object_set (sink, "discovery-node-id", NULL, NULL);
  g_object_get (sink, "discovery-node-id", &s, NULL);
  fail_unless_equals_string (s, "gstweather");
  g_free (s);
  ASSERT_WARNING (g_object_set (sink, "discovery-expire-windows", 1001, NULL));
  g_object_get (sink, "discovery-expire-windows", &w, NULL);
  fail_unless_equals_int (w, 3);
  gst_object_unref (sink);
}

GST_END_TEST;

static Suite *
mqtt_discovery_suite (void)
{
  Suite *s = suite_create ("mqtt_discovery");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_configs_follow_schema);
  tcase_add_test (tc, test_ids_stable_across_restart);
  tcase_add_test (tc, test_online_sends_configs_again);
  tcase_add_test (tc, test_reconnect_sends_configs_again);
  tcase_add_test (tc, test_status_other_than_online_ignored);
  tcase_add_test (tc, test_hostile_names_stay_inside);
  tcase_add_test (tc, test_invalid_key_record_dropped);
  tcase_add_loop_test (tc, test_bad_settings_refused, 0,
      G_N_ELEMENTS (bad_settings));
  tcase_add_test (tc, test_discovery_needs_predictions);
  tcase_add_test (tc, test_property_values);
  return s;
}

GST_CHECK_MAIN (mqtt_discovery);
