/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weatherbin: groups out of a late, duplicated, out-of-order input in both
 * layouts, properties proxied to the children, stats gathered, stations
 * appearing while PLAYING, the threads each layout starts, state cycles;
 * bad input (caps, malformed records, late, duplicate, untimed readings, a
 * BYTES segment, empty streams, bad property values) counted or refused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/weather/weather.h>

#include "../weatherharness.h"

#define ORIGIN GST_WEATHER_REPLAY_START
#define MS GST_MSECOND
#define N_STATIONS 3
#define PERIOD (250 * MS)
#define N_WINDOWS 3

static const gchar *layouts[] = { "mixed", "per-station" };

static GstBuffer *
make_reading (guint32 station, GstClockTime offset)
{
  GstWeatherReading r;
  GstBuffer *buf;
  gchar name[16];

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = ORIGIN + (gint64) offset;
  r.sequence = offset / PERIOD + 1;
  r.temperature_c = 10.0 + station + offset / (gdouble) GST_SECOND;
  r.pressure_hpa = 1000.0 + station;
  r.humidity_pct = 50.0;
  r.wind_speed_ms = 2.0;
  r.wind_direction_deg = 90.0;
  g_snprintf (name, sizeof (name), "sim-%u", station);
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = offset;
  return buf;
}

/* A raw record, written without validation: for bad values. */
static GstBuffer *
make_raw_reading (const GstWeatherReading * r, GstClockTime pts)
{
  GstBuffer *buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE,
      NULL);
  GstMapInfo map;

  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_weather_reading_write (r, map.data);
  gst_buffer_unmap (buf, &map);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static GstHarness *
bin_harness (const gchar * layout, const gchar * first_prop, ...)
{
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  const gchar *p;
  GstHarness *h;
  GstSegment seg;
  va_list args;

  fail_unless (bin != NULL);
  gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  va_start (args, first_prop);
  for (p = first_prop; p; p = va_arg (args, const gchar *))
  {
    gchar **kv = g_strsplit (p, "=", 2);

    gst_util_set_object_arg (G_OBJECT (bin), kv[0], kv[1]);
    g_strfreev (kv);
  }
  va_end (args);

  h = weather_harness_new (bin, "sink", "src", FALSE);
  gst_object_unref (bin);
  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_weather_segment_init (&seg, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  return h;
}

/* Sends EOS and waits until it comes out, after every group. */
static void
push_eos_and_wait (GstHarness * h)
{
  GstEvent *ev;

  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  while ((ev = gst_harness_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;

    gst_event_unref (ev);
    if (eos)
      return;
  }
  fail ("no EOS came out of weatherbin");
}

/* Every group left in the harness, as buffers, in order. */
static GPtrArray *
take_groups (GstHarness * h)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func ((GDestroyNotify)
      gst_buffer_unref);
  GstBuffer *buf;

  while ((buf = gst_harness_try_pull (h)))
    g_ptr_array_add (groups, buf);
  return groups;
}

static void
check_group (GstBuffer * buf, guint k, guint present)
{
  GstWeatherGroup g = { 0, };
  GError *err = NULL;

  fail_unless (gst_weather_group_from_buffer (buf, &g, &err),
      "invalid group: %s", err ? err->message : "?");
  fail_unless_equals_int64 (g.window_start, ORIGIN + k * (gint64) GST_SECOND);
  fail_unless_equals_int64 (g.window_end,
      ORIGIN + (k + 1) * (gint64) GST_SECOND);
  fail_unless_equals_int (g.n_present, present);
  gst_weather_group_clear (&g);
}

static GstStructure *
get_stats (GstHarness * h)
{
  GstStructure *s = NULL;

  g_object_get (h->element, "stats", &s, NULL);
  fail_unless (s != NULL);
  fail_unless (gst_structure_has_name (s, "application/x-weatherbin-stats"));
  return s;
}

/* A child's stats as gathered by weatherbin. */
static guint64
child_counter (const GstStructure * stats, const gchar * child,
    const gchar * field)
{
  const GValue *v = gst_structure_get_value (stats, child);
  const GstStructure *cs;
  guint64 u64;
  guint u;

  fail_unless (v != NULL && GST_VALUE_HOLDS_STRUCTURE (v),
      "no %s stats in %" GST_PTR_FORMAT, child, stats);
  cs = gst_value_get_structure (v);
  if (gst_structure_get_uint64 (cs, field, &u64))
    return u64;
  if (gst_structure_get_uint (cs, field, &u))
    return u;
  fail ("no %s in %s stats %" GST_PTR_FORMAT, field, child, cs);
  return 0;
}

/* Readings of N_STATIONS stations every PERIOD over N_WINDOWS 1 s windows.
 * Jittered: each delivered up to 150 ms late (inside the 200 ms budget),
 * every fifth twice. Returned in delivery order. */
static GList *
make_input (gboolean jittered, guint seed)
{
  GList *list = NULL, *l;
  GRand *rand = g_rand_new_with_seed (seed);
  GstClockTime t;
  guint32 s;
  guint n = 0;

  for (t = 0; t < N_WINDOWS * GST_SECOND; t += PERIOD) {
    for (s = 0; s < N_STATIONS; s++) {
      GstBuffer *buf = make_reading (s, t + s * 10 * MS);
      GstClockTime arrival = GST_BUFFER_PTS (buf);

      if (jittered)
        arrival += g_rand_int_range (rand, 0, 150) * MS;
      GST_BUFFER_OFFSET (buf) = arrival;
      list = g_list_prepend (list, buf);
      if (jittered && n++ % 5 == 0) {
        GstBuffer *dup = gst_buffer_copy (buf);

        GST_BUFFER_OFFSET (dup) = arrival + g_rand_int_range (rand, 0,
            150) * MS;
        list = g_list_prepend (list, dup);
      }
    }
  }
  g_rand_free (rand);

  /* delivery order */
  list = g_list_reverse (list);
  for (l = list; l; l = l->next) {
    GList *m;

    for (m = l->next; m; m = m->next) {
      if (GST_BUFFER_OFFSET (m->data) < GST_BUFFER_OFFSET (l->data)) {
        gpointer tmp = l->data;

        l->data = m->data;
        m->data = tmp;
      }
    }
  }
  return list;
}

static GPtrArray *
run_input (const gchar * layout, gboolean jittered, guint seed,
    GstStructure ** stats)
{
  GstHarness *h = bin_harness (layout, NULL);
  GList *input = make_input (jittered, seed), *l;
  GPtrArray *groups;

  for (l = input; l; l = l->next)
    fail_unless_equals_int (gst_harness_push (h, l->data), GST_FLOW_OK);
  g_list_free (input);
  push_eos_and_wait (h);
  groups = take_groups (h);
  if (stats)
    *stats = get_stats (h);
  gst_harness_teardown (h);
  return groups;
}

static gboolean
buffers_equal (GstBuffer * a, GstBuffer * b)
{
  GstMapInfo ma, mb;
  gboolean eq;

  gst_buffer_map (a, &ma, GST_MAP_READ);
  gst_buffer_map (b, &mb, GST_MAP_READ);
  eq = ma.size == mb.size && memcmp (ma.data, mb.data, ma.size) == 0;
  gst_buffer_unmap (a, &ma);
  gst_buffer_unmap (b, &mb);
  return eq;
}

/* The invariant: late, duplicated, out-of-order delivery inside the budget
 * gives exactly the groups of the clean input; in both layouts. */
GST_START_TEST (test_jittered_input_gives_clean_groups)
{
  const gchar *layout = layouts[__i__ % 2];
  guint seed = 1 + __i__ / 2;
  GstStructure *stats = NULL;
  GPtrArray *clean, *jittered;
  guint i;

  clean = run_input (layout, FALSE, seed, NULL);
  jittered = run_input (layout, TRUE, seed, &stats);

  fail_unless_equals_int (clean->len, N_WINDOWS);
  fail_unless_equals_int (jittered->len, N_WINDOWS);
  for (i = 0; i < N_WINDOWS; i++) {
    check_group (g_ptr_array_index (clean, i), i, N_STATIONS);
    fail_unless (buffers_equal (g_ptr_array_index (clean, i),
            g_ptr_array_index (jittered, i)),
        "%s layout, seed %u: group %u differs from the clean input's",
        layout, seed, i);
  }
  /* the duplicates were seen and dropped, not grouped twice */
  fail_unless (child_counter (stats, "reorderqueue", "duplicates") > 0);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "groups"),
      N_WINDOWS);

  gst_structure_free (stats);
  g_ptr_array_unref (clean);
  g_ptr_array_unref (jittered);
}

