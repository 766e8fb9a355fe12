/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/gstweatherreading.h>
#include <gst/weather/gstweatherkey.h>

G_BEGIN_DECLS

/**
 * GST_WEATHER_PREDICTION_VERSION:
 *
 * The version of the prediction record this library writes: 2, the
 * record of version 1 followed by the key (docs/schema.md). Version 1 is
 * still read, with the key of all stations:
 * %GST_WEATHER_PREDICTION_CAPS_ANY_VERSION.
 */
#define GST_WEATHER_PREDICTION_VERSION 2
#define GST_WEATHER_PREDICTION_CAPS "application/x-weather-prediction, version=(int)2"
#define GST_WEATHER_PREDICTION_CAPS_ANY_VERSION "application/x-weather-prediction, version=(int)[ 1, 2 ]"
#define GST_WEATHER_PREDICTION_MEDIA_TYPE "application/x-weather-prediction"
#define GST_WEATHER_PREDICTION_SIZE 192
#define GST_WEATHER_PREDICTION_V1_SIZE 128
#define GST_WEATHER_FORECAST_SIZE 56

/**
 * GstWeatherModel:
 * @GST_WEATHER_MODEL_ZAMBRETTI: the Negretti & Zambra forecaster, pywws
 *     variant (docs/predictor.md)
 * @GST_WEATHER_MODEL_SEED: chance of rain = mean temperature / max
 *     temperature, the original talk's toy rule
 */
typedef enum
{
  GST_WEATHER_MODEL_ZAMBRETTI = 0,
  GST_WEATHER_MODEL_SEED = 1,
} GstWeatherModel;

/* "zambretti", "seed"; NULL for an unknown value. */
GST_WEATHER_API
const gchar *   gst_weather_model_to_string         (GstWeatherModel model);

/**
 * GstWeatherPredictionFlags:
 * @GST_WEATHER_PREDICTION_FLAG_NONE: nothing special
 * @GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED: less than 3 hours of
 *     pressure history: the trend is the documented fallback
 * @GST_WEATHER_PREDICTION_FLAG_NO_DATA: the inputs held nothing usable
 *     (no pressure for zambretti, no temperature for seed); the prediction
 *     carries the documented default
 * @GST_WEATHER_PREDICTION_FLAG_INCOMPLETE: made from a group below quorum
 */
typedef enum
{
  GST_WEATHER_PREDICTION_FLAG_NONE = 0,
  GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED = (1 << 0),
  GST_WEATHER_PREDICTION_FLAG_NO_DATA = (1 << 1),
  GST_WEATHER_PREDICTION_FLAG_INCOMPLETE = (1 << 2),
} GstWeatherPredictionFlags;

/**
 * GstWeatherPrediction:
 * @window_start: ns since the UNIX epoch
 * @window_end: ns since the UNIX epoch (exclusive)
 * @model: the #GstWeatherModel that made it
 * @flags: #GstWeatherPredictionFlags
 * @chance_of_rain_pct: 0–100
 * @mean_pressure_hpa: mean sea-level pressure of the stations used (NaN:
 *     none)
 * @pressure_trend_hpa: pressure change over the last 3 hours, hPa (NaN:
 *     unknown)
 * @mean_temperature_c: mean temperature of the stations used (NaN: none)
 * @stations_used: stations whose readings went into the prediction
 * @stations_missing: stations expected in the window that had no reading
 * @letter: Zambretti letter 'A'–'Z', or 0 when the model has none
 * @forecast: UTF-8 forecast text, NUL terminated
 * @key: the key of the group the prediction was made from
 */
typedef struct
{
  gint64 window_start;
  gint64 window_end;
  guint32 model;
  guint32 flags;
  gdouble chance_of_rain_pct;
  gdouble mean_pressure_hpa;
  gdouble pressure_trend_hpa;
  gdouble mean_temperature_c;
  guint32 stations_used;
  guint32 stations_missing;
  gchar letter;
  gchar forecast[GST_WEATHER_FORECAST_SIZE];
  GstWeatherKey key;
} GstWeatherPrediction;

GST_WEATHER_API
GstCaps *       gst_weather_prediction_caps_new     (void);

/* Measurements NaN, the key of all stations, everything else zero. */
GST_WEATHER_API
void            gst_weather_prediction_init         (GstWeatherPrediction * prediction);

GST_WEATHER_API
gboolean        gst_weather_prediction_validate     (const GstWeatherPrediction * prediction,
                                                     GError ** error);

/* The version 2 record, GST_WEATHER_PREDICTION_SIZE bytes at @data. */
GST_WEATHER_API
void            gst_weather_prediction_write        (const GstWeatherPrediction * prediction,
                                                     guint8 * data);

/* Unpacks a version 2 record without validating it. */
GST_WEATHER_API
void            gst_weather_prediction_read         (GstWeatherPrediction * prediction,
                                                     const guint8 * data);

GST_WEATHER_API
GstBuffer *     gst_weather_prediction_to_buffer    (const GstWeatherPrediction * prediction);

/* Checks the size, unpacks and validates a version 2 record. */
GST_WEATHER_API
gboolean        gst_weather_prediction_from_buffer  (GstBuffer * buffer,
                                                     GstWeatherPrediction * prediction,
                                                     GError ** error);

/* The same for a record of @version (the `version` of the stream's caps):
 * 1 (128 bytes) is read with the key of all stations, 2 as above; any
 * other version fails with GST_WEATHER_ERROR_VERSION. */
GST_WEATHER_API
gboolean        gst_weather_prediction_from_buffer_version (GstBuffer * buffer,
                                                     gint version,
                                                     GstWeatherPrediction * prediction,
                                                     GError ** error);

/* The `weather-prediction` structure posted on the bus by predictor
 * (fields documented in docs/predictor.md). */
GST_WEATHER_API
GstStructure *  gst_weather_prediction_to_structure (const GstWeatherPrediction * prediction);

G_END_DECLS
