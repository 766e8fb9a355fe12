/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The one decoder of real feeds (docs/feeds.md) that weatherparse and
 * mqttsrc share: it picks the dialect, lets it map the fields, then
 * finishes the reading the same way for every dialect (station, stations
 * file, time, sea-level pressure, resolution) and counts what it refused.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweatherdialect.h"
#include "gstweatherjsonparser.h"

#define GST_CAT_DEFAULT gst_weather_lib_debug

#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
/* 2000-01-01T00:00:00Z: older dialect times are absurd */
#define EARLIEST_NS (G_GINT64_CONSTANT (946684800) * NS_PER_SECOND)
/* a dialect time more than this after the arrival is absurd */
#define MAX_AHEAD_NS (G_GINT64_CONSTANT (86400) * NS_PER_SECOND)

static const gchar *problem_names[GST_WEATHER_DECODE_N_PROBLEMS] = {
  "malformed", "bad-value", "out-of-range", "unknown-unit", "bad-time",
  "absurd-time", "no-station", "no-measurement",
};

struct _GstWeatherDecoder
{
  /* settings: set before decoding starts, by the thread that decodes */
  GstWeatherFormat format;
  GstObject *log_object;        /* not owned: the element owns us */
  GTimeZone *timezone;
  gchar *station;
  GstWeatherStations *stations;

  /* scratch of the decoding thread */
  GstWeatherJsonReader *reader;
  GArray *members;              /* GstWeatherJsonMember */
  GArray *fields;               /* GstWeatherField */

  GMutex lock;
  /* counters, guarded by lock */
  guint64 problems[GST_WEATHER_DECODE_N_PROBLEMS];
  guint64 time_from_arrival;
  guint64 no_sea_level;
};

G_DEFINE_QUARK (gst - weather - decode - error - quark,
    gst_weather_decode_error);

GstWeatherDecoder *
gst_weather_decoder_new (GstWeatherFormat format, GstObject * log_object)
{
  GstWeatherDecoder *d;

  g_return_val_if_fail (format <= GST_WEATHER_FORMAT_AUTO, NULL);

  d = g_new0 (GstWeatherDecoder, 1);
  d->format = format;
  d->log_object = log_object;
  d->timezone = g_time_zone_new_local ();
  d->reader = gst_weather_priv_json_reader_new ();
  d->members = g_array_sized_new (FALSE, FALSE,
      sizeof (GstWeatherJsonMember), 64);
  d->fields = g_array_sized_new (FALSE, FALSE, sizeof (GstWeatherField), 64);
  g_mutex_init (&d->lock);
  return d;
}

void
gst_weather_decoder_free (GstWeatherDecoder * d)
{
  if (d == NULL)
    return;
  g_time_zone_unref (d->timezone);
  g_free (d->station);
  g_clear_pointer (&d->stations, gst_weather_stations_unref);
  gst_weather_priv_json_reader_free (d->reader);
  g_array_unref (d->members);
  g_array_unref (d->fields);
  g_mutex_clear (&d->lock);
  g_free (d);
}

gboolean
gst_weather_decoder_set_timezone (GstWeatherDecoder * d,
    const gchar * timezone, GError ** error)
{
  GTimeZone *tz;

  g_return_val_if_fail (d != NULL, FALSE);

  if (timezone == NULL || *timezone == '\0') {
    tz = g_time_zone_new_local ();
  } else {
    tz = g_time_zone_new_identifier (timezone);
    if (tz == NULL) {
      g_set_error (error, GST_WEATHER_ERROR, GST_WEATHER_ERROR_RANGE,
          "timezone: \"%s\" is not a time zone this system knows (an IANA "
          "name such as \"Europe/Berlin\", or \"UTC\")", timezone);
      return FALSE;
    }
  }
  g_time_zone_unref (d->timezone);
  d->timezone = tz;
  return TRUE;
}

gboolean
gst_weather_decoder_set_station (GstWeatherDecoder * d, const gchar * station,
    GError ** error)
{
  GstWeatherReading probe;

  g_return_val_if_fail (d != NULL, FALSE);

  if (station && *station
      && !gst_weather_reading_set_station_name (&probe, station, error))
    return FALSE;
  g_free (d->station);
  d->station = station && *station ? g_strdup (station) : NULL;
  return TRUE;
}

void
gst_weather_decoder_set_stations (GstWeatherDecoder * d,
    GstWeatherStations * stations)
{
  g_return_if_fail (d != NULL);

  g_clear_pointer (&d->stations, gst_weather_stations_unref);
  if (stations)
    d->stations = gst_weather_stations_ref (stations);
}

