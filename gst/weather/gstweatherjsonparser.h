/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON parser behind the decoders; not installed. Only this
 * file and its users (the native decoders and the field view of
 * gstweatherfields.c) know json-glib: a faster parser replaces them.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "gstweather-private.h"

G_BEGIN_DECLS

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

/* Views of the top-level members of @object, in the payload's order,
 * appended to @fields (GstWeatherField); they point into @object. */
G_GNUC_INTERNAL
void            gst_weather_priv_json_fields        (JsonObject * object,
                                                     GArray * fields);

/* The native reading decoder on a parsed object or on text. With
 * @station_optional, a reading without station_id and station decodes
 * (station 0, no name) and *@has_station tells. */
G_GNUC_INTERNAL
gboolean        gst_weather_priv_reading_from_object (JsonObject * obj,
                                                     gboolean station_optional,
                                                     GstWeatherReading * reading,
                                                     gboolean * has_station,
                                                     GError ** error);

G_GNUC_INTERNAL
gboolean        gst_weather_priv_reading_from_json  (const gchar * data,
                                                     gssize len,
                                                     gboolean station_optional,
                                                     GstWeatherReading * reading,
                                                     gboolean * has_station,
                                                     GError ** error);

G_END_DECLS