GST_END_TEST;

static guint64
child_uint64 (GstElement * bin, const gchar * child, const gchar * prop)
{
  GstElement *e = gst_bin_get_by_name (GST_BIN (bin), child);
  guint64 v;

  fail_unless (e != NULL, "no child %s", child);
  g_object_get (e, prop, &v, NULL);
  gst_object_unref (e);
  return v;
}

GST_START_TEST (test_properties_proxied)
{
  const gchar *layout = layouts[__i__];
  gboolean per_station = __i__ == 1;
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  GstElement *grouper, *demux;
  GValue stations = G_VALUE_INIT, id = G_VALUE_INIT, got = G_VALUE_INIT;
  guint min_stations;
  gint policy;
  guint64 v;

  gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  g_object_set (bin, "window", (guint64) (5 * GST_SECOND),
      "latency", (guint64) (300 * MS), "min-stations", 2,
      "idle-timeout", (guint64) (7 * GST_SECOND),
      "station-timeout", (guint64) (60 * GST_SECOND), NULL);
  gst_util_set_object_arg (G_OBJECT (bin), "quorum-policy", "skip");
  gst_value_array_init (&stations, 2);
  g_value_init (&id, G_TYPE_UINT);
  g_value_set_uint (&id, 4);
  gst_value_array_append_value (&stations, &id);
  g_value_set_uint (&id, 9);
  gst_value_array_append_value (&stations, &id);
  g_object_set_property (G_OBJECT (bin), "stations", &stations);

  /* read back from the bin */
  g_object_get (bin, "window", &v, NULL);
  fail_unless_equals_uint64 (v, 5 * GST_SECOND);
  g_object_get (bin, "latency", &v, NULL);
  fail_unless_equals_uint64 (v, 300 * MS);

  /* and in the children */
  grouper = gst_bin_get_by_name (GST_BIN (bin), "grouper");
  fail_unless (grouper != NULL);
  fail_unless_equals_uint64 (child_uint64 (bin, "grouper", "window"),
      5 * GST_SECOND);
  fail_unless_equals_uint64 (child_uint64 (bin, "grouper",
          "station-timeout"), 60 * GST_SECOND);
  g_object_get (grouper, "min-stations", &min_stations, "quorum-policy",
      &policy, NULL);
  fail_unless_equals_int (min_stations, 2);
  fail_unless_equals_int (policy, 1);
  g_object_get_property (G_OBJECT (grouper), "stations", &got);
  fail_unless (gst_value_compare (&got, &stations) == GST_VALUE_EQUAL);
  g_value_unset (&got);
  gst_object_unref (grouper);

  demux = gst_bin_get_by_name (GST_BIN (bin), "demux");
  if (per_station) {
    fail_unless (demux != NULL);
    fail_unless_equals_uint64 (child_uint64 (bin, "demux", "idle-timeout"),
        7 * GST_SECOND);
    g_object_get_property (G_OBJECT (demux), "stations", &got);
    fail_unless (gst_value_compare (&got, &stations) == GST_VALUE_EQUAL);
    g_value_unset (&got);
    gst_object_unref (demux);
  } else {
    fail_unless (demux == NULL);
    fail_unless_equals_uint64 (child_uint64 (bin, "reorderqueue", "latency"),
        300 * MS);
    /* changed while the bin exists: the child follows */
    g_object_set (bin, "latency", (guint64) (400 * MS), NULL);
    fail_unless_equals_uint64 (child_uint64 (bin, "reorderqueue", "latency"),
        400 * MS);
  }

  g_value_unset (&id);
  g_value_unset (&stations);
  gst_object_unref (bin);
}

