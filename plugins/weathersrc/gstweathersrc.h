/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstpushsrc.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_SRC (gst_weather_src_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherSrc, gst_weather_src, GST, WEATHER_SRC,
    GstPushSrc);

G_END_DECLS
