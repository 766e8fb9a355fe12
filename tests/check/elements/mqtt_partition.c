/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mqttsrc's partition, against a real Mosquitto started per test on a free
 * loopback port: three pipelines with partition=1/3..3/3 and one without,
 * subscribed to the same topics and fed one jittered, duplicated stream,
 * give the same predictions, each key in exactly one partition; bad
 * partition values are refused at start.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../weatherstats.h"

#define WAIT_S 60
#define N_PARTS 3
#define N_STATIONS 12
#define N_WINDOWS 8
#define READINGS_PER_WINDOW 2
#define WINDOW (500 * GST_MSECOND)
/* weatherbin's latency: the publish order is disordered by less */
#define LATENCY GST_SECOND
#define JITTER (800 * GST_MSECOND)

static const gchar *regions[] = { "north", "south", "east", "west" };

/* Posts the error of the first failed start of "mqttsrc partition=@value
 * ! fakesink" (no broker needed: the value is checked first); returns
 * the error, or NULL when the start succeeded. */
static GError *
start_error (const gchar * partition, const gchar * partition_by,
    const gchar * stations_file)
{
  GstElement *pipeline, *src;
  GstStateChangeReturn ret;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gchar *desc;

  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "connect-timeout=1000000000 ! fakesink", mqtt_free_port ());
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_object_set (src, "partition", partition, NULL);
  if (partition_by)
    gst_util_set_object_arg (G_OBJECT (src), "partition-by", partition_by);
  if (stations_file)
    g_object_set (src, "stations-file", stations_file, NULL);
  ret = gst_element_set_state (pipeline, GST_STATE_PLAYING);
  bus = gst_element_get_bus (pipeline);
  msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (msg) {
    gst_message_parse_error (msg, &err, NULL);
    gst_message_unref (msg);
  }
  fail_unless ((ret == GST_STATE_CHANGE_FAILURE) == (err != NULL));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (pipeline);
  g_free (desc);
  return err;
}

static const gchar *bad_partitions[] = {
  "0/3", "4/3", "1/0", "0/0", "a/b", "1/3/4", "", "/", "1/", "/3", "3",
  "-1/3", "+1/3", " 1/3", "1/3 ", "1 / 3", "1/1025", "1025/1025",
  "1/99999999999999999999", "99999999999999999999/3", "1/0x10", "2/3x",
};

/* Every malformed or out-of-range value stops the start with a
 * RESOURCE/SETTINGS error that names the rule. */
GST_START_TEST (test_bad_partition_refused)
{
  const gchar *value = bad_partitions[__i__];
  GError *err = start_error (value, NULL, NULL);

  fail_unless (err != NULL, "partition \"%s\" was accepted", value);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, "partition") != NULL, "%s", err->message);
  g_error_free (err);
}

GST_END_TEST;

/* partition-by=all has one key: it cannot be split; at 1/1 it is fine
 * (the start then fails only for want of a broker, not the setting). */
GST_START_TEST (test_partition_by_all_refused)
{
  GError *err = start_error ("2/3", "all", NULL);

  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_SETTINGS), "%s", err->message);
  fail_unless (strstr (err->message, "partition-by=all") != NULL, "%s",
      err->message);
  g_error_free (err);

  err = start_error ("1/1", "all", NULL);
  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_READ), "%s", err->message);
  g_error_free (err);
}

GST_END_TEST;

/* partition-by=region reads regions from the stations file: one that
 * cannot be read stops the start, naming the file. */
GST_START_TEST (test_partition_region_file_unreadable)
{
  GError *err = start_error ("1/2", "region", "/nonexistent/stations.csv");

  fail_unless (err != NULL);
  fail_unless (g_error_matches (err, GST_RESOURCE_ERROR,
          GST_RESOURCE_ERROR_OPEN_READ), "%s", err->message);
  fail_unless (strstr (err->message, "/nonexistent/stations.csv") != NULL,
      "%s", err->message);
  g_error_free (err);
}

GST_END_TEST;

