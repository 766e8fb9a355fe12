/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

#define GST_TYPE_MQTT_SRC (gst_mqtt_src_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSrc, gst_mqtt_src, GST, MQTT_SRC, GstPushSrc);

/**
 * GstMqttSrcStationFrom:
 * @GST_MQTT_SRC_STATION_FROM_PAYLOAD: the station named in the JSON payload
 * @GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL: the topic level at
 *     #GstMqttSrc:station-topic-level (percent-decoded)
 */
typedef enum
{
  GST_MQTT_SRC_STATION_FROM_PAYLOAD,
  GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL,
} GstMqttSrcStationFrom;

GType gst_mqtt_src_station_from_get_type (void);
#define GST_TYPE_MQTT_SRC_STATION_FROM (gst_mqtt_src_station_from_get_type ())

G_END_DECLS
