/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "gstmqttcommon.h"

GST_DEBUG_CATEGORY_STATIC (gst_mqtt_debug);
#define GST_CAT_DEFAULT gst_mqtt_debug

static void
gst_mqtt_ensure_debug (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once)) {
    GST_DEBUG_CATEGORY_INIT (gst_mqtt_debug, "mqttclient", 0,
        "MQTT client shared by mqttsink and mqttsrc");
    g_once_init_leave (&once, 1);
  }
}

void
gst_mqtt_settings_init (GstMqttSettings * s, const gchar * id_prefix,
    gboolean clean_session)
{
  memset (s, 0, sizeof (*s));
  s->host = g_strdup (GST_MQTT_DEFAULT_HOST);
  s->port = GST_MQTT_DEFAULT_PORT;
  /* Unique per element: a broker disconnects the older of two clients
   * that share an id. */
  s->client_id = g_strdup_printf ("%s-%08x%08x", id_prefix, g_random_int (),
      g_random_int ());
  s->clean_session = clean_session;
  s->keepalive = GST_MQTT_DEFAULT_KEEPALIVE;
  s->connect_timeout = GST_MQTT_DEFAULT_CONNECT_TIMEOUT;
}

void
gst_mqtt_settings_clear (GstMqttSettings * s)
{
  g_free (s->host);
  g_free (s->client_id);
  g_free (s->username);
  if (s->password)
    memset (s->password, 0, strlen (s->password));
  g_free (s->password);
  g_free (s->password_file);
  g_free (s->tls_ca_file);
  g_free (s->tls_cert_file);
  g_free (s->tls_key_file);
  memset (s, 0, sizeof (*s));
}

void
gst_mqtt_settings_copy (GstMqttSettings * dest, const GstMqttSettings * src)
{
  *dest = *src;
  dest->host = g_strdup (src->host);
  dest->client_id = g_strdup (src->client_id);
  dest->username = g_strdup (src->username);
  dest->password = g_strdup (src->password);
  dest->password_file = g_strdup (src->password_file);
  dest->tls_ca_file = g_strdup (src->tls_ca_file);
  dest->tls_cert_file = g_strdup (src->tls_cert_file);
  dest->tls_key_file = g_strdup (src->tls_key_file);
}

gboolean
gst_mqtt_settings_use_tls (const GstMqttSettings * s)
{
  return (s->tls_ca_file && *s->tls_ca_file) ||
      (s->tls_cert_file && *s->tls_cert_file) || s->tls_insecure;
}

/* A key, certificate or password file is small: anything larger (or a
 * device, a FIFO) is not one, and is not read. */
#define GST_MQTT_MAX_SETTINGS_FILE_SIZE (16 * 1024 * 1024)

/* The contents of the file @path that property @prop names, or NULL with
 * @error saying which file and why. */
static gchar *
gst_mqtt_read_settings_file (const gchar * prop, const gchar * path,
    gsize * len, GError ** error)
{
  GStatBuf st;
  GError *err = NULL;
  gchar *contents = NULL;

  if (g_stat (path, &st) != 0) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "Cannot read %s \"%s\": %s", prop, path, g_strerror (errno));
    return NULL;
  }
  if (!S_ISREG (st.st_mode) || st.st_size > GST_MQTT_MAX_SETTINGS_FILE_SIZE) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "%s \"%s\" is not a regular file of at most %d bytes", prop, path,
        GST_MQTT_MAX_SETTINGS_FILE_SIZE);
    return NULL;
  }
  if (!g_file_get_contents (path, &contents, len, &err)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "Cannot read %s \"%s\": %s", prop, path, err->message);
    g_clear_error (&err);
    return NULL;
  }
  return contents;
}

/* Whether @text holds a PEM block whose label ends with @label_end
 * ("CERTIFICATE" also matches "TRUSTED CERTIFICATE"). */
