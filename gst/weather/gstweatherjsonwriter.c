/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The JSON writer: the canonical form of docs/schema.md for readings,
 * groups and predictions.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweather-private.h"

/* A JSON string from at most @size bytes of @text (stops at a NUL). */
static void
append_string (GString * out, const gchar * text, gsize size)
{
  static const gchar hex[] = "0123456789abcdef";
  const gchar *end = memchr (text, '\0', size);
  const guchar *p = (const guchar *) text;
  const guchar *stop = (const guchar *) (end ? end : text + size);
  const guchar *run = p;

  g_string_append_c (out, '"');
  for (; p < stop; p++) {
    const gchar *esc = NULL;
    gchar u[7];

    switch (*p) {
      case '"':
        esc = "\\\"";
        break;
      case '\\':
        esc = "\\\\";
        break;
      case '\b':
        esc = "\\b";
        break;
      case '\f':
        esc = "\\f";
        break;
      case '\n':
        esc = "\\n";
        break;
      case '\r':
        esc = "\\r";
        break;
      case '\t':
        esc = "\\t";
        break;
      default:
        if (*p < 0x20) {
          u[0] = '\\';
          u[1] = 'u';
          u[2] = '0';
          u[3] = '0';
          u[4] = hex[*p >> 4];
          u[5] = hex[*p & 0xf];
          u[6] = '\0';
          esc = u;
        }
        break;
    }
    if (esc) {
      g_string_append_len (out, (const gchar *) run, p - run);
      g_string_append (out, esc);
      run = p + 1;
    }
  }
  g_string_append_len (out, (const gchar *) run, stop - run);
  g_string_append_c (out, '"');
}

static void
append_key (GString * out, const gchar * key, gboolean first)
{
  if (!first)
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
}

static void
append_double (GString * out, const gchar * key, gdouble value)
{
  gchar buf[GST_WEATHER_DOUBLE_BUF_SIZE];

  append_key (out, key, FALSE);
  if (!isfinite (value)) {
    /* NaN is a missing measurement; an infinity is never valid and has
     * no JSON form either */
    g_string_append (out, "null");
  } else {
    /* -0 would read back as the integer 0: write 0 */
    g_string_append (out, gst_weather_priv_format_double (value == 0.0 ?
            0.0 : value, buf));
  }
}

static void
append_time (GString * out, const gchar * key, gint64 epoch_ns)
{
  append_key (out, key, FALSE);
  g_string_append_c (out, '"');
  gst_weather_time_to_rfc3339 (epoch_ns, out);
  g_string_append_c (out, '"');
}

static void
append_uint (GString * out, const gchar * key, guint64 value)
{
  append_key (out, key, FALSE);
  g_string_append_printf (out, "%" G_GUINT64_FORMAT, value);
}

static void
append_bool (GString * out, const gchar * key, gboolean value)
{
  append_key (out, key, FALSE);
  g_string_append (out, value ? "true" : "false");
}

/* "key":{"kind":"region","id":N,"name":"..."} after a first field */
static void
append_key_object (GString * out, const GstWeatherKey * key)
{
  const gchar *kind = gst_weather_key_kind_to_string (key->kind);

  append_key (out, "key", FALSE);
  g_string_append_c (out, '{');
  append_key (out, "kind", TRUE);
  append_string (out, kind ? kind : "unknown", 16);
  append_uint (out, "id", key->id);
  append_key (out, "name", FALSE);
  append_string (out, key->name, GST_WEATHER_KEY_NAME_SIZE);
  g_string_append_c (out, '}');
}

