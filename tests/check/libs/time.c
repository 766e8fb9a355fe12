/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The time model helpers (segment origin = epoch) and RFC 3339 parsing
 * and formatting at their edges.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>
#include <gst/check/gsttestclock.h>
#include <gst/weather/weather.h>

#define ORIGIN GST_WEATHER_REPLAY_START

GST_START_TEST (test_segment_init)
{
  GstSegment seg;

  memset (&seg, 0xff, sizeof (seg));
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless_equals_int (seg.format, GST_FORMAT_TIME);
  fail_unless_equals_uint64 (seg.start, 0);
  fail_unless_equals_uint64 (seg.time, (guint64) ORIGIN);
  fail_unless_equals_uint64 (seg.base, 0);
  fail_unless (seg.rate == 1.0);
  fail_unless_equals_uint64 (seg.stop, GST_CLOCK_TIME_NONE);
}

GST_END_TEST;

GST_START_TEST (test_segment_to_epoch)
{
  GstSegment seg;

  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg, 0), ORIGIN);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg,
          5 * GST_SECOND + 7), ORIGIN + 5 * GST_SECOND + 7);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg,
          GST_CLOCK_TIME_NONE), GST_WEATHER_TIME_NONE);

  /* the running time base does not change stream (epoch) time */
  seg.base = 100 * GST_SECOND;
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg, GST_SECOND),
      ORIGIN + GST_SECOND);

  /* before the segment start there is no epoch instant */
  seg.start = 10 * GST_SECOND;
  seg.time = ORIGIN + 10 * GST_SECOND;
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg, GST_SECOND),
      GST_WEATHER_TIME_NONE);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg,
          11 * GST_SECOND), ORIGIN + 11 * GST_SECOND);

  /* not a TIME segment */
  gst_segment_init (&seg, GST_FORMAT_BYTES);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (&seg, 0),
      GST_WEATHER_TIME_NONE);
}

GST_END_TEST;

GST_START_TEST (test_segment_from_epoch)
{
  GstSegment seg;
  guint64 ts;

  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg, ORIGIN), 0);
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg,
          ORIGIN + 3 * GST_SECOND), 3 * GST_SECOND);
  /* before the origin, or before the epoch */
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg,
          ORIGIN - 1), GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg, -1),
      GST_CLOCK_TIME_NONE);

  /* both directions agree over a range of instants */
  for (ts = 0; ts < 100 * GST_SECOND; ts += 7 * GST_SECOND + 13) {
    gint64 epoch = gst_weather_segment_to_epoch (&seg, ts);

    fail_unless_equals_int64 (epoch, ORIGIN + (gint64) ts);
    fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg, epoch),
        ts);
  }

  /* origin 0: stream time is the epoch itself */
  gst_weather_segment_init (&seg, 0);
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg, 42), 42);

  gst_segment_init (&seg, GST_FORMAT_DEFAULT);
  fail_unless_equals_uint64 (gst_weather_segment_from_epoch (&seg, ORIGIN),
      GST_CLOCK_TIME_NONE);
}

GST_END_TEST;

/* Windows aligned to the epoch land on whole seconds in RFC 3339. */
GST_START_TEST (test_replay_start)
{
  GString *s = g_string_new (NULL);
  gint64 ns;

  gst_weather_time_to_rfc3339 (GST_WEATHER_REPLAY_START, s);
  fail_unless_equals_string (s->str, "2024-01-01T00:00:00.000000000Z");
  fail_unless (gst_weather_time_from_rfc3339 ("2024-01-01T00:00:00Z", &ns,
          NULL));
  fail_unless_equals_int64 (ns, GST_WEATHER_REPLAY_START);
  g_string_free (s, TRUE);
}

GST_END_TEST;

typedef struct
{
  const gchar *text;
  gint64 ns;
} GoodTime;

