/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON parser: RFC 8259 enforced on the raw bytes, then the
 * json-glib tree of the one object the payload holds.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweatherjsonparser.h"

/* Deepest nesting the strict scanner accepts; our records need 3. */
#define MAX_DEPTH 32

/* Up to this many keys per object are checked for duplicates without
 * allocating; larger objects use a hash table. */
#define INLINE_KEYS 24

/* json-glib is lenient (single quotes, comments, leading zeros, values
 * after the root, duplicate keys where the last wins, integers that wrap
 * around). This scanner enforces RFC 8259 on the raw bytes first, so that
 * json-glib only ever sees well-formed input. */

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  guint depth;
  /* the key whose value is being scanned, for error messages */
  const guchar *key;
  gsize key_len;
  /* values left before the payload is refused: bounds the memory of the
   * json-glib tree, whatever the shape of the input */
  gsize values_left;
  GError **error;
} Scanner;

static gboolean scan_value (Scanner * s);

static gboolean
scan_fail (Scanner * s, GstWeatherError code, const gchar * what)
{
  if (s->key)
    g_set_error (s->error, GST_WEATHER_ERROR, code,
        "%.*s: %s at byte %" G_GSIZE_FORMAT, (gint) MIN (s->key_len, 64),
        (const gchar *) s->key, what, (gsize) (s->p - s->start));
  else
    g_set_error (s->error, GST_WEATHER_ERROR, code,
        "payload: %s at byte %" G_GSIZE_FORMAT, what,
        (gsize) (s->p - s->start));
  return FALSE;
}

static void
scan_ws (Scanner * s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n'
          || *s->p == '\r'))
    s->p++;
}

static gint
scan_hex4 (Scanner * s)
{
  gint v = 0, i;

  if (s->end - s->p < 4)
    return -1;
  for (i = 0; i < 4; i++) {
    gint d = g_ascii_xdigit_value (s->p[i]);
    if (d < 0)
      return -1;
    v = v * 16 + d;
  }
  s->p += 4;
  return v;
}

/* On the opening quote; leaves the raw content in @content/@len. */
static gboolean
scan_string (Scanner * s, const guchar ** content, gsize * len)
{
  s->p++;
  *content = s->p;
  while (s->p < s->end) {
    guchar c = *s->p;

    if (c == '"') {
      *len = s->p - *content;
      s->p++;
      return TRUE;
    }
    if (c < 0x20)
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "unescaped control character in a string");
    if (c != '\\') {
      s->p++;
      continue;
    }
    s->p++;
    if (s->p >= s->end)
      break;
    c = *s->p++;
    if (c == 'u') {
      gint cp = scan_hex4 (s);

      if (cp < 0)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed \\u escape");
      if (cp == 0)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
            "\\u0000 is not allowed in strings");
      if (cp >= 0xdc00 && cp <= 0xdfff)
        return scan_fail (s, GST_WEATHER_ERROR_UTF8,
            "lone low surrogate in a \\u escape");
      if (cp >= 0xd800 && cp <= 0xdbff) {
        gint lo;

        if (s->end - s->p < 2 || s->p[0] != '\\' || s->p[1] != 'u')
          return scan_fail (s, GST_WEATHER_ERROR_UTF8,
              "lone high surrogate in a \\u escape");
        s->p += 2;
        lo = scan_hex4 (s);
        if (lo < 0xdc00 || lo > 0xdfff)
          return scan_fail (s, GST_WEATHER_ERROR_UTF8,
              "high surrogate not followed by a low surrogate");
      }
    } else if (!strchr ("\"\\/bfnrt", c) || c == '\0') {
      s->p--;
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "invalid escape");
    }
  }
  return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unterminated string");
}