static gboolean
gst_mqtt_pem_has_block (const gchar * text, gsize len, const gchar * label_end)
{
  const gchar *p = text, *end = text + len;

  while ((p = g_strstr_len (p, end - p, "-----BEGIN ")) != NULL) {
    const gchar *label = p + strlen ("-----BEGIN ");
    const gchar *close = g_strstr_len (label, end - label, "-----");

    if (!close)
      return FALSE;
    if ((gsize) (close - label) >= strlen (label_end) &&
        strncmp (close - strlen (label_end), label_end,
            strlen (label_end)) == 0)
      return TRUE;
    p = close;
  }
  return FALSE;
}

/* Checks that the file property @prop names is readable and holds a PEM
 * block ending in @label_end; @what names it in the message. */
static gboolean
gst_mqtt_check_pem_file (const gchar * prop, const gchar * path,
    const gchar * label_end, const gchar * what, GError ** error)
{
  gchar *contents;
  gsize len;
  gboolean ok;

  if (!path || !*path)
    return TRUE;
  contents = gst_mqtt_read_settings_file (prop, path, &len, error);
  if (!contents)
    return FALSE;
  ok = gst_mqtt_pem_has_block (contents, len, label_end);
  if (!ok)
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "%s \"%s\" holds no %s in PEM form (-----BEGIN ...%s-----)", prop,
        path, what, label_end);
  memset (contents, 0, len);
  g_free (contents);
  return ok;
}

gboolean
gst_mqtt_settings_load_files (GstMqttSettings * s, GError ** error)
{
  if (s->password_file && *s->password_file) {
    gsize len;
    gchar *contents = gst_mqtt_read_settings_file ("password-file",
        s->password_file, &len, error);

    if (!contents)
      return FALSE;
    if (s->password)
      memset (s->password, 0, strlen (s->password));
    g_free (s->password);
    s->password = g_strndup (contents, strcspn (contents, "\r\n"));
    memset (contents, 0, len);
    g_free (contents);
  }
  if (!gst_mqtt_check_pem_file ("tls-ca-file", s->tls_ca_file,
          "CERTIFICATE", "certificate", error))
    return FALSE;
  if (!gst_mqtt_check_pem_file ("tls-cert-file", s->tls_cert_file,
          "CERTIFICATE", "certificate", error))
    return FALSE;
  /* without tls-key-file, Paho reads the key from tls-cert-file */
  if (s->tls_key_file && *s->tls_key_file)
    return gst_mqtt_check_pem_file ("tls-key-file", s->tls_key_file,
        "PRIVATE KEY", "private key", error);
  return gst_mqtt_check_pem_file ("tls-cert-file", s->tls_cert_file,
      "PRIVATE KEY", "private key (and tls-key-file is not set)", error);
}