GST_END_TEST;

/* Per-station: a branch's reorderqueue is made when its station appears and
 * gets the bin's latency, also when it changes later. */
GST_START_TEST (test_latency_reaches_branches)
{
  GstHarness *h = bin_harness ("per-station", "latency=250000000", NULL);

  fail_unless_equals_int (gst_harness_push (h, make_reading (2, 0)),
      GST_FLOW_OK);
  fail_unless_equals_uint64 (child_uint64 (h->element, "reorderqueue_2",
          "latency"), 250 * MS);
  g_object_set (h->element, "latency", (guint64) (100 * MS), NULL);
  fail_unless_equals_uint64 (child_uint64 (h->element, "reorderqueue_2",
          "latency"), 100 * MS);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_stats_gathered)
{
  const gchar *layout = layouts[__i__];
  gboolean per_station = __i__ == 1;
  GstStructure *stats = NULL;
  GPtrArray *groups;
  const gchar *name;
  guint branches;
  guint64 readings = N_STATIONS * N_WINDOWS * (GST_SECOND / PERIOD);

  groups = run_input (layout, FALSE, 1, &stats);
  fail_unless_equals_int (groups->len, N_WINDOWS);

  name = gst_structure_get_string (stats, "layout");
  fail_unless_equals_string (name, layout);
  fail_unless_equals_uint64 (child_counter (stats, "reorderqueue", "pushed"),
      readings);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "readings"),
      readings);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "groups"),
      N_WINDOWS);
  fail_unless (gst_structure_get_uint (stats, "branches", &branches));
  if (per_station) {
    fail_unless_equals_uint64 (child_counter (stats, "demux", "routed"),
        readings);
    fail_unless_equals_int (branches, N_STATIONS);
    /* the branches' queues summed: one reorderqueue per station */
    fail_unless_equals_uint64 (child_counter (stats, "reorderqueue",
            "stations"), N_STATIONS);
  } else {
    fail_if (gst_structure_has_field (stats, "demux"));
    fail_unless_equals_int (branches, 0);
  }

  gst_structure_free (stats);
  g_ptr_array_unref (groups);
}

GST_END_TEST;

/* A station that first appears while PLAYING gets a branch (per-station)
 * or simply its slot (mixed), and is in the groups from then on. */
GST_START_TEST (test_station_appears_while_playing)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GstStructure *stats;
  GPtrArray *groups;
  GstClockTime t;
  guint64 added;

  for (t = 0; t < 3 * GST_SECOND; t += PERIOD) {
    fail_unless_equals_int (gst_harness_push (h, make_reading (0, t)),
        GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h, make_reading (1, t)),
        GST_FLOW_OK);
    /* station 7 from the second window on */
    if (t >= GST_SECOND)
      fail_unless_equals_int (gst_harness_push (h, make_reading (7, t)),
          GST_FLOW_OK);
  }
  fail_unless_equals_int (GST_STATE (h->element), GST_STATE_PLAYING);
  push_eos_and_wait (h);

  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 3);
  check_group (g_ptr_array_index (groups, 0), 0, 2);
  check_group (g_ptr_array_index (groups, 1), 1, 3);
  check_group (g_ptr_array_index (groups, 2), 2, 3);

  stats = get_stats (h);
  fail_unless (gst_structure_get_uint64 (stats, "branches-added", &added));
  fail_unless_equals_uint64 (added, __i__ == 1 ? 3 : 0);
  gst_structure_free (stats);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The threads weatherbin starts, counted from the stream-status messages
 * of its children's tasks: two in the mixed layout whatever the number of
 * stations, one per station (plus grouper's) in the per-station layout. */
GST_START_TEST (test_threads_per_layout)
{
  const gchar *layout = layouts[__i__];
  const guint stations = 40;
  GstElement *pipeline, *src, *bin, *sink;
  GstMessage *msg;
  GstBus *bus;
  guint tasks = 0;
  gboolean done = FALSE;

  pipeline = gst_pipeline_new (NULL);
  src = gst_element_factory_make ("weathersrc", NULL);
  bin = gst_element_factory_make ("weatherbin", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  fail_unless (pipeline && src && bin && sink);
  g_object_set (src, "stations", stations, "num-buffers", stations * 20, NULL);
  gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (pipeline), src, bin, sink, NULL);
  fail_unless (gst_element_link_many (src, bin, sink, NULL));

  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  while (!done) {
    msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR | GST_MESSAGE_STREAM_STATUS);
    fail_unless (msg != NULL, "no EOS within 60 s");
    if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_STREAM_STATUS) {
      GstStreamStatusType type;
      GstElement *owner;

      gst_message_parse_stream_status (msg, &type, &owner);
      if (type == GST_STREAM_STATUS_TYPE_ENTER &&
          gst_object_has_as_ancestor (GST_OBJECT (owner), GST_OBJECT (bin)))
        tasks++;
    } else {
      fail_if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR);
      done = TRUE;
    }
    gst_message_unref (msg);
  }
  fail_unless_equals_int (tasks, __i__ == 1 ? stations + 1 : 2);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* A replay through the per-station layout with a hundred stations:
 * readings go back to weathersrc's buffer pool from a streaming thread per
 * station at once, on far fewer cores, and the stream runs to EOS with
 * every window grouped. */
