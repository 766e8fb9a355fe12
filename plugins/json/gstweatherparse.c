/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/**
 * SECTION:element-weatherparse
 * @title: weatherparse
 *
 * weatherparse reads JSON lines (one reading object per line) and pushes
 * one `application/x-weather-reading` buffer per line. Lines end with
 * "\n"; a "\r" before it is ignored, and the last line needs no newline.
 * Empty lines (or lines of blanks) are skipped.
 *
 * #GstWeatherParse:format says what the lines are: gst-weather's own
 * schema (docs/schema.md, the default), or the payloads of rtl_433,
 * WeeWX (weewx-mqtt), pywws or Ecowitt gateways, or `auto` to pick per
 * line (docs/feeds.md gives the field mapping, units, time and station
 * rules of each). Payloads that name no station take
 * #GstWeatherParse:station; #GstWeatherParse:stations-file names
 * stations and gives the altitudes that reduce station pressure to sea
 * level; a line without a time takes the moment it is parsed (the
 * reading is flagged `time_from_arrival`).
 *
 * A line that does not decode (bad JSON, wrong types, values out of range,
 * invalid UTF-8, longer than GST_WEATHER_JSON_MAX_SIZE bytes) is skipped,
 * counted in #GstWeatherParse:stats (bad-lines, and one counter per
 * reason for the dialects) and logged at WARNING level with its line
 * number and the decoder's message. A dialect measurement that is not a
 * number, in an unknown unit or out of range is left out of its reading,
 * counted and logged; the rest of the line is used. With #GstWeatherParse:strict the
 * first bad line is an element error (STREAM, DECODE) instead. An overlong
 * line is discarded as it streams in: never more than
 * GST_WEATHER_JSON_MAX_SIZE bytes of one line are held.
 *
 * Readings go downstream as buffer lists of up to 256. From an input that
 * is all there (upstream answers the SEEKING query in bytes as seekable:
 * a file), a list is filled across input buffers, so that the elements
 * downstream are woken once per 256 readings whatever the block size;
 * from any other input (a pipe, a socket) the readings of each input
 * buffer go out at its end, so that none waits for the next. What is
 * pending goes out before EOS and before any other serialized event or
 * query. Each reading's buffer comes from the pool downstream proposes in
 * the ALLOCATION query, or else from the element's own.
 *
 * Output timestamps follow docs/time-model.md for a replay: the segment's
 * origin is #GstWeatherParse:start-time when set; otherwise
 * GST_WEATHER_MAX_LATENESS (2 h) before the first reading, rounded down to
 * a whole second, so that the lines may come in any order within any
 * lateness budget (gst_weather_origin_choose()). A buffer's PTS is its
 * created_at minus the origin; readings older than the origin are dropped
 * and counted as too-early.
 *
 * ## Example launch line
 * |[
 * gst-launch-1.0 -q weathersrc num-buffers=30 stations=3 ! weatherenc ! filesink location=readings.jsonl
 * gst-launch-1.0 -q filesrc location=readings.jsonl ! weatherparse ! weatherenc ! fdsink
 * ]| Writes 30 readings to a file, then reads them back and prints them: the
 * output is the file, byte for byte.
 * |[
 * rtl_433 -F json | gst-launch-1.0 -q fdsrc ! weatherparse format=rtl_433 timezone=Europe/Berlin ! weatherenc ! fdsink
 * ]| Readings from rtl_433's JSON output, its local times read in Berlin's
 * zone.
 */

#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include <gst/weather/weather.h>

#include "gstweatherparse.h"
#include "gstweatherfeed.h"
#include "gstweatherpool.h"

GST_DEBUG_CATEGORY_STATIC (gst_weather_parse_debug);
#define GST_CAT_DEFAULT gst_weather_parse_debug

/* At most this many readings go out in one buffer list: from a whole
 * input (a file), each list wakes the threads downstream once, so longer
 * lists cost less (docs/performance.md); from a stream, a list ends with
 * its input buffer anyway */
#define MAX_LIST_LENGTH 256

#define DEFAULT_STRICT FALSE
#define DEFAULT_START_TIME (-1)

