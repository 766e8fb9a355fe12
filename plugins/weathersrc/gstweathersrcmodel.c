/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc's weather model. Plausible and deterministic: a daily and a
 * seasonal temperature cycle, sea-level pressure moved by passing fronts
 * (a slow regional swell shared by all stations plus a small per-station
 * part, 960-1045 hPa, several hPa over three hours), humidity that falls
 * when it gets warmer and rises when the pressure falls, and wind that
 * turns and freshens slowly. Everything is a function of the seed, the
 * station and the instant, drawn with gstweathersrcdraw.h.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>

#include "gstweathersrcdraw.h"
#include "gstweathersrcmodel.h"

#define N_FRONTS GST_WEATHER_SRC_N_FRONTS

/* Weather shared by every station (a region): slow sinusoids with periods
 * and phases drawn from the seed. */
typedef struct
{
  gdouble front_period_s[N_FRONTS];
  gdouble front_phase[N_FRONTS];
  gdouble anomaly_phase[2];
  gdouble wind_speed_phase;
  gdouble wind_dir_base;
  gdouble wind_dir_phase[2];
} Region;

typedef struct
{
  gdouble temperature_offset;
  gdouble daily_amplitude;
  gdouble pressure_offset;
  gdouble pressure_phase;
  gdouble humidity_offset;
  gdouble wind_factor;
  gdouble wind_dir_offset;
} StationParams;

struct _GstWeatherSrcModel
{
  guint64 seed;
  guint stations;
  Region region;
};

/* A station's own parameters, drawn again for each of its readings rather
 * than kept: a million stations would keep 56 MB of them, and the draws
 * cost a few ns (docs/performance.md, "A million stations"). */
static void
station_params (guint64 seed, guint i, StationParams * p)
{
  p->temperature_offset =
      3.0 * gst_weather_src_draw_signed (seed, i, 0,
      GST_WEATHER_SRC_CH_STATION);
  p->daily_amplitude =
      4.0 + 3.0 * gst_weather_src_draw (seed, i, 1, GST_WEATHER_SRC_CH_STATION);
  p->pressure_offset =
      1.5 * gst_weather_src_draw_signed (seed, i, 2,
      GST_WEATHER_SRC_CH_STATION);
  p->pressure_phase =
      2 * G_PI * gst_weather_src_draw (seed, i, 3, GST_WEATHER_SRC_CH_STATION);
  p->humidity_offset =
      8.0 * gst_weather_src_draw_signed (seed, i, 4,
      GST_WEATHER_SRC_CH_STATION);
  p->wind_factor =
      0.6 + 0.8 * gst_weather_src_draw (seed, i, 5, GST_WEATHER_SRC_CH_STATION);
  p->wind_dir_offset =
      20.0 * gst_weather_src_draw_signed (seed, i, 6,
      GST_WEATHER_SRC_CH_STATION);
}

GstWeatherSrcModel *
gst_weather_src_model_new (guint64 seed, guint stations)
{
  /* fronts: periods in hours, jittered by up to +-20 % per seed */
  static const gdouble front_hours[N_FRONTS] = { 31.0, 57.0, 101.0, 13.0 };
  GstWeatherSrcModel *model = g_new0 (GstWeatherSrcModel, 1);
  Region *r = &model->region;
  guint i;

  model->seed = seed;
  model->stations = stations;

  for (i = 0; i < N_FRONTS; i++) {
    r->front_period_s[i] = front_hours[i] * 3600.0 *
        (0.8 + 0.4 * gst_weather_src_draw (seed, i, 0,
            GST_WEATHER_SRC_CH_REGION));
    r->front_phase[i] =
        2 * G_PI * gst_weather_src_draw (seed, i, 1, GST_WEATHER_SRC_CH_REGION);
  }
  r->anomaly_phase[0] =
      2 * G_PI * gst_weather_src_draw (seed, 0, 2, GST_WEATHER_SRC_CH_REGION);
  r->anomaly_phase[1] =
      2 * G_PI * gst_weather_src_draw (seed, 1, 2, GST_WEATHER_SRC_CH_REGION);
  r->wind_speed_phase =
      2 * G_PI * gst_weather_src_draw (seed, 0, 3, GST_WEATHER_SRC_CH_REGION);
  r->wind_dir_base =
      360.0 * gst_weather_src_draw (seed, 0, 4, GST_WEATHER_SRC_CH_REGION);
  r->wind_dir_phase[0] =
      2 * G_PI * gst_weather_src_draw (seed, 0, 5, GST_WEATHER_SRC_CH_REGION);
  r->wind_dir_phase[1] =
      2 * G_PI * gst_weather_src_draw (seed, 1, 5, GST_WEATHER_SRC_CH_REGION);

  return model;
}

void
gst_weather_src_model_free (GstWeatherSrcModel * model)
{
  if (model == NULL)
    return;
  g_free (model);
}

