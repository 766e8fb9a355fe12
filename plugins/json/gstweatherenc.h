/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_ENC (gst_weather_enc_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherEnc, gst_weather_enc, GST, WEATHER_ENC,
    GstElement);

G_END_DECLS
