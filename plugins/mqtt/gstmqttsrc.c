/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-mqttsrc
 * @title: mqttsrc
 *
 * A live source that subscribes to MQTT topics (wildcards and
 * `$share/GROUP/...` shared subscriptions included) with Eclipse Paho C
 * and turns every JSON reading it receives into an
 * `application/x-weather-reading` buffer.
 *
 * #GstMqttSrc:format says what the payloads are: gst-weather's own schema
 * (the default), or what rtl_433, WeeWX (weewx-mqtt), pywws or an Ecowitt
 * bridge publish, or `auto` to pick per message (docs/feeds.md). Feeds
 * that publish one value per topic (rtl_433's `devices/...` topics,
 * WeeWX's and pywws' individual topics) are gathered into one reading per
 * station: the values of a station that arrive within
 * #GstMqttSrc:gather-interval of its first make one reading, and a field
 * the station already sent starts the next. Payloads that name no
 * station take the topic level (#GstMqttSrc:station-from) or
 * #GstMqttSrc:station; #GstMqttSrc:stations-file gives names and the
 * altitudes that reduce station pressure to sea level.
 * #GstMqttSrc:region-topic-level names the topic level that holds a
 * station's region: a region event (gst_weather_region_event_new()) goes
 * downstream before the station's first reading, and again when its
 * region changes, for grouper's `group-by=region`.
 *
 * #GstMqttSrc:partition splits the work between pipelines by key
 * (docs/scaling.md): with `partition=I/N` the element keeps the readings
 * whose key (#GstMqttSrc:partition-by: the station, or its region) has an
 * id that is I-1 modulo N, and drops the rest before they become buffers
 * or announce a region, counted in #GstMqttSrc:stats ("other-partition").
 * N pipelines with partitions 1/N..N/N, subscribed to the same topics,
 * together make exactly the predictions of one pipeline, each key in one
 * of them.
 *
 * A payload that is not a valid reading is skipped, counted in
 * #GstMqttSrc:stats ("bad-payloads", and one counter per reason for the
 * dialects) and logged with its topic at WARNING level: it never stops
 * the pipeline. A dialect measurement that is not a number, in an
 * unknown unit or out of range is left out of its reading and counted;
 * the rest is used.
 *
 * Timestamps follow the time model (docs/time-model.md): the element
 * provides the realtime system clock, the segment's origin is the base
 * time read as epoch ns, and a reading's PTS is its created_at minus that
 * origin. A reading created before the pipeline started has no place in
 * the segment: it is dropped and counted as "too-old". The LATENCY query
 * answers #GstMqttSrc:latency, the network delay the user expects.
 *
 * Between Paho's receiving thread and the streaming thread sits a queue of
 * at most #GstMqttSrc:max-queued messages and #GstMqttSrc:max-queued-bytes.
 * The receiving thread never waits: it is shared by every MQTT client of
 * the process, and a wait there would stall their keep-alives and
 * acknowledgements (Paho 1.3 has no way to stop reading one client's
 * socket, docs/mqtt.md). When the queue is full the oldest queued
 * messages are dropped, counted in #GstMqttSrc:stats ("dropped-full") and
 * reported by a warning on the bus, at most one every 5 seconds.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 mqttsrc host=localhost topics="weather/+/reading" idle-timeout=10000000000 ! fakesink
 * ]|
 * |[
 * gst-launch-1.0 mqttsrc host=localhost format=rtl_433 topics="rtl_433/+/events" stations-file=stations.csv ! weatherbin ! predictor ! weatherenc ! fdsink
 * ]| Predictions from the weather sensors an rtl_433 publishes.
 * |[
 * gst-launch-1.0 mqttsrc host=localhost topics="weather/+/+" region-topic-level=1 partition=2/3 partition-by=region ! weatherbin group-by=region ! predictor ! mqttsink topic="forecast/{station}"
 * ]| The second of three pipelines that share the regions between them.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "gstmqttcommon.h"
#include "gstmqttgather.h"
#include "gstweatherfeed.h"
#include "gstmqttsrc.h"

GST_DEBUG_CATEGORY_STATIC (gst_mqtt_src_debug);
#define GST_CAT_DEFAULT gst_mqtt_src_debug

#define DEFAULT_TOPICS "weather/#"
#define DEFAULT_QOS 1
#define DEFAULT_STATION_FROM GST_MQTT_SRC_STATION_FROM_PAYLOAD
#define DEFAULT_STATION_TOPIC_LEVEL 1
/* 2,000 readings/s for 50 s: a stalled pipeline that long loses nothing */
#define DEFAULT_MAX_QUEUED 100000
#define DEFAULT_MAX_QUEUED_BYTES (64 * 1024 * 1024)
/* at most this many queued messages go out of one create() as a list */
#define MAX_BATCH 64
#define DEFAULT_BATCH_DELAY GST_MSECOND
#define MAX_BATCH_DELAY GST_SECOND

/* the shortest time between two warnings about a full queue on the bus */
#define DROP_WARNING_INTERVAL (5 * G_TIME_SPAN_SECOND)
#define DEFAULT_LATENCY (500 * GST_MSECOND)
#define DEFAULT_IDLE_TIMEOUT 0
#define DEFAULT_CLEAN_SESSION TRUE
#define DEFAULT_GATHER_INTERVAL GST_SECOND
#define MAX_GATHER_INTERVAL (3600 * GST_SECOND)
#define DEFAULT_REGION_TOPIC_LEVEL (-1)
/* stations whose announced region is remembered; beyond, the table starts
 * over (each station's region is then announced once more) */
#define MAX_ANNOUNCED_REGIONS 1000000
#define DEFAULT_PARTITION "1/1"
/* the largest N of partition=I/N */
#define MAX_PARTITIONS 1024
#define DEFAULT_PARTITION_BY GST_WEATHER_KEY_STATION

enum
{
  PROP_TOPICS = GST_MQTT_PROP_LAST,
  PROP_QOS,
  PROP_STATION_FROM,
  PROP_STATION_TOPIC_LEVEL,
  PROP_MAX_QUEUED,
  PROP_MAX_QUEUED_BYTES,
  PROP_LATENCY,
  PROP_IDLE_TIMEOUT,
  PROP_FORMAT,                  /* the feed properties, gstweatherfeed.h */
  PROP_GATHER_INTERVAL = PROP_FORMAT + GST_WEATHER_FEED_N_PROPS,
  PROP_BATCH_DELAY,
  PROP_STATS,
  PROP_REGION_TOPIC_LEVEL,
  PROP_PARTITION,
  PROP_PARTITION_BY,
};

typedef struct
{
  gchar *topic;
  gchar *payload;
  gsize size;
  gsize cost;                   /* what it counts for max-queued-bytes */
  gint64 arrived;               /* monotonic µs, when Paho handed it over */
  gint64 arrival_ns;            /* the same instant, epoch ns */
} GstMqttSrcMessage;

struct _GstMqttSrc
{
  GstPushSrc parent;

  /* properties, guarded by GST_OBJECT_LOCK */
  GstMqttSettings settings;
  gchar *topics;
  gint qos;
  GstMqttSrcStationFrom station_from;
  guint station_topic_level;
  guint max_queued;
  guint64 max_queued_bytes;
  guint64 latency;
  guint64 idle_timeout;
  GstWeatherFeedSettings feed;
  guint64 gather_interval;
  guint64 batch_delay;
  gint region_topic_level;
  gchar *partition;
  GstWeatherKeyKind partition_by;

  /* immutable after init */
  GstClock *clock;

  /* copies taken in start(), read-only until stop() */
  GstMqttSettings run;
  gchar **run_topics;
  gint run_qos;
  GstMqttSrcStationFrom run_station_from;
  guint run_station_topic_level;
  guint run_max_queued;
  guint64 run_max_queued_bytes;
  gint64 run_batch_delay;       /* µs */
  guint64 run_idle_timeout;
  gint run_region_topic_level;
  /* partition=I/N as I-1 and N; N 1: every reading is kept */
  guint run_part_index;
  guint run_part_count;
  GstWeatherKeyKind run_partition_by;
  /* partition-by=region: the stations-file whose regions decide (NULL:
   * none) */
  GstWeatherStations *run_stations;

