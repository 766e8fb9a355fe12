/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_MQTT_SINK (gst_mqtt_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSink, gst_mqtt_sink, GST, MQTT_SINK, GstElement);

struct _GstMqttSink
{
  GstElement parent;
};

G_DEFINE_TYPE (GstMqttSink, gst_mqtt_sink, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (mqttsink, "mqttsink", GST_RANK_NONE, GST_TYPE_MQTT_SINK);

static void
gst_mqtt_sink_class_init (GstMqttSinkClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "mqttsink",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_mqtt_sink_init (GstMqttSink * self)
{
}
