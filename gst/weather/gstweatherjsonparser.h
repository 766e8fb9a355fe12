/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The strict JSON parser behind the decoders; not installed. Only this
 * file and its users (the native decoders and the field view of
 * gstweatherfields.c) know json-glib: a faster parser replaces it here.
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

G_END_DECLS
