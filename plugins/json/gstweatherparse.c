/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_WEATHER_PARSE (gst_weather_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherParse, gst_weather_parse, GST, WEATHER_PARSE, GstElement);

struct _GstWeatherParse
{
  GstElement parent;
};

G_DEFINE_TYPE (GstWeatherParse, gst_weather_parse, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (weatherparse, "weatherparse", GST_RANK_NONE, GST_TYPE_WEATHER_PARSE);

static void
gst_weather_parse_class_init (GstWeatherParseClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "weatherparse",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_weather_parse_init (GstWeatherParse * self)
{
}
