/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-reorderqueue
 * @title: reorderqueue
 *
 * Restores each station's order. Readings are held, sorted by created_at
 * per station, until they are due, then pushed in order, each exactly
 * once:
 *
 * - live pipelines (upstream answers the LATENCY query with live=TRUE): a
 *   reading is due when the pipeline clock reaches its running time plus
 *   the upstream latency plus #GstReorderQueue:latency; one clock wait on
 *   the earliest deadline, in the element's single streaming thread.
 * - non-live pipelines: a reading is due once the event-time watermark has
 *   passed it: the newest PTS seen minus #GstReorderQueue:latency, or the
 *   end of a GAP event received on the sink pad. Nothing waits on a clock.
 *
 * Duplicates (same station and created_at, or same non-zero sequence as a
 * reading held or the last one released) and late readings (older than
 * what was already released or declared missing for the station) are
 * dropped, counted in #GstReorderQueue:stats and logged at WARNING level;
 * with #GstReorderQueue:post-drop-messages an element message
 * `reorderqueue-drop` names each one.
 *
 * When a station's period is known (the `period` caps field or the
 * #GstReorderQueue:period property) and its next reading is not there half
 * a period after it was expected, once that instant is due, a GAP event
 * covering the missing slot goes downstream (one per missing reading), so
 * an aggregator downstream never waits forever. Such a GAP carries the
 * field `station-id` in its structure.
 *
 * Fed a mixed stream, it keeps one order per station and releases in
 * global due order.
 *
 * Everything leaves from the src pad task, in order (serialized events
 * keep their place among the readings): the element is a thread boundary
 * like queue, and blocks its upstream only when max-size-buffers released
 * readings are waiting for a blocked downstream.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 weathersrc stations=3 jitter=100000000 num-buffers=30 ! \
 *     reorderqueue latency=300000000 ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/weather/weather.h>

#include "gstreorderqueue.h"
#include "gstweatherfuture.h"
#include "gstweatherheap.h"

GST_DEBUG_CATEGORY_STATIC (gst_reorder_queue_debug);
#define GST_CAT_DEFAULT gst_reorder_queue_debug

#define DEFAULT_LATENCY GST_REORDER_QUEUE_DEFAULT_LATENCY
#define DEFAULT_MAX_SIZE_BUFFERS 10000
#define DEFAULT_MAX_SIZE_TIME 0
#define DEFAULT_PERIOD 0
#define DEFAULT_POST_DROP_MESSAGES FALSE
#define DEFAULT_MAX_FUTURE GST_WEATHER_FUTURE_DEFAULT_MAX

/* This many late readings of one station in a row, with none accepted in
 * between, mean its clock went back (a reset, a fixed clock): its order
 * starts again instead of dropping everything until time catches up. */
#define RESYNC_LATE_RUN 10

/* Beyond this many of a station's slots due at once (its time jumped far
 * ahead, or the task was held up), one GAP covers them all: a jump of
 * years must not make billions of events. */
#define GAP_MERGE_SLOTS 64

enum
{
  PROP_0,
  PROP_LATENCY,
  PROP_MAX_SIZE_BUFFERS,
  PROP_MAX_SIZE_TIME,
  PROP_PERIOD,
  PROP_POST_DROP_MESSAGES,
  PROP_MAX_FUTURE,
  PROP_STATS,
};

typedef enum
{
  ITEM_GAP = 0,                 /* sorts before a reading of the same time */
  ITEM_READING = 1,
} ItemKind;

typedef struct _Station Station;

/* A held reading, or a GAP event received on the sink pad. Readings are
 * ordered by PTS; a GAP by its end (it promises nothing before it). */
typedef struct
{
  ItemKind kind;
  GstClockTime ts;
  guint32 station_id;
  gint64 created_at;
  guint64 sequence;
  GstBuffer *buffer;
  GstEvent *event;
  Station *station;
  /* arrival number: equal keys (two GAPs ending together) leave in the
   * order they came */
  guint64 order;
} Item;

/* The next reading a station with a known period owes us; its deadline
 * is slot + period / 2 (expect_deadline()), its station the one it is
 * part of (expect_station()). */
typedef struct
{
  GstClockTime slot;
  GstClockTime period;
  /* in GstReorderQueue.expects, GST_WEATHER_HEAP_NONE when not there */
  GstWeatherHeapHandle handle;
} Expect;

/* What reorderqueue keeps per station (a million stations take a million
 * of these): no name, which the readings carry themselves. */
struct _Station
{
  guint32 id;
  gboolean released_any;
  gint64 last_created_at;
  guint64 last_sequence;
  /* readings with a PTS before this are late: released or declared
   * missing already */
  GstClockTime covered_until;
  GstClockTime newest_in;
  guint late_run;               /* late readings in a row */
  /* in GstReorderQueue.expects while expect.handle is set */
  Expect expect;
};

/* Stations live in blocks of STATION_BLOCK that never move, in the order
 * they came; GstReorderQueue.stations maps an id to its place + 1 */
#define STATION_BLOCK 1024

static inline Station *
expect_station (const Expect * expect)
{
  return (Station *) ((guint8 *) expect - G_STRUCT_OFFSET (Station, expect));
}

static inline GstClockTime
expect_deadline (const Expect * expect)
{
  return expect->slot + expect->period / 2;
}

/* Property values, copied out under GST_OBJECT_LOCK before the data lock is
 * taken (the two locks are never nested). */
typedef struct
{
  GstClockTime latency;
  guint max_size_buffers;
  guint64 max_size_time;
  guint64 period;
  gboolean post_drop_messages;
  guint64 max_future;
} Config;

struct _GstReorderQueue
{
  GstElement parent;

  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties: GST_OBJECT_LOCK */
  GstClockTime latency;
  guint max_size_buffers;
  guint64 max_size_time;
  guint64 period;
  gboolean post_drop_messages;
  guint64 max_future;

  /* everything below: lock; cond is signalled when the task must look
   * again, out_cond when the task has taken the output backlog,
   * query_cond when the serialized query is answered or given up */
  GMutex lock;
  GCond cond;
  GCond out_cond;
  GCond query_cond;
  /* released buffers, serialized events and at most one serialized query
   * (not ours: its sender waits for it), in order, for the task */
  GQueue outq;
  GstQuery *query;              /* the serialized query not answered yet */
  gboolean query_result;
  guint outq_buffers;
  /* who sleeps on cond / out_cond: signalling costs a syscall, so only
   * when someone waits */
  gboolean task_waiting;
  gboolean upstream_waiting;
  GstWeatherHeap queue;         /* Item, ordered by compare_items */
  GstClockTime queue_max_ts;    /* largest ts held, NONE when empty */
  guint64 item_order;           /* next Item.order */
  GstWeatherHeap expects;       /* Expect, ordered by deadline */
  GHashTable *stations;         /* guint32 id -> place in station_blocks + 1 */
  GPtrArray *station_blocks;    /* Station[STATION_BLOCK] each */
  guint n_stations;
  /* the held readings (Item) as sets, for the duplicate checks: by
   * (station_id, created_at), and by (station_id, sequence) for a
   * non-zero sequence. One table each for all the stations: with many
   * stations, a table per station touches far more memory. */
  GHashTable *held_created;
  GHashTable *held_sequences;
  guint level;                  /* readings held */
  GstSegment segment;
  guint64 caps_period;
  gboolean live_known;
  gboolean live;
  GstClockTime upstream_latency;
  GstClockID clock_id;          /* the task's current wait, or NULL */
  GstClockTime max_pts;         /* non-live watermark source */
  GstClockTime gap_end;         /* end of the newest GAP received */
  /* non-live: readings too far ahead of max_pts / gap_end, waiting for a
   * confirmation that the stream jumped */
  GstWeatherFuture future;
  gboolean flushing;
  gboolean draining;            /* EOS received: release everything */
  GstFlowReturn srcresult;
  gchar *stream_id;             /* of the last stream-start */

  /* Output side: the src pad task's own (or while the task is stopped):
   * the input caps the pushed caps came from, and whether readings leave
   * as batches (downstream prefers application/x-weather-reading-batch) */
  GstCaps *out_caps_in;
  gboolean out_batched;
  /* a non-TIME segment was refused and said so: the pad sends it again
   * before every buffer (and with EOS, also while stopping), the error is
   * posted once per run, or until a flush */
  gboolean segment_refused;
  /* stats */
  guint64 pushed;
  guint64 reordered;
  guint64 duplicates;
  guint64 late;
  guint64 overflow;
  guint64 gaps;
  guint64 gaps_forwarded;
  guint64 invalid;
  guint64 resyncs;
  guint64 future_refused;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));
static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_READING_CAPS "; "
        GST_WEATHER_READING_BATCH_CAPS));

#define gst_reorder_queue_parent_class parent_class
G_DEFINE_TYPE (GstReorderQueue, gst_reorder_queue, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (reorderqueue, "reorderqueue",
    GST_RANK_NONE, GST_TYPE_REORDER_QUEUE,
    GST_DEBUG_CATEGORY_INIT (gst_reorder_queue_debug, "reorderqueue", 0,
        "per-station reordering by created_at"));

static void gst_reorder_queue_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_reorder_queue_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_reorder_queue_finalize (GObject * object);
static GstStateChangeReturn gst_reorder_queue_change_state (GstElement *
    element, GstStateChange transition);
static gboolean gst_reorder_queue_set_clock (GstElement * element,
    GstClock * clock);
static GstFlowReturn gst_reorder_queue_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn gst_reorder_queue_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static gboolean gst_reorder_queue_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event);
static gboolean gst_reorder_queue_sink_query (GstPad * pad,
    GstObject * parent, GstQuery * query);
static gboolean gst_reorder_queue_src_query (GstPad * pad, GstObject * parent,
    GstQuery * query);
