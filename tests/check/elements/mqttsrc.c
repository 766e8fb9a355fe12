/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * mqttsrc against a real Mosquitto started per test on a free loopback
 * port, fed by real publishers (Python paho, mosquitto_pub).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <glib/gstdio.h>
#include <gst/check/gstcheck.h>
#include <gst/app/gstappsink.h>
#include <gst/weather/weather.h>

#include "../mqttbroker.h"
#include "../mqttpipeline.h"
#include "../weatherstats.h"

#define WAIT_S 30

/* mqttsrc from 127.0.0.1:@port with @props (may be NULL) ! appsink. It is
 * subscribed once mqtt_pipeline_play() returns: the source's start() runs
 * inside set_state() and subscribes before it returns. (The sink of a
 * live pipeline completes its state change only with the first
 * buffer.) */
static MqttPipeline *
src_pipeline_new (guint port, const gchar * props)
{
  gchar *desc = g_strdup_printf ("mqttsrc name=src host=127.0.0.1 port=%u "
      MQTT_PIPELINE_CONNECT_TIMEOUT " %s ! appsink name=sink sync=false",
      port, props ? props : "");
  MqttPipeline *p = mqtt_pipeline_new (desc);

  g_free (desc);
  return p;
}

static gint64
now_ns (void)
{
  return g_get_real_time () * 1000;
}

static gchar *
reading_json (const gchar * station, guint64 seq, gint64 created_at)
{
  GstWeatherReading r;
  GString *s = g_string_new (NULL);

  gst_weather_reading_init (&r);
  r.station_id = gst_weather_station_id_from_name (station);
  fail_unless (gst_weather_reading_set_station_name (&r, station, NULL));
  r.sequence = seq;
  r.created_at = created_at;
  r.temperature_c = 20.5;
  r.pressure_hpa = 1013.25;
  gst_weather_reading_to_json (&r, s);
  return g_string_free (s, FALSE);
}

static void
add_message (GPtrArray * msgs, const gchar * topic, const gchar * payload,
    gssize len)
{
  g_ptr_array_add (msgs, mqtt_message_new (topic, payload,
          len < 0 ? strlen (payload) : (gsize) len));
}

/* Publishes @n readings of station @topic (sequence 0..@n-1, created now)
 * on @topic at QoS 1; returns once the broker took them all. */
static void
publish_readings (guint port, const gchar * topic, guint n)
{
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  gint64 t = now_ns ();
  guint i;

  for (i = 0; i < n; i++) {
    gchar *j = reading_json (topic, i, t + i);

    add_message (msgs, topic, j, -1);
    g_free (j);
  }
  fail_unless (mqtt_publish (port, msgs, 1, FALSE));
  g_ptr_array_unref (msgs);
}

static gboolean
pull_reading (MqttPipeline * p, GstWeatherReading * r, GstClockTime * pts,
    gint64 * epoch)
{
  GstSample *sample;
  GstBuffer *buf;
  gboolean ok;

  sample = gst_app_sink_try_pull_sample (GST_APP_SINK (p->sink),
      WAIT_S * GST_SECOND);
  if (!sample)
    return FALSE;
  buf = gst_sample_get_buffer (sample);
  ok = gst_weather_reading_from_buffer (buf, r, NULL);
  fail_unless (ok);
  if (pts)
    *pts = GST_BUFFER_PTS (buf);
  if (epoch)
    *epoch = gst_weather_segment_to_epoch (gst_sample_get_segment (sample),
        GST_BUFFER_PTS (buf));
  gst_sample_unref (sample);
  return TRUE;
}

static void
expect_error (MqttPipeline * p, gint code, const gchar * needle)
{
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL, *all;

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_ERROR);
  fail_unless (msg != NULL);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (err->domain == GST_RESOURCE_ERROR && err->code == code,
      "wrong error: %s", err->message);
  all = g_strdup_printf ("%s %s", err->message, dbg ? dbg : "");
  fail_unless (strstr (all, needle) != NULL, "\"%s\" not in \"%s\"", needle,
      all);
  g_free (all);
  g_free (dbg);
  g_error_free (err);
  gst_message_unref (msg);
  gst_object_unref (bus);
}

