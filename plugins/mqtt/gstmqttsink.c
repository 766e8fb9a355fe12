/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
/**
 * SECTION:element-mqttsink
 * @title: mqttsink
 *
 * Publishes every buffer as one MQTT message to a broker, with Eclipse
 * Paho C (MQTTAsync). Readings, groups and predictions are written as the
 * JSON of docs/schema.md; `application/json` and `text/plain` buffers are
 * sent byte for byte.
 *
 * The topic is a template: `{station}` (the reading's station name, or its
 * number when it has no name; for groups and predictions the name of
 * their key: "all", a station's or a region's name; "unknown" for raw
 * JSON/text), `{model}` (the prediction's model, "none" otherwise)
 * and `{window}` (the window start in epoch milliseconds, "none" for
 * readings and raw payloads). Values from the data are percent-encoded so
 * that they can never add a level or a wildcard (docs/mqtt.md).
 *
 * Nothing that reaches the sink is lost quietly: when the broker goes away
 * the element keeps running, queues up to #GstMqttSink:max-queued messages
 * (then blocks upstream or drops the oldest, see
 * #GstMqttSink:queue-policy), reconnects with backoff and resends what was
 * not acknowledged. At EOS it waits until the broker acknowledged every
 * message and posts an error if #GstMqttSink:eos-timeout runs out first.
 *
 * With #GstMqttSink:discovery-prefix set, every key of the predictions is
 * announced to Home Assistant by MQTT discovery: one device per key with
 * its sensors, retained configs sent before the key's first prediction,
 * at every connection and whenever Home Assistant's "<prefix>/status"
 * says "online" (docs/home-assistant.md).
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 weathersrc num-buffers=100 ! mqttsink host=localhost port=1883 topic="weather/{station}/reading"
 * gst-launch-1.0 weathersrc stations=3 num-buffers=3000 ! weatherbin group-by=station ! predictor ! mqttsink topic="gst-weather/{station}/forecast" status-topic=gst-weather/status discovery-prefix=homeassistant
 * ]|
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "gstmqttcommon.h"
#include "gstmqttdiscovery.h"
#include "gstmqttsink.h"

GST_DEBUG_CATEGORY_STATIC (gst_mqtt_sink_debug);
#define GST_CAT_DEFAULT gst_mqtt_sink_debug

#define DEFAULT_TOPIC "weather/{station}"
#define DEFAULT_QOS 1
#define DEFAULT_RETAIN FALSE
/* 0: automatic, 100 messages, at QoS 2 the broker's usual limit */
#define DEFAULT_MAX_INFLIGHT 0
#define AUTO_INFLIGHT 100
/* Mosquitto's default max_inflight_messages: beyond it, with its queue
 * for incoming messages unbounded or full, Mosquitto drops a QoS 2
 * publisher's connection ("Bad socket read/write"). MQTT 3.1.1 has no
 * way to learn the limit. */
#define AUTO_INFLIGHT_QOS2 20
#define DEFAULT_MAX_QUEUED 10000
#define DEFAULT_QUEUE_POLICY GST_MQTT_SINK_QUEUE_POLICY_BLOCK
#define DEFAULT_PERSISTENCE_DIR NULL
#define DEFAULT_STATUS_TOPIC NULL
#define DEFAULT_EOS_TIMEOUT (30 * GST_SECOND)
#define DEFAULT_CLEAN_SESSION TRUE
#define DEFAULT_DISCOVERY_PREFIX NULL
#define DEFAULT_DISCOVERY_NODE_ID GST_MQTT_DISCOVERY_DEFAULT_NODE_ID
#define DEFAULT_DISCOVERY_EXPIRE_WINDOWS 3
#define MAX_DISCOVERY_EXPIRE_WINDOWS 1000

enum
{
  PROP_TOPIC = GST_MQTT_PROP_LAST,
  PROP_QOS,
  PROP_RETAIN,
  PROP_MAX_INFLIGHT,
  PROP_MAX_QUEUED,
  PROP_QUEUE_POLICY,
  PROP_PERSISTENCE_DIR,
  PROP_STATUS_TOPIC,
  PROP_EOS_TIMEOUT,
  PROP_DISCOVERY_PREFIX,
  PROP_DISCOVERY_NODE_ID,
  PROP_DISCOVERY_EXPIRE_WINDOWS,
  PROP_STATS,
};

typedef enum
{
  INPUT_NONE,
  INPUT_READING,
  INPUT_GROUP,
  INPUT_PREDICTION,
  INPUT_RAW,
} GstMqttSinkInput;

typedef enum
{
  MESSAGE_DATA,                 /* from a buffer: counted as published */
  MESSAGE_STATUS,               /* "online" on status-topic */
  MESSAGE_CONFIG,               /* a Home Assistant discovery config */
  MESSAGE_STATE,                /* a key's last prediction, sent again */
} GstMqttSinkMessageKind;

typedef struct
{
  GstMqttSink *sink;
  gchar *topic;
  guint8 *payload;
  gsize size;
  gint qos;
  gboolean retain;
  GstMqttSinkMessageKind kind;
  gboolean resend;              /* its key's configs went out before */
  gboolean sent_before;
  struct _GstMqttSinkDiscoveryKey *owner;       /* a config's key */
} GstMqttSinkMessage;

/* A key announced to Home Assistant: its config messages, kept to be
 * sent again */
typedef struct _GstMqttSinkDiscoveryKey
{
  GstWeatherKey key;
  gboolean announced;           /* a config handed to the broker; lock */
  GPtrArray *configs;           /* GstMqttDiscoveryConfig */
  GstMqttDiscoveryConfig *state;        /* its last prediction: topic, JSON */
} GstMqttSinkDiscoveryKey;

struct _GstMqttSink
{
  GstBaseSink parent;

  /* properties, guarded by GST_OBJECT_LOCK */
  GstMqttSettings settings;
  gchar *topic;
  gint qos;
  gboolean retain;
  guint max_inflight;
  guint max_queued;
  GstMqttSinkQueuePolicy queue_policy;
  gchar *persistence_dir;
  gchar *status_topic;
  guint64 eos_timeout;
  gchar *discovery_prefix;
  gchar *discovery_node_id;
  guint discovery_expire_windows;

  /* copies taken in start(), read-only until stop(): streaming thread,
   * sender thread */
  GstMqttSettings run;
  gchar *run_topic;
  gint run_qos;
  gboolean run_retain;
  guint run_max_inflight;
  guint run_max_queued;
  GstMqttSinkQueuePolicy run_policy;
  gchar *run_status_topic;
  guint64 run_eos_timeout;
  gchar *run_discovery_prefix;  /* NULL: discovery off */
  gchar *run_discovery_node_id;
  guint run_discovery_expire_windows;
  gchar *run_birth_topic;       /* <prefix>/status */

  /* streaming thread only (set_caps, render) */
  GstMqttSinkInput input;

  /* sender thread only */
  guint64 seen_disconnects;     /* client->disconnects looked at */

  GMutex lock;
  GCond cond;
  /* guarded by lock */
  GstMqttClient *client;
  GQueue queue;                 /* GstMqttSinkMessage not yet handed to Paho */
  GHashTable *inflight;         /* handed to Paho, no answer yet */
  gboolean flushing;
  gboolean stopping;
  guint waiters;                /* threads in a wait on cond */
  GThread *sender;
  guint64 published;
  guint64 acknowledged;
  guint64 dropped;
  guint64 queued_peak;          /* largest queue + in flight seen */
  guint64 resent;
  guint64 invalid;
  guint64 reconnects_before;    /* reconnect count of earlier runs */
  guint window;                 /* in flight at most, now (max-inflight,
                                 * or less once the broker dropped) */
  guint64 window_shrinks;
  guint64 conn_acknowledged;    /* acknowledgements on this connection */
  guint conn_peak;              /* most messages in flight on it */
  /* discovery, guarded by lock */
  GHashTable *discovery_keys;   /* GstWeatherKey* -> GstMqttSinkDiscoveryKey */
  gboolean birth_subscribe;     /* subscribe to run_birth_topic, sender */
  gboolean birth_subscribed;    /* the broker confirmed it */
  gboolean discovery_resend;    /* Home Assistant said "online" */
  guint64 discovery_configs;
  guint64 discovery_resends;
  guint64 discovery_states;
  guint64 discovery_status_ignored;
};

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK, GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS "; "
        GST_WEATHER_GROUP_CAPS "; " GST_WEATHER_PREDICTION_CAPS "; "
        "application/json; text/plain"));