/* The default, NULL, and the edges of the range start. */
GST_START_TEST (test_good_partition_accepted)
{
  static const gchar *good[] = { "1/1", "3/3", "1/1024", "1024/1024",
    "01/2", NULL
  };
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *src;
  gchar *desc, *value;
  guint i;

  desc = g_strdup_printf ("mqttsrc host=127.0.0.1 port=%u "
      "connect-timeout=10000000000", mqtt_broker_port (b));
  src = gst_parse_launch (desc, NULL);
  fail_unless (src != NULL);
  g_object_get (src, "partition", &value, NULL);
  fail_unless_equals_string (value, "1/1");
  g_free (value);
  for (i = 0; i < G_N_ELEMENTS (good); i++) {
    g_object_set (src, "partition", good[i], NULL);
    fail_unless (gst_element_set_state (src, GST_STATE_PAUSED) !=
        GST_STATE_CHANGE_FAILURE, "partition %s refused", good[i]);
    g_object_get (src, "partition", &value, NULL);
    fail_unless_equals_string (value, good[i] ? good[i] : "1/1");
    g_free (value);
    fail_unless_equals_uint64 (weather_stat_u64 (src, "other-partition"), 0);
    gst_element_set_state (src, GST_STATE_NULL);
  }
  gst_object_unref (src);
  g_free (desc);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Waits (polling, at most WAIT_S) until mqttsrc @src has handled
 * @expected readings (decoded or left to another partition), then ends
 * the stream with EOS and waits for it to reach the sink: what is
 * compared then does not hang on how long the broker took. */
static void
finish_after (GstElement * pipeline, GstElement * src, guint64 expected)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  GstBus *bus = gst_element_get_bus (pipeline);
  GstMessage *msg;

  while (weather_stat_u64 (src, "decoded") +
      weather_stat_u64 (src, "other-partition") < expected) {
    fail_unless (g_get_monotonic_time () < deadline, "%" G_GUINT64_FORMAT
        " of %" G_GUINT64_FORMAT " readings within %d s",
        weather_stat_u64 (src, "decoded") + weather_stat_u64 (src,
            "other-partition"), expected, WAIT_S);
    g_usleep (10 * 1000);
  }
  fail_unless (gst_element_send_event (pipeline, gst_event_new_eos ()));
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg != NULL, "no EOS within %d s", WAIT_S);
  fail_unless (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS, "%"
      GST_PTR_FORMAT, msg);
  gst_message_unref (msg);
  gst_object_unref (bus);
  gst_element_set_state (pipeline, GST_STATE_NULL);
}

static gchar *
station_name (guint s)
{
  return g_strdup_printf ("st-%02u", s);
}

/* One reading of station @s as JSON on "w/REGION/NAME". */
static MqttMessage *
reading_message (guint s, guint64 seq, gint64 created_at, gdouble temp,
    gdouble pressure)
{
  GstWeatherReading r;
  GString *json = g_string_new (NULL);
  gchar *name = station_name (s);
  gchar *topic = g_strdup_printf ("w/%s/%s", regions[s % 4], name);
  MqttMessage *m;

  gst_weather_reading_init (&r);
  r.station_id = gst_weather_station_id_from_name (name);
  fail_unless (gst_weather_reading_set_station_name (&r, name, NULL));
  r.sequence = seq;
  r.created_at = created_at;
  r.temperature_c = temp;
  r.pressure_hpa = pressure;
  r.humidity_pct = 70;
  r.wind_speed_ms = 3;
  r.wind_direction_deg = 225;
  gst_weather_reading_to_json (&r, json);
  m = mqtt_message_new (topic, json->str, json->len);
  g_string_free (json, TRUE);
  g_free (topic);
  g_free (name);
  return m;
}

typedef struct
{
  gint64 at;                    /* when it goes out, in the disorder */
  MqttMessage *m;
} Scheduled;

static gint
compare_scheduled (gconstpointer a, gconstpointer b)
{
  const Scheduled *x = a, *y = b;

  return x->at < y->at ? -1 : x->at > y->at;
}

/* The stream, the same on every run (seed 20261203): every station reads
 * READINGS_PER_WINDOW times in each of N_WINDOWS windows from @t0, its
 * pressure a random walk; a fifth of the readings twice; sent in the order
 * of created_at plus up to JITTER, so that readings overtake each other by
 * less than the latency budget. */
