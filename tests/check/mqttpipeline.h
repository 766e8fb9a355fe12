/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The pipelines the MQTT tests launch: their two ends are named "src" and
 * "sink"; appsrc ! mqttsink for the sink's tests.
 */
#pragma once

#include <gst/check/gstcheck.h>

G_BEGIN_DECLS

typedef struct
{
  GstElement *pipeline;
  GstElement *src;
  GstElement *sink;
} MqttPipeline;

/* connect-timeout: 10 s, far above the 10-110 ms a connection takes even
 * in the sanitizer build, so a loaded machine does not fail a test; a
 * refused connection fails at once anyway */
#define MQTT_PIPELINE_CONNECT_TIMEOUT "connect-timeout=10000000000"

static inline MqttPipeline *
mqtt_pipeline_new (const gchar * description)
{
  MqttPipeline *p = g_new0 (MqttPipeline, 1);
  GError *err = NULL;

  p->pipeline = gst_parse_launch (description, &err);
  g_assert_no_error (err);
  p->src = gst_bin_get_by_name (GST_BIN (p->pipeline), "src");
  p->sink = gst_bin_get_by_name (GST_BIN (p->pipeline), "sink");
  fail_unless (p->src != NULL && p->sink != NULL);
  return p;
}

/* appsrc of @caps (time format, unbounded) ! mqttsink to 127.0.0.1:@port
 * with @props (may be NULL) */
static inline MqttPipeline *
mqtt_sink_pipeline_new (const gchar * caps, guint port, const gchar * props)
{
  gchar *desc = g_strdup_printf ("appsrc name=src format=time caps=\"%s\" "
      "max-bytes=0 ! mqttsink name=sink host=127.0.0.1 port=%u "
      MQTT_PIPELINE_CONNECT_TIMEOUT " %s", caps, port, props ? props : "");
  MqttPipeline *p = mqtt_pipeline_new (desc);

  g_free (desc);
  return p;
}

static inline void
mqtt_pipeline_play (MqttPipeline * p)
{
  fail_unless (gst_element_set_state (p->pipeline, GST_STATE_PLAYING) !=
      GST_STATE_CHANGE_FAILURE);
}

static inline void
mqtt_pipeline_free (MqttPipeline * p)
{
  gst_element_set_state (p->pipeline, GST_STATE_NULL);
  gst_object_unref (p->src);
  gst_object_unref (p->sink);
  gst_object_unref (p->pipeline);
  g_free (p);
}

/* Waits up to @wait_s for EOS or an error on the bus; returns the
 * message. */
static inline GstMessage *
mqtt_pipeline_wait_eos_or_error (MqttPipeline * p, guint wait_s)
{
  GstBus *bus = gst_element_get_bus (p->pipeline);
  GstMessage *msg;

  msg = gst_bus_timed_pop_filtered (bus, wait_s * GST_SECOND,
      GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_object_unref (bus);
  fail_unless (msg != NULL, "neither EOS nor error within %u s", wait_s);
  return msg;
}

/* EOS within @wait_s, no error before it. */
static inline void
mqtt_pipeline_expect_eos (MqttPipeline * p, guint wait_s)
{
  GstMessage *msg = mqtt_pipeline_wait_eos_or_error (p, wait_s);

  if (GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR) {
    GError *err = NULL;
    gchar *dbg = NULL;

    gst_message_parse_error (msg, &err, &dbg);
    fail ("unexpected error: %s (%s)", err->message, dbg);
  }
  gst_message_unref (msg);
}

/* The error posted when going to PLAYING: @domain and @code, its text
 * (message and debug) containing @needle. */
static inline void
mqtt_pipeline_expect_start_error (MqttPipeline * p, guint wait_s,
    GQuark domain, gint code, const gchar * needle)
{
  GstMessage *msg;
  GError *err = NULL;
  gchar *dbg = NULL, *all;

  gst_element_set_state (p->pipeline, GST_STATE_PLAYING);
  msg = mqtt_pipeline_wait_eos_or_error (p, wait_s);
  fail_unless_equals_int (GST_MESSAGE_TYPE (msg), GST_MESSAGE_ERROR);
  gst_message_parse_error (msg, &err, &dbg);
  fail_unless (err->domain == domain && err->code == code,
      "wrong error %s (%s)", err->message, dbg);
  all = g_strdup_printf ("%s %s", err->message, dbg ? dbg : "");
  fail_unless (strstr (all, needle) != NULL, "\"%s\" not in \"%s\"", needle,
      all);
  g_free (all);
  g_free (dbg);
  g_error_free (err);
  gst_message_unref (msg);
}

G_END_DECLS