/* ---- good input ---- */

GST_START_TEST (test_wildcard_several_publishers)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=w/+/reading qos=1");
  const gchar *stations[] = { "north", "south", "east" };
  guint per = 100, i, s, n = per * G_N_ELEMENTS (stations);
  GHashTable *seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
      NULL);
  gint64 start;

  mqtt_pipeline_play (p);
  start = now_ns ();
  /* three publishers, each its own client, one after the other so the
   * order is known per station */
  for (s = 0; s < G_N_ELEMENTS (stations); s++) {
    GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
        mqtt_message_free);
    gchar *topic = g_strdup_printf ("w/%s/reading", stations[s]);

    for (i = 0; i < per; i++) {
      gchar *j = reading_json (stations[s], i, start + i * GST_MSECOND);
      add_message (msgs, topic, j, -1);
      g_free (j);
    }
    /* another level structure that the filter must not match */
    add_message (msgs, "w/x/y/reading", "{}", -1);
    fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
    g_ptr_array_unref (msgs);
    g_free (topic);
  }

  for (i = 0; i < n; i++) {
    GstWeatherReading r;
    GstClockTime pts;
    gint64 epoch;

    fail_unless (pull_reading (p, &r, &pts, &epoch), "only %u of %u", i, n);
    /* PTS is created_at in the time model */
    fail_unless_equals_int64 (epoch, r.created_at);
    fail_unless (r.created_at >= start);
    fail_unless (r.received_at >= r.created_at - GST_SECOND);
    g_hash_table_add (seen, g_strdup_printf ("%s/%" G_GUINT64_FORMAT,
            r.station_name, r.sequence));
  }
  fail_unless_equals_int (g_hash_table_size (seen), n);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), n);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "bad-payloads"), 0);
  g_hash_table_unref (seen);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_latency_query_and_clock)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=x latency=1234000000");
  GstQuery *q = gst_query_new_latency ();
  gboolean live;
  GstClockTime min, max;
  GstClock *clock;
  GstClockType type;

  mqtt_pipeline_play (p);
  fail_unless (gst_element_query (p->src, q));
  gst_query_parse_latency (q, &live, &min, &max);
  fail_unless (live);
  fail_unless_equals_uint64 (min, 1234000000);
  gst_query_unref (q);

  /* the pipeline runs on the realtime clock the source provides */
  clock = gst_pipeline_get_clock (GST_PIPELINE (p->pipeline));
  fail_unless (GST_IS_SYSTEM_CLOCK (clock));
  g_object_get (clock, "clock-type", &type, NULL);
  fail_unless_equals_int (type, GST_CLOCK_TYPE_REALTIME);
  gst_object_unref (clock);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_station_from_topic_level)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=st/# station-from=topic-level station-topic-level=1");
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;
  gint64 t;
  gchar *j;

  mqtt_pipeline_play (p);
  t = now_ns ();
  j = reading_json ("payload-name", 1, t);
  add_message (msgs, "st/roof%2Fwest/r", j, -1);        /* "roof/west" */
  add_message (msgs, "st", j, -1);      /* no level 1: bad */
  add_message (msgs, "st/bad%00nul/r", j, -1);  /* NUL: bad */
  add_message (msgs, "st/%FF%FE/r", j, -1);     /* not UTF-8: bad */
  add_message (msgs, "st/plain/r", j, -1);
  g_free (j);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);

  fail_unless (pull_reading (p, &r, NULL, NULL));
  fail_unless_equals_string (r.station_name, "roof/west");
  fail_unless_equals_int (r.station_id,
      gst_weather_station_id_from_name ("roof/west"));
  fail_unless (pull_reading (p, &r, NULL, NULL));
  fail_unless_equals_string (r.station_name, "plain");
  /* "plain" was published last: everything before it was looked at */
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "bad-payloads"), 3);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), 2);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* Two pipelines share $share/g/...: every message goes to exactly one. */
typedef struct
{
  GMutex lock;
  GCond cond;
  guint total;
  guint per[2];
  GHashTable *seqs;
  guint doubled;
} SharedCount;

