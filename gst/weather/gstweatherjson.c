/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "gstweather-private.h"

#define GST_CAT_DEFAULT gst_weather_lib_debug

/* Deepest nesting the strict scanner accepts; our records need 3. */
#define MAX_DEPTH 32

/* Up to this many keys per object are checked for duplicates without
 * allocating; larger objects use a hash table. */
#define INLINE_KEYS 24

/* At most one JSON value per this many bytes of the size limit (4096 in
 * a reading or prediction, 4 Mi in a group): a canonical reading has 12
 * values in about 270 bytes, a group slot at most 12 in about 120. */
#define VALUE_BUDGET_DIVISOR 16

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* ---------------------------------------------------------------------- */
/* Time                                                                   */
/* ---------------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm, valid for any year). */
static gint64
days_from_civil (gint64 y, guint m, guint d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void
civil_from_days (gint64 z, gint64 * year, guint * month, guint * day)
{
  gint64 era, doe, yoe, y, doy, mp;

  z += 719468;
  era = (z >= 0 ? z : z - 146096) / 146097;
  doe = z - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = yoe + era * 400;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  *day = (guint) (doy - (153 * mp + 2) / 5 + 1);
  *month = (guint) (mp < 10 ? mp + 3 : mp - 9);
  *year = y + (*month <= 2);
}

static guint
days_in_month (gint64 year, guint month)
{
  static const guint8 days[] =
      { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

static void
put_digits (gchar * dest, guint64 value, guint width)
{
  while (width-- > 0) {
    dest[width] = '0' + value % 10;
    value /= 10;
  }
}

void
gst_weather_time_to_rfc3339 (gint64 epoch_ns, GString * out)
{
  gint64 secs, ns, days, sod, year;
  guint month, day;

  g_return_if_fail (out != NULL);

  /* floor division, so that instants before the epoch print correctly */
  secs = epoch_ns / NS_PER_SECOND;
  ns = epoch_ns % NS_PER_SECOND;
  if (ns < 0) {
    ns += NS_PER_SECOND;
    secs--;
  }
  days = secs / SECONDS_PER_DAY;
  sod = secs % SECONDS_PER_DAY;
  if (sod < 0) {
    sod += SECONDS_PER_DAY;
    days--;
  }
  civil_from_days (days, &year, &month, &day);
  if (year < 0 || year > 9999) {
    g_string_append_printf (out,
        "%04" G_GINT64_FORMAT "-%02u-%02uT%02u:%02u:%02u.%09u" "Z", year,
        month, day, (guint) (sod / 3600), (guint) (sod / 60 % 60),
        (guint) (sod % 60), (guint) ns);
  } else {
    /* by hand: this runs for every timestamp of every JSON record */
    gchar buf[30];

    put_digits (buf, (guint64) year, 4);
    buf[4] = '-';
    put_digits (buf + 5, month, 2);
    buf[7] = '-';
    put_digits (buf + 8, day, 2);
    buf[10] = 'T';
    put_digits (buf + 11, (guint64) (sod / 3600), 2);
    buf[13] = ':';
    put_digits (buf + 14, (guint64) (sod / 60 % 60), 2);
    buf[16] = ':';
    put_digits (buf + 17, (guint64) (sod % 60), 2);
    buf[19] = '.';
    put_digits (buf + 20, (guint64) ns, 9);
    buf[29] = 'Z';
    g_string_append_len (out, buf, sizeof (buf));
  }
}

static gboolean
parse_digits (const gchar ** p, guint n, guint * value)
{
  guint i, v = 0;

  for (i = 0; i < n; i++) {
    if (!g_ascii_isdigit ((*p)[i]))
      return FALSE;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += n;
  *value = v;
  return TRUE;
}

#define RFC3339_FAIL(code, ...) G_STMT_START { \
    g_set_error (error, GST_WEATHER_ERROR, code, __VA_ARGS__); \
    return FALSE; \
  } G_STMT_END

static gboolean
time_from_rfc3339 (const gchar * field, const gchar * text, gsize len,
    gint64 * epoch_ns, GError ** error)
{
  const gchar *p = text, *end = text + len;
  guint year, month, day, hour, minute, second, oh = 0, om = 0;
  gint64 frac = 0, secs, offset = 0;
  guint nfrac = 0;

#define EXPECT(c) (p < end && *p == (c) && (p++, TRUE))
  if (len < 20)
    RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
        "%s: \"%s\" is not an RFC 3339 date-time "
        "(YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm))", field, text);
  if (!parse_digits (&p, 4, &year) || !EXPECT ('-')
      || !parse_digits (&p, 2, &month) || !EXPECT ('-')
      || !parse_digits (&p, 2, &day)
      || !(EXPECT ('T') || EXPECT ('t'))
      || !parse_digits (&p, 2, &hour) || !EXPECT (':')
      || !parse_digits (&p, 2, &minute) || !EXPECT (':')
      || !parse_digits (&p, 2, &second))
    RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
        "%s: \"%s\" is not an RFC 3339 date-time "
        "(YYYY-MM-DDTHH:MM:SS[.fraction](Z|±hh:mm))", field, text);
  if (EXPECT ('.')) {
    while (p < end && g_ascii_isdigit (*p)) {
      if (nfrac == 9)
        RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
            "%s: \"%s\" has more than 9 fractional digits", field, text);
      frac = frac * 10 + (*p++ - '0');
      nfrac++;
    }
    if (nfrac == 0)
      RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
          "%s: \"%s\" has no digit after the decimal point", field, text);
    for (; nfrac < 9; nfrac++)
      frac *= 10;
  }
  if (EXPECT ('Z') || EXPECT ('z')) {
    offset = 0;
  } else if (p < end && (*p == '+' || *p == '-')) {
    gint sign = *p++ == '-' ? -1 : 1;

    if (end - p < 5 || !parse_digits (&p, 2, &oh) || !EXPECT (':')
        || !parse_digits (&p, 2, &om))
      RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
          "%s: \"%s\" has a malformed UTC offset (±hh:mm)", field, text);
    if (oh > 23 || om > 59)
      RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
          "%s: \"%s\" has an invalid UTC offset", field, text);
    offset = sign * (gint64) (oh * 3600 + om * 60);
  } else {
    RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
        "%s: \"%s\" lacks a time zone (Z or ±hh:mm)", field, text);
  }
  if (p != end)
    RFC3339_FAIL (GST_WEATHER_ERROR_SYNTAX,
        "%s: \"%s\" has trailing characters", field, text);
