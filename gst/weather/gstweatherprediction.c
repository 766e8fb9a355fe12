/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweather-private.h"

#define GST_CAT_DEFAULT gst_weather_lib_debug

/* Offsets of the prediction record (docs/schema.md); version 1 ends at
 * OFF_KEY_KIND. */
#define OFF_WINDOW_START 0
#define OFF_WINDOW_END 8
#define OFF_MODEL 16
#define OFF_FLAGS 20
#define OFF_CHANCE_OF_RAIN 24
#define OFF_MEAN_PRESSURE 32
#define OFF_PRESSURE_TREND 40
#define OFF_MEAN_TEMPERATURE 48
#define OFF_STATIONS_USED 56
#define OFF_STATIONS_MISSING 60
#define OFF_LETTER 64
#define OFF_RESERVED 65
#define RESERVED_SIZE 7
#define OFF_FORECAST 72
#define OFF_KEY_KIND 128
#define OFF_KEY_ID 132
#define OFF_KEY_NAME 136

G_STATIC_ASSERT (OFF_FORECAST + GST_WEATHER_FORECAST_SIZE ==
    GST_WEATHER_PREDICTION_V1_SIZE);
G_STATIC_ASSERT (OFF_KEY_KIND == GST_WEATHER_PREDICTION_V1_SIZE);
G_STATIC_ASSERT (OFF_KEY_NAME + GST_WEATHER_KEY_NAME_SIZE ==
    GST_WEATHER_PREDICTION_SIZE);
G_STATIC_ASSERT (OFF_KEY_ID == OFF_KEY_KIND + 4);

#define KNOWN_PREDICTION_FLAGS (GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED | \
    GST_WEATHER_PREDICTION_FLAG_NO_DATA | GST_WEATHER_PREDICTION_FLAG_INCOMPLETE)

const gchar *
gst_weather_model_to_string (GstWeatherModel model)
{
  switch (model) {
    case GST_WEATHER_MODEL_ZAMBRETTI:
      return "zambretti";
    case GST_WEATHER_MODEL_SEED:
      return "seed";
    default:
      return NULL;
  }
}

GstCaps *
gst_weather_prediction_caps_new (void)
{
  return gst_caps_new_simple (GST_WEATHER_PREDICTION_MEDIA_TYPE,
      "version", G_TYPE_INT, GST_WEATHER_PREDICTION_VERSION, NULL);
}

void
gst_weather_prediction_init (GstWeatherPrediction * prediction)
{
  g_return_if_fail (prediction != NULL);

  memset (prediction, 0, sizeof (*prediction));
  prediction->model = GST_WEATHER_MODEL_ZAMBRETTI;
  prediction->mean_pressure_hpa = NAN;
  prediction->pressure_trend_hpa = NAN;
  prediction->mean_temperature_c = NAN;
  gst_weather_key_init_all (&prediction->key);
}

