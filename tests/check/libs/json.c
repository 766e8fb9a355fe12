/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The JSON codec: canonical encoding, round trips of all three records
 * and the strict decoder's answer to every class of bad input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#define T0 G_GINT64_CONSTANT (1764197000123456789)      /* 2025-11-26T22:43:20.123456789Z */

static void
make_reading (GstWeatherReading * r)
{
  gst_weather_reading_init (r);
  r->station_id = 7;
  r->created_at = T0;
  r->received_at = T0 + 250 * GST_MSECOND;
  r->sequence = 42;
  r->temperature_c = 21.3;
  r->pressure_hpa = 1013.25;
  r->humidity_pct = 0.1 + 0.2;
  r->wind_speed_ms = 3;
  r->wind_direction_deg = NAN;
  fail_unless (gst_weather_reading_set_station_name (r,
          "ws \"attic\"\n☂ \\ \x01", NULL));
}

static gboolean
double_same (gdouble a, gdouble b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

static void
assert_reading_equal (const GstWeatherReading * a, const GstWeatherReading * b)
{
  fail_unless_equals_int (a->station_id, b->station_id);
  fail_unless_equals_int (a->flags, b->flags);
  fail_unless_equals_string (a->station_name, b->station_name);
  if (a->flags & GST_WEATHER_READING_FLAG_MISSING)
    return;
  fail_unless_equals_int64 (a->created_at, b->created_at);
  fail_unless_equals_int64 (a->received_at, b->received_at);
  fail_unless_equals_uint64 (a->sequence, b->sequence);
  fail_unless (double_same (a->temperature_c, b->temperature_c));
  fail_unless (double_same (a->pressure_hpa, b->pressure_hpa));
  fail_unless (double_same (a->humidity_pct, b->humidity_pct),
      "%.17g != %.17g", a->humidity_pct, b->humidity_pct);
  fail_unless (double_same (a->wind_speed_ms, b->wind_speed_ms));
  fail_unless (double_same (a->wind_direction_deg, b->wind_direction_deg));
}

/* encode, decode, compare, re-encode, compare bytes */
static gchar *
reading_round_trip (const GstWeatherReading * in)
{
  GString *enc1 = g_string_new (NULL), *enc2 = g_string_new (NULL);
  GstWeatherReading out;
  GError *err = NULL;

  gst_weather_reading_to_json (in, enc1);
  if (!gst_weather_reading_from_json (enc1->str, enc1->len, &out, &err))
    fail ("decoding %s: %s", enc1->str, err->message);
  assert_reading_equal (in, &out);
  gst_weather_reading_to_json (&out, enc2);
  fail_unless_equals_string (enc1->str, enc2->str);
  g_string_free (enc2, TRUE);
  return g_string_free (enc1, FALSE);
}

GST_START_TEST (test_reading_canonical)
{
  GstWeatherReading r;
  gchar *json;

  make_reading (&r);
  json = reading_round_trip (&r);
  fail_unless_equals_string (json,
      "{\"version\":1,\"station_id\":7,"
      "\"station\":\"ws \\\"attic\\\"\\n☂ \\\\ \\u0001\","
      "\"created_at\":\"2025-11-26T22:43:20.123456789Z\","
      "\"received_at\":\"2025-11-26T22:43:20.373456789Z\","
      "\"sequence\":42,\"temperature_c\":21.3,\"pressure_hpa\":1013.25,"
      "\"humidity_pct\":0.30000000000000004,\"wind_speed_ms\":3,"
      "\"wind_direction_deg\":null}");
  g_free (json);

  /* no name, received_at unknown, nothing measured */
  gst_weather_reading_init (&r);
  r.station_id = 0;
  json = reading_round_trip (&r);
  fail_unless_equals_string (json,
      "{\"version\":1,\"station_id\":0,"
      "\"created_at\":\"1970-01-01T00:00:00.000000000Z\",\"sequence\":0,"
      "\"temperature_c\":null,\"pressure_hpa\":null,\"humidity_pct\":null,"
      "\"wind_speed_ms\":null,\"wind_direction_deg\":null}");
  g_free (json);
}

GST_END_TEST;

static const gdouble awkward_numbers[] = {
  0.1, 1.0 / 3.0, 2.0 / 3.0, 1e-5, 4.9406564584124654e-324,
  2.2250738585072014e-308, 99.99999999999999, 12.000000000000002, 100.0,
  -99.99, 0.0, -0.0, 17.3, 59.95, 1.5e-300,
};

GST_START_TEST (test_reading_numbers)
{
  GstWeatherReading r;
  gchar *json;

  make_reading (&r);
  r.temperature_c = awkward_numbers[__i__];
  r.humidity_pct = fabs (awkward_numbers[__i__]);
  json = reading_round_trip (&r);
  /* locale independent: never a decimal comma */
  fail_if (strstr (json, "0,3") != NULL);
  g_free (json);
}

GST_END_TEST;

/* The encoder's numbers are the shortest of %.15g, %.16g and %.17g that
 * reads back to the same double (checked here the slow way against the
 * encoder's fast path for values with few decimals). */
static void
reference_format (gdouble v, gchar * buf)
{
  static const gchar *formats[] = { "%.15g", "%.16g", "%.17g" };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, formats[i], v);
    if (g_ascii_strtod (buf, NULL) == v)
      return;
  }
}

/* Significant digits of a decimal number as printed: its digits without
 * the leading and trailing zeros ("-0.0125" and "125000" have 3). */
static guint
significant_digits (const gchar * text, gsize len)
{
  gchar digits[64];
  gsize n = 0, i;
  guint first = 0;

  for (i = 0; i < len && text[i] != 'e' && text[i] != 'E'; i++)
    if (g_ascii_isdigit (text[i]) && n < sizeof (digits))
      digits[n++] = text[i];
  while (first < n && digits[first] == '0')
    first++;
  while (n > first && digits[n - 1] == '0')
    n--;
  return n > first ? (guint) (n - first) : 1;
}

/* No decimal with fewer significant digits reads back to @v. */
static gboolean
is_shortest (gdouble v, guint digits)
{
  gchar buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  guint p;

  for (p = 1; p < digits; p++) {
    g_snprintf (fmt, sizeof (fmt), "%%.%ug", p);
    g_ascii_formatd (buf, sizeof (buf), fmt, v);
    if (g_ascii_strtod (buf, NULL) == v)
      return FALSE;
  }
  return TRUE;
}