void
gst_mqtt_install_connection_properties (GObjectClass * klass,
    gboolean default_clean_session)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  /**
   * GstMqttSink:host:
   *
   * Host name or IP address of the MQTT broker. The lookup is synchronous
   * and happens when the element starts (READY to PAUSED).
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_HOST,
      g_param_spec_string ("host", "Host", "Broker host name or address",
          GST_MQTT_DEFAULT_HOST, rw));
  /**
   * GstMqttSink:port:
   *
   * TCP port of the broker (1883 plain, usually 8883 with TLS).
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_PORT,
      g_param_spec_int ("port", "Port", "Broker TCP port", 1, 65535,
          GST_MQTT_DEFAULT_PORT, rw));
  /**
   * GstMqttSink:client-id:
   *
   * MQTT client identifier. The default is unique per element instance
   * (a prefix and 64 random bits). Set a fixed id together with
   * clean-session=false to resume a persistent session.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_CLIENT_ID,
      g_param_spec_string ("client-id", "Client id",
          "MQTT client identifier (default: unique per element)", NULL, rw));
  /**
   * GstMqttSink:clean-session:
   *
   * Start a new session at every connection (TRUE) or resume the broker's
   * persistent session for client-id (FALSE).
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_CLEAN_SESSION,
      g_param_spec_boolean ("clean-session", "Clean session",
          "Discard the broker's session state at connect",
          default_clean_session, rw));
  /**
   * GstMqttSink:username:
   *
   * User name for the broker's authentication, NULL for none.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_USERNAME,
      g_param_spec_string ("username", "User name",
          "User name for authentication (NULL: none)", NULL, rw));
  /**
   * GstMqttSink:password:
   *
   * Password for the broker's authentication. Write-only: it can be set but
   * never read back, and it is never logged by the element. On a
   * gst-launch-1.0 command line it shows in `ps` and in GStreamer's own
   * parser log: use #GstMqttSink:password-file there.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_PASSWORD,
      g_param_spec_string ("password", "Password",
          "Password for authentication (write-only)", NULL,
          G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS | GST_PARAM_MUTABLE_READY));
  /**
   * GstMqttSink:password-file:
   *
   * A file whose first line (without the line end) is the password; read
   * when the element starts (READY to PAUSED for mqttsrc, NULL to READY
   * for mqttsink) and used instead of #GstMqttSink:password. A file that
   * cannot be read fails the start with `RESOURCE/SETTINGS` naming the
   * file. NULL: none.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_PASSWORD_FILE,
      g_param_spec_string ("password-file", "Password file",
          "File whose first line is the password (NULL: none)", NULL, rw));
  /**
   * GstMqttSink:tls-ca-file:
   *
   * PEM file of the certificate authorities trusted to sign the broker's
   * certificate. Setting it (or tls-cert-file, or tls-insecure) switches
   * the connection to TLS.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_TLS_CA_FILE,
      g_param_spec_string ("tls-ca-file", "TLS CA file",
          "PEM file of trusted CAs; enables TLS", NULL, rw));
  /**
   * GstMqttSink:tls-cert-file:
   *
   * PEM file with the client certificate (chain), for brokers that
   * require client certificates.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_TLS_CERT_FILE,
      g_param_spec_string ("tls-cert-file", "TLS client certificate",
          "PEM client certificate; enables TLS", NULL, rw));
  /**
   * GstMqttSink:tls-key-file:
   *
   * PEM file with the client's private key when it is not in
   * tls-cert-file.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_TLS_KEY_FILE,
      g_param_spec_string ("tls-key-file", "TLS client key",
          "PEM client private key", NULL, rw));
  /**
   * GstMqttSink:tls-insecure:
   *
   * Use TLS but do not verify the broker's certificate. For testing only.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_TLS_INSECURE,
      g_param_spec_boolean ("tls-insecure", "TLS insecure",
          "Use TLS without verifying the broker certificate", FALSE, rw));
  /**
   * GstMqttSink:keepalive:
   *
   * MQTT keep-alive interval in seconds: a dead connection is noticed
   * after about 1.5 times this. 0 disables keep-alive.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_KEEPALIVE,
      g_param_spec_uint ("keepalive", "Keep-alive",
          "Keep-alive interval (s, 0 = off)", 0, 65535,
          GST_MQTT_DEFAULT_KEEPALIVE, rw));
  /**
   * GstMqttSink:connect-timeout:
   *
   * How long the first connection may take (ns, rounded up to whole
   * seconds) before the element fails to start with an error naming
   * host:port.
   */
  g_object_class_install_property (klass, GST_MQTT_PROP_CONNECT_TIMEOUT,
      g_param_spec_uint64 ("connect-timeout", "Connect timeout",
          "Time allowed for the first connection (ns)", GST_SECOND,
          G_MAXUINT64, GST_MQTT_DEFAULT_CONNECT_TIMEOUT, rw));
}

