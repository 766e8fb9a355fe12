/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_MQTT_SRC (gst_mqtt_src_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSrc, gst_mqtt_src, GST, MQTT_SRC, GstElement);

struct _GstMqttSrc
{
  GstElement parent;
};

G_DEFINE_TYPE (GstMqttSrc, gst_mqtt_src, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (mqttsrc, "mqttsrc", GST_RANK_NONE, GST_TYPE_MQTT_SRC);

static void
gst_mqtt_src_class_init (GstMqttSrcClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "mqttsrc",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_mqtt_src_init (GstMqttSrc * self)
{
}
