#!/usr/bin/env bash
# make bench: throughput of every tool next to its peers, all measured in this one run.
# Usage: bench/run.sh BIN_DIR   (BIN_DIR holds release builds of the soc-* tools)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:?usage: bench/run.sh BIN_DIR}" && pwd)
mkdir -p bench/data bench/out
# Every tool runs on the realistic profile (5,000 personas, non-Latin names and text, emoji, half
# the records \u-escaped, labels and glued tags): a friendly ASCII file hides the slow paths.
source bench/lib.sh
data=$(realistic_data)
echo "# soc-tools benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, $(file_bytes "$data" | awk '{ printf "%.0f", $1 / 1e6 }') MB of SOC-shaped JSONL, realistic profile; Python peers in bench/data/venv)"
echo
status=0
for tool in filter validate scrub dedup stats; do
  script=bench/$tool.sh
  [ -x "$script" ] || continue
  echo "## soc-$tool"
  echo
  "$script" "$bin" || { echo "(bench/$tool.sh failed)"; status=1; }
  echo
done
echo "## Threads, and the four-stage pipe"
echo
bench/threads.sh "$bin" || { echo "(bench/threads.sh failed)"; status=1; }
echo
exit $status