gboolean
gst_mqtt_settings_set_property (GstMqttSettings * s, guint prop_id,
    const GValue * value)
{
  switch (prop_id) {
    case GST_MQTT_PROP_HOST:
      g_free (s->host);
      s->host = g_value_dup_string (value);
      if (!s->host)
        s->host = g_strdup (GST_MQTT_DEFAULT_HOST);
      break;
    case GST_MQTT_PROP_PORT:
      s->port = g_value_get_int (value);
      break;
    case GST_MQTT_PROP_CLIENT_ID:
      if (g_value_get_string (value)) {
        g_free (s->client_id);
        s->client_id = g_value_dup_string (value);
      }
      break;
    case GST_MQTT_PROP_CLEAN_SESSION:
      s->clean_session = g_value_get_boolean (value);
      break;
    case GST_MQTT_PROP_USERNAME:
      g_free (s->username);
      s->username = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_PASSWORD:
      if (s->password)
        memset (s->password, 0, strlen (s->password));
      g_free (s->password);
      s->password = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_PASSWORD_FILE:
      g_free (s->password_file);
      s->password_file = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_TLS_CA_FILE:
      g_free (s->tls_ca_file);
      s->tls_ca_file = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_TLS_CERT_FILE:
      g_free (s->tls_cert_file);
      s->tls_cert_file = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_TLS_KEY_FILE:
      g_free (s->tls_key_file);
      s->tls_key_file = g_value_dup_string (value);
      break;
    case GST_MQTT_PROP_TLS_INSECURE:
      s->tls_insecure = g_value_get_boolean (value);
      break;
    case GST_MQTT_PROP_KEEPALIVE:
      s->keepalive = g_value_get_uint (value);
      break;
    case GST_MQTT_PROP_CONNECT_TIMEOUT:
      s->connect_timeout = g_value_get_uint64 (value);
      break;
    default:
      return FALSE;
  }
  return TRUE;
}

gboolean
gst_mqtt_settings_get_property (const GstMqttSettings * s, guint prop_id,
    GValue * value)
{
  switch (prop_id) {
    case GST_MQTT_PROP_HOST:
      g_value_set_string (value, s->host);
      break;
    case GST_MQTT_PROP_PORT:
      g_value_set_int (value, s->port);
      break;
    case GST_MQTT_PROP_CLIENT_ID:
      g_value_set_string (value, s->client_id);
      break;
    case GST_MQTT_PROP_CLEAN_SESSION:
      g_value_set_boolean (value, s->clean_session);
      break;
    case GST_MQTT_PROP_USERNAME:
      g_value_set_string (value, s->username);
      break;
    case GST_MQTT_PROP_PASSWORD_FILE:
      g_value_set_string (value, s->password_file);
      break;
    case GST_MQTT_PROP_TLS_CA_FILE:
      g_value_set_string (value, s->tls_ca_file);
      break;
    case GST_MQTT_PROP_TLS_CERT_FILE:
      g_value_set_string (value, s->tls_cert_file);
      break;
    case GST_MQTT_PROP_TLS_KEY_FILE:
      g_value_set_string (value, s->tls_key_file);
      break;
    case GST_MQTT_PROP_TLS_INSECURE:
      g_value_set_boolean (value, s->tls_insecure);
      break;
    case GST_MQTT_PROP_KEEPALIVE:
      g_value_set_uint (value, s->keepalive);
      break;
    case GST_MQTT_PROP_CONNECT_TIMEOUT:
      g_value_set_uint64 (value, s->connect_timeout);
      break;
    default:
      return FALSE;
  }
  return TRUE;
}

/* Paho callbacks: they run on Paho's threads, so they only record what
 * happened and wake the owner; the owner makes every Paho call. */

static void
on_connect_success (void *context, MQTTAsync_successData * response)
{
  GstMqttClient *c = context;

  g_mutex_lock (c->lock);
  c->connect_state = 1;
  g_cond_broadcast (c->cond);
  g_mutex_unlock (c->lock);
}

static const gchar *
connack_reason (int code)
{
  switch (code) {
    case 1:
      return "the broker refused the protocol version";
    case 2:
      return "the broker rejected the client identifier";
    case 3:
      return "the broker is unavailable";
    case 4:
      return "bad user name or password";
    case 5:
      return "not authorized (wrong user name or password?)";
    default:
      return NULL;
  }
}

