/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

/**
 * GstWeatherBinLayout:
 * @GST_WEATHER_BIN_LAYOUT_MIXED: one reorderqueue on the mixed stream feeds
 *     a single grouper pad (the shape for many stations)
 * @GST_WEATHER_BIN_LAYOUT_PER_STATION: one reorderqueue on the mixed stream,
 *     then demux with one grouper pad per station, requested when the
 *     station appears and released when its pad goes away
 */
typedef enum
{
  GST_WEATHER_BIN_LAYOUT_MIXED = 0,
  GST_WEATHER_BIN_LAYOUT_PER_STATION = 1,
} GstWeatherBinLayout;

GType gst_weather_bin_layout_get_type (void);
#define GST_TYPE_WEATHER_BIN_LAYOUT (gst_weather_bin_layout_get_type ())

#define GST_TYPE_WEATHER_BIN (gst_weather_bin_get_type ())
G_DECLARE_FINAL_TYPE (GstWeatherBin, gst_weather_bin, GST, WEATHER_BIN,
    GstBin);

G_END_DECLS
