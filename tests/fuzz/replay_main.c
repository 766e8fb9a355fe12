/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A main() for the fuzz targets when the compiler has no libFuzzer (gcc):
 * runs the target once on every file named on the command line, or on
 * every file of a directory named there. It is how the seed corpus and
 * tests/fuzz/regressions/ run as meson tests in any build.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <stdio.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const guint8 * data, size_t size);

static guint
replay_file (const gchar * path)
{
  gchar *contents = NULL;
  gsize len = 0;
  GError *error = NULL;

  if (!g_file_get_contents (path, &contents, &len, &error)) {
    fprintf (stderr, "cannot read %s: %s\n", path, error->message);
    g_error_free (error);
    return 1;
  }
  fprintf (stderr, "replaying %s (%" G_GSIZE_FORMAT " bytes)\n", path, len);
  LLVMFuzzerTestOneInput ((const guint8 *) contents, len);
  g_free (contents);
  return 0;
}

int
main (int argc, char **argv)
{
  guint failures = 0, files = 0;
  int i;

  for (i = 1; i < argc; i++) {
    if (g_file_test (argv[i], G_FILE_TEST_IS_DIR)) {
      GDir *dir = g_dir_open (argv[i], 0, NULL);
      const gchar *name;

      if (dir == NULL) {
        fprintf (stderr, "cannot open %s\n", argv[i]);
        failures++;
        continue;
      }
      while ((name = g_dir_read_name (dir)) != NULL) {
        gchar *path = g_build_filename (argv[i], name, NULL);

        if (name[0] != '.' && g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
          failures += replay_file (path);
          files++;
        }
        g_free (path);
      }
      g_dir_close (dir);
    } else if (argv[i][0] != '-') {
      failures += replay_file (argv[i]);
      files++;
    }
  }
  fprintf (stderr, "%u inputs replayed, %u unreadable\n", files, failures);
  return failures == 0 ? 0 : 1;
}
