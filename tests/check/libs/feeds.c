/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The feed decoder of libgstweather: units, the sea-level reduction, the
 * stations file, every line of the project's own dialect samples
 * (tests/data/feeds, written from each format's documented rules) decoded
 * to the values the test computes from the line itself, the time forms,
 * and the decoder's answer to bad input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../feedexpect.h"

/* 2024-05-01T12:30:00Z: a little after the samples' times */
#define ARRIVAL (G_GINT64_CONSTANT (1714566600) * GST_SECOND)

static gchar *
data_path (const gchar * name)
{
  return g_build_filename (TEST_SRCDIR, "tests", "data", "feeds", name, NULL);
}

static GstWeatherStations *
load_stations (void)
{
  gchar *path = data_path ("stations.csv");
  GError *err = NULL;
  GstWeatherStations *s = gst_weather_stations_load (path, &err);

  fail_unless (s != NULL, "%s", err ? err->message : "");
  g_free (path);
  return s;
}

static guint64
counter (GstWeatherDecoder * d, const gchar * name)
{
  GstStructure *s = gst_structure_new_empty ("stats");
  guint64 v = G_MAXUINT64;

  gst_weather_decoder_add_stats (d, s);
  fail_unless (gst_structure_get_uint64 (s, name, &v), "no %s", name);
  gst_structure_free (s);
  return v;
}

/* ---------------------------------------------------------------------- */

typedef struct
{
  GstWeatherQuantity quantity;
  const gchar *unit;
  gdouble in;
  gdouble out;                  /* from a published table or definition */
  gdouble tolerance;
} UnitCase;

static const UnitCase unit_cases[] = {
  /* °F: water freezes at 32 °F and boils at 212 °F */
  {GST_WEATHER_QUANTITY_TEMPERATURE, "F", 32, 0, 1e-12},
  {GST_WEATHER_QUANTITY_TEMPERATURE, "F", 212, 100, 1e-12},
  {GST_WEATHER_QUANTITY_TEMPERATURE, "F", -40, -40, 1e-12},
  {GST_WEATHER_QUANTITY_TEMPERATURE, "degree_F", 98.6, 37, 1e-12},
  {GST_WEATHER_QUANTITY_TEMPERATURE, "C", 21.3, 21.3, 0},
  {GST_WEATHER_QUANTITY_TEMPERATURE, "K", 273.15, 0, 1e-12},
  /* NIST SP 811 B.8: 1 inHg (conventional) = 3.386 389 E+03 Pa */
  {GST_WEATHER_QUANTITY_PRESSURE, "inHg", 1, 33.86389, 1e-5},
  {GST_WEATHER_QUANTITY_PRESSURE, "inHg", 29.92, 1013.21, 0.005},
  {GST_WEATHER_QUANTITY_PRESSURE, "mbar", 1013.25, 1013.25, 0},
  {GST_WEATHER_QUANTITY_PRESSURE, "kPa", 101.325, 1013.25, 1e-9},
  /* NIST: 1 mmHg = 1.333 224 E+02 Pa; 1 psi = 6.894 757 E+03 Pa */
  {GST_WEATHER_QUANTITY_PRESSURE, "mmHg", 760, 1013.25, 0.001},
  {GST_WEATHER_QUANTITY_PRESSURE, "psi", 1, 68.94757, 1e-5},
  /* 1 mph = 0.447 04 m/s exactly; 1 knot = 1852 m / 3600 s */
  {GST_WEATHER_QUANTITY_SPEED, "mph", 1, 0.44704, 1e-15},
  {GST_WEATHER_QUANTITY_SPEED, "mi_h", 10, 4.4704, 1e-14},
  {GST_WEATHER_QUANTITY_SPEED, "km_h", 36, 10, 1e-14},
  {GST_WEATHER_QUANTITY_SPEED, "kph", 3.6, 1, 1e-15},
  {GST_WEATHER_QUANTITY_SPEED, "knot", 1, 0.514444, 1e-6},
  {GST_WEATHER_QUANTITY_SPEED, "kn", 10, 5.14444, 1e-5},
  {GST_WEATHER_QUANTITY_SPEED, "mps", 2.5, 2.5, 0},
  /* 1 in = 25.4 mm exactly */
  {GST_WEATHER_QUANTITY_LENGTH, "in", 1, 25.4, 0},
  {GST_WEATHER_QUANTITY_LENGTH, "cm", 0.254, 2.54, 1e-15},
};

GST_START_TEST (test_units)
{
  const UnitCase *c = &unit_cases[__i__];
  gdouble out = NAN;

  fail_unless (gst_weather_unit_convert (c->quantity, c->unit, c->in, &out));
  fail_unless (fabs (out - c->out) <= c->tolerance, "%g %s -> %.17g, not %g",
      c->in, c->unit, out, c->out);
}

GST_END_TEST;

GST_START_TEST (test_units_refused)
{
  gdouble out = 42;

  /* a unit of another quantity, an unknown one, case matters */
  fail_if (gst_weather_unit_convert (GST_WEATHER_QUANTITY_TEMPERATURE, "hPa",
          1, &out));
  fail_if (gst_weather_unit_convert (GST_WEATHER_QUANTITY_SPEED, "furlong",
          1, &out));
  fail_if (gst_weather_unit_convert (GST_WEATHER_QUANTITY_PRESSURE, "INHG",
          1, &out));
  fail_if (gst_weather_unit_convert (GST_WEATHER_QUANTITY_TEMPERATURE, "",
          1, &out));
  fail_unless_equals_float (out, 42);

  /* the resolution: 0.01 °C / hPa / m/s, 0.1 % and ° */
  fail_unless (gst_weather_unit_round (GST_WEATHER_QUANTITY_TEMPERATURE,
          18.000000000000004) == 18.0);
  fail_unless (gst_weather_unit_round (GST_WEATHER_QUANTITY_TEMPERATURE,
          (64.4 - 32) * 5 / 9) == 18.0);
  fail_unless (gst_weather_unit_round (GST_WEATHER_QUANTITY_PRESSURE,
          1013.2449) == 1013.24);
  fail_unless (gst_weather_unit_round (GST_WEATHER_QUANTITY_HUMIDITY,
          63.04) == 63.0);
  fail_unless (gst_weather_unit_round (GST_WEATHER_QUANTITY_SPEED,
          -0.001) == 0.0);
  fail_unless (!signbit (gst_weather_unit_round (GST_WEATHER_QUANTITY_SPEED,
              -0.001)));
  fail_unless (isnan (gst_weather_unit_round (GST_WEATHER_QUANTITY_SPEED,
              NAN)));
}

GST_END_TEST;

/* U.S. Standard Atmosphere 1976, table I (geometric altitude): the
 * pressure at each altitude reduces to the standard sea-level 1013.25 hPa */
static const gdouble standard_atmosphere[][2] = {
  {0, 1013.25}, {100, 1001.29}, {500, 954.61}, {1000, 898.76},
  {2000, 795.01}, {3000, 701.21}, {-200, 1037.5},
};

GST_START_TEST (test_sea_level_pressure)
{
  const gdouble *row = standard_atmosphere[__i__];
  gdouble p0 = gst_weather_sea_level_pressure (row[1], row[0]);

  /* the table's 5 digits, and geometric against geopotential altitude */
  fail_unless (fabs (p0 - 1013.25) < 0.35, "%g m, %g hPa -> %g", row[0],
      row[1], p0);
  /* higher station, more added */
  fail_unless (gst_weather_sea_level_pressure (900, row[0] + 100) >
      gst_weather_sea_level_pressure (900, row[0]));
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */

GST_START_TEST (test_stations_file)
{
  GstWeatherStations *s = load_stations ();
  const GstWeatherStation *st;

  fail_unless_equals_int (gst_weather_stations_get_size (s), 5);
  st = gst_weather_stations_lookup_name (s, "Fineoffset-WH25/80");
  fail_unless (st != NULL);
  fail_unless_equals_string (st->name, "attic");
  fail_unless_equals_int (st->id, gst_weather_station_id_from_name ("attic"));
  fail_unless_equals_float (st->altitude_m, 120);
  fail_unless_equals_float (st->latitude, 52.52);
  fail_unless_equals_float (st->longitude, 13.405);
  fail_unless_equals_string (st->region, "berlin");
  fail_unless (gst_weather_stations_lookup_id (s, st->id) == st);

  /* no name: the station's own; an explicit id */
  st = gst_weather_stations_lookup_name (s, "weewx-test");
  fail_unless_equals_string (st->name, "weewx-test");
  st = gst_weather_stations_lookup_name (s, "0123456789ABCDEF0123456789ABCDEF");
  fail_unless_equals_string (st->name, "garden");
  fail_unless_equals_int (st->id, 7);
  fail_unless (gst_weather_stations_lookup_id (s, 7) == st);
  fail_unless (gst_weather_stations_lookup_name (s, "nowhere") == NULL);
  fail_unless (gst_weather_stations_lookup_id (s, 8) == NULL);
  gst_weather_stations_unref (s);

  /* quotes, blanks, CRLF, empty cells, columns in any order, a numeric
   * station found by its number */
  s = gst_weather_stations_parse ("region, station ,altitude_m\r\n"
      "\"north, upper\",\"a \"\"b\"\"\", 12.5\r\n" "south,17,\r\n", -1, "t",
      NULL);
  fail_unless (s != NULL);
  st = gst_weather_stations_lookup_name (s, "a \"b\"");
  fail_unless (st != NULL);
  fail_unless_equals_string (st->region, "north, upper");
  fail_unless_equals_float (st->altitude_m, 12.5);
  fail_unless (isnan (st->latitude));
  st = gst_weather_stations_lookup_id (s, 17);
  fail_unless (st != NULL);
  fail_unless_equals_string (st->station, "17");
  fail_unless (isnan (st->altitude_m));
  gst_weather_stations_unref (s);
}

GST_END_TEST;

static const struct
{
  const gchar *text;
  const gchar *message;
} bad_stations[] = {
  {"", "no header line"},
  {"# only a comment\n", "no header line"},
  {"name,altitude_m\nx,1\n", "no \"station\" column"},
  {"station,height\n", "unknown column \"height\""},
  {"station,station\n", "appears twice"},
  {"station,altitude_m\na,high\n", "t:2: altitude_m"},
  {"station,altitude_m\na,12000\n", "altitude_m"},
  {"station,latitude\na,91\n", "latitude"},
  {"station,longitude\na,-181\n", "longitude"},
  {"station,id\na,-1\n", "id:"},
  {"station,id\na,4294967296\n", "id:"},
  {"station\na\na\n", "t:3: station: \"a\" is already"},
  {"station\n,\n", "station: empty"},
  {"station\n\"open\n", "quoted field"},
  {"station\n\"a\"b\n", "quoted field"},
  {"station\n\xff\n", "UTF-8"},
  {"station,name\na,0123456789012345678901234567890123456789012345678901234567\n",
      "longer than 55 bytes"},
};

GST_START_TEST (test_stations_file_bad)
{
  GError *err = NULL;

  fail_if (gst_weather_stations_parse (bad_stations[__i__].text, -1, "t",
          &err));
  fail_unless (err != NULL);
  fail_unless (strstr (err->message, bad_stations[__i__].message) != NULL,
      "\"%s\" lacks \"%s\"", err->message, bad_stations[__i__].message);
  g_error_free (err);
}

GST_END_TEST;

GST_START_TEST (test_stations_file_missing)
{
  GError *err = NULL;

  fail_if (gst_weather_stations_load ("/nonexistent/stations.csv", &err));
  fail_unless (strstr (err->message, "/nonexistent/stations.csv") != NULL);
  g_error_free (err);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */

static const struct
{
  GstWeatherFormat format;
  const gchar *file;
  const gchar *station;
} own_samples[] = {
  {GST_WEATHER_FORMAT_RTL_433, "rtl_433.jsonl", NULL},
  {GST_WEATHER_FORMAT_WEEWX, "weewx.jsonl", "weewx-test"},
  {GST_WEATHER_FORMAT_PYWWS, "pywws.jsonl", "pywws-test"},
  {GST_WEATHER_FORMAT_ECOWITT, "ecowitt.jsonl", NULL},
};

static GstWeatherDecoder *
make_decoder (GstWeatherFormat format, const gchar * station,
    GstWeatherStations * stations, const gchar * tz)
{
  GstWeatherDecoder *d = gst_weather_decoder_new (format, NULL);

  fail_unless (gst_weather_decoder_set_timezone (d, tz, NULL));
  fail_unless (gst_weather_decoder_set_station (d, station, NULL));
  gst_weather_decoder_set_stations (d, stations);
  return d;
}

/* Every line through its own format and through auto. */
GST_START_TEST (test_own_samples)
{
  GstWeatherStations *stations = load_stations ();
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");
  gchar *path = data_path (own_samples[__i__].file);
  gchar **lines = fx_read_lines (path);
  guint i, pass, decoded = 0;

  fail_unless (lines != NULL && lines[0] != NULL, "no lines in %s", path);
  for (pass = 0; pass < 2; pass++) {
    GstWeatherDecoder *d = make_decoder (pass ? GST_WEATHER_FORMAT_AUTO :
        own_samples[__i__].format, own_samples[__i__].station, stations,
        "Europe/Berlin");

    for (i = 0; lines[i]; i++) {
      GstWeatherReading r;
      FxExpect e;
      GError *err = NULL;
      gchar *where = g_strdup_printf ("%s:%u%s", own_samples[__i__].file,
          i + 1, pass ? " (auto)" : "");
      gboolean ok;

      fx_expect (own_samples[__i__].format, lines[i],
          own_samples[__i__].station, stations, tz, ARRIVAL, &e);
      ok = gst_weather_decoder_decode (d, lines[i], -1, NULL, ARRIVAL, &r,
          &err);
      fail_unless (ok != e.refused, "%s: %s", where,
          err ? err->message : "decoded");
      if (ok) {
        fx_check (&r, &e, where);
        fail_unless (gst_weather_reading_validate (&r, NULL));
        decoded++;
      }
      g_clear_error (&err);
      g_free (where);
    }
    gst_weather_decoder_free (d);
  }
  fail_unless (decoded >= 2 * (g_strv_length (lines) - 1));
  g_strfreev (lines);
  g_free (path);
  g_time_zone_unref (tz);
  gst_weather_stations_unref (stations);
}

GST_END_TEST;

/* The values of the samples, written out once by hand, so that the
 * expectation code itself is checked against a person's reading of the
 * rules. */
GST_START_TEST (test_own_samples_by_hand)
{
  GstWeatherStations *stations = load_stations ();
  GstWeatherDecoder *d = make_decoder (GST_WEATHER_FORMAT_AUTO, "weewx-test",
      stations, "Europe/Berlin");
  gchar *path = data_path ("rtl_433.jsonl");
  gchar **lines = fx_read_lines (path);
  GstWeatherReading r;

  /* 12:00:03 in Berlin (CEST, +02:00) */
  fail_unless (gst_weather_decoder_decode (d, lines[0], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_string (r.station_name, "Fineoffset-WH24/140");
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714557603) *
      GST_SECOND);
  fail_unless_equals_float (r.temperature_c, 18.2);
  fail_unless_equals_float (r.wind_speed_ms, 1.4);
  fail_unless_equals_float (r.wind_direction_deg, 270);
  fail_unless (isnan (r.pressure_hpa));
  fail_unless_equals_int (r.flags, 0);

  /* +0100 and +01:00.25: 12:00:03Z */
  fail_unless (gst_weather_decoder_decode (d, lines[1], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_string (r.station_name, "Nexus-TH/2/42");
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564803) *
      GST_SECOND);
  fail_unless (gst_weather_decoder_decode (d, lines[2], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564803) *
      GST_SECOND + 250 * GST_MSECOND);

  /* 64.4 °F = 18 °C, 5.4 km/h = 1.5 m/s */
  fail_unless (gst_weather_decoder_decode (d, lines[3], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_string (r.station_name, "Acurite-5n1/A/839");
  fail_unless (r.temperature_c == 18.0);
  fail_unless (r.wind_speed_ms == 1.5);

  /* the WH25 at 120 m: 1001.1 hPa is 1015.46 at sea level */
  fail_unless (gst_weather_decoder_decode (d, lines[6], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_string (r.station_name, "attic");
  fail_unless (r.pressure_hpa == 1015.46, "%.17g", r.pressure_hpa);

  /* no altitude for the BTHR918: no sea-level pressure */
  fail_unless (gst_weather_decoder_decode (d, lines[7], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless (isnan (r.pressure_hpa));
  fail_unless_equals_int (r.flags,
      GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE);

  /* no time, and rtl_433's "@0.25s": the arrival */
  fail_unless (gst_weather_decoder_decode (d, lines[8], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_int64 (r.created_at, ARRIVAL);
  fail_unless_equals_int (r.flags, GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL);
  fail_unless (gst_weather_decoder_decode (d, lines[9], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_int64 (r.created_at, ARRIVAL);

  fail_unless_equals_int (counter (d, "time-from-arrival"), 2);
  fail_unless_equals_int (counter (d, "no-sea-level-pressure"), 1);
  g_strfreev (lines);
  g_free (path);

  /* WeeWX US: 29.92 inHg = 1013.21 hPa, 5 mph = 2.24 m/s */
  path = data_path ("weewx.jsonl");
  lines = fx_read_lines (path);
  fail_unless (gst_weather_decoder_decode (d, lines[1], -1, NULL, ARRIVAL,
          &r, NULL));
  fail_unless_equals_string (r.station_name, "weewx-test");
  fail_unless (r.pressure_hpa == 1013.21, "%.17g", r.pressure_hpa);
  fail_unless (r.wind_speed_ms == 2.24);
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564810) *
      GST_SECOND);
  g_strfreev (lines);
  g_free (path);
  gst_weather_decoder_free (d);
  gst_weather_stations_unref (stations);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */

typedef struct
{
  const gchar *zone;
  const gchar *time;
  gint64 epoch_s;               /* -1: refused as bad-time, -2: absurd */
} TimeCase;

static const TimeCase time_cases[] = {
  {"UTC", "2024-05-01 12:00:03", 1714564803},
  {"Europe/Berlin", "2024-01-15 13:00:00", 1705320000},
  {"America/New_York", "2024-07-04 08:00:00", 1720094400},
  {"Asia/Kolkata", "2024-05-01T17:30:03", 1714564803},
  /* offsets win over the zone */
  {"Asia/Tokyo", "2024-05-01T12:00:03Z", 1714564803},
  {"Asia/Tokyo", "2024-05-01T14:00:03+0200", 1714564803},
  {"Asia/Tokyo", "2024-05-01T06:30:03-05:30", 1714564803},
  {"Asia/Tokyo", "2024-05-01T13:00:03+01", 1714564803},
  /* epoch seconds (time:unix), as text and as a number */
  {"Asia/Tokyo", "1714564803", 1714564803},
  /* Berlin skips 02:00-03:00 on 2024-03-31: moved to the gap's end */
  {"Europe/Berlin", "2024-03-31 02:30:00", 1711846800},
  /* and repeats 02:00-03:00 on 2024-10-27: standard time */
  {"Europe/Berlin", "2024-10-27 02:30:00", 1729992600},
  {"UTC", "2024-02-30 00:00:00", -1},
  {"UTC", "2024-05-01 24:00:00", -1},
  {"UTC", "2024-05-01", -1},
  {"UTC", "yesterday", -1},
  {"UTC", "2024-05-01T12:00:03+25:00", -1},
  {"UTC", "2024-05-01T12:00:03 UTC", -1},
  {"UTC", "1999-12-31 23:59:59", -2},
  {"UTC", "2025-01-02 00:00:01", -2},
  {"UTC", "0", -2},
  /* past what ns since the epoch can hold (fuzzing found them) */
  {"UTC", "4048-05-01 12:00:07", -1},
  {"UTC", "9714564820", -1},
  {"UTC", "9223372036.5", -1},
  {"UTC", "1000-01-01 00:00:00", -1},
  {"Pacific/Kiritimati", "2262-04-11 12:00:00", -1},
  {"Pacific/Pago_Pago", "1677-09-21 12:00:00", -1},
};

GST_START_TEST (test_time_forms)
{
  const TimeCase *c = &time_cases[__i__];
  GstWeatherDecoder *d = make_decoder (GST_WEATHER_FORMAT_RTL_433, NULL, NULL,
      c->zone);
  gchar *line = g_strdup_printf ("{\"time\":\"%s\",\"model\":\"T\",\"id\":1,"
      "\"temperature_C\":1.5}", c->time);
  GstWeatherReading r;
  GError *err = NULL;
  /* 2025-01-01T00:00:00Z: after every case's time */
  gboolean ok = gst_weather_decoder_decode (d, line, -1, NULL,
      G_GINT64_CONSTANT (1735689600) * GST_SECOND, &r, &err);

  if (c->epoch_s >= 0) {
    fail_unless (ok, "%s: %s", c->time, err ? err->message : "");
    fail_unless_equals_int64 (r.created_at, c->epoch_s * GST_SECOND);
    fail_unless_equals_int (r.flags, 0);
  } else {
    fail_if (ok, "%s decoded", c->time);
    fail_unless (g_error_matches (err, GST_WEATHER_DECODE_ERROR,
            c->epoch_s == -1 ? GST_WEATHER_DECODE_BAD_TIME :
            GST_WEATHER_DECODE_ABSURD_TIME), "%s: %s", c->time, err->message);
    fail_unless_equals_int (counter (d, c->epoch_s == -1 ? "bad-time" :
            "absurd-time"), 1);
    g_error_free (err);
  }
  g_free (line);
  gst_weather_decoder_free (d);
}

GST_END_TEST;

GST_START_TEST (test_time_number)
{
  GstWeatherDecoder *d = make_decoder (GST_WEATHER_FORMAT_AUTO, "s", NULL,
      "UTC");
  GstWeatherReading r;

  /* epoch seconds as a number are seconds in a dialect, never ms */
  fail_unless (gst_weather_decoder_decode (d, "{\"model\":\"T\",\"id\":1,"
          "\"time\":1714564803,\"temperature_C\":1}", -1, NULL, ARRIVAL, &r,
          NULL));
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564803) *
      GST_SECOND);
  fail_unless (gst_weather_decoder_decode (d, "{\"dateTime\":1714564803.25,"
          "\"outTemp_C\":1}", -1, NULL, ARRIVAL, &r, NULL));
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564803) *
      GST_SECOND + 250 * GST_MSECOND);
  /* the native schema keeps its milliseconds */
  fail_unless (gst_weather_decoder_decode (d, "{\"station\":\"n\","
          "\"created_at\":1714564803000}", -1, NULL, ARRIVAL, &r, NULL));
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564803) *
      GST_SECOND);
  gst_weather_decoder_free (d);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */

typedef struct
{
  GstWeatherFormat format;
  const gchar *payload;
  const gchar *counter;         /* the counter that must rise by one */
  gboolean kept;                /* the reading still decodes */
} BadCase;

#define RTL(fields) "{\"time\":\"2024-05-01 12:00:00\",\"model\":\"M\"," \
    "\"id\":1," fields "}"

static const BadCase bad_cases[] = {
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":\"abc\","
            "\"humidity\":50"), "bad-value", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":\"nan\","
            "\"humidity\":50"), "bad-value", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":\"0x10\","
            "\"humidity\":50"), "bad-value", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":\"1e999\","
            "\"humidity\":50"), "bad-value", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":[1],"
            "\"humidity\":50"), "bad-value", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":true"), "bad-value",
      FALSE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_R\":500,\"humidity\":50"),
      "unknown-unit", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"wind_avg_furlong_fortnight\":3"),
      "unknown-unit", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":20,\"humidity\":140"),
      "out-of-range", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":20,"
            "\"wind_avg_m_s\":-1"), "out-of-range", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":20,"
            "\"wind_dir_deg\":361"), "out-of-range", TRUE},
  /* the 0xffff "no sensor" value of a Fine Offset WH32 */
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_C\":20,"
            "\"pressure_hPa\":6553.5"), "out-of-range", TRUE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"temperature_F\":-400"),
      "out-of-range", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"time\":\"2024-05-01 12:00:00\","
        "\"id\":1,\"temperature_C\":20}", "no-station", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"a/b\",\"temperature_C\":20}",
      "no-station", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"id\":{\"x\":1},"
        "\"temperature_C\":20}", "no-station", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"id\":1.5,"
        "\"temperature_C\":20}", "no-station", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"0123456789012345678901234567"
        "890123456789\",\"id\":12345678901234567,\"temperature_C\":20}",
      "no-station", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, RTL ("\"rain_mm\":3,\"battery_ok\":1"),
      "no-measurement", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"time\":[],"
        "\"temperature_C\":20}", "bad-time", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"time\":-5,"
        "\"temperature_C\":20}", "bad-time", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"time\":\"1e3\","
        "\"temperature_C\":20}", "bad-time", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"time\":\"9999999999999\","
        "\"temperature_C\":20}", "bad-time", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "not json", "malformed", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "[1,2]", "malformed", FALSE},
  {GST_WEATHER_FORMAT_RTL_433, "{\"model\":\"M\",\"model\":\"N\"}",
      "malformed", FALSE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"1714564800.0\","
        "\"outTemp_C\":\"18.2\"}", "no-station", FALSE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"1714564800.0\","
        "\"outTemp\":\"18.2\",\"outHumidity\":\"50\"}", "unknown-unit", TRUE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"1714564800.0\","
        "\"usUnits\":\"99\",\"outTemp\":\"18.2\"}", "unknown-unit", FALSE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"1714564800.0\","
        "\"usUnits\":\"1e300\",\"outTemp\":\"18.2\",\"outTemp_C\":\"1\"}",
      "unknown-unit", TRUE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"soon\","
        "\"outTemp_C\":\"18.2\"}", "bad-time", FALSE},
  {GST_WEATHER_FORMAT_WEEWX, "{\"dateTime\":\"1714764800.0\","
        "\"outTemp_C\":\"18.2\"}", "absurd-time", FALSE},
  {GST_WEATHER_FORMAT_PYWWS, "{\"idx\":\"2024-05-01\",\"temp_out_c\":\"1\"}",
      "bad-time", FALSE},
  {GST_WEATHER_FORMAT_PYWWS, "{\"idx\":\"2024-05-01 12:00:00\","
        "\"temp_out_c\":\"-\",\"hum_out\":\"50\"}", "bad-value", TRUE},
  {GST_WEATHER_FORMAT_PYWWS, "{\"idx\":\"2024-05-01 12:00:00\","
        "\"pressure_rel_hpa\":\"500.0\"}", "out-of-range", FALSE},
  {GST_WEATHER_FORMAT_ECOWITT, "{\"dateutc\":\"2024-05-01 12:00:00\","
        "\"tempf\":\"50\"}", "no-station", FALSE},
  {GST_WEATHER_FORMAT_ECOWITT, "{\"PASSKEY\":\"K\",\"dateutc\":"
        "\"2024-05-01 12:00:00\",\"tempf\":\"50\",\"windspeedmph\":\"fast\"}",
      "bad-value", TRUE},
  {GST_WEATHER_FORMAT_NATIVE, "{\"station\":\"n\",\"created_at\":\"now\"}",
      "malformed", FALSE},
  {GST_WEATHER_FORMAT_AUTO, "{\"station\":\"n\",\"created_at\":-1}",
      "malformed", FALSE},
  {GST_WEATHER_FORMAT_AUTO, "", "malformed", FALSE},
};

