/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>

G_BEGIN_DECLS

/**
 * GST_WEATHER_READING_CAPS:
 *
 * Caps of a stream of readings: one #GstWeatherReading per buffer, in the
 * binary layout of docs/schema.md. Optional fields: `station-id=(uint)N`
 * and `station-name=(string)S` (set by demux on its per-station pads) and
 * `period=(guint64)NS` (the nominal interval between one station's
 * readings, when the producer knows it).
 */
#define GST_WEATHER_READING_CAPS "application/x-weather-reading, version=(int)1"
#define GST_WEATHER_READING_MEDIA_TYPE "application/x-weather-reading"

/**
 * GST_WEATHER_READING_BATCH_CAPS:
 *
 * Caps of a stream of reading batches: a buffer holds one or more reading
 * records of %GST_WEATHER_READING_SIZE bytes back to back (n × 128 bytes,
 * n ≥ 1), each in the layout of docs/schema.md. The optional fields are
 * those of %GST_WEATHER_READING_CAPS. A media type of its own, so that an
 * element reading one reading per buffer refuses batches at negotiation
 * (a field it does not know would match). The PTS of a batch is that of
 * its first reading; each reading carries its own created_at.
 */
#define GST_WEATHER_READING_BATCH_CAPS "application/x-weather-reading-batch, version=(int)1"
#define GST_WEATHER_READING_BATCH_MEDIA_TYPE "application/x-weather-reading-batch"
#define GST_WEATHER_SCHEMA_VERSION 1

/**
 * GST_WEATHER_READING_SIZE:
 *
 * Size in bytes of one reading record in a buffer.
 */
#define GST_WEATHER_READING_SIZE 128

/**
 * GST_WEATHER_STATION_NAME_SIZE:
 *
 * Bytes reserved for the station name in a record, NUL terminator included:
 * a name is at most %GST_WEATHER_STATION_NAME_MAX_LEN bytes of UTF-8.
 */
#define GST_WEATHER_STATION_NAME_SIZE 56
#define GST_WEATHER_STATION_NAME_MAX_LEN (GST_WEATHER_STATION_NAME_SIZE - 1)

/**
 * GST_WEATHER_TIME_NONE:
 *
 * An epoch timestamp that is not known (for example received_at of a
 * reading that never went through a network).
 */
#define GST_WEATHER_TIME_NONE G_GINT64_CONSTANT (-1)

/**
 * GstWeatherReadingFlags:
 * @GST_WEATHER_READING_FLAG_NONE: a present reading
 * @GST_WEATHER_READING_FLAG_MISSING: an empty group slot: the station was
 *     expected in the window but had no reading; only station_id and
 *     station_name are meaningful
 * @GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL: the payload had no time:
 *     created_at is when the message arrived (docs/feeds.md)
 * @GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE: the station measured
 *     its own (absolute) pressure but its altitude is not known, so it
 *     could not be reduced to sea level: pressure_hpa is NaN
 */
typedef enum
{
  GST_WEATHER_READING_FLAG_NONE = 0,
  GST_WEATHER_READING_FLAG_MISSING = (1 << 0),
  GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL = (1 << 1),
  GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE = (1 << 2),
} GstWeatherReadingFlags;

/**
 * GstWeatherReading:
 * @station_id: numeric station id
 * @flags: #GstWeatherReadingFlags
 * @created_at: when the station measured, ns since the UNIX epoch (UTC)
 * @received_at: when the reading reached the pipeline, ns since the UNIX
 *     epoch, or %GST_WEATHER_TIME_NONE
 * @sequence: the station's own counter, one per reading it made
 * @temperature_c: air temperature, °C (NaN: not measured)
 * @pressure_hpa: sea-level pressure, hPa (NaN: not measured)
 * @humidity_pct: relative humidity, % (NaN: not measured)
 * @wind_speed_ms: wind speed, m/s (NaN: not measured)
 * @wind_direction_deg: direction the wind blows from, degrees clockwise
 *     from north (NaN: not measured)
 * @station_name: UTF-8 station name, NUL terminated, "" when the station
 *     has only a number
 *
 * One reading, unpacked. In a buffer it is the fixed little-endian record
 * of docs/schema.md; use gst_weather_reading_write() and
 * gst_weather_reading_read(), never memcpy of this struct.
 */
typedef struct
{
  guint32 station_id;
  guint32 flags;
  gint64 created_at;
  gint64 received_at;
  guint64 sequence;
  gdouble temperature_c;
  gdouble pressure_hpa;
  gdouble humidity_pct;
  gdouble wind_speed_ms;
  gdouble wind_direction_deg;
  gchar station_name[GST_WEATHER_STATION_NAME_SIZE];
} GstWeatherReading;

GST_WEATHER_API
GstCaps *       gst_weather_reading_caps_new        (void);

/* All measurements NaN, received_at unknown, everything else zero. */
GST_WEATHER_API
void            gst_weather_reading_init            (GstWeatherReading * reading);

/* Copies @name; fails (GST_WEATHER_ERROR_RANGE / _UTF8) when it is longer
 * than GST_WEATHER_STATION_NAME_MAX_LEN bytes or not valid UTF-8. */
GST_WEATHER_API
gboolean        gst_weather_reading_set_station_name (GstWeatherReading * reading,
                                                     const gchar * name,
                                                     GError ** error);

/* The ranges of docs/schema.md: NaN allowed for a missing measurement,
 * infinities never; created_at >= 0; the name valid UTF-8. */
GST_WEATHER_API
gboolean        gst_weather_reading_validate        (const GstWeatherReading * reading,
                                                     GError ** error);

GST_WEATHER_API
void            gst_weather_reading_write           (const GstWeatherReading * reading,
                                                     guint8 * data);

/* Unpacks a record without validating it. */
GST_WEATHER_API
void            gst_weather_reading_read            (GstWeatherReading * reading,
                                                     const guint8 * data);

/* A new buffer holding the record; no timestamps are set. */
GST_WEATHER_API
GstBuffer *     gst_weather_reading_to_buffer       (const GstWeatherReading * reading);

/* Unpacks and validates the record of GST_WEATHER_READING_SIZE bytes at
 * @data: a reading buffer's, or one record of a batch. */
GST_WEATHER_API
gboolean        gst_weather_reading_parse           (const guint8 * data,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* Checks the size, unpacks and validates. */
GST_WEATHER_API
gboolean        gst_weather_reading_from_buffer     (GstBuffer * buffer,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* Like gst_weather_reading_parse(), for a reading that flows in a stream
 * (a reading buffer or a record of a batch): an empty group slot
 * (GST_WEATHER_READING_FLAG_MISSING) is refused too. */
GST_WEATHER_API
gboolean        gst_weather_reading_parse_stream    (const guint8 * data,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* Like gst_weather_reading_from_buffer(), for a reading buffer of a
 * stream: an empty group slot is refused, and so is a PTS beyond
 * GST_WEATHER_CLOCK_TIME_MAX, which no reading of the time model has and
 * whose sums with other times would not fit. The one check every element
 * makes before it counts and drops an invalid reading. */
GST_WEATHER_API
gboolean        gst_weather_reading_from_stream_buffer (GstBuffer * buffer,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* The numeric id a station gets from its name when the producer gives only
 * a name: 32-bit FNV-1a of the UTF-8 bytes (stable across machines). */
GST_WEATHER_API
guint32         gst_weather_station_id_from_name    (const gchar * name);

G_END_DECLS
