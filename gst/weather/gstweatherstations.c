/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The stations file: CSV with a header line, one station a line, mapping
 * a station to its name, altitude, position and region (docs/feeds.md).
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gstweather-private.h"

/* A stations file larger than this is refused (a million stations of
 * about 60 bytes). */
#define MAX_FILE_SIZE (64 * 1024 * 1024)

struct _GstWeatherStations
{
  GArray *entries;              /* GstWeatherStation */
  GStringChunk *strings;
  GHashTable *by_station;       /* station -> index + 1 */
  GHashTable *by_id;            /* id -> index + 1 */
};

enum
{
  COL_STATION,
  COL_NAME,
  COL_ID,
  COL_ALTITUDE,
  COL_LATITUDE,
  COL_LONGITUDE,
  COL_REGION,
  N_COLUMNS
};

static const gchar *column_names[N_COLUMNS] = {
  "station", "name", "id", "altitude_m", "latitude", "longitude", "region",
};

#define FAIL(line, ...) G_STMT_START { \
    gchar *msg_ = g_strdup_printf (__VA_ARGS__); \
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX, \
        "%s:%u: %s", origin, line, msg_); \
    g_free (msg_); \
    goto fail; \
  } G_STMT_END

/* Splits one CSV line (RFC 4180: a field in double quotes may hold commas,
 * and "" stands for a quote) into @cells; FALSE on a bad quote. */
static gboolean
split_csv_line (const gchar * line, gsize len, GPtrArray * cells)
{
  GString *cell = g_string_new (NULL);
  gsize i = 0;

  g_ptr_array_set_size (cells, 0);
  for (;;) {
    g_string_truncate (cell, 0);
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
      i++;
    if (i < len && line[i] == '"') {
      i++;
      for (;;) {
        if (i >= len)
          goto bad;
        if (line[i] == '"') {
          if (i + 1 < len && line[i + 1] == '"') {
            g_string_append_c (cell, '"');
            i += 2;
            continue;
          }
          i++;
          break;
        }
        g_string_append_c (cell, line[i++]);
      }
      while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
      if (i < len && line[i] != ',')
        goto bad;
    } else {
      while (i < len && line[i] != ',')
        g_string_append_c (cell, line[i++]);
      while (cell->len > 0 && (cell->str[cell->len - 1] == ' ' ||
              cell->str[cell->len - 1] == '\t'))
        g_string_truncate (cell, cell->len - 1);
    }
    g_ptr_array_add (cells, g_strdup (cell->str));
    if (i >= len)
      break;
    i++;                        /* ',' */
  }
  g_string_free (cell, TRUE);
  return TRUE;
bad:
  g_string_free (cell, TRUE);
  return FALSE;
}

static gboolean
parse_number (const gchar * text, gdouble min, gdouble max, gdouble * out)
{
  gchar *end;
  gdouble v;

  if (*text == '\0') {
    *out = NAN;
    return TRUE;
  }
  v = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !isfinite (v) || v < min || v > max)
    return FALSE;
  *out = v;
  return TRUE;
}

static gboolean
parse_id (const gchar * text, guint64 * out)
{
  return *text != '\0' && g_ascii_string_to_unsigned (text, 10, 0,
      G_MAXUINT32, out, NULL);
}

static void
index_id (GstWeatherStations * s, guint32 id, guint index)
{
  /* the first line that claims an id keeps it */
  if (!g_hash_table_contains (s->by_id, GUINT_TO_POINTER (id)))
    g_hash_table_insert (s->by_id, GUINT_TO_POINTER (id),
        GUINT_TO_POINTER (index + 1));
}

