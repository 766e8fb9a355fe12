/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The plugin's internal priority queue (plugins/gstweatherheap.c: a FIFO
 * for elements that come in order, a binary heap for the others), against
 * a plain reference under random pushes, pops, removals and key changes.
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
  GstWeatherHeapHandle handle;  /* kept by the queue */
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
elem_moved (gpointer data, GstWeatherHeapHandle handle)
{
  ((Elem *) data)->handle = handle;
}

static void
count_elem (gpointer data, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* every element held knows its handle, nothing else is held, and the
 * head is the smallest of them */
static void
check_queue (GstWeatherHeap * q, Elem * elems, guint n)
{
  Elem *min = NULL;
  guint i, held = 0, seen = 0;

  for (i = 0; i < n; i++) {
    if (elems[i].handle == GST_WEATHER_HEAP_NONE)
      continue;
    held++;
    fail_unless (gst_weather_heap_get (q, elems[i].handle) == &elems[i]);
    if (!min || elem_compare (&elems[i], min, NULL) < 0)
      min = &elems[i];
  }
  fail_unless_equals_int (gst_weather_heap_length (q), held);
  gst_weather_heap_foreach (q, count_elem, &seen);
  fail_unless_equals_int (seen, held);
  fail_unless (gst_weather_heap_peek (q) == min);
}

static void
push (GstWeatherHeap * q, Elem * e)
{
  gst_weather_heap_push (q, e);
  /* the moved function told where it went */
  fail_unless (e->handle != GST_WEATHER_HEAP_NONE);
}

/* In order, out of order and with many equal keys: popped sorted. */
GST_START_TEST (test_heap_sorts)
{
  GstWeatherHeap q;
  Elem elems[600];
  GRand *rand = g_rand_new_with_seed (1);
  guint i;
  Elem *prev = NULL;

  gst_weather_heap_init (&q, elem_compare, NULL);
  fail_unless (gst_weather_heap_peek (&q) == NULL);
  fail_unless (gst_weather_heap_pop (&q) == NULL);
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    /* a third rising (the FIFO), the rest random (the heap) */
    elems[i].key = i < 200 ? (gint) i : g_rand_int_range (rand, 0, 300);
    elems[i].id = i;
    gst_weather_heap_push (&q, &elems[i]);
  }
  fail_unless_equals_int (gst_weather_heap_length (&q), G_N_ELEMENTS (elems));
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    Elem *e = gst_weather_heap_pop (&q);

    fail_unless (e != NULL);
    if (prev)
      fail_unless (elem_compare (prev, e, NULL) < 0, "%d/%u after %d/%u",
          e->key, e->id, prev->key, prev->id);
    prev = e;
  }
  fail_unless_equals_int (gst_weather_heap_length (&q), 0);
  fail_unless (gst_weather_heap_pop (&q) == NULL);
  gst_weather_heap_free (&q);
  fail_unless (q.heap == NULL && q.run == NULL);
  g_rand_free (rand);
}

GST_END_TEST;

/* Keys that mostly rise, as times do, with random pops, removals from
 * anywhere and keys moved up or down; loop i sets how often a key goes
 * back. */
GST_START_TEST (test_heap_random_operations)
{
  static const gint back_percent[] = { 0, 5, 30, 100 };
  GstWeatherHeap q;
  Elem elems[300];
  GRand *rand = g_rand_new_with_seed (42 + __i__);
  gint clock = 0;
  guint i, step;

  gst_weather_heap_init (&q, elem_compare, elem_moved);
  for (i = 0; i < G_N_ELEMENTS (elems); i++) {
    elems[i].key = 0;
    elems[i].id = i;
    elems[i].handle = GST_WEATHER_HEAP_NONE;
  }
  for (step = 0; step < 4000; step++) {
    Elem *e = &elems[g_rand_int_range (rand, 0, G_N_ELEMENTS (elems))];
    gboolean back = g_rand_int_range (rand, 0, 100) < back_percent[__i__];
    guint op = g_rand_int_range (rand, 0, 4);

    clock += g_rand_int_range (rand, 0, 3);
    if (e->handle == GST_WEATHER_HEAP_NONE) {
      e->key = back ? clock - g_rand_int_range (rand, 0, 50) : clock;
      push (&q, e);
    } else if (op == 0) {
      Elem *head = gst_weather_heap_peek (&q);

      fail_unless (gst_weather_heap_pop (&q) == head);
      head->handle = GST_WEATHER_HEAP_NONE;
    } else if (op == 1) {
      fail_unless (gst_weather_heap_remove (&q, e->handle) == e);
      e->handle = GST_WEATHER_HEAP_NONE;
    } else {
      e->key = back ? e->key - g_rand_int_range (rand, 0, 50) : clock;
      gst_weather_heap_update (&q, e->handle);
    }
    check_queue (&q, elems, G_N_ELEMENTS (elems));
  }
  gst_weather_heap_clear (&q);
  fail_unless_equals_int (gst_weather_heap_length (&q), 0);
  fail_unless (gst_weather_heap_peek (&q) == NULL);
  /* and it works again after a clear */
  elems[0].key = 1;
  push (&q, &elems[0]);
  fail_unless (gst_weather_heap_peek (&q) == &elems[0]);
  gst_weather_heap_free (&q);
  g_rand_free (rand);
}

