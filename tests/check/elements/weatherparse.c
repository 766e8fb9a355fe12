/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weatherparse: JSON lines to readings. Good input in every framing (CRLF,
 * no final newline, split anywhere, blank lines), timestamps and origin,
 * byte-exact round trips through weatherenc; every class of bad line,
 * overlong lines, strict mode, line numbers in stats and in the log.
 * The feed dialects: every sample line (the project's own and, where they
 * are, ../shared/feeds) through format=auto and its own format, their
 * counters, and the settings a user can get wrong.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include <gst/check/gstcheck.h>
#include <gst/check/gstharness.h>
#include <gst/weather/weather.h>

#include "../weatherstats.h"
#include "../feedexpect.h"

#define LINE_A "{\"version\":1,\"station_id\":3,\"station\":\"ws-attic\"," \
  "\"created_at\":\"2025-11-26T22:42:59.123456789Z\"," \
  "\"received_at\":\"2025-11-26T22:42:59.373456789Z\",\"sequence\":1842," \
  "\"temperature_c\":7.25,\"pressure_hpa\":1012.4,\"humidity_pct\":81," \
  "\"wind_speed_ms\":3.6,\"wind_direction_deg\":225}"
#define LINE_B "{\"version\":1,\"station_id\":17,\"station\":\"Z\xc3\xbcrich\"," \
  "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":5," \
  "\"temperature_c\":-3.5,\"pressure_hpa\":1021.75,\"humidity_pct\":null," \
  "\"wind_speed_ms\":0,\"wind_direction_deg\":null}"
#define LINE_C "{\"version\":1,\"station_id\":4," \
  "\"created_at\":\"2025-11-26T22:43:00.500000000Z\",\"sequence\":0," \
  "\"temperature_c\":null,\"pressure_hpa\":null,\"humidity_pct\":null," \
  "\"wind_speed_ms\":null,\"wind_direction_deg\":null}"

static GstHarness *
parse_harness (void)
{
  GstHarness *h = gst_harness_new ("weatherparse");

  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  return h;
}

static GstFlowReturn
push_bytes (GstHarness * h, const gchar * data, gsize len)
{
  return gst_harness_push (h, gst_buffer_new_memdup (data, len));
}

static GstFlowReturn
push_text (GstHarness * h, const gchar * text)
{
  return push_bytes (h, text, strlen (text));
}

static void
push_eos (GstHarness * h)
{
  fail_unless (gst_harness_push_event (h, gst_event_new_eos ()));
}

/* The pulled buffer holds exactly the reading @line decodes to, and its
 * PTS is its created_at in the segment @h received. */
static void
assert_buffer_is_line (GstHarness * h, GstBuffer * buf, const gchar * line)
{
  GstWeatherReading expected, got;
  guint8 a[GST_WEATHER_READING_SIZE], b[GST_WEATHER_READING_SIZE];
  GError *err = NULL;
  GstEvent *ev;
  const GstSegment *seg;

  fail_unless (buf != NULL);
  fail_unless (gst_weather_reading_from_json (line, -1, &expected, &err),
      "%s", err ? err->message : "");
  fail_unless (gst_weather_reading_from_buffer (buf, &got, &err), "%s",
      err ? err->message : "");
  gst_weather_reading_write (&expected, a);
  gst_weather_reading_write (&got, b);
  fail_unless (memcmp (a, b, sizeof (a)) == 0);
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  fail_unless (ev != NULL);
  gst_event_parse_segment (ev, &seg);
  fail_unless_equals_int64 (gst_weather_segment_to_epoch (seg,
          GST_BUFFER_PTS (buf)), expected.created_at);
  gst_event_unref (ev);
}

static void
pull_expect (GstHarness * h, const gchar * line)
{
  GstBuffer *buf = gst_harness_try_pull (h);

  fail_unless (buf != NULL, "no buffer for %.40s", line);
  assert_buffer_is_line (h, buf, line);
  gst_buffer_unref (buf);
}

static void
assert_no_more (GstHarness * h)
{
  GstBuffer *buf = gst_harness_try_pull (h);

  fail_unless (buf == NULL, "unexpected buffer");
}

/* ---- good input ----------------------------------------------------------- */

