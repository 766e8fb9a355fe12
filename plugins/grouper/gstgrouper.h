/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstaggregator.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

/**
 * GstGrouperQuorumPolicy:
 * @GST_GROUPER_QUORUM_EMIT_INCOMPLETE: a window below min-stations is
 *     emitted with the INCOMPLETE flag
 * @GST_GROUPER_QUORUM_SKIP: a window below min-stations is not emitted
 */
typedef enum
{
  GST_GROUPER_QUORUM_EMIT_INCOMPLETE = 0,
  GST_GROUPER_QUORUM_SKIP = 1,
} GstGrouperQuorumPolicy;

#define GST_TYPE_GROUPER_QUORUM_POLICY (gst_grouper_quorum_policy_get_type ())
GType gst_grouper_quorum_policy_get_type (void);

#define GST_TYPE_GROUPER_PAD (gst_grouper_pad_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouperPad, gst_grouper_pad, GST, GROUPER_PAD,
    GstAggregatorPad);

#define GST_TYPE_GROUPER (gst_grouper_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouper, gst_grouper, GST, GROUPER, GstAggregator);

G_END_DECLS
