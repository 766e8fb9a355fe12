/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The forecast functions of predictor, compiled from the element's own
 * source file so that the tables below exercise exactly its code.
 *
 * Sources of the expected values: the variant is pywws' zambretti_code()
 * (pywws/forecast.py; the same function as pywws/ZambrettiCore.py, whose
 * main() prints the table of pressures 1030..970 hPa x trends x winds that
 * the first table follows). pywws publishes the code, not its outputs, so
 * every expected letter here was computed by hand from the published
 * formulas; the arithmetic is given next to each case.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include <gst/check/gstcheck.h>

#include "plugins/predictor/gstzambretti.c"

typedef struct
{
  gdouble pressure;
  guint month;
  gdouble wind_deg;             /* NaN: calm */
  gdouble change_3h;
  gboolean north;
  gchar letter;
  const gchar *why;
} Case;

#define CALM NAN

static const Case worked[] = {
  /* steady: F = 0.2314 * (1030.81 - p), LUT ABBBEKNNPPSWWXXXZ */
  {1030, 1, CALM, 0, TRUE, 'A', "F=0.19 -> 0"},
  {1020, 7, CALM, 0, TRUE, 'B', "F=2.50 -> int(3.00)=3 -> B"},
  {1010, 7, CALM, 0, TRUE, 'K', "F=4.82 -> 5"},
  {1000, 7, CALM, 0, TRUE, 'N', "F=7.13 -> 7"},
  {990, 7, CALM, 0, TRUE, 'P', "F=9.44 -> 9"},
  {980, 7, CALM, 0, TRUE, 'W', "F=11.76 -> 12"},
  {970, 7, CALM, 0, TRUE, 'X', "F=14.07 -> 14"},
  /* rising (0.6 hPa in 3 h = 0.2/h): summer +3.2, F = 0.1740 * (1031.40 - p),
   * LUT ABBCFGIJLMMQTY */
  {1020, 1, CALM, 0.6, TRUE, 'B', "winter F=1.98 -> 2"},
  {1020, 7, CALM, 0.6, TRUE, 'B', "summer p=1023.2 F=1.43 -> 1"},
  {1000, 1, CALM, 0.6, TRUE, 'G', "winter F=5.46 -> 5"},
  {1010, 1, CALM, 0.6, TRUE, 'F', "winter F=3.72 -> 4"},
  {1010, 7, CALM, 0.6, TRUE, 'C', "summer p=1013.2 F=3.17 -> 3"},
  /* falling: summer -3.2, F = 0.1553 * (1029.95 - p), LUT BDHORUVXXZ */
  {1020, 1, CALM, -0.6, TRUE, 'H', "winter F=1.55 -> 2"},
  {1020, 7, CALM, -0.6, TRUE, 'H', "summer p=1016.8 F=2.04 -> 2"},
  {1000, 1, CALM, -0.6, TRUE, 'U', "winter F=4.65 -> 5"},
  {1010, 1, CALM, -0.6, TRUE, 'O', "winter F=3.10 -> 3"},
  {1010, 7, CALM, -0.6, TRUE, 'R', "summer p=1006.8 F=3.60 -> 4"},
  /* wind offsets, steady 1010 hPa */
  {1010, 1, 0, 0, TRUE, 'E', "N +5.2: p=1015.2 F=3.61 -> 4"},
  {1010, 1, 90, 0, TRUE, 'K', "E -1.1: p=1008.9 F=5.07 -> 5"},
  {1010, 1, 180, 0, TRUE, 'N', "S -11.5: p=998.5 F=7.48 -> 7"},
  {1010, 1, 270, 0, TRUE, 'N', "W -3.2: p=1006.8 F=5.56 -> 6"},
  /* southern hemisphere: wind turned by 8 points, seasons swapped */
  {1010, 1, 0, 0, FALSE, 'N', "N read as S: -11.5"},
  {1010, 1, 180, 0, FALSE, 'E', "S read as N: +5.2"},
  {1010, 1, CALM, 0.6, FALSE, 'C', "January is summer: p=1013.2"},
  {1010, 7, CALM, 0.6, FALSE, 'F', "July is winter"},
  {1010, 1, CALM, -0.6, FALSE, 'R', "summer falling: p=1006.8"},
  {1010, 7, CALM, -0.6, FALSE, 'O', "winter falling"},
  /* outside the table: clamped */
  {1050, 1, CALM, 0, TRUE, 'A', "F=-4.44 -> clamp 0"},
  {950, 1, CALM, 0, TRUE, 'Z', "F=18.70 -> clamp 16"},
  {1060, 1, CALM, 0.6, TRUE, 'A', "F=-4.98 -> clamp 0"},
  {940, 1, CALM, -0.6, TRUE, 'Z', "F=13.97 -> clamp 9"},
};

