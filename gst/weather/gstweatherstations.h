/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>

G_BEGIN_DECLS

/**
 * GstWeatherStation:
 * @station: the station as feeds name it (the key of the file)
 * @name: the name readings of this station carry (@station when the file
 *     gives none)
 * @id: the id readings of this station carry: the file's `id`, or the
 *     FNV-1a hash of @name (gst_weather_station_id_from_name())
 * @altitude_m: metres above sea level, NaN when unknown
 * @latitude: degrees north, NaN when unknown
 * @longitude: degrees east, NaN when unknown
 * @region: the region the station belongs to, NULL when none
 *
 * One line of a stations file (docs/feeds.md, "Stations file").
 */
typedef struct
{
  const gchar *station;
  const gchar *name;
  guint32 id;
  gdouble altitude_m;
  gdouble latitude;
  gdouble longitude;
  const gchar *region;
} GstWeatherStation;

typedef struct _GstWeatherStations GstWeatherStations;

/* Reads the CSV stations file at @path. On failure @error says which
 * line and column is wrong. */
GST_WEATHER_API
GstWeatherStations * gst_weather_stations_load      (const gchar * path,
                                                     GError ** error);

/* The same from @len bytes of @text (-1: NUL-terminated); @origin names
 * the text in error messages. */
GST_WEATHER_API
GstWeatherStations * gst_weather_stations_parse     (const gchar * text,
                                                     gssize len,
                                                     const gchar * origin,
                                                     GError ** error);

GST_WEATHER_API
GstWeatherStations * gst_weather_stations_ref       (GstWeatherStations * stations);

GST_WEATHER_API
void            gst_weather_stations_unref          (GstWeatherStations * stations);

GST_WEATHER_API
guint           gst_weather_stations_get_size       (GstWeatherStations * stations);

/* The line whose `station` is @station, or NULL. */
GST_WEATHER_API
const GstWeatherStation * gst_weather_stations_lookup_name (GstWeatherStations * stations,
                                                     const gchar * station);

/* The line whose readings carry station id @id (its `id` column, or the
 * hash of its name), or whose `station` is the decimal number @id; NULL
 * when none. */
GST_WEATHER_API
const GstWeatherStation * gst_weather_stations_lookup_id (GstWeatherStations * stations,
                                                     guint32 id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GstWeatherStations, gst_weather_stations_unref)

G_END_DECLS
