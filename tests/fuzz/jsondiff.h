/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The differential check of the JSON parser's two paths, shared by the
 * fuzz target fuzz-json-fast and tests/check/libs/jsonfast.c: whatever
 * the fast path (simdjson) decides, the strict path (scanner and
 * json-glib) must accept with the very same members. Built against the
 * library's objects, so that it reaches its internal functions.
 */
#pragma once

#include <string.h>

#include "gst/weather/gstweatherjsonparser.h"

/* Why two views differ, or NULL when they are the same. */
static inline gchar *
json_diff_members (const GArray * fast, const GArray * strict)
{
  guint i;

  if (fast->len != strict->len)
    return g_strdup_printf ("%u members on the fast path, %u on the strict",
        fast->len, strict->len);
  for (i = 0; i < fast->len; i++) {
    const GstWeatherJsonMember *a =
        &g_array_index (fast, GstWeatherJsonMember, i);
    const GstWeatherJsonMember *b =
        &g_array_index (strict, GstWeatherJsonMember, i);
    gboolean same;

    if (strcmp (a->name, b->name) != 0)
      return g_strdup_printf ("member %u: name \"%s\" against \"%s\"", i,
          a->name, b->name);
    if (a->kind != b->kind)
      return g_strdup_printf ("%s: kind %d against %d", a->name, a->kind,
          b->kind);
    switch (a->kind) {
      case GST_WEATHER_JSON_BOOLEAN:
        same = !a->boolean == !b->boolean;
        break;
      case GST_WEATHER_JSON_INTEGER:
        same = a->integer == b->integer;
        break;
      case GST_WEATHER_JSON_DOUBLE:
        /* the same bits: -0.0 and 0.0 differ here */
        same = memcmp (&a->number, &b->number, sizeof (gdouble)) == 0;
        break;
      case GST_WEATHER_JSON_STRING:
        same = a->text_len == b->text_len
            && memcmp (a->text, b->text, a->text_len + 1) == 0;
        break;
      case GST_WEATHER_JSON_NULL:
        same = TRUE;
        break;
      default:
        /* the fast path reads no object or array */
        same = FALSE;
        break;
    }
    if (!same)
      return g_strdup_printf ("%s: values differ (%.17g / %" G_GINT64_FORMAT
          " / \"%s\" against %.17g / %" G_GINT64_FORMAT " / \"%s\")",
          a->name, a->number, a->integer, a->text ? a->text : "",
          b->number, b->integer, b->text ? b->text : "");
  }
  return NULL;
}

/* Reads @data both ways with @max_size. Returns why they disagree (free
 * it), or NULL; *@decided tells whether the fast path decided. */
static inline gchar *
json_diff_check (GstWeatherJsonReader * reader, const gchar * data,
    gsize len, gsize max_size, gboolean * decided)
{
  GArray *fast = g_array_new (FALSE, FALSE, sizeof (GstWeatherJsonMember));
  GArray *strict = g_array_new (FALSE, FALSE, sizeof (GstWeatherJsonMember));
  JsonParser *parser;
  JsonObject *object;
  GError *error = NULL;
  gchar *why = NULL;

  *decided = gst_weather_priv_json_reader_read (reader, data, len, max_size,
      fast);
  parser = gst_weather_priv_json_parse (data, len, max_size, &object, &error);
  if (*decided && parser == NULL)
    why = g_strdup_printf ("the fast path accepts what the strict path "
        "refuses: %s", error->message);
  if (!*decided && fast->len != 0)
    why = g_strdup ("undecided, but members were left behind");
  if (*decided && parser) {
    gst_weather_priv_json_object_members (object, strict);
    why = json_diff_members (fast, strict);
  }
  g_clear_error (&error);
  g_clear_object (&parser);
  g_array_unref (fast);
  g_array_unref (strict);
  return why;
}
