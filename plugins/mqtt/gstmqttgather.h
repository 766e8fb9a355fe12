/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Gathers one-value-per-topic messages (rtl_433's devices topics, WeeWX's
 * and pywws' individual topics) into one set of fields per station, for
 * the decoder's gst_weather_decoder_decode_fields(). Used by the
 * streaming thread of mqttsrc only: no lock.
 */
#pragma once

#include <gst/weather/weather.h>

G_BEGIN_DECLS

typedef struct _GstMqttGather GstMqttGather;

/* One station's values, complete. */
typedef struct
{
  gchar *key;                   /* the topic prefix the values came on */
  gchar *station;               /* the station the topic layout names, or NULL */
  GArray *fields;               /* GstWeatherField, text owned here */
  gint64 first_arrival;         /* epoch ns of the first value */
  gint64 due;                   /* monotonic µs: first value + interval */
} GstMqttGathered;

GstMqttGather * gst_mqtt_gather_new                 (GstClockTime interval);

void            gst_mqtt_gather_free                (GstMqttGather * gather);

void            gst_mqtt_gathered_free              (GstMqttGathered * set);

/* Splits @topic into the key of its station's set, the station the topic
 * layout names (rtl_433's ".../devices/MODEL[/CHANNEL]/ID/FIELD": the path
 * between "devices" and the field; NULL otherwise, newly allocated) and
 * the field (the last level). FALSE when the topic has a single level. */
gboolean        gst_mqtt_gather_split_topic         (const gchar * topic,
                                                     gchar ** key,
                                                     gchar ** station,
                                                     const gchar ** field);

/* Adds @value of @field under @key. A field that the open set of @key
 * already has starts a new set: the open one is complete and returned
 * (the caller frees it); otherwise NULL. @now_mono is g_get_monotonic_time(),
 * @arrival_ns the epoch time. */
GstMqttGathered * gst_mqtt_gather_add               (GstMqttGather * gather,
                                                     const gchar * key,
                                                     const gchar * station,
                                                     const gchar * field,
                                                     const gchar * value,
                                                     gint64 now_mono,
                                                     gint64 arrival_ns);

/* The set whose gather interval ran out first, when it has by @now_mono
 * (monotonic µs); NULL when none has. With @now_mono G_MAXINT64, any set
 * (at EOS). */
GstMqttGathered * gst_mqtt_gather_pop_due           (GstMqttGather * gather,
                                                     gint64 now_mono);

/* Monotonic µs at which the next set is due, or G_MAXINT64 when none is
 * open. */
gint64          gst_mqtt_gather_next_due            (GstMqttGather * gather);

guint           gst_mqtt_gather_get_open            (GstMqttGather * gather);

G_END_DECLS