GST_START_TEST (test_replay_many_station_threads)
{
  const guint stations = 100, rounds = 200;
  GstElement *pipeline, *bin;
  GstMessage *msg;
  GstBus *bus;
  GstStructure *stats;
  gchar *desc;

  desc = g_strdup_printf ("weathersrc stations=%u num-buffers=%u ! "
      "weatherbin name=bin layout=per-station ! fakesink sync=false",
      stations, stations * rounds);
  pipeline = gst_parse_launch (desc, NULL);
  g_free (desc);
  fail_unless (pipeline != NULL);
  bus = gst_element_get_bus (pipeline);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_timed_pop_filtered (bus, GST_CLOCK_TIME_NONE,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);

  bin = gst_bin_get_by_name (GST_BIN (pipeline), "bin");
  g_object_get (bin, "stats", &stats, NULL);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "groups"),
      rounds);
  gst_structure_free (stats);
  gst_object_unref (bin);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipeline);
}

GST_END_TEST;

/* NULL -> PLAYING -> NULL with data each time: the same groups every
 * round, in both layouts, and per-station branches come and go. */
GST_START_TEST (test_state_cycles)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GstSegment seg;
  guint round;

  for (round = 0; round < 5; round++) {
    GPtrArray *groups;
    GstClockTime t;
    GstStructure *stats;
    guint branches;
    guint64 removed;

    for (t = 0; t < 2 * GST_SECOND; t += PERIOD) {
      fail_unless_equals_int (gst_harness_push (h, make_reading (0, t)),
          GST_FLOW_OK);
      fail_unless_equals_int (gst_harness_push (h, make_reading (1, t)),
          GST_FLOW_OK);
    }
    push_eos_and_wait (h);
    groups = take_groups (h);
    fail_unless_equals_int (groups->len, 2);
    check_group (g_ptr_array_index (groups, 0), 0, 2);
    check_group (g_ptr_array_index (groups, 1), 1, 2);
    g_ptr_array_unref (groups);

    fail_unless_equals_int (gst_element_set_state (h->element,
            GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    /* demux removed its pads: the branches went with them */
    stats = get_stats (h);
    fail_unless (gst_structure_get_uint (stats, "branches", &branches));
    fail_unless_equals_int (branches, 0);
    fail_unless (gst_structure_get_uint64 (stats, "branches-removed",
            &removed));
    fail_unless_equals_uint64 (removed, __i__ == 1 ? 2 : 0);
    if (__i__ == 1)
      fail_if (gst_bin_get_by_name (GST_BIN (h->element), "reorderqueue_0"));
    gst_structure_free (stats);

    fail_unless (gst_element_set_state (h->element, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    /* a new stream: clears the EOS of the last round */
    fail_unless (gst_harness_push_event (h,
            gst_event_new_stream_start ("weatherbin-test")));
    gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
    gst_weather_segment_init (&seg, ORIGIN);
    fail_unless (gst_harness_push_event (h, gst_event_new_segment (&seg)));
  }
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The layout changes in NULL/READY only. */
GST_START_TEST (test_layout_changes_only_when_stopped)
{
  GstHarness *h = bin_harness ("mixed", NULL);
  GstElement *demux;
  gint layout;

  /* PLAYING: refused, with a warning in the log, nothing rebuilt */
  gst_util_set_object_arg (G_OBJECT (h->element), "layout", "per-station");
  g_object_get (h->element, "layout", &layout, NULL);
  fail_unless_equals_int (layout, 0);
  demux = gst_bin_get_by_name (GST_BIN (h->element), "demux");
  fail_unless (demux == NULL);

  /* READY: rebuilt with a demux */
  gst_element_set_state (h->element, GST_STATE_READY);
  gst_util_set_object_arg (G_OBJECT (h->element), "layout", "per-station");
  g_object_get (h->element, "layout", &layout, NULL);
  fail_unless_equals_int (layout, 1);
  demux = gst_bin_get_by_name (GST_BIN (h->element), "demux");
  fail_unless (demux != NULL);
  fail_unless_equals_int (GST_STATE (demux), GST_STATE_READY);
  gst_object_unref (demux);
  fail_unless (gst_bin_get_by_name (GST_BIN (h->element), "reorderqueue") ==
      NULL);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* --- bad input --------------------------------------------------------- */

static const gchar *wrong_caps[] = {
  GST_WEATHER_GROUP_CAPS,
  GST_WEATHER_PREDICTION_CAPS,
  "application/x-weather-reading, version=(int)2",
  "application/json",
};

/* Caps that are not readings are refused at negotiation. */
GST_START_TEST (test_wrong_caps_refused)
{
  const gchar *layout = layouts[__i__ % 2];
  const gchar *caps = wrong_caps[__i__ / 2];
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  GstHarness *h;

  gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  h = weather_harness_new (bin, "sink", "src", FALSE);
  gst_object_unref (bin);
  gst_harness_set_src_caps_str (h, caps);
  fail_unless_equals_int (gst_harness_push (h, make_reading (0, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Buffers that are no readings are dropped and counted, the stream goes
 * on, and the good readings around them are grouped as without them. */
GST_START_TEST (test_malformed_buffers_counted)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GstWeatherReading r;
  GstStructure *stats;
  GPtrArray *groups;
  GstClockTime t;
  guint64 invalid;

  for (t = 0; t < 2 * GST_SECOND; t += PERIOD) {
    fail_unless_equals_int (gst_harness_push (h, make_reading (0, t)),
        GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h, make_reading (1, t)),
        GST_FLOW_OK);
    if (t == 500 * MS) {
      /* too short, empty, too long */
      fail_unless_equals_int (gst_harness_push (h,
              gst_buffer_new_allocate (NULL, 10, NULL)), GST_FLOW_OK);
      fail_unless_equals_int (gst_harness_push (h, gst_buffer_new ()),
          GST_FLOW_OK);
      fail_unless_equals_int (gst_harness_push (h,
              gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE + 1,
                  NULL)), GST_FLOW_OK);
      /* infinite temperature, humidity 500 %, created before 1970 */
      gst_weather_reading_init (&r);
      r.station_id = 1;
      r.created_at = ORIGIN + t;
      r.temperature_c = INFINITY;
      fail_unless_equals_int (gst_harness_push (h, make_raw_reading (&r, t)),
          GST_FLOW_OK);
      r.temperature_c = 5;
      r.humidity_pct = 500;
      fail_unless_equals_int (gst_harness_push (h, make_raw_reading (&r, t)),
          GST_FLOW_OK);
      r.humidity_pct = NAN;
      r.created_at = -5;
      fail_unless_equals_int (gst_harness_push (h, make_raw_reading (&r, t)),
          GST_FLOW_OK);
    }
  }
  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 2);
  check_group (g_ptr_array_index (groups, 0), 0, 2);
  check_group (g_ptr_array_index (groups, 1), 1, 2);

  stats = get_stats (h);
  /* counted by the first child that sees them */
  if (__i__ == 1)
    invalid = child_counter (stats, "demux", "dropped-invalid");
  else
    invalid = child_counter (stats, "reorderqueue", "invalid");
  fail_unless_equals_uint64 (invalid, 6);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "readings"),
      2 * 8);
  gst_structure_free (stats);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A reading older than the budget allows is late: dropped and counted,
 * never grouped into a window already closed. */
GST_START_TEST (test_late_reading_counted)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, "latency=200000000", NULL);
  GstStructure *stats;
  GPtrArray *groups;
  GstClockTime t;
  guint64 late;

  for (t = 0; t < 3 * GST_SECOND; t += PERIOD) {
    fail_unless_equals_int (gst_harness_push (h, make_reading (0, t)),
        GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h, make_reading (1, t)),
        GST_FLOW_OK);
  }
  /* 2.5 s after the newest reading of its station: far outside 200 ms */
  fail_unless_equals_int (gst_harness_push (h, make_reading (0, 120 * MS)),
      GST_FLOW_OK);
  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 3);
  stats = get_stats (h);
  late = child_counter (stats, "reorderqueue", "late") +
      child_counter (stats, "grouper", "late");
  fail_unless_equals_uint64 (late, 1);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "readings"),
      2 * 12);
  gst_structure_free (stats);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* The same reading delivered three times is grouped once. */
