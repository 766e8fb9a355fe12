/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target for the feed decoder of libgstweather, one target per
 * dialect: WEATHER_FUZZ_FORMAT is a GstWeatherFormat (rtl_433, weewx,
 * pywws, ecowitt or auto).
 *
 * The input is decoded twice: as one message (gst_weather_decoder_decode),
 * and as the values a station publishes one per topic, one "field value"
 * a line (gst_weather_decoder_decode_fields), with a stations file that
 * gives the sea-level reduction an altitude. Whatever the input, the
 * decoder must return without crashing, leaking or tripping a sanitizer;
 * set a GError exactly when it fails, naming the field; and an accepted
 * reading must validate, carry only known flags and a time no more than a
 * day after the arrival.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "fuzz_common.h"

#ifndef WEATHER_FUZZ_FORMAT
#error "WEATHER_FUZZ_FORMAT must be a GstWeatherFormat"
#endif

/* 2024-05-01T12:30:00Z */
#define ARRIVAL (G_GINT64_CONSTANT (1714566600) * GST_SECOND)

static GstWeatherDecoder *decoder;

static void
check (gboolean ok, GError * error, const GstWeatherReading * r,
    const gchar * what)
{
  if (ok && error != NULL)
    weather_fuzz_fail ("%s succeeded but set an error: %s", what,
        error->message);
  if (!ok && error == NULL)
    weather_fuzz_fail ("%s failed without an error", what);
  if (!ok && error->domain != GST_WEATHER_DECODE_ERROR
      && error->domain != GST_WEATHER_ERROR)
    weather_fuzz_fail ("%s failed in another error domain: %s", what,
        error->message);
  if (!ok && strchr (error->message, ':') == NULL)
    weather_fuzz_fail ("%s error does not name the field: %s", what,
        error->message);
  if (ok) {
    GError *err = NULL;

    if (!gst_weather_reading_validate (r, &err))
      weather_fuzz_fail ("%s gave an invalid reading: %s", what, err->message);
    if (r->flags & GST_WEATHER_READING_FLAG_MISSING)
      weather_fuzz_fail ("%s gave a missing slot", what);
    if (WEATHER_FUZZ_FORMAT != GST_WEATHER_FORMAT_AUTO
        && r->created_at > ARRIVAL + 86400 * GST_SECOND)
      weather_fuzz_fail ("%s let a time more than a day ahead through", what);
  }
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GArray *fields = g_array_new (FALSE, FALSE, sizeof (GstWeatherField));
  gchar *text = g_strndup ((const gchar *) data, size), **lines;
  GstWeatherReading r;
  GError *error = NULL;
  gboolean ok;
  guint i;

  weather_fuzz_init_library ();
  if (decoder == NULL) {
    GstWeatherStations *stations = gst_weather_stations_parse
        ("station,altitude_m\nM/1,250\nw,30\n", -1, "fuzz", NULL);

    decoder = gst_weather_decoder_new (WEATHER_FUZZ_FORMAT, NULL);
    gst_weather_decoder_set_timezone (decoder, "Europe/Berlin", NULL);
    gst_weather_decoder_set_station (decoder, "w", NULL);
    gst_weather_decoder_set_stations (decoder, stations);
    gst_weather_stations_unref (stations);
  }

  ok = gst_weather_decoder_decode (decoder, (const gchar *) data, size,
      NULL, ARRIVAL, &r, &error);
  check (ok, error, &r, "decode");
  g_clear_error (&error);

  /* the same bytes as one-value-per-topic messages: "field value" lines,
   * the topic's station for every other input */
  lines = g_strsplit (text, "\n", 256);
  for (i = 0; lines[i]; i++) {
    gchar *space = strchr (lines[i], ' ');
    GstWeatherField f = { lines[i], GST_WEATHER_FIELD_STRING, "", 0 };

    if (space) {
      *space = '\0';
      f.text = space + 1;
    }
    if (g_utf8_validate (f.name, -1, NULL) && g_utf8_validate (f.text, -1,
            NULL))
      g_array_append_val (fields, f);
  }
  ok = gst_weather_decoder_decode_fields (decoder,
      (GstWeatherField *) fields->data, fields->len,
      size % 2 ? "M/1" : NULL, ARRIVAL, &r, &error);
  if (WEATHER_FUZZ_FORMAT != GST_WEATHER_FORMAT_NATIVE)
    check (ok, error, &r, "decode_fields");
  g_clear_error (&error);

  g_strfreev (lines);
  g_array_unref (fields);
  g_free (text);
  return 0;
}
