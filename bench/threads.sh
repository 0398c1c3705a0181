#!/usr/bin/env bash
# Thread scaling of every tool (--threads 2 against --threads 1, paired and alternated), each tool's
# time against soc-filter's, and validate | scrub | dedup | filter against the four stages run one
# after the other, on the realistic profile (100 MB). Part of `make bench`.
#   bench/threads.sh BIN_DIR [PAIRS]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(cd "${1:?usage: bench/threads.sh BIN_DIR [PAIRS]}" && pwd)
# 15 pairs: a run of soc-filter takes ~0.05 s here, and single paired ratios move by ±3%; the
# median of 7 could not tell a 2% change, which is the size of the changes the table follows.
pairs=${2:-15}
data=bench/data/soc_realistic.jsonl
mkdir -p bench/data
if [ ! -s "$data" ]; then
  echo "generating $data (~100 MB, realistic profile, deterministic)..." >&2
  python3 bench/gen_soc.py --realistic --megabytes 100 --seed 1 > "$data"
fi
python3 bench/threads.py "$bin" "$data" --pairs "$pairs"
echo
echo "CPU by role, summed over the threads (--timings, --threads 2): reading and applying in input"
echo "order are serial (one thread at a time), deciding is parallel."
echo
echo "| tool | reading (s) | deciding (s) | applying, in order (s) |"
echo "|---|---:|---:|---:|"
for tool in filter validate scrub dedup stats; do
  line=$("$bin/soc-$tool" --threads 2 --timings --rejects /dev/null "$data" 2>&1 >/dev/null | grep 'cpu by role') || true
  reader=$(sed -E 's/.*reading ([0-9.]+) s.*/\1/' <<<"$line")
  workers=$(sed -E 's/.*deciding ([0-9.]+) s.*/\1/' <<<"$line")
  writer=$(sed -E 's/.*applying in input order ([0-9.]+) s.*/\1/' <<<"$line")
  echo "| soc-$tool | $reader | $workers | $writer |"
done
