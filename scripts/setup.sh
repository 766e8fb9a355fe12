#!/usr/bin/env bash
# Installs the Debian packages gst-weather needs (when one is missing), then
# configures and builds into ./build. Sourced by demo.sh and check.sh.
set -euo pipefail

WEATHER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WEATHER_BUILD="${WEATHER_BUILD:-$WEATHER_ROOT/build}"

WEATHER_PACKAGES=(
  build-essential pkg-config meson ninja-build cmake
  libglib2.0-dev libjson-glib-dev libsimdjson-dev g++
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev
  gstreamer1.0-tools gstreamer1.0-plugins-base gstreamer1.0-plugins-good
  libpaho-mqtt-dev mosquitto mosquitto-clients openssl
  python3 python3-gi python3-gst-1.0 gir1.2-gstreamer-1.0 python3-paho-mqtt
  python3-jsonschema tzdata
)

weather_install_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
      missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "Installing Debian packages: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends "${missing[@]}" >&2
}

weather_build() {
  if [ ! -f "$WEATHER_BUILD/build.ninja" ]; then
    meson setup "$WEATHER_BUILD" "$WEATHER_ROOT" "$@" >&2
  fi
  ninja -C "$WEATHER_BUILD" >&2
}

weather_install_packages "${WEATHER_PACKAGES[@]}"
