/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * demux: pads per station, sticky events, flow combining, idle GAPs, and
 * what it does with bad input.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdio.h>
#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/check/gsttestclock.h>
#include <gst/weather/weather.h>

#include "../weatherstats.h"

#define ORIGIN GST_WEATHER_REPLAY_START
#define MS GST_MSECOND
#define CAPS "application/x-weather-reading, version=(int)1"

/* What one station's pad delivered. Everything runs in the test thread
 * (the harness pushes synchronously), so no lock is needed. */
typedef struct
{
  guint id;
  GstPad *sinkpad;
  GString *log;                 /* "B<ms>" "G<ms>+<ms>" "E" "FS" "FE" */
  gchar *stream_id;
  guint group_id;
  GstCaps *caps;
  GstSegment segment;
  gboolean have_segment;
  guint buffers;
  GstFlowReturn ret;
} StationSink;

static GHashTable *sinks;       /* station id -> StationSink */
static guint pads_added;
static gint unlinked_station = -1;

static void
station_sink_free (StationSink * s)
{
  if (s->sinkpad) {
    gst_pad_set_active (s->sinkpad, FALSE);
    gst_object_unref (s->sinkpad);
  }
  g_string_free (s->log, TRUE);
  g_free (s->stream_id);
  gst_clear_caps (&s->caps);
  g_free (s);
}

static StationSink *
sink_of (guint id)
{
  return g_hash_table_lookup (sinks, GUINT_TO_POINTER (id));
}

static GstFlowReturn
station_chain (GstPad * pad, GstObject * parent, GstBuffer * buf)
{
  StationSink *s = g_object_get_data (G_OBJECT (pad), "station-sink");
  GstWeatherReading r;

  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless_equals_int (r.station_id, s->id);
  g_string_append_printf (s->log, "B%" G_GUINT64_FORMAT " ",
      GST_BUFFER_PTS (buf) / MS);
  s->buffers++;
  gst_buffer_unref (buf);
  return s->ret;
}

static gboolean
station_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  StationSink *s = g_object_get_data (G_OBJECT (pad), "station-sink");

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_STREAM_START:{
      const gchar *sid;

      gst_event_parse_stream_start (event, &sid);
      g_free (s->stream_id);
      s->stream_id = g_strdup (sid);
      fail_unless (gst_event_parse_group_id (event, &s->group_id));
      break;
    }
    case GST_EVENT_CAPS:{
      GstCaps *caps;

      gst_event_parse_caps (event, &caps);
      gst_caps_replace (&s->caps, caps);
      break;
    }
    case GST_EVENT_SEGMENT:
      gst_event_copy_segment (event, &s->segment);
      s->have_segment = TRUE;
      break;
    case GST_EVENT_GAP:{
      GstClockTime ts, dur;

      gst_event_parse_gap (event, &ts, &dur);
      g_string_append_printf (s->log, "G%" G_GUINT64_FORMAT "+%"
          G_GUINT64_FORMAT " ", ts / MS, dur / MS);
      break;
    }
    case GST_EVENT_EOS:
      g_string_append (s->log, "E ");
      break;
    case GST_EVENT_FLUSH_START:
      g_string_append (s->log, "FS ");
      break;
    case GST_EVENT_FLUSH_STOP:
      g_string_append (s->log, "FE ");
      break;
    case GST_EVENT_CUSTOM_DOWNSTREAM:{
      const gchar *region;
      guint32 id;

      if (gst_weather_region_event_parse (event, &id, &region))
        g_string_append_printf (s->log, "R%u:%s ", id, region);
      else
        g_string_append (s->log, "C ");
      break;
    }
    default:
      break;
  }
  gst_event_unref (event);
  return TRUE;
}

static void
on_pad_added (GstElement * demux, GstPad * pad, gpointer user_data)
{
  StationSink *s = g_new0 (StationSink, 1);
  gchar *name = gst_pad_get_name (pad);

  fail_unless (sscanf (name, "src_%u", &s->id) == 1);
  g_free (name);
  s->log = g_string_new (NULL);
  s->ret = GST_FLOW_OK;
  pads_added++;
  g_hash_table_insert (sinks, GUINT_TO_POINTER (s->id), s);

  if ((gint) s->id == unlinked_station)
    return;
  {
    GstCaps *any = gst_caps_new_any ();
    GstPadTemplate *templ = gst_pad_template_new ("sink", GST_PAD_SINK,
        GST_PAD_ALWAYS, any);

    /* accepts the renegotiation when a listed station's name arrives */
    s->sinkpad = gst_pad_new_from_template (templ, "sink");
    GST_PAD_SET_ACCEPT_TEMPLATE (s->sinkpad);
    gst_object_unref (templ);
    gst_caps_unref (any);
  }
  g_object_set_data (G_OBJECT (s->sinkpad), "station-sink", s);
  gst_pad_set_chain_function (s->sinkpad, station_chain);
  gst_pad_set_event_function (s->sinkpad, station_event);
  gst_pad_set_active (s->sinkpad, TRUE);
  fail_unless_equals_int (gst_pad_link (pad, s->sinkpad), GST_PAD_LINK_OK);
}

