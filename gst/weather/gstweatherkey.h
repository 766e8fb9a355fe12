/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/gstweatherreading.h>

G_BEGIN_DECLS

/**
 * GstWeatherKeyKind:
 * @GST_WEATHER_KEY_ALL: every station together: id 0, name "all"
 * @GST_WEATHER_KEY_STATION: one station: its station id, and its name (its
 *     decimal id when it has none)
 * @GST_WEATHER_KEY_REGION: the stations of one region: the region's name,
 *     and as id the 32-bit FNV-1a hash of that name
 *     (gst_weather_station_id_from_name())
 *
 * What the stations of a group have in common: grouper's `group-by`
 * (docs/schema.md, "Keys").
 */
typedef enum
{
  GST_WEATHER_KEY_ALL = 0,
  GST_WEATHER_KEY_STATION = 1,
  GST_WEATHER_KEY_REGION = 2,
} GstWeatherKeyKind;

/**
 * GST_WEATHER_KEY_NAME_SIZE:
 *
 * Bytes of a key name in a record, NUL terminator included: a name is 1 to
 * %GST_WEATHER_KEY_NAME_MAX_LEN bytes of UTF-8, like a station name.
 */
#define GST_WEATHER_KEY_NAME_SIZE GST_WEATHER_STATION_NAME_SIZE
#define GST_WEATHER_KEY_NAME_MAX_LEN (GST_WEATHER_KEY_NAME_SIZE - 1)

/**
 * GstWeatherKey:
 * @kind: a #GstWeatherKeyKind
 * @id: stable across machines and runs: 0 for all, the station id, or
 *     the FNV-1a hash of the region name
 * @name: never empty: "all", the station's name (or its decimal id), or
 *     the region's name; UTF-8, NUL terminated, at most 55 bytes
 *
 * The key of a group and of the prediction made from it. Two keys are the
 * same key when kind, id and name are equal (gst_weather_key_equal()).
 * The name is what MQTT topics and Home Assistant show; kind and id make
 * a stable unique id (for instance `region-2166136261`).
 */
typedef struct
{
  GstWeatherKeyKind kind;
  guint32 id;
  gchar name[GST_WEATHER_KEY_NAME_SIZE];
} GstWeatherKey;

/* "all", "station", "region"; NULL for an unknown value. */
GST_WEATHER_API
const gchar *   gst_weather_key_kind_to_string      (GstWeatherKeyKind kind);

/* The kind named @name ("all", "station", "region"); FALSE for anything
 * else. */
GST_WEATHER_API
gboolean        gst_weather_key_kind_from_string    (const gchar * name,
                                                     GstWeatherKeyKind * kind);

/* The key of every station: kind all, id 0, name "all". */
GST_WEATHER_API
void            gst_weather_key_init_all            (GstWeatherKey * key);

/* The key of one station; @name may be NULL or empty (the name is then
 * the decimal id), otherwise valid UTF-8 of at most 55 bytes, as every
 * valid reading's station name is. */
GST_WEATHER_API
void            gst_weather_key_init_station        (GstWeatherKey * key,
                                                     guint32 station_id,
                                                     const gchar * name);

/* The key of the region @region; fails (GST_WEATHER_ERROR_RANGE / _UTF8)
 * when it is empty, longer than 55 bytes or not valid UTF-8. */
GST_WEATHER_API
gboolean        gst_weather_key_init_region         (GstWeatherKey * key,
                                                     const gchar * region,
                                                     GError ** error);

/* The key a station belongs to when groups are made by @group_by: all;
 * the station itself; or its region @region, or, when @region is NULL or
 * empty, a region of its own named like the station (its name, else its
 * decimal id). @station_name may be NULL or empty. Fails like
 * gst_weather_key_init_region() for an invalid @region. The one rule
 * grouper follows, for anyone who needs the key of a reading
 * (docs/schema.md, "Keys"). */
GST_WEATHER_API
gboolean        gst_weather_key_for_station         (GstWeatherKey * key,
                                                     GstWeatherKeyKind group_by,
                                                     guint32 station_id,
                                                     const gchar * station_name,
                                                     const gchar * region,
                                                     GError ** error);

/* Kind known; all: id 0 and name "all"; station: a name; region: a name
 * whose FNV-1a hash is the id; every name 1 to 55 bytes of UTF-8 in a NUL
 * terminated array. Errors start with "key.kind:", "key.id:" or
 * "key.name:". */
GST_WEATHER_API
gboolean        gst_weather_key_validate            (const GstWeatherKey * key,
                                                     GError ** error);

GST_WEATHER_API
gboolean        gst_weather_key_equal               (const GstWeatherKey * a,
                                                     const GstWeatherKey * b);

/* A total order: kind, then id, then name (bytes). Grouper pushes the
 * groups of one window in this order. */
GST_WEATHER_API
gint            gst_weather_key_compare             (const GstWeatherKey * a,
                                                     const GstWeatherKey * b);

/* For GHashTable (with gst_weather_key_equal()). */
GST_WEATHER_API
guint           gst_weather_key_hash                (const GstWeatherKey * key);

/**
 * GST_WEATHER_REGION_EVENT_NAME:
 *
 * The structure name of the region event: a custom serialized downstream
 * event (GST_EVENT_CUSTOM_DOWNSTREAM) saying which region a station
 * belongs to, sent before the station's first reading by a source that
 * knows it (mqttsrc's `region-topic-level`). Fields: `station-id`
 * (guint), `region` (string, 1 to 55 bytes of UTF-8).
 */
#define GST_WEATHER_REGION_EVENT_NAME "weather-station-region"

/* NULL when @region is not a valid region name. */
GST_WEATHER_API
GstEvent *      gst_weather_region_event_new        (guint32 station_id,
                                                     const gchar * region);

/* TRUE when @event is a region event with valid fields; @region points
 * into the event's structure. */
GST_WEATHER_API
gboolean        gst_weather_region_event_parse      (GstEvent * event,
                                                     guint32 * station_id,
                                                     const gchar ** region);

G_END_DECLS
