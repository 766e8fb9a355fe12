/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-predictor
 * @title: predictor
 *
 * Turns each group of readings (application/x-weather-group, one window of
 * the grouper) into a prediction (application/x-weather-prediction) and
 * posts the same prediction on the bus as a `weather-prediction` element
 * message.
 *
 * Two models are available through #GstPredictor:model:
 *
 * - `zambretti` (default): the Negretti & Zambra forecaster in the variant
 *   of the pywws project (docs/zambretti.md). Its inputs are the mean
 *   sea-level pressure of the stations present in the window, the
 *   pressure change over the last 3 hours (the element keeps the history of
 *   the windows it has seen), the mean wind, the month of the window (UTC)
 *   and #GstPredictor:hemisphere. With less than 3 hours of history the
 *   trend is estimated and the prediction flagged TREND_ESTIMATED.
 * - `seed`: the toy rule of the talk the project started from, chance of
 *   rain = mean temperature / maximum temperature over the present
 *   stations, with a defined result (0 %, flag NO_DATA) for an empty group,
 *   no temperature at all or a maximum <= 0 °C.
 *
 * A buffer that is not a valid group is dropped, counted in
 * #GstPredictor:stats and logged at WARNING level.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 weathersrc stations=5 num-buffers=100 ! grouper ! predictor ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include <gst/weather/weather.h>

#include "gstpredictor.h"
#include "gstzambretti.h"

GST_DEBUG_CATEGORY_STATIC (gst_predictor_debug);
#define GST_CAT_DEFAULT gst_predictor_debug

#define DEFAULT_MODEL GST_WEATHER_MODEL_ZAMBRETTI
#define DEFAULT_HEMISPHERE GST_PREDICTOR_HEMISPHERE_NORTH
#define DEFAULT_POST_MESSAGES TRUE

/* The pressure history: one sample at most every HISTORY_SPACING of event
 * time, kept for TREND_SPAN + TREND_TOLERANCE, so the ring stays near 1100
 * samples whatever the window. */
#define TREND_SPAN (3 * 3600 * GST_SECOND)
#define TREND_TOLERANCE (10 * 60 * GST_SECOND)
#define TREND_MIN_AGE (3600 * GST_SECOND)
#define HISTORY_SPACING (TREND_SPAN / 1024)

typedef struct
{
  gint64 epoch;
  gdouble pressure_hpa;
} PressureSample;

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_HEMISPHERE,
  PROP_POST_MESSAGES,
  PROP_STATS,
};

struct _GstPredictor
{
  GstBaseTransform parent;

  /* properties, GST_OBJECT_LOCK */
  GstWeatherModel model;
  GstPredictorHemisphere hemisphere;
  gboolean post_messages;

  /* counters, GST_OBJECT_LOCK */
  guint64 predictions;
  guint64 no_data;
  guint64 trend_estimated;
  guint64 incomplete;
  guint64 invalid;

  /* streaming thread only; reset in start/stop and on FLUSH_STOP while no
   * buffer flows. PressureSample ascending by epoch. */
  GArray *history;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_GROUP_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_PREDICTION_CAPS));