typedef struct
{
  SharedCount *sc;
  guint idx;
} SharedSink;

static GstFlowReturn
shared_new_sample (GstAppSink * sink, gpointer data)
{
  SharedSink *ss = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);
  GstWeatherReading r;

  fail_unless (gst_weather_reading_from_buffer (gst_sample_get_buffer
          (sample), &r, NULL));
  g_mutex_lock (&ss->sc->lock);
  if (!g_hash_table_add (ss->sc->seqs, GUINT_TO_POINTER ((guint) r.sequence
              + 1)))
    ss->sc->doubled++;
  ss->sc->total++;
  ss->sc->per[ss->idx]++;
  g_cond_broadcast (&ss->sc->cond);
  g_mutex_unlock (&ss->sc->lock);
  gst_sample_unref (sample);
  return GST_FLOW_OK;
}

GST_START_TEST (test_shared_subscription_split)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p[2];
  SharedCount sc;
  SharedSink ss[2];
  GstAppSinkCallbacks cb = { NULL, NULL, shared_new_sample, };
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  guint i, n = 2000;
  gint64 t, deadline;

  memset (&sc, 0, sizeof (sc));
  g_mutex_init (&sc.lock);
  g_cond_init (&sc.cond);
  sc.seqs = g_hash_table_new (NULL, NULL);
  for (i = 0; i < 2; i++) {
    p[i] = src_pipeline_new (mqtt_broker_port (b),
        "topics=$share/g/sh/# qos=1");
    ss[i].sc = &sc;
    ss[i].idx = i;
    gst_app_sink_set_callbacks (GST_APP_SINK (p[i]->sink), &cb, &ss[i], NULL);
    mqtt_pipeline_play (p[i]);
  }
  t = now_ns ();
  for (i = 0; i < n; i++) {
    gchar *j = reading_json ("shared", i, t + i);
    gchar *topic = g_strdup_printf ("sh/%u", i % 7);

    add_message (msgs, topic, j, -1);
    g_free (j);
    g_free (topic);
  }
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);

  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  g_mutex_lock (&sc.lock);
  while (sc.total < n)
    if (!g_cond_wait_until (&sc.cond, &sc.lock, deadline))
      break;
  g_mutex_unlock (&sc.lock);
  for (i = 0; i < 2; i++)
    gst_element_set_state (p[i]->pipeline, GST_STATE_NULL);

  GST_INFO ("shared: %u + %u", sc.per[0], sc.per[1]);
  fail_unless_equals_int (sc.total, n);
  fail_unless_equals_int (sc.doubled, 0);
  fail_unless_equals_int (g_hash_table_size (sc.seqs), n);
  /* both pipelines took part */
  fail_unless (sc.per[0] > 0 && sc.per[1] > 0);
  for (i = 0; i < 2; i++)
    mqtt_pipeline_free (p[i]);
  g_hash_table_unref (sc.seqs);
  g_mutex_clear (&sc.lock);
  g_cond_clear (&sc.cond);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* The broker restarts: the source reconnects, subscribes again and gets
 * what is published afterwards. */
