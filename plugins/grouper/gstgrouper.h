/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstaggregator.h>
#include <gst/weather/weather.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

/* Ranges and defaults that weatherbin's proxied properties repeat. */
#define GST_GROUPER_DEFAULT_WINDOW GST_SECOND
#define GST_GROUPER_MIN_WINDOW GST_MSECOND
#define GST_GROUPER_MAX_WINDOW ((guint64) G_MAXINT64)
#define GST_GROUPER_DEFAULT_MIN_STATIONS 1
#define GST_GROUPER_DEFAULT_QUORUM_POLICY GST_GROUPER_QUORUM_EMIT_INCOMPLETE
#define GST_GROUPER_DEFAULT_STATION_TIMEOUT (3600 * GST_SECOND)
#define GST_GROUPER_MAX_STATION_TIMEOUT ((guint64) G_MAXINT64)
#define GST_GROUPER_DEFAULT_MAX_STATIONS GST_WEATHER_GROUP_MAX_SLOTS
#define GST_GROUPER_DEFAULT_MAX_SIZE_BYTES \
    (G_GUINT64_CONSTANT (256) * 1024 * 1024)
#define GST_GROUPER_DEFAULT_GROUP_BY GST_WEATHER_KEY_ALL

#define GST_TYPE_GROUPER_PAD (gst_grouper_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouperPad, gst_grouper_pad, GST, GROUPER_PAD,
    GstAggregatorPad);

#define GST_TYPE_GROUPER (gst_grouper_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouper, gst_grouper, GST, GROUPER, GstAggregator);

G_END_DECLS
