#!/usr/bin/env bash
# make bench: throughput of every tool next to its peers, all measured in this one run.
# Usage: bench/run.sh BIN_DIR   (BIN_DIR holds release builds of the soc-* tools)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:?usage: bench/run.sh BIN_DIR}" && pwd)
mkdir -p bench/data bench/out
if [ ! -s bench/data/soc.jsonl ]; then
  echo "generating bench/data/soc.jsonl (~100 MB, deterministic)..." >&2
  python3 bench/gen_soc.py --megabytes 100 --seed 1 > bench/data/soc.jsonl
fi
# soc-scrub runs on the realistic profile (5,000 personas, non-Latin names, labels in 7% of
# messages, half the records \u-escaped): the plain file has no artifacts to remove.
if [ ! -s bench/data/soc_realistic.jsonl ]; then
  echo "generating bench/data/soc_realistic.jsonl (~100 MB, deterministic)..." >&2
  python3 bench/gen_soc.py --realistic --megabytes 100 --seed 1 > bench/data/soc_realistic.jsonl
fi
echo "# soc-tools benchmarks ($(date -u +%Y-%m-%d), $(nproc) cores, $(du -m bench/data/soc.jsonl | cut -f1) MB SOC-shaped JSONL)"
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
