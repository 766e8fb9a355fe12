/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweather-private.h"

#define GST_CAT_DEFAULT gst_weather_lib_debug

void
gst_weather_segment_init (GstSegment * segment, gint64 origin_epoch_ns)
{
  g_return_if_fail (segment != NULL);
  g_return_if_fail (origin_epoch_ns >= 0);

  gst_segment_init (segment, GST_FORMAT_TIME);
  segment->time = (guint64) origin_epoch_ns;
}

gint64
gst_weather_segment_to_epoch (const GstSegment * segment, GstClockTime ts)
{
  guint64 stream_time;

  g_return_val_if_fail (segment != NULL, GST_WEATHER_TIME_NONE);

  if (!GST_CLOCK_TIME_IS_VALID (ts) || segment->format != GST_FORMAT_TIME)
    return GST_WEATHER_TIME_NONE;

  stream_time = gst_segment_to_stream_time (segment, GST_FORMAT_TIME, ts);
  if (!GST_CLOCK_TIME_IS_VALID (stream_time) || stream_time > G_MAXINT64)
    return GST_WEATHER_TIME_NONE;

  return (gint64) stream_time;
}

GstClockTime
gst_weather_segment_from_epoch (const GstSegment * segment, gint64 epoch_ns)
{
  g_return_val_if_fail (segment != NULL, GST_CLOCK_TIME_NONE);

  if (epoch_ns < 0 || segment->format != GST_FORMAT_TIME)
    return GST_CLOCK_TIME_NONE;

  return gst_segment_position_from_stream_time (segment, GST_FORMAT_TIME,
      (guint64) epoch_ns);
}

GstClockTime
gst_weather_clock_time_add (GstClockTime a, GstClockTime b)
{
  if (!GST_CLOCK_TIME_IS_VALID (a) || !GST_CLOCK_TIME_IS_VALID (b))
    return GST_CLOCK_TIME_NONE;
  if (a >= GST_WEATHER_CLOCK_TIME_MAX || b >= GST_WEATHER_CLOCK_TIME_MAX - a)
    return GST_WEATHER_CLOCK_TIME_MAX;
  return a + b;
}

gint64
gst_weather_epoch_add (gint64 epoch_ns, guint64 duration)
{
  if (epoch_ns >= 0) {
    if (duration > (guint64) (G_MAXINT64 - epoch_ns))
      return G_MAXINT64;
    return epoch_ns + (gint64) duration;
  }
  if (duration <= (guint64) G_MAXINT64)
    return epoch_ns + (gint64) duration;
  /* duration >= 2^63 >= -epoch_ns: the unsigned sum is duration - |epoch_ns|
   * and does not wrap */
  duration += (guint64) epoch_ns;
  return duration > (guint64) G_MAXINT64 ? G_MAXINT64 : (gint64) duration;
}

gint64
gst_weather_origin_choose (GstElement * element, gboolean live,
    gint64 first_created_at)
{
  GstClock *clock;
  GstClockTime base, now;
  gint64 origin;
  gboolean epoch_clock;

  if (!live) {
    g_return_val_if_fail (first_created_at >= 0, 0);

    /* first_created_at >= 0: the difference cannot overflow */
    origin = first_created_at - (gint64) GST_WEATHER_MAX_LATENESS;
    if (origin <= 0)
      return 0;
    return origin - origin % GST_SECOND;
  }

  g_return_val_if_fail (GST_IS_ELEMENT (element), 0);

  base = gst_element_get_base_time (element);
  clock = gst_element_get_clock (element);
  epoch_clock = clock != NULL;
  if (clock && GST_IS_SYSTEM_CLOCK (clock)) {
    GstClockType type;

    g_object_get (clock, "clock-type", &type, NULL);
    epoch_clock = type == GST_CLOCK_TYPE_REALTIME;
  }
  if (epoch_clock) {
    gst_object_unref (clock);
    return (gint64) MIN (base, GST_WEATHER_CLOCK_TIME_MAX);
  }

  /* the running time now is the same on both clocks; without a clock
   * nothing ran yet */
  now = clock ? gst_clock_get_time (clock) : base;
  gst_clear_object (&clock);
  GST_WARNING_OBJECT (element, "the pipeline clock is not the realtime "
      "system clock: origin estimated from the wall clock");
  origin = g_get_real_time () * 1000;
  if (GST_CLOCK_TIME_IS_VALID (now) && now > base)
    origin -= (gint64) MIN (now - base, (GstClockTime) origin);
  return origin;
}
