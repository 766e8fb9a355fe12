/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The JSON parser's fast path against its strict path (jsondiff.h): the
 * input as one payload, then each of its lines, at the reading's and at
 * a small size limit. Any disagreement aborts.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>

#include "jsondiff.h"

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static void
check (GstWeatherJsonReader * reader, const gchar * data, gsize len)
{
  static const gsize limits[] = { GST_WEATHER_JSON_MAX_SIZE, 64 };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (limits); i++) {
    gboolean decided;
    gchar *why = json_diff_check (reader, data, len, limits[i], &decided);

    if (why) {
      fprintf (stderr, "fast and strict paths disagree (limit %"
          G_GSIZE_FORMAT "): %s\ninput: %.*s\n", limits[i], why, (int) len,
          data);
      abort ();
    }
  }
}

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  static GstWeatherJsonReader *reader;
  const gchar *text = (const gchar *) data, *end = text + size;

  if (reader == NULL)
    reader = gst_weather_priv_json_reader_new ();
  check (reader, text, size);
  while (text < end) {
    const gchar *nl = memchr (text, '\n', end - text);
    gsize len = nl ? (gsize) (nl - text) : (gsize) (end - text);

    check (reader, text, len);
    text += len + 1;
  }
  return 0;
}
