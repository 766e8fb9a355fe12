/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict decoders of the native JSON schema (docs/schema.md):
 * readings, groups and predictions.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweatherjsonparser.h"

static const gchar *
node_kind (JsonNode * node)
{
  switch (json_node_get_node_type (node)) {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
  }
  switch (json_node_get_value_type (node)) {
    case G_TYPE_BOOLEAN:
      return "a boolean";
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_INT64:
      return "an integer";
    case G_TYPE_DOUBLE:
      return "a number";
    default:
      return "a value";
  }
}

static gboolean
node_is (JsonNode * node, GType type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) ==
      type;
}

static gboolean
type_error (const gchar * field, const gchar * expected, JsonNode * node,
    GError ** error)
{
  g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
      "%s: expected %s, got %s", field, expected, node_kind (node));
  return FALSE;
}

static gboolean
missing_error (const gchar * field, GError ** error)
{
  g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
      "%s: required field is missing", field);
  return FALSE;
}

/* A measurement: absent or null is NaN (when @nullable), otherwise a
 * finite number within [@min, @max]. */
static gboolean
get_double (JsonObject * obj, const gchar * field, gboolean required,
    gboolean nullable, gdouble min, gdouble max, const gchar * unit,
    gdouble * out, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, field);
  gdouble v;

  if (node == NULL) {
    if (required)
      return missing_error (field, error);
    *out = NAN;
    return TRUE;
  }
  if (JSON_NODE_HOLDS_NULL (node)) {
    if (!nullable)
      return type_error (field, "a number", node, error);
    *out = NAN;
    return TRUE;
  }
  if (node_is (node, G_TYPE_INT64))
    v = (gdouble) json_node_get_int (node);
  else if (node_is (node, G_TYPE_DOUBLE))
    v = json_node_get_double (node);
  else
    return type_error (field, "a number", node, error);

  /* 1e999 parses as an infinity: never a valid value */
  if (!gst_weather_priv_check_double (field, v, min, max, unit, FALSE, error))
    return FALSE;
  *out = v == 0.0 ? 0.0 : v;
  return TRUE;
}

static gboolean
get_uint (JsonObject * obj, const gchar * field, gboolean required,
    guint64 max, guint64 * out, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, field);
  gint64 v;

  if (node == NULL) {
    if (required)
      return missing_error (field, error);
    return TRUE;
  }
  if (!node_is (node, G_TYPE_INT64))
    return type_error (field, "an integer", node, error);
  v = json_node_get_int (node);
  if (v < 0 || (guint64) v > max) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %" G_GINT64_FORMAT " is outside 0–%" G_GUINT64_FORMAT, field, v,
        max);
    return FALSE;
  }
  *out = (guint64) v;
  return TRUE;
}

static gboolean
get_bool (JsonObject * obj, const gchar * field, gboolean * out,
    GError ** error)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_BOOLEAN))
    return type_error (field, "a boolean", node, error);
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string of at most @size - 1 bytes into @out (NUL padded). */
static gboolean
get_text (JsonObject * obj, const gchar * field, gchar * out, gsize size,
    gboolean * present, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, field);
  const gchar *text;
  gsize len;

  if (present)
    *present = FALSE;
  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_STRING))
    return type_error (field, "a string", node, error);
  text = json_node_get_string (node);
  len = strlen (text);
  if (len > size - 1) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %" G_GSIZE_FORMAT " bytes, longer than %" G_GSIZE_FORMAT
        " bytes", field, len, size - 1);
    return FALSE;
  }
  memset (out, 0, size);
  memcpy (out, text, len);
  if (present)
    *present = TRUE;
  return TRUE;
}

/* An RFC 3339 string or a number of ms since the epoch (fractions down to
 * the ns allowed). */
