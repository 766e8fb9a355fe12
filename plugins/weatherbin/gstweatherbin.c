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
 *   carrying the mixed stream, ordered per station. Its cost per reading
 *   does not grow with the number of stations: the shape for thousands of
 *   stations.
 * - `per-station`: `reorderqueue ! demux`, and every station's demux pad
 *   linked to its own grouper pad (`src_N` to `sink_N`), requested when the
 *   station appears (also while PLAYING) and released when demux removes
 *   the station's pad (its `idle-timeout`). Handy for a few stations whose
 *   branches applications want to see.
 *
 * In both shapes the bin runs exactly two threads of its own whatever the
 * number of stations: reorderqueue's streaming task (the boundary between
 * ingest and grouping: the upstream thread only inserts into the queue)
 * and grouper's aggregator task, which also runs everything downstream of
 * the bin. docs/scaling.md explains the choice.
 *
 * The properties of the children that a user tunes are proxied:
 * #GstWeatherBin:latency (reorderqueue), #GstWeatherBin:window,
 * #GstWeatherBin:min-stations, #GstWeatherBin:quorum-policy (grouper),
 * #GstWeatherBin:stations (demux and grouper), #GstWeatherBin:idle-timeout
 * (demux, and any other child that has it); #GstWeatherBin:stats gathers
 * the children's `stats`.
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

GST_DEBUG_CATEGORY_STATIC (gst_weather_bin_debug);
#define GST_CAT_DEFAULT gst_weather_bin_debug

#define DEFAULT_LAYOUT GST_WEATHER_BIN_LAYOUT_MIXED

/* Fallback defaults, used only when a child element does not expose the
 * property (they match the documented defaults of the children). */
#define FALLBACK_LATENCY (200 * GST_MSECOND)
#define FALLBACK_WINDOW GST_SECOND
#define FALLBACK_MIN_STATIONS 0
#define FALLBACK_IDLE_TIMEOUT 0

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
  /* grouper and reorderqueue get it too where they have such a property:
   * in the mixed layout there is no demux to forget idle stations. */
  {PROP_IDLE_TIMEOUT, "idle-timeout",
      TARGET_DEMUX | TARGET_REORDER | TARGET_GROUPER},
};

#define N_PROXIES G_N_ELEMENTS (proxies)

static GParamSpec *proxy_pspecs[N_PROXIES];

/* The demux src pad's qdata: the grouper sink pad it is linked to. */
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
  GstElement *reorder;          /* children of the current layout, reffed */
  GstElement *demux;            /* NULL in the mixed layout */
  GstElement *grouper;
  guint64 branches_added;
  guint64 branches_removed;
  guint64 branch_failures;
  guint branches;               /* demux pads linked to grouper now */
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_GROUP_CAPS));

GType
gst_weather_bin_layout_get_type (void)
{
  static GType type = 0;
  static const GEnumValue values[] = {
    {GST_WEATHER_BIN_LAYOUT_MIXED,
        "One reorderqueue and one grouper pad for the mixed stream "
          "(scales to many stations)", "mixed"},
    {GST_WEATHER_BIN_LAYOUT_PER_STATION,
          "demux after the reorderqueue, one grouper pad per station",
        "per-station"},
    {0, NULL, NULL}
  };

  if (g_once_init_enter (&type)) {
    GType t = g_enum_register_static ("GstWeatherBinLayout", values);
    g_once_init_leave (&type, t);
  }
  return type;
}

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

static GParamSpec *
find_child_pspec (const gchar * factory_name, const gchar * prop)
{
  GstElementFactory *factory;
  GParamSpec *pspec = NULL;
  GType type;

  factory = gst_element_factory_find (factory_name);
  if (!factory)
    return NULL;
  factory = GST_ELEMENT_FACTORY (gst_plugin_feature_load (GST_PLUGIN_FEATURE
          (factory)));
  if (!factory)
    return NULL;
  type = gst_element_factory_get_element_type (factory);
  if (type != G_TYPE_INVALID) {
    GObjectClass *klass = g_type_class_ref (type);
    pspec = g_object_class_find_property (klass, prop);
    g_type_class_unref (klass);
  }
  gst_object_unref (factory);
  return pspec;
}

