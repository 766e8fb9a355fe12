/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Leak checks for gst-check tests, on top of GStreamer's leaks tracer
 * (coretracers). A test calls weather_leaks_init() before gst_check_init()
 * to enable the tracer, then brackets the code under test with
 * weather_leaks_begin() and weather_leaks_assert_none(): every GstObject
 * and GstMiniObject type must have had as many instances destroyed as
 * created in between.
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

static void
count_list (GHashTable * counts, const GstStructure * checkpoint,
    const gchar * field, gint sign)
{
  const GValue *list = gst_structure_get_value (checkpoint, field);
  guint i;

  /* An empty list comes back as an empty (int) array. */
  if (list == NULL || !GST_VALUE_HOLDS_LIST (list))
    return;
  for (i = 0; i < gst_value_list_get_size (list); i++) {
    const GValue *v = gst_value_list_get_value (list, i);
    const gchar *type_name;
    gint old;

    if (!GST_VALUE_HOLDS_STRUCTURE (v))
      continue;
    type_name = gst_structure_get_string (gst_value_get_structure (v),
        "type-name");
    if (type_name == NULL)
      continue;
    old = GPOINTER_TO_INT (g_hash_table_lookup (counts, type_name));
    g_hash_table_replace (counts, g_strdup (type_name),
        GINT_TO_POINTER (old + sign));
  }
}

/* Objects created minus objects destroyed per type name since the last
 * checkpoint (gchar * -> GINT_TO_POINTER (count)). The tracer's activity
 * checkpoints give type names only and take no reference, so they are
 * safe while other threads create and destroy objects. */
static GHashTable *
weather_leaks_checkpoint (void)
{
  static gboolean tracking = FALSE;
  GstTracer *tracer = weather_leaks_get_tracer ();
  GHashTable *counts = g_hash_table_new_full (g_str_hash, g_str_equal,
      g_free, NULL);
  GstStructure *checkpoint = NULL;

  fail_unless (tracer != NULL,
      "the leaks tracer is not active (is coretracers visible?)");
  /* A streaming thread drops its last reference to its GstTask just after
   * gst_task_join() returns: join the task pool's threads first. */
  gst_task_cleanup_all ();
  if (!tracking) {
    g_signal_emit_by_name (tracer, "activity-start-tracking");
    tracking = TRUE;
  } else {
    g_signal_emit_by_name (tracer, "activity-get-checkpoint", &checkpoint);
    fail_unless (checkpoint != NULL);
    count_list (counts, checkpoint, "objects-created-list", 1);
    count_list (counts, checkpoint, "objects-removed-list", -1);
    gst_structure_free (checkpoint);
  }
  gst_object_unref (tracer);
  return counts;
}

/* Starts counting; pair with weather_leaks_assert_none(). */
static void
weather_leaks_begin (void)
{
  g_hash_table_unref (weather_leaks_checkpoint ());
}

/* Fails the test when a type has more instances created than destroyed
 * since weather_leaks_begin(), naming each such type. */
static void
weather_leaks_assert_none (const gchar * what)
{
  GHashTable *counts = weather_leaks_checkpoint ();
  GHashTableIter iter;
  gpointer key, value;
  GString *report = g_string_new (NULL);

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    if (GPOINTER_TO_INT (value) > 0)
      g_string_append_printf (report, " %d %s;", GPOINTER_TO_INT (value),
          (gchar *) key);
  }
  g_hash_table_unref (counts);
  fail_unless (report->len == 0, "%s leaked:%s", what, report->str);
  g_string_free (report, TRUE);
}
