/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * predictor: groups in, predictions out (and on the bus), the pressure
 * history behind the 3-hour trend (one per key, forgotten after the trend
 * horizon or beyond max-keys), both models, version 1 groups, and bad
 * groups.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/weather/weather.h>

#include "../weatherversion1.h"

/* 2024-01-01T00:00:00Z: January, winter in the north */
#define JAN GST_WEATHER_REPLAY_START
/* 2024-07-01T00:00:00Z */
#define JUL G_GINT64_CONSTANT (1719792000000000000)
#define MINUTE (60 * GST_SECOND)
#define HOUR (60 * MINUTE)

typedef struct
{
  gdouble pressure;
  gdouble temperature;
  gdouble wind_speed;
  gdouble wind_dir;
  gboolean missing;
} Slot;

/* A group of @key (NULL: all stations). */
static GstBuffer *
make_keyed_group (gint64 start, const Slot * slots, guint n, guint32 flags,
    const GstWeatherKey * key)
{
  GstWeatherGroup g;
  GstBuffer *buf;
  guint i;

  gst_weather_group_init (&g, n);
  if (key)
    g.key = *key;
  g.window_start = start;
  g.window_end = start + GST_SECOND;
  g.flags = flags;
  g.n_present = 0;
  for (i = 0; i < n; i++) {
    GstWeatherReading *r = &g.slots[i];

    r->station_id = i + 1;
    if (slots[i].missing)
      continue;
    gst_weather_reading_init (r);
    r->station_id = i + 1;
    r->created_at = start + GST_MSECOND;
    r->pressure_hpa = slots[i].pressure;
    r->temperature_c = slots[i].temperature;
    r->wind_speed_ms = slots[i].wind_speed;
    r->wind_direction_deg = slots[i].wind_dir;
    g.n_present++;
  }
  fail_unless (gst_weather_group_validate (&g, NULL));
  buf = gst_weather_group_to_buffer (&g);
  gst_weather_group_clear (&g);
  GST_BUFFER_PTS (buf) = start >= JAN ? (GstClockTime) (start - JAN) : 0;
  GST_BUFFER_DURATION (buf) = GST_SECOND;
  return buf;
}

static GstBuffer *
make_group (gint64 start, const Slot * slots, guint n, guint32 flags)
{
  return make_keyed_group (start, slots, n, flags, NULL);
}

static GstHarness *
predictor_harness (const gchar * model, const gchar * hemisphere)
{
  GstHarness *h = gst_harness_new ("predictor");

  if (model)
    gst_util_set_object_arg (G_OBJECT (h->element), "model", model);
  if (hemisphere)
    gst_util_set_object_arg (G_OBJECT (h->element), "hemisphere", hemisphere);
  gst_harness_set_src_caps_str (h, GST_WEATHER_GROUP_CAPS);
  return h;
}

static void
predict (GstHarness * h, gint64 start, const Slot * slots, guint n,
    guint32 flags, GstWeatherPrediction * p)
{
  GstBuffer *out;
  GError *err = NULL;

  out = gst_harness_push_and_pull (h, make_group (start, slots, n, flags));
  fail_unless (out != NULL);
  fail_unless (gst_weather_prediction_from_buffer (out, p, &err),
      "invalid prediction: %s", err ? err->message : "?");
  fail_unless_equals_int64 (p->window_start, start);
  fail_unless_equals_int64 (p->window_end, start + GST_SECOND);
  gst_buffer_unref (out);
}

/* The prediction made from a group of @key, which carries the key. */
static void
predict_key (GstHarness * h, const GstWeatherKey * key, gint64 start,
    gdouble pressure, GstWeatherPrediction * p)
{
  Slot s[] = { {pressure, 15, NAN, NAN, FALSE} };
  GstBuffer *out;

  out = gst_harness_push_and_pull (h, make_keyed_group (start, s, 1, 0, key));
  fail_unless (out != NULL);
  fail_unless (gst_weather_prediction_from_buffer (out, p, NULL));
  fail_unless (gst_weather_key_equal (&p->key, key), "prediction of key %s "
      "for a group of key %s", p->key.name, key->name);
  fail_unless_equals_int64 (p->window_start, start);
  gst_buffer_unref (out);
}

