/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The field rules of the dialects (docs/feeds.md): which field fills which
 * slot of a reading, in which unit, where the time and the station are.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gstweatherdialect.h"

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)
/* seconds whose ns, fraction added, still fit in a gint64 */
#define MAX_EPOCH_SECONDS (G_MAXINT64 / NS_PER_SECOND - 1)

/* How a field's name gives its unit. */
typedef enum
{
  UNIT_FIXED,                   /* the rule's unit */
  UNIT_SUFFIX,                  /* the name is PREFIX + unit label */
  UNIT_SYSTEM,                  /* WeeWX's usUnits says */
} UnitFrom;

typedef struct
{
  const gchar *name;            /* exact name, or the prefix for UNIT_SUFFIX */
  GstWeatherSlot slot;
  UnitFrom unit_from;
  const gchar *unit;            /* UNIT_FIXED */
  GstWeatherPressureKind pressure;
  gint rank;                    /* when two fields fill a slot, the lower wins;
                                 * equal ranks: the first in the message */
} FieldRule;

#define T GST_WEATHER_SLOT_TEMPERATURE
#define P GST_WEATHER_SLOT_PRESSURE
#define H GST_WEATHER_SLOT_HUMIDITY
#define S GST_WEATHER_SLOT_WIND_SPEED
#define D GST_WEATHER_SLOT_WIND_DIRECTION
#define SEA GST_WEATHER_PRESSURE_SEA_LEVEL
#define STN GST_WEATHER_PRESSURE_STATION
#define NOP GST_WEATHER_PRESSURE_NONE

/* rtl_433 docs/DATA_FORMAT.md: units in key suffixes, <Type>_<Unit> */
static const FieldRule rtl_433_rules[] = {
  {"temperature_", T, UNIT_SUFFIX, NULL, NOP, 0},
  {"humidity", H, UNIT_FIXED, "%", NOP, 0},
  /* station pressure on the devices that send it (docs/feeds.md) */
  {"pressure_", P, UNIT_SUFFIX, NULL, STN, 0},
  {"wind_avg_", S, UNIT_SUFFIX, NULL, NOP, 0},
  {"wind_speed_", S, UNIT_SUFFIX, NULL, NOP, 1},
  {"wind_dir_deg", D, UNIT_FIXED, "deg", NOP, 0},
  /* older decoders (AlectoV1) */
  {"wind_direction", D, UNIT_FIXED, "deg", NOP, 1},
  {NULL,},
};

/* weewx-mqtt: <obs>_<unit label>, or the bare name when
 * append_units_label is off (then usUnits gives the unit) */
static const FieldRule weewx_rules[] = {
  {"outTemp_", T, UNIT_SUFFIX, NULL, NOP, 0},
  {"outTemp", T, UNIT_SYSTEM, NULL, NOP, 0},
  {"outHumidity", H, UNIT_FIXED, "%", NOP, 0},
  {"barometer_", P, UNIT_SUFFIX, NULL, SEA, 0},
  {"barometer", P, UNIT_SYSTEM, NULL, SEA, 0},
  {"pressure_", P, UNIT_SUFFIX, NULL, STN, 1},
  {"pressure", P, UNIT_SYSTEM, NULL, STN, 1},
  {"windSpeed_", S, UNIT_SUFFIX, NULL, NOP, 0},
  {"windSpeed", S, UNIT_SYSTEM, NULL, NOP, 0},
  {"windDir", D, UNIT_FIXED, "deg", NOP, 0},
  {NULL,},
};

/* pywws' default MQTT template */
static const FieldRule pywws_rules[] = {
  {"temp_out_c", T, UNIT_FIXED, "C", NOP, 0},
  {"temp_out_f", T, UNIT_FIXED, "F", NOP, 1},
  {"hum_out", H, UNIT_FIXED, "%", NOP, 0},
  {"pressure_rel_hpa", P, UNIT_FIXED, "hPa", SEA, 0},
  {"pressure_rel_inhg", P, UNIT_FIXED, "inHg", SEA, 1},
  {"pressure_abs_hpa", P, UNIT_FIXED, "hPa", STN, 2},
  {"pressure_abs_inhg", P, UNIT_FIXED, "inHg", STN, 3},
  {"wind_ave_mps", S, UNIT_FIXED, "m_s", NOP, 0},
  {"wind_ave_mph", S, UNIT_FIXED, "mph", NOP, 1},
  {"wind_dir_degrees", D, UNIT_FIXED, "deg", NOP, 0},
  {NULL,},
};