GST_START_TEST (test_good_lines)
{
  GstHarness *h = parse_harness ();
  GstEvent *ev;
  const GstSegment *seg;
  GstCaps *caps;

  fail_unless_equals_int (push_text (h, LINE_A "\n" LINE_B "\n" LINE_C "\n"),
      GST_FLOW_OK);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  pull_expect (h, LINE_C);
  assert_no_more (h);

  caps = gst_pad_get_current_caps (h->sinkpad);
  fail_unless (gst_structure_has_name (gst_caps_get_structure (caps, 0),
          GST_WEATHER_READING_MEDIA_TYPE));
  gst_caps_unref (caps);

  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_parse_segment (ev, &seg);
  fail_unless_equals_int (seg->format, GST_FORMAT_TIME);
  fail_unless_equals_uint64 (seg->start, 0);
  /* 2025-11-26T20:42:59Z: two hours before LINE_A, in whole seconds */
  fail_unless_equals_uint64 (seg->time,
      G_GUINT64_CONSTANT (1764189779) * GST_SECOND);
  gst_event_unref (ev);

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_crlf)
{
  GstHarness *h = parse_harness ();

  push_text (h, LINE_A "\r\n" LINE_B "\r\n");
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_no_final_newline)
{
  GstHarness *h = parse_harness ();
  GstEvent *ev;

  push_text (h, LINE_A "\n" LINE_B);
  pull_expect (h, LINE_A);
  /* the last line is complete only at EOS */
  assert_no_more (h);
  push_eos (h);
  pull_expect (h, LINE_B);
  assert_no_more (h);

  /* and EOS comes after it */
  while ((ev = gst_harness_try_pull_event (h))) {
    gboolean eos = GST_EVENT_TYPE (ev) == GST_EVENT_EOS;
    gst_event_unref (ev);
    if (eos)
      break;
  }
  fail_unless (ev != NULL, "no EOS");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Input cut into pieces at every byte boundary gives the same readings. */
GST_START_TEST (test_split_anywhere)
{
  const gchar *text = LINE_A "\r\n" LINE_B "\n\n" LINE_C "\n";
  GstHarness *h = parse_harness ();
  gsize i;

  for (i = 0; text[i]; i++)
    fail_unless_equals_int (push_bytes (h, text + i, 1), GST_FLOW_OK);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  pull_expect (h, LINE_C);
  assert_no_more (h);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_blank_lines_ignored)
{
  GstHarness *h = parse_harness ();

  push_text (h, "\n  \t\n\r\n" LINE_A "\n\n");
  pull_expect (h, LINE_A);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 5);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* start-time sets the origin; readings before it are dropped and
 * counted. */
GST_START_TEST (test_start_time_origin)
{
  /* 2025-11-26T22:43:00Z */
  const gint64 origin = G_GINT64_CONSTANT (1764196980) * GST_SECOND;
  GstHarness *h = gst_harness_new ("weatherparse");
  GstBuffer *buf;
  GstEvent *ev;
  const GstSegment *seg;

  g_object_set (h->element, "start-time", origin, NULL);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  /* LINE_A is 0.88 s before the origin */
  push_text (h, LINE_A "\n" LINE_B "\n" LINE_C "\n");
  buf = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
  gst_buffer_unref (buf);
  buf = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 500 * GST_MSECOND);
  gst_buffer_unref (buf);
  assert_no_more (h);

  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_parse_segment (ev, &seg);
  fail_unless_equals_uint64 (seg->time, origin);
  gst_event_unref (ev);

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "too-early"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Without start-time the origin is two hours (GST_WEATHER_MAX_LATENESS)
 * before the first reading, in whole seconds, however old the readings:
 * a reading up to two hours older than the first still has a PTS, one
 * older than that is too early. */
GST_START_TEST (test_origin_before_first_reading)
{
  GstHarness *h = parse_harness ();
  GstBuffer *buf;
  const GstSegment *seg;
  GstEvent *ev;

  push_text (h, "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2020-03-04T05:06:07.250Z\",\"sequence\":1,"
      "\"temperature_c\":1,\"pressure_hpa\":1000}\n"
      "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2020-03-04T03:06:07Z\",\"sequence\":2,"
      "\"temperature_c\":1,\"pressure_hpa\":1000}\n"
      "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2020-03-04T03:06:06.999Z\",\"sequence\":3,"
      "\"temperature_c\":1,\"pressure_hpa\":1000}\n");
  buf = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf),
      2 * 3600 * GST_SECOND + 250 * GST_MSECOND);
  gst_buffer_unref (buf);
  buf = gst_harness_pull (h);
  fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), 0);
  gst_buffer_unref (buf);
  assert_no_more (h);
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_parse_segment (ev, &seg);
  /* 2020-03-04T03:06:07Z */
  fail_unless_equals_uint64 (seg->time,
      G_GUINT64_CONSTANT (1583291167) * GST_SECOND);
  gst_event_unref (ev);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "too-early"), 1);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* No reading at all: caps and segment still precede EOS. */
GST_START_TEST (test_empty_input)
{
  GstHarness *h = parse_harness ();
  GstEvent *ev;
  gboolean seen_segment = FALSE, seen_eos = FALSE;

  push_eos (h);
  while ((ev = gst_harness_try_pull_event (h))) {
    if (GST_EVENT_TYPE (ev) == GST_EVENT_SEGMENT) {
      const GstSegment *seg;
      gst_event_parse_segment (ev, &seg);
      fail_unless_equals_uint64 (seg->time, GST_WEATHER_REPLAY_START);
      fail_if (seen_eos);
      seen_segment = TRUE;
    }
    if (GST_EVENT_TYPE (ev) == GST_EVENT_EOS)
      seen_eos = TRUE;
    gst_event_unref (ev);
  }
  fail_unless (seen_segment && seen_eos);
  assert_no_more (h);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- round trips ------------------------------------------------------- */

/* Runs "@launch filesink location=OUT" to EOS; returns OUT. */
static gchar *
run_pipeline_to_file (const gchar * launch_head)
{
  gchar *out_path = g_build_filename (g_get_tmp_dir (),
      "weatherparse-XXXXXX.jsonl", NULL);
  gint fd = g_mkstemp (out_path);
  gchar *launch;
  GstElement *pipe;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;

  fail_unless (fd >= 0);
  close (fd);
  launch = g_strdup_printf ("%s ! filesink location=%s", launch_head, out_path);
  pipe = gst_parse_launch (launch, &err);
  fail_unless (pipe != NULL && err == NULL, "%s", launch);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_free (launch);
  return out_path;
}

static void
assert_same_file (const gchar * a, const gchar * b)
{
  gchar *da, *db;
  gsize la, lb;

  fail_unless (g_file_get_contents (a, &da, &la, NULL));
  fail_unless (g_file_get_contents (b, &db, &lb, NULL));
  fail_unless (la > 0);
  fail_unless_equals_int (la, lb);
  fail_unless (memcmp (da, db, la) == 0, "%s and %s differ", a, b);
  g_free (da);
  g_free (db);
}

/* filesrc ! weatherparse ! weatherenc ! filesink gives back, byte for
 * byte, what weatherenc wrote from a noisy simulated network. */
GST_START_TEST (test_round_trip_weathersrc)
{
  gchar *written = run_pipeline_to_file ("weathersrc num-buffers=3000 "
      "stations=7 jitter=2500000000 drop-probability=0.1 "
      "duplicate-probability=0.1 seed=4 ! weatherenc");
  gchar *launch = g_strdup_printf ("filesrc location=%s blocksize=1000 ! "
      "weatherparse ! weatherenc", written);
  gchar *again = run_pipeline_to_file (launch);
  gchar *text;
  gsize len, lines = 0, i;

  assert_same_file (written, again);
  fail_unless (g_file_get_contents (written, &text, &len, NULL));
  for (i = 0; i < len; i++)
    lines += text[i] == '\n';
  fail_unless_equals_int (lines, 3000);
  g_free (text);
  g_unlink (written);
  g_unlink (again);
  g_free (written);
  g_free (again);
  g_free (launch);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GArray *lengths;              /* guint: readings per push */
} PushLog;

static GstPadProbeReturn
log_push (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  PushLog *log = user_data;
  guint n = 1;

  if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
    n = gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info));
  g_mutex_lock (&log->lock);
  g_array_append_val (log->lengths, n);
  g_mutex_unlock (&log->lock);
  return GST_PAD_PROBE_OK;
}