GstWeatherStations *
gst_weather_stations_parse (const gchar * text, gssize len,
    const gchar * origin, GError ** error)
{
  GstWeatherStations *s;
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  gint columns[N_COLUMNS];
  gboolean have_header = FALSE;
  const gchar *p, *end, *bad;
  guint line_no = 0, i;

  g_return_val_if_fail (text != NULL || len == 0, NULL);
  if (origin == NULL)
    origin = "stations";
  if (len < 0)
    len = strlen (text);

  s = g_atomic_rc_box_new0 (GstWeatherStations);
  s->entries = g_array_new (FALSE, FALSE, sizeof (GstWeatherStation));
  s->strings = g_string_chunk_new (4096);
  s->by_station = g_hash_table_new (g_str_hash, g_str_equal);
  s->by_id = g_hash_table_new (NULL, NULL);

  if (!g_utf8_validate_len (text, len, &bad)) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_UTF8,
        "%s: not valid UTF-8 at byte %" G_GSIZE_FORMAT, origin,
        (gsize) (bad - text));
    goto fail;
  }

  for (p = text, end = text + len; p < end;) {
    const gchar *nl = memchr (p, '\n', end - p);
    gsize n = nl ? (gsize) (nl - p) : (gsize) (end - p);
    const gchar *line = p;
    GstWeatherStation st;
    guint64 id = 0;
    gboolean has_id;

    p += n + (nl ? 1 : 0);
    line_no++;
    if (n > 0 && line[n - 1] == '\r')
      n--;
    while (n > 0 && (*line == ' ' || *line == '\t')) {
      line++;
      n--;
    }
    if (n == 0 || line[0] == '#')
      continue;
    if (memchr (line, '\0', n))
      FAIL (line_no, "a NUL byte in the line");
    if (!split_csv_line (line, n, cells))
      FAIL (line_no, "a quoted field is not closed or is followed by text");

    if (!have_header) {
      for (i = 0; i < N_COLUMNS; i++)
        columns[i] = -1;
      for (i = 0; i < cells->len; i++) {
        const gchar *c = g_ptr_array_index (cells, i);
        guint k;

        for (k = 0; k < N_COLUMNS; k++)
          if (g_str_equal (c, column_names[k]))
            break;
        if (k == N_COLUMNS)
          FAIL (line_no, "unknown column \"%s\" (columns: station, name, "
              "id, altitude_m, latitude, longitude, region)", c);
        if (columns[k] >= 0)
          FAIL (line_no, "column \"%s\" appears twice", c);
        columns[k] = i;
      }
      if (columns[COL_STATION] < 0)
        FAIL (line_no, "the header has no \"station\" column");
      have_header = TRUE;
      continue;
    }
#define CELL(k) (columns[k] >= 0 && (guint) columns[k] < cells->len ? \
    (const gchar *) g_ptr_array_index (cells, columns[k]) : "")
    if (*CELL (COL_STATION) == '\0')
      FAIL (line_no, "station: empty");
    if (g_hash_table_contains (s->by_station, CELL (COL_STATION)))
      FAIL (line_no, "station: \"%s\" is already on an earlier line",
          CELL (COL_STATION));
    st.station = g_string_chunk_insert (s->strings, CELL (COL_STATION));
    st.name = *CELL (COL_NAME) ? g_string_chunk_insert (s->strings,
        CELL (COL_NAME)) : st.station;
    if (strlen (st.name) > GST_WEATHER_STATION_NAME_MAX_LEN)
      FAIL (line_no, "%s: \"%s\" is longer than %d bytes",
          *CELL (COL_NAME) ? "name" : "station", st.name,
          GST_WEATHER_STATION_NAME_MAX_LEN);
    has_id = *CELL (COL_ID) != '\0';
    if (has_id && !parse_id (CELL (COL_ID), &id))
      FAIL (line_no, "id: \"%s\" is not a number 0–4294967295",
          CELL (COL_ID));
    st.id = has_id ? (guint32) id : gst_weather_station_id_from_name (st.name);
    if (!parse_number (CELL (COL_ALTITUDE), -500.0, 9000.0, &st.altitude_m))
      FAIL (line_no, "altitude_m: \"%s\" is not a number of metres "
          "-500–9000", CELL (COL_ALTITUDE));
    if (!parse_number (CELL (COL_LATITUDE), -90.0, 90.0, &st.latitude))
      FAIL (line_no, "latitude: \"%s\" is not a number of degrees -90–90",
          CELL (COL_LATITUDE));
    if (!parse_number (CELL (COL_LONGITUDE), -180.0, 180.0, &st.longitude))
      FAIL (line_no, "longitude: \"%s\" is not a number of degrees "
          "-180–180", CELL (COL_LONGITUDE));
    if (strlen (CELL (COL_REGION)) > GST_WEATHER_STATION_NAME_MAX_LEN)
      FAIL (line_no, "region: \"%s\" is longer than %d bytes",
          CELL (COL_REGION), GST_WEATHER_STATION_NAME_MAX_LEN);
    st.region = *CELL (COL_REGION) ? g_string_chunk_insert (s->strings,
        CELL (COL_REGION)) : NULL;