static gboolean gst_reorder_queue_src_activate_mode (GstPad * pad,
    GstObject * parent, GstPadMode mode, gboolean active);
static void gst_reorder_queue_loop (GstReorderQueue * self);

static void
item_free (Item * item)
{
  gst_clear_buffer (&item->buffer);
  gst_clear_event (&item->event);
  g_free (item);
}

static gint
compare_items (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Item *ia = a, *ib = b;

  if (ia->ts != ib->ts)
    return ia->ts < ib->ts ? -1 : 1;
  if (ia->kind != ib->kind)
    return ia->kind < ib->kind ? -1 : 1;
  if (ia->station_id != ib->station_id)
    return ia->station_id < ib->station_id ? -1 : 1;
  if (ia->created_at != ib->created_at)
    return ia->created_at < ib->created_at ? -1 : 1;
  if (ia->order != ib->order)
    return ia->order < ib->order ? -1 : 1;
  return 0;
}

static gint
compare_expects (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Expect *ea = a, *eb = b;

  GstClockTime da = expect_deadline (ea), db = expect_deadline (eb);

  if (da != db)
    return da < db ? -1 : 1;
  if (expect_station (ea)->id != expect_station (eb)->id)
    return expect_station (ea)->id < expect_station (eb)->id ? -1 : 1;
  return 0;
}

static void
expect_moved (gpointer data, GstWeatherHeapHandle handle)
{
  ((Expect *) data)->handle = handle;
}

static Station *
gst_reorder_queue_station_at (GstReorderQueue * self, guint place)
{
  return &((Station *) g_ptr_array_index (self->station_blocks,
          (place - 1) / STATION_BLOCK))[(place - 1) % STATION_BLOCK];
}

/* Forgets every station (nothing held or owed refers to one any more). */
static void
gst_reorder_queue_forget_stations_locked (GstReorderQueue * self)
{
  g_hash_table_remove_all (self->stations);
  g_ptr_array_set_size (self->station_blocks, 0);
  self->n_stations = 0;
}

/* Frees every held item (readings and GAPs). */
static void
gst_reorder_queue_clear_queue_locked (GstReorderQueue * self)
{
  gst_weather_heap_foreach (&self->queue, (GFunc) item_free, NULL);
  gst_weather_heap_clear (&self->queue);
  self->queue_max_ts = GST_CLOCK_TIME_NONE;
}

static void
expect_unqueued (gpointer data, gpointer user_data)
{
  ((Expect *) data)->handle = GST_WEATHER_HEAP_NONE;
}

/* Nothing is owed any more. */
static void
gst_reorder_queue_clear_expects_locked (GstReorderQueue * self)
{
  gst_weather_heap_foreach (&self->expects, expect_unqueued, NULL);
  gst_weather_heap_clear (&self->expects);
}

static void
gst_reorder_queue_hold_locked (GstReorderQueue * self, Item * item)
{
  item->order = self->item_order++;
  gst_weather_heap_push (&self->queue, item);
  if (!GST_CLOCK_TIME_IS_VALID (self->queue_max_ts) ||
      item->ts > self->queue_max_ts)
    self->queue_max_ts = item->ts;
}

/* The station name in the record of a held reading, for a drop message
 * (only then: the station keeps no name of its own). */
static void
item_station_name (const Item * item, gchar name[GST_WEATHER_STATION_NAME_SIZE])
{
  GstWeatherReading reading;
  GstMapInfo map;

  name[0] = '\0';
  if (!gst_buffer_map (item->buffer, &map, GST_MAP_READ))
    return;
  if (map.size >= GST_WEATHER_READING_SIZE) {
    gst_weather_reading_read (&reading, map.data);
    memcpy (name, reading.station_name, GST_WEATHER_STATION_NAME_SIZE);
  }
  gst_buffer_unmap (item->buffer, &map);
}

static guint
item_created_hash (gconstpointer key)
{
  const Item *item = key;

  return g_int64_hash (&item->created_at) * 31 + item->station_id;
}

static gboolean
item_created_equal (gconstpointer a, gconstpointer b)
{
  const Item *ia = a, *ib = b;

  return ia->station_id == ib->station_id && ia->created_at == ib->created_at;
}

static guint
item_sequence_hash (gconstpointer key)
{
  const Item *item = key;

  return g_int64_hash (&item->sequence) * 31 + item->station_id;
}

static gboolean
item_sequence_equal (gconstpointer a, gconstpointer b)
{
  const Item *ia = a, *ib = b;

  return ia->station_id == ib->station_id && ia->sequence == ib->sequence;
}

static void
gst_reorder_queue_class_init (GstReorderQueueClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_reorder_queue_set_property;
  gobject_class->get_property = gst_reorder_queue_get_property;
  gobject_class->finalize = gst_reorder_queue_finalize;

  /**
   * GstReorderQueue:latency:
   *
   * The lateness budget in ns: how long a reading is held, in event time,
   * beyond the upstream latency, to wait for earlier readings of its
   * station. Added to the LATENCY query. 0 releases every reading as soon
   * as it arrives (duplicates and late readings are still dropped); at
   * most 2 hours (GST_WEATHER_MAX_LATENESS), the budget every replay's
   * origin leaves room for (docs/time-model.md). Changing it while
   * PLAYING posts a LATENCY message.
   */
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint64 ("latency", "Latency",
          "Lateness budget: how long readings are held for reordering (ns, "
          "at most 2 h)", 0, GST_WEATHER_MAX_LATENESS, DEFAULT_LATENCY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:max-size-buffers:
   *
   * Most readings held at once (0 = no limit). Beyond it the oldest held
   * reading is released early and counted as `overflow`.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SIZE_BUFFERS,
      g_param_spec_uint ("max-size-buffers", "Max size buffers",
          "Most readings held at once, 0 = unlimited (readings)",
          0, G_MAXUINT, DEFAULT_MAX_SIZE_BUFFERS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:max-size-time:
   *
   * Largest span in ns between the oldest and the newest PTS held (0 = no
   * limit, up to 2⁶³−1, the largest PTS taken). Beyond it the oldest held
   * readings are released early and counted as `overflow`.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SIZE_TIME,
      g_param_spec_uint64 ("max-size-time", "Max size time",
          "Largest span of PTS held, 0 = unlimited (ns)",
          0, GST_WEATHER_CLOCK_TIME_MAX, DEFAULT_MAX_SIZE_TIME,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:period:
   *
   * Nominal interval in ns between two readings of one station. 0 takes
   * it from the `period` caps field; when neither gives one, no GAP is
   * sent for missing readings. Up to 2⁶³−1: a slot whose GAP would end
   * after 2⁶³−1 ns is not expected.
   */
  g_object_class_install_property (gobject_class, PROP_PERIOD,
      g_param_spec_uint64 ("period", "Period",
          "Interval between a station's readings, 0 = from caps (ns)",
          0, G_MAXINT64, DEFAULT_PERIOD,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:post-drop-messages:
   *
   * Post an element message `reorderqueue-drop` (station-id, station-name,
   * created-at, lateness, reason) for every reading dropped as late or
   * duplicate, or released early on overflow.
   */
  g_object_class_install_property (gobject_class, PROP_POST_DROP_MESSAGES,
      g_param_spec_boolean ("post-drop-messages", "Post drop messages",
          "Post an element message for every dropped reading",
          DEFAULT_POST_DROP_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:max-future:
   *
   * How far ahead of the stream a reading may be, in ns (0 = no bound, up
   * to 2⁶³−1; default 1 hour). Live: ahead of the pipeline clock (its
   * running time past the clock's). Not live: ahead of the newest PTS
   * taken (or GAP end); 10 such readings in a row are a jump of the whole
   * stream and are taken. A reading beyond it is refused, counted as
   * `future` and never moves the watermark: one reading dated years ahead
   * would otherwise make every real reading late. See docs/lateness.md.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_FUTURE,
      g_param_spec_uint64 ("max-future", "Max future",
          "How far ahead of the clock (live) or of the newest reading (not "
          "live) a reading may be, 0 = no bound (ns)", 0,
          GST_WEATHER_CLOCK_TIME_MAX, DEFAULT_MAX_FUTURE,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstReorderQueue:stats:
   *
   * Counters: pushed, reordered, duplicates, late, future, overflow, gaps,
   * gaps-forwarded, invalid, resyncs (all guint64), level and stations
   * (guint).
   * See docs/lateness.md.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters of the queue",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Weather reading reorder queue", "Generic",
      "Releases each station's readings in created_at order, once, within "
      "a lateness budget", GST_WEATHER_AUTHOR);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_reorder_queue_change_state);
  element_class->set_clock = GST_DEBUG_FUNCPTR (gst_reorder_queue_set_clock);
}

static void
gst_reorder_queue_init (GstReorderQueue * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_chain));
  gst_pad_set_chain_list_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_chain_list));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_sink_query));
  GST_PAD_SET_PROXY_CAPS (self->sinkpad);
  GST_PAD_SET_PROXY_ALLOCATION (self->sinkpad);
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_set_query_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_src_query));
  gst_pad_set_activatemode_function (self->srcpad,
      GST_DEBUG_FUNCPTR (gst_reorder_queue_src_activate_mode));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  self->latency = DEFAULT_LATENCY;
  self->max_size_buffers = DEFAULT_MAX_SIZE_BUFFERS;
  self->max_size_time = DEFAULT_MAX_SIZE_TIME;
  self->period = DEFAULT_PERIOD;
  self->post_drop_messages = DEFAULT_POST_DROP_MESSAGES;
  self->max_future = DEFAULT_MAX_FUTURE;
  gst_weather_future_init (&self->future);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_cond_init (&self->out_cond);
  g_cond_init (&self->query_cond);
  g_queue_init (&self->outq);
  gst_weather_heap_init (&self->queue, compare_items, NULL);
  self->queue_max_ts = GST_CLOCK_TIME_NONE;
  /* the Expect structs live in their Station */
  gst_weather_heap_init (&self->expects, compare_expects, expect_moved);
  self->stations = g_hash_table_new (NULL, NULL);
  self->station_blocks = g_ptr_array_new_with_free_func (g_free);
  self->held_created = g_hash_table_new (item_created_hash, item_created_equal);
  self->held_sequences = g_hash_table_new (item_sequence_hash,
      item_sequence_equal);
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
  self->max_pts = GST_CLOCK_TIME_NONE;
  self->gap_end = GST_CLOCK_TIME_NONE;
  self->srcresult = GST_FLOW_FLUSHING;
  self->flushing = TRUE;
}

