/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-weatherenc
 * @title: weatherenc
 *
 * weatherenc turns readings, groups or predictions (whichever its sink
 * caps say) into JSON lines: each input buffer becomes one output buffer
 * holding one JSON object in the canonical form of docs/schema.md followed
 * by "\n". Timestamps, offsets and flags are copied from the input buffer.
 * The output caps are `application/x-json-lines` with a `schema` field
 * (reading, group or prediction); filesink and fdsink take them as they
 * are.
 *
 * A buffer that is not a valid record of the negotiated schema (wrong
 * size, values out of range) is dropped, counted as bad-buffers in
 * #GstWeatherEnc:stats and logged at WARNING level; the stream goes on.
 * Caps of any other media type are refused at negotiation.
 *
 * The canonical form makes `weatherparse ! weatherenc` reproduce, byte
 * for byte, any file that weatherenc wrote.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -q weathersrc num-buffers=30 stations=3 ! weatherenc ! fdsink
 * ]| Prints 30 readings as JSON lines.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "gstweatherenc.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_enc_debug);
#define GST_CAT_DEFAULT gst_weather_enc_debug

#define JSON_LINES_MEDIA_TYPE "application/x-json-lines"

enum
{
  PROP_0,
  PROP_STATS,
};

typedef enum
{
  SCHEMA_NONE,
  SCHEMA_READING,
  SCHEMA_GROUP,
  SCHEMA_PREDICTION,
} Schema;

struct _GstWeatherEnc
{
  GstElement parent;

  /* immutable after init */
  GstPad *sinkpad;
  GstPad *srcpad;

  /* counters; GST_OBJECT_LOCK */
  guint64 buffers;
  guint64 lines;
  guint64 bad_buffers;

  /* the sink pad's STREAM_LOCK (set by the caps event, read in chain) */
  Schema schema;
  gint version;                 /* of a group or prediction stream */
};

#define gst_weather_enc_parent_class parent_class
G_DEFINE_TYPE (GstWeatherEnc, gst_weather_enc, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (weatherenc, "weatherenc",
    GST_RANK_NONE, GST_TYPE_WEATHER_ENC,
    GST_DEBUG_CATEGORY_INIT (gst_weather_enc_debug, "weatherenc", 0,
        "weather records to JSON lines"));

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS "; "
        GST_WEATHER_GROUP_CAPS_ANY_VERSION "; "
        GST_WEATHER_PREDICTION_CAPS_ANY_VERSION));

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (JSON_LINES_MEDIA_TYPE
        ", schema=(string){ reading, group, prediction }"));

static const gchar *
schema_name (Schema schema)
{
  switch (schema) {
    case SCHEMA_READING:
      return "reading";
    case SCHEMA_GROUP:
      return "group";
    case SCHEMA_PREDICTION:
      return "prediction";
    default:
      return NULL;
  }
}

static gboolean
gst_weather_enc_set_caps (GstWeatherEnc * self, GstCaps * caps)
{
  const GstStructure *s = gst_caps_get_structure (caps, 0);
  GstCaps *out;
  gboolean ret;
  Schema schema = SCHEMA_NONE;

  if (gst_structure_has_name (s, GST_WEATHER_READING_MEDIA_TYPE))
    schema = SCHEMA_READING;
  else if (gst_structure_has_name (s, GST_WEATHER_GROUP_MEDIA_TYPE))
    schema = SCHEMA_GROUP;
  else if (gst_structure_has_name (s, GST_WEATHER_PREDICTION_MEDIA_TYPE))
    schema = SCHEMA_PREDICTION;

  if (schema == SCHEMA_NONE) {
    GST_WARNING_OBJECT (self, "refusing caps %" GST_PTR_FORMAT, caps);
    return FALSE;
  }

  self->schema = schema;
  /* groups and predictions of version 1 are written as version 2, with
   * the key of all stations */
  self->version = 0;
  gst_structure_get_int (s, "version", &self->version);
  out = gst_caps_new_simple (JSON_LINES_MEDIA_TYPE,
      "schema", G_TYPE_STRING, schema_name (schema), NULL);
  ret = gst_pad_push_event (self->srcpad, gst_event_new_caps (out));
  gst_caps_unref (out);
  GST_DEBUG_OBJECT (self, "encoding %s records", schema_name (schema));
  return ret;
}

/* Appends the JSON of @buffer to @out; FALSE with @error when it is not a
 * valid record of the negotiated schema. */