GST_START_TEST (test_number_form)
{
  GRand *rand = g_rand_new_with_seed (1013);
  GString *json = g_string_new (NULL);
  GstWeatherReading r;
  guint i;

  make_reading (&r);
  for (i = 0; i < 30000; i++) {
    gchar expect[G_ASCII_DTOSTR_BUF_SIZE];
    const gchar *field, *end;
    gdouble v;

    switch (i % 5) {
      case 0:
        v = g_rand_int_range (rand, -100000, 100001) / 1000.0;
        break;
      case 1:
        v = g_rand_int_range (rand, -10000, 10001) / 100.0;
        break;
      case 2:
        v = g_rand_int_range (rand, -1000, 1001) / 10.0;
        break;
      case 3:
        v = g_rand_double_range (rand, -100, 100);
        break;
      default:
        v = g_rand_int_range (rand, -100000, 100001) / 1000.0 +
            g_rand_int_range (rand, -2, 3) * 1e-14;
        break;
    }
    if (v == 0.0 || v < -100.0 || v > 100.0)
      continue;
    r.temperature_c = v;
    g_string_truncate (json, 0);
    gst_weather_reading_to_json (&r, json);
    field = strstr (json->str, "\"temperature_c\":") + 16;
    end = strchr (field, ',');
    reference_format (v, expect);
    fail_unless (strlen (expect) == (gsize) (end - field)
        && strncmp (field, expect, end - field) == 0, "%.17g: %.*s, not %s",
        v, (gint) (end - field), field, expect);
    fail_unless (is_shortest (v, significant_digits (field, end - field)),
        "%.17g: %.*s is not the shortest decimal that reads back", v,
        (gint) (end - field), field);
  }
  g_string_free (json, TRUE);
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_reading_extremes)
{
  GstWeatherReading r;
  gchar *json;

  make_reading (&r);
  r.station_id = G_MAXUINT32;
  r.created_at = G_MAXINT64;
  r.received_at = 0;
  r.sequence = G_MAXINT64;
  r.temperature_c = -100;
  r.pressure_hpa = 1100;
  r.humidity_pct = 100;
  r.wind_speed_ms = 150;
  r.wind_direction_deg = 360;
  json = reading_round_trip (&r);
  fail_unless (strstr (json,
          "\"created_at\":\"2262-04-11T23:47:16.854775807Z\"") != NULL);
  fail_unless (strstr (json, "\"station_id\":4294967295") != NULL);
  fail_unless (strstr (json, "\"sequence\":9223372036854775807") != NULL);
  g_free (json);

  r.temperature_c = 100;
  r.pressure_hpa = 800;
  r.humidity_pct = 0;
  r.wind_speed_ms = 0;
  r.wind_direction_deg = 0;
  g_free (reading_round_trip (&r));
}

GST_END_TEST;

static const gchar *names[] = {
  "KSEA", "quote\"s and \\backslashes\\", "Zürich ☂ 東京 🌧",
  "\x01\x02\x1f\t\r\n\b\f\x7f", "/slash/", "'single'",
};

GST_START_TEST (test_reading_names)
{
  GstWeatherReading r;

  make_reading (&r);
  fail_unless (gst_weather_reading_set_station_name (&r, names[__i__], NULL));
  g_free (reading_round_trip (&r));
}

GST_END_TEST;

/* Inputs written by other producers: every accepted spelling. */
typedef struct
{
  const gchar *json;
  guint32 station_id;
  const gchar *station;
  gint64 created_at;
  gdouble temperature_c;
} GoodReading;

static const GoodReading good_readings[] = {
  /* epoch milliseconds, integer and fractional */
  {"{\"station_id\":1,\"created_at\":1764197000123}", 1, "",
      G_GINT64_CONSTANT (1764197000123000000), NAN},
  {"{\"station_id\":1,\"created_at\":1764197000123.5}", 1, "",
      G_GINT64_CONSTANT (1764197000123500000), NAN},
  /* an offset, lower case t and z */
  {"{\"station_id\":2,\"created_at\":\"2025-11-26T23:43:20+01:00\"}", 2, "",
      G_GINT64_CONSTANT (1764197000000000000), NAN},
  {"{\"station_id\":2,\"created_at\":\"2025-11-26t22:43:20.5z\"}", 2, "",
      G_GINT64_CONSTANT (1764197000500000000), NAN},
  /* a name alone: the id is its FNV-1a hash */
  {"{\"station\":\"a\",\"created_at\":0}", 0xe40c292c, "a", 0, NAN},
  /* null measurements, unknown fields ignored, whitespace around */
  {" \n{ \"version\" : 1 , \"station_id\" : 3, \"created_at\" : 0, "
        "\"temperature_c\" : null, \"battery_ok\": true, "
        "\"extra\": {\"nested\": [1, 2.5, \"x\", null]} }\r\n", 3, "", 0, NAN},
  /* exponent and integer forms of a measurement */
  {"{\"station_id\":4,\"created_at\":0,\"temperature_c\":-1.25e1}", 4, "", 0,
      -12.5},
  {"{\"station_id\":4,\"created_at\":0,\"temperature_c\":-0}", 4, "", 0, 0.0},
  /* escapes in the name, surrogate pair included */
  {"{\"station_id\":5,\"station\":\"\\u00e9\\ud83c\\udf27\\/\","
        "\"created_at\":0}", 5, "é🌧/", 0, NAN},
};

GST_START_TEST (test_reading_decode_variants)
{
  const GoodReading *g = &good_readings[__i__];
  GstWeatherReading r;
  GError *err = NULL;
  GString *again = g_string_new (NULL);
  GstWeatherReading r2;

  if (!gst_weather_reading_from_json (g->json, -1, &r, &err))
    fail ("%s: %s", g->json, err->message);
  fail_unless_equals_int (r.station_id, g->station_id);
  fail_unless_equals_string (r.station_name, g->station);
  fail_unless_equals_int64 (r.created_at, g->created_at);
  fail_unless (double_same (r.temperature_c, g->temperature_c));
  fail_unless (isnan (r.pressure_hpa));
  fail_unless_equals_int64 (r.received_at, GST_WEATHER_TIME_NONE);
  /* absent sequence is 0, whatever the station id */
  fail_unless_equals_uint64 (r.sequence, 0);

  /* whatever was accepted re-encodes canonically and reads back equal */
  gst_weather_reading_to_json (&r, again);
  fail_unless (gst_weather_reading_from_json (again->str, again->len, &r2,
          NULL));
  assert_reading_equal (&r, &r2);
  g_string_free (again, TRUE);
}

GST_END_TEST;

/* Bad input: the code and the field the message starts with. */
typedef struct
{
  const gchar *json;
  GstWeatherError code;
  const gchar *field;
} BadInput;

#define R(extra) "{\"station_id\":1,\"created_at\":0," extra "}"

