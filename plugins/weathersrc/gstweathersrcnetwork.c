/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * weathersrc's simulated network. Round k is made at first_round +
 * k * period, stations in id order; each reading is either lost
 * (drop-probability) or given an arrival instant created_at + delay +
 * u * jitter, and with duplicate-probability a second copy gets its own.
 * The readings in flight wait in the plugin's priority queue
 * (gstweatherheap.c) ordered by arrival, ties in the order they were made,
 * so the output never depends on the queue's layout; without jitter they
 * arrive in the order they are made and take its FIFO path.
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include <math.h>
#include <string.h>

#include "gstweathersrcdraw.h"
#include "gstweathersrcnetwork.h"

/* A reading waiting for its arrival instant; `order` breaks ties in the
 * order of making. Only the key is in flight: the reading is a function
 * of (seed, station, round) and is made when it arrives, so a round of a
 * million stations holds 32 bytes per station, not a 128-byte reading
 * (docs/performance.md, "A million stations"). The keys are small and
 * live in blocks that never move: the queue compares keys that stay in
 * the cache ("One priority queue"). */
typedef struct
{
  gint64 arrival;
  guint64 order;
  guint64 round;
  guint station;
} InFlight;

#define IN_FLIGHT_BLOCK 1024

static gint
in_flight_compare (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const InFlight *x = a, *y = b;

  if (x->arrival != y->arrival)
    return x->arrival < y->arrival ? -1 : 1;
  if (x->order != y->order)
    return x->order < y->order ? -1 : 1;
  return 0;
}

void
gst_weather_src_network_init (GstWeatherSrcNetwork * net)
{
  memset (net, 0, sizeof (*net));
  gst_weather_heap_init (&net->in_flight, in_flight_compare, NULL);
  net->blocks = g_ptr_array_new_with_free_func (g_free);
  net->spare = g_ptr_array_new ();
}

static void
give_back (gpointer data, gpointer user_data)
{
  g_ptr_array_add (user_data, data);
}

void
gst_weather_src_network_stop (GstWeatherSrcNetwork * net)
{
  gst_weather_heap_foreach (&net->in_flight, give_back, net->spare);
  gst_weather_heap_clear (&net->in_flight);
  g_clear_pointer (&net->model, gst_weather_src_model_free);
}

void
gst_weather_src_network_free (GstWeatherSrcNetwork * net)
{
  gst_weather_src_network_stop (net);
  gst_weather_heap_free (&net->in_flight);
  g_clear_pointer (&net->spare, g_ptr_array_unref);
  g_clear_pointer (&net->blocks, g_ptr_array_unref);
}

void
gst_weather_src_network_start (GstWeatherSrcNetwork * net,
    const GstWeatherSrcNetworkConfig * cfg, gint64 first_round,
    guint64 first_index)
{
  gint64 room;
  guint i;

  g_return_if_fail (cfg->period > 0 && cfg->stations > 0);
  g_return_if_fail (first_round >= 0);

  gst_weather_src_network_stop (net);
  net->cfg = *cfg;
  net->model = gst_weather_src_model_new (cfg->seed, cfg->stations);
  net->first_round = first_round;
  net->next_round = first_index;
  net->round_open = FALSE;
  net->next_order = 0;
  for (i = 0; i < G_N_ELEMENTS (net->regional); i++)
    net->regional[i].round = G_MAXUINT64;
  /* a reading of round k arrives by first_round + k * period + delay +
   * jitter: the rounds stop where that would pass 2^63-1 */
  room = G_MAXINT64 - first_round;
  net->no_round = cfg->delay + cfg->jitter > (guint64) room;
  net->last_round = net->no_round ? 0 :
      ((guint64) room - cfg->delay - cfg->jitter) / cfg->period;
}

/* A free key. */
static InFlight *
in_flight_new (GstWeatherSrcNetwork * net)
{
  if (net->spare->len == 0) {
    InFlight *block = g_new (InFlight, IN_FLIGHT_BLOCK);
    guint i;

    g_ptr_array_add (net->blocks, block);
    /* the first of the block is handed out first */
    for (i = IN_FLIGHT_BLOCK; i > 0; i--)
      g_ptr_array_add (net->spare, &block[i - 1]);
  }
  return g_ptr_array_steal_index_fast (net->spare, net->spare->len - 1);
}

static gint64
created_at_of (const GstWeatherSrcNetwork * net, guint64 round)
{
  /* round <= last_round: no overflow */
  return net->first_round + (gint64) (round * net->cfg.period);
}

/* The regional terms of @round, kept for the few rounds in flight at once
 * (one without jitter): computed once per round, not per reading. */
static const GstWeatherSrcRegional *
regional_of (GstWeatherSrcNetwork * net, guint64 round)
{
  GstWeatherSrcNetworkRegional *r =
      &net->regional[round % G_N_ELEMENTS (net->regional)];

  if (r->round != round) {
    gst_weather_src_model_regional (net->model, created_at_of (net, round),
        &r->terms);
    r->round = round;
  }
  return &r->terms;
}