GST_START_TEST (test_duplicates_counted)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GstStructure *stats;
  GPtrArray *groups;
  GstClockTime t;

  for (t = 0; t < GST_SECOND; t += PERIOD) {
    guint copies = t == 250 * MS ? 3 : 1;

    while (copies--)
      fail_unless_equals_int (gst_harness_push (h, make_reading (0, t)),
          GST_FLOW_OK);
  }
  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 1);
  check_group (g_ptr_array_index (groups, 0), 0, 1);
  stats = get_stats (h);
  fail_unless_equals_uint64 (child_counter (stats, "reorderqueue",
          "duplicates"), 2);
  fail_unless_equals_uint64 (child_counter (stats, "reorderqueue",
          "pushed"), 4);
  gst_structure_free (stats);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Readings without a timestamp get theirs from created_at and the
 * segment; one created before the segment's origin has no place in the
 * stream: dropped and counted, never grouped. */
GST_START_TEST (test_readings_without_timestamps)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GstStructure *stats;
  GPtrArray *groups;
  GstBuffer *buf;
  GstClockTime t;
  guint64 dropped;

  for (t = 0; t < 2 * GST_SECOND; t += PERIOD) {
    buf = make_reading (0, t);
    GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
    if (t == 500 * MS) {
      buf = make_reading (1, t);
      GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
      fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
    }
  }
  /* 5 s before the origin, no PTS */
  {
    GstWeatherReading r;

    gst_weather_reading_init (&r);
    r.station_id = 1;
    r.created_at = ORIGIN - 5 * (gint64) GST_SECOND;
    r.pressure_hpa = 1000;
    fail_unless_equals_int (gst_harness_push (h, make_raw_reading (&r,
                GST_CLOCK_TIME_NONE)), GST_FLOW_OK);
  }
  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 2);
  check_group (g_ptr_array_index (groups, 0), 0, 2);
  check_group (g_ptr_array_index (groups, 1), 1, 1);

  stats = get_stats (h);
  dropped = child_counter (stats, "reorderqueue", "invalid") +
      child_counter (stats, "reorderqueue", "late");
  if (__i__ == 1)
    dropped += child_counter (stats, "demux", "dropped-invalid");
  fail_unless_equals_uint64 (dropped, 1);
  fail_unless_equals_uint64 (child_counter (stats, "grouper", "readings"),
      8 + 1);
  gst_structure_free (stats);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A segment that is not in time (a byte stream pushed straight in) is an
 * error a person can act on, not a crash or a silent stall. */
