/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-weathersrc
 * @title: weathersrc
 *
 * weathersrc simulates a network of weather stations. Station i (0-based)
 * has station_id i and the name "sim-i"; every station measures once per
 * #GstWeatherSrc:period, all stations at the same instants
 * (start-time + k * period). Each reading then travels through a simulated
 * network: it is lost with #GstWeatherSrc:drop-probability, repeated with
 * #GstWeatherSrc:duplicate-probability (the copy travels on its own), and
 * arrives #GstWeatherSrc:delay plus a uniform 0..#GstWeatherSrc:jitter
 * nanoseconds after it was made. Readings leave the element in arrival
 * order, so with a jitter larger than the period they come out of order.
 *
 * The weather itself is plausible and depends only on the seed and the
 * instant: a daily and a seasonal temperature cycle, sea-level pressure
 * moved by passing fronts (a slow regional swell shared by all stations
 * plus a small per-station part, 960-1045 hPa, several hPa over three
 * hours), humidity that falls when it gets warmer and rises when the
 * pressure falls, and wind that turns and freshens slowly. The same seed
 * and properties give the same bytes, live or not, on any machine.
 *
 * This file is the GstPushSrc: properties, timestamps, clock waits and
 * buffers. The weather is gstweathersrcmodel.c, the network (rounds,
 * losses, copies, delays, the readings in flight) gstweathersrcnetwork.c.
 *
 * Timestamps follow the time model of docs/time-model.md: the segment's
 * time is the origin (gst_weather_origin_choose(): the base time when
 * live, two hours before the start-time otherwise),
 * a buffer's PTS is its created_at minus the origin (PTS go backwards when
 * readings overtake each other) and received_at is the simulated arrival
 * instant. When live, the element provides the realtime system clock and
 * pushes each reading when the pipeline clock reaches its arrival instant;
 * the LATENCY query then reports delay + jitter as its minimum latency.
 * When not live, the readings go out in buffer lists of up to 64
 * (#GstBaseSrc:num-buffers still counts readings). Buffers come from the
 * pool downstream proposes, or from one of the element's own.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -q weathersrc num-buffers=30 stations=3 ! weatherenc ! fdsink
 * ]| Thirty readings of three simulated stations, as JSON lines.
 * |[
 * gst-launch-1.0 weathersrc is-live=true stations=5 period=1000000000 jitter=1500000000 ! weatherenc ! fdsink
 * ]| Five live stations, one reading a second each, arriving up to 1.5 s
 * late and so partly out of order.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/weather/weather.h>

#include "gstweathersrc.h"
#include "gstweathersrcnetwork.h"
#include "gstweatherpool.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_src_debug);
#define GST_CAT_DEFAULT gst_weather_src_debug

#define DEFAULT_STATIONS 10
#define DEFAULT_PERIOD GST_SECOND
#define DEFAULT_DELAY 0
#define DEFAULT_JITTER 0
#define DEFAULT_DROP_PROBABILITY 0.0
#define DEFAULT_DUPLICATE_PROBABILITY 0.0
#define DEFAULT_SEED 0
#define DEFAULT_IS_LIVE FALSE
#define DEFAULT_START_TIME (-1)

#define MAX_STATIONS 1000000
#define MIN_PERIOD GST_MSECOND
#define MAX_PERIOD (24 * GST_SECOND * 3600)
#define MAX_DELAY (GST_SECOND * 3600)
/* the first round's readings arrive by start-time + delay + jitter, which
 * must fit in gint64 ns */
#define MAX_START_TIME (G_MAXINT64 - 2 * (gint64) MAX_DELAY)
#define MAX_DROP_PROBABILITY 0.99
/* Readings the element may hold at once (waiting for their arrival time);
 * settings needing more are refused at start. */
#define MAX_IN_FLIGHT (4 * 1024 * 1024)
/* readings per buffer list when not live */
#define REPLAY_LIST_SIZE 64

enum
{
  PROP_0,
  PROP_STATIONS,
  PROP_PERIOD,
  PROP_DELAY,
  PROP_JITTER,
  PROP_DROP_PROBABILITY,
  PROP_DUPLICATE_PROBABILITY,
  PROP_SEED,
  PROP_IS_LIVE,
  PROP_START_TIME,
  PROP_STATS,
};

