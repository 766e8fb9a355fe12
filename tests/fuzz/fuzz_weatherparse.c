/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target for the weatherparse element: the input is a file of
 * JSON lines fed through a GstHarness in chunks, then EOS.
 *
 * The first byte is a set of options (bit 0: strict=true; bits 1-7: the
 * chunk size the rest is pushed in, 0 = one buffer), so the fuzzer also
 * explores lines split across buffers. Whatever the input, the element must
 * not crash, hang, leak or raise a GLib warning, and every buffer it pushes
 * must be a valid reading record.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstharness.h>
#include <gst/weather/weather.h>

#include "fuzz_common.h"

static GstCaps *
weatherparse_input_caps (GstHarness * h)
{
  GstPad *sinkpad = gst_element_get_static_pad (h->element, "sink");
  GstCaps *caps;

  if (sinkpad == NULL)
    weather_fuzz_fail ("weatherparse has no sink pad");
  caps = gst_pad_query_caps (sinkpad, NULL);
  gst_object_unref (sinkpad);
  if (gst_caps_is_any (caps) || gst_caps_is_empty (caps)) {
    gst_caps_unref (caps);
    return gst_caps_new_empty_simple ("application/x-json-lines");
  }
  return gst_caps_fixate (caps);
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GstHarness *h;
  GstCaps *caps;
  GstBuffer *buf;
  gsize offset, chunk, lines = 1, i;
  guint outputs = 0;
  gboolean strict;

  weather_fuzz_init_plugin ();

  if (size < 1)
    return 0;
  strict = data[0] & 1;
  chunk = data[0] >> 1;
  data++;
  size--;
  if (chunk == 0)
    chunk = MAX (size, 1);
  for (i = 0; i < size; i++)
    if (data[i] == '\n')
      lines++;

  h = gst_harness_new ("weatherparse");
  if (h == NULL)
    weather_fuzz_fail ("cannot make a weatherparse harness");
  g_object_set (h->element, "strict", strict, NULL);
  caps = weatherparse_input_caps (h);
  gst_harness_set_src_caps (h, caps);

  for (offset = 0; offset < size; offset += chunk) {
    gsize n = MIN (chunk, size - offset);
    GstFlowReturn ret;

    buf = gst_buffer_new_memdup (data + offset, n);
    ret = gst_harness_push (h, buf);
    /* A strict parser stops at the first bad line with an error: the flow
     * return says so, nothing more may be pushed. */
    if (ret != GST_FLOW_OK)
      break;
  }
  gst_harness_push_event (h, gst_event_new_eos ());

  while ((buf = gst_harness_try_pull (h)) != NULL) {
    GstWeatherReading reading;
    GError *error = NULL;

    if (!gst_weather_reading_from_buffer (buf, &reading, &error))
      weather_fuzz_fail ("weatherparse pushed an invalid reading: %s",
          error->message);
    gst_buffer_unref (buf);
    outputs++;
  }
  if (outputs > lines)
    weather_fuzz_fail ("%u readings out of %" G_GSIZE_FORMAT " lines",
        outputs, lines);

  gst_harness_teardown (h);
  return 0;
}
