/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Readings too far ahead of the stream, shared by reorderqueue and demux
 * (docs/lateness.md, "Readings from the future"). A reading dated years
 * ahead must not move a watermark: every real reading would then be late.
 *
 * Live, the bound is relative to the clock: a reading whose running time
 * lies more than max-future past the clock's is refused at once (the
 * clock moves on by itself, nothing else is needed).
 *
 * Not live, it is relative to the newest time the stream has shown (the
 * reference: the newest PTS taken, or the end of the newest GAP). A
 * reading beyond reference + max-future is parked, not taken. The next
 * reading within the bound shows that the stream did not move: the parked
 * ones are refused. GST_WEATHER_FUTURE_CONFIRM readings beyond it in a row
 * show that the stream jumped (a recording with a gap): the reference
 * moves to the earliest of them, and those within max-future of it are
 * taken, in the order they came, the others refused.
 */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

#define GST_WEATHER_FUTURE_CONFIRM 10

/* The default max-future of reorderqueue, demux and weatherbin: 1 hour. */
#define GST_WEATHER_FUTURE_DEFAULT_MAX (G_GUINT64_CONSTANT (3600) * GST_SECOND)

typedef struct
{
  GstBuffer *buffer;
  GstClockTime ts;
} GstWeatherFutureParked;

/* Not thread-safe: the caller's lock or streaming thread guards it. */
typedef struct
{
  GArray *parked;               /* GstWeatherFutureParked, arrival order */
} GstWeatherFuture;

G_GNUC_INTERNAL
void            gst_weather_future_init     (GstWeatherFuture * future);

/* Unrefs what is parked and frees the array. */
G_GNUC_INTERNAL
void            gst_weather_future_free     (GstWeatherFuture * future);

static inline guint
gst_weather_future_n_parked (const GstWeatherFuture * future)
{
  return future->parked->len;
}

/* Live: the running time of @element's clock now; NONE without a clock. */
G_GNUC_INTERNAL
GstClockTime    gst_weather_future_running_now (GstElement * element);

/* Live: TRUE when running time @running lies more than @max_future past
 * @now (the clock's running time). @max_future 0: no bound. */
static inline gboolean
gst_weather_future_beyond_clock (GstClockTime running, GstClockTime now,
    guint64 max_future)
{
  return max_future > 0 && GST_CLOCK_TIME_IS_VALID (running) &&
      GST_CLOCK_TIME_IS_VALID (now) && running > now &&
      running - now > max_future;
}

/* Not live: decides about @buffer at @ts against @reference (NONE before
 * the stream has shown anything). TRUE: the caller takes @buffer. FALSE:
 * the guard took it (parked, or on a confirmed jump moved to @take or
 * @refuse). Buffers the caller must take now, in order, are appended to
 * @take (they are past the bound of @reference: the caller takes them
 * without asking again), those it must drop and count as future to
 * @refuse. @max_future 0: no bound. */
G_GNUC_INTERNAL
gboolean        gst_weather_future_check    (GstWeatherFuture * future,
                                             GstBuffer * buffer,
                                             GstClockTime ts,
                                             GstClockTime reference,
                                             guint64 max_future,
                                             GQueue * take,
                                             GQueue * refuse);

/* The stream ends (EOS, a new stream, a drain): what is parked was not
 * confirmed and is appended to @refuse. */
G_GNUC_INTERNAL
void            gst_weather_future_give_up  (GstWeatherFuture * future,
                                             GQueue * refuse);

/* A flush: what is parked is dropped without a count, like what is held. */
G_GNUC_INTERNAL
void            gst_weather_future_drop     (GstWeatherFuture * future);

G_END_DECLS