GST_START_TEST (test_reconnect_resubscribes)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=rc/# keepalive=2");
  GPtrArray *msgs;
  GstWeatherReading r;
  gchar *j;

  mqtt_pipeline_play (p);
  mqtt_broker_kill (b);
  mqtt_broker_restart (b);
  /* retained: it reaches the source whenever it subscribes again */
  msgs = g_ptr_array_new_with_free_func ((GDestroyNotify) mqtt_message_free);
  j = reading_json ("after", 9, now_ns ());
  add_message (msgs, "rc/after", j, -1);
  g_free (j);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, TRUE));
  g_ptr_array_unref (msgs);

  fail_unless (pull_reading (p, &r, NULL, NULL));
  fail_unless_equals_string (r.station_name, "after");
  fail_unless (weather_stat_u64 (p->src, "reconnects") >= 1);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_num_buffers_eos)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=nb num-buffers=3");
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;
  guint i;
  gint64 t;

  mqtt_pipeline_play (p);
  t = now_ns ();
  for (i = 0; i < 5; i++) {
    gchar *j = reading_json ("nb", i, t + i);
    add_message (msgs, "nb", j, -1);
    g_free (j);
  }
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);
  /* appsink posts EOS once its samples were taken */
  for (i = 0; i < 3; i++) {
    GstWeatherReading r;

    fail_unless (pull_reading (p, &r, NULL, NULL));
    fail_unless_equals_uint64 (r.sequence, i);
  }
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), 3);
  gst_object_unref (bus);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;


/* Lists pushed out of mqttsrc, and the readings in the first one. */
typedef struct
{
  gint lists;
  gint first_list_length;
} ListCount;

static GstPadProbeReturn
count_lists (GstPad * pad, GstPadProbeInfo * info, gpointer user_data)
{
  ListCount *c = user_data;

  if (g_atomic_int_add (&c->lists, 1) == 0)
    g_atomic_int_set (&c->first_list_length, (info->type &
            GST_PAD_PROBE_TYPE_BUFFER_LIST) ?
        (gint) gst_buffer_list_length (GST_PAD_PROBE_INFO_BUFFER_LIST (info))
        : 1);
  return GST_PAD_PROBE_OK;
}

/* batch-delay: messages that arrive within it of the first go out with
 * it, as one buffer list (the publisher sends its 10 within a few ms, far
 * less than the 1 s tested); every reading arrives, in order. */
GST_START_TEST (test_batch_delay_gathers_a_list)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=bd batch-delay=1000000000");
  ListCount c = { 0, 0 };
  GstPad *pad = gst_element_get_static_pad (p->src, "src");
  guint i;

  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER |
      GST_PAD_PROBE_TYPE_BUFFER_LIST, count_lists, &c, NULL);
  gst_object_unref (pad);
  mqtt_pipeline_play (p);
  publish_readings (mqtt_broker_port (b), "bd", 10);
  for (i = 0; i < 10; i++) {
    GstWeatherReading r;

    fail_unless (pull_reading (p, &r, NULL, NULL));
    fail_unless_equals_uint64 (r.sequence, i);
  }
  fail_unless_equals_int (g_atomic_int_get (&c.first_list_length), 10);
  fail_unless_equals_int (g_atomic_int_get (&c.lists), 1);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* A lone message is not held for a batch that never fills: it goes out
 * once batch-delay ran out (the streaming thread is not woken for it by
 * Paho's thread, its own timed wait ends). */
GST_START_TEST (test_batch_delay_lone_message)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=lone batch-delay=200000000");
  GstWeatherReading r;

  mqtt_pipeline_play (p);
  publish_readings (mqtt_broker_port (b), "lone", 1);
  fail_unless (pull_reading (p, &r, NULL, NULL));
  fail_unless_equals_uint64 (r.sequence, 0);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), 1);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* With num-buffers, a batch is full at the readings still allowed: the
 * third message ends the stream at once, not after the delay, and the
 * two beyond it are not pushed. */
GST_START_TEST (test_batch_delay_num_buffers)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=bn num-buffers=3 batch-delay=1000000000");
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;
  guint i;

  mqtt_pipeline_play (p);
  publish_readings (mqtt_broker_port (b), "bn", 5);
  for (i = 0; i < 3; i++) {
    GstWeatherReading r;

    fail_unless (pull_reading (p, &r, NULL, NULL));
    fail_unless_equals_uint64 (r.sequence, i);
  }
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), 3);
  gst_object_unref (bus);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;


