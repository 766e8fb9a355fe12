/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#include <signal.h>
#include <string.h>

#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>

#include "mosquittoready.h"
#include "mqttbroker.h"

#define MOSQUITTO "/usr/sbin/mosquitto"
#define PYTHON "/usr/bin/python3"

void
mqtt_require_tools (void)
{
  const gchar *tools[] = { MOSQUITTO, "/usr/bin/mosquitto_pub",
    "/usr/bin/mosquitto_sub", PYTHON
  };
  const gchar *argv[] = { PYTHON, "-c", "import paho.mqtt.client", NULL };
  const gchar *missing = NULL;
  gint status = -1;
  guint i;

  for (i = 0; i < G_N_ELEMENTS (tools) && !missing; i++)
    if (!g_file_test (tools[i], G_FILE_TEST_IS_EXECUTABLE))
      missing = tools[i];
  if (!missing && (!g_spawn_sync (NULL, (gchar **) argv, NULL,
              G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
              NULL, NULL, NULL, &status, NULL) ||
          !g_spawn_check_wait_status (status, NULL)))
    missing = "Python's paho.mqtt";
  if (!missing)
    return;
  g_printerr ("SKIP: %s is not installed (Debian packages mosquitto, "
      "mosquitto-clients, python3-paho-mqtt; scripts/setup.sh installs "
      "them)\n", missing);
  exit (77);
}

struct _MqttBroker
{
  gchar *dir;
  gchar *conf;
  guint port;
  GSubprocess *proc;
};

guint
mqtt_free_port (void)
{
  GSocket *sock;
  GInetAddress *lo;
  GSocketAddress *addr, *bound;
  guint port;

  sock = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
      G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_nonnull (sock);
  lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  addr = g_inet_socket_address_new (lo, 0);
  g_assert_true (g_socket_bind (sock, addr, FALSE, NULL));
  bound = g_socket_get_local_address (sock, NULL);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (sock, NULL);
  g_object_unref (bound);
  g_object_unref (addr);
  g_object_unref (lo);
  g_object_unref (sock);
  return port;
}

static void
broker_spawn (MqttBroker * b)
{
  GError *err = NULL;
  GString *log = g_string_new (NULL);
  GInputStream *err_pipe;

  b->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
      G_SUBPROCESS_FLAGS_STDERR_PIPE, &err, MOSQUITTO, "-c", b->conf, NULL);
  g_assert_no_error (err);
  /* the broker, not an element under test, is what is waited for */
  err_pipe = g_subprocess_get_stderr_pipe (b->proc);
  if (!mosquitto_wait_running (g_unix_input_stream_get_fd
          (G_UNIX_INPUT_STREAM (err_pipe)), 10 * G_TIME_SPAN_SECOND, log))
    g_error ("mosquitto did not come up on port %u: %s", b->port, log->str);
  g_input_stream_close (err_pipe, NULL, NULL);
  g_string_free (log, TRUE);
}

static MqttBroker *
broker_new_with (const gchar * listener_conf, const gchar * extra_conf,
    gboolean anonymous)
{
  MqttBroker *b = g_new0 (MqttBroker, 1);
  GError *err = NULL;
  GString *conf = g_string_new (NULL);

  b->dir = g_dir_make_tmp ("gstweather-mqtt-XXXXXX", &err);
  g_assert_no_error (err);
  b->port = mqtt_free_port ();
  b->conf = g_build_filename (b->dir, "mosquitto.conf", NULL);

  /* mosquitto started by root drops to this user: keep the current one so
   * it can write its persistence file in the temp dir */
  g_string_append_printf (conf, "user %s\n", g_get_user_name ());
  g_string_append (conf, "per_listener_settings false\n");
  if (listener_conf) {
    g_string_append (conf, listener_conf);
    g_string_append_c (conf, '\n');
  } else {
    g_string_append_printf (conf, "listener %u 127.0.0.1\n", b->port);
  }
  g_string_append_printf (conf, "allow_anonymous %s\n",
      anonymous ? "true" : "false");
  /* unlimited queues for slow subscribers: a test counting messages must
   * measure the elements, not the broker's default limits */
  g_string_append (conf, "max_queued_messages 0\n");
  g_string_append (conf, "max_inflight_messages 0\n");
  g_string_append (conf, "persistence true\n");
  g_string_append_printf (conf, "persistence_location %s/\n", b->dir);
  g_string_append (conf, "autosave_interval 1\n");
  g_string_append (conf, "log_dest stderr\n");
  /* information: the "running" line broker_spawn() waits for */
  g_string_append (conf, "log_type error\nlog_type warning\n"
      "log_type notice\nlog_type information\n");
  if (extra_conf) {
    g_string_append (conf, extra_conf);
    g_string_append_c (conf, '\n');
  }
  {
    gchar *port = g_strdup_printf ("%u", b->port);

    g_string_replace (conf, "@DIR@", b->dir, 0);
    g_string_replace (conf, "@PORT@", port, 0);
    g_free (port);
  }
  g_file_set_contents (b->conf, conf->str, -1, &err);
  g_assert_no_error (err);
  g_string_free (conf, TRUE);

  broker_spawn (b);
  return b;
}