static const GoodTime good_times[] = {
  {"1970-01-01T00:00:00Z", 0},
  {"1970-01-01T00:00:00.000000001Z", 1},
  {"1970-01-01T00:00:01.5Z", 1500000000},
  {"1970-01-01T00:00:00.123Z", 123000000},
  {"1970-01-01T00:00:00.123456Z", 123456000},
  {"1970-01-01T00:00:00.999999999Z", 999999999},
  {"1970-01-01t00:00:00z", 0},
  {"1970-01-01T00:00:00+00:00", 0},
  {"1970-01-01T00:00:00-00:00", 0},
  {"1970-01-01T01:00:00+01:00", 0},
  {"1969-12-31T23:00:00-01:00", 0},
  {"1970-01-01T00:00:00-00:01", 60 * GST_SECOND},
  {"2024-02-29T12:00:00Z", G_GINT64_CONSTANT (1709208000000000000)},
  {"2000-02-29T00:00:00Z", G_GINT64_CONSTANT (951782400000000000)},
  {"2025-11-26T22:42:59.123456789Z", G_GINT64_CONSTANT (1764196979123456789)},
  {"2025-11-27T04:12:59.123456789+05:30",
      G_GINT64_CONSTANT (1764196979123456789)},
  {"2025-11-26T14:42:59.123456789-08:00",
      G_GINT64_CONSTANT (1764196979123456789)},
  {"2026-12-31T23:59:59Z", G_GINT64_CONSTANT (1798761599000000000)},
  {"2262-04-11T23:47:16.854775807Z", G_MAXINT64},
  {"2262-04-12T00:47:16.854775807+01:00", G_MAXINT64},
};

GST_START_TEST (test_rfc3339_good)
{
  const GoodTime *g = &good_times[__i__];
  gint64 ns = -42;
  GError *err = NULL;

  if (!gst_weather_time_from_rfc3339 (g->text, &ns, &err))
    fail ("%s: %s", g->text, err->message);
  fail_unless_equals_int64 (ns, g->ns);
}

GST_END_TEST;

typedef struct
{
  const gchar *text;
  GstWeatherError code;
} BadTime;