GST_START_TEST (test_bad_input)
{
  const BadCase *c = &bad_cases[__i__];
  GstWeatherDecoder *d = make_decoder (c->format, NULL, NULL, "UTC");
  GstWeatherReading r;
  GError *err = NULL;
  gboolean ok;

  /* a station for every case but those about the station */
  if (strcmp (c->counter, "no-station") != 0)
    fail_unless (gst_weather_decoder_set_station (d, "s", NULL));
  ok = gst_weather_decoder_decode (d, c->payload, -1, NULL, ARRIVAL, &r, &err);
  fail_unless (ok == c->kept, "%s: %s", c->payload,
      err ? err->message : "decoded");
  fail_unless_equals_int (counter (d, c->counter), 1);
  if (ok) {
    fail_unless (err == NULL);
    fail_unless (gst_weather_reading_validate (&r, NULL));
  } else {
    /* an error message that names the field at fault */
    fail_unless (err != NULL && strchr (err->message, ':') != NULL);
    g_error_free (err);
  }
  gst_weather_decoder_free (d);
}

GST_END_TEST;

GST_START_TEST (test_bad_settings)
{
  GstWeatherDecoder *d = gst_weather_decoder_new (GST_WEATHER_FORMAT_AUTO,
      NULL);
  GError *err = NULL;

  fail_if (gst_weather_decoder_set_timezone (d, "Mars/Olympus_Mons", &err));
  fail_unless (strstr (err->message, "Mars/Olympus_Mons") != NULL);
  g_clear_error (&err);
  fail_if (gst_weather_decoder_set_station (d,
          "0123456789012345678901234567890123456789012345678901234567890",
          &err));
  g_clear_error (&err);
  fail_if (gst_weather_decoder_set_station (d, "\xff", &err));
  g_clear_error (&err);
  fail_unless (gst_weather_decoder_set_timezone (d, NULL, NULL));
  fail_unless (gst_weather_decoder_set_station (d, NULL, NULL));
  gst_weather_decoder_free (d);
}

