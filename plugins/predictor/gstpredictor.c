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
 * Each group carries a key (grouper's `group-by`: all stations, one
 * station or one region) and the prediction carries it on. The pressure
 * history is kept per key, so every key gets its own trend: one
 * prediction per key and window. A key whose last group is more than
 * 3 h 10 min of event time older than the newest group (the span of the
 * history, so nothing of it would be used) is forgotten, and so is the
 * key predicted for the longest ago when there are more than
 * #GstPredictor:max-keys (counted, warned: its trend starts over).
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
#define DEFAULT_MAX_KEYS 10000

/* The pressure history: one sample at most every HISTORY_SPACING of event
 * time, kept for TREND_SPAN + TREND_TOLERANCE, so the ring stays near 1100
 * samples whatever the window. */
#define TREND_SPAN (3 * 3600 * GST_SECOND)
#define TREND_TOLERANCE (10 * 60 * GST_SECOND)
#define TREND_MIN_AGE (3600 * GST_SECOND)
#define HISTORY_SPACING (TREND_SPAN / 1024)
/* a key silent for longer than the history keeps samples is forgotten */
#define HISTORY_HORIZON ((gint64) (TREND_SPAN + TREND_TOLERANCE))

typedef struct
{
  gint64 epoch;
  gdouble pressure_hpa;
} PressureSample;

/* What the predictor remembers of one key. */
typedef struct
{
  GstWeatherKey key;
  GArray *history;              /* PressureSample ascending by epoch */
  gint64 last_epoch;            /* window start of its latest group */
  GList link;                   /* in GstPredictor's lru, data = this */
} PredictorKey;

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_HEMISPHERE,
  PROP_POST_MESSAGES,
  PROP_MAX_KEYS,
  PROP_STATS,
};

struct _GstPredictor
{
  GstBaseTransform parent;

  /* properties, GST_OBJECT_LOCK */
  GstWeatherModel model;
  GstPredictorHemisphere hemisphere;
  gboolean post_messages;
  guint max_keys;

  /* counters, GST_OBJECT_LOCK */
  guint64 predictions;
  guint64 no_data;
  guint64 trend_estimated;
  guint64 incomplete;
  guint64 invalid;
  guint64 keys_forgotten;
  guint64 keys_evicted;
  guint n_keys;

  /* streaming thread only; reset in start/stop and on FLUSH_STOP while no
   * buffer flows */
  GHashTable *keys;             /* GstWeatherKey * -> PredictorKey *, owned */
  GQueue lru;                   /* PredictorKey, predicted longest ago first */
  gint64 newest_epoch;          /* latest window start seen, or -1 */
  gint group_version;           /* of the sink caps */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_GROUP_CAPS_ANY_VERSION));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_PREDICTION_CAPS));

#define gst_predictor_parent_class parent_class
G_DEFINE_TYPE (GstPredictor, gst_predictor, GST_TYPE_BASE_TRANSFORM);
GST_ELEMENT_REGISTER_DEFINE (predictor, "predictor", GST_RANK_NONE,
    GST_TYPE_PREDICTOR);

static void
predictor_key_free (PredictorKey * pk)
{
  g_array_free (pk->history, TRUE);
  g_free (pk);
}

