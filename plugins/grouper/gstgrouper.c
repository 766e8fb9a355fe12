/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_GROUPER (gst_grouper_get_type ())
G_DECLARE_FINAL_TYPE (GstGrouper, gst_grouper, GST, GROUPER, GstElement);

struct _GstGrouper
{
  GstElement parent;
};

G_DEFINE_TYPE (GstGrouper, gst_grouper, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (grouper, "grouper", GST_RANK_NONE, GST_TYPE_GROUPER);

static void
gst_grouper_class_init (GstGrouperClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "grouper",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_grouper_init (GstGrouper * self)
{
}
