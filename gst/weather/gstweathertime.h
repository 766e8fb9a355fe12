/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/weather/weather-prelude.h>

G_BEGIN_DECLS

/**
 * GST_WEATHER_REPLAY_START:
 *
 * The instant non-live sources start from when no start-time is given:
 * 2024-01-01T00:00:00Z, in ns since the UNIX epoch.
 */
#define GST_WEATHER_REPLAY_START G_GINT64_CONSTANT (1704067200000000000)

/**
 * GST_WEATHER_MAX_LATENESS:
 *
 * The largest lateness budget any element accepts, in ns: 2 hours, the
 * most weathersrc simulates (delay + jitter). A replay's origin lies this
 * far before its first reading, so that every reading inside any budget
 * has a place in the stream whatever order the readings come in.
 */
#define GST_WEATHER_MAX_LATENESS (G_GUINT64_CONSTANT (7200) * GST_SECOND)

/*
 * The time model (docs/time-model.md): a reading's PTS is its created_at
 * mapped to running time. Every weather stream carries a TIME segment whose
 * `time` field is the epoch instant of stream position `start` (the
 * "origin"), so stream time == ns since the UNIX epoch. Sources choose the
 * origin with gst_weather_origin_choose().
 */

/* The origin of a stream that @element starts (docs/time-model.md).
 *
 * Live: the epoch instant of @element's base time. The pipeline clock is
 * read as epoch ns (the realtime system clock live sources provide, or a
 * test clock set to an epoch instant), except a GstSystemClock of another
 * type (monotonic: an audio or network clock an application chose), whose
 * base time is mapped to the epoch through the wall clock now.
 *
 * Replay (not @live): @first_created_at, the created_at of the stream's
 * first reading, minus GST_WEATHER_MAX_LATENESS, rounded down to a whole
 * second, and never before the epoch. Any reading within any lateness
 * budget of the stream then lies after the origin, whichever reading
 * comes first. */
GST_WEATHER_API
gint64          gst_weather_origin_choose           (GstElement * element,
                                                     gboolean live,
                                                     gint64 first_created_at);


/* A TIME segment, start 0, whose stream time is epoch ns from @origin. */
GST_WEATHER_API
void            gst_weather_segment_init            (GstSegment * segment,
                                                     gint64 origin_epoch_ns);

/* The epoch instant of buffer timestamp @ts in @segment, or
 * GST_WEATHER_TIME_NONE when @ts is invalid or outside the segment. */
GST_WEATHER_API
gint64          gst_weather_segment_to_epoch        (const GstSegment * segment,
                                                     GstClockTime ts);

/* The buffer timestamp (segment position) of epoch instant @epoch_ns, or
 * GST_CLOCK_TIME_NONE when it lies before the segment's origin. */
GST_WEATHER_API
GstClockTime    gst_weather_segment_from_epoch      (const GstSegment * segment,
                                                     gint64 epoch_ns);

/**
 * GST_WEATHER_CLOCK_TIME_MAX:
 *
 * The largest time (ns) the saturating sums below return: 2⁶³−1, so that
 * every result also fits a GstClockTimeDiff and a gint64 epoch instant.
 */
#define GST_WEATHER_CLOCK_TIME_MAX ((GstClockTime) G_MAXINT64)

/* @a + @b for clock times: GST_CLOCK_TIME_NONE when either is, otherwise
 * at most GST_WEATHER_CLOCK_TIME_MAX instead of wrapping around. */
GST_WEATHER_API
GstClockTime    gst_weather_clock_time_add          (GstClockTime a,
                                                     GstClockTime b);

/* @epoch_ns + @duration, at most G_MAXINT64 instead of wrapping around;
 * @epoch_ns may be negative (an instant before the epoch). */
GST_WEATHER_API
gint64          gst_weather_epoch_add               (gint64 epoch_ns,
                                                     guint64 duration);

/* Epoch ns as RFC 3339 UTC with nine fractional digits
 * ("2026-11-26T22:42:59.123456789Z"), appended to @out. */
GST_WEATHER_API
void            gst_weather_time_to_rfc3339         (gint64 epoch_ns,
                                                     GString * out);

/* RFC 3339 (any number of fractional digits up to 9, "Z" or a ±hh:mm
 * offset) to epoch ns. */
GST_WEATHER_API
gboolean        gst_weather_time_from_rfc3339       (const gchar * text,
                                                     gint64 * epoch_ns,
                                                     GError ** error);

G_END_DECLS