static gchar *
take_log (guint id)
{
  StationSink *s = sink_of (id);
  gchar *str;

  fail_unless (s != NULL, "no pad for station %u", id);
  str = g_strdup (g_strstrip (s->log->str));
  g_string_truncate (s->log, 0);
  return str;
}

#define assert_log(id, expected) G_STMT_START { \
  gchar *_got = take_log (id); \
  fail_unless_equals_string (_got, expected); \
  g_free (_got); \
} G_STMT_END

static GstBuffer *
make_reading (guint32 station, GstClockTime pts)
{
  GstWeatherReading r;
  GstBuffer *buf;
  gchar name[32];

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = ORIGIN + (gint64) pts;
  r.sequence = pts / GST_SECOND + 1;
  r.temperature_c = 10.0;
  g_snprintf (name, sizeof (name), "st-%u", station);
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

static GstFlowReturn
push_reading (GstHarness * h, guint32 station, GstClockTime pts)
{
  return gst_harness_push (h, make_reading (station, pts));
}

/* A demux with @props set before it goes to PLAYING, its sink fed by a
 * harness with the weather segment. */
static GstHarness *
setup_with (const gchar * props)
{
  GstElement *demux;
  GstHarness *h;
  GstSegment segment;
  gchar **pairs;
  guint i;

  sinks = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) station_sink_free);
  pads_added = 0;
  demux = gst_element_factory_make ("demux", NULL);
  fail_unless (demux != NULL);
  pairs = g_strsplit (props ? props : "", " ", -1);
  for (i = 0; pairs[i]; i++) {
    gchar **kv = g_strsplit (pairs[i], "=", 2);

    if (kv[0] && kv[1])
      gst_util_set_object_arg (G_OBJECT (demux), kv[0], kv[1]);
    g_strfreev (kv);
  }
  g_strfreev (pairs);
  g_signal_connect (demux, "pad-added", G_CALLBACK (on_pad_added), NULL);
  h = gst_harness_new_with_element (demux, "sink", NULL);
  gst_object_unref (demux);
  /* a replay: max-future is measured against the stream, not a clock */
  gst_harness_set_live (h, FALSE);
  gst_harness_set_src_caps_str (h, CAPS);
  gst_weather_segment_init (&segment, ORIGIN);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  return h;
}

static void
teardown (GstHarness * h)
{
  gst_harness_teardown (h);
  g_hash_table_destroy (sinks);
  sinks = NULL;
  unlinked_station = -1;
}

static GstStructure *
get_stats (GstHarness * h)
{
  GstStructure *s;

  g_object_get (h->element, "stats", &s, NULL);
  fail_unless (s != NULL);
  return s;
}

static guint
stat_pads_created (GstHarness * h)
{
  GstStructure *s = get_stats (h);
  guint v = G_MAXUINT;

  fail_unless (gst_structure_get_uint (s, "pads-created", &v));
  gst_structure_free (s);
  return v;
}

static guint64
station_routed (GstHarness * h, guint id)
{
  GstStructure *s = get_stats (h);
  const GValue *arr = gst_structure_get_value (s, "stations");
  guint i;
  guint64 routed = G_MAXUINT64;

  fail_unless (arr != NULL && GST_VALUE_HOLDS_ARRAY (arr));
  for (i = 0; i < gst_value_array_get_size (arr); i++) {
    const GstStructure *st =
        gst_value_get_structure (gst_value_array_get_value (arr, i));
    guint sid;

    fail_unless (gst_structure_get_uint (st, "id", &sid));
    if (sid == id)
      fail_unless (gst_structure_get_uint64 (st, "routed", &routed));
  }
  gst_structure_free (s);
  return routed;
}

/* ---- good input ---- */