#undef CELL

    g_array_append_val (s->entries, st);
    g_hash_table_insert (s->by_station, (gpointer) st.station,
        GUINT_TO_POINTER (s->entries->len));
    index_id (s, st.id, s->entries->len - 1);
    if (parse_id (st.station, &id))
      index_id (s, (guint32) id, s->entries->len - 1);
  }
  if (!have_header) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_SYNTAX,
        "%s: no header line (station,name,id,altitude_m,latitude,"
        "longitude,region)", origin);
    goto fail;
  }
  g_ptr_array_unref (cells);
  return s;

fail:
  g_ptr_array_unref (cells);
  gst_weather_stations_unref (s);
  return NULL;
}

GstWeatherStations *
gst_weather_stations_load (const gchar * path, GError ** error)
{
  GstWeatherStations *s;
  GMappedFile *file;
  GError *err = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  file = g_mapped_file_new (path, FALSE, &err);
  if (!file) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_MISSING,
        "%s: %s", path, err->message);
    g_error_free (err);
    return NULL;
  }
  if (g_mapped_file_get_length (file) > MAX_FILE_SIZE) {
    g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_TOO_LARGE,
        "%s: larger than %d bytes", path, MAX_FILE_SIZE);
    g_mapped_file_unref (file);
    return NULL;
  }
  s = gst_weather_stations_parse (g_mapped_file_get_contents (file),
      g_mapped_file_get_length (file), path, error);
  g_mapped_file_unref (file);
  return s;
}

static void
stations_clear (GstWeatherStations * s)
{
  g_array_unref (s->entries);
  g_string_chunk_free (s->strings);
  g_hash_table_unref (s->by_station);
  g_hash_table_unref (s->by_id);
}

GstWeatherStations *
gst_weather_stations_ref (GstWeatherStations * stations)
{
  g_return_val_if_fail (stations != NULL, NULL);
  return g_atomic_rc_box_acquire (stations);
}

void
gst_weather_stations_unref (GstWeatherStations * stations)
{
  g_return_if_fail (stations != NULL);
  g_atomic_rc_box_release_full (stations, (GDestroyNotify) stations_clear);
}

guint
gst_weather_stations_get_size (GstWeatherStations * stations)
{
  g_return_val_if_fail (stations != NULL, 0);
  return stations->entries->len;
}

const GstWeatherStation *
gst_weather_stations_lookup_name (GstWeatherStations * stations,
    const gchar * station)
{
  guint index;

  g_return_val_if_fail (stations != NULL, NULL);
  g_return_val_if_fail (station != NULL, NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (stations->by_station,
          station));
  return index ? &g_array_index (stations->entries, GstWeatherStation,
      index - 1) : NULL;
}

const GstWeatherStation *
gst_weather_stations_lookup_id (GstWeatherStations * stations, guint32 id)
{
  guint index;

  g_return_val_if_fail (stations != NULL, NULL);

  index = GPOINTER_TO_UINT (g_hash_table_lookup (stations->by_id,
          GUINT_TO_POINTER (id)));
  return index ? &g_array_index (stations->entries, GstWeatherStation,
      index - 1) : NULL;
}