GST_START_TEST (test_worked_examples)
{
  const Case *c = &worked[__i__];
  gchar got = weather_zambretti_letter (c->pressure, c->change_3h,
      c->wind_deg, isnan (c->wind_deg) ? NAN : 5.0, c->month, c->north);

  fail_unless (got == c->letter, "%.1f hPa month %u wind %.0f trend %.1f %s:"
      " got %c, expected %c (%s)", c->pressure, c->month, c->wind_deg,
      c->change_3h, c->north ? "north" : "south", got ? got : '0', c->letter,
      c->why);
}

GST_END_TEST;

/* Pressures where F + 0.5 crosses an integer, hand computed:
 * steady   n: p = 1030.81 - (n - 0.5) / 0.2314
 * rising   n: p = 1031.40 - (n - 0.5) / 0.1740   (winter, calm)
 * falling  n: p = 1029.95 - (n - 0.5) / 0.1553   (winter, calm)
 * (to 3 decimals; 0.01 hPa above the boundary gives the lower index, below
 * it the higher). */
typedef struct
{
  gdouble boundary;
  gdouble change_3h;
  gchar above, below;
} Boundary;

static const Boundary boundaries[] = {
  {1028.649, 0, 'A', 'B'},      /* steady n=1 */
  {1015.685, 0, 'B', 'E'},      /* steady n=4 */
  {1011.363, 0, 'E', 'K'},      /* steady n=5 */
  {1007.042, 0, 'K', 'N'},      /* steady n=6 */
  {998.399, 0, 'N', 'P'},       /* steady n=8 */
  {989.756, 0, 'P', 'S'},       /* steady n=10 */
  {985.434, 0, 'S', 'W'},       /* steady n=11 */
  {976.791, 0, 'W', 'X'},       /* steady n=13 */
  {963.826, 0, 'X', 'Z'},       /* steady n=16 */
  {1028.526, 0.6, 'A', 'B'},    /* rising n=1 */
  {1017.032, 0.6, 'B', 'C'},    /* rising n=3 */
  {1011.285, 0.6, 'C', 'F'},    /* rising n=4 */
  {1005.538, 0.6, 'F', 'G'},    /* rising n=5 */
  {999.791, 0.6, 'G', 'I'},     /* rising n=6 */
  {994.044, 0.6, 'I', 'J'},     /* rising n=7 */
  {988.297, 0.6, 'J', 'L'},     /* rising n=8 */
  {982.549, 0.6, 'L', 'M'},     /* rising n=9 */
  {971.055, 0.6, 'M', 'Q'},     /* rising n=11 */
  {965.308, 0.6, 'Q', 'T'},     /* rising n=12 */
  {959.561, 0.6, 'T', 'Y'},     /* rising n=13 */
  {1026.730, -0.6, 'B', 'D'},   /* falling n=1 */
  {1020.291, -0.6, 'D', 'H'},   /* falling n=2 */
  {1013.852, -0.6, 'H', 'O'},   /* falling n=3 */
  {1007.413, -0.6, 'O', 'R'},   /* falling n=4 */
  {1000.974, -0.6, 'R', 'U'},   /* falling n=5 */
  {994.535, -0.6, 'U', 'V'},    /* falling n=6 */
  {988.096, -0.6, 'V', 'X'},    /* falling n=7 */
  {975.217, -0.6, 'X', 'Z'},    /* falling n=9 */
};