/* From a file (upstream seekable), lists of 256 fill across input buffers
 * of about one line each; the last, shorter one goes out at EOS. */
GST_START_TEST (test_whole_file_lists_of_256)
{
  gchar *written = run_pipeline_to_file ("weathersrc num-buffers=3000 "
      "stations=7 seed=5 ! weatherenc");
  gchar *launch = g_strdup_printf ("filesrc location=%s blocksize=300 ! "
      "weatherparse name=p ! fakesink", written);
  PushLog log = { {0}, g_array_new (FALSE, FALSE, sizeof (guint)) };
  GstElement *pipe = gst_parse_launch (launch, NULL), *p;
  GstPad *pad;
  GstBus *bus;
  GstMessage *msg;
  guint i, total = 0;

  fail_unless (pipe != NULL);
  p = gst_bin_get_by_name (GST_BIN (pipe), "p");
  pad = gst_element_get_static_pad (p, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, log_push, &log, NULL);
  bus = gst_element_get_bus (pipe);
  gst_element_set_state (pipe, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 60 * GST_SECOND,
      GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  fail_unless (msg != NULL);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_EOS);
  gst_message_unref (msg);
  gst_element_set_state (pipe, GST_STATE_NULL);

  /* 3000 = 11 x 256 + 184 */
  fail_unless_equals_int (log.lengths->len, 12);
  for (i = 0; i < log.lengths->len; i++) {
    guint n = g_array_index (log.lengths, guint, i);

    if (i + 1 < log.lengths->len)
      fail_unless_equals_int (n, 256);
    total += n;
  }
  fail_unless_equals_int (total, 3000);

  gst_object_unref (pad);
  gst_object_unref (p);
  gst_object_unref (bus);
  gst_object_unref (pipe);
  g_array_unref (log.lengths);
  g_unlink (written);
  g_free (written);
  g_free (launch);
}

GST_END_TEST;

/* From an input that is not all there (a pipe, a socket: upstream not
 * seekable), each input buffer's readings go out at its end, before the
 * next buffer or EOS. */
GST_START_TEST (test_stream_input_pushes_each_buffer)
{
  GstHarness *h = parse_harness ();

  fail_unless_equals_int (push_text (h, LINE_A "\n" LINE_B "\n"), GST_FLOW_OK);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  assert_no_more (h);
  fail_unless_equals_int (push_text (h, LINE_C "\n"), GST_FLOW_OK);
  pull_expect (h, LINE_C);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- buffers ------------------------------------------------------------- */

static GstMessage *pop_error (GstBus * bus);

/* With no pool proposed, the readings come from the element's own, which
 * is stopped with the element. */
GST_START_TEST (test_own_pool_when_none_proposed)
{
  GstHarness *h = parse_harness ();
  GstBufferPool *pool;
  GstBuffer *buf;
  gpointer first_buffer;

  fail_unless_equals_int (push_text (h, LINE_A "\n"), GST_FLOW_OK);
  buf = gst_harness_pull (h);
  assert_buffer_is_line (h, buf, LINE_A);
  fail_unless (buf->pool != NULL);
  fail_unless_equals_string (G_OBJECT_TYPE_NAME (buf->pool), "GstWeatherPool");
  pool = gst_object_ref (buf->pool);
  first_buffer = buf;
  gst_buffer_unref (buf);
  /* the first buffer came back to the pool and carries the next reading
   * (compared as an address only: it is the pool's now) */
  fail_unless_equals_int (push_text (h, LINE_B "\n"), GST_FLOW_OK);
  buf = gst_harness_pull (h);
  assert_buffer_is_line (h, buf, LINE_B);
  fail_unless (buf->pool == pool);
  fail_unless (buf == first_buffer);
  gst_buffer_unref (buf);
  fail_unless (gst_buffer_pool_is_active (pool));
  gst_harness_teardown (h);
  fail_unless (!gst_buffer_pool_is_active (pool));
  gst_object_unref (pool);
}

GST_END_TEST;

/* Answers the allocation query with the pool given, 4 buffers at most. */
static GstPadProbeReturn
propose_pool (GstPad * pad, GstPadProbeInfo * info, gpointer data)
{
  GstQuery *query = GST_PAD_PROBE_INFO_QUERY (info);

  if (GST_QUERY_TYPE (query) != GST_QUERY_ALLOCATION)
    return GST_PAD_PROBE_OK;
  gst_query_add_allocation_pool (query, GST_BUFFER_POOL (data), 64, 2, 4);
  return GST_PAD_PROBE_HANDLED;
}

static GstHarness *
harness_with_pool (GstBufferPool * pool)
{
  GstHarness *h = gst_harness_new ("weatherparse");

  gst_pad_add_probe (h->sinkpad, GST_PAD_PROBE_TYPE_QUERY_DOWNSTREAM,
      propose_pool, pool, NULL);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  return h;
}

/* Downstream's pool is used, set to buffers of one reading and no
 * maximum: more readings than its proposed 4 wait in one list. */
GST_START_TEST (test_downstream_pool_used)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstHarness *h = harness_with_pool (pool);
  GstStructure *config;
  guint size, min, max, i;
  GString *text = g_string_new (NULL);

  for (i = 0; i < 6; i++)
    g_string_append (text, LINE_A "\n");
  fail_unless_equals_int (push_text (h, text->str), GST_FLOW_OK);
  for (i = 0; i < 6; i++) {
    GstBuffer *buf = gst_harness_pull (h);

    assert_buffer_is_line (h, buf, LINE_A);
    fail_unless (buf->pool == pool);
    gst_buffer_unref (buf);
  }
  config = gst_buffer_pool_get_config (pool);
  fail_unless (gst_buffer_pool_config_get_params (config, NULL, &size, &min,
          &max));
  fail_unless_equals_int (size, GST_WEATHER_READING_SIZE);
  fail_unless_equals_int (min, 2);
  fail_unless_equals_int (max, 0);
  gst_structure_free (config);
  gst_harness_teardown (h);
  fail_unless (!gst_buffer_pool_is_active (pool));
  gst_object_unref (pool);
  g_string_free (text, TRUE);
}

