/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <string.h>

#include "gstweatherfeed.h"

void
gst_weather_feed_settings_init (GstWeatherFeedSettings * s)
{
  memset (s, 0, sizeof (*s));
  s->format = GST_WEATHER_FEED_DEFAULT_FORMAT;
}

void
gst_weather_feed_settings_clear (GstWeatherFeedSettings * s)
{
  g_clear_pointer (&s->timezone, g_free);
  g_clear_pointer (&s->station, g_free);
  g_clear_pointer (&s->stations_file, g_free);
}

void
gst_weather_feed_install_properties (GObjectClass * klass, guint first_id)
{
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
      GST_PARAM_MUTABLE_READY;

  /**
   * GstWeatherParse:format:
   *
   * What the input is (docs/feeds.md): `native` (default, gst-weather's
   * schema), `rtl_433`, `weewx`, `pywws`, `ecowitt`, or `auto` (chosen per
   * message from its fields by the rule of docs/feeds.md). mqttsrc has
   * the same property.
   */
  g_object_class_install_property (klass,
      first_id + GST_WEATHER_FEED_PROP_FORMAT,
      g_param_spec_enum ("format", "Format",
          "Dialect of the input: native, rtl_433, weewx, pywws, ecowitt, "
          "auto", GST_TYPE_WEATHER_FORMAT,
          GST_WEATHER_FEED_DEFAULT_FORMAT, rw));
  /**
   * GstWeatherParse:timezone:
   *
   * IANA time zone ("Europe/Berlin", "UTC") of the zone-less local times
   * rtl_433 writes by default. NULL (default): the machine's zone. A name
   * the system does not know fails the start with a settings error.
   */
  g_object_class_install_property (klass,
      first_id + GST_WEATHER_FEED_PROP_TIMEZONE,
      g_param_spec_string ("timezone", "Time zone",
          "IANA zone of zone-less local times (NULL = the machine's)", NULL,
          rw));
  /**
   * GstWeatherParse:station:
   *
   * Station name of input that names no station (WeeWX and pywws payloads
   * never do) and, in mqttsrc, arrives on a topic that does not either.
   * NULL (default): such input is refused ("no-station"). More than 55
   * bytes of UTF-8 fails the start.
   */
  g_object_class_install_property (klass,
      first_id + GST_WEATHER_FEED_PROP_STATION,
      g_param_spec_string ("station", "Station",
          "Station of input that names none (NULL = none)", NULL, rw));
  /**
   * GstWeatherParse:stations-file:
   *
   * A stations file (CSV, docs/feeds.md): names stations and gives their
   * altitude, needed to reduce station pressure to sea level. NULL
   * (default): none; station pressure then leaves the reading without
   * pressure, flagged `no_sea_level_pressure`. A file that cannot be
   * read fails the start with an error naming the line.
   */
  g_object_class_install_property (klass,
      first_id + GST_WEATHER_FEED_PROP_STATIONS_FILE,
      g_param_spec_string ("stations-file", "Stations file",
          "CSV file of station names, altitudes, positions, regions (NULL = "
          "none)", NULL, rw));
}

gboolean
gst_weather_feed_set_property (GstWeatherFeedSettings * s, guint first_id,
    guint prop_id, const GValue * value)
{
  if (prop_id < first_id || prop_id >= first_id + GST_WEATHER_FEED_N_PROPS)
    return FALSE;
  switch (prop_id - first_id) {
    case GST_WEATHER_FEED_PROP_FORMAT:
      s->format = g_value_get_enum (value);
      break;
    case GST_WEATHER_FEED_PROP_TIMEZONE:
      g_free (s->timezone);
      s->timezone = g_value_dup_string (value);
      break;
    case GST_WEATHER_FEED_PROP_STATION:
      g_free (s->station);
      s->station = g_value_dup_string (value);
      break;
    default:
      g_free (s->stations_file);
      s->stations_file = g_value_dup_string (value);
      break;
  }
  return TRUE;
}

gboolean
gst_weather_feed_get_property (const GstWeatherFeedSettings * s,
    guint first_id, guint prop_id, GValue * value)
{
  if (prop_id < first_id || prop_id >= first_id + GST_WEATHER_FEED_N_PROPS)
    return FALSE;
  switch (prop_id - first_id) {
    case GST_WEATHER_FEED_PROP_FORMAT:
      g_value_set_enum (value, s->format);
      break;
    case GST_WEATHER_FEED_PROP_TIMEZONE:
      g_value_set_string (value, s->timezone);
      break;
    case GST_WEATHER_FEED_PROP_STATION:
      g_value_set_string (value, s->station);
      break;
    default:
      g_value_set_string (value, s->stations_file);
      break;
  }
  return TRUE;
}

gboolean
gst_weather_feed_load_stations (GstElement * element, const gchar * path,
    GstWeatherStations ** stations)
{
  GError *err = NULL;

  *stations = NULL;
  if (!path || !*path)
    return TRUE;
  *stations = gst_weather_stations_load (path, &err);
  if (!*stations) {
    GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ,
        ("Could not read the stations file \"%s\".", path),
        ("%s", err->message));
    g_error_free (err);
    return FALSE;
  }
  return TRUE;
}

GstWeatherDecoder *
gst_weather_feed_decoder_new (GstElement * element)
{
  GstWeatherDecoder *decoder;
  GstWeatherStations *stations;
  GstWeatherFormat format;
  gchar *timezone, *station, *stations_file;
  GError *err = NULL;

  g_object_get (element, "format", &format, "timezone", &timezone,
      "station", &station, "stations-file", &stations_file, NULL);

  decoder = gst_weather_decoder_new (format, GST_OBJECT (element));
  if (!gst_weather_decoder_set_timezone (decoder, timezone, &err)) {
    GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
        ("Unknown time zone \"%s\".", timezone), ("%s", err->message));
    goto fail;
  }
  if (!gst_weather_decoder_set_station (decoder, station, &err)) {
    GST_ELEMENT_ERROR (element, RESOURCE, SETTINGS,
        ("Invalid station name \"%s\".", station), ("%s", err->message));
    goto fail;
  }
  if (!gst_weather_feed_load_stations (element, stations_file, &stations))
    goto fail;
  if (stations) {
    gst_weather_decoder_set_stations (decoder, stations);
    gst_weather_stations_unref (stations);
  }
  goto done;

fail:
  g_clear_error (&err);
  gst_weather_decoder_free (decoder);
  decoder = NULL;
done:
  g_free (timezone);
  g_free (station);
  g_free (stations_file);
  return decoder;
}
