/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The plugin's internal binary heap (plugins/gstweatherheap.c), against a
 * plain sorted reference under random pushes, removals and key changes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstweatherheap.h"

typedef struct
{
  gint key;
  guint id;                     /* tie-break: a total order */
  gint pos;                     /* kept by the heap, -1 when out */
} Elem;

static gint
elem_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Elem *ea = a, *eb = b;

  if (ea->key != eb->key)
    return ea->key < eb->key ? -1 : 1;
  if (ea->id != eb->id)
    return ea->id < eb->id ? -1 : 1;
  return 0;
}

static void
elem_moved (gpointer data, guint pos)
{
  ((Elem *) data)->pos = pos;
}

/* every element the heap holds knows its position, and the head is the
 * smallest of @in (the elements with pos >= 0) */
static void
check_heap (GstWeatherHeap * heap, Elem * elems, guint n)
{
  Elem *min = NULL;
  guint i, held = 0;

  for (i = 0; i < n; i++) {
    if (elems[i].pos < 0)
      continue;
    held++;
    fail_unless (gst_weather_heap_index (heap, elems[i].pos) == &elems[i]);
    if (!min || elem_compare (&elems[i], min, NULL) < 0)
      min = &elems[i];
  }
  fail_unless_equals_int (gst_weather_heap_length (heap), held);
  fail_unless (gst_weather_heap_peek (heap) == min);
}

GST_START_TEST (test_heap_sorts)
{
  GstWeatherHeap heap;
  Elem elems[500];
  GRand *rand = g_rand_new_with_seed (1);
  guint i;
  Elem *prev = NULL;

  gst_weather_heap_init (&heap, elem_compare, NULL);
  fail_unless (gst_weather_heap_peek (&heap) == NULL);
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    /* many equal keys: the id decides */
    elems[i].key = g_rand_int_range (rand, 0, 50);
    elems[i].id = i;
    gst_weather_heap_push (&heap, &elems[i]);
  }
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    Elem *e = gst_weather_heap_remove (&heap, 0);

    fail_unless (e != NULL);
    if (prev)
      fail_unless (elem_compare (prev, e, NULL) < 0, "%d/%u after %d/%u",
          e->key, e->id, prev->key, prev->id);
    prev = e;
  }
  fail_unless_equals_int (gst_weather_heap_length (&heap), 0);
  fail_unless (gst_weather_heap_peek (&heap) == NULL);
  gst_weather_heap_free (&heap);
  fail_unless (heap.array == NULL);
  g_rand_free (rand);
}

GST_END_TEST;

GST_START_TEST (test_heap_random_operations)
{
  GstWeatherHeap heap;
  Elem elems[200];
  GRand *rand = g_rand_new_with_seed (42 + __i__);
  guint i, step;

  gst_weather_heap_init (&heap, elem_compare, elem_moved);
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    elems[i].key = 0;
    elems[i].id = i;
    elems[i].pos = -1;
  }
  for (step = 0; step < 2000; step++) {
    Elem *e = &elems[g_rand_int_range (rand, 0, G_N_ELEMENTS (elems))];

    if (e->pos < 0) {
      e->key = g_rand_int_range (rand, -100, 100);
      gst_weather_heap_push (&heap, e);
    } else if (g_rand_boolean (rand)) {
      /* a key going up or down, moved in place */
      e->key += g_rand_int_range (rand, -30, 31);
      gst_weather_heap_update (&heap, e->pos);
    } else {
      gint pos = e->pos;

      fail_unless (gst_weather_heap_remove (&heap, pos) == e);
      e->pos = -1;
    }
    check_heap (&heap, elems, G_N_ELEMENTS (elems));
  }
  gst_weather_heap_clear (&heap);
  fail_unless_equals_int (gst_weather_heap_length (&heap), 0);
  fail_unless (gst_weather_heap_peek (&heap) == NULL);
  gst_weather_heap_free (&heap);
  g_rand_free (rand);
}

GST_END_TEST;

/* A position past the end is a programming error: refused, with a
 * critical, and the heap left as it was. */
GST_START_TEST (test_heap_bad_positions)
{
  GstWeatherHeap heap;
  Elem a = { 1, 1, -1 }, b = { 2, 2, -1 };
  gpointer out = &a;

  gst_weather_heap_init (&heap, elem_compare, elem_moved);
  ASSERT_CRITICAL (out = gst_weather_heap_remove (&heap, 0));
  fail_unless (out == NULL);
  ASSERT_CRITICAL (gst_weather_heap_update (&heap, 0));

  gst_weather_heap_push (&heap, &b);
  gst_weather_heap_push (&heap, &a);
  ASSERT_CRITICAL (out = gst_weather_heap_remove (&heap, 2));
  fail_unless (out == NULL);
  ASSERT_CRITICAL (gst_weather_heap_update (&heap, 7));
  fail_unless_equals_int (gst_weather_heap_length (&heap), 2);
  fail_unless (gst_weather_heap_peek (&heap) == &a);
  fail_unless_equals_int (a.pos, 0);
  fail_unless_equals_int (b.pos, 1);
  gst_weather_heap_free (&heap);
}

GST_END_TEST;

/* Clearing never looks at the elements: they may be gone already. */
GST_START_TEST (test_heap_clear_without_elements)
{
  GstWeatherHeap heap;
  Elem *e = g_new0 (Elem, 1);

  gst_weather_heap_init (&heap, elem_compare, elem_moved);
  gst_weather_heap_push (&heap, e);
  g_free (e);
  gst_weather_heap_clear (&heap);
  fail_unless (gst_weather_heap_peek (&heap) == NULL);
  gst_weather_heap_free (&heap);
}

GST_END_TEST;

static Suite *
weather_heap_suite (void)
{
  Suite *s = suite_create ("weather-heap");
  TCase *tc = tcase_create ("heap");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_heap_sorts);
  tcase_add_loop_test (tc, test_heap_random_operations, 0, 5);
  tcase_add_test (tc, test_heap_bad_positions);
  tcase_add_test (tc, test_heap_clear_without_elements);
  return s;
}

GST_CHECK_MAIN (weather_heap);