static gboolean
get_time (JsonObject * obj, const gchar * field, gboolean required,
    gint64 * out, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node == NULL) {
    if (required)
      return missing_error (field, error);
    return TRUE;
  }
  if (node_is (node, G_TYPE_STRING)) {
    const gchar *text = json_node_get_string (node);
    return gst_weather_priv_time_from_rfc3339 (field, text, strlen (text), out,
        error);
  }
  if (node_is (node, G_TYPE_INT64)) {
    gint64 ms = json_node_get_int (node);

    if (ms < 0 || ms > G_MAXINT64 / 1000000) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "%s: %" G_GINT64_FORMAT " ms is outside 0–%" G_GINT64_FORMAT
          " ms since the UNIX epoch", field, ms, G_MAXINT64 / 1000000);
      return FALSE;
    }
    *out = ms * 1000000;
    return TRUE;
  }
  if (node_is (node, G_TYPE_DOUBLE)) {
    gdouble ms = json_node_get_double (node);
    gdouble ns = ms * 1e6, whole;
    gchar buf[GST_WEATHER_DOUBLE_BUF_SIZE];

    gint64 whole_ns = 0, frac_ns = 0;

    if (isfinite (ns) && ns >= 0 && ns < 9223372036854775808.0) {
      /* whole ms exactly, then the fraction (exact for a double), so that
       * no rounding of the product shifts the instant */
      whole = floor (ms);
      whole_ns = (gint64) whole *1000000;
      frac_ns = (gint64) llround ((ms - whole) * 1e6);
    }
    /* 2^63 is the first double past the range */
    if (!isfinite (ns) || ns < 0 || ns >= 9223372036854775808.0
        || whole_ns > G_MAXINT64 - frac_ns) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "%s: %s ms is outside the range since the UNIX epoch", field,
          isfinite (ms) ? gst_weather_priv_format_double (ms, buf) :
          "Infinity");
      return FALSE;
    }
    *out = whole_ns + frac_ns;
    return TRUE;
  }
  return type_error (field, "an RFC 3339 string or epoch milliseconds",
      node, error);
}


/* The version of a record: 1, or @current (the default when absent) of
 * a group or prediction, whose version 1 has no key. */
static gboolean
check_version_of (JsonObject * obj, gint current, gint * version,
    GError ** error)
{
  JsonNode *node = json_object_get_member (obj, "version");
  gint64 v;

  *version = current;
  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_INT64))
    return type_error ("version", "an integer", node, error);
  v = json_node_get_int (node);
  if (v != 1 && v != current) {
    if (current == 1)
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
          "version: %" G_GINT64_FORMAT " is not supported (this library "
          "reads version 1)", v);
    else
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
          "version: %" G_GINT64_FORMAT " is not supported (this library "
          "reads versions 1 and %d)", v, current);
    return FALSE;
  }
  *version = (gint) v;
  return TRUE;
}

static gboolean
check_version (JsonObject * obj, GError ** error)
{
  gint version;

  return check_version_of (obj, GST_WEATHER_SCHEMA_VERSION, &version, error);
}

/* The key of a group or prediction: absent is the key of all stations
 * (and version 1 has none); "kind" is required, "id" and "name" may be
 * left out where they follow from the rest (docs/schema.md, "Keys"). */
static gboolean
get_key (JsonObject * obj, gint version, GstWeatherKey * key, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, "key");
  JsonObject *k;
  const gchar *kind_name;
  GstWeatherKeyKind kind;
  gboolean has_id, has_name;
  gchar name[GST_WEATHER_KEY_NAME_SIZE] = { 0, };
  guint64 id = 0;

  gst_weather_key_init_all (key);
  if (node == NULL)
    return TRUE;
  if (version == 1) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
        "key: version 1 records have no key (write version 2)");
    return FALSE;
  }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return type_error ("key", "an object", node, error);
  k = json_node_get_object (node);

  node = json_object_get_member (k, "kind");
  if (node == NULL)
    return missing_error ("key.kind", error);
  if (!node_is (node, G_TYPE_STRING))
    return type_error ("key.kind", "a string", node, error);
  kind_name = json_node_get_string (node);
  if (!gst_weather_key_kind_from_string (kind_name, &kind)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "key.kind: \"%.32s\" is not a kind of key (all, station, region)",
        kind_name);
    return FALSE;
  }
  has_id = json_object_has_member (k, "id");
  if (!get_uint (k, "id", FALSE, G_MAXUINT32, &id, error)
      || !get_text (k, "name", name, sizeof (name), &has_name, error)) {
    g_prefix_error (error, "key.");
    return FALSE;
  }

  switch (kind) {
    case GST_WEATHER_KEY_STATION:
      if (!has_id)
        return missing_error ("key.id", error);
      gst_weather_key_init_station (key, (guint32) id, NULL);
      break;
    case GST_WEATHER_KEY_REGION:
      if (!has_name)
        return missing_error ("key.name", error);
      key->kind = kind;
      key->id = gst_weather_station_id_from_name (name);
      break;
    case GST_WEATHER_KEY_ALL:
    default:
      break;
  }
  /* what is given must agree with the rest: validate() says where not */
  if (has_id)
    key->id = (guint32) id;
  if (has_name)
    memcpy (key->name, name, sizeof (key->name));
  return gst_weather_key_validate (key, error);
}

