/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every element of the weather plugin through every state change,
 * repeatedly (in the manner of gstreamer/tests/check/generic/states.c), with
 * the leaks tracer counting what stays alive. Elements are found in the
 * registry, so a new element is covered without touching this file.
 * GST_STATE_IGNORE_ELEMENTS (space separated factory names) skips some.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <gst/check/gstcheck.h>

#include <glib/gstdio.h>

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "../../leaks/leakcheck.h"
#include "../mosquittoready.h"

/* Rounds through every state for each element instance. */
#define STATE_ROUNDS 3
/* Fresh instances per element between the two leak checkpoints. */
#define INSTANCES 5

static GList *elements = NULL;

/* A private Mosquitto for the network elements, on a free loopback port;
 * 0 when /usr/sbin/mosquitto is not installed. */
static guint broker_port = 0;
static GPid broker_pid = 0;
static gchar *broker_dir = NULL;

/* A port nothing listens on: bound to 127.0.0.1:0, read, released. */
static guint
free_port (void)
{
  struct sockaddr_in addr;
  socklen_t len = sizeof (addr);
  gint fd = socket (AF_INET, SOCK_STREAM, 0);
  guint port = 0;

  memset (&addr, 0, sizeof (addr));
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  if (fd >= 0 && bind (fd, (struct sockaddr *) &addr, sizeof (addr)) == 0 &&
      getsockname (fd, (struct sockaddr *) &addr, &len) == 0)
    port = ntohs (addr.sin_port);
  if (fd >= 0)
    close (fd);
  return port;
}

static void
start_broker (void)
{
  const gchar *mosquitto = "/usr/sbin/mosquitto";
  gchar *conf, *conf_path;
  gchar *argv[4] = { NULL, };
  GError *error = NULL;
  gint err_fd = -1;

  if (!g_file_test (mosquitto, G_FILE_TEST_IS_EXECUTABLE))
    return;
  broker_dir = g_dir_make_tmp ("weather-states-XXXXXX", NULL);
  fail_unless (broker_dir != NULL);
  broker_port = free_port ();
  conf = g_strdup_printf ("listener %u 127.0.0.1\nallow_anonymous true\n"
      "persistence false\n", broker_port);
  conf_path = g_build_filename (broker_dir, "mosquitto.conf", NULL);
  fail_unless (g_file_set_contents (conf_path, conf, -1, NULL));
  argv[0] = (gchar *) mosquitto;
  argv[1] = (gchar *) "-c";
  argv[2] = conf_path;
  fail_unless (g_spawn_async_with_pipes (NULL, argv, NULL,
          G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
          &broker_pid, NULL, NULL, &err_fd, &error),
      "cannot start mosquitto: %s", error ? error->message : "");
  fail_unless (mosquitto_wait_running (err_fd, 10 * G_TIME_SPAN_SECOND,
          NULL), "mosquitto did not start listening on port %u", broker_port);
  close (err_fd);
  g_free (conf);
  g_free (conf_path);
}

static void
stop_broker (void)
{
  if (broker_pid) {
    kill (broker_pid, SIGTERM);
    waitpid (broker_pid, NULL, 0);
    g_spawn_close_pid (broker_pid);
    broker_pid = 0;
  }
  if (broker_dir) {
    gchar *conf_path = g_build_filename (broker_dir, "mosquitto.conf", NULL);

    g_unlink (conf_path);
    g_rmdir (broker_dir);
    g_free (conf_path);
    g_clear_pointer (&broker_dir, g_free);
  }
  broker_port = 0;
}

static void
setup (void)
{
  GList *features, *f;
  const gchar *ignore_env = g_getenv ("GST_STATE_IGNORE_ELEMENTS");
  gchar **ignore = g_strsplit (ignore_env ? ignore_env : "", " ", -1);

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      "weather");
  for (f = features; f != NULL; f = f->next) {
    const gchar *name = gst_plugin_feature_get_name (f->data);

    if (!GST_IS_ELEMENT_FACTORY (f->data))
      continue;
    if (g_strv_contains ((const gchar * const *) ignore, name)) {
      GST_INFO ("ignoring element %s", name);
      continue;
    }
    elements = g_list_prepend (elements, g_strdup (name));
  }
  elements = g_list_sort (elements, (GCompareFunc) g_strcmp0);
  gst_plugin_feature_list_free (features);
  g_strfreev (ignore);
}

static void
teardown (void)
{
  g_list_free_full (elements, g_free);
  elements = NULL;
}

/* Network elements talk to the private broker, with a timeout that a
 * loaded machine running the sanitizer build does not reach (a connection
 * and a subscription take 10-110 ms there, mostly Paho's 100 ms cycle);
 * without a broker, they must fail fast on a loopback port nobody listens
 * on, with a short timeout. */
