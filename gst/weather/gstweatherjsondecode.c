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
member_kind (const GstWeatherJsonMember * m)
{
  switch (m->kind) {
    case GST_WEATHER_JSON_OBJECT:
      return "an object";
    case GST_WEATHER_JSON_ARRAY:
      return "an array";
    case GST_WEATHER_JSON_NULL:
      return "null";
    case GST_WEATHER_JSON_BOOLEAN:
      return "a boolean";
    case GST_WEATHER_JSON_STRING:
      return "a string";
    case GST_WEATHER_JSON_INTEGER:
      return "an integer";
    case GST_WEATHER_JSON_DOUBLE:
      return "a number";
  }
  return "a value";
}

static const GstWeatherJsonMember *
find_member (const GstWeatherJsonMember * members, guint n, const gchar * name)
{
  guint i;

  for (i = 0; i < n; i++)
    if (strcmp (members[i].name, name) == 0)
      return &members[i];
  return NULL;
}

static gboolean
type_error (const gchar * field, const gchar * expected,
    const GstWeatherJsonMember * m, GError ** error)
{
  g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
      "%s: expected %s, got %s", field, expected, member_kind (m));
  return FALSE;
}

static gboolean
missing_error (const gchar * field, GError ** error)
{
  g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
      "%s: required field is missing", field);
  return FALSE;
}

/* A measurement @m (NULL: absent) named @field: absent or null is NaN
 * (when @nullable), otherwise a finite number within [@min, @max]. */
static gboolean
get_double (const GstWeatherJsonMember * m, const gchar * field,
    gboolean required, gboolean nullable, gdouble min, gdouble max,
    const gchar * unit, gdouble * out, GError ** error)
{
  gdouble v;

  if (m == NULL) {
    if (required)
      return missing_error (field, error);
    *out = NAN;
    return TRUE;
  }
  if (m->kind == GST_WEATHER_JSON_NULL) {
    if (!nullable)
      return type_error (field, "a number", m, error);
    *out = NAN;
    return TRUE;
  }
  if (m->kind == GST_WEATHER_JSON_INTEGER)
    v = (gdouble) m->integer;
  else if (m->kind == GST_WEATHER_JSON_DOUBLE)
    v = m->number;
  else
    return type_error (field, "a number", m, error);

  /* 1e999 parses as an infinity: never a valid value */
  if (!gst_weather_priv_check_double (field, v, min, max, unit, FALSE, error))
    return FALSE;
  *out = v == 0.0 ? 0.0 : v;
  return TRUE;
}

static gboolean
get_uint (const GstWeatherJsonMember * m, const gchar * field,
    gboolean required, guint64 max, guint64 * out, GError ** error)
{
  gint64 v;

  if (m == NULL) {
    if (required)
      return missing_error (field, error);
    return TRUE;
  }
  if (m->kind != GST_WEATHER_JSON_INTEGER)
    return type_error (field, "an integer", m, error);
  v = m->integer;
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
get_bool (const GstWeatherJsonMember * m, const gchar * field,
    gboolean * out, GError ** error)
{
  if (m == NULL)
    return TRUE;
  if (m->kind != GST_WEATHER_JSON_BOOLEAN)
    return type_error (field, "a boolean", m, error);
  *out = m->boolean;
  return TRUE;
}

/* A string of at most @size - 1 bytes into @out (NUL padded). */
static gboolean
get_text (const GstWeatherJsonMember * m, const gchar * field, gchar * out,
    gsize size, gboolean * present, GError ** error)
{
  gsize len;

  if (present)
    *present = FALSE;
  if (m == NULL)
    return TRUE;
  if (m->kind != GST_WEATHER_JSON_STRING)
    return type_error (field, "a string", m, error);
  len = m->text_len;
  if (len > size - 1) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %" G_GSIZE_FORMAT " bytes, longer than %" G_GSIZE_FORMAT
        " bytes", field, len, size - 1);
    return FALSE;
  }
  memset (out, 0, size);
  memcpy (out, m->text, len);
  if (present)
    *present = TRUE;
  return TRUE;
}

