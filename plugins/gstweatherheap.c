/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweatherheap.h"

/* A handle is a position in the heap part (even) or an element number in
 * the FIFO part (odd). */
#define HEAP_HANDLE(pos) ((GstWeatherHeapHandle) (pos) << 1)
#define RUN_HANDLE(num) (((GstWeatherHeapHandle) (num) << 1) | 1)
#define HANDLE_IN_RUN(h) (((h) & 1) != 0)
#define HANDLE_INDEX(h) ((h) >> 1)

/* the FIFO part is moved to the front of its array once at least this
 * many entries at its start are gone, and at least half of them */
#define RUN_COMPACT_MIN 256

void
gst_weather_heap_init (GstWeatherHeap * heap, GCompareDataFunc cmp,
    GstWeatherHeapMoved moved)
{
  memset (heap, 0, sizeof (*heap));
  heap->cmp = cmp;
  heap->moved = moved;
  heap->heap = g_ptr_array_new ();
  heap->run = g_ptr_array_new ();
}

void
gst_weather_heap_free (GstWeatherHeap * heap)
{
  g_clear_pointer (&heap->heap, g_ptr_array_unref);
  g_clear_pointer (&heap->run, g_ptr_array_unref);
}

/* ------------------------------------------------------------ heap part */

static inline void
heap_set (GstWeatherHeap * heap, guint pos, gpointer data)
{
  heap->heap->pdata[pos] = data;
  if (heap->moved)
    heap->moved (data, HEAP_HANDLE (pos));
}

/* returns the new position */
static guint
heap_sift_up (GstWeatherHeap * heap, guint pos)
{
  gpointer data = heap->heap->pdata[pos];

  while (pos > 0) {
    guint parent = (pos - 1) / 2;

    if (heap->cmp (heap->heap->pdata[parent], data, NULL) <= 0)
      break;
    heap_set (heap, pos, heap->heap->pdata[parent]);
    pos = parent;
  }
  heap_set (heap, pos, data);
  return pos;
}

static void
heap_sift_down (GstWeatherHeap * heap, guint pos)
{
  gpointer data = heap->heap->pdata[pos];
  guint len = heap->heap->len;

  for (;;) {
    guint child = 2 * pos + 1;

    if (child >= len)
      break;
    if (child + 1 < len && heap->cmp (heap->heap->pdata[child + 1],
            heap->heap->pdata[child], NULL) < 0)
      child++;
    if (heap->cmp (data, heap->heap->pdata[child], NULL) <= 0)
      break;
    heap_set (heap, pos, heap->heap->pdata[child]);
    pos = child;
  }
  heap_set (heap, pos, data);
}

static gpointer
heap_remove_at (GstWeatherHeap * heap, guint pos)
{
  gpointer data = heap->heap->pdata[pos];
  guint last = heap->heap->len - 1;

  if (pos != last) {
    heap_set (heap, pos, heap->heap->pdata[last]);
    g_ptr_array_set_size (heap->heap, last);
    /* at most one of the two moves it */
    heap_sift_down (heap, heap_sift_up (heap, pos));
  } else {
    g_ptr_array_set_size (heap->heap, last);
  }
  return data;
}

/* ------------------------------------------------------------ FIFO part */

static inline gpointer
run_first (const GstWeatherHeap * heap)
{
  return heap->run_live > 0 ? heap->run->pdata[heap->run_head] : NULL;
}

static inline gpointer
run_last (const GstWeatherHeap * heap)
{
  return heap->run_live > 0 ? heap->run->pdata[heap->run->len - 1] : NULL;
}

static void
run_append (GstWeatherHeap * heap, gpointer data)
{
  g_ptr_array_add (heap->run, data);
  heap->run_live++;
  if (heap->moved)
    heap->moved (data, RUN_HANDLE (heap->run_base + heap->run->len - 1));
}

/* keeps the first and last entries live, and the array small */
static void
run_tidy (GstWeatherHeap * heap)
{
  if (heap->run_live == 0) {
    heap->run_base += heap->run->len;
    g_ptr_array_set_size (heap->run, 0);
    heap->run_head = 0;
    return;
  }
  while (heap->run->pdata[heap->run_head] == NULL)
    heap->run_head++;
  while (heap->run->pdata[heap->run->len - 1] == NULL)
    g_ptr_array_set_size (heap->run, heap->run->len - 1);
  if (heap->run_head >= RUN_COMPACT_MIN && heap->run_head * 2 >= heap->run->len) {
    /* entry numbers stay: run_base moves with the entries */
    memmove (heap->run->pdata, heap->run->pdata + heap->run_head,
        (heap->run->len - heap->run_head) * sizeof (gpointer));
    g_ptr_array_set_size (heap->run, heap->run->len - heap->run_head);
    heap->run_base += heap->run_head;
    heap->run_head = 0;
  }
}

