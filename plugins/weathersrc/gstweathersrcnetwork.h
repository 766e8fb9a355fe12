/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc's simulated network: every station measures once per period
 * (a round), each reading is lost, repeated or delayed on its way, and the
 * readings come out in arrival order (docs/elements/weathersrc.md, "The
 * network and the order of readings").
 */
#pragma once

#include <gst/weather/weather.h>

#include "gstweatherheap.h"
#include "gstweathersrcmodel.h"

G_BEGIN_DECLS

typedef struct
{
  guint stations;
  guint64 period;               /* ns, > 0 */
  guint64 delay;                /* ns */
  guint64 jitter;               /* ns */
  gdouble drop_probability;
  gdouble duplicate_probability;
  guint64 seed;
} GstWeatherSrcNetworkConfig;

/* What the rounds made so far did; counted by the caller. */
typedef struct
{
  guint64 generated;
  guint64 dropped;
  guint64 duplicated;
} GstWeatherSrcNetworkCounts;

/* The regional terms of one round, computed once for all its readings. */
typedef struct
{
  guint64 round;                /* G_MAXUINT64: none */
  GstWeatherSrcRegional terms;
} GstWeatherSrcNetworkRegional;

/* Not thread-safe: the streaming thread owns it. */
typedef struct
{
  GstWeatherSrcNetworkConfig cfg;
  GstWeatherSrcModel *model;
  gint64 first_round;           /* created_at of round 0 */
  guint64 next_round;
  /* the round whose readings are being made, one station at a time: the
   * next one is `station` */
  gboolean round_open;
  guint64 round;
  guint station;
  /* the last round whose readings arrive by 2^63-1 ns; none after it */
  guint64 last_round;
  gboolean no_round;            /* not even round 0 fits */
  guint64 next_order;
  GstWeatherHeap in_flight;     /* InFlight keys, by arrival, then order */
  GPtrArray *blocks;            /* the keys' storage, blocks of 1024 */
  /* by round modulo 4: the rounds whose readings are in flight together */
  GstWeatherSrcNetworkRegional regional[4];
  GPtrArray *spare;             /* keys not in flight */
} GstWeatherSrcNetwork;

G_GNUC_INTERNAL
void            gst_weather_src_network_init       (GstWeatherSrcNetwork * net);

/* Forgets every reading in flight and starts again: round @first_index
 * is the first made, round k is made at @first_round + k * period. */
G_GNUC_INTERNAL
void            gst_weather_src_network_start      (GstWeatherSrcNetwork * net,
                                                    const GstWeatherSrcNetworkConfig * cfg,
                                                    gint64 first_round,
                                                    guint64 first_index);

/* Forgets every reading in flight. */
G_GNUC_INTERNAL
void            gst_weather_src_network_stop       (GstWeatherSrcNetwork * net);

G_GNUC_INTERNAL
void            gst_weather_src_network_free       (GstWeatherSrcNetwork * net);

/* Makes rounds until no reading not made yet could arrive before the
 * earliest one in flight, and gives that one's arrival; adds what the new
 * rounds did to @counts. FALSE when no reading is left: the next round
 * would not arrive by 2^63-1 ns, the end of representable time. */
G_GNUC_INTERNAL
gboolean        gst_weather_src_network_peek       (GstWeatherSrcNetwork * net,
                                                    gint64 * arrival,
                                                    GstWeatherSrcNetworkCounts * counts);

/* Takes out the reading gst_weather_src_network_peek() gave, with its
 * received_at set to its arrival. */
G_GNUC_INTERNAL
void            gst_weather_src_network_pop        (GstWeatherSrcNetwork * net,
                                                    GstWeatherReading * reading);

G_END_DECLS
