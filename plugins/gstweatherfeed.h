/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The feed settings that weatherparse and mqttsrc share (format,
 * timezone, station, stations-file), turned into a decoder.
 */
#pragma once

#include <gst/gst.h>
#include <gst/weather/weather.h>

G_BEGIN_DECLS

/* A decoder made from @element's properties "format", "timezone",
 * "station" and "stations-file" (the element's own getters take its
 * lock; the stations file is read without it). NULL after posting on
 * @element's bus the error a user can act on: RESOURCE/SETTINGS for an
 * unknown time zone or a station name that cannot be one,
 * RESOURCE/OPEN_READ for a stations file that cannot be read (the debug
 * text names the line). */
G_GNUC_INTERNAL
GstWeatherDecoder * gst_weather_feed_decoder_new    (GstElement * element);

G_END_DECLS
