/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What a feed line must decode to, computed in the test from the line's
 * own fields and the rules of docs/feeds.md (json-glib reads the line;
 * the decoder is never asked), and the files that hold such lines.
 */
#pragma once

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS
/* conversion factors from their definitions (NIST SP 811, appendix B) */
#define FX_INHG_HPA (13595.1 * 9.80665 * 0.0254 / 100.0)
#define FX_MPH_MS (0.0254 * 12 * 5280 / 3600.0)
#define FX_KMH_MS (1 / 3.6)
/* One candidate field of a slot: value = (x + offset) * factor. */
    typedef struct
{
  const gchar *name;
  gdouble factor;
  gdouble offset;
  gboolean station_pressure;
} FxField;

#define FX_END {NULL, 0, 0, FALSE}

typedef struct
{
  gboolean refused;             /* the line must not decode */
  gchar station[64];
  gboolean time_from_arrival;
  gint64 created_at;
  gdouble temperature_c, pressure_hpa, humidity_pct, wind_speed_ms,
      wind_direction_deg;
  gboolean no_sea_level;
} FxExpect;

static inline gboolean
fx_number (JsonNode * node, gdouble * out)
{
  const gchar *text;
  gchar *end;

  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  switch (json_node_get_value_type (node)) {
    case G_TYPE_INT64:
      *out = (gdouble) json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *out = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      text = json_node_get_string (node);
      if (*text == '\0')
        return FALSE;
      *out = g_ascii_strtod (text, &end);
      return *end == '\0';
    default:
      return FALSE;
  }
}

static inline gdouble
fx_round2 (gdouble v)
{
  return round (v * 100.0) / 100.0;
}

/* The first member of @obj, in the line's order, that is one of @cands
 * with a number; its converted value, and whether that is station
 * pressure. NaN when none. */
static inline gdouble
fx_first (JsonObject * obj, const FxField * cands, gboolean * station)
{
  GList *members = json_object_get_members (obj), *l;
  gdouble v = NAN;

  for (l = members; l && isnan (v); l = l->next) {
    const FxField *c;
    gdouble x;

    for (c = cands; c->name; c++) {
      if (strcmp (c->name, l->data) != 0
          || !fx_number (json_object_get_member (obj, c->name), &x))
        continue;
      v = (x + c->offset) * c->factor;
      if (c->factor != 1.0 || c->offset != 0.0)
        v = fx_round2 (v);
      if (station)
        *station = c->station_pressure;
      break;
    }
  }
  g_list_free (members);
  return v;
}

/* The first of @ranked that the line has, in the order of @ranked. */
static inline gdouble
fx_ranked (JsonObject * obj, const FxField * ranked, gboolean * station)
{
  const FxField *c;

  for (c = ranked; c->name; c++) {
    FxField one[2] = { *c, FX_END };
    gdouble v = fx_first (obj, one, station);

    if (!isnan (v))
      return v;
  }
  return NAN;
}

static inline gint64
fx_utc (const gchar * text)
{
  gint y, mo, d, h, mi;
  gdouble s;
  GDateTime *dt;
  gint64 ns;

  fail_unless (sscanf (text, "%d-%d-%d%*c%d:%d:%lf", &y, &mo, &d, &h, &mi,
          &s) == 6, "%s", text);
  dt = g_date_time_new_utc (y, mo, d, h, mi, s);
  ns = g_date_time_to_unix (dt) * GST_SECOND +
      (gint64) llround ((s - floor (s)) * 1e9);
  g_date_time_unref (dt);
  return ns;
}