struct _GstWeatherSrc
{
  GstPushSrc parent;

  /* properties; GST_OBJECT_LOCK */
  guint stations;
  guint64 period;
  guint64 delay;
  guint64 jitter;
  gdouble drop_probability;
  gdouble duplicate_probability;
  guint64 seed;
  gboolean is_live;
  gint64 start_time;

  /* counters; GST_OBJECT_LOCK */
  guint64 generated;
  guint64 dropped;
  guint64 duplicated;
  guint64 pushed;

  /* the clock wait of create(), unscheduled by unlock(); GST_OBJECT_LOCK */
  GstClockID clock_id;
  gboolean flushing;

  /* streaming thread only (reset in start() and stop(), when no streaming
   * thread runs); the run's settings are copied from the properties at
   * the first create() */
  gboolean running;
  gboolean run_live;
  gint64 origin;
  gint64 remaining;             /* readings to push before EOS, -1: no end */
  GstWeatherSrcNetwork network;

  /* created in init, immutable */
  GstClock *realtime_clock;
};

#define gst_weather_src_parent_class parent_class
G_DEFINE_TYPE (GstWeatherSrc, gst_weather_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (weathersrc, "weathersrc",
    GST_RANK_NONE, GST_TYPE_WEATHER_SRC,
    GST_DEBUG_CATEGORY_INIT (gst_weather_src_debug, "weathersrc", 0,
        "simulated weather stations"));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

/* ---- GstBaseSrc --------------------------------------------------------- */

static gboolean
gst_weather_src_start (GstBaseSrc * bsrc)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);

  GST_OBJECT_LOCK (self);
  self->generated = self->dropped = self->duplicated = self->pushed = 0;
  self->flushing = FALSE;
  GST_OBJECT_UNLOCK (self);

  self->running = FALSE;
  gst_weather_src_network_stop (&self->network);
  return TRUE;
}

static gboolean
gst_weather_src_stop (GstBaseSrc * bsrc)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);

  self->running = FALSE;
  gst_weather_src_network_stop (&self->network);
  return TRUE;
}

static GstClock *
gst_weather_src_get_clock (GstWeatherSrc * self)
{
  GstClock *clock = gst_element_get_clock (GST_ELEMENT_CAST (self));

  return clock ? clock : gst_object_ref (self->realtime_clock);
}

/* The first create(): fixes the configuration, the origin and the first
 * round, and announces the segment. */
static GstFlowReturn
gst_weather_src_begin (GstWeatherSrc * self)
{
  GstWeatherSrcNetworkConfig cfg;
  GstSegment segment;
  gint64 start_time;
  guint64 in_flight, first_index = 0;

  GST_OBJECT_LOCK (self);
  cfg.stations = self->stations;
  cfg.period = self->period;
  cfg.delay = self->delay;
  cfg.jitter = self->jitter;
  cfg.drop_probability = self->drop_probability;
  cfg.duplicate_probability = self->duplicate_probability;
  cfg.seed = self->seed;
  self->run_live = self->is_live;
  start_time = self->start_time;
  self->remaining = GST_BASE_SRC_CAST (self)->num_buffers;
  GST_OBJECT_UNLOCK (self);

  /* readings of one station in flight at once, times stations, times two
   * when duplicates may be sent */
  in_flight = ((cfg.delay + cfg.jitter) / cfg.period + 2) * cfg.stations *
      (cfg.duplicate_probability > 0 ? 2 : 1);
  if (in_flight > MAX_IN_FLIGHT) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Too many readings in flight: %u stations with delay + jitter "
            "%" GST_TIME_FORMAT " and period %" GST_TIME_FORMAT
            " would hold up to %" G_GUINT64_FORMAT " readings (limit %d).",
            cfg.stations, GST_TIME_ARGS (cfg.delay + cfg.jitter),
            GST_TIME_ARGS (cfg.period), in_flight, MAX_IN_FLIGHT),
        ("lower stations, delay or jitter, or raise period"));
    return GST_FLOW_ERROR;
  }

  if (self->run_live) {
    GstClock *clock = gst_weather_src_get_clock (self);
    GstClockTime now = gst_clock_get_time (clock);
    GstClockTime base = gst_element_get_base_time (GST_ELEMENT_CAST (self));
    GstClockTime running = now > base ? now - base : 0;

    gst_object_unref (clock);
    self->origin = gst_weather_origin_choose (GST_ELEMENT_CAST (self), TRUE,
        GST_WEATHER_TIME_NONE);
    /* now, as an epoch instant */
    if (start_time < 0)
      start_time = gst_weather_epoch_add (self->origin, running);

    /* a reading made before the origin has no running time: start at the
     * first round at or after it */
    if (start_time < self->origin) {
      first_index = ((guint64) (self->origin - start_time) + cfg.period -
          1) / cfg.period;
      GST_INFO_OBJECT (self, "start-time before the base time: skipping %"
          G_GUINT64_FORMAT " rounds", first_index);
    }
  } else {
    if (start_time < 0)
      start_time = GST_WEATHER_REPLAY_START;
    self->origin = gst_weather_origin_choose (GST_ELEMENT_CAST (self), FALSE,
        start_time);
  }
  gst_weather_src_network_start (&self->network, &cfg, start_time, first_index);

  gst_weather_segment_init (&segment, self->origin);
  gst_base_src_new_segment (GST_BASE_SRC_CAST (self), &segment);

  GST_INFO_OBJECT (self, "%s run: origin %" G_GINT64_FORMAT ", first reading %"
      G_GINT64_FORMAT ", %u stations", self->run_live ? "live" : "replay",
      self->origin, start_time, cfg.stations);
  self->running = TRUE;
  return GST_FLOW_OK;
}