gboolean
gst_weather_prediction_validate (const GstWeatherPrediction * prediction,
    GError ** error)
{
  g_return_val_if_fail (prediction != NULL, FALSE);

  if (prediction->window_start < 0) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "window_start: %" G_GINT64_FORMAT " is before the UNIX epoch",
        prediction->window_start);
    return FALSE;
  }
  if (prediction->window_end <= prediction->window_start) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "window_end: %" G_GINT64_FORMAT " is not after window_start %"
        G_GINT64_FORMAT, prediction->window_end, prediction->window_start);
    return FALSE;
  }
  if (gst_weather_model_to_string (prediction->model) == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "model: unknown model %u", prediction->model);
    return FALSE;
  }
  if (prediction->flags & ~KNOWN_PREDICTION_FLAGS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "flags: unknown bits 0x%x",
        prediction->flags & ~KNOWN_PREDICTION_FLAGS);
    return FALSE;
  }
  if (!gst_weather_key_validate (&prediction->key, error))
    return FALSE;
  if (!gst_weather_priv_check_double ("chance_of_rain_pct",
          prediction->chance_of_rain_pct, 0.0, 100.0, "%", FALSE, error)
      || !gst_weather_priv_check_double ("mean_pressure_hpa",
          prediction->mean_pressure_hpa, GST_WEATHER_PRESSURE_MIN,
          GST_WEATHER_PRESSURE_MAX, "hPa", TRUE, error)
      || !gst_weather_priv_check_double ("pressure_trend_hpa",
          prediction->pressure_trend_hpa, GST_WEATHER_TREND_MIN,
          GST_WEATHER_TREND_MAX, "hPa", TRUE, error)
      || !gst_weather_priv_check_double ("mean_temperature_c",
          prediction->mean_temperature_c, GST_WEATHER_TEMPERATURE_MIN,
          GST_WEATHER_TEMPERATURE_MAX, "°C", TRUE, error))
    return FALSE;
  if (prediction->letter != 0 &&
      (prediction->letter < 'A' || prediction->letter > 'Z')) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "forecast_letter: byte 0x%02x is not a letter A–Z",
        (guint8) prediction->letter);
    return FALSE;
  }
  return gst_weather_priv_check_text ("forecast", prediction->forecast,
      GST_WEATHER_FORECAST_SIZE, error);
}

void
gst_weather_prediction_write (const GstWeatherPrediction * prediction,
    guint8 * data)
{
  g_return_if_fail (prediction != NULL);
  g_return_if_fail (data != NULL);

  GST_WRITE_UINT64_LE (data + OFF_WINDOW_START,
      (guint64) prediction->window_start);
  GST_WRITE_UINT64_LE (data + OFF_WINDOW_END, (guint64) prediction->window_end);
  GST_WRITE_UINT32_LE (data + OFF_MODEL, prediction->model);
  GST_WRITE_UINT32_LE (data + OFF_FLAGS, prediction->flags);
  GST_WRITE_DOUBLE_LE (data + OFF_CHANCE_OF_RAIN,
      prediction->chance_of_rain_pct);
  GST_WRITE_DOUBLE_LE (data + OFF_MEAN_PRESSURE, prediction->mean_pressure_hpa);
  GST_WRITE_DOUBLE_LE (data + OFF_PRESSURE_TREND,
      prediction->pressure_trend_hpa);
  GST_WRITE_DOUBLE_LE (data + OFF_MEAN_TEMPERATURE,
      prediction->mean_temperature_c);
  GST_WRITE_UINT32_LE (data + OFF_STATIONS_USED, prediction->stations_used);
  GST_WRITE_UINT32_LE (data + OFF_STATIONS_MISSING,
      prediction->stations_missing);
  GST_WRITE_UINT8 (data + OFF_LETTER, (guint8) prediction->letter);
  memset (data + OFF_RESERVED, 0, RESERVED_SIZE);
  gst_weather_priv_write_text (data + OFF_FORECAST, prediction->forecast,
      GST_WEATHER_FORECAST_SIZE);
  gst_weather_priv_key_write (&prediction->key, data + OFF_KEY_KIND,
      data + OFF_KEY_NAME);
}

/* The fields of version 1, which every version starts with. */
static void
prediction_read_v1 (GstWeatherPrediction * prediction, const guint8 * data)
{
  memset (prediction, 0, sizeof (*prediction));
  prediction->window_start =
      (gint64) GST_READ_UINT64_LE (data + OFF_WINDOW_START);
  prediction->window_end = (gint64) GST_READ_UINT64_LE (data + OFF_WINDOW_END);
  prediction->model = GST_READ_UINT32_LE (data + OFF_MODEL);
  prediction->flags = GST_READ_UINT32_LE (data + OFF_FLAGS);
  prediction->chance_of_rain_pct =
      GST_READ_DOUBLE_LE (data + OFF_CHANCE_OF_RAIN);
  prediction->mean_pressure_hpa = GST_READ_DOUBLE_LE (data + OFF_MEAN_PRESSURE);
  prediction->pressure_trend_hpa =
      GST_READ_DOUBLE_LE (data + OFF_PRESSURE_TREND);
  prediction->mean_temperature_c =
      GST_READ_DOUBLE_LE (data + OFF_MEAN_TEMPERATURE);
  prediction->stations_used = GST_READ_UINT32_LE (data + OFF_STATIONS_USED);
  prediction->stations_missing =
      GST_READ_UINT32_LE (data + OFF_STATIONS_MISSING);
  prediction->letter = (gchar) GST_READ_UINT8 (data + OFF_LETTER);
  memcpy (prediction->forecast, data + OFF_FORECAST, GST_WEATHER_FORECAST_SIZE);
}