static void
on_connect_failure (void *context, MQTTAsync_failureData * response)
{
  GstMqttClient *c = context;
  const gchar *reason = NULL;
  gchar *text;

  if (response)
    reason = connack_reason (response->code);
  if (!reason && response && response->message)
    reason = response->message;
  if (!reason && response)
    reason = MQTTAsync_strerror (response->code);
  if (!reason)
    reason = "unknown failure";
  if (response && response->code == MQTTASYNC_FAILURE &&
      (!response->message || g_str_has_prefix (response->message, "TCP")))
    text = g_strdup ("connection refused, unreachable or closed by the "
        "broker");
  else
    text = g_strdup_printf ("%s (code %d)", reason,
        response ? response->code : 0);

  GST_DEBUG_OBJECT (c->owner, "connect to %s failed: %s", c->where, text);
  g_mutex_lock (c->lock);
  /* Only the first connection attempt reports to the owner; later ones are
   * Paho's automatic reconnects. */
  if (c->connect_state == 0) {
    c->connect_state = -1;
    g_free (c->connect_error);
    c->connect_error = text;
    text = NULL;
  }
  g_cond_broadcast (c->cond);
  g_mutex_unlock (c->lock);
  g_free (text);
}

static void
on_connected (void *context, char *cause)
{
  GstMqttClient *c = context;

  g_mutex_lock (c->lock);
  if (c->ever_connected)
    c->reconnects++;
  c->ever_connected = TRUE;
  c->connected = TRUE;
  c->connect_event = TRUE;
  if (c->connect_state == 0)
    c->connect_state = 1;
  g_cond_broadcast (c->cond);
  g_mutex_unlock (c->lock);
  GST_INFO_OBJECT (c->owner, "connected to %s", c->where);
}

static void
on_connection_lost (void *context, char *cause)
{
  GstMqttClient *c = context;

  g_mutex_lock (c->lock);
  c->connected = FALSE;
  c->disconnects++;
  g_cond_broadcast (c->cond);
  g_mutex_unlock (c->lock);
  GST_WARNING_OBJECT (c->owner, "lost the connection to %s (%s): "
      "reconnecting", c->where, cause ? cause : "no reason given");
  /* Posting does not wait for anyone (Paho calls this once per lost
   * connection, and reconnects with backoff in between). */
  GST_ELEMENT_WARNING (c->owner, RESOURCE, OPEN_READ_WRITE,
      ("Lost the connection to the MQTT broker at %s, reconnecting: %s",
          c->where, c->loss_consequence ? c->loss_consequence : ""),
      ("%s", cause ? cause : "the connection closed"));
}

/* OpenSSL's own words for a TLS failure, from Paho's threads: kept for
 * the error message, the last one wins. */
static int
on_tls_error (const char *str, size_t len, void *u)
{
  GstMqttClient *c = u;
  gchar *text = g_strstrip (g_strndup (str, len));

  GST_DEBUG_OBJECT (c->owner, "OpenSSL: %s", text);
  g_mutex_lock (c->lock);
  g_free (c->tls_error);
  c->tls_error = text;
  g_mutex_unlock (c->lock);
  return 0;
}

GstMqttClient *
gst_mqtt_client_new (GstObject * owner, GMutex * lock, GCond * cond,
    const GstMqttSettings * s, const gchar * persistence_dir,
    MQTTAsync_messageArrived * arrived, gpointer arrived_data, GError ** error)
{
  MQTTAsync_createOptions copts = MQTTAsync_createOptions_initializer;
  GstMqttClient *c;
  gboolean persist = persistence_dir && *persistence_dir;
  int rc;

  gst_mqtt_ensure_debug ();

  c = g_new0 (GstMqttClient, 1);
  c->owner = owner;
  c->lock = lock;
  c->cond = cond;
  c->where = g_strdup_printf ("%s:%d", s->host, s->port);
  c->uri = g_strdup_printf ("%s://%s:%d",
      gst_mqtt_settings_use_tls (s) ? "ssl" : "tcp", s->host, s->port);

  /* Our elements keep their own bounded queues: Paho only ever holds the
   * messages in flight, so its own buffer is never the limit. */
  copts.sendWhileDisconnected = 1;
  copts.maxBufferedMessages = 1 << 20;
  copts.MQTTVersion = MQTTVERSION_3_1_1;
  copts.restoreMessages = 1;
  /* Never used (our bound is far below maxBufferedMessages), but with it
   * off Paho counts its whole command queue at every publish. */
  copts.deleteOldestMessages = 1;

  rc = MQTTAsync_createWithOptions (&c->handle, c->uri, s->client_id,
      persist ? MQTTCLIENT_PERSISTENCE_DEFAULT : MQTTCLIENT_PERSISTENCE_NONE,
      persist ? (void *) persistence_dir : NULL, &copts);
  if (rc != MQTTASYNC_SUCCESS) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "cannot create an MQTT client for %s: %s", c->uri,
        MQTTAsync_strerror (rc));
    c->handle = NULL;
    gst_mqtt_client_free (c, 0);
    return NULL;
  }

  if (arrived)
    MQTTAsync_setMessageArrivedCallback (c->handle, arrived_data, arrived);
  MQTTAsync_setConnectionLostCallback (c->handle, c, on_connection_lost);
  MQTTAsync_setConnected (c->handle, c, on_connected);
  return c;
}