/* Waits until the pipeline clock reaches @arrival (epoch ns, which is the
 * running time arrival - origin). */
static GstFlowReturn
gst_weather_src_wait_for (GstWeatherSrc * self, gint64 arrival)
{
  GstClock *clock = gst_weather_src_get_clock (self);
  GstClockTime target;
  GstClockReturn res;
  GstClockID id;
  gboolean flushing;

  GST_OBJECT_LOCK (self);
  if (self->flushing) {
    GST_OBJECT_UNLOCK (self);
    gst_object_unref (clock);
    return GST_FLOW_FLUSHING;
  }
  /* saturates: an arrival near the end of time is never reached */
  target = gst_weather_clock_time_add (GST_ELEMENT_CAST (self)->base_time,
      (GstClockTime) (arrival - self->origin));
  /* already due (a burst of readings arriving together, or a slow
   * downstream): no wait */
  if (gst_clock_get_time (clock) >= target) {
    GST_OBJECT_UNLOCK (self);
    gst_object_unref (clock);
    return GST_FLOW_OK;
  }
  id = gst_clock_new_single_shot_id (clock, target);
  self->clock_id = id;
  GST_OBJECT_UNLOCK (self);

  GST_LOG_OBJECT (self, "waiting for clock time %" GST_TIME_FORMAT,
      GST_TIME_ARGS (target));
  res = gst_clock_id_wait (id, NULL);

  GST_OBJECT_LOCK (self);
  self->clock_id = NULL;
  flushing = self->flushing;
  GST_OBJECT_UNLOCK (self);
  gst_clock_id_unref (id);
  gst_object_unref (clock);

  if (flushing || res == GST_CLOCK_UNSCHEDULED)
    return GST_FLOW_FLUSHING;
  return GST_FLOW_OK;
}

/* The arrival of the next reading; FALSE at the end of the stream.
 * Counts what the rounds made for it did. */
static gboolean
gst_weather_src_next_arrival (GstWeatherSrc * self, gint64 * arrival)
{
  GstWeatherSrcNetworkCounts counts = { 0, };
  gboolean more;

  more = gst_weather_src_network_peek (&self->network, arrival, &counts);
  if (counts.generated > 0) {
    GST_OBJECT_LOCK (self);
    self->generated += counts.generated;
    self->dropped += counts.dropped;
    self->duplicated += counts.duplicated;
    GST_OBJECT_UNLOCK (self);
  }
  if (!more)
    GST_INFO_OBJECT (self, "the next round would arrive after 2^63-1 ns: "
        "end of the stream");
  return more;
}

/* Writes the next reading in arrival order (which
 * gst_weather_src_next_arrival() said is there) into a buffer of @pool (or
 * a new one). */