/* A consumer slower than the publisher: nothing is pulled until the
 * broker took all 500; the default queue holds them, none is dropped,
 * and they come out in order. */
GST_START_TEST (test_slow_consumer_default_queue)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b), "topics=bp qos=1");
  guint i, n = 500;

  g_object_set (p->sink, "max-buffers", 1, "drop", FALSE, NULL);
  mqtt_pipeline_play (p);
  publish_readings (mqtt_broker_port (b), "bp", n);
  for (i = 0; i < n; i++) {
    GstWeatherReading r;

    fail_unless (pull_reading (p, &r, NULL, NULL), "only %u of %u", i, n);
    fail_unless_equals_uint64 (r.sequence, i);
  }
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "dropped-full"), 0);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "received"), n);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* ---- bad input ---- */

/* Deterministic hostile payloads of several kinds. */
static GBytes *
make_bad_payload (GRand * rand, guint i, gint64 t)
{
  gchar *good = reading_json ("fuzz", i, t);
  gsize glen = strlen (good);
  GBytes *out;

  switch (i % 8) {
    case 0:{                   /* random bytes */
      gsize n = g_rand_int_range (rand, 1, 200), k;
      guint8 *d = g_malloc (n);

      for (k = 0; k < n; k++)
        d[k] = g_rand_int_range (rand, 0, 256);
      out = g_bytes_new_take (d, n);
      break;
    }
    case 1:                    /* truncated JSON */
      out = g_bytes_new (good, g_rand_int_range (rand, 0, glen - 1));
      break;
    case 2:{                   /* wrong types: the whole reading as a string */
      gchar *s = g_strdup_printf ("{\"station\":[1,2],\"created_at\":{},"
          "\"temperature_c\":\"%u\"}", i);
      out = g_bytes_new_take (s, strlen (s));
      break;
    }
    case 3:{                   /* not an object */
      static const gchar *v[] = { "[]", "null", "42", "\"x\"", "true", "" };
      const gchar *s = v[i / 8 % G_N_ELEMENTS (v)];
      out = g_bytes_new (s, strlen (s));
      break;
    }
    case 4:{                   /* invalid UTF-8 inside a valid shape */
      gchar *s = g_strdup (good);
      gchar *q = strstr (s, "fuzz");

      if (q) {
        q[0] = (gchar) 0xff;
        q[1] = (gchar) 0xfe;
      } else {
        s[glen / 2] = (gchar) 0xc0;
      }
      out = g_bytes_new_take (s, glen);
      break;
    }
    case 5:{                   /* trailing garbage / two objects */
      gchar *s = g_strdup_printf ("%s%s", good, i % 16 < 8 ? good : "}x");
      out = g_bytes_new_take (s, strlen (s));
      break;
    }
    case 6:{                   /* embedded NUL */
      gchar *s = g_strdup (good);

      s[glen / 3] = '\0';
      out = g_bytes_new_take (s, glen);
      break;
    }
    default:{                  /* deep nesting or huge */
      if (i % 400 == 7) {
        gsize n = GST_WEATHER_JSON_MAX_SIZE + 1000;
        gchar *s = g_malloc (n);

        memset (s, ' ', n);
        memcpy (s, good, glen);
        out = g_bytes_new_take (s, n);
      } else {
        GString *s = g_string_new (NULL);
        guint k, depth = 64 + i % 512;

        for (k = 0; k < depth; k++)
          g_string_append (s, "{\"a\":");
        g_string_append (s, "1");
        for (k = 0; k < depth; k++)
          g_string_append_c (s, '}');
        out = g_bytes_new_take (s->str, s->len);
        g_string_free (s, FALSE);
      }
      break;
    }
  }
  g_free (good);
  return out;
}

