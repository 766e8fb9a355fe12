/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-demux
 * @title: demux
 *
 * Splits a stream of readings by station: one sometimes pad `src_%u` per
 * station id, created when the station first appears (or up front for the
 * ids in #GstWeatherDemux:stations) and announced with `pad-added`. Each
 * pad gets its own stream-start (stream id "station/N", one group id for
 * all), the sink caps plus `station-id` and `station-name`, and the sink
 * segment; EOS, flushes, GAP events and other sticky events go to every
 * pad, except a GAP whose structure names a `station-id`, which goes to
 * that station's pad only, and so does a custom downstream event that
 * names one (a region event, gst_weather_region_event_new()), which
 * makes the station's pad when it has none yet. Flow returns are combined
 * like any demuxer: an unlinked station does not stop the others. Each branch needs a thread
 * boundary (queue or reorderqueue).
 *
 * Readings of other stations show that event time has moved on: when a
 * station has been silent for longer than #GstWeatherDemux:idle-timeout of
 * event time, a GAP event on its pad says so, so nothing downstream waits
 * forever for a dead station.
 *
 * Invalid buffers (wrong size, values out of range) are dropped, counted in
 * #GstWeatherDemux:stats and logged at WARNING level.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 weathersrc stations=2 num-buffers=20 ! demux name=d \
 *     d.src_0 ! queue ! fakesink  d.src_1 ! queue ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/base/gstflowcombiner.h>
#include <gst/weather/weather.h>

#include "gstweatherdemux.h"
#include "gstweatherfuture.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_demux_debug);
#define GST_CAT_DEFAULT gst_weather_demux_debug

#define DEFAULT_UNKNOWN_STATIONS GST_WEATHER_DEMUX_UNKNOWN_CREATE
#define DEFAULT_IDLE_TIMEOUT GST_WEATHER_DEMUX_DEFAULT_IDLE_TIMEOUT
#define DEFAULT_MAX_FUTURE GST_WEATHER_FUTURE_DEFAULT_MAX

enum
{
  PROP_0,
  PROP_STATIONS,
  PROP_UNKNOWN_STATIONS,
  PROP_IDLE_TIMEOUT,
  PROP_MAX_FUTURE,
  PROP_STATS,
};

typedef struct
{
  GstPad *pad;
  guint32 id;
  gchar *name;
  /* event time up to which the pad has data or a GAP, or NONE */
  GstClockTime covered;
  guint64 routed;
  GstFlowReturn last_flow;      /* of the last push on this pad */
} DemuxStream;

struct _GstWeatherDemux
{
  GstElement parent;

  GstPad *sinkpad;

  /* properties: GST_OBJECT_LOCK */
  GArray *stations;             /* guint32, the ids asked for */
  gboolean stations_changed;
  GstWeatherDemuxUnknownStations unknown_stations;
  guint64 idle_timeout;
  guint64 max_future;

  /* streaming state: the sink pad's STREAM_LOCK; the table is also read by
   * the stats getter, so insertions and the counters are under
   * GST_OBJECT_LOCK as well */
  GHashTable *streams;          /* guint32 id -> DemuxStream */
  GstFlowCombiner *flowcombiner;
  /* what the combiner said last: unchanged while no pad's flow changes, so
   * the combiner (which looks at every pad when a pad is not linked) is
   * asked only on changes */
  GstFlowReturn combined;
  guint group_id;
  GstCaps *sink_caps;
  GstSegment segment;
  gboolean have_segment;
  /* a non-TIME segment was refused and said so: the pad sends it again
   * before every buffer, the error is posted once */
  gboolean segment_refused;
  GstClockTime watermark;       /* newest PTS seen on any station */
  gboolean live_known;          /* upstream asked whether it is live */
  gboolean live;
  /* not live: readings too far ahead of the watermark, waiting for a
   * confirmation that the stream jumped */
  GstWeatherFuture future;
  GstClockTime next_idle_check;
  /* stats: GST_OBJECT_LOCK */
  guint64 routed;
  guint64 dropped_unknown;
  guint64 dropped_invalid;
  guint64 dropped_future;
  guint64 gaps;
  guint pads_created;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src_%u",
    GST_PAD_SRC, GST_PAD_SOMETIMES,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

#define gst_weather_demux_parent_class parent_class
G_DEFINE_TYPE (GstWeatherDemux, gst_weather_demux, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (demux, "demux", GST_RANK_NONE,
    GST_TYPE_WEATHER_DEMUX,
    GST_DEBUG_CATEGORY_INIT (gst_weather_demux_debug, "demux", 0,
        "weather readings split by station"));

static void gst_weather_demux_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_weather_demux_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_weather_demux_finalize (GObject * object);
static GstStateChangeReturn gst_weather_demux_change_state (GstElement *
    element, GstStateChange transition);
static GstFlowReturn gst_weather_demux_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static gboolean gst_weather_demux_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

static void
demux_stream_free (DemuxStream * stream)
{
  gst_object_unref (stream->pad);
  g_free (stream->name);
  g_free (stream);
}

static void
gst_weather_demux_class_init (GstWeatherDemuxClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_weather_demux_set_property;
  gobject_class->get_property = gst_weather_demux_get_property;
  gobject_class->finalize = gst_weather_demux_finalize;

  /**
   * GstWeatherDemux:stations:
   *
   * Station ids whose pads exist from the start (created in READY to
   * PAUSED, or at the next reading when set later); empty by default.
   * With #GstWeatherDemux:unknown-stations=drop it is the whole set.
   * gst-launch syntax: `stations="<1,2,3>"`.
   */
  g_object_class_install_property (gobject_class, PROP_STATIONS,
      gst_param_spec_array ("stations", "Stations",
          "Station ids whose pads are created up front",
          g_param_spec_uint ("station", "Station", "A station id",
              0, G_MAXUINT32, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS),
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstWeatherDemux:unknown-stations:
   *
   * What to do with a reading of a station not in
   * #GstWeatherDemux:stations: `create` a pad for it (default) or `drop`
   * it and count it as `dropped-unknown`.
   */
  g_object_class_install_property (gobject_class, PROP_UNKNOWN_STATIONS,
      g_param_spec_enum ("unknown-stations", "Unknown stations",
          "What to do with readings of stations not in the list",
          GST_TYPE_WEATHER_DEMUX_UNKNOWN_STATIONS, DEFAULT_UNKNOWN_STATIONS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstWeatherDemux:idle-timeout:
   *
   * Event time in ns a station may stay silent while others move on
   * before its pad gets a GAP event up to (newest PTS - idle-timeout).
   * 0 disables idle GAPs. Default 5 s; choose more than a station's
   * period plus the delivery jitter. Up to 2⁶³−1 (then no PTS is ever
   * that far ahead: no idle GAP).
   */
  g_object_class_install_property (gobject_class, PROP_IDLE_TIMEOUT,
      g_param_spec_uint64 ("idle-timeout", "Idle timeout",
          "Event time a station may be silent before a GAP, 0 = never (ns)",
          0, G_MAXINT64, DEFAULT_IDLE_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstWeatherDemux:max-future:
   *
   * How far ahead of the stream a reading may be, in ns (0 = no bound, up
   * to 2⁶³−1; default 1 hour). Live: ahead of the pipeline clock. Not
   * live: ahead of the newest PTS routed; 10 such readings in a row are a
   * jump of the whole stream and are routed. A reading beyond it is
   * dropped, counted as `dropped-future`, and never moves the watermark
   * the idle GAPs are made from. See docs/lateness.md.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FUTURE,
      g_param_spec_uint64 ("max-future", "Max future",
          "How far ahead of the clock (live) or of the newest reading (not "
          "live) a reading may be, 0 = no bound (ns)", 0,
          GST_WEATHER_CLOCK_TIME_MAX, DEFAULT_MAX_FUTURE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstWeatherDemux:stats:
   *
   * Counters: routed, dropped-unknown, dropped-invalid, dropped-future,
   * gaps (guint64),
   * pads-created (guint), and `stations`, an array of structures
   * `station, id=(uint), name=(string), routed=(guint64)`.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters of the demuxer",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Weather station demuxer", "Demuxer",
      "Splits readings into one stream per station", GST_WEATHER_AUTHOR);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_weather_demux_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_DEMUX_UNKNOWN_STATIONS, 0);
}

static void
gst_weather_demux_init (GstWeatherDemux * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_demux_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_demux_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->stations = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->unknown_stations = DEFAULT_UNKNOWN_STATIONS;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  self->max_future = DEFAULT_MAX_FUTURE;
  gst_weather_future_init (&self->future);
  self->streams = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) demux_stream_free);
  self->flowcombiner = gst_flow_combiner_new ();
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  self->watermark = GST_CLOCK_TIME_NONE;
  self->next_idle_check = GST_CLOCK_TIME_NONE;
}

static void
gst_weather_demux_finalize (GObject * object)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (object);

  g_array_unref (self->stations);
  g_hash_table_destroy (self->streams);
  gst_flow_combiner_free (self->flowcombiner);
  gst_clear_caps (&self->sink_caps);
  gst_weather_future_free (&self->future);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static GstStructure *
gst_weather_demux_get_stats_locked (GstWeatherDemux * self)
{
  GstStructure *s;
  GValue array = G_VALUE_INIT;
  GHashTableIter it;
  gpointer value;

  s = gst_structure_new ("application/x-demux-stats",
      "routed", G_TYPE_UINT64, self->routed,
      "dropped-unknown", G_TYPE_UINT64, self->dropped_unknown,
      "dropped-invalid", G_TYPE_UINT64, self->dropped_invalid,
      "dropped-future", G_TYPE_UINT64, self->dropped_future,
      "gaps", G_TYPE_UINT64, self->gaps,
      "pads-created", G_TYPE_UINT, self->pads_created, NULL);

  gst_value_array_init (&array, g_hash_table_size (self->streams));
  g_hash_table_iter_init (&it, self->streams);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    DemuxStream *stream = value;
    GValue v = G_VALUE_INIT;

    g_value_init (&v, GST_TYPE_STRUCTURE);
    g_value_take_boxed (&v, gst_structure_new ("station",
            "id", G_TYPE_UINT, stream->id,
            "name", G_TYPE_STRING, stream->name ? stream->name : "",
            "routed", G_TYPE_UINT64, stream->routed, NULL));
    gst_value_array_append_and_take_value (&array, &v);
  }
  gst_structure_take_value (s, "stations", &array);
  return s;
}

static void
gst_weather_demux_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STATIONS:{
      guint i, n = gst_value_array_get_size (value);

      g_array_set_size (self->stations, 0);
      for (i = 0; i < n; i++) {
        guint32 id = g_value_get_uint (gst_value_array_get_value (value, i));

        g_array_append_val (self->stations, id);
      }
      self->stations_changed = TRUE;
      break;
    }
    case PROP_UNKNOWN_STATIONS:
      self->unknown_stations = g_value_get_enum (value);
      break;
    case PROP_IDLE_TIMEOUT:
      self->idle_timeout = g_value_get_uint64 (value);
      break;
    case PROP_MAX_FUTURE:
      self->max_future = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_weather_demux_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_STATIONS:{
      guint i;

      for (i = 0; i < self->stations->len; i++) {
        GValue v = G_VALUE_INIT;

        g_value_init (&v, G_TYPE_UINT);
        g_value_set_uint (&v, g_array_index (self->stations, guint32, i));
        gst_value_array_append_and_take_value (value, &v);
      }
      break;
    }
    case PROP_UNKNOWN_STATIONS:
      g_value_set_enum (value, self->unknown_stations);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint64 (value, self->idle_timeout);
      break;
    case PROP_MAX_FUTURE:
      g_value_set_uint64 (value, self->max_future);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, gst_weather_demux_get_stats_locked (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstCaps *
gst_weather_demux_stream_caps (GstWeatherDemux * self, DemuxStream * stream)
{
  GstCaps *caps;

  if (self->sink_caps)
    caps = gst_caps_copy (self->sink_caps);
  else
    caps = gst_caps_from_string (GST_WEATHER_READING_CAPS);
  gst_caps_set_simple (caps, "station-id", G_TYPE_UINT, stream->id,
      "station-name", G_TYPE_STRING, stream->name ? stream->name : "", NULL);
  return caps;
}

static GstEvent *
gst_weather_demux_caps_event (GstWeatherDemux * self, DemuxStream * stream)
{
  GstCaps *caps = gst_weather_demux_stream_caps (self, stream);
  GstEvent *event = gst_event_new_caps (caps);

  gst_caps_unref (caps);
  return event;
}

typedef struct
{
  GstWeatherDemux *self;
  DemuxStream *stream;
} CopyStickyData;

/* Gives a new pad the sink pad's sticky events, with its own stream-start
 * and caps. */
static gboolean
copy_sticky_event (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  CopyStickyData *data = user_data;
  GstEventType type = GST_EVENT_TYPE (*event);

  if (type == GST_EVENT_STREAM_START || type == GST_EVENT_CAPS
      || type == GST_EVENT_EOS)
    return TRUE;
  gst_pad_push_event (data->stream->pad, gst_event_ref (*event));
  return TRUE;
}

static DemuxStream *
gst_weather_demux_create_stream (GstWeatherDemux * self, guint32 id,
    const gchar * name)
{
  DemuxStream *stream;
  GstPadTemplate *templ;
  gchar *pad_name, *stream_id;
  GstEvent *event;
  CopyStickyData data;

  templ = gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
      "src_%u");
  pad_name = g_strdup_printf ("src_%u", id);
  stream = g_new0 (DemuxStream, 1);
  stream->id = id;
  stream->name = g_strdup (name);
  stream->covered = GST_CLOCK_TIME_NONE;
  stream->pad = gst_object_ref (gst_pad_new_from_template (templ, pad_name));
  g_free (pad_name);
  gst_pad_use_fixed_caps (stream->pad);
  gst_pad_set_active (stream->pad, TRUE);

  stream_id = gst_pad_create_stream_id_printf (stream->pad,
      GST_ELEMENT (self), "station/%u", id);
  event = gst_event_new_stream_start (stream_id);
  g_free (stream_id);
  gst_event_set_group_id (event, self->group_id);
  gst_pad_store_sticky_event (stream->pad, event);
  gst_event_unref (event);
  if (self->sink_caps) {
    event = gst_weather_demux_caps_event (self, stream);
    gst_pad_store_sticky_event (stream->pad, event);
    gst_event_unref (event);
  }

  GST_OBJECT_LOCK (self);
  g_hash_table_insert (self->streams, GUINT_TO_POINTER (id), stream);
  self->pads_created++;
  GST_OBJECT_UNLOCK (self);

  GST_INFO_OBJECT (self, "new pad for station %u (%s)", id, name);
  gst_element_add_pad (GST_ELEMENT (self), stream->pad);
  gst_flow_combiner_add_pad (self->flowcombiner, stream->pad);
  stream->last_flow = GST_FLOW_OK;
  self->combined = gst_flow_combiner_update_flow (self->flowcombiner,
      GST_FLOW_OK);

  /* segment, tags and the like, in the order the sink pad got them */
  data.self = self;
  data.stream = stream;
  gst_pad_sticky_events_foreach (self->sinkpad, copy_sticky_event, &data);

  return stream;
}

/* Pads for the `stations` ids that have none yet. Streaming thread (or
 * READY to PAUSED, when there is none). */
static void
gst_weather_demux_create_listed_streams (GstWeatherDemux * self)
{
  GArray *ids;
  guint i;

  GST_OBJECT_LOCK (self);
  if (!self->stations_changed) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  self->stations_changed = FALSE;
  ids = g_array_copy (self->stations);
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < ids->len; i++) {
    guint32 id = g_array_index (ids, guint32, i);

    if (!g_hash_table_contains (self->streams, GUINT_TO_POINTER (id)))
      gst_weather_demux_create_stream (self, id, "");
  }
  g_array_unref (ids);
}

static void
gst_weather_demux_remove_streams (GstWeatherDemux * self)
{
  GHashTable *streams;
  GHashTableIter it;
  gpointer value;

  GST_OBJECT_LOCK (self);
  streams = self->streams;
  self->streams = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) demux_stream_free);
  GST_OBJECT_UNLOCK (self);

  g_hash_table_iter_init (&it, streams);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    DemuxStream *stream = value;

    gst_flow_combiner_remove_pad (self->flowcombiner, stream->pad);
    gst_pad_set_active (stream->pad, FALSE);
    gst_element_remove_pad (GST_ELEMENT (self), stream->pad);
  }
  g_hash_table_destroy (streams);
}

static gboolean
gst_weather_demux_push_event_to_all (GstWeatherDemux * self, GstEvent * event)
{
  GHashTableIter it;
  gpointer value;
  gboolean ret = TRUE;

  g_hash_table_iter_init (&it, self->streams);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    DemuxStream *stream = value;

    ret &= gst_pad_push_event (stream->pad, gst_event_ref (event));
  }
  gst_event_unref (event);
  return ret;
}

