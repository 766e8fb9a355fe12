/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>

G_BEGIN_DECLS

/**
 * GstWeatherQuantity:
 * @GST_WEATHER_QUANTITY_TEMPERATURE: °C
 * @GST_WEATHER_QUANTITY_PRESSURE: hPa
 * @GST_WEATHER_QUANTITY_HUMIDITY: %
 * @GST_WEATHER_QUANTITY_SPEED: m/s
 * @GST_WEATHER_QUANTITY_DIRECTION: degrees
 * @GST_WEATHER_QUANTITY_LENGTH: mm
 *
 * What a unit measures, named by the unit a reading uses for it.
 */
typedef enum
{
  GST_WEATHER_QUANTITY_TEMPERATURE,
  GST_WEATHER_QUANTITY_PRESSURE,
  GST_WEATHER_QUANTITY_HUMIDITY,
  GST_WEATHER_QUANTITY_SPEED,
  GST_WEATHER_QUANTITY_DIRECTION,
  GST_WEATHER_QUANTITY_LENGTH,
} GstWeatherQuantity;

/* Converts @value in the unit labelled @unit (a feed's suffix: "F",
 * "degree_F", "km_h", "kph", "mph", "mi_h", "knot", "kn", "inHg", "mbar",
 * "kPa", "psi", "in", "cm", ... docs/feeds.md lists them, matched exactly,
 * case included) to the reading's unit of @quantity. Returns FALSE when
 * @unit is not a unit of @quantity. The result is exact arithmetic on the
 * defining factors, not rounded. */
GST_WEATHER_API
gboolean        gst_weather_unit_convert            (GstWeatherQuantity quantity,
                                                     const gchar * unit,
                                                     gdouble value,
                                                     gdouble * result);

/* The double nearest @value rounded to the resolution docs/feeds.md gives
 * for @quantity (0.01 °C, 0.01 hPa, 0.1 %, 0.01 m/s, 0.1°, 0.1 mm), so
 * that a converted value prints as the short decimal it stands for. NaN
 * stays NaN. */
GST_WEATHER_API
gdouble         gst_weather_unit_round              (GstWeatherQuantity quantity,
                                                     gdouble value);

/* Station (absolute) pressure @station_hpa measured @altitude_m above sea
 * level, reduced to sea level with the barometric formula of the ICAO
 * standard atmosphere (docs/feeds.md):
 * p0 = p · (1 − L·h / T0)^(−g0·M / (R·L)). Not rounded. */
GST_WEATHER_API
gdouble         gst_weather_sea_level_pressure      (gdouble station_hpa,
                                                     gdouble altitude_m);

G_END_DECLS
