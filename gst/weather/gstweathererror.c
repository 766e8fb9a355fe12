/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#ifdef HAVE_CONFIG_H
#include "config.h"
#endif

#include "weather.h"

G_DEFINE_QUARK (gst-weather-error-quark, gst_weather_error);