enum
{
  PROP_0,
  PROP_STRICT,
  PROP_START_TIME,
  PROP_FORMAT,                  /* the feed properties, gstweatherfeed.h */
  PROP_STATS = PROP_FORMAT + GST_WEATHER_FEED_N_PROPS,
};

struct _GstWeatherParse
{
  GstElement parent;

  /* immutable after init */
  GstPad *sinkpad;
  GstPad *srcpad;

  /* properties; GST_OBJECT_LOCK */
  gboolean strict;
  gint64 start_time;
  GstWeatherFeedSettings feed;

  /* made from the properties in READY -> PAUSED, kept until the next start
   * for its counters; the pointer is guarded by GST_OBJECT_LOCK, the
   * decoder is used by the streaming thread only and counts under its
   * own lock */
  GstWeatherDecoder *decoder;

  /* counters; GST_OBJECT_LOCK */
  guint64 lines;
  guint64 readings;
  guint64 bad_lines;
  guint64 too_early;
  guint64 last_bad_line;

  /* the sink pad's STREAM_LOCK (chain and serialized events; reset in
   * state changes when no data flows) */
  GByteArray *line;             /* the line being gathered, no newline */
  GstBufferList *out;           /* readings not pushed yet, or NULL */
  gint whole_input;             /* upstream seekable in bytes: 1, not: 0,
                                 * not asked yet: -1 */
  gint64 arrival;               /* epoch ns this input buffer is parsed */
  gboolean overlong;            /* the current line outgrew the limit */
  guint64 line_number;          /* lines completed so far */
  gboolean have_origin;
  gint64 origin;
  gboolean segment_sent;
  GstBufferPool *pool;          /* readings' buffers, decided with the first
                                 * reading; released in PAUSED -> READY */
  /* lines and readings of this input buffer, added to the counters
   * under one lock when it is done */
  guint64 new_lines;
  guint64 new_readings;
};

#define gst_weather_parse_parent_class parent_class
G_DEFINE_TYPE (GstWeatherParse, gst_weather_parse, GST_TYPE_ELEMENT);
GST_ELEMENT_REGISTER_DEFINE_WITH_CODE (weatherparse, "weatherparse",
    GST_RANK_NONE, GST_TYPE_WEATHER_PARSE,
    GST_DEBUG_CATEGORY_INIT (gst_weather_parse_debug, "weatherparse", 0,
        "JSON lines to weather readings"));

static GstStaticPadTemplate sink_template = GST_STATIC_PAD_TEMPLATE ("sink",
    GST_PAD_SINK,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS_ANY);

static GstStaticPadTemplate src_template = GST_STATIC_PAD_TEMPLATE ("src",
    GST_PAD_SRC,
    GST_PAD_ALWAYS,
    GST_STATIC_CAPS (GST_WEATHER_READING_CAPS));

static void
gst_weather_parse_reset (GstWeatherParse * self)
{
  g_byte_array_set_size (self->line, 0);
  self->overlong = FALSE;
  self->line_number = 0;
  self->have_origin = FALSE;
  self->origin = 0;
  self->segment_sent = FALSE;
  self->whole_input = -1;
  self->new_lines = self->new_readings = 0;

  GST_OBJECT_LOCK (self);
  self->lines = self->readings = self->bad_lines = 0;
  self->too_early = self->last_bad_line = 0;
  GST_OBJECT_UNLOCK (self);
}

/* Sends stream-start (when upstream gave none), caps and the segment
 * ahead of the first buffer or EOS. */
static void
gst_weather_parse_send_segment (GstWeatherParse * self)
{
  GstEvent *ev;
  GstSegment segment;

  if (self->segment_sent)
    return;

  ev = gst_pad_get_sticky_event (self->srcpad, GST_EVENT_STREAM_START, 0);
  if (ev) {
    gst_event_unref (ev);
  } else {
    gchar *id = gst_pad_create_stream_id (self->srcpad, GST_ELEMENT (self),
        NULL);
    gst_pad_push_event (self->srcpad, gst_event_new_stream_start (id));
    g_free (id);
  }

  ev = gst_pad_get_sticky_event (self->srcpad, GST_EVENT_CAPS, 0);
  if (ev) {
    gst_event_unref (ev);
  } else {
    GstCaps *caps = gst_caps_from_string (GST_WEATHER_READING_CAPS);
    gst_pad_push_event (self->srcpad, gst_event_new_caps (caps));
    gst_caps_unref (caps);
  }

  gst_weather_segment_init (&segment, self->origin);
  gst_pad_push_event (self->srcpad, gst_event_new_segment (&segment));
  self->segment_sent = TRUE;
}