GST_END_TEST;

/* ---------------------------------------------------------------------- */

static const struct
{
  const gchar *payload;
  GstWeatherFormat format;
} detect_cases[] = {
  {"{\"PASSKEY\":\"x\",\"model\":\"GW1000\"}", GST_WEATHER_FORMAT_ECOWITT},
  {"{\"stationtype\":\"x\"}", GST_WEATHER_FORMAT_ECOWITT},
  {"{\"dateutc\":\"now\",\"tempf\":1}", GST_WEATHER_FORMAT_ECOWITT},
  {"{\"model\":\"Nexus-TH\",\"temperature_C\":1}", GST_WEATHER_FORMAT_RTL_433},
  {"{\"dateTime\":\"1\",\"model\":\"x\"}", GST_WEATHER_FORMAT_RTL_433},
  {"{\"usUnits\":\"1.0\"}", GST_WEATHER_FORMAT_WEEWX},
  {"{\"dateTime\":\"1\",\"outTemp_C\":\"1\"}", GST_WEATHER_FORMAT_WEEWX},
  {"{\"idx\":\"2024-05-01 00:00:00\"}", GST_WEATHER_FORMAT_PYWWS},
  {"{\"temp_out_c\":\"1\"}", GST_WEATHER_FORMAT_PYWWS},
  {"{\"pressure_rel_hpa\":\"1\"}", GST_WEATHER_FORMAT_PYWWS},
  {"{\"hum_out\":\"1\"}", GST_WEATHER_FORMAT_PYWWS},
  {"{\"station\":\"s\",\"created_at\":0}", GST_WEATHER_FORMAT_NATIVE},
  {"{\"temperature_C\":1}", GST_WEATHER_FORMAT_NATIVE},
  {"{}", GST_WEATHER_FORMAT_NATIVE},
};