static gint64
arrival_of (const GstWeatherSrcNetwork * net, gint64 created_at, gdouble u)
{
  return created_at + (gint64) net->cfg.delay +
      (gint64) floor (u * (gdouble) (net->cfg.jitter + 1));
}

/* "sim-<id>" into a zeroed name field, without printf on the hot path. */
static void
station_name (guint station, gchar * name)
{
  gchar digits[10];
  guint n = 0;

  do {
    digits[n++] = '0' + station % 10;
    station /= 10;
  } while (station > 0);
  memcpy (name, "sim-", 4);
  name += 4;
  while (n > 0)
    *name++ = digits[--n];
}

/* Opens the next round: counts what it makes, as if it were made at
 * once (its readings are made one station at a time, make_station()). */
static void
open_round (GstWeatherSrcNetwork * net, GstWeatherSrcNetworkCounts * counts)
{
  gint64 created_at;
  guint64 seed = net->cfg.seed;
  guint s;

  net->round = net->next_round++;
  net->station = 0;
  net->round_open = TRUE;
  created_at = created_at_of (net, net->round);
  for (s = 0; s < net->cfg.stations; s++) {
    if (gst_weather_src_draw (seed, s, created_at, GST_WEATHER_SRC_CH_DROP) <
        net->cfg.drop_probability)
      counts->dropped++;
    else if (gst_weather_src_draw (seed, s, created_at,
            GST_WEATHER_SRC_CH_DUPLICATE) < net->cfg.duplicate_probability)
      counts->duplicated++;
  }
  counts->generated += net->cfg.stations;
}

/* Puts a copy of station @s's reading of the open round in flight, its
 * arrival drawn on @channel. */
static void
send_copy (GstWeatherSrcNetwork * net, guint s, gint64 created_at,
    guint channel)
{
  InFlight *item = in_flight_new (net);

  item->station = s;
  item->round = net->round;
  item->arrival = arrival_of (net, created_at,
      gst_weather_src_draw (net->cfg.seed, s, created_at, channel));
  item->order = net->next_order++;
  gst_weather_heap_push (&net->in_flight, item);
}

/* Sends the next station's reading of the open round through the
 * network: lost, or given its arrival (and a duplicate its own). */
static void
make_station (GstWeatherSrcNetwork * net)
{
  gint64 created_at = created_at_of (net, net->round);
  guint64 seed = net->cfg.seed;
  guint s = net->station++;

  if (net->station == net->cfg.stations)
    net->round_open = FALSE;
  if (gst_weather_src_draw (seed, s, created_at, GST_WEATHER_SRC_CH_DROP) <
      net->cfg.drop_probability)
    return;
  send_copy (net, s, created_at, GST_WEATHER_SRC_CH_DELAY);
  if (gst_weather_src_draw (seed, s, created_at,
          GST_WEATHER_SRC_CH_DUPLICATE) < net->cfg.duplicate_probability)
    send_copy (net, s, created_at, GST_WEATHER_SRC_CH_DUPLICATE_DELAY);
}

/* Makes readings until none not made yet could arrive before the earliest
 * in flight. A reading made at round time T arrives at T + delay at the
 * earliest, and after every reading made before it with the same arrival:
 * the next round is opened when its T + delay is not after the earliest
 * arrival (when rounds were made whole, the same instants), and the open
 * round's next station is made while its T + delay is before it. Without
 * jitter one reading at a time is in flight instead of a whole round (a
 * million keys at a million stations); the readings and their order are
 * the same, as they are ordered by (arrival, order of making). */
gboolean
gst_weather_src_network_peek (GstWeatherSrcNetwork * net, gint64 * arrival,
    GstWeatherSrcNetworkCounts * counts)
{
  InFlight *first;

  for (;;) {
    first = gst_weather_heap_peek (&net->in_flight);
    if (net->round_open) {
      if (first && created_at_of (net, net->round) +
          (gint64) net->cfg.delay >= first->arrival)
        break;
      make_station (net);
    } else if (!net->no_round && net->next_round <= net->last_round) {
      if (first && created_at_of (net, net->next_round) +
          (gint64) net->cfg.delay > first->arrival)
        break;
      open_round (net, counts);
    } else {
      break;
    }
  }

  if (first == NULL)
    return FALSE;
  *arrival = first->arrival;
  return TRUE;
}

void
gst_weather_src_network_pop (GstWeatherSrcNetwork * net,
    GstWeatherReading * reading)
{
  InFlight *item = gst_weather_heap_pop (&net->in_flight);
  gint64 created_at;

  g_return_if_fail (item != NULL);
  created_at = created_at_of (net, item->round);
  gst_weather_reading_init (reading);
  reading->station_id = item->station;
  reading->created_at = created_at;
  reading->sequence = item->round;
  station_name (item->station, reading->station_name);
  gst_weather_src_model_measure (net->model, item->station, created_at,
      regional_of (net, item->round), reading);
  reading->received_at = item->arrival;
  g_ptr_array_add (net->spare, item);
}
