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
 * per station. A pad takes one reading per buffer
 * (application/x-weather-reading) or batches of readings
 * (application/x-weather-reading-batch, preferred), which reorderqueue
 * pushes when it feeds the grouper: a batch costs GstAggregator one
 * hand-over for all its readings. The element keeps its own per-station
 * and per-window tables, so the work per reading does not depend on the
 * number of stations; with one pad per station GstAggregator itself visits
 * every pad on each wake-up (docs/elements/grouper.md), so very many
 * stations belong on one mixed pad.
 *
 * Everything happens in GstAggregator's aggregate(): buffers are taken
 * with gst_aggregator_pad_pop_buffer(), readings added one by one, and
 * each closed window pushed before the next one is closed. A window
 * closes:
 *
 * - live: when the clock passes the running time of the window's end plus
 *   the pipeline latency (GstAggregator's timeout through get_next_time(),
 *   see #GstAggregator:latency and the upstream LATENCY query);
 * - not live: when every pad has moved past the window's end: every station
 *   seen on the pad has a reading in a later window, or a GAP event on the
 *   pad reaches the end, or the pad is at EOS. A file replayed as fast as
 *   possible so gives the groups of a live run.
 *
 * A reading for a window that is already closed is late: it is dropped,
 * counted in #GstGrouper:stats and logged at WARNING level. So are records
 * that are not valid readings.
 *
 * The expected stations of a window are those of #GstGrouper:stations plus
 * every station seen from its first reading on. A station whose pad is
 * released stops being expected after the last window it sent a reading
 * for; a station silent for #GstGrouper:station-timeout is forgotten.
 * At most #GstGrouper:max-stations stations are known: beyond, the station
 * silent the longest is forgotten to make room (counted as `evicted`), so
 * a flood of station ids cannot take the memory or the groups of the
 * stations that keep sending. The readings held in open windows are
 * bounded by #GstGrouper:max-size-bytes: beyond, the earliest open window
 * is closed before it is due (counted as `closed-early`). A window in
 * which no station sent anything produces no group.
 *
 * #GstGrouper:group-by splits each window by key: `all` (default) makes
 * one group of every station, `station` one group per station, `region`
 * one per region. A station's region is the `region` of its line in
 * #GstGrouper:stations-file, else the one a region event (a custom
 * downstream event, gst_weather_region_event_new(), sent by mqttsrc's
 * `region-topic-level`) gave it, else a region of its own named like the
 * station. Every key has its own expected and missing stations and its
 * own quorum (#GstGrouper:min-stations applies to each group); a window
 * gives a group for each key that has a reading in it, in key order
 * (gst_weather_key_compare()), and the group carries the key. The windows
 * themselves are the same for every key, so the deadline of the earliest
 * open window is the earliest of all keys.
 *
 * At EOS the open windows are emitted, then EOS is forwarded.
 *
 * Each group's summary (a `weather-group` structure: window-start,
 * window-end, expected, present, incomplete, skipped, key-kind, key-id,
 * key-name) reaches applications
 * through GstAggregator's #GstAggregator::samples-selected signal (as its
 * info, with #GstAggregator:emit-signals) and, with
 * #GstGrouper:post-messages, as an element message on the bus; a group
 * skipped below quorum is reported there too.
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
#include "gstweatherfeed.h"
#include "gstweatherheap.h"

GST_DEBUG_CATEGORY_STATIC (gst_grouper_debug);
#define GST_CAT_DEFAULT gst_grouper_debug

#define DEFAULT_WINDOW GST_GROUPER_DEFAULT_WINDOW
#define MIN_WINDOW GST_GROUPER_MIN_WINDOW
#define MAX_WINDOW GST_GROUPER_MAX_WINDOW
#define DEFAULT_MIN_STATIONS GST_GROUPER_DEFAULT_MIN_STATIONS
#define DEFAULT_QUORUM_POLICY GST_GROUPER_DEFAULT_QUORUM_POLICY
#define DEFAULT_STATION_TIMEOUT GST_GROUPER_DEFAULT_STATION_TIMEOUT
#define MAX_STATION_TIMEOUT GST_GROUPER_MAX_STATION_TIMEOUT
#define DEFAULT_MAX_STATIONS GST_GROUPER_DEFAULT_MAX_STATIONS
#define DEFAULT_MAX_SIZE_BYTES GST_GROUPER_DEFAULT_MAX_SIZE_BYTES
#define DEFAULT_POST_MESSAGES FALSE
#define DEFAULT_GROUP_BY GST_GROUPER_DEFAULT_GROUP_BY

enum
{
  PROP_0,
  PROP_WINDOW,
  PROP_MIN_STATIONS,
  PROP_QUORUM_POLICY,
  PROP_STATIONS,
  PROP_STATION_TIMEOUT,
  PROP_MAX_STATIONS,
  PROP_MAX_SIZE_BYTES,
  PROP_POST_MESSAGES,
  PROP_GROUP_BY,
  PROP_STATIONS_FILE,
  PROP_STATS,
};

typedef struct _GrouperStation GrouperStation;

#define STATION_BLOCK 1024

/* What grouper keeps per station: a million stations keep a million of
 * these (docs/performance.md, "A million stations"). */
struct _GrouperStation
{
  guint32 id;
  /* dense, below the number of known stations: where the open windows
   * find its slot (GrouperWindow.pos) */
  guint32 index:31;
  /* listed in the stations property: never forgotten nor evicted, and
   * not in the least-recently-heard list */
  guint32 configured:1;
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
  /* where it is in its pad's holders, GST_WEATHER_HEAP_NONE: in none */
  GstWeatherHeapHandle holder;
  /* neighbours in GstGrouper's least-recently-heard list */
  GrouperStation *lru_prev;
  GrouperStation *lru_next;
  /* the key of its groups (group-by, its region, its name), allocated
   * only when group-by is not `all`: then GstGrouper.all_key is the key
   * of every station (gst_grouper_station_key()) */
  GstWeatherKey key[];
};

/* A reading held in an open window, without its station name: the slot
 * takes its station's name when the group is written, or the one kept in
 * GrouperWindow.names when they differ. 72 bytes instead of 128. */
typedef struct
{
  guint32 station_id;
  guint32 flags;
  gint64 created_at;
  gint64 received_at;
  guint64 sequence;
  gdouble temperature_c;
  gdouble pressure_hpa;
  gdouble humidity_pct;
  gdouble wind_speed_ms;
  gdouble wind_direction_deg;
} GrouperSlot;

typedef struct
{
  gint64 index;
  /* the readings, one per station (GrouperSlot), in arrival order, and
   * by GrouperStation.index their position + 1 (guint32, 0: none; as long
   * as the largest index of a station with a reading): 4 bytes a station
   * where a hash table took 24 (docs/performance.md) */
  GArray *slots;
  GArray *pos;
  /* station id -> the name of its slot (g_malloc'd), only where it is
   * not its station's name; NULL until there is one */
  GHashTable *names;
} GrouperWindow;

typedef struct
{
  GstBuffer *buffer;            /* NULL when skipped */
  GstStructure *summary;        /* the window's weather-group structure */
  gboolean post;                /* post the summary on the bus */
  gboolean incomplete;
} GrouperOutput;

/* The properties that may change while PLAYING, read once per
 * aggregate() call. */