G_DEFINE_TYPE (GstMqttSink, gst_mqtt_sink, GST_TYPE_BASE_SINK);
GST_ELEMENT_REGISTER_DEFINE (mqttsink, "mqttsink", GST_RANK_NONE,
    GST_TYPE_MQTT_SINK);

static void
gst_mqtt_sink_message_free (GstMqttSinkMessage * m)
{
  g_free (m->topic);
  g_free (m->payload);
  g_free (m);
}

static void
gst_mqtt_sink_discovery_key_free (GstMqttSinkDiscoveryKey * k)
{
  g_ptr_array_unref (k->configs);
  if (k->state)
    gst_mqtt_discovery_config_free (k->state);
  g_free (k);
}

/* A message to send, from one discovery config (retained, QoS 1) or a
 * key's last state (as the data goes) */
static GstMqttSinkMessage *
gst_mqtt_sink_config_message (GstMqttSink * self,
    GstMqttSinkDiscoveryKey * owner, const GstMqttDiscoveryConfig * c,
    GstMqttSinkMessageKind kind)
{
  GstMqttSinkMessage *m = g_new0 (GstMqttSinkMessage, 1);

  m->sink = self;
  m->topic = g_strdup (c->topic);
  m->payload = g_memdup2 (c->payload, c->size);
  m->size = c->size;
  m->qos = kind == MESSAGE_STATE ? self->run_qos : 1;
  m->retain = kind == MESSAGE_STATE ? self->run_retain : TRUE;
  m->kind = kind;
  m->owner = owner;
  m->resend = owner->announced;
  return m;
}

static GstStructure *
gst_mqtt_sink_get_stats (GstMqttSink * self)
{
  GstStructure *s;

  g_mutex_lock (&self->lock);
  s = gst_structure_new ("application/x-mqttsink-stats",
      "published", G_TYPE_UINT64, self->published,
      "acknowledged", G_TYPE_UINT64, self->acknowledged,
      "queued", G_TYPE_UINT64, (guint64) (self->queue.length +
          (self->inflight ? g_hash_table_size (self->inflight) : 0)),
      "dropped", G_TYPE_UINT64, self->dropped,
      "queued-peak", G_TYPE_UINT64, self->queued_peak,
      "resent", G_TYPE_UINT64, self->resent,
      "invalid", G_TYPE_UINT64, self->invalid,
      "reconnects", G_TYPE_UINT64, self->reconnects_before +
      (self->client ? self->client->reconnects : 0),
      "inflight-window", G_TYPE_UINT64, (guint64) self->window,
      "window-shrinks", G_TYPE_UINT64, self->window_shrinks,
      "discovery-keys", G_TYPE_UINT64, (guint64) (self->discovery_keys ?
          g_hash_table_size (self->discovery_keys) : 0),
      "discovery-configs", G_TYPE_UINT64, self->discovery_configs,
      "discovery-resends", G_TYPE_UINT64, self->discovery_resends,
      "discovery-states", G_TYPE_UINT64, self->discovery_states,
      "discovery-status-ignored", G_TYPE_UINT64,
      self->discovery_status_ignored,
      "discovery-subscribed", G_TYPE_BOOLEAN, self->birth_subscribed, NULL);
  g_mutex_unlock (&self->lock);
  return s;
}

/* Waits on cond with the lock held, until @deadline (monotonic µs, 0:
 * none); counted so that the per-message paths signal only when someone
 * waits. */
static gboolean
gst_mqtt_sink_wait (GstMqttSink * self, gint64 deadline)
{
  gboolean ok = TRUE;

  self->waiters++;
  if (deadline)
    ok = g_cond_wait_until (&self->cond, &self->lock, deadline);
  else
    g_cond_wait (&self->cond, &self->lock);
  self->waiters--;
  return ok;
}

/* Call with the lock held after adding to the queue: only additions raise
 * queue + in flight (handing a message to Paho moves it from one to the
 * other). */
static void
gst_mqtt_sink_update_peak (GstMqttSink * self)
{
  guint64 now = self->queue.length + g_hash_table_size (self->inflight);

  if (now > self->queued_peak)
    self->queued_peak = now;
}

/* Paho callbacks run on Paho's threads: they record the outcome and wake
 * the element, they never call Paho. */

static void
gst_mqtt_sink_on_delivered (void *context, MQTTAsync_successData * response)
{
  GstMqttSinkMessage *m = context;
  GstMqttSink *self = m->sink;

  g_mutex_lock (&self->lock);
  if (g_hash_table_steal (self->inflight, m)) {
    if (m->kind == MESSAGE_DATA)
      self->acknowledged++;
    self->conn_acknowledged++;
    gst_mqtt_sink_message_free (m);
  }
  /* one acknowledgement per message: wake only who waits */
  if (self->waiters > 0)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static void
gst_mqtt_sink_on_failed (void *context, MQTTAsync_failureData * response)
{
  GstMqttSinkMessage *m = context;
  GstMqttSink *self = m->sink;

  GST_DEBUG_OBJECT (self, "publish to %s failed (%d): queued again",
      m->topic, response ? response->code : 0);
  g_mutex_lock (&self->lock);
  if (g_hash_table_steal (self->inflight, m)) {
    /* resend it first, ahead of everything that came later */
    g_queue_push_head (&self->queue, m);
    self->resent++;
  }
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

/* Called by the sender, lock held, when the connection was lost. A broker
 * that drops a QoS 2 publisher before it acknowledged a window's worth of
 * messages, while more were in flight than Mosquitto accepts by default,
 * or the whole window was, most likely refuses that many in flight
 * (Mosquitto does beyond its max_inflight_messages): resending as many
 * would only be dropped again. So the window shrinks, to Mosquitto's
 * default limit first, then by half, and the caller warns. Returns the
 * window before, or 0 when it stays. */
static guint
gst_mqtt_sink_shrink_window_locked (GstMqttSink * self)
{
  guint before = self->window;

  if (self->run_qos != 2 || before <= 1 || self->conn_acknowledged >= before)
    return 0;
  if (self->conn_peak > AUTO_INFLIGHT_QOS2)
    self->window = AUTO_INFLIGHT_QOS2;
  else if (self->conn_peak >= before)
    self->window = before / 2;
  else
    return 0;
  self->window_shrinks++;
  return before;
}

/* Called with the lock held: drops the configs still waiting (never
 * handed to this connection) and queues every known key's configs at the
 * head, ahead of the data, so that Home Assistant knows the sensors
 * before their next state (counted as re-sent for keys whose configs
 * went out before); with @states, each key's last prediction after them
 * (Home Assistant, restarted, needs the states again). */
static void
gst_mqtt_sink_requeue_configs_locked (GstMqttSink * self, gboolean states)
{
  GHashTableIter iter;
  GstMqttSinkDiscoveryKey *k;
  GList *l, *next;
  GQueue fresh = G_QUEUE_INIT;
  GQueue last = G_QUEUE_INIT;
  GstMqttSinkMessage *m;

  for (l = self->queue.head; l; l = next) {
    m = l->data;
    next = l->next;
    if (m->kind == MESSAGE_CONFIG) {
      g_queue_delete_link (&self->queue, l);
      gst_mqtt_sink_message_free (m);
    }
  }
  g_hash_table_iter_init (&iter, self->discovery_keys);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) & k)) {
    guint i;

    for (i = 0; i < k->configs->len; i++)
      g_queue_push_tail (&fresh, gst_mqtt_sink_config_message (self,
              k, g_ptr_array_index (k->configs, i), MESSAGE_CONFIG));
    if (states && k->state)
      g_queue_push_tail (&last, gst_mqtt_sink_config_message (self, k,
              k->state, MESSAGE_STATE));
  }
  while ((m = g_queue_pop_tail (&last)))
    g_queue_push_head (&self->queue, m);
  while ((m = g_queue_pop_tail (&fresh)))
    g_queue_push_head (&self->queue, m);
  gst_mqtt_sink_update_peak (self);
}

