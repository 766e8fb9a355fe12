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

/*
 * The time model (docs/time-model.md): a reading's PTS is its created_at
 * mapped to running time. Every weather stream carries a TIME segment whose
 * `time` field is the epoch instant of stream position `start` (the
 * "origin"), so stream time == ns since the UNIX epoch. Live sources use
 * the element's base time as origin (the pipeline clock is read as epoch
 * ns: live sources provide the realtime system clock); non-live sources
 * their start-time.
 */

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