/* An RFC 3339 string or a number of ms since the epoch (fractions down to
 * the ns allowed). */
static gboolean
get_time (const GstWeatherJsonMember * m, const gchar * field,
    gboolean required, gint64 * out, GError ** error)
{
  if (m == NULL) {
    if (required)
      return missing_error (field, error);
    return TRUE;
  }
  if (m->kind == GST_WEATHER_JSON_STRING)
    return gst_weather_priv_time_from_rfc3339 (field, m->text, m->text_len,
        out, error);
  if (m->kind == GST_WEATHER_JSON_INTEGER) {
    gint64 ms = m->integer;

    if (ms < 0 || ms > G_MAXINT64 / 1000000) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "%s: %" G_GINT64_FORMAT " ms is outside 0–%" G_GINT64_FORMAT
          " ms since the UNIX epoch", field, ms, G_MAXINT64 / 1000000);
      return FALSE;
    }
    *out = ms * 1000000;
    return TRUE;
  }
  if (m->kind == GST_WEATHER_JSON_DOUBLE) {
    gdouble ms = m->number;
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
  return type_error (field, "an RFC 3339 string or epoch milliseconds", m,
      error);
}

/* The version of a record: 1, or @current (the default when absent) of
 * a group or prediction, whose version 1 has no key. */
static gboolean
check_version_of (const GstWeatherJsonMember * m, gint current,
    gint * version, GError ** error)
{
  *version = current;
  if (m == NULL)
    return TRUE;
  if (m->kind != GST_WEATHER_JSON_INTEGER)
    return type_error ("version", "an integer", m, error);
  if (m->integer != 1 && m->integer != current) {
    if (current == 1)
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
          "version: %" G_GINT64_FORMAT " is not supported (this library "
          "reads version 1)", m->integer);
    else
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
          "version: %" G_GINT64_FORMAT " is not supported (this library "
          "reads versions 1 and %d)", m->integer, current);
    return FALSE;
  }
  *version = (gint) m->integer;
  return TRUE;
}

static gboolean
check_version (const GstWeatherJsonMember * m, GError ** error)
{
  gint version;

  return check_version_of (m, GST_WEATHER_SCHEMA_VERSION, &version, error);
}

/* The key @m of a group or prediction: absent is the key of all stations
 * (and version 1 has none); "kind" is required, "id" and "name" may be
 * left out where they follow from the rest (docs/schema.md, "Keys"). */
static gboolean
get_key (const GstWeatherJsonMember * m, gint version, GstWeatherKey * key,
    GError ** error)
{
  GArray *members;
  const GstWeatherJsonMember *km, *kind_m, *id_m, *name_m;
  GstWeatherKeyKind kind;
  gboolean has_name, ret = FALSE;
  gchar name[GST_WEATHER_KEY_NAME_SIZE] = { 0, };
  guint64 id = 0;

  gst_weather_key_init_all (key);
  if (m == NULL)
    return TRUE;
  if (version == 1) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
        "key: version 1 records have no key (write version 2)");
    return FALSE;
  }
  if (m->kind != GST_WEATHER_JSON_OBJECT)
    return type_error ("key", "an object", m, error);

  members = g_array_sized_new (FALSE, FALSE, sizeof (GstWeatherJsonMember), 4);
  gst_weather_priv_json_object_members (json_node_get_object (m->node),
      members);
  km = (const GstWeatherJsonMember *) members->data;
  kind_m = find_member (km, members->len, "kind");
  id_m = find_member (km, members->len, "id");
  name_m = find_member (km, members->len, "name");

  if (kind_m == NULL) {
    missing_error ("key.kind", error);
    goto out;
  }
  if (kind_m->kind != GST_WEATHER_JSON_STRING) {
    type_error ("key.kind", "a string", kind_m, error);
    goto out;
  }
  if (!gst_weather_key_kind_from_string (kind_m->text, &kind)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "key.kind: \"%.32s\" is not a kind of key (all, station, region)",
        kind_m->text);
    goto out;
  }
  if (!get_uint (id_m, "key.id", FALSE, G_MAXUINT32, &id, error)
      || !get_text (name_m, "key.name", name, sizeof (name), &has_name, error))
    goto out;

  switch (kind) {
    case GST_WEATHER_KEY_STATION:
      if (id_m == NULL) {
        missing_error ("key.id", error);
        goto out;
      }
      gst_weather_key_init_station (key, (guint32) id, NULL);
      break;
    case GST_WEATHER_KEY_REGION:
      if (!has_name) {
        missing_error ("key.name", error);
        goto out;
      }
      key->kind = kind;
      key->id = gst_weather_station_id_from_name (name);
      break;
    case GST_WEATHER_KEY_ALL:
    default:
      break;
  }
  /* what is given must agree with the rest: validate() says where not */
  if (id_m != NULL)
    key->id = (guint32) id;
  if (has_name)
    memcpy (key->name, name, sizeof (key->name));
  ret = gst_weather_key_validate (key, error);