static const BadTime bad_times[] = {
  {"", GST_WEATHER_ERROR_SYNTAX},
  {"2024", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01 00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-1-01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"24-01-01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024/01/01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00.Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00.1234567890Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00ZZ", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00Z ", GST_WEATHER_ERROR_SYNTAX},
  {" 2024-01-01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00+0100", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00+01", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00+01:00:00", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00UTC", GST_WEATHER_ERROR_SYNTAX},
  {"+2024-01-01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-01-01T00:00:00,5Z", GST_WEATHER_ERROR_SYNTAX},
  {"２０２４-01-01T00:00:00Z", GST_WEATHER_ERROR_SYNTAX},
  {"2024-02-30T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2023-02-29T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2100-02-29T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-04-31T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-00-10T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-13-10T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-01-00T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-01-32T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-01-01T24:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2024-01-01T23:60:00Z", GST_WEATHER_ERROR_RANGE},
  {"2016-12-31T23:59:60Z", GST_WEATHER_ERROR_RANGE},
  {"2024-01-01T00:00:00+24:00", GST_WEATHER_ERROR_RANGE},
  {"2024-01-01T00:00:00+01:60", GST_WEATHER_ERROR_RANGE},
  {"1969-12-31T23:59:59.999999999Z", GST_WEATHER_ERROR_RANGE},
  {"1970-01-01T00:00:00+00:01", GST_WEATHER_ERROR_RANGE},
  {"0000-01-01T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"2262-04-11T23:47:16.854775808Z", GST_WEATHER_ERROR_RANGE},
  {"2262-04-11T23:47:16.854775807-00:01", GST_WEATHER_ERROR_RANGE},
  {"2263-01-01T00:00:00Z", GST_WEATHER_ERROR_RANGE},
  {"9999-12-31T23:59:59Z", GST_WEATHER_ERROR_RANGE},
};

GST_START_TEST (test_rfc3339_bad)
{
  const BadTime *b = &bad_times[__i__];
  gint64 ns = 42;
  GError *err = NULL;

  fail_if (gst_weather_time_from_rfc3339 (b->text, &ns, &err),
      "accepted %s as %" G_GINT64_FORMAT, b->text, ns);
  fail_unless (err->domain == GST_WEATHER_ERROR);
  fail_unless_equals_int (err->code, b->code);
  fail_unless (g_str_has_prefix (err->message, "time:"), "%s", err->message);
  /* the output is untouched on failure */
  fail_unless_equals_int64 (ns, 42);
  g_clear_error (&err);
}

GST_END_TEST;

static const struct
{
  gint64 ns;
  const gchar *text;
} formatted[] = {
  {0, "1970-01-01T00:00:00.000000000Z"},
  {1, "1970-01-01T00:00:00.000000001Z"},
  {G_GINT64_CONSTANT (951782400000000000), "2000-02-29T00:00:00.000000000Z"},
  {G_GINT64_CONSTANT (1764196979123456789), "2025-11-26T22:42:59.123456789Z"},
  {G_MAXINT64, "2262-04-11T23:47:16.854775807Z"},
  /* before the epoch: formatted, though the parser refuses it */
  {-1, "1969-12-31T23:59:59.999999999Z"},
};

GST_START_TEST (test_rfc3339_format)
{
  GString *s = g_string_new ("prefix ");

  gst_weather_time_to_rfc3339 (formatted[__i__].ns, s);
  fail_unless (g_str_has_prefix (s->str, "prefix "));
  fail_unless_equals_string (s->str + 7, formatted[__i__].text);
  g_string_free (s, TRUE);
}

GST_END_TEST;

/* format → parse gives the same instant across the whole range */
GST_START_TEST (test_rfc3339_round_trip)
{
  GRand *rand = g_rand_new_with_seed (20261126);
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < 20000; i++) {
    gint64 ns, back = -1;

    if (i % 2)
      ns = ((gint64) g_rand_int (rand) << 31 ^ g_rand_int (rand)) & G_MAXINT64;
    else                        /* this century, where most readings are */
      ns = G_GINT64_CONSTANT (946684800000000000) +
          (gint64) (g_rand_double (rand) * 3.2e18);
    g_string_truncate (s, 0);
    gst_weather_time_to_rfc3339 (ns, s);
    fail_unless_equals_int (s->len, 30);
    if (!gst_weather_time_from_rfc3339 (s->str, &back, NULL))
      fail ("%s (%" G_GINT64_FORMAT ") does not parse", s->str, ns);
    fail_unless_equals_int64 (back, ns);
  }
  g_string_free (s, TRUE);
  g_rand_free (rand);
}

GST_END_TEST;

/* Every day boundary of a leap year and a common year. */
GST_START_TEST (test_rfc3339_calendar)
{
  GString *s = g_string_new (NULL);
  gint64 day = G_GINT64_CONSTANT (86400000000000);
  gint64 ns, start = G_GINT64_CONSTANT (1704067200000000000);   /* 2024 */
  guint i, month = 1, mday = 1, year = 2024;
  static const guint len[2][12] = {
    {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
    {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31},
  };

  for (i = 0; i < 366 + 365; i++) {
    gchar expect[32];

    g_snprintf (expect, sizeof (expect), "%04u-%02u-%02uT00:00:00.000000000Z",
        year, month, mday);
    g_string_truncate (s, 0);
    gst_weather_time_to_rfc3339 (start + i * day, s);
    fail_unless_equals_string (s->str, expect);
    fail_unless (gst_weather_time_from_rfc3339 (expect, &ns, NULL));
    fail_unless_equals_int64 (ns, start + i * day);
    if (++mday > len[year == 2024][month - 1]) {
      mday = 1;
      if (++month > 12) {
        month = 1;
        year++;
      }
    }
  }
  g_string_free (s, TRUE);
}

GST_END_TEST;

/* Sums of times saturate at 2^63-1 instead of wrapping around, at and
 * near every edge; NONE stays NONE. */
GST_START_TEST (test_clock_time_add_saturates)
{
  const GstClockTime max = GST_WEATHER_CLOCK_TIME_MAX;

  fail_unless_equals_uint64 (max, (guint64) G_MAXINT64);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (0, 0), 0);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (3, 4), 7);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (max - 1, 1), max);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (max - 1, 0), max - 1);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (max, 0), max);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (0, max), max);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (max, max), max);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (max - 5, 10), max);
  /* beyond 2^63 (valid GstClockTime values) */
  fail_unless_equals_uint64 (gst_weather_clock_time_add (G_MAXUINT64 - 1, 1),
      max);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (1, G_MAXUINT64 - 1),
      max);
  /* invalid in, invalid out */
  fail_unless_equals_uint64 (gst_weather_clock_time_add (GST_CLOCK_TIME_NONE,
          1), GST_CLOCK_TIME_NONE);
  fail_unless_equals_uint64 (gst_weather_clock_time_add (1,
          GST_CLOCK_TIME_NONE), GST_CLOCK_TIME_NONE);
}

