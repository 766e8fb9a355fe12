/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Home Assistant MQTT discovery: ids, topics and config payloads. The
 * schema followed is Home Assistant's MQTT sensor (sensor.mqtt) with
 * single-component discovery; the choices are in docs/home-assistant.md.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <json-glib/json-glib.h>

#include "gstmqttcommon.h"
#include "gstmqttdiscovery.h"

/* One announced sensor: what the prediction JSON field is and how Home
 * Assistant should read it. */
typedef struct
{
  const gchar *object;          /* object id suffix, no '_' */
  const gchar *name;
  const gchar *field;           /* field of the prediction JSON */
  const gchar *device_class;    /* NULL: none */
  const gchar *unit;            /* NULL: none */
  const gchar *state_class;     /* NULL: none (text) */
  const gchar *icon;
  gboolean nullable;            /* a number that may be null */
  gboolean optional;            /* a string that may be absent */
  gboolean zambretti_only;
} GstMqttDiscoverySensor;

static const GstMqttDiscoverySensor sensors[] = {
  {"forecast", "Forecast", "forecast", NULL, NULL, NULL,
      "mdi:weather-partly-cloudy", FALSE, FALSE, FALSE},
  {"letter", "Zambretti letter", "forecast_letter", NULL, NULL, NULL,
      "mdi:alphabetical", FALSE, TRUE, TRUE},
  /* Home Assistant has no device class for a probability: '%' alone */
  {"rain", "Chance of rain", "chance_of_rain_pct", NULL, "%",
      "measurement", "mdi:weather-rainy", FALSE, FALSE, FALSE},
  {"pressure", "Sea-level pressure", "mean_pressure_hpa",
      "atmospheric_pressure", "hPa", "measurement", NULL, TRUE, FALSE, FALSE},
  /* a difference of pressures, not a pressure: no device class, so that
   * Home Assistant neither converts nor plots it as one */
  {"trend", "Pressure trend (3 h)", "pressure_trend_hpa", NULL, "hPa",
      "measurement", "mdi:trending-up", TRUE, FALSE, FALSE},
  {"stations", "Stations used", "stations_used", NULL, NULL, "measurement",
      "mdi:access-point-network", FALSE, FALSE, FALSE},
};

gboolean
gst_mqtt_discovery_prefix_is_valid (const gchar * prefix, GError ** error)
{
  gchar **levels;
  guint i;
  gboolean ok = TRUE;

  if (!gst_mqtt_topic_is_valid (prefix, FALSE, error))
    return FALSE;
  if (prefix[0] == '$') {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "discovery prefix \"%s\": topics starting with '$' belong to the "
        "broker", prefix);
    return FALSE;
  }
  levels = g_strsplit (prefix, "/", -1);
  for (i = 0; levels[i] && ok; i++)
    ok = levels[i][0] != '\0';
  g_strfreev (levels);
  if (!ok)
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "discovery prefix \"%s\" has an empty level (a leading, trailing "
        "or double '/')", prefix);
  return ok;
}

gboolean
gst_mqtt_discovery_node_id_is_valid (const gchar * node_id, GError ** error)
{
  const gchar *p;
  gsize len = node_id ? strlen (node_id) : 0;

  if (len == 0 || len > GST_MQTT_DISCOVERY_NODE_ID_MAX_LEN) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "discovery-node-id must be 1 to %d characters long",
        GST_MQTT_DISCOVERY_NODE_ID_MAX_LEN);
    return FALSE;
  }
  for (p = node_id; *p; p++) {
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-') {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "discovery-node-id \"%s\" may hold only the characters "
          "a-z A-Z 0-9 _ - (Home Assistant's rule for ids)", node_id);
      return FALSE;
    }
  }
  return TRUE;
}

void
gst_mqtt_discovery_append_id (GString * out, const gchar * name)
{
  const guchar *p;

  for (p = (const guchar *) name; *p; p++) {
    if (g_ascii_isalnum (*p) || *p == '-')
      g_string_append_c (out, *p);
    else
      g_string_append_printf (out, "_%02x", *p);
  }
}

gchar *
gst_mqtt_discovery_key_id (const GstWeatherKey * key)
{
  const gchar *kind = gst_weather_key_kind_to_string (key->kind);
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "%s-%u-", kind ? kind : "unknown", key->id);
  gst_mqtt_discovery_append_id (out, key->name);
  return g_string_free (out, FALSE);
}

guint
gst_mqtt_discovery_expire_after (guint64 window, guint windows)
{
  guint64 seconds;

  if (windows == 0)
    return 0;
  /* whole seconds first: windows * seconds cannot overflow 64 bits */
  seconds = window / GST_SECOND + (window % GST_SECOND ? 1 : 0);
  seconds *= windows;
  return (guint) CLAMP (seconds, 1, G_MAXINT32);
}

void
gst_mqtt_discovery_config_free (GstMqttDiscoveryConfig * c)
{
  g_free (c->topic);
  g_free (c->payload);
  g_free (c);
}

/* Home Assistant renders the template with the state message's JSON as
 * value_json; a template error keeps the old state, so every field that
 * may be null or absent has a form that renders to something valid:
 * 'null' (unknown) for numbers, '' for the letter. */