#undef EXPECT

  /* the year is checked with the instant below: "1969-12-31T23:00:00-01:00"
   * is the epoch itself */
  if (month < 1 || month > 12)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: month %02u does not exist", field, month);
  if (day < 1 || day > days_in_month (year, month))
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: day %04u-%02u-%02u does not exist", field, year, month, day);
  if (hour > 23 || minute > 59)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: time %02u:%02u does not exist", field, hour, minute);
  if (second > 59)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: second %02u is not supported (no leap seconds)", field, second);

  secs = days_from_civil (year, month, day) * SECONDS_PER_DAY +
      hour * 3600 + minute * 60 + second - offset;
  /* the representable range: 1970-01-01T00:00:00Z to
   * 2262-04-11T23:47:16.854775807Z */
  if (secs < 0 || secs > G_MAXINT64 / NS_PER_SECOND
      || secs * NS_PER_SECOND > G_MAXINT64 - frac)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: \"%s\" is outside 1970-01-01T00:00:00Z to "
        "2262-04-11T23:47:16.854775807Z", field, text);
  *epoch_ns = secs * NS_PER_SECOND + frac;
  return TRUE;
}

gboolean
gst_weather_time_from_rfc3339 (const gchar * text, gint64 * epoch_ns,
    GError ** error)
{
  gint64 value;

  g_return_val_if_fail (text != NULL, FALSE);

  if (!time_from_rfc3339 ("time", text, strlen (text), &value, error))
    return FALSE;
  if (epoch_ns)
    *epoch_ns = value;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Encoder                                                                */
/* ---------------------------------------------------------------------- */

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
  g_string_append_printf (out, "%d", GST_WEATHER_SCHEMA_VERSION);
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
  g_string_append_printf (out, "%d", GST_WEATHER_SCHEMA_VERSION);
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

/* ---------------------------------------------------------------------- */
/* Strict syntax check                                                    */
/* ---------------------------------------------------------------------- */

/* json-glib is lenient (single quotes, comments, leading zeros, values
 * after the root, duplicate keys where the last wins, integers that wrap
 * around). This scanner enforces RFC 8259 on the raw bytes first, so that
 * json-glib only ever sees well-formed input. */

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint depth;
  /* the key whose value is being scanned, for error messages */
  const guchar *key;
  gsize key_len;
  /* values left before the payload is refused: bounds the memory of the
   * json-glib tree, whatever the shape of the input */
  gsize values_left;
  GError **error;
} Scanner;

