/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A GstBufferPool whose free buffers wait on a stack under a mutex.
 *
 * GstBufferPool keeps its free buffers in a GstAtomicQueue, whose writers
 * wait for each other by spinning. A reading is released by whichever
 * thread drops it last, which in weatherbin's per-station layout is any of
 * hundreds of streaming threads sharing a few cores: there a thread
 * preempted in the middle of a push keeps every other releasing thread
 * spinning for the rest of its time slice, and a replay of a few hundred
 * stations took minutes instead of seconds. Here a thread that finds the
 * stack taken sleeps instead.
 *
 * Buffers are allocated by GstBufferPool's default alloc_buffer() with
 * the configured size and allocator; one whose memory was changed while
 * out of the pool (replaced, resized, shared) is freed on its return
 * instead of kept, as GstBufferPool does.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/weather/weather.h>

#include "gstweatherpool.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_pool_debug);
#define GST_CAT_DEFAULT gst_weather_pool_debug

struct _GstWeatherPool
{
  GstBufferPool parent;

  GMutex lock;
  GPtrArray *free;              /* GstBuffer; guarded by lock */
  guint size;                   /* configured buffer size; set_config() */
};

G_DEFINE_TYPE_WITH_CODE (GstWeatherPool, gst_weather_pool,
    GST_TYPE_BUFFER_POOL,
    GST_DEBUG_CATEGORY_INIT (gst_weather_pool_debug, "weatherpool", 0,
        "buffer pool of weather readings"));

static gboolean
gst_weather_pool_set_config (GstBufferPool * pool, GstStructure * config)
{
  GstWeatherPool *self = GST_WEATHER_POOL (pool);
  guint size;

  if (!gst_buffer_pool_config_get_params (config, NULL, &size, NULL, NULL))
    return FALSE;
  self->size = size;
  return GST_BUFFER_POOL_CLASS (gst_weather_pool_parent_class)->set_config
      (pool, config);
}

static GstFlowReturn
gst_weather_pool_acquire_buffer (GstBufferPool * pool,
    GstBuffer ** buffer, GstBufferPoolAcquireParams * params)
{
  GstWeatherPool *self = GST_WEATHER_POOL (pool);
  GstBuffer *buf = NULL;
  GstFlowReturn ret;

  if (GST_BUFFER_POOL_IS_FLUSHING (pool))
    return GST_FLOW_FLUSHING;

  g_mutex_lock (&self->lock);
  if (self->free->len > 0)
    buf = g_ptr_array_steal_index_fast (self->free, self->free->len - 1);
  g_mutex_unlock (&self->lock);
  if (buf) {
    *buffer = buf;
    return GST_FLOW_OK;
  }

  ret = GST_BUFFER_POOL_CLASS (gst_weather_pool_parent_class)->alloc_buffer
      (pool, buffer, params);
  /* as it must be to come back */
  if (ret == GST_FLOW_OK)
    GST_BUFFER_FLAG_UNSET (*buffer, GST_BUFFER_FLAG_TAG_MEMORY);
  return ret;
}

static void
gst_weather_pool_release_buffer (GstBufferPool * pool, GstBuffer * buffer)
{
  GstWeatherPool *self = GST_WEATHER_POOL (pool);

  if (GST_BUFFER_FLAG_IS_SET (buffer, GST_BUFFER_FLAG_TAG_MEMORY) ||
      gst_buffer_get_size (buffer) != self->size ||
      !gst_buffer_is_all_memory_writable (buffer)) {
    GST_LOG_OBJECT (pool, "buffer %p was changed: freed, not kept", buffer);
    GST_BUFFER_POOL_CLASS (gst_weather_pool_parent_class)->free_buffer
        (pool, buffer);
    return;
  }

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->free, buffer);
  g_mutex_unlock (&self->lock);
}

