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

/* Offsets of the reading record (docs/schema.md). */
#define OFF_STATION_ID 0
#define OFF_FLAGS 4
#define OFF_CREATED_AT 8
#define OFF_RECEIVED_AT 16
#define OFF_SEQUENCE 24
#define OFF_TEMPERATURE 32
#define OFF_PRESSURE 40
#define OFF_HUMIDITY 48
#define OFF_WIND_SPEED 56
#define OFF_WIND_DIRECTION 64
#define OFF_STATION_NAME 72

G_STATIC_ASSERT (OFF_STATION_NAME + GST_WEATHER_STATION_NAME_SIZE ==
    GST_WEATHER_READING_SIZE);

#define KNOWN_READING_FLAGS (GST_WEATHER_READING_FLAG_MISSING | \
    GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL | \
    GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE)

/* Sensor values mostly have at most three decimals: when @value is the
 * double nearest to n / 1000, "%.15g" would print exactly that decimal
 * (the error of the double is far below half a unit of the 15th digit),
 * so write it directly instead of formatting and parsing it back. */
static gboolean
format_milli_decimal (gdouble value, gchar * buf)
{
  gdouble n;
  guint64 m, whole;
  guint frac;
  gchar *p = buf;

  if (!(fabs (value) < 1e12))
    return FALSE;
  n = nearbyint (value * 1000.0);
  if (n / 1000.0 != value || n == 0.0)
    return FALSE;

  if (n < 0) {
    *p++ = '-';
    n = -n;
  }
  m = (guint64) n;
  whole = m / 1000;
  frac = (guint) (m % 1000);
  p += g_snprintf (p, GST_WEATHER_DOUBLE_BUF_SIZE - 1, "%" G_GUINT64_FORMAT,
      whole);
  if (frac) {
    *p++ = '.';
    *p++ = '0' + frac / 100;
    if (frac % 100) {
      *p++ = '0' + frac / 10 % 10;
      if (frac % 10)
        *p++ = '0' + frac % 10;
    }
  }
  *p = '\0';
  return TRUE;
}

const gchar *
gst_weather_priv_format_double (gdouble value, gchar * buf)
{
  static const gchar *formats[] = { "%.15g", "%.16g", "%.17g" };
  guint i;

  if (format_milli_decimal (value, buf))
    return buf;

  for (i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_ascii_formatd (buf, GST_WEATHER_DOUBLE_BUF_SIZE, formats[i], value);
    if (g_ascii_strtod (buf, NULL) == value)
      break;
  }
  /* -0 prints as "-0", which reads back as -0: keep it, it round-trips */
  return buf;
}

gboolean
gst_weather_priv_check_double (const gchar * field, gdouble value,
    gdouble min, gdouble max, const gchar * unit, gboolean nan_ok,
    GError ** error)
{
  gchar v[GST_WEATHER_DOUBLE_BUF_SIZE];
  gchar lo[GST_WEATHER_DOUBLE_BUF_SIZE];
  gchar hi[GST_WEATHER_DOUBLE_BUF_SIZE];

  if (isnan (value)) {
    if (nan_ok)
      return TRUE;
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: NaN is not allowed here, a number is required", field);
    return FALSE;
  }
  if (isinf (value)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %s is not a finite number", field,
        value > 0 ? "Infinity" : "-Infinity");
    return FALSE;
  }
  if (value < min || value > max) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %s is outside %s–%s %s", field,
        gst_weather_priv_format_double (value, v),
        gst_weather_priv_format_double (min, lo),
        gst_weather_priv_format_double (max, hi), unit);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_priv_check_text (const gchar * field, const gchar * text,
    gsize size, GError ** error)
{
  const gchar *end = memchr (text, '\0', size);

  if (end == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: not NUL terminated within %" G_GSIZE_FORMAT " bytes "
        "(at most %" G_GSIZE_FORMAT " bytes of text)", field, size, size - 1);
    return FALSE;
  }
  if (!g_utf8_validate (text, end - text, NULL)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "%s: not valid UTF-8", field);
    return FALSE;
  }
  return TRUE;
}

