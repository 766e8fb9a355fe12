/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/gstweatherreading.h>
#include <gst/weather/gstweathergroup.h>
#include <gst/weather/gstweatherprediction.h>

G_BEGIN_DECLS

/**
 * GST_WEATHER_JSON_MAX_SIZE:
 *
 * Largest reading or prediction payload the decoder accepts, in bytes.
 */
#define GST_WEATHER_JSON_MAX_SIZE 65536

/**
 * GST_WEATHER_JSON_GROUP_MAX_SIZE:
 *
 * Largest group payload the decoder accepts, in bytes (a group holds one
 * slot per station).
 */
#define GST_WEATHER_JSON_GROUP_MAX_SIZE (64 * 1024 * 1024)

/* The encoders write one JSON object, no newline, in the canonical form of
 * docs/schema.md (fixed field order, timestamps as RFC 3339 UTC with nine
 * fractional digits, numbers in their shortest round-trip form, NaN as
 * null), so that decode then encode gives back the same bytes. They append
 * to @out. */
GST_WEATHER_API
void            gst_weather_reading_to_json         (const GstWeatherReading * reading,
                                                     GString * out);

GST_WEATHER_API
void            gst_weather_group_to_json           (const GstWeatherGroup * group,
                                                     GString * out);

GST_WEATHER_API
void            gst_weather_prediction_to_json      (const GstWeatherPrediction * prediction,
                                                     GString * out);

/* The strict decoders. @len may be -1 for a NUL-terminated string. On
 * failure @error names the field and the problem; the output is left
 * unspecified (groups: call gst_weather_group_clear() anyway). */
GST_WEATHER_API
gboolean        gst_weather_reading_from_json       (const gchar * data,
                                                     gssize len,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

GST_WEATHER_API
gboolean        gst_weather_group_from_json         (const gchar * data,
                                                     gssize len,
                                                     GstWeatherGroup * group,
                                                     GError ** error);

GST_WEATHER_API
gboolean        gst_weather_prediction_from_json    (const gchar * data,
                                                     gssize len,
                                                     GstWeatherPrediction * prediction,
                                                     GError ** error);

G_END_DECLS