static gboolean
on_diagnosis_certificate (GTlsConnection * conn, GTlsCertificate * peer,
    GTlsCertificateFlags errors, gpointer data)
{
  *(GTlsCertificateFlags *) data = errors;
  return FALSE;
}

/* Why a TLS connection to the broker failed, in words a person can act
 * on, or NULL when it cannot be told. Paho reports an untrusted
 * certificate, a certificate for another host and a broker that hangs up
 * all as one code, and its host name check leaves no OpenSSL error behind;
 * so after a failed first connection a handshake of GIO's own
 * (glib-networking), with the same CA, client certificate and host name,
 * asks the TLS library what is wrong. It never runs on the way to a
 * working connection. */
static gchar *
gst_mqtt_diagnose_tls (GstMqttClient * c, const GstMqttSettings * s,
    gint timeout_s)
{
  GTlsCertificateFlags errors = 0;
  GSocketClient *sc;
  GSocketConnection *tcp;
  GSocketConnectable *identity = NULL;
  GIOStream *tls = NULL;
  GError *err = NULL;
  gchar *why = NULL;
  const gchar *ca = (s->tls_ca_file && *s->tls_ca_file) ? s->tls_ca_file : NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    return NULL;

  sc = g_socket_client_new ();
  g_socket_client_set_timeout (sc, timeout_s);
  tcp = g_socket_client_connect_to_host (sc, s->host, s->port, NULL, &err);
  g_object_unref (sc);
  if (!tcp)
    goto done;                  /* not a TLS matter */

  identity = g_network_address_new (s->host, s->port);
  tls = g_tls_client_connection_new (G_IO_STREAM (tcp), identity, &err);
  if (!tls)
    goto done;
  if (ca) {
    GTlsDatabase *db = g_tls_file_database_new (ca, &err);

    if (!db)
      goto done;
    g_tls_connection_set_database (G_TLS_CONNECTION (tls), db);
    g_object_unref (db);
  }
  if (s->tls_cert_file && *s->tls_cert_file) {
    GTlsCertificate *mine = g_tls_certificate_new_from_files (s->tls_cert_file,
        (s->tls_key_file && *s->tls_key_file) ? s->tls_key_file :
        s->tls_cert_file, NULL);

    if (mine) {
      g_tls_connection_set_certificate (G_TLS_CONNECTION (tls), mine);
      g_object_unref (mine);
    }
  }
  g_signal_connect (tls, "accept-certificate",
      G_CALLBACK (on_diagnosis_certificate), &errors);

  if (g_tls_connection_handshake (G_TLS_CONNECTION (tls), NULL, &err)) {
    /* TLS itself is fine: the failure was elsewhere */
    g_io_stream_close (tls, NULL, NULL);
  } else if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA) {
    why = ca ? g_strdup_printf ("its TLS certificate is not signed by a CA "
        "in tls-ca-file \"%s\"", ca) : g_strdup ("its TLS certificate is "
        "not signed by a CA this system trusts (set tls-ca-file)");
  } else if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY) {
    why = g_strdup_printf ("its TLS certificate is not valid for the host "
        "name \"%s\" (set host to a name the certificate lists)", s->host);
  } else if (errors & G_TLS_CERTIFICATE_EXPIRED) {
    why = g_strdup ("its TLS certificate has expired");
  } else if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED) {
    why = g_strdup ("its TLS certificate is not valid yet (check the "
        "clocks)");
  } else if (errors & G_TLS_CERTIFICATE_REVOKED) {
    why = g_strdup ("its TLS certificate was revoked");
  } else if (errors) {
    why = g_strdup ("its TLS certificate cannot be verified");
  } else {
    why = g_strdup_printf ("the TLS handshake failed: %s (is it a TLS "
        "port?)", err->message);
  }

