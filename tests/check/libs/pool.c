/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The readings' buffer pool (plugins/gstweatherpool.c):
 * buffers come back and are used again, a buffer whose memory changed
 * while out is freed instead, deactivation frees everything, and many threads can
 * release at once. Whether a buffer was freed is seen by a weak reference
 * (a buffer kept by the pool is not finalized).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include "gstweatherpool.h"

#define SIZE 128

static gint freed;

static void
count_freed (gpointer data, GstMiniObject * where_the_object_was)
{
  g_atomic_int_inc (&freed);
}

static GstBufferPool *
active_pool (guint size)
{
  GstBufferPool *pool = gst_weather_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);

  gst_buffer_pool_config_set_params (config, NULL, size, 0, 0);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  g_atomic_int_set (&freed, 0);
  return pool;
}

static GstBuffer *
acquire (GstBufferPool * pool)
{
  GstBuffer *buf = NULL;

  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_OK);
  fail_unless (buf != NULL);
  fail_unless (buf->pool == pool);
  fail_unless_equals_int (gst_buffer_get_size (buf), SIZE);
  return buf;
}

/* ---- good use ------------------------------------------------------------ */

/* A released buffer is kept, not freed, and handed out again. */
GST_START_TEST (test_released_buffers_used_again)
{
  GstBufferPool *pool = active_pool (SIZE);
  GstBuffer *a = acquire (pool), *b = acquire (pool), *c, *d;

  fail_unless (a != b);
  gst_mini_object_weak_ref (GST_MINI_OBJECT (a), count_freed, NULL);
  gst_mini_object_weak_ref (GST_MINI_OBJECT (b), count_freed, NULL);
  gst_buffer_unref (a);
  gst_buffer_unref (b);
  fail_unless_equals_int (g_atomic_int_get (&freed), 0);

  c = acquire (pool);
  d = acquire (pool);
  fail_unless ((c == a && d == b) || (c == b && d == a));
  /* timestamps and flags do not survive the trip */
  GST_BUFFER_PTS (c) = 5;
  GST_BUFFER_FLAG_SET (c, GST_BUFFER_FLAG_DISCONT);
  gst_buffer_unref (c);
  c = acquire (pool);
  fail_unless (!GST_BUFFER_PTS_IS_VALID (c));
  fail_unless (!GST_BUFFER_FLAG_IS_SET (c, GST_BUFFER_FLAG_DISCONT));

  gst_buffer_unref (c);
  gst_buffer_unref (d);
  fail_unless_equals_int (g_atomic_int_get (&freed), 0);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  fail_unless_equals_int (g_atomic_int_get (&freed), 2);
  gst_object_unref (pool);
}

GST_END_TEST;

/* Deactivated with a buffer out: that one is freed when it comes back. */
GST_START_TEST (test_outstanding_buffer_freed_on_return)
{
  GstBufferPool *pool = active_pool (SIZE);
  GstBuffer *a = acquire (pool), *b;

  gst_mini_object_weak_ref (GST_MINI_OBJECT (a), count_freed, NULL);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &b, NULL),
      GST_FLOW_FLUSHING);
  fail_unless_equals_int (g_atomic_int_get (&freed), 0);
  gst_buffer_unref (a);
  fail_unless_equals_int (g_atomic_int_get (&freed), 1);
  gst_object_unref (pool);
}

GST_END_TEST;

/* A buffer shrunk while out comes back at its full size, as with
 * GstBufferPool (the memory itself is intact). */
GST_START_TEST (test_shrunk_buffer_comes_back_whole)
{
  GstBufferPool *pool = active_pool (SIZE);
  GstBuffer *a = acquire (pool), *b;

  gst_mini_object_weak_ref (GST_MINI_OBJECT (a), count_freed, NULL);
  gst_buffer_set_size (a, SIZE / 2);
  gst_buffer_unref (a);
  fail_unless_equals_int (g_atomic_int_get (&freed), 0);
  b = acquire (pool);
  fail_unless (b == a);
  gst_buffer_unref (b);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  fail_unless_equals_int (g_atomic_int_get (&freed), 1);
  gst_object_unref (pool);
}

GST_END_TEST;

typedef struct
{
  GstBufferPool *pool;
  guint rounds;
} Churn;

/* Acquires a buffer, writes into it, and releases the one acquired by the
 * round before; FALSE when the pool refused a buffer. */
static gpointer
churn (gpointer data)
{
  Churn *c = data;
  GstBuffer *prev = NULL;
  guint i;

  for (i = 0; i < c->rounds; i++) {
    GstBuffer *buf = NULL;

    if (gst_buffer_pool_acquire_buffer (c->pool, &buf, NULL) != GST_FLOW_OK) {
      gst_clear_buffer (&prev);
      return GINT_TO_POINTER (FALSE);
    }
    gst_buffer_memset (buf, 0, i & 0xff, SIZE);
    if (prev)
      gst_buffer_unref (prev);
    prev = buf;
  }
  gst_buffer_unref (prev);
  return GINT_TO_POINTER (TRUE);
}

/* Many threads acquiring and releasing at once: every buffer comes back,
 * the pool never holds more than were out at once, and deactivating frees
 * exactly the buffers it made. */