static GPtrArray *
make_stream (gint64 t0)
{
  GRand *rand = g_rand_new_with_seed (20261203);
  GArray *sched = g_array_new (FALSE, FALSE, sizeof (Scheduled));
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  gdouble pressure[N_STATIONS];
  guint s, w, k, i;

  for (s = 0; s < N_STATIONS; s++)
    pressure[s] = g_rand_double_range (rand, 990, 1030);
  for (w = 0; w < N_WINDOWS; w++) {
    for (s = 0; s < N_STATIONS; s++) {
      for (k = 0; k < READINGS_PER_WINDOW; k++) {
        gint64 at = t0 + w * WINDOW + k * (WINDOW / READINGS_PER_WINDOW) +
            g_rand_int_range (rand, 0, WINDOW / READINGS_PER_WINDOW);
        gdouble temp = g_rand_double_range (rand, 5, 25);
        guint copies = g_rand_int_range (rand, 0, 5) == 0 ? 2 : 1;

        pressure[s] += g_rand_double_range (rand, -1.5, 1.5);
        for (i = 0; i < copies; i++) {
          Scheduled e;

          e.at = at + g_rand_int_range (rand, 0, JITTER);
          e.m = reading_message (s, w * READINGS_PER_WINDOW + k, at, temp,
              pressure[s]);
          g_array_append_val (sched, e);
        }
      }
    }
  }
  g_array_sort (sched, compare_scheduled);
  for (i = 0; i < sched->len; i++)
    g_ptr_array_add (msgs, g_array_index (sched, Scheduled, i).m);
  g_array_free (sched, TRUE);
  g_rand_free (rand);
  return msgs;
}

static gint
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const gchar * const *) a, *(const gchar * const *) b);
}

/* The lines of @path, sorted. */
static GPtrArray *
sorted_lines (const gchar * path)
{
  gchar *text = NULL, **lines;
  GPtrArray *arr = g_ptr_array_new_with_free_func (g_free);
  guint i;

  fail_unless (g_file_get_contents (path, &text, NULL, NULL), "%s", path);
  lines = g_strsplit (text, "\n", -1);
  for (i = 0; lines[i]; i++)
    if (*lines[i])
      g_ptr_array_add (arr, g_strdup (lines[i]));
  g_ptr_array_sort (arr, compare_lines);
  g_strfreev (lines);
  g_free (text);
  return arr;
}

/* Fails at the first line where @got and @want differ. */
static void
assert_same_lines (GPtrArray * got, GPtrArray * want)
{
  guint i;

  for (i = 0; i < MIN (got->len, want->len); i++)
    fail_unless (strcmp (g_ptr_array_index (got, i),
            g_ptr_array_index (want, i)) == 0, "line %u: %.300s\nwant %.300s",
        i, (gchar *) g_ptr_array_index (got, i),
        (gchar *) g_ptr_array_index (want, i));
  fail_unless_equals_int (got->len, want->len);
}

static const struct
{
  const gchar *group_by;
  gboolean topic_regions;
  gboolean stations_file;
} variants[] = {
  {"station", FALSE, FALSE},
  {"region", TRUE, FALSE},      /* regions from the topic level */
  {"region", FALSE, TRUE},      /* regions from the stations file */
};

/* Three partitions and one whole pipeline, subscribed to the same topics
 * of one broker and fed the same disordered, duplicated stream: the
 * union of the partitions' predictions is, line for line and byte for
 * byte, the whole pipeline's; every key is predicted by exactly one
 * partition, the one its id modulo 3 names; and every reading is either
 * decoded or counted as another partition's. */