  /* streaming thread only */
  gboolean have_origin;
  /* guint32 station id -> the region announced for it (owned) */
  GHashTable *announced;
  gint64 origin;
  GstMqttGather *gather;        /* NULL: gather-interval 0 or format native */
  gboolean draining;            /* idle timeout: gathered sets, then EOS */
  /* readings left before EOS (num-buffers), -1: no end; counted here
   * because a list of readings is one create() for GstBaseSrc */
  gint64 remaining;
  /* a reading whose region event could not go before the batch it came
   * in (the batch had started): the next create() starts with both */
  GstBuffer *held;
  GstEvent *held_event;

  /* made in start() from the feed properties; the pointer is guarded by
   * GST_OBJECT_LOCK (stats read it), the decoder is used by the streaming
   * thread only and counts under its own lock; kept after stop() for its
   * counters */
  GstWeatherDecoder *decoder;

  GMutex lock;
  GCond cond;
  /* guarded by lock */
  GstMqttClient *client;
  GQueue queue;                 /* GstMqttSrcMessage */
  guint64 queued_bytes;         /* sum of the queued messages' cost */
  /* create() waits: for a first message (IDLE), or for a batch to fill
   * up or its delay to run out (BATCH) */
  enum
  { CONSUMER_BUSY, CONSUMER_IDLE, CONSUMER_BATCH } consumer_waiting;
  gboolean flushing;
  gboolean stopping;
  gint subscribe_state;         /* 0 pending, 1 done, -1 failed */
  gchar *subscribe_error;
  guint64 received;
  guint64 decoded;
  guint64 bad_payloads;
  guint64 too_old;
  guint64 dropped;
  guint64 dropped_full;
  gint64 drop_warned_at;        /* monotonic µs of the last bus warning */
  guint64 reconnects_before;
  guint64 gathered;
  guint64 no_region;
  guint64 other_partition;
};

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC, GST_PAD_ALWAYS, GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

G_DEFINE_TYPE (GstMqttSrc, gst_mqtt_src, GST_TYPE_PUSH_SRC);
GST_ELEMENT_REGISTER_DEFINE (mqttsrc, "mqttsrc", GST_RANK_NONE,
    GST_TYPE_MQTT_SRC);

static void
gst_mqtt_src_message_free (GstMqttSrcMessage * m)
{
  g_free (m->topic);
  g_free (m->payload);
  g_free (m);
}

static GstStructure *
gst_mqtt_src_get_stats (GstMqttSrc * self)
{
  GstStructure *s;

  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-mqttsrc-stats",
      "received", G_TYPE_UINT64, self->received,
      "decoded", G_TYPE_UINT64, self->decoded,
      "bad-payloads", G_TYPE_UINT64, self->bad_payloads,
      "too-old", G_TYPE_UINT64, self->too_old,
      "queued", G_TYPE_UINT64, (guint64) self->queue.length,
      "queued-bytes", G_TYPE_UINT64, self->queued_bytes,
      "dropped-full", G_TYPE_UINT64, self->dropped_full,
      "dropped", G_TYPE_UINT64, self->dropped,
      "reconnects", G_TYPE_UINT64, self->reconnects_before +
      (self->client ? self->client->reconnects : 0),
      "gathered", G_TYPE_UINT64, self->gathered,
      "no-region", G_TYPE_UINT64, self->no_region,
      "other-partition", G_TYPE_UINT64, self->other_partition, NULL);
  g_mutex_unlock (&self->lock);
  GST_OBJECT_LOCK (self);
  if (self->decoder)
    gst_weather_decoder_add_stats (self->decoder, s);
  GST_OBJECT_UNLOCK (self);
  return s;
}

/* Paho's receiving thread, shared by every MQTT client of the process:
 * nothing here may wait, or the keep-alives and acknowledgements of every
 * client stall with it (docs/mqtt.md). The message is copied into the
 * queue; when the queue is full the oldest queued messages make room,
 * counted and warned about. */
static int
gst_mqtt_src_on_message (void *context, char *topic_name, int topic_len,
    MQTTAsync_message * message)
{
  GstMqttSrc *self = context;
  GstMqttSrcMessage *m = NULL;
  gsize tlen = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
  gboolean too_large = message->payloadlen > GST_WEATHER_JSON_MAX_SIZE;
  guint64 dropped_total = 0;
  guint dropped_now = 0;
  gboolean warn = FALSE;

  if (!too_large) {
    m = g_new0 (GstMqttSrcMessage, 1);
    m->topic = g_strndup (topic_name, tlen);
    m->size = message->payloadlen;
    m->payload = g_malloc (m->size + 1);
    memcpy (m->payload, message->payload, m->size);
    m->payload[m->size] = '\0';
    m->cost = sizeof (*m) + tlen + 1 + m->size + 1;
    m->arrived = g_get_monotonic_time ();
    m->arrival_ns = g_get_real_time () * 1000;
  }

  g_mutex_lock (&self->lock);
  self->received++;
  if (too_large) {
    self->bad_payloads++;
    g_mutex_unlock (&self->lock);
    GST_WARNING_OBJECT (self, "skipping a payload of %d bytes on %.*s: "
        "larger than %d", message->payloadlen, (int) MIN (tlen, 200),
        topic_name, GST_WEATHER_JSON_MAX_SIZE);
    goto done;
  }
  if (self->stopping) {
    self->dropped++;
    g_mutex_unlock (&self->lock);
    gst_mqtt_src_message_free (m);
    goto done;
  }
  /* a single message above max-queued-bytes is still kept, alone */
  while (self->queue.length > 0 &&
      (self->queue.length >= self->run_max_queued ||
          self->queued_bytes + m->cost > self->run_max_queued_bytes)) {
    GstMqttSrcMessage *old = g_queue_pop_head (&self->queue);

    self->queued_bytes -= old->cost;
    gst_mqtt_src_message_free (old);
    dropped_now++;
  }
  g_queue_push_tail (&self->queue, m);
  self->queued_bytes += m->cost;
  if (dropped_now > 0) {
    gint64 now = g_get_monotonic_time ();

    self->dropped_full += dropped_now;
    dropped_total = self->dropped_full;
    if (self->drop_warned_at == 0 ||
        now - self->drop_warned_at >= DROP_WARNING_INTERVAL) {
      self->drop_warned_at = now;
      warn = TRUE;
    }
  }
  /* a waiting batch is woken only once it is full: its delay wakes it
   * otherwise */
  if (self->consumer_waiting == CONSUMER_IDLE ||
      (self->consumer_waiting == CONSUMER_BATCH &&
          self->queue.length >= MAX_BATCH))
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  if (warn) {
    GST_WARNING_OBJECT (self, "queue full: dropped the oldest messages, %"
        G_GUINT64_FORMAT " so far", dropped_total);
    /* posting waits for no one: a bus only queues the message */
    GST_ELEMENT_WARNING (self, RESOURCE, READ,
        ("The pipeline does not keep up with the MQTT messages: %"
            G_GUINT64_FORMAT " dropped so far because the queue was full",
            dropped_total),
        ("The oldest queued messages were dropped (stats \"dropped-full\"; "
            "max-queued %u, max-queued-bytes %" G_GUINT64_FORMAT "). Make "
            "the pipeline faster, raise the limits, or split the stations "
            "between pipelines (partition, docs/scaling.md).",
            self->run_max_queued, self->run_max_queued_bytes));
  }

done:
  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);
  return 1;
}

