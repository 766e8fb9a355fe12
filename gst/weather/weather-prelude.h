/* gst-weather
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */
#pragma once

#include <gst/gst.h>

#ifndef GST_WEATHER_API
# ifdef BUILDING_GST_WEATHER
#  define GST_WEATHER_API GST_API_EXPORT
# else
#  define GST_WEATHER_API GST_API_IMPORT
# endif
#endif