static void
gst_weather_demux_push_gap (GstWeatherDemux * self, DemuxStream * stream,
    GstClockTime until)
{
  GstClockTime start = GST_CLOCK_TIME_IS_VALID (stream->covered) ?
      stream->covered : self->segment.start;

  if (until <= start)
    return;
  GST_DEBUG_OBJECT (self, "station %u idle: GAP %" GST_TIME_FORMAT " - %"
      GST_TIME_FORMAT, stream->id, GST_TIME_ARGS (start),
      GST_TIME_ARGS (until));
  stream->covered = until;
  gst_pad_push_event (stream->pad, gst_event_new_gap (start, until - start));
  GST_OBJECT_LOCK (self);
  self->gaps++;
  GST_OBJECT_UNLOCK (self);
}

/* Once per idle-timeout / 2 of event time: every station silent for longer
 * than idle-timeout gets a GAP up to (watermark - idle-timeout). */
static void
gst_weather_demux_check_idle (GstWeatherDemux * self, guint64 idle_timeout)
{
  GHashTableIter it;
  gpointer value;
  GstClockTime until;

  if (idle_timeout == 0 || !GST_CLOCK_TIME_IS_VALID (self->watermark) ||
      !self->have_segment)
    return;
  if (GST_CLOCK_TIME_IS_VALID (self->next_idle_check) &&
      self->watermark < self->next_idle_check)
    return;
  self->next_idle_check = gst_weather_clock_time_add (self->watermark,
      MAX (idle_timeout / 2, 1));
  if (self->watermark < idle_timeout)
    return;
  until = self->watermark - idle_timeout;

  g_hash_table_iter_init (&it, self->streams);
  while (g_hash_table_iter_next (&it, NULL, &value)) {
    DemuxStream *stream = value;

    if (!GST_CLOCK_TIME_IS_VALID (stream->covered) || stream->covered < until)
      gst_weather_demux_push_gap (self, stream, until);
  }
}