GST_START_TEST (test_auto_rule)
{
  JsonParser *p = json_parser_new ();
  JsonObject *obj;
  GList *members, *l;
  GArray *fields = g_array_new (FALSE, FALSE, sizeof (GstWeatherField));

  fail_unless (json_parser_load_from_data (p, detect_cases[__i__].payload, -1,
          NULL));
  obj = json_node_get_object (json_parser_get_root (p));
  members = json_object_get_members (obj);
  for (l = members; l; l = l->next) {
    GstWeatherField f = { l->data, GST_WEATHER_FIELD_STRING, "1", 0 };
    g_array_append_val (fields, f);
  }
  fail_unless_equals_int (gst_weather_format_detect ((GstWeatherField *)
          fields->data, fields->len), detect_cases[__i__].format);
  g_list_free (members);
  g_array_unref (fields);
  g_object_unref (p);
}

GST_END_TEST;

/* One value per topic: the fields of WeeWX's individual topics, as text. */
GST_START_TEST (test_decode_fields)
{
  static const GstWeatherField weewx[] = {
    {"dateTime", GST_WEATHER_FIELD_STRING, "1749992403.0", 0},
    {"usUnits", GST_WEATHER_FIELD_STRING, "1.0", 0},
    {"outTemp_F", GST_WEATHER_FIELD_STRING, "69.3", 0},
    {"barometer_inHg", GST_WEATHER_FIELD_STRING, "29.969", 0},
    {"windSpeed_mph", GST_WEATHER_FIELD_STRING, "6.0", 0},
    {"windDir", GST_WEATHER_FIELD_STRING, "156.0", 0},
    {"outHumidity", GST_WEATHER_FIELD_STRING, "46.0", 0},
    {"rxCheckPercent", GST_WEATHER_FIELD_STRING, "100.0", 0},
  };
  static const GstWeatherField rtl[] = {
    {"time", GST_WEATHER_FIELD_STRING, "2024-05-01 12:00:07", 0},
    {"id", GST_WEATHER_FIELD_STRING, "80", 0},
    {"battery_ok", GST_WEATHER_FIELD_STRING, "1", 0},
    {"temperature_C", GST_WEATHER_FIELD_STRING, "23.2", 0},
    {"humidity", GST_WEATHER_FIELD_STRING, "57", 0},
    {"pressure_hPa", GST_WEATHER_FIELD_STRING, "1001.1", 0},
  };
  GstWeatherStations *stations = load_stations ();
  GstWeatherDecoder *d = make_decoder (GST_WEATHER_FORMAT_AUTO, "weewx-test",
      stations, "UTC");
  GstWeatherReading r;
  GError *err = NULL;

  fail_unless (gst_weather_decoder_decode_fields (d, weewx,
          G_N_ELEMENTS (weewx), NULL, ARRIVAL + 500 * 86400 * GST_SECOND, &r,
          NULL));
  fail_unless_equals_string (r.station_name, "weewx-test");
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1749992403) *
      GST_SECOND);
  fail_unless (r.temperature_c == round ((69.3 - 32) * 5 / 9 * 100) / 100);
  fail_unless (r.pressure_hpa == round (29.969 * 33.8638864 * 100) / 100);
  fail_unless (r.wind_speed_ms == 2.68);
  fail_unless_equals_float (r.humidity_pct, 46);

  /* rtl_433's devices topics: no model field, the topic path names the
   * station; auto needs the dialect fixed for such fields */
  gst_weather_decoder_free (d);
  d = make_decoder (GST_WEATHER_FORMAT_RTL_433, NULL, stations, "UTC");
  fail_unless (gst_weather_decoder_decode_fields (d, rtl, G_N_ELEMENTS (rtl),
          "Fineoffset-WH25/80", ARRIVAL, &r, NULL));
  fail_unless_equals_string (r.station_name, "attic");
  fail_unless (r.pressure_hpa == 1015.46);
  fail_unless_equals_int64 (r.created_at, G_GINT64_CONSTANT (1714564807) *
      GST_SECOND);
  /* without a topic station there is none */
  fail_if (gst_weather_decoder_decode_fields (d, rtl, G_N_ELEMENTS (rtl),
          NULL, ARRIVAL, &r, &err));
  fail_unless (g_error_matches (err, GST_WEATHER_DECODE_ERROR,
          GST_WEATHER_DECODE_NO_STATION));
  g_clear_error (&err);
  gst_weather_decoder_free (d);

  /* the native format has no such form */
  d = make_decoder (GST_WEATHER_FORMAT_NATIVE, NULL, NULL, "UTC");
  fail_if (gst_weather_decoder_decode_fields (d, rtl, G_N_ELEMENTS (rtl),
          "x", ARRIVAL, &r, &err));
  g_clear_error (&err);
  fail_unless_equals_int (counter (d, "malformed"), 1);
  gst_weather_decoder_free (d);
  gst_weather_stations_unref (stations);
}

