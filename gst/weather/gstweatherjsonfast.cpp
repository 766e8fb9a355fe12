/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The fast path of the strict JSON parser: simdjson's On-Demand API over
 * one flat object (docs/performance.md says why simdjson). It decides only
 * what it can decide exactly as the strict path (gstweatherjsonparser.c)
 * would; on anything else (nesting, escapes, an error of any kind) it
 * answers "undecided" and the strict path reads the payload instead, so
 * that accepted payloads and every error message stay the strict path's.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

/* simdjson's development checks (on unless NDEBUG) cost more than the
 * parsing; this unit has no assert() of its own */
#ifndef NDEBUG
#define NDEBUG
#endif
#include <simdjson.h>

#include "gstweatherjsonparser.h"

/* At most this many members are read on the fast path: the duplicate
 * check compares every pair. Larger objects take the strict path. */
#define FAST_MAX_MEMBERS 64

struct _GstWeatherJsonReader
{
  simdjson::ondemand::parser parser;
  /* the payload with SIMDJSON_PADDING readable bytes after it */
  guint8 *padded;
  gsize padded_size;
  /* the names and strings of the members, each NUL-terminated */
  gchar *arena;
  gsize arena_size;
  /* raw (escaped as written) key of each member, for duplicates */
  const guint8 *raw_key[FAST_MAX_MEMBERS];
  gsize raw_key_len[FAST_MAX_MEMBERS];
};

GstWeatherJsonReader *
gst_weather_priv_json_reader_new (void)
{
  return new (std::nothrow) GstWeatherJsonReader ();
}

void
gst_weather_priv_json_reader_free (GstWeatherJsonReader * reader)
{
  if (reader == NULL)
    return;
  g_free (reader->padded);
  g_free (reader->arena);
  delete reader;
}

/* TRUE when no byte of @data is a backslash or below 0x20: then no
 * string has an escape or a control character, and each one ends at the
 * next quote. Eight bytes at a time (the classic "has a byte less than"
 * and "has a zero byte" tests), without a branch per byte. */
static gboolean
payload_is_plain (const guint8 * data, gsize len)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 found = 0, w;
  gsize i = 0;

  for (; i + 8 <= len; i += 8) {
    memcpy (&w, data + i, 8);
    found |= (w - ones * 0x20) & ~w;
    w ^= ones * '\\';
    found |= (w - ones) & ~w;
  }
  for (; i < len; i++)
    found |= (data[i] < 0x20 || data[i] == '\\') ? highs : 0;
  return (found & highs) == 0;
}

/* The raw content of a string or key at @p (just past its opening quote):
 * its length when it has no escape and no control character (so that the
 * raw bytes are the value), else -1. */
static gssize
plain_string_length (const guint8 * p, const guint8 * end, gboolean plain)
{
  const guint8 *q;

  if (plain) {
    q = (const guint8 *) memchr (p, '"', end - p);
    return q ? q - p : -1;
  }
  for (q = p; q < end; q++) {
    if (*q == '"')
      return q - p;
    if (*q == '\\' || *q < 0x20)
      return -1;
  }
  return -1;
}

static const gchar *
arena_copy (GstWeatherJsonReader * reader, gsize * used, const guint8 * text,
    gsize len)
{
  gchar *copy = reader->arena + *used;

  memcpy (copy, text, len);
  copy[len] = '\0';
  *used += len + 1;
  return copy;
}

/* A JSON number token (digits, sign, point, exponent) at @p: an integer
 * for json-glib when it has neither a point nor an exponent. FALSE when it
 * has more than 19 digits: simdjson 3.0.1 misreads some long mantissas
 * (0.4444...4440444...7039476560217360162 became 5.3e-51; found by
 * fuzz-json-fast), so those are the strict path's. */
static gboolean
scan_number (const guint8 * p, const guint8 * end, gboolean * integer)
{
  guint digits = 0;

  *integer = TRUE;
  for (; p < end; p++) {
    if (g_ascii_isdigit (*p))
      digits++;
    else if (*p == '.' || *p == 'e' || *p == 'E')
      *integer = FALSE;
    else if (*p != '-' && *p != '+')
      break;
  }
  return digits <= 19;
}