out:
  g_array_unref (members);
  return ret;
}

/* ---------------------------------------------------------------------- */
/* Decoders                                                               */
/* ---------------------------------------------------------------------- */

/* How reading_from_members() reads. */
typedef enum
{
  READ_SLOT = 1 << 0,           /* a group slot: "missing" allowed */
  READ_STATION_OPTIONAL = 1 << 1,       /* the caller supplies a station */
} ReadFlags;

/* The members a reading reads, in the order of reading_field_names. */
typedef enum
{
  RF_VERSION,
  RF_STATION_ID,
  RF_STATION,
  RF_MISSING,
  RF_CREATED_AT,
  RF_RECEIVED_AT,
  RF_SEQUENCE,
  RF_TIME_FROM_ARRIVAL,
  RF_NO_SEA_LEVEL_PRESSURE,
  RF_TEMPERATURE,
  RF_PRESSURE,
  RF_HUMIDITY,
  RF_WIND_SPEED,
  RF_WIND_DIRECTION,
  RF_N_FIELDS
} ReadingField;

static const gchar *const reading_field_names[RF_N_FIELDS] = {
  "version", "station_id", "station", "missing", "created_at", "received_at",
  "sequence", "time_from_arrival", "no_sea_level_pressure", "temperature_c",
  "pressure_hpa", "humidity_pct", "wind_speed_ms", "wind_direction_deg",
};

/* One pass over the members (unique names) instead of a lookup per
 * field. */
static void
index_reading_members (const GstWeatherJsonMember * members, guint n,
    const GstWeatherJsonMember * by_field[RF_N_FIELDS])
{
  guint i, f;

  memset (by_field, 0, RF_N_FIELDS * sizeof (by_field[0]));
  for (i = 0; i < n; i++) {
    for (f = 0; f < RF_N_FIELDS; f++) {
      if (by_field[f] == NULL && members[i].name[0] == reading_field_names[f][0]
          && strcmp (members[i].name, reading_field_names[f]) == 0) {
        by_field[f] = &members[i];
        break;
      }
    }
  }
}