static void
gst_mqtt_src_on_subscribed (void *context, MQTTAsync_successData * response)
{
  GstMqttSrc *self = context;
  guint i, n = g_strv_length (self->run_topics);
  gchar *refused = NULL;

  /* SUBACK 0x80: the broker refused that filter */
  if (response) {
    if (n > 1 && response->alt.qosList) {
      for (i = 0; i < n; i++)
        if (response->alt.qosList[i] == 0x80 && !refused)
          refused = g_strdup (self->run_topics[i]);
    } else if (n == 1 && response->alt.qos == 0x80) {
      refused = g_strdup (self->run_topics[0]);
    }
  }
  g_mutex_lock (&self->lock);
  if (refused) {
    self->subscribe_state = -1;
    g_free (self->subscribe_error);
    self->subscribe_error = g_strdup_printf ("the broker refused the "
        "subscription to \"%s\"", refused);
  } else {
    self->subscribe_state = 1;
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_free (refused);
}

static void
gst_mqtt_src_on_subscribe_failed (void *context,
    MQTTAsync_failureData * response)
{
  GstMqttSrc *self = context;

  g_mutex_lock (&self->lock);
  self->subscribe_state = -1;
  g_free (self->subscribe_error);
  self->subscribe_error = g_strdup_printf ("subscription failed: %s (%d)",
      response && response->message ? response->message :
      MQTTAsync_strerror (response ? response->code : MQTTASYNC_FAILURE),
      response ? response->code : 0);
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Called with the lock held, from start() or the streaming thread; it
 * drops the lock around the Paho call. */
static gboolean
gst_mqtt_src_subscribe_locked (GstMqttSrc * self)
{
  MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
  GstMqttClient *client = self->client;
  guint n = g_strv_length (self->run_topics), i;
  int *qos = g_newa (int, n);
  int rc;

  for (i = 0; i < n; i++)
    qos[i] = self->run_qos;
  ro.onSuccess = gst_mqtt_src_on_subscribed;
  ro.onFailure = gst_mqtt_src_on_subscribe_failed;
  ro.context = self;
  self->subscribe_state = 0;
  client->connect_event = FALSE;
  g_mutex_unlock (&self->lock);
  rc = MQTTAsync_subscribeMany (client->handle, (int) n, self->run_topics,
      qos, &ro);
  g_mutex_lock (&self->lock);
  if (rc != MQTTASYNC_SUCCESS) {
    /* disconnected again: the next connection will retry */
    GST_DEBUG_OBJECT (self, "subscribe not sent: %s", MQTTAsync_strerror (rc));
    self->subscribe_state = -1;
    g_free (self->subscribe_error);
    self->subscribe_error = g_strdup (MQTTAsync_strerror (rc));
    return FALSE;
  }
  return TRUE;
}

static gchar **
gst_mqtt_src_parse_topics (const gchar * topics, GError ** error)
{
  GPtrArray *arr = g_ptr_array_new_with_free_func (g_free);
  gchar **parts;
  guint i;

  parts = g_strsplit (topics ? topics : "", ",", -1);
  for (i = 0; parts[i]; i++) {
    gchar *t = g_strstrip (parts[i]);

    /* "a,,b": a filter left out by mistake is refused, not skipped */
    if (!*t && (i > 0 || parts[i + 1])) {
      g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
          "filter %u of the comma-separated list is empty", i + 1);
      g_ptr_array_free (arr, TRUE);
      g_strfreev (parts);
      return NULL;
    }
    if (!*t)
      continue;
    if (!gst_mqtt_topic_is_valid (t, TRUE, error)) {
      g_ptr_array_free (arr, TRUE);
      g_strfreev (parts);
      return NULL;
    }
    g_ptr_array_add (arr, g_strdup (t));
  }
  g_strfreev (parts);
  if (arr->len == 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "no topic to subscribe to");
    g_ptr_array_free (arr, TRUE);
    return NULL;
  }
  g_ptr_array_add (arr, NULL);
  return (gchar **) g_ptr_array_free (arr, FALSE);
}

/* partition "I/N" (NULL: the default) into I-1 and N; FALSE with @error
 * set for anything but two decimal numbers 1 <= I <= N <= MAX_PARTITIONS
 * separated by one slash */
static gboolean
gst_mqtt_src_parse_partition (const gchar * text, guint * index,
    guint * count, GError ** error)
{
  gchar **parts = g_strsplit (text ? text : DEFAULT_PARTITION, "/", -1);
  guint64 i = 0, n = 0;
  gboolean ok;

  ok = g_strv_length (parts) == 2
      && g_ascii_string_to_unsigned (parts[1], 10, 1, MAX_PARTITIONS, &n, NULL)
      && g_ascii_string_to_unsigned (parts[0], 10, 1, n, &i, NULL);
  g_strfreev (parts);
  if (!ok) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "partition must be I/N with whole numbers 1 <= I <= N <= %d (2/5: "
        "the second of five partitions; 1/1: no partition)", MAX_PARTITIONS);
    return FALSE;
  }
  *index = (guint) i - 1;
  *count = (guint) n;
  return TRUE;
}

/* partition and partition-by into the run copies, and the stations file
 * that partition-by=region reads regions from; FALSE after posting an
 * error a user can act on. */
static gboolean
gst_mqtt_src_start_partition (GstMqttSrc * self)
{
  gchar *partition, *stations_file;
  GError *err = NULL;
  gboolean ok = TRUE;

  GST_OBJECT_LOCK (self);
  partition = g_strdup (self->partition);
  stations_file = g_strdup (self->feed.stations_file);
  self->run_partition_by = self->partition_by;
  GST_OBJECT_UNLOCK (self);

  if (!gst_mqtt_src_parse_partition (partition, &self->run_part_index,
          &self->run_part_count, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid partition \"%s\"", partition ? partition : ""),
        ("%s", err->message));
    g_clear_error (&err);
    ok = FALSE;
  } else if (self->run_part_count > 1
      && self->run_partition_by == GST_WEATHER_KEY_ALL) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("partition-by=all cannot be split into %u partitions",
            self->run_part_count),
        ("every station has the one key \"all\": partition by station or "
            "region, as weatherbin groups by, or leave partition at 1/1"));
    ok = FALSE;
  } else if (self->run_part_count > 1
      && self->run_partition_by == GST_WEATHER_KEY_REGION) {
    ok = gst_weather_feed_load_stations (GST_ELEMENT (self), stations_file,
        &self->run_stations);
  }
  if (ok && self->run_part_count > 1)
    GST_INFO_OBJECT (self, "partition %u of %u by %s",
        self->run_part_index + 1, self->run_part_count,
        gst_weather_key_kind_to_string (self->run_partition_by));
  g_free (partition);
  g_free (stations_file);
  return ok;
}

/* The feed decoder and the gatherer of one-value topics, from the
 * properties; FALSE after posting an error a user can act on. */
static gboolean
gst_mqtt_src_make_decoder (GstMqttSrc * self)
{
  GstWeatherDecoder *decoder = gst_weather_feed_decoder_new (GST_ELEMENT
      (self));
  GstWeatherFormat format;
  guint64 gather_interval;

  if (decoder == NULL)
    return FALSE;
  GST_OBJECT_LOCK (self);
  gst_weather_decoder_free (self->decoder);
  self->decoder = decoder;
  format = self->feed.format;
  gather_interval = self->gather_interval;
  GST_OBJECT_UNLOCK (self);

  g_clear_pointer (&self->gather, gst_mqtt_gather_free);
  if (format != GST_WEATHER_FORMAT_NATIVE && gather_interval > 0)
    self->gather = gst_mqtt_gather_new (gather_interval);
  self->draining = FALSE;
  return TRUE;
}