GST_START_TEST (test_dynamic_pads)
{
  GstHarness *h = setup_with (NULL);

  fail_unless_equals_int (push_reading (h, 3, 0), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 1, 500 * MS), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 3, 1 * GST_SECOND), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 3, 800 * MS), GST_FLOW_OK);

  fail_unless_equals_int (pads_added, 2);
  {
    GstPad *pad = gst_element_get_static_pad (h->element, "src_3");

    fail_unless (pad != NULL);
    gst_object_unref (pad);
  }
  /* passed on as they come: demux does not reorder */
  assert_log (3, "B0 B1000 B800");
  assert_log (1, "B500");

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 4);
  fail_unless_equals_int (stat_pads_created (h), 2);
  fail_unless_equals_uint64 (station_routed (h, 3), 3);
  fail_unless_equals_uint64 (station_routed (h, 1), 1);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_sticky_events_per_pad)
{
  GstHarness *h = setup_with (NULL);
  StationSink *a, *b;
  const GstStructure *st;
  guint sid;
  gint version;

  push_reading (h, 3, 0);
  push_reading (h, 4, 0);
  a = sink_of (3);
  b = sink_of (4);

  fail_unless (a->stream_id && b->stream_id);
  fail_if (g_str_equal (a->stream_id, b->stream_id));
  fail_unless (g_str_has_suffix (a->stream_id, "station/3"), "%s",
      a->stream_id);
  fail_unless (g_str_has_suffix (b->stream_id, "station/4"));
  fail_unless_equals_int (a->group_id, b->group_id);

  st = gst_caps_get_structure (a->caps, 0);
  fail_unless (gst_structure_has_name (st, GST_WEATHER_READING_MEDIA_TYPE));
  fail_unless (gst_structure_get_int (st, "version", &version));
  fail_unless_equals_int (version, 1);
  fail_unless (gst_structure_get_uint (st, "station-id", &sid));
  fail_unless_equals_int (sid, 3);
  fail_unless_equals_string (gst_structure_get_string (st, "station-name"),
      "st-3");

  fail_unless (a->have_segment && b->have_segment);
  fail_unless_equals_uint64 (a->segment.time, ORIGIN);
  fail_unless_equals_uint64 (b->segment.time, ORIGIN);
  fail_unless_equals_int (a->segment.format, GST_FORMAT_TIME);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_fixed_station_list)
{
  GstHarness *h = setup_with ("stations=<5,6>");
  StationSink *s;
  GstCaps *caps;
  guint sid;

  /* pads exist before any reading, with stream-start and caps */
  fail_unless_equals_int (pads_added, 2);
  s = sink_of (6);
  fail_unless (s != NULL);
  fail_unless_equals_int (push_reading (h, 5, 0), GST_FLOW_OK);
  fail_unless (s->stream_id != NULL);
  fail_unless (s->have_segment);
  fail_unless (gst_structure_get_uint (gst_caps_get_structure (s->caps, 0),
          "station-id", &sid));
  fail_unless_equals_int (sid, 6);
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (s->caps, 0), "station-name"), "");

  /* the name arrives with the station's first reading */
  fail_unless_equals_int (push_reading (h, 6, 0), GST_FLOW_OK);
  caps = s->caps;
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (caps, 0), "station-name"), "st-6");

  /* others still get pads (unknown-stations=create) */
  push_reading (h, 7, 0);
  fail_unless_equals_int (pads_added, 3);
  fail_unless_equals_int (stat_pads_created (h), 3);
  teardown (h);
}

GST_END_TEST;

/* stations set while playing get their pads at the next reading */
GST_START_TEST (test_stations_set_while_playing)
{
  GstHarness *h = setup_with (NULL);

  push_reading (h, 1, 0);
  gst_util_set_object_arg (G_OBJECT (h->element), "stations", "<1,20,21>");
  fail_unless_equals_int (pads_added, 1);
  push_reading (h, 1, GST_SECOND);
  fail_unless_equals_int (pads_added, 3);
  fail_unless (sink_of (20) != NULL && sink_of (21) != NULL);
  fail_unless (sink_of (20)->have_segment);
  fail_unless_equals_int (stat_pads_created (h), 3);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_eos_and_flush_to_every_pad)
{
  GstHarness *h = setup_with ("stations=<9>");

  push_reading (h, 1, 0);
  push_reading (h, 2, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
  assert_log (1, "B0 FS FE E");
  assert_log (2, "B0 FS FE E");
  assert_log (9, "FS FE E");
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_gap_input_to_every_pad)
{
  GstHarness *h = setup_with (NULL);

  push_reading (h, 1, 0);
  push_reading (h, 2, 0);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (GST_SECOND,
              GST_SECOND)));
  assert_log (1, "B0 G1000+1000");
  assert_log (2, "B0 G1000+1000");
  teardown (h);
}