static void
gst_mqtt_sink_on_birth_subscribed (void *context,
    MQTTAsync_successData * response)
{
  GstMqttSink *self = context;
  gboolean refused = response && response->alt.qos == 0x80;

  g_mutex_lock (&self->lock);
  self->birth_subscribed = !refused;
  g_mutex_unlock (&self->lock);
  if (refused)
    GST_ELEMENT_WARNING (self, RESOURCE, SETTINGS,
        ("The MQTT broker refused the subscription to \"%s\": configs are "
            "not sent again when Home Assistant restarts",
            self->run_birth_topic),
        ("Allow this client to subscribe to it (broker ACL)."));
}

static void
gst_mqtt_sink_on_birth_subscribe_failed (void *context,
    MQTTAsync_failureData * response)
{
  GstMqttSink *self = context;

  /* a lost connection: the next one subscribes again */
  GST_DEBUG_OBJECT (self, "subscribing to %s failed (%d)",
      self->run_birth_topic, response ? response->code : 0);
}

/* Paho's receiving thread, shared by every client of the process: it only
 * records what Home Assistant said; the sender queues the configs. */
static int
gst_mqtt_sink_on_message (void *context, char *topic_name, int topic_len,
    MQTTAsync_message * message)
{
  GstMqttSink *self = context;
  gsize tlen = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
  gboolean birth = self->run_birth_topic &&
      tlen == strlen (self->run_birth_topic) &&
      memcmp (topic_name, self->run_birth_topic, tlen) == 0;
  gboolean online = birth && message->payloadlen == 6 &&
      memcmp (message->payload, "online", 6) == 0;
  gboolean offline = birth && message->payloadlen == 7 &&
      memcmp (message->payload, "offline", 7) == 0;
  guint64 ignored = 0;

  g_mutex_lock (&self->lock);
  if (online) {
    self->discovery_resend = TRUE;
    g_cond_broadcast (&self->cond);
  } else {
    ignored = ++self->discovery_status_ignored;
  }
  g_mutex_unlock (&self->lock);

  if (online)
    GST_INFO_OBJECT (self, "Home Assistant is online: sending the configs "
        "again");
  else if (offline)
    GST_INFO_OBJECT (self, "Home Assistant is offline");
  else
    GST_WARNING_OBJECT (self, "ignoring a message of %d bytes on %.*s: "
        "only \"online\" or \"offline\" is expected, %" G_GUINT64_FORMAT
        " ignored so far", message->payloadlen, (int) MIN (tlen, 200),
        topic_name, ignored);
  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);
  return 1;
}

/* Called by the sender with the lock held; drops it around the call. */
static void
gst_mqtt_sink_subscribe_birth_locked (GstMqttSink * self,
    GstMqttClient * client)
{
  MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
  int rc;

  self->birth_subscribe = FALSE;
  self->birth_subscribed = FALSE;
  ro.onSuccess = gst_mqtt_sink_on_birth_subscribed;
  ro.onFailure = gst_mqtt_sink_on_birth_subscribe_failed;
  ro.context = self;
  g_mutex_unlock (&self->lock);
  rc = MQTTAsync_subscribe (client->handle, self->run_birth_topic, 1, &ro);
  g_mutex_lock (&self->lock);
  /* disconnected again: the next connection subscribes */
  if (rc != MQTTASYNC_SUCCESS)
    GST_DEBUG_OBJECT (self, "subscribe to %s not sent: %s",
        self->run_birth_topic, MQTTAsync_strerror (rc));
}

/* The sender thread makes every publish call, so that the streaming
 * thread never blocks in Paho and messages keep their order. */
static gpointer
gst_mqtt_sink_sender (gpointer data)
{
  GstMqttSink *self = data;
  GstMqttClient *client;

  g_mutex_lock (&self->lock);
  client = self->client;
  while (!self->stopping) {
    GstMqttSinkMessage *m;
    MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;
    MQTTAsync_message pub = MQTTAsync_message_initializer;
    gboolean first;
    int rc;

    if (client->disconnects != self->seen_disconnects) {
      guint before = gst_mqtt_sink_shrink_window_locked (self);
      guint after = self->window;

      self->seen_disconnects = client->disconnects;
      self->conn_peak = 0;
      self->conn_acknowledged = 0;
      if (before) {
        g_mutex_unlock (&self->lock);
        GST_WARNING_OBJECT (self, "the broker dropped the connection with "
            "QoS 2 messages in flight: window %u -> %u", before, after);
        GST_ELEMENT_WARNING (self, RESOURCE, WRITE,
            ("The MQTT broker at %s closed the connection with QoS 2 "
                "messages in flight: now at most %u instead of %u "
                "(max-inflight)", client->where, after, before),
            ("The broker accepts fewer unacknowledged QoS 2 messages "
                "(Mosquitto: max_inflight_messages, 20 by default). Set "
                "max-inflight=%u or less, or raise the broker's limit.",
                after));
        g_mutex_lock (&self->lock);
        continue;
      }
    }

    if (client->connect_event) {
      client->connect_event = FALSE;
      self->conn_peak = 0;
      self->conn_acknowledged = 0;
      if (self->run_discovery_prefix) {
        /* a clean session loses the subscription with the connection;
         * the configs go again on every connection */
        self->birth_subscribe = TRUE;
        self->discovery_resend = FALSE;
        gst_mqtt_sink_requeue_configs_locked (self, FALSE);
      }
      if (self->run_status_topic) {
        m = g_new0 (GstMqttSinkMessage, 1);
        m->sink = self;
        m->topic = g_strdup (self->run_status_topic);
        m->payload = (guint8 *) g_strdup ("online");
        m->size = 6;
        m->qos = 1;
        m->retain = TRUE;
        m->kind = MESSAGE_STATUS;
        g_queue_push_head (&self->queue, m);
        gst_mqtt_sink_update_peak (self);
      }
    }

    if (self->birth_subscribe && client->connected) {
      gst_mqtt_sink_subscribe_birth_locked (self, client);
      continue;
    }

    if (self->discovery_resend) {
      self->discovery_resend = FALSE;
      gst_mqtt_sink_requeue_configs_locked (self, TRUE);
    }

    if (!client->connected || self->queue.length == 0 ||
        g_hash_table_size (self->inflight) >= self->window) {
      gst_mqtt_sink_wait (self, 0);
      continue;
    }

    m = g_queue_pop_head (&self->queue);
    g_hash_table_add (self->inflight, m);
    self->conn_peak = MAX (self->conn_peak, g_hash_table_size (self->inflight));
    /* counted before the call: the acknowledgement may come before
     * MQTTAsync_sendMessage() returns */
    first = !m->sent_before;
    if (first && m->kind == MESSAGE_DATA)
      self->published++;
    if (first && m->kind == MESSAGE_CONFIG) {
      m->owner->announced = TRUE;
      self->discovery_configs++;
      if (m->resend)
        self->discovery_resends++;
    }
    if (first && m->kind == MESSAGE_STATE)
      self->discovery_states++;
    m->sent_before = TRUE;
    g_mutex_unlock (&self->lock);

    ro.onSuccess = gst_mqtt_sink_on_delivered;
    ro.onFailure = gst_mqtt_sink_on_failed;
    ro.context = m;
    pub.payload = m->payload;
    pub.payloadlen = (int) m->size;
    pub.qos = m->qos;
    pub.retained = m->retain;
    rc = MQTTAsync_sendMessage (client->handle, m->topic, &pub, &ro);

    g_mutex_lock (&self->lock);
    if (rc != MQTTASYNC_SUCCESS) {
      /* typically MQTTASYNC_DISCONNECTED in the instant between the loss
       * and Paho's callback: keep it, and wait for a change */
      if (g_hash_table_steal (self->inflight, m)) {
        g_queue_push_head (&self->queue, m);
        if (first) {
          m->sent_before = FALSE;
          if (m->kind == MESSAGE_DATA)
            self->published--;
          if (m->kind == MESSAGE_CONFIG) {
            self->discovery_configs--;
            if (m->resend)
              self->discovery_resends--;
          }
          if (m->kind == MESSAGE_STATE)
            self->discovery_states--;
        }
      }
      GST_DEBUG_OBJECT (self, "publish refused (%s), retrying",
          MQTTAsync_strerror (rc));
      gst_mqtt_sink_wait (self, g_get_monotonic_time () +
          50 * G_TIME_SPAN_MILLISECOND);
      continue;
    }
  }
  g_mutex_unlock (&self->lock);
  return NULL;
}