static gchar *
gst_mqtt_discovery_value_template (const GstMqttDiscoverySensor * s)
{
  if (s->nullable)
    return g_strdup_printf ("{{ value_json.%s if value_json.%s is number "
        "else 'null' }}", s->field, s->field);
  if (s->optional)
    return g_strdup_printf ("{{ value_json.%s | default('') }}", s->field);
  return g_strdup_printf ("{{ value_json.%s }}", s->field);
}

static void
gst_mqtt_discovery_add_device (JsonBuilder * b, const gchar * node_key,
    const GstWeatherKey * key, GstWeatherModel model)
{
  const gchar *kind = gst_weather_key_kind_to_string (key->kind);
  const gchar *model_name = gst_weather_model_to_string (model);
  gchar *name, *model_text;

  if (key->kind == GST_WEATHER_KEY_ALL)
    name = g_strdup ("gst-weather all stations");
  else
    name = g_strdup_printf ("gst-weather %s", key->name);
  model_text = g_strdup_printf ("%s forecast (%s)", kind ? kind : "unknown",
      model_name ? model_name : "unknown");

  json_builder_set_member_name (b, "device");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "identifiers");
  json_builder_begin_array (b);
  json_builder_add_string_value (b, node_key);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "manufacturer");
  json_builder_add_string_value (b, "gst-weather");
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, model_text);
  json_builder_set_member_name (b, "sw_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);
  g_free (name);
  g_free (model_text);
}

/* A member only when @value is set: Home Assistant reads an absent key as
 * its default, which for these is "none" */
static void
add_optional_string (JsonBuilder * b, const gchar * name, const gchar * value)
{
  if (!value)
    return;
  json_builder_set_member_name (b, name);
  json_builder_add_string_value (b, value);
}

static gchar *
gst_mqtt_discovery_payload (const GstMqttDiscoverySensor * s,
    const gchar * unique_id, const gchar * node_key,
    const GstWeatherKey * key, GstWeatherModel model,
    const gchar * state_topic, const gchar * availability_topic,
    guint expire_after, gsize * size)
{
  JsonBuilder *b = json_builder_new ();
  JsonGenerator *gen = json_generator_new ();
  JsonNode *root;
  gchar *tpl = gst_mqtt_discovery_value_template (s);
  gchar *out;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, s->name);
  json_builder_set_member_name (b, "unique_id");
  json_builder_add_string_value (b, unique_id);
  json_builder_set_member_name (b, "object_id");
  json_builder_add_string_value (b, unique_id);
  json_builder_set_member_name (b, "state_topic");
  json_builder_add_string_value (b, state_topic);
  json_builder_set_member_name (b, "value_template");
  json_builder_add_string_value (b, tpl);
  add_optional_string (b, "device_class", s->device_class);
  add_optional_string (b, "unit_of_measurement", s->unit);
  add_optional_string (b, "state_class", s->state_class);
  add_optional_string (b, "icon", s->icon);
  if (expire_after > 0) {
    json_builder_set_member_name (b, "expire_after");
    json_builder_add_int_value (b, expire_after);
  }
  if (availability_topic) {
    json_builder_set_member_name (b, "availability_topic");
    json_builder_add_string_value (b, availability_topic);
    json_builder_set_member_name (b, "payload_available");
    json_builder_add_string_value (b, "online");
    json_builder_set_member_name (b, "payload_not_available");
    json_builder_add_string_value (b, "offline");
  }
  gst_mqtt_discovery_add_device (b, node_key, key, model);
  json_builder_set_member_name (b, "origin");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, "gst-weather");
  json_builder_set_member_name (b, "sw_version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  out = json_generator_to_data (gen, size);
  json_node_unref (root);
  g_object_unref (gen);
  g_object_unref (b);
  g_free (tpl);
  return out;
}

GPtrArray *
gst_mqtt_discovery_configs (const gchar * prefix, const gchar * node_id,
    const GstWeatherKey * key, GstWeatherModel model,
    const gchar * state_topic, const gchar * availability_topic,
    guint expire_after)
{
  GPtrArray *configs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_mqtt_discovery_config_free);
  gchar *key_id = gst_mqtt_discovery_key_id (key);
  gchar *node_key = g_strconcat (node_id, "_", key_id, NULL);
  guint i;

  for (i = 0; i < G_N_ELEMENTS (sensors); i++) {
    const GstMqttDiscoverySensor *s = &sensors[i];
    GstMqttDiscoveryConfig *c;
    GString *topic;
    gchar *unique_id;

    if (s->zambretti_only && model != GST_WEATHER_MODEL_ZAMBRETTI)
      continue;
    unique_id = g_strconcat (node_key, "_", s->object, NULL);
    /* the ids hold only [a-zA-Z0-9_-], which the topic escaping leaves
     * as they are: a name can add no level and no wildcard */
    topic = g_string_new (prefix);
    g_string_append (topic, "/sensor/");
    gst_mqtt_escape_topic_value (topic, node_key, -1);
    g_string_append_c (topic, '/');
    gst_mqtt_escape_topic_value (topic, s->object, -1);
    g_string_append (topic, "/config");

    c = g_new0 (GstMqttDiscoveryConfig, 1);
    c->topic = g_string_free (topic, FALSE);
    c->payload = gst_mqtt_discovery_payload (s, unique_id, node_key, key,
        model, state_topic, availability_topic, expire_after, &c->size);
    g_ptr_array_add (configs, c);
    g_free (unique_id);
  }
  g_free (node_key);
  g_free (key_id);
  return configs;
}
