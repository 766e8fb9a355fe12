/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherfuture.h"

void
gst_weather_future_init (GstWeatherFuture * future)
{
  future->parked = g_array_new (FALSE, FALSE, sizeof (GstWeatherFutureParked));
}

void
gst_weather_future_drop (GstWeatherFuture * future)
{
  guint i;

  for (i = 0; i < future->parked->len; i++)
    gst_buffer_unref (g_array_index (future->parked, GstWeatherFutureParked,
            i).buffer);
  g_array_set_size (future->parked, 0);
}

void
gst_weather_future_free (GstWeatherFuture * future)
{
  gst_weather_future_drop (future);
  g_array_free (future->parked, TRUE);
}

void
gst_weather_future_give_up (GstWeatherFuture * future, GQueue * refuse)
{
  guint i;

  for (i = 0; i < future->parked->len; i++)
    g_queue_push_tail (refuse, g_array_index (future->parked,
            GstWeatherFutureParked, i).buffer);
  g_array_set_size (future->parked, 0);
}

/* @a + @b, at most G_MAXUINT64 - 1 */
static GstClockTime
bound_of (GstClockTime reference, guint64 max_future)
{
  if (max_future >= GST_CLOCK_TIME_NONE - 1 - reference)
    return GST_CLOCK_TIME_NONE - 1;
  return reference + max_future;
}

gboolean
gst_weather_future_check (GstWeatherFuture * future, GstBuffer * buffer,
    GstClockTime ts, GstClockTime reference, guint64 max_future,
    GQueue * take, GQueue * refuse)
{
  GstWeatherFutureParked p = { buffer, ts };
  GstClockTime earliest, bound;
  guint i;

  if (max_future == 0 || !GST_CLOCK_TIME_IS_VALID (reference) ||
      ts <= bound_of (reference, max_future)) {
    /* the stream did not jump: what waited for a confirmation is refused */
    gst_weather_future_give_up (future, refuse);
    return TRUE;
  }

  g_array_append_val (future->parked, p);
  if (future->parked->len < GST_WEATHER_FUTURE_CONFIRM)
    return FALSE;

  /* confirmed: the stream moves on from the earliest of them */
  earliest = g_array_index (future->parked, GstWeatherFutureParked, 0).ts;
  for (i = 1; i < future->parked->len; i++)
    earliest = MIN (earliest,
        g_array_index (future->parked, GstWeatherFutureParked, i).ts);
  bound = bound_of (earliest, max_future);
  for (i = 0; i < future->parked->len; i++) {
    GstWeatherFutureParked *q = &g_array_index (future->parked,
        GstWeatherFutureParked, i);

    g_queue_push_tail (q->ts <= bound ? take : refuse, q->buffer);
  }
  g_array_set_size (future->parked, 0);
  return FALSE;
}

GstClockTime
gst_weather_future_running_now (GstElement * element)
{
  GstClock *clock = gst_element_get_clock (element);
  GstClockTime now, base;

  if (clock == NULL)
    return GST_CLOCK_TIME_NONE;
  now = gst_clock_get_time (clock);
  base = gst_element_get_base_time (element);
  gst_object_unref (clock);
  return now > base ? now - base : 0;
}