static gboolean
reading_from_members (const GstWeatherJsonMember * members, guint n,
    GstWeatherReading * r, ReadFlags read_flags, gboolean * has_station,
    GError ** error)
{
  const GstWeatherJsonMember *m[RF_N_FIELDS];
  guint64 u = 0;
  gboolean has_id, has_name, missing = FALSE, flag;
  gboolean slot = (read_flags & READ_SLOT) != 0;

  index_reading_members (members, n, m);
  gst_weather_reading_init (r);
  if (!check_version (m[RF_VERSION], error))
    return FALSE;

  has_id = m[RF_STATION_ID] != NULL;
  if (has_id) {
    if (!get_uint (m[RF_STATION_ID], "station_id", TRUE, G_MAXUINT32, &u,
            error))
      return FALSE;
    r->station_id = (guint32) u;
  }
  if (!get_text (m[RF_STATION], "station", r->station_name,
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

  if (!get_bool (m[RF_MISSING], "missing", &missing, error))
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

  if (!get_time (m[RF_CREATED_AT], "created_at", TRUE, &r->created_at, error)
      || !get_time (m[RF_RECEIVED_AT], "received_at", FALSE, &r->received_at,
          error))
    return FALSE;
  u = 0;
  if (!get_uint (m[RF_SEQUENCE], "sequence", FALSE, G_MAXINT64, &u, error))
    return FALSE;
  r->sequence = u;
  flag = FALSE;
  if (!get_bool (m[RF_TIME_FROM_ARRIVAL], "time_from_arrival", &flag, error))
    return FALSE;
  if (flag)
    r->flags |= GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL;
  flag = FALSE;
  if (!get_bool (m[RF_NO_SEA_LEVEL_PRESSURE], "no_sea_level_pressure", &flag,
          error))
    return FALSE;
  if (flag)
    r->flags |= GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE;
  if (!get_double (m[RF_TEMPERATURE], "temperature_c", FALSE, TRUE,
          GST_WEATHER_TEMPERATURE_MIN, GST_WEATHER_TEMPERATURE_MAX, "°C",
          &r->temperature_c, error)
      || !get_double (m[RF_PRESSURE], "pressure_hpa", FALSE, TRUE,
          GST_WEATHER_PRESSURE_MIN, GST_WEATHER_PRESSURE_MAX, "hPa",
          &r->pressure_hpa, error)
      || !get_double (m[RF_HUMIDITY], "humidity_pct", FALSE, TRUE,
          GST_WEATHER_HUMIDITY_MIN, GST_WEATHER_HUMIDITY_MAX, "%",
          &r->humidity_pct, error)
      || !get_double (m[RF_WIND_SPEED], "wind_speed_ms", FALSE, TRUE,
          GST_WEATHER_WIND_SPEED_MIN, GST_WEATHER_WIND_SPEED_MAX, "m/s",
          &r->wind_speed_ms, error)
      || !get_double (m[RF_WIND_DIRECTION], "wind_direction_deg", FALSE, TRUE,
          GST_WEATHER_WIND_DIRECTION_MIN, GST_WEATHER_WIND_DIRECTION_MAX,
          "deg", &r->wind_direction_deg, error))
    return FALSE;

  return gst_weather_reading_validate (r, error);
}

/* The members of the one object of a payload, with what holds them. */
typedef struct
{
  GArray *members;              /* GstWeatherJsonMember */
  JsonParser *parser;           /* the strict path's tree, or NULL */
} Parsed;

static gboolean
parsed_init (Parsed * p, const gchar * data, gssize len, gsize max_size,
    GError ** error)
{
  p->members = g_array_sized_new (FALSE, FALSE,
      sizeof (GstWeatherJsonMember), 16);
  if (gst_weather_priv_json_members (NULL, data, len, max_size, p->members,
          &p->parser, error))
    return TRUE;
  g_array_unref (p->members);
  return FALSE;
}

static void
parsed_clear (Parsed * p)
{
  g_array_unref (p->members);
  g_clear_object (&p->parser);
}

#define PARSED_MEMBERS(p) ((const GstWeatherJsonMember *) (p)->members->data)
#define PARSED_FIND(p, name) \
    find_member (PARSED_MEMBERS (p), (p)->members->len, (name))

gboolean
gst_weather_reading_from_json (const gchar * data, gssize len,
    GstWeatherReading * reading, GError ** error)
{
  Parsed p;
  gboolean ret;

  g_return_val_if_fail (reading != NULL, FALSE);

  if (!parsed_init (&p, data, len, GST_WEATHER_JSON_MAX_SIZE, error))
    return FALSE;
  ret = reading_from_members (PARSED_MEMBERS (&p), p.members->len, reading, 0,
      NULL, error);
  parsed_clear (&p);
  return ret;
}

gboolean
gst_weather_priv_reading_from_members (const GstWeatherJsonMember * members,
    guint n, gboolean station_optional, GstWeatherReading * reading,
    gboolean * has_station, GError ** error)
{
  return reading_from_members (members, n, reading,
      station_optional ? READ_STATION_OPTIONAL : 0, has_station, error);
}

gboolean
gst_weather_group_from_json (const gchar * data, gssize len,
    GstWeatherGroup * group, GError ** error)
{
  Parsed p;
  const GstWeatherJsonMember *m;
  JsonArray *stations;
  GArray *slot_members = NULL;
  guint64 expected = 0, present = 0;
  gboolean incomplete = FALSE;
  gint64 start = 0, end = 0;
  GstWeatherKey key;
  guint i, n;
  gint version;
  gboolean ret = FALSE;

  g_return_val_if_fail (group != NULL, FALSE);
  memset (group, 0, sizeof (*group));

  if (!parsed_init (&p, data, len, GST_WEATHER_JSON_GROUP_MAX_SIZE, error))
    return FALSE;

  if (!check_version_of (PARSED_FIND (&p, "version"),
          GST_WEATHER_GROUP_VERSION, &version, error)
      || !get_key (PARSED_FIND (&p, "key"), version, &key, error)
      || !get_time (PARSED_FIND (&p, "window_start"), "window_start", TRUE,
          &start, error)
      || !get_time (PARSED_FIND (&p, "window_end"), "window_end", TRUE, &end,
          error)
      || !get_bool (PARSED_FIND (&p, "incomplete"), "incomplete",
          &incomplete, error)
      || !get_uint (PARSED_FIND (&p, "expected"), "expected", FALSE,
          GST_WEATHER_GROUP_MAX_SLOTS, &expected, error)
      || !get_uint (PARSED_FIND (&p, "present"), "present", FALSE,
          G_MAXUINT32, &present, error))
    goto out;

  m = PARSED_FIND (&p, "stations");
  if (m == NULL) {
    missing_error ("stations", error);
    goto out;
  }
  if (m->kind != GST_WEATHER_JSON_ARRAY) {
    type_error ("stations", "an array", m, error);
    goto out;
  }
  stations = json_node_get_array (m->node);
  n = json_array_get_length (stations);
  if (n > GST_WEATHER_GROUP_MAX_SLOTS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "stations: %u entries, more than %d", n, GST_WEATHER_GROUP_MAX_SLOTS);
    goto out;
  }
  if (PARSED_FIND (&p, "expected") && expected != n) {
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
  slot_members = g_array_sized_new (FALSE, FALSE,
      sizeof (GstWeatherJsonMember), 16);
  for (i = 0; i < n; i++) {
    JsonNode *slot = json_array_get_element (stations, i);
    GstWeatherJsonMember slot_view = { NULL, };

    if (!JSON_NODE_HOLDS_OBJECT (slot)) {
      /* the kind, for the message */
      gst_weather_priv_json_node_member (NULL, slot, &slot_view);
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
          "stations[%u]: expected an object, got %s", i,
          member_kind (&slot_view));
      goto out;
    }
    g_array_set_size (slot_members, 0);
    gst_weather_priv_json_object_members (json_node_get_object (slot),
        slot_members);
    if (!reading_from_members ((GstWeatherJsonMember *) slot_members->data,
            slot_members->len, &group->slots[i], READ_SLOT, NULL, error)) {
      g_prefix_error (error, "stations[%u].", i);
      goto out;
    }
    if (!(group->slots[i].flags & GST_WEATHER_READING_FLAG_MISSING))
      group->n_present++;
  }
  if (PARSED_FIND (&p, "present") && present != group->n_present) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "present: %" G_GUINT64_FORMAT " but %u slots hold a reading",
        present, group->n_present);
    goto out;
  }
  ret = gst_weather_group_validate (group, error);

