/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_BIN (gst_weather_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherBin, gst_weather_bin, GST, WEATHER_BIN,
    GstBin);

G_END_DECLS
