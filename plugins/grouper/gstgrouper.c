/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-grouper
 * @title: grouper
 *
 * Groups the readings of many stations by event time: every window of
 * #GstGrouper:window nanoseconds, aligned to the UNIX epoch (window k is
 * [k * window, (k + 1) * window) in epoch ns), gives one
 * application/x-weather-group buffer holding one slot per expected station,
 * filled with that station's reading in the window or flagged MISSING.
 *
 * The window of a reading is taken from its created_at, never from its
 * PTS, so separate pipelines, live or not, agree on the windows. When a
 * station sends several readings in one window the one with the latest
 * created_at is kept; on equal created_at the higher sequence number, and
 * on equal sequence the later arrival.
 *
 * Input comes on request pads `sink_%u`: one pad per station (after demux
 * and reorderqueue) or a single pad carrying a mixed stream that is ordered
 * per station. The element keeps its own per-station and per-window tables,
 * so the work per reading does not depend on the number of stations; with
 * one pad per station GstAggregator itself visits every pad on each wake-up
 * (docs/elements/grouper.md), so very many stations belong on one mixed
 * pad.
 *
 * A window closes:
 *
 * - live: when the clock passes the running time of the window's end plus
 *   the pipeline latency (GstAggregator's timeout, see #GstAggregator:latency
 *   and the upstream LATENCY query);
 * - not live: when every pad has moved past the window's end: every station
 *   seen on the pad has a reading in a later window, or a GAP event on the
 *   pad reaches the end, or the pad is at EOS. A file replayed as fast as
 *   possible so gives the groups of a live run.
 *
 * Not live, on a single sink pad, readings are added to the tables and the
 * windows they finish closed in the pushing thread itself, item by item as
 * GstAggregator's thread would; that thread is only woken to push the
 * groups. Live, with several pads, or behind a serialized event not yet
 * handled, readings take GstAggregator's usual path. Buffer lists are
 * taken reading by reading.
 *
 * A reading for a window that is already closed is late: it is dropped,
 * counted in #GstGrouper:stats and logged at WARNING level. So are buffers
 * that are not valid reading records.
 *
 * The expected stations of a window are those of #GstGrouper:stations plus
 * every station seen from its first reading on. A station whose pad is
 * released stops being expected after the last window it sent a reading
 * for; with #GstGrouper:station-timeout a silent station is forgotten. A
 * window in which no station sent anything produces no group.
 *
 * At EOS the open windows are emitted, then EOS is forwarded.
 *
 * Each window's summary (a `weather-group` structure: window-start,
 * window-end, expected, present, incomplete, skipped) reaches applications
 * through GstAggregator's #GstAggregator::samples-selected signal (as its
 * info, with #GstAggregator:emit-signals) and, with
 * #GstGrouper:post-messages, as an element message on the bus.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 weathersrc stations=5 num-buffers=100 ! grouper window=1000000000 ! fakesink
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "gstgrouper.h"
#include "gstweatherheap.h"

GST_DEBUG_CATEGORY_STATIC (gst_grouper_debug);
#define GST_CAT_DEFAULT gst_grouper_debug

#define DEFAULT_WINDOW GST_SECOND
#define DEFAULT_MIN_STATIONS 1
#define DEFAULT_QUORUM_POLICY GST_GROUPER_QUORUM_EMIT_INCOMPLETE
#define DEFAULT_STATION_TIMEOUT 0
#define DEFAULT_POST_MESSAGES FALSE

/* Most groups closed in a streaming thread and not pushed yet. Markers
 * carry no timestamps, so with GstAggregator's latency > 0 its queue does
 * not bound them: beyond this, readings take GstAggregator's path again,
 * whose queue limit then holds the pushing thread back. */
#define MAX_INLINE_GROUPS 64

/* While a marker is on its way to aggregate(), the groups closed in the
 * streaming thread wait for it; once this many wait, another marker is
 * handed over, which waits for GstAggregator's queue and brings back
 * downstream's refusal. */
#define GROUPS_PER_MARKER 8

enum
{
  PROP_0,
  PROP_WINDOW,
  PROP_MIN_STATIONS,
  PROP_QUORUM_POLICY,
  PROP_STATIONS,
  PROP_STATION_TIMEOUT,
  PROP_POST_MESSAGES,
  PROP_STATS,
};

typedef struct
{
  guint32 id;
  gchar name[GST_WEATHER_STATION_NAME_SIZE];
  /* pad of its latest reading (not reffed: cleared when the pad is
   * released), NULL for a station only listed in the stations property */
  GstGrouperPad *pad;
  /* expected in windows first_window..until_window */
  gint64 first_window;
  gint64 until_window;
  /* window and created_at of its latest reading; G_MININT64 / -1: none */
  gint64 last_window;
  gint64 last_epoch;
  gboolean configured;
  /* where it is in its pad's holders, GST_WEATHER_HEAP_NONE: in none */
  GstWeatherHeapHandle holder;
} GrouperStation;

typedef struct
{
  gint64 index;
  /* the readings, one per station, and station id -> position + 1 */
  GArray *slots;
  GHashTable *readings;
} GrouperWindow;

typedef struct
{
  GstBuffer *buffer;            /* NULL when skipped */
  GstStructure *summary;        /* the window's weather-group structure */
  gboolean post;                /* post the summary on the bus */
} GrouperOutput;

static void
grouper_output_clear (GrouperOutput * out)
{
  gst_clear_buffer (&out->buffer);
  g_clear_pointer (&out->summary, gst_structure_free);
}

/* A buffer GstAggregator queues only to have aggregate() push what a
 * streaming thread closed: it carries this qdata and no reading. */
static GQuark marker_quark;

static GstBuffer *
grouper_marker_new (void)
{
  GstBuffer *marker = gst_buffer_new ();

  gst_mini_object_set_qdata (GST_MINI_OBJECT_CAST (marker), marker_quark,
      GINT_TO_POINTER (1), NULL);
  return marker;
}

static gboolean
grouper_buffer_is_marker (GstBuffer * buf)
{
  return gst_mini_object_get_qdata (GST_MINI_OBJECT_CAST (buf),
      marker_quark) != NULL;
}

struct _GstGrouperPad
{
  GstAggregatorPad parent;

  /* All guarded by the grouper's state_lock. */
  /* windows below this index are finished on this pad (GAP events) */
  gint64 gap_passed;
  /* latest created_at seen on this pad, -1: none */
  gint64 max_epoch;
  /* the stations whose latest reading came on this pad, ordered by
   * (last_window, id): the first one is the pad's slowest station */
  GstWeatherHeap holders;
  /* set when the pad is being released: what it still held is dropped */
  gboolean released;

  /* Guarded by the grouper's sync_lock (a leaf lock, so that a buffer on
   * its way to GstAggregator never waits for aggregate()). */
  /* TRUE when aggregate() has taken everything handed to GstAggregator on
   * this pad (buffers and serialized events): a reading may then be added
   * in the streaming thread, see gst_grouper_pad_chain() */
  gboolean synced;
  /* the latest buffer handed to GstAggregator (compared, never
   * dereferenced), NULL when an event came after it */
  GstBuffer *last_handed;
  /* upstream liveness for this stream: -1 not asked yet, 0 no, 1 yes */
  gint upstream_live;
  /* what GstAggregator last answered a handed buffer with */
  GstFlowReturn handed_flow;

  /* GstAggregatorPad's own chain and event functions, set at
   * construction */
  GstPadChainFunction aggregator_chain;
  GstPadEventFullFunction aggregator_event;
};

struct _GstGrouper
{
  GstAggregator parent;

  /* properties, GST_OBJECT_LOCK */
  guint64 window;
  guint min_stations;
  GstGrouperQuorumPolicy quorum_policy;
  GArray *configured;           /* guint32 station ids */
  guint64 station_timeout;
  gboolean post_messages;
  /* GstAggregator's emit-signals, followed through notify */
  gboolean emit_signals;