/* A property of ours with the type, range and default of the child's, so
 * that gst-inspect-1.0 shows for weatherbin what the child does. The
 * fallback is used when the child does not (yet) have that property. */
static GParamSpec *
proxy_pspec_new (const gchar * factory_name, const gchar * name,
    const gchar * nick, const gchar * blurb, GParamSpec * fallback)
{
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;
  GParamSpec *child = find_child_pspec (factory_name, name);
  GParamSpec *pspec = NULL;

  if (child == NULL) {
    /* the fallback */
  } else if (G_IS_PARAM_SPEC_UINT64 (child)) {
    GParamSpecUInt64 *p = G_PARAM_SPEC_UINT64 (child);
    pspec = g_param_spec_uint64 (name, nick, blurb, p->minimum, p->maximum,
        p->default_value, flags);
  } else if (G_IS_PARAM_SPEC_UINT (child)) {
    GParamSpecUInt *p = G_PARAM_SPEC_UINT (child);
    pspec = g_param_spec_uint (name, nick, blurb, p->minimum, p->maximum,
        p->default_value, flags);
  } else if (G_IS_PARAM_SPEC_INT (child)) {
    GParamSpecInt *p = G_PARAM_SPEC_INT (child);
    pspec = g_param_spec_int (name, nick, blurb, p->minimum, p->maximum,
        p->default_value, flags);
  } else if (G_IS_PARAM_SPEC_INT64 (child)) {
    GParamSpecInt64 *p = G_PARAM_SPEC_INT64 (child);
    pspec = g_param_spec_int64 (name, nick, blurb, p->minimum, p->maximum,
        p->default_value, flags);
  } else if (G_IS_PARAM_SPEC_ENUM (child)) {
    GParamSpecEnum *p = G_PARAM_SPEC_ENUM (child);
    pspec = g_param_spec_enum (name, nick, blurb,
        G_PARAM_SPEC_VALUE_TYPE (child), p->default_value, flags);
  } else if (GST_IS_PARAM_SPEC_ARRAY_LIST (child)) {
    GstParamSpecArray *p = GST_PARAM_SPEC_ARRAY_LIST (child);
    pspec = gst_param_spec_array (name, nick, blurb,
        p->element_spec ? g_param_spec_ref (p->element_spec) : NULL, flags);
  }

  if (pspec) {
    if (fallback) {
      g_param_spec_ref_sink (fallback);
      g_param_spec_unref (fallback);
    }
    return pspec;
  }
  return fallback;
}