typedef struct
{
  guint min_stations;
  GstGrouperQuorumPolicy policy;
  gboolean post;
  gboolean summarize;
  guint64 max_size_bytes;
} GrouperConfig;

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
  /* the caps are reading batches: a buffer holds one or more records */
  gboolean batched;
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
  guint max_stations;
  guint64 max_size_bytes;
  gboolean post_messages;
  GstWeatherKeyKind group_by;
  gchar *stations_file;
  /* GstAggregator's emit-signals, followed through notify */
  gboolean emit_signals;

  /* Lock order: GstAggregator's own locks (its get_next_time() runs
   * under its src lock), then state_lock, then GST_OBJECT_LOCK and the
   * pads' locks. Nothing that takes the src lock, posts a message or
   * pushes is called with state_lock held. */
  GMutex state_lock;
  /* everything below: state_lock */
  /* properties read when the element starts */
  gint64 cur_window;
  gint64 cur_station_timeout;
  guint cur_max_stations;
  GstWeatherKeyKind cur_group_by;
  /* the stations file read at start, NULL: none */
  GstWeatherStations *station_lines;
  /* guint32 station id -> region (owned string), from region events; kept
   * from start to stop, at most cur_max_stations entries */
  GHashTable *event_regions;
  /* guint32 id -> GrouperStation.index + 1 (32-bit values: a GHashTable
   * keeps them in 4 bytes instead of a pointer's 8) */
  GHashTable *stations;
  /* the stations themselves, GrouperStation.index in blocks of
   * STATION_BLOCK that never move (a station's size depends on
   * group-by, read at start): no allocation of its own per station */
  GPtrArray *station_blocks;
  /* GrouperStation.index: the next never given, and those given back */
  guint32 next_index;
  GArray *free_indices;
  GstWeatherKey all_key;        /* the key of every station with group-by=all */
  /* GrouperStation * by key, then id, when !sorted_dirty */
  GPtrArray *sorted;
  gboolean sorted_dirty;
  /* distinct keys in sorted */
  guint n_keys;
  /* the stations not in the stations property, least recently heard
   * first: the first one makes room when max-stations are known */
  GrouperStation *lru_head;
  GrouperStation *lru_tail;
  GQueue windows;               /* GrouperWindow *, ascending index */
  /* GST_WEATHER_READING_SIZE per reading held in the open windows */
  guint64 held_bytes;
  gint64 closed_upto;           /* windows below this index are closed */
  gboolean have_origin;
  /* the input segment the origin came from: running times of window ends
   * are taken through it */
  GstSegment in_segment;
  GstSegment src_segment;       /* start 0, time = origin */
  gboolean segment_pending;
  /* GstAggregator's latency at the last aggregate(), NONE: not live */
  GstClockTime latency;
  /* the element warning about max-stations: posted once per stream */
  gboolean full_warned;
  gboolean full_warn_pending;
  /* counters */
  guint64 readings;
  guint64 groups;
  guint64 complete;
  guint64 incomplete;
  guint64 skipped;
  guint64 late;
  guint64 invalid;
  guint64 replaced;
  guint64 forgotten;
  guint64 evicted;
  guint64 refused;
  guint64 closed_early;
  guint64 regions_refused;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink_%u",
    GST_PAD_SINK, GST_PAD_REQUEST,
    GST_STATIC_CAPS (GST_WEATHER_READING_BATCH_CAPS "; "
        GST_WEATHER_READING_CAPS));

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

/* The negotiated caps (batched) stay: they are not sent again after a
 * flush. */
