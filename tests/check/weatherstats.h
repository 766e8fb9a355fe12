/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reading the counters of an element's "stats" property in a test.
 */
#pragma once

#include <gst/check/gstcheck.h>

G_BEGIN_DECLS

/* The guint64 counter @field of @element's "stats" structure; fails the
 * test when the structure or the field is missing. */
static inline guint64
weather_stat_u64 (gpointer element, const gchar * field)
{
  GstStructure *s = NULL;
  guint64 v = G_MAXUINT64;

  g_object_get (element, "stats", &s, NULL);
  fail_unless (s != NULL, "no stats");
  fail_unless (gst_structure_get_uint64 (s, field, &v), "no %s in %"
      GST_PTR_FORMAT, field, s);
  gst_structure_free (s);
  return v;
}

G_END_DECLS