GST_END_TEST;

/* The last line, without a newline, is counted when EOS reads it. */
GST_START_TEST (test_counts_of_last_line_at_eos)
{
  GstHarness *h = parse_harness ();

  push_text (h, LINE_A "\nbad\n" LINE_B);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 1);
  push_eos (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 2);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A proposed pool that cannot take our configuration (already active,
 * someone else's): the element's own pool instead, and nothing lost. */
GST_START_TEST (test_downstream_pool_refusing_config)
{
  GstBufferPool *pool = gst_buffer_pool_new ();
  GstStructure *config = gst_buffer_pool_get_config (pool);
  GstHarness *h;
  GstBuffer *buf;

  gst_buffer_pool_config_set_params (config, NULL, 64, 0, 0);
  fail_unless (gst_buffer_pool_set_config (pool, config));
  fail_unless (gst_buffer_pool_set_active (pool, TRUE));
  h = harness_with_pool (pool);
  fail_unless_equals_int (push_text (h, LINE_A "\n" LINE_B "\n"), GST_FLOW_OK);
  buf = gst_harness_pull (h);
  assert_buffer_is_line (h, buf, LINE_A);
  fail_unless_equals_string (G_OBJECT_TYPE_NAME (buf->pool), "GstWeatherPool");
  gst_buffer_unref (buf);
  pull_expect (h, LINE_B);
  gst_harness_teardown (h);
  /* still the owner's, still active, its buffers still 64 bytes */
  fail_unless (gst_buffer_pool_is_active (pool));
  fail_unless (gst_buffer_pool_set_active (pool, FALSE));
  gst_object_unref (pool);
}

GST_END_TEST;

/* A pool that hands out buffers smaller than a reading whatever its
 * configuration says: an error that says so, no crash, no short
 * reading. */
typedef struct
{
  GstBufferPool parent;
} SmallPool;
typedef GstBufferPoolClass SmallPoolClass;

GType small_pool_get_type (void);

G_DEFINE_TYPE (SmallPool, small_pool, GST_TYPE_BUFFER_POOL);

static GstFlowReturn
small_pool_alloc (GstBufferPool * pool, GstBuffer ** buffer,
    GstBufferPoolAcquireParams * params)
{
  *buffer = gst_buffer_new_allocate (NULL, 16, NULL);
  return GST_FLOW_OK;
}

static void
small_pool_class_init (SmallPoolClass * klass)
{
  klass->alloc_buffer = small_pool_alloc;
}

static void
small_pool_init (SmallPool * self)
{
}

GST_START_TEST (test_downstream_pool_small_buffers)
{
  GstBufferPool *pool = g_object_new (small_pool_get_type (), NULL);
  GstBus *bus = gst_bus_new ();
  GstHarness *h;
  GstMessage *msg;
  GError *err = NULL;

  gst_object_ref_sink (pool);
  h = harness_with_pool (pool);
  gst_element_set_bus (h->element, bus);
  fail_unless_equals_int (push_text (h, LINE_A "\n"), GST_FLOW_ERROR);
  assert_no_more (h);
  msg = pop_error (bus);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_FAILED));
  fail_unless (strstr (err->message, "output buffer") != NULL, "%s",
      err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
  gst_object_unref (pool);
}

GST_END_TEST;

/* The canonical samples of docs/schema.md: names with quotes, tabs,
 * non-ASCII; null measurements; no received_at. */
GST_START_TEST (test_round_trip_samples)
{
  gchar *in = g_build_filename (TEST_SRCDIR, "tests", "data",
      "readings.jsonl", NULL);
  gchar *launch = g_strdup_printf ("filesrc location=%s ! weatherparse ! "
      "weatherenc", in);
  gchar *out = run_pipeline_to_file (launch);

  assert_same_file (in, out);
  g_unlink (out);
  g_free (in);
  g_free (out);
  g_free (launch);
}

GST_END_TEST;

/* ---- bad input ------------------------------------------------------------ */

typedef struct
{
  const gchar *what;
  const gchar *line;
} BadLine;