GST_START_TEST (test_bytes_segment_is_an_error)
{
  const gchar *layout = layouts[__i__];
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  GstBus *bus = gst_bus_new ();
  GstHarness *h;
  GstSegment seg;
  GstMessage *msg;
  GError *err = NULL;

  gst_util_set_object_arg (G_OBJECT (bin), "layout", layout);
  h = weather_harness_new (bin, "sink", "src", FALSE);
  gst_object_unref (bin);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, GST_WEATHER_READING_CAPS);
  gst_segment_init (&seg, GST_FORMAT_BYTES);
  gst_harness_push_event (h, gst_event_new_segment (&seg));
  /* the segment may only travel with the first reading; whatever flow
   * that returns, the error must be posted */
  gst_harness_push (h, make_reading (0, 0));

  msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no error message for a BYTES segment");
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_FORMAT), "%s", err->message);
  g_clear_error (&err);
  gst_message_unref (msg);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Counts, as they are posted, the errors of the bin's elements and the
 * others (whatever the bus does with them later). */
typedef struct
{
  GMutex lock;
  GCond cond;
  GstObject *bin;
  guint from_bin, others;
  GString *what;                /* the errors, for the failure message */
} ErrorCount;

static GstBusSyncReply
count_error (GstBus * bus, GstMessage * msg, gpointer data)
{
  ErrorCount *c = data;

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;

    gst_message_parse_error (msg, &err, NULL);
    g_mutex_lock (&c->lock);
    g_string_append_printf (c->what, "%s: %s; ",
        GST_OBJECT_NAME (GST_MESSAGE_SRC (msg)), err->message);
    g_clear_error (&err);
    if (gst_object_has_as_ancestor (GST_MESSAGE_SRC (msg), c->bin))
      c->from_bin++;
    else
      c->others++;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
  }
  return GST_BUS_PASS;
}

/* Bytes straight from a file into weatherbin, 20 times in each layout:
 * the bin posts one error (the format), however often the segment comes
 * again; the file source stops on the failed push; and the pipeline goes
 * to NULL at once. */
GST_START_TEST (test_bytes_from_file_stop_cleanly)
{
  const gchar *layout = layouts[__i__];
  gchar *path = NULL, *desc;
  GError *err = NULL;
  gint fd, run;

  fd = g_file_open_tmp ("weatherbin-bytes-XXXXXX.jsonl", &path, &err);
  fail_unless (fd >= 0, "%s", err ? err->message : "?");
  close (fd);
  fail_unless (g_file_set_contents (path, "{\"version\":1,\"station_id\":1,"
          "\"created_at\":\"2025-11-26T22:42:59Z\"}\n", -1, NULL));
  desc = g_strdup_printf ("filesrc location=\"%s\" blocksize=16 ! "
      "weatherbin name=bin layout=%s ! fakesink", path, layout);

  for (run = 0; run < 20; run++) {
    GstElement *pipeline = gst_parse_launch (desc, NULL);
    GstBus *bus = gst_element_get_bus (pipeline);
    gint64 end = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
    ErrorCount c = { 0, };

    g_mutex_init (&c.lock);
    g_cond_init (&c.cond);
    c.what = g_string_new (NULL);
    c.bin = GST_OBJECT (gst_bin_get_by_name (GST_BIN (pipeline), "bin"));
    gst_bus_set_sync_handler (bus, count_error, &c, NULL);
    gst_element_set_state (pipeline, GST_STATE_PLAYING);
    g_mutex_lock (&c.lock);
    while (c.from_bin == 0)
      fail_unless (g_cond_wait_until (&c.cond, &c.lock, end),
          "run %d: no error", run);
    g_mutex_unlock (&c.lock);
    /* stopping joins every streaming thread and waits for nothing else */
    fail_unless_equals_int (gst_element_set_state (pipeline,
            GST_STATE_NULL), GST_STATE_CHANGE_SUCCESS);
    fail_unless (c.from_bin == 1, "run %d: %s", run, c.what->str);
    /* besides it, at most the file source's flow error */
    fail_unless (c.others <= 1, "run %d: %s", run, c.what->str);
    g_string_free (c.what, TRUE);
    gst_bus_set_sync_handler (bus, NULL, NULL, NULL);
    gst_object_unref (c.bin);
    gst_object_unref (bus);
    gst_object_unref (pipeline);
    g_mutex_clear (&c.lock);
    g_cond_clear (&c.cond);
  }
  g_unlink (path);
  g_free (path);
  g_free (desc);
}

GST_END_TEST;

/* EOS before any reading: EOS out, no group, no error. */
GST_START_TEST (test_eos_without_readings)
{
  const gchar *layout = layouts[__i__];
  GstHarness *h = bin_harness (layout, NULL);
  GPtrArray *groups;

  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, 0);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Values of the wrong type or out of range for the proxied properties are
 * refused by GObject before they reach a child. */
GST_START_TEST (test_out_of_range_property_ignored)
{
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  guint64 window;
  gint layout;

  g_object_get (bin, "window", &window, NULL);
  /* window 0 is below the minimum: GObject refuses it with a warning */
  ASSERT_WARNING (g_object_set (bin, "window", (guint64) 0, NULL));
  fail_unless_equals_uint64 (child_uint64 (bin, "grouper", "window"), window);
  /* an unknown layout name is not applied */
  gst_util_set_object_arg (G_OBJECT (bin), "layout", "no-such-layout");
  g_object_get (bin, "layout", &layout, NULL);
  fail_unless_equals_int (layout, 0);
  gst_object_unref (bin);
}

GST_END_TEST;

/* ---- the children and their properties ---- */

typedef struct
{
  const gchar *property;
  const gchar *child;           /* element name of the child it goes to */
} Proxied;

