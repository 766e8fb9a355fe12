#!/usr/bin/env bash
# The main job: simulated weather stations streaming live.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
weather_build
export GST_PLUGIN_PATH="$WEATHER_BUILD/plugins${GST_PLUGIN_PATH:+:$GST_PLUGIN_PATH}"
exec gst-launch-1.0 -q -e weathersrc is-live=true stations=3 ! weatherenc ! fdsink
