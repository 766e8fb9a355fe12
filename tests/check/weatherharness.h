/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A GstHarness whose upstream is live or not from the very start.
 *
 * GstHarness answers latency queries as live until gst_harness_set_live()
 * says otherwise, and it sets the element to PLAYING as it is built.
 * GstAggregator asks for the latency as soon as its task runs and may
 * keep that first answer past the first buffer (the query runs without
 * its lock), so an aggregator harnessed with gst_harness_new() and turned
 * non-live afterwards can, once in a while, run live. Building the harness
 * empty, setting the liveness and only then adding the element leaves no
 * such window.
 */
#pragma once

#include <gst/check/gstharness.h>

G_BEGIN_DECLS

/* @element: (transfer none), as for gst_harness_new_full(); a NULL pad
 * name leaves that side of the element unlinked. */
static inline GstHarness *
weather_harness_new (GstElement * element, const gchar * sinkpad,
    const gchar * srcpad, gboolean live)
{
  static GstStaticPadTemplate hsrc = GST_STATIC_PAD_TEMPLATE ("src",
      GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
  static GstStaticPadTemplate hsink = GST_STATIC_PAD_TEMPLATE ("sink",
      GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS_ANY);
  GstHarness *h = gst_harness_new_empty ();

  gst_harness_set_live (h, live);
  gst_harness_add_element_full (h, element, &hsrc, sinkpad, &hsink, srcpad);
  return h;
}

/* The same for a new element of @factory. */
static inline GstHarness *
weather_harness_new_by_name (const gchar * factory, const gchar * sinkpad,
    const gchar * srcpad, gboolean live)
{
  GstElement *element = gst_element_factory_make (factory, NULL);
  GstHarness *h;

  g_assert (element != NULL);
  h = weather_harness_new (element, sinkpad, srcpad, live);
  gst_object_unref (element);
  return h;
}

G_END_DECLS