static void
gst_reorder_queue_finalize (GObject * object)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (object);

  g_hash_table_destroy (self->held_created);
  g_hash_table_destroy (self->held_sequences);
  gst_reorder_queue_clear_queue_locked (self);
  gst_weather_heap_free (&self->queue);
  gst_weather_heap_free (&self->expects);
  gst_weather_future_free (&self->future);
  g_hash_table_destroy (self->stations);
  g_ptr_array_free (self->station_blocks, TRUE);
  g_free (self->stream_id);
  gst_clear_caps (&self->out_caps_in);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_cond_clear (&self->out_cond);
  g_cond_clear (&self->query_cond);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_reorder_queue_get_config (GstReorderQueue * self, Config * config)
{
  GST_OBJECT_LOCK (self);
  config->latency = self->latency;
  config->max_size_buffers = self->max_size_buffers;
  config->max_size_time = self->max_size_time;
  config->period = self->period;
  config->post_drop_messages = self->post_drop_messages;
  config->max_future = self->max_future;
  GST_OBJECT_UNLOCK (self);
}

/* Wakes the task so that it recomputes its deadline. */
static void
gst_reorder_queue_wake_locked (GstReorderQueue * self)
{
  if (self->clock_id)
    gst_clock_id_unschedule (self->clock_id);
  if (self->task_waiting)
    g_cond_broadcast (&self->cond);
  if (self->upstream_waiting)
    g_cond_broadcast (&self->out_cond);
}

/* The serialized query is answered (@result), or given up (FALSE): its
 * sender, waiting in the sink query function, gets it back. */
static void
gst_reorder_queue_finish_query_locked (GstReorderQueue * self, gboolean result)
{
  self->query = NULL;
  self->query_result = result;
  g_cond_broadcast (&self->query_cond);
}

/* Takes the serialized query out of @q, given up, when it is there. */
static void
gst_reorder_queue_give_up_query_locked (GstReorderQueue * self, GQueue * q)
{
  if (self->query && g_queue_remove (q, self->query))
    gst_reorder_queue_finish_query_locked (self, FALSE);
}

/* Empties @q: events and buffers unreffed, the query given up. */
static void
gst_reorder_queue_clear_out_locked (GstReorderQueue * self, GQueue * q)
{
  GstMiniObject *obj;

  while ((obj = g_queue_pop_head (q))) {
    if (GST_IS_QUERY (obj))
      gst_reorder_queue_finish_query_locked (self, FALSE);
    else
      gst_mini_object_unref (obj);
  }
}

/* Drops everything held and forgets every station. */
static void
gst_reorder_queue_reset_locked (GstReorderQueue * self)
{
  g_hash_table_remove_all (self->held_created);
  g_hash_table_remove_all (self->held_sequences);
  gst_reorder_queue_clear_queue_locked (self);
  gst_reorder_queue_clear_expects_locked (self);
  gst_weather_future_drop (&self->future);
  gst_reorder_queue_forget_stations_locked (self);
  gst_reorder_queue_clear_out_locked (self, &self->outq);
  self->outq_buffers = 0;
  self->level = 0;
  self->max_pts = GST_CLOCK_TIME_NONE;
  self->gap_end = GST_CLOCK_TIME_NONE;
  self->draining = FALSE;
  g_clear_pointer (&self->stream_id, g_free);
  self->live_known = FALSE;
  self->live = FALSE;
  self->upstream_latency = 0;
  gst_segment_init (&self->segment, GST_FORMAT_TIME);
}

static GstStructure *
gst_reorder_queue_get_stats (GstReorderQueue * self)
{
  GstStructure *s;

  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-reorderqueue-stats",
      "pushed", G_TYPE_UINT64, self->pushed,
      "reordered", G_TYPE_UINT64, self->reordered,
      "duplicates", G_TYPE_UINT64, self->duplicates,
      "late", G_TYPE_UINT64, self->late,
      "future", G_TYPE_UINT64, self->future_refused,
      "overflow", G_TYPE_UINT64, self->overflow,
      "gaps", G_TYPE_UINT64, self->gaps,
      "gaps-forwarded", G_TYPE_UINT64, self->gaps_forwarded,
      "invalid", G_TYPE_UINT64, self->invalid,
      "resyncs", G_TYPE_UINT64, self->resyncs,
      "level", G_TYPE_UINT, self->level +
      gst_weather_future_n_parked (&self->future),
      "stations", G_TYPE_UINT, g_hash_table_size (self->stations), NULL);
  g_mutex_unlock (&self->lock);

  return s;
}

static void
gst_reorder_queue_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (object);
  gboolean latency_changed = FALSE;

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LATENCY:{
      guint64 latency = g_value_get_uint64 (value);

      latency_changed = latency != self->latency;
      self->latency = latency;
      break;
    }
    case PROP_MAX_SIZE_BUFFERS:
      self->max_size_buffers = g_value_get_uint (value);
      break;
    case PROP_MAX_SIZE_TIME:
      self->max_size_time = g_value_get_uint64 (value);
      break;
    case PROP_PERIOD:
      self->period = g_value_get_uint64 (value);
      break;
    case PROP_POST_DROP_MESSAGES:
      self->post_drop_messages = g_value_get_boolean (value);
      break;
    case PROP_MAX_FUTURE:
      self->max_future = g_value_get_uint64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  latency_changed = latency_changed && GST_STATE (self) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK (self);

  /* new limits or a new budget move deadlines: let the task look again */
  g_mutex_lock (&self->lock);
  gst_reorder_queue_wake_locked (self);
  g_mutex_unlock (&self->lock);

  if (latency_changed) {
    GST_DEBUG_OBJECT (self, "latency changed while playing");
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_latency (GST_OBJECT (self)));
  }
}