GST_START_TEST (test_malformed_flood)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=fz/# qos=1");
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GRand *rand = g_rand_new_with_seed (20241126);
  guint i, n_bad = 10000, n_good = 0, expected_bad = 0, got;
  GHashTable *want = g_hash_table_new (NULL, NULL);
  gint64 t;

  mqtt_pipeline_play (p);
  t = now_ns ();
  for (i = 0; i < n_bad; i++) {
    GBytes *bad = make_bad_payload (rand, i, t);
    gsize len;
    gconstpointer d = g_bytes_get_data (bad, &len);
    GstWeatherReading r;
    gchar *topic = g_strdup_printf ("fz/%u", i % 13);

    /* the library's decoder is the judge of what is bad; a generated
     * payload it happens to accept is expected to arrive */
    if (len <= GST_WEATHER_JSON_MAX_SIZE &&
        gst_weather_reading_from_json (d, len, &r, NULL)) {
      g_hash_table_add (want, GUINT_TO_POINTER ((guint) r.sequence + 1));
      n_good++;
    } else {
      expected_bad++;
    }
    g_ptr_array_add (msgs, mqtt_message_new (topic, d, len));
    g_bytes_unref (bad);
    /* a valid one every tenth */
    if (i % 10 == 0) {
      gchar *j = reading_json ("good", 100000 + i, t + i);
      add_message (msgs, topic, j, -1);
      g_hash_table_add (want, GUINT_TO_POINTER (100000 + i + 1));
      n_good++;
      g_free (j);
    }
    g_free (topic);
  }
  fail_unless (expected_bad > n_bad * 9 / 10);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);

  for (got = 0; got < n_good; got++) {
    GstWeatherReading r;

    fail_unless (pull_reading (p, &r, NULL, NULL), "only %u of %u valid",
        got, n_good);
    fail_unless (g_hash_table_remove (want, GUINT_TO_POINTER ((guint)
                r.sequence + 1)), "unexpected or doubled %" G_GUINT64_FORMAT,
        r.sequence);
  }
  fail_unless_equals_int (g_hash_table_size (want), 0);
  /* the last valid one came after the last bad one on its topic, and one
   * publisher's messages keep their order: every bad one was seen */
  {
    GPtrArray *tail = g_ptr_array_new_with_free_func ((GDestroyNotify)
        mqtt_message_free);
    GstWeatherReading r;
    gchar *j = reading_json ("sentinel", 1, t + 1);

    for (i = 0; i < 13; i++) {
      gchar *topic = g_strdup_printf ("fz/%u", i);
      add_message (tail, topic, j, -1);
      g_free (topic);
    }
    fail_unless (mqtt_publish (mqtt_broker_port (b), tail, 1, FALSE));
    g_ptr_array_unref (tail);
    g_free (j);
    for (i = 0; i < 13; i++)
      fail_unless (pull_reading (p, &r, NULL, NULL));
  }
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "bad-payloads"),
      expected_bad);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), n_good + 13);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "received"),
      n_bad + n_bad / 10 + 13);
  g_hash_table_unref (want);
  g_rand_free (rand);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

/* The queue full (max-queued=5) while nothing is pulled: the receiving
 * thread never waits, the oldest queued readings make room, each drop is
 * counted and said on the bus, and the newest readings are what is left. */