static inline const gchar *
fx_text (JsonObject * obj, const gchar * name, gchar * buf, gsize size)
{
  JsonNode *n = json_object_get_member (obj, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    g_strlcpy (buf, json_node_get_string (n), size);
  else
    g_snprintf (buf, size, "%" G_GINT64_FORMAT, json_node_get_int (n));
  return buf;
}

/* What @line must become with @format (not auto). @station names
 * payloads without one, @stations gives altitudes (may be NULL), @tz is
 * the zone of zone-less rtl_433 times, @arrival the arrival instant. */
static inline void
fx_expect (GstWeatherFormat format, const gchar * line,
    const gchar * station, GstWeatherStations * stations, GTimeZone * tz,
    gint64 arrival, FxExpect * e)
{
  static const FxField c_f[] = { {"temperature_C", 1, 0, FALSE},
  {"temperature_F", 5.0 / 9.0, -32, FALSE}, FX_END
  };
  static const FxField rtl_wind[] = { {"wind_avg_m_s", 1, 0, FALSE},
  {"wind_avg_km_h", FX_KMH_MS, 0, FALSE}, {"wind_avg_mi_h", FX_MPH_MS, 0,
      FALSE}, FX_END
  };
  static const FxField rtl_pressure[] = { {"pressure_hPa", 1, 0, TRUE},
  FX_END
  };
  static const FxField weewx_temp[] = { {"outTemp_C", 1, 0, FALSE},
  {"outTemp_F", 5.0 / 9.0, -32, FALSE}, FX_END
  };
  static const FxField weewx_pressure[] = { {"barometer_mbar", 1, 0, FALSE},
  {"barometer_inHg", FX_INHG_HPA, 0, FALSE}, {"pressure_mbar", 1, 0, TRUE},
  {"pressure_inHg", FX_INHG_HPA, 0, TRUE}, FX_END
  };
  static const FxField weewx_wind[] = { {"windSpeed_kph", FX_KMH_MS, 0,
      FALSE}, {"windSpeed_mph", FX_MPH_MS, 0, FALSE}, {"windSpeed_mps", 1,
      0, FALSE}, FX_END
  };
  static const FxField pywws_temp[] = { {"temp_out_c", 1, 0, FALSE},
  {"temp_out_f", 5.0 / 9.0, -32, FALSE}, FX_END
  };
  static const FxField pywws_pressure[] = { {"pressure_rel_hpa", 1, 0,
      FALSE}, {"pressure_rel_inhg", FX_INHG_HPA, 0, FALSE},
  {"pressure_abs_hpa", 1, 0, TRUE}, {"pressure_abs_inhg", FX_INHG_HPA, 0,
      TRUE}, FX_END
  };
  static const FxField pywws_wind[] = { {"wind_ave_mps", 1, 0, FALSE},
  {"wind_ave_mph", FX_MPH_MS, 0, FALSE}, FX_END
  };
  static const FxField eco_pressure[] = { {"baromrelin", FX_INHG_HPA, 0,
      FALSE}, {"baromin", FX_INHG_HPA, 0, FALSE}, {"baromabsin",
      FX_INHG_HPA, 0, TRUE}, FX_END
  };
  JsonParser *parser = json_parser_new ();
  JsonObject *obj;
  JsonNode *t;
  gboolean station_p = FALSE;
  gchar buf[64];
  const GstWeatherStation *st = NULL;
  gdouble us = 0;

  memset (e, 0, sizeof (*e));
  fail_unless (json_parser_load_from_data (parser, line, -1, NULL), "%s", line);
  obj = json_node_get_object (json_parser_get_root (parser));
  e->temperature_c = e->pressure_hpa = e->humidity_pct = NAN;
  e->wind_speed_ms = e->wind_direction_deg = NAN;
  e->time_from_arrival = TRUE;
  e->created_at = arrival;
  g_strlcpy (e->station, station ? station : "", sizeof (e->station));

  switch (format) {
    case GST_WEATHER_FORMAT_RTL_433:{
      const gchar *parts[] = { "model", "channel", "id" };
      GString *name = g_string_new (NULL);
      guint i;

      for (i = 0; i < 3; i++) {
        if (fx_text (obj, parts[i], buf, sizeof (buf))) {
          if (name->len)
            g_string_append_c (name, '/');
          g_string_append (name, buf);
        }
      }
      g_strlcpy (e->station, name->str, sizeof (e->station));
      g_string_free (name, TRUE);
      if (fx_text (obj, "time", buf, sizeof (buf)) && buf[0] != '@') {
        gint y, mo, d, h, mi;
        gdouble s;
        gchar *end;
        gdouble secs = g_ascii_strtod (buf, &end);

        e->time_from_arrival = FALSE;
        if (*end == '\0') {
          e->created_at = (gint64) llround (secs * 1e9);
        } else if (strlen (buf) == 19 || (strlen (buf) > 19
                && buf[19] == '.' && !strpbrk (buf + 19, "+-Z"))) {
          /* zone-less: local time in @tz */
          GDateTime *dt;

          fail_unless (sscanf (buf, "%d-%d-%d%*c%d:%d:%lf", &y, &mo, &d,
                  &h, &mi, &s) == 6);
          dt = g_date_time_new (tz, y, mo, d, h, mi, s);
          e->created_at = g_date_time_to_unix (dt) * GST_SECOND;
          g_date_time_unref (dt);
        } else {
          /* ISO 8601 with an offset: GLib's own reader, after putting
           * the colon into a ±hhmm offset */
          gchar iso[64];
          gsize n = strlen (buf);
          GDateTime *dt;

          g_strlcpy (iso, buf, sizeof (iso));
          if (n > 5 && (iso[n - 5] == '+' || iso[n - 5] == '-')
              && g_ascii_isdigit (iso[n - 1])) {
            memmove (iso + n - 1, iso + n - 2, 3);
            iso[n - 2] = ':';
          }
          dt = g_date_time_new_from_iso8601 (iso, NULL);
          fail_unless (dt != NULL, "%s", iso);
          e->created_at = g_date_time_to_unix (dt) * GST_SECOND +
              g_date_time_get_microsecond (dt) * 1000;
          g_date_time_unref (dt);
        }
      }
      e->temperature_c = fx_first (obj, c_f, NULL);
      e->humidity_pct = fx_ranked (obj, (FxField[]) { {
          "humidity", 1, 0, FALSE}
          , FX_END}
          , NULL);
      e->pressure_hpa = fx_first (obj, rtl_pressure, &station_p);
      e->wind_speed_ms = fx_first (obj, rtl_wind, NULL);
      e->wind_direction_deg = fx_ranked (obj, (FxField[]) { {
          "wind_dir_deg", 1, 0, FALSE}
          , {
          "wind_direction", 1, 0, FALSE}
          , FX_END}
          , NULL);
      break;
    }
    case GST_WEATHER_FORMAT_WEEWX:
      t = json_object_get_member (obj, "dateTime");
      if (t && fx_number (t, &us)) {
        e->time_from_arrival = FALSE;
        e->created_at = (gint64) llround (us * 1e9);
      }
      e->temperature_c = fx_first (obj, weewx_temp, NULL);
      e->humidity_pct = fx_ranked (obj, (FxField[]) { {
          "outHumidity", 1, 0, FALSE}
          , FX_END}
          , NULL);
      e->pressure_hpa = fx_ranked (obj, weewx_pressure, &station_p);
      e->wind_speed_ms = fx_first (obj, weewx_wind, NULL);
      e->wind_direction_deg = fx_ranked (obj, (FxField[]) { {
          "windDir", 1, 0, FALSE}
          , FX_END}
          , NULL);
      /* without unit labels, usUnits 1 is the US system */
      t = json_object_get_member (obj, "usUnits");
      if (t && fx_number (t, &us) && us == 1) {
        if (isnan (e->temperature_c))
          e->temperature_c = fx_ranked (obj, (FxField[]) { {
              "outTemp", 5.0 / 9.0, -32, FALSE}
              , FX_END}
            , NULL);
        if (isnan (e->pressure_hpa))
          e->pressure_hpa = fx_ranked (obj, (FxField[]) { {
              "barometer", FX_INHG_HPA, 0, FALSE}
              , FX_END}
            , &station_p);
        if (isnan (e->wind_speed_ms))
          e->wind_speed_ms = fx_ranked (obj, (FxField[]) { {
              "windSpeed", FX_MPH_MS, 0, FALSE}
              , FX_END}
            , NULL);
      }
      break;
    case GST_WEATHER_FORMAT_PYWWS:
      if (fx_text (obj, "idx", buf, sizeof (buf))) {
        e->time_from_arrival = FALSE;
        e->created_at = fx_utc (buf);
      }
      e->temperature_c = fx_ranked (obj, pywws_temp, NULL);
      e->humidity_pct = fx_ranked (obj, (FxField[]) { {
          "hum_out", 1, 0, FALSE}
          , FX_END}
          , NULL);
      e->pressure_hpa = fx_ranked (obj, pywws_pressure, &station_p);
      e->wind_speed_ms = fx_ranked (obj, pywws_wind, NULL);
      e->wind_direction_deg = fx_ranked (obj, (FxField[]) { {
          "wind_dir_degrees", 1, 0, FALSE}
          , FX_END}
          , NULL);
      break;
    case GST_WEATHER_FORMAT_ECOWITT:
      if (fx_text (obj, "PASSKEY", buf, sizeof (buf))
          || fx_text (obj, "ID", buf, sizeof (buf)))
        g_strlcpy (e->station, buf, sizeof (e->station));
      if (fx_text (obj, "dateutc", buf, sizeof (buf))
          && strcmp (buf, "now") != 0) {
        e->time_from_arrival = FALSE;
        e->created_at = fx_utc (buf);
      }
      e->temperature_c = fx_ranked (obj, (FxField[]) { {
          "tempf", 5.0 / 9.0, -32, FALSE}
          , FX_END}
          , NULL);
      e->humidity_pct = fx_ranked (obj, (FxField[]) { {
          "humidity", 1, 0, FALSE}
          , FX_END}
          , NULL);
      e->pressure_hpa = fx_ranked (obj, eco_pressure, &station_p);
      e->wind_speed_ms = fx_ranked (obj, (FxField[]) { {
          "windspeedmph", FX_MPH_MS, 0, FALSE}
          , FX_END}
          , NULL);
      e->wind_direction_deg = fx_ranked (obj, (FxField[]) { {
          "winddir", 1, 0, FALSE}
          , FX_END}
          , NULL);
      break;
    default:
      fail ("no expectation for format %d", format);
  }

  if (stations && e->station[0])
    st = gst_weather_stations_lookup_name (stations, e->station);
  if (st)
    g_strlcpy (e->station, st->name, sizeof (e->station));
  if (station_p && !isnan (e->pressure_hpa)) {
    if (e->pressure_hpa < 300 || e->pressure_hpa > 1100) {
      e->pressure_hpa = NAN;    /* out of range: left out, no flag */
    } else if (st && !isnan (st->altitude_m)) {
      /* ICAO standard atmosphere: T0 288.15 K, L 0.0065 K/m, exponent
       * g0 M / (R L) */
      e->pressure_hpa = fx_round2 (e->pressure_hpa * pow (1 - 0.0065 *
              st->altitude_m / 288.15, -(9.80665 * 0.0289644) /
              (8.3144598 * 0.0065)));
    } else {
      e->pressure_hpa = NAN;
      e->no_sea_level = TRUE;
    }
  }
  if (!isnan (e->pressure_hpa) && (e->pressure_hpa < 800
          || e->pressure_hpa > 1100))
    e->pressure_hpa = NAN;
  e->refused = isnan (e->temperature_c) && isnan (e->pressure_hpa)
      && isnan (e->humidity_pct) && isnan (e->wind_speed_ms)
      && isnan (e->wind_direction_deg) && !e->no_sea_level;
  g_object_unref (parser);
}

static inline gboolean
fx_same (gdouble a, gdouble b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

/* Checks @r against @e; @where names the line. */
static inline void
fx_check (const GstWeatherReading * r, const FxExpect * e, const gchar * where)
{
  guint32 want = GST_WEATHER_READING_FLAG_NONE;

  if (e->time_from_arrival)
    want |= GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL;
  if (e->no_sea_level)
    want |= GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE;
  fail_unless_equals_string (r->station_name, e->station);
  fail_unless (r->created_at == e->created_at, "%s: created_at %"
      G_GINT64_FORMAT " != %" G_GINT64_FORMAT, where, r->created_at,
      e->created_at);
  fail_unless (r->flags == want, "%s: flags 0x%x != 0x%x", where, r->flags,
      want);
#define FX_CHECK_VALUE(field) \
  fail_unless (fx_same (r->field, e->field), "%s: " #field " %.17g != %.17g", \
      where, r->field, e->field)
  FX_CHECK_VALUE (temperature_c);
  FX_CHECK_VALUE (pressure_hpa);
  FX_CHECK_VALUE (humidity_pct);
  FX_CHECK_VALUE (wind_speed_ms);
  FX_CHECK_VALUE (wind_direction_deg);
#undef FX_CHECK_VALUE
}

/* The lines of @path (empty ones skipped), or NULL when it is absent. */
static inline gchar **
fx_read_lines (const gchar * path)
{
  gchar *text = NULL, **lines, **out;
  guint i, n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  lines = g_strsplit (text, "\n", -1);
  out = g_new0 (gchar *, g_strv_length (lines) + 1);
  for (i = 0; lines[i]; i++)
    if (*g_strstrip (lines[i]))
      out[n++] = g_strdup (lines[i]);
  g_strfreev (lines);
  g_free (text);
  return out;
}

G_END_DECLS