/* ---------------------------------------------------------------------- */
/* Decoders                                                               */
/* ---------------------------------------------------------------------- */

/* How reading_from_object() reads. */
typedef enum
{
  READ_SLOT = 1 << 0,           /* a group slot: "missing" allowed */
  READ_STATION_OPTIONAL = 1 << 1,       /* the caller supplies a station */
} ReadFlags;

static gboolean
reading_from_object (JsonObject * obj, GstWeatherReading * r,
    ReadFlags read_flags, gboolean * has_station, GError ** error)
{
  guint64 u = 0;
  gboolean has_id, has_name, missing = FALSE, flag;
  gboolean slot = (read_flags & READ_SLOT) != 0;

  gst_weather_reading_init (r);
  if (!check_version (obj, error))
    return FALSE;

  has_id = json_object_has_member (obj, "station_id");
  if (has_id) {
    if (!get_uint (obj, "station_id", TRUE, G_MAXUINT32, &u, error))
      return FALSE;
    r->station_id = (guint32) u;
  }
  if (!get_text (obj, "station", r->station_name,
          GST_WEATHER_STATION_NAME_SIZE, &has_name, error))
    return FALSE;
  if (has_station)
    *has_station = has_id || has_name;
  if (!has_id && !has_name && (read_flags & READ_STATION_OPTIONAL)) {
    /* the caller names the station */
  } else if (!has_id && !has_name) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
        "station_id: required field is missing (give station_id, station "
        "or both)");
    return FALSE;
  }
  if (!has_id && has_name && r->station_name[0] == '\0') {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "station: an empty name cannot identify a station without "
        "station_id");
    return FALSE;
  }
  if (!has_id && has_name)
    r->station_id = gst_weather_station_id_from_name (r->station_name);

  if (!get_bool (obj, "missing", &missing, error))
    return FALSE;
  if (missing) {
    if (!slot) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "missing: only a group slot can be missing");
      return FALSE;
    }
    r->flags = GST_WEATHER_READING_FLAG_MISSING;
    return gst_weather_reading_validate (r, error);
  }

  if (!get_time (obj, "created_at", TRUE, &r->created_at, error)
      || !get_time (obj, "received_at", FALSE, &r->received_at, error))
    return FALSE;
  u = 0;
  if (!get_uint (obj, "sequence", FALSE, G_MAXINT64, &u, error))
    return FALSE;
  r->sequence = u;
  flag = FALSE;
  if (!get_bool (obj, "time_from_arrival", &flag, error))
    return FALSE;
  if (flag)
    r->flags |= GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL;
  flag = FALSE;
  if (!get_bool (obj, "no_sea_level_pressure", &flag, error))
    return FALSE;
  if (flag)
    r->flags |= GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE;
  if (!get_double (obj, "temperature_c", FALSE, TRUE,
          GST_WEATHER_TEMPERATURE_MIN, GST_WEATHER_TEMPERATURE_MAX, "°C",
          &r->temperature_c, error)
      || !get_double (obj, "pressure_hpa", FALSE, TRUE,
          GST_WEATHER_PRESSURE_MIN, GST_WEATHER_PRESSURE_MAX, "hPa",
          &r->pressure_hpa, error)
      || !get_double (obj, "humidity_pct", FALSE, TRUE,
          GST_WEATHER_HUMIDITY_MIN, GST_WEATHER_HUMIDITY_MAX, "%",
          &r->humidity_pct, error)
      || !get_double (obj, "wind_speed_ms", FALSE, TRUE,
          GST_WEATHER_WIND_SPEED_MIN, GST_WEATHER_WIND_SPEED_MAX, "m/s",
          &r->wind_speed_ms, error)
      || !get_double (obj, "wind_direction_deg", FALSE, TRUE,
          GST_WEATHER_WIND_DIRECTION_MIN, GST_WEATHER_WIND_DIRECTION_MAX,
          "deg", &r->wind_direction_deg, error))
    return FALSE;

  return gst_weather_reading_validate (r, error);
}