static void
configure_element (GstElement * element)
{
  GObjectClass *klass = G_OBJECT_GET_CLASS (element);
  GParamSpec *pspec;
  guint timeout_s = broker_port ? 20 : 1;

  if (g_object_class_find_property (klass, "host"))
    g_object_set (element, "host", "127.0.0.1", NULL);
  if (g_object_class_find_property (klass, "port"))
    g_object_set (element, "port", broker_port ? broker_port : 9, NULL);
  pspec = g_object_class_find_property (klass, "connect-timeout");
  if (pspec != NULL && G_IS_PARAM_SPEC_UINT64 (pspec))
    g_object_set (element, "connect-timeout",
        MAX (G_PARAM_SPEC_UINT64 (pspec)->minimum, timeout_s * GST_SECOND),
        NULL);
  else if (pspec != NULL && G_IS_PARAM_SPEC_UINT (pspec))
    g_object_set (element, "connect-timeout",
        MAX (G_PARAM_SPEC_UINT (pspec)->minimum, timeout_s), NULL);
}

/* Without a broker, network elements may refuse to start; everything
 * else must go through every state. */
static gboolean
may_fail_to_start (GstElement * element)
{
  return broker_port == 0 &&
      g_object_class_find_property (G_OBJECT_GET_CLASS (element),
      "port") != NULL;
}

/* The text of the first error @element posted on @bus, or "no error
 * message"; free with g_free(). */
static gchar *
posted_error (GstElement * element, GstBus * bus)
{
  GstMessage *msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  GError *err = NULL;
  gchar *dbg = NULL, *text;

  if (msg == NULL)
    return g_strdup ("no error message");
  gst_message_parse_error (msg, &err, &dbg);
  text = g_strdup_printf ("%s (%s)", err->message, dbg ? dbg : "");
  g_clear_error (&err);
  g_free (dbg);
  gst_message_unref (msg);
  return text;
}

static void
set_state_checked (GstElement * element, GstBus * bus, GstState state)
{
  GstStateChangeReturn ret = gst_element_set_state (element, state);

  if (ret == GST_STATE_CHANGE_FAILURE && (state == GST_STATE_NULL ||
          !may_fail_to_start (element))) {
    gchar *why = posted_error (element, bus);

    fail ("%s failed to go to %s: %s", GST_ELEMENT_NAME (element),
        gst_element_state_get_name (state), why);
    g_free (why);
  }
}

/* Requests two pads of every request template, so that request pads are
 * cycled and released too. */
static void
request_pads (GstElement * element)
{
  GList *templates =
      gst_element_class_get_pad_template_list (GST_ELEMENT_GET_CLASS (element));
  GList *l;

  for (l = templates; l != NULL; l = l->next) {
    GstPadTemplate *templ = l->data;
    GstPad *a, *b;

    if (GST_PAD_TEMPLATE_PRESENCE (templ) != GST_PAD_REQUEST)
      continue;
    a = gst_element_request_pad (element, templ, NULL, NULL);
    b = gst_element_request_pad (element, templ, NULL, NULL);
    fail_unless (a != NULL && b != NULL, "%s refused a %s pad",
        GST_ELEMENT_NAME (element), GST_PAD_TEMPLATE_NAME_TEMPLATE (templ));
    /* One is released by hand, the other when the element goes away. */
    gst_element_release_request_pad (element, a);
    gst_object_unref (a);
    gst_object_unref (b);
  }
}

static void
cycle_element (const gchar * name)
{
  GstElement *element = gst_element_factory_make (name, NULL);
  GstBus *bus = gst_bus_new ();
  gint i;

  fail_unless (element != NULL, "could not make %s", name);
  gst_element_set_bus (element, bus);
  configure_element (element);
  request_pads (element);

  for (i = 0; i < STATE_ROUNDS; i++) {
    set_state_checked (element, bus, GST_STATE_READY);
    set_state_checked (element, bus, GST_STATE_PAUSED);
    set_state_checked (element, bus, GST_STATE_PLAYING);
    set_state_checked (element, bus, GST_STATE_PAUSED);
    set_state_checked (element, bus, GST_STATE_READY);
    set_state_checked (element, bus, GST_STATE_NULL);
    /* The same, skipping intermediate states in both directions. */
    set_state_checked (element, bus, GST_STATE_PLAYING);
    set_state_checked (element, bus, GST_STATE_NULL);
    set_state_checked (element, bus, GST_STATE_PAUSED);
    set_state_checked (element, bus, GST_STATE_NULL);
  }

  /* Messages posted by unlinked elements (not-linked errors, state
   * changes) hold references to the element: drop them first. */
  gst_bus_set_flushing (bus, TRUE);
  gst_element_set_bus (element, NULL);
  gst_object_unref (bus);
  ASSERT_OBJECT_REFCOUNT (element, name, 1);
  gst_object_unref (element);
}