static gboolean
scan_number (Scanner * s)
{
  const guchar *num = s->p;
  gboolean negative = FALSE, integer = TRUE;
  guint64 value = 0, limit;
  gboolean overflow = FALSE;

  if (*s->p == '-') {
    negative = TRUE;
    s->p++;
  }
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed number");
  if (*s->p == '0' && s->p + 1 < s->end && g_ascii_isdigit (s->p[1]))
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
        "number with a leading zero");
  limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  while (s->p < s->end && g_ascii_isdigit (*s->p)) {
    guint d = *s->p++ - '0';

    if (value > (limit - d) / 10)
      overflow = TRUE;
    else
      value = value * 10 + d;
  }
  if (s->p < s->end && *s->p == '.') {
    integer = FALSE;
    s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "no digit after the decimal point");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
    integer = FALSE;
    s->p++;
    if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
      s->p++;
    if (s->p >= s->end || !g_ascii_isdigit (*s->p))
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "malformed exponent");
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  }
  if (integer && overflow) {
    s->p = num;
    return scan_fail (s, GST_WEATHER_ERROR_RANGE,
        "integer does not fit in 64 bits");
  }
  return TRUE;
}

static gboolean
scan_literal (Scanner * s, const gchar * word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unexpected character");
  s->p += len;
  return TRUE;
}

typedef struct
{
  const guchar *key;
  gsize len;
} KeyRef;

static guint
key_ref_hash (gconstpointer p)
{
  const KeyRef *k = p;
  guint h = 5381;
  gsize i;

  for (i = 0; i < k->len; i++)
    h = h * 33 + k->key[i];
  return h;
}

static gboolean
key_ref_equal (gconstpointer a, gconstpointer b)
{
  const KeyRef *ka = a, *kb = b;

  return ka->len == kb->len && memcmp (ka->key, kb->key, ka->len) == 0;
}

static KeyRef *
key_ref_copy (const KeyRef * k)
{
  KeyRef *copy = g_new (KeyRef, 1);

  *copy = *k;
  return copy;
}

static gboolean
scan_object (Scanner * s)
{
  KeyRef inline_keys[INLINE_KEYS];
  GHashTable *more = NULL;
  guint n_keys = 0;
  gboolean ret = FALSE;
  const guchar *outer_key = s->key;
  gsize outer_len = s->key_len;

  s->p++;                       /* '{' */
  scan_ws (s);
  if (s->p < s->end && *s->p == '}') {
    s->p++;
    return TRUE;
  }
  for (;;) {
    KeyRef k;
    guint i;

    scan_ws (s);
    if (s->p >= s->end || *s->p != '"') {
      scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected a quoted key");
      goto done;
    }
    if (!scan_string (s, &k.key, &k.len))
      goto done;
    s->key = k.key;
    s->key_len = k.len;

    /* duplicates are compared as written: "a" and "\u0061" differ */
    if (n_keys < INLINE_KEYS) {
      for (i = 0; i < n_keys; i++) {
        if (key_ref_equal (&inline_keys[i], &k)) {
          scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "duplicate key");
          goto done;
        }
      }
      inline_keys[n_keys] = k;
    } else {
      if (more == NULL) {
        more = g_hash_table_new_full (key_ref_hash, key_ref_equal, g_free,
            NULL);
        for (i = 0; i < INLINE_KEYS; i++)
          g_hash_table_add (more, key_ref_copy (&inline_keys[i]));
      }
      if (!g_hash_table_add (more, key_ref_copy (&k))) {
        scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "duplicate key");
        goto done;
      }
    }
    n_keys++;

    scan_ws (s);
    if (s->p >= s->end || *s->p != ':') {
      scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ':' after the key");
      goto done;
    }
    s->p++;
    scan_ws (s);
    if (!scan_value (s))
      goto done;
    scan_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (s->p < s->end && *s->p == '}') {
      s->p++;
      ret = TRUE;
      goto done;
    }
    scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ',' or '}'");
    goto done;
  }
done:
  if (more)
    g_hash_table_unref (more);
  if (ret) {
    s->key = outer_key;
    s->key_len = outer_len;
  }
  return ret;
}

