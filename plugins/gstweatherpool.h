/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The buffer pool readings come from (in weathersrc and weatherparse)
 * when downstream proposes none.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_POOL (gst_weather_pool_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherPool, gst_weather_pool,
    GST, WEATHER_POOL, GstBufferPool)

GstBufferPool * gst_weather_pool_new (void);

GstBufferPool * gst_weather_pool_decide (GstPad * srcpad, GstCaps * caps);

G_END_DECLS