static const Proxied proxied[] = {
  {"latency", "reorderqueue"},
  {"window", "grouper"},
  {"min-stations", "grouper"},
  {"quorum-policy", "grouper"},
  {"stations", "grouper"},
  {"idle-timeout", "demux"},
  {"station-timeout", "grouper"},
  {"max-future", "reorderqueue"},
  {"max-future", "demux"},
};

#define MUTABLE_FLAGS (GST_PARAM_MUTABLE_READY | GST_PARAM_MUTABLE_PAUSED | \
    GST_PARAM_MUTABLE_PLAYING)

/* Every proxied property is defined by weatherbin itself with the type,
 * range, default and mutability of the child's property it goes to. */
GST_START_TEST (test_proxied_properties_match_children)
{
  const Proxied *p = &proxied[__i__];
  GstElement *bin = gst_element_factory_make ("weatherbin", NULL);
  GstElement *child;
  GParamSpec *mine, *theirs;
  GValue a = G_VALUE_INIT, b = G_VALUE_INIT;

  if (g_str_equal (p->child, "demux"))
    gst_util_set_object_arg (G_OBJECT (bin), "layout", "per-station");
  child = gst_bin_get_by_name (GST_BIN (bin), p->child);
  fail_unless (child != NULL);
  mine = g_object_class_find_property (G_OBJECT_GET_CLASS (bin), p->property);
  theirs = g_object_class_find_property (G_OBJECT_GET_CLASS (child),
      p->property);
  fail_unless (mine != NULL && theirs != NULL);
  fail_unless_equals_string (g_type_name (G_PARAM_SPEC_TYPE (mine)),
      g_type_name (G_PARAM_SPEC_TYPE (theirs)));
  fail_unless_equals_string (g_type_name (G_PARAM_SPEC_VALUE_TYPE (mine)),
      g_type_name (G_PARAM_SPEC_VALUE_TYPE (theirs)));
  fail_unless_equals_int (mine->flags & MUTABLE_FLAGS,
      theirs->flags & MUTABLE_FLAGS);
  if (G_IS_PARAM_SPEC_UINT64 (mine)) {
    fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (mine)->minimum,
        G_PARAM_SPEC_UINT64 (theirs)->minimum);
    fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (mine)->maximum,
        G_PARAM_SPEC_UINT64 (theirs)->maximum);
  } else if (G_IS_PARAM_SPEC_UINT (mine)) {
    fail_unless_equals_int (G_PARAM_SPEC_UINT (mine)->minimum,
        G_PARAM_SPEC_UINT (theirs)->minimum);
    fail_unless_equals_int (G_PARAM_SPEC_UINT (mine)->maximum,
        G_PARAM_SPEC_UINT (theirs)->maximum);
  } else if (GST_IS_PARAM_SPEC_ARRAY_LIST (mine)) {
    GParamSpec *ea = GST_PARAM_SPEC_ARRAY_LIST (mine)->element_spec;
    GParamSpec *eb = GST_PARAM_SPEC_ARRAY_LIST (theirs)->element_spec;

    fail_unless_equals_string (g_type_name (G_PARAM_SPEC_VALUE_TYPE (ea)),
        g_type_name (G_PARAM_SPEC_VALUE_TYPE (eb)));
  }
  g_value_init (&a, G_PARAM_SPEC_VALUE_TYPE (mine));
  g_value_init (&b, G_PARAM_SPEC_VALUE_TYPE (theirs));
  g_param_value_set_default (mine, &a);
  g_param_value_set_default (theirs, &b);
  fail_unless (gst_value_compare (&a, &b) == GST_VALUE_EQUAL,
      "%s: default differs", p->property);
  /* and a new bin's children have those defaults */
  g_value_unset (&b);
  g_value_init (&b, G_PARAM_SPEC_VALUE_TYPE (theirs));
  g_object_get_property (G_OBJECT (child), p->property, &b);
  fail_unless (gst_value_compare (&a, &b) == GST_VALUE_EQUAL);
  g_value_unset (&a);
  g_value_unset (&b);
  gst_object_unref (child);
  gst_object_unref (bin);
}

GST_END_TEST;

/* Another plugin's elements named like the children do not get in: the
 * children are made by GType. */
GST_START_TEST (test_children_by_type_not_by_name)
{
  GstElementFactory *identity = gst_element_factory_find ("identity");
  GstPluginFeature *bin_factory =
      GST_PLUGIN_FEATURE (gst_element_factory_find ("weatherbin"));
  GType impostor;
  const gchar *names[] = { "grouper", "demux", "reorderqueue" };
  guint i, layout;

  /* the weather plugin is loaded first: loading it would register its own
   * elements again over the impostors */
  fail_unless (bin_factory != NULL);
  gst_object_unref (gst_plugin_feature_load (bin_factory));
  gst_object_unref (bin_factory);
  fail_unless (identity != NULL);
  identity = GST_ELEMENT_FACTORY (gst_plugin_feature_load
      (GST_PLUGIN_FEATURE (identity)));
  impostor = gst_element_factory_get_element_type (identity);
  for (i = 0; i < G_N_ELEMENTS (names); i++) {
    GstElement *e;

    fail_unless (gst_element_register (NULL, names[i], GST_RANK_PRIMARY + 1,
            impostor));
    e = gst_element_factory_make (names[i], NULL);
    fail_unless_equals_string (G_OBJECT_TYPE_NAME (e), "GstIdentity");
    gst_object_unref (e);
  }

  for (layout = 0; layout < 2; layout++) {
    GstHarness *h = bin_harness (layouts[layout], "window=1000000000", NULL);
    GstElement *child;
    GPtrArray *groups;

    child = gst_bin_get_by_name (GST_BIN (h->element), "grouper");
    fail_unless_equals_string (G_OBJECT_TYPE_NAME (child), "GstGrouper");
    gst_object_unref (child);
    child = gst_bin_get_by_name (GST_BIN (h->element),
        layout ? "demux" : "reorderqueue");
    fail_unless_equals_string (G_OBJECT_TYPE_NAME (child),
        layout ? "GstWeatherDemux" : "GstReorderQueue");
    gst_object_unref (child);

    /* and they work */
    fail_unless_equals_int (gst_harness_push (h, make_reading (0, 0)),
        GST_FLOW_OK);
    fail_unless_equals_int (gst_harness_push (h, make_reading (0,
                GST_SECOND)), GST_FLOW_OK);
    push_eos_and_wait (h);
    groups = take_groups (h);
    fail_unless_equals_int (groups->len, 2);
    g_ptr_array_unref (groups);
    gst_harness_teardown (h);
  }
  gst_object_unref (identity);
}

