/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasesink.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_MQTT_SINK (gst_mqtt_sink_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSink, gst_mqtt_sink, GST, MQTT_SINK, GstBaseSink);

G_END_DECLS