static gpointer
run_remove_at (GstWeatherHeap * heap, guint index)
{
  gpointer data = heap->run->pdata[index];

  heap->run->pdata[index] = NULL;
  heap->run_live--;
  run_tidy (heap);
  return data;
}

/* index into heap->run of @handle's entry, or -1 when out of range */
static gint64
run_index (const GstWeatherHeap * heap, GstWeatherHeapHandle handle)
{
  guint64 num = HANDLE_INDEX (handle);

  if (num < heap->run_base + heap->run_head ||
      num >= heap->run_base + heap->run->len)
    return -1;
  return (gint64) (num - heap->run_base);
}

/* ----------------------------------------------------------------- API */

gpointer
gst_weather_heap_peek (const GstWeatherHeap * heap)
{
  gpointer a = run_first (heap);
  gpointer b = heap->heap->len > 0 ? heap->heap->pdata[0] : NULL;

  if (!a || (b && heap->cmp (b, a, NULL) < 0))
    return b;
  return a;
}

void
gst_weather_heap_push (GstWeatherHeap * heap, gpointer data)
{
  gpointer last = run_last (heap);

  g_return_if_fail (data != NULL);

  if (!last || heap->cmp (last, data, NULL) < 0) {
    run_append (heap, data);
  } else {
    g_ptr_array_add (heap->heap, data);
    heap_sift_up (heap, heap->heap->len - 1);
  }
}

gpointer
gst_weather_heap_pop (GstWeatherHeap * heap)
{
  gpointer head = gst_weather_heap_peek (heap);

  if (head == NULL)
    return NULL;
  if (heap->heap->len > 0 && head == heap->heap->pdata[0])
    return heap_remove_at (heap, 0);
  return run_remove_at (heap, heap->run_head);
}

gpointer
gst_weather_heap_get (const GstWeatherHeap * heap, GstWeatherHeapHandle handle)
{
  if (HANDLE_IN_RUN (handle)) {
    gint64 index = run_index (heap, handle);

    return index < 0 ? NULL : heap->run->pdata[index];
  }
  if (HANDLE_INDEX (handle) >= heap->heap->len)
    return NULL;
  return heap->heap->pdata[HANDLE_INDEX (handle)];
}

gpointer
gst_weather_heap_remove (GstWeatherHeap * heap, GstWeatherHeapHandle handle)
{
  g_return_val_if_fail (gst_weather_heap_get (heap, handle) != NULL, NULL);

  if (HANDLE_IN_RUN (handle))
    return run_remove_at (heap, (guint) run_index (heap, handle));
  return heap_remove_at (heap, (guint) HANDLE_INDEX (handle));
}

void
gst_weather_heap_update (GstWeatherHeap * heap, GstWeatherHeapHandle handle)
{
  g_return_if_fail (gst_weather_heap_get (heap, handle) != NULL);

  if (HANDLE_IN_RUN (handle)) {
    /* out of the FIFO, whose order it may break, and in again */
    gst_weather_heap_push (heap, run_remove_at (heap,
            (guint) run_index (heap, handle)));
  } else {
    guint pos = (guint) HANDLE_INDEX (handle);

    heap_sift_down (heap, heap_sift_up (heap, pos));
  }
}

void
gst_weather_heap_foreach (const GstWeatherHeap * heap, GFunc func,
    gpointer user_data)
{
  guint i;

  for (i = heap->run_head; i < heap->run->len; i++) {
    if (heap->run->pdata[i])
      func (heap->run->pdata[i], user_data);
  }
  for (i = 0; i < heap->heap->len; i++)
    func (heap->heap->pdata[i], user_data);
}

void
gst_weather_heap_clear (GstWeatherHeap * heap)
{
  g_ptr_array_set_size (heap->heap, 0);
  heap->run_base += heap->run->len;
  g_ptr_array_set_size (heap->run, 0);
  heap->run_head = 0;
  heap->run_live = 0;
}