static void
gst_grouper_pad_reset (GstGrouperPad * pad)
{
  pad->gap_passed = G_MININT64;
  pad->max_epoch = -1;
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

static void
gst_grouper_pad_class_init (GstGrouperPadClass * klass)
{
  G_OBJECT_CLASS (klass)->finalize = gst_grouper_pad_finalize;
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

/* state_lock held: @st was heard last of all */
static void
gst_grouper_lru_append (GstGrouper * self, GrouperStation * st)
{
  st->lru_prev = self->lru_tail;
  st->lru_next = NULL;
  if (self->lru_tail)
    self->lru_tail->lru_next = st;
  else
    self->lru_head = st;
  self->lru_tail = st;
}

static void
gst_grouper_lru_unlink (GstGrouper * self, GrouperStation * st)
{
  if (st->configured)
    return;
  if (st->lru_prev)
    st->lru_prev->lru_next = st->lru_next;
  else
    self->lru_head = st->lru_next;
  if (st->lru_next)
    st->lru_next->lru_prev = st->lru_prev;
  else
    self->lru_tail = st->lru_prev;
  st->lru_prev = st->lru_next = NULL;
}

/* state_lock held: the station of dense index @index */
static GrouperStation *
gst_grouper_station_at (GstGrouper * self, guint32 index)
{
  gsize size = sizeof (GrouperStation) +
      (self->cur_group_by != GST_WEATHER_KEY_ALL ? sizeof (GstWeatherKey) : 0);

  return (GrouperStation *) ((guint8 *)
      g_ptr_array_index (self->station_blocks, index / STATION_BLOCK) +
      (index % STATION_BLOCK) * size);
}

/* state_lock held: the station of @id, NULL when unknown */
static GrouperStation *
gst_grouper_lookup_station (GstGrouper * self, guint32 id)
{
  guint place = GPOINTER_TO_UINT (g_hash_table_lookup (self->stations,
          GUINT_TO_POINTER (id)));

  return place ? gst_grouper_station_at (self, place - 1) : NULL;
}

static void
gst_grouper_insert_station (GstGrouper * self, GrouperStation * st)
{
  g_hash_table_insert (self->stations, GUINT_TO_POINTER (st->id),
      GUINT_TO_POINTER (st->index + 1));
}

/* state_lock held (cur_group_by is read) */
static GrouperStation *
gst_grouper_station_new (GstGrouper * self, guint32 id, gboolean configured)
{
  gsize size = sizeof (GrouperStation) +
      (self->cur_group_by != GST_WEATHER_KEY_ALL ? sizeof (GstWeatherKey) : 0);
  GrouperStation *st;
  guint32 index;

  if (self->free_indices->len > 0) {
    index = g_array_index (self->free_indices, guint32,
        self->free_indices->len - 1);
    g_array_set_size (self->free_indices, self->free_indices->len - 1);
  } else {
    index = self->next_index++;
    if (index / STATION_BLOCK >= self->station_blocks->len)
      g_ptr_array_add (self->station_blocks, g_malloc (STATION_BLOCK * size));
  }
  st = gst_grouper_station_at (self, index);
  memset (st, 0, size);
  st->id = id;
  st->index = index;
  st->configured = configured;
  st->holder = GST_WEATHER_HEAP_NONE;
  st->first_window = G_MININT64;
  st->until_window = G_MAXINT64;
  st->last_window = G_MININT64;
  st->last_epoch = -1;
  return st;
}

/* state_lock held */
static const GstWeatherKey *
gst_grouper_station_key (GstGrouper * self, const GrouperStation * st)
{
  return self->cur_group_by == GST_WEATHER_KEY_ALL ? &self->all_key :
      &st->key[0];
}

/* state_lock held: the key of @st from group-by, its region (stations
 * file first, then region events, else its own) and its name; the order
 * of the stations is made again when it changes */
static void
gst_grouper_station_set_key (GstGrouper * self, GrouperStation * st)
{
  const gchar *region = NULL;
  GstWeatherKey key;

  /* one key for all, not kept per station */
  if (self->cur_group_by == GST_WEATHER_KEY_ALL)
    return;

  if (self->cur_group_by == GST_WEATHER_KEY_REGION) {
    const GstWeatherStation *line = self->station_lines ?
        gst_weather_stations_lookup_id (self->station_lines, st->id) : NULL;

    region = line ? line->region : NULL;
    if (!region)
      region = g_hash_table_lookup (self->event_regions,
          GUINT_TO_POINTER (st->id));
  }
  /* region names are checked where they come from (start, region events) */
  if (!gst_weather_key_for_station (&key, self->cur_group_by, st->id,
          st->name, region, NULL))
    gst_weather_key_for_station (&key, self->cur_group_by, st->id, st->name,
        NULL, NULL);
  if (!gst_weather_key_equal (&key, &st->key[0])) {
    GST_DEBUG_OBJECT (self, "station %u: key %s %u \"%s\"", st->id,
        gst_weather_key_kind_to_string (key.kind), key.id, key.name);
    st->key[0] = key;
    self->sorted_dirty = TRUE;
  }
}

/* state_lock held: forgets @st altogether (it is freed) */
static void
gst_grouper_drop_station (GstGrouper * self, GrouperStation * st)
{
  guint32 index = st->index;

  gst_grouper_station_leave_pad (st);
  gst_grouper_lru_unlink (self, st);
  self->sorted_dirty = TRUE;
  /* no open window holds a slot of it (gone: none after the window it
   * was last expected in; evicted: taken out), so the index is free */
  g_array_append_val (self->free_indices, index);
  g_hash_table_remove (self->stations, GUINT_TO_POINTER (st->id));
}

/* state_lock held */
static void
gst_grouper_window_free (GstGrouper * self, GrouperWindow * w)
{
  self->held_bytes -= (guint64) w->slots->len * GST_WEATHER_READING_SIZE;
  g_array_free (w->pos, TRUE);
  g_clear_pointer (&w->names, g_hash_table_destroy);
  g_array_free (w->slots, TRUE);
  g_free (w);
}

static guint32 *
grouper_window_pos (GrouperWindow * w, const GrouperStation * st)
{
  return st->index < w->pos->len ?
      &g_array_index (w->pos, guint32, st->index) : NULL;
}

static GrouperSlot *
grouper_window_lookup (GrouperWindow * w, const GrouperStation * st)
{
  guint32 *pos = grouper_window_pos (w, st);

  return pos && *pos ? &g_array_index (w->slots, GrouperSlot, *pos - 1) : NULL;
}

static void
grouper_slot_from_reading (GrouperSlot * slot, const GstWeatherReading * r)
{
  slot->station_id = r->station_id;
  slot->flags = r->flags;
  slot->created_at = r->created_at;
  slot->received_at = r->received_at;
  slot->sequence = r->sequence;
  slot->temperature_c = r->temperature_c;
  slot->pressure_hpa = r->pressure_hpa;
  slot->humidity_pct = r->humidity_pct;
  slot->wind_speed_ms = r->wind_speed_ms;
  slot->wind_direction_deg = r->wind_direction_deg;
}

/* @slot of @st in @w as a reading, with its name */
static void
grouper_window_reading (GrouperWindow * w, const GrouperStation * st,
    const GrouperSlot * slot, GstWeatherReading * r)
{
  const gchar *name = w->names ? g_hash_table_lookup (w->names,
      GUINT_TO_POINTER (st->id)) : NULL;

  r->station_id = slot->station_id;
  r->flags = slot->flags;
  r->created_at = slot->created_at;
  r->received_at = slot->received_at;
  r->sequence = slot->sequence;
  r->temperature_c = slot->temperature_c;
  r->pressure_hpa = slot->pressure_hpa;
  r->humidity_pct = slot->humidity_pct;
  r->wind_speed_ms = slot->wind_speed_ms;
  r->wind_direction_deg = slot->wind_direction_deg;
  memcpy (r->station_name, name ? name : st->name, sizeof (r->station_name));
}

static void
grouper_window_keep_name (GrouperWindow * w, guint32 station_id,
    const gchar * name)
{
  if (!w->names)
    w->names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_hash_table_insert (w->names, GUINT_TO_POINTER (station_id),
      g_memdup2 (name, GST_WEATHER_STATION_NAME_SIZE));
}

/* The slot of @st in @w now holds a reading named @name: kept in
 * w->names only when it is not the station's name. */
static void
grouper_window_set_name (GrouperWindow * w, const GrouperStation * st,
    const gchar * name)
{
  if (strncmp (name, st->name, sizeof (st->name)) != 0)
    grouper_window_keep_name (w, st->id, name);
  else if (w->names)
    g_hash_table_remove (w->names, GUINT_TO_POINTER (st->id));
}

/* state_lock held: takes the reading of @st out of @w, if any; the last
 * slot moves into its place */
static void
gst_grouper_window_remove (GstGrouper * self, GrouperWindow * w,
    GrouperStation * st)
{
  guint32 *pos = grouper_window_pos (w, st), at;
  guint last = w->slots->len;

  if (!pos || *pos == 0)
    return;
  at = *pos;
  *pos = 0;
  if (at != last) {
    GrouperSlot *moved = &g_array_index (w->slots, GrouperSlot, last - 1);
    GrouperStation *owner = gst_grouper_lookup_station (self,
        moved->station_id);

    g_array_index (w->slots, GrouperSlot, at - 1) = *moved;
    *grouper_window_pos (w, owner) = at;
  }
  g_array_set_size (w->slots, last - 1);
  if (w->names)
    g_hash_table_remove (w->names, GUINT_TO_POINTER (st->id));
  self->held_bytes -= GST_WEATHER_READING_SIZE;
}

static gint
station_compare_id (gconstpointer a, gconstpointer b)
{
  const GrouperStation *sa = *(GrouperStation * const *) a;
  const GrouperStation *sb = *(GrouperStation * const *) b;

  return sa->id < sb->id ? -1 : (sa->id > sb->id ? 1 : 0);
}

static gint
station_compare_key (gconstpointer a, gconstpointer b)
{
  const GrouperStation *sa = *(GrouperStation * const *) a;
  const GrouperStation *sb = *(GrouperStation * const *) b;
  /* only with group-by other than all: the stations have their own keys */
  gint c = gst_weather_key_compare (&sa->key[0], &sb->key[0]);

  return c ? c : station_compare_id (a, b);
}

/* state_lock held: the stations by key, then id (with group-by=all, the
 * one key, by id) */
static void
gst_grouper_sort_stations (GstGrouper * self)
{
  GHashTableIter iter;
  gpointer value;
  guint i;

  if (!self->sorted_dirty)
    return;
  g_ptr_array_set_size (self->sorted, 0);
  g_hash_table_iter_init (&iter, self->stations);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_ptr_array_add (self->sorted, gst_grouper_station_at (self,
            GPOINTER_TO_UINT (value) - 1));
  if (self->cur_group_by == GST_WEATHER_KEY_ALL) {
    g_ptr_array_sort (self->sorted, station_compare_id);
    self->n_keys = self->sorted->len > 0;
  } else {
    g_ptr_array_sort (self->sorted, station_compare_key);
    self->n_keys = 0;
    for (i = 0; i < self->sorted->len; i++) {
      if (i == 0 || !gst_weather_key_equal (&((GrouperStation *)
                  g_ptr_array_index (self->sorted, i))->key[0],
              &((GrouperStation *) g_ptr_array_index (self->sorted,
                      i - 1))->key[0]))
        self->n_keys++;
    }
  }
  self->sorted_dirty = FALSE;
}

/* state_lock held. Drops all stream state; the stations of the stations
 * property come back as expected from the first window. */
static void
gst_grouper_reset_locked (GstGrouper * self)
{
  GrouperWindow *w;
  GList *l;
  guint i;

  while ((w = g_queue_pop_head (&self->windows)))
    gst_grouper_window_free (self, w);
  g_hash_table_remove_all (self->stations);
  g_ptr_array_set_size (self->station_blocks, 0);
  self->next_index = 0;
  g_array_set_size (self->free_indices, 0);
  g_ptr_array_set_size (self->sorted, 0);
  self->sorted_dirty = TRUE;
  self->lru_head = self->lru_tail = NULL;
  self->closed_upto = G_MININT64;
  self->have_origin = FALSE;
  self->segment_pending = FALSE;
  self->full_warned = self->full_warn_pending = FALSE;
  gst_segment_init (&self->in_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->src_segment, GST_FORMAT_TIME);

  GST_OBJECT_LOCK (self);
  self->cur_window = (gint64) self->window;
  self->cur_station_timeout = (gint64) self->station_timeout;
  self->cur_max_stations = self->max_stations;
  self->cur_group_by = self->group_by;
  self->n_keys = 0;
  for (i = 0; i < self->configured->len; i++) {
    guint32 id = g_array_index (self->configured, guint32, i);
    GrouperStation *st;

    /* listed twice, one station */
    if (g_hash_table_contains (self->stations, GUINT_TO_POINTER (id)))
      continue;
    st = gst_grouper_station_new (self, id, TRUE);
    gst_grouper_station_set_key (self, st);
    gst_grouper_insert_station (self, st);
  }
  for (l = GST_ELEMENT (self)->sinkpads; l; l = l->next)
    gst_grouper_pad_reset (GST_GROUPER_PAD (l->data));
  GST_OBJECT_UNLOCK (self);
}

/* state_lock held: the last window a silent station is expected in, the
 * one before the window starting at or after last reading + timeout (a
 * sum past the last representable instant means never) */
static gint64
gst_grouper_timeout_window (GstGrouper * self, GrouperStation * st)
{
  gint64 w = self->cur_window;
  gint64 until = gst_weather_epoch_add (st->last_epoch,
      (guint64) self->cur_station_timeout);

  return until / w + (until % w != 0) - 1;
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
  self->forgotten++;
}

/* state_lock held. max-stations are known and a new one comes: the one
 * heard the longest ago is forgotten, its readings taken out of the open
 * windows. FALSE when every known station is in the stations property. */
static gboolean
gst_grouper_make_room (GstGrouper * self, guint32 newcomer)
{
  GrouperStation *st = self->lru_head;
  GList *l;

  if (!self->full_warned) {
    self->full_warned = TRUE;
    self->full_warn_pending = TRUE;
  }
  if (st == NULL) {
    GST_WARNING_OBJECT (self, "max-stations (%u) stations known, all of "
        "them listed in stations: reading of new station %u refused",
        self->cur_max_stations, newcomer);
    self->refused++;
    return FALSE;
  }
  GST_WARNING_OBJECT (self, "max-stations (%u) stations known: station %u, "
      "heard the longest ago, forgotten for new station %u",
      self->cur_max_stations, st->id, newcomer);
  for (l = self->windows.head; l; l = l->next)
    gst_grouper_window_remove (self, l->data, st);
  gst_grouper_drop_station (self, st);
  self->evicted++;
  return TRUE;
}

static GstStructure *
gst_grouper_get_stats (GstGrouper * self)
{
  GstStructure *s;

  g_mutex_lock (&self->state_lock);
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
      "evicted", G_TYPE_UINT64, self->evicted,
      "refused", G_TYPE_UINT64, self->refused,
      "closed-early", G_TYPE_UINT64, self->closed_early,
      "regions-refused", G_TYPE_UINT64, self->regions_refused,
      "stations", G_TYPE_UINT, g_hash_table_size (self->stations),
      "keys", G_TYPE_UINT, self->n_keys,
      "held-bytes", G_TYPE_UINT64, self->held_bytes, NULL);
  g_mutex_unlock (&self->state_lock);
  return s;
}

static void
gst_grouper_get_config (GstGrouper * self, GrouperConfig * cfg)
{
  GST_OBJECT_LOCK (self);
  cfg->min_stations = self->min_stations;
  cfg->policy = self->quorum_policy;
  cfg->post = self->post_messages;
  cfg->summarize = self->emit_signals;
  cfg->max_size_bytes = self->max_size_bytes;
  GST_OBJECT_UNLOCK (self);
}

/* The later of two readings of one station in one window. */
static gboolean
reading_supersedes (const GstWeatherReading * a, const GrouperSlot * b)
{
  if (a->created_at != b->created_at)
    return a->created_at > b->created_at;
  if (a->sequence != b->sequence)
    return a->sequence > b->sequence;
  return TRUE;
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
  w->pos = g_array_new (FALSE, TRUE, sizeof (guint32));
  w->slots = g_array_new (FALSE, FALSE, sizeof (GrouperSlot));
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
    gst_weather_segment_init (&seg, origin);
  }
  self->in_segment = seg;
  gst_weather_segment_init (&self->src_segment, origin);
  self->have_origin = TRUE;
  self->segment_pending = TRUE;
}

