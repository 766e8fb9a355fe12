/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/gstweatherreading.h>
#include <gst/weather/gstweatherstations.h>

G_BEGIN_DECLS

/* Errors of the dialect decoders: the code is a GstWeatherDecodeProblem.
 * Native payloads fail with GST_WEATHER_ERROR as before. */
#define GST_WEATHER_DECODE_ERROR (gst_weather_decode_error_quark ())

GST_WEATHER_API
GQuark          gst_weather_decode_error_quark      (void);

/**
 * GstWeatherFormat:
 * @GST_WEATHER_FORMAT_NATIVE: gst-weather's own schema (docs/schema.md)
 * @GST_WEATHER_FORMAT_RTL_433: rtl_433's JSON events
 * @GST_WEATHER_FORMAT_WEEWX: weewx-mqtt's loop packets
 * @GST_WEATHER_FORMAT_PYWWS: pywws' MQTT service
 * @GST_WEATHER_FORMAT_ECOWITT: Ecowitt gateways' "customized" upload, as
 *     JSON
 * @GST_WEATHER_FORMAT_AUTO: one of the above, chosen per message from its
 *     fields
 *
 * The dialects of docs/feeds.md.
 */
typedef enum
{
  GST_WEATHER_FORMAT_NATIVE,
  GST_WEATHER_FORMAT_RTL_433,  /*< nick=rtl_433 >*/
  GST_WEATHER_FORMAT_WEEWX,
  GST_WEATHER_FORMAT_PYWWS,
  GST_WEATHER_FORMAT_ECOWITT,
  GST_WEATHER_FORMAT_AUTO,
} GstWeatherFormat;

/**
 * GstWeatherDecodeProblem:
 * @GST_WEATHER_DECODE_MALFORMED: not a JSON object, or a native reading
 *     that does not decode; the message is dropped
 * @GST_WEATHER_DECODE_BAD_VALUE: a measurement that is not a number; that
 *     measurement is left out
 * @GST_WEATHER_DECODE_OUT_OF_RANGE: a measurement outside the reading's
 *     range (docs/schema.md); that measurement is left out
 * @GST_WEATHER_DECODE_UNKNOWN_UNIT: a measurement in a unit the decoder
 *     does not know; that measurement is left out
 * @GST_WEATHER_DECODE_BAD_TIME: a time that cannot be read; the message is
 *     dropped
 * @GST_WEATHER_DECODE_ABSURD_TIME: a time before 2000-01-01 or more than a
 *     day after the message arrived; the message is dropped
 * @GST_WEATHER_DECODE_NO_STATION: no station in the payload, the topic or
 *     the decoder's settings; the message is dropped
 * @GST_WEATHER_DECODE_NO_MEASUREMENT: nothing the reading has a slot for;
 *     the message is dropped
 * @GST_WEATHER_DECODE_N_PROBLEMS: the number of problems
 *
 * Why a dialect message, or one of its measurements, was not used. Each
 * has a counter (gst_weather_decoder_add_stats()).
 */
typedef enum
{
  GST_WEATHER_DECODE_MALFORMED,
  GST_WEATHER_DECODE_BAD_VALUE,
  GST_WEATHER_DECODE_OUT_OF_RANGE,
  GST_WEATHER_DECODE_UNKNOWN_UNIT,
  GST_WEATHER_DECODE_BAD_TIME,
  GST_WEATHER_DECODE_ABSURD_TIME,
  GST_WEATHER_DECODE_NO_STATION,
  GST_WEATHER_DECODE_NO_MEASUREMENT,
  GST_WEATHER_DECODE_N_PROBLEMS,
} GstWeatherDecodeProblem;

/**
 * GstWeatherFieldKind:
 * @GST_WEATHER_FIELD_STRING: a string (or the payload of a one-value
 *     topic): @text
 * @GST_WEATHER_FIELD_NUMBER: a JSON number: @number
 * @GST_WEATHER_FIELD_NULL: JSON null
 * @GST_WEATHER_FIELD_OTHER: a boolean, an object or an array
 *
 * What a #GstWeatherField holds.
 */