static gboolean
refuse (GstWeatherDecoder * d, GError ** error, GstWeatherDecodeProblem p,
    const gchar * format, ...)
G_GNUC_PRINTF (4, 5);

/* Counts @p and fails with it. */
     static gboolean
         refuse (GstWeatherDecoder * d, GError ** error,
    GstWeatherDecodeProblem p, const gchar * format, ...)
{
  va_list args;

  g_mutex_lock (&d->lock);
  d->problems[p]++;
  g_mutex_unlock (&d->lock);
  if (format) {
    va_start (args, format);
    if (error) {
      gchar *msg = g_strdup_vprintf (format, args);
      g_set_error_literal (error, GST_WEATHER_DECODE_ERROR, p, msg);
      g_free (msg);
    }
    va_end (args);
  }
  return FALSE;
}

/* The station: the topic's, else the payload's (already in @r), else the
 * decoder's; then the stations file's name for it. *@entry: the stations
 * file's line, or NULL. */
static gboolean
finish_station (GstWeatherDecoder * d, GstWeatherReading * r,
    gboolean payload_has_station, const gchar * topic_station,
    const GstWeatherStation ** entry, GError ** error)
{
  const GstWeatherStation *st = NULL;
  const gchar *name = NULL;
  GError *err = NULL;

  *entry = NULL;
  if (topic_station)
    name = topic_station;
  else if (!payload_has_station && d->station)
    name = d->station;
  else if (!payload_has_station)
    return refuse (d, error, GST_WEATHER_DECODE_NO_STATION, "station: the "
        "payload names no station; take it from the topic (station-from="
        "topic-level) or set the station property");

  if (name) {
    if (!gst_weather_reading_set_station_name (r, name, &err)) {
      refuse (d, error, GST_WEATHER_DECODE_NO_STATION, "%s", err->message);
      g_error_free (err);
      return FALSE;
    }
    r->station_id = gst_weather_station_id_from_name (name);
  }

  if (d->stations) {
    st = r->station_name[0] ? gst_weather_stations_lookup_name (d->stations,
        r->station_name) : gst_weather_stations_lookup_id (d->stations,
        r->station_id);
    if (st) {
      /* the stations file names the station (a stable name across an
       * rtl_433 id change, for instance) */
      g_strlcpy (r->station_name, st->name, sizeof (r->station_name));
      r->station_id = st->id;
    }
  }
  *entry = st;
  return TRUE;
}

/* The epoch instant of a wall-clock time in the decoder's zone. A time in
 * the hour skipped when clocks go forward moves forward with them; one in
 * the hour that repeats when they go back is read as standard time. */
static gint64
local_to_epoch (GstWeatherDecoder * d, gint64 local_ns)
{
  gint64 secs = local_ns / NS_PER_SECOND, frac = local_ns % NS_PER_SECOND;
  gint interval;

  if (frac < 0) {
    frac += NS_PER_SECOND;
    secs--;
  }
  interval = g_time_zone_adjust_time (d->timezone, G_TIME_TYPE_STANDARD, &secs);
  return (secs - g_time_zone_get_offset (d->timezone, interval)) *
      NS_PER_SECOND + frac;
}

static void
log_kept_problems (GstWeatherDecoder * d, GstWeatherDialectReading * dr,
    const GstWeatherReading * r)
{
  guint i, n = 0;

  g_mutex_lock (&d->lock);
  for (i = 0; i < GST_WEATHER_DECODE_N_PROBLEMS; i++) {
    d->problems[i] += dr->problems[i];
    n += dr->problems[i];
  }
  g_mutex_unlock (&d->lock);
  if (n > 0)
    GST_CAT_WARNING_OBJECT (GST_CAT_DEFAULT, d->log_object, "station \"%s\": "
        "%u measurement(s) left out: %s", r->station_name, n,
        dr->first_problem);
}

