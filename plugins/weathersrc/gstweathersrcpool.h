/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The buffer pool weathersrc's readings come from when downstream proposes
 * none.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_TYPE_WEATHER_SRC_POOL (gst_weather_src_pool_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherSrcPool, gst_weather_src_pool,
    GST, WEATHER_SRC_POOL, GstBufferPool)

GstBufferPool * gst_weather_src_pool_new (void);

G_END_DECLS