static gboolean
gst_weather_demux_station_listed (GstWeatherDemux * self, guint32 id)
{
  guint i;

  for (i = 0; i < self->stations->len; i++)
    if (g_array_index (self->stations, guint32, i) == id)
      return TRUE;
  return FALSE;
}

/* Asks upstream once per stream whether it is live. */
static void
gst_weather_demux_ensure_live (GstWeatherDemux * self)
{
  GstQuery *query;

  if (self->live_known)
    return;
  query = gst_query_new_latency ();
  self->live = FALSE;
  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_latency (query, &self->live, NULL, NULL);
  gst_query_unref (query);
  self->live_known = TRUE;
  GST_INFO_OBJECT (self, "upstream is %s", self->live ? "live" : "not live");
}

/* Counts and drops a reading too far ahead of the stream, @ahead ns past
 * the clock (live) or the watermark (not live). */
static void
gst_weather_demux_drop_future (GstWeatherDemux * self, GstBuffer * buffer,
    guint64 ahead)
{
  GstWeatherReading reading;

  if (gst_weather_reading_from_buffer (buffer, &reading, NULL))
    GST_WARNING_OBJECT (self, "station %u: dropping a reading from the "
        "future (created %" G_GINT64_FORMAT " ns, %" GST_TIME_FORMAT " ahead "
        "of the stream)", reading.station_id, reading.created_at,
        GST_TIME_ARGS (ahead));
  GST_OBJECT_LOCK (self);
  self->dropped_future++;
  GST_OBJECT_UNLOCK (self);
  gst_buffer_unref (buffer);
}