/* Ecowitt "customized" upload (Ecowitt protocol; the Wunderground
 * protocol's baromin too): imperial units */
static const FieldRule ecowitt_rules[] = {
  {"tempf", T, UNIT_FIXED, "F", NOP, 0},
  {"humidity", H, UNIT_FIXED, "%", NOP, 0},
  {"baromrelin", P, UNIT_FIXED, "inHg", SEA, 0},
  {"baromin", P, UNIT_FIXED, "inHg", SEA, 0},
  {"baromabsin", P, UNIT_FIXED, "inHg", STN, 1},
  {"windspeedmph", S, UNIT_FIXED, "mph", NOP, 0},
  {"winddir", D, UNIT_FIXED, "deg", NOP, 0},
  {NULL,},
};

#undef T
#undef P
#undef H
#undef S
#undef D

static const GstWeatherQuantity slot_quantity[GST_WEATHER_N_SLOTS] = {
  GST_WEATHER_QUANTITY_TEMPERATURE,
  GST_WEATHER_QUANTITY_PRESSURE,
  GST_WEATHER_QUANTITY_HUMIDITY,
  GST_WEATHER_QUANTITY_SPEED,
  GST_WEATHER_QUANTITY_DIRECTION,
};

/* Ranges of docs/schema.md; pressure here is what the feed gives: a
 * station's pressure may be far below sea level's (the reduced value is
 * checked against the reading's range later). */
static const gdouble slot_min[GST_WEATHER_N_SLOTS] = {
  GST_WEATHER_TEMPERATURE_MIN, 300.0, GST_WEATHER_HUMIDITY_MIN,
  GST_WEATHER_WIND_SPEED_MIN, GST_WEATHER_WIND_DIRECTION_MIN,
};

static const gdouble slot_max[GST_WEATHER_N_SLOTS] = {
  GST_WEATHER_TEMPERATURE_MAX, GST_WEATHER_PRESSURE_MAX,
  GST_WEATHER_HUMIDITY_MAX, GST_WEATHER_WIND_SPEED_MAX,
  GST_WEATHER_WIND_DIRECTION_MAX,
};

void
gst_weather_dialect_reading_init (GstWeatherDialectReading * r)
{
  guint i;

  memset (r, 0, sizeof (*r));
  for (i = 0; i < GST_WEATHER_N_SLOTS; i++) {
    r->value[i] = NAN;
    r->rank[i] = G_MAXINT;
  }
}

void
gst_weather_dialect_reading_clear (GstWeatherDialectReading * r)
{
  g_clear_pointer (&r->first_problem, g_free);
}

static void
note_problem (GstWeatherDialectReading * r, GstWeatherDecodeProblem problem,
    const gchar * format, ...)
G_GNUC_PRINTF (3, 4);

     static void
         note_problem (GstWeatherDialectReading * r,
    GstWeatherDecodeProblem problem, const gchar * format, ...)
{
  va_list args;

  r->problems[problem]++;
  if (r->first_problem)
    return;
  va_start (args, format);
  r->first_problem = g_strdup_vprintf (format, args);
  va_end (args);
}

static gboolean
fail (GError ** error, GstWeatherDecodeProblem problem, const gchar * format,
    ...)
G_GNUC_PRINTF (3, 4);

     static gboolean
         fail (GError ** error, GstWeatherDecodeProblem problem,
    const gchar * format, ...)
{
  va_list args;
  gchar *msg;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, GST_WEATHER_DECODE_ERROR, problem, msg);
  g_free (msg);
  return FALSE;
}

/* A field that stands for "no value": JSON null, "", pywws' "None". */
static gboolean
field_is_empty (const GstWeatherField * f)
{
  switch (f->kind) {
    case GST_WEATHER_FIELD_NULL:
      return TRUE;
    case GST_WEATHER_FIELD_STRING:
      return f->text[0] == '\0' || strcmp (f->text, "None") == 0
          || strcmp (f->text, "null") == 0;
    default:
      return FALSE;
  }
}

/* A decimal number written as JSON allows it ("-12.5", "1e3"), with
 * blanks around it; anything else (hex, "nan", "inf", "12abc") is not. */