static gboolean
gst_weather_enc_encode (GstWeatherEnc * self, GstBuffer * buffer,
    GString * out, GError ** error)
{
  switch (self->schema) {
    case SCHEMA_READING:{
      GstWeatherReading reading;

      if (!gst_weather_reading_from_stream_buffer (buffer, &reading, error))
        return FALSE;
      gst_weather_reading_to_json (&reading, out);
      return TRUE;
    }
    case SCHEMA_GROUP:{
      GstWeatherGroup group;
      gboolean ok;

      memset (&group, 0, sizeof (group));
      ok = gst_weather_group_from_buffer_version (buffer, self->version,
          &group, error);
      if (ok)
        gst_weather_group_to_json (&group, out);
      gst_weather_group_clear (&group);
      return ok;
    }
    case SCHEMA_PREDICTION:{
      GstWeatherPrediction prediction;

      if (!gst_weather_prediction_from_buffer_version (buffer, self->version,
              &prediction, error))
        return FALSE;
      gst_weather_prediction_to_json (&prediction, out);
      return TRUE;
    }
    default:
      g_assert_not_reached ();
      return FALSE;
  }
}

static GstFlowReturn
gst_weather_enc_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstWeatherEnc *self = GST_WEATHER_ENC (parent);
  GError *err = NULL;
  GstBuffer *outbuf;
  GString *json;
  gsize len;

  if (self->schema == SCHEMA_NONE) {
    gst_buffer_unref (buffer);
    GST_ELEMENT_ERROR (self, CORE, NEGOTIATION, (NULL),
        ("no caps before the first buffer"));
    return GST_FLOW_NOT_NEGOTIATED;
  }

  GST_OBJECT_LOCK (self);
  self->buffers++;
  GST_OBJECT_UNLOCK (self);

  json = g_string_sized_new (512);
  if (!gst_weather_enc_encode (self, buffer, json, &err)) {
    GST_OBJECT_LOCK (self);
    self->bad_buffers++;
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "dropping a %s buffer of %" G_GSIZE_FORMAT
        " bytes (pts %" GST_TIME_FORMAT "): %s", schema_name (self->schema),
        gst_buffer_get_size (buffer),
        GST_TIME_ARGS (GST_BUFFER_PTS (buffer)), err->message);
    g_error_free (err);
    g_string_free (json, TRUE);
    gst_buffer_unref (buffer);
    return GST_FLOW_OK;
  }
  g_string_append_c (json, '\n');

  len = json->len;
  outbuf = gst_buffer_new_wrapped (g_string_free (json, FALSE), len);
  gst_buffer_copy_into (outbuf, buffer,
      GST_BUFFER_COPY_FLAGS | GST_BUFFER_COPY_TIMESTAMPS, 0, -1);
  gst_buffer_unref (buffer);

  GST_OBJECT_LOCK (self);
  self->lines++;
  GST_OBJECT_UNLOCK (self);

  return gst_pad_push (self->srcpad, outbuf);
}

static gboolean
gst_weather_enc_sink_event (GstPad * pad, GstObject * parent, GstEvent * event)
{
  GstWeatherEnc *self = GST_WEATHER_ENC (parent);

  if (GST_EVENT_TYPE (event) == GST_EVENT_CAPS) {
    GstCaps *caps;
    gboolean ret;

    gst_event_parse_caps (event, &caps);
    ret = gst_weather_enc_set_caps (self, caps);
    gst_event_unref (event);
    return ret;
  }
  return gst_pad_event_default (pad, parent, event);
}

static GstStateChangeReturn
gst_weather_enc_change_state (GstElement * element, GstStateChange transition)
{
  GstWeatherEnc *self = GST_WEATHER_ENC (element);
  GstStateChangeReturn ret;

  if (transition == GST_STATE_CHANGE_READY_TO_PAUSED) {
    GST_OBJECT_LOCK (self);
    self->buffers = self->lines = self->bad_buffers = 0;
    GST_OBJECT_UNLOCK (self);
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  if (transition == GST_STATE_CHANGE_PAUSED_TO_READY)
    self->schema = SCHEMA_NONE;
  return ret;
}

static void
gst_weather_enc_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstWeatherEnc *self = GST_WEATHER_ENC (object);

  switch (prop_id) {
    case PROP_STATS:
      GST_OBJECT_LOCK (self);
      g_value_take_boxed (value,
          gst_structure_new ("application/x-weatherenc-stats", "buffers",
              G_TYPE_UINT64, self->buffers, "lines", G_TYPE_UINT64, self->lines,
              "bad-buffers", G_TYPE_UINT64, self->bad_buffers, NULL));
      GST_OBJECT_UNLOCK (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_weather_enc_class_init (GstWeatherEncClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->get_property = gst_weather_enc_get_property;

  /**
   * GstWeatherEnc:stats:
   *
   * An `application/x-weatherenc-stats` structure, counted since the last start: buffers
   * (guint64: input buffers), lines (JSON lines pushed), bad-buffers
   * (input buffers that were not valid records, dropped).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: buffers, lines, bad-buffers", GST_TYPE_STRUCTURE,
          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Weather JSON lines encoder", "Codec/Encoder",
      "Encodes weather readings, groups or predictions as JSON lines",
      GST_WEATHER_AUTHOR);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_weather_enc_change_state);
}

static void
gst_weather_enc_init (GstWeatherEnc * self)
{
  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_enc_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_enc_sink_event));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}