/* state_lock held: adds the record at @data (GST_WEATHER_READING_SIZE
 * bytes) that came on @pad */
static void
gst_grouper_add_reading (GstGrouper * self, GstGrouperPad * pad,
    const guint8 * data)
{
  GstWeatherReading reading;
  GrouperSlot *slot;
  GrouperStation *st;
  GrouperWindow *w;
  GError *err = NULL;
  gint64 k, start;

  if (!gst_weather_reading_parse_stream (data, &reading, &err)) {
    GST_WARNING_OBJECT (pad, "dropping invalid reading: %s", err->message);
    g_clear_error (&err);
    self->invalid++;
    return;
  }

  k = reading.created_at / self->cur_window;
  start = k * self->cur_window;
  if (reading.created_at >= gst_weather_epoch_add (start,
          (guint64) self->cur_window)) {
    /* only the very last instant: the end of its window is past it */
    GST_WARNING_OBJECT (pad, "dropping reading of station %u created at %"
        G_GINT64_FORMAT ": no window can hold the last representable "
        "instant", reading.station_id, reading.created_at);
    self->invalid++;
    return;
  }

  if (pad->released) {
    GST_WARNING_OBJECT (pad, "reading of station %u arrived while its pad "
        "was released: dropped", reading.station_id);
    self->late++;
    return;
  }

  gst_grouper_take_origin (self, pad);
  self->readings++;

  if (k < self->closed_upto) {
    GST_WARNING_OBJECT (pad, "late reading of station %u created at %"
        G_GINT64_FORMAT " for window %" G_GINT64_FORMAT " (already closed):"
        " dropped", reading.station_id, reading.created_at, k);
    self->late++;
    return;
  }

  st = gst_grouper_lookup_station (self, reading.station_id);
  if (!st) {
    if (g_hash_table_size (self->stations) >= self->cur_max_stations &&
        !gst_grouper_make_room (self, reading.station_id))
      return;
    st = gst_grouper_station_new (self, reading.station_id, FALSE);
    st->first_window = k;
    memcpy (st->name, reading.station_name, sizeof (st->name));
    gst_grouper_station_set_key (self, st);
    gst_grouper_insert_station (self, st);
    gst_grouper_lru_append (self, st);
    self->sorted_dirty = TRUE;
    GST_DEBUG_OBJECT (pad, "new station %u from window %" G_GINT64_FORMAT,
        st->id, k);
  } else {
    if (st->until_window != G_MAXINT64 && !st->configured) {
      /* back after its pad went away or after being forgotten: expected
       * again from now on (and without a hole if it was still expected) */
      if (k > st->until_window + 1)
        st->first_window = k;
      st->until_window = G_MAXINT64;
    } else if (k < st->first_window) {
      st->first_window = k;
    }
    if (!st->configured && st != self->lru_tail) {
      gst_grouper_lru_unlink (self, st);
      gst_grouper_lru_append (self, st);
    }
  }
  if (reading.station_name[0] &&
      strncmp (st->name, reading.station_name, sizeof (st->name)) != 0) {
    GList *l;

    /* the slots held under the old name keep it */
    for (l = self->windows.head; l; l = l->next) {
      GrouperWindow *held = l->data;

      if (grouper_window_lookup (held, st) && !(held->names &&
              g_hash_table_contains (held->names, GUINT_TO_POINTER (st->id))))
        grouper_window_keep_name (held, st->id, st->name);
    }
    memcpy (st->name, reading.station_name, sizeof (st->name));
    /* a key named after the station follows its name */
    if (self->cur_group_by != GST_WEATHER_KEY_ALL)
      gst_grouper_station_set_key (self, st);
  }

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
  slot = grouper_window_lookup (w, st);
  if (slot) {
    self->replaced++;
    if (!reading_supersedes (&reading, slot))
      return;
  } else {
    g_array_set_size (w->slots, w->slots->len + 1);
    slot = &g_array_index (w->slots, GrouperSlot, w->slots->len - 1);
    if (st->index >= w->pos->len)
      g_array_set_size (w->pos, st->index + 1);
    g_array_index (w->pos, guint32, st->index) = w->slots->len;
    self->held_bytes += GST_WEATHER_READING_SIZE;
  }
  grouper_slot_from_reading (slot, &reading);
  grouper_window_set_name (w, st, reading.station_name);
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
    end = gst_weather_clock_time_add (end, GST_BUFFER_DURATION (buf));

  GST_OBJECT_LOCK (pad);
  seg = GST_AGGREGATOR_PAD (pad)->segment;
  GST_OBJECT_UNLOCK (pad);

  /* an end past the last representable instant: nothing more, ever (the
   * stream time itself would wrap around) */
  if (seg.format == GST_FORMAT_TIME && end >= seg.start &&
      seg.time <= (guint64) G_MAXINT64 &&
      end - seg.start > (guint64) G_MAXINT64 - seg.time)
    epoch = G_MAXINT64;
  else
    epoch = gst_weather_segment_to_epoch (&seg, end);
  if (epoch < 0)
    return;
  pad->gap_passed = MAX (pad->gap_passed, epoch / self->cur_window);
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
          pad->max_epoch - st->last_epoch >= self->cur_station_timeout)
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

/* Live, windows close by the clock only while the element is (going to
 * be) PLAYING: a paused pipeline's running time stands still, and the
 * base time it resumes with moves every deadline. GstAggregator wakes its
 * thread on both transitions, so the deadline is taken again. */
static gboolean
gst_grouper_clock_runs (GstGrouper * self)
{
  gboolean playing;

  GST_OBJECT_LOCK (self);
  playing = GST_STATE_TARGET (self) == GST_STATE_PLAYING;
  GST_OBJECT_UNLOCK (self);
  return playing;
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
  pos = gst_segment_position_from_running_time (&self->in_segment,
      GST_FORMAT_TIME, now - latency);
  epoch = gst_weather_segment_to_epoch (&self->in_segment, pos);
  if (epoch < 0)
    return G_MININT64;
  return epoch / self->cur_window;
}

/* state_lock held: the running time at which window @index is due, before
 * the latency; GST_CLOCK_TIME_NONE when its end is outside the input
 * segment */
static GstClockTime
gst_grouper_window_end_running_time (GstGrouper * self, gint64 index)
{
  gint64 end = gst_weather_epoch_add (index * self->cur_window,
      (guint64) self->cur_window);
  GstClockTime pos = gst_weather_segment_from_epoch (&self->in_segment, end);

  /* a window ending before the origin is already due */
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return 0;
  return gst_segment_to_running_time (&self->in_segment, GST_FORMAT_TIME, pos);
}

/* The stations of window @w that make one key's group: the range
 * [first, end) of the sorted stations, and those of them to forget (silent
 * past station-timeout) or to drop (no longer expected), collected for
 * after the window. */
typedef struct
{
  GrouperWindow *w;
  guint first;
  guint end;
  GPtrArray *forget;
  GPtrArray *gone;
} GrouperKeyRange;

/* state_lock held. Writes the group of the stations of @range straight
 * into its buffer, one slot per expected station in id order; nothing
 * when none of them has a reading in the window. The summary is made
 * only when someone takes it: the bus (post) or the samples-selected
 * signal (summarize). */