GST_START_TEST (test_letter_boundaries)
{
  const Boundary *b = &boundaries[__i__];
  gchar above = weather_zambretti_letter (b->boundary + 0.01, b->change_3h,
      CALM, CALM, 1, TRUE);
  gchar below = weather_zambretti_letter (b->boundary - 0.01, b->change_3h,
      CALM, CALM, 1, TRUE);

  fail_unless (above == b->above, "%.3f + 0.01: got %c, expected %c",
      b->boundary, above, b->above);
  fail_unless (below == b->below, "%.3f - 0.01: got %c, expected %c",
      b->boundary, below, b->below);
}

GST_END_TEST;

GST_START_TEST (test_trend_thresholds)
{
  /* 0.1 hPa per hour over 3 hours */
  fail_unless_equals_int (weather_zambretti_trend (0.31),
      WEATHER_ZAMBRETTI_RISING);
  fail_unless_equals_int (weather_zambretti_trend (0.29),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_trend (-0.31),
      WEATHER_ZAMBRETTI_FALLING);
  fail_unless_equals_int (weather_zambretti_trend (-0.29),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_trend (0.0),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_trend (6.0),
      WEATHER_ZAMBRETTI_RISING);
  /* 1010 hPa in January: steady K, rising F, falling O */
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.29, CALM, CALM,
          1, TRUE), 'K');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.31, CALM, CALM,
          1, TRUE), 'F');
  fail_unless_equals_int (weather_zambretti_letter (1010, -0.31, CALM, CALM,
          1, TRUE), 'O');
}

GST_END_TEST;

GST_START_TEST (test_seasons)
{
  guint m;

  /* rising 1010 hPa: C in summer (April..September in the north), F in
   * winter; the other way round in the south */
  for (m = 1; m <= 12; m++) {
    gboolean north_summer = m >= 4 && m <= 9;

    fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
            m, TRUE), north_summer ? 'C' : 'F');
    fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
            m, FALSE), north_summer ? 'F' : 'C');
  }
  /* steady pressure knows no season */
  for (m = 1; m <= 12; m++)
    fail_unless_equals_int (weather_zambretti_letter (1010, 0, CALM, CALM,
            m, TRUE), 'K');
}

GST_END_TEST;

GST_START_TEST (test_wind_points_and_calm)
{
  fail_unless_equals_int (weather_zambretti_wind_point (0, 5), 0);
  fail_unless_equals_int (weather_zambretti_wind_point (11.24, 5), 0);
  fail_unless_equals_int (weather_zambretti_wind_point (11.26, 5), 1);
  fail_unless_equals_int (weather_zambretti_wind_point (90, 5), 4);
  fail_unless_equals_int (weather_zambretti_wind_point (180, 5), 8);
  fail_unless_equals_int (weather_zambretti_wind_point (348.74, 5), 15);
  fail_unless_equals_int (weather_zambretti_wind_point (348.76, 5), 0);
  fail_unless_equals_int (weather_zambretti_wind_point (360, 5), 0);
  /* calm below 0.3 m/s, unknown speed or direction: no wind */
  fail_unless_equals_int (weather_zambretti_wind_point (90, 0.29), -1);
  fail_unless_equals_int (weather_zambretti_wind_point (90, 0.3), 4);
  /* a calm south wind changes nothing: K as without wind */
  fail_unless_equals_int (weather_zambretti_letter (1010, 0, 180, 0.29, 1,
          TRUE), 'K');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0, 180, 0.3, 1,
          TRUE), 'N');
}

GST_END_TEST;

GST_START_TEST (test_bad_pressure)
{
  fail_unless_equals_int (weather_zambretti_letter (NAN, 0, CALM, CALM, 1,
          TRUE), 0);
  fail_unless_equals_int (weather_zambretti_letter (INFINITY, 0.6, 0, 5, 1,
          TRUE), 0);
  fail_unless_equals_int (weather_zambretti_letter (-INFINITY, -0.6, 0, 5,
          7, FALSE), 0);
}