GST_START_TEST (test_many_threads_release_at_once)
{
  GstBufferPool *pool = active_pool (SIZE);
  GThread *threads[16];
  Churn c = { pool, 20000 };
  GHashTable *seen = g_hash_table_new (NULL, NULL);
  GstBuffer *buf;
  GPtrArray *held = g_ptr_array_new ();
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("churn", churn, &c);
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    fail_unless (g_thread_join (threads[i]));

  /* take out everything the pool holds (each thread had at most two out):
   * distinct buffers, then freed on deactivation */
  for (i = 0; i < 2 * G_N_ELEMENTS (threads); i++) {
    buf = acquire (pool);
    fail_unless (!g_hash_table_contains (seen, buf));
    g_hash_table_add (seen, buf);
    gst_mini_object_weak_ref (GST_MINI_OBJECT (buf), count_freed, NULL);
    g_ptr_array_add (held, buf);
  }
  g_ptr_array_free (held, TRUE);        /* no free func: still ours */
  g_hash_table_foreach (seen, (GHFunc) gst_buffer_unref, NULL);
  g_hash_table_destroy (seen);
  fail_unless_equals_int (g_atomic_int_get (&freed), 0);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  fail_unless_equals_int (g_atomic_int_get (&freed),
      2 * G_N_ELEMENTS (threads));
  gst_object_unref (pool);
}

GST_END_TEST;

/* ---- bad use ------------------------------------------------------------- */

/* A buffer whose memory was replaced, or whose memory another buffer
 * still shares when it comes back, is freed, not kept. */
GST_START_TEST (test_changed_memory_freed)
{
  GstBufferPool *pool = active_pool (SIZE);
  GstBuffer *a = acquire (pool), *b = acquire (pool);
  GstBuffer *shared = gst_buffer_new ();

  gst_mini_object_weak_ref (GST_MINI_OBJECT (a), count_freed, NULL);
  gst_mini_object_weak_ref (GST_MINI_OBJECT (b), count_freed, NULL);
  gst_buffer_replace_all_memory (a, gst_allocator_alloc (NULL, SIZE, NULL));
  gst_buffer_unref (a);
  fail_unless_equals_int (g_atomic_int_get (&freed), 1);

  gst_buffer_append_memory (shared, gst_buffer_get_memory (b, 0));
  gst_buffer_unref (b);
  fail_unless_equals_int (g_atomic_int_get (&freed), 2);
  gst_buffer_unref (shared);

  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);
}

GST_END_TEST;

/* A buffer grown with more memory while out is freed, not kept. */
GST_START_TEST (test_appended_memory_freed)
{
  GstBufferPool *pool = active_pool (SIZE);
  GstBuffer *a = acquire (pool), *b;

  gst_mini_object_weak_ref (GST_MINI_OBJECT (a), count_freed, NULL);
  gst_buffer_append_memory (a, gst_allocator_alloc (NULL, 16, NULL));
  gst_buffer_unref (a);
  fail_unless_equals_int (g_atomic_int_get (&freed), 1);
  b = acquire (pool);
  fail_unless_equals_int (gst_buffer_n_memory (b), 1);
  gst_buffer_unref (b);
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);
}

GST_END_TEST;

/* Deactivated while threads acquire and release: each thread is refused
 * (GST_FLOW_FLUSHING) and stops, and the buffers they held are freed
 * when they come back (LeakSanitizer and the leaks tracer see the rest). */
GST_START_TEST (test_deactivate_while_threads_churn)
{
  GstBufferPool *pool = active_pool (SIZE);
  GThread *threads[8];
  Churn c = { pool, G_MAXUINT };
  GstBuffer *buf = NULL;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("churn", churn, &c);
  /* let them run into each other a little */
  for (i = 0; i < 1000; i++) {
    fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf,
            NULL), GST_FLOW_OK);
    gst_buffer_unref (buf);
  }
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    fail_if (g_thread_join (threads[i]), "a thread was never refused");
  buf = NULL;
  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_FLUSHING);
  gst_object_unref (pool);
}

GST_END_TEST;

/* Asking an inactive pool: GST_FLOW_FLUSHING, nothing allocated. */
GST_START_TEST (test_inactive_pool_refuses)
{
  GstBufferPool *pool = gst_weather_pool_new ();
  GstBuffer *buf = NULL;

  fail_unless_equals_int (gst_buffer_pool_acquire_buffer (pool, &buf, NULL),
      GST_FLOW_FLUSHING);
  fail_unless (buf == NULL);
  gst_object_unref (pool);
}

GST_END_TEST;

static Suite *
weather_pool_suite (void)
{
  Suite *s = suite_create ("weather-src-pool");
  TCase *tc = tcase_create ("pool");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_released_buffers_used_again);
  tcase_add_test (tc, test_outstanding_buffer_freed_on_return);
  tcase_add_test (tc, test_shrunk_buffer_comes_back_whole);
  tcase_add_test (tc, test_many_threads_release_at_once);
  tcase_add_test (tc, test_changed_memory_freed);
  tcase_add_test (tc, test_appended_memory_freed);
  tcase_add_test (tc, test_deactivate_while_threads_churn);
  tcase_add_test (tc, test_inactive_pool_refuses);
  return s;
}

GST_CHECK_MAIN (weather_pool);