  /* counters, GST_OBJECT_LOCK */
  guint64 readings;
  guint64 groups;
  guint64 complete;
  guint64 incomplete;
  guint64 skipped;
  guint64 late;
  guint64 invalid;
  guint64 replaced;
  guint64 forgotten;

  /* Lock order: state_lock, then GST_OBJECT_LOCK. */
  GMutex state_lock;
  /* everything below: state_lock */
  guint64 cur_window;           /* window size of the running stream */
  guint64 cur_station_timeout;
  GHashTable *stations;         /* guint32 id -> GrouperStation *, owned */
  GPtrArray *sorted;            /* GrouperStation * by id, when !sorted_dirty */
  gboolean sorted_dirty;
  GQueue windows;               /* GrouperWindow *, ascending index */
  gint64 closed_upto;           /* windows below this index are closed */
  gboolean have_origin;
  GstSegment src_segment;       /* start 0, time = origin */
  gboolean segment_pending;
  /* GrouperOutput closed in a streaming thread, for aggregate() to push */
  GArray *inline_outputs;
  /* a marker is on its way to aggregate(): not live, it announces the
   * groups of inline_outputs; live, a new earliest open window */
  gboolean marker_pending;
  /* GstWeatherReading: the slots of the group being closed, kept from one
   * window to the next so that closing allocates only the output buffer */
  GArray *slots;

  /* Leaf lock (nothing is taken while holding it). Live: the running time
   * at which the earliest window of what is queued on the pads (not taken
   * yet) ends, and whether something that is no reading waits (see
   * gst_grouper_note_pending()); reset by aggregate(). */
  GMutex pending_lock;
  GstClockTime pending_due;
  gboolean pending_now;

  /* Leaf lock: the pads' synced, last_handed, upstream_live and
   * handed_flow. */
  GMutex sync_lock;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST, GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_GROUP_CAPS));

/* ------------------------------------------------------------------ pad */

G_DEFINE_TYPE (GstGrouperPad, gst_grouper_pad, GST_TYPE_AGGREGATOR_PAD);

static gint
holder_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const GrouperStation *sa = a, *sb = b;

  if (sa->last_window != sb->last_window)
    return sa->last_window < sb->last_window ? -1 : 1;
  if (sa->id != sb->id)
    return sa->id < sb->id ? -1 : 1;
  return 0;
}

static void
holder_moved (gpointer data, GstWeatherHeapHandle handle)
{
  ((GrouperStation *) data)->holder = handle;
}

static void
gst_grouper_pad_reset (GstGrouperPad * pad)
{
  pad->gap_passed = G_MININT64;
  pad->max_epoch = -1;
  pad->synced = FALSE;
  pad->last_handed = NULL;
  pad->upstream_live = -1;
  pad->handed_flow = GST_FLOW_OK;
  /* the stations it held are gone already (see gst_grouper_reset_locked)
   * or never were: nothing to look at */
  if (pad->holders.heap)
    gst_weather_heap_clear (&pad->holders);
  else
    gst_weather_heap_init (&pad->holders, holder_compare, holder_moved);
}

static void
gst_grouper_pad_finalize (GObject * object)
{
  GstGrouperPad *pad = GST_GROUPER_PAD (object);

  gst_weather_heap_free (&pad->holders);
  G_OBJECT_CLASS (gst_grouper_pad_parent_class)->finalize (object);
}

static GstFlowReturn gst_grouper_pad_chain (GstPad * pad, GstObject * parent,
    GstBuffer * buffer);
static GstFlowReturn gst_grouper_pad_chain_list (GstPad * pad,
    GstObject * parent, GstBufferList * list);
static GstFlowReturn gst_grouper_pad_event (GstPad * pad, GstObject * parent,
    GstEvent * event);

static void
gst_grouper_pad_constructed (GObject * object)
{
  GstPad *pad = GST_PAD (object);

  G_OBJECT_CLASS (gst_grouper_pad_parent_class)->constructed (object);
  /* note each buffer (see gst_grouper_note_pending()) before GstAggregator
   * queues it, and see each event GstAggregator queues (GstAggregatorPad
   * handles events with an event-full function) */
  GST_GROUPER_PAD (pad)->aggregator_chain = GST_PAD_CHAINFUNC (pad);
  GST_GROUPER_PAD (pad)->aggregator_event = GST_PAD_EVENTFULLFUNC (pad);
  gst_pad_set_chain_function (pad, GST_DEBUG_FUNCPTR (gst_grouper_pad_chain));
  gst_pad_set_chain_list_function (pad,
      GST_DEBUG_FUNCPTR (gst_grouper_pad_chain_list));
  if (GST_GROUPER_PAD (pad)->aggregator_event)
    gst_pad_set_event_full_function (pad,
        GST_DEBUG_FUNCPTR (gst_grouper_pad_event));
}

static void
gst_grouper_pad_class_init (GstGrouperPadClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_grouper_pad_finalize;
  G_OBJECT_CLASS (klass)->constructed = gst_grouper_pad_constructed;
}

static void
gst_grouper_pad_init (GstGrouperPad * pad)
{
  gst_grouper_pad_reset (pad);
}

static GrouperStation *
gst_grouper_pad_slowest (GstGrouperPad * pad)
{
  return gst_weather_heap_peek (&pad->holders);
}

/* state_lock held */
static void
gst_grouper_station_leave_pad (GrouperStation * st)
{
  if (st->pad && st->holder != GST_WEATHER_HEAP_NONE)
    gst_weather_heap_remove (&st->pad->holders, st->holder);
  st->holder = GST_WEATHER_HEAP_NONE;
  st->pad = NULL;
}

/* -------------------------------------------------------------- element */

#define gst_grouper_parent_class parent_class
G_DEFINE_TYPE (GstGrouper, gst_grouper, GST_TYPE_AGGREGATOR);
GST_ELEMENT_REGISTER_DEFINE (grouper, "grouper", GST_RANK_NONE,
    GST_TYPE_GROUPER);

static void
grouper_window_free (GrouperWindow * w)
{
  g_hash_table_destroy (w->readings);
  g_array_free (w->slots, TRUE);
  g_free (w);
}

static gint
station_compare_id (gconstpointer a, gconstpointer b)
{
  const GrouperStation *sa = *(GrouperStation * const *) a;
  const GrouperStation *sb = *(GrouperStation * const *) b;

  return sa->id < sb->id ? -1 : (sa->id > sb->id ? 1 : 0);
}

static void
gst_grouper_sort_stations (GstGrouper * self)
{
  GHashTableIter iter;
  gpointer value;

  if (!self->sorted_dirty)
    return;
  g_ptr_array_set_size (self->sorted, 0);
  g_hash_table_iter_init (&iter, self->stations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->sorted, value);
  g_ptr_array_sort (self->sorted, station_compare_id);
  self->sorted_dirty = FALSE;
}

/* state_lock held. Drops all stream state; the stations of the stations
 * property come back as expected from the first window. */