GST_END_TEST;

GST_START_TEST (test_absurd_pressure)
{
  /* absurd but finite pressures clamp to the ends of the tables */
  fail_unless_equals_int (weather_zambretti_letter (0, 0, CALM, CALM, 1,
          TRUE), 'Z');
  fail_unless_equals_int (weather_zambretti_letter (-1e6, 0.6, CALM, CALM,
          1, TRUE), 'Y');
  fail_unless_equals_int (weather_zambretti_letter (1e6, 0, CALM, CALM, 1,
          TRUE), 'A');
  fail_unless_equals_int (weather_zambretti_letter (G_MAXDOUBLE, -0.6, CALM,
          CALM, 1, TRUE), 'B');
  fail_unless_equals_int (weather_zambretti_letter (-G_MAXDOUBLE, -0.6, CALM,
          CALM, 1, TRUE), 'Z');
}

GST_END_TEST;

GST_START_TEST (test_bad_month)
{
  /* a month out of range is not April..September: winter in the north,
   * summer in the south */
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
          0, TRUE), 'F');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
          13, TRUE), 'F');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
          G_MAXUINT, TRUE), 'F');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0.6, CALM, CALM,
          0, FALSE), 'C');
}

GST_END_TEST;

GST_START_TEST (test_bad_trend)
{
  /* an unknown trend is steady */
  fail_unless_equals_int (weather_zambretti_trend (NAN),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_trend (INFINITY),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_trend (-INFINITY),
      WEATHER_ZAMBRETTI_STEADY);
  fail_unless_equals_int (weather_zambretti_letter (1010, NAN, CALM, CALM, 1,
          TRUE), 'K');
  /* absurd finite changes are still rising or falling */
  fail_unless_equals_int (weather_zambretti_trend (1e9),
      WEATHER_ZAMBRETTI_RISING);
  fail_unless_equals_int (weather_zambretti_trend (-1e9),
      WEATHER_ZAMBRETTI_FALLING);
}

GST_END_TEST;

GST_START_TEST (test_bad_wind)
{
  /* unknown or infinite speed or direction: no wind */
  fail_unless_equals_int (weather_zambretti_wind_point (90, NAN), -1);
  fail_unless_equals_int (weather_zambretti_wind_point (NAN, 5), -1);
  fail_unless_equals_int (weather_zambretti_wind_point (INFINITY, 5), -1);
  fail_unless_equals_int (weather_zambretti_wind_point (90, INFINITY), -1);
  fail_unless_equals_int (weather_zambretti_wind_point (90, -3), -1);
  /* directions outside 0..360 are taken modulo 360 */
  fail_unless_equals_int (weather_zambretti_wind_point (-90, 5), 12);
  fail_unless_equals_int (weather_zambretti_wind_point (450, 5), 4);
  fail_unless_equals_int (weather_zambretti_wind_point (-720, 5), 0);
  /* no wind changes nothing: K as calm */
  fail_unless_equals_int (weather_zambretti_letter (1010, 0, NAN, 5, 1,
          TRUE), 'K');
  fail_unless_equals_int (weather_zambretti_letter (1010, 0, 180, NAN, 1,
          TRUE), 'K');
}

GST_END_TEST;

GST_START_TEST (test_bad_letters)
{
  /* no letter: no text, no chance */
  fail_unless (weather_zambretti_text (0) == NULL);
  fail_unless (weather_zambretti_text ('a') == NULL);
  fail_unless (weather_zambretti_text ('[') == NULL);
  fail_unless (weather_zambretti_text ('@') == NULL);
  fail_unless (weather_zambretti_text ((gchar) 0xc3) == NULL);
  fail_unless (isnan (weather_zambretti_chance_of_rain ('@')));
  fail_unless (isnan (weather_zambretti_chance_of_rain (0)));
  fail_unless (isnan (weather_zambretti_chance_of_rain ('z')));
}

GST_END_TEST;

