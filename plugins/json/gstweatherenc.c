/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_WEATHER_ENC (gst_weather_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherEnc, gst_weather_enc, GST, WEATHER_ENC, GstElement);

struct _GstWeatherEnc
{
  GstElement parent;
};

G_DEFINE_TYPE (GstWeatherEnc, gst_weather_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (weatherenc, "weatherenc", GST_RANK_NONE, GST_TYPE_WEATHER_ENC);

static void
gst_weather_enc_class_init (GstWeatherEncClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "weatherenc",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_weather_enc_init (GstWeatherEnc * self)
{
}
