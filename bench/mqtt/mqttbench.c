/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mqttsink against mosquitto_pub -l: the same JSON predictions, the same
 * freshly started broker, QoS 0 and 1, one JSON line per figure on stdout.
 * A third client, a bare Paho MQTTAsync loop publishing the same lines
 * with mqttsink's default window of messages in flight, shows what the
 * library alone achieves. Run it through bench/mqtt/run.sh.
 *
 * Then ingest: N native readings published by the same bare Paho client
 * (a window of PAHO_WINDOW, so that Mosquitto never drops the publisher)
 * to mosquitto_sub -C N and to gst-launch-1.0 mqttsrc ! weatherenc !
 * filesink, each in its own process, at QoS 0 and 1: the CPU time of the
 * receiving process per message (getrusage of the child), and how many
 * readings it wrote.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <gst/app/gstappsrc.h>
#include <gst/weather/weather.h>
#include <MQTTAsync.h>

#include "mqttbroker.h"

/* mqttsink's window at QoS 0 and 1 (max-inflight=0, automatic) */
#define PAHO_WINDOW 100

static GstBuffer *
make_prediction (guint i, GString * json)
{
  GstWeatherPrediction p;

  gst_weather_prediction_init (&p);
  p.window_start = G_GINT64_CONSTANT (1764000000000000000) +
      (gint64) i *GST_SECOND;
  p.window_end = p.window_start + GST_SECOND;
  p.model = GST_WEATHER_MODEL_ZAMBRETTI;
  p.chance_of_rain_pct = i % 101;
  p.mean_pressure_hpa = 990.0 + (i % 50) * 0.5;
  p.pressure_trend_hpa = -1.25;
  p.mean_temperature_c = 12.5;
  p.stations_used = 8;
  p.stations_missing = i % 3;
  p.letter = 'A' + (i % 26);
  g_strlcpy (p.forecast, "Fairly fine, improving", sizeof (p.forecast));
  if (json)
    gst_weather_prediction_to_json (&p, json);
  return gst_weather_prediction_to_buffer (&p);
}

static void
report (const gchar * client, gint qos, guint n, gdouble seconds,
    guint received)
{
  g_print ("{\"bench\":\"mqtt\",\"client\":\"%s\",\"qos\":%d,"
      "\"messages\":%u,\"seconds\":%.3f,\"msgs_per_s\":%.0f,"
      "\"received\":%u}\n", client, qos, n, seconds, n / seconds, received);
}


/* A counting subscriber: mosquitto_sub (C, cheap next to the clients
 * measured) printing the topic of each message. Ready once a probe
 * published on a second topic came back. */
typedef struct
{
  GSubprocess *proc;
  GThread *reader;
  GMutex lock;
  GCond cond;
  gchar *topic;
  guint count;
  gboolean ready;
  gboolean eof;
} Counter;

static gpointer
counter_read (gpointer data)
{
  Counter *c = data;
  GDataInputStream *in =
      g_data_input_stream_new (g_subprocess_get_stdout_pipe (c->proc));
  gchar *line;

  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL))) {
    g_mutex_lock (&c->lock);
    if (g_str_equal (line, c->topic))
      c->count++;
    else
      c->ready = TRUE;
    g_cond_broadcast (&c->cond);
    g_mutex_unlock (&c->lock);
    g_free (line);
  }
  g_mutex_lock (&c->lock);
  c->eof = TRUE;
  g_cond_broadcast (&c->cond);
  g_mutex_unlock (&c->lock);
  g_object_unref (in);
  return NULL;
}