GST_START_TEST (test_partitions_union_is_one_pipeline)
{
  const gchar *group_by = variants[__i__].group_by;
  MqttBroker *b = mqtt_broker_new (NULL);
  GstElement *pipelines[N_PARTS + 1], *srcs[N_PARTS + 1];
  gchar *paths[N_PARTS + 1], *stations = NULL, *src_extra, *bin_extra;
  GPtrArray *whole, *all_parts, *msgs;
  GHashTable *key_part = g_hash_table_new (g_direct_hash, g_direct_equal);
  guint64 decoded_whole;
  gint64 t0;
  guint p, i;

  if (variants[__i__].stations_file) {
    GString *csv = g_string_new ("station,region\n");

    for (i = 0; i < N_STATIONS; i++)
      g_string_append_printf (csv, "st-%02u,%s\n", i, regions[i % 4]);
    stations = g_build_filename (mqtt_broker_dir (b), "stations.csv", NULL);
    fail_unless (g_file_set_contents (stations, csv->str, -1, NULL));
    g_string_free (csv, TRUE);
  }
  src_extra = g_strdup_printf ("%s %s%s",
      variants[__i__].topic_regions ? "region-topic-level=1" : "",
      stations ? "stations-file=" : "", stations ? stations : "");
  bin_extra = g_strdup_printf ("%s%s", stations ? "stations-file=" : "",
      stations ? stations : "");

  /* pipelines[N_PARTS] is the whole one */
  for (p = 0; p <= N_PARTS; p++) {
    gchar *desc, *partition;

    paths[p] = g_strdup_printf ("%s/predictions-%u.jsonl",
        mqtt_broker_dir (b), p);
    partition = p < N_PARTS ? g_strdup_printf ("%u/%u", p + 1, N_PARTS) :
        g_strdup ("1/1");
    desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
        "connect-timeout=10000000000 topics=w/# qos=1 partition=%s "
        "partition-by=%s %s ! weatherbin "
        "group-by=%s window=%" G_GUINT64_FORMAT " latency=%" G_GUINT64_FORMAT
        " %s ! predictor ! weatherenc ! filesink location=%s",
        mqtt_broker_port (b), partition, group_by, src_extra, group_by,
        WINDOW, LATENCY, bin_extra, paths[p]);
    pipelines[p] = gst_parse_launch (desc, NULL);
    fail_unless (pipelines[p] != NULL, "%s", desc);
    srcs[p] = gst_bin_get_by_name (GST_BIN (pipelines[p]), "src");
    /* mqttsrc is subscribed once its start returned */
    fail_unless (gst_element_set_state (pipelines[p], GST_STATE_PLAYING) !=
        GST_STATE_CHANGE_FAILURE);
    g_free (partition);
    g_free (desc);
  }

  /* every reading is created after each pipeline started, and reaches
   * them long before its window closes, even on a loaded machine: the
   * windows close at the EOS sent once all were handled, not by the
   * clock, so the lead costs no time */
  t0 = g_get_real_time () * 1000 + 5 * GST_SECOND;
  t0 += WINDOW - t0 % WINDOW;
  msgs = make_stream (t0);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));

  for (p = 0; p <= N_PARTS; p++)
    finish_after (pipelines[p], srcs[p], msgs->len);

  /* each reading went to the whole pipeline and to exactly one partition */
  decoded_whole = weather_stat_u64 (srcs[N_PARTS], "decoded");
  fail_unless_equals_uint64 (decoded_whole, msgs->len);
  fail_unless_equals_uint64 (weather_stat_u64 (srcs[N_PARTS],
          "other-partition"), 0);
  {
    guint64 sum = 0;

    for (p = 0; p < N_PARTS; p++) {
      guint64 d = weather_stat_u64 (srcs[p], "decoded");

      fail_unless (d > 0, "partition %u kept nothing", p + 1);
      fail_unless_equals_uint64 (d + weather_stat_u64 (srcs[p],
              "other-partition"), decoded_whole);
      sum += d;
    }
    fail_unless_equals_uint64 (sum, decoded_whole);
  }

  whole = sorted_lines (paths[N_PARTS]);
  /* a key per station or region and window, from every window */
  fail_unless (whole->len >= (N_WINDOWS - 1) *
      (g_str_equal (group_by, "station") ? N_STATIONS : 4), "%u lines",
      whole->len);
  all_parts = g_ptr_array_new_with_free_func (g_free);
  for (p = 0; p < N_PARTS; p++) {
    GPtrArray *lines = sorted_lines (paths[p]);

    fail_unless (lines->len > 0, "partition %u predicted nothing", p + 1);
    for (i = 0; i < lines->len; i++) {
      const gchar *line = g_ptr_array_index (lines, i);
      GstWeatherPrediction pred;
      gpointer owner;

      fail_unless (gst_weather_prediction_from_json (line, -1, &pred, NULL),
          "%s", line);
      fail_unless_equals_string (gst_weather_key_kind_to_string
          (pred.key.kind), group_by);
      /* the documented contract: part I keeps ids that are I-1 mod N */
      fail_unless_equals_int (pred.key.id % N_PARTS, p);
      if (g_hash_table_lookup_extended (key_part,
              GUINT_TO_POINTER (pred.key.id), NULL, &owner))
        fail_unless_equals_int (GPOINTER_TO_UINT (owner), p);
      g_hash_table_insert (key_part, GUINT_TO_POINTER (pred.key.id),
          GUINT_TO_POINTER (p));
      g_ptr_array_add (all_parts, g_strdup (line));
    }
    g_ptr_array_unref (lines);
  }
  fail_unless_equals_int (g_hash_table_size (key_part),
      g_str_equal (group_by, "station") ? N_STATIONS : 4);
  g_ptr_array_sort (all_parts, compare_lines);
  assert_same_lines (all_parts, whole);

  for (p = 0; p <= N_PARTS; p++) {
    gst_object_unref (srcs[p]);
    gst_object_unref (pipelines[p]);
    g_free (paths[p]);
  }
  g_hash_table_destroy (key_part);
  g_ptr_array_unref (all_parts);
  g_ptr_array_unref (whole);
  g_ptr_array_unref (msgs);
  g_free (src_extra);
  g_free (bin_extra);
  g_free (stations);
  mqtt_broker_free (b);
}