typedef enum
{
  GST_WEATHER_FIELD_STRING,
  GST_WEATHER_FIELD_NUMBER,
  GST_WEATHER_FIELD_NULL,
  GST_WEATHER_FIELD_OTHER,
} GstWeatherFieldKind;

/**
 * GstWeatherField:
 * @name: the field's name
 * @kind: what it holds
 * @text: its value when it is a string (NUL-terminated UTF-8), else NULL
 * @number: its value when it is a JSON number
 *
 * One top-level member of a message, whatever parser read it, or one
 * value published on its own topic (a string: the payload).
 */
typedef struct
{
  const gchar *name;
  GstWeatherFieldKind kind;
  const gchar *text;
  gdouble number;
} GstWeatherField;

typedef struct _GstWeatherDecoder GstWeatherDecoder;

/* A decoder of @format. @log_object (may be NULL) names the element in
 * the log lines of the problems it counts. */
GST_WEATHER_API
GstWeatherDecoder * gst_weather_decoder_new         (GstWeatherFormat format,
                                                     GstObject * log_object);

GST_WEATHER_API
void            gst_weather_decoder_free            (GstWeatherDecoder * decoder);

/* The zone of zone-less local times (rtl_433's default time form): an
 * IANA name ("Europe/Berlin"), or NULL for the machine's zone. FALSE
 * when GLib does not know @timezone. */
GST_WEATHER_API
gboolean        gst_weather_decoder_set_timezone    (GstWeatherDecoder * decoder,
                                                     const gchar * timezone,
                                                     GError ** error);

/* The station of payloads that name none and come with no topic station
 * (NULL: none). FALSE when it is not a valid station name. */
GST_WEATHER_API
gboolean        gst_weather_decoder_set_station     (GstWeatherDecoder * decoder,
                                                     const gchar * station,
                                                     GError ** error);

/* Station metadata: names, altitudes for the sea-level reduction (NULL:
 * none). The decoder takes a reference. */
GST_WEATHER_API
void            gst_weather_decoder_set_stations    (GstWeatherDecoder * decoder,
                                                     GstWeatherStations * stations);

/* Decodes one message of @len bytes (-1: NUL-terminated). @topic_station,
 * when not NULL, is the station the message's topic names: it wins over
 * the payload's. @arrival_ns is when the message arrived (epoch ns): the
 * reading's time when the payload has none, and the reference of the
 * "more than a day ahead" check. On success received_at is left unknown.
 * On failure @error says why and the problem is counted. */
GST_WEATHER_API
gboolean        gst_weather_decoder_decode          (GstWeatherDecoder * decoder,
                                                     const gchar * data,
                                                     gssize len,
                                                     const gchar * topic_station,
                                                     gint64 arrival_ns,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* The same for a message already split into @n_fields fields (the values
 * of one station gathered from one-value-per-topic messages). A native
 * decoder does not read fields: it fails. */
GST_WEATHER_API
gboolean        gst_weather_decoder_decode_fields   (GstWeatherDecoder * decoder,
                                                     const GstWeatherField * fields,
                                                     guint n_fields,
                                                     const gchar * topic_station,
                                                     gint64 arrival_ns,
                                                     GstWeatherReading * reading,
                                                     GError ** error);

/* Adds the decoder's counters to @stats: one guint64 per problem
 * ("malformed", "bad-value", "out-of-range", "unknown-unit", "bad-time",
 * "absurd-time", "no-station", "no-measurement") and "time-from-arrival",
 * "no-sea-level-pressure" (readings that carry those flags). */
GST_WEATHER_API
void            gst_weather_decoder_add_stats       (GstWeatherDecoder * decoder,
                                                     GstStructure * stats);

GST_WEATHER_API
void            gst_weather_decoder_reset_stats     (GstWeatherDecoder * decoder);

/* The dialect format=auto picks for a message with these fields (never
 * AUTO): the rule of docs/feeds.md. */
GST_WEATHER_API
GstWeatherFormat gst_weather_format_detect          (const GstWeatherField * fields,
                                                     guint n_fields);

G_END_DECLS
