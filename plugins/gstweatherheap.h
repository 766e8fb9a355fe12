/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A binary min-heap of pointers, shared by the elements of the plugin.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Told the new position of @data each time it moves. */
typedef void (*GstWeatherHeapMoved) (gpointer data, guint pos);

/* Ordered by @cmp, which must be a total order (no two elements equal):
 * the order among equal elements is not kept. @moved, when set, keeps
 * each element's position up to date, so that an element can be removed
 * or moved from the middle. Reading the smallest is O(1), pushing,
 * removing and moving O(log n), with no allocation per element. Not
 * thread-safe: the caller's lock guards it. */
typedef struct
{
  GPtrArray *array;
  GCompareDataFunc cmp;
  GstWeatherHeapMoved moved;
} GstWeatherHeap;

G_GNUC_INTERNAL
void            gst_weather_heap_init       (GstWeatherHeap * heap,
                                             GCompareDataFunc cmp,
                                             GstWeatherHeapMoved moved);

/* Frees the array; the elements are the caller's. */
G_GNUC_INTERNAL
void            gst_weather_heap_free       (GstWeatherHeap * heap);

static inline guint
gst_weather_heap_length (const GstWeatherHeap * heap)
{
  return heap->array->len;
}

/* The element at @pos, in no particular order (0 is the smallest). */
static inline gpointer
gst_weather_heap_index (const GstWeatherHeap * heap, guint pos)
{
  return heap->array->pdata[pos];
}

/* The smallest element, NULL when empty. */
static inline gpointer
gst_weather_heap_peek (const GstWeatherHeap * heap)
{
  return heap->array->len > 0 ? heap->array->pdata[0] : NULL;
}

G_GNUC_INTERNAL
void            gst_weather_heap_push       (GstWeatherHeap * heap,
                                             gpointer data);

/* Removes and returns the element at @pos (0: the smallest). */
G_GNUC_INTERNAL
gpointer        gst_weather_heap_remove     (GstWeatherHeap * heap,
                                             guint pos);

/* The element at @pos changed its key: moves it where it now belongs. */
G_GNUC_INTERNAL
void            gst_weather_heap_update     (GstWeatherHeap * heap,
                                             guint pos);

/* Forgets every element without looking at them. */
G_GNUC_INTERNAL
void            gst_weather_heap_clear      (GstWeatherHeap * heap);

G_END_DECLS