static gboolean
scan_array (Scanner * s)
{
  s->p++;                       /* '[' */
  scan_ws (s);
  if (s->p < s->end && *s->p == ']') {
    s->p++;
    return TRUE;
  }
  for (;;) {
    scan_ws (s);
    if (!scan_value (s))
      return FALSE;
    scan_ws (s);
    if (s->p < s->end && *s->p == ',') {
      s->p++;
      continue;
    }
    if (s->p < s->end && *s->p == ']') {
      s->p++;
      return TRUE;
    }
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "expected ',' or ']'");
  }
}

static gboolean
scan_value (Scanner * s)
{
  const guchar *content;
  gsize len;
  gboolean ret;

  if (s->p >= s->end)
    return scan_fail (s, GST_WEATHER_ERROR_SYNTAX, "unexpected end of input");
  if (s->values_left == 0)
    return scan_fail (s, GST_WEATHER_ERROR_TOO_LARGE,
        "too many JSON values for the payload's size limit");
  s->values_left--;

  switch (*s->p) {
    case '{':
    case '[':
      if (++s->depth > MAX_DEPTH)
        return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
            "nesting deeper than 32 levels");
      ret = *s->p == '{' ? scan_object (s) : scan_array (s);
      s->depth--;
      return ret;
    case '"':
      return scan_string (s, &content, &len);
    case 't':
      return scan_literal (s, "true");
    case 'f':
      return scan_literal (s, "false");
    case 'n':
      return scan_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s);
      return scan_fail (s, GST_WEATHER_ERROR_SYNTAX,
          "unexpected character (not a JSON value)");
  }
}

/* Size, UTF-8, strict syntax, one object and nothing after it; then the
 * json-glib tree. */
JsonParser *
gst_weather_priv_json_parse (const gchar * data, gssize len, gsize max_size,
    JsonObject ** object, GError ** error)
{
  Scanner s = { 0, };
  JsonParser *parser;
  JsonNode *root;
  GError *err = NULL;
  const gchar *bad;

  if (data == NULL) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: no data");
    return NULL;
  }
  if (len < 0) {
    /* do not scan further than the limit for a runaway string */
    len = strnlen (data, max_size + 1);
  }
  if ((gsize) len > max_size) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TOO_LARGE,
        "payload: %" G_GSSIZE_FORMAT " bytes, more than the limit of %"
        G_GSIZE_FORMAT " bytes", len, max_size);
    return NULL;
  }
  if (!g_utf8_validate_len (data, len, &bad)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "payload: not valid UTF-8 at byte %" G_GSIZE_FORMAT,
        (gsize) (bad - data));
    return NULL;
  }

  s.start = s.p = (const guchar *) data;
  s.end = s.start + len;
  s.error = error;
  s.values_left = max_size / GST_WEATHER_JSON_VALUE_BUDGET_DIVISOR;
  scan_ws (&s);
  if (s.p >= s.end) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: empty");
    return NULL;
  }
  if (*s.p != '{') {
    if (!scan_value (&s))
      return NULL;
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
        "payload: not a JSON object");
    return NULL;
  }
  if (!scan_value (&s))
    return NULL;
  scan_ws (&s);
  if (s.p != s.end) {
    scan_fail (&s, GST_WEATHER_ERROR_SYNTAX,
        "trailing data after the JSON object");
    return NULL;
  }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &err)) {
    /* not expected after the scanner, but json-glib has the last word */
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "payload: %s", err->message);
    g_error_free (err);
    g_object_unref (parser);
    return NULL;
  }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TYPE,
        "payload: not a JSON object");
    g_object_unref (parser);
    return NULL;
  }
  *object = json_node_get_object (root);
  return parser;
}