static gboolean
gst_mqtt_src_start_run (GstMqttSrc * self)
{
  GstMqttClient *client;
  GError *err = NULL;
  gchar *topics;
  gint64 deadline;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  gst_mqtt_settings_copy (&self->run, &self->settings);
  topics = g_strdup (self->topics);
  self->run_qos = self->qos;
  self->run_station_from = self->station_from;
  self->run_station_topic_level = self->station_topic_level;
  self->run_max_queued = self->max_queued;
  self->run_batch_delay = (gint64) (self->batch_delay / 1000);
  self->remaining = GST_BASE_SRC_CAST (self)->num_buffers;
  self->run_max_queued_bytes = self->max_queued_bytes;
  self->run_idle_timeout = self->idle_timeout;
  self->run_region_topic_level = self->region_topic_level;
  GST_OBJECT_UNLOCK (self);

  self->run_topics = gst_mqtt_src_parse_topics (topics, &err);
  if (!self->run_topics) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid topics \"%s\"", topics ? topics : ""), ("%s", err->message));
    g_clear_error (&err);
    g_free (topics);
    return FALSE;
  }
  g_free (topics);
  if (!gst_mqtt_src_start_partition (self))
    return FALSE;
  if (!gst_mqtt_settings_load_files (&self->run, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  self->have_origin = FALSE;
  g_hash_table_remove_all (self->announced);
  if (!gst_mqtt_src_make_decoder (self))
    return FALSE;

  g_mutex_lock (&self->lock);
  self->stopping = FALSE;
  self->drop_warned_at = 0;
  g_mutex_unlock (&self->lock);

  client = gst_mqtt_client_new (GST_OBJECT (self), &self->lock, &self->cond,
      &self->run, NULL, gst_mqtt_src_on_message, self, &err);
  if (!client) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Could not create the MQTT client"), ("%s", err->message));
    g_clear_error (&err);
    return FALSE;
  }
  if (self->run.clean_session || self->run_qos == 0)
    client->loss_consequence = "what is published until it is back is not "
        "delivered to this element (clean-session=true or qos=0)";
  else
    client->loss_consequence = "the broker keeps QoS 1 and 2 messages for "
        "this session meanwhile, up to its own limit (Mosquitto: "
        "max_queued_messages)";
  if (!gst_mqtt_client_connect (client, &self->run, NULL, NULL, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not connect to the MQTT broker at %s: %s", client->where,
            err->message), ("%s", client->uri));
    g_clear_error (&err);
    g_mutex_lock (&self->lock);
    self->stopping = TRUE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    gst_mqtt_client_free (client, 0);
    return FALSE;
  }

  /* subscribed before start() returns: a message published once the
   * element is PLAYING is never missed */
  g_mutex_lock (&self->lock);
  self->client = client;
  /* Paho reports the first connection through the connected callback too;
   * let it pass so that it does not ask for a second subscription */
  deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (!client->ever_connected)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  gst_mqtt_src_subscribe_locked (self);
  deadline = g_get_monotonic_time () +
      MAX (self->run.connect_timeout / 1000, G_TIME_SPAN_SECOND);
  while (self->subscribe_state == 0)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  ok = self->subscribe_state == 1;
  if (!ok) {
    gchar *why = g_strdup (self->subscribe_state == 0 ?
        "no answer within connect-timeout" : self->subscribe_error);

    self->client = NULL;
    self->stopping = TRUE;
    g_cond_broadcast (&self->cond);
    g_mutex_unlock (&self->lock);
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_READ,
        ("Could not subscribe at the MQTT broker at %s", client->where),
        ("%s", why));
    g_free (why);
    gst_mqtt_client_free (client, 0);
    return FALSE;
  }
  g_mutex_unlock (&self->lock);
  GST_INFO_OBJECT (self, "subscribed at %s", client->where);
  return TRUE;
}

/* GstBaseSrc does not call stop() after a failed start() */
static gboolean
gst_mqtt_src_start (GstBaseSrc * bsrc)
{
  GstMqttSrc *self = GST_MQTT_SRC (bsrc);

  if (gst_mqtt_src_start_run (self))
    return TRUE;
  gst_mqtt_settings_clear (&self->run);
  g_clear_pointer (&self->run_topics, g_strfreev);
  g_clear_pointer (&self->gather, gst_mqtt_gather_free);
  g_clear_pointer (&self->run_stations, gst_weather_stations_unref);
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->subscribe_error, g_free);
  g_mutex_unlock (&self->lock);
  return FALSE;
}

static gboolean
gst_mqtt_src_stop (GstBaseSrc * bsrc)
{
  GstMqttSrc *self = GST_MQTT_SRC (bsrc);
  GstMqttClient *client;
  GstMqttSrcMessage *m;
  guint discarded;

  g_mutex_lock (&self->lock);
  client = self->client;
  self->client = NULL;
  if (client)
    self->reconnects_before += client->reconnects;
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  /* without the lock: a message callback may still be running */
  if (client)
    gst_mqtt_client_free (client, 1000);

  g_mutex_lock (&self->lock);
  discarded = self->queue.length;
  self->dropped += discarded;
  while ((m = g_queue_pop_head (&self->queue)))
    gst_mqtt_src_message_free (m);
  self->queued_bytes = 0;
  g_clear_pointer (&self->subscribe_error, g_free);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  if (discarded > 0)
    GST_WARNING_OBJECT (self, "stopping: %u received messages were still "
        "queued, dropped (counted in \"dropped\")", discarded);

  gst_mqtt_settings_clear (&self->run);
  g_clear_pointer (&self->run_topics, g_strfreev);
  if (self->gather && gst_mqtt_gather_get_open (self->gather) > 0)
    GST_INFO_OBJECT (self, "discarding the values of %u stations still "
        "being gathered at stop", gst_mqtt_gather_get_open (self->gather));
  g_clear_pointer (&self->gather, gst_mqtt_gather_free);
  g_clear_pointer (&self->run_stations, gst_weather_stations_unref);
  gst_clear_buffer (&self->held);
  gst_clear_event (&self->held_event);
  return TRUE;
}

/* @gathered: @topic is the prefix of the topics a station's values came
 * on */
static void
gst_mqtt_src_count_bad (GstMqttSrc * self, const gchar * topic,
    gboolean gathered, gsize size, const gchar * why)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = ++self->bad_payloads;
  g_mutex_unlock (&self->lock);
  if (!gathered)
    GST_WARNING_OBJECT (self, "skipping a bad payload (%" G_GSIZE_FORMAT
        " bytes) on topic \"%s\": %s (%" G_GUINT64_FORMAT " so far)", size,
        topic, why, n);
  else
    GST_WARNING_OBJECT (self, "skipping the values gathered under \"%s/\": "
        "%s (%" G_GUINT64_FORMAT " so far)", topic, why, n);
}

/* The text at topic level @level, percent-decoded (newly allocated), or
 * NULL with @error set; @what names the level in the error. */
static gchar *
gst_mqtt_src_topic_level (const gchar * topic, guint level,
    const gchar * what, GError ** error)
{
  gchar **levels = g_strsplit (topic, "/", -1);
  gchar *name;

  if (level >= g_strv_length (levels)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
        "topic: no level %u", level);
    g_strfreev (levels);
    return NULL;
  }
  name = gst_mqtt_unescape_topic_level (levels[level]);
  g_strfreev (levels);
  if (!name || !*name) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "topic: the %s level is empty, holds NUL or is not UTF-8", what);
    g_free (name);
    return NULL;
  }
  return name;
}

/* The station name at topic level station-topic-level, percent-decoded
 * (newly allocated), or NULL with @error set. */
static gchar *
gst_mqtt_src_station_from_topic (GstMqttSrc * self, const gchar * topic,
    GError ** error)
{
  return gst_mqtt_src_topic_level (topic, self->run_station_topic_level,
      "station", error);
}

/* region-topic-level: the region of @r's station from @topic (the prefix
 * of a gathered set's topics when @gathered), newly allocated; NULL
 * without region-topic-level, or for a topic without a usable region
 * level: that is counted and the reading goes out without one (grouper
 * then makes the station a region of its own, or keeps the region
 * announced before). */
static gchar *
gst_mqtt_src_topic_region (GstMqttSrc * self, const GstWeatherReading * r,
    const gchar * topic, gboolean gathered)
{
  gchar *full = NULL, *region;
  GError *err = NULL;
  guint64 n;

  if (self->run_region_topic_level < 0)
    return NULL;
  if (gathered)
    topic = full = g_strconcat (topic, "/x", NULL);
  region = gst_mqtt_src_topic_level (topic, self->run_region_topic_level,
      "region", &err);
  if (region && strlen (region) > GST_WEATHER_KEY_NAME_MAX_LEN) {
    g_set_error (&err, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
        "topic: the region level is longer than %d bytes",
        GST_WEATHER_KEY_NAME_MAX_LEN);
    g_clear_pointer (&region, g_free);
  }
  if (!region) {
    g_mutex_lock (&self->lock);
    n = ++self->no_region;
    g_mutex_unlock (&self->lock);
    GST_WARNING_OBJECT (self, "reading of station %u on \"%s\" has no "
        "region: %s (%" G_GUINT64_FORMAT " so far)", r->station_id, topic,
        err->message, n);
    g_clear_error (&err);
    g_free (full);
    return NULL;
  }
  g_free (full);
  return region;
}

/* A region event announcing @region (taken; may be NULL: none) for @r's
 * station, to go right before the reading, when the station is new or
 * its region changed; NULL otherwise. */