gboolean
gst_weather_reading_from_json (const gchar * data, gssize len,
    GstWeatherReading * reading, GError ** error)
{
  JsonParser *parser;
  JsonObject *obj;
  gboolean ret;

  g_return_val_if_fail (reading != NULL, FALSE);

  parser =
      gst_weather_priv_json_parse (data, len, GST_WEATHER_JSON_MAX_SIZE, &obj,
      error);
  if (parser == NULL)
    return FALSE;
  ret = reading_from_object (obj, reading, 0, NULL, error);
  g_object_unref (parser);
  return ret;
}

gboolean
gst_weather_priv_reading_from_object (JsonObject * obj,
    gboolean station_optional, GstWeatherReading * reading,
    gboolean * has_station, GError ** error)
{
  return reading_from_object (obj, reading,
      station_optional ? READ_STATION_OPTIONAL : 0, has_station, error);
}

gboolean
gst_weather_priv_reading_from_json (const gchar * data, gssize len,
    gboolean station_optional, GstWeatherReading * reading,
    gboolean * has_station, GError ** error)
{
  JsonParser *parser;
  JsonObject *obj;
  gboolean ret;

  parser = gst_weather_priv_json_parse (data, len, GST_WEATHER_JSON_MAX_SIZE,
      &obj, error);
  if (parser == NULL)
    return FALSE;
  ret = gst_weather_priv_reading_from_object (obj, station_optional, reading,
      has_station, error);
  g_object_unref (parser);
  return ret;
}

gboolean
gst_weather_group_from_json (const gchar * data, gssize len,
    GstWeatherGroup * group, GError ** error)
{
  JsonParser *parser;
  JsonObject *obj;
  JsonNode *node;
  JsonArray *stations;
  guint64 expected = 0, present = 0;
  gboolean incomplete = FALSE;
  gint64 start = 0, end = 0;
  GstWeatherKey key;
  guint i, n;
  gint version;
  gboolean ret = FALSE;

  g_return_val_if_fail (group != NULL, FALSE);
  memset (group, 0, sizeof (*group));

  parser =
      gst_weather_priv_json_parse (data, len, GST_WEATHER_JSON_GROUP_MAX_SIZE,
      &obj, error);
  if (parser == NULL)
    return FALSE;

  if (!check_version_of (obj, GST_WEATHER_GROUP_VERSION, &version, error)
      || !get_key (obj, version, &key, error)
      || !get_time (obj, "window_start", TRUE, &start, error)
      || !get_time (obj, "window_end", TRUE, &end, error)
      || !get_bool (obj, "incomplete", &incomplete, error)
      || !get_uint (obj, "expected", FALSE, GST_WEATHER_GROUP_MAX_SLOTS,
          &expected, error)
      || !get_uint (obj, "present", FALSE, G_MAXUINT32, &present, error))
    goto out;

  node = json_object_get_member (obj, "stations");
  if (node == NULL) {
    missing_error ("stations", error);
    goto out;
  }
  if (!JSON_NODE_HOLDS_ARRAY (node)) {
    type_error ("stations", "an array", node, error);
    goto out;
  }
  stations = json_node_get_array (node);
  n = json_array_get_length (stations);
  if (n > GST_WEATHER_GROUP_MAX_SLOTS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "stations: %u entries, more than %d", n, GST_WEATHER_GROUP_MAX_SLOTS);
    goto out;
  }
  if (json_object_has_member (obj, "expected") && expected != n) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "expected: %" G_GUINT64_FORMAT " but stations has %u entries",
        expected, n);
    goto out;
  }

  gst_weather_group_init (group, n);
  group->key = key;
  group->window_start = start;
  group->window_end = end;
  group->flags = incomplete ? GST_WEATHER_GROUP_FLAG_INCOMPLETE : 0;
  for (i = 0; i < n; i++) {
    JsonNode *slot = json_array_get_element (stations, i);

    if (!JSON_NODE_HOLDS_OBJECT (slot)) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
          "stations[%u]: expected an object, got %s", i, node_kind (slot));
      goto out;
    }
    if (!reading_from_object (json_node_get_object (slot), &group->slots[i],
            READ_SLOT, NULL, error)) {
      g_prefix_error (error, "stations[%u].", i);
      goto out;
    }
    if (!(group->slots[i].flags & GST_WEATHER_READING_FLAG_MISSING))
      group->n_present++;
  }
  if (json_object_has_member (obj, "present")
      && present != group->n_present) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "present: %" G_GUINT64_FORMAT " but %u slots hold a reading",
        present, group->n_present);
    goto out;
  }
  ret = gst_weather_group_validate (group, error);