static void
gst_reorder_queue_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (object);

  if (prop_id == PROP_STATS) {
    /* the counters live under the data lock, not the object lock */
    g_value_take_boxed (value, gst_reorder_queue_get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_LATENCY:
      g_value_set_uint64 (value, self->latency);
      break;
    case PROP_MAX_SIZE_BUFFERS:
      g_value_set_uint (value, self->max_size_buffers);
      break;
    case PROP_MAX_SIZE_TIME:
      g_value_set_uint64 (value, self->max_size_time);
      break;
    case PROP_PERIOD:
      g_value_set_uint64 (value, self->period);
      break;
    case PROP_POST_DROP_MESSAGES:
      g_value_set_boolean (value, self->post_drop_messages);
      break;
    case PROP_MAX_FUTURE:
      g_value_set_uint64 (value, self->max_future);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static GstMessage *
gst_reorder_queue_drop_message (GstReorderQueue * self, guint32 station_id,
    const gchar * station_name, gint64 created_at, guint64 lateness,
    const gchar * reason)
{
  return gst_message_new_element (GST_OBJECT (self),
      gst_structure_new ("reorderqueue-drop",
          "station-id", G_TYPE_UINT, station_id,
          "station-name", G_TYPE_STRING, station_name ? station_name : "",
          "created-at", G_TYPE_INT64, created_at,
          "lateness", G_TYPE_UINT64, lateness,
          "reason", G_TYPE_STRING, reason, NULL));
}

/* The clock time at which event time @ts is due (live mode). */
static GstClockTime
gst_reorder_queue_due_clock_time_locked (GstReorderQueue * self,
    GstClockTime ts, GstClockTime base_time, const Config * config)
{
  GstClockTime running_time;

  running_time = gst_segment_to_running_time (&self->segment, GST_FORMAT_TIME,
      ts);
  if (!GST_CLOCK_TIME_IS_VALID (running_time))
    return 0;
  /* saturates: a deadline past 2^63-1 ns is never reached */
  return gst_weather_clock_time_add (gst_weather_clock_time_add (base_time,
          running_time), gst_weather_clock_time_add (self->upstream_latency,
          config->latency));
}

/* Non-live: the watermark; event time strictly before it is final. */
static GstClockTime
gst_reorder_queue_watermark_locked (GstReorderQueue * self,
    const Config * config)
{
  GstClockTime wm = 0;

  if (GST_CLOCK_TIME_IS_VALID (self->max_pts) &&
      self->max_pts + 1 > config->latency)
    wm = self->max_pts + 1 - config->latency;
  if (GST_CLOCK_TIME_IS_VALID (self->gap_end) && self->gap_end > wm)
    wm = self->gap_end;
  return wm;
}

static gboolean
gst_reorder_queue_is_due_locked (GstReorderQueue * self, GstClockTime ts,
    gboolean inclusive, GstClockTime now, GstClockTime base_time,
    const Config * config)
{
  if (self->live) {
    return GST_CLOCK_TIME_IS_VALID (now) &&
        gst_reorder_queue_due_clock_time_locked (self, ts, base_time,
        config) <= now;
  } else {
    GstClockTime wm = gst_reorder_queue_watermark_locked (self, config);

    return inclusive ? ts <= wm : ts < wm;
  }
}

static gboolean
gst_reorder_queue_over_limits_locked (GstReorderQueue * self,
    const Config * config)
{
  if (config->max_size_buffers > 0 && self->level > config->max_size_buffers)
    return TRUE;
  if (config->max_size_time > 0 && self->level > 1) {
    Item *first = gst_weather_heap_peek (&self->queue);

    /* items leave from the head only: the largest ts stays held until
     * the queue is empty */
    if (self->queue_max_ts - first->ts > config->max_size_time)
      return TRUE;
  }
  return FALSE;
}

static GstClockTime
gst_reorder_queue_period_locked (GstReorderQueue * self, const Config * config)
{
  return config->period > 0 ? config->period : self->caps_period;
}

static void
gst_reorder_queue_arm_expect_locked (GstReorderQueue * self, Station * station,
    GstClockTime slot, GstClockTime period)
{
  Expect *expect = &station->expect;

  /* no slot whose GAP would end after the largest time: the sums stay
   * below 2^63 */
  if (period == 0 || !GST_CLOCK_TIME_IS_VALID (slot) ||
      slot >= GST_WEATHER_CLOCK_TIME_MAX ||
      period > GST_WEATHER_CLOCK_TIME_MAX - slot) {
    if (expect->handle != GST_WEATHER_HEAP_NONE) {
      gst_weather_heap_remove (&self->expects, expect->handle);
      expect->handle = GST_WEATHER_HEAP_NONE;
    }
    return;
  }

  expect->slot = slot;
  expect->period = period;
  if (expect->handle != GST_WEATHER_HEAP_NONE) {
    /* moved in place: no removal and insertion */
    gst_weather_heap_update (&self->expects, expect->handle);
  } else {
    gst_weather_heap_push (&self->expects, expect);
  }
}

/* The station's order starts again: what was released no longer makes a
 * reading late. Held readings stay. */
static void
gst_reorder_queue_forget_station_locked (GstReorderQueue * self,
    Station * station)
{
  station->released_any = FALSE;
  station->covered_until = GST_CLOCK_TIME_NONE;
  station->newest_in = GST_CLOCK_TIME_NONE;
  station->late_run = 0;
  if (station->expect.handle != GST_WEATHER_HEAP_NONE) {
    gst_weather_heap_remove (&self->expects, station->expect.handle);
    station->expect.handle = GST_WEATHER_HEAP_NONE;
  }
}

/* Releases the head of the queue. */
static void
gst_reorder_queue_release_head_locked (GstReorderQueue * self,
    gboolean early, const Config * config, GQueue * out)
{
  Item *item = gst_weather_heap_pop (&self->queue);

  if (item->kind == ITEM_GAP) {
    GST_LOG_OBJECT (self, "forwarding GAP ending at %" GST_TIME_FORMAT,
        GST_TIME_ARGS (item->ts));
    self->gaps_forwarded++;
    g_queue_push_tail (&self->outq, g_steal_pointer (&item->event));
  } else {
    Station *station = item->station;

    station->released_any = TRUE;
    station->last_created_at = item->created_at;
    station->last_sequence = item->sequence;
    if (!GST_CLOCK_TIME_IS_VALID (station->covered_until) ||
        item->ts + 1 > station->covered_until)
      station->covered_until = item->ts + 1;
    if (item->sequence != 0)
      g_hash_table_remove (self->held_sequences, item);
    g_hash_table_remove (self->held_created, item);
    gst_reorder_queue_arm_expect_locked (self, station,
        gst_weather_clock_time_add (item->ts,
            gst_reorder_queue_period_locked (self, config)),
        gst_reorder_queue_period_locked (self, config));
    self->level--;
    self->pushed++;
    if (early) {
      self->overflow++;
      GST_WARNING_OBJECT (self, "queue full: station %u reading at %"
          GST_TIME_FORMAT " released before it was due", item->station_id,
          GST_TIME_ARGS (item->ts));
      if (config->post_drop_messages) {
        gchar name[GST_WEATHER_STATION_NAME_SIZE];

        item_station_name (item, name);
        g_queue_push_tail (out, gst_reorder_queue_drop_message (self,
                item->station_id, name, item->created_at, 0, "overflow"));
      }
    }
    g_queue_push_tail (&self->outq, g_steal_pointer (&item->buffer));
    self->outq_buffers++;
  }
  item_free (item);
  if (gst_weather_heap_length (&self->queue) == 0)
    self->queue_max_ts = GST_CLOCK_TIME_NONE;
}

/* How many slots of @expect, its current one included (which is due),
 * are due now and before @before (the head of the queue, or NONE). */
static guint64
gst_reorder_queue_due_slots_locked (GstReorderQueue * self,
    const Expect * expect, GstClockTime before, GstClockTime now,
    GstClockTime base_time, const Config * config)
{
  GstClockTime first = expect_deadline (expect), period = expect->period;
  GstClockTime horizon;         /* deadlines up to here are due */

  if (self->live) {
    GstClockTime wait = gst_weather_clock_time_add (gst_weather_clock_time_add
        (base_time, self->upstream_latency), config->latency);

    if (!GST_CLOCK_TIME_IS_VALID (now) || now < wait)
      return 1;
    horizon = gst_segment_position_from_running_time (&self->segment,
        GST_FORMAT_TIME, now - wait);
  } else {
    horizon = gst_reorder_queue_watermark_locked (self, config);
    if (horizon == 0)
      return 1;
    horizon--;
  }
  /* the held readings leave first: nothing after the head is declared */
  if (GST_CLOCK_TIME_IS_VALID (before) && before > 0 &&
      (!GST_CLOCK_TIME_IS_VALID (horizon) || before - 1 < horizon))
    horizon = before - 1;
  if (!GST_CLOCK_TIME_IS_VALID (horizon) || horizon <= first)
    return 1;
  return (horizon - first) / period + 1;
}

/* The station owes @slots readings that never came: say so with a GAP,
 * one per slot, or one for all when its time jumped far ahead. */
static void
gst_reorder_queue_fire_expect_locked (GstReorderQueue * self, Expect * expect,
    guint64 slots)
{
  Station *station = expect_station (expect);
  GstClockTime slot = expect->slot, period = expect->period, duration;
  GstEvent *gap;

  /* armed only when slot + period fits: at least one slot does */
  if (slots <= GAP_MERGE_SLOTS)
    slots = 1;
  slots = MIN (slots, (GST_WEATHER_CLOCK_TIME_MAX - slot) / period);
  duration = slots * period;
  GST_DEBUG_OBJECT (self, "station %u: no reading for %" G_GUINT64_FORMAT
      " slot(s) from %" GST_TIME_FORMAT, station->id, slots,
      GST_TIME_ARGS (slot));
  gap = gst_event_new_gap (slot, duration);
  gst_structure_set (gst_event_writable_structure (gap),
      "station-id", G_TYPE_UINT, station->id, NULL);
  g_queue_push_tail (&self->outq, gap);
  self->gaps++;
  if (!GST_CLOCK_TIME_IS_VALID (station->covered_until) ||
      slot + duration > station->covered_until)
    station->covered_until = slot + duration;
  gst_reorder_queue_arm_expect_locked (self, station, slot + duration, period);
}

/* Moves everything that may leave now, in order, to the output queue of
 * the task; drop messages to @out, to be posted after unlocking. In live
 * mode with @now NONE only what the size limits or EOS force out moves. */
static void
gst_reorder_queue_pop_ready_locked (GstReorderQueue * self, GstClockTime now,
    GstClockTime base_time, const Config * config, GQueue * out)
{
  for (;;) {
    Item *head = gst_weather_heap_peek (&self->queue);
    Expect *expect = gst_weather_heap_peek (&self->expects);

    if (expect && !self->draining && (!head ||
            expect_deadline (expect) < head->ts)
        && gst_reorder_queue_is_due_locked (self, expect_deadline (expect),
            FALSE, now, base_time, config)) {
      gst_reorder_queue_fire_expect_locked (self, expect,
          gst_reorder_queue_due_slots_locked (self, expect,
              head ? head->ts : GST_CLOCK_TIME_NONE, now, base_time, config));
      continue;
    }
    if (!head)
      break;

    if (self->draining || gst_reorder_queue_is_due_locked (self, head->ts,
            head->kind == ITEM_GAP, now, base_time, config)) {
      gst_reorder_queue_release_head_locked (self, FALSE, config, out);
    } else if (gst_reorder_queue_over_limits_locked (self, config)) {
      gst_reorder_queue_release_head_locked (self,
          head->kind == ITEM_READING, config, out);
    } else {
      break;
    }
  }

  if (self->draining) {
    /* EOS says the rest; nothing more is owed */
    gst_reorder_queue_clear_expects_locked (self);
  }
}

static void
gst_reorder_queue_post_messages (GstReorderQueue * self, GQueue * messages)
{
  GstMessage *msg;

  while ((msg = g_queue_pop_head (messages)))
    gst_element_post_message (GST_ELEMENT (self), msg);
}

static Station *
gst_reorder_queue_get_station_locked (GstReorderQueue * self,
    const GstWeatherReading * reading)
{
  guint place = GPOINTER_TO_UINT (g_hash_table_lookup (self->stations,
          GUINT_TO_POINTER (reading->station_id)));
  Station *station;

  if (place == 0) {
    place = ++self->n_stations;
    if ((place - 1) / STATION_BLOCK >= self->station_blocks->len)
      g_ptr_array_add (self->station_blocks, g_new (Station, STATION_BLOCK));
    g_hash_table_insert (self->stations,
        GUINT_TO_POINTER (reading->station_id), GUINT_TO_POINTER (place));
    station = gst_reorder_queue_station_at (self, place);
    memset (station, 0, sizeof (*station));
    station->id = reading->station_id;
    station->covered_until = GST_CLOCK_TIME_NONE;
    station->newest_in = GST_CLOCK_TIME_NONE;
    station->expect.handle = GST_WEATHER_HEAP_NONE;
    return station;
  }
  return gst_reorder_queue_station_at (self, place);
}

/* Asks upstream once per stream whether it is live, and its latency. */
static void
gst_reorder_queue_ensure_live (GstReorderQueue * self)
{
  GstQuery *query;
  gboolean live = FALSE;
  GstClockTime min_latency = 0;

  g_mutex_lock (&self->lock);
  if (self->live_known) {
    g_mutex_unlock (&self->lock);
    return;
  }
  g_mutex_unlock (&self->lock);

  query = gst_query_new_latency ();
  if (gst_pad_peer_query (self->sinkpad, query))
    gst_query_parse_latency (query, &live, &min_latency, NULL);
  gst_query_unref (query);
  if (!GST_CLOCK_TIME_IS_VALID (min_latency))
    min_latency = 0;

  g_mutex_lock (&self->lock);
  self->live_known = TRUE;
  self->live = live;
  self->upstream_latency = live ? min_latency : 0;
  g_mutex_unlock (&self->lock);

  GST_INFO_OBJECT (self, "upstream is %s, latency %" GST_TIME_FORMAT,
      live ? "live" : "not live", GST_TIME_ARGS (min_latency));
}

/* Counts and drops a reading that cannot be ordered. Called with the
 * lock. */
static void
gst_reorder_queue_drop_invalid_locked (GstReorderQueue * self,
    GstBuffer * buffer, const gchar * why)
{
  self->invalid++;
  GST_WARNING_OBJECT (self, "dropping invalid reading: %s", why);
  gst_buffer_unref (buffer);
}

/* The PTS of @buffer, whose reading is @reading: its own, or from
 * created_at and the segment; NONE when it has neither. */
static GstClockTime
gst_reorder_queue_ts_locked (GstReorderQueue * self, GstBuffer * buffer,
    const GstWeatherReading * reading)
{
  if (GST_BUFFER_PTS_IS_VALID (buffer))
    return GST_BUFFER_PTS (buffer);
  return gst_weather_segment_from_epoch (&self->segment, reading->created_at);
}

/* Not live: the newest time the stream has shown, the newest PTS taken or
 * the end of the newest GAP; NONE before either. */
static GstClockTime
gst_reorder_queue_reference_locked (GstReorderQueue * self)
{
  if (!GST_CLOCK_TIME_IS_VALID (self->max_pts))
    return self->gap_end;
  if (!GST_CLOCK_TIME_IS_VALID (self->gap_end))
    return self->max_pts;
  return MAX (self->max_pts, self->gap_end);
}

/* Counts and drops a reading too far ahead of the stream: @ahead ns past
 * the clock (live) or the reference (not live). */
static void
gst_reorder_queue_drop_future_locked (GstReorderQueue * self,
    GstBuffer * buffer, guint64 ahead, const Config * config, GQueue * messages)
{
  GstWeatherReading reading;

  self->future_refused++;
  if (gst_weather_reading_from_buffer (buffer, &reading, NULL)) {
    GST_WARNING_OBJECT (self, "station %u: refusing a reading from the "
        "future (created %" G_GINT64_FORMAT " ns, %" GST_TIME_FORMAT " ahead "
        "of the stream)", reading.station_id, reading.created_at,
        GST_TIME_ARGS (ahead));
    if (config->post_drop_messages) {
      GstMessage *msg = gst_reorder_queue_drop_message (self,
          reading.station_id, reading.station_name, reading.created_at, 0,
          "future");

      gst_structure_set (gst_message_writable_structure (msg), "ahead",
          G_TYPE_UINT64, ahead, NULL);
      g_queue_push_tail (messages, msg);
    }
  }
  gst_buffer_unref (buffer);
}

/* Refuses every buffer of @refuse (parked readings whose jump was not
 * confirmed), each measured against the current reference. */
static void
gst_reorder_queue_refuse_parked_locked (GstReorderQueue * self,
    GQueue * refuse, const Config * config, GQueue * messages)
{
  GstClockTime reference = gst_reorder_queue_reference_locked (self);
  GstBuffer *buffer;

  while ((buffer = g_queue_pop_head (refuse))) {
    GstWeatherReading reading;
    GstClockTime ts = GST_CLOCK_TIME_NONE;

    if (gst_weather_reading_from_buffer (buffer, &reading, NULL))
      ts = gst_reorder_queue_ts_locked (self, buffer, &reading);
    gst_reorder_queue_drop_future_locked (self, buffer,
        GST_CLOCK_TIME_IS_VALID (ts) && GST_CLOCK_TIME_IS_VALID (reference) &&
        ts > reference ? ts - reference : 0, config, messages);
  }
}

/* Takes @buffer in: checks it, drops it (counted) or holds it, and moves
 * what became due to the task's output queue. Drop messages are appended
 * to @messages; @wake is set when the task must look again. @now is the
 * clock's running time (live) for the max-future bound, which is not
 * checked again for the readings of a confirmed jump (@check_future
 * FALSE). Called with the lock, which a full output queue releases while
 * waiting. */
static GstFlowReturn
gst_reorder_queue_insert_locked (GstReorderQueue * self, GstBuffer * buffer,
    const Config * config, GQueue * messages, gboolean * wake,
    GstClockTime now, gboolean check_future)
{
  GstWeatherReading reading;
  GError *error = NULL;
  GstClockTime ts;
  Station *station;
  Item *item, probe = { 0, };
  const gchar *drop_reason = NULL;
  guint64 lateness = 0;

  if (!gst_weather_reading_from_stream_buffer (buffer, &reading, &error)) {
    gst_reorder_queue_drop_invalid_locked (self, buffer, error->message);
    g_clear_error (&error);
    return GST_FLOW_OK;
  }

  /* downstream is not taking what was released: wait for the task */
  while (config->max_size_buffers > 0 && !self->flushing &&
      self->srcresult == GST_FLOW_OK &&
      self->outq_buffers >= config->max_size_buffers) {
    /* what this call released so far may not have been announced yet */
    if (self->task_waiting)
      g_cond_broadcast (&self->cond);
    self->upstream_waiting = TRUE;
    g_cond_wait (&self->out_cond, &self->lock);
    self->upstream_waiting = FALSE;
  }
  if (self->flushing || self->srcresult != GST_FLOW_OK || self->draining) {
    gst_buffer_unref (buffer);
    if (self->flushing)
      return GST_FLOW_FLUSHING;
    return self->srcresult != GST_FLOW_OK ? self->srcresult : GST_FLOW_EOS;
  }

  ts = gst_reorder_queue_ts_locked (self, buffer, &reading);
  if (!GST_CLOCK_TIME_IS_VALID (ts)) {
    gst_reorder_queue_drop_invalid_locked (self, buffer, "no PTS and "
        "created_at before the segment origin");
    return GST_FLOW_OK;
  }
  if (ts > GST_WEATHER_CLOCK_TIME_MAX) {
    /* a PTS from created_at and the segment: its deadlines would not fit */
    gst_reorder_queue_drop_invalid_locked (self, buffer, "PTS beyond "
        "2^63-1 ns");
    return GST_FLOW_OK;
  }

  /* too far ahead of the stream: before it touches any state */
  if (check_future && config->max_future > 0) {
    if (self->live) {
      GstClockTime running = gst_segment_to_running_time (&self->segment,
          GST_FORMAT_TIME, ts);

      if (gst_weather_future_beyond_clock (running, now, config->max_future)) {
        gst_reorder_queue_drop_future_locked (self, buffer, running - now,
            config, messages);
        return GST_FLOW_OK;
      }
    } else {
      GQueue take = G_QUEUE_INIT, refuse = G_QUEUE_INIT;
      GstFlowReturn ret = GST_FLOW_OK;
      GstBuffer *confirmed;
      gboolean mine;

      mine = gst_weather_future_check (&self->future, buffer, ts,
          gst_reorder_queue_reference_locked (self), config->max_future,
          &take, &refuse);
      gst_reorder_queue_refuse_parked_locked (self, &refuse, config, messages);
      if (!mine) {
        /* parked, or a confirmed jump: its readings, in order */
        while ((confirmed = g_queue_pop_head (&take))) {
          if (ret == GST_FLOW_OK)
            ret = gst_reorder_queue_insert_locked (self, confirmed, config,
                messages, wake, now, FALSE);
          else
            gst_buffer_unref (confirmed);
        }
        return ret;
      }
    }
  }

  station = gst_reorder_queue_get_station_locked (self, &reading);
  probe.kind = ITEM_READING;
  probe.ts = ts;
  probe.station_id = reading.station_id;
  probe.created_at = reading.created_at;
  probe.sequence = reading.sequence;

  if (station->released_any && reading.created_at == station->last_created_at) {
    drop_reason = "duplicate";
  } else if (g_hash_table_contains (self->held_created, &probe)) {
    drop_reason = "duplicate";
  } else if (reading.sequence != 0 &&
      ((station->released_any && station->last_sequence == reading.sequence)
          || g_hash_table_contains (self->held_sequences, &probe))) {
    drop_reason = "duplicate";
  } else if (GST_CLOCK_TIME_IS_VALID (station->covered_until) &&
      ts < station->covered_until) {
    if (++station->late_run < RESYNC_LATE_RUN) {
      drop_reason = "late";
      lateness = station->covered_until - 1 - ts;
    } else {
      GST_WARNING_OBJECT (self, "station %u: %u readings in a row older than "
          "what was released (by %" GST_TIME_FORMAT " now): its clock went "
          "back, starting its order again", reading.station_id,
          RESYNC_LATE_RUN, GST_TIME_ARGS (station->covered_until - 1 - ts));
      gst_reorder_queue_forget_station_locked (self, station);
      self->resyncs++;
    }
  }

  if (drop_reason) {
    if (drop_reason[0] == 'l') {
      self->late++;
      GST_WARNING_OBJECT (self, "station %u: dropping late reading (created "
          "%" G_GINT64_FORMAT " ns, %" GST_TIME_FORMAT " after what was "
          "released)", reading.station_id, reading.created_at,
          GST_TIME_ARGS (lateness));
    } else {
      self->duplicates++;
      GST_WARNING_OBJECT (self, "station %u: dropping duplicate reading "
          "(created %" G_GINT64_FORMAT " ns, sequence %" G_GUINT64_FORMAT ")",
          reading.station_id, reading.created_at, reading.sequence);
    }
    if (config->post_drop_messages)
      g_queue_push_tail (messages, gst_reorder_queue_drop_message (self,
              reading.station_id, reading.station_name, reading.created_at,
              lateness, drop_reason));
    gst_buffer_unref (buffer);
  } else {
    gboolean new_head;

    station->late_run = 0;
    if (GST_CLOCK_TIME_IS_VALID (station->newest_in) && ts < station->newest_in)
      self->reordered++;
    if (!GST_CLOCK_TIME_IS_VALID (station->newest_in) ||
        ts > station->newest_in)
      station->newest_in = ts;

    item = g_new0 (Item, 1);
    *item = probe;
    item->station = station;
    item->buffer = buffer;
    if (!GST_BUFFER_PTS_IS_VALID (buffer)) {
      item->buffer = gst_buffer_make_writable (buffer);
      GST_BUFFER_PTS (item->buffer) = ts;
    }
    gst_reorder_queue_hold_locked (self, item);
    new_head = gst_weather_heap_peek (&self->queue) == item;
    if (item->sequence != 0)
      g_hash_table_add (self->held_sequences, item);
    g_hash_table_add (self->held_created, item);
    self->level++;

    if (!self->live &&
        (!GST_CLOCK_TIME_IS_VALID (self->max_pts) || ts > self->max_pts))
      self->max_pts = ts;
    gst_reorder_queue_pop_ready_locked (self, GST_CLOCK_TIME_NONE, 0,
        config, messages);
    /* something to push, or (live) a new earliest deadline */
    if (!g_queue_is_empty (&self->outq) || (self->live && new_head))
      *wake = TRUE;
  }
  return GST_FLOW_OK;
}

/* Takes in @buffer, or every buffer of @list under one lock, waking the
 * task once for all of them. */
static GstFlowReturn
gst_reorder_queue_take_in (GstReorderQueue * self, GstBuffer * buffer,
    GstBufferList * list)
{
  GQueue messages = G_QUEUE_INIT;
  gboolean wake = FALSE;
  GstFlowReturn ret = GST_FLOW_OK;
  GstClockTime now = GST_CLOCK_TIME_NONE;
  Config config;
  guint i, n = list ? gst_buffer_list_length (list) : 1;

  gst_reorder_queue_ensure_live (self);
  gst_reorder_queue_get_config (self, &config);
  /* the clock's running time, once for the whole list */
  if (self->live && config.max_future > 0)
    now = gst_weather_future_running_now (GST_ELEMENT (self));

  g_mutex_lock (&self->lock);
  for (i = 0; i < n && ret == GST_FLOW_OK; i++) {
    if (list)
      buffer = gst_buffer_ref (gst_buffer_list_get (list, i));
    ret = gst_reorder_queue_insert_locked (self, buffer, &config, &messages,
        &wake, now, TRUE);
  }
  if (wake)
    gst_reorder_queue_wake_locked (self);
  g_mutex_unlock (&self->lock);
  if (list)
    gst_buffer_list_unref (list);

  gst_reorder_queue_post_messages (self, &messages);
  return ret;
}

static GstFlowReturn
gst_reorder_queue_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  return gst_reorder_queue_take_in (GST_REORDER_QUEUE (parent), buffer, NULL);
}

static GstFlowReturn
gst_reorder_queue_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  return gst_reorder_queue_take_in (GST_REORDER_QUEUE (parent), NULL, list);
}