static void
gst_grouper_reset_locked (GstGrouper * self)
{
  GList *l;
  guint i;

  g_queue_clear_full (&self->windows, (GDestroyNotify) grouper_window_free);
  g_hash_table_remove_all (self->stations);
  g_ptr_array_set_size (self->sorted, 0);
  self->sorted_dirty = TRUE;
  self->closed_upto = G_MININT64;
  self->have_origin = FALSE;
  self->segment_pending = FALSE;
  g_array_set_size (self->inline_outputs, 0);
  self->marker_pending = FALSE;
  /* what a stream of many stations grew is not kept for the next one */
  g_array_free (self->slots, TRUE);
  self->slots = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  g_mutex_lock (&self->pending_lock);
  self->pending_due = GST_CLOCK_TIME_NONE;
  self->pending_now = FALSE;
  g_mutex_unlock (&self->pending_lock);
  gst_segment_init (&self->src_segment, GST_FORMAT_TIME);

  GST_OBJECT_LOCK (self);
  self->cur_window = self->window;
  self->cur_station_timeout = self->station_timeout;
  for (i = 0; i < self->configured->len; i++) {
    GrouperStation *st = g_new0 (GrouperStation, 1);

    st->id = g_array_index (self->configured, guint32, i);
    st->holder = GST_WEATHER_HEAP_NONE;
    st->first_window = G_MININT64;
    st->until_window = G_MAXINT64;
    st->last_window = G_MININT64;
    st->last_epoch = -1;
    st->configured = TRUE;
    g_hash_table_replace (self->stations, GUINT_TO_POINTER (st->id), st);
  }
  g_mutex_lock (&self->sync_lock);
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    gst_grouper_pad_reset (GST_GROUPER_PAD (l->data));
  g_mutex_unlock (&self->sync_lock);
  GST_OBJECT_UNLOCK (self);
}

/* state_lock held: the last window a silent station is expected in, the
 * one before the window starting at or after last reading + timeout */
static gint64
gst_grouper_timeout_window (GstGrouper * self, GrouperStation * st)
{
  gint64 w = (gint64) self->cur_window;

  return (st->last_epoch + (gint64) self->cur_station_timeout + w - 1) / w - 1;
}

/* state_lock held. The station stays expected in the windows that start
 * less than station-timeout after its last reading (they may still be
 * open) and is dropped from the tables once they are closed. */
static void
gst_grouper_forget_station (GstGrouper * self, GrouperStation * st)
{
  GST_INFO_OBJECT (self, "station %u silent for longer than station-timeout:"
      " forgotten after window %" G_GINT64_FORMAT, st->id, st->last_window);
  gst_grouper_station_leave_pad (st);
  st->until_window = MAX (st->last_window,
      gst_grouper_timeout_window (self, st));
  GST_OBJECT_LOCK (self);
  self->forgotten++;
  GST_OBJECT_UNLOCK (self);
}

static GstStructure *
gst_grouper_get_stats (GstGrouper * self)
{
  GstStructure *s;
  guint n_stations;

  g_mutex_lock (&self->state_lock);
  n_stations = g_hash_table_size (self->stations);
  g_mutex_unlock (&self->state_lock);
  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("application/x-grouper-stats",
      "readings", G_TYPE_UINT64, self->readings,
      "groups", G_TYPE_UINT64, self->groups,
      "complete", G_TYPE_UINT64, self->complete,
      "incomplete", G_TYPE_UINT64, self->incomplete,
      "skipped", G_TYPE_UINT64, self->skipped,
      "late", G_TYPE_UINT64, self->late,
      "invalid", G_TYPE_UINT64, self->invalid,
      "replaced", G_TYPE_UINT64, self->replaced,
      "forgotten", G_TYPE_UINT64, self->forgotten,
      "stations", G_TYPE_UINT, n_stations, NULL);
  GST_OBJECT_UNLOCK (self);
  return s;
}

/* The later of two readings of one station in one window. */
static gboolean
reading_supersedes (const GstWeatherReading * a, const GstWeatherReading * b)
{
  if (a->created_at != b->created_at)
    return a->created_at > b->created_at;
  if (a->sequence != b->sequence)
    return a->sequence > b->sequence;
  return TRUE;
}

static GstWeatherReading *
grouper_window_lookup (GrouperWindow * w, guint32 station_id)
{
  guint pos = GPOINTER_TO_UINT (g_hash_table_lookup (w->readings,
          GUINT_TO_POINTER (station_id)));

  return pos ? &g_array_index (w->slots, GstWeatherReading, pos - 1) : NULL;
}

static GrouperWindow *
gst_grouper_get_window (GstGrouper * self, gint64 index)
{
  GList *l;
  GrouperWindow *w;

  /* readings mostly land in the newest windows: search from the tail */
  for (l = self->windows.tail; l; l = l->prev) {
    w = l->data;
    if (w->index == index)
      return w;
    if (w->index < index)
      break;
  }
  w = g_new0 (GrouperWindow, 1);
  w->index = index;
  w->readings = g_hash_table_new (NULL, NULL);
  w->slots = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  if (l)
    g_queue_insert_after (&self->windows, l, w);
  else
    g_queue_push_head (&self->windows, w);
  return w;
}

/* state_lock held */
static void
gst_grouper_take_origin (GstGrouper * self, GstGrouperPad * pad)
{
  GstSegment seg;
  gint64 origin;

  if (self->have_origin)
    return;

  GST_OBJECT_LOCK (pad);
  seg = GST_AGGREGATOR_PAD (pad)->segment;
  GST_OBJECT_UNLOCK (pad);

  origin = gst_weather_segment_to_epoch (&seg, seg.start);
  if (origin < 0) {
    GST_WARNING_OBJECT (pad, "no TIME segment with an epoch origin: the "
        "output is timed from %" G_GINT64_FORMAT, GST_WEATHER_REPLAY_START);
    origin = GST_WEATHER_REPLAY_START;
  }
  gst_weather_segment_init (&self->src_segment, origin);
  self->have_origin = TRUE;
  self->segment_pending = TRUE;
}

/* state_lock held */
static void
gst_grouper_add_reading (GstGrouper * self, GstGrouperPad * pad,
    GstBuffer * buf)
{
  GstWeatherReading reading, *slot;
  GrouperStation *st;
  GrouperWindow *w;
  GError *err = NULL;
  gint64 k;

  if (!gst_weather_reading_from_buffer (buf, &reading, &err)) {
    GST_WARNING_OBJECT (pad, "dropping invalid reading buffer: %s",
        err->message);
    g_clear_error (&err);
    GST_OBJECT_LOCK (self);
    self->invalid++;
    GST_OBJECT_UNLOCK (self);
    return;
  }
  reading.flags &= ~GST_WEATHER_READING_FLAG_MISSING;

  if (pad->released) {
    GST_WARNING_OBJECT (pad, "reading of station %u arrived while its pad "
        "was released: dropped", reading.station_id);
    GST_OBJECT_LOCK (self);
    self->late++;
    GST_OBJECT_UNLOCK (self);
    return;
  }

  gst_grouper_take_origin (self, pad);

  k = reading.created_at / (gint64) self->cur_window;

  GST_OBJECT_LOCK (self);
  self->readings++;
  GST_OBJECT_UNLOCK (self);

  if (k < self->closed_upto) {
    GST_WARNING_OBJECT (pad, "late reading of station %u created at %"
        G_GINT64_FORMAT " for window %" G_GINT64_FORMAT " (already closed):"
        " dropped", reading.station_id, reading.created_at, k);
    GST_OBJECT_LOCK (self);
    self->late++;
    GST_OBJECT_UNLOCK (self);
    return;
  }

  st = g_hash_table_lookup (self->stations,
      GUINT_TO_POINTER (reading.station_id));
  if (!st) {
    st = g_new0 (GrouperStation, 1);
    st->id = reading.station_id;
    st->holder = GST_WEATHER_HEAP_NONE;
    st->first_window = k;
    st->until_window = G_MAXINT64;
    st->last_window = G_MININT64;
    st->last_epoch = -1;
    g_hash_table_insert (self->stations, GUINT_TO_POINTER (st->id), st);
    self->sorted_dirty = TRUE;
    GST_DEBUG_OBJECT (pad, "new station %u from window %" G_GINT64_FORMAT,
        st->id, k);
  } else if (st->until_window != G_MAXINT64 && !st->configured) {
    /* back after its pad went away or after being forgotten: expected
     * again from now on (and without a hole if it was still expected) */
    if (k > st->until_window + 1)
      st->first_window = k;
    st->until_window = G_MAXINT64;
  } else if (k < st->first_window) {
    st->first_window = k;
  }
  if (reading.station_name[0])
    memcpy (st->name, reading.station_name, sizeof (st->name));

  if (st->pad != pad) {
    gst_grouper_station_leave_pad (st);
    st->pad = pad;
    st->last_window = MAX (st->last_window, k);
    gst_weather_heap_push (&pad->holders, st);
  } else if (k > st->last_window) {
    st->last_window = k;
    gst_weather_heap_update (&pad->holders, st->holder);
  }
  st->last_epoch = MAX (st->last_epoch, reading.created_at);
  pad->max_epoch = MAX (pad->max_epoch, reading.created_at);

  w = gst_grouper_get_window (self, k);
  slot = grouper_window_lookup (w, st->id);
  if (slot) {
    GST_OBJECT_LOCK (self);
    self->replaced++;
    GST_OBJECT_UNLOCK (self);
    if (reading_supersedes (&reading, slot))
      *slot = reading;
  } else {
    g_array_append_val (w->slots, reading);
    g_hash_table_insert (w->readings, GUINT_TO_POINTER (st->id),
        GUINT_TO_POINTER (w->slots->len));
  }
}