static GstFlowReturn
gst_weather_src_next_buffer (GstWeatherSrc * self, GstBufferPool * pool,
    GstBuffer ** outbuf)
{
  GstBuffer *buf = NULL;
  GstFlowReturn ret;
  GstMapInfo map;
  GstWeatherReading reading;
  guint64 offset;

  if (pool) {
    ret = gst_buffer_pool_acquire_buffer (pool, &buf, NULL);
    if (ret != GST_FLOW_OK)
      return ret;
  } else {
    buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE, NULL);
  }
  if (!gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
        ("Cannot write a reading into the output buffer."),
        ("the buffer cannot be mapped for writing"));
    return GST_FLOW_ERROR;
  }
  if (map.size < GST_WEATHER_READING_SIZE) {
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
        ("Cannot write a reading into the output buffer."),
        ("%" G_GSIZE_FORMAT " bytes, a reading needs %d", map.size,
            GST_WEATHER_READING_SIZE));
    return GST_FLOW_ERROR;
  }

  gst_weather_src_network_pop (&self->network, &reading);
  gst_weather_reading_write (&reading, map.data);
  gst_buffer_unmap (buf, &map);
  if (map.size != GST_WEATHER_READING_SIZE)
    gst_buffer_set_size (buf, GST_WEATHER_READING_SIZE);

  GST_BUFFER_PTS (buf) = (GstClockTime) (reading.created_at - self->origin);

  GST_OBJECT_LOCK (self);
  offset = self->pushed++;
  GST_OBJECT_UNLOCK (self);
  GST_BUFFER_OFFSET (buf) = offset;
  GST_BUFFER_OFFSET_END (buf) = offset + 1;

  GST_LOG_OBJECT (self, "station %u seq %" G_GUINT64_FORMAT " pts %"
      GST_TIME_FORMAT, reading.station_id, reading.sequence,
      GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
  *outbuf = buf;
  return GST_FLOW_OK;
}

/* Live: one reading when it arrives. Not live: the next readings in
 * arrival order, up to REPLAY_LIST_SIZE, in one buffer list. */
static GstFlowReturn
gst_weather_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (psrc);
  GstBufferPool *pool;
  GstBufferList *list;
  GstBuffer *buf;
  GstFlowReturn ret;
  gint64 arrival;
  guint i, n;

  if (!self->running) {
    ret = gst_weather_src_begin (self);
    if (ret != GST_FLOW_OK)
      return ret;
  }

  pool = gst_base_src_get_buffer_pool (GST_BASE_SRC_CAST (self));

  if (self->run_live) {
    if (!gst_weather_src_next_arrival (self, &arrival)) {
      ret = GST_FLOW_EOS;
      goto done;
    }
    ret = gst_weather_src_wait_for (self, arrival);
    if (ret == GST_FLOW_OK)
      ret = gst_weather_src_next_buffer (self, pool, outbuf);
    goto done;
  }

  n = REPLAY_LIST_SIZE;
  if (self->remaining >= 0)
    n = MIN (n, self->remaining);
  if (n == 0) {
    ret = GST_FLOW_EOS;
    goto done;
  }
  list = gst_buffer_list_new_sized (n);
  ret = GST_FLOW_OK;
  for (i = 0; i < n; i++) {
    if (!gst_weather_src_next_arrival (self, &arrival)) {
      ret = GST_FLOW_EOS;
      break;
    }
    ret = gst_weather_src_next_buffer (self, pool, &buf);
    if (ret != GST_FLOW_OK)
      break;
    gst_buffer_list_add (list, buf);
  }
  if (self->remaining >= 0)
    self->remaining -= i;
  if (i == 0) {
    gst_buffer_list_unref (list);
    goto done;
  }
  gst_base_src_submit_buffer_list (GST_BASE_SRC_CAST (self), list);
  *outbuf = NULL;
  /* an error or the end after a few readings is returned by the next
   * create() */
  ret = GST_FLOW_OK;

done:
  if (pool)
    gst_object_unref (pool);
  return ret;
}

/* Readings come from a buffer pool: downstream's if it proposes one,
 * otherwise one of our own (gstweatherpool.c), so that a buffer freed
 * in another thread is used again instead of going back to the
 * allocator. */