MqttBroker *
mqtt_broker_new (const gchar * extra_conf)
{
  return broker_new_with (NULL, extra_conf, TRUE);
}

MqttBroker *
mqtt_broker_new_custom (const gchar * listener_conf)
{
  return broker_new_with (listener_conf, NULL, FALSE);
}

guint
mqtt_broker_port (MqttBroker * b)
{
  return b->port;
}

const gchar *
mqtt_broker_dir (MqttBroker * b)
{
  return b->dir;
}

gboolean
mqtt_broker_running (MqttBroker * b)
{
  return b->proc != NULL;
}

gboolean
mqtt_broker_wait_saved (MqttBroker * b)
{
  gchar *db = g_build_filename (b->dir, "mosquitto.db", NULL);
  gint64 deadline = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;
  GMutex m;
  GCond c;
  gboolean saved;

  /* the broker is another process: nothing to wake us, poll the file */
  g_mutex_init (&m);
  g_cond_init (&c);
  g_mutex_lock (&m);
  while (!(saved = g_file_test (db, G_FILE_TEST_EXISTS)) &&
      g_get_monotonic_time () < deadline)
    g_cond_wait_until (&c, &m, g_get_monotonic_time () +
        50 * G_TIME_SPAN_MILLISECOND);
  g_mutex_unlock (&m);
  g_mutex_clear (&m);
  g_cond_clear (&c);
  g_free (db);
  return saved;
}

void
mqtt_broker_kill (MqttBroker * b)
{
  const gchar *pid;

  if (!b->proc)
    return;
  /* kill(2) now: g_subprocess_send_signal() only queues the signal for
   * GLib's worker thread */
  pid = g_subprocess_get_identifier (b->proc);
  if (pid)
    kill ((pid_t) atoi (pid), SIGKILL);
  g_subprocess_wait (b->proc, NULL, NULL);
  g_clear_object (&b->proc);
}

void
mqtt_broker_freeze (MqttBroker * b)
{
  const gchar *pid = b->proc ? g_subprocess_get_identifier (b->proc) : NULL;

  if (pid)
    kill ((pid_t) atoi (pid), SIGSTOP);
}

void
mqtt_broker_thaw (MqttBroker * b)
{
  const gchar *pid = b->proc ? g_subprocess_get_identifier (b->proc) : NULL;

  if (pid)
    kill ((pid_t) atoi (pid), SIGCONT);
}

void
mqtt_broker_restart (MqttBroker * b)
{
  mqtt_broker_kill (b);
  broker_spawn (b);
}

static void
remove_tree (const gchar * path)
{
  GDir *d = g_dir_open (path, 0, NULL);
  const gchar *name;

  if (d) {
    while ((name = g_dir_read_name (d))) {
      gchar *p = g_build_filename (path, name, NULL);

      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        remove_tree (p);
      else
        g_unlink (p);
      g_free (p);
    }
    g_dir_close (d);
  }
  g_rmdir (path);
}

void
mqtt_broker_free (MqttBroker * b)
{
  mqtt_broker_kill (b);
  remove_tree (b->dir);
  g_free (b->dir);
  g_free (b->conf);
  g_free (b);
}