static Counter *
counter_new (guint port, const gchar * topic, gint qos)
{
  Counter *c = g_new0 (Counter, 1);
  gchar *port_s = g_strdup_printf ("%u", port);
  gchar *qos_s = g_strdup_printf ("%d", qos);
  gchar *probe = g_strdup_printf ("%s-probe", topic);
  GError *err = NULL;
  gint tries;

  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->topic = g_strdup (topic);
  c->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err,
      "mosquitto_sub", "-h", "127.0.0.1", "-p", port_s, "-q", qos_s, "-t",
      topic, "-t", probe, "-F", "%t", NULL);
  g_assert_no_error (err);
  c->reader = g_thread_new ("counter", counter_read, c);
  /* bounded: the subscriber is an external process */
  for (tries = 0; tries < 50; tries++) {
    const gchar *argv[] = { "mosquitto_pub", "-h", "127.0.0.1", "-p",
      port_s, "-t", probe, "-m", "probe", NULL
    };
    gboolean ready;

    g_free (mqtt_run_command (argv, 10, NULL));
    g_mutex_lock (&c->lock);
    g_cond_wait_until (&c->cond, &c->lock, g_get_monotonic_time () +
        200 * G_TIME_SPAN_MILLISECOND);
    ready = c->ready;
    g_mutex_unlock (&c->lock);
    if (ready)
      break;
  }
  g_assert (c->ready);
  g_free (port_s);
  g_free (qos_s);
  g_free (probe);
  return c;
}

/* everything that will come comes within seconds of the publisher's end;
 * a loss shows as a count below n after the timeout */
static guint
counter_wait (Counter * c, guint n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  guint got;

  g_mutex_lock (&c->lock);
  while (c->count < n && !c->eof)
    if (!g_cond_wait_until (&c->cond, &c->lock, deadline))
      break;
  got = c->count;
  g_mutex_unlock (&c->lock);
  return got;
}

static void
counter_free (Counter * c)
{
  g_subprocess_force_exit (c->proc);
  g_subprocess_wait (c->proc, NULL, NULL);
  g_thread_join (c->reader);
  g_object_unref (c->proc);
  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
  g_free (c->topic);
  g_free (c);
}

static void
bench_mosquitto_pub (guint port, const gchar * lines_path, guint n, gint qos)
{
  gchar *topic = g_strdup_printf ("bench/pub/q%d", qos);
  gchar *port_s = g_strdup_printf ("%u", port);
  gchar *qos_s = g_strdup_printf ("%d", qos);
  Counter *sub = counter_new (port, topic, qos);
  GSubprocessLauncher *l = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  GSubprocess *p;
  GError *err = NULL;
  gint64 t0, t1;

  g_assert (sub);
  g_subprocess_launcher_set_stdin_file_path (l, lines_path);
  t0 = g_get_monotonic_time ();
  p = g_subprocess_launcher_spawn (l, &err, "mosquitto_pub", "-h",
      "127.0.0.1", "-p", port_s, "-q", qos_s, "-t", topic, "-l", NULL);
  g_assert_no_error (err);
  g_subprocess_wait_check (p, NULL, &err);
  t1 = g_get_monotonic_time ();
  g_assert_no_error (err);
  report ("mosquitto_pub", qos, n, (t1 - t0) / 1e6, counter_wait (sub, n));
  g_object_unref (p);
  g_object_unref (l);
  counter_free (sub);
  g_free (topic);
  g_free (port_s);
  g_free (qos_s);
}