/* state_lock held */
static void
gst_grouper_add_gap (GstGrouper * self, GstGrouperPad * pad, GstBuffer * buf)
{
  GstClockTime end = GST_BUFFER_PTS (buf);
  GstSegment seg;
  gint64 epoch;

  if (!GST_CLOCK_TIME_IS_VALID (end))
    return;
  if (GST_BUFFER_DURATION_IS_VALID (buf))
    end += GST_BUFFER_DURATION (buf);

  GST_OBJECT_LOCK (pad);
  seg = GST_AGGREGATOR_PAD (pad)->segment;
  GST_OBJECT_UNLOCK (pad);

  epoch = gst_weather_segment_to_epoch (&seg, end);
  if (epoch < 0)
    return;
  pad->gap_passed = MAX (pad->gap_passed, epoch / (gint64) self->cur_window);
  GST_LOG_OBJECT (pad, "GAP to %" G_GINT64_FORMAT ": windows before %"
      G_GINT64_FORMAT " done", epoch, pad->gap_passed);
}

/* state_lock held. Not live: the first window not yet finished on every
 * pad (G_MAXINT64 when all pads are at EOS). */
static gint64
gst_grouper_data_bound (GstGrouper * self, GList * pads)
{
  gint64 bound = G_MAXINT64;
  GList *l;

  for (l = pads; l; l = l->next) {
    GstGrouperPad *pad = l->data;
    GrouperStation *st;
    gint64 passed = pad->gap_passed;

    if (pad->released)
      continue;
    if (gst_aggregator_pad_is_eos (GST_AGGREGATOR_PAD (pad)) &&
        !gst_aggregator_pad_has_buffer (GST_AGGREGATOR_PAD (pad)))
      continue;

    while ((st = gst_grouper_pad_slowest (pad))) {
      if (self->cur_station_timeout > 0 && !st->configured &&
          pad->max_epoch - st->last_epoch >= (gint64) self->cur_station_timeout)
        gst_grouper_forget_station (self, st);
      else
        break;
    }
    if (st)
      passed = MAX (passed, st->last_window);
    bound = MIN (bound, passed);
  }
  return bound;
}

/* state_lock held. Live: the first window whose end plus the latency the
 * clock has not passed yet. */
static gint64
gst_grouper_clock_bound (GstGrouper * self, GstClockTime latency)
{
  GstClockTime now, pos;
  gint64 epoch;

  if (!self->have_origin)
    return G_MININT64;
  now = gst_element_get_current_running_time (GST_ELEMENT (self));
  if (!GST_CLOCK_TIME_IS_VALID (now) || now < latency)
    return G_MININT64;
  pos = gst_segment_position_from_running_time (&self->src_segment,
      GST_FORMAT_TIME, now - latency);
  epoch = gst_weather_segment_to_epoch (&self->src_segment, pos);
  if (epoch < 0)
    return G_MININT64;
  return epoch / (gint64) self->cur_window;
}

/* state_lock held. The summary is made only when someone takes it: the
 * bus (@post) or the samples-selected signal (@summarize). */
static GrouperOutput
gst_grouper_close_window (GstGrouper * self, GrouperWindow * w,
    guint min_stations, GstGrouperQuorumPolicy policy, gboolean post,
    gboolean summarize)
{
  GrouperOutput out = { NULL, NULL, post };
  GstWeatherGroup group;
  GPtrArray *forget = NULL, *gone = NULL;
  gint64 start = w->index * (gint64) self->cur_window;
  gint64 end = start + (gint64) self->cur_window;
  guint i, n_expected, n_present;
  gboolean incomplete;

  gst_grouper_sort_stations (self);

  /* one pass over the stations, in id order: the slots of those expected
   * in this window, the stations to forget and those to drop */
  g_array_set_size (self->slots, 0);
  for (i = 0; i < self->sorted->len; i++) {
    GrouperStation *st = g_ptr_array_index (self->sorted, i);
    GstWeatherReading *r, missing;

    if (st->until_window < w->index && !st->configured) {
      if (!gone)
        gone = g_ptr_array_new ();
      g_ptr_array_add (gone, st);
      continue;
    }
    if (st->first_window > w->index || st->until_window < w->index)
      continue;
    if (self->cur_station_timeout > 0 && !st->configured &&
        st->last_epoch >= 0 &&
        w->index > gst_grouper_timeout_window (self, st) &&
        !g_hash_table_contains (w->readings, GUINT_TO_POINTER (st->id))) {
      if (!forget)
        forget = g_ptr_array_new ();
      g_ptr_array_add (forget, st);
      continue;
    }
    r = grouper_window_lookup (w, st->id);
    if (!r) {
      gst_weather_reading_init (&missing);
      missing.flags = GST_WEATHER_READING_FLAG_MISSING;
      missing.station_id = st->id;
      memcpy (missing.station_name, st->name, sizeof (st->name));
      r = &missing;
    }
    g_array_append_vals (self->slots, r, 1);
  }

  n_expected = self->slots->len;
  n_present = g_hash_table_size (w->readings);
  incomplete = n_present < min_stations;

  if (post || summarize)
    out.summary = gst_structure_new ("weather-group",
        "window-start", G_TYPE_INT64, start,
        "window-end", G_TYPE_INT64, end,
        "expected", G_TYPE_UINT, n_expected,
        "present", G_TYPE_UINT, n_present,
        "incomplete", G_TYPE_BOOLEAN, incomplete,
        "skipped", G_TYPE_BOOLEAN,
        incomplete && policy == GST_GROUPER_QUORUM_SKIP, NULL);

  if (incomplete && policy == GST_GROUPER_QUORUM_SKIP) {
    GST_DEBUG_OBJECT (self, "window %" G_GINT64_FORMAT ": %u of %u stations,"
        " below min-stations %u: skipped", w->index, n_present, n_expected,
        min_stations);
    GST_OBJECT_LOCK (self);
    self->skipped++;
    GST_OBJECT_UNLOCK (self);
    goto done;
  }

  memset (&group, 0, sizeof (group));
  group.n_slots = n_expected;
  group.slots = (GstWeatherReading *) self->slots->data;
  group.window_start = start;
  group.window_end = end;
  group.n_present = n_present;
  group.flags = incomplete ? GST_WEATHER_GROUP_FLAG_INCOMPLETE : 0;

  out.buffer = gst_weather_group_to_buffer (&group);
  if (out.buffer) {
    GST_BUFFER_PTS (out.buffer) =
        gst_weather_segment_from_epoch (&self->src_segment, start);
    GST_BUFFER_DURATION (out.buffer) = self->cur_window;
  }

  GST_LOG_OBJECT (self, "window %" G_GINT64_FORMAT ": %u of %u stations%s",
      w->index, n_present, n_expected, incomplete ? " (incomplete)" : "");
  GST_OBJECT_LOCK (self);
  self->groups++;
  if (incomplete)
    self->incomplete++;
  else
    self->complete++;
  GST_OBJECT_UNLOCK (self);

done:
  if (gone) {
    for (i = 0; i < gone->len; i++) {
      GrouperStation *st = g_ptr_array_index (gone, i);

      GST_DEBUG_OBJECT (self, "station %u dropped from the tables", st->id);
      g_hash_table_remove (self->stations, GUINT_TO_POINTER (st->id));
    }
    self->sorted_dirty = TRUE;
    g_ptr_array_free (gone, TRUE);
  }
  if (forget) {
    for (i = 0; i < forget->len; i++)
      gst_grouper_forget_station (self, g_ptr_array_index (forget, i));
    g_ptr_array_free (forget, TRUE);
  }
  return out;
}

