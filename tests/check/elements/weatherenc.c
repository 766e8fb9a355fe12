/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weatherenc: the three schemas to JSON lines (canonical samples byte for
 * byte, timestamps copied, output caps), bad records counted and dropped,
 * caps of other media types refused, state changes.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/weather/weather.h>

#include "../weatherstats.h"
#include "../weatherversion1.h"

static GstHarness *
enc_harness (const gchar * caps)
{
  GstHarness *h = gst_harness_new ("weatherenc");

  gst_harness_set_src_caps_str (h, caps);
  gst_harness_play (h);
  return h;
}

static void
assert_buffer_text (GstBuffer * buf, const gchar * text)
{
  GstMapInfo map;

  fail_unless (buf != NULL);
  fail_unless (gst_buffer_map (buf, &map, GST_MAP_READ));
  fail_unless_equals_int (map.size, strlen (text));
  fail_unless (memcmp (map.data, text, map.size) == 0, "got %.*s",
      (gint) map.size, map.data);
  gst_buffer_unmap (buf, &map);
}

static void
assert_schema (GstHarness * h, const gchar * schema)
{
  GstCaps *caps = gst_pad_get_current_caps (h->sinkpad);
  const GstStructure *s;

  fail_unless (caps != NULL);
  s = gst_caps_get_structure (caps, 0);
  fail_unless (gst_structure_has_name (s, "application/x-json-lines"));
  fail_unless_equals_string (gst_structure_get_string (s, "schema"), schema);
  gst_caps_unref (caps);
}

static gchar **
sample_lines (const gchar * file)
{
  gchar *path = g_build_filename (TEST_SRCDIR, "tests", "data", file, NULL);
  gchar *text, **lines;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  /* every sample ends with a newline: drop the empty last element */
  fail_unless (g_str_has_suffix (text, "\n"));
  text[strlen (text) - 1] = '\0';
  lines = g_strsplit (text, "\n", -1);
  g_free (text);
  g_free (path);
  return lines;
}

/* ---- good input ----------------------------------------------------------- */

/* Each canonical sample line, decoded into a buffer, comes out as itself
 * plus a newline; timestamps, offsets and flags are kept. */