static gboolean
decode_dialect (GstWeatherDecoder * d, GstWeatherFormat format,
    const GstWeatherField * fields, guint n, const gchar * topic_station,
    gint64 arrival_ns, GstWeatherReading * r, GError ** error)
{
  static const GstWeatherQuantity quantity[GST_WEATHER_N_SLOTS] = {
    GST_WEATHER_QUANTITY_TEMPERATURE, GST_WEATHER_QUANTITY_PRESSURE,
    GST_WEATHER_QUANTITY_HUMIDITY, GST_WEATHER_QUANTITY_SPEED,
    GST_WEATHER_QUANTITY_DIRECTION,
  };
  GstWeatherDialectReading dr;
  const GstWeatherStation *st;
  GError *err = NULL;
  gdouble pressure;
  gboolean ok = FALSE;
  guint i;

  gst_weather_reading_init (r);
  gst_weather_dialect_reading_init (&dr);
  if (!gst_weather_dialect_map (format, fields, n, &dr, &err)) {
    refuse (d, NULL, err->code, NULL);
    g_propagate_error (error, err);
    goto out;
  }
  if (dr.station[0])
    g_strlcpy (r->station_name, dr.station, sizeof (r->station_name));
  r->station_id = dr.station[0] ?
      gst_weather_station_id_from_name (dr.station) : 0;
  if (!finish_station (d, r, dr.station[0] != '\0', topic_station, &st, error))
    goto out;

  switch (dr.time_kind) {
    case GST_WEATHER_TIME_ABSENT:
      r->created_at = arrival_ns;
      r->flags |= GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL;
      break;
    case GST_WEATHER_TIME_LOCAL:
      r->created_at = local_to_epoch (d, dr.time_ns);
      break;
    case GST_WEATHER_TIME_EPOCH:
      r->created_at = dr.time_ns;
      break;
  }
  if (dr.time_kind != GST_WEATHER_TIME_ABSENT && (r->created_at < EARLIEST_NS
          || (arrival_ns >= 0 && r->created_at > arrival_ns + MAX_AHEAD_NS))) {
    GString *when = g_string_new (NULL);

    if (r->created_at >= 0)
      gst_weather_time_to_rfc3339 (r->created_at, when);
    else
      g_string_append (when, "before 1970");
    refuse (d, error, GST_WEATHER_DECODE_ABSURD_TIME, "time: %s is before "
        "2000 or more than a day after the message arrived", when->str);
    g_string_free (when, TRUE);
    goto out;
  }

  for (i = 0; i < GST_WEATHER_N_SLOTS; i++) {
    gdouble v = dr.value[i];

    if (dr.converted & (1u << i))
      v = gst_weather_unit_round (quantity[i], v);
    switch (i) {
      case GST_WEATHER_SLOT_TEMPERATURE:
        r->temperature_c = v;
        break;
      case GST_WEATHER_SLOT_HUMIDITY:
        r->humidity_pct = v;
        break;
      case GST_WEATHER_SLOT_WIND_SPEED:
        r->wind_speed_ms = v;
        break;
      case GST_WEATHER_SLOT_WIND_DIRECTION:
        r->wind_direction_deg = v;
        break;
      default:
        break;
    }
  }

  pressure = dr.value[GST_WEATHER_SLOT_PRESSURE];
  if (!isnan (pressure) && dr.pressure_kind == GST_WEATHER_PRESSURE_STATION) {
    if (st && !isnan (st->altitude_m)) {
      pressure = gst_weather_unit_round (GST_WEATHER_QUANTITY_PRESSURE,
          gst_weather_sea_level_pressure (pressure, st->altitude_m));
    } else {
      pressure = NAN;
      r->flags |= GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE;
    }
  } else if (dr.converted & (1u << GST_WEATHER_SLOT_PRESSURE)) {
    pressure = gst_weather_unit_round (GST_WEATHER_QUANTITY_PRESSURE, pressure);
  }
  if (!isnan (pressure) && (pressure < GST_WEATHER_PRESSURE_MIN
          || pressure > GST_WEATHER_PRESSURE_MAX)) {
    dr.problems[GST_WEATHER_DECODE_OUT_OF_RANGE]++;
    if (!dr.first_problem)
      dr.first_problem = g_strdup_printf ("pressure: %g hPa at sea level "
          "is outside %g–%g", pressure, GST_WEATHER_PRESSURE_MIN,
          GST_WEATHER_PRESSURE_MAX);
    pressure = NAN;
  }
  r->pressure_hpa = pressure;

  if (isnan (r->temperature_c) && isnan (r->pressure_hpa)
      && isnan (r->humidity_pct) && isnan (r->wind_speed_ms)
      && isnan (r->wind_direction_deg)
      && !(r->flags & GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE)) {
    log_kept_problems (d, &dr, r);
    refuse (d, error, GST_WEATHER_DECODE_NO_MEASUREMENT, "payload: no "
        "measurement a reading has a slot for (temperature, pressure, "
        "humidity, wind)");
    goto out;
  }

  if (!gst_weather_reading_validate (r, &err)) {
    /* not expected: every value was checked above */
    refuse (d, NULL, GST_WEATHER_DECODE_MALFORMED, NULL);
    g_propagate_error (error, err);
    goto out;
  }
  log_kept_problems (d, &dr, r);
  g_mutex_lock (&d->lock);
  if (r->flags & GST_WEATHER_READING_FLAG_TIME_FROM_ARRIVAL)
    d->time_from_arrival++;
  if (r->flags & GST_WEATHER_READING_FLAG_NO_SEA_LEVEL_PRESSURE)
    d->no_sea_level++;
  g_mutex_unlock (&d->lock);
  ok = TRUE;

out:
  gst_weather_dialect_reading_clear (&dr);
  return ok;
}

