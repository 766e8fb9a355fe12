/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherheap.h"

void
gst_weather_heap_init (GstWeatherHeap * heap, GCompareDataFunc cmp,
    GstWeatherHeapMoved moved)
{
  heap->array = g_ptr_array_new ();
  heap->cmp = cmp;
  heap->moved = moved;
}

void
gst_weather_heap_free (GstWeatherHeap * heap)
{
  g_clear_pointer (&heap->array, g_ptr_array_unref);
}

static inline void
heap_set (GstWeatherHeap * heap, guint pos, gpointer data)
{
  heap->array->pdata[pos] = data;
  if (heap->moved)
    heap->moved (data, pos);
}

/* returns the new position */
static guint
heap_sift_up (GstWeatherHeap * heap, guint pos)
{
  gpointer data = heap->array->pdata[pos];

  while (pos > 0) {
    guint parent = (pos - 1) / 2;

    if (heap->cmp (heap->array->pdata[parent], data, NULL) <= 0)
      break;
    heap_set (heap, pos, heap->array->pdata[parent]);
    pos = parent;
  }
  heap_set (heap, pos, data);
  return pos;
}

static void
heap_sift_down (GstWeatherHeap * heap, guint pos)
{
  gpointer data = heap->array->pdata[pos];
  guint len = heap->array->len;

  for (;;) {
    guint child = 2 * pos + 1;

    if (child >= len)
      break;
    if (child + 1 < len && heap->cmp (heap->array->pdata[child + 1],
            heap->array->pdata[child], NULL) < 0)
      child++;
    if (heap->cmp (data, heap->array->pdata[child], NULL) <= 0)
      break;
    heap_set (heap, pos, heap->array->pdata[child]);
    pos = child;
  }
  heap_set (heap, pos, data);
}

void
gst_weather_heap_push (GstWeatherHeap * heap, gpointer data)
{
  g_ptr_array_add (heap->array, data);
  heap_sift_up (heap, heap->array->len - 1);
}

gpointer
gst_weather_heap_remove (GstWeatherHeap * heap, guint pos)
{
  gpointer data;
  guint last;

  g_return_val_if_fail (pos < heap->array->len, NULL);

  data = heap->array->pdata[pos];
  last = heap->array->len - 1;
  if (pos != last) {
    heap_set (heap, pos, heap->array->pdata[last]);
    g_ptr_array_set_size (heap->array, last);
    gst_weather_heap_update (heap, pos);
  } else {
    g_ptr_array_set_size (heap->array, last);
  }
  return data;
}

void
gst_weather_heap_update (GstWeatherHeap * heap, guint pos)
{
  g_return_if_fail (pos < heap->array->len);

  /* at most one of the two moves it */
  heap_sift_down (heap, heap_sift_up (heap, pos));
}

void
gst_weather_heap_clear (GstWeatherHeap * heap)
{
  g_ptr_array_set_size (heap->array, 0);
}
