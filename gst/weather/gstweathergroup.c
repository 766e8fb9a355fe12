/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweather-private.h"

#define GST_CAT_DEFAULT gst_weather_lib_debug

/* Offsets of the group header (docs/schema.md); version 1 ends at 32,
 * with OFF_KEY_KIND reserved (zero, the kind of all stations). */
#define OFF_WINDOW_START 0
#define OFF_WINDOW_END 8
#define OFF_FLAGS 16
#define OFF_N_SLOTS 20
#define OFF_N_PRESENT 24
#define OFF_KEY_KIND 28
#define OFF_KEY_ID 32
#define OFF_RESERVED 36
#define OFF_KEY_NAME 40

G_STATIC_ASSERT (OFF_KEY_NAME + GST_WEATHER_KEY_NAME_SIZE ==
    GST_WEATHER_GROUP_HEADER_SIZE);
G_STATIC_ASSERT (OFF_KEY_ID == OFF_KEY_KIND + 4);

#define KNOWN_GROUP_FLAGS (GST_WEATHER_GROUP_FLAG_INCOMPLETE)

GstCaps *
gst_weather_group_caps_new (void)
{
  return gst_caps_new_simple (GST_WEATHER_GROUP_MEDIA_TYPE,
      "version", G_TYPE_INT, GST_WEATHER_GROUP_VERSION, NULL);
}

void
gst_weather_group_init (GstWeatherGroup * group, guint32 n_slots)
{
  guint32 i;

  g_return_if_fail (group != NULL);
  g_return_if_fail (n_slots <= GST_WEATHER_GROUP_MAX_SLOTS);

  memset (group, 0, sizeof (*group));
  gst_weather_key_init_all (&group->key);
  group->n_slots = n_slots;
  group->slots = n_slots ? g_new (GstWeatherReading, n_slots) : NULL;
  for (i = 0; i < n_slots; i++) {
    gst_weather_reading_init (&group->slots[i]);
    group->slots[i].flags = GST_WEATHER_READING_FLAG_MISSING;
  }
}

void
gst_weather_group_clear (GstWeatherGroup * group)
{
  g_return_if_fail (group != NULL);

  g_free (group->slots);
  memset (group, 0, sizeof (*group));
}

/* The checks of gst_weather_group_validate() that need no slot. */
static gboolean
group_validate_header (const GstWeatherGroup * group, GError ** error)
{
  if (group->window_start < 0) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "window_start: %" G_GINT64_FORMAT " is before the UNIX epoch",
        group->window_start);
    return FALSE;
  }
  if (group->window_end <= group->window_start) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "window_end: %" G_GINT64_FORMAT " is not after window_start %"
        G_GINT64_FORMAT, group->window_end, group->window_start);
    return FALSE;
  }
  if (group->flags & ~KNOWN_GROUP_FLAGS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "flags: unknown bits 0x%x", group->flags & ~KNOWN_GROUP_FLAGS);
    return FALSE;
  }
  if (!gst_weather_key_validate (&group->key, error))
    return FALSE;
  if (group->n_slots > GST_WEATHER_GROUP_MAX_SLOTS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "expected: %u slots, more than %d", group->n_slots,
        GST_WEATHER_GROUP_MAX_SLOTS);
    return FALSE;
  }
  return TRUE;
}

/* The checks of slot @i (@prev: slot i - 1, NULL for the first); counts
 * a present slot in @present. */
static gboolean
group_validate_slot (const GstWeatherGroup * group, guint32 i,
    const GstWeatherReading * r, const GstWeatherReading * prev,
    guint32 * present, GError ** error)
{
  if (prev && r->station_id <= prev->station_id) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "stations[%u].station_id: %u does not follow %u (slots are sorted "
        "by station_id and unique)", i, r->station_id, prev->station_id);
    return FALSE;
  }
  if (!gst_weather_reading_validate (r, error)) {
    g_prefix_error (error, "stations[%u].", i);
    return FALSE;
  }
  if (r->flags & GST_WEATHER_READING_FLAG_MISSING)
    return TRUE;
  (*present)++;
  if (r->created_at < group->window_start || r->created_at >= group->window_end) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "stations[%u].created_at: %" G_GINT64_FORMAT " is outside the "
        "window [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT ")", i,
        r->created_at, group->window_start, group->window_end);
    return FALSE;
  }
  return TRUE;
}