GST_START_TEST (test_reading_samples)
{
  GstHarness *h = enc_harness (GST_WEATHER_READING_CAPS
      ", period=(guint64)1000000000");
  gchar **lines = sample_lines ("readings.jsonl");
  guint i;

  for (i = 0; lines[i]; i++) {
    GstWeatherReading r;
    GstBuffer *in, *out;
    gchar *expected;

    fail_unless (gst_weather_reading_from_json (lines[i], -1, &r, NULL));
    in = gst_weather_reading_to_buffer (&r);
    GST_BUFFER_PTS (in) = i * GST_SECOND + 1;
    GST_BUFFER_DTS (in) = i * GST_SECOND + 2;
    GST_BUFFER_DURATION (in) = 3;
    GST_BUFFER_OFFSET (in) = 40 + i;
    GST_BUFFER_FLAG_SET (in, GST_BUFFER_FLAG_DISCONT);
    fail_unless_equals_int (gst_harness_push (h, in), GST_FLOW_OK);

    out = gst_harness_pull (h);
    expected = g_strconcat (lines[i], "\n", NULL);
    assert_buffer_text (out, expected);
    fail_unless_equals_uint64 (GST_BUFFER_PTS (out), i * GST_SECOND + 1);
    fail_unless_equals_uint64 (GST_BUFFER_DTS (out), i * GST_SECOND + 2);
    fail_unless_equals_uint64 (GST_BUFFER_DURATION (out), 3);
    fail_unless_equals_uint64 (GST_BUFFER_OFFSET (out), 40 + i);
    fail_unless (GST_BUFFER_FLAG_IS_SET (out, GST_BUFFER_FLAG_DISCONT));
    g_free (expected);
    gst_buffer_unref (out);
  }
  fail_unless (i >= 3);
  assert_schema (h, "reading");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "buffers"), i);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), i);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 0);
  g_strfreev (lines);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_group_samples)
{
  GstHarness *h = enc_harness (GST_WEATHER_GROUP_CAPS);
  gchar **lines = sample_lines ("groups.jsonl");
  guint i;

  for (i = 0; lines[i]; i++) {
    GstWeatherGroup g;
    GstBuffer *out;
    gchar *expected;

    memset (&g, 0, sizeof (g));
    fail_unless (gst_weather_group_from_json (lines[i], -1, &g, NULL));
    fail_unless_equals_int (gst_harness_push (h,
            gst_weather_group_to_buffer (&g)), GST_FLOW_OK);
    gst_weather_group_clear (&g);
    out = gst_harness_pull (h);
    expected = g_strconcat (lines[i], "\n", NULL);
    assert_buffer_text (out, expected);
    g_free (expected);
    gst_buffer_unref (out);
  }
  fail_unless (i >= 1);
  assert_schema (h, "group");
  g_strfreev (lines);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_prediction_samples)
{
  GstHarness *h = enc_harness (GST_WEATHER_PREDICTION_CAPS);
  gchar **lines = sample_lines ("predictions.jsonl");
  guint i;

  for (i = 0; lines[i]; i++) {
    GstWeatherPrediction p;
    GstBuffer *out;
    gchar *expected;

    fail_unless (gst_weather_prediction_from_json (lines[i], -1, &p, NULL));
    fail_unless_equals_int (gst_harness_push (h,
            gst_weather_prediction_to_buffer (&p)), GST_FLOW_OK);
    out = gst_harness_pull (h);
    expected = g_strconcat (lines[i], "\n", NULL);
    assert_buffer_text (out, expected);
    g_free (expected);
    gst_buffer_unref (out);
  }
  fail_unless (i >= 2);
  assert_schema (h, "prediction");
  g_strfreev (lines);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A group built here (3 expected, 2 present, one missing slot). */
GST_START_TEST (test_group_built)
{
  GstHarness *h = enc_harness (GST_WEATHER_GROUP_CAPS);
  const gint64 start = GST_WEATHER_REPLAY_START;
  GstWeatherGroup g;
  GString *expected = g_string_new (NULL);
  GstBuffer *out;
  guint i;

  gst_weather_group_init (&g, 3);
  g.window_start = start;
  g.window_end = start + GST_SECOND;
  for (i = 0; i < 3; i++) {
    gchar name[16];
    g.slots[i].station_id = i;
    g_snprintf (name, sizeof (name), "sim-%u", i);
    fail_unless (gst_weather_reading_set_station_name (&g.slots[i], name,
            NULL));
    if (i == 1)
      continue;
    g.slots[i].flags = 0;
    g.slots[i].created_at = start + i;
    g.slots[i].temperature_c = 10.5 + i;
    g.slots[i].pressure_hpa = 1000 + i;
  }
  g.n_present = 2;
  fail_unless (gst_weather_group_validate (&g, NULL));

  gst_weather_group_to_json (&g, expected);
  g_string_append_c (expected, '\n');
  fail_unless_equals_int (gst_harness_push (h,
          gst_weather_group_to_buffer (&g)), GST_FLOW_OK);
  out = gst_harness_pull (h);
  assert_buffer_text (out, expected->str);
  gst_buffer_unref (out);
  gst_weather_group_clear (&g);
  g_string_free (expected, TRUE);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Records of version 1 (no key) are written as version 2 with the key of
 * all stations; a version 2 record on a version 1 stream is the wrong
 * size, dropped and counted. */
GST_START_TEST (test_version_1_records)
{
  gchar **groups = sample_lines ("groups.jsonl");
  gchar **predictions = sample_lines ("predictions.jsonl");
  GstHarness *h;
  GstWeatherGroup g;
  GstWeatherPrediction p;
  GstBuffer *v2, *v1, *out;
  GString *expected = g_string_new (NULL);

  /* a group */
  fail_unless (gst_weather_group_from_json (groups[0], -1, &g, NULL));
  v2 = gst_weather_group_to_buffer (&g);
  v1 = weather_group_v1_from_v2 (v2);
  gst_weather_key_init_all (&g.key);
  gst_weather_group_to_json (&g, expected);
  g_string_append_c (expected, '\n');
  gst_weather_group_clear (&g);

  h = enc_harness ("application/x-weather-group, version=(int)1");
  fail_unless_equals_int (gst_harness_push (h, v1), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (g_str_has_prefix (expected->str, "{\"version\":2,\"key\":"
          "{\"kind\":\"all\",\"id\":0,\"name\":\"all\"},"));
  assert_buffer_text (out, expected->str);
  gst_buffer_unref (out);
  fail_unless_equals_int (gst_harness_push (h, v2), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);

  /* a prediction: the first 128 bytes */
  fail_unless (gst_weather_prediction_from_json (predictions[0], -1, &p, NULL));
  v2 = gst_weather_prediction_to_buffer (&p);
  v1 = gst_buffer_copy_region (v2, GST_BUFFER_COPY_ALL, 0, 128);
  gst_buffer_unref (v2);
  gst_weather_key_init_all (&p.key);
  g_string_truncate (expected, 0);
  gst_weather_prediction_to_json (&p, expected);
  g_string_append_c (expected, '\n');
  h = enc_harness ("application/x-weather-prediction, version=(int)1");
  out = gst_harness_push_and_pull (h, v1);
  assert_buffer_text (out, expected->str);
  gst_buffer_unref (out);
  gst_harness_teardown (h);

  g_string_free (expected, TRUE);
  g_strfreev (groups);
  g_strfreev (predictions);
}

GST_END_TEST;

/* ---- bad input ------------------------------------------------------------ */

typedef struct
{
  const gchar *caps;
  gsize size;
} BadSize;

static const BadSize bad_sizes[] = {
  {GST_WEATHER_READING_CAPS, 0},
  {GST_WEATHER_READING_CAPS, 1},
  {GST_WEATHER_READING_CAPS, GST_WEATHER_READING_SIZE - 1},
  {GST_WEATHER_READING_CAPS, GST_WEATHER_READING_SIZE + 1},
  {GST_WEATHER_READING_CAPS, 2 * GST_WEATHER_READING_SIZE},
  {GST_WEATHER_GROUP_CAPS, 0},
  {GST_WEATHER_GROUP_CAPS, GST_WEATHER_GROUP_HEADER_SIZE - 1},
  {GST_WEATHER_GROUP_CAPS, GST_WEATHER_GROUP_HEADER_SIZE + 5},
  {GST_WEATHER_PREDICTION_CAPS, 0},
  {GST_WEATHER_PREDICTION_CAPS, GST_WEATHER_PREDICTION_SIZE - 1},
  {GST_WEATHER_PREDICTION_CAPS, GST_WEATHER_PREDICTION_SIZE + 1},
};

/* A buffer of the wrong size is dropped and counted; the stream goes on
 * and the next good buffer is encoded. */
GST_START_TEST (test_bad_size_dropped)
{
  const BadSize *bs = &bad_sizes[__i__];
  GstHarness *h = enc_harness (bs->caps);
  GstBuffer *bad = gst_buffer_new_allocate (NULL, bs->size, NULL);
  GstBuffer *good, *out;

  gst_buffer_memset (bad, 0, 0, bs->size);
  fail_unless_equals_int (gst_harness_push (h, bad), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);

  if (g_str_has_prefix (bs->caps, GST_WEATHER_READING_MEDIA_TYPE)) {
    GstWeatherReading r;
    gst_weather_reading_init (&r);
    r.created_at = GST_WEATHER_REPLAY_START;
    good = gst_weather_reading_to_buffer (&r);
  } else if (g_str_has_prefix (bs->caps, GST_WEATHER_GROUP_MEDIA_TYPE)) {
    GstWeatherGroup g;
    gst_weather_group_init (&g, 0);
    g.window_start = 0;
    g.window_end = GST_SECOND;
    good = gst_weather_group_to_buffer (&g);
    gst_weather_group_clear (&g);
  } else {
    GstWeatherPrediction p;
    gst_weather_prediction_init (&p);
    p.window_end = GST_SECOND;
    good = gst_weather_prediction_to_buffer (&p);
  }
  fail_unless_equals_int (gst_harness_push (h, good), GST_FLOW_OK);
  out = gst_harness_pull (h);
  fail_unless (out != NULL);
  gst_buffer_unref (out);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "buffers"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Right size, invalid values: humidity 150 %. */
GST_START_TEST (test_bad_reading_values)
{
  GstHarness *h = enc_harness (GST_WEATHER_READING_CAPS);
  GstWeatherReading r;
  GstBuffer *buf = gst_buffer_new_allocate (NULL, GST_WEATHER_READING_SIZE,
      NULL);
  GstMapInfo map;

  gst_weather_reading_init (&r);
  r.created_at = GST_WEATHER_REPLAY_START;
  r.humidity_pct = 150;
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_weather_reading_write (&r, map.data);
  gst_buffer_unmap (buf, &map);

  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A group whose header counts more present slots than it holds. */
GST_START_TEST (test_bad_group_values)
{
  GstHarness *h = enc_harness (GST_WEATHER_GROUP_CAPS);
  GstWeatherGroup g;
  GstBuffer *buf;

  gst_weather_group_init (&g, 2);
  g.window_start = 0;
  g.window_end = GST_SECOND;
  g.slots[0].station_id = 0;
  g.slots[1].station_id = 1;
  g.n_present = 2;              /* but both slots are MISSING */
  buf = gst_weather_group_to_buffer (&g);
  gst_weather_group_clear (&g);

  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A prediction with a forecast letter that is not A-Z. */
GST_START_TEST (test_bad_prediction_values)
{
  GstHarness *h = enc_harness (GST_WEATHER_PREDICTION_CAPS);
  GstWeatherPrediction p;
  GstBuffer *buf = gst_buffer_new_allocate (NULL,
      GST_WEATHER_PREDICTION_SIZE, NULL);
  GstMapInfo map;

  gst_weather_prediction_init (&p);
  p.window_end = GST_SECOND;
  p.letter = '!';
  gst_buffer_map (buf, &map, GST_MAP_WRITE);
  gst_weather_prediction_write (&p, map.data);
  gst_buffer_unmap (buf, &map);

  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A reading buffer on a group stream is the wrong size for a group. */
/* An empty group slot in a reading stream is no reading: dropped, not
 * written as one. */
GST_START_TEST (test_missing_slot_dropped)
{
  GstHarness *h = enc_harness (GST_WEATHER_READING_CAPS);
  GstWeatherReading r;

  gst_weather_reading_init (&r);
  r.created_at = GST_WEATHER_REPLAY_START;
  r.station_id = 7;
  r.flags = GST_WEATHER_READING_FLAG_MISSING;
  fail_unless_equals_int (gst_harness_push (h,
          gst_weather_reading_to_buffer (&r)), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_reading_on_prediction_stream)
{
  GstHarness *h = enc_harness (GST_WEATHER_PREDICTION_CAPS);
  GstWeatherReading r;

  gst_weather_reading_init (&r);
  r.created_at = 1;
  fail_unless_equals_int (gst_harness_push (h,
          gst_weather_reading_to_buffer (&r)), GST_FLOW_OK);
  fail_unless (gst_harness_try_pull (h) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

static const gchar *refused_caps[] = {
  "audio/x-raw, format=(string)S16LE, rate=(int)44100, channels=(int)1, "
      "layout=(string)interleaved",
  "text/plain",
  "application/x-json-lines",
  "application/x-weather-reading, version=(int)2",
  "application/x-weather-group, version=(int)0",
  "application/x-weather-group, version=(int)3",
  "application/x-weather-prediction, version=(int)3",
};

/* Other media types (and other schema versions) are refused: the caps
 * event fails and data is not-negotiated. */
GST_START_TEST (test_refuses_other_caps)
{
  GstHarness *h = gst_harness_new ("weatherenc");
  GstCaps *caps = gst_caps_from_string (refused_caps[__i__]);
  GstBuffer *buf = gst_buffer_new_allocate (NULL, 128, NULL);
  GstSegment segment;
  GstPad *sinkpad;

  fail_unless (caps != NULL);
  gst_harness_play (h);
  fail_if (gst_pad_peer_query_accept_caps (h->srcpad, caps));
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("refused")));
  /* a sticky event is stored even when refused: the refusal shows on the
   * next buffer */
  gst_harness_push_event (h, gst_event_new_caps (caps));
  sinkpad = gst_element_get_static_pad (h->element, "sink");
  fail_if (gst_pad_has_current_caps (sinkpad));
  gst_object_unref (sinkpad);
  gst_segment_init (&segment, GST_FORMAT_TIME);
  gst_harness_push_event (h, gst_event_new_segment (&segment));
  gst_caps_unref (caps);
  gst_buffer_memset (buf, 0, 0, 128);
  fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_NOT_NEGOTIATED);
  fail_unless (gst_harness_try_pull (h) == NULL);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Data before any caps: not-negotiated, nothing out. */
GST_START_TEST (test_buffer_before_caps)
{
  GstHarness *h = gst_harness_new ("weatherenc");
  GstWeatherReading r;
  GstSegment segment;

  gst_harness_play (h);
  fail_unless (gst_harness_push_event (h,
          gst_event_new_stream_start ("no-caps")));
  gst_segment_init (&segment, GST_FORMAT_TIME);
  fail_unless (gst_harness_push_event (h, gst_event_new_segment (&segment)));
  gst_weather_reading_init (&r);
  r.created_at = 1;
  fail_unless_equals_int (gst_harness_push (h,
          gst_weather_reading_to_buffer (&r)), GST_FLOW_NOT_NEGOTIATED);
  fail_unless (gst_harness_try_pull (h) == NULL);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Linking through a capsfilter of another media type fails. */
GST_START_TEST (test_link_refused)
{
  GstElement *pipe = gst_pipeline_new (NULL);
  GstElement *src = gst_element_factory_make ("fakesrc", NULL);
  GstElement *enc = gst_element_factory_make ("weatherenc", NULL);
  GstCaps *audio = gst_caps_from_string ("audio/x-raw");
  GstCaps *reading = gst_caps_from_string (GST_WEATHER_READING_CAPS);

  gst_bin_add_many (GST_BIN (pipe), src, enc, NULL);
  fail_if (gst_element_link_filtered (src, enc, audio));
  fail_unless (gst_element_link_filtered (src, enc, reading));
  gst_caps_unref (audio);
  gst_caps_unref (reading);
  gst_object_unref (pipe);
}

GST_END_TEST;

/* Good and bad interleaved: the counters add up. */
GST_START_TEST (test_mixed_stream_counts)
{
  GstHarness *h = enc_harness (GST_WEATHER_READING_CAPS);
  guint i, out = 0;
  GstBuffer *buf;

  for (i = 0; i < 30; i++) {
    if (i % 3 == 0) {
      buf = gst_buffer_new_allocate (NULL, i, NULL);
      gst_buffer_memset (buf, 0, 0xff, i);
    } else {
      GstWeatherReading r;
      gst_weather_reading_init (&r);
      r.station_id = i;
      r.created_at = GST_WEATHER_REPLAY_START + i;
      buf = gst_weather_reading_to_buffer (&r);
    }
    fail_unless_equals_int (gst_harness_push (h, buf), GST_FLOW_OK);
  }
  while ((buf = gst_harness_try_pull (h))) {
    out++;
    gst_buffer_unref (buf);
  }
  fail_unless_equals_int (out, 20);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "buffers"), 30);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 20);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-buffers"), 10);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- state changes ----------------------------------------------------- */

GST_START_TEST (test_state_cycles)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch ("weathersrc num-buffers=200 "
      "stations=5 ! weatherenc name=enc ! fakesink", &err);
  GstElement *enc;
  GstBus *bus;
  guint i;

  fail_unless (pipe != NULL && err == NULL);
  enc = gst_bin_get_by_name (GST_BIN (pipe), "enc");
  bus = gst_element_get_bus (pipe);
  for (i = 0; i < 5; i++) {
    GstMessage *msg;
    GstStructure *s;
    guint64 lines = 0;

    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
    gst_message_unref (msg);
    g_object_get (enc, "stats", &s, NULL);
    gst_structure_get_uint64 (s, "lines", &lines);
    gst_structure_free (s);
    /* counters restart with every run */
    fail_unless_equals_uint64 (lines, 200);
    fail_unless (gst_element_set_state (pipe, GST_STATE_NULL) ==
        GST_STATE_CHANGE_SUCCESS);
  }
  gst_object_unref (bus);
  gst_object_unref (enc);
  gst_object_unref (pipe);
}

GST_END_TEST;

static Suite *
weatherenc_suite (void)
{
  Suite *s = suite_create ("weatherenc");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_reading_samples);
  tcase_add_test (tc, test_group_samples);
  tcase_add_test (tc, test_prediction_samples);
  tcase_add_test (tc, test_group_built);
  tcase_add_test (tc, test_version_1_records);
  tcase_add_loop_test (tc, test_bad_size_dropped, 0, G_N_ELEMENTS (bad_sizes));
  tcase_add_test (tc, test_bad_reading_values);
  tcase_add_test (tc, test_missing_slot_dropped);
  tcase_add_test (tc, test_bad_group_values);
  tcase_add_test (tc, test_bad_prediction_values);
  tcase_add_test (tc, test_reading_on_prediction_stream);
  tcase_add_loop_test (tc, test_refuses_other_caps, 0,
      G_N_ELEMENTS (refused_caps));
  tcase_add_test (tc, test_buffer_before_caps);
  tcase_add_test (tc, test_link_refused);
  tcase_add_test (tc, test_mixed_stream_counts);
  tcase_add_test (tc, test_state_cycles);
  return s;
}

GST_CHECK_MAIN (weatherenc);