/* A copy of @caps whose structures named @from are named @to; the others
 * stay as they are. */
static GstCaps *
reading_caps_renamed (const GstCaps * caps, const gchar * from,
    const gchar * to)
{
  GstCaps *out = gst_caps_copy (caps);
  guint i;

  for (i = 0; i < gst_caps_get_size (out); i++) {
    GstStructure *s = gst_caps_get_structure (out, i);

    if (gst_structure_has_name (s, from))
      gst_structure_set_name (s, to);
  }
  return out;
}

/* Output side: the caps to push for the input caps @caps, with their
 * fields. Batches when downstream prefers them (its caps list
 * application/x-weather-reading-batch before single readings, as grouper's
 * do); single readings otherwise, an ANY downstream included; the input
 * caps unchanged when downstream takes neither, to be refused there. */
static GstCaps *
gst_reorder_queue_negotiate_output (GstReorderQueue * self, GstCaps * caps)
{
  GstCaps *candidates, *peer, *common, *out;

  gst_caps_replace (&self->out_caps_in, caps);
  self->out_batched = FALSE;
  candidates = gst_caps_copy (caps);
  gst_caps_append (candidates, reading_caps_renamed (caps,
          GST_WEATHER_READING_MEDIA_TYPE,
          GST_WEATHER_READING_BATCH_MEDIA_TYPE));
  /* no filter: the answer keeps downstream's order of preference */
  peer = gst_pad_peer_query_caps (self->srcpad, NULL);
  common = gst_caps_intersect_full (peer, candidates, GST_CAPS_INTERSECT_FIRST);
  if (gst_caps_is_empty (common)) {
    out = gst_caps_ref (caps);
  } else {
    out = gst_caps_fixate (gst_caps_copy_nth (common, 0));
    self->out_batched = gst_structure_has_name (gst_caps_get_structure (out,
            0), GST_WEATHER_READING_BATCH_MEDIA_TYPE);
  }
  GST_DEBUG_OBJECT (self, "readings leave %s: %" GST_PTR_FORMAT,
      self->out_batched ? "in batches" : "one per buffer", out);
  gst_caps_unref (common);
  gst_caps_unref (peer);
  gst_caps_unref (candidates);
  return out;
}