static GrouperOutput
gst_grouper_close_key (GstGrouper * self, GrouperKeyRange * range,
    const GrouperConfig * cfg)
{
  GrouperOutput out = { NULL, NULL, cfg->post, FALSE };
  GrouperWindow *w = range->w;
  const GstWeatherKey *key = gst_grouper_station_key (self,
      g_ptr_array_index (self->sorted, range->first));
  GstWeatherGroup group;
  gint64 start = w->index * self->cur_window;
  gint64 end = gst_weather_epoch_add (start, (guint64) self->cur_window);
  guint i, n_expected = 0, n_present = 0;
  gboolean incomplete, skip;
  GstBuffer *buf;
  GstMapInfo map;

  /* room for every station of the key (at most max-stations, itself at
   * most GST_WEATHER_GROUP_MAX_SLOTS); the buffer is cut to the expected
   * ones below */
  buf = gst_buffer_new_allocate (NULL,
      GST_WEATHER_GROUP_RECORD_SIZE (range->end - range->first), NULL);
  gst_buffer_map (buf, &map, GST_MAP_WRITE);

  /* one pass over the stations, in id order: the slots of those expected
   * in this window, the stations to forget and those to drop */
  for (i = range->first; i < range->end; i++) {
    GrouperStation *st = g_ptr_array_index (self->sorted, i);
    GrouperSlot *slot;
    GstWeatherReading r;

    if (st->until_window < w->index && !st->configured) {
      if (!range->gone)
        range->gone = g_ptr_array_new ();
      g_ptr_array_add (range->gone, st);
      continue;
    }
    if (st->first_window > w->index || st->until_window < w->index)
      continue;
    slot = grouper_window_lookup (w, st);
    if (!slot && self->cur_station_timeout > 0 && !st->configured &&
        st->last_epoch >= 0 &&
        w->index > gst_grouper_timeout_window (self, st)) {
      if (!range->forget)
        range->forget = g_ptr_array_new ();
      g_ptr_array_add (range->forget, st);
      continue;
    }
    if (slot) {
      grouper_window_reading (w, st, slot, &r);
      n_present++;
    } else {
      gst_weather_reading_init (&r);
      r.flags = GST_WEATHER_READING_FLAG_MISSING;
      r.station_id = st->id;
      memcpy (r.station_name, st->name, sizeof (st->name));
    }
    gst_weather_reading_write (&r,
        map.data + GST_WEATHER_GROUP_RECORD_SIZE (n_expected));
    n_expected++;
  }

  /* a key none of whose stations sent a reading for this window has no
   * group in it (with one key, a window no station sent anything for) */
  if (n_present == 0) {
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
    return out;
  }

  incomplete = n_present < cfg->min_stations;
  skip = incomplete && cfg->policy == GST_GROUPER_QUORUM_SKIP;

  if (cfg->post || cfg->summarize)
    out.summary = gst_structure_new ("weather-group",
        "window-start", G_TYPE_INT64, start,
        "window-end", G_TYPE_INT64, end,
        "expected", G_TYPE_UINT, n_expected,
        "present", G_TYPE_UINT, n_present,
        "incomplete", G_TYPE_BOOLEAN, incomplete,
        "skipped", G_TYPE_BOOLEAN, skip,
        "key-kind", G_TYPE_STRING, gst_weather_key_kind_to_string (key->kind),
        "key-id", G_TYPE_UINT, key->id,
        "key-name", G_TYPE_STRING, key->name, NULL);

  if (skip) {
    GST_DEBUG_OBJECT (self, "window %" G_GINT64_FORMAT ", key \"%s\": %u of "
        "%u stations, below min-stations %u: skipped", w->index, key->name,
        n_present, n_expected, cfg->min_stations);
    self->skipped++;
    gst_buffer_unmap (buf, &map);
    gst_buffer_unref (buf);
  } else {
    memset (&group, 0, sizeof (group));
    group.window_start = start;
    group.window_end = end;
    group.n_slots = n_expected;
    group.n_present = n_present;
    group.flags = incomplete ? GST_WEATHER_GROUP_FLAG_INCOMPLETE : 0;
    group.key = *key;
    gst_weather_group_write_header (&group, map.data);
    gst_buffer_unmap (buf, &map);
    gst_buffer_resize (buf, 0, GST_WEATHER_GROUP_RECORD_SIZE (n_expected));
    GST_BUFFER_PTS (buf) = gst_weather_segment_from_epoch (&self->src_segment,
        start);
    GST_BUFFER_DURATION (buf) = end - start;
    out.buffer = buf;
    out.incomplete = incomplete;
    GST_LOG_OBJECT (self, "window %" G_GINT64_FORMAT ", key \"%s\": %u of "
        "%u stations%s", w->index, key->name, n_present, n_expected,
        incomplete ? " (incomplete)" : "");
  }
  return out;
}

/* state_lock held on entry and on return, released while the group goes
 * downstream (only aggregate() changes the tables, so nothing moves
 * meanwhile but what release_pad() marks). A group counts once
 * downstream took it. */
static GstFlowReturn
gst_grouper_push_output (GstGrouper * self, GrouperOutput * out)
{
  GstAggregator *agg = GST_AGGREGATOR (self);
  GstFlowReturn ret = GST_FLOW_OK;
  GstSegment segment;
  gboolean push_segment = FALSE, pushed = FALSE;

  if (out->buffer && self->segment_pending) {
    segment = self->src_segment;
    self->segment_pending = FALSE;
    push_segment = TRUE;
  }
  g_mutex_unlock (&self->state_lock);

  if (push_segment)
    gst_aggregator_update_segment (agg, &segment);
  if (out->buffer) {
    GstBuffer *buf = g_steal_pointer (&out->buffer);

    /* the summary goes to GstAggregator's samples-selected signal
     * (emit-signals=true) as its info structure */
    gst_aggregator_selected_samples (agg, GST_BUFFER_PTS (buf),
        GST_CLOCK_TIME_NONE, GST_BUFFER_DURATION (buf), out->summary);
    ret = gst_aggregator_finish_buffer (agg, buf);
    pushed = ret == GST_FLOW_OK;
  }
  if (out->post && out->summary)
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_element (GST_OBJECT (self),
            g_steal_pointer (&out->summary)));
  g_clear_pointer (&out->summary, gst_structure_free);

  g_mutex_lock (&self->state_lock);
  if (pushed) {
    self->groups++;
    if (out->incomplete)
      self->incomplete++;
    else
      self->complete++;
  }
  return ret;
}

/* state_lock held. Closes window @w: one group per key with a reading in
 * it, in key order, each pushed before the next one is made, so that one
 * group at a time is held whatever the number of keys. The lock is
 * released while a group goes downstream, but nothing changes the sorted
 * stations meanwhile: stations are dropped after the last key. */
static GstFlowReturn
gst_grouper_close_window (GstGrouper * self, GrouperWindow * w,
    const GrouperConfig * cfg)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GrouperKeyRange range = { w, 0, 0, NULL, NULL };
  gboolean one_key = self->cur_group_by == GST_WEATHER_KEY_ALL;
  guint i;

  gst_grouper_sort_stations (self);

  while (ret == GST_FLOW_OK && range.end < self->sorted->len) {
    const GstWeatherKey *key;
    GrouperOutput out;

    range.first = range.end;
    key = gst_grouper_station_key (self,
        g_ptr_array_index (self->sorted, range.first));
    range.end = one_key ? self->sorted->len : range.first + 1;
    while (range.end < self->sorted->len &&
        gst_weather_key_equal (key, gst_grouper_station_key (self,
                g_ptr_array_index (self->sorted, range.end))))
      range.end++;

    out = gst_grouper_close_key (self, &range, cfg);
    if (out.buffer || out.summary)
      ret = gst_grouper_push_output (self, &out);
  }

  if (range.gone) {
    for (i = 0; i < range.gone->len; i++) {
      GrouperStation *st = g_ptr_array_index (range.gone, i);

      GST_DEBUG_OBJECT (self, "station %u dropped from the tables", st->id);
      gst_grouper_drop_station (self, st);
    }
    g_ptr_array_free (range.gone, TRUE);
  }
  if (range.forget) {
    for (i = 0; i < range.forget->len; i++)
      gst_grouper_forget_station (self, g_ptr_array_index (range.forget, i));
    g_ptr_array_free (range.forget, TRUE);
  }
  return ret;
}

/* state_lock held: closes the open windows below @bound in order, each
 * window's groups pushed before the next window is closed. */
static GstFlowReturn
gst_grouper_close_until (GstGrouper * self, gint64 bound,
    const GrouperConfig * cfg)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GrouperWindow *w;

  while (ret == GST_FLOW_OK && (w = g_queue_peek_head (&self->windows)) &&
      w->index < bound) {
    g_queue_pop_head (&self->windows);
    self->closed_upto = MAX (self->closed_upto, w->index + 1);
    ret = gst_grouper_close_window (self, w, cfg);
    gst_grouper_window_free (self, w);
  }
  if (ret == GST_FLOW_OK)
    self->closed_upto = MAX (self->closed_upto, bound);
  return ret;
}