gchar *
mqtt_run_command (const gchar * const *argv, gint timeout_s, gint * status)
{
  GError *err = NULL;
  GSubprocess *p;
  GBytes *out = NULL;
  gchar *text;
  gsize len;

  p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE |
      G_SUBPROCESS_FLAGS_STDERR_MERGE, &err);
  g_assert_no_error (err);
  /* the tools we run (openssl, mosquitto_passwd, mosquitto_pub/sub with
   * -C or -W) end by themselves; -W bounds the waiting ones */
  g_subprocess_communicate (p, NULL, NULL, &out, NULL, &err);
  g_assert_no_error (err);
  if (status)
    *status = g_subprocess_get_status (p);
  text = g_bytes_unref_to_data (out, &len);
  text = g_realloc (text, len + 1);
  text[len] = '\0';
  g_object_unref (p);
  (void) timeout_s;
  return text;
}

/* The subscriber: Python paho (1.6 API). One line per event on stdout:
 * "READY" after the first SUBACK, "CONN" at every connection, and
 * "M <topic hex> <payload hex> <qos> <retain>" per message. */
static const gchar *subscriber_py =
    "import sys, binascii, paho.mqtt.client as mqtt\n"
    "port, topic, qos, cid, persistent, user, pw, ca = sys.argv[1:9]\n"
    "c = mqtt.Client(client_id=cid, clean_session=(persistent != '1'))\n"
    "if user: c.username_pw_set(user, pw)\n"
    "if ca: c.tls_set(ca_certs=ca)\n"
    "c.max_inflight_messages_set(1000)\n"
    "c.reconnect_delay_set(1, 2)\n"
    "st = {'ready': False}\n"
    "def on_connect(cl, u, f, rc):\n"
    "    print('CONN %d' % rc, flush=True)\n"
    "    if rc == 0: cl.subscribe(topic, int(qos))\n"
    "def on_subscribe(cl, u, mid, q):\n"
    "    if not st['ready']:\n"
    "        st['ready'] = True\n"
    "        print('READY', flush=True)\n"
    "def on_message(cl, u, m):\n"
    "    sys.stdout.write('M %s %s %d %d\\n' % (binascii.hexlify(m.topic.encode('utf-8', 'surrogateescape') if isinstance(m.topic, str) else m.topic).decode() or '-', binascii.hexlify(m.payload).decode() or '-', m.qos, 1 if m.retain else 0))\n"
    "    sys.stdout.flush()\n"
    "c.on_connect = on_connect\n"
    "c.on_subscribe = on_subscribe\n"
    "c.on_message = on_message\n"
    "c.connect('127.0.0.1', int(port), 5)\n"
    "c.loop_forever(retry_first_connection=True)\n";

struct _MqttSubscriber
{
  GSubprocess *proc;
  GThread *reader;
  GMutex lock;
  GCond cond;
  /* guarded by lock */
  GPtrArray *messages;
  gboolean ready;
  gboolean eof;
  guint connections;
};

void
mqtt_message_free (MqttMessage * m)
{
  g_free (m->topic);
  g_bytes_unref (m->payload);
  g_free (m);
}

static guint8 *
unhex (const gchar * hex, gsize * len)
{
  gsize n = strcmp (hex, "-") == 0 ? 0 : strlen (hex) / 2, i;
  guint8 *out = g_malloc (n + 1);

  for (i = 0; i < n; i++)
    out[i] = g_ascii_xdigit_value (hex[2 * i]) * 16 +
        g_ascii_xdigit_value (hex[2 * i + 1]);
  out[n] = 0;
  *len = n;
  return out;
}

