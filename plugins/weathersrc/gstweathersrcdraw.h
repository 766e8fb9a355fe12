/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc's deterministic randomness: every draw is a stateless hash
 * of (seed, a, b, channel), so the same seed and properties give the same
 * readings on every run and machine, and a draw never depends on how many
 * draws came before it. Shared by the weather model and the network.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Channels keep the draws for different purposes independent. */
enum
{
  GST_WEATHER_SRC_CH_DROP = 1,
  GST_WEATHER_SRC_CH_DELAY,
  GST_WEATHER_SRC_CH_DUPLICATE,
  GST_WEATHER_SRC_CH_DUPLICATE_DELAY,
  GST_WEATHER_SRC_CH_T_NOISE,
  GST_WEATHER_SRC_CH_P_NOISE,
  GST_WEATHER_SRC_CH_H_NOISE,
  GST_WEATHER_SRC_CH_WS_NOISE,
  GST_WEATHER_SRC_CH_WD_NOISE,
  GST_WEATHER_SRC_CH_STATION = 64,
  GST_WEATHER_SRC_CH_REGION = 128,
};

/* The splitmix64 finaliser: a good 64-bit mix, the same on every machine. */
static inline guint64
gst_weather_src_mix64 (guint64 x)
{
  x += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  x = (x ^ (x >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  x = (x ^ (x >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return x ^ (x >> 31);
}

/* A uniform double in [0, 1) for (seed, a, b, channel). */
static inline gdouble
gst_weather_src_draw (guint64 seed, guint64 a, guint64 b, guint channel)
{
  guint64 h;

  h = gst_weather_src_mix64 (seed ^ gst_weather_src_mix64 (a ^
          gst_weather_src_mix64 (b ^ gst_weather_src_mix64 (channel))));
  return (h >> 11) * (1.0 / 9007199254740992.0);
}

/* uniform in [-1, 1) */
static inline gdouble
gst_weather_src_draw_signed (guint64 seed, guint64 a, guint64 b,
    guint channel)
{
  return 2.0 * gst_weather_src_draw (seed, a, b, channel) - 1.0;
}

G_END_DECLS