static void
gst_weather_parse_choose_origin (GstWeatherParse * self, gint64 created_at)
{
  gint64 start_time;

  GST_OBJECT_LOCK (self);
  start_time = self->start_time;
  GST_OBJECT_UNLOCK (self);

  /* a replay: the readings may come in any order (docs/time-model.md) */
  if (start_time >= 0)
    self->origin = start_time;
  else
    self->origin = gst_weather_origin_choose (GST_ELEMENT (self), FALSE,
        created_at);
  self->have_origin = TRUE;
  GST_INFO_OBJECT (self, "origin %" G_GINT64_FORMAT, self->origin);
}

static GstFlowReturn
gst_weather_parse_bad_line (GstWeatherParse * self, guint64 number,
    const gchar * message)
{
  gboolean strict;

  GST_OBJECT_LOCK (self);
  strict = self->strict;
  self->bad_lines++;
  self->last_bad_line = number;
  GST_OBJECT_UNLOCK (self);

  if (strict) {
    GST_ELEMENT_ERROR (self, STREAM, DECODE,
        ("Line %" G_GUINT64_FORMAT " is not a valid weather reading.",
            number), ("line %" G_GUINT64_FORMAT ": %s", number, message));
    return GST_FLOW_ERROR;
  }

  GST_WARNING_OBJECT (self, "skipping line %" G_GUINT64_FORMAT ": %s",
      number, message);
  return GST_FLOW_OK;
}

static gboolean
is_blank (const guint8 * data, gsize len)
{
  gsize i;

  for (i = 0; i < len; i++)
    if (data[i] != ' ' && data[i] != '\t' && data[i] != '\r')
      return FALSE;
  return TRUE;
}

static GstFlowReturn gst_weather_parse_push_readings (GstWeatherParse * self);

/* Adds the lines and readings of the input buffer just parsed to the
 * counters. */
static void
gst_weather_parse_count (GstWeatherParse * self)
{
  GST_OBJECT_LOCK (self);
  self->lines += self->new_lines;
  self->readings += self->new_readings;
  GST_OBJECT_UNLOCK (self);
  self->new_lines = self->new_readings = 0;
}

/* @reading in a buffer of the pool decided with the first reading (the
 * caps are sent by then). */
static GstFlowReturn
gst_weather_parse_reading_buffer (GstWeatherParse * self,
    const GstWeatherReading * reading, GstBuffer ** outbuf)
{
  GstBuffer *buf;
  GstMapInfo map;
  GstFlowReturn ret;
  gsize size;

  if (self->pool == NULL) {
    GstCaps *caps = gst_pad_get_current_caps (self->srcpad);

    self->pool = gst_weather_pool_decide (self->srcpad, caps);
    gst_clear_caps (&caps);
    if (self->pool == NULL) {
      GST_ELEMENT_ERROR (self, RESOURCE, FAILED, (NULL),
          ("could not activate a buffer pool"));
      return GST_FLOW_ERROR;
    }
  }

  ret = gst_buffer_pool_acquire_buffer (self->pool, &buf, NULL);
  if (ret != GST_FLOW_OK)
    return ret;
  size = gst_buffer_get_size (buf);
  if (size < GST_WEATHER_READING_SIZE
      || !gst_buffer_map (buf, &map, GST_MAP_WRITE)) {
    gst_buffer_unref (buf);
    GST_ELEMENT_ERROR (self, RESOURCE, FAILED,
        ("Cannot write a reading into the output buffer."),
        ("a writable buffer of %" G_GSIZE_FORMAT " bytes from %"
            GST_PTR_FORMAT ", a reading needs %d", size, self->pool,
            GST_WEATHER_READING_SIZE));
    return GST_FLOW_ERROR;
  }
  gst_weather_reading_write (reading, map.data);
  gst_buffer_unmap (buf, &map);
  if (size != GST_WEATHER_READING_SIZE)
    gst_buffer_set_size (buf, GST_WEATHER_READING_SIZE);
  *outbuf = buf;
  return GST_FLOW_OK;
}