GST_END_TEST;

/* a GAP naming one station (reorderqueue on a mixed stream sends those)
 * goes to that station only */
GST_START_TEST (test_station_gap_to_its_pad_only)
{
  GstHarness *h = setup_with (NULL);
  GstEvent *gap;

  push_reading (h, 1, 0);
  push_reading (h, 2, 0);
  gap = gst_event_new_gap (GST_SECOND, GST_SECOND);
  gst_structure_set (gst_event_writable_structure (gap), "station-id",
      G_TYPE_UINT, 2, NULL);
  fail_unless (gst_harness_push_event (h, gap));
  /* and one for a station without a pad is dropped */
  gap = gst_event_new_gap (GST_SECOND, GST_SECOND);
  gst_structure_set (gst_event_writable_structure (gap), "station-id",
      G_TYPE_UINT, 77, NULL);
  fail_unless (gst_harness_push_event (h, gap));
  assert_log (1, "B0");
  assert_log (2, "B0 G1000+1000");
  fail_unless_equals_int (pads_added, 2);
  teardown (h);
}

GST_END_TEST;

/* A region event goes to its station's pad only, made for it when the
 * station is new, before the station's first reading; other custom
 * events go to every pad. */
GST_START_TEST (test_region_event_to_its_pad)
{
  GstHarness *h = setup_with (NULL);

  push_reading (h, 1, 0);
  fail_unless (gst_harness_push_event (h, gst_weather_region_event_new (2,
              "north")));
  fail_unless_equals_int (pads_added, 2);
  push_reading (h, 2, 0);
  fail_unless (gst_harness_push_event (h, gst_weather_region_event_new (1,
              "south")));
  fail_unless (gst_harness_push_event (h,
          gst_event_new_custom (GST_EVENT_CUSTOM_DOWNSTREAM,
              gst_structure_new_empty ("something-else"))));
  assert_log (1, "B0 R1:south C");
  assert_log (2, "R2:north B0 C");
  fail_unless_equals_int (stat_pads_created (h), 2);
  teardown (h);
}

GST_END_TEST;

/* The region event of a station unknown-stations=drop refuses makes no
 * pad and goes nowhere. */
GST_START_TEST (test_region_event_of_dropped_station)
{
  GstHarness *h = setup_with ("stations=<5> unknown-stations=drop");

  fail_unless (gst_harness_push_event (h, gst_weather_region_event_new (7,
              "north")));
  fail_unless (gst_harness_push_event (h, gst_weather_region_event_new (5,
              "south")));
  push_reading (h, 5, 0);
  fail_unless_equals_int (pads_added, 1);
  fail_unless (sink_of (7) == NULL);
  assert_log (5, "R5:south B0");
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_idle_station_gets_gaps)
{
  GstHarness *h = setup_with ("idle-timeout=2000000000");
  guint i;

  push_reading (h, 1, 0);
  push_reading (h, 2, 0);
  push_reading (h, 1, 1 * GST_SECOND);
  for (i = 1; i <= 6; i++)
    push_reading (h, 2, i * GST_SECOND);

  /* station 1 covered its reading at 1 s; then the watermark (newest PTS,
   * 4 s, 5 s, 6 s) minus 2 s moves past it: GAPs up to 4 s */
  {
    StationSink *s = sink_of (1);
    gchar **parts = g_strsplit (g_strstrip (s->log->str), " ", -1);

    fail_unless_equals_int (g_strv_length (parts), 5);
    fail_unless_equals_string (parts[0], "B0");
    fail_unless_equals_string (parts[1], "B1000");
    /* from just after the reading at 1 s up to 2 s */
    fail_unless (g_str_has_prefix (parts[2], "G1000+"));
    fail_unless_equals_string (parts[3], "G2000+1000");
    fail_unless_equals_string (parts[4], "G3000+1000");
    g_strfreev (parts);
  }
  assert_log (2, "B0 B1000 B2000 B3000 B4000 B5000 B6000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 3);
  teardown (h);
}

GST_END_TEST;

/* a listed station that never says anything still moves on */
GST_START_TEST (test_idle_listed_station_from_segment_start)
{
  GstHarness *h = setup_with ("stations=<8> idle-timeout=1000000000");

  push_reading (h, 2, 0);
  push_reading (h, 2, 3 * GST_SECOND);
  assert_log (8, "G0+2000");
  push_reading (h, 2, 3200 * MS);
  assert_log (8, "");
  push_reading (h, 2, 3600 * MS);
  assert_log (8, "G2000+600");
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_idle_timeout_zero_disables)
{
  GstHarness *h = setup_with ("stations=<8> idle-timeout=0");
  guint i;

  for (i = 0; i < 20; i++)
    push_reading (h, 2, i * GST_SECOND);
  assert_log (8, "");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "gaps"), 0);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_not_linked_pad_does_not_stop_others)
{
  GstHarness *h;

  unlinked_station = 1;
  h = setup_with (NULL);
  fail_unless_equals_int (push_reading (h, 1, 0), GST_FLOW_NOT_LINKED);
  fail_unless_equals_int (push_reading (h, 2, 0), GST_FLOW_OK);
  /* with one pad linked, the unlinked one no longer ends the stream */
  fail_unless_equals_int (push_reading (h, 1, GST_SECOND), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 2, GST_SECOND), GST_FLOW_OK);
  assert_log (2, "B0 B1000");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 4);
  teardown (h);
}

