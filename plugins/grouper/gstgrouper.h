/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstaggregator.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_GROUPER_PAD (gst_grouper_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouperPad, gst_grouper_pad, GST, GROUPER_PAD,
    GstAggregatorPad);

#define GST_TYPE_GROUPER (gst_grouper_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouper, gst_grouper, GST, GROUPER, GstAggregator);

G_END_DECLS