/* Output side: the CAPS event to push for the input's CAPS @event. */
static GstEvent *
gst_reorder_queue_output_caps_event (GstReorderQueue * self, GstEvent * event)
{
  GstCaps *caps, *out;
  GstEvent *out_event;

  gst_event_parse_caps (event, &caps);
  /* what downstream answers now is this negotiation's */
  gst_pad_check_reconfigure (self->srcpad);
  out = gst_reorder_queue_negotiate_output (self, caps);
  if (gst_caps_is_equal (out, caps)) {
    gst_caps_unref (out);
    return event;
  }
  out_event = gst_event_new_caps (out);
  gst_event_set_seqnum (out_event, gst_event_get_seqnum (event));
  gst_caps_unref (out);
  gst_event_unref (event);
  return out_event;
}

/* Output side: @first and the readings after it in @out, up to the next
 * event, go downstream as one batch buffer: their records back to back,
 * the PTS of the first, a duration up to the PTS of the last. */
static GstFlowReturn
gst_reorder_queue_push_batch (GstReorderQueue * self, GstBuffer * first,
    GQueue * out)
{
  GstClockTime first_pts = GST_BUFFER_PTS (first), last_pts = first_pts;
  GstBuffer *batch, *buf = first;
  GstMapInfo map;
  guint n = 1, i;
  GList *l;

  for (l = out->head; l && GST_IS_BUFFER (l->data); l = l->next)
    n++;
  batch = gst_buffer_new_allocate (NULL,
      (gsize) n * GST_WEATHER_READING_SIZE, NULL);
  gst_buffer_map (batch, &map, GST_MAP_WRITE);
  for (i = 0; i < n; i++) {
    if (i > 0)
      buf = g_queue_pop_head (out);
    /* every held reading was checked to be one 128-byte record */
    gst_buffer_extract (buf, 0, map.data + (gsize) i * GST_WEATHER_READING_SIZE,
        GST_WEATHER_READING_SIZE);
    last_pts = GST_BUFFER_PTS (buf);
    gst_buffer_unref (buf);
  }
  gst_buffer_unmap (batch, &map);
  GST_BUFFER_PTS (batch) = first_pts;
  if (GST_CLOCK_TIME_IS_VALID (first_pts) &&
      GST_CLOCK_TIME_IS_VALID (last_pts) && last_pts >= first_pts)
    GST_BUFFER_DURATION (batch) = last_pts - first_pts;
  return gst_pad_push (self->srcpad, batch);
}

/* Output side: downstream asked again (a RECONFIGURE event, a new link):
 * the caps are chosen again and pushed before the next readings. */
static void
gst_reorder_queue_renegotiate (GstReorderQueue * self)
{
  GstCaps *caps, *out;

  if (!gst_pad_check_reconfigure (self->srcpad) || !self->out_caps_in)
    return;
  caps = gst_caps_ref (self->out_caps_in);
  out = gst_reorder_queue_negotiate_output (self, caps);
  gst_pad_push_event (self->srcpad, gst_event_new_caps (out));
  gst_caps_unref (out);
  gst_caps_unref (caps);
}

/* The src pad task: pushes what was released, in order; in live mode it
 * also waits on the clock for the earliest deadline. */
