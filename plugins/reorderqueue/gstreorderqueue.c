/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Placeholder: replaced by the real element.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherelements.h"

#define GST_TYPE_REORDER_QUEUE (gst_reorder_queue_get_type ())
G_DECLARE_FINAL_TYPE (GstReorderQueue, gst_reorder_queue, GST, REORDER_QUEUE, GstElement);

struct _GstReorderQueue
{
  GstElement parent;
};

G_DEFINE_TYPE (GstReorderQueue, gst_reorder_queue, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE (reorderqueue, "reorderqueue", GST_RANK_NONE, GST_TYPE_REORDER_QUEUE);

static void
gst_reorder_queue_class_init (GstReorderQueueClass * klass)
{
  gst_element_class_set_static_metadata (GST_ELEMENT_CLASS (klass), "reorderqueue",
      "Generic", "Placeholder", "gst-weather");
}

static void
gst_reorder_queue_init (GstReorderQueue * self)
{
}