out:
  if (slot_members)
    g_array_unref (slot_members);
  parsed_clear (&p);
  return ret;
}

gboolean
gst_weather_prediction_from_json (const gchar * data, gssize len,
    GstWeatherPrediction * pr, GError ** error)
{
  Parsed p;
  const GstWeatherJsonMember *m;
  guint64 u;
  gboolean flag, ret = FALSE;
  gchar letter[2];
  gboolean has_letter;
  gint version;

  g_return_val_if_fail (pr != NULL, FALSE);

  if (!parsed_init (&p, data, len, GST_WEATHER_JSON_MAX_SIZE, error))
    return FALSE;

  gst_weather_prediction_init (pr);
  if (!check_version_of (PARSED_FIND (&p, "version"),
          GST_WEATHER_PREDICTION_VERSION, &version, error)
      || !get_key (PARSED_FIND (&p, "key"), version, &pr->key, error)
      || !get_time (PARSED_FIND (&p, "window_start"), "window_start", TRUE,
          &pr->window_start, error)
      || !get_time (PARSED_FIND (&p, "window_end"), "window_end", TRUE,
          &pr->window_end, error))
    goto out;

  m = PARSED_FIND (&p, "model");
  if (m == NULL) {
    missing_error ("model", error);
    goto out;
  }
  if (m->kind != GST_WEATHER_JSON_STRING) {
    type_error ("model", "a string", m, error);
    goto out;
  }
  if (g_str_equal (m->text, "zambretti")) {
    pr->model = GST_WEATHER_MODEL_ZAMBRETTI;
  } else if (g_str_equal (m->text, "seed")) {
    pr->model = GST_WEATHER_MODEL_SEED;
  } else {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "model: \"%.32s\" is not a known model (zambretti, seed)", m->text);
    goto out;
  }

  if (!get_double (PARSED_FIND (&p, "chance_of_rain_pct"),
          "chance_of_rain_pct", TRUE, FALSE, 0.0, 100.0, "%",
          &pr->chance_of_rain_pct, error))
    goto out;
  if (!get_text (PARSED_FIND (&p, "forecast_letter"), "forecast_letter",
          letter, sizeof (letter), &has_letter, error))
    goto out;
  if (has_letter) {
    if (letter[0] < 'A' || letter[0] > 'Z') {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "forecast_letter: \"%s\" is not one letter A–Z", letter);
      goto out;
    }
    pr->letter = letter[0];
  }
  if (!get_text (PARSED_FIND (&p, "forecast"), "forecast", pr->forecast,
          GST_WEATHER_FORECAST_SIZE, NULL, error)
      || !get_double (PARSED_FIND (&p, "mean_pressure_hpa"),
          "mean_pressure_hpa", FALSE, TRUE, GST_WEATHER_PRESSURE_MIN,
          GST_WEATHER_PRESSURE_MAX, "hPa", &pr->mean_pressure_hpa, error)
      || !get_double (PARSED_FIND (&p, "pressure_trend_hpa"),
          "pressure_trend_hpa", FALSE, TRUE, GST_WEATHER_TREND_MIN,
          GST_WEATHER_TREND_MAX, "hPa", &pr->pressure_trend_hpa, error)
      || !get_double (PARSED_FIND (&p, "mean_temperature_c"),
          "mean_temperature_c", FALSE, TRUE, GST_WEATHER_TEMPERATURE_MIN,
          GST_WEATHER_TEMPERATURE_MAX, "°C", &pr->mean_temperature_c, error))
    goto out;

  u = 0;
  if (!get_uint (PARSED_FIND (&p, "stations_used"), "stations_used", FALSE,
          G_MAXUINT32, &u, error))
    goto out;
  pr->stations_used = (guint32) u;
  u = 0;
  if (!get_uint (PARSED_FIND (&p, "stations_missing"), "stations_missing",
          FALSE, G_MAXUINT32, &u, error))
    goto out;
  pr->stations_missing = (guint32) u;

  flag = FALSE;
  if (!get_bool (PARSED_FIND (&p, "trend_estimated"), "trend_estimated",
          &flag, error))
    goto out;
  if (flag)
    pr->flags |= GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED;
  flag = FALSE;
  if (!get_bool (PARSED_FIND (&p, "no_data"), "no_data", &flag, error))
    goto out;
  if (flag)
    pr->flags |= GST_WEATHER_PREDICTION_FLAG_NO_DATA;
  flag = FALSE;
  if (!get_bool (PARSED_FIND (&p, "incomplete"), "incomplete", &flag, error))
    goto out;
  if (flag)
    pr->flags |= GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;

  ret = gst_weather_prediction_validate (pr, error);

out:
  parsed_clear (&p);
  return ret;
}
