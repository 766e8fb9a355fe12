/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * When a Mosquitto started by a test is ready: with log type "information"
 * on stderr (its default), it logs "... running" once its listeners are
 * open. Shared by the MQTT test helper (mqttbroker.c) and the state test,
 * which start the broker in different ways.
 */
#pragma once

#include <string.h>
#include <unistd.h>

#include <glib.h>

G_BEGIN_DECLS

/* Reads @fd, Mosquitto's stderr, until the broker says it is running
 * (TRUE), or until end of file or @timeout µs (FALSE). What was read is
 * appended to @log when it is not NULL. Mosquitto ignores SIGPIPE: the
 * caller may close @fd afterwards. */
static inline gboolean
mosquitto_wait_running (gint fd, gint64 timeout, GString * log)
{
  gint64 deadline = g_get_monotonic_time () + timeout;
  GString *seen = g_string_new (NULL);
  gboolean found = FALSE;

  while (!found) {
    GPollFD pfd = { fd, G_IO_IN | G_IO_HUP | G_IO_ERR, 0 };
    gint64 left = deadline - g_get_monotonic_time ();
    gchar chunk[512];
    gssize n;

    if (left <= 0 || g_poll (&pfd, 1, (gint) (left / 1000) + 1) <= 0)
      break;
    n = read (fd, chunk, sizeof (chunk));
    if (n <= 0)
      break;
    g_string_append_len (seen, chunk, n);
    found = strstr (seen->str, " running") != NULL;
  }
  if (log)
    g_string_append_len (log, seen->str, seen->len);
  g_string_free (seen, TRUE);
  return found;
}

G_END_DECLS