static gboolean
gst_weather_src_decide_allocation (GstBaseSrc * bsrc, GstQuery * query)
{
  if (gst_query_get_n_allocation_pools (query) == 0) {
    GstBufferPool *pool = gst_weather_pool_new ();

    gst_query_add_allocation_pool (query, pool, GST_WEATHER_READING_SIZE, 0, 0);
    gst_object_unref (pool);
  }
  return GST_BASE_SRC_CLASS (parent_class)->decide_allocation (bsrc, query);
}

static gboolean
gst_weather_src_unlock (GstBaseSrc * bsrc)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);

  GST_OBJECT_LOCK (self);
  self->flushing = TRUE;
  if (self->clock_id)
    gst_clock_id_unschedule (self->clock_id);
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static gboolean
gst_weather_src_unlock_stop (GstBaseSrc * bsrc)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);

  GST_OBJECT_LOCK (self);
  self->flushing = FALSE;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstCaps *
gst_weather_src_get_caps (GstBaseSrc * bsrc, GstCaps * filter)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);
  GstCaps *caps;
  guint64 period;

  GST_OBJECT_LOCK (self);
  period = self->period;
  GST_OBJECT_UNLOCK (self);

  caps = gst_caps_from_string (GST_WEATHER_READING_CAPS);
  gst_caps_set_simple (caps, "period", G_TYPE_UINT64, period, NULL);
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, caps,
        GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (caps);
    caps = tmp;
  }
  return caps;
}

static gboolean
gst_weather_src_query (GstBaseSrc * bsrc, GstQuery * query)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (bsrc);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live;
    GstClockTime min;

    GST_OBJECT_LOCK (self);
    live = self->is_live;
    min = self->delay + self->jitter;
    GST_OBJECT_UNLOCK (self);

    /* A reading made at running time T leaves at T + delay + up to jitter:
     * that is the lateness this source adds. It can hold readings for as
     * long as downstream wants, hence no maximum. */
    if (live)
      gst_query_set_latency (query, TRUE, min, GST_CLOCK_TIME_NONE);
    else
      gst_query_set_latency (query, FALSE, 0, GST_CLOCK_TIME_NONE);
    GST_DEBUG_OBJECT (self, "latency: live %d, min %" GST_TIME_FORMAT, live,
        GST_TIME_ARGS (live ? min : 0));
    return TRUE;
  }

  return GST_BASE_SRC_CLASS (parent_class)->query (bsrc, query);
}

static GstClock *
gst_weather_src_provide_clock (GstElement * element)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (element);

  return gst_object_ref (self->realtime_clock);
}

/* ---- GObject ------------------------------------------------------------ */