void
gst_weather_priv_write_text (guint8 * dest, const gchar * text, gsize size)
{
  const gchar *end = memchr (text, '\0', size);
  gsize len = end ? (gsize) (end - text) : size - 1;

  memcpy (dest, text, len);
  memset (dest + len, 0, size - len);
}

gboolean
gst_weather_priv_text_padding_ok (const guint8 * data, gsize size)
{
  /* large enough for every text field of the records */
  static const guint8 zeros[MAX (GST_WEATHER_STATION_NAME_SIZE,
          GST_WEATHER_FORECAST_SIZE)] = { 0, };
  const guint8 *end = memchr (data, '\0', size);
  gsize rest;

  if (end == NULL)
    return TRUE;                /* reported by gst_weather_priv_check_text */
  rest = size - (end - data);
  g_return_val_if_fail (rest <= sizeof (zeros), FALSE);
  return memcmp (end, zeros, rest) == 0;
}

GstCaps *
gst_weather_reading_caps_new (void)
{
  return gst_caps_new_simple (GST_WEATHER_READING_MEDIA_TYPE,
      "version", G_TYPE_INT, GST_WEATHER_SCHEMA_VERSION, NULL);
}

void
gst_weather_reading_init (GstWeatherReading * reading)
{
  g_return_if_fail (reading != NULL);

  memset (reading, 0, sizeof (*reading));
  reading->received_at = GST_WEATHER_TIME_NONE;
  reading->temperature_c = NAN;
  reading->pressure_hpa = NAN;
  reading->humidity_pct = NAN;
  reading->wind_speed_ms = NAN;
  reading->wind_direction_deg = NAN;
}

gboolean
gst_weather_reading_set_station_name (GstWeatherReading * reading,
    const gchar * name, GError ** error)
{
  gsize len;

  g_return_val_if_fail (reading != NULL, FALSE);

  if (name == NULL)
    name = "";
  len = strlen (name);
  if (len > GST_WEATHER_STATION_NAME_MAX_LEN) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "station: name of %" G_GSIZE_FORMAT " bytes is longer than %d bytes",
        len, GST_WEATHER_STATION_NAME_MAX_LEN);
    return FALSE;
  }
  if (!g_utf8_validate (name, len, NULL)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "station: name is not valid UTF-8");
    return FALSE;
  }
  memset (reading->station_name, 0, sizeof (reading->station_name));
  memcpy (reading->station_name, name, len);
  return TRUE;
}

/* A measurement of a reading: NaN (not measured) or inside its range. The
 * common cases are decided here, inline; the others produce the error. */
static inline gboolean
check_measurement (const gchar * field, gdouble value, gdouble min,
    gdouble max, const gchar * unit, GError ** error)
{
  if (G_LIKELY ((value >= min && value <= max) || isnan (value)))
    return TRUE;
  return gst_weather_priv_check_double (field, value, min, max, unit, TRUE,
      error);
}

