/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Records of version 1, as writers made them before keys, for the tests of
 * the readers that still take them (docs/schema.md, "Versions").
 */
#pragma once

#include <string.h>

#include <gst/gst.h>

G_BEGIN_DECLS

/* The version 1 record of the version 2 group record in @v2: bytes 0–27
 * of the header, a zero word (reserved in version 1), then the slots. */
static inline GstBuffer *
weather_group_v1_from_v2 (GstBuffer * v2)
{
  GstBuffer *v1 = gst_buffer_new_allocate (NULL,
      gst_buffer_get_size (v2) - 64, NULL);
  GstMapInfo in, out;

  gst_buffer_map (v2, &in, GST_MAP_READ);
  gst_buffer_map (v1, &out, GST_MAP_WRITE);
  memcpy (out.data, in.data, 28);
  memset (out.data + 28, 0, 4);
  memcpy (out.data + 32, in.data + 96, in.size - 96);
  gst_buffer_unmap (v1, &out);
  gst_buffer_unmap (v2, &in);
  return v1;
}

G_END_DECLS