GST_END_TEST;

/* a reading without PTS gets one from created_at and the segment */
GST_START_TEST (test_no_pts_from_created_at)
{
  GstHarness *h = setup_with (NULL);
  GstBuffer *buf = make_reading (3, 2500 * MS);

  GST_BUFFER_PTS (buf) = GST_CLOCK_TIME_NONE;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  assert_log (3, "B2500");
  teardown (h);
}

GST_END_TEST;

/* ---- bad input ---- */

GST_START_TEST (test_unknown_stations_dropped)
{
  GstHarness *h = setup_with ("stations=<5> unknown-stations=drop");

  fail_unless_equals_int (push_reading (h, 7, 0), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 5, 0), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 8, 0), GST_FLOW_OK);
  fail_unless_equals_int (pads_added, 1);
  fail_unless (sink_of (7) == NULL);
  assert_log (5, "B0");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-unknown"),
      2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 1);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_drop_with_empty_list_drops_all)
{
  GstHarness *h = setup_with ("unknown-stations=drop");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (h->element, bus);
  push_reading (h, 1, 0);
  push_reading (h, 2, 0);
  fail_unless_equals_int (pads_added, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-unknown"),
      2);
  /* and the stream ended without any station: an error, not a hang */
  gst_harness_push_event (h, gst_event_new_eos ());
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  teardown (h);
}

GST_END_TEST;

typedef enum
{
  BAD_SHORT,
  BAD_LONG,
  BAD_EMPTY,
  BAD_NAN_IS_FINE_BUT_INF_IS_NOT,
  BAD_NEGATIVE_CREATED,
  BAD_INVALID_UTF8_NAME,
  BAD_MISSING_FLAG,
  BAD_PTS_BEYOND_TIME,
  N_BAD
} BadKind;

static GstBuffer *
make_bad_buffer (BadKind kind)
{
  GstWeatherReading r;
  guint8 raw[GST_WEATHER_READING_SIZE];
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = 4;
  r.created_at = ORIGIN;
  switch (kind) {
    case BAD_SHORT:
      gst_weather_reading_write (&r, raw);
      buf = gst_buffer_new_memdup (raw, 64);
      break;
    case BAD_LONG:
      buf = gst_buffer_new_allocate (NULL, 2 * GST_WEATHER_READING_SIZE, NULL);
      gst_buffer_memset (buf, 0, 0, 2 * GST_WEATHER_READING_SIZE);
      break;
    case BAD_EMPTY:
      buf = gst_buffer_new ();
      break;
    case BAD_NAN_IS_FINE_BUT_INF_IS_NOT:
      r.pressure_hpa = -INFINITY;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_NEGATIVE_CREATED:
      r.created_at = -1000;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_INVALID_UTF8_NAME:
      gst_weather_reading_write (&r, raw);
      /* the name field follows the numbers; put invalid UTF-8 there */
      memset (raw + GST_WEATHER_READING_SIZE - GST_WEATHER_STATION_NAME_SIZE,
          0, GST_WEATHER_STATION_NAME_SIZE);
      raw[GST_WEATHER_READING_SIZE - GST_WEATHER_STATION_NAME_SIZE] = 0xff;
      raw[GST_WEATHER_READING_SIZE - GST_WEATHER_STATION_NAME_SIZE + 1] = 0xfe;
      buf = gst_buffer_new_memdup (raw, GST_WEATHER_READING_SIZE);
      break;
    case BAD_MISSING_FLAG:
      r.flags = GST_WEATHER_READING_FLAG_MISSING;
      buf = gst_weather_reading_to_buffer (&r);
      break;
    case BAD_PTS_BEYOND_TIME:
      buf = gst_weather_reading_to_buffer (&r);
      GST_BUFFER_PTS (buf) = GST_WEATHER_CLOCK_TIME_MAX + 1;
      return buf;
    default:
      g_assert_not_reached ();
  }
  GST_BUFFER_PTS (buf) = 0;
  return buf;
}