done:
  if (err)
    GST_DEBUG_OBJECT (c->owner, "TLS diagnosis: %s", err->message);
  g_clear_error (&err);
  g_clear_object (&tls);
  g_clear_object (&identity);
  g_clear_object (&tcp);
  return why;
}

gboolean
gst_mqtt_client_connect (GstMqttClient * c, const GstMqttSettings * s,
    const gchar * will_topic, const gchar * will_payload, GError ** error)
{
  MQTTAsync_connectOptions opts = MQTTAsync_connectOptions_initializer;
  MQTTAsync_willOptions will = MQTTAsync_willOptions_initializer;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  gchar *why = NULL, *tls_error = NULL;
  gint timeout_s;
  gint64 deadline;
  gboolean ok;
  int rc;

  /* whole seconds, rounded up without the sum that would wrap near
   * G_MAXUINT64 */
  timeout_s = (gint) MIN (s->connect_timeout / GST_SECOND +
      (s->connect_timeout % GST_SECOND != 0), 3600);
  opts.keepAliveInterval = s->keepalive;
  opts.cleansession = s->clean_session;
  opts.maxInflight = 65535;
  opts.username = s->username;
  opts.password = s->password;
  opts.connectTimeout = timeout_s;
  opts.MQTTVersion = MQTTVERSION_3_1_1;
  opts.automaticReconnect = 1;
  opts.minRetryInterval = 1;
  opts.maxRetryInterval = 16;
  opts.onSuccess = on_connect_success;
  opts.onFailure = on_connect_failure;
  opts.context = c;
  if (will_topic && *will_topic) {
    will.topicName = will_topic;
    will.message = will_payload;
    will.retained = 1;
    will.qos = 1;
    opts.will = &will;
  }
  if (gst_mqtt_settings_use_tls (s)) {
    ssl.trustStore = (s->tls_ca_file && *s->tls_ca_file) ? s->tls_ca_file :
        NULL;
    ssl.keyStore = (s->tls_cert_file && *s->tls_cert_file) ?
        s->tls_cert_file : NULL;
    ssl.privateKey = (s->tls_key_file && *s->tls_key_file) ?
        s->tls_key_file : NULL;
    ssl.enableServerCertAuth = !s->tls_insecure;
    ssl.verify = !s->tls_insecure;
    ssl.ssl_error_cb = on_tls_error;
    ssl.ssl_error_context = c;
    opts.ssl = &ssl;
  }

  g_mutex_lock (c->lock);
  c->connect_state = 0;
  g_mutex_unlock (c->lock);

  GST_DEBUG_OBJECT (c->owner, "connecting to %s as %s", c->uri, s->client_id);
  rc = MQTTAsync_connect (c->handle, &opts);
  if (rc != MQTTASYNC_SUCCESS) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
        "%s", MQTTAsync_strerror (rc));
    return FALSE;
  }

  /* Paho enforces connectTimeout itself; the extra second is only a guard
   * should its failure callback never come. */
  deadline = g_get_monotonic_time () + (timeout_s + 1) * G_TIME_SPAN_SECOND;
  g_mutex_lock (c->lock);
  while (c->connect_state == 0) {
    if (!g_cond_wait_until (c->cond, c->lock, deadline))
      break;
  }
  ok = c->connect_state == 1;
  if (!ok) {
    why = g_strdup (c->connect_state == -1 && c->connect_error ?
        c->connect_error : "no answer within connect-timeout");
    tls_error = g_strdup (c->tls_error);
    /* from now on, a late callback must not report a first connect */
    c->connect_state = -1;
  } else {
    /* ever_connected is on_connected()'s: Paho calls it for the first
     * connection too, before or after this wakes up */
    c->connected = TRUE;
  }
  g_mutex_unlock (c->lock);
  if (ok)
    return TRUE;

  if (gst_mqtt_settings_use_tls (s) && !s->tls_insecure) {
    gchar *tls_why = gst_mqtt_diagnose_tls (c, s, timeout_s);

    if (tls_why) {
      g_free (why);
      why = tls_why;
    } else if (tls_error) {
      g_free (why);
      why = g_strdup_printf ("TLS failed: %s", tls_error);
    }
  }
  g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_OPEN_WRITE,
      "%s", why);
  g_free (why);
  g_free (tls_error);
  return FALSE;
}

