/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>
#include <gst/weather/gstweathererror.h>
#include <gst/weather/gstweatherreading.h>
#include <gst/weather/gstweatherkey.h>
#include <gst/weather/gstweathergroup.h>
#include <gst/weather/gstweatherprediction.h>
#include <gst/weather/gstweather-enumtypes.h>
#include <gst/weather/gstweatherjson.h>
#include <gst/weather/gstweathertime.h>
#include <gst/weather/gstweatherunits.h>
#include <gst/weather/gstweatherstations.h>
#include <gst/weather/gstweatherdecoder.h>

G_BEGIN_DECLS

/* Registers the library's debug category and GTypes; elements call it from
 * plugin_init, applications may call it after gst_init(). Idempotent. */
GST_WEATHER_API
void            gst_weather_init                    (void);

G_END_DECLS