static const BadInput bad_readings[] = {
  /* not one JSON object */
  {"", GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"  \n", GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"[]", GST_WEATHER_ERROR_TYPE, "payload:"},
  {"42", GST_WEATHER_ERROR_TYPE, "payload:"},
  {"null", GST_WEATHER_ERROR_TYPE, "payload:"},
  {"\"text\"", GST_WEATHER_ERROR_TYPE, "payload:"},
  {"{", GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"{\"station_id\":1,\"created_at\":0", GST_WEATHER_ERROR_SYNTAX,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":0} x", GST_WEATHER_ERROR_SYNTAX,
      "payload:"},
  {"{\"station_id\":1,\"created_at\":0}{}", GST_WEATHER_ERROR_SYNTAX,
      "payload:"},
  {"{\"station_id\":1,\"created_at\":0}\n{\"station_id\":2}",
      GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"{\"station_id\":1,\"created_at\":0,}", GST_WEATHER_ERROR_SYNTAX,
      "created_at:"},
  {"{'station_id':1,'created_at':0}", GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"/* c */{\"station_id\":1,\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "payload:"},
  {"{station_id:1}", GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"\xef\xbb\xbf{\"station_id\":1,\"created_at\":0}",
      GST_WEATHER_ERROR_SYNTAX, "payload:"},
  {"{\"station_id\":01,\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station_id:"},
  {R ("\"temperature_c\":1."), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  {R ("\"temperature_c\":.5"), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  {R ("\"temperature_c\":+5"), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  {R ("\"temperature_c\":1e"), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  {R ("\"temperature_c\":0x10"), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  /* duplicate keys */
  {"{\"station_id\":1,\"station_id\":2,\"created_at\":0}",
      GST_WEATHER_ERROR_SYNTAX, "station_id:"},
  {R ("\"x\":{\"a\":1,\"a\":1}"), GST_WEATHER_ERROR_SYNTAX, "a:"},
  /* NaN and infinities where a number is required */
  {R ("\"temperature_c\":NaN"), GST_WEATHER_ERROR_SYNTAX, "temperature_c:"},
  {R ("\"temperature_c\":Infinity"), GST_WEATHER_ERROR_SYNTAX,
      "temperature_c:"},
  {R ("\"temperature_c\":-Infinity"), GST_WEATHER_ERROR_SYNTAX,
      "temperature_c:"},
  {R ("\"temperature_c\":1e999"), GST_WEATHER_ERROR_RANGE, "temperature_c:"},
  {R ("\"pressure_hpa\":-1e999"), GST_WEATHER_ERROR_RANGE, "pressure_hpa:"},
  {R ("\"temperature_c\":\"NaN\""), GST_WEATHER_ERROR_TYPE, "temperature_c:"},
  /* out of range */
  {R ("\"humidity_pct\":120"), GST_WEATHER_ERROR_RANGE, "humidity_pct:"},
  {R ("\"humidity_pct\":-0.5"), GST_WEATHER_ERROR_RANGE, "humidity_pct:"},
  {R ("\"pressure_hpa\":799.9"), GST_WEATHER_ERROR_RANGE, "pressure_hpa:"},
  {R ("\"pressure_hpa\":1100.1"), GST_WEATHER_ERROR_RANGE, "pressure_hpa:"},
  {R ("\"temperature_c\":-100.01"), GST_WEATHER_ERROR_RANGE,
      "temperature_c:"},
  {R ("\"temperature_c\":101"), GST_WEATHER_ERROR_RANGE, "temperature_c:"},
  {R ("\"wind_speed_ms\":-0.1"), GST_WEATHER_ERROR_RANGE, "wind_speed_ms:"},
  {R ("\"wind_speed_ms\":150.5"), GST_WEATHER_ERROR_RANGE, "wind_speed_ms:"},
  {R ("\"wind_direction_deg\":360.1"), GST_WEATHER_ERROR_RANGE,
      "wind_direction_deg:"},
  {R ("\"wind_direction_deg\":-1"), GST_WEATHER_ERROR_RANGE,
      "wind_direction_deg:"},
  /* wrong types */
  {R ("\"temperature_c\":\"21\""), GST_WEATHER_ERROR_TYPE, "temperature_c:"},
  {R ("\"pressure_hpa\":true"), GST_WEATHER_ERROR_TYPE, "pressure_hpa:"},
  {R ("\"humidity_pct\":{}"), GST_WEATHER_ERROR_TYPE, "humidity_pct:"},
  {R ("\"wind_speed_ms\":[1]"), GST_WEATHER_ERROR_TYPE, "wind_speed_ms:"},
  {"{\"station_id\":\"1\",\"created_at\":0}", GST_WEATHER_ERROR_TYPE,
      "station_id:"},
  {"{\"station_id\":1.5,\"created_at\":0}", GST_WEATHER_ERROR_TYPE,
      "station_id:"},
  {"{\"station_id\":null,\"created_at\":0}", GST_WEATHER_ERROR_TYPE,
      "station_id:"},
  {"{\"station_id\":-1,\"created_at\":0}", GST_WEATHER_ERROR_RANGE,
      "station_id:"},
  {"{\"station_id\":4294967296,\"created_at\":0}", GST_WEATHER_ERROR_RANGE,
      "station_id:"},
  {"{\"station\":5,\"created_at\":0}", GST_WEATHER_ERROR_TYPE, "station:"},
  {"{\"station\":\"\",\"created_at\":0}", GST_WEATHER_ERROR_RANGE,
      "station:"},
  {"{\"station\":\"0123456789012345678901234567890123456789012345678901234"
        "5\",\"created_at\":0}", GST_WEATHER_ERROR_RANGE, "station:"},
  {R ("\"sequence\":-1"), GST_WEATHER_ERROR_RANGE, "sequence:"},
  {R ("\"sequence\":1.5"), GST_WEATHER_ERROR_TYPE, "sequence:"},
  {R ("\"sequence\":18446744073709551615"), GST_WEATHER_ERROR_RANGE,
      "sequence:"},
  {R ("\"sequence\":99999999999999999999999"), GST_WEATHER_ERROR_RANGE,
      "sequence:"},
  {R ("\"missing\":true"), GST_WEATHER_ERROR_RANGE, "missing:"},
  {R ("\"missing\":\"yes\""), GST_WEATHER_ERROR_TYPE, "missing:"},
  /* required fields */
  {"{\"created_at\":0}", GST_WEATHER_ERROR_MISSING, "station_id:"},
  {"{\"station_id\":1}", GST_WEATHER_ERROR_MISSING, "created_at:"},
  {"{}", GST_WEATHER_ERROR_MISSING, "station_id:"},
  /* timestamps */
  {"{\"station_id\":1,\"created_at\":null}", GST_WEATHER_ERROR_TYPE,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":true}", GST_WEATHER_ERROR_TYPE,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"yesterday\"}",
      GST_WEATHER_ERROR_SYNTAX, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"2024-02-30T00:00:00Z\"}",
      GST_WEATHER_ERROR_RANGE, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"2024-01-01T24:00:00Z\"}",
      GST_WEATHER_ERROR_RANGE, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"2024-01-01T00:00:00\"}",
      GST_WEATHER_ERROR_SYNTAX, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"2024-01-01 00:00:00Z\"}",
      GST_WEATHER_ERROR_SYNTAX, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"1969-12-31T23:59:59Z\"}",
      GST_WEATHER_ERROR_RANGE, "created_at:"},
  {"{\"station_id\":1,\"created_at\":\"2024-01-01T00:00:00.1234567890Z\"}",
      GST_WEATHER_ERROR_SYNTAX, "created_at:"},
  {"{\"station_id\":1,\"created_at\":-5}", GST_WEATHER_ERROR_RANGE,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":-0.5}", GST_WEATHER_ERROR_RANGE,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":1e300}", GST_WEATHER_ERROR_RANGE,
      "created_at:"},
  {"{\"station_id\":1,\"created_at\":9223372036855}", GST_WEATHER_ERROR_RANGE,
      "created_at:"},
  {R ("\"received_at\":\"soon\""), GST_WEATHER_ERROR_SYNTAX, "received_at:"},
  {R ("\"received_at\":[]"), GST_WEATHER_ERROR_TYPE, "received_at:"},
  /* versions */
  {R ("\"version\":2"), GST_WEATHER_ERROR_VERSION, "version:"},
  {R ("\"version\":0"), GST_WEATHER_ERROR_VERSION, "version:"},
  {R ("\"version\":\"1\""), GST_WEATHER_ERROR_TYPE, "version:"},
  {R ("\"version\":1.0"), GST_WEATHER_ERROR_TYPE, "version:"},
  /* text */
  {"{\"station\":\"bad \xff\",\"created_at\":0}", GST_WEATHER_ERROR_UTF8,
      "payload:"},
  {"{\"station\":\"\xc0\xaf\",\"created_at\":0}", GST_WEATHER_ERROR_UTF8,
      "payload:"},
  {"{\"station\":\"\xed\xa0\x80\",\"created_at\":0}", GST_WEATHER_ERROR_UTF8,
      "payload:"},
  {"{\"station\":\"\\ud800\",\"created_at\":0}", GST_WEATHER_ERROR_UTF8,
      "station:"},
  {"{\"station\":\"\\udc00x\",\"created_at\":0}", GST_WEATHER_ERROR_UTF8,
      "station:"},
  {"{\"station\":\"a\\u0000b\",\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station:"},
  {"{\"station\":\"tab\there\",\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station:"},
  {"{\"station\":\"\\x41\",\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station:"},
  {"{\"station\":\"\\u12\",\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station:"},
  {"{\"station\":\"open,\"created_at\":0}", GST_WEATHER_ERROR_SYNTAX,
      "station:"},
  {R ("\"x\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]" "]]]]]]]]]]]]]"), GST_WEATHER_ERROR_SYNTAX, "x:"},
  {R ("\"x\":tru"), GST_WEATHER_ERROR_SYNTAX, "x:"},
};

static void
check_bad (const BadInput * bad, gboolean ok, GError * err)
{
  fail_if (ok, "accepted: %s", bad->json);
  fail_unless (err != NULL);
  fail_unless (err->domain == GST_WEATHER_ERROR);
  fail_unless_equals_int (err->code, bad->code);
  fail_unless (g_str_has_prefix (err->message, bad->field),
      "'%s' does not start with '%s' for %s", err->message, bad->field,
      bad->json);
}

GST_START_TEST (test_reading_bad_input)
{
  const BadInput *bad = &bad_readings[__i__];
  GstWeatherReading r;
  GError *err = NULL;
  gboolean ok;

  ok = gst_weather_reading_from_json (bad->json, -1, &r, &err);
  check_bad (bad, ok, err);
  g_clear_error (&err);

  /* same answer with an explicit length */
  ok = gst_weather_reading_from_json (bad->json, strlen (bad->json), &r, &err);
  check_bad (bad, ok, err);
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_size_limits)
{
  GString *json = g_string_new ("{\"station_id\":1,\"created_at\":0");
  GstWeatherReading r;
  GstWeatherGroup g;
  GstWeatherPrediction prediction;
  GError *err = NULL;

  /* pad with whitespace to exactly the limit: accepted */
  while (json->len < GST_WEATHER_JSON_MAX_SIZE - 1)
    g_string_append_c (json, ' ');
  g_string_append_c (json, '}');
  fail_unless_equals_int (json->len, GST_WEATHER_JSON_MAX_SIZE);
  fail_unless (gst_weather_reading_from_json (json->str, json->len, &r, NULL));
  fail_unless (gst_weather_reading_from_json (json->str, -1, &r, NULL));

  /* one byte more: refused, however the length is given */
  g_string_insert_c (json, 1, ' ');
  fail_if (gst_weather_reading_from_json (json->str, json->len, &r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_TOO_LARGE));
  fail_unless (g_str_has_prefix (err->message, "payload:"));
  g_clear_error (&err);
  fail_if (gst_weather_reading_from_json (json->str, -1, &r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_TOO_LARGE));
  g_clear_error (&err);
  fail_if (gst_weather_prediction_from_json (json->str, -1, &prediction, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_TOO_LARGE));
  g_clear_error (&err);

  /* the group limit is larger */
  g_string_assign (json, "{\"window_start\":0,\"window_end\":1,"
      "\"stations\":[]");
  while (json->len < GST_WEATHER_JSON_MAX_SIZE * 2)
    g_string_append_c (json, ' ');
  g_string_append_c (json, '}');
  fail_unless (gst_weather_group_from_json (json->str, json->len, &g, NULL));
  gst_weather_group_clear (&g);
  g_string_set_size (json, GST_WEATHER_JSON_GROUP_MAX_SIZE);
  memset (json->str + 40, ' ', json->len - 41);
  json->str[json->len - 1] = '}';
  fail_if (gst_weather_group_from_json (json->str, json->len + 1, &g, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_TOO_LARGE));
  g_clear_error (&err);
  gst_weather_group_clear (&g);

  /* small but with too many values for the limit: refused before
   * json-glib builds a tree of them */
  g_string_assign (json, "{\"station_id\":1,\"created_at\":0,\"x\":[0");
  while (json->len < GST_WEATHER_JSON_MAX_SIZE / 2)
    g_string_append (json, ",0");
  g_string_append (json, "]}");
  fail_if (gst_weather_reading_from_json (json->str, json->len, &r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_TOO_LARGE));
  fail_unless (g_str_has_prefix (err->message, "x:"), "%s", err->message);
  g_clear_error (&err);

  g_string_free (json, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_embedded_nul)
{
  static const gchar data[] = "{\"station_id\":1,\"created_at\":0}\0garbage";
  GstWeatherReading r;
  GError *err = NULL;

  /* NUL-terminated: the object alone */
  fail_unless (gst_weather_reading_from_json (data, -1, &r, NULL));
  /* with the length: the NUL and what follows are part of the payload */
  fail_if (gst_weather_reading_from_json (data, sizeof (data) - 1, &r, &err));
  fail_unless (err->domain == GST_WEATHER_ERROR);
  fail_unless (g_str_has_prefix (err->message, "payload:"));
  g_clear_error (&err);
  fail_if (gst_weather_reading_from_json (NULL, -1, &r, &err));
  fail_unless (g_str_has_prefix (err->message, "payload:"));
  g_clear_error (&err);
}

GST_END_TEST;

/* Groups */

static void
make_group (GstWeatherGroup * g)
{
  gst_weather_group_init (g, 3);
  g->window_start = G_GINT64_CONSTANT (1764197000000000000);
  g->window_end = g->window_start + GST_SECOND;
  g->flags = GST_WEATHER_GROUP_FLAG_INCOMPLETE;
  make_reading (&g->slots[0]);
  g->slots[0].station_id = 1;
  gst_weather_reading_set_station_name (&g->slots[0], "KSEA", NULL);
  g->slots[0].created_at = g->window_start + 123456789;
  g->slots[0].received_at = GST_WEATHER_TIME_NONE;
  g->slots[1].station_id = 2;
  gst_weather_reading_set_station_name (&g->slots[1], "ws-attic", NULL);
  g->slots[2].station_id = 9;
  g->n_present = 1;
  fail_unless (gst_weather_key_init_region (&g->key, "Zürich \"Nord\"", NULL));
}

GST_START_TEST (test_group_canonical)
{
  GstWeatherGroup g, out;
  GString *enc1 = g_string_new (NULL), *enc2 = g_string_new (NULL);
  GError *err = NULL;
  guint i;

  make_group (&g);
  fail_unless (gst_weather_group_validate (&g, NULL));
  gst_weather_group_to_json (&g, enc1);
  fail_unless_equals_string (enc1->str,
      "{\"version\":2,\"key\":{\"kind\":\"region\",\"id\":4146254819,"
      "\"name\":\"Zürich \\\"Nord\\\"\"},"
      "\"window_start\":\"2025-11-26T22:43:20.000000000Z\","
      "\"window_end\":\"2025-11-26T22:43:21.000000000Z\","
      "\"incomplete\":true,\"expected\":3,\"present\":1,\"stations\":["
      "{\"station_id\":1,\"station\":\"KSEA\","
      "\"created_at\":\"2025-11-26T22:43:20.123456789Z\",\"sequence\":42,"
      "\"temperature_c\":21.3,\"pressure_hpa\":1013.25,"
      "\"humidity_pct\":0.30000000000000004,\"wind_speed_ms\":3,"
      "\"wind_direction_deg\":null},"
      "{\"station_id\":2,\"station\":\"ws-attic\",\"missing\":true},"
      "{\"station_id\":9,\"missing\":true}]}");

  if (!gst_weather_group_from_json (enc1->str, enc1->len, &out, &err))
    fail ("%s", err->message);
  fail_unless_equals_int64 (out.window_start, g.window_start);
  fail_unless_equals_int64 (out.window_end, g.window_end);
  fail_unless_equals_int (out.flags, g.flags);
  fail_unless_equals_int (out.n_slots, g.n_slots);
  fail_unless_equals_int (out.n_present, g.n_present);
  fail_unless (gst_weather_key_equal (&out.key, &g.key));
  for (i = 0; i < g.n_slots; i++)
    assert_reading_equal (&g.slots[i], &out.slots[i]);
  gst_weather_group_to_json (&out, enc2);
  fail_unless_equals_string (enc1->str, enc2->str);

  gst_weather_group_clear (&out);
  gst_weather_group_clear (&g);
  g_string_free (enc1, TRUE);
  g_string_free (enc2, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_group_empty_and_large)
{
  GstWeatherGroup g, out;
  GString *json = g_string_new (NULL), *again = g_string_new (NULL);
  guint i;

  gst_weather_group_init (&g, 0);
  g.window_start = 0;
  g.window_end = 1;
  gst_weather_group_to_json (&g, json);
  fail_unless_equals_string (json->str,
      "{\"version\":2,\"key\":{\"kind\":\"all\",\"id\":0,"
      "\"name\":\"all\"},\"window_start\":\"1970-01-01T00:00:00.000000000Z\","
      "\"window_end\":\"1970-01-01T00:00:00.000000001Z\","
      "\"incomplete\":false,\"expected\":0,\"present\":0,\"stations\":[]}");
  fail_unless (gst_weather_group_from_json (json->str, -1, &out, NULL));
  fail_unless_equals_int (out.n_slots, 0);
  gst_weather_group_clear (&out);
  gst_weather_group_clear (&g);

  /* a thousand stations, every other one present */
  gst_weather_group_init (&g, 1000);
  g.window_start = 10 * GST_SECOND;
  g.window_end = 11 * GST_SECOND;
  for (i = 0; i < 1000; i++) {
    g.slots[i].station_id = i * 3;
    if (i % 2 == 0) {
      make_reading (&g.slots[i]);
      g.slots[i].station_id = i * 3;
      g.slots[i].created_at = g.window_start + i;
      g.slots[i].temperature_c = i / 100.0;
      g.n_present++;
    }
  }
  g_string_truncate (json, 0);
  gst_weather_group_to_json (&g, json);
  fail_unless (gst_weather_group_from_json (json->str, json->len, &out, NULL));
  fail_unless_equals_int (out.n_present, 500);
  for (i = 0; i < 1000; i++)
    assert_reading_equal (&g.slots[i], &out.slots[i]);
  gst_weather_group_to_json (&out, again);
  fail_unless (g_string_equal (json, again));
  gst_weather_group_clear (&out);
  gst_weather_group_clear (&g);
  g_string_free (json, TRUE);
  g_string_free (again, TRUE);
}

GST_END_TEST;

#define G(extra, stations) "{\"window_start\":0,\"window_end\":1000" extra \
    ",\"stations\":[" stations "]}"
#define SLOT(id) "{\"station_id\":" #id ",\"created_at\":0}"

static const BadInput bad_groups[] = {
  {"{\"window_start\":0,\"window_end\":1000}", GST_WEATHER_ERROR_MISSING,
      "stations:"},
  {"{\"window_start\":0,\"window_end\":1000,\"stations\":{}}",
      GST_WEATHER_ERROR_TYPE, "stations:"},
  {"{\"window_end\":1000,\"stations\":[]}", GST_WEATHER_ERROR_MISSING,
      "window_start:"},
  {"{\"window_start\":0,\"stations\":[]}", GST_WEATHER_ERROR_MISSING,
      "window_end:"},
  {"{\"window_start\":1000,\"window_end\":1000,\"stations\":[]}",
      GST_WEATHER_ERROR_RANGE, "window_end:"},
  {G (",\"version\":3", ""), GST_WEATHER_ERROR_VERSION, "version:"},
  {G (",\"version\":0", ""), GST_WEATHER_ERROR_VERSION, "version:"},
  {G (",\"version\":\"2\"", ""), GST_WEATHER_ERROR_TYPE, "version:"},
  /* version 1 had no key: a key says the writer meant version 2 */
  {G (",\"version\":1,\"key\":{\"kind\":\"all\"}", ""),
      GST_WEATHER_ERROR_VERSION, "key:"},
  {G (",\"key\":\"north\"", ""), GST_WEATHER_ERROR_TYPE, "key:"},
  {G (",\"key\":{}", ""), GST_WEATHER_ERROR_MISSING, "key.kind:"},
  {G (",\"key\":{\"kind\":2}", ""), GST_WEATHER_ERROR_TYPE, "key.kind:"},
  {G (",\"key\":{\"kind\":\"city\"}", ""), GST_WEATHER_ERROR_RANGE,
      "key.kind:"},
  {G (",\"key\":{\"kind\":\"station\",\"name\":\"x\"}", ""),
      GST_WEATHER_ERROR_MISSING, "key.id:"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":-1}", ""),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":4294967296}", ""),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":1.5}", ""),
      GST_WEATHER_ERROR_TYPE, "key.id:"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":1,\"name\":\"\"}", ""),
      GST_WEATHER_ERROR_RANGE, "key.name:"},
  {G (",\"key\":{\"kind\":\"region\",\"id\":1}", ""),
      GST_WEATHER_ERROR_MISSING, "key.name:"},
  {G (",\"key\":{\"kind\":\"region\",\"id\":1,\"name\":\"north\"}", ""),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {G (",\"key\":{\"kind\":\"region\",\"name\":null}", ""),
      GST_WEATHER_ERROR_TYPE, "key.name:"},
  {G (",\"key\":{\"kind\":\"region\",\"name\":\"01234567890123456789"
            "0123456789012345678901234567890123456\"}", ""),
      GST_WEATHER_ERROR_RANGE, "key.name:"},
  {G (",\"key\":{\"kind\":\"all\",\"name\":\"everything\"}", ""),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {G (",\"key\":{\"kind\":\"all\",\"id\":3}", ""),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {G (",\"incomplete\":\"no\"", ""), GST_WEATHER_ERROR_TYPE, "incomplete:"},
  {G (",\"expected\":2", SLOT (1)), GST_WEATHER_ERROR_RANGE, "expected:"},
  {G (",\"expected\":-1", SLOT (1)), GST_WEATHER_ERROR_RANGE, "expected:"},
  {G (",\"present\":0", SLOT (1)), GST_WEATHER_ERROR_RANGE, "present:"},
  {G ("", SLOT (1) ",3"), GST_WEATHER_ERROR_TYPE, "stations[1]:"},
  {G ("", SLOT (2) "," SLOT (1)), GST_WEATHER_ERROR_RANGE,
      "stations[1].station_id:"},
  {G ("", SLOT (2) "," SLOT (2)), GST_WEATHER_ERROR_RANGE,
      "stations[1].station_id:"},
  {G ("", "{\"station_id\":1,\"created_at\":1000}"), GST_WEATHER_ERROR_RANGE,
      "stations[0].created_at:"},
  {G ("", "{\"station_id\":1,\"created_at\":0,\"humidity_pct\":101}"),
      GST_WEATHER_ERROR_RANGE, "stations[0].humidity_pct:"},
  {G ("", SLOT (1) ",{\"station_id\":2}"), GST_WEATHER_ERROR_MISSING,
      "stations[1].created_at:"},
  {G ("", "{\"station_id\":1,\"missing\":1}"), GST_WEATHER_ERROR_TYPE,
      "stations[0].missing:"},
  {G ("", "{\"missing\":true}"), GST_WEATHER_ERROR_MISSING,
      "stations[0].station_id:"},
  {G ("", SLOT (1)) "]", GST_WEATHER_ERROR_SYNTAX, "payload:"},
};

/* The forms of a key a reader takes, and what it makes of them; version
 * 1 (and no version, no key) is the key of all stations. */
static const struct
{
  const gchar *json;
  GstWeatherKeyKind kind;
  guint32 id;
  const gchar *name;
} good_keys[] = {
  {G (",\"version\":1", SLOT (1)), GST_WEATHER_KEY_ALL, 0, "all"},
  {G ("", SLOT (1)), GST_WEATHER_KEY_ALL, 0, "all"},
  {G (",\"version\":2", SLOT (1)), GST_WEATHER_KEY_ALL, 0, "all"},
  {G (",\"key\":{\"kind\":\"all\"}", ""), GST_WEATHER_KEY_ALL, 0, "all"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":12}", ""),
      GST_WEATHER_KEY_STATION, 12, "12"},
  {G (",\"key\":{\"kind\":\"station\",\"id\":12,\"name\":\"attic\"}", ""),
      GST_WEATHER_KEY_STATION, 12, "attic"},
  {G (",\"key\":{\"kind\":\"region\",\"name\":\"north\"}", ""),
      GST_WEATHER_KEY_REGION, 3673133828u, "north"},
  {G (",\"key\":{\"name\":\"north\",\"id\":3673133828,\"kind\":\"region\","
            "\"colour\":\"blue\"}", ""), GST_WEATHER_KEY_REGION, 3673133828u,
      "north"},
};

GST_START_TEST (test_group_keys)
{
  GstWeatherGroup g;
  GError *err = NULL;
  GString *json = g_string_new (NULL);
  GstWeatherGroup again;

  if (!gst_weather_group_from_json (good_keys[__i__].json, -1, &g, &err))
    fail ("%s: %s", good_keys[__i__].json, err->message);
  fail_unless_equals_int (g.key.kind, good_keys[__i__].kind);
  fail_unless_equals_int (g.key.id, good_keys[__i__].id);
  fail_unless_equals_string (g.key.name, good_keys[__i__].name);
  /* written again: version 2 with the whole key, which reads back */
  gst_weather_group_to_json (&g, json);
  fail_unless (g_str_has_prefix (json->str, "{\"version\":2,\"key\":{"),
      "%s", json->str);
  fail_unless (gst_weather_group_from_json (json->str, -1, &again, NULL));
  fail_unless (gst_weather_key_equal (&g.key, &again.key));
  gst_weather_group_clear (&again);
  gst_weather_group_clear (&g);
  g_string_free (json, TRUE);
}

GST_END_TEST;

GST_START_TEST (test_group_bad_input)
{
  const BadInput *bad = &bad_groups[__i__];
  GstWeatherGroup g;
  GError *err = NULL;
  gboolean ok;

  ok = gst_weather_group_from_json (bad->json, -1, &g, &err);
  check_bad (bad, ok, err);
  g_clear_error (&err);
  gst_weather_group_clear (&g);
}

GST_END_TEST;

/* Predictions */

static void
make_prediction (GstWeatherPrediction * p)
{
  gst_weather_prediction_init (p);
  p->window_start = G_GINT64_CONSTANT (1764197000000000000);
  p->window_end = p->window_start + 60 * GST_SECOND;
  p->model = GST_WEATHER_MODEL_ZAMBRETTI;
  p->flags = GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED;
  p->chance_of_rain_pct = 35.5;
  p->mean_pressure_hpa = 1008.25;
  p->pressure_trend_hpa = NAN;
  p->mean_temperature_c = 11.4;
  p->stations_used = 9;
  p->stations_missing = 1;
  p->letter = 'E';
  g_strlcpy (p->forecast, "Fine, becoming less settled", sizeof (p->forecast));
}

static void
prediction_round_trip (const GstWeatherPrediction * p, const gchar * expect)
{
  GString *enc1 = g_string_new (NULL), *enc2 = g_string_new (NULL);
  GstWeatherPrediction out;
  GError *err = NULL;

  gst_weather_prediction_to_json (p, enc1);
  if (expect)
    fail_unless_equals_string (enc1->str, expect);
  if (!gst_weather_prediction_from_json (enc1->str, -1, &out, &err))
    fail ("%s: %s", enc1->str, err->message);
  fail_unless_equals_int64 (out.window_start, p->window_start);
  fail_unless_equals_int64 (out.window_end, p->window_end);
  fail_unless_equals_int (out.model, p->model);
  fail_unless_equals_int (out.flags, p->flags);
  fail_unless (double_same (out.chance_of_rain_pct, p->chance_of_rain_pct));
  fail_unless (double_same (out.mean_pressure_hpa, p->mean_pressure_hpa));
  fail_unless (double_same (out.pressure_trend_hpa, p->pressure_trend_hpa));
  fail_unless (double_same (out.mean_temperature_c, p->mean_temperature_c));
  fail_unless_equals_int (out.stations_used, p->stations_used);
  fail_unless_equals_int (out.stations_missing, p->stations_missing);
  fail_unless_equals_int (out.letter, p->letter);
  fail_unless_equals_string (out.forecast, p->forecast);
  fail_unless (gst_weather_key_equal (&out.key, &p->key));
  gst_weather_prediction_to_json (&out, enc2);
  fail_unless_equals_string (enc1->str, enc2->str);
  g_string_free (enc1, TRUE);
  g_string_free (enc2, TRUE);
}

GST_START_TEST (test_prediction_canonical)
{
  GstWeatherPrediction p;

  make_prediction (&p);
  prediction_round_trip (&p,
      "{\"version\":2,\"key\":{\"kind\":\"all\",\"id\":0,\"name\":\"all\"},"
      "\"window_start\":\"2025-11-26T22:43:20.000000000Z\","
      "\"window_end\":\"2025-11-26T22:44:20.000000000Z\","
      "\"model\":\"zambretti\",\"chance_of_rain_pct\":35.5,"
      "\"forecast_letter\":\"E\",\"forecast\":\"Fine, becoming less "
      "settled\",\"mean_pressure_hpa\":1008.25,\"pressure_trend_hpa\":null,"
      "\"mean_temperature_c\":11.4,\"stations_used\":9,"
      "\"stations_missing\":1,\"trend_estimated\":true,\"no_data\":false,"
      "\"incomplete\":false}");

  /* the seed model has no letter; every flag; all inputs missing */
  p.model = GST_WEATHER_MODEL_SEED;
  p.letter = 0;
  p.flags = GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED |
      GST_WEATHER_PREDICTION_FLAG_NO_DATA |
      GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;
  p.mean_pressure_hpa = NAN;
  p.mean_temperature_c = NAN;
  p.chance_of_rain_pct = 0;
  p.stations_used = 0;
  p.stations_missing = 4;
  g_strlcpy (p.forecast, "Pluie \"forte\" ☔", sizeof (p.forecast));
  gst_weather_key_init_station (&p.key, 4294967295u, "ws/\"attic\"");
  prediction_round_trip (&p,
      "{\"version\":2,\"key\":{\"kind\":\"station\",\"id\":4294967295,"
      "\"name\":\"ws/\\\"attic\\\"\"},"
      "\"window_start\":\"2025-11-26T22:43:20.000000000Z\","
      "\"window_end\":\"2025-11-26T22:44:20.000000000Z\","
      "\"model\":\"seed\",\"chance_of_rain_pct\":0,"
      "\"forecast\":\"Pluie \\\"forte\\\" ☔\",\"mean_pressure_hpa\":null,"
      "\"pressure_trend_hpa\":null,\"mean_temperature_c\":null,"
      "\"stations_used\":0,\"stations_missing\":4,\"trend_estimated\":true,"
      "\"no_data\":true,\"incomplete\":true}");

  p.pressure_trend_hpa = -1.6;
  p.chance_of_rain_pct = 100;
  p.letter = 'Z';
  prediction_round_trip (&p, NULL);

  /* the writer never rounds: the double nearest 51.8 prints short, the
   * sum 5 + 13 * 3.6 (another double) prints every digit it needs, and
   * both read back exactly */
  {
    GstWeatherPrediction back;
    GString *out = g_string_new (NULL);

    p.chance_of_rain_pct = 518 / 10.0;
    gst_weather_prediction_to_json (&p, out);
    fail_unless (strstr (out->str, "\"chance_of_rain_pct\":51.8,") != NULL,
        "%s", out->str);
    fail_unless (gst_weather_prediction_from_json (out->str, -1, &back, NULL));
    fail_unless (back.chance_of_rain_pct == p.chance_of_rain_pct);

    p.chance_of_rain_pct = 5.0 + 13 * 3.6;
    g_string_truncate (out, 0);
    gst_weather_prediction_to_json (&p, out);
    fail_unless (strstr (out->str,
            "\"chance_of_rain_pct\":51.800000000000004,") != NULL, "%s",
        out->str);
    fail_unless (gst_weather_prediction_from_json (out->str, -1, &back, NULL));
    fail_unless (back.chance_of_rain_pct == p.chance_of_rain_pct);
    g_string_free (out, TRUE);
  }
}

GST_END_TEST;

#define P(extra) "{\"window_start\":0,\"window_end\":1000,\"model\":\"seed\"," \
    "\"chance_of_rain_pct\":50" extra "}"

static const BadInput bad_predictions[] = {
  {P (",\"version\":3"), GST_WEATHER_ERROR_VERSION, "version:"},
  {P (",\"version\":1,\"key\":{\"kind\":\"station\",\"id\":1}"),
      GST_WEATHER_ERROR_VERSION, "key:"},
  {P (",\"key\":[]"), GST_WEATHER_ERROR_TYPE, "key:"},
  {P (",\"key\":{\"kind\":\"region\",\"name\":\"\\u00e9\",\"id\":0}"),
      GST_WEATHER_ERROR_RANGE, "key.id:"},
  {P (",\"key\":{\"kind\":null}"), GST_WEATHER_ERROR_TYPE, "key.kind:"},
  {"{\"window_start\":0,\"window_end\":1000,\"chance_of_rain_pct\":5}",
      GST_WEATHER_ERROR_MISSING, "model:"},
  {"{\"window_start\":0,\"window_end\":1000,\"model\":\"seed\"}",
      GST_WEATHER_ERROR_MISSING, "chance_of_rain_pct:"},
  {"{\"window_end\":1000,\"model\":\"seed\",\"chance_of_rain_pct\":5}",
      GST_WEATHER_ERROR_MISSING, "window_start:"},
  {"{\"window_start\":0,\"window_end\":1000,\"model\":\"fog\","
        "\"chance_of_rain_pct\":5}", GST_WEATHER_ERROR_RANGE, "model:"},
  {"{\"window_start\":0,\"window_end\":1000,\"model\":1,"
        "\"chance_of_rain_pct\":5}", GST_WEATHER_ERROR_TYPE, "model:"},
  {"{\"window_start\":0,\"window_end\":1000,\"model\":\"seed\","
        "\"chance_of_rain_pct\":null}", GST_WEATHER_ERROR_TYPE,
      "chance_of_rain_pct:"},
  {"{\"window_start\":0,\"window_end\":1000,\"model\":\"seed\","
        "\"chance_of_rain_pct\":100.5}", GST_WEATHER_ERROR_RANGE,
      "chance_of_rain_pct:"},
  {"{\"window_start\":5,\"window_end\":5,\"model\":\"seed\","
        "\"chance_of_rain_pct\":1}", GST_WEATHER_ERROR_RANGE, "window_end:"},
  {P (",\"forecast_letter\":\"ab\""), GST_WEATHER_ERROR_RANGE,
      "forecast_letter:"},
  {P (",\"forecast_letter\":\"a\""), GST_WEATHER_ERROR_RANGE,
      "forecast_letter:"},
  {P (",\"forecast_letter\":\"\""), GST_WEATHER_ERROR_RANGE,
      "forecast_letter:"},
  {P (",\"forecast\":\"0123456789012345678901234567890123456789012345678"
            "90123456\""), GST_WEATHER_ERROR_RANGE, "forecast:"},
  {P (",\"forecast\":null"), GST_WEATHER_ERROR_TYPE, "forecast:"},
  {P (",\"stations_used\":-1"), GST_WEATHER_ERROR_RANGE, "stations_used:"},
  {P (",\"stations_missing\":4294967296"), GST_WEATHER_ERROR_RANGE,
      "stations_missing:"},
  {P (",\"trend_estimated\":1"), GST_WEATHER_ERROR_TYPE, "trend_estimated:"},
  {P (",\"no_data\":\"false\""), GST_WEATHER_ERROR_TYPE, "no_data:"},
  {P (",\"pressure_trend_hpa\":\"x\""), GST_WEATHER_ERROR_TYPE,
      "pressure_trend_hpa:"},
  {P (",\"pressure_trend_hpa\":1e999"), GST_WEATHER_ERROR_RANGE,
      "pressure_trend_hpa:"},
  {P (",\"mean_pressure_hpa\":500"), GST_WEATHER_ERROR_RANGE,
      "mean_pressure_hpa:"},
  {P (",\"mean_temperature_c\":-273"), GST_WEATHER_ERROR_RANGE,
      "mean_temperature_c:"},
  {P (",\"model\":\"zambretti\""), GST_WEATHER_ERROR_SYNTAX, "model:"},
};

/* A version 1 prediction (what the library wrote before keys) reads as
 * the prediction of all stations; a version this library does not know
 * is refused with a message naming the versions it reads. */
GST_START_TEST (test_prediction_versions)
{
  GstWeatherPrediction p;
  GError *err = NULL;

  if (!gst_weather_prediction_from_json ("{\"version\":1,\"window_start\":"
          "\"2025-11-26T22:42:59.000000000Z\",\"window_end\":"
          "\"2025-11-26T22:43:00.000000000Z\",\"model\":\"zambretti\","
          "\"chance_of_rain_pct\":51.8,\"forecast_letter\":\"N\"}", -1, &p,
          &err))
    fail ("%s", err->message);
  fail_unless_equals_int (p.key.kind, GST_WEATHER_KEY_ALL);
  fail_unless_equals_string (p.key.name, "all");
  fail_unless_equals_int (p.letter, 'N');

  fail_if (gst_weather_prediction_from_json (P (",\"version\":3"), -1, &p,
          &err));
  fail_unless (g_error_matches (err, GST_WEATHER_ERROR,
          GST_WEATHER_ERROR_VERSION));
  fail_unless_equals_string (err->message, "version: 3 is not supported "
      "(this library reads versions 1 and 2)");
  g_clear_error (&err);
}

GST_END_TEST;

GST_START_TEST (test_prediction_bad_input)
{
  const BadInput *bad = &bad_predictions[__i__];
  GstWeatherPrediction p;
  GError *err = NULL;
  gboolean ok;

  ok = gst_weather_prediction_from_json (bad->json, -1, &p, &err);
  check_bad (bad, ok, err);
  g_clear_error (&err);
}

GST_END_TEST;

/* Binary record → JSON → binary record gives the same bytes. */
GST_START_TEST (test_binary_json_binary)
{
  GstWeatherReading r, back;
  GstBuffer *buf, *buf2;
  GString *json = g_string_new (NULL);
  GstMapInfo map;

  make_reading (&r);
  buf = gst_weather_reading_to_buffer (&r);
  fail_unless (gst_weather_reading_from_buffer (buf, &back, NULL));
  gst_weather_reading_to_json (&back, json);
  fail_unless (gst_weather_reading_from_json (json->str, json->len, &back,
          NULL));
  buf2 = gst_weather_reading_to_buffer (&back);
  gst_buffer_map (buf, &map, GST_MAP_READ);
  fail_unless (gst_buffer_memcmp (buf2, 0, map.data, map.size) == 0);
  gst_buffer_unmap (buf, &map);
  gst_buffer_unref (buf);
  gst_buffer_unref (buf2);
  g_string_free (json, TRUE);
}

GST_END_TEST;

/* The samples in tests/data/ (quoted by docs/schema.md and checked
 * against docs/schema/ by tests/data/validate-schemas.py) are exactly
 * what the encoder writes. */
static const gchar *sample_files[] = {
  "readings.jsonl", "groups.jsonl", "predictions.jsonl",
};

GST_START_TEST (test_sample_files)
{
  gchar *path, *contents, **lines, **line;
  GError *err = NULL;
  guint n = 0;

  path = g_build_filename (TEST_SRCDIR, "tests", "data", sample_files[__i__],
      NULL);
  if (!g_file_get_contents (path, &contents, NULL, &err))
    fail ("%s", err->message);
  lines = g_strsplit (contents, "\n", -1);
  for (line = lines; *line; line++) {
    GString *again;
    gboolean ok;

    if (**line == '\0')
      continue;
    again = g_string_new (NULL);
    if (__i__ == 0) {
      GstWeatherReading r;
      ok = gst_weather_reading_from_json (*line, -1, &r, &err);
      if (ok)
        gst_weather_reading_to_json (&r, again);
    } else if (__i__ == 1) {
      GstWeatherGroup g;
      ok = gst_weather_group_from_json (*line, -1, &g, &err);
      if (ok)
        gst_weather_group_to_json (&g, again);
      gst_weather_group_clear (&g);
    } else {
      GstWeatherPrediction p;
      ok = gst_weather_prediction_from_json (*line, -1, &p, &err);
      if (ok)
        gst_weather_prediction_to_json (&p, again);
    }
    if (!ok)
      fail ("%s: %s", path, err->message);
    fail_unless_equals_string (again->str, *line);
    g_string_free (again, TRUE);
    n++;
  }
  fail_unless (n > 0, "no samples in %s", path);
  g_strfreev (lines);
  g_free (contents);
  g_free (path);
}

GST_END_TEST;

/* Damaged input never crashes, hangs or logs a critical: each mutation
 * of a canonical line either decodes to a valid record or fails with a
 * GST_WEATHER_ERROR naming a field. Deterministic (fixed seed). */
GST_START_TEST (test_mutations)
{
  static const gchar alphabet[] = "{}[]\",:0123456789.eE+-tfnul \\\x01\xc3"
      "\xa9\xff";
  GRand *rand = g_rand_new_with_seed (4242);
  GstWeatherReading r;
  GstWeatherGroup g;
  GString *base = g_string_new (NULL), *m = g_string_new (NULL);
  guint i, accepted = 0, refused = 0;

  make_group (&g);
  gst_weather_group_to_json (&g, base);
  gst_weather_group_clear (&g);

  for (i = 0; i < 20000; i++) {
    GError *err = NULL;
    guint pos, n, k, cut;
    gboolean ok;

    g_string_assign (m, base->str);
    n = g_rand_int_range (rand, 1, 4);
    for (k = 0; k < n; k++) {
      pos = g_rand_int_range (rand, 0, m->len);
      switch (g_rand_int_range (rand, 0, 4)) {
        case 0:
          m->str[pos] = alphabet[g_rand_int_range (rand, 0,
                  sizeof (alphabet) - 1)];
          break;
        case 1:
          cut = g_rand_int_range (rand, 1, 8);
          g_string_erase (m, pos, MIN (m->len - pos, cut));
          break;
        case 2:
          g_string_insert_c (m, pos, alphabet[g_rand_int_range (rand, 0,
                      sizeof (alphabet) - 1)]);
          break;
        default:
          g_string_truncate (m, pos);
          break;
      }
      if (m->len == 0)
        break;
    }
    if (i % 2) {
      ok = gst_weather_group_from_json (m->str, m->len, &g, &err);
      if (ok)
        fail_unless (gst_weather_group_validate (&g, NULL));
      gst_weather_group_clear (&g);
    } else {
      /* the first slot on its own, as a reading */
      const gchar *slot = strstr (m->str, "\"stations\":[");
      const gchar *p = slot ? slot + 12 : m->str;
      ok = gst_weather_reading_from_json (p, -1, &r, &err);
      if (ok)
        fail_unless (gst_weather_reading_validate (&r, NULL));
    }
    if (ok) {
      accepted++;
    } else {
      refused++;
      fail_unless (err->domain == GST_WEATHER_ERROR);
      fail_unless (strchr (err->message, ':') != NULL, "%s", err->message);
      g_clear_error (&err);
    }
  }
  /* the mutations are neither all harmless nor all fatal */
  fail_unless (refused > 1000);
  fail_unless (accepted > 10);
  g_string_free (base, TRUE);
  g_string_free (m, TRUE);
  g_rand_free (rand);
}

GST_END_TEST;

static Suite *
weather_json_suite (void)
{
  Suite *s = suite_create ("weather-json");
  TCase *tr = tcase_create ("reading");
  TCase *tg = tcase_create ("group");
  TCase *tp = tcase_create ("prediction");

  suite_add_tcase (s, tr);
  tcase_add_test (tr, test_reading_canonical);
  tcase_add_loop_test (tr, test_reading_numbers, 0,
      G_N_ELEMENTS (awkward_numbers));
  tcase_add_test (tr, test_number_form);
  tcase_add_test (tr, test_reading_extremes);
  tcase_add_loop_test (tr, test_reading_names, 0, G_N_ELEMENTS (names));
  tcase_add_loop_test (tr, test_reading_decode_variants, 0,
      G_N_ELEMENTS (good_readings));
  tcase_add_loop_test (tr, test_reading_bad_input, 0,
      G_N_ELEMENTS (bad_readings));
  tcase_add_test (tr, test_size_limits);
  tcase_add_test (tr, test_embedded_nul);
  tcase_add_test (tr, test_binary_json_binary);
  tcase_add_loop_test (tr, test_sample_files, 0, G_N_ELEMENTS (sample_files));

  suite_add_tcase (s, tg);
  tcase_add_test (tg, test_group_canonical);
  tcase_add_test (tg, test_group_empty_and_large);
  tcase_add_loop_test (tg, test_group_keys, 0, G_N_ELEMENTS (good_keys));
  tcase_add_loop_test (tg, test_group_bad_input, 0, G_N_ELEMENTS (bad_groups));
  tcase_add_test (tg, test_mutations);

  suite_add_tcase (s, tp);
  tcase_add_test (tp, test_prediction_canonical);
  tcase_add_test (tp, test_prediction_versions);
  tcase_add_loop_test (tp, test_prediction_bad_input, 0,
      G_N_ELEMENTS (bad_predictions));
  return s;
}

GST_CHECK_MAIN (weather_json);
