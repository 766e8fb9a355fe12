/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

#include "gstweatherelements.h"
#include "gstweatherenumtypes.h"

G_BEGIN_DECLS

#define GST_TYPE_PREDICTOR (gst_predictor_get_type ())
G_DECLARE_FINAL_TYPE (GstPredictor, gst_predictor, GST, PREDICTOR,
    GstBaseTransform);

G_END_DECLS