static const BadLine bad_lines[] = {
  {"garbage", "hello, weather"},
  {"truncated", "{\"version\":1,\"station_id\":3,\"station\":\"ws-at"},
  {"wrong type", "{\"version\":1,\"station_id\":\"3\","
        "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"out of range", "{\"version\":1,\"station_id\":3,"
        "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":150,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"invalid UTF-8", "{\"version\":1,\"station_id\":3,\"station\":\"ws-\xff\","
        "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"trailing garbage", LINE_C " x"},
  {"missing created_at", "{\"version\":1,\"station_id\":3,\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"empty object", "{}"},
  {"array", "[1,2,3]"},
  {"number", "42"},
  {"NaN", "{\"version\":1,\"station_id\":3,"
        "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
        "\"temperature_c\":NaN,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"unknown version", "{\"version\":2,\"station_id\":3,"
        "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"bad timestamp", "{\"version\":1,\"station_id\":3,"
        "\"created_at\":\"yesterday\",\"sequence\":0,"
        "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":50,"
        "\"wind_speed_ms\":1,\"wind_direction_deg\":90}"},
  {"a group, not a reading", "{\"version\":1,"
        "\"window_start\":\"2025-11-26T22:43:00.000000000Z\","
        "\"window_end\":\"2025-11-26T22:43:01.000000000Z\","
        "\"incomplete\":false,\"expected\":0,\"present\":0,\"stations\":[]}"},
};

/* A bad line between two good ones: skipped, counted with its number, and
 * the good lines around it pass. */
GST_START_TEST (test_bad_line_skipped)
{
  const BadLine *bl = &bad_lines[__i__];
  GstHarness *h = parse_harness ();
  gchar *text = g_strconcat (LINE_A "\n", bl->line, "\n" LINE_B "\n", NULL);

  fail_unless_equals_int (push_text (h, text), GST_FLOW_OK);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 2);
  g_free (text);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A NUL byte inside a line. */
GST_START_TEST (test_nul_byte)
{
  static const gchar text[] = LINE_A "\n{\"version\":1\0}\n" LINE_B "\n";
  GstHarness *h = parse_harness ();

  push_bytes (h, text, sizeof (text) - 1);
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 2);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A line of several MB streamed in 64 KiB pieces is discarded as it
 * comes; the next line still parses. */
GST_START_TEST (test_overlong_line)
{
  GstHarness *h = parse_harness ();
  const gsize chunk = 64 * 1024;
  gchar *junk = g_malloc (chunk);
  guint i;

  memset (junk, 'x', chunk);
  push_text (h, LINE_A "\n{\"station\":\"");
  for (i = 0; i < 64; i++)
    fail_unless_equals_int (push_bytes (h, junk, chunk), GST_FLOW_OK);
  push_text (h, "\"}\n" LINE_B "\n");
  pull_expect (h, LINE_A);
  pull_expect (h, LINE_B);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 2);
  g_free (junk);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Exactly at the limit is still read (and fails only as JSON), one byte
 * more is overlong; a CR beyond the limit does not count. */
GST_START_TEST (test_line_length_limit)
{
  GstHarness *h = parse_harness ();
  GString *s = g_string_new (LINE_A);
  gsize pad;

  /* LINE_A padded with blanks inside the object up to the limit: valid */
  pad = GST_WEATHER_JSON_MAX_SIZE - s->len;
  g_string_insert_len (s, 1, "", 0);
  {
    gchar *blanks = g_malloc (pad);
    memset (blanks, ' ', pad);
    g_string_insert_len (s, 1, blanks, pad);
    g_free (blanks);
  }
  fail_unless_equals_int (s->len, GST_WEATHER_JSON_MAX_SIZE);
  g_string_append (s, "\r\n");
  push_text (h, s->str);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  pull_expect (h, LINE_A);

  /* one more blank: too long */
  g_string_insert_c (s, 1, ' ');
  push_text (h, s->str);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 2);
  g_string_free (s, TRUE);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* An overlong last line without newline is reported at EOS. */
GST_START_TEST (test_overlong_last_line)
{
  GstHarness *h = parse_harness ();
  gchar *junk = g_malloc (GST_WEATHER_JSON_MAX_SIZE + 100);

  memset (junk, 'y', GST_WEATHER_JSON_MAX_SIZE + 100);
  push_text (h, LINE_A "\n");
  push_bytes (h, junk, GST_WEATHER_JSON_MAX_SIZE + 100);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  push_eos (h);
  pull_expect (h, LINE_A);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 2);
  g_free (junk);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_line_numbers_in_stats)
{
  GstHarness *h = parse_harness ();

  push_text (h, LINE_A "\nbad\n\n" LINE_B "\r\n{}\n" LINE_C "\n[\n");
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 7);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 7);
  gst_harness_teardown (h);
}

GST_END_TEST;

static GMutex log_lock;
static GString *log_text;

static void
capture_log (GstDebugCategory * category, GstDebugLevel level,
    const gchar * file, const gchar * function, gint line, GObject * object,
    GstDebugMessage * message, gpointer user_data)
{
  if (level != GST_LEVEL_WARNING ||
      strcmp (gst_debug_category_get_name (category), "weatherparse") != 0)
    return;
  g_mutex_lock (&log_lock);
  g_string_append (log_text, gst_debug_message_get (message));
  g_string_append_c (log_text, '\n');
  g_mutex_unlock (&log_lock);
}

/* The warning names the line and carries the decoder's message. */
GST_START_TEST (test_bad_line_logged)
{
  GstHarness *h;

  log_text = g_string_new (NULL);
  gst_debug_set_threshold_for_name ("weatherparse", GST_LEVEL_WARNING);
  gst_debug_add_log_function (capture_log, NULL, NULL);

  h = parse_harness ();
  push_text (h, LINE_A "\n\n{\"version\":1,\"station_id\":3,"
      "\"created_at\":\"2025-11-26T22:43:00.000000000Z\",\"sequence\":0,"
      "\"temperature_c\":1,\"pressure_hpa\":1000,\"humidity_pct\":150,"
      "\"wind_speed_ms\":1,\"wind_direction_deg\":90}\n");
  gst_harness_teardown (h);

  gst_debug_remove_log_function (capture_log);
  gst_debug_unset_threshold_for_name ("weatherparse");
  fail_unless (strstr (log_text->str, "line 3") != NULL, "log: %s",
      log_text->str);
  fail_unless (strstr (log_text->str, "humidity_pct") != NULL, "log: %s",
      log_text->str);
  g_string_free (log_text, TRUE);
}

GST_END_TEST;

static GstMessage *
pop_error (GstBus * bus)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

  fail_unless (msg != NULL, "no error message");
  return msg;
}

/* strict=true: the first bad line stops the stream with an error that
 * names it. */
GST_START_TEST (test_strict_error)
{
  GstHarness *h = gst_harness_new ("weatherparse");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "strict", TRUE, NULL);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);

  fail_unless_equals_int (push_text (h, LINE_A "\n\n{\"version\":1}\n"
          LINE_B "\n"), GST_FLOW_ERROR);
  pull_expect (h, LINE_A);
  assert_no_more (h);

  msg = pop_error (bus);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (g_error_matches (err, GST_STREAM_ERROR,
          GST_STREAM_ERROR_DECODE));
  fail_unless (strstr (err->message, "Line 3") != NULL, "%s", err->message);
  fail_unless (debug && strstr (debug, "line 3") != NULL, "%s", debug);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 3);
  /* counted up to the line that stopped the stream, not beyond */
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "lines"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 1);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* strict=true and a bad last line with no newline: error at EOS. */
GST_START_TEST (test_strict_error_at_eos)
{
  GstHarness *h = gst_harness_new ("weatherparse");
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;

  gst_element_set_bus (h->element, bus);
  g_object_set (h->element, "strict", TRUE, NULL);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);

  fail_unless_equals_int (push_text (h, LINE_A "\n{\"trunc"), GST_FLOW_OK);
  fail_if (gst_harness_push_event (h, gst_event_new_eos ()));
  msg = pop_error (bus);
  gst_message_unref (msg);
  pull_expect (h, LINE_A);

  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Not strict: the same input just counts. */