/* One complete line (without its "\n"): @data, or self->line when
 * @data is NULL. */
static GstFlowReturn
gst_weather_parse_line (GstWeatherParse * self, const guint8 * data, gsize len)
{
  GstWeatherReading reading;
  GError *err = NULL;
  GstBuffer *buf;
  guint64 number = ++self->line_number;
  GstFlowReturn ret;

  if (data == NULL) {
    data = self->line->data;
    len = self->line->len;
  }

  self->new_lines++;

  if (len > 0 && data[len - 1] == '\r')
    len--;

  if (self->overlong || len > GST_WEATHER_JSON_MAX_SIZE) {
    gchar *msg = g_strdup_printf ("payload: line longer than %d bytes",
        GST_WEATHER_JSON_MAX_SIZE);
    ret = gst_weather_parse_bad_line (self, number, msg);
    g_free (msg);
    return ret;
  }

  if (is_blank (data, len))
    return GST_FLOW_OK;

  if (!gst_weather_decoder_decode (self->decoder, (const gchar *) data, len,
          NULL, self->arrival, &reading, &err)) {
    ret = gst_weather_parse_bad_line (self, number, err->message);
    g_error_free (err);
    return ret;
  }

  if (!self->have_origin)
    gst_weather_parse_choose_origin (self, reading.created_at);

  if (reading.created_at < self->origin) {
    GST_OBJECT_LOCK (self);
    self->too_early++;
    GST_OBJECT_UNLOCK (self);
    GST_WARNING_OBJECT (self, "dropping line %" G_GUINT64_FORMAT
        ": created_at %" G_GINT64_FORMAT " is before the origin %"
        G_GINT64_FORMAT, number, reading.created_at, self->origin);
    return GST_FLOW_OK;
  }

  gst_weather_parse_send_segment (self);

  ret = gst_weather_parse_reading_buffer (self, &reading, &buf);
  if (ret != GST_FLOW_OK)
    return ret;
  GST_BUFFER_PTS (buf) = (GstClockTime) (reading.created_at - self->origin);
  GST_BUFFER_OFFSET (buf) = number;
  self->new_readings++;

  if (self->out == NULL)
    self->out = gst_buffer_list_new_sized (MAX_LIST_LENGTH);
  gst_buffer_list_add (self->out, buf);
  if (gst_buffer_list_length (self->out) >= MAX_LIST_LENGTH)
    return gst_weather_parse_push_readings (self);
  return GST_FLOW_OK;
}

/* Pushes the readings gathered so far as one list: the pad push, and
 * the chain of every element downstream that takes lists, once per input
 * buffer instead of once per line. */
static GstFlowReturn
gst_weather_parse_push_readings (GstWeatherParse * self)
{
  GstBufferList *out = self->out;

  if (out == NULL)
    return GST_FLOW_OK;
  self->out = NULL;
  return gst_pad_push_list (self->srcpad, out);
}