/* Forgets every key: a new stream, a flush, a stop. */
static void
gst_predictor_reset_history (GstPredictor * self)
{
  g_queue_init (&self->lru);
  g_hash_table_remove_all (self->keys);
  self->newest_epoch = -1;
  GST_OBJECT_LOCK (self);
  self->n_keys = 0;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_predictor_forget_key (GstPredictor * self, PredictorKey * pk)
{
  g_queue_unlink (&self->lru, &pk->link);
  /* frees pk: the hash table's key is pk's own */
  g_hash_table_remove (self->keys, &pk->key);
}

/* The history of @key, made when it is new; it becomes the key predicted
 * last. */
static PredictorKey *
gst_predictor_use_key (GstPredictor * self, const GstWeatherKey * key)
{
  PredictorKey *pk = g_hash_table_lookup (self->keys, key);

  if (pk) {
    g_queue_unlink (&self->lru, &pk->link);
  } else {
    pk = g_new0 (PredictorKey, 1);
    pk->key = *key;
    pk->history = g_array_new (FALSE, FALSE, sizeof (PressureSample));
    pk->link.data = pk;
    g_hash_table_insert (self->keys, &pk->key, pk);
    GST_DEBUG_OBJECT (self, "new key %s %u \"%s\"",
        gst_weather_key_kind_to_string (key->kind), key->id, key->name);
  }
  g_queue_push_tail_link (&self->lru, &pk->link);
  return pk;
}

/* After a prediction at @epoch: the keys silent for longer than the
 * history reaches are forgotten (nothing of their history would be used
 * again), then, beyond @max_keys, those predicted longest ago. Groups come
 * in window order, so the longest unused key is also the one with the
 * oldest window. */
static void
gst_predictor_forget_keys (GstPredictor * self, gint64 epoch, guint max_keys)
{
  PredictorKey *pk;
  guint forgotten = 0, evicted = 0;

  self->newest_epoch = MAX (self->newest_epoch, epoch);
  while ((pk = g_queue_peek_head (&self->lru)) &&
      pk->last_epoch < self->newest_epoch - HISTORY_HORIZON) {
    GST_DEBUG_OBJECT (self, "key \"%s\" silent for longer than the trend "
        "horizon: forgotten", pk->key.name);
    gst_predictor_forget_key (self, pk);
    forgotten++;
  }
  while (self->lru.length > max_keys && (pk = g_queue_peek_head (&self->lru))) {
    GST_WARNING_OBJECT (self, "more than max-keys (%u) keys: the history of "
        "key \"%s\", predicted the longest ago, is forgotten", max_keys,
        pk->key.name);
    gst_predictor_forget_key (self, pk);
    evicted++;
  }
  GST_OBJECT_LOCK (self);
  self->keys_forgotten += forgotten;
  self->keys_evicted += evicted;
  self->n_keys = self->lru.length;
  GST_OBJECT_UNLOCK (self);
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
      "invalid", G_TYPE_UINT64, self->invalid,
      "keys", G_TYPE_UINT, self->n_keys,
      "keys-forgotten", G_TYPE_UINT64, self->keys_forgotten,
      "keys-evicted", G_TYPE_UINT64, self->keys_evicted, NULL);
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
    case PROP_MAX_KEYS:
      self->max_keys = g_value_get_uint (value);
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
    case PROP_MAX_KEYS:
      g_value_set_uint (value, self->max_keys);
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
    other = gst_caps_from_string (GST_WEATHER_GROUP_CAPS_ANY_VERSION);

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
gst_predictor_history_find (GArray * history, gint64 epoch)
{
  guint lo = 0, hi = history->len;

  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;

    if (g_array_index (history, PressureSample, mid).epoch < epoch)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Drops the samples older than the history keeps at @epoch: 3 h 10 min
 * (TREND_SPAN + TREND_TOLERANCE). */
static void
gst_predictor_prune_history (GArray * history, gint64 epoch)
{
  guint keep = gst_predictor_history_find (history, epoch - HISTORY_HORIZON);

  if (keep > 0)
    g_array_remove_range (history, 0, keep);
}

/* Pressure change over the last 3 hours at @epoch for @pressure, from the
 * history; sets *estimated when the documented fallback was used. The
 * samples older than the history keeps are dropped first: after a gap,
 * or with windows longer than 3 h 10 min, an old sample must not make
 * the trend. */
static gdouble
gst_predictor_trend (GArray * history, gint64 epoch, gdouble pressure,
    gboolean * estimated)
{
  const PressureSample *best = NULL, *oldest;
  gint64 target = epoch - (gint64) TREND_SPAN, best_dist = G_MAXINT64;
  guint i, lo;

  *estimated = TRUE;
  gst_predictor_prune_history (history, epoch);
  if (!isfinite (pressure) || history->len == 0)
    return NAN;

  /* the nearest sample to the target is the last one before it or the
   * first one at or after it */
  lo = gst_predictor_history_find (history, target);
  for (i = lo > 0 ? lo - 1 : 0; i <= lo && i < history->len; i++) {
    const PressureSample *s = &g_array_index (history, PressureSample, i);
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

  oldest = &g_array_index (history, PressureSample, 0);
  if (oldest->epoch < epoch && epoch - oldest->epoch >= (gint64) TREND_MIN_AGE)
    return (pressure - oldest->pressure_hpa) * (gdouble) TREND_SPAN /
        (gdouble) (epoch - oldest->epoch);

  return NAN;
}

static void
gst_predictor_remember (GstPredictor * self, PredictorKey * pk, gint64 epoch,
    gdouble pressure)
{
  PressureSample s = { epoch, pressure };
  GArray *history = pk->history;

  if (!isfinite (pressure))
    return;

  if (history->len > 0) {
    const PressureSample *last = &g_array_index (history,
        PressureSample, history->len - 1);

    if (epoch < last->epoch) {
      GST_INFO_OBJECT (self, "key \"%s\": window went back in time: "
          "history restarts", pk->key.name);
      g_array_set_size (history, 0);
    } else if (epoch - last->epoch < (gint64) HISTORY_SPACING) {
      return;
    }
  }
  g_array_append_val (history, s);
  gst_predictor_prune_history (history, epoch);
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

/* What a prediction takes from the slots of a group, summed as they are
 * read from the group buffer. */
typedef struct
{
  gdouble psum, tsum, ssum, u, v;
  guint np, nt, ns, nw;
  /* the temperatures, for the seed model only (NULL otherwise) */
  gdouble *temps;
} PredictorSums;

static void
predictor_sums_add (const GstWeatherReading * r, gpointer user_data)
{
  PredictorSums *sums = user_data;

  if (r->flags & GST_WEATHER_READING_FLAG_MISSING)
    return;
  if (isfinite (r->pressure_hpa)) {
    sums->psum += r->pressure_hpa;
    sums->np++;
  }
  if (isfinite (r->temperature_c)) {
    sums->tsum += r->temperature_c;
    if (sums->temps)
      sums->temps[sums->nt] = r->temperature_c;
    sums->nt++;
  }
  if (isfinite (r->wind_speed_ms)) {
    sums->ssum += r->wind_speed_ms;
    sums->ns++;
    if (isfinite (r->wind_direction_deg)) {
      gdouble rad = r->wind_direction_deg * G_PI / 180.0;

      /* speed-weighted vector mean of the direction */
      sums->u += r->wind_speed_ms * sin (rad);
      sums->v += r->wind_speed_ms * cos (rad);
      sums->nw++;
    }
  }
}

static void
gst_predictor_predict (GstPredictor * self, PredictorKey * pk,
    const GstWeatherGroup * group, const PredictorSums * sums,
    GstWeatherModel model, gboolean north, GstWeatherPrediction * pred)
{
  gdouble psum = sums->psum, tsum = sums->tsum, ssum = sums->ssum;
  gdouble u = sums->u, v = sums->v, trend;
  guint np = sums->np, nt = sums->nt, ns = sums->ns, nw = sums->nw;
  gdouble wind_dir = NAN, wind_speed = NAN;
  gboolean estimated;

  gst_weather_prediction_init (pred);
  pred->window_start = group->window_start;
  pred->window_end = group->window_end;
  pred->key = group->key;
  pred->model = model;
  pred->stations_missing = group->n_slots - group->n_present;
  if (group->flags & GST_WEATHER_GROUP_FLAG_INCOMPLETE)
    pred->flags |= GST_WEATHER_PREDICTION_FLAG_INCOMPLETE;

  pred->mean_pressure_hpa = np ? psum / np : NAN;
  pred->mean_temperature_c = nt ? tsum / nt : NAN;
  if (ns)
    wind_speed = ssum / ns;
  if (nw && hypot (u, v) > 1e-9) {
    wind_dir = atan2 (u, v) * 180.0 / G_PI;
    if (wind_dir < 0)
      wind_dir += 360.0;
  }

  trend = gst_predictor_trend (pk->history, group->window_start,
      pred->mean_pressure_hpa, &estimated);
  gst_predictor_remember (self, pk, group->window_start,
      pred->mean_pressure_hpa);
  pk->last_epoch = group->window_start;
  pred->pressure_trend_hpa = trend;

  switch (model) {
    case GST_WEATHER_MODEL_SEED:
      pred->stations_used = nt;
      if (!weather_seed_chance_of_rain (sums->temps, nt,
              &pred->chance_of_rain_pct))
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
}

static GstFlowReturn
gst_predictor_generate_output (GstBaseTransform * trans, GstBuffer ** outbuf)
{
  GstPredictor *self = GST_PREDICTOR (trans);
  GstBuffer *inbuf = trans->queued_buf;
  GstWeatherGroup group = { 0, };
  PredictorSums sums = { 0, };
  GstWeatherPrediction pred;
  GstWeatherModel model;
  gboolean north, post;
  guint max_keys;
  GError *err = NULL;

  *outbuf = NULL;
  if (!inbuf)
    return GST_FLOW_OK;
  trans->queued_buf = NULL;

  GST_OBJECT_LOCK (self);
  model = self->model;
  north = self->hemisphere == GST_PREDICTOR_HEMISPHERE_NORTH;
  post = self->post_messages;
  max_keys = self->max_keys;
  GST_OBJECT_UNLOCK (self);

  /* the slots are read in place, one at a time: a group of a million
   * stations is never copied (docs/performance.md) */
  if (model == GST_WEATHER_MODEL_SEED)
    /* no more slots than whole records after the header */
    sums.temps = g_new (gdouble, MAX (gst_buffer_get_size (inbuf) /
            GST_WEATHER_READING_SIZE, 1));
  if (!gst_weather_group_foreach_slot (inbuf, self->group_version, &group,
          predictor_sums_add, &sums, &err)) {
    GST_WARNING_OBJECT (self, "dropping invalid group buffer: %s",
        err ? err->message : "unknown error");
    g_clear_error (&err);
    g_free (sums.temps);
    GST_OBJECT_LOCK (self);
    self->invalid++;
    GST_OBJECT_UNLOCK (self);
    gst_buffer_unref (inbuf);
    return GST_FLOW_OK;
  }

  gst_predictor_predict (self, gst_predictor_use_key (self, &group.key),
      &group, &sums, model, north, &pred);
  gst_predictor_forget_keys (self, group.window_start, max_keys);
  g_free (sums.temps);

  GST_LOG_OBJECT (self, "window %" G_GINT64_FORMAT ", key \"%s\": %c "
      "%.1f %% (%s)", pred.window_start, pred.key.name,
      pred.letter ? pred.letter : '-', pred.chance_of_rain_pct, pred.forecast);

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
gst_predictor_set_caps (GstBaseTransform * trans, GstCaps * incaps,
    GstCaps * outcaps)
{
  GstPredictor *self = GST_PREDICTOR (trans);
  gint version = GST_WEATHER_GROUP_VERSION;

  /* fixed caps within the template: version 1 or 2 */
  gst_structure_get_int (gst_caps_get_structure (incaps, 0), "version",
      &version);
  self->group_version = version;
  GST_DEBUG_OBJECT (self, "groups of version %d", version);
  return TRUE;
}

static gboolean
gst_predictor_start (GstBaseTransform * trans)
{
  GstPredictor *self = GST_PREDICTOR (trans);

  gst_predictor_reset_history (self);
  GST_OBJECT_LOCK (self);
  self->predictions = self->no_data = self->trend_estimated = 0;
  self->incomplete = self->invalid = 0;
  self->keys_forgotten = self->keys_evicted = 0;
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

  g_hash_table_destroy (self->keys);
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
   * GstPredictor:max-keys:
   *
   * Most keys whose pressure history is kept (grouper's group-by makes a
   * key per station or region). Beyond it the key predicted the longest
   * ago is forgotten (counted as `keys-evicted`, warned): its next
   * prediction starts a new history and its trend is estimated again. A
   * key takes up to about 18 KB (3 h 10 min of history, one sample per
   * 10.5 s of windows). Default 10,000, at least 1. Takes effect from the
   * next group.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_KEYS,
      g_param_spec_uint ("max-keys", "Maximum keys",
          "Most keys (stations, regions) whose pressure history is kept; "
          "beyond, the one predicted the longest ago is forgotten", 1,
          G_MAXUINT, DEFAULT_MAX_KEYS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstPredictor:stats:
   *
   * Counters since the element last started: `predictions` made,
   * `no-data` (predictions with the NO_DATA flag), `trend-estimated`
   * (Zambretti predictions made with less than 3 hours of history),
   * `incomplete` (from groups below quorum), `invalid` (input buffers
   * that were not valid groups, dropped), `keys-forgotten` (silent for
   * longer than 3 h 10 min of event time) and `keys-evicted` (beyond
   * max-keys), all guint64; `keys` (guint), the keys whose history is
   * kept now.
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
  trans_class->set_caps = GST_DEBUG_FUNCPTR (gst_predictor_set_caps);
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
  self->max_keys = DEFAULT_MAX_KEYS;
  self->keys = g_hash_table_new_full ((GHashFunc) gst_weather_key_hash,
      (GEqualFunc) gst_weather_key_equal, NULL,
      (GDestroyNotify) predictor_key_free);
  g_queue_init (&self->lru);
  self->newest_epoch = -1;
  self->group_version = GST_WEATHER_GROUP_VERSION;
}