/* state_lock held: more readings held than max-size-bytes: the earliest
 * open windows close before they are due until they fit */
static GstFlowReturn
gst_grouper_close_over_size (GstGrouper * self, const GrouperConfig * cfg)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GrouperWindow *w;

  while (ret == GST_FLOW_OK && self->held_bytes > cfg->max_size_bytes &&
      (w = g_queue_peek_head (&self->windows))) {
    GST_WARNING_OBJECT (self, "%" G_GUINT64_FORMAT " bytes of readings held, "
        "more than max-size-bytes (%" G_GUINT64_FORMAT "): window %"
        G_GINT64_FORMAT " closed before it is due", self->held_bytes,
        cfg->max_size_bytes, w->index);
    self->closed_early++;
    ret = gst_grouper_close_until (self, w->index + 1, cfg);
  }
  return ret;
}

/* state_lock held: adds the readings of @buf, which came on @pad; with
 * @bound_pads (not live, one pad), the windows they finish close after
 * each reading, so that what is late does not depend on how readings are
 * cut into buffers. */
static GstFlowReturn
gst_grouper_take_buffer (GstGrouper * self, GstGrouperPad * pad,
    GstBuffer * buf, GList * bound_pads, const GrouperConfig * cfg)
{
  GstFlowReturn ret = GST_FLOW_OK;
  GstMapInfo map;
  gsize i, n = 0;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
    GST_WARNING_OBJECT (pad, "dropping a buffer that cannot be mapped");
    self->invalid++;
    return GST_FLOW_OK;
  }
  if (map.size == GST_WEATHER_READING_SIZE || (pad->batched && map.size > 0
          && map.size % GST_WEATHER_READING_SIZE == 0))
    n = map.size / GST_WEATHER_READING_SIZE;
  if (n == 0) {
    GST_WARNING_OBJECT (pad, "dropping invalid reading buffer: payload: %"
        G_GSIZE_FORMAT " bytes, %s", map.size, pad->batched ?
        "a batch is a whole number of 128-byte reading records" :
        "a reading record is 128 bytes");
    self->invalid++;
  }
  for (i = 0; i < n && ret == GST_FLOW_OK; i++) {
    gst_grouper_add_reading (self, pad,
        map.data + i * GST_WEATHER_READING_SIZE);
    if (bound_pads)
      ret = gst_grouper_close_until (self,
          gst_grouper_data_bound (self, bound_pads), cfg);
    if (ret == GST_FLOW_OK && self->held_bytes > cfg->max_size_bytes)
      ret = gst_grouper_close_over_size (self, cfg);
  }
  gst_buffer_unmap (buf, &map);
  return ret;
}

static GstFlowReturn
gst_grouper_aggregate (GstAggregator * agg, gboolean timeout)
{
  GstGrouper *self = GST_GROUPER (agg);
  GstFlowReturn ret = GST_FLOW_OK;
  GrouperConfig cfg;
  GList *pads, *l;
  GstClockTime latency;
  gboolean all_eos = TRUE, live, warn_full;
  gint64 bound;

  /* GstAggregator's src lock: before state_lock */
  latency = gst_aggregator_get_latency (agg);
  live = GST_CLOCK_TIME_IS_VALID (latency);
  gst_grouper_get_config (self, &cfg);

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->sinkpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);

  for (l = pads; l && ret == GST_FLOW_OK; l = l->next) {
    GstGrouperPad *pad = l->data;
    GstBuffer *buf;

    /* Live: everything queued, so that no reading waiting on a pad is
     * late for a window the clock closes below. Not live: one buffer per
     * pad and call, as GstAggregator offers them, so that the pads
     * advance together, a producer feeding several pads from one thread
     * is never left waiting on a pad emptied ahead, and GstAggregator
     * sees to events and queries between two buffers. (The pad's
     * buffer-consumed signal may run in the pop: not under state_lock.) */
    while (ret == GST_FLOW_OK &&
        (buf = gst_aggregator_pad_pop_buffer (GST_AGGREGATOR_PAD (pad)))) {
      gst_grouper_get_config (self, &cfg);
      g_mutex_lock (&self->state_lock);
      if (GST_BUFFER_FLAG_IS_SET (buf, GST_BUFFER_FLAG_GAP) &&
          gst_buffer_get_size (buf) == 0) {
        gst_grouper_add_gap (self, pad, buf);
        /* not live, the windows a GAP finishes close before the next
         * buffer is taken */
        if (!live)
          ret = gst_grouper_close_until (self,
              gst_grouper_data_bound (self, pads), &cfg);
      } else {
        /* not live on a single pad, windows close after each reading */
        ret = gst_grouper_take_buffer (self, pad, buf,
            live || pads->next ? NULL : pads, &cfg);
      }
      g_mutex_unlock (&self->state_lock);
      gst_buffer_unref (buf);
      if (!live)
        break;
    }
    if (!gst_aggregator_pad_is_eos (GST_AGGREGATOR_PAD (pad)))
      all_eos = FALSE;
  }

  /* with no pad at all (all released while live) nothing has ended */
  if (pads == NULL)
    all_eos = FALSE;

  g_mutex_lock (&self->state_lock);
  self->latency = latency;
  if (ret == GST_FLOW_OK) {
    if (all_eos)
      bound = G_MAXINT64;
    else if (live && !gst_grouper_clock_runs (self))
      bound = G_MININT64;
    else if (live)
      bound = gst_grouper_clock_bound (self, latency);
    else
      bound = gst_grouper_data_bound (self, pads);
    ret = gst_grouper_close_until (self, bound, &cfg);
  }
  warn_full = self->full_warn_pending;
  self->full_warn_pending = FALSE;
  g_mutex_unlock (&self->state_lock);

  g_list_free_full (pads, gst_object_unref);

  if (warn_full)
    GST_ELEMENT_WARNING (self, RESOURCE, NO_SPACE_LEFT,
        ("More stations than max-stations: the station heard the longest "
            "ago is forgotten for each new one"),
        ("see the evicted and refused counters of the stats property"));

  if (ret != GST_FLOW_OK)
    return ret;
  if (all_eos)
    return GST_FLOW_EOS;
  return GST_FLOW_OK;
}

/* The running time at which the earliest window of what @buf (queued on
 * @pad, not taken yet) holds is due, before the latency; 0 (now) for a
 * GAP or anything that is no reading. The running time comes through the
 * pad's own segment, which applies to its first queued buffer. */
static GstClockTime
gst_grouper_queued_due (GstGrouperPad * pad, GstBuffer * buf, gint64 window)
{
  gint64 earliest = G_MAXINT64, end;
  GstWeatherReading r;
  GstClockTime pos;
  GstSegment seg;
  GstMapInfo map;
  gsize i;

  if (!gst_buffer_map (buf, &map, GST_MAP_READ))
    return 0;
  for (i = 0; i + GST_WEATHER_READING_SIZE <= map.size;
      i += GST_WEATHER_READING_SIZE) {
    gst_weather_reading_read (&r, map.data + i);
    if (r.created_at >= 0)
      earliest = MIN (earliest, r.created_at);
  }
  gst_buffer_unmap (buf, &map);
  if (earliest == G_MAXINT64)
    return 0;

  end = gst_weather_epoch_add (earliest / window * window, (guint64) window);
  GST_OBJECT_LOCK (pad);
  seg = GST_AGGREGATOR_PAD (pad)->segment;
  GST_OBJECT_UNLOCK (pad);
  pos = gst_weather_segment_from_epoch (&seg, end);
  if (!GST_CLOCK_TIME_IS_VALID (pos))
    return 0;
  return gst_segment_to_running_time (&seg, GST_FORMAT_TIME, pos);
}

/* Live: GstAggregator waits for the running time returned here plus the
 * latency, then calls aggregate(): the end of the earliest open window.
 * A silent pad keeps GstAggregator from calling aggregate() before a
 * timeout, so the readings queued on the other pads count too. Called
 * with GstAggregator's src lock held. */