void
gst_weather_priv_json_node_member (const gchar * name, JsonNode * node,
    GstWeatherJsonMember * m)
{
  memset (m, 0, sizeof (*m));
  m->name = name;
  switch (json_node_get_node_type (node)) {
    case JSON_NODE_OBJECT:
      m->kind = GST_WEATHER_JSON_OBJECT;
      m->node = node;
      break;
    case JSON_NODE_ARRAY:
      m->kind = GST_WEATHER_JSON_ARRAY;
      m->node = node;
      break;
    case JSON_NODE_NULL:
      m->kind = GST_WEATHER_JSON_NULL;
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node)) {
        case G_TYPE_BOOLEAN:
          m->kind = GST_WEATHER_JSON_BOOLEAN;
          m->boolean = json_node_get_boolean (node);
          break;
        case G_TYPE_INT64:
          m->kind = GST_WEATHER_JSON_INTEGER;
          m->integer = json_node_get_int (node);
          break;
        case G_TYPE_DOUBLE:
          m->kind = GST_WEATHER_JSON_DOUBLE;
          m->number = json_node_get_double (node);
          break;
        case G_TYPE_STRING:
          m->kind = GST_WEATHER_JSON_STRING;
          m->text = json_node_get_string (node);
          m->text_len = strlen (m->text);
          break;
        default:
          /* json-glib makes no other value */
          g_assert_not_reached ();
      }
      break;
  }
}

void
gst_weather_priv_json_object_members (JsonObject * object, GArray * members)
{
  JsonObjectIter iter;
  const gchar *name;
  JsonNode *node;

  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &name, &node)) {
    GstWeatherJsonMember m;

    gst_weather_priv_json_node_member (name, node, &m);
    g_array_append_val (members, m);
  }
}

/* The fast path's state of a thread that decodes without a decoder of
 * its own (gst_weather_reading_from_json() and its kin). */
static GPrivate thread_reader =
G_PRIVATE_INIT ((GDestroyNotify) gst_weather_priv_json_reader_free);

gboolean
gst_weather_priv_json_members (GstWeatherJsonReader * reader,
    const gchar * data, gssize len, gsize max_size, GArray * members,
    JsonParser ** parser, GError ** error)
{
  JsonObject *object;

  *parser = NULL;
  if (data != NULL) {
    gsize n = len < 0 ? strnlen (data, max_size + 1) : (gsize) len;

    if (reader == NULL) {
      reader = g_private_get (&thread_reader);
      if (reader == NULL) {
        reader = gst_weather_priv_json_reader_new ();
        g_private_set (&thread_reader, reader);
      }
    }
    if (gst_weather_priv_json_reader_read (reader, data, n, max_size, members))
      return TRUE;
  }

  /* the strict path: every error message is its own */
  *parser = gst_weather_priv_json_parse (data, len, max_size, &object, error);
  if (*parser == NULL)
    return FALSE;
  gst_weather_priv_json_object_members (object, members);
  return TRUE;
}

void
gst_weather_priv_json_fields (const GstWeatherJsonMember * members, guint n,
    GArray * fields)
{
  guint i;

  for (i = 0; i < n; i++) {
    const GstWeatherJsonMember *m = &members[i];
    GstWeatherField f = { m->name, GST_WEATHER_FIELD_OTHER, NULL, 0.0 };

    switch (m->kind) {
      case GST_WEATHER_JSON_NULL:
        f.kind = GST_WEATHER_FIELD_NULL;
        break;
      case GST_WEATHER_JSON_STRING:
        f.kind = GST_WEATHER_FIELD_STRING;
        f.text = m->text;
        break;
      case GST_WEATHER_JSON_INTEGER:
        f.kind = GST_WEATHER_FIELD_NUMBER;
        f.number = (gdouble) m->integer;
        break;
      case GST_WEATHER_JSON_DOUBLE:
        f.kind = GST_WEATHER_FIELD_NUMBER;
        f.number = m->number;
        break;
      default:
        break;
    }
    g_array_append_val (fields, f);
  }
}