GST_START_TEST (test_texts_and_chance)
{
  gchar l;
  gdouble prev = -1;

  fail_unless_equals_string (weather_zambretti_text ('A'), "Settled fine");
  fail_unless_equals_string (weather_zambretti_text ('K'),
      "Fairly fine, showers likely");
  fail_unless_equals_string (weather_zambretti_text ('Z'), "Stormy, much rain");
  for (l = 'A'; l <= 'Z'; l++) {
    gdouble c = weather_zambretti_chance_of_rain (l);

    fail_unless (weather_zambretti_text (l) != NULL);
    fail_unless (strlen (weather_zambretti_text (l)) < 56);
    fail_unless (c > prev && c >= 0 && c <= 100);
    prev = c;
  }
  fail_unless_equals_float (weather_zambretti_chance_of_rain ('A'), 5.0);
  fail_unless_equals_float (weather_zambretti_chance_of_rain ('Z'), 95.0);
  /* the double nearest 51.8, so that the JSON writer prints "51.8" */
  fail_unless (weather_zambretti_chance_of_rain ('N') == 51.8);
}

GST_END_TEST;

GST_START_TEST (test_seed_formula)
{
  const gdouble t1[] = { 10, 20, 30 };
  const gdouble t2[] = { NAN, 10, 20 };
  const gdouble t3[] = { 25 };
  gdouble c = -1;

  fail_unless (weather_seed_chance_of_rain (t1, 3, &c));
  fail_unless_equals_float (c, 100.0 * 20 / 30);
  fail_unless (weather_seed_chance_of_rain (t2, 3, &c));
  fail_unless_equals_float (c, 75.0);
  fail_unless (weather_seed_chance_of_rain (t3, 1, &c));
  fail_unless_equals_float (c, 100.0);
}

GST_END_TEST;

GST_START_TEST (test_seed_degenerate)
{
  const gdouble all_nan[] = { NAN, NAN };
  const gdouble cold[] = { -5, -10 };
  const gdouble zero[] = { 0, -2 };
  const gdouble neg_mean[] = { -30, 10 };
  const gdouble inf[] = { INFINITY, 10, -INFINITY };
  gdouble c = -1;

  fail_if (weather_seed_chance_of_rain (NULL, 0, &c));
  fail_unless_equals_float (c, 0);
  c = -1;
  fail_if (weather_seed_chance_of_rain (all_nan, 2, &c));
  fail_unless_equals_float (c, 0);
  c = -1;
  fail_if (weather_seed_chance_of_rain (cold, 2, &c));
  fail_unless_equals_float (c, 0);
  c = -1;
  fail_if (weather_seed_chance_of_rain (zero, 2, &c));
  fail_unless_equals_float (c, 0);
  /* a negative mean under a positive maximum clamps to 0 % */
  c = -1;
  fail_unless (weather_seed_chance_of_rain (neg_mean, 2, &c));
  fail_unless_equals_float (c, 0);
  /* infinities are no measurement */
  fail_unless (weather_seed_chance_of_rain (inf, 3, &c));
  fail_unless_equals_float (c, 100);
}

GST_END_TEST;

static Suite *
zambretti_suite (void)
{
  Suite *s = suite_create ("zambretti");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_worked_examples, 0, G_N_ELEMENTS (worked));
  tcase_add_loop_test (tc, test_letter_boundaries, 0,
      G_N_ELEMENTS (boundaries));
  tcase_add_test (tc, test_trend_thresholds);
  tcase_add_test (tc, test_seasons);
  tcase_add_test (tc, test_wind_points_and_calm);
  tcase_add_test (tc, test_texts_and_chance);
  tcase_add_test (tc, test_seed_formula);
  tcase_add_test (tc, test_bad_pressure);
  tcase_add_test (tc, test_absurd_pressure);
  tcase_add_test (tc, test_bad_month);
  tcase_add_test (tc, test_bad_trend);
  tcase_add_test (tc, test_bad_wind);
  tcase_add_test (tc, test_bad_letters);
  tcase_add_test (tc, test_seed_degenerate);
  return s;
}

GST_CHECK_MAIN (zambretti);