GST_START_TEST (test_lenient_no_error)
{
  GstHarness *h = gst_harness_new ("weatherparse");
  GstBus *bus = gst_bus_new ();

  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  fail_unless_equals_int (push_text (h, LINE_A "\n{\"version\":1}\n"
          LINE_B "\n{\"trunc"), GST_FLOW_OK);
  push_eos (h);
  fail_unless (gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR) == NULL);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 2);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* Upstream tags before the first reading do not break the event order
 * (stream-start, caps, segment, then tags). */
GST_START_TEST (test_tags_before_data)
{
  GstHarness *h = parse_harness ();
  GstTagList *tags = gst_tag_list_new (GST_TAG_TITLE, "readings", NULL);

  fail_unless (gst_harness_push_event (h, gst_event_new_tag (tags)));
  push_text (h, LINE_A "\n");
  pull_expect (h, LINE_A);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* A flush drops a partial line: the next line starts afresh. */
GST_START_TEST (test_flush_drops_partial_line)
{
  GstHarness *h = parse_harness ();

  push_text (h, "{\"version\":1,\"stat");
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_start ()));
  fail_unless (gst_harness_push_event (h, gst_event_new_flush_stop (TRUE)));
  {
    GstSegment seg;
    gst_segment_init (&seg, GST_FORMAT_BYTES);
    gst_harness_push_event (h, gst_event_new_segment (&seg));
  }
  push_text (h, LINE_A "\n");
  pull_expect (h, LINE_A);
  assert_no_more (h);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 0);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- state changes ----------------------------------------------------- */

GST_START_TEST (test_state_cycles)
{
  GError *err = NULL;
  GstElement *pipe = gst_parse_launch ("fakesrc num-buffers=20 "
      "sizetype=fixed sizemax=200 filltype=random ! weatherparse ! fakesink",
      &err);
  guint i;

  fail_unless (pipe != NULL && err == NULL);
  for (i = 0; i < 5; i++) {
    GstBus *bus = gst_element_get_bus (pipe);
    GstMessage *msg;

    fail_unless (gst_element_set_state (pipe, GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    msg = gst_bus_timed_pop_filtered (bus, 30 * GST_SECOND,
        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
    fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
    gst_message_unref (msg);
    fail_unless (gst_element_set_state (pipe, GST_STATE_NULL) ==
        GST_STATE_CHANGE_SUCCESS);
    gst_object_unref (bus);
  }
  gst_object_unref (pipe);
}

GST_END_TEST;

/* start-time at the edges of its range (-1, 2^63-2, 2^63-1), with readings
 * at the end of time: every PTS is its created_at in the segment, and a
 * reading before the origin is too early, never a wrapped-around PTS. */
static const gint64 start_time_edges[] = { -1, G_MAXINT64 - 1, G_MAXINT64 };

GST_START_TEST (test_start_time_edges)
{
  gint64 start_time = start_time_edges[__i__];
  GstHarness *h = gst_harness_new ("weatherparse");
  GstBuffer *buf;
  const GstSegment *seg;
  GstEvent *ev;
  guint pushed = 0;

  g_object_set (h->element, "start-time", start_time, NULL);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  push_text (h, "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2262-04-11T23:47:16.854775807Z\"}\n"
      "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2262-04-11T23:47:16.854775806Z\"}\n"
      "{\"version\":1,\"station_id\":1,"
      "\"created_at\":\"2262-04-11T22:00:00Z\"}\n");
  push_eos (h);
  ev = gst_pad_get_sticky_event (h->sinkpad, GST_EVENT_SEGMENT, 0);
  gst_event_parse_segment (ev, &seg);
  while ((buf = gst_harness_try_pull (h))) {
    GstWeatherReading r;

    fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
    fail_unless (GST_BUFFER_PTS (buf) <= (GstClockTime) G_MAXINT64);
    fail_unless_equals_int64 (gst_weather_segment_to_epoch (seg,
            GST_BUFFER_PTS (buf)), r.created_at);
    gst_buffer_unref (buf);
    pushed++;
  }
  gst_event_unref (ev);
  /* -1: the origin is 2 h before the first reading, so all three have a
   * PTS; an origin at 2^63-2 keeps the first two, 2^63-1 the first */
  fail_unless_equals_int (pushed, start_time < 0 ? 3 :
      start_time == G_MAXINT64 ? 1 : 2);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "too-early"),
      3 - pushed);
  gst_harness_teardown (h);
}

GST_END_TEST;

/* ---- feed dialects ---------------------------------------------------- */

static const struct
{
  GstWeatherFormat format;
  gboolean shared;              /* in ../shared/feeds, else tests/data/feeds */
  const gchar *file;
  const gchar *station;
} feed_files[] = {
  {GST_WEATHER_FORMAT_RTL_433, FALSE, "rtl_433.jsonl", NULL},
  {GST_WEATHER_FORMAT_WEEWX, FALSE, "weewx.jsonl", "weewx-test"},
  {GST_WEATHER_FORMAT_PYWWS, FALSE, "pywws.jsonl", "pywws-test"},
  {GST_WEATHER_FORMAT_ECOWITT, FALSE, "ecowitt.jsonl", NULL},
  {GST_WEATHER_FORMAT_RTL_433, TRUE, "rtl_433/samples.jsonl", NULL},
  {GST_WEATHER_FORMAT_RTL_433, TRUE, "rtl_433/partials.jsonl", NULL},
  {GST_WEATHER_FORMAT_WEEWX, TRUE, "weewx/samples.jsonl", "weewx-test"},
  {GST_WEATHER_FORMAT_PYWWS, TRUE, "pywws/samples.jsonl", "pywws-test"},
  {GST_WEATHER_FORMAT_ECOWITT, TRUE,
      "ecowitt/customized_upload_ecowitt_protocol.jsonl", NULL},
};

static gchar *
feed_path (gboolean shared, const gchar * file)
{
  if (shared)
    return g_build_filename (TEST_SRCDIR, "..", "shared", "feeds", file, NULL);
  return g_build_filename (TEST_SRCDIR, "tests", "data", "feeds", file, NULL);
}

/* The whole file through weatherparse, with its own format (pass 0) and
 * auto (pass 1): one reading per line that has a measurement, each with
 * the values the line's own fields give, in the order of the lines. */
GST_START_TEST (test_feed_file)
{
  gchar *path = feed_path (feed_files[__i__].shared, feed_files[__i__].file);
  gchar *stations_path = feed_path (FALSE, "stations.csv");
  GstWeatherStations *stations = gst_weather_stations_load (stations_path,
      NULL);
  GTimeZone *tz = g_time_zone_new_identifier ("Europe/Berlin");
  gchar *text = NULL;
  gchar **lines;
  guint pass;

  if (!g_file_get_contents (path, &text, NULL, NULL)) {
    fail_unless (feed_files[__i__].shared, "%s is missing", path);
    g_print ("SKIP: %s is not there (../shared/feeds lives beside the "
        "project)\n", path);
    goto out;
  }
  lines = fx_read_lines (path);
  for (pass = 0; pass < 2; pass++) {
    GstElement *parse = gst_element_factory_make ("weatherparse", NULL);
    GstHarness *h;
    gint64 before = g_get_real_time () * 1000, after;
    guint i, readings = 0, refused = 0, from_arrival = 0;

    /* the decoder is made from the settings when the element starts */
    g_object_set (parse, "format", pass ? GST_WEATHER_FORMAT_AUTO :
        feed_files[__i__].format, "station", feed_files[__i__].station,
        "stations-file", stations_path, "timezone", "Europe/Berlin",
        "start-time", (gint64) 0, NULL);
    h = gst_harness_new_with_element (parse, "sink", "src");
    gst_object_unref (parse);
    gst_harness_set_src_caps_str (h, "application/x-json-lines");
    gst_harness_play (h);
    fail_unless_equals_int (push_text (h, text), GST_FLOW_OK);
    push_eos (h);
    after = g_get_real_time () * 1000;

    for (i = 0; lines[i]; i++) {
      gchar *where = g_strdup_printf ("%s:%u%s", feed_files[__i__].file,
          i + 1, pass ? " (auto)" : "");
      GstWeatherReading r;
      GstBuffer *buf;
      FxExpect e;

      fx_expect (feed_files[__i__].format, lines[i],
          feed_files[__i__].station, stations, tz, 0, &e);
      if (e.refused) {
        refused++;
        g_free (where);
        continue;
      }
      buf = gst_harness_try_pull (h);
      fail_unless (buf != NULL, "%s: no reading", where);
      fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
      if (e.time_from_arrival) {
        /* the moment the line was parsed */
        fail_unless (r.created_at >= before && r.created_at <= after,
            "%s: arrival %" G_GINT64_FORMAT, where, r.created_at);
        e.created_at = r.created_at;
        from_arrival++;
      }
      fx_check (&r, &e, where);
      fail_unless_equals_uint64 (GST_BUFFER_PTS (buf), r.created_at);
      gst_buffer_unref (buf);
      readings++;
      g_free (where);
    }
    assert_no_more (h);
    fail_unless (readings > 0);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"),
        readings);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"),
        refused);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element,
            "no-measurement"), refused);
    fail_unless_equals_uint64 (weather_stat_u64 (h->element,
            "time-from-arrival"), from_arrival);
    gst_harness_teardown (h);
  }
  g_strfreev (lines);