void
gst_mqtt_client_free (GstMqttClient * c, gint timeout_ms)
{
  if (!c)
    return;
  if (c->handle) {
    if (MQTTAsync_isConnected (c->handle)) {
      MQTTAsync_disconnectOptions dopts =
          MQTTAsync_disconnectOptions_initializer;

      dopts.timeout = timeout_ms;
      MQTTAsync_disconnect (c->handle, &dopts);
    }
    /* MQTTAsync_destroy waits for Paho's threads to let go of the client,
     * after which no callback runs any more. */
    MQTTAsync_destroy (&c->handle);
  }
  g_free (c->connect_error);
  g_free (c->tls_error);
  g_free (c->uri);
  g_free (c->where);
  g_free (c);
}

void
gst_mqtt_escape_topic_value (GString * out, const gchar * value, gssize len)
{
  gboolean utf8;
  gsize i, n;

  n = len < 0 ? strlen (value) : (gsize) len;
  utf8 = g_utf8_validate (value, n, NULL);
  for (i = 0; i < n; i++) {
    guchar b = value[i];

    if (b == '/' || b == '+' || b == '#' || b == '$' || b == '%' || b < 0x20
        || b == 0x7f || (!utf8 && b >= 0x80))
      g_string_append_printf (out, "%%%02X", b);
    else
      g_string_append_c (out, b);
  }
}

gchar *
gst_mqtt_unescape_topic_level (const gchar * level)
{
  GString *out = g_string_new (NULL);
  const gchar *p;

  for (p = level; *p; p++) {
    if (*p == '%' && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2])) {
      gint b = g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]);

      if (b == 0)
        goto bad;
      g_string_append_c (out, (gchar) b);
      p += 2;
    } else {
      g_string_append_c (out, *p);
    }
  }
  if (!g_utf8_validate (out->str, out->len, NULL))
    goto bad;
  return g_string_free (out, FALSE);

bad:
  g_string_free (out, TRUE);
  return NULL;
}

gboolean
gst_mqtt_topic_is_valid (const gchar * topic, gboolean filter, GError ** error)
{
  gchar **levels;
  guint i, n;
  gboolean ok = TRUE;

  if (!topic || !*topic) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "empty topic");
    return FALSE;
  }
  if (strlen (topic) > 65535 || !g_utf8_validate (topic, -1, NULL)) {
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "topic \"%s\" is too long or not UTF-8", topic);
    return FALSE;
  }
  levels = g_strsplit (topic, "/", -1);
  n = g_strv_length (levels);
  for (i = 0; i < n && ok; i++) {
    const gchar *l = levels[i];

    if (!filter && (strchr (l, '+') || strchr (l, '#')))
      ok = FALSE;
    else if (strchr (l, '+') && strcmp (l, "+") != 0)
      ok = FALSE;
    else if (strchr (l, '#') && (strcmp (l, "#") != 0 || i != n - 1))
      ok = FALSE;
  }
  g_strfreev (levels);
  if (!ok)
    g_set_error (error, GST_RESOURCE_ERROR, GST_RESOURCE_ERROR_SETTINGS,
        "topic \"%s\": wildcards are %s", topic, filter ?
        "only allowed as a whole level ('#' last)" : "not allowed here");
  return ok;
}