static gboolean
gst_mqtt_sink_expand_topic (const gchar * template, const gchar * station,
    const gchar * model, const gchar * window, GString * out)
{
  const gchar *p = template;

  while (*p) {
    if (g_str_has_prefix (p, "{station}")) {
      gst_mqtt_escape_topic_value (out, station, -1);
      p += strlen ("{station}");
    } else if (g_str_has_prefix (p, "{model}")) {
      gst_mqtt_escape_topic_value (out, model, -1);
      p += strlen ("{model}");
    } else if (g_str_has_prefix (p, "{window}")) {
      gst_mqtt_escape_topic_value (out, window, -1);
      p += strlen ("{window}");
    } else if (*p == '{') {
      return FALSE;
    } else {
      g_string_append_c (out, *p);
      p++;
    }
  }
  return TRUE;
}

/* The discovery settings, at start: a prefix that keeps every config
 * inside it, a node id Home Assistant accepts, and a topic template that
 * gives each key one fixed state topic. */
static gboolean
gst_mqtt_sink_check_discovery (GstMqttSink * self)
{
  GError *err = NULL;

  if (!gst_mqtt_discovery_prefix_is_valid (self->run_discovery_prefix, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid discovery-prefix \"%s\": %s", self->run_discovery_prefix,
            err->message), ("Use a topic such as \"homeassistant\", without "
            "wildcards or empty levels"));
    g_clear_error (&err);
    return FALSE;
  }
  if (!gst_mqtt_discovery_node_id_is_valid (self->run_discovery_node_id, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    g_clear_error (&err);
    return FALSE;
  }
  if (!strstr (self->run_topic, "{station}") ||
      strstr (self->run_topic, "{window}")) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("With discovery-prefix set, the topic template \"%s\" must hold "
            "{station} and no {window}", self->run_topic),
        ("Home Assistant reads each key's sensors from one fixed state "
            "topic: without {station} the keys share a topic, with {window} "
            "it changes every window."));
    return FALSE;
  }
  self->run_birth_topic = g_strconcat (self->run_discovery_prefix, "/status",
      NULL);
  return TRUE;
}

static gboolean
gst_mqtt_sink_start_run (GstMqttSink * self)
{
  GstMqttClient *client;
  GString *probe;
  GError *err = NULL;
  gchar *persistence_dir;
  gint64 deadline;
  gboolean ok;

  GST_OBJECT_LOCK (self);
  gst_mqtt_settings_copy (&self->run, &self->settings);
  self->run_topic = g_strdup (self->topic);
  self->run_qos = self->qos;
  self->run_retain = self->retain;
  self->run_max_inflight = self->max_inflight;
  self->run_max_queued = self->max_queued;
  self->run_policy = self->queue_policy;
  self->run_status_topic = (self->status_topic && *self->status_topic) ?
      g_strdup (self->status_topic) : NULL;
  self->run_eos_timeout = self->eos_timeout;
  self->run_discovery_prefix = (self->discovery_prefix &&
      *self->discovery_prefix) ? g_strdup (self->discovery_prefix) : NULL;
  self->run_discovery_node_id = g_strdup (self->discovery_node_id);
  self->run_discovery_expire_windows = self->discovery_expire_windows;
  persistence_dir = g_strdup (self->persistence_dir);
  GST_OBJECT_UNLOCK (self);

  probe = g_string_new (NULL);
  ok = gst_mqtt_sink_expand_topic (self->run_topic, "s", "m", "w", probe);
  if (!ok || !gst_mqtt_topic_is_valid (probe->str, FALSE, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid topic template \"%s\"", self->run_topic),
        ("%s", err ? err->message :
            "only {station}, {model} and {window} may appear in braces"));
    g_string_free (probe, TRUE);
    g_clear_error (&err);
    g_free (persistence_dir);
    return FALSE;
  }
  g_string_free (probe, TRUE);
  if (self->run_status_topic &&
      !gst_mqtt_topic_is_valid (self->run_status_topic, FALSE, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Invalid status topic \"%s\"", self->run_status_topic),
        ("%s", err->message));
    g_clear_error (&err);
    g_free (persistence_dir);
    return FALSE;
  }
  if (self->run_discovery_prefix && !gst_mqtt_sink_check_discovery (self)) {
    g_free (persistence_dir);
    return FALSE;
  }
  if (!gst_mqtt_settings_load_files (&self->run, &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS, ("%s", err->message), (NULL));
    g_clear_error (&err);
    g_free (persistence_dir);
    return FALSE;
  }

  client = gst_mqtt_client_new (GST_OBJECT (self), &self->lock, &self->cond,
      &self->run, persistence_dir,
      self->run_discovery_prefix ? gst_mqtt_sink_on_message : NULL, self, &err);
  g_free (persistence_dir);
  if (!client) {
    GST_ELEMENT_ERROR (self, RESOURCE, SETTINGS,
        ("Could not create the MQTT client"), ("%s", err->message));
    g_clear_error (&err);
    return FALSE;
  }
  client->loss_consequence = "the messages wait in the element's queue "
      "(max-queued) and are sent once it is back";
  if (!gst_mqtt_client_connect (client, &self->run, self->run_status_topic,
          "offline", &err)) {
    GST_ELEMENT_ERROR (self, RESOURCE, OPEN_WRITE,
        ("Could not connect to the MQTT broker at %s: %s", client->where,
            err->message), ("%s", client->uri));
    g_clear_error (&err);
    gst_mqtt_client_free (client, 0);
    return FALSE;
  }

  g_mutex_lock (&self->lock);
  self->client = client;
  if (self->run_max_inflight > 0)
    self->window = self->run_max_inflight;
  else
    self->window = self->run_qos == 2 ? AUTO_INFLIGHT_QOS2 : AUTO_INFLIGHT;
  self->conn_acknowledged = 0;
  self->conn_peak = 0;
  self->seen_disconnects = 0;
  /* Paho reports the first connection through the connected callback too,
   * which raises connect_event (the "online" status); wait for it so that
   * it is not mistaken for a reconnection later */
  deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (!client->ever_connected)
    if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
      break;
  if (!client->ever_connected)
    client->connect_event = TRUE;
  self->stopping = FALSE;
  self->sender = g_thread_new ("mqttsink-send", gst_mqtt_sink_sender, self);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
