/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A priority queue of pointers for keys that mostly come in order, shared
 * by the elements of the plugin.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where an element is in a GstWeatherHeap; GST_WEATHER_HEAP_NONE: in none. */
typedef guint64 GstWeatherHeapHandle;
#define GST_WEATHER_HEAP_NONE G_MAXUINT64

/* Told the new handle of @data each time it moves. */
typedef void (*GstWeatherHeapMoved) (gpointer data,
    GstWeatherHeapHandle handle);

/* Ordered by @cmp, which must be a total order (no two elements equal).
 * An element larger than every one held (the usual case for times that
 * move forward) is appended to a FIFO, the others go to a binary heap; the
 * smallest element is the smaller of the two heads. So reading the
 * smallest is O(1), and pushing, removing and moving are O(1) for
 * elements that come in order and O(log n) for the others, with no
 * allocation per element. @moved, when set, keeps each element's handle
 * up to date, so that an element can be removed or moved from anywhere.
 * Not thread-safe: the caller's lock guards it. */
typedef struct
{
  GCompareDataFunc cmp;
  GstWeatherHeapMoved moved;
  /* the heap part */
  GPtrArray *heap;
  /* the FIFO part: live elements from run_head on, in order, NULL where
   * one was removed from the middle; the last one is always live. Entry i
   * is element number run_base + i since the start. */
  GPtrArray *run;
  guint run_head;
  guint run_live;
  guint64 run_base;
} GstWeatherHeap;

G_GNUC_INTERNAL
void            gst_weather_heap_init       (GstWeatherHeap * heap,
                                             GCompareDataFunc cmp,
                                             GstWeatherHeapMoved moved);

/* Frees the arrays; the elements are the caller's. */
G_GNUC_INTERNAL
void            gst_weather_heap_free       (GstWeatherHeap * heap);

static inline guint
gst_weather_heap_length (const GstWeatherHeap * heap)
{
  return heap->heap->len + heap->run_live;
}

/* The smallest element, NULL when empty. */
G_GNUC_INTERNAL
gpointer        gst_weather_heap_peek       (const GstWeatherHeap * heap);

G_GNUC_INTERNAL
void            gst_weather_heap_push       (GstWeatherHeap * heap,
                                             gpointer data);

/* Removes and returns the smallest element, NULL when empty. */
G_GNUC_INTERNAL
gpointer        gst_weather_heap_pop        (GstWeatherHeap * heap);

/* The element at @handle (as given to the moved function), NULL when
 * none is there. */
G_GNUC_INTERNAL
gpointer        gst_weather_heap_get        (const GstWeatherHeap * heap,
                                             GstWeatherHeapHandle handle);

/* Removes and returns the element at @handle. */
G_GNUC_INTERNAL
gpointer        gst_weather_heap_remove     (GstWeatherHeap * heap,
                                             GstWeatherHeapHandle handle);

/* The element at @handle changed its key: moves it where it now belongs. */
G_GNUC_INTERNAL
void            gst_weather_heap_update     (GstWeatherHeap * heap,
                                             GstWeatherHeapHandle handle);

/* Calls @func on every element, in no particular order; @func must not
 * change the heap. */
G_GNUC_INTERNAL
void            gst_weather_heap_foreach    (const GstWeatherHeap * heap,
                                             GFunc func,
                                             gpointer user_data);

/* Forgets every element without looking at them. */
G_GNUC_INTERNAL
void            gst_weather_heap_clear      (GstWeatherHeap * heap);

G_END_DECLS