static GstEvent *
gst_mqtt_src_region_event (GstMqttSrc * self, const GstWeatherReading * r,
    gchar * region)
{
  const gchar *known;
  GstEvent *ev;

  if (region == NULL)
    return NULL;
  known = g_hash_table_lookup (self->announced,
      GUINT_TO_POINTER (r->station_id));
  if (known && g_str_equal (known, region)) {
    g_free (region);
    return NULL;
  }
  if (!known && g_hash_table_size (self->announced) >= MAX_ANNOUNCED_REGIONS)
    g_hash_table_remove_all (self->announced);
  GST_DEBUG_OBJECT (self, "station %u is in region \"%s\"", r->station_id,
      region);
  ev = gst_weather_region_event_new (r->station_id, region);
  g_hash_table_replace (self->announced, GUINT_TO_POINTER (r->station_id),
      region);
  return ev;
}

/* partition: whether @r belongs to this element's partition. Its key is
 * the one grouper gives it with group-by=partition-by
 * (gst_weather_key_for_station()): its station, or its region, which is
 * the stations file's, else @topic_region (may be NULL), else the one
 * announced for it before, else a region of its own. Kept: the key's id
 * modulo N is I-1. */
static gboolean
gst_mqtt_src_in_partition (GstMqttSrc * self, const GstWeatherReading * r,
    const gchar * topic_region)
{
  const gchar *region = NULL;
  GstWeatherKey key;

  if (self->run_part_count <= 1)
    return TRUE;
  if (self->run_partition_by == GST_WEATHER_KEY_REGION) {
    const GstWeatherStation *line = self->run_stations ?
        gst_weather_stations_lookup_id (self->run_stations,
        r->station_id) : NULL;

    region = line ? line->region : NULL;
    if (!region)
      region = topic_region;
    if (!region)
      region = g_hash_table_lookup (self->announced,
          GUINT_TO_POINTER (r->station_id));
  }
  /* every region here was checked where it came from, like grouper's */
  if (!gst_weather_key_for_station (&key, self->run_partition_by,
          r->station_id, r->station_name, region, NULL))
    gst_weather_key_for_station (&key, self->run_partition_by, r->station_id,
        r->station_name, NULL, NULL);
  return key.id % self->run_part_count == self->run_part_index;
}

/* A gathered set of one station's values into @r. The topic level
 * (station-from=topic-level) names the station first, then the topic
 * layout (rtl_433's devices path), then the payload. */
static gboolean
gst_mqtt_src_decode_gathered (GstMqttSrc * self, GstMqttGathered * set,
    GstWeatherReading * r, GError ** error)
{
  gchar *topic_station = NULL;
  gboolean ok;

  if (self->run_station_from == GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL) {
    /* any topic of the set: they differ only in the last level */
    gchar *topic = g_strconcat (set->key, "/x", NULL);

    topic_station = gst_mqtt_src_station_from_topic (self, topic, error);
    g_free (topic);
    if (!topic_station)
      return FALSE;
  }
  ok = gst_weather_decoder_decode_fields (self->decoder,
      (GstWeatherField *) set->fields->data, set->fields->len,
      topic_station ? topic_station : set->station, set->first_arrival, r,
      error);
  g_free (topic_station);
  if (ok) {
    g_mutex_lock (&self->lock);
    self->gathered++;
    g_mutex_unlock (&self->lock);
  }
  return ok;
}

/* Decodes @m into @r. FALSE with @error NULL: a value was gathered and no
 * reading is complete yet. */
static gboolean
gst_mqtt_src_decode (GstMqttSrc * self, GstMqttSrcMessage * m,
    gint64 arrival_ns, GstWeatherReading * r, GError ** error)
{
  gchar *topic_station = NULL, *key = NULL, *layout_station = NULL;
  const gchar *field, *p = m->payload;
  GstMqttGathered *done;
  gboolean ok = FALSE;

  if (self->run_station_from == GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL) {
    topic_station = gst_mqtt_src_station_from_topic (self, m->topic, error);
    if (!topic_station)
      return FALSE;
  }
  while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
    p++;
  if (self->gather && *p != '{'
      && gst_mqtt_gather_split_topic (m->topic, &key, &layout_station,
          &field)) {
    /* one value of a station that publishes one per topic */
    done = gst_mqtt_gather_add (self->gather, key, layout_station, field,
        m->payload, m->arrived, arrival_ns);
    g_free (key);
    g_free (layout_station);
    g_free (topic_station);
    if (done == NULL)
      return FALSE;
    ok = gst_mqtt_src_decode_gathered (self, done, r, error);
    gst_mqtt_gathered_free (done);
    return ok;
  }
  ok = gst_weather_decoder_decode (self->decoder, m->payload, m->size,
      topic_station, arrival_ns, r, error);
  g_free (topic_station);
  return ok;
}

static void
gst_mqtt_src_ensure_origin (GstMqttSrc * self)
{
  GstSegment seg;

  if (self->have_origin)
    return;

  /* live: the base time as epoch ns (docs/time-model.md) */
  self->origin = gst_weather_origin_choose (GST_ELEMENT (self), TRUE,
      GST_WEATHER_TIME_NONE);
  gst_weather_segment_init (&seg, self->origin);
  gst_base_src_new_segment (GST_BASE_SRC (self), &seg);
  self->have_origin = TRUE;
  GST_DEBUG_OBJECT (self, "origin %" G_GINT64_FORMAT " (epoch ns)",
      self->origin);
}

/* GstBaseSrc's send_event puts the event in the data flow right before
 * what create() returns (after the segment); not through
 * gst_element_send_event(), which takes the state lock that a state
 * change holds while it waits for this thread. */
static void
gst_mqtt_src_send_before (GstMqttSrc * self, GstEvent * event)
{
  GST_ELEMENT_CLASS (gst_mqtt_src_parent_class)->send_event (GST_ELEMENT
      (self), event);
}

/* Puts the @n messages of a batch not decoded yet back at the head of
 * the queue, in their order. */
static void
gst_mqtt_src_requeue (GstMqttSrc * self, GstMqttSrcMessage ** msgs, guint n)
{
  g_mutex_lock (&self->lock);
  while (n > 0) {
    n--;
    g_queue_push_head (&self->queue, msgs[n]);
    self->queued_bytes += msgs[n]->cost;
  }
  g_mutex_unlock (&self->lock);
}