gst_mqtt_sink_clear_run (GstMqttSink * self)
{
  gst_mqtt_settings_clear (&self->run);
  g_clear_pointer (&self->run_topic, g_free);
  g_clear_pointer (&self->run_status_topic, g_free);
  g_clear_pointer (&self->run_discovery_prefix, g_free);
  g_clear_pointer (&self->run_discovery_node_id, g_free);
  g_clear_pointer (&self->run_birth_topic, g_free);
}

/* GstBaseSink does not call stop() after a failed start() */
static gboolean
gst_mqtt_sink_start (GstBaseSink * bsink)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);

  if (gst_mqtt_sink_start_run (self))
    return TRUE;
  gst_mqtt_sink_clear_run (self);
  return FALSE;
}

static void
gst_mqtt_sink_clear_queue (GstMqttSink * self)
{
  GstMqttSinkMessage *m;
  GHashTableIter iter;

  while ((m = g_queue_pop_head (&self->queue)))
    gst_mqtt_sink_message_free (m);
  g_hash_table_iter_init (&iter, self->inflight);
  while (g_hash_table_iter_next (&iter, (gpointer *) & m, NULL)) {
    g_hash_table_iter_steal (&iter);
    gst_mqtt_sink_message_free (m);
  }
}

static gboolean
gst_mqtt_sink_stop (GstBaseSink * bsink)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);
  GstMqttClient *client;
  GThread *sender;
  guint unsent;

  g_mutex_lock (&self->lock);
  client = self->client;
  sender = self->sender;
  self->sender = NULL;
  self->stopping = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  if (sender)
    g_thread_join (sender);

  if (client) {
    if (self->run_status_topic && MQTTAsync_isConnected (client->handle)) {
      MQTTAsync_message pub = MQTTAsync_message_initializer;
      MQTTAsync_responseOptions ro = MQTTAsync_responseOptions_initializer;

      pub.payload = (void *) "offline";
      pub.payloadlen = 7;
      pub.qos = 1;
      pub.retained = 1;
      if (MQTTAsync_sendMessage (client->handle, self->run_status_topic,
              &pub, &ro) == MQTTASYNC_SUCCESS)
        MQTTAsync_waitForCompletion (client->handle, ro.token, 2000);
    }

    g_mutex_lock (&self->lock);
    unsent = self->queue.length + g_hash_table_size (self->inflight);
    g_mutex_unlock (&self->lock);
    if (unsent > 0)
      GST_WARNING_OBJECT (self, "stopping with %u messages not acknowledged "
          "by %s", unsent, client->where);

    g_mutex_lock (&self->lock);
    self->reconnects_before += client->reconnects;
    self->client = NULL;
    g_mutex_unlock (&self->lock);

    /* no lock: Paho may still run a callback until destroy returns */
    gst_mqtt_client_free (client, 1000);
  }

  g_mutex_lock (&self->lock);
  gst_mqtt_sink_clear_queue (self);
  self->flushing = FALSE;
  /* a new start announces every key again */
  g_hash_table_remove_all (self->discovery_keys);
  self->birth_subscribe = FALSE;
  self->birth_subscribed = FALSE;
  self->discovery_resend = FALSE;
  g_mutex_unlock (&self->lock);

  gst_mqtt_sink_clear_run (self);
  return TRUE;
}

static gboolean
gst_mqtt_sink_set_caps (GstBaseSink * bsink, GstCaps * caps)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  const gchar *name = gst_structure_get_name (s);

  if (gst_structure_has_name (s, GST_WEATHER_READING_MEDIA_TYPE))
    self->input = INPUT_READING;
  else if (gst_structure_has_name (s, GST_WEATHER_GROUP_MEDIA_TYPE))
    self->input = INPUT_GROUP;
  else if (gst_structure_has_name (s, GST_WEATHER_PREDICTION_MEDIA_TYPE))
    self->input = INPUT_PREDICTION;
  else
    self->input = INPUT_RAW;
  GST_DEBUG_OBJECT (self, "input %s", name);
  if (self->run_discovery_prefix && self->input != INPUT_PREDICTION) {
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION,
        ("Home Assistant discovery (discovery-prefix) announces predictions "
            "only, not %s", name),
        ("Put predictor before mqttsink, or unset discovery-prefix."));
    return FALSE;
  }
  return TRUE;
}

static void
gst_mqtt_sink_count_invalid (GstMqttSink * self, GstBuffer * buf,
    const gchar * what, const GError * err)
{
  guint64 n;

  g_mutex_lock (&self->lock);
  n = ++self->invalid;
  g_mutex_unlock (&self->lock);
  GST_WARNING_OBJECT (self, "dropping invalid %s buffer %" GST_PTR_FORMAT
      " (%s), %" G_GUINT64_FORMAT " so far", what, buf,
      err ? err->message : "empty", n);
}

/* The key of @p when it was never announced since start: its configs,
 * to be queued; NULL when it is known. Only the streaming thread adds
 * keys, so the look-up and the later insertion cannot race. */
static GstMqttSinkDiscoveryKey *
gst_mqtt_sink_discovery_key_new (GstMqttSink * self,
    const GstWeatherPrediction * p, const gchar * state_topic)
{
  GstMqttSinkDiscoveryKey *k;
  gboolean known;
  guint64 window = p->window_end > p->window_start ?
      (guint64) p->window_end - (guint64) p->window_start : 0;

  g_mutex_lock (&self->lock);
  known = g_hash_table_contains (self->discovery_keys, &p->key);
  g_mutex_unlock (&self->lock);
  if (known)
    return NULL;

  k = g_new0 (GstMqttSinkDiscoveryKey, 1);
  k->key = p->key;
  k->configs = gst_mqtt_discovery_configs (self->run_discovery_prefix,
      self->run_discovery_node_id, &p->key, p->model, state_topic,
      self->run_status_topic, gst_mqtt_discovery_expire_after (window,
          self->run_discovery_expire_windows));
  GST_INFO_OBJECT (self, "announcing key %s (%u sensors) to Home Assistant",
      p->key.name, k->configs->len);
  return k;
}

/* Keeps @m, the newest prediction of @key, to be sent again when Home
 * Assistant comes back online. Lock held. */
static void
gst_mqtt_sink_remember_state_locked (GstMqttSink * self,
    const GstWeatherKey * key, const GstMqttSinkMessage * m)
{
  GstMqttSinkDiscoveryKey *k = g_hash_table_lookup (self->discovery_keys,
      key);

  if (!k)
    return;
  if (!k->state)
    k->state = g_new0 (GstMqttDiscoveryConfig, 1);
  g_free (k->state->topic);
  g_free (k->state->payload);
  k->state->topic = g_strdup (m->topic);
  k->state->payload = g_memdup2 (m->payload, m->size);
  k->state->size = m->size;
}

/* drop-oldest takes the oldest message from a buffer: status and configs
 * are few and needed for what follows */
static GstMqttSinkMessage *
gst_mqtt_sink_pop_oldest_data_locked (GstMqttSink * self)
{
  GList *l;

  for (l = self->queue.head; l; l = l->next) {
    GstMqttSinkMessage *m = l->data;

    if (m->kind == MESSAGE_DATA) {
      g_queue_delete_link (&self->queue, l);
      return m;
    }
  }
  return NULL;
}