static GstFlowReturn
gst_weather_parse_chain (GstPad * pad, GstObject * parent, GstBuffer * buffer)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (parent);
  GstFlowReturn ret = GST_FLOW_OK, push_ret;
  GstMapInfo map;
  gsize pos = 0;

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ)) {
    gst_buffer_unref (buffer);
    GST_ELEMENT_ERROR (self, STREAM, FAILED, (NULL),
        ("could not map the input buffer"));
    return GST_FLOW_ERROR;
  }

  if (self->whole_input < 0) {
    GstQuery *q = gst_query_new_seeking (GST_FORMAT_BYTES);
    gboolean seekable = FALSE;

    if (gst_pad_peer_query (self->sinkpad, q))
      gst_query_parse_seeking (q, NULL, &seekable, NULL, NULL);
    gst_query_unref (q);
    self->whole_input = seekable ? 1 : 0;
    GST_DEBUG_OBJECT (self, "upstream is %sseekable: readings go out %s",
        seekable ? "" : "not ", seekable ? "in lists of 256" :
        "at the end of each input buffer");
  }

  self->arrival = g_get_real_time () * 1000;
  while (pos < map.size && ret == GST_FLOW_OK) {
    const guint8 *start = map.data + pos;
    const guint8 *nl = memchr (start, '\n', map.size - pos);
    gsize chunk = nl ? (gsize) (nl - start) : map.size - pos;

    /* a whole line in this buffer is read where it is */
    if (nl && self->line->len == 0 && !self->overlong) {
      pos += chunk + 1;
      ret = gst_weather_parse_line (self, start, chunk);
      continue;
    }

    /* one "\r" past the limit is allowed: it is not part of the line */
    if (!self->overlong &&
        self->line->len + chunk > GST_WEATHER_JSON_MAX_SIZE + 1) {
      self->overlong = TRUE;
      g_byte_array_set_size (self->line, 0);
    }
    if (!self->overlong)
      g_byte_array_append (self->line, start, chunk);
    pos += chunk;

    if (nl) {
      pos++;
      ret = gst_weather_parse_line (self, NULL, 0);
      g_byte_array_set_size (self->line, 0);
      self->overlong = FALSE;
    }
  }

  gst_buffer_unmap (buffer, &map);
  gst_buffer_unref (buffer);
  gst_weather_parse_count (self);
  /* what was parsed before an error still goes out first; from a whole
   * input, a list not full yet waits for the next buffer */
  if (ret != GST_FLOW_OK || self->whole_input == 0)
    push_ret = gst_weather_parse_push_readings (self);
  else
    push_ret = GST_FLOW_OK;
  return ret != GST_FLOW_OK ? ret : push_ret;
}

static gboolean
gst_weather_parse_sink_event (GstPad * pad, GstObject * parent,
    GstEvent * event)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (parent);

  switch (GST_EVENT_TYPE (event)) {
    case GST_EVENT_CAPS:
    case GST_EVENT_SEGMENT:
      /* upstream's caps and segment describe bytes; ours go out before the
       * first reading */
      gst_event_unref (event);
      return TRUE;
    case GST_EVENT_EOS:
      if (self->line->len > 0 || self->overlong) {
        /* the last line had no newline */
        GstFlowReturn ret;

        self->arrival = g_get_real_time () * 1000;
        ret = gst_weather_parse_line (self, NULL, 0);
        gst_weather_parse_count (self);
        if (ret != GST_FLOW_OK
            || gst_weather_parse_push_readings (self) != GST_FLOW_OK) {
          g_byte_array_set_size (self->line, 0);
          self->overlong = FALSE;
          gst_event_unref (event);
          return FALSE;
        }
        g_byte_array_set_size (self->line, 0);
        self->overlong = FALSE;
      }
      if (!self->have_origin) {
        gint64 start_time;

        GST_OBJECT_LOCK (self);
        start_time = self->start_time;
        GST_OBJECT_UNLOCK (self);
        self->origin = start_time >= 0 ? start_time : GST_WEATHER_REPLAY_START;
        self->have_origin = TRUE;
      }
      gst_weather_parse_send_segment (self);
      if (gst_weather_parse_push_readings (self) != GST_FLOW_OK) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
    case GST_EVENT_FLUSH_STOP:
      g_clear_pointer (&self->out, gst_buffer_list_unref);
      g_byte_array_set_size (self->line, 0);
      self->overlong = FALSE;
      self->segment_sent = FALSE;
      break;
    default:
      /* the readings before it go out before it */
      if (GST_EVENT_IS_SERIALIZED (event)
          && gst_weather_parse_push_readings (self) != GST_FLOW_OK) {
        gst_event_unref (event);
        return FALSE;
      }
      break;
  }

  return gst_pad_event_default (pad, parent, event);
}

static gboolean
gst_weather_parse_sink_query (GstPad * pad, GstObject * parent,
    GstQuery * query)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (parent);

  /* a serialized query (ALLOCATION, DRAIN) comes after the readings
   * before it */
  if (GST_QUERY_IS_SERIALIZED (query)
      && gst_weather_parse_push_readings (self) != GST_FLOW_OK)
    return FALSE;
  return gst_pad_query_default (pad, parent, query);
}