#define gst_predictor_parent_class parent_class
G_DEFINE_TYPE (GstPredictor, gst_predictor, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (predictor, "predictor", GST_RANK_NONE,
    GST_TYPE_PREDICTOR);

static void
gst_predictor_reset_history (GstPredictor * self)
{
  g_array_set_size (self->history, 0);
}

static GstStructure *
gst_predictor_get_stats (GstPredictor * self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("application/x-predictor-stats",
      "predictions", G_TYPE_UINT64, self->predictions,
      "no-data", G_TYPE_UINT64, self->no_data,
      "trend-estimated", G_TYPE_UINT64, self->trend_estimated,
      "incomplete", G_TYPE_UINT64, self->incomplete,
      "invalid", G_TYPE_UINT64, self->invalid, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
gst_predictor_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstPredictor *self = GST_PREDICTOR (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      self->model = g_value_get_enum (value);
      break;
    case PROP_HEMISPHERE:
      self->hemisphere = g_value_get_enum (value);
      break;
    case PROP_POST_MESSAGES:
      self->post_messages = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_predictor_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstPredictor *self = GST_PREDICTOR (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_predictor_get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_MODEL:
      g_value_set_enum (value, self->model);
      break;
    case PROP_HEMISPHERE:
      g_value_set_enum (value, self->hemisphere);
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, self->post_messages);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstCaps *
gst_predictor_transform_caps (GstBaseTransform * trans,
    GstPadDirection direction, GstCaps * caps, GstCaps * filter)
{
  GstCaps *other, *res;

  /* Whatever group caps come in, the output is a prediction stream and
   * vice versa; the media types never mix. */
  if (direction == GST_PAD_SINK)
    other = gst_caps_from_string (GST_WEATHER_PREDICTION_CAPS);
  else
    other = gst_caps_from_string (GST_WEATHER_GROUP_CAPS);

  if (filter) {
    res = gst_caps_intersect_full (filter, other, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (other);
  } else {
    res = other;
  }
  return res;
}

/* The index of the first sample at or after @epoch (the history is in
 * epoch order), by bisection; the length when there is none. */
static guint
gst_predictor_history_find (GstPredictor * self, gint64 epoch)
{
  guint lo = 0, hi = self->history->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (g_array_index (self->history, PressureSample, mid).epoch < epoch)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Drops the samples older than the history keeps at @epoch: 3 h 10 min
 * (TREND_SPAN + TREND_TOLERANCE). */
static void
gst_predictor_prune_history (GstPredictor * self, gint64 epoch)
{
  guint keep = gst_predictor_history_find (self,
      epoch - (gint64) (TREND_SPAN + TREND_TOLERANCE));

  if (keep > 0)
    g_array_remove_range (self->history, 0, keep);
}

/* Pressure change over the last 3 hours at @epoch for @pressure, from the
 * history; sets *estimated when the documented fallback was used. The
 * samples older than the history keeps are dropped first: after a gap,
 * or with windows longer than 3 h 10 min, an old sample must not make
 * the trend. */
static gdouble
gst_predictor_trend (GstPredictor * self, gint64 epoch, gdouble pressure,
    gboolean * estimated)
{
  const PressureSample *best = NULL, *oldest;
  gint64 target = epoch - (gint64) TREND_SPAN, best_dist = G_MAXINT64;
  guint i, lo;

  *estimated = TRUE;
  gst_predictor_prune_history (self, epoch);
  if (!isfinite (pressure) || self->history->len == 0)
    return NAN;

  /* the nearest sample to the target is the last one before it or the
   * first one at or after it */
  lo = gst_predictor_history_find (self, target);
  for (i = lo > 0 ? lo - 1 : 0; i <= lo && i < self->history->len; i++) {
    const PressureSample *s = &g_array_index (self->history, PressureSample, i);
    gint64 dist = ABS (s->epoch - target);

    if (s->epoch >= epoch)
      break;
    if (dist < best_dist) {
      best_dist = dist;
      best = s;
    }
  }

  if (best && best_dist <= (gint64) TREND_TOLERANCE) {
    *estimated = FALSE;
    return (pressure - best->pressure_hpa) * (gdouble) TREND_SPAN /
        (gdouble) (epoch - best->epoch);
  }

  oldest = &g_array_index (self->history, PressureSample, 0);
  if (oldest->epoch < epoch && epoch - oldest->epoch >= (gint64) TREND_MIN_AGE)
    return (pressure - oldest->pressure_hpa) * (gdouble) TREND_SPAN /
        (gdouble) (epoch - oldest->epoch);

  return NAN;
}

static void
gst_predictor_remember (GstPredictor * self, gint64 epoch, gdouble pressure)
{
  PressureSample s = { epoch, pressure };

  if (!isfinite (pressure))
    return;

  if (self->history->len > 0) {
    const PressureSample *last = &g_array_index (self->history,
        PressureSample, self->history->len - 1);

    if (epoch < last->epoch) {
      GST_INFO_OBJECT (self, "window went back in time: history restarts");
      gst_predictor_reset_history (self);
    } else if (epoch - last->epoch < (gint64) HISTORY_SPACING) {
      return;
    }
  }
  g_array_append_val (self->history, s);
  gst_predictor_prune_history (self, epoch);
}

/* The UTC month (1–12) of @epoch_ns (>= 0, as a valid group's window
 * start is), by the proleptic Gregorian calendar's arithmetic: the days
 * since 0000-03-01 split into 400-year eras, years and a March-based
 * day of the year. The same as GDateTime's month for every day from 1970
 * to 2262 (checked), without an allocation per prediction. */
static guint
month_of (gint64 epoch_ns)
{
  gint64 z = epoch_ns / (86400 * GST_SECOND) + 719468;
  gint64 era = z / 146097, doe = z - era * 146097;
  gint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  gint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  gint64 mp = (5 * doy + 2) / 153;

  return (guint) (mp < 10 ? mp + 3 : mp - 9);
}

static void
gst_predictor_predict (GstPredictor * self, const GstWeatherGroup * group,
    GstWeatherModel model, gboolean north, GstWeatherPrediction * pred)
{
  gdouble psum = 0, tsum = 0, ssum = 0, u = 0, v = 0, trend;
  guint np = 0, nt = 0, ns = 0, nw = 0, i;
  gdouble wind_dir = NAN, wind_speed = NAN;
  gboolean estimated;
  /* the temperatures, for the seed model only */
  gdouble *temps = NULL;

  gst_weather_prediction_init (pred);
  pred->window_start = group->window_start;
  pred->window_end = group->window_end;
  pred->model = model;
  pred->stations_missing = group->n_slots - group->n_present;
  if (group->flags & GST_WEATHER_GROUP_FLAG_INCOMPLETE)
    pred->flags |= GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;

  if (model == GST_WEATHER_MODEL_SEED)
    temps = g_new (gdouble, MAX (group->n_slots, 1));
  for (i = 0; i < group->n_slots; i++) {
    const GstWeatherReading *r = &group->slots[i];

    if (r->flags & GST_WEATHER_READING_FLAG_MISSING)
      continue;
    if (isfinite (r->pressure_hpa)) {
      psum += r->pressure_hpa;
      np++;
    }
    if (isfinite (r->temperature_c)) {
      tsum += r->temperature_c;
      if (temps)
        temps[nt] = r->temperature_c;
      nt++;
    }
    if (isfinite (r->wind_speed_ms)) {
      ssum += r->wind_speed_ms;
      ns++;
      if (isfinite (r->wind_direction_deg)) {
        gdouble rad = r->wind_direction_deg * G_PI / 180.0;

        /* speed-weighted vector mean of the direction */
        u += r->wind_speed_ms * sin (rad);
        v += r->wind_speed_ms * cos (rad);
        nw++;
      }
    }
  }

  pred->mean_pressure_hpa = np ? psum / np : NAN;
  pred->mean_temperature_c = nt ? tsum / nt : NAN;
  if (ns)
    wind_speed = ssum / ns;
  if (nw && hypot (u, v) > 1e-9) {
    wind_dir = atan2 (u, v) * 180.0 / G_PI;
    if (wind_dir < 0)
      wind_dir += 360.0;
  }

  trend = gst_predictor_trend (self, group->window_start,
      pred->mean_pressure_hpa, &estimated);
  gst_predictor_remember (self, group->window_start, pred->mean_pressure_hpa);
  pred->pressure_trend_hpa = trend;

  switch (model) {
    case GST_WEATHER_MODEL_SEED:
      pred->stations_used = nt;
      if (!weather_seed_chance_of_rain (temps, nt, &pred->chance_of_rain_pct))
        pred->flags |= GST_WEATHER_PREDICTION_FLAG_NO_DATA;
      break;
    case GST_WEATHER_MODEL_ZAMBRETTI:
    default:
      pred->stations_used = np;
      if (np == 0) {
        pred->flags |= GST_WEATHER_PREDICTION_FLAG_NO_DATA;
        pred->chance_of_rain_pct = 0;
        break;
      }
      if (estimated)
        pred->flags |= GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED;
      pred->letter = weather_zambretti_letter (pred->mean_pressure_hpa,
          trend, wind_dir, wind_speed, month_of (group->window_start), north);
      pred->chance_of_rain_pct =
          weather_zambretti_chance_of_rain (pred->letter);
      g_strlcpy (pred->forecast, weather_zambretti_text (pred->letter),
          sizeof (pred->forecast));
      break;
  }
  g_free (temps);
}

static GstFlowReturn
gst_predictor_generate_output (GstBaseTransform * trans, GstBuffer ** outbuf)
{
  GstPredictor *self = GST_PREDICTOR (trans);
  GstBuffer *inbuf = trans->queued_buf;
  GstWeatherGroup group = { 0, };
  GstWeatherPrediction pred;
  GstWeatherModel model;
  gboolean north, post;
  GError *err = NULL;

  *outbuf = NULL;
  if (!inbuf)
    return GST_FLOW_OK;
  trans->queued_buf = NULL;

  if (!gst_weather_group_from_buffer (inbuf, &group, &err)) {
    GST_WARNING_OBJECT (self, "dropping invalid group buffer: %s",
        err ? err->message : "unknown error");
    g_clear_error (&err);
    gst_weather_group_clear (&group);
    GST_OBJECT_LOCK (self);
    self->invalid++;
    GST_OBJECT_UNLOCK (self);
    gst_buffer_unref (inbuf);
    return GST_FLOW_OK;
  }

  GST_OBJECT_LOCK (self);
  model = self->model;
  north = self->hemisphere == GST_PREDICTOR_HEMISPHERE_NORTH;
  post = self->post_messages;
  GST_OBJECT_UNLOCK (self);

  gst_predictor_predict (self, &group, model, north, &pred);
  gst_weather_group_clear (&group);

  GST_LOG_OBJECT (self, "window %" G_GINT64_FORMAT ": %c %.1f %% (%s)",
      pred.window_start, pred.letter ? pred.letter : '-',
      pred.chance_of_rain_pct, pred.forecast);

  *outbuf = gst_weather_prediction_to_buffer (&pred);
  gst_buffer_copy_into (*outbuf, inbuf, GST_BUFFER_COPY_TIMESTAMPS |
      GST_BUFFER_COPY_FLAGS, 0, -1);
  gst_buffer_unref (inbuf);

  GST_OBJECT_LOCK (self);
  self->predictions++;
  if (pred.flags & GST_WEATHER_PREDICTION_FLAG_NO_DATA)
    self->no_data++;
  if (pred.flags & GST_WEATHER_PREDICTION_FLAG_TREND_ESTIMATED)
    self->trend_estimated++;
  if (pred.flags & GST_WEATHER_PREDICTION_FLAG_INCOMPLETE)
    self->incomplete++;
  GST_OBJECT_UNLOCK (self);

  if (post) {
    GstStructure *s = gst_weather_prediction_to_structure (&pred);

    if (s)
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self), s));
  }
  return GST_FLOW_OK;
}

static gboolean
gst_predictor_sink_event (GstBaseTransform * trans, GstEvent * event)
{
  GstPredictor *self = GST_PREDICTOR (trans);

  /* a flush or a new stream starts a new pressure history: the old one
   * belongs to another timeline */
  if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP ||
      GST_EVENT_TYPE (event) == GST_EVENT_STREAM_START)
    gst_predictor_reset_history (self);

  return GST_BASE_TRANSFORM_CLASS (parent_class)->sink_event (trans, event);
}

static gboolean
gst_predictor_start (GstBaseTransform * trans)
{
  GstPredictor *self = GST_PREDICTOR (trans);

  gst_predictor_reset_history (self);
  GST_OBJECT_LOCK (self);
  self->predictions = self->no_data = self->trend_estimated = 0;
  self->incomplete = self->invalid = 0;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_predictor_stop (GstBaseTransform * trans)
{
  gst_predictor_reset_history (GST_PREDICTOR (trans));
  return TRUE;
}

static void
gst_predictor_finalize (GObject * object)
{
  GstPredictor *self = GST_PREDICTOR (object);

  g_array_free (self->history, TRUE);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_predictor_class_init (GstPredictorClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseTransformClass *trans_class = GST_BASE_TRANSFORM_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_predictor_debug, "predictor", 0,
      "weather predictor");

  gobject_class->set_property = gst_predictor_set_property;
  gobject_class->get_property = gst_predictor_get_property;
  gobject_class->finalize = gst_predictor_finalize;

  /**
   * GstPredictor:model:
   *
   * The forecast model: `zambretti` (pressure, 3-hour trend, wind, season
   * and hemisphere; docs/zambretti.md) or `seed` (mean / max temperature,
   * the original toy rule). Takes effect from the next group.
   */
  g_object_class_install_property (gobject_class, PROP_MODEL,
      g_param_spec_enum ("model", "Model", "Forecast model",
          GST_TYPE_WEATHER_MODEL, DEFAULT_MODEL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstPredictor:hemisphere:
   *
   * Where the stations are: `south` turns the wind direction by 180° and
   * swaps summer (October..March) and winter for the Zambretti model.
   * Default `north`.
   */
  g_object_class_install_property (gobject_class, PROP_HEMISPHERE,
      g_param_spec_enum ("hemisphere", "Hemisphere",
          "Hemisphere of the stations (Zambretti model)",
          GST_TYPE_PREDICTOR_HEMISPHERE, DEFAULT_HEMISPHERE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstPredictor:post-messages:
   *
   * Post each prediction on the bus as a `weather-prediction` element
   * message (gst_weather_prediction_to_structure()). Default TRUE.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post each prediction as a weather-prediction element message",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstPredictor:stats:
   *
   * Counters since the element last started: `predictions` made,
   * `no-data` (predictions with the NO_DATA flag), `trend-estimated`
   * (Zambretti predictions made with less than 3 hours of history),
   * `incomplete` (from groups below quorum) and `invalid` (input buffers
   * that were not valid groups, dropped). All guint64.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "Weather predictor",
      "Filter/Analyzer", "Predicts the weather from groups of readings",
      GST_WEATHER_AUTHOR);

  trans_class->transform_caps =
      GST_DEBUG_FUNCPTR (gst_predictor_transform_caps);
  trans_class->generate_output =
      GST_DEBUG_FUNCPTR (gst_predictor_generate_output);
  trans_class->sink_event = GST_DEBUG_FUNCPTR (gst_predictor_sink_event);
  trans_class->start = GST_DEBUG_FUNCPTR (gst_predictor_start);
  trans_class->stop = GST_DEBUG_FUNCPTR (gst_predictor_stop);
  trans_class->passthrough_on_same_caps = FALSE;

  gst_type_mark_as_plugin_api (GST_TYPE_PREDICTOR_HEMISPHERE, 0);
}

static void
gst_predictor_init (GstPredictor * self)
{
  self->model = DEFAULT_MODEL;
  self->hemisphere = DEFAULT_HEMISPHERE;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->history = g_array_new (FALSE, FALSE, sizeof (PressureSample));
}