static GstFlowReturn
gst_mqtt_sink_render (GstBaseSink * bsink, GstBuffer * buf)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);
  GstMqttSinkMessage *m;
  GString *payload = NULL, *topic;
  gchar station[32], window[32], name[GST_WEATHER_KEY_NAME_SIZE];
  const gchar *station_name = "unknown", *model = "none", *win = "none";
  GError *err = NULL;
  guint8 *raw = NULL;
  gsize raw_size = 0;
  GstWeatherPrediction p;
  GstMqttSinkDiscoveryKey *announce = NULL;

  switch (self->input) {
    case INPUT_READING:{
      GstWeatherReading r;

      if (!gst_weather_reading_from_stream_buffer (buf, &r, &err)) {
        gst_mqtt_sink_count_invalid (self, buf, "reading", err);
        g_clear_error (&err);
        return GST_FLOW_OK;
      }
      payload = g_string_new (NULL);
      gst_weather_reading_to_json (&r, payload);
      if (r.station_name[0]) {
        g_strlcpy (name, r.station_name, sizeof (name));
        station_name = name;
        break;
      }
      /* a station known only by its number */
      g_snprintf (station, sizeof (station), "%u", r.station_id);
      station_name = station;
      break;
    }
    case INPUT_GROUP:{
      GstWeatherGroup g;

      memset (&g, 0, sizeof (g));
      if (!gst_weather_group_from_buffer (buf, &g, &err)) {
        gst_weather_group_clear (&g);
        gst_mqtt_sink_count_invalid (self, buf, "group", err);
        g_clear_error (&err);
        return GST_FLOW_OK;
      }
      payload = g_string_new (NULL);
      gst_weather_group_to_json (&g, payload);
      g_snprintf (window, sizeof (window), "%" G_GINT64_FORMAT,
          g.window_start / 1000000);
      /* {station} of a group is its key's name: "all", a station, a
       * region */
      g_strlcpy (name, g.key.name, sizeof (name));
      gst_weather_group_clear (&g);
      station_name = name;
      win = window;
      break;
    }
    case INPUT_PREDICTION:{
      if (!gst_weather_prediction_from_buffer (buf, &p, &err)) {
        gst_mqtt_sink_count_invalid (self, buf, "prediction", err);
        g_clear_error (&err);
        return GST_FLOW_OK;
      }
      payload = g_string_new (NULL);
      gst_weather_prediction_to_json (&p, payload);
      g_snprintf (window, sizeof (window), "%" G_GINT64_FORMAT,
          p.window_start / 1000000);
      g_strlcpy (name, p.key.name, sizeof (name));
      station_name = name;
      win = window;
      model = gst_weather_model_to_string (p.model);
      if (!model)
        model = "unknown";
      break;
    }
    case INPUT_RAW:
    default:{
      GstMapInfo map;

      if (gst_buffer_get_size (buf) == 0) {
        /* an empty retained message would delete the topic's retained
         * value: never send one by accident */
        gst_mqtt_sink_count_invalid (self, buf, "empty", NULL);
        return GST_FLOW_OK;
      }
      if (!gst_buffer_map (buf, &map, GST_MAP_READ)) {
        GST_ELEMENT_ERROR (self, RESOURCE, READ, ("Could not map buffer"),
            (NULL));
        return GST_FLOW_ERROR;
      }
      raw = g_memdup2 (map.data, map.size);
      raw_size = map.size;
      gst_buffer_unmap (buf, &map);
      break;
    }
  }

  topic = g_string_new (NULL);
  gst_mqtt_sink_expand_topic (self->run_topic, station_name, model, win, topic);
  if (self->run_discovery_prefix && self->input == INPUT_PREDICTION)
    announce = gst_mqtt_sink_discovery_key_new (self, &p, topic->str);

  m = g_new0 (GstMqttSinkMessage, 1);
  m->sink = self;
  m->topic = g_string_free (topic, FALSE);
  if (payload) {
    m->size = payload->len;
    m->payload = (guint8 *) g_string_free (payload, FALSE);
  } else {
    m->size = raw_size;
    m->payload = raw;
  }
  m->qos = self->run_qos;
  m->retain = self->run_retain;

  GST_LOG_OBJECT (self, "message of %" G_GSIZE_FORMAT " bytes to %s",
      m->size, m->topic);

  g_mutex_lock (&self->lock);
  while (self->queue.length >= self->run_max_queued && !self->flushing) {
    if (self->run_policy == GST_MQTT_SINK_QUEUE_POLICY_DROP_OLDEST) {
      GstMqttSinkMessage *old = gst_mqtt_sink_pop_oldest_data_locked (self);

      /* nothing but status and configs queued: they stay */
      if (!old)
        break;

      self->dropped++;
      if (self->dropped == 1 || self->dropped % 1000 == 0)
        GST_WARNING_OBJECT (self, "queue full (%u messages, %s): dropped "
            "the oldest, %" G_GUINT64_FORMAT " so far", self->run_max_queued,
            self->client->connected ? "connected" : "disconnected",
            self->dropped);
      gst_mqtt_sink_message_free (old);
    } else {
      gst_mqtt_sink_wait (self, 0);
    }
  }
  if (self->flushing) {
    g_mutex_unlock (&self->lock);
    gst_mqtt_sink_message_free (m);
    if (announce)
      gst_mqtt_sink_discovery_key_free (announce);
    return GST_FLOW_FLUSHING;
  }
  if (announce) {
    guint i;

    /* the configs go ahead of the key's first state */
    g_hash_table_insert (self->discovery_keys, &announce->key, announce);
    for (i = 0; i < announce->configs->len; i++)
      g_queue_push_tail (&self->queue, gst_mqtt_sink_config_message (self,
              announce, g_ptr_array_index (announce->configs, i),
              MESSAGE_CONFIG));
  }
  if (self->run_discovery_prefix && self->input == INPUT_PREDICTION)
    gst_mqtt_sink_remember_state_locked (self, &p.key, m);
  g_queue_push_tail (&self->queue, m);
  gst_mqtt_sink_update_peak (self);
  if (self->waiters > 0)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return GST_FLOW_OK;
}

/* At EOS every message must be acknowledged (QoS >= 1) or written
 * (QoS 0) before the EOS message is posted. */
static gboolean
gst_mqtt_sink_wait_delivered (GstMqttSink * self)
{
  gint64 deadline;
  guint queued = 0, inflight = 0;
  gboolean flushing, connected = FALSE;
  gboolean done;

  deadline = g_get_monotonic_time () +
      MIN (self->run_eos_timeout / 1000, G_MAXINT64 / 2);
  g_mutex_lock (&self->lock);
  while (!self->flushing && (self->queue.length > 0 ||
          g_hash_table_size (self->inflight) > 0)) {
    if (!gst_mqtt_sink_wait (self, deadline))
      break;
  }
  flushing = self->flushing;
  queued = self->queue.length;
  inflight = g_hash_table_size (self->inflight);
  connected = self->client && self->client->connected;
  done = queued == 0 && inflight == 0;
  g_mutex_unlock (&self->lock);

  if (done || flushing)
    return done;

  GST_ELEMENT_ERROR (self, RESOURCE, WRITE,
      ("%u MQTT messages were not acknowledged by the broker at %s:%d "
          "within eos-timeout", queued + inflight, self->run.host,
          self->run.port),
      ("%u queued, %u waiting for an acknowledgement, %s, eos-timeout %"
          GST_TIME_FORMAT, queued, inflight, connected ? "connected" :
          "disconnected", GST_TIME_ARGS (self->run_eos_timeout)));
  return FALSE;
}

static gboolean
gst_mqtt_sink_event (GstBaseSink * bsink, GstEvent * event)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);

  if (GST_EVENT_TYPE (event) == GST_EVENT_EOS) {
    GST_DEBUG_OBJECT (self, "EOS: waiting for every acknowledgement");
    if (!gst_mqtt_sink_wait_delivered (self)) {
      gst_event_unref (event);
      return FALSE;
    }
    GST_DEBUG_OBJECT (self, "EOS: everything delivered");
  }
  return GST_BASE_SINK_CLASS (gst_mqtt_sink_parent_class)->event (bsink, event);
}

static gboolean
gst_mqtt_sink_unlock (GstBaseSink * bsink)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);

  g_mutex_lock (&self->lock);
  self->flushing = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static gboolean