/* state_lock held: closes the windows below @bound, in order, appending
 * their GrouperOutput to @outputs. */
static void
gst_grouper_close_until (GstGrouper * self, gint64 bound, GArray * outputs)
{
  guint min_stations;
  GstGrouperQuorumPolicy policy;
  gboolean post, summarize;

  if (bound <= self->closed_upto)
    return;

  GST_OBJECT_LOCK (self);
  min_stations = self->min_stations;
  policy = self->quorum_policy;
  post = self->post_messages;
  summarize = self->emit_signals;
  GST_OBJECT_UNLOCK (self);

  while (!g_queue_is_empty (&self->windows)) {
    GrouperWindow *w = g_queue_peek_head (&self->windows);
    GrouperOutput out;

    if (w->index >= bound)
      break;
    g_queue_pop_head (&self->windows);
    out = gst_grouper_close_window (self, w, min_stations, policy, post,
        summarize);
    if (out.buffer || out.summary)
      g_array_append_val (outputs, out);
    grouper_window_free (w);
  }
  self->closed_upto = bound;
}

static GstFlowReturn
gst_grouper_aggregate (GstAggregator * agg, gboolean timeout)
{
  GstGrouper *self = GST_GROUPER (agg);
  GstFlowReturn ret = GST_FLOW_OK;
  GList *pads, *l;
  GArray *outputs;
  GstClockTime latency;
  gboolean all_eos = TRUE, push_segment, live;
  GstSegment segment;
  guint i;

  outputs = g_array_new (FALSE, FALSE, sizeof (GrouperOutput));

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->sinkpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);

  latency = gst_aggregator_get_latency (agg);
  live = GST_CLOCK_TIME_IS_VALID (latency);

  g_mutex_lock (&self->pending_lock);
  self->pending_due = GST_CLOCK_TIME_NONE;
  self->pending_now = FALSE;
  g_mutex_unlock (&self->pending_lock);

  g_mutex_lock (&self->state_lock);
  /* what the streaming thread closed comes before anything closed here */
  if (self->inline_outputs->len > 0) {
    g_array_append_vals (outputs, self->inline_outputs->data,
        self->inline_outputs->len);
    /* the outputs moved: no clear function on the old copies */
    g_array_set_clear_func (self->inline_outputs, NULL);
    g_array_set_size (self->inline_outputs, 0);
    g_array_set_clear_func (self->inline_outputs,
        (GDestroyNotify) grouper_output_clear);
  }
  for (l = pads; l; l = l->next) {
    GstGrouperPad *pad = l->data;
    GstBuffer *buf;

    /* Live or a single pad: take everything queued. Not live with several
     * pads: one buffer per pad and call, as GstAggregator offers them, so
     * that the pads advance together and a producer feeding several pads
     * from one thread is never left waiting on a pad emptied ahead. */
    while ((buf = gst_aggregator_pad_pop_buffer (GST_AGGREGATOR_PAD (pad)))) {
      gboolean gap = GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP) &&
          gst_buffer_get_size (buf) == 0;

      g_mutex_lock (&self->sync_lock);
      if (buf == pad->last_handed) {
        /* everything handed over on this pad has been taken now */
        pad->synced = TRUE;
        pad->last_handed = NULL;
      }
      g_mutex_unlock (&self->sync_lock);
      if (grouper_buffer_is_marker (buf)) {
        /* what it announced was moved to outputs above */
        self->marker_pending = FALSE;
        gst_buffer_unref (buf);
        if (!live && pads->next)
          break;
        continue;
      }
      if (gap)
        gst_grouper_add_gap (self, pad, buf);
      else
        gst_grouper_add_reading (self, pad, buf);
      gst_buffer_unref (buf);
      if (live)
        continue;
      /* Not live, the windows close as the data says, item by item, so
       * that what is late does not depend on how many items were queued
       * together (with several pads, at least after each GAP). */
      if (gap || !pads->next)
        gst_grouper_close_until (self, gst_grouper_data_bound (self, pads),
            outputs);
      if (pads->next)
        break;
    }
    if (!gst_aggregator_pad_is_eos (GST_AGGREGATOR_PAD (pad)))
      all_eos = FALSE;
  }

  /* with no pad at all (all released while live) nothing has ended */
  if (pads == NULL)
    all_eos = FALSE;

  if (all_eos) {
    gst_grouper_close_until (self, G_MAXINT64, outputs);
  } else if (GST_CLOCK_TIME_IS_VALID (latency)) {
    gst_grouper_close_until (self, gst_grouper_clock_bound (self, latency),
        outputs);
  } else {
    gst_grouper_close_until (self, gst_grouper_data_bound (self, pads),
        outputs);
  }

  push_segment = self->segment_pending && outputs->len > 0;
  if (push_segment) {
    segment = self->src_segment;
    self->segment_pending = FALSE;
  }
  g_mutex_unlock (&self->state_lock);

  g_list_free_full (pads, gst_object_unref);

  if (push_segment)
    gst_aggregator_update_segment (agg, &segment);

  for (i = 0; i < outputs->len; i++) {
    GrouperOutput *out = &g_array_index (outputs, GrouperOutput, i);

    if (out->buffer && ret == GST_FLOW_OK) {
      GstBuffer *buf = out->buffer;

      /* the group's summary goes to GstAggregator's samples-selected
       * signal (emit-signals=true) as its info structure */
      out->buffer = NULL;
      gst_aggregator_selected_samples (agg, GST_BUFFER_PTS (buf),
          GST_CLOCK_TIME_NONE, GST_BUFFER_DURATION (buf), out->summary);
      ret = gst_aggregator_finish_buffer (agg, buf);
    }
    g_clear_pointer (&out->buffer, gst_buffer_unref);
    if (out->post) {
      gst_element_post_message (GST_ELEMENT (self),
          gst_message_new_element (GST_OBJECT (self), out->summary));
      out->summary = NULL;
    }
    g_clear_pointer (&out->summary, gst_structure_free);
  }
  g_array_free (outputs, TRUE);

  if (ret != GST_FLOW_OK)
    return ret;
  if (all_eos)
    return GST_FLOW_EOS;
  return GST_FLOW_OK;
}

/* state_lock held: the running time at which window @index is due, before
 * the latency */
static GstClockTime
gst_grouper_window_end_running_time (GstGrouper * self, gint64 index)
{
  gint64 end = (index + 1) * (gint64) self->cur_window;
  GstClockTime pos = gst_weather_segment_from_epoch (&self->src_segment, end);

  /* a window ending before the origin is already due */
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return 0;
  return gst_segment_to_running_time (&self->src_segment, GST_FORMAT_TIME, pos);
}

/* Live: a silent pad keeps GstAggregator from calling aggregate() before a
 * timeout, so the readings waiting on the other pads must give the
 * timeout: the end of their window, or "now" for anything else. Every
 * buffer is noted here on its way into the pad's queue. */