static void
gst_weather_bin_class_init (GstWeatherBinClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_PLAYING;
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
   * The internal shape: `mixed` (default) keeps every station on one
   * grouper pad, so the cost of a reading does not depend on the number of
   * stations (use it beyond a few hundred stations); `per-station` puts a
   * demux after the reorderqueue and gives each station its own grouper
   * pad. Both run two threads whatever the number of stations. Can only be
   * changed in the NULL or READY state.
   */
  g_object_class_install_property (gobject_class, PROP_LAYOUT,
      g_param_spec_enum ("layout", "Layout",
          "Internal shape: mixed (one grouper pad for all stations, scales "
          "to 10,000 stations) or per-station (demux and a grouper pad per "
          "station); NULL or READY state only",
          GST_TYPE_WEATHER_BIN_LAYOUT, DEFAULT_LAYOUT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /**
   * GstWeatherBin:latency:
   *
   * Lateness budget of the reordering, in nanoseconds (reorderqueue's
   * `latency`, default 200 ms): a reading is held until the clock (live) or
   * the event-time watermark (non-live) passes its timestamp plus this,
   * then released in order; anything older for its station is late and
   * counted. It adds to the pipeline latency that grouper waits for.
   */
  proxy_pspecs[0] = proxy_pspec_new ("reorderqueue", "latency", "Latency",
      "Lateness budget of the reordering, in nanoseconds (reorderqueue's "
      "latency)",
      g_param_spec_uint64 ("latency", "Latency",
          "Lateness budget of the reordering, in nanoseconds (reorderqueue's "
          "latency)", 0, G_MAXUINT64, FALLBACK_LATENCY, flags));

  /**
   * GstWeatherBin:window:
   *
   * Length of a group's window, in nanoseconds (grouper's `window`, default
   * 1 s). Windows are aligned to the UNIX epoch, so separate pipelines agree
   * on their boundaries.
   */
  proxy_pspecs[1] = proxy_pspec_new ("grouper", "window", "Window",
      "Length of a group's window, in nanoseconds, aligned to the UNIX epoch "
      "(grouper's window)",
      g_param_spec_uint64 ("window", "Window",
          "Length of a group's window, in nanoseconds, aligned to the UNIX "
          "epoch (grouper's window)", 1, G_MAXUINT64, FALLBACK_WINDOW, flags));

  /**
   * GstWeatherBin:min-stations:
   *
   * Quorum: fewest stations with a reading for a window to make a complete
   * group (grouper's `min-stations`); below it #GstWeatherBin:quorum-policy
   * decides.
   */
  proxy_pspecs[2] = proxy_pspec_new ("grouper", "min-stations",
      "Minimum stations",
      "Fewest stations with a reading for a complete group (grouper's "
      "min-stations)",
      g_param_spec_uint ("min-stations", "Minimum stations",
          "Fewest stations with a reading for a complete group (grouper's "
          "min-stations)", 0, G_MAXUINT, FALLBACK_MIN_STATIONS, flags));

  /**
   * GstWeatherBin:quorum-policy:
   *
   * What happens to a window below #GstWeatherBin:min-stations (grouper's
   * `quorum-policy`): emitted marked incomplete, or skipped; either way
   * counted in the stats.
   */
  proxy_pspecs[3] = proxy_pspec_new ("grouper", "quorum-policy",
      "Quorum policy",
      "What happens to a window below min-stations: emit-incomplete or skip "
      "(grouper's quorum-policy)", NULL);

  /**
   * GstWeatherBin:stations:
   *
   * The expected stations, by numeric id (gst-launch: `stations="<1,2,3>"`;
   * empty, the default: every station that appears). Goes to grouper (the
   * set a group's slots are made of) and, in the per-station layout, to
   * demux (pads made up front).
   */
  proxy_pspecs[4] = proxy_pspec_new ("grouper", "stations", "Stations",
      "Expected station ids (empty: every station that appears); grouper's "
      "and demux's stations",
      gst_param_spec_array ("stations", "Stations",
          "Expected station ids (empty: every station that appears); "
          "grouper's and demux's stations",
          g_param_spec_uint ("station-id", "Station id", "A station id", 0,
              G_MAXUINT32, 0, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS),
          flags));

  /**
   * GstWeatherBin:idle-timeout:
   *
   * Event time, in nanoseconds, after which a silent station is declared
   * idle (demux's `idle-timeout`; 0 = never): a GAP event tells grouper
   * not to wait for it, and in the per-station layout its pad and grouper
   * pad are released.
   */
  proxy_pspecs[5] = proxy_pspec_new ("demux", "idle-timeout", "Idle timeout",
      "Event time in nanoseconds after which a silent station is idle "
      "(0 = never); demux's idle-timeout",
      g_param_spec_uint64 ("idle-timeout", "Idle timeout",
          "Event time in nanoseconds after which a silent station is idle "
          "(0 = never); demux's idle-timeout", 0, G_MAXUINT64,
          FALLBACK_IDLE_TIMEOUT, flags));

  for (i = 0; i < N_PROXIES; i++) {
    if (proxy_pspecs[i])
      g_object_class_install_property (gobject_class, proxies[i].prop_id,
          proxy_pspecs[i]);
  }

  /**
   * GstWeatherBin:stats:
   *
   * A `weatherbin-stats` structure: `layout` (string), `branches` (uint,
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
      "window (reorderqueue, demux and grouper, auto-plugged)", "gst-weather");

  gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_BIN_LAYOUT, 0);
}

static void
gst_weather_bin_init (GstWeatherBin * self)
{
  guint i;

  self->layout = DEFAULT_LAYOUT;
  for (i = 0; i < N_PROXIES; i++) {
    if (proxy_pspecs[i] == NULL)
      continue;
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

  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static gint
proxy_index (guint prop_id)
{
  guint i;

  for (i = 0; i < N_PROXIES; i++) {
    if (proxies[i].prop_id == prop_id)
      return proxy_pspecs[i] ? (gint) i : -1;
  }
  return -1;
}

/* Sets a child's property from one of ours when the child has it. */
static void
set_child_property (GstWeatherBin * self, GstElement * child,
    const gchar * name, const GValue * value)
{
  GParamSpec *pspec;
  GValue converted = G_VALUE_INIT;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (child), name);
  if (pspec == NULL || !(pspec->flags & G_PARAM_WRITABLE))
    return;

  if (G_VALUE_TYPE (value) == G_PARAM_SPEC_VALUE_TYPE (pspec)) {
    g_object_set_property (G_OBJECT (child), name, value);
    return;
  }

  g_value_init (&converted, G_PARAM_SPEC_VALUE_TYPE (pspec));
  if (g_value_transform (value, &converted)) {
    g_object_set_property (G_OBJECT (child), name, &converted);
  } else {
    GST_WARNING_OBJECT (self, "cannot give %s to %s: it takes a %s, not a %s",
        name, GST_OBJECT_NAME (child),
        g_type_name (G_PARAM_SPEC_VALUE_TYPE (pspec)),
        G_VALUE_TYPE_NAME (value));
  }
  g_value_unset (&converted);
}

/* Gives proxied property @idx to the children it targets. Called without
 * the object lock: child property setters take their own locks. */
static void
apply_proxy (GstWeatherBin * self, guint idx)
{
  GstElement *targets[3] = { NULL, NULL, NULL };
  GValue value = G_VALUE_INIT;
  guint i;

  GST_OBJECT_LOCK (self);
  if (proxies[idx].targets & TARGET_REORDER && self->reorder)
    targets[0] = gst_object_ref (self->reorder);
  if (proxies[idx].targets & TARGET_DEMUX && self->demux)
    targets[1] = gst_object_ref (self->demux);
  if (proxies[idx].targets & TARGET_GROUPER && self->grouper)
    targets[2] = gst_object_ref (self->grouper);
  g_value_init (&value, G_VALUE_TYPE (&self->values[idx]));
  g_value_copy (&self->values[idx], &value);
  GST_OBJECT_UNLOCK (self);

  for (i = 0; i < G_N_ELEMENTS (targets); i++) {
    if (targets[i]) {
      set_child_property (self, targets[i], proxies[idx].name, &value);
      gst_object_unref (targets[i]);
    }
  }
  g_value_unset (&value);
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
  GstStructure *stats, *s;
  GEnumValue *layout;

  GST_OBJECT_LOCK (self);
  layout = g_enum_get_value (g_type_class_peek (GST_TYPE_WEATHER_BIN_LAYOUT),
      self->layout);
  stats = gst_structure_new ("weatherbin-stats",
      "layout", G_TYPE_STRING, layout ? layout->value_nick : "unknown",
      "branches", G_TYPE_UINT, self->branches,
      "branches-added", G_TYPE_UINT64, self->branches_added,
      "branches-removed", G_TYPE_UINT64, self->branches_removed,
      "branch-failures", G_TYPE_UINT64, self->branch_failures, NULL);
  reorder = self->reorder ? gst_object_ref (self->reorder) : NULL;
  demux = self->demux ? gst_object_ref (self->demux) : NULL;
  grouper = self->grouper ? gst_object_ref (self->grouper) : NULL;
  GST_OBJECT_UNLOCK (self);

  if ((s = child_stats (reorder))) {
    gst_structure_set (stats, "reorderqueue", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }
  if ((s = child_stats (demux))) {
    gst_structure_set (stats, "demux", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }
  if ((s = child_stats (grouper))) {
    gst_structure_set (stats, "grouper", GST_TYPE_STRUCTURE, s, NULL);
    gst_structure_free (s);
  }

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

/* Per-station layout: demux found a station. Runs in demux's streaming
 * thread (or in the state change that makes the pads of `stations`). */
static void
on_demux_pad_added (GstElement * demux, GstPad * pad, GstWeatherBin * self)
{
  GstElement *grouper = NULL;
  GstPad *sinkpad = NULL;
  GstPadLinkReturn ret;
  gchar *name, *req;
  guint id;

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
  if (sscanf (name, "src_%u", &id) == 1) {
    req = g_strdup_printf ("sink_%u", id);
    sinkpad = gst_element_request_pad_simple (grouper, req);
    g_free (req);
  }
  if (sinkpad == NULL)
    sinkpad = gst_element_request_pad_simple (grouper, "sink_%u");

  if (sinkpad == NULL) {
    GST_WARNING_OBJECT (self, "grouper gave no pad for %s: station dropped",
        name);
    ret = GST_PAD_LINK_REFUSED;
  } else {
    ret = gst_pad_link (pad, sinkpad);
    if (ret != GST_PAD_LINK_OK) {
      GST_WARNING_OBJECT (self, "cannot link %s to grouper's %s: %s", name,
          GST_PAD_NAME (sinkpad), gst_pad_link_get_name (ret));
      gst_element_release_request_pad (grouper, sinkpad);
    } else {
      GST_DEBUG_OBJECT (self, "station branch %s -> %s", name,
          GST_PAD_NAME (sinkpad));
      g_object_set_qdata_full (G_OBJECT (pad), branch_quark,
          gst_object_ref (sinkpad), gst_object_unref);
    }
    gst_object_unref (sinkpad);
  }

  GST_OBJECT_LOCK (self);
  if (ret == GST_PAD_LINK_OK) {
    self->branches_added++;
    self->branches++;
  } else {
    self->branch_failures++;
  }
  GST_OBJECT_UNLOCK (self);

  g_free (name);
  gst_object_unref (grouper);
}

/* demux unlinks a pad before it says it removed it: the grouper pad it fed
 * is found through the pad's qdata. */
static void
on_demux_pad_removed (GstElement * demux, GstPad * pad, GstWeatherBin * self)
{
  GstPad *sinkpad;
  GstElement *grouper;

  sinkpad = g_object_steal_qdata (G_OBJECT (pad), branch_quark);
  if (sinkpad == NULL)
    return;

  grouper = gst_pad_get_parent_element (sinkpad);
  if (grouper) {
    GST_DEBUG_OBJECT (self, "station branch %s -> %s removed",
        GST_PAD_NAME (pad), GST_PAD_NAME (sinkpad));
    gst_element_release_request_pad (grouper, sinkpad);
    gst_object_unref (grouper);
  }
  gst_object_unref (sinkpad);

  GST_OBJECT_LOCK (self);
  self->branches_removed++;
  if (self->branches > 0)
    self->branches--;
  GST_OBJECT_UNLOCK (self);
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

static GstElement *
make_child (GstWeatherBin * self, const gchar * factory, const gchar * name)
{
  GstElement *e = gst_element_factory_make (factory, name);

  if (e == NULL) {
    GST_ERROR_OBJECT (self, "element %s is missing", factory);
    return NULL;
  }
  gst_bin_add (GST_BIN (self), e);
  return gst_object_ref (e);
}

/* Builds the children of @layout, replacing those of the old one. Only in
 * NULL or READY. */
static void
gst_weather_bin_build (GstWeatherBin * self, GstWeatherBinLayout layout)
{
  GstElement *old_reorder, *old_demux, *old_grouper;
  GstElement *reorder, *demux = NULL, *grouper;
  GstPad *pad = NULL;
  guint i;

  GST_OBJECT_LOCK (self);
  old_reorder = self->reorder;
  old_demux = self->demux;
  old_grouper = self->grouper;
  self->reorder = self->demux = self->grouper = NULL;
  self->branches = 0;
  GST_OBJECT_UNLOCK (self);

  gst_ghost_pad_set_target (GST_GHOST_PAD (self->sinkpad), NULL);
  gst_ghost_pad_set_target (GST_GHOST_PAD (self->srcpad), NULL);
  remove_child (self, old_demux);
  remove_child (self, old_reorder);
  remove_child (self, old_grouper);

  reorder = make_child (self, "reorderqueue", "reorderqueue");
  grouper = make_child (self, "grouper", "grouper");
  if (layout == GST_WEATHER_BIN_LAYOUT_PER_STATION)
    demux = make_child (self, "demux", "demux");

  if (reorder == NULL || grouper == NULL ||
      (layout == GST_WEATHER_BIN_LAYOUT_PER_STATION && demux == NULL)) {
    /* change_state reports it: there is no bus here yet. */
    remove_child (self, reorder);
    remove_child (self, grouper);
    remove_child (self, demux);
    return;
  }

  if (demux) {
    g_signal_connect (demux, "pad-added", G_CALLBACK (on_demux_pad_added),
        self);
    g_signal_connect (demux, "pad-removed",
        G_CALLBACK (on_demux_pad_removed), self);
    if (!gst_element_link_pads (reorder, "src", demux, "sink"))
      GST_ERROR_OBJECT (self, "cannot link reorderqueue to demux");
  } else {
    pad = gst_element_request_pad_simple (grouper, "sink_%u");
    if (pad == NULL || !gst_element_link_pads (reorder, "src", grouper,
            GST_PAD_NAME (pad)))
      GST_ERROR_OBJECT (self, "cannot link reorderqueue to grouper");
    gst_clear_object (&pad);
  }

  pad = gst_element_get_static_pad (reorder, "sink");
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

  for (i = 0; i < N_PROXIES; i++) {
    if (proxy_pspecs[i])
      apply_proxy (self, i);
  }

  /* In READY, the new children join the bin's state. */
  if (demux)
    gst_element_sync_state_with_parent (demux);
  gst_element_sync_state_with_parent (grouper);
  gst_element_sync_state_with_parent (reorder);
}

static GstStateChangeReturn
gst_weather_bin_change_state (GstElement * element, GstStateChange transition)
{
  GstWeatherBin *self = GST_WEATHER_BIN (element);
  gboolean complete;

  if (transition == GST_STATE_CHANGE_NULL_TO_READY) {
    GST_OBJECT_LOCK (self);
    complete = self->reorder && self->grouper &&
        (self->layout != GST_WEATHER_BIN_LAYOUT_PER_STATION || self->demux);
    GST_OBJECT_UNLOCK (self);
    if (!complete) {
      GST_ELEMENT_ERROR (self, CORE, MISSING_PLUGIN,
          ("weatherbin is missing one of its elements (reorderqueue, demux, "
              "grouper): is the weather plugin complete?"), (NULL));
      return GST_STATE_CHANGE_FAILURE;
    }
  }

  return GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
}