static gboolean
read_members (GstWeatherJsonReader * reader, const guint8 * end, gsize len,
    gsize max_size, GArray * members)
{
  using namespace simdjson;
  ondemand::document doc;
  ondemand::object obj;
  gsize used = 0;
  guint n = 0;
  gboolean plain = payload_is_plain (end - len, len);
  guint base = members->len;
  GstWeatherJsonMember *out;

  if (reader->parser.iterate (reader->padded, len,
          reader->padded_size).get (doc))
    return FALSE;
  if (doc.get_object ().get (obj))
    return FALSE;

  /* written in place, the length set at the end */
  g_array_set_size (members, base + FAST_MAX_MEMBERS);
  out = (GstWeatherJsonMember *) members->data + base;

  for (auto result:obj) {
    ondemand::field field;
    ondemand::value value;
    ondemand::json_type type;
    GstWeatherJsonMember & m = out[n];
    const guint8 *key;
    gssize key_len;
    guint i;

    if (std::move (result).get (field))
      return FALSE;
    if (n == FAST_MAX_MEMBERS)
      return FALSE;
    /* the strict path's value budget: the object and its members */
    if (n + 2 > max_size / GST_WEATHER_JSON_VALUE_BUDGET_DIVISOR)
      return FALSE;
    memset (&m, 0, sizeof (m));
    key = (const guint8 *) field.key ().raw ();
    key_len = plain_string_length (key, end, plain);
    if (key_len < 0)
      return FALSE;
    for (i = 0; i < n; i++) {
      if (reader->raw_key_len[i] == (gsize) key_len
          && memcmp (reader->raw_key[i], key, key_len) == 0)
        return FALSE;
    }
    reader->raw_key[n] = key;
    reader->raw_key_len[n] = key_len;
    m.name = arena_copy (reader, &used, key, key_len);

    value = field.value ();
    if (value.type ().get (type))
      return FALSE;
    switch (type) {
      case ondemand::json_type::number:{
        std::string_view token;
        const guint8 *start;
        gboolean integer;

        token = value.raw_json_token ();
        start = (const guint8 *) token.data ();
        if (!scan_number (start, end, &integer))
          return FALSE;
        if (integer) {
          int64_t v;

          if (value.get_int64 ().get (v))
            return FALSE;
          m.kind = GST_WEATHER_JSON_INTEGER;
          m.integer = v;
        } else {
          double v;

          if (value.get_double ().get (v))
            return FALSE;
          m.kind = GST_WEATHER_JSON_DOUBLE;
          m.number = v;
        }
        break;
      }
      case ondemand::json_type::string:{
        ondemand::raw_json_string raw;
        const guint8 *text;
        gssize text_len;

        if (value.get_raw_json_string ().get (raw))
          return FALSE;
        text = (const guint8 *) raw.raw ();
        text_len = plain_string_length (text, end, plain);
        if (text_len < 0)
          return FALSE;
        m.kind = GST_WEATHER_JSON_STRING;
        m.text = arena_copy (reader, &used, text, text_len);
        m.text_len = text_len;
        break;
      }
      case ondemand::json_type::boolean:{
        bool v;

        if (value.get_bool ().get (v))
          return FALSE;
        m.kind = GST_WEATHER_JSON_BOOLEAN;
        m.boolean = v;
        break;
      }
      case ondemand::json_type::null:{
        bool is_null;

        if (value.is_null ().get (is_null) || !is_null)
          return FALSE;
        m.kind = GST_WEATHER_JSON_NULL;
        break;
      }
      default:
        /* objects and arrays: duplicates and depth at any level are the
         * strict path's */
        return FALSE;
    }
    n++;
  }

  /* nothing after the object */
  {
    const char *rest;

    if (doc.current_location ().get (rest) == SUCCESS)
      return FALSE;
  }
  g_array_set_size (members, base + n);
  return TRUE;
}

gboolean
gst_weather_priv_json_reader_read (GstWeatherJsonReader * reader,
    const gchar * data, gsize len, gsize max_size, GArray * members)
{
  gsize i;
  guint base;

  if (len > max_size || len == 0)
    return FALSE;
  /* only an object: simdjson would skip a byte-order mark that the strict
   * path refuses */
  for (i = 0; i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n'
          || data[i] == '\r'); i++);
  if (i == len || data[i] != '{')
    return FALSE;

  if (reader->padded_size < len + simdjson::SIMDJSON_PADDING) {
    g_free (reader->padded);
    reader->padded_size = MAX (len, 4096) + simdjson::SIMDJSON_PADDING;
    reader->padded = (guint8 *) g_malloc (reader->padded_size);
  }
  /* every key and string is shorter than its quotes and itself */
  if (reader->arena_size < len + 1) {
    g_free (reader->arena);
    reader->arena_size = MAX (len, 4096) + 1;
    reader->arena = (gchar *) g_malloc (reader->arena_size);
  }
  memcpy (reader->padded, data, len);
  memset (reader->padded + len, 0, simdjson::SIMDJSON_PADDING);

  base = members->len;
  if (!read_members (reader, reader->padded + len, len, max_size, members)) {
    g_array_set_size (members, base);
    return FALSE;
  }
  return TRUE;
}
