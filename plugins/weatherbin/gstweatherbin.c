/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-weatherbin
 * @title: weatherbin
 *
 * weatherbin turns a stream of weather readings (any order, duplicates,
 * late arrivals, many stations mixed) into groups of readings of the same
 * time window, one group per window. It packs reorderqueue, demux and
 * grouper and owns their threading, so that
 * `weathersrc ! weatherbin ! predictor ! mqttsink` runs as written: no
 * queue has to be placed by hand.
 *
 * Two internal shapes, chosen with #GstWeatherBin:layout:
 *
 * - `mixed` (default): `reorderqueue ! grouper` with a single grouper pad
 *   carrying the mixed stream, ordered per station by the one
 *   reorderqueue. Two threads whatever the number of stations:
 *   reorderqueue's streaming task (the boundary between ingest and
 *   grouping: the upstream thread only checks and inserts readings) and
 *   grouper's aggregator task, which also runs everything downstream of
 *   the bin. Its cost per reading does not grow with the number of
 *   stations: the shape for thousands of stations.
 * - `per-station`: `demux`, and for every station that appears (also while
 *   PLAYING) a branch `demux.src_N ! reorderqueue ! grouper.sink_N`,
 *   removed again when demux removes the station's pad. A GstAggregator
 *   sink pad blocks its feeder until the other pads have data, so one
 *   thread could not feed them all: each branch runs in its reorderqueue's
 *   streaming task. This shape costs a thread per station: for a few
 *   stations whose branches an application wants to see.
 *
 * docs/scaling.md explains the choice.
 *
 * The properties of the children that a user tunes are proxied:
 * #GstWeatherBin:latency (reorderqueue), #GstWeatherBin:window,
 * #GstWeatherBin:min-stations, #GstWeatherBin:quorum-policy (grouper),
 * #GstWeatherBin:stations (demux and grouper), #GstWeatherBin:idle-timeout
 * (demux), #GstWeatherBin:station-timeout (grouper),
 * #GstWeatherBin:max-future (reorderqueue and demux),
 * #GstWeatherBin:group-by and #GstWeatherBin:stations-file (grouper);
 * #GstWeatherBin:stats gathers the children's `stats`.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -e weathersrc stations=5 num-buffers=600 ! weatherbin window=10000000000 ! predictor ! weatherenc ! fdsink
 * ]| Ten minutes of five simulated stations replayed as fast as possible,
 * grouped in 10 s windows, one JSON prediction per window on stdout.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <string.h>

#include <gst/weather/weather.h>

#include "gstweatherbin.h"
#include "gstweatherfuture.h"
#include "demux/gstweatherdemux.h"
#include "grouper/gstgrouper.h"
#include "reorderqueue/gstreorderqueue.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_bin_debug);
#define GST_CAT_DEFAULT gst_weather_bin_debug

#define DEFAULT_LAYOUT GST_WEATHER_BIN_LAYOUT_MIXED

/* The proxied properties repeat their children's ranges and defaults
 * (from the children's headers); tests/check/elements/weatherbin.c checks
 * that every proxied property has the type, range, default and flags of
 * the property it goes to. */

enum
{
  PROP_0,
  PROP_LAYOUT,
  PROP_LATENCY,
  PROP_WINDOW,
  PROP_MIN_STATIONS,
  PROP_QUORUM_POLICY,
  PROP_STATIONS,
  PROP_IDLE_TIMEOUT,
  PROP_STATION_TIMEOUT,
  PROP_MAX_FUTURE,
  PROP_MAX_STATIONS,
  PROP_MAX_SIZE_BYTES,
  PROP_GROUP_BY,
  PROP_STATIONS_FILE,
  PROP_STATS,
};

/* Which children a proxied property goes to. */
enum
{
  TARGET_REORDER = 1 << 0,
  TARGET_DEMUX = 1 << 1,
  TARGET_GROUPER = 1 << 2,
};

typedef struct
{
  guint prop_id;
  const gchar *name;
  guint targets;
} GstWeatherBinProxy;

static const GstWeatherBinProxy proxies[] = {
  {PROP_LATENCY, "latency", TARGET_REORDER},
  {PROP_WINDOW, "window", TARGET_GROUPER},
  {PROP_MIN_STATIONS, "min-stations", TARGET_GROUPER},
  {PROP_QUORUM_POLICY, "quorum-policy", TARGET_GROUPER},
  {PROP_STATIONS, "stations", TARGET_DEMUX | TARGET_GROUPER},
  {PROP_IDLE_TIMEOUT, "idle-timeout", TARGET_DEMUX},
  {PROP_STATION_TIMEOUT, "station-timeout", TARGET_GROUPER},
  {PROP_MAX_FUTURE, "max-future", TARGET_REORDER | TARGET_DEMUX},
  {PROP_MAX_STATIONS, "max-stations", TARGET_GROUPER},
  {PROP_MAX_SIZE_BYTES, "max-size-bytes", TARGET_GROUPER},
  {PROP_GROUP_BY, "group-by", TARGET_GROUPER},
  {PROP_STATIONS_FILE, "stations-file", TARGET_GROUPER},
};