out:
  g_free (text);
  g_free (path);
  g_free (stations_path);
  g_time_zone_unref (tz);
  gst_weather_stations_unref (stations);
}

GST_END_TEST;

/* Bad dialect input: counted per reason, the good part kept, the
 * pipeline going on; strict makes a refused line an error. */
GST_START_TEST (test_feed_bad_lines)
{
  GstElement *parse = gst_element_factory_make ("weatherparse", NULL);
  GstHarness *h;
  GstWeatherReading r;
  GstBuffer *buf;

  g_object_set (parse, "format", GST_WEATHER_FORMAT_AUTO, "timezone",
      "UTC", "start-time", (gint64) 0, NULL);
  h = gst_harness_new_with_element (parse, "sink", "src");
  gst_object_unref (parse);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  fail_unless_equals_int (push_text (h,
          /* kept without its humidity */
          "{\"model\":\"M\",\"id\":1,\"time\":\"2024-05-01 12:00:00\","
          "\"temperature_C\":20.5,\"humidity\":\"wet\"}\n"
          /* kept without its temperature */
          "{\"model\":\"M\",\"id\":1,\"time\":\"2024-05-01 12:00:01\","
          "\"temperature_X\":20.5,\"humidity\":50}\n"
          /* refused: an absurd time, no station, no measurement, a bad
           * time */
          "{\"model\":\"M\",\"id\":1,\"time\":\"1980-05-01 12:00:00\","
          "\"temperature_C\":1}\n"
          "{\"dateTime\":\"1714564800\",\"outTemp_C\":\"1\"}\n"
          "{\"model\":\"M\",\"id\":1,\"rain_mm\":1}\n"
          "{\"idx\":\"noon\",\"temp_out_c\":\"1\"}\n"
          /* and native lines go on as ever */
          LINE_A "\n"), GST_FLOW_OK);

  buf = gst_harness_pull (h);
  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless_equals_float (r.temperature_c, 20.5);
  fail_unless (isnan (r.humidity_pct));
  gst_buffer_unref (buf);
  buf = gst_harness_pull (h);
  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless (isnan (r.temperature_c));
  fail_unless_equals_float (r.humidity_pct, 50);
  gst_buffer_unref (buf);
  buf = gst_harness_pull (h);
  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  fail_unless_equals_string (r.station_name, "ws-attic");
  gst_buffer_unref (buf);
  assert_no_more (h);

  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "readings"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-lines"), 4);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-value"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "unknown-unit"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "absurd-time"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "no-station"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element,
          "no-measurement"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "bad-time"), 1);
  fail_unless_equals_uint64 (weather_stat_u64 (h->element, "last-bad-line"), 6);
  gst_harness_teardown (h);
}

