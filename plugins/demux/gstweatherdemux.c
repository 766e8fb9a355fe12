/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_WEATHER_DEMUX (gst_weather_demux_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherDemux, gst_weather_demux, GST, WEATHER_DEMUX, GstElement);

struct _GstWeatherDemux
{
  GstElement parent;
};

G_DEFINE_TYPE (GstWeatherDemux, gst_weather_demux, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (demux, "demux", GST_RANK_NONE, GST_TYPE_WEATHER_DEMUX);

static void
gst_weather_demux_class_init (GstWeatherDemuxClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "demux",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_weather_demux_init (GstWeatherDemux * self)
{
}