static void
gst_weather_demux_refuse_parked (GstWeatherDemux * self, GQueue * refuse)
{
  GstBuffer *buffer;

  while ((buffer = g_queue_pop_head (refuse)))
    gst_weather_demux_drop_future (self, buffer,
        GST_CLOCK_TIME_IS_VALID (self->watermark) &&
        GST_BUFFER_PTS (buffer) > self->watermark ?
        GST_BUFFER_PTS (buffer) - self->watermark : 0);
}

/* The pad of a station seen for the first time, NULL when
 * unknown-stations=drop refuses it. */
static DemuxStream *
gst_weather_demux_new_station (GstWeatherDemux * self, guint32 id,
    const gchar * name)
{
  gboolean drop;

  GST_OBJECT_LOCK (self);
  drop = self->unknown_stations == GST_WEATHER_DEMUX_UNKNOWN_DROP &&
      !gst_weather_demux_station_listed (self, id);
  GST_OBJECT_UNLOCK (self);
  return drop ? NULL : gst_weather_demux_create_stream (self, id, name);
}

/* A serialized custom event about one station (a region event, sent
 * before the station's first reading) goes to that station's pad only,
 * made now if the station is new, so that it reaches the station's
 * branch before its readings; dropped with a station that
 * unknown-stations=drop refuses. */