void
gst_weather_prediction_read (GstWeatherPrediction * prediction,
    const guint8 * data)
{
  g_return_if_fail (prediction != NULL);
  g_return_if_fail (data != NULL);

  prediction_read_v1 (prediction, data);
  prediction->key.kind =
      (GstWeatherKeyKind) GST_READ_UINT32_LE (data + OFF_KEY_KIND);
  prediction->key.id = GST_READ_UINT32_LE (data + OFF_KEY_ID);
  memcpy (prediction->key.name, data + OFF_KEY_NAME, GST_WEATHER_KEY_NAME_SIZE);
}

GstBuffer *
gst_weather_prediction_to_buffer (const GstWeatherPrediction * prediction)
{
  GstBuffer *buffer;
  GstMapInfo map;

  g_return_val_if_fail (prediction != NULL, NULL);

  buffer = gst_buffer_new_allocate (NULL, GST_WEATHER_PREDICTION_SIZE, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  gst_weather_prediction_write (prediction, map.data);
  gst_buffer_unmap (buffer, &map);
  return buffer;
}

static gboolean
prediction_unpack (GstWeatherPrediction * prediction, const guint8 * data,
    gint version, GError ** error)
{
  guint i;

  for (i = 0; i < RESERVED_SIZE; i++) {
    if (data[OFF_RESERVED + i] != 0) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "reserved: record bytes 65–71 are not zero");
      return FALSE;
    }
  }
  if (!gst_weather_priv_text_padding_ok (data + OFF_FORECAST,
          GST_WEATHER_FORECAST_SIZE)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "forecast: non-zero bytes after the text's terminating NUL");
    return FALSE;
  }
  if (version == 1) {
    prediction_read_v1 (prediction, data);
    gst_weather_key_init_all (&prediction->key);
  } else {
    prediction_read_v1 (prediction, data);
    if (!gst_weather_priv_key_read (&prediction->key, data + OFF_KEY_KIND,
            data + OFF_KEY_NAME, error))
      return FALSE;
  }
  return gst_weather_prediction_validate (prediction, error);
}

gboolean
gst_weather_prediction_from_buffer (GstBuffer * buffer,
    GstWeatherPrediction * prediction, GError ** error)
{
  return gst_weather_prediction_from_buffer_version (buffer,
      GST_WEATHER_PREDICTION_VERSION, prediction, error);
}

gboolean
gst_weather_prediction_from_buffer_version (GstBuffer * buffer, gint version,
    GstWeatherPrediction * prediction, GError ** error)
{
  GstMapInfo map;
  gboolean ret;

  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  g_return_val_if_fail (prediction != NULL, FALSE);

  if (version != 1 && version != GST_WEATHER_PREDICTION_VERSION) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
        "version: %d is not supported (this library reads predictions of "
        "versions 1 and %d)", version, GST_WEATHER_PREDICTION_VERSION);
    return FALSE;
  }
  if (!gst_weather_priv_map_record (buffer, &map, version == 1 ?
          GST_WEATHER_PREDICTION_V1_SIZE : GST_WEATHER_PREDICTION_SIZE,
          version == 1 ? "a version 1 prediction" : "a prediction", error))
    return FALSE;
  ret = prediction_unpack (prediction, map.data, version, error);
  gst_buffer_unmap (buffer, &map);
  return ret;
}

/* The structure's name and field names, interned once: a prediction is
 * made for every window. */