static GstFlowReturn
gst_mqtt_src_create (GstPushSrc * psrc, GstBuffer ** outbuf)
{
  GstMqttSrc *self = GST_MQTT_SRC (psrc);
  GstMqttSrcMessage *more[MAX_BATCH - 1];
  guint n_more = 0, next_more = 0;
  GstBufferList *list = NULL;
  GstBuffer *first = NULL;
  guint64 n_decoded = 0;
  gint64 deadline = 0;

  if (self->remaining == 0)
    return GST_FLOW_EOS;
  if (self->run_idle_timeout > 0)
    deadline = g_get_monotonic_time () + MIN (self->run_idle_timeout / 1000,
        G_MAXINT64 / 4);
  if (self->held) {
    gst_mqtt_src_send_before (self, self->held_event);
    self->held_event = NULL;
    first = self->held;
    self->held = NULL;
    n_decoded = 1;
  }

  for (;;) {
    GstMqttSrcMessage *m = NULL;
    GstMqttGathered *due = NULL;
    GstWeatherReading r;
    GError *err = NULL;
    GstBuffer *buf;
    GstEvent *region_event;
    gchar *region;
    const gchar *topic;
    gint64 arrival;
    gboolean ok, timed_out = FALSE, flushing, by_region;
    gint64 now;

    if (next_more < n_more) {
      /* the rest of the batch taken from the queue */
      m = more[next_more++];
      goto decode;
    }
    if (first) {
      /* the batch is done */
      break;
    }

    /* a station whose gather interval ran out; once idle, every one */
    if (self->gather)
      due = gst_mqtt_gather_pop_due (self->gather,
          self->draining ? G_MAXINT64 : g_get_monotonic_time ());
    if (!due && self->draining)
      return GST_FLOW_EOS;

    if (!due) {
      g_mutex_lock (&self->lock);
      while (!self->flushing) {
        gint64 gather_due = self->gather ?
            gst_mqtt_gather_next_due (self->gather) : G_MAXINT64;

        /* clean sessions lose their subscriptions with the connection */
        if (self->client && self->client->connect_event &&
            self->client->connected) {
          gst_mqtt_src_subscribe_locked (self);
          continue;
        }
        now = g_get_monotonic_time ();
        if (gather_due <= now)
          break;
        m = g_queue_peek_head (&self->queue);
        if (m) {
          /* a batch goes out when it is full (or holds every reading
           * num-buffers still allows) or its first message waited
           * batch-delay */
          guint full = self->remaining > 0 ?
              (guint) MIN (self->remaining, MAX_BATCH) : MAX_BATCH;
          gint64 batch_due = m->arrived + self->run_batch_delay;

          if (self->queue.length >= full || now >= batch_due) {
            g_queue_pop_head (&self->queue);
            self->queued_bytes -= m->cost;
            /* what else is waiting goes out with it, as one list */
            while (n_more < full - 1
                && (more[n_more] = g_queue_pop_head (&self->queue))) {
              self->queued_bytes -= more[n_more]->cost;
              n_more++;
            }
            break;
          }
          m = NULL;
          /* woken by the producer only once the batch is full */
          self->consumer_waiting = CONSUMER_BATCH;
          g_cond_wait_until (&self->cond, &self->lock, MIN (batch_due,
                  gather_due));
        } else {
          self->consumer_waiting = CONSUMER_IDLE;
          if (deadline && deadline <= gather_due) {
            if (!g_cond_wait_until (&self->cond, &self->lock, deadline)
                && g_queue_is_empty (&self->queue)) {
              self->consumer_waiting = CONSUMER_BUSY;
              timed_out = TRUE;
              break;
            }
          } else if (gather_due != G_MAXINT64) {
            g_cond_wait_until (&self->cond, &self->lock, gather_due);
          } else {
            g_cond_wait (&self->cond, &self->lock);
          }
        }
        self->consumer_waiting = CONSUMER_BUSY;
      }
      flushing = self->flushing;
      g_mutex_unlock (&self->lock);
      if (!m && flushing)
        return GST_FLOW_FLUSHING;
      if (timed_out) {
        GST_INFO_OBJECT (self, "no message for %" GST_TIME_FORMAT
            ": EOS", GST_TIME_ARGS (self->run_idle_timeout));
        /* the stations still being gathered go out first */
        self->draining = TRUE;
        continue;
      }
      if (!m)
        continue;
    }

  decode:
    if (due) {
      topic = due->key;
      arrival = due->first_arrival;
      ok = gst_mqtt_src_decode_gathered (self, due, &r, &err);
    } else {
      topic = m->topic;
      arrival = m->arrival_ns;
      ok = gst_mqtt_src_decode (self, m, arrival, &r, &err);
      if (!ok && err == NULL) {
        /* a value gathered, its station not complete yet */
        gst_mqtt_src_message_free (m);
        continue;
      }
    }
    if (!ok) {
      gst_mqtt_src_count_bad (self, topic, due != NULL, due ? 0 : m->size,
          err ? err->message : "invalid");
      g_clear_error (&err);
      goto next;
    }

    gst_mqtt_src_ensure_origin (self);
    if (r.created_at < self->origin) {
      guint64 n;

      g_mutex_lock (&self->lock);
      n = ++self->too_old;
      g_mutex_unlock (&self->lock);
      GST_WARNING_OBJECT (self, "dropping a reading on \"%s\" created %"
          GST_TIME_FORMAT " before the pipeline started (%" G_GUINT64_FORMAT
          " so far)", topic,
          GST_TIME_ARGS ((GstClockTime) (self->origin - r.created_at)), n);
      goto next;
    }
    /* the topic's region decides the partition only by region: otherwise
     * it is read (and a missing one counted) for kept readings alone */
    by_region = self->run_part_count > 1 &&
        self->run_partition_by == GST_WEATHER_KEY_REGION;
    region = by_region ?
        gst_mqtt_src_topic_region (self, &r, topic, due != NULL) : NULL;
    if (!gst_mqtt_src_in_partition (self, &r, region)) {
      /* another member's key: expected, so counted, never warned about */
      g_mutex_lock (&self->lock);
      self->other_partition++;
      g_mutex_unlock (&self->lock);
      GST_LOG_OBJECT (self, "reading of station %u on %s: other partition",
          r.station_id, topic);
      g_free (region);
      goto next;
    }
    if (!by_region)
      region = gst_mqtt_src_topic_region (self, &r, topic, due != NULL);
    if (r.received_at == GST_WEATHER_TIME_NONE)
      r.received_at = arrival;
    region_event = gst_mqtt_src_region_event (self, &r, region);

    buf = gst_weather_reading_to_buffer (&r);
    GST_BUFFER_PTS (buf) = (GstClockTime) (r.created_at - self->origin);
    GST_BUFFER_DTS (buf) = GST_CLOCK_TIME_NONE;
    GST_LOG_OBJECT (self, "reading of station %u on %s, pts %"
        GST_TIME_FORMAT, r.station_id, topic,
        GST_TIME_ARGS (GST_BUFFER_PTS (buf)));
    if (m)
      gst_mqtt_src_message_free (m);
    gst_mqtt_gathered_free (due);

    if (region_event && first) {
      /* its event cannot go before the batch started: the batch goes out
       * now, this reading starts the next one */
      self->held = buf;
      self->held_event = region_event;
      gst_mqtt_src_requeue (self, more + next_more, n_more - next_more);
      break;
    }
    if (region_event)
      gst_mqtt_src_send_before (self, region_event);
    n_decoded++;
    if (first == NULL) {
      first = buf;
    } else {
      if (list == NULL) {
        list = gst_buffer_list_new_sized (n_more + 1);
        gst_buffer_list_add (list, first);
      }
      gst_buffer_list_add (list, buf);
    }
    if (due)
      break;
    continue;

  next:
    if (m)
      gst_mqtt_src_message_free (m);
    gst_mqtt_gathered_free (due);
  }

  g_mutex_lock (&self->lock);
  self->decoded += n_decoded;
  g_mutex_unlock (&self->lock);
  if (self->remaining > 0)
    self->remaining -= n_decoded;
  if (list) {
    /* GstBaseSrc pushes it after create() returns (one pad push) */
    gst_base_src_submit_buffer_list (GST_BASE_SRC (self), list);
    *outbuf = NULL;
  } else {
    *outbuf = first;
  }
  return GST_FLOW_OK;
}

