/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_MQTT_SRC (gst_mqtt_src_get_type ())
G_DECLARE_FINAL_TYPE (GstMqttSrc, gst_mqtt_src, GST, MQTT_SRC, GstPushSrc);

G_END_DECLS