GST_START_TEST (test_invalid_buffers_counted)
{
  GstHarness *h = setup_with (NULL);

  fail_unless_equals_int (gst_harness_push (h,
          make_bad_buffer ((BadKind) __i__)), GST_FLOW_OK);
  fail_unless_equals_int (pads_added, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-invalid"),
      1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 0);
  /* the stream goes on */
  fail_unless_equals_int (push_reading (h, 4, 0), GST_FLOW_OK);
  assert_log (4, "B0");
  teardown (h);
}

GST_END_TEST;

/* One error however often the pad sends the segment again; the pushes
 * upstream fail. */
GST_START_TEST (test_non_time_segment_refused)
{
  GstHarness *h = setup_with (NULL);
  GstBus *bus = gst_bus_new ();
  GstSegment segment;
  GstMessage *msg;
  guint i, errors = 0;

  gst_element_set_bus (h->element, bus);
  gst_segment_init (&segment, GST_FORMAT_BYTES);
  /* a sticky event: stored, refused when it is sent on */
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  for (i = 0; i < 5; i++)
    fail_if (push_reading (h, 1, i * GST_SECOND) == GST_FLOW_OK);
  while ((msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR))) {
    errors++;
    gst_message_unref (msg);
  }
  fail_unless_equals_int (errors, 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 0);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_wrong_caps_refused)
{
  GstHarness *h;

  sinks = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) station_sink_free);
  h = gst_harness_new_with_padnames ("demux", "sink", NULL);
  gst_harness_set_src_caps_str (h, "application/x-weather-group, "
      "version=(int)1");
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_state_cycle_removes_and_recreates_pads)
{
  GstHarness *h = setup_with ("stations=<1>");
  GstPad *pad;

  push_reading (h, 2, 0);
  fail_unless_equals_int (pads_added, 2);
  fail_unless_equals_int (gst_element_set_state (h->element, GST_STATE_READY),
      GST_STATE_CHANGE_SUCCESS);
  pad = gst_element_get_static_pad (h->element, "src_2");
  fail_unless (pad == NULL);
  g_hash_table_remove_all (sinks);
  fail_unless_equals_int (gst_element_set_state (h->element,
          GST_STATE_PLAYING), GST_STATE_CHANGE_SUCCESS);
  /* the listed station's pad is back, the dynamic one is not */
  fail_unless_equals_int (pads_added, 3);
  fail_unless (sink_of (1) != NULL);
  fail_unless (sink_of (2) == NULL);
  fail_unless_equals_int (stat_pads_created (h), 1);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_eos_without_anything)
{
  GstHarness *h = setup_with (NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (h->element, bus);
  gst_harness_push_event (h, gst_event_new_eos ());
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR, GST_STREAM_ERROR_DEMUX));
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  teardown (h);
}

GST_END_TEST;

/* a station that changes its name keeps the first one on its pad */
GST_START_TEST (test_renamed_station_keeps_first_name)
{
  GstHarness *h = setup_with (NULL);
  GstWeatherReading r;
  GstBuffer *buf;

  push_reading (h, 5, 0);
  gst_weather_reading_init (&r);
  r.station_id = 5;
  r.created_at = ORIGIN + GST_SECOND;
  fail_unless (gst_weather_reading_set_station_name (&r, "other", NULL));
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = GST_SECOND;
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  assert_log (5, "B0 B1000");
  fail_unless_equals_string (gst_structure_get_string
      (gst_caps_get_structure (sink_of (5)->caps, 0), "station-name"), "st-5");
  fail_unless_equals_int (pads_added, 1);
  teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_unknown_version_refused)
{
  GstHarness *h;

  sinks = g_hash_table_new_full (NULL, NULL, NULL,
      (GDestroyNotify) station_sink_free);
  h = gst_harness_new_with_padnames ("demux", "sink", NULL);
  gst_harness_set_src_caps_str (h, "application/x-weather-reading, "
      "version=(int)2");
  fail_unless_equals_int (gst_harness_push (h, make_reading (1, 0)),
      GST_FLOW_NOT_NEGOTIATED);
  fail_unless_equals_int (pads_added, 0);
  teardown (h);
}

