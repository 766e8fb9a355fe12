/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Test helpers for the MQTT elements: a real Mosquitto started on a free
 * loopback port with a config written into a temporary directory, and a
 * real subscriber (Python paho) whose messages the test can wait for.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _MqttBroker MqttBroker;

/* Exits the test program with status 77 (skipped, for meson) and says
 * what is missing when /usr/sbin/mosquitto, mosquitto_pub/_sub or
 * Python's paho are not installed. Call it where the suite is made,
 * before any test forks. */
void            mqtt_require_tools                  (void);

/* Writes mosquitto.conf (listener on 127.0.0.1 and a free port,
 * max_queued_messages 0, persistence in the temp dir) plus @extra_conf
 * (may be NULL; "@DIR@" in it is replaced by the temp dir) and starts
 * /usr/sbin/mosquitto, returning once it accepts connections. */
MqttBroker *    mqtt_broker_new                     (const gchar * extra_conf);

/* Like mqtt_broker_new() but the listener block is @listener_conf
 * ("@DIR@" is the temp dir, "@PORT@" the port); anonymous access is off. */
MqttBroker *    mqtt_broker_new_custom              (const gchar * listener_conf);

guint           mqtt_broker_port                    (MqttBroker * broker);
const gchar *   mqtt_broker_dir                     (MqttBroker * broker);
gboolean        mqtt_broker_running                 (MqttBroker * broker);

/* Waits (at most 10 s) until the broker wrote its persistence file, so
 * that what it holds now (a persistent subscriber's session) survives a
 * kill; FALSE if it did not. */
gboolean        mqtt_broker_wait_saved              (MqttBroker * broker);

/* SIGKILL and reap: no clean shutdown, no final save. */
void            mqtt_broker_kill                    (MqttBroker * broker);

/* SIGSTOP: the broker stays connected but reads and answers nothing. */
void            mqtt_broker_freeze                  (MqttBroker * broker);

/* SIGCONT: a frozen broker goes on where it stopped. */
void            mqtt_broker_thaw                    (MqttBroker * broker);

/* Starts the broker again on the same port with the same config. */
void            mqtt_broker_restart                 (MqttBroker * broker);

/* Kills the broker and removes its directory. */
void            mqtt_broker_free                    (MqttBroker * broker);

/* A free TCP port on 127.0.0.1 nobody listens on (bind 0, read, close). */
guint           mqtt_free_port                      (void);

/* Runs @argv (NULL-terminated), waits at most @timeout_s for it to exit
 * and returns its stdout; @status gets the wait status. */
gchar *         mqtt_run_command                    (const gchar * const * argv,
                                                     gint timeout_s,
                                                     gint * status);

typedef struct
{
  gchar *topic;
  GBytes *payload;
  gint qos;
  gboolean retain;
} MqttMessage;

typedef struct _MqttSubscriber MqttSubscriber;

typedef struct
{
  const gchar *client_id;       /* NULL: random, clean session */
  gboolean persistent;          /* clean_session false */
  const gchar *username;
  const gchar *password;
  const gchar *ca_file;         /* TLS when set */
} MqttSubscriberOptions;

/* Starts /usr/bin/python3 with paho, subscribed to @topic with @qos;
 * returns once the broker confirmed the subscription (NULL when it did
 * not within 20 s). It reconnects by itself after a broker restart. */
MqttSubscriber *mqtt_subscriber_new                 (guint port,
                                                     const gchar * topic,
                                                     gint qos,
                                                     const MqttSubscriberOptions * opts);

/* Waits until at least @n messages arrived or @timeout_s passed; returns
 * the count. */
guint           mqtt_subscriber_wait                (MqttSubscriber * sub,
                                                     guint n,
                                                     gint timeout_s);

/* The messages so far (owned by the subscriber). */
GPtrArray *     mqtt_subscriber_messages            (MqttSubscriber * sub);

/* Connection count so far (1 after the first connect). */
guint           mqtt_subscriber_connections         (MqttSubscriber * sub);

void            mqtt_subscriber_free                (MqttSubscriber * sub);

/* Distinct readings among a subscriber's messages, told apart by the
 * numbers after "station_id": (0 when absent) and "sequence": in the
 * payload. */
typedef struct _MqttSeen MqttSeen;

MqttSeen *      mqtt_seen_new                       (MqttSubscriber * sub);

/* Looks at the messages that arrived since the last call. */
void            mqtt_seen_update                    (MqttSeen * seen);

/* Waits (at most @timeout_s) until @unique distinct readings arrived;
 * returns how many did. */
guint           mqtt_seen_wait                      (MqttSeen * seen,
                                                     guint unique,
                                                     gint timeout_s);

guint           mqtt_seen_unique                    (MqttSeen * seen);
guint           mqtt_seen_duplicates                (MqttSeen * seen);
/* Messages whose payload holds no "sequence". */
guint           mqtt_seen_other                     (MqttSeen * seen);
void            mqtt_seen_free                      (MqttSeen * seen);

/* Publishes @messages (MqttMessage, in order) from one Python paho client
 * with @qos and @retain, and returns once every one was acknowledged
 * (QoS >= 1) or written; FALSE on failure or after 60 s. */
gboolean        mqtt_publish                        (guint port,
                                                     GPtrArray * messages,
                                                     gint qos,
                                                     gboolean retain);

/* A publisher in its own process (Python paho, one client) that publishes
 * @count readings at @rate a second, evenly spaced, with @qos, on
 * "@prefix/st-K" (K = sequence % 10): JSON with "station" "st-K",
 * "created_at" now (epoch ms), "sequence" 0..@count-1, a temperature and
 * a pressure. */
typedef struct _MqttPacedPublisher MqttPacedPublisher;

MqttPacedPublisher *mqtt_paced_publisher_start      (guint port,
                                                     const gchar * prefix,
                                                     guint rate,
                                                     guint count,
                                                     gint qos);

/* Waits (at most @timeout_s) until it has published and seen every
 * acknowledgement; returns how many were acknowledged (QoS >= 1) or
 * written, and frees it. */
guint           mqtt_paced_publisher_finish         (MqttPacedPublisher * pub,
                                                     gint timeout_s);

MqttMessage *   mqtt_message_new                    (const gchar * topic,
                                                     gconstpointer payload,
                                                     gsize size);
void            mqtt_message_free                   (MqttMessage * m);

G_END_DECLS