#define N_PROXIES G_N_ELEMENTS (proxies)

static GParamSpec *proxy_pspecs[N_PROXIES];

/* A station's branch in the per-station layout, kept as qdata of its
 * demux pad. */
typedef struct
{
  GstElement *reorder;          /* the branch's reorderqueue */
  GstPad *grouper_pad;          /* the grouper pad it feeds */
} GstWeatherBinBranch;

static GQuark branch_quark;

struct _GstWeatherBin
{
  GstBin parent;

  /* Set in init, never changed */
  GstPad *sinkpad;
  GstPad *srcpad;

  /* Guarded by the object lock */
  GstWeatherBinLayout layout;
  GValue values[N_PROXIES];     /* the proxied properties' values */
  GstElement *reorder;          /* mixed layout's reorderqueue, reffed */
  GstElement *demux;            /* per-station layout's demux, reffed */
  GstElement *grouper;          /* reffed */
  GList *branch_queues;         /* per-station reorderqueues, reffed */
  GstStructure *retired_stats;  /* summed stats of removed branches' queues */
  GstPad *eos_pad;              /* grouper pad that carried EOS when demux
                                 * had no station at all */
  guint64 branches_added;
  guint64 branches_removed;
  guint64 branch_failures;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_GROUP_CAPS));

#define gst_weather_bin_parent_class parent_class
G_DEFINE_TYPE (GstWeatherBin, gst_weather_bin, GST_TYPE_BIN);
GST_ELEMENT_REGISTER_DEFINE (weatherbin, "weatherbin", GST_RANK_NONE,
    GST_TYPE_WEATHER_BIN);

static void gst_weather_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec);
static void gst_weather_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec);
static void gst_weather_bin_finalize (GObject * object);
static GstStateChangeReturn gst_weather_bin_change_state (GstElement *
    element, GstStateChange transition);
static void gst_weather_bin_build (GstWeatherBin * self,
    GstWeatherBinLayout layout);

