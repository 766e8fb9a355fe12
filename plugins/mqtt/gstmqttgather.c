/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstmqttgather.h"

/* A station publishing more distinct fields than this in one interval is
 * cut into several sets: it bounds the memory of one set. */
#define MAX_FIELDS 256

struct _GstMqttGather
{
  gint64 interval_us;
  GHashTable *open;             /* key -> GstMqttGathered */
  GQueue order;                 /* GstMqttGathered, oldest first: each set is
                                 * due interval after its first value, so the
                                 * oldest is due first */
};

GstMqttGather *
gst_mqtt_gather_new (GstClockTime interval)
{
  GstMqttGather *g = g_new0 (GstMqttGather, 1);

  g->interval_us = (gint64) MIN (interval / GST_USECOND, G_MAXINT64 / 4);
  g->open = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&g->order);
  return g;
}

static void
clear_field (GstWeatherField * f)
{
  g_free ((gchar *) f->name);
  g_free ((gchar *) f->text);
}

void
gst_mqtt_gathered_free (GstMqttGathered * set)
{
  if (set == NULL)
    return;
  g_free (set->key);
  g_free (set->station);
  g_array_unref (set->fields);
  g_free (set);
}

void
gst_mqtt_gather_free (GstMqttGather * g)
{
  if (g == NULL)
    return;
  g_hash_table_unref (g->open);
  g_queue_clear_full (&g->order, (GDestroyNotify) gst_mqtt_gathered_free);
  g_free (g);
}

gboolean
gst_mqtt_gather_split_topic (const gchar * topic, gchar ** key,
    gchar ** station, const gchar ** field)
{
  const gchar *last = strrchr (topic, '/');
  const gchar *devices;

  *key = NULL;
  *station = NULL;
  if (last == NULL || last[1] == '\0')
    return FALSE;
  *field = last + 1;
  *key = g_strndup (topic, last - topic);

  /* rtl_433: <base>/devices[/type]/model[/subtype][/channel][/id]/<field> */
  devices = strstr (topic, "/devices/");
  if (devices == NULL && g_str_has_prefix (topic, "devices/"))
    devices = topic - 1;
  if (devices && devices + 9 < last)
    *station = g_strndup (devices + 9, last - (devices + 9));
  return TRUE;
}

static GstMqttGathered *
close_set (GstMqttGather * g, GstMqttGathered * set)
{
  g_hash_table_remove (g->open, set->key);
  g_queue_remove (&g->order, set);
  return set;
}

GstMqttGathered *
gst_mqtt_gather_add (GstMqttGather * g, const gchar * key,
    const gchar * station, const gchar * field, const gchar * value,
    gint64 now_mono, gint64 arrival_ns)
{
  GstMqttGathered *set = g_hash_table_lookup (g->open, key), *done = NULL;
  GstWeatherField f = { 0, };
  guint i;

  if (set) {
    gboolean repeated = set->fields->len >= MAX_FIELDS;

    for (i = 0; i < set->fields->len && !repeated; i++)
      repeated = strcmp (g_array_index (set->fields, GstWeatherField,
              i).name, field) == 0;
    if (repeated) {
      done = close_set (g, set);
      set = NULL;
    }
  }
  if (set == NULL) {
    set = g_new0 (GstMqttGathered, 1);
    set->key = g_strdup (key);
    set->station = g_strdup (station);
    set->fields = g_array_new (FALSE, FALSE, sizeof (GstWeatherField));
    g_array_set_clear_func (set->fields, (GDestroyNotify) clear_field);
    set->first_arrival = arrival_ns;
    set->due = now_mono + g->interval_us;
    g_hash_table_insert (g->open, set->key, set);
    g_queue_push_tail (&g->order, set);
  }
  f.name = g_strdup (field);
  f.kind = GST_WEATHER_FIELD_STRING;
  f.text = g_strdup (value);
  g_array_append_val (set->fields, f);
  return done;
}

GstMqttGathered *
gst_mqtt_gather_pop_due (GstMqttGather * g, gint64 now_mono)
{
  GstMqttGathered *set = g_queue_peek_head (&g->order);

  if (set == NULL || set->due > now_mono)
    return NULL;
  return close_set (g, set);
}

gint64
gst_mqtt_gather_next_due (GstMqttGather * g)
{
  GstMqttGathered *set = g_queue_peek_head (&g->order);

  return set ? set->due : G_MAXINT64;
}

guint
gst_mqtt_gather_get_open (GstMqttGather * g)
{
  return g_hash_table_size (g->open);
}