static void
gst_reorder_queue_loop (GstReorderQueue * self)
{
  GQueue out = G_QUEUE_INIT, messages = G_QUEUE_INIT;
  GstClock *clock;
  GstClockTime base_time, deadline;
  GstMiniObject *obj;
  GstClockID id;
  Config config;
  gboolean pushed_eos = FALSE;
  GstFlowReturn ret = GST_FLOW_OK;

  gst_reorder_queue_get_config (self, &config);
  clock = gst_element_get_clock (GST_ELEMENT (self));
  base_time = gst_element_get_base_time (GST_ELEMENT (self));

  g_mutex_lock (&self->lock);
  if (self->flushing)
    goto paused;

  if (g_queue_is_empty (&self->outq) && self->live && clock)
    gst_reorder_queue_pop_ready_locked (self, gst_clock_get_time (clock),
        base_time, &config, &messages);

  if (g_queue_is_empty (&self->outq)) {
    Item *head = gst_weather_heap_peek (&self->queue);
    Expect *e = gst_weather_heap_peek (&self->expects);

    deadline = GST_CLOCK_TIME_NONE;
    if (self->live && clock) {
      if (head)
        deadline = head->ts;
      if (e && (!GST_CLOCK_TIME_IS_VALID (deadline) ||
              expect_deadline (e) < deadline))
        deadline = expect_deadline (e);
    }

    if (!GST_CLOCK_TIME_IS_VALID (deadline)) {
      self->task_waiting = TRUE;
      g_cond_wait (&self->cond, &self->lock);
      self->task_waiting = FALSE;
    } else {
      deadline = gst_reorder_queue_due_clock_time_locked (self, deadline,
          base_time, &config);
      GST_LOG_OBJECT (self, "waiting until %" GST_TIME_FORMAT,
          GST_TIME_ARGS (deadline));
      id = gst_clock_new_single_shot_id (clock, deadline);
      self->clock_id = id;
      g_mutex_unlock (&self->lock);
      gst_clock_id_wait (id, NULL);
      g_mutex_lock (&self->lock);
      self->clock_id = NULL;
      gst_clock_id_unref (id);
    }
  } else {
    out = self->outq;
    g_queue_init (&self->outq);
    self->outq_buffers = 0;
    if (self->upstream_waiting)
      g_cond_broadcast (&self->out_cond);
  }
  g_mutex_unlock (&self->lock);
  gst_clear_object (&clock);

  gst_reorder_queue_post_messages (self, &messages);
  while (ret == GST_FLOW_OK && (obj = g_queue_pop_head (&out))) {
    if (GST_IS_BUFFER (obj)) {
      gst_reorder_queue_renegotiate (self);
      if (self->out_batched) {
        ret = gst_reorder_queue_push_batch (self, GST_BUFFER_CAST (obj), &out);
      } else {
        GstBufferList *list = gst_buffer_list_new ();

        gst_buffer_list_add (list, GST_BUFFER_CAST (obj));
        while (out.head && GST_IS_BUFFER (out.head->data))
          gst_buffer_list_add (list, g_queue_pop_head (&out));
        ret = gst_pad_push_list (self->srcpad, list);
      }
    } else if (GST_IS_QUERY (obj)) {
      /* everything before it has gone downstream: its answer is in order */
      gboolean res = gst_pad_peer_query (self->srcpad, GST_QUERY_CAST (obj));

      g_mutex_lock (&self->lock);
      gst_reorder_queue_finish_query_locked (self, res);
      g_mutex_unlock (&self->lock);
    } else {
      GstEvent *event = GST_EVENT_CAST (obj);
      gboolean eos = GST_EVENT_TYPE (event) == GST_EVENT_EOS;

      if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS)
        event = gst_reorder_queue_output_caps_event (self, event);

      if (GST_PAD_IS_FLUSHING (self->srcpad)) {
        g_queue_push_head (&out, event);
        ret = GST_FLOW_FLUSHING;
      } else if (!gst_pad_push_event (self->srcpad, event) &&
          GST_PAD_IS_FLUSHING (self->srcpad)) {
        ret = GST_FLOW_FLUSHING;
      } else if (eos) {
        pushed_eos = TRUE;
        ret = GST_FLOW_EOS;
      }
    }
  }
  if (ret != GST_FLOW_OK) {
    g_mutex_lock (&self->lock);
    /* a query that will not go downstream now goes back to its sender */
    gst_reorder_queue_give_up_query_locked (self, &out);
    gst_reorder_queue_give_up_query_locked (self, &self->outq);
    if (ret == GST_FLOW_FLUSHING) {
      GList *l;

      /* sticky events that did not make it are kept for after the flush */
      for (l = out.tail; l; l = l->prev)
        g_queue_push_head (&self->outq, l->data);
      g_queue_clear (&out);
    } else {
      gst_reorder_queue_clear_out_locked (self, &out);
    }
    self->srcresult = ret;
    if (self->upstream_waiting)
      g_cond_broadcast (&self->out_cond);
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "pausing task: %s", gst_flow_get_name (ret));
    gst_pad_pause_task (self->srcpad);
    if (!pushed_eos && (ret == GST_FLOW_NOT_LINKED || ret < GST_FLOW_EOS)) {
      GST_ELEMENT_FLOW_ERROR (self, ret);
      gst_pad_push_event (self->srcpad, gst_event_new_eos ());
    }
  }
  return;

paused:
  g_mutex_unlock (&self->lock);
  gst_clear_object (&clock);
  gst_reorder_queue_post_messages (self, &messages);
  gst_pad_pause_task (self->srcpad);
}

static gboolean
gst_reorder_queue_start_task (GstReorderQueue * self)
{
  return gst_pad_start_task (self->srcpad,
      (GstTaskFunction) gst_reorder_queue_loop, self, NULL);
}

static guint64
caps_get_period (GstCaps * caps)
{
  GstStructure *s;
  const GValue *v;

  if (!caps || gst_caps_is_empty (caps))
    return 0;
  s = gst_caps_get_structure (caps, 0);
  v = gst_structure_get_value (s, "period");
  if (v && G_VALUE_HOLDS_UINT64 (v))
    return g_value_get_uint64 (v);
  if (v && G_VALUE_HOLDS_INT64 (v) && g_value_get_int64 (v) > 0)
    return g_value_get_int64 (v);
  return 0;
}

/* Queues a serialized event behind what was released before it. */
static gboolean
gst_reorder_queue_queue_event_locked (GstReorderQueue * self, GstEvent * event)
{
  if (self->flushing || self->srcresult == GST_FLOW_FLUSHING) {
    gst_event_unref (event);
    return FALSE;
  }
  g_queue_push_tail (&self->outq, event);
  gst_reorder_queue_wake_locked (self);
  return TRUE;
}

static gboolean
gst_reorder_queue_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (parent);
  GQueue messages = G_QUEUE_INIT;
  Config config;
  gboolean ret;

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_FLUSH_START:
      g_mutex_lock (&self->lock);
      self->flushing = TRUE;
      self->srcresult = GST_FLOW_FLUSHING;
      gst_reorder_queue_give_up_query_locked (self, &self->outq);
      gst_reorder_queue_wake_locked (self);
      g_mutex_unlock (&self->lock);
      gst_pad_push_event (self->srcpad, event);
      /* waits until the task has left its loop function; nothing is
       * pushed from now on */
      gst_pad_pause_task (self->srcpad);
      return TRUE;
    case GST_EVENT_FLUSH_STOP:
      ret = gst_pad_push_event (self->srcpad, event);
      g_mutex_lock (&self->lock);
      /* stream-start, caps, tags not pushed yet still apply after the
       * flush: the pad sends them ahead of the next data */
      gst_reorder_queue_give_up_query_locked (self, &self->outq);
      while (!g_queue_is_empty (&self->outq)) {
        GstMiniObject *obj = g_queue_pop_head (&self->outq);

        if (GST_IS_EVENT (obj) && GST_EVENT_TYPE (obj) == GST_EVENT_CAPS)
          /* the task is stopped: its output side may be set here */
          obj = GST_MINI_OBJECT_CAST (gst_reorder_queue_output_caps_event
              (self, GST_EVENT_CAST (obj)));
        if (GST_IS_EVENT (obj) && GST_EVENT_IS_STICKY (obj) &&
            GST_EVENT_TYPE (obj) != GST_EVENT_SEGMENT &&
            GST_EVENT_TYPE (obj) != GST_EVENT_EOS)
          gst_pad_store_sticky_event (self->srcpad, GST_EVENT_CAST (obj));
        gst_mini_object_unref (obj);
      }
      gst_reorder_queue_reset_locked (self);
      self->segment_refused = FALSE;
      self->flushing = FALSE;
      self->srcresult = GST_FLOW_OK;
      g_mutex_unlock (&self->lock);
      gst_reorder_queue_start_task (self);
      return ret;
    case GST_EVENT_STREAM_START:{
      const gchar *stream_id = NULL;

      gst_event_parse_stream_start (event, &stream_id);
      gst_reorder_queue_get_config (self, &config);
      g_mutex_lock (&self->lock);
      if (self->stream_id && g_strcmp0 (self->stream_id, stream_id) != 0) {
        GQueue refuse = G_QUEUE_INIT;

        /* a new stream: what is held belongs to the old one and leaves
         * first; the stations' order starts again */
        GST_INFO_OBJECT (self, "new stream %s: releasing %u readings",
            stream_id, self->level);
        gst_weather_future_give_up (&self->future, &refuse);
        gst_reorder_queue_refuse_parked_locked (self, &refuse, &config,
            &messages);
        self->draining = TRUE;
        gst_reorder_queue_pop_ready_locked (self, GST_CLOCK_TIME_NONE, 0,
            &config, &messages);
        self->draining = FALSE;
        /* what the old stations still owed is owed no more */
        gst_reorder_queue_clear_expects_locked (self);
        gst_reorder_queue_forget_stations_locked (self);
        self->max_pts = GST_CLOCK_TIME_NONE;
        self->gap_end = GST_CLOCK_TIME_NONE;
        self->live_known = FALSE;
      }
      g_free (self->stream_id);
      self->stream_id = g_strdup (stream_id);
      ret = gst_reorder_queue_queue_event_locked (self, event);
      g_mutex_unlock (&self->lock);
      gst_reorder_queue_post_messages (self, &messages);
      return ret;
    }
    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      g_mutex_lock (&self->lock);
      self->caps_period = caps_get_period (caps);
      ret = gst_reorder_queue_queue_event_locked (self, event);
      g_mutex_unlock (&self->lock);
      return ret;
    }
    case GST_EVENT_SEGMENT:{
      const GstSegment *segment;

      gst_event_parse_segment (event, &segment);
      if (segment->format != GST_FORMAT_TIME) {
        gboolean first;

        /* refused every time the pad sends it again, said once: the push
         * upstream fails and its source stops */
        g_mutex_lock (&self->lock);
        first = !self->segment_refused;
        self->segment_refused = TRUE;
        g_mutex_unlock (&self->lock);
        if (first)
          GST_ELEMENT_ERROR (self, STREAM, FORMAT,
              ("reorderqueue needs a TIME segment"),
              ("received a %s segment: put weatherparse after a byte source",
                  gst_format_get_name (segment->format)));
        gst_event_unref (event);
        return FALSE;
      }
      g_mutex_lock (&self->lock);
      self->segment = *segment;
      ret = gst_reorder_queue_queue_event_locked (self, event);
      g_mutex_unlock (&self->lock);
      return ret;
    }
    case GST_EVENT_GAP:{
      GstClockTime ts, duration, end;
      Item *item;

      gst_event_parse_gap (event, &ts, &duration);
      end = gst_weather_clock_time_add (ts,
          GST_CLOCK_TIME_IS_VALID (duration) ? duration : 0);
      gst_reorder_queue_ensure_live (self);
      gst_reorder_queue_get_config (self, &config);

      g_mutex_lock (&self->lock);
      if (self->flushing || self->draining) {
        g_mutex_unlock (&self->lock);
        gst_event_unref (event);
        return FALSE;
      }
      /* a GAP about one station of a mixed stream says nothing about the
       * others: it waits in order but does not move the watermark */
      if (!self->live && !gst_structure_has_field (gst_event_get_structure
              (event), "station-id") &&
          (!GST_CLOCK_TIME_IS_VALID (self->gap_end) || end > self->gap_end))
        self->gap_end = end;
      item = g_new0 (Item, 1);
      item->kind = ITEM_GAP;
      item->ts = end;
      item->event = event;
      gst_reorder_queue_hold_locked (self, item);
      gst_reorder_queue_pop_ready_locked (self, GST_CLOCK_TIME_NONE, 0,
          &config, &messages);
      gst_reorder_queue_wake_locked (self);
      g_mutex_unlock (&self->lock);
      gst_reorder_queue_post_messages (self, &messages);
      return TRUE;
    }
    case GST_EVENT_EOS:{
      GQueue refuse = G_QUEUE_INIT;

      /* everything held leaves now, in order, then EOS; a jump ahead that
       * was not confirmed will not be */
      gst_reorder_queue_get_config (self, &config);
      g_mutex_lock (&self->lock);
      gst_weather_future_give_up (&self->future, &refuse);
      gst_reorder_queue_refuse_parked_locked (self, &refuse, &config,
          &messages);
      self->draining = TRUE;
      gst_reorder_queue_pop_ready_locked (self, GST_CLOCK_TIME_NONE, 0,
          &config, &messages);
      ret = gst_reorder_queue_queue_event_locked (self, event);
      g_mutex_unlock (&self->lock);
      gst_reorder_queue_post_messages (self, &messages);
      return ret;
    }
    default:
      break;
  }

  if (GST_EVENT_IS_SERIALIZED (event)) {
    g_mutex_lock (&self->lock);
    ret = gst_reorder_queue_queue_event_locked (self, event);
    g_mutex_unlock (&self->lock);
    return ret;
  }
  return gst_pad_event_default (pad, parent, event);
}

