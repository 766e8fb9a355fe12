/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The feed properties that weatherparse and mqttsrc share (format,
 * timezone, station, stations-file, docs/feeds.md) and the decoder made
 * from them.
 */
#pragma once

#include <gst/gst.h>
#include <gst/weather/weather.h>

G_BEGIN_DECLS

#define GST_WEATHER_FEED_DEFAULT_FORMAT GST_WEATHER_FORMAT_NATIVE

/* The properties, in this order, from the id an element gives on. */
enum
{
  GST_WEATHER_FEED_PROP_FORMAT,
  GST_WEATHER_FEED_PROP_TIMEZONE,
  GST_WEATHER_FEED_PROP_STATION,
  GST_WEATHER_FEED_PROP_STATIONS_FILE,
  GST_WEATHER_FEED_N_PROPS
};

/* The values of the properties; the element guards them with its
 * GST_OBJECT_LOCK. */
typedef struct
{
  GstWeatherFormat format;
  gchar *timezone;
  gchar *station;
  gchar *stations_file;
} GstWeatherFeedSettings;

G_GNUC_INTERNAL
void            gst_weather_feed_settings_init      (GstWeatherFeedSettings * s);

G_GNUC_INTERNAL
void            gst_weather_feed_settings_clear     (GstWeatherFeedSettings * s);

/* Installs the properties with ids @first_id .. @first_id + 3, changeable
 * in NULL and READY. */
G_GNUC_INTERNAL
void            gst_weather_feed_install_properties (GObjectClass * klass,
                                                     guint first_id);

/* FALSE when @prop_id is not one of them (relative ids are prop_id -
 * first_id). Call with the object lock held. */
G_GNUC_INTERNAL
gboolean        gst_weather_feed_set_property       (GstWeatherFeedSettings * s,
                                                     guint first_id,
                                                     guint prop_id,
                                                     const GValue * value);

G_GNUC_INTERNAL
gboolean        gst_weather_feed_get_property       (const GstWeatherFeedSettings * s,
                                                     guint first_id,
                                                     guint prop_id,
                                                     GValue * value);

/* A decoder made from @element's feed properties (read through its
 * getters: they take the lock; the stations file is read without it).
 * NULL after posting on @element's bus the error a user can act on:
 * RESOURCE/SETTINGS for an unknown time zone or a station name that
 * cannot be one, RESOURCE/OPEN_READ for a stations file that cannot be
 * read (the debug text names the line). */
G_GNUC_INTERNAL
GstWeatherDecoder * gst_weather_feed_decoder_new    (GstElement * element);

/* The stations file at @path into *@stations (NULL when @path is NULL or
 * empty); FALSE after posting on @element's bus a RESOURCE/OPEN_READ
 * error naming the file (the debug text names the line). */
G_GNUC_INTERNAL
gboolean        gst_weather_feed_load_stations      (GstElement * element,
                                                     const gchar * path,
                                                     GstWeatherStations ** stations);

G_END_DECLS
