/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON parser behind the decoders; not installed. Payloads
 * are read into member views (GstWeatherJsonMember) by a fast path
 * (simdjson, gstweatherjsonfast.cpp) where it can decide, else by the
 * strict scanner and json-glib (gstweatherjsonparser.c); the decoders
 * only see the views.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gstweather-private.h"

G_BEGIN_DECLS

/* At most one JSON value per this many bytes of the size limit (4096 in
 * a reading or prediction, 4 Mi in a group): a canonical reading has 12
 * values in about 270 bytes, a group slot at most 12 in about 120. */
#define GST_WEATHER_JSON_VALUE_BUDGET_DIVISOR 16

typedef enum
{
  GST_WEATHER_JSON_NULL,
  GST_WEATHER_JSON_BOOLEAN,
  GST_WEATHER_JSON_INTEGER,     /* no point, no exponent: fits in 64 bits */
  GST_WEATHER_JSON_DOUBLE,
  GST_WEATHER_JSON_STRING,
  GST_WEATHER_JSON_OBJECT,
  GST_WEATHER_JSON_ARRAY,
} GstWeatherJsonKind;

/* One member of a parsed object; its strings live as long as the reader
 * or the JsonParser that made it. */
typedef struct
{
  const gchar *name;            /* unescaped, NUL-terminated */
  GstWeatherJsonKind kind;
  gboolean boolean;
  gint64 integer;
  gdouble number;
  const gchar *text;            /* STRING: unescaped, NUL-terminated */
  gsize text_len;
  JsonNode *node;               /* OBJECT, ARRAY: the json-glib node */
} GstWeatherJsonMember;

/* The fast path's state, kept by a decoder (one per streaming thread). */
typedef struct _GstWeatherJsonReader GstWeatherJsonReader;

G_GNUC_INTERNAL
GstWeatherJsonReader * gst_weather_priv_json_reader_new (void);

G_GNUC_INTERNAL
void            gst_weather_priv_json_reader_free   (GstWeatherJsonReader * reader);

/* The fast path: TRUE when @data (@len bytes, at most @max_size) is one
 * flat object of scalars that the strict path accepts, its members
 * appended to @members (GstWeatherJsonMember) in order; FALSE, with
 * @members untouched, when it cannot decide. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_json_reader_read   (GstWeatherJsonReader * reader,
                                                     const gchar * data,
                                                     gsize len,
                                                     gsize max_size,
                                                     GArray * members);

/* Checks at most @max_size bytes of @data (@len -1: NUL-terminated) for
 * valid UTF-8 and strict RFC 8259 syntax (no duplicate keys, integers that
 * fit in 64 bits, bounded nesting and value count), one object and nothing
 * after it; then builds the json-glib tree. Returns the parser that owns
 * *@object (unref it when done), or NULL with @error set ("payload: ..."
 * or "FIELD: ..."). */
G_GNUC_INTERNAL
JsonParser *    gst_weather_priv_json_parse         (const gchar * data,
                                                     gssize len,
                                                     gsize max_size,
                                                     JsonObject ** object,
                                                     GError ** error);

/* The view of @node, a member named @name (NULL for an array element). */
G_GNUC_INTERNAL
void            gst_weather_priv_json_node_member   (const gchar * name,
                                                     JsonNode * node,
                                                     GstWeatherJsonMember * m);

/* Views of the members of @object, in the payload's order, appended to
 * @members (GstWeatherJsonMember); they point into @object. */
G_GNUC_INTERNAL
void            gst_weather_priv_json_object_members (JsonObject * object,
                                                     GArray * members);

/* The members of the one object of @data (@len -1: NUL-terminated), read
 * by @reader's fast path when it can decide (@reader may be NULL: a
 * thread's own), else by gst_weather_priv_json_parse(): then *@parser
 * owns what the members point to (unref it when done; NULL otherwise).
 * FALSE with @error as gst_weather_priv_json_parse() sets it. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_json_members       (GstWeatherJsonReader * reader,
                                                     const gchar * data,
                                                     gssize len,
                                                     gsize max_size,
                                                     GArray * members,
                                                     JsonParser ** parser,
                                                     GError ** error);

/* The fields of docs/feeds.md's dialects from @n members. */
G_GNUC_INTERNAL
void            gst_weather_priv_json_fields        (const GstWeatherJsonMember * members,
                                                     guint n,
                                                     GArray * fields);

/* The native reading decoder on the @n members of an object. With
 * @station_optional, a reading without station_id and station decodes
 * (station 0, no name) and *@has_station tells. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_reading_from_members (const GstWeatherJsonMember * members,
                                                     guint n,
                                                     gboolean station_optional,
                                                     GstWeatherReading * reading,
                                                     gboolean * has_station,
                                                     GError ** error);

G_END_DECLS