/* Rounds to 1/@scale (10, 100): dividing the integer count by the scale
 * gives the double nearest the decimal, so the JSON stays short. */
static gdouble
round_to (gdouble v, gdouble scale)
{
  return round (v * scale) / scale;
}

static gdouble
wave (gdouble t_s, gdouble period_s, gdouble phase)
{
  return sin (2 * G_PI * fmod (t_s, period_s) / period_s + phase);
}

void
gst_weather_src_model_regional (const GstWeatherSrcModel * model,
    gint64 created_at, GstWeatherSrcRegional * w)
{
  static const gdouble front_amplitude[N_FRONTS] = { 6.0, 7.0, 6.0, 0.8 };
  const Region *g = &model->region;
  gdouble t = created_at / 1e9;
  gdouble hour = fmod (t, 86400.0) / 3600.0;
  gdouble year_s = 365.2425 * 86400.0;
  guint i;

  w->t = t;
  for (i = 0; i < N_FRONTS; i++)
    w->front[i] = front_amplitude[i] * wave (t, g->front_period_s[i],
        g->front_phase[i]);
  /* coldest in mid January, warmest at 15:00 UTC */
  w->season = -7.0 * cos (2 * G_PI * (fmod (t, year_s) / year_s - 0.04));
  w->daily_cycle = cos (2 * G_PI * (hour - 15.0) / 24.0);
  w->anomaly = 2.5 * wave (t, 67.0 * 3600.0, g->anomaly_phase[0]) +
      1.5 * wave (t, 131.0 * 3600.0, g->anomaly_phase[1]);
  w->wind_speed_wave = 2.5 * wave (t, 23.0 * 3600.0, g->wind_speed_phase);
  w->wind_dir_wave[0] = 90.0 * wave (t, 41.0 * 3600.0, g->wind_dir_phase[0]);
  w->wind_dir_wave[1] = 40.0 * wave (t, 17.0 * 3600.0, g->wind_dir_phase[1]);
}

/* All of it is a function of (seed, station, created_at) alone. */
void
gst_weather_src_model_measure (const GstWeatherSrcModel * model,
    guint station, gint64 created_at, const GstWeatherSrcRegional * w,
    GstWeatherReading * r)
{
  const Region *g = &model->region;
  guint64 seed = model->seed;
  StationParams params, *p = &params;
  gdouble daily, pressure, temperature, humidity;
  gdouble wind_speed, wind_dir;
  guint i;

  station_params (seed, station, p);
  pressure = 1008.0 + p->pressure_offset;
  for (i = 0; i < N_FRONTS; i++)
    pressure += w->front[i];
  pressure += 0.8 * wave (w->t, 19.0 * 3600.0, p->pressure_phase);
  pressure +=
      0.15 * gst_weather_src_draw_signed (seed, station, created_at,
      GST_WEATHER_SRC_CH_P_NOISE);
  pressure = CLAMP (pressure, 960.0, 1045.0);

  daily = p->daily_amplitude * w->daily_cycle;
  temperature = 11.0 + p->temperature_offset + w->season + daily +
      w->anomaly + 0.15 * gst_weather_src_draw_signed (seed, station,
      created_at, GST_WEATHER_SRC_CH_T_NOISE);

  humidity = 70.0 + p->humidity_offset - 3.0 * (daily + w->anomaly) +
      0.6 * (1008.0 - pressure) +
      2.0 * gst_weather_src_draw_signed (seed, station, created_at,
      GST_WEATHER_SRC_CH_H_NOISE);
  humidity = CLAMP (humidity, 5.0, 100.0);

  wind_speed = p->wind_factor * (4.0 + w->wind_speed_wave +
      0.15 * (1008.0 - pressure)) +
      0.3 * gst_weather_src_draw_signed (seed, station, created_at,
      GST_WEATHER_SRC_CH_WS_NOISE);
  wind_speed = MAX (wind_speed, 0.0);

  wind_dir = g->wind_dir_base + p->wind_dir_offset + w->wind_dir_wave[0] +
      w->wind_dir_wave[1] +
      5.0 * gst_weather_src_draw_signed (seed, station, created_at,
      GST_WEATHER_SRC_CH_WD_NOISE);
  wind_dir = round_to (wind_dir, 10);
  wind_dir = fmod (wind_dir, 360.0);
  if (wind_dir < 0)
    wind_dir += 360.0;
  wind_dir = round_to (wind_dir, 10);
  if (wind_dir >= 360.0)
    wind_dir = 0.0;

  r->temperature_c = round_to (temperature, 100);
  r->pressure_hpa = round_to (pressure, 100);
  r->humidity_pct = round_to (humidity, 10);
  r->wind_speed_ms = round_to (wind_speed, 100);
  r->wind_direction_deg = wind_dir;
}