static gboolean scan_value (Scanner * s);

static gboolean
scan_fail (Scanner * s, GstWeatherError code, const gchar * what)
{
  if (s->key)
    g_set_error (s->error, GST_WEATHER_ERROR, code,
        "%.*s: %s at byte %" G_GSIZE_FORMAT, (gint) MIN (s->key_len, 64),
        (const gchar *) s->key, what, (gsize) (s->p - s->start));
  else
    g_set_error (s->error, GST_WEATHER_ERROR, code,
        "payload: %s at byte %" G_GSIZE_FORMAT, what,
        (gsize) (s->p - s->start));
  return FALSE;
}

static void
scan_ws (Scanner * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static gint
scan_hex4 (Scanner * s)
{
  gint v = 0, i;

  if (s->end - s->p < 4)
    return -1;
  for (i = 0; i < 4; i++) {
    gint d = g_ascii_xdigit_value (s->p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  s->p += 4;
  return v;
}

/* On the opening quote; leaves the raw content in @content/@len. */
static gboolean
scan_string (Scanner * s, const guchar ** content, gsize * len)
{
  s->p++;
  *content = s->p;
  while (s->p < s->end) {
    guchar c = *s->p;

    if (c == '"') {
      *len = s->p - *content;
      s->p++;
      return TRUE;
    }
    if (c < 0x20)
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "unescaped control character in a string");
    if (c != '\\') {
      s->p++;
      continue;
    }
    s->p++;
    if (s->p >= s->end)
      break;
    c = *s->p++;
    if (c == 'u') {
      gint cp = scan_hex4 (s);

      if (cp < 0)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed \\u escape");
      if (cp == 0)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
            "\\u0000 is not allowed in strings");
      if (cp >= 0xdc00 && cp <= 0xdfff)
        return scan_fail (s, GST_WEATHER_ERROR_UTF8,
            "lone low surrogate in a \\u escape");
      if (cp >= 0xd800 && cp <= 0xdbff) {
        gint lo;

        if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
          return scan_fail (s, GST_WEATHER_ERROR_UTF8,
              "lone high surrogate in a \\u escape");
        s->p += 2;
        lo = scan_hex4 (s);
        if (lo < 0xdc00 || lo > 0xdfff)
          return scan_fail (s, GST_WEATHER_ERROR_UTF8,
              "high surrogate not followed by a low surrogate");
      }
    } else if (!strchr ("\"\\/bfnrt", c) || c == '\0') {
      s->p--;
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "invalid escape");
    }
  }
  return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unterminated string");
}

static gboolean
scan_number (Scanner * s)
{
  const guchar *num = s->p;
  gboolean negative = FALSE, integer = TRUE;
  guint64 value = 0, limit;
  gboolean overflow = FALSE;

  if (*s->p == '-') {
    negative = TRUE;
    s->p++;
  }
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed number");
  if (*s->p == '0' && s->p + 1 < s->end && g_ascii_isdigit (s->p[1]))
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
        "number with a leading zero");
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  while (s->p < s->end && g_ascii_isdigit (*s->p)) {
    guint d = *s->p++ - '0';

    if (value > (limit - d) / 10)
      overflow = TRUE;
    else
      value = value * 10 + d;
  }
  if (s->p < s->end && *s->p == '.') {
    integer = FALSE;
    s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "no digit after the decimal point");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    integer = FALSE;
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
      s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed exponent");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (integer && overflow) {
    s->p = num;
    return scan_fail (s, GST_WEATHER_ERROR_RANGE,
        "integer does not fit in 64 bits");
  }
  return TRUE;
}