GST_END_TEST;

/* The native path is the native decoder; a topic or the station setting
 * names the station of a payload without one, the topic first. */
GST_START_TEST (test_native)
{
  const gchar *line = "{\"version\":1,\"station_id\":7,\"station\":\"a\","
      "\"created_at\":\"2024-05-01T12:00:00Z\",\"temperature_c\":1.5}";
  const gchar *anonymous = "{\"created_at\":\"2024-05-01T12:00:00Z\","
      "\"temperature_c\":1.5}";
  GstWeatherDecoder *d = make_decoder (GST_WEATHER_FORMAT_NATIVE, NULL, NULL,
      "UTC");
  GstWeatherReading a, b;
  GError *err = NULL;

  fail_unless (gst_weather_decoder_decode (d, line, -1, NULL, ARRIVAL, &a,
          NULL));
  fail_unless (gst_weather_reading_from_json (line, -1, &b, NULL));
  fail_unless (memcmp (&a, &b, sizeof (a)) == 0);

  fail_if (gst_weather_decoder_decode (d, anonymous, -1, NULL, ARRIVAL, &a,
          &err));
  fail_unless (strstr (err->message, "station_id: required") != NULL);
  g_clear_error (&err);
  fail_unless (gst_weather_decoder_decode (d, anonymous, -1, "roof",
          ARRIVAL, &a, NULL));
  fail_unless_equals_string (a.station_name, "roof");
  fail_unless_equals_int (a.station_id,
      gst_weather_station_id_from_name ("roof"));
  /* the topic wins over the payload */
  fail_unless (gst_weather_decoder_decode (d, line, -1, "roof", ARRIVAL, &a,
          NULL));
  fail_unless_equals_string (a.station_name, "roof");
  fail_unless (gst_weather_decoder_set_station (d, "cellar", NULL));
  fail_unless (gst_weather_decoder_decode (d, anonymous, -1, NULL, ARRIVAL,
          &a, NULL));
  fail_unless_equals_string (a.station_name, "cellar");
  /* the setting does not override a payload's station */
  fail_unless (gst_weather_decoder_decode (d, line, -1, NULL, ARRIVAL, &a,
          NULL));
  fail_unless_equals_string (a.station_name, "a");
  fail_unless_equals_int (counter (d, "malformed"), 1);
  gst_weather_decoder_free (d);
}

