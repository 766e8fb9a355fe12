/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * RFC 3339 date-times: epoch ns to text and back, and the proleptic
 * Gregorian calendar arithmetic they need.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweather-private.h"

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
#define SECONDS_PER_DAY G_GINT64_CONSTANT (86400)

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm, valid for any year). */
gint64
gst_weather_priv_days_from_civil (gint64 y, guint m, guint d)
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

guint
gst_weather_priv_days_in_month (gint64 year, guint month)
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

gboolean
gst_weather_priv_time_from_rfc3339 (const gchar * field, const gchar * text,
    gsize len, gint64 * epoch_ns, GError ** error)
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
  if (day < 1 || day > gst_weather_priv_days_in_month (year, month))
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: day %04u-%02u-%02u does not exist", field, year, month, day);
  if (hour > 23 || minute > 59)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: time %02u:%02u does not exist", field, hour, minute);
  if (second > 59)
    RFC3339_FAIL (GST_WEATHER_ERROR_RANGE,
        "%s: second %02u is not supported (no leap seconds)", field, second);

  secs = gst_weather_priv_days_from_civil (year, month, day) * SECONDS_PER_DAY +
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

  if (!gst_weather_priv_time_from_rfc3339 ("time", text, strlen (text), &value,
          error))
    return FALSE;
  if (epoch_ns)
    *epoch_ns = value;
  return TRUE;
}