/* Inactive, once every buffer came back (GstBufferPool calls it then). */
static gboolean
gst_weather_pool_stop (GstBufferPool * pool)
{
  GstWeatherPool *self = GST_WEATHER_POOL (pool);
  GPtrArray *free;
  guint i;

  g_mutex_lock (&self->lock);
  free = self->free;
  self->free = g_ptr_array_new ();
  g_mutex_unlock (&self->lock);

  for (i = 0; i < free->len; i++)
    GST_BUFFER_POOL_CLASS (gst_weather_pool_parent_class)->free_buffer
        (pool, g_ptr_array_index (free, i));
  g_ptr_array_free (free, TRUE);

  return GST_BUFFER_POOL_CLASS (gst_weather_pool_parent_class)->stop (pool);
}

static void
gst_weather_pool_finalize (GObject * object)
{
  GstWeatherPool *self = GST_WEATHER_POOL (object);

  /* an active pool keeps a reference of its own: stopped, so empty */
  g_ptr_array_free (self->free, TRUE);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (gst_weather_pool_parent_class)->finalize (object);
}

static void
gst_weather_pool_class_init (GstWeatherPoolClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstBufferPoolClass *pool_class = GST_BUFFER_POOL_CLASS (klass);

  gobject_class->finalize = gst_weather_pool_finalize;
  pool_class->set_config = GST_DEBUG_FUNCPTR (gst_weather_pool_set_config);
  pool_class->acquire_buffer =
      GST_DEBUG_FUNCPTR (gst_weather_pool_acquire_buffer);
  pool_class->release_buffer =
      GST_DEBUG_FUNCPTR (gst_weather_pool_release_buffer);
  pool_class->stop = GST_DEBUG_FUNCPTR (gst_weather_pool_stop);
}

static void
gst_weather_pool_init (GstWeatherPool * self)
{
  g_mutex_init (&self->lock);
  self->free = g_ptr_array_new ();
}

GstBufferPool *
gst_weather_pool_new (void)
{
  return gst_object_ref_sink (g_object_new (GST_TYPE_WEATHER_POOL, NULL));
}

/**
 * gst_weather_pool_decide:
 * @srcpad: the source pad readings will be pushed on, its caps sent
 * @caps: those caps
 *
 * What GstBaseSrc does for its subclasses, for an element that is not
 * one: asks downstream with an ALLOCATION query, takes the first pool it
 * proposes, or else a new #GstWeatherPool, and activates it. Its buffers
 * hold one reading and their number is not bounded, so that acquiring one
 * never waits (the element holds a list of them before pushing, and a
 * flush need not wake it); a proposed pool that refuses this is not used.
 *
 * Returns: (transfer full): an active pool of buffers of one reading, or
 *   %NULL when even a new one cannot be activated
 */
GstBufferPool *
gst_weather_pool_decide (GstPad * srcpad, GstCaps * caps)
{
  GstQuery *query = gst_query_new_allocation (caps, TRUE);
  GstBufferPool *pool = NULL;
  GstStructure *config;
  guint min = 0;

  if (gst_pad_peer_query (srcpad, query)
      && gst_query_get_n_allocation_pools (query) > 0)
    gst_query_parse_nth_allocation_pool (query, 0, &pool, NULL, &min, NULL);
  gst_query_unref (query);

  if (pool != NULL) {
    config = gst_buffer_pool_get_config (pool);
    gst_buffer_pool_config_set_params (config, caps,
        GST_WEATHER_READING_SIZE, min, 0);
    if (gst_buffer_pool_set_config (pool, config)
        && gst_buffer_pool_set_active (pool, TRUE)) {
      GST_DEBUG_OBJECT (srcpad, "using downstream's pool %" GST_PTR_FORMAT,
          pool);
      return pool;
    }
    GST_DEBUG_OBJECT (srcpad, "downstream's pool %" GST_PTR_FORMAT
        " refused our configuration: using our own", pool);
    gst_object_unref (pool);
  }

  pool = gst_weather_pool_new ();
  config = gst_buffer_pool_get_config (pool);
  gst_buffer_pool_config_set_params (config, caps, GST_WEATHER_READING_SIZE,
      0, 0);
  if (!gst_buffer_pool_set_config (pool, config)
      || !gst_buffer_pool_set_active (pool, TRUE)) {
    gst_object_unref (pool);
    return NULL;
  }
  return pool;
}