static gboolean
scan_literal (Scanner * s, const gchar * word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unexpected character");
  s->p += len;
  return TRUE;
}

typedef struct
{
  const guchar *key;
  gsize len;
} KeyRef;

static guint
key_ref_hash (gconstpointer p)
{
  const KeyRef *k = p;
  guint h = 5381;
  gsize i;

  for (i = 0; i < k->len; i++)
    h = h * 33 + k->key[i];
  return h;
}

static gboolean
key_ref_equal (gconstpointer a, gconstpointer b)
{
  const KeyRef *ka = a, *kb = b;

  return ka->len == kb->len && memcmp (ka->key, kb->key, ka->len) == 0;
}

static KeyRef *
key_ref_copy (const KeyRef * k)
{
  KeyRef *copy = g_new (KeyRef, 1);

  *copy = *k;
  return copy;
}

static gboolean
scan_object (Scanner * s)
{
  KeyRef inline_keys[INLINE_KEYS];
  GHashTable *more = NULL;
  guint n_keys = 0;
  gboolean ret = FALSE;
  const guchar *outer_key = s->key;
  gsize outer_len = s->key_len;

  s->p++;                       /* '{' */
  scan_ws (s);
  if (s->p < s->end && *s->p == '}') {
    s->p++;
    return TRUE;
  }
  for (;;) {
    KeyRef k;
    guint i;

    scan_ws (s);
    if (s->p >= s->end || *s->p != '"') {
      scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected a quoted key");
      goto done;
    }
    if (!scan_string (s, &k.key, &k.len))
      goto done;
    s->key = k.key;
    s->key_len = k.len;

    /* duplicates are compared as written: "a" and "\u0061" differ */
    if (n_keys < INLINE_KEYS) {
      for (i = 0; i < n_keys; i++) {
        if (key_ref_equal (&inline_keys[i], &k)) {
          scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "duplicate key");
          goto done;
        }
      }
      inline_keys[n_keys] = k;
    } else {
      if (more == NULL) {
        more = g_hash_table_new_full (key_ref_hash, key_ref_equal, g_free,
            NULL);
        for (i = 0; i < INLINE_KEYS; i++)
          g_hash_table_add (more, key_ref_copy (&inline_keys[i]));
      }
      if (!g_hash_table_add (more, key_ref_copy (&k))) {
        scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "duplicate key");
        goto done;
      }
    }
    n_keys++;

    scan_ws (s);
    if (s->p >= s->end || *s->p != ':') {
      scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ':' after the key");
      goto done;
    }
    s->p++;
    scan_ws (s);
    if (!scan_value (s))
      goto done;
    scan_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (s->p < s->end && *s->p == '}') {
      s->p++;
      ret = TRUE;
      goto done;
    }
    scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ',' or '}'");
    goto done;
  }
done:
  if (more)
    g_hash_table_unref (more);
  if (ret) {
    s->key = outer_key;
    s->key_len = outer_len;
  }
  return ret;
}

static gboolean
scan_array (Scanner * s)
{
  s->p++;                       /* '[' */
  scan_ws (s);
  if (s->p < s->end && *s->p == ']') {
    s->p++;
    return TRUE;
  }
  for (;;) {
    scan_ws (s);
    if (!scan_value (s))
      return FALSE;
    scan_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (s->p < s->end && *s->p == ']') {
      s->p++;
      return TRUE;
    }
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ',' or ']'");
  }
}

static gboolean
scan_value (Scanner * s)
{
  const guchar *content;
  gsize len;
  gboolean ret;

  if (s->p >= s->end)
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unexpected end of input");
  if (s->values_left == 0)
    return scan_fail (s, GST_WEATHER_ERROR_TOO_LARGE,
        "too many JSON values for the payload's size limit");
  s->values_left--;

  switch (*s->p) {
    case '{':
    case '[':
      if (++s->depth > MAX_DEPTH)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
            "nesting deeper than 32 levels");
      ret = *s->p == '{' ? scan_object (s) : scan_array (s);
      s->depth--;
      return ret;
    case '"':
      return scan_string (s, &content, &len);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "unexpected character (not a JSON value)");
  }
}

/* Size, UTF-8, strict syntax, one object and nothing after it; then the
 * json-glib tree. */
