/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_WEATHER_BIN (gst_weather_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherBin, gst_weather_bin, GST, WEATHER_BIN, GstElement);

struct _GstWeatherBin
{
  GstElement parent;
};

G_DEFINE_TYPE (GstWeatherBin, gst_weather_bin, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (weatherbin, "weatherbin", GST_RANK_NONE, GST_TYPE_WEATHER_BIN);

static void
gst_weather_bin_class_init (GstWeatherBinClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "weatherbin",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_weather_bin_init (GstWeatherBin * self)
{
}
