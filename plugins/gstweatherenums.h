/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The enumerations of the weather plugin's properties. Their GTypes are
 * generated from this header by glib-mkenums (gstweatherenumtypes.h).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GstWeatherDemuxUnknownStations:
 * @GST_WEATHER_DEMUX_UNKNOWN_CREATE: create a pad for every new station
 * @GST_WEATHER_DEMUX_UNKNOWN_DROP: drop (and count) readings of stations
 *     not in the list
 */
typedef enum
{
  GST_WEATHER_DEMUX_UNKNOWN_CREATE,
  GST_WEATHER_DEMUX_UNKNOWN_DROP,
} GstWeatherDemuxUnknownStations;

/**
 * GstGrouperQuorumPolicy:
 * @GST_GROUPER_QUORUM_EMIT_INCOMPLETE: a window below min-stations is
 *     emitted with the INCOMPLETE flag
 * @GST_GROUPER_QUORUM_SKIP: a window below min-stations is not emitted
 */
typedef enum
{
  GST_GROUPER_QUORUM_EMIT_INCOMPLETE = 0,
  GST_GROUPER_QUORUM_SKIP = 1,
} GstGrouperQuorumPolicy;

/**
 * GstPredictorHemisphere:
 * @GST_PREDICTOR_HEMISPHERE_NORTH: northern hemisphere
 * @GST_PREDICTOR_HEMISPHERE_SOUTH: southern hemisphere: the wind is turned
 *     by 180° and the seasons are swapped
 */
typedef enum
{
  GST_PREDICTOR_HEMISPHERE_NORTH = 0,
  GST_PREDICTOR_HEMISPHERE_SOUTH = 1,
} GstPredictorHemisphere;

/**
 * GstWeatherBinLayout:
 * @GST_WEATHER_BIN_LAYOUT_MIXED: one reorderqueue on the mixed stream feeds
 *     a single grouper pad: two threads, the shape for many stations
 * @GST_WEATHER_BIN_LAYOUT_PER_STATION: demux first, then for each station a
 *     branch of its own, a reorderqueue (and its thread) feeding a grouper
 *     pad, made when the station appears and removed when its pad goes away
 */
typedef enum
{
  GST_WEATHER_BIN_LAYOUT_MIXED = 0,
  GST_WEATHER_BIN_LAYOUT_PER_STATION = 1,
} GstWeatherBinLayout;

/**
 * GstMqttSinkQueuePolicy:
 * @GST_MQTT_SINK_QUEUE_POLICY_BLOCK: block upstream until there is room
 * @GST_MQTT_SINK_QUEUE_POLICY_DROP_OLDEST: drop the oldest queued message,
 *     count it in stats and warn
 */
typedef enum
{
  GST_MQTT_SINK_QUEUE_POLICY_BLOCK,
  GST_MQTT_SINK_QUEUE_POLICY_DROP_OLDEST,
} GstMqttSinkQueuePolicy;

/**
 * GstMqttSrcStationFrom:
 * @GST_MQTT_SRC_STATION_FROM_PAYLOAD: the station named in the JSON payload
 * @GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL: the topic level at
 *     #GstMqttSrc:station-topic-level (percent-decoded)
 */
typedef enum
{
  GST_MQTT_SRC_STATION_FROM_PAYLOAD,
  GST_MQTT_SRC_STATION_FROM_TOPIC_LEVEL,
} GstMqttSrcStationFrom;

G_END_DECLS