static gboolean
parse_decimal (const gchar * text, gdouble * out)
{
  const gchar *p = text;
  gchar *end;
  gdouble v;

  while (*p == ' ' || *p == '\t')
    p++;
  if (*p == '+' || *p == '-')
    p++;
  if (!g_ascii_isdigit (*p) && !(*p == '.' && g_ascii_isdigit (p[1])))
    return FALSE;
  for (; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != 'e' && *p != 'E'
        && *p != '+' && *p != '-' && *p != ' ' && *p != '\t')
      return FALSE;
  v = g_ascii_strtod (text, &end);
  while (*end == ' ' || *end == '\t')
    end++;
  if (end == text || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* The field's number: a JSON number or a string holding one. */
static gboolean
field_number (const GstWeatherField * f, gdouble * out)
{
  if (f->kind == GST_WEATHER_FIELD_NUMBER) {
    *out = f->number;
    return isfinite (f->number);
  }
  return f->kind == GST_WEATHER_FIELD_STRING && parse_decimal (f->text, out);
}

static const GstWeatherField *
find_field (const GstWeatherField * fields, guint n, const gchar * name)
{
  guint i;

  for (i = 0; i < n; i++)
    if (strcmp (fields[i].name, name) == 0)
      return &fields[i];
  return NULL;
}

/* WeeWX unit systems (weewx/units.py): US 1, METRIC 16, METRICWX 17 */
static const gchar *
weewx_system_unit (gint system, GstWeatherSlot slot)
{
  static const gchar *us[] = { "F", "inHg", NULL, "mph" };
  static const gchar *metric[] = { "C", "mbar", NULL, "kph" };
  static const gchar *metricwx[] = { "C", "mbar", NULL, "m_s" };

  if (slot > GST_WEATHER_SLOT_WIND_SPEED)
    return NULL;
  switch (system) {
    case 1:
      return us[slot];
    case 16:
      return metric[slot];
    case 17:
      return metricwx[slot];
    default:
      return NULL;
  }
}

/* The rule @name falls under, and the unit label it gives. */
static const FieldRule *
match_rule (const FieldRule * rules, const gchar * name, const gchar ** unit)
{
  const FieldRule *rule;

  for (rule = rules; rule->name; rule++) {
    if (rule->unit_from == UNIT_SUFFIX) {
      gsize n = strlen (rule->name);

      /* "temperature_2_C" is a second sensor, not a unit "2_C" */
      if (strncmp (name, rule->name, n) == 0 && name[n] != '\0'
          && !g_ascii_isdigit (name[n])) {
        *unit = name + n;
        return rule;
      }
    } else if (strcmp (name, rule->name) == 0) {
      *unit = rule->unit;
      return rule;
    }
  }
  return NULL;
}

static void
map_measurements (const FieldRule * rules, const GstWeatherField * fields,
    guint n, gint unit_system, GstWeatherDialectReading * r)
{
  guint i;

  for (i = 0; i < n; i++) {
    const GstWeatherField *f = &fields[i];
    const FieldRule *rule;
    const gchar *unit = NULL;
    gdouble v, converted;
    GstWeatherSlot slot;

    rule = match_rule (rules, f->name, &unit);
    if (rule == NULL || field_is_empty (f))
      continue;
    slot = rule->slot;
    if (rule->rank >= r->rank[slot])
      continue;
    if (rule->unit_from == UNIT_SYSTEM)
      unit = weewx_system_unit (unit_system, slot);
    if (!field_number (f, &v)) {
      note_problem (r, GST_WEATHER_DECODE_BAD_VALUE,
          "%s: \"%.32s\" is not a number", f->name,
          f->kind == GST_WEATHER_FIELD_STRING ? f->text : "(not a string)");
      continue;
    }
    if (unit == NULL || !gst_weather_unit_convert (slot_quantity[slot], unit,
            v, &converted)) {
      if (unit == NULL)
        note_problem (r, GST_WEATHER_DECODE_UNKNOWN_UNIT,
            "%s: no unit (no suffix, and usUnits is not 1, 16 or 17)", f->name);
      else
        note_problem (r, GST_WEATHER_DECODE_UNKNOWN_UNIT,
            "%s: \"%s\" is not a unit this decoder knows", f->name, unit);
      continue;
    }
    if (!(converted >= slot_min[slot] && converted <= slot_max[slot])) {
      note_problem (r, GST_WEATHER_DECODE_OUT_OF_RANGE,
          "%s: %g is outside %g–%g", f->name, converted, slot_min[slot],
          slot_max[slot]);
      continue;
    }
    r->value[slot] = converted;
    r->rank[slot] = rule->rank;
    if (converted != v)
      r->converted |= 1u << slot;
    else
      r->converted &= ~(1u << slot);
    if (slot == GST_WEATHER_SLOT_PRESSURE)
      r->pressure_kind = rule->pressure;
  }
}

/* ---------------------------------------------------------------------- */
/* Time                                                                   */
/* ---------------------------------------------------------------------- */

static gboolean
digits (const gchar ** p, guint n, gint * value)
{
  guint i;
  gint v = 0;

  for (i = 0; i < n; i++) {
    if (!g_ascii_isdigit ((*p)[i]))
      return FALSE;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *value = v;
  return TRUE;
}

/* "YYYY-MM-DD HH:MM:SS", "T" for the space, a fraction, then nothing
 * (@zoned FALSE: a wall-clock time), "Z", ±hh, ±hhmm or ±hh:mm. The result
 * is ns since 1970-01-01T00:00:00 of that wall clock, the offset already
 * taken off when there is one. */
static gboolean
parse_civil (const gchar * text, gint64 * ns, gboolean * zoned)
{
  const gchar *p = text;
  gint year, month, day, hour, minute, second, oh = 0, om = 0, sign = 0;
  gint64 frac = 0, secs;
  guint nfrac = 0;

  if (!digits (&p, 4, &year) || *p++ != '-' || !digits (&p, 2, &month)
      || *p++ != '-' || !digits (&p, 2, &day)
      || (*p != ' ' && *p != 'T' && *p != 't') || !(p++, digits (&p, 2,
              &hour)) || *p++ != ':' || !digits (&p, 2, &minute)
      || *p++ != ':' || !digits (&p, 2, &second))
    return FALSE;
  if (*p == '.') {
    p++;
    if (!g_ascii_isdigit (*p))
      return FALSE;
    for (; g_ascii_isdigit (*p); p++) {
      if (nfrac < 9) {
        frac = frac * 10 + (*p - '0');
        nfrac++;
      }
    }
    for (; nfrac < 9; nfrac++)
      frac *= 10;
  }
  *zoned = TRUE;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    sign = *p++ == '-' ? -1 : 1;
    if (!digits (&p, 2, &oh))
      return FALSE;
    if (*p == ':')
      p++;
    if (g_ascii_isdigit (*p) && !digits (&p, 2, &om))
      return FALSE;
    if (oh > 23 || om > 59)
      return FALSE;
  } else {
    *zoned = FALSE;
  }
  if (*p != '\0')
    return FALSE;
  if (month < 1 || month > 12 || day < 1
      || day > (gint) gst_weather_priv_days_in_month (year, month)
      || hour > 23 || minute > 59 || second > 59)
    return FALSE;
  secs = gst_weather_priv_days_from_civil (year, month, day) *
      SECONDS_PER_DAY + hour * 3600 + minute * 60 + second -
      sign * (oh * 3600 + om * 60);
  /* ns since the epoch must fit (1677-09-22 to 2262-04-11), also once a
   * local time's zone offset (under a day) is taken off */
  if (secs <= -MAX_EPOCH_SECONDS + SECONDS_PER_DAY
      || secs >= MAX_EPOCH_SECONDS - SECONDS_PER_DAY)
    return FALSE;
  *ns = secs * NS_PER_SECOND + frac;
  return TRUE;
}

/* Epoch seconds as text: digits with an optional fraction. */
static gboolean
parse_epoch_text (const gchar * text, gint64 * ns)
{
  const gchar *p = text;
  gint64 secs = 0, frac = 0;
  guint nfrac = 0, nint = 0;

  for (; g_ascii_isdigit (*p); p++, nint++) {
    if (nint >= 12)
      return FALSE;
    secs = secs * 10 + (*p - '0');
  }
  if (nint == 0)
    return FALSE;
  if (*p == '.') {
    for (p++; g_ascii_isdigit (*p); p++) {
      if (nfrac < 9) {
        frac = frac * 10 + (*p - '0');
        nfrac++;
      }
    }
    for (; nfrac < 9; nfrac++)
      frac *= 10;
  }
  if (*p != '\0' || secs >= MAX_EPOCH_SECONDS)
    return FALSE;
  *ns = secs * NS_PER_SECOND + frac;
  return TRUE;
}

static gboolean
epoch_from_number (gdouble secs, gint64 * ns)
{
  gdouble whole;

  if (!(secs >= 0 && secs < (gdouble) MAX_EPOCH_SECONDS))
    return FALSE;
  whole = floor (secs);
  *ns = (gint64) whole *NS_PER_SECOND + (gint64) llround ((secs - whole) * 1e9);
  return TRUE;
}

typedef enum
{
  TIME_RTL_433,                 /* local or zoned text, epoch seconds,
                                 * "@0.25s" = none */
  TIME_EPOCH_SECONDS,           /* WeeWX dateTime */
  TIME_UTC_TEXT,                /* pywws idx, Ecowitt dateutc */
} TimeRule;

static gboolean
map_time (const GstWeatherField * f, TimeRule rule,
    GstWeatherDialectReading * r, GError ** error)
{
  gboolean zoned = FALSE;
  gdouble number;
  gint64 ns;

  r->time_kind = GST_WEATHER_TIME_ABSENT;
  if (f == NULL || field_is_empty (f))
    return TRUE;

  if (f->kind == GST_WEATHER_FIELD_NUMBER) {
    if (rule == TIME_UTC_TEXT || !epoch_from_number (f->number, &ns))
      return fail (error, GST_WEATHER_DECODE_BAD_TIME, "%s: %g is not a time "
          "this dialect writes", f->name, f->number);
    r->time_kind = GST_WEATHER_TIME_EPOCH;
    r->time_ns = ns;
    return TRUE;
  }
  if (f->kind != GST_WEATHER_FIELD_STRING)
    return fail (error, GST_WEATHER_DECODE_BAD_TIME,
        "%s: not a string or a number", f->name);

  switch (rule) {
    case TIME_RTL_433:
      /* rtl_433 reading a file writes the sample offset: no time */
      if (f->text[0] == '@')
        return TRUE;
      if (parse_epoch_text (f->text, &ns)) {
        r->time_kind = GST_WEATHER_TIME_EPOCH;
        r->time_ns = ns;
        return TRUE;
      }
      if (parse_civil (f->text, &ns, &zoned)) {
        r->time_kind = zoned ? GST_WEATHER_TIME_EPOCH : GST_WEATHER_TIME_LOCAL;
        r->time_ns = ns;
        return TRUE;
      }
      break;
    case TIME_EPOCH_SECONDS:
      if (parse_decimal (f->text, &number) && epoch_from_number (number, &ns)) {
        /* the text's own digits when it has them, for the fraction */
        if (!parse_epoch_text (f->text, &r->time_ns))
          r->time_ns = ns;
        r->time_kind = GST_WEATHER_TIME_EPOCH;
        return TRUE;
      }
      break;
    case TIME_UTC_TEXT:
      /* the Wunderground protocol's "now" */
      if (g_ascii_strcasecmp (f->text, "now") == 0)
        return TRUE;
      if (parse_civil (f->text, &ns, &zoned)) {
        r->time_kind = GST_WEATHER_TIME_EPOCH;
        r->time_ns = ns;
        return TRUE;
      }
      break;
  }
  return fail (error, GST_WEATHER_DECODE_BAD_TIME,
      "%s: \"%.40s\" is not a time this dialect writes", f->name, f->text);
}

/* ---------------------------------------------------------------------- */
/* Station                                                                */
/* ---------------------------------------------------------------------- */

/* A field's text or integer, for identities ("A", 3, 411042499). */
static gboolean
identity_text (const GstWeatherField * f, gchar * buf, gsize size)
{
  if (f->kind == GST_WEATHER_FIELD_NUMBER) {
    if (f->number != floor (f->number) || fabs (f->number) > 1e15)
      return FALSE;
    g_snprintf (buf, size, "%" G_GINT64_FORMAT, (gint64) f->number);
    return TRUE;
  }
  if (f->kind != GST_WEATHER_FIELD_STRING || f->text[0] == '\0'
      || strchr (f->text, '/'))
    return FALSE;
  g_strlcpy (buf, f->text, size);
  return TRUE;
}

static gboolean
set_station (GstWeatherDialectReading * r, const gchar * name,
    const gchar * field, GError ** error)
{
  if (strlen (name) > GST_WEATHER_STATION_NAME_MAX_LEN)
    return fail (error, GST_WEATHER_DECODE_NO_STATION,
        "%s: the station name \"%.64s\" is longer than %d bytes", field, name,
        GST_WEATHER_STATION_NAME_MAX_LEN);
  g_strlcpy (r->station, name, sizeof (r->station));
  return TRUE;
}

/* rtl_433: model[/channel][/id], the path rtl_433's own devices topics
 * use for the same station */
static gboolean
rtl_433_station (const GstWeatherField * fields, guint n,
    GstWeatherDialectReading * r, GError ** error)
{
  static const gchar *parts[] = { "model", "channel", "id" };
  GString *name = g_string_new (NULL);
  gchar buf[64];
  gboolean ok = TRUE;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (parts); i++) {
    const GstWeatherField *f = find_field (fields, n, parts[i]);

    if (f == NULL || field_is_empty (f))
      continue;
    if (!identity_text (f, buf, sizeof (buf))) {
      g_string_free (name, TRUE);
      return fail (error, GST_WEATHER_DECODE_NO_STATION, "%s: not a "
          "station identity (a string without \"/\" or an integer)", parts[i]);
    }
    if (name->len > 0)
      g_string_append_c (name, '/');
    g_string_append (name, buf);
  }
  if (find_field (fields, n, "model") != NULL)
    ok = set_station (r, name->str, "model", error);
  g_string_free (name, TRUE);
  return ok;
}

static gboolean
text_station (const GstWeatherField * f, GstWeatherDialectReading * r,
    GError ** error)
{
  gchar buf[256];

  if (f == NULL || field_is_empty (f))
    return TRUE;
  if (!identity_text (f, buf, sizeof (buf)))
    return fail (error, GST_WEATHER_DECODE_NO_STATION,
        "%s: not a station identity", f->name);
  return set_station (r, buf, f->name, error);
}

/* ---------------------------------------------------------------------- */

gboolean
gst_weather_dialect_map (GstWeatherFormat format,
    const GstWeatherField * fields, guint n, GstWeatherDialectReading * r,
    GError ** error)
{
  const GstWeatherField *f;
  gdouble system = 0;

  switch (format) {
    case GST_WEATHER_FORMAT_RTL_433:
      if (!rtl_433_station (fields, n, r, error)
          || !map_time (find_field (fields, n, "time"), TIME_RTL_433, r, error))
        return FALSE;
      map_measurements (rtl_433_rules, fields, n, 0, r);
      return TRUE;
    case GST_WEATHER_FORMAT_WEEWX:
      if (!map_time (find_field (fields, n, "dateTime"), TIME_EPOCH_SECONDS,
              r, error))
        return FALSE;
      /* 1, 16 or 17; anything else has no units (and must not be cast
       * to an int when it is huge) */
      f = find_field (fields, n, "usUnits");
      if (f == NULL || !field_number (f, &system) || system < 0 || system > 255)
        system = 0;
      map_measurements (weewx_rules, fields, n, (gint) system, r);
      return TRUE;
    case GST_WEATHER_FORMAT_PYWWS:
      if (!map_time (find_field (fields, n, "idx"), TIME_UTC_TEXT, r, error))
        return FALSE;
      map_measurements (pywws_rules, fields, n, 0, r);
      return TRUE;
    case GST_WEATHER_FORMAT_ECOWITT:
      f = find_field (fields, n, "PASSKEY");
      if (f == NULL)
        f = find_field (fields, n, "ID");
      if (!text_station (f, r, error)
          || !map_time (find_field (fields, n, "dateutc"), TIME_UTC_TEXT, r,
              error))
        return FALSE;
      map_measurements (ecowitt_rules, fields, n, 0, r);
      return TRUE;
    case GST_WEATHER_FORMAT_NATIVE:
    case GST_WEATHER_FORMAT_AUTO:
    default:
      g_return_val_if_reached (FALSE);
  }
}

static gboolean
has_prefix_field (const GstWeatherField * fields, guint n, const gchar * prefix)
{
  guint i;

  for (i = 0; i < n; i++)
    if (g_str_has_prefix (fields[i].name, prefix))
      return TRUE;
  return FALSE;
}

GstWeatherFormat
gst_weather_format_detect (const GstWeatherField * fields, guint n)
{
  if (find_field (fields, n, "PASSKEY") || find_field (fields, n,
          "stationtype") || find_field (fields, n, "dateutc"))
    return GST_WEATHER_FORMAT_ECOWITT;
  if (find_field (fields, n, "model"))
    return GST_WEATHER_FORMAT_RTL_433;
  if (find_field (fields, n, "dateTime") || find_field (fields, n, "usUnits"))
    return GST_WEATHER_FORMAT_WEEWX;
  if (find_field (fields, n, "idx") || has_prefix_field (fields, n,
          "temp_out_") || has_prefix_field (fields, n, "pressure_rel_")
      || find_field (fields, n, "hum_out"))
    return GST_WEATHER_FORMAT_PYWWS;
  return GST_WEATHER_FORMAT_NATIVE;
}
