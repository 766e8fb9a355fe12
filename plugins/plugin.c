/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/weather/weather.h>

#include "gstweatherelements.h"

static gboolean
plugin_init (GstPlugin * plugin)
{
  gboolean ret = FALSE;

  gst_weather_init ();

  ret |= GST_ELEMENT_REGISTER (weathersrc, plugin);
  ret |= GST_ELEMENT_REGISTER (weatherparse, plugin);
  ret |= GST_ELEMENT_REGISTER (weatherenc, plugin);
  ret |= GST_ELEMENT_REGISTER (demux, plugin);
  ret |= GST_ELEMENT_REGISTER (reorderqueue, plugin);
  ret |= GST_ELEMENT_REGISTER (grouper, plugin);
  ret |= GST_ELEMENT_REGISTER (predictor, plugin);
  ret |= GST_ELEMENT_REGISTER (weatherbin, plugin);
#if HAVE_MQTT
  ret |= GST_ELEMENT_REGISTER (mqttsink, plugin);
  ret |= GST_ELEMENT_REGISTER (mqttsrc, plugin);
#endif

  return ret;
}

GST_PLUGIN_DEFINE (GST_VERSION_MAJOR, GST_VERSION_MINOR, weather,
    "Event-time weather station streams: readings, groups and predictions",
    plugin_init, VERSION, GST_LICENSE, GST_PACKAGE_NAME, GST_PACKAGE_ORIGIN)
