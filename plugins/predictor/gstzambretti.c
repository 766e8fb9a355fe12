/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Zambretti forecaster as published by the pywws project
 * (pywws/forecast.py, zambretti_code()), itself derived from the
 * beteljuice.com algorithm and the meteormetrics.com description. The
 * constants below are that variant's; docs/zambretti.md lists them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "gstzambretti.h"

/* pywws' defaults for the barometer range the formulas were made for; with
 * these the normalisation is the identity. */
#define BARO_BOTTOM 950.0
#define BARO_TOP 1050.0

/* hPa added to the pressure for the wind's 16-point direction, N first. */
static const gdouble wind_offsets[16] = {
  5.2, 4.2, 3.2, 1.05, -1.1, -3.15, -5.2, -8.35,
  -11.5, -9.4, -7.3, -5.25, -3.2, -1.15, 0.9, 3.05
};

/* hPa added (rising) or removed (falling) in summer. */
#define SUMMER_ADJUST 3.2

static const gchar lut_rising[] = "ABBCFGIJLMMQTY";
static const gchar lut_falling[] = "BDHORUVXXZ";
static const gchar lut_steady[] = "ABBBEKNNPPSWWXXXZ";

static const gchar *const letter_texts[26] = {
  "Settled fine",
  "Fine weather",
  "Becoming fine",
  "Fine, becoming less settled",
  "Fine, possible showers",
  "Fairly fine, improving",
  "Fairly fine, possible showers early",
  "Fairly fine, showery later",
  "Showery early, improving",
  "Changeable, mending",
  "Fairly fine, showers likely",
  "Rather unsettled clearing later",
  "Unsettled, probably improving",
  "Showery, bright intervals",
  "Showery, becoming less settled",
  "Changeable, some rain",
  "Unsettled, short fine intervals",
  "Unsettled, rain later",
  "Unsettled, some rain",
  "Mostly very unsettled",
  "Occasional rain, worsening",
  "Rain at times, very unsettled",
  "Rain at frequent intervals",
  "Rain, very unsettled",
  "Stormy, may improve",
  "Stormy, much rain",
};

WeatherZambrettiTrend
weather_zambretti_trend (gdouble change_3h_hpa)
{
  gdouble per_hour;

  if (!isfinite (change_3h_hpa))
    return WEATHER_ZAMBRETTI_STEADY;

  per_hour = change_3h_hpa / 3.0;
  if (per_hour >= WEATHER_ZAMBRETTI_TREND_THRESHOLD)
    return WEATHER_ZAMBRETTI_RISING;
  if (per_hour <= -WEATHER_ZAMBRETTI_TREND_THRESHOLD)
    return WEATHER_ZAMBRETTI_FALLING;
  return WEATHER_ZAMBRETTI_STEADY;
}

gint
weather_zambretti_wind_point (gdouble direction_deg, gdouble speed_ms)
{
  gdouble points;

  if (!isfinite (direction_deg) || !isfinite (speed_ms)
      || speed_ms < WEATHER_ZAMBRETTI_CALM_MS)
    return -1;

  direction_deg = fmod (direction_deg, 360.0);
  if (direction_deg < 0)
    direction_deg += 360.0;
  /* pywws rounds the direction in compass points: int (wind + 0.5) % 16 */
  points = direction_deg / 22.5;
  return ((gint) (points + 0.5)) % 16;
}

static gchar
lookup (const gchar * lut, gsize len, gdouble f)
{
  /* Python's int() truncates toward zero, so does the C cast; the clamp
   * comes after, as in pywws. */
  gdouble idx = trunc (f + 0.5);

  if (idx < 0)
    idx = 0;
  if (idx > len - 1)
    idx = len - 1;
  return lut[(gsize) idx];
}

gchar
weather_zambretti_letter (gdouble pressure_hpa, gdouble change_3h_hpa,
    gdouble wind_direction_deg, gdouble wind_speed_ms, guint month,
    gboolean north)
{
  gdouble p, f;
  gint point;
  gboolean summer;

  if (!isfinite (pressure_hpa))
    return 0;

  p = BARO_BOTTOM + (BARO_TOP - BARO_BOTTOM) * (pressure_hpa - BARO_BOTTOM)
      / (BARO_TOP - BARO_BOTTOM);

  point = weather_zambretti_wind_point (wind_direction_deg, wind_speed_ms);
  if (point >= 0) {
    if (!north)
      point = (point + 8) % 16;
    p += wind_offsets[point];
  }

  summer = (!!north) == (month >= 4 && month <= 9);

  switch (weather_zambretti_trend (change_3h_hpa)) {
    case WEATHER_ZAMBRETTI_RISING:
      if (summer)
        p += SUMMER_ADJUST;
      f = 0.1740 * (1031.40 - p);
      return lookup (lut_rising, sizeof (lut_rising) - 1, f);
    case WEATHER_ZAMBRETTI_FALLING:
      if (summer)
        p -= SUMMER_ADJUST;
      f = 0.1553 * (1029.95 - p);
      return lookup (lut_falling, sizeof (lut_falling) - 1, f);
    case WEATHER_ZAMBRETTI_STEADY:
    default:
      f = 0.2314 * (1030.81 - p);
      return lookup (lut_steady, sizeof (lut_steady) - 1, f);
  }
}

const gchar *
weather_zambretti_text (gchar letter)
{
  if (letter < 'A' || letter > 'Z')
    return NULL;
  return letter_texts[letter - 'A'];
}

gdouble
weather_zambretti_chance_of_rain (gchar letter)
{
  /* Ours (docs/zambretti.md): the 26 letters run from the most settled to
   * the stormiest, so the chance rises linearly from 5 % for A to 95 % for
   * Z, 3.6 points a letter. Counted in tenths of a point and divided
   * once, so that each value is the double nearest its one-decimal
   * figure (51.8, not 5.0 + 13 * 3.6 = 51.800000000000004). */
  if (letter < 'A' || letter > 'Z')
    return NAN;
  return (50 + (letter - 'A') * 36) / 10.0;
}

gboolean
weather_seed_chance_of_rain (const gdouble * temperatures_c, guint n,
    gdouble * chance_pct)
{
  gdouble sum = 0, max = -INFINITY, chance;
  guint i, used = 0;

  *chance_pct = 0;

  for (i = 0; i < n; i++) {
    if (!isfinite (temperatures_c[i]))
      continue;
    sum += temperatures_c[i];
    if (temperatures_c[i] > max)
      max = temperatures_c[i];
    used++;
  }

  if (used == 0 || max <= 0)
    return FALSE;

  chance = 100.0 * (sum / used) / max;
  *chance_pct = CLAMP (chance, 0.0, 100.0);
  return TRUE;
}
