/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

#define GST_TYPE_MQTT_SINK (gst_mqtt_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSink, gst_mqtt_sink, GST, MQTT_SINK, GstBaseSink);

/**
 * GstMqttSinkQueuePolicy:
 * @GST_MQTT_SINK_QUEUE_POLICY_BLOCK: block upstream until there is room
 * @GST_MQTT_SINK_QUEUE_POLICY_DROP_OLDEST: drop the oldest queued message,
 *     count it in stats and warn
 */
typedef enum
{
  GST_MQTT_SINK_QUEUE_POLICY_BLOCK,
  GST_MQTT_SINK_QUEUE_POLICY_DROP_OLDEST,
} GstMqttSinkQueuePolicy;

GType gst_mqtt_sink_queue_policy_get_type (void);
#define GST_TYPE_MQTT_SINK_QUEUE_POLICY (gst_mqtt_sink_queue_policy_get_type ())

G_END_DECLS
