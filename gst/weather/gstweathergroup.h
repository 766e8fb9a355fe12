/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/gstweatherreading.h>
#include <gst/weather/gstweatherkey.h>

G_BEGIN_DECLS

/**
 * GST_WEATHER_GROUP_VERSION:
 *
 * The version of the group record this library writes: 2, with a key
 * (docs/schema.md). Version 1 (no key, read as the key of all stations) is
 * still read: %GST_WEATHER_GROUP_CAPS_ANY_VERSION.
 */
#define GST_WEATHER_GROUP_VERSION 2
#define GST_WEATHER_GROUP_CAPS "application/x-weather-group, version=(int)2"
#define GST_WEATHER_GROUP_CAPS_ANY_VERSION "application/x-weather-group, version=(int)[ 1, 2 ]"
#define GST_WEATHER_GROUP_MEDIA_TYPE "application/x-weather-group"

/**
 * GST_WEATHER_GROUP_HEADER_SIZE:
 *
 * A group buffer is this header followed by n_slots reading records of
 * %GST_WEATHER_READING_SIZE bytes each (version 2; the version 1 header
 * was %GST_WEATHER_GROUP_V1_HEADER_SIZE bytes).
 */
#define GST_WEATHER_GROUP_HEADER_SIZE 96
#define GST_WEATHER_GROUP_V1_HEADER_SIZE 32

/**
 * GST_WEATHER_GROUP_RECORD_SIZE:
 * @n_slots: number of slots
 *
 * Size in bytes of a group record of @n_slots slots; slot i starts at byte
 * %GST_WEATHER_GROUP_HEADER_SIZE + i × %GST_WEATHER_READING_SIZE.
 */
#define GST_WEATHER_GROUP_RECORD_SIZE(n_slots) \
    (GST_WEATHER_GROUP_HEADER_SIZE + (gsize) (n_slots) * GST_WEATHER_READING_SIZE)

/**
 * GST_WEATHER_GROUP_MAX_SLOTS:
 *
 * Upper bound on the slots of one group; larger groups are invalid.
 */
#define GST_WEATHER_GROUP_MAX_SLOTS 1000000

/**
 * GstWeatherGroupFlags:
 * @GST_WEATHER_GROUP_FLAG_NONE: a group that met its quorum
 * @GST_WEATHER_GROUP_FLAG_INCOMPLETE: fewer stations present than the
 *     grouper's min-stations
 */
typedef enum
{
  GST_WEATHER_GROUP_FLAG_NONE = 0,
  GST_WEATHER_GROUP_FLAG_INCOMPLETE = (1 << 0),
} GstWeatherGroupFlags;

/**
 * GstWeatherGroup:
 * @window_start: first instant of the window, ns since the UNIX epoch
 * @window_end: end of the window (exclusive), ns since the UNIX epoch
 * @flags: #GstWeatherGroupFlags
 * @n_slots: number of expected stations, one slot each
 * @n_present: slots holding a reading (the rest are flagged MISSING)
 * @key: what the stations of the group have in common (all, a station,
 *     a region)
 * @slots: (array length=n_slots): sorted by station_id ascending
 */
typedef struct
{
  gint64 window_start;
  gint64 window_end;
  guint32 flags;
  guint32 n_slots;
  guint32 n_present;
  GstWeatherKey key;
  GstWeatherReading *slots;
} GstWeatherGroup;

GST_WEATHER_API
GstCaps *       gst_weather_group_caps_new          (void);

/* Allocates @n_slots slots, each initialised and flagged MISSING; the key
 * is that of all stations. */
GST_WEATHER_API
void            gst_weather_group_init              (GstWeatherGroup * group,
                                                     guint32 n_slots);

GST_WEATHER_API
void            gst_weather_group_clear             (GstWeatherGroup * group);

/* Window ordered, a valid key (gst_weather_key_validate()), slots sorted
 * and unique, n_present consistent with the MISSING flags, every present
 * slot a valid reading inside the window. */
GST_WEATHER_API
gboolean        gst_weather_group_validate          (const GstWeatherGroup * group,
                                                     GError ** error);

GST_WEATHER_API
GstBuffer *     gst_weather_group_to_buffer         (const GstWeatherGroup * group);

/* Writes the header of @group (window, flags, n_slots, n_present, key)
 * into the first GST_WEATHER_GROUP_HEADER_SIZE bytes of @data; its slots
 * are not looked at. For a writer that puts the slots of a large group
 * straight into the buffer, each with gst_weather_reading_write(). */
GST_WEATHER_API
void            gst_weather_group_write_header      (const GstWeatherGroup * group,
                                                     guint8 * data);

/* Reads a version 2 record into @group (call gst_weather_group_clear()
 * afterwards, also on error). */
GST_WEATHER_API
gboolean        gst_weather_group_from_buffer       (GstBuffer * buffer,
                                                     GstWeatherGroup * group,
                                                     GError ** error);

/* The same for a record of @version (the `version` of the stream's caps):
 * 1 is read with the key of all stations, 2 as above; any other version
 * fails with GST_WEATHER_ERROR_VERSION. */
GST_WEATHER_API
gboolean        gst_weather_group_from_buffer_version (GstBuffer * buffer,
                                                     gint version,
                                                     GstWeatherGroup * group,
                                                     GError ** error);

/**
 * GstWeatherGroupSlotFunc:
 * @slot: one slot of the group, valid only during the call
 * @user_data: what was given to gst_weather_group_foreach_slot()
 */
typedef void (*GstWeatherGroupSlotFunc) (const GstWeatherReading * slot,
                                         gpointer user_data);

/* Reads a record of @version as gst_weather_group_from_buffer_version()
 * does, with the same checks, but without copying its slots: @group gets
 * the header (its slots stay NULL) and @func is called with each slot in
 * turn, straight from the mapped buffer. A reader of a large group (up to
 * GST_WEATHER_GROUP_MAX_SLOTS, 128 MB) holds one slot at a time instead of
 * a second copy of the group. On FALSE, @func may have seen the slots
 * before the first invalid one: commit nothing made from them. */
GST_WEATHER_API
gboolean        gst_weather_group_foreach_slot      (GstBuffer * buffer,
                                                     gint version,
                                                     GstWeatherGroup * group,
                                                     GstWeatherGroupSlotFunc func,
                                                     gpointer user_data,
                                                     GError ** error);

G_END_DECLS