GST_END_TEST;

GST_START_TEST (test_epoch_add_saturates)
{
  fail_unless_equals_int64 (gst_weather_epoch_add (ORIGIN, GST_SECOND),
      ORIGIN + GST_SECOND);
  fail_unless_equals_int64 (gst_weather_epoch_add (0, 0), 0);
  fail_unless_equals_int64 (gst_weather_epoch_add (G_MAXINT64 - 1, 1),
      G_MAXINT64);
  fail_unless_equals_int64 (gst_weather_epoch_add (G_MAXINT64 - 1, 2),
      G_MAXINT64);
  fail_unless_equals_int64 (gst_weather_epoch_add (G_MAXINT64, G_MAXUINT64),
      G_MAXINT64);
  fail_unless_equals_int64 (gst_weather_epoch_add (1, G_MAXINT64), G_MAXINT64);
  /* from before the epoch */
  fail_unless_equals_int64 (gst_weather_epoch_add (-10, 3), -7);
  fail_unless_equals_int64 (gst_weather_epoch_add (-10, G_MAXINT64),
      G_MAXINT64 - 10);
  fail_unless_equals_int64 (gst_weather_epoch_add (G_MININT64, G_MAXUINT64),
      G_MAXINT64);
  fail_unless_equals_int64 (gst_weather_epoch_add (-1,
          (guint64) G_MAXINT64 + 1), G_MAXINT64);
  fail_unless_equals_int64 (gst_weather_epoch_add (-2,
          (guint64) G_MAXINT64 + 1), G_MAXINT64 - 1);
}

GST_END_TEST;

/* A replay's origin: two hours before the first reading, in whole
 * seconds, never before the epoch. */
GST_START_TEST (test_origin_replay)
{
  const gint64 two_hours = 7200 * GST_SECOND;

  fail_unless_equals_uint64 (GST_WEATHER_MAX_LATENESS, two_hours);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE, ORIGIN),
      ORIGIN - two_hours);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          ORIGIN + 999999999), ORIGIN - two_hours);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          ORIGIN + GST_SECOND), ORIGIN - two_hours + GST_SECOND);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          ORIGIN - 1), ORIGIN - two_hours - GST_SECOND);
  /* near the epoch, and at the end of representable time */
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE, 0), 0);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          two_hours), 0);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          two_hours + GST_SECOND), GST_SECOND);
  fail_unless_equals_int64 (gst_weather_origin_choose (NULL, FALSE,
          G_MAXINT64), (G_MAXINT64 - two_hours) / GST_SECOND * GST_SECOND);
}