static void
gst_weather_bin_class_init (GstWeatherBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags playing = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;
  const GParamFlags ready = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;
  guint i;

  GST_DEBUG_CATEGORY_INIT (gst_weather_bin_debug, "weatherbin", 0,
      "Weather readings to groups: reorderqueue, demux and grouper packed");

  branch_quark = g_quark_from_static_string ("gst-weather-bin-branch");

  gobject_class->set_property = gst_weather_bin_set_property;
  gobject_class->get_property = gst_weather_bin_get_property;
  gobject_class->finalize = gst_weather_bin_finalize;

  /**
   * GstWeatherBin:layout:
   *
   * The internal shape: `mixed` (default) is reorderqueue ! grouper with
   * every station on one grouper pad: two threads, and the cost of a
   * reading does not depend on the number of stations (use it beyond a
   * few stations). `per-station` puts a demux first and gives each
   * station a branch `reorderqueue ! grouper pad` of its own: one thread
   * per station. Can only be changed in the NULL or READY state.
   */
  g_object_class_install_property (gobject_class, PROP_LAYOUT,
      g_param_spec_enum ("layout", "Layout",
          "Internal shape: mixed (reorderqueue ! grouper, two threads, "
          "scales to 10,000 stations) or per-station (demux first, a "
          "reorderqueue, a thread and a grouper pad per station); NULL or "
          "READY state only", GST_TYPE_WEATHER_BIN_LAYOUT, DEFAULT_LAYOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /* The proxied properties: the type, range, default and mutability of
   * the child property they go to. */

  /**
   * GstWeatherBin:latency:
   *
   * Lateness budget of the reordering, in nanoseconds (reorderqueue's
   * `latency`, default 200 ms, at most 2 hours): a reading is held until
   * the clock (live) or the event-time watermark (non-live) passes its
   * timestamp plus this, then released in order; anything older for its
   * station is late and counted. It adds to the pipeline latency that
   * grouper waits for.
   */
  proxy_pspecs[0] = g_param_spec_uint64 ("latency", "Latency",
      "Lateness budget of the reordering, in nanoseconds, at most 2 h "
      "(reorderqueue's latency)", 0, GST_WEATHER_MAX_LATENESS,
      GST_REORDER_QUEUE_DEFAULT_LATENCY, playing);

  /**
   * GstWeatherBin:window:
   *
   * Length of a group's window, in nanoseconds (grouper's `window`, default
   * 1 s, 1 ms to 2⁶³−1). Windows are aligned to the UNIX epoch, so separate
   * pipelines agree on their boundaries. NULL or READY state only.
   */
  proxy_pspecs[1] = g_param_spec_uint64 ("window", "Window",
      "Length of a group's window, in nanoseconds, aligned to the UNIX epoch "
      "(grouper's window)", GST_GROUPER_MIN_WINDOW, GST_GROUPER_MAX_WINDOW,
      GST_GROUPER_DEFAULT_WINDOW, ready);

  /**
   * GstWeatherBin:min-stations:
   *
   * Quorum: fewest stations with a reading for a window to make a complete
   * group (grouper's `min-stations`, default 1); below it
   * #GstWeatherBin:quorum-policy decides.
   */
  proxy_pspecs[2] = g_param_spec_uint ("min-stations", "Minimum stations",
      "Fewest stations with a reading for a complete group (grouper's "
      "min-stations)", 0, GST_WEATHER_GROUP_MAX_SLOTS,
      GST_GROUPER_DEFAULT_MIN_STATIONS, playing);

  /**
   * GstWeatherBin:quorum-policy:
   *
   * What happens to a window below #GstWeatherBin:min-stations (grouper's
   * `quorum-policy`): emitted marked incomplete (default), or skipped;
   * either way counted in the stats.
   */
  proxy_pspecs[3] = g_param_spec_enum ("quorum-policy", "Quorum policy",
      "What happens to a window below min-stations: emit-incomplete or skip "
      "(grouper's quorum-policy)", GST_TYPE_GROUPER_QUORUM_POLICY,
      GST_GROUPER_DEFAULT_QUORUM_POLICY, playing);

  /**
   * GstWeatherBin:stations:
   *
   * The expected stations, by numeric id (gst-launch: `stations="<1,2,3>"`;
   * empty, the default: every station that appears). Goes to grouper (the
   * set a group's slots are made of) and, in the per-station layout, to
   * demux (pads made up front). NULL or READY state only.
   */
  proxy_pspecs[4] = gst_param_spec_array ("stations", "Stations",
      "Expected station ids (empty: every station that appears); grouper's "
      "and demux's stations",
      g_param_spec_uint ("station-id", "Station id", "A station id", 0,
          G_MAXUINT32, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS), ready);

  /**
   * GstWeatherBin:idle-timeout:
   *
   * Per-station layout: event time, in nanoseconds, a station may be
   * silent before demux sends a GAP event on its pad, so that grouper does
   * not wait for a dead station (demux's `idle-timeout`, default 5 s;
   * 0 = never; up to 2⁶³−1). The mixed layout has no per-station pad to
   * wait on and ignores it.
   */
  proxy_pspecs[5] = g_param_spec_uint64 ("idle-timeout", "Idle timeout",
      "Per-station layout: event time in nanoseconds a station may be "
      "silent before grouper stops waiting for it (0 = never); demux's "
      "idle-timeout", 0, GST_WEATHER_CLOCK_TIME_MAX,
      GST_WEATHER_DEMUX_DEFAULT_IDLE_TIMEOUT, playing);

  /**
   * GstWeatherBin:station-timeout:
   *
   * Event time, in nanoseconds, after which grouper forgets a silent
   * station that is not in #GstWeatherBin:stations (grouper's
   * `station-timeout`; default 1 hour; 0 = never; up to 2⁶³−1): it is then
   * no longer counted missing in the groups. NULL or READY state only.
   */
  proxy_pspecs[6] = g_param_spec_uint64 ("station-timeout", "Station timeout",
      "Event time in nanoseconds after which a silent station is no longer "
      "expected in groups (0 = never); grouper's station-timeout", 0,
      GST_GROUPER_MAX_STATION_TIMEOUT, GST_GROUPER_DEFAULT_STATION_TIMEOUT,
      ready);

  /**
   * GstWeatherBin:max-future:
   *
   * How far ahead of the stream a reading may be, in ns (reorderqueue's
   * and, in the per-station layout, demux's `max-future`; default 1 hour,
   * 0 = no bound, up to 2⁶³−1): ahead of the clock when live, of the
   * newest reading when not. Readings beyond it are refused and counted,
   * and never move a watermark.
   */
  proxy_pspecs[7] = g_param_spec_uint64 ("max-future", "Max future",
      "How far ahead of the clock (live) or of the newest reading (not live) "
      "a reading may be, 0 = no bound (ns); reorderqueue's and demux's "
      "max-future", 0, GST_WEATHER_CLOCK_TIME_MAX,
      GST_WEATHER_FUTURE_DEFAULT_MAX, playing);

  /**
   * GstWeatherBin:max-stations:
   *
   * Most stations grouper knows at once (grouper's `max-stations`, default
   * and maximum 1,000,000): a new station beyond it makes the one heard
   * the longest ago be forgotten (counted as `evicted`). NULL or READY
   * state only.
   */
  proxy_pspecs[8] = g_param_spec_uint ("max-stations", "Maximum stations",
      "Most stations known at once; beyond, the one heard the longest ago is "
      "forgotten (grouper's max-stations)", 1, GST_WEATHER_GROUP_MAX_SLOTS,
      GST_GROUPER_DEFAULT_MAX_STATIONS, ready);

  /**
   * GstWeatherBin:max-size-bytes:
   *
   * Most bytes of readings grouper holds in open windows, 128 per reading
   * (grouper's `max-size-bytes`, default 256 MiB): beyond it the earliest
   * window closes early (counted as `closed-early`).
   */
  proxy_pspecs[9] = g_param_spec_uint64 ("max-size-bytes",
      "Maximum size in bytes", "Most bytes of readings held in open windows "
      "(128 per reading); beyond, the earliest window closes early "
      "(grouper's max-size-bytes)", GST_WEATHER_READING_SIZE, G_MAXUINT64,
      GST_GROUPER_DEFAULT_MAX_SIZE_BYTES, playing);

  /**
   * GstWeatherBin:group-by:
   *
   * One group per window of `all` stations (default), per `station` or per
   * `region` (grouper's `group-by`); each group carries its key and
   * predictor predicts per key. NULL or READY state only.
   */
  proxy_pspecs[10] = g_param_spec_enum ("group-by", "Group by",
      "One group per window of all stations, per station, or per region "
      "(grouper's group-by)", GST_TYPE_WEATHER_KEY_KIND,
      GST_GROUPER_DEFAULT_GROUP_BY, ready);

  /**
   * GstWeatherBin:stations-file:
   *
   * CSV stations file (docs/feeds.md) whose `region` column places the
   * stations in regions for group-by=region (grouper's `stations-file`,
   * default NULL: none). Unreadable or invalid: starting fails. NULL or
   * READY state only.
   */
  proxy_pspecs[11] = g_param_spec_string ("stations-file", "Stations file",
      "CSV stations file whose region column gives the regions of "
      "group-by=region (grouper's stations-file; NULL = none)", NULL, ready);

  for (i = 0; i < N_PROXIES; i++)
    g_object_class_install_property (gobject_class, proxies[i].prop_id,
        proxy_pspecs[i]);

  /**
   * GstWeatherBin:stats:
   *
   * An `application/x-weatherbin-stats` structure: `layout` (string), `branches` (uint,
   * station pads linked to grouper now), `branches-added`,
   * `branches-removed`, `branch-failures` (guint64, per-station layout),
   * and the children's own stats structures in the fields `reorderqueue`,
   * `demux` (per-station layout only) and `grouper` (GstStructure each;
   * their fields are documented in the children's pages).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "weatherbin-stats: layout, branches, and the children's stats "
          "(reorderqueue, demux, grouper) as nested structures",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_weather_bin_change_state);

  gst_element_class_set_static_metadata (element_class, "Weather bin",
      "Generic/Bin",
      "Reorders weather readings per station and groups them by time "
      "window (reorderqueue, demux and grouper, auto-plugged)",
      GST_WEATHER_AUTHOR);

  gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_BIN_LAYOUT, 0);
}

static void
gst_weather_bin_init (GstWeatherBin * self)
{
  guint i;

  self->layout = DEFAULT_LAYOUT;
  for (i = 0; i < N_PROXIES; i++) {
    g_value_init (&self->values[i], G_PARAM_SPEC_VALUE_TYPE (proxy_pspecs[i]));
    g_param_value_set_default (proxy_pspecs[i], &self->values[i]);
  }

  self->sinkpad = gst_ghost_pad_new_no_target_from_template ("sink",
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self),
          "sink"));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);
  self->srcpad = gst_ghost_pad_new_no_target_from_template ("src",
      gst_element_class_get_pad_template (GST_ELEMENT_GET_CLASS (self), "src"));
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);

  gst_weather_bin_build (self, self->layout);
}

static void
gst_weather_bin_finalize (GObject * object)
{
  GstWeatherBin *self = GST_WEATHER_BIN (object);
  guint i;

  for (i = 0; i < N_PROXIES; i++) {
    if (G_IS_VALUE (&self->values[i]))
      g_value_unset (&self->values[i]);
  }
  gst_clear_object (&self->reorder);
  gst_clear_object (&self->demux);
  gst_clear_object (&self->grouper);
  g_list_free_full (self->branch_queues, gst_object_unref);
  if (self->retired_stats)
    gst_structure_free (self->retired_stats);

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static gint
proxy_index (guint prop_id)
{
  guint i;

  for (i = 0; i < N_PROXIES; i++) {
    if (proxies[i].prop_id == prop_id)
      return (gint) i;
  }
  return -1;
}

/* Gives proxied property @idx to the children it targets. Called without
 * the object lock: child property setters take their own locks. */
static void
apply_proxy (GstWeatherBin * self, guint idx)
{
  GPtrArray *targets = g_ptr_array_new_with_free_func (gst_object_unref);
  GValue value = G_VALUE_INIT;
  GList *l;
  guint i;

  GST_OBJECT_LOCK (self);
  if (proxies[idx].targets & TARGET_REORDER) {
    if (self->reorder)
      g_ptr_array_add (targets, gst_object_ref (self->reorder));
    for (l = self->branch_queues; l; l = l->next)
      g_ptr_array_add (targets, gst_object_ref (l->data));
  }
  if (proxies[idx].targets & TARGET_DEMUX && self->demux)
    g_ptr_array_add (targets, gst_object_ref (self->demux));
  if (proxies[idx].targets & TARGET_GROUPER && self->grouper)
    g_ptr_array_add (targets, gst_object_ref (self->grouper));
  g_value_init (&value, G_VALUE_TYPE (&self->values[idx]));
  g_value_copy (&self->values[idx], &value);
  GST_OBJECT_UNLOCK (self);

  /* the children are ours: the property is there, of the same type */
  for (i = 0; i < targets->len; i++)
    g_object_set_property (G_OBJECT (g_ptr_array_index (targets, i)),
        proxies[idx].name, &value);
  g_value_unset (&value);
  g_ptr_array_unref (targets);
}

/* The proxied properties a new branch reorderqueue needs. */
static void
configure_branch_queue (GstWeatherBin * self, GstElement * queue)
{
  GValue value = G_VALUE_INIT;
  guint i;

  for (i = 0; i < N_PROXIES; i++) {
    if (!(proxies[i].targets & TARGET_REORDER))
      continue;
    GST_OBJECT_LOCK (self);
    g_value_init (&value, G_VALUE_TYPE (&self->values[i]));
    g_value_copy (&self->values[i], &value);
    GST_OBJECT_UNLOCK (self);
    g_object_set_property (G_OBJECT (queue), proxies[i].name, &value);
    g_value_unset (&value);
  }
}

static void
gst_weather_bin_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstWeatherBin *self = GST_WEATHER_BIN (object);
  gint idx;

  if (prop_id == PROP_LAYOUT) {
    GstWeatherBinLayout layout = g_value_get_enum (value);
    gboolean rebuild = FALSE;

    GST_OBJECT_LOCK (self);
    if (GST_STATE (self) > GST_STATE_READY ||
        GST_STATE_PENDING (self) > GST_STATE_READY) {
      GST_WARNING_OBJECT (self, "layout can only change in NULL or READY");
    } else if (layout != self->layout) {
      self->layout = layout;
      rebuild = TRUE;
    }
    GST_OBJECT_UNLOCK (self);
    if (rebuild)
      gst_weather_bin_build (self, layout);
    return;
  }

  idx = proxy_index (prop_id);
  if (idx < 0) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_value_copy (value, &self->values[idx]);
  GST_OBJECT_UNLOCK (self);
  apply_proxy (self, idx);
}

/* Adds the numeric fields of @s to those of @acc (which takes the others
 * from the first structure that has them): the stats of many branch
 * queues as one. */
static void
sum_stats (GstStructure * acc, const GstStructure * s)
{
  gint i, n = gst_structure_n_fields (s);

  for (i = 0; i < n; i++) {
    const gchar *name = gst_structure_nth_field_name (s, i);
    const GValue *v = gst_structure_get_value (s, name);
    const GValue *old = gst_structure_get_value (acc, name);

    if (old == NULL || G_VALUE_TYPE (old) != G_VALUE_TYPE (v)) {
      if (old == NULL)
        gst_structure_set_value (acc, name, v);
    } else if (G_VALUE_HOLDS_UINT64 (v)) {
      gst_structure_set (acc, name, G_TYPE_UINT64,
          g_value_get_uint64 (old) + g_value_get_uint64 (v), NULL);
    } else if (G_VALUE_HOLDS_UINT (v)) {
      gst_structure_set (acc, name, G_TYPE_UINT,
          g_value_get_uint (old) + g_value_get_uint (v), NULL);
    } else if (G_VALUE_HOLDS_INT64 (v)) {
      gst_structure_set (acc, name, G_TYPE_INT64,
          g_value_get_int64 (old) + g_value_get_int64 (v), NULL);
    } else if (G_VALUE_HOLDS_INT (v)) {
      gst_structure_set (acc, name, G_TYPE_INT,
          g_value_get_int (old) + g_value_get_int (v), NULL);
    } else if (G_VALUE_HOLDS_DOUBLE (v)) {
      gst_structure_set (acc, name, G_TYPE_DOUBLE,
          g_value_get_double (old) + g_value_get_double (v), NULL);
    }
  }
}

static GstStructure *
child_stats (GstElement * child)
{
  GstStructure *s = NULL;

  if (child && g_object_class_find_property (G_OBJECT_GET_CLASS (child),
          "stats"))
    g_object_get (child, "stats", &s, NULL);
  return s;
}

static GstStructure *
gst_weather_bin_get_stats (GstWeatherBin * self)
{
  GstElement *reorder, *demux, *grouper;
  GstStructure *stats, *s, *queues = NULL;
  GEnumValue *layout;
  GList *branch_queues, *l;

  GST_OBJECT_LOCK (self);
  layout = g_enum_get_value (g_type_class_peek (GST_TYPE_WEATHER_BIN_LAYOUT),
      self->layout);
  stats = gst_structure_new ("application/x-weatherbin-stats",
      "layout", G_TYPE_STRING, layout ? layout->value_nick : "unknown",
      "branches", G_TYPE_UINT, g_list_length (self->branch_queues),
      "branches-added", G_TYPE_UINT64, self->branches_added,
      "branches-removed", G_TYPE_UINT64, self->branches_removed,
      "branch-failures", G_TYPE_UINT64, self->branch_failures, NULL);
  reorder = self->reorder ? gst_object_ref (self->reorder) : NULL;
  demux = self->demux ? gst_object_ref (self->demux) : NULL;
  grouper = self->grouper ? gst_object_ref (self->grouper) : NULL;
  branch_queues = g_list_copy_deep (self->branch_queues,
      (GCopyFunc) gst_object_ref, NULL);
  if (self->retired_stats)
    queues = gst_structure_copy (self->retired_stats);
  GST_OBJECT_UNLOCK (self);

  if ((s = child_stats (reorder))) {
    gst_structure_set (stats, "reorderqueue", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }
  if (demux) {
    /* the branches' queues as one, removed branches included */
    for (l = branch_queues; l; l = l->next) {
      if ((s = child_stats (l->data))) {
        if (queues == NULL)
          queues = s;
        else {
          sum_stats (queues, s);
          gst_structure_free (s);
        }
      }
    }
    if (queues)
      gst_structure_set (stats, "reorderqueue", GST_TYPE_STRUCTURE, queues,
          NULL);
  }
  if ((s = child_stats (demux))) {
    gst_structure_set (stats, "demux", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }
  if ((s = child_stats (grouper))) {
    gst_structure_set (stats, "grouper", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }

  if (queues)
    gst_structure_free (queues);
  g_list_free_full (branch_queues, gst_object_unref);
  gst_clear_object (&reorder);
  gst_clear_object (&demux);
  gst_clear_object (&grouper);
  return stats;
}

static void
gst_weather_bin_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstWeatherBin *self = GST_WEATHER_BIN (object);
  gint idx;

  if (prop_id == PROP_LAYOUT) {
    GST_OBJECT_LOCK (self);
    g_value_set_enum (value, self->layout);
    GST_OBJECT_UNLOCK (self);
    return;
  }
  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_weather_bin_get_stats (self));
    return;
  }

  idx = proxy_index (prop_id);
  if (idx < 0) {
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    return;
  }
  GST_OBJECT_LOCK (self);
  g_value_copy (&self->values[idx], value);
  GST_OBJECT_UNLOCK (self);
}

static void
branch_free (GstWeatherBinBranch * branch)
{
  gst_clear_object (&branch->reorder);
  gst_clear_object (&branch->grouper_pad);
  g_free (branch);
}

/* Stops and removes a branch element that is in the bin. */
static void
drop_branch_element (GstWeatherBin * self, GstElement * e)
{
  gst_element_set_locked_state (e, TRUE);
  gst_element_set_state (e, GST_STATE_NULL);
  if (GST_OBJECT_PARENT (e) == GST_OBJECT_CAST (self))
    gst_bin_remove (GST_BIN (self), e);
}

/* Per-station layout: demux found a station. Runs in demux's streaming
 * thread (or in the state change that makes the pads of `stations`): the
 * branch `src_N ! reorderqueue ! grouper.sink_N` is complete and running
 * before demux pushes anything on the pad. The reorderqueue's streaming
 * task gives the branch its own thread: a GstAggregator sink pad blocks
 * its feeder until the other pads have data, so one thread could not feed
 * them all. */
static void
on_demux_pad_added (GstElement * demux, GstPad * pad, GstWeatherBin * self)
{
  GstWeatherBinBranch *branch = NULL;
  GstElement *grouper = NULL, *reorder = NULL;
  GstPad *gpad = NULL, *qsink = NULL;
  gchar *name, *req;
  guint id = 0;
  gboolean numbered;

  if (GST_PAD_DIRECTION (pad) != GST_PAD_SRC)
    return;

  GST_OBJECT_LOCK (self);
  if (self->demux == demux && self->grouper)
    grouper = gst_object_ref (self->grouper);
  GST_OBJECT_UNLOCK (self);
  if (grouper == NULL)
    return;

  /* Same number on both sides: src_7 feeds sink_7, as in the long form. */
  name = gst_pad_get_name (pad);
  numbered = sscanf (name, "src_%u", &id) == 1;
  if (numbered) {
    req = g_strdup_printf ("sink_%u", id);
    gpad = gst_element_request_pad_simple (grouper, req);
    g_free (req);
  }
  if (gpad == NULL)
    gpad = gst_element_request_pad_simple (grouper, "sink_%u");
  if (gpad == NULL) {
    GST_WARNING_OBJECT (self, "grouper gave no pad for %s", name);
    goto failed;
  }

  /* by GType: another plugin's element of the same name is not ours */
  req = numbered ? g_strdup_printf ("reorderqueue_%u", id) : NULL;
  reorder = g_object_new (GST_TYPE_REORDER_QUEUE, "name", req, NULL);
  g_free (req);
  configure_branch_queue (self, reorder);
  gst_object_ref_sink (reorder);
  if (!gst_bin_add (GST_BIN (self), reorder)) {
    GST_WARNING_OBJECT (self, "cannot add the branch of %s", name);
    goto failed_in_bin;
  }

  if (!gst_element_link_pads (reorder, "src", grouper, GST_PAD_NAME (gpad))) {
    GST_WARNING_OBJECT (self, "cannot link the branch of %s to grouper's %s",
        name, GST_PAD_NAME (gpad));
    goto failed_in_bin;
  }
  if (!gst_element_sync_state_with_parent (reorder)) {
    GST_WARNING_OBJECT (self, "the branch of %s did not start", name);
    goto failed_in_bin;
  }
  qsink = gst_element_get_static_pad (reorder, "sink");
  if (gst_pad_link (pad, qsink) != GST_PAD_LINK_OK) {
    GST_WARNING_OBJECT (self, "cannot link %s to its branch", name);
    goto failed_in_bin;
  }

  branch = g_new0 (GstWeatherBinBranch, 1);
  branch->reorder = gst_object_ref (reorder);
  branch->grouper_pad = gst_object_ref (gpad);
  g_object_set_qdata_full (G_OBJECT (pad), branch_quark, branch,
      (GDestroyNotify) branch_free);
  GST_DEBUG_OBJECT (self, "station branch %s ! %s ! grouper.%s", name,
      GST_OBJECT_NAME (reorder), GST_PAD_NAME (gpad));

  GST_OBJECT_LOCK (self);
  self->branches_added++;
  self->branch_queues = g_list_prepend (self->branch_queues,
      gst_object_ref (reorder));
  GST_OBJECT_UNLOCK (self);
  goto done;

failed_in_bin:
  drop_branch_element (self, reorder);
failed:
  GST_ELEMENT_WARNING (self, CORE, PAD,
      ("Readings of station pad %s cannot be grouped", name), (NULL));
  if (gpad)
    gst_element_release_request_pad (grouper, gpad);
  GST_OBJECT_LOCK (self);
  self->branch_failures++;
  GST_OBJECT_UNLOCK (self);
done:
  gst_clear_object (&reorder);
  gst_clear_object (&qsink);
  gst_clear_object (&gpad);
  gst_object_unref (grouper);
  g_free (name);
}

/* Takes a branch out: its reorderqueue stopped and removed (its counts
 * kept in retired_stats), its grouper pad released. */
static void
remove_branch (GstWeatherBin * self, GstWeatherBinBranch * branch)
{
  GstElement *grouper;
  GstStructure *s;
  GstPad *qsrc;
  GList *link;

  qsrc = gst_element_get_static_pad (branch->reorder, "src");
  gst_pad_unlink (qsrc, branch->grouper_pad);
  gst_object_unref (qsrc);

  drop_branch_element (self, branch->reorder);
  s = child_stats (branch->reorder);

  GST_OBJECT_LOCK (self);
  link = g_list_find (self->branch_queues, branch->reorder);
  if (link) {
    gst_object_unref (link->data);
    self->branch_queues = g_list_delete_link (self->branch_queues, link);
  }
  if (s) {
    if (self->retired_stats == NULL)
      self->retired_stats = gst_structure_copy (s);
    else
      sum_stats (self->retired_stats, s);
  }
  self->branches_removed++;
  GST_OBJECT_UNLOCK (self);
  if (s)
    gst_structure_free (s);

  grouper = gst_pad_get_parent_element (branch->grouper_pad);
  if (grouper) {
    gst_element_release_request_pad (grouper, branch->grouper_pad);
    gst_object_unref (grouper);
  }
}

/* demux unlinks a pad before it says it removed it: the branch is found
 * through the pad's qdata. */
static void
on_demux_pad_removed (GstElement * demux, GstPad * pad, GstWeatherBin * self)
{
  GstWeatherBinBranch *branch;

  branch = g_object_steal_qdata (G_OBJECT (pad), branch_quark);
  if (branch == NULL)
    return;
  GST_DEBUG_OBJECT (self, "station branch %s removed", GST_PAD_NAME (pad));
  remove_branch (self, branch);
  branch_free (branch);
}

static void
remove_child (GstWeatherBin * self, GstElement * child)
{
  if (child == NULL)
    return;
  g_signal_handlers_disconnect_by_data (child, self);
  gst_element_set_locked_state (child, TRUE);
  gst_element_set_state (child, GST_STATE_NULL);
  gst_bin_remove (GST_BIN (self), child);
  gst_object_unref (child);
}

/* A child of the bin, made by GType: another plugin's element that has
 * the same factory name is never picked up. */
static GstElement *
make_child (GstWeatherBin * self, GType type, const gchar * name)
{
  GstElement *e = g_object_new (type, "name", name, NULL);

  gst_bin_add (GST_BIN (self), e);
  return gst_object_ref (e);
}

static gboolean
copy_sticky_event (GstPad * pad, GstEvent ** event, gpointer user_data)
{
  GstPad *target = user_data;

  if (GST_EVENT_TYPE (*event) != GST_EVENT_EOS)
    gst_pad_send_event (target, gst_event_ref (*event));
  return TRUE;
}

/* Per-station layout, EOS at demux before any station appeared: grouper
 * has no pad to receive it, so it goes through a pad of its own, with the
 * sticky events of the stream before it. Without this an empty input
 * would never end. */
static GstPadProbeReturn
on_demux_sink_event (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  GstWeatherBin *self = user_data;
  GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);
  GstElement *grouper = NULL;
  GstPad *gpad;

  if (GST_EVENT_TYPE (event) != GST_EVENT_EOS)
    return GST_PAD_PROBE_OK;

  GST_OBJECT_LOCK (self);
  if (self->branch_queues == NULL && self->eos_pad == NULL && self->grouper)
    grouper = gst_object_ref (self->grouper);
  GST_OBJECT_UNLOCK (self);
  if (grouper == NULL)
    return GST_PAD_PROBE_OK;

  gpad = gst_element_request_pad_simple (grouper, "sink_%u");
  gst_object_unref (grouper);
  if (gpad == NULL)
    return GST_PAD_PROBE_OK;

  GST_INFO_OBJECT (self, "EOS before any station: ending grouper through %s",
      GST_PAD_NAME (gpad));
  gst_pad_sticky_events_foreach (pad, copy_sticky_event, gpad);
  gst_pad_send_event (gpad, event);
  GST_OBJECT_LOCK (self);
  self->eos_pad = gpad;
  GST_OBJECT_UNLOCK (self);
  /* demux, with no pad, would only refuse it */
  return GST_PAD_PROBE_HANDLED;
}

/* Builds the children of @layout, replacing those of the old one. Only in
 * NULL or READY, where demux has no pads and so no branches exist. */
static void
gst_weather_bin_build (GstWeatherBin * self, GstWeatherBinLayout layout)
{
  GstElement *old_reorder, *old_demux, *old_grouper;
  GstElement *reorder = NULL, *demux = NULL, *grouper;
  GstPad *pad = NULL;
  guint i;

  GST_OBJECT_LOCK (self);
  old_reorder = self->reorder;
  old_demux = self->demux;
  old_grouper = self->grouper;
  self->reorder = self->demux = self->grouper = NULL;
  GST_OBJECT_UNLOCK (self);

  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
  remove_child (self, old_demux);
  remove_child (self, old_reorder);
  remove_child (self, old_grouper);

  grouper = make_child (self, GST_TYPE_GROUPER, "grouper");
  if (layout == GST_WEATHER_BIN_LAYOUT_PER_STATION)
    demux = make_child (self, GST_TYPE_WEATHER_DEMUX, "demux");
  else
    reorder = make_child (self, GST_TYPE_REORDER_QUEUE, "reorderqueue");

  if (demux) {
    g_signal_connect (demux, "pad-added", G_CALLBACK (on_demux_pad_added),
        self);
    g_signal_connect (demux, "pad-removed",
        G_CALLBACK (on_demux_pad_removed), self);
    pad = gst_element_get_static_pad (demux, "sink");
    gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
        on_demux_sink_event, self, NULL);
  } else {
    pad = gst_element_request_pad_simple (grouper, "sink_%u");
    if (pad == NULL || !gst_element_link_pads (reorder, "src", grouper,
            GST_PAD_NAME (pad)))
      GST_ERROR_OBJECT (self, "cannot link reorderqueue to grouper");
    gst_clear_object (&pad);
    pad = gst_element_get_static_pad (reorder, "sink");
  }
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), pad);
  gst_clear_object (&pad);
  pad = gst_element_get_static_pad (grouper, "src");
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), pad);
  gst_clear_object (&pad);

  GST_OBJECT_LOCK (self);
  self->reorder = reorder;
  self->demux = demux;
  self->grouper = grouper;
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < N_PROXIES; i++)
    apply_proxy (self, i);

  /* In READY, the new children join the bin's state. */
  gst_element_sync_state_with_parent (grouper);
  if (reorder)
    gst_element_sync_state_with_parent (reorder);
  if (demux)
    gst_element_sync_state_with_parent (demux);
}

static GstStateChangeReturn
gst_weather_bin_change_state (GstElement * element, GstStateChange transition)
{
  GstWeatherBin *self = GST_WEATHER_BIN (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    if (self->retired_stats)
      gst_structure_free (self->retired_stats);
    self->retired_stats = NULL;
    self->branches_added = self->branches_removed = 0;
    self->branch_failures = 0;
    GST_OBJECT_UNLOCK (self);
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY) {
    GstPad *eos_pad;
    GstElement *grouper = NULL;

    GST_OBJECT_LOCK (self);
    eos_pad = self->eos_pad;
    self->eos_pad = NULL;
    if (eos_pad && self->grouper)
      grouper = gst_object_ref (self->grouper);
    GST_OBJECT_UNLOCK (self);
    if (grouper)
      gst_element_release_request_pad (grouper, eos_pad);
    gst_clear_object (&grouper);
    gst_clear_object (&eos_pad);
  }
  return ret;
}
