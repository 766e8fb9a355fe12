/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Leak checks for gst-check tests, on top of GStreamer's leaks tracer
 * (coretracers). A test calls weather_leaks_init() before gst_check_init()
 * to enable the tracer, then compares two snapshots: the number of live
 * GstObjects and GstMiniObjects per type before and after the code under
 * test. A type with more live instances afterwards has leaked.
 *
 * Counting per type instead of comparing addresses lets an element drop
 * and re-create its children across state changes (a bin re-plugging its
 * branches) without a false report, while a leak of one object per cycle
 * still shows up as a count that grows with the number of cycles.
 */
#pragma once

#include <gst/check/gstcheck.h>

/* Enables the leaks tracer; call before gst_check_init(). A GST_TRACERS
 * already set by the user wins. */
static void
weather_leaks_init (void)
{
  g_setenv ("GST_TRACERS", "leaks", FALSE);
}

static GstTracer *
weather_leaks_get_tracer (void)
{
  GList *tracers = gst_tracing_get_active_tracers (), *l;
  GstTracer *found = NULL;

  for (l = tracers; l != NULL; l = l->next) {
    if (found == NULL
        && g_str_equal (G_OBJECT_TYPE_NAME (l->data), "GstLeaksTracer"))
      found = gst_object_ref (l->data);
  }
  g_list_free_full (tracers, gst_object_unref);
  return found;
}

/* Live objects per type name (gchar * -> GUINT_TO_POINTER (count)). */
static GHashTable *
weather_leaks_snapshot (void)
{
  GstTracer *tracer = weather_leaks_get_tracer ();
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GstStructure *info = NULL;
  const GValue *list;
  guint i;

  fail_unless (tracer != NULL,
      "the leaks tracer is not active (is coretracers visible?)");
  g_signal_emit_by_name (tracer, "get-live-objects", &info);
  fail_unless (info != NULL);
  list = gst_structure_get_value (info, "live-objects-list");
  fail_unless (list != NULL && GST_VALUE_HOLDS_LIST (list));

  for (i = 0; i < gst_value_list_get_size (list); i++) {
    const GstStructure *obj =
        gst_value_get_structure (gst_value_list_get_value (list, i));
    const GValue *object = gst_structure_get_value (obj, "object");
    const gchar *type_name;
    gpointer old;

    if (object == NULL)
      continue;
    if (G_VALUE_HOLDS_OBJECT (object) && g_value_get_object (object))
      type_name = G_OBJECT_TYPE_NAME (g_value_get_object (object));
    else
      type_name = G_VALUE_TYPE_NAME (object);
    old = g_hash_table_lookup (counts, type_name);
    g_hash_table_replace (counts, g_strdup (type_name),
        GUINT_TO_POINTER (GPOINTER_TO_UINT (old) + 1));
  }
  gst_structure_free (info);
  gst_object_unref (tracer);
  return counts;
}

/* Fails the test when a type has more live instances in @after than in
 * @before, naming each such type; frees both tables. */
static void
weather_leaks_assert_no_growth (GHashTable * before, GHashTable * after,
    const gchar * what)
{
  GHashTableIter iter;
  gpointer key, value;
  GString *report = g_string_new (NULL);

  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    guint was = GPOINTER_TO_UINT (g_hash_table_lookup (before, key));
    guint now = GPOINTER_TO_UINT (value);

    if (now > was)
      g_string_append_printf (report, " %s: %u -> %u;", (gchar *) key, was,
          now);
  }
  g_hash_table_unref (before);
  g_hash_table_unref (after);
  fail_unless (report->len == 0, "%s leaked:%s", what, report->str);
  g_string_free (report, TRUE);
}
