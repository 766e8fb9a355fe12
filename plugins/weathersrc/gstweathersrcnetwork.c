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
 * order of making. The keys are small and live in blocks that never move,
 * the readings in a table beside them (slot i of the table for key i of
 * the blocks): the queue compares keys only, which stay in the cache with
 * thousands of readings in flight (docs/performance.md, "One priority
 * queue"). */
typedef struct
{
  gint64 arrival;
  guint64 order;
  guint slot;
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
  net->readings = g_array_new (FALSE, FALSE, sizeof (GstWeatherReading));
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
  g_clear_pointer (&net->readings, g_array_unref);
  g_clear_pointer (&net->blocks, g_ptr_array_unref);
}

void
gst_weather_src_network_start (GstWeatherSrcNetwork * net,
    const GstWeatherSrcNetworkConfig * cfg, gint64 first_round,
    guint64 first_index)
{
  gint64 room;

  g_return_if_fail (cfg->period > 0 && cfg->stations > 0);
  g_return_if_fail (first_round >= 0);

  gst_weather_src_network_stop (net);
  net->cfg = *cfg;
  net->model = gst_weather_src_model_new (cfg->seed, cfg->stations);
  net->first_round = first_round;
  net->next_round = first_index;
  net->next_order = 0;
  /* a reading of round k arrives by first_round + k * period + delay +
   * jitter: the rounds stop where that would pass 2^63-1 */
  room = G_MAXINT64 - first_round;
  net->no_round = cfg->delay + cfg->jitter > (guint64) room;
  net->last_round = net->no_round ? 0 :
      ((guint64) room - cfg->delay - cfg->jitter) / cfg->period;
}

/* A free key, and its reading's place. */
static InFlight *
in_flight_new (GstWeatherSrcNetwork * net, GstWeatherReading ** reading)
{
  InFlight *item;

  if (net->spare->len == 0) {
    InFlight *block = g_new (InFlight, IN_FLIGHT_BLOCK);
    guint first = net->blocks->len * IN_FLIGHT_BLOCK, i;

    g_ptr_array_add (net->blocks, block);
    g_array_set_size (net->readings, first + IN_FLIGHT_BLOCK);
    /* the first of the block is handed out first */
    for (i = IN_FLIGHT_BLOCK; i > 0; i--) {
      block[i - 1].slot = first + i - 1;
      g_ptr_array_add (net->spare, &block[i - 1]);
    }
  }
  item = g_ptr_array_steal_index_fast (net->spare, net->spare->len - 1);
  *reading = &g_array_index (net->readings, GstWeatherReading, item->slot);
  return item;
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

/* Makes every station's reading of the next round and sends each through
 * the network. */
static void
make_round (GstWeatherSrcNetwork * net, GstWeatherSrcNetworkCounts * counts)
{
  guint64 round = net->next_round++;
  /* round <= last_round: no overflow */
  gint64 created_at = net->first_round + (gint64) (round * net->cfg.period);
  guint64 seed = net->cfg.seed;
  GstWeatherSrcRegional regional;
  guint s;

  gst_weather_src_model_regional (net->model, created_at, &regional);

  for (s = 0; s < net->cfg.stations; s++) {
    GstWeatherReading *reading, *copy_reading;
    InFlight *item;

    if (gst_weather_src_draw (seed, s, created_at, GST_WEATHER_SRC_CH_DROP) <
        net->cfg.drop_probability) {
      counts->dropped++;
      continue;
    }

    item = in_flight_new (net, &reading);
    gst_weather_reading_init (reading);
    reading->station_id = s;
    reading->created_at = created_at;
    reading->sequence = round;
    station_name (s, reading->station_name);
    gst_weather_src_model_measure (net->model, s, created_at, &regional,
        reading);
    item->arrival = arrival_of (net, created_at, gst_weather_src_draw (seed,
            s, created_at, GST_WEATHER_SRC_CH_DELAY));
    item->order = net->next_order++;
    gst_weather_heap_push (&net->in_flight, item);

    if (gst_weather_src_draw (seed, s, created_at,
            GST_WEATHER_SRC_CH_DUPLICATE) < net->cfg.duplicate_probability) {
      InFlight *copy = in_flight_new (net, &copy_reading);

      /* the table may have grown: the first reading is found again */
      *copy_reading = g_array_index (net->readings, GstWeatherReading,
          item->slot);
      copy->arrival = arrival_of (net, created_at, gst_weather_src_draw (seed,
              s, created_at, GST_WEATHER_SRC_CH_DUPLICATE_DELAY));
      copy->order = net->next_order++;
      gst_weather_heap_push (&net->in_flight, copy);
      counts->duplicated++;
    }
  }
  counts->generated += net->cfg.stations;
}

gboolean
gst_weather_src_network_peek (GstWeatherSrcNetwork * net, gint64 * arrival,
    GstWeatherSrcNetworkCounts * counts)
{
  InFlight *first;

  /* a reading made at round time T arrives at T + delay at the earliest:
   * make rounds until the next one cannot overtake the earliest */
  while (!net->no_round && net->next_round <= net->last_round) {
    gint64 next = net->first_round +
        (gint64) (net->next_round * net->cfg.period);

    first = gst_weather_heap_peek (&net->in_flight);
    if (first && next + (gint64) net->cfg.delay > first->arrival)
      break;
    make_round (net, counts);
  }

  first = gst_weather_heap_peek (&net->in_flight);
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

  g_return_if_fail (item != NULL);
  *reading = g_array_index (net->readings, GstWeatherReading, item->slot);
  reading->received_at = item->arrival;
  g_ptr_array_add (net->spare, item);
}
