/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pure forecast functions of predictor, kept apart from the element so
 * that tests/check/elements/zambretti.c exercises exactly this code.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Wind below this mean speed (m/s) is calm: its direction is ignored. */
#define WEATHER_ZAMBRETTI_CALM_MS 0.3

/* Pressure change per hour (hPa) from which the trend is rising/falling. */
#define WEATHER_ZAMBRETTI_TREND_THRESHOLD 0.1

typedef enum
{
  WEATHER_ZAMBRETTI_FALLING = -1,
  WEATHER_ZAMBRETTI_STEADY = 0,
  WEATHER_ZAMBRETTI_RISING = 1,
} WeatherZambrettiTrend;

/* The trend class of a 3-hour pressure change in hPa (NaN: steady). */
G_GNUC_INTERNAL
WeatherZambrettiTrend weather_zambretti_trend (gdouble change_3h_hpa);

/* The 16-point compass index (0 = N, 4 = E, ...) of a direction in
 * degrees, or -1 for a calm or unknown wind. */
G_GNUC_INTERNAL
gint weather_zambretti_wind_point (gdouble direction_deg, gdouble speed_ms);

/* The forecast letter 'A'..'Z' for a sea-level pressure in hPa, its 3-hour
 * change in hPa (NaN: steady), the wind (direction in degrees and speed in
 * m/s; NaN or a speed below WEATHER_ZAMBRETTI_CALM_MS: calm), the month
 * 1..12 and the hemisphere. 0 when the pressure is NaN or infinite. */
G_GNUC_INTERNAL
gchar weather_zambretti_letter (gdouble pressure_hpa, gdouble change_3h_hpa,
    gdouble wind_direction_deg, gdouble wind_speed_ms, guint month,
    gboolean north);

/* The published text of a letter, NULL for anything but 'A'..'Z'. */
G_GNUC_INTERNAL
const gchar *weather_zambretti_text (gchar letter);

/* The chance of rain (%) given to a letter (docs/zambretti.md), NaN for
 * anything but 'A'..'Z'. */
G_GNUC_INTERNAL
gdouble weather_zambretti_chance_of_rain (gchar letter);

/* The seed model: 100 * mean / max of the non-NaN temperatures, clamped to
 * 0..100. Returns FALSE (and 0 in @chance_pct) when there is no usable
 * temperature or the maximum is <= 0. */
G_GNUC_INTERNAL
gboolean weather_seed_chance_of_rain (const gdouble * temperatures_c,
    guint n, gdouble * chance_pct);

G_END_DECLS