static gpointer
subscriber_reader (gpointer data)
{
  MqttSubscriber *s = data;
  GDataInputStream *in =
      g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  gchar *line;

  while ((line = g_data_input_stream_read_line (in, NULL, NULL, NULL))) {
    g_mutex_lock (&s->lock);
    if (g_str_equal (line, "READY")) {
      s->ready = TRUE;
    } else if (g_str_has_prefix (line, "CONN")) {
      s->connections++;
    } else if (g_str_has_prefix (line, "M ")) {
      gchar **f = g_strsplit (line, " ", -1);

      if (g_strv_length (f) == 5) {
        MqttMessage *m = g_new0 (MqttMessage, 1);
        gsize len;
        guint8 *p;

        m->topic = (gchar *) unhex (f[1], &len);
        p = unhex (f[2], &len);
        m->payload = g_bytes_new_take (p, len);
        m->qos = atoi (f[3]);
        m->retain = atoi (f[4]);
        g_ptr_array_add (s->messages, m);
      }
      g_strfreev (f);
    }
    g_cond_broadcast (&s->cond);
    g_mutex_unlock (&s->lock);
    g_free (line);
  }
  g_mutex_lock (&s->lock);
  s->eof = TRUE;
  g_cond_broadcast (&s->cond);
  g_mutex_unlock (&s->lock);
  g_object_unref (in);
  return NULL;
}

MqttSubscriber *
mqtt_subscriber_new (guint port, const gchar * topic, gint qos,
    const MqttSubscriberOptions * opts)
{
  MqttSubscriber *s = g_new0 (MqttSubscriber, 1);
  MqttSubscriberOptions none = { NULL, };
  gchar *port_s = g_strdup_printf ("%u", port);
  gchar *qos_s = g_strdup_printf ("%d", qos);
  gchar *cid;
  GError *err = NULL;
  gint64 deadline;
  gboolean ready;

  if (!opts)
    opts = &none;
  cid = opts->client_id ? g_strdup (opts->client_id) :
      g_strdup_printf ("test-sub-%08x", g_random_int ());
  g_mutex_init (&s->lock);
  g_cond_init (&s->cond);
  s->messages = g_ptr_array_new_with_free_func ((GDestroyNotify)
      mqtt_message_free);
  s->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err, PYTHON,
      "-c", subscriber_py, port_s, topic, qos_s, cid,
      opts->persistent ? "1" : "0", opts->username ? opts->username : "",
      opts->password ? opts->password : "", opts->ca_file ? opts->ca_file :
      "", NULL);
  g_assert_no_error (err);
  s->reader = g_thread_new ("mqtt-sub-reader", subscriber_reader, s);
  g_free (port_s);
  g_free (qos_s);
  g_free (cid);

  deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  g_mutex_lock (&s->lock);
  while (!s->ready && !s->eof)
    if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
      break;
  ready = s->ready;
  g_mutex_unlock (&s->lock);
  if (!ready) {
    mqtt_subscriber_free (s);
    return NULL;
  }
  return s;
}

guint
mqtt_subscriber_wait (MqttSubscriber * s, guint n, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  guint got;

  g_mutex_lock (&s->lock);
  while (s->messages->len < n && !s->eof)
    if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
      break;
  got = s->messages->len;
  g_mutex_unlock (&s->lock);
  return got;
}

GPtrArray *
mqtt_subscriber_messages (MqttSubscriber * s)
{
  return s->messages;
}

guint
mqtt_subscriber_connections (MqttSubscriber * s)
{
  guint n;

  g_mutex_lock (&s->lock);
  n = s->connections;
  g_mutex_unlock (&s->lock);
  return n;
}

void
mqtt_subscriber_free (MqttSubscriber * s)
{
  g_subprocess_send_signal (s->proc, SIGKILL);
  g_subprocess_wait (s->proc, NULL, NULL);
  g_thread_join (s->reader);
  g_object_unref (s->proc);
  g_ptr_array_unref (s->messages);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->cond);
  g_free (s);
}

static const gchar *paced_publisher_py =
    "import sys, time, json, paho.mqtt.client as mqtt\n"
    "port, prefix, rate, count, qos = sys.argv[1:6]\n"
    "rate, count, qos = int(rate), int(count), int(qos)\n"
    "c = mqtt.Client(client_id='', clean_session=True)\n"
    "c.max_inflight_messages_set(1000)\n"
    "c.max_queued_messages_set(0)\n"
    "c.connect('127.0.0.1', int(port), 30)\n"
    "c.loop_start()\n"
    "t0 = time.time()\n"
    "infos = []\n"
    "for i in range(count):\n"
    "    d = t0 + i / rate - time.time()\n"
    "    if d > 0: time.sleep(d)\n"
    "    st = 'st-%d' % (i % 10)\n"
    "    p = json.dumps({'station': st, 'created_at': int(time.time() * 1000),\n"
    "        'sequence': i, 'temperature_c': 20.5, 'pressure_hpa': 1013.25})\n"
    "    infos.append(c.publish('%s/%s' % (prefix, st), p, qos))\n"
    "for i in infos: i.wait_for_publish(120)\n"
    "print(sum(1 for i in infos if i.is_published()), flush=True)\n"
    "c.disconnect()\n" "c.loop_stop()\n";

