/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Units of the real feeds: conversion to the reading's units, the
 * resolution converted values are rounded to, and the reduction of
 * station pressure to sea level. Sources of every factor: docs/feeds.md.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweather-private.h"

/* value in the reading's unit = (value + offset) * factor */
typedef struct
{
  const gchar *label;
  GstWeatherQuantity quantity;
  gdouble offset;
  gdouble factor;
} Unit;

/* Exact definitions (NIST SP 811, appendix B): 1 in = 25.4 mm, 1 lb =
 * 0.45359237 kg, 1 mi = 1609.344 m, 1 nmi = 1852 m, standard gravity
 * 9.80665 m/s²; the conventional millimetre of mercury is 13595.1 kg/m³
 * × g × 1 mm = 133.322387415 Pa, the inch of mercury 25.4 times that
 * (3386.388640341 Pa, NIST's 3.386389 E+03 rounded). */
#define MMHG_HPA 1.33322387415
#define INHG_HPA (MMHG_HPA * 25.4)
#define PSI_HPA (0.45359237 * 9.80665 / (0.0254 * 0.0254) / 100.0)
#define MPH_MS (1609.344 / 3600.0)
#define KMH_MS (1000.0 / 3600.0)
#define KNOT_MS (1852.0 / 3600.0)

static const Unit units[] = {
  {"C", GST_WEATHER_QUANTITY_TEMPERATURE, 0.0, 1.0},
  {"degree_C", GST_WEATHER_QUANTITY_TEMPERATURE, 0.0, 1.0},
  {"F", GST_WEATHER_QUANTITY_TEMPERATURE, -32.0, 5.0 / 9.0},
  {"degree_F", GST_WEATHER_QUANTITY_TEMPERATURE, -32.0, 5.0 / 9.0},
  {"K", GST_WEATHER_QUANTITY_TEMPERATURE, -273.15, 1.0},

  {"hPa", GST_WEATHER_QUANTITY_PRESSURE, 0.0, 1.0},
  {"mbar", GST_WEATHER_QUANTITY_PRESSURE, 0.0, 1.0},
  {"kPa", GST_WEATHER_QUANTITY_PRESSURE, 0.0, 10.0},
  {"Pa", GST_WEATHER_QUANTITY_PRESSURE, 0.0, 0.01},
  {"inHg", GST_WEATHER_QUANTITY_PRESSURE, 0.0, INHG_HPA},
  {"mmHg", GST_WEATHER_QUANTITY_PRESSURE, 0.0, MMHG_HPA},
  {"psi", GST_WEATHER_QUANTITY_PRESSURE, 0.0, PSI_HPA},

  {"%", GST_WEATHER_QUANTITY_HUMIDITY, 0.0, 1.0},
  {"percent", GST_WEATHER_QUANTITY_HUMIDITY, 0.0, 1.0},

  {"m_s", GST_WEATHER_QUANTITY_SPEED, 0.0, 1.0},
  {"mps", GST_WEATHER_QUANTITY_SPEED, 0.0, 1.0},
  {"meter_per_second", GST_WEATHER_QUANTITY_SPEED, 0.0, 1.0},
  {"km_h", GST_WEATHER_QUANTITY_SPEED, 0.0, KMH_MS},
  {"kph", GST_WEATHER_QUANTITY_SPEED, 0.0, KMH_MS},
  {"km_per_hour", GST_WEATHER_QUANTITY_SPEED, 0.0, KMH_MS},
  {"mi_h", GST_WEATHER_QUANTITY_SPEED, 0.0, MPH_MS},
  {"mph", GST_WEATHER_QUANTITY_SPEED, 0.0, MPH_MS},
  {"mile_per_hour", GST_WEATHER_QUANTITY_SPEED, 0.0, MPH_MS},
  {"kn", GST_WEATHER_QUANTITY_SPEED, 0.0, KNOT_MS},
  {"knot", GST_WEATHER_QUANTITY_SPEED, 0.0, KNOT_MS},
  {"knots", GST_WEATHER_QUANTITY_SPEED, 0.0, KNOT_MS},

  {"deg", GST_WEATHER_QUANTITY_DIRECTION, 0.0, 1.0},
  {"degrees", GST_WEATHER_QUANTITY_DIRECTION, 0.0, 1.0},
  {"degree_compass", GST_WEATHER_QUANTITY_DIRECTION, 0.0, 1.0},

  {"mm", GST_WEATHER_QUANTITY_LENGTH, 0.0, 1.0},
  {"cm", GST_WEATHER_QUANTITY_LENGTH, 0.0, 10.0},
  {"in", GST_WEATHER_QUANTITY_LENGTH, 0.0, 25.4},
  {"inch", GST_WEATHER_QUANTITY_LENGTH, 0.0, 25.4},
};

/* 10^-decimals of each quantity's resolution */
static const gdouble resolution_scale[] = {
  [GST_WEATHER_QUANTITY_TEMPERATURE] = 100.0,
  [GST_WEATHER_QUANTITY_PRESSURE] = 100.0,
  [GST_WEATHER_QUANTITY_HUMIDITY] = 10.0,
  [GST_WEATHER_QUANTITY_SPEED] = 100.0,
  [GST_WEATHER_QUANTITY_DIRECTION] = 10.0,
  [GST_WEATHER_QUANTITY_LENGTH] = 10.0,
};

gboolean
gst_weather_unit_convert (GstWeatherQuantity quantity, const gchar * unit,
    gdouble value, gdouble * result)
{
  guint i;

  g_return_val_if_fail (unit != NULL, FALSE);
  g_return_val_if_fail (result != NULL, FALSE);

  for (i = 0; i < G_N_ELEMENTS (units); i++) {
    if (units[i].quantity == quantity && strcmp (units[i].label, unit) == 0) {
      if (units[i].offset == 0.0 && units[i].factor == 1.0)
        *result = value;
      else
        *result = (value + units[i].offset) * units[i].factor;
      return TRUE;
    }
  }
  return FALSE;
}

gdouble
gst_weather_unit_round (GstWeatherQuantity quantity, gdouble value)
{
  gdouble scale;

  g_return_val_if_fail (quantity < G_N_ELEMENTS (resolution_scale), value);

  if (!isfinite (value))
    return value;
  scale = resolution_scale[quantity];
  /* one correctly rounded division: the double nearest the decimal */
  value = round (value * scale) / scale;
  return value == 0.0 ? 0.0 : value;
}

/* ICAO standard atmosphere, troposphere (ICAO Doc 7488/3; U.S. Standard
 * Atmosphere 1976, eq. 33a) */
#define ISA_T0 288.15           /* K, sea-level temperature */
#define ISA_L 0.0065            /* K/m, lapse rate */
#define ISA_G0 9.80665          /* m/s² */
#define ISA_M 0.0289644         /* kg/mol, molar mass of dry air */
#define ISA_R 8.3144598         /* J/(mol·K) */

gdouble
gst_weather_sea_level_pressure (gdouble station_hpa, gdouble altitude_m)
{
  return station_hpa * pow (1.0 - ISA_L * altitude_m / ISA_T0,
      -(ISA_G0 * ISA_M) / (ISA_R * ISA_L));
}