static GstStructure *
gst_weather_src_get_stats (GstWeatherSrc * self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("application/x-weathersrc-stats",
      "generated", G_TYPE_UINT64, self->generated,
      "dropped", G_TYPE_UINT64, self->dropped,
      "duplicated", G_TYPE_UINT64, self->duplicated,
      "pushed", G_TYPE_UINT64, self->pushed, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
gst_weather_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (object);
  gboolean is_live;

  switch (prop_id) {
    case PROP_IS_LIVE:
      is_live = g_value_get_boolean (value);
      GST_OBJECT_LOCK (self);
      self->is_live = is_live;
      if (is_live)
        GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_PROVIDE_CLOCK);
      else
        GST_OBJECT_FLAG_UNSET (self, GST_ELEMENT_FLAG_PROVIDE_CLOCK);
      GST_OBJECT_UNLOCK (self);
      gst_base_src_set_live (GST_BASE_SRC (self), is_live);
      return;
    default:
      break;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STATIONS:
      self->stations = g_value_get_uint (value);
      break;
    case PROP_PERIOD:
      self->period = g_value_get_uint64 (value);
      break;
    case PROP_DELAY:
      self->delay = g_value_get_uint64 (value);
      break;
    case PROP_JITTER:
      self->jitter = g_value_get_uint64 (value);
      break;
    case PROP_DROP_PROBABILITY:
      self->drop_probability = g_value_get_double (value);
      break;
    case PROP_DUPLICATE_PROBABILITY:
      self->duplicate_probability = g_value_get_double (value);
      break;
    case PROP_SEED:
      self->seed = g_value_get_uint64 (value);
      break;
    case PROP_START_TIME:
      self->start_time = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_weather_src_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_weather_src_get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STATIONS:
      g_value_set_uint (value, self->stations);
      break;
    case PROP_PERIOD:
      g_value_set_uint64 (value, self->period);
      break;
    case PROP_DELAY:
      g_value_set_uint64 (value, self->delay);
      break;
    case PROP_JITTER:
      g_value_set_uint64 (value, self->jitter);
      break;
    case PROP_DROP_PROBABILITY:
      g_value_set_double (value, self->drop_probability);
      break;
    case PROP_DUPLICATE_PROBABILITY:
      g_value_set_double (value, self->duplicate_probability);
      break;
    case PROP_SEED:
      g_value_set_uint64 (value, self->seed);
      break;
    case PROP_IS_LIVE:
      g_value_set_boolean (value, self->is_live);
      break;
    case PROP_START_TIME:
      g_value_set_int64 (value, self->start_time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_weather_src_finalize (GObject * object)
{
  GstWeatherSrc *self = GST_WEATHER_SRC (object);

  gst_weather_src_network_free (&self->network);
  gst_object_unref (self->realtime_clock);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_weather_src_class_init (GstWeatherSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  gobject_class->set_property = gst_weather_src_set_property;
  gobject_class->get_property = gst_weather_src_get_property;
  gobject_class->finalize = gst_weather_src_finalize;

  /**
   * GstWeatherSrc:stations:
   *
   * Number of simulated stations; station i has station_id i and the name
   * "sim-i". Default 10, 1 to 1000000.
   */
  g_object_class_install_property (gobject_class, PROP_STATIONS,
      g_param_spec_uint ("stations", "Stations",
          "Number of simulated stations (ids 0..stations-1, names sim-<id>)",
          1, MAX_STATIONS, DEFAULT_STATIONS, flags));

  /**
   * GstWeatherSrc:period:
   *
   * Nanoseconds between two readings of one station; every station
   * measures at start-time + k * period. Default 1 s, 1 ms to 24 h.
   * Announced in the caps as `period`.
   */
  g_object_class_install_property (gobject_class, PROP_PERIOD,
      g_param_spec_uint64 ("period", "Period",
          "Nanoseconds between two readings of one station (1 ms to 24 h)",
          MIN_PERIOD, MAX_PERIOD, DEFAULT_PERIOD, flags));

  /**
   * GstWeatherSrc:delay:
   *
   * Nanoseconds every reading spends in the simulated network before it
   * arrives (the fixed part of the delivery delay). Default 0, at most 1 h.
   */
  g_object_class_install_property (gobject_class, PROP_DELAY,
      g_param_spec_uint64 ("delay", "Delay",
          "Fixed delivery delay of every reading, in nanoseconds (0 to 1 h)",
          0, MAX_DELAY, DEFAULT_DELAY, flags));

  /**
   * GstWeatherSrc:jitter:
   *
   * Largest random extra delivery delay, in nanoseconds: each reading
   * (and each duplicate) arrives delay + a uniform 0..jitter ns after it
   * was made, so readings overtake each other when jitter exceeds the
   * period. Default 0, at most 1 h.
   */
  g_object_class_install_property (gobject_class, PROP_JITTER,
      g_param_spec_uint64 ("jitter", "Jitter",
          "Random extra delivery delay, uniform in 0..jitter nanoseconds "
          "(0 to 1 h)", 0, MAX_DELAY, DEFAULT_JITTER, flags));

  /**
   * GstWeatherSrc:drop-probability:
   *
   * Probability that a reading is lost on its way (its sequence number is
   * then missing from the stream). Default 0, 0 to 0.99.
   */
  g_object_class_install_property (gobject_class, PROP_DROP_PROBABILITY,
      g_param_spec_double ("drop-probability", "Drop probability",
          "Probability that a reading is lost in the network (0 to 0.99)",
          0.0, MAX_DROP_PROBABILITY, DEFAULT_DROP_PROBABILITY, flags));

  /**
   * GstWeatherSrc:duplicate-probability:
   *
   * Probability that a delivered reading arrives twice; the copy has the
   * same content and sequence but its own delivery delay (and so its own
   * received_at). Default 0, 0 to 1.
   */
  g_object_class_install_property (gobject_class, PROP_DUPLICATE_PROBABILITY,
      g_param_spec_double ("duplicate-probability", "Duplicate probability",
          "Probability that a reading arrives a second time, with its own "
          "delay (0 to 1)", 0.0, 1.0, DEFAULT_DUPLICATE_PROBABILITY, flags));

  /**
   * GstWeatherSrc:seed:
   *
   * Seed of the simulation: the same seed and properties give the same
   * bytes, run after run, live or not. Default 0.
   */
  g_object_class_install_property (gobject_class, PROP_SEED,
      g_param_spec_uint64 ("seed", "Seed",
          "Seed of the simulated weather and network (same seed, same stream)",
          0, G_MAXUINT64, DEFAULT_SEED, flags));

  /**
   * GstWeatherSrc:is-live:
   *
   * Live: push each reading when the pipeline clock reaches its arrival
   * instant, with the realtime system clock provided as pipeline clock.
   * Not live (default): push the same readings as fast as possible.
   */
  g_object_class_install_property (gobject_class, PROP_IS_LIVE,
      g_param_spec_boolean ("is-live", "Is live",
          "Push readings at their arrival time on the (realtime) clock",
          DEFAULT_IS_LIVE, flags));

  /**
   * GstWeatherSrc:start-time:
   *
   * created_at of the first readings, in ns since the UNIX epoch. -1
   * (default): the clock's time at the first reading when live,
   * 2024-01-01T00:00:00Z (GST_WEATHER_REPLAY_START) otherwise. When live,
   * readings made before the base time are skipped. At most 2⁶³−1 ns
   * minus 2 hours, so that the first round arrives (after delay + jitter)
   * within the time a gint64 holds; the stream ends (EOS) before the first
   * round that would arrive after 2⁶³−1 ns.
   */
  g_object_class_install_property (gobject_class, PROP_START_TIME,
      g_param_spec_int64 ("start-time", "Start time",
          "Epoch ns of the first readings (-1 = now when live, "
          "2024-01-01T00:00:00Z otherwise)", -1, MAX_START_TIME,
          DEFAULT_START_TIME, flags));

  /**
   * GstWeatherSrc:stats:
   *
   * Counters since the last start, as an `application/x-weathersrc-stats` structure:
   * generated (guint64: readings made, stations times ticks), dropped
   * (lost in the network), duplicated (extra copies sent), pushed (buffers
   * pushed; generated - dropped + duplicated minus those still in flight).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: generated, dropped, duplicated, pushed",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Simulated weather stations", "Source/Sensor",
      "Readings of simulated weather stations, delayed, dropped, duplicated "
      "and reordered like a real network", GST_WEATHER_AUTHOR);

  element_class->provide_clock =
      GST_DEBUG_FUNCPTR (gst_weather_src_provide_clock);

  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_weather_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_weather_src_stop);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_weather_src_unlock);
  basesrc_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_weather_src_unlock_stop);
  basesrc_class->get_caps = GST_DEBUG_FUNCPTR (gst_weather_src_get_caps);
  basesrc_class->query = GST_DEBUG_FUNCPTR (gst_weather_src_query);
  basesrc_class->decide_allocation =
      GST_DEBUG_FUNCPTR (gst_weather_src_decide_allocation);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_weather_src_create);
}

static void
gst_weather_src_init (GstWeatherSrc * self)
{
  self->stations = DEFAULT_STATIONS;
  self->period = DEFAULT_PERIOD;
  self->delay = DEFAULT_DELAY;
  self->jitter = DEFAULT_JITTER;
  self->drop_probability = DEFAULT_DROP_PROBABILITY;
  self->duplicate_probability = DEFAULT_DUPLICATE_PROBABILITY;
  self->seed = DEFAULT_SEED;
  self->is_live = DEFAULT_IS_LIVE;
  self->start_time = DEFAULT_START_TIME;

  gst_weather_src_network_init (&self->network);
  self->realtime_clock = g_object_new (GST_TYPE_SYSTEM_CLOCK,
      "name", "weathersrc-realtime-clock", "clock-type",
      GST_CLOCK_TYPE_REALTIME, NULL);
  gst_object_ref_sink (self->realtime_clock);

  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  gst_base_src_set_blocksize (GST_BASE_SRC (self), GST_WEATHER_READING_SIZE);
  gst_base_src_set_live (GST_BASE_SRC (self), DEFAULT_IS_LIVE);
}