static void
gst_grouper_note_pending (GstGrouper * self, GstBuffer * buffer)
{
  GstWeatherReading r;

  /* only the leaf pending_lock here: this runs in the pad's chain */
  if (gst_buffer_get_size (buffer) > 0 && GST_BUFFER_PTS_IS_VALID (buffer) &&
      gst_weather_reading_from_buffer (buffer, &r, NULL)) {
    gint64 w = (gint64) self->cur_window;
    gint64 to_end = (r.created_at / w + 1) * w - r.created_at;
    /* the PTS is created_at in running time (segment start and base 0 as
     * every weather stream has them), so the window ends to_end later */
    GstClockTime due = GST_BUFFER_PTS (buffer) + to_end;

    g_mutex_lock (&self->pending_lock);
    self->pending_due = MIN (self->pending_due, due);
    g_mutex_unlock (&self->pending_lock);
  } else {
    g_mutex_lock (&self->pending_lock);
    self->pending_now = TRUE;
    g_mutex_unlock (&self->pending_lock);
  }
}

/* Whether upstream of @pad is live, asked once per stream. */
static gboolean
gst_grouper_pad_upstream_live (GstGrouper * self, GstGrouperPad * pad)
{
  GstQuery *query;
  gboolean live = FALSE;
  gint known;

  g_mutex_lock (&self->sync_lock);
  known = pad->upstream_live;
  g_mutex_unlock (&self->sync_lock);
  if (known >= 0)
    return known;

  /* no answer: not live, as GstAggregator then takes it too (and while
   * it reports a latency, nothing is added here, see below) */
  query = gst_query_new_latency ();
  if (gst_pad_peer_query (GST_PAD (pad), query))
    gst_query_parse_latency (query, &live, NULL, NULL);
  gst_query_unref (query);
  GST_DEBUG_OBJECT (pad, "upstream is %slive", live ? "" : "not ");

  g_mutex_lock (&self->sync_lock);
  pad->upstream_live = live ? 1 : 0;
  g_mutex_unlock (&self->sync_lock);
  return live;
}

/* On the only sink pad, once GstAggregator has taken everything handed to
 * it on the pad (so the pad's segment and every earlier GAP are applied),
 * a reading goes into the tables right here, in the streaming thread.
 * Not live, the windows it finishes are closed here too, exactly as
 * aggregate() would do item by item, and GstAggregator's thread is woken
 * only when a window was closed, by a marker buffer, to push the groups.
 * Live, aggregate() closes the windows when the clock says so, and a
 * marker wakes GstAggregator's thread only when the earliest open window
 * changed, so that it waits for the right time. This saves a wake-up of
 * the aggregator thread per reading. Returns FALSE when @buffer must go
 * through GstAggregator instead; *@marker is set when one must be handed
 * over. Within a list (@in_list), not live, that is only once
 * GROUPS_PER_MARKER groups wait: the caller hands one over for the rest
 * at the end of the list. */
static gboolean
gst_grouper_add_inline (GstGrouper * self, GstGrouperPad * pad,
    GstBuffer * buffer, gboolean in_list, GstBuffer ** marker)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GList single = { pad, NULL, NULL };
  guint n_sinkpads, n_outputs;
  gboolean inline_ok, live = FALSE, upstream_live, agg_live;
  GrouperWindow *head;
  gint64 head_before;

  *marker = NULL;
  g_mutex_lock (&self->sync_lock);
  /* without seeing the events GstAggregator queues, never */
  inline_ok = pad->synced && pad->aggregator_event != NULL;
  g_mutex_unlock (&self->sync_lock);
  /* only this streaming thread makes the pad unsynced (flushes aside,
   * which wait for it): what was read stays true below */
  if (inline_ok) {
    GST_OBJECT_LOCK (self);
    n_sinkpads = GST_ELEMENT (self)->numsinkpads;
    GST_OBJECT_UNLOCK (self);
    /* cheapest first: with one pad per station this is where it stops */
    if (n_sinkpads != 1 || gst_buffer_get_size (buffer) == 0) {
      inline_ok = FALSE;
    } else {
      /* only when aggregate() sees the same: GstAggregator reports a
       * latency once it has the answer of a live upstream */
      upstream_live = gst_grouper_pad_upstream_live (self, pad);
      agg_live = GST_CLOCK_TIME_IS_VALID (gst_aggregator_get_latency (agg));
      if (upstream_live != agg_live)
        inline_ok = FALSE;
      live = agg_live;
    }
  }

  if (inline_ok) {
    g_mutex_lock (&self->state_lock);
    if (pad->released || self->inline_outputs->len >= MAX_INLINE_GROUPS) {
      g_mutex_unlock (&self->state_lock);
      inline_ok = FALSE;
    }
  }
  if (!inline_ok) {
    /* aggregate() takes it; once it has, the pad is synced again */
    g_mutex_lock (&self->sync_lock);
    pad->synced = FALSE;
    pad->last_handed = buffer;
    g_mutex_unlock (&self->sync_lock);
    return FALSE;
  }

  head = g_queue_peek_head (&self->windows);
  head_before = head ? head->index : G_MAXINT64;
  gst_grouper_add_reading (self, pad, buffer);
  if (live) {
    head = g_queue_peek_head (&self->windows);
    if (head && head->index != head_before && !self->marker_pending) {
      self->marker_pending = TRUE;
      *marker = grouper_marker_new ();
    }
    g_mutex_unlock (&self->state_lock);
    return TRUE;
  }
  n_outputs = self->inline_outputs->len;
  gst_grouper_close_until (self, gst_grouper_data_bound (self, &single),
      self->inline_outputs);
  /* a marker when windows were closed and none is on its way, so that the
   * pushing thread does not wait for aggregate() at every window (see
   * GROUPS_PER_MARKER); within a list, only once GROUPS_PER_MARKER wait,
   * the list's end handing over the rest */
  if (self->inline_outputs->len > n_outputs && ((!in_list &&
              !self->marker_pending) ||
          self->inline_outputs->len >= GROUPS_PER_MARKER)) {
    self->marker_pending = TRUE;
    *marker = grouper_marker_new ();
  }
  g_mutex_unlock (&self->state_lock);
  return TRUE;
}

/* @buffer goes through GstAggregator, to be taken by aggregate(). */
static GstFlowReturn
gst_grouper_hand_buffer (GstGrouper * self, GstGrouperPad * pad,
    GstBuffer * buffer)
{
  GstFlowReturn ret;

  gst_grouper_note_pending (self, buffer);
  ret = pad->aggregator_chain (GST_PAD (pad), GST_OBJECT (self), buffer);
  if (ret != GST_FLOW_OK) {
    /* refused, so never taken: its address may come back as another
     * buffer, which must not pass for it */
    g_mutex_lock (&self->sync_lock);
    if (pad->last_handed == buffer)
      pad->last_handed = NULL;
    g_mutex_unlock (&self->sync_lock);
  }
  return ret;
}

/* @marker wakes aggregate() to push what was closed inline. */
static GstFlowReturn
gst_grouper_hand_marker (GstGrouper * self, GstGrouperPad * pad,
    GstBuffer * marker)
{
  GstFlowReturn ret;

  ret = pad->aggregator_chain (GST_PAD (pad), GST_OBJECT (self), marker);
  if (ret != GST_FLOW_OK) {
    /* refused: the next window closed here hands over another */
    g_mutex_lock (&self->state_lock);
    self->marker_pending = FALSE;
    g_mutex_unlock (&self->state_lock);
  }
  g_mutex_lock (&self->sync_lock);
  pad->handed_flow = ret;
  g_mutex_unlock (&self->sync_lock);
  return ret;
}

