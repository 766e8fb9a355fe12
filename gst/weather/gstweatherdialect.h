/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The dialects' mapping of fields to a reading, between the parser
 * (which gives GstWeatherField views) and the decoder (which finishes the
 * reading: station, stations file, time, sea-level pressure); not
 * installed. Nothing here knows how the JSON was parsed.
 */
#pragma once

#include "gstweather-private.h"

G_BEGIN_DECLS

typedef enum
{
  GST_WEATHER_SLOT_TEMPERATURE,
  GST_WEATHER_SLOT_PRESSURE,
  GST_WEATHER_SLOT_HUMIDITY,
  GST_WEATHER_SLOT_WIND_SPEED,
  GST_WEATHER_SLOT_WIND_DIRECTION,
  GST_WEATHER_N_SLOTS
} GstWeatherSlot;

typedef enum
{
  GST_WEATHER_PRESSURE_NONE,
  GST_WEATHER_PRESSURE_SEA_LEVEL,
  GST_WEATHER_PRESSURE_STATION,
} GstWeatherPressureKind;

typedef enum
{
  GST_WEATHER_TIME_ABSENT,      /* no time: the arrival time */
  GST_WEATHER_TIME_EPOCH,       /* epoch_ns holds it */
  GST_WEATHER_TIME_LOCAL,       /* local_ns: wall clock of the decoder's zone */
} GstWeatherTimeKind;

/* What a dialect makes of one message. */
typedef struct
{
  /* the station the payload names; "" when none */
  gchar station[GST_WEATHER_STATION_NAME_SIZE];

  GstWeatherTimeKind time_kind;
  /* EPOCH: ns since the epoch; LOCAL: ns since 1970-01-01T00:00:00 of the
   * local wall clock (as if it were UTC) */
  gint64 time_ns;

  /* values in the reading's units, NaN when absent or refused; pressure is
   * of pressure_kind */
  gdouble value[GST_WEATHER_N_SLOTS];
  GstWeatherPressureKind pressure_kind;
  /* the slots whose value went through a conversion (rounded later) */
  guint converted;
  /* the rank of the field that filled each slot: a lower rank wins */
  gint rank[GST_WEATHER_N_SLOTS];

  /* problems with single measurements (the message still decodes) */
  guint problems[GST_WEATHER_DECODE_N_PROBLEMS];
  gchar *first_problem;         /* message of the first one, for the log */
} GstWeatherDialectReading;

G_GNUC_INTERNAL
void            gst_weather_dialect_reading_init    (GstWeatherDialectReading * r);

G_GNUC_INTERNAL
void            gst_weather_dialect_reading_clear   (GstWeatherDialectReading * r);

/* Maps @fields by the rules of @format (not NATIVE, not AUTO). FALSE with
 * @error (domain GST_WEATHER_DECODE_ERROR, code the problem) when the
 * whole message must be dropped. */
G_GNUC_INTERNAL
gboolean        gst_weather_dialect_map             (GstWeatherFormat format,
                                                     const GstWeatherField * fields,
                                                     guint n_fields,
                                                     GstWeatherDialectReading * r,
                                                     GError ** error);

G_END_DECLS