static gboolean
group_validate_present (const GstWeatherGroup * group, guint32 present,
    GError ** error)
{
  if (present != group->n_present) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "present: %u but %u slots hold a reading", group->n_present, present);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_group_validate (const GstWeatherGroup * group, GError ** error)
{
  guint32 i, present = 0;

  g_return_val_if_fail (group != NULL, FALSE);

  if (!group_validate_header (group, error))
    return FALSE;
  if (group->n_slots > 0 && group->slots == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
        "stations: %u slots announced but none given", group->n_slots);
    return FALSE;
  }

  for (i = 0; i < group->n_slots; i++) {
    if (!group_validate_slot (group, i, &group->slots[i],
            i > 0 ? &group->slots[i - 1] : NULL, &present, error))
      return FALSE;
  }
  return group_validate_present (group, present, error);
}

void
gst_weather_group_write_header (const GstWeatherGroup * group, guint8 * data)
{
  g_return_if_fail (group != NULL);
  g_return_if_fail (data != NULL);

  GST_WRITE_UINT64_LE (data + OFF_WINDOW_START, (guint64) group->window_start);
  GST_WRITE_UINT64_LE (data + OFF_WINDOW_END, (guint64) group->window_end);
  GST_WRITE_UINT32_LE (data + OFF_FLAGS, group->flags);
  GST_WRITE_UINT32_LE (data + OFF_N_SLOTS, group->n_slots);
  GST_WRITE_UINT32_LE (data + OFF_N_PRESENT, group->n_present);
  GST_WRITE_UINT32_LE (data + OFF_RESERVED, 0);
  gst_weather_priv_key_write (&group->key, data + OFF_KEY_KIND,
      data + OFF_KEY_NAME);
}

GstBuffer *
gst_weather_group_to_buffer (const GstWeatherGroup * group)
{
  GstBuffer *buffer;
  GstMapInfo map;
  guint32 i;

  g_return_val_if_fail (group != NULL, NULL);
  g_return_val_if_fail (group->n_slots <= GST_WEATHER_GROUP_MAX_SLOTS, NULL);
  g_return_val_if_fail (group->n_slots == 0 || group->slots != NULL, NULL);

  buffer = gst_buffer_new_allocate (NULL,
      GST_WEATHER_GROUP_RECORD_SIZE (group->n_slots), NULL);
  gst_buffer_map (buffer, &map, GST_MAP_WRITE);
  gst_weather_group_write_header (group, map.data);
  for (i = 0; i < group->n_slots; i++) {
    gst_weather_reading_write (&group->slots[i], map.data +
        GST_WEATHER_GROUP_RECORD_SIZE (i));
  }
  gst_buffer_unmap (buffer, &map);
  return buffer;
}

/* Reads the header of the record at @data into @group (no slots) and
 * checks the record's size; the header's offset of slot 0 in @header. */
static gboolean
group_unpack_header (const guint8 * data, gsize size, gint version,
    GstWeatherGroup * group, gsize * header, GError ** error)
{
  guint32 n_slots;
  GstWeatherKey key;

  *header = version == 1 ? GST_WEATHER_GROUP_V1_HEADER_SIZE :
      GST_WEATHER_GROUP_HEADER_SIZE;
  if (size < *header) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SIZE,
        "payload: %" G_GSIZE_FORMAT " bytes, shorter than the %"
        G_GSIZE_FORMAT " byte header of a version %d group", size, *header,
        version);
    return FALSE;
  }
  n_slots = GST_READ_UINT32_LE (data + OFF_N_SLOTS);
  if (n_slots > GST_WEATHER_GROUP_MAX_SLOTS) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "expected: %u slots, more than %d", n_slots,
        GST_WEATHER_GROUP_MAX_SLOTS);
    return FALSE;
  }
  if (size != *header + (gsize) n_slots * GST_WEATHER_READING_SIZE) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SIZE,
        "payload: %" G_GSIZE_FORMAT " bytes, a version %d group of %u slots "
        "is %" G_GSIZE_FORMAT " bytes", size, version, n_slots,
        *header + (gsize) n_slots * GST_WEATHER_READING_SIZE);
    return FALSE;
  }
  if (version == 1) {
    if (GST_READ_UINT32_LE (data + OFF_KEY_KIND) != 0) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "reserved: header bytes 28–31 are not zero");
      return FALSE;
    }
    gst_weather_key_init_all (&key);
  } else if (GST_READ_UINT32_LE (data + OFF_RESERVED) != 0) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "reserved: header bytes 36–39 are not zero");
    return FALSE;
  } else if (!gst_weather_priv_key_read (&key, data + OFF_KEY_KIND,
          data + OFF_KEY_NAME, error)) {
    return FALSE;
  }

  memset (group, 0, sizeof (*group));
  group->n_slots = n_slots;
  group->window_start = (gint64) GST_READ_UINT64_LE (data + OFF_WINDOW_START);
  group->window_end = (gint64) GST_READ_UINT64_LE (data + OFF_WINDOW_END);
  group->flags = GST_READ_UINT32_LE (data + OFF_FLAGS);
  group->n_present = GST_READ_UINT32_LE (data + OFF_N_PRESENT);
  group->key = key;
  return TRUE;
}