static gboolean
gst_weather_demux_push_station_event (GstWeatherDemux * self, guint32 id,
    GstEvent * event)
{
  DemuxStream *stream = g_hash_table_lookup (self->streams,
      GUINT_TO_POINTER (id));

  if (!stream)
    stream = gst_weather_demux_new_station (self, id, "");
  if (!stream) {
    GST_LOG_OBJECT (self, "dropping %" GST_PTR_FORMAT " of unknown station "
        "%u", event, id);
    gst_event_unref (event);
    return TRUE;
  }
  return gst_pad_push_event (stream->pad, event);
}

/* Pushes a valid reading whose PTS is set (when it can be) on its
 * station's pad, made when needed. */
static GstFlowReturn
gst_weather_demux_route (GstWeatherDemux * self, GstBuffer * buffer,
    const GstWeatherReading * reading)
{
  DemuxStream *stream;
  GstClockTime pts, end;
  guint64 idle_timeout;
  GstFlowReturn ret;

  stream = g_hash_table_lookup (self->streams,
      GUINT_TO_POINTER (reading->station_id));
  if (!stream) {
    stream = gst_weather_demux_new_station (self, reading->station_id,
        reading->station_name);
    if (!stream) {
      GST_OBJECT_LOCK (self);
      self->dropped_unknown++;
      GST_OBJECT_UNLOCK (self);
      GST_LOG_OBJECT (self, "dropping reading of unknown station %u",
          reading->station_id);
      gst_buffer_unref (buffer);
      return GST_FLOW_OK;
    }
  } else if ((!stream->name || !stream->name[0]) && reading->station_name[0]) {
    /* a listed station: its name is known from its first reading */
    GST_OBJECT_LOCK (self);
    g_free (stream->name);
    stream->name = g_strdup (reading->station_name);
    GST_OBJECT_UNLOCK (self);
    gst_pad_push_event (stream->pad,
        gst_weather_demux_caps_event (self, stream));
  }

  pts = GST_BUFFER_PTS (buffer);
  if (GST_CLOCK_TIME_IS_VALID (pts)) {
    end = gst_weather_clock_time_add (pts,
        GST_BUFFER_DURATION_IS_VALID (buffer) ?
        GST_BUFFER_DURATION (buffer) : 1);
    if (!GST_CLOCK_TIME_IS_VALID (stream->covered) || end > stream->covered)
      stream->covered = end;
    if (!GST_CLOCK_TIME_IS_VALID (self->watermark) || pts > self->watermark)
      self->watermark = pts;
  }

  GST_OBJECT_LOCK (self);
  self->routed++;
  stream->routed++;
  idle_timeout = self->idle_timeout;
  GST_OBJECT_UNLOCK (self);

  ret = gst_pad_push (stream->pad, buffer);
  if (ret != stream->last_flow || ret != GST_FLOW_NOT_LINKED) {
    stream->last_flow = ret;
    self->combined = gst_flow_combiner_update_pad_flow (self->flowcombiner,
        stream->pad, ret);
  }
  ret = self->combined;

  gst_weather_demux_check_idle (self, idle_timeout);
  return ret;
}