GST_END_TEST;

typedef struct
{
  GMutex lock;
  GHashTable *announced;        /* station ids of region events */
  GHashTable *read;             /* station ids of readings */
} Seen;

static void
seen_reading (Seen * seen, GstBuffer * buf)
{
  GstWeatherReading r;

  fail_unless (gst_weather_reading_from_buffer (buf, &r, NULL));
  g_mutex_lock (&seen->lock);
  g_hash_table_add (seen->read, GUINT_TO_POINTER (r.station_id));
  g_mutex_unlock (&seen->lock);
}

static GstPadProbeReturn
seen_probe (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  Seen *seen = user_data;
  guint i;

  if (info->type & GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM) {
    const gchar *region;
    guint32 id;

    if (gst_weather_region_event_parse (GST_PAD_PROBE_INFO_EVENT (info), &id,
            &region)) {
      g_mutex_lock (&seen->lock);
      g_hash_table_add (seen->announced, GUINT_TO_POINTER (id));
      g_mutex_unlock (&seen->lock);
    }
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER) {
    seen_reading (seen, GST_PAD_PROBE_INFO_BUFFER (info));
  } else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList *list = GST_PAD_PROBE_INFO_BUFFER_LIST (info);

    for (i = 0; i < gst_buffer_list_length (list); i++)
      seen_reading (seen, gst_buffer_list_get (list, i));
  }
  return GST_PAD_PROBE_OK;
}

/* partition-by=station with region-topic-level: the stations of other
 * partitions make neither a buffer nor a region event; those of this one
 * make both. */
GST_START_TEST (test_other_partition_not_announced)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  Seen seen = { {0}, g_hash_table_new (NULL, NULL),
  g_hash_table_new (NULL, NULL)
  };
  GstElement *pipeline, *src, *sink;
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstPad *pad;
  guint s, mine = 0;
  gint64 t;
  gchar *desc;

  desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      "connect-timeout=10000000000 topics=w/# region-topic-level=1 "
      "partition=2/2 ! fakesink name=sink sync=false", mqtt_broker_port (b));
  pipeline = gst_parse_launch (desc, NULL);
  fail_unless (pipeline != NULL);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  pad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST | GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
      seen_probe, &seen, NULL);
  gst_object_unref (pad);
  fail_unless (gst_element_set_state (pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);

  t = g_get_real_time () * 1000;
  for (s = 0; s < N_STATIONS; s++) {
    gchar *name = station_name (s);

    g_ptr_array_add (msgs, reading_message (s, 0, t + s, 10, 1010));
    if (gst_weather_station_id_from_name (name) % 2 == 1)
      mine++;
    g_free (name);
  }
  fail_unless (mine > 0 && mine < N_STATIONS);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  finish_after (pipeline, src, N_STATIONS);

  fail_unless_equals_uint64 (weather_stat_u64 (src, "decoded"), mine);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "other-partition"),
      N_STATIONS - mine);
  fail_unless_equals_uint64 (weather_stat_u64 (src, "bad-payloads"), 0);
  fail_unless_equals_int (g_hash_table_size (seen.read), mine);
  fail_unless_equals_int (g_hash_table_size (seen.announced), mine);
  for (s = 0; s < N_STATIONS; s++) {
    gchar *name = station_name (s);
    guint32 id = gst_weather_station_id_from_name (name);
    gboolean in = id % 2 == 1;

    fail_unless_equals_int (g_hash_table_contains (seen.read,
            GUINT_TO_POINTER (id)), in);
    fail_unless_equals_int (g_hash_table_contains (seen.announced,
            GUINT_TO_POINTER (id)), in);
    g_free (name);
  }

  g_hash_table_destroy (seen.read);
  g_hash_table_destroy (seen.announced);
  g_ptr_array_unref (msgs);
  g_free (desc);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  mqtt_broker_free (b);
}

GST_END_TEST;

static Suite *
mqtt_partition_suite (void)
{
  Suite *s = suite_create ("mqtt_partition");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_bad_partition_refused, 0,
      G_N_ELEMENTS (bad_partitions));
  tcase_add_test (tc, test_partition_by_all_refused);
  tcase_add_test (tc, test_partition_region_file_unreadable);
  tcase_add_test (tc, test_good_partition_accepted);
  tcase_add_test (tc, test_other_partition_not_announced);
  tcase_add_loop_test (tc, test_partitions_union_is_one_pipeline, 0,
      G_N_ELEMENTS (variants));
  return s;
}

GST_CHECK_MAIN (mqtt_partition);
