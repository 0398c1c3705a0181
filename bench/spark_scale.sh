#!/usr/bin/env bash
# The measurements behind README "Scaling out", "Projection" (docs/spark.md has the figures):
# for each size, the issue's chain on Spark (local[2]) with --timings, greedy and/or components
# dedup, and the one-node dedup (sign, cluster greedy, cluster --groups components) under
# /usr/bin/time -v. Not part of `make bench`: 1.6 M chats take about an hour per Spark run.
#   bench/spark_scale.sh [CHATS...]          (default: 100000 400000 1600000)
# Environment: SCALE_DIR (scratch, default /tmp/soc-spark-scale; needs ~5x the largest input free),
# SCALE_MODES ("greedy components"; empty: none), SCALE_ONE_NODE (1: also the one-node runs),
# SCALE_CHATS_PER_PARTITION (12500, ~65 MB), SCALE_DRIVER_MEMORY (6g), BIN_DIR (.build/release).
# Input: shards of 100,000 chats, `gen_soc.py --chats 100000 --near-dups 0.1 --seed S`, S = 7, 8, ...
# (the generator keeps every chat in memory for its near duplicates, ~12 GB per million chats, so a
# large input is made of shards); a size of N chats is the first N / 100,000 shards, in seed order.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
bin=$(cd "${BIN_DIR:-.build/release}" && pwd)
python=${PYTHON:-$root/.build/pyenv/bin/python}
dir=${SCALE_DIR:-/tmp/soc-spark-scale}
modes=${SCALE_MODES-greedy components}
per_partition=${SCALE_CHATS_PER_PARTITION:-12500}
memory=${SCALE_DRIVER_MEMORY:-6g}
shard=100000
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 400000 1600000)
mkdir -p "$dir/shards" "$dir/logs"

for chats in "${sizes[@]}"; do
  if (( chats % shard != 0 )); then echo "spark_scale: $chats: give a multiple of $shard chats" >&2; exit 2; fi
  inputs=()
  for (( k = 0; k < chats / shard; k++ )); do
    seed=$((7 + k))
    file=$dir/shards/s$seed.jsonl
    if [ ! -s "$file" ]; then
      echo "generating $file" >&2
      python3 bench/gen_soc.py --chats $shard --near-dups 0.1 --seed $seed > "$file.tmp"
      mv "$file.tmp" "$file"
    fi
    inputs+=("$file")
  done
  bytes=$(cat "${inputs[@]}" | wc -c)
  partitions=$(( (chats + per_partition - 1) / per_partition ))
  for mode in $modes; do
    dedup="soc-dedup --key chat_id"
    [ "$mode" = components ] && dedup="$dedup --groups components"
    log=$dir/logs/$chats-$mode.log
    out=$dir/out-$chats-$mode
    rm -rf "$out"
    {
      echo "chats=$chats bytes=$bytes partitions=$partitions driver_memory=$memory mode=$mode"
      echo "loadavg before: $(cat /proc/loadavg)"
    } > "$log"
    (cd spark && /usr/bin/time -v "$python" -m soc_spark --master 'local[2]' --bin-dir "$bin" --timings \
      --conf "spark.driver.memory=$memory" --conf "spark.local.dir=$dir/spark-local" --conf spark.ui.showConsoleProgress=false \
      --partitions "$partitions" --tool soc-validate --tool soc-scrub --tool "$dedup" \
      --tool 'soc-filter --min-turns 4' --stats -o "$out" "${inputs[@]}") 2>&1 \
      | grep -E 'soc_spark:|Elapsed|Maximum resident|User time|System time|Exit status|Error|Exception' >> "$log"
    echo "loadavg after: $(cat /proc/loadavg)" >> "$log"
    for report in "$out"/reports/*.json; do
      echo "report $(basename "$report"): $(tr -d ' \n' < "$report")" >> "$log"
    done
    echo "output bytes: $(du -sb "$out/records" | cut -f1)" >> "$log"
    rm -rf "$out" "$dir/spark-local"
    cat "$log"
  done
  if [ "${SCALE_ONE_NODE:-1}" = 1 ]; then
    log=$dir/logs/$chats-one-node.log
    echo "chats=$chats bytes=$bytes loadavg before: $(cat /proc/loadavg)" > "$log"
    measure() {  # measure NAME CMD...: wall, CPU and peak RSS of CMD
      echo "$1:" >> "$log"
      shift
      /usr/bin/time -v "$@" 2>&1 >/dev/null | grep -E 'Elapsed|Maximum resident|User time|System time|Exit status' >> "$log"
    }
    measure "sign" "$bin/soc-dedup" sign --shard 0 --key chat_id --threads 2 -o "$dir/sig" "${inputs[@]}"
    echo "signature file bytes: $(stat -c %s "$dir/sig")" >> "$log"
    measure "cluster greedy" "$bin/soc-dedup" cluster -o "$dir/remove-greedy" "$dir/sig"
    measure "cluster components" "$bin/soc-dedup" cluster --groups components -o "$dir/remove-components" "$dir/sig"
    echo "removed: greedy $(grep -vc '^#' "$dir/remove-greedy"), components $(grep -vc '^#' "$dir/remove-components")" >> "$log"
    echo "loadavg after: $(cat /proc/loadavg)" >> "$log"
    rm -f "$dir/sig" "$dir/remove-greedy" "$dir/remove-components"
    cat "$log"
  fi
done
