/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * libFuzzer target for the strict JSON decoders of libgstweather. The same
 * file builds three targets: WEATHER_FUZZ_RECORD selects the reading (1),
 * group (2) or prediction (3) decoder.
 *
 * Whatever the input, a decoder must return without crashing, leaking or
 * tripping a sanitizer, and must set a GError exactly when it fails. An
 * accepted input must survive the trip through the encoder: encoding the
 * decoded record and decoding that text again gives an equal record, and
 * encoding that once more gives the same bytes (the canonical form of
 * docs/schema.md).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include <gst/weather/weather.h>

#include "fuzz_common.h"

#ifndef WEATHER_FUZZ_RECORD
#error "WEATHER_FUZZ_RECORD must be 1 (reading), 2 (group) or 3 (prediction)"
#endif

static gboolean
same_double (gdouble a, gdouble b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

G_GNUC_UNUSED static gboolean
same_reading (const GstWeatherReading * a, const GstWeatherReading * b)
{
  return a->station_id == b->station_id && a->flags == b->flags &&
      a->created_at == b->created_at && a->received_at == b->received_at &&
      a->sequence == b->sequence &&
      same_double (a->temperature_c, b->temperature_c) &&
      same_double (a->pressure_hpa, b->pressure_hpa) &&
      same_double (a->humidity_pct, b->humidity_pct) &&
      same_double (a->wind_speed_ms, b->wind_speed_ms) &&
      same_double (a->wind_direction_deg, b->wind_direction_deg) &&
      strcmp (a->station_name, b->station_name) == 0;
}

#if WEATHER_FUZZ_RECORD == 2
static gboolean
same_group (const GstWeatherGroup * a, const GstWeatherGroup * b)
{
  guint32 i;

  if (a->window_start != b->window_start || a->window_end != b->window_end
      || a->flags != b->flags || a->n_slots != b->n_slots
      || a->n_present != b->n_present || !gst_weather_key_equal (&a->key,
          &b->key))
    return FALSE;
  for (i = 0; i < a->n_slots; i++) {
    if (!same_reading (&a->slots[i], &b->slots[i]))
      return FALSE;
  }
  return TRUE;
}
#endif

#if WEATHER_FUZZ_RECORD == 3
static gboolean
same_prediction (const GstWeatherPrediction * a, const GstWeatherPrediction * b)
{
  return a->window_start == b->window_start && a->window_end == b->window_end
      && a->model == b->model && a->flags == b->flags &&
      same_double (a->chance_of_rain_pct, b->chance_of_rain_pct) &&
      same_double (a->mean_pressure_hpa, b->mean_pressure_hpa) &&
      same_double (a->pressure_trend_hpa, b->pressure_trend_hpa) &&
      same_double (a->mean_temperature_c, b->mean_temperature_c) &&
      a->stations_used == b->stations_used &&
      a->stations_missing == b->stations_missing &&
      a->letter == b->letter && strcmp (a->forecast, b->forecast) == 0 &&
      gst_weather_key_equal (&a->key, &b->key);
}
#endif

/* Checks the GError contract of one decoder call. */
static void
check_error_contract (gboolean ok, GError * error, const gchar * what)
{
  if (ok && error != NULL)
    weather_fuzz_fail ("%s succeeded but set an error: %s", what,
        error->message);
  if (!ok && error == NULL)
    weather_fuzz_fail ("%s failed without an error", what);
  if (!ok && error->domain != GST_WEATHER_ERROR)
    weather_fuzz_fail ("%s failed with an error outside GST_WEATHER_ERROR: "
        "%s", what, error->message);
  if (!ok && (error->message == NULL || strchr (error->message, ':') == NULL))
    weather_fuzz_fail ("%s error does not name the field: %s", what,
        GST_STR_NULL (error->message));
}

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 * data, size_t size)
{
  GError *error = NULL;
  GString *first, *second;
  gboolean ok;

  weather_fuzz_init_library ();

  first = g_string_new (NULL);
  second = g_string_new (NULL);

#if WEATHER_FUZZ_RECORD == 1
  {
    GstWeatherReading a, b;

    ok = gst_weather_reading_from_json ((const gchar *) data, size, &a, &error);
    check_error_contract (ok, error, "reading decoder");
    if (ok) {
      if (!gst_weather_reading_validate (&a, &error))
        weather_fuzz_fail ("decoder accepted an invalid reading: %s",
            error->message);
      gst_weather_reading_to_json (&a, first);
      if (!gst_weather_reading_from_json (first->str, first->len, &b, &error))
        weather_fuzz_fail ("encoder output rejected: %s\n%s", error->message,
            first->str);
      if (!same_reading (&a, &b))
        weather_fuzz_fail ("reading changed through encode/decode:\n%s",
            first->str);
      gst_weather_reading_to_json (&b, second);
    }
  }
#elif WEATHER_FUZZ_RECORD == 2
  {
    GstWeatherGroup a = { 0, }, b = { 0, };

    ok = gst_weather_group_from_json ((const gchar *) data, size, &a, &error);
    check_error_contract (ok, error, "group decoder");
    if (ok) {
      if (!gst_weather_group_validate (&a, &error))
        weather_fuzz_fail ("decoder accepted an invalid group: %s",
            error->message);
      gst_weather_group_to_json (&a, first);
      if (!gst_weather_group_from_json (first->str, first->len, &b, &error))
        weather_fuzz_fail ("encoder output rejected: %s\n%s", error->message,
            first->str);
      if (!same_group (&a, &b))
        weather_fuzz_fail ("group changed through encode/decode:\n%s",
            first->str);
      gst_weather_group_to_json (&b, second);
    }
    gst_weather_group_clear (&a);
    gst_weather_group_clear (&b);
  }
#elif WEATHER_FUZZ_RECORD == 3
  {
    GstWeatherPrediction a, b;

    ok = gst_weather_prediction_from_json ((const gchar *) data, size, &a,
        &error);
    check_error_contract (ok, error, "prediction decoder");
    if (ok) {
      if (!gst_weather_prediction_validate (&a, &error))
        weather_fuzz_fail ("decoder accepted an invalid prediction: %s",
            error->message);
      gst_weather_prediction_to_json (&a, first);
      if (!gst_weather_prediction_from_json (first->str, first->len, &b,
              &error))
        weather_fuzz_fail ("encoder output rejected: %s\n%s", error->message,
            first->str);
      if (!same_prediction (&a, &b))
        weather_fuzz_fail ("prediction changed through encode/decode:\n%s",
            first->str);
      gst_weather_prediction_to_json (&b, second);
    }
  }
#endif

  if (ok && strcmp (first->str, second->str) != 0)
    weather_fuzz_fail ("encoding is not canonical:\n%s\n%s", first->str,
        second->str);

  g_clear_error (&error);
  g_string_free (first, TRUE);
  g_string_free (second, TRUE);
  return 0;
}