static void
reading_to_json (const GstWeatherReading * r, GString * out,
    gboolean with_version)
{
  g_string_append_c (out, '{');
  if (with_version) {
    append_key (out, "version", TRUE);
    g_string_append_printf (out, "%d", GST_WEATHER_SCHEMA_VERSION);
    append_uint (out, "station_id", r->station_id);
  } else {
    append_key (out, "station_id", TRUE);
    g_string_append_printf (out, "%u", r->station_id);
  }
  if (r->station_name[0] != '\0') {
    append_key (out, "station", FALSE);
    append_string (out, r->station_name, GST_WEATHER_STATION_NAME_SIZE);
  }
  if (r->flags & GST_WEATHER_READING_FLAG_MISSING) {
    append_bool (out, "missing", TRUE);
    g_string_append_c (out, '}');
    return;
  }
  append_time (out, "created_at", r->created_at);
  if (r->received_at != GST_WEATHER_TIME_NONE)
    append_time (out, "received_at", r->received_at);
  append_uint (out, "sequence", r->sequence);
  append_double (out, "temperature_c", r->temperature_c);
  append_double (out, "pressure_hpa", r->pressure_hpa);
  append_double (out, "humidity_pct", r->humidity_pct);
  append_double (out, "wind_speed_ms", r->wind_speed_ms);
  append_double (out, "wind_direction_deg", r->wind_direction_deg);
  if (r->flags & GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL)
    append_bool (out, "time_from_arrival", TRUE);
  if (r->flags & GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE)
    append_bool (out, "no_sea_level_pressure", TRUE);
  g_string_append_c (out, '}');
}

void
gst_weather_reading_to_json (const GstWeatherReading * reading, GString * out)
{
  g_return_if_fail (reading != NULL);
  g_return_if_fail (out != NULL);

  reading_to_json (reading, out, TRUE);
}

void
gst_weather_group_to_json (const GstWeatherGroup * group, GString * out)
{
  guint32 i;

  g_return_if_fail (group != NULL);
  g_return_if_fail (out != NULL);
  g_return_if_fail (group->n_slots == 0 || group->slots != NULL);

  g_string_append_c (out, '{');
  append_key (out, "version", TRUE);
  g_string_append_printf (out, "%d", GST_WEATHER_GROUP_VERSION);
  append_key_object (out, &group->key);
  append_time (out, "window_start", group->window_start);
  append_time (out, "window_end", group->window_end);
  append_bool (out, "incomplete",
      (group->flags & GST_WEATHER_GROUP_FLAG_INCOMPLETE) != 0);
  append_uint (out, "expected", group->n_slots);
  append_uint (out, "present", group->n_present);
  append_key (out, "stations", FALSE);
  g_string_append_c (out, '[');
  for (i = 0; i < group->n_slots; i++) {
    if (i > 0)
      g_string_append_c (out, ',');
    reading_to_json (&group->slots[i], out, FALSE);
  }
  g_string_append (out, "]}");
}

void
gst_weather_prediction_to_json (const GstWeatherPrediction * p, GString * out)
{
  const gchar *model;

  g_return_if_fail (p != NULL);
  g_return_if_fail (out != NULL);

  model = gst_weather_model_to_string (p->model);
  g_string_append_c (out, '{');
  append_key (out, "version", TRUE);
  g_string_append_printf (out, "%d", GST_WEATHER_PREDICTION_VERSION);
  append_key_object (out, &p->key);
  append_time (out, "window_start", p->window_start);
  append_time (out, "window_end", p->window_end);
  append_key (out, "model", FALSE);
  append_string (out, model ? model : "unknown", 16);
  append_double (out, "chance_of_rain_pct", p->chance_of_rain_pct);
  if (p->letter != 0) {
    append_key (out, "forecast_letter", FALSE);
    append_string (out, &p->letter, 1);
  }
  append_key (out, "forecast", FALSE);
  append_string (out, p->forecast, GST_WEATHER_FORECAST_SIZE);
  append_double (out, "mean_pressure_hpa", p->mean_pressure_hpa);
  append_double (out, "pressure_trend_hpa", p->pressure_trend_hpa);
  append_double (out, "mean_temperature_c", p->mean_temperature_c);
  append_uint (out, "stations_used", p->stations_used);
  append_uint (out, "stations_missing", p->stations_missing);
  append_bool (out, "trend_estimated",
      (p->flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED) != 0);
  append_bool (out, "no_data",
      (p->flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA) != 0);
  append_bool (out, "incomplete",
      (p->flags & GST_WEATHER_PREDICTION_FLAG_INCOMPLETE) != 0);
  g_string_append_c (out, '}');
}
