/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Helpers shared by the library's own files; not installed.
 */
#pragma once

#include "weather.h"

G_BEGIN_DECLS

GST_DEBUG_CATEGORY_EXTERN (gst_weather_lib_debug);

/* Buffer size for gst_weather_priv_format_double(). */
#define GST_WEATHER_DOUBLE_BUF_SIZE G_ASCII_DTOSTR_BUF_SIZE

/* Shortest of %.15g, %.16g, %.17g that reads back to the same double,
 * locale independent. Not for NaN or infinities. */
G_GNUC_INTERNAL
const gchar *   gst_weather_priv_format_double      (gdouble value,
                                                     gchar * buf);

/* NaN passes when @nan_ok; infinities never; otherwise @min <= @value <=
 * @max. The error message starts with "@field:". */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_check_double       (const gchar * field,
                                                     gdouble value,
                                                     gdouble min,
                                                     gdouble max,
                                                     const gchar * unit,
                                                     gboolean nan_ok,
                                                     GError ** error);

/* A NUL-terminated string of at most @size - 1 bytes of valid UTF-8 in
 * a @size byte array. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_check_text         (const gchar * field,
                                                     const gchar * text,
                                                     gsize size,
                                                     GError ** error);

/* Copies the text up to its NUL into @dest and zeroes the rest of the
 * @size bytes (so that records are byte-for-byte reproducible). */
G_GNUC_INTERNAL
void            gst_weather_priv_write_text         (guint8 * dest,
                                                     const gchar * text,
                                                     gsize size);

/* TRUE when every byte after the first NUL of the @size byte field is
 * zero, as the writer leaves it. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_text_padding_ok    (const guint8 * data,
                                                     gsize size);

/* Maps @buffer for reading when it holds exactly one @size byte record
 * (named @what in the error); the caller unmaps on TRUE. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_map_record         (GstBuffer * buffer,
                                                     GstMapInfo * map,
                                                     gsize size,
                                                     const gchar * what,
                                                     GError ** error);

/* Reads a reading record after checking what validate() cannot see (the
 * bytes after the station name); the caller validates the reading. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_reading_unpack     (GstWeatherReading * reading,
                                                     const guint8 * data,
                                                     GError ** error);

/* The key of a group or prediction record: kind and id, two u32 at
 * @kind_id, and the name, GST_WEATHER_KEY_NAME_SIZE bytes at @name. */
G_GNUC_INTERNAL
void            gst_weather_priv_key_write          (const GstWeatherKey * key,
                                                     guint8 * kind_id,
                                                     guint8 * name);

/* Reads it after checking what validate() cannot see (the bytes after the
 * name); the caller validates the key. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_key_read           (GstWeatherKey * key,
                                                     const guint8 * kind_id,
                                                     const guint8 * name,
                                                     GError ** error);

/* RFC 3339 (gstweatherrfc3339.c) of @len bytes at @text to epoch ns;
 * errors start with "@field:". */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_time_from_rfc3339  (const gchar * field,
                                                     const gchar * text,
                                                     gsize len,
                                                     gint64 * epoch_ns,
                                                     GError ** error);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
G_GNUC_INTERNAL
gint64          gst_weather_priv_days_from_civil    (gint64 year,
                                                     guint month,
                                                     guint day);

G_GNUC_INTERNAL
guint           gst_weather_priv_days_in_month      (gint64 year,
                                                     guint month);

/* Limits of docs/schema.md. */
#define GST_WEATHER_TEMPERATURE_MIN (-100.0)
#define GST_WEATHER_TEMPERATURE_MAX 100.0
#define GST_WEATHER_PRESSURE_MIN 800.0
#define GST_WEATHER_PRESSURE_MAX 1100.0
#define GST_WEATHER_HUMIDITY_MIN 0.0
#define GST_WEATHER_HUMIDITY_MAX 100.0
#define GST_WEATHER_WIND_SPEED_MIN 0.0
#define GST_WEATHER_WIND_SPEED_MAX 150.0
#define GST_WEATHER_WIND_DIRECTION_MIN 0.0
#define GST_WEATHER_WIND_DIRECTION_MAX 360.0
#define GST_WEATHER_TREND_MIN (-300.0)
#define GST_WEATHER_TREND_MAX 300.0

G_END_DECLS