GST_END_TEST;

static GstElement *
element_with_clock (GstClock * clock, GstClockTime base_time)
{
  GstElement *e = gst_element_factory_make ("fakesrc", NULL);

  fail_unless (e != NULL);
  gst_element_set_clock (e, clock);
  gst_element_set_base_time (e, base_time);
  return e;
}

/* Live: the base time is the origin when the clock reads as the epoch
 * (realtime system clock, test clock); a monotonic system clock is mapped
 * to the epoch through the wall clock. */
GST_START_TEST (test_origin_live)
{
  GstClock *realtime = g_object_new (GST_TYPE_SYSTEM_CLOCK,
      "clock-type", GST_CLOCK_TYPE_REALTIME, NULL);
  GstClock *monotonic = g_object_new (GST_TYPE_SYSTEM_CLOCK,
      "clock-type", GST_CLOCK_TYPE_MONOTONIC, NULL);
  GstClock *test = gst_test_clock_new_with_start_time (ORIGIN);
  GstElement *e;
  GstClockTime now;
  gint64 wall, origin;

  e = element_with_clock (realtime, ORIGIN + 5);
  fail_unless_equals_int64 (gst_weather_origin_choose (e, TRUE,
          GST_WEATHER_TIME_NONE), ORIGIN + 5);
  gst_object_unref (e);

  e = element_with_clock (test, ORIGIN - 3 * GST_SECOND);
  fail_unless_equals_int64 (gst_weather_origin_choose (e, TRUE,
          GST_WEATHER_TIME_NONE), ORIGIN - 3 * GST_SECOND);
  gst_object_unref (e);

  /* started 10 s ago on a clock that is not the epoch */
  now = gst_clock_get_time (monotonic);
  fail_unless (now > 10 * GST_SECOND);
  e = element_with_clock (monotonic, now - 10 * GST_SECOND);
  wall = g_get_real_time () * 1000;
  origin = gst_weather_origin_choose (e, TRUE, GST_WEATHER_TIME_NONE);
  fail_unless (origin <= wall - 10 * GST_SECOND + 5 * GST_SECOND &&
      origin >= wall - 10 * GST_SECOND - 5 * GST_SECOND,
      "origin %" G_GINT64_FORMAT " for wall clock %" G_GINT64_FORMAT,
      origin, wall);
  gst_object_unref (e);

  gst_object_unref (realtime);
  gst_object_unref (monotonic);
  gst_object_unref (test);
}

GST_END_TEST;

static Suite *
weather_time_suite (void)
{
  Suite *s = suite_create ("weather-time");
  TCase *tseg = tcase_create ("segment");
  TCase *trfc = tcase_create ("rfc3339");
  TCase *tsum = tcase_create ("sums");

  suite_add_tcase (s, tseg);
  tcase_add_test (tseg, test_segment_init);
  tcase_add_test (tseg, test_segment_to_epoch);
  tcase_add_test (tseg, test_segment_from_epoch);
  tcase_add_test (tseg, test_replay_start);

  suite_add_tcase (s, trfc);
  tcase_add_loop_test (trfc, test_rfc3339_good, 0, G_N_ELEMENTS (good_times));
  tcase_add_loop_test (trfc, test_rfc3339_bad, 0, G_N_ELEMENTS (bad_times));
  tcase_add_loop_test (trfc, test_rfc3339_format, 0, G_N_ELEMENTS (formatted));
  tcase_add_test (trfc, test_rfc3339_round_trip);
  tcase_add_test (trfc, test_rfc3339_calendar);

  suite_add_tcase (s, tsum);
  tcase_add_test (tsum, test_clock_time_add_saturates);
  tcase_add_test (tsum, test_epoch_add_saturates);
  tcase_add_test (tsum, test_origin_replay);
  tcase_add_test (tsum, test_origin_live);
  return s;
}

GST_CHECK_MAIN (weather_time);