static void
bench_mqttsink (guint port, guint n, gint qos)
{
  gchar *topic = g_strdup_printf ("bench/sink/q%d", qos);
  Counter *sub = counter_new (port, topic, qos);
  GstElement *pipeline, *src, *sink;
  const gchar *extra;
  GstBus *bus;
  GstMessage *msg;
  GError *err = NULL;
  gchar *desc;
  gint64 t0, t1;
  guint i;

  g_assert (sub);
  extra = g_getenv ("MQTTBENCH_SINK_PROPS");
  desc = g_strdup_printf ("appsrc name=src format=time max-bytes=0 caps=\""
      GST_WEATHER_PREDICTION_CAPS "\" ! mqttsink name=sink host=127.0.0.1 "
      "port=%u qos=%d topic=%s %s", port, qos, topic, extra ? extra : "");
  pipeline = gst_parse_launch (desc, &err);
  g_assert_no_error (err);
  g_free (desc);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  /* the input is ready before the clock starts, as mosquitto_pub's file */
  for (i = 0; i < n; i++)
    gst_app_src_push_buffer (GST_APP_SRC (src), make_prediction (i, NULL));
  gst_app_src_end_of_stream (GST_APP_SRC (src));

  bus = gst_element_get_bus (pipeline);
  t0 = g_get_monotonic_time ();
  gst_element_set_state (pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, 300 * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  t1 = g_get_monotonic_time ();
  g_assert (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  report ("mqttsink", qos, n, (t1 - t0) / 1e6, counter_wait (sub, n));
  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_object_unref (bus);
  gst_object_unref (src);
  gst_object_unref (sink);
  gst_object_unref (pipeline);
  counter_free (sub);
  g_free (topic);
}

/* The bare library: one MQTTAsync client, the lines already in memory, at
 * most PAHO_WINDOW messages handed to Paho and not yet reported written
 * (QoS 0) or acknowledged (QoS 1). Timed from connect to the last report,
 * as mosquitto_pub is from its start to its exit. */
typedef struct
{
  GMutex lock;
  GCond cond;
  guint done;
  gint connected;               /* 0 pending, 1 yes, -1 refused */
} PahoRun;

static void
paho_on_connect (void *context, MQTTAsync_successData * response)
{
  PahoRun *run = context;

  g_mutex_lock (&run->lock);
  run->connected = 1;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

static void
paho_on_connect_failure (void *context, MQTTAsync_failureData * response)
{
  PahoRun *run = context;

  g_mutex_lock (&run->lock);
  run->connected = -1;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

static void
paho_on_sent (void *context, MQTTAsync_successData * response)
{
  PahoRun *run = context;

  g_mutex_lock (&run->lock);
  run->done++;
  g_cond_broadcast (&run->cond);
  g_mutex_unlock (&run->lock);
}

/* Publishes the @n @lines on @topic; the seconds from connect to the last
 * report. */
static gdouble
paho_publish (guint port, const gchar * topic, gchar ** lines, guint n,
    gint qos)
{
  gchar *uri = g_strdup_printf ("tcp://127.0.0.1:%u", port);
  MQTTAsync_connectOptions co = MQTTAsync_connectOptions_initializer;
  MQTTAsync client;
  PahoRun run = { 0, };
  gint64 t0, t1;
  guint i;

  g_mutex_init (&run.lock);
  g_cond_init (&run.cond);
  g_assert (MQTTAsync_create (&client, uri, "mqttbench-paho",
          MQTTCLIENT_PERSISTENCE_NONE, NULL) == MQTTASYNC_SUCCESS);
  co.onSuccess = paho_on_connect;
  co.onFailure = paho_on_connect_failure;
  co.context = &run;
  co.maxInflight = PAHO_WINDOW;

  t0 = g_get_monotonic_time ();
  g_assert (MQTTAsync_connect (client, &co) == MQTTASYNC_SUCCESS);
  g_mutex_lock (&run.lock);
  while (run.connected == 0)
    g_cond_wait (&run.cond, &run.lock);
  g_assert (run.connected == 1);
  for (i = 0; i < n; i++) {
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    MQTTAsync_message msg = MQTTAsync_message_initializer;

    while (i - run.done >= PAHO_WINDOW)
      g_cond_wait (&run.cond, &run.lock);
    g_mutex_unlock (&run.lock);
    ro.onSuccess = paho_on_sent;
    ro.context = &run;
    msg.payload = lines[i];
    msg.payloadlen = (int) strlen (lines[i]);
    msg.qos = qos;
    g_assert (MQTTAsync_sendMessage (client, topic, &msg, &ro) ==
        MQTTASYNC_SUCCESS);
    g_mutex_lock (&run.lock);
  }
  while (run.done < n)
    g_cond_wait (&run.cond, &run.lock);
  g_mutex_unlock (&run.lock);
  t1 = g_get_monotonic_time ();

  MQTTAsync_disconnect (client, NULL);
  MQTTAsync_destroy (&client);
  g_mutex_clear (&run.lock);
  g_cond_clear (&run.cond);
  g_free (uri);
  return (t1 - t0) / 1e6;
}

static void
bench_paho (guint port, gchar ** lines, guint n, gint qos)
{
  gchar *topic = g_strdup_printf ("bench/paho/q%d", qos);
  Counter *sub = counter_new (port, topic, qos);
  gdouble seconds = paho_publish (port, topic, lines, n, qos);

  report ("paho", qos, n, seconds, counter_wait (sub, n));
  counter_free (sub);
  g_free (topic);
}

/* CPU seconds (user + system) of the children reaped so far */
static gdouble
children_cpu (void)
{
  struct rusage ru;

  getrusage (RUSAGE_CHILDREN, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static guint
count_lines (const gchar * path)
{
  gchar *contents = NULL;
  guint n = 0;
  gchar *p;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  for (p = contents; (p = strchr (p, '\n')); p++)
    n++;
  g_free (contents);
  return n;
}

typedef struct
{
  GSubprocess *proc;
  gint64 deadline;
  gint done;
} Watchdog;

static gpointer
watchdog_run (gpointer data)
{
  Watchdog *w = data;

  while (!g_atomic_int_get (&w->done)) {
    if (g_get_monotonic_time () > w->deadline) {
      g_subprocess_send_signal (w->proc, SIGINT);
      w->deadline = G_MAXINT64;
    }
    g_usleep (50 * G_TIME_SPAN_MILLISECOND);
  }
  return NULL;
}

/* One receiver: @argv started with its stdout in @out_path (or a pipe,
 * read until a line holds @ready), the readings published once it is
 * ready; it exits after n messages, or is interrupted 30 s after the
 * publisher's end (a loss). */
static void
bench_ingest_one (const gchar * client, const gchar ** argv,
    const gchar * ready, const gchar * out_path, guint port,
    const gchar * topic, gchar ** lines, guint n, gint qos)
{
  GSubprocessLauncher *l;
  GSubprocess *p;
  GError *err = NULL;
  GDataInputStream *in = NULL;
  gchar *line;
  gdouble cpu0, cpu1, seconds;
  gint64 t0, deadline;
  guint received;

  l = g_subprocess_launcher_new (ready ? G_SUBPROCESS_FLAGS_STDOUT_PIPE :
      G_SUBPROCESS_FLAGS_NONE);
  if (!ready)
    g_subprocess_launcher_set_stdout_file_path (l, out_path);
  cpu0 = children_cpu ();
  p = g_subprocess_launcher_spawnv (l, argv, &err);
  g_assert_no_error (err);
  if (ready) {
    in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p));
    while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL))) {
      gboolean found = strstr (line, ready) != NULL;

      g_free (line);
      if (found)
        break;
    }
  } else {
    /* mosquitto_sub: subscribed once a probe comes back is what Counter
     * does; here its subscription is simply given the time to land */
    g_usleep (500 * G_TIME_SPAN_MILLISECOND);
  }
  t0 = g_get_monotonic_time ();
  paho_publish (port, topic, lines, n, qos);
  /* a receiver that lost messages never reaches n: interrupted (gst-launch
   * -e turns SIGINT into EOS) 30 s after the publisher's end */
  deadline = g_get_monotonic_time () + 30 * G_TIME_SPAN_SECOND;
  {
    Watchdog w = { p, deadline, FALSE };
    GThread *t = g_thread_new ("watchdog", watchdog_run, &w);

    g_subprocess_wait (p, NULL, NULL);
    g_atomic_int_set (&w.done, TRUE);
    g_thread_join (t);
  }
  cpu1 = children_cpu ();
  seconds = (g_get_monotonic_time () - t0) / 1e6;
  if (in) {
    /* the pipeline runner's figures: "buffers" are the readings that
     * left mqttsrc */
    const gchar *b;

    received = 0;
    while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL))) {
      if ((b = strstr (line, "\"buffers\":")))
        received = (guint) g_ascii_strtoull (b + strlen ("\"buffers\":"),
            NULL, 10);
      g_free (line);
    }
    g_object_unref (in);
  } else {
    received = count_lines (out_path);
  }
  {
    g_print ("{\"bench\":\"mqtt-ingest\",\"client\":\"%s\",\"qos\":%d,"
        "\"messages\":%u,\"received\":%u,\"seconds\":%.3f,"
        "\"cpu_s\":%.3f,\"cpu_us_per_msg\":%.2f}\n", client, qos, n,
        received, seconds, cpu1 - cpu0, (cpu1 - cpu0) / n * 1e6);
  }
  g_object_unref (p);
  g_object_unref (l);
}

