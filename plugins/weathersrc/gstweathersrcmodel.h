/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc's weather: what N simulated stations measure at an instant,
 * a function of (seed, station, instant) alone (docs/elements/weathersrc.md).
 */
#pragma once

#include <gst/weather/weather.h>

G_BEGIN_DECLS

#define GST_WEATHER_SRC_N_FRONTS 4

typedef struct _GstWeatherSrcModel GstWeatherSrcModel;

/* The regional terms of one instant, the same for every station: computed
 * once per round rather than once per reading. */
typedef struct
{
  gdouble t;
  gdouble front[GST_WEATHER_SRC_N_FRONTS];
  gdouble season;
  gdouble daily_cycle;
  gdouble anomaly;
  gdouble wind_speed_wave;
  gdouble wind_dir_wave[2];
} GstWeatherSrcRegional;

G_GNUC_INTERNAL
GstWeatherSrcModel * gst_weather_src_model_new     (guint64 seed,
                                                    guint stations);

G_GNUC_INTERNAL
void            gst_weather_src_model_free         (GstWeatherSrcModel * model);

G_GNUC_INTERNAL
void            gst_weather_src_model_regional     (const GstWeatherSrcModel * model,
                                                    gint64 created_at,
                                                    GstWeatherSrcRegional * w);

/* Fills the measurements of @station (< the model's stations) at
 * @created_at, whose regional terms are @w. */
G_GNUC_INTERNAL
void            gst_weather_src_model_measure      (const GstWeatherSrcModel * model,
                                                    guint station,
                                                    gint64 created_at,
                                                    const GstWeatherSrcRegional * w,
                                                    GstWeatherReading * r);

G_END_DECLS