static gboolean
group_unpack (const guint8 * data, gsize size, gint version,
    GstWeatherGroup * group, GError ** error)
{
  gsize header;
  guint32 i;

  if (!group_unpack_header (data, size, version, group, &header, error))
    return FALSE;
  /* every slot is written below: no need to initialise them first */
  group->slots = group->n_slots ? g_new (GstWeatherReading, group->n_slots)
      : NULL;
  /* each slot is validated once, by gst_weather_group_validate() */
  for (i = 0; i < group->n_slots; i++) {
    if (!gst_weather_priv_reading_unpack (&group->slots[i],
            data + header + (gsize) i * GST_WEATHER_READING_SIZE, error)) {
      g_prefix_error (error, "stations[%u].", i);
      /* the slots after this one were never written */
      gst_weather_group_clear (group);
      return FALSE;
    }
  }
  return gst_weather_group_validate (group, error);
}

/* The version check and the mapping that every reader of a group buffer
 * starts with. */
static gboolean
group_map (GstBuffer * buffer, gint version, GstMapInfo * map, GError ** error)
{
  if (version != 1 && version != GST_WEATHER_GROUP_VERSION) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_VERSION,
        "version: %d is not supported (this library reads groups of "
        "versions 1 and %d)", version, GST_WEATHER_GROUP_VERSION);
    return FALSE;
  }

  if (!gst_buffer_map (buffer, map, GST_MAP_READ)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SIZE,
        "payload: buffer cannot be mapped for reading");
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_group_from_buffer (GstBuffer * buffer, GstWeatherGroup * group,
    GError ** error)
{
  return gst_weather_group_from_buffer_version (buffer,
      GST_WEATHER_GROUP_VERSION, group, error);
}

gboolean
gst_weather_group_from_buffer_version (GstBuffer * buffer, gint version,
    GstWeatherGroup * group, GError ** error)
{
  GstMapInfo map;
  gboolean ret;

  g_return_val_if_fail (group != NULL, FALSE);
  memset (group, 0, sizeof (*group));
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);

  if (!group_map (buffer, version, &map, error))
    return FALSE;
  ret = group_unpack (map.data, map.size, version, group, error);
  gst_buffer_unmap (buffer, &map);
  return ret;
}

gboolean
gst_weather_group_foreach_slot (GstBuffer * buffer, gint version,
    GstWeatherGroup * group, GstWeatherGroupSlotFunc func,
    gpointer user_data, GError ** error)
{
  GstWeatherReading slot[2];
  GstMapInfo map;
  gsize header;
  guint32 i, present = 0;
  gboolean ret;

  g_return_val_if_fail (group != NULL, FALSE);
  memset (group, 0, sizeof (*group));
  g_return_val_if_fail (GST_IS_BUFFER (buffer), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!group_map (buffer, version, &map, error))
    return FALSE;
  ret = group_unpack_header (map.data, map.size, version, group, &header,
      error) && group_validate_header (group, error);
  /* one slot at a time, the previous one kept for the order check */
  for (i = 0; ret && i < group->n_slots; i++) {
    GstWeatherReading *r = &slot[i % 2];

    if (!gst_weather_priv_reading_unpack (r,
            map.data + header + (gsize) i * GST_WEATHER_READING_SIZE, error)) {
      g_prefix_error (error, "stations[%u].", i);
      ret = FALSE;
    } else if (group_validate_slot (group, i, r, i > 0 ? &slot[(i + 1) % 2] :
            NULL, &present, error)) {
      func (r, user_data);
    } else {
      ret = FALSE;
    }
  }
  ret = ret && group_validate_present (group, present, error);
  gst_buffer_unmap (buffer, &map);
  return ret;
}