/* The decoder of the format, zone, station and stations file set now;
 * FALSE after posting an error a user can act on. */
static gboolean
gst_weather_parse_make_decoder (GstWeatherParse * self)
{
  GstWeatherDecoder *decoder = gst_weather_feed_decoder_new (GST_ELEMENT
      (self));

  if (decoder == NULL)
    return FALSE;
  GST_OBJECT_LOCK (self);
  gst_weather_decoder_free (self->decoder);
  self->decoder = decoder;
  GST_OBJECT_UNLOCK (self);
  return TRUE;
}

static GstStateChangeReturn
gst_weather_parse_change_state (GstElement * element, GstStateChange transition)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (element);
  GstStateChangeReturn ret;

  switch (transition) {
    case GST_STATE_CHANGE_READY_TO_PAUSED:
      if (!gst_weather_parse_make_decoder (self))
        return GST_STATE_CHANGE_FAILURE;
      gst_weather_parse_reset (self);
      break;
    default:
      break;
  }

  ret = GST_ELEMENT_CLASS (parent_class)->change_state (element, transition);
  if (ret == GST_STATE_CHANGE_FAILURE)
    return ret;

  switch (transition) {
    case GST_STATE_CHANGE_PAUSED_TO_READY:
      /* keep the counters for the application; drop the partial line */
      g_byte_array_set_size (self->line, 0);
      g_clear_pointer (&self->out, gst_buffer_list_unref);
      self->overlong = FALSE;
      if (self->pool) {
        gst_buffer_pool_set_active (self->pool, FALSE);
        gst_clear_object (&self->pool);
      }
      break;
    default:
      break;
  }
  return ret;
}

static GstStructure *
gst_weather_parse_get_stats (GstWeatherParse * self)
{
  GstStructure *s;

  GST_OBJECT_LOCK (self);
  s = gst_structure_new ("application/x-weatherparse-stats",
      "lines", G_TYPE_UINT64, self->lines,
      "readings", G_TYPE_UINT64, self->readings,
      "bad-lines", G_TYPE_UINT64, self->bad_lines,
      "too-early", G_TYPE_UINT64, self->too_early,
      "last-bad-line", G_TYPE_UINT64, self->last_bad_line, NULL);
  if (self->decoder)
    gst_weather_decoder_add_stats (self->decoder, s);
  GST_OBJECT_UNLOCK (self);
  return s;
}