gboolean
gst_weather_reading_validate (const GstWeatherReading * reading,
    GError ** error)
{
  g_return_val_if_fail (reading != NULL, FALSE);

  if (reading->flags & ~KNOWN_READING_FLAGS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "flags: unknown bits 0x%x", reading->flags & ~KNOWN_READING_FLAGS);
    return FALSE;
  }
  if (!gst_weather_priv_check_text ("station", reading->station_name,
          GST_WEATHER_STATION_NAME_SIZE, error))
    return FALSE;

  /* An empty group slot carries only its station */
  if (reading->flags & GST_WEATHER_READING_FLAG_MISSING)
    return TRUE;

  if (reading->created_at < 0) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "created_at: %" G_GINT64_FORMAT " is before the UNIX epoch",
        reading->created_at);
    return FALSE;
  }
  if (reading->received_at < 0 && reading->received_at != GST_WEATHER_TIME_NONE) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "received_at: %" G_GINT64_FORMAT " is before the UNIX epoch",
        reading->received_at);
    return FALSE;
  }

  /* JSON integers are signed 64-bit: keep the record and its JSON form
   * equivalent */
  if (reading->sequence > (guint64) G_MAXINT64) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "sequence: %" G_GUINT64_FORMAT " is larger than 2^63-1",
        reading->sequence);
    return FALSE;
  }

  return check_measurement ("temperature_c", reading->temperature_c,
      GST_WEATHER_TEMPERATURE_MIN, GST_WEATHER_TEMPERATURE_MAX, "°C", error)
      && check_measurement ("pressure_hpa", reading->pressure_hpa,
      GST_WEATHER_PRESSURE_MIN, GST_WEATHER_PRESSURE_MAX, "hPa", error)
      && check_measurement ("humidity_pct", reading->humidity_pct,
      GST_WEATHER_HUMIDITY_MIN, GST_WEATHER_HUMIDITY_MAX, "%", error)
      && check_measurement ("wind_speed_ms", reading->wind_speed_ms,
      GST_WEATHER_WIND_SPEED_MIN, GST_WEATHER_WIND_SPEED_MAX, "m/s", error)
      && check_measurement ("wind_direction_deg", reading->wind_direction_deg,
      GST_WEATHER_WIND_DIRECTION_MIN, GST_WEATHER_WIND_DIRECTION_MAX, "deg",
      error);
}

void
gst_weather_reading_write (const GstWeatherReading * reading, guint8 * data)
{
  g_return_if_fail (reading != NULL);
  g_return_if_fail (data != NULL);

  GST_WRITE_UINT32_LE (data + OFF_STATION_ID, reading->station_id);
  GST_WRITE_UINT32_LE (data + OFF_FLAGS, reading->flags);
  GST_WRITE_UINT64_LE (data + OFF_CREATED_AT, (guint64) reading->created_at);
  GST_WRITE_UINT64_LE (data + OFF_RECEIVED_AT, (guint64) reading->received_at);
  GST_WRITE_UINT64_LE (data + OFF_SEQUENCE, reading->sequence);
  GST_WRITE_DOUBLE_LE (data + OFF_TEMPERATURE, reading->temperature_c);
  GST_WRITE_DOUBLE_LE (data + OFF_PRESSURE, reading->pressure_hpa);
  GST_WRITE_DOUBLE_LE (data + OFF_HUMIDITY, reading->humidity_pct);
  GST_WRITE_DOUBLE_LE (data + OFF_WIND_SPEED, reading->wind_speed_ms);
  GST_WRITE_DOUBLE_LE (data + OFF_WIND_DIRECTION, reading->wind_direction_deg);
  gst_weather_priv_write_text (data + OFF_STATION_NAME, reading->station_name,
      GST_WEATHER_STATION_NAME_SIZE);
}

void
gst_weather_reading_read (GstWeatherReading * reading, const guint8 * data)
{
  g_return_if_fail (reading != NULL);
  g_return_if_fail (data != NULL);

  reading->station_id = GST_READ_UINT32_LE (data + OFF_STATION_ID);
  reading->flags = GST_READ_UINT32_LE (data + OFF_FLAGS);
  reading->created_at = (gint64) GST_READ_UINT64_LE (data + OFF_CREATED_AT);
  reading->received_at = (gint64) GST_READ_UINT64_LE (data + OFF_RECEIVED_AT);
  reading->sequence = GST_READ_UINT64_LE (data + OFF_SEQUENCE);
  reading->temperature_c = GST_READ_DOUBLE_LE (data + OFF_TEMPERATURE);
  reading->pressure_hpa = GST_READ_DOUBLE_LE (data + OFF_PRESSURE);
  reading->humidity_pct = GST_READ_DOUBLE_LE (data + OFF_HUMIDITY);
  reading->wind_speed_ms = GST_READ_DOUBLE_LE (data + OFF_WIND_SPEED);
  reading->wind_direction_deg = GST_READ_DOUBLE_LE (data + OFF_WIND_DIRECTION);
  memcpy (reading->station_name, data + OFF_STATION_NAME,
      GST_WEATHER_STATION_NAME_SIZE);
}