GST_END_TEST;

/* A handle that holds nothing is a programming error: refused, with a
 * critical, and the queue left as it was. */
GST_START_TEST (test_heap_bad_handles)
{
  GstWeatherHeap q;
  Elem a = { 1, 1, GST_WEATHER_HEAP_NONE }, b = { 2, 2,
    GST_WEATHER_HEAP_NONE
  }, c = { 0, 3, GST_WEATHER_HEAP_NONE };
  GstWeatherHeapHandle gone;
  gpointer out = &a;

  gst_weather_heap_init (&q, elem_compare, elem_moved);
  ASSERT_CRITICAL (out = gst_weather_heap_remove (&q, 0));
  fail_unless (out == NULL);
  ASSERT_CRITICAL (gst_weather_heap_update (&q, 1));
  ASSERT_CRITICAL (gst_weather_heap_update (&q, GST_WEATHER_HEAP_NONE));
  ASSERT_CRITICAL (gst_weather_heap_push (&q, NULL));

  push (&q, &a);
  push (&q, &b);
  push (&q, &c);                /* smaller than the others: the heap */
  gone = b.handle;
  fail_unless (gst_weather_heap_remove (&q, gone) == &b);
  /* the same handle again, and handles past either end */
  ASSERT_CRITICAL (out = gst_weather_heap_remove (&q, gone));
  fail_unless (out == NULL);
  ASSERT_CRITICAL (gst_weather_heap_update (&q, gone + 200));
  ASSERT_CRITICAL (gst_weather_heap_update (&q, c.handle + 2));
  fail_unless (gst_weather_heap_get (&q, gone) == NULL);
  fail_unless (gst_weather_heap_get (&q, GST_WEATHER_HEAP_NONE) == NULL);
  fail_unless_equals_int (gst_weather_heap_length (&q), 2);
  fail_unless (gst_weather_heap_peek (&q) == &c);
  fail_unless (gst_weather_heap_get (&q, a.handle) == &a);
  fail_unless (gst_weather_heap_get (&q, c.handle) == &c);
  gst_weather_heap_free (&q);
}

GST_END_TEST;

/* Clearing never looks at the elements: they may be gone already. */
GST_START_TEST (test_heap_clear_without_elements)
{
  GstWeatherHeap q;
  Elem *e = g_new0 (Elem, 2);

  e[0].key = 2;
  e[1].key = 1;
  gst_weather_heap_init (&q, elem_compare, NULL);
  gst_weather_heap_push (&q, &e[0]);
  gst_weather_heap_push (&q, &e[1]);
  g_free (e);
  gst_weather_heap_clear (&q);
  fail_unless (gst_weather_heap_peek (&q) == NULL);
  gst_weather_heap_free (&q);
}

GST_END_TEST;

static Suite *
weather_heap_suite (void)
{
  Suite *s = suite_create ("weather-heap");
  TCase *tc = tcase_create ("heap");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_heap_sorts);
  tcase_add_loop_test (tc, test_heap_random_operations, 0, 4);
  tcase_add_test (tc, test_heap_bad_handles);
  tcase_add_test (tc, test_heap_clear_without_elements);
  return s;
}

GST_CHECK_MAIN (weather_heap);