static gboolean
gst_mqtt_src_unlock (GstBaseSrc * bsrc)
{
  GstMqttSrc *self = GST_MQTT_SRC (bsrc);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_mqtt_src_unlock_stop (GstBaseSrc * bsrc)
{
  GstMqttSrc *self = GST_MQTT_SRC (bsrc);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_mqtt_src_query (GstBaseSrc * bsrc, GstQuery * query)
{
  GstMqttSrc *self = GST_MQTT_SRC (bsrc);

  if (GST_QUERY_TYPE (query) == GST_QUERY_LATENCY) {
    GstClockTime latency;

    GST_OBJECT_LOCK (self);
    latency = self->latency;
    GST_OBJECT_UNLOCK (self);
    /* the queue holds what arrives meanwhile: no upper bound */
    gst_query_set_latency (query, TRUE, latency, GST_CLOCK_TIME_NONE);
    return TRUE;
  }
  return GST_BASE_SRC_CLASS (gst_mqtt_src_parent_class)->query (bsrc, query);
}

static GstClock *
gst_mqtt_src_provide_clock (GstElement * element)
{
  GstMqttSrc *self = GST_MQTT_SRC (element);

  return gst_object_ref (self->clock);
}

static void
gst_mqtt_src_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstMqttSrc *self = GST_MQTT_SRC (object);
  gboolean latency_changed = FALSE;

  GST_OBJECT_LOCK (self);
  if (!gst_mqtt_settings_set_property (&self->settings, prop_id, value)
      && !gst_weather_feed_set_property (&self->feed, PROP_FORMAT, prop_id,
          value)) {
    switch (prop_id) {
      case PROP_TOPICS:
        g_free (self->topics);
        self->topics = g_value_dup_string (value);
        break;
      case PROP_QOS:
        self->qos = g_value_get_int (value);
        break;
      case PROP_STATION_FROM:
        self->station_from = g_value_get_enum (value);
        break;
      case PROP_STATION_TOPIC_LEVEL:
        self->station_topic_level = g_value_get_uint (value);
        break;
      case PROP_MAX_QUEUED:
        self->max_queued = g_value_get_uint (value);
        break;
      case PROP_MAX_QUEUED_BYTES:
        self->max_queued_bytes = g_value_get_uint64 (value);
        break;
      case PROP_LATENCY:
        self->latency = g_value_get_uint64 (value);
        latency_changed = TRUE;
        break;
      case PROP_IDLE_TIMEOUT:
        self->idle_timeout = g_value_get_uint64 (value);
        break;
      case PROP_GATHER_INTERVAL:
        self->gather_interval = g_value_get_uint64 (value);
        break;
      case PROP_BATCH_DELAY:
        self->batch_delay = g_value_get_uint64 (value);
        break;
      case PROP_REGION_TOPIC_LEVEL:
        self->region_topic_level = g_value_get_int (value);
        break;
      case PROP_PARTITION:
        g_free (self->partition);
        self->partition = g_value_dup_string (value);
        break;
      case PROP_PARTITION_BY:
        self->partition_by = g_value_get_enum (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
  if (latency_changed)
    gst_element_post_message (GST_ELEMENT (self),
        gst_message_new_latency (GST_OBJECT (self)));
}

static void
gst_mqtt_src_get_property (GObject * object, guint prop_id, GValue * value,
    GParamSpec * pspec)
{
  GstMqttSrc *self = GST_MQTT_SRC (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_mqtt_src_get_stats (self));
    return;
  }
  GST_OBJECT_LOCK (self);
  if (!gst_mqtt_settings_get_property (&self->settings, prop_id, value)
      && !gst_weather_feed_get_property (&self->feed, PROP_FORMAT, prop_id,
          value)) {
    switch (prop_id) {
      case PROP_TOPICS:
        g_value_set_string (value, self->topics);
        break;
      case PROP_QOS:
        g_value_set_int (value, self->qos);
        break;
      case PROP_STATION_FROM:
        g_value_set_enum (value, self->station_from);
        break;
      case PROP_STATION_TOPIC_LEVEL:
        g_value_set_uint (value, self->station_topic_level);
        break;
      case PROP_MAX_QUEUED:
        g_value_set_uint (value, self->max_queued);
        break;
      case PROP_MAX_QUEUED_BYTES:
        g_value_set_uint64 (value, self->max_queued_bytes);
        break;
      case PROP_LATENCY:
        g_value_set_uint64 (value, self->latency);
        break;
      case PROP_IDLE_TIMEOUT:
        g_value_set_uint64 (value, self->idle_timeout);
        break;
      case PROP_GATHER_INTERVAL:
        g_value_set_uint64 (value, self->gather_interval);
        break;
      case PROP_BATCH_DELAY:
        g_value_set_uint64 (value, self->batch_delay);
        break;
      case PROP_REGION_TOPIC_LEVEL:
        g_value_set_int (value, self->region_topic_level);
        break;
      case PROP_PARTITION:
        g_value_set_string (value, self->partition ? self->partition :
            DEFAULT_PARTITION);
        break;
      case PROP_PARTITION_BY:
        g_value_set_enum (value, self->partition_by);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_mqtt_src_finalize (GObject * object)
{
  GstMqttSrc *self = GST_MQTT_SRC (object);

  gst_mqtt_settings_clear (&self->settings);
  g_free (self->topics);
  g_free (self->partition);
  gst_weather_feed_settings_clear (&self->feed);
  gst_weather_decoder_free (self->decoder);
  g_hash_table_destroy (self->announced);
  gst_object_unref (self->clock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_mqtt_src_parent_class)->finalize (object);
}

static void
gst_mqtt_src_class_init (GstMqttSrcClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSrcClass *basesrc_class = GST_BASE_SRC_CLASS (klass);
  GstPushSrcClass *pushsrc_class = GST_PUSH_SRC_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (gst_mqtt_src_debug, "mqttsrc", 0, "MQTT subscriber");

  gobject_class->set_property = gst_mqtt_src_set_property;
  gobject_class->get_property = gst_mqtt_src_get_property;
  gobject_class->finalize = gst_mqtt_src_finalize;

  gst_mqtt_install_connection_properties (gobject_class, DEFAULT_CLEAN_SESSION);

  /**
   * GstMqttSrc:topics:
   *
   * Comma-separated topic filters to subscribe to; `+` and `#` wildcards
   * and `$share/GROUP/filter` shared subscriptions are allowed
   * (e.g. "weather/+/reading,$share/g/stations/#").
   */
  g_object_class_install_property (gobject_class, PROP_TOPICS,
      g_param_spec_string ("topics", "Topics",
          "Comma-separated topic filters (wildcards, $share/GROUP/...)",
          DEFAULT_TOPICS, rw));
  /**
   * GstMqttSrc:qos:
   *
   * QoS requested for every subscription (0, 1, 2).
   */
  g_object_class_install_property (gobject_class, PROP_QOS,
      g_param_spec_int ("qos", "QoS", "Subscription quality of service", 0, 2,
          DEFAULT_QOS, rw));
  /**
   * GstMqttSrc:station-from:
   *
   * Where the station comes from: the payload (default) or a topic level.
   * With topic-level the level's percent-decoded text becomes the station
   * name and its FNV-1a hash the station id, whatever the payload says.
   */
  g_object_class_install_property (gobject_class, PROP_STATION_FROM,
      g_param_spec_enum ("station-from", "Station from",
          "Take the station from the payload or from a topic level",
          GST_TYPE_MQTT_SRC_STATION_FROM, DEFAULT_STATION_FROM, rw));
  /**
   * GstMqttSrc:station-topic-level:
   *
   * 0-based topic level holding the station with
   * station-from=topic-level ("weather/NAME/reading": 1). A topic without
   * that level is a bad payload.
   */
  g_object_class_install_property (gobject_class, PROP_STATION_TOPIC_LEVEL,
      g_param_spec_uint ("station-topic-level", "Station topic level",
          "0-based topic level naming the station", 0, 1024,
          DEFAULT_STATION_TOPIC_LEVEL, rw));
  /**
   * GstMqttSrc:region-topic-level:
   *
   * 0-based topic level holding the station's region
   * ("weather/REGION/STATION": 1), for grouper's group-by=region: a
   * region event goes downstream before the station's first reading and
   * again when its region changes. -1 (default): none. A topic without
   * that level, or with an empty one or one longer than 55 bytes, gives
   * no region (counted as "no-region"; the reading goes out). A region in
   * grouper's stations-file wins over this one.
   */
  g_object_class_install_property (gobject_class, PROP_REGION_TOPIC_LEVEL,
      g_param_spec_int ("region-topic-level", "Region topic level",
          "0-based topic level naming the station's region (-1 = none)", -1,
          1024, DEFAULT_REGION_TOPIC_LEVEL, rw));
  /**
   * GstMqttSrc:partition:
   *
   * "I/N": keep only the readings of the keys in part I of N (whole
   * numbers, 1 <= I <= N <= 1024); the others are dropped before they
   * become buffers or announce a region, counted in stats
   * ("other-partition"), never warned about. A key is in part I when its
   * id modulo N is I-1; the id is the station id (partition-by=station) or
   * the 32-bit FNV-1a hash of the region name (partition-by=region), both
   * the same on every machine and version (docs/scaling.md). Default
   * "1/1": every reading; NULL sets the default. Anything else (0/3, 4/3,
   * 1/0, a/b, 1/3/4, an empty string, numbers above 1024) is refused when
   * the element starts, with a RESOURCE/SETTINGS error.
   */
  g_object_class_install_property (gobject_class, PROP_PARTITION,
      g_param_spec_string ("partition", "Partition",
          "I/N: keep the readings whose key is in part I of N (1/1 = all)",
          DEFAULT_PARTITION, rw));
  /**
   * GstMqttSrc:partition-by:
   *
   * The key #GstMqttSrc:partition splits on; set it to weatherbin's
   * group-by so that every group is whole in one partition. `station`
   * (default): the station id. `region`: the station's region, taken as
   * grouper takes it: the `region` of its line in #GstMqttSrc:stations-file
   * (give weatherbin the same file), else the topic level at
   * #GstMqttSrc:region-topic-level, else the region announced for it
   * before, else a region of its own named like the station. `all` cannot
   * be split: with N > 1 it is refused at start. Ignored at 1/1.
   */
  g_object_class_install_property (gobject_class, PROP_PARTITION_BY,
      g_param_spec_enum ("partition-by", "Partition by",
          "The key that partition splits on (weatherbin's group-by)",
          GST_TYPE_WEATHER_KEY_KIND, DEFAULT_PARTITION_BY, rw));
  /**
   * GstMqttSrc:max-queued:
   *
   * Received messages waiting for the streaming thread, at most. When the
   * queue is full (this or max-queued-bytes), the oldest queued message
   * is dropped for each new one: counted in stats ("dropped-full") and
   * warned about on the bus (at most every 5 s). The default holds 50 s
   * of 2,000 readings/s.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUED,
      g_param_spec_uint ("max-queued", "Max queued",
          "Received messages waiting for the pipeline, at most (messages)", 1,
          G_MAXINT, DEFAULT_MAX_QUEUED, rw));
  /**
   * GstMqttSrc:max-queued-bytes:
   *
   * Memory of the received messages waiting for the streaming thread, at
   * most (bytes: payload, topic and about 40 bytes of bookkeeping each).
   * A full queue drops as max-queued says. A single message larger than
   * this is still kept, alone. Default 64 MiB.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUED_BYTES,
      g_param_spec_uint64 ("max-queued-bytes", "Max queued bytes",
          "Memory of the messages waiting for the pipeline, at most (bytes)",
          1, G_MAXUINT64, DEFAULT_MAX_QUEUED_BYTES, rw));
  /**
   * GstMqttSrc:latency:
   *
   * The delay (ns) the user expects between a reading's creation and its
   * arrival; reported as the minimum latency in the LATENCY query so that
   * downstream waits that long.
   */
  g_object_class_install_property (gobject_class, PROP_LATENCY,
      g_param_spec_uint64 ("latency", "Latency",
          "Expected network delay, reported as latency (ns)", 0, G_MAXINT64,
          DEFAULT_LATENCY, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /**
   * GstMqttSrc:idle-timeout:
   *
   * EOS after this long without a message (ns). 0: never.
   */
  g_object_class_install_property (gobject_class, PROP_IDLE_TIMEOUT,
      g_param_spec_uint64 ("idle-timeout", "Idle timeout",
          "EOS after this long without a message (ns, 0 = never)", 0,
          G_MAXUINT64, DEFAULT_IDLE_TIMEOUT, rw));
  /* format, timezone, station, stations-file (docs/feeds.md): with a
   * format other than native, a payload that is not a JSON object is one
   * value of a station publishing one value per topic (gather-interval) */
  gst_weather_feed_install_properties (gobject_class, PROP_FORMAT);
  /**
   * GstMqttSrc:gather-interval:
   *
   * For feeds that publish one value per topic (format other than
   * native): the values of one station (the topics that differ only in
   * their last level) that arrive within this many ns of its first make
   * one reading; a field the station already sent closes the reading
   * early. 0: no gathering, such messages are bad payloads. At most one
   * hour. The reading goes out when the interval ends, so it adds up to
   * this much delay: keep it below the mqttsrc latency.
   */
  g_object_class_install_property (gobject_class, PROP_GATHER_INTERVAL,
      g_param_spec_uint64 ("gather-interval", "Gather interval",
          "Time a station's one-value-per-topic messages are gathered into "
          "one reading (ns, 0 = never)", 0, MAX_GATHER_INTERVAL,
          DEFAULT_GATHER_INTERVAL, rw));
  /**
   * GstMqttSrc:batch-delay:
   *
   * How long (ns) a message may wait for others, so that the streaming
   * thread wakes up once for a batch of up to 64 messages instead of once
   * for each: the first message of a batch waits at most this long, and a
   * batch goes out at once when 64 are waiting. It adds at most this much
   * to the delay of a reading (keep it well below #GstMqttSrc:latency).
   * Default 1 ms, 0: every message is handed over at once; at most 1 s.
   */
  g_object_class_install_property (gobject_class, PROP_BATCH_DELAY,
      g_param_spec_uint64 ("batch-delay", "Batch delay",
          "Longest wait of a message for others to go out with it, as one "
          "buffer list (ns, 0 = none)", 0, MAX_BATCH_DELAY,
          DEFAULT_BATCH_DELAY, rw));
  /**
   * GstMqttSrc:stats:
   *
   * "received" (messages from the broker), "decoded" (readings pushed),
   * "bad-payloads" (skipped: not a valid reading, too large, or no station
   * level), "too-old" (created before the pipeline started, dropped),
   * "queued" and "queued-bytes" (waiting now), "dropped-full" (dropped
   * because the queue was full), "dropped" (still queued when the element
   * stopped, or arrived while stopping), "reconnects", "gathered" (readings
   * made of one-value-per-topic messages), "no-region" (readings whose
   * topic had no region level, with region-topic-level), "other-partition"
   * (readings of keys outside #GstMqttSrc:partition, dropped); and the
   * decoder's counters
   * (docs/feeds.md): "malformed", "bad-value", "out-of-range",
   * "unknown-unit", "bad-time", "absurd-time", "no-station",
   * "no-measurement" (why payloads or measurements were not used) and
   * "time-from-arrival", "no-sea-level-pressure" (readings with those
   * flags).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters of the element",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class, "MQTT source",
      "Source/Network", "Receives JSON weather readings from an MQTT broker",
      GST_WEATHER_AUTHOR);

  element_class->provide_clock = GST_DEBUG_FUNCPTR (gst_mqtt_src_provide_clock);
  basesrc_class->start = GST_DEBUG_FUNCPTR (gst_mqtt_src_start);
  basesrc_class->stop = GST_DEBUG_FUNCPTR (gst_mqtt_src_stop);
  basesrc_class->unlock = GST_DEBUG_FUNCPTR (gst_mqtt_src_unlock);
  basesrc_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_mqtt_src_unlock_stop);
  basesrc_class->query = GST_DEBUG_FUNCPTR (gst_mqtt_src_query);
  pushsrc_class->create = GST_DEBUG_FUNCPTR (gst_mqtt_src_create);

  gst_type_mark_as_plugin_api (GST_TYPE_MQTT_SRC_STATION_FROM, 0);
  gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_FORMAT, 0);
}

static void
gst_mqtt_src_init (GstMqttSrc * self)
{
  gst_mqtt_settings_init (&self->settings, "gstweather-src",
      DEFAULT_CLEAN_SESSION);
  self->topics = g_strdup (DEFAULT_TOPICS);
  self->qos = DEFAULT_QOS;
  self->station_from = DEFAULT_STATION_FROM;
  self->station_topic_level = DEFAULT_STATION_TOPIC_LEVEL;
  self->max_queued = DEFAULT_MAX_QUEUED;
  self->max_queued_bytes = DEFAULT_MAX_QUEUED_BYTES;
  self->latency = DEFAULT_LATENCY;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  gst_weather_feed_settings_init (&self->feed);
  self->gather_interval = DEFAULT_GATHER_INTERVAL;
  self->batch_delay = DEFAULT_BATCH_DELAY;
  self->region_topic_level = DEFAULT_REGION_TOPIC_LEVEL;
  self->partition = g_strdup (DEFAULT_PARTITION);
  self->partition_by = DEFAULT_PARTITION_BY;
  self->announced = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  self->clock = g_object_new (GST_TYPE_SYSTEM_CLOCK, "name",
      "mqttsrc-realtime-clock", "clock-type", GST_CLOCK_TYPE_REALTIME, NULL);
  gst_object_ref_sink (self->clock);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->stopping = TRUE;

  gst_base_src_set_live (GST_BASE_SRC (self), TRUE);
  gst_base_src_set_format (GST_BASE_SRC (self), GST_FORMAT_TIME);
  GST_OBJECT_FLAG_SET (self, GST_ELEMENT_FLAG_PROVIDE_CLOCK);
}