GST_END_TEST;

GST_START_TEST (test_feed_strict)
{
  GstElement *parse = gst_element_factory_make ("weatherparse", NULL);
  GstHarness *h;
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  g_object_set (parse, "strict", TRUE, "format", GST_WEATHER_FORMAT_WEEWX,
      NULL);
  h = gst_harness_new_with_element (parse, "sink", "src");
  gst_object_unref (parse);
  gst_element_set_bus (h->element, bus);
  gst_harness_set_src_caps_str (h, "application/x-json-lines");
  gst_harness_play (h);
  fail_unless_equals_int (push_text (h,
          "{\"dateTime\":\"1714564800\",\"outTemp_C\":\"1\"}\n"),
      GST_FLOW_ERROR);
  msg = pop_error (bus);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (debug, "station") != NULL, "%s", debug);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_bus (h->element, NULL);
  gst_object_unref (bus);
  gst_harness_teardown (h);
}

GST_END_TEST;

static const struct
{
  const gchar *property;
  const gchar *value;
  const gchar *message;
} bad_feed_settings[] = {
  {"timezone", "Nowhere/Atlantis", "Unknown time zone"},
  {"stations-file", "/nonexistent/stations.csv", "stations file"},
  {"station", "0123456789012345678901234567890123456789012345678901234567",
      "Invalid station name"},
};

/* A setting that cannot work stops the start with an error a person can
 * act on. */
GST_START_TEST (test_feed_bad_settings)
{
  GstElement *e = gst_element_factory_make ("weatherparse", NULL);
  GstBus *bus = gst_bus_new ();
  GstMessage *msg;
  GError *err = NULL;

  gst_element_set_bus (e, bus);
  g_object_set (e, bad_feed_settings[__i__].property,
      bad_feed_settings[__i__].value, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, NULL);
  fail_unless (strstr (err->message, bad_feed_settings[__i__].message) !=
      NULL, "%s", err->message);
  g_error_free (err);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
}

GST_END_TEST;

/* A stations file with a bad line names the line. */
GST_START_TEST (test_feed_bad_stations_file)
{
  GstElement *e = gst_element_factory_make ("weatherparse", NULL);
  GstBus *bus = gst_bus_new ();
  gchar *path = g_build_filename (g_get_tmp_dir (), "weatherparse-stations-"
      "XXXXXX", NULL);
  gint fd = g_mkstemp (path);
  GstMessage *msg;
  GError *err = NULL;
  gchar *debug = NULL;

  fail_unless (fd >= 0);
  fail_unless (write (fd, "station,altitude_m\nroof,high\n", 29) == 29);
  close (fd);
  gst_element_set_bus (e, bus);
  g_object_set (e, "stations-file", path, NULL);
  fail_unless_equals_int (gst_element_set_state (e, GST_STATE_PAUSED),
      GST_STATE_CHANGE_FAILURE);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &debug);
  fail_unless (strstr (debug, ":2: altitude_m") != NULL, "%s", debug);
  g_error_free (err);
  g_free (debug);
  gst_message_unref (msg);
  gst_element_set_state (e, GST_STATE_NULL);
  gst_element_set_bus (e, NULL);
  gst_object_unref (bus);
  gst_object_unref (e);
  g_unlink (path);
  g_free (path);
}

GST_END_TEST;


static Suite *
weatherparse_suite (void)
{
  Suite *s = suite_create ("weatherparse");
  TCase *tc = tcase_create ("general");

  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_good_lines);
  tcase_add_test (tc, test_crlf);
  tcase_add_test (tc, test_no_final_newline);
  tcase_add_test (tc, test_split_anywhere);
  tcase_add_test (tc, test_blank_lines_ignored);
  tcase_add_test (tc, test_start_time_origin);
  tcase_add_test (tc, test_origin_before_first_reading);
  tcase_add_test (tc, test_empty_input);
  tcase_add_test (tc, test_round_trip_weathersrc);
  tcase_add_test (tc, test_whole_file_lists_of_256);
  tcase_add_test (tc, test_own_pool_when_none_proposed);
  tcase_add_test (tc, test_downstream_pool_used);
  tcase_add_test (tc, test_counts_of_last_line_at_eos);
  tcase_add_test (tc, test_downstream_pool_refusing_config);
  tcase_add_test (tc, test_downstream_pool_small_buffers);
  tcase_add_test (tc, test_stream_input_pushes_each_buffer);
  tcase_add_test (tc, test_round_trip_samples);
  tcase_add_loop_test (tc, test_bad_line_skipped, 0, G_N_ELEMENTS (bad_lines));
  tcase_add_test (tc, test_nul_byte);
  tcase_add_test (tc, test_overlong_line);
  tcase_add_test (tc, test_line_length_limit);
  tcase_add_test (tc, test_overlong_last_line);
  tcase_add_test (tc, test_line_numbers_in_stats);
  tcase_add_test (tc, test_bad_line_logged);
  tcase_add_test (tc, test_strict_error);
  tcase_add_test (tc, test_strict_error_at_eos);
  tcase_add_test (tc, test_lenient_no_error);
  tcase_add_test (tc, test_flush_drops_partial_line);
  tcase_add_test (tc, test_tags_before_data);
  tcase_add_test (tc, test_state_cycles);
  tcase_add_loop_test (tc, test_start_time_edges, 0,
      G_N_ELEMENTS (start_time_edges));
  tcase_add_loop_test (tc, test_feed_file, 0, G_N_ELEMENTS (feed_files));
  tcase_add_test (tc, test_feed_bad_lines);
  tcase_add_test (tc, test_feed_strict);
  tcase_add_loop_test (tc, test_feed_bad_settings, 0,
      G_N_ELEMENTS (bad_feed_settings));
  tcase_add_test (tc, test_feed_bad_stations_file);
  return s;
}

GST_CHECK_MAIN (weatherparse);
