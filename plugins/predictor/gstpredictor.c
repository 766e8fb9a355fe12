/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_PREDICTOR (gst_predictor_get_type ())
G_DECLARE_FINAL_TYPE (GstPredictor, gst_predictor, GST, PREDICTOR, GstElement);

struct _GstPredictor
{
  GstElement parent;
};

G_DEFINE_TYPE (GstPredictor, gst_predictor, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (predictor, "predictor", GST_RANK_NONE, GST_TYPE_PREDICTOR);

static void
gst_predictor_class_init (GstPredictorClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "predictor",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_predictor_init (GstPredictor * self)
{
}