GstBuffer *
gst_weather_reading_to_buffer (const GstWeatherReading * reading)
{
  GstBuffer *buffer;
  GstMapInfo map;

  g_return_val_if_fail (reading != NULL, NULL);

  buffer = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  gst_weather_reading_write (reading, map.data);
  gst_buffer_unmap (buffer, &map);
  return buffer;
}

gboolean
gst_weather_priv_reading_unpack (GstWeatherReading * reading,
    const guint8 * data, GError ** error)
{
  if (!gst_weather_priv_text_padding_ok (data + OFF_STATION_NAME,
          GST_WEATHER_STATION_NAME_SIZE)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "station: non-zero bytes after the name's terminating NUL");
    return FALSE;
  }
  gst_weather_reading_read (reading, data);
  return TRUE;
}

gboolean
gst_weather_priv_map_record (GstBuffer * buffer, GstMapInfo * map,
    gsize size, const gchar * what, GError ** error)
{
  if (!gst_buffer_map (buffer, map, GST_MAP_READ)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SIZE,
        "payload: buffer cannot be mapped for reading");
    return FALSE;
  }
  if (map->size != size) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SIZE,
        "payload: %" G_GSIZE_FORMAT " bytes, %s record is %" G_GSIZE_FORMAT
        " bytes", map->size, what, size);
    gst_buffer_unmap (buffer, map);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_reading_parse (const guint8 * data, GstWeatherReading * reading,
    GError ** error)
{
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  return gst_weather_priv_reading_unpack (reading, data, error)
      && gst_weather_reading_validate (reading, error);
}

/* The record of @buffer, read by gst_weather_reading_parse() or, for a
 * reading of a stream (@stream), gst_weather_reading_parse_stream(). */
static gboolean
reading_from_buffer (GstBuffer * buffer, gboolean stream,
    GstWeatherReading * reading, GError ** error)
{
  GstMapInfo map;
  gboolean ret;

  if (!gst_weather_priv_map_record (buffer, &map, GST_WEATHER_READING_SIZE,
          "a reading", error))
    return FALSE;
  if (stream)
    ret = gst_weather_reading_parse_stream (map.data, reading, error);
  else
    ret = gst_weather_reading_parse (map.data, reading, error);
  gst_buffer_unmap (buffer, &map);
  return ret;
}

gboolean
gst_weather_reading_from_buffer (GstBuffer * buffer,
    GstWeatherReading * reading, GError ** error)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  return reading_from_buffer (buffer, FALSE, reading, error);
}

gboolean
gst_weather_reading_parse_stream (const guint8 * data,
    GstWeatherReading * reading, GError ** error)
{
  if (!gst_weather_reading_parse (data, reading, error))
    return FALSE;
  if (reading->flags & GST_WEATHER_READING_FLAG_MISSING) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "flags: station %u: an empty group slot is not a reading",
        reading->station_id);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_reading_from_stream_buffer (GstBuffer * buffer,
    GstWeatherReading * reading, GError ** error)
{
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  g_return_val_if_fail (reading != NULL, FALSE);

  if (GST_BUFFER_PTS_IS_VALID (buffer)
      && GST_BUFFER_PTS (buffer) > GST_WEATHER_CLOCK_TIME_MAX) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "PTS: %" G_GUINT64_FORMAT " ns, beyond 2^63-1 ns",
        (guint64) GST_BUFFER_PTS (buffer));
    return FALSE;
  }
  return reading_from_buffer (buffer, TRUE, reading, error);
}

guint32
gst_weather_station_id_from_name (const gchar * name)
{
  guint32 hash = 2166136261u;
  const guint8 *p;

  g_return_val_if_fail (name != NULL, 0);

  for (p = (const guint8 *) name; *p; p++) {
    hash ^= *p;
    hash *= 16777619u;
  }
  return hash;
}
