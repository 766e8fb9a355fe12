/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>
#include <gst/base/gstbasetransform.h>

#include "gstweatherelements.h"

G_BEGIN_DECLS

/**
 * GstPredictorHemisphere:
 * @GST_PREDICTOR_HEMISPHERE_NORTH: northern hemisphere
 * @GST_PREDICTOR_HEMISPHERE_SOUTH: southern hemisphere: the wind is turned
 *     by 180° and the seasons are swapped
 */
typedef enum
{
  GST_PREDICTOR_HEMISPHERE_NORTH = 0,
  GST_PREDICTOR_HEMISPHERE_SOUTH = 1,
} GstPredictorHemisphere;

#define GST_TYPE_PREDICTOR_HEMISPHERE (gst_predictor_hemisphere_get_type ())
GType gst_predictor_hemisphere_get_type (void);

#define GST_TYPE_PREDICTOR (gst_predictor_get_type ())
G_DECLARE_FINAL_TYPE (GstPredictor, gst_predictor, GST, PREDICTOR,
    GstBaseTransform);

G_END_DECLS
