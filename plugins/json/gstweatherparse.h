/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_PARSE (gst_weather_parse_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherParse, gst_weather_parse, GST, WEATHER_PARSE,
    GstElement);

G_END_DECLS