GST_END_TEST;

/* ---- time properties at the edges of their ranges ---- */

typedef struct
{
  const gchar *property;
  guint64 value;
  guint groups;                 /* out of readings at 0, 1 s and 2 s */
} TimeEdge;

static const TimeEdge time_edges[] = {
  {"latency", 0, 3},
  {"latency", GST_WEATHER_MAX_LATENESS - 1, 3},
  {"latency", GST_WEATHER_MAX_LATENESS, 3},
  {"window", GST_MSECOND, 3},
  {"window", G_MAXINT64 / 2 - 1, 1},
  {"window", G_MAXINT64 / 2, 1},
  {"idle-timeout", 0, 3},
  {"idle-timeout", G_MAXINT64 - 1, 3},
  {"idle-timeout", G_MAXINT64, 3},
  /* station-timeout goes to grouper, whose own tests hold its edges (at
   * 2^63-2 and 2^63-1 its sum last reading + timeout overflowed) */
  {"station-timeout", 0, 3},
  {"max-future", 0, 3},
  {"max-future", G_MAXINT64 - 1, 3},
  {"max-future", G_MAXINT64, 3},
};

/* Each time property at its minimum, its maximum and one below: the
 * range is what the property says (one above is refused), the value
 * reaches the child, and a stream goes through in both layouts. */
GST_START_TEST (test_time_property_edges)
{
  const TimeEdge *edge = &time_edges[__i__ / 2];
  const gchar *layout = layouts[__i__ % 2];
  gchar *arg = g_strdup_printf ("%s=%" G_GUINT64_FORMAT, edge->property,
      edge->value);
  GstHarness *h = bin_harness (layout, arg, NULL);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (h->element), edge->property);
  GValue v = G_VALUE_INIT;
  GPtrArray *groups;
  guint64 got;
  guint i;

  g_value_init (&v, G_TYPE_UINT64);
  g_value_set_uint64 (&v, G_PARAM_SPEC_UINT64 (pspec)->maximum + 1);
  fail_unless (G_PARAM_SPEC_UINT64 (pspec)->maximum == G_MAXUINT64 ||
      g_param_value_validate (pspec, &v));
  g_value_unset (&v);
  g_object_get (h->element, edge->property, &got, NULL);
  fail_unless_equals_uint64 (got, edge->value);

  for (i = 0; i < 3; i++)
    fail_unless_equals_int (gst_harness_push (h, make_reading (0,
                i * GST_SECOND)), GST_FLOW_OK);
  push_eos_and_wait (h);
  groups = take_groups (h);
  fail_unless_equals_int (groups->len, edge->groups);
  g_ptr_array_unref (groups);
  gst_harness_teardown (h);
  g_free (arg);
}

GST_END_TEST;

static Suite *
weatherbin_suite (void)
{
  Suite *s = suite_create ("weatherbin");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  /* good input */
  tcase_add_loop_test (tc, test_jittered_input_gives_clean_groups, 0, 6);
  tcase_add_loop_test (tc, test_properties_proxied, 0, 2);
  tcase_add_test (tc, test_latency_reaches_branches);
  tcase_add_loop_test (tc, test_stats_gathered, 0, 2);
  tcase_add_loop_test (tc, test_station_appears_while_playing, 0, 2);
  tcase_add_loop_test (tc, test_state_cycles, 0, 2);
  tcase_add_test (tc, test_replay_many_station_threads);
  tcase_add_loop_test (tc, test_threads_per_layout, 0, 2);
  tcase_add_test (tc, test_layout_changes_only_when_stopped);
  tcase_add_loop_test (tc, test_proxied_properties_match_children, 0,
      G_N_ELEMENTS (proxied));
  tcase_add_test (tc, test_children_by_type_not_by_name);
  tcase_add_loop_test (tc, test_time_property_edges, 0,
      2 * G_N_ELEMENTS (time_edges));
  /* bad input */
  tcase_add_loop_test (tc, test_wrong_caps_refused, 0,
      2 * G_N_ELEMENTS (wrong_caps));
  tcase_add_loop_test (tc, test_malformed_buffers_counted, 0, 2);
  tcase_add_loop_test (tc, test_late_reading_counted, 0, 2);
  tcase_add_loop_test (tc, test_duplicates_counted, 0, 2);
  tcase_add_loop_test (tc, test_eos_without_readings, 0, 2);
  tcase_add_loop_test (tc, test_readings_without_timestamps, 0, 2);
  tcase_add_loop_test (tc, test_bytes_segment_is_an_error, 0, 2);
  tcase_add_loop_test (tc, test_bytes_from_file_stop_cleanly, 0, 2);
  tcase_add_test (tc, test_out_of_range_property_ignored);
  return s;
}

GST_CHECK_MAIN (weatherbin);