static GstFlowReturn
gst_grouper_pad_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstGrouper *self = GST_GROUPER (parent);
  GstGrouperPad *gpad = GST_GROUPER_PAD (pad);
  GstBuffer *marker;
  GstFlowReturn ret;

  if (!gst_grouper_add_inline (self, gpad, buffer, FALSE, &marker))
    return gst_grouper_hand_buffer (self, gpad, buffer);
  gst_buffer_unref (buffer);

  if (marker)
    return gst_grouper_hand_marker (self, gpad, marker);

  /* an error or EOS from downstream, seen by the last hand-over */
  g_mutex_lock (&self->sync_lock);
  ret = gpad->handed_flow;
  g_mutex_unlock (&self->sync_lock);
  return ret;
}

/* A list is taken reading by reading, in order, up to the first that is
 * refused; its groups are announced to aggregate() once per
 * GROUPS_PER_MARKER and at its end, not at every window. */
static GstFlowReturn
gst_grouper_pad_chain_list (GstPad * pad, GstObject * parent,
    GstBufferList * list)
{
  GstGrouper *self = GST_GROUPER (parent);
  GstGrouperPad *gpad = GST_GROUPER_PAD (pad);
  GstFlowReturn ret = GST_FLOW_OK;
  guint i, n = gst_buffer_list_length (list);
  GstBuffer *marker = NULL;
  gboolean inline_added = FALSE;

  for (i = 0; i < n && ret == GST_FLOW_OK; i++) {
    GstBuffer *buffer = gst_buffer_ref (gst_buffer_list_get (list, i));

    if (gst_grouper_add_inline (self, gpad, buffer, TRUE, &marker)) {
      gst_buffer_unref (buffer);
      inline_added = TRUE;
      if (marker)
        ret = gst_grouper_hand_marker (self, gpad, marker);
      marker = NULL;
    } else {
      ret = gst_grouper_hand_buffer (self, gpad, buffer);
    }
  }
  gst_buffer_list_unref (list);
  if (ret != GST_FLOW_OK || !inline_added)
    return ret;

  /* what the list closed and no marker announced yet */
  g_mutex_lock (&self->state_lock);
  if (self->inline_outputs->len > 0 && !self->marker_pending) {
    self->marker_pending = TRUE;
    marker = grouper_marker_new ();
  }
  g_mutex_unlock (&self->state_lock);
  if (marker)
    return gst_grouper_hand_marker (self, gpad, marker);

  g_mutex_lock (&self->sync_lock);
  ret = gpad->handed_flow;
  g_mutex_unlock (&self->sync_lock);
  return ret;
}

/* Serialized events queue in GstAggregator behind what was handed over:
 * until aggregate() has taken a buffer handed after them, readings go the
 * same way (see gst_grouper_add_inline()). */
static GstFlowReturn
gst_grouper_pad_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstGrouper *self = GST_GROUPER (parent);
  GstGrouperPad *gpad = GST_GROUPER_PAD (pad);

  if (GST_EVENT_IS_SERIALIZED (event) &&
      GST_EVENT_TYPE (event) != GST_EVENT_FLUSH_STOP) {
    g_mutex_lock (&self->sync_lock);
    gpad->synced = FALSE;
    gpad->last_handed = NULL;
    if (GST_EVENT_TYPE (event) == GST_EVENT_STREAM_START)
      gpad->upstream_live = -1;
    g_mutex_unlock (&self->sync_lock);
  } else if (GST_EVENT_TYPE (event) == GST_EVENT_FLUSH_STOP) {
    GstFlowReturn ret = gpad->aggregator_event (pad, parent, event);

    /* GstAggregator emptied the pad: a FLUSHING answer to a hand-over
     * during the flush must not stick */
    g_mutex_lock (&self->sync_lock);
    gpad->synced = FALSE;
    gpad->last_handed = NULL;
    gpad->upstream_live = -1;
    gpad->handed_flow = GST_FLOW_OK;
    g_mutex_unlock (&self->sync_lock);
    return ret;
  }
  return gpad->aggregator_event (pad, parent, event);
}

static GstClockTime
gst_grouper_get_next_time (GstAggregator * agg)
{
  GstGrouper *self = GST_GROUPER (agg);
  GstClockTime rt = GST_CLOCK_TIME_NONE;

  GstClockTime pending_due;
  gboolean pending_now;

  g_mutex_lock (&self->pending_lock);
  pending_due = self->pending_due;
  pending_now = self->pending_now;
  g_mutex_unlock (&self->pending_lock);

  g_mutex_lock (&self->state_lock);
  if (self->have_origin && !g_queue_is_empty (&self->windows)) {
    GrouperWindow *w = g_queue_peek_head (&self->windows);

    rt = gst_grouper_window_end_running_time (self, w->index);
  }
  if (pending_now)
    rt = 0;
  else if (GST_CLOCK_TIME_IS_VALID (pending_due) &&
      (!GST_CLOCK_TIME_IS_VALID (rt) || pending_due < rt))
    rt = pending_due;
  g_mutex_unlock (&self->state_lock);
  return rt;
}

static GstFlowReturn
gst_grouper_flush (GstAggregator * agg)
{
  GstGrouper *self = GST_GROUPER (agg);

  g_mutex_lock (&self->state_lock);
  gst_grouper_reset_locked (self);
  g_mutex_unlock (&self->state_lock);
  return GST_FLOW_OK;
}

static gboolean
gst_grouper_start (GstAggregator * agg)
{
  GstGrouper *self = GST_GROUPER (agg);

  g_mutex_lock (&self->state_lock);
  gst_grouper_reset_locked (self);
  GST_OBJECT_LOCK (self);
  self->readings = self->groups = self->complete = self->incomplete = 0;
  self->skipped = self->late = self->invalid = self->replaced = 0;
  self->forgotten = 0;
  GST_OBJECT_UNLOCK (self);
  g_mutex_unlock (&self->state_lock);
  return TRUE;
}

static gboolean
gst_grouper_stop (GstAggregator * agg)
{
  return gst_grouper_flush (agg) == GST_FLOW_OK;
}

static void
gst_grouper_release_pad (GstElement * element, GstPad * pad)
{
  GstGrouper *self = GST_GROUPER (element);
  GstGrouperPad *gpad = GST_GROUPER_PAD (pad);
  GHashTableIter iter;
  gpointer value;

  g_mutex_lock (&self->state_lock);
  gpad->released = TRUE;
  g_hash_table_iter_init (&iter, self->stations);
  while (g_hash_table_iter_next (&iter, NULL, &value)) {
    GrouperStation *st = value;

    if (st->pad != gpad)
      continue;
    /* expected up to the last window it sent a reading for */
    gst_grouper_station_leave_pad (st);
    if (!st->configured)
      st->until_window = st->last_window;
    GST_DEBUG_OBJECT (self, "station %u no longer expected after window %"
        G_GINT64_FORMAT, st->id, st->last_window);
  }
  g_mutex_unlock (&self->state_lock);

  GST_ELEMENT_CLASS (parent_class)->release_pad (element, pad);
}

static gboolean
gst_grouper_set_stations (GstGrouper * self, const GValue * value)
{
  guint i, n = gst_value_array_get_size (value);

  g_array_set_size (self->configured, 0);
  for (i = 0; i < n; i++) {
    const GValue *v = gst_value_array_get_value (value, i);
    guint32 id;

    if (G_VALUE_HOLDS_UINT (v))
      id = g_value_get_uint (v);
    else if (G_VALUE_HOLDS_INT (v) && g_value_get_int (v) >= 0)
      id = g_value_get_int (v);
    else
      return FALSE;
    g_array_append_val (self->configured, id);
  }
  return TRUE;
}

