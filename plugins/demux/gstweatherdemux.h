/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

/* The default idle-timeout (weatherbin's has it too). */
#define GST_WEATHER_DEMUX_DEFAULT_IDLE_TIMEOUT (5 * GST_SECOND)

#define GST_TYPE_WEATHER_DEMUX (gst_weather_demux_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherDemux, gst_weather_demux, GST, WEATHER_DEMUX,
    GstElement);

G_END_DECLS
