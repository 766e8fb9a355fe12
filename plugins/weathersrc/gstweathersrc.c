/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_WEATHER_SRC (gst_weather_src_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherSrc, gst_weather_src, GST, WEATHER_SRC, GstElement);

struct _GstWeatherSrc
{
  GstElement parent;
};

G_DEFINE_TYPE (GstWeatherSrc, gst_weather_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (weathersrc, "weathersrc", GST_RANK_NONE, GST_TYPE_WEATHER_SRC);

static void
gst_weather_src_class_init (GstWeatherSrcClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "weathersrc",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_weather_src_init (GstWeatherSrc * self)
{
}