static void
gst_grouper_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstGrouper *self = GST_GROUPER (object);

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WINDOW:
      self->window = g_value_get_uint64 (value);
      break;
    case PROP_MIN_STATIONS:
      self->min_stations = g_value_get_uint (value);
      break;
    case PROP_QUORUM_POLICY:
      self->quorum_policy = g_value_get_enum (value);
      break;
    case PROP_STATIONS:
      if (!gst_grouper_set_stations (self, value)) {
        g_array_set_size (self->configured, 0);
        GST_WARNING_OBJECT (self, "stations: not a list of station ids "
            "(unsigned integers): ignored");
      }
      break;
    case PROP_STATION_TIMEOUT:
      self->station_timeout = g_value_get_uint64 (value);
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
gst_grouper_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstGrouper *self = GST_GROUPER (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_grouper_get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  switch (prop_id) {
    case PROP_WINDOW:
      g_value_set_uint64 (value, self->window);
      break;
    case PROP_MIN_STATIONS:
      g_value_set_uint (value, self->min_stations);
      break;
    case PROP_QUORUM_POLICY:
      g_value_set_enum (value, self->quorum_policy);
      break;
    case PROP_STATIONS:{
      guint i;

      for (i = 0; i < self->configured->len; i++) {
        GValue v = G_VALUE_INIT;

        g_value_init (&v, G_TYPE_UINT);
        g_value_set_uint (&v, g_array_index (self->configured, guint32, i));
        gst_value_array_append_and_take_value (value, &v);
      }
      break;
    }
    case PROP_STATION_TIMEOUT:
      g_value_set_uint64 (value, self->station_timeout);
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

static void
gst_grouper_finalize (GObject * object)
{
  GstGrouper *self = GST_GROUPER (object);

  g_queue_clear_full (&self->windows, (GDestroyNotify) grouper_window_free);
  g_hash_table_destroy (self->stations);
  g_ptr_array_free (self->sorted, TRUE);
  g_array_free (self->configured, TRUE);
  g_array_free (self->inline_outputs, TRUE);
  g_array_free (self->slots, TRUE);
  g_mutex_clear (&self->state_lock);
  g_mutex_clear (&self->pending_lock);
  g_mutex_clear (&self->sync_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_grouper_class_init (GstGrouperClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAggregatorClass *agg_class = GST_AGGREGATOR_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_grouper_debug, "grouper", 0, "weather grouper");
  marker_quark = g_quark_from_static_string ("gst-grouper-marker");

  gobject_class->set_property = gst_grouper_set_property;
  gobject_class->get_property = gst_grouper_get_property;
  gobject_class->finalize = gst_grouper_finalize;

  /**
   * GstGrouper:window:
   *
   * Length of a window in ns; windows are aligned to the UNIX epoch.
   * Default 1 s, at least 1 ms. Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "Length of a window in ns, aligned to the UNIX epoch",
          GST_MSECOND, G_MAXINT64 / 2, DEFAULT_WINDOW,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:min-stations:
   *
   * Quorum: a window with fewer stations present is incomplete and handled
   * by #GstGrouper:quorum-policy. Default 1.
   */
  g_object_class_install_property (gobject_class, PROP_MIN_STATIONS,
      g_param_spec_uint ("min-stations", "Minimum stations",
          "Stations that must be present for a complete group", 0,
          GST_WEATHER_GROUP_MAX_SLOTS, DEFAULT_MIN_STATIONS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGrouper:quorum-policy:
   *
   * What happens to a window below #GstGrouper:min-stations:
   * `emit-incomplete` (default) emits it with the INCOMPLETE flag, `skip`
   * drops it. Both are counted in #GstGrouper:stats.
   */
  g_object_class_install_property (gobject_class, PROP_QUORUM_POLICY,
      g_param_spec_enum ("quorum-policy", "Quorum policy",
          "What to do with a window below min-stations",
          GST_TYPE_GROUPER_QUORUM_POLICY, DEFAULT_QUORUM_POLICY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGrouper:stations:
   *
   * Station ids expected in every window whether they were seen or not
   * (gst-launch: stations="<1,2,3>"). Empty by default: the expected
   * stations are those seen. Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_STATIONS,
      gst_param_spec_array ("stations", "Stations",
          "Station ids expected in every window",
          g_param_spec_uint ("station", "Station", "Station id", 0,
              G_MAXUINT32, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS),
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:station-timeout:
   *
   * Event time in ns after its last reading at which a silent station is
   * forgotten (no longer expected, no longer holding windows open in a
   * non-live run). 0 (default): never; a silent station then stays
   * expected and is marked missing. Stations of #GstGrouper:stations are
   * never forgotten. Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_STATION_TIMEOUT,
      g_param_spec_uint64 ("station-timeout", "Station timeout",
          "Forget a station silent for this long (ns of event time), 0 = never",
          0, G_MAXINT64, DEFAULT_STATION_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:post-messages:
   *
   * Post a `weather-group` element message for every closed window
   * (window-start, window-end: gint64 epoch ns; expected, present: guint;
   * incomplete, skipped: gboolean). Default FALSE.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post a weather-group element message per closed window",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGrouper:stats:
   *
   * Counters since the element last started (guint64 unless said):
   * `readings` accepted, `groups` emitted, of them `complete` and
   * `incomplete`, `skipped` windows (below quorum with policy skip),
   * `late` readings (window already closed, dropped), `invalid` buffers
   * (not a reading record, dropped), `replaced` (a second reading of a
   * station in one window), `forgotten` stations (station-timeout), and
   * `stations` (guint) currently known.
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &sink_template, GST_TYPE_GROUPER_PAD);
  gst_element_class_add_static_pad_template_with_gtype (element_class,
      &src_template, GST_TYPE_AGGREGATOR_PAD);
  gst_element_class_set_static_metadata (element_class, "Weather grouper",
      "Combiner", "Groups the readings of many stations per time window",
      GST_WEATHER_AUTHOR);

  element_class->release_pad = GST_DEBUG_FUNCPTR (gst_grouper_release_pad);

  agg_class->aggregate = GST_DEBUG_FUNCPTR (gst_grouper_aggregate);
  agg_class->get_next_time = GST_DEBUG_FUNCPTR (gst_grouper_get_next_time);
  agg_class->flush = GST_DEBUG_FUNCPTR (gst_grouper_flush);
  agg_class->start = GST_DEBUG_FUNCPTR (gst_grouper_start);
  agg_class->stop = GST_DEBUG_FUNCPTR (gst_grouper_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_GROUPER_QUORUM_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_GROUPER_PAD, 0);
}

static void
gst_grouper_emit_signals_changed (GObject * object, GParamSpec * pspec,
    gpointer user_data)
{
  GstGrouper *self = GST_GROUPER (object);
  gboolean emit;

  g_object_get (object, "emit-signals", &emit, NULL);
  GST_OBJECT_LOCK (self);
  self->emit_signals = emit;
  GST_OBJECT_UNLOCK (self);
}

static void
gst_grouper_init (GstGrouper * self)
{
  self->window = DEFAULT_WINDOW;
  self->min_stations = DEFAULT_MIN_STATIONS;
  self->quorum_policy = DEFAULT_QUORUM_POLICY;
  self->station_timeout = DEFAULT_STATION_TIMEOUT;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->configured = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_mutex_init (&self->state_lock);
  g_mutex_init (&self->pending_lock);
  g_mutex_init (&self->sync_lock);
  self->stations = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->sorted = g_ptr_array_new ();
  self->sorted_dirty = TRUE;
  g_queue_init (&self->windows);
  self->inline_outputs = g_array_new (FALSE, FALSE, sizeof (GrouperOutput));
  self->slots = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
  g_array_set_clear_func (self->inline_outputs,
      (GDestroyNotify) grouper_output_clear);
  self->cur_window = DEFAULT_WINDOW;
  self->closed_upto = G_MININT64;
  self->pending_due = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->src_segment, GST_FORMAT_TIME);
  g_signal_connect (self, "notify::emit-signals",
      G_CALLBACK (gst_grouper_emit_signals_changed), NULL);
}