static GstClockTime
gst_grouper_get_next_time (GstAggregator * agg)
{
  GstGrouper *self = GST_GROUPER (agg);
  GstClockTime rt = GST_CLOCK_TIME_NONE, latency, deadline;
  gint64 window;
  GList *pads, *l;

  if (!gst_grouper_clock_runs (self))
    return GST_CLOCK_TIME_NONE;

  g_mutex_lock (&self->state_lock);
  if (self->have_origin && !g_queue_is_empty (&self->windows)) {
    GrouperWindow *w = g_queue_peek_head (&self->windows);

    rt = gst_grouper_window_end_running_time (self, w->index);
  }
  window = self->cur_window;
  latency = GST_CLOCK_TIME_IS_VALID (self->latency) ? self->latency : 0;
  g_mutex_unlock (&self->state_lock);

  GST_OBJECT_LOCK (self);
  pads = g_list_copy_deep (GST_ELEMENT (self)->sinkpads,
      (GCopyFunc) gst_object_ref, NULL);
  GST_OBJECT_UNLOCK (self);
  for (l = pads; l; l = l->next) {
    GstGrouperPad *pad = l->data;
    GstBuffer *buf = gst_aggregator_pad_peek_buffer (GST_AGGREGATOR_PAD (pad));

    if (buf) {
      GstClockTime due = gst_grouper_queued_due (pad, buf, window);

      if (!GST_CLOCK_TIME_IS_VALID (rt) || (GST_CLOCK_TIME_IS_VALID (due) &&
              due < rt))
        rt = due;
      gst_buffer_unref (buf);
    }
  }
  g_list_free_full (pads, gst_object_unref);

  /* GstAggregator adds the base time and the latency: a deadline past
   * what a clock time can hold is never, not a wrapped-around instant */
  deadline = gst_weather_clock_time_add (rt,
      gst_weather_clock_time_add (latency,
          gst_element_get_base_time (GST_ELEMENT (self))));
  if (GST_CLOCK_TIME_IS_VALID (deadline)
      && deadline == GST_WEATHER_CLOCK_TIME_MAX)
    rt = GST_CLOCK_TIME_NONE;
  return rt;
}

/* state_lock held: station @id is in @region from now on (a region event);
 * the station's key follows if it is known and the stations file does not
 * place it. At most max-stations stations are remembered: when that many
 * are, those no longer known make room, and if none is, the event is
 * refused (counted, warned). */
static void
gst_grouper_set_region (GstGrouper * self, GstPad * pad, guint32 id,
    const gchar * region)
{
  const gchar *old;
  GrouperStation *st;

  if (self->cur_group_by != GST_WEATHER_KEY_REGION)
    return;
  old = g_hash_table_lookup (self->event_regions, GUINT_TO_POINTER (id));
  if (old && g_str_equal (old, region))
    return;
  if (!old && g_hash_table_size (self->event_regions) >= self->cur_max_stations) {
    GHashTableIter iter;
    gpointer station;

    g_hash_table_iter_init (&iter, self->event_regions);
    while (g_hash_table_iter_next (&iter, &station, NULL))
      if (!g_hash_table_contains (self->stations, station))
        g_hash_table_iter_remove (&iter);
    if (g_hash_table_size (self->event_regions) >= self->cur_max_stations) {
      GST_WARNING_OBJECT (pad, "region \"%s\" of station %u refused: the "
          "regions of max-stations (%u) known stations are remembered",
          region, id, self->cur_max_stations);
      self->regions_refused++;
      return;
    }
  }
  if (old)
    GST_INFO_OBJECT (pad, "station %u moves from region \"%s\" to \"%s\"",
        id, old, region);
  g_hash_table_replace (self->event_regions, GUINT_TO_POINTER (id),
      g_strdup (region));
  st = gst_grouper_lookup_station (self, id);
  if (st)
    gst_grouper_station_set_key (self, st);
}

/* Caps are handled in GstAggregator's thread, in order with the buffers:
 * from here on the pad's buffers are batches, or single readings. So are
 * region events: a station's region is known before its first reading is
 * taken. */
static gboolean
gst_grouper_sink_event (GstAggregator * agg, GstAggregatorPad * apad,
    GstEvent * event)
{
  GstGrouper *self = GST_GROUPER (agg);
  const gchar *region;
  guint32 station_id;

  if (GST_EVENT_TYPE (event) == GST_EVENT_CUSTOM_DOWNSTREAM &&
      gst_event_has_name (event, GST_WEATHER_REGION_EVENT_NAME)) {
    /* for grouper alone: downstream has groups, whose keys say it */
    g_mutex_lock (&self->state_lock);
    if (gst_weather_region_event_parse (event, &station_id, &region)) {
      gst_grouper_set_region (self, GST_PAD (apad), station_id, region);
    } else {
      GST_WARNING_OBJECT (apad, "dropping a region event without a valid "
          "station-id and region (1 to 55 bytes of UTF-8): %" GST_PTR_FORMAT,
          event);
      self->invalid++;
    }
    g_mutex_unlock (&self->state_lock);
    gst_event_unref (event);
    return TRUE;
  }
  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    gboolean batched;

    gst_event_parse_caps (event, &caps);
    batched = gst_structure_has_name (gst_caps_get_structure (caps, 0),
        GST_WEATHER_READING_BATCH_MEDIA_TYPE);
    GST_DEBUG_OBJECT (apad, "%s", batched ? "batches of readings" :
        "one reading per buffer");
    g_mutex_lock (&self->state_lock);
    GST_GROUPER_PAD (apad)->batched = batched;
    g_mutex_unlock (&self->state_lock);
  }
  return GST_AGGREGATOR_CLASS (parent_class)->sink_event (agg, apad, event);
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
  GstWeatherStations *lines;
  guint n_configured, max_stations;
  gchar *path;
  gboolean loaded;

  /* every region of a valid file is a valid key name: the reader checks */
  GST_OBJECT_LOCK (self);
  path = g_strdup (self->stations_file);
  GST_OBJECT_UNLOCK (self);
  loaded = gst_weather_feed_load_stations (GST_ELEMENT (self), path, &lines);
  g_free (path);
  if (!loaded)
    return FALSE;

  g_mutex_lock (&self->state_lock);
  g_clear_pointer (&self->station_lines, gst_weather_stations_unref);
  self->station_lines = lines;
  g_hash_table_remove_all (self->event_regions);
  gst_grouper_reset_locked (self);
  self->readings = self->groups = self->complete = self->incomplete = 0;
  self->skipped = self->late = self->invalid = self->replaced = 0;
  self->forgotten = self->evicted = self->refused = self->closed_early = 0;
  self->regions_refused = 0;
  self->latency = GST_CLOCK_TIME_NONE;
  n_configured = g_hash_table_size (self->stations);
  max_stations = self->cur_max_stations;
  g_mutex_unlock (&self->state_lock);

  if (n_configured > max_stations) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("The stations property lists %u stations, more than max-stations "
            "(%u)", n_configured, max_stations),
        ("raise max-stations or shorten the list"));
    return FALSE;
  }
  return TRUE;
}