struct _MqttPacedPublisher
{
  GSubprocess *proc;
};

MqttPacedPublisher *
mqtt_paced_publisher_start (guint port, const gchar * prefix, guint rate,
    guint count, gint qos)
{
  MqttPacedPublisher *p = g_new0 (MqttPacedPublisher, 1);
  gchar *port_s = g_strdup_printf ("%u", port);
  gchar *rate_s = g_strdup_printf ("%u", rate);
  gchar *count_s = g_strdup_printf ("%u", count);
  gchar *qos_s = g_strdup_printf ("%d", qos);
  GError *err = NULL;

  p->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &err, PYTHON,
      "-c", paced_publisher_py, port_s, prefix, rate_s, count_s, qos_s, NULL);
  g_assert_no_error (err);
  g_free (port_s);
  g_free (rate_s);
  g_free (count_s);
  g_free (qos_s);
  return p;
}

guint
mqtt_paced_publisher_finish (MqttPacedPublisher * p, gint timeout_s)
{
  GInputStream *out = g_subprocess_get_stdout_pipe (p->proc);
  GPollFD pfd = { g_unix_input_stream_get_fd (G_UNIX_INPUT_STREAM (out)),
    G_IO_IN | G_IO_HUP, 0
  };
  gchar buf[64] = { 0, };
  gssize n = 0;
  guint published = 0;

  /* the publisher prints its count once done, then exits */
  if (g_poll (&pfd, 1, timeout_s * 1000) > 0)
    n = g_input_stream_read (out, buf, sizeof (buf) - 1, NULL, NULL);
  if (n > 0)
    published = (guint) g_ascii_strtoull (buf, NULL, 10);
  g_subprocess_force_exit (p->proc);
  g_subprocess_wait (p->proc, NULL, NULL);
  g_object_unref (p->proc);
  g_free (p);
  return published;
}

struct _MqttSeen
{
  MqttSubscriber *sub;
  guint scanned;                /* messages looked at */
  GHashTable *keys;             /* station_id << 32 | sequence */
  guint duplicates;
  guint other;
};

MqttSeen *
mqtt_seen_new (MqttSubscriber * sub)
{
  MqttSeen *seen = g_new0 (MqttSeen, 1);

  seen->sub = sub;
  seen->keys = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
      NULL);
  return seen;
}

static guint64
payload_number (const gchar * text, gsize len, const gchar * field,
    gboolean * found)
{
  gchar *needle = g_strdup_printf ("\"%s\":", field);
  const gchar *at = g_strstr_len (text, len, needle);
  guint64 v = 0;

  *found = at != NULL;
  if (at)
    v = g_ascii_strtoull (at + strlen (needle), NULL, 10);
  g_free (needle);
  return v;
}

void
mqtt_seen_update (MqttSeen * seen)
{
  MqttSubscriber *s = seen->sub;

  g_mutex_lock (&s->lock);
  for (; seen->scanned < s->messages->len; seen->scanned++) {
    MqttMessage *m = g_ptr_array_index (s->messages, seen->scanned);
    gsize len;
    const gchar *text = g_bytes_get_data (m->payload, &len);
    gboolean has_seq, has_station;
    guint64 seq = payload_number (text, len, "sequence", &has_seq);
    guint64 station = payload_number (text, len, "station_id", &has_station);
    gint64 key = (gint64) ((station << 32) | (seq & 0xffffffff));

    if (!has_seq)
      seen->other++;
    else if (g_hash_table_contains (seen->keys, &key))
      seen->duplicates++;
    else
      g_hash_table_add (seen->keys, g_memdup2 (&key, sizeof (key)));
  }
  g_mutex_unlock (&s->lock);
}