GST_END_TEST;

/* The new flags survive the native JSON both ways. */
GST_START_TEST (test_flags_json)
{
  GstWeatherReading r, back;
  GString *out = g_string_new (NULL);

  gst_weather_reading_init (&r);
  r.station_id = 1;
  r.created_at = ARRIVAL;
  r.temperature_c = 1.5;
  r.flags = GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL |
      GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE;
  gst_weather_reading_to_json (&r, out);
  fail_unless (g_str_has_suffix (out->str, ",\"time_from_arrival\":true,"
          "\"no_sea_level_pressure\":true}"), "%s", out->str);
  fail_unless (gst_weather_reading_from_json (out->str, -1, &back, NULL));
  fail_unless_equals_int (back.flags, r.flags);
  fail_if (gst_weather_reading_from_json ("{\"station_id\":1,\"created_at\":0,"
          "\"time_from_arrival\":1}", -1, &back, NULL));
  g_string_free (out, TRUE);
}

GST_END_TEST;

static Suite *
weather_feeds_suite (void)
{
  Suite *s = suite_create ("weather-feeds");
  TCase *tu = tcase_create ("units");
  TCase *ts = tcase_create ("stations");
  TCase *td = tcase_create ("dialects");
  TCase *tb = tcase_create ("bad-input");

  suite_add_tcase (s, tu);
  tcase_add_loop_test (tu, test_units, 0, G_N_ELEMENTS (unit_cases));
  tcase_add_test (tu, test_units_refused);
  tcase_add_loop_test (tu, test_sea_level_pressure, 0,
      G_N_ELEMENTS (standard_atmosphere));

  suite_add_tcase (s, ts);
  tcase_add_test (ts, test_stations_file);
  tcase_add_loop_test (ts, test_stations_file_bad, 0,
      G_N_ELEMENTS (bad_stations));
  tcase_add_test (ts, test_stations_file_missing);

  suite_add_tcase (s, td);
  tcase_add_loop_test (td, test_own_samples, 0, G_N_ELEMENTS (own_samples));
  tcase_add_test (td, test_own_samples_by_hand);
  tcase_add_loop_test (td, test_time_forms, 0, G_N_ELEMENTS (time_cases));
  tcase_add_test (td, test_time_number);
  tcase_add_loop_test (td, test_auto_rule, 0, G_N_ELEMENTS (detect_cases));
  tcase_add_test (td, test_decode_fields);
  tcase_add_test (td, test_native);
  tcase_add_test (td, test_flags_json);

  suite_add_tcase (s, tb);
  tcase_add_loop_test (tb, test_bad_input, 0, G_N_ELEMENTS (bad_cases));
  tcase_add_test (tb, test_bad_settings);
  return s;
}

GST_CHECK_MAIN (weather_feeds);
