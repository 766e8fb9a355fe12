/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Home Assistant MQTT discovery for mqttsink: the ids, topics and config
 * payloads of the sensors announced for each key (docs/home-assistant.md).
 * Pure functions: no Paho, no locking.
 */
#pragma once

#include <gst/gst.h>
#include <gst/weather/weather.h>

G_BEGIN_DECLS

/* The sink identity used when discovery-node-id is not set. */
#define GST_MQTT_DISCOVERY_DEFAULT_NODE_ID "gstweather"
/* Longest discovery-node-id accepted (bytes). */
#define GST_MQTT_DISCOVERY_NODE_ID_MAX_LEN 64

/* A discovery prefix is a valid topic name of non-empty levels, without
 * wildcards and not starting with '$' (the broker's own topics). */
gboolean        gst_mqtt_discovery_prefix_is_valid  (const gchar * prefix,
                                                     GError ** error);

/* A node id is 1 to GST_MQTT_DISCOVERY_NODE_ID_MAX_LEN characters of
 * [a-zA-Z0-9_-], the character class Home Assistant allows in ids. */
gboolean        gst_mqtt_discovery_node_id_is_valid (const gchar * node_id,
                                                     GError ** error);

/* Appends @name mapped into [a-zA-Z0-9_-]: ASCII letters, digits and '-'
 * stay, every other byte ('_' included) becomes '_' and two lower-case
 * hex digits. Injective: '_' only ever starts an escape. */
void            gst_mqtt_discovery_append_id        (GString * out,
                                                     const gchar * name);

/* The id of a key: "<kind>-<id>-<mapped name>" ("region-3673133828-north"),
 * injective over (kind, id, name). */
gchar *         gst_mqtt_discovery_key_id           (const GstWeatherKey * key);

/* Seconds a sensor's state stays valid: @windows window lengths of @window
 * ns, rounded up to whole seconds, at least 1, at most G_MAXINT32; 0 when
 * @windows is 0 (never expires). */
guint           gst_mqtt_discovery_expire_after     (guint64 window,
                                                     guint windows);

typedef struct
{
  gchar *topic;
  gchar *payload;
  gsize size;
} GstMqttDiscoveryConfig;

void            gst_mqtt_discovery_config_free      (GstMqttDiscoveryConfig * c);

/* The config messages of one key's sensors (GstMqttDiscoveryConfig, freed
 * with the array): forecast text, Zambretti letter (zambretti only),
 * chance of rain, sea-level pressure, 3-hour trend and stations used, each
 * under "<prefix>/sensor/<node_id>_<key id>/<sensor>/config".
 * @availability_topic may be NULL (no availability). */
GPtrArray *     gst_mqtt_discovery_configs          (const gchar * prefix,
                                                     const gchar * node_id,
                                                     const GstWeatherKey * key,
                                                     GstWeatherModel model,
                                                     const gchar * state_topic,
                                                     const gchar * availability_topic,
                                                     guint expire_after);

G_END_DECLS