/* What the src pad can give: upstream's caps as single readings and as
 * batches, the filter's batch structures asked upstream as single
 * readings. */
static GstCaps *
gst_reorder_queue_src_caps (GstReorderQueue * self, GstPad * pad,
    GstCaps * filter)
{
  GstCaps *up_filter = NULL, *up, *result, *templ;

  if (filter)
    up_filter = reading_caps_renamed (filter,
        GST_WEATHER_READING_BATCH_MEDIA_TYPE, GST_WEATHER_READING_MEDIA_TYPE);
  up = gst_pad_peer_query_caps (self->sinkpad, up_filter);
  templ = gst_pad_get_pad_template_caps (pad);
  if (gst_caps_is_any (up)) {
    result = gst_caps_ref (templ);
  } else {
    GstCaps *both = gst_caps_merge (gst_caps_ref (up),
        reading_caps_renamed (up, GST_WEATHER_READING_MEDIA_TYPE,
            GST_WEATHER_READING_BATCH_MEDIA_TYPE));

    result = gst_caps_intersect_full (both, templ, GST_CAPS_INTERSECT_FIRST);
    gst_caps_unref (both);
  }
  if (filter) {
    GstCaps *tmp = gst_caps_intersect_full (filter, result,
        GST_CAPS_INTERSECT_FIRST);

    gst_caps_unref (result);
    result = tmp;
  }
  gst_clear_caps (&up_filter);
  gst_caps_unref (up);
  gst_caps_unref (templ);
  return result;
}

/* A serialized query (ALLOCATION, DRAIN, custom) keeps its place after
 * the readings and events that came before it, as in GstQueue: it waits
 * in the task's output queue and is answered by the task once everything
 * released before it has gone downstream; the sending thread waits for
 * the answer. DRAIN asks for everything upstream sent to be processed:
 * what is held is released first, in order. */
static gboolean
gst_reorder_queue_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (parent);
  GQueue messages = G_QUEUE_INIT;
  Config config;
  gboolean res;

  if (!GST_QUERY_IS_SERIALIZED (query))
    return gst_pad_query_default (pad, parent, query);

  gst_reorder_queue_get_config (self, &config);
  g_mutex_lock (&self->lock);
  if (self->flushing || self->srcresult != GST_FLOW_OK || self->query) {
    g_mutex_unlock (&self->lock);
    GST_DEBUG_OBJECT (self, "not forwarding %" GST_PTR_FORMAT ": %s", query,
        gst_flow_get_name (self->srcresult));
    return FALSE;
  }
  if (GST_QUERY_TYPE (query) == GST_QUERY_DRAIN && !self->draining) {
    self->draining = TRUE;
    gst_reorder_queue_pop_ready_locked (self, GST_CLOCK_TIME_NONE, 0,
        &config, &messages);
    self->draining = FALSE;
  }
  GST_LOG_OBJECT (self, "queuing %" GST_PTR_FORMAT, query);
  self->query = query;
  g_queue_push_tail (&self->outq, query);
  gst_reorder_queue_wake_locked (self);
  while (self->query == query)
    g_cond_wait (&self->query_cond, &self->lock);
  res = self->query_result;
  g_mutex_unlock (&self->lock);
  gst_reorder_queue_post_messages (self, &messages);
  return res;
}

static gboolean
gst_reorder_queue_src_query (GstPad * pad, GstObject * parent, GstQuery * query)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (parent);

  if (GST_QUERY_TYPE (query) == GST_QUERY_CAPS) {
    GstCaps *filter, *caps;

    gst_query_parse_caps (query, &filter);
    caps = gst_reorder_queue_src_caps (self, pad, filter);
    gst_query_set_caps_result (query, caps);
    gst_caps_unref (caps);
    return TRUE;
  }

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    gboolean live;
    GstClockTime min, max, latency;

    if (!gst_pad_peer_query (self->sinkpad, query))
      return FALSE;
    gst_query_parse_latency (query, &live, &min, &max);
    GST_OBJECT_LOCK (self);
    latency = self->latency;
    GST_OBJECT_UNLOCK (self);
    min = gst_weather_clock_time_add (min, latency);
    max = gst_weather_clock_time_add (max, latency);
    GST_DEBUG_OBJECT (self, "latency: live %d min %" GST_TIME_FORMAT " max %"
        GST_TIME_FORMAT, live, GST_TIME_ARGS (min), GST_TIME_ARGS (max));
    gst_query_set_latency (query, live, min, max);
    return TRUE;
  }
  return gst_pad_query_default (pad, parent, query);
}

static gboolean
gst_reorder_queue_src_activate_mode (GstPad * pad, GstObject * parent,
    GstPadMode mode, gboolean active)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (parent);

  if (mode != GST_PAD_MODE_PUSH)
    return FALSE;

  g_mutex_lock (&self->lock);
  if (active) {
    self->flushing = FALSE;
    self->srcresult = GST_FLOW_OK;
    g_mutex_unlock (&self->lock);
    return gst_reorder_queue_start_task (self);
  }
  self->flushing = TRUE;
  self->srcresult = GST_FLOW_FLUSHING;
  gst_reorder_queue_wake_locked (self);
  g_mutex_unlock (&self->lock);

  gst_pad_stop_task (pad);
  g_mutex_lock (&self->lock);
  gst_reorder_queue_reset_locked (self);
  g_mutex_unlock (&self->lock);
  /* the task is stopped: its output side starts again with the next caps */
  gst_clear_caps (&self->out_caps_in);
  self->out_batched = FALSE;
  return TRUE;
}

static gboolean
gst_reorder_queue_set_clock (GstElement * element, GstClock * clock)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (element);

  g_mutex_lock (&self->lock);
  gst_reorder_queue_wake_locked (self);
  g_mutex_unlock (&self->lock);

  return GST_ELEMENT_CLASS (parent_class)->set_clock (element, clock);
}

static GstStateChangeReturn
gst_reorder_queue_change_state (GstElement * element, GstStateChange transition)
{
  GstReorderQueue *self = GST_REORDER_QUEUE (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      g_mutex_lock (&self->lock);
      gst_reorder_queue_reset_locked (self);
      self->segment_refused = FALSE;
      self->pushed = self->reordered = self->duplicates = self->late = 0;
      self->overflow = self->gaps = self->gaps_forwarded = self->invalid = 0;
      self->resyncs = self->future_refused = 0;
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_PLAYING:
      /* a new base time moves every deadline */
      g_mutex_lock (&self->lock);
      gst_reorder_queue_wake_locked (self);
      g_mutex_unlock (&self->lock);
      break;
    default:
      break;
  }
  return ret;
}