static gboolean
gst_grouper_stop (GstAggregator * agg)
{
  GstGrouper *self = GST_GROUPER (agg);

  g_mutex_lock (&self->state_lock);
  gst_grouper_reset_locked (self);
  g_hash_table_remove_all (self->event_regions);
  g_clear_pointer (&self->station_lines, gst_weather_stations_unref);
  g_mutex_unlock (&self->state_lock);
  return TRUE;
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
    GrouperStation *st = gst_grouper_station_at (self,
        GPOINTER_TO_UINT (value) - 1);

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
    case PROP_MAX_STATIONS:
      self->max_stations = g_value_get_uint (value);
      break;
    case PROP_MAX_SIZE_BYTES:
      self->max_size_bytes = g_value_get_uint64 (value);
      break;
    case PROP_POST_MESSAGES:
      self->post_messages = g_value_get_boolean (value);
      break;
    case PROP_GROUP_BY:
      self->group_by = g_value_get_enum (value);
      break;
    case PROP_STATIONS_FILE:
      g_free (self->stations_file);
      self->stations_file = g_value_dup_string (value);
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
    case PROP_MAX_STATIONS:
      g_value_set_uint (value, self->max_stations);
      break;
    case PROP_MAX_SIZE_BYTES:
      g_value_set_uint64 (value, self->max_size_bytes);
      break;
    case PROP_POST_MESSAGES:
      g_value_set_boolean (value, self->post_messages);
      break;
    case PROP_GROUP_BY:
      g_value_set_enum (value, self->group_by);
      break;
    case PROP_STATIONS_FILE:
      g_value_set_string (value, self->stations_file);
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
  GrouperWindow *w;

  while ((w = g_queue_pop_head (&self->windows)))
    gst_grouper_window_free (self, w);
  g_hash_table_destroy (self->stations);
  g_ptr_array_free (self->station_blocks, TRUE);
  g_array_free (self->free_indices, TRUE);
  g_hash_table_destroy (self->event_regions);
  g_clear_pointer (&self->station_lines, gst_weather_stations_unref);
  g_free (self->stations_file);
  g_ptr_array_free (self->sorted, TRUE);
  g_array_free (self->configured, TRUE);
  g_mutex_clear (&self->state_lock);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_grouper_class_init (GstGrouperClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstAggregatorClass *agg_class = GST_AGGREGATOR_CLASS (klass);

  GST_DEBUG_CATEGORY_INIT (gst_grouper_debug, "grouper", 0, "weather grouper");

  gobject_class->set_property = gst_grouper_set_property;
  gobject_class->get_property = gst_grouper_get_property;
  gobject_class->finalize = gst_grouper_finalize;

  /**
   * GstGrouper:window:
   *
   * Length of a window in ns; windows are aligned to the UNIX epoch.
   * Default 1 s, from 1 ms to 2^63−1 ns. The end of the last window
   * before 2262-04-11T23:47:16.854775807Z is cut to that instant, and a
   * reading created at exactly that instant fits no window (counted as
   * invalid). Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_WINDOW,
      g_param_spec_uint64 ("window", "Window",
          "Length of a window in ns, aligned to the UNIX epoch",
          MIN_WINDOW, MAX_WINDOW, DEFAULT_WINDOW,
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
   * stations are those seen. They count towards #GstGrouper:max-stations:
   * a longer list makes starting fail. Read when the element starts.
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
   * non-live run, and its memory freed once its windows are closed); it
   * is new again if it comes back. Default 1 hour; 0: never, a silent
   * station then stays expected and is marked missing for as long as the
   * stream runs; up to 2^63−1 ns, where a sum past 2262 also means never.
   * Stations of #GstGrouper:stations are never forgotten. Read when the
   * element starts.
   */
  g_object_class_install_property (gobject_class, PROP_STATION_TIMEOUT,
      g_param_spec_uint64 ("station-timeout", "Station timeout",
          "Forget a station silent for this long (ns of event time), 0 = never",
          0, MAX_STATION_TIMEOUT, DEFAULT_STATION_TIMEOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:max-stations:
   *
   * Most stations known at once, those of #GstGrouper:stations included;
   * a group never has more slots. A new station beyond it makes the
   * station heard the longest ago (not one of #GstGrouper:stations) be
   * forgotten at once, its readings taken out of the open windows
   * (counted as `evicted`, warned); when every known station is listed in
   * #GstGrouper:stations the newcomer's reading is dropped (`refused`).
   * Default and maximum 1,000,000 (the largest group), at least 1. Each
   * known station takes about 200 bytes. Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_STATIONS,
      g_param_spec_uint ("max-stations", "Maximum stations",
          "Most stations known at once; beyond, the one heard the longest "
          "ago is forgotten", 1, GST_WEATHER_GROUP_MAX_SLOTS,
          DEFAULT_MAX_STATIONS,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:max-size-bytes:
   *
   * Most bytes of readings held in the open windows, counted as 128 bytes
   * (a group slot) per reading; the memory they take is about 1.4 times
   * that. Beyond it the earliest open window is closed before it is due
   * (counted as `closed-early`, warned), so readings that come later for
   * it are late. Default 256 MiB (two windows of a million stations), at
   * least 128 (every reading then closes its window).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_SIZE_BYTES,
      g_param_spec_uint64 ("max-size-bytes", "Maximum size in bytes",
          "Most bytes of readings held in open windows (128 per reading); "
          "beyond, the earliest window closes early",
          GST_WEATHER_READING_SIZE, G_MAXUINT64, DEFAULT_MAX_SIZE_BYTES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGrouper:post-messages:
   *
   * Post a `weather-group` element message for every group made or
   * skipped (window-start, window-end: gint64 epoch ns; expected, present:
   * guint; incomplete, skipped: gboolean; key-kind, key-name: string;
   * key-id: guint). Default FALSE.
   */
  g_object_class_install_property (gobject_class, PROP_POST_MESSAGES,
      g_param_spec_boolean ("post-messages", "Post messages",
          "Post a weather-group element message per closed window",
          DEFAULT_POST_MESSAGES,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstGrouper:group-by:
   *
   * What the stations of a group have in common: `all` (default: one group
   * per window, of every station), `station` (one group per station and
   * window) or `region` (one per region and window; a station's region
   * comes from #GstGrouper:stations-file, else from a region event, else
   * it is a region of its own named like the station). Each group carries
   * its key; #GstGrouper:min-stations applies to each. Read when the
   * element starts.
   */
  g_object_class_install_property (gobject_class, PROP_GROUP_BY,
      g_param_spec_enum ("group-by", "Group by",
          "One group per window of all stations, per station, or per region",
          GST_TYPE_WEATHER_KEY_KIND, DEFAULT_GROUP_BY,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:stations-file:
   *
   * A stations file (CSV, docs/feeds.md) whose `region` column places
   * stations in regions for #GstGrouper:group-by=region; a station is
   * found by the id its readings carry. It wins over region events. NULL
   * (default): none. A file that cannot be read or is not valid makes
   * starting fail (RESOURCE/OPEN_READ, the debug text names the line).
   * Read when the element starts.
   */
  g_object_class_install_property (gobject_class, PROP_STATIONS_FILE,
      g_param_spec_string ("stations-file", "Stations file",
          "CSV stations file whose region column gives the regions of "
          "group-by=region (NULL = none)", NULL,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstGrouper:stats:
   *
   * Counters since the element last started (guint64 unless said):
   * `readings` taken (valid records, late and refused ones included),
   * `groups` pushed downstream, of them `complete` and `incomplete`,
   * `skipped` groups (below quorum with policy skip), `late` readings
   * (window already closed, dropped), `invalid` records (not a valid
   * reading, dropped) and region events (no valid station and region,
   * dropped), `replaced` (a second reading of a station in one
   * window), `forgotten` stations (station-timeout), `evicted` stations
   * (max-stations), `refused` readings (max-stations, all stations
   * listed), `closed-early` windows (max-size-bytes), `regions-refused`
   * (region events not kept: max-stations stations' regions remembered),
   * and the current `stations` (guint) known, `keys` (guint, distinct keys
   * of those stations when a window last closed) and `held-bytes` of
   * readings in open windows. The counts of groups are over all keys.
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
  agg_class->sink_event = GST_DEBUG_FUNCPTR (gst_grouper_sink_event);
  agg_class->flush = GST_DEBUG_FUNCPTR (gst_grouper_flush);
  agg_class->start = GST_DEBUG_FUNCPTR (gst_grouper_start);
  agg_class->stop = GST_DEBUG_FUNCPTR (gst_grouper_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_GROUPER_QUORUM_POLICY, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_GROUPER_PAD, 0);
}

/* GstAggregator's latency and min-upstream-latency accept up to
 * GST_CLOCK_TIME_NONE - 1, and it adds them to the upstream latency and
 * to the base time: above 2^63-1 they are lowered to it, so that those
 * sums hold (a latency of 292 years is never all the same). */
static void
gst_grouper_latency_changed (GObject * object, GParamSpec * pspec,
    gpointer user_data)
{
  guint64 value;

  g_object_get (object, pspec->name, &value, NULL);
  if (value > (guint64) G_MAXINT64) {
    GST_WARNING_OBJECT (object, "%s of %" G_GUINT64_FORMAT " ns is more than "
        "the time sums can hold: lowered to %" G_GINT64_FORMAT, pspec->name,
        value, G_MAXINT64);
    g_object_set (object, pspec->name, (guint64) G_MAXINT64, NULL);
  }
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
  self->max_stations = DEFAULT_MAX_STATIONS;
  self->max_size_bytes = DEFAULT_MAX_SIZE_BYTES;
  self->post_messages = DEFAULT_POST_MESSAGES;
  self->group_by = DEFAULT_GROUP_BY;
  self->configured = g_array_new (FALSE, FALSE, sizeof (guint32));

  g_mutex_init (&self->state_lock);
  gst_weather_key_init_all (&self->all_key);
  self->stations = g_hash_table_new (NULL, NULL);
  self->station_blocks = g_ptr_array_new_with_free_func (g_free);
  self->free_indices = g_array_new (FALSE, FALSE, sizeof (guint32));
  self->event_regions = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->sorted = g_ptr_array_new ();
  self->sorted_dirty = TRUE;
  g_queue_init (&self->windows);
  self->cur_window = DEFAULT_WINDOW;
  self->cur_station_timeout = DEFAULT_STATION_TIMEOUT;
  self->cur_max_stations = DEFAULT_MAX_STATIONS;
  self->cur_group_by = DEFAULT_GROUP_BY;
  self->closed_upto = G_MININT64;
  self->latency = GST_CLOCK_TIME_NONE;
  gst_segment_init (&self->in_segment, GST_FORMAT_TIME);
  gst_segment_init (&self->src_segment, GST_FORMAT_TIME);
  g_signal_connect (self, "notify::emit-signals",
      G_CALLBACK (gst_grouper_emit_signals_changed), NULL);
  g_signal_connect (self, "notify::latency",
      G_CALLBACK (gst_grouper_latency_changed), NULL);
  g_signal_connect (self, "notify::min-upstream-latency",
      G_CALLBACK (gst_grouper_latency_changed), NULL);
}