enum
{
  Q_NAME, Q_WINDOW_START, Q_WINDOW_END, Q_MODEL, Q_CHANCE_OF_RAIN, Q_LETTER,
  Q_FORECAST, Q_MEAN_PRESSURE, Q_PRESSURE_TREND, Q_MEAN_TEMPERATURE,
  Q_STATIONS_USED, Q_STATIONS_MISSING, Q_TREND_ESTIMATED, Q_INCOMPLETE,
  Q_NO_DATA, Q_KEY_KIND, Q_KEY_ID, Q_KEY_NAME, N_QUARKS
};

static GQuark structure_quarks[N_QUARKS];

static void
init_structure_quarks (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    static const gchar *names[N_QUARKS] = {
      "weather-prediction", "window-start", "window-end", "model",
      "chance-of-rain", "letter", "forecast", "mean-pressure",
      "pressure-trend", "mean-temperature", "stations-used",
      "stations-missing", "trend-estimated", "incomplete", "no-data",
      "key-kind", "key-id", "key-name"
    };
    guint i;

    for (i = 0; i < N_QUARKS; i++)
      structure_quarks[i] = g_quark_from_static_string (names[i]);
    g_once_init_leave (&done, 1);
  }
}

GstStructure *
gst_weather_prediction_to_structure (const GstWeatherPrediction * prediction)
{
  const GQuark *q = structure_quarks;
  gchar letter[2] = { 0, 0 };
  gchar forecast[GST_WEATHER_FORECAST_SIZE];
  gchar key_name[GST_WEATHER_KEY_NAME_SIZE];
  const gchar *model, *key_kind;

  g_return_val_if_fail (prediction != NULL, NULL);

  init_structure_quarks ();

  /* never read past the arrays, even for unterminated text */
  gst_weather_priv_write_text ((guint8 *) forecast, prediction->forecast,
      sizeof (forecast));
  gst_weather_priv_write_text ((guint8 *) key_name, prediction->key.name,
      sizeof (key_name));
  model = gst_weather_model_to_string (prediction->model);
  key_kind = gst_weather_key_kind_to_string (prediction->key.kind);
  letter[0] = prediction->letter;
  return gst_structure_new_id (q[Q_NAME],
      q[Q_WINDOW_START], G_TYPE_INT64, prediction->window_start,
      q[Q_WINDOW_END], G_TYPE_INT64, prediction->window_end,
      q[Q_MODEL], G_TYPE_STRING, model ? model : "unknown",
      q[Q_CHANCE_OF_RAIN], G_TYPE_DOUBLE, prediction->chance_of_rain_pct,
      q[Q_LETTER], G_TYPE_STRING, letter,
      q[Q_FORECAST], G_TYPE_STRING, forecast,
      q[Q_MEAN_PRESSURE], G_TYPE_DOUBLE, prediction->mean_pressure_hpa,
      q[Q_PRESSURE_TREND], G_TYPE_DOUBLE, prediction->pressure_trend_hpa,
      q[Q_MEAN_TEMPERATURE], G_TYPE_DOUBLE, prediction->mean_temperature_c,
      q[Q_STATIONS_USED], G_TYPE_UINT, prediction->stations_used,
      q[Q_STATIONS_MISSING], G_TYPE_UINT, prediction->stations_missing,
      q[Q_TREND_ESTIMATED], G_TYPE_BOOLEAN,
      (prediction->flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED) != 0,
      q[Q_INCOMPLETE], G_TYPE_BOOLEAN,
      (prediction->flags & GST_WEATHER_PREDICTION_FLAG_INCOMPLETE) != 0,
      q[Q_NO_DATA], G_TYPE_BOOLEAN,
      (prediction->flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA) != 0,
      q[Q_KEY_KIND], G_TYPE_STRING, key_kind ? key_kind : "unknown",
      q[Q_KEY_ID], G_TYPE_UINT, prediction->key.id,
      q[Q_KEY_NAME], G_TYPE_STRING, key_name, 0);
}