static GstFlowReturn
gst_weather_demux_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (parent);
  GstWeatherReading reading;
  GError *error = NULL;
  GstClockTime pts;
  guint64 max_future;

  gst_weather_demux_create_listed_streams (self);

  if (!gst_weather_reading_from_stream_buffer (buffer, &reading, &error)) {
    GST_WARNING_OBJECT (self, "dropping invalid reading: %s", error->message);
    g_clear_error (&error);
    GST_OBJECT_LOCK (self);
    self->dropped_invalid++;
    GST_OBJECT_UNLOCK (self);
    gst_buffer_unref (buffer);
    return GST_FLOW_OK;
  }

  pts = GST_BUFFER_PTS (buffer);
  if (!GST_CLOCK_TIME_IS_VALID (pts)) {
    pts = gst_weather_segment_from_epoch (&self->segment, reading.created_at);
    if (GST_CLOCK_TIME_IS_VALID (pts)) {
      buffer = gst_buffer_make_writable (buffer);
      GST_BUFFER_PTS (buffer) = pts;
    }
  }

  GST_OBJECT_LOCK (self);
  max_future = self->max_future;
  GST_OBJECT_UNLOCK (self);
  if (max_future > 0 && GST_CLOCK_TIME_IS_VALID (pts)) {
    gst_weather_demux_ensure_live (self);
    if (self->live) {
      GstClockTime running = gst_segment_to_running_time (&self->segment,
          GST_FORMAT_TIME, pts);
      GstClockTime now = gst_weather_future_running_now (GST_ELEMENT (self));

      if (gst_weather_future_beyond_clock (running, now, max_future)) {
        gst_weather_demux_drop_future (self, buffer, running - now);
        return GST_FLOW_OK;
      }
    } else {
      GQueue take = G_QUEUE_INIT, refuse = G_QUEUE_INIT;
      GstFlowReturn ret = GST_FLOW_OK;
      GstBuffer *confirmed;
      gboolean mine;

      mine = gst_weather_future_check (&self->future, buffer, pts,
          self->watermark, max_future, &take, &refuse);
      gst_weather_demux_refuse_parked (self, &refuse);
      if (!mine) {
        /* parked, or a confirmed jump: its readings, in order */
        while ((confirmed = g_queue_pop_head (&take))) {
          if (ret == GST_FLOW_OK && gst_weather_reading_from_buffer (confirmed,
                  &reading, NULL))
            ret = gst_weather_demux_route (self, confirmed, &reading);
          else
            gst_buffer_unref (confirmed);
        }
        return ret;
      }
    }
  }

  return gst_weather_demux_route (self, buffer, &reading);
}