GST_START_TEST (test_full_queue_drops_oldest)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=bp qos=1 max-queued=5");
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;
  GstWeatherReading r;
  guint i, n = 500, pulled;
  guint64 last = 0, dropped;
  gint64 deadline;

  g_object_set (p->sink, "max-buffers", 1, "drop", FALSE, NULL);
  mqtt_pipeline_play (p);
  publish_readings (mqtt_broker_port (b), "bp", n);
  /* the source has them all once it counted them */
  deadline = g_get_monotonic_time () + WAIT_S * G_TIME_SPAN_SECOND;
  while (weather_stat_u64 (p->src, "received") < n &&
      g_get_monotonic_time () < deadline)
    g_usleep (10 * 1000);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "received"), n);
  fail_unless (weather_stat_u64 (p->src, "queued") <= 5);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_WARNING);
  fail_unless (msg != NULL, "no warning about the full queue");
  {
    GError *err = NULL;

    gst_message_parse_warning (msg, &err, NULL);
    fail_unless (strstr (err->message, "queue was full") != NULL, "%s",
        err->message);
    g_error_free (err);
  }
  gst_message_unref (msg);

  /* nothing arrives any more: the count of drops is final */
  dropped = weather_stat_u64 (p->src, "dropped-full");
  /* held outside the queue: the one being pushed, and the batch taken out
   * of the queue with it (at most what the queue held, 5) */
  fail_unless (dropped >= n - 5 - 5 - 3, "dropped %" G_GUINT64_FORMAT, dropped);
  for (pulled = 0; pulled < n - dropped; pulled++) {
    fail_unless (pull_reading (p, &r, NULL, NULL), "only %u of %"
        G_GUINT64_FORMAT, pulled, n - dropped);
    fail_unless (pulled == 0 || r.sequence > last, "out of order");
    last = r.sequence;
  }
  /* the newest were kept */
  fail_unless_equals_uint64 (last, n - 1);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "decoded"), pulled);
  /* one warning at the first drop, the next only 5 s later */
  for (i = 0; (msg = gst_bus_pop_filtered (bus, GST_MESSAGE_WARNING)); i++)
    gst_message_unref (msg);
  fail_unless (i <= 1, "%u more warnings", i);
  gst_object_unref (bus);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_too_old_dropped)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b), "topics=old");
  GPtrArray *msgs = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  GstWeatherReading r;
  gchar *j;

  mqtt_pipeline_play (p);
  j = reading_json ("past", 1, now_ns () - 3600 * GST_SECOND);
  add_message (msgs, "old", j, -1);
  g_free (j);
  j = reading_json ("now", 2, now_ns ());
  add_message (msgs, "old", j, -1);
  g_free (j);
  fail_unless (mqtt_publish (mqtt_broker_port (b), msgs, 1, FALSE));
  g_ptr_array_unref (msgs);
  fail_unless (pull_reading (p, &r, NULL, NULL));
  fail_unless_equals_string (r.station_name, "now");
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "too-old"), 1);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_idle_timeout_eos)
{
  MqttBroker *b = mqtt_broker_new (NULL);
  MqttPipeline *p = src_pipeline_new (mqtt_broker_port (b),
      "topics=quiet idle-timeout=300000000");
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;

  mqtt_pipeline_play (p);
  msg = gst_bus_timed_pop_filtered (bus, WAIT_S * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  fail_unless (msg && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_EOS);
  gst_message_unref (msg);
  fail_unless_equals_uint64 (weather_stat_u64 (p->src, "received"), 0);
  gst_object_unref (bus);
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
}

GST_END_TEST;

GST_START_TEST (test_unreachable_broker_error)
{
  guint port = mqtt_free_port ();
  MqttPipeline *p = src_pipeline_new (port, "topics=a");
  gchar *where = g_strdup_printf ("127.0.0.1:%u", port);

  expect_error (p, GST_RESOURCE_ERROR_OPEN_READ, where);
  g_free (where);
  mqtt_pipeline_free (p);
}

GST_END_TEST;

GST_START_TEST (test_invalid_topics_error)
{
  static const gchar *bad[] = { "a/#/b", "", " , ", "x+", "a/b#", "a,,b",
    "a,", ",a", "a, ,b"
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (bad); i++) {
    MqttPipeline *p = src_pipeline_new (1, NULL);

    g_object_set (p->src, "topics", bad[i], NULL);
    expect_error (p, GST_RESOURCE_ERROR_SETTINGS, "topic");
    mqtt_pipeline_free (p);
  }
}

GST_END_TEST;

GST_START_TEST (test_wrong_password_error)
{
  gchar *dir = g_dir_make_tmp ("gstweather-pw-XXXXXX", NULL);
  gchar *pwfile = g_build_filename (dir, "passwd", NULL);
  gchar *listener;
  MqttBroker *b;
  MqttPipeline *p;
  gint status;

  {
    const gchar *argv[] = { "mosquitto_passwd", "-b", "-c", pwfile, "bob",
      "right", NULL
    };
    g_free (mqtt_run_command (argv, 10, &status));
    fail_unless_equals_int (status, 0);
  }
  listener = g_strdup_printf ("listener @PORT@ 127.0.0.1\npassword_file %s",
      pwfile);
  b = mqtt_broker_new_custom (listener);
  g_free (listener);
  p = src_pipeline_new (mqtt_broker_port (b),
      "topics=a username=bob password=wrong");
  expect_error (p, GST_RESOURCE_ERROR_OPEN_READ, "not authorized");
  mqtt_pipeline_free (p);
  mqtt_broker_free (b);
  g_unlink (pwfile);
  g_rmdir (dir);
  g_free (pwfile);
  g_free (dir);
}

GST_END_TEST;

/* Files the settings name are read before connecting: one missing or not
 * holding what it should fails the start, naming the file. */
GST_START_TEST (test_settings_files_error)
{
  gchar *dir = g_dir_make_tmp ("gstweather-files-XXXXXX", NULL);
  gchar *garbage = g_build_filename (dir, "garbage.pem", NULL);
  gchar *missing = g_build_filename (dir, "missing", NULL);
  struct
  {
    const gchar *prop;
    const gchar *path;
    const gchar *needle;
  } cases[] = {
    {"password-file", missing, "Cannot read password-file"},
    {"tls-ca-file", missing, "Cannot read tls-ca-file"},
    {"tls-ca-file", garbage, "holds no certificate"},
    {"tls-cert-file", garbage, "holds no certificate"},
    {"tls-key-file", garbage, "holds no private key"},
    {"password-file", dir, "not a regular file"},
  };
  guint i;

  fail_unless (g_file_set_contents (garbage, "garbage", -1, NULL));
  for (i = 0; i < G_N_ELEMENTS (cases); i++) {
    /* port 1: nothing listens, yet the file is what fails */
    MqttPipeline *p = src_pipeline_new (1, "topics=a");

    g_object_set (p->src, cases[i].prop, cases[i].path, NULL);
    expect_error (p, GST_RESOURCE_ERROR_SETTINGS, cases[i].needle);
    mqtt_pipeline_free (p);
  }
  g_unlink (garbage);
  g_rmdir (dir);
  g_free (garbage);
  g_free (missing);
  g_free (dir);
}

GST_END_TEST;

static Suite *
mqttsrc_suite (void)
{
  Suite *s = suite_create ("mqttsrc");
  TCase *tc = tcase_create ("general");

  mqtt_require_tools ();
  suite_add_tcase (s, tc);
  tcase_add_test (tc, test_wildcard_several_publishers);
  tcase_add_test (tc, test_latency_query_and_clock);
  tcase_add_test (tc, test_station_from_topic_level);
  tcase_add_test (tc, test_shared_subscription_split);
  tcase_add_test (tc, test_reconnect_resubscribes);
  tcase_add_test (tc, test_num_buffers_eos);
  tcase_add_test (tc, test_batch_delay_gathers_a_list);
  tcase_add_test (tc, test_batch_delay_lone_message);
  tcase_add_test (tc, test_batch_delay_num_buffers);
  tcase_add_test (tc, test_slow_consumer_default_queue);
  /* bad input */
  tcase_add_test (tc, test_malformed_flood);
  tcase_add_test (tc, test_full_queue_drops_oldest);
  tcase_add_test (tc, test_too_old_dropped);
  tcase_add_test (tc, test_idle_timeout_eos);
  tcase_add_test (tc, test_unreachable_broker_error);
  tcase_add_test (tc, test_invalid_topics_error);
  tcase_add_test (tc, test_wrong_password_error);
  tcase_add_test (tc, test_settings_files_error);
  return s;
}

GST_CHECK_MAIN (mqttsrc);