static guint64
stat (GstElement * e, const gchar * field)
{
  GstStructure *s;
  guint64 v = 0;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

static guint
stat_uint (GstElement * e, const gchar * field)
{
  GstStructure *s;
  guint v = 0;

  g_object_get (e, "stats", &s, NULL);
  fail_unless (gst_structure_get_uint (s, field, &v), "no field %s", field);
  gst_structure_free (s);
  return v;
}

#define P(p) { p, 15, NAN, NAN, FALSE }
#define MISSING { NAN, NAN, NAN, NAN, TRUE }

/* ---------------------------------------------------------- good input */

GST_START_TEST (test_zambretti_first_group)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  const Slot slots[] = { P (1010), MISSING, P (1012) };
  GstWeatherPrediction p;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  const GstStructure *s;

  gst_element_set_bus (h->element, bus);
  predict (h, JAN, slots, 3, 0, &p);
  /* mean 1011, no history: steady, F = 0.2314 * 19.81 = 4.58 -> K */
  fail_unless_equals_int (p.model, GST_WEATHER_MODEL_ZAMBRETTI);
  fail_unless_equals_float (p.mean_pressure_hpa, 1011.0);
  fail_unless_equals_int (p.letter, 'K');
  fail_unless_equals_string (p.forecast, "Fairly fine, showers likely");
  fail_unless_equals_float (p.chance_of_rain_pct, 41.0);
  fail_unless_equals_int (p.stations_used, 2);
  fail_unless_equals_int (p.stations_missing, 1);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  fail_unless (isnan (p.pressure_trend_hpa));
  fail_unless_equals_float (p.mean_temperature_c, 15.0);

  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ELEMENT);
  fail_unless (msg != NULL);
  s = gst_message_get_structure (msg);
  fail_unless (gst_structure_has_name (s, "weather-prediction"));
  gst_message_unref (msg);
  fail_unless_equals_uint64 (stat (h->element, "predictions"), 1);
  fail_unless_equals_uint64 (stat (h->element, "trend-estimated"), 1);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_zambretti_three_hour_trend)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  gint i;

  /* a group every 10 minutes, the pressure rising by 1 hPa an hour */
  for (i = 0; i <= 18; i++) {
    Slot s[] = { P (1000.0 + i / 6.0) };

    predict (h, JAN + i * 10 * MINUTE, s, 1, 0, &p);
    if (i < 6) {
      /* under an hour of history: steady, flagged */
      fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
      fail_unless (isnan (p.pressure_trend_hpa));
    } else if (i < 17) {
      /* the oldest sample scaled to 3 hours: +3 hPa, flagged */
      fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
      fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
    } else {
      /* from 2 h 50 min the sample of 3 hours ago is within the 10 min
       * tolerance: a real trend */
      fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
      fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
    }
  }
  /* 3 hours: the real trend, +3 hPa: rising in winter at 1003 hPa:
   * F = 0.1740 * (1031.40 - 1003) = 4.94 -> 5 -> G */
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
  fail_unless_equals_int (p.letter, 'G');

  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_zambretti_wind_mean_and_hemisphere)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstHarness *hs = predictor_harness (NULL, "south");
  /* 350° and 10°: the vector mean is north (the arithmetic mean, 180°,
   * would be south) */
  const Slot slots[] = {
    {1010, 10, 5, 350, FALSE},
    {1010, 10, 5, 10, FALSE},
  };
  const Slot calm[] = {
    {1010, 10, 0.1, 180, FALSE},
    {1010, 10, 0.2, 180, FALSE},
  };
  GstWeatherPrediction p;

  /* north wind, north: +5.2 -> p=1015.2, F=3.61 -> E */
  predict (h, JAN, slots, 2, 0, &p);
  fail_unless_equals_int (p.letter, 'E');
  /* south: read as a south wind, -11.5 -> N */
  predict (hs, JAN, slots, 2, 0, &p);
  fail_unless_equals_int (p.letter, 'N');
  /* mean speed 0.15 m/s: calm, the south wind is ignored -> K */
  predict (h, JAN + GST_SECOND, calm, 2, 0, &p);
  fail_unless_equals_int (p.letter, 'K');

  gst_harness_teardown (hs);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_zambretti_summer_south)
{
  GstHarness *h = predictor_harness (NULL, "south");
  GstWeatherPrediction p;
  gint i;

  /* rising 0.2 hPa/h for 3 hours ending at 1010 hPa in July: winter in the
   * south, F = 0.1740 * 21.4 = 3.72 -> F; in the north it is summer: C */
  for (i = 0; i <= 18; i++) {
    Slot s[] = { P (1010.0 - 0.6 + i * 0.6 / 18) };

    predict (h, JUL + i * 10 * MINUTE, s, 1, 0, &p);
  }
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless_equals_int (p.letter, 'F');
  gst_util_set_object_arg (G_OBJECT (h->element), "hemisphere", "north");
  {
    Slot s[] = { P (1010.0) };

    predict (h, JUL + 19 * 10 * MINUTE, s, 1, 0, &p);
  }
  fail_unless_equals_int (p.letter, 'C');
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_seed_model)
{
  GstHarness *h = predictor_harness ("seed", NULL);
  const Slot slots[] = {
    {1000, 10, NAN, NAN, FALSE},
    {1000, 20, NAN, NAN, FALSE},
    MISSING,
    {NAN, 30, NAN, NAN, FALSE},
  };
  GstWeatherPrediction p;

  predict (h, JAN, slots, 4, 0, &p);
  fail_unless_equals_int (p.model, GST_WEATHER_MODEL_SEED);
  fail_unless_equals_float (p.chance_of_rain_pct, 100.0 * 20 / 30);
  fail_unless_equals_int (p.letter, 0);
  fail_unless_equals_int (p.stations_used, 3);
  fail_unless_equals_int (p.stations_missing, 1);
  fail_unless_equals_float (p.mean_temperature_c, 20.0);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* After a gap in the groups the history's samples are older than the
 * 3 h 10 min it keeps: the trend is unknown (steady), not the change since
 * a sample of days ago scaled to 3 hours. */
GST_START_TEST (test_trend_after_gap_uses_no_old_sample)
{
  /* 2025-01-10T06:00:00Z and three days later */
  const gint64 t0 = G_GINT64_CONSTANT (1736488800) * GST_SECOND;
  GstHarness *h = predictor_harness (NULL, NULL);
  const Slot before[] = { P (1000) }, after[] = { P (1008) };
  GstWeatherPrediction p;

  predict (h, t0, before, 1, 0, &p);
  predict (h, t0 + 72 * HOUR, after, 1, 0, &p);
  fail_unless (isnan (p.pressure_trend_hpa), "trend %g from a sample 3 days "
      "old", p.pressure_trend_hpa);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  /* steady at 1008 hPa: F = 0.2314 * (1030.81 - 1008) = 5.28 -> K */
  fail_unless_equals_int (p.letter, 'K');
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Windows longer than 3 h 10 min: the previous window's sample is always
 * out of reach, so no prediction has a trend. */
GST_START_TEST (test_trend_with_long_windows)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  guint i;

  for (i = 0; i < 6; i++) {
    Slot s[] = { P (1000.0 + 4 * i) };

    predict (h, JAN + i * 6 * HOUR, s, 1, 0, &p);
    fail_unless (isnan (p.pressure_trend_hpa), "window %u: trend %g", i,
        p.pressure_trend_hpa);
    fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  }
  fail_unless_equals_uint64 (stat (h->element, "trend-estimated"), 6);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The edge of what is kept: a sample exactly 3 h 10 min old still makes
 * the trend (at the 10 min tolerance), one a nanosecond older does not. */
GST_START_TEST (test_trend_history_edge)
{
  const Slot first[] = { P (1000) }, later[] = { P (1003) };
  GstWeatherPrediction p;
  GstHarness *h;

  h = predictor_harness (NULL, NULL);
  predict (h, JAN, first, 1, 0, &p);
  predict (h, JAN + 3 * HOUR + 10 * MINUTE, later, 1, 0, &p);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (fabs (p.pressure_trend_hpa - 3.0 * 180.0 / 190.0) < 1e-9);
  gst_harness_teardown (h);

  h = predictor_harness (NULL, NULL);
  predict (h, JAN, first, 1, 0, &p);
  predict (h, JAN + 3 * HOUR + 10 * MINUTE + 1, later, 1, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  fail_unless (isnan (p.pressure_trend_hpa));
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The sample prediction of docs/schema.md and tests/data/predictions.jsonl
 * is what predictor makes of the sample group of tests/data/groups.jsonl
 * (the first of each file): the same record, field for field. */
static gchar *
first_line (const gchar * dir, const gchar * file)
{
  gchar *path = g_build_filename (TEST_SRCDIR, dir, file, NULL);
  gchar *text = NULL, *nl;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "no %s", path);
  nl = strchr (text, '\n');
  if (nl)
    *nl = '\0';
  g_free (path);
  return text;
}

GST_START_TEST (test_schema_sample_is_what_predictor_makes)
{
  gchar *group_line = first_line ("tests/data", "groups.jsonl");
  gchar *sample_line = first_line ("tests/data", "predictions.jsonl");
  gchar *schema = NULL, *schema_path;
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction made, sample;
  guint8 a[GST_WEATHER_PREDICTION_SIZE], b[GST_WEATHER_PREDICTION_SIZE];
  GstWeatherGroup g;
  GString *json = g_string_new (NULL);
  GError *err = NULL;
  GstBuffer *out;

  memset (&g, 0, sizeof (g));
  fail_unless (gst_weather_group_from_json (group_line, -1, &g, &err), "%s",
      err ? err->message : "");
  out = gst_harness_push_and_pull (h, gst_weather_group_to_buffer (&g));
  gst_weather_group_clear (&g);
  fail_unless (gst_weather_prediction_from_buffer (out, &made, NULL));
  gst_buffer_unref (out);
  gst_weather_prediction_to_json (&made, json);

  fail_unless (gst_weather_prediction_from_json (sample_line, -1, &sample,
          &err), "%s", err ? err->message : "");
  gst_weather_prediction_write (&made, a);
  gst_weather_prediction_write (&sample, b);
  fail_unless (memcmp (a, b, sizeof (a)) == 0, "predictor makes\n%s\nthe "
      "sample says\n%s", json->str, sample_line);

  /* and docs/schema.md shows that line */
  schema_path = g_build_filename (TEST_SRCDIR, "docs", "schema.md", NULL);
  fail_unless (g_file_get_contents (schema_path, &schema, NULL, NULL));
  fail_unless (strstr (schema, sample_line) != NULL,
      "docs/schema.md does not show %s", sample_line);

  g_free (schema);
  g_free (schema_path);
  g_string_free (json, TRUE);
  g_free (group_line);
  g_free (sample_line);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* predictor has no time property; its sums of times are differences of
 * window starts. Groups at both ends of representable time: valid
 * predictions, and the trend over 3 hours at the end of time. */
GST_START_TEST (test_windows_at_the_edges_of_time)
{
  const gint64 end = G_MAXINT64 - 2 * GST_SECOND;
  const Slot a[] = { P (1000) }, b[] = { P (1003) };
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;

  predict (h, 0, a, 1, 0, &p);
  fail_unless (isnan (p.pressure_trend_hpa));
  /* steady at 1000 hPa: F = 0.2314 * 30.81 = 7.13 -> N */
  fail_unless_equals_int (p.letter, 'N');
  predict (h, end - 3 * HOUR, a, 1, 0, &p);
  predict (h, end, b, 1, 0, &p);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ----------------------------------------------------------- bad input */

GST_START_TEST (test_invalid_group_dropped)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstBuffer *bad = gst_buffer_new_allocate (NULL, 7, NULL);
  const Slot slots[] = { P (1010) };
  GstWeatherPrediction p;

  gst_buffer_memset (bad, 0, 0xff, 7);
  fail_unless_equals_int (gst_harness_push (h, bad), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, gst_buffer_new ()), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 2);
  /* and goes on */
  predict (h, JAN, slots, 1, 0, &p);
  fail_unless_equals_uint64 (stat (h->element, "predictions"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

static const gchar *wrong_caps[] = {
  GST_WEATHER_READING_CAPS,
  GST_WEATHER_PREDICTION_CAPS,
  "application/x-weather-group, version=(int)3",
  "application/x-weather-group, version=(int)0",
};

GST_START_TEST (test_wrong_caps_refused)
{
  GstHarness *h = gst_harness_new ("predictor");
  const Slot slots[] = { P (1010) };

  gst_harness_set_src_caps_str (h, wrong_caps[__i__]);
  fail_unless_equals_int (gst_harness_push (h, make_group (JAN, slots, 1,
              0)), GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_zambretti_no_pressure)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  const Slot nan_slots[] = { P (NAN), P (NAN) };
  const Slot missing[] = { MISSING, MISSING };
  GstWeatherPrediction p;

  predict (h, JAN, nan_slots, 2, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_int (p.letter, 0);
  fail_unless_equals_float (p.chance_of_rain_pct, 0);
  fail_unless (isnan (p.mean_pressure_hpa));
  fail_unless_equals_int (p.stations_used, 0);

  predict (h, JAN + GST_SECOND, missing, 2, GST_WEATHER_GROUP_FLAG_INCOMPLETE,
      &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_INCOMPLETE);
  fail_unless_equals_int (p.stations_missing, 2);

  predict (h, JAN + 2 * GST_SECOND, NULL, 0, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_uint64 (stat (h->element, "no-data"), 3);
  fail_unless_equals_uint64 (stat (h->element, "incomplete"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_seed_degenerate_groups)
{
  GstHarness *h = predictor_harness ("seed", NULL);
  const Slot all_nan[] = { {1000, NAN, NAN, NAN, FALSE} };
  const Slot cold[] = { {1000, -5, NAN, NAN, FALSE}, {1000, -1, NAN, NAN,
      FALSE}
  };
  const Slot zero[] = { {1000, 0, NAN, NAN, FALSE} };
  const Slot neg_mean[] = { {1000, -30, NAN, NAN, FALSE}, {1000, 10, NAN,
      NAN, FALSE}
  };
  const Slot missing[] = { MISSING };
  GstWeatherPrediction p;

  predict (h, JAN, NULL, 0, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_float (p.chance_of_rain_pct, 0);
  predict (h, JAN + GST_SECOND, all_nan, 1, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_float (p.chance_of_rain_pct, 0);
  predict (h, JAN + 2 * GST_SECOND, cold, 2, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_float (p.chance_of_rain_pct, 0);
  predict (h, JAN + 3 * GST_SECOND, zero, 1, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  predict (h, JAN + 4 * GST_SECOND, missing, 1, 0, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  fail_unless_equals_int (p.stations_used, 0);
  /* defined, not degenerate: clamped to 0 % */
  predict (h, JAN + 5 * GST_SECOND, neg_mean, 2, 0, &p);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA));
  fail_unless_equals_float (p.chance_of_rain_pct, 0);
  fail_unless_equals_uint64 (stat (h->element, "no-data"), 5);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_history_restarts_when_time_goes_back)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  gint i;

  for (i = 0; i <= 18; i++) {
    Slot s[] = { P (1000.0 + i / 6.0) };

    predict (h, JAN + 6 * HOUR + i * 10 * MINUTE, s, 1, 0, &p);
  }
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  {
    /* an earlier window: the history belongs to another timeline */
    Slot s[] = { P (1000.0) };

    predict (h, JAN, s, 1, 0, &p);
  }
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  fail_unless (isnan (p.pressure_trend_hpa));
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_nan_pressure_keeps_history)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  gint i;

  /* windows without pressure in between leave the history alone */
  for (i = 0; i <= 18; i++) {
    Slot s[] = { P (i % 2 ? NAN : 1000.0 + i / 6.0) };

    predict (h, JAN + i * 10 * MINUTE, s, 1, 0, &p);
    if (i % 2)
      fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA);
  }
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ------------------------------------------------------------- keys */

/* Every key has its own history: two regions whose pressure goes opposite
 * ways, their groups interleaved window by window, each get their own
 * 3-hour trend. */
GST_START_TEST (test_history_per_key)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction a, b;
  GstWeatherKey north, south;
  gint i;

  fail_unless (gst_weather_key_init_region (&north, "north", NULL));
  fail_unless (gst_weather_key_init_region (&south, "south", NULL));
  for (i = 0; i <= 18; i++) {
    predict_key (h, &north, JAN + i * 10 * MINUTE, 1000.0 + i / 6.0, &a);
    predict_key (h, &south, JAN + i * 10 * MINUTE, 1020.0 - i / 6.0, &b);
  }
  fail_unless (!(a.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (!(b.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (fabs (a.pressure_trend_hpa - 3.0) < 1e-9, "%g",
      a.pressure_trend_hpa);
  fail_unless (fabs (b.pressure_trend_hpa + 3.0) < 1e-9, "%g",
      b.pressure_trend_hpa);
  /* rising at 1003 hPa in winter: G; falling at 1017 hPa: F = 0.1553 *
   * (1029.95 - 1017) = 2.01 -> 2 -> H */
  fail_unless_equals_int (a.letter, 'G');
  fail_unless_equals_int (b.letter, 'H');
  fail_unless_equals_uint64 (stat (h->element, "predictions"), 38);
  fail_unless_equals_int (stat_uint (h->element, "keys"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A key silent for longer than the history reaches (3 h 10 min of event
 * time before the newest group) is forgotten: not a moment earlier. */
GST_START_TEST (test_silent_key_forgotten)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  GstWeatherKey garden, attic;
  const gint64 horizon = 3 * HOUR + 10 * MINUTE;
  gint i;

  gst_weather_key_init_station (&garden, 1, "garden");
  gst_weather_key_init_station (&attic, 2, "attic");
  for (i = 0; i <= 18; i++)
    predict_key (h, &garden, JAN + i * 10 * MINUTE, 1000.0 + i / 6.0, &p);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));

  /* garden's last group is at 3 h: attic up to exactly 3 h + horizon */
  predict_key (h, &attic, JAN + 3 * HOUR + horizon, 1010, &p);
  fail_unless_equals_int (stat_uint (h->element, "keys"), 2);
  fail_unless_equals_uint64 (stat (h->element, "keys-forgotten"), 0);
  predict_key (h, &attic, JAN + 3 * HOUR + horizon + 1, 1010, &p);
  fail_unless_equals_int (stat_uint (h->element, "keys"), 1);
  fail_unless_equals_uint64 (stat (h->element, "keys-forgotten"), 1);

  /* back: a new history, the trend estimated again */
  predict_key (h, &garden, JAN + 3 * HOUR + horizon + 2, 1004, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  fail_unless (isnan (p.pressure_trend_hpa));
  fail_unless_equals_uint64 (stat (h->element, "keys-evicted"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Beyond max-keys the key predicted the longest ago is forgotten (and
 * counted); within it, every key keeps its trend. */
GST_START_TEST (test_max_keys)
{
  GstWeatherKey keys[3];
  GstWeatherPrediction p;
  guint max_keys, i, k;

  for (k = 0; k < 3; k++)
    gst_weather_key_init_station (&keys[k], k, NULL);

  for (max_keys = 2; max_keys <= 3; max_keys++) {
    GstHarness *h = predictor_harness (NULL, NULL);

    g_object_set (h->element, "max-keys", max_keys, NULL);
    for (i = 0; i <= 18; i++)
      for (k = 0; k < 3; k++)
        predict_key (h, &keys[k], JAN + i * 10 * MINUTE, 1000.0 + i / 6.0, &p);
    if (max_keys == 2) {
      /* round robin over three keys with room for two: every key is
       * forgotten before its next group */
      fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
      fail_unless_equals_uint64 (stat (h->element, "keys-evicted"), 19 * 3 - 2);
      fail_unless_equals_int (stat_uint (h->element, "keys"), 2);
    } else {
      fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
      fail_unless (fabs (p.pressure_trend_hpa - 3.0) < 1e-9);
      fail_unless_equals_uint64 (stat (h->element, "keys-evicted"), 0);
      fail_unless_equals_int (stat_uint (h->element, "keys"), 3);
    }
    gst_harness_teardown (h);
  }
}

GST_END_TEST;

/* A flush or a new stream forgets every key. */
GST_START_TEST (test_keys_forgotten_on_flush)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  GstWeatherPrediction p;
  GstWeatherKey north;
  gint i;

  fail_unless (gst_weather_key_init_region (&north, "north", NULL));
  for (i = 0; i <= 18; i++)
    predict_key (h, &north, JAN + i * 10 * MINUTE, 1000.0 + i / 6.0, &p);
  fail_unless (!(p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless_equals_int (stat_uint (h->element, "keys"), 0);
  {
    GstSegment seg;

    gst_segment_init (&seg, GST_FORMAT_TIME);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  }
  predict_key (h, &north, JAN + 19 * 10 * MINUTE, 1003.2, &p);
  fail_unless (p.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Groups of version 1 (no key) are predicted as the key of all
 * stations, and the prediction is version 2. */
GST_START_TEST (test_version_1_groups)
{
  GstHarness *h = gst_harness_new ("predictor");
  const Slot slots[] = { P (1010), MISSING, P (1012) };
  GstBuffer *v2 = make_group (JAN, slots, 3, 0);
  GstBuffer *v1 = weather_group_v1_from_v2 (v2), *out;
  GstWeatherPrediction p;
  GstCaps *caps;
  gint version = 0;

  gst_buffer_unref (v2);

  gst_harness_set_src_caps_str (h, "application/x-weather-group, "
      "version=(int)1");
  out = gst_harness_push_and_pull (h, v1);
  fail_unless (out != NULL);
  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          GST_WEATHER_PREDICTION_MEDIA_TYPE));
  fail_unless (gst_structure_get_int (gst_caps_get_structure (caps, 0),
          "version", &version));
  fail_unless_equals_int (version, 2);
  gst_caps_unref (caps);
  fail_unless (gst_weather_prediction_from_buffer (out, &p, NULL));
  fail_unless_equals_int (p.key.kind, GST_WEATHER_KEY_ALL);
  fail_unless_equals_int (p.stations_used, 2);
  fail_unless_equals_int (p.letter, 'K');
  gst_buffer_unref (out);

  /* a version 2 record on a version 1 stream is the wrong size: dropped */
  fail_unless_equals_int (gst_harness_push (h, make_group (JAN + GST_SECOND,
              slots, 3, 0)), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A group whose key is not valid is dropped and counted. */
GST_START_TEST (test_bad_key_dropped)
{
  GstHarness *h = predictor_harness (NULL, NULL);
  const Slot slots[] = { P (1010) };
  GstWeatherKey key;
  GstBuffer *buf;

  fail_unless (gst_weather_key_init_region (&key, "north", NULL));
  buf = make_keyed_group (JAN, slots, 1, 0, &key);
  /* the region id is the hash of its name: break it */
  gst_buffer_memset (buf, 32, 0x55, 1);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (stat (h->element, "invalid"), 1);
  fail_unless_equals_int (stat_uint (h->element, "keys"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

static Suite *
predictor_suite (void)
{
  Suite *s = suite_create ("predictor");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_zambretti_first_group);
  tcase_add_test (tc, test_zambretti_three_hour_trend);
  tcase_add_test (tc, test_trend_after_gap_uses_no_old_sample);
  tcase_add_test (tc, test_trend_with_long_windows);
  tcase_add_test (tc, test_trend_history_edge);
  tcase_add_test (tc, test_schema_sample_is_what_predictor_makes);
  tcase_add_test (tc, test_windows_at_the_edges_of_time);
  tcase_add_test (tc, test_zambretti_wind_mean_and_hemisphere);
  tcase_add_test (tc, test_zambretti_summer_south);
  tcase_add_test (tc, test_seed_model);

  tcase_add_test (tc, test_invalid_group_dropped);
  tcase_add_loop_test (tc, test_wrong_caps_refused, 0,
      G_N_ELEMENTS (wrong_caps));
  tcase_add_test (tc, test_zambretti_no_pressure);
  tcase_add_test (tc, test_seed_degenerate_groups);
  tcase_add_test (tc, test_history_restarts_when_time_goes_back);
  tcase_add_test (tc, test_nan_pressure_keeps_history);
  tcase_add_test (tc, test_history_per_key);
  tcase_add_test (tc, test_silent_key_forgotten);
  tcase_add_test (tc, test_max_keys);
  tcase_add_test (tc, test_keys_forgotten_on_flush);
  tcase_add_test (tc, test_version_1_groups);
  tcase_add_test (tc, test_bad_key_dropped);
  return s;
}

GST_CHECK_MAIN (predictor);
