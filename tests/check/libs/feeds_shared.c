/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every line of the real feed samples in ../shared/feeds (reference data
 * beside the project, never committed: rtl_433's own test captures,
 * payloads published by weewx-mqtt's and pywws' own code, real Ecowitt
 * gateway uploads) decodes, through its own format and through auto, to
 * the values the test computes from the line itself (feedexpect.h). Where
 * ../shared/feeds is absent the program says so and exits 77 (skipped).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>
#include <stdlib.h>

#include <gst/check/gstcheck.h>
#include <gst/weather/weather.h>

#include "../feedexpect.h"

static gchar *feeds_dir;

static const struct
{
  GstWeatherFormat format;
  const gchar *file;
  const gchar *station;
  guint min_lines;
  guint refused;                /* lines without any measurement */
} shared_samples[] = {
  {GST_WEATHER_FORMAT_RTL_433, "rtl_433/samples.jsonl", NULL, 55, 0},
  /* rain-only messages (Hideki-Rain x3, WS3600, WS7000-16) and a DCF77
   * clock have nothing a reading has a slot for */
  {GST_WEATHER_FORMAT_RTL_433, "rtl_433/partials.jsonl", NULL, 22, 7},
  {GST_WEATHER_FORMAT_RTL_433, "rtl_433/edge_cases.jsonl", NULL, 1, 0},
  {GST_WEATHER_FORMAT_WEEWX, "weewx/samples.jsonl", "weewx", 14, 0},
  /* the first partial loop packet has no measurement of ours */
  {GST_WEATHER_FORMAT_WEEWX, "weewx/real_captured.jsonl", "weewx", 3, 1},
  {GST_WEATHER_FORMAT_PYWWS, "pywws/samples.jsonl", "pywws", 7, 0},
  {GST_WEATHER_FORMAT_PYWWS, "pywws/real_captured.jsonl", "pywws", 1, 0},
  {GST_WEATHER_FORMAT_ECOWITT,
      "ecowitt/customized_upload_ecowitt_protocol.jsonl", NULL, 15, 0},
  {GST_WEATHER_FORMAT_ECOWITT,
      "ecowitt/customized_upload_wunderground_protocol.jsonl", NULL, 1, 0},
};

GST_START_TEST (test_shared_samples)
{
  GTimeZone *tz = g_time_zone_new_utc ();
  gchar *path = g_build_filename (feeds_dir, shared_samples[__i__].file,
      NULL);
  gchar **lines = fx_read_lines (path);
  /* after every sample's time, and no sample more than a day after it */
  gint64 arrival = g_get_real_time () * 1000;
  guint i, pass, decoded[2] = { 0, 0 }, refused = 0;

  fail_unless (lines != NULL, "%s is missing", path);
  fail_unless (g_strv_length (lines) >= shared_samples[__i__].min_lines,
      "%s: %u lines", path, g_strv_length (lines));
  for (pass = 0; pass < 2; pass++) {
    GstWeatherDecoder *d = gst_weather_decoder_new (pass ?
        GST_WEATHER_FORMAT_AUTO : shared_samples[__i__].format, NULL);

    fail_unless (gst_weather_decoder_set_timezone (d, "UTC", NULL));
    fail_unless (gst_weather_decoder_set_station (d,
            shared_samples[__i__].station, NULL));
    for (i = 0; lines[i]; i++) {
      gchar *where = g_strdup_printf ("%s:%u%s", shared_samples[__i__].file,
          i + 1, pass ? " (auto)" : "");
      GstWeatherReading r;
      GError *err = NULL;
      FxExpect e;
      gboolean ok;

      fx_expect (shared_samples[__i__].format, lines[i],
          shared_samples[__i__].station, NULL, tz, arrival, &e);
      ok = gst_weather_decoder_decode (d, lines[i], -1, NULL, arrival, &r,
          &err);
      fail_unless (ok != e.refused, "%s: %s", where,
          err ? err->message : "decoded");
      if (ok) {
        fx_check (&r, &e, where);
        decoded[pass]++;
      } else if (pass == 0) {
        refused++;
      }
      g_clear_error (&err);
      g_free (where);
    }
    gst_weather_decoder_free (d);
  }
  fail_unless_equals_int (decoded[0], decoded[1]);
  fail_unless (decoded[0] + refused == g_strv_length (lines));
  fail_unless_equals_int (refused, shared_samples[__i__].refused);
  GST_INFO ("%s: %u lines decoded, %u refused", path, decoded[0], refused);
  g_strfreev (lines);
  g_free (path);
  g_time_zone_unref (tz);
}

GST_END_TEST;

static Suite *
weather_feeds_shared_suite (void)
{
  Suite *s = suite_create ("weather-feeds-shared");
  TCase *tc = tcase_create ("samples");

  suite_add_tcase (s, tc);
  tcase_add_loop_test (tc, test_shared_samples, 0,
      G_N_ELEMENTS (shared_samples));
  return s;
}

int
main (int argc, char **argv)
{
  const gchar *srcdir = g_getenv ("WEATHER_TEST_SRCDIR");
  gchar *canon;
  int failed;

  feeds_dir = g_build_filename (srcdir ? srcdir : TEST_SRCDIR, "..",
      "shared", "feeds", NULL);
  canon = g_canonicalize_filename (feeds_dir, NULL);
  if (!g_file_test (canon, G_FILE_TEST_IS_DIR)) {
    printf ("SKIP: %s is not there: the real feed samples live beside the "
        "project (../shared/feeds), not in it\n", canon);
    g_free (canon);
    g_free (feeds_dir);
    return 77;
  }
  g_free (feeds_dir);
  feeds_dir = canon;
  gst_check_init (&argc, &argv);
  failed = gst_check_run_suite (weather_feeds_shared_suite (),
      "weather_feeds_shared", __FILE__);
  g_free (feeds_dir);
  return failed;
}