GST_END_TEST;

/* ---- readings from the future ---- */

#define YEARS_5 (G_GUINT64_CONSTANT (5) * 365 * 24 * 3600 * GST_SECOND)

/* A reading of an unrelated station dated 5 years ahead is dropped and
 * counted: no pad for it, and the watermark the idle GAPs come from does
 * not move, so the real stations get exactly what they get without it. */
GST_START_TEST (test_future_reading_dropped)
{
  gchar *logs[2][2];
  guint with, i;

  for (with = 0; with < 2; with++) {
    GstHarness *h = setup_with ("idle-timeout=2000000000");

    for (i = 0; i < 10; i++) {
      fail_unless_equals_int (push_reading (h, 1 + i % 2, i * GST_SECOND),
          GST_FLOW_OK);
      if (with && i == 4)
        fail_unless_equals_int (push_reading (h, 9, YEARS_5), GST_FLOW_OK);
    }
    fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
    fail_unless_equals_int (pads_added, 2);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element,
            "dropped-future"), with);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 10);
    logs[with][0] = take_log (1);
    logs[with][1] = take_log (2);
    teardown (h);
  }
  fail_unless_equals_string (logs[1][0], logs[0][0]);
  fail_unless_equals_string (logs[1][1], logs[0][1]);
  for (i = 0; i < 4; i++)
    g_free (logs[i / 2][i % 2]);
}

GST_END_TEST;

/* Live, the bound is the clock: a reading dated 5 years ahead of it is
 * dropped at once. */
GST_START_TEST (test_future_reading_dropped_live)
{
  GstHarness *h = setup_with (NULL);

  gst_harness_set_live (h, TRUE);
  gst_harness_use_testclock (h);
  gst_harness_set_time (h, 10 * GST_SECOND);
  fail_unless_equals_int (push_reading (h, 1, 9 * GST_SECOND), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 9, YEARS_5), GST_FLOW_OK);
  /* an hour ahead of the clock is the bound */
  fail_unless_equals_int (push_reading (h, 2, 10 * GST_SECOND + 3599 *
          GST_SECOND), GST_FLOW_OK);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-future"),
      1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 2);
  fail_unless_equals_int (pads_added, 2);
  teardown (h);
}

GST_END_TEST;

/* Ten in a row are a jump of the stream (a recording with a gap): routed,
 * and the stations that stayed behind get their idle GAPs. */
GST_START_TEST (test_future_jump_routed)
{
  const GstClockTime day = 24 * 3600 * GST_SECOND;
  GstHarness *h = setup_with ("idle-timeout=2000000000");
  guint i;

  fail_unless_equals_int (push_reading (h, 1, 0), GST_FLOW_OK);
  fail_unless_equals_int (push_reading (h, 2, 0), GST_FLOW_OK);
  for (i = 0; i < 10; i++)
    fail_unless_equals_int (push_reading (h, 1, day + i * GST_SECOND),
        GST_FLOW_OK);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 12);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-future"),
      0);
  /* station 2 stayed behind: its idle GAP runs up to the new time */
  {
    gchar *log = take_log (2);

    fail_unless (g_str_has_prefix (log, "B0 G"), "%s", log);
    g_free (log);
  }
  teardown (h);
}

GST_END_TEST;

/* ---- idle-timeout at the edges of its range ---- */

#define TMAX GST_WEATHER_CLOCK_TIME_MAX

/* idle-timeout, max-future */
static const guint64 idle_edges[][2] = {
  {0, 0}, {1, 0}, {TMAX - 1, 0}, {TMAX, 0},
  /* readings at both ends of time are within these bounds */
  {0, TMAX - 1}, {0, TMAX},
};

static GstBuffer *
make_epoch_reading (guint32 station, GstClockTime pts)
{
  GstWeatherReading r;
  GstBuffer *buf;

  gst_weather_reading_init (&r);
  r.station_id = station;
  r.created_at = (gint64) pts;
  buf = gst_weather_reading_to_buffer (&r);
  GST_BUFFER_PTS (buf) = pts;
  return buf;
}

/* Readings at the start and at the end of time, a GAP from upstream that
 * ends beyond it: every reading is routed in order, and the idle GAPs
 * demux makes start where the pad's data ended and end by 2^63-1 ns. The
 * same for max-future at its largest values. */