static void
gst_weather_parse_set_property (GObject * object, guint prop_id,
    const GValue * value, GParamSpec * pspec)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (object);

  GST_OBJECT_LOCK (self);
  if (gst_weather_feed_set_property (&self->feed, PROP_FORMAT, prop_id, value)) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  switch (prop_id) {
    case PROP_STRICT:
      self->strict = g_value_get_boolean (value);
      break;
    case PROP_START_TIME:
      self->start_time = g_value_get_int64 (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
  GST_OBJECT_UNLOCK (self);
}

static void
gst_weather_parse_get_property (GObject * object, guint prop_id,
    GValue * value, GParamSpec * pspec)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (object);

  GST_OBJECT_LOCK (self);
  if (gst_weather_feed_get_property (&self->feed, PROP_FORMAT, prop_id, value)) {
    GST_OBJECT_UNLOCK (self);
    return;
  }
  GST_OBJECT_UNLOCK (self);
  switch (prop_id) {
    case PROP_STRICT:
      GST_OBJECT_LOCK (self);
      g_value_set_boolean (value, self->strict);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_START_TIME:
      GST_OBJECT_LOCK (self);
      g_value_set_int64 (value, self->start_time);
      GST_OBJECT_UNLOCK (self);
      break;
    case PROP_STATS:
      g_value_take_boxed (value, gst_weather_parse_get_stats (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      break;
  }
}

static void
gst_weather_parse_finalize (GObject * object)
{
  GstWeatherParse *self = GST_WEATHER_PARSE (object);

  g_byte_array_unref (self->line);
  gst_weather_decoder_free (self->decoder);
  gst_weather_feed_settings_clear (&self->feed);
  G_OBJECT_CLASS (parent_class)->finalize (object);
}

static void
gst_weather_parse_class_init (GstWeatherParseClass * klass)
{
  GObjectClass *gobject_class = G_OBJECT_CLASS (klass);
  GstElementClass *element_class = GST_ELEMENT_CLASS (klass);

  gobject_class->set_property = gst_weather_parse_set_property;
  gobject_class->get_property = gst_weather_parse_get_property;
  gobject_class->finalize = gst_weather_parse_finalize;

  /**
   * GstWeatherParse:strict:
   *
   * FALSE (default): a line that does not decode is skipped, counted and
   * logged. TRUE: it stops the stream with an element error (STREAM,
   * DECODE) naming the line.
   */
  g_object_class_install_property (gobject_class, PROP_STRICT,
      g_param_spec_boolean ("strict", "Strict",
          "Fail on the first line that is not a valid reading instead of "
          "skipping it", DEFAULT_STRICT,
          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_PLAYING));

  /**
   * GstWeatherParse:start-time:
   *
   * Origin of the output segment, ns since the UNIX epoch: PTS =
   * created_at - start-time, and readings made before it are dropped.
   * -1 (default): 2 hours (GST_WEATHER_MAX_LATENESS) before the first
   * reading, rounded down to a whole second. 0 to 2⁶³−1: every reading has
   * a PTS below 2⁶³, which the arithmetic of every element holds.
   */
  g_object_class_install_property (gobject_class, PROP_START_TIME,
      g_param_spec_int64 ("start-time", "Start time",
          "Origin of the timestamps in epoch ns (-1 = 2 hours before the "
          "first reading)", -1, G_MAXINT64,
          DEFAULT_START_TIME, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
          GST_PARAM_MUTABLE_READY));

  /* format, timezone, station, stations-file (docs/feeds.md) */
  gst_weather_feed_install_properties (gobject_class, PROP_FORMAT);

  /**
   * GstWeatherParse:stats:
   *
   * An `application/x-weatherparse-stats` structure, counted since the last start:
   * lines (guint64: lines read, empty ones included), readings (pushed),
   * bad-lines (skipped or fatal), too-early (readings before the origin,
   * dropped), last-bad-line (number of the last bad line, 1-based; 0 when
   * none); and the decoder's counters (docs/feeds.md): malformed,
   * bad-value, out-of-range, unknown-unit, bad-time, absurd-time,
   * no-station, no-measurement (why lines or measurements were not used)
   * and time-from-arrival, no-sea-level-pressure (readings pushed with
   * those flags).
   */
  g_object_class_install_property (gobject_class, PROP_STATS,
      g_param_spec_boxed ("stats", "Statistics",
          "Counters: lines, readings, bad-lines, too-early, last-bad-line "
          "and the decoder's (docs/feeds.md)",
          GST_TYPE_STRUCTURE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  gst_element_class_add_static_pad_template (element_class, &sink_template);
  gst_element_class_add_static_pad_template (element_class, &src_template);
  gst_element_class_set_static_metadata (element_class,
      "Weather JSON lines parser", "Codec/Parser",
      "Parses JSON lines into weather readings", GST_WEATHER_AUTHOR);

  element_class->change_state =
      GST_DEBUG_FUNCPTR (gst_weather_parse_change_state);

  gst_type_mark_as_plugin_api (GST_TYPE_WEATHER_FORMAT, 0);
}

static void
gst_weather_parse_init (GstWeatherParse * self)
{
  self->strict = DEFAULT_STRICT;
  self->start_time = DEFAULT_START_TIME;
  gst_weather_feed_settings_init (&self->feed);
  self->line = g_byte_array_new ();
  self->whole_input = -1;

  self->sinkpad = gst_pad_new_from_static_template (&sink_template, "sink");
  gst_pad_set_chain_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_parse_chain));
  gst_pad_set_event_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_parse_sink_event));
  gst_pad_set_query_function (self->sinkpad,
      GST_DEBUG_FUNCPTR (gst_weather_parse_sink_query));
  gst_element_add_pad (GST_ELEMENT (self), self->sinkpad);

  self->srcpad = gst_pad_new_from_static_template (&src_template, "src");
  gst_pad_use_fixed_caps (self->srcpad);
  gst_element_add_pad (GST_ELEMENT (self), self->srcpad);
}