static JsonParser *
parse_payload (const gchar * data, gssize len, gsize max_size,
    JsonObject ** object, GError ** error)
{
  Scanner s = { 0, };
  JsonParser *parser;
  JsonNode *root;
  GError *err = NULL;
  const gchar *bad;

  if (data == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: no data");
    return NULL;
  }
  if (len < 0) {
    /* do not scan further than the limit for a runaway string */
    len = strnlen (data, max_size + 1);
  }
  if ((gsize) len > max_size) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TOO_LARGE,
        "payload: %" G_GSSIZE_FORMAT " bytes, more than the limit of %"
        G_GSIZE_FORMAT " bytes", len, max_size);
    return NULL;
  }
  if (!g_utf8_validate_len (data, len, &bad)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "payload: not valid UTF-8 at byte %" G_GSIZE_FORMAT,
        (gsize) (bad - data));
    return NULL;
  }

  s.start = s.p = (const guchar *) data;
  s.end = s.start + len;
  s.error = error;
  s.values_left = max_size / VALUE_BUDGET_DIVISOR;
  scan_ws (&s);
  if (s.p >= s.end) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: empty");
    return NULL;
  }
  if (*s.p != '{') {
    if (!scan_value (&s))
      return NULL;
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
        "payload: not a JSON object");
    return NULL;
  }
  if (!scan_value (&s))
    return NULL;
  scan_ws (&s);
  if (s.p != s.end) {
    scan_fail (&s, GST_WEATHER_ERROR_SYNTAX,
        "trailing data after the JSON object");
    return NULL;
  }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &err)) {
    /* not expected after the scanner, but json-glib has the last word */
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: %s", err->message);
    g_error_free (err);
    g_object_unref (parser);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
        "payload: not a JSON object");
    g_object_unref (parser);
    return NULL;
  }
  *object = json_node_get_object (root);
  return parser;
}

/* ---------------------------------------------------------------------- */
/* Field access                                                           */
/* ---------------------------------------------------------------------- */

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
    return time_from_rfc3339 (field, text, strlen (text), out, error);
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

static gboolean
check_version (JsonObject * obj, GError ** error)
{
  JsonNode *node = json_object_get_member (obj, "version");
  gint64 v;

  if (node == NULL)
    return TRUE;
  if (!node_is (node, G_TYPE_INT64))
    return type_error ("version", "an integer", node, error);
  v = json_node_get_int (node);
  if (v != GST_WEATHER_SCHEMA_VERSION) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
        "version: %" G_GINT64_FORMAT " is not supported (this library "
        "reads version %d)", v, GST_WEATHER_SCHEMA_VERSION);
    return FALSE;
  }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Decoders                                                               */
/* ---------------------------------------------------------------------- */

static gboolean
reading_from_object (JsonObject * obj, GstWeatherReading * r,
    gboolean slot, GError ** error)
{
  guint64 u = 0;
  gboolean has_id, has_name, missing = FALSE;

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
  if (!has_id && !has_name) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
        "station_id: required field is missing (give station_id, station "
        "or both)");
    return FALSE;
  }
  if (!has_id && r->station_name[0] == '\0') {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "station: an empty name cannot identify a station without "
        "station_id");
    return FALSE;
  }
  if (!has_id)
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

  parser = parse_payload (data, len, GST_WEATHER_JSON_MAX_SIZE, &obj, error);
  if (parser == NULL)
    return FALSE;
  ret = reading_from_object (obj, reading, FALSE, error);
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
  guint i, n;
  gboolean ret = FALSE;

  g_return_val_if_fail (group != NULL, FALSE);
  memset (group, 0, sizeof (*group));

  parser = parse_payload (data, len, GST_WEATHER_JSON_GROUP_MAX_SIZE, &obj,
      error);
  if (parser == NULL)
    return FALSE;

  if (!check_version (obj, error)
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
            TRUE, error)) {
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

  g_return_val_if_fail (p != NULL, FALSE);

  parser = parse_payload (data, len, GST_WEATHER_JSON_MAX_SIZE, &obj, error);
  if (parser == NULL)
    return FALSE;

  gst_weather_prediction_init (p);
  if (!check_version (obj, error)
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