static void
bench_ingest (guint port, guint n, gint qos, const gchar * runner)
{
  gchar *topic = g_strdup_printf ("bench/ingest/q%d", qos);
  gchar *port_s = g_strdup_printf ("%u", port);
  gchar *qos_s = g_strdup_printf ("%d", qos);
  gchar *n_s = g_strdup_printf ("%u", n);
  gchar *out_path, **lines;
  GString *json = g_string_new (NULL);
  GstWeatherReading r;
  gint64 t = g_get_real_time () * 1000 + 60 * GST_SECOND;
  guint i;
  gint fd;

  /* readings stamped after the receiver starts: mqttsrc drops older ones */
  lines = g_new0 (gchar *, n + 1);
  for (i = 0; i < n; i++) {
    gst_weather_reading_init (&r);
    r.station_id = i % 100;
    gst_weather_reading_set_station_name (&r, "bench", NULL);
    r.created_at = t + (gint64) i *GST_MSECOND;
    r.sequence = i;
    r.temperature_c = 10.0 + (i % 100) * 0.01;
    r.pressure_hpa = 1000.0 + (i % 50) * 0.5;
    r.humidity_pct = 50.0 + (i % 40);
    r.wind_speed_ms = 3.5;
    r.wind_direction_deg = 180.0 + (i % 90);
    g_string_truncate (json, 0);
    gst_weather_reading_to_json (&r, json);
    lines[i] = g_strdup (json->str);
  }
  g_string_free (json, TRUE);
  fd = g_file_open_tmp ("mqttbench-ingest-XXXXXX.jsonl", &out_path, NULL);
  close (fd);

  {
    const gchar *argv[] = { "mosquitto_sub", "-h", "127.0.0.1", "-p", port_s,
      "-q", qos_s, "-t", topic, "-C", n_s, NULL
    };
    bench_ingest_one ("mosquitto_sub", argv, NULL, out_path, port, topic,
        lines, n, qos);
  }
  {
    /* mqttsrc's own cost: the readings go to fakesink, and the pipeline
     * runner counts what left the source and turns SIGINT into EOS */
    gchar *desc = g_strdup_printf ("mqttsrc host=127.0.0.1 port=%s "
        "topics=%s qos=%s num-buffers=%s max-queued=1000000 "
        "max-queued-bytes=1000000000 ! fakesink", port_s, topic, qos_s,
        n_s);
    const gchar *argv[] = { runner, "--ready", desc, NULL };

    bench_ingest_one ("mqttsrc", argv, "ready", out_path, port, topic, lines,
        n, qos);
    g_free (desc);
  }
  g_unlink (out_path);
  g_free (out_path);
  g_strfreev (lines);
  g_free (topic);
  g_free (port_s);
  g_free (qos_s);
  g_free (n_s);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 20000, i;
  guint n_ingest = argc > 2 ? (guint) atoi (argv[2]) : 100000;
  MqttBroker *broker;
  GString *lines = g_string_new (NULL);
  gchar **split;
  gchar *path;
  GError *err = NULL;
  gint fd, qos;
  gchar *dir, *runner;

  gst_init (&argc, &argv);
  gst_weather_init ();
  /* the pipeline runner of bench/throughput, beside this program's
   * folder in the build */
  dir = g_path_get_dirname (argv[0]);
  runner = g_build_filename (dir, "..", "throughput",
      "weather-bench-pipeline", NULL);
  g_free (dir);

  for (i = 0; i < n; i++) {
    gst_buffer_unref (make_prediction (i, lines));
    g_string_append_c (lines, '\n');
  }
  fd = g_file_open_tmp ("mqttbench-XXXXXX.jsonl", &path, &err);
  g_assert_no_error (err);
  close (fd);
  g_file_set_contents (path, lines->str, lines->len, &err);
  g_assert_no_error (err);
  split = g_strsplit (lines->str, "\n", -1);
  g_string_free (lines, TRUE);

  broker = mqtt_broker_new (NULL);
  for (qos = 0; qos <= 1; qos++) {
    bench_mosquitto_pub (mqtt_broker_port (broker), path, n, qos);
    bench_mqttsink (mqtt_broker_port (broker), n, qos);
    bench_paho (mqtt_broker_port (broker), split, n, qos);
  }
  for (qos = 0; qos <= 1 && n_ingest > 0; qos++)
    bench_ingest (mqtt_broker_port (broker), n_ingest, qos, runner);
  mqtt_broker_free (broker);
  g_unlink (path);
  g_free (path);
  g_strfreev (split);
  g_free (runner);
  return 0;
}
