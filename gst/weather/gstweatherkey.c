/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The key of a group and of its prediction: all stations, one station or
 * one region (docs/schema.md, "Keys").
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweather-private.h"

#define ALL_NAME "all"

const gchar *
gst_weather_key_kind_to_string (GstWeatherKeyKind kind)
{
  switch (kind) {
    case GST_WEATHER_KEY_ALL:
      return "all";
    case GST_WEATHER_KEY_STATION:
      return "station";
    case GST_WEATHER_KEY_REGION:
      return "region";
    default:
      return NULL;
  }
}

gboolean
gst_weather_key_kind_from_string (const gchar * name, GstWeatherKeyKind * kind)
{
  GstWeatherKeyKind k;

  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);

  for (k = GST_WEATHER_KEY_ALL; k <= GST_WEATHER_KEY_REGION; k++) {
    if (g_str_equal (name, gst_weather_key_kind_to_string (k))) {
      *kind = k;
      return TRUE;
    }
  }
  return FALSE;
}

static void
key_set (GstWeatherKey * key, GstWeatherKeyKind kind, guint32 id,
    const gchar * name)
{
  key->kind = kind;
  key->id = id;
  gst_weather_priv_write_text ((guint8 *) key->name, name, sizeof (key->name));
}

void
gst_weather_key_init_all (GstWeatherKey * key)
{
  g_return_if_fail (key != NULL);

  key_set (key, GST_WEATHER_KEY_ALL, 0, ALL_NAME);
}

/* The name of a station in a key: its own, else its decimal id. */
static const gchar *
station_key_name (guint32 station_id, const gchar * name, gchar * buf,
    gsize size)
{
  if (name && *name)
    return name;
  g_snprintf (buf, size, "%u", station_id);
  return buf;
}

void
gst_weather_key_init_station (GstWeatherKey * key, guint32 station_id,
    const gchar * name)
{
  gchar number[16];

  g_return_if_fail (key != NULL);
  g_return_if_fail (name == NULL
      || strlen (name) <= GST_WEATHER_KEY_NAME_MAX_LEN);

  key_set (key, GST_WEATHER_KEY_STATION, station_id,
      station_key_name (station_id, name, number, sizeof (number)));
}

/* 1 to 55 bytes of UTF-8; errors start with "@field:" */
static gboolean
check_name (const gchar * field, const gchar * name, gsize len, GError ** error)
{
  if (len == 0) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: empty (a key always has a name)", field);
    return FALSE;
  }
  if (len > GST_WEATHER_KEY_NAME_MAX_LEN) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "%s: %" G_GSIZE_FORMAT " bytes, longer than %d bytes", field, len,
        GST_WEATHER_KEY_NAME_MAX_LEN);
    return FALSE;
  }
  if (!g_utf8_validate (name, len, NULL)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "%s: not valid UTF-8", field);
    return FALSE;
  }
  return TRUE;
}

gboolean
gst_weather_key_init_region (GstWeatherKey * key, const gchar * region,
    GError ** error)
{
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (region != NULL, FALSE);

  if (!check_name ("region", region, strlen (region), error))
    return FALSE;
  key_set (key, GST_WEATHER_KEY_REGION,
      gst_weather_station_id_from_name (region), region);
  return TRUE;
}

gboolean
gst_weather_key_for_station (GstWeatherKey * key, GstWeatherKeyKind group_by,
    guint32 station_id, const gchar * station_name, const gchar * region,
    GError ** error)
{
  gchar number[16];

  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (station_name == NULL
      || strlen (station_name) <= GST_WEATHER_KEY_NAME_MAX_LEN, FALSE);

  switch (group_by) {
    case GST_WEATHER_KEY_STATION:
      gst_weather_key_init_station (key, station_id, station_name);
      return TRUE;
    case GST_WEATHER_KEY_REGION:
      if (!region || !*region)
        region = station_key_name (station_id, station_name, number,
            sizeof (number));
      return gst_weather_key_init_region (key, region, error);
    case GST_WEATHER_KEY_ALL:
      gst_weather_key_init_all (key);
      return TRUE;
    default:
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "key.kind: unknown kind %u (all 0, station 1, region 2)",
          (guint) group_by);
      return FALSE;
  }
}