GST_START_TEST (test_idle_timeout_edges)
{
  guint64 idle = idle_edges[__i__][0];
  gchar *props = g_strdup_printf ("idle-timeout=%" G_GUINT64_FORMAT
      " max-future=%" G_GUINT64_FORMAT, idle, idle_edges[__i__][1]);
  GstHarness *h = setup_with (props);
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS
      (h->element), "idle-timeout");
  guint64 value;

  fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (pspec)->maximum, TMAX);
  g_object_get (h->element, "idle-timeout", &value, NULL);
  fail_unless_equals_uint64 (value, idle);
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (h->element),
      "max-future");
  fail_unless_equals_uint64 (G_PARAM_SPEC_UINT64 (pspec)->maximum, TMAX);

  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1,
              GST_SECOND)), GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (2,
              TMAX - 3 * GST_SECOND)), GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_gap (TMAX -
              GST_SECOND, 10 * GST_SECOND)));
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (1, TMAX)),
      GST_FLOW_OK);
  fail_unless_equals_int (gst_harness_push (h, make_epoch_reading (2, TMAX)),
      GST_FLOW_OK);
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "routed"), 4);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "dropped-invalid"),
      0);
  fail_unless_equals_int (sink_of (1)->buffers, 2);
  fail_unless_equals_int (sink_of (2)->buffers, 2);
  {
    /* station 2 never idled; station 1 was silent from 1 s until its
     * reading at the end of time, longer than an idle-timeout of 1 ns */
    gchar *two = g_strdup_printf ("B%" G_GUINT64_FORMAT " G%" G_GUINT64_FORMAT
        "+10000 B%" G_GUINT64_FORMAT " E", (TMAX - 3 * GST_SECOND) / MS,
        (TMAX - GST_SECOND) / MS, TMAX / MS);
    gchar *idle_gap = g_strdup_printf (" G1000+%" G_GUINT64_FORMAT,
        (TMAX - 3 * GST_SECOND - 1 - (GST_SECOND + 1)) / MS);
    gchar *one = g_strdup_printf ("B1000%s G%" G_GUINT64_FORMAT "+10000 B%"
        G_GUINT64_FORMAT " E", idle == 1 ? idle_gap : "",
        (TMAX - GST_SECOND) / MS, TMAX / MS);

    assert_log (2, two);
    assert_log (1, one);
    g_free (one);
    g_free (two);
    g_free (idle_gap);
  }
  teardown (h);
  g_free (props);
}

GST_END_TEST;

static Suite *
demux_suite (void)
{
  Suite *s = suite_create ("demux");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_dynamic_pads);
  tcase_add_test (tc, test_sticky_events_per_pad);
  tcase_add_test (tc, test_fixed_station_list);
  tcase_add_test (tc, test_stations_set_while_playing);
  tcase_add_test (tc, test_eos_and_flush_to_every_pad);
  tcase_add_test (tc, test_gap_input_to_every_pad);
  tcase_add_test (tc, test_station_gap_to_its_pad_only);
  tcase_add_test (tc, test_region_event_to_its_pad);
  tcase_add_test (tc, test_region_event_of_dropped_station);
  tcase_add_test (tc, test_idle_station_gets_gaps);
  tcase_add_test (tc, test_idle_listed_station_from_segment_start);
  tcase_add_test (tc, test_idle_timeout_zero_disables);
  tcase_add_test (tc, test_not_linked_pad_does_not_stop_others);
  tcase_add_test (tc, test_state_cycle_removes_and_recreates_pads);
  tcase_add_test (tc, test_no_pts_from_created_at);

  tcase_add_test (tc, test_unknown_stations_dropped);
  tcase_add_test (tc, test_drop_with_empty_list_drops_all);
  tcase_add_loop_test (tc, test_invalid_buffers_counted, 0, N_BAD);
  tcase_add_test (tc, test_non_time_segment_refused);
  tcase_add_test (tc, test_wrong_caps_refused);
  tcase_add_test (tc, test_unknown_version_refused);
  tcase_add_test (tc, test_eos_without_anything);
  tcase_add_test (tc, test_renamed_station_keeps_first_name);
  tcase_add_test (tc, test_future_reading_dropped);
  tcase_add_test (tc, test_future_jump_routed);
  tcase_add_test (tc, test_future_reading_dropped_live);
  tcase_add_loop_test (tc, test_idle_timeout_edges, 0,
      G_N_ELEMENTS (idle_edges));

  return s;
}

GST_CHECK_MAIN (demux);
