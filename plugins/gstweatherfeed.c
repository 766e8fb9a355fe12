/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "gstweatherfeed.h"

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
  if (stations_file && *stations_file) {
    stations = gst_weather_stations_load (stations_file, &err);
    if (!stations) {
      GST_ELEMENT_ERROR (element, RESOURCE, OPEN_READ,
          ("Could not read the stations file \"%s\".", stations_file),
          ("%s", err->message));
      goto fail;
    }
    gst_weather_decoder_set_stations (decoder, stations);
    gst_weather_stations_unref (stations);
  }
  goto done;

fail:
  g_error_free (err);
  gst_weather_decoder_free (decoder);
  decoder = NULL;
done:
  g_free (timezone);
  g_free (station);
  g_free (stations_file);
  return decoder;
}