GST_START_TEST (test_state_changes_up_and_down_seq)
{
  GList *l;

  fail_unless (elements != NULL, "no element found in plugin weather");
  for (l = elements; l != NULL; l = l->next) {
    gint i;

    GST_DEBUG ("testing element %s", (gchar *) l->data);
    /* The first instance may create what lives for the whole process
     * (types, class data, a shared clock). */
    cycle_element (l->data);
    weather_leaks_begin ();
    for (i = 0; i < INSTANCES; i++)
      cycle_element (l->data);
    weather_leaks_assert_none (l->data);
  }
}

GST_END_TEST;

GST_START_TEST (test_plugin_has_every_element)
{
  static const gchar *expected[] = { "weathersrc", "weatherparse",
    "weatherenc", "demux", "reorderqueue", "grouper", "predictor",
    "weatherbin", NULL
  };
  GstPlugin *plugin = gst_registry_find_plugin (gst_registry_get (),
      "weather");
  gint i;

  fail_unless (plugin != NULL, "the weather plugin is not in the registry");
  gst_object_unref (plugin);
  for (i = 0; expected[i] != NULL; i++) {
    GstElementFactory *factory = gst_element_factory_find (expected[i]);

    fail_unless (factory != NULL, "%s is not registered", expected[i]);
    fail_unless_equals_string (gst_plugin_feature_get_plugin_name
        (GST_PLUGIN_FEATURE (factory)), "weather");
    gst_object_unref (factory);
  }
}

GST_END_TEST;

/* What every element of the plugin shares: an author in "name <address>"
 * form, a `stats` structure named application/x-<element>-stats, and enum
 * properties of registered GTypes named Gst... (glib-mkenums). */
GST_START_TEST (test_element_conventions)
{
  GList *features, *l;
  GRegex *author = g_regex_new ("^[^<>]+ <[^<>@ ]+@[^<>@ ]+>$", 0, 0, NULL);
  guint n = 0;

  features = gst_registry_get_feature_list_by_plugin (gst_registry_get (),
      "weather");
  for (l = features; l; l = l->next) {
    GstElementFactory *factory;
    GstElement *element;
    const gchar *name;
    GParamSpec **specs, *stats;
    guint n_specs, i;

    if (!GST_IS_ELEMENT_FACTORY (l->data))
      continue;
    factory = GST_ELEMENT_FACTORY (l->data);
    name = gst_plugin_feature_get_name (GST_PLUGIN_FEATURE (factory));
    fail_unless (g_regex_match (author, gst_element_factory_get_metadata
            (factory, GST_ELEMENT_METADATA_AUTHOR), 0, NULL),
        "%s: author \"%s\"", name, gst_element_factory_get_metadata (factory,
            GST_ELEMENT_METADATA_AUTHOR));
    element = gst_element_factory_create (factory, NULL);
    fail_unless (element != NULL, "%s", name);

    stats = g_object_class_find_property (G_OBJECT_GET_CLASS (element),
        "stats");
    fail_unless (stats != NULL, "%s has no stats", name);
    if (stats) {
      GstStructure *st = NULL;
      gchar *want = g_strdup_printf ("application/x-%s-stats", name);

      g_object_get (element, "stats", &st, NULL);
      fail_unless (st != NULL, "%s", name);
      fail_unless_equals_string (gst_structure_get_name (st), want);
      gst_structure_free (st);
      g_free (want);
    }

    specs = g_object_class_list_properties (G_OBJECT_GET_CLASS (element),
        &n_specs);
    for (i = 0; i < n_specs; i++) {
      GType t = G_PARAM_SPEC_VALUE_TYPE (specs[i]);

      if (G_TYPE_IS_ENUM (t) && specs[i]->owner_type == G_OBJECT_TYPE (element))
        fail_unless (g_str_has_prefix (g_type_name (t), "Gst"),
            "%s:%s has the enum type %s", name, specs[i]->name,
            g_type_name (t));
    }
    g_free (specs);
    gst_object_unref (element);
    n++;
  }
  gst_plugin_feature_list_free (features);
  g_regex_unref (author);
  /* weathersrc, weatherparse, weatherenc, demux, reorderqueue, grouper,
   * predictor, weatherbin at least */
  fail_unless (n >= 8, "%u elements", n);
}

GST_END_TEST;

static Suite *
states_suite (void)
{
  Suite *s = suite_create ("states");
  TCase *tc_chain = tcase_create ("general");

  suite_add_tcase (s, tc_chain);
  tcase_add_checked_fixture (tc_chain, setup, teardown);
  tcase_add_unchecked_fixture (tc_chain, start_broker, stop_broker);
  tcase_add_test (tc_chain, test_plugin_has_every_element);
  tcase_add_test (tc_chain, test_element_conventions);
  tcase_add_test (tc_chain, test_state_changes_up_and_down_seq);

  return s;
}

int
main (int argc, char **argv)
{
  weather_leaks_init ();
  gst_check_init (&argc, &argv);
  return gst_check_run_suite (states_suite (), "states", __FILE__);
}
