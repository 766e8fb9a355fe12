#!/usr/bin/env bash
# Plots figure 2 (station scaling) of bench/run.sh as a PNG with gnuplot.
#
#   bench/plot.sh [DATA] [OUT.png]
#
# DATA defaults to build/bench-results/scaling.dat (written by bench/run.sh),
# OUT to docs/performance-scaling.png. Installs gnuplot-nox from Debian
# when gnuplot is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="${1:-$ROOT/build/bench-results/scaling.dat}"
PNG="${2:-$ROOT/docs/performance-scaling.png}"

if ! command -v gnuplot > /dev/null; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq \
    --no-install-recommends gnuplot-nox >&2
fi
[ -f "$DATA" ] || { echo "plot: no $DATA (run bench/run.sh first)" >&2; exit 1; }
mkdir -p "$(dirname "$PNG")"

gnuplot <<GP
set terminal pngcairo size 900,560 enhanced font "DejaVu Sans,11"
set output "$PNG"
set title "Cost per reading against the number of stations\n(weathersrc ! weatherbin ! predictor ! fakesink, non-live)"
set xlabel "stations"
set ylabel "wall time per reading (ns)"
set logscale x
# up to twice the largest station count measured
last = system("awk '!/^#/ {n = \$1} END {print n}' '$DATA'")
set xrange [5:2 * last]
set yrange [0:*]
set grid
set key bottom right box opaque
first = system("awk '!/^#/ {print \$2; exit}' '$DATA'")
plot "$DATA" using 1:2 with linespoints lw 2 pt 7 title "gst-weather", \
     "$DATA" using 1:(first * 1.3) with lines dt 2 lw 1.5 title "goal: 1.3 x the cost at 10 stations", \
     "$DATA" using 1:3 with lines dt 3 lw 1.5 title "floor: fakesrc ! 4 x identity ! fakesink, per buffer"
GP
echo "plot: wrote $PNG" >&2