gst_mqtt_sink_unlock_stop (GstBaseSink * bsink)
{
  GstMqttSink *self = GST_MQTT_SINK (bsink);

  g_mutex_lock (&self->lock);
  self->flushing = FALSE;
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
gst_mqtt_sink_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstMqttSink *self = GST_MQTT_SINK (object);

  GST_OBJECT_LOCK (self);
  if (!gst_mqtt_settings_set_property (&self->settings, prop_id, value)) {
    switch (prop_id) {
      case PROP_TOPIC:
        g_free (self->topic);
        self->topic = g_value_dup_string (value);
        if (!self->topic)
          self->topic = g_strdup (DEFAULT_TOPIC);
        break;
      case PROP_QOS:
        self->qos = g_value_get_int (value);
        break;
      case PROP_RETAIN:
        self->retain = g_value_get_boolean (value);
        break;
      case PROP_MAX_INFLIGHT:
        self->max_inflight = g_value_get_uint (value);
        break;
      case PROP_MAX_QUEUED:
        self->max_queued = g_value_get_uint (value);
        break;
      case PROP_QUEUE_POLICY:
        self->queue_policy = g_value_get_enum (value);
        break;
      case PROP_PERSISTENCE_DIR:
        g_free (self->persistence_dir);
        self->persistence_dir = g_value_dup_string (value);
        break;
      case PROP_STATUS_TOPIC:
        g_free (self->status_topic);
        self->status_topic = g_value_dup_string (value);
        break;
      case PROP_EOS_TIMEOUT:
        self->eos_timeout = g_value_get_uint64 (value);
        break;
      case PROP_DISCOVERY_PREFIX:
        g_free (self->discovery_prefix);
        self->discovery_prefix = g_value_dup_string (value);
        break;
      case PROP_DISCOVERY_NODE_ID:
        g_free (self->discovery_node_id);
        self->discovery_node_id = g_value_dup_string (value);
        if (!self->discovery_node_id)
          self->discovery_node_id = g_strdup (DEFAULT_DISCOVERY_NODE_ID);
        break;
      case PROP_DISCOVERY_EXPIRE_WINDOWS:
        self->discovery_expire_windows = g_value_get_uint (value);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_mqtt_sink_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstMqttSink *self = GST_MQTT_SINK (object);

  if (prop_id == PROP_STATS) {
    g_value_take_boxed (value, gst_mqtt_sink_get_stats (self));
    return;
  }

  GST_OBJECT_LOCK (self);
  if (!gst_mqtt_settings_get_property (&self->settings, prop_id, value)) {
    switch (prop_id) {
      case PROP_TOPIC:
        g_value_set_string (value, self->topic);
        break;
      case PROP_QOS:
        g_value_set_int (value, self->qos);
        break;
      case PROP_RETAIN:
        g_value_set_boolean (value, self->retain);
        break;
      case PROP_MAX_INFLIGHT:
        g_value_set_uint (value, self->max_inflight);
        break;
      case PROP_MAX_QUEUED:
        g_value_set_uint (value, self->max_queued);
        break;
      case PROP_QUEUE_POLICY:
        g_value_set_enum (value, self->queue_policy);
        break;
      case PROP_PERSISTENCE_DIR:
        g_value_set_string (value, self->persistence_dir);
        break;
      case PROP_STATUS_TOPIC:
        g_value_set_string (value, self->status_topic);
        break;
      case PROP_EOS_TIMEOUT:
        g_value_set_uint64 (value, self->eos_timeout);
        break;
      case PROP_DISCOVERY_PREFIX:
        g_value_set_string (value, self->discovery_prefix);
        break;
      case PROP_DISCOVERY_NODE_ID:
        g_value_set_string (value, self->discovery_node_id);
        break;
      case PROP_DISCOVERY_EXPIRE_WINDOWS:
        g_value_set_uint (value, self->discovery_expire_windows);
        break;
      default:
        G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
        break;
    }
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_mqtt_sink_finalize (GObject * object)
{
  GstMqttSink *self = GST_MQTT_SINK (object);

  gst_mqtt_settings_clear (&self->settings);
  g_free (self->topic);
  g_free (self->persistence_dir);
  g_free (self->status_topic);
  g_free (self->discovery_prefix);
  g_free (self->discovery_node_id);
  g_hash_table_unref (self->inflight);
  g_hash_table_unref (self->discovery_keys);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (gst_mqtt_sink_parent_class)->finalize (object);
}

static void
gst_mqtt_sink_class_init (GstMqttSinkClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);
  GstBaseSinkClass *basesink_class = GST_BASE_SINK_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  GST_DEBUG_CATEGORY_INIT (gst_mqtt_sink_debug, "mqttsink", 0,
      "MQTT publisher");

  gobject_class->set_property = gst_mqtt_sink_set_property;
  gobject_class->get_property = gst_mqtt_sink_get_property;
  gobject_class->finalize = gst_mqtt_sink_finalize;

  gst_mqtt_install_connection_properties (gobject_class, DEFAULT_CLEAN_SESSION);

  /**
   * GstMqttSink:topic:
   *
   * Topic template. `{station}`, `{model}` and `{window}` are replaced per
   * message (see the element description); their values are
   * percent-encoded so they never change the topic's levels. Wildcards
   * are not allowed.
   */
  g_object_class_install_property (gobject_class, PROP_TOPIC,
      g_param_spec_string ("topic", "Topic",
          "Topic template with {station}, {model}, {window}", DEFAULT_TOPIC,
          rw));
  /**
   * GstMqttSink:qos:
   *
   * MQTT quality of service of every message: 0 at most once, 1 at least
   * once (duplicates possible after a reconnect), 2 exactly once.
   */
  g_object_class_install_property (gobject_class, PROP_QOS,
      g_param_spec_int ("qos", "QoS", "Quality of service (0, 1, 2)", 0, 2,
          DEFAULT_QOS, rw));
  /**
   * GstMqttSink:retain:
   *
   * Ask the broker to keep the last message of each topic for later
   * subscribers.
   */
  g_object_class_install_property (gobject_class, PROP_RETAIN,
      g_param_spec_boolean ("retain", "Retain", "Publish retained messages",
          DEFAULT_RETAIN, rw));
  /**
   * GstMqttSink:max-inflight:
   *
   * Messages handed to the broker and not yet acknowledged, at most.
   * Beyond it messages wait in the element's queue. 0 (the default):
   * 100, and 20 at qos=2, the QoS 2 window stock Mosquitto accepts
   * (max_inflight_messages). At qos=2, a broker that drops the connection
   * while the window is full, before acknowledging a window's worth,
   * makes the element shrink the window (to 20, then by half, never
   * below 1) and post a warning naming max-inflight ("inflight-window" in
   * stats is the window in use).
   */
  g_object_class_install_property (gobject_class, PROP_MAX_INFLIGHT,
      g_param_spec_uint ("max-inflight", "Max in flight",
          "Unacknowledged messages on the wire, at most (messages; "
          "0 = 100, or 20 at qos=2)", 0, 65535, DEFAULT_MAX_INFLIGHT, rw));
  /**
   * GstMqttSink:max-queued:
   *
   * Messages waiting in the element's own queue (while disconnected, or
   * while max-inflight is reached), at most. When it is full
   * queue-policy decides.
   */
  g_object_class_install_property (gobject_class, PROP_MAX_QUEUED,
      g_param_spec_uint ("max-queued", "Max queued",
          "Messages waiting to be sent, at most (messages)", 1, G_MAXINT,
          DEFAULT_MAX_QUEUED, rw));
  /**
   * GstMqttSink:queue-policy:
   *
   * What a full queue does: block upstream (default) or drop the oldest
   * queued message, counted in stats and warned about.
   */
  g_object_class_install_property (gobject_class, PROP_QUEUE_POLICY,
      g_param_spec_enum ("queue-policy", "Queue policy",
          "What to do when max-queued is reached",
          GST_TYPE_MQTT_SINK_QUEUE_POLICY, DEFAULT_QUEUE_POLICY, rw));
  /**
   * GstMqttSink:persistence-dir:
   *
   * Directory where Paho keeps the messages handed to the broker and not
   * yet acknowledged, so that they survive a restart of the pipeline
   * (use with a fixed client-id and clean-session=false). NULL or empty:
   * in memory only.
   */
  g_object_class_install_property (gobject_class, PROP_PERSISTENCE_DIR,
      g_param_spec_string ("persistence-dir", "Persistence directory",
          "Where unacknowledged messages are kept (empty: memory)",
          DEFAULT_PERSISTENCE_DIR, rw));
  /**
   * GstMqttSink:status-topic:
   *
   * When set, "online" is published there (retained, QoS 1) at every
   * connection, "offline" at a clean stop, and "offline" is the
   * connection's last will, published by the broker when the publisher
   * vanishes. Empty: none.
   */
  g_object_class_install_property (gobject_class, PROP_STATUS_TOPIC,
      g_param_spec_string ("status-topic", "Status topic",
          "Retained online/offline status and last will (empty: none)",
          DEFAULT_STATUS_TOPIC, rw));
  /**
   * GstMqttSink:eos-timeout:
   *
   * How long EOS may wait for the last acknowledgements (ns). When it runs
   * out the element posts an error instead of EOS.
   */
  g_object_class_install_property (gobject_class, PROP_EOS_TIMEOUT,
      g_param_spec_uint64 ("eos-timeout", "EOS timeout",
          "Time allowed at EOS for every acknowledgement (ns)", 0,
          G_MAXUINT64, DEFAULT_EOS_TIMEOUT, rw));
  /**
   * GstMqttSink:discovery-prefix:
   *
   * Home Assistant MQTT discovery: when set (e.g. "homeassistant"), every
   * key seen in the predictions is announced as one device with its
   * sensors (forecast, Zambretti letter, chance of rain, sea-level
   * pressure, 3-hour trend, stations used): retained QoS 1 configs under
   * "<prefix>/sensor/<node>/<sensor>/config", sent before the key's first
   * prediction, on every connection, and again whenever "<prefix>/status"
   * says "online" (the element subscribes to it), then each key's last
   * prediction again. Needs prediction input
   * and a topic with {station} and without {window}. A prefix with
   * wildcards, empty levels or a leading '$' fails the start. NULL or
   * empty: off. See docs/home-assistant.md.
   */
  g_object_class_install_property (gobject_class, PROP_DISCOVERY_PREFIX,
      g_param_spec_string ("discovery-prefix", "Discovery prefix",
          "Home Assistant MQTT discovery prefix (empty: no discovery)",
          DEFAULT_DISCOVERY_PREFIX, rw));
  /**
   * GstMqttSink:discovery-node-id:
   *
   * This sink's identity in Home Assistant: the start of every device id,
   * unique_id and config topic level, so that they stay the same across
   * restarts (the client id is random). 1 to 64 characters of
   * [a-zA-Z0-9_-]; anything else fails the start. Give each pipeline that
   * announces to the same Home Assistant its own.
   */
  g_object_class_install_property (gobject_class, PROP_DISCOVERY_NODE_ID,
      g_param_spec_string ("discovery-node-id", "Discovery node id",
          "Stable id of this sink in Home Assistant ids ([a-zA-Z0-9_-], "
          "1 to 64)", DEFAULT_DISCOVERY_NODE_ID, rw));
  /**
   * GstMqttSink:discovery-expire-windows:
   *
   * Home Assistant's expire_after for the announced sensors, in windows of
   * the key's first prediction (window_end - window_start), rounded up
   * to whole seconds: a key without a prediction for that long shows as
   * unavailable. 0: the state never expires.
   */
  g_object_class_install_property (gobject_class,
      PROP_DISCOVERY_EXPIRE_WINDOWS, g_param_spec_uint
      ("discovery-expire-windows", "Discovery expire windows",
          "Sensor states expire after this many windows (0: never)", 0,
          MAX_DISCOVERY_EXPIRE_WINDOWS, DEFAULT_DISCOVERY_EXPIRE_WINDOWS, rw));
  /**
   * GstMqttSink:stats:
   *
   * "published" (messages handed to the broker once), "acknowledged"
   * (confirmed: PUBACK/PUBCOMP, or written for QoS 0), "queued" (not yet
   * acknowledged, now), "dropped" (by queue-policy drop-oldest),
   * "queued-peak" (the largest "queued" seen: at most max-queued + the
   * window, plus one status message and the discovery configs), "resent"
   * (handed again after a failure), "invalid" (input buffers that could
   * not be read, dropped), "reconnects", "inflight-window" (messages in
   * flight at most, now: see max-inflight), "window-shrinks" (times a
   * QoS 2 broker's drop made it smaller), "discovery-keys" (keys
   * announced), "discovery-configs" (config messages handed to the
   * broker, re-sends included), "discovery-resends" (of those, sent again
   * for a connection or Home Assistant's "online"), "discovery-states"
   * (keys' last predictions sent again after "online"),
   * "discovery-status-ignored" (messages on "<prefix>/status" other than
   * "online"), "discovery-subscribed" (the broker confirmed the
   * subscription to "<prefix>/status").
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics", "Counters of the element",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_set_static_metadata (element_class, "MQTT sink",
      "Sink/Network", "Publishes weather data as JSON to an MQTT broker",
      GST_WEATHER_AUTHOR);

  basesink_class->start = GST_DEBUG_FUNCPTR (gst_mqtt_sink_start);
  basesink_class->stop = GST_DEBUG_FUNCPTR (gst_mqtt_sink_stop);
  basesink_class->set_caps = GST_DEBUG_FUNCPTR (gst_mqtt_sink_set_caps);
  basesink_class->render = GST_DEBUG_FUNCPTR (gst_mqtt_sink_render);
  basesink_class->event = GST_DEBUG_FUNCPTR (gst_mqtt_sink_event);
  basesink_class->unlock = GST_DEBUG_FUNCPTR (gst_mqtt_sink_unlock);
  basesink_class->unlock_stop = GST_DEBUG_FUNCPTR (gst_mqtt_sink_unlock_stop);

  gst_type_mark_as_plugin_api (GST_TYPE_MQTT_SINK_QUEUE_POLICY, 0);
}

static void
gst_mqtt_sink_init (GstMqttSink * self)
{
  gst_mqtt_settings_init (&self->settings, "gstweather-sink",
      DEFAULT_CLEAN_SESSION);
  self->topic = g_strdup (DEFAULT_TOPIC);
  self->qos = DEFAULT_QOS;
  self->retain = DEFAULT_RETAIN;
  self->max_inflight = DEFAULT_MAX_INFLIGHT;
  self->window = AUTO_INFLIGHT;
  self->max_queued = DEFAULT_MAX_QUEUED;
  self->queue_policy = DEFAULT_QUEUE_POLICY;
  self->eos_timeout = DEFAULT_EOS_TIMEOUT;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  g_queue_init (&self->queue);
  self->inflight = g_hash_table_new (NULL, NULL);
  self->discovery_node_id = g_strdup (DEFAULT_DISCOVERY_NODE_ID);
  self->discovery_expire_windows = DEFAULT_DISCOVERY_EXPIRE_WINDOWS;
  self->discovery_keys = g_hash_table_new_full ((GHashFunc)
      gst_weather_key_hash, (GEqualFunc) gst_weather_key_equal, NULL,
      (GDestroyNotify) gst_mqtt_sink_discovery_key_free);
  gst_base_sink_set_sync (GST_BASE_SINK (self), FALSE);
}