gboolean
gst_weather_key_validate (const GstWeatherKey * key, GError ** error)
{
  const gchar *end;

  g_return_val_if_fail (key != NULL, FALSE);

  if (gst_weather_key_kind_to_string (key->kind) == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "key.kind: unknown kind %u (all 0, station 1, region 2)",
        (guint) key->kind);
    return FALSE;
  }
  end = memchr (key->name, '\0', sizeof (key->name));
  if (end == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "key.name: not NUL terminated within %d bytes",
        GST_WEATHER_KEY_NAME_SIZE);
    return FALSE;
  }
  if (!check_name ("key.name", key->name, end - key->name, error))
    return FALSE;

  switch (key->kind) {
    case GST_WEATHER_KEY_ALL:
      if (key->id != 0 || !g_str_equal (key->name, ALL_NAME)) {
        g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
            "key.id: the key of all stations has id 0 and name \"all\"");
        return FALSE;
      }
      break;
    case GST_WEATHER_KEY_REGION:
      if (key->id != gst_weather_station_id_from_name (key->name)) {
        g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
            "key.id: %u is not the FNV-1a hash of the region name (%u)",
            key->id, gst_weather_station_id_from_name (key->name));
        return FALSE;
      }
      break;
    case GST_WEATHER_KEY_STATION:
    default:
      break;
  }
  return TRUE;
}

gboolean
gst_weather_key_equal (const GstWeatherKey * a, const GstWeatherKey * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->kind == b->kind && a->id == b->id &&
      strncmp (a->name, b->name, sizeof (a->name)) == 0;
}

gint
gst_weather_key_compare (const GstWeatherKey * a, const GstWeatherKey * b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0);

  if (a->kind != b->kind)
    return a->kind < b->kind ? -1 : 1;
  if (a->id != b->id)
    return a->id < b->id ? -1 : 1;
  return strncmp (a->name, b->name, sizeof (a->name));
}

guint
gst_weather_key_hash (const GstWeatherKey * key)
{
  g_return_val_if_fail (key != NULL, 0);

  /* the id is a hash of the name for regions and unique for stations */
  return key->id ^ ((guint) key->kind * 0x9e3779b9u);
}

void
gst_weather_priv_key_write (const GstWeatherKey * key, guint8 * kind_id,
    guint8 * name)
{
  GST_WRITE_UINT32_LE (kind_id, (guint32) key->kind);
  GST_WRITE_UINT32_LE (kind_id + 4, key->id);
  gst_weather_priv_write_text (name, key->name, GST_WEATHER_KEY_NAME_SIZE);
}

gboolean
gst_weather_priv_key_read (GstWeatherKey * key, const guint8 * kind_id,
    const guint8 * name, GError ** error)
{
  if (!gst_weather_priv_text_padding_ok (name, GST_WEATHER_KEY_NAME_SIZE)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "key.name: non-zero bytes after the name's terminating NUL");
    return FALSE;
  }
  key->kind = (GstWeatherKeyKind) GST_READ_UINT32_LE (kind_id);
  key->id = GST_READ_UINT32_LE (kind_id + 4);
  memcpy (key->name, name, GST_WEATHER_KEY_NAME_SIZE);
  return TRUE;
}

static GQuark region_event_quarks[3];

static void
init_region_event_quarks (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done)) {
    region_event_quarks[0] =
        g_quark_from_static_string (GST_WEATHER_REGION_EVENT_NAME);
    region_event_quarks[1] = g_quark_from_static_string ("station-id");
    region_event_quarks[2] = g_quark_from_static_string ("region");
    g_once_init_leave (&done, 1);
  }
}

GstEvent *
gst_weather_region_event_new (guint32 station_id, const gchar * region)
{
  g_return_val_if_fail (region != NULL, NULL);

  if (!check_name ("region", region, strlen (region), NULL))
    return NULL;
  init_region_event_quarks ();
  return gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
      gst_structure_new_id (region_event_quarks[0],
          region_event_quarks[1], G_TYPE_UINT, station_id,
          region_event_quarks[2], G_TYPE_STRING, region, NULL));
}

gboolean
gst_weather_region_event_parse (GstEvent * event, guint32 * station_id,
    const gchar ** region)
{
  const GstStructure *s;
  const GValue *v;
  const gchar *name;
  guint id;

  g_return_val_if_fail (GST_IS_EVENT (event), FALSE);

  if (GST_EVENT_TYPE (event) != GST_EVENT_CUSTOM_DOWNSTREAM)
    return FALSE;
  init_region_event_quarks ();
  s = gst_event_get_structure (event);
  if (s == NULL || gst_structure_get_name_id (s) != region_event_quarks[0])
    return FALSE;
  if (!gst_structure_id_get (s, region_event_quarks[1], G_TYPE_UINT, &id, NULL))
    return FALSE;
  v = gst_structure_id_get_value (s, region_event_quarks[2]);
  if (v == NULL || !G_VALUE_HOLDS_STRING (v))
    return FALSE;
  name = g_value_get_string (v);
  if (name == NULL || !check_name ("region", name, strlen (name), NULL))
    return FALSE;
  if (station_id)
    *station_id = id;
  if (region)
    *region = name;
  return TRUE;
}