static gboolean
gst_weather_demux_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (parent);
  GHashTableIter it;
  gpointer value;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:
      /* every pad has its own stream-start; the group id is ours */
      gst_weather_demux_create_listed_streams (self);
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      gst_caps_replace (&self->sink_caps, caps);
      gst_event_unref (event);
      gst_weather_demux_create_listed_streams (self);
      g_hash_table_iter_init (&it, self->streams);
      while (g_hash_table_iter_next (&it, NULL, &value)) {
        DemuxStream *stream = value;

        gst_pad_push_event (stream->pad,
            gst_weather_demux_caps_event (self, stream));
      }
      return TRUE;
    }
    case GST_EVENT_SEGMENT:{
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      if (segment->format != GST_FORMAT_TIME) {
        /* refused every time the pad sends it again, said once: the push
         * upstream fails and its source stops */
        if (!self->segment_refused)
          GST_ELEMENT_ERROR (self, STREAM, FORMAT,
              ("demux needs a TIME segment"),
              ("received a %s segment: put weatherparse after a byte source",
                  gst_format_get_name (segment->format)));
        self->segment_refused = TRUE;
        gst_event_unref (event);
        return FALSE;
      }
      self->segment = *segment;
      self->have_segment = TRUE;
      gst_weather_demux_create_listed_streams (self);
      return gst_weather_demux_push_event_to_all (self, event);
    }
    case GST_EVENT_GAP:{
      GstClockTime ts, duration, end;
      const GstStructure *st = gst_event_get_structure (event);
      guint station_id;

      gst_event_parse_gap (event, &ts, &duration);
      end = gst_weather_clock_time_add (ts,
          GST_CLOCK_TIME_IS_VALID (duration) ? duration : 0);

      /* a GAP about one station of a mixed stream (reorderqueue sends
       * those for missing readings) goes to that station's pad only */
      if (st && gst_structure_get_uint (st, "station-id", &station_id)) {
        DemuxStream *stream = g_hash_table_lookup (self->streams,
            GUINT_TO_POINTER (station_id));

        if (!stream) {
          GST_DEBUG_OBJECT (self, "GAP for station %u without a pad",
              station_id);
          gst_event_unref (event);
          return TRUE;
        }
        if (!GST_CLOCK_TIME_IS_VALID (stream->covered) || end > stream->covered)
          stream->covered = end;
        return gst_pad_push_event (stream->pad, event);
      }

      /* no station has data before its end */
      g_hash_table_iter_init (&it, self->streams);
      while (g_hash_table_iter_next (&it, NULL, &value)) {
        DemuxStream *stream = value;

        if (!GST_CLOCK_TIME_IS_VALID (stream->covered) || end > stream->covered)
          stream->covered = end;
      }
      return gst_weather_demux_push_event_to_all (self, event);
    }
    case GST_EVENT_EOS:{
      GQueue refuse = G_QUEUE_INIT;

      /* a jump ahead that was not confirmed will not be */
      gst_weather_future_give_up (&self->future, &refuse);
      gst_weather_demux_refuse_parked (self, &refuse);
      gst_weather_demux_create_listed_streams (self);
      if (g_hash_table_size (self->streams) == 0) {
        GST_ELEMENT_ERROR (self, STREAM, DEMUX,
            ("The stream ended before any station appeared"),
            ("no reading and no `stations` listed"));
        gst_event_unref (event);
        return FALSE;
      }
      return gst_weather_demux_push_event_to_all (self, event);
    }
    case GST_EVENT_FLUSH_STOP:
      self->segment_refused = FALSE;
      self->live_known = FALSE;
      gst_weather_future_drop (&self->future);
      gst_flow_combiner_reset (self->flowcombiner);
      self->combined = GST_FLOW_OK;
      self->watermark = GST_CLOCK_TIME_NONE;
      self->next_idle_check = GST_CLOCK_TIME_NONE;
      g_hash_table_iter_init (&it, self->streams);
      while (g_hash_table_iter_next (&it, NULL, &value)) {
        ((DemuxStream *) value)->covered = GST_CLOCK_TIME_NONE;
        ((DemuxStream *) value)->last_flow = GST_FLOW_OK;
      }
      return gst_weather_demux_push_event_to_all (self, event);
    case GST_EVENT_FLUSH_START:
      return gst_weather_demux_push_event_to_all (self, event);
    case GST_EVENT_CUSTOM_DOWNSTREAM:{
      const GstStructure *st = gst_event_get_structure (event);
      guint station_id;

      if (st && gst_structure_get_uint (st, "station-id", &station_id))
        return gst_weather_demux_push_station_event (self, station_id, event);
      break;
    }
    default:
      break;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstStateChangeReturn
gst_weather_demux_change_state (GstElement * element, GstStateChange transition)
{
  GstWeatherDemux *self = GST_WEATHER_DEMUX (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      self->group_id = gst_util_group_id_next ();
      gst_segment_init (&self->segment, GST_FORMAT_TIME);
      self->have_segment = FALSE;
      self->segment_refused = FALSE;
      self->live_known = FALSE;
      gst_weather_future_drop (&self->future);
      self->watermark = GST_CLOCK_TIME_NONE;
      self->next_idle_check = GST_CLOCK_TIME_NONE;
      GST_OBJECT_LOCK (self);
      self->routed = self->dropped_unknown = self->dropped_invalid = 0;
      self->dropped_future = 0;
      self->gaps = 0;
      self->pads_created = 0;
      self->stations_changed = TRUE;
      GST_OBJECT_UNLOCK (self);
      gst_flow_combiner_reset (self->flowcombiner);
      self->combined = GST_FLOW_OK;
      gst_weather_demux_create_listed_streams (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      gst_weather_demux_remove_streams (self);
      gst_flow_combiner_clear (self->flowcombiner);
      gst_clear_caps (&self->sink_caps);
      break;
    default:
      break;
  }
  return ret;
}
