/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What mqttsink and mqttsrc share: the connection properties, a thin
 * wrapper around one Paho MQTTAsync client that turns Paho's callbacks
 * (run on Paho's own threads) into state guarded by the element's mutex,
 * and the topic-level escaping rule of docs/mqtt.md.
 */
#pragma once

#include <gst/gst.h>
#include <MQTTAsync.h>

G_BEGIN_DECLS

/* Property ids of the connection properties; each element numbers its own
 * properties from GST_MQTT_PROP_LAST on. */
enum
{
  GST_MQTT_PROP_0,
  GST_MQTT_PROP_HOST,
  GST_MQTT_PROP_PORT,
  GST_MQTT_PROP_CLIENT_ID,
  GST_MQTT_PROP_CLEAN_SESSION,
  GST_MQTT_PROP_USERNAME,
  GST_MQTT_PROP_PASSWORD,
  GST_MQTT_PROP_PASSWORD_FILE,
  GST_MQTT_PROP_TLS_CA_FILE,
  GST_MQTT_PROP_TLS_CERT_FILE,
  GST_MQTT_PROP_TLS_KEY_FILE,
  GST_MQTT_PROP_TLS_INSECURE,
  GST_MQTT_PROP_KEEPALIVE,
  GST_MQTT_PROP_CONNECT_TIMEOUT,
  GST_MQTT_PROP_LAST
};

#define GST_MQTT_DEFAULT_HOST "localhost"
#define GST_MQTT_DEFAULT_PORT 1883
#define GST_MQTT_DEFAULT_KEEPALIVE 10
#define GST_MQTT_DEFAULT_CONNECT_TIMEOUT (5 * GST_SECOND)

/* Connection settings, a copy of the element's properties. The owner
 * guards it with its GST_OBJECT_LOCK. */
typedef struct
{
  gchar *host;
  gint port;
  gchar *client_id;
  gboolean clean_session;
  gchar *username;
  gchar *password;
  gchar *password_file;
  gchar *tls_ca_file;
  gchar *tls_cert_file;
  gchar *tls_key_file;
  gboolean tls_insecure;
  guint keepalive;
  guint64 connect_timeout;
} GstMqttSettings;

void            gst_mqtt_settings_init              (GstMqttSettings * s,
                                                     const gchar * id_prefix,
                                                     gboolean clean_session);
void            gst_mqtt_settings_clear             (GstMqttSettings * s);
void            gst_mqtt_settings_copy              (GstMqttSettings * dest,
                                                     const GstMqttSettings * src);
gboolean        gst_mqtt_settings_use_tls           (const GstMqttSettings * s);

/* Reads what the settings name in files, on the copy an element takes at
 * start: the password from password-file (its first line), and a look at
 * the TLS files (readable, holding PEM). On failure @error
 * (GST_RESOURCE_ERROR_SETTINGS) says which file and why, never the
 * password. */
gboolean        gst_mqtt_settings_load_files        (GstMqttSettings * s,
                                                     GError ** error);

void            gst_mqtt_install_connection_properties (GObjectClass * klass,
                                                     gboolean default_clean_session);
gboolean        gst_mqtt_settings_set_property      (GstMqttSettings * s,
                                                     guint prop_id,
                                                     const GValue * value);
gboolean        gst_mqtt_settings_get_property      (const GstMqttSettings * s,
                                                     guint prop_id,
                                                     GValue * value);

/* One Paho client. Every field is guarded by *lock (the owner's mutex);
 * *cond is broadcast on every change. */
typedef struct
{
  GstObject *owner;
  GMutex *lock;
  GCond *cond;
  MQTTAsync handle;
  gchar *uri;
  gchar *where;                 /* "host:port", for messages */

  /* guarded by *lock */
  gboolean connected;
  gboolean ever_connected;
  gint connect_state;           /* 0 pending, 1 done, -1 failed */
  gchar *connect_error;
  gboolean connect_event;       /* set at every (re)connect, cleared by owner */
  guint64 reconnects;
  guint64 disconnects;
  gchar *tls_error;             /* the last error OpenSSL reported */

  /* set by the owner before connecting, then read-only: what a lost
   * connection means for its data, said in the warning posted then */
  const gchar *loss_consequence;
} GstMqttClient;

/* Creates the client: persistence in @persistence_dir (NULL or "" = in
 * memory). @arrived may be NULL. */
GstMqttClient * gst_mqtt_client_new                 (GstObject * owner,
                                                     GMutex * lock,
                                                     GCond * cond,
                                                     const GstMqttSettings * s,
                                                     const gchar * persistence_dir,
                                                     MQTTAsync_messageArrived * arrived,
                                                     gpointer arrived_data,
                                                     GError ** error);

/* Connects and waits (lock NOT held by the caller) until the broker
 * accepted or refused, or connect-timeout ran out. Afterwards Paho
 * reconnects by itself with backoff (1 s doubling up to 16 s). On failure
 * @error says why, in words a person can act on (a TLS failure is
 * examined to tell an untrusted certificate from one for another host). */
gboolean        gst_mqtt_client_connect             (GstMqttClient * client,
                                                     const GstMqttSettings * s,
                                                     const gchar * will_topic,
                                                     const gchar * will_payload,
                                                     GError ** error);

/* Disconnects (waiting at most @timeout_ms) and frees everything. */
void            gst_mqtt_client_free                (GstMqttClient * client,
                                                     gint timeout_ms);

/* Appends @value to @out, percent-encoding every byte that could change
 * the structure of a topic or is not printable: '/', '+', '#', '$', '%',
 * bytes below 0x20, 0x7f, and every byte of a value that is not valid
 * UTF-8 from 0x80 up (upper-case hex, "%2F"). */
void            gst_mqtt_escape_topic_value         (GString * out,
                                                     const gchar * value,
                                                     gssize len);

/* The reverse of gst_mqtt_escape_topic_value() for one level; NULL when
 * the result is not valid UTF-8 or holds a NUL. */
gchar *         gst_mqtt_unescape_topic_level       (const gchar * level);

/* Validates a topic filter (src) or topic name (sink, @filter FALSE). */
gboolean        gst_mqtt_topic_is_valid             (const gchar * topic,
                                                     gboolean filter,
                                                     GError ** error);

G_END_DECLS