out:
  g_object_unref (parser);
  return ret;
}

gboolean
gst_weather_prediction_from_json (const gchar * data, gssize len,
    GstWeatherPrediction * p, GError ** error)
{
  JsonParser *parser;
  JsonObject *obj;
  JsonNode *node;
  guint64 u;
  gboolean flag, ret = FALSE;
  gchar letter[2];
  gboolean has_letter;
  gint version;

  g_return_val_if_fail (p != NULL, FALSE);

  parser =
      gst_weather_priv_json_parse (data, len, GST_WEATHER_JSON_MAX_SIZE, &obj,
      error);
  if (parser == NULL)
    return FALSE;

  gst_weather_prediction_init (p);
  if (!check_version_of (obj, GST_WEATHER_PREDICTION_VERSION, &version, error)
      || !get_key (obj, version, &p->key, error)
      || !get_time (obj, "window_start", TRUE, &p->window_start, error)
      || !get_time (obj, "window_end", TRUE, &p->window_end, error))
    goto out;

  node = json_object_get_member (obj, "model");
  if (node == NULL) {
    missing_error ("model", error);
    goto out;
  }
  if (!node_is (node, G_TYPE_STRING)) {
    type_error ("model", "a string", node, error);
    goto out;
  }
  if (g_str_equal (json_node_get_string (node), "zambretti")) {
    p->model = GST_WEATHER_MODEL_ZAMBRETTI;
  } else if (g_str_equal (json_node_get_string (node), "seed")) {
    p->model = GST_WEATHER_MODEL_SEED;
  } else {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "model: \"%.32s\" is not a known model (zambretti, seed)",
        json_node_get_string (node));
    goto out;
  }

  if (!get_double (obj, "chance_of_rain_pct", TRUE, FALSE, 0.0, 100.0, "%",
          &p->chance_of_rain_pct, error))
    goto out;
  if (!get_text (obj, "forecast_letter", letter, sizeof (letter),
          &has_letter, error))
    goto out;
  if (has_letter) {
    if (letter[0] < 'A' || letter[0] > 'Z') {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "forecast_letter: \"%s\" is not one letter A–Z", letter);
      goto out;
    }
    p->letter = letter[0];
  }
  if (!get_text (obj, "forecast", p->forecast, GST_WEATHER_FORECAST_SIZE,
          NULL, error)
      || !get_double (obj, "mean_pressure_hpa", FALSE, TRUE,
          GST_WEATHER_PRESSURE_MIN, GST_WEATHER_PRESSURE_MAX, "hPa",
          &p->mean_pressure_hpa, error)
      || !get_double (obj, "pressure_trend_hpa", FALSE, TRUE,
          GST_WEATHER_TREND_MIN, GST_WEATHER_TREND_MAX, "hPa",
          &p->pressure_trend_hpa, error)
      || !get_double (obj, "mean_temperature_c", FALSE, TRUE,
          GST_WEATHER_TEMPERATURE_MIN, GST_WEATHER_TEMPERATURE_MAX, "°C",
          &p->mean_temperature_c, error))
    goto out;

  u = 0;
  if (!get_uint (obj, "stations_used", FALSE, G_MAXUINT32, &u, error))
    goto out;
  p->stations_used = (guint32) u;
  u = 0;
  if (!get_uint (obj, "stations_missing", FALSE, G_MAXUINT32, &u, error))
    goto out;
  p->stations_missing = (guint32) u;

  flag = FALSE;
  if (!get_bool (obj, "trend_estimated", &flag, error))
    goto out;
  if (flag)
    p->flags |= GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED;
  flag = FALSE;
  if (!get_bool (obj, "no_data", &flag, error))
    goto out;
  if (flag)
    p->flags |= GST_WEATHER_PREDICTION_FLAG_NO_DATA;
  flag = FALSE;
  if (!get_bool (obj, "incomplete", &flag, error))
    goto out;
  if (flag)
    p->flags |= GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;

  ret = gst_weather_prediction_validate (p, error);

out:
  g_object_unref (parser);
  return ret;
}
