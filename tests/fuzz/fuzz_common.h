/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Set-up shared by the fuzz targets. GStreamer is initialised once per
 * process, sees no system plugin and never forks a registry scanner (a
 * sanitizer runtime in the main binary must also be the one that loads our
 * plugin). A GLib warning or critical aborts: user input must never raise
 * one (docs/performance.md, "Hardening").
 */
#pragma once

#include <stdio.h>
#include <stdlib.h>

#include <gst/gst.h>
#include <gst/weather/weather.h>

G_GNUC_NORETURN G_GNUC_PRINTF (1, 2)
static void weather_fuzz_fail (const gchar * format, ...);

static void
weather_fuzz_fail (const gchar * format, ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "weather-fuzz: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  fflush (stderr);
  abort ();
}

static void
weather_fuzz_log_fatal (const gchar * log_domain, GLogLevelFlags level,
    const gchar * message, gpointer user_data)
{
  weather_fuzz_fail ("unexpected %s from %s: %s",
      (level & G_LOG_LEVEL_CRITICAL) ? "critical" : "warning",
      GST_STR_NULL (log_domain), message);
}

static void
weather_fuzz_init_library (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized)) {
    g_setenv ("GST_PLUGIN_SYSTEM_PATH_1_0", "", TRUE);
    g_setenv ("GST_PLUGIN_PATH_1_0", "", TRUE);
    g_setenv ("GST_REGISTRY_FORK", "no", TRUE);
    g_setenv ("GST_REGISTRY_UPDATE", "no", TRUE);
    if (!g_getenv ("GST_REGISTRY"))
      g_setenv ("GST_REGISTRY", WEATHER_FUZZ_BUILDDIR "/fuzz.registry", TRUE);
    gst_init (NULL, NULL);
    gst_weather_init ();
    g_log_set_default_handler (g_log_default_handler, NULL);
    g_log_set_handler (NULL, G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING,
        weather_fuzz_log_fatal, NULL);
    g_log_set_handler ("GStreamer", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING,
        weather_fuzz_log_fatal, NULL);
    g_log_set_handler ("GStreamer-Weather",
        G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, weather_fuzz_log_fatal,
        NULL);
    g_log_set_handler ("GLib-GObject",
        G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING, weather_fuzz_log_fatal,
        NULL);
    g_log_set_handler ("GLib", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING,
        weather_fuzz_log_fatal, NULL);
    g_log_set_handler ("Json", G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING,
        weather_fuzz_log_fatal, NULL);
    g_once_init_leave (&initialized, 1);
  }
}

/* Loads the weather plugin of this build (WEATHER_FUZZ_PLUGIN, or the path
 * in $WEATHER_FUZZ_PLUGIN) into the registry. */
G_GNUC_UNUSED static void
weather_fuzz_init_plugin (void)
{
  static gsize initialized = 0;

  weather_fuzz_init_library ();

  if (g_once_init_enter (&initialized)) {
    const gchar *path = g_getenv ("WEATHER_FUZZ_PLUGIN");
    GError *error = NULL;
    GstPlugin *plugin;

    if (path == NULL)
      path = WEATHER_FUZZ_PLUGIN;
    plugin = gst_plugin_load_file (path, &error);
    if (plugin == NULL)
      weather_fuzz_fail ("cannot load the weather plugin %s: %s", path,
          error ? error->message : "unknown error");
    gst_object_unref (plugin);
    g_once_init_leave (&initialized, 1);
  }
}