gboolean
gst_weather_decoder_decode (GstWeatherDecoder * d, const gchar * data,
    gssize len, const gchar * topic_station, gint64 arrival_ns,
    GstWeatherReading * r, GError ** error)
{
  JsonParser *parser;
  GstWeatherFormat format;
  const GstWeatherStation *st;
  const GstWeatherJsonMember *members;
  guint n;
  gboolean ok, has_station = TRUE;
  gboolean station_optional;

  g_return_val_if_fail (d != NULL, FALSE);
  g_return_val_if_fail (r != NULL, FALSE);

  station_optional = topic_station != NULL || d->station != NULL;
  g_array_set_size (d->members, 0);
  if (!gst_weather_priv_json_members (d->reader, data, len,
          GST_WEATHER_JSON_MAX_SIZE, d->members, &parser, error))
    return refuse (d, NULL, GST_WEATHER_DECODE_MALFORMED, NULL);
  members = (const GstWeatherJsonMember *) d->members->data;
  n = d->members->len;

  format = d->format;
  if (format != GST_WEATHER_FORMAT_NATIVE) {
    g_array_set_size (d->fields, 0);
    gst_weather_priv_json_fields (members, n, d->fields);
    if (format == GST_WEATHER_FORMAT_AUTO)
      format = gst_weather_format_detect ((GstWeatherField *) d->fields->data,
          d->fields->len);
  }
  if (format == GST_WEATHER_FORMAT_NATIVE) {
    ok = gst_weather_priv_reading_from_members (members, n, station_optional,
        r, &has_station, error);
    if (!ok)
      ok = refuse (d, NULL, GST_WEATHER_DECODE_MALFORMED, NULL);
    else if (topic_station || !has_station || d->stations)
      ok = finish_station (d, r, has_station, topic_station, &st, error);
  } else {
    ok = decode_dialect (d, format, (GstWeatherField *) d->fields->data,
        d->fields->len, topic_station, arrival_ns, r, error);
  }
  g_array_set_size (d->fields, 0);
  g_array_set_size (d->members, 0);
  g_clear_object (&parser);
  return ok;
}

gboolean
gst_weather_decoder_decode_fields (GstWeatherDecoder * d,
    const GstWeatherField * fields, guint n_fields,
    const gchar * topic_station, gint64 arrival_ns, GstWeatherReading * r,
    GError ** error)
{
  GstWeatherFormat format;

  g_return_val_if_fail (d != NULL, FALSE);
  g_return_val_if_fail (fields != NULL || n_fields == 0, FALSE);
  g_return_val_if_fail (r != NULL, FALSE);

  format = d->format;
  if (format == GST_WEATHER_FORMAT_AUTO)
    format = gst_weather_format_detect (fields, n_fields);
  if (format == GST_WEATHER_FORMAT_NATIVE)
    return refuse (d, error, GST_WEATHER_DECODE_MALFORMED, "payload: the "
        "native format has no one-value-per-topic form");
  return decode_dialect (d, format, fields, n_fields, topic_station,
      arrival_ns, r, error);
}

void
gst_weather_decoder_add_stats (GstWeatherDecoder * d, GstStructure * stats)
{
  guint i;

  g_return_if_fail (d != NULL);
  g_return_if_fail (stats != NULL);

  g_mutex_lock (&d->lock);
  for (i = 0; i < GST_WEATHER_DECODE_N_PROBLEMS; i++)
    gst_structure_set (stats, problem_names[i], G_TYPE_UINT64,
        d->problems[i], NULL);
  gst_structure_set (stats, "time-from-arrival", G_TYPE_UINT64,
      d->time_from_arrival, "no-sea-level-pressure", G_TYPE_UINT64,
      d->no_sea_level, NULL);
  g_mutex_unlock (&d->lock);
}

void
gst_weather_decoder_reset_stats (GstWeatherDecoder * d)
{
  g_return_if_fail (d != NULL);

  g_mutex_lock (&d->lock);
  memset (d->problems, 0, sizeof (d->problems));
  d->time_from_arrival = d->no_sea_level = 0;
  g_mutex_unlock (&d->lock);
}
