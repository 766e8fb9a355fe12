/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

/* The default lateness budget (weatherbin's latency has it too). */
#define GST_REORDER_QUEUE_DEFAULT_LATENCY (200 * GST_MSECOND)

#define GST_TYPE_REORDER_QUEUE (gst_reorder_queue_get_type ())
G_DECLARE_FINAL_TYPE (GstReorderQueue, gst_reorder_queue, GST, REORDER_QUEUE,
    GstElement);

G_END_DECLS
