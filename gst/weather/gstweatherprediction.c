/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "weather.h"

GType
gst_weather_model_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_WEATHER_MODEL_ZAMBRETTI,
        "Negretti & Zambra forecaster, pywws variant", "zambretti"},
    {GST_WEATHER_MODEL_SEED,
        "Chance of rain = mean temperature / max temperature (toy rule)",
        "seed"},
    {0, NULL, NULL},
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstWeatherModel", values);
    g_once_init_leave (&type, t);
  }
  return type;
}
