/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "weather.h"

GST_DEBUG_CATEGORY (gst_weather_lib_debug);

void
gst_weather_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    GST_DEBUG_CATEGORY_INIT (gst_weather_lib_debug, "weather", 0,
        "gst-weather library: schemas and JSON codec");
    gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_MODEL, 0);
    gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_KEY_KIND, 0);
    g_once_init_leave (&initialized, 1);
  }
}
