/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>

G_BEGIN_DECLS

#define GST_WEATHER_ERROR (gst_weather_error_quark ())

/**
 * GstWeatherError:
 * @GST_WEATHER_ERROR_TOO_LARGE: the payload exceeds its size limit
 * @GST_WEATHER_ERROR_UTF8: text that is not valid UTF-8
 * @GST_WEATHER_ERROR_SYNTAX: not JSON, or JSON followed by trailing garbage
 * @GST_WEATHER_ERROR_TYPE: a field of the wrong JSON type
 * @GST_WEATHER_ERROR_MISSING: a required field is absent
 * @GST_WEATHER_ERROR_RANGE: a value outside its documented range
 * @GST_WEATHER_ERROR_VERSION: a schema version this library does not read
 * @GST_WEATHER_ERROR_SIZE: a binary record of the wrong size
 *
 * Every error message starts with the name of the field at fault (or
 * "payload" when it concerns the whole message) followed by a colon.
 */
typedef enum
{
  GST_WEATHER_ERROR_TOO_LARGE,
  GST_WEATHER_ERROR_UTF8,
  GST_WEATHER_ERROR_SYNTAX,
  GST_WEATHER_ERROR_TYPE,
  GST_WEATHER_ERROR_MISSING,
  GST_WEATHER_ERROR_RANGE,
  GST_WEATHER_ERROR_VERSION,
  GST_WEATHER_ERROR_SIZE,
} GstWeatherError;

GST_WEATHER_API
GQuark          gst_weather_error_quark             (void);

G_END_DECLS