guint
mqtt_seen_wait (MqttSeen * seen, guint unique, gint timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + timeout_s * G_TIME_SPAN_SECOND;
  MqttSubscriber *s = seen->sub;

  mqtt_seen_update (seen);
  while (g_hash_table_size (seen->keys) < unique) {
    gboolean more;

    g_mutex_lock (&s->lock);
    while (s->messages->len == seen->scanned && !s->eof)
      if (!g_cond_wait_until (&s->cond, &s->lock, deadline))
        break;
    more = s->messages->len > seen->scanned;
    g_mutex_unlock (&s->lock);
    if (!more)
      break;
    mqtt_seen_update (seen);
  }
  return g_hash_table_size (seen->keys);
}

guint
mqtt_seen_unique (MqttSeen * seen)
{
  return g_hash_table_size (seen->keys);
}

guint
mqtt_seen_duplicates (MqttSeen * seen)
{
  return seen->duplicates;
}

guint
mqtt_seen_other (MqttSeen * seen)
{
  return seen->other;
}

void
mqtt_seen_free (MqttSeen * seen)
{
  g_hash_table_unref (seen->keys);
  g_free (seen);
}

MqttMessage *
mqtt_message_new (const gchar * topic, gconstpointer payload, gsize size)
{
  MqttMessage *m = g_new0 (MqttMessage, 1);

  m->topic = g_strdup (topic);
  m->payload = g_bytes_new (payload, size);
  return m;
}

/* The publisher reads records "<topic len> <payload len>\n<topic><payload>"
 * from a file and publishes them in order. */
static const gchar *publisher_py =
    "import sys, paho.mqtt.client as mqtt\n"
    "port, path, qos, retain = sys.argv[1:5]\n"
    "c = mqtt.Client(client_id='', clean_session=True)\n"
    "c.max_inflight_messages_set(200)\n"
    "c.max_queued_messages_set(0)\n"
    "c.connect('127.0.0.1', int(port), 30)\n"
    "c.loop_start()\n"
    "infos = []\n"
    "with open(path, 'rb') as f:\n"
    "    while True:\n"
    "        head = f.readline()\n"
    "        if not head: break\n"
    "        tl, pl = [int(x) for x in head.split()]\n"
    "        topic = f.read(tl).decode('utf-8')\n"
    "        payload = f.read(pl)\n"
    "        infos.append(c.publish(topic, payload, int(qos), retain == '1'))\n"
    "for i in infos: i.wait_for_publish(60)\n"
    "ok = all(i.is_published() for i in infos)\n"
    "c.disconnect()\n" "c.loop_stop()\n" "sys.exit(0 if ok else 1)\n";

gboolean
mqtt_publish (guint port, GPtrArray * messages, gint qos, gboolean retain)
{
  GError *err = NULL;
  gchar *path, *port_s, *qos_s;
  GString *data = g_string_new (NULL);
  GSubprocess *p;
  gint fd;
  guint i;
  gboolean ok;

  for (i = 0; i < messages->len; i++) {
    MqttMessage *m = g_ptr_array_index (messages, i);
    gsize len;
    gconstpointer d = g_bytes_get_data (m->payload, &len);

    g_string_append_printf (data, "%" G_GSIZE_FORMAT " %" G_GSIZE_FORMAT
        "\n", strlen (m->topic), len);
    g_string_append (data, m->topic);
    g_string_append_len (data, d, len);
  }
  fd = g_file_open_tmp ("gstweather-pub-XXXXXX", &path, &err);
  g_assert_no_error (err);
  close (fd);
  g_file_set_contents (path, data->str, data->len, &err);
  g_assert_no_error (err);
  g_string_free (data, TRUE);

  port_s = g_strdup_printf ("%u", port);
  qos_s = g_strdup_printf ("%d", qos);
  p = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &err, PYTHON, "-c",
      publisher_py, port_s, path, qos_s, retain ? "1" : "0", NULL);
  g_assert_no_error (err);
  ok = g_subprocess_wait_check (p, NULL, NULL);
  g_object_unref (p);
  g_unlink (path);
  g_free (path);
  g_free (port_s);
  g_free (qos_s);
  return ok;
}
